/* nf_state.c - read and put back the logging knobs ctadm turns on for a
 * while (debug on, watch-invalid): log_invalid, the ipv4/ipv6 nf_log
 * backends, nf_log_all_netns and dynamic-debug site flags; and the
 * state file in which `debug on' keeps them until `debug off'. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/netfilter.h>

#include "ctadm.h"
#include "nf_state.h"
#include "paths.h"

#define LOG_INVALID SYSCTL_NF "nf_conntrack_log_invalid"
#define ALL_NETNS SYSCTL_NF "nf_log_all_netns"

static int backend_read(struct ctadm *c, int family, char *buf, size_t len)
{
	char rel[64];
	int ret;

	snprintf(rel, sizeof(rel), SYSCTL_NF "nf_log/%d", family);
	ret = sysctl_read(rel, buf, len);
	if (ret < 0)
		return ctadm_fail(c, -ret, "reading /proc/%s: %s", rel,
				  strerror(-ret));
	return 0;
}

int nf_state_read(struct ctadm *c, struct nf_state *s)
{
	int ret;

	memset(s, 0, sizeof(*s));
	s->all_netns = -1;
	ret = sysctl_read_uint(LOG_INVALID, &s->log_invalid);
	if (ret < 0)
		return ctadm_fail(c, -ret, "reading /proc/%s: %s", LOG_INVALID,
				  strerror(-ret));
	ret = backend_read(c, NFPROTO_IPV4, s->backend_ipv4,
			   sizeof(s->backend_ipv4));
	if (ret == 0)
		ret = backend_read(c, NFPROTO_IPV6, s->backend_ipv6,
				   sizeof(s->backend_ipv6));
	return ret;
}

int nf_backend_set(struct ctadm *c, int family, const char *backend)
{
	char rel[64];
	int ret;

	snprintf(rel, sizeof(rel), SYSCTL_NF "nf_log/%d", family);
	ret = sysctl_write(rel, strcmp(backend, "none") ? backend : "NONE");
	if (ret < 0)
		return ctadm_fail(c, -ret, "setting nf_log backend %s for "
				  "family %d: %s", backend, family,
				  strerror(-ret));
	return 0;
}

int nf_log_invalid_set(struct ctadm *c, unsigned v)
{
	char num[16];
	int ret;

	snprintf(num, sizeof(num), "%u", v);
	ret = sysctl_write(LOG_INVALID, num);
	if (ret < 0)
		return ctadm_fail(c, -ret, "writing /proc/%s: %s", LOG_INVALID,
				  strerror(-ret));
	return 0;
}

bool netns_is_initial(void)
{
	unsigned v;

	/* nf_log_all_netns exists in the initial namespace only. */
	return sysctl_read_uint(ALL_NETNS, &v) == 0;
}

