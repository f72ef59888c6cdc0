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
	unsigned failed;               /* of this batch's requests */
};

struct create_batch {
	struct ctadm *c;
	struct nl_sock s;
	struct create_half half[2];
	struct create_half *fill;      /* the caller's */
	pthread_t sender;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	/* Under lock: */
	struct create_half *sending;   /* the sender's until answered */
	bool closing;
	int send_err;                  /* -errno of a failed exchange */
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

static void create_result(unsigned index, int err, const char *ext_ack,
			  void *data)
{
	struct create_half *h = data;

	entry_error_print(h->where[index], err, h->cmd_bit[index], ext_ack);
	h->failed++;
}

static void *create_send_loop(void *arg)
{
	struct create_batch *b = arg;

	pthread_mutex_lock(&b->lock);
	for (;;) {
		struct create_half *h;
		unsigned n;
		int ret;

		while (!b->sending && !b->closing)
			pthread_cond_wait(&b->cond, &b->lock);
		if (!b->sending)
			break;
		h = b->sending;
		pthread_mutex_unlock(&b->lock);

		n = h->b.n;
		h->failed = 0;
		ret = nl_batch_send(&b->s, &h->b, NULL, create_result, h);

		pthread_mutex_lock(&b->lock);
		if (ret < 0 && !b->send_err)
			b->send_err = ret;
		b->done += n - h->failed;
		b->failed += h->failed;
		b->sending = NULL;
		pthread_cond_broadcast(&b->cond);
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

/* Wait until the sender has nothing: 0, or -errno of a failed exchange. */
static int create_sender_wait(struct create_batch *b)
{
	int err;

	pthread_mutex_lock(&b->lock);
	while (b->sending)
		pthread_cond_wait(&b->cond, &b->lock);
	err = b->send_err;
	pthread_mutex_unlock(&b->lock);
	return err;
}

static int create_sender_idle(struct create_batch *b)
{
	int err = create_sender_wait(b);

	return err < 0 ? nl_fail(b->c, &b->s, "create", err) : 0;
}

/* Give the sender what is queued and take the other batch to fill. */
static int create_handoff(struct create_batch *b)
{
	int ret = create_sender_idle(b);

	if (ret < 0)
		return ret;
	pthread_mutex_lock(&b->lock);
	b->sending = b->fill;
	b->fill = b->fill == &b->half[0] ? &b->half[1] : &b->half[0];
	pthread_cond_broadcast(&b->cond);
	pthread_mutex_unlock(&b->lock);
	return 0;
}

static void create_batch_free(struct create_batch *b)
{
	nl_batch_free(&b->half[0].b);
	nl_batch_free(&b->half[1].b);
	nl_close(&b->s);
	pthread_cond_destroy(&b->cond);
	pthread_mutex_destroy(&b->lock);
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
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->cond, NULL);
	ret = cmd_sock_open(c, &b->s);
	if (ret < 0) {
		create_batch_free(b);
		return ret;
	}
	if (nl_batch_init(&b->half[0].b, CREATE_BATCH_MAX) < 0 ||
	    nl_batch_init(&b->half[1].b, CREATE_BATCH_MAX) < 0) {
		create_batch_free(b);
		return ctadm_fail(c, ENOMEM, "out of memory");
	}
	ret = nl_thread_start(&b->sender, create_send_loop, b);
	if (ret) {
		create_batch_free(b);
		return ctadm_fail(c, -ret, "create: sender thread: %s",
				  strerror(-ret));
	}
	*bp = b;
	return 0;
}

int create_batch_flush(struct create_batch *b)
{
	int ret = b->fill->b.n ? create_handoff(b) : 0;

	return ret < 0 ? ret : create_sender_idle(b);
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

/* The counts are the sender's: read them once it is idle. */
unsigned create_batch_done(struct create_batch *b)
{
	create_sender_wait(b);
	return b->done;
}

unsigned create_batch_failed(struct create_batch *b)
{
	create_sender_wait(b);
	return b->failed;
}

void create_batch_close(struct create_batch *b)
{
	if (!b)
		return;
	create_sender_wait(b);
	pthread_mutex_lock(&b->lock);
	b->closing = true;
	pthread_cond_broadcast(&b->cond);
	pthread_mutex_unlock(&b->lock);
	pthread_join(b->sender, NULL);
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
