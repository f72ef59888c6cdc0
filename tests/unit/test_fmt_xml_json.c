/* test_fmt_xml_json.c - fmt_xml against output captured from conntrack
 * 1.4.7 / libnetfilter_conntrack 1.0.9 (kernel entries made with
 * `conntrack -I` in a private namespace, and nfct_snprintf_labels on
 * objects built with the library where no conntrack option reaches the
 * attribute), and fmt_json against its documented schema. */
#include <arpa/inet.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <stdlib.h>
#include <unistd.h>

#include "fmt.h"
#include "unit.h"

static struct out o;
static FILE *cap;
static char got[1 << 16];
static struct fmt_ctx f;
static char json_all[1 << 16];  /* every json output, for jq */

static void cap_begin(unsigned flags)
{
	cap = tmpfile();
	if (!cap)
		abort();
	out_init(&o, fileno(cap));
	memset(&f, 0, sizeof(f));
	f.out = &o;
	f.flags = flags;
}

static const char *cap_end(void)
{
	size_t len;

	out_flush(&o);
	rewind(cap);
	len = fread(got, 1, sizeof(got) - 1, cap);
	fclose(cap);
	got[len] = '\0';
	if (got[0] == '{')
		strncat(json_all, got, sizeof(json_all) - strlen(json_all) - 1);
	return got;
}

static void tuple_set(struct ct_tuple *t, int family, const char *src,
		      const char *dst, uint8_t l4, uint16_t sport,
		      uint16_t dport)
{
	memset(t, 0, sizeof(*t));
	inet_pton(family, src, t->src.b);
	inet_pton(family, dst, t->dst.b);
	t->l3 = (uint8_t)family;
	t->l4 = l4;
	t->has = CT_TUPLE_ADDR | CT_TUPLE_PROTO;
	if (l4 == IPPROTO_ICMP || l4 == IPPROTO_ICMPV6) {
		t->has |= CT_TUPLE_ICMP;
		return;
	}
	if (sport || dport)
		t->has |= CT_TUPLE_PORTS;
	t->sport = sport;
	t->dport = dport;
}

/* A kernel entry: both tuples, status, timeout, mark, use and id. */
static void ct_set(struct ct_entry *ct, int family, const char *src,
		   const char *dst, uint8_t l4, uint16_t sport, uint16_t dport)
{
	memset(ct, 0, sizeof(*ct));
	ct->family = (uint8_t)family;
	tuple_set(&ct->orig, family, src, dst, l4, sport, dport);
	tuple_set(&ct->reply, family, dst, src, l4, dport, sport);
	ct->has = CT_A_ORIG | CT_A_REPLY | CT_A_STATUS | CT_A_TIMEOUT |
		  CT_A_MARK | CT_A_USE | CT_A_ID;
	ct->status = IPS_CONFIRMED;
	ct->use = 1;
}

#define XML_HEAD "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<conntrack>\n"
#define V4_TCP_10_443                                                        \
	"<meta direction=\"original\"><layer3 protonum=\"2\" "                \
	"protoname=\"ipv4\"><src>1.1.1.1</src><dst>2.2.2.2</dst></layer3>"   \
	"<layer4 protonum=\"6\" protoname=\"tcp\"><sport>10</sport>"         \
	"<dport>443</dport></layer4>"
#define V4_TCP_443_10                                                        \
	"<meta direction=\"reply\"><layer3 protonum=\"2\" "                   \
	"protoname=\"ipv4\"><src>2.2.2.2</src><dst>1.1.1.1</dst></layer3>"   \
	"<layer4 protonum=\"6\" protoname=\"tcp\"><sport>443</sport>"        \
	"<dport>10</dport></layer4>"

/* conntrack -I -p tcp ... --state ESTABLISHED -t 100 -u SEEN_REPLY,ASSURED
 * -m 5 -w 3; conntrack -L -o xml */
