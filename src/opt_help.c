/* opt_help.c - --help and the completion data, both read off the command
 * and option tables so that they cannot drift from what the parser
 * accepts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctadm.h"
#include "dyndbg.h"
#include "opt_parse.h"
#include "settings.h"

static void help_commands(struct out *o)
{
	out_str(o, "Commands:\n");
	for (const struct cmd_def *d = cmd_defs; d->long_name; d++) {
		if (d->short_name)
			out_printf(o, "  -%c, --%-10s %-20s %s\n",
				   d->short_name, d->long_name, d->usage,
				   d->help);
		else
			out_printf(o, "  %-16s %-20s %s\n", d->long_name,
				   d->usage, d->help);
	}
	out_str(o, "\nTables: conntrack, expect, dying, unconfirmed "
		   "(any prefix)\n");
}

static void help_option(struct out *o, const struct opt_def *d)
{
	char names[64];

	if (d->short_name)
		snprintf(names, sizeof(names), "-%c, --%s", d->short_name,
			 d->name);
	else
		snprintf(names, sizeof(names), "    --%s", d->name);
	out_printf(o, "  %-22s %-15s %s\n", names, d->argname ? d->argname : "",
		   d->help);
}

static void help_options(struct out *o, uint32_t protos)
{
	for (const struct opt_def *d = opt_defs; d->name; d++) {
		if (!d->help)
			continue;
		if (protos ? (d->protos & protos) : !d->protos)
			help_option(o, d);
	}
}

int opt_help(struct ctadm *c)
{
	struct out *o = c->out;

	out_str(o, "ctadm v" PACKAGE_VERSION
		   ": administer and troubleshoot the connection tracker\n"
		   "Usage: ctadm [command] [table] [options]\n\n");
	help_commands(o);
	out_str(o, "\nOptions:\n");
	help_options(o, 0);
	if (c->proto) {
		out_printf(o, "\nOptions of -p %s:\n", c->proto->name);
		help_options(o, c->proto->kind);
	} else {
		out_str(o, "\nProtocol options: see ctadm -h -p PROTO\n");
	}
	out_str(o, "\nSee ctadm(8) for the output formats and examples.\n");
	return out_flush(o);
}

/* The command a completion names, as "-D", "--delete" or a word command
 * ("nflog"); NULL if none. */
static const struct cmd_def *complete_cmd(const char *word)
{
	if (!word || !word[0])
		return NULL;
	for (const struct cmd_def *d = cmd_defs; d->long_name; d++) {
		if (!d->short_name) {
			if (strcmp(word, d->long_name) == 0)
				return d;
		} else if (word[0] == '-' &&
			   ((word[1] == d->short_name && !word[2]) ||
			    (word[1] == '-' &&
			     strcmp(word + 2, d->long_name) == 0))) {
			return d;
		}
	}
	return NULL;
}

/* The CB_* bit of command word cmd on table, which may be abbreviated as
 * on the command line (any prefix of "expect" is the expect table); every
 * bit when no command is named, so that all options are offered. */
static uint32_t complete_cmd_bit(const char *cmd, const char *table)
{
	const struct cmd_def *d = complete_cmd(cmd);

	if (!d)
		return ~0u;
	if (d->exp_bit && table && *table &&
	    strncmp("expect", table, strlen(table)) == 0)
		return d->exp_bit;
	return d->bit;
}

static void complete_options(struct out *o, uint32_t protos, uint32_t cmds)
{
	for (const struct opt_def *d = opt_defs; d->name; d++)
		if ((protos ? (d->protos & protos) : !d->protos) &&
		    (d->cmds & cmds))
			out_printf(o, "--%s\n", d->name);
}

/* The tables command word cmd takes (all of them without a command). */
static void complete_tables(struct out *o, const char *cmd)
{
	const struct cmd_def *d = complete_cmd(cmd);

	for (unsigned t = TABLE_CONNTRACK; t <= TABLE_UNCONFIRMED; t++)
		if (!d || (d->tables & (1u << t)))
			out_printf(o, "%s\n", table_name(t));
}

/* What follows a command word: a table when it has a choice of them, a
 * FILE (-R), or nothing. */
static const char *cmd_class(const struct cmd_def *d)
{
	if (d->takes_file)
		return "file";
	return d->tables & (d->tables - 1) ? "tables" : "noarg";
}

static void complete_class(struct out *o, const char *word)
{
	const struct cmd_def *cmd = complete_cmd(word);

	if (cmd) {
		out_printf(o, "%s\n", cmd_class(cmd));
		return;
	}
	for (const struct opt_def *d = opt_defs; d->name; d++)
		if (strcmp(d->name, word + strspn(word, "-")) == 0 ||
		    (d->short_name && word[0] == '-' &&
		     word[1] == d->short_name && !word[2]))
			out_printf(o, "%s\n",
				   d->arg == ARG_NONE ? "noarg"
				   : d->complete      ? d->complete
						      : "none");
}

