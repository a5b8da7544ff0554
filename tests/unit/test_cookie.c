/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Unit tests for src/cookie.c: the lenient Cookie header parser (the
 * shared table and field case F6) and the strict Set-Cookie writer and
 * its checks (field case F15).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "testlib.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#define SID_NAME	"__Host-gh_sid"
#define SID		"q3Zr9xKpL0mT7wYvB2nC5dE8fG1hJ4kM6oP-_sAaBbC"

static const char	*show(const char *, size_t);
static int		 in_list(json_t *, const char *);
static int		 check_case(json_t *);
static void		 expect_session(const char *, size_t);
static void		 expect_refused(const struct set_cookie *);

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

/* Is "name" one of the strings of JSON array "list"? 1 or 0. */
static int
in_list(json_t *list, const char *name)
{
	json_t	*v;
	size_t	 i;

	json_array_foreach(list, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v),
		    name) == 0)
			return 1;
	return 0;
}

/*
 * Parse one case of cookie_header_cases.json. Every expected pair must
 * come back, in order, except that a pair named in "may_drop" may be
 * missing; nothing else may come back, and never an empty name. Prints
 * what differs; returns 0 if the case passed, else 1.
 */
static int
check_case(json_t *c)
{
	struct fields	 f;
	json_t		*in = json_object_get(c, "input");
	json_t		*want = json_object_get(c, "expected_pairs");
	json_t		*may_drop = json_object_get(c, "may_drop"), *pair;
	const char	*input = json_string_value(in), *name, *value;
	json_int_t	 id = json_integer_value(json_object_get(c, "id"));
	size_t		 inlen = json_string_length(in), i, j = 0;
	int		 bad = 0;

	if (input == NULL || !json_is_array(want)) {
		print_error("cookie case %lld: malformed vector\n",
		    (long long)id);
		return 1;
	}
	memset(&f, 0, sizeof(f));
	if (cookie_parse(input, inlen, &f) != 0) {
		print_error("cookie case %lld \"%s\": cookie_parse failed\n",
		    (long long)id, show(input, inlen));
		fields_free(&f);
		return 1;
	}
	for (i = 0; i < f.n; i++)
		if (f.v[i].namelen == 0) {
			print_error("cookie case %lld \"%s\": empty name, "
			    "value \"%s\"\n", (long long)id,
			    show(input, inlen),
			    show(f.v[i].value, f.v[i].valuelen));
			bad = 1;
		}

	json_array_foreach(want, i, pair) {
		name = json_string_value(json_array_get(pair, 0));
		value = json_string_value(json_array_get(pair, 1));
		if (name == NULL || value == NULL) {
			print_error("cookie case %lld: malformed pair %zu\n",
			    (long long)id, i);
			bad = 1;
			break;
		}
		if (j < f.n && f.v[j].namelen == strlen(name) &&
		    memcmp(f.v[j].name, name, f.v[j].namelen) == 0 &&
		    f.v[j].valuelen == strlen(value) &&
		    memcmp(f.v[j].value, value, f.v[j].valuelen) == 0) {
			j++;
			continue;
		}
		if (in_list(may_drop, name))
			continue;
		print_error("cookie case %lld \"%s\": pair %zu \"%s\"=\"%s\" "
		    "missing; got \"%s\"=\"%s\"\n", (long long)id,
		    show(input, inlen), i, show(name, strlen(name)),
		    show(value, strlen(value)),
		    j < f.n ? show(f.v[j].name, f.v[j].namelen) : "(end)",
		    j < f.n ? show(f.v[j].value, f.v[j].valuelen) : "");
		bad = 1;
		break;
	}
	if (!bad && j != f.n) {
		print_error("cookie case %lld \"%s\": extra pair "
		    "\"%s\"=\"%s\"\n", (long long)id, show(input, inlen),
		    show(f.v[j].name, f.v[j].namelen),
		    show(f.v[j].value, f.v[j].valuelen));
		bad = 1;
	}
	fields_free(&f);
	return bad;
}

static void
test_cookie_vectors(void **state)
{
	json_t	*j, *cases, *c;
	size_t	 i, n, failed = 0;

	(void)state;
	j = test_vector_json("parsing/cookie_header_cases.json");
	cases = json_object_get(j, "cases");
	n = json_array_size(cases);
	json_array_foreach(cases, i, c)
		failed += (size_t)check_case(c);
	json_decref(j);
	if (n == 0)
		fail_msg("cookie_header_cases.json: no cases");
	if (failed > 0)
		fail_msg("cookie_header_cases.json: %zu of %zu cases failed",
		    failed, n);
}

