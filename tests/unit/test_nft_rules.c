/* test_nft_rules.c - nft_inspect_ruleset() against the real kernel: as
 * root, in a private network namespace, it loads the rulesets of
 * tests/fixtures/nft (nft -f, iptables-nft-restore; tests/run runs us
 * from the source tree) and checks what diagnose and report are told:
 * NAT, invalid drops on the path or not, conntrack users, ct rules with
 * their summaries and counters, and the error paths. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "nft_rules.h"
#include "unit.h"

#define FIXTURES "tests/fixtures/nft/"
#define SBIN "PATH=/usr/sbin:/sbin:$PATH "

struct ct_rules {
	unsigned n;
	struct nft_ct_rule r[16];
	int stop_after; /* return -EPIPE after this many, 0: never */
};

static int ct_rule_collect(const struct nft_ct_rule *rule, void *arg)
{
	struct ct_rules *l = arg;

	if (l->n < sizeof(l->r) / sizeof(l->r[0]))
		l->r[l->n] = *rule;
	l->n++;
	return l->stop_after && (int)l->n >= l->stop_after ? -EPIPE : 0;
}

/* Load a fixture with tool ("nft -f" or "iptables-nft-restore <") on an
 * empty ruleset and inspect it; false (with a FAIL line) if that fails. */
static bool inspect(const char *tool, const char *file, struct nft_inspect *r,
		    struct ct_rules *l)
{
	char cmd[512], err[256];
	int ret;

	snprintf(cmd, sizeof(cmd), SBIN "nft flush ruleset && " SBIN "%s "
		 FIXTURES "%s", tool, file);
	memset(l, 0, sizeof(*l));
	if (system(cmd) != 0) {
		printf("FAIL: nft: loading %s\n", file);
		unit_failed++;
		return false;
	}
	ret = nft_inspect_ruleset(r, ct_rule_collect, l, err, sizeof(err));
	if (ret != 0 || !r->readable) {
		printf("FAIL: nft: inspecting %s: %d %s\n", file, ret, err);
		unit_failed++;
		return false;
	}
	return true;
}

static void test_no_conntrack(void)
{
	struct nft_inspect r;
	struct ct_rules l;

	if (inspect("nft -f", "empty.nft", &r, &l))
		UNIT_CHECK(r.n_tables == 0 && r.n_chains == 0 &&
				   r.n_rules == 0 && !r.has_nat &&
				   !r.has_conntrack && !r.drops_invalid &&
				   r.n_ct_rules == 0 && l.n == 0 &&
				   !r.nat_where[0],
			   "nft: empty ruleset, readable, no conntrack user");
	if (inspect("nft -f", "filter_only.nft", &r, &l))
		UNIT_CHECK(r.n_tables == 1 && r.n_chains == 1 &&
				   r.n_rules == 1 && !r.has_nat &&
				   !r.has_conntrack && l.n == 0,
			   "nft: filter rules without ct, no conntrack");
}

static void test_nat_leak(void)
{
	struct nft_inspect r;
	struct ct_rules l;

	if (!inspect("nft -f", "nat_masq.nft", &r, &l))
		return;
	UNIT_CHECK(r.has_nat && r.has_conntrack && !r.drops_invalid,
		   "nft: masquerade without invalid drop leaks");
	UNIT_CHECK_STR(r.nat_where, "ip nat postrouting", "nft: nat_where");
	UNIT_CHECK_STR(r.nat_unprotected, "ip nat postrouting",
		       "nft: nat_unprotected");
	UNIT_CHECK(r.n_ct_rules == 1 && l.n == 1 && l.r[0].has_counter,
		   "nft: the established,related rule is a ct rule");
	UNIT_CHECK_STR(l.r[0].summary, "ct state established,related "
		       "counter packets 0 bytes 0 accept",
		       "nft: established,related summary");
	UNIT_CHECK_STR(l.r[0].family, "inet", "nft: ct rule family");
	UNIT_CHECK_STR(l.r[0].chain, "forward", "nft: ct rule chain");
}

static void check_covered(const char *file, const char *where, bool want,
			  const char *name)
{
	struct nft_inspect r;
	struct ct_rules l;
	char n2[160];

	if (!inspect("nft -f", file, &r, &l))
		return;
	UNIT_CHECK(r.has_nat && r.drops_invalid == want, name);
	snprintf(n2, sizeof(n2), "%s: invalid_where", name);
	UNIT_CHECK_STR(r.invalid_where, where, n2);
	snprintf(n2, sizeof(n2), "%s: nat_unprotected", name);
	UNIT_CHECK(!r.nat_unprotected[0] == want, n2);
}

