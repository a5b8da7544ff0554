/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Unit tests for csrf.c and secrets.c, through app_handle: forms without
 * their token, with another browser's or another session's token, or
 * altered, are refused with 403 and change nothing; cross-site requests
 * are refused by Sec-Fetch-Site and Origin; secrets rotate; a secrets
 * file others can read is refused.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gatehouse.h"
#include "store.h"
#include "testapp.h"

#define T0		1800000000LL
#define PASSWORD	"correct horse battery"
#define LOGIN		"username=alice&password=correct+horse+battery"
#define COOKIE		"__Host-gh_sid"
#define NONCE		COOKIE "_csrf"

struct fixture {
	char		*dir;
	struct config	 cfg;
	struct ctx	 ctx;
};

static struct fixture	*fx;

static int
setup(void **state)
{
	char	*conf, *text, *hash;

	fx = calloc(1, sizeof(*fx));
	fx->dir = test_tempdir();
	/* Tokens on too, for a JSON route; no key is needed to refuse. */
	assert_int_not_equal(asprintf(&text, "[database]\npath = gh.db\n"
	    "[password]\nscrypt_log2n = 10\n[server]\nwww = %s/www\n"
	    "[tokens]\nmode = both\n", getenv("top_srcdir")), -1);
	conf = test_write_file(fx->dir, "gatehouse.conf", text);
	free(text);
	config_defaults(&fx->cfg);
	assert_int_equal(config_load(conf, &fx->cfg), 0);
	free(conf);
	fx->ctx.cfg = &fx->cfg;
	fx->ctx.create_store = 1;
	fx->ctx.now = T0;
	assert_int_equal(password_hash(PASSWORD, strlen(PASSWORD),
	    &fx->cfg.kdf, &hash), 0);
	assert_int_equal(store_user_add(ctx_store(&fx->ctx), "alice", hash,
	    T0), STORE_OK);
	free(hash);
	testapp_raw_forms = 1;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	testapp_raw_forms = 0;
	ctx_secrets_free(&fx->ctx);
	store_close(fx->ctx.store);
	config_free(&fx->cfg);
	test_rmtree(fx->dir);
	free(fx->dir);
	free(fx);
	fx = NULL;
	return 0;
}

/* Send a form with the token a browser would add (see app_csrf). */
static void
send_form(struct answer *a, const char *path, const char *cookie,
    const char *body, const char *const *env)
{
	char	*c, *b;

	app_csrf(&fx->ctx, cookie, body, &c, &b);
	app_send(&fx->ctx, a, "POST", path, c, b, env);
	free(c);
	free(b);
}

/* Log alice in with a proper form; returns the session cookie. */
static char *
login(void)
{
	struct answer	 a;
	char		*sc, *pair;

	send_form(&a, "/login", NULL, LOGIN, NULL);
	assert_int_equal(a.status, 303);
	assert_non_null(sc = answer_header(&a, "Set-Cookie"));
	pair = strndup(sc, strcspn(sc, ";"));
	free(sc);
	answer_free(&a);
	return pair;
}

static int
logged_in(const char *cookie)
{
	struct answer	 a;
	int		 yes;

	app_send(&fx->ctx, &a, "GET", "/whoami", cookie, NULL, NULL);
	yes = a.status == 200;
	answer_free(&a);
	return yes;
}

/* The token of a login form, for the browser "cookie" describes. */
static char *
form_token(const char *path, const char *cookie)
{
	struct answer	 a;
	char		*field, *token;

	app_send(&fx->ctx, &a, "GET", path, cookie, NULL, NULL);
	assert_int_equal(a.status, 200);
	field = strstr(a.body, "name=\"csrf\" value=\"");
	assert_non_null(field);
	token = strndup(field + 19, CSRF_TOKEN_LEN);
	answer_free(&a);
	return token;
}

/* A refused login: 403, the form again with a fresh token, no session. */
static void
expect_login_refused(const char *cookie, const char *body)
{
	struct answer	 a;

	app_send(&fx->ctx, &a, "POST", "/login", cookie, body, NULL);
	assert_int_equal(a.status, 403);
	assert_non_null(strstr(a.body, "The login form had expired."));
	assert_non_null(strstr(a.body, "name=\"csrf\" value=\""));
	assert_int_equal(answer_header_count(&a, "Set-Cookie"),
	    cookie != NULL && strstr(cookie, NONCE "=") != NULL ? 0 : 1);
	assert_security_headers(&a, 0);
	answer_free(&a);
}