/* The session cookie must be found once, with its value, in "hdr". */
static void
expect_session(const char *hdr, size_t len)
{
	const struct field	*fl;
	struct fields		 f;
	size_t			 count, i;
	int			 rc, ok, empty = 0;

	memset(&f, 0, sizeof(f));
	rc = cookie_parse(hdr, len, &f);
	count = fields_count(&f, SID_NAME);
	fl = fields_get(&f, SID_NAME);
	ok = fl != NULL && fl->valuelen == strlen(SID) &&
	    memcmp(fl->value, SID, fl->valuelen) == 0;
	for (i = 0; i < f.n; i++)
		if (f.v[i].namelen == 0)
			empty = 1;
	fields_free(&f);
	if (rc != 0 || count != 1 || !ok || empty)
		fail_msg("Cookie: \"%s\": rc %d, %zu session cookies, value "
		    "%s, empty name %s", show(hdr, len), rc, count,
		    ok ? "right" : "wrong", empty ? "yes" : "no");
}

/* F6: one odd cookie must not hide the session cookie. */
static void
test_cookie_f6(void **state)
{
	static const char *const hdrs[] = {
		"theme={\"dark\":true}; " SID_NAME "=" SID,
		"test:cookie=1; " SID_NAME "=" SID,
		"bad name=1; " SID_NAME "=" SID,
		"a=1; b,c=2; " SID_NAME "=" SID,
		"a=b;c=d\td;" SID_NAME "=" SID,
		"lone; =x; " SID_NAME "=" SID,
		/* Some more of the same kind. */
		SID_NAME "=" SID,
		SID_NAME "=" SID ";",
		"  " SID_NAME " =\t" SID "  ",
		"x=\"a;b\"; " SID_NAME "=" SID,
		"x=\\; " SID_NAME "=" SID,
		"; ;;=;" SID_NAME "=" SID ";;",
		"x=\xff\xfe; y=\x01; " SID_NAME "=" SID,
		"==; " SID_NAME "=" SID,
	};
	struct buf	 b;
	size_t		 i;

	(void)state;
	for (i = 0; i < NELEM(hdrs); i++)
		expect_session(hdrs[i], strlen(hdrs[i]));

	/* A NUL inside another cookie's value. */
	expect_session("x=a\0b; " SID_NAME "=" SID,
	    sizeof("x=a\0b; " SID_NAME "=" SID) - 1);

	/* 100 unrelated cookies of about 30 bytes, then ours. */
	buf_init(&b);
	for (i = 1; i <= 100; i++)
		buf_printf(&b, "c%zu=aaaaaaaaaaaaaaaaaaaaaaaaa; ", i);
	buf_adds(&b, SID_NAME "=" SID);
	assert_false(b.oom);
	expect_session(b.data, b.len);
	buf_free(&b);
}

/* The parser's own rules, beyond the table. */
static void
test_cookie_parse_rules(void **state)
{
	struct fields	 f;
	const char	*in;

	(void)state;
	memset(&f, 0, sizeof(f));

	/* Duplicates and order are kept for auth.c to judge. */
	in = SID_NAME "=X; a=1; " SID_NAME "=V";
	assert_int_equal(cookie_parse(in, strlen(in), &f), 0);
	assert_int_equal(f.n, 3);
	assert_int_equal(fields_count(&f, SID_NAME), 2);
	assert_string_equal(f.v[0].value, "X");
	assert_string_equal(f.v[2].value, "V");
	fields_free(&f);

	/* Values are raw: no '+', percent or quote handling. */
	in = "a=%41+b; b=\"q\"";
	assert_int_equal(cookie_parse(in, strlen(in), &f), 0);
	assert_int_equal(f.n, 2);
	assert_string_equal(f.v[0].value, "%41+b");
	assert_string_equal(f.v[1].value, "\"q\"");
	fields_free(&f);

	/* A NUL in a value is kept, with its length. */
	assert_int_equal(cookie_parse("a=x\0y", 5, &f), 0);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].valuelen, 3);
	assert_memory_equal(f.v[0].value, "x\0y", 3);
	fields_free(&f);

	/* Only "len" bytes are read. */
	assert_int_equal(cookie_parse("a=1; b=2", 3, &f), 0);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0].name, "a");
	assert_string_equal(f.v[0].value, "1");
	fields_free(&f);
	assert_int_equal(cookie_parse("a=1; b=2", 0, &f), 0);
	assert_int_equal(f.n, 0);
	fields_free(&f);
}

