/* debug.c - ctadm debug on [PROTO...] | off | status: the whole recipe
 * for seeing why conntrack calls packets invalid, in one step, and its
 * undoing in one step.
 *
 * `on' saves the knobs it is about to change (nf_state.h) in a state file
 * keyed by the network namespace, then makes an nf_log backend active for
 * ipv4 and ipv6, turns on nf_conntrack_log_invalid and, with --dyndbg,
 * nf_conntrack's dynamic-debug sites; a failure half-way puts back what
 * it had changed.  `off' puts back what the first `on' saved. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/netfilter.h>

#include "ctadm.h"
#include "dyndbg.h"
#include "nf_state.h"
#include "paths.h"
#include "settings.h"
#include "settings_cmd.h"

#define NFLOG_TABLE "net/netfilter/nf_log"

static const int debug_families[2] = { NFPROTO_IPV4, NFPROTO_IPV6 };

/* The state file of the namespace, and what it holds. */
struct debug_state {
	char path[512];
	unsigned long long ino, cookie;
	bool on;                       /* a state file of this namespace */
	bool stale;                    /* one of a namespace gone since */
	struct nf_debug_state st;
};

/* What this `on' asks for and changes. */
struct debug_plan {
	unsigned n_protos;             /* 0: all */
	unsigned char proto[256];
	unsigned log_invalid;
	const char *set[2];            /* backend for ipv4, ipv6; NULL: active */
	bool all_netns_set;            /* nf_log_all_netns 0 -> 1 */
	int all_netns_was;
	bool unseen;                   /* syslog lines will not show */
	unsigned first_site;           /* saved sites from here are this run's */
};

/* "what: MESSAGE (why)" around the message a callee recorded. */
static int fail_wrap(struct ctadm *c, int ret, const char *what,
		     const char *why)
{
	char msg[sizeof(c->err)];

	snprintf(msg, sizeof(msg), "%s", c->err);
	/* A message cut at the end still says what failed first. */
	if (snprintf(c->err, sizeof(c->err), "%s: %s (%s)", what, msg,
		     why) < 0)
		c->err[0] = '\0';
	return ret;
}

/* ----- the state file ------------------------------------------------ */

static int debug_state_open(struct ctadm *c, struct debug_state *ds)
{
	int ret;

	memset(ds, 0, sizeof(*ds));
	ret = netns_id_read(c, &ds->ino, &ds->cookie);
	if (ret < 0)
		return ctadm_fail_prefix(c, ret, "debug");
	nf_debug_state_path(ds->path, sizeof(ds->path), ds->ino);
	ret = nf_debug_state_load(c, ds->path, &ds->st);
	if (ret < 0)
		return fail_wrap(c, ret, "debug", "fix or remove the file; "
				 "removing it loses the values debug on saved");
	ds->on = ret == 0;
	if (ds->on && (ds->st.netns != ds->ino ||
		       (ds->st.cookie && ds->cookie &&
			ds->st.cookie != ds->cookie))) {
		fprintf(stderr, "%s: note: %s was left by a namespace that no "
			"longer exists: ignored\n", CTADM_NAME, ds->path);
		ds->on = false;
		ds->stale = true;
	}
	return 0;
}

static void time_text(long long t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm) ||
	    !strftime(buf, len, "%Y-%m-%d %H:%M:%S %z", &tm))
		snprintf(buf, len, "@%lld", t);
}

/* ----- output -------------------------------------------------------- */

static void protos_out(struct ctadm *c, const struct nf_debug_state *st)
{
	bool json = c->fmt == &fmt_json;

	if (st->n_protos == 0)
		out_str(c->out, json ? "[\"all\"]" : "all");
	for (unsigned i = 0; i < st->n_protos; i++) {
		const char *name = log_invalid_meaning(st->proto[i]);
		const char *sep = i ? (json ? "," : ", ") : (json ? "[" : "");

		if (name)
			out_printf(c->out, json ? "%s\"%s\"" : "%s%s", sep, name);
		else
			out_printf(c->out, json ? "%s\"%u\"" : "%s%u", sep,
				   st->proto[i]);
	}
	if (json && st->n_protos)
		out_char(c->out, ']');
}

