/* dyndbg.c - ctadm dyndbg [list [PATTERN]|enable SITE...|disable SITE...]:
 * the pr_debug() sites of nf_conntrack's modules in the kernel's
 * dynamic-debug control file, and their `p' (print) flag.
 *
 * The kernel prints a site a line (lib/dynamic_debug.c, ddebug_proc_show)
 *   FILE:LINE [MODULE]FUNCTION =FLAGS "FORMAT"
 * and takes queries written to the same file, "file F line N +p".  A
 * query that matches no site is not an error to it: only reading the file
 * again tells whether a change took. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "ctadm.h"
#include "dyndbg.h"
#include "paths.h"
#include "settings_cmd.h"

#define CONTROL_REL "dynamic_debug/control"
#define DEBUGFS_DIR "/sys/kernel/debug"
#define FLAG_LETTERS "abcdefghijklmnopqrstuvwxyz_"

/* ---- one line of the control file ---- */

static int field_copy(char *dst, size_t len, const char *s, size_t n)
{
	if (n >= len)
		return -ENAMETOOLONG;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

/* "FILE:LINE " (the file may hold colons: the line is after the last). */
static const char *where_parse(const char *p, const char *end,
			       struct dyndbg_site *s, int *toolong)
{
	const char *sp = memchr(p, ' ', (size_t)(end - p)), *colon;
	unsigned long line;
	char *e;

	colon = sp ? memrchr(p, ':', (size_t)(sp - p)) : NULL;
	if (!colon || colon == p || !isdigit((unsigned char)colon[1]))
		return NULL;
	errno = 0;
	line = strtoul(colon + 1, &e, 10);
	if (e != sp || errno || line > UINT_MAX)
		return NULL;
	s->line = (unsigned)line;
	if (field_copy(s->file, sizeof(s->file), p, (size_t)(colon - p)) < 0)
		*toolong = 1;
	return sp + 1;
}

/* "[MODULE]FUNCTION " */
static const char *who_parse(const char *p, const char *end,
			     struct dyndbg_site *s, int *toolong)
{
	const char *close, *sp;

	if (p == end || *p != '[')
		return NULL;
	close = memchr(p, ']', (size_t)(end - p));
	if (!close || close == p + 1 || memchr(p, ' ', (size_t)(close - p)))
		return NULL;
	sp = memchr(close, ' ', (size_t)(end - close));
	if (!sp || sp == close + 1)
		return NULL;
	if (field_copy(s->module, sizeof(s->module), p + 1,
		       (size_t)(close - p - 1)) < 0)
		*toolong = 1;
	if (field_copy(s->func, sizeof(s->func), close + 1,
		       (size_t)(sp - close - 1)) < 0)
		*toolong = 1;
	return sp + 1;
}

/* "=FLAGS ": letters, `_' for none. */
static const char *flags_parse(const char *p, const char *end,
			       struct dyndbg_site *s)
{
	size_t n;

	if (p == end || *p != '=')
		return NULL;
	n = strspn(p + 1, FLAG_LETTERS);
	if (n == 0 || p + 1 + n >= end || p[1 + n] != ' ' ||
	    field_copy(s->flags, sizeof(s->flags), p + 1, n) < 0)
		return NULL;
	return p + 2 + n;
}

/* "FORMAT" to the last quote of the line: recent kernels escape only
 * blanks in it (\n; older ones \012 and \042 for a quote), so a quote
 * inside comes out as is; what follows (" class:NAME") is the site's
 * class. */
static int format_parse(const char *p, const char *end, struct dyndbg_site *s)
{
	const char *q;
	size_t n;

	if (p == end || *p != '"')
		return -EINVAL;
	q = memrchr(p + 1, '"', (size_t)(end - p - 1));
	if (!q || (q + 1 < end && q[1] != ' '))
		return -EINVAL;
	n = (size_t)(q - p - 1);
	if (n >= sizeof(s->format))
		n = sizeof(s->format) - 1;   /* shown only: cut to fit */
	memcpy(s->format, p + 1, n);
	s->format[n] = '\0';
	return 0;
}

int dyndbg_line_parse(const char *line, struct dyndbg_site *s)
{
	const char *end = line + strcspn(line, "\n");
	const char *p;
	int toolong = 0;

	memset(s, 0, sizeof(*s));
	if (end == line || line[0] == '#')
		return 1;
	p = where_parse(line, end, s, &toolong);
	if (p)
		p = who_parse(p, end, s, &toolong);
	if (p)
		p = flags_parse(p, end, s);
	if (!p || format_parse(p, end, s) < 0)
		return -EINVAL;
	return toolong ? -ENAMETOOLONG : 0;
}

bool dyndbg_site_is_conntrack(const struct dyndbg_site *s)
{
	const char *m = s->module;

	return strcmp(m, "nf_conntrack") == 0 ||
	       strncmp(m, "nf_conntrack_", 13) == 0 ||
	       strncmp(m, "nf_nat", 6) == 0 || strcmp(m, "nf_log_syslog") == 0;
}

/* ---- where the control file is ---- */

static bool debugfs_mount_point(char *buf, size_t len)
{
	FILE *f = proc_open("mounts");
	char line[1024], dir[512], type[64];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %511s %63s", dir, type) == 2 &&
		    strcmp(type, "debugfs") == 0) {
			snprintf(buf, len, "%s", dir);
			found = true;
		}
	fclose(f);
	return found;
}

