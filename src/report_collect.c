/* report_collect.c - what report gathers besides diagnose's samples and
 * the table: the sysctls, two samples of the per-CPU statistics, the
 * logging knobs and the nftables rules that use conntrack.  Reading only:
 * the report changes nothing here. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cmd.h"
#include "dyndbg.h"
#include "nl_ct.h"
#include "paths.h"
#include "report.h"
#include "settings_cmd.h"
#include "stats_proc.h"

/* Move the message a callee recorded into buf: the report shows it in
 * its section and goes on. */
static void err_take(struct ctadm *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s", c->err[0] ? c->err : "unknown error");
	c->err[0] = '\0';
}

/* --- sysctls ------------------------------------------------------------ */

/* Where conntrack's knobs live: all of net.netfilter (nf_log's table
 * below it too), the global net.nf_conntrack_max, and the bridge
 * switches that decide whether bridged packets meet conntrack. */
static const struct sysctl_root {
	const char *dir;           /* under the proc root */
	const char *prefix;        /* names that start so; "" for all */
	bool recurse;
} sysctl_roots[] = {
	{ "sys/net/netfilter", "", true },
	{ "sys/net", "nf_conntrack_", false },
	{ "sys/net/bridge", "bridge-nf-", false },
};

static int sysctl_add(struct report_sysctls *s, const char *rel)
{
	struct report_sysctl *v;
	const char *name = rel + strlen("sys/");

	if (s->n == s->cap) {
		unsigned cap = s->cap ? s->cap * 2 : 64;

		v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	v = &s->v[s->n++];
	memset(v, 0, sizeof(*v));
	/* net/netfilter/nf_log/2 is net.netfilter.nf_log.2, as sysctl(8)
	 * names it. */
	for (size_t i = 0; name[i] && i + 1 < sizeof(v->name); i++)
		v->name[i] = name[i] == '/' ? '.' : name[i];
	v->err = sysctl_read(rel, v->value, sizeof(v->value));
	return 0;
}

static int sysctl_dir_read(struct report_sysctls *s, const char *dir,
			   const char *prefix, bool recurse)
{
	char path[512], rel[512];
	struct dirent *e;
	struct stat sb;
	DIR *d = opendir(proc_path(path, sizeof(path), dir));
	int ret = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while (ret == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.' ||
		    strncmp(e->d_name, prefix, strlen(prefix)) != 0 ||
		    fstatat(dirfd(d), e->d_name, &sb, 0) < 0)
			continue;
		snprintf(rel, sizeof(rel), "%s/%s", dir, e->d_name);
		if (S_ISDIR(sb.st_mode) && recurse)
			ret = sysctl_dir_read(s, rel, "", true);
		else if (S_ISREG(sb.st_mode))
			ret = sysctl_add(s, rel);
	}
	closedir(d);
	return ret;
}

/* Natural order: nf_log.2 before nf_log.10. */
static int sysctl_cmp(const void *a, const void *b)
{
	return strverscmp(((const struct report_sysctl *)a)->name,
			  ((const struct report_sysctl *)b)->name);
}

int report_sysctls_read(struct ctadm *c, struct report_sysctls *s)
{
	char path[512];

	for (size_t i = 0; i < sizeof(sysctl_roots) / sizeof(sysctl_roots[0]);
	     i++) {
		const struct sysctl_root *r = &sysctl_roots[i];
		int ret = sysctl_dir_read(s, r->dir, r->prefix, r->recurse);

		if (ret < 0)
			return ctadm_fail(c, -ret, "sysctls: %s: %s",
					  proc_path(path, sizeof(path), r->dir),
					  strerror(-ret));
	}
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), sysctl_cmp);
	return 0;
}

