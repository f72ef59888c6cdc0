/* test_nflog_pkt.c - NFULNL_MSG_PACKET messages built in memory as
 * nfnetlink_log builds them (the SYN+RST one as 6.18 sends it for
 * `hping3 -S -R`), their payloads' L3/L4 fields, TCP flag names,
 * conntrack prefixes and /proc/net/netfilter/nfnetlink_log lines and
 * holders. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>

#include "nflog_pkt.h"
#include "unit.h"

/* 127.0.0.1:2345 > 127.0.0.1:80, SYN+RST, no options. */
static const uint8_t ipv4_syn_rst[40] = {
	0x45, 0x00, 0x00, 0x28, 0x12, 0x34, 0x00, 0x00, 0x40, 0x06, 0, 0,
	127, 0, 0, 1, 127, 0, 0, 1,
	0x09, 0x29, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x06, 0x02, 0x00,
	0, 0, 0, 0,
};

static struct nlmsghdr *msg_start(char *buf, uint8_t family, uint16_t group)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = NFNL_SUBSYS_ULOG << 8 | NFULNL_MSG_PACKET;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons(group);
	return nlh;
}

static void put_hdr(struct nlmsghdr *nlh, uint16_t hw_protocol, uint8_t hook)
{
	struct nfulnl_msg_packet_hdr h = { htons(hw_protocol), hook, 0 };

	mnl_attr_put(nlh, NFULA_PACKET_HDR, sizeof(h), &h);
}

static void test_syn_rst(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], flags[64];
	struct nlmsghdr *nlh = msg_start(buf, 2, 0);
	struct nflog_pkt p;

	put_hdr(nlh, 0x0800, 0);
	mnl_attr_put_u32(nlh, NFULA_MARK, htonl(0x10));
	mnl_attr_put_u32(nlh, NFULA_IFINDEX_OUTDEV, htonl(1));
	mnl_attr_put(nlh, NFULA_PAYLOAD, sizeof(ipv4_syn_rst), ipv4_syn_rst);
	mnl_attr_put_strz(nlh, NFULA_PREFIX,
			  "nf_ct_proto_6: invalid tcp flag combination ");
	UNIT_CHECK(nflog_pkt_parse(nlh, &p) == 0, "SYN+RST: parses");
	UNIT_CHECK_STR(p.prefix, "nf_ct_proto_6: invalid tcp flag combination",
		       "SYN+RST: the prefix without its trailing blank");
	UNIT_CHECK(p.family == 2 && p.group == 0 && p.hook == 0 &&
			   p.hw_protocol == 0x0800,
		   "SYN+RST: family, group, hook, hw protocol");
	UNIT_CHECK(p.outdev == 1 && p.indev == 0, "SYN+RST: devices");
	UNIT_CHECK((p.has & NFLOG_PKT_MARK) && p.mark == 0x10, "SYN+RST: mark");
	UNIT_CHECK(p.payload_len == 40 && p.l3 == AF_INET && p.l4 == 6 &&
			   p.length == 40,
		   "SYN+RST: IPv4, tcp, length");
	UNIT_CHECK(p.src.v4 == htonl(0x7f000001) && p.dst.v4 == htonl(0x7f000001),
		   "SYN+RST: addresses");
	UNIT_CHECK((p.has & NFLOG_PKT_PORTS) && p.sport == 2345 && p.dport == 80,
		   "SYN+RST: ports");
	UNIT_CHECK((p.has & NFLOG_PKT_TCP_FLAGS) && p.tcp_flags == 0x06,
		   "SYN+RST: flags");
	UNIT_CHECK_STR(tcp_flags_format(p.tcp_flags, flags, sizeof(flags)),
		       "SYN,RST", "SYN+RST: flags by name");
	UNIT_CHECK(!(p.has & (NFLOG_PKT_ICMP | NFLOG_PKT_FRAGMENT)),
		   "SYN+RST: no icmp, not a fragment");
}

