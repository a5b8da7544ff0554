/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * The whole request path without a web server: parameters and a body go
 * into app_handle, the CGI-form answer comes out, with a real SQLite file
 * and a test clock. Most field cases (shared/cases/field-cases.md) are
 * checked here, each test naming the case it covers.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/sha.h>
#include <sqlite3.h>

#include "gatehouse.h"
#include "store.h"
#include "store_backend.h"
#include "testapp.h"

#define T0		1800000000LL	/* the test clock's start */
#define PASSWORD	"correct horse battery"
#define COOKIE		"__Host-gh_sid"

struct fixture {
	char		*dir;
	struct config	 cfg;
	struct ctx	 ctx;
};

static struct fixture	*fx;

static void
send_env(struct answer *a, const char *method, const char *path,
    const char *cookie, const char *body, const char *const *env)
{
	app_send(&fx->ctx, a, method, path, cookie, body, env);
}

static void
send(struct answer *a, const char *method, const char *path,
    const char *cookie, const char *body)
{
	app_send(&fx->ctx, a, method, path, cookie, body, NULL);
}

/* Log alice in; returns her session id (caller frees). */
static char *
login_as(const char *user, const char *password)
{
	struct answer	 a;
	char		*body, *sc, *id;

	assert_int_not_equal(asprintf(&body, "username=%s&password=%s", user,
	    password), -1);
	send(&a, "POST", "/login", NULL, body);
	free(body);
	assert_int_equal(a.status, 303);
	sc = answer_header(&a, "Set-Cookie");
	assert_non_null(sc);
	assert_int_equal(strncmp(sc, COOKIE "=", strlen(COOKIE) + 1), 0);
	id = strndup(sc + strlen(COOKIE) + 1, SESSION_ID_LEN);
	free(sc);
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

/* Who /whoami says is logged in with "cookie", or NULL. */
static char *
whoami(const char *cookie)
{
	struct answer	 a;
	json_t		*j;
	char		*user = NULL;

	send(&a, "GET", "/whoami", cookie, NULL);
	if (a.status == 200) {
		j = json_loads(a.body, 0, NULL);
		assert_non_null(j);
		user = strdup(json_string_value(json_object_get(j, "user")));
		json_decref(j);
	} else
		assert_int_equal(a.status, 401);
	answer_free(&a);
	return user;
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
exec_sql(const char *sql)
{
	sqlite3	*db;

	assert_int_equal(sqlite3_open(fx->cfg.db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* Is there a stored session for "id"? */
static int
session_stored(const char *id)
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

/* The fixture, with "extra" lines at the end of the configuration. */
static int
setup_conf(void **state, const char *extra)
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
	exec_sql("UPDATE users SET disabled = 1 WHERE name = 'bob'");
	*state = fx;
	return 0;
}

static int
setup(void **state)
{
	return setup_conf(state, "");
}

/*
 * Short limits for the throttle tests: a name locks after 3 failures for
 * 10 s, doubling to 40 s; an address after 6; 8 failures an hour at most.
 */
static int
setup_throttle(void **state)
{
	return setup_conf(state, "[throttle]\naccount_threshold = 3\n"
	    "address_threshold = 6\naccount_hourly_max = 8\nwindow = 60s\n"
	    "backoff_base = 10s\nbackoff_max = 40s\n[tokens]\nmode = both\n");
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

/*
 * GET /login: the form with its CSRF token, the nonce cookie for a
 * browser that has none (and only that), and no session row for an
 * anonymous visitor.
 */
static void
login_page(void **state)
{
	struct answer	 a;
	char		*sc, *field, want[128];

	(void)state;
	send(&a, "GET", "/login", NULL, NULL);
	assert_int_equal(a.status, 200);
	assert_header(&a, "Content-Type", "text/html; charset=utf-8");
	assert_non_null(strstr(a.body, "name=\"username\""));
	assert_non_null(strstr(a.body, "action=\"/login\""));
	assert_int_equal(answer_header_count(&a, "Set-Cookie"), 1);
	sc = answer_header(&a, "Set-Cookie");
	assert_int_equal(strncmp(sc, COOKIE "_csrf=", strlen(COOKIE) + 6), 0);
	assert_string_equal(sc + strlen(COOKIE) + 6 + 43, "; Path=/; "
	    "Max-Age=43200; Secure; HttpOnly; SameSite=Lax");
	free(sc);
	field = strstr(a.body, "name=\"csrf\" value=\"");
	assert_non_null(field);
	assert_int_equal(strcspn(field + 19, "\""), CSRF_TOKEN_LEN);
	assert_security_headers(&a, 0);
	answer_free(&a);

	/* A browser with its nonce gets no new one. */
	snprintf(want, sizeof(want), "%s", app_nonce_cookie(&fx->ctx));
	send(&a, "GET", "/login", want, NULL);
	assert_int_equal(a.status, 200);
	assert_int_equal(answer_header_count(&a, "Set-Cookie"), 0);
	answer_free(&a);
	assert_int_equal(count_rows("SELECT count(*) FROM sessions"), 0);
}

/* A good login: the cookie's attributes, the row, the redirect. */
static void
login_success(void **state)
{
	struct answer	 a;
	char		*sc, want[256], *id;

	(void)state;
	send(&a, "POST", "/login", NULL,
	    "username=alice&password=correct+horse+battery");
	assert_int_equal(a.status, 303);
	assert_header(&a, "Location", "/private/");
	assert_security_headers(&a, 0);
	sc = answer_header(&a, "Set-Cookie");
	assert_non_null(sc);
	id = strndup(sc + strlen(COOKIE) + 1, SESSION_ID_LEN);
	assert_true(session_id_wellformed(id));
	snprintf(want, sizeof(want), COOKIE "=%s; Path=/; Max-Age=43200; "
	    "Secure; HttpOnly; SameSite=Lax", id);
	assert_string_equal(sc, want);
	assert_int_equal(answer_header_count(&a, "Set-Cookie"), 1);
	/* Only the hash is stored. */
	assert_int_equal(session_stored(id), 1);
	assert_int_equal(count_rows("SELECT count(*) FROM sessions"), 1);
	free(sc);
	free(id);
	answer_free(&a);
}

/*
 * F10: wrong password, unknown user, disabled user and empty password get
 * the same status, headers and body, and no cookie.
 */
static void
login_failures_alike(void **state)
{
	static const char *const bodies[] = {
		"username=alice&password=wrong",
		"username=nobody-7f3a&password=wrong",
		"username=bob&password=correct+horse+battery",
		"username=alice&password=",
	};
	struct answer	 first, a;
	size_t		 i;
	char		*cl;

	(void)state;
	memset(&first, 0, sizeof(first));
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		send(&a, "POST", "/login", NULL, bodies[i]);
		assert_int_equal(a.status, 401);
		assert_null(answer_header(&a, "Set-Cookie"));
		assert_non_null(strstr(a.body, "Wrong user name or password."));
		assert_security_headers(&a, 0);
		/* The length follows the name put back into the form. */
		cl = strstr(a.head, "Content-Length:");
		assert_non_null(cl);
		*cl = '\0';
		if (i == 0) {
			first = a;
			continue;
		}
		assert_string_equal(a.head, first.head);
		if (strstr(bodies[i], "username=alice") != NULL)
			assert_string_equal(a.body, first.body);
		answer_free(&a);
	}
	answer_free(&first);
	assert_int_equal(count_rows("SELECT count(*) FROM sessions"), 0);
}

/* F9: a session id held before login is dead after it. */
static void
no_fixation(void **state)
{
	struct answer	 a;
	char		*a_id, *b_id, *cookie, *user;
	const char	*invented = "0123456789abcdef0123456789abcdef";

	(void)state;
	a_id = login_as("alice", "correct+horse+battery");
	cookie = cookie_of(a_id);
	send(&a, "POST", "/login", cookie,
	    "username=alice&password=correct+horse+battery");
	assert_int_equal(a.status, 303);
	answer_free(&a);
	free(cookie);

	b_id = login_as("alice", "correct+horse+battery");
	assert_string_not_equal(a_id, b_id);
	assert_int_equal(session_stored(a_id), 0);
	cookie = cookie_of(a_id);
	user = whoami(cookie);
	assert_null(user);
	free(cookie);

	/* An id the client made up is never stored. */
	assert_int_not_equal(asprintf(&cookie, COOKIE "=%s", invented), -1);
	send(&a, "POST", "/login", cookie,
	    "username=alice&password=correct+horse+battery");
	assert_int_equal(a.status, 303);
	assert_null(strstr(a.head, invented));
	answer_free(&a);
	assert_int_equal(session_stored(invented), 0);
	free(cookie);
	free(a_id);
	free(b_id);
}

/* /whoami with and without a session. */
static void
whoami_json(void **state)
{
	struct answer	 a;
	char		*id, *cookie;
	json_t		*j;

	(void)state;
	send(&a, "GET", "/whoami", NULL, NULL);
	assert_int_equal(a.status, 401);
	assert_header(&a, "Content-Type", "application/json");
	assert_string_equal(a.body, "{\"error\":\"unauthenticated\"}\n");
	assert_security_headers(&a, 0);
	answer_free(&a);

	id = login_as("alice", "correct+horse+battery");
	cookie = cookie_of(id);
	send(&a, "GET", "/whoami", cookie, NULL);
	assert_int_equal(a.status, 200);
	assert_security_headers(&a, 0);
	j = json_loads(a.body, 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "user")),
	    "alice");
	/* T0 = 2027-01-15T08:00:00Z; +12 h and +30 min. */
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(j, "session"), "created")), "2027-01-15T08:00:00Z");
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(j, "session"), "expires")), "2027-01-15T20:00:00Z");
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(j, "session"), "idle_expires")),
	    "2027-01-15T08:30:00Z");
	json_decref(j);
	answer_free(&a);
	free(cookie);
	free(id);
}

/*
 * F11: idle and absolute limits are enforced by the server, the ended row
 * is deleted, and touching never stretches the absolute limit.
 */
