/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * The user's own sessions and password through app_handle, as
 * test_handlers.c drives the login: GET /sessions (page and JSON), POST
 * /sessions/revoke, GET and POST /password, and "remember me" on the
 * login form. A real SQLite file, a test clock.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "gatehouse.h"
#include "store.h"
#include "testapp.h"

#define T0		1800000000LL
#define PASSWORD	"correct horse battery"
#define NEWPW		"zebra lantern quietly"
#define COOKIE		"__Host-gh_sid"
#define FIREFOX		"HTTP_USER_AGENT=Mozilla/5.0 (X11; Linux x86_64; " \
			"rv:128.0) Gecko/20100101 Firefox/128.0"
#define HTML		"HTTP_ACCEPT=text/html"

struct fixture {
	char		*dir;
	struct config	 cfg;
	struct ctx	 ctx;
};

static struct fixture	*fx;

static void
exec_sql(const char *sql)
{
	sqlite3	*db;

	assert_int_equal(sqlite3_open(fx->cfg.db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static int
count_rows(const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	int		 n;

	assert_int_equal(sqlite3_open(fx->cfg.db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

static void
add_user(const char *name, const char *password)
{
	char	*hash;

	assert_int_equal(password_hash(password, strlen(password),
	    &fx->cfg.kdf, &hash), 0);
	assert_int_equal(store_user_add(ctx_store(&fx->ctx), name, hash, T0),
	    STORE_OK);
	free(hash);
}

/* Load a configuration with "extra" lines added, and two users. */
static void
start(const char *extra)
{
	char	*conf, *text;

	fx = calloc(1, sizeof(*fx));
	fx->dir = test_tempdir();
	assert_int_not_equal(asprintf(&text, "[database]\npath = gh.db\n"
	    "[password]\nscrypt_log2n = 10\n[server]\nwww = %s/www\n"
	    "log_level = debug\n%s", getenv("top_srcdir"), extra), -1);
	conf = test_write_file(fx->dir, "gatehouse.conf", text);
	free(text);
	config_defaults(&fx->cfg);
	assert_int_equal(config_load(conf, &fx->cfg), 0);
	free(conf);
	fx->ctx.cfg = &fx->cfg;
	fx->ctx.create_store = 1;
	fx->ctx.now = T0;
	add_user("alice", PASSWORD);
	add_user("bob", PASSWORD);
}

static int
setup(void **state)
{
	start("");
	*state = fx;
	return 0;
}

static int
setup_remember(void **state)
{
	start("[session]\nremember_me = yes\nremember_lifetime = 14d\n");
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ctx_secrets_free(&fx->ctx);
	store_close(fx->ctx.store);
	config_free(&fx->cfg);
	test_rmtree(fx->dir);
	free(fx->dir);
	free(fx);
	fx = NULL;
	return 0;
}

/* The session id in a Set-Cookie of "a", or NULL (caller frees). */
static char *
cookie_id(const struct answer *a)
{
	char	*sc, *id = NULL;

	if ((sc = answer_header(a, "Set-Cookie")) == NULL)
		return NULL;
	if (strncmp(sc, COOKIE "=", strlen(COOKIE) + 1) == 0 &&
	    sc[strlen(COOKIE) + 1] != ';')
		id = strndup(sc + strlen(COOKIE) + 1, SESSION_ID_LEN);
	free(sc);
	return id;
}

/* Log "user" in with "extra" parameters (may be NULL); the session id. */
static char *
login(const char *user, const char *extra, const char *body_extra)
{
	const char	*env[] = { extra, NULL };
	struct answer	 a;
	char		*body, *id;

	assert_int_not_equal(asprintf(&body, "username=%s&password=%s%s",
	    user, PASSWORD, body_extra == NULL ? "" : body_extra), -1);
	app_send(&fx->ctx, &a, "POST", "/login", NULL, body,
	    extra == NULL ? NULL : env);
	free(body);
	assert_int_equal(a.status, 303);
	assert_non_null(id = cookie_id(&a));
	answer_free(&a);
	return id;
}

static char *
cookie_of(const char *id)
{
	char	*c;

	assert_int_not_equal(asprintf(&c, COOKIE "=%s", id), -1);
	return c;
}

/* The handle of session "id", as pages show it. */
static void
handle_of(const char *id, char out[SESSION_HANDLE_LEN + 1])
{
	unsigned char	 h[SESSION_HASH_LEN];

	session_hash_id(id, h);
	session_handle(h, out);
}

/* Is a session stored for "id"? */
static int
stored(const char *id)
{
	unsigned char	 h[SESSION_HASH_LEN];
	char		 hex[2 * SESSION_HASH_LEN + 1], *sql;
	int		 n;

	session_hash_id(id, h);
	hex_encode(h, sizeof(h), hex, sizeof(hex));
	assert_int_not_equal(asprintf(&sql, "SELECT count(*) FROM sessions "
	    "WHERE lower(hex(id_hash)) = '%s'", hex), -1);
	n = count_rows(sql);
	free(sql);
	return n;
}

/* Send a request as the holder of session "id". */
static void
send_as(struct answer *a, const char *method, const char *path,
    const char *id, const char *body, const char *const *env)
{
	char	*c = cookie_of(id);

	app_send(&fx->ctx, a, method, path, c, body, env);
	free(c);
}

/* Does the body hold "s"? */
static int
has(const struct answer *a, const char *s)
{
	return strstr(a->body, s) != NULL;
}

/*
 * The list shows the user's own live sessions, this one marked and
 * offered no radio button, each named by its handle and never by its id
 * or stored hash; the other user's is not there.
 */
static void
list_page(void **state)
{
	const char	*html[] = { HTML, NULL };
	struct answer	 a;
	char		*mine, *other, *bobs, *ended, *c, radio[64];
	char		 hm[SESSION_HANDLE_LEN + 1], ho[SESSION_HANDLE_LEN + 1];
	char		 hb[SESSION_HANDLE_LEN + 1], he[SESSION_HANDLE_LEN + 1];
	char		 hex[2 * SESSION_HASH_LEN + 1];
	unsigned char	 h[SESSION_HASH_LEN];

	(void)state;
	mine = login("alice", FIREFOX, NULL);
	other = login("alice", NULL, NULL);
	bobs = login("bob", NULL, NULL);
	ended = login("alice", NULL, NULL);
	handle_of(mine, hm);
	handle_of(other, ho);
	handle_of(bobs, hb);
	handle_of(ended, he);
	/* One of alice's has gone idle: not listed. */
	session_hash_id(ended, h);
	hex_encode(h, sizeof(h), hex, sizeof(hex));
	assert_int_not_equal(asprintf(&c, "UPDATE sessions SET last_seen = 0 "
	    "WHERE lower(hex(id_hash)) = '%s'", hex), -1);
	exec_sql(c);
	free(c);

	send_as(&a, "GET", "/sessions", mine, NULL, html);
	assert_int_equal(a.status, 200);
	assert_header(&a, "Content-Type", "text/html; charset=utf-8");
	assert_security_headers(&a, 0);
	assert_true(has(&a, "<strong>alice</strong>"));
	assert_true(has(&a, "This session"));
	assert_true(has(&a, "Firefox on Linux"));
	assert_true(has(&a, "192.0.2.7"));
	assert_true(has(&a, "2027-01-15T08:00:00Z"));
	snprintf(radio, sizeof(radio), "value=\"%s\"", ho);
	assert_true(has(&a, radio));
	snprintf(radio, sizeof(radio), "value=\"%s\"", hm);
	assert_false(has(&a, radio));		/* this one: no button */
	assert_false(has(&a, hb));		/* bob's */
	assert_false(has(&a, he));		/* ended */
	assert_false(has(&a, mine));
	assert_false(has(&a, other));
	session_hash_id(other, h);
	hex_encode(h, sizeof(h), hex, sizeof(hex));
	hex[12] = '\0';
	assert_false(has(&a, hex));
	assert_true(has(&a, "action=\"/sessions/revoke\""));
	answer_free(&a);
	free(mine);
	free(other);
	free(bobs);
	free(ended);
}

/* Without Accept: text/html, the same list as JSON. */
static void
list_json(void **state)
{
	struct answer	 a;
	json_t		*j, *list, *one;
	char		*mine, *other;
	char		 hm[SESSION_HANDLE_LEN + 1];
	size_t		 i;
	int		 current = 0;

	(void)state;
	mine = login("alice", FIREFOX, NULL);
	other = login("alice", NULL, NULL);
	free(login("bob", NULL, NULL));
	handle_of(mine, hm);

	send_as(&a, "GET", "/sessions", mine, NULL, NULL);
	assert_int_equal(a.status, 200);
	assert_header(&a, "Content-Type", "application/json");
	assert_non_null(j = json_loads(a.body, 0, NULL));
	assert_string_equal(json_string_value(json_object_get(j, "user")),
	    "alice");
	list = json_object_get(j, "sessions");
	assert_int_equal(json_array_size(list), 2);
	json_array_foreach(list, i, one) {
		if (json_is_true(json_object_get(one, "current"))) {
			current++;
			assert_string_equal(json_string_value(
			    json_object_get(one, "handle")), hm);
			assert_string_equal(json_string_value(
			    json_object_get(one, "agent")), "Firefox on Linux");
		} else
			assert_string_equal(json_string_value(
			    json_object_get(one, "agent")), "Unknown browser");
		assert_string_equal(json_string_value(json_object_get(one,
		    "address")), "192.0.2.7");
		assert_string_equal(json_string_value(json_object_get(one,
		    "created")), "2027-01-15T08:00:00Z");
		assert_true(json_is_false(json_object_get(one, "remembered")));
	}
	assert_int_equal(current, 1);
	json_decref(j);
	answer_free(&a);

	/* Without a session: JSON 401, and a browser goes to log in. */
	app_send(&fx->ctx, &a, "GET", "/sessions", NULL, NULL, NULL);
	assert_int_equal(a.status, 401);
	assert_true(has(&a, "\"unauthenticated\""));
	answer_free(&a);
	{
		const char	*html[] = { HTML, NULL };

		app_send(&fx->ctx, &a, "GET", "/sessions", NULL, NULL, html);
		assert_int_equal(a.status, 303);
		assert_header(&a, "Location", "/login?next=/sessions");
		answer_free(&a);
	}
	free(mine);
	free(other);
}

/* POST /sessions/revoke as "id" with "body"; the answer in "a". */
static void
revoke(struct answer *a, const char *id, const char *body)
{
	send_as(a, "POST", "/sessions/revoke", id, body, NULL);
}

/*
 * Ending one session: it needs the password; a handle of somebody
 * else's session, or of none, ends nothing and says so; this session
 * cannot be ended here; the chosen one ends.
 */
static void
revoke_one(void **state)
{
	struct answer	 a;
	char		*mine, *other, *bobs, body[256];
	char		 ho[SESSION_HANDLE_LEN + 1], hb[SESSION_HANDLE_LEN + 1];
	char		 hm[SESSION_HANDLE_LEN + 1];

	(void)state;
	mine = login("alice", NULL, NULL);
	other = login("alice", NULL, NULL);
	bobs = login("bob", NULL, NULL);
	handle_of(mine, hm);
	handle_of(other, ho);
	handle_of(bobs, hb);

	/* The wrong password: refused, nothing ends. */
	snprintf(body, sizeof(body), "revoke=one&session=%s&password=nope",
	    ho);
	revoke(&a, mine, body);
	assert_int_equal(a.status, 403);
	assert_true(has(&a, "The password is wrong. No session was logged "
	    "out."));
	assert_int_equal(stored(other), 1);
	answer_free(&a);

	/* Bob's session, named by alice: not hers, nothing ends. */
	snprintf(body, sizeof(body), "revoke=one&session=%s&password="
	    PASSWORD, hb);
	revoke(&a, mine, body);
	assert_int_equal(a.status, 404);
	assert_true(has(&a, "None of your sessions has that name"));
	assert_int_equal(stored(bobs), 1);
	assert_int_equal(stored(other), 1);
	answer_free(&a);
	assert_int_equal(count_rows("SELECT count(*) FROM auth_events WHERE "
	    "event = 'session_revoke' AND outcome IN ('wrong_password', "
	    "'not_found') AND user = 'alice'"), 2);

	/* A made-up handle, and a malformed one. */
	revoke(&a, mine, "revoke=one&session=0123456789abcdef&password="
	    PASSWORD);
	assert_int_equal(a.status, 404);
	answer_free(&a);
	revoke(&a, mine, "revoke=one&session=%3Cb%3E&password=" PASSWORD);
	assert_int_equal(a.status, 404);
	assert_false(has(&a, "<b>"));
	answer_free(&a);

	/* This very session: log out instead. */
	snprintf(body, sizeof(body), "revoke=one&session=%s&password="
	    PASSWORD, hm);
	revoke(&a, mine, body);
	assert_int_equal(a.status, 400);
	assert_true(has(&a, "That is the session you are using"));
	assert_int_equal(stored(mine), 1);
	answer_free(&a);

	/* No session chosen; an unknown action; no password. */
	revoke(&a, mine, "revoke=one&password=" PASSWORD);
	assert_int_equal(a.status, 400);
	assert_true(has(&a, "Choose the session to log out."));
	answer_free(&a);
	revoke(&a, mine, "revoke=all&password=" PASSWORD);
	assert_int_equal(a.status, 400);
	answer_free(&a);
	revoke(&a, mine, "revoke=others");
	assert_int_equal(a.status, 400);
	assert_int_equal(stored(other), 1);
	answer_free(&a);

	/* The right one. */
	snprintf(body, sizeof(body), "revoke=one&session=%s&password="
	    PASSWORD, ho);
	revoke(&a, mine, body);
	assert_int_equal(a.status, 200);
	assert_true(has(&a, "The chosen session was logged out."));
	assert_false(has(&a, ho));
	assert_int_equal(stored(other), 0);
	assert_int_equal(stored(mine), 1);
	assert_int_equal(stored(bobs), 1);
	answer_free(&a);

	/* Without a session, or not a form. */
	app_send(&fx->ctx, &a, "POST", "/sessions/revoke", NULL,
	    "revoke=others&password=" PASSWORD, NULL);
	assert_int_equal(a.status, 401);
	answer_free(&a);
	{
		const char	*json[] = { "CONTENT_TYPE=application/json",
				    NULL };

		send_as(&a, "POST", "/sessions/revoke", mine,
		    "{\"revoke\":\"others\"}", json);
		assert_int_equal(a.status, 415);
		answer_free(&a);
	}
	free(mine);
	free(other);
	free(bobs);
}

/*
 * Ending all others: the user's other sessions and token logins end;
 * this one and other users' stay.
 */
static void
revoke_others(void **state)
{
	struct answer	 a;
	char		*mine, *o1, *o2, *bobs;

	(void)state;
	mine = login("alice", NULL, NULL);
	o1 = login("alice", NULL, NULL);
	o2 = login("alice", NULL, NULL);
	bobs = login("bob", NULL, NULL);

	revoke(&a, mine, "revoke=others&password=" PASSWORD);
	assert_int_equal(a.status, 200);
	assert_true(has(&a, "All your other sessions and API logins were "
	    "logged out (2)."));
	answer_free(&a);
	assert_int_equal(count_rows("SELECT count(*) FROM auth_events WHERE "
	    "event = 'session_revoke' AND outcome = 'others' AND "
	    "user = 'alice'"), 1);
	assert_int_equal(stored(mine), 1);
	assert_int_equal(stored(o1), 0);
	assert_int_equal(stored(o2), 0);
	assert_int_equal(stored(bobs), 1);
	free(mine);
	free(o1);
	free(o2);
	free(bobs);
}

/* POST /password as "id", from the browser that logged in. */
static void
change(struct answer *a, const char *id, const char *cur, const char *pw,
    const char *again)
{
	const char	*env[] = { FIREFOX, NULL };
	char		*body;

	assert_int_not_equal(asprintf(&body, "current=%s&new=%s&repeat=%s",
	    cur, pw, again), -1);
	send_as(a, "POST", "/password", id, body, env);
	free(body);
}

/* Can "user" log in with "pw"? */
static int
can_login(const char *user, const char *pw)
{
	struct answer	 a;
	char		*body;
	int		 ok;

	assert_int_not_equal(asprintf(&body, "username=%s&password=%s", user,
	    pw), -1);
	app_send(&fx->ctx, &a, "POST", "/login", NULL, body, NULL);
	free(body);
	ok = a.status == 303;
	answer_free(&a);
	return ok;
}

/*
 * A password change ends every other session and token login, and the
 * session that made it goes on under a new id; the old password no
 * longer works, the new one does.
 */
static void
password_change(void **state)
{
	struct answer	 a;
	char		*mine, *other, *bobs, *fresh;

	(void)state;
	mine = login("alice", FIREFOX, NULL);
	other = login("alice", NULL, NULL);
	bobs = login("bob", NULL, NULL);
	exec_sql("INSERT INTO refresh_tokens (id_hash, family, user_id, "
	    "created, expires, access_jti, access_expires) SELECT "
	    "randomblob(32), randomblob(16), id, 0, 9999999999, 'jti-a', "
	    "9999999999 FROM users WHERE name = 'alice'");

	/* The form. */
	send_as(&a, "GET", "/password", mine, NULL, NULL);
	assert_int_equal(a.status, 200);
	assert_true(has(&a, "At least 12"));
	assert_true(has(&a, "name=\"current\""));
	answer_free(&a);

	change(&a, mine, PASSWORD, NEWPW, NEWPW);
	assert_int_equal(a.status, 200);
	assert_true(has(&a, "Your password was changed"));
	assert_true(has(&a, "Your 2 other sessions and API logins ended."));
	assert_security_headers(&a, 0);
	assert_non_null(fresh = cookie_id(&a));
	assert_string_not_equal(fresh, mine);
	answer_free(&a);

	assert_int_equal(stored(mine), 0);
	assert_int_equal(stored(other), 0);
	assert_int_equal(stored(fresh), 1);
	assert_int_equal(stored(bobs), 1);
	assert_int_equal(count_rows("SELECT count(*) FROM refresh_tokens"), 0);
	assert_int_equal(count_rows("SELECT count(*) FROM revoked_tokens "
	    "WHERE jti = 'jti-a'"), 1);
	assert_int_equal(count_rows("SELECT count(*) FROM sessions WHERE "
	    "agent = 'Firefox on Linux'"), 1);

	/* This browser is still logged in, under the new id. */
	send_as(&a, "GET", "/whoami", fresh, NULL, NULL);
	assert_int_equal(a.status, 200);
	answer_free(&a);
	send_as(&a, "GET", "/whoami", mine, NULL, NULL);
	assert_int_equal(a.status, 401);
	answer_free(&a);

	assert_false(can_login("alice", PASSWORD));
	assert_true(can_login("alice", NEWPW));
	assert_true(can_login("bob", PASSWORD));
	/* The audit trail has it, with the client's address. */
	assert_int_equal(count_rows("SELECT count(*) FROM auth_events WHERE "
	    "event = 'password_change' AND outcome = 'ok' AND user = 'alice' "
	    "AND addr = '192.0.2.7'"), 1);
	free(mine);
	free(other);
	free(bobs);
	free(fresh);
}

/*
 * Refusals change nothing: a weak password with the policy's message,
 * two different new passwords, a wrong current password, no session.
 */
static void
password_refused(void **state)
{
	struct answer	 a;
	char		*mine, *other;

	(void)state;
	mine = login("alice", NULL, NULL);
	other = login("alice", NULL, NULL);

	change(&a, mine, PASSWORD, "password1234", "password1234");
	assert_int_equal(a.status, 400);
	assert_true(has(&a, "This password is too easy to guess"));
	assert_true(has(&a, "a few unrelated words make a good password."));
	assert_null(answer_header(&a, "Set-Cookie"));
	answer_free(&a);

	change(&a, mine, PASSWORD, "short", "short");
	assert_int_equal(a.status, 400);
	assert_true(has(&a, "Use at least 12 characters; a few unrelated "
	    "words make a good password."));
	answer_free(&a);

	change(&a, mine, PASSWORD, "alicealicealice", "alicealicealice");
	assert_int_equal(a.status, 400);
	assert_true(has(&a, "it contains your user name"));
	answer_free(&a);

	change(&a, mine, PASSWORD, NEWPW, "zebra lantern quietl");
	assert_int_equal(a.status, 400);
	assert_true(has(&a, "The new password and its repetition differ."));
	answer_free(&a);

	change(&a, mine, "not it", NEWPW, NEWPW);
	assert_int_equal(a.status, 403);
	assert_true(has(&a, "The current password is wrong."));
	answer_free(&a);

	send_as(&a, "POST", "/password", mine, "current=" PASSWORD, NULL);
	assert_int_equal(a.status, 400);
	answer_free(&a);

	app_send(&fx->ctx, &a, "POST", "/password", NULL, "current=" PASSWORD
	    "&new=" NEWPW "&repeat=" NEWPW, NULL);
	assert_int_equal(a.status, 401);
	answer_free(&a);
	app_send(&fx->ctx, &a, "GET", "/password", NULL, NULL, NULL);
	assert_int_equal(a.status, 303);
	assert_header(&a, "Location", "/login?next=/password");
	answer_free(&a);

	assert_int_equal(stored(mine), 1);
	assert_int_equal(stored(other), 1);
	assert_true(can_login("alice", PASSWORD));
	free(mine);
	free(other);
}

/*
 * The password page's answers never hold a password, and the log holds
 * no password, session id or handle; it does name the user and what
 * happened.
 */
static void
password_not_echoed(void **state)
{
	struct answer	 a;
	char		*mine, *other, *log, *fresh;
	char		 ho[SESSION_HANDLE_LEN + 1], body[256];

	(void)state;
	mine = login("alice", NULL, NULL);
	other = login("alice", NULL, NULL);
	handle_of(other, ho);
	test_stderr_begin();
	change(&a, mine, "my secret one", "password1234", "password1234");
	assert_false(has(&a, "my secret one"));
	assert_false(has(&a, "password1234"));
	answer_free(&a);
	change(&a, mine, "my secret one", NEWPW, NEWPW);
	assert_false(has(&a, "my secret one"));
	assert_false(has(&a, NEWPW));
	answer_free(&a);
	snprintf(body, sizeof(body), "revoke=one&session=%s&password="
	    PASSWORD, ho);
	revoke(&a, mine, body);
	answer_free(&a);
	change(&a, mine, PASSWORD, NEWPW, NEWPW);
	fresh = cookie_id(&a);
	answer_free(&a);
	log = test_stderr_end();
	assert_non_null(strstr(log, "password: wrong current password from "
	    "alice"));
	assert_non_null(strstr(log, "sessions: alice logged out one other "
	    "session"));
	assert_non_null(strstr(log, "password: alice changed their password; "
	    "0 other sessions and token logins ended"));
	assert_null(strstr(log, "my secret one"));
	assert_null(strstr(log, "password1234"));
	assert_null(strstr(log, NEWPW));
	assert_null(strstr(log, PASSWORD));
	assert_null(strstr(log, mine));
	assert_null(strstr(log, other));
	assert_null(strstr(log, fresh));
	assert_null(strstr(log, ho));
	free(log);
	free(mine);
	free(other);
	free(fresh);
}

/*
 * Both forms carry a CSRF token, and a post without one (another site's
 * form) ends nothing and changes nothing.
 */
static void
csrf_required(void **state)
{
	const char	*html[] = { HTML, NULL };
	struct answer	 a;
	char		*mine, *other, *p;

	(void)state;
	mine = login("alice", NULL, NULL);
	other = login("alice", NULL, NULL);
	send_as(&a, "GET", "/sessions", mine, NULL, html);
	assert_non_null(p = strstr(a.body, "name=\"csrf\" value=\""));
	assert_int_equal(strcspn(p + 19, "\""), CSRF_TOKEN_LEN);
	answer_free(&a);
	send_as(&a, "GET", "/password", mine, NULL, html);
	assert_non_null(p = strstr(a.body, "name=\"csrf\" value=\""));
	assert_int_equal(strcspn(p + 19, "\""), CSRF_TOKEN_LEN);
	answer_free(&a);

	testapp_raw_forms = 1;
	revoke(&a, mine, "revoke=others&password=" PASSWORD);
	assert_int_equal(a.status, 403);
	answer_free(&a);
	change(&a, mine, PASSWORD, NEWPW, NEWPW);
	assert_int_equal(a.status, 403);
	assert_null(answer_header(&a, "Set-Cookie"));
	answer_free(&a);
	testapp_raw_forms = 0;

	assert_int_equal(stored(mine), 1);
	assert_int_equal(stored(other), 1);
	assert_true(can_login("alice", PASSWORD));
	free(mine);
	free(other);
}

/*
 * The password asked again is throttled as a login is: after five wrong
 * ones from this address the next try waits (429, Retry-After), right
 * password or not, on both pages; nothing is ended or changed meanwhile.
 * Failures count as failed logins; a right one is no login_success.
 */
static void
reauth_throttled(void **state)
{
	struct answer	 a;
	char		*mine, *other, *ra;
	int		 i;

	(void)state;
	mine = login("alice", NULL, NULL);
	other = login("alice", NULL, NULL);
	assert_int_equal(count_rows("SELECT count(*) FROM auth_events WHERE "
	    "event = 'login_success'"), 2);
	for (i = 0; i < 5; i++) {
		revoke(&a, mine, "revoke=others&password=wrong");
		assert_int_equal(a.status, 403);
		answer_free(&a);
	}
	revoke(&a, mine, "revoke=others&password=" PASSWORD);
	assert_int_equal(a.status, 429);
	assert_non_null(ra = answer_header(&a, "Retry-After"));
	assert_true(atoi(ra) > 0);
	free(ra);
	assert_true(has(&a, "Too many wrong passwords."));
	answer_free(&a);
	change(&a, mine, PASSWORD, NEWPW, NEWPW);
	assert_int_equal(a.status, 429);
	assert_null(answer_header(&a, "Set-Cookie"));
	answer_free(&a);
	assert_int_equal(stored(other), 1);
	assert_true(count_rows("SELECT count(*) FROM auth_events WHERE "
	    "event = 'login_failure' AND user = 'alice'") >= 5);

	/* Later, the right password works, and is no new login. */
	fx->ctx.now = T0 + 20 * 60;
	send_as(&a, "GET", "/whoami", mine, NULL, NULL);
	answer_free(&a);
	revoke(&a, mine, "revoke=others&password=" PASSWORD);
	assert_int_equal(a.status, 200);
	answer_free(&a);
	assert_int_equal(stored(other), 0);
	assert_int_equal(count_rows("SELECT count(*) FROM auth_events WHERE "
	    "event = 'login_success'"), 2);
	free(mine);
	free(other);
}

/* "Remember me" is offered only where enabled. */
static void
login_form_plain(void **state)
{
	struct answer	 a;
	char		*id, *sc;

	(void)state;
	app_send(&fx->ctx, &a, "GET", "/login", NULL, NULL, NULL);
	assert_int_equal(a.status, 200);
	assert_false(has(&a, "name=\"remember\""));
	assert_false(has(&a, "{{remember}}"));
	assert_true(has(&a, "name=\"password\""));
	answer_free(&a);

	/* Asked for anyway: a plain session. */
	app_send(&fx->ctx, &a, "POST", "/login", NULL, "username=alice&"
	    "password=" PASSWORD "&remember=yes", NULL);
	assert_int_equal(a.status, 303);
	sc = answer_header(&a, "Set-Cookie");
	assert_non_null(strstr(sc, "Max-Age=43200;"));
	free(sc);
	answer_free(&a);
	assert_int_equal(count_rows("SELECT count(*) FROM sessions WHERE "
	    "remember = 1"), 0);
	id = login("alice", NULL, NULL);
	free(id);
}

static void
login_form_remember(void **state)
{
	struct answer	 a;
	char		*id, *sc;

	(void)state;
	app_send(&fx->ctx, &a, "GET", "/login", NULL, NULL, NULL);
	assert_int_equal(a.status, 200);
	assert_true(has(&a, "name=\"remember\" value=\"yes\""));
	assert_true(has(&a, "for 14 days"));
	answer_free(&a);

	app_send(&fx->ctx, &a, "POST", "/login", NULL, "username=alice&"
	    "password=" PASSWORD "&remember=yes", NULL);
	assert_int_equal(a.status, 303);
	sc = answer_header(&a, "Set-Cookie");
	assert_non_null(strstr(sc, "Max-Age=1209600;"));
	free(sc);
	assert_non_null(id = cookie_id(&a));
	answer_free(&a);

	/* A week later, never used meanwhile: still live. */
	fx->ctx.now = T0 + 7 * 86400;
	send_as(&a, "GET", "/whoami", id, NULL, NULL);
	assert_int_equal(a.status, 200);
	answer_free(&a);
	fx->ctx.now = T0 + 14 * 86400;
	send_as(&a, "GET", "/whoami", id, NULL, NULL);
	assert_int_equal(a.status, 401);
	answer_free(&a);
	free(id);

	/* Without the box: the idle limit holds. */
	fx->ctx.now = T0;
	id = login("alice", NULL, NULL);
	fx->ctx.now = T0 + fx->cfg.idle_timeout;
	send_as(&a, "GET", "/whoami", id, NULL, NULL);
	assert_int_equal(a.status, 401);
	answer_free(&a);
	free(id);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name)	cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(list_page),
		T(list_json),
		T(revoke_one),
		T(revoke_others),
		T(password_change),
		T(password_refused),
		T(password_not_echoed),
		T(csrf_required),
		T(reauth_throttled),
		T(login_form_plain),
		cmocka_unit_test_setup_teardown(login_form_remember,
		    setup_remember, teardown),
#undef T
	};

	log_init("test_sessions", LOG_LEVEL_INFO);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
