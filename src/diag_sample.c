/* diag_sample.c - diagnose's samples: for each network namespace, the
 * count around a dump of the table, the dying and unconfirmed lists, the
 * per-CPU statistics and NFQUEUE's waiting packets; once, the settings,
 * the ruleset and the event listeners.
 *
 * A dump is counted, never kept, and only the dying list's ids of the
 * first and the latest sample are held: memory does not grow with the
 * table. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/netfilter/nf_conntrack_common.h>

#include "cmd.h"
#include "diagnose.h"
#include "dyndbg.h"
#include "nl_ct.h"
#include "paths.h"
#include "settings.h"

const char *const diag_stat_names[DS_COUNT_] = {
	[DS_INSERT] = "insert",
	[DS_INSERT_FAILED] = "insert_failed",
	[DS_DROP] = "drop",
	[DS_EARLY_DROP] = "early_drop",
	[DS_INVALID] = "invalid",
	[DS_SEARCH_RESTART] = "search_restart",
	[DS_CLASH_RESOLVE] = "clash_resolve",
	[DS_CHAINTOOLONG] = "chaintoolong",
};

#define DIAG_NS_MAX 256

int id_set_add(struct id_set *s, uint32_t id)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		uint32_t *p = realloc(s->id, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		s->id = p;
		s->cap = cap;
	}
	s->id[s->n++] = id;
	return 0;
}

static int id_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

void id_set_sort(struct id_set *s)
{
	if (s->n > 1)
		qsort(s->id, s->n, sizeof(*s->id), id_cmp);
}

size_t id_set_common(const struct id_set *a, const struct id_set *b)
{
	size_t i = 0, j = 0, n = 0;

	while (i < a->n && j < b->n) {
		if (a->id[i] < b->id[j]) {
			i++;
		} else if (a->id[i] > b->id[j]) {
			j++;
		} else {
			n++;
			i++;
			j++;
		}
	}
	return n;
}

void id_set_free(struct id_set *s)
{
	free(s->id);
	memset(s, 0, sizeof(*s));
}

static uint64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* --- one sample --------------------------------------------------------- */

static int stat_sum(const struct ct_stat *st, void *data)
{
	uint64_t *sum = data;

	for (unsigned i = 0; i < st->n; i++)
		for (unsigned k = 0; k < DS_COUNT_; k++)
			if (strcmp(st->item[i].name, diag_stat_names[k]) == 0)
				sum[k] += st->item[i].value;
	return 0;
}

static int stats_get(struct nl_sock *s, uint64_t *sum)
{
	memset(sum, 0, DS_COUNT_ * sizeof(*sum));
	return ct_stats_dump(s, false, stat_sum, sum);
}

static int count_get(struct nl_sock *s, uint32_t *n)
{
	unsigned v;

	if (ct_count_get(s, n) == 0)
		return 0;
	/* Kernels before 4.x have no GET_STATS count: the sysctl is the
	 * same per-namespace number. */
	if (sysctl_read_uint("sys/net/netfilter/nf_conntrack_count", &v) < 0)
		return -ENOTSUP;
	*n = v;
	return 0;
}

struct entry_tally {
	struct diag_sample *smp;
	uint32_t expiring_s;          /* timeouts up to this count as expiring */
};

static int entry_count(const struct ct_entry *ct, void *data)
{
	struct entry_tally *t = data;

	t->smp->listed++;
	if (!(ct->status & IPS_ASSURED))
		t->smp->not_assured++;
	if (ct->timeout <= t->expiring_s)
		t->smp->expiring++;
	return 0;
}

static int dying_add(const struct ct_entry *ct, void *data)
{
	return id_set_add(data, ct->id);
}

static int unconfirmed_count(const struct ct_entry *ct, void *data)
{
	(void)ct;
	(*(uint32_t *)data)++;
	return 0;
}

static int nfq_sum(const struct nfq_info *q, void *data)
{
	*(uint32_t *)data += q->total;
	return 0;
}

/* The count before and after a dump of the table, and what the "insert"
 * statistic grew by meanwhile: how far a dump may honestly differ. */