static void
expiry(void **state)
{
	char	*id, *cookie, *user;
	int	 i;

	(void)state;
	id = login_as("alice", "correct+horse+battery");
	cookie = cookie_of(id);

	/* Idle: alive just before 30 min without a request, dead at it. */
	fx->ctx.now = T0 + 1799;
	user = whoami(cookie);
	assert_string_equal(user, "alice");
	free(user);
	fx->ctx.now = T0 + 1799 + 1800;
	assert_null(whoami(cookie));
	assert_int_equal(session_stored(id), 0);
	free(cookie);
	free(id);

	/* Absolute: a request every 20 min keeps it only for 12 hours. */
	fx->ctx.now = T0;
	id = login_as("alice", "correct+horse+battery");
	cookie = cookie_of(id);
	for (i = 1; i * 1200 < 43200; i++) {
		fx->ctx.now = T0 + i * 1200;
		user = whoami(cookie);
		assert_non_null(user);
		free(user);
	}
	fx->ctx.now = T0 + 43200;
	assert_null(whoami(cookie));
	assert_int_equal(session_stored(id), 0);
	free(cookie);
	free(id);
}

/*
 * The clock stepped (NTP, a resumed virtual machine): a small step back
 * ends no live session; a jump forward past a limit ends it for good,
 * its row deleted, so setting the clock right again brings nothing
 * back; and no request made while the clock is behind stretches the
 * absolute end. A step back and then forward again can end a session
 * early (its idle time is counted from the earlier clock), never late.
 */
static void
clock_jumps(void **state)
{
	char	*id, *cookie, *user;

	(void)state;
	id = login_as("alice", "correct+horse+battery");
	cookie = cookie_of(id);
	fx->ctx.now = T0 - 300;
	user = whoami(cookie);
	assert_string_equal(user, "alice");
	free(user);
	fx->ctx.now = T0 + 600;
	user = whoami(cookie);
	assert_string_equal(user, "alice");
	free(user);

	fx->ctx.now = T0 + 86400;
	assert_null(whoami(cookie));
	assert_int_equal(session_stored(id), 0);
	fx->ctx.now = T0 + 700;
	assert_null(whoami(cookie));
	free(cookie);
	free(id);

	/* The absolute end, with the idle limit out of the way. */
	fx->cfg.idle_timeout = 86400;
	fx->ctx.now = T0;
	id = login_as("alice", "correct+horse+battery");
	cookie = cookie_of(id);
	fx->ctx.now = T0 + 40000;
	user = whoami(cookie);
	assert_string_equal(user, "alice");
	free(user);
	fx->ctx.now = T0 + 30000;
	user = whoami(cookie);
	assert_string_equal(user, "alice");
	free(user);
	assert_int_equal(count_rows("SELECT expires - 1800000000 FROM "
	    "sessions"), 43200);
	fx->ctx.now = T0 + 43199;
	user = whoami(cookie);
	assert_string_equal(user, "alice");
	free(user);
	fx->ctx.now = T0 + 43200;
	assert_null(whoami(cookie));
	fx->ctx.now = T0 + 30000;
	assert_null(whoami(cookie));
	free(cookie);
	free(id);

	/* A login while the clock is a day behind ends by the right one. */
	fx->ctx.now = T0 - 86400;
	id = login_as("alice", "correct+horse+battery");
	cookie = cookie_of(id);
	fx->ctx.now = T0;
	assert_null(whoami(cookie));
	free(cookie);
	free(id);
}

/* last_seen is written at most once per touch_interval. */
static void
touch_rate(void **state)
{
	char	*id, *cookie, *user;

	(void)state;
	id = login_as("alice", "correct+horse+battery");
	cookie = cookie_of(id);
	fx->ctx.now = T0 + 59;
	free(whoami(cookie));
	assert_int_equal(count_rows("SELECT last_seen - 1800000000 FROM "
	    "sessions"), 0);
	fx->ctx.now = T0 + 60;
	user = whoami(cookie);
	assert_string_equal(user, "alice");
	free(user);
	assert_int_equal(count_rows("SELECT last_seen - 1800000000 FROM "
	    "sessions"), 60);
	free(cookie);
	free(id);
}

/* F7: several values for the session cookie. */
static void
duplicate_cookies(void **state)
{
	char	*v, *w, *c, *user;

	(void)state;
	v = login_as("alice", "correct+horse+battery");

	assert_int_not_equal(asprintf(&c, COOKIE "=%s; " COOKIE "=%s",
	    "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", v), -1);
	user = whoami(c);
	assert_string_equal(user, "alice");
	free(user);
	free(c);
	assert_int_not_equal(asprintf(&c, COOKIE "=%s; " COOKIE "=%s", v,
	    "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"), -1);
	user = whoami(c);
	assert_string_equal(user, "alice");
	free(user);
	free(c);
	assert_int_not_equal(asprintf(&c, COOKIE "=; " COOKIE "=%s", v), -1);
	user = whoami(c);
	assert_string_equal(user, "alice");
	free(user);
	free(c);
	/* The same value twice is one session. */
	assert_int_not_equal(asprintf(&c, COOKIE "=%s; " COOKIE "=%s", v, v),
	    -1);
	user = whoami(c);
	assert_string_equal(user, "alice");
	free(user);
	free(c);

	/* Two live sessions: neither is chosen. */
	fx->ctx.now = T0 + 1;
	w = login_as("alice", "correct+horse+battery");
	assert_int_not_equal(asprintf(&c, COOKIE "=%s; " COOKIE "=%s", w, v),
	    -1);
	assert_null(whoami(c));
	free(c);
	free(v);
	free(w);
}

/* F6: odd cookies of other applications do not hide ours. */
static void
odd_cookies(void **state)
{
	static const char *const before[] = {
		"theme={\"dark\":true}; ",
		"test:cookie=1; ",
		"bad name=1; ",
		"a=1; b,c=2; ",
		"a=b;c=d\td;",
		"lone; =x; ",
	};
	struct buf	 many;
	char		*v, *c, *user;
	size_t		 i;

	(void)state;
	v = login_as("alice", "correct+horse+battery");
	for (i = 0; i < sizeof(before) / sizeof(before[0]); i++) {
		assert_int_not_equal(asprintf(&c, "%s" COOKIE "=%s",
		    before[i], v), -1);
		user = whoami(c);
		if (user == NULL)
			fail_msg("lost the session after %s", before[i]);
		assert_string_equal(user, "alice");
		free(user);
		free(c);
	}
	buf_init(&many);
	for (i = 0; i < 100; i++)
		buf_printf(&many, "c%zu=aaaaaaaaaaaaaaaaaaaaaaaaa; ", i);
	buf_printf(&many, COOKIE "=%s", v);
	user = whoami(many.data);
	assert_string_equal(user, "alice");
	free(user);
	buf_free(&many);
	free(v);
}

/* POST /logout deletes the row and expires the cookie; replay fails. */
static void
logout(void **state)
{
	struct answer	 a;
	char		*id, *cookie;

	(void)state;
	id = login_as("alice", "correct+horse+battery");
	cookie = cookie_of(id);

	send(&a, "GET", "/logout", cookie, NULL);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "alice"));
	assert_non_null(strstr(a.body, "action=\"/logout\""));
	answer_free(&a);

	send(&a, "POST", "/logout", cookie, "");
	assert_int_equal(a.status, 303);
	assert_header(&a, "Location", "/logout");
	assert_header(&a, "Set-Cookie", COOKIE "=; Path=/; Max-Age=0; "
	    "Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; "
	    "SameSite=Lax");
	assert_security_headers(&a, 0);
	answer_free(&a);
	assert_int_equal(session_stored(id), 0);
	assert_null(whoami(cookie));

	/* The old cookie now only gets the way to the login page. */
	send(&a, "GET", "/private/", cookie, NULL);
	assert_int_equal(a.status, 303);
	assert_header(&a, "Location", "/login?next=/private/");
	answer_free(&a);
	send(&a, "GET", "/logout", cookie, NULL);
	assert_int_equal(a.status, 200);
	assert_null(strstr(a.body, "alice"));
	answer_free(&a);
	free(cookie);
	free(id);
}

/* F8: where login and logout may send the browser. */
static void
next_targets(void **state)
{
	static const char *const hostile[] = {
		"%2F%2Fevil.example%2F", "%2F%5Cevil.example",
		"%2F%2509%2Fevil.example", "%2F%250a%2Fevil.example",
		"%2F%20%2Fevil.example", "%2F.%2F%5Cevil.example",
		"http%3Aevil.example", "https%3A%2F%2Fevil.example",
		"https%3A%2F%5Cevil.example",
		"%2F%2Fevil.example%40gatehouse.test",
		"javascript%3Aalert(1)", "java%250d%250ascript%250d%250a"
		"%3Aalert(0)", "%252F%252Fevil.example",
	};
	struct answer	 a;
	char		*body, *id, *cookie;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		assert_int_not_equal(asprintf(&body, "username=alice&password="
		    "correct+horse+battery&next=%s", hostile[i]), -1);
		send(&a, "POST", "/login", NULL, body);
		assert_int_equal(a.status, 303);
		assert_header(&a, "Location", "/private/");
		answer_free(&a);
		free(body);

		/* The login page does not echo it into its form either. */
		assert_int_not_equal(asprintf(&body, "QUERY_STRING=next=%s",
		    hostile[i]), -1);
		{
			const char *env[] = { body, NULL };

			send_env(&a, "GET", "/login", NULL, NULL, env);
		}
		assert_int_equal(a.status, 200);
		assert_non_null(strstr(a.body, "name=\"next\" value=\"\""));
		answer_free(&a);
		free(body);

		assert_int_not_equal(asprintf(&body, "next=%s", hostile[i]),
		    -1);
		send(&a, "POST", "/logout", NULL, body);
		assert_int_equal(a.status, 303);
		assert_header(&a, "Location", "/logout");
		answer_free(&a);
		free(body);
	}

	send(&a, "POST", "/login", NULL, "username=alice&password="
	    "correct+horse+battery&next=%2Fapp%2Freports%3Fid%3D7");
	assert_int_equal(a.status, 303);
	assert_header(&a, "Location", "/app/reports?id=7");
	answer_free(&a);
	send(&a, "POST", "/logout", NULL, "next=/bye.html");
	assert_header(&a, "Location", "/bye.html");
	answer_free(&a);

	/* Logged in, GET /login goes straight on. */
	id = login_as("alice", "correct+horse+battery");
	cookie = cookie_of(id);
	{
		const char *env[] = { "QUERY_STRING=next=/private/x.html",
		    NULL };

		send_env(&a, "GET", "/login", cookie, NULL, env);
	}
	assert_int_equal(a.status, 303);
	assert_header(&a, "Location", "/private/x.html");
	answer_free(&a);
	free(cookie);
	free(id);
}

