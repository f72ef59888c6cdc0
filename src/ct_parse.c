/* ct_parse.c - ctnetlink messages into the structs of ct.h.
 *
 * Attributes are walked here (statistics with libmnl's parser); every one
 * is validated for its type and size before use, and attribute numbers
 * this build does not know are skipped, so a newer kernel still parses.
 * Integers on the wire are big endian (the kernel puts them with
 * nla_put_be*): they are converted to host order, except addresses, which
 * stay as sent.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "ct_parse.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

typedef int (*attr_fn)(const struct nlattr *attr, void *obj);

/* The walk is done here rather than with mnl_attr_parse: a dump calls it
 * a dozen times per entry, and libmnl's per-attribute calls through its
 * shared library were a sixth of the whole listing's time.  The checks
 * are mnl_attr_ok's: a header that fits, a length at least the header's
 * and within the container. */
static inline uint16_t attr_type(const struct nlattr *attr)
{
	return attr->nla_type & NLA_TYPE_MASK;
}

static inline size_t attr_len(const struct nlattr *attr)
{
	return attr->nla_len - NLA_HDRLEN;
}

static inline const void *attr_data(const struct nlattr *attr)
{
	return (const char *)attr + NLA_HDRLEN;
}

/* Dispatches each attribute of [p, p + len) through fn (indexed by
 * number; a NULL slot or a number past n is skipped, so a newer kernel
 * still parses).  Bytes left that do not make a whole attribute are a
 * truncated or garbled message.  The last attribute's padding may lie
 * past the container's end, as libmnl accepts. */
static int attr_walk(const char *p, size_t len, const attr_fn *fn, size_t n,
		     void *obj)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *attr = (const struct nlattr *)p;
		size_t step = NLA_ALIGN(attr->nla_len);
		uint16_t type = attr_type(attr);

		if (attr->nla_len < NLA_HDRLEN || attr->nla_len > len)
			return -EINVAL;
		if (type < n && fn[type] && fn[type](attr, obj) < 0)
			return -EINVAL;
		if (step >= len)
			return 0;
		p += step;
		len -= step;
	}
	return len ? -EINVAL : 0;
}

/* An empty nest is valid (mnl's MNL_TYPE_NESTED); one shorter than an
 * attribute header is not, which the walk tells. */
static int attr_walk_nested(const struct nlattr *nest, const attr_fn *fn,
			    size_t n, void *obj)
{
	return attr_walk(attr_data(nest), attr_len(nest), fn, n, obj);
}

/* The attributes of a ctnetlink message follow its struct nfgenmsg. */
static int attr_walk_msg(const struct nlmsghdr *nlh, const attr_fn *fn,
			 size_t n, void *obj)
{
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nfgenmsg));

	if (nlh->nlmsg_len < off)
		return -EINVAL;
	return attr_walk((const char *)nlh + off, nlh->nlmsg_len - off, fn,
			 n, obj);
}

#define ATTR_WALK_NESTED(nest, table, obj) \
	attr_walk_nested(nest, table, ARRAY_SIZE(table), obj)
#define ATTR_WALK_MSG(nlh, table, obj) \
	attr_walk_msg(nlh, table, ARRAY_SIZE(table), obj)

/* Typed readers: an integer attribute has exactly its type's size (as
 * mnl_attr_validate demands); the value is stored in host order.  memcpy
 * because a u64 payload is only 4-byte aligned. */
static int get_u8(const struct nlattr *attr, uint8_t *v)
{
	if (attr_len(attr) != sizeof(*v))
		return -EINVAL;
	*v = *(const uint8_t *)attr_data(attr);
	return 0;
}

static int get_be16(const struct nlattr *attr, uint16_t *v)
{
	uint16_t be;

	if (attr_len(attr) != sizeof(be))
		return -EINVAL;
	memcpy(&be, attr_data(attr), sizeof(be));
	*v = ntohs(be);
	return 0;
}

static int get_be32(const struct nlattr *attr, uint32_t *v)
{
	uint32_t be;

	if (attr_len(attr) != sizeof(be))
		return -EINVAL;
	memcpy(&be, attr_data(attr), sizeof(be));
	*v = ntohl(be);
	return 0;
}

static int get_be64(const struct nlattr *attr, uint64_t *v)
{
	uint64_t be;

	if (attr_len(attr) != sizeof(be))
		return -EINVAL;
	memcpy(&be, attr_data(attr), sizeof(be));
	*v = be64toh(be);
	return 0;
}

/* A string the kernel put with nla_put_string, so NUL-terminated. */
static int get_str(const struct nlattr *attr, const char **s)
{
	size_t len = attr_len(attr);
	const char *data = attr_data(attr);

	if (len == 0 || data[len - 1] != '\0')
		return -EINVAL;
	*s = data;
	return 0;
}

