/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * token.c: claims checking (field case F5 and the rest), issuing and
 * verifying pairs, refresh rotation with reuse detection, revocation,
 * key rotation, and users who changed after their token was issued.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "gatehouse.h"
#include "store.h"
#include "testlib.h"

#define T0	1800000000LL

struct fixture {
	char		*dir;
	struct config	 cfg;
	struct ctx	 ctx;
};

static struct fixture	*fx;

/* Generate a key of "alg" as gatehouse-admin does; returns its kid. */
static char *
add_key(const char *alg_name)
{
	struct jwk	 k;
	enum jws_alg	 alg;
	char		 kid[32], *path;
	int		 active;

	assert_int_equal(jws_alg_parse(alg_name, &alg), 0);
	mkdir(fx->cfg.keys_dir, 0700);
	assert_int_equal(token_new_kid(kid, sizeof(kid)), 0);
	assert_int_equal(jwk_generate(alg, &k), 0);
	path = token_key_path(&fx->cfg, kid);
	assert_int_equal(jwk_write(&k, path), 0);
	assert_int_equal(store_key_add(ctx_store(&fx->ctx), kid, alg_name, T0,
	    &active), STORE_OK);
	jwk_free(&k);
	free(path);
	return strdup(kid);
}

static int
setup(void **state)
{
	char	*conf;

	fx = calloc(1, sizeof(*fx));
	fx->dir = test_tempdir();
	conf = test_write_file(fx->dir, "gh.conf", "[database]\npath = gh.db\n"
	    "[tokens]\nmode = both\nissuer = https://gh.test\n"
	    "audience = api\n[password]\nscrypt_log2n = 10\n");
	config_defaults(&fx->cfg);
	assert_int_equal(config_load(conf, &fx->cfg), 0);
	free(conf);
	fx->ctx.cfg = &fx->cfg;
	fx->ctx.create_store = 1;
	fx->ctx.now = T0;
	assert_non_null(ctx_store(&fx->ctx));
	assert_int_equal(store_user_add(fx->ctx.store, "alice", "x", T0),
	    STORE_OK);
	assert_int_equal(store_user_add(fx->ctx.store, "bob", "x", T0),
	    STORE_OK);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	token_keys_free(&fx->ctx);
	store_close(fx->ctx.store);
	config_free(&fx->cfg);
	test_rmtree(fx->dir);
	free(fx->dir);
	free(fx);
	return 0;
}

/* Issue a pair for "name": the access and refresh tokens (caller frees). */
static void
issue(const char *name, char **access, char **refresh)
{
	struct user	 u;
	json_t		*pair;

	assert_int_equal(store_user_get(fx->ctx.store, name, &u), STORE_OK);
	assert_int_equal(token_issue(&fx->ctx, &u, NULL, 0, NULL, &pair),
	    TOKEN_OK);
	user_clear(&u);
	assert_string_equal(json_string_value(json_object_get(pair,
	    "token_type")), "Bearer");
	assert_int_equal(json_integer_value(json_object_get(pair,
	    "expires_in")), 600);
	*access = strdup(json_string_value(json_object_get(pair,
	    "access_token")));
	if (refresh != NULL)
		*refresh = strdup(json_string_value(json_object_get(pair,
		    "refresh_token")));
	json_decref(pair);
}

/* Who the token says, or NULL with "*why" set. */
static char *
verify(const char *tok, const char **why)
{
	struct principal	 p;
	char			*user;

	if (token_verify(&fx->ctx, tok, strlen(tok), 0, &p, why) != AUTH_OK)
		return NULL;
	user = strdup(p.user);
	principal_clear(&p);
	return user;
}

static void
assert_refused(const char *tok, const char *reason)
{
	const char	*why = NULL;
	char		*user = verify(tok, &why);

	if (user != NULL)
		fail_msg("accepted, want \"%s\"", reason);
	assert_non_null(why);
	assert_string_equal(why, reason);
}

/*
 * F5 and friends: claims of the wrong type are errors, never "absent";
 * numbers are compared without integer conversion.
 */
