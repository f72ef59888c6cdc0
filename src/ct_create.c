/* ct_create.c - -I and -A: entries (and expectations) built from the
 * command line, sent in batches so that -R loads many per sendmsg.
 *
 * The kernel creates a batch's entries inside the sendmsg() that carries
 * it. A sender thread does that while the caller parses the lines of the
 * next batch: two batches take turns, one filling, one in the kernel. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "cmd.h"
#include "ct_build.h"
#include "ct_write.h"

/* Error answers of a create carry no payload (NETLINK_CAP_ACK), so a
 * batch this long cannot overflow the receive buffer even if every
 * request fails. */
#define CREATE_BATCH_MAX 256

struct create_half {
	struct nl_batch b;
	uint32_t cmd_bit[CREATE_BATCH_MAX];
	char where[CREATE_BATCH_MAX][64];
	unsigned queued, failed;       /* requests sent, and failures */
};

struct create_batch {
	struct ctadm *c;
	struct nl_sock s;
	struct nl_sender tx;
	bool tx_on;
	struct create_half half[2];
	struct create_half *fill;      /* the caller's */
	struct create_half *sent;      /* handed over, not yet counted */
	unsigned done, failed;
};

static void tuple_invert(struct ct_tuple *to, const struct ct_tuple *from)
{
	uint8_t zone_has = to->has & CT_TUPLE_ZONE;
	uint16_t zone = to->zone;

	*to = *from;
	to->src = from->dst;
	to->dst = from->src;
	to->sport = from->dport;
	to->dport = from->sport;
	to->icmp_type = ct_icmp_reply_type(from->l4, from->icmp_type);
	to->has = (uint8_t)((from->has & ~CT_TUPLE_ZONE) | zone_has);
	to->zone = zone;
}

static void tuples_build(struct ct_entry *ct, const struct ct_filter *f)
{
	bool orig = (f->set & (F_ORIG_SRC | F_ORIG_DST)) ==
		    (F_ORIG_SRC | F_ORIG_DST);
	bool reply = (f->set & (F_REPLY_SRC | F_REPLY_DST)) ==
		     (F_REPLY_SRC | F_REPLY_DST);

	if (f->set & F_ORIG_ZONE) {
		ct->orig.zone = f->orig_zone;
		ct->orig.has |= CT_TUPLE_ZONE;
	}
	if (f->set & F_REPLY_ZONE) {
		ct->reply.zone = f->reply_zone;
		ct->reply.has |= CT_TUPLE_ZONE;
	}
	if (orig)
		ct_tuple_from_filter(&ct->orig, f, false);
	if (reply)
		ct_tuple_from_filter(&ct->reply, f, true);
	/* The kernel needs both directions; the missing one mirrors the
	 * other, as libnetfilter_conntrack's SETUP_REPLY/ORIGINAL do. */
	if (!reply)
		tuple_invert(&ct->reply, &ct->orig);
	else if (!orig)
		tuple_invert(&ct->orig, &ct->reply);
	else if (!(f->set & (F_REPLY_SPORT | F_REPLY_DPORT))) {
		ct->reply.sport = ct->orig.dport;
		ct->reply.dport = ct->orig.sport;
	}
	ct->has |= CT_A_ORIG | CT_A_REPLY;
}

static void protoinfo_build(struct ct_entry *ct, const struct ct_filter *f)
{
	if (!(f->set & (F_STATE | F_VTAG_ORIG | F_VTAG_REPLY)))
		return;
	switch (proto_kind_of(f->l4proto)) {
	case PK_TCP:
		ct->tcp.state = f->state;
		ct->has |= CT_A_TCP;
		break;
	case PK_SCTP:
		ct->sctp.state = f->state;
		ct->sctp.vtag_orig = f->vtag_orig;
		ct->sctp.vtag_reply = f->vtag_reply;
		ct->has |= CT_A_SCTP;
		if (f->set & (F_VTAG_ORIG | F_VTAG_REPLY))
			ct->has |= CT_A_SCTP_VTAG;
		break;
	default:
		ct->dccp.state = f->state;
		ct->has |= CT_A_DCCP;
		break;
	}
}

