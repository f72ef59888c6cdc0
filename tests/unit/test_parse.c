/* test_parse.c - ct_parse.c against messages built with libmnl the way the
 * kernel lays them out (big-endian integers, nested tuples, PAD attrs). */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "ct_parse.h"
#include "unit.h"

static char buf[8192];

static struct nlmsghdr *msg_start(uint8_t subsys, uint8_t type,
				  uint16_t flags, uint8_t family)
{
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (subsys << 8) | type;
	nlh->nlmsg_flags = flags;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = family;
	nfg->version = NFNETLINK_V0;
	return nlh;
}

static struct nlmsghdr *ct_msg(uint8_t type, uint16_t flags, uint8_t family)
{
	return msg_start(NFNL_SUBSYS_CTNETLINK, type, flags, family);
}

static void put_u64(struct nlmsghdr *nlh, uint16_t type, uint64_t v,
		    uint16_t pad)
{
	mnl_attr_put_u32(nlh, pad, 0);   /* as nla_put_64bit aligns */
	mnl_attr_put_u64(nlh, type, htobe64(v));
}

struct tup {
	uint8_t l3, l4;
	const char *src, *dst;
	uint16_t sport, dport;
	int zone;                   /* < 0: no CTA_TUPLE_ZONE */
};

static void put_ip(struct nlmsghdr *nlh, const struct tup *t)
{
	struct nlattr *ip = mnl_attr_nest_start(nlh, CTA_TUPLE_IP);
	uint8_t a[16];

	if (t->l3 == AF_INET) {
		inet_pton(AF_INET, t->src, a);
		mnl_attr_put(nlh, CTA_IP_V4_SRC, 4, a);
		inet_pton(AF_INET, t->dst, a);
		mnl_attr_put(nlh, CTA_IP_V4_DST, 4, a);
	} else {
		inet_pton(AF_INET6, t->src, a);
		mnl_attr_put(nlh, CTA_IP_V6_SRC, 16, a);
		inet_pton(AF_INET6, t->dst, a);
		mnl_attr_put(nlh, CTA_IP_V6_DST, 16, a);
	}
	mnl_attr_nest_end(nlh, ip);
}

/* Ports, or for icmp/icmpv6 sport = type << 8 | code, dport = id. */
static void put_proto(struct nlmsghdr *nlh, const struct tup *t, int num)
{
	struct nlattr *p = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);
	int v6 = t->l4 == IPPROTO_ICMPV6;

	if (num)
		mnl_attr_put_u8(nlh, CTA_PROTO_NUM, t->l4);
	if (t->l4 == IPPROTO_ICMP || v6) {
		mnl_attr_put_u16(nlh, v6 ? CTA_PROTO_ICMPV6_ID :
				 CTA_PROTO_ICMP_ID, htons(t->dport));
		mnl_attr_put_u8(nlh, v6 ? CTA_PROTO_ICMPV6_TYPE :
				CTA_PROTO_ICMP_TYPE, t->sport >> 8);
		mnl_attr_put_u8(nlh, v6 ? CTA_PROTO_ICMPV6_CODE :
				CTA_PROTO_ICMP_CODE, t->sport & 0xff);
	} else {
		mnl_attr_put_u16(nlh, CTA_PROTO_SRC_PORT, htons(t->sport));
		mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT, htons(t->dport));
	}
	mnl_attr_nest_end(nlh, p);
}

static void put_tuple_num(struct nlmsghdr *nlh, uint16_t type,
			  const struct tup *t, int num)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, type);

	put_ip(nlh, t);
	put_proto(nlh, t, num);
	if (t->zone >= 0)
		mnl_attr_put_u16(nlh, CTA_TUPLE_ZONE, htons(t->zone));
	mnl_attr_nest_end(nlh, n);
}

static void put_tuple(struct nlmsghdr *nlh, uint16_t type,
		      const struct tup *t)
{
	put_tuple_num(nlh, type, t, 1);
}

static int addr_is(int family, const union ct_addr *a, const char *text)
{
	uint8_t want[16];

	inet_pton(family, text, want);
	return memcmp(a, want, family == AF_INET ? 4 : 16) == 0;
}

