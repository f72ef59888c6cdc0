/* nflog_pkt.h - what nfnetlink_log sends and shows: one logged packet
 * (an NFULNL_MSG_PACKET message) with the IPv4/IPv6 and L4 fields of its
 * payload, and the instances of /proc/net/netfilter/nfnetlink_log. */
#ifndef CTADM_NFLOG_PKT_H
#define CTADM_NFLOG_PKT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "ct.h"

/* The kernel's NF_LOG_PREFIXLEN: a prefix is shorter. */
#define NFLOG_PREFIX_MAX 128

/* Which payload fields struct nflog_pkt holds (has). */
enum {
	NFLOG_PKT_PORTS = 1 << 0,     /* sport, dport */
	NFLOG_PKT_TCP_FLAGS = 1 << 1, /* tcp_flags */
	NFLOG_PKT_ICMP = 1 << 2,      /* icmp_type, icmp_code (v4 or v6) */
	NFLOG_PKT_FRAGMENT = 1 << 3,  /* a later fragment: no L4 header */
	NFLOG_PKT_MARK = 1 << 4,      /* mark */
};

struct nflog_pkt {
	/* Metadata of the message. */
	uint8_t family;        /* nfgen_family: NFPROTO_IPV4, _IPV6, ... */
	uint16_t group;        /* the NFLOG group (res_id) */
	uint8_t hook;          /* NFULA_PACKET_HDR's hook */
	uint16_t hw_protocol;  /* host order, ETH_P_*; 0 without a header */
	char prefix[NFLOG_PREFIX_MAX]; /* without the trailing blanks */
	uint32_t mark;
	uint32_t indev, outdev;        /* ifindex, 0 for none */
	uint32_t payload_len;          /* bytes the kernel copied */
	/* The payload, from its network header; l3 is 0 when it is not
	 * an IPv4 or IPv6 header (or is cut short). */
	uint8_t l3;            /* AF_INET or AF_INET6 */
	uint8_t l4;            /* IPPROTO_*: IPv6's last next header */
	uint16_t has;          /* NFLOG_PKT_* */
	uint16_t length;       /* the packet's length by its IP header */
	union ct_addr src, dst;
	uint16_t sport, dport; /* host order */
	uint8_t tcp_flags;     /* byte 13 of the TCP header: FIN 0x01 .. CWR 0x80 */
	uint8_t icmp_type, icmp_code;
};

/* An NFULNL_MSG_PACKET message into p: 0, -EPROTO for another message
 * type, -EBADMSG for a malformed one. */
int nflog_pkt_parse(const struct nlmsghdr *nlh, struct nflog_pkt *p);

/* The L3/L4 fields of p from a packet that starts with its IPv4 or
 * IPv6 header (len bytes, possibly cut short by the copy range). */
void nflog_payload_parse(const uint8_t *data, size_t len, struct nflog_pkt *p);

/* TCP flags as "SYN,RST" into buf ("" for none); returns buf. */
const char *tcp_flags_format(uint8_t flags, char *buf, size_t len);
/* The name of TCP flag bit (0 FIN .. 7 CWR). */
const char *tcp_flag_name(unsigned bit);

/* Protocol N of a conntrack prefix "nf_ct_proto_N: ...", -1 if p is not
 * one (a helper's "nf_ct_ftp: ..." or another log rule's prefix). */
int nflog_prefix_proto(const char *prefix);

/* One line of /proc/net/netfilter/nfnetlink_log, an instance (group)
 * bound by a socket of this namespace. */
struct nflog_inst {
	unsigned group;
	uint32_t portid;
	unsigned qlen;
	unsigned copy_mode, copy_range;
};

/* 0, or -EINVAL for a line not in that form. */
int nflog_inst_line_parse(const char *line, struct nflog_inst *i);
/* The port id of the socket bound to group in this namespace, 0 if none
 * (or no nfnetlink_log). */
uint32_t nflog_group_portid(unsigned group);

#endif