static void test_metadata_missing(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = msg_start(buf, 10, 7);
	struct nflog_pkt p;

	UNIT_CHECK(nflog_pkt_parse(nlh, &p) == 0 && p.group == 7 &&
			   p.family == 10 && p.prefix[0] == '\0' && p.l3 == 0 &&
			   p.has == 0 && p.indev == 0,
		   "a message without attributes: all empty");
	mnl_attr_put_strz(nlh, NFULA_PREFIX, "   ");
	UNIT_CHECK(nflog_pkt_parse(nlh, &p) == 0 && p.prefix[0] == '\0',
		   "a blank prefix is empty");
}

static void test_bad_messages(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = msg_start(buf, 2, 0);
	uint16_t short_hdr = 0;
	struct nflog_pkt p;

	nlh->nlmsg_type = NFNL_SUBSYS_ULOG << 8 | NFULNL_MSG_CONFIG;
	UNIT_CHECK(nflog_pkt_parse(nlh, &p) == -EPROTO, "a config message: -EPROTO");
	nlh->nlmsg_type = NLMSG_DONE;
	UNIT_CHECK(nflog_pkt_parse(nlh, &p) == -EPROTO, "NLMSG_DONE: -EPROTO");
	nlh->nlmsg_type = NFNL_SUBSYS_ULOG << 8 | NFULNL_MSG_PACKET;
	mnl_attr_put(nlh, NFULA_PACKET_HDR, sizeof(short_hdr), &short_hdr);
	UNIT_CHECK(nflog_pkt_parse(nlh, &p) == -EBADMSG, "a short packet header");
	nlh = msg_start(buf, 2, 0);
	nlh->nlmsg_len = sizeof(struct nlmsghdr) + 2;
	UNIT_CHECK(nflog_pkt_parse(nlh, &p) == -EBADMSG, "no room for nfgenmsg");
	nlh = msg_start(buf, 2, 0);
	mnl_attr_put_u32(nlh, NFULA_MARK, 1);
	nlh->nlmsg_len -= 4;   /* the attribute runs past the message */
	UNIT_CHECK(nflog_pkt_parse(nlh, &p) == 0 && !(p.has & NFLOG_PKT_MARK),
		   "an attribute cut by the message's end is not read");
}

static void parse(const uint8_t *data, size_t len, struct nflog_pkt *p)
{
	memset(p, 0, sizeof(*p));
	nflog_payload_parse(data, len, p);
}

static void test_ipv4_more(void)
{
	uint8_t pkt[40];
	struct nflog_pkt p;

	memcpy(pkt, ipv4_syn_rst, sizeof(pkt));
	parse(pkt, 33, &p);
	UNIT_CHECK(p.l3 == AF_INET && (p.has & NFLOG_PKT_PORTS) &&
			   !(p.has & NFLOG_PKT_TCP_FLAGS),
		   "IPv4 cut before the TCP flags: ports only");
	parse(pkt, 22, &p);
	UNIT_CHECK(p.l3 == AF_INET && p.l4 == 6 && p.has == 0,
		   "IPv4 cut inside the ports: no ports");
	parse(pkt, 19, &p);
	UNIT_CHECK(p.l3 == 0, "IPv4 shorter than its header: no L3");
	pkt[0] = 0x44;
	parse(pkt, 40, &p);
	UNIT_CHECK(p.l3 == 0, "IPv4 header length below 20: no L3");
	pkt[0] = 0x46;   /* 24-byte header: the ports move by 4 */
	parse(pkt, 40, &p);
	UNIT_CHECK(p.l3 == AF_INET && p.sport == 0 && p.dport == 1,
		   "IPv4 with options: L4 after them");
	pkt[0] = 0x45;
	pkt[6] = 0x00, pkt[7] = 0xb9;   /* fragment offset 185 */
	parse(pkt, 40, &p);
	UNIT_CHECK(p.l3 == AF_INET && p.l4 == 6 &&
			   p.has == NFLOG_PKT_FRAGMENT,
		   "IPv4 later fragment: no L4 header");
	pkt[6] = 0x20, pkt[7] = 0x00;   /* MF only: the first fragment */
	parse(pkt, 40, &p);
	UNIT_CHECK(p.has & NFLOG_PKT_PORTS, "IPv4 first fragment has ports");
	pkt[6] = 0;
	pkt[9] = 1;   /* icmp, type 3 code 1 at the L4 offset */
	pkt[20] = 3, pkt[21] = 1;
	parse(pkt, 40, &p);
	UNIT_CHECK(p.l4 == 1 && (p.has & NFLOG_PKT_ICMP) && p.icmp_type == 3 &&
			   p.icmp_code == 1 && !(p.has & NFLOG_PKT_PORTS),
		   "IPv4 icmp: type and code");
	pkt[9] = 58;
	parse(pkt, 40, &p);
	UNIT_CHECK(p.l4 == 58 && p.has == 0, "icmpv6 in IPv4 is not read");
	pkt[9] = 132;
	parse(pkt, 40, &p);
	UNIT_CHECK(p.l4 == 132 && p.has == NFLOG_PKT_PORTS && p.sport == 769 && p.dport == 80,
		   "IPv4 sctp: ports");
	parse(pkt, 0, &p);
	UNIT_CHECK(p.l3 == 0, "an empty payload");
}