static void
login_refusals(void **state)
{
	const char	*nonce = app_nonce_cookie(&fx->ctx);
	char		*token, *body, *other, *alt;
	char		 cookie[256];

	(void)state;
	token = form_token("/login", nonce);

	/* No field; no cookie; a field twice; the wrong length. */
	expect_login_refused(nonce, LOGIN);
	assert_int_not_equal(asprintf(&body, LOGIN "&csrf=%s", token), -1);
	expect_login_refused(NULL, body);
	free(body);
	assert_int_not_equal(asprintf(&body, LOGIN "&csrf=%s&csrf=%s", token,
	    token), -1);
	expect_login_refused(nonce, body);
	free(body);
	assert_int_not_equal(asprintf(&body, LOGIN "&csrf=%.42s", token), -1);
	expect_login_refused(nonce, body);
	free(body);

	/* One character changed. */
	alt = strdup(token);
	alt[10] = alt[10] == 'A' ? 'B' : 'A';
	assert_int_not_equal(asprintf(&body, LOGIN "&csrf=%s", alt), -1);
	expect_login_refused(nonce, body);
	free(body);
	free(alt);

	/* Another browser's nonce with this token. */
	snprintf(cookie, sizeof(cookie), NONCE
	    "=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	assert_int_not_equal(asprintf(&body, LOGIN "&csrf=%s", token), -1);
	expect_login_refused(cookie, body);

	/* The token of a page made for a session, without that session. */
	other = login();
	snprintf(cookie, sizeof(cookie), "%s; %s", other, nonce);
	free(token);
	token = form_token("/logout", cookie);
	free(body);
	assert_int_not_equal(asprintf(&body, LOGIN "&csrf=%s", token), -1);
	expect_login_refused(nonce, body);
	free(body);
	free(other);
	free(token);

	/* And the right one is taken. */
	token = form_token("/login", nonce);
	assert_int_not_equal(asprintf(&body, LOGIN "&csrf=%s", token), -1);
	{
		struct answer	 a;

		app_send(&fx->ctx, &a, "POST", "/login", nonce, body, NULL);
		assert_int_equal(a.status, 303);
		answer_free(&a);
	}
	free(body);
	free(token);
}

/* Logout without the token, or with another session's: nothing ends. */
static void
logout_refusals(void **state)
{
	struct answer	 a;
	char		*mine, *theirs, *token, *body;
	char		 cookie[256];

	(void)state;
	mine = login();
	theirs = login();
	snprintf(cookie, sizeof(cookie), "%s; %s", mine,
	    app_nonce_cookie(&fx->ctx));

	app_send(&fx->ctx, &a, "POST", "/logout", cookie, "", NULL);
	assert_int_equal(a.status, 403);
	assert_null(answer_header(&a, "Set-Cookie"));
	answer_free(&a);
	assert_true(logged_in(mine));

	/* A token from a page made for the other session. */
	snprintf(cookie, sizeof(cookie), "%s; %s", theirs,
	    app_nonce_cookie(&fx->ctx));
	token = form_token("/logout", cookie);
	snprintf(cookie, sizeof(cookie), "%s; %s", mine,
	    app_nonce_cookie(&fx->ctx));
	assert_int_not_equal(asprintf(&body, "csrf=%s", token), -1);
	app_send(&fx->ctx, &a, "POST", "/logout", cookie, body, NULL);
	assert_int_equal(a.status, 403);
	answer_free(&a);
	assert_true(logged_in(mine));
	free(body);
	free(token);

	/* Its own token ends it. */
	send_form(&a, "/logout", mine, "", NULL);
	assert_int_equal(a.status, 303);
	answer_free(&a);
	assert_false(logged_in(mine));
	assert_true(logged_in(theirs));
	free(mine);
	free(theirs);
}

/* Sec-Fetch-Site and Origin, on a form route and on a JSON route. */
static void
cross_site(void **state)
{
	static const struct {
		const char	*header;
		int		 https;
		int		 refused;
	} cases[] = {
		{ "HTTP_SEC_FETCH_SITE=cross-site", 0, 1 },
		{ "HTTP_SEC_FETCH_SITE=same-site", 0, 1 },
		{ "HTTP_SEC_FETCH_SITE=same-origin", 0, 0 },
		{ "HTTP_SEC_FETCH_SITE=none", 0, 0 },
		{ "HTTP_SEC_FETCH_SITE=", 0, 1 },
		{ "HTTP_ORIGIN=https://evil.example", 0, 1 },
		{ "HTTP_ORIGIN=null", 0, 1 },
		{ "HTTP_ORIGIN=http://site.example:8080", 0, 0 },
		{ "HTTP_ORIGIN=https://site.example:8080", 0, 0 },
		{ "HTTP_ORIGIN=https://SITE.example:8080", 1, 0 },
		{ "HTTP_ORIGIN=http://site.example:8080", 1, 1 },
		{ "HTTP_ORIGIN=https://site.example", 0, 1 },
		{ "HTTP_ORIGIN=https://site.example:8080.evil", 0, 1 },
		{ "HTTP_ORIGIN=https://site.example:8080/", 0, 1 },
	};
	struct answer	 a;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *env[] = { "HTTP_HOST=site.example:8080",
		    cases[i].header, cases[i].https ? "HTTPS=on" : NULL,
		    NULL };

		send_form(&a, "/login", NULL, LOGIN, env);
		if (a.status != (cases[i].refused ? 403 : 303))
			fail_msg("%s%s: %d", cases[i].header, cases[i].https ?
			    " over HTTPS" : "", a.status);
		if (cases[i].refused)
			assert_non_null(strstr(a.body, "came from another "
			    "site"));
		answer_free(&a);
	}

	/* The token routes take no form token, but are judged the same. */
	{
		const char *env[] = { "HTTP_SEC_FETCH_SITE=cross-site",
		    "CONTENT_TYPE=application/json", NULL };

		app_send(&fx->ctx, &a, "POST", "/token", NULL,
		    "{\"username\":\"alice\"}", env);
		assert_int_equal(a.status, 403);
		assert_string_equal(a.body,
		    "{\"error\":\"cross_site_request\"}\n");
		answer_free(&a);
	}
	/* GET is never judged: links from other sites work. */
	{
		const char *env[] = { "HTTP_SEC_FETCH_SITE=cross-site", NULL };

		app_send(&fx->ctx, &a, "GET", "/login", NULL, NULL, env);
		assert_int_equal(a.status, 200);
		answer_free(&a);
	}
}

