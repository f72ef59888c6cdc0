/* ct_stuck_listener [-b RCVBUF] [-g GROUPS] - a conntrack event
 * listener that never reads: it asks for reliable delivery
 * (NETLINK_BROADCAST_ERROR), so once its tiny receive buffer is full
 * the kernel keeps the entries whose destroy event it could not deliver
 * on the dying list and retries.  Prints "ready portid=N" once
 * subscribed, then waits for SIGTERM or SIGINT and exits 0.
 * GROUPS: comma-separated new, update, destroy, exp-new, exp-update,
 * exp-destroy or group numbers (default new,update,destroy); RCVBUF:
 * SO_RCVBUF bytes (default 0: the kernel's minimum). */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>

static const struct {
	const char *name;
	unsigned group;
} group_names[] = {
	{ "new", NFNLGRP_CONNTRACK_NEW },
	{ "update", NFNLGRP_CONNTRACK_UPDATE },
	{ "destroy", NFNLGRP_CONNTRACK_DESTROY },
	{ "exp-new", NFNLGRP_CONNTRACK_EXP_NEW },
	{ "exp-update", NFNLGRP_CONNTRACK_EXP_UPDATE },
	{ "exp-destroy", NFNLGRP_CONNTRACK_EXP_DESTROY },
};

static int group_parse(const char *word, unsigned *group)
{
	char *end;
	unsigned long n = strtoul(word, &end, 10);

	if (*word && !*end && n >= 1 && n <= NFNLGRP_MAX) {
		*group = (unsigned)n;
		return 0;
	}
	for (size_t i = 0; i < sizeof(group_names) / sizeof(group_names[0]); i++)
		if (strcmp(word, group_names[i].name) == 0) {
			*group = group_names[i].group;
			return 0;
		}
	return -1;
}

/* The comma-separated list as a bitmap of groups (bit n: group n). */
static int groups_parse(char *list, uint32_t *groups)
{
	char *save = NULL;

	*groups = 0;
	for (char *w = strtok_r(list, ",", &save); w;
	     w = strtok_r(NULL, ",", &save)) {
		unsigned group;

		if (group_parse(w, &group) < 0) {
			fprintf(stderr, "ct_stuck_listener: unknown group `%s'\n", w);
			return -1;
		}
		*groups |= 1u << group;
	}
	return *groups ? 0 : -1;
}

static struct mnl_socket *listener_open(int rcvbuf, uint32_t groups)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	int one = 1;

	if (!nl) {
		perror("ct_stuck_listener: socket");
		return NULL;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_setsockopt(nl, NETLINK_BROADCAST_ERROR, &one,
				  sizeof(one)) < 0 ||
	    setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		       sizeof(rcvbuf)) < 0) {
		perror("ct_stuck_listener: setup");
		mnl_socket_close(nl);
		return NULL;
	}
	for (unsigned g = 1; g <= NFNLGRP_MAX; g++) {
		if (!(groups & 1u << g))
			continue;
		if (mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &g,
					  sizeof(g)) < 0) {
			fprintf(stderr, "ct_stuck_listener: join group %u: %s\n",
				g, strerror(errno));
			mnl_socket_close(nl);
			return NULL;
		}
	}
	return nl;
}

static int usage(void)
{
	fprintf(stderr, "usage: ct_stuck_listener [-b RCVBUF] [-g GROUPS]\n");
	return 2;
}

int main(int argc, char **argv)
{
	char default_groups[] = "new,update,destroy";
	char *group_list = default_groups, *end;
	struct mnl_socket *nl;
	uint32_t groups;
	long rcvbuf = 0;
	sigset_t set;
	int opt, sig;

	while ((opt = getopt(argc, argv, "b:g:")) != -1) {
		switch (opt) {
		case 'b':
			rcvbuf = strtol(optarg, &end, 10);
			if (*end || !*optarg || rcvbuf < 0 || rcvbuf > 1 << 30) {
				fprintf(stderr, "ct_stuck_listener: bad -b `%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'g':
			group_list = optarg;
			break;
		default:
			return usage();
		}
	}
	if (optind < argc || groups_parse(group_list, &groups) < 0) {
		return usage();
	}
	/* Blocked before the socket exists so a signal sent as soon as
	 * "ready" appears is not lost. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	nl = listener_open((int)rcvbuf, groups);
	if (!nl)
		return 1;
	printf("ready portid=%u\n", mnl_socket_get_portid(nl));
	fflush(stdout);
	while (sigwait(&set, &sig) != 0)
		;
	mnl_socket_close(nl);
	return 0;
}