static void
claims(void **state)
{
	static const struct {
		const char	*claims;
		const char	*why;	/* NULL: accepted */
	} cases[] = {
#define OK	"\"iss\":\"https://gh.test\",\"aud\":\"api\",\"sub\":\"a\"," \
		"\"jti\":\"j\",\"iat\":1800000000"
		{ "{" OK ",\"exp\":1800000600}", NULL },
		{ "{" OK ",\"exp\":1800000600.5}", NULL },
		{ "{" OK ",\"exp\":1800000600,\"nbf\":1800000000}", NULL },
		{ "{" OK ",\"exp\":\"0\"}", "exp missing or not a time" },
		{ "{" OK ",\"exp\":\"never\"}", "exp missing or not a time" },
		{ "{" OK ",\"exp\":true}", "exp missing or not a time" },
		{ "{" OK ",\"exp\":null}", "exp missing or not a time" },
		{ "{" OK "}", "exp missing or not a time" },
		{ "{" OK ",\"exp\":-1}", "exp missing or not a time" },
		{ "{" OK ",\"exp\":1800000600,\"nbf\":1e300}",
		    "nbf not a time" },
		{ "{\"iss\":\"https://gh.test\",\"aud\":\"api\",\"sub\":\"a\","
		    "\"jti\":\"j\",\"iat\":-1e300,\"exp\":1800000600}",
		    "iat missing or not a time" },
		{ "{\"iss\":\"https://gh.test\",\"aud\":\"api\",\"sub\":\"a\","
		    "\"jti\":\"j\",\"iat\":-62200000000,"
		    "\"exp\":1800000600}", "iat missing or not a time" },
		{ "{" OK ",\"exp\":1300819380}", "expired" },
		{ "{" OK ",\"exp\":1300819380.5}", "expired" },
		{ "{" OK ",\"exp\":1799999970}", "expired" },
		{ "{" OK ",\"exp\":1799999971}", NULL },
		{ "{" OK ",\"exp\":4102444800.25}",
		    "exp beyond the longest lifetime we issue" },
		{ "{" OK ",\"exp\":1e+300}", "exp missing or not a time" },
		{ "{" OK ",\"exp\":253402300799}",
		    "exp beyond the longest lifetime we issue" },
		{ "{" OK ",\"exp\":1800000630}", NULL },
		{ "{" OK ",\"exp\":1800000631}",
		    "exp beyond the longest lifetime we issue" },
		{ "{" OK ",\"exp\":1800000600,\"nbf\":\"4102444800\"}",
		    "nbf not a time" },
		{ "{" OK ",\"exp\":1800000600,\"nbf\":1800000031}",
		    "not valid yet" },
		{ "{\"iss\":\"https://gh.test\",\"aud\":\"api\",\"sub\":\"a\","
		    "\"jti\":\"j\",\"iat\":\"1800000000\",\"exp\":1800000600}",
		    "iat missing or not a time" },
		{ "{\"iss\":\"https://gh.test\",\"aud\":\"api\",\"sub\":\"a\","
		    "\"jti\":\"j\",\"iat\":1800000031,\"exp\":1800000600}",
		    "issued in the future" },
		{ "{\"iss\":\"https://evil\",\"aud\":\"api\",\"sub\":\"a\","
		    "\"jti\":\"j\",\"iat\":1800000000,\"exp\":1800000600}",
		    "iss missing or not ours" },
		{ "{\"aud\":\"api\",\"sub\":\"a\",\"jti\":\"j\","
		    "\"iat\":1800000000,\"exp\":1800000600}",
		    "iss missing or not ours" },
		{ "{\"iss\":\"https://gh.test\",\"aud\":[\"x\",\"api\"],"
		    "\"sub\":\"a\",\"jti\":\"j\",\"iat\":1800000000,"
		    "\"exp\":1800000600}", NULL },
		{ "{\"iss\":\"https://gh.test\",\"aud\":[\"x\",1],"
		    "\"sub\":\"a\",\"jti\":\"j\",\"iat\":1800000000,"
		    "\"exp\":1800000600}", "aud holds a non-string" },
		{ "{\"iss\":\"https://gh.test\",\"aud\":\"API\",\"sub\":\"a\","
		    "\"jti\":\"j\",\"iat\":1800000000,\"exp\":1800000600}",
		    "aud missing or not ours" },
		{ "{\"iss\":\"https://gh.test\",\"aud\":\"api\",\"sub\":7,"
		    "\"jti\":\"j\",\"iat\":1800000000,\"exp\":1800000600}",
		    "sub missing or not a string" },
		{ "{\"iss\":\"https://gh.test\",\"aud\":\"api\",\"sub\":\"a\","
		    "\"iat\":1800000000,\"exp\":1800000600}",
		    "jti missing or not a string" },
	};
	const char	*why;
	json_t		*c;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c = json_loads(cases[i].claims, 0, NULL);
		assert_non_null(c);
		why = token_check_claims(c, &fx->cfg, T0, 0);
		if ((why == NULL) != (cases[i].why == NULL) ||
		    (why != NULL && strcmp(why, cases[i].why) != 0))
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].claims,
			    why == NULL ? "accepted" : why, cases[i].why == NULL ?
			    "accepted" : cases[i].why);
		json_decref(c);
	}
	/* 2^63 does not parse as a JSON integer: never wraps. */
	assert_null(jws_json_object("{\"exp\":9223372036854775808}", 27));
	/* An expired token may still be named for revocation. */
	c = json_loads("{" OK ",\"exp\":1300819380}", 0, NULL);
	assert_null(token_check_claims(c, &fx->cfg, T0, 1));
	json_decref(c);
}

