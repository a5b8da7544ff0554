/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Unit tests for src/redirect.c: which "next" targets a login or logout
 * may redirect to (field case F8, the oauth2-proxy payload list and its
 * validator table).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "testlib.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const char	*show(const char *, size_t);
static int		 query_ok(const char *, size_t);

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

/*
 * What the handlers do with a "next" taken from a query string or form
 * body: the form parser decodes it once ('+' is a space), then the C
 * string goes to the validator. Returns what redirect_target_ok says.
 */
static int
query_ok(const char *raw, size_t len)
{
	struct buf	 b;
	int		 ok;

	buf_init(&b);
	assert_int_not_equal(url_decode(raw, len, 1, &b), -1);
	ok = redirect_target_ok(b.data);
	buf_free(&b);
	return ok;
}

/* F8: each input as it would appear in a query string. */
static void
test_redirect_f8(void **state)
{
	static const char *const bad[] = {
		"//evil.example/",
		"/\\evil.example",
		"/%09/evil.example",
		"/%0a/evil.example",
		"/ /evil.example",
		"/./\\evil.example",
		"http:evil.example",
		"https://evil.example",
		"https:/\\evil.example",
		"//evil.example@gatehouse.test",
		"javascript:alert(1)",
		"java%0d%0ascript%0d%0a:alert(0)",
		"%2F%2Fevil.example",
		/* The same tricks one layer deeper. */
		"/%252F%252Fevil.example",
		"/%255Cevil.example",
		"/%2509/evil.example",
		"/+/evil.example",
		"/%2e/%5cevil.example",
		"/%2e%2e//evil.example",
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < NELEM(bad); i++)
		if (query_ok(bad[i], strlen(bad[i])) != 0)
			fail_msg("accepted next=%s", show(bad[i],
			    strlen(bad[i])));

	assert_int_equal(query_ok("/app/reports?id=7", 17), 1);
	assert_int_equal(query_ok("%2Fapp%2Freports%3Fid%3D7", 25), 1);
}

/* Good targets on this site are honoured, unchanged. */
static void
test_redirect_good(void **state)
{
	static const char *const good[] = {
		"/app/reports?id=7",
		"/private/",
		"/a/b.html#x",
		"/private/index.html",
		"/a/b?x=1&y=%2F",
		"/search?q=a+b",
		"/a/.hidden",
		"/a/..b/c",
		"/~user/",
		/* Encoded spaces and UTF-8 are fine once decoded. */
		"/private/my%20file.html",
		"/%c3%a9",
		"/private/x.html?a=b%20c",
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < NELEM(good); i++)
		if (redirect_target_ok(good[i]) != 1)
			fail_msg("refused %s", good[i]);
}

/* Targets refused as given, before any decoding by a parser. */
static void
test_redirect_bad(void **state)
{
	static const char *const bad[] = {
		"",
		"relative/path",
		"?x=1",
		"#x",
		"//",
		"///evil.example",
		"/\\/evil.example",
		"\\\\evil.example",
		"/a//b",
		"/a/b\\c",
		"/./",
		"/.",
		"/..",
		"/../etc",
		"/a/./b",
		"/a/../../evil.example",
		"/a/%2e%2e/b",
		"/a/%2E/b",
		"/a%2F%2Fb",
		"/a%5Cb",
		"/a%0d%0aSet-Cookie:x=1",
		"/a%00b",
		"/a%",
		"/a%4",
		"/a%zz",
		"/a\tb",
		"/a b",
		"/a\x7f",
		"/caf\xc3\xa9",
		/* After one more decoding: slash, spaces, slash. */
		"/%20/evil.example",
		"/a/%20%20/evil.example",
		"/%09/evil.example",
		"/a?next=//evil.example",
		"/a?x=\\y",
		"/a#//evil.example",
		"/a?x=%2F%2Fevil.example",
		"/a?x= y",
		"/a?x=\x01",
		"https://gatehouse.test/",
		"HTTP://evil.example",
		"data:text/html,x",
	};
	size_t	 i;

	(void)state;
	assert_int_equal(redirect_target_ok(NULL), 0);
	for (i = 0; i < NELEM(bad); i++)
		if (redirect_target_ok(bad[i]) != 0)
			fail_msg("accepted \"%s\"", show(bad[i],
			    strlen(bad[i])));
}

/* REQUEST_PATH_MAX bytes are allowed, one more is not. */
static void
test_redirect_length(void **state)
{
	char	*s;

	(void)state;
	assert_non_null(s = malloc(REQUEST_PATH_MAX + 2));
	s[0] = '/';
	memset(s + 1, 'a', REQUEST_PATH_MAX);
	s[REQUEST_PATH_MAX] = '\0';
	assert_int_equal(redirect_target_ok(s), 1);
	s[REQUEST_PATH_MAX] = 'a';
	s[REQUEST_PATH_MAX + 1] = '\0';
	assert_int_equal(redirect_target_ok(s), 0);
	free(s);
}

/*
 * oauth2-proxy's open-redirect payloads, unescaped once: all refused.
 * The file has 559 lines; the first is empty and is skipped.
 */
static void
test_redirect_openredirects(void **state)
{
	char	*text, *line, *nl;
	size_t	 len, lines = 0, n = 0, failed = 0;

	(void)state;
	text = test_vector_text("redirect/oauth2-proxy_openredirects.txt",
	    &len);
	for (line = text; line < text + len; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(text + len - line))) ==
		    NULL)
			nl = text + len;
		lines++;
		if (nl == line)
			continue;
		n++;
		if (query_ok(line, (size_t)(nl - line)) != 0) {
			print_error("accepted line %zu: %s\n", lines,
			    show(line, (size_t)(nl - line)));
			failed++;
		}
	}
	free(text);
	if (lines != 559 || n != 558)
		fail_msg("read %zu lines, %zu payloads; want 559, 558", lines,
		    n);
	if (failed > 0)
		fail_msg("%zu of %zu payloads accepted", failed, n);
}

/*
 * oauth2-proxy's validator table. Its values are already unescaped. We
 * allow no other host, so a row is valid only if the table says so and
 * the target is a path.
 */
static void
test_redirect_validator_cases(void **state)
{
	json_t		*j, *cases, *c;
	const char	*target, *name;
	size_t		 i, n, failed = 0;
	int		 want, got;

	(void)state;
	j = test_vector_json("redirect/redirect_validator_cases.json");
	cases = json_object_get(j, "cases");
	n = json_array_size(cases);
	json_array_foreach(cases, i, c) {
		target = json_string_value(json_object_get(c, "redirect"));
		name = json_string_value(json_object_get(c, "name"));
		if (target == NULL || name == NULL) {
			print_error("case %zu: malformed vector\n", i);
			failed++;
			continue;
		}
		want = json_is_true(json_object_get(c, "valid")) &&
		    target[0] == '/';
		if ((got = redirect_target_ok(target)) != want) {
			print_error("case %zu \"%s\" (%s): got %d, want %d\n",
			    i, name, show(target, strlen(target)), got, want);
			failed++;
		}
	}
	json_decref(j);
	if (n == 0)
		fail_msg("redirect_validator_cases.json: no cases");
	if (failed > 0)
		fail_msg("redirect_validator_cases.json: %zu of %zu cases "
		    "failed", failed, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redirect_f8),
		cmocka_unit_test(test_redirect_good),
		cmocka_unit_test(test_redirect_bad),
		cmocka_unit_test(test_redirect_length),
		cmocka_unit_test(test_redirect_openredirects),
		cmocka_unit_test(test_redirect_validator_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
