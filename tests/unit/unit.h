/* unit.h - the smallest test framework that fits: each check prints a
 * "PASS: " or "FAIL: " line that tests/run counts. */
#ifndef CTADM_UNIT_H
#define CTADM_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failed;

#define UNIT_CHECK(cond, name)                                               \
	do {                                                                 \
		if (cond) {                                                  \
			printf("PASS: %s\n", name);                          \
		} else {                                                     \
			printf("FAIL: %s (%s:%d: %s)\n", name, __FILE__,     \
			       __LINE__, #cond);                             \
			unit_failed++;                                       \
		}                                                            \
	} while (0)

#define UNIT_CHECK_STR(got, want, name)                                      \
	do {                                                                 \
		const char *unit_g = (got), *unit_w = (want);                \
		if (strcmp(unit_g, unit_w) == 0) {                           \
			printf("PASS: %s\n", name);                          \
		} else {                                                     \
			printf("FAIL: %s (%s:%d)\n  got:  [%s]\n  want: [%s]\n", \
			       name, __FILE__, __LINE__, unit_g, unit_w);    \
			unit_failed++;                                       \
		}                                                            \
	} while (0)

#define UNIT_DONE() return unit_failed ? 1 : 0

#endif
