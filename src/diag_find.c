/* diag_find.c - diagnose's findings: each rule looks at a namespace's
 * samples and settings and, when something is wrong (or a fact changes
 * what a number means), records a finding with a stable id, the numbers
 * that prove it, what it means and what to run.
 *
 * A finding must hold in every sample where churn could fake it, so a
 * busy but healthy table gives none. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"
#include "paths.h"

static struct diag_finding *finding_add(struct diag_result *r, const char *id,
					enum diag_severity sev,
					const char *netns)
{
	struct diag_finding *f;

	if (r->n_findings == DIAG_FINDINGS_MAX)
		return NULL;
	f = &r->finding[r->n_findings++];
	memset(f, 0, sizeof(*f));
	f->id = id;
	f->severity = sev;
	f->netns = netns;
	return f;
}

static void ev_num(struct diag_finding *f, const char *key, uint64_t v)
{
	struct diag_evidence *e;

	if (f->n_evidence == DIAG_EVIDENCE_MAX)
		return;
	e = &f->evidence[f->n_evidence++];
	e->key = key;
	e->number = true;
	snprintf(e->value, sizeof(e->value), "%llu", (unsigned long long)v);
}

static void __attribute__((format(printf, 3, 4)))
ev_str(struct diag_finding *f, const char *key, const char *fmt, ...)
{
	struct diag_evidence *e;
	va_list ap;

	if (f->n_evidence == DIAG_EVIDENCE_MAX)
		return;
	e = &f->evidence[f->n_evidence++];
	e->key = key;
	va_start(ap, fmt);
	vsnprintf(e->value, sizeof(e->value), fmt, ap);
	va_end(ap);
}

#define TEXT(f, field, ...) snprintf((f)->field, sizeof((f)->field), __VA_ARGS__)

static bool has_finding(const struct diag_result *r, const char *id,
			const char *netns)
{
	for (unsigned i = 0; i < r->n_findings; i++)
		if (strcmp(r->finding[i].id, id) == 0 &&
		    (!netns || r->finding[i].netns == netns))
			return true;
	return false;
}

/* --- count-list-mismatch and unconfirmed-invisible ---------------------- */

/* How far a dump may differ from the count taken around it: the count's
 * own move, plus the inserts seen meanwhile and the removals they imply. */
static uint64_t sample_churn(const struct diag_sample *s)
{
	int64_t moved = (int64_t)s->count_after - (int64_t)s->count_before;
	uint64_t churn = (uint64_t)(moved < 0 ? -moved : moved);
	int64_t removed = (int64_t)s->inserts_during - moved;

	churn += s->inserts_during;
	if (removed > 0)
		churn += (uint64_t)removed;
	return churn;
}

/* Entries that expired since the previous sample stay counted until the
 * garbage collector (or a dump, a few at a time) removes them, while
 * every dump already skips them. */
static uint64_t sample_tolerance(const struct diag_ns *ns, unsigned i)
{
	return sample_churn(&ns->sample[i]) +
	       (i ? ns->sample[i - 1].expiring : 0);
}

/* count minus listed, from the count nearer the dump's own moment. */
static int64_t sample_missing(const struct diag_sample *s)
{
	int64_t mid = ((int64_t)s->count_before + s->count_after) / 2;

	return mid - (int64_t)s->listed;
}

static bool mismatch_everywhere(const struct diag_ns *ns)
{
	for (unsigned i = 0; i < ns->n_samples; i++) {
		int64_t miss = sample_missing(&ns->sample[i]);
		uint64_t abs_miss = (uint64_t)(miss < 0 ? -miss : miss);

		if (abs_miss <= sample_tolerance(ns, i))
			return false;
	}
	return ns->n_samples > 0;
}

/* Entries counted but in no dump, beyond the dying list and the churn,
 * in every sample: unconfirmed entries. */
static uint64_t invisible_everywhere(const struct diag_ns *ns)
{
	uint64_t least = UINT64_MAX;

	for (unsigned i = 0; i < ns->n_samples; i++) {
		const struct diag_sample *s = &ns->sample[i];
		int64_t rest = sample_missing(s) - (int64_t)s->dying -
			       (int64_t)sample_tolerance(ns, i);

		if (rest <= 0)
			return 0;
		if ((uint64_t)rest < least)
			least = (uint64_t)rest;
	}
	return least == UINT64_MAX ? 0 : least;
}

