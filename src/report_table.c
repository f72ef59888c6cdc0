/* report_table.c - the table in numbers, from one dump: entries by
 * family, protocol, state and status, and the most frequent sources,
 * destinations and destination ports.
 *
 * Nothing is kept per entry: fixed arrays, and three topn maps of at
 * most TOP_TRACKED keys each (about 3 MB apiece, mostly never touched
 * on a small table), so memory stays flat on a table of millions. */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter/nf_conntrack_common.h>

#include "cmd.h"
#include "ct_names.h"
#include "nl_ct.h"
#include "report.h"

/* Distinct keys counted exactly; beyond, topn.h's bounds hold. */
#define TOP_TRACKED 65536
/* Address keys: the family, then 16 bytes (IPv4 in the first 4). */
#define ADDR_KEY_LEN 17
/* Port keys: the protocol, then the port in network order, so that
 * keys sort by port. */
#define PORT_KEY_LEN 3

int report_table_init(struct report_table *t)
{
	memset(t, 0, sizeof(*t));
	if (topn_init(&t->src, ADDR_KEY_LEN, TOP_TRACKED) < 0 ||
	    topn_init(&t->dst, ADDR_KEY_LEN, TOP_TRACKED) < 0 ||
	    topn_init(&t->dport, PORT_KEY_LEN, TOP_TRACKED) < 0) {
		report_table_free(t);
		return -ENOMEM;
	}
	return 0;
}

void report_table_free(struct report_table *t)
{
	topn_free(&t->src);
	topn_free(&t->dst);
	topn_free(&t->dport);
}

static void addr_key_make(uint8_t *key, uint8_t family,
			  const union ct_addr *a)
{
	memset(key, 0, ADDR_KEY_LEN);
	key[0] = family;
	memcpy(key + 1, a->b, family == AF_INET6 ? 16 : 4);
}

void report_addr_key(const uint8_t *key, uint8_t *family,
		     union ct_addr *addr)
{
	*family = key[0];
	memcpy(addr->b, key + 1, 16);
}

void report_port_key(const uint8_t *key, uint8_t *l4, uint16_t *port)
{
	*l4 = key[0];
	*port = (uint16_t)(key[1] << 8 | key[2]);
}

uint8_t report_state_proto(unsigned kind)
{
	return kind == RS_TCP ? IPPROTO_TCP : kind == RS_SCTP ? IPPROTO_SCTP
							   : IPPROTO_DCCP;
}

const char *report_state_name(unsigned kind, unsigned state)
{
	switch (kind) {
	case RS_TCP: return tcp_state_name(state);
	case RS_SCTP: return sctp_state_name(state);
	default: return dccp_state_name(state);
	}
}

static void state_count(struct report_table *t, const struct ct_entry *ct)
{
	int kind = -1;
	unsigned state = 0;

	if (ct->has & CT_A_TCP) {
		kind = RS_TCP;
		state = ct->tcp.state;
	} else if (ct->has & CT_A_SCTP) {
		kind = RS_SCTP;
		state = ct->sctp.state;
	} else if (ct->has & CT_A_DCCP) {
		kind = RS_DCCP;
		state = ct->dccp.state;
	}
	if (kind >= 0 && state < REPORT_STATES_MAX)
		t->state[kind][state]++;
}

static void status_count(struct report_table *t, uint32_t status)
{
	t->assured += !!(status & IPS_ASSURED);
	t->seen_reply += !!(status & IPS_SEEN_REPLY);
	t->snat += !!(status & IPS_SRC_NAT);
	t->dnat += !!(status & IPS_DST_NAT);
	t->expected += !!(status & IPS_EXPECTED);
}

static void tops_count(struct report_table *t, const struct ct_tuple *o)
{
	uint8_t key[TOPN_KEY_MAX];

	if (o->has & CT_TUPLE_ADDR) {
		addr_key_make(key, o->l3, &o->src);
		topn_add(&t->src, key);
		addr_key_make(key, o->l3, &o->dst);
		topn_add(&t->dst, key);
	}
	/* GRE's keys travel in the port fields: not ports. */
	if ((o->has & CT_TUPLE_PORTS) && (proto_kind_of(o->l4) & PK_PORTS)) {
		key[0] = o->l4;
		key[1] = (uint8_t)(o->dport >> 8);
		key[2] = (uint8_t)o->dport;
		topn_add(&t->dport, key);
	}
}

static int entry_count(const struct ct_entry *ct, void *data)
{
	struct report_table *t = data;

	t->entries++;
	t->ipv4 += ct->orig.l3 == AF_INET;
	t->ipv6 += ct->orig.l3 == AF_INET6;
	t->proto[ct->orig.l4]++;
	state_count(t, ct);
	status_count(t, ct->status);
	tops_count(t, &ct->orig);
	return 0;
}

int report_table_count(struct ctadm *c, struct nl_sock *s,
		       struct report_table *t)
{
	static const struct ct_filter all;
	int ret = ct_dump_filtered(s, TABLE_CONNTRACK, &all, false,
				   entry_count, t);

	return ret < 0 ? nl_fail(c, s, "dumping the conntrack table", ret) : 0;
}
