/* nft_rules.c - the nftables ruleset of the current network namespace,
 * read with libnftnl over libmnl, for diagnose and report.
 *
 * What counts (ctadm(8), nat-invalid-leak, says the same):
 * - NAT: the nat (snat, dnat), masq and redir expressions, and the
 *   iptables-nft targets SNAT, DNAT, MASQUERADE, REDIRECT and NETMAP, in
 *   tables of family ip, ip6 or inet.  A NAT rule acts at the hooks of the
 *   base chains that reach its chain, directly or by any jump or goto.
 * - An invalid drop: a rule that certainly drops (or rejects) a packet
 *   conntrack found INVALID.  Its ct state test (ct state invalid, ct
 *   state invalid,untracked, a set lookup, a verdict map entry "invalid :
 *   drop", or iptables-nft -m conntrack --ctstate / -m state --state)
 *   accepts the INVALID bit, and it tests nothing else (iifname, ip
 *   saddr, limit...) that could let some of those packets through.  It
 *   counts for a base chain when it is in that chain or in a chain the
 *   base chain jumps to without a condition.  The order of rules is not
 *   checked.
 * - On the path: the kernel does not NAT packets that have no conntrack
 *   entry, so an INVALID packet a LAN host sends out (or a late reply from
 *   a DNATed server) leaves with its internal address.  Such packets are
 *   forwarded: prerouting, forward, postrouting.  A drop at any of those
 *   hooks protects, at any priority once conntrack has looked at the
 *   packet (prerouting and output: above -200); postrouting after srcnat
 *   still sees them, as they were not NATed and stay invalid.  input does
 *   not protect: forwarded packets never pass it; nor do chains of type
 *   nat: they only see the first packet of a connection.  NAT at output
 *   (local dnat) needs output or postrouting, NAT at input needs
 *   prerouting or input.  inet covers ip and ip6; NAT in inet needs both,
 *   unless its nat expression names one family.
 * - Conntrack users (has_conntrack, n_ct_rules): ct expressions, ct
 *   helper/timeout/expectation objects, ct count, flow offload, synproxy,
 *   the xt matches conntrack, state, connmark... and the CT/CONNMARK
 *   targets; NAT also makes conntrack run but is not a ct rule. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/xt_conntrack.h>
#include <linux/netfilter/xt_state.h>

#include "ct_names.h"
#include "nft_rules.h"

#define NFT_BUF_SIZE 65536
#define FAM_IP 1u
#define FAM_IP6 2u
#define PRIO_CONNTRACK (-200) /* NF_IP_PRI_CONNTRACK, NF_IP6_PRI_CONNTRACK */
#define VERDICT_NONE (-100)
#define HOOK(h) (1u << NF_INET_##h)

struct chain_info {
	uint32_t family;
	char table[64], name[64];
	bool base;
	bool nat_type;      /* type nat: sees a connection's first packet */
	uint32_t hook;
	int32_t prio;
	unsigned hooks;     /* hooks whose packets can reach the chain */
	bool drops_invalid; /* holds an invalid drop rule */
	bool protects;      /* base chain reaching one unconditionally */
};

struct edge {
	size_t from, to;
	bool uncond;
};

struct nat_use {
	size_t chain;
	unsigned fams;
};

struct nft_ctx {
	struct mnl_socket *nl;
	uint32_t portid, seq;
	char *buf;
	struct chain_info *chains;
	size_t n_chains;
	struct nftnl_rule **rules;
	size_t n_rules;
	struct edge *edges;
	size_t n_edges;
	struct nat_use *nats;
	size_t n_nats;
	char *err;
	size_t errlen;
};

enum reg_src { R_NONE, R_CT, R_META, R_IMM, R_OTHER };

struct reg {
	uint8_t src;
	uint32_t key;     /* ct or meta key */
	int dir;          /* ct direction, -1 when none */
	bool bitwise;
	uint32_t mask, xor;
	uint32_t len;
	uint8_t data[16]; /* immediate value */
};

/* One rule, walked expression by expression. */
struct scan {
	struct nft_ctx *x;
	size_t chain;
	struct reg reg[NFT_REG32_COUNT];
	unsigned conds;        /* tests of any kind */
	bool ct_rule, nat, ct_user;
	unsigned nat_fams;
	bool inv_tested;       /* a ct state test accepts INVALID */
	bool inv_never;        /* a test never matches an INVALID packet */
	bool inv_partial;      /* a test that may or may not */
	bool vmap_drop;        /* a ct state map sends INVALID to drop */
	bool rejects;
	int verdict;
	char target[64];       /* jump or goto target */
	bool counter;
	uint64_t packets, bytes;
	char sum[256];
	size_t len;
	bool gap;
	int err;
};

struct bit_name {
	uint32_t bit;
	const char *name;
};

/* ct state as nft sees it, NF_CT_STATE_BIT(); xt_state uses the same. */
static const struct bit_name state_bits[] = {
	{ NF_CT_STATE_INVALID_BIT, "invalid" },
	{ NF_CT_STATE_BIT(IP_CT_ESTABLISHED), "established" },
	{ NF_CT_STATE_BIT(IP_CT_RELATED), "related" },
	{ NF_CT_STATE_BIT(IP_CT_NEW), "new" },
	{ NF_CT_STATE_UNTRACKED_BIT, "untracked" },
	{ 0, NULL }
};

static const struct bit_name xt_ct_state_bits[] = {
	{ XT_CONNTRACK_STATE_INVALID, "invalid" },
	{ XT_CONNTRACK_STATE_BIT(IP_CT_ESTABLISHED), "established" },
	{ XT_CONNTRACK_STATE_BIT(IP_CT_RELATED), "related" },
	{ XT_CONNTRACK_STATE_BIT(IP_CT_NEW), "new" },
	{ XT_CONNTRACK_STATE_SNAT, "snat" },
	{ XT_CONNTRACK_STATE_DNAT, "dnat" },
	{ XT_CONNTRACK_STATE_UNTRACKED, "untracked" },
	{ 0, NULL }
};