static void check_tuple(const struct ct_tuple *got, const struct tup *t,
			uint8_t has, const char *name)
{
	char n[128];

#define TCHECK(cond, what) \
	do { snprintf(n, sizeof(n), "%s %s", name, what); \
	     UNIT_CHECK(cond, n); } while (0)
	TCHECK(got->l3 == t->l3, "l3");
	TCHECK(got->l4 == t->l4, "l4");
	TCHECK(got->has == has, "has");
	TCHECK(addr_is(t->l3, &got->src, t->src), "src");
	TCHECK(addr_is(t->l3, &got->dst, t->dst), "dst");
	if (has & CT_TUPLE_ICMP) {
		TCHECK(got->icmp_type == t->sport >> 8, "icmp type");
		TCHECK(got->icmp_code == (t->sport & 0xff), "icmp code");
		TCHECK(got->icmp_id == t->dport, "icmp id");
		TCHECK(got->sport == 0 && got->dport == 0, "no ports");
	} else {
		TCHECK(got->sport == t->sport, "sport");
		TCHECK(got->dport == t->dport, "dport");
	}
	TCHECK(got->zone == (t->zone < 0 ? 0 : t->zone), "zone");
#undef TCHECK
}

#define PORTS_HAS (CT_TUPLE_ADDR | CT_TUPLE_PROTO | CT_TUPLE_PORTS)
#define ICMP_HAS (CT_TUPLE_ADDR | CT_TUPLE_PROTO | CT_TUPLE_ICMP)

static const uint8_t labels[16] = {
	0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
};

static void put_tcp_info(struct nlmsghdr *nlh)
{
	struct nlattr *pi = mnl_attr_nest_start(nlh, CTA_PROTOINFO);
	struct nlattr *tcp = mnl_attr_nest_start(nlh, CTA_PROTOINFO_TCP);
	struct nf_ct_tcp_flags fo = { 0x0a, 0x0a }, fr = { 0x23, 0x23 };

	mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_STATE, 3);
	mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_WSCALE_ORIGINAL, 7);
	mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_WSCALE_REPLY, 10);
	mnl_attr_put(nlh, CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, sizeof(fo), &fo);
	mnl_attr_put(nlh, CTA_PROTOINFO_TCP_FLAGS_REPLY, sizeof(fr), &fr);
	mnl_attr_nest_end(nlh, tcp);
	mnl_attr_nest_end(nlh, pi);
}

static void put_counters(struct nlmsghdr *nlh, uint16_t type,
			 uint64_t packets, uint64_t bytes)
{
	struct nlattr *c = mnl_attr_nest_start(nlh, type);

	put_u64(nlh, CTA_COUNTERS_PACKETS, packets, CTA_COUNTERS_PAD);
	put_u64(nlh, CTA_COUNTERS_BYTES, bytes, CTA_COUNTERS_PAD);
	mnl_attr_nest_end(nlh, c);
}

static void put_seqadj(struct nlmsghdr *nlh, uint16_t type, uint32_t base)
{
	struct nlattr *s = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u32(nlh, CTA_SEQADJ_CORRECTION_POS, htonl(base));
	mnl_attr_put_u32(nlh, CTA_SEQADJ_OFFSET_BEFORE, htonl(base + 1));
	mnl_attr_put_u32(nlh, CTA_SEQADJ_OFFSET_AFTER, htonl(base + 2));
	mnl_attr_nest_end(nlh, s);
}

static void put_named_nest(struct nlmsghdr *nlh, uint16_t type,
			   uint16_t name_type, const char *name)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_strz(nlh, name_type, name);
	if (type == CTA_HELP)    /* helper-private data, skipped */
		mnl_attr_put_u32(nlh, CTA_HELP_INFO, 0xdeadbeef);
	mnl_attr_nest_end(nlh, n);
}

static void put_timestamps(struct nlmsghdr *nlh)
{
	struct nlattr *ts = mnl_attr_nest_start(nlh, CTA_TIMESTAMP);

	put_u64(nlh, CTA_TIMESTAMP_START, 1700000000123456789ull,
		CTA_TIMESTAMP_PAD);
	put_u64(nlh, CTA_TIMESTAMP_STOP, 1700000005000000000ull,
		CTA_TIMESTAMP_PAD);
	mnl_attr_nest_end(nlh, ts);
}

static const struct tup tcp_o = { AF_INET, IPPROTO_TCP, "1.1.1.1",
				  "2.2.2.2", 10, 443, 4 };
static const struct tup tcp_r = { AF_INET, IPPROTO_TCP, "2.2.2.2",
				  "1.1.1.1", 443, 10, -1 };
static const struct tup tcp_m = { AF_INET, IPPROTO_TCP, "1.1.1.1",
				  "2.2.2.2", 1000, 21, -1 };

