/* ct_names.h - the names conntrack uses for protocols, states and status
 * bits, shared by option parsing and every formatter. */
#ifndef CTADM_CT_NAMES_H
#define CTADM_CT_NAMES_H

#include <stdint.h>

/* Protocols with their own options and output fields. */
enum proto_kind {
	PK_TCP = 1 << 0,
	PK_UDP = 1 << 1,
	PK_UDPLITE = 1 << 2,
	PK_SCTP = 1 << 3,
	PK_DCCP = 1 << 4,
	PK_ICMP = 1 << 5,
	PK_ICMPV6 = 1 << 6,
	PK_GRE = 1 << 7,
	PK_OTHER = 1 << 8,
};
#define PK_PORTS (PK_TCP | PK_UDP | PK_UDPLITE | PK_SCTP | PK_DCCP)
#define PK_STATES (PK_TCP | PK_SCTP | PK_DCCP)

struct proto_def {
	const char *name;
	uint8_t num;
	enum proto_kind kind;
};

/* The protocols ctadm knows by name (NULL-terminated). */
extern const struct proto_def proto_defs[];
/* The kind of protocol number num (PK_OTHER if it has no options). */
enum proto_kind proto_kind_of(uint8_t num);
/* Name for num as conntrack prints it, or NULL for an unknown protocol. */
const char *proto_name(uint8_t num);

/* State names by kernel value; NULL past the end of a table. */
const char *tcp_state_name(unsigned state);
const char *sctp_state_name(unsigned state);
const char *dccp_state_name(unsigned state);
/* Parse a state name (exact, upper case as conntrack); -1 if unknown. */
int tcp_state_parse(const char *s);
int sctp_state_parse(const char *s);
int dccp_state_parse(const char *s);
/* Iterate names for help and completion: NULL past the last. */
const char *state_name_at(enum proto_kind kind, unsigned i);

/* The kernel's name of IPS_* bit number bit (e.g. "SEEN_REPLY"), or NULL. */
const char *ct_status_name(unsigned bit);

#endif
