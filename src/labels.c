/* labels.c - load connlabel.conf the way libnetfilter_conntrack does.
 *
 * The whole file is read into one buffer; accepted names are moved to its
 * front, NUL-terminated, and labelmap.name[] points at them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "labels.h"

#define LABEL_BITS 128
/* libnetfilter_conntrack accepts bit numbers below 1024, though the
 * kernel carries only 128 label bits; names of the others are never
 * shown, so they are not kept. */
#define LABEL_BITS_PARSED 1024
/* It reads with fgets into 1024 bytes: longer lines come in pieces. */
#define LABEL_LINE_MAX 1023

static int file_read_all(const char *path, char **buf, size_t *len)
{
	struct stat st;
	size_t cap, n = 0;
	char *b;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	cap = fstat(fd, &st) == 0 && st.st_size > 0 ? (size_t)st.st_size : 4096;
	b = malloc(cap + 1);
	while (b) {
		ssize_t r = read(fd, b + n, cap - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int err = r < 0 ? -errno : 0;

			close(fd);
			if (err) {
				free(b);
				return err;
			}
			*buf = b;
			*len = n;
			return 0;
		}
		n += (size_t)r;
		if (n == cap) {
			char *nb = realloc(b, 2 * cap + 1);

			if (!nb)
				free(b);
			b = nb;
			cap *= 2;
		}
	}
	close(fd);
	return -ENOMEM;
}

/* isspace() without '\n' and without locale, as the library's. */
static bool label_space(char c)
{
	return c == ' ' || c == '\f' || c == '\r' || c == '\t' || c == '\v';
}

/* Letters, digits, ' ' and '-' only: names end up in output that other
 * tools parse. */
static bool label_sane(const char *s)
{
	for (; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == ' ' || *s == '-')
			continue;
		return false;
	}
	return true;
}

/* The name part of a line: blanks trimmed at both ends, NULL if empty. */
static char *label_trim(char *s)
{
	char *end;

	while (label_space(*s))
		s++;
	end = s + strlen(s);
	while (end > s && label_space(end[-1]))
		*--end = '\0';
	return *s ? s : NULL;
}

/* Parse one NUL-terminated line: its bit, or -1, and *name. */
static int label_line_parse(char *line, char **name)
{
	unsigned long bit;
	char *end;

	if (line[0] == '#')
		return -1;
	bit = strtoul(line, &end, 0);
	if ((bit == 0 && end == line) || bit >= LABEL_BITS_PARSED)
		return -1;
	*name = label_trim(end);
	if (!*name || !label_sane(*name))
		return -1;
	return (int)bit;
}

/* The first line (or fgets-sized piece of one) of [p, end): its length
 * including the newline, copied NUL-terminated without it into line. */
static size_t label_line_next(const char *p, const char *end, char *line)
{
	size_t max = (size_t)(end - p) < LABEL_LINE_MAX ?
		     (size_t)(end - p) : LABEL_LINE_MAX;
	const char *nl = memchr(p, '\n', max);
	size_t len = nl ? (size_t)(nl - p) + 1 : max;

	memcpy(line, p, len);
	line[nl ? len - 1 : len] = '\0';
	return len;
}

/* First line wins for a bit, and a name may name one bit only. */
static bool label_taken(const struct labelmap *m, int bit, const char *name)
{
	return (bit < LABEL_BITS && m->name[bit]) || labelmap_bit(m, name) >= 0;
}

/* Names are moved to the front of buf: a name is shorter than the line
 * it came from, so it never overtakes the lines still to be read. */
static unsigned labels_parse(struct labelmap *m, char *buf, size_t len)
{
	char line[LABEL_LINE_MAX + 1];
	const char *p = buf, *end = buf + len;
	size_t w = 0;
	unsigned added = 0;

	while (p < end) {
		char *name;
		int bit;

		p += label_line_next(p, end, line);
		bit = label_line_parse(line, &name);
		if (bit < 0 || label_taken(m, bit, name))
			continue;
		added++;
		if (bit >= LABEL_BITS)
			continue;
		memmove(buf + w, name, strlen(name) + 1);
		m->name[bit] = buf + w;
		w += strlen(name) + 1;
	}
	return added;
}

int labelmap_load(struct labelmap *m, const char *path)
{
	size_t len = 0;
	char *buf = NULL;
	int err;

	memset(m, 0, sizeof(*m));
	err = file_read_all(path ? path : LABELMAP_DEFAULT_PATH, &buf, &len);
	if (err < 0)
		return err;
	if (labels_parse(m, buf, len) == 0) {
		free(buf);
		memset(m, 0, sizeof(*m));
		return -ENOMSG;
	}
	m->storage = buf;
	return 0;
}

void labelmap_free(struct labelmap *m)
{
	free(m->storage);
	memset(m, 0, sizeof(*m));
}

int labelmap_bit(const struct labelmap *m, const char *name)
{
	for (int i = 0; i < LABEL_BITS; i++)
		if (m->name[i] && strcmp(m->name[i], name) == 0)
			return i;
	return -1;
}