/* F13: form fields that are split, doubled or hide a NUL. */
static void
form_fields(void **state)
{
	struct answer	 a;

	(void)state;
	send(&a, "POST", "/login", NULL, "username=alice;password=secret");
	assert_int_equal(a.status, 400);
	assert_non_null(strstr(a.body, "The field password is missing."));
	assert_security_headers(&a, 0);
	answer_free(&a);
	send(&a, "POST", "/login", NULL,
	    "username=alice&username=admin&password=secret");
	assert_int_equal(a.status, 400);
	answer_free(&a);
	send(&a, "POST", "/login", NULL, "username=admin%00x&password=secret");
	assert_int_equal(a.status, 400);
	answer_free(&a);
	send(&a, "POST", "/login", NULL, "username=alice&password=pw%00x");
	assert_int_equal(a.status, 400);
	answer_free(&a);
	send(&a, "POST", "/login", NULL, "username=%FF%FE&password=x");
	assert_int_equal(a.status, 400);
	answer_free(&a);
	send(&a, "POST", "/login", NULL, "username=al%ZZce&password=x");
	assert_int_equal(a.status, 400);
	answer_free(&a);
	send(&a, "POST", "/login", NULL,
	    "username=al%69ce&password=correct%20horse+batter%79");
	assert_int_equal(a.status, 303);
	answer_free(&a);

	add_user("carol", "p&ss=word");
	send(&a, "POST", "/login", NULL,
	    "username=carol&password=p%26ss%3Dword");
	assert_int_equal(a.status, 303);
	answer_free(&a);
}

/* Requests refused before any handler, and by the router. */
static void
bad_requests(void **state)
{
	struct answer	 a;
	struct buf	 big;
	char		*env1, *allow;
	size_t		 i;

	(void)state;
	{
		const char *env[] = { "CONTENT_TYPE=application/json", NULL };

		send_env(&a, "POST", "/login", NULL,
		    "{\"username\":\"alice\"}", env);
	}
	assert_int_equal(a.status, 415);
	assert_security_headers(&a, 0);
	answer_free(&a);

	{
		const char *env[] = { "CONTENT_LENGTH=16385", NULL };

		send_env(&a, "POST", "/login", NULL, NULL, env);
	}
	assert_int_equal(a.status, 413);
	assert_security_headers(&a, 0);
	answer_free(&a);
	{
		const char *env[] = { "CONTENT_LENGTH=-1", NULL };

		send_env(&a, "POST", "/login", NULL, NULL, env);
	}
	assert_int_equal(a.status, 400);
	answer_free(&a);
	{
		const char *env[] = { "CONTENT_LENGTH=100", NULL };

		send_env(&a, "POST", "/login", NULL, "short", env);
	}
	assert_int_equal(a.status, 400);
	answer_free(&a);

	send(&a, "PUT", "/login", NULL, NULL);
	assert_int_equal(a.status, 405);
	allow = answer_header(&a, "Allow");
	assert_string_equal(allow, "GET, HEAD, POST");
	free(allow);
	assert_security_headers(&a, 0);
	answer_free(&a);
	send(&a, "DELETE", "/whoami", NULL, NULL);
	assert_int_equal(a.status, 405);
	assert_header(&a, "Content-Type", "application/json");
	assert_header(&a, "Allow", "GET, HEAD");
	answer_free(&a);
	send(&a, "BREW", "/login", NULL, NULL);
	assert_int_equal(a.status, 405);
	answer_free(&a);

	send(&a, "GET", "/nonexistent", NULL, NULL);
	assert_int_equal(a.status, 404);
	assert_security_headers(&a, 0);
	answer_free(&a);
	send(&a, "GET", "/login\n", NULL, NULL);
	assert_int_equal(a.status, 400);
	answer_free(&a);

	buf_init(&big);
	for (i = 0; i < 300; i++)
		buf_printf(&big, "f%zu=1&", i);
	send(&a, "POST", "/login", NULL, big.data);
	assert_int_equal(a.status, 400);
	answer_free(&a);
	buf_reset(&big);
	buf_adds(&big, "c=");
	for (i = 0; i < REQUEST_COOKIE_MAX; i++)
		buf_addc(&big, 'a');
	send(&a, "GET", "/whoami", big.data, NULL);
	assert_int_equal(a.status, 431);
	assert_security_headers(&a, 0);
	answer_free(&a);
	buf_free(&big);

	assert_int_not_equal(asprintf(&env1, "HTTPS=on"), -1);
	{
		const char *env[] = { env1, NULL };

		send_env(&a, "GET", "/nonexistent", NULL, NULL, env);
	}
	assert_int_equal(a.status, 404);
	assert_security_headers(&a, 1);
	assert_header(&a, "Strict-Transport-Security", "max-age=31536000");
	answer_free(&a);
	free(env1);
}

/*
 * Requests at the limits, as Gatehouse sees them when the web server
 * lets them through (lighttpd itself stops headers past 8 KiB, see
 * tests/integration/faults.sh): each gets a clean 4xx, or is served
 * when within bounds, and the context goes on serving afterwards.
 */
static void
request_limits(void **state)
{
	struct answer	 a;
	struct buf	 big;
	char		*id, *cookie, *user, *env1;
	size_t		 i;

	(void)state;
	id = login_as("alice", "correct+horse+battery");
	buf_init(&big);

	/* 9 KiB of other cookies around the session: still found. */
	for (i = 0; i < 9216 / 8; i++)
		buf_printf(&big, "c%04zu=x; ", i);
	buf_printf(&big, COOKIE "=%s", id);
	user = whoami(big.data);
	assert_string_equal(user, "alice");
	free(user);
	buf_reset(&big);
	buf_adds(&big, COOKIE "=");
	for (i = 0; i < 9216; i++)
		buf_addc(&big, 'a');
	assert_null(whoami(big.data));
	for (i = 0; i < REQUEST_COOKIE_MAX; i++)
		buf_addc(&big, 'a');
	send(&a, "GET", "/whoami", big.data, NULL);
	assert_int_equal(a.status, 431);
	answer_free(&a);

	/* 10,000 parameters, in the query and in a 1 MiB-allowed body. */
	buf_reset(&big);
	buf_adds(&big, "QUERY_STRING=");
	for (i = 0; i < 10000; i++)
		buf_adds(&big, "a&");
	env1 = big.data;
	{
		const char *env[] = { env1, NULL };

		send_env(&a, "GET", "/login", NULL, NULL, env);
	}
	assert_int_equal(a.status, 414);
	answer_free(&a);
	fx->cfg.max_body = 1048576;
	buf_reset(&big);
	for (i = 0; i < 10000; i++)
		buf_printf(&big, "f%zu=1&", i);
	send(&a, "POST", "/login", NULL, big.data);
	assert_int_equal(a.status, 400);
	answer_free(&a);

	/* A 1 MiB field, then one byte more than max_body. */
	buf_reset(&big);
	buf_adds(&big, "password=x&username=");
	while (big.len < 1048576 - 64)
		buf_addc(&big, 'u');
	send(&a, "POST", "/login", NULL, big.data);
	assert_true(a.status >= 400 && a.status < 500);
	answer_free(&a);
	while (big.len <= 1048576)
		buf_addc(&big, 'u');
	send(&a, "POST", "/login", NULL, big.data);
	assert_int_equal(a.status, 413);
	answer_free(&a);

	/* Empty and huge header values. */
	{
		const char *env[] = { "HTTP_COOKIE=", "HTTP_AUTHORIZATION=",
		    "HTTP_ORIGIN=", "HTTP_ACCEPT=", NULL };

		send_env(&a, "GET", "/whoami", NULL, NULL, env);
	}
	assert_int_equal(a.status, 401);
	answer_free(&a);
	buf_reset(&big);
	buf_adds(&big, "HTTP_AUTHORIZATION=Bearer ");
	for (i = 0; i < 65536; i++)
		buf_addc(&big, 'a');
	env1 = big.data;
	{
		const char *env[] = { env1, NULL };

		send_env(&a, "GET", "/whoami", NULL, NULL, env);
	}
	assert_int_equal(a.status, 401);
	answer_free(&a);
	memcpy(big.data, "HTTP_ORIGIN=xxxxxxxxxxxxxxx", 26);
	{
		const char *env[] = { env1, NULL };

		send_env(&a, "POST", "/logout", NULL, "", env);
	}
	assert_int_equal(a.status, 403);
	answer_free(&a);

	/* NUL bytes and invalid UTF-8 in fields. */
	send(&a, "POST", "/login", NULL, "username=ali%00ce&password=x");
	assert_int_equal(a.status, 400);
	answer_free(&a);
	send(&a, "POST", "/login", NULL, "username=%ff%fe&password=x");
	assert_true(a.status >= 400 && a.status < 500);
	answer_free(&a);

	/* And the next ordinary request is served. */
	cookie = cookie_of(id);
	user = whoami(cookie);
	assert_string_equal(user, "alice");
	free(user);
	free(cookie);
	buf_free(&big);
	free(id);
}

/* HEAD is GET without the body. */
static void
head_request(void **state)
{
	struct answer	 get, head;

	(void)state;
	send(&get, "GET", "/login", app_nonce_cookie(&fx->ctx), NULL);
	send(&head, "HEAD", "/login", app_nonce_cookie(&fx->ctx), NULL);
	assert_int_equal(head.status, 200);
	assert_string_equal(head.head, get.head);
	assert_int_equal(head.bodylen, 0);
	assert_true(get.bodylen > 0);
	answer_free(&get);
	answer_free(&head);
}

