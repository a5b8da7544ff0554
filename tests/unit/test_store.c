/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Unit tests for the store on a real SQLite file: opening and migrating,
 * users, sessions, purging, and the constraints of the schema itself,
 * checked through a second, raw SQLite connection. With GH_TEST_PG set
 * to a connection string (tests/unit/test_store_pg.sh starts a server
 * for it), the same tests run on that PostgreSQL database instead, but
 * for those about SQLite files, and with some of PostgreSQL's own.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>
#ifdef HAVE_LIBPQ
#include <libpq-fe.h>
#endif

#include "gatehouse.h"
#include "store.h"
#include "testlib.h"

#define BUSY_MS	1000
#define NSEEN	8
#define NRACE	6	/* workers racing for one row */

#define NTESTS(a)	(sizeof(a) / sizeof((a)[0]))

/* GH_TEST_PG: the PostgreSQL database the tests run on, or NULL. */
static const char	*pg_database;

/* A temporary directory, the database in it, and the store when open. */
struct fixture {
	char		*dir;
	char		*path;
	struct store	*st;
};

/* What a visitor saw, in order; it asks to stop after "stop_after". */
struct seen {
	int		 n;
	int		 stop_after;	/* 0: never */
	char		 name[NSEEN][16];
	int64_t		 num[NSEEN];	/* session count, or created */
	unsigned char	 first[NSEEN];	/* a session hash's first byte */
};


/* The password hash of the users add_user makes. */
#define PROOF	"$scrypt$placeholder"

static int	 setup_dir(void **);
static int	 setup_store(void **);
static int	 teardown(void **);
static struct store *
		 open_quiet(const char *);
static int	 raw_exec(const char *, const char *);
static long long raw_int(const char *, const char *);
static char	*raw_text(const char *, const char *);
static int64_t	 add_user(struct store *, const char *);
static void	 make_hash(unsigned char *, unsigned char, unsigned char,
		    unsigned char);
static void	 add_session(struct store *, const unsigned char *, int64_t,
		    int64_t, int64_t, int64_t);
static int	 session_exists(struct store *, const unsigned char *);
static int	 see_user(const struct user *, void *);
static int	 see_session(const struct session *, void *);
static void	 race(const char *, int (*)(struct store *, int), int *,
		    int *);
static void	 race_token(struct refresh_record *, unsigned char);
static int	 rotate_once(struct store *, int);
static int	 attempt_once(struct store *, int);
#ifdef HAVE_LIBPQ
static void	 quiet(void *, const char *);
static PGresult	*pg_raw(const char *, const char *);
static int	 pg_raw_exec(const char *, const char *);
static void	 pg_reset(const char *);
#endif

static int
setup_dir(void **state)
{
	struct fixture	*f;

	assert_non_null(f = calloc(1, sizeof(*f)));
	f->dir = test_tempdir();
#ifdef HAVE_LIBPQ
	if (pg_database != NULL) {
		assert_non_null(f->path = strdup(pg_database));
		pg_reset(f->path);
		*state = f;
		return 0;
	}
#endif
	assert_int_not_equal(asprintf(&f->path, "%s/gh.db", f->dir), -1);
	*state = f;
	return 0;
}

static int
setup_store(void **state)
{
	struct fixture	*f;

	setup_dir(state);
	f = *state;
	f->st = open_quiet(f->path);
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	store_close(f->st);
	test_rmtree(f->dir);
	free(f->path);
	free(f->dir);
	free(f);
	return 0;
}

/* Open a store that must open; its log line (an upgrade) is dropped. */
static struct store *
open_quiet(const char *path)
{
	struct store	*st = NULL;
	char		*err;
	int		 rc;

	test_stderr_begin();
	rc = store_open(path, BUSY_MS, 1, &st);
	err = test_stderr_end();
	free(err);
	assert_int_equal(rc, STORE_OK);
	assert_non_null(st);
	return st;
}

/* Run "sql" on a connection of our own; the extended result code. */
static int
raw_exec(const char *path, const char *sql)
{
	sqlite3	*db;
	int	 rc;

#ifdef HAVE_LIBPQ
	if (pg_database != NULL)
		return pg_raw_exec(path, sql);
#endif
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_extended_result_codes(db, 1);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		rc = sqlite3_extended_errcode(db);
	sqlite3_close(db);
	return rc;
}

/* The first column of the first row of "sql", as a number. */
static long long
raw_int(const char *path, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	long long	 v;

#ifdef HAVE_LIBPQ
	PGresult	*res;

	if (pg_database != NULL) {
		res = pg_raw(path, sql);
		assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
		assert_true(PQntuples(res) >= 1);
		v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		PQclear(res);
		return v;
	}
#endif
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

/* The same as text; the caller frees it. */
static char *
raw_text(const char *path, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	char		*v;

#ifdef HAVE_LIBPQ
	PGresult	*res;

	if (pg_database != NULL) {
		res = pg_raw(path, sql);
		assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
		assert_true(PQntuples(res) >= 1);
		assert_false(PQgetisnull(res, 0, 0));
		assert_non_null(v = strdup(PQgetvalue(res, 0, 0)));
		PQclear(res);
		return v;
	}
#endif
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_non_null(sqlite3_column_text(s, 0));
	assert_non_null(v = strdup((const char *)sqlite3_column_text(s, 0)));
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

/* Add a user and return their id. */
static int64_t
add_user(struct store *st, const char *name)
{
	struct user	 u;
	int64_t		 id;

	assert_int_equal(store_user_add(st, name, PROOF, 1000), STORE_OK);
	assert_int_equal(store_user_get(st, name, &u), STORE_OK);
	id = u.id;
	user_clear(&u);
	assert_true(id > 0);
	return id;
}

/*
 * A hash whose upper-case hex starts with the three given bytes. Most
 * callers give zero for two of them, so the hash holds NUL bytes: the
 * id_hash is a blob, never to be handled as a C string.
 */
static void
make_hash(unsigned char *h, unsigned char b0, unsigned char b1,
    unsigned char b2)
{
	size_t	 i;

	for (i = 0; i < SESSION_HASH_LEN; i++)
		h[i] = (unsigned char)(i * 7);
	h[0] = b0;
	h[1] = b1;
	h[2] = b2;
}

static void
add_session(struct store *st, const unsigned char *hash, int64_t user_id,
    int64_t created, int64_t last_seen, int64_t expires)
{
	struct session	 s;

	memset(&s, 0, sizeof(s));
	memcpy(s.hash, hash, SESSION_HASH_LEN);
	s.user_id = user_id;
	s.created = created;
	s.last_seen = last_seen;
	s.expires = expires;
	assert_int_equal(store_session_add(st, &s, PROOF), STORE_OK);
}

/* 1 if the store has the session, 0 if not. */
static int
session_exists(struct store *st, const unsigned char *hash)
{
	struct session	 s;
	int		 rc;

	rc = store_session_get(st, hash, &s);
	session_clear(&s);
	assert_true(rc == STORE_OK || rc == STORE_NOTFOUND);
	return rc == STORE_OK;
}

static int
see_user(const struct user *u, void *arg)
{
	struct seen	*seen = arg;

	assert_true(seen->n < NSEEN);
	assert_true(strlen(u->name) < sizeof(seen->name[0]));
	/* The list does not hand out password hashes. */
	assert_null(u->password_hash);
	strcpy(seen->name[seen->n], u->name);
	seen->num[seen->n] = u->sessions;
	seen->n++;
	return seen->n == seen->stop_after ? -1 : 0;
}

static int
see_session(const struct session *s, void *arg)
{
	struct seen	*seen = arg;

	assert_true(seen->n < NSEEN);
	assert_true(strlen(s->user) < sizeof(seen->name[0]));
	strcpy(seen->name[seen->n], s->user);
	seen->num[seen->n] = s->created;
	seen->first[seen->n] = s->hash[0];
	seen->n++;
	return seen->n == seen->stop_after ? -1 : 0;
}

/* A new file gets the whole schema, in WAL mode, and says so once. */
static void
test_open_creates(void **state)
{
	struct fixture	*f = *state;
	struct store	*st = NULL;
	char		*err, *mode, *want;

	assert_true(migrations_count >= 1);
	assert_int_equal(migrations[migrations_count - 1].version,
	    migrations_count);

	test_stderr_begin();
	assert_int_equal(store_open(f->path, BUSY_MS, 1, &st), STORE_OK);
	err = test_stderr_end();
	assert_non_null(st);
	assert_int_not_equal(asprintf(&want, "store: %s: schema upgraded from "
	    "version 0 to %d\n", f->path, migrations_count), -1);
	assert_non_null(strstr(err, want));
	free(want);
	free(err);
	assert_int_equal(store_ping(st), STORE_OK);

	assert_int_equal(raw_int(f->path, "PRAGMA user_version"),
	    migrations_count);
	mode = raw_text(f->path, "PRAGMA journal_mode");
	assert_string_equal(mode, "wal");
	free(mode);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_schema "
	    "WHERE type = 'table' AND name IN ('users', 'sessions')"), 2);
	store_close(st);
}

/* Opening a current database changes nothing and logs nothing. */
static void
test_reopen_noop(void **state)
{
	struct fixture	*f = *state;
	struct store	*st = NULL;
	struct user	 u;
	char		*err;
	int		 from = -1, to = -1;

	f->st = open_quiet(f->path);
	add_user(f->st, "alice");
	store_close(f->st);
	f->st = NULL;

	test_stderr_begin();
	assert_int_equal(store_open(f->path, BUSY_MS, 1, &st), STORE_OK);
	err = test_stderr_end();
	f->st = st;
	assert_string_equal(err, "");
	free(err);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"),
	    migrations_count);
	assert_int_equal(store_user_get(st, "alice", &u), STORE_OK);
	user_clear(&u);

	assert_int_equal(store_migrate(st, &from, &to), STORE_OK);
	assert_int_equal(from, migrations_count);
	assert_int_equal(to, migrations_count);
}

/* A schema from a newer program is left alone, not opened. */
static void
test_open_newer_refused(void **state)
{
	struct fixture	*f = *state;
	struct store	*st = (struct store *)0x1;
	char		*err, *sql;

	store_close(open_quiet(f->path));
	assert_int_not_equal(asprintf(&sql, "PRAGMA user_version = %d",
	    migrations_count + 1), -1);
	assert_int_equal(raw_exec(f->path, sql), SQLITE_OK);
	free(sql);

	test_stderr_begin();
	assert_int_equal(store_open(f->path, BUSY_MS, 1, &st), STORE_ERROR);
	err = test_stderr_end();
	assert_null(st);
	assert_non_null(strstr(err, "newer than this program knows"));
	free(err);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"),
	    migrations_count + 1);
}