static int debugfs_mount(struct ctadm *c, char *mnt, size_t len)
{
	snprintf(mnt, len, "%s", DEBUGFS_DIR);
	if (mount("debugfs", mnt, "debugfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) < 0)
		return ctadm_fail(c, errno, "dyndbg: --mount-debugfs: mounting "
				  "debugfs on %s: %s", mnt, strerror(errno));
	return 0;
}

/* The control file in debugfs, proc having none (kernels before procfs
 * got one, or CTADM_PROC_ROOT pointing elsewhere). */
static int control_in_debugfs(struct ctadm *c, bool mount_debugfs,
			      const char *proc, char *path, size_t len)
{
	char mnt[512];
	bool mounted = false;
	int ret;

	if (!debugfs_mount_point(mnt, sizeof(mnt))) {
		if (!mount_debugfs)
			return ctadm_fail(c, ENOENT, "dyndbg: the kernel has no "
					  "dynamic debug (built without "
					  "CONFIG_DYNAMIC_DEBUG): %s does not "
					  "exist (older kernels have it in "
					  "debugfs only, which is not mounted: "
					  "--mount-debugfs mounts it)", proc);
		ret = debugfs_mount(c, mnt, sizeof(mnt));
		if (ret < 0)
			return ret;
		mounted = true;
	}
	snprintf(path, len, "%s/%s", mnt, CONTROL_REL);
	if (access(path, F_OK) == 0) {
		if (mounted)
			fprintf(stderr, "%s: mounted debugfs on %s\n",
				CTADM_NAME, mnt);
		return 0;
	}
	/* Mounted only to look: leave the system as it was. */
	if (mounted)
		umount2(mnt, 0);
	return ctadm_fail(c, ENOENT, "dyndbg: the kernel has no dynamic debug "
			  "(built without CONFIG_DYNAMIC_DEBUG): neither %s nor "
			  "%s exists", proc, path);
}

int dyndbg_control_find(struct ctadm *c, bool mount_debugfs, char *path,
			size_t len)
{
	const char *env = dyndbg_control_override();
	char proc[512];

	if (env && *env) {
		snprintf(path, len, "%s", env);
		if (access(path, R_OK) < 0)
			return ctadm_fail(c, errno, "dyndbg: CTADM_DYNDBG_CONTROL"
					  "=%s: %s", env, strerror(errno));
		return 0;
	}
	proc_path(proc, sizeof(proc), CONTROL_REL);
	if (access(proc, F_OK) == 0) {
		snprintf(path, len, "%s", proc);
		return 0;
	}
	return control_in_debugfs(c, mount_debugfs, proc, path, len);
}

bool dyndbg_available(void)
{
	const char *env = dyndbg_control_override();
	char path[512];

	if (env)
		return access(env, R_OK) == 0;
	if (access(proc_path(path, sizeof(path), CONTROL_REL), R_OK) == 0)
		return true;
	if (!debugfs_mount_point(path, sizeof(path)))
		return false;
	strncat(path, "/" CONTROL_REL, sizeof(path) - strlen(path) - 1);
	return access(path, R_OK) == 0;
}

/* ---- reading it ---- */

typedef int (*site_fn)(const struct dyndbg_site *s, void *arg);

static int line_refuse(struct ctadm *c, const char *path, unsigned lineno,
		       const char *line)
{
	int n = (int)strcspn(line, "\n");

	return ctadm_fail(c, EINVAL, "dyndbg: %s:%u: unexpected line `%.*s'",
			  path, lineno, n > 100 ? 100 : n, line);
}

/* fn for every site of the file (of nf_conntrack's modules only, or
 * all).  strict: a line ctadm does not understand is an error, as it may
 * hide a site (a name too long for ctadm too, in nf_conntrack's modules);
 * else it is skipped (the re-read after a write, which looks for given
 * sites only). */
static int control_read(struct ctadm *c, const char *path, bool strict,
			bool ct_only, site_fn fn, void *arg)
{
	FILE *f = fopen(path, "re");
	struct dyndbg_site s;
	char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	int ret = 0, r;
	bool ct;

	if (!f)
		return ctadm_fail(c, errno, "dyndbg: %s: %s", path,
				  strerror(errno));
	while (ret == 0 && getline(&line, &cap, f) >= 0) {
		lineno++;
		r = dyndbg_line_parse(line, &s);
		ct = dyndbg_site_is_conntrack(&s);
		if (r == 0 && (ct || !ct_only))
			ret = fn(&s, arg);
		else if (strict && (r == -EINVAL || (r == -ENAMETOOLONG && ct)))
			ret = line_refuse(c, path, lineno, line);
	}
	if (ret == 0 && ferror(f))
		ret = ctadm_fail(c, EIO, "dyndbg: reading %s failed", path);
	free(line);
	fclose(f);
	return ret;
}

int dyndbg_sites_each(struct ctadm *c, const char *path,
		      int (*fn)(const struct dyndbg_site *s, void *arg),
		      void *arg)
{
	return control_read(c, path, true, true, fn, arg);
}

/* ---- a list of sites ---- */

struct site_list {
	struct dyndbg_site *v;
	unsigned n, cap;
};

/* One site of the kernel's: file and line, and module when a has one. */
static bool site_same(const struct dyndbg_site *a, const struct dyndbg_site *b)
{
	return a->line == b->line && strcmp(a->file, b->file) == 0 &&
	       (!a->module[0] || strcmp(a->module, b->module) == 0);
}

static int site_list_add(struct ctadm *c, struct site_list *l,
			 const struct dyndbg_site *s, bool unique)
{
	struct dyndbg_site *v;

	for (unsigned i = 0; unique && i < l->n; i++)
		if (site_same(&l->v[i], s))
			return 0;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		v = realloc(l->v, l->cap * sizeof(*v));
		if (!v)
			return ctadm_fail(c, ENOMEM, "dyndbg: out of memory");
		l->v = v;
	}
	l->v[l->n++] = *s;
	return 0;
}

/* ---- changing flags ---- */

/* "+LETTERS", "-LETTERS" or "=LETTERS", `_' standing for no flag. */
static bool flagspec_valid(const char *spec)
{
	size_t n;

	if (!spec || !spec[0] || !strchr("+-=", spec[0]))
		return false;
	n = strspn(spec + 1, FLAG_LETTERS);
	return n > 0 && spec[1 + n] == '\0';
}

static bool letters_within(const char *a, const char *b)
{
	for (; *a; a++)
		if (*a != '_' && !strchr(b, *a))
			return false;
	return true;
}

/* Whether flags (as printed) are what writing spec makes them. */
static bool flags_satisfy(const char *flags, const char *spec)
{
	const char *want = spec + 1;
	bool add = spec[0] == '+';

	if (spec[0] == '=')
		return letters_within(want, flags) && letters_within(flags, want);
	for (; *want; want++)
		if (*want != '_' && (strchr(flags, *want) != NULL) != add)
			return false;
	return true;
}

static void query_format(char *buf, size_t len, const struct dyndbg_site *s,
			 const char *spec)
{
	if (s->module[0])
		snprintf(buf, len, "module %s file %s line %u %s\n", s->module,
			 s->file, s->line, spec);
	else
		snprintf(buf, len, "file %s line %u %s\n", s->file, s->line,
			 spec);
}

/* A query a write(2): the kernel runs each write on its own, and older
 * kernels took no more than 255 bytes in one.  O_APPEND as the kernel's
 * file ignores the offset, while a regular file standing in for it
 * (tests) keeps its sites and gets the queries after them. */
static int queries_write(struct ctadm *c, const char *path,
			 const struct site_list *l, const char *spec)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	char q[512];
	ssize_t n;
	int err;

	if (fd < 0)
		return ctadm_fail(c, errno, "dyndbg: opening %s for writing: %s",
				  path, strerror(errno));
	for (unsigned i = 0; i < l->n; i++) {
		query_format(q, sizeof(q), &l->v[i], spec);
		n = write(fd, q, strlen(q));
		if (n == (ssize_t)strlen(q))
			continue;
		err = n < 0 ? errno : EIO;
		close(fd);
		return ctadm_fail(c, err, "dyndbg: writing `%.*s' to %s: %s",
				  (int)strlen(q) - 1, q, path, strerror(err));
	}
	close(fd);
	return 0;
}

