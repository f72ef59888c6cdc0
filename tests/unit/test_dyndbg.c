/* test_dyndbg.c - lines of the dynamic-debug control file as kernels
 * print them (4.x-5.x octal escapes, 6.1, 6.x with classes), malformed
 * ones, which modules are nf_conntrack's, where the control file is found,
 * and dyndbg_site_set() against a regular file standing in for it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctadm.h"
#include "dyndbg.h"
#include "unit.h"

#define TCP_61 "net/netfilter/nf_conntrack_proto_tcp.c:1222 " \
	"[nf_conntrack]nf_conntrack_tcp_packet =_ " \
	"\"syn=%i ack=%i fin=%i rst=%i old=%i new=%i\\n\"\n"

static void test_lines(void)
{
	struct dyndbg_site s;

	UNIT_CHECK(dyndbg_line_parse("# filename:lineno [module]function flags "
				     "format\n", &s) == 1, "the header");
	UNIT_CHECK(dyndbg_line_parse("\n", &s) == 1 &&
			   dyndbg_line_parse("", &s) == 1, "an empty line");
	UNIT_CHECK(dyndbg_line_parse(TCP_61, &s) == 0, "a 6.1 line parses");
	UNIT_CHECK_STR(s.file, "net/netfilter/nf_conntrack_proto_tcp.c", "file");
	UNIT_CHECK(s.line == 1222, "line");
	UNIT_CHECK_STR(s.module, "nf_conntrack", "module");
	UNIT_CHECK_STR(s.func, "nf_conntrack_tcp_packet", "function");
	UNIT_CHECK_STR(s.flags, "_", "no flags print as _");
	UNIT_CHECK_STR(s.format, "syn=%i ack=%i fin=%i rst=%i old=%i new=%i\\n",
		       "format kept escaped, without its quotes");
	UNIT_CHECK(dyndbg_line_parse("net/netfilter/nf_conntrack_ftp.c:454 "
				     "[nf_conntrack_ftp]help =pmfl \"x\"", &s) == 0 &&
			   strcmp(s.flags, "pmfl") == 0 &&
			   strcmp(s.module, "nf_conntrack_ftp") == 0,
		   "several flags, no newline at the end");
	UNIT_CHECK(dyndbg_line_parse("net/netfilter/nf_conntrack_core.c:2069 "
				     "[nf_conntrack]nf_conntrack_alter_reply =_ "
				     "\"Altering reply tuple of %p to \"\n", &s) == 0 &&
			   strcmp(s.format, "Altering reply tuple of %p to ") == 0,
		   "a format ending in a blank");
}

static void test_other_kernels(void)
{
	struct dyndbg_site s;

	UNIT_CHECK(dyndbg_line_parse("drivers/gpu/drm/drm_connector.c:2849 "
				     "[drm]drm_mode_getconnector =_ "
				     "\"[CONNECTOR:%d:%s]\\n\" class:DRM_UT_KMS\n",
				     &s) == 0 &&
			   strcmp(s.format, "[CONNECTOR:%d:%s]\\n") == 0,
		   "6.x: the class after the format is not kept");
	UNIT_CHECK(dyndbg_line_parse("drivers/x.c:12 [x]f =p \"a\\n\" class "
				     "unknown, _id:12\n", &s) == 0 &&
			   strcmp(s.format, "a\\n") == 0 &&
			   strcmp(s.flags, "p") == 0,
		   "6.x: an unknown class");
	UNIT_CHECK(dyndbg_line_parse("init/main.c:1179 [main]initcall_blacklist "
				     "=_ \"blacklisting initcall %s\\012\"\n",
				     &s) == 0 &&
			   strcmp(s.format, "blacklisting initcall %s\\012") == 0,
		   "older kernels: octal escapes");
	UNIT_CHECK(dyndbg_line_parse("fs/x.c:7 [x]f =_ \"say \"hi\"\\n\"\n",
				     &s) == 0 &&
			   strcmp(s.format, "say \"hi\"\\n") == 0,
		   "a quote inside the format, as recent kernels print it");
	UNIT_CHECK(dyndbg_line_parse("net/netfilter/nf_conntrack_core.c:517 "
				     "[nf_conntrack]clean_from_lists =pmflst "
				     "\"x\"\n", &s) == 0 &&
			   strcmp(s.flags, "pmflst") == 0,
		   "6.x: the s flag (source name)");
	UNIT_CHECK(dyndbg_line_parse("a:b:c.c:3 [m]f =_ \"x\"\n", &s) == 0 &&
			   strcmp(s.file, "a:b:c.c") == 0 && s.line == 3,
		   "the line is after the file's last colon");
}

static void test_malformed(void)
{
	static const char *const bad[] = {
		"garbage\n",
		"net/x.c [m]f =_ \"x\"\n",             /* no line */
		"net/x.c:12a [m]f =_ \"x\"\n",
		"net/x.c: [m]f =_ \"x\"\n",
		":12 [m]f =_ \"x\"\n",
		"net/x.c:99999999999 [m]f =_ \"x\"\n",
		"net/x.c:12 m]f =_ \"x\"\n",
		"net/x.c:12 []f =_ \"x\"\n",
		"net/x.c:12 [m] =_ \"x\"\n",
		"net/x.c:12 [m]f _ \"x\"\n",           /* no = */
		"net/x.c:12 [m]f = \"x\"\n",
		"net/x.c:12 [m]f =P \"x\"\n",
		"net/x.c:12 [m]f =_\n",                /* cut short */
		"net/x.c:12 [m]f =_ x\n",
		"net/x.c:12 [m]f =_ \"x\n",            /* no closing quote */
		"net/x.c:12 [m]f =_ \"x\"y\n",
		"net/x.c:12 [m y]f =_ \"x\"\n",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct dyndbg_site s;
		char name[80];

		snprintf(name, sizeof(name), "malformed line %zu refused", i);
		UNIT_CHECK(dyndbg_line_parse(bad[i], &s) == -EINVAL, name);
	}
}

