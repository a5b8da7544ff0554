/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * The configuration file: INI syntax, parsed by inih, checked here.
 * Every setting has a default and a range; an unknown section or key, a
 * value out of range or a missing required setting stops the program
 * with one line naming the file, the line and the setting. Relative
 * paths are taken from the directory of the configuration file, so that
 * a site's files can travel together.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>

#include "gatehouse.h"
#include "store.h"

#ifndef PKGDATADIR
#define PKGDATADIR	"/usr/local/share/gatehouse"
#endif

enum setting_type {
	SET_STRING,	/* char *, copied */
	SET_PATH,	/* char *, made absolute against the file's directory */
	SET_DATABASE,	/* char *: a PostgreSQL connection string, or a path */
	SET_BOOL,	/* int: yes/no, true/false, on/off, 1/0 */
	SET_UINT,	/* unsigned int within [min, max] */
	SET_SIZE,	/* size_t within [min, max] */
	SET_SECONDS,	/* long long, a duration within [min, max] seconds */
	SET_MILLIS,	/* int, a duration stored in milliseconds */
	SET_SAME_SITE,	/* enum same_site: lax or strict */
	SET_AUTH_MODE,	/* enum auth_mode: cookie, bearer or both */
	SET_LOG_LEVEL,	/* enum log_level */
	SET_PROXIES,	/* struct proxies: addresses and blocks */
	SET_PROXY_HEADER /* struct proxies' use_forwarded */
};

/* Checks of a string value beyond its type, made as the line is read. */
enum setting_check {
	CHECK_NONE,
	CHECK_COOKIE_NAME,	/* a token, not starting with "__" */
	CHECK_COOKIE_PATH,	/* a Path attribute that cannot add others */
	CHECK_LOCAL_PATH,	/* a path on this site (redirect.c's rule) */
	CHECK_URL_PREFIX,	/* a local path without a trailing slash */
	CHECK_CLAIM		/* a short printable token claim */
};

struct setting {
	const char		*section;
	const char		*key;
	enum setting_type	 type;
	size_t			 offset;
	long long		 min;
	long long		 max;
	enum setting_check	 check;
};

#define AT(m)	offsetof(struct config, m)

