/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * request.c: from parameters and body to a checked struct request, and
 * the refusals (with their statuses) of what breaks the rules.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "testlib.h"

/* Parse with the given parameters; returns request_parse's result. */
static int
parse(struct request *req, const char *body, ...)
{
	char		*envp[32];
	const char	*p;
	va_list		 ap;
	size_t		 n = 0;
	int		 rc;

	va_start(ap, body);
	while ((p = va_arg(ap, const char *)) != NULL && n < 31)
		envp[n++] = (char *)(uintptr_t)p;
	va_end(ap);
	envp[n] = NULL;
	rc = request_parse(req, envp, body, body == NULL ? 0 : strlen(body));
	return rc;
}

static void
method_and_path(void **state)
{
	struct request	 req;

	(void)state;
	assert_int_equal(parse(&req, NULL, "REQUEST_METHOD=GET",
	    "SCRIPT_NAME=/auth/", "PATH_INFO=/private/a b.html",
	    "QUERY_STRING=x=1&y=%41", NULL), 0);
	assert_int_equal(req.method, HTTP_GET);
	assert_string_equal(req.prefix, "/auth");
	assert_string_equal(req.path, "/private/a b.html");
	assert_string_equal(req.query_string, "x=1&y=%41");
	assert_int_equal(req.query.n, 2);
	assert_string_equal(fields_get(&req.query, "y")->value, "A");
	assert_null(req.error);
	request_free(&req);

	/* No PATH_INFO: the root of the mount. */
	assert_int_equal(parse(&req, NULL, "REQUEST_METHOD=HEAD", NULL), 0);
	assert_int_equal(req.method, HTTP_HEAD);
	assert_string_equal(req.prefix, "");
	assert_string_equal(req.path, "/");
	request_free(&req);

	assert_int_equal(parse(&req, NULL, "REQUEST_METHOD=BREW", NULL), 0);
	assert_int_equal(req.method, HTTP_OTHER);
	assert_string_equal(http_method_name(req.method), "OTHER");
	request_free(&req);

	assert_int_equal(parse(&req, NULL, "PATH_INFO=/login", NULL), 400);
	assert_string_equal(req.error, "no REQUEST_METHOD");
	request_free(&req);
}

/* A parameter sent twice: the first wins, as in libfcgi. */
static void
first_param_wins(void **state)
{
	char	*envp[] = { "A=1", "AB=x", "A=2", NULL };

	(void)state;
	assert_string_equal(env_get(envp, "A"), "1");
	assert_string_equal(env_get(envp, "AB"), "x");
	assert_null(env_get(envp, "B"));
	assert_null(env_get(NULL, "A"));
}

/*
 * params_scan takes the parameters by their whole name: not one that
 * only starts like ours, nor one without '='; the first of two wins.
 */
static void
params_by_whole_name(void **state)
{
	char		*envp[] = { "", "HTTP_", "HTTP_COOKIE2=no", "HTTPSX=on",
	    "HTTP_COOKIE", "REQUEST_METHODS=PUT", "HTTP_COOKIE=a=1",
	    "HTTPS=on", "REQUEST_METHOD=GET", "HTTP_COOKIE=b=2",
	    "REQUEST_METHOD=POST", "HTTP_HOST=h", "REMOTE_ADDR=192.0.2.1",
	    NULL };
	struct params	 p;

	(void)state;
	params_scan(envp, &p);
	assert_string_equal(p.cookie, "a=1");
	assert_string_equal(p.https, "on");
	assert_string_equal(p.method, "GET");
	assert_string_equal(p.host, "h");
	assert_string_equal(p.remote_addr, "192.0.2.1");
	assert_string_equal(p.client_addr, "192.0.2.1");
	assert_null(p.authorization);
	assert_null(p.path_info);
}

