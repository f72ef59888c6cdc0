/* main.c - ctadm's entry point: build the context, parse the command
 * line, run the command's row of cmd_defs, and turn its result into a
 * message and an exit code (0 ok, 1 failure, 2 usage). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctadm.h"
#include "labels.h"
#include "nl.h"

static int exit_code(const struct ctadm *c, int ret)
{
	if (ret >= 0)
		return ret;  /* diagnose's 3 and 4 */
	if (c->err[0])
		fprintf(stderr, "%s: %s\n", CTADM_NAME, c->err);
	if (ret == -CTADM_EUSAGE) {
		fprintf(stderr, "Try `%s -h' for more information.\n",
			CTADM_NAME);
		return 2;
	}
	return 1;
}

static int ctadm_run(struct ctadm *c, int argc, char **argv)
{
	int ret;

	if (argc > 1 && strcmp(argv[1], "__complete") == 0)
		return opt_complete(c, argc - 2, argv + 2);
	ret = opt_parse(c, argc, argv);
	if (ret < 0)
		return ret;
	if (c->netns) {
		/* Kept to reach back: nflog --all-netns-logging writes a
		 * sysctl of the namespace ctadm was started in. */
		c->home_netns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		ret = netns_enter(c->netns, c->err, sizeof(c->err));
		if (ret < 0)
			return ret;
	}
	return c->cmd->run(c);
}

int main(int argc, char **argv)
{
	static struct out out;
	struct ctadm c = { .fmt = &fmt_text, .out = &out, .home_netns = -1 };
	int ret;

	out_init(&out, STDOUT_FILENO);
	c.fctx.out = &out;
	c.fctx.now_ns = clock_realtime_ns();
	/* A listing's lines are stamped with the time it was made, as
	 * conntrack stamps expectations it dumps. */
	c.fctx.event_ns = c.fctx.now_ns;
	ret = ctadm_run(&c, argc, argv);
	out_flush(&out);
	labelmap_free(&c.labelmap);
	if (c.home_netns >= 0)
		close(c.home_netns);
	return exit_code(&c, ret);
}