static const struct setting settings[] = {
	{ "database", "path", SET_DATABASE, AT(db_path), 0, 0, CHECK_NONE },
	{ "database", "busy_timeout", SET_MILLIS, AT(db_busy_ms), 0, 60,
	    CHECK_NONE },
	{ "session", "cookie_name", SET_STRING, AT(cookie_name), 0, 0,
	    CHECK_COOKIE_NAME },
	{ "session", "cookie_path", SET_STRING, AT(cookie_path), 0, 0,
	    CHECK_COOKIE_PATH },
	{ "session", "cookie_secure", SET_BOOL, AT(cookie_secure), 0, 1,
	    CHECK_NONE },
	{ "session", "cookie_same_site", SET_SAME_SITE,
	    AT(cookie_same_site), 0, 0, CHECK_NONE },
	{ "session", "idle_timeout", SET_SECONDS, AT(idle_timeout),
	    60, 30 * 86400, CHECK_NONE },
	{ "session", "absolute_timeout", SET_SECONDS, AT(absolute_timeout),
	    60, 366 * 86400, CHECK_NONE },
	{ "session", "touch_interval", SET_SECONDS, AT(touch_interval),
	    0, 3600, CHECK_NONE },
	{ "login", "after_login", SET_STRING, AT(after_login), 0, 0,
	    CHECK_LOCAL_PATH },
	{ "tokens", "mode", SET_AUTH_MODE, AT(mode), 0, 0, CHECK_NONE },
	{ "tokens", "issuer", SET_STRING, AT(issuer), 0, 0, CHECK_CLAIM },
	{ "tokens", "audience", SET_STRING, AT(audience), 0, 0, CHECK_CLAIM },
	{ "tokens", "access_lifetime", SET_SECONDS, AT(access_lifetime),
	    60, 86400, CHECK_NONE },
	{ "tokens", "refresh_lifetime", SET_SECONDS, AT(refresh_lifetime),
	    60, 366 * 86400, CHECK_NONE },
	{ "tokens", "leeway", SET_SECONDS, AT(leeway), 0, 300, CHECK_NONE },
	{ "tokens", "keys_dir", SET_PATH, AT(keys_dir), 0, 0, CHECK_NONE },
	{ "tokens", "access_cookie", SET_BOOL, AT(access_cookie), 0, 1,
	    CHECK_NONE },
	{ "password", "scrypt_log2n", SET_UINT, AT(kdf.log2n), 10, 20,
	    CHECK_NONE },
	{ "password", "scrypt_r", SET_UINT, AT(kdf.r), 1, 32, CHECK_NONE },
	{ "password", "scrypt_p", SET_UINT, AT(kdf.p), 1, 16, CHECK_NONE },
	{ "throttle", "account_threshold", SET_UINT,
	    AT(throttle.account_threshold), 1, 100, CHECK_NONE },
	{ "throttle", "address_threshold", SET_UINT,
	    AT(throttle.address_threshold), 1, 100000, CHECK_NONE },
	{ "throttle", "account_hourly_max", SET_UINT,
	    AT(throttle.account_hourly_max), 1, 100, CHECK_NONE },
	{ "throttle", "window", SET_SECONDS, AT(throttle.window), 1, 3600,
	    CHECK_NONE },
	{ "throttle", "backoff_base", SET_SECONDS, AT(throttle.backoff_base),
	    1, 3600, CHECK_NONE },
	{ "throttle", "backoff_max", SET_SECONDS, AT(throttle.backoff_max),
	    1, 3600, CHECK_NONE },
	{ "audit", "retention", SET_SECONDS, AT(audit_retention), 60,
	    3660 * 86400, CHECK_NONE },
	{ "password", "min_length", SET_UINT, AT(pw_min_length), 8, 64,
	    CHECK_NONE },
	{ "password", "max_bytes", SET_SIZE, AT(pw_max_bytes), 256,
	    PASSWORD_MAX, CHECK_NONE },
	{ "password", "min_entropy", SET_UINT, AT(pw_min_entropy), 0, 128,
	    CHECK_NONE },
	{ "password", "deny_list", SET_PATH, AT(pw_deny_list), 0, 0,
	    CHECK_NONE },
	{ "session", "remember_me", SET_BOOL, AT(remember_me), 0, 1,
	    CHECK_NONE },
	{ "session", "remember_lifetime", SET_SECONDS, AT(remember_lifetime),
	    3600, 400 * 86400, CHECK_NONE },
	{ "server", "max_body", SET_SIZE, AT(max_body), 256, 1048576,
	    CHECK_NONE },
	{ "server", "static_url", SET_STRING, AT(static_url), 0, 0,
	    CHECK_URL_PREFIX },
	{ "server", "mount", SET_STRING, AT(mount), 0, 0, CHECK_URL_PREFIX },
	{ "authorizer", "login_url", SET_STRING, AT(login_url), 0, 0,
	    CHECK_LOCAL_PATH },
	{ "server", "secrets", SET_PATH, AT(secrets_file), 0, 0, CHECK_NONE },
	{ "server", "trusted_proxies", SET_PROXIES, AT(proxies), 0, 0,
	    CHECK_NONE },
	{ "server", "proxy_header", SET_PROXY_HEADER,
	    AT(proxies.use_forwarded), 0, 0, CHECK_NONE },
	{ "server", "www", SET_PATH, AT(www_dir), 0, 0, CHECK_NONE },
	{ "server", "templates", SET_PATH, AT(templates_dir), 0, 0,
	    CHECK_NONE },
	{ "server", "private", SET_PATH, AT(private_dir), 0, 0, CHECK_NONE },
	{ "server", "log_level", SET_LOG_LEVEL, AT(log_level), 0, 0,
	    CHECK_NONE },
};

#define NSETTINGS	(sizeof(settings) / sizeof(settings[0]))

/*
 * inih keeps at most 49 bytes of a section's name and cuts the rest
 * without a word (MAX_SECTION in its ini.c); longer names are refused.
 */
#define SECTION_NAME_MAX	49

/* What the inih callback needs, and the first error it met. */
struct parse_state {
	struct config	*cfg;
	unsigned char	 seen[NSETTINGS];	/* by index in settings[] */
	char		 dir[PATH_MAX];	/* of the configuration file */
	char		 error[256];
	int		*key_lines;	/* the line of each key = value */
	size_t		 nkey_lines;
	size_t		 next_key;	/* on_pair calls so far */
};

static int	 on_pair(void *, const char *, const char *, const char *);
static int	 set_value(struct parse_state *, const struct setting *,
		    const char *);
static int	 check_string(struct parse_state *, enum setting_check,
		    const char *);