/* Protected pages: the login detour, the files, no way out of the dir. */
static void
private_pages(void **state)
{
	struct answer	 a;
	char		*id, *cookie;

	(void)state;
	send(&a, "GET", "/private/example.html", NULL, NULL);
	assert_int_equal(a.status, 303);
	assert_header(&a, "Location", "/login?next=/private/example.html");
	assert_security_headers(&a, 0);
	answer_free(&a);
	{
		const char *env[] = { "QUERY_STRING=a=1&b=x y", NULL };

		send_env(&a, "GET", "/private/example.html", NULL, NULL, env);
	}
	assert_header(&a, "Location",
	    "/login?next=/private/example.html%3Fa%3D1%26b%3Dx%20y");
	answer_free(&a);

	id = login_as("alice", "correct+horse+battery");
	cookie = cookie_of(id);
	send(&a, "GET", "/private/", cookie, NULL);
	assert_int_equal(a.status, 200);
	assert_header(&a, "Content-Type", "text/html; charset=utf-8");
	assert_non_null(strstr(a.body, "alice"));
	assert_non_null(strstr(a.body, "action=\"/logout\""));
	assert_null(strstr(a.body, "{{"));
	assert_security_headers(&a, 0);
	answer_free(&a);
	send(&a, "GET", "/private/example.html", cookie, NULL);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "alice"));
	answer_free(&a);
	send(&a, "GET", "/private", cookie, NULL);
	assert_int_equal(a.status, 303);
	assert_header(&a, "Location", "/private/");
	answer_free(&a);

	send(&a, "GET", "/private/../templates/login.html", cookie, NULL);
	assert_int_equal(a.status, 404);
	answer_free(&a);
	send(&a, "GET", "/private/./index.html", cookie, NULL);
	assert_int_equal(a.status, 404);
	answer_free(&a);
	send(&a, "GET", "/private/.hidden", cookie, NULL);
	assert_int_equal(a.status, 404);
	answer_free(&a);
	send(&a, "GET", "/private//etc/passwd", cookie, NULL);
	assert_int_equal(a.status, 404);
	answer_free(&a);
	send(&a, "GET", "/private/missing.html", cookie, NULL);
	assert_int_equal(a.status, 404);
	assert_security_headers(&a, 0);
	answer_free(&a);
	send(&a, "GET", "/privateer", cookie, NULL);
	assert_int_equal(a.status, 404);
	answer_free(&a);
	free(cookie);
	free(id);
}

/* Mounted at /auth: links, redirects and form actions follow. */
static void
mounted_prefix(void **state)
{
	const char	*env[] = { "SCRIPT_NAME=/auth", NULL };
	struct answer	 a;

	(void)state;
	send_env(&a, "GET", "/login", NULL, NULL, env);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "action=\"/auth/login\""));
	answer_free(&a);
	send_env(&a, "POST", "/login", NULL,
	    "username=alice&password=correct+horse+battery", env);
	assert_int_equal(a.status, 303);
	assert_header(&a, "Location", "/auth/private/");
	answer_free(&a);
	send_env(&a, "GET", "/private/", NULL, NULL, env);
	assert_header(&a, "Location", "/auth/login?next=/auth/private/");
	answer_free(&a);
	send_env(&a, "POST", "/logout", NULL, "", env);
	assert_header(&a, "Location", "/auth/logout");
	answer_free(&a);
	send_env(&a, "GET", "/", NULL, NULL, env);
	assert_header(&a, "Location", "/auth/private/");
	answer_free(&a);
}

/* A database that cannot be opened: 503 with all headers, no crash. */
static void
store_unavailable(void **state)
{
	struct answer	 a;

	(void)state;
	send(&a, "GET", "/healthz", NULL, NULL);
	assert_int_equal(a.status, 200);
	assert_string_equal(a.body, "{\"status\":\"ok\"}\n");
	answer_free(&a);

	store_close(fx->ctx.store);
	fx->ctx.store = NULL;
	free(fx->cfg.db_path);
	fx->cfg.db_path = strdup("/nonexistent/dir/gh.db");

	send(&a, "GET", "/healthz", NULL, NULL);
	assert_int_equal(a.status, 503);
	assert_header(&a, "Retry-After", "5");
	assert_security_headers(&a, 0);
	answer_free(&a);
	send(&a, "POST", "/login", NULL,
	    "username=alice&password=correct+horse+battery");
	assert_int_equal(a.status, 503);
	assert_null(answer_header(&a, "Set-Cookie"));
	assert_security_headers(&a, 0);
	answer_free(&a);
	send(&a, "GET", "/whoami", COOKIE
	    "=XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", NULL);
	assert_int_equal(a.status, 503);
	answer_free(&a);
	/* Logout cannot delete the row now, but the cookie goes. */
	send(&a, "POST", "/logout", COOKIE
	    "=XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "");
	assert_int_equal(a.status, 503);
	assert_non_null(strstr(a.head, "Set-Cookie: " COOKIE "=; Path=/; "
	    "Max-Age=0"));
	answer_free(&a);
	/* Nothing to look up: no need for the store. */
	send(&a, "GET", "/login", NULL, NULL);
	assert_int_equal(a.status, 200);
	answer_free(&a);
}

/* No password or session id ever reaches the log. */
static void
secrets_not_logged(void **state)
{
	struct answer	 a;
	char		*log, *id, *cookie;

	(void)state;
	test_stderr_begin();
	send(&a, "POST", "/login", NULL, "username=alice&password=Wr0ngPass");
	answer_free(&a);
	send(&a, "POST", "/login", NULL, "username=Sup3rSecret&password=x");
	answer_free(&a);
	id = login_as("alice", "correct+horse+battery");
	cookie = cookie_of(id);
	free(whoami(cookie));
	send(&a, "POST", "/logout", cookie, "");
	answer_free(&a);
	log = test_stderr_end();

	assert_non_null(strstr(log, "audit: login_failure "
	    "outcome=wrong_password addr=192.0.2.7 user=alice\n"));
	assert_non_null(strstr(log, "audit: login_success outcome=ok "
	    "addr=192.0.2.7 user=alice\n"));
	assert_non_null(strstr(log, "audit: logout outcome=ok "
	    "addr=192.0.2.7 user=alice\n"));
	/* One line an event: the audit trail's. */
	assert_null(strstr(log, "logged in"));
	assert_null(strstr(log, "logged out"));
	assert_null(strstr(log, "login: failed"));
	assert_null(strstr(log, "Wr0ngPass"));
	assert_null(strstr(log, "correct"));
	assert_null(strstr(log, "Sup3rSecret"));
	assert_null(strstr(log, id));
	free(log);
	free(cookie);
	free(id);
}

/* A changed hash cost is applied at the next login. */
static void
rehash_on_login(void **state)
{
	char	*id, *before, *after;
	struct user u;

	(void)state;
	assert_int_equal(store_user_get(fx->ctx.store, "alice", &u), STORE_OK);
	before = strdup(u.password_hash);
	user_clear(&u);
	fx->cfg.kdf.log2n = 11;
	id = login_as("alice", "correct+horse+battery");
	assert_int_equal(store_user_get(fx->ctx.store, "alice", &u), STORE_OK);
	after = strdup(u.password_hash);
	user_clear(&u);
	assert_int_equal(strncmp(before, "$scrypt$ln=10,", 14), 0);
	assert_int_equal(strncmp(after, "$scrypt$ln=11,", 14), 0);
	free(before);
	free(after);
	free(id);
	/* The new hash still lets her in. */
	free(login_as("alice", "correct+horse+battery"));
}

/*
 * The authorizer role: 200 with the user as Variable-* headers (and
 * nothing else: the server serves the content with its own headers),
 * 401 otherwise, or for a browser the way to the login page when
 * configured. The filter role is refused.
 */
static void
authorizer(void **state)
{
	const char	*anon[] = { "FCGI_ROLE=AUTHORIZER",
			    "REQUEST_URI=/docs/a.html?x=1", NULL };
	const char	*browser[] = { "FCGI_ROLE=AUTHORIZER",
			    "REQUEST_URI=/docs/a.html?x=1",
			    "HTTP_ACCEPT=text/html,*/*", NULL };
	const char	*filter[] = { "FCGI_ROLE=FILTER", NULL };
	struct answer	 a;
	char		*id, *cookie;

	(void)state;
	app_send(&fx->ctx, &a, "GET", NULL, NULL, NULL, anon);
	assert_int_equal(a.status, 401);
	assert_header(&a, "WWW-Authenticate", "FormBased realm=\"gatehouse\"");
	assert_security_headers(&a, 0);
	assert_null(answer_header(&a, "Variable-USER"));
	answer_free(&a);

	/* No login_url: a browser gets the 401 page. */
	app_send(&fx->ctx, &a, "GET", NULL, NULL, NULL, browser);
	assert_int_equal(a.status, 401);
	assert_header(&a, "Content-Type", "text/html; charset=utf-8");
	answer_free(&a);
	fx->cfg.login_url = strdup("/login");
	app_send(&fx->ctx, &a, "GET", NULL, NULL, NULL, browser);
	assert_int_equal(a.status, 303);
	assert_header(&a, "Location", "/login?next=/docs/a.html%3Fx%3D1");
	assert_security_headers(&a, 0);
	answer_free(&a);
	/* A POST is not sent away. */
	app_send(&fx->ctx, &a, "POST", NULL, NULL, NULL, browser);
	assert_int_equal(a.status, 401);
	answer_free(&a);

	id = login_as("alice", "correct+horse+battery");
	cookie = cookie_of(id);
	app_send(&fx->ctx, &a, "GET", NULL, cookie, NULL, anon);
	assert_int_equal(a.status, 200);
	assert_header(&a, "Variable-REMOTE_USER", "alice");
	assert_header(&a, "Variable-USER", "alice");
	assert_header(&a, "Variable-AUTH_METHOD", "cookie");
	assert_null(answer_header(&a, "Content-Security-Policy"));
	assert_null(answer_header(&a, "Set-Cookie"));
	assert_int_equal(a.bodylen, 0);
	answer_free(&a);
	/* The guarded path is not ours: a mount point does not apply. */
	fx->cfg.mount = strdup("/auth");
	app_send(&fx->ctx, &a, "GET", NULL, cookie, NULL, anon);
	assert_int_equal(a.status, 200);
	answer_free(&a);

	/* A session that ended: refused again. */
	fx->ctx.now += 1800;
	app_send(&fx->ctx, &a, "GET", NULL, cookie, NULL, anon);
	assert_int_equal(a.status, 401);
	answer_free(&a);

	app_send(&fx->ctx, &a, "GET", "/healthz", NULL, NULL, filter);
	assert_int_equal(a.status, 403);
	assert_security_headers(&a, 0);
	answer_free(&a);
	free(cookie);
	free(id);
}

/* GET /auth/check, for nginx's auth_request and the like. */
static void
auth_check(void **state)
{
	struct answer	 a;
	char		*id, *cookie;

	(void)state;
	send(&a, "GET", "/auth/check", NULL, NULL);
	assert_int_equal(a.status, 401);
	assert_null(answer_header(&a, "X-Gatehouse-User"));
	answer_free(&a);
	id = login_as("alice", "correct+horse+battery");
	cookie = cookie_of(id);
	send(&a, "GET", "/auth/check", cookie, NULL);
	assert_int_equal(a.status, 204);
	assert_header(&a, "X-Gatehouse-User", "alice");
	assert_header(&a, "X-Gatehouse-Auth", "cookie");
	assert_int_equal(a.bodylen, 0);
	answer_free(&a);
	free(cookie);
	free(id);
}

/*
 * Mounted where the server gives no PATH_INFO (Apache's mod_proxy_fcgi
 * sends the whole path as SCRIPT_NAME): the path comes from REQUEST_URI
 * less [server] mount.
 */
static void
proxy_fcgi_paths(void **state)
{
	const char	*login[] = { "SCRIPT_NAME=/auth/login",
			    "REQUEST_URI=/auth/login?next=/x",
			    "QUERY_STRING=next=/x", NULL };
	const char	*priv[] = { "SCRIPT_NAME=/auth/private/a b.html",
			    "REQUEST_URI=/auth/private/a%20b.html", NULL };
	const char	*bad[] = { "SCRIPT_NAME=/auth/x",
			    "REQUEST_URI=/auth/%ZZ", NULL };
	/* Apache's split where the document root has no folder "auth". */
	const char	*split[] = { "SCRIPT_NAME=/auth",
			    "PATH_INFO=/private/x.html",
			    "REQUEST_URI=/auth/private/x.html", NULL };
	const char	*outside[] = { "SCRIPT_NAME=/login",
			    "REQUEST_URI=/login", NULL };
	const char	*absolute[] = { "SCRIPT_NAME=/auth/login",
			    "REQUEST_URI=http://example.org/auth/login", NULL };
	const char	*nul[] = { "SCRIPT_NAME=/auth/healthz",
			    "REQUEST_URI=/auth/healthz%00x", NULL };
	struct answer	 a;

	(void)state;
	fx->cfg.mount = strdup("/auth");
	app_send(&fx->ctx, &a, "GET", NULL, NULL, NULL, login);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "action=\"/auth/login\""));
	assert_non_null(strstr(a.body, "name=\"next\" value=\"/x\""));
	answer_free(&a);
	app_send(&fx->ctx, &a, "GET", NULL, NULL, NULL, priv);
	assert_int_equal(a.status, 303);
	assert_header(&a, "Location",
	    "/auth/login?next=/auth/private/a%2520b.html");
	answer_free(&a);
	app_send(&fx->ctx, &a, "GET", NULL, NULL, NULL, bad);
	assert_int_equal(a.status, 400);
	answer_free(&a);
	app_send(&fx->ctx, &a, "GET", NULL, NULL, NULL, split);
	assert_int_equal(a.status, 303);
	assert_header(&a, "Location",
	    "/auth/login?next=/auth/private/x.html");
	answer_free(&a);
	/* Outside the mount point: nothing of ours. */
	app_send(&fx->ctx, &a, "GET", NULL, NULL, NULL, outside);
	assert_int_equal(a.status, 404);
	answer_free(&a);
	/* A request in absolute form ("GET http://host/path"). */
	app_send(&fx->ctx, &a, "GET", NULL, NULL, NULL, absolute);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "action=\"/auth/login\""));
	answer_free(&a);
	/* A decoded NUL would cut the path short: refused. */
	app_send(&fx->ctx, &a, "GET", NULL, NULL, NULL, nul);
	assert_int_equal(a.status, 400);
	answer_free(&a);
}