static const struct bit_name status_bits[] = {
	{ IPS_EXPECTED, "expected" }, { IPS_SEEN_REPLY, "seen-reply" },
	{ IPS_ASSURED, "assured" },   { IPS_CONFIRMED, "confirmed" },
	{ IPS_SRC_NAT, "snat" },      { IPS_DST_NAT, "dnat" },
	{ IPS_DYING, "dying" },       { 0, NULL }
};

static const char *const ct_keys[] = {
	[NFT_CT_STATE] = "state",	  [NFT_CT_DIRECTION] = "direction",
	[NFT_CT_STATUS] = "status",	  [NFT_CT_MARK] = "mark",
	[NFT_CT_SECMARK] = "secmark",	  [NFT_CT_EXPIRATION] = "expiration",
	[NFT_CT_HELPER] = "helper",	  [NFT_CT_L3PROTOCOL] = "l3proto",
	[NFT_CT_SRC] = "saddr",		  [NFT_CT_DST] = "daddr",
	[NFT_CT_PROTOCOL] = "protocol",	  [NFT_CT_PROTO_SRC] = "proto-src",
	[NFT_CT_PROTO_DST] = "proto-dst", [NFT_CT_LABELS] = "label",
	[NFT_CT_PKTS] = "packets",	  [NFT_CT_BYTES] = "bytes",
	[NFT_CT_AVGPKT] = "avgpkt",	  [NFT_CT_ZONE] = "zone",
	[NFT_CT_EVENTMASK] = "event",	  [NFT_CT_SRC_IP] = "ip saddr",
	[NFT_CT_DST_IP] = "ip daddr",	  [NFT_CT_SRC_IP6] = "ip6 saddr",
	[NFT_CT_DST_IP6] = "ip6 daddr",	  [NFT_CT_ID] = "id",
};

static const char *fam_name(uint32_t f)
{
	switch (f) {
	case NFPROTO_INET: return "inet";
	case NFPROTO_IPV4: return "ip";
	case NFPROTO_IPV6: return "ip6";
	case NFPROTO_ARP: return "arp";
	case NFPROTO_BRIDGE: return "bridge";
	case NFPROTO_NETDEV: return "netdev";
	}
	return "unknown";
}

/* The IP families a table of family f covers. */
static unsigned fam_bits(uint32_t f)
{
	return f == NFPROTO_IPV4 ? FAM_IP : f == NFPROTO_IPV6 ? FAM_IP6
		: f == NFPROTO_INET ? FAM_IP | FAM_IP6 : 0;
}

static const char *ct_key_name(uint32_t key)
{
	return key < sizeof(ct_keys) / sizeof(ct_keys[0]) && ct_keys[key]
		       ? ct_keys[key] : "?";
}

static void bits_fmt(const struct bit_name *t, uint32_t v, char *buf,
		     size_t size)
{
	size_t n = 0;

	buf[0] = 0;
	for (; t->name; t++) {
		if (!(v & t->bit))
			continue;
		v &= ~t->bit;
		n += snprintf(buf + n, n < size ? size - n : 0, "%s%s",
			      n ? "," : "", t->name);
	}
	if (v || n == 0)
		snprintf(buf + n, n < size ? size - n : 0, "%s0x%x",
			 n ? "," : "", v);
}

static uint32_t data_u32(const void *data, uint32_t len)
{
	uint32_t v = 0;

	if (len == 1)
		return *(const uint8_t *)data;
	if (len == 2) {
		uint16_t s;

		memcpy(&s, data, 2);
		return s;
	}
	memcpy(&v, data, len < 4 ? len : 4);
	return v;
}

/* A ct key's value as nft writes it. */
static void ct_value_fmt(uint32_t key, const void *data, uint32_t len,
			 char *buf, size_t size)
{
	uint32_t v = data_u32(data, len);
	uint16_t port;

	switch (key) {
	case NFT_CT_STATE: bits_fmt(state_bits, v, buf, size); return;
	case NFT_CT_STATUS: bits_fmt(status_bits, v, buf, size); return;
	case NFT_CT_DIRECTION:
		snprintf(buf, size, "%s", v ? "reply" : "original");
		return;
	case NFT_CT_MARK: case NFT_CT_SECMARK: case NFT_CT_EVENTMASK:
		snprintf(buf, size, "0x%x", v);
		return;
	case NFT_CT_HELPER:
		snprintf(buf, size, "\"%.*s\"", (int)strnlen(data, len),
			 (const char *)data);
		return;
	case NFT_CT_L3PROTOCOL:
		snprintf(buf, size, "%s", v == NFPROTO_IPV4 ? "ipv4"
			 : v == NFPROTO_IPV6 ? "ipv6" : "?");
		return;
	case NFT_CT_PROTOCOL:
		snprintf(buf, size, "%s", proto_name((uint8_t)v)
			 ? proto_name((uint8_t)v) : "?");
		return;
	case NFT_CT_PROTO_SRC: case NFT_CT_PROTO_DST:
		memcpy(&port, data, len >= 2 ? 2 : 0);
		snprintf(buf, size, "%u", len >= 2 ? ntohs(port) : 0);
		return;
	}
	if ((len == 4 || len == 16) && key != NFT_CT_LABELS &&
	    key >= NFT_CT_SRC && key <= NFT_CT_DST_IP6 &&
	    inet_ntop(len == 4 ? AF_INET : AF_INET6, data, buf, size))
		return;
	snprintf(buf, size, "%u", v);
}

static void sum_add(struct scan *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->len + 1 >= sizeof(s->sum))
		return;
	if (s->len)
		s->sum[s->len++] = ' ';
	va_start(ap, fmt);
	n = vsnprintf(s->sum + s->len, sizeof(s->sum) - s->len, fmt, ap);
	va_end(ap);
	s->len += n > 0 ? (size_t)n : 0;
	if (s->len >= sizeof(s->sum))
		s->len = sizeof(s->sum) - 1;
	s->gap = false;
}

/* A test ctadm does not render: one "..." for a run of them. */
static void sum_gap(struct scan *s)
{
	if (!s->gap)
		sum_add(s, "...");
	s->gap = true;
}