static void
issue_and_verify(void **state)
{
	char		*at, *rt, *user, *kid;
	const char	*why;
	struct jws	 t;
	json_t		*cl;

	(void)state;
	/* No key yet: nothing to sign with. */
	{
		struct user	 u;
		json_t		*pair;

		assert_int_equal(store_user_get(fx->ctx.store, "alice", &u),
		    STORE_OK);
		test_stderr_begin();
		assert_int_equal(token_issue(&fx->ctx, &u, NULL, 0, NULL,
		    &pair), TOKEN_NOKEY);
		free(test_stderr_end());
		user_clear(&u);
	}
	kid = add_key("ES256");
	issue("alice", &at, &rt);
	user = verify(at, &why);
	assert_string_equal(user, "alice");
	free(user);
	assert_true(session_id_wellformed(rt));

	/* The claims we promise. */
	assert_int_equal(jws_verify(at, strlen(at), &fx->ctx.keys, &t),
	    JWS_OK);
	assert_string_equal(json_string_value(json_object_get(t.header,
	    "kid")), kid);
	assert_string_equal(json_string_value(json_object_get(t.header,
	    "typ")), "JWT");
	cl = jws_json_object(t.payload, t.payload_len);
	assert_string_equal(json_string_value(json_object_get(cl, "iss")),
	    "https://gh.test");
	assert_string_equal(json_string_value(json_object_get(cl, "aud")),
	    "api");
	assert_string_equal(json_string_value(json_object_get(cl, "sub")),
	    "alice");
	assert_string_equal(json_string_value(json_object_get(cl, "name")),
	    "alice");
	assert_int_equal(json_integer_value(json_object_get(cl, "exp")),
	    T0 + 600);
	assert_int_equal(json_integer_value(json_object_get(cl, "nbf")), T0);
	assert_int_equal(json_integer_value(json_object_get(cl, "iat")), T0);
	assert_true(json_is_false(json_object_get(cl, "admin")));
	assert_non_null(json_string_value(json_object_get(cl, "jti")));
	json_decref(cl);
	jws_clear(&t);

	/* Expiry, leeway included, on the test clock. */
	fx->ctx.now = T0 + 600 + 29;
	user = verify(at, &why);
	assert_string_equal(user, "alice");
	free(user);
	fx->ctx.now = T0 + 600 + 30;
	assert_refused(at, "expired");
	free(at);
	free(rt);
	free(kid);
}

