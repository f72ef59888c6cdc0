/* out.c - the buffered appenders of out.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "out.h"

void out_init(struct out *o, int fd)
{
	o->fd = fd;
	o->len = 0;
	o->error = 0;
}

/* Writes all of buf; a short write is not an error, only a failed one. */
static int out_write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* After the first error the data is dropped, so a dead pipe reader does
 * not cost a failing write(2) per flush; the caller reports o->error. */
int out_flush(struct out *o)
{
	if (o->len > 0 && o->error == 0)
		o->error = out_write_all(o->fd, o->buf, o->len);
	o->len = 0;
	return o->error;
}

char *out_reserve(struct out *o, size_t n)
{
	if (OUT_BUF_SIZE - o->len < n)
		out_flush(o);
	return o->buf + o->len;
}

void out_mem_slow(struct out *o, const void *p, size_t n)
{
	const char *s = p;

	while (n > 0) {
		size_t room = OUT_BUF_SIZE - o->len;
		size_t k = n < room ? n : room;

		memcpy(o->buf + o->len, s, k);
		o->len += k;
		s += k;
		n -= k;
		if (n > 0)
			out_flush(o);
	}
}

static const char out_digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233"
	"34353637383940414243444546474849505152535455565758596061626364656667"
	"6869707172737475767778798081828384858687888990919293949596979899";

static unsigned out_u64_digits(uint64_t v)
{
	unsigned n = 1;

	for (uint64_t t = 10; n < 20 && v >= t; t *= 10)
		n++;
	return n;
}

/* Two digits per division (half the divisions of the naive loop),
 * written in place: no copy from a scratch buffer. */
void out_u64(struct out *o, uint64_t v)
{
	unsigned n = out_u64_digits(v);
	char *p = out_reserve(o, n) + n;

	o->len += n;
	while (v >= 100) {
		unsigned i = (unsigned)(v % 100) * 2;

		v /= 100;
		p -= 2;
		p[0] = out_digit_pairs[i];
		p[1] = out_digit_pairs[i + 1];
	}
	if (v >= 10) {
		p -= 2;
		p[0] = out_digit_pairs[v * 2];
		p[1] = out_digit_pairs[v * 2 + 1];
	} else {
		*--p = (char)('0' + v);
	}
}

/* Most values printed are a single digit: skip the conversion loop. */
void out_u32(struct out *o, uint32_t v)
{
	if (v < 10)
		out_char(o, (char)('0' + v));
	else
		out_u64(o, v);
}

void out_i64(struct out *o, int64_t v)
{
	if (v < 0) {
		out_char(o, '-');
		out_u64(o, -(uint64_t)v);
		return;
	}
	out_u64(o, (uint64_t)v);
}

void out_hex(struct out *o, uint32_t v)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[8];
	char *p = tmp + sizeof(tmp);

	do {
		*--p = hex[v & 0xf];
		v >>= 4;
	} while (v);
	out_mem(o, p, (size_t)(tmp + sizeof(tmp) - p));
}

void out_str_pad(struct out *o, const char *s, unsigned width)
{
	size_t n = strlen(s);

	out_mem(o, s, n);
	while (n++ < width)
		out_char(o, ' ');
}

/* Dotted quad by hand: inet_ntop costs a snprintf-like pass per call. */
static void out_ipv4(struct out *o, const uint8_t *b)
{
	char *w = out_reserve(o, 15);
	char *p = w;

	for (int i = 0; i < 4; i++) {
		unsigned v = b[i];

		if (i)
			*p++ = '.';
		if (v >= 100) {
			*p++ = (char)('0' + v / 100);
			v %= 100;
			*p++ = (char)('0' + v / 10);
		} else if (v >= 10) {
			*p++ = (char)('0' + v / 10);
		}
		*p++ = (char)('0' + v % 10);
	}
	o->len += (size_t)(p - w);
}

void out_addr(struct out *o, int family, const union ct_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	if (family == AF_INET) {
		out_ipv4(o, a->b);
		return;
	}
	if (inet_ntop(family, a->b, buf, sizeof(buf)))
		out_str(o, buf);
}

void out_printf(struct out *o, const char *fmt, ...)
{
	char stackbuf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(stackbuf, sizeof(stackbuf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(stackbuf)) {
		out_mem(o, stackbuf, (size_t)n);
		return;
	}
	/* Too long for the stack buffer: format straight into the output
	 * buffer, which holds OUT_BUF_SIZE bytes after a flush. */
	if ((size_t)n >= OUT_BUF_SIZE)
		n = OUT_BUF_SIZE - 1;
	out_reserve(o, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(o->buf + o->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	o->len += (size_t)n;
}

void out_json_escaped(struct out *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '"': out_mem(o, "\\\"", 2); break;
		case '\\': out_mem(o, "\\\\", 2); break;
		case '\n': out_mem(o, "\\n", 2); break;
		case '\r': out_mem(o, "\\r", 2); break;
		case '\t': out_mem(o, "\\t", 2); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				char e[6] = { '\\', 'u', '0', '0',
					      hex[c >> 4], hex[c & 0xf] };
				out_mem(o, e, sizeof(e));
			} else {
				out_char(o, (char)c);
			}
		}
	}
}

void out_json_string(struct out *o, const char *s)
{
	out_char(o, '"');
	out_json_escaped(o, s);
	out_char(o, '"');
}

void out_json_string_or_null(struct out *o, const char *s)
{
	if (s)
		out_json_string(o, s);
	else
		out_str(o, "null");
}

void out_xml_escaped(struct out *o, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': out_mem(o, "&amp;", 5); break;
		case '<': out_mem(o, "&lt;", 4); break;
		case '>': out_mem(o, "&gt;", 4); break;
		case '"': out_mem(o, "&quot;", 6); break;
		case '\'': out_mem(o, "&apos;", 6); break;
		default: out_char(o, *s);
		}
	}
}