/* Room for one more element in *arrp, an array of n. */
static int grow(void *arrp, size_t n, size_t size)
{
	void **arr = arrp, *p;

	if (n < 8 ? n != 0 : (n & (n - 1)) != 0)
		return 0;
	p = realloc(*arr, (n < 8 ? 8 : 2 * n) * size);
	if (!p)
		return -ENOMEM;
	*arr = p;
	return 0;
}

static long chain_find(const struct nft_ctx *x, uint32_t family,
		       const char *table, const char *name)
{
	for (size_t i = 0; i < x->n_chains; i++)
		if (x->chains[i].family == family &&
		    strncmp(x->chains[i].table, table, 63) == 0 &&
		    strncmp(x->chains[i].name, name, 63) == 0)
			return (long)i;
	return -1;
}

/* A jump or goto from the rule's chain to s->target. */
static void scan_edge_add(struct scan *s, bool uncond)
{
	const struct chain_info *c = &s->x->chains[s->chain];
	long to = chain_find(s->x, c->family, c->table, s->target);
	struct nft_ctx *x = s->x;

	if (to < 0)
		return;
	if (grow(&x->edges, x->n_edges, sizeof(*x->edges)) < 0) {
		s->err = -ENOMEM;
		return;
	}
	x->edges[x->n_edges++] = (struct edge){ s->chain, (size_t)to, uncond };
}

static struct reg *scan_reg(struct scan *s, uint32_t r)
{
	if (r >= NFT_REG_1 && r <= NFT_REG_4)
		return &s->reg[(r - NFT_REG_1) * 4];
	if (r >= NFT_REG32_00 && r <= NFT_REG32_15)
		return &s->reg[r - NFT_REG32_00];
	return NULL;
}

static struct reg *expr_reg(struct scan *s, const struct nftnl_expr *e,
			    uint16_t attr)
{
	return nftnl_expr_is_set(e, attr)
		       ? scan_reg(s, nftnl_expr_get_u32(e, attr)) : NULL;
}

/* The value an INVALID packet leaves in a ct state register. */
static uint32_t reg_invalid_value(const struct reg *r)
{
	uint32_t v = NF_CT_STATE_INVALID_BIT;

	return r->bitwise ? (v & r->mask) ^ r->xor : v;
}

/* "ct state", "ct original saddr", "ct mark & 0xff". */
static void reg_fmt(const struct reg *r, char *buf, size_t size)
{
	int n = 0;

	if (r->src == R_CT)
		n = snprintf(buf, size, "ct%s %s", r->dir < 0 ? ""
			     : r->dir ? " reply" : " original",
			     ct_key_name(r->key));
	else if (r->src == R_META && r->key == NFT_META_MARK)
		n = snprintf(buf, size, "meta mark");
	else if (r->src == R_IMM)
		n = snprintf(buf, size, "0x%x", data_u32(r->data, r->len));
	else
		n = snprintf(buf, size, "(expression)");
	if (r->bitwise && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - n, r->xor ? " & 0x%x ^ 0x%x"
			 : " & 0x%x", r->mask, r->xor);
}

static void scan_state_test(struct scan *s, bool matches_invalid)
{
	if (matches_invalid)
		s->inv_tested = true;
	else
		s->inv_never = true;
}

static bool cmp_eval(uint32_t op, uint32_t a, uint32_t b)
{
	switch (op) {
	case NFT_CMP_EQ: return a == b;
	case NFT_CMP_NEQ: return a != b;
	case NFT_CMP_LT: return a < b;
	case NFT_CMP_LTE: return a <= b;
	case NFT_CMP_GT: return a > b;
	case NFT_CMP_GTE: return a >= b;
	}
	return false;
}

static void scan_cmp(struct scan *s, const struct nftnl_expr *e)
{
	static const char *const ops[] = { "", "!= ", "< ", "<= ", "> ",
					   ">= " };
	struct reg *r = expr_reg(s, e, NFTNL_EXPR_CMP_SREG);
	uint32_t op = nftnl_expr_get_u32(e, NFTNL_EXPR_CMP_OP), len = 0;
	const void *data = nftnl_expr_get(e, NFTNL_EXPR_CMP_DATA, &len);
	uint32_t v = data ? data_u32(data, len) : 0;
	char lhs[64], val[64];
	bool flags;

	s->conds++;
	if (!r || r->src != R_CT || !data || op > NFT_CMP_GTE) {
		s->inv_partial = true;
		sum_gap(s);
		return;
	}
	if (r->key == NFT_CT_STATE)
		scan_state_test(s, cmp_eval(op, reg_invalid_value(r), v));
	flags = (r->key == NFT_CT_STATE || r->key == NFT_CT_STATUS) &&
		r->bitwise && !r->xor && v == 0 && op <= NFT_CMP_NEQ;
	if (flags) {
		/* nft's flag test: (reg & mask) != 0 */
		struct reg plain = *r;

		plain.bitwise = false;
		reg_fmt(&plain, lhs, sizeof(lhs));
		ct_value_fmt(r->key, &r->mask, 4, val, sizeof(val));
		sum_add(s, "%s %s%s", lhs, op == NFT_CMP_EQ ? "!= " : "", val);
		return;
	}
	reg_fmt(r, lhs, sizeof(lhs));
	if (r->bitwise)
		snprintf(val, sizeof(val), "0x%x", v);
	else
		ct_value_fmt(r->key, data, len, val, sizeof(val));
	sum_add(s, "%s %s%s", lhs, op || !r->bitwise ? ops[op] : "== ", val);
}

static void scan_bitwise(struct scan *s, const struct nftnl_expr *e)
{
	struct reg *src = expr_reg(s, e, NFTNL_EXPR_BITWISE_SREG);
	struct reg *dst = expr_reg(s, e, NFTNL_EXPR_BITWISE_DREG);
	uint32_t mlen = 0, xlen = 0, m, x;
	const void *mask = nftnl_expr_get(e, NFTNL_EXPR_BITWISE_MASK, &mlen);
	const void *xor = nftnl_expr_get(e, NFTNL_EXPR_BITWISE_XOR, &xlen);
	bool boolean = !nftnl_expr_is_set(e, NFTNL_EXPR_BITWISE_OP) ||
		       nftnl_expr_get_u32(e, NFTNL_EXPR_BITWISE_OP) ==
			       NFT_BITWISE_BOOL;

	if (!dst)
		return;
	if (!src || !boolean || !mask || !xor || mlen > 4 || xlen > 4) {
		dst->src = R_OTHER;
		return;
	}
	m = data_u32(mask, mlen);
	x = data_u32(xor, xlen);
	*dst = *src;
	dst->mask = dst->bitwise ? dst->mask & m : m;
	dst->xor = dst->bitwise ? (dst->xor & m) ^ x : x;
	dst->bitwise = true;
}

