/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Unit tests for src/util.c: UTF-8 and control-byte checks, number and
 * duration parsing, time formatting, base64 and hex, user names.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "testlib.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* A byte string with its length, since some hold NUL. */
struct bytes {
	const char	*s;
	size_t		 len;
};

#define B(lit)	{ (lit), sizeof(lit) - 1 }

static const char	*show(const char *, size_t);

/*
 * A printable form of "len" bytes for failure messages: non-printable
 * bytes become \xNN. Rotates over eight static buffers so that several
 * calls can appear in one message.
 */
static const char *
show(const char *s, size_t len)
{
	static char	 bufs[8][512];
	static int	 next;
	char		*b = bufs[next++ % 8];
	size_t		 i, o = 0;

	for (i = 0; i < len && o + 5 < sizeof(bufs[0]); i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f || c == '\\')
			o += (size_t)snprintf(b + o, 5, "\\x%02x", c);
		else
			b[o++] = (char)c;
	}
	b[o] = '\0';
	return b;
}

/* Every Unicode scalar boundary encodes and is accepted. */
static void
test_utf8_valid_accepts(void **state)
{
	static const struct bytes ok[] = {
		B(""),
		B("plain ASCII"),
		B("a\0b"),			/* NUL is a valid scalar */
		B("\x7f"),
		B("\xc2\x80"),			/* U+0080, first of 2 bytes */
		B("\xc3\xa9"),			/* U+00E9 */
		B("\xdf\xbf"),			/* U+07FF, last of 2 bytes */
		B("\xe0\xa0\x80"),		/* U+0800, first of 3 */
		B("\xe2\x82\xac"),		/* U+20AC */
		B("\xed\x9f\xbf"),		/* U+D7FF, before surrogates */
		B("\xee\x80\x80"),		/* U+E000, after surrogates */
		B("\xef\xbf\xbf"),		/* U+FFFF */
		B("\xf0\x90\x80\x80"),		/* U+10000, first of 4 */
		B("\xf0\x9f\x98\x80"),		/* U+1F600 */
		B("\xf4\x8f\xbf\xbf"),		/* U+10FFFF, the last */
		B("Zo\xc3\xab \xe5\x90\x8d\xe5\x89\x8d \xf0\x9f\x98\x80!"),
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < NELEM(ok); i++)
		if (utf8_valid(ok[i].s, ok[i].len) != 1)
			fail_msg("utf8_valid refused \"%s\"",
			    show(ok[i].s, ok[i].len));
}

/*
 * Overlong forms (an overlong '/' must never pass as a slash),
 * surrogates, code points past U+10FFFF, stray or missing continuation
 * bytes and sequences cut short by the end of the input.
 */
static void
test_utf8_valid_rejects(void **state)
{
	static const struct bytes bad[] = {
		B("\xc0\xaf"),			/* overlong '/' */
		B("\xc0\x80"),			/* overlong NUL */
		B("\xc1\xbf"),			/* overlong U+007F */
		B("\xe0\x80\xaf"),		/* overlong '/', 3 bytes */
		B("\xe0\x9f\xbf"),		/* overlong U+07FF */
		B("\xf0\x80\x80\xaf"),		/* overlong '/', 4 bytes */
		B("\xf0\x8f\xbf\xbf"),		/* overlong U+FFFF */
		B("\xed\xa0\x80"),		/* U+D800 */
		B("\xed\xbf\xbf"),		/* U+DFFF */
		B("\xed\xa0\xbd\xed\xb8\x80"),	/* a CESU-8 surrogate pair */
		B("\xf4\x90\x80\x80"),		/* U+110000 */
		B("\xf5\x80\x80\x80"),
		B("\xf7\xbf\xbf\xbf"),
		B("\xf8\x88\x80\x80\x80"),	/* old 5-byte form */
		B("\xfc\x84\x80\x80\x80\x80"),	/* old 6-byte form */
		B("\xfe"),
		B("\xff"),
		B("\x80"),			/* lone continuation */
		B("a\xbf"),
		B("\xc3"),			/* truncated */
		B("\xe2\x82"),
		B("\xf0\x9f\x98"),
		B("abc\xc3"),
		B("\xc3" "a"),			/* continuation missing */
		B("\xe2\x28\xa1"),
		B("\xf0\x9f\x98" "a"),
		B("\xc3\xa9\xc3"),
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < NELEM(bad); i++)
		if (utf8_valid(bad[i].s, bad[i].len) != 0)
			fail_msg("utf8_valid accepted \"%s\"",
			    show(bad[i].s, bad[i].len));

	/* The length bounds the input: half of a pair is truncated. */
	assert_int_equal(utf8_valid("\xc3\xa9", 1), 0);
	assert_int_equal(utf8_valid("\xf0\x9f\x98\x80", 3), 0);
}

