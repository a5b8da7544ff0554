/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Fuzz target: the whole request path (app_handle), as the FastCGI and
 * CGI fronts drive it: the input's "NAME=value" lines are the server's
 * parameters and what follows the empty line is the body (see
 * fuzz_request_split), against a real SQLite store (fuzz_site_open).
 *
 * So that inputs get past the checks a fuzzer cannot guess, two
 * markers are replaced before the request is sent: "@csrf@" in the body
 * by the CSRF token for the cookies the request sends (as a browser
 * sends a form it was given), "@access@" anywhere by an access token of
 * alice's; alice's session cookie is FUZZ_SESSION itself.
 *
 * Beyond not crashing, every answer must be well-formed CGI: a status
 * line, header lines that cannot split (no CR or LF inside), the
 * security headers once each, and a Content-Length that is the body's.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gatehouse.h"
#include "fuzz.h"

struct body_source {
	const char	*p;
	size_t		 left;
};

static struct fuzz_site	 site;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_site_open(&site);
	return 0;
}

static int
read_body(void *arg, char *out, size_t n)
{
	struct body_source	*b = arg;

	if (n > b->left)
		n = b->left;
	if (n > 4096)
		n = 4096;	/* a few reads, as from a socket */
	memcpy(out, b->p, n);
	b->p += n;
	b->left -= n;
	return (int)n;
}

/* The CSRF token the request's cookies call for, or "" if none. */
static char *
csrf_for(char *const *envp)
{
	struct request	 req;
	struct response	 r;
	struct buf	 tok;
	const char	*cookie = env_get(envp, "HTTP_COOKIE");
	char		*env[3] = { "REQUEST_METHOD=GET", NULL, NULL };

	buf_init(&tok);
	if (cookie != NULL && asprintf(&env[1], "HTTP_COOKIE=%s", cookie) ==
	    -1)
		fuzz_fail(__FILE__, __LINE__, "asprintf");
	if (request_parse(&req, env, NULL, 0) == 0) {
		response_init(&r);
		if (csrf_token(&site.ctx, &req, &r, &tok) == -1)
			buf_reset(&tok);
		response_free(&r);
	}
	request_free(&req);
	free(env[1]);
	buf_add(&tok, "", 0);
	return buf_steal(&tok);
}

static int
count_header(const char *head, const char *name)
{
	const char	*p;
	size_t		 len = strlen(name);
	int		 n = 0;

	for (p = head; p != NULL && *p != '\0'; p = strstr(p, "\r\n")) {
		if (p != head)
			p += 2;
		if (strncasecmp(p, name, len) == 0 && p[len] == ':')
			n++;
	}
	return n;
}

static void
check_answer(const struct buf *out, int head_only, int authorizer)
{
	const char	*end, *line, *eol, *cl;
	char		*head;
	int		 status;
	size_t		 bodylen, sent;

	FUZZ_CHECK(out->len > 8 && strncmp(out->data, "Status: ", 8) == 0);
	status = atoi(out->data + 8);
	FUZZ_CHECK(status >= 200 && status <= 599);
	end = strstr(out->data, "\r\n\r\n");
	FUZZ_CHECK(end != NULL);
	head = fuzz_string((const uint8_t *)out->data,
	    (size_t)(end - out->data) + 2);

	/* Each header line "Name: value", no CR or LF inside. */
	line = strstr(head, "\r\n") + 2;
	for (; *line != '\0'; line = eol + 2) {
		eol = strstr(line, "\r\n");
		FUZZ_CHECK(eol != NULL);
		FUZZ_CHECK(memchr(line, '\n', (size_t)(eol - line)) == NULL);
		FUZZ_CHECK(memchr(line, '\r', (size_t)(eol - line)) == NULL);
		FUZZ_CHECK(strcspn(line, ":") < (size_t)(eol - line));
		FUZZ_CHECK(line[strcspn(line, ":") + 1] == ' ');
	}
	if (!authorizer || status != 200) {
		FUZZ_CHECK(count_header(head, "X-Frame-Options") == 1);
		FUZZ_CHECK(count_header(head, "X-Content-Type-Options") == 1);
		FUZZ_CHECK(count_header(head, "Content-Security-Policy") ==
		    1);
		FUZZ_CHECK(count_header(head, "Cache-Control") == 1);
	}
	FUZZ_CHECK(count_header(head, "Content-Length") == 1);
	cl = strcasestr(head, "\r\nContent-Length: ");
	FUZZ_CHECK(cl != NULL);
	bodylen = (size_t)strtoull(cl + 18, NULL, 10);
	/* HEAD gets the length without the body. */
	sent = out->len - (size_t)(end + 4 - out->data);
	FUZZ_CHECK(sent == bodylen || (head_only && sent == 0));
	free(head);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_request	 in;
	struct body_source	 src;
	struct buf		 out;
	const char		*method, *role;
	char			*token, *body, *param, num[32];
	size_t			 i, len, bodylen;

	fuzz_site_session(&site);
	fuzz_request_split(data, size, &in);
	token = csrf_for(in.envp);
	param = fuzz_replace(in.body, in.bodylen, "@csrf@", token, &len);
	body = fuzz_replace(param, len, "@access@", site.access, &bodylen);
	free(param);
	free(token);
	for (i = 0; i < in.n; i++) {
		param = fuzz_replace(in.envp[i], strlen(in.envp[i]),
		    "@access@", site.access, &len);
		free(in.envp[i]);
		in.envp[i] = param;
	}
	/* The body's true length, unless the input sent its own. */
	snprintf(num, sizeof(num), "CONTENT_LENGTH=%zu", bodylen);
	fuzz_request_add(&in, num);

	src.p = body;
	src.left = bodylen;
	buf_init(&out);
	FUZZ_CHECK(app_handle(&site.ctx, in.envp, read_body, &src, &out) ==
	    0);
	method = env_get(in.envp, "REQUEST_METHOD");
	role = env_get(in.envp, "FCGI_ROLE");
	check_answer(&out, method != NULL && strcmp(method, "HEAD") == 0,
	    role != NULL && strcmp(role, "AUTHORIZER") == 0);
	buf_free(&out);
	free(body);
	fuzz_request_free(&in);
	return 0;
}
