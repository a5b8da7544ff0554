/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * The token endpoints and bearer authentication through app_handle:
 * /token, /token/refresh, /token/revoke, the JWKS, /whoami, /api/ and
 * /private/ with Authorization: Bearer (field case F12), API logout, the
 * access-token cookie, and the three authentication modes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "gatehouse.h"
#include "store.h"
#include "testapp.h"

#define T0	1800000000LL
#define JSON	"CONTENT_TYPE=application/json"

struct fixture {
	char		*dir;
	char		*conf;
	struct config	 cfg;
	struct ctx	 ctx;
};

static struct fixture	*fx;

/* (Re)load the configuration with "tokens" as its [tokens] section. */
static void
configure(const char *tokens)
{
	char	*text;

	token_keys_free(&fx->ctx);
	store_close(fx->ctx.store);
	fx->ctx.store = NULL;
	config_free(&fx->cfg);
	assert_int_not_equal(asprintf(&text, "[database]\npath = gh.db\n"
	    "[password]\nscrypt_log2n = 10\n[server]\nwww = %s/www\n"
	    "[tokens]\n%s", getenv("top_srcdir"), tokens), -1);
	free(fx->conf);
	fx->conf = test_write_file(fx->dir, "gh.conf", text);
	free(text);
	config_defaults(&fx->cfg);
	assert_int_equal(config_load(fx->conf, &fx->cfg), 0);
}

static int
setup(void **state)
{
	struct jwk	 k;
	char		*hash, *path;
	int		 active;

	fx = calloc(1, sizeof(*fx));
	fx->dir = test_tempdir();
	configure("mode = both\n");
	fx->ctx.cfg = &fx->cfg;
	fx->ctx.create_store = 1;
	fx->ctx.now = T0;
	assert_non_null(ctx_store(&fx->ctx));
	assert_int_equal(password_hash("pw-alice-1", 10, &fx->cfg.kdf, &hash),
	    0);
	assert_int_equal(store_user_add(fx->ctx.store, "alice", hash, T0),
	    STORE_OK);
	free(hash);
	mkdir(fx->cfg.keys_dir, 0700);
	assert_int_equal(jwk_generate(JWS_ES256, &k), 0);
	path = token_key_path(&fx->cfg, "k1");
	assert_int_equal(jwk_write(&k, path), 0);
	assert_int_equal(store_key_add(fx->ctx.store, "k1", "ES256", T0,
	    &active), STORE_OK);
	free(path);
	jwk_free(&k);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ctx_secrets_free(&fx->ctx);
	token_keys_free(&fx->ctx);
	ctx_secrets_free(&fx->ctx);
	store_close(fx->ctx.store);
	config_free(&fx->cfg);
	test_rmtree(fx->dir);
	free(fx->dir);
	free(fx->conf);
	free(fx);
	return 0;
}

static void
send_env(struct answer *a, const char *method, const char *path,
    const char *cookie, const char *body, const char *const *env)
{
	app_send(&fx->ctx, a, method, path, cookie, body, env);
}

/* POST /token as JSON; fills the two tokens (caller frees). */
static void
get_pair(char **access, char **refresh)
{
	const char	*env[] = { JSON, NULL };
	struct answer	 a;
	json_t		*j;

	send_env(&a, "POST", "/token", NULL,
	    "{\"username\":\"alice\",\"password\":\"pw-alice-1\"}", env);
	assert_int_equal(a.status, 200);
	j = json_loads(a.body, 0, NULL);
	*access = strdup(json_string_value(json_object_get(j,
	    "access_token")));
	*refresh = strdup(json_string_value(json_object_get(j,
	    "refresh_token")));
	json_decref(j);
	answer_free(&a);
}

/* GET "path" with "Authorization: <auth>"; returns the status. */
static int
get_with(const char *path, const char *auth, struct answer *a)
{
	char		*h;
	const char	*env[] = { NULL, NULL };

	assert_int_not_equal(asprintf(&h, "HTTP_AUTHORIZATION=%s", auth), -1);
	env[0] = h;
	send_env(a, "GET", path, NULL, NULL, env);
	free(h);
	return a->status;
}

