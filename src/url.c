/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Percent-encoding (RFC 3986 section 2.1) in both directions.
 */
#include "config.h"

#include <string.h>

#include "gatehouse.h"

static int	 hexval(char);

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Append the percent-decoding of "len" bytes of "in" to "out"; with
 * "plus", '+' becomes a space as in form bodies. A '%' not followed by
 * two hex digits is kept as it is, which is what the WHATWG URL Standard
 * asks of form parsers. The result may hold NUL bytes: use out->len.
 * Returns 0, 1 if some '%' was kept that way, or -1 out of memory.
 */
int
url_decode(const char *in, size_t len, int plus, struct buf *out)
{
	size_t	 i;
	int	 hi, lo, bad = 0;
	char	 c;

	/* An empty value must still leave a NUL-terminated string. */
	if (buf_add(out, "", 0) == -1)
		return -1;
	for (i = 0; i < len; i++) {
		c = in[i];
		if (c == '+' && plus)
			c = ' ';
		else if (c == '%') {
			if (i + 2 < len && (hi = hexval(in[i + 1])) >= 0 &&
			    (lo = hexval(in[i + 2])) >= 0) {
				c = (char)(hi << 4 | lo);
				i += 2;
			} else
				bad = 1;
		}
		if (buf_addc(out, c) == -1)
			return -1;
	}
	return bad;
}

/*
 * Append "s" percent-encoded for use as a query value: everything but
 * RFC 3986's unreserved characters and '/' is escaped. Returns 0 or -1.
 */
int
url_encode(struct buf *out, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	unsigned char		 c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/", c) != NULL)
			buf_addc(out, (char)c);
		else {
			buf_addc(out, '%');
			buf_addc(out, hex[c >> 4]);
			buf_addc(out, hex[c & 0x0f]);
		}
	}
	return out->oom ? -1 : 0;
}