struct confirm {
	struct site_list *l;
	const char *spec;
	bool *seen;
	unsigned bad;           /* 1 + the index of a site that did not take */
	char bad_flags[16];
};

static int confirm_site(const struct dyndbg_site *s, void *arg)
{
	struct confirm *k = arg;

	for (unsigned i = 0; i < k->l->n; i++) {
		if (!site_same(&k->l->v[i], s))
			continue;
		/* The flags only: the rest is the key, and one without a
		 * module (a restore) matches the site in every module. */
		if (!k->seen[i])
			snprintf(k->l->v[i].flags, sizeof(k->l->v[i].flags),
				 "%s", s->flags);
		k->seen[i] = true;
		if (!k->bad && !flags_satisfy(s->flags, k->spec)) {
			k->bad = i + 1;
			snprintf(k->bad_flags, sizeof(k->bad_flags), "%s",
				 s->flags);
		}
	}
	return 0;
}

/* Read the file again: every site of l has the flags spec makes; l gets
 * the flags as they are now. */
static int sites_confirm(struct ctadm *c, const char *path,
			 struct site_list *l, const char *spec)
{
	struct confirm k = { .l = l, .spec = spec };
	const struct dyndbg_site *s;
	char q[512];
	int ret;

	k.seen = calloc(l->n ? l->n : 1, sizeof(*k.seen));
	if (!k.seen)
		return ctadm_fail(c, ENOMEM, "dyndbg: out of memory");
	ret = control_read(c, path, false, false, confirm_site, &k);
	for (unsigned i = 0; ret == 0 && i < l->n; i++)
		if (!k.seen[i])
			ret = ctadm_fail(c, ENOENT, "dyndbg: %s:%u is no longer "
					 "in %s (its module was unloaded?)",
					 l->v[i].file, l->v[i].line, path);
	if (ret == 0 && k.bad) {
		s = &l->v[k.bad - 1];
		query_format(q, sizeof(q), s, spec);
		ret = ctadm_fail(c, EIO, "dyndbg: `%.*s' did not take: %s:%u "
				 "still has flags `%s' in %s", (int)strlen(q) - 1,
				 q, s->file, s->line, k.bad_flags, path);
	}
	free(k.seen);
	return ret;
}

