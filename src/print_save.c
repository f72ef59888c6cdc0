/* print_save.c - conntrack -o save: an entry as the conntrack options that
 * would create it ("-A -t 99 -u SEEN_REPLY ... -p tcp --sport 10 ...").
 *
 * This is conntrack's own ct_save_snprintf, not the library's: the mark
 * and labels are not part of it, and only four status bits have names.
 * Expectations, counts and statistics have no save form in conntrack and
 * print as plain text.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <sys/socket.h>

#include <linux/netfilter/nf_conntrack_common.h>

#include <string.h>

#include "ct_names.h"
#include "print.h"

/* The status bits conntrack's save table names. */
#define SAVE_STATUS_BITS (IPS_EXPECTED | IPS_SEEN_REPLY | IPS_ASSURED | \
			  IPS_FIXED_TIMEOUT)

static void save_u32(struct out *o, const char *opt, uint32_t v)
{
	out_str(o, opt);
	out_char(o, ' ');
	out_u32(o, v);
	out_char(o, ' ');
}

/* A name from conntrack's tables; where they have none, printf's %s of
 * NULL, which glibc prints as "(null)". */
static void save_name(struct out *o, const char *opt, const char *name)
{
	out_str(o, opt);
	out_char(o, ' ');
	out_str(o, name ? name : "(null)");
	out_char(o, ' ');
}

static void save_kind(struct out *o, uint8_t kind)
{
	switch (kind) {
	case CT_MSG_DUMP:
	case CT_MSG_NEW:
		out_str(o, "-A ");
		break;
	case CT_MSG_UPDATE:
		out_str(o, "-U ");
		break;
	case CT_MSG_DESTROY:
		out_str(o, "-D ");
		break;
	}
}

static void save_status(struct out *o, uint32_t status)
{
	bool found = false;

	out_str(o, "-u ");
	for (unsigned bit = 0; bit < 32; bit++) {
		if (!(status & SAVE_STATUS_BITS & (1u << bit)))
			continue;
		if (found)
			out_char(o, ',');
		out_str(o, ct_status_name(bit));
		found = true;
	}
	out_str(o, found ? " " : "UNSET ");
}

static void save_generic(struct out *o, const struct ct_entry *ct)
{
	if (ct->has & CT_A_TIMEOUT)
		save_u32(o, "-t", ct->timeout);
	if (ct->has & CT_A_STATUS)
		save_status(o, ct->status);
	if (ct->has & CT_A_SECMARK)
		save_u32(o, "-c", ct->secmark);
	if (ct->has & CT_A_ZONE)
		save_u32(o, "-w", ct->zone);
	if (ct->orig.has & CT_TUPLE_ZONE)
		save_u32(o, "--orig-zone", ct->orig.zone);
	if (ct->reply.has & CT_TUPLE_ZONE)
		save_u32(o, "--reply-zone", ct->reply.zone);
}

static void save_addr(struct out *o, const char *opt,
		      const struct ct_tuple *t, const union ct_addr *a)
{
	if (!(t->has & CT_TUPLE_ADDR))
		return;
	out_str(o, opt);
	out_char(o, ' ');
	out_addr(o, t->l3, a);
	out_char(o, ' ');
}

/* libnetfilter_conntrack's NFCT_GOPT_IS_SNAT/DNAT: a NAT done that
 * changed the address, in either family. */
static bool save_nat(const struct ct_entry *ct, uint32_t done_bit,
		     const union ct_addr *a, const union ct_addr *b)
{
	size_t len = ct->orig.l3 == AF_INET6 ? 16 : 4;

	return (ct->has & CT_A_STATUS) && (ct->status & done_bit) &&
	       memcmp(a, b, len) != 0;
}

/* False for a family conntrack cannot save: it then stops the line
 * there, trailing blank and all. */
static bool save_addrs(struct out *o, const struct ct_entry *ct)
{
	const struct ct_tuple *r = &ct->reply;
	bool dnat, snat;

	if (ct->orig.l3 != AF_INET && ct->orig.l3 != AF_INET6)
		return false;
	dnat = save_nat(ct, IPS_DST_NAT_DONE, &r->src, &ct->orig.dst);
	snat = save_nat(ct, IPS_SRC_NAT_DONE, &r->dst, &ct->orig.src);
	save_addr(o, "-s", &ct->orig, &ct->orig.src);
	save_addr(o, "-d", &ct->orig, &ct->orig.dst);
	save_addr(o, dnat ? "-g" : "-r", r, &r->src);
	save_addr(o, snat ? "-n" : "-q", r, &r->dst);
	return true;
}