static void scan_ct(struct scan *s, const struct nftnl_expr *e)
{
	uint32_t key = nftnl_expr_get_u32(e, NFTNL_EXPR_CT_KEY);
	struct reg *r;
	char v[64];

	s->ct_user = s->ct_rule = true;
	if (nftnl_expr_is_set(e, NFTNL_EXPR_CT_SREG)) {
		r = expr_reg(s, e, NFTNL_EXPR_CT_SREG);
		if (r && r->src == R_IMM && !r->bitwise)
			ct_value_fmt(key, r->data, r->len, v, sizeof(v));
		else if (r)
			reg_fmt(r, v, sizeof(v));
		sum_add(s, "ct %s set %s", ct_key_name(key), r ? v : "?");
		return;
	}
	r = expr_reg(s, e, NFTNL_EXPR_CT_DREG);
	if (!r)
		return;
	*r = (struct reg){ .src = R_CT, .key = key, .dir = -1 };
	if (nftnl_expr_is_set(e, NFTNL_EXPR_CT_DIR))
		r->dir = nftnl_expr_get_u8(e, NFTNL_EXPR_CT_DIR);
	/* Every key but state breaks the rule when there is no entry. */
	if (key != NFT_CT_STATE)
		s->inv_never = true;
}

static void scan_meta(struct scan *s, const struct nftnl_expr *e)
{
	struct reg *r = expr_reg(s, e, NFTNL_EXPR_META_DREG);

	if (r)
		*r = (struct reg){ .src = R_META, .dir = -1,
			.key = nftnl_expr_get_u32(e, NFTNL_EXPR_META_KEY) };
}

static void verdict_fmt(int v, const char *chain, char *buf, size_t size)
{
	switch (v) {
	case NF_DROP: snprintf(buf, size, "drop"); return;
	case NF_ACCEPT: snprintf(buf, size, "accept"); return;
	case NF_QUEUE: snprintf(buf, size, "queue"); return;
	case NFT_CONTINUE: snprintf(buf, size, "continue"); return;
	case NFT_RETURN: snprintf(buf, size, "return"); return;
	case NFT_JUMP: snprintf(buf, size, "jump %s", chain ? chain : "?");
		return;
	case NFT_GOTO: snprintf(buf, size, "goto %s", chain ? chain : "?");
		return;
	}
	snprintf(buf, size, "verdict %d", v);
}

static void scan_immediate(struct scan *s, const struct nftnl_expr *e)
{
	const char *chain = NULL;
	uint32_t len = 0;
	const void *data;
	struct reg *r;
	char v[96];

	if (nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_DREG) != NFT_REG_VERDICT) {
		r = expr_reg(s, e, NFTNL_EXPR_IMM_DREG);
		data = nftnl_expr_get(e, NFTNL_EXPR_IMM_DATA, &len);
		if (!r)
			return;
		*r = (struct reg){ .src = R_IMM, .dir = -1 };
		r->len = data && len <= sizeof(r->data) ? len : 0;
		if (r->len)
			memcpy(r->data, data, r->len);
		return;
	}
	s->verdict = (int)nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_VERDICT);
	if (nftnl_expr_is_set(e, NFTNL_EXPR_IMM_CHAIN))
		chain = nftnl_expr_get_str(e, NFTNL_EXPR_IMM_CHAIN);
	snprintf(s->target, sizeof(s->target), "%s", chain ? chain : "");
	verdict_fmt(s->verdict, chain, v, sizeof(v));
	sum_add(s, "%s", v);
}

static void scan_counter(struct scan *s, const struct nftnl_expr *e)
{
	s->counter = true;
	s->packets = nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_PACKETS);
	s->bytes = nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_BYTES);
	sum_add(s, "counter packets %llu bytes %llu",
		(unsigned long long)s->packets, (unsigned long long)s->bytes);
}

static void scan_nat(struct scan *s, const struct nftnl_expr *e,
		     const char *name)
{
	uint32_t fam = 0;

	s->nat = s->ct_user = true;
	if (strcmp(name, "nat") == 0) {
		if (nftnl_expr_is_set(e, NFTNL_EXPR_NAT_FAMILY))
			fam = nftnl_expr_get_u32(e, NFTNL_EXPR_NAT_FAMILY);
		name = nftnl_expr_get_u32(e, NFTNL_EXPR_NAT_TYPE) ==
				       NFT_NAT_SNAT ? "snat" : "dnat";
	} else {
		name = strcmp(name, "masq") == 0 ? "masquerade" : "redirect";
	}
	s->nat_fams |= fam_bits(fam ? fam : s->x->chains[s->chain].family);
	sum_add(s, "%s", name);
}

static void scan_objref(struct scan *s, const struct nftnl_expr *e)
{
	uint32_t t = nftnl_expr_is_set(e, NFTNL_EXPR_OBJREF_IMM_TYPE)
		? nftnl_expr_get_u32(e, NFTNL_EXPR_OBJREF_IMM_TYPE) : 0;
	const char *what = t == NFT_OBJECT_CT_HELPER ? "helper"
		: t == NFT_OBJECT_CT_TIMEOUT ? "timeout"
		: t == NFT_OBJECT_CT_EXPECT ? "expectation" : NULL;

	if (what) {
		s->ct_user = s->ct_rule = true;
		sum_add(s, "ct %s set \"%s\"", what,
			nftnl_expr_get_str(e, NFTNL_EXPR_OBJREF_IMM_NAME));
	} else if (t != NFT_OBJECT_COUNTER) {
		/* named quota, limit...: tests */
		s->conds++;
		s->inv_partial = true;
		sum_gap(s);
	}
}

