/* nft_scan.c - one nftables rule, expression by expression: which ct
 * state values its tests let through (does it drop INVALID packets, and
 * only them?), its verdict and jump target, NAT, conntrack use, its
 * counter, and a short nft-like summary for report.  nft_rules.c says
 * what counts and why. */
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

#include "nft_scan.h"

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

const char *nft_family_name(uint32_t f)
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
int nft_grow(void *arrp, size_t n, size_t size)
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

long nft_chain_find(const struct nft_ctx *x, uint32_t family,
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
	long to = nft_chain_find(s->x, c->family, c->table, s->target);
	struct nft_ctx *x = s->x;

	if (to < 0)
		return;
	if (nft_grow(&x->edges, x->n_edges, sizeof(*x->edges)) < 0) {
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
	s->nat_fams |= nft_family_bits(fam ? fam : s->x->chains[s->chain].family);
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
		 nft_family_name(c->family), c->table, name, strerror(-ret));
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
			s->nat_fams |= nft_family_bits(s->x->chains[s->chain].family);
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

int nft_rule_scan(struct nft_ctx *x, struct nftnl_rule *rule, struct scan *s)
{
	long c = nft_chain_find(x, nftnl_rule_get_u32(rule, NFTNL_RULE_FAMILY),
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

