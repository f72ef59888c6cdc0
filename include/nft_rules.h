/* nft_rules.h - what diagnose and report need from the nftables ruleset
 * of the current namespace, read with libnftnl over libmnl: does it NAT,
 * does it drop ct state invalid where that protects the NAT, does any
 * rule use conntrack, and the ct rules with their counters. */
#ifndef CTADM_NFT_RULES_H
#define CTADM_NFT_RULES_H

#include <stdbool.h>
#include <stdint.h>

/* A rule with a ct expression, for the report. */
struct nft_ct_rule {
	char family[8];        /* "ip", "ip6", "inet", ... */
	char table[64];
	char chain[64];
	uint64_t handle;
	char summary[256];     /* a short rendering: "ct state invalid drop" */
	bool has_counter;
	uint64_t packets, bytes;
};

struct nft_inspect {
	bool readable;         /* the ruleset dump worked */
	unsigned n_tables, n_chains, n_rules;
	unsigned n_ct_rules;   /* rules with a ct expression */
	bool has_nat;          /* nat, masquerade or redirect anywhere */
	char nat_where[160];   /* the first NAT chain: "ip nat postrouting" */
	bool drops_invalid;    /* ct state invalid -> drop, in a base chain
				* that sees the NATed traffic first (with
				* NAT: for every NAT rule; without: anywhere) */
	char invalid_where[160]; /* a base chain holding such a drop: "inet
				  * filter forward"; may be set while
				  * drops_invalid is false (wrong family or
				  * hook) */
	char nat_unprotected[160]; /* the first NAT chain no drop covers */
	bool has_conntrack;    /* a rule or hook that makes conntrack active */
};

/* Inspect the ruleset; ct_rule_fn (may be NULL) is called for each rule
 * that uses conntrack (ct expression, ct object, xt conntrack match...);
 * a negative return from it stops the walk and is returned as is.
 * 0, or -errno with a message in err (readable is then false). */
int nft_inspect_ruleset(struct nft_inspect *r,
			int (*ct_rule_fn)(const struct nft_ct_rule *rule,
					  void *arg),
			void *arg, char *err, size_t errlen);

#endif
