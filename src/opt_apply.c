/* opt_apply.c - what each option does to the filter and the output.
 *
 * Numbers are range-checked where conntrack silently truncated them
 * (ports, zones, marks), and a negated status flag really excludes it. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <linux/netfilter/nf_conntrack_common.h>

#include "ctadm.h"
#include "opt_parse.h"

int parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_prefix(char *slash, int family, int *prefix)
{
	uint64_t v;

	/* A prefix length is decimal, as conntrack reads it. */
	if (strspn(slash + 1, "0123456789") != strlen(slash + 1) ||
	    parse_uint(slash + 1, family == AF_INET6 ? 128 : 32, &v) < 0)
		return -1;
	*prefix = (int)v;
	return 0;
}

int parse_addr(const char *s, union ct_addr *a, int *family, int *prefix)
{
	char buf[INET6_ADDRSTRLEN + 8];
	char *slash;
	struct in_addr in;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	memset(a, 0, sizeof(*a));
	/* inet_aton, as conntrack: it also takes "10.1" and hex forms. */
	if (inet_aton(buf, &in)) {
		a->v4 = in.s_addr;
		*family = AF_INET;
	} else if (inet_pton(AF_INET6, buf, a) == 1) {
		*family = AF_INET6;
	} else {
		return -1;
	}
	*prefix = -1;
	return slash ? parse_prefix(slash, *family, prefix) : 0;
}

static int family_set(struct ctadm *c, int family)
{
	if (c->filter.family && c->filter.family != family)
		return ctadm_fail(c, CTADM_EUSAGE, "mismatched address family");
	c->filter.family = family;
	return 0;
}

/* A full-length prefix is an exact match, as no prefix. */
static void prefix_apply(union ct_addr *mask, bool *cidr, int family,
			 int prefix)
{
	if (prefix < 0 || prefix == (family == AF_INET6 ? 128 : 32))
		return;
	addr_mask_from_prefix(mask, family, (unsigned)prefix);
	*cidr = true;
}

static int addr_opt_apply(struct ctadm *c, const struct opt_def *o,
			  const char *arg)
{
	struct ct_filter *f = &c->filter;
	union ct_addr a;
	int family, prefix, cidr_ok = o->id == O_SRC || o->id == O_DST;

	if (parse_addr(arg, &a, &family, &prefix) < 0)
		return ctadm_fail(c, CTADM_EUSAGE, "--%s: invalid address `%s'",
				  o->name, arg);
	if (prefix >= 0 && !cidr_ok)
		return ctadm_fail(c, CTADM_EUSAGE,
				  "--%s: CIDR notation not available", o->name);
	if (family_set(c, family) < 0)
		return -CTADM_EUSAGE;
	switch (o->id) {
	case O_SRC:
		f->orig_src = a;
		f->set |= F_ORIG_SRC;
		prefix_apply(&f->orig_src_mask, &f->orig_src_cidr, family, prefix);
		break;
	case O_DST:
		f->orig_dst = a;
		f->set |= F_ORIG_DST;
		prefix_apply(&f->orig_dst_mask, &f->orig_dst_cidr, family, prefix);
		break;
	case O_REPLY_SRC:
		f->reply_src = a;
		f->set |= F_REPLY_SRC;
		break;
	case O_REPLY_DST:
		f->reply_dst = a;
		f->set |= F_REPLY_DST;
		break;
	case O_MASK_SRC:
		f->orig_src_mask = a;
		f->orig_src_cidr = true;
		break;
	default: /* O_MASK_DST */
		f->orig_dst_mask = a;
		f->orig_dst_cidr = true;
		break;
	}
	return 0;
}

static int proto_apply(struct ctadm *c, const char *arg)
{
	struct protoent *pe;
	uint64_t num;

	c->proto = NULL;
	for (const struct proto_def *p = proto_defs; p->name; p++) {
		if (strcasecmp(p->name, arg) == 0) {
			c->proto = p;
			num = p->num;
			goto found;
		}
	}
	if ((pe = getprotobyname(arg)))
		num = (uint64_t)pe->p_proto;
	else if (parse_uint(arg, IPPROTO_RAW, &num) < 0)
		return ctadm_fail(c, CTADM_EUSAGE, "-p: unsupported protocol `%s'",
				  arg);
	for (const struct proto_def *p = proto_defs; p->name; p++)
		if (p->num == num)
			c->proto = p;
found:
	c->filter.l4proto = (uint8_t)num;
	c->filter.set |= F_L4PROTO;
	return 0;
}

static int family_apply(struct ctadm *c, const char *arg)
{
	/* conntrack compares only the first four characters. */
	if (strncmp(arg, "ipv4", 4) == 0)
		return family_set(c, AF_INET);
	if (strncmp(arg, "ipv6", 4) == 0)
		return family_set(c, AF_INET6);
	return ctadm_fail(c, CTADM_EUSAGE, "-f: unsupported family `%s'", arg);
}

