/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Unit tests for config.c: the defaults a minimal file gets, relative
 * paths, durations, and the one-line message each kind of error prints.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gatehouse.h"
#include "testlib.h"

/* The one setting every file needs, on line 2. */
#define DB	"[database]\npath = /var/db/gatehouse.db\n"

#define MSG_NAME_TAIL	" is not a token (letters, digits, " \
			"!#$%&'*+-.^_`|~) or starts with \"__\" " \
			"(the prefix is added for you)"
#define MSG_PATH	"[session] cookie_path: must start with '/' and " \
			"hold no space, ';' or control character"
#define MSG_AFTER	"[login] after_login: must be a path on this site, " \
			"such as /private/"
#define MSG_STATIC	"[server] static_url: must be empty or a path on " \
			"this site without a trailing slash, such as /app"
#define MSG_SYNTAX	"syntax error (expected [section] or key = value)"

/* Each test gets a directory of its own for its configuration files. */
struct fixture {
	char	*dir;		/* as made */
	char	*real;		/* the same, symbolic links resolved */
	char	*file;		/* "dir"/gatehouse.conf */
};

static int	 setup(void **);
static int	 teardown(void **);
static int	 load(struct fixture *, const char *, struct config *);
static void	 load_ok(struct fixture *, const char *, struct config *);
static char	*load_fail(struct fixture *, const char *);
static void	 expect_error(struct fixture *, const char *, int,
		    const char *);
static void	 expect_value_error(struct fixture *, const char *,
		    const char *);

static int
setup(void **state)
{
	struct fixture	*f;

	assert_non_null(f = calloc(1, sizeof(*f)));
	f->dir = test_tempdir();
	assert_non_null(f->real = realpath(f->dir, NULL));
	assert_int_not_equal(asprintf(&f->file, "%s/gatehouse.conf", f->dir),
	    -1);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	test_rmtree(f->dir);
	free(f->dir);
	free(f->real);
	free(f->file);
	free(f);
	return 0;
}

/* Write "text" as the configuration file and load it into "cfg". */
static int
load(struct fixture *f, const char *text, struct config *cfg)
{
	free(test_write_file(f->dir, "gatehouse.conf", text));
	config_defaults(cfg);
	return config_load(f->file, cfg);
}

/* Load a file that must be accepted, and silently. */
static void
load_ok(struct fixture *f, const char *text, struct config *cfg)
{
	char	*err;
	int	 rc;

	test_stderr_begin();
	rc = load(f, text, cfg);
	err = test_stderr_end();
	assert_string_equal(err, "");
	assert_int_equal(rc, 0);
	free(err);
	assert_string_equal(cfg->file, f->file);
}

/* Load a file that must be refused; returns what went to stderr. */
static char *
load_fail(struct fixture *f, const char *text)
{
	struct config	 cfg;
	char		*err;
	int		 rc;

	test_stderr_begin();
	rc = load(f, text, &cfg);
	err = test_stderr_end();
	config_free(&cfg);
	assert_int_equal(rc, -1);
	return err;
}

/*
 * The file must be refused with exactly one line: "file:LINE: msg" for a
 * line the parser met, "file: msg" when "line" is 0.
 */
static void
expect_error(struct fixture *f, const char *text, int line, const char *msg)
{
	char	*err, *want;

	err = load_fail(f, text);
	if (line > 0)
		assert_int_not_equal(asprintf(&want, "%s:%d: %s\n", f->file,
		    line, msg), -1);
	else
		assert_int_not_equal(asprintf(&want, "%s: %s\n", f->file,
		    msg), -1);
	assert_string_equal(err, want);
	free(want);
	free(err);
}

/*
 * For values checked once the whole file is read: one line, starting
 * with the file's name and ending with "msg" (which names the setting).
 * Whether the line number is there too is test_error_value_line's case.
 */
static void
expect_value_error(struct fixture *f, const char *text, const char *msg)
{
	char	*err, *want;
	size_t	 len, wlen;

	err = load_fail(f, text);
	assert_int_not_equal(asprintf(&want, "%s\n", msg), -1);
	len = strlen(err);
	wlen = strlen(want);
	assert_true(len > wlen);
	assert_string_equal(err + len - wlen, want);
	assert_int_equal(strncmp(err, f->file, strlen(f->file)), 0);
	assert_int_equal(err[strlen(f->file)], ':');
	assert_ptr_equal(strchr(err, '\n'), err + len - 1);
	free(want);
	free(err);
}

/* A file with only [database] path gets the documented defaults. */
static void
test_defaults(void **state)
{
	struct config	 cfg;

	load_ok(*state, DB, &cfg);
	assert_string_equal(cfg.db_path, "/var/db/gatehouse.db");
	assert_int_equal(cfg.db_busy_ms, 5000);
	assert_string_equal(cfg.cookie_name, "__Host-gh_sid");
	assert_string_equal(cfg.cookie_path, "/");
	assert_int_equal(cfg.cookie_secure, 1);
	assert_int_equal(cfg.cookie_same_site, SAME_SITE_LAX);
	assert_int_equal(cfg.idle_timeout, 1800);
	assert_int_equal(cfg.absolute_timeout, 43200);
	assert_int_equal(cfg.touch_interval, 60);
	assert_null(cfg.after_login);
	assert_int_equal(cfg.kdf.log2n, 15);
	assert_int_equal(cfg.kdf.r, 8);
	assert_int_equal(cfg.kdf.p, 1);
	assert_int_equal(cfg.max_body, 16384);
	assert_string_equal(cfg.static_url, "");
	assert_string_equal(cfg.www_dir, PKGDATADIR "/www");
	assert_string_equal(cfg.templates_dir, PKGDATADIR "/www/templates");
	assert_string_equal(cfg.private_dir, PKGDATADIR "/www/private");
	assert_int_equal(cfg.log_level, LOG_LEVEL_INFO);
	assert_int_equal(cfg.pw_min_length, 12);
	assert_int_equal(cfg.pw_max_bytes, PASSWORD_MAX);
	assert_int_equal(cfg.pw_min_entropy, 34);
	assert_null(cfg.pw_deny_list);
	assert_int_equal(cfg.remember_me, 0);
	assert_int_equal(cfg.remember_lifetime, 30 * 86400);
	/* Beside the database, and the cookies named after the session's. */
	assert_string_equal(cfg.keys_dir, "/var/db/keys");
	assert_string_equal(cfg.secrets_file, "/var/db/secrets");
	assert_string_equal(cfg.csrf_cookie_name, "__Host-gh_sid_csrf");
	config_free(&cfg);

	load_ok(*state, "[database]\npath = /g.db\n[server]\n"
	    "secrets = s/x\n[session]\ncookie_secure = no\n", &cfg);
	assert_string_equal(cfg.keys_dir, "/keys");
	assert_string_equal(cfg.secrets_file + strlen(cfg.secrets_file) - 4,
	    "/s/x");
	assert_string_equal(cfg.csrf_cookie_name, "gh_sid_csrf");
	config_free(&cfg);
}

