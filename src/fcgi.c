/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * The front: the only file that knows libfcgi. It accepts requests and
 * moves bytes between the web server and app_handle, nothing more.
 *
 * Requests are taken with FCGX_Accept_r and explicit streams, never with
 * fcgi_stdio's FCGI_Accept, which swaps "environ" for each request's
 * parameters: after that, getenv would read values the client chose.
 * Settings from the environment are read once in main, before the first
 * accept. A program started as plain CGI gets one request from environ
 * and stdin and exits; FCGX_Accept_r would fail at once there.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "gatehouse.h"

extern char	**environ;

static int	 fcgi_read(void *, char *, size_t);
static int	 stdin_read(void *, char *, size_t);
static int	 write_all(int, const char *, size_t);

/* When not even app_handle could answer (out of memory). */
static const char fallback[] = "Status: 500 Internal Server Error\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n"
    "X-Frame-Options: DENY\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "Referrer-Policy: no-referrer\r\n"
    "Cache-Control: no-store\r\n\r\n"
    "500 Internal Server Error\n";

static int
fcgi_read(void *arg, char *p, size_t n)
{
	FCGX_Request	*fr = arg;

	return FCGX_GetStr(p, n > INT_MAX ? INT_MAX : (int)n, fr->in);
}

/* Serve FastCGI requests until the server closes the socket. */
int
fcgi_serve(struct ctx *ctx)
{
	FCGX_Request	 fr;
	struct buf	 out;
	int		 rc;

	if (FCGX_Init() != 0 || FCGX_InitRequest(&fr, 0, 0) != 0) {
		log_warnx("fcgi: cannot initialise libfcgi");
		return -1;
	}
	buf_init(&out);
	while ((rc = FCGX_Accept_r(&fr)) >= 0) {
		ctx->now = (int64_t)time(NULL);
		buf_reset(&out);
		if (app_handle(ctx, fr.envp, fcgi_read, &fr, &out) == 0)
			FCGX_PutStr(out.data, (int)out.len, fr.out);
		else
			FCGX_PutS(fallback, fr.out);
		FCGX_Finish_r(&fr);
	}
	buf_free(&out);
	log_debug("fcgi: accept returned %d, exiting", rc);
	return 0;
}

static int
stdin_read(void *arg, char *p, size_t n)
{
	ssize_t	 got;

	(void)arg;
	do
		got = read(STDIN_FILENO, p, n > INT_MAX ? INT_MAX : n);
	while (got == -1 && errno == EINTR);
	return (int)got;
}

static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Serve the one request of a plain CGI run. */
int
cgi_serve(struct ctx *ctx)
{
	struct buf	 out;
	int		 rc;

	buf_init(&out);
	ctx->now = (int64_t)time(NULL);
	if (app_handle(ctx, environ, stdin_read, NULL, &out) == 0)
		rc = write_all(STDOUT_FILENO, out.data, out.len);
	else
		rc = write_all(STDOUT_FILENO, fallback, sizeof(fallback) - 1);
	buf_free(&out);
	return rc;
}
