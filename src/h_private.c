/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * GET /private/...: files from the private directory, served only to a
 * live session. Anyone else is sent to the login page, with a "next"
 * that brings them back after logging in.
 *
 * HTML files are templates: {{user}} shows who is logged in, {{base}}
 * is the mount point, for the logout form's action, and {{static}} where
 * the stylesheet is. Other files are sent as
 * they are, except the source of server-side programs (config.php),
 * which is never sent. The private directory should lie outside the web
 * server's document root, or the server would serve it without asking
 * us.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gatehouse.h"

#define PRIVATE_FILE_MAX	(16 * 1024 * 1024)

static int	 to_login(const struct request *, struct response *);
static const char *extension(const char *);
static int	 program_source(const char *);
static int	 safe_relative(const char *);
static const char *content_type(const char *);
static int	 send_file(const struct request *, struct ctx *,
		    struct response *, const struct principal *,
		    const char *);

/* Types by file name extension; anything else is a download. */
static const struct {
	const char	*ext;
	const char	*type;
} types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".htm", "text/html; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".json", "application/json" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
	{ ".jpeg", "image/jpeg" },
	{ ".gif", "image/gif" },
	{ ".webp", "image/webp" },
	{ ".ico", "image/vnd.microsoft.icon" },
	{ ".pdf", "application/pdf" },
	{ ".woff2", "font/woff2" },
};

/*
 * The extension of "path": from its last '.' on, or "" when it has none
 * or starts with it. Every extension in the tables here holds one '.',
 * its first character, so comparing it with this is comparing it with
 * the end of the path, at one string comparison per entry, not two.
 */
static const char *
extension(const char *path)
{
	const char	*dot = strrchr(path, '.');

	return dot == NULL || dot == path ? "" : dot;
}

