/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Unit tests for src/url.c and src/form.c: percent-decoding and
 * -encoding, and the application/x-www-form-urlencoded parser checked
 * against the WHATWG test data and field case F13.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "testlib.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const char	*show(const char *, size_t);
static void		 add_utf8(struct buf *, uint32_t);
static void		 utf8_decode(struct buf *, const char *, size_t);
static json_t		*load_cases(const char *);
static int		 field_is(const struct field *, const char *, size_t,
			    const char *, size_t);
static int		 check_case(const char *, size_t, json_t *);
static void		 check_vector_file(const char *);
static void		 expect_decode(const char *, size_t, int,
			    const char *, size_t, int);

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

/* Append code point "cp" (a scalar value) as UTF-8. */
static void
add_utf8(struct buf *out, uint32_t cp)
{
	if (cp < 0x80)
		buf_addc(out, (char)cp);
	else if (cp < 0x800) {
		buf_addc(out, (char)(0xc0 | cp >> 6));
		buf_addc(out, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_addc(out, (char)(0xe0 | cp >> 12));
		buf_addc(out, (char)(0x80 | (cp >> 6 & 0x3f)));
		buf_addc(out, (char)(0x80 | (cp & 0x3f)));
	} else {
		buf_addc(out, (char)(0xf0 | cp >> 18));
		buf_addc(out, (char)(0x80 | (cp >> 12 & 0x3f)));
		buf_addc(out, (char)(0x80 | (cp >> 6 & 0x3f)));
		buf_addc(out, (char)(0x80 | (cp & 0x3f)));
	}
}

/*
 * The WHATWG Encoding Standard's "UTF-8 decode without BOM", as the
 * urlencoded parser applies it to each name and value: "len" bytes in,
 * UTF-8 out, each maximal subpart of an ill-formed sequence replaced by
 * one U+FFFD (Unicode chapter 3, "U+FFFD Substitution of Maximal
 * Subparts"). form_parse keeps raw bytes, so the test does this step.
 */
static void
utf8_decode(struct buf *out, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 cp = 0;
	size_t			 i, needed = 0, seen = 0;
	unsigned char		 lower = 0x80, upper = 0xbf;

	buf_add(out, "", 0);
	for (i = 0; i < len; i++) {
		if (needed == 0) {
			if (p[i] < 0x80)
				buf_addc(out, (char)p[i]);
			else if (p[i] >= 0xc2 && p[i] <= 0xdf) {
				needed = 1;
				cp = p[i] & 0x1f;
			} else if (p[i] >= 0xe0 && p[i] <= 0xef) {
				/* No overlong forms, no surrogates. */
				if (p[i] == 0xe0)
					lower = 0xa0;
				else if (p[i] == 0xed)
					upper = 0x9f;
				needed = 2;
				cp = p[i] & 0x0f;
			} else if (p[i] >= 0xf0 && p[i] <= 0xf4) {
				/* No overlong forms, nothing past U+10FFFF. */
				if (p[i] == 0xf0)
					lower = 0x90;
				else if (p[i] == 0xf4)
					upper = 0x8f;
				needed = 3;
				cp = p[i] & 0x07;
			} else
				add_utf8(out, 0xfffd);
			continue;
		}
		if (p[i] < lower || p[i] > upper) {
			/* End the bad sequence; this byte starts anew. */
			cp = 0;
			needed = seen = 0;
			lower = 0x80;
			upper = 0xbf;
			add_utf8(out, 0xfffd);
			i--;
			continue;
		}
		lower = 0x80;
		upper = 0xbf;
		cp = cp << 6 | (p[i] & 0x3f);
		if (++seen == needed) {
			add_utf8(out, cp);
			cp = 0;
			needed = seen = 0;
		}
	}
	if (needed != 0)
		add_utf8(out, 0xfffd);
}

/*
 * Load the "cases" array of a vector file (or the file itself if it is
 * an array). JSON_ALLOW_NUL: one expected value holds "\u0000". Returns
 * a new reference; fails the test if the file cannot be read.
 */
static json_t *
load_cases(const char *rel)
{
	json_error_t	 err;
	json_t		*j, *cases;
	char		*path;

	assert_non_null(path = test_vector_path(rel));
	if ((j = json_load_file(path, JSON_ALLOW_NUL, &err)) == NULL)
		fail_msg("%s: %s", path, err.text);
	free(path);
	if (json_is_array(j))
		return j;
	cases = json_incref(json_object_get(j, "cases"));
	json_decref(j);
	if (!json_is_array(cases))
		fail_msg("%s: no \"cases\" array", rel);
	return cases;
}

/* Does "f" hold exactly this name and value? 1 or 0. */
static int
field_is(const struct field *f, const char *name, size_t namelen,
    const char *value, size_t valuelen)
{
	return f->namelen == namelen && memcmp(f->name, name, namelen) == 0 &&
	    f->valuelen == valuelen && memcmp(f->value, value, valuelen) == 0;
}

/*
 * Parse one vector case and compare, after the UTF-8 decode step, with
 * its "output". Prints what differs; returns 0 if it matched, else 1.
 */
static int
check_case(const char *rel, size_t idx, json_t *c)
{
	struct fields	 f;
	struct buf	 name, value;
	json_t		*in = json_object_get(c, "input");
	json_t		*want = json_object_get(c, "output"), *pair;
	const char	*input = json_string_value(in);
	size_t		 inlen = json_string_length(in), i;
	int		 rc, bad = 0;

	if (input == NULL || !json_is_array(want)) {
		print_error("%s case %zu: malformed vector\n", rel, idx);
		return 1;
	}
	memset(&f, 0, sizeof(f));
	buf_init(&name);
	buf_init(&value);
	if ((rc = form_parse(input, inlen, 64, &f)) != FORM_OK) {
		print_error("%s case %zu \"%s\": form_parse = %d\n", rel, idx,
		    show(input, inlen), rc);
		bad = 1;
	} else if (f.n != json_array_size(want)) {
		print_error("%s case %zu \"%s\": %zu pairs, want %zu\n", rel,
		    idx, show(input, inlen), f.n, json_array_size(want));
		bad = 1;
	}
	for (i = 0; !bad && i < f.n; i++) {
		pair = json_array_get(want, i);
		buf_reset(&name);
		buf_reset(&value);
		utf8_decode(&name, f.v[i].name, f.v[i].namelen);
		utf8_decode(&value, f.v[i].value, f.v[i].valuelen);
		assert_false(name.oom || value.oom);
		if (name.len != json_string_length(json_array_get(pair, 0)) ||
		    memcmp(name.data, json_string_value(json_array_get(pair,
		    0)), name.len) != 0 ||
		    value.len != json_string_length(json_array_get(pair, 1)) ||
		    memcmp(value.data, json_string_value(json_array_get(pair,
		    1)), value.len) != 0) {
			print_error("%s case %zu \"%s\": pair %zu is "
			    "\"%s\"=\"%s\", want \"%s\"=\"%s\"\n", rel, idx,
			    show(input, inlen), i, show(name.data, name.len),
			    show(value.data, value.len),
			    show(json_string_value(json_array_get(pair, 0)),
			    json_string_length(json_array_get(pair, 0))),
			    show(json_string_value(json_array_get(pair, 1)),
			    json_string_length(json_array_get(pair, 1))));
			bad = 1;
		}
	}
	buf_free(&name);
	buf_free(&value);
	fields_free(&f);
	return bad;
}

/* Run every case of one vector file; fail naming how many differed. */
static void
check_vector_file(const char *rel)
{
	json_t	*cases, *c;
	size_t	 i, failed = 0, n;

	cases = load_cases(rel);
	n = json_array_size(cases);
	json_array_foreach(cases, i, c)
		failed += (size_t)check_case(rel, i, c);
	json_decref(cases);
	if (n == 0)
		fail_msg("%s: no cases", rel);
	if (failed > 0)
		fail_msg("%s: %zu of %zu cases failed", rel, failed, n);
}

/* url_decode "in" and expect "want" (with lengths) and return "rc". */
static void
expect_decode(const char *in, size_t len, int plus, const char *want,
    size_t wantlen, int rc)
{
	struct buf	 b;
	int		 got;

	buf_init(&b);
	got = url_decode(in, len, plus, &b);
	if (got != rc || b.data == NULL || b.len != wantlen ||
	    memcmp(b.data, want, wantlen) != 0 || b.data[b.len] != '\0') {
		print_error("url_decode(\"%s\", plus=%d) = %d \"%s\", want "
		    "%d \"%s\"\n", show(in, len), plus, got,
		    b.data == NULL ? "(null)" : show(b.data, b.len), rc,
		    show(want, wantlen));
		buf_free(&b);
		fail();
	}
	buf_free(&b);
}

#define DEC(in, plus, want, rc) \
	expect_decode((in), sizeof(in) - 1, (plus), (want), \
	    sizeof(want) - 1, (rc))

static void
test_url_decode(void **state)
{
	struct buf	 b;

	(void)state;
	DEC("", 0, "", 0);
	DEC("plain", 0, "plain", 0);
	DEC("a%20b", 0, "a b", 0);
	DEC("%41%4a%4A%6a", 0, "AJJj", 0);
	DEC("%2F%2f", 0, "//", 0);
	DEC("%00", 0, "\0", 0);
	DEC("a%00b", 1, "a\0b", 0);
	DEC("%ff%C3%A9", 0, "\xff\xc3\xa9", 0);
	DEC("%25", 0, "%", 0);
	DEC("%2525", 0, "%25", 0);	/* one layer only */

	/* '+' is a space only in form mode; %2B is always a plus. */
	DEC("a+b", 0, "a+b", 0);
	DEC("a+b", 1, "a b", 0);
	DEC("%2B+", 1, "+ ", 0);

	/* A '%' without two hex digits stays, and is reported. */
	DEC("%", 0, "%", 1);
	DEC("%4", 0, "%4", 1);
	DEC("%ZZ", 0, "%ZZ", 1);
	DEC("%4G", 0, "%4G", 1);
	DEC("%G4", 0, "%G4", 1);
	DEC("% 4", 0, "% 4", 1);
	DEC("%%41", 0, "%A", 1);
	DEC("a%", 1, "a%", 1);
	DEC("%2%2a", 0, "%2*", 1);

	/* Only "len" bytes are read, even where a digit follows. */
	expect_decode("%41", 2, 0, "%4", 2, 1);
	expect_decode("a%", 1, 0, "a", 1, 0);

	/* Decoding appends. */
	buf_init(&b);
	buf_adds(&b, "x=");
	assert_int_equal(url_decode("%41", 3, 0, &b), 0);
	assert_int_equal(b.len, 3);
	assert_string_equal(b.data, "x=A");
	buf_free(&b);
}

static void
test_url_encode(void **state)
{
	struct buf	 b, d;
	char		 all[256];
	int		 i;

	(void)state;
	buf_init(&b);
	assert_int_equal(url_encode(&b, "AZaz09-._~/"), 0);
	assert_string_equal(b.data, "AZaz09-._~/");
	buf_reset(&b);
	assert_int_equal(url_encode(&b, "a b&c=d+e"), 0);
	assert_string_equal(b.data, "a%20b%26c%3Dd%2Be");
	buf_reset(&b);
	assert_int_equal(url_encode(&b, "?#%;,:@!$'()*[]\"<>\\"), 0);
	assert_string_equal(b.data, "%3F%23%25%3B%2C%3A%40%21%24%27%28%29"
	    "%2A%5B%5D%22%3C%3E%5C");
	buf_reset(&b);
	assert_int_equal(url_encode(&b, "\xc3\xa9\x01\x7f\xff"), 0);
	assert_string_equal(b.data, "%C3%A9%01%7F%FF");
	buf_reset(&b);
	assert_int_equal(url_encode(&b, ""), 0);
	assert_int_equal(b.len, 0);

	/* Every non-NUL byte survives encoding and decoding. */
	for (i = 1; i < 256; i++)
		all[i - 1] = (char)i;
	all[255] = '\0';
	buf_reset(&b);
	assert_int_equal(url_encode(&b, all), 0);
	assert_null(memchr(b.data, '+', b.len));
	buf_init(&d);
	assert_int_equal(url_decode(b.data, b.len, 1, &d), 0);
	assert_int_equal(d.len, 255);
	assert_memory_equal(d.data, all, 255);
	buf_free(&d);
	buf_free(&b);
}

/* The converter itself, on the cases the brief and Unicode name. */
static void
test_utf8_decode_helper(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} v[] = {
		{ "abc", "abc" },
		{ "\xc3\xa9", "\xc3\xa9" },
		{ "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },
		{ "\xfe\xff", "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xc2x", "\xef\xbf\xbdx" },
		{ "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xc2", "\xef\xbf\xbd" },
		{ "\xe2\x82", "\xef\xbf\xbd" },	/* one maximal subpart */
		{ "\xe2\x82x", "\xef\xbf\xbdx" },
		{ "\xf1\x80\x80", "\xef\xbf\xbd" },
		{ "\xed\xa0\x80",			/* surrogate: 3 */
		    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xf4\x90\x80\x80",			/* > U+10FFFF: 4 */
		    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xe0\x80\xaf",			/* overlong: 3 */
		    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\x80\xbf", "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xc3\xc3\xa9", "\xef\xbf\xbd\xc3\xa9" },
	};
	struct buf	 b;
	size_t		 i;

	(void)state;
	buf_init(&b);
	for (i = 0; i < NELEM(v); i++) {
		buf_reset(&b);
		utf8_decode(&b, v[i].in, strlen(v[i].in));
		if (strcmp(b.data, v[i].out) != 0) {
			fail_msg("utf8_decode(\"%s\") = \"%s\", want \"%s\"",
			    show(v[i].in, strlen(v[i].in)),
			    show(b.data, b.len),
			    show(v[i].out, strlen(v[i].out)));
		}
	}
	buf_free(&b);
}

/* Through form_parse: bytes are kept raw, the U+FFFD come after. */
static void
test_form_raw_bytes(void **state)
{
	struct fields	 f;
	struct buf	 b;

	(void)state;
	memset(&f, 0, sizeof(f));
	buf_init(&b);
	assert_int_equal(form_parse("%FE%FF&%C2x&p=%C0%AF", 20, 8, &f),
	    FORM_OK);
	assert_int_equal(f.n, 3);
	assert_true(field_is(&f.v[0], "\xfe\xff", 2, "", 0));
	assert_true(field_is(&f.v[1], "\xc2x", 2, "", 0));
	assert_true(field_is(&f.v[2], "p", 1, "\xc0\xaf", 2));

	utf8_decode(&b, f.v[0].name, f.v[0].namelen);
	assert_string_equal(b.data, "\xef\xbf\xbd\xef\xbf\xbd");
	buf_reset(&b);
	utf8_decode(&b, f.v[1].name, f.v[1].namelen);
	assert_string_equal(b.data, "\xef\xbf\xbdx");
	buf_reset(&b);
	utf8_decode(&b, f.v[2].value, f.v[2].valuelen);
	assert_string_equal(b.data, "\xef\xbf\xbd\xef\xbf\xbd");
	buf_free(&b);
	fields_free(&f);
	assert_null(f.v);
	assert_int_equal(f.n, 0);
}

static void
test_form_wpt_vectors(void **state)
{
	(void)state;
	check_vector_file("parsing/wpt_urlencoded_parser_data.json");
}

static void
test_form_extra_vectors(void **state)
{
	(void)state;
	check_vector_file("parsing/form_urlencoded_extra_cases.json");
}

/* bad_escape: set by a '%' without two hex digits, in name or value. */
static void
test_form_bad_escape(void **state)
{
	static const struct {
		const char	*in;
		int		 bad;
	} v[] = {
		{ "", 0 },
		{ "a=b", 0 },
		{ "a=%41", 0 },
		{ "%61=%62", 0 },
		{ "a=%25", 0 },
		{ "a=+", 0 },
		{ "%ZZ", 1 },
		{ "%4", 1 },
		{ "a=%ZZ", 1 },
		{ "a=%4", 1 },
		{ "a=%", 1 },
		{ "%=a", 1 },
		{ "a=%2sf", 1 },
		{ "a=1&b=%ZZ&c=3", 1 },
		{ "b=%ZZ&a=%41", 1 },		/* a later good pair keeps it */
		{ "a=%4&", 1 },
	};
	struct fields	 f;
	size_t		 i;
	int		 rc, bad;

	(void)state;
	for (i = 0; i < NELEM(v); i++) {
		memset(&f, 0, sizeof(f));
		rc = form_parse(v[i].in, strlen(v[i].in), 16, &f);
		bad = f.bad_escape;
		fields_free(&f);
		if (rc != FORM_OK)
			fail_msg("form_parse(\"%s\") = %d", v[i].in, rc);
		if (bad != v[i].bad)
			fail_msg("form_parse(\"%s\"): bad_escape %d, want %d",
			    v[i].in, bad, v[i].bad);
	}
}

/* At most "max" pairs; empty sequences do not count. */
static void
test_form_too_many(void **state)
{
	struct fields	 f;
	struct buf	 b;
	int		 i;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(form_parse("a&b=2&c", 7, 3, &f), FORM_OK);
	assert_int_equal(f.n, 3);
	fields_free(&f);
	assert_int_equal(form_parse("a&b=2&c&d", 9, 3, &f), FORM_TOO_MANY);
	fields_free(&f);
	assert_int_equal(form_parse("&&a&&b=2&&c&&&", 14, 3, &f), FORM_OK);
	assert_int_equal(f.n, 3);
	fields_free(&f);
	assert_int_equal(form_parse("", 0, 0, &f), FORM_OK);
	assert_int_equal(f.n, 0);
	fields_free(&f);
	assert_int_equal(form_parse("&&&", 3, 0, &f), FORM_OK);
	assert_int_equal(f.n, 0);
	fields_free(&f);
	assert_int_equal(form_parse("a", 1, 0, &f), FORM_TOO_MANY);
	fields_free(&f);

	/* The request limit exactly, then one more. */
	buf_init(&b);
	for (i = 0; i < REQUEST_FIELDS_MAX; i++)
		buf_printf(&b, "%sf%d=%d", i == 0 ? "" : "&", i, i);
	assert_false(b.oom);
	assert_int_equal(form_parse(b.data, b.len, REQUEST_FIELDS_MAX, &f),
	    FORM_OK);
	assert_int_equal(f.n, REQUEST_FIELDS_MAX);
	assert_string_equal(f.v[REQUEST_FIELDS_MAX - 1].name, "f255");
	fields_free(&f);
	buf_adds(&b, "&x=1");
	assert_int_equal(form_parse(b.data, b.len, REQUEST_FIELDS_MAX, &f),
	    FORM_TOO_MANY);
	fields_free(&f);
	buf_free(&b);
}

/* F13: ';' is data, duplicates survive, NUL is visible, decode first. */
static void
test_form_f13(void **state)
{
	const struct field	*fl;
	struct fields		 f;
	const char		*in;

	(void)state;
	memset(&f, 0, sizeof(f));
	in = "username=alice;password=secret";
	assert_int_equal(form_parse(in, strlen(in), 16, &f), FORM_OK);
	assert_int_equal(f.n, 1);
	assert_true(field_is(&f.v[0], "username", 8, "alice;password=secret",
	    21));
	assert_null(fields_get(&f, "password"));
	fields_free(&f);

	in = "username=alice&username=admin&password=secret";
	assert_int_equal(form_parse(in, strlen(in), 16, &f), FORM_OK);
	assert_int_equal(f.n, 3);
	assert_int_equal(fields_count(&f, "username"), 2);
	assert_int_equal(fields_count(&f, "password"), 1);
	assert_int_equal(fields_count(&f, "user"), 0);
	assert_true(field_is(&f.v[0], "username", 8, "alice", 5));
	assert_true(field_is(&f.v[1], "username", 8, "admin", 5));
	assert_non_null(fl = fields_get(&f, "username"));
	assert_ptr_equal(fl, &f.v[0]);
	fields_free(&f);

	/* The NUL is kept, with a length that shows it. */
	in = "username=admin%00x&password=secret";
	assert_int_equal(form_parse(in, strlen(in), 16, &f), FORM_OK);
	assert_int_equal(f.n, 2);
	assert_true(field_is(&f.v[0], "username", 8, "admin\0x", 7));
	assert_int_equal(strlen(f.v[0].value), 5);
	assert_true(field_is(&f.v[1], "password", 8, "secret", 6));
	fields_free(&f);

	in = "username=al%69ce&password=s%65cret";
	assert_int_equal(form_parse(in, strlen(in), 16, &f), FORM_OK);
	assert_int_equal(f.n, 2);
	assert_true(field_is(&f.v[0], "username", 8, "alice", 5));
	assert_true(field_is(&f.v[1], "password", 8, "secret", 6));
	assert_int_equal(f.bad_escape, 0);
	fields_free(&f);

	in = "username=alice&password=p%26ss%3Dword";
	assert_int_equal(form_parse(in, strlen(in), 16, &f), FORM_OK);
	assert_int_equal(f.n, 2);
	assert_true(field_is(&f.v[0], "username", 8, "alice", 5));
	assert_true(field_is(&f.v[1], "password", 8, "p&ss=word", 9));
	fields_free(&f);
}

/* Only "len" bytes are parsed: the text need not end in NUL. */
static void
test_form_length_bound(void **state)
{
	struct fields	 f;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(form_parse("a=1&b=2", 5, 16, &f), FORM_OK);
	assert_int_equal(f.n, 2);
	assert_true(field_is(&f.v[0], "a", 1, "1", 1));
	assert_true(field_is(&f.v[1], "b", 1, "", 0));
	fields_free(&f);
	assert_int_equal(form_parse("a=%41", 4, 16, &f), FORM_OK);
	assert_int_equal(f.n, 1);
	assert_true(field_is(&f.v[0], "a", 1, "%4", 2));
	assert_int_equal(f.bad_escape, 1);
	fields_free(&f);
}

/* fields_add copies both halves, NUL-terminated, lengths kept. */
static void
test_fields_add(void **state)
{
	struct fields	 f;
	char		 name[] = "n", value[] = "v\0w";

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(fields_add(&f, name, 1, value, 3), 0);
	assert_int_equal(fields_add(&f, "", 0, "", 0), 0);
	name[0] = 'X';
	value[0] = 'X';
	assert_int_equal(f.n, 2);
	assert_true(field_is(&f.v[0], "n", 1, "v\0w", 3));
	assert_int_equal(f.v[0].name[1], '\0');
	assert_int_equal(f.v[0].value[3], '\0');
	assert_true(field_is(&f.v[1], "", 0, "", 0));
	assert_int_equal(f.v[1].name[0], '\0');
	assert_ptr_equal(fields_get(&f, ""), &f.v[1]);
	assert_null(fields_get(&f, "X"));
	fields_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_decode),
		cmocka_unit_test(test_url_encode),
		cmocka_unit_test(test_utf8_decode_helper),
		cmocka_unit_test(test_form_raw_bytes),
		cmocka_unit_test(test_form_wpt_vectors),
		cmocka_unit_test(test_form_extra_vectors),
		cmocka_unit_test(test_form_bad_escape),
		cmocka_unit_test(test_form_too_many),
		cmocka_unit_test(test_form_f13),
		cmocka_unit_test(test_form_length_bound),
		cmocka_unit_test(test_fields_add),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
