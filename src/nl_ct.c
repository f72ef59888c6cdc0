/* nl_ct.c - ctnetlink requests built from a struct ct_filter.
 *
 * Kernel-side filters only ever narrow a dump to entries that the
 * user-space filter would also select, so every kernel that ignores an
 * attribute (older than the feature) still gives the right answer:
 *   family (nfgenmsg), CTA_MARK/CTA_MARK_MASK (4.x+),
 *   CTA_STATUS/CTA_STATUS_MASK (5.15+), CTA_FILTER tuples (5.8+; exact
 *   IPv4 addresses, protocol, tcp/udp ports; needs a family), CTA_ZONE
 *   (6.8+; never zone 0: the kernel would drop the entries that have a
 *   zone in one direction only, which -w 0 selects).
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "ct_build.h"
#include "ct_parse.h"
#include "nl_ct.h"

/* Flag bits of CTA_FILTER_ORIG_FLAGS / _REPLY_FLAGS (kernel-internal
 * names CTA_FILTER_F_*; the values are ABI). */
enum {
	FILTER_F_IP_SRC = 1 << 0,
	FILTER_F_IP_DST = 1 << 1,
	FILTER_F_PROTO_NUM = 1 << 3,
	FILTER_F_PORT_SRC = 1 << 4,
	FILTER_F_PORT_DST = 1 << 5,
};

struct dump_ctx {
	const struct ct_filter *f;
	ct_entry_cb cb;
	void *data;
};

static int ct_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	struct ct_entry ct;

	if (ct_parse(nlh, &ct) < 0)
		return MNL_CB_OK;  /* a message we cannot read is skipped */
	ct.kind = CT_MSG_DUMP;
	if (!ct_filter_match(d->f, &ct))
		return MNL_CB_OK;
	return d->cb(&ct, d->data) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

/* One direction's tuple: what f says about it, and the flags naming it. */
static uint32_t tuple_put(struct nlmsghdr *nlh, uint16_t type,
			  const struct ct_filter *f, bool reply, bool ports)
{
	uint32_t src = reply ? F_REPLY_SRC : F_ORIG_SRC;
	uint32_t dst = reply ? F_REPLY_DST : F_ORIG_DST;
	uint32_t sp = reply ? F_REPLY_SPORT : F_ORIG_SPORT;
	uint32_t dp = reply ? F_REPLY_DPORT : F_ORIG_DPORT;
	/* ctnetlink_filter_match_tuple() inverts its IPv6 address test
	 * (!ipv6_addr_cmp): the kernel would drop exactly the entries asked
	 * for, so only IPv4 addresses are filtered in the kernel. */
	bool exact = f->family == AF_INET;
	bool cidr_src = !exact || (!reply && f->orig_src_cidr);
	bool cidr_dst = !exact || (!reply && f->orig_dst_cidr);
	struct nlattr *t, *n;
	uint32_t flags = 0;

	t = mnl_attr_nest_start(nlh, type);
	n = mnl_attr_nest_start(nlh, CTA_TUPLE_IP);
	if ((f->set & src) && !cidr_src) {
		ct_addr_put(nlh, f->family, CTA_IP_V4_SRC, CTA_IP_V6_SRC,
			 reply ? &f->reply_src : &f->orig_src);
		flags |= FILTER_F_IP_SRC;
	}
	if ((f->set & dst) && !cidr_dst) {
		ct_addr_put(nlh, f->family, CTA_IP_V4_DST, CTA_IP_V6_DST,
			 reply ? &f->reply_dst : &f->orig_dst);
		flags |= FILTER_F_IP_DST;
	}
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);
	if (f->set & F_L4PROTO) {
		mnl_attr_put_u8(nlh, CTA_PROTO_NUM, f->l4proto);
		flags |= FILTER_F_PROTO_NUM;
	}
	if (ports && (f->set & sp)) {
		mnl_attr_put_u16(nlh, CTA_PROTO_SRC_PORT,
				 htons(reply ? f->reply_sport : f->orig_sport));
		flags |= FILTER_F_PORT_SRC;
	}
	if (ports && (f->set & dp)) {
		mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT,
				 htons(reply ? f->reply_dport : f->orig_dport));
		flags |= FILTER_F_PORT_DST;
	}
	mnl_attr_nest_end(nlh, n);
	mnl_attr_nest_end(nlh, t);
	return flags;
}

