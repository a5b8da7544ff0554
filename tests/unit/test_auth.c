/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * auth.c: finding the one live session among the request's cookies,
 * starting and ending sessions, and the session cookie's attributes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "store.h"
#include "testlib.h"

#define T0	1800000000LL

struct fixture {
	char		*dir;
	struct config	 cfg;
	struct ctx	 ctx;
	int64_t		 uid;
};

static struct fixture	*fx;

static int
setup(void **state)
{
	struct user	 u;
	char		*conf;

	fx = calloc(1, sizeof(*fx));
	fx->dir = test_tempdir();
	conf = test_write_file(fx->dir, "gh.conf",
	    "[database]\npath = gh.db\n");
	config_defaults(&fx->cfg);
	assert_int_equal(config_load(conf, &fx->cfg), 0);
	free(conf);
	fx->ctx.cfg = &fx->cfg;
	fx->ctx.create_store = 1;
	fx->ctx.now = T0;
	assert_non_null(ctx_store(&fx->ctx));
	assert_int_equal(store_user_add(fx->ctx.store, "alice", "x", T0),
	    STORE_OK);
	assert_int_equal(store_user_get(fx->ctx.store, "alice", &u),
	    STORE_OK);
	fx->uid = u.id;
	user_clear(&u);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	store_close(fx->ctx.store);
	config_free(&fx->cfg);
	test_rmtree(fx->dir);
	free(fx->dir);
	free(fx);
	return 0;
}

#define FIREFOX	"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 " \
		"Firefox/128.0"

/*
 * Start a session as asked from 192.0.2.1 by Firefox on Linux, maybe
 * remembered; return its id, taken from the Set-Cookie, and the cookie's
 * Max-Age in "*max_age" unless NULL.
 */
static char *
start_as(int remember, long long *max_age)
{
	struct request	 req;
	struct response	 r;
	const char	*sc, *p;
	char		*id;

	struct user	 u = { .id = fx->uid, .name = "alice",
			    .password_hash = "x" };

	memset(&req, 0, sizeof(req));
	req.client_addr = "192.0.2.1";
	req.user_agent = FIREFOX;
	response_init(&r);
	assert_int_equal(auth_start_session(&fx->ctx, &req, &r, &u,
	    remember), 0);
	sc = response_get_header(&r, "Set-Cookie");
	assert_non_null(sc);
	id = strndup(sc + strlen("__Host-gh_sid="), SESSION_ID_LEN);
	if (max_age != NULL) {
		assert_non_null(p = strstr(sc, "Max-Age="));
		*max_age = atoll(p + 8);
	}
	response_free(&r);
	return id;
}

static char *
start(void)
{
	return start_as(0, NULL);
}

/* The stored session of "id", filled by the store. */
static void
stored(const char *id, struct session *s)
{
	unsigned char	 h[SESSION_HASH_LEN];

	session_hash_id(id, h);
	assert_int_equal(store_session_get(fx->ctx.store, h, s), STORE_OK);
}

/*
 * A new session records the client as the session list shows it: the
 * address, and the browser summarised, never the header itself.
 */
static void
records_the_client(void **state)
{
	struct session	 s;
	char		*id;

	(void)state;
	id = start();
	stored(id, &s);
	assert_string_equal(s.address, "192.0.2.1");
	assert_string_equal(s.agent, "Firefox on Linux");
	assert_int_equal(s.remember, 0);
	assert_int_equal(s.created, T0);
	assert_int_equal(s.expires, T0 + fx->cfg.absolute_timeout);
	session_clear(&s);
	free(id);
}

/*
 * "Remember me" counts only where the site offers it: then the session
 * and its cookie last remember_lifetime, with no idle limit; otherwise
 * the login is a plain one.
 */
static void
remember_me(void **state)
{
	struct session	 s;
	long long	 max_age;
	char		*id;

	(void)state;
	id = start_as(1, &max_age);
	stored(id, &s);
	assert_int_equal(s.remember, 0);
	assert_int_equal(max_age, fx->cfg.absolute_timeout);
	session_clear(&s);
	free(id);

	fx->cfg.remember_me = 1;
	id = start_as(1, &max_age);
	stored(id, &s);
	assert_int_equal(s.remember, 1);
	assert_int_equal(s.expires, T0 + 30 * 86400);
	assert_int_equal(max_age, 30 * 86400);
	assert_int_equal(session_state(&s, T0 + 7 * 86400, &fx->cfg),
	    SESSION_LIVE);
	session_clear(&s);
	free(id);

	id = start_as(0, &max_age);
	stored(id, &s);
	assert_int_equal(s.remember, 0);
	assert_int_equal(max_age, fx->cfg.absolute_timeout);
	assert_int_equal(session_state(&s, T0 + fx->cfg.idle_timeout,
	    &fx->cfg), SESSION_IDLE);
	session_clear(&s);
	free(id);
}

/* A request whose Cookie header is "cookie". */
static void
with_cookie(struct request *req, const char *cookie)
{
	memset(req, 0, sizeof(*req));
	assert_int_equal(cookie_parse(cookie, strlen(cookie), &req->cookies),
	    0);
}

