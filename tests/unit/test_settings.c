/* test_settings.c - the nf_log table's lines, family names and the
 * meaning of log_invalid values, against lines captured from 6.18. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "settings.h"
#include "settings_cmd.h"
#include "unit.h"

static void test_nflog_lines(void)
{
	struct nflog_family f;

	UNIT_CHECK(nflog_line_parse(" 2 nf_log_ipv4 (nf_log_ipv4,nfnetlink_log)\n",
				    &f) == 0, "ipv4 line parses");
	UNIT_CHECK(f.family == 2 && strcmp(f.active, "nf_log_ipv4") == 0,
		   "family and active backend");
	UNIT_CHECK(f.n_registered == 2 &&
			   nflog_is_registered(&f, "nfnetlink_log") &&
			   !nflog_is_registered(&f, "nf_log_ipv6"),
		   "registered backends");
	UNIT_CHECK(nflog_line_parse("10 NONE (nfnetlink_log)\n", &f) == 0 &&
			   f.family == 10 && strcmp(f.active, "NONE") == 0,
		   "a family without an active backend");
	UNIT_CHECK(nflog_line_parse(" 4 NONE ()\n", &f) == 0 &&
			   f.n_registered == 0,
		   "a family with nothing registered");
}

static void test_nflog_malformed(void)
{
	static const char *const bad[] = {
		"", "\n", "x NONE (a)\n", " 2 nf_log_ipv4\n",
		" 2 nf_log_ipv4 (nf_log_ipv4\n", " 2  (a)\n",
		"300 NONE (a)\n", " 2 NONE (a,,b)\n", " 2 NONE (a) trailing\n",
		" 2 NONE (a,b,c,d,e,f,g,h,i)\n",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nflog_family f;
		char name[80];

		snprintf(name, sizeof(name), "malformed nf_log line %zu refused", i);
		UNIT_CHECK(nflog_line_parse(bad[i], &f) == -EINVAL, name);
	}
}

static void test_families(void)
{
	UNIT_CHECK(nflog_family_parse("ipv4") == 2 &&
			   nflog_family_parse("ipv6") == 10 &&
			   nflog_family_parse("bridge") == 7,
		   "family names");
	UNIT_CHECK(nflog_family_parse("5") == 5, "a family number");
	UNIT_CHECK(nflog_family_parse("13") == -1 &&
			   nflog_family_parse("ipv5") == -1 &&
			   nflog_family_parse("") == -1,
		   "unknown families");
	UNIT_CHECK(strcmp(nflog_family_name(3), "arp") == 0 &&
			   nflog_family_name(4) == NULL,
		   "names of family numbers");
}

static void test_log_invalid_meaning(void)
{
	UNIT_CHECK(strcmp(log_invalid_meaning(0), "off") == 0, "0 is off");
	UNIT_CHECK(strcmp(log_invalid_meaning(255), "all") == 0, "255 is all");
	UNIT_CHECK(strcmp(log_invalid_meaning(6), "tcp") == 0, "6 is tcp");
	UNIT_CHECK(strcmp(log_invalid_meaning(58), "icmpv6") == 0,
		   "58 is icmpv6");
}

int main(void)
{
	test_nflog_lines();
	test_nflog_malformed();
	test_families();
	test_log_invalid_meaning();
	UNIT_DONE();
}
