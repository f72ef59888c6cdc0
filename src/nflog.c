/* nflog.c - ctadm nflog [FAMILY BACKEND|none]: the nf_log backend each
 * family logs through (per network namespace), and the ones registered.
 *
 * Syslog-type backends (nf_log_ipv4, ...) print to the kernel log only
 * for the initial namespace unless nf_log_all_netns is 1 there; that is
 * a global switch, so ctadm sets it only when asked.  A known backend
 * that is not registered has its module loaded (libkmod) first. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/netfilter.h>

#include "ctadm.h"
#include "modload.h"
#include "nf_state.h"
#include "paths.h"
#include "settings.h"
#include "settings_cmd.h"

#define NFLOG_TABLE "net/netfilter/nf_log"
#define ALL_NETNS SYSCTL_NF "nf_log_all_netns"

int nflog_table_read(struct ctadm *c, struct nflog_table *t)
{
	FILE *f = proc_open(NFLOG_TABLE);
	char line[512];
	unsigned lineno = 0;

	if (!f)
		return ctadm_fail(c, errno, "nflog: /proc/%s: %s (a kernel "
				  "without CONFIG_NETFILTER_NETLINK_LOG or nf_log?)",
				  NFLOG_TABLE, strerror(errno));
	t->n = 0;
	while (fgets(line, sizeof(line), f) && t->n < NFLOG_MAX_FAMILIES) {
		lineno++;
		if (nflog_line_parse(line, &t->fam[t->n]) < 0) {
			fclose(f);
			return ctadm_fail(c, EINVAL, "nflog: /proc/%s:%u: "
					  "unexpected line `%.*s'", NFLOG_TABLE,
					  lineno, (int)strcspn(line, "\n"), line);
		}
		t->n++;
	}
	fclose(f);
	return 0;
}

const struct nflog_family *nflog_table_find(const struct nflog_table *t,
					    int family)
{
	for (unsigned i = 0; i < t->n; i++)
		if (t->fam[i].family == family)
			return &t->fam[i];
	return NULL;
}

static void family_text(struct out *o, const struct nflog_family *f)
{
	const char *name = nflog_family_name(f->family);
	char fam[24];

	snprintf(fam, sizeof(fam), "%d %s", f->family, name ? name : "");
	out_str_pad(o, fam, 12);
	out_str_pad(o, strcmp(f->active, "NONE") ? f->active : "none", 16);
	for (unsigned i = 0; i < f->n_registered; i++) {
		if (i)
			out_char(o, ',');
		out_str(o, f->registered[i]);
	}
	out_char(o, '\n');
}

static void family_json(struct out *o, const struct nflog_family *f)
{
	const char *name = nflog_family_name(f->family);

	out_printf(o, "{\"family\":%d,\"name\":", f->family);
	if (name)
		out_printf(o, "\"%s\"", name);
	else
		out_str(o, "null");
	out_str(o, ",\"active\":");
	if (strcmp(f->active, "NONE"))
		out_printf(o, "\"%s\"", f->active);
	else
		out_str(o, "null");
	out_str(o, ",\"registered\":[");
	for (unsigned i = 0; i < f->n_registered; i++)
		out_printf(o, "%s\"%s\"", i ? "," : "", f->registered[i]);
	out_str(o, "]}");
}

/* nf_log_all_netns exists in the initial namespace only: -1 elsewhere. */
static int all_netns_get(void)
{
	unsigned v;

	return sysctl_read_uint(ALL_NETNS, &v) == 0 ? (int)v : -1;
}

void nflog_table_text(struct out *o, const struct nflog_table *t)
{
	out_str(o, "FAMILY      ACTIVE          REGISTERED\n");
	for (unsigned i = 0; i < t->n; i++)
		family_text(o, &t->fam[i]);
}

void nflog_table_json(struct out *o, const struct nflog_table *t)
{
	out_char(o, '[');
	for (unsigned i = 0; i < t->n; i++) {
		if (i)
			out_char(o, ',');
		family_json(o, &t->fam[i]);
	}
	out_char(o, ']');
}

static void nflog_show(struct ctadm *c, const struct nflog_table *t)
{
	int all = all_netns_get();

	if (c->fmt == &fmt_json) {
		out_str(c->out, "{\"schema\":1,\"families\":");
		nflog_table_json(c->out, t);
		out_str(c->out, ",\"nf_log_all_netns\":");
		if (all >= 0)
			out_printf(c->out, "%d}\n", all);
		else
			out_str(c->out, "null}\n");
		return;
	}
	nflog_table_text(c->out, t);
	if (all >= 0)
		out_printf(c->out, "nf_log_all_netns: %d\n", all);
}

/* nf_log_all_netns=1, with a word on what it does. */
static int all_netns_enable(struct ctadm *c)
{
	int ret = nf_all_netns_set(c, 1, NULL);

	if (ret < 0)
		return ctadm_fail_prefix(c, ret, "nflog: --all-netns-logging");
	fprintf(stderr, "%s: nf_log_all_netns=1 in the initial namespace: "
		"syslog backends of every namespace now log\n", CTADM_NAME);
	return 0;
}

