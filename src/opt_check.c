/* opt_check.c - output formats, labels, and the checks that need the
 * whole command line. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <strings.h>

#include "ctadm.h"
#include "labels.h"
#include "opt_parse.h"

enum {
	OUT_XML = 1 << 8,
	OUT_SAVE = 1 << 9,
	OUT_JSON = 1 << 10,
};

/* conntrack's order matters: it takes the first name a prefix matches. */
static const struct {
	const char *name;
	unsigned bit;
} output_names[] = {
	{ "xml", OUT_XML },
	{ "extended", FMT_F_EXTENDED },
	{ "timestamp", FMT_F_TIMESTAMP },
	{ "id", FMT_F_ID },
	{ "ktimestamp", FMT_F_KTIMESTAMP },
	{ "labels", FMT_F_LABELS },
	{ "userspace", FMT_F_USERSPACE },
	{ "save", OUT_SAVE },
	{ "json", OUT_JSON },
};

static int output_word(const char *w, size_t len, unsigned *bits)
{
	for (size_t i = 0; i < sizeof(output_names) / sizeof(output_names[0]);
	     i++) {
		if (len && len <= strlen(output_names[i].name) &&
		    strncasecmp(w, output_names[i].name, len) == 0) {
			*bits |= output_names[i].bit;
			return 0;
		}
	}
	return -1;
}

static const struct fmt_ops *output_fmt(unsigned bits)
{
	if (bits & OUT_JSON)
		return &fmt_json;
	if (bits & OUT_XML)
		return &fmt_xml;
	if (bits & OUT_SAVE)
		return &fmt_save;
	return &fmt_text;
}

/* ctadm's word commands print text or json (diagnose: prometheus too),
 * named in full. */
static int word_output_apply(struct ctadm *c, const char *arg)
{
	if (strcmp(arg, "text") == 0) {
		c->fmt = &fmt_text;
	} else if (strcmp(arg, "json") == 0) {
		c->fmt = &fmt_json;
	} else if (strcmp(arg, "prometheus") == 0 &&
		   c->cmd->bit == CB_DIAGNOSE) {
		c->word.prometheus = true;
	} else {
		return ctadm_fail(c, CTADM_EUSAGE, "%s: -o takes %s, not `%s'",
				  c->cmd->long_name,
				  c->cmd->bit == CB_DIAGNOSE
					  ? "text, json or prometheus"
					  : "text or json", arg);
	}
	return 0;
}

int output_apply(struct ctadm *c, const char *arg)
{
	unsigned bits = 0;
	const char *p = arg;

	if (c->cmd && (c->cmd->bit & CB_WORDS))
		return word_output_apply(c, arg);

	for (;;) {
		size_t len = strcspn(p, ",");

		if (output_word(p, len, &bits) < 0)
			return ctadm_fail(c, CTADM_EUSAGE,
					  "-o: unknown output format `%.*s'",
					  (int)len, p);
		if (!p[len])
			break;
		p += len + 1;
	}
	if ((bits & OUT_SAVE) && (bits & ~OUT_SAVE))
		return ctadm_fail(c, CTADM_EUSAGE,
				  "-o: save cannot be combined with another "
				  "output format");
	if ((bits & OUT_JSON) && (bits & (OUT_XML | OUT_SAVE)))
		return ctadm_fail(c, CTADM_EUSAGE,
				  "-o: json cannot be combined with xml or save");
	c->fmt = output_fmt(bits);
	c->fctx.flags = bits & 0xff;
	return 0;
}

int labelmap_ensure(struct ctadm *c)
{
	const char *path = c->labelmap_path ? c->labelmap_path
					    : LABELMAP_DEFAULT_PATH;
	int ret;

	if (c->fctx.labelmap)
		return 0;
	ret = labelmap_load(&c->labelmap, path);
	if (ret < 0)
		return ctadm_fail(c, CTADM_EUSAGE, "%s: %s", path,
				  strerror(-ret));
	c->fctx.labelmap = &c->labelmap;
	return 0;
}

int label_bit_lookup(const struct labelmap *m, const char *name, size_t len)
{
	uint64_t v;
	char num[8];

	for (int bit = 0; bit < 128; bit++)
		if (m->name[bit] && strlen(m->name[bit]) == len &&
		    strncmp(m->name[bit], name, len) == 0)
			return bit;
	/* ctadm also takes a bit number for a label without a name. */
	if (len == 0 || len >= sizeof(num))
		return -1;
	memcpy(num, name, len);
	num[len] = '\0';
	if (strspn(num, "0123456789") != len || parse_uint(num, 127, &v) < 0)
		return -1;
	return (int)v;
}