/*
 * The password policy and "remember me": their ranges, a deny list that
 * must be readable, and a remembered session that must outlast a plain
 * one.
 */
static void
test_password_policy_settings(void **state)
{
	struct fixture	*f = *state;
	struct config	 cfg;
	char		*list, *text;

	list = test_write_file(f->dir, "deny.txt", "password1234\n");
	load_ok(f, DB "[password]\nmin_length = 16\nmax_bytes = 256\n"
	    "min_entropy = 0\ndeny_list = deny.txt\n[session]\n"
	    "remember_me = yes\nremember_lifetime = 14d\n", &cfg);
	assert_int_equal(cfg.pw_min_length, 16);
	assert_int_equal(cfg.pw_max_bytes, 256);
	assert_int_equal(cfg.pw_min_entropy, 0);
	assert_int_not_equal(asprintf(&text, "%s/deny.txt", f->real), -1);
	assert_string_equal(cfg.pw_deny_list, text);
	assert_int_equal(cfg.remember_me, 1);
	assert_int_equal(cfg.remember_lifetime, 14 * 86400);
	config_free(&cfg);
	free(text);
	free(list);

	expect_error(f, DB "[password]\nmin_length = 7\n", 4,
	    "[password] min_length: \"7\" is not a number from 8 to 64");
	expect_error(f, DB "[password]\nmax_bytes = 255\n", 4,
	    "[password] max_bytes: \"255\" is not a number from 256 to 1024");
	expect_error(f, DB "[password]\nmax_bytes = 1025\n", 4,
	    "[password] max_bytes: \"1025\" is not a number from 256 to "
	    "1024");
	expect_error(f, DB "[password]\nmin_entropy = 129\n", 4,
	    "[password] min_entropy: \"129\" is not a number from 0 to 128");
	expect_error(f, DB "[session]\nremember_lifetime = 401d\n", 4,
	    "[session] remember_lifetime: \"401d\" is not a duration from "
	    "1h to 400d (a number with s, m, h or d)");
	expect_value_error(f, DB "[password]\ndeny_list = /nonexistent/x\n",
	    "[password] deny_list: /nonexistent/x: No such file or directory");
	expect_error(f, DB "[session]\nremember_me = yes\n"
	    "remember_lifetime = 2h\n", 0,
	    "[session] remember_lifetime is shorter than absolute_timeout");
	/* Off, the lifetime is not used, so not held against the rest. */
	load_ok(f, DB "[session]\nremember_lifetime = 2h\n", &cfg);
	config_free(&cfg);
}

/*
 * The cookie name prefix follows Secure and Path (RFC 6265bis section
 * 4.1.3): "__Host-" needs both Secure and Path=/, "__Secure-" Secure
 * alone, and without Secure a prefix would make browsers drop it.
 */
static void
test_cookie_prefix(void **state)
{
	struct config	 cfg;

	load_ok(*state, DB "[session]\ncookie_path = /app\n", &cfg);
	assert_string_equal(cfg.cookie_name, "__Secure-gh_sid");
	assert_string_equal(cfg.cookie_path, "/app");
	config_free(&cfg);

	load_ok(*state, DB "[session]\ncookie_secure = no\n", &cfg);
	assert_string_equal(cfg.cookie_name, "gh_sid");
	assert_string_equal(cfg.cookie_path, "/");
	assert_int_equal(cfg.cookie_secure, 0);
	config_free(&cfg);

	load_ok(*state, DB "[session]\ncookie_secure = no\n"
	    "cookie_path = /app/\n", &cfg);
	assert_string_equal(cfg.cookie_name, "gh_sid");
	config_free(&cfg);

	load_ok(*state, DB "[session]\ncookie_name = sid\n", &cfg);
	assert_string_equal(cfg.cookie_name, "__Host-sid");
	config_free(&cfg);
}

static void
test_bool_spellings(void **state)
{
	static const char *const	 yes[] = { "yes", "true", "on", "1" };
	static const char *const	 no[] = { "no", "false", "off", "0" };
	struct config			 cfg;
	char				*text;
	size_t				 i;

	for (i = 0; i < 4; i++) {
		assert_int_not_equal(asprintf(&text, DB "[session]\n"
		    "cookie_secure = %s\n", yes[i]), -1);
		load_ok(*state, text, &cfg);
		assert_int_equal(cfg.cookie_secure, 1);
		config_free(&cfg);
		free(text);

		assert_int_not_equal(asprintf(&text, DB "[session]\n"
		    "cookie_secure = %s\n", no[i]), -1);
		load_ok(*state, text, &cfg);
		assert_int_equal(cfg.cookie_secure, 0);
		config_free(&cfg);
		free(text);
	}
}

/* Relative paths start from the file's directory, not the working one. */
static void
test_relative_paths(void **state)
{
	struct fixture	*f = *state;
	struct config	 cfg;
	char		*want;

	load_ok(f, "[database]\npath = data/gh.db\n[server]\nwww = site\n"
	    "private = /srv/private\n", &cfg);
	assert_int_not_equal(asprintf(&want, "%s/data/gh.db", f->real), -1);
	assert_string_equal(cfg.db_path, want);
	free(want);
	assert_int_not_equal(asprintf(&want, "%s/site", f->real), -1);
	assert_string_equal(cfg.www_dir, want);
	free(want);
	/* Unset, templates follows www, which was made absolute. */
	assert_int_not_equal(asprintf(&want, "%s/site/templates", f->real),
	    -1);
	assert_string_equal(cfg.templates_dir, want);
	free(want);
	assert_string_equal(cfg.private_dir, "/srv/private");
	config_free(&cfg);

	load_ok(f, "[database]\npath = gh.db\n[server]\ntemplates = tpl\n",
	    &cfg);
	assert_int_not_equal(asprintf(&want, "%s/tpl", f->real), -1);
	assert_string_equal(cfg.templates_dir, want);
	free(want);
	assert_string_equal(cfg.www_dir, PKGDATADIR "/www");
	assert_string_equal(cfg.private_dir, PKGDATADIR "/www/private");
	config_free(&cfg);
}