/* Names are RFC 7230 tokens: check every byte against the grammar. */
static void
test_cookie_name_valid(void **state)
{
	static const char *const ok[] = {
		"a", "gh_sid", SID_NAME, "__Secure-x", "A1",
		"!#$%&'*+-.^_`|~",
	};
	static const char *const bad[] = {
		"", "gh sid", "gh;sid", "a=b", "a,b", "a\"b", "a(b", "a)b",
		"a/b", "a:b", "a<b", "a>b", "a?b", "a@b", "a[b", "a]b", "a{b",
		"a}b", "a\\b", "a\tb", "a\x7f", "a\x01", "\xc3\xa9", " a",
		"a ",
	};
	char	 s[4];
	size_t	 i;
	int	 c, want;

	(void)state;
	for (i = 0; i < NELEM(ok); i++)
		if (cookie_name_valid(ok[i]) != 1)
			fail_msg("cookie_name_valid refused \"%s\"", ok[i]);
	for (i = 0; i < NELEM(bad); i++)
		if (cookie_name_valid(bad[i]) != 0)
			fail_msg("cookie_name_valid accepted \"%s\"",
			    show(bad[i], strlen(bad[i])));

	for (c = 1; c < 256; c++) {
		s[0] = 'a';
		s[1] = (char)c;
		s[2] = 'z';
		s[3] = '\0';
		want = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') ||
		    strchr("!#$%&'*+-.^_`|~", c) != NULL;
		if (cookie_name_valid(s) != want)
			fail_msg("cookie_name_valid wrong for byte 0x%02x", c);
	}
}

/* Values are cookie-octets (RFC 6265 section 4.1.1), maybe none. */
static void
test_cookie_value_valid(void **state)
{
	char	 s[4];
	int	 c, want;

	(void)state;
	assert_int_equal(cookie_value_valid(""), 1);
	assert_int_equal(cookie_value_valid(SID), 1);
	assert_int_equal(cookie_value_valid("!#$%&'()*+-./:<=>?@[]^_`{|}~"),
	    1);
	assert_int_equal(cookie_value_valid("\"quoted\""), 0);
	assert_int_equal(cookie_value_valid("a b"), 0);
	assert_int_equal(cookie_value_valid("a;b"), 0);

	for (c = 1; c < 256; c++) {
		s[0] = 'a';
		s[1] = (char)c;
		s[2] = 'z';
		s[3] = '\0';
		want = c == 0x21 || (c >= 0x23 && c <= 0x2b) ||
		    (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b) ||
		    (c >= 0x5d && c <= 0x7e);
		if (cookie_value_valid(s) != want)
			fail_msg("cookie_value_valid wrong for byte 0x%02x",
			    c);
	}
}

static void
test_cookie_path_valid(void **state)
{
	static const char *const ok[] = {
		"/", "/app", "/app/", "/a-b_c.d~e%20f", "/a,b", "/a=b",
	};
	static const char *const bad[] = {
		"", "app", "app/", " /", "/;Max-Age=999999999", "/a;",
		"/a b", "/a\tb", "/a\r\nSet-Cookie: x=1", "/\x7f",
		"/\xc3\xa9", "/\x01",
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < NELEM(ok); i++)
		if (cookie_path_valid(ok[i]) != 1)
			fail_msg("cookie_path_valid refused \"%s\"", ok[i]);
	for (i = 0; i < NELEM(bad); i++)
		if (cookie_path_valid(bad[i]) != 0)
			fail_msg("cookie_path_valid accepted \"%s\"",
			    show(bad[i], strlen(bad[i])));
}

