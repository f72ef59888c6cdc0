/* print_xml.c - conntrack's "-o xml" output.
 *
 * Byte for byte what conntrack 1.4.8 prints through libnetfilter_conntrack
 * 1.0.9 (nfct_snprintf_labels / nfexp_snprintf with NFCT_O_XML), with one
 * deliberate fix: the library names SCTP and DCCP states from its TCP table
 * (an ESTABLISHED SCTP entry shows FIN_WAIT); ctadm uses their own names.
 */
#include <arpa/inet.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <sys/socket.h>
#include <time.h>

#include "ct_names.h"
#include "fmt.h"

#define NSEC_PER_SEC 1000000000ull

/* conntrack prints the document header just before the first entry of a
 * listing or event stream (an empty listing prints nothing at all), and the
 * closing tag only if it printed the header.  The root element follows the
 * kind of that first entry.  Single replies (-G, -U, -D) are unframed: they
 * never pass through begin(). */
static struct {
	bool framed;
	const char *root;   /* "conntrack" or "expect" once the header is out */
} xml_doc;

static void xml_begin(struct fmt_ctx *f)
{
	(void)f;
	xml_doc.framed = true;
	xml_doc.root = NULL;
}

static void xml_end(struct fmt_ctx *f)
{
	if (xml_doc.root) {
		out_str(f->out, "</");
		out_str(f->out, xml_doc.root);
		out_str(f->out, ">\n");
	}
	xml_doc.framed = false;
	xml_doc.root = NULL;
}