/*
 * The authorizer vouches for the user to the content it guards: not for
 * an unsafe request a browser marks as coming from elsewhere (a sibling
 * subdomain's form gets the SameSite=Lax cookie), which is refused as
 * the routes refuse it. Safe methods and same-origin posts still pass.
 */
static void
authorizer_cross_site(void **state)
{
	const char	*sibling[] = { "FCGI_ROLE=AUTHORIZER",
			    "REQUEST_URI=/docs/edit", "HTTP_ACCEPT=text/html",
			    "HTTP_SEC_FETCH_SITE=same-site", NULL };
	const char	*other[] = { "FCGI_ROLE=AUTHORIZER",
			    "REQUEST_URI=/docs/edit", "HTTP_HOST=example.org",
			    "HTTP_ORIGIN=https://evil.example", NULL };
	const char	*ours[] = { "FCGI_ROLE=AUTHORIZER",
			    "REQUEST_URI=/docs/edit", "HTTP_HOST=example.org",
			    "HTTP_ORIGIN=https://example.org",
			    "HTTP_SEC_FETCH_SITE=same-origin", NULL };
	struct answer	 a;
	char		*id, *cookie, *log;

	(void)state;
	id = login_as("alice", "correct+horse+battery");
	cookie = cookie_of(id);

	test_stderr_begin();
	app_send(&fx->ctx, &a, "POST", NULL, cookie, NULL, sibling);
	log = test_stderr_end();
	assert_int_equal(a.status, 403);
	assert_null(answer_header(&a, "Variable-REMOTE_USER"));
	assert_header(&a, "Content-Type", "text/html; charset=utf-8");
	assert_security_headers(&a, 0);
	assert_non_null(strstr(log, "csrf: refused POST /docs/edit: "
	    "Sec-Fetch-Site is not same-origin"));
	free(log);
	answer_free(&a);

	app_send(&fx->ctx, &a, "DELETE", NULL, cookie, NULL, other);
	assert_int_equal(a.status, 403);
	assert_header(&a, "Content-Type", "application/json");
	assert_null(answer_header(&a, "Variable-REMOTE_USER"));
	answer_free(&a);

	/* A link from the sibling is a GET: let through. */
	app_send(&fx->ctx, &a, "GET", NULL, cookie, NULL, sibling);
	assert_int_equal(a.status, 200);
	assert_header(&a, "Variable-REMOTE_USER", "alice");
	answer_free(&a);
	app_send(&fx->ctx, &a, "POST", NULL, cookie, NULL, ours);
	assert_int_equal(a.status, 200);
	assert_header(&a, "Variable-REMOTE_USER", "alice");
	answer_free(&a);
	free(cookie);
	free(id);
}

/*
 * /auth/check, the same for nginx's auth_request: its subrequest is a
 * GET, and the method asked about comes in X-Forwarded-Method.
 */
static void
auth_check_cross_site(void **state)
{
	const char	*post[] = { "HTTP_X_FORWARDED_METHOD=POST",
			    "HTTP_SEC_FETCH_SITE=same-site", NULL };
	const char	*odd[] = { "HTTP_X_FORWARDED_METHOD=PROPFIND",
			    "HTTP_SEC_FETCH_SITE=cross-site", NULL };
	const char	*link[] = { "HTTP_X_FORWARDED_METHOD=GET",
			    "HTTP_SEC_FETCH_SITE=cross-site", NULL };
	const char	*ours[] = { "HTTP_X_FORWARDED_METHOD=POST",
			    "HTTP_SEC_FETCH_SITE=same-origin", NULL };
	struct answer	 a;
	char		*id, *cookie, *log;

	(void)state;
	id = login_as("alice", "correct+horse+battery");
	cookie = cookie_of(id);

	test_stderr_begin();
	send_env(&a, "GET", "/auth/check", cookie, NULL, post);
	log = test_stderr_end();
	assert_int_equal(a.status, 403);
	assert_null(answer_header(&a, "X-Gatehouse-User"));
	assert_string_equal(a.body, "{\"error\":\"cross_site_request\"}\n");
	assert_security_headers(&a, 0);
	assert_non_null(strstr(log, "csrf: refused POST"));
	free(log);
	answer_free(&a);
	send_env(&a, "GET", "/auth/check", cookie, NULL, odd);
	assert_int_equal(a.status, 403);
	answer_free(&a);

	send_env(&a, "GET", "/auth/check", cookie, NULL, link);
	assert_int_equal(a.status, 204);
	assert_header(&a, "X-Gatehouse-User", "alice");
	answer_free(&a);
	send_env(&a, "GET", "/auth/check", cookie, NULL, ours);
	assert_int_equal(a.status, 204);
	answer_free(&a);
	/* Asked directly, without the header: judged as the GET it is. */
	send_env(&a, "GET", "/auth/check", cookie, NULL, post + 1);
	assert_int_equal(a.status, 204);
	answer_free(&a);
	free(cookie);
	free(id);
}

/*
 * The authorizer judges who asks, not what they ask: a JSON body or a
 * query Gatehouse would refuse as a responder is the content's business
 * and must not turn a logged-in user away. A process started with -a
 * answers only as an authorizer.
 */
