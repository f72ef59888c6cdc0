/* test_diag.c - diagnose's findings from synthetic samples, no kernel:
 * each finding id's trigger and the look-alike that must not trigger it
 * (churn, timing, thresholds), the exit status, the id sets and
 * statistic deltas the findings stand on, and the renderings (the JSON
 * document parses, Prometheus lines, text grouped by severity). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"
#include "unit.h"

#define KV(maj, min) ((maj) << 16 | (min) << 8)
#define SAMPLES_MAX 4

static struct diag_result r;
static struct diag_ns ns[2];
static struct diag_sample smp[2][SAMPLES_MAX];

/* An active namespace with nothing wrong: n samples 1 s apart, every
 * counted entry listed, a sane table and a ruleset that uses conntrack. */
static void ns_healthy(struct diag_ns *x, const char *name,
		       struct diag_sample *s, unsigned n)
{
	snprintf(x->name, sizeof(x->name), "%s", name);
	x->fd = -1;
	x->st.initial = true;
	x->st.max = 262144;
	x->st.buckets = 65536;
	x->st.have_max = true;
	x->st.dyndbg = true;
	x->st.nft.readable = true;
	x->st.nft.has_conntrack = true;
	strcpy(x->st.backend[0], "nf_log_ipv4");
	strcpy(x->st.backend[1], "nf_log_ipv6");
	x->sample = s;
	x->n_samples = n;
	for (unsigned i = 0; i < n; i++) {
		s[i].t_ms = 1000 * i;
		s[i].count_before = s[i].count_after = s[i].listed = 100;
		s[i].not_assured = 10;
		s[i].have_stats = true;
	}
	x->dying_last_ms = 1000 * (n - 1);
}

static void id_sets_free(void)
{
	for (int k = 0; k < 2; k++) {
		id_set_free(&ns[k].dying_first);
		id_set_free(&ns[k].dying_last);
	}
}

static void healthy(unsigned n)
{
	id_sets_free();
	memset(&r, 0, sizeof(r));
	memset(ns, 0, sizeof(ns));
	memset(smp, 0, sizeof(smp));
	strcpy(r.kernel, "6.18.0");
	r.kernel_version = KV(6, 18);
	r.samples = n;
	r.interval_ms = 1000;
	r.all_netns_home = -1;
	r.n_ns = 1;
	r.ns = ns;
	ns_healthy(&ns[0], "a", smp[0], n);
	ns_healthy(&ns[1], "b", smp[1], n);
}

/* Every sample of namespace 0: count and listed. */
static void counts_set(uint32_t count, uint32_t listed)
{
	for (unsigned i = 0; i < ns[0].n_samples; i++) {
		smp[0][i].count_before = smp[0][i].count_after = count;
		smp[0][i].listed = listed;
	}
}

/* The findings as "id:severity ..." in their order (room for
 * DIAG_FINDINGS_MAX of them). */
static const char *ids(void)
{
	static char buf[DIAG_FINDINGS_MAX * 48];
	size_t len = 0;

	diag_findings_make(&r);
	buf[0] = '\0';
	for (unsigned i = 0; i < r.n_findings; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s:%s",
					i ? " " : "", r.finding[i].id,
					diag_severity_name(r.finding[i].severity));
	return buf;
}

static const struct diag_finding *finding(const char *id)
{
	for (unsigned i = 0; i < r.n_findings; i++)
		if (strcmp(r.finding[i].id, id) == 0)
			return &r.finding[i];
	return NULL;
}

/* The evidence values under key, joined by "|"; "-" without the finding. */
static const char *ev(const char *id, const char *key)
{
	static char buf[DIAG_EVIDENCE_MAX * sizeof(r.finding[0].evidence[0].value)];
	const struct diag_finding *f = finding(id);
	size_t len = 0;

	if (!f)
		return "-";
	buf[0] = '\0';
	for (unsigned i = 0; i < f->n_evidence; i++)
		if (strcmp(f->evidence[i].key, key) == 0)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
						len ? "|" : "", f->evidence[i].value);
	return buf;
}

static void test_healthy(void)
{
	healthy(3);
	UNIT_CHECK_STR(ids(), "table-usage:info", "healthy: table-usage only");
	UNIT_CHECK(diag_exit_status(&r) == 0, "healthy: exit 0");
	healthy(1);
	UNIT_CHECK_STR(ids(), "table-usage:info", "healthy, one sample");
	healthy(3);
	ns[0].n_samples = 0;
	UNIT_CHECK_STR(ids(), "", "no samples: no findings");
}

