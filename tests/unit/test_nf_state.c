/* test_nf_state.c - the state file of `ctadm debug on': its text, the
 * round trip through it, malformed files, and saving it atomically. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctadm.h"
#include "nf_state.h"
#include "unit.h"

static const char full_text[] =
	"# ctadm debug on: what `ctadm debug off' puts back\n"
	"version=1\n"
	"netns=4026532281\n"
	"cookie=4097\n"
	"since=1718000000\n"
	"backend=syslog\n"
	"dyndbg=1\n"
	"protocols=6,17\n"
	"saved.log_invalid=0\n"
	"saved.nf_log.2=nf_log_ipv4\n"
	"saved.nf_log.10=NONE\n"
	"saved.nf_log_all_netns=0\n"
	"saved.site=net/netfilter/nf_conntrack_proto_tcp.c:1145 _\n"
	"saved.site=net/netfilter/nf_conntrack_core.c:77 mt\n";

static void state_full(struct nf_debug_state *d)
{
	memset(d, 0, sizeof(*d));
	d->netns = 4026532281ULL;
	d->cookie = 4097;
	d->since = 1718000000;
	strcpy(d->backend, "syslog");
	d->dyndbg = true;
	d->n_protos = 2;
	d->proto[0] = 6;
	d->proto[1] = 17;
	strcpy(d->saved.backend_ipv4, "nf_log_ipv4");
	strcpy(d->saved.backend_ipv6, "NONE");
	d->saved.all_netns = 0;
	d->saved.n_sites = 2;
	strcpy(d->saved.site[0].file, "net/netfilter/nf_conntrack_proto_tcp.c");
	d->saved.site[0].line = 1145;
	strcpy(d->saved.site[0].flags, "_");
	strcpy(d->saved.site[1].file, "net/netfilter/nf_conntrack_core.c");
	d->saved.site[1].line = 77;
	strcpy(d->saved.site[1].flags, "mt");
}

static void state_text(const struct nf_debug_state *d, char **buf)
{
	size_t len;
	FILE *f = open_memstream(buf, &len);

	nf_debug_state_format(f, d);
	fclose(f);
}

/* Parse text; the message in c->err on failure. */
static int state_parse(struct ctadm *c, const char *text,
		       struct nf_debug_state *d)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	c->err[0] = '\0';
	ret = nf_debug_state_parse(c, f, "st", d);
	fclose(f);
	return ret;
}

static void test_format(void)
{
	struct nf_debug_state d;
	char *text;

	state_full(&d);
	state_text(&d, &text);
	UNIT_CHECK_STR(text, full_text, "the state file's text");
	free(text);
	d.n_protos = 0;
	d.saved.all_netns = -1;
	d.saved.n_sites = 0;
	strcpy(d.backend, "nflog");
	state_text(&d, &text);
	UNIT_CHECK(strstr(text, "\nprotocols=all\n") != NULL,
		   "all protocols are written as all");
	UNIT_CHECK(strstr(text, "nf_log_all_netns") == NULL,
		   "an untouched nf_log_all_netns is not written");
	UNIT_CHECK(strstr(text, "saved.site") == NULL, "no sites, no lines");
	free(text);
}

static void test_round_trip(void)
{
	struct ctadm c = { 0 };
	struct nf_debug_state d, back;
	char *text, *again;

	state_full(&d);
	state_text(&d, &text);
	UNIT_CHECK(state_parse(&c, text, &back) == 0, "the text parses back");
	UNIT_CHECK(memcmp(&d, &back, sizeof(d)) == 0,
		   "parsed back: every field as written");
	state_text(&back, &again);
	UNIT_CHECK_STR(again, text, "written again: the same text");
	free(text);
	free(again);

	d.n_protos = 0;
	d.saved.all_netns = -1;
	d.saved.n_sites = 0;
	d.dyndbg = false;
	d.cookie = 0;
	d.saved.log_invalid = 255;
	strcpy(d.backend, "nflog");
	state_text(&d, &text);
	memset(&back, 0xff, sizeof(back));
	UNIT_CHECK(state_parse(&c, text, &back) == 0 &&
			   back.n_protos == 0 && back.saved.all_netns == -1 &&
			   back.saved.n_sites == 0 && !back.dyndbg &&
			   back.saved.log_invalid == 255 &&
			   strcmp(back.backend, "nflog") == 0,
		   "round trip: all protocols, nothing else saved");
	free(text);
}

/* full_text with one line replaced (or dropped, with == NULL). */
static void text_with(char *buf, size_t len, const char *key,
		      const char *with)
{
	const char *p = strstr(full_text, key);
	const char *end = strchr(p, '\n') + 1;

	snprintf(buf, len, "%.*s%s%s", (int)(p - full_text), full_text,
		 with ? with : "", end);
}