static void backend_json(struct out *o, const char *name)
{
	if (strcmp(name, "NONE"))
		out_printf(o, "\"%s\"", name);
	else
		out_str(o, "null");
}

static void nf_log_out(struct ctadm *c, const struct nf_state *s)
{
	if (c->fmt == &fmt_json) {
		out_str(c->out, "{\"ipv4\":");
		backend_json(c->out, s->backend_ipv4);
		out_str(c->out, ",\"ipv6\":");
		backend_json(c->out, s->backend_ipv6);
		out_char(c->out, '}');
		return;
	}
	out_printf(c->out, "ipv4 %s, ipv6 %s",
		   strcmp(s->backend_ipv4, "NONE") ? s->backend_ipv4 : "none",
		   strcmp(s->backend_ipv6, "NONE") ? s->backend_ipv6 : "none");
}

static void int_json(struct out *o, int v)
{
	if (v >= 0)
		out_printf(o, "%d", v);
	else
		out_str(o, "null");
}

/* What `off' puts back (or has put back). */
static void saved_out(struct ctadm *c, const struct nf_state *s)
{
	if (c->fmt == &fmt_json) {
		out_printf(c->out, "{\"log_invalid\":%u,\"nf_log\":",
			   s->log_invalid);
		nf_log_out(c, s);
		out_str(c->out, ",\"nf_log_all_netns\":");
		int_json(c->out, s->all_netns);
		out_printf(c->out, ",\"dyndbg_sites\":%u}", s->n_sites);
		return;
	}
	out_printf(c->out, "log_invalid %u, ", s->log_invalid);
	nf_log_out(c, s);
	if (s->all_netns >= 0)
		out_printf(c->out, ", nf_log_all_netns %d", s->all_netns);
	if (s->n_sites)
		out_printf(c->out, ", %u dynamic-debug sites", s->n_sites);
}

/* Where the lines go, the command that shows them and another one. */
static void where_get(const char *backend, const char **place,
		      const char **cmd, const char **also)
{
	if (strcmp(backend, "nflog") == 0) {
		/* Packets logged without an NFLOG rule of their own, as
		 * conntrack's are, go to group 0 (nfnetlink_log's
		 * default_loginfo), in the packet's namespace. */
		*place = "NFLOG group 0";
		*cmd = "tcpdump -i nflog:0";
		*also = "ctadm watch-invalid";
	} else {
		*place = "kernel log";
		*cmd = "journalctl -k -f";
		*also = "dmesg -w";
	}
}

/* nf_log_all_netns now, -1 when out of reach (another namespace
 * without --netns). */
static int all_netns_now(struct ctadm *c)
{
	int v;

	if (!netns_is_initial() && c->home_netns < 0)
		return -1;
	return nf_all_netns_get(c, &v) == 0 ? v : -1;
}

static void log_invalid_text(struct ctadm *c, unsigned v)
{
	const char *m = log_invalid_meaning(v);

	if (m)
		out_printf(c->out, "log_invalid: %u (%s)\n", v, m);
	else
		out_printf(c->out, "log_invalid: %u (protocol %u)\n", v, v);
}

static void on_text(struct ctadm *c, const struct debug_state *ds,
		    const struct nf_state *cur)
{
	const struct nf_debug_state *st = &ds->st;
	const char *place, *cmd, *also;
	int all = all_netns_now(c);
	char since[64];

	where_get(st->backend, &place, &cmd, &also);
	time_text(st->since, since, sizeof(since));
	out_printf(c->out, "debug: on since %s\nprotocols: ", since);
	protos_out(c, st);
	out_char(c->out, '\n');
	log_invalid_text(c, cur->log_invalid);
	out_printf(c->out, "backend: %s (", st->backend);
	nf_log_out(c, cur);
	out_str(c->out, ")\n");
	if (all >= 0)
		out_printf(c->out, "nf_log_all_netns: %d\n", all);
	if (st->dyndbg)
		out_printf(c->out, "dyndbg: %u sites enabled\n",
			   st->saved.n_sites);
	out_printf(c->out, "messages: %s: %s (or %s)\nsaved: ", place, cmd,
		   also);
	saved_out(c, &st->saved);
	out_printf(c->out, "\nstate: %s\nundo: ctadm%s%s debug off\n",
		   ds->path, c->netns ? " --netns " : "",
		   c->netns ? c->netns : "");
}