/* Options that select entries, with which -z would zero only some. */
#define F_COMPARISON (F_ORIG_SRC | F_ORIG_DST | F_REPLY_SRC | F_REPLY_DST | \
		      F_L4PROTO | F_MARK | F_SECMARK | F_STATUS | F_ID |     \
		      F_ZONE | F_LABELS | F_ORIG_ZONE | F_REPLY_ZONE)

static int get_check(struct ctadm *c)
{
	uint32_t set = c->filter.set;
	bool orig = (set & (F_ORIG_SRC | F_ORIG_DST)) ==
		    (F_ORIG_SRC | F_ORIG_DST);
	bool reply = (set & (F_REPLY_SRC | F_REPLY_DST)) ==
		     (F_REPLY_SRC | F_REPLY_DST);

	if (!(set & F_L4PROTO))
		return ctadm_fail(c, CTADM_EUSAGE, "-G: needs -p");
	if (c->table == TABLE_EXPECT && !orig)
		return ctadm_fail(c, CTADM_EUSAGE,
				  "-G expect: needs --src and --dst");
	if (!orig && !reply)
		return ctadm_fail(c, CTADM_EUSAGE,
				  "-G: needs --src and --dst, or --reply-src "
				  "and --reply-dst");
	if (c->proto && (c->proto->kind & PK_PORTS)) {
		uint32_t need = orig ? F_ORIG_SPORT | F_ORIG_DPORT
				     : F_REPLY_SPORT | F_REPLY_DPORT;

		if ((set & need) != need)
			return ctadm_fail(c, CTADM_EUSAGE,
					  "-G: needs %s ports for -p %s",
					  orig ? "--sport and --dport"
					       : "--reply-port-src and "
						 "--reply-port-dst",
					  c->proto->name);
	}
	return 0;
}

/* Both addresses of the original or of the reply direction, and the ports
 * (GRE: keys; ICMP: type, code and id) the kernel needs to make a tuple. */
static int tuple_need(struct ctadm *c, const char *cmd)
{
	uint32_t set = c->filter.set;
	bool orig = (set & (F_ORIG_SRC | F_ORIG_DST)) ==
		    (F_ORIG_SRC | F_ORIG_DST);
	bool reply = (set & (F_REPLY_SRC | F_REPLY_DST)) ==
		     (F_REPLY_SRC | F_REPLY_DST);
	uint32_t ports = orig ? F_ORIG_SPORT | F_ORIG_DPORT
			      : F_REPLY_SPORT | F_REPLY_DPORT;
	uint32_t icmp = F_ICMP_TYPE | F_ICMP_CODE | F_ICMP_ID;
	unsigned kind = c->proto ? c->proto->kind : PK_OTHER;

	if (!(set & F_L4PROTO))
		return ctadm_fail(c, CTADM_EUSAGE, "%s: needs -p", cmd);
	if (!orig && !reply)
		return ctadm_fail(c, CTADM_EUSAGE,
				  "%s: needs --src and --dst, or --reply-src "
				  "and --reply-dst", cmd);
	if ((kind & (PK_PORTS | PK_GRE)) && (set & ports) != ports)
		return ctadm_fail(c, CTADM_EUSAGE, "%s: needs %s for -p %s",
				  cmd, orig ? "--sport and --dport"
					    : "--reply-port-src and "
					      "--reply-port-dst",
				  c->proto->name);
	if ((kind & (PK_ICMP | PK_ICMPV6)) && (set & icmp) != icmp)
		return ctadm_fail(c, CTADM_EUSAGE,
				  "%s: needs the type, code and id for -p %s",
				  cmd, c->proto->name);
	return 0;
}

/* Options that only select entries make no sense where entries are made
 * or changed. */
static int set_only_check(struct ctadm *c, const char *cmd)
{
	const struct ct_filter *f = &c->filter;

	if (f->status_unset)
		return ctadm_fail(c, CTADM_EUSAGE, "%s: -u takes only flags "
				  "to set (no `!FLAG', no UNREPLIED)", cmd);
	if (f->orig_src_cidr || f->orig_dst_cidr)
		return ctadm_fail(c, CTADM_EUSAGE,
				  "%s: CIDR notation and --mask-src/--mask-dst "
				  "are not available", cmd);
	if (((f->set & F_SNAT) && !f->snat.has_addr) ||
	    ((f->set & F_DNAT) && !f->dnat.has_addr))
		return ctadm_fail(c, CTADM_EUSAGE,
				  "%s: --src-nat and --dst-nat need ADDR[:PORT]",
				  cmd);
	return 0;
}