int dyndbg_site_set(struct ctadm *c, const char *path,
		    const struct dyndbg_site *s, const char *flagspec)
{
	struct dyndbg_site site = *s;
	struct site_list l = { .v = &site, .n = 1, .cap = 1 };
	int ret;

	if (!flagspec_valid(flagspec))
		return ctadm_fail(c, EINVAL, "dyndbg: `%s' is not a flag change "
				  "(+p, -p, =FLAGS)", flagspec ? flagspec : "");
	ret = queries_write(c, path, &l, flagspec);
	if (ret == 0)
		ret = sites_confirm(c, path, &l, flagspec);
	return ret;
}

/* ---- SITE arguments ---- */

enum site_kind { SITE_ALL, SITE_FUNC, SITE_FILE, SITE_LINE };

struct site_arg {
	enum site_kind kind;
	const char *name;       /* function or file, name_len bytes */
	size_t name_len;
	unsigned line;
	unsigned matched;       /* nf_conntrack sites it matches */
	char other[64];         /* the module of another site it matches */
};

/* FILE:LINE, LINE from 1. */
static int site_line_parse(const char *w, struct site_arg *a)
{
	const char *colon = strrchr(w, ':');
	unsigned long v;
	char *end;

	if (!colon || colon == w || !isdigit((unsigned char)colon[1]) ||
	    strpbrk(w, " \t"))
		return -EINVAL;
	errno = 0;
	v = strtoul(colon + 1, &end, 10);
	if (*end || errno || v == 0 || v > UINT_MAX)
		return -EINVAL;
	a->kind = SITE_LINE;
	a->name = w;
	a->name_len = (size_t)(colon - w);
	a->line = (unsigned)v;
	return 0;
}