static void build_tcp_full(void)
{
	struct nlmsghdr *nlh = ct_msg(IPCTNL_MSG_CT_NEW, NLM_F_MULTI, AF_INET);

	put_tuple(nlh, CTA_TUPLE_ORIG, &tcp_o);
	put_tuple(nlh, CTA_TUPLE_REPLY, &tcp_r);
	mnl_attr_put_u16(nlh, CTA_ZONE, htons(3));
	mnl_attr_put_u32(nlh, CTA_STATUS, htonl(IPS_SEEN_REPLY |
						IPS_ASSURED |
						IPS_CONFIRMED));
	mnl_attr_put_u32(nlh, CTA_TIMEOUT, htonl(99));
	put_tcp_info(nlh);
	put_named_nest(nlh, CTA_HELP, CTA_HELP_NAME, "ftp");
	mnl_attr_put_u32(nlh, CTA_MARK, htonl(5));
	mnl_attr_put_u32(nlh, CTA_SECMARK, htonl(77));
	put_named_nest(nlh, CTA_SECCTX, CTA_SECCTX_NAME, "system_u:obj");
	mnl_attr_put(nlh, CTA_LABELS, sizeof(labels), labels);
	put_seqadj(nlh, CTA_SEQ_ADJ_ORIG, 100);
	put_seqadj(nlh, CTA_SEQ_ADJ_REPLY, 200);
	mnl_attr_nest_end(nlh, mnl_attr_nest_start(nlh, CTA_SYNPROXY));
	mnl_attr_put_u32(nlh, CTA_ID, htonl(3000000000u));
	mnl_attr_put_u32(nlh, CTA_USE, htonl(2));
	put_tuple(nlh, CTA_TUPLE_MASTER, &tcp_m);
	put_counters(nlh, CTA_COUNTERS_ORIG, 5000000000ull, 123456789012ull);
	put_counters(nlh, CTA_COUNTERS_REPLY, 7, 420);
	put_timestamps(nlh);
}

static void test_tcp_full(void)
{
	struct ct_entry ct;

	build_tcp_full();
	UNIT_CHECK(ct_parse((struct nlmsghdr *)buf, &ct) == 0, "tcp: parses");
	UNIT_CHECK(ct.has == (CT_A_ORIG | CT_A_REPLY | CT_A_STATUS |
			      CT_A_TIMEOUT | CT_A_MARK | CT_A_USE | CT_A_ID |
			      CT_A_ZONE | CT_A_SECMARK | CT_A_SECCTX |
			      CT_A_COUNTERS | CT_A_TIMESTAMP | CT_A_TS_STOP |
			      CT_A_LABELS | CT_A_HELPER | CT_A_TCP |
			      CT_A_MASTER | CT_A_SEQADJ | CT_A_SYNPROXY),
		   "tcp: has");
	UNIT_CHECK(ct.family == AF_INET, "tcp: family");
	UNIT_CHECK(ct.kind == CT_MSG_DUMP, "tcp: NLM_F_MULTI is a dump");
	check_tuple(&ct.orig, &tcp_o, PORTS_HAS | CT_TUPLE_ZONE, "tcp orig");
	check_tuple(&ct.reply, &tcp_r, PORTS_HAS, "tcp reply");
	check_tuple(&ct.master, &tcp_m, PORTS_HAS, "tcp master");
	UNIT_CHECK(ct.status == (IPS_SEEN_REPLY | IPS_ASSURED |
				 IPS_CONFIRMED), "tcp: status");
	UNIT_CHECK(ct.timeout == 99, "tcp: timeout");
	UNIT_CHECK(ct.mark == 5, "tcp: mark");
	UNIT_CHECK(ct.secmark == 77, "tcp: secmark");
	UNIT_CHECK(ct.use == 2, "tcp: use");
	UNIT_CHECK(ct.id == 3000000000u, "tcp: id");
	UNIT_CHECK(ct.zone == 3, "tcp: zone");
	UNIT_CHECK(ct.tcp.state == 3, "tcp: state");
	UNIT_CHECK(ct.tcp.wscale_orig == 7 && ct.tcp.wscale_reply == 10,
		   "tcp: wscale");
	UNIT_CHECK(ct.tcp.flags_orig == 0x0a && ct.tcp.flags_reply == 0x23,
		   "tcp: flags");
	UNIT_CHECK(ct.packets[0] == 5000000000ull &&
		   ct.bytes[0] == 123456789012ull, "tcp: orig counters");
	UNIT_CHECK(ct.packets[1] == 7 && ct.bytes[1] == 420,
		   "tcp: reply counters");
	UNIT_CHECK(ct.ts_start == 1700000000123456789ull, "tcp: ts start");
	UNIT_CHECK(ct.ts_stop == 1700000005000000000ull, "tcp: ts stop");
	UNIT_CHECK(ct.labels_len == 16 &&
		   memcmp(ct.labels, labels, 16) == 0, "tcp: labels");
	UNIT_CHECK_STR(ct.helper, "ftp", "tcp: helper");
	UNIT_CHECK_STR(ct.secctx, "system_u:obj", "tcp: secctx");
	UNIT_CHECK(ct.seqadj[0].correction_pos == 100 &&
		   ct.seqadj[0].offset_before == 101 &&
		   ct.seqadj[0].offset_after == 102, "tcp: seqadj orig");
	UNIT_CHECK(ct.seqadj[1].correction_pos == 200 &&
		   ct.seqadj[1].offset_before == 201 &&
		   ct.seqadj[1].offset_after == 202, "tcp: seqadj reply");
	UNIT_CHECK(ct.sctp.state == 0 && ct.dccp.state == 0,
		   "tcp: no other protoinfo");
}