static void test_inactive(void)
{
	healthy(3);
	counts_set(0, 0);
	ns[0].st.nft.has_conntrack = false;
	UNIT_CHECK_STR(ids(), "conntrack-inactive:info",
		       "inactive: empty, no ct rule");
	UNIT_CHECK(diag_exit_status(&r) == 0, "inactive: exit 0");
	UNIT_CHECK_STR(ev("conntrack-inactive", "count"), "0",
		       "inactive: evidence count");
	ns[0].st.nft.has_conntrack = true;
	UNIT_CHECK_STR(ids(), "table-usage:info",
		       "inactive: not with a rule that uses conntrack");
	ns[0].st.nft.has_conntrack = false;
	strcpy(ns[0].st.legacy_tables, "ip:filter");
	UNIT_CHECK_STR(ids(), "table-usage:info legacy-iptables:info",
		       "inactive: not with legacy tables, which are not read");
	UNIT_CHECK_STR(ev("legacy-iptables", "tables"), "ip:filter",
		       "legacy-iptables: the tables named");
	ns[0].st.legacy_tables[0] = '\0';
	ns[0].st.nft.readable = false;
	strcpy(ns[0].st.nft_err, "Operation not permitted");
	UNIT_CHECK_STR(ids(), "table-usage:info nftables-unreadable:info",
		       "inactive: not when the ruleset cannot be read");
	ns[0].st.nft.readable = true;
	smp[0][2].count_after = smp[0][2].listed = 1;
	UNIT_CHECK_STR(ids(), "table-usage:info",
		       "inactive: not with an entry (made by ctnetlink)");
}

static void test_mismatch(void)
{
	healthy(3);
	counts_set(150, 100);
	UNIT_CHECK_STR(ids(), "count-list-mismatch:warning "
		       "unconfirmed-invisible:warning table-usage:info "
		       "kernel-unconfirmed-dump:info",
		       "mismatch: 50 counted entries in no dump");
	UNIT_CHECK(diag_exit_status(&r) == 3, "mismatch: exit 3");
	UNIT_CHECK_STR(ev("count-list-mismatch", "unexplained"), "50",
		       "mismatch: 50 unexplained");
	UNIT_CHECK_STR(ev("unconfirmed-invisible", "invisible_entries"), "50",
		       "mismatch: 50 invisible");
	UNIT_CHECK(strstr(finding("count-list-mismatch")->explanation,
			  "since Linux 5.19") != NULL,
		   "mismatch: unexplained entries, the 5.19 note");
	for (unsigned i = 0; i < 3; i++)
		smp[0][i].inserts_during = 24;
	ids();
	UNIT_CHECK_STR(ev("count-list-mismatch", "churn"), "48",
		       "mismatch: 24 inserts, 24 removals: churn 48");
	UNIT_CHECK_STR(ev("count-list-mismatch", "unexplained"), "2",
		       "mismatch: what the churn does not cover");
	for (unsigned i = 0; i < 3; i++)
		smp[0][i].inserts_during = 25;
	UNIT_CHECK_STR(ids(), "table-usage:info",
		       "mismatch: not within the churn measured");
	healthy(3);
	counts_set(150, 100);
	smp[0][1].count_before = smp[0][1].count_after = 100;
	UNIT_CHECK_STR(ids(), "table-usage:info",
		       "mismatch: not when one sample agrees");
	healthy(3);
	counts_set(150, 100);
	for (unsigned i = 0; i < 3; i++)
		smp[0][i].expiring = 50;
	UNIT_CHECK_STR(ids(), "table-usage:info",
		       "mismatch: not for entries expired since the sample "
		       "before, still counted");
	healthy(3);
	counts_set(100, 150);
	UNIT_CHECK_STR(ids(), "count-list-mismatch:warning table-usage:info",
		       "mismatch: a dump longer than the count");
	UNIT_CHECK_STR(ev("count-list-mismatch", "unexplained"), "50",
		       "mismatch: longer dump, 50 unexplained");
	UNIT_CHECK(strstr(finding("count-list-mismatch")->explanation,
			  "5.19") == NULL,
		   "mismatch: longer dump, no unconfirmed note");
	healthy(3);
	smp[0][0].count_before = 100;
	smp[0][0].count_after = 200;
	smp[0][0].listed = 150;
	UNIT_CHECK_STR(ids(), "table-usage:info",
		       "mismatch: the count taken in the middle of the dump");
}

static void test_attribution(void)
{
	healthy(3);
	counts_set(1100, 100);
	for (unsigned i = 0; i < 3; i++)
		smp[0][i].dying = 1000;
	UNIT_CHECK_STR(ids(), "count-list-mismatch:warning "
		       "dying-entries:warning table-usage:info",
		       "dying: the mismatch is the dying list");
	UNIT_CHECK_STR(ev("count-list-mismatch", "on_dying_list"), "1000",
		       "dying: 1000 on the dying list");
	UNIT_CHECK_STR(ev("count-list-mismatch", "unexplained"), "0",
		       "dying: nothing unexplained");
	UNIT_CHECK(strstr(finding("count-list-mismatch")->explanation,
			  "5.19") == NULL,
		   "dying: no unconfirmed note when all is explained");
	healthy(3);
	counts_set(120, 100);
	for (unsigned i = 0; i < 3; i++)
		smp[0][i].nfq_waiting = 20;
	UNIT_CHECK_STR(ids(), "count-list-mismatch:warning "
		       "unconfirmed-invisible:warning table-usage:info "
		       "kernel-unconfirmed-dump:info",
		       "nfqueue: 20 entries held by queued packets");
	UNIT_CHECK_STR(ev("count-list-mismatch", "queued_to_nfqueue"), "20",
		       "nfqueue: attributed to NFQUEUE");
	UNIT_CHECK_STR(ev("count-list-mismatch", "unexplained"), "0",
		       "nfqueue: nothing unexplained");
	UNIT_CHECK_STR(ev("unconfirmed-invisible", "nfqueue_waiting"), "20",
		       "nfqueue: the packets waiting");
	ns[0].st.n_queues = 2;
	ns[0].st.queue[0].q = (struct nfq_info){ .queue = 7, .portid = 4242,
						 .total = 20 };
	ns[0].st.queue[0].pid = 4242;
	strcpy(ns[0].st.queue[0].comm, "nfq_hold");
	ns[0].st.queue[1].q = (struct nfq_info){ .queue = 8, .portid = 99 };
	ids();
	UNIT_CHECK_STR(ev("unconfirmed-invisible", "queue"),
		       "7: 20 waiting, portid 4242, pid 4242 (nfq_hold)",
		       "nfqueue: the queue holding packets and its program");
	r.kernel_version = KV(5, 15);
	UNIT_CHECK_STR(ids(), "count-list-mismatch:warning "
		       "unconfirmed-invisible:warning table-usage:info",
		       "nfqueue: before 5.19 no kernel fact");
	healthy(3);
	for (unsigned i = 0; i < 3; i++)
		smp[0][i].nfq_waiting = 20;
	UNIT_CHECK_STR(ids(), "table-usage:info",
		       "nfqueue: packets waiting alone are no finding");
}

