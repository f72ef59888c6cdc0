/* ct_list.c - -L, -G, -C, -S and -V: the commands that only read. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "ct_list.h"
#include "ctadm.h"
#include "nl_ct.h"
#include "opt_parse.h"
#include "paths.h"
#include "stats_proc.h"

struct shown {
	struct ctadm *c;
	unsigned n;
};

static int ct_show(const struct ct_entry *ct, void *data)
{
	struct shown *s = data;

	s->c->fmt->ct(&s->c->fctx, ct);
	s->n++;
	return s->c->out->error;
}

static int exp_show(const struct ct_exp *exp, void *data)
{
	struct shown *s = data;

	s->c->fmt->exp(&s->c->fctx, exp);
	s->n++;
	return s->c->out->error;
}

/* Since 5.19 unconfirmed entries are on no list a dump can walk. */
static void unconfirmed_note(const struct ctadm *c)
{
	if (c->table == TABLE_UNCONFIRMED && KERNEL_VERSION_AT_LEAST(5, 19))
		fprintf(stderr, "%s: note: since Linux 5.19 the kernel cannot "
			"dump unconfirmed entries; this list is always "
			"empty\n", CTADM_NAME);
}

static int list_exp(struct ctadm *c, struct nl_sock *s)
{
	struct shown sh = { c, 0 };
	int ret;

	fmt_begin(c);
	ret = exp_dump(s, c->filter.family, exp_show, &sh);
	fmt_end(c);
	if (ret < 0)
		return nl_fail(c, s, "-L expect", ret);
	ctadm_summary(c, "%u expectations have been shown.\n", sh.n);
	return 0;
}

/* --- -L with a tuple filter and no family ---
 *
 * The kernel filters a tuple only within one family, and a dump per
 * family would print every IPv4 match before every IPv6 one.  When no
 * IPv6 entry matches, though, the filtered IPv4 dump alone is the listing
 * in the order of a dump of both families (conntrack's order).  A thread
 * counts the IPv6 matches with a filtered dump of its own while the IPv4
 * dump runs; until it knows, the listing is held in memory (HOLD_MAX at
 * most, then the lister waits for it).  When IPv6 entries match, what was
 * held is dropped and the whole table is dumped and filtered here.  An
 * entry created between the dumps may be missed, as by any dump that has
 * passed its bucket. */

#define HOLD_MAX (4u << 20)

struct v6_probe {
	struct nl_sock s;
	struct ct_filter f;
	unsigned long matches;
	int ret;
	atomic_bool done;
	bool joined;
	pthread_t thread;
};

struct held {
	struct shown sh;
	struct v6_probe *probe;
	bool holding;          /* the probe has not answered yet */
	bool whole;            /* IPv6 entries match: list the whole table */
	int err;               /* -ENOMEM when the held text could not grow */
	char *buf;             /* the listing so far, while holding */
	size_t len, cap;
};

static int match_count(const struct ct_entry *ct, void *data)
{
	(void)ct;
	(*(unsigned long *)data)++;
	return 0;
}

static void *probe_run(void *arg)
{
	struct v6_probe *p = arg;

	p->ret = ct_dump_filtered(&p->s, TABLE_CONNTRACK, &p->f, false,
				  match_count, &p->matches);
	atomic_store_explicit(&p->done, true, memory_order_release);
	return NULL;
}

static int probe_start(struct ctadm *c, struct v6_probe *p)
{
	int ret = cmd_sock_open(c, &p->s);

	if (ret < 0)
		return ret;
	p->f = c->filter;
	p->f.family = AF_INET6;
	ret = nl_thread_start(&p->thread, probe_run, p);
	if (ret < 0) {
		nl_close(&p->s);
		return ctadm_fail(c, -ret, "-L: thread: %s", strerror(-ret));
	}
	return 0;
}

static void probe_wait(struct v6_probe *p)
{
	if (!p->joined)
		pthread_join(p->thread, NULL);
	p->joined = true;
}