static const char *
content_type(const char *path)
{
	const char	*ext = extension(path);
	size_t		 i;

	for (i = 0; *ext != '\0' && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(ext, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/*
 * Server-side programs, whose source a web server would never send:
 * Gatehouse does not run them, and sending one could give away what it
 * holds (a database password in config.php). Editors' backups of them
 * ("config.php~") too. The way to guard programs is the authorizer.
 */
static const char *const program_exts[] = {
	".php", ".php3", ".php4", ".php5", ".php7", ".php8", ".phtml",
	".phar", ".inc", ".cgi", ".fcgi", ".pl", ".pm", ".py", ".rb", ".sh",
	".asp", ".aspx", ".jsp",
};

static int
program_source(const char *path)
{
	const char	*ext = extension(path);
	size_t		 i, len = strlen(path);

	if (len > 0 && path[len - 1] == '~')
		return 1;
	for (i = 0; *ext != '\0' &&
	    i < sizeof(program_exts) / sizeof(program_exts[0]); i++)
		if (strcasecmp(ext, program_exts[i]) == 0)
			return 1;
	return 0;
}

/*
 * Is "rel" (what follows /private) a path we may open below the private
 * directory? Every segment must be non-empty and must not start with
 * '.', which rules out "..", "." and hidden files alike. 1 or 0.
 */
static int
safe_relative(const char *rel)
{
	const char	*p = rel;

	while (*p == '/') {
		p++;
		if (*p == '/' || *p == '.')
			return 0;
		p += strcspn(p, "/");
	}
	return *p == '\0';
}

/* 303 to the login page, with "next" pointing back here. */
static int
to_login(const struct request *req, struct response *r)
{
	struct buf	 here, url;
	int		 rc;

	buf_init(&here);
	buf_init(&url);
	/*
	 * The address the browser asked for, when the server says so: an
	 * .htaccess rewrite of /members/x to the CGI's /private/x leaves
	 * it in REQUEST_URI, and that is where the user expects to land.
	 */
	if (redirect_target_ok(req->uri))
		buf_adds(&here, req->uri);
	else {
		url_encode(&here, req->prefix);
		url_encode(&here, req->path);
		if (req->query_string[0] != '\0')
			buf_printf(&here, "?%s", req->query_string);
	}
	buf_printf(&url, "%s/login?next=", req->prefix);
	if (!here.oom)
		url_encode(&url, here.data);
	rc = here.oom || url.oom ? -1 : response_redirect(r, 303, url.data);
	buf_free(&here);
	buf_free(&url);
	return rc;
}

/* Send the file at "file" for the request's path. */
static int
send_file(const struct request *req, struct ctx *ctx, struct response *r,
    const struct principal *s, const char *file)
{
	const char	*type = content_type(file);
	struct tvar	 var;
	struct buf	 text;
	char		*dir;
	int		 rc;

	buf_init(&text);
	if (file_read_cached(file, PRIVATE_FILE_MAX, ctx->now, &text) == -1) {
		if (errno == ENOENT || errno == ENOTDIR ||
		    errno == ENAMETOOLONG)
			return page_error(ctx, req, r, 404, "There is no such "
			    "page.");
		if (errno == ELOOP) {
			/* O_NOFOLLOW: a symbolic link as the last part. */
			log_info("private: refused a symbolic link: %s", file);
			return page_error(ctx, req, r, 404, "There is no such "
			    "page.");
		}
		if (errno == EISDIR) {
			/*
			 * A folder: on to its index, at the address the
			 * browser asked for (see to_login) when we have it.
			 */
			if (redirect_target_ok(req->uri))
				rc = asprintf(&dir, "%.*s/%s",
				    (int)strcspn(req->uri, "?"), req->uri,
				    req->uri + strcspn(req->uri, "?"));
			else
				rc = asprintf(&dir, "%s%s/", req->prefix,
				    req->path);
			if (rc == -1)
				return -1;
			rc = response_redirect(r, 303, dir);
			free(dir);
			return rc;
		}
		log_warn("private: %s", file);
		return -1;
	}

	response_header_const(r, "Content-Type", type);
	if (strncmp(type, "text/html", 9) == 0) {
		var.name = "user";
		var.value = s->user;
		rc = page_fill(ctx, req, r, &text, &var, 1);
	} else
		rc = buf_add(&r->body, text.data, text.len);
	buf_free(&text);
	return rc == -1 || r->body.oom ? -1 : 0;
}

int
h_private(const struct request *req, struct ctx *ctx, struct response *r)
{
	const char		*rel = req->path + strlen("/private");
	struct principal	 s;
	char			 file[PATH_MAX], *dir;
	int			 rc, len, bad;

	rc = auth_request(ctx, req, &s, &bad);
	if (rc == AUTH_UNAVAILABLE)
		return respond_unavailable(ctx, req, r, 0);
	/* A browser goes to the login page; a failed token gets 401. */
	if (rc == AUTH_NONE && (bad || !(ctx->cfg->mode & AUTH_MODE_COOKIE)))
		return respond_unauthenticated(ctx, req, r, bad, 0);
	if (rc == AUTH_NONE)
		return to_login(req, r);

	if (*rel == '\0') {
		/* Relative links in the index need the trailing slash. */
		principal_clear(&s);
		if ((dir = site_path(req, "/private/")) == NULL)
			return -1;
		rc = response_redirect(r, 303, dir);
		free(dir);
		return rc;
	}
	if (!safe_relative(rel)) {
		principal_clear(&s);
		log_info("private: refused path %s", req->path);
		return page_error(ctx, req, r, 404, "There is no such page.");
	}
	if (program_source(rel)) {
		principal_clear(&s);
		log_info("private: refused a program's source: %s", req->path);
		return page_error(ctx, req, r, 404, "There is no such page.");
	}
	len = snprintf(file, sizeof(file), "%s%s%s", ctx->cfg->private_dir,
	    rel, rel[strlen(rel) - 1] == '/' ? "index.html" : "");
	if (len < 0 || (size_t)len >= sizeof(file))
		rc = page_error(ctx, req, r, 404, "There is no such page.");
	else
		rc = send_file(req, ctx, r, &s, file);
	principal_clear(&s);
	return rc;
}