/* A value in double quotes means the value without them. */
static void
test_quoted_values(void **state)
{
	struct config	 cfg;

	load_ok(*state, "[database]\npath = \"/var/db/g h.db\"\n"
	    "[session]\nidle_timeout = \"10m\"\n", &cfg);
	assert_string_equal(cfg.db_path, "/var/db/g h.db");
	assert_int_equal(cfg.idle_timeout, 600);
	config_free(&cfg);

	/* Only a matching pair is taken off. */
	load_ok(*state, "[database]\npath = /var/db/\"x\n", &cfg);
	assert_string_equal(cfg.db_path, "/var/db/\"x");
	config_free(&cfg);
}

/* The same holds for a file in a subdirectory, named by a relative path. */
static void
test_relative_paths_subdir(void **state)
{
	struct fixture	*f = *state;
	struct config	 cfg;
	char		*sub, *file, *want, *err;
	int		 rc;

	assert_int_not_equal(asprintf(&sub, "%s/etc", f->dir), -1);
	assert_int_equal(mkdir(sub, 0700), 0);
	free(test_write_file(sub, "gh.conf", "[database]\n"
	    "path = ../var/gh.db\n"));
	assert_int_not_equal(asprintf(&file, "%s/./etc/gh.conf", f->dir), -1);

	config_defaults(&cfg);
	test_stderr_begin();
	rc = config_load(file, &cfg);
	err = test_stderr_end();
	assert_string_equal(err, "");
	assert_int_equal(rc, 0);
	assert_int_not_equal(asprintf(&want, "%s/etc/../var/gh.db", f->real),
	    -1);
	assert_string_equal(cfg.db_path, want);
	config_free(&cfg);
	free(want);
	free(err);
	free(file);
	free(sub);
}

static void
test_durations(void **state)
{
	struct config	 cfg;

	load_ok(*state, DB "[session]\nidle_timeout = 90\n"
	    "absolute_timeout = 30m\ntouch_interval = 30s\n", &cfg);
	assert_int_equal(cfg.idle_timeout, 90);
	assert_int_equal(cfg.absolute_timeout, 1800);
	assert_int_equal(cfg.touch_interval, 30);
	config_free(&cfg);

	load_ok(*state, DB "[session]\nidle_timeout = 12h\n"
	    "absolute_timeout = 2d\ntouch_interval = 1h\n", &cfg);
	assert_int_equal(cfg.idle_timeout, 43200);
	assert_int_equal(cfg.absolute_timeout, 172800);
	assert_int_equal(cfg.touch_interval, 3600);
	config_free(&cfg);

	/* busy_timeout is kept in milliseconds. */
	load_ok(*state, DB "busy_timeout = 2\n", &cfg);
	assert_int_equal(cfg.db_busy_ms, 2000);
	config_free(&cfg);
	load_ok(*state, DB "busy_timeout = 1m\n", &cfg);
	assert_int_equal(cfg.db_busy_ms, 60000);
	config_free(&cfg);
}

/* The boundaries between lifetimes that are allowed. */
static void
test_lifetime_edges(void **state)
{
	struct config	 cfg;

	load_ok(*state, DB "[session]\nidle_timeout = 1h\n"
	    "absolute_timeout = 1h\n", &cfg);
	assert_int_equal(cfg.idle_timeout, 3600);
	assert_int_equal(cfg.absolute_timeout, 3600);
	config_free(&cfg);

	load_ok(*state, DB "[session]\nidle_timeout = 60\n"
	    "touch_interval = 59\n", &cfg);
	assert_int_equal(cfg.idle_timeout, 60);
	assert_int_equal(cfg.touch_interval, 59);
	config_free(&cfg);

	load_ok(*state, DB "[session]\ntouch_interval = 0\n", &cfg);
	assert_int_equal(cfg.touch_interval, 0);
	config_free(&cfg);
}

static void
test_other_settings(void **state)
{
	struct config	 cfg;

	load_ok(*state, DB "[session]\ncookie_same_site = strict\n"
	    "[login]\nafter_login = /welcome?tab=1\n"
	    "[password]\nscrypt_log2n = 12\nscrypt_r = 4\nscrypt_p = 2\n"
	    "[server]\nmax_body = 256\nstatic_url = /static\n"
	    "log_level = debug\n", &cfg);
	assert_int_equal(cfg.cookie_same_site, SAME_SITE_STRICT);
	assert_string_equal(cfg.after_login, "/welcome?tab=1");
	assert_int_equal(cfg.kdf.log2n, 12);
	assert_int_equal(cfg.kdf.r, 4);
	assert_int_equal(cfg.kdf.p, 2);
	assert_int_equal(cfg.max_body, 256);
	assert_string_equal(cfg.static_url, "/static");
	assert_int_equal(cfg.log_level, LOG_LEVEL_DEBUG);
	config_free(&cfg);

	load_ok(*state, DB "[server]\nmax_body = 1048576\n"
	    "[password]\nscrypt_log2n = 20\nscrypt_r = 1\n", &cfg);
	assert_int_equal(cfg.max_body, 1048576);
	assert_int_equal(cfg.kdf.log2n, 20);
	config_free(&cfg);

	/* Comments are whole lines; " ;" inside a value is the value's. */
	load_ok(*state, DB "[session]\n; a comment\n# another\n"
	    "idle_timeout = 10m\n", &cfg);
	assert_int_equal(cfg.idle_timeout, 600);
	config_free(&cfg);
	expect_error(*state, DB "[session]\nidle_timeout = 10m ; ten\n", 4,
	    "[session] idle_timeout: \"10m ; ten\" is not a duration from 1m "
	    "to 30d (a number with s, m, h or d)");
	/* A setting given twice is an error, not "the last one wins". */
	expect_error(*state, DB "[session]\nidle_timeout = 5m\n"
	    "idle_timeout = 10m\n", 5, "[session] idle_timeout: set twice");
	/* An indented line is a setting of its own, not a continuation. */
	load_ok(*state, DB "[session]\nidle_timeout = 5m\n"
	    "   touch_interval = 30s\n", &cfg);
	assert_int_equal(cfg.idle_timeout, 300);
	assert_int_equal(cfg.touch_interval, 30);
	config_free(&cfg);
	/* A line longer than any buffer, then an unknown section. */
	{
		char	*text, *pad = malloc(3000);

		memset(pad, 'x', 2999);
		pad[2999] = '\0';
		assert_int_not_equal(asprintf(&text, DB "# %s[oops]\n[nope]\n",
		    pad), -1);
		expect_error(*state, text, 4, "[nope]: unknown section");
		free(text);
		free(pad);
	}
}