static void
authorizer_judges_only(void **state)
{
	const char	*json[] = { "FCGI_ROLE=AUTHORIZER",
			    "REQUEST_URI=/members/api",
			    "CONTENT_TYPE=application/json", NULL };
	const char	*many[] = { "FCGI_ROLE=AUTHORIZER",
			    "REQUEST_URI=/members/?q", NULL, NULL };
	const char	*plain[] = { "FCGI_ROLE=AUTHORIZER",
			    "REQUEST_URI=/members/", NULL };
	struct answer	 a;
	struct buf	 q;
	char		*id, *cookie;
	int		 i;

	(void)state;
	id = login_as("alice", "correct+horse+battery");
	cookie = cookie_of(id);
	app_send(&fx->ctx, &a, "POST", NULL, cookie, "{\"a\":", json);
	assert_int_equal(a.status, 200);
	assert_header(&a, "Variable-REMOTE_USER", "alice");
	answer_free(&a);
	test_stderr_begin();
	app_send(&fx->ctx, &a, "POST", NULL, NULL, "{\"a\":", json);
	free(test_stderr_end());
	assert_int_equal(a.status, 401);
	assert_header(&a, "WWW-Authenticate", "FormBased realm=\"gatehouse\"");
	answer_free(&a);

	buf_init(&q);
	buf_adds(&q, "QUERY_STRING=");
	for (i = 0; i < 300; i++)
		buf_adds(&q, "a=1&");
	many[2] = q.data;
	app_send(&fx->ctx, &a, "GET", NULL, cookie, NULL, many);
	assert_int_equal(a.status, 200);
	answer_free(&a);
	buf_free(&q);

	fx->ctx.authorizer_only = 1;
	test_stderr_begin();
	send(&a, "GET", "/whoami", cookie, NULL);
	free(test_stderr_end());
	assert_int_equal(a.status, 403);
	assert_null(strstr(a.body, "alice"));
	answer_free(&a);
	app_send(&fx->ctx, &a, "GET", NULL, cookie, NULL, plain);
	assert_int_equal(a.status, 200);
	answer_free(&a);
	fx->ctx.authorizer_only = 0;
	free(cookie);
	free(id);
}

/*
 * An .htaccess rewrite of /members/x to the CGI's /private/x: the login
 * page brings the user back to the address they asked for, unless that
 * address is not a safe local target.
 */
static void
private_rewritten(void **state)
{
	const char	*rewritten[] = { "SCRIPT_NAME=/cgi-bin/gh.cgi",
			    "PATH_INFO=/private/page.html",
			    "REQUEST_URI=/members/page.html?a=1", NULL };
	const char	*offsite[] = { "SCRIPT_NAME=/cgi-bin/gh.cgi",
			    "PATH_INFO=/private/page.html",
			    "REQUEST_URI=//evil.example/x", NULL };
	struct answer	 a;

	(void)state;
	app_send(&fx->ctx, &a, "GET", NULL, NULL, NULL, rewritten);
	assert_int_equal(a.status, 303);
	assert_header(&a, "Location",
	    "/cgi-bin/gh.cgi/login?next=/members/page.html%3Fa%3D1");
	answer_free(&a);
	app_send(&fx->ctx, &a, "GET", NULL, NULL, NULL, offsite);
	assert_int_equal(a.status, 303);
	assert_header(&a, "Location",
	    "/cgi-bin/gh.cgi/login?next=/cgi-bin/gh.cgi/private/page.html");
	answer_free(&a);
}

/* Disabling an account ends its sessions, even without the admin tool. */
static void
disabled_user(void **state)
{
	char	*id, *cookie, *user;

	(void)state;
	id = login_as("alice", "correct+horse+battery");
	cookie = cookie_of(id);
	user = whoami(cookie);
	assert_string_equal(user, "alice");
	free(user);
	exec_sql("UPDATE users SET disabled = 1 WHERE name = 'alice'");
	assert_null(whoami(cookie));
	assert_int_equal(session_stored(id), 0);
	free(cookie);
	free(id);
}

/* A symbolic link in the private folder is not followed: 404. */
static void
private_symlink(void **state)
{
	struct answer	 a;
	char		*id, *cookie, *dir, *link;

	(void)state;
	assert_int_not_equal(asprintf(&dir, "%s/private", fx->dir), -1);
	assert_int_equal(mkdir(dir, 0700), 0);
	free(fx->cfg.private_dir);
	fx->cfg.private_dir = dir;
	assert_int_not_equal(asprintf(&link, "%s/passwd.html", dir), -1);
	assert_int_equal(symlink("/etc/passwd", link), 0);
	free(link);
	free(test_write_file(dir, "page.html", "<p>{{user}}</p>\n"));

	id = login_as("alice", "correct+horse+battery");
	cookie = cookie_of(id);
	send(&a, "GET", "/private/passwd.html", cookie, NULL);
	assert_int_equal(a.status, 404);
	assert_null(strstr(a.body, "root:"));
	answer_free(&a);
	send(&a, "GET", "/private/page.html", cookie, NULL);
	assert_int_equal(a.status, 200);
	assert_string_equal(a.body, "<p>alice</p>\n");
	answer_free(&a);
	free(cookie);
	free(id);
}

/*
 * Program sources in the private folder are never sent: Gatehouse does
 * not run them, and their text may hold secrets. Nor are hidden files.
 */
static void
private_program_source(void **state)
{
	static const char *const refused[] = {
		"/private/config.php", "/private/CONFIG.PHP",
		"/private/db.inc", "/private/run.cgi", "/private/tool.py",
		"/private/config.php~", "/private/.htpasswd",
		"/private/sub/x.phtml",
	};
	struct answer	 a;
	char		*id, *cookie, *dir, *sub, long_name[400];
	size_t		 i;

	(void)state;
	assert_int_not_equal(asprintf(&dir, "%s/private", fx->dir), -1);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_not_equal(asprintf(&sub, "%s/sub", dir), -1);
	assert_int_equal(mkdir(sub, 0700), 0);
	free(fx->cfg.private_dir);
	fx->cfg.private_dir = dir;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		free(test_write_file(dir, refused[i] + strlen("/private/"),
		    "<?php $db_password = 'hunter2'; ?>\n"));
	free(test_write_file(dir, "notes.txt", "plain notes\n"));

	id = login_as("alice", "correct+horse+battery");
	cookie = cookie_of(id);
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		test_stderr_begin();
		send(&a, "GET", refused[i], cookie, NULL);
		free(test_stderr_end());
		assert_int_equal(a.status, 404);
		assert_null(strstr(a.body, "hunter2"));
		answer_free(&a);
	}
	send(&a, "GET", "/private/notes.txt", cookie, NULL);
	assert_int_equal(a.status, 200);
	assert_string_equal(a.body, "plain notes\n");
	answer_free(&a);
	/* A name too long for the file system: no such page either. */
	memset(long_name, 'a', sizeof(long_name));
	memcpy(long_name, "/private/", 9);
	long_name[sizeof(long_name) - 1] = '\0';
	send(&a, "GET", long_name, cookie, NULL);
	assert_int_equal(a.status, 404);
	answer_free(&a);
	/* A folder without its slash: on to it, at the same address. */
	send(&a, "GET", "/private/sub", cookie, NULL);
	assert_int_equal(a.status, 303);
	assert_header(&a, "Location", "/private/sub/");
	answer_free(&a);
	free(sub);
	free(cookie);
	free(id);
}

/* A template that cannot be read: 500, logged, never a page without form. */
static void
template_unreadable(void **state)
{
	struct answer	 a;
	char		*log;

	(void)state;
	free(fx->cfg.templates_dir);
	assert_int_not_equal(asprintf(&fx->cfg.templates_dir, "%s/none",
	    fx->dir), -1);
	test_stderr_begin();
	assert_int_equal(pages_check(&fx->cfg), -1);
	free(test_stderr_end());
	test_stderr_begin();
	send(&a, "GET", "/login", NULL, NULL);
	log = test_stderr_end();
	assert_int_equal(a.status, 500);
	assert_non_null(strstr(a.body, "login.html cannot be read"));
	assert_security_headers(&a, 0);
	assert_non_null(strstr(log, "page: cannot read template"));
	free(log);
	answer_free(&a);
}

/* Remove the database and its WAL files. */
static void
remove_db(void)
{
	char	*p;

	unlink(fx->cfg.db_path);
	assert_int_not_equal(asprintf(&p, "%s-wal", fx->cfg.db_path), -1);
	unlink(p);
	free(p);
	assert_int_not_equal(asprintf(&p, "%s-shm", fx->cfg.db_path), -1);
	unlink(p);
	free(p);
}

/*
 * A database replaced while the worker runs (a restored backup): the
 * worker notices and reads the new file, so sessions and passwords of the
 * old one stop working at once.
 */
static void
db_replaced(void **state)
{
	struct store	*other;
	char		*id, *cookie, *path, *hash, *user;

	(void)state;
	id = login_as("alice", "correct+horse+battery");
	cookie = cookie_of(id);
	user = whoami(cookie);
	assert_string_equal(user, "alice");
	free(user);

	assert_int_not_equal(asprintf(&path, "%s/new.db", fx->dir), -1);
	assert_int_equal(store_open(path, 1000, 1, &other), STORE_OK);
	assert_int_equal(password_hash("another one", 11, &fx->cfg.kdf,
	    &hash), 0);
	assert_int_equal(store_user_add(other, "alice", hash, T0), STORE_OK);
	free(hash);
	store_close(other);
	remove_db();
	assert_int_equal(rename(path, fx->cfg.db_path), 0);
	free(path);
	/* The file is looked at again at most once a second. */
	fx->ctx.now++;

	test_stderr_begin();
	user = whoami(cookie);
	free(test_stderr_end());
	assert_null(user);
	free(login_as("alice", "another+one"));
	free(cookie);
	free(id);
}

/*
 * A database removed while the server runs: 503 until it is back. The
 * server never creates an empty one, in which every user would be gone.
 */
static void
db_removed(void **state)
{
	struct answer	 a;
	char		*id, *cookie, *log;

	(void)state;
	id = login_as("alice", "correct+horse+battery");
	cookie = cookie_of(id);
	fx->ctx.create_store = 0;
	remove_db();
	fx->ctx.now++;

	test_stderr_begin();
	send(&a, "GET", "/whoami", cookie, NULL);
	assert_int_equal(a.status, 503);
	answer_free(&a);
	send(&a, "GET", "/healthz", NULL, NULL);
	assert_int_equal(a.status, 503);
	answer_free(&a);
	send(&a, "POST", "/login", NULL,
	    "username=alice&password=correct+horse+battery");
	assert_int_equal(a.status, 503);
	/* The page says when to come back, as Retry-After does. */
	assert_header(&a, "Retry-After", "5");
	assert_non_null(strstr(a.body, "<h1>503 Service Unavailable</h1>"));
	assert_non_null(strstr(a.body, "Please try again in 5 seconds."));
	assert_security_headers(&a, 0);
	answer_free(&a);
	log = test_stderr_end();
	assert_non_null(strstr(log, "gatehouse-admin migrate"));
	free(log);
	assert_int_equal(access(fx->cfg.db_path, F_OK), -1);
	free(cookie);
	free(id);
}