static void
token_endpoint(void **state)
{
	const char	*json[] = { JSON, NULL };
	const char	*text[] = { "CONTENT_TYPE=text/plain", NULL };
	struct answer	 a;
	json_t		*j;

	(void)state;
	/* A form works as well as JSON. */
	send_env(&a, "POST", "/token", NULL,
	    "username=alice&password=pw-alice-1&grant_type=password", NULL);
	assert_int_equal(a.status, 200);
	assert_header(&a, "Content-Type", "application/json");
	assert_header(&a, "Cache-Control", "no-store");
	assert_header(&a, "Pragma", "no-cache");
	assert_security_headers(&a, 0);
	j = json_loads(a.body, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(j,
	    "token_type")), "Bearer");
	assert_int_equal(json_integer_value(json_object_get(j, "expires_in")),
	    600);
	assert_true(session_id_wellformed(json_string_value(json_object_get(j,
	    "refresh_token"))));
	assert_int_equal(json_object_size(j), 4);
	json_decref(j);
	answer_free(&a);

	/* Wrong password and unknown user: RFC 6749 invalid_grant, alike. */
	send_env(&a, "POST", "/token", NULL,
	    "{\"username\":\"alice\",\"password\":\"nope\"}", json);
	assert_int_equal(a.status, 400);
	assert_string_equal(a.body, "{\"error\":\"invalid_grant\","
	    "\"error_description\":\"The credentials or the refresh token are "
	    "not valid.\"}\n");
	answer_free(&a);
	send_env(&a, "POST", "/token", NULL,
	    "{\"username\":\"nobody\",\"password\":\"nope\"}", json);
	assert_int_equal(a.status, 400);
	assert_non_null(strstr(a.body, "invalid_grant"));
	answer_free(&a);

	/* Malformed requests. */
	send_env(&a, "POST", "/token", NULL, "{\"username\":\"alice\"}",
	    json);
	assert_int_equal(a.status, 400);
	assert_non_null(strstr(a.body, "invalid_request"));
	answer_free(&a);
	send_env(&a, "POST", "/token", NULL,
	    "{\"username\":\"alice\",\"password\":7}", json);
	assert_int_equal(a.status, 400);
	answer_free(&a);
	send_env(&a, "POST", "/token", NULL, "{\"username\":\"alice\","
	    "\"username\":\"bob\",\"password\":\"x\"}", json);
	assert_int_equal(a.status, 400);
	answer_free(&a);
	send_env(&a, "POST", "/token", NULL,
	    "{\"username\":\"al\\u0000ice\",\"password\":\"x\"}", json);
	assert_int_equal(a.status, 400);
	answer_free(&a);
	send_env(&a, "POST", "/token", NULL,
	    "username=alice&password=pw-alice-1&grant_type=client_credentials",
	    NULL);
	assert_int_equal(a.status, 400);
	answer_free(&a);
	send_env(&a, "POST", "/token", NULL, "username=alice", text);
	assert_int_equal(a.status, 415);
	answer_free(&a);
	send_env(&a, "GET", "/token", NULL, NULL, NULL);
	assert_int_equal(a.status, 405);
	assert_header(&a, "Allow", "POST");
	answer_free(&a);
}

