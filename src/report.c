/* report.c - ctadm report [-o text|json] [--invalid-seconds N]: one
 * troubleshooting report of the namespace's connection tracking, to
 * attach to a ticket: kernel, namespace, sysctls, counts, statistics,
 * diagnose's findings, dying and unconfirmed entries, the logging knobs,
 * the nftables rules that use conntrack, a summary of the table and,
 * with --invalid-seconds, the invalid packets caught meanwhile.
 *
 * All is gathered before anything is printed; the knobs and sysctls are
 * read before the capture changes (and puts back) the logging ones.
 * The exit status is 0 whatever the findings: this is a report, not a
 * check (ctadm diagnose is). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "diag_cmd.h"
#include "report.h"

static int report_check(struct ctadm *c)
{
	if (c->nargs)
		return ctadm_fail(c, CTADM_EUSAGE, "report: unexpected "
				  "argument `%s'", c->args[0]);
	return 0;
}

static void header_read(struct report *rp)
{
	time_t now = time(NULL);
	struct utsname u;
	struct tm tm;

	if (!gmtime_r(&now, &tm) ||
	    !strftime(rp->time, sizeof(rp->time), "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(rp->time, sizeof(rp->time), "@%lld", (long long)now);
	if (gethostname(rp->hostname, sizeof(rp->hostname) - 1) < 0)
		snprintf(rp->hostname, sizeof(rp->hostname), "unknown");
	if (uname(&u) == 0) {
		snprintf(rp->kernel_build, sizeof(rp->kernel_build), "%s",
			 u.version);
		snprintf(rp->machine, sizeof(rp->machine), "%s", u.machine);
	}
}

/* The summary's dump comes first: without CAP_NET_ADMIN it is the
 * first thing refused, and says so. */
static int table_read(struct ctadm *c, struct report *rp)
{
	struct nl_sock s;
	int ret = report_table_init(&rp->table);

	if (ret < 0)
		return ctadm_fail(c, -ret, "table summary: %s", strerror(-ret));
	ret = cmd_sock_open(c, &s);
	if (ret < 0)
		return ret;
	ret = report_table_count(c, &s, &rp->table);
	nl_close(&s);
	return ret;
}

/* diagnose's machinery, two samples a second apart. */
static int diag_read(struct ctadm *c, struct report *rp)
{
	struct diag_result *r = &rp->diag;
	int ret;

	diag_result_init(c, r);
	r->samples = 2;
	if (r->all_netns_home == -2)
		return ctadm_fail(c, EINVAL, "cannot return to the namespace "
				  "given with --netns");
	ret = diag_collect(c, r);
	if (ret == 0)
		diag_findings_make(r);
	return ret;
}

/* nf_log_all_netns is the initial namespace's: read here, or where
 * ctadm started when --netns took it elsewhere. */
static int all_netns_of(const struct diag_result *r)
{
	return r->ns[0].st.all_netns >= 0 ? r->ns[0].st.all_netns
					  : r->all_netns_home;
}

static int invalid_read(struct ctadm *c, struct report *rp)
{
	struct invalid_capture_opts o = {
		.seconds = c->word.invalid_seconds,
	};

	if (!c->word.invalid_seconds)
		return 0;
	rp->have_invalid = true;
	return invalid_capture(c, &o, &rp->invalid);
}

static int report_gather(struct ctadm *c, struct report *rp)
{
	int ret;

	header_read(rp);
	ret = table_read(c, rp);
	if (ret == 0)
		ret = report_sysctls_read(c, &rp->sysctls);
	if (ret == 0)
		ret = report_stats_sample(c, &rp->stats, false);
	if (ret == 0)
		ret = diag_read(c, rp);
	if (ret < 0)
		return ret;
	report_logging_read(c, &rp->log, all_netns_of(&rp->diag));
	report_rules_read(&rp->rules);
	ret = invalid_read(c, rp);
	if (ret == 0)
		ret = report_stats_sample(c, &rp->stats, true);
	return ret;
}

static void report_free(struct report *rp)
{
	diag_result_free(&rp->diag);
	report_sysctls_free(&rp->sysctls);
	report_rules_free(&rp->rules);
	report_table_free(&rp->table);
	free(rp);
}

int report_run(struct ctadm *c)
{
	struct report *rp;
	int ret = report_check(c);

	if (ret < 0)
		return ret;
	rp = calloc(1, sizeof(*rp));
	if (!rp)
		return ctadm_fail(c, ENOMEM, "report: out of memory");
	ret = report_gather(c, rp);
	if (ret == 0) {
		if (c->fmt == &fmt_json)
			report_json(c->out, rp);
		else
			report_text(c->out, rp);
		ret = out_flush(c->out);
		if (ret < 0)
			ctadm_fail(c, -ret, "writing the report: %s",
				   strerror(-ret));
	}
	report_free(rp);
	return ret < 0 && c->err[0] ? ctadm_fail_prefix(c, ret, "report")
				    : ret;
}