static void test_xml_tcp_listing(void)
{
	struct ct_entry ct;

	ct_set(&ct, AF_INET, "1.1.1.1", "2.2.2.2", IPPROTO_TCP, 10, 443);
	ct.has |= CT_A_TCP | CT_A_ZONE;
	ct.tcp.state = 3;
	ct.timeout = 99;
	ct.mark = 5;
	ct.zone = 3;
	ct.id = 4151454959u;
	ct.status |= IPS_SEEN_REPLY | IPS_ASSURED;
	cap_begin(0);
	fmt_xml.begin(&f);
	fmt_xml.ct(&f, &ct);
	fmt_xml.end(&f);
	UNIT_CHECK_STR(cap_end(), XML_HEAD "<flow>" V4_TCP_10_443 "</meta>"
		       V4_TCP_443_10 "</meta><meta direction=\"independent\">"
		       "<state>ESTABLISHED</state><timeout>99</timeout>"
		       "<mark>5</mark><zone>3</zone><use>1</use>"
		       "<id>4151454959</id><assured/></meta></flow>\n"
		       "</conntrack>\n", "xml tcp listing with frame");
}

/* icmp, ipv6 and an unknown protocol (conntrack -L -o xml). */
static void test_xml_other_protocols(void)
{
	struct ct_entry icmp, v6, p99;

	ct_set(&icmp, AF_INET, "1.1.1.1", "2.2.2.2", IPPROTO_ICMP, 0, 0);
	icmp.timeout = 49;
	icmp.id = 1196035309;
	ct_set(&v6, AF_INET6, "::1", "2001:db8::1", IPPROTO_TCP, 1, 2);
	v6.has |= CT_A_TCP;
	v6.tcp.state = 1;
	v6.timeout = 9;
	v6.id = 399391359;
	ct_set(&p99, AF_INET, "1.1.1.1", "2.2.2.2", 99, 0, 0);
	p99.has &= ~(uint32_t)(CT_A_TIMEOUT | CT_A_MARK | CT_A_USE | CT_A_ID |
			       CT_A_STATUS);
	cap_begin(0);
	fmt_xml.ct(&f, &icmp);
	fmt_xml.ct(&f, &v6);
	fmt_xml.ct(&f, &p99);
	UNIT_CHECK_STR(cap_end(),
		"<flow><meta direction=\"original\"><layer3 protonum=\"2\" protoname=\"ipv4\"><src>1.1.1.1</src><dst>2.2.2.2</dst></layer3><layer4 protonum=\"1\" protoname=\"icmp\"></layer4></meta><meta direction=\"reply\"><layer3 protonum=\"2\" protoname=\"ipv4\"><src>2.2.2.2</src><dst>1.1.1.1</dst></layer3><layer4 protonum=\"1\" protoname=\"icmp\"></layer4></meta><meta direction=\"independent\"><timeout>49</timeout><mark>0</mark><use>1</use><id>1196035309</id><unreplied/></meta></flow>\n"
		"<flow><meta direction=\"original\"><layer3 protonum=\"10\" protoname=\"ipv6\"><src>::1</src><dst>2001:db8::1</dst></layer3><layer4 protonum=\"6\" protoname=\"tcp\"><sport>1</sport><dport>2</dport></layer4></meta><meta direction=\"reply\"><layer3 protonum=\"10\" protoname=\"ipv6\"><src>2001:db8::1</src><dst>::1</dst></layer3><layer4 protonum=\"6\" protoname=\"tcp\"><sport>2</sport><dport>1</dport></layer4></meta><meta direction=\"independent\"><state>SYN_SENT</state><timeout>9</timeout><mark>0</mark><use>1</use><id>399391359</id><unreplied/></meta></flow>\n"
		"<flow><meta direction=\"original\"><layer3 protonum=\"2\" protoname=\"ipv4\"><src>1.1.1.1</src><dst>2.2.2.2</dst></layer3><layer4 protonum=\"99\" protoname=\"unknown\"></layer4></meta><meta direction=\"reply\"><layer3 protonum=\"2\" protoname=\"ipv4\"><src>2.2.2.2</src><dst>1.1.1.1</dst></layer3><layer4 protonum=\"99\" protoname=\"unknown\"></layer4></meta></flow>\n",
		"xml icmp, ipv6, unknown protocol, unframed");
}