/* F12: the Authorization header as clients really send it. */
static void
bearer_header(void **state)
{
	struct answer	 a;
	char		*at, *rt, *h;
	size_t		 i;
	/* Before and after the token. */
	static const char *const good[][2] = { { "Bearer ", "" },
	    { "bearer ", "" }, { "BEARER ", "" }, { "Bearer  ", "" },
	    { "Bearer ", " " }, { "Bearer ", "\t" } };
	static const char *const bad[][2] = { { "Bearer ", ",extra" },
	    { "Bearer ", " x" }, { "Bearer ", ";" }, { "Bearer\t", "" },
	    { "Bearer \"", "\"" } };

	(void)state;
	get_pair(&at, &rt);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_not_equal(asprintf(&h, "%s%s%s", good[i][0], at,
		    good[i][1]), -1);
		if (get_with("/whoami", h, &a) != 200)
			fail_msg("refused: %s", h);
		assert_non_null(strstr(a.body, "\"user\":\"alice\""));
		assert_non_null(strstr(a.body, "\"token\":{"));
		answer_free(&a);
		free(h);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_not_equal(asprintf(&h, "%s%s%s", bad[i][0], at,
		    bad[i][1]), -1);
		if (get_with("/whoami", h, &a) != 401)
			fail_msg("accepted: %s", h);
		assert_header(&a, "WWW-Authenticate",
		    "Bearer realm=\"gatehouse\", error=\"invalid_token\"");
		assert_string_equal(a.body, "{\"error\":\"invalid_token\"}\n");
		answer_free(&a);
		free(h);
	}
	/* Basic is another scheme, not a bad bearer token. */
	assert_int_equal(get_with("/whoami", "Basic YWxpY2U6eA==", &a), 401);
	assert_header(&a, "WWW-Authenticate", "Bearer realm=\"gatehouse\"");
	answer_free(&a);
	assert_int_equal(get_with("/whoami", "Bearer", &a), 401);
	answer_free(&a);
	/* A forged token: 401, not a fallback to cookies. */
	assert_int_equal(get_with("/whoami", "Bearer eyJhbGciOiJub25lIn0."
	    "eyJzdWIiOiJhbGljZSJ9.", &a), 401);
	assert_header(&a, "WWW-Authenticate",
	    "Bearer realm=\"gatehouse\", error=\"invalid_token\"");
	answer_free(&a);
	free(at);
	free(rt);
}

/* /api/ and /private/ answer to a bearer token. */
static void
bearer_routes(void **state)
{
	struct answer	 a;
	char		*at, *rt, *h;
	json_t		*j;

	(void)state;
	get_pair(&at, &rt);
	assert_int_not_equal(asprintf(&h, "Bearer %s", at), -1);
	assert_int_equal(get_with("/api/reports/7", h, &a), 200);
	j = json_loads(a.body, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(j, "user")),
	    "alice");
	assert_string_equal(json_string_value(json_object_get(j, "path")),
	    "/api/reports/7");
	assert_true(json_is_false(json_object_get(j, "admin")));
	json_decref(j);
	assert_security_headers(&a, 0);
	answer_free(&a);
	assert_int_equal(get_with("/private/", h, &a), 200);
	assert_non_null(strstr(a.body, "alice"));
	answer_free(&a);

	/* Without credentials: a browser goes to the login page, an API 401. */
	send_env(&a, "GET", "/api/x", NULL, NULL, NULL);
	assert_int_equal(a.status, 401);
	assert_header(&a, "WWW-Authenticate", "Bearer realm=\"gatehouse\"");
	answer_free(&a);
	send_env(&a, "GET", "/private/", NULL, NULL, NULL);
	assert_int_equal(a.status, 303);
	answer_free(&a);
	assert_int_equal(get_with("/private/", "Bearer x.y.z", &a), 401);
	answer_free(&a);
	free(h);
	free(at);
	free(rt);
}

