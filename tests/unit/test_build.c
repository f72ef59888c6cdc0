/* test_build.c - ct_build.c: what it writes must read back through
 * ct_parse.c / exp_parse.c as the same entry (the kernel's attribute
 * layout is the parser's, which test_parse checks against the kernel's). */
#include <arpa/inet.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "ct_build.h"
#include "ct_names.h"
#include "ct_parse.h"
#include "unit.h"

static char buf[8192];

static struct nlmsghdr *msg_start(uint8_t subsys, uint8_t type, uint8_t family)
{
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (uint16_t)(subsys << 8 | type);
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = family;
	return nlh;
}

static struct ct_tuple tuple_v4(uint8_t l4, const char *src, const char *dst,
				uint16_t sport, uint16_t dport)
{
	struct ct_tuple t = { .l3 = AF_INET, .l4 = l4 };

	inet_pton(AF_INET, src, &t.src.v4);
	inet_pton(AF_INET, dst, &t.dst.v4);
	t.sport = sport;
	t.dport = dport;
	t.has = CT_TUPLE_ADDR | CT_TUPLE_PROTO | CT_TUPLE_PORTS;
	return t;
}

static bool tuple_same(const struct ct_tuple *a, const struct ct_tuple *b)
{
	return a->l3 == b->l3 && a->l4 == b->l4 &&
	       memcmp(&a->src, &b->src, sizeof(a->src)) == 0 &&
	       memcmp(&a->dst, &b->dst, sizeof(a->dst)) == 0 &&
	       a->sport == b->sport && a->dport == b->dport &&
	       a->icmp_type == b->icmp_type && a->icmp_code == b->icmp_code &&
	       a->icmp_id == b->icmp_id && a->zone == b->zone;
}

static void test_tcp_round_trip(void)
{
	struct ct_entry in = { 0 }, out;
	struct nlmsghdr *nlh = msg_start(NFNL_SUBSYS_CTNETLINK,
					 IPCTNL_MSG_CT_NEW, AF_INET);

	in.orig = tuple_v4(6, "10.0.0.1", "10.0.0.2", 1234, 80);
	in.orig.zone = 7;
	in.orig.has |= CT_TUPLE_ZONE;
	in.reply = tuple_v4(6, "10.0.0.2", "10.0.0.1", 80, 1234);
	in.status = 0x0e;
	in.timeout = 300;
	in.mark = 0xdeadbeef;
	in.zone = 3;
	in.id = 42;
	in.tcp.state = 3;
	in.has = CT_A_ORIG | CT_A_REPLY | CT_A_STATUS | CT_A_TIMEOUT |
		 CT_A_MARK | CT_A_ZONE | CT_A_ID | CT_A_TCP;
	ct_attrs_put(nlh, &in);
	UNIT_CHECK(ct_parse(nlh, &out) == 0, "tcp entry parses back");
	UNIT_CHECK(tuple_same(&in.orig, &out.orig), "original tuple and its zone");
	UNIT_CHECK(tuple_same(&in.reply, &out.reply), "reply tuple");
	UNIT_CHECK(out.status == in.status && out.timeout == 300 &&
			   out.mark == 0xdeadbeef && out.zone == 3 &&
			   out.id == 42,
		   "status, timeout, mark, zone and id");
	UNIT_CHECK((out.has & CT_A_TCP) && out.tcp.state == 3, "tcp state");
}

static void test_sctp_vtags(void)
{
	struct ct_entry in = { 0 }, out;
	struct nlmsghdr *nlh = msg_start(NFNL_SUBSYS_CTNETLINK,
					 IPCTNL_MSG_CT_NEW, AF_INET);

	in.orig = tuple_v4(132, "10.0.0.1", "10.0.0.2", 5, 6);
	in.sctp.state = 3;
	in.sctp.vtag_orig = 0x01020304;
	in.sctp.vtag_reply = 0xa0b0c0d0;
	in.has = CT_A_ORIG | CT_A_SCTP | CT_A_SCTP_VTAG;
	ct_attrs_put(nlh, &in);
	UNIT_CHECK(ct_parse(nlh, &out) == 0, "sctp entry parses back");
	UNIT_CHECK(out.sctp.state == 3 && out.sctp.vtag_orig == 0x01020304 &&
			   out.sctp.vtag_reply == 0xa0b0c0d0,
		   "sctp state and verification tags");
}