static void dying_ids(struct id_set *s, uint32_t from, uint32_t to)
{
	id_set_free(s);
	for (uint32_t id = from; id <= to; id++)
		id_set_add(s, id);
	id_set_sort(s);
}

static void test_dying(void)
{
	struct diag_listener *l = &ns[0].st.listener[0];

	healthy(3);
	smp[0][2].dying = 5;
	UNIT_CHECK_STR(ids(), "dying-entries:info table-usage:info",
		       "dying: only in the last sample, info");
	UNIT_CHECK_STR(ev("dying-entries", "dying"), "5", "dying: the count");
	smp[0][0].dying = smp[0][1].dying = 3;
	UNIT_CHECK_STR(ids(), "dying-entries:warning table-usage:info",
		       "dying: in every sample, warning");
	UNIT_CHECK_STR(ev("dying-entries", "first_sample_dying"), "3",
		       "dying: the first sample's count");
	healthy(3);
	for (unsigned i = 0; i < 3; i++)
		smp[0][i].dying = 10;
	dying_ids(&ns[0].dying_first, 1, 10);
	dying_ids(&ns[0].dying_last, 6, 15);
	ns[0].st.n_listeners = 2;
	l[0].sock = (struct nl_sock_info){ .protocol = 12, .portid = 77,
					   .groups = 7, .rmem = 1280,
					   .drops = 0, .flags_known = true,
					   .broadcast_error = true };
	l[0].pid = 77;
	strcpy(l[0].comm, "ct_stuck_listen");
	l[1].sock = (struct nl_sock_info){ .protocol = 12, .portid = 78,
					   .groups = 7, .flags_known = true };
	UNIT_CHECK_STR(ids(), "dying-entries:warning stuck-dying:warning "
		       "table-usage:info", "stuck: the same ids 2 s apart");
	UNIT_CHECK_STR(ev("stuck-dying", "stuck"), "5", "stuck: 5 in both");
	UNIT_CHECK_STR(ev("stuck-dying", "listener"),
		       "portid 77, pid 77 (ct_stuck_listen), rmem 1280, drops 0, "
		       "NETLINK_BROADCAST_ERROR",
		       "stuck: only the reliable listener named");
	UNIT_CHECK(diag_stuck_count(&ns[0]) == 5, "diag_stuck_count");
	l[1].sock.flags_known = false;
	ids();
	UNIT_CHECK_STR(ev("stuck-dying", "listener"),
		       "portid 77, pid 77 (ct_stuck_listen), rmem 1280, drops 0, "
		       "NETLINK_BROADCAST_ERROR|portid 78, rmem 0, drops 0",
		       "stuck: a listener whose flags are unknown named too");
	ns[0].dying_last_ms = 900;
	UNIT_CHECK_STR(ids(), "dying-entries:warning table-usage:info",
		       "stuck: not in samples less than --interval apart");
	ns[0].dying_last_ms = 960;
	UNIT_CHECK(strstr(ids(), "stuck-dying:warning") != NULL,
		   "stuck: a sample a few ms early still counts");
	ns[0].dying_last_ms = 2000;
	dying_ids(&ns[0].dying_last, 11, 20);
	UNIT_CHECK_STR(ids(), "dying-entries:warning table-usage:info",
		       "stuck: not when the ids changed");
	UNIT_CHECK(diag_stuck_count(&ns[0]) == 0, "diag_stuck_count: none");
	dying_ids(&ns[0].dying_last, 1, 10);
	ns[0].n_samples = 1;
	UNIT_CHECK(strstr(ids(), "stuck-dying") == NULL &&
			   diag_stuck_count(&ns[0]) == 0,
		   "stuck: not from one sample");
}

