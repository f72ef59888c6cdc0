/* ctadm.h - the context every command receives.
 *
 * No mutable globals: main() builds one struct ctadm and passes it down.
 * Functions return 0 or a negative error (-errno, or -CTADM_E*) and put
 * the human-readable reason in c->err; only main() prints it and chooses
 * the exit code.
 */
#ifndef CTADM_H
#define CTADM_H

#include <stdbool.h>
#include <stdint.h>

#include "filter.h"
#include "fmt.h"
#include "opt.h"
#include "out.h"

#define CTADM_NAME "ctadm"

/* ctadm's own errors, beyond errno values. */
enum {
	CTADM_EUSAGE = 4096,   /* bad command line: exit 2 */
	CTADM_ENOMATCH,        /* nothing matched where that is a failure */
};

/* What -I, -A and -U set beyond the tuple the filter holds, and the
 * expectation parts of -I expect (ctadm.change). */
enum {
	CH_TIMEOUT = 1u << 0,
	CH_LABEL_ADD = 1u << 1,
	CH_LABEL_DEL = 1u << 2,     /* with no bits: delete every label */
	CH_EXP_SRC = 1u << 3,
	CH_EXP_DST = 1u << 4,
	CH_EXP_SPORT = 1u << 5,
	CH_EXP_DPORT = 1u << 6,
	CH_MASK_SPORT = 1u << 7,
	CH_MASK_DPORT = 1u << 8,
};

struct ct_change {
	uint32_t set;               /* CH_* */
	uint32_t timeout;
	uint8_t labels[16];         /* bits to add or delete */
	union ct_addr exp_src, exp_dst;       /* --tuple-src/--tuple-dst */
	uint16_t exp_sport, exp_dport;        /* --tuple-port-* */
	uint16_t mask_sport, mask_dport;      /* --mask-port-* */
};

/* -E's event groups (-e). */
enum {
	EV_NEW = 1 << 0,
	EV_UPDATE = 1 << 1,
	EV_DESTROY = 1 << 2,
	EV_ALL = EV_NEW | EV_UPDATE | EV_DESTROY,
};

/* Options of ctadm's word commands. */
struct word_opts {
	bool mount_debugfs;        /* dyndbg --mount-debugfs */
	const char *backend;       /* debug on --backend syslog|nflog */
	bool dyndbg;               /* debug on --dyndbg */
	unsigned samples;          /* diagnose --samples, 0: default (3) */
	unsigned interval_ms;      /* diagnose --interval, 0: default (1 s) */
	bool all_netns;            /* diagnose --all-netns */
	unsigned seconds;          /* watch-invalid --seconds, 0: until stopped */
	unsigned max_count;        /* watch-invalid --count, 0: no limit */
	unsigned invalid_seconds;  /* report --invalid-seconds */
	bool prometheus;           /* diagnose -o prometheus */
};

struct ctadm {
	const struct cmd_def *cmd;
	enum ct_table table;
	uint64_t seen;                 /* 1 << enum opt_id given */
	struct ct_filter filter;
	const char *netns;
	int home_netns;                /* the starting netns with --netns, else -1 */
	const char *labelmap_path;
	const struct proto_def *proto; /* -p, when a known protocol */
	bool zero;                     /* -z */
	struct ct_change change;       /* -I -A -U: what to set */
	unsigned events;               /* -E: EV_*, 0 for all */
	uint32_t buffer_size;          /* -b, 0: ctadm's default */
	bool quiet;                    /* --quiet: no per-entry output */
	bool resync;                   /* -E --resync */
	bool all_netns_logging;        /* nflog --all-netns-logging */
	const char *load_file;         /* -R FILE */
	struct word_opts word;         /* options of the word commands */
	char **args;                   /* a word command's arguments */
	int nargs;
	bool load_line;                /* a line of -R: no summary, no word commands */
	const struct fmt_ops *fmt;
	struct fmt_ctx fctx;
	struct labelmap labelmap;
	struct out *out;
	char err[512];
};

/* Record a message for main() and return -err_code. */
int ctadm_fail(struct ctadm *c, int err_code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Put "what: " before the message a callee recorded; returns ret. */
int ctadm_fail_prefix(struct ctadm *c, int ret, const char *what);
/* The conntrack-style summary on stderr: "ctadm vX: N ..."; nothing for
 * the lines of -R (c->load_line), as conntrack -R prints none. */
void ctadm_summary(const struct ctadm *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Wall-clock time in ns since the epoch (listing and event stamps). */
uint64_t clock_realtime_ns(void);

#endif