/* [server] trusted_proxies and proxy_header. */
static void
test_trusted_proxies(void **state)
{
	struct config	 cfg;
	char		*long_list, *text;
	size_t		 i;

	load_ok(*state, DB, &cfg);
	assert_int_equal(cfg.proxies.n, 0);
	assert_int_equal(cfg.proxies.use_forwarded, 0);
	config_free(&cfg);

	load_ok(*state, DB "[server]\ntrusted_proxies = 127.0.0.1, "
	    "10.0.0.0/8 ::1\tfd00::/8\nproxy_header = forwarded\n", &cfg);
	assert_int_equal(cfg.proxies.n, 4);
	assert_int_equal(cfg.proxies.v[1].bits, 8);
	assert_int_equal(cfg.proxies.v[3].bits, 8);
	assert_int_equal(cfg.proxies.use_forwarded, 1);
	config_free(&cfg);

	load_ok(*state, DB "[server]\ntrusted_proxies =\n", &cfg);
	assert_int_equal(cfg.proxies.n, 0);
	config_free(&cfg);

	expect_error(*state, DB "[server]\ntrusted_proxies = 127.0.0.1 "
	    "proxy.example\n", 4, "[server] trusted_proxies: "
	    "\"proxy.example\" is not an IP address or a block such as "
	    "10.0.0.0/8");
	expect_error(*state, DB "[server]\ntrusted_proxies = 10.0.0.1/8\n",
	    4, "[server] trusted_proxies: \"10.0.0.1/8\" is not an IP "
	    "address or a block such as 10.0.0.0/8");
	expect_error(*state, DB "[server]\nproxy_header = X-Real-IP\n", 4,
	    "[server] proxy_header: \"X-Real-IP\" is not x-forwarded-for "
	    "or forwarded");

	/* 64 entries are allowed, 65 are not. */
	assert_non_null(long_list = calloc(65, 16));
	for (i = 0; i < 64; i++)
		sprintf(long_list + strlen(long_list), "10.0.0.%zu ", i);
	assert_int_not_equal(asprintf(&text, DB "[server]\n"
	    "trusted_proxies = %s\n", long_list), -1);
	load_ok(*state, text, &cfg);
	assert_int_equal(cfg.proxies.n, 64);
	config_free(&cfg);
	free(text);
	strcat(long_list, "10.0.1.0");
	assert_int_not_equal(asprintf(&text, DB "[server]\n"
	    "trusted_proxies = %s\n", long_list), -1);
	expect_error(*state, text, 4, "[server] trusted_proxies: more than "
	    "64 entries");
	free(text);
	free(long_list);
}

/* [throttle] and [audit]: the defaults, values in range, the edges. */
static void
test_throttle_settings(void **state)
{
	struct config	 cfg;

	load_ok(*state, DB, &cfg);
	assert_int_equal(cfg.throttle.account_threshold, 5);
	assert_int_equal(cfg.throttle.address_threshold, 20);
	assert_int_equal(cfg.throttle.account_hourly_max, 100);
	assert_int_equal(cfg.throttle.window, 900);
	assert_int_equal(cfg.throttle.backoff_base, 1);
	assert_int_equal(cfg.throttle.backoff_max, 900);
	assert_int_equal(cfg.audit_retention, 90 * 86400);
	config_free(&cfg);

	load_ok(*state, DB "[throttle]\naccount_threshold = 3\n"
	    "address_threshold = 100000\naccount_hourly_max = 3\n"
	    "window = 1h\nbackoff_base = 1h\nbackoff_max = 1h\n"
	    "[audit]\nretention = 1m\n", &cfg);
	assert_int_equal(cfg.throttle.account_threshold, 3);
	assert_int_equal(cfg.throttle.address_threshold, 100000);
	assert_int_equal(cfg.throttle.account_hourly_max, 3);
	assert_int_equal(cfg.throttle.window, 3600);
	assert_int_equal(cfg.throttle.backoff_base, 3600);
	assert_int_equal(cfg.throttle.backoff_max, 3600);
	assert_int_equal(cfg.audit_retention, 60);
	config_free(&cfg);

	expect_error(*state, DB "[throttle]\naccount_hourly_max = 101\n", 4,
	    "[throttle] account_hourly_max: \"101\" is not a number from 1 "
	    "to 100");
	expect_error(*state, DB "[throttle]\naccount_threshold = 0\n", 4,
	    "[throttle] account_threshold: \"0\" is not a number from 1 to "
	    "100");
	expect_error(*state, DB "[throttle]\nwindow = 2h\n", 4,
	    "[throttle] window: \"2h\" is not a duration from 1s to 1h (a "
	    "number with s, m, h or d)");
	expect_error(*state, DB "[throttle]\nbackoff_base = 0\n", 4,
	    "[throttle] backoff_base: \"0\" is not a duration from 1s to 1h "
	    "(a number with s, m, h or d)");
	expect_error(*state, DB "[audit]\nretention = 59s\n", 4,
	    "[audit] retention: \"59s\" is not a duration from 1m to 3660d "
	    "(a number with s, m, h or d)");
	expect_error(*state, DB "[throttle]\nbackoff_base = 2m\n"
	    "backoff_max = 1m\n", 0,
	    "[throttle] backoff_base is longer than backoff_max");
	expect_error(*state, DB "[throttle]\naccount_threshold = 11\n"
	    "account_hourly_max = 10\n", 0,
	    "[throttle] account_threshold is above account_hourly_max");
}

