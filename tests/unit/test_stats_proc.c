/* test_stats_proc.c - /proc/net/stat/nf_conntrack is read by column name:
 * columns in another order, unknown columns and the expect_* split. */
#include <stdio.h>

#include "stats_proc.h"
#include "unit.h"

struct seen {
	unsigned rows;
	char text[512];
};

static int stat_collect(const struct ct_stat *st, void *data)
{
	struct seen *s = data;
	size_t len = strlen(s->text);

	len += (size_t)snprintf(s->text + len, sizeof(s->text) - len,
				"cpu=%u", st->cpu);
	for (unsigned i = 0; i < st->n; i++)
		len += (size_t)snprintf(s->text + len, sizeof(s->text) - len,
					" %s=%u", st->item[i].name,
					st->item[i].value);
	snprintf(s->text + len, sizeof(s->text) - len, ";");
	s->rows++;
	return 0;
}

static int read_fixture(const char *text, bool expect, struct seen *s)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	memset(s, 0, sizeof(*s));
	ret = stats_proc_read(f, expect, stat_collect, s);
	fclose(f);
	return ret;
}

int main(void)
{
	/* A real kernel's header, and the same columns shuffled. */
	static const char real[] =
		"entries  clashres found new invalid ignore delete chainlength "
		"insert insert_failed drop early_drop icmp_error  expect_new "
		"expect_create expect_delete search_restart\n"
		"00000003  00000000 00000000 00000000 00000005 00000000 00000000 "
		"00000000 00000002 00000000 00000000 00000000 00000001  00000000 "
		"00000004 00000000 0000000a\n";
	static const char shuffled[] =
		"search_restart invalid entries future_counter expect_create\n"
		"0000000a 00000005 00000003 00000007 00000004\n"
		"00000000 00000001 00000003 00000000 00000000\n";
	struct seen s;

	UNIT_CHECK(read_fixture(real, false, &s) == 0 && s.rows == 1,
		   "real header: one cpu");
	UNIT_CHECK_STR(s.text,
		       "cpu=0 clash_resolve=0 found=0 invalid=5 insert=2 "
		       "insert_failed=0 drop=0 early_drop=0 error=1 "
		       "search_restart=10;",
		       "names mapped, obsolete columns dropped");
	UNIT_CHECK(read_fixture(real, true, &s) == 0, "expect columns");
	UNIT_CHECK_STR(s.text, "cpu=0 expect_new=0 expect_create=4 expect_delete=0;",
		       "only expect_* columns for -S expect");
	UNIT_CHECK(read_fixture(shuffled, false, &s) == 0 && s.rows == 2,
		   "shuffled header: two cpus");
	UNIT_CHECK_STR(s.text,
		       "cpu=0 search_restart=10 invalid=5 future_counter=7;"
		       "cpu=1 search_restart=0 invalid=1 future_counter=0;",
		       "values follow their header name, unknown kept");
	UNIT_CHECK(read_fixture("", false, &s) < 0, "empty file refused");
	UNIT_CHECK(read_fixture("found\nzz\n", false, &s) < 0,
		   "non-hex value refused");
	UNIT_DONE();
}
