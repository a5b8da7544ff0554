/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * GET /login shows the login form; POST /login checks the credentials
 * (auth_login: the same answer and the same work for an unknown user
 * as for a wrong password) and starts a session.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "store.h"

#define LOGIN_WRONG	"Wrong user name or password."
#define FORM_EXPIRED	"The login form had expired. Please log in again."

static int	 show_form(const struct request *, struct ctx *,
		    struct response *, int, const char *, const char *,
		    const char *);
static int	 remember_box(void *, struct ctx *, const struct request *,
		    struct response *);
static int	 fail(const struct request *, struct ctx *,
		    struct response *, const char *, const char *);
static int	 succeed(const struct request *, struct ctx *,
		    struct response *, const struct user *, const char *,
		    int);
static int	 throttled(const struct request *, struct ctx *,
		    struct response *, long long);

/*
 * page_render_parts' callback for {{remember}}: the "remember me" box,
 * where the site offers it.
 */
static int
remember_box(void *arg, struct ctx *ctx, const struct request *req,
    struct response *r)
{
	struct tvar	 vars[1];
	char		 text[32];
	long long	 t = ctx->cfg->remember_lifetime;

	(void)arg;
	if (!ctx->cfg->remember_me)
		return 0;
	if (t % 86400 == 0)
		snprintf(text, sizeof(text), "%lld day%s", t / 86400,
		    t == 86400 ? "" : "s");
	else
		snprintf(text, sizeof(text), "%lld hours", t / 3600);
	vars[0].name = "remember_for";
	vars[0].value = text;
	return page_append(ctx, req, r, "login-remember.html", vars, 1);
}

/* The login page with an optional error message, user name and next. */
static int
show_form(const struct request *req, struct ctx *ctx, struct response *r,
    int status, const char *error, const char *user, const char *next)
{
	struct tvar	 vars[3];

	vars[0].name = "error";
	vars[0].value = error;
	vars[1].name = "user";
	vars[1].value = user;
	vars[2].name = "next";
	vars[2].value = next != NULL && redirect_target_ok(next) ? next : "";
	return page_render_parts(ctx, req, r, status, "login.html", vars, 3,
	    "remember", remember_box, NULL);
}

int
h_login_form(const struct request *req, struct ctx *ctx, struct response *r)
{
	const struct field	*next;
	struct session		 s;
	char			*target;
	int			 rc;

	next = fields_get(&req->query, "next");

	/* Already logged in: go on to where the login would have led. */
	rc = auth_session(ctx, req, &s);
	if (rc == AUTH_UNAVAILABLE)
		return respond_unavailable(ctx, req, r, 0);
	if (rc == AUTH_OK) {
		session_clear(&s);
		target = after_login_target(req, ctx->cfg, next == NULL ?
		    NULL : next->value);
		if (target == NULL)
			return -1;
		rc = response_redirect(r, 303, target);
		free(target);
		return rc;
	}
	return show_form(req, ctx, r, 200, "", "",
	    next == NULL ? NULL : next->value);
}

/* The login failed: the form again, with the one message for all. */
static int
fail(const struct request *req, struct ctx *ctx, struct response *r,
    const char *user, const char *next)
{
	response_header(r, "WWW-Authenticate",
	    "FormBased realm=\"gatehouse\"");
	return show_form(req, ctx, r, 401, LOGIN_WRONG, user, next);
}

/*
 * Too many failed logins (auth_login): 429 with Retry-After (RFC 6585
 * section 4). The same page whether or not the name has an account, and
 * whatever the reason, so that it tells nothing of either.
 */
static int
throttled(const struct request *req, struct ctx *ctx, struct response *r,
    long long retry)
{
	char	 text[128];

	if (response_headerf(r, "Retry-After", "%lld", retry) == -1)
		return -1;
	page_retry_text(text, sizeof(text), "Too many failed logins.", retry);
	return page_error(ctx, req, r, 429, text);
}

