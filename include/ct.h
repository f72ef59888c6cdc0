/* ct.h - a conntrack or expectation entry parsed from netlink.
 *
 * The parser (ct_parse.c) fills these structs from one netlink message
 * without allocating; string fields point into the message, so an entry is
 * valid only during the callback that received it.  Formatters render them.
 */
#ifndef CTADM_CT_H
#define CTADM_CT_H

#include <stdbool.h>
#include <stdint.h>

union ct_addr {
	uint32_t v4;      /* network byte order */
	uint32_t v6[4];   /* network byte order */
	uint8_t b[16];
};

/* Which parts of a tuple the kernel sent (ct_tuple.has). */
enum {
	CT_TUPLE_ADDR = 1 << 0,
	CT_TUPLE_PROTO = 1 << 1,  /* l4 number */
	CT_TUPLE_PORTS = 1 << 2,  /* sport/dport (gre: keys) */
	CT_TUPLE_ICMP = 1 << 3,   /* type/code/id (icmp or icmpv6) */
	CT_TUPLE_ZONE = 1 << 4,
};

struct ct_tuple {
	union ct_addr src, dst;
	uint8_t l3;         /* AF_INET or AF_INET6 */
	uint8_t l4;         /* IPPROTO_* */
	uint8_t has;        /* CT_TUPLE_* */
	uint8_t icmp_type, icmp_code;
	uint16_t icmp_id;   /* host order */
	uint16_t sport, dport; /* host order; for GRE the keys */
	uint16_t zone;
};

/* Which attributes of an entry are present (ct_entry.has). */
enum {
	CT_A_ORIG = 1u << 0,
	CT_A_REPLY = 1u << 1,
	CT_A_STATUS = 1u << 2,
	CT_A_TIMEOUT = 1u << 3,
	CT_A_MARK = 1u << 4,
	CT_A_USE = 1u << 5,
	CT_A_ID = 1u << 6,
	CT_A_ZONE = 1u << 7,
	CT_A_SECMARK = 1u << 8,
	CT_A_SECCTX = 1u << 9,
	CT_A_COUNTERS = 1u << 10,   /* CTA_COUNTERS_ORIG and _REPLY */
	CT_A_TIMESTAMP = 1u << 11,  /* start; stop has its own bit */
	CT_A_TS_STOP = 1u << 12,
	CT_A_LABELS = 1u << 13,
	CT_A_HELPER = 1u << 14,
	CT_A_TCP = 1u << 15,        /* protoinfo: tcp state/wscale/flags */
	CT_A_SCTP = 1u << 16,       /* protoinfo: sctp state/vtags */
	CT_A_DCCP = 1u << 17,       /* protoinfo: dccp state/role/seq */
	CT_A_MASTER = 1u << 18,
	CT_A_SEQADJ = 1u << 19,
	CT_A_SYNPROXY = 1u << 20,
	/* Parts of protoinfo the kernel leaves out of destroy events. */
	CT_A_SCTP_VTAG = 1u << 21,  /* sctp vtag_orig/vtag_reply */
	CT_A_DCCP_ROLE = 1u << 22,  /* dccp role */
};

/* Where the entry came from: a dump/get, or an event of that type. */
enum ct_msg_kind {
	CT_MSG_DUMP = 0,
	CT_MSG_NEW,
	CT_MSG_UPDATE,
	CT_MSG_DESTROY,
};

struct ct_seqadj {
	uint32_t correction_pos, offset_before, offset_after;
};

struct ct_entry {
	uint32_t has;          /* CT_A_* */
	uint8_t family;        /* nfgenmsg family: AF_INET / AF_INET6 */
	uint8_t kind;          /* enum ct_msg_kind */
	struct ct_tuple orig, reply, master;
	uint32_t status;       /* IPS_* bits */
	uint32_t timeout;
	uint32_t mark;
	uint32_t secmark;
	uint32_t use;
	uint32_t id;
	uint16_t zone;
	struct {
		uint8_t state;
		uint8_t wscale_orig, wscale_reply;
		uint8_t flags_orig, flags_reply; /* the kernel's flags, not masks */
	} tcp;
	struct {
		uint8_t state;
		uint32_t vtag_orig, vtag_reply; /* host order */
	} sctp;
	struct {
		uint8_t state, role;
		uint64_t handshake_seq;
	} dccp;
	uint64_t packets[2], bytes[2];  /* [0] original, [1] reply */
	uint64_t ts_start, ts_stop;     /* ns since the epoch */
	uint8_t labels[16];
	uint8_t labels_len;             /* bytes present in labels[] */
	const char *helper;             /* points into the message */
	const char *secctx;             /* points into the message */
	struct ct_seqadj seqadj[2];
};

/* Which attributes of an expectation are present (ct_exp.has). */
enum {
	CT_EXP_A_MASTER = 1u << 0,
	CT_EXP_A_TUPLE = 1u << 1,
	CT_EXP_A_MASK = 1u << 2,
	CT_EXP_A_TIMEOUT = 1u << 3,
	CT_EXP_A_ID = 1u << 4,
	CT_EXP_A_HELPER = 1u << 5,
	CT_EXP_A_ZONE = 1u << 6,
	CT_EXP_A_FLAGS = 1u << 7,
	CT_EXP_A_CLASS = 1u << 8,
	CT_EXP_A_NAT = 1u << 9,
	CT_EXP_A_FN = 1u << 10,
};

struct ct_exp {
	uint32_t has;          /* CT_EXP_A_* */
	uint8_t family;
	uint8_t kind;          /* enum ct_msg_kind */
	struct ct_tuple master, tuple, mask, nat_tuple;
	uint32_t timeout;
	uint32_t id;
	uint32_t flags;        /* NF_CT_EXPECT_* */
	uint32_t class;
	uint32_t nat_dir;
	uint16_t zone;
	const char *helper;    /* points into the message */
	const char *fn;        /* points into the message */
};

#endif