static void xml_header(struct fmt_ctx *f, const char *root)
{
	if (!xml_doc.framed || xml_doc.root)
		return;
	xml_doc.root = root;
	out_str(f->out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<");
	out_str(f->out, root);
	out_str(f->out, ">\n");
}

/* The library's protocol tables: unknown numbers are named "unknown". */
static const char *xml_l3name(uint8_t family)
{
	if (family == AF_INET)
		return "ipv4";
	if (family == AF_INET6)
		return "ipv6";
	return "unknown";
}

static const char *xml_l4name(uint8_t num)
{
	const char *name = proto_name(num);

	return name ? name : "unknown";
}

static void xml_tag_u64(struct out *o, const char *open, uint64_t v,
			const char *close)
{
	out_str(o, open);
	out_u64(o, v);
	out_str(o, close);
}

/* <src>..</src><dst>..</dst>; empty elements for a family without an
 * address text, as the library prints them. */
static void xml_addrs(struct out *o, uint8_t family, const struct ct_tuple *t)
{
	bool known = family == AF_INET || family == AF_INET6;

	out_str(o, "<src>");
	if (known)
		out_addr(o, family, &t->src);
	out_str(o, "</src><dst>");
	if (known)
		out_addr(o, family, &t->dst);
	out_str(o, "</dst>");
}

/* Ports for the port protocols, keys for GRE, nothing for ICMP and the
 * rest: the library never printed ICMP type/code/id in xml. */
static void xml_ports(struct out *o, const struct ct_tuple *t)
{
	switch (proto_kind_of(t->l4)) {
	case PK_TCP: case PK_UDP: case PK_UDPLITE: case PK_SCTP: case PK_DCCP:
		xml_tag_u64(o, "<sport>", t->sport, "</sport>");
		xml_tag_u64(o, "<dport>", t->dport, "</dport>");
		break;
	case PK_GRE:
		out_str(o, "<srckey>0x");
		out_hex(o, t->sport);
		out_str(o, "</srckey><dstkey>0x");
		out_hex(o, t->dport);
		out_str(o, "</dstkey>");
		break;
	default:
		break;
	}
}

static void xml_layers(struct out *o, const struct ct_tuple *t)
{
	out_str(o, "<layer3 protonum=\"");
	out_u32(o, t->l3);
	out_str(o, "\" protoname=\"");
	out_str(o, xml_l3name(t->l3));
	out_str(o, "\">");
	xml_addrs(o, t->l3, t);
	out_str(o, "</layer3><layer4 protonum=\"");
	out_u32(o, t->l4);
	out_str(o, "\" protoname=\"");
	out_str(o, xml_l4name(t->l4));
	out_str(o, "\">");
	xml_ports(o, t);
	out_str(o, "</layer4>");
}

static void xml_direction(struct out *o, const struct ct_entry *ct, int dir)
{
	const struct ct_tuple *t = dir ? &ct->reply : &ct->orig;

	out_str(o, dir ? "<meta direction=\"reply\">"
		       : "<meta direction=\"original\">");
	xml_layers(o, t);
	if (t->has & CT_TUPLE_ZONE)
		xml_tag_u64(o, "<zone>", t->zone, "</zone>");
	if (ct->has & CT_A_COUNTERS) {
		xml_tag_u64(o, "<counters><packets>", ct->packets[dir],
			    "</packets>");
		xml_tag_u64(o, "<bytes>", ct->bytes[dir], "</bytes></counters>");
	}
	out_str(o, "</meta>");
}

/* The protocol state: the TCP name table prints "NONE" past its end. */
static const char *xml_state(const struct ct_entry *ct)
{
	const char *name;

	if (ct->has & CT_A_TCP)
		name = tcp_state_name(ct->tcp.state);
	else if (ct->has & CT_A_SCTP)
		name = sctp_state_name(ct->sctp.state);
	else
		name = dccp_state_name(ct->dccp.state);
	return name ? name : "NONE";
}

/* Only bits the label map names are listed, as the library does. */
static void xml_labels(struct fmt_ctx *f, const struct ct_entry *ct)
{
	struct out *o = f->out;

	out_str(o, "<labels>");
	for (unsigned bit = 0; bit < ct->labels_len * 8u; bit++) {
		const char *name = f->labelmap->name[bit];

		if (name && (ct->labels[bit / 8] >> (bit % 8) & 1)) {
			out_str(o, "<label>");
			out_str(o, name);
			out_str(o, "</label>");
		}
	}
	out_str(o, "</labels>");
}

/* Seconds of "now" for deltatime and <when>: the caller's clock if set. */
static int64_t xml_now_sec(const struct fmt_ctx *f)
{
	if (f->now_ns)
		return (int64_t)(f->now_ns / NSEC_PER_SEC);
	return (int64_t)time(NULL);
}

/* -o ktimestamp adds the raw stamps; deltatime comes regardless: the
 * lifetime of a dead entry, else the age (printed unsigned, as conntrack
 * does even when the clock is behind the stamp). */
static void xml_times(struct fmt_ctx *f, const struct ct_entry *ct)
{
	struct out *o = f->out;
	bool start = ct->has & CT_A_TIMESTAMP, stop = ct->has & CT_A_TS_STOP;
	int64_t delta;

	if ((f->flags & FMT_F_KTIMESTAMP) && (start || stop)) {
		out_str(o, "<timestamp>");
		if (start)
			xml_tag_u64(o, "<start>", ct->ts_start, "</start>");
		if (stop)
			xml_tag_u64(o, "<stop>", ct->ts_stop, "</stop>");
		out_str(o, "</timestamp>");
	}
	if (!start)
		return;
	if (stop)
		delta = (int64_t)((ct->ts_stop - ct->ts_start) / NSEC_PER_SEC);
	else
		delta = xml_now_sec(f) - (int64_t)(ct->ts_start / NSEC_PER_SEC);
	xml_tag_u64(o, "<deltatime>", (uint64_t)delta, "</deltatime>");
}

static void xml_when(struct fmt_ctx *f)
{
	struct out *o = f->out;
	time_t t = f->event_ns ? (time_t)(f->event_ns / NSEC_PER_SEC)
			       : (time_t)xml_now_sec(f);
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return;
	xml_tag_u64(o, "<when><hour>", (uint64_t)tm.tm_hour, "</hour>");
	out_str(o, "<min>");
	out_char(o, (char)('0' + tm.tm_min / 10));
	out_char(o, (char)('0' + tm.tm_min % 10));
	out_str(o, "</min><sec>");
	out_char(o, (char)('0' + tm.tm_sec / 10));
	out_char(o, (char)('0' + tm.tm_sec % 10));
	xml_tag_u64(o, "</sec><wday>", (uint64_t)tm.tm_wday + 1, "</wday>");
	xml_tag_u64(o, "<day>", (uint64_t)tm.tm_mday, "</day>");
	xml_tag_u64(o, "<month>", (uint64_t)tm.tm_mon + 1, "</month>");
	xml_tag_u64(o, "<year>", (uint64_t)tm.tm_year + 1900,
		    "</year></when>");
}

#define XML_INDEPENDENT (CT_A_TCP | CT_A_SCTP | CT_A_DCCP | CT_A_TIMEOUT | \
			 CT_A_MARK | CT_A_SECMARK | CT_A_ZONE | CT_A_USE |   \
			 CT_A_STATUS | CT_A_ID | CT_A_TIMESTAMP | CT_A_TS_STOP)

