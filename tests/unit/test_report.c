/* test_report.c - report's own structures: the bounded top-N counter
 * (exact below its capacity, within its bounds past it, its index and
 * heap intact after many replacements) and the sysctl list read from a
 * fixture tree through CTADM_PROC_ROOT. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctadm.h"
#include "report.h"
#include "topn.h"
#include "unit.h"

static void key_make(uint8_t *key, uint32_t v)
{
	memset(key, 0, 4);
	key[0] = (uint8_t)(v >> 24);
	key[1] = (uint8_t)(v >> 16);
	key[2] = (uint8_t)(v >> 8);
	key[3] = (uint8_t)v;
}

static uint32_t key_value(const uint8_t *key)
{
	return (uint32_t)key[0] << 24 | (uint32_t)key[1] << 16 |
	       (uint32_t)key[2] << 8 | key[3];
}

static void add_times(struct topn *t, uint32_t v, unsigned times)
{
	uint8_t key[4];

	key_make(key, v);
	for (unsigned i = 0; i < times; i++)
		topn_add(t, key);
}

/* The heap is ordered, each item knows its place, keys are distinct
 * and the counts add up to what was added. */
static bool topn_sound(const struct topn *t)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < t->n; i++) {
		const struct topn_item *it = &t->item[t->heap[i]];

		if (it->heap != i || (i > 0 && t->item[t->heap[(i - 1) / 2]]
							 .count > it->count))
			return false;
		for (uint32_t j = 0; j < i; j++)
			if (memcmp(t->item[j].key, t->item[i].key,
				   t->key_len) == 0)
				return false;
		sum += t->item[i].count;
	}
	return sum == t->total;
}

static void test_exact(void)
{
	const struct topn_item *top[10];
	struct topn t;
	bool ok = true;
	unsigned n;

	UNIT_CHECK(topn_init(&t, 4, 64) == 0, "exact: init");
	/* key v counted v times, added in an interleaved order */
	for (unsigned round = 1; round <= 20; round++)
		for (uint32_t v = round; v <= 20; v++)
			add_times(&t, v, 1);
	n = topn_top(&t, top, 10);
	for (unsigned i = 0; i < n; i++)
		ok &= key_value(top[i]->key) == 20 - i &&
		      top[i]->count == 20 - i && top[i]->error == 0;
	UNIT_CHECK(n == 10 && ok, "exact: the ten most counted, in order");
	UNIT_CHECK(!topn_approximate(&t) && t.n == 20 && t.total == 210,
		   "exact: twenty keys, not approximate");
	UNIT_CHECK(topn_sound(&t), "exact: heap and index sound");
	topn_free(&t);
}

static void test_ties_and_few(void)
{
	const struct topn_item *top[10];
	struct topn t;
	unsigned n;

	topn_init(&t, 4, 16);
	add_times(&t, 9, 2);
	add_times(&t, 3, 2);
	add_times(&t, 7, 5);
	add_times(&t, 5, 2);
	n = topn_top(&t, top, 10);
	UNIT_CHECK(n == 4, "fewer keys than asked: all of them");
	UNIT_CHECK(n == 4 && key_value(top[0]->key) == 7 &&
			   key_value(top[1]->key) == 3 &&
			   key_value(top[2]->key) == 5 &&
			   key_value(top[3]->key) == 9,
		   "ties ordered by key");
	UNIT_CHECK(topn_top(&t, top, 2) == 2 && key_value(top[1]->key) == 3,
		   "a shorter top keeps the order");
	topn_free(&t);
}

/* Five heavy keys among thousands seen once, in a map of 16: the heavy
 * ones stay, with counts within their bounds. */
static void test_bounded(void)
{
	const struct topn_item *top[5];
	struct topn t;
	bool ok = true;
	unsigned n;

	topn_init(&t, 4, 16);
	for (uint32_t i = 0; i < 5000; i++) {
		add_times(&t, 1000000 + i, 1);
		if (i % 5 == 0)
			for (uint32_t h = 1; h <= 5; h++)
				add_times(&t, h, h);
	}
	n = topn_top(&t, top, 5);
	for (unsigned i = 0; i < n; i++) {
		uint32_t v = key_value(top[i]->key), truth = v * 1000;

		ok &= v == 5 - i && top[i]->count >= truth &&
		      top[i]->count - top[i]->error <= truth;
	}
	UNIT_CHECK(topn_approximate(&t), "bounded: approximate past capacity");
	UNIT_CHECK(t.n == 16, "bounded: memory stays at capacity");
	UNIT_CHECK(n == 5 && ok, "bounded: the heavy keys on top, within "
		   "their bounds");
	UNIT_CHECK(topn_sound(&t), "bounded: heap and index sound after "
		   "replacements");
	add_times(&t, 3, 1);
	n = topn_top(&t, top, 5);
	UNIT_CHECK(key_value(top[2]->key) == 3 && t.n == 16 &&
			   topn_sound(&t),
		   "bounded: a kept key is found again, not added twice");
	topn_free(&t);
}