struct flag_name {
	const char *name;
	uint32_t value;
};

static const struct flag_name status_flags[] = {
	{ "ASSURED", IPS_ASSURED },
	{ "SEEN_REPLY", IPS_SEEN_REPLY },
	{ "UNSET", 0 },
	{ "FIXED_TIMEOUT", IPS_FIXED_TIMEOUT },
	{ "EXPECTED", IPS_EXPECTED },
	{ "OFFLOAD", IPS_OFFLOAD },
	{ "HW_OFFLOAD", IPS_HW_OFFLOAD },
	{ NULL, 0 },
};

/* As conntrack: a case-insensitive prefix, the first in table order. */
static const struct flag_name *flag_lookup(const struct flag_name *t,
					   const char *s, size_t len)
{
	for (; t->name; t++)
		if (len && strncasecmp(s, t->name, len) == 0 &&
		    len <= strlen(t->name))
			return t;
	return NULL;
}

static int status_word_apply(struct ctadm *c, const char *w, size_t len)
{
	bool negated = len && *w == '!';
	const struct flag_name *fl;

	if (negated) {
		w++;
		len--;
	}
	if (!negated && len == 9 && strncmp(w, "UNREPLIED", 9) == 0) {
		c->filter.status_unset |= IPS_SEEN_REPLY;
		return 0;
	}
	fl = flag_lookup(status_flags, w, len);
	if (!fl)
		return ctadm_fail(c, CTADM_EUSAGE, "-u: unknown status `%.*s'",
				  (int)len, w);
	if (negated)
		c->filter.status_unset |= fl->value;
	else
		c->filter.status_set |= fl->value;
	return 0;
}

static int status_apply(struct ctadm *c, const char *arg)
{
	const char *p = arg;

	for (;;) {
		size_t len = strcspn(p, ",");

		if (status_word_apply(c, p, len) < 0)
			return -CTADM_EUSAGE;
		if (!p[len])
			break;
		p += len + 1;
	}
	if (c->filter.status_set & c->filter.status_unset)
		return ctadm_fail(c, CTADM_EUSAGE,
				  "-u: a flag cannot be both set and negated");
	c->filter.set |= F_STATUS;
	return 0;
}

static int mark_apply(struct ctadm *c, const char *arg)
{
	char buf[64];
	char *slash;
	uint64_t v, m = UINT32_MAX;

	if (strlen(arg) >= sizeof(buf))
		goto bad;
	strcpy(buf, arg);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (parse_uint(buf, UINT32_MAX, &v) < 0 ||
	    (slash && parse_uint(slash + 1, UINT32_MAX, &m) < 0))
		goto bad;
	c->filter.mark = (uint32_t)v;
	c->filter.mark_mask = (uint32_t)m;
	c->filter.set |= F_MARK;
	return 0;
bad:
	return ctadm_fail(c, CTADM_EUSAGE,
			  "-m: `%s' is not MARK[/MASK] of 32-bit numbers", arg);
}

static int number_apply(struct ctadm *c, const struct opt_def *o,
			const char *arg, uint64_t max, uint64_t *v)
{
	if (parse_uint(arg, max, v) < 0)
		return ctadm_fail(c, CTADM_EUSAGE,
				  "--%s: `%s' is not a number from 0 to %llu",
				  o->name, arg, (unsigned long long)max);
	return 0;
}

static int number_opt_apply(struct ctadm *c, const struct opt_def *o,
			    const char *arg)
{
	struct ct_filter *f = &c->filter;
	uint64_t max = o->id == O_SECMARK || o->id == O_ID ? UINT32_MAX
							  : UINT16_MAX;
	uint64_t v;

	if (number_apply(c, o, arg, max, &v) < 0)
		return -CTADM_EUSAGE;
	switch (o->id) {
	case O_SECMARK:
		f->secmark = (uint32_t)v;
		f->set |= F_SECMARK;
		break;
	case O_ZONE:
		f->zone = (uint16_t)v;
		f->set |= F_ZONE;
		break;
	case O_ORIG_ZONE:
		f->orig_zone = (uint16_t)v;
		f->set |= F_ORIG_ZONE;
		break;
	case O_REPLY_ZONE:
		f->reply_zone = (uint16_t)v;
		f->set |= F_REPLY_ZONE;
		break;
	default: /* O_ID */
		f->id = (uint32_t)v;
		f->set |= F_ID;
		break;
	}
	return 0;
}

