/* nfq_hold QUEUE - binds NFQUEUE number QUEUE and never gives a
 * verdict: every packet queued there stays in the kernel (with its
 * conntrack entry unconfirmed) until this program exits, when the
 * kernel drops them.  It reads and discards the packet messages so its
 * receive buffer never fills (a full buffer would make the kernel drop
 * packets as queue_user_dropped instead of holding them).  Prints
 * "ready" once bound, exits 0 on SIGTERM or SIGINT. */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <linux/netlink.h>

static struct nlmsghdr *config_put(char *buf, uint16_t queue)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_CONFIG;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = 1;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons(queue);
	return nlh;
}

/* Bind the queue, metadata only: the packets' payload is not needed. */
static int queue_bind(struct mnl_socket *nl, uint16_t queue)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nfqnl_msg_config_cmd cmd = { .command = NFQNL_CFG_CMD_BIND,
					    .pf = htons(AF_INET) };
	struct nfqnl_msg_config_params params = {
		.copy_range = htonl(0), .copy_mode = NFQNL_COPY_META };
	struct nlmsghdr *nlh = config_put(buf, queue);
	ssize_t n;

	mnl_attr_put(nlh, NFQA_CFG_CMD, sizeof(cmd), &cmd);
	mnl_attr_put(nlh, NFQA_CFG_PARAMS, sizeof(params), &params);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		return -1;
	return mnl_cb_run(buf, (size_t)n, 1, mnl_socket_get_portid(nl), NULL,
			  NULL) < 0 ? -1 : 0;
}

static void hold(struct mnl_socket *nl, int sigfd)
{
	struct pollfd p[2] = { { .fd = sigfd, .events = POLLIN },
			       { .fd = mnl_socket_get_fd(nl), .events = POLLIN } };
	char buf[MNL_SOCKET_BUFFER_SIZE];

	for (;;) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return;
		if (p[0].revents)
			return;
		if (p[1].revents)
			recv(p[1].fd, buf, sizeof(buf), MSG_DONTWAIT);
	}
}

int main(int argc, char **argv)
{
	struct mnl_socket *nl;
	unsigned long queue;
	sigset_t set;
	char *end;
	int sigfd;

	if (argc != 2) {
		fprintf(stderr, "usage: nfq_hold QUEUE\n");
		return 2;
	}
	queue = strtoul(argv[1], &end, 10);
	if (!*argv[1] || *end || queue > 65535) {
		fprintf(stderr, "nfq_hold: bad queue number `%s'\n", argv[1]);
		return 2;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigfd = signalfd(-1, &set, SFD_CLOEXEC);
	nl = mnl_socket_open(NETLINK_NETFILTER);
	if (sigfd < 0 || !nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    queue_bind(nl, (uint16_t)queue) < 0) {
		fprintf(stderr, "nfq_hold: bind queue %lu: %s\n", queue,
			strerror(errno));
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	hold(nl, sigfd);
	mnl_socket_close(nl);
	return 0;
}
