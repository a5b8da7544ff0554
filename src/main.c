/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * gatehouse: the FastCGI (or plain CGI) login application. Start-up
 * reads the configuration and, in FastCGI mode, opens the database, then
 * hands over to the front in fcgi.c. Everything that can stop the program
 * happens here, before the first request.
 */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <fcgiapp.h>

#include "gatehouse.h"
#include "store.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR	"/usr/local/etc"
#endif

#define WORKERS_MAX	64

static void	 usage(FILE *, int) GH_NORETURN;
static int	 serve_worker(void *);

static void
usage(FILE *f, int status)
{
	fprintf(f, "usage: gatehouse [-atV] [-c file] [-w workers]\n"
	    "  -a, --authorizer-only  FastCGI: serve only as an authorizer\n"
	    "  -c, --config FILE      configuration file (default: "
	    "$GATEHOUSE_CONFIG,\n"
	    "                         else " SYSCONFDIR "/gatehouse.conf)\n"
	    "  -t, --check            check the configuration, pages and "
	    "database,\n"
	    "                         then exit\n"
	    "  -w, --workers N        FastCGI: answer in N processes (1 to "
	    "%d; default 1)\n"
	    "  -V, --version          print the version and exit\n"
	    "Run by a web server as a FastCGI or CGI program; see "
	    "gatehouse(8).\n", WORKERS_MAX);
	exit(status);
}

/*
 * One FastCGI process, alone or in a pool (see workers.c): its own
 * database connection, opened and checked before the first request, so
 * that a damaged file is reported at start with what to do. It serves
 * on regardless: pages that are whole still answer, the rest are 503.
 */
static int
serve_worker(void *arg)
{
	struct ctx	*ctx = arg;
	struct store	*st;

	if ((st = ctx_store(ctx)) != NULL)
		(void)store_check(st);
	return fcgi_serve(ctx);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "authorizer-only", no_argument, NULL, 'a' },
		{ "config", required_argument, NULL, 'c' },
		{ "check", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "workers", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	struct config	 cfg;
	struct ctx	 ctx;
	const char	*file = NULL;
	char		*end;
	long		 workers = 1;
	int		 ch, check = 0, authorizer_only = 0, rc;

	while ((ch = getopt_long(argc, argv, "ac:thVw:", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'a':
			authorizer_only = 1;
			break;
		case 'c':
			file = optarg;
			break;
		case 't':
			check = 1;
			break;
		case 'h':
			usage(stdout, 0);
		case 'V':
			printf("gatehouse %s\n", PACKAGE_VERSION);
			return 0;
		case 'w':
			workers = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || workers < 1 ||
			    workers > WORKERS_MAX) {
				fprintf(stderr, "gatehouse: -w takes a number "
				    "from 1 to %d\n", WORKERS_MAX);
				return 2;
			}
			break;
		default:
			usage(stderr, 2);
		}
	}
	if (optind != argc)
		usage(stderr, 2);

	/* Before any accept: the environment is still our own here. */
	if (file == NULL)
		file = getenv("GATEHOUSE_CONFIG");
	if (file == NULL)
		file = SYSCONFDIR "/gatehouse.conf";

	config_defaults(&cfg);
	if (config_load(file, &cfg) == -1) {
		fprintf(stderr, "gatehouse: stopped: fix the configuration\n");
		config_free(&cfg);
		return 1;
	}
	log_init("gatehouse", cfg.log_level);
	umask(027);
	signal(SIGPIPE, SIG_IGN);

	memset(&ctx, 0, sizeof(ctx));
	ctx.cfg = &cfg;
	ctx.authorizer_only = authorizer_only;
	if (check) {
		rc = pages_check(&cfg) == 0 ? 0 : 1;
		if (ctx_store(&ctx) == NULL || store_check(ctx.store) !=
		    STORE_OK || ((cfg.mode & AUTH_MODE_COOKIE) &&
		    secrets_check(cfg.secrets_file) == -1))
			rc = 1;
		else if ((cfg.mode & AUTH_MODE_BEARER) &&
		    (token_keys(&ctx) == -1 || ctx.keys.active == NULL)) {
			fprintf(stderr, "gatehouse: tokens are on, but there is "
			    "no readable active signing key (gatehouse-admin "
			    "key generate)\n");
			rc = 1;
		}
		if (rc == 0)
			printf("%s: configuration, pages%s and database are "
			    "fine\n", file, cfg.mode & AUTH_MODE_BEARER ?
			    ", signing keys" : "");
	} else if (FCGX_IsCGI()) {
		/* One request: open the store only if it needs it. */
		rc = cgi_serve(&ctx) == 0 ? 0 : 1;
	} else if (workers > 1) {
		/* Forked before the store is opened: one connection each. */
		rc = workers_run((int)workers, serve_worker, &ctx) == 0 ? 0 : 1;
	} else {
		/* A failure is logged; each request tries again. */
		rc = serve_worker(&ctx) == 0 ? 0 : 1;
	}
	token_keys_free(&ctx);
	ctx_secrets_free(&ctx);
	store_close(ctx.store);
	config_free(&cfg);
	return rc;
}
