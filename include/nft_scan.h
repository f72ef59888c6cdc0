/* nft_scan.h - what nft_rules.c (loading the ruleset, judging its
 * chains) and nft_scan.c (walking one rule's expressions) share: the
 * chains, jumps and NAT uses found, and the state of a rule's walk. */
#ifndef CTADM_NFT_SCAN_H
#define CTADM_NFT_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

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


/* Walk rule's expressions into s: what it tests, its verdict, NAT, ct
 * use, counter and a short summary; a jump or goto becomes an edge of
 * the chain graph.  0, 1 for a rule of a chain that was not listed, or
 * -errno. */
int nft_rule_scan(struct nft_ctx *x, struct nftnl_rule *rule, struct scan *s);
/* The chain family/table/name in x->chains, or -1. */
long nft_chain_find(const struct nft_ctx *x, uint32_t family,
		    const char *table, const char *name);
/* Room for one more element of size in *arrp (n used); 0 or -ENOMEM. */
int nft_grow(void *arrp, size_t n, size_t size);
/* An nftables dump request of type and family (set: its elements), each
 * answer to cb. */
int nft_dump(struct nft_ctx *x, uint16_t type, uint16_t family,
	     struct nftnl_set *set, mnl_cb_t cb, void *data);
const char *nft_family_name(uint32_t f);

/* The IP families (FAM_IP, FAM_IP6) a table's family covers. */
static inline unsigned nft_family_bits(uint32_t f)
{
	return f == NFPROTO_IPV4 ? FAM_IP : f == NFPROTO_IPV6 ? FAM_IP6
		: f == NFPROTO_INET ? FAM_IP | FAM_IP6 : 0;
}

#endif