static void scan_connlimit(struct scan *s, const struct nftnl_expr *e)
{
	s->ct_user = s->ct_rule = true;
	s->conds++;
	s->inv_partial = true;
	sum_add(s, "ct count %s%u",
		nftnl_expr_get_u32(e, NFTNL_EXPR_CONNLIMIT_FLAGS) &
				NFT_CONNLIMIT_F_INV ? "over " : "",
		nftnl_expr_get_u32(e, NFTNL_EXPR_CONNLIMIT_COUNT));
}

static int set_elem_cb(const struct nlmsghdr *nlh, void *data)
{
	return nftnl_set_elems_nlmsg_parse(nlh, data) < 0 ? MNL_CB_ERROR
							   : MNL_CB_OK;
}

static int nft_dump(struct nft_ctx *x, uint16_t type, uint16_t family,
		    struct nftnl_set *set, mnl_cb_t cb, void *data);

/* The elements of set name in the rule's table; NULL with s->err set. */
static struct nftnl_set *scan_set_fetch(struct scan *s, const char *name)
{
	const struct chain_info *c = &s->x->chains[s->chain];
	struct nftnl_set *set = nftnl_set_alloc();
	int ret = -ENOMEM;

	if (set) {
		nftnl_set_set_str(set, NFTNL_SET_TABLE, c->table);
		nftnl_set_set_str(set, NFTNL_SET_NAME, name);
		nftnl_set_set_u32(set, NFTNL_SET_FAMILY, c->family);
		ret = nft_dump(s->x, NFT_MSG_GETSETELEM, c->family, set,
			       set_elem_cb, set);
		if (ret == 0)
			return set;
		nftnl_set_free(set);
	}
	snprintf(s->x->err, s->x->errlen, "nftables: listing set %s %s %s: %s",
		 fam_name(c->family), c->table, name, strerror(-ret));
	s->err = ret;
	return NULL;
}

struct elem_walk {
	struct scan *s;
	const struct reg *r; /* a ct register, or NULL */
	bool vmap;
	char list[200];
};

/* One element of a lookup: jumps of verdict maps, INVALID for ct state. */
static int scan_elem(struct nftnl_set_elem *el, void *data)
{
	struct elem_walk *w = data;
	uint32_t klen = 0, len = strlen(w->list);
	const void *key = nftnl_set_elem_get(el, NFTNL_SET_ELEM_KEY, &klen);
	int verdict = w->vmap ? (int)nftnl_set_elem_get_u32(el,
					NFTNL_SET_ELEM_VERDICT) : VERDICT_NONE;
	const char *chain = nftnl_set_elem_is_set(el, NFTNL_SET_ELEM_CHAIN)
		? nftnl_set_elem_get_str(el, NFTNL_SET_ELEM_CHAIN) : NULL;
	char k[64] = "", v[96] = "";

	if (nftnl_set_elem_is_set(el, NFTNL_SET_ELEM_FLAGS) &&
	    nftnl_set_elem_get_u32(el, NFTNL_SET_ELEM_FLAGS) &
		    NFT_SET_ELEM_INTERVAL_END)
		return 0;
	if (chain && (verdict == NFT_JUMP || verdict == NFT_GOTO)) {
		snprintf(w->s->target, sizeof(w->s->target), "%s", chain);
		scan_edge_add(w->s, false);
	}
	if (!w->r || !key || klen > 4)
		return w->s->err;
	if (w->r->key == NFT_CT_STATE &&
	    data_u32(key, klen) == reg_invalid_value(w->r)) {
		w->s->inv_tested |= !w->vmap;
		w->s->vmap_drop |= w->vmap && verdict == NF_DROP;
	}
	ct_value_fmt(w->r->key, key, klen, k, sizeof(k));
	if (w->vmap)
		verdict_fmt(verdict, chain, v, sizeof(v));
	if (len + 1 < sizeof(w->list))
		snprintf(w->list + len, sizeof(w->list) - len, "%s%s%s%s",
			 len ? ", " : "", k, w->vmap ? " : " : "", v);
	return 0;
}

static void scan_lookup_set(struct scan *s, struct nftnl_set *set,
			    const struct reg *r, bool vmap)
{
	struct elem_walk w = { .s = s, .r = r, .vmap = vmap };
	const char *name = nftnl_set_get_str(set, NFTNL_SET_NAME);
	bool tested = s->inv_tested;
	char lhs[64];

	if (nftnl_set_elem_foreach(set, scan_elem, &w) < 0 || !r)
		return;
	if (r->key == NFT_CT_STATE && !vmap && s->inv_tested == tested)
		s->inv_never = true;
	reg_fmt(r, lhs, sizeof(lhs));
	if (strncmp(name, "__", 2) != 0)
		sum_add(s, "%s%s @%s", lhs, vmap ? " vmap" : "", name);
	else
		sum_add(s, "%s%s { %s }", lhs, vmap ? " vmap" : "", w.list);
}

static void scan_lookup(struct scan *s, const struct nftnl_expr *e)
{
	struct reg *r = expr_reg(s, e, NFTNL_EXPR_LOOKUP_SREG);
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_LOOKUP_SET);
	bool vmap = nftnl_expr_is_set(e, NFTNL_EXPR_LOOKUP_DREG) &&
		    nftnl_expr_get_u32(e, NFTNL_EXPR_LOOKUP_DREG) ==
			    NFT_REG_VERDICT;
	bool ct = r && r->src == R_CT && !r->bitwise &&
		  !(nftnl_expr_get_u32(e, NFTNL_EXPR_LOOKUP_FLAGS) &
		    NFT_LOOKUP_F_INV);
	struct nftnl_set *set;
	struct reg *d;

	s->conds++;
	if (!ct) {
		s->inv_partial = true;
		sum_gap(s);
	}
	if ((d = expr_reg(s, e, NFTNL_EXPR_LOOKUP_DREG)) != NULL) {
		d->src = R_OTHER;
		s->inv_partial = true;
	}
	if (!ct && !vmap)
		return;
	set = scan_set_fetch(s, name);
	if (!set)
		return;
	scan_lookup_set(s, set, ct ? r : NULL, vmap);
	nftnl_set_free(set);
}