static int	 check_sections(struct parse_state *, FILE *, int *);
static int	 section_known(struct parse_state *, const char *);
static int	 note_key_line(struct parse_state *, int);
static int	 headers_setting(struct parse_state *, const char *,
		    const char *, const char *);
static void	 human_duration(long long, char *, size_t);
static int	 set_path(struct parse_state *, char **, const char *);
static int	 set_proxies(struct parse_state *, struct proxies *,
		    const char *);
static int	 check(struct config *);
static int	 beside_db(struct config *, char **, const char *);
static int	 fill_defaults(struct config *);

/* Defaults for everything; strings stay NULL until load fills them. */
void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->db_busy_ms = 5000;
	cfg->cookie_secure = 1;
	cfg->cookie_same_site = SAME_SITE_LAX;
	cfg->idle_timeout = 30 * 60;		/* ASVS 4.0.3 3.3.2, level 2 */
	cfg->absolute_timeout = 12 * 3600;	/* ASVS 4.0.3 3.3.2, level 2 */
	cfg->touch_interval = 60;
	cfg->mode = AUTH_MODE_COOKIE;
	cfg->access_lifetime = 10 * 60;
	cfg->refresh_lifetime = 12 * 3600;
	cfg->leeway = 30;
	cfg->kdf.log2n = 15;
	cfg->kdf.r = 8;
	cfg->kdf.p = 1;
	/* ASVS 4.0.3 2.2.1: at most 100 failed attempts an hour. */
	cfg->throttle.account_threshold = 5;
	cfg->throttle.address_threshold = 20;
	cfg->throttle.account_hourly_max = 100;
	cfg->throttle.window = 15 * 60;
	cfg->throttle.backoff_base = 1;
	cfg->throttle.backoff_max = 15 * 60;
	cfg->audit_retention = 90 * 86400;
	cfg->pw_min_length = 12;		/* ASVS 4.0.3 2.1.1 */
	cfg->pw_max_bytes = PASSWORD_MAX;	/* ASVS 4.0.3 2.1.2 */
	cfg->pw_min_entropy = 34;		/* see policy.c */
	cfg->remember_lifetime = 30 * 86400;	/* ASVS 4.0.3 3.3.2, level 1 */
	cfg->max_body = 16384;
	cfg->log_level = LOG_LEVEL_INFO;
}

void
config_free(struct config *cfg)
{
	free(cfg->file);
	free(cfg->db_path);
	free(cfg->cookie_name);
	free(cfg->cookie_path);
	free(cfg->after_login);
	free(cfg->pw_deny_list);
	free(cfg->issuer);
	free(cfg->audience);
	free(cfg->keys_dir);
	free(cfg->access_cookie_name);
	free(cfg->csrf_cookie_name);
	free(cfg->secrets_file);
	free(cfg->static_url);
	free(cfg->mount);
	free(cfg->login_url);
	free(cfg->www_dir);
	free(cfg->templates_dir);
	free(cfg->private_dir);
	free(cfg->proxies.v);
	headers_policy_free(cfg->headers);
	memset(cfg, 0, sizeof(*cfg));
}

/* Store an absolute form of "value" in "*slot". Returns 0 or -1. */
static int
set_path(struct parse_state *st, char **slot, const char *value)
{
	char	*p;

	if (*value == '\0') {
		snprintf(st->error, sizeof(st->error), "empty path");
		return -1;
	}
	if (*value == '/')
		p = strdup(value);
	else if (asprintf(&p, "%s/%s", st->dir, value) == -1)
		p = NULL;
	if (p == NULL) {
		snprintf(st->error, sizeof(st->error), "out of memory");
		return -1;
	}
	if (strlen(p) >= PATH_MAX) {
		free(p);
		snprintf(st->error, sizeof(st->error), "path too long");
		return -1;
	}
	free(*slot);
	*slot = p;
	return 0;
}

#define PROXIES_MAX	64

/*
 * A list of addresses and address blocks ("127.0.0.1 10.0.0.0/8 ::1"),
 * separated by spaces or commas. Host names are refused: resolving them
 * would make whom we believe depend on DNS.
 */
