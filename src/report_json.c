/* report_json.c - the report as one JSON document: schema_version, then
 * one key per section (generated, kernel, netns, sysctls, table, stats,
 * findings, lists, logging, nft, summary, invalid), in the style of
 * diagnose's: compact, null where a value is unknown. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ct_names.h"
#include "report.h"
#include "settings_cmd.h"

static void json_u64(struct out *o, const char *key, uint64_t v)
{
	out_printf(o, ",\"%s\":%llu", key, (unsigned long long)v);
}

static const char *bool_name(bool v)
{
	return v ? "true" : "false";
}

static void system_json(struct out *o, const struct report *rp)
{
	const struct diag_ns *ns = &rp->diag.ns[0];

	out_str(o, ",\"generated\":{\"time\":");
	out_json_string(o, rp->time);
	out_str(o, ",\"ctadm\":\"" PACKAGE_VERSION "\",\"hostname\":");
	out_json_string(o, rp->hostname);
	out_str(o, "},\"kernel\":{\"release\":");
	out_json_string(o, rp->diag.kernel);
	out_str(o, ",\"version\":");
	out_json_string(o, rp->kernel_build);
	out_str(o, ",\"machine\":");
	out_json_string(o, rp->machine);
	out_str(o, "},\"netns\":{\"name\":");
	out_json_string(o, ns->name);
	out_printf(o, ",\"initial\":%s}", bool_name(ns->st.initial));
}

/* A JSON number as it stands: digits without a leading zero. */
static bool is_json_uint(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < 20 && strspn(s, "0123456789") == n &&
	       (s[0] != '0' || n == 1);
}

/* Numbers as numbers, anything else ("NONE", tab-separated pairs) as
 * strings, unreadable ones as null. */
static void sysctls_json(struct out *o, const struct report_sysctls *s)
{
	out_str(o, ",\"sysctls\":{");
	for (unsigned i = 0; i < s->n; i++) {
		const struct report_sysctl *v = &s->v[i];

		out_str(o, i ? "," : "");
		out_json_string(o, v->name);
		out_char(o, ':');
		if (v->err)
			out_str(o, "null");
		else if (is_json_uint(v->value))
			out_str(o, v->value);
		else
			out_json_string(o, v->value);
	}
	out_char(o, '}');
}

static void table_json(struct out *o, const struct report *rp)
{
	const struct diag_ns *ns = &rp->diag.ns[0];

	out_printf(o, ",\"table\":{\"count\":%u,\"max\":",
		   diag_last(ns)->count_after);
	if (ns->st.have_max)
		out_u32(o, ns->st.max);
	else
		out_str(o, "null");
	json_u64(o, "buckets", ns->st.buckets);
	json_u64(o, "listed", rp->table.entries);
	out_char(o, '}');
}

enum stat_part { SP_FIRST, SP_SECOND, SP_DELTA };

static void stats_part_json(struct out *o, const struct report_stats *st,
			    enum stat_part part)
{
	static const char *const key[] = { "first", "second", "delta" };

	out_printf(o, ",\"%s\":{", key[part]);
	for (unsigned i = 0; i < st->n; i++) {
		const struct report_stat *s = &st->item[i];

		out_printf(o, "%s\"%s\":", i ? "," : "", s->name);
		if (part == SP_FIRST)
			out_u64(o, s->first);
		else if (part == SP_SECOND)
			out_u64(o, s->second);
		else
			out_i64(o, (int64_t)(s->second - s->first));
	}
	out_char(o, '}');
}

static void stats_json(struct out *o, const struct report_stats *st)
{
	out_str(o, ",\"stats\":{\"source\":");
	out_json_string(o, st->source);
	json_u64(o, "cpus", st->cpus);
	json_u64(o, "interval_ms", st->second_ms - st->first_ms);
	stats_part_json(o, st, SP_FIRST);
	stats_part_json(o, st, SP_SECOND);
	stats_part_json(o, st, SP_DELTA);
	out_char(o, '}');
}