/* A message with just the two tuples and a status. */
static struct nlmsghdr *simple(uint8_t type, uint16_t flags,
			       const struct tup *o, const struct tup *r)
{
	struct nlmsghdr *nlh = ct_msg(type, flags, o->l3);

	put_tuple(nlh, CTA_TUPLE_ORIG, o);
	put_tuple(nlh, CTA_TUPLE_REPLY, r);
	mnl_attr_put_u32(nlh, CTA_STATUS, htonl(IPS_CONFIRMED));
	return nlh;
}

static void test_udp6_new(void)
{
	const struct tup o = { AF_INET6, IPPROTO_UDP, "2001:db8::1",
			       "2001:db8::2", 53, 5353, -1 };
	const struct tup r = { AF_INET6, IPPROTO_UDP, "2001:db8::2",
			       "2001:db8::1", 5353, 53, -1 };
	struct nlmsghdr *nlh = simple(IPCTNL_MSG_CT_NEW,
				      NLM_F_CREATE | NLM_F_EXCL, &o, &r);
	struct ct_entry ct;

	UNIT_CHECK(ct_parse(nlh, &ct) == 0, "udp6: parses");
	UNIT_CHECK(ct.family == AF_INET6, "udp6: family");
	UNIT_CHECK(ct.kind == CT_MSG_NEW, "udp6: CREATE|EXCL is new");
	UNIT_CHECK(ct.has == (CT_A_ORIG | CT_A_REPLY | CT_A_STATUS),
		   "udp6: has");
	check_tuple(&ct.orig, &o, PORTS_HAS, "udp6 orig");
	check_tuple(&ct.reply, &r, PORTS_HAS, "udp6 reply");
}

static void test_icmp_update(void)
{
	const struct tup o = { AF_INET, IPPROTO_ICMP, "10.0.0.1",
			       "10.0.0.2", 8 << 8, 77, -1 };
	const struct tup r = { AF_INET, IPPROTO_ICMP, "10.0.0.2",
			       "10.0.0.1", 0, 77, -1 };
	struct nlmsghdr *nlh = simple(IPCTNL_MSG_CT_NEW, 0, &o, &r);
	struct ct_entry ct;

	UNIT_CHECK(ct_parse(nlh, &ct) == 0, "icmp: parses");
	UNIT_CHECK(ct.kind == CT_MSG_UPDATE, "icmp: NEW without CREATE is "
		   "an update");
	check_tuple(&ct.orig, &o, ICMP_HAS, "icmp orig");
	check_tuple(&ct.reply, &r, ICMP_HAS, "icmp reply");
}

/* Destroy event with the old 32-bit counters. */
static void test_icmpv6_destroy(void)
{
	const struct tup o = { AF_INET6, IPPROTO_ICMPV6, "::1", "::2",
			       128 << 8 | 3, 99, -1 };
	const struct tup r = { AF_INET6, IPPROTO_ICMPV6, "::2", "::1",
			       129 << 8, 99, -1 };
	struct nlmsghdr *nlh = simple(IPCTNL_MSG_CT_DELETE, 0, &o, &r);
	struct nlattr *c = mnl_attr_nest_start(nlh, CTA_COUNTERS_REPLY);
	struct ct_entry ct;

	mnl_attr_put_u32(nlh, CTA_COUNTERS32_PACKETS, htonl(3));
	mnl_attr_put_u32(nlh, CTA_COUNTERS32_BYTES, htonl(4000000000u));
	mnl_attr_nest_end(nlh, c);
	UNIT_CHECK(ct_parse(nlh, &ct) == 0, "icmpv6: parses");
	UNIT_CHECK(ct.kind == CT_MSG_DESTROY, "icmpv6: DELETE is destroy");
	check_tuple(&ct.orig, &o, ICMP_HAS, "icmpv6 orig");
	check_tuple(&ct.reply, &r, ICMP_HAS, "icmpv6 reply");
	UNIT_CHECK(ct.has & CT_A_COUNTERS, "icmpv6: counters32 present");
	UNIT_CHECK(ct.packets[0] == 0 && ct.bytes[0] == 0,
		   "icmpv6: orig counters absent");
	UNIT_CHECK(ct.packets[1] == 3 && ct.bytes[1] == 4000000000u,
		   "icmpv6: 32-bit counters");
}

