/* filter.c - user-space selection of entries, as conntrack selects them,
 * minus its bugs: negated status flags really exclude, and NAT filters
 * compare IPv6 addresses too. */
#include <netinet/in.h>
#include <string.h>
#include <linux/netfilter/nf_conntrack_common.h>

#include "filter.h"

void addr_mask_from_prefix(union ct_addr *mask, int family, unsigned prefix)
{
	unsigned words = family == AF_INET6 ? 4 : 1;

	memset(mask, 0, sizeof(*mask));
	for (unsigned i = 0; i < words; i++) {
		if (prefix >= 32) {
			mask->v6[i] = 0xffffffffu;
			prefix -= 32;
		} else if (prefix > 0) {
			mask->v6[i] = htonl(~0u << (32 - prefix));
			prefix = 0;
		}
	}
}

static bool addr_equal(int family, const union ct_addr *a,
		       const union ct_addr *b)
{
	return memcmp(a, b, family == AF_INET6 ? 16 : 4) == 0;
}

static bool addr_in_net(int family, const union ct_addr *a,
			const union ct_addr *net, const union ct_addr *mask)
{
	unsigned words = family == AF_INET6 ? 4 : 1;

	for (unsigned i = 0; i < words; i++)
		if ((a->v6[i] & mask->v6[i]) != (net->v6[i] & mask->v6[i]))
			return false;
	return true;
}

static bool tuple_addrs_match(const struct ct_filter *f,
			      const struct ct_entry *ct)
{
	int fam = ct->orig.l3;

	if ((f->set & F_ORIG_SRC) &&
	    !(f->orig_src_cidr
		      ? addr_in_net(fam, &ct->orig.src, &f->orig_src,
				    &f->orig_src_mask)
		      : addr_equal(fam, &ct->orig.src, &f->orig_src)))
		return false;
	if ((f->set & F_ORIG_DST) &&
	    !(f->orig_dst_cidr
		      ? addr_in_net(fam, &ct->orig.dst, &f->orig_dst,
				    &f->orig_dst_mask)
		      : addr_equal(fam, &ct->orig.dst, &f->orig_dst)))
		return false;
	if ((f->set & F_REPLY_SRC) &&
	    !addr_equal(fam, &ct->reply.src, &f->reply_src))
		return false;
	if ((f->set & F_REPLY_DST) &&
	    !addr_equal(fam, &ct->reply.dst, &f->reply_dst))
		return false;
	return true;
}

static bool tuple_ports_match(const struct ct_filter *f,
			      const struct ct_entry *ct)
{
	const struct ct_tuple *o = &ct->orig, *r = &ct->reply;

	if ((f->set & (F_ORIG_SPORT | F_ORIG_DPORT)) &&
	    !(o->has & CT_TUPLE_PORTS))
		return false;
	if ((f->set & (F_REPLY_SPORT | F_REPLY_DPORT)) &&
	    !(r->has & CT_TUPLE_PORTS))
		return false;
	if ((f->set & F_ORIG_SPORT) && o->sport != f->orig_sport)
		return false;
	if ((f->set & F_ORIG_DPORT) && o->dport != f->orig_dport)
		return false;
	if ((f->set & F_REPLY_SPORT) && r->sport != f->reply_sport)
		return false;
	if ((f->set & F_REPLY_DPORT) && r->dport != f->reply_dport)
		return false;
	return true;
}

static bool icmp_match(const struct ct_filter *f, const struct ct_entry *ct)
{
	const struct ct_tuple *o = &ct->orig;

	if (!(f->set & (F_ICMP_TYPE | F_ICMP_CODE | F_ICMP_ID)))
		return true;
	if (!(o->has & CT_TUPLE_ICMP))
		return false;
	if ((f->set & F_ICMP_TYPE) && o->icmp_type != f->icmp_type)
		return false;
	if ((f->set & F_ICMP_CODE) && o->icmp_code != f->icmp_code)
		return false;
	return !(f->set & F_ICMP_ID) || o->icmp_id == f->icmp_id;
}

static bool protoinfo_match(const struct ct_filter *f,
			    const struct ct_entry *ct)
{
	if (f->set & F_STATE) {
		if (ct->has & CT_A_TCP) {
			if (ct->tcp.state != f->state)
				return false;
		} else if (ct->has & CT_A_SCTP) {
			if (ct->sctp.state != f->state)
				return false;
		} else if (ct->has & CT_A_DCCP) {
			if (ct->dccp.state != f->state)
				return false;
		} else {
			return false;
		}
	}
	if (!(f->set & (F_VTAG_ORIG | F_VTAG_REPLY)))
		return true;
	if (!(ct->has & CT_A_SCTP_VTAG))
		return false;
	if ((f->set & F_VTAG_ORIG) && ct->sctp.vtag_orig != f->vtag_orig)
		return false;
	return !(f->set & F_VTAG_REPLY) || ct->sctp.vtag_reply == f->vtag_reply;
}

