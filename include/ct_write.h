/* ct_write.h - the commands that change the table: -D, -I, -A, -U, -F,
 * and the batched creates that -I, -A and -R share. */
#ifndef CTADM_CT_WRITE_H
#define CTADM_CT_WRITE_H

struct ctadm;

int ct_delete_run(struct ctadm *c);
int ct_create_run(struct ctadm *c);
int ct_update_run(struct ctadm *c);
int ct_flush_run(struct ctadm *c);

/* Creates (-I, -A) of many command lines sent in few sendmsg calls.  A
 * failure is reported on stderr as "ctadm: WHERE: why", WHERE being the
 * label given with the line (e.g. "FILE:LINE"). */
struct create_batch;

int create_batch_open(struct create_batch **b, struct ctadm *c);
/* Queue the entry that line (a parsed -I or -A of the conntrack or expect
 * table) describes; may send the batch when it is full.  Returns 0 or a
 * negative error of ctadm itself (socket, memory) with the message in
 * c->err of the context given to create_batch_open. */
int create_batch_add(struct create_batch *b, struct ctadm *line,
		     const char *where);
/* Send what is queued and wait for the kernel's answers. */
int create_batch_flush(struct create_batch *b);
/* Entries created (or, for -A, created or updated) and failed, as of the
 * last create_batch_flush. */
unsigned create_batch_done(const struct create_batch *b);
unsigned create_batch_failed(const struct create_batch *b);
void create_batch_close(struct create_batch *b);

#endif