/* 2001:db8::1 > 2001:db8::2, next header nh, payload length plen. */
static void ipv6_header(uint8_t *b, uint8_t nh, uint16_t plen)
{
	memset(b, 0, 40);
	b[0] = 0x60;
	b[4] = (uint8_t)(plen >> 8), b[5] = (uint8_t)plen;
	b[6] = nh;
	b[7] = 64;
	b[8] = 0x20, b[9] = 0x01, b[10] = 0x0d, b[11] = 0xb8, b[23] = 1;
	b[24] = 0x20, b[25] = 0x01, b[26] = 0x0d, b[27] = 0xb8, b[39] = 2;
}

static void test_ipv6(void)
{
	uint8_t pkt[96] = { 0 };
	struct nflog_pkt p;

	ipv6_header(pkt, 17, 8);
	pkt[40] = 0x00, pkt[41] = 53, pkt[42] = 0x04, pkt[43] = 0x00;
	parse(pkt, 48, &p);
	UNIT_CHECK(p.l3 == AF_INET6 && p.l4 == 17 && p.length == 48 &&
			   p.sport == 53 && p.dport == 1024,
		   "IPv6 udp: ports and length");
	UNIT_CHECK(p.src.b[0] == 0x20 && p.src.b[15] == 1 && p.dst.b[15] == 2,
		   "IPv6 addresses");
	/* hop-by-hop (8 bytes) then a destination options header of 16 */
	ipv6_header(pkt, 0, 40);
	pkt[40] = 60, pkt[41] = 0;
	pkt[48] = 6, pkt[49] = 1;
	memset(pkt + 64, 0, 20);
	pkt[64] = 0x01, pkt[65] = 0xbb, pkt[66] = 0x9c, pkt[67] = 0x40;
	pkt[77] = 0x12;
	parse(pkt, 84, &p);
	UNIT_CHECK(p.l4 == 6 && p.sport == 443 && p.dport == 40000 &&
			   p.tcp_flags == 0x12,
		   "IPv6 extension headers skipped to tcp");
	parse(pkt, 60, &p);
	UNIT_CHECK(p.l4 == 6 && p.has == 0,
		   "IPv6 cut inside an extension header: protocol, no ports");
	/* a fragment header: offset 0 then 8 */
	ipv6_header(pkt, 44, 16);
	memset(pkt + 40, 0, 16);
	pkt[40] = 58;
	pkt[48] = 128, pkt[49] = 0;
	parse(pkt, 56, &p);
	UNIT_CHECK(p.l4 == 58 && (p.has & NFLOG_PKT_ICMP) && p.icmp_type == 128,
		   "IPv6 first fragment: icmpv6 echo request");
	pkt[43] = 8;
	parse(pkt, 56, &p);
	UNIT_CHECK(p.l4 == 58 && p.has == NFLOG_PKT_FRAGMENT,
		   "IPv6 later fragment: no L4 header");
	ipv6_header(pkt, 1, 8);
	parse(pkt, 48, &p);
	UNIT_CHECK(p.l4 == 1 && p.has == 0, "icmp in IPv6 is not read");
	parse(pkt, 39, &p);
	UNIT_CHECK(p.l3 == 0, "IPv6 shorter than its header: no L3");
	pkt[0] = 0x50;
	parse(pkt, 48, &p);
	UNIT_CHECK(p.l3 == 0, "IP version 5: no L3");
}