static void test_gre(void)
{
	const struct tup o = { AF_INET, IPPROTO_GRE, "7.7.7.7", "8.8.8.8",
			       11, 0xfffe, -1 };
	const struct tup r = { AF_INET, IPPROTO_GRE, "8.8.8.8", "7.7.7.7",
			       0xfffe, 11, -1 };
	struct ct_entry ct;

	UNIT_CHECK(ct_parse(simple(IPCTNL_MSG_CT_NEW, NLM_F_MULTI, &o, &r),
			    &ct) == 0, "gre: parses");
	check_tuple(&ct.orig, &o, PORTS_HAS, "gre orig keys");
	check_tuple(&ct.reply, &r, PORTS_HAS, "gre reply keys");
}

static void test_sctp(void)
{
	const struct tup o = { AF_INET, IPPROTO_SCTP, "3.3.3.3", "4.4.4.4",
			       100, 200, -1 };
	const struct tup r = { AF_INET, IPPROTO_SCTP, "4.4.4.4", "3.3.3.3",
			       200, 100, -1 };
	struct nlmsghdr *nlh = simple(IPCTNL_MSG_CT_NEW, NLM_F_MULTI, &o, &r);
	struct nlattr *pi = mnl_attr_nest_start(nlh, CTA_PROTOINFO);
	struct nlattr *s = mnl_attr_nest_start(nlh, CTA_PROTOINFO_SCTP);
	struct ct_entry ct;

	mnl_attr_put_u8(nlh, CTA_PROTOINFO_SCTP_STATE, 3);
	mnl_attr_put_u32(nlh, CTA_PROTOINFO_SCTP_VTAG_ORIGINAL,
			 htonl(0x12345678));
	mnl_attr_put_u32(nlh, CTA_PROTOINFO_SCTP_VTAG_REPLY, htonl(5678));
	mnl_attr_nest_end(nlh, s);
	mnl_attr_nest_end(nlh, pi);
	UNIT_CHECK(ct_parse(nlh, &ct) == 0, "sctp: parses");
	check_tuple(&ct.orig, &o, PORTS_HAS, "sctp orig");
	UNIT_CHECK(ct.has & CT_A_SCTP, "sctp: protoinfo present");
	UNIT_CHECK(!(ct.has & (CT_A_TCP | CT_A_DCCP)), "sctp: only sctp");
	UNIT_CHECK(ct.sctp.state == 3, "sctp: state");
	UNIT_CHECK(ct.sctp.vtag_orig == 0x12345678, "sctp: vtag orig");
	UNIT_CHECK(ct.sctp.vtag_reply == 5678, "sctp: vtag reply");
}

static void test_dccp(void)
{
	const struct tup o = { AF_INET, IPPROTO_DCCP, "5.5.5.5", "6.6.6.6",
			       300, 400, -1 };
	const struct tup r = { AF_INET, IPPROTO_DCCP, "6.6.6.6", "5.5.5.5",
			       400, 300, -1 };
	struct nlmsghdr *nlh = simple(IPCTNL_MSG_CT_NEW, NLM_F_MULTI, &o, &r);
	struct nlattr *pi = mnl_attr_nest_start(nlh, CTA_PROTOINFO);
	struct nlattr *d = mnl_attr_nest_start(nlh, CTA_PROTOINFO_DCCP);
	struct ct_entry ct;

	mnl_attr_put_u8(nlh, CTA_PROTOINFO_DCCP_STATE, 4);
	mnl_attr_put_u8(nlh, CTA_PROTOINFO_DCCP_ROLE, 1);
	put_u64(nlh, CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ, 0x0102030405060708ull,
		CTA_PROTOINFO_DCCP_PAD);
	mnl_attr_nest_end(nlh, d);
	mnl_attr_nest_end(nlh, pi);
	UNIT_CHECK(ct_parse(nlh, &ct) == 0, "dccp: parses");
	check_tuple(&ct.orig, &o, PORTS_HAS, "dccp orig");
	check_tuple(&ct.reply, &r, PORTS_HAS, "dccp reply");
	UNIT_CHECK((ct.has & (CT_A_TCP | CT_A_SCTP | CT_A_DCCP)) == CT_A_DCCP,
		   "dccp: protoinfo present");
	UNIT_CHECK(ct.dccp.state == 4 && ct.dccp.role == 1, "dccp: state");
	UNIT_CHECK(ct.dccp.handshake_seq == 0x0102030405060708ull,
		   "dccp: handshake seq");
}