static int
set_proxies(struct parse_state *st, struct proxies *px, const char *value)
{
	struct netmask	 v[PROXIES_MAX];
	char		 item[64];
	size_t		 n = 0, len;

	while (*value != '\0') {
		value += strspn(value, " \t,");
		if ((len = strcspn(value, " \t,")) == 0)
			break;
		if (len >= sizeof(item) || n == PROXIES_MAX) {
			snprintf(st->error, sizeof(st->error), "%s",
			    n == PROXIES_MAX ? "more than 64 entries" :
			    "an entry is too long");
			return -1;
		}
		memcpy(item, value, len);
		item[len] = '\0';
		if (netmask_parse(item, &v[n]) == -1) {
			snprintf(st->error, sizeof(st->error), "\"%s\" is not "
			    "an IP address or a block such as 10.0.0.0/8",
			    item);
			return -1;
		}
		n++;
		value += len;
	}
	free(px->v);
	px->v = NULL;
	px->n = 0;
	if (n == 0)
		return 0;
	if ((px->v = calloc(n, sizeof(*px->v))) == NULL) {
		snprintf(st->error, sizeof(st->error), "out of memory");
		return -1;
	}
	memcpy(px->v, v, n * sizeof(*px->v));
	px->n = n;
	return 0;
}

/*
 * The checks of string settings that need no other setting, so that
 * their errors can name the line. F15 in the field cases: a cookie name,
 * path or value must never be able to add attributes to Set-Cookie.
 */
static int
check_string(struct parse_state *st, enum setting_check check,
    const char *v)
{
	switch (check) {
	case CHECK_NONE:
		return 0;
	case CHECK_COOKIE_NAME:
		if (strncmp(v, "__", 2) != 0 && cookie_name_valid(v))
			return 0;
		snprintf(st->error, sizeof(st->error), "\"%.64s\" is not a "
		    "token (letters, digits, !#$%%&'*+-.^_`|~) or starts with "
		    "\"__\" (the prefix is added for you)", v);
		return -1;
	case CHECK_COOKIE_PATH:
		if (cookie_path_valid(v))
			return 0;
		snprintf(st->error, sizeof(st->error), "must start with '/' "
		    "and hold no space, ';' or control character");
		return -1;
	case CHECK_LOCAL_PATH:
		if (redirect_target_ok(v))
			return 0;
		snprintf(st->error, sizeof(st->error), "must be a path on "
		    "this site, such as /private/");
		return -1;
	case CHECK_CLAIM:
		if (*v != '\0' && strlen(v) <= 256 && text_valid(v,
		    strlen(v)))
			return 0;
		snprintf(st->error, sizeof(st->error), "must be 1 to 256 "
		    "bytes of text, such as https://example.org");
		return -1;
	case CHECK_URL_PREFIX:
		if (*v == '\0' || (redirect_target_ok(v) &&
		    v[strlen(v) - 1] != '/'))
			return 0;
		snprintf(st->error, sizeof(st->error), "must be empty or a "
		    "path on this site without a trailing slash, such as "
		    "/app");
		return -1;
	}
	return -1;
}

/* A duration in the largest unit that divides it: "30d", "90s". */
static void
human_duration(long long secs, char *out, size_t size)
{
	if (secs != 0 && secs % 86400 == 0)
		snprintf(out, size, "%lldd", secs / 86400);
	else if (secs != 0 && secs % 3600 == 0)
		snprintf(out, size, "%lldh", secs / 3600);
	else if (secs != 0 && secs % 60 == 0)
		snprintf(out, size, "%lldm", secs / 60);
	else
		snprintf(out, size, "%llds", secs);
}