static void
test_error_unknown_key(void **state)
{
	expect_error(*state, DB "[session]\nidle_timout = 5m\n", 4,
	    "[session] idle_timout: unknown setting");
	/* Keys are case-sensitive. */
	expect_error(*state, "[database]\nPath = /x.db\n", 2,
	    "[database] Path: unknown setting");
	/* A key of a known section, under another section. */
	expect_error(*state, DB "[server]\nidle_timeout = 5m\n", 4,
	    "[server] idle_timeout: unknown setting");
	/* A key before any section. */
	expect_error(*state, "path = /x.db\n" DB, 1,
	    "[] path: unknown setting");
}

static void
test_error_unknown_section(void **state)
{
	/* The header's own line is named, keys or not. */
	expect_error(*state, DB "[sesion]\nidle_timeout = 5m\n", 3,
	    "[sesion]: unknown section");
	expect_error(*state, DB "[sesion]\n", 3, "[sesion]: unknown section");
	expect_error(*state, "[Database]\npath = /x.db\n", 1,
	    "[Database]: unknown section");
}

static void
test_error_bad_number(void **state)
{
	expect_error(*state, DB "[password]\nscrypt_r = eight\n", 4,
	    "[password] scrypt_r: \"eight\" is not a number from 1 to 32");
	expect_error(*state, DB "[password]\nscrypt_p = -1\n", 4,
	    "[password] scrypt_p: \"-1\" is not a number from 1 to 16");
	expect_error(*state, DB "[password]\nscrypt_log2n = +15\n", 4,
	    "[password] scrypt_log2n: \"+15\" is not a number from 10 "
	    "to 20");
	expect_error(*state, DB "[server]\nmax_body = 16k\n", 4,
	    "[server] max_body: \"16k\" is not a number from 256 to 1048576");
	expect_error(*state, DB "[server]\nmax_body =\n", 4,
	    "[server] max_body: \"\" is not a number from 256 to 1048576");
	expect_error(*state, DB "[server]\nmax_body = "
	    "18446744073709551617\n", 4,
	    "[server] max_body: \"18446744073709551617\" is not a number "
	    "from 256 to 1048576");
	expect_error(*state, DB "[session]\nidle_timeout = 30 m\n", 4,
	    "[session] idle_timeout: \"30 m\" is not a duration from 1m to "
	    "30d (a number with s, m, h or d)");
	expect_error(*state, DB "[session]\nidle_timeout = 1w\n", 4,
	    "[session] idle_timeout: \"1w\" is not a duration from 1m to "
	    "30d (a number with s, m, h or d)");
	expect_error(*state, DB "[session]\nidle_timeout = m\n", 4,
	    "[session] idle_timeout: \"m\" is not a duration from 1m to "
	    "30d (a number with s, m, h or d)");
}

static void
test_error_out_of_range(void **state)
{
	expect_error(*state, DB "[password]\nscrypt_log2n = 9\n", 4,
	    "[password] scrypt_log2n: \"9\" is not a number from 10 to 20");
	expect_error(*state, DB "[password]\nscrypt_log2n = 21\n", 4,
	    "[password] scrypt_log2n: \"21\" is not a number from 10 to 20");
	expect_error(*state, DB "[password]\nscrypt_r = 0\n", 4,
	    "[password] scrypt_r: \"0\" is not a number from 1 to 32");
	expect_error(*state, DB "[password]\nscrypt_p = 17\n", 4,
	    "[password] scrypt_p: \"17\" is not a number from 1 to 16");
	expect_error(*state, DB "[server]\nmax_body = 255\n", 4,
	    "[server] max_body: \"255\" is not a number from 256 to 1048576");
	expect_error(*state, DB "[server]\nmax_body = 1048577\n", 4,
	    "[server] max_body: \"1048577\" is not a number from 256 to "
	    "1048576");
	expect_error(*state, DB "[session]\nidle_timeout = 59\n", 4,
	    "[session] idle_timeout: \"59\" is not a duration from 1m to "
	    "30d (a number with s, m, h or d)");
	expect_error(*state, DB "[session]\nidle_timeout = 31d\n", 4,
	    "[session] idle_timeout: \"31d\" is not a duration from 1m to "
	    "30d (a number with s, m, h or d)");
	expect_error(*state, DB "[session]\ntouch_interval = 61m\n", 4,
	    "[session] touch_interval: \"61m\" is not a duration from 0s to "
	    "1h (a number with s, m, h or d)");
	expect_error(*state, DB "busy_timeout = 61\n", 3,
	    "[database] busy_timeout: \"61\" is not a duration from 0s to "
	    "1m (a number with s, m, h or d)");
}

static void
test_error_bad_bool(void **state)
{
	expect_error(*state, DB "[session]\ncookie_secure = maybe\n", 4,
	    "[session] cookie_secure: \"maybe\" is not yes or no");
	/* Spellings are exact: no case folding. */
	expect_error(*state, DB "[session]\ncookie_secure = Yes\n", 4,
	    "[session] cookie_secure: \"Yes\" is not yes or no");
	expect_error(*state, DB "[session]\ncookie_secure =\n", 4,
	    "[session] cookie_secure: \"\" is not yes or no");
}

static void
test_error_bad_same_site(void **state)
{
	expect_error(*state, DB "[session]\ncookie_same_site = none\n", 4,
	    "[session] cookie_same_site: \"none\" is not lax or strict");
	expect_error(*state, DB "[session]\ncookie_same_site = Lax\n", 4,
	    "[session] cookie_same_site: \"Lax\" is not lax or strict");
}

static void
test_error_bad_log_level(void **state)
{
	expect_error(*state, DB "[server]\nlog_level = loud\n", 4,
	    "[server] log_level: \"loud\" is not error, warn, info or debug");
}

static void
test_error_syntax(void **state)
{
	expect_error(*state, DB "this is not ini\n", 3, MSG_SYNTAX);
	expect_error(*state, DB "[session\nidle_timeout = 5m\n", 3,
	    MSG_SYNTAX);
	expect_error(*state, "garbage\n" DB, 1, MSG_SYNTAX);
}

/*
 * A PostgreSQL connection string is kept as written, not made a path;
 * with no database folder, the secrets and keys must then be named.
 */