/* Run fn in the namespace ctadm started in (--netns), then come back. */
static int in_home_netns(struct ctadm *c, int (*fn)(unsigned v, int *old),
			 unsigned v, int *old)
{
	char path[512];
	int self, ret;

	if (c->home_netns < 0)
		return fn(v, old);
	self = open(proc_path(path, sizeof(path), "self/ns/net"),
		    O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -errno;
	if (setns(c->home_netns, CLONE_NEWNET) < 0) {
		ret = -errno;
	} else {
		ret = fn(v, old);
		if (setns(self, CLONE_NEWNET) < 0 && ret == 0)
			ret = -errno;
	}
	close(self);
	return ret;
}

static int all_netns_write(unsigned v, int *old)
{
	unsigned cur;
	char num[16];

	if (sysctl_read_uint(ALL_NETNS, &cur) < 0)
		return -ESRCH;  /* not the initial namespace */
	if (old)
		*old = (int)cur;
	snprintf(num, sizeof(num), "%u", v);
	return sysctl_write(ALL_NETNS, num);
}

/* -ESRCH from the home namespace means it is not the initial one: only
 * there does nf_log_all_netns exist. */
static int all_netns_fail(struct ctadm *c, int ret, const char *doing)
{
	if (ret == -ESRCH)
		return ctadm_fail(c, ESRCH, "nf_log_all_netns: run ctadm in the "
				  "initial namespace with --netns naming this "
				  "one");
	return ctadm_fail(c, -ret, "%s nf_log_all_netns in the initial "
			  "namespace: %s", doing, strerror(-ret));
}

int nf_all_netns_set(struct ctadm *c, unsigned v, int *old)
{
	int ret = in_home_netns(c, all_netns_write, v, old);

	return ret < 0 ? all_netns_fail(c, ret, "setting") : 0;
}

/* A later failure keeps its message out of c->err: the first one is
 * what the user needs. */
static void first_error(struct ctadm *c, int ret, int *first, char *msg,
			size_t len)
{
	if (ret < 0 && *first == 0) {
		*first = ret;
		snprintf(msg, len, "%s", c->err);
	}
}

static int sites_restore(struct ctadm *c, const struct nf_state *s)
{
	char path[512], msg[sizeof(c->err)];
	int ret, first = 0;

	if (s->n_sites == 0)
		return 0;
	ret = dyndbg_control_find(c, false, path, sizeof(path));
	if (ret < 0)
		return ret;
	for (unsigned i = s->n_sites; i-- > 0;) {
		struct dyndbg_site site = { .line = s->site[i].line };
		char spec[24];

		snprintf(site.file, sizeof(site.file), "%s", s->site[i].file);
		snprintf(spec, sizeof(spec), "=%s", s->site[i].flags);
		ret = dyndbg_site_set(c, path, &site, spec);
		first_error(c, ret, &first, msg, sizeof(msg));
	}
	if (first < 0)
		snprintf(c->err, sizeof(c->err), "%s", msg);
	return first;
}

int nf_state_restore(struct ctadm *c, const struct nf_state *s)
{
	char msg[sizeof(c->err)] = "";
	int first = 0;

	first_error(c, sites_restore(c, s), &first, msg, sizeof(msg));
	first_error(c, nf_backend_set(c, NFPROTO_IPV6, s->backend_ipv6),
		    &first, msg, sizeof(msg));
	first_error(c, nf_backend_set(c, NFPROTO_IPV4, s->backend_ipv4),
		    &first, msg, sizeof(msg));
	first_error(c, nf_log_invalid_set(c, s->log_invalid), &first, msg,
		    sizeof(msg));
	if (s->all_netns >= 0)
		first_error(c, nf_all_netns_set(c, (unsigned)s->all_netns, NULL),
			    &first, msg, sizeof(msg));
	if (first < 0)
		snprintf(c->err, sizeof(c->err), "%s", msg);
	return first;
}

static int all_netns_read(unsigned unused, int *v)
{
	unsigned cur;

	(void)unused;
	if (sysctl_read_uint(ALL_NETNS, &cur) < 0)
		return -ESRCH;  /* not the initial namespace */
	*v = (int)cur;
	return 0;
}

int nf_all_netns_get(struct ctadm *c, int *v)
{
	int ret = in_home_netns(c, all_netns_read, 0, v);

	return ret < 0 ? all_netns_fail(c, ret, "reading") : 0;
}

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

int netns_id_read(struct ctadm *c, unsigned long long *ino,
		  unsigned long long *cookie)
{
	char path[512];
	struct stat st;
	uint64_t ck = 0;
	socklen_t len = sizeof(ck);
	int fd;

	if (stat(proc_path(path, sizeof(path), "self/ns/net"), &st) < 0)
		return ctadm_fail(c, errno, "%s: %s", path, strerror(errno));
	*ino = (unsigned long long)st.st_ino;
	/* Inode numbers of dead namespaces are given out again; the
	 * cookie (Linux 5.14+) never is. */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		if (getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &ck, &len) < 0)
			ck = 0;
		close(fd);
	}
	*cookie = ck;
	return 0;
}

const char *nf_debug_state_path(char *buf, size_t len, unsigned long long ino)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "debug-%llu.state", ino);
	return run_path(buf, len, rel);
}

int nf_debug_state_format(FILE *f, const struct nf_debug_state *d)
{
	const struct nf_state *s = &d->saved;

	fprintf(f, "# ctadm debug on: what `ctadm debug off' puts back\n"
		"version=%d\nnetns=%llu\ncookie=%llu\nsince=%lld\n"
		"backend=%s\ndyndbg=%d\nprotocols=", NF_DEBUG_STATE_VERSION,
		d->netns, d->cookie, d->since, d->backend, d->dyndbg);
	if (d->n_protos == 0)
		fputs("all", f);
	for (unsigned i = 0; i < d->n_protos; i++)
		fprintf(f, "%s%u", i ? "," : "", d->proto[i]);
	fprintf(f, "\nsaved.log_invalid=%u\nsaved.nf_log.2=%s\n"
		"saved.nf_log.10=%s\n", s->log_invalid, s->backend_ipv4,
		s->backend_ipv6);
	if (s->all_netns >= 0)
		fprintf(f, "saved.nf_log_all_netns=%d\n", s->all_netns);
	for (unsigned i = 0; i < s->n_sites; i++)
		fprintf(f, "saved.site=%s:%u %s\n", s->site[i].file,
			s->site[i].line, s->site[i].flags);
	return ferror(f) ? -EIO : 0;
}