/* Random keys: every count within count - error <= truth <= count. */
static void test_random_bounds(void)
{
	static unsigned truth[300];
	struct topn t;
	bool ok = true;

	srand(7);
	topn_init(&t, 4, 64);
	for (unsigned i = 0; i < 20000; i++) {
		/* skewed: low keys far more frequent */
		unsigned v = (unsigned)(rand() % 300) * (unsigned)(rand() % 300) /
			     300;

		truth[v]++;
		add_times(&t, v, 1);
	}
	for (uint32_t i = 0; i < t.n; i++) {
		const struct topn_item *it = &t.item[i];
		unsigned tv = truth[key_value(it->key)];

		ok &= it->count >= tv && it->count - it->error <= tv;
	}
	UNIT_CHECK(ok, "random: every count within its bounds");
	UNIT_CHECK(topn_sound(&t), "random: heap and index sound");
	topn_free(&t);
}

static void test_init_refused(void)
{
	struct topn t;

	UNIT_CHECK(topn_init(&t, 0, 16) == -EINVAL, "key length 0 refused");
	UNIT_CHECK(topn_init(&t, TOPN_KEY_MAX + 1, 16) == -EINVAL,
		   "too long a key refused");
	UNIT_CHECK(topn_init(&t, 4, 0) == -EINVAL, "capacity 0 refused");
}

/* --- sysctls from a fixture tree --- */

static void file_put(const char *root, const char *rel, const char *val)
{
	char path[512], dir[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *p = strchr(path + strlen(root) + 1, '/'); p;
	     p = strchr(p + 1, '/')) {
		snprintf(dir, sizeof(dir), "%.*s", (int)(p - path), path);
		mkdir(dir, 0755);
	}
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "%s\n", val);
		fclose(f);
	}
}

static void test_sysctls(void)
{
	static const char *const want[] = {
		"net.bridge.bridge-nf-call-iptables=1",
		"net.netfilter.nf_conntrack_max=262144",
		"net.netfilter.nf_conntrack_tcp_loose=1",
		"net.netfilter.nf_log.2=NONE",
		"net.netfilter.nf_log.10=nf_log_ipv6",
		"net.netfilter.nf_log_all_netns=0",
		"net.nf_conntrack_max=262144",
	};
	char root[] = "/tmp/ctadm-test-report-XXXXXX", got[1024] = "",
	     exp[1024] = "", cmd[600];
	struct report_sysctls s = { 0 };
	struct ctadm c = { 0 };
	size_t len = 0;

	if (!mkdtemp(root)) {
		UNIT_CHECK(0, "sysctls: a temporary directory");
		return;
	}
	file_put(root, "sys/net/netfilter/nf_conntrack_max", "262144");
	file_put(root, "sys/net/netfilter/nf_conntrack_tcp_loose", "1");
	file_put(root, "sys/net/netfilter/nf_log/10", "nf_log_ipv6");
	file_put(root, "sys/net/netfilter/nf_log/2", "NONE");
	file_put(root, "sys/net/netfilter/nf_log_all_netns", "0");
	file_put(root, "sys/net/nf_conntrack_max", "262144");
	file_put(root, "sys/net/somaxconn_like", "5");
	file_put(root, "sys/net/bridge/bridge-nf-call-iptables", "1");
	file_put(root, "sys/net/bridge/other", "0");
	setenv("CTADM_PROC_ROOT", root, 1);
	UNIT_CHECK(report_sysctls_read(&c, &s) == 0, "sysctls: read");
	for (unsigned i = 0; i < s.n && len < sizeof(got); i++)
		len += (size_t)snprintf(got + len, sizeof(got) - len, "%s=%s%s\n",
					s.v[i].name, s.v[i].value,
					s.v[i].err ? " (error)" : "");
	len = 0;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		len += (size_t)snprintf(exp + len, sizeof(exp) - len, "%s\n",
					want[i]);
	UNIT_CHECK_STR(got, exp, "sysctls: conntrack's, named as sysctl(8) "
		       "does, in natural order");
	report_sysctls_free(&s);

	/* No bridge directory (br_netfilter not loaded): not an error. */
	snprintf(cmd, sizeof(cmd), "rm -rf %s/sys/net/bridge", root);
	UNIT_CHECK(system(cmd) == 0 && report_sysctls_read(&c, &s) == 0 &&
			   s.n == 6,
		   "sysctls: a missing bridge directory is no error");
	report_sysctls_free(&s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	UNIT_CHECK(system(cmd) == 0, "sysctls: fixture removed");
	unsetenv("CTADM_PROC_ROOT");
}

int main(void)
{
	test_exact();
	test_ties_and_few();
	test_bounded();
	test_random_bounds();
	test_init_refused();
	test_sysctls();
	UNIT_DONE();
}