static int create_check(struct ctadm *c)
{
	const char *cmd = c->cmd->bit == CB_ADD ? "-A" : "-I";
	int ret = tuple_need(c, cmd);

	if (ret == 0)
		ret = set_only_check(c, cmd);
	if (ret < 0)
		return ret;
	if (!(c->change.set & CH_TIMEOUT))
		return ctadm_fail(c, CTADM_EUSAGE, "%s: needs -t", cmd);
	if (c->proto && (c->proto->kind & PK_STATES) &&
	    !(c->filter.set & F_STATE))
		return ctadm_fail(c, CTADM_EUSAGE, "%s: needs --state for -p %s",
				  cmd, c->proto->name);
	/* The kernel takes an SCTP state only with both verification tags. */
	if (c->proto && c->proto->kind == PK_SCTP &&
	    (c->filter.set & (F_VTAG_ORIG | F_VTAG_REPLY)) !=
		    (F_VTAG_ORIG | F_VTAG_REPLY))
		return ctadm_fail(c, CTADM_EUSAGE,
				  "%s: needs --orig-vtag and --reply-vtag for "
				  "-p sctp", cmd);
	return 0;
}

static int exp_create_check(struct ctadm *c)
{
	const uint32_t need = CH_EXP_SRC | CH_EXP_DST;
	unsigned kind;
	int ret = tuple_need(c, "-I expect");

	if (ret < 0)
		return ret;
	kind = c->proto ? c->proto->kind : PK_OTHER;
	if (!(c->filter.set & F_ORIG_SRC) || !(c->filter.set & F_ORIG_DST))
		return ctadm_fail(c, CTADM_EUSAGE,
				  "-I expect: needs --src and --dst (the master)");
	if ((c->change.set & need) != need ||
	    !(c->seen & (1ull << O_MASK_SRC)) ||
	    !(c->seen & (1ull << O_MASK_DST)))
		return ctadm_fail(c, CTADM_EUSAGE, "-I expect: needs --tuple-src, "
				  "--tuple-dst, --mask-src and --mask-dst");
	if ((kind & (PK_PORTS | PK_GRE)) &&
	    (c->change.set & (CH_EXP_SPORT | CH_EXP_DPORT)) !=
		    (CH_EXP_SPORT | CH_EXP_DPORT))
		return ctadm_fail(c, CTADM_EUSAGE, "-I expect: needs "
				  "--tuple-port-src and --tuple-port-dst");
	if (!(c->change.set & CH_TIMEOUT))
		return ctadm_fail(c, CTADM_EUSAGE, "-I expect: needs -t");
	return 0;
}

static int update_check(struct ctadm *c)
{
	if (c->filter.status_unset)
		return ctadm_fail(c, CTADM_EUSAGE, "-U: -u takes only flags "
				  "to set (no `!FLAG', no UNREPLIED)");
	return 0;
}

/* Checks that depend on the command (and, for -I, the protocol). */
static int command_options_check(struct ctadm *c)
{
	uint32_t bit = c->table == TABLE_EXPECT ? c->cmd->exp_bit : c->cmd->bit;

	switch (bit) {
	case CB_GET:
	case CB_GET_EXP:
		return get_check(c);
	case CB_CREATE:
	case CB_ADD:
		return create_check(c);
	case CB_CREATE_EXP:
		return exp_create_check(c);
	case CB_DELETE_EXP:
		return tuple_need(c, "-D expect");
	case CB_UPDATE:
		return update_check(c);
	default:
		return 0;
	}
}

static int mask_check(struct ctadm *c)
{
	if ((c->seen & (1ull << O_MASK_SRC)) && !(c->filter.set & F_ORIG_SRC))
		return ctadm_fail(c, CTADM_EUSAGE,
				  "--mask-src: needs --src");
	if ((c->seen & (1ull << O_MASK_DST)) && !(c->filter.set & F_ORIG_DST))
		return ctadm_fail(c, CTADM_EUSAGE,
				  "--mask-dst: needs --dst");
	return 0;
}

int opt_finish(struct ctadm *c)
{
	int ret = mask_check(c);

	if (ret < 0)
		return ret;
	if ((c->filter.set & F_ANYNAT) &&
	    (c->filter.set & (F_SNAT | F_DNAT)))
		return ctadm_fail(c, CTADM_EUSAGE,
				  "--any-nat: cannot be combined with "
				  "--src-nat or --dst-nat");
	if (c->zero && (c->filter.set & F_COMPARISON))
		return ctadm_fail(c, CTADM_EUSAGE,
				  "-z: cannot be combined with filters");
	/* As conntrack: expectations are IPv4 unless -f says otherwise. */
	if (c->table == TABLE_EXPECT && !c->filter.family)
		c->filter.family = AF_INET;
	/* As conntrack, -o labels without a readable map warns and goes on
	 * (printing no label names). */
	if ((c->fctx.flags & FMT_F_LABELS) && labelmap_ensure(c) < 0) {
		fprintf(stderr, "%s: warning: %s\n", CTADM_NAME, c->err);
		c->err[0] = '\0';
	}
	return command_options_check(c);
}
