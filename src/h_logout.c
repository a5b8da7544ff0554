/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * POST /logout ends the session: its row is deleted, so the old cookie is
 * worthless even if a copy of it survives somewhere, and the browser is
 * told to drop the cookie. GET /logout changes nothing: it shows a page
 * with a logout button, or says that no one is logged in.
 *
 * An API client logs out the same way: the access token it bears is
 * revoked, and so is the refresh token it sends (field refresh_token),
 * with its whole family. It gets 204 instead of a redirect.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"

static int	 revoke_tokens(const struct request *, struct ctx *,
		    const char *);
static int	 unavailable(const struct request *, struct ctx *,
		    struct response *, int);

int
h_logout_page(const struct request *req, struct ctx *ctx,
    struct response *r)
{
	struct session	 s;
	struct tvar	 vars[1];
	int		 rc;

	rc = auth_session(ctx, req, &s);
	if (rc == AUTH_UNAVAILABLE)
		return respond_unavailable(ctx, req, r, 0);
	if (rc == AUTH_NONE)
		return page_render(ctx, req, r, 200, "logged-out.html", NULL,
		    0);
	vars[0].name = "user";
	vars[0].value = s.user;
	rc = page_render(ctx, req, r, 200, "logout.html", vars, 1);
	session_clear(&s);
	return rc;
}

/*
 * Revoke the access token sent (as a bearer token, or in its cookie) and
 * the refresh token sent, if any. 0, or -1 if the store failed.
 */
static int
revoke_tokens(const struct request *req, struct ctx *ctx, const char *refresh)
{
	const struct field	*f;
	size_t			 i;

	if (!(ctx->cfg->mode & AUTH_MODE_BEARER))
		return 0;
	if (req->bearer != NULL && token_revoke(ctx, req->bearer) == -1)
		return -1;
	/* Every copy of the access cookie: logout ends them all. */
	for (i = 0; ctx->cfg->access_cookie && i < req->cookies.n; i++) {
		f = &req->cookies.v[i];
		if (strcmp(f->name, ctx->cfg->access_cookie_name) == 0 &&
		    *f->value != '\0' && token_revoke(ctx, f->value) == -1)
			return -1;
	}
	if (refresh != NULL && token_revoke(ctx, refresh) == -1)
		return -1;
	return 0;
}

/*
 * The store is down: what could not be revoked stays valid until it is
 * back, but the browser drops its cookies now.
 */
static int
unavailable(const struct request *req, struct ctx *ctx, struct response *r,
    int api)
{
	if (ctx->cfg->mode & AUTH_MODE_COOKIE)
		auth_clear_cookie(ctx, r);
	if (ctx->cfg->access_cookie)
		auth_access_cookie(ctx, r, "");
	return respond_unavailable(ctx, req, r, api);
}

int
h_logout(const struct request *req, struct ctx *ctx, struct response *r)
{
	const char	*next, *refresh;
	struct session	 s;
	struct buf	 why;
	char		*target;
	size_t		 len;
	int		 rc, api = req->bearer != NULL || req->json != NULL;

	/*
	 * A browser's form must carry its CSRF token: without it, any site
	 * could log its visitors out of this one. API clients send a bearer
	 * token or a JSON body, which no other site can make a browser send.
	 */
	if (!api && (rc = csrf_check(ctx, req)) != 1) {
		if (rc == -1)
			return respond_unavailable(ctx, req, r, 0);
		return page_error(ctx, req, r, 403, "The logout form had "
		    "expired or came from another site. Go back, reload the "
		    "page and log out again.");
	}

	buf_init(&why);
	if (request_param(req, "next", 0, &next, &len, &why) == -1 ||
	    request_param(req, "refresh_token", 0, &refresh, &len, &why) ==
	    -1) {
		log_info("logout: refused: %s", why.oom ? "?" : why.data);
		rc = api ? json_error(r, 400, "invalid_request") :
		    page_error(ctx, req, r, 400, why.oom ? "Bad request." :
		    why.data);
		buf_free(&why);
		return rc;
	}
	buf_free(&why);
	if (revoke_tokens(req, ctx, refresh) == -1)
		return unavailable(req, ctx, r, api);
	if (!(ctx->cfg->mode & AUTH_MODE_COOKIE)) {
		if (ctx->cfg->access_cookie &&
		    auth_access_cookie(ctx, r, "") == -1)
			return -1;
		r->status = 204;
		return 0;
	}

	/* Only to name the user in the log. */
	rc = auth_session(ctx, req, &s);
	if (rc == AUTH_UNAVAILABLE || auth_end_sessions(ctx, req) == -1) {
		session_clear(&s);
		return unavailable(req, ctx, r, api);
	}
	if (rc == AUTH_OK)
		audit_record(ctx->store, ctx->now, AUDIT_LOGOUT, s.user,
		    auth_client(req), "ok");
	session_clear(&s);

	if (auth_clear_cookie(ctx, r) == -1)
		return -1;
	if (ctx->cfg->access_cookie && auth_access_cookie(ctx, r, "") == -1)
		return -1;
	if (api) {
		r->status = 204;
		return 0;
	}
	if (next != NULL && redirect_target_ok(next))
		target = strdup(next);
	else {
		if (next != NULL)
			log_info("redirect: refused an unsafe next target");
		target = site_path(req, "/logout");
	}
	if (target == NULL)
		return -1;
	rc = response_redirect(r, 303, target);
	free(target);
	return rc;
}
