/* settings.h - the kernel's netfilter knobs: sysctls under
 * /proc/sys/net/netfilter and the nf_log table of /proc/net/netfilter,
 * all reached through paths.c's root so tests can use fixtures. */
#ifndef CTADM_SETTINGS_H
#define CTADM_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#define SYSCTL_NF "sys/net/netfilter/"

/* The value of a sysctl (rel to the proc root), without its newline. */
int sysctl_read(const char *rel, char *buf, size_t len);
int sysctl_read_uint(const char *rel, unsigned *v);
/* Write val; 0 or -errno (the kernel refuses what it does not take). */
int sysctl_write(const char *rel, const char *val);

/* One line of /proc/net/netfilter/nf_log:
 * "%2d %s (%s,%s,...)" - family, active logger or NONE, registered ones. */
#define NFLOG_NAME_MAX 32
#define NFLOG_REG_MAX 8
struct nflog_family {
	int family;
	char active[NFLOG_NAME_MAX];       /* "NONE" when none */
	char registered[NFLOG_REG_MAX][NFLOG_NAME_MAX];
	unsigned n_registered;
};

/* The whole table, one row per family. */
#define NFLOG_MAX_FAMILIES 16
struct nflog_table {
	struct nflog_family fam[NFLOG_MAX_FAMILIES];
	unsigned n;
};

/* 0, or -EINVAL for a line that is not in that form. */
int nflog_line_parse(const char *line, struct nflog_family *f);
bool nflog_is_registered(const struct nflog_family *f, const char *name);

/* The nf_log family numbers with names (NFPROTO_*): "ipv4" 2, ... */
const char *nflog_family_name(int family);
/* A family by name or number; -1 if unknown. */
int nflog_family_parse(const char *s);

#endif
