/* cmd.h - what the command files share: sockets opened with ctadm's
 * error messages, kernel errors in words, and the output frame. */
#ifndef CTADM_CMD_H
#define CTADM_CMD_H

#include "ctadm.h"
#include "nl.h"

/* Open s; on failure the message is in c->err. */
int cmd_sock_open(struct ctadm *c, struct nl_sock *s);
/* A kernel error as "what: reason[: the kernel's own words]" in c->err;
 * returns err.  s may be NULL. */
int nl_fail(struct ctadm *c, const struct nl_sock *s, const char *what,
	    int err);
/* The reason alone, in conntrack's words where it has its own (what a
 * create, delete or update answer means). */
const char *nl_err_reason(int err, uint32_t cmd_bit);
/* One request of a batch failed: "ctadm: WHERE: reason[: ext_ack]" on
 * stderr, and the command goes on with the others. */
void entry_error_print(const char *where, int err, uint32_t cmd_bit,
		       const char *ext_ack);
void fmt_begin(struct ctadm *c);
void fmt_end(struct ctadm *c);

#endif
