/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * bench_prep: fill a Gatehouse database for the benchmark and write the
 * request pools the load cycles through.
 *
 *	bench_prep CONFIG USERS SESSIONS POOL OUTDIR
 *
 * makes USERS users (u0, u1, ...; password "bench-password", hashed at
 * the cost CONFIG sets), SESSIONS sessions spread over them (10% of them
 * expired, as the anchors' stores have), an HS256 and an ES256 signing
 * key, and in OUTDIR one header line per request: cookie.hdr (Cookie:
 * with a live session id), hs256.hdr and es256.hdr (Authorization:
 * Bearer with an access token signed by each key), POOL lines each. For
 * the login, login.hdr holds the CSRF nonce cookie a browser would have
 * been given with the form, and login.body the form for u0 with its
 * token. The rows are written in one transaction, straight into SQLite,
 * since a million sessions one request at a time would take an hour.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sqlite3.h>

#include "gatehouse.h"
#include "store.h"

static void	 die(const char *) GH_NORETURN;
static void	 add_key(struct ctx *, const char *, enum jws_alg);
static void	 mint(struct ctx *, long, long, const char *);
static void	 login_form(struct ctx *, const char *);

static void
die(const char *what)
{
	fprintf(stderr, "bench_prep: %s\n", what);
	exit(1);
}

static void
add_key(struct ctx *ctx, const char *kid, enum jws_alg alg)
{
	struct jwk	 k;
	char		*path;
	int		 active;

	if (mkdir(ctx->cfg->keys_dir, 0700) == -1 && errno != EEXIST)
		die("cannot make keys_dir");
	if (jwk_generate(alg, &k) == -1 ||
	    (path = token_key_path(ctx->cfg, kid)) == NULL ||
	    jwk_write(&k, path) == -1 ||
	    store_key_add(ctx->store, kid, jws_alg_info(alg)->name, ctx->now,
	    &active) != STORE_OK)
		die("cannot make a key");
	free(path);
	jwk_free(&k);
}

/* POOL access tokens for users u0, u1, ..., one per line in "file". */
static void
mint(struct ctx *ctx, long users, long pool, const char *file)
{
	struct user	 u;
	json_t		*pair;
	char		 name[32];
	FILE		*f;
	long		 i;

	if ((f = fopen(file, "w")) == NULL)
		die(file);
	for (i = 0; i < pool; i++) {
		snprintf(name, sizeof(name), "u%ld", i % users);
		if (store_user_get(ctx->store, name, &u) != STORE_OK ||
		    token_issue(ctx, &u, NULL, 0, NULL, &pair) != TOKEN_OK)
			die("cannot issue a token");
		fprintf(f, "Authorization: Bearer %s\n", json_string_value(
		    json_object_get(pair, "access_token")));
		json_decref(pair);
		user_clear(&u);
	}
	fclose(f);
}

/*
 * The login form as a browser that was shown it posts it: its CSRF
 * nonce cookie in OUTDIR/login.hdr, the fields in OUTDIR/login.body.
 */
static void
login_form(struct ctx *ctx, const char *outdir)
{
	struct request	 req;
	struct response	 r;
	struct buf	 token;
	char		*env[] = { "REQUEST_METHOD=GET", NULL };
	char		 path[4096];
	const char	*set;
	FILE		*f;

	buf_init(&token);
	response_init(&r);
	if (request_parse(&req, env, NULL, 0) != 0 ||
	    csrf_token(ctx, &req, &r, &token) == -1 ||
	    (set = response_get_header(&r, "Set-Cookie")) == NULL)
		die("cannot make a CSRF token");
	snprintf(path, sizeof(path), "%s/login.hdr", outdir);
	if ((f = fopen(path, "w")) == NULL)
		die(path);
	fprintf(f, "Cookie: %.*s\n", (int)strcspn(set, ";"), set);
	fclose(f);
	snprintf(path, sizeof(path), "%s/login.body", outdir);
	if ((f = fopen(path, "w")) == NULL)
		die(path);
	fprintf(f, "username=u0&password=bench-password&csrf=%s\n",
	    token.data);
	fclose(f);
	buf_free(&token);
	response_free(&r);
	request_free(&req);
}

int
main(int argc, char *argv[])
{
	struct config	 cfg;
	struct ctx	 ctx;
	sqlite3		*db;
	sqlite3_stmt	*su, *ss;
	unsigned char	 hash[SESSION_HASH_LEN];
	char		 id[SESSION_ID_LEN + 1], name[32], path[4096], *pw;
	long		 users, sessions, pool, i, n = 0;
	int64_t		 now;
	FILE		*f;

	if (argc != 6)
		die("usage: bench_prep CONFIG USERS SESSIONS POOL OUTDIR");
	users = atol(argv[2]);
	sessions = atol(argv[3]);
	pool = atol(argv[4]);
	if (users < 1 || sessions < pool || pool < 1)
		die("need USERS >= 1 and SESSIONS >= POOL >= 1");
	log_init("bench_prep", LOG_LEVEL_WARN);
	config_defaults(&cfg);
	if (config_load(argv[1], &cfg) == -1)
		return 1;
	memset(&ctx, 0, sizeof(ctx));
	ctx.cfg = &cfg;
	ctx.create_store = 1;
	ctx.now = now = time(NULL);
	if (ctx_store(&ctx) == NULL)
		die("cannot open the database");

	if (sqlite3_open(cfg.db_path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO users (name, password_hash, "
	    "created) VALUES (?1, ?2, ?3)", -1, &su, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO sessions (id_hash, user_id, "
	    "created, last_seen, expires) VALUES (?1, ?2, ?3, ?4, ?5)", -1, &ss,
	    NULL) != SQLITE_OK)
		die(sqlite3_errmsg(db));
	if (password_hash("bench-password", 14, &cfg.kdf, &pw) == -1)
		die("cannot hash");
	for (i = 0; i < users; i++) {
		snprintf(name, sizeof(name), "u%ld", i);
		sqlite3_bind_text(su, 1, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(su, 2, pw, -1, SQLITE_STATIC);
		sqlite3_bind_int64(su, 3, now);
		if (sqlite3_step(su) != SQLITE_DONE)
			die(sqlite3_errmsg(db));
		sqlite3_reset(su);
	}

	snprintf(path, sizeof(path), "%s/cookie.hdr", argv[5]);
	if ((f = fopen(path, "w")) == NULL)
		die(path);
	for (i = 0; i < sessions; i++) {
		/* Every tenth has ended; the pool takes live ones only. */
		int dead = i % 10 == 9;

		if (session_new_id(id) == -1)
			die("no random bytes");
		session_hash_id(id, hash);
		sqlite3_bind_blob(ss, 1, hash, sizeof(hash), SQLITE_STATIC);
		sqlite3_bind_int64(ss, 2, i % users + 1);
		sqlite3_bind_int64(ss, 3, now - 60);
		sqlite3_bind_int64(ss, 4, now - 60);
		sqlite3_bind_int64(ss, 5, dead ? now - 1 : now + 86400);
		if (sqlite3_step(ss) != SQLITE_DONE)
			die(sqlite3_errmsg(db));
		sqlite3_reset(ss);
		if (!dead && n < pool) {
			fprintf(f, "Cookie: %s=%s\n", cfg.cookie_name, id);
			n++;
		}
	}
	fclose(f);
	sqlite3_finalize(su);
	sqlite3_finalize(ss);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die(sqlite3_errmsg(db));
	sqlite3_close(db);
	free(pw);

	/* HS256 signs first; then ES256 is made active and signs. */
	add_key(&ctx, "bench-hs256", JWS_HS256);
	add_key(&ctx, "bench-es256", JWS_ES256);
	snprintf(path, sizeof(path), "%s/hs256.hdr", argv[5]);
	mint(&ctx, users, pool, path);
	if (store_key_activate(ctx.store, "bench-es256") != STORE_OK)
		die("cannot activate the ES256 key");
	snprintf(path, sizeof(path), "%s/es256.hdr", argv[5]);
	mint(&ctx, users, pool, path);
	login_form(&ctx, argv[5]);

	token_keys_free(&ctx);
	ctx_secrets_free(&ctx);
	store_close(ctx.store);
	config_free(&cfg);
	return 0;
}
