/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Who a request is: checking credentials at login, finding the live
 * session named by the request's cookies or the access token it bears,
 * starting a session at login and ending them at logout.
 *
 * A failed login gets the same answer whether the user exists or not,
 * and the same work: an unknown user still costs one run of the password
 * hash at the configured cost, and a known user whose stored hash is
 * older and cheaper is topped up to that cost. Otherwise the time of the
 * answer would tell an attacker which accounts exist.
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

#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "store.h"

#define AUTH_CANDIDATES_MAX	8	/* more session cookies: anonymous */

static int	 rehash(struct ctx *, struct user *, const char *,
		    size_t);
static int	 set_cookie(struct response *, const struct set_cookie *);
static int	 check_password(struct ctx *, const char *, const char *,
		    size_t, struct user *, const char **);
static int	 gate(const struct throttle_counts *, void *);
static int	 attempt(struct ctx *, const struct request *, const char *,
		    const char *, size_t, struct user *, long long *, int);
static void	 login_failed(struct ctx *, const struct request *,
		    const struct throttle_counts *, const char *,
		    const char *);

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
 * Make a new session for user "user_id" in "s" and its id in "id": the
 * times from now, the limit "remember" asks for, and the client as the
 * request describes it (client.c). Nothing is stored. Returns 0, or -1
 * (logged) without random bytes.
 */
int
auth_new_session(struct ctx *ctx, const struct request *req,
    int64_t user_id, int remember, struct session *s,
    char id[SESSION_ID_LEN + 1])
{
	memset(s, 0, sizeof(*s));
	if (session_new_id(id) == -1)
		return -1;
	session_hash_id(id, s->hash);
	s->user_id = user_id;
	s->created = s->last_seen = ctx->now;
	s->remember = remember && ctx->cfg->remember_me;
	s->expires = ctx->now + (s->remember ? ctx->cfg->remember_lifetime :
	    ctx->cfg->absolute_timeout);
	client_address(req->client_addr, s->address);
	client_agent(req->user_agent, s->agent);
	return 0;
}

/*
 * Start a session for "u", just logged in by auth_login, remembered
 * if "remember" asks and the site allows it, and set its cookie on "r".
 * Returns 0; 1 if the account was changed (password, disabled) since
 * auth_login read it, so the login must fail; or -1 (logged) if no
 * session could be stored.
 */
int
auth_start_session(struct ctx *ctx, const struct request *req,
    struct response *r, const struct user *u, int remember)
{
	struct session	 s;
	struct store	*st;
	char		 id[SESSION_ID_LEN + 1];
	int		 rc = -1;

	if ((st = ctx_store(ctx)) == NULL ||
	    auth_new_session(ctx, req, u->id, remember, &s, id) == -1)
		return -1;
	switch (store_session_add(st, &s, u->password_hash)) {
	case STORE_OK:
		break;
	case STORE_NOTFOUND:
		log_info("login: %s was changed during the login", u->name);
		rc = 1;
		goto out;
	default:
		goto out;
	}
	if (auth_session_cookie(ctx, r, id, s.remember) == -1)
		goto out;
	log_debug("auth: session started for %s%s", u->name, s.remember ?
	    ", remembered" : "");
	rc = 0;
out:
	wipe(id, sizeof(id));
	return rc;
}

/*
 * Set the cookie of a new session "id": its Max-Age is the session's
 * absolute limit, remember_lifetime for a remembered one. (A plain one
 * keeps absolute_timeout rather than becoming a browser-session cookie:
 * browsers that restore their last session keep those anyway, and the
 * server ends the session on time whatever the browser keeps.) Returns
 * 0 or -1.
 */
int
auth_session_cookie(struct ctx *ctx, struct response *r, const char *id,
    int remember)
{
	const struct config	*cfg = ctx->cfg;
	struct set_cookie	 c;

	c.name = cfg->cookie_name;
	c.value = id;
	c.path = cfg->cookie_path;
	c.max_age = remember ? cfg->remember_lifetime : cfg->absolute_timeout;
	c.secure = cfg->cookie_secure;
	c.http_only = 1;
	c.same_site = cfg->cookie_same_site;
	return set_cookie(r, &c);
}

