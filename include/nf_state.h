/* nf_state.h - the logging knobs of a network namespace that ctadm turns
 * on for a while (debug on, watch-invalid) and must put back exactly:
 * nf_conntrack_log_invalid, the ipv4/ipv6 nf_log backends,
 * nf_log_all_netns (initial namespace) and dynamic-debug site flags. */
#ifndef CTADM_NF_STATE_H
#define CTADM_NF_STATE_H

#include <stdbool.h>
#include <stdio.h>

#include "dyndbg.h"
#include "settings.h"

struct ctadm;

#define NF_STATE_SITES_MAX 128

/* A dynamic-debug site ctadm changed, with the flags it had. */
struct nf_state_site {
	char file[160];
	unsigned line;
	char flags[16];        /* as dyndbg_site.flags: "_" for none */
};

struct nf_state {
	unsigned log_invalid;
	char backend_ipv4[NFLOG_NAME_MAX];   /* active backend, "NONE" for none */
	char backend_ipv6[NFLOG_NAME_MAX];
	int all_netns;         /* nf_log_all_netns before ctadm set it; -1: untouched */
	unsigned n_sites;
	struct nf_state_site site[NF_STATE_SITES_MAX];
};

/* Read log_invalid and the ipv4/ipv6 backends of the current namespace;
 * all_netns = -1 and no sites. */
int nf_state_read(struct ctadm *c, struct nf_state *s);

/* The setters, each 0 or a ctadm_fail() error.  backend "none" or
 * "NONE" is no backend. */
int nf_backend_set(struct ctadm *c, int family, const char *backend);
int nf_log_invalid_set(struct ctadm *c, unsigned v);

/* nf_log_all_netns lives in the initial namespace: set it there (in the
 * namespace ctadm started in when --netns was given), old value to *old
 * when old is not NULL. */
int nf_all_netns_set(struct ctadm *c, unsigned v, int *old);
/* nf_log_all_netns exists only in the initial namespace. */
bool netns_is_initial(void);

/* Put back everything s holds, in reverse order of how ctadm changes
 * things; goes on after a failure and returns the first error. */
int nf_state_restore(struct ctadm *c, const struct nf_state *s);

/* What `ctadm debug on' did in a namespace, kept in a state file until
 * `debug off' puts saved back.  A second `on' keeps since and saved. */
#define NF_DEBUG_STATE_VERSION 1
struct nf_debug_state {
	unsigned long long netns;     /* inode of the namespace */
	unsigned long long cookie;    /* its SO_NETNS_COOKIE, 0: unknown */
	long long since;              /* time of the first `on' */
	char backend[8];              /* "syslog" or "nflog" */
	bool dyndbg;                  /* --dyndbg was given */
	unsigned n_protos;            /* 0: all protocols */
	unsigned char proto[256];
	struct nf_state saved;        /* what `off' puts back */
};

/* The current namespace: inode of /proc/self/ns/net, and its cookie
 * (never reused, unlike inodes; 0 before Linux 5.14). */
int netns_id_read(struct ctadm *c, unsigned long long *ino,
		  unsigned long long *cookie);
/* <run dir>/debug-<ino>.state into buf; returns buf. */
const char *nf_debug_state_path(char *buf, size_t len, unsigned long long ino);

/* The state file's text: "key=value" lines after "version=1". */
int nf_debug_state_format(FILE *f, const struct nf_debug_state *d);
/* 0, or a ctadm_fail() error "NAME:LINE: why" for a malformed file. */
int nf_debug_state_parse(struct ctadm *c, FILE *f, const char *name,
			 struct nf_debug_state *d);
/* 0, 1 when there is no state file, or a ctadm_fail() error. */
int nf_debug_state_load(struct ctadm *c, const char *path,
			struct nf_debug_state *d);
/* Write path atomically (a temporary file renamed over it), creating
 * the run directory when needed. */
int nf_debug_state_save(struct ctadm *c, const char *path,
			const struct nf_debug_state *d);

/* nf_log_all_netns of the initial namespace (as nf_all_netns_set finds
 * it); -ESRCH, with the message, when it cannot be reached. */
int nf_all_netns_get(struct ctadm *c, int *v);

#endif
