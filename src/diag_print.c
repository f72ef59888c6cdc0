/* diag_print.c - diagnose's renderings: text grouped by severity
 * (coloured on a terminal), one JSON document, and the Prometheus
 * exposition format for node_exporter's textfile collector. */
#include <stdio.h>
#include <string.h>

#include "diagnose.h"

static unsigned long listener_drops(const struct diag_ns *ns)
{
	unsigned long drops = 0;

	for (unsigned i = 0; i < ns->st.n_listeners; i++)
		drops += ns->st.listener[i].sock.drops;
	return drops;
}

/* --- text ---------------------------------------------------------------- */

static const char *const sev_color[] = {
	[SEV_INFO] = "\033[36m",
	[SEV_WARNING] = "\033[33m",
	[SEV_CRITICAL] = "\033[1;31m",
};

static void finding_text(struct out *o, const struct diag_finding *f,
			 bool show_ns)
{
	out_printf(o, "  %s", f->id);
	if (show_ns)
		out_printf(o, " [%s]", f->netns);
	out_printf(o, ": %s\n", f->summary);
	if (f->n_evidence) {
		out_str(o, "    evidence:");
		for (unsigned i = 0; i < f->n_evidence; i++)
			out_printf(o, "%s %s=%s", i ? "," : "",
				   f->evidence[i].key, f->evidence[i].value);
		out_char(o, '\n');
	}
	out_printf(o, "    why: %s\n", f->explanation);
	out_printf(o, "    run: %s\n", f->remedy);
}

static unsigned severity_count(const struct diag_result *r,
			       enum diag_severity sev)
{
	unsigned n = 0;

	for (unsigned i = 0; i < r->n_findings; i++)
		n += r->finding[i].severity == sev;
	return n;
}

void diag_findings_text(struct out *o, const struct diag_result *r,
			bool color)
{
	static const char *const title[] = { "INFO", "WARNING", "CRITICAL" };
	bool show_ns = r->n_ns > 1;

	for (int sev = SEV_CRITICAL; sev >= SEV_INFO; sev--) {
		if (!severity_count(r, (enum diag_severity)sev))
			continue;
		out_printf(o, "\n%s%s%s\n", color ? sev_color[sev] : "",
			   title[sev], color ? "\033[0m" : "");
		for (unsigned i = 0; i < r->n_findings; i++)
			if ((int)r->finding[i].severity == sev)
				finding_text(o, &r->finding[i], show_ns);
	}
	if (!r->n_findings)
		out_str(o, "\nno findings: connection tracking looks healthy\n");
	out_printf(o, "\n%u critical, %u warning%s, %u info\n",
		   severity_count(r, SEV_CRITICAL),
		   severity_count(r, SEV_WARNING),
		   severity_count(r, SEV_WARNING) == 1 ? "" : "s",
		   severity_count(r, SEV_INFO));
}

void diag_print_text(struct out *o, const struct diag_result *r, bool color)
{
	out_printf(o, "ctadm diagnose: Linux %s, %s %s, ", r->kernel,
		   r->all_netns ? "namespaces:" : "namespace",
		   r->all_netns ? "all" : r->ns[0].name);
	if (r->samples == 1)
		out_str(o, "1 sample\n");
	else
		out_printf(o, "%u samples %.3g s apart\n", r->samples,
			   r->interval_ms / 1000.0);
	diag_findings_text(o, r, color);
}

/* --- json ---------------------------------------------------------------- */

static void json_value(struct out *o, const struct diag_evidence *e)
{
	if (e->number)
		out_str(o, e->value);
	else
		out_json_string(o, e->value);
}

/* Evidence as an object; a key given more than once (one listener, one
 * queue each) becomes an array. */
static void evidence_json(struct out *o, const struct diag_finding *f)
{
	bool first = true;

	out_char(o, '{');
	for (unsigned i = 0; i < f->n_evidence; i++) {
		const char *key = f->evidence[i].key;
		unsigned n = 0;
		bool seen = false;

		for (unsigned j = 0; j < i; j++)
			seen |= strcmp(f->evidence[j].key, key) == 0;
		if (seen)
			continue;
		for (unsigned j = i; j < f->n_evidence; j++)
			n += strcmp(f->evidence[j].key, key) == 0;
		out_str(o, first ? "" : ",");
		first = false;
		out_json_string(o, key);
		out_str(o, n > 1 ? ":[" : ":");
		for (unsigned j = i, k = 0; j < f->n_evidence; j++) {
			if (strcmp(f->evidence[j].key, key))
				continue;
			out_str(o, k++ ? "," : "");
			json_value(o, &f->evidence[j]);
		}
		out_str(o, n > 1 ? "]" : "");
	}
	out_char(o, '}');
}