/* A be32 attribute into a struct field, marking its presence bit. */
static int get_be32_has(const struct nlattr *attr, uint32_t *v,
			uint32_t *has, uint32_t bit)
{
	if (get_be32(attr, v) < 0)
		return -EINVAL;
	*has |= bit;
	return 0;
}

/* --- tuples (CTA_TUPLE_*) --- */

static int ip_v4(const struct nlattr *attr, struct ct_tuple *t,
		 union ct_addr *a)
{
	if (attr_len(attr) != sizeof(a->v4))
		return -EINVAL;
	memcpy(&a->v4, attr_data(attr), sizeof(a->v4));
	t->l3 = AF_INET;
	t->has |= CT_TUPLE_ADDR;
	return 0;
}

static int ip_v6(const struct nlattr *attr, struct ct_tuple *t,
		 union ct_addr *a)
{
	if (attr_len(attr) != sizeof(a->v6))
		return -EINVAL;
	memcpy(a->v6, attr_data(attr), sizeof(a->v6));
	t->l3 = AF_INET6;
	t->has |= CT_TUPLE_ADDR;
	return 0;
}

static int ip_v4_src(const struct nlattr *a, void *t)
{
	return ip_v4(a, t, &((struct ct_tuple *)t)->src);
}

static int ip_v4_dst(const struct nlattr *a, void *t)
{
	return ip_v4(a, t, &((struct ct_tuple *)t)->dst);
}

static int ip_v6_src(const struct nlattr *a, void *t)
{
	return ip_v6(a, t, &((struct ct_tuple *)t)->src);
}

static int ip_v6_dst(const struct nlattr *a, void *t)
{
	return ip_v6(a, t, &((struct ct_tuple *)t)->dst);
}

static const attr_fn ip_attrs[] = {
	[CTA_IP_V4_SRC] = ip_v4_src,
	[CTA_IP_V4_DST] = ip_v4_dst,
	[CTA_IP_V6_SRC] = ip_v6_src,
	[CTA_IP_V6_DST] = ip_v6_dst,
};

static int proto_num(const struct nlattr *a, void *obj)
{
	struct ct_tuple *t = obj;

	t->has |= CT_TUPLE_PROTO;
	return get_u8(a, &t->l4);
}

/* GRE sends its keys in these two attributes as well. */
static int proto_sport(const struct nlattr *a, void *obj)
{
	struct ct_tuple *t = obj;

	t->has |= CT_TUPLE_PORTS;
	return get_be16(a, &t->sport);
}

static int proto_dport(const struct nlattr *a, void *obj)
{
	struct ct_tuple *t = obj;

	t->has |= CT_TUPLE_PORTS;
	return get_be16(a, &t->dport);
}

/* ICMP and ICMPv6 have their own attribute numbers for the same three
 * fields; the tuple's l4 tells them apart afterwards. */
static int proto_icmp_id(const struct nlattr *a, void *obj)
{
	struct ct_tuple *t = obj;

	t->has |= CT_TUPLE_ICMP;
	return get_be16(a, &t->icmp_id);
}

static int proto_icmp_type(const struct nlattr *a, void *obj)
{
	struct ct_tuple *t = obj;

	t->has |= CT_TUPLE_ICMP;
	return get_u8(a, &t->icmp_type);
}

static int proto_icmp_code(const struct nlattr *a, void *obj)
{
	struct ct_tuple *t = obj;

	t->has |= CT_TUPLE_ICMP;
	return get_u8(a, &t->icmp_code);
}

static const attr_fn proto_attrs[] = {
	[CTA_PROTO_NUM] = proto_num,
	[CTA_PROTO_SRC_PORT] = proto_sport,
	[CTA_PROTO_DST_PORT] = proto_dport,
	[CTA_PROTO_ICMP_ID] = proto_icmp_id,
	[CTA_PROTO_ICMP_TYPE] = proto_icmp_type,
	[CTA_PROTO_ICMP_CODE] = proto_icmp_code,
	[CTA_PROTO_ICMPV6_ID] = proto_icmp_id,
	[CTA_PROTO_ICMPV6_TYPE] = proto_icmp_type,
	[CTA_PROTO_ICMPV6_CODE] = proto_icmp_code,
};

static int tuple_ip(const struct nlattr *a, void *t)
{
	return ATTR_WALK_NESTED(a, ip_attrs, t);
}

static int tuple_proto(const struct nlattr *a, void *t)
{
	return ATTR_WALK_NESTED(a, proto_attrs, t);
}

static int tuple_zone(const struct nlattr *a, void *obj)
{
	struct ct_tuple *t = obj;

	t->has |= CT_TUPLE_ZONE;
	return get_be16(a, &t->zone);
}