/* Convert and range-check one value into its slot. Returns 0 or -1. */
static int
set_value(struct parse_state *st, const struct setting *s, const char *v)
{
	char			*slot = (char *)st->cfg + s->offset;
	char			 lo[24], hi[24];
	unsigned long long	 u;
	long long		 secs;
	char			**str = (char **)(void *)slot;

	switch (s->type) {
	case SET_STRING:
		if (check_string(st, s->check, v) == -1)
			return -1;
		free(*str);
		if ((*str = strdup(v)) == NULL) {
			snprintf(st->error, sizeof(st->error), "out of memory");
			return -1;
		}
		return 0;
	case SET_DATABASE:
		if (!store_is_postgresql(v))
			return set_path(st, str, v);
		free(*str);
		if ((*str = strdup(v)) == NULL) {
			snprintf(st->error, sizeof(st->error), "out of memory");
			return -1;
		}
		return 0;
	case SET_PATH:
		return set_path(st, str, v);
	case SET_BOOL:
		if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 ||
		    strcmp(v, "on") == 0 || strcmp(v, "1") == 0)
			*(int *)(void *)slot = 1;
		else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 ||
		    strcmp(v, "off") == 0 || strcmp(v, "0") == 0)
			*(int *)(void *)slot = 0;
		else {
			snprintf(st->error, sizeof(st->error),
			    "\"%s\" is not yes or no", v);
			return -1;
		}
		return 0;
	case SET_UINT:
	case SET_SIZE:
		if (parse_uint(v, (unsigned long long)s->max, &u) == -1 ||
		    u < (unsigned long long)s->min) {
			snprintf(st->error, sizeof(st->error),
			    "\"%s\" is not a number from %lld to %lld", v,
			    s->min, s->max);
			return -1;
		}
		if (s->type == SET_UINT)
			*(unsigned int *)(void *)slot = (unsigned int)u;
		else
			*(size_t *)(void *)slot = (size_t)u;
		return 0;
	case SET_SECONDS:
	case SET_MILLIS:
		if (parse_duration(v, &secs) == -1 || secs < s->min ||
		    secs > s->max) {
			human_duration(s->min, lo, sizeof(lo));
			human_duration(s->max, hi, sizeof(hi));
			snprintf(st->error, sizeof(st->error),
			    "\"%s\" is not a duration from %s to %s "
			    "(a number with s, m, h or d)", v, lo, hi);
			return -1;
		}
		if (s->type == SET_SECONDS)
			*(long long *)(void *)slot = secs;
		else
			*(int *)(void *)slot = (int)secs * 1000;
		return 0;
	case SET_SAME_SITE:
		if (strcmp(v, "lax") == 0)
			*(enum same_site *)(void *)slot = SAME_SITE_LAX;
		else if (strcmp(v, "strict") == 0)
			*(enum same_site *)(void *)slot = SAME_SITE_STRICT;
		else {
			snprintf(st->error, sizeof(st->error),
			    "\"%s\" is not lax or strict", v);
			return -1;
		}
		return 0;
	case SET_AUTH_MODE:
		if (strcmp(v, "cookie") == 0)
			*(enum auth_mode *)(void *)slot = AUTH_MODE_COOKIE;
		else if (strcmp(v, "bearer") == 0)
			*(enum auth_mode *)(void *)slot = AUTH_MODE_BEARER;
		else if (strcmp(v, "both") == 0)
			*(enum auth_mode *)(void *)slot = AUTH_MODE_BOTH;
		else {
			snprintf(st->error, sizeof(st->error),
			    "\"%s\" is not cookie, bearer or both", v);
			return -1;
		}
		return 0;
	case SET_LOG_LEVEL:
		if (log_level_parse(v, (enum log_level *)(void *)slot) == -1) {
			snprintf(st->error, sizeof(st->error),
			    "\"%s\" is not error, warn, info or debug", v);
			return -1;
		}
		return 0;
	case SET_PROXIES:
		return set_proxies(st, (struct proxies *)(void *)slot, v);
	case SET_PROXY_HEADER:
		if (strcmp(v, "x-forwarded-for") == 0)
			*(int *)(void *)slot = 0;
		else if (strcmp(v, "forwarded") == 0)
			*(int *)(void *)slot = 1;
		else {
			snprintf(st->error, sizeof(st->error),
			    "\"%s\" is not x-forwarded-for or forwarded", v);
			return -1;
		}
		return 0;
	}
	return -1;
}

/*
 * The inih callback, once per "key = value" line. Returning 0 marks the
 * line as an error; only the first error's message is kept, since inih
 * reports the first error's line.
 */
static int
on_pair(void *arg, const char *section, const char *key, const char *value)
{
	struct parse_state	*st = arg;
	char			 msg[sizeof(st->error)], *unquoted = NULL;
	size_t			 i, len = strlen(value);
	int			 rc;

	/* path = "/var/db/x.db" means what path = /var/db/x.db does. */
	if (len >= 2 && value[0] == '"' && value[len - 1] == '"') {
		if ((unquoted = strndup(value + 1, len - 2)) == NULL)
			return 0;
		value = unquoted;
	}
	st->next_key++;

	if (strncmp(section, "headers", 7) == 0 && (section[7] == '\0' ||
	    section[7] == ' ')) {
		rc = headers_setting(st, section, key, value);
		free(unquoted);
		return rc;
	}

	rc = 0;
	for (i = 0; i < NSETTINGS; i++) {
		if (strcmp(settings[i].section, section) != 0 ||
		    strcmp(settings[i].key, key) != 0)
			continue;
		if (st->error[0] != '\0')
			break;
		if (st->seen[i]) {
			snprintf(st->error, sizeof(st->error), "[%.40s] %.40s: "
			    "set twice", section, key);
			break;
		}
		st->seen[i] = 1;
		if (set_value(st, &settings[i], value) == -1) {
			snprintf(msg, sizeof(msg), "[%.40s] %.40s: %.160s",
			    section, key, st->error);
			memcpy(st->error, msg, sizeof(msg));
		} else
			rc = 1;
		break;
	}
	if (i == NSETTINGS &&
	    st->error[0] == '\0')
		snprintf(st->error, sizeof(st->error),
		    "[%.40s] %.40s: unknown setting", section, key);
	free(unquoted);
	return rc;
}

