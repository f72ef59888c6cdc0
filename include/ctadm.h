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

struct ctadm {
	const struct cmd_def *cmd;
	enum ct_table table;
	uint64_t seen;                 /* 1 << enum opt_id given */
	struct ct_filter filter;
	const char *netns;
	const char *labelmap_path;
	const struct proto_def *proto; /* -p, when a known protocol */
	bool zero;                     /* -z */
	const struct fmt_ops *fmt;
	struct fmt_ctx fctx;
	struct labelmap labelmap;
	struct out *out;
	char err[512];
};

/* Record a message for main() and return -err_code. */
int ctadm_fail(struct ctadm *c, int err_code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The conntrack-style summary on stderr: "ctadm vX: N ...". */
void ctadm_summary(const struct ctadm *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