/* Future kernels: unknown numbers at the top level and inside nests. */
static void test_unknown(void)
{
	const struct tup r = { AF_INET, IPPROTO_UDP, "2.2.2.2", "1.1.1.1",
			       2, 1, -1 };
	struct nlmsghdr *nlh = ct_msg(IPCTNL_MSG_CT_NEW, NLM_F_MULTI, AF_INET);
	struct nlattr *t = mnl_attr_nest_start(nlh, CTA_TUPLE_ORIG);
	struct nlattr *p;
	struct ct_entry ct;

	put_ip(nlh, &(struct tup){ AF_INET, 0, "1.1.1.1", "2.2.2.2", 0, 0,
				   -1 });
	p = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);
	mnl_attr_put_u8(nlh, CTA_PROTO_NUM, IPPROTO_UDP);
	mnl_attr_put_u16(nlh, CTA_PROTO_SRC_PORT, htons(1));
	mnl_attr_put_strz(nlh, 60, "from the future");
	mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT, htons(2));
	mnl_attr_nest_end(nlh, p);
	mnl_attr_put_u64(nlh, 9, 1);
	mnl_attr_nest_end(nlh, t);
	mnl_attr_put_u32(nlh, 200, 0xffffffff);
	mnl_attr_put_u32(nlh, CTA_NAT_SRC, 1);
	put_tuple(nlh, CTA_TUPLE_REPLY, &r);
	mnl_attr_put_u32(nlh, CTA_MARK, htonl(0x10));
	UNIT_CHECK(ct_parse(nlh, &ct) == 0, "unknown: skipped");
	UNIT_CHECK(ct.has == (CT_A_ORIG | CT_A_REPLY | CT_A_MARK),
		   "unknown: has");
	UNIT_CHECK(ct.orig.sport == 1 && ct.orig.dport == 2,
		   "unknown: inner ones skipped too");
	UNIT_CHECK(ct.mark == 0x10, "unknown: later attributes read");
}

static void test_malformed(void)
{
	const struct tup o = { AF_INET, IPPROTO_TCP, "1.1.1.1", "2.2.2.2",
			       1, 2, -1 };
	struct nlmsghdr *nlh;
	struct nlattr *a;
	struct ct_entry ct;
	uint16_t two = 0;

	nlh = simple(IPCTNL_MSG_CT_NEW, 0, &o, &o);
	mnl_attr_put(nlh, CTA_MARK, sizeof(two), &two);
	UNIT_CHECK(ct_parse(nlh, &ct) == -EINVAL, "malformed: short u32");

	nlh = simple(IPCTNL_MSG_CT_NEW, 0, &o, &o);
	a = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u32(nlh, CTA_TIMEOUT, htonl(5));
	a->nla_len += 8;   /* runs past the end of the message */
	UNIT_CHECK(ct_parse(nlh, &ct) == -EINVAL, "malformed: truncated");

	nlh = ct_msg(IPCTNL_MSG_CT_NEW, 0, AF_INET);
	a = mnl_attr_nest_start(nlh, CTA_TUPLE_ORIG);
	put_ip(nlh, &o);
	mnl_attr_put_u8(nlh, CTA_TUPLE_ZONE, 1);
	mnl_attr_nest_end(nlh, a);
	UNIT_CHECK(ct_parse(nlh, &ct) == -EINVAL, "malformed: in a nest");

	nlh = ct_msg(IPCTNL_MSG_CT_NEW, 0, AF_INET);
	a = mnl_attr_nest_start(nlh, CTA_HELP);
	mnl_attr_put(nlh, CTA_HELP_NAME, 3, "ftp");
	mnl_attr_nest_end(nlh, a);
	UNIT_CHECK(ct_parse(nlh, &ct) == -EINVAL, "malformed: no NUL");

	nlh = ct_msg(IPCTNL_MSG_CT_NEW, 0, AF_INET);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 2;
	UNIT_CHECK(ct_parse(nlh, &ct) == -EINVAL, "malformed: no nfgenmsg");
}

static void put_exp_nat(struct nlmsghdr *nlh, const struct tup *t)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, CTA_EXPECT_NAT);

	mnl_attr_put_u32(nlh, CTA_EXPECT_NAT_DIR, htonl(1));
	put_tuple(nlh, CTA_EXPECT_NAT_TUPLE, t);
	mnl_attr_nest_end(nlh, n);
}