static void on_json(struct ctadm *c, const struct debug_state *ds,
		    const struct nf_state *cur)
{
	const struct nf_debug_state *st = &ds->st;
	const char *place, *cmd, *also;

	where_get(st->backend, &place, &cmd, &also);
	out_printf(c->out, "{\"schema\":1,\"on\":true,\"since\":%lld,"
		   "\"protocols\":", st->since);
	protos_out(c, st);
	out_printf(c->out, ",\"log_invalid\":%u,\"backend\":\"%s\","
		   "\"nf_log\":", cur->log_invalid, st->backend);
	nf_log_out(c, cur);
	out_str(c->out, ",\"nf_log_all_netns\":");
	int_json(c->out, all_netns_now(c));
	out_printf(c->out, ",\"dyndbg\":%s,\"dyndbg_sites\":%u,"
		   "\"messages\":\"%s\",\"command\":\"%s\",\"also\":\"%s\","
		   "\"saved\":", st->dyndbg ? "true" : "false",
		   st->saved.n_sites, place, cmd, also);
	saved_out(c, &st->saved);
	out_str(c->out, ",\"state_file\":\"");
	out_json_escaped(c->out, ds->path);
	out_str(c->out, "\"}\n");
}

/* The state and the knobs as they are now: debug on and debug status. */
static int on_show(struct ctadm *c, const struct debug_state *ds)
{
	struct nf_state cur;
	int ret = nf_state_read(c, &cur);

	if (ret < 0)
		return ctadm_fail_prefix(c, ret, "debug");
	if (c->fmt == &fmt_json)
		on_json(c, ds, &cur);
	else
		on_text(c, ds, &cur);
	return out_flush(c->out);
}

/* ----- on ------------------------------------------------------------ */

/* nf_conntrack_log_invalid takes one protocol number, or 255 for all. */
static int protos_parse(struct ctadm *c, struct debug_plan *p)
{
	bool all = c->nargs == 1;

	for (int i = 1; i < c->nargs; i++) {
		int v = log_invalid_parse(c->args[i]);
		unsigned j = 0;

		if (v <= 0)
			return ctadm_fail(c, CTADM_EUSAGE, "debug on: `%s' is "
					  "not a protocol (a name, a number "
					  "from 1 to 255, or all)", c->args[i]);
		all |= v == 255;
		while (j < p->n_protos && p->proto[j] != v)
			j++;
		if (j == p->n_protos)
			p->proto[p->n_protos++] = (unsigned char)v;
	}
	if (all)
		p->n_protos = 0;
	p->log_invalid = p->n_protos == 1 ? p->proto[0] : 255;
	if (p->n_protos > 1)
		fprintf(stderr, "%s: note: nf_conntrack_log_invalid takes one "
			"protocol: logging the invalid packets of all (255)\n",
			CTADM_NAME);
	return 0;
}

static bool backend_is_kind(const char *active, const char *kind)
{
	if (strcmp(kind, "nflog") == 0)
		return strcmp(active, "nfnetlink_log") == 0;
	return strncmp(active, "nf_log_", 7) == 0;
}

static int backend_plan(struct ctadm *c, const struct nflog_family *f,
			const char *kind, const char **set)
{
	const char *want = strcmp(kind, "nflog") == 0 ? "nfnetlink_log" :
		f->family == NFPROTO_IPV4 ? "nf_log_ipv4" : "nf_log_ipv6";

	*set = NULL;
	if (backend_is_kind(f->active, kind))
		return 0;
	if (!nflog_is_registered(f, want))
		return ctadm_fail(c, ENOENT, "backend `%s' is not registered "
				  "for family %d; its module (nf_log_syslog on "
				  "5.12+, nfnetlink_log) is not loaded", want,
				  f->family);
	*set = want;
	return 0;
}