static void test_nat_paths(void)
{
	check_covered("nat_fwd_drop.nft", "inet filter forward", true,
		      "nft: ct state invalid drop in forward protects");
	check_covered("nat_ip6_drop.nft", "ip6 filter forward", false,
		      "nft: an ip6 drop does not cover ip NAT");
	check_covered("nat_input_drop.nft", "inet filter input", false,
		      "nft: a drop in input misses forwarded packets");
	check_covered("nat_post200.nft", "ip late postrouting", true,
		      "nft: postrouting 200 still sees the un-NATed packets");
	check_covered("nat_raw_drop.nft", "", false,
		      "nft: prerouting -300 runs before conntrack");
	check_covered("nat_chain_drop.nft", "", false,
		      "nft: a nat chain never sees INVALID packets");
	check_covered("nat_partial.nft", "", false,
		      "nft: conditional or non-drop rules do not protect");
	check_covered("jump_drop.nft", "inet filter forward", true,
		      "nft: a drop in a chain jumped to unconditionally");
	check_covered("fw4.nft", "inet fw4 forward", true,
		      "nft: fw4 ct state vmap invalid : drop");
	check_covered("fw4_nodrop.nft", "", false,
		      "nft: fw4 without drop_invalid");
}

static void test_fw4_details(void)
{
	struct nft_inspect r;
	struct ct_rules l;

	if (!inspect("nft -f", "fw4_nodrop.nft", &r, &l))
		return;
	UNIT_CHECK_STR(r.nat_where, "inet fw4 srcnat_wan",
		       "nft: NAT in a chain jumped to from srcnat");
	UNIT_CHECK_STR(r.nat_unprotected, "inet fw4 srcnat_wan",
		       "nft: fw4 nat_unprotected");
	UNIT_CHECK(l.n == 2 &&
			   !strncmp(l.r[1].summary, "ct state vmap { ", 16) &&
			   strstr(l.r[1].summary, "established : accept") &&
			   !strstr(l.r[1].summary, "invalid"),
		   "nft: ct state vmap summary");
	if (!inspect("nft -f", "nat_partial.nft", &r, &l))
		return;
	UNIT_CHECK(r.n_ct_rules == 7 && l.n == 7, "nft: 7 ct rules listed");
	UNIT_CHECK_STR(l.r[0].summary, "... ct state invalid drop",
		       "nft: other tests shown as ...");
	UNIT_CHECK_STR(l.r[3].summary, "ct state invalid ... drop",
		       "nft: limit shown as ...");
	UNIT_CHECK_STR(l.r[2].summary, "ct state != invalid drop",
		       "nft: != summary");
}

/* One UDP datagram of 1 byte over lo: 28 bytes of headers. */
static void udp_send_one(void)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons(9) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0) {
		sendto(fd, "x", 1, 0, (struct sockaddr *)&to, sizeof(to));
		close(fd);
	}
}

static void test_ct_rules(void)
{
	static const char *const want[] = {
		"ct state new counter packets 1 bytes 29 accept",
		"ct state invalid,untracked counter packets 0 bytes 0 drop",
		"ct mark set 0x1",
		"ct state established,related accept",
		"ct status dnat accept",
		"ct mark & 0xff == 0x2 accept",
		"ct direction reply accept",
		"ct helper \"ftp\" accept",
		NULL, /* a set: its order is the kernel's */
		"... ct state new accept",
	};
	struct nft_inspect r;
	struct ct_rules l;
	char name[64], err[256];

	if (!inspect("nft -f", "ct_rules.nft", &r, &l))
		return;
	UNIT_CHECK(system("ip link set lo up") == 0, "nft: lo up");
	udp_send_one();
	memset(&l, 0, sizeof(l));
	UNIT_CHECK(nft_inspect_ruleset(&r, ct_rule_collect, &l, err,
				       sizeof(err)) == 0 && l.n == 10 &&
			   r.n_ct_rules == 10 && r.n_rules == 11,
		   "nft: 10 of 11 rules use ct");
	for (unsigned i = 0; i < 10 && i < l.n; i++) {
		snprintf(name, sizeof(name), "nft: ct rule %u summary", i);
		if (want[i])
			UNIT_CHECK_STR(l.r[i].summary, want[i], name);
	}
	UNIT_CHECK(strstr(l.r[8].summary, "ct state { ") == l.r[8].summary &&
			   strstr(l.r[8].summary, "invalid") &&
			   strstr(l.r[8].summary, " } drop"),
		   "nft: ct state set summary");
	UNIT_CHECK(l.r[0].has_counter && l.r[0].packets == 1 &&
			   l.r[0].bytes == 29 && !l.r[2].has_counter &&
			   l.r[0].handle > 0 && l.r[1].handle > l.r[0].handle,
		   "nft: counter values and handles");
	UNIT_CHECK(!r.has_nat && r.drops_invalid && r.has_conntrack,
		   "nft: no NAT, an invalid drop in output");
	memset(&l, 0, sizeof(l));
	l.stop_after = 2;
	UNIT_CHECK(nft_inspect_ruleset(&r, ct_rule_collect, &l, err,
				       sizeof(err)) == -EPIPE && l.n == 2,
		   "nft: the callback's error stops the walk");
}