static int site_args_parse(struct ctadm *c, char **w, int n,
			   struct site_arg *a, unsigned *na)
{
	for (int i = 0; i < n; i++) {
		struct site_arg *s = &a[(*na)++];
		bool func = strcmp(w[i], "func") == 0;

		if (strcmp(w[i], "all") == 0) {
			s->kind = SITE_ALL;
		} else if (func || strcmp(w[i], "file") == 0) {
			if (i + 1 == n || !w[i + 1][0])
				return ctadm_fail(c, CTADM_EUSAGE, "dyndbg: `%s' "
						  "needs a %s name", w[i],
						  func ? "function" : "file");
			s->kind = func ? SITE_FUNC : SITE_FILE;
			s->name = w[++i];
			s->name_len = strlen(s->name);
		} else if (site_line_parse(w[i], s) < 0) {
			return ctadm_fail(c, CTADM_EUSAGE, "dyndbg: `%s' is not a "
					  "site: FILE:LINE, func NAME, file FILE "
					  "or all", w[i]);
		}
	}
	return 0;
}

/* The kernel's `file' matches the path as printed or its last part. */
static bool file_matches(const struct site_arg *a, const char *file)
{
	const char *base = strrchr(file, '/');

	base = base ? base + 1 : file;
	return (strlen(file) == a->name_len &&
		memcmp(file, a->name, a->name_len) == 0) ||
	       (strlen(base) == a->name_len &&
		memcmp(base, a->name, a->name_len) == 0);
}

static bool site_arg_matches(const struct site_arg *a,
			     const struct dyndbg_site *s)
{
	switch (a->kind) {
	case SITE_ALL:
		return true;
	case SITE_FUNC:
		return strcmp(a->name, s->func) == 0;
	case SITE_FILE:
		return file_matches(a, s->file);
	case SITE_LINE:
		return s->line == a->line && file_matches(a, s->file);
	}
	return false;
}

struct resolve {
	struct ctadm *c;
	struct site_arg *a;
	unsigned na;
	struct site_list *out;
};