static void mismatch_find(struct diag_result *r, const struct diag_ns *ns)
{
	const struct diag_sample *s = diag_last(ns);
	int64_t miss = sample_missing(s);
	uint64_t churn = sample_tolerance(ns, ns->n_samples - 1), dying, queued,
		 rest;
	struct diag_finding *f;

	if (!mismatch_everywhere(ns))
		return;
	f = finding_add(r, "count-list-mismatch", SEV_WARNING, ns->name);
	if (!f)
		return;
	dying = miss > 0 ? (uint64_t)miss < s->dying ? (uint64_t)miss : s->dying : 0;
	queued = miss > 0 ? (uint64_t)miss - dying : 0;
	queued = queued < s->nfq_waiting ? queued : s->nfq_waiting;
	rest = miss > 0 ? (uint64_t)miss - dying - queued : 0;
	rest = rest > churn ? rest - churn : 0;
	if (miss < 0)
		rest = (uint64_t)-miss;
	TEXT(f, summary, "the kernel counts %u entries but a dump shows %u "
	     "(churn during the dump: %llu)", s->count_before, s->listed,
	     (unsigned long long)churn);
	ev_num(f, "count", s->count_before);
	ev_num(f, "listed", s->listed);
	ev_num(f, "churn", churn);
	ev_num(f, "on_dying_list", dying);
	ev_num(f, "queued_to_nfqueue", queued);
	ev_num(f, "unexplained", rest);
	ev_num(f, "samples", ns->n_samples);
	/* Only counted entries no list holds can be unconfirmed ones. */
	TEXT(f, explanation, "In every sample the count (IPCTNL_MSG_CT_GET_STATS) "
	     "and the dump differ by more than the entries created and "
	     "destroyed meanwhile. %llu of them are on the dying list "
	     "(dying-entries); %llu belong to packets queued to NFQUEUE, whose "
	     "entries are not confirmed yet and which no dump can show "
	     "(unconfirmed-invisible); %llu remain unexplained%s.",
	     (unsigned long long)dying, (unsigned long long)queued,
	     (unsigned long long)rest,
	     miss > 0 && rest && r->kernel_version >= (5u << 16 | 19u << 8)
		     ? " (since Linux 5.19 unconfirmed entries are invisible to "
		       "every dump, so these are most likely unconfirmed)"
		     : "");
	TEXT(f, remedy, "ctadm -L dying; cat /proc/net/netfilter/"
	     "nfnetlink_queue; ctadm diagnose --samples 5");
}

static void queues_evidence(struct diag_finding *f, const struct diag_ns *ns)
{
	for (unsigned i = 0; i < ns->st.n_queues; i++) {
		const struct diag_queue *q = &ns->st.queue[i];

		if (!q->q.total)
			continue;
		if (q->pid)
			ev_str(f, "queue", "%u: %u waiting, portid %u, pid %d (%s)",
			       q->q.queue, q->q.total, q->q.portid, q->pid,
			       q->comm);
		else
			ev_str(f, "queue", "%u: %u waiting, portid %u",
			       q->q.queue, q->q.total, q->q.portid);
	}
}

/* Packets waiting in NFQUEUE alone are no finding: a working queue
 * always holds some, of flows long confirmed.  Only counted entries no
 * dump shows are. */
static void unconfirmed_find(struct diag_result *r, const struct diag_ns *ns)
{
	uint64_t invisible = invisible_everywhere(ns);
	uint32_t queued = UINT32_MAX;
	struct diag_finding *f;

	for (unsigned i = 0; i < ns->n_samples; i++)
		if (ns->sample[i].nfq_waiting < queued)
			queued = ns->sample[i].nfq_waiting;
	if (!invisible)
		return;
	f = finding_add(r, "unconfirmed-invisible", SEV_WARNING, ns->name);
	if (!f)
		return;
	TEXT(f, summary, "%llu counted entries are not confirmed yet; %u "
	     "packets wait in NFQUEUE", (unsigned long long)invisible,
	     queued == UINT32_MAX ? 0 : queued);
	ev_num(f, "invisible_entries", invisible);
	ev_num(f, "nfqueue_waiting", queued == UINT32_MAX ? 0 : queued);
	queues_evidence(f, ns);
	TEXT(f, explanation, "An entry is confirmed when its first packet "
	     "leaves the last netfilter hook. Until then it is counted (and "
	     "held against nf_conntrack_max) but in no table a dump shows. A "
	     "packet queued to NFQUEUE keeps its entry unconfirmed until the "
	     "program bound to the queue gives a verdict.");
	TEXT(f, remedy, "cat /proc/net/netfilter/nfnetlink_queue; make the "
	     "queue's program give verdicts, or remove the NFQUEUE rule "
	     "(iptables-save | grep NFQUEUE)");
}