static int table_sample(struct nl_sock *s, struct diag_sample *smp,
			unsigned interval_ms)
{
	static const struct ct_filter all;
	struct entry_tally t = { smp, interval_ms / 1000 + 1 };
	uint64_t before[DS_COUNT_];
	int ret;

	smp->have_stats = stats_get(s, before) == 0;
	ret = count_get(s, &smp->count_before);
	if (ret == 0)
		ret = ct_dump_filtered(s, TABLE_CONNTRACK, &all, false,
				       entry_count, &t);
	if (ret == 0)
		ret = count_get(s, &smp->count_after);
	if (ret == 0 && smp->have_stats)
		smp->have_stats = stats_get(s, smp->stat) == 0;
	if (smp->have_stats)
		smp->inserts_during = smp->stat[DS_INSERT] - before[DS_INSERT];
	return ret;
}

static int ns_sample(struct diag_ns *ns, struct diag_sample *smp,
		     unsigned interval_ms)
{
	static const struct ct_filter all;
	struct id_set dying = { 0 };
	struct nl_sock s;
	int ret = nl_open(&s);

	if (ret < 0)
		return ret;
	smp->t_ms = monotonic_ms();
	ret = table_sample(&s, smp, interval_ms);
	if (ret == 0)
		ret = ct_dump_filtered(&s, TABLE_DYING, &all, false, dying_add,
				       &dying);
	if (ret == 0)
		ret = ct_dump_filtered(&s, TABLE_UNCONFIRMED, &all, false,
				       unconfirmed_count, &smp->unconfirmed);
	nl_close(&s);
	if (ret < 0) {
		id_set_free(&dying);
		return ret;
	}
	nfq_each(nfq_sum, &smp->nfq_waiting);
	smp->dying = (uint32_t)dying.n;
	id_set_sort(&dying);
	if (ns->n_samples == 0) {
		ns->dying_first = dying;
		ns->dying_first_ms = smp->t_ms;
	} else {
		id_set_free(&ns->dying_last);
		ns->dying_last = dying;
		ns->dying_last_ms = smp->t_ms;
	}
	ns->n_samples++;
	return 0;
}

/* --- what does not change between samples ------------------------------- */

static void settings_read(struct diag_static *st)
{
	unsigned v;

	st->initial = sysctl_read_uint(SYSCTL_NF "nf_log_all_netns", &v) == 0;
	st->all_netns = st->initial ? (int)v : -1;
	sysctl_read_uint(SYSCTL_NF "nf_conntrack_log_invalid", &st->log_invalid);
	sysctl_read_uint(SYSCTL_NF "nf_conntrack_events", &st->events);
	st->have_max = sysctl_read_uint(SYSCTL_NF "nf_conntrack_max",
					&st->max) == 0;
	sysctl_read_uint(SYSCTL_NF "nf_conntrack_buckets", &st->buckets);
	if (sysctl_read(SYSCTL_NF "nf_log/2", st->backend[0],
			sizeof(st->backend[0])) < 0)
		strcpy(st->backend[0], "NONE");
	if (sysctl_read(SYSCTL_NF "nf_log/10", st->backend[1],
			sizeof(st->backend[1])) < 0)
		strcpy(st->backend[1], "NONE");
}

/* Legacy x_tables tables: their rules are not inspected. */
static void legacy_tables_read(struct diag_static *st)
{
	static const char *const files[] = { "net/ip_tables_names",
					     "net/ip6_tables_names" };
	char line[64];

	for (size_t i = 0; i < 2; i++) {
		FILE *f = proc_open(files[i]);

		while (f && fgets(line, sizeof(line), f)) {
			size_t len = strlen(st->legacy_tables);

			line[strcspn(line, "\n")] = '\0';
			snprintf(st->legacy_tables + len,
				 sizeof(st->legacy_tables) - len, "%s%s%s",
				 len ? " " : "", i ? "ip6:" : "ip:", line);
		}
		if (f)
			fclose(f);
	}
}

