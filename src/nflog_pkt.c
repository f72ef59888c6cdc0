/* nflog_pkt.c - parse what nfnetlink_log sends (NFULNL_MSG_PACKET) and
 * the L3/L4 headers of the packet it carries, and the lines of
 * /proc/net/netfilter/nfnetlink_log. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>

#include "nflog_pkt.h"
#include "paths.h"

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The L4 header at data (len bytes left). */
static void l4_parse(const uint8_t *data, size_t len, struct nflog_pkt *p)
{
	switch (p->l4) {
	case IPPROTO_TCP:
		if (len >= 14) {
			p->tcp_flags = data[13];
			p->has |= NFLOG_PKT_TCP_FLAGS;
		}
		/* fall through */
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
		if (len >= 4) {
			p->sport = get_be16(data);
			p->dport = get_be16(data + 2);
			p->has |= NFLOG_PKT_PORTS;
		}
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		/* Each only in its own IP version. */
		if (len >= 2 && (p->l4 == IPPROTO_ICMP) == (p->l3 == AF_INET)) {
			p->icmp_type = data[0];
			p->icmp_code = data[1];
			p->has |= NFLOG_PKT_ICMP;
		}
		break;
	}
}

static void ipv4_parse(const uint8_t *data, size_t len, struct nflog_pkt *p)
{
	size_t ihl = (size_t)(data[0] & 0x0f) * 4;

	if (len < 20 || ihl < 20 || ihl > len)
		return;
	p->l3 = AF_INET;
	p->length = get_be16(data + 2);
	p->l4 = data[9];
	memcpy(&p->src.v4, data + 12, 4);
	memcpy(&p->dst.v4, data + 16, 4);
	if (get_be16(data + 6) & 0x1fff) {
		p->has |= NFLOG_PKT_FRAGMENT;
		return;
	}
	l4_parse(data + ihl, len - ihl, p);
}

/* The length of IPv6 extension header nh at data, 0 if nh is not one
 * that can be skipped to reach the L4 header. */
static size_t ipv6_ext_len(uint8_t nh, const uint8_t *data, size_t len)
{
	if (len < 8)
		return 0;
	switch (nh) {
	case IPPROTO_HOPOPTS:
	case IPPROTO_ROUTING:
	case IPPROTO_DSTOPTS:
		return ((size_t)data[1] + 1) * 8;
	case IPPROTO_AH:
		return ((size_t)data[1] + 2) * 4;
	case IPPROTO_FRAGMENT:
		return 8;
	default:
		return 0;
	}
}

static void ipv6_parse(const uint8_t *data, size_t len, struct nflog_pkt *p)
{
	size_t off = 40, ext;
	uint8_t nh;

	if (len < 40)
		return;
	p->l3 = AF_INET6;
	p->length = (uint16_t)(get_be16(data + 4) + 40);
	memcpy(p->src.b, data + 8, 16);
	memcpy(p->dst.b, data + 24, 16);
	nh = data[6];
	while ((ext = ipv6_ext_len(nh, data + off, len - off)) > 0) {
		/* A fragment with an offset has no L4 header. */
		if (nh == IPPROTO_FRAGMENT &&
		    (get_be16(data + off + 2) & 0xfff8)) {
			p->l4 = data[off];
			p->has |= NFLOG_PKT_FRAGMENT;
			return;
		}
		nh = data[off];
		if (ext > len - off) {
			/* cut short: the protocol is known, its header not */
			p->l4 = nh;
			return;
		}
		off += ext;
	}
	p->l4 = nh;
	l4_parse(data + off, len - off, p);
}

void nflog_payload_parse(const uint8_t *data, size_t len, struct nflog_pkt *p)
{
	p->l3 = 0;
	p->l4 = 0;
	p->has &= NFLOG_PKT_MARK;
	p->length = 0;
	if (len < 1)
		return;
	if (data[0] >> 4 == 4)
		ipv4_parse(data, len, p);
	else if (data[0] >> 4 == 6)
		ipv6_parse(data, len, p);
}

struct pkt_attrs {
	const struct nlattr *tb[NFULA_MAX + 1];
};

static int pkt_attr_cb(const struct nlattr *attr, void *data)
{
	struct pkt_attrs *a = data;
	unsigned type = mnl_attr_get_type(attr);

	if (type <= NFULA_MAX)
		a->tb[type] = attr;
	return MNL_CB_OK;
}

