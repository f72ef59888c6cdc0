/* proc_netlink.c - netlink sockets from /proc/net/netlink (plus the
 * flags only NETLINK_SOCK_DIAG shows), the processes holding them, and
 * the queues of /proc/net/netfilter/nfnetlink_queue. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/sock_diag.h>

#include "paths.h"
#include "proc_netlink.h"

#define PROC_NETLINK "net/netlink"
#define PROC_NFQUEUE "net/netfilter/nfnetlink_queue"

/* Multicast group n is bit n - 1 of the "Groups" column. */
#define GROUP_BIT(n) (1u << ((n) - 1))
#define CT_GROUPS                                                            \
	(GROUP_BIT(NFNLGRP_CONNTRACK_NEW) | GROUP_BIT(NFNLGRP_CONNTRACK_UPDATE) | \
	 GROUP_BIT(NFNLGRP_CONNTRACK_DESTROY))
#define EXP_GROUPS                                                           \
	(GROUP_BIT(NFNLGRP_CONNTRACK_EXP_NEW) |                              \
	 GROUP_BIT(NFNLGRP_CONNTRACK_EXP_UPDATE) |                           \
	 GROUP_BIT(NFNLGRP_CONNTRACK_EXP_DESTROY))

/* The next blank-separated word of *p as a number in base; -EINVAL
 * when there is none or it is not entirely a number. */
static int word_ul(char **p, int base, unsigned long *v)
{
	char *s = *p, *end;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!isxdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*v = strtoul(s, &end, base);
	if (errno || (*end && !isspace((unsigned char)*end)))
		return -EINVAL;
	*p = end;
	return 0;
}

/* n numbers (bases[i]) from *p on. */
static int words_parse(char **p, unsigned n, const int *bases,
		       unsigned long *v)
{
	for (unsigned i = 0; i < n; i++)
		if (word_ul(p, bases[i], &v[i]) < 0)
			return -EINVAL;
	return 0;
}

/* A word of hex digits whose value does not matter beyond being
 * nonzero (if asked): a kernel pointer may not fit a 32-bit program's
 * long. */
static int word_hex_nonzero(char **p, bool *nonzero)
{
	char *s = *p + strspn(*p, " \t");
	size_t n = strspn(s, "0123456789abcdefABCDEF");

	if (!n || (s[n] && !isspace((unsigned char)s[n])))
		return -EINVAL;
	if (nonzero)
		*nonzero = strspn(s, "0") < n;
	*p = s + n;
	return 0;
}

static bool line_end(const char *p)
{
	return p[strspn(p, " \t\n")] == '\0';
}

int proc_netlink_line_parse(const char *line, struct nl_sock_info *s)
{
	/* sk (%pK: 8 or 16 hex digits, hashed or zeros) Eth Pid Groups Rmem
	 * Wmem Dump Locks Drops Inode.  Dump is cb_running (0/1) since
	 * Linux 4.1 and the callback's pointer before: nonzero means a dump
	 * in progress either way. */
	static const int head[5] = { 10, 10, 16, 10, 10 }, tail[3] = { 10, 10, 10 };
	unsigned long v[8];
	char *p = (char *)line;
	bool dump;

	memset(s, 0, sizeof(*s));
	if (strncmp(line, "sk ", 3) == 0)
		return 1;
	if (word_hex_nonzero(&p, NULL) < 0 || words_parse(&p, 5, head, v) < 0 ||
	    word_hex_nonzero(&p, &dump) < 0 ||
	    words_parse(&p, 3, tail, v + 5) < 0 || !line_end(p) || v[0] > 255 ||
	    v[1] > UINT32_MAX || v[2] > UINT32_MAX)
		return -EINVAL;
	s->protocol = (int)v[0];
	s->portid = (uint32_t)v[1];
	s->groups = (uint32_t)v[2];
	s->rmem = v[3];
	s->wmem = v[4];
	s->dump = dump;
	s->locks = (unsigned)v[5];
	s->drops = v[6];
	s->inode = v[7];
	return 0;
}

bool nl_sock_is_ct_listener(const struct nl_sock_info *s)
{
	return s->protocol == NETLINK_NETFILTER && (s->groups & CT_GROUPS);
}

bool nl_sock_is_exp_listener(const struct nl_sock_info *s)
{
	return s->protocol == NETLINK_NETFILTER && (s->groups & EXP_GROUPS);
}

