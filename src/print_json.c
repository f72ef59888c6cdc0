/* print_json.c - ctadm's own "-o json": JSON Lines, one object per entry.
 *
 * The schema (version 1) is documented in ctadm(8), JSON OUTPUT.  Absent
 * attributes are omitted, never null; numbers are plain JSON numbers, so
 * `jq .orig.dport` and friends work without conversion.  Constant keys are
 * written with out_mem of a literal, so the cost stays close to the text
 * output's.
 */
#include <netinet/in.h>
#include <sys/socket.h>

#include "ct_names.h"
#include "fmt.h"

/* A literal with its length known at compile time. */
#define J(o, lit) out_mem((o), (lit), sizeof(lit) - 1)

static void json_addr(struct out *o, uint8_t family, const union ct_addr *a)
{
	out_char(o, '"');
	out_addr(o, family, a);
	out_char(o, '"');
}

static const char *json_family(uint8_t family)
{
	return family == AF_INET6 ? "ipv6" : "ipv4";
}

/* The head every conntrack and expectation object starts with. */
static void json_head(struct out *o, const char *type, uint8_t kind)
{
	static const char *const events[] = {
		[CT_MSG_NEW] = "new",
		[CT_MSG_UPDATE] = "update",
		[CT_MSG_DESTROY] = "destroy",
	};

	J(o, "{\"schema\":1,\"type\":\"");
	out_str(o, type);
	out_char(o, '"');
	if (kind != CT_MSG_DUMP && kind <= CT_MSG_DESTROY) {
		J(o, ",\"event\":\"");
		out_str(o, events[kind]);
		out_char(o, '"');
	}
}

/* "family", "l3proto", "protocol" (when it has a name) and "protonum". */
static void json_protocols(struct out *o, uint8_t family, uint8_t l4)
{
	const char *name = proto_name(l4);

	if (family == AF_INET || family == AF_INET6) {
		J(o, ",\"family\":\"");
		out_str(o, json_family(family));
		J(o, "\",\"l3proto\":");
		out_u32(o, family);
	}
	if (name) {
		J(o, ",\"protocol\":\"");
		out_str(o, name);
		out_char(o, '"');
	}
	J(o, ",\"protonum\":");
	out_u32(o, l4);
}

/* The layer 4 part of a tuple, by what the protocol carries. */
static void json_tuple_l4(struct out *o, const struct ct_tuple *t)
{
	if (t->has & CT_TUPLE_ICMP) {
		J(o, ",\"type\":");
		out_u32(o, t->icmp_type);
		J(o, ",\"code\":");
		out_u32(o, t->icmp_code);
		J(o, ",\"id\":");
		out_u32(o, t->icmp_id);
	} else if ((t->has & CT_TUPLE_PORTS) && t->l4 == IPPROTO_GRE) {
		J(o, ",\"srckey\":");
		out_u32(o, t->sport);
		J(o, ",\"dstkey\":");
		out_u32(o, t->dport);
	} else if (t->has & CT_TUPLE_PORTS) {
		J(o, ",\"sport\":");
		out_u32(o, t->sport);
		J(o, ",\"dport\":");
		out_u32(o, t->dport);
	}
}

/* A tuple object after "key":.  The leading "src" is always written (the
 * kernel sends addresses in every tuple), so the other members can all
 * start with a comma. */
static void json_tuple(struct out *o, const char *key, uint8_t family,
		       const struct ct_tuple *t)
{
	J(o, ",\"");
	out_str(o, key);
	J(o, "\":{\"src\":");
	json_addr(o, family, &t->src);
	J(o, ",\"dst\":");
	json_addr(o, family, &t->dst);
	json_tuple_l4(o, t);
	if (t->has & CT_TUPLE_ZONE) {
		J(o, ",\"zone\":");
		out_u32(o, t->zone);
	}
}

static void json_ct_dir(struct out *o, const struct ct_entry *ct, int dir)
{
	const struct ct_tuple *t = dir ? &ct->reply : &ct->orig;

	json_tuple(o, dir ? "reply" : "orig", ct->family, t);
	if (ct->has & CT_A_SCTP) {
		J(o, ",\"vtag\":");
		out_u32(o, dir ? ct->sctp.vtag_reply : ct->sctp.vtag_orig);
	}
	if (ct->has & CT_A_COUNTERS) {
		J(o, ",\"packets\":");
		out_u64(o, ct->packets[dir]);
		J(o, ",\"bytes\":");
		out_u64(o, ct->bytes[dir]);
	}
	out_char(o, '}');
}

