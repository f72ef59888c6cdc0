/* fmt.h - output formatters behind one interface.
 *
 * Every listing, get, count, stats and event goes through a struct fmt_ops;
 * command code never asks which format is active.  text (conntrack's default
 * and its -o extended/id/ktimestamp/labels/timestamp variants), xml and save
 * reproduce conntrack 1.4.8 byte for byte; json is ctadm's own (JSON Lines).
 */
#ifndef CTADM_FMT_H
#define CTADM_FMT_H

#include <stdint.h>

#include "ct.h"
#include "out.h"

/* Modifiers from -o (conntrack's output flags). */
enum {
	FMT_F_EXTENDED = 1 << 0,   /* -o extended: "ipv4     2 " prefix */
	FMT_F_ID = 1 << 1,         /* -o id: "id=N" */
	FMT_F_KTIMESTAMP = 1 << 2, /* -o ktimestamp: [start=...] [stop=...] */
	FMT_F_LABELS = 1 << 3,     /* -o labels: labels=... */
	FMT_F_TIMESTAMP = 1 << 4,  /* -o timestamp: event arrival time */
	FMT_F_USERSPACE = 1 << 5,  /* -o userspace: [USERSPACE] portid=... */
};

/* The longest text one entry can take in any format: who keeps entries'
 * texts in a buffer of their own flushes it with less room than this. */
#define FMT_ENTRY_MAX 8192

/* One per-CPU statistics record (-S), in the kernel's attribute order. */
#define CT_STAT_MAX 32
struct ct_stat_item {
	const char *name;       /* "found", "insert", ... or "unknownN" */
	uint32_t value;
};
struct ct_stat {
	unsigned cpu;
	unsigned n;
	struct ct_stat_item item[CT_STAT_MAX];
};

/* Names of the 128 connlabel bits (NULL where connlabel.conf has none). */
struct labelmap {
	const char *name[128];
	char *storage;          /* the one allocation the names point into */
};

struct fmt_ctx {
	struct out *out;
	unsigned flags;                   /* FMT_F_* */
	const struct labelmap *labelmap;  /* may be NULL */
	uint64_t now_ns;                  /* for -o ktimestamp delta-time */
	/* Per-message extras for events (-E); zero for dumps. */
	uint32_t portid;
	const char *progname;
	uint64_t event_ns;                /* -o timestamp: arrival time */
};

struct fmt_ops {
	const char *name;
	/* Start and end a listing (xml: the <conntrack> document frame). */
	void (*begin)(struct fmt_ctx *f);
	void (*end)(struct fmt_ctx *f);
	void (*ct)(struct fmt_ctx *f, const struct ct_entry *ct);
	void (*exp)(struct fmt_ctx *f, const struct ct_exp *exp);
	/* -C: the count of table (e.g. "conntrack", "expect"). */
	void (*count)(struct fmt_ctx *f, const char *table, uint64_t n);
	/* -S: one CPU's record; table is "conntrack" or "expect". */
	void (*stats_cpu)(struct fmt_ctx *f, const char *table,
			  const struct ct_stat *st);
};

extern const struct fmt_ops fmt_text;
extern const struct fmt_ops fmt_xml;
extern const struct fmt_ops fmt_save;
extern const struct fmt_ops fmt_json;

#endif