static void
refresh_and_revoke(void **state)
{
	const char	*json[] = { JSON, NULL };
	struct answer	 a;
	char		*at, *rt, *body, *h, *rt2;
	json_t		*j;

	(void)state;
	get_pair(&at, &rt);
	fx->ctx.now = T0 + 10;
	assert_int_not_equal(asprintf(&body, "{\"grant_type\":"
	    "\"refresh_token\",\"refresh_token\":\"%s\"}", rt), -1);
	send_env(&a, "POST", "/token/refresh", NULL, body, json);
	assert_int_equal(a.status, 200);
	assert_header(&a, "Cache-Control", "no-store");
	j = json_loads(a.body, 0, NULL);
	rt2 = strdup(json_string_value(json_object_get(j, "refresh_token")));
	json_decref(j);
	answer_free(&a);

	/* The old one again: refused, and the family is gone. */
	test_stderr_begin();
	send_env(&a, "POST", "/token/refresh", NULL, body, json);
	free(test_stderr_end());
	assert_int_equal(a.status, 400);
	assert_non_null(strstr(a.body, "invalid_grant"));
	answer_free(&a);
	free(body);
	assert_int_not_equal(asprintf(&body, "refresh_token=%s", rt2), -1);
	send_env(&a, "POST", "/token/refresh", NULL, body, NULL);
	assert_int_equal(a.status, 400);
	answer_free(&a);
	free(body);
	assert_int_not_equal(asprintf(&h, "Bearer %s", at), -1);
	assert_int_equal(get_with("/whoami", h, &a), 401);
	answer_free(&a);
	free(h);
	free(at);
	free(rt);
	free(rt2);

	/* RFC 7009: revoke an access token; 200 for anything. */
	get_pair(&at, &rt);
	assert_int_not_equal(asprintf(&body, "token=%s", at), -1);
	send_env(&a, "POST", "/token/revoke", NULL, body, NULL);
	assert_int_equal(a.status, 200);
	assert_int_equal(a.bodylen, 0);
	answer_free(&a);
	free(body);
	assert_int_not_equal(asprintf(&h, "Bearer %s", at), -1);
	assert_int_equal(get_with("/whoami", h, &a), 401);
	answer_free(&a);
	free(h);
	send_env(&a, "POST", "/token/revoke", NULL, "token=nonsense", NULL);
	assert_int_equal(a.status, 200);
	answer_free(&a);
	send_env(&a, "POST", "/token/revoke", NULL, "x=1", NULL);
	assert_int_equal(a.status, 400);
	answer_free(&a);
	free(at);
	free(rt);
}

/* Refresh with "rt" (a form); returns the status, "*next" the new one. */
static int
refresh_with(const char *rt, char **next)
{
	struct answer	 a;
	char		*body;
	json_t		*j;
	int		 status;

	assert_int_not_equal(asprintf(&body, "refresh_token=%s", rt), -1);
	test_stderr_begin();
	send_env(&a, "POST", "/token/refresh", NULL, body, NULL);
	free(test_stderr_end());
	free(body);
	status = a.status;
	if (next != NULL && status == 200) {
		j = json_loads(a.body, 0, NULL);
		*next = strdup(json_string_value(json_object_get(j,
		    "refresh_token")));
		json_decref(j);
	}
	answer_free(&a);
	return status;
}

/*
 * The clock stepped: an access token is judged by the clock of the
 * moment (a token from the future is refused, a remembered verdict does
 * not outlive exp), a refresh token refused as expired stays refused
 * when the clock goes back (its family is dropped), and refreshing
 * while the clock is behind does not stretch the family's end.
 */
static void
token_clock_jumps(void **state)
{
	struct answer	 a;
	char		*at, *rt, *h, *rt2, *rt3;

	(void)state;
	get_pair(&at, &rt);
	assert_int_not_equal(asprintf(&h, "Bearer %s", at), -1);
	assert_int_equal(get_with("/whoami", h, &a), 200);
	answer_free(&a);
	fx->ctx.now = T0 + 600 + 29;
	assert_int_equal(get_with("/whoami", h, &a), 200);
	answer_free(&a);
	fx->ctx.now = T0 + 600 + 30;
	test_stderr_begin();
	assert_int_equal(get_with("/whoami", h, &a), 401);
	answer_free(&a);
	fx->ctx.now = T0 - 3600;
	assert_int_equal(get_with("/whoami", h, &a), 401);
	free(test_stderr_end());
	answer_free(&a);
	fx->ctx.now = T0 + 10;
	assert_int_equal(get_with("/whoami", h, &a), 200);
	answer_free(&a);
	free(h);
	free(at);

	fx->ctx.now = T0 + 43200;
	assert_int_equal(refresh_with(rt, NULL), 400);
	fx->ctx.now = T0 + 20;
	assert_int_equal(refresh_with(rt, NULL), 400);
	free(rt);

	fx->ctx.now = T0;
	get_pair(&at, &rt);
	free(at);
	fx->ctx.now = T0 - 3600;
	assert_int_equal(refresh_with(rt, &rt2), 200);
	fx->ctx.now = T0 + 43199;
	assert_int_equal(refresh_with(rt2, &rt3), 200);
	fx->ctx.now = T0 + 43200;
	assert_int_equal(refresh_with(rt3, NULL), 400);
	free(rt);
	free(rt2);
	free(rt3);
}