/* --- dying-entries and stuck-dying -------------------------------------- */

static void listener_evidence(struct diag_finding *f,
			      const struct diag_listener *l)
{
	char owner[64] = "";

	if (l->pid)
		snprintf(owner, sizeof(owner), ", pid %d (%s)", l->pid, l->comm);
	ev_str(f, "listener", "portid %u%s, rmem %lu, drops %lu%s",
	       l->sock.portid, owner, l->sock.rmem, l->sock.drops,
	       l->sock.flags_known && l->sock.broadcast_error
		       ? ", NETLINK_BROADCAST_ERROR" : "");
}

/* The listeners that can hold entries on the dying list: those with
 * reliable delivery, or every one when the kernel does not tell. */
static void reliable_listeners_evidence(struct diag_finding *f,
					const struct diag_ns *ns)
{
	for (unsigned i = 0; i < ns->st.n_listeners; i++) {
		const struct diag_listener *l = &ns->st.listener[i];

		if (!l->sock.flags_known || l->sock.broadcast_error)
			listener_evidence(f, l);
	}
}

static bool dying_everywhere(const struct diag_ns *ns)
{
	for (unsigned i = 0; i < ns->n_samples; i++)
		if (!ns->sample[i].dying)
			return false;
	return true;
}

static void dying_find(struct diag_result *r, const struct diag_ns *ns)
{
	const struct diag_sample *s = diag_last(ns);
	bool modern = r->kernel_version >= (5u << 16 | 19u << 8);
	struct diag_finding *f;

	if (!s->dying)
		return;
	f = finding_add(r, "dying-entries",
			dying_everywhere(ns) ? SEV_WARNING : SEV_INFO,
			ns->name);
	if (!f)
		return;
	TEXT(f, summary, "%u entries on the dying list", s->dying);
	ev_num(f, "dying", s->dying);
	ev_num(f, "first_sample_dying", ns->sample[0].dying);
	TEXT(f, explanation, "%s", modern
	     ? "Since Linux 5.19 the dying list holds only entries whose "
	       "destroy event could not be delivered to a listener that asked "
	       "for reliable delivery (NETLINK_BROADCAST_ERROR); they stay "
	       "counted until the event is redelivered."
	     : "Entries being destroyed pass through the dying list; many of "
	       "them, or the same ones for long, mean their destroy events "
	       "cannot be delivered.");
	TEXT(f, remedy, "ctadm -L dying; ss -A netlink");
}

static void stuck_find(struct diag_result *r, const struct diag_ns *ns)
{
	size_t stuck;
	uint64_t apart = ns->dying_last_ms - ns->dying_first_ms;
	struct diag_finding *f;

	if (ns->n_samples < 2 || apart + 50 < r->interval_ms)
		return;
	stuck = id_set_common(&ns->dying_first, &ns->dying_last);
	if (!stuck)
		return;
	f = finding_add(r, "stuck-dying", SEV_WARNING, ns->name);
	if (!f)
		return;
	TEXT(f, summary, "%zu entries stayed on the dying list for %.1f s",
	     stuck, (double)apart / 1000);
	ev_num(f, "stuck", stuck);
	ev_num(f, "apart_ms", apart);
	reliable_listeners_evidence(f, ns);
	TEXT(f, explanation, "The same conntrack ids were on the dying list in "
	     "samples taken %.1f s apart. Their destroy events wait for a "
	     "conntrack event listener that asked for reliable delivery "
	     "(NETLINK_BROADCAST_ERROR) but does not read its socket: until it "
	     "does, the entries stay counted against nf_conntrack_max.",
	     (double)apart / 1000);
	TEXT(f, remedy, "fix or restart the listener named in the evidence "
	     "(its socket's receive queue is full); ss -A netlink -p");
}