static void lists_json(struct out *o, const struct report *rp)
{
	const struct diag_ns *ns = &rp->diag.ns[0];
	const struct diag_sample *smp = diag_last(ns);

	out_printf(o, ",\"lists\":{\"dying\":%u,\"stuck_dying\":%u,"
		   "\"unconfirmed_dump\":%u,\"nfqueue_waiting\":%u}",
		   smp->dying, diag_stuck_count(ns), smp->unconfirmed,
		   smp->nfq_waiting);
}

static void logging_json(struct out *o, const struct report_logging *l)
{
	out_str(o, ",\"logging\":{\"log_invalid\":");
	if (l->have_log_invalid)
		out_u32(o, l->log_invalid);
	else
		out_str(o, "null");
	out_str(o, ",\"log_invalid_meaning\":");
	out_json_string_or_null(o, l->have_log_invalid
			       ? log_invalid_meaning(l->log_invalid) : NULL);
	out_str(o, ",\"nf_log_all_netns\":");
	if (l->all_netns >= 0)
		out_printf(o, "%d", l->all_netns);
	else
		out_str(o, "null");
	out_str(o, ",\"nf_log\":");
	if (l->have_nf_log)
		nflog_table_json(o, &l->nf_log);
	else
		out_str(o, "null");
	out_str(o, ",\"nf_log_error\":");
	out_json_string_or_null(o, l->have_nf_log ? NULL : l->nf_log_err);
	out_printf(o, ",\"dyndbg\":{\"available\":%s,\"sites\":%u,"
		   "\"enabled\":%u,\"error\":", bool_name(l->dyndbg),
		   l->dyndbg_sites, l->dyndbg_enabled);
	out_json_string_or_null(o, l->dyndbg ? NULL : l->dyndbg_err);
	out_str(o, "}}");
}

static void rule_json(struct out *o, const struct nft_ct_rule *r)
{
	out_str(o, "{\"family\":");
	out_json_string(o, r->family);
	out_str(o, ",\"table\":");
	out_json_string(o, r->table);
	out_str(o, ",\"chain\":");
	out_json_string(o, r->chain);
	json_u64(o, "handle", r->handle);
	out_str(o, ",\"rule\":");
	out_json_string(o, r->summary);
	if (r->has_counter)
		out_printf(o, ",\"counter\":{\"packets\":%llu,\"bytes\":%llu}}",
			   (unsigned long long)r->packets,
			   (unsigned long long)r->bytes);
	else
		out_str(o, ",\"counter\":null}");
}

/* diagnose's "ip:filter ip6:nat" as ["ip:filter","ip6:nat"]. */
static void legacy_json(struct out *o, const char *legacy)
{
	out_str(o, ",\"legacy_iptables_tables\":[");
	for (const char *p = legacy; *p;) {
		size_t n = strcspn(p, " ");

		out_str(o, p == legacy ? "\"" : ",\"");
		out_mem(o, p, n);
		out_char(o, '"');
		p += n + (p[n] == ' ');
	}
	out_char(o, ']');
}

static void rules_json(struct out *o, const struct report_rules *r,
		       const char *legacy)
{
	const struct nft_inspect *in = &r->inspect;

	out_printf(o, ",\"nft\":{\"readable\":%s,\"error\":",
		   bool_name(in->readable));
	out_json_string_or_null(o, in->readable ? NULL : r->err);
	out_printf(o, ",\"tables\":%u,\"chains\":%u,\"rules\":%u,"
		   "\"ct_rules\":[", in->n_tables, in->n_chains, in->n_rules);
	for (unsigned i = 0; i < r->n; i++) {
		out_str(o, i ? "," : "");
		rule_json(o, &r->v[i]);
	}
	out_char(o, ']');
	legacy_json(o, legacy);
	out_char(o, '}');
}

static void protocol_json(struct out *o, uint8_t l4)
{
	out_printf(o, "\"protonum\":%u,\"protocol\":", l4);
	out_json_string_or_null(o, proto_name(l4));
}

static void by_protocol_json(struct out *o, const struct report_table *t)
{
	bool first = true;

	out_str(o, ",\"by_protocol\":[");
	for (unsigned p = 0; p < 256; p++) {
		if (!t->proto[p])
			continue;
		out_str(o, first ? "{" : ",{");
		first = false;
		protocol_json(o, (uint8_t)p);
		json_u64(o, "count", t->proto[p]);
		out_char(o, '}');
	}
	out_char(o, ']');
}