static int listener_add(const struct nl_sock_info *si, void *data)
{
	struct diag_static *st = data;
	struct diag_listener *l;
	pid_t pid;

	if (!nl_sock_is_ct_listener(si) && !nl_sock_is_exp_listener(si))
		return 0;
	if (st->n_listeners == DIAG_LISTENERS_MAX)
		return 0;
	l = &st->listener[st->n_listeners++];
	l->sock = *si;
	if (sock_inode_owner(si->inode, &pid, l->comm, sizeof(l->comm)) == 0)
		l->pid = pid;
	return 0;
}

/* The netlink socket with that portid: the program bound to a queue. */
static int queue_owner(const struct nl_sock_info *si, void *data)
{
	struct diag_queue *dq = data;
	pid_t pid;

	if (si->protocol != NETLINK_NETFILTER || si->portid != dq->q.portid)
		return 0;
	if (sock_inode_owner(si->inode, &pid, dq->comm, sizeof(dq->comm)) == 0)
		dq->pid = pid;
	return 1;
}

static int queue_add(const struct nfq_info *q, void *data)
{
	struct diag_static *st = data;
	struct diag_queue *dq;

	if (st->n_queues == DIAG_QUEUES_MAX)
		return 0;
	dq = &st->queue[st->n_queues++];
	dq->q = *q;
	proc_netlink_each(queue_owner, dq);
	return 0;
}

static void static_read(struct diag_static *st)
{
	settings_read(st);
	st->dyndbg = dyndbg_available();
	if (nft_inspect_ruleset(&st->nft, NULL, NULL, st->nft_err,
				sizeof(st->nft_err)) < 0)
		st->nft.readable = false;
	legacy_tables_read(st);
	st->n_listeners = 0;
	proc_netlink_each(listener_add, st);
	st->n_queues = 0;
	nfq_each(queue_add, st);
}

/* --- the namespaces ----------------------------------------------------- */

static unsigned long ns_inode(int fd)
{
	struct stat sb;

	return fstat(fd, &sb) == 0 ? (unsigned long)sb.st_ino : 0;
}

static struct diag_ns *ns_add(struct diag_result *r, const char *name, int fd)
{
	struct diag_ns *ns;

	if (r->n_ns == DIAG_NS_MAX)
		return NULL;
	ns = &r->ns[r->n_ns++];
	memset(ns, 0, sizeof(*ns));
	snprintf(ns->name, sizeof(ns->name), "%s", name);
	ns->fd = fd;
	ns->sample = calloc(r->samples, sizeof(*ns->sample));
	return ns->sample ? ns : NULL;
}

static bool ns_known(const struct diag_result *r, unsigned long ino)
{
	for (unsigned i = 0; i < r->n_ns; i++)
		if (r->ns[i].fd >= 0 && ns_inode(r->ns[i].fd) == ino)
			return true;
	return false;
}

/* Keep fd as a namespace to visit unless one already has its inode. */
static void ns_offer(struct diag_result *r, int fd, const char *label)
{
	char name[96];
	unsigned long ino = ns_inode(fd);

	if (!ino || ns_known(r, ino)) {
		close(fd);
		return;
	}
	snprintf(name, sizeof(name), "%s%snet:[%lu]", label ? label : "",
		 label ? " " : "", ino);
	if (!ns_add(r, label ? label : name, fd))
		close(fd);
}

/* Named namespaces first (their names are what users know), then
 * those only processes hold. */