/*
 * The password was right: end every session the client came with (no
 * fixation), start a new one, and send the browser on. Also drops ended
 * sessions and tokens, a small cost on a request that already paid for
 * a KDF.
 */
static int
succeed(const struct request *req, struct ctx *ctx, struct response *r,
    const struct user *u, const char *next, int remember)
{
	char	*target;
	int	 purged, rc;

	if (auth_end_sessions(ctx, req) == -1 ||
	    (rc = auth_start_session(ctx, req, r, u, remember)) == -1)
		return respond_unavailable(ctx, req, r, 0);
	if (rc == 1)
		return fail(req, ctx, r, u->name, next);

	if (store_session_purge(ctx->store, ctx->now, ctx->cfg, &purged) ==
	    STORE_OK && purged > 0)
		log_debug("login: purged %d ended sessions", purged);
	if (store_token_purge(ctx->store, ctx->now, token_grace(ctx->cfg),
	    &purged) == STORE_OK && purged > 0)
		log_debug("login: purged %d ended tokens", purged);
	audit_purge(ctx->store, ctx->now, ctx->cfg);

	if ((target = after_login_target(req, ctx->cfg, next)) == NULL)
		return -1;
	response_redirect(r, 303, target);
	free(target);
	return 0;
}

int
h_login(const struct request *req, struct ctx *ctx, struct response *r)
{
	const char	*user = NULL, *pw = NULL, *next = NULL;
	const char	*remember = NULL;
	struct user	 u;
	struct buf	 why;
	size_t		 ulen = 0, pwlen = 0, nlen = 0, rlen = 0;
	long long	 retry;
	int		 rc;

	if (!req->form_present) {
		log_info("login: refused: not a url-encoded form");
		response_header(r, "Accept-Post",
		    "application/x-www-form-urlencoded");
		return page_error(ctx, req, r, 415, "The login form must be "
		    "sent as application/x-www-form-urlencoded.");
	}

	/*
	 * Before the fields are looked at: a form from elsewhere learns
	 * nothing. The form again, with a fresh token, so that a visitor
	 * whose cookie was lost can simply try again.
	 */
	if ((rc = csrf_check(ctx, req)) != 1) {
		if (rc == -1)
			return respond_unavailable(ctx, req, r, 0);
		next = fields_count(&req->form, "next") == 1 ?
		    fields_get(&req->form, "next")->value : NULL;
		return show_form(req, ctx, r, 403, FORM_EXPIRED, "", next);
	}

	buf_init(&why);
	if (req->form.bad_escape)
		buf_adds(&why, "The form holds an invalid percent-escape.");
	else if (request_param(req, "username", 1, &user, &ulen, &why) == 0 &&
	    request_param(req, "password", 1, &pw, &pwlen, &why) == 0 &&
	    request_param(req, "next", 0, &next, &nlen, &why) == 0 &&
	    request_param(req, "remember", 0, &remember, &rlen, &why) == 0)
		credentials_check(user, ulen, pwlen, &why);
	if (why.len > 0 || why.oom) {
		log_info("login: refused: %s", why.oom ? "?" : why.data);
		rc = page_error(ctx, req, r, 400, why.oom ? "Bad request." :
		    why.data);
		buf_free(&why);
		return rc;
	}
	buf_free(&why);

	rc = auth_login(ctx, req, user, pw, pwlen, &u, &retry);
	if (rc == LOGIN_UNAVAILABLE)
		return respond_unavailable(ctx, req, r, 0);
	if (rc == LOGIN_THROTTLED)
		return throttled(req, ctx, r, retry);
	if (rc == LOGIN_FAILED)
		return fail(req, ctx, r, user, next);
	rc = succeed(req, ctx, r, &u, next, remember != NULL &&
	    strcmp(remember, "yes") == 0);
	user_clear(&u);
	return rc;
}