static void by_state_json(struct out *o, const struct report_table *t)
{
	bool first = true;

	out_str(o, ",\"by_state\":[");
	for (unsigned k = 0; k < RS_N_; k++)
		for (unsigned s = 0; s < REPORT_STATES_MAX; s++) {
			const char *name = report_state_name(k, s);

			if (!t->state[k][s])
				continue;
			out_str(o, first ? "{" : ",{");
			first = false;
			protocol_json(o, report_state_proto(k));
			out_str(o, ",\"state\":");
			if (name)
				out_json_string(o, name);
			else
				out_u32(o, s);
			json_u64(o, "count", t->state[k][s]);
			out_char(o, '}');
		}
	out_char(o, ']');
}

/* {"approximate":..,"top":[{KEY..., "count":N,"overcount_max":E}]};
 * item_fn writes an item's key members. */
static void top_json(struct out *o, const char *name, const struct topn *t,
		     void (*item_fn)(struct out *, const uint8_t *key))
{
	const struct topn_item *top[REPORT_TOP];
	unsigned n = topn_top(t, top, REPORT_TOP);

	out_printf(o, ",\"%s\":{\"approximate\":%s,\"top\":[", name,
		   bool_name(topn_approximate(t)));
	for (unsigned i = 0; i < n; i++) {
		out_str(o, i ? ",{" : "{");
		item_fn(o, top[i]->key);
		out_printf(o, ",\"count\":%u,\"overcount_max\":%u}",
			   top[i]->count, top[i]->error);
	}
	out_str(o, "]}");
}

static void addr_item_json(struct out *o, const uint8_t *key)
{
	union ct_addr a;
	uint8_t family;

	report_addr_key(key, &family, &a);
	out_printf(o, "\"family\":\"%s\",\"address\":\"",
		   family == AF_INET6 ? "ipv6" : "ipv4");
	out_addr(o, family, &a);
	out_char(o, '"');
}

static void port_item_json(struct out *o, const uint8_t *key)
{
	uint16_t port;
	uint8_t l4;

	report_port_key(key, &l4, &port);
	protocol_json(o, l4);
	out_printf(o, ",\"port\":%u", port);
}

static void summary_json(struct out *o, const struct report_table *t)
{
	out_printf(o, ",\"summary\":{\"entries\":%llu,\"by_family\":"
		   "{\"ipv4\":%llu,\"ipv6\":%llu},\"by_status\":{\"assured\":"
		   "%llu,\"seen_reply\":%llu,\"unreplied\":%llu,\"snat\":%llu,"
		   "\"dnat\":%llu,\"expected\":%llu}",
		   (unsigned long long)t->entries, (unsigned long long)t->ipv4,
		   (unsigned long long)t->ipv6, (unsigned long long)t->assured,
		   (unsigned long long)t->seen_reply,
		   (unsigned long long)(t->entries - t->seen_reply),
		   (unsigned long long)t->snat, (unsigned long long)t->dnat,
		   (unsigned long long)t->expected);
	by_protocol_json(o, t);
	by_state_json(o, t);
	top_json(o, "top_sources", &t->src, addr_item_json);
	top_json(o, "top_destinations", &t->dst, addr_item_json);
	top_json(o, "top_dports", &t->dport, port_item_json);
	out_char(o, '}');
}

static void invalid_json(struct out *o, const struct report *rp)
{
	out_str(o, ",\"invalid\":");
	if (!rp->have_invalid) {
		out_str(o, "null");
		return;
	}
	out_char(o, '{');
	invalid_counts_json_fields(o, &rp->invalid);
	out_char(o, '}');
}

void report_json(struct out *o, const struct report *rp)
{
	out_str(o, "{\"schema_version\":1");
	system_json(o, rp);
	sysctls_json(o, &rp->sysctls);
	table_json(o, rp);
	stats_json(o, &rp->stats);
	out_str(o, ",\"findings\":");
	diag_findings_json(o, &rp->diag);
	lists_json(o, rp);
	logging_json(o, &rp->log);
	rules_json(o, &rp->rules, rp->diag.ns[0].st.legacy_tables);
	summary_json(o, &rp->table);
	invalid_json(o, rp);
	out_str(o, "}\n");
}