static void
test_open_bad_path(void **state)
{
	struct fixture	*f = *state;
	struct store	*st = (struct store *)0x1;
	char		*path, *err;

	assert_int_not_equal(asprintf(&path, "%s/no/such/dir/gh.db", f->dir),
	    -1);
	test_stderr_begin();
	assert_int_equal(store_open(path, BUSY_MS, 1, &st), STORE_ERROR);
	err = test_stderr_end();
	assert_null(st);
	assert_non_null(strstr(err, "store: cannot open"));
	free(err);
	free(path);

	/* A file that is not a database. */
	free(test_write_file(f->dir, "text.db", "not a database, but long "
	    "enough to have a header that SQLite reads and refuses\n"));
	assert_int_not_equal(asprintf(&path, "%s/text.db", f->dir), -1);
	st = (struct store *)0x1;
	test_stderr_begin();
	assert_int_equal(store_open(path, BUSY_MS, 1, &st), STORE_ERROR);
	err = test_stderr_end();
	assert_null(st);
	/* The log names the file. */
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "not a database"));
	free(err);
	free(path);
}

/* Without "create", a missing database is an error, and stays missing. */
static void
test_open_no_create(void **state)
{
	struct fixture	*f = *state;
	struct store	*st;
	char		*err;

	test_stderr_begin();
	assert_int_equal(store_open(f->path, BUSY_MS, 0, &st), STORE_ERROR);
	err = test_stderr_end();
	assert_non_null(strstr(err, "gatehouse-admin migrate"));
	free(err);
	assert_int_equal(access(f->path, F_OK), -1);

	assert_int_equal(store_open(f->path, BUSY_MS, 1, &st), STORE_OK);
	store_close(st);
	assert_int_equal(store_open(f->path, BUSY_MS, 0, &st), STORE_OK);
	store_close(st);
}

/* A handle is unusable once its file is removed or replaced. */
static void
test_usable(void **state)
{
	struct fixture	*f = *state;
	struct store	*st, *other;
	char		*path, *err;

	assert_int_equal(store_open(f->path, BUSY_MS, 1, &st), STORE_OK);
	assert_int_equal(store_usable(st, 1), 1);
	assert_int_not_equal(asprintf(&path, "%s/other.db", f->dir), -1);
	assert_int_equal(store_open(path, BUSY_MS, 1, &other), STORE_OK);
	store_close(other);
	assert_int_equal(rename(path, f->path), 0);
	test_stderr_begin();
	assert_int_equal(store_usable(st, 1), 0);
	err = test_stderr_end();
	assert_non_null(strstr(err, "was replaced"));
	free(err);
	store_close(st);

	assert_int_equal(store_open(f->path, BUSY_MS, 1, &st), STORE_OK);
	assert_int_equal(unlink(f->path), 0);
	test_stderr_begin();
	assert_int_equal(store_usable(st, 1), 0);
	free(test_stderr_end());
	store_close(st);
	free(path);
}

/*
 * A damaged file: store_check finds it and says what to do, and a lookup
 * that reads the damaged page fails cleanly and marks the handle for
 * reopening, rather than answering from half a page.
 */
static void
test_check_damaged(void **state)
{
	struct fixture	*f = *state;
	struct store	*st;
	struct user	 u;
	FILE		*fp;
	char		 name[16], junk[4096], *err;
	int		 i, failures = 0;

	assert_int_equal(store_open(f->path, BUSY_MS, 1, &st), STORE_OK);
	assert_int_equal(store_check(st), STORE_OK);
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "user%03d", i);
		add_user(st, name);
	}
	store_close(st);
	assert_true(raw_int(f->path, "PRAGMA page_count") > 4);

	/* Page 3 (of 4096 bytes) overwritten whole. */
	memset(junk, 0xff, sizeof(junk));
	assert_non_null(fp = fopen(f->path, "r+b"));
	assert_int_equal(fseek(fp, 2 * 4096, SEEK_SET), 0);
	assert_int_equal(fwrite(junk, 1, sizeof(junk), fp), sizeof(junk));
	assert_int_equal(fclose(fp), 0);

	assert_int_equal(store_open(f->path, BUSY_MS, 0, &st), STORE_OK);
	test_stderr_begin();
	assert_int_equal(store_check(st), STORE_ERROR);
	err = test_stderr_end();
	assert_non_null(strstr(err, " is damaged ("));
	assert_non_null(strstr(err, ".recover\", and start again"));
	free(err);

	test_stderr_begin();
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "user%03d", i);
		if (store_user_get(st, name, &u) == STORE_ERROR)
			failures++;
		else
			user_clear(&u);
	}
	err = test_stderr_end();
	assert_true(failures > 0);
	assert_non_null(strstr(err, "malformed (the file is damaged: stop "
	    "gatehouse, restore it from a backup"));
	free(err);
	assert_int_equal(store_usable(st, 0), 0);
	store_close(st);
}

static void
test_user_add_get(void **state)
{
	struct fixture	*f = *state;
	struct user	 u;

	assert_int_equal(store_user_add(f->st, "alice", "$scrypt$h1", 1234),
	    STORE_OK);
	assert_int_equal(store_user_get(f->st, "alice", &u), STORE_OK);
	assert_true(u.id > 0);
	assert_string_equal(u.name, "alice");
	assert_string_equal(u.password_hash, "$scrypt$h1");
	assert_int_equal(u.created, 1234);
	assert_int_equal(u.disabled, 0);
	user_clear(&u);
	assert_null(u.name);
	assert_null(u.password_hash);

	/* Names are compared exactly. */
	assert_int_equal(store_user_get(f->st, "Alice", &u), STORE_NOTFOUND);
	assert_null(u.name);
	assert_int_equal(store_user_get(f->st, "alice ", &u), STORE_NOTFOUND);
	assert_int_equal(store_user_get(f->st, "bob", &u), STORE_NOTFOUND);
	assert_null(u.name);
	assert_null(u.password_hash);

	/* Any UTF-8 name is kept as it is. */
	assert_int_equal(store_user_add(f->st, "z\xc3\xa9ro", "$h", 1),
	    STORE_OK);
	assert_int_equal(store_user_get(f->st, "z\xc3\xa9ro", &u), STORE_OK);
	assert_string_equal(u.name, "z\xc3\xa9ro");
	user_clear(&u);
}

static void
test_user_duplicate(void **state)
{
	struct fixture	*f = *state;
	struct user	 u;

	assert_int_equal(store_user_add(f->st, "alice", "$h1", 1), STORE_OK);
	assert_int_equal(store_user_add(f->st, "alice", "$h2", 2),
	    STORE_EXISTS);
	assert_int_equal(store_user_get(f->st, "alice", &u), STORE_OK);
	assert_string_equal(u.password_hash, "$h1");
	assert_int_equal(u.created, 1);
	user_clear(&u);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM users"), 1);

	/* The statement is usable again after the conflict. */
	assert_int_equal(store_user_add(f->st, "bob", "$h3", 3), STORE_OK);
}

static void
test_user_set_password(void **state)
{
	struct fixture	*f = *state;
	struct user	 u;

	add_user(f->st, "alice");
	add_user(f->st, "bob");
	assert_int_equal(store_user_set_password(f->st, "alice", "$new", 0),
	    STORE_OK);
	assert_int_equal(store_user_get(f->st, "alice", &u), STORE_OK);
	assert_string_equal(u.password_hash, "$new");
	user_clear(&u);
	assert_int_equal(store_user_get(f->st, "bob", &u), STORE_OK);
	assert_string_equal(u.password_hash, "$scrypt$placeholder");
	user_clear(&u);

	assert_int_equal(store_user_set_password(f->st, "carol", "$new", 0),
	    STORE_NOTFOUND);
}

/*
 * A password change that ends sessions ends only that user's, in the
 * same transaction; disabling does too, and shows in the session row.
 */
static void
test_user_changes_end_sessions(void **state)
{
	struct fixture	*f = *state;
	struct session	 s;
	struct user	 u;
	unsigned char	 a1[SESSION_HASH_LEN], b1[SESSION_HASH_LEN];
	int64_t		 alice, bob;

	alice = add_user(f->st, "alice");
	bob = add_user(f->st, "bob");
	make_hash(a1, 0xa1, 0, 0);
	make_hash(b1, 0xb1, 0, 0);
	add_session(f->st, a1, alice, 100, 100, 1000);
	add_session(f->st, b1, bob, 100, 100, 1000);

	assert_int_equal(store_user_set_password(f->st, "alice", "$new", 1),
	    STORE_OK);
	assert_false(session_exists(f->st, a1));
	assert_true(session_exists(f->st, b1));
	assert_int_equal(store_user_set_password(f->st, "nobody", "$x", 1),
	    STORE_NOTFOUND);

	assert_int_equal(store_session_get(f->st, b1, &s), STORE_OK);
	assert_int_equal(s.user_disabled, 0);
	session_clear(&s);
	assert_int_equal(store_user_set_disabled(f->st, "bob", 1), STORE_OK);
	assert_false(session_exists(f->st, b1));
	assert_int_equal(store_user_get(f->st, "bob", &u), STORE_OK);
	assert_int_equal(u.disabled, 1);
	user_clear(&u);
	/* A disabled account gets no new session either. */
	memset(&s, 0, sizeof(s));
	memcpy(s.hash, b1, SESSION_HASH_LEN);
	s.user_id = bob;
	s.expires = 1000;
	assert_int_equal(store_session_add(f->st, &s, PROOF), STORE_NOTFOUND);
	assert_int_equal(store_user_set_disabled(f->st, "bob", 0), STORE_OK);
	assert_false(session_exists(f->st, b1));
	assert_int_equal(store_user_set_disabled(f->st, "nobody", 1),
	    STORE_NOTFOUND);
}

/* Deleting a user deletes their sessions (ON DELETE CASCADE), only. */
static void
test_user_delete(void **state)
{
	struct fixture	*f = *state;
	struct user	 u;
	unsigned char	 a1[SESSION_HASH_LEN], a2[SESSION_HASH_LEN],
			 b1[SESSION_HASH_LEN];
	int64_t		 alice, bob;

	alice = add_user(f->st, "alice");
	bob = add_user(f->st, "bob");
	make_hash(a1, 0xa1, 0, 0);
	make_hash(a2, 0xa2, 0, 0);
	make_hash(b1, 0xb1, 0, 0);
	add_session(f->st, a1, alice, 100, 100, 1000);
	add_session(f->st, a2, alice, 100, 100, 1000);
	add_session(f->st, b1, bob, 100, 100, 1000);

	assert_int_equal(store_user_delete(f->st, "alice"), STORE_OK);
	assert_int_equal(store_user_get(f->st, "alice", &u), STORE_NOTFOUND);
	assert_int_equal(session_exists(f->st, a1), 0);
	assert_int_equal(session_exists(f->st, a2), 0);
	assert_int_equal(session_exists(f->st, b1), 1);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sessions"), 1);

	assert_int_equal(store_user_delete(f->st, "alice"), STORE_NOTFOUND);
	assert_int_equal(store_user_delete(f->st, "nobody"), STORE_NOTFOUND);
	assert_int_equal(store_user_get(f->st, "bob", &u), STORE_OK);
	user_clear(&u);
}