/* The backend each of ipv4 and ipv6 needs, from the nf_log table. */
static int backends_plan(struct ctadm *c, const char *kind,
			 struct debug_plan *p)
{
	struct nflog_table t;
	int ret = nflog_table_read(c, &t);

	for (unsigned i = 0; ret == 0 && i < 2; i++) {
		const struct nflog_family *f =
			nflog_table_find(&t, debug_families[i]);

		if (!f)
			return ctadm_fail(c, ENOENT, "/proc/%s lists no %s",
					  NFLOG_TABLE,
					  nflog_family_name(debug_families[i]));
		ret = backend_plan(c, f, kind, &p->set[i]);
	}
	return ret;
}

/* Syslog backends print for a namespace other than the initial one
 * only while nf_log_all_netns=1 there (nf_log_syslog.c). */
static int all_netns_plan(struct ctadm *c, const struct nf_debug_state *st,
			  struct debug_plan *p)
{
	int v, ret;

	if (strcmp(st->backend, "syslog") || netns_is_initial())
		return 0;
	if (c->home_netns < 0) {
		/* unless an earlier `on' set it */
		p->unseen = st->saved.all_netns < 0;
		return 0;
	}
	ret = nf_all_netns_get(c, &v);
	if (ret == -ESRCH) {   /* started in another non-initial one */
		p->unseen = true;
		return 0;
	}
	if (ret < 0)
		return ret;
	p->all_netns_was = v;
	p->all_netns_set = v == 0;
	return 0;
}

static int site_collect(const struct dyndbg_site *site, void *arg)
{
	struct nf_state *s = arg;
	struct nf_state_site *to = &s->site[s->n_sites];

	if (strchr(site->flags, 'p'))
		return 0;      /* printing already: nothing to undo */
	for (unsigned i = 0; i < s->n_sites; i++)
		if (s->site[i].line == site->line &&
		    strcmp(s->site[i].file, site->file) == 0)
			return 0;      /* the first `on' saved it */
	if (s->n_sites == NF_STATE_SITES_MAX)
		return -E2BIG;
	snprintf(to->file, sizeof(to->file), "%s", site->file);
	to->line = site->line;
	snprintf(to->flags, sizeof(to->flags), "%s", site->flags);
	s->n_sites++;
	return 0;
}

/* Save each site's flags in the state file first, then set +p. */
static int dyndbg_enable(struct ctadm *c, struct debug_state *ds,
			 const struct debug_plan *p)
{
	struct nf_state *s = &ds->st.saved;
	char path[512];
	int ret = dyndbg_control_find(c, c->word.mount_debugfs, path,
				      sizeof(path));

	if (ret == 0)
		ret = dyndbg_sites_each(c, path, site_collect, s);
	if (ret == -E2BIG)
		return ctadm_fail(c, E2BIG, "more than %d nf_conntrack "
				  "dynamic-debug sites", NF_STATE_SITES_MAX);
	if (ret == 0 && s->n_sites > p->first_site)
		ret = nf_debug_state_save(c, ds->path, &ds->st);
	for (unsigned i = p->first_site; ret == 0 && i < s->n_sites; i++) {
		struct dyndbg_site site = { .line = s->site[i].line };

		snprintf(site.file, sizeof(site.file), "%s", s->site[i].file);
		ret = dyndbg_site_set(c, path, &site, "+p");
	}
	return ret;
}

/* The global switch first, the namespace's logging last: nothing is
 * logged until everything it needs is in place. */
static int debug_apply(struct ctadm *c, struct debug_state *ds,
		       const struct debug_plan *p)
{
	int ret = 0;

	if (p->all_netns_set)
		ret = nf_all_netns_set(c, 1, NULL);
	for (unsigned i = 0; ret == 0 && i < 2; i++)
		if (p->set[i])
			ret = nf_backend_set(c, debug_families[i], p->set[i]);
	if (ret == 0)
		ret = nf_log_invalid_set(c, p->log_invalid);
	if (ret == 0 && c->word.dyndbg) {
		ret = dyndbg_enable(c, ds, p);
		if (ret < 0)
			ctadm_fail_prefix(c, ret, "--dyndbg");
	}
	return ret;
}