/*
 * Unless "*slot" is set, make it "name" in the database's directory:
 * whoever runs the server has that one already. A PostgreSQL database
 * has no directory here: check() asks for the setting then. 0 or -1.
 */
static int
beside_db(struct config *cfg, char **slot, const char *name)
{
	const char	*slash;

	if (*slot != NULL || cfg->db_path == NULL ||
	    store_is_postgresql(cfg->db_path))
		return 0;
	/* db_path is absolute (SET_PATH): it has a '/'. */
	slash = strrchr(cfg->db_path, '/');
	if (asprintf(slot, "%.*s/%s", (int)(slash - cfg->db_path),
	    cfg->db_path, name) == -1) {
		*slot = NULL;
		return -1;
	}
	return 0;
}

/*
 * A line of [headers] or of a [headers "/path"] section: headers.c
 * checks it. The line number is ours (see note_key_line), for the checks
 * that can only be made once the whole section is known. 1 or 0, as
 * on_pair.
 */
static int
headers_setting(struct parse_state *st, const char *section,
    const char *key, const char *value)
{
	char	 msg[200];
	int	 line = 0, rc;

	if (st->error[0] != '\0')
		return 0;
	if (st->next_key <= st->nkey_lines)
		line = st->key_lines[st->next_key - 1];
	rc = headers_policy_set(st->cfg->headers, section, key, value, line,
	    msg, sizeof(msg));
	if (rc == 0)
		return 1;
	if (rc == -2)
		snprintf(st->error, sizeof(st->error), "[%.60s] %.40s: "
		    "unknown setting", section, key);
	else
		snprintf(st->error, sizeof(st->error), "[%.60s] %.40s: %.150s",
		    section, key, msg);
	return 0;
}

/* Paths and names that follow from others when the file leaves them. */
static int
fill_defaults(struct config *cfg)
{
	char	*p;

	if (cfg->cookie_name == NULL &&
	    (cfg->cookie_name = strdup("gh_sid")) == NULL)
		return -1;
	if (cfg->cookie_path == NULL &&
	    (cfg->cookie_path = strdup("/")) == NULL)
		return -1;
	if (cfg->static_url == NULL && (cfg->static_url = strdup("")) == NULL)
		return -1;
	if (cfg->issuer == NULL && (cfg->issuer = strdup("gatehouse")) ==
	    NULL)
		return -1;
	if (cfg->audience == NULL && (cfg->audience = strdup(cfg->issuer)) ==
	    NULL)
		return -1;
	if (beside_db(cfg, &cfg->keys_dir, "keys") == -1 ||
	    beside_db(cfg, &cfg->secrets_file, "secrets") == -1)
		return -1;
	if (cfg->www_dir == NULL &&
	    (cfg->www_dir = strdup(PKGDATADIR "/www")) == NULL)
		return -1;
	if (cfg->templates_dir == NULL) {
		if (asprintf(&p, "%s/templates", cfg->www_dir) == -1)
			return -1;
		cfg->templates_dir = p;
	}
	if (cfg->private_dir == NULL) {
		if (asprintf(&p, "%s/private", cfg->www_dir) == -1)
			return -1;
		cfg->private_dir = p;
	}
	return 0;
}

/*
 * inih calls us only for "key = value" lines, so a section header with
 * no keys under it ("[sesion]" at the end of a file) would pass unseen.
 * Check every header against the known sections first. Returns 0, or -1
 * with the message in st->error and the line in "*line".
 */
