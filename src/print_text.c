/* print_text.c - conntrack's default text output.
 *
 * Entry and expectation lines are libnetfilter_conntrack 1.0.9's
 * snprintf_default (conntrack hands them its -o flags); the event time
 * prefix, the [USERSPACE] suffix, counts and statistics are conntrack's
 * own printf calls.  Every field is written with a trailing blank and the
 * last blank is cut, exactly as the library does.
 */
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <linux/netfilter/nf_conntrack_common.h>

#include "ct_names.h"
#include "print.h"

#define NSEC_PER_SEC 1000000000ull

void print_drop_blank(struct out *o)
{
	/* The byte just written is still in the buffer: out_* flush only
	 * before they write. */
	if (o->len > 0 && o->buf[o->len - 1] == ' ')
		o->len--;
}

void print_userspace(struct fmt_ctx *f, uint8_t kind)
{
	if (kind == CT_MSG_DUMP || f->portid == 0)
		return;
	out_str(f->out, " [USERSPACE] portid=");
	out_u32(f->out, f->portid);
	if (f->progname) {
		out_str(f->out, " progname=");
		out_str(f->out, f->progname);
	}
}

/* Digits of v, for printf's width and precision. */
static unsigned dec_digits(uint64_t v)
{
	unsigned n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static void out_zeros(struct out *o, unsigned n)
{
	while (n-- > 0)
		out_char(o, '0');
}

/* conntrack -E -o timestamp: printf("[%-.8ld.%-.6ld]\t"), the precision
 * zero-padding seconds to 8 digits and microseconds to 6. */
static void text_ct_event_time(struct out *o, uint64_t ns)
{
	uint64_t sec = ns / NSEC_PER_SEC, usec = ns % NSEC_PER_SEC / 1000;

	out_char(o, '[');
	if (dec_digits(sec) < 8)
		out_zeros(o, 8 - dec_digits(sec));
	out_u64(o, sec);
	out_char(o, '.');
	out_zeros(o, 6 - dec_digits(usec));
	out_u64(o, usec);
	out_str(o, "]\t");
}

/* Expectations keep the older printf("[%-8ld.%-6ld]\t"): left-justified
 * and blank-padded instead. */
static void text_exp_event_time(struct out *o, uint64_t ns)
{
	uint64_t sec = ns / NSEC_PER_SEC, usec = ns % NSEC_PER_SEC / 1000;

	out_char(o, '[');
	out_u64(o, sec);
	for (unsigned n = dec_digits(sec); n < 8; n++)
		out_char(o, ' ');
	out_char(o, '.');
	out_u64(o, usec);
	for (unsigned n = dec_digits(usec); n < 6; n++)
		out_char(o, ' ');
	out_str(o, "]\t");
}

/* The library's "%9s " of "[NEW]", "[UPDATE]", "[DESTROY]". */
static void text_kind(struct out *o, uint8_t kind)
{
	switch (kind) {
	case CT_MSG_NEW:
		out_str(o, "    [NEW] ");
		break;
	case CT_MSG_UPDATE:
		out_str(o, " [UPDATE] ");
		break;
	case CT_MSG_DESTROY:
		out_str(o, "[DESTROY] ");
		break;
	}
}

/* "%-8s %u " of the name (the library's own short table) and number. */
static void text_name_num(struct out *o, const char *name, unsigned num)
{
	out_str_pad(o, name ? name : "unknown", 8);
	out_char(o, ' ');
	out_u32(o, num);
	out_char(o, ' ');
}

static void text_l3(struct out *o, uint8_t family)
{
	const char *name = family == AF_INET ? "ipv4" :
			   family == AF_INET6 ? "ipv6" : NULL;

	text_name_num(o, name, family);
}

/* A key written as a literal, its length taken at compile time: keys are
 * passed down through helpers that gcc does not inline, where out_str
 * would measure them again per entry.  The "" rejects a non-literal. */
struct text_key {
	const char *s;
	size_t n;
};

#define KEY(lit) ((struct text_key){ lit "", sizeof(lit "") - 1 })

static void text_kv(struct out *o, struct text_key key, uint32_t v)
{
	out_mem(o, key.s, key.n);
	out_u32(o, v);
	out_char(o, ' ');
}

static void text_addrs(struct out *o, const struct ct_tuple *t,
		       struct text_key src, struct text_key dst)
{
	if (t->l3 != AF_INET && t->l3 != AF_INET6)
		return;
	out_mem(o, src.s, src.n);
	out_addr(o, t->l3, &t->src);
	out_char(o, ' ');
	out_mem(o, dst.s, dst.n);
	out_addr(o, t->l3, &t->dst);
	out_char(o, ' ');
}

/* Printed from the protocol number alone, present or not: a dccp entry
 * the kernel tracks generically shows "sport=0 dport=0". */
static void text_l4(struct out *o, const struct ct_tuple *t)
{
	switch (t->l4) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
		text_kv(o, KEY("sport="), t->sport);
		text_kv(o, KEY("dport="), t->dport);
		break;
	case IPPROTO_GRE:
		out_str(o, "srckey=0x");
		out_hex(o, t->sport);
		out_str(o, " dstkey=0x");
		out_hex(o, t->dport);
		out_char(o, ' ');
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		text_kv(o, KEY("type="), t->icmp_type);
		text_kv(o, KEY("code="), t->icmp_code);
		text_kv(o, KEY("id="), t->icmp_id);
		break;
	}
}

