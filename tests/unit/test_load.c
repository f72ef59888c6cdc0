/* test_load.c - the -R line splitter: blanks, comments, quotes, escapes
 * and the limits on words. */
#include <errno.h>
#include <stdlib.h>

#include "ct_load.h"
#include "unit.h"

/* The words of line as "[w1][w2]...", or "error: why". */
static const char *split(const char *line, int max)
{
	static char buf[LOAD_WORDS_MAX * (LOAD_WORD_MAX + 3) + 64];
	static char shown[sizeof(buf)];
	char *argv[LOAD_WORDS_MAX + 2];
	const char *why = NULL;
	size_t len = 0;
	int n;

	snprintf(buf, sizeof(buf), "%s", line);
	n = load_line_split(buf, argv, max, &why);
	if (n < 0) {
		snprintf(shown, sizeof(shown), "error: %s", why);
		return shown;
	}
	shown[0] = '\0';
	for (int i = 0; i < n; i++)
		len += snprintf(shown + len, sizeof(shown) - len, "[%s]",
				argv[i]);
	return argv[n] ? "argv not NULL-terminated" : shown;
}

static const struct {
	const char *line, *want, *name;
} cases[] = {
	{ "-I -s 1.1.1.1 -p tcp", "[-I][-s][1.1.1.1][-p][tcp]",
	  "words split on spaces" },
	{ " \t -D\t\t-s  2.2.2.2 \t", "[-D][-s][2.2.2.2]",
	  "leading, repeated, trailing blanks" },
	{ "", "", "empty line" },
	{ " \t ", "", "blank line" },
	{ "# -I -s 1.1.1.1", "", "comment" },
	{ "  \t# comment", "", "comment after blanks" },
	{ "-F #x", "[-F][#x]", "# later on a line is a word" },
	{ "a\\b c\\", "[a\\b][c\\]", "backslash outside quotes is itself" },
	{ "--label-add \"a b\"", "[--label-add][a b]", "quotes group words" },
	{ "\"a\\\"b\" \"c\\\\d\"", "[a\"b][c\\d]",
	  "backslash escapes inside quotes" },
	{ "\"a b\"c", "[a b][c]", "a closing quote ends the word" },
	{ "x\"a b\" y", "[xa b][y]", "a quote opening inside a word" },
	{ "-s \"\" -d", "[-s][][-d]", "empty quoted word" },
	{ "\"\t\"", "[\t]", "quoted tab" },
	{ "-I \"abc", "error: unterminated quote", "unterminated quote" },
	{ "\"abc\\\"", "error: unterminated quote",
	  "escaped closing quote leaves it open" },
};

static void test_cases(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		UNIT_CHECK_STR(split(cases[i].line, 8), cases[i].want,
			       cases[i].name);
}

static void test_limits(void)
{
	char line[LOAD_WORD_MAX + 8], word[LOAD_WORD_MAX + 4];

	memset(word, 'w', LOAD_WORD_MAX);
	word[LOAD_WORD_MAX] = '\0';
	UNIT_CHECK(strlen(split(word, 8)) == LOAD_WORD_MAX + 2,
		   "a word of 1023 characters");
	snprintf(line, sizeof(line), "\"%s\"", word);
	UNIT_CHECK(strlen(split(line, 8)) == LOAD_WORD_MAX + 2,
		   "a quoted word of 1023 characters");
	strcat(word, "w");
	UNIT_CHECK_STR(split(word, 8), "error: word longer than 1023 characters",
		       "a word of 1024 characters");
	line[0] = '\0';
	for (int i = 0; i < LOAD_WORDS_MAX; i++)
		strcat(line, "x ");
	UNIT_CHECK(strlen(split(line, LOAD_WORDS_MAX)) == 3 * LOAD_WORDS_MAX,
		   "255 words");
	strcat(line, "y");
	UNIT_CHECK_STR(split(line, LOAD_WORDS_MAX), "error: too many words",
		       "256 words");
	UNIT_CHECK_STR(split("a b c", 2), "error: too many words",
		       "max words is the caller's");
}

int main(void)
{
	test_cases();
	test_limits();
	UNIT_DONE();
}
