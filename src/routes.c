/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * The route table: method and path to handler. A path that exists with
 * another method gets 405 and an Allow header listing the methods it
 * has; HEAD is served wherever GET is (the front drops the body).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"

struct route {
	const char		*path;
	int			 subtree;	/* also matches path/... */
	enum http_method	 method;
	int			 json;		/* errors as JSON, not HTML */
	int			 mode;		/* AUTH_MODE_* it needs, or 0 */
	handler			 fn;
};

#define COOKIE	AUTH_MODE_COOKIE
#define BEARER	AUTH_MODE_BEARER

/* A route whose mode the site does not take does not exist there. */
static const struct route routes[] = {
	{ "/", 0, HTTP_GET, 0, 0, h_root },
	{ "/login", 0, HTTP_GET, 0, COOKIE, h_login_form },
	{ "/login", 0, HTTP_POST, 0, COOKIE, h_login },
	{ "/logout", 0, HTTP_GET, 0, COOKIE, h_logout_page },
	{ "/logout", 0, HTTP_POST, 0, 0, h_logout },
	{ "/whoami", 0, HTTP_GET, 1, 0, h_whoami },
	{ "/sessions", 0, HTTP_GET, 0, COOKIE, h_sessions },
	{ "/sessions/revoke", 0, HTTP_POST, 0, COOKIE, h_sessions_revoke },
	{ "/password", 0, HTTP_GET, 0, COOKIE, h_password_form },
	{ "/password", 0, HTTP_POST, 0, COOKIE, h_password },
	{ "/healthz", 0, HTTP_GET, 1, 0, h_healthz },
	{ "/private", 1, HTTP_GET, 0, 0, h_private },
	{ "/api", 1, HTTP_GET, 1, 0, h_api },
	{ "/auth/check", 0, HTTP_GET, 1, 0, h_auth_check },
	{ "/token", 0, HTTP_POST, 1, BEARER, h_token },
	{ "/token/refresh", 0, HTTP_POST, 1, BEARER, h_token_refresh },
	{ "/token/revoke", 0, HTTP_POST, 1, BEARER, h_token_revoke },
	{ "/.well-known/jwks.json", 0, HTTP_GET, 1, BEARER, h_jwks },
};

#define NROUTES	(sizeof(routes) / sizeof(routes[0]))

static int	 path_matches(const struct route *, const char *,
		    const struct config *);
static int	 not_allowed(const struct request *, struct ctx *,
		    struct response *, int);

static int
path_matches(const struct route *rt, const char *path,
    const struct config *cfg)
{
	size_t	 len = strlen(rt->path);

	if (rt->mode != 0 && !(cfg->mode & rt->mode))
		return 0;
	if (strncmp(path, rt->path, len) != 0)
		return 0;
	return path[len] == '\0' || (rt->subtree && path[len] == '/');
}

/* 405 with the methods the path does have. */
static int
not_allowed(const struct request *req, struct ctx *ctx, struct response *r,
    int json)
{
	struct buf	 allow;
	size_t		 i;
	int		 rc;

	buf_init(&allow);
	for (i = 0; i < NROUTES; i++) {
		if (!path_matches(&routes[i], req->path, ctx->cfg))
			continue;
		buf_printf(&allow, "%s%s", allow.len > 0 ? ", " : "",
		    http_method_name(routes[i].method));
		if (routes[i].method == HTTP_GET)
			buf_adds(&allow, ", HEAD");
	}
	if (allow.oom) {
		buf_free(&allow);
		return -1;
	}
	log_info("route: %s not allowed on %s",
	    http_method_name(req->method), req->path);
	response_header(r, "Allow", allow.data);
	buf_free(&allow);
	if (json)
		rc = json_error(r, 405, "method_not_allowed");
	else
		rc = page_error(ctx, req, r, 405, "This address does not "
		    "accept that method.");
	return rc;
}

/*
 * Run the handler for the request, or answer 404 or 405. Returns what the
 * handler returned: 0, or -1 when the front must answer 500 instead.
 */
int
route_request(const struct request *req, struct ctx *ctx,
    struct response *r)
{
	enum http_method	 m = req->method;
	const char		*why;
	size_t			 i;
	int			 json = -1;

	if (m == HTTP_HEAD)
		m = HTTP_GET;
	for (i = 0; i < NROUTES; i++) {
		if (!path_matches(&routes[i], req->path, ctx->cfg))
			continue;
		if (routes[i].method != m) {
			json = routes[i].json;
			continue;
		}
		if ((why = csrf_cross_site(req)) == NULL)
			return routes[i].fn(req, ctx, r);
		log_info("csrf: refused %s %s: %s",
		    http_method_name(req->method), req->path, why);
		if (routes[i].json)
			return json_error(r, 403, "cross_site_request");
		return page_error(ctx, req, r, 403, "This request came from "
		    "another site, so it was not carried out.");
	}
	if (json != -1)
		return not_allowed(req, ctx, r, json);
	return page_error(ctx, req, r, 404, "There is no such page.");
}

/* GET /: to the page a login leads to (which asks for one if needed). */
int
h_root(const struct request *req, struct ctx *ctx, struct response *r)
{
	char	*target;
	int	 rc;

	if ((target = after_login_target(req, ctx->cfg, NULL)) == NULL)
		return -1;
	rc = response_redirect(r, 303, target);
	free(target);
	return rc;
}
