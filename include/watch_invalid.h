/* watch_invalid.h - catch the packets conntrack finds invalid, with the
 * kernel's reason, as watch-invalid and report --invalid-seconds do.
 *
 * For the time of a capture the namespace's ipv4 and ipv6 nf_log
 * backends are nfnetlink_log and nf_conntrack_log_invalid is set; the
 * kernel then sends each invalid packet to NFLOG group 0 with its reason
 * as the prefix ("nf_ct_proto_6: invalid tcp flag combination").  Every
 * setting is put back before invalid_capture() returns, also after an
 * error or SIGINT/SIGTERM/SIGHUP, which only end the capture. */
#ifndef CTADM_WATCH_INVALID_H
#define CTADM_WATCH_INVALID_H

#include <stdbool.h>
#include <stdint.h>

#include "ct.h"
#include "nflog_pkt.h"

struct ctadm;
struct out;

/* The protocols to catch.  log_invalid takes one protocol or 255 (all):
 * for several, the kernel logs all and ctadm drops the others. */
struct invalid_protos {
	unsigned log_invalid;   /* the value set: a protocol, or 255 */
	bool all;               /* no filter */
	uint8_t want[32];       /* bitmap of the protocols kept */
};

/* PROTO words (names as log-invalid takes them, numbers, all) into p;
 * none is all.  0 or a CTADM_EUSAGE ctadm_fail() error. */
int invalid_protos_parse(struct ctadm *c, char *const *words, int n,
			 struct invalid_protos *p);

#define INVALID_REASONS_MAX 32
#define INVALID_FLOWS_MAX 128

struct invalid_reason {
	char reason[NFLOG_PREFIX_MAX];  /* the kernel's prefix */
	unsigned long count;
};

/* A flow: addresses, protocol and ports (0 without ports). */
struct invalid_flow {
	uint8_t l3, l4;
	bool has_ports;
	uint16_t sport, dport;
	union ct_addr src, dst;
	unsigned long count;
};

enum invalid_stop {
	INVALID_STOP_TIME,      /* the seconds passed */
	INVALID_STOP_COUNT,     /* max_count packets caught */
	INVALID_STOP_SIGNAL,    /* SIGINT, SIGTERM or SIGHUP (signal) */
};

struct invalid_counts {
	struct invalid_protos protos;
	uint64_t elapsed_ns;
	enum invalid_stop stop;
	int signal;
	unsigned long packets;      /* caught: conntrack's, protocol kept */
	unsigned long filtered;     /* conntrack's, of another protocol */
	unsigned long foreign;      /* other logs to group 0 (log rules) */
	unsigned long overruns;     /* receive buffer overflows: packets lost */
	unsigned n_reasons, n_flows;  /* most counted first after a capture */
	struct invalid_reason reason[INVALID_REASONS_MAX];
	struct invalid_flow flow[INVALID_FLOWS_MAX];
	unsigned long other_reasons;  /* packets beyond the tables' room */
	unsigned long other_flows;
};

/* Called for each packet caught (after counting it) with the time it
 * was received; a negative return ends the capture with that error. */
typedef int (*invalid_pkt_cb)(const struct nflog_pkt *p, uint64_t time_ns,
			      void *arg);

struct invalid_capture_opts {
	const struct invalid_protos *protos;  /* NULL: all */
	unsigned seconds;                     /* 0: until a signal */
	unsigned max_count;                   /* 0: no limit */
	invalid_pkt_cb cb;                    /* NULL: count only */
	void *arg;
};

/* Catch invalid packets in the current namespace into n, then put every
 * setting back.  0, or a ctadm_fail() error (settings put back too). */
int invalid_capture(struct ctadm *c, const struct invalid_capture_opts *o,
		    struct invalid_counts *n);

/* The counts as a short text table, and as JSON members ("seconds":..,
 * "packets":..,"reasons":[..],"flows":[..], without braces) to put in
 * an object of the caller's. */
void invalid_counts_text(struct out *o, const struct invalid_counts *n);
void invalid_counts_json_fields(struct out *o, const struct invalid_counts *n);

#endif
