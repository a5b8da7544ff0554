/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Small checks and conversions that several modules share: UTF-8 and
 * control-byte checks on client input, bounded number and duration
 * parsing for the configuration, and text encodings of binary values.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "gatehouse.h"

static int	 utf8_scan(const char *, size_t, int);

/*
 * Decode the UTF-8 sequence at the start of "s" ("len" > 0 bytes) into
 * "*cp". Overlong forms, surrogates and code points past U+10FFFF are
 * refused (RFC 3629): an overlong "/" must never pass as a slash.
 * Returns the sequence's length, or 0 if it is not well-formed.
 */
size_t
utf8_next(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, k;
	uint32_t		 c, min;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0) {
		n = 1;
		c = p[0] & 0x1f;
		min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 2;
		c = p[0] & 0x0f;
		min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 3;
		c = p[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (n > len - 1)
		return 0;
	for (k = 1; k <= n; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[k] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n + 1;
}

/*
 * Is "s" ("len" bytes) well-formed UTF-8, and, unless "controls" allows
 * them, free of control characters: C0 (NUL included), DEL and C1
 * (U+0080 to U+009F, which some terminals obey as escapes, CSI among
 * them)? Returns 1 or 0.
 */
static int
utf8_scan(const char *s, size_t len, int controls)
{
	size_t		 i = 0, n;
	uint32_t	 cp;

	while (i < len) {
		if ((n = utf8_next(s + i, len - i, &cp)) == 0)
			return 0;
		if (!controls && (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)))
			return 0;
		i += n;
	}
	return 1;
}

/* Is "s" ("len" bytes) well-formed UTF-8? Returns 1 or 0. */
int
utf8_valid(const char *s, size_t len)
{
	return utf8_scan(s, len, 1);
}

/*
 * Is "s" ("len" bytes) text: well-formed UTF-8 without a control
 * character (see utf8_scan)? Returns 1 or 0.
 */
int
text_valid(const char *s, size_t len)
{
	return utf8_scan(s, len, 0);
}

/* Does "s" hold a C0 control byte or DEL (NUL included)? Returns 1 or 0. */
int
str_has_ctl(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 1;
	return 0;
}

/*
 * Parse a decimal number of digits only (no sign, no space) that is at
 * most "max". Returns 0, or -1 for anything else, overflow included.
 */
int
parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long	 v = 0;
	unsigned int		 d;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		d = (unsigned int)(*s - '0');
		if (d > max || v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/*
 * Parse a duration: a number of seconds, or a number followed by one of
 * s, m, h, d ("30m", "12h"). Anything up to ten years. Returns 0 or -1.
 */
int
parse_duration(const char *s, long long *out)
{
	static const long long	 max = 10LL * 366 * 86400;
	char			 digits[24];
	unsigned long long	 v;
	size_t			 len = strlen(s);
	long long		 unit = 1;

	if (len == 0 || len >= sizeof(digits))
		return -1;
	memcpy(digits, s, len + 1);
	switch (digits[len - 1]) {
	case 's':
		unit = 1;
		break;
	case 'm':
		unit = 60;
		break;
	case 'h':
		unit = 3600;
		break;
	case 'd':
		unit = 86400;
		break;
	default:
		unit = 0;
		break;
	}
	if (unit != 0)
		digits[len - 1] = '\0';
	else
		unit = 1;

	if (parse_uint(digits, (unsigned long long)(max / unit), &v) == -1)
		return -1;
	*out = (long long)v * unit;
	return 0;
}

/*
 * Write how long "seconds" is, for a person, into "out": "1 second",
 * "40 seconds", "3 minutes", "2 hours". Rounded up, so that whoever is
 * told to wait that long does not come back too early. Returns 0, or -1
 * if "out" is too small.
 */
int
format_wait(long long seconds, char *out, size_t size)
{
	const char	*unit = "second";
	long long	 n = seconds < 1 ? 1 : seconds;
	int		 len;

	if (n > 90 * 60) {
		n = (n + 3599) / 3600;
		unit = "hour";
	} else if (n > 90) {
		n = (n + 59) / 60;
		unit = "minute";
	}
	len = snprintf(out, size, "%lld %s%s", n, unit, n == 1 ? "" : "s");
	return len < 0 || (size_t)len >= size ? -1 : 0;
}

/*
 * Write "t" as an RFC 3339 UTC time ("2026-12-03T16:43:20Z") into "out"
 * of at least 21 bytes. By hand rather than with strftime, which costs
 * more than the rest of a /whoami answer. Returns 0 or -1.
 */
int
format_time(int64_t t, char *out, size_t size)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;
	int		 v[6], i, w;
	char		*p = out;

	if (size < 21 || gmtime_r(&tt, &tm) == NULL ||
	    tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
		return -1;
	v[0] = tm.tm_year + 1900;
	v[1] = tm.tm_mon + 1;
	v[2] = tm.tm_mday;
	v[3] = tm.tm_hour;
	v[4] = tm.tm_min;
	v[5] = tm.tm_sec;
	for (i = 0; i < 6; i++) {
		w = i == 0 ? 1000 : 10;
		for (; w > 0; w /= 10)
			*p++ = (char)('0' + v[i] / w % 10);
		*p++ = "--T::Z"[i];
	}
	*p = '\0';
	return 0;
}

/*
 * Encode "len" bytes as base64 without padding into "out",
 * NUL-terminated: with "url", in the base64url alphabet (RFC 4648
 * section 5), else in the standard one. "size" must hold the padded form plus one,
 * 4 * ceil(len / 3) + 1. Returns the encoded length, or -1.
 */
int
base64_encode(const unsigned char *in, size_t len, int url, char *out,
    size_t size)
{
	int	 n, i;

	if (len > (size_t)INT32_MAX / 2 || size < (len + 2) / 3 * 4 + 1)
		return -1;
	n = EVP_EncodeBlock((unsigned char *)out, in, (int)len);
	while (n > 0 && out[n - 1] == '=')
		n--;
	out[n] = '\0';
	if (!url)
		return n;
	for (i = 0; i < n; i++) {
		if (out[i] == '+')
			out[i] = '-';
		else if (out[i] == '/')
			out[i] = '_';
	}
	return n;
}

/*
 * The value of base64 character "c" in the standard alphabet, or with
 * "url" the base64url one (RFC 4648 sections 4 and 5); -1 if it is not
 * one. Plain comparisons: this runs over every byte of every token.
 */
int
base64_value(unsigned char c, int url)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (url ? '-' : '+'))
		return 62;
	if (c == (url ? '_' : '/'))
		return 63;
	return -1;
}

