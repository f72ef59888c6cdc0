/* ct_build.c - ctnetlink attributes from ct.h structs. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "ct_build.h"
#include "ct_names.h"

void ct_addr_put(struct nlmsghdr *nlh, uint8_t l3, uint16_t v4, uint16_t v6,
		 const union ct_addr *a)
{
	if (l3 == AF_INET)
		mnl_attr_put_u32(nlh, v4, a->v4);
	else
		mnl_attr_put(nlh, v6, sizeof(a->v6), a->v6);
}

static void icmp_put(struct nlmsghdr *nlh, const struct ct_tuple *t)
{
	bool v6 = t->l4 == IPPROTO_ICMPV6;

	mnl_attr_put_u8(nlh, v6 ? CTA_PROTO_ICMPV6_TYPE : CTA_PROTO_ICMP_TYPE,
			t->icmp_type);
	mnl_attr_put_u8(nlh, v6 ? CTA_PROTO_ICMPV6_CODE : CTA_PROTO_ICMP_CODE,
			t->icmp_code);
	mnl_attr_put_u16(nlh, v6 ? CTA_PROTO_ICMPV6_ID : CTA_PROTO_ICMP_ID,
			 htons(t->icmp_id));
}

void ct_tuple_put(struct nlmsghdr *nlh, uint16_t type,
		  const struct ct_tuple *t)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type), *n;

	if (t->has & CT_TUPLE_ADDR) {
		n = mnl_attr_nest_start(nlh, CTA_TUPLE_IP);
		ct_addr_put(nlh, t->l3, CTA_IP_V4_SRC, CTA_IP_V6_SRC, &t->src);
		ct_addr_put(nlh, t->l3, CTA_IP_V4_DST, CTA_IP_V6_DST, &t->dst);
		mnl_attr_nest_end(nlh, n);
	}
	if (t->has & CT_TUPLE_PROTO) {
		n = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);
		mnl_attr_put_u8(nlh, CTA_PROTO_NUM, t->l4);
		if (t->has & CT_TUPLE_PORTS) {
			mnl_attr_put_u16(nlh, CTA_PROTO_SRC_PORT, htons(t->sport));
			mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT, htons(t->dport));
		}
		if (t->has & CT_TUPLE_ICMP)
			icmp_put(nlh, t);
		mnl_attr_nest_end(nlh, n);
	}
	if (t->has & CT_TUPLE_ZONE)
		mnl_attr_put_u16(nlh, CTA_TUPLE_ZONE, htons(t->zone));
	mnl_attr_nest_end(nlh, nest);
}

static void protoinfo_put(struct nlmsghdr *nlh, const struct ct_entry *ct)
{
	struct nlattr *pi, *n;

	if (!(ct->has & (CT_A_TCP | CT_A_SCTP | CT_A_DCCP)))
		return;
	pi = mnl_attr_nest_start(nlh, CTA_PROTOINFO);
	if (ct->has & CT_A_TCP) {
		n = mnl_attr_nest_start(nlh, CTA_PROTOINFO_TCP);
		mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_STATE, ct->tcp.state);
	} else if (ct->has & CT_A_SCTP) {
		n = mnl_attr_nest_start(nlh, CTA_PROTOINFO_SCTP);
		mnl_attr_put_u8(nlh, CTA_PROTOINFO_SCTP_STATE, ct->sctp.state);
		if (ct->has & CT_A_SCTP_VTAG) {
			mnl_attr_put_u32(nlh, CTA_PROTOINFO_SCTP_VTAG_ORIGINAL,
					 htonl(ct->sctp.vtag_orig));
			mnl_attr_put_u32(nlh, CTA_PROTOINFO_SCTP_VTAG_REPLY,
					 htonl(ct->sctp.vtag_reply));
		}
	} else {
		n = mnl_attr_nest_start(nlh, CTA_PROTOINFO_DCCP);
		mnl_attr_put_u8(nlh, CTA_PROTOINFO_DCCP_STATE, ct->dccp.state);
	}
	mnl_attr_nest_end(nlh, n);
	mnl_attr_nest_end(nlh, pi);
}

void ct_attrs_put(struct nlmsghdr *nlh, const struct ct_entry *ct)
{
	if (ct->has & CT_A_ORIG)
		ct_tuple_put(nlh, CTA_TUPLE_ORIG, &ct->orig);
	if (ct->has & CT_A_REPLY)
		ct_tuple_put(nlh, CTA_TUPLE_REPLY, &ct->reply);
	if (ct->has & CT_A_STATUS)
		mnl_attr_put_u32(nlh, CTA_STATUS, htonl(ct->status));
	if (ct->has & CT_A_TIMEOUT)
		mnl_attr_put_u32(nlh, CTA_TIMEOUT, htonl(ct->timeout));
	if (ct->has & CT_A_MARK)
		mnl_attr_put_u32(nlh, CTA_MARK, htonl(ct->mark));
	if (ct->has & CT_A_ZONE)
		mnl_attr_put_u16(nlh, CTA_ZONE, htons(ct->zone));
	if (ct->has & CT_A_ID)
		mnl_attr_put_u32(nlh, CTA_ID, htonl(ct->id));
	protoinfo_put(nlh, ct);
}

void ct_labels_put(struct nlmsghdr *nlh, const uint8_t *bits,
		   const uint8_t *mask)
{
	mnl_attr_put(nlh, CTA_LABELS, 16, bits);
	mnl_attr_put(nlh, CTA_LABELS_MASK, 16, mask);
}

void ct_nat_put(struct nlmsghdr *nlh, uint16_t type, const struct nat_match *m)
{
	struct nlattr *nat = mnl_attr_nest_start(nlh, type), *n;

	if (m->family == AF_INET) {
		mnl_attr_put_u32(nlh, CTA_NAT_V4_MINIP, m->addr.v4);
		mnl_attr_put_u32(nlh, CTA_NAT_V4_MAXIP, m->addr.v4);
	} else {
		mnl_attr_put(nlh, CTA_NAT_V6_MINIP, 16, m->addr.v6);
		mnl_attr_put(nlh, CTA_NAT_V6_MAXIP, 16, m->addr.v6);
	}
	if (m->has_port) {
		n = mnl_attr_nest_start(nlh, CTA_NAT_PROTO);
		mnl_attr_put_u16(nlh, CTA_PROTONAT_PORT_MIN, htons(m->port));
		mnl_attr_put_u16(nlh, CTA_PROTONAT_PORT_MAX, htons(m->port));
		mnl_attr_nest_end(nlh, n);
	}
	mnl_attr_nest_end(nlh, nat);
}

void exp_attrs_put(struct nlmsghdr *nlh, const struct ct_exp *exp)
{
	if (exp->has & CT_EXP_A_MASTER)
		ct_tuple_put(nlh, CTA_EXPECT_MASTER, &exp->master);
	if (exp->has & CT_EXP_A_TUPLE)
		ct_tuple_put(nlh, CTA_EXPECT_TUPLE, &exp->tuple);
	if (exp->has & CT_EXP_A_MASK)
		ct_tuple_put(nlh, CTA_EXPECT_MASK, &exp->mask);
	if (exp->has & CT_EXP_A_TIMEOUT)
		mnl_attr_put_u32(nlh, CTA_EXPECT_TIMEOUT, htonl(exp->timeout));
	if (exp->has & CT_EXP_A_ZONE)
		mnl_attr_put_u16(nlh, CTA_EXPECT_ZONE, htons(exp->zone));
	if (exp->has & CT_EXP_A_FLAGS)
		mnl_attr_put_u32(nlh, CTA_EXPECT_FLAGS, htonl(exp->flags));
	if (exp->has & CT_EXP_A_HELPER)
		mnl_attr_put_strz(nlh, CTA_EXPECT_HELP_NAME, exp->helper);
}

/* The reply direction of an ICMP(v6) query is the matching answer. */
uint8_t ct_icmp_reply_type(uint8_t l4, uint8_t type)
{
	static const uint8_t v4[][2] = { { 8, 0 }, { 13, 14 }, { 15, 16 },
					 { 17, 18 } };
	static const uint8_t v6[][2] = { { 128, 129 }, { 139, 140 } };
	const uint8_t(*map)[2] = l4 == IPPROTO_ICMPV6 ? v6 : v4;
	size_t n = l4 == IPPROTO_ICMPV6 ? 2 : 4;

	for (size_t i = 0; i < n; i++) {
		if (map[i][0] == type)
			return map[i][1];
		if (map[i][1] == type)
			return map[i][0];
	}
	return type;
}

void ct_tuple_from_filter(struct ct_tuple *t, const struct ct_filter *f,
			  bool reply)
{
	enum proto_kind kind = proto_kind_of(f->l4proto);

	t->l3 = f->family;
	t->l4 = f->l4proto;
	t->src = reply ? f->reply_src : f->orig_src;
	t->dst = reply ? f->reply_dst : f->orig_dst;
	t->has |= CT_TUPLE_ADDR | CT_TUPLE_PROTO;
	if (kind & (PK_PORTS | PK_GRE)) {
		t->sport = reply ? f->reply_sport : f->orig_sport;
		t->dport = reply ? f->reply_dport : f->orig_dport;
		t->has |= CT_TUPLE_PORTS;
	}
	if (kind & (PK_ICMP | PK_ICMPV6)) {
		t->icmp_type = f->icmp_type;
		t->icmp_code = f->icmp_code;
		t->icmp_id = f->icmp_id;
		if (reply)
			t->icmp_type = ct_icmp_reply_type(t->l4, t->icmp_type);
		t->has |= CT_TUPLE_ICMP;
	}
}