static void complete_states(struct out *o, uint32_t kinds)
{
	for (unsigned k = PK_TCP; k <= PK_DCCP; k <<= 1) {
		if (!(kinds & k & PK_STATES))
			continue;
		for (unsigned i = 0; state_name_at(k, i); i++)
			out_printf(o, "%s\n", state_name_at(k, i));
	}
}

static uint32_t proto_kinds(const char *name)
{
	for (const struct proto_def *p = proto_defs; p->name; p++)
		if (!name || strcmp(p->name, name) == 0)
			return name ? p->kind : ~0u;
	return 0;
}

#define COMPLETE_WORDS 9  /* the most words a class has */

static const char *const complete_words[][COMPLETE_WORDS + 1] = {
	{ "families", "ipv4", "ipv6" },
	{ "status", "ASSURED", "SEEN_REPLY", "UNREPLIED", "FIXED_TIMEOUT",
	  "EXPECTED", "OFFLOAD", "HW_OFFLOAD", "UNSET" },
	{ "outputs", "extended", "xml", "save", "json", "id", "ktimestamp",
	  "labels", "timestamp", "userspace" },
	{ "events", "ALL", "NEW", "UPDATES", "DESTROY" },
	/* The families with a syslog backend of their own, nf_log_NAME. */
	{ "nflog-families", "ipv4", "ipv6", "arp", "bridge", "netdev" },
	{ "backends", "syslog", "nflog" },
};

static const char *const *complete_words_of(const char *what)
{
	for (size_t i = 0; i < sizeof(complete_words) / sizeof(complete_words[0]);
	     i++)
		if (strcmp(complete_words[i][0], what) == 0)
			return complete_words[i] + 1;
	return NULL;
}

static bool complete_list(struct out *o, const char *what)
{
	const char *const *w = complete_words_of(what);

	if (!w)
		return false;
	for (int i = 0; i < COMPLETE_WORDS && w[i]; i++)
		out_printf(o, "%s\n", w[i]);
	return true;
}

/* The backends nflog can set for a family: its syslog backend,
 * nfnetlink_log and none, registered or not (their modules may not be
 * loaded yet); for a family not known, every backend. */
static void complete_backends(struct out *o, const char *family)
{
	int f = nflog_family_parse(family);
	const char *name = f >= 0 ? nflog_family_name(f) : NULL;
	const char *const *w = complete_words_of("nflog-families");

	for (int i = 0; i < COMPLETE_WORDS && w[i]; i++)
		if (f < 0 || (name && strcmp(name, w[i]) == 0))
			out_printf(o, "nf_log_%s\n", w[i]);
	out_str(o, "nfnetlink_log\nnone\n");
}

struct dyndbg_words {
	struct out *o;
	char what;             /* 'u' func NAME, 'i' file FILE, 0 FILE:LINE */
	char last[192];
};

/* A word a site, not twice in a row (a function's sites are together). */
static int complete_dyndbg_site(const struct dyndbg_site *s, void *arg)
{
	struct dyndbg_words *w = arg;
	char word[sizeof(w->last)];

	if (w->what)
		snprintf(word, sizeof(word), "%s",
			 w->what == 'u' ? s->func : s->file);
	else
		snprintf(word, sizeof(word), "%s:%u", s->file, s->line);
	if (strcmp(word, w->last))
		out_printf(w->o, "%s\n", word);
	snprintf(w->last, sizeof(w->last), "%s", word);
	return 0;
}

/* dyndbg's subcommands; after enable or disable, the SITE words: all,
 * func, file and the live control file's nf_conntrack sites (FILE:LINE),
 * or after func or file, its functions or files. */
static void complete_dyndbg(struct out *o, int nargs, char **args)
{
	struct dyndbg_words w = { .o = o };
	struct ctadm *c;
	char path[512];

	if (nargs == 0)
		out_str(o, "list\nenable\ndisable\n");
	if (nargs == 0 || (strcmp(args[0], "enable") &&
			   strcmp(args[0], "disable")))
		return;
	for (int i = 1; i < nargs; i++) {
		bool kw = strcmp(args[i], "func") == 0 ||
			  strcmp(args[i], "file") == 0;

		w.what = kw && i + 1 == nargs ? args[i][1] : 0;
		i += kw;       /* and its NAME */
	}
	if (!w.what)
		out_str(o, "all\nfunc\nfile\n");
	c = calloc(1, sizeof(*c));
	if (c && dyndbg_control_find(c, false, path, sizeof(path)) == 0)
		dyndbg_sites_each(c, path, complete_dyndbg_site, &w);
	free(c);
}