static void test_long(void)
{
	struct dyndbg_site s;
	char line[1024], fmt[400];

	memset(fmt, 'a', sizeof(fmt) - 1);
	fmt[sizeof(fmt) - 1] = '\0';
	snprintf(line, sizeof(line), "x.c:1 [m]f =_ \"%s\"\n", fmt);
	UNIT_CHECK(dyndbg_line_parse(line, &s) == 0 &&
			   strlen(s.format) == sizeof(s.format) - 1,
		   "a long format is cut to fit");
	fmt[200] = '\0';
	snprintf(line, sizeof(line), "%s.c:1 [nf_nat]f =_ \"x\"\n", fmt);
	UNIT_CHECK(dyndbg_line_parse(line, &s) == -ENAMETOOLONG &&
			   strcmp(s.module, "nf_nat") == 0,
		   "a file too long: ENAMETOOLONG, the module kept");
}

static void test_conntrack(void)
{
	static const struct { const char *module; bool ct; } m[] = {
		{ "nf_conntrack", true }, { "nf_conntrack_ftp", true },
		{ "nf_conntrack_netlink", true }, { "nf_nat", true },
		{ "nf_nat_ftp", true }, { "nf_log_syslog", true },
		{ "nf_defrag_ipv6", false }, { "nf_tables", false },
		{ "nf_conntrackx", false }, { "main", false }, { "", false },
	};

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		struct dyndbg_site s = { .line = 1 };
		char name[80];

		snprintf(s.module, sizeof(s.module), "%s", m[i].module);
		snprintf(name, sizeof(name), "module `%s' is %sconntrack's",
			 m[i].module, m[i].ct ? "" : "not ");
		UNIT_CHECK(dyndbg_site_is_conntrack(&s) == m[i].ct, name);
	}
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static char *read_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, len - 1, f) : 0;

	buf[n] = '\0';
	if (f)
		fclose(f);
	return buf;
}

/* The environment variable, then proc (CTADM_PROC_ROOT), then debugfs
 * where /proc/mounts says it is, else a message naming the option. */