static void text_tuple(struct out *o, const struct ct_tuple *t,
		       struct text_key zone_key)
{
	text_addrs(o, t, KEY("src="), KEY("dst="));
	text_l4(o, t);
	if (t->has & CT_TUPLE_ZONE)
		text_kv(o, zone_key, t->zone);
}

static void text_counters(struct out *o, const struct ct_entry *ct, int dir)
{
	if (!(ct->has & CT_A_COUNTERS))
		return;
	out_str(o, "packets=");
	out_u64(o, ct->packets[dir]);
	out_str(o, " bytes=");
	out_u64(o, ct->bytes[dir]);
	out_char(o, ' ');
}

/* A state past the end of the library's table prints as its NONE. */
static void text_state(struct out *o, const char *name)
{
	out_str(o, name ? name : "NONE");
	out_char(o, ' ');
}

static void text_ct_head(struct fmt_ctx *f, const struct ct_entry *ct)
{
	struct out *o = f->out;

	if ((f->flags & FMT_F_TIMESTAMP) && ct->kind != CT_MSG_DUMP)
		text_ct_event_time(o, f->event_ns);
	text_kind(o, ct->kind);
	if (f->flags & FMT_F_EXTENDED)
		text_l3(o, ct->family);
	text_name_num(o, proto_name(ct->orig.l4), ct->orig.l4);
	if (ct->has & CT_A_TIMEOUT) {
		out_u32(o, ct->timeout);
		out_char(o, ' ');
	}
	if (ct->has & CT_A_TCP)
		text_state(o, tcp_state_name(ct->tcp.state));
	if (ct->has & CT_A_SCTP)
		text_state(o, sctp_state_name(ct->sctp.state));
	if (ct->has & CT_A_DCCP)
		text_state(o, dccp_state_name(ct->dccp.state));
}

static void text_ct_tuples(struct out *o, const struct ct_entry *ct)
{
	text_tuple(o, &ct->orig, KEY("zone-orig="));
	text_counters(o, ct, 0);
	if ((ct->has & CT_A_STATUS) && !(ct->status & IPS_SEEN_REPLY))
		out_str(o, "[UNREPLIED] ");
	text_tuple(o, &ct->reply, KEY("zone-reply="));
	text_counters(o, ct, 1);
	if (!(ct->has & CT_A_STATUS))
		return;
	if (ct->status & IPS_HW_OFFLOAD)
		out_str(o, "[HW_OFFLOAD] ");
	else if (ct->status & IPS_OFFLOAD)
		out_str(o, "[OFFLOAD] ");
	else if (ct->status & IPS_ASSURED)
		out_str(o, "[ASSURED] ");
}

