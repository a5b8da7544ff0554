/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Sessions as HTTP sees them: finding the live session named by the
 * request's cookies, starting one at login and ending them at logout.
 *
 * Browsers send every cookie that matches, so the session cookie's name
 * can arrive more than once: one set for a parent domain or a narrower
 * path, or one planted by another application. RFC 6265 section 5.4
 * gives the order no meaning, so taking the first would let whoever
 * planted a cookie choose which session is used. Instead every value is
 * looked up, and the request is authenticated only if exactly one of
 * them is a live session; otherwise it is anonymous.
 */
#include "config.h"

#include <string.h>

#include "gatehouse.h"
#include "store.h"

#define AUTH_CANDIDATES_MAX	8	/* more session cookies: anonymous */

/*
 * Find the request's live session and fill "out" (freed with
 * session_clear). Ended sessions met on the way are deleted. Returns
 * AUTH_OK, AUTH_NONE or AUTH_UNAVAILABLE (logged).
 */
int
auth_session(struct ctx *ctx, const struct request *req,
    struct session *out)
{
	const struct config	*cfg = ctx->cfg;
	struct store		*st;
	struct session		 s;
	unsigned char		 hash[SESSION_HASH_LEN];
	size_t			 i, candidates = 0;
	int			 live = 0, rc;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < req->cookies.n; i++) {
		const struct field *f = &req->cookies.v[i];

		if (strcmp(f->name, cfg->cookie_name) != 0 ||
		    !session_id_wellformed(f->value))
			continue;
		if (++candidates > AUTH_CANDIDATES_MAX) {
			log_info("auth: too many session cookies");
			session_clear(out);
			return AUTH_NONE;
		}
		if ((st = ctx_store(ctx)) == NULL)
			goto unavailable;
		session_hash_id(f->value, hash);
		rc = store_session_get(st, hash, &s);
		if (rc == STORE_NOTFOUND)
			continue;
		if (rc != STORE_OK)
			goto unavailable;

		if (session_state(&s, ctx->now, cfg) != SESSION_LIVE) {
			log_info("auth: a session of %s has ended", s.user);
			if (store_session_delete(st, hash) != STORE_OK)
				log_warnx("auth: could not delete it");
			session_clear(&s);
		} else if (live == 1 && memcmp(out->hash, s.hash,
		    SESSION_HASH_LEN) == 0) {
			session_clear(&s);	/* the same cookie twice */
		} else {
			live++;
			session_clear(out);
			*out = s;
		}
	}

	if (live != 1) {
		if (live > 1)
			log_info("auth: several live session cookies, none "
			    "used");
		session_clear(out);
		return AUTH_NONE;
	}

	/* A failed touch costs idle time at worst: still let them in. */
	if (session_touch_due(out, ctx->now, cfg)) {
		if (store_session_touch(ctx->store, out->hash, ctx->now) ==
		    STORE_OK)
			out->last_seen = ctx->now;
	}
	return AUTH_OK;

unavailable:
	session_clear(out);
	return AUTH_UNAVAILABLE;
}

/*
 * Delete the sessions of every session cookie the request carries, live
 * or not: at logout, and at login so that no id a client held before
 * logging in stays valid after (session fixation). Returns 0, or -1 if
 * the store failed (logged).
 */
int
auth_end_sessions(struct ctx *ctx, const struct request *req)
{
	unsigned char	 hash[SESSION_HASH_LEN];
	struct store	*st;
	size_t		 i, n = 0;

	for (i = 0; i < req->cookies.n; i++) {
		const struct field *f = &req->cookies.v[i];

		if (strcmp(f->name, ctx->cfg->cookie_name) != 0 ||
		    !session_id_wellformed(f->value))
			continue;
		if (++n > AUTH_CANDIDATES_MAX)
			break;
		if ((st = ctx_store(ctx)) == NULL)
			return -1;
		session_hash_id(f->value, hash);
		if (store_session_delete(st, hash) != STORE_OK)
			return -1;
	}
	return 0;
}

/*
 * Start a session for user "user_id" named "name", and set its cookie on
 * "r". Returns 0, or -1 (logged) if no session could be stored.
 */
int
auth_start_session(struct ctx *ctx, struct response *r, int64_t user_id,
    const char *name)
{
	struct session	 s;
	struct store	*st;
	char		 id[SESSION_ID_LEN + 1];
	int		 rc = -1;

	memset(&s, 0, sizeof(s));
	if ((st = ctx_store(ctx)) == NULL || session_new_id(id) == -1)
		return -1;
	session_hash_id(id, s.hash);
	s.user_id = user_id;
	s.created = s.last_seen = ctx->now;
	s.expires = ctx->now + ctx->cfg->absolute_timeout;
	if (store_session_add(st, &s) != STORE_OK)
		goto out;
	if (auth_set_cookie(ctx, r, id) == -1)
		goto out;
	log_debug("auth: session started for %s", name);
	rc = 0;
out:
	wipe(id, sizeof(id));
	return rc;
}

/* Set the session cookie to "id". Returns 0 or -1. */
int
auth_set_cookie(struct ctx *ctx, struct response *r, const char *id)
{
	const struct config	*cfg = ctx->cfg;
	struct set_cookie	 c;
	struct buf		 b;
	int			 rc;

	c.name = cfg->cookie_name;
	c.value = id;
	c.path = cfg->cookie_path;
	c.max_age = id[0] == '\0' ? 0 : cfg->absolute_timeout;
	c.secure = cfg->cookie_secure;
	c.http_only = 1;
	c.same_site = cfg->cookie_same_site;

	buf_init(&b);
	if (cookie_format(&b, &c) == -1) {
		log_warnx("auth: could not format the session cookie");
		r->failed = 1;
		rc = -1;
	} else
		rc = response_header(r, "Set-Cookie", b.data);
	wipe(b.data, b.len);
	buf_free(&b);
	return rc;
}

/* Tell the browser to drop the session cookie. Returns 0 or -1. */
int
auth_clear_cookie(struct ctx *ctx, struct response *r)
{
	return auth_set_cookie(ctx, r, "");
}