static void test_flags_prefix(void)
{
	char buf[64];

	UNIT_CHECK_STR(tcp_flags_format(0, buf, sizeof(buf)), "", "no flags");
	UNIT_CHECK_STR(tcp_flags_format(0xff, buf, sizeof(buf)),
		       "FIN,SYN,RST,PSH,ACK,URG,ECE,CWR", "every flag");
	UNIT_CHECK_STR(tcp_flags_format(0x07, buf, 8), "FIN,SYN",
		       "flags cut at a name in a small buffer");
	UNIT_CHECK(tcp_flag_name(8) == NULL, "no flag bit 8");
	UNIT_CHECK(nflog_prefix_proto("nf_ct_proto_6: invalid tcp flag combination") == 6,
		   "prefix of tcp");
	UNIT_CHECK(nflog_prefix_proto("nf_ct_proto_17: bad checksum") == 17,
		   "prefix of udp");
	UNIT_CHECK(nflog_prefix_proto("nf_ct_ftp: dropping packet") == -1,
		   "a helper's prefix has no protocol");
	UNIT_CHECK(nflog_prefix_proto("nf_ct_proto_300: x") == -1 &&
			   nflog_prefix_proto("nf_ct_proto_6 x") == -1 &&
			   nflog_prefix_proto("DROP ") == -1,
		   "other prefixes have none");
}

static void test_inst_lines(void)
{
	struct nflog_inst i;

	/* as 6.18 prints an instance bound with copy mode packet, 256 */
	UNIT_CHECK(nflog_inst_line_parse("    0  11294     0 2   256    100  1\n",
					 &i) == 0 &&
			   i.group == 0 && i.portid == 11294 && i.qlen == 0 &&
			   i.copy_mode == 2 && i.copy_range == 256,
		   "an nfnetlink_log instance line");
	UNIT_CHECK(nflog_inst_line_parse("garbage\n", &i) == -EINVAL &&
			   nflog_inst_line_parse("    0 12\n", &i) == -EINVAL,
		   "malformed instance lines refused");
}

/* The holder of a group, from a fixture proc root. */
static void test_group_portid(void)
{
	char root[] = "/tmp/ctadm-nflog-XXXXXX", path[256];
	FILE *f;

	if (!mkdtemp(root)) {
		UNIT_CHECK(0, "fixture directory");
		return;
	}
	setenv("CTADM_PROC_ROOT", root, 1);
	UNIT_CHECK(nflog_group_portid(0) == 0, "no nfnetlink_log file: no holder");
	snprintf(path, sizeof(path), "%s/net", root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/net/netfilter", root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/net/netfilter/nfnetlink_log", root);
	f = fopen(path, "w");
	if (f) {
		fputs("    5    700     0 2   256    100  1\n"
		      "    0  11294     0 2   256    100  1\n", f);
		fclose(f);
	}
	UNIT_CHECK(nflog_group_portid(0) == 11294 &&
			   nflog_group_portid(5) == 700 &&
			   nflog_group_portid(1) == 0,
		   "the port id bound to a group");
	unlink(path);
	snprintf(path, sizeof(path), "%s/net/netfilter", root);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/net", root);
	rmdir(path);
	rmdir(root);
	unsetenv("CTADM_PROC_ROOT");
}

int main(void)
{
	test_syn_rst();
	test_metadata_missing();
	test_bad_messages();
	test_ipv4_more();
	test_ipv6();
	test_flags_prefix();
	test_inst_lines();
	test_group_portid();
	UNIT_DONE();
}