/* --- table-usage and hash-chains ---------------------------------------- */

static void usage_finding(struct diag_result *r, const char *netns,
			  uint64_t count, uint64_t max, uint64_t not_assured,
			  uint64_t listed)
{
	unsigned pct = max ? (unsigned)(count * 100 / max) : 0;
	enum diag_severity sev = pct >= 95   ? SEV_CRITICAL
				 : pct >= 80 ? SEV_WARNING
					     : SEV_INFO;
	struct diag_finding *f = finding_add(r, "table-usage", sev, netns);

	if (!f)
		return;
	TEXT(f, summary, "%llu of %llu entries in use (%u %%)",
	     (unsigned long long)count, (unsigned long long)max, pct);
	ev_num(f, "count", count);
	ev_num(f, "max", max);
	ev_num(f, "percent", pct);
	ev_num(f, "not_assured", not_assured);
	ev_num(f, "reclaimable_percent",
	       listed ? not_assured * 100 / listed : 0);
	TEXT(f, explanation, "When the count reaches nf_conntrack_max new "
	     "connections are dropped, after early_drop has evicted what it "
	     "can: only entries not ASSURED (%llu here) can be evicted.",
	     (unsigned long long)not_assured);
	TEXT(f, remedy, "%s", sev == SEV_INFO
	     ? "none needed"
	     : "sysctl -w net.netfilter.nf_conntrack_max=N (and more buckets), "
	       "or shorten timeouts; ctadm report shows who holds the entries");
}

static void hash_find(struct diag_result *r, const struct diag_ns *ns,
		      uint64_t chaintoolong)
{
	const struct diag_static *st = &ns->st;
	struct diag_finding *f;

	if (!st->buckets || !st->have_max)
		return;
	if (!chaintoolong && st->max <= 8ull * st->buckets)
		return;
	f = finding_add(r, "hash-chains", SEV_WARNING, ns->name);
	if (!f)
		return;
	TEXT(f, summary, "%u entries allowed over %u hash buckets (%.1f per "
	     "bucket); chaintoolong grew by %llu", st->max, st->buckets,
	     (double)st->max / st->buckets, (unsigned long long)chaintoolong);
	ev_num(f, "max", st->max);
	ev_num(f, "buckets", st->buckets);
	ev_num(f, "chaintoolong_delta", chaintoolong);
	TEXT(f, explanation, "Long hash chains make every lookup slower; since "
	     "Linux 5.16 the kernel refuses an entry whose chain is too long "
	     "(chaintoolong) and drops its packet.");
	TEXT(f, remedy, "sysctl -w net.netfilter.nf_conntrack_buckets=%u",
	     st->max / 2 > st->buckets ? st->max / 2 : st->buckets * 2);
}

/* --- stats-delta -------------------------------------------------------- */

static const struct {
	enum diag_stat stat;
	enum diag_severity sev;
	const char *meaning;
} stat_meanings[] = {
	{ DS_INSERT_FAILED, SEV_WARNING, "an entry could not be inserted: a "
	  "clash with an entry for the same tuple the kernel could not "
	  "resolve; with drop rising too these are unresolved UDP clashes "
	  "such as parallel DNS queries from one socket (A and AAAA)" },
	{ DS_DROP, SEV_WARNING, "packets dropped because conntrack could not "
	  "create or insert their entry (table full, or an insert clash)" },
	{ DS_EARLY_DROP, SEV_WARNING, "the table was full: entries not ASSURED "
	  "were evicted to make room" },
	{ DS_INVALID, SEV_INFO, "packets conntrack could not classify "
	  "(out-of-window TCP, bad flags, ICMP errors without a connection): "
	  "they are INVALID and skip NAT" },
	{ DS_SEARCH_RESTART, SEV_INFO, "lookups restarted because the table "
	  "changed under them (resize, or entries moving)" },
	{ DS_CLASH_RESOLVE, SEV_INFO, "two packets of a new flow raced to "
	  "insert the same entry and the kernel resolved it without a drop" },
	{ DS_CHAINTOOLONG, SEV_WARNING, "a hash chain grew past the kernel's "
	  "limit and a new entry was refused: too few buckets, or a hash "
	  "flood" },
};