static void test_find(const char *dir)
{
	static struct ctadm c;
	char path[512], p[512], want[512];

	snprintf(p, sizeof(p), "%s/fake-control", dir);
	write_file(p, "# filename:lineno [module]function flags format\n");
	setenv("CTADM_DYNDBG_CONTROL", p, 1);
	UNIT_CHECK(dyndbg_control_find(&c, false, path, sizeof(path)) == 0 &&
			   strcmp(path, p) == 0, "CTADM_DYNDBG_CONTROL first");
	setenv("CTADM_DYNDBG_CONTROL", "/nonexistent/control", 1);
	UNIT_CHECK(dyndbg_control_find(&c, false, path, sizeof(path)) == -ENOENT,
		   "CTADM_DYNDBG_CONTROL naming nothing");
	unsetenv("CTADM_DYNDBG_CONTROL");

	snprintf(p, sizeof(p), "%s/proc", dir);
	mkdir(p, 0700);
	setenv("CTADM_PROC_ROOT", p, 1);
	snprintf(p, sizeof(p), "%s/proc/mounts", dir);
	write_file(p, "proc /proc proc rw 0 0\n");
	UNIT_CHECK(dyndbg_control_find(&c, false, path, sizeof(path)) == -ENOENT &&
			   strstr(c.err, "CONFIG_DYNAMIC_DEBUG") &&
			   strstr(c.err, "--mount-debugfs"),
		   "no proc file, no debugfs: names the config and the option");

	snprintf(p, sizeof(p), "%s/debugfs-mnt", dir);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/debugfs-mnt/dynamic_debug", dir);
	mkdir(p, 0700);
	snprintf(want, sizeof(want), "proc /proc proc rw 0 0\ndebugfs "
		 "%s/debugfs-mnt debugfs rw 0 0\n", dir);
	snprintf(p, sizeof(p), "%s/proc/mounts", dir);
	write_file(p, want);
	UNIT_CHECK(dyndbg_control_find(&c, false, path, sizeof(path)) == -ENOENT &&
			   strstr(c.err, "neither"),
		   "debugfs mounted without a control file");
	snprintf(want, sizeof(want), "%s/debugfs-mnt/dynamic_debug/control", dir);
	write_file(want, "");
	UNIT_CHECK(dyndbg_control_find(&c, false, path, sizeof(path)) == 0 &&
			   strcmp(path, want) == 0,
		   "the control file in debugfs, where /proc/mounts says");

	snprintf(p, sizeof(p), "%s/proc/dynamic_debug", dir);
	mkdir(p, 0700);
	snprintf(want, sizeof(want), "%s/proc/dynamic_debug/control", dir);
	write_file(want, "");
	UNIT_CHECK(dyndbg_control_find(&c, false, path, sizeof(path)) == 0 &&
			   strcmp(path, want) == 0, "proc before debugfs");
	unsetenv("CTADM_PROC_ROOT");
}

#define SITE_LINE_1725 "net/netfilter/nf_conntrack_core.c:1725 " \
	"[nf_conntrack]init_conntrack =_ \"nf_conntrack: Can't invert tuple.\\n\"\n"

/* A regular file takes the query and keeps its flags: a restore to what
 * it holds takes, a change does not. */
static void test_site_set(const char *dir)
{
	static struct ctadm c;
	struct dyndbg_site s = { .line = 1725 };
	char path[512], buf[1024];

	snprintf(path, sizeof(path), "%s/control", dir);
	snprintf(s.file, sizeof(s.file), "net/netfilter/nf_conntrack_core.c");
	write_file(path, SITE_LINE_1725);
	UNIT_CHECK(dyndbg_site_set(&c, path, &s, "=_") == 0,
		   "=_ on a site without flags takes");
	UNIT_CHECK_STR(read_file(path, buf, sizeof(buf)), SITE_LINE_1725
		       "file net/netfilter/nf_conntrack_core.c line 1725 =_\n",
		       "the query written, after the sites");
	UNIT_CHECK(dyndbg_site_set(&c, path, &s, "+p") == -EIO &&
			   strstr(c.err, "did not take"),
		   "+p that did not take fails");
	snprintf(s.module, sizeof(s.module), "nf_conntrack");
	write_file(path, SITE_LINE_1725);
	UNIT_CHECK(dyndbg_site_set(&c, path, &s, "-p") == 0 &&
			   strstr(read_file(path, buf, sizeof(buf)),
				  "\nmodule nf_conntrack file "
				  "net/netfilter/nf_conntrack_core.c line 1725 -p\n"),
		   "the module in the query when known");
	write_file(path, SITE_LINE_1725);
	UNIT_CHECK(dyndbg_site_set(&c, path, &s, "p") == -EINVAL &&
			   dyndbg_site_set(&c, path, &s, "=") == -EINVAL &&
			   dyndbg_site_set(&c, path, &s, "+P") == -EINVAL &&
			   strcmp(read_file(path, buf, sizeof(buf)),
				  SITE_LINE_1725) == 0,
		   "a bad flag change writes nothing");
	s.line = 1;
	UNIT_CHECK(dyndbg_site_set(&c, path, &s, "=_") == -ENOENT,
		   "a site not in the file");
}

int main(void)
{
	char dir[] = "/tmp/test_dyndbg.XXXXXX";
	char cmd[64];

	test_lines();
	test_other_kernels();
	test_malformed();
	test_long();
	test_conntrack();
	if (mkdtemp(dir)) {
		test_find(dir);
		test_site_set(dir);
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			printf("warning: %s left behind\n", dir);
	} else {
		UNIT_CHECK(0, "a temporary directory");
	}
	UNIT_DONE();
}