static void test_iptables_nft(void)
{
	struct nft_inspect r;
	struct ct_rules l;
	const char *tool = "iptables-nft-restore <";

	if (system("command -v iptables-nft-restore >/dev/null 2>&1") != 0) {
		printf("SKIP: nft: iptables-nft-restore is not installed\n");
		return;
	}
	if (inspect(tool, "docker.rules", &r, &l)) {
		UNIT_CHECK(r.has_nat && !r.drops_invalid && r.has_conntrack,
			   "nft: iptables-nft MASQUERADE without INVALID drop");
		UNIT_CHECK_STR(r.nat_unprotected, "ip nat POSTROUTING",
			       "nft: iptables-nft nat_unprotected");
		UNIT_CHECK_STR(l.n ? l.r[0].summary : "", "... ct state "
			       "established,related counter packets 0 bytes 0 "
			       "accept", "nft: -m conntrack summary");
	}
	if (inspect(tool, "docker_drop.rules", &r, &l)) {
		UNIT_CHECK(r.has_nat && r.drops_invalid,
			   "nft: -m conntrack --ctstate INVALID -j DROP");
		UNIT_CHECK_STR(r.invalid_where, "ip filter FORWARD",
			       "nft: iptables-nft invalid_where");
		UNIT_CHECK_STR(l.n ? l.r[0].summary : "", "ct state invalid "
			       "counter packets 0 bytes 0 drop",
			       "nft: --ctstate INVALID summary");
	}
	if (inspect(tool, "state_drop.rules", &r, &l))
		UNIT_CHECK(r.has_nat && r.drops_invalid,
			   "nft: -m state --state INVALID -j DROP");
	if (inspect(tool, "negated_drop.rules", &r, &l))
		UNIT_CHECK(r.has_nat && !r.drops_invalid && l.n == 1 &&
				   !strcmp(l.r[0].summary,
					   "ct state != invalid counter "
					   "packets 0 bytes 0 drop"),
			   "nft: ! --ctstate INVALID -j DROP does not count");
}

/* In a child: make nft_inspect_ruleset() fail, check ret and message. */
static void check_failure(int how, int want, const char *msg,
			  const char *name)
{
	struct nft_inspect r;
	char err[256];
	int status, ret;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (how == 0) {
			int fd = dup(0); /* the lowest free descriptor */
			struct rlimit rl = { (rlim_t)fd, (rlim_t)fd };

			close(fd);
			setrlimit(RLIMIT_NOFILE, &rl);
		} else if (setgid(65534) < 0 || setuid(65534) < 0) {
			_exit(2);
		}
		ret = nft_inspect_ruleset(&r, NULL, NULL, err, sizeof(err));
		UNIT_CHECK(ret == want && !r.readable, name);
		UNIT_CHECK_STR(err, msg, name);
		fflush(stdout);
		_exit(unit_failed ? 1 : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		printf("FAIL: %s (child)\n", name);
		unit_failed++;
	}
}

int main(void)
{
	if (geteuid() != 0) {
		printf("SKIP: nft: needs root\n");
		return 0;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		printf("SKIP: nft: unshare(CLONE_NEWNET): %s\n",
		       strerror(errno));
		return 0;
	}
	if (system(SBIN "nft list ruleset >/dev/null 2>&1") != 0) {
		printf("SKIP: nft: the nft tool does not work here\n");
		return 0;
	}
	test_no_conntrack();
	test_nat_leak();
	test_nat_paths();
	test_fw4_details();
	test_ct_rules();
	test_iptables_nft();
	check_failure(0, -EMFILE, "nftables: netlink socket: Too many open "
		      "files", "nft: socket failure reported");
	check_failure(1, -EPERM, "nftables: listing tables: Operation not "
		      "permitted", "nft: no CAP_NET_ADMIN reported");
	UNIT_DONE();
}
