/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Fuzz target: the configuration file (config_load, through inih). The
 * input is written to a file in a private temporary directory and
 * loaded from there. Beyond not crashing (and freeing all it took, as
 * the leak checker sees): a file that loads gives a configuration that
 * keeps the rules config.c promises, so no later code meets a value it
 * does not expect.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gatehouse.h"
#include "fuzz.h"

static char	*dir;

static void
cleanup(void)
{
	char	*path;

	if (asprintf(&path, "%s/gatehouse.conf", dir) != -1) {
		unlink(path);
		free(path);
	}
	rmdir(dir);
	free(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	dir = fuzz_tempdir();
	atexit(cleanup);
	return 0;
}

static void
check_loaded(const struct config *cfg)
{
	FUZZ_CHECK(cfg->db_path != NULL && cfg->db_path[0] == '/');
	FUZZ_CHECK(cfg->keys_dir != NULL && cfg->secrets_file != NULL);
	FUZZ_CHECK(cookie_name_valid(cfg->cookie_name));
	FUZZ_CHECK(cookie_name_valid(cfg->csrf_cookie_name));
	FUZZ_CHECK(cookie_name_valid(cfg->access_cookie_name));
	FUZZ_CHECK(cookie_path_valid(cfg->cookie_path));
	FUZZ_CHECK(cfg->idle_timeout >= 60 &&
	    cfg->idle_timeout <= cfg->absolute_timeout);
	FUZZ_CHECK(cfg->absolute_timeout <= 366 * 86400);
	FUZZ_CHECK(cfg->touch_interval >= 0 &&
	    cfg->touch_interval < cfg->idle_timeout);
	FUZZ_CHECK(cfg->access_lifetime >= 60 &&
	    cfg->access_lifetime <= cfg->refresh_lifetime);
	FUZZ_CHECK(cfg->refresh_lifetime <= 366 * 86400);
	FUZZ_CHECK(cfg->leeway >= 0 && cfg->leeway <= 300);
	FUZZ_CHECK(kdf_params_valid(&cfg->kdf));
	FUZZ_CHECK(cfg->kdf.log2n >= 10 && cfg->kdf.log2n <= 20);
	FUZZ_CHECK(cfg->mode >= AUTH_MODE_COOKIE &&
	    cfg->mode <= AUTH_MODE_BOTH);
	FUZZ_CHECK(cfg->cookie_same_site >= 0 &&
	    cfg->cookie_same_site < SAME_SITE__MAX);
	FUZZ_CHECK(cfg->log_level >= 0 && cfg->log_level < LOG_LEVEL__MAX);
	FUZZ_CHECK(cfg->max_body >= 256 && cfg->max_body <= 1048576);
	FUZZ_CHECK(cfg->db_busy_ms >= 0 && cfg->db_busy_ms <= 60000);
	/* Where browsers are sent must stay on this site. */
	if (cfg->after_login != NULL)
		FUZZ_CHECK(redirect_target_ok(cfg->after_login));
	if (cfg->login_url != NULL)
		FUZZ_CHECK(redirect_target_ok(cfg->login_url));
	if (cfg->mount != NULL && cfg->mount[0] != '\0')
		FUZZ_CHECK(cfg->mount[strlen(cfg->mount) - 1] != '/');
	/* A __Host- cookie must be Secure with Path=/ (RFC 6265bis). */
	if (strncmp(cfg->cookie_name, "__Host-", 7) == 0)
		FUZZ_CHECK(cfg->cookie_secure &&
		    strcmp(cfg->cookie_path, "/") == 0);
	if (!cfg->cookie_secure)
		FUZZ_CHECK(strncmp(cfg->cookie_name, "__", 2) != 0 ||
		    (strncmp(cfg->cookie_name, "__Host-", 7) != 0 &&
		    strncmp(cfg->cookie_name, "__Secure-", 9) != 0));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	 cfg;
	char		*path;

	path = fuzz_write(dir, "gatehouse.conf", data, size);
	config_defaults(&cfg);
	if (config_load(path, &cfg) == 0)
		check_loaded(&cfg);
	config_free(&cfg);
	free(path);
	return 0;
}
