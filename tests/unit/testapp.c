/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Driving app_handle as a web server would, for the handler tests: one
 * request in, the CGI answer out and split into status, headers and
 * body, and the checks every answer must pass.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gatehouse.h"
#include "testapp.h"

struct body_source {
	const char	*p;
	size_t		 left;
};

static int
read_string(void *arg, char *out, size_t n)
{
	struct body_source	*b = arg;

	if (n > b->left)
		n = b->left;
	memcpy(out, b->p, n);
	b->p += n;
	b->left -= n;
	return (int)n;
}

int	 testapp_raw_forms;

/*
 * The CSRF nonce cookie ("name=value") of the one browser the tests
 * play: made by the first page that needed it, and sent on from then
 * on, as a browser keeps its cookies.
 */
const char *
app_nonce_cookie(struct ctx *ctx)
{
	static char	 pair[128];
	struct request	 req;
	struct response	 r;
	struct buf	 token;
	char		*env[] = { "REQUEST_METHOD=GET", NULL };
	const char	*set;

	if (pair[0] != '\0')
		return pair;
	assert_int_equal(request_parse(&req, env, NULL, 0), 0);
	response_init(&r);
	buf_init(&token);
	assert_int_equal(csrf_token(ctx, &req, &r, &token), 0);
	assert_non_null(set = response_get_header(&r, "Set-Cookie"));
	assert_true(strcspn(set, ";") < sizeof(pair));
	memcpy(pair, set, strcspn(set, ";"));
	buf_free(&token);
	response_free(&r);
	request_free(&req);
	return pair;
}

/*
 * What that browser sends with a form it was given: "body" with the
 * form's csrf field added, and "cookie" with the nonce cookie added.
 * Both results are the caller's to free.
 */
void
app_csrf(struct ctx *ctx, const char *cookie, const char *body,
    char **cookie_out, char **body_out)
{
	struct request	 req;
	struct response	 r;
	struct buf	 token;
	char		*env[3] = { "REQUEST_METHOD=GET", NULL, NULL };
	const char	*nonce = app_nonce_cookie(ctx);

	assert_int_not_equal(asprintf(cookie_out, "%s%s%s",
	    cookie == NULL ? "" : cookie, cookie == NULL ? "" : "; ", nonce),
	    -1);
	assert_int_not_equal(asprintf(&env[1], "HTTP_COOKIE=%s",
	    *cookie_out), -1);
	assert_int_equal(request_parse(&req, env, NULL, 0), 0);
	response_init(&r);
	buf_init(&token);
	assert_int_equal(csrf_token(ctx, &req, &r, &token), 0);
	assert_int_equal(token.len, CSRF_TOKEN_LEN);
	/* The browser had its nonce: no new cookie. */
	assert_null(response_get_header(&r, "Set-Cookie"));
	assert_int_not_equal(asprintf(body_out, "%s%scsrf=%s",
	    body == NULL ? "" : body, body == NULL || *body == '\0' ? "" :
	    "&", token.data), -1);
	buf_free(&token);
	response_free(&r);
	request_free(&req);
	free(env[1]);
}

void
answer_free(struct answer *a)
{
	free(a->head);
	free(a->body);
	memset(a, 0, sizeof(*a));
}

/*
 * Send one request. "env" is a NULL-terminated list of extra NAME=value
 * parameters (may be NULL); a body sets CONTENT_LENGTH and the url-encoded
 * content type unless "env" sets one. A url-encoded POST goes as a
 * browser sends a form it was given, with its CSRF token and cookie
 * (app_csrf), unless testapp_raw_forms is set.
 */