static const attr_fn tuple_attrs[] = {
	[CTA_TUPLE_IP] = tuple_ip,
	[CTA_TUPLE_PROTO] = tuple_proto,
	[CTA_TUPLE_ZONE] = tuple_zone,
};

/* l3 starts as the message's family (as libnetfilter_conntrack does) and
 * the address attributes, when present, confirm it. */
static int tuple_parse(const struct nlattr *a, struct ct_tuple *t,
		       uint8_t family)
{
	t->l3 = family;
	return ATTR_WALK_NESTED(a, tuple_attrs, t);
}

/* --- which event or reply a message is --- */

/* Replies to a dump or a get are IPCTNL_MSG_CT_NEW with NLM_F_MULTI (seen
 * on 6.18, for get replies too).  Events never carry NLM_F_MULTI: the
 * kernel marks a new entry with NLM_F_CREATE|NLM_F_EXCL, sends updates as
 * NEW without them and destroys as DELETE; conntrack tests NLM_F_CREATE
 * alone, so this does too.  Other types (GET and friends) read as a dump.
 * A kernel that answered a get without NLM_F_MULTI would read as an
 * update, so callers that made a request set kind = CT_MSG_DUMP. */
static uint8_t msg_kind(const struct nlmsghdr *nlh, uint8_t new_type,
			uint8_t del_type)
{
	unsigned type = NFNL_MSG_TYPE(nlh->nlmsg_type);

	if (nlh->nlmsg_flags & NLM_F_MULTI)
		return CT_MSG_DUMP;
	if (type == del_type)
		return CT_MSG_DESTROY;
	if (type != new_type)
		return CT_MSG_DUMP;
	return nlh->nlmsg_flags & NLM_F_CREATE ? CT_MSG_NEW : CT_MSG_UPDATE;
}

/* subsys_mask: bit n accepts subsystem n. */
static int msg_check(const struct nlmsghdr *nlh, unsigned subsys_mask)
{
	unsigned subsys = NFNL_SUBSYS_ID(nlh->nlmsg_type);

	if (subsys >= 32 || !(subsys_mask & (1u << subsys)) ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct nfgenmsg))
		return -EINVAL;
	return 0;
}

#define SUBSYS_CT (1u << NFNL_SUBSYS_CTNETLINK)
#define SUBSYS_EXP (1u << NFNL_SUBSYS_CTNETLINK_EXP)

static uint8_t msg_family(const struct nlmsghdr *nlh)
{
	const struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);

	return nfg->nfgen_family;
}

/* --- conntrack entries (CTA_*) --- */

static int ct_orig(const struct nlattr *a, void *obj)
{
	struct ct_entry *ct = obj;

	ct->has |= CT_A_ORIG;
	return tuple_parse(a, &ct->orig, ct->family);
}

static int ct_reply(const struct nlattr *a, void *obj)
{
	struct ct_entry *ct = obj;

	ct->has |= CT_A_REPLY;
	return tuple_parse(a, &ct->reply, ct->family);
}

static int ct_master(const struct nlattr *a, void *obj)
{
	struct ct_entry *ct = obj;

	ct->has |= CT_A_MASTER;
	return tuple_parse(a, &ct->master, ct->family);
}

static int ct_status(const struct nlattr *a, void *obj)
{
	struct ct_entry *ct = obj;

	return get_be32_has(a, &ct->status, &ct->has, CT_A_STATUS);
}

static int ct_timeout(const struct nlattr *a, void *obj)
{
	struct ct_entry *ct = obj;

	return get_be32_has(a, &ct->timeout, &ct->has, CT_A_TIMEOUT);
}

static int ct_mark(const struct nlattr *a, void *obj)
{
	struct ct_entry *ct = obj;

	return get_be32_has(a, &ct->mark, &ct->has, CT_A_MARK);
}

static int ct_secmark(const struct nlattr *a, void *obj)
{
	struct ct_entry *ct = obj;

	return get_be32_has(a, &ct->secmark, &ct->has, CT_A_SECMARK);
}

static int ct_use(const struct nlattr *a, void *obj)
{
	struct ct_entry *ct = obj;

	return get_be32_has(a, &ct->use, &ct->has, CT_A_USE);
}

static int ct_id(const struct nlattr *a, void *obj)
{
	struct ct_entry *ct = obj;

	return get_be32_has(a, &ct->id, &ct->has, CT_A_ID);
}

static int ct_zone(const struct nlattr *a, void *obj)
{
	struct ct_entry *ct = obj;

	ct->has |= CT_A_ZONE;
	return get_be16(a, &ct->zone);
}

/* CTA_PROTOINFO_TCP */
static int tcp_state(const struct nlattr *a, void *ct)
{
	return get_u8(a, &((struct ct_entry *)ct)->tcp.state);
}