static void test_usage(void)
{
	static const struct {
		uint32_t count;
		const char *want;
	} cases[] = {
		{ 209715, "table-usage:info" },        /* 79.99 % */
		{ 209716, "table-usage:warning" },     /* 80 % */
		{ 249036, "table-usage:warning" },     /* 94.99 % */
		{ 249037, "table-usage:critical" },    /* 95 % */
		{ 262144, "table-usage:critical" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char name[64];

		healthy(3);
		counts_set(cases[i].count, cases[i].count);
		snprintf(name, sizeof(name), "table-usage: %u of 262144",
			 cases[i].count);
		UNIT_CHECK_STR(ids(), cases[i].want, name);
	}
	UNIT_CHECK(diag_exit_status(&r) == 4, "table-usage critical: exit 4");
	healthy(3);
	counts_set(210000, 210000);
	smp[0][2].not_assured = 52500;
	ids();
	UNIT_CHECK(diag_exit_status(&r) == 3, "table-usage warning: exit 3");
	UNIT_CHECK_STR(ev("table-usage", "percent"), "80", "table-usage: percent");
	UNIT_CHECK_STR(ev("table-usage", "reclaimable_percent"), "25",
		       "table-usage: the share early_drop can reclaim");
	healthy(3);
	ns[0].st.have_max = false;
	UNIT_CHECK_STR(ids(), "", "table-usage: not without nf_conntrack_max");
}

static void test_usage_all(void)
{
	healthy(3);
	r.all_netns = true;
	r.n_ns = 2;
	counts_set(120000, 120000);
	for (unsigned i = 0; i < 3; i++)
		smp[1][i].count_after = smp[1][i].listed = 100000;
	UNIT_CHECK_STR(ids(), "table-usage:warning table-usage:info "
		       "table-usage:info",
		       "all-netns: each namespace, and the sum over them");
	UNIT_CHECK(strcmp(r.finding[0].netns, "all") == 0,
		   "all-netns: the sum is namespace all");
	UNIT_CHECK_STR(ev("table-usage", "count"), "220000",
		       "all-netns: the sum of the counts");
	r.all_netns = false;
	UNIT_CHECK_STR(ids(), "table-usage:info table-usage:info",
		       "two namespaces without --all-netns: no sum");
}

static void test_hash(void)
{
	healthy(3);
	ns[0].st.max = 8 * 65536;
	UNIT_CHECK_STR(ids(), "table-usage:info",
		       "hash-chains: not at 8 entries per bucket");
	ns[0].st.max = 8 * 65536 + 1;
	UNIT_CHECK_STR(ids(), "hash-chains:warning table-usage:info",
		       "hash-chains: beyond 8 entries per bucket");
	UNIT_CHECK_STR(ev("hash-chains", "buckets"), "65536",
		       "hash-chains: buckets");
	healthy(3);
	smp[0][2].stat[DS_CHAINTOOLONG] = 3;
	UNIT_CHECK_STR(ids(), "stats-delta:warning hash-chains:warning "
		       "table-usage:info", "hash-chains: chaintoolong grew");
	UNIT_CHECK_STR(ev("hash-chains", "chaintoolong_delta"), "3",
		       "hash-chains: the growth");
	ns[0].st.buckets = 0;
	UNIT_CHECK_STR(ids(), "stats-delta:warning table-usage:info",
		       "hash-chains: not without the bucket count");
}

static void test_stat_delta(void)
{
	healthy(3);
	smp[0][0].stat[DS_DROP] = 10;
	smp[0][1].stat[DS_DROP] = 5;
	smp[0][2].stat[DS_DROP] = 17;
	UNIT_CHECK(diag_stat_delta(&ns[0], DS_DROP) == 7,
		   "delta: last minus first");
	smp[0][2].stat[DS_DROP] = 9;
	UNIT_CHECK(diag_stat_delta(&ns[0], DS_DROP) == 0,
		   "delta: a statistic that went back is 0");
	smp[0][2].stat[DS_DROP] = 17;
	smp[0][0].have_stats = false;
	UNIT_CHECK(diag_stat_delta(&ns[0], DS_DROP) == 0,
		   "delta: unknown without the first sample's statistics");
	smp[0][0].have_stats = true;
	smp[0][2].have_stats = false;
	UNIT_CHECK(diag_stat_delta(&ns[0], DS_DROP) == 0,
		   "delta: unknown without the last sample's statistics");
	smp[0][2].have_stats = true;
	ns[0].n_samples = 1;
	UNIT_CHECK(diag_stat_delta(&ns[0], DS_DROP) == 0,
		   "delta: 0 from one sample");
}

static void test_stats(void)
{
	static const struct {
		enum diag_stat stat;
		const char *want;
	} cases[] = {
		{ DS_INSERT, "table-usage:info" },
		{ DS_INSERT_FAILED, "stats-delta:warning table-usage:info" },
		{ DS_DROP, "stats-delta:warning table-usage:info" },
		{ DS_EARLY_DROP, "stats-delta:warning table-usage:info" },
		{ DS_INVALID, "table-usage:info stats-delta:info "
			      "invalid-not-logged:info" },
		{ DS_SEARCH_RESTART, "table-usage:info stats-delta:info" },
		{ DS_CLASH_RESOLVE, "table-usage:info stats-delta:info" },
		{ DS_CHAINTOOLONG, "stats-delta:warning hash-chains:warning "
				   "table-usage:info" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char name[80];

		healthy(3);
		smp[0][0].stat[cases[i].stat] = 1000;
		smp[0][2].stat[cases[i].stat] = 1004;
		snprintf(name, sizeof(name), "stats-delta: %s grew",
			 diag_stat_names[cases[i].stat]);
		UNIT_CHECK_STR(ids(), cases[i].want, name);
		if (cases[i].stat == DS_INSERT)
			continue;
		snprintf(name, sizeof(name), "stats-delta: %s, its evidence",
			 diag_stat_names[cases[i].stat]);
		UNIT_CHECK(strcmp(ev("stats-delta", "stat"),
				  diag_stat_names[cases[i].stat]) == 0 &&
				   strcmp(ev("stats-delta", "delta"), "4") == 0 &&
				   strcmp(ev("stats-delta", "ms"), "2000") == 0,
			   name);
	}
	healthy(3);
	smp[0][2].stat[DS_INSERT_FAILED] = 2;
	smp[0][2].stat[DS_DROP] = 2;
	UNIT_CHECK_STR(ids(), "stats-delta:warning stats-delta:warning "
		       "table-usage:info", "stats-delta: one finding per statistic");
	smp[0][0].stat[DS_INSERT_FAILED] = smp[0][2].stat[DS_INSERT_FAILED];
	smp[0][0].stat[DS_DROP] = smp[0][2].stat[DS_DROP];
	UNIT_CHECK_STR(ids(), "table-usage:info",
		       "stats-delta: not for statistics that stood still");
}

static void test_unlogged(void)
{
	struct diag_static *st = &ns[0].st;

	healthy(3);
	smp[0][2].stat[DS_INVALID] = 9;
	UNIT_CHECK(strstr(ids(), "invalid-not-logged:info") != NULL,
		   "unlogged: invalid packets, log_invalid 0");
	UNIT_CHECK_STR(ev("invalid-not-logged", "invalid_delta"), "9",
		       "unlogged: the invalid packets counted");
	st->dyndbg = false;
	UNIT_CHECK(strstr(ids(), "kernel-no-dyndbg:info") != NULL,
		   "unlogged: no dynamic debug told as a kernel fact");
	st->log_invalid = 255;
	UNIT_CHECK(strstr(ids(), "invalid-not-logged") == NULL,
		   "unlogged: not with log_invalid on and backends");
	healthy(3);
	st->dyndbg = false;
	UNIT_CHECK_STR(ids(), "table-usage:info",
		       "unlogged: no invalid packets, no dyndbg fact");
	st->log_invalid = 6;
	strcpy(st->backend[0], "NONE");
	UNIT_CHECK_STR(ids(), "invalid-not-logged:warning table-usage:info "
		       "kernel-no-dyndbg:info",
		       "unlogged: log_invalid on, no ipv4 backend; no dyndbg");
	UNIT_CHECK_STR(ev("invalid-not-logged", "family"), "ipv4",
		       "unlogged: the family named");
	UNIT_CHECK(strstr(finding("invalid-not-logged")->remedy,
			  "ctadm nflog ipv4 nf_log_ipv4") != NULL,
		   "unlogged: the remedy sets the backend");
	UNIT_CHECK(diag_exit_status(&r) == 3, "unlogged: exit 3");
	strcpy(st->backend[1], "NONE");
	st->dyndbg = true;
	UNIT_CHECK_STR(ids(), "invalid-not-logged:warning "
		       "invalid-not-logged:warning table-usage:info",
		       "unlogged: no backend for either family");
	st->log_invalid = 0;
	UNIT_CHECK_STR(ids(), "table-usage:info",
		       "unlogged: no backend is fine with log_invalid off");
}

static void test_unlogged_netns(void)
{
	struct diag_static *st = &ns[0].st;

	healthy(3);
	st->initial = false;
	st->all_netns = -1;
	st->log_invalid = 6;
	r.all_netns_home = 0;
	UNIT_CHECK_STR(ids(), "invalid-not-logged:warning table-usage:info",
		       "netns: a syslog backend, nf_log_all_netns 0");
	UNIT_CHECK_STR(ev("invalid-not-logged", "nf_log_all_netns"), "0",
		       "netns: evidence nf_log_all_netns");
	r.all_netns_home = 1;
	UNIT_CHECK_STR(ids(), "table-usage:info",
		       "netns: not with nf_log_all_netns 1");
	r.all_netns_home = -1;
	UNIT_CHECK_STR(ids(), "table-usage:info",
		       "netns: not when nf_log_all_netns is unknown");
	r.all_netns_home = 0;
	strcpy(st->backend[0], "nfnetlink_log");
	strcpy(st->backend[1], "nfnetlink_log");
	UNIT_CHECK_STR(ids(), "table-usage:info",
		       "netns: not with nfnetlink_log, which works anywhere");
	healthy(3);
	st->log_invalid = 6;
	r.all_netns_home = 0;
	UNIT_CHECK_STR(ids(), "table-usage:info",
		       "netns: not in the initial namespace");
	/* --all-netns: the initial namespace sampled says 0. */
	r.all_netns = true;
	r.all_netns_home = -1;
	r.n_ns = 2;
	ns[1].st.initial = false;
	ns[1].st.all_netns = -1;
	ns[1].st.log_invalid = 6;
	ids();
	UNIT_CHECK(finding("invalid-not-logged") &&
			   strcmp(finding("invalid-not-logged")->netns, "b") == 0,
		   "netns: nf_log_all_netns read from the initial namespace "
		   "sampled");
}

static void test_ruleset(void)
{
	struct nft_inspect *nft = &ns[0].st.nft;

	healthy(3);
	nft->has_nat = true;
	nft->n_rules = 3;
	strcpy(nft->nat_where, "ip nat postrouting");
	UNIT_CHECK_STR(ids(), "nat-invalid-leak:warning table-usage:info",
		       "nat: no invalid drop");
	UNIT_CHECK_STR(ev("nat-invalid-leak", "nat"), "ip nat postrouting",
		       "nat: the NAT chain named");
	UNIT_CHECK(diag_exit_status(&r) == 3, "nat: exit 3");
	nft->drops_invalid = true;
	UNIT_CHECK_STR(ids(), "table-usage:info", "nat: with the invalid drop");
	nft->drops_invalid = false;
	nft->readable = false;
	UNIT_CHECK_STR(ids(), "table-usage:info nftables-unreadable:info",
		       "nat: an unreadable ruleset, no guess");
}

static void test_listener_drops(void)
{
	struct diag_listener *l = &ns[0].st.listener[0];

	healthy(3);
	ns[0].st.n_listeners = 1;
	l->sock = (struct nl_sock_info){ .protocol = 12, .portid = 5,
					 .groups = 4, .drops = 0 };
	UNIT_CHECK_STR(ids(), "table-usage:info",
		       "listener drops: not without drops");
	l->sock.drops = 31;
	UNIT_CHECK_STR(ids(), "event-listener-drops:warning table-usage:info",
		       "listener drops: a listener lost messages");
	UNIT_CHECK_STR(ev("event-listener-drops", "drops"), "31",
		       "listener drops: how many");
	UNIT_CHECK_STR(ev("event-listener-drops", "listener"),
		       "portid 5, rmem 0, drops 31",
		       "listener drops: the listener without an owner found");
}

static void test_order_and_exit(void)
{
	healthy(3);
	ns[0].n_samples = 0;
	ids();
	UNIT_CHECK(diag_exit_status(&r) == 0, "exit: 0 without findings");
	healthy(3);
	counts_set(262144, 262144);
	ns[0].st.nft.has_nat = true;
	smp[0][2].stat[DS_INVALID] = 1;
	UNIT_CHECK_STR(ids(), "table-usage:critical nat-invalid-leak:warning "
		       "stats-delta:info invalid-not-logged:info",
		       "order: critical, warning, info, each as found");
	UNIT_CHECK(diag_exit_status(&r) == 4, "exit: 4 with a critical one");
	UNIT_CHECK_STR(diag_severity_name(SEV_INFO), "info", "severity: info");
	UNIT_CHECK_STR(diag_severity_name(SEV_WARNING), "warning",
		       "severity: warning");
	UNIT_CHECK_STR(diag_severity_name(SEV_CRITICAL), "critical",
		       "severity: critical");
}

/* Namespace k with all that can be wrong at once, in quantity. */
static void ns_all_wrong(unsigned k)
{
	struct diag_static *st = &ns[k].st;

	st->n_listeners = DIAG_LISTENERS_MAX;
	for (unsigned i = 0; i < DIAG_LISTENERS_MAX; i++)
		st->listener[i].sock = (struct nl_sock_info){
			.protocol = 12, .portid = i + 1, .groups = 4, .drops = 1 };
	st->nft.has_nat = true;
	for (unsigned i = 0; i < 3; i++) {
		smp[k][i].count_before = smp[k][i].count_after = 150;
		smp[k][i].dying = 1;
		for (int j = DS_INSERT_FAILED; j < DS_COUNT_; j++)
			smp[k][i].stat[j] = i;
	}
	dying_ids(&ns[k].dying_first, 1, 1);
	dying_ids(&ns[k].dying_last, 1, 1);
}

static void test_findings_max(void)
{
	healthy(3);
	ns[0].st.n_listeners = DIAG_LISTENERS_MAX;
	for (unsigned i = 0; i < DIAG_LISTENERS_MAX; i++)
		ns[0].st.listener[i].sock = (struct nl_sock_info){
			.protocol = 12, .portid = i + 1, .groups = 4, .drops = 1 };
	ids();
	UNIT_CHECK(r.n_findings == DIAG_LISTENERS_MAX + 1,
		   "many findings: one per listener with drops");
	healthy(3);
	r.all_netns = true;
	r.n_ns = 2;
	ns_all_wrong(0);
	ns_all_wrong(1);
	ids();
	UNIT_CHECK(r.n_findings == DIAG_FINDINGS_MAX,
		   "many findings: capped at DIAG_FINDINGS_MAX");
	UNIT_CHECK(diag_exit_status(&r) == 3,
		   "many findings: the exit status still from them all");
}

static void test_id_set(void)
{
	struct id_set a = { 0 }, b = { 0 };
	int ok = 0;

	for (uint32_t i = 0; i < 3000; i++)
		ok |= id_set_add(&a, 3000 - i);
	UNIT_CHECK(ok == 0 && a.n == 3000 && a.cap >= 3000,
		   "id_set: grows past its first allocation");
	id_set_sort(&a);
	UNIT_CHECK(a.id[0] == 1 && a.id[1] == 2 && a.id[2999] == 3000,
		   "id_set: sorted");
	for (uint32_t i = 2500; i <= 4000; i += 2)
		id_set_add(&b, i);
	id_set_add(&b, 7);
	id_set_sort(&b);
	UNIT_CHECK(id_set_common(&a, &b) == 251 + 1,
		   "id_set: common ids of two sorted sets");
	UNIT_CHECK(id_set_common(&b, &a) == 252, "id_set: common is symmetric");
	id_set_free(&b);
	UNIT_CHECK(b.n == 0 && b.id == NULL && id_set_common(&a, &b) == 0,
		   "id_set: freed, empty, nothing in common");
	id_set_add(&b, 0xffffffffu);
	id_set_add(&b, 0);
	id_set_sort(&b);
	UNIT_CHECK(b.id[0] == 0 && b.id[1] == 0xffffffffu,
		   "id_set: the extreme ids sort");
	id_set_free(&a);
	id_set_free(&b);
}

/* --- renderings ------------------------------------------------------------ */

static char got[1 << 17];

/* What fn rendered of r. */
static const char *render(void (*fn)(struct out *, const struct diag_result *))
{
	static struct out o;
	FILE *cap = tmpfile();
	size_t len;

	if (!cap)
		abort();
	out_init(&o, fileno(cap));
	fn(&o, &r);
	out_flush(&o);
	rewind(cap);
	len = fread(got, 1, sizeof(got) - 1, cap);
	fclose(cap);
	got[len] = '\0';
	return got;
}

static void text_plain(struct out *o, const struct diag_result *res)
{
	diag_print_text(o, res, false);
}

static void text_color(struct out *o, const struct diag_result *res)
{
	diag_print_text(o, res, true);
}

/* A result with a finding of each severity, in a namespace whose name
 * needs escaping in JSON and in Prometheus labels. */
static void result_mixed(void)
{
	healthy(3);
	strcpy(ns[0].name, "we\"ird\\ns");
	counts_set(262144, 262144);
	ns[0].st.nft.has_nat = true;
	ns[0].st.n_listeners = 2;
	ns[0].st.listener[0].sock =
		(struct nl_sock_info){ .protocol = 12, .portid = 5,
				       .groups = 4, .drops = 3 };
	ns[0].st.listener[1].sock =
		(struct nl_sock_info){ .protocol = 12, .portid = 6,
				       .groups = 4, .drops = 4 };
	for (unsigned i = 0; i < 3; i++)
		smp[0][i].dying = 2;
	smp[0][2].stat[DS_SEARCH_RESTART] = 1;
	diag_findings_make(&r);
}

static bool jq_accepts(const char *filter, const char *doc)
{
	char cmd[512];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "jq -e '%s' >/dev/null 2>&1", filter);
	p = popen(cmd, "w");
	if (!p)
		return false;
	fputs(doc, p);
	return pclose(p) == 0;
}

static void test_json(void)
{
	const char *doc;

	result_mixed();
	doc = render(diag_print_json);
	UNIT_CHECK(strncmp(doc, "{\"schema_version\":1,\"kernel\":\"6.18.0\",",
			   38) == 0, "json: schema_version and kernel first");
	UNIT_CHECK(strstr(doc, "\"netns\":\"we\\\"ird\\\\ns\"") != NULL,
		   "json: the namespace's name escaped");
	UNIT_CHECK(strstr(doc, "\"samples\":{\"count\":3,\"interval_ms\":1000}")
			   != NULL, "json: samples");
	UNIT_CHECK(strstr(doc, "\"listener\":\"portid 5, rmem 0, drops 3\"")
			   != NULL,
		   "json: one listener per event-listener-drops finding");
	UNIT_CHECK(strstr(doc, "\"event_listener_drops\":7") != NULL,
		   "json: metrics sum the listeners' drops");
	UNIT_CHECK(strstr(doc, "\"search_restart\":1") != NULL,
		   "json: metrics carry the statistics' deltas");
	UNIT_CHECK(doc[strlen(doc) - 1] == '\n' &&
			   strchr(doc, '\n') == doc + strlen(doc) - 1,
		   "json: one line");
	if (system("jq --version >/dev/null 2>&1") != 0) {
		printf("SKIP: json: parses with jq - jq not installed\n");
		return;
	}
	UNIT_CHECK(jq_accepts("keys == [\"findings\",\"kernel\",\"metrics\","
			      "\"netns\",\"samples\",\"schema_version\"]", doc),
		   "json: parses, with the schema's keys");
	UNIT_CHECK(jq_accepts("[.findings[] | has(\"id\") and has(\"severity\") "
			      "and has(\"summary\") and has(\"evidence\") and "
			      "has(\"remedy\")] | all", doc),
		   "json: every finding has id, severity, summary, evidence, "
		   "remedy");
	UNIT_CHECK(jq_accepts("[.findings[].severity] == [\"critical\","
			      "\"warning\",\"warning\",\"warning\",\"warning\","
			      "\"info\"]", doc),
		   "json: findings ordered by severity");
	UNIT_CHECK(jq_accepts(".metrics[0] | .count == 262144 and .dying == 2 "
			      "and .stats_delta.search_restart == 1", doc),
		   "json: metrics are numbers");
	healthy(3);
	for (unsigned i = 0; i < 3; i++)
		smp[0][i].dying = 4;
	dying_ids(&ns[0].dying_first, 1, 4);
	dying_ids(&ns[0].dying_last, 1, 4);
	/* Two listeners whose flags are unknown: stuck-dying names both. */
	ns[0].st.n_listeners = 2;
	diag_findings_make(&r);
	UNIT_CHECK(jq_accepts(".findings[] | select(.id == \"stuck-dying\") | "
			      ".evidence.listener | length == 2",
			      render(diag_print_json)),
		   "json: a key given twice becomes an array");
}

static void test_findings_json(void)
{
	healthy(3);
	ns[0].n_samples = 0;
	diag_findings_make(&r);
	UNIT_CHECK_STR(render(diag_findings_json), "[]",
		       "findings json: none is an empty array");
}

static void test_prometheus(void)
{
	const char *doc;

	result_mixed();
	doc = render(diag_print_prometheus);
	UNIT_CHECK(strstr(doc, "# HELP ctadm_conntrack_entries ") != NULL &&
			   strstr(doc, "# TYPE ctadm_conntrack_entries gauge\n")
				   != NULL,
		   "prometheus: HELP and TYPE");
	UNIT_CHECK(strstr(doc, "\nctadm_conntrack_entries{netns=\"we\\\"ird\\\\ns\"} "
			       "262144\n") != NULL,
		   "prometheus: the count, the label escaped");
	UNIT_CHECK(strstr(doc, "ctadm_conntrack_dying_entries{netns=\"we\\\"ird"
			       "\\\\ns\"} 2\n") != NULL,
		   "prometheus: dying entries");
	UNIT_CHECK(strstr(doc, "ctadm_conntrack_event_listener_drops{netns=\""
			       "we\\\"ird\\\\ns\"} 7\n") != NULL,
		   "prometheus: listener drops summed");
	UNIT_CHECK(strstr(doc, ",stat=\"search_restart\"} 1\n") != NULL,
		   "prometheus: statistic increases");
	UNIT_CHECK(strstr(doc, "ctadm_diagnose_findings{severity=\"info\"} 1\n"
				       "ctadm_diagnose_findings{severity=\"warning\"} 4\n"
				       "ctadm_diagnose_findings{severity=\"critical\"} 1\n")
				   != NULL,
		   "prometheus: findings by severity");
	UNIT_CHECK(strstr(doc, "ctadm_diagnose_finding{id=\"event-listener-drops\","
			       "severity=\"warning\",netns=\"we\\\"ird\\\\ns\"} 2\n")
			   != NULL,
		   "prometheus: one series per id, the findings counted");
	UNIT_CHECK(doc[strlen(doc) - 1] == '\n', "prometheus: ends a line");
}

static void test_text(void)
{
	const char *doc;

	result_mixed();
	doc = render(text_plain);
	UNIT_CHECK(strncmp(doc, "ctadm diagnose: Linux 6.18.0, namespace "
			   "we\"ird\\ns, 3 samples 1 s apart\n", 70) == 0,
		   "text: the heading");
	UNIT_CHECK(strstr(doc, "\nCRITICAL\n  table-usage: ") != NULL &&
			   strstr(doc, "\nWARNING\n") > strstr(doc, "\nCRITICAL\n") &&
			   strstr(doc, "\nINFO\n") > strstr(doc, "\nWARNING\n"),
		   "text: grouped by severity, critical first");
	UNIT_CHECK(strstr(doc, "    run: ") != NULL &&
			   strstr(doc, "    why: ") != NULL &&
			   strstr(doc, "    evidence: count=262144, max=262144")
				   != NULL,
		   "text: evidence, why, run");
	UNIT_CHECK(strstr(doc, "\n1 critical, 4 warnings, 1 info\n") != NULL,
		   "text: the tally");
	UNIT_CHECK(strchr(doc, '\033') == NULL, "text: no colour unless asked");
	doc = render(text_color);
	UNIT_CHECK(strstr(doc, "\033[1;31mCRITICAL\033[0m") != NULL &&
			   strstr(doc, "\033[33mWARNING\033[0m") != NULL,
		   "text: coloured when asked");
	healthy(3);
	diag_findings_make(&r);
	r.n_findings = 0;
	doc = render(text_plain);
	UNIT_CHECK(strstr(doc, "no findings: connection tracking looks healthy")
			   != NULL &&
			   strstr(doc, "0 critical, 0 warnings, 0 info") != NULL,
		   "text: nothing found");
	r.all_netns = true;
	r.n_ns = 2;
	diag_findings_make(&r);
	doc = render(text_plain);
	UNIT_CHECK(strstr(doc, "namespaces: all") != NULL &&
			   strstr(doc, "  table-usage [b]: ") != NULL,
		   "text: each finding's namespace with several");
}

int main(void)
{
	test_healthy();
	test_inactive();
	test_mismatch();
	test_attribution();
	test_dying();
	test_usage();
	test_usage_all();
	test_hash();
	test_stat_delta();
	test_stats();
	test_unlogged();
	test_unlogged_netns();
	test_ruleset();
	test_listener_drops();
	test_order_and_exit();
	test_findings_max();
	test_id_set();
	test_json();
	test_findings_json();
	test_prometheus();
	test_text();
	id_sets_free();
	UNIT_DONE();
}
