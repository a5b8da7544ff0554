/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Gatehouse as a gate for content it does not serve itself: a static
 * folder, a PHP application, another FastCGI program.
 *
 * h_authorize answers the FastCGI authorizer role (FastCGI 1.0 section
 * 6.3), as lighttpd's "authorizer" mode, Apache's mod_authnz_fcgi and
 * mod_fcgid's FcgidAccessChecker ask it: 200 lets the request through,
 * with the user passed on as Variable-* headers (which the server turns
 * into environment variables of the content's program, and never sends
 * to the client); anything else is the answer the client gets. An
 * unsafe request from another site gets 403, as it would from a route.
 *
 * h_auth_check is the same verdict for proxies that can only make a
 * subrequest to a responder, nginx's auth_request among them: 204 with
 * the user in a header, or 401 (or 403, as above).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"

static int	 to_login(const struct request *, struct ctx *,
		    struct response *);
static int	 cross_site(const struct request *, struct ctx *,
		    struct response *, enum http_method);

/*
 * Send a browser to the login page, with the protected address to come
 * back to when that is a safe target (see redirect.c).
 */
static int
to_login(const struct request *req, struct ctx *ctx, struct response *r)
{
	struct buf	 url;
	int		 rc;

	buf_init(&url);
	buf_adds(&url, ctx->cfg->login_url);
	if (redirect_target_ok(req->uri)) {
		buf_adds(&url, strchr(ctx->cfg->login_url, '?') == NULL ?
		    "?next=" : "&next=");
		url_encode(&url, req->uri);
	}
	rc = url.oom ? -1 : response_redirect(r, 303, url.data);
	buf_free(&url);
	return rc;
}

/*
 * Our verdict vouches for the user to the content: not for an unsafe
 * request ("method") from another site (a sibling subdomain gets the
 * SameSite=Lax cookie sent), which the routes refuse too. Returns 1 after
 * answering 403 (logged), 0 if the request may be judged.
 */
static int
cross_site(const struct request *req, struct ctx *ctx, struct response *r,
    enum http_method method)
{
	struct request	 subject = *req;
	const char	*what, *why;

	subject.method = method;
	if ((why = csrf_cross_site(&subject)) == NULL)
		return 0;
	/* The query is left out of the log: some clients put tokens there. */
	what = *req->uri != '\0' ? req->uri : "(no REQUEST_URI)";
	log_info("csrf: refused %s %.*s: %s", http_method_name(method),
	    (int)strcspn(what, "?"), what, why);
	if (!req->wants_html)
		json_error(r, 403, "cross_site_request");
	else
		page_error(ctx, req, r, 403, "This request came from another "
		    "site, so it was not let through.");
	return 1;
}

int
h_authorize(const struct request *req, struct ctx *ctx, struct response *r)
{
	struct principal	 p;
	const char		*what;
	int			 rc, bad;

	if (cross_site(req, ctx, r, req->method))
		return r->failed ? -1 : 0;

	rc = auth_request(ctx, req, &p, &bad);
	if (rc == AUTH_UNAVAILABLE)
		return respond_unavailable(ctx, req, r, !req->wants_html);
	if (rc == AUTH_NONE) {
		/* The query is left out: some clients put tokens there. */
		what = *req->uri != '\0' ? req->uri : "(no REQUEST_URI)";
		log_info("authorizer: refused %.*s", (int)strcspn(what, "?"),
		    what);
		/* A browser that sent no token goes to the login page. */
		if (ctx->cfg->login_url != NULL && req->wants_html && !bad &&
		    req->bearer == NULL && (req->method == HTTP_GET ||
		    req->method == HTTP_HEAD))
			return to_login(req, ctx, r);
		return respond_unauthenticated(ctx, req, r, bad,
		    !req->wants_html);
	}

	/*
	 * lighttpd sets REMOTE_USER from Variable-REMOTE_USER; Apache's
	 * mod_authnz_fcgi takes any name through UserExpr; nginx reads the
	 * header of its choice. Both names cover them all.
	 */
	r->status = 200;
	response_header(r, "Variable-REMOTE_USER", p.user);
	response_header(r, "Variable-USER", p.user);
	response_header_const(r, "Variable-AUTH_METHOD", p.via_token ?
	    "bearer" : "cookie");
	principal_clear(&p);
	return r->failed ? -1 : 0;
}

/*
 * GET /auth/check: 204 with X-Gatehouse-User, or 401; 403 for an unsafe
 * request from another site, when the proxy names the method of the
 * request it asks about in X-Forwarded-Method (nginx's subrequest is a
 * GET whatever that was).
 */
int
h_auth_check(const struct request *req, struct ctx *ctx, struct response *r)
{
	struct principal	 p;
	int			 rc;

	if (cross_site(req, ctx, r, req->subject_method))
		return r->failed ? -1 : 0;
	if ((rc = respond_unless_known(ctx, req, r, &p)) != 1)
		return rc;
	r->status = 204;
	response_header(r, "X-Gatehouse-User", p.user);
	response_header_const(r, "X-Gatehouse-Auth", p.via_token ? "bearer" :
	    "cookie");
	principal_clear(&p);
	return r->failed ? -1 : 0;
}