/* The direction="independent" element, in the library's field order. */
static void xml_independent(struct fmt_ctx *f, const struct ct_entry *ct)
{
	struct out *o = f->out;
	uint32_t has = ct->has;

	if (has & (CT_A_TCP | CT_A_SCTP | CT_A_DCCP)) {
		out_str(o, "<state>");
		out_str(o, xml_state(ct));
		out_str(o, "</state>");
	}
	if (has & CT_A_TIMEOUT)
		xml_tag_u64(o, "<timeout>", ct->timeout, "</timeout>");
	if (has & CT_A_MARK)
		xml_tag_u64(o, "<mark>", ct->mark, "</mark>");
	if ((has & CT_A_LABELS) && f->labelmap)
		xml_labels(f, ct);
	if (has & CT_A_SECMARK)
		xml_tag_u64(o, "<secmark>", ct->secmark, "</secmark>");
	if (has & CT_A_SECCTX) {
		/* Unescaped, as the library prints it. */
		out_str(o, "<secctx>");
		out_str(o, ct->secctx);
		out_str(o, "</secctx>");
	}
	if (has & CT_A_ZONE)
		xml_tag_u64(o, "<zone>", ct->zone, "</zone>");
	if (has & CT_A_USE)
		xml_tag_u64(o, "<use>", ct->use, "</use>");
	if (has & CT_A_ID)
		xml_tag_u64(o, "<id>", ct->id, "</id>");
	if ((has & CT_A_STATUS) && (ct->status & IPS_ASSURED))
		out_str(o, "<assured/>");
	if ((has & CT_A_STATUS) && !(ct->status & IPS_SEEN_REPLY))
		out_str(o, "<unreplied/>");
	xml_times(f, ct);
}

static const char *const xml_flow_open[] = {
	[CT_MSG_DUMP] = "<flow>",
	[CT_MSG_NEW] = "<flow type=\"new\">",
	[CT_MSG_UPDATE] = "<flow type=\"update\">",
	[CT_MSG_DESTROY] = "<flow type=\"destroy\">",
};

static const char *xml_flow(uint8_t kind)
{
	return kind <= CT_MSG_DESTROY ? xml_flow_open[kind] : "<flow>";
}

static void xml_ct(struct fmt_ctx *f, const struct ct_entry *ct)
{
	struct out *o = f->out;
	bool independent = ct->has & XML_INDEPENDENT;

	xml_header(f, "conntrack");
	out_str(o, xml_flow(ct->kind));
	xml_direction(o, ct, 0);
	xml_direction(o, ct, 1);
	if (independent)
		out_str(o, "<meta direction=\"independent\">");
	xml_independent(f, ct);
	if (independent)
		out_str(o, "</meta>");
	/* conntrack asks for <when> (-o timestamp) on events only. */
	if ((f->flags & FMT_F_TIMESTAMP) && ct->kind != CT_MSG_DUMP)
		xml_when(f);
	if (ct->has & CT_A_HELPER) {
		out_str(o, "<helper>");
		out_str(o, ct->helper);
		out_str(o, "</helper>");
	}
	out_str(o, "</flow>\n");
}

