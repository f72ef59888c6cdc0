/* opt_proto.c - per-protocol options, NAT arguments, output formats,
 * labels, and the checks that need the whole command line. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ctadm.h"
#include "labels.h"
#include "opt_parse.h"

static int number_arg(struct ctadm *c, const struct opt_def *o, const char *arg,
		   uint64_t max, uint64_t *v)
{
	if (parse_uint(arg, max, v) < 0)
		return ctadm_fail(c, CTADM_EUSAGE,
				  "--%s: `%s' is not a number from 0 to %llu",
				  o->name, arg, (unsigned long long)max);
	return 0;
}

static int state_apply(struct ctadm *c, const char *arg)
{
	int s;

	switch (c->proto->kind) {
	case PK_TCP:
		s = tcp_state_parse(arg);
		break;
	case PK_SCTP:
		s = sctp_state_parse(arg);
		break;
	default:
		s = dccp_state_parse(arg);
		break;
	}
	if (s < 0)
		return ctadm_fail(c, CTADM_EUSAGE, "--state: unknown %s state `%s'",
				  c->proto->name, arg);
	c->filter.state = (uint8_t)s;
	c->filter.set |= F_STATE;
	return 0;
}

/* GRE keys travel in the tuple's port fields, as the kernel sends them. */
static uint32_t port_bit(enum opt_id id)
{
	switch (id) {
	case O_SPORT:
	case O_GRE_SKEY:
		return F_ORIG_SPORT;
	case O_DPORT:
	case O_GRE_DKEY:
		return F_ORIG_DPORT;
	case O_REPLY_SPORT:
	case O_GRE_REPLY_SKEY:
		return F_REPLY_SPORT;
	default:
		return F_REPLY_DPORT;
	}
}

static void port_set(struct ct_filter *f, uint32_t bit, uint16_t v)
{
	if (bit == F_ORIG_SPORT)
		f->orig_sport = v;
	else if (bit == F_ORIG_DPORT)
		f->orig_dport = v;
	else if (bit == F_REPLY_SPORT)
		f->reply_sport = v;
	else
		f->reply_dport = v;
	f->set |= bit;
}

static int icmp_apply(struct ctadm *c, const struct opt_def *o,
		      const char *arg)
{
	struct ct_filter *f = &c->filter;
	bool is_id = o->id == O_ICMP_ID || o->id == O_ICMPV6_ID;
	uint64_t v;

	if (number_arg(c, o, arg, is_id ? UINT16_MAX : UINT8_MAX, &v) < 0)
		return -CTADM_EUSAGE;
	if (is_id) {
		f->icmp_id = (uint16_t)v;
		f->set |= F_ICMP_ID;
	} else if (o->id == O_ICMP_TYPE || o->id == O_ICMPV6_TYPE) {
		f->icmp_type = (uint8_t)v;
		f->set |= F_ICMP_TYPE;
	} else {
		f->icmp_code = (uint8_t)v;
		f->set |= F_ICMP_CODE;
	}
	return 0;
}

/* Expectation ports (GRE: keys) and SCTP verification tags. */
static int proto_extra_apply(struct ctadm *c, const struct opt_def *o,
			     const char *arg)
{
	struct ct_change *ch = &c->change;
	bool vtag = o->id == O_VTAG_ORIG || o->id == O_VTAG_REPLY;
	uint64_t v;

	if (number_arg(c, o, arg, vtag ? UINT32_MAX : UINT16_MAX, &v) < 0)
		return -CTADM_EUSAGE;
	switch (o->id) {
	case O_VTAG_ORIG:
		c->filter.vtag_orig = (uint32_t)v;
		c->filter.set |= F_VTAG_ORIG;
		break;
	case O_VTAG_REPLY:
		c->filter.vtag_reply = (uint32_t)v;
		c->filter.set |= F_VTAG_REPLY;
		break;
	case O_MASK_SPORT:
		ch->mask_sport = (uint16_t)v;
		ch->set |= CH_MASK_SPORT;
		break;
	case O_MASK_DPORT:
		ch->mask_dport = (uint16_t)v;
		ch->set |= CH_MASK_DPORT;
		break;
	case O_TUPLE_SPORT:
		ch->exp_sport = (uint16_t)v;
		ch->set |= CH_EXP_SPORT;
		break;
	default: /* O_TUPLE_DPORT */
		ch->exp_dport = (uint16_t)v;
		ch->set |= CH_EXP_DPORT;
		break;
	}
	return 0;
}

int proto_opt_apply(struct ctadm *c, const struct opt_def *o, const char *arg)
{
	uint64_t v;

	switch (o->id) {
	case O_VTAG_ORIG:
	case O_VTAG_REPLY:
	case O_MASK_SPORT:
	case O_MASK_DPORT:
	case O_TUPLE_SPORT:
	case O_TUPLE_DPORT:
		return proto_extra_apply(c, o, arg);
	case O_STATE:
		return state_apply(c, arg);
	case O_ICMP_TYPE:
	case O_ICMP_CODE:
	case O_ICMP_ID:
	case O_ICMPV6_TYPE:
	case O_ICMPV6_CODE:
	case O_ICMPV6_ID:
		return icmp_apply(c, o, arg);
	default:
		if (number_arg(c, o, arg, UINT16_MAX, &v) < 0)
			return -CTADM_EUSAGE;
		port_set(&c->filter, port_bit(o->id), (uint16_t)v);
		return 0;
	}
}

/* ADDR, ADDR:PORT, IPV6 or [IPV6]:PORT. */
static int nat_split(const char *arg, char *addr, size_t size,
		     const char **port)
{
	const char *colon = strrchr(arg, ':');
	size_t len;

	*port = NULL;
	if (arg[0] == '[') {
		const char *close = strchr(arg, ']');

		if (!close || close == arg + 1 ||
		    (close[1] && close[1] != ':'))
			return -1;
		len = (size_t)(close - arg - 1);
		arg++;
		*port = close[1] ? close + 2 : NULL;
	} else if (colon && colon == strchr(arg, ':')) {
		len = (size_t)(colon - arg);
		*port = colon + 1;
	} else {
		len = strlen(arg);
	}
	if (len >= size)
		return -1;
	memcpy(addr, arg, len);
	addr[len] = '\0';
	return 0;
}

int nat_arg_parse(struct ctadm *c, const struct opt_def *o, const char *arg,
		  struct nat_match *m)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *port;
	int family, prefix;
	uint64_t v;

	if (nat_split(arg, addr, sizeof(addr), &port) < 0 ||
	    parse_addr(addr, &m->addr, &family, &prefix) < 0 || prefix >= 0)
		return ctadm_fail(c, CTADM_EUSAGE,
				  "--%s: `%s' is not ADDR[:PORT]", o->name, arg);
	if (port && (strspn(port, "0123456789") != strlen(port) ||
		     parse_uint(port, UINT16_MAX, &v) < 0))
		return ctadm_fail(c, CTADM_EUSAGE, "--%s: invalid port `%s'",
				  o->name, port);
	m->has_addr = true;
	m->family = (uint8_t)family;
	if (port) {
		m->has_port = true;
		m->port = (uint16_t)v;
	}
	return 0;
}