static int resolve_site(const struct dyndbg_site *s, void *arg)
{
	struct resolve *r = arg;
	bool ct = dyndbg_site_is_conntrack(s), want = false;

	for (unsigned i = 0; i < r->na; i++) {
		struct site_arg *a = &r->a[i];

		if (!site_arg_matches(a, s))
			continue;
		if (ct) {
			a->matched++;
			want = true;
		} else if (a->kind != SITE_ALL && !a->other[0]) {
			snprintf(a->other, sizeof(a->other), "%s", s->module);
		}
	}
	return want ? site_list_add(r->c, r->out, s, true) : 0;
}

static void site_arg_text(const struct site_arg *a, char *buf, size_t len)
{
	static const char *const kw[] = { "all", "func ", "file ", "" };

	snprintf(buf, len, "%s%.*s", kw[a->kind],
		 a->kind == SITE_ALL ? 0 : (int)a->name_len,
		 a->kind == SITE_ALL ? "" : a->name);
	if (a->kind == SITE_LINE)
		snprintf(buf + strlen(buf), len - strlen(buf), ":%u", a->line);
}

/* Every SITE names an nf_conntrack site, else nothing is written. */
static int site_args_check(struct ctadm *c, const char *path,
			   const struct site_arg *a, unsigned na)
{
	char text[256];

	for (unsigned i = 0; i < na; i++) {
		if (a[i].matched)
			continue;
		if (a[i].kind == SITE_ALL)
			return ctadm_fail(c, ENOENT, "dyndbg: %s has no site of "
					  "nf_conntrack's modules (not loaded, "
					  "or built without pr_debug sites)",
					  path);
		site_arg_text(&a[i], text, sizeof(text));
		if (a[i].other[0])
			return ctadm_fail(c, CTADM_EUSAGE, "dyndbg: `%s' is a "
					  "site of module %s, not of nf_conntrack's "
					  "modules", text, a[i].other);
		return ctadm_fail(c, CTADM_EUSAGE, "dyndbg: no site `%s' in %s "
				  "(`ctadm dyndbg list' lists them)", text, path);
	}
	return 0;
}

/* ---- output ---- */

/* The text columns of a site but its format. */
static void site_columns(const struct dyndbg_site *s, char *where,
			 size_t len, const char *col[4])
{
	snprintf(where, len, "%s:%u", s->file, s->line);
	col[0] = where;
	col[1] = s->module;
	col[2] = s->func;
	col[3] = s->flags;
}

static void sites_text(struct out *o, const struct site_list *l)
{
	static const char *const head[4] = { "FILE:LINE", "MODULE",
					     "FUNCTION", "FLAGS" };
	const char *col[4];
	char where[192];
	size_t w[4];

	for (int k = 0; k < 4; k++)
		w[k] = strlen(head[k]);
	for (unsigned i = 0; i < l->n; i++) {
		site_columns(&l->v[i], where, sizeof(where), col);
		for (int k = 0; k < 4; k++)
			if (strlen(col[k]) > w[k])
				w[k] = strlen(col[k]);
	}
	for (int k = 0; k < 4; k++)
		out_str_pad(o, head[k], (unsigned)w[k] + 2);
	out_str(o, "FORMAT\n");
	for (unsigned i = 0; i < l->n; i++) {
		site_columns(&l->v[i], where, sizeof(where), col);
		for (int k = 0; k < 4; k++)
			out_str_pad(o, col[k], (unsigned)w[k] + 2);
		out_printf(o, "\"%s\"\n", l->v[i].format);
	}
}

static void json_field(struct out *o, const char *key, const char *v)
{
	out_printf(o, "\"%s\":\"", key);
	out_json_escaped(o, v);
	out_char(o, '"');
}

static void sites_json(struct out *o, const char *path,
		       const struct site_list *l)
{
	out_str(o, "{\"schema\":1,");
	json_field(o, "control", path);
	out_str(o, ",\"sites\":[");
	for (unsigned i = 0; i < l->n; i++) {
		const struct dyndbg_site *s = &l->v[i];

		out_str(o, i ? ",{" : "{");
		json_field(o, "file", s->file);
		out_printf(o, ",\"line\":%u,", s->line);
		json_field(o, "module", s->module);
		out_char(o, ',');
		json_field(o, "function", s->func);
		out_char(o, ',');
		json_field(o, "flags", s->flags);
		out_printf(o, ",\"enabled\":%s,",
			   strchr(s->flags, 'p') ? "true" : "false");
		json_field(o, "format", s->format);
		out_char(o, '}');
	}
	out_str(o, "]}\n");
}

