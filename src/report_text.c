/* report_text.c - the report as text, in sections under "== Title =="
 * headings, plain (no colour): it is meant to be pasted into a ticket. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ct_names.h"
#include "report.h"
#include "settings_cmd.h"

static void heading(struct out *o, const char *title)
{
	out_printf(o, "\n== %s ==\n", title);
}

static const char *yes_no(bool v)
{
	return v ? "yes" : "no";
}

static void system_text(struct out *o, const struct report *rp)
{
	const struct diag_ns *ns = &rp->diag.ns[0];

	out_printf(o, "ctadm report, %s, ctadm %s\n", rp->time,
		   PACKAGE_VERSION);
	heading(o, "Kernel and namespace");
	out_printf(o, "kernel:     Linux %s %s %s\n", rp->diag.kernel,
		   rp->kernel_build, rp->machine);
	out_printf(o, "host:       %s\n", rp->hostname);
	out_printf(o, "namespace:  %s (initial: %s)\n", ns->name,
		   yes_no(ns->st.initial));
}

static void sysctls_text(struct out *o, const struct report_sysctls *s)
{
	heading(o, "Sysctls");
	for (unsigned i = 0; i < s->n; i++) {
		if (s->v[i].err)
			out_printf(o, "%s: unreadable: %s\n", s->v[i].name,
				   strerror(-s->v[i].err));
		else
			out_printf(o, "%s = %s\n", s->v[i].name, s->v[i].value);
	}
}

static void table_text(struct out *o, const struct report *rp)
{
	const struct diag_ns *ns = &rp->diag.ns[0];
	const struct diag_sample *smp = diag_last(ns);

	heading(o, "Table");
	out_printf(o, "count:      %u\n", smp->count_after);
	if (ns->st.have_max && ns->st.max)
		out_printf(o, "max:        %u (%.1f %% used)\n", ns->st.max,
			   100.0 * smp->count_after / ns->st.max);
	out_printf(o, "buckets:    %u\n", ns->st.buckets);
	out_printf(o, "listed:     %llu (the summary's dump)\n",
		   (unsigned long long)rp->table.entries);
}

static void stats_text(struct out *o, const struct report_stats *st)
{
	heading(o, "Statistics");
	out_printf(o, "summed over %u CPUs, from %s; samples %.1f s apart\n",
		   st->cpus, st->source,
		   (st->second_ms - st->first_ms) / 1000.0);
	out_str(o, "NAME             FIRST        SECOND       DELTA\n");
	for (unsigned i = 0; i < st->n; i++) {
		const struct report_stat *s = &st->item[i];

		out_printf(o, "%-16s %-12llu %-12llu %lld\n", s->name,
			   (unsigned long long)s->first,
			   (unsigned long long)s->second,
			   (long long)(s->second - s->first));
	}
}

static void lists_text(struct out *o, const struct report *rp)
{
	const struct diag_ns *ns = &rp->diag.ns[0];
	const struct diag_sample *smp = diag_last(ns);

	heading(o, "Dying and unconfirmed entries");
	out_printf(o, "dying:               %u (in both samples: %u)\n",
		   smp->dying, diag_stuck_count(ns));
	out_printf(o, "unconfirmed (dump):  %u\n", smp->unconfirmed);
	out_printf(o, "NFQUEUE waiting:     %u packets\n", smp->nfq_waiting);
}

static void logging_text(struct out *o, const struct report_logging *l)
{
	heading(o, "Logging");
	if (l->have_log_invalid) {
		const char *m = log_invalid_meaning(l->log_invalid);

		out_printf(o, "log_invalid: %u (%s)\n", l->log_invalid,
			   m ? m : "a protocol number");
	}
	if (l->all_netns >= 0)
		out_printf(o, "nf_log_all_netns: %d\n", l->all_netns);
	else
		out_str(o, "nf_log_all_netns: out of reach (not the initial "
			"namespace)\n");
	if (l->dyndbg)
		out_printf(o, "dynamic debug: %u nf_conntrack sites, %u "
			   "printing\n",
			   l->dyndbg_sites, l->dyndbg_enabled);
	else
		out_printf(o, "dynamic debug: unavailable: %s\n",
			   l->dyndbg_err);
	if (l->have_nf_log)
		nflog_table_text(o, &l->nf_log);
	else
		out_printf(o, "nf_log: unreadable: %s\n", l->nf_log_err);
}

static void rules_text(struct out *o, const struct report_rules *r,
		       const char *legacy)
{
	const struct nft_inspect *in = &r->inspect;

	heading(o, "nftables rules using conntrack");
	if (!in->readable) {
		out_printf(o, "ruleset unreadable: %s\n", r->err);
	} else {
		out_printf(o, "%u tables, %u chains, %u rules; %u use "
			   "conntrack\n", in->n_tables, in->n_chains,
			   in->n_rules, in->n_ct_rules);
		for (unsigned i = 0; i < r->n; i++)
			out_printf(o, "%s %s %s handle %llu: %s\n", r->v[i].family,
				   r->v[i].table, r->v[i].chain,
				   (unsigned long long)r->v[i].handle,
				   r->v[i].summary);
	}
	if (legacy[0])
		out_printf(o, "legacy iptables tables (not inspected): %s\n",
			   legacy);
}

static void proto_text(struct out *o, uint8_t l4)
{
	if (proto_name(l4))
		out_str(o, proto_name(l4));
	else
		out_u32(o, l4);
}

static void by_protocol_text(struct out *o, const struct report_table *t)
{
	out_str(o, "by protocol:\n  COUNT    PROTOCOL\n");
	for (unsigned p = 0; p < 256; p++) {
		if (!t->proto[p])
			continue;
		out_printf(o, "  %-8llu ", (unsigned long long)t->proto[p]);
		proto_text(o, (uint8_t)p);
		out_char(o, '\n');
	}
}

static void by_state_text(struct out *o, const struct report_table *t)
{
	out_str(o, "by state:\n  COUNT    PROTOCOL STATE\n");
	for (unsigned k = 0; k < RS_N_; k++)
		for (unsigned s = 0; s < REPORT_STATES_MAX; s++) {
			const char *name = report_state_name(k, s);

			if (!t->state[k][s])
				continue;
			out_printf(o, "  %-8llu %-8s ",
				   (unsigned long long)t->state[k][s],
				   proto_name(report_state_proto(k)));
			if (name)
				out_str(o, name);
			else
				out_u32(o, s);
			out_char(o, '\n');
		}
}

/* The end of a top line: its possible overcount, once the map had to
 * replace keys. */
