/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Answers shared by the handlers: HTML pages from the templates, error
 * pages, JSON errors, and links that follow the mount point.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "gatehouse.h"

#define TEMPLATE_MAX	(256 * 1024)	/* bytes of one template file */
#define PAGE_VARS_MAX	16
#define UNAVAILABLE_RETRY 5	/* seconds a 503 asks a client to wait */

/*
 * A path on this site below the app's mount point: "/login" becomes
 * "/auth/login" when the app is mounted at /auth. The caller frees it;
 * NULL when out of memory.
 */
char *
site_path(const struct request *req, const char *path)
{
	char	*p;

	if (asprintf(&p, "%s%s", req->prefix, path) == -1)
		return NULL;
	return p;
}

/*
 * Render template text into the body of "r" with "vars" and the
 * placeholders every page may use: {{base}}, the mount point, to build
 * links to the app; {{static}}, where the web server serves www/public
 * (stylesheet, images); and {{csrf}}, the token a form that changes
 * anything must carry (csrf.c), made only for a page that shows it.
 * Returns 0 or -1 (r->failed set).
 */
int
page_fill(struct ctx *ctx, const struct request *req, struct response *r,
    const struct buf *text, const struct tvar *vars, size_t n)
{
	struct tvar	 all[PAGE_VARS_MAX];
	struct buf	 token;
	int		 rc = -1;

	if (n + 3 > PAGE_VARS_MAX) {
		r->failed = 1;
		return -1;
	}
	buf_init(&token);
	all[0].name = "base";
	all[0].value = req->prefix;
	all[1].name = "static";
	all[1].value = ctx->cfg->static_url;
	all[2].name = "csrf";
	all[2].value = "";
	if (template_uses(text->data, text->len, "csrf")) {
		if (csrf_token(ctx, req, r, &token) == -1)
			goto out;
		all[2].value = token.data;
	}
	if (n > 0)
		memcpy(all + 3, vars, n * sizeof(*vars));
	rc = template_render(&r->body, text->data, text->len, all, n + 3);
out:
	buf_free(&token);
	if (rc == -1)
		r->failed = 1;
	return rc;
}

/*
 * Render template "name" from the templates directory into the body of
 * "r" with status "status" (see page_fill). If the template cannot be
 * read, the answer is a bare 500 page (logged): a login page without its
 * form is of no use. Returns 0 or -1.
 */
int
page_render(struct ctx *ctx, const struct request *req, struct response *r,
    int status, const char *name, const struct tvar *vars, size_t n)
{
	struct buf	 text;
	char		 path[PATH_MAX];
	int		 len, rc;

	r->status = status;
	response_header_const(r, "Content-Type", "text/html; charset=utf-8");
	buf_init(&text);
	len = snprintf(path, sizeof(path), "%s/%s", ctx->cfg->templates_dir,
	    name);
	if (len < 0 || (size_t)len >= sizeof(path) ||
	    file_read_cached(path, TEMPLATE_MAX, ctx->now, &text) == -1) {
		log_warn("page: cannot read template %s", path);
		buf_free(&text);
		r->status = 500;
		buf_printf(&r->body, "<!doctype html>\n<title>500 %s</title>\n"
		    "<p>500 %s: the page template %s cannot be read.</p>\n",
		    http_reason(500), http_reason(500), name);
		return r->body.oom ? -1 : 0;
	}
	rc = page_fill(ctx, req, r, &text, vars, n);
	buf_free(&text);
	return rc;
}

/*
 * Read template "name" into "text". Returns 0, or -1 (logged only with
 * "say", so that a caller who falls back to page_render, which says it
 * too, leaves one line).
 */
static int
read_template(struct ctx *ctx, const char *name, struct buf *text, int say)
{
	char	 path[PATH_MAX];
	int	 len;

	len = snprintf(path, sizeof(path), "%s/%s", ctx->cfg->templates_dir,
	    name);
	if (len < 0 || (size_t)len >= sizeof(path) ||
	    file_read_cached(path, TEMPLATE_MAX, ctx->now, text) == -1) {
		if (say)
			log_warn("page: cannot read template %s", path);
		return -1;
	}
	return 0;
}

/*
 * Append "len" bytes of template text at "text" to the body of "r", as
 * page_fill does a whole template. 0 or -1.
 */
static int
fill(struct ctx *ctx, const struct request *req, struct response *r,
    const char *text, size_t len, const struct tvar *vars, size_t n)
{
	struct buf	 part;

	/* A view of the text, not a copy: page_fill only reads it. */
	memset(&part, 0, sizeof(part));
	part.data = (char *)(uintptr_t)text;
	part.len = len;
	return page_fill(ctx, req, r, &part, vars, n);
}

/*
 * Append template "name" to the body of "r", rendered with "vars": one
 * row of a list, or an optional part of a page, for page_render_parts'
 * "parts" callback. Returns 0, or -1 (logged) if it cannot be read.
 */
