/* bench/floor.c - the speed floors ctadm is measured against: what the
 * kernel alone costs, with no parsing and no printing.  Run it inside the
 * namespace to time.
 *
 *   floor                  one dump of the conntrack table, only counting
 *                          the kernel's messages; prints the count
 *   floor create N         N tcp entries created in 64 KiB batches of
 *                          prebuilt requests (the least any -R can cost)
 *   floor create2 N        the same from two processes, a half each: the
 *                          kernel runs creates under ctnetlink's mutex,
 *                          so a second socket gains only what is outside it
 *   floor flush-dport P    the kernel's own filtered flush of the tcp
 *                          entries to port P, IPv4 and IPv6 (6.12+: the
 *                          least any -D -p tcp --dport P can cost)
 */
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BATCH_SIZE (64 * 1024)
/* Room one create request needs, with margin. */
#define CREATE_MAX 256
/* Not in every uapi header: CTA_FILTER_ORIG_FLAGS bits. */
#define FILTER_F_PROTO_NUM (1 << 3)
#define FILTER_F_PORT_DST (1 << 5)

static struct mnl_socket *nl;
static unsigned int seq, portid;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void sock_open(void)
{
	nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("mnl_socket");
	portid = mnl_socket_get_portid(nl);
}

static struct nlmsghdr *request_put(void *buf, uint8_t type, uint16_t flags,
				    uint8_t family)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	return nlh;
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(*(unsigned long *)data)++;
	return MNL_CB_OK;
}

/* Read answers up to the one for the request numbered last. */
static unsigned long answers_read(unsigned int last, mnl_cb_t cb)
{
	/* A large buffer: the kernel packs as many entries as fit per recv. */
	static char buf[1 << 16];
	unsigned long n = 0;
	int ret = MNL_CB_OK;
	ssize_t len;

	while (ret > MNL_CB_STOP &&
	       (len = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0)
		ret = mnl_cb_run(buf, (size_t)len, last, portid, cb, &n);
	if (ret < 0)
		die("answer");
	return n;
}

static void dump_count(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	/* AF_UNSPEC: both families in one dump. */
	nlh = request_put(buf, IPCTNL_MSG_CT_GET, NLM_F_DUMP, AF_UNSPEC);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("sendto");
	printf("%lu\n", answers_read(seq, count_cb));
}

static void tuple_put(struct nlmsghdr *nlh, uint16_t type, uint32_t src,
		      uint32_t dst, uint16_t sport, uint16_t dport)
{
	struct nlattr *t = mnl_attr_nest_start(nlh, type), *n;

	n = mnl_attr_nest_start(nlh, CTA_TUPLE_IP);
	mnl_attr_put_u32(nlh, CTA_IP_V4_SRC, src);
	mnl_attr_put_u32(nlh, CTA_IP_V4_DST, dst);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);
	mnl_attr_put_u8(nlh, CTA_PROTO_NUM, IPPROTO_TCP);
	mnl_attr_put_u16(nlh, CTA_PROTO_SRC_PORT, sport);
	mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT, dport);
	mnl_attr_nest_end(nlh, n);
	mnl_attr_nest_end(nlh, t);
}

/* Entry i: 10.x.y.z:(1024 + i % 60000) -> 192.0.2.2:80, established. */
static void create_put(char *buf, unsigned long i)
{
	struct nlmsghdr *nlh = request_put(buf, IPCTNL_MSG_CT_NEW,
					   NLM_F_CREATE | NLM_F_EXCL, AF_INET);
	uint32_t src = htonl(0x0a000000u | (uint32_t)(i & 0xffffff));
	uint32_t dst = htonl(0xc0000202u);
	uint16_t sport = htons((uint16_t)(1024 + i % 60000)), dport = htons(80);
	struct nlattr *p, *t;

	tuple_put(nlh, CTA_TUPLE_ORIG, src, dst, sport, dport);
	tuple_put(nlh, CTA_TUPLE_REPLY, dst, src, dport, sport);
	mnl_attr_put_u32(nlh, CTA_STATUS, htonl(IPS_CONFIRMED));
	mnl_attr_put_u32(nlh, CTA_TIMEOUT, htonl(86400));
	p = mnl_attr_nest_start(nlh, CTA_PROTOINFO);
	t = mnl_attr_nest_start(nlh, CTA_PROTOINFO_TCP);
	mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_STATE, TCP_CONNTRACK_ESTABLISHED);
	mnl_attr_nest_end(nlh, t);
	mnl_attr_nest_end(nlh, p);
}

