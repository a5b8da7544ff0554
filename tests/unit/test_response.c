/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * response.c and headers.c: building and writing responses, the refusal
 * of header values that would split a response, and the security headers.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "gatehouse.h"
#include "testlib.h"

static void
serialize(void **state)
{
	struct response	 r;
	struct buf	 out;

	(void)state;
	response_init(&r);
	buf_init(&out);
	assert_int_equal(response_header(&r, "X-Test", "a\tb"), 0);
	buf_adds(&r.body, "hello\n");
	assert_int_equal(response_serialize(&r, 0, &out), 0);
	assert_string_equal(out.data, "Status: 200 OK\r\nX-Test: a\tb\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Length: 6\r\n\r\nhello\n");

	/* HEAD: the same headers, no body. */
	buf_reset(&out);
	assert_int_equal(response_serialize(&r, 1, &out), 0);
	assert_string_equal(out.data, "Status: 200 OK\r\nX-Test: a\tb\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Length: 6\r\n\r\n");
	buf_free(&out);
	response_free(&r);
}

/* No CR, LF, NUL or other control byte gets into a header. */
static void
header_injection(void **state)
{
	static const char *const bad[] = {
		"a\r\nSet-Cookie: x=1", "a\nb", "a\rb", "a\x01", "a\x7f",
	};
	struct response	 r;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		response_init(&r);
		assert_int_equal(response_header(&r, "Location", bad[i]), -1);
		assert_true(r.failed);
		assert_int_equal(r.nheaders, 0);
		response_free(&r);
	}
	response_init(&r);
	assert_int_equal(response_header(&r, "Bad Name", "x"), -1);
	assert_int_equal(response_header(&r, "Bad:Name", "x"), -1);
	assert_int_equal(response_header(&r, "", "x"), -1);
	assert_true(r.failed);
	response_free(&r);

	response_init(&r);
	assert_int_equal(response_redirect(&r, 303, "/a\r\nb"), -1);
	assert_true(r.failed);
	response_free(&r);
}

static void
redirect_and_json(void **state)
{
	struct response	 r;

	(void)state;
	response_init(&r);
	assert_int_equal(response_redirect(&r, 303, "/private/"), 0);
	assert_int_equal(r.status, 303);
	assert_string_equal(response_get_header(&r, "location"), "/private/");
	response_free(&r);

	response_init(&r);
	assert_int_equal(response_json(&r, 401, json_pack("{s:s}", "error",
	    "x\"<")), 0);
	assert_string_equal(r.body.data, "{\"error\":\"x\\\"<\"}\n");
	assert_string_equal(response_get_header(&r, "Content-Type"),
	    "application/json");
	response_free(&r);

	response_init(&r);
	assert_int_equal(response_json(&r, 200, NULL), -1);
	assert_true(r.failed);
	response_free(&r);
}

static void
reasons(void **state)
{
	(void)state;
	assert_string_equal(http_reason(303), "See Other");
	assert_string_equal(http_reason(431),
	    "Request Header Fields Too Large");
	assert_string_equal(http_reason(599), "Unknown");
}

/* Many headers: the array grows past its first 16 and 32 places. */
static void
many_headers(void **state)
{
	struct response	 r;
	char		 name[16], value[16];
	int		 i;

	(void)state;
	response_init(&r);
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "X-H%d", i);
		snprintf(value, sizeof(value), "v%d", i);
		if (i % 2 == 0)
			assert_int_equal(response_header(&r, name, value), 0);
		else
			assert_int_equal(response_header_const(&r, "X-Const",
			    "c"), 0);
	}
	assert_int_equal(r.nheaders, 40);
	for (i = 0; i < 40; i += 2) {
		snprintf(name, sizeof(name), "X-H%d", i);
		snprintf(value, sizeof(value), "v%d", i);
		assert_string_equal(response_get_header(&r, name), value);
	}
	assert_string_equal(r.headers[39].name, "X-Const");
	response_reset(&r);
	assert_int_equal(r.nheaders, 0);
	assert_int_equal(response_header(&r, "X-Again", "1"), 0);
	assert_string_equal(response_get_header(&r, "X-Again"), "1");
	response_free(&r);
}

/*
 * The security headers of the default policy: each once, HSTS only over
 * HTTPS, a handler's own value kept (F14). test_headers.c has the rest.
 */
static void
security_headers(void **state)
{
	struct header_policy	*pol;
	struct request		 req;
	struct response		 r;
	char			 err[200];
	size_t			 i, n0;
	int			 n, line;

	(void)state;
	assert_non_null(pol = headers_policy_new());
	assert_int_equal(headers_policy_finish(pol, err, sizeof(err), &line),
	    0);
	memset(&req, 0, sizeof(req));
	response_init(&r);
	headers_apply(pol, &r, &req);
	assert_string_equal(response_get_header(&r, "X-Frame-Options"),
	    "DENY");
	assert_string_equal(response_get_header(&r, "X-Content-Type-Options"),
	    "nosniff");
	assert_string_equal(response_get_header(&r, "Referrer-Policy"),
	    "no-referrer");
	assert_string_equal(response_get_header(&r, "Cache-Control"),
	    "no-store");
	assert_non_null(strstr(response_get_header(&r,
	    "Content-Security-Policy"), "frame-ancestors 'none'"));
	assert_null(response_get_header(&r, "Strict-Transport-Security"));
	n0 = r.nheaders;
	assert_int_equal(n0, 13);

	/* Applied twice: still once each. */
	headers_apply(pol, &r, &req);
	assert_int_equal(r.nheaders, n0);
	response_free(&r);

	req.https = 1;
	response_init(&r);
	response_header(&r, "Cache-Control", "private");
	headers_apply(pol, &r, &req);
	assert_string_equal(response_get_header(&r,
	    "Strict-Transport-Security"), "max-age=31536000");
	for (i = 0, n = 0; i < r.nheaders; i++)
		if (strcmp(r.headers[i].name, "Cache-Control") == 0)
			n++;
	assert_int_equal(n, 1);
	assert_string_equal(response_get_header(&r, "Cache-Control"),
	    "private");
	assert_int_equal(r.nheaders, n0 + 1);
	response_free(&r);
	headers_policy_free(pol);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(serialize),
		cmocka_unit_test(header_injection),
		cmocka_unit_test(redirect_and_json),
		cmocka_unit_test(reasons),
		cmocka_unit_test(many_headers),
		cmocka_unit_test(security_headers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
