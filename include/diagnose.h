/* diagnose.h - ctadm diagnose: samples of each network namespace's
 * conntrack state, the findings drawn from them, and their renderings
 * (text, json, prometheus).  report uses the same pieces.
 *
 * Memory stays flat whatever the table's size: a dump is counted, not
 * kept; only the ids of dying entries are kept, as sorted arrays. */
#ifndef CTADM_DIAGNOSE_H
#define CTADM_DIAGNOSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nft_rules.h"
#include "out.h"
#include "proc_netlink.h"

struct ctadm;

/* The per-CPU statistics diagnose follows, summed over CPUs. */
enum diag_stat {
	DS_INSERT,
	DS_INSERT_FAILED,
	DS_DROP,
	DS_EARLY_DROP,
	DS_INVALID,
	DS_SEARCH_RESTART,
	DS_CLASH_RESOLVE,
	DS_CHAINTOOLONG,
	DS_COUNT_
};
extern const char *const diag_stat_names[DS_COUNT_];

struct diag_sample {
	uint64_t t_ms;                /* CLOCK_MONOTONIC */
	uint32_t count_before, count_after;
	uint32_t listed, not_assured;
	uint32_t expiring;            /* listed with a timeout shorter than
				       * the time to the next sample */
	uint32_t dying;
	uint32_t unconfirmed;         /* what the unconfirmed dump shows */
	uint32_t nfq_waiting;         /* packets queued to NFQUEUE */
	uint64_t inserts_during;      /* "insert" growth during the dump */
	bool have_stats;
	uint64_t stat[DS_COUNT_];
};

/* A sorted set of conntrack ids. */
struct id_set {
	uint32_t *id;
	size_t n, cap;
};

#define DIAG_LISTENERS_MAX 16
#define DIAG_QUEUES_MAX 16

/* A conntrack event listener, with its owner when /proc can tell. */
struct diag_listener {
	struct nl_sock_info sock;
	int pid;                      /* 0: unknown */
	char comm[32];
};

struct diag_queue {
	struct nfq_info q;
	int pid;
	char comm[32];
};

/* What does not change between samples: settings and the ruleset. */
struct diag_static {
	bool initial;                 /* the initial network namespace */
	int all_netns;                /* nf_log_all_netns, -1 unknown */
	unsigned log_invalid;
	char backend[2][32];          /* ipv4, ipv6 active backend or NONE */
	unsigned events;              /* nf_conntrack_events */
	unsigned max, buckets;
	bool have_max;
	bool dyndbg;                  /* a dynamic-debug control file exists */
	struct nft_inspect nft;
	char nft_err[128];
	char legacy_tables[128];      /* /proc/net/ip_tables_names, joined */
	unsigned n_listeners;
	struct diag_listener listener[DIAG_LISTENERS_MAX];
	unsigned n_queues;
	struct diag_queue queue[DIAG_QUEUES_MAX];
};

/* One namespace being diagnosed. */
struct diag_ns {
	char name[96];                /* "ctadm-a" or "net:[4026531840]" */
	int fd;                       /* to setns() into; -1: the current one */
	struct diag_static st;
	unsigned n_samples;
	struct diag_sample *sample;
	struct id_set dying_first, dying_last;
	uint64_t dying_first_ms, dying_last_ms;
};

enum diag_severity { SEV_INFO, SEV_WARNING, SEV_CRITICAL };

#define DIAG_EVIDENCE_MAX 12

struct diag_evidence {
	const char *key;
	char value[96];
	bool number;                  /* a JSON number, not a string */
};

struct diag_finding {
	const char *id;
	enum diag_severity severity;
	const char *netns;
	char summary[256];
	char explanation[640];
	char remedy[256];
	unsigned n_evidence;
	struct diag_evidence evidence[DIAG_EVIDENCE_MAX];
	unsigned order;               /* position before sorting by severity */
};

#define DIAG_FINDINGS_MAX 64

struct diag_result {
	char kernel[65];               /* uname's release */
	unsigned kernel_version;      /* as paths.h's kernel_version() */
	unsigned samples, interval_ms;
	bool all_netns;
	int all_netns_home;           /* nf_log_all_netns where ctadm started
				       * (--netns), -1 unknown */
	unsigned n_ns;
	struct diag_ns *ns;
	unsigned n_findings;
	struct diag_finding finding[DIAG_FINDINGS_MAX];
};

/* Defaults and the kernel's name, from c's options. */
void diag_result_init(const struct ctadm *c, struct diag_result *r);

/* Sampling (diag_sample.c). */
int id_set_add(struct id_set *s, uint32_t id);
void id_set_sort(struct id_set *s);
size_t id_set_common(const struct id_set *a, const struct id_set *b);
void id_set_free(struct id_set *s);
/* Fill r->ns (the current namespace, or every one with all_netns) and
 * take the samples. */
int diag_collect(struct ctadm *c, struct diag_result *r);
void diag_result_free(struct diag_result *r);
const struct diag_sample *diag_last(const struct diag_ns *ns);
/* Growth of a statistic from the first to the last sample (0 if unknown). */
uint64_t diag_stat_delta(const struct diag_ns *ns, enum diag_stat k);
/* Dying entries in both the first and the last sample. */
unsigned diag_stuck_count(const struct diag_ns *ns);

/* Findings (diag_find.c): from the samples of r into r->finding. */
void diag_findings_make(struct diag_result *r);
/* The exit status the findings call for: 0, 3 (warnings), 4 (critical). */
int diag_exit_status(const struct diag_result *r);
const char *diag_severity_name(enum diag_severity s);

/* Renderings (diag_print.c). */
void diag_print_text(struct out *o, const struct diag_result *r, bool color);
void diag_print_json(struct out *o, const struct diag_result *r);
void diag_print_prometheus(struct out *o, const struct diag_result *r);
/* The findings grouped by severity, then the totals line: diagnose's
 * text after its heading, and report's findings section. */
void diag_findings_text(struct out *o, const struct diag_result *r,
			bool color);
/* The findings as a JSON array, for report. */
void diag_findings_json(struct out *o, const struct diag_result *r);

#endif