static void test_exp(void)
{
	const struct tup m = { AF_INET, IPPROTO_TCP, "1.1.1.1", "2.2.2.2",
			       50368, 21, -1 };
	const struct tup t = { AF_INET, IPPROTO_TCP, "1.1.1.1", "2.2.2.2",
			       0, 5000, -1 };
	struct tup k = { AF_INET, 0, "255.255.255.255",
			       "255.255.255.0", 0, 65535, -1 };
	const struct tup n = { AF_INET, IPPROTO_TCP, "9.9.9.9", "2.2.2.2",
			       0, 6000, -1 };
	struct nlmsghdr *nlh = msg_start(NFNL_SUBSYS_CTNETLINK_EXP,
					 IPCTNL_MSG_EXP_DELETE, 0, AF_INET);
	struct ct_exp e;

	put_tuple(nlh, CTA_EXPECT_MASTER, &m);
	put_tuple(nlh, CTA_EXPECT_TUPLE, &t);
	put_tuple_num(nlh, CTA_EXPECT_MASK, &k, 0);
	mnl_attr_put_u32(nlh, CTA_EXPECT_TIMEOUT, htonl(299));
	mnl_attr_put_u32(nlh, CTA_EXPECT_ID, htonl(2156228124u));
	mnl_attr_put_strz(nlh, CTA_EXPECT_HELP_NAME, "ftp");
	mnl_attr_put_u16(nlh, CTA_EXPECT_ZONE, htons(9));
	mnl_attr_put_u32(nlh, CTA_EXPECT_FLAGS, htonl(NF_CT_EXPECT_PERMANENT));
	mnl_attr_put_u32(nlh, CTA_EXPECT_CLASS, htonl(1));
	put_exp_nat(nlh, &n);
	mnl_attr_put_strz(nlh, CTA_EXPECT_FN, "sip");
	UNIT_CHECK(exp_parse(nlh, &e) == 0, "exp: parses");
	UNIT_CHECK(e.has == (CT_EXP_A_MASTER | CT_EXP_A_TUPLE | CT_EXP_A_MASK |
			     CT_EXP_A_TIMEOUT | CT_EXP_A_ID |
			     CT_EXP_A_HELPER | CT_EXP_A_ZONE |
			     CT_EXP_A_FLAGS | CT_EXP_A_CLASS | CT_EXP_A_NAT |
			     CT_EXP_A_FN), "exp: has");
	UNIT_CHECK(e.family == AF_INET, "exp: family");
	UNIT_CHECK(e.kind == CT_MSG_DESTROY, "exp: DELETE is destroy");
	check_tuple(&e.master, &m, PORTS_HAS, "exp master");
	check_tuple(&e.tuple, &t, PORTS_HAS, "exp tuple");
	k = (struct tup){ AF_INET, IPPROTO_TCP, "255.255.255.255",
			  "255.255.255.0", 0, 65535, -1 };
	check_tuple(&e.mask, &k, PORTS_HAS, "exp mask (l4 from tuple)");
	check_tuple(&e.nat_tuple, &n, PORTS_HAS, "exp nat tuple");
	UNIT_CHECK(e.nat_dir == 1, "exp: nat dir");
	UNIT_CHECK(e.timeout == 299, "exp: timeout");
	UNIT_CHECK(e.id == 2156228124u, "exp: id");
	UNIT_CHECK(e.zone == 9, "exp: zone");
	UNIT_CHECK(e.flags == NF_CT_EXPECT_PERMANENT, "exp: flags");
	UNIT_CHECK(e.class == 1, "exp: class");
	UNIT_CHECK_STR(e.helper, "ftp", "exp: helper");
	UNIT_CHECK_STR(e.fn, "sip", "exp: fn");
}

static void test_exp_dump_kind(void)
{
	struct nlmsghdr *nlh = msg_start(NFNL_SUBSYS_CTNETLINK_EXP,
					 IPCTNL_MSG_EXP_NEW, NLM_F_MULTI,
					 AF_INET6);
	struct ct_exp e;

	UNIT_CHECK(exp_parse(nlh, &e) == 0 && e.kind == CT_MSG_DUMP &&
		   e.has == 0 && e.family == AF_INET6, "exp: empty dump");
	nlh = ct_msg(IPCTNL_MSG_CT_NEW, 0, AF_INET);
	UNIT_CHECK(exp_parse(nlh, &e) == -EINVAL, "exp: wrong subsystem");
}

static struct nlmsghdr *stat_msg(uint8_t subsys, uint8_t type, uint16_t cpu)
{
	struct nlmsghdr *nlh = msg_start(subsys, type, NLM_F_MULTI, AF_UNSPEC);
	struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);

	nfg->res_id = htons(cpu);
	return nlh;
}