static int nat_apply(struct ctadm *c, const struct opt_def *o,
		     const char *arg)
{
	struct nat_match m = { 0 };
	int ret = arg ? nat_arg_parse(c, o, arg, &m) : 0;

	if (ret < 0)
		return ret;
	if (m.has_addr && family_set(c, m.family) < 0)
		return -CTADM_EUSAGE;
	if (o->id == O_SRC_NAT || o->id == O_ANY_NAT)
		c->filter.snat = m;
	if (o->id == O_DST_NAT || o->id == O_ANY_NAT)
		c->filter.dnat = m;
	c->filter.set |= o->id == O_SRC_NAT   ? F_SNAT
			 : o->id == O_DST_NAT ? F_DNAT
					      : F_ANYNAT;
	return 0;
}

static int label_apply(struct ctadm *c, const char *arg)
{
	const char *p = arg;
	int ret = labelmap_ensure(c);

	if (ret < 0)
		return ret;
	for (;;) {
		size_t len = strcspn(p, ",");
		int bit = label_bit_lookup(&c->labelmap, p, len);

		if (bit < 0)
			return ctadm_fail(c, CTADM_EUSAGE,
					  "-l: unknown label `%.*s'", (int)len,
					  p);
		c->filter.labels[bit / 8] |= 1u << (bit % 8);
		if (!p[len])
			break;
		p += len + 1;
	}
	c->filter.set |= F_LABELS;
	return 0;
}

/* --label-add and --label-del: bits into c->change.labels. */
static int label_change_apply(struct ctadm *c, const struct opt_def *o,
			      const char *arg)
{
	uint32_t bit = o->id == O_LABEL_ADD ? CH_LABEL_ADD : CH_LABEL_DEL;
	const char *p = arg;
	int ret;

	if (c->change.set & (CH_LABEL_ADD | CH_LABEL_DEL) & ~bit)
		return ctadm_fail(c, CTADM_EUSAGE, "--label-add and --label-del "
				  "cannot be used together");
	c->change.set |= bit;
	if (!arg)
		return 0;
	ret = labelmap_ensure(c);
	if (ret < 0)
		return ret;
	for (;;) {
		size_t len = strcspn(p, ",");
		int b = label_bit_lookup(&c->labelmap, p, len);

		if (b < 0)
			return ctadm_fail(c, CTADM_EUSAGE,
					  "--%s: unknown label `%.*s'", o->name,
					  (int)len, p);
		c->change.labels[b / 8] |= 1u << (b % 8);
		if (!p[len])
			break;
		p += len + 1;
	}
	return 0;
}

static const struct flag_name event_names[] = {
	{ "ALL", EV_ALL },
	{ "NEW", EV_NEW },
	{ "UPDATES", EV_UPDATE },
	{ "DESTROY", EV_DESTROY },
	{ NULL, 0 },
};

static int event_mask_apply(struct ctadm *c, const char *arg)
{
	const char *p = arg;

	for (;;) {
		size_t len = strcspn(p, ",");
		const struct flag_name *fl = flag_lookup(event_names, p, len);

		if (!fl)
			return ctadm_fail(c, CTADM_EUSAGE,
					  "-e: unknown event `%.*s'", (int)len,
					  p);
		c->events |= fl->value;
		if (!p[len])
			break;
		p += len + 1;
	}
	return 0;
}

static int tuple_addr_apply(struct ctadm *c, const struct opt_def *o,
			    const char *arg)
{
	union ct_addr a;
	int family, prefix;

	if (parse_addr(arg, &a, &family, &prefix) < 0 || prefix >= 0)
		return ctadm_fail(c, CTADM_EUSAGE, "--%s: invalid address `%s'",
				  o->name, arg);
	if (family_set(c, family) < 0)
		return -CTADM_EUSAGE;
	if (o->id == O_TUPLE_SRC) {
		c->change.exp_src = a;
		c->change.set |= CH_EXP_SRC;
	} else {
		c->change.exp_dst = a;
		c->change.set |= CH_EXP_DST;
	}
	return 0;
}

/* Options of the write path and of -E that are plain numbers or flags. */
static int write_opt_apply(struct ctadm *c, const struct opt_def *o,
			   const char *arg)
{
	uint64_t v;

	switch (o->id) {
	case O_TIMEOUT:
		if (number_apply(c, o, arg, UINT32_MAX, &v) < 0)
			return -CTADM_EUSAGE;
		c->change.timeout = (uint32_t)v;
		c->change.set |= CH_TIMEOUT;
		return 0;
	case O_BUFFER_SIZE:
		if (number_apply(c, o, arg, INT32_MAX, &v) < 0)
			return -CTADM_EUSAGE;
		c->buffer_size = (uint32_t)v;
		return 0;
	case O_EVENT_MASK:
		return event_mask_apply(c, arg);
	case O_RESYNC:
		c->resync = true;
		return 0;
	case O_QUIET:
		c->quiet = true;
		return 0;
	case O_ALL_NETNS_LOGGING:
		c->all_netns_logging = true;
		return 0;
	case O_LABEL_ADD:
	case O_LABEL_DEL:
		return label_change_apply(c, o, arg);
	default: /* O_TUPLE_SRC, O_TUPLE_DST */
		return tuple_addr_apply(c, o, arg);
	}
}