/* The keys of a state file, in the order it is written. */
enum {
	K_VERSION, K_NETNS, K_COOKIE, K_SINCE, K_BACKEND, K_DYNDBG,
	K_PROTOCOLS, K_LOG_INVALID, K_NF_LOG_IPV4, K_NF_LOG_IPV6,
	K_ALL_NETNS, K_SITE, K_COUNT
};
static const char *const state_keys[K_COUNT] = {
	"version", "netns", "cookie", "since", "backend", "dyndbg",
	"protocols", "saved.log_invalid", "saved.nf_log.2",
	"saved.nf_log.10", "saved.nf_log_all_netns", "saved.site",
};
#define K_REQUIRED ((1u << K_ALL_NETNS) - 1)

/* Decimal only, without a leading zero: the file is ctadm's own. */
static int dec_parse(const char *s, unsigned long long max,
		     unsigned long long *v)
{
	if (!*s || strspn(s, "0123456789") != strlen(s) ||
	    (s[0] == '0' && s[1]))
		return -1;
	errno = 0;
	*v = strtoull(s, NULL, 10);
	return errno || *v > max ? -1 : 0;
}

static bool word_ok(const char *s, size_t size, const char *chars)
{
	size_t len = strlen(s);

	return len > 0 && len < size && strspn(s, chars) == len;
}

#define NAME_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"

static int protos_parse(const char *v, struct nf_debug_state *d)
{
	unsigned long long n;
	char num[8];

	d->n_protos = 0;
	if (strcmp(v, "all") == 0)
		return 0;
	for (;;) {
		size_t len = strcspn(v, ",");

		if (len >= sizeof(num) || d->n_protos == sizeof(d->proto))
			return -1;
		memcpy(num, v, len);
		num[len] = '\0';
		if (dec_parse(num, 254, &n) < 0 || n == 0)
			return -1;
		d->proto[d->n_protos++] = (unsigned char)n;
		if (!v[len])
			return 0;
		v += len + 1;
	}
}

/* "FILE:LINE FLAGS", FLAGS as the control file prints them. */
static int site_parse(const char *value, struct nf_state *s)
{
	struct nf_state_site *site = &s->site[s->n_sites];
	char v[512], *flags, *colon;
	unsigned long long line;

	snprintf(v, sizeof(v), "%s", value);
	flags = strchr(v, ' ');
	if (!flags || s->n_sites == NF_STATE_SITES_MAX)
		return -1;
	*flags++ = '\0';
	colon = strrchr(v, ':');
	if (!colon)
		return -1;
	*colon = '\0';
	if (!word_ok(v, sizeof(site->file), NAME_CHARS "-./+") ||
	    dec_parse(colon + 1, UINT32_MAX, &line) < 0 ||
	    !word_ok(flags, sizeof(site->flags), "_abcdefghijklmnopqrstuvwxyz"))
		return -1;
	strcpy(site->file, v);
	strcpy(site->flags, flags);
	site->line = (unsigned)line;
	s->n_sites++;
	return 0;
}

static int backend_parse(const char *v, char *to)
{
	if (!word_ok(v, NFLOG_NAME_MAX, NAME_CHARS))
		return -1;
	strcpy(to, v);
	return 0;
}

static int state_value_parse(int key, char *v, struct nf_debug_state *d)
{
	unsigned long long n;

	switch (key) {
	case K_VERSION:
		return strcmp(v, "1") ? -1 : 0;
	case K_NETNS:
		return dec_parse(v, UINT64_MAX, &d->netns);
	case K_COOKIE:
		return dec_parse(v, UINT64_MAX, &d->cookie);
	case K_BACKEND:
		if (strcmp(v, "syslog") && strcmp(v, "nflog"))
			return -1;
		strcpy(d->backend, v);
		return 0;
	case K_PROTOCOLS:
		return protos_parse(v, d);
	case K_NF_LOG_IPV4:
		return backend_parse(v, d->saved.backend_ipv4);
	case K_NF_LOG_IPV6:
		return backend_parse(v, d->saved.backend_ipv6);
	case K_SITE:
		return site_parse(v, &d->saved);
	}
	if (dec_parse(v, key == K_SINCE ? INT64_MAX : key == K_LOG_INVALID ?
		      255 : key == K_DYNDBG ? 1 : INT32_MAX, &n) < 0)
		return -1;
	if (key == K_SINCE)
		d->since = (long long)n;
	else if (key == K_LOG_INVALID)
		d->saved.log_invalid = (unsigned)n;
	else if (key == K_DYNDBG)
		d->dyndbg = n;
	else
		d->saved.all_netns = (int)n;
	return 0;
}

