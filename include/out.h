/* out.h - buffered output without per-call formatting cost.
 *
 * Dumps print hundreds of thousands of entries; stdio's printf family
 * parses a format string per field.  These appenders write straight into
 * a fixed buffer that is flushed with write(2) when it fills, so the
 * dump loop neither allocates nor parses formats.
 */
#ifndef CTADM_OUT_H
#define CTADM_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ct.h"

#define OUT_BUF_SIZE (64 * 1024)

struct out {
	int fd;
	size_t len;
	int error;             /* first write error, as -errno */
	char buf[OUT_BUF_SIZE];
};

void out_init(struct out *o, int fd);
int out_flush(struct out *o);
/* Make room for n bytes (n <= OUT_BUF_SIZE); returns where to write. */
char *out_reserve(struct out *o, size_t n);

/* out_mem when n does not fit in the buffer's room: flushes as it goes. */
void out_mem_slow(struct out *o, const void *p, size_t n);

/* The three below are inline: a listing calls them a few dozen times per
 * entry, and inlined out_str of a literal has its strlen folded away. */
static inline void out_char(struct out *o, char c)
{
	if (o->len == OUT_BUF_SIZE)
		out_flush(o);
	o->buf[o->len++] = c;
}

static inline void out_mem(struct out *o, const void *p, size_t n)
{
	if (__builtin_expect(n <= OUT_BUF_SIZE - o->len, 1)) {
		memcpy(o->buf + o->len, p, n);
		o->len += n;
		return;
	}
	out_mem_slow(o, p, n);
}

static inline void out_str(struct out *o, const char *s)
{
	out_mem(o, s, strlen(s));
}

void out_u64(struct out *o, uint64_t v);
void out_u32(struct out *o, uint32_t v);
void out_i64(struct out *o, int64_t v);
void out_hex(struct out *o, uint32_t v);           /* lower case, no 0x */
/* String padded on the right with spaces to width (as printf "%-Ns"). */
void out_str_pad(struct out *o, const char *s, unsigned width);
/* An address of family AF_INET or AF_INET6 in its usual text form. */
void out_addr(struct out *o, int family, const union ct_addr *a);
/* printf-style, for rare, non-hot-path output. */
void out_printf(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* s with JSON string escaping (without the quotes). */
void out_json_escaped(struct out *o, const char *s);
/* s as a JSON string, quoted; the second writes null for NULL. */
void out_json_string(struct out *o, const char *s);
void out_json_string_or_null(struct out *o, const char *s);
/* s with XML escaping of & < > " '. */
void out_xml_escaped(struct out *o, const char *s);

#endif
