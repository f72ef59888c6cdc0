/* settings.c - sysctl files and the nf_log table. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opt_parse.h"
#include "paths.h"
#include "settings.h"

int sysctl_read(const char *rel, char *buf, size_t len)
{
	FILE *f = proc_open(rel);
	int ret = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		ret = ferror(f) ? -EIO : -ENODATA;
	else
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	return ret;
}

int sysctl_read_uint(const char *rel, unsigned *v)
{
	char buf[32];
	uint64_t n;
	int ret = sysctl_read(rel, buf, sizeof(buf));

	if (ret < 0)
		return ret;
	if (parse_uint(buf, UINT32_MAX, &n) < 0)
		return -EINVAL;
	*v = (unsigned)n;
	return 0;
}

/* One write(2) of the whole value: a sysctl takes what one write says. */
int sysctl_write(const char *rel, const char *val)
{
	char path[512];
	size_t len = strlen(val);
	int fd = open(proc_path(path, sizeof(path), rel), O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int ret = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	if (close(fd) < 0 && ret == 0)
		ret = -errno;
	return ret;
}

static int nflog_names_parse(const char *p, struct nflog_family *f)
{
	const char *end = strchr(p, ')');

	if (!end || end[1] != '\0')
		return -EINVAL;
	while (p < end) {
		size_t len = strcspn(p, ",)");

		if (len == 0 || len >= NFLOG_NAME_MAX ||
		    f->n_registered == NFLOG_REG_MAX)
			return -EINVAL;
		memcpy(f->registered[f->n_registered], p, len);
		f->registered[f->n_registered++][len] = '\0';
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

int nflog_line_parse(const char *line, struct nflog_family *f)
{
	char buf[256];
	char *p, *end;
	long fam;
	size_t len;

	memset(f, 0, sizeof(*f));
	if (strlen(line) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, line);
	buf[strcspn(buf, "\n")] = '\0';
	fam = strtol(buf, &end, 10);
	if (end == buf || fam < 0 || fam > 255 || *end != ' ')
		return -EINVAL;
	f->family = (int)fam;
	p = end + 1;
	len = strcspn(p, " ");
	if (len == 0 || len >= NFLOG_NAME_MAX || p[len] != ' ' ||
	    p[len + 1] != '(')
		return -EINVAL;
	memcpy(f->active, p, len);
	f->active[len] = '\0';
	return nflog_names_parse(p + len + 2, f);
}

bool nflog_is_registered(const struct nflog_family *f, const char *name)
{
	for (unsigned i = 0; i < f->n_registered; i++)
		if (strcmp(f->registered[i], name) == 0)
			return true;
	return false;
}

static const struct {
	const char *name;
	int family;
} nflog_families[] = {
	{ "unspec", 0 }, { "inet", 1 }, { "ipv4", 2 }, { "arp", 3 },
	{ "netdev", 5 }, { "bridge", 7 }, { "ipv6", 10 }, { "decnet", 12 },
};

const char *nflog_family_name(int family)
{
	for (size_t i = 0; i < sizeof(nflog_families) / sizeof(nflog_families[0]); i++)
		if (nflog_families[i].family == family)
			return nflog_families[i].name;
	return NULL;
}

int nflog_family_parse(const char *s)
{
	uint64_t v;

	for (size_t i = 0; i < sizeof(nflog_families) / sizeof(nflog_families[0]); i++)
		if (strcmp(nflog_families[i].name, s) == 0)
			return nflog_families[i].family;
	/* The kernel's table has rows 0 to 12 (NFPROTO_NUMPROTO - 1). */
	if (strspn(s, "0123456789") == strlen(s) && parse_uint(s, 12, &v) == 0)
		return (int)v;
	return -1;
}
