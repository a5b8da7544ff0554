/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * gatehouse-admin: users, sessions and the schema, from the shell.
 *
 * Passwords are never taken from the command line, where other users see
 * them in the process list and shells keep them in history: they are
 * read from standard input, or prompted for twice without echo when
 * standard input is a terminal.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "gatehouse.h"
#include "store.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR	"/usr/local/etc"
#endif

struct admin {
	struct config	 cfg;
	struct store	*store;
	int64_t		 now;
};

struct command {
	const char	*name;
	int		 min_args;
	int		 max_args;
	const char	*usage;
	int		(*fn)(struct admin *, char **);
};

static int	 cmd_migrate(struct admin *, char **);
static int	 cmd_copy_to(struct admin *, char **);
static int	 cmd_useradd(struct admin *, char **);
static int	 cmd_passwd(struct admin *, char **);
static int	 cmd_userdel(struct admin *, char **);
static int	 cmd_disable(struct admin *, char **);
static int	 cmd_enable(struct admin *, char **);
static int	 user_exists(struct admin *, const char *);
static int	 cmd_users(struct admin *, char **);
static int	 cmd_sessions(struct admin *, char **);
static int	 cmd_revoke(struct admin *, char **);
static int	 cmd_gc(struct admin *, char **);
static int	 cmd_set_admin(struct admin *, char **);
static int	 cmd_key(struct admin *, char **);
static int	 key_generate(struct admin *, const char *);
static int	 print_key(const struct key_record *, void *);
static void	 usage(FILE *, int) GH_NORETURN;
static int	 read_line(FILE *, const char *, char *, size_t);
static int	 read_password(char *, size_t);
static int	 new_hash(struct admin *, const char *, char **);
static int	 print_user(const struct user *, void *);
static int	 print_session(const struct session *, void *);
static int	 cmd_unlock(struct admin *, char **);
static int	 cmd_events(struct admin *, char **);
static int	 parse_since(const char *, int64_t, int64_t *);
static int	 print_event(const struct event_record *, void *);

static const struct command commands[] = {
	{ "migrate", 0, 0, "migrate", cmd_migrate },
	{ "copy-to", 1, 1, "copy-to DATABASE", cmd_copy_to },
	{ "useradd", 1, 1, "useradd NAME", cmd_useradd },
	{ "passwd", 1, 1, "passwd NAME", cmd_passwd },
	{ "userdel", 1, 1, "userdel NAME", cmd_userdel },
	{ "disable", 1, 1, "disable NAME", cmd_disable },
	{ "enable", 1, 1, "enable NAME", cmd_enable },
	{ "set-admin", 2, 2, "set-admin NAME yes|no", cmd_set_admin },
	{ "users", 0, 0, "users", cmd_users },
	{ "sessions", 0, 1, "sessions [NAME]", cmd_sessions },
	{ "revoke", 1, 1, "revoke ID|NAME", cmd_revoke },
	{ "key", 1, 2, "key generate ALG | list | activate KID | retire KID",
	    cmd_key },
	{ "unlock", 1, 2, "unlock NAME | unlock --address ADDRESS",
	    cmd_unlock },
	{ "events", 0, 4, "events [--user NAME] [--since TIME]", cmd_events },
	{ "gc", 0, 0, "gc", cmd_gc },
};

#define NCOMMANDS	(sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *f, int status)
{
	size_t	 i;

	fprintf(f, "usage: gatehouse-admin [-c file] command [args]\n"
	    "commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %s\n", commands[i].usage);
	fprintf(f, "See gatehouse-admin(8).\n");
	exit(status);
}

/*
 * Read one line into "out" (at most "size" - 1 bytes), without its line
 * end. With a terminal, print "prompt" and turn echo off. Returns 0, or
 * -1 at end of input or for a line too long (the rest is not kept).
 */