/* Refresh: a new pair each time; a reused token revokes the family. */
static void
refresh_rotation(void **state)
{
	char		*at1, *rt1, *at2, *rt2, *at3, *rt3, *other_at, *other_rt;
	const char	*why;
	json_t		*pair;
	char		*user;

	(void)state;
	free(add_key("HS256"));
	issue("alice", &at1, &rt1);
	issue("alice", &other_at, &other_rt);	/* another login of hers */

	fx->ctx.now = T0 + 60;
	assert_int_equal(token_refresh(&fx->ctx, rt1, &pair, &why), TOKEN_OK);
	at2 = strdup(json_string_value(json_object_get(pair, "access_token")));
	rt2 = strdup(json_string_value(json_object_get(pair,
	    "refresh_token")));
	json_decref(pair);
	assert_string_not_equal(rt1, rt2);
	user = verify(at2, &why);
	assert_string_equal(user, "alice");
	free(user);

	assert_int_equal(token_refresh(&fx->ctx, rt2, &pair, &why), TOKEN_OK);
	at3 = strdup(json_string_value(json_object_get(pair, "access_token")));
	rt3 = strdup(json_string_value(json_object_get(pair,
	    "refresh_token")));
	json_decref(pair);

	/* rt1 again: theft. Every token of that login dies. */
	test_stderr_begin();
	assert_int_equal(token_refresh(&fx->ctx, rt1, &pair, &why),
	    TOKEN_INVALID);
	free(test_stderr_end());
	assert_null(pair);
	assert_string_equal(why, "refresh token reused: family revoked");
	assert_int_equal(token_refresh(&fx->ctx, rt3, &pair, &why),
	    TOKEN_INVALID);
	assert_string_equal(why, "unknown refresh token");
	assert_refused(at1, "revoked");
	assert_refused(at2, "revoked");
	assert_refused(at3, "revoked");
	/* Her other login is untouched. */
	user = verify(other_at, &why);
	assert_string_equal(user, "alice");
	free(user);
	assert_int_equal(token_refresh(&fx->ctx, other_rt, &pair, &why),
	    TOKEN_OK);
	json_decref(pair);

	/* Garbage and unknown tokens. */
	assert_int_equal(token_refresh(&fx->ctx, "x", &pair, &why),
	    TOKEN_INVALID);
	assert_string_equal(why, "malformed refresh token");
	free(at1);
	free(rt1);
	free(at2);
	free(rt2);
	free(at3);
	free(rt3);
	free(other_at);
	free(other_rt);
}

/* The family's end is fixed at the first login: rotation never moves it. */
static void
refresh_family_expiry(void **state)
{
	char		*at, *rt, *next;
	const char	*why;
	json_t		*pair;
	int		 i;

	(void)state;
	free(add_key("HS256"));
	issue("alice", &at, &rt);
	for (i = 1; i < 12; i++) {
		fx->ctx.now = T0 + i * 3600;
		assert_int_equal(token_refresh(&fx->ctx, rt, &pair, &why),
		    TOKEN_OK);
		next = strdup(json_string_value(json_object_get(pair,
		    "refresh_token")));
		json_decref(pair);
		free(rt);
		rt = next;
	}
	fx->ctx.now = T0 + 12 * 3600;
	assert_int_equal(token_refresh(&fx->ctx, rt, &pair, &why),
	    TOKEN_INVALID);
	assert_string_equal(why, "refresh token expired");
	free(at);
	free(rt);
}

/* RFC 7009: revoke an access token by jti, a refresh token by family. */
static void
revocation(void **state)
{
	char		*at, *rt;
	const char	*why;
	json_t		*pair;

	(void)state;
	free(add_key("EdDSA"));
	issue("alice", &at, &rt);
	assert_int_equal(token_revoke(&fx->ctx, at), 0);
	assert_refused(at, "revoked");
	/* The refresh token still works, and is revoked next. */
	assert_int_equal(token_refresh(&fx->ctx, rt, &pair, &why), TOKEN_OK);
	json_decref(pair);
	free(at);
	free(rt);

	issue("alice", &at, &rt);
	assert_int_equal(token_revoke(&fx->ctx, rt), 0);
	assert_refused(at, "revoked");
	assert_int_equal(token_refresh(&fx->ctx, rt, &pair, &why),
	    TOKEN_INVALID);
	/* Unknown or broken tokens are no error. */
	assert_int_equal(token_revoke(&fx->ctx, "nonsense"), 0);
	assert_int_equal(token_revoke(&fx->ctx, "a.b.c"), 0);
	free(at);
	free(rt);

	/* An expired access token can still be revoked; it stays so. */
	issue("bob", &at, &rt);
	fx->ctx.now = T0 + 700;
	assert_int_equal(token_revoke(&fx->ctx, at), 0);
	fx->ctx.now = T0;
	assert_refused(at, "revoked");
	free(at);
	free(rt);
}

