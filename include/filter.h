/* filter.h - which entries a command selects.
 *
 * Options fill a struct ct_filter; ct_filter_match() decides in user space
 * for every entry (always, so kernels that ignore a kernel-side filter stay
 * correct), and nl_ct.c turns the parts the running kernel can evaluate into
 * dump-request attributes.
 */
#ifndef CTADM_FILTER_H
#define CTADM_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "ct.h"

/* Which parts of the filter are set (ct_filter.set). */
enum {
	F_ORIG_SRC = 1u << 0,
	F_ORIG_DST = 1u << 1,
	F_REPLY_SRC = 1u << 2,
	F_REPLY_DST = 1u << 3,
	F_L4PROTO = 1u << 4,
	F_ORIG_SPORT = 1u << 5,
	F_ORIG_DPORT = 1u << 6,
	F_REPLY_SPORT = 1u << 7,
	F_REPLY_DPORT = 1u << 8,
	F_ICMP_TYPE = 1u << 9,
	F_ICMP_CODE = 1u << 10,
	F_ICMP_ID = 1u << 11,
	F_STATE = 1u << 12,       /* tcp, sctp or dccp state */
	F_STATUS = 1u << 13,
	F_MARK = 1u << 14,
	F_SECMARK = 1u << 15,
	F_ZONE = 1u << 16,
	F_ORIG_ZONE = 1u << 17,
	F_REPLY_ZONE = 1u << 18,
	F_ID = 1u << 19,
	F_LABELS = 1u << 20,
	F_SNAT = 1u << 21,        /* --src-nat, with or without address */
	F_DNAT = 1u << 22,        /* --dst-nat, with or without address */
	F_ANYNAT = 1u << 23,      /* --any-nat */
	F_VTAG_ORIG = 1u << 24,   /* sctp verification tags */
	F_VTAG_REPLY = 1u << 25,
};

/* What CTA_FILTER can test (within one family). */
#define F_TUPLE (F_ORIG_SRC | F_ORIG_DST | F_REPLY_SRC | F_REPLY_DST | \
		 F_L4PROTO | F_ORIG_SPORT | F_ORIG_DPORT | F_REPLY_SPORT |  \
		 F_REPLY_DPORT)

/* A NAT address (and port) to compare with the reply tuple. */
struct nat_match {
	bool has_addr, has_port;
	uint8_t family;
	union ct_addr addr;
	uint16_t port;
};

struct ct_filter {
	uint32_t set;              /* F_* */
	uint8_t family;            /* AF_UNSPEC, AF_INET or AF_INET6 */
	uint8_t l4proto;
	union ct_addr orig_src, orig_dst, reply_src, reply_dst;
	union ct_addr orig_src_mask, orig_dst_mask;   /* all ones: exact */
	bool orig_src_cidr, orig_dst_cidr;
	uint16_t orig_sport, orig_dport, reply_sport, reply_dport;
	uint8_t icmp_type, icmp_code;
	uint16_t icmp_id;
	uint8_t state;
	uint32_t vtag_orig, vtag_reply;
	uint32_t status_set, status_unset;  /* bits required / forbidden */
	uint32_t mark, mark_mask;
	uint32_t secmark;
	uint16_t zone, orig_zone, reply_zone;
	uint32_t id;
	uint8_t labels[16];                 /* every bit set here is required */
	struct nat_match snat, dnat;
};

/* Does ct pass every part of f that is set? */
bool ct_filter_match(const struct ct_filter *f, const struct ct_entry *ct);
/* A netmask of prefix bits for family into mask. */
void addr_mask_from_prefix(union ct_addr *mask, int family, unsigned prefix);

#endif