/* iptables-nft -m conntrack / -m state; false if not one of them. */
static bool xt_state_decode(const char *name, uint32_t rev, const void *info,
			    uint32_t len, uint16_t *flags, uint16_t *inv,
			    uint16_t *state, uint16_t *status)
{
	const struct xt_conntrack_mtinfo1 *i1 = info;
	const struct xt_conntrack_mtinfo3 *i3 = info;

	*inv = *status = 0;
	if (strcmp(name, "state") == 0 && len >= sizeof(struct xt_state_info)) {
		*flags = XT_CONNTRACK_STATE;
		*state = (uint16_t)((const struct xt_state_info *)info)
				 ->statemask;
		return true;
	}
	if (strcmp(name, "conntrack") != 0 || rev < 1 || rev > 3 ||
	    len < (rev == 1 ? sizeof(*i1) : rev == 2
		   ? sizeof(struct xt_conntrack_mtinfo2) : sizeof(*i3)))
		return false;
	/* mtinfo2 and mtinfo3 only widen state_mask and status_mask. */
	*flags = rev == 1 ? i1->match_flags : i3->match_flags;
	*inv = rev == 1 ? i1->invert_flags : i3->invert_flags;
	*state = rev == 1 ? i1->state_mask : i3->state_mask;
	*status = rev == 1 ? i1->status_mask : i3->status_mask;
	return true;
}

static void scan_match(struct scan *s, const struct nftnl_expr *e)
{
	static const char *const ct_matches[] = {
		"conntrack", "state", "connmark", "connbytes", "connlabel",
		"connlimit", "helper", NULL };
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_MT_NAME);
	uint32_t len = 0, rev = nftnl_expr_get_u32(e, NFTNL_EXPR_MT_REV);
	const void *info = nftnl_expr_get(e, NFTNL_EXPR_MT_INFO, &len);
	uint16_t flags, inv, state, status;
	char v[96];

	s->conds++;
	for (const char *const *m = ct_matches; *m; m++)
		if (strcmp(*m, name) == 0)
			s->ct_user = s->ct_rule = true;
	if (!info || !xt_state_decode(name, rev, info, len, &flags, &inv,
				      &state, &status)) {
		s->inv_partial = true;
		sum_add(s, "xt match %s", name);
		return;
	}
	/* Without an entry only the state test decides (conntrack_mt()). */
	scan_state_test(s, (flags & XT_CONNTRACK_STATE) &&
			   !!(state & XT_CONNTRACK_STATE_INVALID) ^
				   !!(inv & XT_CONNTRACK_STATE));
	if (flags & XT_CONNTRACK_STATE) {
		bits_fmt(strcmp(name, "state") ? xt_ct_state_bits : state_bits,
			 state, v, sizeof(v));
		sum_add(s, "ct state %s%s",
			inv & XT_CONNTRACK_STATE ? "!= " : "", v);
	}
	if (flags & XT_CONNTRACK_STATUS) {
		bits_fmt(status_bits, status, v, sizeof(v));
		sum_add(s, "ct status %s%s",
			inv & XT_CONNTRACK_STATUS ? "!= " : "", v);
	}
	if (flags & ~(XT_CONNTRACK_STATE | XT_CONNTRACK_STATE_ALIAS |
		      XT_CONNTRACK_STATUS))
		sum_gap(s);
}

static void scan_target(struct scan *s, const struct nftnl_expr *e)
{
	static const char *const nat_targets[] = {
		"SNAT", "DNAT", "MASQUERADE", "REDIRECT", "NETMAP", NULL };
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_TG_NAME);

	for (const char *const *t = nat_targets; *t; t++)
		if (strcmp(*t, name) == 0) {
			s->nat = s->ct_user = true;
			s->nat_fams |= fam_bits(s->x->chains[s->chain].family);
		}
	if (strcmp(name, "CT") == 0 || strcmp(name, "CONNMARK") == 0)
		s->ct_user = s->ct_rule = true;
	s->rejects |= strcmp(name, "REJECT") == 0;
	sum_add(s, "xt target %s", name);
}

static void scan_other(struct scan *s, const char *name)
{
	if (!strcmp(name, "reject")) {
		s->rejects = true;
		sum_add(s, "reject");
	} else if (!strcmp(name, "flow_offload") || !strcmp(name, "synproxy")) {
		s->ct_user = s->ct_rule = true;
		sum_add(s, "%s", name[0] == 'f' ? "flow offload" : "synproxy");
	} else if (!strcmp(name, "limit") || !strcmp(name, "quota") ||
		   !strcmp(name, "range")) {
		s->conds++;
		s->inv_partial = true;
		sum_gap(s);
	} else if (!strcmp(name, "log") || !strcmp(name, "notrack")) {
		sum_add(s, "%s", name);
	} else {
		/* a load ctadm does not follow (payload, fib...) */
		for (size_t i = 0; i < NFT_REG32_COUNT; i++)
			s->reg[i].src = R_OTHER;
	}
}

static int scan_expr(struct nftnl_expr *e, void *data)
{
	struct scan *s = data;
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);

	if (!strcmp(name, "ct"))
		scan_ct(s, e);
	else if (!strcmp(name, "cmp"))
		scan_cmp(s, e);
	else if (!strcmp(name, "bitwise"))
		scan_bitwise(s, e);
	else if (!strcmp(name, "lookup"))
		scan_lookup(s, e);
	else if (!strcmp(name, "immediate"))
		scan_immediate(s, e);
	else if (!strcmp(name, "meta"))
		scan_meta(s, e);
	else if (!strcmp(name, "counter"))
		scan_counter(s, e);
	else if (!strcmp(name, "nat") || !strcmp(name, "masq") ||
		 !strcmp(name, "redir"))
		scan_nat(s, e, name);
	else if (!strcmp(name, "match"))
		scan_match(s, e);
	else if (!strcmp(name, "target"))
		scan_target(s, e);
	else if (!strcmp(name, "objref"))
		scan_objref(s, e);
	else if (!strcmp(name, "connlimit"))
		scan_connlimit(s, e);
	else
		scan_other(s, name);
	return s->err ? -1 : 0;
}