/* nf_conntrack_acct and _timestamp on: conntrack -L -o xml,ktimestamp. */
static void test_xml_gre_counters_ktimestamp(void)
{
	struct ct_entry ct;

	ct_set(&ct, AF_INET, "1.1.1.1", "2.2.2.2", IPPROTO_GRE, 0x10, 0x20);
	ct.has |= CT_A_COUNTERS | CT_A_TIMESTAMP;
	ct.timeout = 99;
	ct.id = 3504448348u;
	ct.ts_start = 1795622571466625297ull;
	cap_begin(FMT_F_KTIMESTAMP);
	f.now_ns = ct.ts_start + 400000000ull;
	fmt_xml.ct(&f, &ct);
	UNIT_CHECK_STR(cap_end(),
		"<flow><meta direction=\"original\"><layer3 protonum=\"2\" protoname=\"ipv4\"><src>1.1.1.1</src><dst>2.2.2.2</dst></layer3><layer4 protonum=\"47\" protoname=\"gre\"><srckey>0x10</srckey><dstkey>0x20</dstkey></layer4><counters><packets>0</packets><bytes>0</bytes></counters></meta><meta direction=\"reply\"><layer3 protonum=\"2\" protoname=\"ipv4\"><src>2.2.2.2</src><dst>1.1.1.1</dst></layer3><layer4 protonum=\"47\" protoname=\"gre\"><srckey>0x20</srckey><dstkey>0x10</dstkey></layer4><counters><packets>0</packets><bytes>0</bytes></counters></meta><meta direction=\"independent\"><timeout>99</timeout><mark>0</mark><use>1</use><id>3504448348</id><unreplied/><timestamp><start>1795622571466625297</start></timestamp><deltatime>0</deltatime></meta></flow>\n",
		"xml gre keys, counters, ktimestamp");
	cap_begin(0);
	f.now_ns = ct.ts_start + 61000000000ull;
	fmt_xml.ct(&f, &ct);
	UNIT_CHECK(strstr(cap_end(), "<unreplied/><deltatime>61</deltatime>"
			  "</meta></flow>") != NULL,
		   "xml deltatime without -o ktimestamp");
}

/* nfct_snprintf_labels(NFCT_T_NEW, NFCT_OF_TIMESTAMP) with a label map
 * naming bits 0, 1 and 5 and labels 1, 5 and 100 set. */
static void test_xml_event_full(void)
{
	static struct labelmap map = { .name = { [0] = "zero", [1] = "one",
						 [5] = "five" } };
	struct ct_entry ct;

	ct_set(&ct, AF_INET, "1.1.1.1", "2.2.2.2", IPPROTO_TCP, 10, 443);
	ct.kind = CT_MSG_NEW;
	ct.has |= CT_A_TCP | CT_A_SECMARK | CT_A_ZONE | CT_A_COUNTERS |
		  CT_A_TIMESTAMP | CT_A_TS_STOP | CT_A_LABELS | CT_A_HELPER;
	ct.orig.has |= CT_TUPLE_ZONE;
	ct.orig.zone = 4;
	ct.reply.has |= CT_TUPLE_ZONE;
	ct.reply.zone = 5;
	ct.tcp.state = 3;
	ct.timeout = 99;
	ct.mark = 5;
	ct.secmark = 7;
	ct.zone = 3;
	ct.use = 0;
	ct.id = 123;
	ct.status = 0xe;
	ct.labels[0] = 1 << 1 | 1 << 5;
	ct.labels[12] = 1 << 4;
	ct.labels_len = 16;
	ct.helper = "ftp";
	cap_begin(FMT_F_KTIMESTAMP);
	f.labelmap = &map;
	fmt_xml.ct(&f, &ct);
	UNIT_CHECK_STR(cap_end(),
		"<flow type=\"new\"><meta direction=\"original\"><layer3 protonum=\"2\" protoname=\"ipv4\"><src>1.1.1.1</src><dst>2.2.2.2</dst></layer3><layer4 protonum=\"6\" protoname=\"tcp\"><sport>10</sport><dport>443</dport></layer4><zone>4</zone><counters><packets>0</packets><bytes>0</bytes></counters></meta><meta direction=\"reply\"><layer3 protonum=\"2\" protoname=\"ipv4\"><src>2.2.2.2</src><dst>1.1.1.1</dst></layer3><layer4 protonum=\"6\" protoname=\"tcp\"><sport>443</sport><dport>10</dport></layer4><zone>5</zone><counters><packets>0</packets><bytes>0</bytes></counters></meta><meta direction=\"independent\"><state>ESTABLISHED</state><timeout>99</timeout><mark>5</mark><labels><label>one</label><label>five</label></labels><secmark>7</secmark><zone>3</zone><use>0</use><id>123</id><assured/><timestamp><start>0</start><stop>0</stop></timestamp><deltatime>0</deltatime></meta><helper>ftp</helper></flow>\n",
		"xml event with labels, zones, helper, timestamps");
	cap_begin(0);
	fmt_xml.ct(&f, &ct);
	UNIT_CHECK(strstr(cap_end(), "<mark>5</mark><secmark>") != NULL,
		   "xml labels only with a label map (-o labels)");
}

