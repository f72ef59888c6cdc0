/* ct_update.c - -U: change the entries the filter selects.
 *
 * As conntrack 1.4.8: -m MARK/MASK sets (mark & ~MASK) ^ MARK, -u adds
 * status flags, -t sets the timeout, --state the protocol state,
 * --label-add/--label-del change labels; these are changes, not filters.
 * An entry the change would leave as it is gets no request, and each
 * updated entry is read back and printed as the kernel now has it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "cmd.h"
#include "ct_build.h"
#include "ct_parse.h"
#include "ct_write.h"
#include "nl_ct.h"

#define UPDATE_BATCH_MAX 256
/* Each answer to a get is a buffer of its own in the receive queue. */
#define GET_BATCH_MAX 64

/* Where an updated entry is: enough to read it back. */
struct update_key {
	struct ct_tuple orig;
	uint16_t zone;
	bool has_zone;
};

struct update_ctx {
	struct ctadm *c;
	struct ct_filter select;       /* c->filter without the changes */
	struct nl_sock w;
	struct nl_batch b, get;
	struct fmt_ctx pf;
	struct update_key key[UPDATE_BATCH_MAX];
	int err[UPDATE_BATCH_MAX];
	unsigned updated, vanished, failed;
};

/* The entry's new labels: bits to write where mask is set. */
static bool labels_change(const struct ctadm *c, const struct ct_entry *ct,
			  uint8_t *bits, uint8_t *mask)
{
	const struct ct_change *ch = &c->change;
	static const uint8_t none[16];
	/* --label-del without labels deletes them all. */
	bool del_all = (ch->set & CH_LABEL_DEL) &&
		       memcmp(ch->labels, none, sizeof(none)) == 0;
	bool changed = false;

	for (unsigned i = 0; i < 16; i++) {
		uint8_t cur = i < ct->labels_len ? ct->labels[i] : 0;

		mask[i] = del_all ? 0xff : ch->labels[i];
		bits[i] = ch->set & CH_LABEL_ADD ? ch->labels[i] : 0;
		if ((cur & mask[i]) != bits[i])
			changed = true;
	}
	return changed;
}

static bool state_change(const struct ct_filter *f, const struct ct_entry *ct,
			 struct ct_entry *upd)
{
	if (!(f->set & F_STATE))
		return false;
	if (ct->has & CT_A_TCP) {
		upd->tcp.state = f->state;
		upd->has |= CT_A_TCP;
		return ct->tcp.state != f->state;
	}
	if (ct->has & CT_A_SCTP) {
		/* The kernel takes an SCTP state only with its vtags. */
		upd->sctp = ct->sctp;
		upd->sctp.state = f->state;
		upd->has |= CT_A_SCTP | (ct->has & CT_A_SCTP_VTAG);
		return ct->sctp.state != f->state;
	}
	if (ct->has & CT_A_DCCP) {
		upd->dccp.state = f->state;
		upd->has |= CT_A_DCCP;
		return ct->dccp.state != f->state;
	}
	return false;
}

/* What the request for ct carries; false when nothing would change. */
static bool update_compute(const struct ctadm *c, const struct ct_entry *ct,
			   struct ct_entry *upd)
{
	const struct ct_filter *f = &c->filter;
	bool changed = false;

	memset(upd, 0, sizeof(*upd));
	upd->orig = ct->orig;
	upd->zone = ct->zone;
	upd->has = CT_A_ORIG | (ct->has & CT_A_ZONE);
	if (f->set & F_STATUS) {
		upd->status = ct->status | f->status_set;
		upd->has |= CT_A_STATUS;
		changed |= upd->status != ct->status;
	}
	if (f->set & F_MARK) {
		upd->mark = (ct->mark & ~f->mark_mask) ^ f->mark;
		upd->has |= CT_A_MARK;
		changed |= upd->mark != ct->mark;
	}
	if (c->change.set & CH_TIMEOUT) {
		upd->timeout = c->change.timeout;
		upd->has |= CT_A_TIMEOUT;
		changed |= upd->timeout != ct->timeout;
	}
	return state_change(f, ct, upd) || changed;
}

static void update_result(unsigned index, int err, const char *ext_ack,
			  void *data)
{
	struct update_ctx *u = data;

	u->err[index] = err;
	if (err != -ENOENT)
		entry_error_print("-U", err, CB_UPDATE, ext_ack);
}

static int get_answer(const struct nlmsghdr *nlh, void *data)
{
	struct update_ctx *u = data;
	struct ct_entry ct;

	if (ct_parse(nlh, &ct) < 0)
		return MNL_CB_OK;
	ct.kind = CT_MSG_DUMP;
	u->c->fmt->ct(&u->pf, &ct);
	return MNL_CB_OK;
}

/* An entry gone between its update and its read-back is not printed. */
static void get_result(unsigned index, int err, const char *ext_ack,
		       void *data)
{
	(void)index;
	(void)data;
	if (err != -ENOENT)
		entry_error_print("-U: reading back", err, CB_GET, ext_ack);
}