/* What NETLINK_SOCK_DIAG says of one socket. */
struct diag_entry {
	uint32_t inode, portid;
	uint8_t protocol;
	uint32_t flags;
	uint32_t rcvbuf;
};

struct diag_table {
	struct diag_entry *e;
	size_t n, cap;
};

static void diag_meminfo(const struct nlattr *a, struct diag_entry *d)
{
	const uint32_t *mem = mnl_attr_get_payload(a);

	if (mnl_attr_get_payload_len(a) >= (SK_MEMINFO_RCVBUF + 1) * sizeof(*mem))
		d->rcvbuf = mem[SK_MEMINFO_RCVBUF];
}

static int diag_msg_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct diag_table *t = arg;
	const struct netlink_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	struct diag_entry *d;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*m)))
		return MNL_CB_ERROR;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		void *e = realloc(t->e, cap * sizeof(*t->e));

		if (!e)
			return MNL_CB_ERROR;
		t->e = e;
		t->cap = cap;
	}
	d = &t->e[t->n++];
	*d = (struct diag_entry){ .inode = m->ndiag_ino,
				  .portid = m->ndiag_portid,
				  .protocol = m->ndiag_protocol };
	mnl_attr_for_each(a, nlh, sizeof(*m)) {
		if (mnl_attr_get_type(a) == NETLINK_DIAG_FLAGS &&
		    mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			d->flags = mnl_attr_get_u32(a);
		else if (mnl_attr_get_type(a) == NETLINK_DIAG_MEMINFO)
			diag_meminfo(a, d);
	}
	return MNL_CB_OK;
}

static int diag_entry_cmp(const void *a, const void *b)
{
	const struct diag_entry *x = a, *y = b;

	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

static int diag_dump_run(struct mnl_socket *nl, struct diag_table *t)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct netlink_diag_req *req;
	uint32_t portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int ret;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = 1;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = AF_NETLINK;
	req->sdiag_protocol = NDIAG_PROTO_ALL;
	req->ndiag_show = NDIAG_SHOW_FLAGS | NDIAG_SHOW_MEMINFO;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		ret = mnl_cb_run(buf, (size_t)n, 1, portid, diag_msg_cb, t);
	} while (ret > MNL_CB_STOP);
	return ret < 0 ? -errno : 0;
}

/* Every bound netlink socket of this namespace with its flags, sorted by
 * inode.  Fails (-ENOENT from sock_diag) on kernels without
 * CONFIG_NETLINK_DIAG; the caller then goes on without flags. */
static int diag_dump(struct diag_table *t)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_SOCK_DIAG);
	int ret;

	memset(t, 0, sizeof(*t));
	if (!nl)
		return -errno;
	ret = mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ? -errno
							     : diag_dump_run(nl, t);
	mnl_socket_close(nl);
	if (ret < 0) {
		free(t->e);
		memset(t, 0, sizeof(*t));
		return ret;
	}
	qsort(t->e, t->n, sizeof(*t->e), diag_entry_cmp);
	return 0;
}

static void diag_fill(const struct diag_table *t, struct nl_sock_info *s)
{
	struct diag_entry key = { .inode = (uint32_t)s->inode };
	const struct diag_entry *d;

	if (!t->n)
		return;
	d = bsearch(&key, t->e, t->n, sizeof(*t->e), diag_entry_cmp);
	if (!d || d->protocol != s->protocol || d->portid != s->portid)
		return;
	s->flags_known = true;
	s->broadcast_error = d->flags & NDIAG_FLAG_BROADCAST_ERROR;
	s->no_enobufs = d->flags & NDIAG_FLAG_NO_ENOBUFS;
	s->rcvbuf = d->rcvbuf;
}

/* The diag answer describes the live kernel's namespace: it belongs with
 * /proc/net/netlink only when that is the real /proc, not a fixture. */
static bool proc_is_live(void)
{
	char path[512];

	return strcmp(proc_path(path, sizeof(path), PROC_NETLINK),
		      "/proc/" PROC_NETLINK) == 0;
}