/* Over HTTPS even a request refused before routing gets HSTS. */
static void
early_refusals_https(void **state)
{
	const char	*big_body[] = { "HTTPS=on", "CONTENT_LENGTH=99999999",
			    NULL };
	const char	*bad_len[] = { "HTTPS=on", "CONTENT_LENGTH=x", NULL };
	const char	*role[] = { "HTTPS=on", "FCGI_ROLE=FILTER", NULL };
	const char	*path[] = { "REQUEST_SCHEME=https", NULL };
	struct answer	 a;

	(void)state;
	send_env(&a, "POST", "/login", NULL, NULL, big_body);
	assert_int_equal(a.status, 413);
	assert_security_headers(&a, 1);
	answer_free(&a);
	send_env(&a, "POST", "/login", NULL, NULL, bad_len);
	assert_int_equal(a.status, 400);
	assert_security_headers(&a, 1);
	answer_free(&a);
	send_env(&a, "GET", "/healthz", NULL, NULL, role);
	assert_int_equal(a.status, 403);
	assert_security_headers(&a, 1);
	answer_free(&a);
	send_env(&a, "GET", "/a\x01", NULL, NULL, path);
	assert_int_equal(a.status, 400);
	assert_security_headers(&a, 1);
	answer_free(&a);
}

/* A login attempt from "addr"; the answer's status. */
static int
try_login(struct answer *a, const char *user, const char *password,
    const char *addr)
{
	char		*body, *env[2] = { NULL, NULL };

	assert_int_not_equal(asprintf(&body, "username=%s&password=%s", user,
	    password), -1);
	assert_int_not_equal(asprintf(&env[0], "REMOTE_ADDR=%s", addr), -1);
	send_env(a, "POST", "/login", NULL, body, (const char *const *)env);
	free(body);
	free(env[0]);
	return a->status;
}

/* Like try_login, the answer dropped. */
static int
attempt(const char *user, const char *password, const char *addr)
{
	struct answer	 a;
	int		 status;

	status = try_login(&a, user, password, addr);
	answer_free(&a);
	return status;
}

#define GOOD	"correct+horse+battery"

/*
 * Past the threshold: 429 with Retry-After, even for the right password,
 * and without running the password hash (no "login: failed" line, no
 * new failure counted); after the wait the right password gets in and
 * the name's failures are forgotten.
 */
static void
throttle_429(void **state)
{
	struct answer	 a;
	char		*log;
	int		 i;

	(void)state;
	for (i = 0; i < 3; i++)
		assert_int_equal(attempt("alice", "wrong", "192.0.2.7"), 401);
	assert_int_equal(count_rows("SELECT count(*) FROM login_failures"), 3);

	test_stderr_begin();
	try_login(&a, "alice", GOOD, "192.0.2.7");
	log = test_stderr_end();
	assert_int_equal(a.status, 429);
	assert_header(&a, "Retry-After", "10");
	assert_null(answer_header(&a, "Set-Cookie"));
	assert_non_null(strstr(a.body, "<h1>429 Too Many Requests</h1>"));
	assert_non_null(strstr(a.body, "Too many failed logins. Please try "
	    "again in 10 seconds."));
	assert_security_headers(&a, 0);
	answer_free(&a);
	assert_non_null(strstr(log, "login: throttled, the user name is "
	    "locked; retry in 10s"));
	assert_null(strstr(log, "login: failed"));
	assert_null(strstr(log, "logged in"));
	free(log);
	assert_int_equal(count_rows("SELECT count(*) FROM login_failures"), 3);
	assert_int_equal(count_rows("SELECT count(*) FROM sessions"), 0);

	/* The wait counts down with the clock. */
	fx->ctx.now += 7;
	try_login(&a, "alice", "wrong", "192.0.2.7");
	assert_int_equal(a.status, 429);
	assert_header(&a, "Retry-After", "3");
	answer_free(&a);

	fx->ctx.now += 3;
	assert_int_equal(attempt("alice", GOOD, "192.0.2.7"), 303);
	assert_int_equal(count_rows("SELECT count(*) FROM login_failures"), 0);
	assert_int_equal(count_rows("SELECT count(*) FROM auth_events WHERE "
	    "event = 'login_success' AND user = 'alice' AND "
	    "addr = '192.0.2.7'"), 1);
}

/*
 * Each failure past the threshold doubles the wait (the cap at
 * backoff_max is test_throttle's); once the window has slid past the
 * failures, the name is free again.
 */
static void
throttle_backoff(void **state)
{
	struct answer	 a;
	static const char *const waits[] = { "10", "20", "40" };
	int		 i;

	(void)state;
	for (i = 0; i < 3; i++)
		assert_int_equal(attempt("carol", "wrong", "192.0.2.7"), 401);
	for (i = 0; i < 3; i++) {
		try_login(&a, "carol", "wrong", "192.0.2.7");
		assert_int_equal(a.status, 429);
		assert_header(&a, "Retry-After", waits[i]);
		answer_free(&a);
		fx->ctx.now += atoi(waits[i]);
		assert_int_equal(attempt("carol", "wrong", "192.0.2.7"), 401);
	}
	/* 70 s on, only two failures are inside the 60 s window. */
	assert_int_equal(count_rows("SELECT count(*) FROM login_failures"), 6);
	assert_int_equal(attempt("carol", "wrong", "192.0.2.7"), 401);
}

/*
 * An IPv6 host has a /64 of addresses to pick from: moving to the next
 * one must neither make it a clean address past a locked name nor start
 * its own back-off afresh. Another /64 is another client; the audit
 * trail keeps each full address.
 */
static void
throttle_ipv6_prefix(void **state)
{
	char	 addr[64], name[32];
	int	 i;

	(void)state;
	for (i = 1; i <= 3; i++) {
		snprintf(addr, sizeof(addr), "2001:db8:0:1::%d", i);
		assert_int_equal(attempt("alice", "wrong", addr), 401);
	}
	assert_int_equal(attempt("alice", GOOD, "2001:db8:0:1::4"), 429);
	assert_int_equal(attempt("alice", GOOD,
	    "2001:db8:0:1:aaaa:bbbb:cccc:dddd"), 429);
	assert_int_equal(count_rows("SELECT count(*) FROM auth_events WHERE "
	    "event = 'login_failure' AND addr = '2001:db8:0:1::3'"), 1);

	/* Spraying names: the /64 backs off after address_threshold. */
	for (i = 1; i <= 3; i++) {
		snprintf(addr, sizeof(addr), "2001:db8:0:1::%d", 10 + i);
		snprintf(name, sizeof(name), "nobody-%d", i);
		assert_int_equal(attempt(name, "wrong", addr), 401);
	}
	assert_int_equal(attempt("nobody-9", "wrong", "2001:db8:0:1::99"),
	    429);

	/* The owner, from elsewhere, still gets in. */
	assert_int_equal(attempt("alice", GOOD, "2001:db8:0:2::1"), 303);
}

/*
 * F10: an unknown name is counted and throttled exactly like a real one,
 * and its 429 is the same answer, byte for byte.
 */
static void
throttle_unknown_alike(void **state)
{
	struct answer	 real, unknown;
	int		 i;

	(void)state;
	for (i = 0; i < 3; i++) {
		assert_int_equal(attempt("alice", "wrong", "192.0.2.7"), 401);
		assert_int_equal(attempt("nobody-7f3a", "wrong",
		    "198.51.100.9"), 401);
	}
	try_login(&real, "alice", "wrong", "192.0.2.7");
	try_login(&unknown, "nobody-7f3a", "wrong", "198.51.100.9");
	assert_int_equal(real.status, 429);
	assert_int_equal(unknown.status, 429);
	assert_string_equal(real.head, unknown.head);
	assert_int_equal(real.bodylen, unknown.bodylen);
	assert_memory_equal(real.body, unknown.body, real.bodylen);
	answer_free(&real);
	answer_free(&unknown);

	/* The unknown name stays out of the trail and the failure table. */
	assert_int_equal(count_rows("SELECT count(*) FROM auth_events WHERE "
	    "event = 'login_failure' AND user IS NULL AND "
	    "outcome = 'unknown_user'"), 3);
	assert_int_equal(count_rows("SELECT count(*) FROM auth_events WHERE "
	    "user LIKE 'nobody%'"), 0);
	assert_int_equal(count_rows("SELECT count(*) FROM login_failures "
	    "WHERE CAST(name_hash AS TEXT) LIKE '%nobody%'"), 0);
}

/*
 * While a stranger keeps the name locked, the owner from an address
 * with no recent failure still gets in, which clears the lock; the
 * stranger's address is still held back by its own record.
 */
static void
throttle_owner_gets_in(void **state)
{
	int	 i;

	(void)state;
	for (i = 0; i < 4; i++)
		attempt("alice", "wrong", "203.0.113.66");
	assert_int_equal(attempt("alice", "wrong", "203.0.113.66"), 429);
	assert_int_equal(count_rows("SELECT count(*) FROM auth_events WHERE "
	    "event = 'lockout' AND user = 'alice' AND outcome = 'backoff'"),
	    1);

	assert_int_equal(attempt("alice", GOOD, "192.0.2.7"), 303);
	assert_int_equal(count_rows("SELECT count(*) FROM login_failures "
	    "WHERE addr = '203.0.113.66'"), 0);
	/* The lock is gone: a wrong password is just wrong again. */
	assert_int_equal(attempt("alice", "wrong", "203.0.113.66"), 401);

	/* A wrong password from a clean address counts like any other. */
	for (i = 0; i < 2; i++)
		attempt("alice", "wrong", "203.0.113.66");
	assert_int_equal(attempt("alice", "wrong", "192.0.2.8"), 401);
	assert_int_equal(attempt("alice", GOOD, "192.0.2.8"), 429);
}