static bool backend_is_syslog(const char *name)
{
	return strncmp(name, "nf_log_", 7) == 0;
}

/* The backends Linux has and the family each logs for (-1: every one). */
static const struct nflog_backend {
	const char *name;
	int family;
} nflog_backends[] = {
	{ "nf_log_ipv4", NFPROTO_IPV4 }, { "nf_log_ipv6", NFPROTO_IPV6 },
	{ "nf_log_arp", NFPROTO_ARP }, { "nf_log_bridge", NFPROTO_BRIDGE },
	{ "nf_log_netdev", NFPROTO_NETDEV }, { "nfnetlink_log", -1 },
};

static const struct nflog_backend *backend_find(const char *name)
{
	size_t n = sizeof(nflog_backends) / sizeof(nflog_backends[0]);

	for (size_t i = 0; i < n; i++)
		if (strcmp(name, nflog_backends[i].name) == 0)
			return &nflog_backends[i];
	return NULL;
}

/* The module registering b: Linux 5.12 merged the five syslog backends,
 * until then modules of their own name, into nf_log_syslog. */
static const char *backend_module(const struct nflog_backend *b)
{
	if (!backend_is_syslog(b->name))
		return b->name;
	return KERNEL_VERSION_AT_LEAST(5, 12) ? "nf_log_syslog" : b->name;
}

/* A backend family f can take once its module is loaded: usage errors
 * only, so that nothing is loaded for a wrong command line. */
static int backend_check(struct ctadm *c, const struct nflog_family *f,
			 const char *backend)
{
	const struct nflog_backend *b = backend_find(backend);

	if (!b)
		return ctadm_fail(c, CTADM_EUSAGE, "nflog: unknown backend `%s' "
				  "(nf_log_ipv4, nf_log_ipv6, ..., "
				  "nfnetlink_log or none)", backend);
	if (b->family >= 0 && b->family != f->family)
		return ctadm_fail(c, CTADM_EUSAGE, "nflog: `%s' is not "
				  "a backend of family %d", backend, f->family);
	return 0;
}

/* Load the module of a known backend that is not registered, and read
 * the table again (loggers are global: every namespace sees them). */
static int backend_load(struct ctadm *c, struct nflog_table *t, int family,
			const char *backend)
{
	const char *mod = backend_module(backend_find(backend));
	const struct nflog_family *f;
	int ret = module_load(c, mod);

	if (ret < 0)
		return ctadm_fail_prefix(c, ret, "nflog");
	ret = nflog_table_read(c, t);
	if (ret < 0)
		return ret;
	f = nflog_table_find(t, family);
	if (!f || !nflog_is_registered(f, backend))
		return ctadm_fail(c, ENOENT, "nflog: module %s is loaded but "
				  "backend `%s' is not registered for family %d",
				  mod, backend, family);
	return 0;
}

static int nflog_set(struct ctadm *c, struct nflog_table *t)
{
	int family = nflog_family_parse(c->args[0]);
	const char *backend = c->args[1];
	const struct nflog_family *f;
	int ret;

	if (family < 0 || !(f = nflog_table_find(t, family)))
		return ctadm_fail(c, CTADM_EUSAGE, "nflog: unknown family `%s' "
				  "(ipv4, ipv6, arp, bridge, netdev or a number)",
				  c->args[0]);
	if (strcmp(backend, "none") && !nflog_is_registered(f, backend)) {
		ret = backend_check(c, f, backend);
		if (ret == 0)
			ret = backend_load(c, t, family, backend);
		if (ret < 0)
			return ret;
	}
	ret = nf_backend_set(c, family, backend);
	if (ret < 0)
		return ctadm_fail_prefix(c, ret, "nflog");
	if (c->all_netns_logging && !netns_is_initial()) {
		ret = all_netns_enable(c);
		if (ret < 0)
			return ret;
	} else if (backend_is_syslog(backend) && !netns_is_initial()) {
		fprintf(stderr, "%s: warning: this is not the initial network "
			"namespace: %s logs nothing unless nf_log_all_netns=1 in "
			"the initial namespace (--all-netns-logging sets it)\n",
			CTADM_NAME, backend);
	}
	return nflog_table_read(c, t);
}

int nflog_run(struct ctadm *c)
{
	struct nflog_table t;
	int ret;

	if (c->nargs != 0 && c->nargs != 2)
		return ctadm_fail(c, CTADM_EUSAGE,
				  "nflog: takes no arguments, or FAMILY and "
				  "BACKEND (or none)");
	if (c->all_netns_logging && c->nargs != 2)
		return ctadm_fail(c, CTADM_EUSAGE, "nflog: --all-netns-logging "
				  "goes with FAMILY and BACKEND");
	ret = nflog_table_read(c, &t);
	if (ret == 0 && c->nargs == 2)
		ret = nflog_set(c, &t);
	if (ret < 0)
		return ret;
	nflog_show(c, &t);
	return out_flush(c->out);
}