void
app_send(struct ctx *ctx, struct answer *a, const char *method,
    const char *path, const char *cookie, const char *body,
    const char *const *env)
{
	char			*envp[32], *p, *sep, *fcookie = NULL;
	char			*fbody = NULL;
	struct body_source	 src;
	struct buf		 out, head;
	size_t			 n = 0, i;
	int			 have_type = 0;

	memset(a, 0, sizeof(*a));
	for (i = 0; env != NULL && env[i] != NULL; i++)
		if (strncmp(env[i], "CONTENT_TYPE=", 13) == 0)
			have_type = 1;
	if (!testapp_raw_forms && body != NULL && !have_type &&
	    strcmp(method, "POST") == 0) {
		app_csrf(ctx, cookie, body, &fcookie, &fbody);
		cookie = fcookie;
		body = fbody;
	}
	have_type = 0;
	assert_int_not_equal(asprintf(&envp[n++], "REQUEST_METHOD=%s", method),
	    -1);
	if (env != NULL)
		for (i = 0; env[i] != NULL; i++) {
			envp[n++] = strdup(env[i]);
			if (strncmp(env[i], "CONTENT_TYPE=", 13) == 0)
				have_type = 1;
		}
	/* After "env": its SCRIPT_NAME or CONTENT_LENGTH come first. */
	envp[n++] = strdup("REMOTE_ADDR=192.0.2.7");
	if (path != NULL)
		assert_int_not_equal(asprintf(&envp[n++], "PATH_INFO=%s",
		    path), -1);
	if (cookie != NULL)
		assert_int_not_equal(asprintf(&envp[n++], "HTTP_COOKIE=%s",
		    cookie), -1);
	if (body != NULL) {
		assert_int_not_equal(asprintf(&envp[n++],
		    "CONTENT_LENGTH=%zu", strlen(body)), -1);
		if (!have_type)
			envp[n++] = strdup("CONTENT_TYPE="
			    "application/x-www-form-urlencoded");
	}
	envp[n] = NULL;

	src.p = body == NULL ? "" : body;
	src.left = strlen(src.p);
	buf_init(&out);
	assert_int_equal(app_handle(ctx, envp, read_string, &src, &out),
	    0);
	for (i = 0; i < n; i++)
		free(envp[i]);
	free(fcookie);
	free(fbody);

	/* "Status: NNN reason\r\n" headers "\r\n" body */
	assert_non_null(out.data);
	assert_int_equal(strncmp(out.data, "Status: ", 8), 0);
	a->status = atoi(out.data + 8);
	p = strstr(out.data, "\r\n\r\n");
	assert_non_null(p);
	buf_init(&head);
	for (sep = strstr(out.data, "\r\n") + 2; sep < p + 2;) {
		char *eol = strstr(sep, "\r\n");

		buf_add(&head, sep, (size_t)(eol - sep));
		buf_addc(&head, '\n');
		sep = eol + 2;
	}
	a->head = buf_steal(&head);
	a->bodylen = out.len - (size_t)(p + 4 - out.data);
	a->body = strndup(p + 4, a->bodylen);
	buf_free(&out);
}

/* The value of header "name" (a copy, caller frees), or NULL. */
char *
answer_header(const struct answer *a, const char *name)
{
	size_t	 len = strlen(name);
	char	*p;

	for (p = a->head; *p != '\0'; p = strchr(p, '\n') + 1)
		if (strncasecmp(p, name, len) == 0 && p[len] == ':')
			return strndup(p + len + 2, strcspn(p + len + 2, "\n"));
	return NULL;
}

int
answer_header_count(const struct answer *a, const char *name)
{
	size_t	 len = strlen(name);
	char	*p;
	int	 n = 0;

	for (p = a->head; *p != '\0'; p = strchr(p, '\n') + 1)
		if (strncasecmp(p, name, len) == 0 && p[len] == ':')
			n++;
	return n;
}

void
assert_header(const struct answer *a, const char *name, const char *want)
{
	char	*v = answer_header(a, name);

	if (v == NULL)
		fail_msg("no %s header in:\n%s", name, a->head);
	assert_string_equal(v, want);
	free(v);
}

/*
 * F14: every answer carries the security headers of the default policy,
 * each exactly once, and HSTS only when the request came over HTTPS.
 */
void
assert_security_headers(const struct answer *a, int https)
{
	static const char *const	 want[][2] = {
		{ "Content-Security-Policy", "default-src 'self'; "
		    "base-uri 'none'; form-action 'self'; object-src 'none'; "
		    "frame-ancestors 'none'" },
		{ "X-Frame-Options", "DENY" },
		{ "Cross-Origin-Opener-Policy", "same-origin" },
		{ "Cross-Origin-Resource-Policy", "same-origin" },
		{ "Origin-Agent-Cluster", "?1" },
		{ "Permissions-Policy", "accelerometer=(), camera=(), "
		    "geolocation=(), gyroscope=(), magnetometer=(), "
		    "microphone=(), payment=(), usb=()" },
		{ "Referrer-Policy", "no-referrer" },
		{ "X-Content-Type-Options", "nosniff" },
		{ "X-DNS-Prefetch-Control", "off" },
		{ "X-Download-Options", "noopen" },
		{ "X-Permitted-Cross-Domain-Policies", "none" },
		{ "X-XSS-Protection", "0" },
		{ "Cache-Control", "no-store" },
	};
	size_t				 i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_header(a, want[i][0], want[i][1]);
		assert_int_equal(answer_header_count(a, want[i][0]), 1);
	}
	if (https)
		assert_header(a, "Strict-Transport-Security",
		    "max-age=31536000");
	assert_int_equal(answer_header_count(a, "Strict-Transport-Security"),
	    https ? 1 : 0);
}