static bool word_given(const char *w, int nargs, char **args)
{
	for (int i = 0; i < nargs; i++)
		if (strcmp(args[i], w) == 0)
			return true;
	return false;
}

/* The PROTO... of debug on and watch-invalid: protocol names and all,
 * those not given yet; nothing once all is given. */
static void complete_protos(struct out *o, int nargs, char **args)
{
	if (word_given("all", nargs, args))
		return;
	for (const struct proto_def *p = proto_defs; p->name; p++)
		if (!word_given(p->name, nargs, args))
			out_printf(o, "%s\n", p->name);
	out_str(o, "all\n");
}

/* What may follow the arguments already given to a word command:
 * log-invalid PROTO|all|off, nflog FAMILY BACKEND|none, dyndbg's
 * subcommands and the live control file's sites, debug on|off|status
 * and debug on's PROTO..., watch-invalid's PROTO... */
static void complete_args(struct out *o, const char *word, int nargs,
			  char **args)
{
	const struct cmd_def *d = complete_cmd(word);

	if (!d || d->short_name)
		return;
	if (d->bit == CB_LOG_INVALID && nargs == 0) {
		for (const struct proto_def *p = proto_defs; p->name; p++)
			out_printf(o, "%s\n", p->name);
		out_str(o, "all\noff\n");
	} else if (d->bit == CB_NFLOG && nargs == 0) {
		complete_list(o, "nflog-families");
	} else if (d->bit == CB_NFLOG && nargs == 1) {
		complete_backends(o, args[0]);
	} else if (d->bit == CB_DYNDBG) {
		complete_dyndbg(o, nargs, args);
	} else if (d->bit == CB_DEBUG && nargs == 0) {
		out_str(o, "on\noff\nstatus\n");
	} else if (d->bit == CB_DEBUG && strcmp(args[0], "on") == 0) {
		complete_protos(o, nargs - 1, args + 1);
	} else if (d->bit == CB_WATCH_INVALID) {
		complete_protos(o, nargs, args);
	}
}

/* `ctadm __complete WHAT [ARG...]`: one word a line for the bash
 * completion.  "options [CMD [TABLE]]" and "proto-options PROTO [CMD
 * [TABLE]]" list the options legal with that command, "tables [CMD]" the
 * tables it takes; "option-class WORD" names the completion class of an
 * option's value, or of what follows a command; "args CMD [ARG...]" the
 * next argument of a word command; "outputs [CMD]" the -o words. */
int opt_complete(struct ctadm *c, int argc, char **argv)
{
	struct out *o = c->out;
	const char *what = argc > 0 ? argv[0] : "";
	const char *arg = argc > 1 ? argv[1] : NULL;
	const char *arg2 = argc > 2 ? argv[2] : NULL;
	const char *arg3 = argc > 3 ? argv[3] : NULL;

	if (strcmp(what, "commands") == 0) {
		for (const struct cmd_def *d = cmd_defs; d->long_name; d++)
			if (d->short_name)
				out_printf(o, "-%c\n--%s\n", d->short_name,
					   d->long_name);
			else
				out_printf(o, "%s\n", d->long_name);
	} else if (strcmp(what, "options") == 0) {
		complete_options(o, 0, complete_cmd_bit(arg, arg2));
	} else if (strcmp(what, "proto-options") == 0) {
		complete_options(o, proto_kinds(arg),
				 complete_cmd_bit(arg2, arg3));
	} else if (strcmp(what, "tables") == 0) {
		complete_tables(o, arg);
	} else if (strcmp(what, "protocols") == 0) {
		for (const struct proto_def *p = proto_defs; p->name; p++)
			out_printf(o, "%s\n", p->name);
	} else if (strcmp(what, "states") == 0) {
		complete_states(o, arg ? proto_kinds(arg) : PK_STATES);
	} else if (strcmp(what, "option-class") == 0 && arg) {
		complete_class(o, arg);
	} else if (strcmp(what, "args") == 0 && arg) {
		complete_args(o, arg, argc - 2, argv + 2);
	} else if (strcmp(what, "outputs") == 0 && complete_cmd(arg) &&
		   !complete_cmd(arg)->short_name) {
		out_str(o, "text\njson\n");  /* the word commands' formats */
		if (complete_cmd(arg)->bit == CB_DIAGNOSE)
			out_str(o, "prometheus\n");
	} else if (!complete_list(o, what)) {
		return ctadm_fail(c, CTADM_EUSAGE,
				  "__complete: unknown word class `%s'", what);
	}
	return out_flush(o);
}
