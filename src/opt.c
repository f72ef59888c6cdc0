/* opt.c - conntrack-compatible command-line parsing, driven by the rows
 * of opt_table.c.
 *
 * Parsing runs in three steps: getopt collects (row, argument) pairs, the
 * pairs are checked against the command and the protocol, and only then
 * are they applied, so that per-protocol options may come before -p and a
 * usage error is found before anything touches the kernel.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ctadm.h"
#include "opt_parse.h"

_Static_assert(O_COUNT_ <= 64, "struct ctadm.seen holds one bit per option");

#define LONG_ONLY_BASE 256
#define MAX_LONGOPTS 128

struct opt_use {
	const struct opt_def *def;
	const char *arg;
};

struct opt_state {
	struct opt_use use[256];
	unsigned n;
	const char *table;
};

/* -R parses every line of its file twice: options are found by their
 * character in tables built once, not by a walk of the rows. */
static const struct cmd_def *cmd_short[128];
static const struct opt_def *opt_short[128];

static void short_index_build(void)
{
	static bool built;

	if (built)
		return;
	for (const struct cmd_def *d = cmd_defs; d->long_name; d++)
		if (d->short_name && !cmd_short[(unsigned char)d->short_name])
			cmd_short[(unsigned char)d->short_name] = d;
	for (const struct opt_def *o = opt_defs; o->name; o++)
		if (o->short_name && !opt_short[(unsigned char)o->short_name])
			opt_short[(unsigned char)o->short_name] = o;
	built = true;
}

static const struct cmd_def *cmd_by_short(int ch)
{
	short_index_build();
	return ch > 0 && ch < 128 ? cmd_short[ch] : NULL;
}

static const struct cmd_def *cmd_by_word(const char *word)
{
	for (const struct cmd_def *d = cmd_defs; d->long_name; d++)
		if (!d->short_name && strcmp(d->long_name, word) == 0)
			return d;
	return NULL;
}

static void getopt_row_add(char *shorts, unsigned *ns, struct option *longs,
			   unsigned *nl, const struct opt_def *o)
{
	int has = o->arg == ARG_NONE	 ? no_argument
		  : o->arg == ARG_REQUIRED ? required_argument
					   : optional_argument;
	int val = o->short_name ? o->short_name
				: LONG_ONLY_BASE + (int)(o - opt_defs);

	if (o->short_name && !memchr(shorts + 1, o->short_name, *ns - 1)) {
		shorts[(*ns)++] = o->short_name;
		if (o->arg == ARG_REQUIRED)
			shorts[(*ns)++] = ':';
	}
	longs[(*nl)++] = (struct option){ o->name, has, NULL, val };
}

/* with_words: also the options only ctadm's word commands take. */
static void getopt_tables_build(char *shorts, struct option *longs,
				bool with_words)
{
	unsigned ns = 0, nl = 0;

	shorts[ns++] = ':';
	/* getopt_long() compares a long option with the rows in order, and
	 * the per-protocol ones (--sport, --dport, --state) are the long
	 * options of nearly every line a -R file has: they come first.  The
	 * order changes no match: exact names win, prefixes must be unique. */
	for (int protos = 1; protos >= 0; protos--)
		for (const struct opt_def *o = opt_defs; o->name; o++)
			if ((o->protos != 0) == protos &&
			    (with_words || (o->cmds & ~CB_WORDS)))
				getopt_row_add(shorts, &ns, longs, &nl, o);
	for (const struct cmd_def *d = cmd_defs; d->long_name; d++) {
		if (!d->short_name)
			continue;  /* a word command, not an option */
		shorts[ns++] = d->short_name;
		longs[nl++] = (struct option){ d->long_name, optional_argument,
					       NULL, d->short_name };
	}
	shorts[ns] = '\0';
	longs[nl] = (struct option){ NULL, 0, NULL, 0 };
}

static const struct opt_def *opt_by_val(int val)
{
	if (val >= LONG_ONLY_BASE)
		return &opt_defs[val - LONG_ONLY_BASE];
	short_index_build();
	return val > 0 && val < 128 ? opt_short[val] : NULL;
}