/*
 * A field with a NUL byte inside is refused on every route, before it
 * can be read cut short: a refresh token followed by %00 and junk is
 * not the refresh token. Malformed JSON bodies get a JSON error.
 */
static void
nul_fields_and_bad_json(void **state)
{
	/* Route, then the body around the refresh token. */
	static const char *const bodies[][3] = {
		{ "/token/refresh", "refresh_token=", "%00junk" },
		{ "/token/refresh", "grant_type=refresh_token%00x&"
		    "refresh_token=", "" },
		{ "/token", "grant_type=password%00x&username=alice&"
		    "password=correct+horse+battery&x=", "" },
		{ "/logout", "refresh_token=", "%00junk" },
		{ "/token/revoke", "token=", "%00junk" },
	};
	static const char *const bad_json[] = {
		"{\"token\":\"a\",\"token\":\"b\"}",
		"{\"token\":\"a\\u0000\"}",
		"{\"token\":", "[\"token\"]",
	};
	const char	*json[] = { JSON, NULL };
	struct answer	 a;
	char		*at, *rt, *body;
	json_t		*j;
	size_t		 i;

	(void)state;
	get_pair(&at, &rt);
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		assert_int_not_equal(asprintf(&body, "%s%s%s", bodies[i][1],
		    rt, bodies[i][2]), -1);
		test_stderr_begin();
		send_env(&a, "POST", bodies[i][0], NULL, body, NULL);
		free(test_stderr_end());
		assert_int_equal(a.status, 400);
		/* A form to /logout is a browser's: it gets a page. */
		if (strncmp(bodies[i][0], "/token", 6) == 0)
			assert_non_null(strstr(a.body, "invalid_request"));
		else
			assert_non_null(strstr(a.body, "holds a NUL byte"));
		answer_free(&a);
		free(body);
	}
	/* The refresh token is unused still: none of the above took it. */
	assert_int_not_equal(asprintf(&body, "refresh_token=%s", rt), -1);
	send_env(&a, "POST", "/token/refresh", NULL, body, NULL);
	assert_int_equal(a.status, 200);
	answer_free(&a);
	free(body);

	for (i = 0; i < sizeof(bad_json) / sizeof(bad_json[0]); i++) {
		test_stderr_begin();
		send_env(&a, "POST", "/token/revoke", NULL, bad_json[i], json);
		free(test_stderr_end());
		assert_int_equal(a.status, 400);
		assert_header(&a, "Content-Type", "application/json");
		j = json_loads(a.body, 0, NULL);
		assert_non_null(j);
		assert_string_equal(json_string_value(json_object_get(j,
		    "error")), "invalid_request");
		json_decref(j);
		answer_free(&a);
	}
	free(at);
	free(rt);
}

/* API logout: bearer and refresh token revoked, 204. */
static void
api_logout(void **state)
{
	const char	*env[] = { JSON, NULL, NULL };
	struct answer	 a;
	char		*at, *rt, *h, *body;

	(void)state;
	get_pair(&at, &rt);
	assert_int_not_equal(asprintf(&h, "HTTP_AUTHORIZATION=Bearer %s", at),
	    -1);
	env[1] = h;
	assert_int_not_equal(asprintf(&body, "{\"refresh_token\":\"%s\"}", rt),
	    -1);
	send_env(&a, "POST", "/logout", NULL, body, env);
	assert_int_equal(a.status, 204);
	answer_free(&a);
	assert_int_equal(get_with("/whoami", h + strlen("HTTP_AUTHORIZATION="),
	    &a), 401);
	answer_free(&a);
	free(body);
	assert_int_not_equal(asprintf(&body, "refresh_token=%s", rt), -1);
	send_env(&a, "POST", "/token/refresh", NULL, body, NULL);
	assert_int_equal(a.status, 400);
	answer_free(&a);
	free(body);
	free(h);
	free(at);
	free(rt);
}