static void
test_user_list(void **state)
{
	struct fixture	*f = *state;
	struct seen	 seen;
	unsigned char	 h[SESSION_HASH_LEN];
	int64_t		 alice, carol;

	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_user_list(f->st, see_user, &seen), STORE_OK);
	assert_int_equal(seen.n, 0);

	carol = add_user(f->st, "carol");
	alice = add_user(f->st, "alice");
	add_user(f->st, "bob");
	make_hash(h, 1, 0, 0);
	add_session(f->st, h, alice, 1, 1, 100);
	make_hash(h, 2, 0, 0);
	add_session(f->st, h, alice, 1, 1, 100);
	make_hash(h, 3, 0, 0);
	add_session(f->st, h, carol, 1, 1, 100);

	assert_int_equal(store_user_list(f->st, see_user, &seen), STORE_OK);
	assert_int_equal(seen.n, 3);
	assert_string_equal(seen.name[0], "alice");
	assert_int_equal(seen.num[0], 2);
	assert_string_equal(seen.name[1], "bob");
	assert_int_equal(seen.num[1], 0);
	assert_string_equal(seen.name[2], "carol");
	assert_int_equal(seen.num[2], 1);

	/* A visitor that returns -1 stops the walk; that is no error. */
	memset(&seen, 0, sizeof(seen));
	seen.stop_after = 2;
	assert_int_equal(store_user_list(f->st, see_user, &seen), STORE_OK);
	assert_int_equal(seen.n, 2);
	assert_string_equal(seen.name[1], "bob");

	/* And the next walk starts from the top again. */
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_user_list(f->st, see_user, &seen), STORE_OK);
	assert_int_equal(seen.n, 3);
}

/* Every field comes back as stored; the id is never stored. */
static void
test_session_round_trip(void **state)
{
	struct fixture	*f = *state;
	struct session	 in, out;
	int64_t		 alice;

	alice = add_user(f->st, "alice");
	memset(&in, 0, sizeof(in));
	session_hash_id("0123456789-_abcdefghijklmnopqrstuvwxyzABCDE",
	    in.hash);
	in.user_id = alice;
	in.created = 1767225600;
	in.last_seen = 1767225601;
	in.expires = 1767268800;
	assert_int_equal(store_session_add(f->st, &in, PROOF), STORE_OK);

	assert_int_equal(store_session_get(f->st, in.hash, &out), STORE_OK);
	assert_memory_equal(out.hash, in.hash, SESSION_HASH_LEN);
	assert_int_equal(out.user_id, alice);
	assert_string_equal(out.user, "alice");
	assert_int_equal(out.created, 1767225600);
	assert_int_equal(out.last_seen, 1767225601);
	assert_int_equal(out.expires, 1767268800);
	session_clear(&out);

	/* The row holds the hash and default data, nothing else. */
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sessions "
	    "WHERE hex(id_hash) = 'C2510BB08965E13DC74FD311222C442C"
	    "8597345FFBD1160BDA9824D92C057457' AND data = '{}'"), 1);

	/* A hash one bit off is another session. */
	in.hash[SESSION_HASH_LEN - 1] ^= 1;
	assert_int_equal(store_session_get(f->st, in.hash, &out),
	    STORE_NOTFOUND);
	assert_null(out.user);
}

static void
test_session_add_conflicts(void **state)
{
	struct fixture	*f = *state;
	struct session	 s;

	memset(&s, 0, sizeof(s));
	make_hash(s.hash, 0x42, 0, 0);
	s.user_id = add_user(f->st, "alice");
	s.expires = 100;
	assert_int_equal(store_session_add(f->st, &s, PROOF), STORE_OK);
	assert_int_equal(store_session_add(f->st, &s, PROOF), STORE_EXISTS);

	/* A session of no user is not stored. */
	make_hash(s.hash, 0x43, 0, 0);
	s.user_id = 9999;
	assert_int_equal(store_session_add(f->st, &s, PROOF), STORE_NOTFOUND);
	assert_int_equal(session_exists(f->st, s.hash), 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sessions"), 1);
}

/*
 * A login's session or first refresh token is stored only while the
 * password hash it was checked against is still the user's and the
 * account is enabled: a password change or a disable that commits
 * while the login runs the password hash is not outlived by it.
 */
static void
test_login_proof(void **state)
{
	struct fixture		*f = *state;
	struct session		 s;
	struct refresh_record	 rec;
	int64_t			 alice;

	alice = add_user(f->st, "alice");
	memset(&s, 0, sizeof(s));
	make_hash(s.hash, 0x51, 0, 0);
	s.user_id = alice;
	s.expires = 100;
	memset(&rec, 0, sizeof(rec));
	make_hash(rec.hash, 0x52, 0, 0);
	rec.user_id = alice;
	rec.expires = 100;
	rec.access_jti = "jti-1";

	/* The password changed after the login read it. */
	assert_int_equal(store_user_set_password(f->st, "alice", "$new$",
	    1), STORE_OK);
	assert_int_equal(store_session_add(f->st, &s, PROOF), STORE_NOTFOUND);
	assert_int_equal(store_refresh_add(f->st, &rec, PROOF),
	    STORE_NOTFOUND);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sessions"), 0);
	assert_int_equal(raw_int(f->path,
	    "SELECT count(*) FROM refresh_tokens"), 0);

	/* Disabled after the login read it. */
	assert_int_equal(store_user_set_disabled(f->st, "alice", 1),
	    STORE_OK);
	assert_int_equal(store_session_add(f->st, &s, "$new$"),
	    STORE_NOTFOUND);
	assert_int_equal(store_refresh_add(f->st, &rec, "$new$"),
	    STORE_NOTFOUND);

	/* Enabled again, with the proof that holds: stored. */
	assert_int_equal(store_user_set_disabled(f->st, "alice", 0),
	    STORE_OK);
	assert_int_equal(store_session_add(f->st, &s, "$new$"), STORE_OK);
	assert_int_equal(store_refresh_add(f->st, &rec, "$new$"), STORE_OK);
	assert_int_equal(session_exists(f->st, s.hash), 1);
	assert_int_equal(raw_int(f->path,
	    "SELECT count(*) FROM refresh_tokens"), 1);
}

/* A rehash replaces only the hash it was made from. */
static void
test_user_rehash(void **state)
{
	struct fixture	*f = *state;
	struct user	 u;
	int64_t		 alice;

	alice = add_user(f->st, "alice");
	assert_int_equal(store_user_rehash(f->st, alice, PROOF, "$cost2$"),
	    STORE_OK);
	assert_int_equal(store_user_get(f->st, "alice", &u), STORE_OK);
	assert_string_equal(u.password_hash, "$cost2$");
	user_clear(&u);

	/* passwd ran between the login's read and its rehash. */
	assert_int_equal(store_user_set_password(f->st, "alice", "$changed$",
	    1), STORE_OK);
	assert_int_equal(store_user_rehash(f->st, alice, "$cost2$",
	    "$cost3$"), STORE_NOTFOUND);
	assert_int_equal(store_user_get(f->st, "alice", &u), STORE_OK);
	assert_string_equal(u.password_hash, "$changed$");
	user_clear(&u);
	assert_int_equal(store_user_rehash(f->st, alice + 1, "$changed$",
	    "$x$"), STORE_NOTFOUND);
}

static void
test_session_touch(void **state)
{
	struct fixture	*f = *state;
	struct session	 s;
	unsigned char	 h[SESSION_HASH_LEN], other[SESSION_HASH_LEN];
	int64_t		 alice;

	alice = add_user(f->st, "alice");
	make_hash(h, 0x10, 0, 0);
	make_hash(other, 0x11, 0, 0);
	add_session(f->st, h, alice, 1000, 1000, 5000);
	add_session(f->st, other, alice, 1000, 1000, 5000);

	assert_int_equal(store_session_touch(f->st, h, 2500), STORE_OK);
	assert_int_equal(store_session_get(f->st, h, &s), STORE_OK);
	assert_int_equal(s.last_seen, 2500);
	assert_int_equal(s.created, 1000);
	assert_int_equal(s.expires, 5000);
	session_clear(&s);
	assert_int_equal(store_session_get(f->st, other, &s), STORE_OK);
	assert_int_equal(s.last_seen, 1000);
	session_clear(&s);
}

static void
test_session_delete(void **state)
{
	struct fixture	*f = *state;
	unsigned char	 h[SESSION_HASH_LEN], other[SESSION_HASH_LEN];
	int64_t		 alice;

	alice = add_user(f->st, "alice");
	make_hash(h, 0x20, 0, 0);
	make_hash(other, 0x21, 0, 0);
	add_session(f->st, h, alice, 1, 1, 100);
	add_session(f->st, other, alice, 1, 1, 100);

	assert_int_equal(store_session_delete(f->st, h), STORE_OK);
	assert_int_equal(session_exists(f->st, h), 0);
	assert_int_equal(session_exists(f->st, other), 1);
	/* Gone already: still no error (a double logout). */
	assert_int_equal(store_session_delete(f->st, h), STORE_OK);
	assert_int_equal(session_exists(f->st, other), 1);
}

static void
test_session_delete_user(void **state)
{
	struct fixture	*f = *state;
	unsigned char	 h[SESSION_HASH_LEN], b[SESSION_HASH_LEN];
	int64_t		 alice, bob;
	int		 n = -1;

	alice = add_user(f->st, "alice");
	bob = add_user(f->st, "bob");
	make_hash(h, 0x30, 0, 0);
	add_session(f->st, h, alice, 1, 1, 100);
	make_hash(h, 0x31, 0, 0);
	add_session(f->st, h, alice, 1, 1, 100);
	make_hash(h, 0x32, 0, 0);
	add_session(f->st, h, alice, 1, 1, 100);
	make_hash(b, 0x33, 0, 0);
	add_session(f->st, b, bob, 1, 1, 100);

	assert_int_equal(store_session_delete_user(f->st, "alice", &n),
	    STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(session_exists(f->st, h), 0);
	assert_int_equal(session_exists(f->st, b), 1);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sessions"), 1);

	n = -1;
	assert_int_equal(store_session_delete_user(f->st, "alice", &n),
	    STORE_OK);
	assert_int_equal(n, 0);
	n = -1;
	assert_int_equal(store_session_delete_user(f->st, "nobody", &n),
	    STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(session_exists(f->st, b), 1);
}

static void
test_session_list(void **state)
{
	struct fixture	*f = *state;
	struct seen	 seen;
	unsigned char	 h[SESSION_HASH_LEN];
	int64_t		 alice, bob;

	bob = add_user(f->st, "bob");
	alice = add_user(f->st, "alice");
	make_hash(h, 0xb2, 0, 0);
	add_session(f->st, h, bob, 300, 300, 1000);
	make_hash(h, 0xa2, 0, 0);
	add_session(f->st, h, alice, 200, 200, 1000);
	make_hash(h, 0xa1, 0, 0);
	add_session(f->st, h, alice, 100, 100, 1000);
	make_hash(h, 0xb1, 0, 0);
	add_session(f->st, h, bob, 50, 50, 1000);

	/* All, by user name, then by creation. */
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_session_list(f->st, NULL, see_session, &seen),
	    STORE_OK);
	assert_int_equal(seen.n, 4);
	assert_string_equal(seen.name[0], "alice");
	assert_int_equal(seen.num[0], 100);
	assert_int_equal(seen.first[0], 0xa1);
	assert_string_equal(seen.name[1], "alice");
	assert_int_equal(seen.num[1], 200);
	assert_int_equal(seen.first[1], 0xa2);
	assert_string_equal(seen.name[2], "bob");
	assert_int_equal(seen.num[2], 50);
	assert_int_equal(seen.first[2], 0xb1);
	assert_string_equal(seen.name[3], "bob");
	assert_int_equal(seen.num[3], 300);
	assert_int_equal(seen.first[3], 0xb2);

	/* One user's. */
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_session_list(f->st, "bob", see_session, &seen),
	    STORE_OK);
	assert_int_equal(seen.n, 2);
	assert_int_equal(seen.first[0], 0xb1);
	assert_int_equal(seen.first[1], 0xb2);

	/* The user filter does not stick to the next call. */
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_session_list(f->st, NULL, see_session, &seen),
	    STORE_OK);
	assert_int_equal(seen.n, 4);

	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_session_list(f->st, "nobody", see_session,
	    &seen), STORE_OK);
	assert_int_equal(seen.n, 0);

	memset(&seen, 0, sizeof(seen));
	seen.stop_after = 1;
	assert_int_equal(store_session_list(f->st, NULL, see_session, &seen),
	    STORE_OK);
	assert_int_equal(seen.n, 1);
}

