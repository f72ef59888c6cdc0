/* diagnose.c - ctadm diagnose [--samples N] [--interval SECONDS]
 * [-o text|json|prometheus] [--netns X | --all-netns]: whether
 * connection tracking is healthy here, and if not, what is wrong, with
 * the numbers that prove it and what to run.  Exit status 0, 3
 * (warnings) or 4 (critical). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "ctadm.h"
#include "diag_cmd.h"
#include "diagnose.h"
#include "paths.h"
#include "settings.h"

/* nf_log_all_netns of the namespace ctadm started in, read there when
 * --netns took it elsewhere; -1 when that is not the initial one. */
static int home_all_netns(const struct ctadm *c)
{
	unsigned v;
	int self, ret = -1;

	if (c->home_netns < 0)
		return -1;
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -1;
	if (setns(c->home_netns, CLONE_NEWNET) == 0) {
		if (sysctl_read_uint(SYSCTL_NF "nf_log_all_netns", &v) == 0)
			ret = (int)v;
		if (setns(self, CLONE_NEWNET) < 0)
			ret = -2;
	}
	close(self);
	return ret;
}

static int diagnose_check(struct ctadm *c)
{
	if (c->nargs)
		return ctadm_fail(c, CTADM_EUSAGE, "diagnose: unexpected "
				  "argument `%s'", c->args[0]);
	if (c->netns && c->word.all_netns)
		return ctadm_fail(c, CTADM_EUSAGE, "diagnose: --netns and "
				  "--all-netns exclude each other");
	if (c->word.samples > 3600)
		return ctadm_fail(c, CTADM_EUSAGE, "--samples: at most 3600");
	return 0;
}

void diag_result_init(const struct ctadm *c, struct diag_result *r)
{
	struct utsname u;

	memset(r, 0, sizeof(*r));
	r->samples = c->word.samples ? c->word.samples : 3;
	r->interval_ms = c->word.interval_ms ? c->word.interval_ms : 1000;
	r->all_netns = c->word.all_netns;
	snprintf(r->kernel, sizeof(r->kernel), "%s",
		 uname(&u) == 0 ? u.release : "unknown");
	r->kernel_version = kernel_version();
	r->all_netns_home = home_all_netns(c);
}

static bool color_wanted(void)
{
	const char *no = getenv("NO_COLOR");

	return isatty(STDOUT_FILENO) && !(no && *no);
}

int diagnose_run(struct ctadm *c)
{
	struct diag_result r;
	int ret = diagnose_check(c);

	if (ret < 0)
		return ret;
	diag_result_init(c, &r);
	if (r.all_netns_home == -2)
		return ctadm_fail(c, errno, "diagnose: cannot return to the "
				  "namespace given with --netns");
	ret = diag_collect(c, &r);
	if (ret == 0) {
		diag_findings_make(&r);
		if (c->word.prometheus)
			diag_print_prometheus(c->out, &r);
		else if (c->fmt == &fmt_json)
			diag_print_json(c->out, &r);
		else
			diag_print_text(c->out, &r, color_wanted());
		ret = out_flush(c->out);
		if (ret == 0)
			ret = diag_exit_status(&r);
	}
	diag_result_free(&r);
	return ret;
}