static void tuple_filter_put(struct nlmsghdr *nlh, const struct ct_filter *f)
{
	bool ports = (f->set & F_L4PROTO) &&
		     (f->l4proto == IPPROTO_TCP || f->l4proto == IPPROTO_UDP);
	uint32_t of, rf;
	struct nlattr *n;

	of = tuple_put(nlh, CTA_TUPLE_ORIG, f, false, ports);
	rf = tuple_put(nlh, CTA_TUPLE_REPLY, f, true, ports);
	/* Unlike the tuple attributes, the flags are in host byte order. */
	n = mnl_attr_nest_start(nlh, CTA_FILTER);
	mnl_attr_put_u32(nlh, CTA_FILTER_ORIG_FLAGS, of);
	mnl_attr_put_u32(nlh, CTA_FILTER_REPLY_FLAGS, rf);
	mnl_attr_nest_end(nlh, n);
}

static void kernel_filter_put(struct nlmsghdr *nlh, const struct ct_filter *f)
{
	if (f->set & F_MARK) {
		mnl_attr_put_u32(nlh, CTA_MARK, htonl(f->mark));
		mnl_attr_put_u32(nlh, CTA_MARK_MASK, htonl(f->mark_mask));
	}
	if (f->set & F_STATUS) {
		mnl_attr_put_u32(nlh, CTA_STATUS, htonl(f->status_set));
		mnl_attr_put_u32(nlh, CTA_STATUS_MASK,
				 htonl(f->status_set | f->status_unset));
	}
	if ((f->set & F_ZONE) && f->zone)
		mnl_attr_put_u16(nlh, CTA_ZONE, htons(f->zone));
	/* The kernel refuses CTA_FILTER without a family. */
	if (f->family && (f->set & F_TUPLE))
		tuple_filter_put(nlh, f);
}

static uint8_t dump_msg_type(enum ct_table table, bool zero)
{
	switch (table) {
	case TABLE_DYING:
		return IPCTNL_MSG_CT_GET_DYING;
	case TABLE_UNCONFIRMED:
		return IPCTNL_MSG_CT_GET_UNCONFIRMED;
	default:
		return zero ? IPCTNL_MSG_CT_GET_CTRZERO : IPCTNL_MSG_CT_GET;
	}
}

int ct_dump_filtered(struct nl_sock *s, enum ct_table table,
		     const struct ct_filter *f, bool zero, ct_entry_cb cb,
		     void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct dump_ctx d = { f, cb, data };
	struct nlmsghdr *nlh;

	nlh = nl_request_put(s, buf, NFNL_SUBSYS_CTNETLINK,
			     dump_msg_type(table, zero), NLM_F_DUMP, f->family);
	/* The dying and unconfirmed dumps take no filter attributes. */
	if (table == TABLE_CONNTRACK)
		kernel_filter_put(nlh, f);
	return nl_talk(s, nlh, ct_msg_cb, &d);
}

int ct_dump_selected(struct nl_sock *s, const struct ct_filter *f,
		     ct_entry_cb cb, void *data)
{
	struct ct_filter one = *f;
	int ret;

	/* The kernel filters a tuple only within one family: without -f,
	 * one dump per family lets it skip what does not match. */
	if (f->family || !(f->set & F_TUPLE))
		return ct_dump_filtered(s, TABLE_CONNTRACK, f, false, cb, data);
	one.family = AF_INET;
	ret = ct_dump_filtered(s, TABLE_CONNTRACK, &one, false, cb, data);
	if (ret < 0)
		return ret;
	one.family = AF_INET6;
	return ct_dump_filtered(s, TABLE_CONNTRACK, &one, false, cb, data);
}

int ct_flush_filtered(struct nl_sock *s, const struct ct_filter *f)
{
	static const uint8_t families[] = { AF_INET, AF_INET6 };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct ct_filter one = *f;
	int ret = 0;

	for (unsigned i = 0; i < sizeof(families) && ret == 0; i++) {
		struct nlmsghdr *nlh;
		struct nfgenmsg *nfg;

		if (f->family && f->family != families[i])
			continue;
		one.family = families[i];
		nlh = nl_request_put(s, buf, NFNL_SUBSYS_CTNETLINK,
				     IPCTNL_MSG_CT_DELETE, NLM_F_ACK,
				     one.family);
		/* Version 1: flush this family only, not every family. */
		nfg = mnl_nlmsg_get_payload(nlh);
		nfg->version = 1;
		kernel_filter_put(nlh, &one);
		ret = nl_talk(s, nlh, NULL, NULL);
	}
	return ret;
}

/* The tuple that -G names, as attribute type (original, reply or, for an
 * expectation, its master): ports and ICMP fields only as far as given. */