static void
test_cookie_format(void **state)
{
	struct set_cookie	 c;
	struct buf		 b;

	(void)state;
	buf_init(&b);
	memset(&c, 0, sizeof(c));
	c.name = SID_NAME;
	c.value = SID;
	c.path = "/";
	c.max_age = 43200;
	c.secure = 1;
	c.http_only = 1;
	c.same_site = SAME_SITE_LAX;
	assert_int_equal(cookie_format(&b, &c), 0);
	assert_string_equal(b.data, SID_NAME "=" SID "; Path=/; "
	    "Max-Age=43200; Secure; HttpOnly; SameSite=Lax");
	assert_int_equal(b.len, strlen(b.data));

	/* Deleting: an empty value, Max-Age=0 and an Expires in 1970. */
	buf_reset(&b);
	c.value = "";
	c.max_age = 0;
	c.same_site = SAME_SITE_STRICT;
	assert_int_equal(cookie_format(&b, &c), 0);
	assert_string_equal(b.data, SID_NAME "=; Path=/; Max-Age=0; "
	    "Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; "
	    "SameSite=Strict");

	/* Without Secure and HttpOnly, appended after what is there. */
	buf_reset(&b);
	buf_adds(&b, "Set-Cookie: ");
	c.name = "gh_sid";
	c.value = "abc";
	c.path = "/app/";
	c.max_age = 1;
	c.secure = 0;
	c.http_only = 0;
	c.same_site = SAME_SITE_LAX;
	assert_int_equal(cookie_format(&b, &c), 0);
	assert_string_equal(b.data, "Set-Cookie: gh_sid=abc; Path=/app/; "
	    "Max-Age=1; SameSite=Lax");
	buf_free(&b);
}

/* cookie_format must return -1 and leave "out" exactly as it was. */
static void
expect_refused(const struct set_cookie *c)
{
	struct buf	 b;
	int		 rc, same;

	buf_init(&b);
	buf_adds(&b, "before");
	rc = cookie_format(&b, c);
	same = b.len == 6 && strcmp(b.data, "before") == 0;
	if (rc != -1 || !same) {
		print_error("cookie_format(name \"%s\", value \"%s\", path "
		    "\"%s\", max_age %lld, same_site %d) = %d, out \"%s\"\n",
		    show(c->name, strlen(c->name)),
		    show(c->value, strlen(c->value)),
		    show(c->path, strlen(c->path)), c->max_age,
		    (int)c->same_site, rc, show(b.data, b.len));
		buf_free(&b);
		fail();
	}
	buf_free(&b);
}

/* F15: nothing can smuggle an attribute into Set-Cookie. */
static void
test_cookie_format_refuses(void **state)
{
	static const char *const names[] = {
		"gh sid", "gh;sid", "", "gh=sid", "gh,sid", "gh\tsid",
		"gh\r\nX-Injected: 1",
	};
	static const char *const paths[] = {
		"/;Max-Age=999999999", "", "app", "/a b", "/\r\nX: 1",
		"/\x80",
	};
	static const char *const values[] = {
		"a;b", "a,b", "a b", "a\"b", "a\\b", "a\x7f", "a\x80",
		"\xff", "\xc3\xa9", "a\tb", "a\r\nSet-Cookie: x=1",
		"x; Max-Age=999999999", "\"\"",
	};
	struct set_cookie	 good, c;
	size_t			 i;

	(void)state;
	memset(&good, 0, sizeof(good));
	good.name = SID_NAME;
	good.value = SID;
	good.path = "/";
	good.max_age = 60;
	good.secure = 1;
	good.http_only = 1;
	good.same_site = SAME_SITE_LAX;

	for (i = 0; i < NELEM(names); i++) {
		c = good;
		c.name = names[i];
		expect_refused(&c);
	}
	for (i = 0; i < NELEM(paths); i++) {
		c = good;
		c.path = paths[i];
		expect_refused(&c);
	}
	for (i = 0; i < NELEM(values); i++) {
		c = good;
		c.value = values[i];
		expect_refused(&c);
	}
	c = good;
	c.max_age = -1;
	expect_refused(&c);
	c = good;
	c.same_site = SAME_SITE__MAX;
	expect_refused(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cookie_vectors),
		cmocka_unit_test(test_cookie_f6),
		cmocka_unit_test(test_cookie_parse_rules),
		cmocka_unit_test(test_cookie_name_valid),
		cmocka_unit_test(test_cookie_value_valid),
		cmocka_unit_test(test_cookie_path_valid),
		cmocka_unit_test(test_cookie_format),
		cmocka_unit_test(test_cookie_format_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