/*
 * A purge removes what session_state calls ended, at the same instants:
 * expires <= now, or last_seen + idle <= now. Everything else stays.
 */
static void
test_session_purge(void **state)
{
	static const struct {
		unsigned char	 b0;
		int64_t		 last_seen;
		int64_t		 expires;
	} rows[] = {
		{ 0x01, 9990, 10000 },	/* expired just now */
		{ 0x02, 9990, 10001 },	/* one second left */
		{ 0x03, 8200, 90000 },	/* idle just now (10000 - 1800) */
		{ 0x04, 8201, 90000 },	/* one second left */
		{ 0x05, 100, 5000 },	/* both, long ago */
		{ 0x06, 10500, 90000 },	/* seen "in the future" */
	};
	struct fixture	*f = *state;
	struct config	 cfg;
	struct session	 s;
	unsigned char	 h[SESSION_HASH_LEN];
	size_t		 i;
	int64_t		 alice;
	int		 n = -1, live;

	config_defaults(&cfg);
	assert_int_equal(cfg.idle_timeout, 1800);
	alice = add_user(f->st, "alice");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		make_hash(h, rows[i].b0, 0, 0);
		add_session(f->st, h, alice, 50, rows[i].last_seen,
		    rows[i].expires);
	}

	assert_int_equal(store_session_purge(f->st, 10000, &cfg, &n),
	    STORE_OK);
	assert_int_equal(n, 3);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&s, 0, sizeof(s));
		s.created = 50;
		s.last_seen = rows[i].last_seen;
		s.expires = rows[i].expires;
		live = session_state(&s, 10000, &cfg) == SESSION_LIVE;
		make_hash(h, rows[i].b0, 0, 0);
		assert_int_equal(session_exists(f->st, h), live);
	}
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sessions"), 3);

	/* Nothing more to do at the same time. */
	n = -1;
	assert_int_equal(store_session_purge(f->st, 10000, &cfg, &n),
	    STORE_OK);
	assert_int_equal(n, 0);
	config_free(&cfg);
}

/* A refresh token row of "user_id" (a token login), marked by "b0". */
static void
add_refresh(struct store *st, int64_t user_id, unsigned char b0)
{
	struct refresh_record	 rec;

	memset(&rec, 0, sizeof(rec));
	make_hash(rec.hash, b0, 0, 0);
	memset(rec.family, b0, sizeof(rec.family));
	rec.user_id = user_id;
	rec.created = 1000;
	rec.expires = 90000;
	rec.access_jti = b0 == 0x71 ? "jti-71" : "jti-other";
	rec.access_expires = 90000;
	assert_int_equal(store_refresh_add(st, &rec, PROOF), STORE_OK);
}

/*
 * What the session list shows comes back as stored: the client's
 * address and summary, and "remember me"; older rows get "".
 */
static void
test_session_details(void **state)
{
	struct fixture	*f = *state;
	struct session	 in, out;
	int64_t		 alice;

	alice = add_user(f->st, "alice");
	memset(&in, 0, sizeof(in));
	make_hash(in.hash, 0x61, 0, 0);
	in.user_id = alice;
	in.created = in.last_seen = 1000;
	in.expires = 5000;
	in.remember = 1;
	strcpy(in.address, "2001:db8::7");
	strcpy(in.agent, "Firefox on Linux");
	assert_int_equal(store_session_add(f->st, &in, PROOF), STORE_OK);
	assert_int_equal(store_session_get(f->st, in.hash, &out), STORE_OK);
	assert_int_equal(out.remember, 1);
	assert_string_equal(out.address, "2001:db8::7");
	assert_string_equal(out.agent, "Firefox on Linux");
	session_clear(&out);

	/* The schema bounds them, whoever writes. */
	assert_int_not_equal(raw_exec(f->path, "UPDATE sessions SET agent = "
	    "printf('%.48c', 'x')"), SQLITE_OK);
	assert_int_not_equal(raw_exec(f->path, "UPDATE sessions SET "
	    "remember = 2"), SQLITE_OK);
	assert_int_equal(raw_exec(f->path, "UPDATE sessions SET address = '', "
	    "agent = '', remember = 0"), SQLITE_OK);
	assert_int_equal(store_session_get(f->st, in.hash, &out), STORE_OK);
	assert_string_equal(out.address, "");
	assert_string_equal(out.agent, "");
	assert_int_equal(out.remember, 0);
	session_clear(&out);
}

/*
 * A remembered session has no idle limit: only "expires" purges it,
 * while the site offers remember_me. Turned off, the idle limit holds
 * again; and a lifetime made shorter ends it sooner.
 */