/* Put back what this `on' changed, and the state file as it was. */
static int debug_rollback(struct ctadm *c, const struct debug_state *ds,
			  const struct debug_plan *p, const struct nf_state *cur,
			  const struct debug_state *before, int ret)
{
	char msg[sizeof(c->err)];
	struct nf_state undo = *cur;
	int r;

	snprintf(msg, sizeof(msg), "%s", c->err);
	undo.all_netns = p->all_netns_set ? p->all_netns_was : -1;
	for (unsigned i = p->first_site; i < ds->st.saved.n_sites; i++)
		undo.site[undo.n_sites++] = ds->st.saved.site[i];
	r = nf_state_restore(c, &undo);
	if (r == 0 && before->on)
		r = nf_debug_state_save(c, ds->path, &before->st);
	else if (r == 0 && unlink(ds->path) < 0)
		r = ctadm_fail(c, errno, "removing %s: %s", ds->path,
			       strerror(errno));
	if (r < 0)
		fprintf(stderr, "%s: warning: rolling back debug on: %s\n",
			CTADM_NAME, c->err);
	if (snprintf(c->err, sizeof(c->err), "debug on: %s%s", msg,
		     r < 0 ? "" : " (rolled back: nothing changed)") < 0)
		c->err[0] = '\0';
	return ret;
}

static void on_notes(const struct debug_state *before,
		     const struct debug_plan *p)
{
	char since[64];

	if (before->on) {
		time_text(before->st.since, since, sizeof(since));
		fprintf(stderr, "%s: note: debug was on already (since %s): "
			"debug off puts back what was saved then\n",
			CTADM_NAME, since);
	}
	if (p->unseen)
		fprintf(stderr, "%s: warning: this is not the initial network "
			"namespace: the kernel log shows nothing from it unless "
			"nf_log_all_netns=1 in the initial namespace (run `ctadm "
			"--netns NAME debug on' from there to set it)\n",
			CTADM_NAME);
}

/* The state this `on' leaves: the first `on''s since and saved values,
 * this one's request; and what must change for it. */
static int on_prepare(struct ctadm *c, struct debug_state *ds,
		      const struct nf_state *cur, struct debug_plan *p)
{
	struct nf_debug_state *st = &ds->st;
	int ret;

	if (!ds->on) {
		memset(st, 0, sizeof(*st));
		st->saved = *cur;
		st->since = (long long)time(NULL);
	}
	st->netns = ds->ino;
	st->cookie = ds->cookie;
	st->dyndbg |= c->word.dyndbg;
	snprintf(st->backend, sizeof(st->backend), "%s",
		 c->word.backend ? c->word.backend : "syslog");
	st->n_protos = p->n_protos;
	memcpy(st->proto, p->proto, sizeof(st->proto));
	p->first_site = st->saved.n_sites;
	ret = backends_plan(c, st->backend, p);
	if (ret == 0)
		ret = all_netns_plan(c, st, p);
	if (ret == 0 && p->all_netns_set && st->saved.all_netns < 0)
		st->saved.all_netns = p->all_netns_was;
	return ret;
}

static int debug_on(struct ctadm *c)
{
	struct debug_state ds, before;
	struct debug_plan p = { 0 };
	struct nf_state cur;
	int ret;

	if (c->word.mount_debugfs && !c->word.dyndbg)
		return ctadm_fail(c, CTADM_EUSAGE, "debug on: --mount-debugfs "
				  "goes with --dyndbg");
	ret = protos_parse(c, &p);
	if (ret == 0)
		ret = debug_state_open(c, &before);
	if (ret < 0)
		return ret;
	ds = before;
	ret = nf_state_read(c, &cur);
	if (ret == 0)
		ret = on_prepare(c, &ds, &cur, &p);
	/* Saved before anything changes: whatever happens next,
	 * debug off knows what to put back. */
	if (ret == 0)
		ret = nf_debug_state_save(c, ds.path, &ds.st);
	if (ret < 0)
		return ctadm_fail_prefix(c, ret, "debug on");
	ret = debug_apply(c, &ds, &p);
	if (ret < 0)
		return debug_rollback(c, &ds, &p, &cur, &before, ret);
	on_notes(&before, &p);
	return on_show(c, &ds);
}