static int tcp_wscale_orig(const struct nlattr *a, void *ct)
{
	return get_u8(a, &((struct ct_entry *)ct)->tcp.wscale_orig);
}

static int tcp_wscale_reply(const struct nlattr *a, void *ct)
{
	return get_u8(a, &((struct ct_entry *)ct)->tcp.wscale_reply);
}

/* struct nf_ct_tcp_flags: the flags, then the mask of the ones set. */
static int tcp_flags(const struct nlattr *a, uint8_t *flags)
{
	if (attr_len(a) != sizeof(struct nf_ct_tcp_flags))
		return -EINVAL;
	*flags = ((const struct nf_ct_tcp_flags *)attr_data(a))->flags;
	return 0;
}

static int tcp_flags_orig(const struct nlattr *a, void *ct)
{
	return tcp_flags(a, &((struct ct_entry *)ct)->tcp.flags_orig);
}

static int tcp_flags_reply(const struct nlattr *a, void *ct)
{
	return tcp_flags(a, &((struct ct_entry *)ct)->tcp.flags_reply);
}

static const attr_fn tcp_attrs[] = {
	[CTA_PROTOINFO_TCP_STATE] = tcp_state,
	[CTA_PROTOINFO_TCP_WSCALE_ORIGINAL] = tcp_wscale_orig,
	[CTA_PROTOINFO_TCP_WSCALE_REPLY] = tcp_wscale_reply,
	[CTA_PROTOINFO_TCP_FLAGS_ORIGINAL] = tcp_flags_orig,
	[CTA_PROTOINFO_TCP_FLAGS_REPLY] = tcp_flags_reply,
};

/* CTA_PROTOINFO_SCTP */
static int sctp_state(const struct nlattr *a, void *ct)
{
	return get_u8(a, &((struct ct_entry *)ct)->sctp.state);
}

static int sctp_vtag_orig(const struct nlattr *a, void *ct)
{
	((struct ct_entry *)ct)->has |= CT_A_SCTP_VTAG;
	return get_be32(a, &((struct ct_entry *)ct)->sctp.vtag_orig);
}

static int sctp_vtag_reply(const struct nlattr *a, void *ct)
{
	((struct ct_entry *)ct)->has |= CT_A_SCTP_VTAG;
	return get_be32(a, &((struct ct_entry *)ct)->sctp.vtag_reply);
}

static const attr_fn sctp_attrs[] = {
	[CTA_PROTOINFO_SCTP_STATE] = sctp_state,
	[CTA_PROTOINFO_SCTP_VTAG_ORIGINAL] = sctp_vtag_orig,
	[CTA_PROTOINFO_SCTP_VTAG_REPLY] = sctp_vtag_reply,
};

/* CTA_PROTOINFO_DCCP (its PAD attribute only aligns the u64) */
static int dccp_state(const struct nlattr *a, void *ct)
{
	return get_u8(a, &((struct ct_entry *)ct)->dccp.state);
}

static int dccp_role(const struct nlattr *a, void *ct)
{
	((struct ct_entry *)ct)->has |= CT_A_DCCP_ROLE;
	return get_u8(a, &((struct ct_entry *)ct)->dccp.role);
}

static int dccp_seq(const struct nlattr *a, void *ct)
{
	return get_be64(a, &((struct ct_entry *)ct)->dccp.handshake_seq);
}

static const attr_fn dccp_attrs[] = {
	[CTA_PROTOINFO_DCCP_STATE] = dccp_state,
	[CTA_PROTOINFO_DCCP_ROLE] = dccp_role,
	[CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ] = dccp_seq,
};

static int pinfo_tcp(const struct nlattr *a, void *obj)
{
	struct ct_entry *ct = obj;

	ct->has |= CT_A_TCP;
	return ATTR_WALK_NESTED(a, tcp_attrs, ct);
}

static int pinfo_sctp(const struct nlattr *a, void *obj)
{
	struct ct_entry *ct = obj;

	ct->has |= CT_A_SCTP;
	return ATTR_WALK_NESTED(a, sctp_attrs, ct);
}

static int pinfo_dccp(const struct nlattr *a, void *obj)
{
	struct ct_entry *ct = obj;

	ct->has |= CT_A_DCCP;
	return ATTR_WALK_NESTED(a, dccp_attrs, ct);
}

static const attr_fn protoinfo_attrs[] = {
	[CTA_PROTOINFO_TCP] = pinfo_tcp,
	[CTA_PROTOINFO_DCCP] = pinfo_dccp,
	[CTA_PROTOINFO_SCTP] = pinfo_sctp,
};

static int ct_protoinfo(const struct nlattr *a, void *ct)
{
	return ATTR_WALK_NESTED(a, protoinfo_attrs, ct);
}