static void
test_purge_remembered(void **state)
{
	struct fixture	*f = *state;
	struct config	 cfg;
	struct session	 s;
	int64_t		 alice;
	int		 n;

	config_defaults(&cfg);
	cfg.remember_me = 1;
	alice = add_user(f->st, "alice");
	memset(&s, 0, sizeof(s));
	s.user_id = alice;
	s.created = s.last_seen = 100;
	s.expires = 90000;
	s.remember = 1;
	make_hash(s.hash, 0x62, 0, 0);
	assert_int_equal(store_session_add(f->st, &s, PROOF), STORE_OK);
	s.remember = 0;
	make_hash(s.hash, 0x63, 0, 0);
	assert_int_equal(store_session_add(f->st, &s, PROOF), STORE_OK);

	assert_int_equal(store_session_purge(f->st, 10000, &cfg, &n),
	    STORE_OK);
	assert_int_equal(n, 1);
	make_hash(s.hash, 0x62, 0, 0);
	assert_int_equal(session_exists(f->st, s.hash), 1);
	assert_int_equal(store_session_purge(f->st, 90000, &cfg, &n),
	    STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(session_exists(f->st, s.hash), 0);

	/* remember_me off: the idle limit; a shorter lifetime: sooner. */
	s.remember = 1;
	s.created = s.last_seen = 100;
	assert_int_equal(store_session_add(f->st, &s, PROOF), STORE_OK);
	cfg.remember_me = 0;
	assert_int_equal(store_session_purge(f->st, 1899, &cfg, &n),
	    STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_session_purge(f->st, 1900, &cfg, &n),
	    STORE_OK);
	assert_int_equal(n, 1);
	s.last_seen = 4000;
	assert_int_equal(store_session_add(f->st, &s, PROOF), STORE_OK);
	cfg.remember_me = 1;
	cfg.remember_lifetime = 5000;
	assert_int_equal(store_session_purge(f->st, 5099, &cfg, &n),
	    STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_session_purge(f->st, 5100, &cfg, &n),
	    STORE_OK);
	assert_int_equal(n, 1);
	config_free(&cfg);
}

/* A user ends only a session of their own, named by its hash. */
static void
test_session_delete_own(void **state)
{
	struct fixture	*f = *state;
	unsigned char	 a[SESSION_HASH_LEN], b[SESSION_HASH_LEN],
			 k[SESSION_HASH_LEN];
	int64_t		 alice, bob;

	alice = add_user(f->st, "alice");
	bob = add_user(f->st, "bob");
	make_hash(a, 0x64, 0, 0);
	make_hash(b, 0x65, 0, 0);
	make_hash(k, 0x63, 0, 0);
	add_session(f->st, a, alice, 1000, 1000, 90000);
	add_session(f->st, b, bob, 1000, 1000, 90000);
	add_session(f->st, k, alice, 1000, 1000, 90000);

	assert_int_equal(store_session_delete_own(f->st, b, alice, k),
	    STORE_NOTFOUND);
	assert_int_equal(session_exists(f->st, b), 1);
	/* Bob's session does not let alice end hers. */
	assert_int_equal(store_session_delete_own(f->st, a, alice, b),
	    STORE_NOTFOUND);
	assert_int_equal(session_exists(f->st, a), 1);
	assert_int_equal(store_session_delete_own(f->st, a, alice, k),
	    STORE_OK);
	assert_int_equal(session_exists(f->st, a), 0);
	assert_int_equal(store_session_delete_own(f->st, a, alice, k),
	    STORE_NOTFOUND);
}

/*
 * "Log out everywhere else": the user's other sessions and token logins
 * end, the kept session and other users' logins stay.
 */
static void
test_session_end_others(void **state)
{
	struct fixture	*f = *state;
	unsigned char	 keep[SESSION_HASH_LEN], h[SESSION_HASH_LEN];
	int64_t		 alice, bob;
	int		 n = -1;

	alice = add_user(f->st, "alice");
	bob = add_user(f->st, "bob");
	make_hash(keep, 0x66, 0, 0);
	add_session(f->st, keep, alice, 1000, 1000, 90000);
	make_hash(h, 0x67, 0, 0);
	add_session(f->st, h, alice, 1000, 1000, 90000);
	make_hash(h, 0x68, 0, 0);
	add_session(f->st, h, alice, 1000, 1000, 90000);
	make_hash(h, 0x69, 0, 0);
	add_session(f->st, h, bob, 1000, 1000, 90000);
	add_refresh(f->st, alice, 0x71);
	add_refresh(f->st, bob, 0x72);

	assert_int_equal(store_session_end_others(f->st, "alice", keep, &n),
	    STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(session_exists(f->st, keep), 1);
	assert_int_equal(session_exists(f->st, h), 1);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sessions"), 2);
	assert_int_equal(raw_int(f->path,
	    "SELECT count(*) FROM refresh_tokens"), 1);
	assert_int_equal(store_jti_revoked(f->st, "jti-71"), 1);
	assert_int_equal(store_jti_revoked(f->st, "jti-other"), 0);
}

/*
 * A password change by its user: compare and swap on the hash that was
 * checked; the other sessions and token logins end; the current session
 * is replaced by the fresh one; another user is untouched. A hash that
 * changed meanwhile changes nothing.
 */
static void
test_user_change_password(void **state)
{
	struct fixture	*f = *state;
	unsigned char	 cur[SESSION_HASH_LEN], other[SESSION_HASH_LEN],
			 bobs[SESSION_HASH_LEN];
	struct session	 fresh, got;
	struct user	 u;
	int64_t		 alice, bob;
	int		 n = -1;
	char		*hash;

	alice = add_user(f->st, "alice");
	bob = add_user(f->st, "bob");
	make_hash(cur, 0x81, 0, 0);
	make_hash(other, 0x82, 0, 0);
	make_hash(bobs, 0x83, 0, 0);
	add_session(f->st, cur, alice, 1000, 1000, 90000);
	add_session(f->st, other, alice, 1000, 1000, 90000);
	add_session(f->st, bobs, bob, 1000, 1000, 90000);
	add_refresh(f->st, alice, 0x71);
	memset(&fresh, 0, sizeof(fresh));
	make_hash(fresh.hash, 0x84, 0, 0);
	fresh.user_id = alice;
	fresh.created = fresh.last_seen = 2000;
	fresh.expires = 50000;
	strcpy(fresh.agent, "curl");
	assert_int_equal(store_user_get(f->st, "alice", &u), STORE_OK);

	assert_int_equal(store_user_change_password(f->st, &u, "$x$", cur,
	    &fresh, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(session_exists(f->st, cur), 0);
	assert_int_equal(session_exists(f->st, other), 0);
	assert_int_equal(session_exists(f->st, bobs), 1);
	assert_int_equal(store_session_get(f->st, fresh.hash, &got),
	    STORE_OK);
	assert_int_equal(got.expires, 50000);
	assert_string_equal(got.agent, "curl");
	session_clear(&got);
	assert_int_equal(raw_int(f->path,
	    "SELECT count(*) FROM refresh_tokens"), 0);
	assert_int_equal(store_jti_revoked(f->st, "jti-71"), 1);
	hash = raw_text(f->path, "SELECT password_hash FROM users WHERE "
	    "name = 'alice'");
	assert_string_equal(hash, "$x$");
	free(hash);

	/* "u" still holds the old hash: the swap fails, nothing changes. */
	make_hash(fresh.hash, 0x85, 0, 0);
	assert_int_equal(store_user_change_password(f->st, &u, "$y$", cur,
	    &fresh, &n), STORE_NOTFOUND);
	assert_int_equal(n, 0);
	assert_int_equal(session_exists(f->st, fresh.hash), 0);
	make_hash(fresh.hash, 0x84, 0, 0);
	assert_int_equal(session_exists(f->st, fresh.hash), 1);
	hash = raw_text(f->path, "SELECT password_hash FROM users WHERE "
	    "name = 'alice'");
	assert_string_equal(hash, "$x$");
	free(hash);
	user_clear(&u);

	/* A disabled account gets no fresh session: all rolled back. */
	assert_int_equal(store_user_get(f->st, "bob", &u), STORE_OK);
	assert_int_equal(raw_exec(f->path, "UPDATE users SET disabled = 1 "
	    "WHERE name = 'bob'"), SQLITE_OK);
	fresh.user_id = bob;
	make_hash(fresh.hash, 0x86, 0, 0);
	assert_int_equal(store_user_change_password(f->st, &u, "$z$", bobs,
	    &fresh, &n), STORE_NOTFOUND);
	hash = raw_text(f->path, "SELECT password_hash FROM users WHERE "
	    "name = 'bob'");
	assert_string_equal(hash, PROOF);
	free(hash);
	assert_int_equal(session_exists(f->st, bobs), 1);
	user_clear(&u);
}

/*
 * A change asked for by a session that ended meanwhile (logged out, or
 * revoked from another of the user's sessions, while the password was
 * being checked) changes nothing: neither "log out everywhere else",
 * nor ending one other session, nor a password change, which would
 * otherwise give the ended session's browser a fresh one.
 */
static void
test_ended_session_changes_nothing(void **state)
{
	struct fixture	*f = *state;
	unsigned char	 gone[SESSION_HASH_LEN], other[SESSION_HASH_LEN];
	struct session	 fresh;
	struct user	 u;
	int64_t		 alice;
	int		 n = -1;
	char		*hash;

	alice = add_user(f->st, "alice");
	make_hash(gone, 0x91, 0, 0);
	make_hash(other, 0x92, 0, 0);
	add_session(f->st, gone, alice, 1000, 1000, 90000);
	add_session(f->st, other, alice, 1000, 1000, 90000);
	add_refresh(f->st, alice, 0x73);
	assert_int_equal(store_session_delete(f->st, gone), STORE_OK);

	assert_int_equal(store_session_end_others(f->st, "alice", gone, &n),
	    STORE_NOTFOUND);
	assert_int_equal(n, 0);
	assert_int_equal(session_exists(f->st, other), 1);
	assert_int_equal(raw_int(f->path,
	    "SELECT count(*) FROM refresh_tokens"), 1);
	assert_int_equal(store_session_delete_own(f->st, other, alice, gone),
	    STORE_NOTFOUND);
	assert_int_equal(session_exists(f->st, other), 1);

	memset(&fresh, 0, sizeof(fresh));
	make_hash(fresh.hash, 0x93, 0, 0);
	fresh.user_id = alice;
	fresh.created = fresh.last_seen = 2000;
	fresh.expires = 50000;
	assert_int_equal(store_user_get(f->st, "alice", &u), STORE_OK);
	assert_int_equal(store_user_change_password(f->st, &u, "$x$", gone,
	    &fresh, &n), STORE_NOTFOUND);
	assert_int_equal(n, 0);
	assert_int_equal(session_exists(f->st, fresh.hash), 0);
	assert_int_equal(session_exists(f->st, other), 1);
	hash = raw_text(f->path, "SELECT password_hash FROM users WHERE "
	    "name = 'alice'");
	assert_string_equal(hash, PROOF);
	free(hash);
	user_clear(&u);

	/* Nor does another user's session stand in for one's own. */
	make_hash(gone, 0x94, 0, 0);
	add_session(f->st, gone, add_user(f->st, "bob"), 1000, 1000, 90000);
	assert_int_equal(store_session_end_others(f->st, "alice", gone, &n),
	    STORE_NOTFOUND);
	assert_int_equal(session_exists(f->st, other), 1);
}

/* The prefix is of the hash in upper-case hex, as hex() writes it. */
static void
test_session_delete_prefix(void **state)
{
	struct fixture	*f = *state;
	unsigned char	 h1[SESSION_HASH_LEN], h2[SESSION_HASH_LEN],
			 h3[SESSION_HASH_LEN];
	int64_t		 alice;

	alice = add_user(f->st, "alice");
	make_hash(h1, 0xab, 0xcd, 0x01);
	make_hash(h2, 0xab, 0xcd, 0x02);
	make_hash(h3, 0x12, 0x34, 0x56);
	add_session(f->st, h1, alice, 1, 1, 100);
	add_session(f->st, h2, alice, 1, 1, 100);
	add_session(f->st, h3, alice, 1, 1, 100);

	/* Two match: nothing is deleted. */
	assert_int_equal(store_session_delete_prefix(f->st, "ABCD"),
	    STORE_AMBIGUOUS);
	assert_int_equal(session_exists(f->st, h1), 1);
	assert_int_equal(session_exists(f->st, h2), 1);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sessions"), 3);

	assert_int_equal(store_session_delete_prefix(f->st, "FFFF"),
	    STORE_NOTFOUND);
	assert_int_equal(store_session_delete_prefix(f->st, "abcd01"),
	    STORE_NOTFOUND);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sessions"), 3);

	/* One match: that one goes, and the change is committed. */
	assert_int_equal(store_session_delete_prefix(f->st, "ABCD01"),
	    STORE_OK);
	assert_int_equal(session_exists(f->st, h1), 0);
	assert_int_equal(session_exists(f->st, h2), 1);
	assert_int_equal(session_exists(f->st, h3), 1);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sessions"), 2);

	/* The whole hash is a prefix too. */
	assert_int_equal(store_session_delete_prefix(f->st,
	    "12345615" "1C232A31" "383F464D" "545B6269"
	    "70777E85" "8C939AA1" "A8AFB6BD" "C4CBD2D9"), STORE_OK);
	assert_int_equal(session_exists(f->st, h3), 0);
	assert_int_equal(store_session_delete_prefix(f->st, "ABCD"), STORE_OK);
	assert_int_equal(session_exists(f->st, h2), 0);

	/* No transaction was left open: other writes still work. */
	add_user(f->st, "bob");
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM users"), 2);
}

/* The schema itself refuses bad rows, whoever writes them. */
static void
test_schema_checks(void **state)
{
	struct fixture	*f = *state;
	char		*sql;
	int64_t		 alice;

	alice = add_user(f->st, "alice");

#define INSERT	"INSERT INTO sessions (id_hash, user_id, created, " \
		"last_seen, expires, data) VALUES "
	/* The good row first, so that the others fail for their own fault. */
	assert_int_not_equal(asprintf(&sql, INSERT "(zeroblob(32), %lld, "
	    "1, 1, 2, '{\"k\":1}')", (long long)alice), -1);
	assert_int_equal(raw_exec(f->path, sql), SQLITE_OK);
	free(sql);

	assert_int_not_equal(asprintf(&sql, INSERT "(zeroblob(31), %lld, "
	    "1, 1, 2, '{}')", (long long)alice), -1);
	assert_int_equal(raw_exec(f->path, sql), SQLITE_CONSTRAINT_CHECK);
	free(sql);
	assert_int_not_equal(asprintf(&sql, INSERT "(zeroblob(33), %lld, "
	    "1, 1, 2, '{}')", (long long)alice), -1);
	assert_int_equal(raw_exec(f->path, sql), SQLITE_CONSTRAINT_CHECK);
	free(sql);
	assert_int_not_equal(asprintf(&sql, INSERT "(x'', %lld, 1, 1, 2, "
	    "'{}')", (long long)alice), -1);
	assert_int_equal(raw_exec(f->path, sql), SQLITE_CONSTRAINT_CHECK);
	free(sql);

	assert_int_not_equal(asprintf(&sql, INSERT "(randomblob(32), %lld, "
	    "1, 1, 2, 'not json')", (long long)alice), -1);
	assert_int_equal(raw_exec(f->path, sql), SQLITE_CONSTRAINT_CHECK);
	free(sql);
	assert_int_not_equal(asprintf(&sql, INSERT "(randomblob(32), %lld, "
	    "1, 1, 2, '[1, 2]')", (long long)alice), -1);
	assert_int_equal(raw_exec(f->path, sql), SQLITE_CONSTRAINT_CHECK);
	free(sql);
	assert_int_not_equal(asprintf(&sql, INSERT "(randomblob(32), %lld, "
	    "1, 1, 2, '{\"a\":')", (long long)alice), -1);
	assert_int_equal(raw_exec(f->path, sql), SQLITE_CONSTRAINT_CHECK);
	free(sql);
	assert_int_not_equal(asprintf(&sql, INSERT "(randomblob(32), %lld, "
	    "1, 1, 2, NULL)", (long long)alice), -1);
	assert_int_equal(raw_exec(f->path, sql), SQLITE_CONSTRAINT_NOTNULL);
	free(sql);
#undef INSERT

	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sessions"), 1);

	/* A user is enabled or disabled, nothing in between. */
	assert_int_equal(raw_exec(f->path, "INSERT INTO users (name, "
	    "password_hash, created, disabled) VALUES ('bob', '$h', 1, 2)"),
	    SQLITE_CONSTRAINT_CHECK);
}

/* A throttle_gate that lets every attempt on. */
static int
gate_open(const struct throttle_counts *c, void *arg)
{
	(void)c;
	(void)arg;
	return 1;
}

/* Record a failed login for "key" from "addr" at "at". */
static void
add_failure(struct store *st, const unsigned char *key, const char *addr,
    int64_t at)
{
	struct throttle_counts	 c;
	int			 recorded;

	assert_int_equal(store_throttle_attempt(st, key, addr, at, 900, 100,
	    gate_open, NULL, &c, &recorded), STORE_OK);
	assert_int_equal(recorded, 1);
}

/*
 * Failed logins: counted per name hash and per address within the
 * window, the hour's count and the cap-th latest failure, cleared by
 * name or by address.
 */
static void
test_throttle_counts(void **state)
{
	struct fixture		*f = *state;
	struct throttle_counts	 c;
	unsigned char		 alice[SESSION_HASH_LEN], bob[SESSION_HASH_LEN];
	int			 i, n;

	make_hash(alice, 0xa1, 0, 0);
	make_hash(bob, 0xb0, 0, 0);
	assert_int_equal(store_throttle_counts(f->st, alice, "192.0.2.1",
	    10000, 900, 3, &c), STORE_OK);
	assert_int_equal(c.name, 0);
	assert_int_equal(c.name_last, 0);
	assert_int_equal(c.name_hour, 0);
	assert_int_equal(c.name_cap_at, 0);
	assert_int_equal(c.addr, 0);
	assert_int_equal(c.addr_last, 0);

	/* alice: at 7000 (outside the window), 9500, 9600, 9700. */
	add_failure(f->st, alice, "192.0.2.1", 7000);
	for (i = 0; i < 3; i++)
		add_failure(f->st, alice, i == 2 ? "192.0.2.2" : "192.0.2.1",
		    9500 + 100 * i);
	/* bob, from the first address, most recently. */
	add_failure(f->st, bob, "192.0.2.1", 9900);

	assert_int_equal(store_throttle_counts(f->st, alice, "192.0.2.1",
	    10000, 900, 3, &c), STORE_OK);
	assert_int_equal(c.name, 3);
	assert_int_equal(c.name_last, 9700);
	assert_int_equal(c.name_hour, 4);
	assert_int_equal(c.name_cap_at, 9500);	/* the 3rd latest */
	assert_int_equal(c.addr, 3);		/* 9500, 9600 and bob's 9900 */
	assert_int_equal(c.addr_last, 9900);

	/* A cap above the count: no cap-th latest. */
	assert_int_equal(store_throttle_counts(f->st, alice, "192.0.2.9",
	    10000, 900, 5, &c), STORE_OK);
	assert_int_equal(c.name_cap_at, 0);
	assert_int_equal(c.addr, 0);

	/* A failure exactly a window old no longer counts. */
	assert_int_equal(store_throttle_counts(f->st, alice, "192.0.2.1",
	    10400, 900, 3, &c), STORE_OK);
	assert_int_equal(c.name, 2);

	assert_int_equal(store_throttle_clear_name(f->st, alice, &n),
	    STORE_OK);
	assert_int_equal(n, 4);
	assert_int_equal(store_throttle_counts(f->st, alice, "192.0.2.1",
	    10000, 900, 3, &c), STORE_OK);
	assert_int_equal(c.name, 0);
	assert_int_equal(c.name_hour, 0);
	assert_int_equal(c.addr, 1);		/* bob's is kept */
	assert_int_equal(store_throttle_clear_addr(f->st, "192.0.2.1", &n),
	    STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM "
	    "login_failures"), 0);
}

/* A gate that lets an attempt on below "limit" failures of the name. */
static int
gate_below(const struct throttle_counts *c, void *arg)
{
	const unsigned int	*limit = arg;

	return c->name < *limit;
}

/*
 * An attempt is counted and recorded in one transaction, only when the
 * gate lets it on; the gate sees the counts before the attempt.
 */
static void
test_throttle_attempt(void **state)
{
	struct fixture		*f = *state;
	struct throttle_counts	 c;
	unsigned char		 key[SESSION_HASH_LEN];
	unsigned int		 limit = 2;
	int			 i, recorded;

	make_hash(key, 9, 9, 9);
	for (i = 0; i < 2; i++) {
		assert_int_equal(store_throttle_attempt(f->st, key,
		    "192.0.2.1", 5000 + i, 900, 100, gate_below, &limit, &c,
		    &recorded), STORE_OK);
		assert_int_equal(recorded, 1);
		assert_int_equal(c.name, (unsigned int)i);
		assert_int_equal(c.addr, (unsigned int)i);
	}
	assert_int_equal(store_throttle_attempt(f->st, key, "192.0.2.1",
	    5002, 900, 100, gate_below, &limit, &c, &recorded), STORE_OK);
	assert_int_equal(recorded, 0);
	assert_int_equal(c.name, 2);
	assert_int_equal(c.name_last, 5001);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM "
	    "login_failures"), 2);
	/* Not left inside a transaction: another connection can write. */
	assert_int_equal(raw_exec(f->path, "DELETE FROM login_failures"),
	    SQLITE_OK);
}

/*
 * Run "race" in NRACE processes, each with a store of its own, started
 * together; returns how many exited with 0 and with 1 (other exits fail
 * the test). A child ends with _exit, leaving the handle it inherited
 * (and its connection) to the parent.
 */
static void
race(const char *path, int (*run)(struct store *, int), int *zero,
    int *one)
{
	struct store	*st;
	pid_t		 pids[NRACE];
	char		 go;
	int		 gate[2], i, status;

	*zero = *one = 0;
	assert_int_equal(pipe(gate), 0);
	for (i = 0; i < NRACE; i++) {
		assert_int_not_equal(pids[i] = fork(), -1);
		if (pids[i] != 0)
			continue;
		close(gate[1]);
		if (store_open(path, 5000, 0, &st) != STORE_OK)
			_exit(3);
		/* All wait here until the parent closes the pipe. */
		if (read(gate[0], &go, 1) == -1)
			_exit(3);
		_exit(run(st, i));
	}
	close(gate[0]);
	close(gate[1]);
	for (i = 0; i < NRACE; i++) {
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status));
		assert_true(WEXITSTATUS(status) <= 1);
		if (WEXITSTATUS(status) == 0)
			(*zero)++;
		else
			(*one)++;
	}
}