/* Set the session cookie to "id" ("" deletes it). Returns 0 or -1. */
int
auth_set_cookie(struct ctx *ctx, struct response *r, const char *id)
{
	const struct config	*cfg = ctx->cfg;
	struct set_cookie	 c;

	c.name = cfg->cookie_name;
	c.value = id;
	c.path = cfg->cookie_path;
	c.max_age = id[0] == '\0' ? 0 : cfg->absolute_timeout;
	c.secure = cfg->cookie_secure;
	c.http_only = 1;
	c.same_site = cfg->cookie_same_site;
	return set_cookie(r, &c);
}

/*
 * Set the access token's cookie (access_cookie = yes) to "token" (""
 * deletes it): HttpOnly, so page scripts cannot read it from the cookie
 * (and the token answer leaves it out of its JSON), and SameSite=Strict,
 * since only our own pages need send it. 0 or -1.
 */
int
auth_access_cookie(struct ctx *ctx, struct response *r, const char *token)
{
	const struct config	*cfg = ctx->cfg;
	struct set_cookie	 c;

	c.name = cfg->access_cookie_name;
	c.value = token;
	c.path = cfg->cookie_path;
	c.max_age = token[0] == '\0' ? 0 : cfg->access_lifetime;
	c.secure = cfg->cookie_secure;
	c.http_only = 1;
	c.same_site = SAME_SITE_STRICT;
	return set_cookie(r, &c);
}