static int
check_sections(struct parse_state *st, FILE *f, int *line)
{
	char		*text = NULL, name[SECTION_NAME_MAX + 1];
	const char	*p;
	size_t		 len, cap = 0;
	int		 n = 0;

	while (getline(&text, &cap, f) != -1) {
		n++;
		p = text;
		/* inih skips a UTF-8 byte order mark, and blanks. */
		if (n == 1 && strncmp(p, "\xef\xbb\xbf", 3) == 0)
			p += 3;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0' || *p == ';' || *p == '#')
			continue;
		if (*p != '[') {
			if (note_key_line(st, n) == -1)
				goto fail;
			continue;
		}
		len = strcspn(p + 1, "]");
		if (p[1 + len] != ']')
			continue;	/* inih reports the syntax error */
		if (len > SECTION_NAME_MAX) {
			snprintf(st->error, sizeof(st->error), "[%.40s...]: "
			    "a section name is at most %d bytes", p + 1,
			    SECTION_NAME_MAX);
			goto fail;
		}
		memcpy(name, p + 1, len);
		name[len] = '\0';
		if (!section_known(st, name))
			goto fail;
	}
	free(text);
	rewind(f);
	return 0;
fail:
	*line = n;
	free(text);
	return -1;
}

/*
 * Is "name" a section we know? Returns 1, or 0 with the message in
 * st->error.
 */
static int
section_known(struct parse_state *st, const char *name)
{
	const char	*path;
	char		 msg[160];
	size_t		 i, len;
	int		 rc;

	for (i = 0; i < NSETTINGS; i++)
		if (strcmp(settings[i].section, name) == 0)
			return 1;
	if ((rc = headers_section(name, &path, &len, msg, sizeof(msg))) == 1)
		return 1;
	if (rc == -1)
		snprintf(st->error, sizeof(st->error), "[%.60s]: %s", name,
		    msg);
	else
		snprintf(st->error, sizeof(st->error), "[%.60s]: unknown "
		    "section", name);
	return 0;
}

/*
 * inih does not tell its callback which line it is on. Every line that
 * is not blank, a comment or a section header is a "key = value" inih
 * hands to on_pair in order (or a syntax error, which ends the parse),
 * so the n-th call is about the n-th such line. 0 or -1.
 */
static int
note_key_line(struct parse_state *st, int line)
{
	int	*p;

	if ((p = reallocarray(st->key_lines, st->nkey_lines + 1,
	    sizeof(*p))) == NULL) {
		snprintf(st->error, sizeof(st->error), "out of memory");
		return -1;
	}
	st->key_lines = p;
	st->key_lines[st->nkey_lines++] = line;
	return 0;
}

/*
 * Rules that tie settings together, and the cookie name prefix. With
 * Secure and Path=/ the name gets "__Host-", which makes browsers refuse
 * it from plain http and from other hosts of the domain (RFC 6265bis
 * section 4.1.3.2); with Secure alone, "__Secure-". Prints the error.
 */
