/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * The token endpoints, for APIs and single-page apps:
 *
 *	POST /token		username and password for a token pair
 *	POST /token/refresh	a refresh token for a new pair
 *	POST /token/revoke	an access or refresh token to revoke
 *	GET /.well-known/jwks.json	the public signing keys
 *
 * Bodies are url-encoded forms or JSON objects. Answers follow OAuth 2.0:
 * the token response of RFC 6749 section 5.1 and its errors (section
 * 5.2), and revocation as RFC 7009 has it. A token answer is never to be
 * cached, and says so twice, as RFC 6749 asks.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gatehouse.h"
#include "store.h"

static int	 oauth_error(struct response *, int, const char *,
		    const char *);
static int	 token_answer(const struct request *, struct ctx *,
		    struct response *, int, json_t *);
static int	 body_ok(const struct request *, struct response *);
static int	 refuse(struct response *, struct buf *);

/* An OAuth 2.0 error answer (RFC 6749 section 5.2). */
static int
oauth_error(struct response *r, int status, const char *code,
    const char *description)
{
	response_header(r, "Pragma", "no-cache");
	return response_json(r, status, json_pack("{s:s, s:s}", "error", code,
	    "error_description", description));
}

/* A malformed request: logged, 400 invalid_request saying "why" (freed). */
static int
refuse(struct response *r, struct buf *why)
{
	int	 rc;

	log_info("token: refused: %s", why->oom ? "?" : why->data);
	rc = oauth_error(r, 400, "invalid_request", why->oom ? "?" :
	    why->data);
	buf_free(why);
	return rc;
}

/* Is the body a form or a JSON object? Else 415. */
static int
body_ok(const struct request *req, struct response *r)
{
	if (req->form_present || req->json != NULL)
		return 1;
	response_header(r, "Accept-Post", "application/x-www-form-urlencoded, "
	    "application/json");
	oauth_error(r, 415, "invalid_request", "Send a form or a JSON object.");
	return 0;
}

/*
 * Answer with the result of token_issue or token_refresh: the pair (and
 * the access token's cookie, where configured), or the error.
 */
static int
token_answer(const struct request *req, struct ctx *ctx, struct response *r,
    int rc, json_t *pair)
{
	(void)req;
	if (rc == TOKEN_NOKEY || rc == TOKEN_UNAVAILABLE) {
		response_header(r, "Retry-After", "5");
		return oauth_error(r, 503, "temporarily_unavailable",
		    "The service cannot issue tokens right now.");
	}
	if (rc != TOKEN_OK)
		return oauth_error(r, 400, "invalid_grant", "The credentials "
		    "or the refresh token are not valid.");

	/* In its cookie only: scripts of the page never see it. */
	if (ctx->cfg->access_cookie) {
		auth_access_cookie(ctx, r, json_string_value(json_object_get(
		    pair, "access_token")));
		json_object_del(pair, "access_token");
	}
	response_header(r, "Pragma", "no-cache");
	return response_json(r, 200, pair);
}