/* The fix: conntrack would print <state>FIN_WAIT</state> (TCP's 3). */
static void test_xml_sctp_dccp_states(void)
{
	struct ct_entry ct;

	ct_set(&ct, AF_INET, "1.1.1.1", "2.2.2.2", IPPROTO_SCTP, 10, 53);
	ct.has |= CT_A_SCTP;
	ct.sctp.state = 4;
	cap_begin(0);
	fmt_xml.ct(&f, &ct);
	UNIT_CHECK(strstr(cap_end(), "<state>ESTABLISHED</state>") != NULL,
		   "xml sctp state by its own name");
	ct_set(&ct, AF_INET, "1.1.1.1", "2.2.2.2", IPPROTO_DCCP, 10, 53);
	ct.has |= CT_A_DCCP;
	ct.dccp.state = 4;
	cap_begin(0);
	fmt_xml.ct(&f, &ct);
	UNIT_CHECK(strstr(cap_end(), "<layer4 protonum=\"33\" protoname=\"dccp"
			  "\"><sport>10</sport><dport>53</dport></layer4>") &&
		   strstr(got, "<state>OPEN</state>"),
		   "xml dccp ports and state by its own name");
}

static void exp_set(struct ct_exp *exp, uint8_t l4)
{
	memset(exp, 0, sizeof(*exp));
	exp->family = AF_INET;
	exp->has = CT_EXP_A_MASTER | CT_EXP_A_TUPLE | CT_EXP_A_MASK;
	tuple_set(&exp->master, AF_INET, "10.0.0.1", "10.0.0.2", l4, 36390, 21);
	tuple_set(&exp->tuple, AF_INET, "10.0.0.1", "10.0.0.2", l4, 0, 41739);
	tuple_set(&exp->mask, AF_INET, "255.255.255.255", "255.255.255.255",
		  l4, 0, 65535);
}

/* nfexp_snprintf(NFCT_O_XML); the frame is conntrack's -L expect one. */
static void test_xml_expect(void)
{
	struct ct_exp exp;

	exp_set(&exp, IPPROTO_TCP);
	cap_begin(0);
	fmt_xml.begin(&f);
	fmt_xml.exp(&f, &exp);
	fmt_xml.end(&f);
	UNIT_CHECK_STR(cap_end(),
		"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<expect>\n"
		"<flow><layer3 protonum=\"2\" protoname=\"ipv4\"><expected><src>10.0.0.1</src><dst>10.0.0.2</dst></expected><mask><src>255.255.255.255</src><dst>255.255.255.255</dst></mask><master><src>10.0.0.1</src><dst>10.0.0.2</dst></master></layer3><layer4 protonum=\"6\" protoname=\"tcp\"><expected><sport>0</sport><dport>41739</dport></expected><mask><sport>0</sport><dport>65535</dport></mask><master><sport>36390</sport><dport>21</dport></master></layer4><meta></meta></flow>\n"
		"</expect>\n", "xml expectation listing");
	exp_set(&exp, IPPROTO_GRE);
	exp.kind = CT_MSG_DESTROY;
	exp.has |= CT_EXP_A_TIMEOUT | CT_EXP_A_HELPER | CT_EXP_A_CLASS |
		   CT_EXP_A_ZONE | CT_EXP_A_FLAGS | CT_EXP_A_ID;
	exp.timeout = 300;
	exp.helper = "ftp";
	exp.class = 2;
	exp.zone = 9;
	exp.flags = 7;
	exp.id = 99;
	cap_begin(0);
	fmt_xml.exp(&f, &exp);
	UNIT_CHECK_STR(cap_end(),
		"<flow type=\"destroy\"><layer3 protonum=\"2\" protoname=\"ipv4\"><expected><src>10.0.0.1</src><dst>10.0.0.2</dst></expected><mask><src>255.255.255.255</src><dst>255.255.255.255</dst></mask><master><src>10.0.0.1</src><dst>10.0.0.2</dst></master></layer3><layer4 protonum=\"47\" protoname=\"gre\"><expected><srckey>0x0</srckey><dstkey>0xa30b</dstkey></expected><mask><srckey>0x0</srckey><dstkey>0xffff</dstkey></mask><master><srckey>0x8e26</srckey><dstkey>0x15</dstkey></master></layer4><meta><helper-name>ftp</helper-name><timeout>300</timeout><class>2</class><zone>9</zone><permanent/><inactive/><userspace/></meta></flow>\n",
		"xml expectation event with meta");
}