static void
finds_the_live_session(void **state)
{
	struct request	 req;
	struct session	 s;
	char		*id, *c;

	(void)state;
	id = start();
	assert_int_not_equal(asprintf(&c, "other=1; __Host-gh_sid=%s", id),
	    -1);
	with_cookie(&req, c);
	assert_int_equal(auth_session(&fx->ctx, &req, &s), AUTH_OK);
	assert_string_equal(s.user, "alice");
	assert_int_equal(s.created, T0);
	assert_int_equal(s.expires, T0 + 43200);
	session_clear(&s);
	fields_free(&req.cookies);
	free(c);

	/* The name must match exactly: no prefix-less or other-case name. */
	assert_int_not_equal(asprintf(&c, "gh_sid=%s; __HOST-gh_sid=%s", id,
	    id), -1);
	with_cookie(&req, c);
	assert_int_equal(auth_session(&fx->ctx, &req, &s), AUTH_NONE);
	assert_null(s.user);
	fields_free(&req.cookies);
	free(c);
	free(id);
}

/* Malformed values are not looked up; too many candidates: anonymous. */
static void
candidates(void **state)
{
	struct request	 req;
	struct session	 s;
	struct buf	 b;
	char		*id;
	int		 i;

	(void)state;
	id = start();
	buf_init(&b);
	for (i = 0; i < 8; i++)
		buf_printf(&b, "__Host-gh_sid=%043d; ", i);
	buf_printf(&b, "__Host-gh_sid=%s", id);
	with_cookie(&req, b.data);
	assert_int_equal(auth_session(&fx->ctx, &req, &s), AUTH_NONE);
	fields_free(&req.cookies);

	/* Eight malformed ones do not count. */
	buf_reset(&b);
	for (i = 0; i < 8; i++)
		buf_printf(&b, "__Host-gh_sid=short%d; ", i);
	buf_printf(&b, "__Host-gh_sid=%s", id);
	with_cookie(&req, b.data);
	assert_int_equal(auth_session(&fx->ctx, &req, &s), AUTH_OK);
	session_clear(&s);
	fields_free(&req.cookies);
	buf_free(&b);
	free(id);
}

static void
end_sessions(void **state)
{
	struct request	 req;
	struct session	 s;
	char		*a, *b, *c;

	(void)state;
	a = start();
	b = start();
	assert_int_not_equal(asprintf(&c, "__Host-gh_sid=%s; "
	    "__Host-gh_sid=%s", a, b), -1);
	with_cookie(&req, c);
	/* Two live ones: anonymous, and logout ends both. */
	assert_int_equal(auth_session(&fx->ctx, &req, &s), AUTH_NONE);
	assert_int_equal(auth_end_sessions(&fx->ctx, &req), 0);
	fields_free(&req.cookies);
	free(c);

	assert_int_not_equal(asprintf(&c, "__Host-gh_sid=%s", b), -1);
	with_cookie(&req, c);
	assert_int_equal(auth_session(&fx->ctx, &req, &s), AUTH_NONE);
	fields_free(&req.cookies);
	free(c);
	free(a);
	free(b);
}

static void
store_failure(void **state)
{
	struct request	 req;
	struct session	 s;

	(void)state;
	store_close(fx->ctx.store);
	fx->ctx.store = NULL;
	free(fx->cfg.db_path);
	fx->cfg.db_path = strdup("/nonexistent/gh.db");
	with_cookie(&req, "__Host-gh_sid="
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	assert_int_equal(auth_session(&fx->ctx, &req, &s), AUTH_UNAVAILABLE);
	assert_int_equal(auth_end_sessions(&fx->ctx, &req), -1);
	fields_free(&req.cookies);

	/* Without a session cookie the store is not needed at all. */
	with_cookie(&req, "a=1");
	assert_int_equal(auth_session(&fx->ctx, &req, &s), AUTH_NONE);
	assert_int_equal(auth_end_sessions(&fx->ctx, &req), 0);
	fields_free(&req.cookies);
}

static void
cookie_attributes(void **state)
{
	struct response	 r;

	(void)state;
	response_init(&r);
	assert_int_equal(auth_clear_cookie(&fx->ctx, &r), 0);
	assert_string_equal(response_get_header(&r, "Set-Cookie"),
	    "__Host-gh_sid=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 "
	    "00:00:00 GMT; Secure; HttpOnly; SameSite=Lax");
	response_free(&r);

	fx->cfg.cookie_same_site = SAME_SITE_STRICT;
	fx->cfg.absolute_timeout = 3600;
	response_init(&r);
	assert_int_equal(auth_set_cookie(&fx->ctx, &r, "abc"), 0);
	assert_string_equal(response_get_header(&r, "Set-Cookie"),
	    "__Host-gh_sid=abc; Path=/; Max-Age=3600; Secure; HttpOnly; "
	    "SameSite=Strict");
	response_free(&r);

	/* F15: a value that would add attributes is refused. */
	response_init(&r);
	assert_int_equal(auth_set_cookie(&fx->ctx, &r, "a; Domain=x"), -1);
	assert_true(r.failed);
	assert_null(response_get_header(&r, "Set-Cookie"));
	response_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(finds_the_live_session, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(candidates, setup, teardown),
		cmocka_unit_test_setup_teardown(end_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(store_failure, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(cookie_attributes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(records_the_client, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(remember_me, setup, teardown),
	};

	log_init("test_auth", LOG_LEVEL_WARN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