static void ns_find_all(struct diag_result *r)
{
	char path[512];
	struct dirent *e;
	DIR *d = opendir("/run/netns");

	snprintf(path, sizeof(path), "/proc/self/ns/net");
	ns_offer(r, open(path, O_RDONLY | O_CLOEXEC), NULL);
	while (d && (e = readdir(d))) {
		int fd;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/run/netns/%s", e->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			ns_offer(r, fd, e->d_name);
	}
	if (d)
		closedir(d);
	d = opendir(proc_path(path, sizeof(path), ""));
	while (d && (e = readdir(d))) {
		char p[512], rel[300];
		int fd;

		if (strspn(e->d_name, "0123456789") != strlen(e->d_name))
			continue;
		snprintf(rel, sizeof(rel), "%s/ns/net", e->d_name);
		fd = open(proc_path(p, sizeof(p), rel), O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			ns_offer(r, fd, NULL);
	}
	if (d)
		closedir(d);
}

static void ns_current_name(const struct ctadm *c, char *buf, size_t len)
{
	char link[64];
	ssize_t n;

	if (c->netns) {
		snprintf(buf, len, "%s", c->netns);
		return;
	}
	n = readlink("/proc/self/ns/net", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	snprintf(buf, len, "%s", n > 0 ? link : "current");
}

static int ns_enter(const struct diag_ns *ns)
{
	if (ns->fd < 0)
		return 0;
	return setns(ns->fd, CLONE_NEWNET) < 0 ? -errno : 0;
}

/* --- the rounds --------------------------------------------------------- */

static void sleep_until(uint64_t t_ms)
{
	uint64_t now = monotonic_ms();
	struct timespec ts;

	if (now >= t_ms)
		return;
	ts.tv_sec = (time_t)((t_ms - now) / 1000);
	ts.tv_nsec = (long)((t_ms - now) % 1000) * 1000000;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* One sample of every namespace; on the last round, their settings. */
static int round_take(struct ctadm *c, struct diag_result *r, int home,
		      bool last)
{
	for (unsigned i = 0; i < r->n_ns; i++) {
		struct diag_ns *ns = &r->ns[i];
		int ret = ns_enter(ns);

		if (ret == 0)
			ret = ns_sample(ns, &ns->sample[ns->n_samples],
					r->interval_ms);
		if (ret == 0 && last)
			static_read(&ns->st);
		if (home >= 0 && setns(home, CLONE_NEWNET) < 0 && ret == 0)
			ret = -errno;
		if (ret < 0) {
			char what[128];

			snprintf(what, sizeof(what), "%s: sampling namespace %s",
				 c->cmd->long_name, ns->name);
			return nl_fail(c, NULL, what, ret);
		}
	}
	return 0;
}

int diag_collect(struct ctadm *c, struct diag_result *r)
{
	char name[96];
	uint64_t t0;
	int home = -1, ret = 0;

	r->ns = calloc(r->all_netns ? DIAG_NS_MAX : 1, sizeof(*r->ns));
	if (!r->ns)
		return ctadm_fail(c, ENOMEM, "diagnose: out of memory");
	if (r->all_netns) {
		ns_find_all(r);
		home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (home < 0)
			return ctadm_fail(c, errno, "diagnose: /proc/self/ns/net: "
					  "%s", strerror(errno));
	} else {
		ns_current_name(c, name, sizeof(name));
		if (!ns_add(r, name, -1))
			return ctadm_fail(c, ENOMEM, "diagnose: out of memory");
	}
	t0 = monotonic_ms();
	for (unsigned i = 0; i < r->samples && ret == 0; i++) {
		sleep_until(t0 + (uint64_t)i * r->interval_ms);
		ret = round_take(c, r, home, i + 1 == r->samples);
	}
	if (home >= 0)
		close(home);
	return ret;
}

void diag_result_free(struct diag_result *r)
{
	for (unsigned i = 0; i < r->n_ns; i++) {
		free(r->ns[i].sample);
		id_set_free(&r->ns[i].dying_first);
		id_set_free(&r->ns[i].dying_last);
		if (r->ns[i].fd >= 0)
			close(r->ns[i].fd);
	}
	free(r->ns);
	r->ns = NULL;
	r->n_ns = 0;
}

const struct diag_sample *diag_last(const struct diag_ns *ns)
{
	return &ns->sample[ns->n_samples - 1];
}

uint64_t diag_stat_delta(const struct diag_ns *ns, enum diag_stat k)
{
	const struct diag_sample *a = &ns->sample[0], *b = diag_last(ns);

	if (ns->n_samples < 2 || !a->have_stats || !b->have_stats ||
	    b->stat[k] < a->stat[k])
		return 0;
	return b->stat[k] - a->stat[k];
}

unsigned diag_stuck_count(const struct diag_ns *ns)
{
	if (ns->n_samples < 2)
		return 0;
	return (unsigned)id_set_common(&ns->dying_first, &ns->dying_last);
}