static void stats_find(struct diag_result *r, const struct diag_ns *ns)
{
	uint64_t ms = diag_last(ns)->t_ms - ns->sample[0].t_ms;

	for (size_t i = 0; i < sizeof(stat_meanings) / sizeof(stat_meanings[0]);
	     i++) {
		uint64_t d = diag_stat_delta(ns, stat_meanings[i].stat);
		const char *name = diag_stat_names[stat_meanings[i].stat];
		struct diag_finding *f;

		if (!d)
			continue;
		f = finding_add(r, "stats-delta", stat_meanings[i].sev, ns->name);
		if (!f)
			return;
		TEXT(f, summary, "%s grew by %llu in %.1f s", name,
		     (unsigned long long)d, (double)ms / 1000);
		ev_str(f, "stat", "%s", name);
		ev_num(f, "delta", d);
		ev_num(f, "ms", ms);
		TEXT(f, explanation, "%s: %s.", name, stat_meanings[i].meaning);
		TEXT(f, remedy, "%s", stat_meanings[i].stat == DS_INVALID
		     ? "ctadm watch-invalid --seconds 10"
		     : "ctadm -S; ctadm report");
	}
}

/* --- logging of invalid packets ---------------------------------------- */

static bool backend_is_none(const char *b)
{
	return strcmp(b, "NONE") == 0;
}

static void unlogged_find(struct diag_result *r, const struct diag_ns *ns,
			  int all_netns)
{
	const struct diag_static *st = &ns->st;
	uint64_t invalid = diag_stat_delta(ns, DS_INVALID);
	struct diag_finding *f;

	if (invalid && !st->log_invalid &&
	    (f = finding_add(r, "invalid-not-logged", SEV_INFO, ns->name))) {
		TEXT(f, summary, "%llu invalid packets, but "
		     "nf_conntrack_log_invalid is 0", (unsigned long long)invalid);
		ev_num(f, "invalid_delta", invalid);
		ev_num(f, "log_invalid", 0);
		TEXT(f, explanation, "The kernel counts invalid packets but says "
		     "why only for the protocol log_invalid names.");
		TEXT(f, remedy, "ctadm watch-invalid --seconds 10, or ctadm "
		     "debug on");
	}
	if (!st->log_invalid)
		return;
	for (int i = 0; i < 2; i++) {
		if (!backend_is_none(st->backend[i]))
			continue;
		f = finding_add(r, "invalid-not-logged", SEV_WARNING, ns->name);
		if (!f)
			return;
		TEXT(f, summary, "log_invalid is %u but %s has no nf_log backend",
		     st->log_invalid, i ? "ipv6" : "ipv4");
		ev_num(f, "log_invalid", st->log_invalid);
		ev_str(f, "family", "%s", i ? "ipv6" : "ipv4");
		ev_str(f, "backend", "none");
		TEXT(f, explanation, "Without a backend for the family the "
		     "kernel drops the log lines of invalid packets.");
		TEXT(f, remedy, "ctadm nflog %s nf_log_%s (or ctadm debug on)",
		     i ? "ipv6" : "ipv4", i ? "ipv6" : "ipv4");
	}
	if (st->initial || all_netns != 0 ||
	    (strncmp(st->backend[0], "nf_log_", 7) &&
	     strncmp(st->backend[1], "nf_log_", 7)))
		return;
	f = finding_add(r, "invalid-not-logged", SEV_WARNING, ns->name);
	if (!f)
		return;
	TEXT(f, summary, "a syslog backend in a namespace that is not the "
	     "initial one, while nf_log_all_netns is 0");
	ev_str(f, "backend_ipv4", "%s", st->backend[0]);
	ev_str(f, "backend_ipv6", "%s", st->backend[1]);
	ev_num(f, "nf_log_all_netns", 0);
	TEXT(f, explanation, "Syslog-type backends print nothing for other "
	     "namespaces than the initial one unless nf_log_all_netns is 1 "
	     "there.");
	TEXT(f, remedy, "ctadm --netns %s nflog ipv4 nf_log_ipv4 "
	     "--all-netns-logging (from the initial namespace), or ctadm "
	     "watch-invalid", ns->name);
}

/* --- the ruleset --------------------------------------------------------- */