static int sites_show(struct ctadm *c, const char *path,
		      const struct site_list *l)
{
	if (c->fmt == &fmt_json)
		sites_json(c->out, path, l);
	else
		sites_text(c->out, l);
	return out_flush(c->out);
}

/* ---- the subcommands ---- */

struct list_arg {
	struct ctadm *c;
	const char *pattern;
	struct site_list *l;
};

static int list_site(const struct dyndbg_site *s, void *arg)
{
	const struct list_arg *x = arg;
	const char *p = x->pattern;

	if (p && !strstr(s->file, p) && !strstr(s->func, p) &&
	    !strstr(s->module, p) && !strstr(s->format, p))
		return 0;
	return site_list_add(x->c, x->l, s, false);
}

static int dyndbg_list(struct ctadm *c, const char *pattern)
{
	struct site_list l = { 0 };
	struct list_arg x = { c, pattern, &l };
	char path[512];
	int ret;

	ret = dyndbg_control_find(c, c->word.mount_debugfs, path, sizeof(path));
	if (ret == 0)
		ret = dyndbg_sites_each(c, path, list_site, &x);
	if (ret == 0) {
		if (l.n == 0 && !pattern)
			fprintf(stderr, "%s: warning: %s has no site of "
				"nf_conntrack's modules (not loaded?)\n",
				CTADM_NAME, path);
		ret = sites_show(c, path, &l);
	}
	free(l.v);
	return ret;
}

/* The sites SITE... name; a usage error, and nothing written, when one of
 * them names none. */
static int sites_resolve(struct ctadm *c, const char *path,
			 struct site_arg *a, unsigned na, struct site_list *l)
{
	struct resolve r = { c, a, na, l };
	int ret = control_read(c, path, true, false, resolve_site, &r);

	return ret < 0 ? ret : site_args_check(c, path, a, na);
}

static int dyndbg_change(struct ctadm *c, bool enable)
{
	const char *spec = enable ? "+p" : "-p";
	struct site_list l = { 0 };
	struct site_arg *a = calloc((size_t)c->nargs, sizeof(*a));
	unsigned na = 0;
	char path[512];
	int ret;

	if (!a)
		return ctadm_fail(c, ENOMEM, "dyndbg: out of memory");
	ret = site_args_parse(c, c->args + 1, c->nargs - 1, a, &na);
	if (ret == 0)
		ret = dyndbg_control_find(c, c->word.mount_debugfs, path,
					  sizeof(path));
	if (ret == 0)
		ret = sites_resolve(c, path, a, na, &l);
	if (ret == 0)
		ret = queries_write(c, path, &l, spec);
	if (ret == 0)
		ret = sites_confirm(c, path, &l, spec);
	if (ret == 0)
		ret = sites_show(c, path, &l);
	free(a);
	free(l.v);
	return ret;
}

int dyndbg_run(struct ctadm *c)
{
	const char *sub = c->nargs ? c->args[0] : "list";

	if (strcmp(sub, "list") == 0) {
		if (c->nargs > 2)
			return ctadm_fail(c, CTADM_EUSAGE, "dyndbg list: one "
					  "PATTERN at most");
		return dyndbg_list(c, c->nargs == 2 ? c->args[1] : NULL);
	}
	if (strcmp(sub, "enable") == 0 || strcmp(sub, "disable") == 0) {
		if (c->nargs < 2)
			return ctadm_fail(c, CTADM_EUSAGE, "dyndbg %s: which "
					  "sites? FILE:LINE, func NAME, file "
					  "FILE or all", sub);
		return dyndbg_change(c, sub[0] == 'e');
	}
	return ctadm_fail(c, CTADM_EUSAGE, "dyndbg: unknown subcommand `%s' "
			  "(list, enable or disable)", sub);
}
