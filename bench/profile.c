/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * profile: the request path in one process, for callgrind. The machines
 * the benchmark runs on are shared and noisy; an instruction count is
 * not, so changes to the hot path are judged by this first.
 *
 *	profile CONFIG HEADERS PATH N
 *
 * sends N GET requests for PATH to app_handle, with the parameters
 * lighttpd sends and, in turn, each "Name: value" line of the file
 * HEADERS (a pool bench_prep wrote). A first pass over the pool, not
 * measured, warms what a worker keeps between requests; the N requests
 * are made by measured(), for callgrind's --toggle-collect. Every answer
 * must be a 200, or the count would be of some other path.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gatehouse.h"
#include "store.h"

#define POOL_MAX	100000

static void	 die(const char *) GH_NORETURN;
static char	*header_param(const char *);
static void	 one(struct ctx *, char *const *, struct buf *);
static void	 measured(struct ctx *, char **, size_t, long,
		    struct buf *) __attribute__((noinline));

/* Parameters lighttpd 1.4 sends a FastCGI responder at /gh. */
static char *fixed[] = {
	"FCGI_ROLE=RESPONDER",
	"SERVER_SOFTWARE=lighttpd/1.4.69",
	"SERVER_NAME=127.0.0.1",
	"GATEWAY_INTERFACE=CGI/1.1",
	"REQUEST_SCHEME=http",
	"SERVER_PORT=18080",
	"SERVER_ADDR=127.0.0.1",
	"REMOTE_PORT=51234",
	"REMOTE_ADDR=127.0.0.1",
	"SCRIPT_NAME=/gh",
	"SCRIPT_FILENAME=/tmp/docroot/gh",
	"DOCUMENT_ROOT=/tmp/docroot",
	"QUERY_STRING=",
	"REQUEST_METHOD=GET",
	"REDIRECT_STATUS=200",
	"SERVER_PROTOCOL=HTTP/1.1",
	"HTTP_HOST=127.0.0.1:18080",
};
#define NFIXED	(sizeof(fixed) / sizeof(fixed[0]))

static void
die(const char *what)
{
	fprintf(stderr, "profile: %s\n", what);
	exit(1);
}

/* "Cookie: x=y" as the parameter "HTTP_COOKIE=x=y". */
static char *
header_param(const char *line)
{
	const char	*colon = strchr(line, ':'), *v;
	char		*p, *q;

	if (colon == NULL)
		die("a header line without a colon");
	for (v = colon + 1; *v == ' '; v++)
		;
	if ((p = malloc(5 + (size_t)(colon - line) + 1 + strlen(v) + 1)) ==
	    NULL)
		die("out of memory");
	q = p + sprintf(p, "HTTP_");
	for (; line < colon; line++)
		*q++ = *line == '-' ? '_' : (char)toupper((unsigned char)*line);
	sprintf(q, "=%s", v);
	return p;
}

static void
one(struct ctx *ctx, char *const *envp, struct buf *out)
{
	buf_reset(out);
	ctx->now = (int64_t)time(NULL);
	if (app_handle(ctx, envp, NULL, NULL, out) == -1 ||
	    strncmp(out->data, "Status: 200", 11) != 0)
		die(out->len > 0 ? out->data : "no answer");
}

static void
measured(struct ctx *ctx, char **envp, size_t n, long count,
    struct buf *out)
{
	long	 i;

	for (i = 0; i < count; i++) {
		envp[NFIXED + 2] = envp[NFIXED + 4 + (size_t)i % n];
		one(ctx, envp, out);
	}
}

int
main(int argc, char *argv[])
{
	struct config	 cfg;
	struct ctx	 ctx;
	struct buf	 out;
	char		**envp, line[8192];
	size_t		 n = 0, i;
	long		 count;
	FILE		*f;

	if (argc != 5)
		die("usage: profile CONFIG HEADERS PATH N");
	count = atol(argv[4]);
	log_init("profile", LOG_LEVEL_WARN);
	config_defaults(&cfg);
	if (config_load(argv[1], &cfg) == -1)
		return 1;
	memset(&ctx, 0, sizeof(ctx));
	ctx.cfg = &cfg;

	/* fixed, PATH_INFO, REQUEST_URI, the header, NULL; then the pool. */
	if ((envp = calloc(NFIXED + 4 + POOL_MAX, sizeof(*envp))) == NULL)
		die("out of memory");
	memcpy(envp, fixed, sizeof(fixed));
	if (asprintf(&envp[NFIXED], "PATH_INFO=%s", argv[3]) == -1 ||
	    asprintf(&envp[NFIXED + 1], "REQUEST_URI=/gh%s", argv[3]) == -1)
		die("out of memory");
	if ((f = fopen(argv[2], "r")) == NULL)
		die(argv[2]);
	while (n < POOL_MAX && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		envp[NFIXED + 4 + n++] = header_param(line);
	}
	fclose(f);
	if (n == 0)
		die("no headers");
	buf_init(&out);
	for (i = 0; i < n; i++) {
		envp[NFIXED + 2] = envp[NFIXED + 4 + i];
		one(&ctx, envp, &out);
	}
	measured(&ctx, envp, n, count, &out);
	fwrite(out.data, 1, out.len, stdout);

	buf_free(&out);
	token_keys_free(&ctx);
	ctx_secrets_free(&ctx);
	store_close(ctx.store);
	config_free(&cfg);
	return 0;
}