/* CTA_COUNTERS_ORIG/REPLY: today's kernels send be64 counters (with a
 * PAD attribute), old ones sent be32 ones; both fill the same fields. */
struct ct_dir {
	struct ct_entry *ct;
	unsigned dir;
};

static int cnt_packets(const struct nlattr *a, void *obj)
{
	struct ct_dir *d = obj;

	return get_be64(a, &d->ct->packets[d->dir]);
}

static int cnt_bytes(const struct nlattr *a, void *obj)
{
	struct ct_dir *d = obj;

	return get_be64(a, &d->ct->bytes[d->dir]);
}

static int cnt_be32(const struct nlattr *a, uint64_t *v)
{
	uint32_t v32;

	if (get_be32(a, &v32) < 0)
		return -EINVAL;
	*v = v32;
	return 0;
}

static int cnt_packets32(const struct nlattr *a, void *obj)
{
	struct ct_dir *d = obj;

	return cnt_be32(a, &d->ct->packets[d->dir]);
}

static int cnt_bytes32(const struct nlattr *a, void *obj)
{
	struct ct_dir *d = obj;

	return cnt_be32(a, &d->ct->bytes[d->dir]);
}

static const attr_fn counter_attrs[] = {
	[CTA_COUNTERS_PACKETS] = cnt_packets,
	[CTA_COUNTERS_BYTES] = cnt_bytes,
	[CTA_COUNTERS32_PACKETS] = cnt_packets32,
	[CTA_COUNTERS32_BYTES] = cnt_bytes32,
};

static int ct_counters(const struct nlattr *a, struct ct_entry *ct,
		       unsigned dir)
{
	struct ct_dir d = { ct, dir };

	ct->has |= CT_A_COUNTERS;
	return ATTR_WALK_NESTED(a, counter_attrs, &d);
}

static int ct_counters_orig(const struct nlattr *a, void *ct)
{
	return ct_counters(a, ct, 0);
}

static int ct_counters_reply(const struct nlattr *a, void *ct)
{
	return ct_counters(a, ct, 1);
}

/* CTA_TIMESTAMP: stop is there only once the entry has died. */
static int ts_start(const struct nlattr *a, void *obj)
{
	struct ct_entry *ct = obj;

	ct->has |= CT_A_TIMESTAMP;
	return get_be64(a, &ct->ts_start);
}

static int ts_stop(const struct nlattr *a, void *obj)
{
	struct ct_entry *ct = obj;

	ct->has |= CT_A_TS_STOP;
	return get_be64(a, &ct->ts_stop);
}

static const attr_fn timestamp_attrs[] = {
	[CTA_TIMESTAMP_START] = ts_start,
	[CTA_TIMESTAMP_STOP] = ts_stop,
};

static int ct_timestamp(const struct nlattr *a, void *ct)
{
	return ATTR_WALK_NESTED(a, timestamp_attrs, ct);
}

/* The kernel's label area is 128 bits; bytes past labels[] (a future,
 * larger area) are not kept. */
static int ct_labels(const struct nlattr *a, void *obj)
{
	struct ct_entry *ct = obj;
	size_t len = attr_len(a);

	if (len > sizeof(ct->labels))
		len = sizeof(ct->labels);
	memcpy(ct->labels, attr_data(a), len);
	ct->labels_len = (uint8_t)len;
	ct->has |= CT_A_LABELS;
	return 0;
}

/* CTA_HELP: the name; CTA_HELP_INFO is helper-private data. */
static int help_name(const struct nlattr *a, void *obj)
{
	struct ct_entry *ct = obj;

	ct->has |= CT_A_HELPER;
	return get_str(a, &ct->helper);
}

static const attr_fn help_attrs[] = {
	[CTA_HELP_NAME] = help_name,
};

static int ct_help(const struct nlattr *a, void *ct)
{
	return ATTR_WALK_NESTED(a, help_attrs, ct);
}

static int secctx_name(const struct nlattr *a, void *obj)
{
	struct ct_entry *ct = obj;

	ct->has |= CT_A_SECCTX;
	return get_str(a, &ct->secctx);
}

static const attr_fn secctx_attrs[] = {
	[CTA_SECCTX_NAME] = secctx_name,
};

static int ct_secctx(const struct nlattr *a, void *ct)
{
	return ATTR_WALK_NESTED(a, secctx_attrs, ct);
}

/* CTA_SEQ_ADJ_ORIG/REPLY */
static int seqadj_pos(const struct nlattr *a, void *s)
{
	return get_be32(a, &((struct ct_seqadj *)s)->correction_pos);
}

static int seqadj_before(const struct nlattr *a, void *s)
{
	return get_be32(a, &((struct ct_seqadj *)s)->offset_before);
}