static void get_tuple_put(struct nlmsghdr *nlh, uint16_t type,
			  const struct ct_filter *f, bool orig)
{
	struct ct_tuple t = {
		.l3 = f->family,
		.l4 = f->l4proto,
		.src = orig ? f->orig_src : f->reply_src,
		.dst = orig ? f->orig_dst : f->reply_dst,
		.sport = orig ? f->orig_sport : f->reply_sport,
		.dport = orig ? f->orig_dport : f->reply_dport,
		.icmp_type = f->icmp_type,
		.icmp_code = f->icmp_code,
		.icmp_id = f->icmp_id,
		.has = CT_TUPLE_ADDR | CT_TUPLE_PROTO,
	};

	if (f->set & (F_ORIG_SPORT | F_REPLY_SPORT))
		t.has |= CT_TUPLE_PORTS;
	if (f->set & F_ICMP_TYPE)
		t.has |= CT_TUPLE_ICMP;
	ct_tuple_put(nlh, type, &t);
}

int ct_get(struct nl_sock *s, const struct ct_filter *f, ct_entry_cb cb,
	   void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct dump_ctx d = { f, cb, data };
	struct nlmsghdr *nlh;
	bool orig = (f->set & (F_ORIG_SRC | F_ORIG_DST)) ==
		    (F_ORIG_SRC | F_ORIG_DST);

	nlh = nl_request_put(s, buf, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET,
			     NLM_F_ACK, f->family);
	get_tuple_put(nlh, orig ? CTA_TUPLE_ORIG : CTA_TUPLE_REPLY, f, orig);
	if (f->set & F_ZONE)
		mnl_attr_put_u16(nlh, CTA_ZONE, htons(f->zone));
	return nl_talk(s, nlh, ct_msg_cb, &d);
}

struct exp_ctx {
	ct_exp_cb cb;
	void *data;
};

static int exp_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct exp_ctx *d = data;
	struct ct_exp exp;

	if (exp_parse(nlh, &exp) < 0)
		return MNL_CB_OK;
	exp.kind = CT_MSG_DUMP;
	return d->cb(&exp, d->data) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

int exp_dump(struct nl_sock *s, uint8_t family, ct_exp_cb cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct exp_ctx d = { cb, data };
	struct nlmsghdr *nlh;

	nlh = nl_request_put(s, buf, NFNL_SUBSYS_CTNETLINK_EXP,
			     IPCTNL_MSG_EXP_GET, NLM_F_DUMP, family);
	return nl_talk(s, nlh, exp_msg_cb, &d);
}

int exp_get(struct nl_sock *s, const struct ct_filter *f, ct_exp_cb cb,
	    void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct exp_ctx d = { cb, data };
	struct nlmsghdr *nlh;

	nlh = nl_request_put(s, buf, NFNL_SUBSYS_CTNETLINK_EXP,
			     IPCTNL_MSG_EXP_GET, NLM_F_ACK, f->family);
	/* As conntrack: the tuple given is the expectation's master. */
	get_tuple_put(nlh, CTA_EXPECT_MASTER, f, true);
	return nl_talk(s, nlh, exp_msg_cb, &d);
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	uint32_t max;

	return ct_global_stats_parse(nlh, data, &max) < 0 ? MNL_CB_ERROR
							  : MNL_CB_OK;
}

int ct_count_get(struct nl_sock *s, uint32_t *count)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = nl_request_put(s, buf, NFNL_SUBSYS_CTNETLINK,
			     IPCTNL_MSG_CT_GET_STATS, NLM_F_ACK, AF_UNSPEC);
	return nl_talk(s, nlh, count_cb, count);
}

struct stat_ctx {
	bool expect;
	ct_stat_cb cb;
	void *data;
};

static int stat_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct stat_ctx *d = data;
	struct ct_stat st;
	int ret = d->expect ? exp_stat_parse(nlh, &st) : ct_stat_parse(nlh, &st);

	if (ret < 0)
		return MNL_CB_ERROR;
	return d->cb(&st, d->data) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

int ct_stats_dump(struct nl_sock *s, bool expect, ct_stat_cb cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct stat_ctx d = { expect, cb, data };
	struct nlmsghdr *nlh;

	nlh = nl_request_put(s, buf,
			     expect ? NFNL_SUBSYS_CTNETLINK_EXP
				    : NFNL_SUBSYS_CTNETLINK,
			     expect ? IPCTNL_MSG_EXP_GET_STATS_CPU
				    : IPCTNL_MSG_CT_GET_STATS_CPU,
			     NLM_F_DUMP, AF_UNSPEC);
	return nl_talk(s, nlh, stat_msg_cb, &d);
}