static void json_state(struct out *o, const struct ct_entry *ct)
{
	const char *name = NULL;

	if (ct->has & CT_A_TCP)
		name = tcp_state_name(ct->tcp.state);
	else if (ct->has & CT_A_SCTP)
		name = sctp_state_name(ct->sctp.state);
	else if (ct->has & CT_A_DCCP)
		name = dccp_state_name(ct->dccp.state);
	if (!name)
		return;
	J(o, ",\"state\":\"");
	out_str(o, name);
	out_char(o, '"');
}

/* Every set IPS_* bit by its kernel name; bits without one by number. */
static void json_status(struct out *o, uint32_t status)
{
	bool first = true;

	J(o, ",\"status\":[");
	for (; status; status &= status - 1) {
		unsigned bit = (unsigned)__builtin_ctz(status);
		const char *name = ct_status_name(bit);

		if (!first)
			out_char(o, ',');
		first = false;
		if (name) {
			out_char(o, '"');
			out_str(o, name);
			out_char(o, '"');
		} else {
			out_u32(o, bit);
		}
	}
	out_char(o, ']');
}

/* Label bits by their connlabel.conf name, unnamed bits by number. */
static void json_labels(struct fmt_ctx *f, const struct ct_entry *ct)
{
	struct out *o = f->out;
	bool first = true;

	J(o, ",\"labels\":[");
	for (unsigned bit = 0; bit < ct->labels_len * 8u; bit++) {
		const char *name = f->labelmap ? f->labelmap->name[bit] : NULL;

		if (!(ct->labels[bit / 8] >> (bit % 8) & 1))
			continue;
		if (!first)
			out_char(o, ',');
		first = false;
		if (name)
			out_json_string(o, name);
		else
			out_u32(o, bit);
	}
	out_char(o, ']');
}

static void json_key_u64(struct out *o, const char *key, uint64_t v)
{
	J(o, ",\"");
	out_str(o, key);
	J(o, "\":");
	out_u64(o, v);
}

static void json_key_str(struct out *o, const char *key, const char *s)
{
	J(o, ",\"");
	out_str(o, key);
	J(o, "\":");
	out_json_string(o, s);
}

static void json_timestamp(struct out *o, const struct ct_entry *ct)
{
	J(o, ",\"timestamp\":{");
	if (ct->has & CT_A_TIMESTAMP) {
		J(o, "\"start\":");
		out_u64(o, ct->ts_start);
	}
	if ((ct->has & (CT_A_TIMESTAMP | CT_A_TS_STOP)) ==
	    (CT_A_TIMESTAMP | CT_A_TS_STOP))
		out_char(o, ',');
	if (ct->has & CT_A_TS_STOP) {
		J(o, "\"stop\":");
		out_u64(o, ct->ts_stop);
	}
	out_char(o, '}');
}

/* Scalar attributes after the tuples, in the order of the schema. */
static void json_ct_meta(struct fmt_ctx *f, const struct ct_entry *ct)
{
	struct out *o = f->out;
	uint32_t has = ct->has;

	if (has & CT_A_STATUS)
		json_status(o, ct->status);
	if (has & CT_A_MARK)
		json_key_u64(o, "mark", ct->mark);
	if (has & CT_A_SECMARK)
		json_key_u64(o, "secmark", ct->secmark);
	if (has & CT_A_SECCTX)
		json_key_str(o, "secctx", ct->secctx);
	if (has & CT_A_ZONE)
		json_key_u64(o, "zone", ct->zone);
	if (has & CT_A_USE)
		json_key_u64(o, "use", ct->use);
	if (has & CT_A_ID)
		json_key_u64(o, "id", ct->id);
	if (has & (CT_A_TIMESTAMP | CT_A_TS_STOP))
		json_timestamp(o, ct);
	if (has & CT_A_HELPER)
		json_key_str(o, "helper", ct->helper);
	if (has & CT_A_LABELS)
		json_labels(f, ct);
}

/* Event extras: arrival time (-o timestamp), sender (-o userspace). */
static void json_event_extras(struct fmt_ctx *f, uint8_t kind)
{
	if (kind == CT_MSG_DUMP)
		return;
	if ((f->flags & FMT_F_TIMESTAMP) && f->event_ns)
		json_key_u64(f->out, "time", f->event_ns);
	if ((f->flags & FMT_F_USERSPACE) && f->portid) {
		json_key_u64(f->out, "portid", f->portid);
		if (f->progname)
			json_key_str(f->out, "progname", f->progname);
	}
}