static void save_ports(struct out *o, const struct ct_entry *ct,
		       const char *const opt[4])
{
	if (ct->orig.has & CT_TUPLE_PORTS) {
		save_u32(o, opt[0], ct->orig.sport);
		save_u32(o, opt[1], ct->orig.dport);
	}
	if (ct->reply.has & CT_TUPLE_PORTS) {
		save_u32(o, opt[2], ct->reply.sport);
		save_u32(o, opt[3], ct->reply.dport);
	}
}

static void save_icmp(struct out *o, const struct ct_tuple *t, bool v6)
{
	if (!(t->has & CT_TUPLE_ICMP))
		return;
	save_u32(o, v6 ? "--icmpv6-type" : "--icmp-type", t->icmp_type);
	save_u32(o, v6 ? "--icmpv6-code" : "--icmp-code", t->icmp_code);
	save_u32(o, v6 ? "--icmpv6-id" : "--icmp-id", t->icmp_id);
}

/* conntrack's sctp table stops at SHUTDOWN_ACK_SENT (7). */
static const char *save_sctp_state(uint8_t state)
{
	return state <= 7 ? sctp_state_name(state) : NULL;
}

static void save_sctp(struct out *o, const struct ct_entry *ct)
{
	if (ct->has & CT_A_SCTP)
		save_name(o, "--state", save_sctp_state(ct->sctp.state));
	if (!(ct->has & CT_A_SCTP_VTAG))
		return;
	/* conntrack applies ntohl to the library's value, itself ntohl of
	 * the attribute: the attribute's bytes read in host order. */
	save_u32(o, "--orig-vtag", ntohl(ct->sctp.vtag_orig));
	save_u32(o, "--reply-vtag", ntohl(ct->sctp.vtag_reply));
}

static void save_dccp(struct out *o, const struct ct_entry *ct)
{
	static const char *const roles[] = { "client", "server" };

	if (ct->has & CT_A_DCCP)
		save_name(o, "--state", dccp_state_name(ct->dccp.state));
	if (ct->has & CT_A_DCCP_ROLE)
		save_name(o, "--role",
			  ct->dccp.role < 2 ? roles[ct->dccp.role] : NULL);
}

static const char *const port_opts[4] = {
	"--sport", "--dport", "--reply-port-src", "--reply-port-dst",
};
static const char *const key_opts[4] = {
	"--srckey", "--dstkey", "--reply-key-src", "--reply-key-dst",
};

/* A protocol without a conntrack extension is saved by number only. */
static void save_l4(struct out *o, const struct ct_entry *ct)
{
	enum proto_kind kind = proto_kind_of(ct->orig.l4);

	if (kind == PK_OTHER) {
		save_u32(o, "-p", ct->orig.l4);
		return;
	}
	save_name(o, "-p", proto_name(ct->orig.l4));
	if (kind & PK_PORTS)
		save_ports(o, ct, port_opts);
	if (kind == PK_GRE)
		save_ports(o, ct, key_opts);
	if (kind & (PK_ICMP | PK_ICMPV6))
		save_icmp(o, &ct->orig, kind == PK_ICMPV6);
	if (kind == PK_TCP && (ct->has & CT_A_TCP))
		save_name(o, "--state", tcp_state_name(ct->tcp.state));
	if (kind == PK_SCTP)
		save_sctp(o, ct);
	if (kind == PK_DCCP)
		save_dccp(o, ct);
}

static void save_ct(struct fmt_ctx *f, const struct ct_entry *ct)
{
	struct out *o = f->out;

	save_kind(o, ct->kind);
	save_generic(o, ct);
	if (save_addrs(o, ct)) {
		save_l4(o, ct);
		while (o->len > 0 && o->buf[o->len - 1] == ' ')
			print_drop_blank(o);
	}
	print_userspace(f, ct->kind);
	out_char(o, '\n');
}

static void save_exp(struct fmt_ctx *f, const struct ct_exp *exp)
{
	fmt_text.exp(f, exp);
}

static void save_count(struct fmt_ctx *f, const char *table, uint64_t n)
{
	fmt_text.count(f, table, n);
}

static void save_stats_cpu(struct fmt_ctx *f, const char *table,
			   const struct ct_stat *st)
{
	fmt_text.stats_cpu(f, table, st);
}

/* No document frame: begin and end stay NULL. */
const struct fmt_ops fmt_save = {
	.name = "save",
	.ct = save_ct,
	.exp = save_exp,
	.count = save_count,
	.stats_cpu = save_stats_cpu,
};