static void
test_postgresql_database(void **state)
{
	struct fixture	*f = *state;
	struct config	 cfg;

	load_ok(f, "[database]\npath = postgresql://gh@db.example/gatehouse\n"
	    "[server]\nsecrets = /etc/gh/secrets\n[tokens]\n"
	    "keys_dir = /etc/gh/keys\n", &cfg);
	assert_string_equal(cfg.db_path,
	    "postgresql://gh@db.example/gatehouse");
	config_free(&cfg);
	load_ok(f, "[database]\npath = host=/run/postgresql dbname=gh\n"
	    "[server]\nsecrets = s\n[tokens]\nkeys_dir = k\n", &cfg);
	assert_string_equal(cfg.db_path, "host=/run/postgresql dbname=gh");
	config_free(&cfg);

	expect_error(f, "[database]\npath = postgres:///gh\n[tokens]\n"
	    "keys_dir = /k\n", 0, "[server] secrets and [tokens] keys_dir "
	    "must be set when [database] path is a PostgreSQL database");
	expect_error(f, "[database]\npath = dbname=gh\n[server]\n"
	    "secrets = /s\n", 0, "[server] secrets and [tokens] keys_dir "
	    "must be set when [database] path is a PostgreSQL database");
}

static void
test_error_no_db_path(void **state)
{
	expect_error(*state, "", 0, "[database] path is not set");
	expect_error(*state, "; nothing but a comment\n", 0,
	    "[database] path is not set");
	expect_error(*state, "[database]\nbusy_timeout = 2\n"
	    "[session]\nidle_timeout = 5m\n", 0, "[database] path is not set");
	/* An empty path is not a missing one: it has a line. */
	expect_error(*state, "[database]\npath =\n", 2,
	    "[database] path: empty path");
}

static void
test_error_missing_file(void **state)
{
	struct fixture	*f = *state;
	struct config	 cfg;
	char		*err, *want;

	/* Nothing was written: the file does not exist. */
	config_defaults(&cfg);
	test_stderr_begin();
	assert_int_equal(config_load(f->file, &cfg), -1);
	err = test_stderr_end();
	config_free(&cfg);
	assert_int_not_equal(asprintf(&want, "%s: No such file or directory\n",
	    f->file), -1);
	assert_string_equal(err, want);
	free(want);
	free(err);
}

static void
test_error_idle_over_absolute(void **state)
{
	expect_error(*state, DB "[session]\nidle_timeout = 2h\n"
	    "absolute_timeout = 1h\n", 0,
	    "[session] idle_timeout is longer than absolute_timeout");
	expect_error(*state, DB "[session]\nidle_timeout = 3601\n"
	    "absolute_timeout = 1h\n", 0,
	    "[session] idle_timeout is longer than absolute_timeout");
	/* The default idle timeout (30 min) against a short absolute one. */
	expect_error(*state, DB "[session]\nabsolute_timeout = 29m\n", 0,
	    "[session] idle_timeout is longer than absolute_timeout");
}

static void
test_error_touch_not_below_idle(void **state)
{
	expect_error(*state, DB "[session]\nidle_timeout = 5m\n"
	    "touch_interval = 5m\n", 0,
	    "[session] touch_interval must be shorter than idle_timeout");
	expect_error(*state, DB "[session]\nidle_timeout = 5m\n"
	    "touch_interval = 301\n", 0,
	    "[session] touch_interval must be shorter than idle_timeout");
	/* The default touch interval (60 s) against the shortest idle. */
	expect_error(*state, DB "[session]\nidle_timeout = 1m\n", 0,
	    "[session] touch_interval must be shorter than idle_timeout");
}

static void
test_error_kdf_memory(void **state)
{
	/* In range one by one, but 2^20 * r=8 needs 1 GiB and more. */
	expect_error(*state, DB "[password]\nscrypt_log2n = 20\n", 0,
	    "[password] scrypt parameters need more than 1 GiB of memory");
}

/* F8: the landing page after login is a path on this site only. */
static void
test_error_after_login(void **state)
{
	expect_value_error(*state, DB "[login]\nafter_login = //evil.example\n",
	    MSG_AFTER);
	expect_value_error(*state, DB "[login]\n"
	    "after_login = https://evil.example/\n", MSG_AFTER);
	expect_value_error(*state, DB "[login]\n"
	    "after_login = /\\evil.example\n", MSG_AFTER);
	expect_value_error(*state, DB "[login]\n"
	    "after_login = /%2F/evil.example\n", MSG_AFTER);
	expect_value_error(*state, DB "[login]\nafter_login =\n", MSG_AFTER);
}

static void
test_error_static_url(void **state)
{
	expect_value_error(*state, DB "[server]\nstatic_url = /static/\n",
	    MSG_STATIC);
	expect_value_error(*state, DB "[server]\nstatic_url = /\n",
	    MSG_STATIC);
	expect_value_error(*state, DB "[server]\n"
	    "static_url = //cdn.example/static\n", MSG_STATIC);
	expect_value_error(*state, DB "[server]\nstatic_url = static\n",
	    MSG_STATIC);
}

/* F15: a cookie name that could smuggle attributes is refused. */
static void
test_error_cookie_name(void **state)
{
	expect_value_error(*state, DB "[session]\ncookie_name = gh sid\n",
	    "[session] cookie_name: \"gh sid\"" MSG_NAME_TAIL);
	expect_value_error(*state, DB "[session]\ncookie_name = gh;sid\n",
	    "[session] cookie_name: \"gh;sid\"" MSG_NAME_TAIL);
	expect_value_error(*state, DB "[session]\ncookie_name = gh=sid\n",
	    "[session] cookie_name: \"gh=sid\"" MSG_NAME_TAIL);
	expect_value_error(*state, DB "[session]\ncookie_name = __Host-x\n",
	    "[session] cookie_name: \"__Host-x\"" MSG_NAME_TAIL);
	expect_value_error(*state, DB "[session]\n"
	    "cookie_name = __Secure-x\n",
	    "[session] cookie_name: \"__Secure-x\"" MSG_NAME_TAIL);
	expect_value_error(*state, DB "[session]\ncookie_name =\n",
	    "[session] cookie_name: \"\"" MSG_NAME_TAIL);
}

/* F15: a path that would add its own Max-Age to Set-Cookie is refused. */
static void
test_error_cookie_path(void **state)
{
	expect_value_error(*state, DB "[session]\n"
	    "cookie_path = /;Max-Age=999999999\n", MSG_PATH);
	expect_value_error(*state, DB "[session]\ncookie_path = app\n",
	    MSG_PATH);
	expect_value_error(*state, DB "[session]\ncookie_path = /my app\n",
	    MSG_PATH);
	expect_value_error(*state, DB "[session]\ncookie_path =\n", MSG_PATH);
}