static int state_key_find(const char *k)
{
	for (int i = 0; i < K_COUNT; i++)
		if (strcmp(k, state_keys[i]) == 0)
			return i;
	return -1;
}

/* One "key=value" line; *seen collects the keys. */
static int state_line_parse(struct ctadm *c, char *line, const char *where,
			    unsigned *seen, struct nf_debug_state *d)
{
	char *eq = strchr(line, '=');
	int key;

	if (!eq)
		return ctadm_fail(c, EINVAL, "%s: not key=value: `%s'", where,
				  line);
	*eq = '\0';
	key = state_key_find(line);
	if (key < 0)
		return ctadm_fail(c, EINVAL, "%s: unknown key `%s'", where, line);
	if (*seen == 0 && key != K_VERSION)
		return ctadm_fail(c, EINVAL, "%s: `%s' before the version line",
				  where, line);
	if (key != K_SITE && (*seen & 1u << key))
		return ctadm_fail(c, EINVAL, "%s: `%s' a second time", where,
				  line);
	if (state_value_parse(key, eq + 1, d) < 0)
		return ctadm_fail(c, EINVAL, key == K_VERSION ?
				  "%s: %s %s: this ctadm reads version 1" :
				  "%s: bad %s `%s'", where, line, eq + 1);
	*seen |= 1u << key;
	return 0;
}

int nf_debug_state_parse(struct ctadm *c, FILE *f, const char *name,
			 struct nf_debug_state *d)
{
	char line[512], where[600];
	unsigned lineno = 0, seen = 0;
	int ret;

	memset(d, 0, sizeof(*d));
	d->saved.all_netns = -1;
	while (fgets(line, sizeof(line), f)) {
		size_t len = strcspn(line, "\n");

		snprintf(where, sizeof(where), "%s:%u", name, ++lineno);
		if (line[len] != '\n' && !feof(f))
			return ctadm_fail(c, EINVAL, "%s: line too long", where);
		line[len] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		ret = state_line_parse(c, line, where, &seen, d);
		if (ret < 0)
			return ret;
	}
	if (ferror(f))
		return ctadm_fail(c, EIO, "reading %s: %s", name, strerror(EIO));
	for (int k = 0; k < K_COUNT; k++)
		if ((K_REQUIRED & 1u << k) && !(seen & 1u << k))
			return ctadm_fail(c, EINVAL, "%s: no %s line (cut "
					  "short?)", name, state_keys[k]);
	return 0;
}

int nf_debug_state_load(struct ctadm *c, const char *path,
			struct nf_debug_state *d)
{
	FILE *f = fopen(path, "re");
	int ret;

	if (!f) {
		if (errno == ENOENT)
			return 1;
		return ctadm_fail(c, errno, "%s: %s", path, strerror(errno));
	}
	ret = nf_debug_state_parse(c, f, path, d);
	fclose(f);
	return ret;
}

static int run_dir_make(struct ctadm *c, const char *path)
{
	char dir[512];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return ctadm_fail(c, errno, "creating %s: %s", dir,
				  strerror(errno));
	return 0;
}

/* The whole file or nothing: a reader never sees half of it. */
int nf_debug_state_save(struct ctadm *c, const char *path,
			const struct nf_debug_state *d)
{
	char tmp[600];
	FILE *f;
	int fd, ret = run_dir_make(c, path);

	if (ret < 0)
		return ret;
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return ctadm_fail(c, errno, "writing %s: %s", tmp,
				  strerror(errno));
	f = fdopen(fd, "w");
	if (!f) {
		ret = -errno;
		close(fd);
	} else {
		ret = nf_debug_state_format(f, d);
		if (fflush(f) != 0 || fsync(fd) < 0)
			ret = ret ? ret : -errno;
		if (fclose(f) != 0 && ret == 0)
			ret = -errno;
	}
	if (ret == 0 && rename(tmp, path) < 0)
		ret = -errno;
	if (ret < 0) {
		unlink(tmp);
		return ctadm_fail(c, -ret, "writing %s: %s", path,
				  strerror(-ret));
	}
	return 0;
}