void report_sysctls_free(struct report_sysctls *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* --- statistics --------------------------------------------------------- */

struct stat_acc {
	struct report_stats *st;
	bool second;
	unsigned cpus;
};

/* The slot of a statistic, in the order the kernel first gave them. */
static struct report_stat *stat_slot(struct report_stats *st,
				     const char *name)
{
	for (unsigned i = 0; i < st->n; i++)
		if (strcmp(st->item[i].name, name) == 0)
			return &st->item[i];
	if (st->n == CT_STAT_MAX)
		return NULL;
	snprintf(st->item[st->n].name, sizeof(st->item[0].name), "%s", name);
	return &st->item[st->n++];
}

/* The sum being taken: the first sample's or the second's. */
static uint64_t *stat_value(const struct stat_acc *a, struct report_stat *s)
{
	return a->second ? &s->second : &s->first;
}

static int stat_sum(const struct ct_stat *cs, void *data)
{
	struct stat_acc *a = data;

	a->cpus++;
	for (unsigned i = 0; i < cs->n; i++) {
		struct report_stat *s = stat_slot(a->st, cs->item[i].name);

		if (s)
			*stat_value(a, s) += cs->item[i].value;
	}
	return 0;
}

/* Zero the sample being taken: a dump that failed half-way may have
 * added to it before /proc is read instead. */
static void stat_clear(struct stat_acc *a)
{
	for (unsigned i = 0; i < a->st->n; i++)
		*stat_value(a, &a->st->item[i]) = 0;
	a->cpus = 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int report_stats_sample(struct ctadm *c, struct report_stats *st,
			bool second)
{
	struct stat_acc a = { st, second, 0 };
	struct nl_sock s;
	int ret = cmd_sock_open(c, &s);

	if (ret < 0)
		return ret;
	ret = ct_stats_dump(&s, false, stat_sum, &a);
	nl_close(&s);
	if (!second)
		st->source = "ctnetlink";
	if (ret < 0) {
		stat_clear(&a);
		ret = stats_from_proc(false, stat_sum, &a);
		if (!second)
			st->source = "/proc/net/stat/nf_conntrack";
	}
	if (ret < 0)
		return ctadm_fail(c, -ret, "statistics: none from ctnetlink or "
				  "/proc/net/stat/nf_conntrack: %s",
				  strerror(-ret));
	st->cpus = a.cpus;
	if (second)
		st->second_ms = now_ms();
	else
		st->first_ms = now_ms();
	return 0;
}

/* --- logging ------------------------------------------------------------ */

static int site_tally(const struct dyndbg_site *s, void *arg)
{
	struct report_logging *l = arg;

	l->dyndbg_sites++;
	l->dyndbg_enabled += strchr(s->flags, 'p') != NULL;
	return 0;
}

/* Never mounts debugfs: a report changes nothing. */
static void dyndbg_read(struct ctadm *c, struct report_logging *l)
{
	char path[512];

	if (dyndbg_control_find(c, false, path, sizeof(path)) < 0 ||
	    dyndbg_sites_each(c, path, site_tally, l) < 0) {
		err_take(c, l->dyndbg_err, sizeof(l->dyndbg_err));
		l->dyndbg_sites = l->dyndbg_enabled = 0;
		return;
	}
	l->dyndbg = true;
}

void report_logging_read(struct ctadm *c, struct report_logging *l,
			 int all_netns)
{
	l->have_log_invalid = sysctl_read_uint(SYSCTL_NF
					       "nf_conntrack_log_invalid",
					       &l->log_invalid) == 0;
	l->have_nf_log = nflog_table_read(c, &l->nf_log) == 0;
	if (!l->have_nf_log)
		err_take(c, l->nf_log_err, sizeof(l->nf_log_err));
	l->all_netns = all_netns;
	dyndbg_read(c, l);
}

/* --- nftables ----------------------------------------------------------- */

static int rule_keep(const struct nft_ct_rule *rule, void *arg)
{
	struct report_rules *r = arg;

	if (r->n == r->cap) {
		unsigned cap = r->cap ? r->cap * 2 : 16;
		struct nft_ct_rule *v = realloc(r->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = *rule;
	return 0;
}

/* A ruleset that cannot be read is shown as such (inspect.readable
 * false, the reason in err), with no rules. */
void report_rules_read(struct report_rules *r)
{
	if (nft_inspect_ruleset(&r->inspect, rule_keep, r, r->err,
				sizeof(r->err)) < 0)
		r->n = 0;
}

void report_rules_free(struct report_rules *r)
{
	free(r->v);
	r->v = NULL;
	r->n = r->cap = 0;
}