static void top_end_text(struct out *o, const struct topn_item *it)
{
	if (it->error)
		out_printf(o, " (up to %u too high)", it->error);
	out_char(o, '\n');
}

static void top_title(struct out *o, const char *title, const char *col,
		      const struct topn *t)
{
	out_printf(o, "%s%s:\n  COUNT    %s\n", title, topn_approximate(t)
		   ? " (approximate: more distinct keys than are counted "
		     "one by one)" : "", col);
}

static void top_addr_text(struct out *o, const char *title,
			  const struct topn *t)
{
	const struct topn_item *top[REPORT_TOP];
	unsigned n = topn_top(t, top, REPORT_TOP);

	top_title(o, title, "ADDRESS", t);
	for (unsigned i = 0; i < n; i++) {
		union ct_addr a;
		uint8_t family;

		report_addr_key(top[i]->key, &family, &a);
		out_printf(o, "  %-8u ", top[i]->count);
		out_addr(o, family, &a);
		top_end_text(o, top[i]);
	}
}

static void top_port_text(struct out *o, const struct topn *t)
{
	const struct topn_item *top[REPORT_TOP];
	unsigned n = topn_top(t, top, REPORT_TOP);

	top_title(o, "top destination ports", "PORT", t);
	for (unsigned i = 0; i < n; i++) {
		uint16_t port;
		uint8_t l4;

		report_port_key(top[i]->key, &l4, &port);
		out_printf(o, "  %-8u ", top[i]->count);
		proto_text(o, l4);
		out_printf(o, "/%u", port);
		top_end_text(o, top[i]);
	}
}

static void summary_text(struct out *o, const struct report_table *t)
{
	heading(o, "Entries");
	out_printf(o, "%llu entries: ipv4 %llu, ipv6 %llu\n",
		   (unsigned long long)t->entries,
		   (unsigned long long)t->ipv4, (unsigned long long)t->ipv6);
	out_printf(o, "status: assured %llu, seen reply %llu, unreplied %llu, "
		   "snat %llu, dnat %llu, expected %llu\n",
		   (unsigned long long)t->assured,
		   (unsigned long long)t->seen_reply,
		   (unsigned long long)(t->entries - t->seen_reply),
		   (unsigned long long)t->snat, (unsigned long long)t->dnat,
		   (unsigned long long)t->expected);
	by_protocol_text(o, t);
	by_state_text(o, t);
	top_addr_text(o, "top sources", &t->src);
	top_addr_text(o, "top destinations", &t->dst);
	top_port_text(o, &t->dport);
}

static void invalid_text(struct out *o, const struct report *rp)
{
	heading(o, "Invalid packets");
	if (rp->have_invalid)
		invalid_counts_text(o, &rp->invalid);
	else
		out_str(o, "not captured (ctadm report --invalid-seconds N "
			"catches them for N seconds)\n");
}

void report_text(struct out *o, const struct report *rp)
{
	system_text(o, rp);
	sysctls_text(o, &rp->sysctls);
	table_text(o, rp);
	stats_text(o, &rp->stats);
	heading(o, "Findings");
	diag_findings_text(o, &rp->diag, false);
	lists_text(o, rp);
	logging_text(o, &rp->log);
	rules_text(o, &rp->rules, rp->diag.ns[0].st.legacy_tables);
	summary_text(o, &rp->table);
	invalid_text(o, rp);
}