/* conntrack prints nothing at all for an empty xml listing. */
static void test_xml_empty(void)
{
	cap_begin(0);
	fmt_xml.begin(&f);
	fmt_xml.end(&f);
	UNIT_CHECK_STR(cap_end(), "", "xml empty listing prints nothing");
}

static void test_json_ct(void)
{
	static struct labelmap map = { .name = { [1] = "one" } };
	struct ct_entry ct;

	ct_set(&ct, AF_INET, "1.1.1.1", "2.2.2.2", IPPROTO_TCP, 10, 443);
	ct.kind = CT_MSG_UPDATE;
	ct.has |= CT_A_TCP | CT_A_ZONE | CT_A_COUNTERS | CT_A_TIMESTAMP |
		  CT_A_LABELS | CT_A_HELPER | CT_A_SECCTX;
	ct.tcp.state = 3;
	ct.timeout = 99;
	ct.mark = 5;
	ct.zone = 3;
	ct.id = 7;
	ct.status = IPS_SEEN_REPLY | IPS_ASSURED | IPS_CONFIRMED | 1u << 20;
	ct.packets[0] = 2;
	ct.bytes[0] = 120;
	ct.packets[1] = 1;
	ct.bytes[1] = 60;
	ct.ts_start = 1700000000000000000ull;
	ct.labels[0] = 1 << 1 | 1 << 2;
	ct.labels_len = 4;
	ct.helper = "ftp";
	ct.secctx = "a\"b";
	cap_begin(0);
	f.labelmap = &map;
	fmt_json.ct(&f, &ct);
	UNIT_CHECK_STR(cap_end(),
		"{\"schema\":1,\"type\":\"conntrack\",\"event\":\"update\",\"family\":\"ipv4\",\"l3proto\":2,\"protocol\":\"tcp\",\"protonum\":6,\"timeout\":99,\"state\":\"ESTABLISHED\","
		"\"orig\":{\"src\":\"1.1.1.1\",\"dst\":\"2.2.2.2\",\"sport\":10,\"dport\":443,\"packets\":2,\"bytes\":120},"
		"\"reply\":{\"src\":\"2.2.2.2\",\"dst\":\"1.1.1.1\",\"sport\":443,\"dport\":10,\"packets\":1,\"bytes\":60},"
		"\"status\":[\"SEEN_REPLY\",\"ASSURED\",\"CONFIRMED\",20],\"mark\":5,\"secctx\":\"a\\\"b\",\"zone\":3,\"use\":1,\"id\":7,"
		"\"timestamp\":{\"start\":1700000000000000000},\"helper\":\"ftp\",\"labels\":[\"one\",2]}\n",
		"json tcp entry");
}