/* A refresh token of user 1 whose hash starts with "b0". */
static void
race_token(struct refresh_record *r, unsigned char b0)
{
	memset(r, 0, sizeof(*r));
	make_hash(r->hash, b0, 0, 0);
	memset(r->family, 7, sizeof(r->family));
	r->user_id = 1;
	r->created = 1000;
	r->expires = 9000;
	r->access_jti = (char *)(uintptr_t)"jti";
	r->access_expires = 2000;
}

/* 0 if this worker's exchange of token 0 won, 1 if it was used. */
static int
rotate_once(struct store *st, int worker)
{
	struct refresh_record	 next;
	unsigned char		 old[32];

	race_token(&next, (unsigned char)(worker + 1));
	make_hash(old, 0, 0, 0);
	switch (store_refresh_rotate(st, old, 1100, &next)) {
	case STORE_OK:
		return 0;
	case STORE_USED:
		return 1;
	default:
		return 2;
	}
}

/* Of workers exchanging one refresh token at once, exactly one wins. */
static void
test_refresh_race(void **state)
{
	struct fixture		*f = *state;
	struct refresh_record	 first;
	int			 won, used;

	assert_int_equal(add_user(f->st, "alice"), 1);
	race_token(&first, 0);
	assert_int_equal(store_refresh_add(f->st, &first, PROOF), STORE_OK);
	race(f->path, rotate_once, &won, &used);
	assert_int_equal(won, 1);
	assert_int_equal(used, NRACE - 1);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM "
	    "refresh_tokens"), 2);
}