static void json_ct(struct fmt_ctx *f, const struct ct_entry *ct)
{
	struct out *o = f->out;

	json_head(o, "conntrack", ct->kind);
	json_protocols(o, ct->family, ct->orig.l4);
	if (ct->has & CT_A_TIMEOUT)
		json_key_u64(o, "timeout", ct->timeout);
	json_state(o, ct);
	if (ct->has & CT_A_ORIG)
		json_ct_dir(o, ct, 0);
	if (ct->has & CT_A_REPLY)
		json_ct_dir(o, ct, 1);
	if (ct->has & CT_A_MASTER) {
		json_tuple(o, "master", ct->family, &ct->master);
		out_char(o, '}');
	}
	json_ct_meta(f, ct);
	json_event_extras(f, ct->kind);
	J(o, "}\n");
}

static void json_exp_flags(struct out *o, uint32_t flags)
{
	static const char *const names[] = { "PERMANENT", "INACTIVE",
					     "USERSPACE" };
	bool first = true;

	J(o, ",\"flags\":[");
	for (unsigned bit = 0; bit < 32; bit++) {
		if (!(flags >> bit & 1))
			continue;
		if (!first)
			out_char(o, ',');
		first = false;
		if (bit < sizeof(names) / sizeof(names[0]))
			out_json_string(o, names[bit]);
		else
			out_u32(o, bit);
	}
	out_char(o, ']');
}

static void json_exp_tuples(struct out *o, const struct ct_exp *exp)
{
	static const char *const keys[] = { "expected", "mask", "master" };
	const struct ct_tuple *t[] = { &exp->tuple, &exp->mask, &exp->master };
	static const uint32_t bits[] = { CT_EXP_A_TUPLE, CT_EXP_A_MASK,
					 CT_EXP_A_MASTER };

	for (int i = 0; i < 3; i++) {
		if (exp->has & bits[i]) {
			json_tuple(o, keys[i], exp->family, t[i]);
			out_char(o, '}');
		}
	}
	if (exp->has & CT_EXP_A_NAT) {
		json_tuple(o, "nat", exp->family, &exp->nat_tuple);
		J(o, ",\"dir\":\"");
		out_str(o, exp->nat_dir ? "reply" : "original");
		J(o, "\"}");
	}
}

static void json_exp(struct fmt_ctx *f, const struct ct_exp *exp)
{
	struct out *o = f->out;
	uint32_t has = exp->has;

	json_head(o, "expect", exp->kind);
	json_protocols(o, exp->family, exp->tuple.l4);
	if (has & CT_EXP_A_TIMEOUT)
		json_key_u64(o, "timeout", exp->timeout);
	json_exp_tuples(o, exp);
	if (has & CT_EXP_A_HELPER)
		json_key_str(o, "helper", exp->helper);
	if (has & CT_EXP_A_ZONE)
		json_key_u64(o, "zone", exp->zone);
	if (has & CT_EXP_A_CLASS)
		json_key_u64(o, "class", exp->class);
	if (has & CT_EXP_A_ID)
		json_key_u64(o, "id", exp->id);
	if (has & CT_EXP_A_FLAGS)
		json_exp_flags(o, exp->flags);
	if (has & CT_EXP_A_FN)
		json_key_str(o, "fn", exp->fn);
	json_event_extras(f, exp->kind);
	J(o, "}\n");
}

static void json_count(struct fmt_ctx *f, const char *table, uint64_t n)
{
	struct out *o = f->out;

	J(o, "{\"schema\":1,\"type\":\"count\"");
	json_key_str(o, "table", table);
	json_key_u64(o, "count", n);
	J(o, "}\n");
}

static void json_stats_cpu(struct fmt_ctx *f, const char *table,
			   const struct ct_stat *st)
{
	struct out *o = f->out;

	J(o, "{\"schema\":1,\"type\":\"stats\"");
	json_key_str(o, "table", table);
	json_key_u64(o, "cpu", st->cpu);
	for (unsigned i = 0; i < st->n; i++)
		json_key_u64(o, st->item[i].name, st->item[i].value);
	J(o, "}\n");
}

/* JSON Lines has no document frame: every line stands alone, so a
 * consumer can start reading an event stream at any point. */
static void json_frame(struct fmt_ctx *f)
{
	(void)f;
}

const struct fmt_ops fmt_json = {
	.name = "json",
	.begin = json_frame,
	.end = json_frame,
	.ct = json_ct,
	.exp = json_exp,
	.count = json_count,
	.stats_cpu = json_stats_cpu,
};
