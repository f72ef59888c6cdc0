/* ct_build.h - struct ct_entry / ct_exp into ctnetlink attributes: the
 * inverse of ct_parse.c, for the requests that change the table. */
#ifndef CTADM_CT_BUILD_H
#define CTADM_CT_BUILD_H

#include <libmnl/libmnl.h>

#include "ct.h"
#include "filter.h"

/* An address of family l3 as attribute v4 (AF_INET) or v6. */
void ct_addr_put(struct nlmsghdr *nlh, uint8_t l3, uint16_t v4, uint16_t v6,
		 const union ct_addr *a);
/* The ICMP or ICMPv6 type that answers type (itself if none does). */
uint8_t ct_icmp_reply_type(uint8_t l4, uint8_t type);
/* One direction of an entry from the filter's addresses, protocol and
 * ports or ICMP fields (reply: the reply direction's). */
void ct_tuple_from_filter(struct ct_tuple *t, const struct ct_filter *f,
			  bool reply);
/* A tuple as attribute type (CTA_TUPLE_ORIG, CTA_TUPLE_REPLY,
 * CTA_EXPECT_MASTER, ...): addresses, protocol, ports or ICMP fields and
 * the direction's zone, as far as t->has says. */
void ct_tuple_put(struct nlmsghdr *nlh, uint16_t type,
		  const struct ct_tuple *t);
/* Every attribute of ct that a create or update can carry: tuples,
 * status, timeout, mark, zone, id and protocol state. */
void ct_attrs_put(struct nlmsghdr *nlh, const struct ct_entry *ct);
/* CTA_LABELS with CTA_LABELS_MASK: only the bits in mask change. */
void ct_labels_put(struct nlmsghdr *nlh, const uint8_t *bits,
		   const uint8_t *mask);
/* CTA_NAT_SRC or CTA_NAT_DST: map to m's address (and port). */
void ct_nat_put(struct nlmsghdr *nlh, uint16_t type, const struct nat_match *m);
/* An expectation: master, tuple, mask, timeout, zone, flags, helper. */
void exp_attrs_put(struct nlmsghdr *nlh, const struct ct_exp *exp);

#endif