/* As conntrack (and iptables): an optional argument may also be the next
 * word when that word does not look like an option. */
static const char *optional_arg_take(int argc, char **argv)
{
	if (optarg)
		return optarg;
	if (optind < argc && argv[optind][0] != '-' && argv[optind][0] != '!')
		return argv[optind++];
	return NULL;
}

static int command_set(struct ctadm *c, struct opt_state *st, int ch,
		       int argc, char **argv)
{
	if (c->cmd)
		return ctadm_fail(c, CTADM_EUSAGE,
				  "invalid commands combination");
	c->cmd = cmd_by_short(ch);
	/* A FILE is taken whatever it looks like: "-" means stdin. */
	if (c->cmd->takes_file && !optarg && optind < argc)
		st->table = argv[optind++];
	else
		st->table = optional_arg_take(argc, argv);
	return 0;
}

static int option_record(struct ctadm *c, struct opt_state *st,
			 const struct opt_def *o, int argc, char **argv)
{
	const char *arg = o->arg == ARG_OPTIONAL ? optional_arg_take(argc, argv)
						 : optarg;

	if (st->n == sizeof(st->use) / sizeof(st->use[0]))
		return ctadm_fail(c, CTADM_EUSAGE, "too many options");
	st->use[st->n++] = (struct opt_use){ o, arg };
	c->seen |= 1ull << o->id;
	return 0;
}

static int getopt_error(struct ctadm *c, int ch, char **argv)
{
	/* optopt names a short option, even one grouped as in -Lx; for a
	 * long option argv names it. */
	bool is_short = optopt > 0 && optopt < 128;
	const char *what = ch == ':' ? "requires an argument" : "is unknown";

	if (is_short)
		return ctadm_fail(c, CTADM_EUSAGE, "option `-%c' %s", optopt,
				  what);
	return ctadm_fail(c, CTADM_EUSAGE, "option `%s' %s", argv[optind - 1],
			  what);
}

/* A word command anywhere on the line (options may come first). */
static bool argv_has_word_command(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (cmd_by_word(argv[i]))
			return true;
	return false;
}

static int opt_collect(struct ctadm *c, struct opt_state *st, int argc,
		       char **argv)
{
	/* Built once: -R parses every line of its file twice.  [1] has the
	 * word commands' options too. */
	static char shorts[2][128];
	static struct option longs[2][MAX_LONGOPTS];
	int words = !c->load_line && argv_has_word_command(argc, argv);
	int ch, ret;

	if (!shorts[words][0])
		getopt_tables_build(shorts[words], longs[words], words);
	opterr = 0;
	optind = 0;
	while ((ch = getopt_long(argc, argv, shorts[words], longs[words],
				 NULL)) != -1) {
		const struct opt_def *o;

		if (ch == ':' || ch == '?')
			return getopt_error(c, ch, argv);
		if (cmd_by_short(ch)) {
			ret = command_set(c, st, ch, argc, argv);
		} else {
			o = opt_by_val(ch);
			ret = o ? option_record(c, st, o, argc, argv)
				: getopt_error(c, '?', argv);
		}
		if (ret < 0)
			return ret;
	}
	/* "ctadm WORD [args]", options anywhere: getopt has moved the
	 * words behind the options; the first names the command. */
	if (!c->cmd && optind < argc) {
		c->cmd = cmd_by_word(argv[optind]);
		if (!c->cmd)
			return ctadm_fail(c, CTADM_EUSAGE, "unknown command `%s'",
					  argv[optind]);
		optind++;
	}
	if (c->cmd && !c->cmd->short_name) {
		c->args = argv + optind;
		c->nargs = argc - optind;
		return 0;
	}
	if (optind < argc)
		return ctadm_fail(c, CTADM_EUSAGE, "unexpected argument `%s'",
				  argv[optind]);
	return 0;
}