/* ctime(3) without its newline: "Wed Jun 30 21:49:08 1993", local time. */
static void text_ctime(struct out *o, uint64_t ns)
{
	static const char days[] = "SunMonTueWedThuFriSat";
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	time_t t = (time_t)(ns / NSEC_PER_SEC);
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return;
	out_mem(o, days + 3 * tm.tm_wday, 3);
	out_char(o, ' ');
	out_mem(o, months + 3 * tm.tm_mon, 3);
	out_char(o, ' ');
	out_char(o, tm.tm_mday < 10 ? ' ' : '0' + tm.tm_mday / 10);
	out_char(o, '0' + tm.tm_mday % 10);
	out_char(o, ' ');
	out_char(o, '0' + tm.tm_hour / 10);
	out_char(o, '0' + tm.tm_hour % 10);
	out_char(o, ':');
	out_char(o, '0' + tm.tm_min / 10);
	out_char(o, '0' + tm.tm_min % 10);
	out_char(o, ':');
	out_char(o, '0' + tm.tm_sec / 10);
	out_char(o, '0' + tm.tm_sec % 10);
	out_char(o, ' ');
	out_i64(o, (int64_t)tm.tm_year + 1900);
}

/* delta-time comes whenever the kernel sends a start time, -o ktimestamp
 * or not; a live entry is measured to now.  Whole seconds are subtracted
 * and printed as unsigned, as the library does. */
static void text_ct_times(struct fmt_ctx *f, const struct ct_entry *ct)
{
	struct out *o = f->out;
	uint64_t stop = (ct->has & CT_A_TS_STOP) ? ct->ts_stop : 0;

	if (ct->has & CT_A_TIMESTAMP) {
		int64_t stop_s = (int64_t)((stop ? stop : f->now_ns) /
					   NSEC_PER_SEC);

		out_str(o, "delta-time=");
		out_u64(o, (uint64_t)(stop_s -
				      (int64_t)(ct->ts_start / NSEC_PER_SEC)));
		out_char(o, ' ');
	}
	if (!(f->flags & FMT_F_KTIMESTAMP))
		return;
	if (ct->has & CT_A_TIMESTAMP) {
		out_str(o, "[start=");
		text_ctime(o, ct->ts_start);
		out_str(o, "] ");
	}
	if (ct->has & CT_A_TS_STOP) {
		out_str(o, "[stop=");
		text_ctime(o, ct->ts_stop);
		out_str(o, "] ");
	}
}

/* The library reads the label bitmap as host-order 32-bit words. */
static bool ct_label_bit(const struct ct_entry *ct, unsigned bit)
{
	uint32_t w;

	memcpy(&w, ct->labels + bit / 32 * 4, sizeof(w));
	return (w >> (bit % 32)) & 1;
}

/* Only bits with a name show.  The library then overwrites the last byte
 * with a blank: the final ',' - or the '=' when no bit had a name, which
 * leaves a bare "labels". */
static void text_labels(struct fmt_ctx *f, const struct ct_entry *ct)
{
	struct out *o = f->out;

	if (!f->labelmap || !(ct->has & CT_A_LABELS))
		return;
	out_str(o, "labels=");
	for (unsigned bit = 0; bit < ct->labels_len * 8u && bit < 128; bit++) {
		const char *name = f->labelmap->name[bit];

		if (!ct_label_bit(ct, bit) || !name || !*name)
			continue;
		out_str(o, name);
		out_char(o, ',');
	}
	o->buf[o->len - 1] = ' ';
}

static void text_str_kv(struct out *o, const char *key, const char *v)
{
	out_str(o, key);
	out_str(o, v);
	out_char(o, ' ');
}

static void text_ct_meta(struct fmt_ctx *f, const struct ct_entry *ct)
{
	struct out *o = f->out;

	if (ct->has & CT_A_MARK)
		text_kv(o, KEY("mark="), ct->mark);
	if (ct->has & CT_A_SECMARK)
		text_kv(o, KEY("secmark="), ct->secmark);
	if (ct->has & CT_A_SECCTX)
		text_str_kv(o, "secctx=", ct->secctx);
	if (ct->has & CT_A_ZONE)
		text_kv(o, KEY("zone="), ct->zone);
	text_ct_times(f, ct);
	if (ct->has & CT_A_HELPER)
		text_str_kv(o, "helper=", ct->helper);
	if (ct->has & CT_A_USE)
		text_kv(o, KEY("use="), ct->use);
	if ((f->flags & FMT_F_ID) && (ct->has & CT_A_ID))
		text_kv(o, KEY("id="), ct->id);
	text_labels(f, ct);
}