/* Add the Set-Cookie header for "c". Returns 0 or -1 (logged). */
static int
set_cookie(struct response *r, const struct set_cookie *c)
{
	struct buf	 b;
	int		 rc;

	buf_init(&b);
	if (cookie_format(&b, c) == -1) {
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

/*
 * Are these acceptable credentials to look up at all: a user name of
 * valid text, a password within PASSWORD_MAX? (request_param has kept
 * out NUL bytes already.) Appends the reason to "why" if not. Returns 0
 * or -1.
 */
int
credentials_check(const char *user, size_t ulen, size_t pwlen,
    struct buf *why)
{
	if (!user_name_valid(user, ulen))
		buf_adds(why, "The user name is not valid UTF-8 text.");
	else if (pwlen > PASSWORD_MAX)
		buf_printf(why, "The password is longer than %d bytes.",
		    PASSWORD_MAX);
	else
		return 0;
	return -1;
}

/*
 * The stored hash was made with other cost parameters than configured
 * now: store one with the current ones, while the password is at hand,
 * and make it the login's proof (see store_session_add). It replaces the
 * hash only if that is still the one checked: a password changed
 * meanwhile stays changed, and the login fails (returns 0). A failure
 * to store only means trying again at the next login (returns 1).
 */
static int
rehash(struct ctx *ctx, struct user *u, const char *pw, size_t len)
{
	char	*hash;
	int	 rc;

	if (!password_needs_rehash(u->password_hash, &ctx->cfg->kdf))
		return 1;
	if (password_hash(pw, len, &ctx->cfg->kdf, &hash) == -1)
		return 1;
	rc = store_user_rehash(ctx->store, u->id, u->password_hash, hash);
	if (rc == STORE_OK) {
		log_info("login: stored a new password hash for %s", u->name);
		wipe(u->password_hash, strlen(u->password_hash));
		free(u->password_hash);
		u->password_hash = hash;
		return 1;
	}
	wipe(hash, strlen(hash));
	free(hash);
	if (rc == STORE_NOTFOUND) {
		log_info("login: the password of %s changed during the "
		    "login", u->name);
		return 0;
	}
	return 1;
}

/*
 * Check a user name and password, running the password hash once
 * whatever the case. Fills "u" (freed with user_clear) when the user
 * exists, may log in and gave the right password. Returns 1 on success,
 * 0 on a failed login ("*why" says why, for the audit trail, which logs
 * it), -1 if the store failed.
 */
static int
check_password(struct ctx *ctx, const char *name, const char *pw,
    size_t pwlen, struct user *u, const char **why)
{
	struct store	*st;
	int		 rc;

	if ((st = ctx_store(ctx)) == NULL)
		return -1;
	rc = store_user_get(st, name, u);
	if (rc == STORE_ERROR)
		return -1;
	if (rc == STORE_NOTFOUND) {
		password_waste(pw, pwlen, &ctx->cfg->kdf);
		*why = "unknown_user";
		return 0;
	}
	rc = password_verify(pw, pwlen, u->password_hash);
	*why = "wrong_password";
	if (rc == 1 && u->disabled) {
		*why = "disabled";
		rc = 0;
	}
	if (rc != 1) {
		/* As slow as an unknown user, whatever the stored cost. */
		password_harden(pw, pwlen, u->password_hash, &ctx->cfg->kdf);
		return 0;
	}
	if (!rehash(ctx, u, pw, pwlen)) {
		*why = "password_changed";
		return 0;
	}
	return 1;
}

/*
 * The client's address, as the throttle and the audit trail know it:
 * REMOTE_ADDR, or the forwarded address when REMOTE_ADDR is a trusted
 * proxy (see proxy.c); "-" when the server gave none.
 */
const char *
auth_client(const struct request *req)
{
	return req->client_addr != NULL && *req->client_addr != '\0' ?
	    req->client_addr : "-";
}

/* What throttle_gate needs to ask throttle_decide, and its answer. */
struct gate {
	const struct throttle_params	*params;
	int64_t				 now;
	enum throttle_verdict		 verdict;
	long long			 retry;
};

/* The throttle_gate of auth_login: 1 if the attempt may go on. */
static int
gate(const struct throttle_counts *c, void *arg)
{
	struct gate	*g = arg;

	g->verdict = throttle_decide(g->params, c, g->now, &g->retry);
	return g->verdict == THROTTLE_ALLOW;
}

/*
 * A failed login, already counted: audited, with a lockout event if it
 * locked the name ("c" are the counts before it). "known" is the account
 * named, or NULL: an unknown name stays out of the trail, since it is
 * often a password typed into the wrong field.
 */
static void
login_failed(struct ctx *ctx, const struct request *req,
    const struct throttle_counts *c, const char *known, const char *why)
{
	const char	*addr = auth_client(req);

	audit_record(ctx->store, ctx->now, AUDIT_LOGIN_FAILURE, known, addr,
	    why);
	if (throttle_locks(&ctx->cfg->throttle, c))
		audit_record(ctx->store, ctx->now, AUDIT_LOCKOUT, known, addr,
		    c->name_hour + 1 >= ctx->cfg->throttle.account_hourly_max ?
		    "hourly_cap" : "backoff");
}

/*
 * A login by user name and password, throttled. The failures of the
 * name and of the client's address are counted first, and a throttled
 * attempt is refused before the password hash runs (else the cap on
 * attempts would not cap the work an attacker can cause). An attempt
 * let through is counted as a failure at once, in the same transaction
 * (see store_throttle_attempt), and the right password clears the
 * name's failures, its own included; a store that fails between the two
 * leaves it counted. See throttle.c for the rule. Fills "u" (freed with
 * user_clear) on LOGIN_OK; sets "*retry" (seconds) on LOGIN_THROTTLED.
 * Returns an enum login_result.
 */
int
auth_login(struct ctx *ctx, const struct request *req, const char *name,
    const char *pw, size_t pwlen, struct user *u, long long *retry)
{
	return attempt(ctx, req, name, pw, pwlen, u, retry, 1);
}

/*
 * The password of the logged-in user "name" once more, before a change
 * that asks for it (the sessions and password pages): throttled and
 * counted as a login is, since whoever holds a stolen session could
 * otherwise guess the password there at leisure; a failure is recorded
 * as a failed login, but a success is no new login and is not. Returns
 * as auth_login.
 */
int
auth_reauth(struct ctx *ctx, const struct request *req, const char *name,
    const char *pw, size_t pwlen, struct user *u, long long *retry)
{
	return attempt(ctx, req, name, pw, pwlen, u, retry, 0);
}

/* auth_login, and auth_reauth without "record". */
static int
attempt(struct ctx *ctx, const struct request *req, const char *name,
    const char *pw, size_t pwlen, struct user *u, long long *retry,
    int record)
{
	const struct throttle_params	*tp = &ctx->cfg->throttle;
	struct throttle_counts		 c;
	struct gate			 g;
	unsigned char			 key[SESSION_HASH_LEN];
	char				 client[THROTTLE_ADDR_LEN];
	const char			*why, *addr = auth_client(req);
	int				 rc, n, counted;

	memset(u, 0, sizeof(*u));
	*retry = 0;
	if (ctx_store(ctx) == NULL)
		return LOGIN_UNAVAILABLE;
	sha256(name, strlen(name), key);
	g.params = tp;
	g.now = ctx->now;
	g.retry = 0;
	/* Counted per client (a /64 for IPv6), audited per address. */
	if (store_throttle_attempt(ctx->store, key, throttle_client(addr,
	    client), ctx->now, tp->window, tp->account_hourly_max, gate, &g,
	    &c, &counted) != STORE_OK)
		return LOGIN_UNAVAILABLE;
	if (!counted) {
		*retry = g.retry;
		log_info("login: throttled, %s; retry in %llds",
		    throttle_reason(g.verdict), *retry);
		return LOGIN_THROTTLED;
	}

	rc = check_password(ctx, name, pw, pwlen, u, &why);
	if (rc == -1) {
		user_clear(u);
		return LOGIN_UNAVAILABLE;
	}
	if (rc == 0) {
		login_failed(ctx, req, &c, u->name, why);
		user_clear(u);
		return LOGIN_FAILED;
	}

	/* The right password from an address not throttled: unlock. */
	if (store_throttle_clear_name(ctx->store, key, &n) != STORE_OK)
		log_warnx("login: the failed logins of %s stay counted",
		    u->name);
	else if (n > 1)
		log_info("login: %d failed logins of %s forgotten", n - 1,
		    u->name);
	if (record)
		audit_record(ctx->store, ctx->now, AUDIT_LOGIN_SUCCESS,
		    u->name, addr, "ok");
	return LOGIN_OK;
}

/*
 * Who the request is: by its bearer token (or access-token cookie) where
 * the site takes tokens, else by its session cookie where it takes
 * sessions. A token that is presented but fails is not passed over for
 * the cookie: "*bad_token" is set and the answer is 401 invalid_token.
 * Fills "p" (freed with principal_clear). Returns AUTH_OK, AUTH_NONE or
 * AUTH_UNAVAILABLE.
 */
int
auth_request(struct ctx *ctx, const struct request *req, struct principal *p,
    int *bad_token)
{
	static int		 said_no_header;
	const struct config	*cfg = ctx->cfg;
	const struct field	*f;
	struct session		 s;
	const char		*tok = NULL, *reason = NULL;
	int			 rc;

	memset(p, 0, sizeof(*p));
	*bad_token = 0;
	if (cfg->mode & AUTH_MODE_BEARER) {
		tok = req->bearer;
		/* As for sessions, a cookie sent twice names nobody. */
		if (tok == NULL && cfg->access_cookie &&
		    fields_count(&req->cookies, cfg->access_cookie_name) == 1 &&
		    *(f = fields_get(&req->cookies,
		    cfg->access_cookie_name))->value != '\0')
			tok = f->value;
		if (req->bearer_malformed) {
			*bad_token = 1;
			log_info("token: refused: malformed Authorization "
			    "header");
			return AUTH_NONE;
		}
		if (tok != NULL) {
			rc = token_verify(ctx, tok, strlen(tok), 0, p, &reason);
			if (rc == AUTH_NONE) {
				*bad_token = 1;
				log_info("token: refused: %s", reason);
			}
			return rc;
		}
		/*
		 * Apache withholds Authorization from CGI and FastCGI
		 * programs unless told; say so once, for the operator.
		 */
		if (!req->has_authorization &&
		    !(cfg->mode & AUTH_MODE_COOKIE) && !said_no_header) {
			said_no_header = 1;
			log_info("token: a request came without an "
			    "Authorization header; behind Apache, set "
			    "CGIPassAuth On (or FcgidPassHeader Authorization) "
			    "if clients do send one");
		}
	}
	if (!(cfg->mode & AUTH_MODE_COOKIE))
		return AUTH_NONE;
	if ((rc = auth_session(ctx, req, &s)) != AUTH_OK)
		return rc;
	p->user = s.user;
	s.user = NULL;
	p->user_id = s.user_id;
	p->admin = s.user_admin;
	p->created = s.created;
	p->expires = session_idle_deadline(&s, cfg);
	p->absolute = s.expires;
	session_clear(&s);
	return AUTH_OK;
}