static void
refusals(void **state)
{
	struct request	 req;
	char		*big, *env;

	(void)state;
	assert_int_equal(parse(&req, NULL, "REQUEST_METHOD=GET",
	    "PATH_INFO=/a\nb", NULL), 400);
	assert_string_equal(req.error, "invalid path");
	request_free(&req);
	assert_int_equal(parse(&req, NULL, "REQUEST_METHOD=GET",
	    "PATH_INFO=login", NULL), 400);
	request_free(&req);
	assert_int_equal(parse(&req, NULL, "REQUEST_METHOD=GET",
	    "SCRIPT_NAME=/a\tb", NULL), 400);
	request_free(&req);

	big = malloc(REQUEST_PATH_MAX + 32);
	memset(big, 'a', REQUEST_PATH_MAX + 31);
	memcpy(big, "PATH_INFO=/", 11);
	big[REQUEST_PATH_MAX + 31] = '\0';
	assert_int_equal(parse(&req, NULL, "REQUEST_METHOD=GET", big, NULL),
	    414);
	request_free(&req);
	free(big);

	big = malloc(REQUEST_QUERY_MAX + 32);
	memset(big, 'a', REQUEST_QUERY_MAX + 31);
	memcpy(big, "QUERY_STRING=", 13);
	big[REQUEST_QUERY_MAX + 31] = '\0';
	assert_int_equal(parse(&req, NULL, "REQUEST_METHOD=GET", big, NULL),
	    414);
	request_free(&req);
	free(big);

	big = malloc(REQUEST_COOKIE_MAX + 32);
	memset(big, 'a', REQUEST_COOKIE_MAX + 31);
	memcpy(big, "HTTP_COOKIE=a=", 14);
	big[REQUEST_COOKIE_MAX + 31] = '\0';
	assert_int_equal(parse(&req, NULL, "REQUEST_METHOD=GET", big, NULL),
	    431);
	request_free(&req);
	free(big);

	/* Exactly at the limit is fine. */
	big = malloc(REQUEST_COOKIE_MAX + 13);
	memset(big, 'a', REQUEST_COOKIE_MAX + 12);
	memcpy(big, "HTTP_COOKIE=a=", 14);
	big[REQUEST_COOKIE_MAX + 12] = '\0';
	assert_int_equal(parse(&req, NULL, "REQUEST_METHOD=GET", big, NULL),
	    0);
	assert_int_equal(req.cookies.n, 1);
	request_free(&req);
	free(big);

	env = malloc(REQUEST_FIELDS_MAX * 4 + 32);
	strcpy(env, "QUERY_STRING=");
	for (int i = 0; i <= REQUEST_FIELDS_MAX; i++)
		strcat(env, "a&");
	assert_int_equal(parse(&req, NULL, "REQUEST_METHOD=GET", env, NULL),
	    400);
	assert_string_equal(req.error, "too many query parameters");
	request_free(&req);
	free(env);
}

/* Only an url-encoded POST body becomes form fields. */
static void
form_body(void **state)
{
	struct request	 req;

	(void)state;
	assert_int_equal(parse(&req, "username=al%69ce&password=a+b",
	    "REQUEST_METHOD=POST",
	    "CONTENT_TYPE=Application/X-WWW-Form-Urlencoded; charset=UTF-8",
	    NULL), 0);
	assert_string_equal(req.content_type,
	    "application/x-www-form-urlencoded");
	assert_true(req.form_present);
	assert_string_equal(fields_get(&req.form, "username")->value, "alice");
	assert_string_equal(fields_get(&req.form, "password")->value, "a b");
	request_free(&req);

	assert_int_equal(parse(&req, "{\"username\":\"x\"}",
	    "REQUEST_METHOD=POST", "CONTENT_TYPE=application/json", NULL), 0);
	assert_false(req.form_present);
	assert_int_equal(req.form.n, 0);
	request_free(&req);

	/* A GET's body is not read as a form. */
	assert_int_equal(parse(&req, "a=1", "REQUEST_METHOD=GET",
	    "CONTENT_TYPE=application/x-www-form-urlencoded", NULL), 0);
	assert_false(req.form_present);
	request_free(&req);
}

static void
cookies_and_https(void **state)
{
	struct request	 req;

	(void)state;
	assert_int_equal(parse(&req, NULL, "REQUEST_METHOD=GET",
	    "HTTP_COOKIE=a=1; b=2", "HTTPS=on", "REMOTE_ADDR=192.0.2.1",
	    NULL), 0);
	assert_int_equal(req.cookies.n, 2);
	assert_string_equal(req.cookies.v[1].name, "b");
	assert_true(req.https);
	assert_string_equal(req.remote_addr, "192.0.2.1");
	request_free(&req);

	assert_int_equal(parse(&req, NULL, "REQUEST_METHOD=GET",
	    "HTTPS=off", NULL), 0);
	assert_false(req.https);
	request_free(&req);
	assert_int_equal(parse(&req, NULL, "REQUEST_METHOD=GET",
	    "REQUEST_SCHEME=https", NULL), 0);
	assert_true(req.https);
	request_free(&req);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(method_and_path),
		cmocka_unit_test(first_param_wins),
		cmocka_unit_test(params_by_whole_name),
		cmocka_unit_test(refusals),
		cmocka_unit_test(form_body),
		cmocka_unit_test(cookies_and_https),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
