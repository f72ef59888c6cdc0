/* bench/floor.c - the speed floor for a conntrack listing: one netlink dump
 * of the conntrack table that only counts the kernel's messages, parsing and
 * printing nothing.  Prints the count.  Run it inside the namespace to time. */
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

static int floor_count(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(*(unsigned long *)data)++;
	return MNL_CB_OK;
}

static void floor_request(struct mnl_socket *nl, unsigned int seq)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_UNSPEC;	/* both families in one dump */
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		perror("sendto");
		exit(1);
	}
}

int main(void)
{
	/* A large buffer: the kernel packs as many entries as fit per recv. */
	static char buf[1 << 16];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	unsigned int seq = (unsigned int)time(NULL), portid;
	unsigned long n = 0;
	ssize_t len;
	int ret = MNL_CB_OK;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("mnl_socket");
		return 1;
	}
	portid = mnl_socket_get_portid(nl);
	floor_request(nl, seq);
	while (ret > MNL_CB_STOP && (len = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0)
		ret = mnl_cb_run(buf, (size_t)len, seq, portid, floor_count, &n);
	if (ret < 0) {
		perror("dump");
		return 1;
	}
	printf("%lu\n", n);
	mnl_socket_close(nl);
	return 0;
}