/* Move what the output buffer has to the held text. */
static int held_keep(struct held *h)
{
	struct out *o = h->sh.c->out;

	if (o->len == 0)
		return 0;
	if (h->len + o->len > h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 256 * 1024;
		char *buf;

		while (cap < h->len + o->len)
			cap *= 2;
		buf = realloc(h->buf, cap);
		if (!buf)
			return -ENOMEM;
		h->buf = buf;
		h->cap = cap;
	}
	memcpy(h->buf + h->len, o->buf, o->len);
	h->len += o->len;
	o->len = 0;
	return 0;
}

/* The probe has answered: print what was held and go on (0), or stop the
 * IPv4 dump (-1: the table is to be listed whole, or the probe failed). */
static int held_settle(struct held *h)
{
	struct out *o = h->sh.c->out;

	probe_wait(h->probe);
	h->holding = false;
	if (h->probe->ret < 0)
		return -1;
	if (h->probe->matches) {
		h->whole = true;
		return -1;
	}
	h->err = held_keep(h);
	if (h->err < 0)
		return -1;
	if (h->len)
		out_mem(o, h->buf, h->len);
	return 0;
}

static int held_show(const struct ct_entry *ct, void *data)
{
	struct held *h = data;
	struct out *o = h->sh.c->out;

	if (h->holding &&
	    atomic_load_explicit(&h->probe->done, memory_order_acquire)) {
		if (held_settle(h) < 0)
			return -1;
	} else if (h->holding && OUT_BUF_SIZE - o->len < FMT_ENTRY_MAX) {
		if (h->len + o->len > HOLD_MAX || held_keep(h) < 0) {
			if (held_settle(h) < 0)
				return -1;
		}
	}
	return ct_show(ct, &h->sh);
}

static bool list_needs_probe(const struct ctadm *c)
{
	/* A zeroing dump (-z) zeroes what it sends: only one may run. */
	return c->table == TABLE_CONNTRACK && !c->filter.family && !c->zero &&
	       (c->filter.set & F_TUPLE);
}

static int list_probed(struct ctadm *c, struct nl_sock *s, struct shown *sh)
{
	struct v6_probe p = { .joined = false };
	struct held h = { .sh = { c, 0 }, .probe = &p, .holding = true };
	struct ct_filter v4 = c->filter;
	int ret;

	ret = probe_start(c, &p);
	if (ret < 0)
		return ret;
	v4.family = AF_INET;
	ret = ct_dump_filtered(s, TABLE_CONNTRACK, &v4, false, held_show, &h);
	if (h.holding && ret == 0)
		held_settle(&h);
	probe_wait(&p);
	if (p.ret < 0) {
		ret = p.ret;
	} else if (h.whole) {
		/* Nothing was written: the listing starts again. */
		c->out->len = 0;
		fmt_begin(c);
		h.sh.n = 0;
		ret = ct_dump_filtered(&p.s, TABLE_CONNTRACK, &c->filter, false,
				       ct_show, &h.sh);
	} else if (h.err < 0) {
		ret = h.err;
	}
	sh->n = h.sh.n;
	free(h.buf);
	nl_close(&p.s);
	return ret;
}

int ct_list_run(struct ctadm *c)
{
	struct nl_sock s;
	struct shown sh = { c, 0 };
	int ret = cmd_sock_open(c, &s);

	if (ret < 0)
		return ret;
	if (c->table == TABLE_EXPECT) {
		ret = list_exp(c, &s);
		nl_close(&s);
		return ret;
	}
	fmt_begin(c);
	if (list_needs_probe(c))
		ret = list_probed(c, &s, &sh);
	else
		ret = ct_dump_filtered(&s, c->table, &c->filter, c->zero,
				       ct_show, &sh);
	fmt_end(c);
	nl_close(&s);
	if (ret < 0)
		return nl_fail(c, &s, "-L", ret);
	unconfirmed_note(c);
	ctadm_summary(c, "%u flow entries have been shown.\n", sh.n);
	return 0;
}