static void text_ct(struct fmt_ctx *f, const struct ct_entry *ct)
{
	text_ct_head(f, ct);
	text_ct_tuples(f->out, ct);
	text_ct_meta(f, ct);
	print_drop_blank(f->out);
	print_userspace(f, ct->kind);
	out_char(f->out, '\n');
}

/* Any flag bit, known or not, is followed by a blank. */
static void text_exp_flags(struct out *o, uint32_t flags)
{
	const char *delim = "";

	if (flags & NF_CT_EXPECT_PERMANENT) {
		out_str(o, "PERMANENT");
		delim = ",";
	}
	if (flags & NF_CT_EXPECT_INACTIVE) {
		out_str(o, delim);
		out_str(o, "INACTIVE");
		delim = ",";
	}
	if (flags & NF_CT_EXPECT_USERSPACE) {
		out_str(o, delim);
		out_str(o, "USERSPACE");
	}
	if (flags)
		out_char(o, ' ');
}

static void text_exp_tuple(struct out *o, const struct ct_tuple *t,
			   struct text_key src, struct text_key dst)
{
	text_addrs(o, t, src, dst);
	text_l4(o, t);
}

/* conntrack applies only -o timestamp to expectations, to dumps and
 * events alike; the line ends in "helper=NAME" with no blank. */
static void text_exp(struct fmt_ctx *f, const struct ct_exp *exp)
{
	struct out *o = f->out;

	if (f->flags & FMT_F_TIMESTAMP)
		text_exp_event_time(o, f->event_ns);
	text_kind(o, exp->kind);
	if (exp->has & CT_EXP_A_TIMEOUT) {
		out_u32(o, exp->timeout);
		out_char(o, ' ');
	}
	text_kv(o, KEY("proto="), exp->tuple.l4);
	text_exp_tuple(o, &exp->tuple, KEY("src="), KEY("dst="));
	text_exp_tuple(o, &exp->mask, KEY("mask-src="), KEY("mask-dst="));
	text_exp_tuple(o, &exp->master, KEY("master-src="), KEY("master-dst="));
	if (exp->has & CT_EXP_A_ZONE)
		text_kv(o, KEY("zone="), exp->zone);
	text_exp_flags(o, (exp->has & CT_EXP_A_FLAGS) ? exp->flags : 0);
	if (exp->has & CT_EXP_A_CLASS)
		text_kv(o, KEY("class="), exp->class);
	if (exp->has & CT_EXP_A_HELPER) {
		out_str(o, "helper=");
		out_str(o, exp->helper);
	}
	print_drop_blank(o);
	out_char(o, '\n');
}

/* conntrack prints the count with "%d\n". */
static void text_count(struct fmt_ctx *f, const char *table, uint64_t n)
{
	(void)table;
	out_i64(f->out, (int32_t)(uint32_t)n);
	out_char(f->out, '\n');
}

/* printf("cpu=%-4u\t"), then "name=value " per counter, then "\n". */
static void text_stats_cpu(struct fmt_ctx *f, const char *table,
			   const struct ct_stat *st)
{
	struct out *o = f->out;

	(void)table;
	out_str(o, "cpu=");
	out_u32(o, st->cpu);
	for (unsigned n = dec_digits(st->cpu); n < 4; n++)
		out_char(o, ' ');
	out_char(o, '\t');
	for (unsigned i = 0; i < st->n; i++) {
		out_str(o, st->item[i].name);
		out_char(o, '=');
		out_u32(o, st->item[i].value);
		out_char(o, ' ');
	}
	out_char(o, '\n');
}

/* Plain text has no document frame: begin and end stay NULL. */
const struct fmt_ops fmt_text = {
	.name = "text",
	.ct = text_ct,
	.exp = text_exp,
	.count = text_count,
	.stats_cpu = text_stats_cpu,
};
