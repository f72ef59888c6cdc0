/* ctadm.c - the context's error and summary helpers, and the clock. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "ctadm.h"

int ctadm_fail(struct ctadm *c, int err_code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return -err_code;
}

int ctadm_fail_prefix(struct ctadm *c, int ret, const char *what)
{
	char msg[sizeof(c->err)];

	snprintf(msg, sizeof(msg), "%s", c->err);
	/* A message cut at the end still says what failed first. */
	if (snprintf(c->err, sizeof(c->err), "%s: %s", what, msg) < 0)
		c->err[0] = '\0';
	return ret;
}

void ctadm_summary(const struct ctadm *c, const char *fmt, ...)
{
	va_list ap;

	if (c->load_line)
		return;
	fprintf(stderr, "%s v%s: ", CTADM_NAME, PACKAGE_VERSION);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

uint64_t clock_realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
