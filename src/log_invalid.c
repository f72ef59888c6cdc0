/* log_invalid.c - ctadm log-invalid [PROTO|NUMBER|all|off]: which
 * protocol's invalid packets the kernel logs (nf_conntrack_log_invalid,
 * per network namespace). */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ctadm.h"
#include "ct_names.h"
#include "opt_parse.h"
#include "settings.h"
#include "settings_cmd.h"

#define LOG_INVALID SYSCTL_NF "nf_conntrack_log_invalid"

const char *log_invalid_meaning(unsigned v)
{
	struct protoent *pe;

	if (v == 0)
		return "off";
	if (v == 255)
		return "all";
	if (proto_name((uint8_t)v))
		return proto_name((uint8_t)v);
	pe = getprotobynumber((int)v);
	return pe ? pe->p_name : NULL;
}

/* off, all, 0-255, or a protocol name; -1 if none of them. */
int log_invalid_parse(const char *s)
{
	struct protoent *pe;
	uint64_t v;

	if (strcasecmp(s, "off") == 0)
		return 0;
	if (strcasecmp(s, "all") == 0)
		return 255;
	if (strspn(s, "0123456789") == strlen(s))
		return parse_uint(s, 255, &v) == 0 ? (int)v : -1;
	for (const struct proto_def *p = proto_defs; p->name; p++)
		if (strcasecmp(p->name, s) == 0)
			return p->num;
	pe = getprotobyname(s);
	return pe && pe->p_proto < 256 ? pe->p_proto : -1;
}

static void log_invalid_show(struct ctadm *c, unsigned v)
{
	const char *m = log_invalid_meaning(v);

	if (c->fmt == &fmt_json) {
		out_printf(c->out, "{\"schema\":1,\"log_invalid\":%u,"
			   "\"meaning\":", v);
		if (m) {
			out_char(c->out, '"');
			out_json_escaped(c->out, m);
			out_str(c->out, "\"}\n");
		} else {
			out_str(c->out, "null}\n");
		}
	} else if (m) {
		out_printf(c->out, "%u (%s)\n", v, m);
	} else {
		out_printf(c->out, "%u (protocol %u)\n", v, v);
	}
}

int log_invalid_run(struct ctadm *c)
{
	unsigned v;
	int ret, want;
	char num[16];

	if (c->nargs > 1)
		return ctadm_fail(c, CTADM_EUSAGE, "log-invalid: one value at "
				  "most (PROTO, NUMBER, all or off)");
	if (c->nargs == 1) {
		want = log_invalid_parse(c->args[0]);
		if (want < 0)
			return ctadm_fail(c, CTADM_EUSAGE, "log-invalid: `%s' is "
					  "not a protocol, a number from 0 to "
					  "255, all or off", c->args[0]);
		snprintf(num, sizeof(num), "%d", want);
		ret = sysctl_write(LOG_INVALID, num);
		if (ret < 0)
			return ctadm_fail(c, -ret, "log-invalid: writing %s: %s",
					  "/proc/" LOG_INVALID, strerror(-ret));
	}
	ret = sysctl_read_uint(LOG_INVALID, &v);
	if (ret < 0)
		return ctadm_fail(c, -ret, "log-invalid: reading %s: %s",
				  "/proc/" LOG_INVALID, strerror(-ret));
	log_invalid_show(c, v);
	return out_flush(c->out);
}