static bool meta_match(const struct ct_filter *f, const struct ct_entry *ct)
{
	if ((f->set & F_STATUS) &&
	    ((ct->status & f->status_set) != f->status_set ||
	     (ct->status & f->status_unset)))
		return false;
	/* As conntrack: the entry's masked mark equals the given value. */
	if ((f->set & F_MARK) &&
	    (!(ct->has & CT_A_MARK) || (ct->mark & f->mark_mask) != f->mark))
		return false;
	if ((f->set & F_SECMARK) && ct->secmark != f->secmark)
		return false;
	if ((f->set & F_ZONE) && ct->zone != f->zone)
		return false;
	if ((f->set & F_ORIG_ZONE) && ct->orig.zone != f->orig_zone)
		return false;
	if ((f->set & F_REPLY_ZONE) && ct->reply.zone != f->reply_zone)
		return false;
	if ((f->set & F_ID) && (!(ct->has & CT_A_ID) || ct->id != f->id))
		return false;
	if (f->set & F_LABELS) {
		for (unsigned i = 0; i < sizeof(f->labels); i++) {
			uint8_t have = i < ct->labels_len ? ct->labels[i] : 0;

			if ((have & f->labels[i]) != f->labels[i])
				return false;
		}
	}
	return true;
}

/* As libnetfilter_conntrack judges it: the kernel's NAT-done flag (when
 * the entry carries a status) and a reply tuple that differs from the
 * original's mirror image: for source NAT its destination, for
 * destination NAT its source.  Ports likewise. */
static bool nat_done(const struct ct_entry *ct, uint32_t bit)
{
	return !(ct->has & CT_A_STATUS) || (ct->status & bit);
}

static bool is_snat(const struct ct_entry *ct)
{
	return nat_done(ct, IPS_SRC_NAT_DONE) &&
	       !addr_equal(ct->orig.l3, &ct->orig.src, &ct->reply.dst);
}

static bool is_spat(const struct ct_entry *ct)
{
	return nat_done(ct, IPS_SRC_NAT_DONE) &&
	       (ct->orig.has & CT_TUPLE_PORTS) && ct->orig.sport != ct->reply.dport;
}

static bool is_dnat(const struct ct_entry *ct)
{
	return nat_done(ct, IPS_DST_NAT_DONE) &&
	       !addr_equal(ct->orig.l3, &ct->orig.dst, &ct->reply.src);
}

static bool is_dpat(const struct ct_entry *ct)
{
	return nat_done(ct, IPS_DST_NAT_DONE) &&
	       (ct->orig.has & CT_TUPLE_PORTS) && ct->orig.dport != ct->reply.sport;
}

static bool nat_side_match(const struct nat_match *m, bool nat, bool pat,
			   const union ct_addr *reply_addr, uint16_t reply_port,
			   int family)
{
	if (!m->has_addr && !m->has_port)
		return nat || pat;
	if (m->has_addr &&
	    (!nat || m->family != family ||
	     !addr_equal(family, reply_addr, &m->addr)))
		return false;
	return !m->has_port || (pat && reply_port == m->port);
}

static bool nat_match(const struct ct_filter *f, const struct ct_entry *ct)
{
	bool s, d;

	if (!(f->set & (F_SNAT | F_DNAT | F_ANYNAT)))
		return true;
	s = nat_side_match(&f->snat, is_snat(ct), is_spat(ct), &ct->reply.dst,
			   ct->reply.dport, ct->orig.l3);
	d = nat_side_match(&f->dnat, is_dnat(ct), is_dpat(ct), &ct->reply.src,
			   ct->reply.sport, ct->orig.l3);
	if (f->set & F_ANYNAT)
		return s || d;
	if ((f->set & F_SNAT) && !s)
		return false;
	return !(f->set & F_DNAT) || d;
}

bool ct_filter_match(const struct ct_filter *f, const struct ct_entry *ct)
{
	if (!f->set)
		return true;
	if (f->family && ct->orig.l3 != f->family)
		return false;
	if ((f->set & F_L4PROTO) && ct->orig.l4 != f->l4proto)
		return false;
	return tuple_addrs_match(f, ct) && tuple_ports_match(f, ct) &&
	       icmp_match(f, ct) && protoinfo_match(f, ct) &&
	       meta_match(f, ct) && nat_match(f, ct);
}