/* The line is that of the bad setting, whatever comes before it. */
static void
test_error_line_number(void **state)
{
	static const char	 head[] =
	    "; Gatehouse, test site\n"				/* 1 */
	    "\n"						/* 2 */
	    "[database]\n"					/* 3 */
	    "path = /var/db/gh.db\n"				/* 4 */
	    "# another comment\n"				/* 5 */
	    "\n"						/* 6 */
	    "[session]\n"					/* 7 */
	    "idle_timeout = 15m\n";				/* 8 */
	char			*text;

	assert_int_not_equal(asprintf(&text, "%s%s", head,
	    "cookie_same_site = sideways\n"			/* 9 */
	    "touch_interval = 2m\n"), -1);
	expect_error(*state, text, 9,
	    "[session] cookie_same_site: \"sideways\" is not lax or strict");
	free(text);

	/* Two errors: the first is the one reported. */
	assert_int_not_equal(asprintf(&text, "%s%s", head,
	    "touch_interval = 2m\n"				/* 9 */
	    "[server]\n"					/* 10 */
	    "max_body = 1\n"					/* 11 */
	    "bogus = 1\n"), -1);
	expect_error(*state, text, 11,
	    "[server] max_body: \"1\" is not a number from 256 to 1048576");
	free(text);

	/* A syntax error first, then a bad value: still the first. */
	assert_int_not_equal(asprintf(&text, "%s%s", head,
	    "idle_timeout 20m\n"				/* 9 */
	    "bogus = 1\n"), -1);
	expect_error(*state, text, 9, MSG_SYNTAX);
	free(text);

	/* A bad value first, then a syntax error. */
	assert_int_not_equal(asprintf(&text, "%s%s", head,
	    "bogus = 1\n"					/* 9 */
	    "idle_timeout 20m\n"), -1);
	expect_error(*state, text, 9, "[session] bogus: unknown setting");
	free(text);
}

/*
 * A value refused after the whole file was read still came from one
 * line, and the file's header comment (and DESIGN.md) promise a message
 * that names it, as for any other bad value. Each case puts the value on
 * line 5 of the file.
 */
static void
test_error_value_line(void **state)
{
	static const char *const	 cases[][2] = {
		{ "[login]\nafter_login = //evil.example\n", MSG_AFTER },
		{ "[server]\nstatic_url = /static/\n", MSG_STATIC },
		{ "[session]\ncookie_name = gh;sid\n",
		  "[session] cookie_name: \"gh;sid\"" MSG_NAME_TAIL },
		{ "[session]\ncookie_path = /;Max-Age=999999999\n", MSG_PATH },
	};
	struct fixture			*f = *state;
	char				*text, *err, *want;
	size_t				 i, bad = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_not_equal(asprintf(&text, DB "\n%s", cases[i][0]),
		    -1);
		err = load_fail(f, text);
		assert_int_not_equal(asprintf(&want, "%s:5: %s\n", f->file,
		    cases[i][1]), -1);
		if (strcmp(err, want) != 0) {
			print_message("# want: %s# got:  %s", want, err);
			bad++;
		}
		free(want);
		free(err);
		free(text);
	}
	assert_int_equal(bad, 0);
}

/* The value of "name" that headers_apply gives an answer to "path". */
static char *
policy_value(const struct config *cfg, const char *path, int https,
    const char *name)
{
	struct request	 req;
	struct response	 r;
	const char	*v;
	char		*copy;

	memset(&req, 0, sizeof(req));
	req.path = (char *)(uintptr_t)path;
	req.https = https;
	response_init(&r);
	headers_apply(cfg->headers, &r, &req);
	v = response_get_header(&r, name);
	copy = v == NULL ? NULL : strdup(v);
	response_free(&r);
	return copy;
}

#define ASSERT_POLICY(cfg, path, https, name, want) do {		\
	char	*got_ = policy_value((cfg), (path), (https), (name));	\
	if ((want) == NULL)						\
		assert_null(got_);					\
	else								\
		assert_string_equal(got_, (want));			\
	free(got_);							\
} while (0)

/*
 * [headers] and its path overrides, as a file writes them: quoted
 * values, comments and blank lines between, a section met twice.
 */
static void
test_headers(void **state)
{
	struct config	 cfg;

	load_ok(*state, DB
	    "[headers]\n"
	    "# the defaults, but for these\n"
	    "referrer_policy = strict-origin-when-cross-origin\n"
	    "x_dns_prefetch_control = \"\"\n"
	    "hsts_max_age = 730d\n"
	    "hsts_include_subdomains = yes\n"
	    "hsts_preload = yes\n"
	    "\n"
	    "[headers \"/private/embed/\"]\n"
	    "frame = sameorigin https://portal.example\n"
	    "[headers \"/api\"]\n"
	    "content_security_policy = default-src 'none'\n"
	    "[headers \"/private/embed/\"]\n"
	    "permissions_policy = fullscreen=(self)\n", &cfg);
	ASSERT_POLICY(&cfg, "/private/", 0, "Referrer-Policy",
	    "strict-origin-when-cross-origin");
	ASSERT_POLICY(&cfg, "/private/", 0, "X-DNS-Prefetch-Control", NULL);
	ASSERT_POLICY(&cfg, "/private/", 1, "Strict-Transport-Security",
	    "max-age=63072000; includeSubDomains; preload");
	ASSERT_POLICY(&cfg, "/private/", 0, "Strict-Transport-Security",
	    NULL);
	ASSERT_POLICY(&cfg, "/private/", 0, "X-Frame-Options", "DENY");
	ASSERT_POLICY(&cfg, "/private/embed/a.html", 0, "X-Frame-Options",
	    NULL);
	ASSERT_POLICY(&cfg, "/private/embed/a.html", 0,
	    "Content-Security-Policy", "default-src 'self'; base-uri 'none'; "
	    "form-action 'self'; object-src 'none'; frame-ancestors 'self' "
	    "https://portal.example");
	ASSERT_POLICY(&cfg, "/private/embed/a.html", 0, "Permissions-Policy",
	    "fullscreen=(self)");
	ASSERT_POLICY(&cfg, "/private/embed/a.html", 0, "Referrer-Policy",
	    "strict-origin-when-cross-origin");
	ASSERT_POLICY(&cfg, "/api/x", 0, "Content-Security-Policy",
	    "default-src 'none'; frame-ancestors 'none'");
	ASSERT_POLICY(&cfg, "/login", 0, "X-Frame-Options", "DENY");
	config_free(&cfg);

	/* Without [headers]: the defaults. */
	load_ok(*state, DB, &cfg);
	ASSERT_POLICY(&cfg, "/login", 1, "Strict-Transport-Security",
	    "max-age=31536000");
	ASSERT_POLICY(&cfg, "/login", 0, "X-XSS-Protection", "0");
	config_free(&cfg);
}