/* Entries i to n - 1.  Only the last request of a batch asks for an ack:
 * failures are answered anyway, so one wait per batch collects every
 * answer. */
static void creates_send(unsigned long i, unsigned long n)
{
	static char buf[BATCH_SIZE];

	while (i < n) {
		size_t len = 0;
		struct nlmsghdr *last = NULL;

		for (; i < n && BATCH_SIZE - len >= CREATE_MAX; i++) {
			create_put(buf + len, i);
			last = (struct nlmsghdr *)(buf + len);
			len += NLMSG_ALIGN(last->nlmsg_len);
		}
		last->nlmsg_flags |= NLM_F_ACK;
		if (mnl_socket_sendto(nl, buf, len) < 0)
			die("sendto");
		answers_read(seq, NULL);
	}
}

/* Each process its own socket and its half of the entries. */
static void creates_send_two(unsigned long n)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		mnl_socket_close(nl);
		sock_open();
		creates_send(n / 2, n);
		_exit(0);
	}
	creates_send(0, n / 2);
	if (waitpid(pid, NULL, 0) < 0)
		die("waitpid");
}

static void flush_dport(uint16_t port)
{
	static const uint8_t families[] = { AF_INET, AF_INET6 };
	char buf[MNL_SOCKET_BUFFER_SIZE];

	for (unsigned i = 0; i < sizeof(families); i++) {
		struct nlmsghdr *nlh = request_put(buf, IPCTNL_MSG_CT_DELETE,
						   NLM_F_ACK, families[i]);
		struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);
		struct nlattr *t, *n;

		nfg->version = 1;  /* this family only */
		t = mnl_attr_nest_start(nlh, CTA_TUPLE_ORIG);
		n = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);
		mnl_attr_put_u8(nlh, CTA_PROTO_NUM, IPPROTO_TCP);
		mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT, htons(port));
		mnl_attr_nest_end(nlh, n);
		mnl_attr_nest_end(nlh, t);
		n = mnl_attr_nest_start(nlh, CTA_FILTER);
		mnl_attr_put_u32(nlh, CTA_FILTER_ORIG_FLAGS,
				 FILTER_F_PROTO_NUM | FILTER_F_PORT_DST);
		mnl_attr_put_u32(nlh, CTA_FILTER_REPLY_FLAGS, 0);
		mnl_attr_nest_end(nlh, n);
		if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
			die("sendto");
		answers_read(seq, NULL);
	}
}

int main(int argc, char **argv)
{
	sock_open();
	seq = (unsigned int)time(NULL);
	if (argc == 1)
		dump_count();
	else if (argc == 3 && strcmp(argv[1], "create") == 0)
		creates_send(0, strtoul(argv[2], NULL, 10));
	else if (argc == 3 && strcmp(argv[1], "create2") == 0)
		creates_send_two(strtoul(argv[2], NULL, 10));
	else if (argc == 3 && strcmp(argv[1], "flush-dport") == 0)
		flush_dport((uint16_t)strtoul(argv[2], NULL, 10));
	else {
		fprintf(stderr, "usage: floor [create N | create2 N | "
			"flush-dport PORT]\n");
		return 2;
	}
	mnl_socket_close(nl);
	return 0;
}