int proc_netlink_each(int (*fn)(const struct nl_sock_info *s, void *arg),
		      void *arg)
{
	struct diag_table t = { 0 };
	struct nl_sock_info s;
	char line[512];
	int ret = 0;
	FILE *f;

	f = proc_open(PROC_NETLINK);
	if (!f)
		return -errno;
	if (proc_is_live())
		diag_dump(&t);
	while (ret == 0 && fgets(line, sizeof(line), f)) {
		ret = proc_netlink_line_parse(line, &s);
		if (ret == 1) {
			ret = 0;
			continue;
		}
		if (ret == 0) {
			diag_fill(&t, &s);
			ret = fn(&s, arg);
		}
	}
	fclose(f);
	free(t.e);
	return ret;
}

int proc_netlink_find(int protocol, uint32_t portid, struct nl_sock_info *s)
{
	char line[512];
	int ret = -ENOENT;
	FILE *f = proc_open(PROC_NETLINK);

	if (!f)
		return -errno;
	while (ret == -ENOENT && fgets(line, sizeof(line), f))
		if (proc_netlink_line_parse(line, s) == 0 &&
		    s->protocol == protocol && s->portid == portid)
			ret = 0;
	fclose(f);
	return ret;
}

/* Does /proc/<pid>/fd hold the socket whose link text is want? */
static bool pid_has_link(int procfd, pid_t pid, const char *want)
{
	char path[64], link[64];
	struct dirent *e;
	bool found = false;
	DIR *d;
	int fd;

	snprintf(path, sizeof(path), "%d/fd", (int)pid);
	fd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return false;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return false;
	}
	while (!found && (e = readdir(d))) {
		ssize_t n = readlinkat(fd, e->d_name, link, sizeof(link) - 1);

		if (n > 0) {
			link[n] = '\0';
			found = strcmp(link, want) == 0;
		}
	}
	closedir(d);
	return found;
}

static void pid_comm(int procfd, pid_t pid, char *comm, size_t len)
{
	char path[64];
	ssize_t n = -1;
	int fd;

	snprintf(path, sizeof(path), "%d/comm", (int)pid);
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, comm, len - 1);
		close(fd);
	}
	comm[n > 0 ? (size_t)n : 0] = '\0';
	comm[strcspn(comm, "\n")] = '\0';
}

int sock_inode_owner(unsigned long inode, pid_t *pid, char *comm,
		     size_t comm_len)
{
	char root[512], want[40];
	struct dirent *e;
	int ret = -ENOENT;
	DIR *d;

	snprintf(want, sizeof(want), "socket:[%lu]", inode);
	d = opendir(proc_path(root, sizeof(root), ""));
	if (!d)
		return -errno;
	while (ret == -ENOENT && (e = readdir(d))) {
		char *end;
		long p = strtol(e->d_name, &end, 10);

		if (*end || p <= 0 || !pid_has_link(dirfd(d), (pid_t)p, want))
			continue;
		*pid = (pid_t)p;
		if (comm && comm_len)
			pid_comm(dirfd(d), *pid, comm, comm_len);
		ret = 0;
	}
	closedir(d);
	return ret;
}

int nfq_line_parse(const char *line, struct nfq_info *q)
{
	/* queue_num peer_portid queue_total copy_mode copy_range
	 * queue_dropped queue_user_dropped id_sequence 1 */
	static const int bases[9] = { 10, 10, 10, 10, 10, 10, 10, 10, 10 };
	unsigned long v[9];
	char *p = (char *)line;

	memset(q, 0, sizeof(*q));
	if (words_parse(&p, 9, bases, v) < 0 || !line_end(p) || v[0] > 65535 ||
	    v[1] > UINT32_MAX || v[2] > UINT32_MAX || v[3] > 255 ||
	    v[4] > UINT32_MAX)
		return -EINVAL;
	q->queue = (unsigned)v[0];
	q->portid = (uint32_t)v[1];
	q->total = (unsigned)v[2];
	q->copy_mode = (unsigned)v[3];
	q->copy_range = (unsigned)v[4];
	q->queue_dropped = v[5];
	q->user_dropped = v[6];
	q->id_sequence = v[7];
	return 0;
}

int nfq_each(int (*fn)(const struct nfq_info *q, void *arg), void *arg)
{
	FILE *f = proc_open(PROC_NFQUEUE);
	struct nfq_info q;
	char line[256];
	int ret = 0;

	if (!f)
		return -errno;
	while (ret == 0 && fgets(line, sizeof(line), f)) {
		ret = nfq_line_parse(line, &q);
		if (ret == 0)
			ret = fn(&q, arg);
	}
	fclose(f);
	return ret;
}