/* ----- off and status ------------------------------------------------ */

static void off_show(struct ctadm *c, const struct debug_state *ds)
{
	char since[64];

	if (c->fmt == &fmt_json) {
		if (!ds->on) {
			out_str(c->out, "{\"schema\":1,\"on\":false,"
				"\"since\":null,\"restored\":null}\n");
			return;
		}
		out_printf(c->out, "{\"schema\":1,\"on\":false,\"since\":%lld,"
			   "\"restored\":", ds->st.since);
		saved_out(c, &ds->st.saved);
		out_str(c->out, "}\n");
		return;
	}
	if (!ds->on) {
		out_str(c->out, "debug: off already: nothing to undo\n");
		return;
	}
	time_text(ds->st.since, since, sizeof(since));
	out_printf(c->out, "debug: off (on since %s)\nrestored: ", since);
	saved_out(c, &ds->st.saved);
	out_char(c->out, '\n');
}

static int debug_off(struct ctadm *c)
{
	struct debug_state ds;
	int ret = debug_state_open(c, &ds);

	if (ret < 0)
		return ret;
	if (ds.on && ds.st.saved.all_netns >= 0 && !netns_is_initial() &&
	    c->home_netns < 0)
		return ctadm_fail(c, ESRCH, "debug off: debug on set "
				  "nf_log_all_netns in the initial namespace: "
				  "run `ctadm --netns NAME debug off' from there "
				  "to put it back too");
	if (ds.on) {
		ret = nf_state_restore(c, &ds.st.saved);
		if (ret < 0)
			return fail_wrap(c, ret, "debug off", "the state file "
					 "is kept: debug off again puts back "
					 "the rest");
	}
	if ((ds.on || ds.stale) && unlink(ds.path) < 0)
		return ctadm_fail(c, errno, "debug off: removing %s: %s",
				  ds.path, strerror(errno));
	off_show(c, &ds);
	return out_flush(c->out);
}

static int debug_status(struct ctadm *c)
{
	struct debug_state ds;
	struct nf_state cur;
	int ret = debug_state_open(c, &ds);

	if (ret < 0)
		return ret;
	if (ds.on)
		return on_show(c, &ds);
	ret = nf_state_read(c, &cur);
	if (ret < 0)
		return ctadm_fail_prefix(c, ret, "debug status");
	if (c->fmt == &fmt_json) {
		out_printf(c->out, "{\"schema\":1,\"on\":false,"
			   "\"log_invalid\":%u,\"nf_log\":", cur.log_invalid);
		nf_log_out(c, &cur);
		out_str(c->out, ",\"nf_log_all_netns\":");
		int_json(c->out, all_netns_now(c));
		out_str(c->out, "}\n");
	} else {
		out_str(c->out, "debug: off\n");
		log_invalid_text(c, cur.log_invalid);
		out_str(c->out, "nf_log: ");
		nf_log_out(c, &cur);
		out_char(c->out, '\n');
	}
	return out_flush(c->out);
}

int debug_run(struct ctadm *c)
{
	const char *verb = c->nargs ? c->args[0] : "";

	if (c->nargs == 0)
		return ctadm_fail(c, CTADM_EUSAGE, "debug: on [PROTO...], off "
				  "or status?");
	if (strcmp(verb, "on") == 0)
		return debug_on(c);
	if (strcmp(verb, "off") && strcmp(verb, "status"))
		return ctadm_fail(c, CTADM_EUSAGE, "debug: `%s' is not on, off "
				  "or status", verb);
	if (c->nargs > 1)
		return ctadm_fail(c, CTADM_EUSAGE, "debug %s: takes no "
				  "arguments (`%s')", verb, c->args[1]);
	if (c->word.backend || c->word.dyndbg || c->word.mount_debugfs)
		return ctadm_fail(c, CTADM_EUSAGE, "debug %s: --backend, "
				  "--dyndbg and --mount-debugfs go with debug on",
				  verb);
	return strcmp(verb, "off") == 0 ? debug_off(c) : debug_status(c);
}