/* Disabled, deleted, re-created users: their tokens stop at once. */
static void
changed_users(void **state)
{
	char		*at, *rt;
	const char	*why;
	json_t		*pair;

	(void)state;
	free(add_key("HS512"));
	issue("bob", &at, &rt);
	assert_int_equal(store_user_set_disabled(fx->ctx.store, "bob", 1),
	    STORE_OK);
	/* Disabling ends his token logins, not only while disabled. */
	assert_refused(at, "revoked");
	assert_int_equal(token_refresh(&fx->ctx, rt, &pair, &why),
	    TOKEN_INVALID);
	assert_string_equal(why, "unknown refresh token");
	assert_int_equal(store_user_set_disabled(fx->ctx.store, "bob", 0),
	    STORE_OK);
	assert_refused(at, "revoked");
	free(at);
	free(rt);

	/* A token issued while disabled cannot exist; flip it in SQL. */
	issue("bob", &at, &rt);
	{
		sqlite3	*db;

		assert_int_equal(sqlite3_open(fx->cfg.db_path, &db),
		    SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, "UPDATE users SET disabled = "
		    "1 WHERE name = 'bob'", NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
	}
	assert_refused(at, "user disabled");
	assert_int_equal(token_refresh(&fx->ctx, rt, &pair, &why),
	    TOKEN_INVALID);
	assert_string_equal(why, "user disabled");
	free(at);
	free(rt);

	{
		sqlite3	*db;

		assert_int_equal(sqlite3_open(fx->cfg.db_path, &db),
		    SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, "UPDATE users SET disabled = "
		    "0 WHERE name = 'bob'", NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
	}
	issue("bob", &at, &rt);
	assert_int_equal(store_user_delete(fx->ctx.store, "bob"), STORE_OK);
	assert_refused(at, "no such user");
	assert_int_equal(store_user_add(fx->ctx.store, "bob", "y", T0),
	    STORE_OK);
	assert_refused(at, "uid does not match");
	assert_int_equal(token_refresh(&fx->ctx, rt, &pair, &why),
	    TOKEN_INVALID);
	free(at);
	free(rt);
}

/* Rotation: the old key verifies until retired; the JWKS follows. */
static void
key_rotation(void **state)
{
	char		*old, *new, *at_old, *at_new, *user, *path;
	const char	*why;
	json_t		*pair;
	struct user	 u;
	size_t		 i;
	int		 found_old = 0, found_new = 0, active;

	(void)state;
	old = add_key("ES256");
	issue("alice", &at_old, NULL);
	new = add_key("ES384");
	/* Generated, not active yet: still signing with the old one. */
	assert_int_equal(token_keys(&fx->ctx), 0);
	assert_string_equal(fx->ctx.keys.active->kid, old);
	assert_int_equal(store_key_activate(fx->ctx.store, old), STORE_ACTIVE);
	assert_int_equal(store_key_activate(fx->ctx.store, new), STORE_OK);
	assert_int_equal(store_key_retire(fx->ctx.store, new, T0),
	    STORE_ACTIVE);
	issue("alice", &at_new, NULL);
	assert_string_equal(fx->ctx.keys.active->kid, new);
	for (i = 0; i < fx->ctx.keys.n; i++) {
		json_t *j = jwk_public_json(&fx->ctx.keys.keys[i]);

		if (strcmp(json_string_value(json_object_get(j, "kid")), old)
		    == 0)
			found_old = 1;
		if (strcmp(json_string_value(json_object_get(j, "kid")), new)
		    == 0)
			found_new = 1;
		json_decref(j);
	}
	assert_true(found_old && found_new);

	user = verify(at_old, &why);
	assert_string_equal(user, "alice");
	free(user);
	user = verify(at_new, &why);
	assert_string_equal(user, "alice");
	free(user);

	assert_int_equal(store_key_retire(fx->ctx.store, old, T0), STORE_OK);
	path = token_key_path(&fx->cfg, old);
	unlink(path);
	free(path);
	assert_refused(at_old, "kid missing or unknown");
	user = verify(at_new, &why);
	assert_string_equal(user, "alice");
	free(user);

	/* A key file gone missing is logged; the rest goes on. */
	path = token_key_path(&fx->cfg, new);
	unlink(path);
	free(path);
	test_stderr_begin();
	assert_int_equal(store_key_add(fx->ctx.store, "x", "HS256", T0,
	    &active), STORE_OK);
	assert_false(active);
	assert_int_equal(store_user_get(fx->ctx.store, "alice", &u), STORE_OK);
	assert_int_equal(token_issue(&fx->ctx, &u, NULL, 0, NULL, &pair),
	    TOKEN_NOKEY);
	user_clear(&u);
	free(test_stderr_end());
	free(at_old);
	free(at_new);
	free(old);
	free(new);
}

/*
 * A worker remembers tokens it verified, but forgets them at once when
 * anything is revoked, any user changes, or the keys change.
 */
static void
remembered_tokens(void **state)
{
	struct keyset	 saved;
	char		*at, *rt, *at2, *rt2, *user;
	const char	*why;

	(void)state;
	free(add_key("HS256"));
	issue("alice", &at, &rt);
	issue("bob", &at2, &rt2);
	user = verify(at, &why);
	assert_string_equal(user, "alice");
	free(user);

	/* Taken from memory: even without the keys it verifies. */
	saved = fx->ctx.keys;
	fx->ctx.keys.n = 0;
	user = verify(at, &why);
	assert_string_equal(user, "alice");
	free(user);
	/* Not remembered: checked in full, and without keys refused. */
	assert_refused(at2, "kid missing or unknown");
	fx->ctx.keys = saved;

	/* Any revocation: checked in full again, and refused. */
	assert_int_equal(token_revoke(&fx->ctx, at), 0);
	assert_refused(at, "revoked");

	/* A user change: checked in full again, and it shows. */
	user = verify(at2, &why);
	assert_string_equal(user, "bob");
	free(user);
	assert_int_equal(store_user_set_admin(fx->ctx.store, "bob", 1),
	    STORE_OK);
	{
		struct principal	 p;

		assert_int_equal(token_verify(&fx->ctx, at2, strlen(at2), 0,
		    &p, &why), AUTH_OK);
		assert_true(p.admin);
		principal_clear(&p);
	}

	/* Its own times still hold while remembered. */
	user = verify(at2, &why);
	assert_string_equal(user, "bob");
	free(user);
	fx->ctx.now = T0 + 600 + 30;
	assert_refused(at2, "expired");
	free(at);
	free(rt);
	free(at2);
	free(rt2);
}

/* A new password, or gatehouse-admin revoke NAME, ends token logins. */
static void
end_user_logins(void **state)
{
	char		*at, *rt, *at2, *rt2, *user;
	const char	*why;
	json_t		*pair;
	int		 n;

	(void)state;
	free(add_key("HS256"));
	issue("alice", &at, &rt);
	issue("bob", &at2, &rt2);
	assert_int_equal(store_user_set_password(fx->ctx.store, "alice", "$n",
	    1), STORE_OK);
	assert_refused(at, "revoked");
	assert_int_equal(token_refresh(&fx->ctx, rt, &pair, &why),
	    TOKEN_INVALID);
	user = verify(at2, &why);
	assert_string_equal(user, "bob");
	free(user);
	free(at);
	free(rt);

	issue("alice", &at, &rt);
	assert_int_equal(store_user_end_logins(fx->ctx.store, "alice", &n),
	    STORE_OK);
	assert_int_equal(n, 1);
	assert_refused(at, "revoked");
	user = verify(at2, &why);
	assert_string_equal(user, "bob");
	free(user);
	free(at);
	free(rt);
	free(at2);
	free(rt2);
}

/*
 * The last access token of a login outlives its refresh family; its row
 * is kept that long, so ending the user's logins still reaches it.
 */
static void
purge_grace(void **state)
{
	char		*at, *rt, *at2;
	const char	*why;
	json_t		*pair;
	int		 n;

	(void)state;
	free(add_key("HS256"));
	issue("alice", &at, &rt);	/* the family ends at T0 + 12h */
	fx->ctx.now = T0 + 43200 - 60;
	assert_int_equal(token_refresh(&fx->ctx, rt, &pair, &why), TOKEN_OK);
	at2 = strdup(json_string_value(json_object_get(pair,
	    "access_token")));
	json_decref(pair);
	free(at);
	free(rt);

	/* A minute after the family's end its access token still lives. */
	fx->ctx.now = T0 + 43200 + 60;
	assert_int_equal(store_token_purge(fx->ctx.store, fx->ctx.now,
	    token_grace(&fx->cfg), &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_user_end_logins(fx->ctx.store, "alice", &n),
	    STORE_OK);
	assert_int_equal(n, 2);
	assert_refused(at2, "revoked");

	/* Past the grace, records go. */
	issue("bob", &at, &rt);
	assert_int_equal(store_token_purge(fx->ctx.store, fx->ctx.now + 43200 +
	    600 + 30, token_grace(&fx->cfg), &n), STORE_OK);
	assert_true(n >= 1);
	free(at);
	free(rt);
	free(at2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(claims, setup, teardown),
		cmocka_unit_test_setup_teardown(issue_and_verify, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(refresh_rotation, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(refresh_family_expiry, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(revocation, setup, teardown),
		cmocka_unit_test_setup_teardown(changed_users, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(key_rotation, setup, teardown),
		cmocka_unit_test_setup_teardown(remembered_tokens, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(end_user_logins, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(purge_grace, setup, teardown),
	};

	log_init("test_token", LOG_LEVEL_WARN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