/* 0, 1 for a rule of a chain that was not listed, or -errno. */
static int rule_scan(struct nft_ctx *x, struct nftnl_rule *rule,
		     struct scan *s)
{
	long c = chain_find(x, nftnl_rule_get_u32(rule, NFTNL_RULE_FAMILY),
			    nftnl_rule_get_str(rule, NFTNL_RULE_TABLE),
			    nftnl_rule_get_str(rule, NFTNL_RULE_CHAIN));

	memset(s, 0, sizeof(*s));
	if (c < 0)
		return 1;
	s->x = x;
	s->chain = (size_t)c;
	s->verdict = VERDICT_NONE;
	if (nftnl_expr_foreach(rule, scan_expr, s) < 0)
		return s->err ? s->err : -EINVAL;
	if (s->verdict == NFT_JUMP || s->verdict == NFT_GOTO)
		scan_edge_add(s, s->conds == 0);
	return s->err;
}

static void chain_where(const struct chain_info *c, char *buf, size_t size)
{
	snprintf(buf, size, "%s %s %s", fam_name(c->family), c->table,
		 c->name);
}

static int rule_note(struct nft_ctx *x, struct nft_inspect *r,
		     const struct nftnl_rule *rule, const struct scan *s,
		     int (*fn)(const struct nft_ct_rule *, void *), void *arg)
{
	struct chain_info *c = &x->chains[s->chain];
	bool drops = s->verdict == NF_DROP || s->rejects;
	struct nft_ct_rule cr;
	int ret;

	if (!s->inv_never && !s->inv_partial &&
	    ((s->inv_tested && drops) || s->vmap_drop))
		c->drops_invalid = true;
	r->has_conntrack |= s->ct_user;
	if (s->nat && s->nat_fams) {
		if (grow(&x->nats, x->n_nats, sizeof(*x->nats)) < 0)
			return -ENOMEM;
		x->nats[x->n_nats++] =
			(struct nat_use){ s->chain, s->nat_fams };
		if (!r->has_nat)
			chain_where(c, r->nat_where, sizeof(r->nat_where));
		r->has_nat = true;
	}
	if (!s->ct_rule)
		return 0;
	r->n_ct_rules++;
	if (!fn)
		return 0;
	memset(&cr, 0, sizeof(cr));
	snprintf(cr.family, sizeof(cr.family), "%s", fam_name(c->family));
	snprintf(cr.table, sizeof(cr.table), "%s", c->table);
	snprintf(cr.chain, sizeof(cr.chain), "%s", c->name);
	cr.handle = nftnl_rule_get_u64(rule, NFTNL_RULE_HANDLE);
	snprintf(cr.summary, sizeof(cr.summary), "%s", s->sum);
	cr.has_counter = s->counter;
	cr.packets = s->packets;
	cr.bytes = s->bytes;
	ret = fn(&cr, arg);
	return ret < 0 ? ret : 0;
}

/* Does chain c, or a chain it jumps to unconditionally, drop INVALID? */
static bool chain_drops(const struct nft_ctx *x, size_t c, bool *seen)
{
	if (seen[c])
		return false;
	seen[c] = true;
	if (x->chains[c].drops_invalid)
		return true;
	for (size_t i = 0; i < x->n_edges; i++)
		if (x->edges[i].from == c && x->edges[i].uncond &&
		    chain_drops(x, x->edges[i].to, seen))
			return true;
	return false;
}

static int chains_reach(struct nft_ctx *x)
{
	bool changed = true;

	for (size_t i = 0; i < x->n_chains; i++) {
		struct chain_info *c = &x->chains[i];

		if (c->base && fam_bits(c->family) &&
		    c->hook < NF_INET_NUMHOOKS)
			c->hooks = 1u << c->hook;
	}
	while (changed) {
		changed = false;
		for (size_t i = 0; i < x->n_edges; i++) {
			struct chain_info *to = &x->chains[x->edges[i].to];
			unsigned h = to->hooks |
				     x->chains[x->edges[i].from].hooks;

			changed |= h != to->hooks;
			to->hooks = h;
		}
	}
	for (size_t i = 0; i < x->n_chains; i++) {
		struct chain_info *c = &x->chains[i];
		bool *seen;

		/* conntrack sets the state at prerouting/output -200; nat
		 * chains never see packets without a conntrack entry */
		if (!c->base || !c->hooks || c->nat_type ||
		    ((c->hook == NF_INET_PRE_ROUTING ||
		      c->hook == NF_INET_LOCAL_OUT) &&
		     c->prio <= PRIO_CONNTRACK))
			continue;
		seen = calloc(x->n_chains, sizeof(*seen));
		if (!seen)
			return -ENOMEM;
		c->protects = chain_drops(x, i, seen);
		free(seen);
	}
	return 0;
}

/* The hooks where dropping INVALID keeps NAT at hook h from leaking. */
static unsigned nat_guard_hooks(unsigned h)
{
	if (h == NF_INET_LOCAL_OUT)
		return HOOK(LOCAL_OUT) | HOOK(POST_ROUTING);
	if (h == NF_INET_LOCAL_IN)
		return HOOK(PRE_ROUTING) | HOOK(LOCAL_IN);
	return HOOK(PRE_ROUTING) | HOOK(FORWARD) | HOOK(POST_ROUTING);
}

static bool nat_covered(const struct nft_ctx *x, const struct nat_use *n,
			char *where, size_t size)
{
	for (unsigned h = 0; h < NF_INET_NUMHOOKS; h++) {
		unsigned have = 0;

		if (!(x->chains[n->chain].hooks & (1u << h)))
			continue;
		for (size_t i = 0; i < x->n_chains; i++) {
			const struct chain_info *c = &x->chains[i];

			if (!c->protects ||
			    !(nat_guard_hooks(h) & (1u << c->hook)))
				continue;
			if (!where[0])
				chain_where(c, where, size);
			have |= fam_bits(c->family);
		}
		if (n->fams & ~have)
			return false;
	}
	return true;
}