static bool attr_is_u32(const struct nlattr *a)
{
	return a && mnl_attr_validate(a, MNL_TYPE_U32) == 0;
}

static int pkt_attrs_take(const struct pkt_attrs *a, struct nflog_pkt *p)
{
	const struct nlattr *at;

	if ((at = a->tb[NFULA_PACKET_HDR])) {
		const struct nfulnl_msg_packet_hdr *h = mnl_attr_get_payload(at);

		if (mnl_attr_get_payload_len(at) < sizeof(*h))
			return -EBADMSG;
		p->hook = h->hook;
		p->hw_protocol = ntohs(h->hw_protocol);
	}
	if ((at = a->tb[NFULA_PREFIX])) {
		size_t n = strnlen(mnl_attr_get_str(at),
				   mnl_attr_get_payload_len(at));

		while (n > 0 && mnl_attr_get_str(at)[n - 1] == ' ')
			n--;
		snprintf(p->prefix, sizeof(p->prefix), "%.*s", (int)n,
			 mnl_attr_get_str(at));
	}
	if (attr_is_u32(a->tb[NFULA_MARK])) {
		p->mark = ntohl(mnl_attr_get_u32(a->tb[NFULA_MARK]));
		p->has |= NFLOG_PKT_MARK;
	}
	if (attr_is_u32(a->tb[NFULA_IFINDEX_INDEV]))
		p->indev = ntohl(mnl_attr_get_u32(a->tb[NFULA_IFINDEX_INDEV]));
	if (attr_is_u32(a->tb[NFULA_IFINDEX_OUTDEV]))
		p->outdev = ntohl(mnl_attr_get_u32(a->tb[NFULA_IFINDEX_OUTDEV]));
	if ((at = a->tb[NFULA_PAYLOAD])) {
		p->payload_len = mnl_attr_get_payload_len(at);
		nflog_payload_parse(mnl_attr_get_payload(at), p->payload_len, p);
	}
	return 0;
}

int nflog_pkt_parse(const struct nlmsghdr *nlh, struct nflog_pkt *p)
{
	const struct nfgenmsg *nfg;
	struct pkt_attrs a;

	if (nlh->nlmsg_type != (NFNL_SUBSYS_ULOG << 8 | NFULNL_MSG_PACKET))
		return -EPROTO;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*nfg)))
		return -EBADMSG;
	memset(p, 0, sizeof(*p));
	memset(&a, 0, sizeof(a));
	nfg = mnl_nlmsg_get_payload(nlh);
	p->family = nfg->nfgen_family;
	p->group = ntohs(nfg->res_id);
	if (mnl_attr_parse(nlh, sizeof(*nfg), pkt_attr_cb, &a) < 0)
		return -EBADMSG;
	return pkt_attrs_take(&a, p);
}

const char *tcp_flag_name(unsigned bit)
{
	static const char *const names[8] = {
		"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR",
	};

	return bit < 8 ? names[bit] : NULL;
}

const char *tcp_flags_format(uint8_t flags, char *buf, size_t len)
{
	size_t off = 0;

	if (len > 0)
		buf[0] = '\0';
	for (unsigned bit = 0; bit < 8; bit++) {
		if (!(flags & (1u << bit)))
			continue;
		int n = snprintf(buf + off, len - off, "%s%s", off ? "," : "",
				 tcp_flag_name(bit));

		if (n < 0 || (size_t)n >= len - off)
			break;
		off += (size_t)n;
	}
	return buf;
}

int nflog_prefix_proto(const char *prefix)
{
	unsigned v;
	int n = 0;

	if (sscanf(prefix, "nf_ct_proto_%3u:%n", &v, &n) != 1 || n == 0 ||
	    v > 255)
		return -1;
	return (int)v;
}

int nflog_inst_line_parse(const char *line, struct nflog_inst *i)
{
	/* group portid qlen copy_mode copy_range flushtimeout use */
	if (sscanf(line, "%u %u %u %u %u %*u %*u", &i->group, &i->portid,
		   &i->qlen, &i->copy_mode, &i->copy_range) != 5)
		return -EINVAL;
	return 0;
}

uint32_t nflog_group_portid(unsigned group)
{
	FILE *f = proc_open("net/netfilter/nfnetlink_log");
	struct nflog_inst inst;
	uint32_t portid = 0;
	char line[256];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (nflog_inst_line_parse(line, &inst) == 0 &&
		    inst.group == group)
			portid = inst.portid;
	fclose(f);
	return portid;
}
