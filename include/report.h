/* report.h - ctadm report: what the report gathers (report_collect.c,
 * report_table.c) and its two renderings (report_text.c, report_json.c).
 * Everything is gathered first and printed at the end, so a failure
 * prints no half report. */
#ifndef CTADM_REPORT_H
#define CTADM_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "diagnose.h"
#include "fmt.h"
#include "nft_rules.h"
#include "settings.h"
#include "topn.h"
#include "watch_invalid.h"

struct ctadm;
struct nl_sock;

/* One sysctl: "net.netfilter.nf_conntrack_max" and its value. */
struct report_sysctl {
	char name[96];
	char value[64];
	int err;                   /* -errno when it could not be read */
};

struct report_sysctls {
	struct report_sysctl *v;
	unsigned n, cap;
};

/* A per-CPU statistic summed over the CPUs, at two moments. */
struct report_stat {
	char name[24];             /* the kernel's name: "insert_failed" */
	uint64_t first, second;
};

struct report_stats {
	const char *source;        /* "ctnetlink" or "/proc/net/stat" */
	unsigned cpus;
	uint64_t first_ms, second_ms;  /* CLOCK_MONOTONIC */
	unsigned n;
	struct report_stat item[CT_STAT_MAX];
};

struct report_logging {
	bool have_log_invalid;
	unsigned log_invalid;
	bool have_nf_log;
	struct nflog_table nf_log;
	char nf_log_err[512];
	int all_netns;             /* nf_log_all_netns, -1 out of reach */
	bool dyndbg;               /* the control file was read */
	char dyndbg_err[512];      /* why not */
	unsigned dyndbg_sites, dyndbg_enabled;  /* nf_conntrack's, printing */
};

struct report_rules {
	struct nft_inspect inspect;
	char err[128];
	struct nft_ct_rule *v;
	unsigned n, cap;
};

/* Per-protocol states are kept for these, by the kernel's number. */
enum { RS_TCP, RS_SCTP, RS_DCCP, RS_N_ };
#define REPORT_STATES_MAX 16
#define REPORT_TOP 10

/* The table counted from one dump: fixed arrays, and three bounded
 * maps for the tops. */
struct report_table {
	uint64_t entries;
	uint64_t ipv4, ipv6;
	uint64_t proto[256];
	uint64_t state[RS_N_][REPORT_STATES_MAX];
	uint64_t assured, seen_reply, snat, dnat, expected;
	struct topn src, dst, dport;   /* keys: see report_table.c */
};

struct report {
	char time[32];             /* UTC, ISO 8601 */
	char hostname[65];
	char kernel_build[65];     /* uname's version */
	char machine[65];
	struct diag_result diag;   /* samples and findings; kernel, netns */
	struct report_sysctls sysctls;
	struct report_stats stats;
	struct report_logging log;
	struct report_rules rules;
	struct report_table table;
	bool have_invalid;         /* --invalid-seconds */
	struct invalid_counts invalid;
};

/* Gathering (report_collect.c); each 0 or a ctadm_fail() error.  What
 * the namespace does not have (no dyndbg, an unreadable ruleset) is
 * recorded as such, not an error. */
/* The sysctls of net.netfilter (all of it), and net.nf_conntrack_max
 * and net.bridge.bridge-nf-* where they exist, sorted, from the proc
 * root (paths.h) so that tests can use fixtures. */
int report_sysctls_read(struct ctadm *c, struct report_sysctls *s);
void report_sysctls_free(struct report_sysctls *s);
/* One sample of the per-CPU statistics; the first call fills first,
 * the next second. */
int report_stats_sample(struct ctadm *c, struct report_stats *st,
			bool second);
void report_logging_read(struct ctadm *c, struct report_logging *l,
			 int all_netns);
void report_rules_read(struct report_rules *r);
void report_rules_free(struct report_rules *r);

/* The table summary (report_table.c). */
int report_table_init(struct report_table *t);
void report_table_free(struct report_table *t);
int report_table_count(struct ctadm *c, struct nl_sock *s,
		       struct report_table *t);
/* Key of a source/destination map: family, then the address. */
void report_addr_key(const uint8_t *key, uint8_t *family,
		     union ct_addr *addr);
/* Key of the destination-port map: protocol, port (host order). */
void report_port_key(const uint8_t *key, uint8_t *l4, uint16_t *port);
/* The protocol of a state kind (RS_*), and the kernel's name of state. */
uint8_t report_state_proto(unsigned kind);
const char *report_state_name(unsigned kind, unsigned state);

/* Renderings. */
void report_text(struct out *o, const struct report *rp);
void report_json(struct out *o, const struct report *rp);

#endif