static void
jwks(void **state)
{
	struct answer	 a;
	json_t		*j, *k;
	struct jwk	 key;

	(void)state;
	send_env(&a, "GET", "/.well-known/jwks.json", NULL, NULL, NULL);
	assert_int_equal(a.status, 200);
	assert_header(&a, "Cache-Control", "public, max-age=300");
	j = json_loads(a.body, 0, NULL);
	assert_int_equal(json_array_size(json_object_get(j, "keys")), 1);
	k = json_array_get(json_object_get(j, "keys"), 0);
	assert_string_equal(json_string_value(json_object_get(k, "kid")),
	    "k1");
	assert_string_equal(json_string_value(json_object_get(k, "alg")),
	    "ES256");
	assert_null(json_object_get(k, "d"));
	/* It is a usable public key. */
	assert_int_equal(jwk_from_json(k, JWS_ES256, &key), 0);
	assert_false(key.private);
	jwk_free(&key);
	json_decref(j);
	answer_free(&a);
}

/* access_cookie: the token in an HttpOnly cookie, for pages. */
static void
access_cookie(void **state)
{
	struct answer	 a;
	char		*sc, *sc2, *cookie, *v;

	(void)state;
	configure("mode = both\naccess_cookie = yes\n");
	send_env(&a, "POST", "/token", NULL,
	    "username=alice&password=pw-alice-1", NULL);
	assert_int_equal(a.status, 200);
	sc = answer_header(&a, "Set-Cookie");
	assert_non_null(sc);
	assert_int_equal(strncmp(sc, "__Host-gh_sid_at=", 17), 0);
	assert_non_null(strstr(sc, "; Max-Age=600; Secure; HttpOnly; "
	    "SameSite=Strict"));
	v = strndup(sc, strcspn(sc, ";"));
	/* Only in the cookie: the page's scripts never see it. */
	assert_null(strstr(a.body, "access_token"));
	assert_non_null(strstr(a.body, "\"refresh_token\""));
	answer_free(&a);
	send_env(&a, "GET", "/whoami", v, NULL, NULL);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "\"token\""));
	answer_free(&a);
	cookie = v;
	send_env(&a, "POST", "/logout", cookie, "", NULL);
	assert_non_null(strstr(a.head, "Set-Cookie: __Host-gh_sid_at=; "));
	answer_free(&a);
	/* Logout revoked the token in the cookie too. */
	send_env(&a, "GET", "/whoami", v, NULL, NULL);
	assert_int_equal(a.status, 401);
	answer_free(&a);
	/* The cookie twice: nobody. */
	{
		char	*two;

		send_env(&a, "POST", "/token", NULL,
		    "username=alice&password=pw-alice-1", NULL);
		sc2 = answer_header(&a, "Set-Cookie");
		answer_free(&a);
		assert_int_not_equal(asprintf(&two, "%.*s; %.*s",
		    (int)strcspn(sc2, ";"), sc2, (int)strcspn(sc2, ";"), sc2),
		    -1);
		send_env(&a, "GET", "/whoami", sc2, NULL, NULL);
		assert_int_equal(a.status, 200);
		answer_free(&a);
		send_env(&a, "GET", "/whoami", two, NULL, NULL);
		assert_int_equal(a.status, 401);
		answer_free(&a);
		free(two);
		free(sc2);
	}
	free(sc);
	free(cookie);
}

/* The modes: routes of a mode the site does not take do not exist. */
static void
modes(void **state)
{
	struct answer	 a;

	(void)state;
	configure("mode = cookie\n");
	send_env(&a, "POST", "/token", NULL, "username=a&password=b", NULL);
	assert_int_equal(a.status, 404);
	answer_free(&a);
	send_env(&a, "GET", "/.well-known/jwks.json", NULL, NULL, NULL);
	assert_int_equal(a.status, 404);
	answer_free(&a);
	/* A bearer token means nothing here. */
	assert_int_equal(get_with("/whoami", "Bearer a.b.c", &a), 401);
	assert_header(&a, "WWW-Authenticate", "FormBased realm=\"gatehouse\"");
	answer_free(&a);

	configure("mode = bearer\n");
	send_env(&a, "GET", "/login", NULL, NULL, NULL);
	assert_int_equal(a.status, 404);
	answer_free(&a);
	send_env(&a, "POST", "/login", NULL, "username=a&password=b", NULL);
	assert_int_equal(a.status, 404);
	answer_free(&a);
	/* No login page to send anyone to: 401. */
	test_stderr_begin();
	send_env(&a, "GET", "/private/", NULL, NULL, NULL);
	free(test_stderr_end());
	assert_int_equal(a.status, 401);
	assert_header(&a, "WWW-Authenticate", "Bearer realm=\"gatehouse\"");
	answer_free(&a);
	send_env(&a, "POST", "/token", NULL,
	    "username=alice&password=pw-alice-1", NULL);
	assert_int_equal(a.status, 200);
	answer_free(&a);
}