static void test_icmpv6_tuple(void)
{
	struct ct_entry in = { 0 }, out;
	struct nlmsghdr *nlh = msg_start(NFNL_SUBSYS_CTNETLINK,
					 IPCTNL_MSG_CT_NEW, AF_INET6);

	in.orig.l3 = AF_INET6;
	in.orig.l4 = 58;
	inet_pton(AF_INET6, "2001:db8::1", in.orig.src.b);
	inet_pton(AF_INET6, "2001:db8::2", in.orig.dst.b);
	in.orig.icmp_type = 128;
	in.orig.icmp_code = 0;
	in.orig.icmp_id = 777;
	in.orig.has = CT_TUPLE_ADDR | CT_TUPLE_PROTO | CT_TUPLE_ICMP;
	in.has = CT_A_ORIG;
	ct_attrs_put(nlh, &in);
	UNIT_CHECK(ct_parse(nlh, &out) == 0 && tuple_same(&in.orig, &out.orig),
		   "icmpv6 tuple with type, code and id");
}

static void test_expectation(void)
{
	struct ct_exp in = { 0 }, out;
	struct nlmsghdr *nlh = msg_start(NFNL_SUBSYS_CTNETLINK_EXP,
					 IPCTNL_MSG_EXP_NEW, AF_INET);

	in.master = tuple_v4(6, "10.0.0.1", "10.0.0.2", 1000, 21);
	in.tuple = tuple_v4(6, "10.0.0.2", "10.0.0.1", 0, 2000);
	in.mask = tuple_v4(6, "255.255.255.255", "255.255.255.255", 0, 0xffff);
	in.timeout = 60;
	in.zone = 9;
	in.has = CT_EXP_A_MASTER | CT_EXP_A_TUPLE | CT_EXP_A_MASK |
		 CT_EXP_A_TIMEOUT | CT_EXP_A_ZONE;
	exp_attrs_put(nlh, &in);
	UNIT_CHECK(exp_parse(nlh, &out) == 0, "expectation parses back");
	UNIT_CHECK(tuple_same(&in.master, &out.master) &&
			   tuple_same(&in.tuple, &out.tuple) &&
			   tuple_same(&in.mask, &out.mask),
		   "master, tuple and mask");
	UNIT_CHECK(out.timeout == 60 && out.zone == 9, "timeout and zone");
}

static void test_icmp_reply_type(void)
{
	UNIT_CHECK(ct_icmp_reply_type(1, 8) == 0 && ct_icmp_reply_type(1, 0) == 8,
		   "echo request and reply answer each other");
	UNIT_CHECK(ct_icmp_reply_type(1, 13) == 14, "timestamp request");
	UNIT_CHECK(ct_icmp_reply_type(58, 128) == 129, "icmpv6 echo request");
	UNIT_CHECK(ct_icmp_reply_type(1, 3) == 3, "a type without answer");
}

static void test_tuple_from_filter(void)
{
	struct ct_filter f = { .family = AF_INET, .l4proto = 1 };
	struct ct_tuple t = { 0 };

	inet_pton(AF_INET, "192.0.2.1", &f.reply_src.v4);
	inet_pton(AF_INET, "192.0.2.2", &f.reply_dst.v4);
	f.icmp_type = 8;
	f.icmp_id = 5;
	ct_tuple_from_filter(&t, &f, true);
	UNIT_CHECK(t.has == (CT_TUPLE_ADDR | CT_TUPLE_PROTO | CT_TUPLE_ICMP),
		   "icmp tuple has addresses, protocol and icmp fields");
	UNIT_CHECK(t.icmp_type == 0 && t.icmp_id == 5,
		   "the reply direction answers the query");
}

int main(void)
{
	test_tcp_round_trip();
	test_sctp_vtags();
	test_icmpv6_tuple();
	test_expectation();
	test_icmp_reply_type();
	test_tuple_from_filter();
	UNIT_DONE();
}