/* 0 if the gate let this worker's attempt on (and it was recorded). */
static int
attempt_once(struct store *st, int worker)
{
	struct throttle_counts	 c;
	unsigned char		 key[SESSION_HASH_LEN];
	unsigned int		 limit = 2;
	int			 recorded;

	(void)worker;
	make_hash(key, 9, 9, 9);
	if (store_throttle_attempt(st, key, "192.0.2.1", 5000, 900, 100,
	    gate_below, &limit, &c, &recorded) != STORE_OK)
		return 2;
	return recorded ? 0 : 1;
}

/*
 * Of workers making login attempts on one name at once, only as many as
 * the gate allows get on: none passes on counts another is changing.
 */
static void
test_throttle_race(void **state)
{
	struct fixture	*f = *state;
	int		 on, held;

	race(f->path, attempt_once, &on, &held);
	assert_int_equal(on, 2);
	assert_int_equal(held, NRACE - 2);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM "
	    "login_failures"), 2);
}

/*
 * Each failure prunes a bounded number of rows older than an hour; gc's
 * purge takes them all.
 */
static void
test_throttle_prune(void **state)
{
	struct fixture	*f = *state;
	unsigned char	 key[SESSION_HASH_LEN];
	int		 i;

	make_hash(key, 1, 2, 3);
	assert_int_equal(raw_exec(f->path, "WITH RECURSIVE n(i) AS (SELECT 1 "
	    "UNION ALL SELECT i + 1 FROM n WHERE i < 40) INSERT INTO "
	    "login_failures (name_hash, addr, at) SELECT zeroblob(32), "
	    "'198.51.100.1', 100 + i FROM n"), SQLITE_OK);
	add_failure(f->st, key, "192.0.2.1", 100000);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM "
	    "login_failures"), 41 - 16);
	/* The oldest went first. */
	assert_int_equal(raw_int(f->path, "SELECT min(at) FROM "
	    "login_failures"), 117);
	for (i = 0; i < 2; i++)
		add_failure(f->st, key, "192.0.2.1", 100000);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM "
	    "login_failures"), 3);
	/* Failures of the last hour are never pruned. */
	add_failure(f->st, key, "192.0.2.1", 100000 + THROTTLE_KEEP);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM "
	    "login_failures"), 1);

	/* gc's purge takes all that are older than an hour at once. */
	assert_int_equal(raw_exec(f->path, "WITH RECURSIVE n(i) AS (SELECT 1 "
	    "UNION ALL SELECT i + 1 FROM n WHERE i < 40) INSERT INTO "
	    "login_failures (name_hash, addr, at) SELECT zeroblob(32), "
	    "'198.51.100.1', 100 + i FROM n"), SQLITE_OK);
	assert_int_equal(store_throttle_purge(f->st, 100000 + THROTTLE_KEEP,
	    &i), STORE_OK);
	assert_int_equal(i, 40);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM "
	    "login_failures"), 1);
	assert_int_equal(raw_exec(f->path, "INSERT INTO login_failures "
	    "(name_hash, addr, at) VALUES (x'00', 'a', 1)"),
	    SQLITE_CONSTRAINT_CHECK);
}

struct events_seen {
	int	 n;
	char	 line[NSEEN][96];
};

static int
see_event(const struct event_record *e, void *arg)
{
	struct events_seen	*seen = arg;

	assert_true(seen->n < NSEEN);
	snprintf(seen->line[seen->n++], sizeof(seen->line[0]),
	    "%lld %s %s %s %s", (long long)e->at, e->event, e->outcome,
	    e->addr == NULL ? "-" : e->addr, e->user == NULL ? "-" : e->user);
	return 0;
}

/* The audit trail: added, listed by user and time, purged by age. */
static void
test_events(void **state)
{
	struct fixture		*f = *state;
	struct event_record	 e;
	struct events_seen	 seen;
	int			 n;

	e.at = 2000;
	e.user = "alice";
	e.event = "login_success";
	e.addr = "192.0.2.1";
	e.outcome = "ok";
	assert_int_equal(store_event_add(f->st, &e), STORE_OK);
	e.at = 1000;
	e.user = NULL;
	e.event = "login_failure";
	e.outcome = "unknown_user";
	assert_int_equal(store_event_add(f->st, &e), STORE_OK);
	e.at = 3000;
	e.user = "bob";
	e.event = "logout";
	e.addr = NULL;
	e.outcome = "ok";
	assert_int_equal(store_event_add(f->st, &e), STORE_OK);

	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_event_list(f->st, NULL, 0, see_event, &seen),
	    STORE_OK);
	assert_int_equal(seen.n, 3);
	assert_string_equal(seen.line[0],
	    "1000 login_failure unknown_user 192.0.2.1 -");
	assert_string_equal(seen.line[1],
	    "2000 login_success ok 192.0.2.1 alice");
	assert_string_equal(seen.line[2], "3000 logout ok - bob");

	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_event_list(f->st, "alice", 0, see_event,
	    &seen), STORE_OK);
	assert_int_equal(seen.n, 1);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_event_list(f->st, NULL, 2000, see_event,
	    &seen), STORE_OK);
	assert_int_equal(seen.n, 2);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_event_list(f->st, "alice", 2001, see_event,
	    &seen), STORE_OK);
	assert_int_equal(seen.n, 0);

	assert_int_equal(store_event_purge(f->st, 2000, &n), STORE_OK);
	assert_int_equal(n, 2);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_event_list(f->st, NULL, 0, see_event, &seen),
	    STORE_OK);
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.line[0], "3000 logout ok - bob");
}

#ifdef HAVE_LIBPQ
/* The notices of DROP ... CASCADE are expected. */
static void
quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/*
 * Run "sql" on a PostgreSQL connection of our own. SQLite's blob
 * literals (x'00') become PostgreSQL's ('\x00'), so that the tests'
 * SQL serves both. The caller PQclears the result.
 */
static PGresult *
pg_raw(const char *conninfo, const char *sql)
{
	PGconn		*conn;
	PGresult	*res;
	char		*pg;
	size_t		 i, j;

	assert_non_null(pg = malloc(2 * strlen(sql) + 1));
	for (i = j = 0; sql[i] != '\0'; i++) {
		if (sql[i] == 'x' && sql[i + 1] == '\'' && (i == 0 ||
		    sql[i - 1] == ' ' || sql[i - 1] == '(')) {
			pg[j++] = '\'';
			pg[j++] = '\\';
			pg[j++] = 'x';
			i++;
		} else
			pg[j++] = sql[i];
	}
	pg[j] = '\0';
	conn = PQconnectdb(conninfo);
	assert_int_equal(PQstatus(conn), CONNECTION_OK);
	PQsetNoticeProcessor(conn, quiet, NULL);
	res = PQexec(conn, pg);
	PQfinish(conn);
	free(pg);
	return res;
}

/*
 * As raw_exec: SQLITE_OK, or the SQLite code of the error. PostgreSQL
 * refuses text that is not JSON by the column's type, where SQLite needs
 * a CHECK: both count as the schema's refusal.
 */
static int
pg_raw_exec(const char *conninfo, const char *sql)
{
	PGresult	*res;
	const char	*state;
	int		 rc = SQLITE_ERROR;

	res = pg_raw(conninfo, sql);
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (PQresultStatus(res) == PGRES_COMMAND_OK ||
	    PQresultStatus(res) == PGRES_TUPLES_OK)
		rc = SQLITE_OK;
	else if (state != NULL && (strcmp(state, "23514") == 0 ||
	    strcmp(state, "22P02") == 0))
		rc = SQLITE_CONSTRAINT_CHECK;
	else if (state != NULL && strcmp(state, "23502") == 0)
		rc = SQLITE_CONSTRAINT_NOTNULL;
	else if (state != NULL && strcmp(state, "23505") == 0)
		rc = SQLITE_CONSTRAINT_UNIQUE;
	PQclear(res);
	return rc;
}

/*
 * An empty database for each test, with the SQLite functions that the
 * tests' own SQL uses (for printf, only the "%.Nc" it is called with).
 */
static void
pg_reset(const char *conninfo)
{
	assert_int_equal(pg_raw_exec(conninfo,
	    "DROP SCHEMA public CASCADE; CREATE SCHEMA public; "
	    "CREATE FUNCTION zeroblob(integer) RETURNS bytea LANGUAGE sql "
	    "AS $$ SELECT decode(repeat('00', $1), 'hex') $$; "
	    "CREATE FUNCTION randomblob(integer) RETURNS bytea LANGUAGE sql "
	    "AS $$ SELECT decode(string_agg(lpad(to_hex((random() * 255)::int),"
	    " 2, '0'), ''), 'hex') FROM generate_series(1, $1) $$; "
	    "CREATE FUNCTION hex(bytea) RETURNS text LANGUAGE sql "
	    "AS $$ SELECT upper(encode($1, 'hex')) $$; "
	    "CREATE FUNCTION printf(text, text) RETURNS text LANGUAGE sql "
	    "AS $$ SELECT repeat($2, substring($1 from '[0-9]+')::int) $$"),
	    SQLITE_OK);
}

/* A new database gets the whole schema, and says so once. */
static void
test_pg_open_creates(void **state)
{
	struct fixture	*f = *state;
	struct store	*st = NULL;
	char		*err, *want;
	int		 from = -1, to = -1;

	assert_true(pg_migrations_count >= 1);
	assert_int_equal(pg_migrations[pg_migrations_count - 1].version,
	    pg_migrations_count);
	test_stderr_begin();
	assert_int_equal(store_open(f->path, BUSY_MS, 1, &st), STORE_OK);
	err = test_stderr_end();
	assert_non_null(st);
	assert_int_not_equal(asprintf(&want, "store: %s: schema upgraded from "
	    "version 0 to %d\n", f->path, pg_migrations_count), -1);
	assert_non_null(strstr(err, want));
	free(want);
	free(err);
	assert_int_equal(store_ping(st), STORE_OK);
	assert_int_equal(store_check(st), STORE_OK);
	assert_int_equal(raw_int(f->path, "SELECT version FROM "
	    "gatehouse_schema"), pg_migrations_count);
	assert_int_equal(store_migrate(st, &from, &to), STORE_OK);
	assert_int_equal(from, pg_migrations_count);
	assert_int_equal(to, pg_migrations_count);
	store_close(st);

	/* Opening it again changes nothing and logs nothing. */
	test_stderr_begin();
	assert_int_equal(store_open(f->path, BUSY_MS, 0, &st), STORE_OK);
	err = test_stderr_end();
	assert_string_equal(err, "");
	free(err);
	store_close(st);
}

/*
 * Without "create", an empty database is refused; a newer schema is
 * always refused; a password in the string is refused before it is
 * used, since the string is shown in log lines.
 */