static void test_json_icmp_gre_sctp(void)
{
	struct ct_entry ct;

	ct_set(&ct, AF_INET6, "::1", "::2", IPPROTO_ICMPV6, 0, 0);
	ct.orig.icmp_type = 128;
	ct.orig.icmp_id = 5;
	ct.reply.icmp_type = 129;
	ct.reply.icmp_id = 5;
	ct.has &= ~(uint32_t)(CT_A_MARK | CT_A_USE | CT_A_ID | CT_A_TIMEOUT);
	cap_begin(0);
	fmt_json.ct(&f, &ct);
	UNIT_CHECK_STR(cap_end(),
		"{\"schema\":1,\"type\":\"conntrack\",\"family\":\"ipv6\",\"l3proto\":10,\"protocol\":\"icmpv6\",\"protonum\":58,"
		"\"orig\":{\"src\":\"::1\",\"dst\":\"::2\",\"type\":128,\"code\":0,\"id\":5},"
		"\"reply\":{\"src\":\"::2\",\"dst\":\"::1\",\"type\":129,\"code\":0,\"id\":5},"
		"\"status\":[\"CONFIRMED\"]}\n", "json icmpv6 entry");
	ct_set(&ct, AF_INET, "1.1.1.1", "2.2.2.2", IPPROTO_GRE, 16, 32);
	cap_begin(0);
	fmt_json.ct(&f, &ct);
	UNIT_CHECK(strstr(cap_end(), "\"srckey\":16,\"dstkey\":32}") != NULL,
		   "json gre keys");
	ct_set(&ct, AF_INET, "1.1.1.1", "2.2.2.2", IPPROTO_SCTP, 1, 2);
	ct.has |= CT_A_SCTP;
	ct.sctp.state = 4;
	ct.sctp.vtag_orig = 5;
	ct.sctp.vtag_reply = 6;
	cap_begin(0);
	fmt_json.ct(&f, &ct);
	UNIT_CHECK(strstr(cap_end(), "\"state\":\"ESTABLISHED\",\"orig\":{"
			  "\"src\":\"1.1.1.1\",\"dst\":\"2.2.2.2\",\"sport\":1,"
			  "\"dport\":2,\"vtag\":5},") &&
		   strstr(got, "\"vtag\":6}"), "json sctp state and vtags");
}

static void test_json_exp_count_stats(void)
{
	struct ct_exp exp;
	struct ct_stat st = { .cpu = 1, .n = 2,
			      .item = { { "found", 3 }, { "unknown1", 4 } } };

	exp_set(&exp, IPPROTO_TCP);
	exp.kind = CT_MSG_NEW;
	exp.has |= CT_EXP_A_TIMEOUT | CT_EXP_A_HELPER | CT_EXP_A_FLAGS;
	exp.timeout = 300;
	exp.helper = "ftp";
	exp.flags = NF_CT_EXPECT_PERMANENT;
	cap_begin(0);
	fmt_json.exp(&f, &exp);
	fmt_json.count(&f, "expect", 12);
	fmt_json.stats_cpu(&f, "conntrack", &st);
	UNIT_CHECK_STR(cap_end(),
		"{\"schema\":1,\"type\":\"expect\",\"event\":\"new\",\"family\":\"ipv4\",\"l3proto\":2,\"protocol\":\"tcp\",\"protonum\":6,\"timeout\":300,"
		"\"expected\":{\"src\":\"10.0.0.1\",\"dst\":\"10.0.0.2\",\"sport\":0,\"dport\":41739},"
		"\"mask\":{\"src\":\"255.255.255.255\",\"dst\":\"255.255.255.255\",\"sport\":0,\"dport\":65535},"
		"\"master\":{\"src\":\"10.0.0.1\",\"dst\":\"10.0.0.2\",\"sport\":36390,\"dport\":21},"
		"\"helper\":\"ftp\",\"flags\":[\"PERMANENT\"]}\n"
		"{\"schema\":1,\"type\":\"count\",\"table\":\"expect\",\"count\":12}\n"
		"{\"schema\":1,\"type\":\"stats\",\"table\":\"conntrack\",\"cpu\":1,\"found\":3,\"unknown1\":4}\n",
		"json expectation, count, stats");
}

/* Every line the tests above produced must parse with jq. */
static void test_json_jq(void)
{
	FILE *p;

	if (system("jq --version >/dev/null 2>&1") != 0) {
		printf("SKIP: json lines parse with jq - jq not installed\n");
		return;
	}
	p = popen("jq -e -c 'select(.schema == 1)' >/dev/null", "w");
	if (!p)
		abort();
	fputs(json_all, p);
	UNIT_CHECK(pclose(p) == 0, "json lines parse with jq");
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	test_xml_tcp_listing();
	test_xml_other_protocols();
	test_xml_gre_counters_ktimestamp();
	test_xml_event_full();
	test_xml_sctp_dccp_states();
	test_xml_expect();
	test_xml_empty();
	test_json_ct();
	test_json_icmp_gre_sctp();
	test_json_exp_count_stats();
	test_json_jq();
	UNIT_DONE();
}
