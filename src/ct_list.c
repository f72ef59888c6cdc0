/* ct_list.c - -L, -G, -C, -S and -V: the commands that only read. */
#include <errno.h>
#include <stdio.h>
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
	ret = ct_dump_ordered(&s, c->table, &c->filter, c->zero, ct_show, &sh);
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