static int seqadj_after(const struct nlattr *a, void *s)
{
	return get_be32(a, &((struct ct_seqadj *)s)->offset_after);
}

static const attr_fn seqadj_attrs[] = {
	[CTA_SEQADJ_CORRECTION_POS] = seqadj_pos,
	[CTA_SEQADJ_OFFSET_BEFORE] = seqadj_before,
	[CTA_SEQADJ_OFFSET_AFTER] = seqadj_after,
};

static int ct_seqadj_orig(const struct nlattr *a, void *obj)
{
	struct ct_entry *ct = obj;

	ct->has |= CT_A_SEQADJ;
	return ATTR_WALK_NESTED(a, seqadj_attrs, &ct->seqadj[0]);
}

static int ct_seqadj_reply(const struct nlattr *a, void *obj)
{
	struct ct_entry *ct = obj;

	ct->has |= CT_A_SEQADJ;
	return ATTR_WALK_NESTED(a, seqadj_attrs, &ct->seqadj[1]);
}

/* Only the presence of synproxy state is of use to the formatters. */
static int ct_synproxy(const struct nlattr *a, void *obj)
{
	struct ct_entry *ct = obj;

	if (attr_len(a) > 0 && attr_len(a) < NLA_HDRLEN)
		return -EINVAL;
	ct->has |= CT_A_SYNPROXY;
	return 0;
}

/* CTA_NAT_SRC/DST and the *_MASK and CTA_FILTER attributes are requests
 * to the kernel, never in its messages: they are skipped like unknowns. */
static const attr_fn ct_attrs[] = {
	[CTA_TUPLE_ORIG] = ct_orig,
	[CTA_TUPLE_REPLY] = ct_reply,
	[CTA_STATUS] = ct_status,
	[CTA_PROTOINFO] = ct_protoinfo,
	[CTA_HELP] = ct_help,
	[CTA_TIMEOUT] = ct_timeout,
	[CTA_MARK] = ct_mark,
	[CTA_COUNTERS_ORIG] = ct_counters_orig,
	[CTA_COUNTERS_REPLY] = ct_counters_reply,
	[CTA_USE] = ct_use,
	[CTA_ID] = ct_id,
	[CTA_TUPLE_MASTER] = ct_master,
	[CTA_SEQ_ADJ_ORIG] = ct_seqadj_orig,
	[CTA_SEQ_ADJ_REPLY] = ct_seqadj_reply,
	[CTA_SECMARK] = ct_secmark,
	[CTA_ZONE] = ct_zone,
	[CTA_SECCTX] = ct_secctx,
	[CTA_TIMESTAMP] = ct_timestamp,
	[CTA_LABELS] = ct_labels,
	[CTA_SYNPROXY] = ct_synproxy,
};

int ct_parse(const struct nlmsghdr *nlh, struct ct_entry *ct)
{
	memset(ct, 0, sizeof(*ct));
	if (msg_check(nlh, SUBSYS_CT) < 0)
		return -EINVAL;
	ct->family = msg_family(nlh);
	ct->kind = msg_kind(nlh, IPCTNL_MSG_CT_NEW, IPCTNL_MSG_CT_DELETE);
	return ATTR_WALK_MSG(nlh, ct_attrs, ct);
}

/* --- expectations (CTA_EXPECT_*) --- */

static int exp_master(const struct nlattr *a, void *obj)
{
	struct ct_exp *exp = obj;

	exp->has |= CT_EXP_A_MASTER;
	return tuple_parse(a, &exp->master, exp->family);
}

static int exp_tuple(const struct nlattr *a, void *obj)
{
	struct ct_exp *exp = obj;

	exp->has |= CT_EXP_A_TUPLE;
	return tuple_parse(a, &exp->tuple, exp->family);
}

static int exp_mask(const struct nlattr *a, void *obj)
{
	struct ct_exp *exp = obj;

	exp->has |= CT_EXP_A_MASK;
	return tuple_parse(a, &exp->mask, exp->family);
}

static int exp_timeout(const struct nlattr *a, void *obj)
{
	struct ct_exp *exp = obj;

	return get_be32_has(a, &exp->timeout, &exp->has, CT_EXP_A_TIMEOUT);
}

static int exp_id(const struct nlattr *a, void *obj)
{
	struct ct_exp *exp = obj;

	return get_be32_has(a, &exp->id, &exp->has, CT_EXP_A_ID);
}

static int exp_flags(const struct nlattr *a, void *obj)
{
	struct ct_exp *exp = obj;

	return get_be32_has(a, &exp->flags, &exp->has, CT_EXP_A_FLAGS);
}

static int exp_class(const struct nlattr *a, void *obj)
{
	struct ct_exp *exp = obj;

	return get_be32_has(a, &exp->class, &exp->has, CT_EXP_A_CLASS);
}