/* 38 bytes: with '/' and [headers ""] around it, 49. */
#define LONG_PATH	"/private/reports/2026/quarterly/q1/abc"

/*
 * A bad header policy stops the program with the file and the line:
 * CR or non-ASCII in a value, a bad origin, preload without what it
 * needs, an unknown key or section, a section name inih would cut.
 */
static void
test_error_headers(void **state)
{
	struct config	 cfg;
	char		*text;

	expect_error(*state, DB "[headers]\n"
	    "referrer_policy = no-referrer\rX-Evil: 1\n", 4,
	    "[headers] referrer_policy: byte 0x0d at 12: only printable "
	    "ASCII is allowed (no control character, no CR or LF, no UTF-8)");
	expect_error(*state, DB "[headers \"/a/\"]\n; note\n"
	    "content_security_policy = default-src https://\xc3\xa9.example\n",
	    5, "[headers \"/a/\"] content_security_policy: byte 0xc3 at 21: "
	    "only printable ASCII is allowed (no control character, no CR or "
	    "LF, no UTF-8)");
	expect_error(*state, DB "[headers]\nframe = https://a.example/x\n", 4,
	    "[headers] frame: \"https://a.example/x\" is not deny, sameorigin "
	    "or an origin such as https://example.org:8443");
	expect_error(*state, DB "[headers]\nframe = ALLOW-FROM "
	    "https://a.example\n", 4, "[headers] frame: \"ALLOW-FROM\" is not "
	    "deny, sameorigin or an origin such as https://example.org:8443");
	expect_error(*state, DB "[headers]\nx_frame_options = DENY\n", 4,
	    "[headers] x_frame_options: unknown setting");
	expect_error(*state, DB "[headers \"/a/\"]\nhsts_preload = no\n", 4,
	    "[headers \"/a/\"] hsts_preload: only [headers] takes it: HSTS "
	    "is about the whole host");
	expect_error(*state, DB "[headers]\nframe = deny\nframe = deny\n", 5,
	    "[headers] frame: set twice");
	expect_error(*state, DB "[headers]\ncontent_security_policy = "
	    "frame-ancestors 'self'\n", 4, "[headers] content_security_policy: "
	    "set frame-ancestors with \"frame\", which sets X-Frame-Options "
	    "to match");

	/* Checked at the end, reported at the hsts_preload line. */
	expect_error(*state, DB "[headers]\n\n# HSTS\nhsts_preload = yes\n"
	    "hsts_max_age = 2y\n", 7, "[headers] hsts_max_age: \"2y\" is not "
	    "empty or a duration from 0s to 730d (a number with s, m, h or d)");
	expect_error(*state, DB "[headers]\n\n  # HSTS\n\thsts_preload = yes\n"
	    "hsts_max_age = 730d\n", 6, "[headers] hsts_preload: needs "
	    "hsts_include_subdomains = yes and an hsts_max_age of at least "
	    "365d (as hstspreload.org does)");
	expect_error(*state, "\xef\xbb\xbf" DB "[headers]\n"
	    "hsts_include_subdomains = yes\nhsts_preload = yes\n"
	    "hsts_max_age = 300d\n[server]\nmax_body = 4096\n", 5,
	    "[headers] hsts_preload: needs hsts_include_subdomains = yes and "
	    "an hsts_max_age of at least 365d (as hstspreload.org does)");

	/* Sections. */
	expect_error(*state, DB "[headers /private/]\nframe = deny\n", 3,
	    "[headers /private/]: a path override is written "
	    "[headers \"/path/\"], the path starting with '/'");
	expect_error(*state, DB "[headers \"private/\"]\n", 3,
	    "[headers \"private/\"]: a path override is written "
	    "[headers \"/path/\"], the path starting with '/'");
	expect_error(*state, DB "[header]\nframe = deny\n", 3,
	    "[header]: unknown section");

	/* 49 bytes of name pass; 50 would be cut short by inih. */
	load_ok(*state, DB "[headers \"" LONG_PATH "/\"]\n"
	    "frame = sameorigin\n", &cfg);
	ASSERT_POLICY(&cfg, LONG_PATH "/x.html", 0, "X-Frame-Options",
	    "SAMEORIGIN");
	config_free(&cfg);
	assert_int_not_equal(asprintf(&text, DB "[headers \"" LONG_PATH
	    "d/\"]\nframe = sameorigin\n"), -1);
	expect_error(*state, text, 3, "[headers \"/private/reports/2026/"
	    "quarterly...]: a section name is at most 49 bytes");
	free(text);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
#define T(name)	cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_defaults),
		T(test_password_policy_settings),
		T(test_cookie_prefix),
		T(test_bool_spellings),
		T(test_relative_paths),
		T(test_quoted_values),
		T(test_relative_paths_subdir),
		T(test_durations),
		T(test_lifetime_edges),
		T(test_other_settings),
		T(test_throttle_settings),
		T(test_trusted_proxies),
		T(test_error_unknown_key),
		T(test_error_unknown_section),
		T(test_error_bad_number),
		T(test_error_out_of_range),
		T(test_error_bad_bool),
		T(test_error_bad_same_site),
		T(test_error_bad_log_level),
		T(test_error_syntax),
		T(test_postgresql_database),
		T(test_error_no_db_path),
		T(test_error_missing_file),
		T(test_error_idle_over_absolute),
		T(test_error_touch_not_below_idle),
		T(test_error_kdf_memory),
		T(test_headers),
		T(test_error_headers),
		T(test_error_after_login),
		T(test_error_static_url),
		T(test_error_cookie_name),
		T(test_error_cookie_path),
		T(test_error_line_number),
		T(test_error_value_line),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