/* --interval SECONDS: a decimal number of seconds, to the millisecond. */
static int interval_apply(struct ctadm *c, const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !(v >= 0.001 && v <= 3600))
		return ctadm_fail(c, CTADM_EUSAGE, "--interval: `%s' is not a "
				  "number of seconds from 0.001 to 3600", arg);
	c->word.interval_ms = (unsigned)(v * 1000 + 0.5);
	return 0;
}

/* A count or a duration of the word commands: 1 and up. */
static int word_number_apply(struct ctadm *c, const struct opt_def *o,
			     const char *arg, unsigned *to)
{
	uint64_t v;

	if (parse_uint(arg, UINT32_MAX, &v) < 0 || v == 0)
		return ctadm_fail(c, CTADM_EUSAGE, "--%s: `%s' is not a number "
				  "from 1 to %u", o->name, arg, UINT32_MAX);
	*to = (unsigned)v;
	return 0;
}

/* Options of ctadm's word commands (dyndbg, debug, diagnose, report,
 * watch-invalid). */
static int word_opt_apply(struct ctadm *c, const struct opt_def *o,
			  const char *arg)
{
	struct word_opts *w = &c->word;

	switch (o->id) {
	case O_MOUNT_DEBUGFS:
		w->mount_debugfs = true;
		return 0;
	case O_BACKEND:
		if (strcmp(arg, "syslog") && strcmp(arg, "nflog"))
			return ctadm_fail(c, CTADM_EUSAGE, "--backend: `%s' is "
					  "not syslog or nflog", arg);
		w->backend = arg;
		return 0;
	case O_DYNDBG:
		w->dyndbg = true;
		return 0;
	case O_SAMPLES:
		return word_number_apply(c, o, arg, &w->samples);
	case O_INTERVAL:
		return interval_apply(c, arg);
	case O_ALL_NETNS:
		w->all_netns = true;
		return 0;
	case O_SECONDS:
		return word_number_apply(c, o, arg, &w->seconds);
	case O_MAX_COUNT:
		return word_number_apply(c, o, arg, &w->max_count);
	default: /* O_INVALID_SECONDS */
		return word_number_apply(c, o, arg, &w->invalid_seconds);
	}
}

static int generic_apply(struct ctadm *c, const struct opt_def *o,
			 const char *arg)
{
	switch (o->id) {
	case O_TIMEOUT:
	case O_BUFFER_SIZE:
	case O_EVENT_MASK:
	case O_RESYNC:
	case O_QUIET:
	case O_ALL_NETNS_LOGGING:
	case O_LABEL_ADD:
	case O_LABEL_DEL:
	case O_TUPLE_SRC:
	case O_TUPLE_DST:
		return write_opt_apply(c, o, arg);
	case O_MOUNT_DEBUGFS:
	case O_BACKEND:
	case O_DYNDBG:
	case O_SAMPLES:
	case O_INTERVAL:
	case O_ALL_NETNS:
	case O_SECONDS:
	case O_MAX_COUNT:
	case O_INVALID_SECONDS:
		return word_opt_apply(c, o, arg);
	case O_PROTO:
		return proto_apply(c, arg);
	case O_FAMILY:
		return family_apply(c, arg);
	case O_STATUS:
		return status_apply(c, arg);
	case O_MARK:
		return mark_apply(c, arg);
	case O_SECMARK:
	case O_ZONE:
	case O_ORIG_ZONE:
	case O_REPLY_ZONE:
	case O_ID:
		return number_opt_apply(c, o, arg);
	case O_SRC_NAT:
	case O_DST_NAT:
	case O_ANY_NAT:
		return nat_apply(c, o, arg);
	case O_LABEL:
		return label_apply(c, arg);
	case O_ZERO:
		c->zero = true;
		return 0;
	case O_OUTPUT:
		return output_apply(c, arg);
	case O_NETNS:
		c->netns = arg;
		return 0;
	case O_LABELMAP:
		c->labelmap_path = arg;
		return 0;
	default:
		return addr_opt_apply(c, o, arg);
	}
}

int opt_apply(struct ctadm *c, const struct opt_def *o, const char *arg)
{
	if (!o->protos)
		return generic_apply(c, o, arg);
	if (!(c->seen & (1ull << O_PROTO)))
		return ctadm_fail(c, CTADM_EUSAGE, "--%s: needs -p", o->name);
	if (!c->proto || !(c->proto->kind & o->protos))
		return ctadm_fail(c, CTADM_EUSAGE,
				  "--%s: not an option of protocol %s",
				  o->name, c->proto ? c->proto->name : "given");
	return proto_opt_apply(c, o, arg);
}