static int exp_helper(const struct nlattr *a, void *obj)
{
	struct ct_exp *exp = obj;

	exp->has |= CT_EXP_A_HELPER;
	return get_str(a, &exp->helper);
}

static int exp_fn(const struct nlattr *a, void *obj)
{
	struct ct_exp *exp = obj;

	exp->has |= CT_EXP_A_FN;
	return get_str(a, &exp->fn);
}

static int exp_zone(const struct nlattr *a, void *obj)
{
	struct ct_exp *exp = obj;

	exp->has |= CT_EXP_A_ZONE;
	return get_be16(a, &exp->zone);
}

static int exp_nat_dir(const struct nlattr *a, void *obj)
{
	struct ct_exp *exp = obj;

	return get_be32(a, &exp->nat_dir);
}

static int exp_nat_tuple(const struct nlattr *a, void *obj)
{
	struct ct_exp *exp = obj;

	return tuple_parse(a, &exp->nat_tuple, exp->family);
}

static const attr_fn exp_nat_attrs[] = {
	[CTA_EXPECT_NAT_DIR] = exp_nat_dir,
	[CTA_EXPECT_NAT_TUPLE] = exp_nat_tuple,
};

static int exp_nat(const struct nlattr *a, void *obj)
{
	struct ct_exp *exp = obj;

	exp->has |= CT_EXP_A_NAT;
	return ATTR_WALK_NESTED(a, exp_nat_attrs, exp);
}

static const attr_fn exp_attrs[] = {
	[CTA_EXPECT_MASTER] = exp_master,
	[CTA_EXPECT_TUPLE] = exp_tuple,
	[CTA_EXPECT_MASK] = exp_mask,
	[CTA_EXPECT_TIMEOUT] = exp_timeout,
	[CTA_EXPECT_ID] = exp_id,
	[CTA_EXPECT_HELP_NAME] = exp_helper,
	[CTA_EXPECT_ZONE] = exp_zone,
	[CTA_EXPECT_FLAGS] = exp_flags,
	[CTA_EXPECT_CLASS] = exp_class,
	[CTA_EXPECT_NAT] = exp_nat,
	[CTA_EXPECT_FN] = exp_fn,
};

/* Kernels before 2.6.3x put no CTA_PROTO_NUM in the mask (the mask of a
 * protocol number is meaningless); today's put the tuple's.  Either way
 * the mask's l3/l4 are the expected tuple's, as libnetfilter_conntrack
 * takes them. */
static void exp_mask_fixup(struct ct_exp *exp)
{
	if (!(exp->has & CT_EXP_A_MASK) || !(exp->has & CT_EXP_A_TUPLE))
		return;
	exp->mask.l3 = exp->tuple.l3;
	if (!(exp->mask.has & CT_TUPLE_PROTO) &&
	    (exp->tuple.has & CT_TUPLE_PROTO)) {
		exp->mask.l4 = exp->tuple.l4;
		exp->mask.has |= CT_TUPLE_PROTO;
	}
}

int exp_parse(const struct nlmsghdr *nlh, struct ct_exp *exp)
{
	int ret;

	memset(exp, 0, sizeof(*exp));
	if (msg_check(nlh, SUBSYS_EXP) < 0)
		return -EINVAL;
	exp->family = msg_family(nlh);
	exp->kind = msg_kind(nlh, IPCTNL_MSG_EXP_NEW, IPCTNL_MSG_EXP_DELETE);
	ret = ATTR_WALK_MSG(nlh, exp_attrs, exp);
	if (ret == 0)
		exp_mask_fixup(exp);
	return ret;
}

/* --- statistics --- */

/* conntrack 1.4.8 names the CTA_STATS_* it knows (CTA_STATS_MAX is 15,
 * CHAIN_TOOLONG, in its headers), calls the next four numbers "unknown1"
 * to "unknown4" (numbered from CTA_STATS_MAX, not from 0) and ignores any
 * higher one.  The obsolete ones (searched, new, ...) are named should a
 * kernel send them; today's do not. */
static const char *const ct_stat_names[] = {
	[CTA_STATS_SEARCHED] = "searched",
	[CTA_STATS_FOUND] = "found",
	[CTA_STATS_NEW] = "new",
	[CTA_STATS_INVALID] = "invalid",
	[CTA_STATS_IGNORE] = "ignore",
	[CTA_STATS_DELETE] = "delete",
	[CTA_STATS_DELETE_LIST] = "delete_list",
	[CTA_STATS_INSERT] = "insert",
	[CTA_STATS_INSERT_FAILED] = "insert_failed",
	[CTA_STATS_DROP] = "drop",
	[CTA_STATS_EARLY_DROP] = "early_drop",
	[CTA_STATS_ERROR] = "error",
	[CTA_STATS_SEARCH_RESTART] = "search_restart",
	[CTA_STATS_CLASH_RESOLVE] = "clash_resolve",
	[CTA_STATS_CHAIN_TOOLONG] = "chaintoolong",
	"unknown1", "unknown2", "unknown3", "unknown4",
};

