/* test_out.c - the appenders of out.c, captured in a temporary file (a
 * pipe could fill and block the writer); a closed pipe tests errors. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "out.h"
#include "unit.h"

static struct out o;
static FILE *cap;
static char got[4 * OUT_BUF_SIZE];

static void cap_begin(void)
{
	cap = tmpfile();
	if (!cap)
		abort();
	out_init(&o, fileno(cap));
}

static const char *cap_end(void)
{
	size_t len;

	out_flush(&o);
	rewind(cap);
	len = fread(got, 1, sizeof(got) - 1, cap);
	fclose(cap);
	got[len] = '\0';
	return got;
}

static void test_numbers(void)
{
	static const uint64_t v[] = { 0, 7, 10, 99, 100, 101, 4294967295u,
				      1000000000000ull, UINT64_MAX };
	char want[64];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		cap_begin();
		out_u64(&o, v[i]);
		snprintf(want, sizeof(want), "%" PRIu64, v[i]);
		UNIT_CHECK_STR(cap_end(), want, "out_u64");
		if (v[i] <= UINT32_MAX) {
			cap_begin();
			out_u32(&o, (uint32_t)v[i]);
			UNIT_CHECK_STR(cap_end(), want, "out_u32");
		}
	}
	cap_begin();
	out_i64(&o, INT64_MIN);
	out_char(&o, ' ');
	out_i64(&o, -5);
	out_char(&o, ' ');
	out_i64(&o, 42);
	UNIT_CHECK_STR(cap_end(), "-9223372036854775808 -5 42", "out_i64");
	cap_begin();
	out_hex(&o, 0);
	out_char(&o, ' ');
	out_hex(&o, 0xdeadBEEF);
	UNIT_CHECK_STR(cap_end(), "0 deadbeef", "out_hex");
}

static void check_addr(int family, const char *text)
{
	union ct_addr a;
	char want[INET6_ADDRSTRLEN];

	memset(&a, 0, sizeof(a));
	inet_pton(family, text, a.b);
	inet_ntop(family, a.b, want, sizeof(want));
	cap_begin();
	out_addr(&o, family, &a);
	UNIT_CHECK_STR(cap_end(), want, text);
}

static void test_addr(void)
{
	check_addr(AF_INET, "0.0.0.0");
	check_addr(AF_INET, "1.2.3.4");
	check_addr(AF_INET, "10.99.100.255");
	check_addr(AF_INET, "255.255.255.255");
	check_addr(AF_INET6, "::");
	check_addr(AF_INET6, "::1");
	check_addr(AF_INET6, "2001:db8::ff00:42:8329");
	check_addr(AF_INET6, "::ffff:1.2.3.4");
	check_addr(AF_INET6, "fe80:0:0:1::");
}

static void test_strings(void)
{
	cap_begin();
	out_str_pad(&o, "tcp", 8);
	out_char(&o, '|');
	out_str_pad(&o, "toolongword", 4);
	UNIT_CHECK_STR(cap_end(), "tcp     |toolongword", "out_str_pad");
	cap_begin();
	out_json_escaped(&o, "a\"b\\c\n\t\x01\x7f" "d");
	UNIT_CHECK_STR(cap_end(), "a\\\"b\\\\c\\n\\t\\u0001\\u007fd",
		       "out_json_escaped");
	cap_begin();
	out_json_string(&o, "a\"b");
	out_char(&o, ' ');
	out_json_string_or_null(&o, "x");
	out_char(&o, ' ');
	out_json_string_or_null(&o, NULL);
	UNIT_CHECK_STR(cap_end(), "\"a\\\"b\" \"x\" null",
		       "out_json_string, out_json_string_or_null");
	cap_begin();
	out_xml_escaped(&o, "<a href='x'>&\"</a>");
	UNIT_CHECK_STR(cap_end(),
		       "&lt;a href=&apos;x&apos;&gt;&amp;&quot;&lt;/a&gt;",
		       "out_xml_escaped");
	cap_begin();
	out_printf(&o, "%s=%d", "x", 12);
	UNIT_CHECK_STR(cap_end(), "x=12", "out_printf");
}

/* Output larger than the buffer must cross flushes without loss. */
static void test_large(void)
{
	static char big[3 * OUT_BUF_SIZE / 2];
	size_t i;
	int ok = 1;

	for (i = 0; i < sizeof(big) - 1; i++)
		big[i] = (char)('a' + i % 26);
	big[i] = '\0';
	cap_begin();
	out_char(&o, '<');
	out_str(&o, big);
	for (i = 0; i < 20000; i++)
		out_u32(&o, 1234567);
	out_printf(&o, "%0700d", 1);
	cap_end();
	ok = got[0] == '<' && memcmp(got + 1, big, sizeof(big) - 1) == 0;
	UNIT_CHECK(ok, "out_str across flushes");
	ok = strlen(got) == 1 + sizeof(big) - 1 + 20000 * 7 + 700;
	UNIT_CHECK(ok, "total length across flushes");
	UNIT_CHECK(got[strlen(got) - 1] == '1' && got[strlen(got) - 2] == '0',
		   "out_printf longer than its stack buffer");
}

static void test_error(void)
{
	int p[2];

	if (pipe(p) < 0)
		abort();
	close(p[0]);
	out_init(&o, p[1]);
	out_str(&o, "x");
	UNIT_CHECK(out_flush(&o) == -EPIPE, "write error recorded as -errno");
	out_str(&o, "y");
	UNIT_CHECK(out_flush(&o) == -EPIPE, "first error kept");
	UNIT_CHECK(o.len == 0, "buffer emptied after error");
	close(p[1]);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_numbers();
	test_addr();
	test_strings();
	test_large();
	test_error();
	UNIT_DONE();
}