/* The entry -I or -A describes. */
static void ct_from_line(struct ct_entry *ct, const struct ctadm *line)
{
	const struct ct_filter *f = &line->filter;

	memset(ct, 0, sizeof(*ct));
	tuples_build(ct, f);
	/* libnetfilter_conntrack sends a new entry as confirmed.  -A may
	 * meet an existing entry, whose flags the kernel refuses to clear:
	 * it sends a status only when -u gives one. */
	if (line->cmd->bit != CB_ADD || (f->set & F_STATUS)) {
		ct->status = f->status_set | IPS_CONFIRMED;
		ct->has |= CT_A_STATUS;
	}
	ct->timeout = line->change.timeout;
	ct->has |= CT_A_TIMEOUT;
	if (f->set & F_MARK) {
		ct->mark = f->mark;
		ct->has |= CT_A_MARK;
	}
	if (f->set & F_ZONE) {
		ct->zone = f->zone;
		ct->has |= CT_A_ZONE;
	}
	protoinfo_build(ct, f);
}

static void ct_create_put(struct nlmsghdr *nlh, const struct ctadm *line)
{
	const struct ct_filter *f = &line->filter;
	struct ct_entry ct;

	ct_from_line(&ct, line);
	ct_attrs_put(nlh, &ct);
	if (line->change.set & CH_LABEL_ADD)
		ct_labels_put(nlh, line->change.labels, line->change.labels);
	if ((f->set & F_SNAT) && f->snat.has_addr)
		ct_nat_put(nlh, CTA_NAT_SRC, &f->snat);
	if ((f->set & F_DNAT) && f->dnat.has_addr)
		ct_nat_put(nlh, CTA_NAT_DST, &f->dnat);
}

/* The expectation -I expect describes: the master is -s/-d/-p and its
 * ports, the expected tuple --tuple-src/--tuple-dst/--tuple-port-*, its
 * mask --mask-src/--mask-dst/--mask-port-* (ports default to exact). */
static void exp_from_line(struct ct_exp *exp, const struct ctadm *line)
{
	const struct ct_filter *f = &line->filter;
	const struct ct_change *ch = &line->change;

	memset(exp, 0, sizeof(*exp));
	ct_tuple_from_filter(&exp->master, f, false);
	exp->tuple = exp->master;
	exp->tuple.src = ch->exp_src;
	exp->tuple.dst = ch->exp_dst;
	exp->tuple.sport = ch->exp_sport;
	exp->tuple.dport = ch->exp_dport;
	exp->mask = exp->master;
	exp->mask.src = f->orig_src_mask;
	exp->mask.dst = f->orig_dst_mask;
	exp->mask.sport = ch->set & CH_MASK_SPORT ? ch->mask_sport : 0xffff;
	exp->mask.dport = ch->set & CH_MASK_DPORT ? ch->mask_dport : 0xffff;
	exp->timeout = ch->timeout;
	exp->has = CT_EXP_A_MASTER | CT_EXP_A_TUPLE | CT_EXP_A_MASK |
		   CT_EXP_A_TIMEOUT;
	if (f->set & F_ZONE) {
		exp->zone = f->zone;
		exp->has |= CT_EXP_A_ZONE;
	}
}

static void exp_create_put(struct nlmsghdr *nlh, const struct ctadm *line)
{
	struct ct_exp exp;

	exp_from_line(&exp, line);
	exp_attrs_put(nlh, &exp);
}

/* In the sender thread: the failures of h's requests. */
static void create_result(unsigned index, int err, const char *ext_ack,
			  void *data)
{
	struct create_half *h = data;

	entry_error_print(h->where[index], err, h->cmd_bit[index], ext_ack);
	h->failed++;
}

/* Wait for what the sender has and count it: 0, or the error of a failed
 * exchange (in c->err). */
static int create_settle(struct create_batch *b)
{
	int ret = nl_sender_wait(&b->tx);

	if (b->sent) {
		b->done += b->sent->queued - b->sent->failed;
		b->failed += b->sent->failed;
		b->sent = NULL;
	}
	return ret < 0 ? nl_fail(b->c, &b->s, "create", ret) : 0;
}