/* One part of an expectation's layer3 or layer4 element. */
static void xml_exp_part(struct out *o, const char *tag, uint8_t family,
			 const struct ct_tuple *t, bool l4)
{
	out_char(o, '<');
	out_str(o, tag);
	out_char(o, '>');
	if (l4)
		xml_ports(o, t);
	else
		xml_addrs(o, family, t);
	out_str(o, "</");
	out_str(o, tag);
	out_char(o, '>');
}

static void xml_exp_layer(struct out *o, const struct ct_exp *exp, bool l4)
{
	uint8_t num = l4 ? exp->tuple.l4 : exp->family;

	out_str(o, l4 ? "<layer4 protonum=\"" : "<layer3 protonum=\"");
	out_u32(o, num);
	out_str(o, "\" protoname=\"");
	out_str(o, l4 ? xml_l4name(num) : xml_l3name(num));
	out_str(o, "\">");
	xml_exp_part(o, "expected", exp->family, &exp->tuple, l4);
	xml_exp_part(o, "mask", exp->family, &exp->mask, l4);
	xml_exp_part(o, "master", exp->family, &exp->master, l4);
	out_str(o, l4 ? "</layer4>" : "</layer3>");
}

static void xml_exp_meta(struct fmt_ctx *f, const struct ct_exp *exp)
{
	struct out *o = f->out;

	out_str(o, "<meta>");
	if (exp->has & CT_EXP_A_HELPER) {
		out_str(o, "<helper-name>");
		out_str(o, exp->helper);
		out_str(o, "</helper-name>");
	}
	if (exp->has & CT_EXP_A_TIMEOUT)
		xml_tag_u64(o, "<timeout>", exp->timeout, "</timeout>");
	if (exp->has & CT_EXP_A_CLASS)
		xml_tag_u64(o, "<class>", exp->class, "</class>");
	if (exp->has & CT_EXP_A_ZONE)
		xml_tag_u64(o, "<zone>", exp->zone, "</zone>");
	/* conntrack passes -o timestamp to expectation dumps too. */
	if (f->flags & FMT_F_TIMESTAMP)
		xml_when(f);
	if (exp->flags & NF_CT_EXPECT_PERMANENT)
		out_str(o, "<permanent/>");
	if (exp->flags & NF_CT_EXPECT_INACTIVE)
		out_str(o, "<inactive/>");
	if (exp->flags & NF_CT_EXPECT_USERSPACE)
		out_str(o, "<userspace/>");
	out_str(o, "</meta>");
}

static void xml_exp(struct fmt_ctx *f, const struct ct_exp *exp)
{
	xml_header(f, "expect");
	out_str(f->out, xml_flow(exp->kind));
	xml_exp_layer(f->out, exp, false);
	xml_exp_layer(f->out, exp, true);
	xml_exp_meta(f, exp);
	out_str(f->out, "</flow>\n");
}

/* conntrack rejects -o with -C and -S; should ctadm's option parser let
 * xml through, these print what the text output prints. */
static void xml_count(struct fmt_ctx *f, const char *table, uint64_t n)
{
	fmt_text.count(f, table, n);
}

static void xml_stats_cpu(struct fmt_ctx *f, const char *table,
			  const struct ct_stat *st)
{
	fmt_text.stats_cpu(f, table, st);
}

const struct fmt_ops fmt_xml = {
	.name = "xml",
	.begin = xml_begin,
	.end = xml_end,
	.ct = xml_ct,
	.exp = xml_exp,
	.count = xml_count,
	.stats_cpu = xml_stats_cpu,
};