int
page_append(struct ctx *ctx, const struct request *req, struct response *r,
    const char *name, const struct tvar *vars, size_t n)
{
	struct buf	 text;
	int		 rc;

	buf_init(&text);
	if (read_template(ctx, name, &text, 1) == -1) {
		buf_free(&text);
		r->failed = 1;
		return -1;
	}
	rc = fill(ctx, req, r, text.data, text.len, vars, n);
	buf_free(&text);
	return rc;
}

/*
 * Render template "name" as page_render does, where the placeholder
 * {{"slot"}} stands for what "parts" appends to the body: rows of a
 * list, or an optional part, each made by page_append from templates of
 * their own. So every value is still escaped, and a template holds no
 * logic. A template without the placeholder is rendered whole, and
 * "parts" is not called; one that cannot be read gets page_render's 500
 * page. Returns 0, or -1 (logged) when the front must answer 500.
 *
 * Each side of the slot is filled on its own, so {{csrf}} must stand on
 * one side only, as in the shipped templates: on both, a browser that
 * had no CSRF cookie yet would get two, and one of the two tokens would
 * not match.
 */
int
page_render_parts(struct ctx *ctx, const struct request *req,
    struct response *r, int status, const char *name,
    const struct tvar *vars, size_t n, const char *slot,
    int (*parts)(void *, struct ctx *, const struct request *,
    struct response *), void *arg)
{
	struct buf	 text, mark;
	const char	*at;
	size_t		 before;
	int		 rc = -1;

	r->status = status;
	response_header_const(r, "Content-Type", "text/html; charset=utf-8");
	buf_init(&text);
	buf_init(&mark);
	if (buf_printf(&mark, "{{%s}}", slot) == -1)
		goto out;
	if (read_template(ctx, name, &text, 0) == -1) {
		/* page_render's answer for a template it cannot read. */
		buf_free(&text);
		buf_free(&mark);
		return page_render(ctx, req, r, status, name, vars, n);
	}
	if ((at = memmem(text.data, text.len, mark.data, mark.len)) == NULL) {
		rc = fill(ctx, req, r, text.data, text.len, vars, n);
		goto out;
	}
	before = (size_t)(at - text.data);
	if (fill(ctx, req, r, text.data, before, vars, n) == -1 ||
	    parts(arg, ctx, req, r) == -1 ||
	    fill(ctx, req, r, at + mark.len, text.len - before - mark.len,
	    vars, n) == -1)
		goto out;
	rc = 0;
out:
	if (rc == -1)
		r->failed = 1;
	buf_free(&text);
	buf_free(&mark);
	return rc;
}

/*
 * The templates the handlers use, for "gatehouse -t" to check. Keep in
 * step with the page_render calls.
 */
static const char *const templates[] = {
	"error.html", "logged-out.html", "login.html", "login-remember.html",
	"logout.html", "password-changed.html", "password.html",
	"sessions-row.html", "sessions-this.html", "sessions.html",
};

/*
 * Can every template and the private folder be read? Prints each problem
 * to stderr. Returns 0 or -1.
 */
int
pages_check(const struct config *cfg)
{
	char	 path[PATH_MAX];
	size_t	 i;
	int	 fd, rc = 0;

	for (i = 0; i < sizeof(templates) / sizeof(templates[0]); i++) {
		/* Without the login form only the error page is shown. */
		if (!(cfg->mode & AUTH_MODE_COOKIE) &&
		    strcmp(templates[i], "error.html") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", cfg->templates_dir,
		    templates[i]);
		/* Opened as page_render opens them: no final symlink. */
		if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)) ==
		    -1) {
			fprintf(stderr, "gatehouse: template %s: %s\n", path,
			    strerror(errno));
			rc = -1;
		} else
			close(fd);
	}
	if (access(cfg->private_dir, R_OK | X_OK) == -1) {
		fprintf(stderr, "gatehouse: private folder %s: %s\n",
		    cfg->private_dir, strerror(errno));
		rc = -1;
	}
	return rc;
}

/*
 * Send a browser without a session to the login page, to come back to
 * "path" (below the mount point) afterwards. Returns 0 or -1.
 */
int
page_to_login(const struct request *req, struct response *r,
    const char *path)
{
	struct buf	 url;
	int		 rc;

	buf_init(&url);
	buf_printf(&url, "%s/login?next=", req->prefix);
	url_encode(&url, req->prefix);
	url_encode(&url, path);
	rc = url.oom ? -1 : response_redirect(r, 303, url.data);
	buf_free(&url);
	return rc;
}

/* An HTML error page (template error.html) with a one-line message. */
int
page_error(struct ctx *ctx, const struct request *req, struct response *r,
    int status, const char *message)
{
	char		 code[8];
	struct tvar	 vars[3];

	snprintf(code, sizeof(code), "%d", status);
	vars[0].name = "status";
	vars[0].value = code;
	vars[1].name = "title";
	vars[1].value = http_reason(status);
	vars[2].name = "message";
	vars[2].value = message;
	return page_render(ctx, req, r, status, "error.html", vars, 3);
}