/* Hand what is queued to the sender and take the other batch to fill. */
static int create_handoff(struct create_batch *b)
{
	struct create_half *h = b->fill;
	int ret = create_settle(b);

	if (ret < 0)
		return ret;
	h->queued = h->b.n;
	h->failed = 0;
	ret = nl_sender_hand(&b->tx, &h->b, create_result, h);
	if (ret < 0)
		return nl_fail(b->c, &b->s, "create", ret);
	b->sent = h;
	b->fill = h == &b->half[0] ? &b->half[1] : &b->half[0];
	return 0;
}

static void create_batch_free(struct create_batch *b)
{
	if (b->tx_on)
		nl_sender_stop(&b->tx);
	nl_batch_free(&b->half[0].b);
	nl_batch_free(&b->half[1].b);
	nl_close(&b->s);
	free(b);
}

int create_batch_open(struct create_batch **bp, struct ctadm *c)
{
	struct create_batch *b = calloc(1, sizeof(*b));
	int ret;

	if (!b)
		return ctadm_fail(c, ENOMEM, "out of memory");
	b->c = c;
	b->fill = &b->half[0];
	ret = cmd_sock_open(c, &b->s);
	if (ret < 0) {
		free(b);
		return ret;
	}
	if (nl_batch_init(&b->half[0].b, CREATE_BATCH_MAX) < 0 ||
	    nl_batch_init(&b->half[1].b, CREATE_BATCH_MAX) < 0) {
		create_batch_free(b);
		return ctadm_fail(c, ENOMEM, "out of memory");
	}
	ret = nl_sender_start(&b->tx, &b->s);
	if (ret < 0) {
		create_batch_free(b);
		return ctadm_fail(c, -ret, "create: sender thread: %s",
				  strerror(-ret));
	}
	b->tx_on = true;
	*bp = b;
	return 0;
}

int create_batch_flush(struct create_batch *b)
{
	int ret = b->fill->b.n ? create_handoff(b) : 0;

	return ret < 0 ? ret : create_settle(b);
}

int create_batch_add(struct create_batch *b, struct ctadm *line,
		     const char *where)
{
	struct create_half *h = b->fill;
	bool exp = line->table == TABLE_EXPECT;
	uint16_t flags = NLM_F_CREATE;
	struct nlmsghdr *nlh;
	unsigned i = h->b.n;

	/* -A, as conntrack 1.4.8: create, or update what exists. */
	if (line->cmd->bit != CB_ADD)
		flags |= NLM_F_EXCL;
	nlh = nl_request_put(&b->s, nl_batch_tail(&h->b),
			     exp ? NFNL_SUBSYS_CTNETLINK_EXP
				 : NFNL_SUBSYS_CTNETLINK,
			     exp ? IPCTNL_MSG_EXP_NEW : IPCTNL_MSG_CT_NEW, flags,
			     line->filter.family);
	if (exp)
		exp_create_put(nlh, line);
	else
		ct_create_put(nlh, line);
	h->cmd_bit[i] = exp ? line->cmd->exp_bit : line->cmd->bit;
	snprintf(h->where[i], sizeof(h->where[i]), "%s", where);
	nl_batch_commit(&h->b, nlh);
	return nl_batch_full(&h->b) ? create_handoff(b) : 0;
}

unsigned create_batch_done(const struct create_batch *b)
{
	return b->done;
}

unsigned create_batch_failed(const struct create_batch *b)
{
	return b->failed;
}

void create_batch_close(struct create_batch *b)
{
	if (b)
		create_batch_free(b);
}

int ct_create_run(struct ctadm *c)
{
	struct create_batch *b;
	bool exp = c->table == TABLE_EXPECT;
	const char *what = exp ? "-I expect" : c->cmd->bit == CB_ADD ? "-A" : "-I";
	unsigned done;
	int ret = create_batch_open(&b, c);

	if (ret < 0)
		return ret;
	ret = create_batch_add(b, c, what);
	if (ret == 0)
		ret = create_batch_flush(b);
	done = create_batch_done(b);
	create_batch_close(b);
	if (ret < 0)
		return ret;
	if (!done)
		return -EIO;  /* create_result has said why */
	/* As conntrack: no summary for expectations. */
	if (!exp)
		ctadm_summary(c, c->cmd->bit == CB_ADD
					 ? "%u flow entries have been added.\n"
					 : "%u flow entries have been created.\n",
			      done);
	return 0;
}