static int get_flush(struct update_ctx *u)
{
	int ret = nl_batch_send(&u->w, &u->get, get_answer, get_result, u);

	return ret < 0 ? nl_fail(u->c, &u->w, "-U", ret) : u->c->out->error;
}

static int get_queue(struct update_ctx *u, const struct update_key *k)
{
	struct nlmsghdr *nlh;

	nlh = nl_request_put(&u->w, nl_batch_tail(&u->get),
			     NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET, 0,
			     k->orig.l3);
	ct_tuple_put(nlh, CTA_TUPLE_ORIG, &k->orig);
	if (k->has_zone)
		mnl_attr_put_u16(nlh, CTA_ZONE, htons(k->zone));
	nl_batch_commit(&u->get, nlh);
	return nl_batch_full(&u->get) ? get_flush(u) : 0;
}

/* Send the queued updates, then read back the entries they changed. */
static int update_flush(struct update_ctx *u)
{
	unsigned n = u->b.n;
	int ret;

	memset(u->err, 0, n * sizeof(u->err[0]));
	ret = nl_batch_send(&u->w, &u->b, NULL, update_result, u);
	if (ret < 0)
		return nl_fail(u->c, &u->w, "-U", ret);
	for (unsigned i = 0; i < n && ret == 0; i++) {
		if (u->err[i] == -ENOENT) {
			u->vanished++;
		} else if (u->err[i]) {
			u->failed++;
		} else {
			u->updated++;
			if (!u->c->quiet)
				ret = get_queue(u, &u->key[i]);
		}
	}
	return ret == 0 ? get_flush(u) : ret;
}

static int update_queue(const struct ct_entry *ct, void *data)
{
	struct update_ctx *u = data;
	struct update_key *k = &u->key[u->b.n];
	uint8_t bits[16], mask[16];
	bool labels = (u->c->change.set & (CH_LABEL_ADD | CH_LABEL_DEL)) &&
		      labels_change(u->c, ct, bits, mask);
	struct nlmsghdr *nlh;
	struct ct_entry upd;

	if (!update_compute(u->c, ct, &upd) && !labels)
		return 0;
	nlh = nl_request_put(&u->w, nl_batch_tail(&u->b),
			     NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW, 0,
			     ct->orig.l3);
	ct_attrs_put(nlh, &upd);
	if (labels)
		ct_labels_put(nlh, bits, mask);
	nl_batch_commit(&u->b, nlh);
	*k = (struct update_key){ ct->orig, ct->zone,
				  (ct->has & CT_A_ZONE) != 0 };
	return nl_batch_full(&u->b) ? update_flush(u) : 0;
}

static int update_ctx_init(struct update_ctx *u, struct ctadm *c)
{
	int ret;

	u->c = c;
	u->select = c->filter;
	u->select.set &= ~(F_STATUS | F_MARK | F_STATE);
	u->pf = c->fctx;
	/* As conntrack: -o extended and id, labels when a map is loaded. */
	u->pf.flags &= FMT_F_EXTENDED | FMT_F_ID;
	if (c->fctx.labelmap)
		u->pf.flags |= FMT_F_LABELS;
	ret = cmd_sock_open(c, &u->w);
	if (ret < 0)
		return ret;
	/* Up to GET_BATCH_MAX answers of a few KiB wait in the queue. */
	nl_rcvbuf_set(&u->w, 4 << 20);
	if (nl_batch_init(&u->b, UPDATE_BATCH_MAX) < 0 ||
	    nl_batch_init(&u->get, GET_BATCH_MAX) < 0)
		return ctadm_fail(c, ENOMEM, "out of memory");
	return 0;
}

static void update_ctx_free(struct update_ctx *u)
{
	nl_batch_free(&u->b);
	nl_batch_free(&u->get);
	nl_close(&u->w);
}

int ct_update_run(struct ctadm *c)
{
	struct update_ctx *u = calloc(1, sizeof(*u));
	struct nl_sock s;
	int ret;

	if (!u)
		return ctadm_fail(c, ENOMEM, "out of memory");
	ret = update_ctx_init(u, c);
	if (ret == 0)
		ret = cmd_sock_open(c, &s);
	if (ret == 0) {
		ret = ct_dump_selected(&s, &u->select, update_queue, u);
		if (ret < 0 && !c->err[0])
			ret = nl_fail(c, &s, "-U", ret);
		if (ret == 0)
			ret = update_flush(u);
		nl_close(&s);
	}
	out_flush(c->out);
	if (ret == 0) {
		ctadm_summary(c, "%u flow entries have been updated.\n",
			      u->updated);
		if (u->vanished)
			fprintf(stderr, "%s: note: %u matching entries were "
				"gone before their update\n", CTADM_NAME,
				u->vanished);
		if (u->failed)
			ret = ctadm_fail(c, EIO, "-U: %u entries could not be "
					 "updated", u->failed);
		else if (!u->updated)
			ret = -CTADM_ENOMATCH;
	}
	update_ctx_free(u);
	free(u);
	return ret;
}