static void test_stats(void)
{
	struct nlmsghdr *nlh = stat_msg(NFNL_SUBSYS_CTNETLINK,
					IPCTNL_MSG_CT_GET_STATS_CPU, 3);
	struct ct_stat st;
	static const char *const want[] = {
		"searched", "found", "insert", "chaintoolong", "unknown1",
		"unknown4",
	};
	static const uint32_t val[] = { 1, 7, 4000000000u, 5, 16, 19 };
	unsigned i;

	mnl_attr_put_u32(nlh, CTA_STATS_INSERT, htonl(4000000000u));
	mnl_attr_put_u32(nlh, 16, htonl(16));
	mnl_attr_put_u32(nlh, CTA_STATS_FOUND, htonl(2));
	mnl_attr_put_u32(nlh, 20, htonl(20));   /* conntrack skips > 19 */
	mnl_attr_put_u32(nlh, 19, htonl(19));
	mnl_attr_put_u32(nlh, CTA_STATS_CHAIN_TOOLONG, htonl(5));
	mnl_attr_put_u32(nlh, CTA_STATS_SEARCHED, htonl(1));
	mnl_attr_put_u32(nlh, CTA_STATS_FOUND, htonl(7));  /* last wins */
	UNIT_CHECK(ct_stat_parse(nlh, &st) == 0, "stats: parses");
	UNIT_CHECK(st.cpu == 3, "stats: cpu from res_id");
	UNIT_CHECK(st.n == 6, "stats: item count");
	for (i = 0; i < 6 && i < st.n; i++) {
		UNIT_CHECK_STR(st.item[i].name, want[i], "stats: name order");
		UNIT_CHECK(st.item[i].value == val[i], "stats: value");
	}
	mnl_attr_put_u16(nlh, CTA_STATS_DROP, 1);
	UNIT_CHECK(ct_stat_parse(nlh, &st) == -EINVAL, "stats: short value");
}

/* Kernels answer the expectation stats with the conntrack subsystem. */
static void test_exp_stats(void)
{
	struct nlmsghdr *nlh = stat_msg(NFNL_SUBSYS_CTNETLINK,
					IPCTNL_MSG_EXP_GET_STATS_CPU, 1);
	struct ct_stat st;

	mnl_attr_put_u32(nlh, CTA_STATS_EXP_DELETE, htonl(3));
	mnl_attr_put_u32(nlh, 4, htonl(4));    /* unknown: not printed */
	mnl_attr_put_u32(nlh, CTA_STATS_EXP_NEW, htonl(1));
	mnl_attr_put_u32(nlh, CTA_STATS_EXP_CREATE, htonl(2));
	UNIT_CHECK(exp_stat_parse(nlh, &st) == 0, "exp stats: parses");
	UNIT_CHECK(st.cpu == 1 && st.n == 3, "exp stats: cpu and count");
	UNIT_CHECK_STR(st.item[0].name, "expect_new", "exp stats: new");
	UNIT_CHECK_STR(st.item[1].name, "expect_create", "exp stats: create");
	UNIT_CHECK_STR(st.item[2].name, "expect_delete", "exp stats: delete");
	UNIT_CHECK(st.item[0].value == 1 && st.item[1].value == 2 &&
		   st.item[2].value == 3, "exp stats: values");
}

static void test_global_stats(void)
{
	struct nlmsghdr *nlh = ct_msg(IPCTNL_MSG_CT_GET_STATS, 0, AF_UNSPEC);
	uint32_t n, max;

	mnl_attr_put_u32(nlh, CTA_STATS_GLOBAL_ENTRIES, htonl(7));
	UNIT_CHECK(ct_global_stats_parse(nlh, &n, &max) == 0 && n == 7 &&
		   max == 0, "global stats: no max");
	mnl_attr_put_u32(nlh, CTA_STATS_GLOBAL_MAX_ENTRIES, htonl(262144));
	UNIT_CHECK(ct_global_stats_parse(nlh, &n, &max) == 0 && n == 7 &&
		   max == 262144, "global stats: with max");
	nlh = ct_msg(IPCTNL_MSG_CT_GET_STATS, 0, AF_UNSPEC);
	UNIT_CHECK(ct_global_stats_parse(nlh, &n, &max) == -EINVAL,
		   "global stats: no entries");
}

int main(void)
{
	test_tcp_full();
	test_udp6_new();
	test_icmp_update();
	test_icmpv6_destroy();
	test_gre();
	test_sctp();
	test_dccp();
	test_unknown();
	test_malformed();
	test_exp();
	test_exp_dump_kind();
	test_stats();
	test_exp_stats();
	test_global_stats();
	UNIT_DONE();
}
