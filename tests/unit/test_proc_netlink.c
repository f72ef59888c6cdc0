/* test_proc_netlink.c - /proc/net/netlink and nfnetlink_queue lines,
 * the conntrack group tests, the readers on a fixture /proc, and (as
 * root, in a private network namespace) a real listener socket: its
 * NETLINK_BROADCAST_ERROR flag and its owner. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include "proc_netlink.h"
#include "unit.h"

static void test_netlink_lines(void)
{
	struct nl_sock_info s;

	UNIT_CHECK(proc_netlink_line_parse("sk               Eth Pid        "
					   "Groups   Rmem     Wmem     Dump  "
					   "Locks    Drops    Inode\n", &s) == 1,
		   "netlink: header line");
	UNIT_CHECK(proc_netlink_line_parse("00000000a1b2c3d4 12  4242       "
					   "00000007 1280     0        0     2 "
					   "       999      2312920 \n", &s) == 0 &&
			   s.protocol == 12 && s.portid == 4242 &&
			   s.groups == 7 && s.rmem == 1280 && s.wmem == 0 &&
			   s.dump == 0 && s.locks == 2 && s.drops == 999 &&
			   s.inode == 2312920 && !s.flags_known,
		   "netlink: 64-bit sk, all columns");
	UNIT_CHECK(proc_netlink_line_parse("c1d2e3f4 0   0          00000000 0"
					   "        0        1     2        0 "
					   "       4       \n", &s) == 0 &&
			   s.protocol == 0 && s.portid == 0 && s.dump == 1 &&
			   s.inode == 4,
		   "netlink: 32-bit sk");
	UNIT_CHECK(proc_netlink_line_parse("ffff88003d6e4800 12  4294967295 "
					   "ffffffff 0        0        "
					   "ffff88003a2b1c00 2        0        "
					   "77\n", &s) == 0 &&
			   s.portid == UINT32_MAX && s.groups == UINT32_MAX &&
			   s.dump == 1,
		   "netlink: old kernel's dump pointer, largest portid");
	UNIT_CHECK(proc_netlink_line_parse("0000000000000000 12  1 00000001 0 0 "
					   "0 2 0\n", &s) == -EINVAL,
		   "netlink: a column missing");
	UNIT_CHECK(proc_netlink_line_parse("0000000000000000 12  1 00000001 0 0 "
					   "0 2 0 5 6\n", &s) == -EINVAL,
		   "netlink: a column too many");
	UNIT_CHECK(proc_netlink_line_parse("0000000000000000 12  x 00000001 0 0 "
					   "0 2 0 5\n", &s) == -EINVAL,
		   "netlink: not a number");
	UNIT_CHECK(proc_netlink_line_parse("0000000000000000 12  -1 00000001 0 "
					   "0 0 2 0 5\n", &s) == -EINVAL,
		   "netlink: negative portid");
	UNIT_CHECK(proc_netlink_line_parse("0000000000000000 12  1 100000000 0 "
					   "0 0 2 0 5\n", &s) == -EINVAL,
		   "netlink: groups wider than 32 bits");
	UNIT_CHECK(proc_netlink_line_parse("\n", &s) == -EINVAL,
		   "netlink: empty line");
}

static bool groups_ct(int protocol, uint32_t groups)
{
	struct nl_sock_info s = { .protocol = protocol, .groups = groups };

	return nl_sock_is_ct_listener(&s);
}

static bool groups_exp(int protocol, uint32_t groups)
{
	struct nl_sock_info s = { .protocol = protocol, .groups = groups };

	return nl_sock_is_exp_listener(&s);
}

static void test_groups(void)
{
	UNIT_CHECK(groups_ct(12, 0x1) && groups_ct(12, 0x2) &&
			   groups_ct(12, 0x4) && groups_ct(12, 0x7),
		   "groups: new, update, destroy are conntrack events");
	UNIT_CHECK(!groups_ct(12, 0x38) && !groups_ct(12, 0x40) &&
			   !groups_ct(12, 0),
		   "groups: expectation, nftables, none are not");
	UNIT_CHECK(groups_exp(12, 0x8) && groups_exp(12, 0x10) &&
			   groups_exp(12, 0x20) && !groups_exp(12, 0x7),
		   "groups: expectation events");
	UNIT_CHECK(!groups_ct(0, 0x7) && !groups_exp(0, 0x38),
		   "groups: only NETLINK_NETFILTER sockets count");
}

static void test_nfq_lines(void)
{
	struct nfq_info q;

	UNIT_CHECK(nfq_line_parse("    0    733    20 1     0     0     0 "
				  "      20  1\n", &q) == 0 &&
			   q.queue == 0 && q.portid == 733 && q.total == 20 &&
			   q.copy_mode == 1 && q.copy_range == 0 &&
			   q.queue_dropped == 0 && q.user_dropped == 0 &&
			   q.id_sequence == 20,
		   "nfq: a held queue");
	UNIT_CHECK(nfq_line_parse("65535 4294967295  1024 2 65535     7     "
				  "9 4294967295  1\n", &q) == 0 &&
			   q.queue == 65535 && q.portid == UINT32_MAX &&
			   q.copy_mode == 2 && q.copy_range == 65535 &&
			   q.queue_dropped == 7 && q.user_dropped == 9 &&
			   q.id_sequence == UINT32_MAX,
		   "nfq: largest values");
	UNIT_CHECK(nfq_line_parse("    0    733    20 1     0     0     0 "
				  "      20\n", &q) == -EINVAL,
		   "nfq: a column missing");
	UNIT_CHECK(nfq_line_parse("65536    733    20 1     0     0     0 "
				  "      20  1\n", &q) == -EINVAL,
		   "nfq: queue number too large");
	UNIT_CHECK(nfq_line_parse("queue portid\n", &q) == -EINVAL,
		   "nfq: words");
}

static void file_write(const char *dir, const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

struct seen {
	unsigned n, listeners, stop_at;
	bool flags_known;
	uint32_t portid_sum;
};

static int sock_count(const struct nl_sock_info *s, void *arg)
{
	struct seen *w = arg;

	w->n++;
	w->listeners += nl_sock_is_ct_listener(s);
	w->flags_known |= s->flags_known;
	w->portid_sum += s->portid;
	return w->n == w->stop_at ? -EINTR : 0;
}

static int queue_count(const struct nfq_info *q, void *arg)
{
	struct seen *w = arg;

	w->n++;
	w->portid_sum += q->portid + q->total;
	return 0;
}

static void test_fixture_root(void)
{
	static const char netlink[] =
		"sk               Eth Pid        Groups   Rmem     Wmem     "
		"Dump  Locks    Drops    Inode\n"
		"0000000000000000 0   0          00000000 0        0        0  "
		"   2        0        4       \n"
		"0000000000000000 12  100        00000004 0        0        0  "
		"   2        17       4000    \n"
		"0000000000000000 12  200        00000000 0        0        0  "
		"   2        0        4001    \n";
	char dir[] = "/tmp/test_proc_netlink.XXXXXX", sub[600];
	struct seen w = { 0 };

	if (!mkdtemp(dir)) {
		UNIT_CHECK(0, "fixture: mkdtemp");
		return;
	}
	snprintf(sub, sizeof(sub), "%s/net", dir);
	mkdir(sub, 0755);
	setenv("CTADM_PROC_ROOT", dir, 1);
	UNIT_CHECK(nfq_each(queue_count, &w) == -ENOENT,
		   "fixture: no nfnetlink_queue file is -ENOENT");
	UNIT_CHECK(proc_netlink_each(sock_count, &w) == -ENOENT,
		   "fixture: no netlink file is -ENOENT");
	file_write(dir, "net/netlink", netlink);
	UNIT_CHECK(proc_netlink_each(sock_count, &w) == 0 && w.n == 3 &&
			   w.listeners == 1 && w.portid_sum == 300 &&
			   !w.flags_known,
		   "fixture: three sockets, one listener, no live flags");
	{
		struct nl_sock_info si;

		UNIT_CHECK(proc_netlink_find(12, 100, &si) == 0 &&
				   si.drops == 17 && si.inode == 4000,
			   "fixture: proc_netlink_find, drops and inode");
		UNIT_CHECK(proc_netlink_find(12, 300, &si) == -ENOENT &&
				   proc_netlink_find(0, 100, &si) == -ENOENT,
			   "fixture: proc_netlink_find, no such socket");
	}
	w = (struct seen){ .stop_at = 2 };
	UNIT_CHECK(proc_netlink_each(sock_count, &w) == -EINTR && w.n == 2,
		   "fixture: the callback's error stops the walk");
	file_write(dir, "net/netlink", "0000000000000000 12 bad\n");
	UNIT_CHECK(proc_netlink_each(sock_count, &w) == -EINVAL,
		   "fixture: malformed netlink line");
	snprintf(sub, sizeof(sub), "%s/net/netfilter", dir);
	mkdir(sub, 0755);
	file_write(dir, "net/netfilter/nfnetlink_queue",
		   "    0    733    20 1     0     0     0       20  1\n"
		   "    3    734     0 2 65535     0     0        0  1\n");
	w = (struct seen){ 0 };
	UNIT_CHECK(nfq_each(queue_count, &w) == 0 && w.n == 2 &&
			   w.portid_sum == 733 + 20 + 734,
		   "fixture: two queues");
	file_write(dir, "net/netfilter/nfnetlink_queue", "0 1 2\n");
	UNIT_CHECK(nfq_each(queue_count, &w) == -EINVAL,
		   "fixture: malformed queue line");
	unsetenv("CTADM_PROC_ROOT");
	snprintf(sub, sizeof(sub), "rm -rf '%s'", dir);
	UNIT_CHECK(system(sub) == 0, "fixture: cleanup");
}

struct find {
	uint32_t portid;
	bool found;
	struct nl_sock_info s;
};

static int sock_find(const struct nl_sock_info *s, void *arg)
{
	struct find *f = arg;

	if (s->protocol != NETLINK_NETFILTER || s->portid != f->portid)
		return 0;
	f->found = true;
	f->s = *s;
	return 0;
}

static struct mnl_socket *socket_open(bool reliable, unsigned group)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	int one = 1;

	if (!nl)
		return NULL;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    (reliable && mnl_socket_setsockopt(nl, NETLINK_BROADCAST_ERROR,
					       &one, sizeof(one)) < 0) ||
	    (group && mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &group,
					    sizeof(group)) < 0)) {
		mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

static bool diag_available(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_SOCK_DIAG);

	if (nl)
		mnl_socket_close(nl);
	return nl != NULL;
}

static void check_listener(struct mnl_socket *nl)
{
	struct find f = { .portid = mnl_socket_get_portid(nl) };
	char comm[32] = "";
	pid_t pid = 0;

	UNIT_CHECK(proc_netlink_each(sock_find, &f) == 0 && f.found,
		   "live: proc_netlink_each lists the listener");
	UNIT_CHECK(nl_sock_is_ct_listener(&f.s) && f.s.groups == 1,
		   "live: it is a conntrack listener of group 1");
	if (diag_available()) {
		UNIT_CHECK(f.s.flags_known && f.s.broadcast_error &&
				   !f.s.no_enobufs && f.s.rcvbuf > 0,
			   "live: diag flags: broadcast_error, rcvbuf");
	} else {
		printf("SKIP: live: diag flags (no NETLINK_SOCK_DIAG)\n");
	}
	UNIT_CHECK(sock_inode_owner(f.s.inode, &pid, comm, sizeof(comm)) == 0 &&
			   pid == getpid() &&
			   strncmp(comm, "test_proc_net", 13) == 0,
		   "live: sock_inode_owner finds this process");
}

static void check_plain(struct mnl_socket *nl)
{
	struct find f = { .portid = mnl_socket_get_portid(nl) };

	UNIT_CHECK(proc_netlink_each(sock_find, &f) == 0 && f.found &&
			   !nl_sock_is_ct_listener(&f.s) &&
			   !f.s.broadcast_error,
		   "live: a plain socket is no listener, no broadcast_error");
}

static void test_live(void)
{
	struct mnl_socket *listener, *plain;
	pid_t pid;

	if (geteuid() != 0 || unshare(CLONE_NEWNET) < 0) {
		printf("SKIP: live: needs root (a private network namespace)\n");
		return;
	}
	listener = socket_open(true, 1);
	plain = socket_open(false, 0);
	UNIT_CHECK(listener && plain, "live: netfilter sockets open");
	if (!listener || !plain)
		return;
	check_listener(listener);
	check_plain(plain);
	UNIT_CHECK(sock_inode_owner(999999999UL, &pid, NULL, 0) == -ENOENT,
		   "live: sock_inode_owner of an unknown inode is -ENOENT");
	mnl_socket_close(listener);
	mnl_socket_close(plain);
}

int main(void)
{
	unsetenv("CTADM_PROC_ROOT");
	test_netlink_lines();
	test_groups();
	test_nfq_lines();
	test_fixture_root();
	test_live();
	UNIT_DONE();
}