/* POST /token: a token pair for a user name and password. */
int
h_token(const struct request *req, struct ctx *ctx, struct response *r)
{
	const char	*user = NULL, *pw = NULL, *grant = NULL;
	struct user	 u;
	struct buf	 why;
	json_t		*pair = NULL;
	size_t		 ulen = 0, pwlen = 0, glen = 0;
	long long	 retry;
	int		 rc, n;

	if (!body_ok(req, r))
		return 0;
	buf_init(&why);
	if (req->form.bad_escape)
		buf_adds(&why, "The form holds an invalid percent-escape.");
	else if (request_param(req, "grant_type", 0, &grant, &glen, &why) ==
	    0 && request_param(req, "username", 1, &user, &ulen, &why) == 0 &&
	    request_param(req, "password", 1, &pw, &pwlen, &why) == 0) {
		if (grant != NULL && strcmp(grant, "password") != 0)
			buf_adds(&why, "Only grant_type password is served "
			    "here; refresh at /token/refresh.");
		else
			credentials_check(user, ulen, pwlen, &why);
	}
	if (why.len > 0 || why.oom)
		return refuse(r, &why);
	buf_free(&why);

	rc = auth_login(ctx, req, user, pw, pwlen, &u, &retry);
	if (rc == LOGIN_UNAVAILABLE)
		return token_answer(req, ctx, r, TOKEN_UNAVAILABLE, NULL);
	if (rc == LOGIN_THROTTLED) {
		/* The same answer for every name; see h_login.c. */
		if (response_headerf(r, "Retry-After", "%lld", retry) == -1)
			return -1;
		return oauth_error(r, 429, "temporarily_unavailable", "Too "
		    "many failed logins; wait before trying again.");
	}
	if (rc == LOGIN_FAILED)
		return token_answer(req, ctx, r, TOKEN_INVALID, NULL);
	rc = token_issue(ctx, &u, NULL, 0, NULL, &pair);
	if (rc == TOKEN_OK) {
		log_info("token: issued for %s", u.name);
		audit_record(ctx->store, ctx->now, AUDIT_TOKEN_ISSUE, u.name,
		    auth_client(req), "ok");
		/* Sites without the login form clean up here instead. */
		if (store_token_purge(ctx->store, ctx->now,
		    token_grace(ctx->cfg), &n) == STORE_OK && n > 0)
			log_debug("token: purged %d ended tokens", n);
		audit_purge(ctx->store, ctx->now, ctx->cfg);
	}
	user_clear(&u);
	return token_answer(req, ctx, r, rc, pair);
}

/* POST /token/refresh: a new pair for a refresh token, used once. */
int
h_token_refresh(const struct request *req, struct ctx *ctx,
    struct response *r)
{
	const char	*refresh = NULL, *grant = NULL, *reason;
	struct buf	 why;
	json_t		*pair = NULL;
	size_t		 len = 0, glen = 0;
	int		 rc;

	if (!body_ok(req, r))
		return 0;
	buf_init(&why);
	if (req->form.bad_escape)
		buf_adds(&why, "The form holds an invalid percent-escape.");
	else if (request_param(req, "grant_type", 0, &grant, &glen, &why) ==
	    0 && request_param(req, "refresh_token", 1, &refresh, &len, &why)
	    == 0 && grant != NULL && strcmp(grant, "refresh_token") != 0)
		buf_adds(&why, "grant_type must be refresh_token here.");
	if (why.len > 0 || why.oom)
		return refuse(r, &why);
	buf_free(&why);

	rc = token_refresh(ctx, refresh, &pair, &reason);
	if (rc == TOKEN_INVALID)
		log_info("token: refresh refused: %s", reason);
	return token_answer(req, ctx, r, rc, pair);
}

/*
 * POST /token/revoke (RFC 7009): 200 whether or not the token was known
 * or valid, so that the answer tells an attacker nothing.
 */
int
h_token_revoke(const struct request *req, struct ctx *ctx,
    struct response *r)
{
	const char	*token;
	struct buf	 why;
	size_t		 len;

	if (!body_ok(req, r))
		return 0;
	buf_init(&why);
	if (req->form.bad_escape ||
	    request_param(req, "token", 1, &token, &len, &why) == -1 ||
	    len > JWS_MAX) {
		if (why.len == 0)
			buf_adds(&why, "The token is malformed.");
		return refuse(r, &why);
	}
	buf_free(&why);
	if (token_revoke(ctx, token) == -1)
		return token_answer(req, ctx, r, TOKEN_UNAVAILABLE, NULL);
	r->status = 200;
	return 0;
}

/*
 * GET /.well-known/jwks.json: the public keys that verify our tokens
 * (RFC 7517 section 5), the active one and those still verifying. HMAC
 * keys are secret and never listed. Other services may cache it briefly.
 */
int
h_jwks(const struct request *req, struct ctx *ctx, struct response *r)
{
	json_t	*keys, *k;
	size_t	 i;

	if (token_keys(ctx) == -1)
		return respond_unavailable(ctx, req, r, 1);
	if ((keys = json_array()) == NULL)
		return -1;
	for (i = 0; i < ctx->keys.n; i++)
		if ((k = jwk_public_json(&ctx->keys.keys[i])) != NULL)
			json_array_append_new(keys, k);
	response_header(r, "Cache-Control", "public, max-age=300");
	response_header(r, "Access-Control-Allow-Origin", "*");
	return response_json(r, 200, json_pack("{s:o}", "keys", keys));
}