static int nft_judge(struct nft_ctx *x, struct nft_inspect *r)
{
	bool all = true, any = false;
	int ret = chains_reach(x);

	for (size_t i = 0; ret == 0 && i < x->n_nats; i++) {
		const struct nat_use *n = &x->nats[i];

		if (!x->chains[n->chain].hooks)
			continue; /* no base chain reaches it */
		any = true;
		if (!nat_covered(x, n, r->invalid_where,
				 sizeof(r->invalid_where)) && all) {
			chain_where(&x->chains[n->chain], r->nat_unprotected,
				    sizeof(r->nat_unprotected));
			all = false;
		}
	}
	for (size_t i = 0; i < x->n_chains; i++)
		if (x->chains[i].protects && !r->invalid_where[0])
			chain_where(&x->chains[i], r->invalid_where,
				    sizeof(r->invalid_where));
	r->drops_invalid = any ? all : r->invalid_where[0] != 0;
	return ret;
}

static int nft_dump(struct nft_ctx *x, uint16_t type, uint16_t family,
		    struct nftnl_set *set, mnl_cb_t cb, void *data)
{
	uint32_t seq = ++x->seq;
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(x->buf, type, family,
						     NLM_F_DUMP, seq);
	ssize_t n;
	int ret;

	if (set)
		nftnl_set_elems_nlmsg_build_payload(nlh, set);
	if (mnl_socket_sendto(x->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	errno = 0;
	do {
		n = mnl_socket_recvfrom(x->nl, x->buf, NFT_BUF_SIZE);
		if (n < 0)
			return -errno;
		ret = mnl_cb_run(x->buf, (size_t)n, seq, x->portid, cb, data);
	} while (ret > MNL_CB_STOP);
	return ret < 0 ? (errno ? -errno : -EIO) : 0;
}

static int table_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(*(unsigned *)data)++;
	return MNL_CB_OK;
}

static int chain_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nft_ctx *x = data;
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct chain_info *ci;

	if (!c || nftnl_chain_nlmsg_parse(nlh, c) < 0 ||
	    grow(&x->chains, x->n_chains, sizeof(*x->chains)) < 0) {
		nftnl_chain_free(c);
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	ci = &x->chains[x->n_chains++];
	memset(ci, 0, sizeof(*ci));
	ci->family = nftnl_chain_get_u32(c, NFTNL_CHAIN_FAMILY);
	snprintf(ci->table, sizeof(ci->table), "%s",
		 nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE));
	snprintf(ci->name, sizeof(ci->name), "%s",
		 nftnl_chain_get_str(c, NFTNL_CHAIN_NAME));
	ci->base = nftnl_chain_is_set(c, NFTNL_CHAIN_HOOKNUM);
	if (ci->base) {
		ci->hook = nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM);
		ci->prio = nftnl_chain_get_s32(c, NFTNL_CHAIN_PRIO);
		ci->nat_type = nftnl_chain_is_set(c, NFTNL_CHAIN_TYPE) &&
			       !strcmp(nftnl_chain_get_str(c, NFTNL_CHAIN_TYPE),
				       "nat");
	}
	nftnl_chain_free(c);
	return MNL_CB_OK;
}

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nft_ctx *x = data;
	struct nftnl_rule *r = nftnl_rule_alloc();

	if (!r || nftnl_rule_nlmsg_parse(nlh, r) < 0 ||
	    grow(&x->rules, x->n_rules, sizeof(*x->rules)) < 0) {
		if (r)
			nftnl_rule_free(r);
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	x->rules[x->n_rules++] = r;
	return MNL_CB_OK;
}

static int nft_fail(struct nft_ctx *x, int err, const char *what)
{
	snprintf(x->err, x->errlen, "nftables: %s: %s", what, strerror(-err));
	return err;
}

static int nft_load(struct nft_ctx *x, struct nft_inspect *r)
{
	int ret;

	x->buf = malloc(NFT_BUF_SIZE);
	if (!x->buf)
		return nft_fail(x, -ENOMEM, "netlink buffer");
	x->nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!x->nl || mnl_socket_bind(x->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return nft_fail(x, -errno, "netlink socket");
	x->portid = mnl_socket_get_portid(x->nl);
	ret = nft_dump(x, NFT_MSG_GETTABLE, NFPROTO_UNSPEC, NULL, table_cb,
		       &r->n_tables);
	if (ret < 0)
		return nft_fail(x, ret, "listing tables");
	ret = nft_dump(x, NFT_MSG_GETCHAIN, NFPROTO_UNSPEC, NULL, chain_cb, x);
	if (ret < 0)
		return nft_fail(x, ret, "listing chains");
	ret = nft_dump(x, NFT_MSG_GETRULE, NFPROTO_UNSPEC, NULL, rule_cb, x);
	if (ret < 0)
		return nft_fail(x, ret, "listing rules");
	r->n_chains = (unsigned)x->n_chains;
	r->n_rules = (unsigned)x->n_rules;
	return 0;
}

static void nft_free(struct nft_ctx *x)
{
	for (size_t i = 0; i < x->n_rules; i++)
		nftnl_rule_free(x->rules[i]);
	free(x->rules);
	free(x->chains);
	free(x->edges);
	free(x->nats);
	if (x->nl)
		mnl_socket_close(x->nl);
	free(x->buf);
}

int nft_inspect_ruleset(struct nft_inspect *r,
			int (*ct_rule_fn)(const struct nft_ct_rule *rule,
					  void *arg),
			void *arg, char *err, size_t errlen)
{
	struct nft_ctx x = { .err = err, .errlen = errlen };
	struct scan s;
	int ret;

	memset(r, 0, sizeof(*r));
	if (errlen)
		err[0] = 0;
	ret = nft_load(&x, r);
	for (size_t i = 0; ret == 0 && i < x.n_rules; i++) {
		ret = rule_scan(&x, x.rules[i], &s);
		if (ret == 0)
			ret = rule_note(&x, r, x.rules[i], &s, ct_rule_fn, arg);
		else if (ret == 1)
			ret = 0;
	}
	if (ret == 0)
		ret = nft_judge(&x, r);
	if (ret == -ENOMEM && errlen && !err[0])
		nft_fail(&x, ret, "reading the ruleset");
	r->readable = ret == 0;
	nft_free(&x);
	return ret;
}