void diag_findings_json(struct out *o, const struct diag_result *r)
{
	out_char(o, '[');
	for (unsigned i = 0; i < r->n_findings; i++) {
		const struct diag_finding *f = &r->finding[i];

		out_str(o, i ? ",{\"id\":" : "{\"id\":");
		out_json_string(o, f->id);
		out_printf(o, ",\"severity\":\"%s\",\"netns\":",
			   diag_severity_name(f->severity));
		out_json_string(o, f->netns);
		out_str(o, ",\"summary\":");
		out_json_string(o, f->summary);
		out_str(o, ",\"evidence\":");
		evidence_json(o, f);
		out_str(o, ",\"explanation\":");
		out_json_string(o, f->explanation);
		out_str(o, ",\"remedy\":");
		out_json_string(o, f->remedy);
		out_char(o, '}');
	}
	out_char(o, ']');
}

static void metrics_json(struct out *o, const struct diag_ns *ns)
{
	const struct diag_sample *s = diag_last(ns);

	out_str(o, "{\"netns\":");
	out_json_string(o, ns->name);
	out_printf(o, ",\"count\":%u,\"listed\":%u,\"not_assured\":%u,"
		   "\"dying\":%u,\"stuck_dying\":%u,\"unconfirmed_dump\":%u,"
		   "\"nfqueue_waiting\":%u,\"max\":%u,\"buckets\":%u,"
		   "\"log_invalid\":%u,\"event_listeners\":%u,"
		   "\"event_listener_drops\":%lu,\"stats_delta\":{",
		   s->count_after, s->listed, s->not_assured, s->dying,
		   diag_stuck_count(ns), s->unconfirmed, s->nfq_waiting, ns->st.max,
		   ns->st.buckets, ns->st.log_invalid, ns->st.n_listeners,
		   listener_drops(ns));
	for (int k = 0; k < DS_COUNT_; k++)
		out_printf(o, "%s\"%s\":%llu", k ? "," : "", diag_stat_names[k],
			   (unsigned long long)diag_stat_delta(ns, (enum diag_stat)k));
	out_str(o, "}}");
}

void diag_print_json(struct out *o, const struct diag_result *r)
{
	out_str(o, "{\"schema_version\":1,\"kernel\":");
	out_json_string(o, r->kernel);
	out_str(o, ",\"netns\":");
	out_json_string(o, r->all_netns ? "all" : r->ns[0].name);
	out_printf(o, ",\"samples\":{\"count\":%u,\"interval_ms\":%u},"
		   "\"findings\":", r->samples, r->interval_ms);
	diag_findings_json(o, r);
	out_str(o, ",\"metrics\":[");
	for (unsigned i = 0; i < r->n_ns; i++) {
		if (i)
			out_char(o, ',');
		metrics_json(o, &r->ns[i]);
	}
	out_str(o, "]}\n");
}

/* --- prometheus ---------------------------------------------------------- */

/* A label value: backslash, double quote and newline escaped. */
static void prom_label(struct out *o, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			out_char(o, '\\');
		if (*s == '\n')
			out_str(o, "\\n");
		else
			out_char(o, *s);
	}
}