static void ruleset_find(struct diag_result *r, const struct diag_ns *ns)
{
	const struct diag_static *st = &ns->st;
	struct diag_finding *f;

	if (st->legacy_tables[0] &&
	    (f = finding_add(r, "legacy-iptables", SEV_INFO, ns->name))) {
		TEXT(f, summary, "legacy iptables tables are not inspected");
		ev_str(f, "tables", "%s", st->legacy_tables);
		TEXT(f, explanation, "Rules in x_tables (iptables-legacy) are "
		     "not read; findings about NAT and invalid packets cover "
		     "nftables only.");
		TEXT(f, remedy, "iptables-legacy-save");
	}
	if (!st->nft.readable) {
		f = finding_add(r, "nftables-unreadable", SEV_INFO, ns->name);
		if (!f)
			return;
		TEXT(f, summary, "the nftables ruleset could not be read");
		ev_str(f, "error", "%s", st->nft_err);
		TEXT(f, explanation, "nat-invalid-leak could not be checked.");
		TEXT(f, remedy, "nft list ruleset");
		return;
	}
	if (!st->nft.has_nat || st->nft.drops_invalid)
		return;
	f = finding_add(r, "nat-invalid-leak", SEV_WARNING, ns->name);
	if (!f)
		return;
	TEXT(f, summary, "NAT without a rule that drops ct state invalid");
	ev_str(f, "nat", "%s", st->nft.nat_where);
	ev_num(f, "rules", st->nft.n_rules);
	TEXT(f, explanation, "Packets conntrack finds INVALID have no entry, "
	     "so NAT never sees them: they leave with their original, "
	     "internal addresses unless a rule drops them first.");
	TEXT(f, remedy, "nft add rule inet filter forward ct state invalid "
	     "drop (in a base chain that sees the NATed traffic)");
}

static void listener_drops_find(struct diag_result *r,
				const struct diag_ns *ns)
{
	for (unsigned i = 0; i < ns->st.n_listeners; i++) {
		const struct diag_listener *l = &ns->st.listener[i];
		struct diag_finding *f;

		if (!l->sock.drops)
			continue;
		f = finding_add(r, "event-listener-drops", SEV_WARNING, ns->name);
		if (!f)
			return;
		TEXT(f, summary, "a conntrack event listener lost %lu messages",
		     l->sock.drops);
		listener_evidence(f, l);
		ev_num(f, "drops", l->sock.drops);
		TEXT(f, explanation, "Its socket's receive buffer overflowed: "
		     "the program missed events and its view of the table is "
		     "wrong (conntrackd, a monitoring agent, ctadm -E).");
		TEXT(f, remedy, "give it a bigger receive buffer (ctadm -E -b, "
		     "conntrackd's NetlinkBufferSize) or make it read faster");
	}
}

static bool conntrack_inactive(const struct diag_ns *ns)
{
	const struct diag_sample *s = diag_last(ns);

	return !s->count_before && !s->count_after && !s->listed &&
	       !s->dying && !ns->st.legacy_tables[0] && ns->st.nft.readable &&
	       !ns->st.nft.has_conntrack;
}

static void inactive_find(struct diag_result *r, const struct diag_ns *ns)
{
	struct diag_finding *f = finding_add(r, "conntrack-inactive", SEV_INFO,
					     ns->name);

	if (!f)
		return;
	TEXT(f, summary, "connection tracking is not active here");
	ev_num(f, "count", 0);
	ev_num(f, "nft_rules", ns->st.nft.n_rules);
	TEXT(f, explanation, "No entries and no rule that uses conntrack: the "
	     "kernel registers conntrack's hooks in a namespace only once "
	     "something needs them. Not a fault.");
	TEXT(f, remedy, "none needed");
}

/* --- kernel facts --------------------------------------------------------- */

