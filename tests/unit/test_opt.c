/* test_opt.c - the option parser: what each command line puts into the
 * filter and the output settings, and which ones it refuses. */
#include <arpa/inet.h>
#include <linux/netfilter/nf_conntrack_common.h>

#include "ctadm.h"
#include "opt_parse.h"
#include "unit.h"

static struct out out;

static int parse(struct ctadm *c, const char *line)
{
	char buf[512], *argv[64];
	int argc = 0;

	snprintf(buf, sizeof(buf), "ctadm %s", line);
	for (char *t = strtok(buf, " "); t && argc < 63; t = strtok(NULL, " "))
		argv[argc++] = t;
	argv[argc] = NULL;
	memset(c, 0, sizeof(*c));
	c->fmt = &fmt_text;
	c->out = &out;
	return opt_parse(c, argc, argv);
}

static void test_addresses(void)
{
	struct ctadm c;
	struct in_addr a;

	UNIT_CHECK(parse(&c, "-L -s 10.1.2.0/24") == 0, "-s CIDR parses");
	inet_pton(AF_INET, "255.255.255.0", &a);
	UNIT_CHECK(c.filter.orig_src_cidr && c.filter.orig_src_mask.v4 == a.s_addr,
		   "-s /24 sets the mask");
	UNIT_CHECK(c.filter.family == AF_INET, "-s sets the family");
	UNIT_CHECK(parse(&c, "-L -d 2001:db8::/32") == 0 &&
			   c.filter.orig_dst_mask.v6[0] == 0xffffffff &&
			   c.filter.orig_dst_mask.v6[1] == 0,
		   "-d IPv6 /32 mask");
	UNIT_CHECK(parse(&c, "-L -s 1.1.1.1 -d ::1") == -CTADM_EUSAGE,
		   "mixed families refused");
	UNIT_CHECK(parse(&c, "-L -q 1.1.1.0/24") == -CTADM_EUSAGE,
		   "CIDR refused for --reply-dst");
}

static void test_status(void)
{
	struct ctadm c;

	UNIT_CHECK(parse(&c, "-L -u SEEN_REPLY,!ASSURED") == 0 &&
			   c.filter.status_set == IPS_SEEN_REPLY &&
			   c.filter.status_unset == IPS_ASSURED,
		   "-u with a negated flag");
	UNIT_CHECK(parse(&c, "-L -u UNREPLIED") == 0 &&
			   c.filter.status_unset == IPS_SEEN_REPLY,
		   "UNREPLIED forbids SEEN_REPLY");
	UNIT_CHECK(parse(&c, "-L -u assured") == 0 &&
			   c.filter.status_set == IPS_ASSURED,
		   "status names are case-insensitive");
	UNIT_CHECK(parse(&c, "-L -u NOPE") == -CTADM_EUSAGE, "unknown flag");
}

static void test_numbers(void)
{
	struct ctadm c;

	UNIT_CHECK(parse(&c, "-L -m 0x10/0xf0") == 0 && c.filter.mark == 16 &&
			   c.filter.mark_mask == 0xf0,
		   "-m MARK/MASK in hex");
	UNIT_CHECK(parse(&c, "-L -m 7") == 0 && c.filter.mark_mask == 0xffffffff,
		   "-m without mask");
	UNIT_CHECK(parse(&c, "-L -m 4294967296") == -CTADM_EUSAGE,
		   "33-bit mark refused");
	UNIT_CHECK(parse(&c, "-L -w 65535") == 0 && c.filter.zone == 65535,
		   "zone 65535");
	UNIT_CHECK(parse(&c, "-L -w 65536") == -CTADM_EUSAGE, "zone 65536 refused");
	UNIT_CHECK(parse(&c, "-L -p tcp --dport 65536") == -CTADM_EUSAGE,
		   "port 65536 refused");
	UNIT_CHECK(parse(&c, "-G -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 -i") ==
			   -CTADM_EUSAGE,
		   "--id needs a value");
}

static void test_protocols(void)
{
	struct ctadm c;

	UNIT_CHECK(parse(&c, "-L --dport 443 -p tcp") == 0 &&
			   c.filter.orig_dport == 443 && c.filter.l4proto == 6,
		   "protocol options may precede -p");
	UNIT_CHECK(parse(&c, "-L -p 132 --state COOKIE_WAIT") == 0 &&
			   c.filter.state == 2,
		   "-p by number, sctp state");
	UNIT_CHECK(parse(&c, "-L -p tcp --state LISTEN") == 0 &&
			   c.filter.state == 9,
		   "LISTEN is state 9");
	UNIT_CHECK(parse(&c, "-L -p gre --srckey 7") == 0 &&
			   c.filter.orig_sport == 7,
		   "gre key in the port field");
	UNIT_CHECK(parse(&c, "-L -p icmp --dport 1") == -CTADM_EUSAGE,
		   "icmp has no ports");
	UNIT_CHECK(parse(&c, "-L -p ospf") == 0 && c.filter.l4proto == 89 &&
			   !c.proto,
		   "protocol from /etc/protocols");
}

static void test_nat_and_output(void)
{
	struct ctadm c;

	UNIT_CHECK(parse(&c, "-L -n [2001:db8::1]:80") == 0 &&
			   c.filter.snat.has_port && c.filter.snat.port == 80 &&
			   c.filter.snat.family == AF_INET6,
		   "--src-nat [v6]:port");
	UNIT_CHECK(parse(&c, "-L -g") == 0 && !c.filter.dnat.has_addr &&
			   (c.filter.set & F_DNAT),
		   "--dst-nat without address");
	UNIT_CHECK(parse(&c, "-L -o ext,id") == 0 && c.fmt == &fmt_text &&
			   c.fctx.flags == (FMT_F_EXTENDED | FMT_F_ID),
		   "-o prefixes");
	UNIT_CHECK(parse(&c, "-L -o json") == 0 && c.fmt == &fmt_json, "-o json");
	UNIT_CHECK(parse(&c, "-L -o save,id") == -CTADM_EUSAGE,
		   "save is exclusive");
	UNIT_CHECK(parse(&c, "-L exp") == 0 && c.table == TABLE_EXPECT &&
			   c.filter.family == AF_INET,
		   "table prefix; expectations default to IPv4");
	UNIT_CHECK(parse(&c, "-L d") == 0 && c.table == TABLE_DYING,
		   "dying by prefix");
	UNIT_CHECK(parse(&c, "-C -p tcp") == -CTADM_EUSAGE, "-C takes no filter");
}

int main(void)
{
	out_init(&out, -1);
	test_addresses();
	test_status();
	test_numbers();
	test_protocols();
	test_nat_and_output();
	UNIT_DONE();
}