static void
test_pg_open_refused(void **state)
{
	struct fixture	*f = *state;
	struct store	*st = (struct store *)0x1;
	char		*err, *sql, *with_password;

	test_stderr_begin();
	assert_int_equal(store_open(f->path, BUSY_MS, 0, &st), STORE_ERROR);
	err = test_stderr_end();
	assert_null(st);
	assert_non_null(strstr(err, "gatehouse-admin migrate"));
	free(err);
	assert_int_equal(raw_exec(f->path, "SELECT 1 FROM users"),
	    SQLITE_ERROR);

	store_close(open_quiet(f->path));
	assert_int_not_equal(asprintf(&sql, "UPDATE gatehouse_schema SET "
	    "version = %d", pg_migrations_count + 1), -1);
	assert_int_equal(raw_exec(f->path, sql), SQLITE_OK);
	free(sql);
	test_stderr_begin();
	assert_int_equal(store_open(f->path, BUSY_MS, 1, &st), STORE_ERROR);
	err = test_stderr_end();
	assert_non_null(strstr(err, "newer than this program knows"));
	free(err);

	assert_int_not_equal(asprintf(&with_password, "%s password=s3cret",
	    f->path), -1);
	test_stderr_begin();
	assert_int_equal(store_open(with_password, BUSY_MS, 1, &st),
	    STORE_ERROR);
	err = test_stderr_end();
	assert_non_null(strstr(err, "password file"));
	assert_null(strstr(err, "s3cret"));
	free(err);
	free(with_password);

	/* No server there: an error, logged, and soon. */
	test_stderr_begin();
	assert_int_equal(store_open("host=/nonexistent dbname=gatehouse",
	    BUSY_MS, 1, &st), STORE_ERROR);
	err = test_stderr_end();
	assert_non_null(strstr(err, "cannot connect"));
	free(err);
}

/*
 * A connection the server ended (as a restart does) is opened again by
 * the next call, which then succeeds, prepared statements and all.
 */
static void
test_pg_reconnect(void **state)
{
	struct fixture	*f = *state;
	struct user	 u;
	char		*err;

	add_user(f->st, "alice");
	assert_int_equal(raw_exec(f->path, "SELECT pg_terminate_backend(pid) "
	    "FROM pg_stat_activity WHERE application_name = 'gatehouse'"),
	    SQLITE_OK);
	test_stderr_begin();
	assert_int_equal(store_user_get(f->st, "alice", &u), STORE_OK);
	err = test_stderr_end();
	assert_non_null(strstr(err, "connected again"));
	free(err);
	assert_string_equal(u.name, "alice");
	user_clear(&u);
	assert_int_equal(store_usable(f->st, 1), 1);

	/* A transaction's BEGIN finds it dead the same way, and goes on. */
	assert_int_equal(raw_exec(f->path, "SELECT pg_terminate_backend(pid) "
	    "FROM pg_stat_activity WHERE application_name = 'gatehouse'"),
	    SQLITE_OK);
	test_stderr_begin();
	assert_int_equal(store_user_set_disabled(f->st, "alice", 1), STORE_OK);
	free(test_stderr_end());
	assert_int_equal(store_user_get(f->st, "alice", &u), STORE_OK);
	assert_int_equal(u.disabled, 1);
	user_clear(&u);
}
/* Count the keys a list shows, and remember the active one's kid. */
static int
see_key(const struct key_record *k, void *arg)
{
	struct seen	*seen = arg;

	assert_true(seen->n < NSEEN);
	if (strcmp(k->state, "active") == 0)
		snprintf(seen->name[0], sizeof(seen->name[0]), "%s", k->kid);
	seen->n++;
	return 0;
}

/*
 * gatehouse-admin copy-to: every table of a SQLite store copied into
 * PostgreSQL as it was, ids and counters included; new ids go on after
 * the copied ones; a database in use is refused, and so is the other
 * direction.
 */
static void
test_pg_copy(void **state)
{
	struct fixture		*f = *state;
	struct store		*lite;
	struct refresh_record	 r, got;
	struct throttle_counts	 c;
	struct event_record	 e = { 3000, NULL, "login", NULL, "fail" };
	struct events_seen	 events = { 0 };
	struct seen		 keys = { 0 };
	struct session		 ses;
	struct user		 u;
	unsigned char		 hash[SESSION_HASH_LEN], key[SESSION_HASH_LEN];
	char			*path;
	int64_t			 gen, rev, pg_gen, pg_rev;
	int			 active, rows;

	assert_int_not_equal(asprintf(&path, "%s/gh.db", f->dir), -1);
	lite = open_quiet(path);
	assert_int_equal(add_user(lite, "alice"), 1);
	assert_int_equal(add_user(lite, "bob"), 2);
	assert_int_equal(store_user_delete(lite, "bob"), STORE_OK);
	assert_int_equal(add_user(lite, "carol"), 3);
	assert_int_equal(store_user_set_admin(lite, "alice", 1), STORE_OK);
	make_hash(hash, 0xAB, 0, 0);
	add_session(lite, hash, 1, 1000, 1001, 5000);
	assert_int_equal(store_key_add(lite, "k1", "ES256", 1000, &active),
	    STORE_OK);
	assert_int_equal(store_key_add(lite, "k2", "HS256", 1001, &active),
	    STORE_OK);
	race_token(&r, 0x42);
	assert_int_equal(store_refresh_add(lite, &r, PROOF), STORE_OK);
	assert_int_equal(store_jti_revoke(lite, "j1", 9999), STORE_OK);
	make_hash(key, 1, 2, 3);
	add_failure(lite, key, "192.0.2.1", 5000);
	assert_int_equal(store_event_add(lite, &e), STORE_OK);
	e.at = 3001;
	e.user = "alice";
	e.addr = "192.0.2.1";
	e.outcome = "ok";
	assert_int_equal(store_event_add(lite, &e), STORE_OK);
	assert_int_equal(store_key_generation(lite, &gen, &rev), STORE_OK);

	assert_int_equal(store_copy(lite, f->st, &rows), STORE_OK);
	/* 2 users, a session, 2 keys, a refresh token, a revoked jti, a
	 * failure, 2 events and the counters. */
	assert_int_equal(rows, 11);

	assert_int_equal(store_user_get(f->st, "alice", &u), STORE_OK);
	assert_int_equal(u.id, 1);
	assert_int_equal(u.admin, 1);
	assert_string_equal(u.password_hash, PROOF);
	user_clear(&u);
	assert_int_equal(store_session_get(f->st, hash, &ses), STORE_OK);
	assert_string_equal(ses.user, "alice");
	assert_int_equal(ses.expires, 5000);
	session_clear(&ses);
	assert_int_equal(store_key_list(f->st, 1, see_key, &keys), STORE_OK);
	assert_int_equal(keys.n, 2);
	assert_string_equal(keys.name[0], "k1");
	assert_int_equal(store_key_generation(f->st, &pg_gen, &pg_rev),
	    STORE_OK);
	assert_int_equal(pg_gen, gen);
	assert_int_equal(pg_rev, rev);
	assert_int_equal(store_refresh_get(f->st, r.hash, &got), STORE_OK);
	assert_memory_equal(got.family, r.family, REFRESH_FAMILY_LEN);
	assert_string_equal(got.access_jti, "jti");
	refresh_clear(&got);
	assert_int_equal(store_jti_revoked(f->st, "j1"), 1);
	assert_int_equal(store_throttle_counts(f->st, key, "192.0.2.1", 5001,
	    900, 100, &c), STORE_OK);
	assert_int_equal(c.name, 1);
	assert_int_equal(store_event_list(f->st, NULL, 0, see_event, &events),
	    STORE_OK);
	assert_int_equal(events.n, 2);
	assert_string_equal(events.line[0], "3000 login fail - -");
	assert_string_equal(events.line[1], "3001 login ok 192.0.2.1 alice");
	/* The next user is numbered after the copied ones. */
	assert_int_equal(add_user(f->st, "dave"), 4);

	test_stderr_begin();
	assert_int_equal(store_copy(lite, f->st, &rows), STORE_EXISTS);
	assert_int_equal(store_copy(f->st, lite, &rows), STORE_ERROR);
	free(test_stderr_end());
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM users"), 3);
	store_close(lite);
	free(path);
}
#endif /* HAVE_LIBPQ */

int
main(void)
{
#define D(name)	cmocka_unit_test_setup_teardown(name, setup_dir, teardown)
#define S(name)	cmocka_unit_test_setup_teardown(name, setup_store, teardown)
	/* About SQLite files. */
	const struct CMUnitTest	 sqlite_tests[] = {
		D(test_open_creates),
		D(test_reopen_noop),
		D(test_open_newer_refused),
		D(test_open_bad_path),
		D(test_open_no_create),
		D(test_usable),
		D(test_check_damaged),
	};
#ifdef HAVE_LIBPQ
	const struct CMUnitTest	 pg_tests[] = {
		D(test_pg_open_creates),
		D(test_pg_open_refused),
		S(test_pg_reconnect),
		S(test_pg_copy),
	};
#endif
	/* Every backend answers these alike. */
	const struct CMUnitTest	 store_tests[] = {
		S(test_user_add_get),
		S(test_user_duplicate),
		S(test_user_set_password),
		S(test_user_changes_end_sessions),
		S(test_user_delete),
		S(test_user_list),
		S(test_session_round_trip),
		S(test_session_add_conflicts),
		S(test_login_proof),
		S(test_user_rehash),
		S(test_session_touch),
		S(test_session_delete),
		S(test_session_delete_user),
		S(test_session_list),
		S(test_session_purge),
		S(test_session_delete_prefix),
		S(test_session_details),
		S(test_purge_remembered),
		S(test_session_delete_own),
		S(test_session_end_others),
		S(test_user_change_password),
		S(test_ended_session_changes_nothing),
		S(test_schema_checks),
		S(test_throttle_counts),
		S(test_throttle_attempt),
		S(test_throttle_race),
		S(test_refresh_race),
		S(test_throttle_prune),
		S(test_events),
	};
#undef S
#undef D
	struct CMUnitTest	 tests[NTESTS(store_tests) + 16];
	const struct CMUnitTest	*first = sqlite_tests;
	size_t			 nfirst = NTESTS(sqlite_tests);

	/* One plan for TAP: the backend's own tests, then the shared. */
	if ((pg_database = getenv("GH_TEST_PG")) != NULL) {
#ifdef HAVE_LIBPQ
		first = pg_tests;
		nfirst = NTESTS(pg_tests);
#else
		printf("1..0 # SKIP built without libpq\n");
		return 0;
#endif
	}
	memcpy(tests, first, nfirst * sizeof(tests[0]));
	memcpy(tests + nfirst, store_tests, sizeof(store_tests));
	return _cmocka_run_group_tests("test_store", tests,
	    nfirst + NTESTS(store_tests), NULL, NULL);
}
