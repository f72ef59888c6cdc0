/* opt.h - the one option table of ctadm's conntrack-compatible surface.
 *
 * getopt's short string and long-option array, --help, per-command
 * legality and the completion data are all derived from opt_defs[]; an
 * option exists by having a row there.
 */
#ifndef CTADM_OPT_H
#define CTADM_OPT_H

#include <stdbool.h>
#include <stdint.h>

#include "ct_names.h"

struct ctadm;

/* Commands, as bits so that a row can say where it is legal.  The _EXP
 * variants are the same command on the expectation table. */
enum {
	CB_LIST = 1 << 0,
	CB_GET = 1 << 1,
	CB_COUNT = 1 << 2,
	CB_STATS = 1 << 3,
	CB_VERSION = 1 << 4,
	CB_HELP = 1 << 5,
	CB_LIST_EXP = 1 << 6,
	CB_GET_EXP = 1 << 7,
	CB_COUNT_EXP = 1 << 8,
	CB_STATS_EXP = 1 << 9,
	CB_CREATE = 1 << 10,
	CB_ADD = 1 << 11,
	CB_UPDATE = 1 << 12,
	CB_DELETE = 1 << 13,
	CB_FLUSH = 1 << 14,
	CB_EVENT = 1 << 15,
	CB_LOAD = 1 << 16,
	CB_CREATE_EXP = 1 << 17,
	CB_DELETE_EXP = 1 << 18,
	CB_FLUSH_EXP = 1 << 19,
	CB_EVENT_EXP = 1 << 20,
	/* ctadm's word commands */
	CB_LOG_INVALID = 1 << 21,
	CB_NFLOG = 1 << 22,
	CB_DYNDBG = 1 << 23,
	CB_DEBUG = 1 << 24,
	CB_DIAGNOSE = 1 << 25,
	CB_REPORT = 1 << 26,
	CB_WATCH_INVALID = 1 << 27,
};

/* The word commands: their own options stay out of getopt's table unless
 * one of them is on the command line, so that no abbreviation of a
 * conntrack option becomes ambiguous. */
#define CB_WORDS (CB_LOG_INVALID | CB_NFLOG | CB_DYNDBG | CB_DEBUG | \
		  CB_DIAGNOSE | CB_REPORT | CB_WATCH_INVALID)

enum ct_table {
	TABLE_CONNTRACK,
	TABLE_EXPECT,
	TABLE_DYING,
	TABLE_UNCONFIRMED,
};

/* A row is an option-like command (-L, --dump) or, with short_name 0, a
 * word command of ctadm's own ("ctadm nflog ..."). */
struct cmd_def {
	char short_name;
	const char *long_name;
	uint32_t bit;          /* CB_* on the conntrack table */
	uint32_t exp_bit;      /* CB_* on the expect table, 0: not there */
	uint8_t tables;        /* 1 << enum ct_table it accepts */
	bool takes_file;       /* its argument is a FILE, not a table (-R) */
	int (*run)(struct ctadm *c);
	const char *usage;     /* "[table] [filters]" */
	const char *help;
};

/* Option identities; aliases share one. */
enum opt_id {
	O_NONE,
	O_SRC, O_DST, O_REPLY_SRC, O_REPLY_DST, O_MASK_SRC, O_MASK_DST,
	O_PROTO, O_FAMILY, O_STATUS, O_MARK, O_SECMARK, O_ZERO, O_OUTPUT,
	O_SRC_NAT, O_DST_NAT, O_ANY_NAT, O_ZONE, O_ORIG_ZONE, O_REPLY_ZONE,
	O_LABEL, O_ID, O_NETNS, O_LABELMAP,
	O_TIMEOUT, O_EVENT_MASK, O_BUFFER_SIZE, O_TUPLE_SRC, O_TUPLE_DST,
	O_LABEL_ADD, O_LABEL_DEL, O_QUIET, O_RESYNC, O_ALL_NETNS_LOGGING,
	/* options of the word commands */
	O_MOUNT_DEBUGFS, O_BACKEND, O_DYNDBG, O_SAMPLES, O_INTERVAL,
	O_ALL_NETNS, O_SECONDS, O_MAX_COUNT, O_INVALID_SECONDS,
	/* per-protocol options */
	O_SPORT, O_DPORT, O_REPLY_SPORT, O_REPLY_DPORT, O_STATE,
	O_ICMP_TYPE, O_ICMP_CODE, O_ICMP_ID,
	O_ICMPV6_TYPE, O_ICMPV6_CODE, O_ICMPV6_ID,
	O_GRE_SKEY, O_GRE_DKEY, O_GRE_REPLY_SKEY, O_GRE_REPLY_DKEY,
	O_MASK_SPORT, O_MASK_DPORT, O_TUPLE_SPORT, O_TUPLE_DPORT,
	O_VTAG_ORIG, O_VTAG_REPLY,
	O_COUNT_
};

enum opt_arg { ARG_NONE, ARG_REQUIRED, ARG_OPTIONAL };

struct opt_def {
	const char *name;      /* long name */
	char short_name;       /* 0: long only */
	uint8_t arg;           /* enum opt_arg */
	uint8_t id;            /* enum opt_id */
	uint32_t cmds;         /* CB_* where it is legal */
	uint32_t protos;       /* PK_* that have it; 0: not per-protocol */
	const char *argname;   /* for help; NULL for no argument */
	const char *help;      /* NULL for an alias (help shows the first) */
	const char *complete;  /* completion class, see opt_complete() */
};

extern const struct opt_def opt_defs[];
extern const struct cmd_def cmd_defs[];

/* Parse argv into c (command, filter, output); 0 or a negative error with
 * the message in c->err.  Usage errors return -CTADM_EUSAGE. */
int opt_parse(struct ctadm *c, int argc, char **argv);
/* ctadm -h [-p PROTO]. */
int opt_help(struct ctadm *c);
/* Completion data: one word a line for class ("commands",
 * "options [CMD [TABLE]]", "tables [CMD]", "protocols", "states",
 * "status", "outputs", "families", "events",
 * "proto-options PROTO [CMD [TABLE]]"). */
int opt_complete(struct ctadm *c, int argc, char **argv);

#endif
