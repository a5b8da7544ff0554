/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * One request, from parameters and body to the bytes of the answer. The
 * FastCGI and CGI fronts both call app_handle and only move bytes; all
 * that can be tested without a web server happens here or below.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gatehouse.h"
#include "store.h"

static int	 read_body(struct ctx *, const struct params *, body_reader,
		    void *, char **, size_t *, const char **);
static int	 wants_json(const struct params *);
static void	 refuse(struct response *, int, const char *, int);
static int	 check_role(const struct ctx *, const struct params *,
		    const char **);

/*
 * The store, opened on first use and checked at each use after the first
 * in a request. A database that cannot be opened, or that was replaced,
 * is opened again at the next request, so service resumes by itself once
 * the cause is fixed. Returns NULL (logged) while it cannot be opened.
 */
struct store *
ctx_store(struct ctx *ctx)
{
	if (ctx->store != NULL && !ctx->store_checked) {
		ctx->store_checked = 1;
		/* A stat() a second is enough to notice a replaced file. */
		if (!store_usable(ctx->store, ctx->store_seen != ctx->now)) {
			store_close(ctx->store);
			ctx->store = NULL;
			/* Keys and remembered tokens were the old file's. */
			token_keys_free(ctx);
		}
	}
	if (ctx->store == NULL && store_open(ctx->cfg->db_path,
	    ctx->cfg->db_busy_ms, ctx->create_store, &ctx->store) !=
	    STORE_OK)
		return NULL;
	ctx->store_checked = 1;
	ctx->store_seen = ctx->now;
	return ctx->store;
}

/*
 * Read the body announced by CONTENT_LENGTH, refusing one larger than
 * max_body before reading any of it. Returns 0 with "*body" (freed by
 * the caller, NULL when empty) and "*len" set, or an HTTP status with
 * "*why" set.
 */
static int
read_body(struct ctx *ctx, const struct params *p, body_reader reader,
    void *arg, char **body, size_t *len, const char **why)
{
	const char		*v = p->content_length;
	unsigned long long	 n;
	size_t			 got = 0;
	int			 rc;

	*body = NULL;
	*len = 0;
	if (v == NULL || *v == '\0')
		return 0;
	if (parse_uint(v, SIZE_MAX - 1, &n) == -1) {
		*why = "invalid Content-Length";
		return 400;
	}
	if (n > ctx->cfg->max_body) {
		*why = "body larger than max_body";
		return 413;
	}
	if (n == 0)
		return 0;
	if ((*body = malloc((size_t)n + 1)) == NULL) {
		*why = "out of memory";
		return 500;
	}
	while (got < n) {
		rc = reader(arg, *body + got, (size_t)n - got);
		if (rc <= 0)
			break;
		got += (size_t)rc;
	}
	if (got < n) {
		*why = "body shorter than Content-Length";
		return 400;
	}
	(*body)[n] = '\0';
	*len = (size_t)n;
	return 0;
}

/*
 * The FastCGI role the server asks for: responder (the routes) or
 * authorizer (h_authorize: may this request go on to the content?).
 * Plain CGI has no FCGI_ROLE. The filter role, and anything unknown, is
 * refused: a server must never take a handler's answer for a verdict it
 * did not ask. A process started with -a serves only as an authorizer:
 * one listening on a TCP port for mod_authnz_fcgi must not offer every
 * local user the whole application, away from the web server's rules
 * and logs. Returns 0 for a responder, 1 for an authorizer, or 403 with
 * "*why" set.
 */
static int
check_role(const struct ctx *ctx, const struct params *p, const char **why)
{
	const char	*role = p->role;

	if (role != NULL && strcmp(role, "AUTHORIZER") == 0)
		return 1;
	if (ctx->authorizer_only) {
		*why = "this process answers only as an authorizer (-a)";
		return 403;
	}
	if (role == NULL || strcmp(role, "RESPONDER") == 0)
		return 0;
	*why = "only the FastCGI responder and authorizer roles are served";
	return 403;
}

/*
 * Does the client speak JSON? It sent a JSON body or asked for JSON: an
 * API client, whose code reads error answers as JSON (RFC 6749 section
 * 5.2 for the token routes).
 */
static int
wants_json(const struct params *p)
{
	return (p->content_type != NULL && strncasecmp(p->content_type,
	    "application/json", 16) == 0) || (p->accept != NULL &&
	    strstr(p->accept, "application/json") != NULL);
}

/*
 * A refused request, before any handler: a short plain-text answer, or
 * a JSON error object for a client that speaks JSON.
 */
static void
refuse(struct response *r, int status, const char *why, int json)
{
	json_t	*j;

	response_reset(r);
	if (json) {
		j = json_pack("{s:s, s:s}", "error", status >= 500 ?
		    "server_error" : "invalid_request", "error_description",
		    why);
		/* response_json takes j, NULL included (out of memory). */
		if (response_json(r, status, j) == 0)
			return;
		response_reset(r);
	}
	r->status = status;
	buf_printf(&r->body, "%d %s: %s\n", status, http_reason(status), why);
}

/*
 * Answer one request: "envp" holds its parameters, "reader" gives its
 * body. The answer, in CGI form, is appended to "out". Returns 0, or -1
 * if not even an answer could be built (out of memory).
 */
int
app_handle(struct ctx *ctx, char *const *envp, body_reader reader,
    void *arg, struct buf *out)
{
	struct request	 req;
	struct response	 r;
	struct params	 p;
	const char	*why = NULL;
	char		*body = NULL;
	size_t		 len = 0;
	int		 status, rc, authorizer = 0;

	params_scan(envp, &p);
	proxy_resolve(&p, &ctx->cfg->proxies);
	log_request_begin(p.client_addr);
	ctx->store_checked = 0;
	memset(&req, 0, sizeof(req));
	req.https = params_https(&p);
	response_init(&r);

	if ((status = check_role(ctx, &p, &why)) == 1) {
		/*
		 * An authorizer gets no body (FastCGI 1.0 section 6.3), and
		 * guards paths of the site that are not ours: the mount
		 * point does not apply.
		 */
		authorizer = 1;
		p.verdict_only = 1;
		status = 0;
	} else if (status == 0)
		p.mount = ctx->cfg->mount;
	if (status == 0 && !authorizer)
		status = read_body(ctx, &p, reader, arg, &body, &len, &why);
	if (status == 0 && (status = request_parse_params(&req, &p, body,
	    len)) != 0)
		why = req.error;
	else if (status == 0)
		ctx->client = auth_client(&req);
	if (status != 0) {
		log_info("refused: %d %s", status, why);
		refuse(&r, status, why, wants_json(&p));
	} else if ((authorizer ? h_authorize(&req, ctx, &r) :
	    route_request(&req, ctx, &r)) == -1 || r.failed) {
		log_warnx("internal error on %s %s",
		    http_method_name(req.method), req.path);
		refuse(&r, 500, "the request could not be completed",
		    wants_json(&p));
	}

	/*
	 * An authorizer's 200 is a verdict, not an answer: the server takes
	 * its Variable-* headers and serves the content with its own.
	 */
	if (!authorizer || r.status != 200)
		headers_apply(ctx->cfg->headers, &r, &req);
	if (r.failed) {
		refuse(&r, 500, "the response could not be built", 0);
		headers_apply(ctx->cfg->headers, &r, &req);
	}
	rc = response_serialize(&r, req.method == HTTP_HEAD, out);

	if (body != NULL)
		wipe(body, len);
	free(body);
	ctx->client = NULL;
	request_free(&req);
	response_free(&r);
	log_request_end();
	return rc;
}
