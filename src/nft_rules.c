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
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "nft_rules.h"
#include "nft_scan.h"

static void chain_where(const struct chain_info *c, char *buf, size_t size)
{
	snprintf(buf, size, "%s %s %s", nft_family_name(c->family), c->table,
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
		if (nft_grow(&x->nats, x->n_nats, sizeof(*x->nats)) < 0)
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
	snprintf(cr.family, sizeof(cr.family), "%s", nft_family_name(c->family));
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

		if (c->base && nft_family_bits(c->family) &&
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
			have |= nft_family_bits(c->family);
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

int nft_dump(struct nft_ctx *x, uint16_t type, uint16_t family,
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
	    nft_grow(&x->chains, x->n_chains, sizeof(*x->chains)) < 0) {
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
	    nft_grow(&x->rules, x->n_rules, sizeof(*x->rules)) < 0) {
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
		ret = nft_rule_scan(&x, x.rules[i], &s);
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