/* How many audit events match "where" (an SQL condition). */
static int
events_where(const char *where)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	char		*sql;
	int		 n;

	assert_int_not_equal(asprintf(&sql, "SELECT count(*) FROM "
	    "auth_events WHERE %s", where), -1);
	assert_int_equal(sqlite3_open(fx->cfg.db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	free(sql);
	return n;
}

/* Tokens issued, refreshed, reused and revoked are in the audit trail. */
static void
token_audit(void **state)
{
	const char	*json[] = { JSON, NULL };
	struct answer	 a;
	char		*at, *rt, *body;

	(void)state;
	get_pair(&at, &rt);
	assert_int_equal(events_where("event = 'token_issue' AND "
	    "user = 'alice' AND addr = '192.0.2.7' AND outcome = 'ok'"), 1);
	assert_int_equal(events_where("event = 'login_success' AND "
	    "user = 'alice'"), 1);

	assert_int_not_equal(asprintf(&body, "{\"refresh_token\":\"%s\"}",
	    rt), -1);
	send_env(&a, "POST", "/token/refresh", NULL, body, json);
	assert_int_equal(a.status, 200);
	answer_free(&a);
	assert_int_equal(events_where("event = 'token_refresh' AND "
	    "user = 'alice' AND addr = '192.0.2.7' AND outcome = 'ok'"), 1);
	test_stderr_begin();
	send_env(&a, "POST", "/token/refresh", NULL, body, json);
	free(test_stderr_end());
	assert_int_equal(a.status, 400);
	answer_free(&a);
	free(body);
	assert_int_equal(events_where("event = 'token_refresh' AND "
	    "outcome = 'reused_family_revoked'"), 1);
	free(at);
	free(rt);

	get_pair(&at, &rt);
	assert_int_not_equal(asprintf(&body, "token=%s", at), -1);
	send_env(&a, "POST", "/token/revoke", NULL, body, NULL);
	answer_free(&a);
	free(body);
	assert_int_not_equal(asprintf(&body, "token=%s", rt), -1);
	send_env(&a, "POST", "/token/revoke", NULL, body, NULL);
	answer_free(&a);
	free(body);
	assert_int_equal(events_where("event = 'token_revoke' AND "
	    "user = 'alice' AND outcome = 'access'"), 1);
	assert_int_equal(events_where("event = 'token_revoke' AND "
	    "user = 'alice' AND outcome = 'refresh'"), 1);
	/* Nothing to revoke: no event. */
	send_env(&a, "POST", "/token/revoke", NULL, "token=nonsense", NULL);
	answer_free(&a);
	assert_int_equal(events_where("event = 'token_revoke'"), 2);
	free(at);
	free(rt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(token_endpoint, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(bearer_header, setup, teardown),
		cmocka_unit_test_setup_teardown(bearer_routes, setup, teardown),
		cmocka_unit_test_setup_teardown(nul_fields_and_bad_json, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(refresh_and_revoke, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(token_audit, setup, teardown),
		cmocka_unit_test_setup_teardown(api_logout, setup, teardown),
		cmocka_unit_test_setup_teardown(jwks, setup, teardown),
		cmocka_unit_test_setup_teardown(access_cookie, setup, teardown),
		cmocka_unit_test_setup_teardown(modes, setup, teardown),
		cmocka_unit_test_setup_teardown(token_clock_jumps, setup,
		    teardown),
	};

	log_init("test_api", LOG_LEVEL_WARN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