static void
test_str_has_ctl(void **state)
{
	char	 c[2];
	int	 i;

	(void)state;
	assert_int_equal(str_has_ctl("", 0), 0);
	assert_int_equal(str_has_ctl("plain text ~", 12), 0);
	assert_int_equal(str_has_ctl("\xc3\xa9\x80\xff", 4), 0);
	assert_int_equal(str_has_ctl("a\0b", 3), 1);
	assert_int_equal(str_has_ctl("a\tb", 3), 1);
	assert_int_equal(str_has_ctl("ab\r\n", 4), 1);
	assert_int_equal(str_has_ctl("ab\x7f", 3), 1);
	/* Only "len" bytes are looked at. */
	assert_int_equal(str_has_ctl("ab\n", 2), 0);

	/* Every byte: C0 controls and DEL only. */
	for (i = 0; i < 256; i++) {
		c[0] = (char)i;
		c[1] = '\0';
		if (str_has_ctl(c, 1) != (i < 0x20 || i == 0x7f))
			fail_msg("str_has_ctl wrong for byte 0x%02x", i);
	}
}

static void
test_parse_uint(void **state)
{
	static const char *const bad[] = {
		"", "-1", "+1", " 1", "1 ", "1\n", "1a", "a1", "0x10",
		"1.5", "1e3", "1,000", "\xd9\xa1",
	};
	unsigned long long	 v;
	size_t			 i;

	(void)state;
	assert_int_equal(parse_uint("0", 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_uint("42", 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_uint("007", 100, &v), 0);
	assert_int_equal(v, 7);

	/* Bounds: "max" itself is allowed, one more is not. */
	assert_int_equal(parse_uint("100", 100, &v), 0);
	assert_int_equal(v, 100);
	assert_int_equal(parse_uint("101", 100, &v), -1);
	assert_int_equal(parse_uint("1000", 100, &v), -1);
	assert_int_equal(parse_uint("0", 0, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_uint("1", 0, &v), -1);
	assert_int_equal(parse_uint("9", 8, &v), -1);

	/* Overflow of the type itself. */
	assert_int_equal(parse_uint("18446744073709551615", ULLONG_MAX, &v),
	    0);
	assert_true(v == ULLONG_MAX);
	assert_int_equal(parse_uint("18446744073709551616", ULLONG_MAX, &v),
	    -1);
	assert_int_equal(parse_uint("18446744073709551620", ULLONG_MAX, &v),
	    -1);
	assert_int_equal(parse_uint("99999999999999999999", ULLONG_MAX, &v),
	    -1);
	assert_int_equal(parse_uint("184467440737095516150", ULLONG_MAX,
	    &v), -1);

	/* Signs, spaces and anything but digits. */
	for (i = 0; i < NELEM(bad); i++)
		if (parse_uint(bad[i], ULLONG_MAX, &v) != -1)
			fail_msg("parse_uint accepted \"%s\"",
			    show(bad[i], strlen(bad[i])));
}

static void
test_parse_duration(void **state)
{
	static const struct {
		const char	*in;
		long long	 secs;
	} good[] = {
		{ "45", 45 },
		{ "0", 0 },
		{ "45s", 45 },
		{ "30m", 1800 },
		{ "12h", 43200 },
		{ "1d", 86400 },
		{ "90d", 7776000 },
		/* Ten years of 366 days is the most. */
		{ "316224000", 316224000 },
		{ "316224000s", 316224000 },
		{ "5270400m", 316224000 },
		{ "87840h", 316224000 },
		{ "3660d", 316224000 },
	};
	static const char *const bad[] = {
		"", "s", "m", "h", "d", "30x", "30M", "12H", "1w", "1y",
		"30 m", " 30m", "30m ", "-5", "-5m", "+5", "1.5h", "30mm",
		"m30", "1e3", "0x10", "30ms",
		/* Over ten years. */
		"316224001", "5270401m", "87841h", "3661d",
		/* Overflow before any multiplication. */
		"99999999999999999999d", "18446744073709551616",
		"9223372036854775807s", "9223372036854775807d",
		/* Too long to hold. */
		"1000000000000000000000000d",
	};
	long long	 v;
	size_t		 i;

	(void)state;
	for (i = 0; i < NELEM(good); i++) {
		v = -1;
		if (parse_duration(good[i].in, &v) != 0)
			fail_msg("parse_duration refused \"%s\"", good[i].in);
		if (v != good[i].secs)
			fail_msg("parse_duration(\"%s\") = %lld, want %lld",
			    good[i].in, v, good[i].secs);
	}
	for (i = 0; i < NELEM(bad); i++)
		if (parse_duration(bad[i], &v) != -1)
			fail_msg("parse_duration accepted \"%s\"", bad[i]);
}

/* Waits in words, rounded up: never a shorter wait than Retry-After. */
static void
test_format_wait(void **state)
{
	static const struct {
		long long	 seconds;
		const char	*words;
	} cases[] = {
		{ -5, "1 second" }, { 0, "1 second" }, { 1, "1 second" },
		{ 10, "10 seconds" }, { 90, "90 seconds" },
		{ 91, "2 minutes" }, { 120, "2 minutes" },
		{ 121, "3 minutes" }, { 5400, "90 minutes" },
		{ 5401, "2 hours" }, { 3600 * 24, "24 hours" },
	};
	char	 out[32];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(format_wait(cases[i].seconds, out,
		    sizeof(out)), 0);
		assert_string_equal(out, cases[i].words);
	}
	assert_int_equal(format_wait(10, out, 11), 0);
	assert_int_equal(format_wait(10, out, 10), -1);
}

static void
test_format_time(void **state)
{
	char	 out[32];

	(void)state;
	assert_int_equal(format_time(0, out, sizeof(out)), 0);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	assert_int_equal(format_time(1796316200, out, sizeof(out)), 0);
	assert_string_equal(out, "2026-12-03T16:43:20Z");
	assert_int_equal(format_time(951782400, out, sizeof(out)), 0);
	assert_string_equal(out, "2000-02-29T00:00:00Z");
	assert_int_equal(format_time(4102444800LL, out, sizeof(out)), 0);
	assert_string_equal(out, "2100-01-01T00:00:00Z");
	assert_int_equal(format_time(-1, out, sizeof(out)), 0);
	assert_string_equal(out, "1969-12-31T23:59:59Z");

	/* 20 characters and the NUL fit in 21 bytes, not in 20. */
	assert_int_equal(format_time(0, out, 21), 0);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	assert_int_equal(format_time(0, out, 20), -1);
	assert_int_equal(format_time(0, out, 0), -1);

	/* A year past what struct tm holds is an error, not garbage. */
	assert_int_equal(format_time(INT64_MAX, out, sizeof(out)), -1);
}

/* RFC 4648 section 10, without the padding we never write or accept. */
static void
test_base64_rfc4648(void **state)
{
	static const struct {
		const char	*raw;
		const char	*enc;
	} v[] = {
		{ "", "" },
		{ "f", "Zg" },
		{ "fo", "Zm8" },
		{ "foo", "Zm9v" },
		{ "foob", "Zm9vYg" },
		{ "fooba", "Zm9vYmE" },
		{ "foobar", "Zm9vYmFy" },
	};
	char		 enc[16];
	unsigned char	 dec[16];
	size_t		 i, rawlen, enclen;
	int		 url, n;

	(void)state;
	for (url = 0; url <= 1; url++)
		for (i = 0; i < NELEM(v); i++) {
			rawlen = strlen(v[i].raw);
			enclen = strlen(v[i].enc);
			n = base64_encode((const unsigned char *)v[i].raw,
			    rawlen, url, enc, sizeof(enc));
			if (n != (int)enclen || strcmp(enc, v[i].enc) != 0)
				fail_msg("encode(\"%s\", url=%d) = %d \"%s\","
				    " want \"%s\"", v[i].raw, url, n, enc,
				    v[i].enc);
			memset(dec, 0xaa, sizeof(dec));
			n = base64_decode(v[i].enc, enclen, url, dec,
			    sizeof(dec));
			if (n != (int)rawlen ||
			    memcmp(dec, v[i].raw, rawlen) != 0)
				fail_msg("decode(\"%s\", url=%d) = %d",
				    v[i].enc, url, n);
		}
}

/* Bytes that reach index 62 and 63 tell the two alphabets apart. */
static void
test_base64_alphabets(void **state)
{
	static const unsigned char	 a[] = { 0xfb, 0xff };
	static const unsigned char	 b[] = { 0xfb, 0xef, 0xbe, 0xff, 0xff,
					    0xff };
	char				 enc[16];
	unsigned char			 dec[16];

	(void)state;
	assert_int_equal(base64_encode(a, sizeof(a), 0, enc, sizeof(enc)), 3);
	assert_string_equal(enc, "+/8");
	assert_int_equal(base64_encode(a, sizeof(a), 1, enc, sizeof(enc)), 3);
	assert_string_equal(enc, "-_8");
	assert_int_equal(base64_encode(b, sizeof(b), 0, enc, sizeof(enc)), 8);
	assert_string_equal(enc, "++++////");
	assert_int_equal(base64_encode(b, sizeof(b), 1, enc, sizeof(enc)), 8);
	assert_string_equal(enc, "----____");

	assert_int_equal(base64_decode("+/8", 3, 0, dec, sizeof(dec)), 2);
	assert_memory_equal(dec, a, sizeof(a));
	assert_int_equal(base64_decode("-_8", 3, 1, dec, sizeof(dec)), 2);
	assert_memory_equal(dec, a, sizeof(a));
	assert_int_equal(base64_decode("----____", 8, 1, dec, sizeof(dec)),
	    6);
	assert_memory_equal(dec, b, sizeof(b));

	/* Each alphabet refuses the other's two characters. */
	assert_int_equal(base64_decode("-_8", 3, 0, dec, sizeof(dec)), -1);
	assert_int_equal(base64_decode("+/8", 3, 1, dec, sizeof(dec)), -1);
	assert_int_equal(base64_decode("AA-A", 4, 0, dec, sizeof(dec)), -1);
	assert_int_equal(base64_decode("AA_A", 4, 0, dec, sizeof(dec)), -1);
	assert_int_equal(base64_decode("AA+A", 4, 1, dec, sizeof(dec)), -1);
	assert_int_equal(base64_decode("AA/A", 4, 1, dec, sizeof(dec)), -1);
}

/*
 * Strict decoding: one accepted encoding per byte string, so that no
 * token can be altered without changing its text.
 */
static void
test_base64_strict(void **state)
{
	static const struct bytes bad[] = {
		B("Zg=="), B("Zm8="), B("Zg="), B("Zm9vYg=="), B("===="),
		B("Zm=v"),
		B("Zm9v\n"), B("Zm9v\r\n"), B(" Zm9v"), B("Zm 9v"),
		B("Zm9v\t"), B("Zm\n9v"),
		B("Z"), B("Zm9vY"), B("Zm9vYmFyZ"),	/* len % 4 == 1 */
		B("Zh"), B("Zm9"), B("Zm9vYh"), B("Zm9vYmF"), /* unused bits */
		B("Zg\0\0"), B("Z\0"), B("Zm9\xff"), B("Zm9\xc3\xa9"),
		B("Zm9v."), B("Zm9v*"), B("Zm9v!A"),
	};
	unsigned char	 dec[16];
	size_t		 i;
	int		 url;

	(void)state;
	for (url = 0; url <= 1; url++)
		for (i = 0; i < NELEM(bad); i++)
			if (base64_decode(bad[i].s, bad[i].len, url, dec,
			    sizeof(dec)) != -1)
				fail_msg("base64_decode(url=%d) accepted "
				    "\"%s\"", url, show(bad[i].s, bad[i].len));

	/* The canonical neighbours of the unused-bits cases. */
	assert_int_equal(base64_decode("Zg", 2, 0, dec, sizeof(dec)), 1);
	assert_int_equal(dec[0], 'f');
	assert_int_equal(base64_decode("Zm8", 3, 1, dec, sizeof(dec)), 2);
	assert_memory_equal(dec, "fo", 2);
	assert_int_equal(base64_decode("", 0, 0, dec, sizeof(dec)), 0);
}

/* Output sizes: exact fits work, one byte less is refused. */
static void
test_base64_sizes(void **state)
{
	char		 enc[16];
	unsigned char	 dec[16];

	(void)state;
	/* "size" must hold the padded form plus the NUL. */
	assert_int_equal(base64_encode((const unsigned char *)"f", 1, 0, enc,
	    5), 2);
	assert_string_equal(enc, "Zg");
	assert_int_equal(base64_encode((const unsigned char *)"f", 1, 0, enc,
	    4), -1);
	assert_int_equal(base64_encode((const unsigned char *)"foo", 3, 1,
	    enc, 5), 4);
	assert_string_equal(enc, "Zm9v");
	assert_int_equal(base64_encode((const unsigned char *)"foo", 3, 1,
	    enc, 4), -1);
	assert_int_equal(base64_encode((const unsigned char *)"", 0, 0, enc,
	    1), 0);
	assert_string_equal(enc, "");
	assert_int_equal(base64_encode((const unsigned char *)"", 0, 0, enc,
	    0), -1);

	/* Decoding writes exactly the decoded length and no more. */
	memset(dec, 0xaa, sizeof(dec));
	assert_int_equal(base64_decode("Zm9vYmFy", 8, 0, dec, 6), 6);
	assert_memory_equal(dec, "foobar", 6);
	assert_int_equal(dec[6], 0xaa);
	memset(dec, 0xaa, sizeof(dec));
	assert_int_equal(base64_decode("Zm9vYmE", 7, 0, dec, 5), 5);
	assert_memory_equal(dec, "fooba", 5);
	assert_int_equal(dec[5], 0xaa);
	assert_int_equal(base64_decode("Zm9vYmFy", 8, 0, dec, 5), -1);
	assert_int_equal(base64_decode("Zm9vYmE", 7, 1, dec, 4), -1);
	assert_int_equal(base64_decode("Zg", 2, 0, dec, 0), -1);
}

/* Every length up to 64 and every byte value survive a round trip. */
static void
test_base64_roundtrip(void **state)
{
	unsigned char	 raw[256], dec[256];
	char		 enc[350];
	size_t		 i, k, len;
	int		 url, n;

	(void)state;
	for (i = 0; i < sizeof(raw); i++)
		raw[i] = (unsigned char)(i * 167 + 13);
	for (url = 0; url <= 1; url++)
		for (k = 0; k <= 65; k++) {
			len = k == 65 ? sizeof(raw) : k;
			n = base64_encode(raw, len, url, enc, sizeof(enc));
			/* Unpadded: ceil(8 * len / 6) characters. */
			if (n != (int)((len * 4 + 2) / 3) ||
			    strlen(enc) != (size_t)n)
				fail_msg("encode length %zu url=%d: %d", len,
				    url, n);
			if (strpbrk(enc, url ? "+/=" : "-_=") != NULL)
				fail_msg("encode length %zu url=%d: \"%s\"",
				    len, url, enc);
			n = base64_decode(enc, (size_t)n, url, dec,
			    sizeof(dec));
			if (n != (int)len || memcmp(dec, raw, len) != 0)
				fail_msg("round trip length %zu url=%d: %d",
				    len, url, n);
		}
}

static void
test_hex_encode(void **state)
{
	static const unsigned char	 in[] = { 0x00, 0x01, 0x7f, 0x80,
					    0xab, 0xff };
	char				 out[16];

	(void)state;
	assert_int_equal(hex_encode(in, sizeof(in), out, sizeof(out)), 0);
	assert_string_equal(out, "00017f80abff");
	assert_int_equal(hex_encode(in, 0, out, sizeof(out)), 0);
	assert_string_equal(out, "");

	/* 2 * len + 1 bytes are needed, and enough. */
	memset(out, 'X', sizeof(out));
	assert_int_equal(hex_encode(in, 2, out, 5), 0);
	assert_string_equal(out, "0001");
	assert_int_equal(out[5], 'X');
	assert_int_equal(hex_encode(in, 2, out, 4), -1);
	assert_int_equal(hex_encode(in, 1, out, 1), -1);
}

/*
 * No room even for the NUL: -1, and nothing may be written. The buffer
 * is larger than the size we claim, so a wrong write shows here rather
 * than corrupting the stack.
 */
static void
test_hex_encode_no_room(void **state)
{
	static const unsigned char	 in[] = { 0xab, 0xcd };
	char				 out0[8], out2[8];
	int				 rc0, rc2;

	(void)state;
	memset(out0, 'X', sizeof(out0));
	memset(out2, 'X', sizeof(out2));
	rc0 = hex_encode(in, 0, out0, 0);
	rc2 = hex_encode(in, 2, out2, 0);
	if (rc0 != -1 || out0[0] != 'X' || rc2 != -1 ||
	    memcmp(out2, "XXXXX", 5) != 0)
		fail_msg("size 0: hex_encode(len 0) = %d, wrote \"%s\"; "
		    "hex_encode(len 2) = %d, wrote \"%s\"; want -1 and "
		    "\"X\" / \"XXXXX\" untouched", rc0, show(out0, 1), rc2,
		    show(out2, 5));
}

static void
test_user_name_valid(void **state)
{
	static const struct bytes ok[] = {
		B("alice"), B("a"), B("a b"), B("bob.smith@example.org"),
		B("Zo\xc3\xab"), B("\xe5\x90\x8d\xe5\x89\x8d"),
		B("\xf0\x9f\x98\x80"), B("O'Brien"), B("a\xc2\xa0z"),
	};
	static const struct bytes bad[] = {
		B(""), B(" "), B(" alice"), B("alice "), B("ali\tce"),
		B("alice\n"), B("a\0b"), B("\0"), B("a\x7f"), B("a\x1b[31m"),
		B("\xc0\xaf"), B("\xed\xa0\x80"), B("\xff"), B("ali\xc3"),
		B("a\xc2\x9b""31m"), B("a\xc2\x85"), B("\xc2\x80"),
		B("\xc2\x9f"),
	};
	char	 name[USER_NAME_MAX + 2];
	size_t	 i;

	(void)state;
	for (i = 0; i < NELEM(ok); i++)
		if (user_name_valid(ok[i].s, ok[i].len) != 1)
			fail_msg("user_name_valid refused \"%s\"",
			    show(ok[i].s, ok[i].len));
	for (i = 0; i < NELEM(bad); i++)
		if (user_name_valid(bad[i].s, bad[i].len) != 0)
			fail_msg("user_name_valid accepted \"%s\"",
			    show(bad[i].s, bad[i].len));

	/* USER_NAME_MAX bytes are allowed, one more is not. */
	memset(name, 'x', sizeof(name));
	assert_int_equal(user_name_valid(name, USER_NAME_MAX), 1);
	assert_int_equal(user_name_valid(name, USER_NAME_MAX + 1), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid_accepts),
		cmocka_unit_test(test_utf8_valid_rejects),
		cmocka_unit_test(test_str_has_ctl),
		cmocka_unit_test(test_parse_uint),
		cmocka_unit_test(test_parse_duration),
		cmocka_unit_test(test_format_time),
		cmocka_unit_test(test_format_wait),
		cmocka_unit_test(test_base64_rfc4648),
		cmocka_unit_test(test_base64_alphabets),
		cmocka_unit_test(test_base64_strict),
		cmocka_unit_test(test_base64_sizes),
		cmocka_unit_test(test_base64_roundtrip),
		cmocka_unit_test(test_hex_encode),
		cmocka_unit_test(test_hex_encode_no_room),
		cmocka_unit_test(test_user_name_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