/* An address that fails for many names backs off, for every name. */
static void
throttle_address(void **state)
{
	char	 name[16];
	int	 i;

	(void)state;
	for (i = 0; i < 6; i++) {
		snprintf(name, sizeof(name), "user%d", i);
		assert_int_equal(attempt(name, "wrong", "203.0.113.5"), 401);
	}
	assert_int_equal(attempt("alice", GOOD, "203.0.113.5"), 429);
	assert_int_equal(attempt("alice", GOOD, "192.0.2.7"), 303);
	/* The window slides: the address recovers. */
	fx->ctx.now += 60;
	assert_int_equal(attempt("user0", "wrong", "203.0.113.5"), 401);
}

/*
 * ASVS 2.2.1: past account_hourly_max failures in an hour nothing
 * reaches the account, not the owner from a clean address either, until
 * the oldest is an hour old.
 */
static void
throttle_hourly_cap(void **state)
{
	struct answer	 a;
	char		 addr[32];
	int		 i;

	(void)state;
	for (i = 0; i < 8; i++) {
		snprintf(addr, sizeof(addr), "198.51.100.%d", i + 1);
		assert_int_equal(attempt("alice", "wrong", addr), 401);
		fx->ctx.now += 60;	/* past the window each time */
	}
	assert_int_equal(count_rows("SELECT count(*) FROM auth_events WHERE "
	    "event = 'lockout' AND outcome = 'hourly_cap'"), 1);
	try_login(&a, "alice", GOOD, "192.0.2.99");
	assert_int_equal(a.status, 429);
	assert_header(&a, "Retry-After", "3120");	/* 3600 - 8 * 60 */
	answer_free(&a);
	fx->ctx.now += 3120;
	assert_int_equal(attempt("alice", GOOD, "192.0.2.99"), 303);
}

/* POST /token is throttled the same way, in its own JSON. */
static void
throttle_token(void **state)
{
	static const char *const json[] = {
		"CONTENT_TYPE=application/json", NULL
	};
	struct answer	 a;
	int		 i;

	(void)state;
	for (i = 0; i < 3; i++)
		assert_int_equal(attempt("alice", "wrong", "192.0.2.7"), 401);
	send_env(&a, "POST", "/token", NULL, "{\"username\":\"alice\","
	    "\"password\":\"correct horse battery\"}", json);
	assert_int_equal(a.status, 429);
	assert_header(&a, "Retry-After", "10");
	assert_header(&a, "Content-Type", "application/json");
	assert_non_null(strstr(a.body,
	    "\"error\":\"temporarily_unavailable\""));
	answer_free(&a);
	assert_int_equal(count_rows("SELECT count(*) FROM login_failures"), 3);

	/* After the wait, a wrong password is an ordinary refusal. */
	fx->ctx.now += 10;
	send_env(&a, "POST", "/token", NULL, "{\"username\":\"alice\","
	    "\"password\":\"wrong\"}", json);
	assert_int_equal(a.status, 400);
	assert_non_null(strstr(a.body, "invalid_grant"));
	answer_free(&a);
	assert_int_equal(count_rows("SELECT count(*) FROM login_failures"), 4);
}

/* Logins, failures and logouts are in the trail, and in the log. */
static void
audit_trail(void **state)
{
	struct answer	 a;
	char		*id, *cookie, *log;

	(void)state;
	test_stderr_begin();
	assert_int_equal(attempt("alice", "wrong", "192.0.2.7"), 401);
	assert_int_equal(attempt("bob", GOOD, "192.0.2.7"), 401);
	id = login_as("alice", GOOD);
	cookie = cookie_of(id);
	send(&a, "POST", "/logout", cookie, "");
	answer_free(&a);
	log = test_stderr_end();

	assert_int_equal(count_rows("SELECT count(*) FROM auth_events"), 4);
	assert_int_equal(count_rows("SELECT count(*) FROM auth_events WHERE "
	    "event = 'login_failure' AND user = 'alice' AND "
	    "outcome = 'wrong_password' AND addr = '192.0.2.7' AND "
	    "at = 1800000000"), 1);
	assert_int_equal(count_rows("SELECT count(*) FROM auth_events WHERE "
	    "event = 'login_failure' AND user = 'bob' AND "
	    "outcome = 'disabled'"), 1);
	assert_int_equal(count_rows("SELECT count(*) FROM auth_events WHERE "
	    "event = 'login_success' AND user = 'alice'"), 1);
	assert_int_equal(count_rows("SELECT count(*) FROM auth_events WHERE "
	    "event = 'logout' AND user = 'alice' AND outcome = 'ok'"), 1);
	assert_non_null(strstr(log, "audit: login_failure "
	    "outcome=wrong_password addr=192.0.2.7 user=alice\n"));
	assert_non_null(strstr(log, "audit: logout outcome=ok "
	    "addr=192.0.2.7 user=alice\n"));
	assert_null(strstr(log, id));
	assert_null(strstr(log, "correct"));
	free(log);
	free(cookie);
	free(id);

	/* Old events go with the purges of a login. */
	exec_sql("UPDATE auth_events SET at = at - 90 * 86400");
	free(login_as("alice", GOOD));
	assert_int_equal(count_rows("SELECT count(*) FROM auth_events"), 1);
}

/*
 * The store's work on the paths every visitor takes is searches, never a
 * scan of a table: a login's purge of ended sessions once read every
 * session, so that logins slowed as sessions piled up. With other
 * users' sessions (remembered or not, ended or not), failed logins and
 * events in the tables, the store's statements step over no row by
 * scanning (store_sqlite_full_scans) on a failed and a right login,
 * pages with the session (touching it), the sessions page, a password
 * change and a logout.
 */
static void
no_full_scans(void **state)
{
	struct answer	 a;
	char		*id, *cookie, *sql;
	int		 i;

	(void)state;
	for (i = 0; i < 40; i++) {
		assert_int_not_equal(asprintf(&sql, "INSERT INTO sessions "
		    "(id_hash, user_id, created, last_seen, expires, remember) "
		    "SELECT randomblob(32), id, %lld, %lld, %lld, %d FROM users "
		    "WHERE name = 'bob'", T0 - 86400 * (i % 3),
		    T0 - 600 * (i % 5), T0 + 3600 * (i % 4 - 1), i % 2), -1);
		exec_sql(sql);
		free(sql);
	}
	for (i = 0; i < 3; i++)
		assert_int_equal(attempt("bob", "wrong", "192.0.2.9"), 401);

	i = (int)store_sqlite_full_scans(fx->ctx.store);
	assert_int_equal(attempt("alice", "wrong", "192.0.2.7"), 401);
	id = login_as("alice", GOOD);
	cookie = cookie_of(id);
	free(whoami(cookie));
	fx->ctx.now += 120;
	send(&a, "GET", "/private/", cookie, NULL);
	assert_int_equal(a.status, 200);
	answer_free(&a);
	send(&a, "GET", "/sessions", cookie, NULL);
	assert_int_equal(a.status, 200);
	answer_free(&a);
	send(&a, "POST", "/password", cookie, "current=correct+horse+battery"
	    "&new=a+different+passphrase+now&repeat=a+different+passphrase+now");
	assert_int_equal(a.status, 200);
	answer_free(&a);
	send(&a, "POST", "/logout", cookie, "");
	assert_int_equal(a.status, 303);
	answer_free(&a);
	assert_int_equal(store_sqlite_full_scans(fx->ctx.store), i);
	free(cookie);
	free(id);
}

/* A trail that cannot be written does not turn a login into an error. */
static void
audit_failure_harmless(void **state)
{
	char	*log;

	(void)state;
	exec_sql("DROP TABLE auth_events");
	test_stderr_begin();
	free(login_as("alice", GOOD));
	log = test_stderr_end();
	assert_non_null(strstr(log, "the login_success event was not "
	    "recorded"));
	free(log);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(login_page, setup, teardown),
		cmocka_unit_test_setup_teardown(login_success, setup, teardown),
		cmocka_unit_test_setup_teardown(throttle_429, setup_throttle,
		    teardown),
		cmocka_unit_test_setup_teardown(throttle_ipv6_prefix,
		    setup_throttle, teardown),
		cmocka_unit_test_setup_teardown(throttle_backoff,
		    setup_throttle, teardown),
		cmocka_unit_test_setup_teardown(throttle_unknown_alike,
		    setup_throttle, teardown),
		cmocka_unit_test_setup_teardown(throttle_owner_gets_in,
		    setup_throttle, teardown),
		cmocka_unit_test_setup_teardown(throttle_address,
		    setup_throttle, teardown),
		cmocka_unit_test_setup_teardown(throttle_hourly_cap,
		    setup_throttle, teardown),
		cmocka_unit_test_setup_teardown(no_full_scans, setup_throttle,
		    teardown),
		cmocka_unit_test_setup_teardown(throttle_token, setup_throttle,
		    teardown),
		cmocka_unit_test_setup_teardown(audit_trail, setup, teardown),
		cmocka_unit_test_setup_teardown(audit_failure_harmless, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(login_failures_alike, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(no_fixation, setup, teardown),
		cmocka_unit_test_setup_teardown(whoami_json, setup, teardown),
		cmocka_unit_test_setup_teardown(expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(clock_jumps, setup, teardown),
		cmocka_unit_test_setup_teardown(touch_rate, setup, teardown),
		cmocka_unit_test_setup_teardown(duplicate_cookies, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(odd_cookies, setup, teardown),
		cmocka_unit_test_setup_teardown(logout, setup, teardown),
		cmocka_unit_test_setup_teardown(next_targets, setup, teardown),
		cmocka_unit_test_setup_teardown(form_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(request_limits, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(head_request, setup, teardown),
		cmocka_unit_test_setup_teardown(private_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(mounted_prefix, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(store_unavailable, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(secrets_not_logged, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(rehash_on_login, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(authorizer, setup, teardown),
		cmocka_unit_test_setup_teardown(auth_check, setup, teardown),
		cmocka_unit_test_setup_teardown(proxy_fcgi_paths, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(authorizer_cross_site, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(auth_check_cross_site, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(authorizer_judges_only, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(private_rewritten, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(disabled_user, setup, teardown),
		cmocka_unit_test_setup_teardown(private_program_source, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(private_symlink, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(template_unreadable, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(db_replaced, setup, teardown),
		cmocka_unit_test_setup_teardown(db_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(early_refusals_https, setup,
		    teardown),
	};

	log_init("test_handlers", LOG_LEVEL_INFO);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