static void prom_head(struct out *o, const char *name, const char *help)
{
	out_printf(o, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void prom_ns_value(struct out *o, const char *name,
			  const struct diag_ns *ns, unsigned long long v)
{
	out_printf(o, "%s{netns=\"", name);
	prom_label(o, ns->name);
	out_printf(o, "\"} %llu\n", v);
}

enum prom_metric { PM_COUNT, PM_LISTED, PM_NOT_ASSURED, PM_DYING, PM_STUCK,
		   PM_NFQ, PM_MAX, PM_BUCKETS, PM_DROPS, PM_N_ };

static const struct {
	const char *name, *help;
} prom_metrics[PM_N_] = {
	[PM_COUNT] = { "ctadm_conntrack_entries", "Entries the kernel counts." },
	[PM_LISTED] = { "ctadm_conntrack_listed_entries",
			"Entries a dump of the table showed." },
	[PM_NOT_ASSURED] = { "ctadm_conntrack_not_assured_entries",
			     "Listed entries early_drop may evict." },
	[PM_DYING] = { "ctadm_conntrack_dying_entries",
		       "Entries on the dying list." },
	[PM_STUCK] = { "ctadm_conntrack_stuck_dying_entries",
		       "Dying entries seen in the first and the last sample." },
	[PM_NFQ] = { "ctadm_nfqueue_waiting_packets",
		     "Packets waiting for an NFQUEUE verdict." },
	[PM_MAX] = { "ctadm_conntrack_max", "nf_conntrack_max." },
	[PM_BUCKETS] = { "ctadm_conntrack_buckets", "nf_conntrack_buckets." },
	[PM_DROPS] = { "ctadm_conntrack_event_listener_drops",
		       "Messages conntrack event listeners lost." },
};

static unsigned long long prom_metric_value(const struct diag_ns *ns,
					    enum prom_metric m)
{
	const struct diag_sample *s = diag_last(ns);

	switch (m) {
	case PM_COUNT: return s->count_after;
	case PM_LISTED: return s->listed;
	case PM_NOT_ASSURED: return s->not_assured;
	case PM_DYING: return s->dying;
	case PM_STUCK: return diag_stuck_count(ns);
	case PM_NFQ: return s->nfq_waiting;
	case PM_MAX: return ns->st.max;
	case PM_BUCKETS: return ns->st.buckets;
	default: return listener_drops(ns);
	}
}

static void prom_stats(struct out *o, const struct diag_result *r)
{
	prom_head(o, "ctadm_conntrack_stat_increase",
		  "Growth of a per-CPU statistic over the samples.");
	for (unsigned i = 0; i < r->n_ns; i++)
		for (int k = 0; k < DS_COUNT_; k++) {
			out_str(o, "ctadm_conntrack_stat_increase{netns=\"");
			prom_label(o, r->ns[i].name);
			out_printf(o, "\",stat=\"%s\"} %llu\n", diag_stat_names[k],
				   (unsigned long long)diag_stat_delta(
					   &r->ns[i], (enum diag_stat)k));
		}
}

/* One series per id, severity and namespace: the number of findings. */
static void prom_findings(struct out *o, const struct diag_result *r)
{
	prom_head(o, "ctadm_diagnose_findings", "Findings by severity.");
	for (int sev = SEV_INFO; sev <= SEV_CRITICAL; sev++)
		out_printf(o, "ctadm_diagnose_findings{severity=\"%s\"} %u\n",
			   diag_severity_name((enum diag_severity)sev),
			   severity_count(r, (enum diag_severity)sev));
	prom_head(o, "ctadm_diagnose_finding",
		  "Findings by id, severity and namespace.");
	for (unsigned i = 0; i < r->n_findings; i++) {
		const struct diag_finding *f = &r->finding[i];
		unsigned n = 0;
		bool seen = false;

		for (unsigned j = 0; j < r->n_findings; j++) {
			bool same = strcmp(r->finding[j].id, f->id) == 0 &&
				    r->finding[j].severity == f->severity &&
				    strcmp(r->finding[j].netns, f->netns) == 0;

			seen |= same && j < i;
			n += same;
		}
		if (seen)
			continue;
		out_printf(o, "ctadm_diagnose_finding{id=\"%s\",severity=\"%s\","
			   "netns=\"", f->id, diag_severity_name(f->severity));
		prom_label(o, f->netns);
		out_printf(o, "\"} %u\n", n);
	}
}

void diag_print_prometheus(struct out *o, const struct diag_result *r)
{
	for (int m = 0; m < PM_N_; m++) {
		prom_head(o, prom_metrics[m].name, prom_metrics[m].help);
		for (unsigned i = 0; i < r->n_ns; i++)
			prom_ns_value(o, prom_metrics[m].name, &r->ns[i],
				      prom_metric_value(&r->ns[i],
							(enum prom_metric)m));
	}
	prom_stats(o, r);
	prom_findings(o, r);
}