/* conntrack prints only the three CTA_STATS_EXP_* it knows, no unknowns. */
static const char *const exp_stat_names[] = {
	[CTA_STATS_EXP_NEW] = "expect_new",
	[CTA_STATS_EXP_CREATE] = "expect_create",
	[CTA_STATS_EXP_DELETE] = "expect_delete",
};

#define STAT_SLOTS ARRAY_SIZE(ct_stat_names)

/* conntrack keeps the last value of each number and prints them in
 * number order, whatever the order in the message. */
struct stat_acc {
	const char *const *names;
	size_t n;
	uint32_t present;   /* bit i: value[i] was sent */
	uint32_t value[STAT_SLOTS];
	const char *end;
};

static int stat_cb(const struct nlattr *attr, void *data)
{
	struct stat_acc *acc = data;
	uint16_t type = mnl_attr_get_type(attr);

	acc->end = (const char *)mnl_attr_next(attr);
	if (type >= acc->n || !acc->names[type])
		return MNL_CB_OK;
	if (get_be32(attr, &acc->value[type]) < 0)
		return MNL_CB_ERROR;
	acc->present |= 1u << type;
	return MNL_CB_OK;
}

static void stat_fill(const struct stat_acc *acc, struct ct_stat *st)
{
	unsigned i;

	for (i = 0; i < acc->n; i++) {
		if (!(acc->present & (1u << i)))
			continue;
		st->item[st->n].name = acc->names[i];
		st->item[st->n].value = acc->value[i];
		st->n++;
	}
}

static int stat_parse(const struct nlmsghdr *nlh, unsigned subsys,
		      const char *const *names, size_t n, struct ct_stat *st)
{
	const struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);
	struct stat_acc acc = { .names = names, .n = n };
	const char *tail = mnl_nlmsg_get_payload_tail(nlh);

	memset(st, 0, sizeof(*st));
	if (msg_check(nlh, subsys) < 0)
		return -EINVAL;
	st->cpu = ntohs(nfg->res_id);
	acc.end = mnl_nlmsg_get_payload_offset(nlh, sizeof(*nfg));
	if (mnl_attr_parse(nlh, sizeof(*nfg), stat_cb, &acc) < MNL_CB_OK ||
	    acc.end < tail)
		return -EINVAL;
	stat_fill(&acc, st);
	return 0;
}

_Static_assert(ARRAY_SIZE(ct_stat_names) <= CT_STAT_MAX,
	       "struct ct_stat holds every named statistic");

int ct_stat_parse(const struct nlmsghdr *nlh, struct ct_stat *st)
{
	return stat_parse(nlh, SUBSYS_CT, ct_stat_names,
			  ARRAY_SIZE(ct_stat_names), st);
}

/* The kernel answers IPCTNL_MSG_EXP_GET_STATS_CPU with the message type
 * in the conntrack subsystem (0x103 on 6.x), not the expectation one. */
int exp_stat_parse(const struct nlmsghdr *nlh, struct ct_stat *st)
{
	return stat_parse(nlh, SUBSYS_CT | SUBSYS_EXP, exp_stat_names,
			  ARRAY_SIZE(exp_stat_names), st);
}

/* IPCTNL_MSG_CT_GET_STATS (kernels since 3.18 answer it). */
struct global_stats {
	uint32_t entries, max_entries;
	int has_entries;
};

static int gstat_entries(const struct nlattr *a, void *obj)
{
	struct global_stats *g = obj;

	g->has_entries = 1;
	return get_be32(a, &g->entries);
}

static int gstat_max(const struct nlattr *a, void *obj)
{
	return get_be32(a, &((struct global_stats *)obj)->max_entries);
}

static const attr_fn gstat_attrs[] = {
	[CTA_STATS_GLOBAL_ENTRIES] = gstat_entries,
	[CTA_STATS_GLOBAL_MAX_ENTRIES] = gstat_max,
};

int ct_global_stats_parse(const struct nlmsghdr *nlh, uint32_t *entries,
			  uint32_t *max_entries)
{
	struct global_stats g = { 0, 0, 0 };

	*entries = 0;
	*max_entries = 0;
	if (msg_check(nlh, SUBSYS_CT) < 0 ||
	    ATTR_WALK_MSG(nlh, gstat_attrs, &g) < 0 || !g.has_entries)
		return -EINVAL;
	*entries = g.entries;
	*max_entries = g.max_entries;
	return 0;
}