/*
 * Decode strict base64 without padding, in the standard alphabet or with
 * "url" the base64url one. Refused: padding, white space, any byte
 * outside the alphabet, a length that leaves one stray character, and
 * non-zero unused bits in the last character (so each byte string has
 * exactly one accepted encoding). Writes at most "size" bytes to "out".
 * Returns the decoded length, or -1.
 */
int
base64_decode(const char *in, size_t len, int url, unsigned char *out,
    size_t size)
{
	size_t		 i, o = 0, outlen;
	uint32_t	 acc = 0;
	int		 v, bits = 0;

	if (len % 4 == 1 || len > (size_t)INT32_MAX / 2)
		return -1;
	outlen = len / 4 * 3 + (len % 4 == 0 ? 0 : len % 4 - 1);
	if (outlen > size)
		return -1;
	for (i = 0; i < len; i++) {
		if ((v = base64_value((unsigned char)in[i], url)) < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1U << bits) - 1;
		}
	}
	/* The bits past the last whole byte must be zero. */
	if (acc != 0)
		return -1;
	return (int)o;
}

/*
 * Is "s" ("len" bytes) acceptable as a user name: 1 to USER_NAME_MAX
 * bytes of UTF-8, no control byte (NUL included), no space at either
 * end? Other than that any script is welcome. Returns 1 or 0.
 */
int
user_name_valid(const char *s, size_t len)
{
	if (len == 0 || len > USER_NAME_MAX)
		return 0;
	if (!text_valid(s, len))
		return 0;
	return s[0] != ' ' && s[len - 1] != ' ';
}

/* Is "s" 'min' to 'max' characters of the base64url alphabet? 1 or 0. */
int
b64url_wellformed(const char *s, size_t min, size_t max)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++) {
		if (i >= max)
			return 0;
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		    s[i] == '_'))
			return 0;
	}
	return i >= min;
}

/* Lower-case hex of "len" bytes, NUL-terminated. Returns 0 or -1. */
int
hex_encode(const unsigned char *in, size_t len, char *out, size_t size)
{
	static const char	 digits[] = "0123456789abcdef";
	size_t			 i;

	if (size == 0 || len > (size - 1) / 2)
		return -1;
	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * len] = '\0';
	return 0;
}

/*
 * SHA-256 of "len" bytes into "out". Every request with a session cookie
 * or a token hashes it, and OpenSSL's one-shot SHA256() looks the digest
 * up by name and allocates a context each time, which costs more than
 * the hashing; so both are made once per process.
 */
void
sha256(const void *in, size_t len, unsigned char out[32])
{
	static EVP_MD		*md;
	static EVP_MD_CTX	*ctx;

	if (md == NULL)
		md = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (ctx == NULL)
		ctx = EVP_MD_CTX_new();
	if (md == NULL || ctx == NULL ||
	    EVP_DigestInit_ex2(ctx, md, NULL) != 1 ||
	    EVP_DigestUpdate(ctx, in, len) != 1 ||
	    EVP_DigestFinal_ex(ctx, out, NULL) != 1)
		SHA256(in, len, out);
}

/* Overwrite a secret in a way the compiler may not optimise away. */
void
wipe(void *p, size_t len)
{
	if (p != NULL)
		OPENSSL_cleanse(p, len);
}