/*
 * The message of a 429 page: "what" happened, and when to come back,
 * as Retry-After says "retry" seconds: "Too many failed logins. Please
 * try again in 10 seconds." Cut short if "out" is too small.
 */
void
page_retry_text(char *out, size_t size, const char *what, long long retry)
{
	char	 wait[32];

	if (format_wait(retry, wait, sizeof(wait)) == -1)
		snprintf(wait, sizeof(wait), "a while");
	snprintf(out, size, "%s Please try again in %s.", what, wait);
}

/* A JSON error: {"error": "code"}. Returns 0 or -1. */
int
json_error(struct response *r, int status, const char *code)
{
	return response_json(r, status, json_pack("{s:s}", "error", code));
}

/*
 * The store is down: 503, with Retry-After, as JSON or as a page. The
 * store already logged why.
 */
int
respond_unavailable(struct ctx *ctx, const struct request *req,
    struct response *r, int json)
{
	char	 text[128];

	response_headerf(r, "Retry-After", "%d", UNAVAILABLE_RETRY);
	if (json)
		return json_error(r, 503, "unavailable");
	page_retry_text(text, sizeof(text), "The service is not available "
	    "right now.", UNAVAILABLE_RETRY);
	return page_error(ctx, req, r, 503, text);
}

/*
 * 401 for a request without valid credentials. The challenge names what
 * the site takes (RFC 9110 section 15.5.2 wants one): Bearer, with
 * error="invalid_token" when a token was presented and failed (RFC 6750
 * section 3.1), or a form login, a scheme browsers ignore. As JSON or
 * as a page.
 */
int
respond_unauthenticated(struct ctx *ctx, const struct request *req,
    struct response *r, int bad_token, int json)
{
	if (ctx->cfg->mode & AUTH_MODE_BEARER)
		response_header(r, "WWW-Authenticate", bad_token ?
		    "Bearer realm=\"gatehouse\", error=\"invalid_token\"" :
		    "Bearer realm=\"gatehouse\"");
	else
		response_header(r, "WWW-Authenticate",
		    "FormBased realm=\"gatehouse\"");
	if (json)
		return json_error(r, 401, bad_token ? "invalid_token" :
		    "unauthenticated");
	return page_error(ctx, req, r, 401, bad_token ? "The access token "
	    "is not valid." : "You are not logged in, or your session has "
	    "ended. Please log in first.");
}

/*
 * For the forms a logged-in user sends from a page ("route" names it in
 * the log): an url-encoded body, the form's CSRF token, then a live
 * session. Returns 1 with "s" filled (freed with session_clear);
 * otherwise the 415, 403, 401 or 503 answer is made, and what making it
 * returned (0 or -1).
 */
int
respond_unless_session_form(struct ctx *ctx, const struct request *req,
    struct response *r, const char *route, struct session *s)
{
	int	 rc;

	if (!req->form_present) {
		log_info("%s: refused: not a url-encoded form", route);
		response_header(r, "Accept-Post",
		    "application/x-www-form-urlencoded");
		return page_error(ctx, req, r, 415, "The form must be sent as "
		    "application/x-www-form-urlencoded.");
	}
	/* Another site's form, or a stale one, changes nothing. */
	if ((rc = csrf_check(ctx, req)) != 1) {
		if (rc == -1)
			return respond_unavailable(ctx, req, r, 0);
		return page_error(ctx, req, r, 403, "The form had expired or "
		    "came from another site. Go back, reload the page and try "
		    "again.");
	}
	switch (auth_session(ctx, req, s)) {
	case AUTH_OK:
		return 1;
	case AUTH_UNAVAILABLE:
		return respond_unavailable(ctx, req, r, 0);
	default:
		return respond_unauthenticated(ctx, req, r, 0, 0);
	}
}

/*
 * For the JSON routes that answer only to someone: who the request is.
 * Returns 1 with "p" filled (freed with principal_clear); otherwise the
 * 401 or 503 answer is made, and what making it returned (0 or -1).
 */
int
respond_unless_known(struct ctx *ctx, const struct request *req,
    struct response *r, struct principal *p)
{
	int	 bad;

	switch (auth_request(ctx, req, p, &bad)) {
	case AUTH_OK:
		return 1;
	case AUTH_UNAVAILABLE:
		return respond_unavailable(ctx, req, r, 1);
	default:
		return respond_unauthenticated(ctx, req, r, bad, 1);
	}
}

/*
 * Where to send the browser after login: "next" when it is a safe path on
 * this site (see redirect.c), else the configured after_login, else the
 * mount's /private/. The caller frees it; NULL when out of memory.
 */
char *
after_login_target(const struct request *req, const struct config *cfg,
    const char *next)
{
	if (next != NULL && *next != '\0') {
		if (redirect_target_ok(next))
			return strdup(next);
		log_info("redirect: refused an unsafe next target");
	}
	if (cfg->after_login != NULL)
		return strdup(cfg->after_login);
	return site_path(req, "/private/");
}