static void
write_secrets(const char *text)
{
	char	*path;

	path = test_write_file(fx->dir, "secrets", text);
	assert_int_equal(chmod(path, 0600), 0);
	free(path);
}

/* The first secret signs, all verify; a change is read without restart. */
static void
rotation(void **state)
{
	struct answer	 a;
	const char	*nonce = app_nonce_cookie(&fx->ctx);
	char		*old, *new, *body;

	(void)state;
	write_secrets("# old\n" "0123456789abcdef0123456789abcdef-one\n");
	old = form_token("/login", nonce);

	fx->ctx.now++;
	write_secrets("  0123456789abcdef0123456789abcdef-two  \n\n"
	    "0123456789abcdef0123456789abcdef-one\n");
	new = form_token("/login", nonce);
	assert_string_not_equal(old, new);
	assert_int_not_equal(asprintf(&body, LOGIN "&csrf=%s", old), -1);
	app_send(&fx->ctx, &a, "POST", "/login", nonce, body, NULL);
	assert_int_equal(a.status, 303);
	answer_free(&a);
	free(body);

	fx->ctx.now++;
	write_secrets("0123456789abcdef0123456789abcdef-two\n");
	assert_int_not_equal(asprintf(&body, LOGIN "&csrf=%s", old), -1);
	expect_login_refused(nonce, body);
	free(body);
	assert_int_not_equal(asprintf(&body, LOGIN "&csrf=%s", new), -1);
	app_send(&fx->ctx, &a, "POST", "/login", nonce, body, NULL);
	assert_int_equal(a.status, 303);
	answer_free(&a);
	free(body);
	free(old);
	free(new);
}

/* Files that are refused, each with one line naming why. */
static void
bad_secrets(void **state)
{
	static const struct {
		const char	*text;
		int		 mode;
		const char	*msg;
	} cases[] = {
		{ "short\n", 0600, "secrets:1: a secret is 32 to 256" },
		{ "# only a comment\n\n", 0600, "holds no secret" },
		{ "0123456789abcdef0123456789abcdef\n", 0644,
		    "may be read or written by others: chmod 600 it" },
		{ "0123456789abcdef0123456789abcdef\n", 0620,
		    "may be read or written by others" },
		{ "0123456789abcdef0123456789abcdef\n"
		  "0123456789abcdef\x01""0123456789abcdef\n", 0600,
		    "secrets:2: a secret is" },
	};
	struct secrets	 s;
	char		*path, *err;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		path = test_write_file(fx->dir, "secrets", cases[i].text);
		assert_int_equal(chmod(path, (mode_t)cases[i].mode), 0);
		test_stderr_begin();
		assert_int_equal(secrets_load(path, 0, &s), -1);
		assert_int_equal(secrets_check(path), -1);
		err = test_stderr_end();
		if (strstr(err, cases[i].msg) == NULL)
			fail_msg("case %zu: %s", i, err);
		free(err);
		free(path);
	}

	/* A page with a form cannot be made: 500, logged, no token. */
	ctx_secrets_free(&fx->ctx);
	test_stderr_begin();
	{
		struct answer	 a;

		app_send(&fx->ctx, &a, "GET", "/login", NULL, NULL, NULL);
		assert_int_equal(a.status, 500);
		assert_null(strstr(a.body, "csrf"));
		answer_free(&a);
	}
	free(test_stderr_end());

	/* A missing file is made, private, with one secret; -t leaves it. */
	assert_int_not_equal(asprintf(&path, "%s/made", fx->dir), -1);
	assert_int_equal(secrets_check(path), 0);
	assert_int_equal(secrets_load(path, 1, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.v[0].len, 43);
	{
		struct stat	 st;

		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
	}
	secrets_clear(&s);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name)	cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(login_refusals),
		T(logout_refusals),
		T(cross_site),
		T(rotation),
		T(bad_secrets),
#undef T
	};

	log_init("test_csrf", LOG_LEVEL_WARN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