static int
check(struct config *cfg)
{
	const char	*prefix = "";
	char		*full;

	if (cfg->db_path == NULL) {
		fprintf(stderr, "%s: [database] path is not set\n", cfg->file);
		return -1;
	}
	if (cfg->secrets_file == NULL || cfg->keys_dir == NULL) {
		fprintf(stderr, "%s: [server] secrets and [tokens] keys_dir "
		    "must be set when [database] path is a PostgreSQL "
		    "database\n", cfg->file);
		return -1;
	}
	if (cfg->idle_timeout > cfg->absolute_timeout) {
		fprintf(stderr, "%s: [session] idle_timeout is longer than "
		    "absolute_timeout\n", cfg->file);
		return -1;
	}
	if (cfg->touch_interval >= cfg->idle_timeout) {
		fprintf(stderr, "%s: [session] touch_interval must be shorter "
		    "than idle_timeout\n", cfg->file);
		return -1;
	}
	if (cfg->remember_me && cfg->remember_lifetime <
	    cfg->absolute_timeout) {
		fprintf(stderr, "%s: [session] remember_lifetime is shorter "
		    "than absolute_timeout\n", cfg->file);
		return -1;
	}
	if (cfg->pw_deny_list != NULL && access(cfg->pw_deny_list, R_OK) ==
	    -1) {
		fprintf(stderr, "%s: [password] deny_list: %s: %s\n",
		    cfg->file, cfg->pw_deny_list, strerror(errno));
		return -1;
	}
	if (!kdf_params_valid(&cfg->kdf)) {
		fprintf(stderr, "%s: [password] scrypt parameters need more "
		    "than 1 GiB of memory\n", cfg->file);
		return -1;
	}

	if (cfg->throttle.backoff_base > cfg->throttle.backoff_max) {
		fprintf(stderr, "%s: [throttle] backoff_base is longer than "
		    "backoff_max\n", cfg->file);
		return -1;
	}
	if (cfg->throttle.account_threshold >
	    cfg->throttle.account_hourly_max) {
		fprintf(stderr, "%s: [throttle] account_threshold is above "
		    "account_hourly_max\n", cfg->file);
		return -1;
	}

	if (cfg->cookie_secure)
		prefix = strcmp(cfg->cookie_path, "/") == 0 ? "__Host-" :
		    "__Secure-";
	if (cfg->access_lifetime > cfg->refresh_lifetime) {
		fprintf(stderr, "%s: [tokens] access_lifetime is longer than "
		    "refresh_lifetime\n", cfg->file);
		return -1;
	}
	if (asprintf(&full, "%s%s", prefix, cfg->cookie_name) == -1)
		return -1;
	free(cfg->cookie_name);
	cfg->cookie_name = full;
	/* The access token's cookie, if any: the same prefix, and "_at". */
	if (asprintf(&cfg->access_cookie_name, "%s%s_at", prefix,
	    full + strlen(prefix)) == -1)
		return -1;
	/* The CSRF nonce's cookie: the same prefix, and "_csrf". */
	if (asprintf(&cfg->csrf_cookie_name, "%s%s_csrf", prefix,
	    full + strlen(prefix)) == -1)
		return -1;
	return 0;
}

/*
 * Read "file" into "cfg" (which config_defaults prepared). On error,
 * prints one line naming the file, line and setting to stderr and returns
 * -1; "cfg" must still be freed with config_free.
 */
int
config_load(const char *file, struct config *cfg)
{
	struct parse_state	 st;
	FILE			*f;
	char			*slash;
	int			 line;

	memset(&st, 0, sizeof(st));
	st.cfg = cfg;
	if ((cfg->file = strdup(file)) == NULL)
		return -1;
	if (realpath(file, st.dir) == NULL) {
		fprintf(stderr, "%s: %s\n", file, strerror(errno));
		return -1;
	}
	if ((slash = strrchr(st.dir, '/')) != NULL)
		*(slash == st.dir ? slash + 1 : slash) = '\0';

	if ((cfg->headers = headers_policy_new()) == NULL) {
		fprintf(stderr, "%s: out of memory\n", file);
		return -1;
	}
	if ((f = fopen(file, "r")) == NULL) {
		fprintf(stderr, "%s: %s\n", file, strerror(errno));
		return -1;
	}
	if (check_sections(&st, f, &line) == -1) {
		fclose(f);
		free(st.key_lines);
		fprintf(stderr, "%s:%d: %s\n", file, line, st.error);
		return -1;
	}
#if HAVE_DECL_INI_STOP_ON_FIRST_ERROR
	ini_stop_on_first_error = 1;
#endif
#if HAVE_DECL_INI_ALLOW_MULTILINE
	/*
	 * An indented line is a setting, never glued to the one above; and
	 * "x = a ;b" means "a ;b", not "a" with a comment. Comments are
	 * whole lines starting with ';' or '#'.
	 */
	ini_allow_multiline = 0;
	ini_allow_inline_comments = 0;
#endif
#if HAVE_DECL_INI_ALLOW_REALLOC
	ini_use_stack = 0;
	ini_allow_realloc = 1;
	ini_max_line = 65536;
#endif
	line = ini_parse_file(f, on_pair, &st);
	fclose(f);
	free(st.key_lines);
	if (line != 0) {
		if (st.error[0] == '\0')
			snprintf(st.error, sizeof(st.error), "syntax error "
			    "(expected [section] or key = value)");
		fprintf(stderr, "%s:%d: %s\n", file, line, st.error);
		return -1;
	}

	if (headers_policy_finish(cfg->headers, st.error, sizeof(st.error),
	    &line) == -1) {
		if (line > 0)
			fprintf(stderr, "%s:%d: %s\n", file, line, st.error);
		else
			fprintf(stderr, "%s: %s\n", file, st.error);
		return -1;
	}
	if (fill_defaults(cfg) == -1) {
		fprintf(stderr, "%s: out of memory\n", file);
		return -1;
	}
	return check(cfg);
}
