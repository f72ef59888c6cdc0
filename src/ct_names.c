/* ct_names.c - names of protocols, protocol states and status bits. */
#include <netinet/in.h>
#include <string.h>

#include "ct_names.h"

const struct proto_def proto_defs[] = {
	{ "tcp", IPPROTO_TCP, PK_TCP },
	{ "udp", IPPROTO_UDP, PK_UDP },
	{ "udplite", IPPROTO_UDPLITE, PK_UDPLITE },
	{ "sctp", IPPROTO_SCTP, PK_SCTP },
	{ "dccp", IPPROTO_DCCP, PK_DCCP },
	{ "icmp", IPPROTO_ICMP, PK_ICMP },
	{ "icmpv6", IPPROTO_ICMPV6, PK_ICMPV6 },
	{ "gre", IPPROTO_GRE, PK_GRE },
	{ NULL, 0, 0 },
};

enum proto_kind proto_kind_of(uint8_t num)
{
	for (const struct proto_def *p = proto_defs; p->name; p++)
		if (p->num == num)
			return p->kind;
	return PK_OTHER;
}

const char *proto_name(uint8_t num)
{
	for (const struct proto_def *p = proto_defs; p->name; p++)
		if (p->num == num)
			return p->name;
	return NULL;
}

/* Kernel enum tcp_conntrack; value 9 was LISTEN before 2.6.31. */
static const char *const tcp_states[] = {
	"NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT",
	"CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2", NULL,
};

/* Kernel enum sctp_conntrack. */
static const char *const sctp_states[] = {
	"NONE", "CLOSED", "COOKIE_WAIT", "COOKIE_ECHOED", "ESTABLISHED",
	"SHUTDOWN_SENT", "SHUTDOWN_RECD", "SHUTDOWN_ACK_SENT",
	"HEARTBEAT_SENT", "HEARTBEAT_ACKED", NULL,
};

/* Kernel enum ct_dccp_states. */
static const char *const dccp_states[] = {
	"NONE", "REQUEST", "RESPOND", "PARTOPEN", "OPEN", "CLOSEREQ",
	"CLOSING", "TIMEWAIT", "IGNORE", "INVALID", NULL,
};

static const char *name_at(const char *const *table, size_t n, unsigned i)
{
	return i < n ? table[i] : NULL;
}

#define TABLE_LEN(t) (sizeof(t) / sizeof((t)[0]) - 1)

const char *tcp_state_name(unsigned s)
{
	return name_at(tcp_states, TABLE_LEN(tcp_states), s);
}

const char *sctp_state_name(unsigned s)
{
	return name_at(sctp_states, TABLE_LEN(sctp_states), s);
}

const char *dccp_state_name(unsigned s)
{
	return name_at(dccp_states, TABLE_LEN(dccp_states), s);
}

static int state_parse(const char *const *table, const char *s)
{
	for (int i = 0; table[i]; i++)
		if (strcmp(table[i], s) == 0)
			return i;
	return -1;
}

int tcp_state_parse(const char *s)
{
	/* conntrack still accepts the pre-2.6.31 name of state 9. */
	if (strcmp(s, "LISTEN") == 0)
		return 9;
	return state_parse(tcp_states, s);
}

int sctp_state_parse(const char *s)
{
	return state_parse(sctp_states, s);
}

int dccp_state_parse(const char *s)
{
	return state_parse(dccp_states, s);
}

const char *state_name_at(enum proto_kind kind, unsigned i)
{
	switch (kind) {
	case PK_TCP:
		return tcp_state_name(i);
	case PK_SCTP:
		return sctp_state_name(i);
	case PK_DCCP:
		return dccp_state_name(i);
	default:
		return NULL;
	}
}

/* Kernel enum ip_conntrack_status, by bit number. */
static const char *const status_names[] = {
	"EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED", "SRC_NAT",
	"DST_NAT", "SEQ_ADJUST", "SRC_NAT_DONE", "DST_NAT_DONE", "DYING",
	"FIXED_TIMEOUT", "TEMPLATE", "NAT_CLASH", "HELPER", "OFFLOAD",
	"HW_OFFLOAD",
};

const char *ct_status_name(unsigned bit)
{
	if (bit >= sizeof(status_names) / sizeof(status_names[0]))
		return NULL;
	return status_names[bit];
}