static const char *const table_names[] = {
	[TABLE_CONNTRACK] = "conntrack",
	[TABLE_EXPECT] = "expect",
	[TABLE_DYING] = "dying",
	[TABLE_UNCONFIRMED] = "unconfirmed",
};

/* conntrack accepts any prefix of a table name, "expect" first. */
static int table_parse(struct ctadm *c, const char *name)
{
	static const enum ct_table order[] = { TABLE_EXPECT, TABLE_CONNTRACK,
					       TABLE_DYING, TABLE_UNCONFIRMED };

	c->table = TABLE_CONNTRACK;
	if (!name)
		return 0;
	for (unsigned i = 0; *name && i < sizeof(order) / sizeof(order[0]); i++) {
		if (strncmp(table_names[order[i]], name, strlen(name)) == 0) {
			c->table = order[i];
			return 0;
		}
	}
	return ctadm_fail(c, CTADM_EUSAGE, "unknown table `%s'", name);
}

const char *table_name(enum ct_table t)
{
	return table_names[t];
}

static int command_check(struct ctadm *c, const char *table)
{
	int ret;

	if (!c->cmd->short_name)
		return 0;
	if (c->cmd->takes_file) {
		c->load_file = table;
		return table ? 0 : ctadm_fail(c, CTADM_EUSAGE,
					      "-%c: needs a FILE (- for stdin)",
					      c->cmd->short_name);
	}
	ret = table_parse(c, table);
	if (ret < 0)
		return ret;
	if (c->cmd->tables && !(c->cmd->tables & (1 << c->table)))
		return ctadm_fail(c, CTADM_EUSAGE,
				  "-%c: not available on table `%s'",
				  c->cmd->short_name, table_names[c->table]);
	return 0;
}

static uint32_t command_bit(const struct ctadm *c)
{
	return c->table == TABLE_EXPECT ? c->cmd->exp_bit : c->cmd->bit;
}

static int legality_check(struct ctadm *c, const struct opt_state *st)
{
	uint32_t bit = command_bit(c);

	for (unsigned i = 0; i < st->n; i++) {
		const struct opt_def *o = st->use[i].def;

		if (!(o->cmds & bit) && !c->cmd->short_name)
			return ctadm_fail(c, CTADM_EUSAGE,
					  "--%s: not valid with %s", o->name,
					  c->cmd->long_name);
		if (!(o->cmds & bit))
			return ctadm_fail(c, CTADM_EUSAGE,
					  "--%s: not valid with -%c%s%s",
					  o->name, c->cmd->short_name,
					  c->table == TABLE_EXPECT ? " " : "",
					  c->table == TABLE_EXPECT ? "expect"
								   : "");
	}
	return 0;
}

/* Options apply in three passes whatever their order on the command line:
 * the ones others depend on (--labelmap, --netns, -o), then the generic
 * ones (-p among them), then the per-protocol ones. */
static unsigned opt_pass(const struct opt_def *o)
{
	if (o->protos)
		return 2;
	return o->id == O_LABELMAP || o->id == O_NETNS || o->id == O_OUTPUT
		       ? 0
		       : 1;
}

int opt_parse(struct ctadm *c, int argc, char **argv)
{
	/* Not zeroed whole: use[] is filled as far as n says. */
	struct opt_state st;
	int ret;

	st.n = 0;
	st.table = NULL;

	ret = opt_collect(c, &st, argc, argv);
	if (ret < 0)
		return ret;
	if (!c->cmd)
		c->cmd = cmd_by_short('h');
	ret = command_check(c, st.table);
	if (ret < 0)
		return ret;
	ret = legality_check(c, &st);
	if (ret < 0)
		return ret;
	for (unsigned pass = 0; pass < 3; pass++) {
		for (unsigned i = 0; i < st.n; i++) {
			const struct opt_use *u = &st.use[i];

			if (opt_pass(u->def) != pass)
				continue;
			ret = opt_apply(c, u->def, u->arg);
			if (ret < 0)
				return ret;
		}
	}
	return opt_finish(c);
}