static void test_malformed(void)
{
	static const struct {
		const char *key, *with, *err;
	} bad[] = {
		{ "version=", "version=2\n",
		  "st:2: version 2: this ctadm reads version 1" },
		{ "version=", "", "st:2: `netns' before the version line" },
		{ "backend=", "backend=foo\n", "st:6: bad backend `foo'" },
		{ "backend=", "backend\n", "st:6: not key=value: `backend'" },
		{ "backend=", "colour=red\n", "st:6: unknown key `colour'" },
		{ "since=", "since=-1\n", "st:5: bad since `-1'" },
		{ "since=", "since=0x10\n", "st:5: bad since `0x10'" },
		{ "since=", "since=017\n", "st:5: bad since `017'" },
		{ "netns=", "netns=\n", "st:3: bad netns `'" },
		{ "dyndbg=", "dyndbg=2\n", "st:7: bad dyndbg `2'" },
		{ "protocols=", "protocols=0\n", "st:8: bad protocols `0'" },
		{ "protocols=", "protocols=256\n", "st:8: bad protocols `256'" },
		{ "protocols=", "protocols=6,,17\n",
		  "st:8: bad protocols `6,,17'" },
		{ "protocols=", "protocols=\n", "st:8: bad protocols `'" },
		{ "protocols=", "protocols=tcp\n", "st:8: bad protocols `tcp'" },
		{ "saved.log_invalid=", "saved.log_invalid=256\n",
		  "st:9: bad saved.log_invalid `256'" },
		{ "saved.nf_log.2=", "saved.nf_log.2=nf log\n",
		  "st:10: bad saved.nf_log.2 `nf log'" },
		{ "saved.nf_log.2=", "saved.nf_log.2=\n",
		  "st:10: bad saved.nf_log.2 `'" },
		{ "saved.nf_log.10=", NULL, "st: no saved.nf_log.10 line (cut short?)" },
		{ "saved.nf_log.10=", "saved.nf_log.2=NONE\n",
		  "st:11: `saved.nf_log.2' a second time" },
		{ "saved.nf_log_all_netns=", "saved.nf_log_all_netns=x\n",
		  "st:12: bad saved.nf_log_all_netns `x'" },
		{ "saved.site=net/netfilter/nf_conntrack_core",
		  "saved.site=net/netfilter/nf_conntrack_core.c:77\n",
		  "st:14: bad saved.site `net/netfilter/nf_conntrack_core.c:77'" },
		{ "saved.site=net/netfilter/nf_conntrack_core",
		  "saved.site=core.c 77 p\n", "st:14: bad saved.site `core.c 77 p'" },
		{ "saved.site=net/netfilter/nf_conntrack_core",
		  "saved.site=core.c:x p\n", "st:14: bad saved.site `core.c:x p'" },
		{ "saved.site=net/netfilter/nf_conntrack_core",
		  "saved.site=core.c:7 P\n", "st:14: bad saved.site `core.c:7 P'" },
	};
	struct ctadm c = { 0 };
	struct nf_debug_state d;
	char text[2048], name[128];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		text_with(text, sizeof(text), bad[i].key, bad[i].with);
		snprintf(name, sizeof(name), "malformed: %s", bad[i].err);
		UNIT_CHECK(state_parse(&c, text, &d) == -EINVAL, name);
		UNIT_CHECK_STR(c.err, bad[i].err, name);
	}
	UNIT_CHECK(state_parse(&c, "", &d) == -EINVAL, "an empty file");
	UNIT_CHECK_STR(c.err, "st: no version line (cut short?)",
		       "an empty file: the message");
	memset(text, 'x', sizeof(text) - 1);
	memcpy(text, "version=1\nnetns=", 16);
	text[sizeof(text) - 1] = '\0';
	UNIT_CHECK(state_parse(&c, text, &d) == -EINVAL &&
			   strcmp(c.err, "st:2: line too long") == 0,
		   "a line too long");
	UNIT_CHECK(state_parse(&c, "# only a comment\n\n", &d) == -EINVAL,
		   "comments only: no version line");
}

/* No file but the state file in dir: the temporary one is gone. */
static int dir_count(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void test_save_load(void)
{
	struct ctadm c = { 0 };
	struct nf_debug_state d, back;
	char tmpl[] = "/tmp/ctadm-nf-state-XXXXXX", run[128], path[512];

	UNIT_CHECK(mkdtemp(tmpl) != NULL, "a temporary directory");
	snprintf(run, sizeof(run), "%s/run", tmpl);
	setenv("CTADM_RUN_DIR", run, 1);
	nf_debug_state_path(path, sizeof(path), 4026532281ULL);
	snprintf(run + strlen(run), sizeof(run) - strlen(run),
		 "/debug-4026532281.state");
	UNIT_CHECK_STR(path, run, "the state file is keyed by the inode");
	UNIT_CHECK(nf_debug_state_load(&c, path, &back) == 1,
		   "no state file: 1");
	state_full(&d);
	UNIT_CHECK(nf_debug_state_save(&c, path, &d) == 0,
		   "saved, the run directory made");
	UNIT_CHECK(nf_debug_state_load(&c, path, &back) == 0 &&
			   memcmp(&d, &back, sizeof(d)) == 0,
		   "loaded back as saved");
	d.since++;
	UNIT_CHECK(nf_debug_state_save(&c, path, &d) == 0 &&
			   nf_debug_state_load(&c, path, &back) == 0 &&
			   back.since == d.since,
		   "saved over the old one");
	*strrchr(run, '/') = '\0';
	UNIT_CHECK(dir_count(run) == 1, "no temporary file is left");
	unlink(path);
	rmdir(run);
	rmdir(tmpl);
}

int main(void)
{
	test_format();
	test_round_trip();
	test_malformed();
	test_save_load();
	UNIT_DONE();
}