static void facts_find(struct diag_result *r)
{
	bool invalid_related = has_finding(r, "invalid-not-logged", NULL);
	struct diag_finding *f;
	char kernel[sizeof(r->kernel)];

	/* A copy: the findings live in r too. */
	memcpy(kernel, r->kernel, sizeof(kernel));
	for (unsigned i = 0; i < r->n_findings && !invalid_related; i++)
		invalid_related = strcmp(r->finding[i].id, "stats-delta") == 0 &&
				  strcmp(r->finding[i].evidence[0].value,
					 "invalid") == 0;
	if (r->kernel_version >= (5u << 16 | 19u << 8) &&
	    has_finding(r, "unconfirmed-invisible", NULL) &&
	    (f = finding_add(r, "kernel-unconfirmed-dump", SEV_INFO, "all"))) {
		TEXT(f, summary, "Linux %s cannot dump unconfirmed entries",
		     kernel);
		ev_str(f, "kernel", "%s", kernel);
		TEXT(f, explanation, "Since Linux 5.19 the unconfirmed list is "
		     "gone: ctadm -L unconfirmed is always empty, and unconfirmed "
		     "entries show only as the difference between count and "
		     "dump.");
		TEXT(f, remedy, "none");
	}
	if (invalid_related && !r->ns[0].st.dyndbg &&
	    (f = finding_add(r, "kernel-no-dyndbg", SEV_INFO, "all"))) {
		TEXT(f, summary, "this kernel has no dynamic debug");
		ev_str(f, "kernel", "%s", kernel);
		TEXT(f, explanation, "Without CONFIG_DYNAMIC_DEBUG nf_conntrack's "
		     "debug lines cannot be turned on; the invalid-packet log "
		     "(log_invalid) is what there is.");
		TEXT(f, remedy, "ctadm watch-invalid");
	}
}

/* --- all together ----------------------------------------------------------- */

/* nf_log_all_netns as the initial namespace has it, if one of the
 * namespaces sampled is that one; -1 otherwise. */
static int all_netns_known(const struct diag_result *r)
{
	for (unsigned i = 0; i < r->n_ns; i++)
		if (r->ns[i].st.initial)
			return r->ns[i].st.all_netns;
	return r->all_netns_home;
}

static void usage_all_find(struct diag_result *r)
{
	uint64_t count = 0, not_assured = 0, listed = 0;

	for (unsigned i = 0; i < r->n_ns; i++) {
		count += diag_last(&r->ns[i])->count_after;
		not_assured += diag_last(&r->ns[i])->not_assured;
		listed += diag_last(&r->ns[i])->listed;
	}
	usage_finding(r, "all", count, r->ns[0].st.max, not_assured, listed);
}

static void ns_findings_make(struct diag_result *r, const struct diag_ns *ns,
			     int all_netns)
{
	const struct diag_sample *s = diag_last(ns);

	if (!ns->n_samples)
		return;
	if (conntrack_inactive(ns)) {
		inactive_find(r, ns);
		return;
	}
	mismatch_find(r, ns);
	unconfirmed_find(r, ns);
	dying_find(r, ns);
	stuck_find(r, ns);
	if (ns->st.have_max)
		usage_finding(r, ns->name, s->count_after, ns->st.max,
			      s->not_assured, s->listed);
	stats_find(r, ns);
	hash_find(r, ns, diag_stat_delta(ns, DS_CHAINTOOLONG));
	unlogged_find(r, ns, all_netns);
	ruleset_find(r, ns);
	listener_drops_find(r, ns);
}

static int severity_cmp(const void *a, const void *b)
{
	const struct diag_finding *x = a, *y = b;

	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

void diag_findings_make(struct diag_result *r)
{
	int all_netns = all_netns_known(r);

	r->n_findings = 0;
	for (unsigned i = 0; i < r->n_ns; i++)
		ns_findings_make(r, &r->ns[i], all_netns);
	if (r->all_netns && r->n_ns > 1 && r->ns[0].st.have_max)
		usage_all_find(r);
	facts_find(r);
	/* qsort is not stable: order by severity, then by position. */
	for (unsigned i = 0; i < r->n_findings; i++)
		r->finding[i].order = i;
	qsort(r->finding, r->n_findings, sizeof(r->finding[0]), severity_cmp);
}

int diag_exit_status(const struct diag_result *r)
{
	int status = 0;

	for (unsigned i = 0; i < r->n_findings; i++) {
		if (r->finding[i].severity == SEV_CRITICAL)
			return 4;
		if (r->finding[i].severity == SEV_WARNING)
			status = 3;
	}
	return status;
}

const char *diag_severity_name(enum diag_severity s)
{
	return s == SEV_CRITICAL ? "critical" : s == SEV_WARNING ? "warning"
								  : "info";
}