static int
read_line(FILE *in, const char *prompt, char *out, size_t size)
{
	struct termios	 old, quiet;
	int		 tty = isatty(fileno(in)), rc = 0;
	size_t		 len;

	if (tty) {
		fputs(prompt, stderr);
		fflush(stderr);
		if (tcgetattr(fileno(in), &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			tcsetattr(fileno(in), TCSAFLUSH, &quiet);
		} else
			tty = 0;
	}
	if (fgets(out, (int)size, in) == NULL)
		rc = -1;
	if (tty) {
		tcsetattr(fileno(in), TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (rc == -1)
		return -1;
	len = strlen(out);
	if (len > 0 && out[len - 1] == '\n')
		out[--len] = '\0';
	else if (!feof(in))
		return -1;	/* longer than the buffer */
	if (len > 0 && out[len - 1] == '\r')
		out[--len] = '\0';
	return 0;
}

/*
 * Get a new password: twice from a terminal, once from a pipe. Returns
 * 0, or -1 after printing why.
 */
static int
read_password(char *pw, size_t size)
{
	char	 again[PASSWORD_MAX + 2];
	int	 rc = -1;

	if (read_line(stdin, "New password: ", pw, size) == -1) {
		fprintf(stderr, "gatehouse-admin: no password given, or "
		    "longer than %d bytes\n", PASSWORD_MAX);
		goto out;
	}
	if (isatty(STDIN_FILENO)) {
		if (read_line(stdin, "Again: ", again, sizeof(again)) == -1 ||
		    strcmp(pw, again) != 0) {
			fprintf(stderr, "gatehouse-admin: the passwords "
			    "differ\n");
			goto out;
		}
	}
	rc = 0;
out:
	wipe(again, sizeof(again));
	return rc;
}

/*
 * Read a new password for "user", check it against the password policy
 * (the same as the password page's), and hash it into "*hash" (freed by
 * the caller). Returns 0, or -1 after printing why.
 */
static int
new_hash(struct admin *a, const char *user, char **hash)
{
	char		 pw[PASSWORD_MAX + 2];
	struct buf	 why;
	int		 rc = -1;

	*hash = NULL;
	buf_init(&why);
	if (read_password(pw, sizeof(pw)) == -1)
		goto out;
	switch (policy_check(&a->cfg, pw, strlen(pw), user, &why)) {
	case POLICY_OK:
		break;
	case POLICY_REFUSED:
		fprintf(stderr, "gatehouse-admin: %s\n", why.oom ?
		    "the password is refused" : why.data);
		goto out;
	default:
		fprintf(stderr, "gatehouse-admin: the password could not be "
		    "checked\n");
		goto out;
	}
	if ((rc = password_hash(pw, strlen(pw), &a->cfg.kdf, hash)) == -1)
		fprintf(stderr, "gatehouse-admin: could not hash the "
		    "password\n");
out:
	wipe(pw, sizeof(pw));
	buf_free(&why);
	return rc;
}

/* Opening the store migrated it; say to which version. */
static int
cmd_migrate(struct admin *a, char **argv)
{
	int	 from, to;

	(void)argv;
	if (store_migrate(a->store, &from, &to) != STORE_OK)
		return 1;
	printf("%s: schema at version %d\n", a->cfg.db_path, to);
	return 0;
}

/*
 * Copy the configured SQLite database, all of it, into the PostgreSQL
 * database "argv[0]" (a connection string, as [database] path takes),
 * which gets the schema and must hold no users, keys or sessions yet.
 */
static int
cmd_copy_to(struct admin *a, char **argv)
{
	struct store	*to;
	int		 rows, rc;

	if (!store_is_postgresql(argv[0])) {
		fprintf(stderr, "gatehouse-admin: copy-to takes a PostgreSQL "
		    "connection string (postgresql://... or host=... "
		    "dbname=...)\n");
		return 1;
	}
	if (store_open(argv[0], a->cfg.db_busy_ms, 1, &to) != STORE_OK)
		return 1;
	rc = store_copy(a->store, to, &rows);
	store_close(to);
	if (rc != STORE_OK)
		return 1;
	printf("%d rows copied from %s to %s\n", rows, a->cfg.db_path,
	    argv[0]);
	return 0;
}

static int
cmd_useradd(struct admin *a, char **argv)
{
	char	*hash;
	int	 rc;

	if (!user_name_valid(argv[0], strlen(argv[0]))) {
		fprintf(stderr, "gatehouse-admin: a user name is 1 to %d bytes "
		    "of UTF-8 text without control characters or spaces at "
		    "either end\n", USER_NAME_MAX);
		return 1;
	}
	if (new_hash(a, argv[0], &hash) == -1)
		return 1;
	rc = store_user_add(a->store, argv[0], hash, a->now);
	free(hash);
	if (rc == STORE_EXISTS) {
		fprintf(stderr, "gatehouse-admin: user %s already exists\n",
		    argv[0]);
		return 1;
	}
	if (rc != STORE_OK)
		return 1;
	audit_record(a->store, a->now, AUDIT_ACCOUNT_CHANGE, argv[0], NULL,
	    "added");
	printf("user %s added\n", argv[0]);
	return 0;
}

/* Does user "name" exist? 1, 0 (said so on stderr), or -1. */
static int
user_exists(struct admin *a, const char *name)
{
	struct user	 u;
	int		 rc;

	rc = store_user_get(a->store, name, &u);
	user_clear(&u);
	if (rc == STORE_NOTFOUND)
		fprintf(stderr, "gatehouse-admin: no user %s\n", name);
	return rc == STORE_OK ? 1 : rc == STORE_NOTFOUND ? 0 : -1;
}

/* A new password also ends every session of the user, atomically. */
static int
cmd_passwd(struct admin *a, char **argv)
{
	char	*hash;
	int	 rc;

	if (user_exists(a, argv[0]) != 1 || new_hash(a, argv[0], &hash) == -1)
		return 1;
	rc = store_user_set_password(a->store, argv[0], hash, 1);
	wipe(hash, strlen(hash));
	free(hash);
	if (rc != STORE_OK)
		return 1;
	audit_record(a->store, a->now, AUDIT_PASSWORD_CHANGE, argv[0], NULL,
	    "admin");
	printf("password of %s changed; their sessions ended\n", argv[0]);
	return 0;
}

/* A disabled account cannot log in, and its sessions end at once. */
static int
cmd_disable(struct admin *a, char **argv)
{
	int	 rc;

	rc = store_user_set_disabled(a->store, argv[0], 1);
	if (rc == STORE_NOTFOUND)
		fprintf(stderr, "gatehouse-admin: no user %s\n", argv[0]);
	if (rc != STORE_OK)
		return 1;
	audit_record(a->store, a->now, AUDIT_ACCOUNT_CHANGE, argv[0], NULL,
	    "disabled");
	printf("user %s disabled; their sessions ended\n", argv[0]);
	return 0;
}

static int
cmd_enable(struct admin *a, char **argv)
{
	int	 rc;

	rc = store_user_set_disabled(a->store, argv[0], 0);
	if (rc == STORE_NOTFOUND)
		fprintf(stderr, "gatehouse-admin: no user %s\n", argv[0]);
	if (rc != STORE_OK)
		return 1;
	audit_record(a->store, a->now, AUDIT_ACCOUNT_CHANGE, argv[0], NULL,
	    "enabled");
	printf("user %s enabled\n", argv[0]);
	return 0;
}

static int
cmd_userdel(struct admin *a, char **argv)
{
	int	 rc;

	rc = store_user_delete(a->store, argv[0]);
	if (rc == STORE_NOTFOUND) {
		fprintf(stderr, "gatehouse-admin: no user %s\n", argv[0]);
		return 1;
	}
	if (rc != STORE_OK)
		return 1;
	audit_record(a->store, a->now, AUDIT_ACCOUNT_CHANGE, argv[0], NULL,
	    "deleted");
	printf("user %s deleted, with their sessions\n", argv[0]);
	return 0;
}

static int
print_user(const struct user *u, void *arg)
{
	char	 created[32];

	(void)arg;
	if (format_time(u->created, created, sizeof(created)) == -1)
		snprintf(created, sizeof(created), "?");
	printf("%-24s %s %6lld session%s%s%s\n", u->name, created,
	    (long long)u->sessions, u->sessions == 1 ? " " : "s",
	    u->admin ? "  admin" : "", u->disabled ? "  disabled" : "");
	return 0;
}

static int
cmd_users(struct admin *a, char **argv)
{
	(void)argv;
	return store_user_list(a->store, print_user, NULL) == STORE_OK ? 0 : 1;
}

/* The id shown for a session: the start of its hash, never the id. */
static int
print_session(const struct session *s, void *arg)
{
	struct admin	*a = arg;
	char		 hex[2 * SESSION_HASH_LEN + 1];
	char		 created[32], seen[32], ends[32];

	hex_encode(s->hash, SESSION_HASH_LEN, hex, sizeof(hex));
	hex[12] = '\0';
	format_time(s->created, created, sizeof(created));
	format_time(s->last_seen, seen, sizeof(seen));
	format_time(session_idle_deadline(s, &a->cfg), ends, sizeof(ends));
	printf("%s  %-20s created %s  seen %s  ends %s  %s from %s%s%s\n",
	    hex, s->user, created, seen, ends, s->agent[0] != '\0' ?
	    s->agent : "Unknown browser", s->address[0] != '\0' ?
	    s->address : "an unknown address",
	    session_remembered(s, &a->cfg) ? "  remembered" : "",
	    session_state(s, a->now, &a->cfg) == SESSION_LIVE ? "" :
	    "  (ended)");
	return 0;
}

static int
cmd_sessions(struct admin *a, char **argv)
{
	return store_session_list(a->store, argv[0], print_session, a) ==
	    STORE_OK ? 0 : 1;
}

/*
 * "revoke X": when X names a user, all of their sessions end; otherwise
 * X is taken as the start of a session id as the sessions command shows
 * it (at least 8 hex digits), and that one session ends.
 */
static int
cmd_revoke(struct admin *a, char **argv)
{
	struct user	 u;
	char		 prefix[2 * SESSION_HASH_LEN + 1];
	size_t		 i, len = strlen(argv[0]);
	int		 rc, n;

	rc = store_user_get(a->store, argv[0], &u);
	user_clear(&u);
	if (rc == STORE_OK) {
		if (store_user_end_logins(a->store, argv[0], &n) != STORE_OK)
			return 1;
		audit_record(a->store, a->now, AUDIT_SESSION_REVOKE, argv[0],
		    NULL, "admin");
		printf("%d session%s and refresh token%s of %s revoked\n", n,
		    n == 1 ? "" : "s", n == 1 ? "" : "s", argv[0]);
		return 0;
	}
	if (rc != STORE_NOTFOUND)
		return 1;

	if (len < 8 || len > 2 * SESSION_HASH_LEN) {
		fprintf(stderr, "gatehouse-admin: no user %s, and a session "
		    "id needs 8 to 64 hex digits\n", argv[0]);
		return 1;
	}
	for (i = 0; i < len; i++) {
		if (!isxdigit((unsigned char)argv[0][i])) {
			fprintf(stderr, "gatehouse-admin: no user or session "
			    "%s\n", argv[0]);
			return 1;
		}
		prefix[i] = (char)toupper((unsigned char)argv[0][i]);
	}
	prefix[len] = '\0';
	rc = store_session_delete_prefix(a->store, prefix);
	if (rc == STORE_NOTFOUND)
		fprintf(stderr, "gatehouse-admin: no user or session %s\n",
		    argv[0]);
	else if (rc == STORE_AMBIGUOUS)
		fprintf(stderr, "gatehouse-admin: %s matches several "
		    "sessions; give more digits\n", argv[0]);
	if (rc != STORE_OK)
		return 1;
	/* Found by its id alone: the event names no user. */
	audit_record(a->store, a->now, AUDIT_SESSION_REVOKE, NULL, NULL,
	    "admin_session");
	printf("session %s revoked\n", argv[0]);
	return 0;
}

/* Ended sessions, expired refresh tokens, revocations past their end. */
static int
cmd_gc(struct admin *a, char **argv)
{
	int	 n, t;

	(void)argv;
	if (store_session_purge(a->store, a->now, &a->cfg, &n) !=
	    STORE_OK || store_token_purge(a->store, a->now,
	    token_grace(&a->cfg), &t) != STORE_OK)
		return 1;
	printf("%d ended session%s and %d token record%s removed\n", n,
	    n == 1 ? "" : "s", t, t == 1 ? "" : "s");
	if (store_event_purge(a->store, a->now - a->cfg.audit_retention, &n) !=
	    STORE_OK)
		return 1;
	printf("%d audit event%s past [audit] retention removed\n", n,
	    n == 1 ? "" : "s");
	if (store_throttle_purge(a->store, a->now, &n) != STORE_OK)
		return 1;
	printf("%d failed login%s older than an hour removed\n", n,
	    n == 1 ? "" : "s");
	return 0;
}

/*
 * "unlock NAME" forgets the failed logins of a user name (whether or not
 * an account has it, as the throttle counts them), which ends its
 * lockout; "unlock --address ADDRESS" those from a client address (from
 * its /64, for IPv6, as the throttle counts them).
 */
static int
cmd_unlock(struct admin *a, char **argv)
{
	unsigned char	 key[SESSION_HASH_LEN];
	char		 client[THROTTLE_ADDR_LEN];
	const char	*what;
	int		 n, address = 0;

	if (strcmp(argv[0], "--address") == 0 && argv[1] != NULL)
		address = 1;
	else if (argv[1] != NULL) {
		fprintf(stderr, "usage: gatehouse-admin unlock NAME | unlock "
		    "--address ADDRESS\n");
		return 2;
	}
	what = argv[address];
	if (address) {
		what = throttle_client(what, client);
		if (store_throttle_clear_addr(a->store, what, &n) != STORE_OK)
			return 1;
	} else {
		sha256(what, strlen(what), key);
		if (store_throttle_clear_name(a->store, key, &n) != STORE_OK)
			return 1;
	}
	audit_record(a->store, a->now, AUDIT_UNLOCK, address ? NULL : what,
	    address ? what : NULL, "admin");
	printf("%s %s unlocked: %d failed login%s forgotten\n", address ?
	    "address" : "user", what, n, n == 1 ? "" : "s");
	return 0;
}

/*
 * When "--since" starts: a duration back from "now" (30m, 2h, 7d), a
 * date (2026-12-01, midnight UTC) or a time in UTC (2026-12-01T08:00:00Z,
 * as the events are printed). Returns 0 or -1.
 */
static int
parse_since(const char *s, int64_t now, int64_t *out)
{
	struct tm	 tm;
	const char	*end;
	long long	 secs;

	if (parse_duration(s, &secs) == 0) {
		*out = now - secs;
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, "%Y-%m-%d", &tm)) == NULL)
		return -1;
	if (*end == 'T' && (end = strptime(end + 1, "%H:%M:%S", &tm)) !=
	    NULL && *end == 'Z')
		end++;
	if (end == NULL || *end != '\0')
		return -1;
	*out = (int64_t)timegm(&tm);
	return 0;
}

/* One event, one line: time, event, outcome, address, user (last). */
static int
print_event(const struct event_record *e, void *arg)
{
	char	 at[32];

	(void)arg;
	if (format_time(e->at, at, sizeof(at)) == -1)
		snprintf(at, sizeof(at), "?");
	printf("%s  %-15s %-22s %-15s %s\n", at, e->event, e->outcome,
	    e->addr == NULL ? "-" : e->addr, e->user == NULL ? "-" : e->user);
	return 0;
}

/* events [--user NAME] [--since TIME]: the audit trail, oldest first. */
static int
cmd_events(struct admin *a, char **argv)
{
	const char	*user = NULL;
	int64_t		 since = 0;
	int		 i, have_since = 0;

	for (i = 0; argv[i] != NULL; i += 2) {
		if (argv[i + 1] == NULL)
			goto usage;
		if (strcmp(argv[i], "--user") == 0 && user == NULL)
			user = argv[i + 1];
		else if (strcmp(argv[i], "--since") == 0 && !have_since) {
			have_since = 1;
			if (parse_since(argv[i + 1], a->now, &since) == -1) {
				fprintf(stderr, "gatehouse-admin: --since %s: "
				    "not a duration (2h, 7d) or a UTC date "
				    "(2026-12-01 or 2026-12-01T08:00:00Z)\n",
				    argv[i + 1]);
				return 2;
			}
		} else
			goto usage;
	}
	return store_event_list(a->store, user, since, print_event, NULL) ==
	    STORE_OK ? 0 : 1;
usage:
	fprintf(stderr, "usage: gatehouse-admin events [--user NAME] "
	    "[--since TIME]\n");
	return 2;
}

/* Whether the user's tokens carry "admin": true. */
static int
cmd_set_admin(struct admin *a, char **argv)
{
	int	 on, rc;

	if (strcmp(argv[1], "yes") == 0)
		on = 1;
	else if (strcmp(argv[1], "no") == 0)
		on = 0;
	else {
		fprintf(stderr, "usage: gatehouse-admin set-admin NAME "
		    "yes|no\n");
		return 2;
	}
	rc = store_user_set_admin(a->store, argv[0], on);
	if (rc == STORE_NOTFOUND)
		fprintf(stderr, "gatehouse-admin: no user %s\n", argv[0]);
	if (rc != STORE_OK)
		return 1;
	audit_record(a->store, a->now, AUDIT_ACCOUNT_CHANGE, argv[0], NULL,
	    on ? "admin_on" : "admin_off");
	printf("user %s is %s admin\n", argv[0], on ? "an" : "not an");
	return 0;
}

/*
 * A new signing key: the file first (keys_dir/KID.key, mode 0600, in a
 * folder of mode 0700), then its record, so that no record ever names a
 * missing file. It is the active key if there is none, else a verifying
 * one, published in the JWKS until "key activate" makes it sign.
 */
static int
key_generate(struct admin *a, const char *alg_name)
{
	struct jwk	 k;
	enum jws_alg	 alg;
	struct stat	 sb;
	char		 kid[32], *path = NULL;
	int		 active, rc = 1;

	if (jws_alg_parse(alg_name, &alg) == -1) {
		fprintf(stderr, "gatehouse-admin: unknown algorithm %s (HS256, "
		    "HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, "
		    "ES256, ES384, ES512, EdDSA)\n", alg_name);
		return 2;
	}
	if (mkdir(a->cfg.keys_dir, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "gatehouse-admin: %s: %s\n", a->cfg.keys_dir,
		    strerror(errno));
		return 1;
	}
	if (stat(a->cfg.keys_dir, &sb) == -1 || !S_ISDIR(sb.st_mode) ||
	    (sb.st_mode & 077) != 0) {
		fprintf(stderr, "gatehouse-admin: %s must be a folder only "
		    "its owner can open (chmod 700)\n", a->cfg.keys_dir);
		return 1;
	}
	if (token_new_kid(kid, sizeof(kid)) == -1 ||
	    jwk_generate(alg, &k) == -1)
		return 1;
	if ((path = token_key_path(&a->cfg, kid)) == NULL ||
	    jwk_write(&k, path) == -1)
		goto out;
	if (store_key_add(a->store, kid, alg_name, a->now, &active) !=
	    STORE_OK) {
		unlink(path);
		goto out;
	}
	printf("key %s (%s) generated: %s\n", kid, alg_name, active ?
	    "it signs new tokens" : "it verifies; \"key activate\" makes it "
	    "sign");
	rc = 0;
out:
	jwk_free(&k);
	free(path);
	return rc;
}

static int
print_key(const struct key_record *k, void *arg)
{
	char	 created[32], retired[32];

	(void)arg;
	format_time(k->created, created, sizeof(created));
	if (k->retired != 0)
		format_time(k->retired, retired, sizeof(retired));
	printf("%-14s %-6s %-8s created %s%s%s\n", k->kid, k->alg, k->state,
	    created, k->retired != 0 ? "  retired " : "",
	    k->retired != 0 ? retired : "");
	return 0;
}

/* key generate ALG | list | activate KID | retire KID */
static int
cmd_key(struct admin *a, char **argv)
{
	char	*path;
	int	 rc, two = argv[1] != NULL;

	if (strcmp(argv[0], "list") == 0 && !two)
		return store_key_list(a->store, 1, print_key, NULL) ==
		    STORE_OK ? 0 : 1;
	if (!two) {
		fprintf(stderr, "usage: gatehouse-admin key generate ALG | "
		    "list | activate KID | retire KID\n");
		return 2;
	}
	if (strcmp(argv[0], "generate") == 0)
		return key_generate(a, argv[1]);
	if (strcmp(argv[0], "activate") == 0) {
		rc = store_key_activate(a->store, argv[1]);
		if (rc == STORE_ACTIVE) {
			printf("key %s is the active key already\n", argv[1]);
			return 0;
		}
		if (rc == STORE_NOTFOUND)
			fprintf(stderr, "gatehouse-admin: %s is not a "
			    "verifying key\n", argv[1]);
		if (rc != STORE_OK)
			return 1;
		printf("key %s signs new tokens; the one before still "
		    "verifies until retired\n", argv[1]);
		return 0;
	}
	if (strcmp(argv[0], "retire") == 0) {
		rc = store_key_retire(a->store, argv[1], a->now);
		if (rc == STORE_ACTIVE)
			fprintf(stderr, "gatehouse-admin: %s is the active "
			    "key: activate another first\n", argv[1]);
		else if (rc == STORE_NOTFOUND)
			fprintf(stderr, "gatehouse-admin: no verifying key "
			    "%s\n", argv[1]);
		if (rc != STORE_OK)
			return 1;
		/* A retired key's secret has no use left: delete it. */
		if ((path = token_key_path(&a->cfg, argv[1])) != NULL &&
		    unlink(path) == -1 && errno != ENOENT)
			fprintf(stderr, "gatehouse-admin: %s: %s\n", path,
			    strerror(errno));
		free(path);
		printf("key %s retired: tokens it signed no longer verify\n",
		    argv[1]);
		return 0;
	}
	fprintf(stderr, "usage: gatehouse-admin key generate ALG | list | "
	    "activate KID | retire KID\n");
	return 2;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const struct command	*cmd = NULL;
	struct admin		 a;
	const char		*file = NULL;
	char			*none[1] = { NULL };
	size_t			 i;
	int			 ch, nargs, rc;

	while ((ch = getopt_long(argc, argv, "+c:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			file = optarg;
			break;
		case 'h':
			usage(stdout, 0);
		case 'V':
			printf("gatehouse-admin %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr, 2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage(stderr, 2);
	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[0], commands[i].name) == 0)
			cmd = &commands[i];
	nargs = argc - 1;
	if (cmd == NULL) {
		fprintf(stderr, "gatehouse-admin: unknown command %s\n",
		    argv[0]);
		usage(stderr, 2);
	}
	if (nargs < cmd->min_args || nargs > cmd->max_args) {
		fprintf(stderr, "usage: gatehouse-admin %s\n", cmd->usage);
		return 2;
	}

	if (file == NULL)
		file = getenv("GATEHOUSE_CONFIG");
	if (file == NULL)
		file = SYSCONFDIR "/gatehouse.conf";
	memset(&a, 0, sizeof(a));
	config_defaults(&a.cfg);
	if (config_load(file, &a.cfg) == -1) {
		config_free(&a.cfg);
		return 1;
	}
	/* Why a command failed is a warning: always shown here. */
	log_init("gatehouse-admin", a.cfg.log_level < LOG_LEVEL_WARN ?
	    LOG_LEVEL_WARN : a.cfg.log_level);
	umask(027);
	a.now = (int64_t)time(NULL);
	if (store_open(a.cfg.db_path, a.cfg.db_busy_ms, 1, &a.store) !=
	    STORE_OK) {
		config_free(&a.cfg);
		return 1;
	}
	rc = cmd->fn(&a, nargs > 0 ? argv + 1 : none);
	store_close(a.store);
	config_free(&a.cfg);
	return rc;
}