int ct_get_run(struct ctadm *c)
{
	struct nl_sock s;
	struct shown sh = { c, 0 };
	int ret = cmd_sock_open(c, &s);

	if (ret < 0)
		return ret;
	/* As conntrack, an answer to -G opens an xml document but does not
	 * close it. */
	fmt_begin(c);
	if (c->table == TABLE_EXPECT)
		ret = exp_get(&s, &c->filter, exp_show, &sh);
	else
		ret = ct_get(&s, &c->filter, ct_show, &sh);
	out_flush(c->out);
	nl_close(&s);
	if (ret < 0)
		return nl_fail(c, &s, "-G", ret);
	ctadm_summary(c, c->table == TABLE_EXPECT
				 ? "%u expectations have been shown.\n"
				 : "%u flow entries have been shown.\n",
		      sh.n);
	return sh.n ? 0 : -CTADM_ENOMATCH;
}

static int count_one(const struct ct_entry *ct, void *data)
{
	(void)ct;
	(*(unsigned *)data)++;
	return 0;
}

static int count_one_exp(const struct ct_exp *exp, void *data)
{
	(void)exp;
	(*(unsigned *)data)++;
	return 0;
}

/* Kernels without IPCTNL_MSG_CT_GET_STATS still have the sysctl. */
static int count_from_proc(uint32_t *n)
{
	FILE *f = proc_open("sys/net/netfilter/nf_conntrack_count");
	int ok;

	if (!f)
		return -errno;
	ok = fscanf(f, "%u", n) == 1;
	fclose(f);
	return ok ? 0 : -EINVAL;
}

static int count_table(struct ctadm *c, struct nl_sock *s, uint32_t *n)
{
	unsigned cnt = 0;
	int ret;

	switch (c->table) {
	case TABLE_CONNTRACK:
		ret = ct_count_get(s, n);
		return ret < 0 && count_from_proc(n) == 0 ? 0 : ret;
	case TABLE_EXPECT:
		ret = exp_dump(s, AF_UNSPEC, count_one_exp, &cnt);
		break;
	default:
		ret = ct_dump_filtered(s, c->table, &c->filter, false,
				       count_one, &cnt);
		break;
	}
	*n = cnt;
	return ret;
}

int ct_count_run(struct ctadm *c)
{
	struct nl_sock s;
	uint32_t n = 0;
	int ret = cmd_sock_open(c, &s);

	if (ret < 0)
		return ret;
	ret = count_table(c, &s, &n);
	nl_close(&s);
	if (ret < 0)
		return nl_fail(c, &s, "-C", ret);
	c->fmt->count(&c->fctx, table_name(c->table), n);
	out_flush(c->out);
	unconfirmed_note(c);
	return 0;
}

struct stats_ctx {
	struct ctadm *c;
	const char *table;
};

static int stat_show(const struct ct_stat *st, void *data)
{
	struct stats_ctx *s = data;

	s->c->fmt->stats_cpu(&s->c->fctx, s->table, st);
	return s->c->out->error;
}

int ct_stats_run(struct ctadm *c)
{
	struct nl_sock s;
	bool expect = c->table == TABLE_EXPECT;
	struct stats_ctx sc = { c, table_name(c->table) };
	int ret = cmd_sock_open(c, &s);

	if (ret < 0)
		return ret;
	ret = ct_stats_dump(&s, expect, stat_show, &sc);
	nl_close(&s);
	if (ret < 0)
		ret = stats_from_proc(expect, stat_show, &sc);
	out_flush(c->out);
	if (ret < 0)
		return ctadm_fail(c, -ret, "-S: no statistics from ctnetlink "
				  "or /proc/net/stat/nf_conntrack: %s",
				  strerror(-ret));
	return 0;
}

int ctadm_version_run(struct ctadm *c)
{
	out_str(c->out, CTADM_NAME " v" PACKAGE_VERSION "\n");
	return out_flush(c->out);
}
