/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * The store on one SQLite file. All SQL lives in the statement table
 * below; each statement is prepared on first use and kept for the life
 * of the connection, so a plain CGI request prepares only what it needs
 * and a FastCGI worker prepares each statement once. Values are always
 * bound, never formatted into SQL.
 *
 * The database runs in WAL mode (readers never wait for the writer) with
 * a busy timeout, so that several FastCGI workers can share it.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "gatehouse.h"
#include "store_backend.h"

static const struct store_ops	 lite_ops;

enum stmt {
	STMT_USER_GET,
	STMT_USER_ADD,
	STMT_USER_SET_PASSWORD,
	STMT_USER_REHASH,
	STMT_USER_SET_DISABLED,
	STMT_USER_DELETE,
	STMT_USER_LIST,
	STMT_SESSION_GET,
	STMT_SESSION_ADD,
	STMT_SESSION_TOUCH,
	STMT_SESSION_DELETE,
	STMT_SESSION_DELETE_USER,
	STMT_SESSION_COUNT_PREFIX,
	STMT_SESSION_DELETE_PREFIX,
	STMT_SESSION_LIST,
	STMT_SESSION_LIST_USER,
	STMT_SESSION_PURGE,
	STMT_USER_SET_ADMIN,
	STMT_KEY_GENERATION,
	STMT_KEY_LIST,
	STMT_KEY_ADD,
	STMT_KEY_DEMOTE_ACTIVE,
	STMT_KEY_ACTIVATE,
	STMT_KEY_RETIRE,
	STMT_KEY_STATE,
	STMT_REFRESH_ADD,
	STMT_REFRESH_ADD_LOGIN,
	STMT_REFRESH_GET,
	STMT_REFRESH_USE,
	STMT_REFRESH_FAMILY_DENY,
	STMT_REFRESH_FAMILY_DELETE,
	STMT_JTI_REVOKE,
	STMT_JTI_REVOKED,
	STMT_REFRESH_PURGE,
	STMT_JTI_PURGE,
	STMT_USER_TOKENS_DENY,
	STMT_USER_TOKENS_DELETE,
	STMT_THROTTLE_COUNTS,
	STMT_THROTTLE_FAIL,
	STMT_THROTTLE_PRUNE,
	STMT_THROTTLE_CLEAR_NAME,
	STMT_THROTTLE_CLEAR_ADDR,
	STMT_THROTTLE_PURGE,
	STMT_EVENT_ADD,
	STMT_EVENT_LIST,
	STMT_EVENT_PURGE,
	STMT_SESSION_DELETE_OWN,
	STMT_SESSION_DELETE_OTHERS,
	STMT_SESSION_OF_USER,
	STMT__MAX
};

#define SESSION_COLUMNS \
	"s.id_hash, s.user_id, u.name, s.created, s.last_seen, s.expires, " \
	"u.disabled, u.admin, s.remember, s.address, s.agent"

static const char *const stmt_sql[STMT__MAX] = {
	/* STMT_USER_GET */
	"SELECT id, name, password_hash, created, disabled, admin FROM users "
	"WHERE name = ?1",
	/* STMT_USER_ADD */
	"INSERT INTO users (name, password_hash, created) VALUES (?1, ?2, ?3)",
	/* STMT_USER_SET_PASSWORD */
	"UPDATE users SET password_hash = ?2 WHERE name = ?1",
	/* STMT_USER_REHASH */
	"UPDATE users SET password_hash = ?3 WHERE id = ?1 AND "
	"password_hash = ?2",
	/* STMT_USER_SET_DISABLED */
	"UPDATE users SET disabled = ?2 WHERE name = ?1",
	/* STMT_USER_DELETE */
	"DELETE FROM users WHERE name = ?1",
	/* STMT_USER_LIST */
	"SELECT u.id, u.name, u.created, u.disabled, "
	"(SELECT count(*) FROM sessions s WHERE s.user_id = u.id), u.admin "
	"FROM users u ORDER BY u.name",
	/* STMT_SESSION_GET */
	"SELECT " SESSION_COLUMNS " FROM sessions s "
	"JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?1",
	/* STMT_SESSION_ADD: only while the login's proof still holds. */
	"INSERT INTO sessions (id_hash, user_id, created, last_seen, expires, "
	"remember, address, agent) "
	"SELECT ?1, id, ?3, ?4, ?5, ?7, ?8, ?9 FROM users WHERE id = ?2 AND "
	"password_hash = ?6 AND disabled = 0",
	/* STMT_SESSION_TOUCH */
	"UPDATE sessions SET last_seen = ?2 WHERE id_hash = ?1",
	/* STMT_SESSION_DELETE */
	"DELETE FROM sessions WHERE id_hash = ?1",
	/* STMT_SESSION_DELETE_USER */
	"DELETE FROM sessions WHERE user_id = "
	"(SELECT id FROM users WHERE name = ?1)",
	/* STMT_SESSION_COUNT_PREFIX */
	"SELECT count(*) FROM sessions WHERE substr(hex(id_hash), 1, ?2) = ?1",
	/* STMT_SESSION_DELETE_PREFIX */
	"DELETE FROM sessions WHERE substr(hex(id_hash), 1, ?2) = ?1",
	/* STMT_SESSION_LIST: everyone's, for gatehouse-admin. */
	"SELECT " SESSION_COLUMNS " FROM sessions s "
	"JOIN users u ON u.id = s.user_id ORDER BY u.name, s.created",
	/*
	 * STMT_SESSION_LIST_USER: one user's (the sessions page), found by
	 * the name's index; an "?1 IS NULL OR" would read every user.
	 */
	"SELECT " SESSION_COLUMNS " FROM sessions s "
	"JOIN users u ON u.id = s.user_id WHERE u.name = ?1 "
	"ORDER BY s.created",
	/*
	 * STMT_SESSION_PURGE: as session_state. ?2 idle, ?3 absolute,
	 * ?4 remember_lifetime, 0 when remembering is off. One arm per
	 * limit, each a range of its index (sessions_by_expiry, _idle,
	 * _age: see sql/sqlite/005), so that a login's purge reads the
	 * sessions that ended and not the table. "remember IN (0, x)" is
	 * remember = 0, or either value when remembering is off.
	 */
	"DELETE FROM sessions WHERE id_hash IN ("
	"SELECT id_hash FROM sessions WHERE expires <= ?1 "
	"UNION ALL SELECT id_hash FROM sessions WHERE "
	"remember IN (0, CASE WHEN ?4 > 0 THEN 0 ELSE 1 END) AND "
	"last_seen <= ?1 - ?2 "
	"UNION ALL SELECT id_hash FROM sessions WHERE "
	"remember IN (0, CASE WHEN ?4 > 0 THEN 0 ELSE 1 END) AND "
	"created <= ?1 - ?3 "
	"UNION ALL SELECT id_hash FROM sessions WHERE remember = 1 AND "
	"created <= CASE WHEN ?4 > 0 THEN ?1 - ?4 ELSE -1 END)",
	/* STMT_USER_SET_ADMIN */
	"UPDATE users SET admin = ?2 WHERE name = ?1",
	/* STMT_KEY_GENERATION */
	"SELECT generation, revocations FROM key_generation WHERE id = 1",
	/* STMT_KEY_LIST */
	"SELECT kid, alg, state, created, coalesce(retired, 0) "
	"FROM signing_keys WHERE ?1 OR state != 'retired' ORDER BY created, kid",
	/* STMT_KEY_ADD */
	"INSERT INTO signing_keys (kid, alg, state, created) VALUES (?1, ?2, "
	"CASE WHEN EXISTS (SELECT 1 FROM signing_keys WHERE state = 'active') "
	"THEN 'verify' ELSE 'active' END, ?3) RETURNING state = 'active'",
	/* STMT_KEY_DEMOTE_ACTIVE */
	"UPDATE signing_keys SET state = 'verify' WHERE state = 'active'",
	/* STMT_KEY_ACTIVATE */
	"UPDATE signing_keys SET state = 'active' WHERE kid = ?1 AND "
	"state = 'verify'",
	/* STMT_KEY_RETIRE */
	"UPDATE signing_keys SET state = 'retired', retired = ?2 "
	"WHERE kid = ?1 AND state = 'verify'",
	/* STMT_KEY_STATE */
	"SELECT state FROM signing_keys WHERE kid = ?1",
	/* STMT_REFRESH_ADD */
	"INSERT INTO refresh_tokens (id_hash, family, user_id, created, "
	"expires, access_jti, access_expires) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	"?7)",
	/* STMT_REFRESH_ADD_LOGIN: as STMT_SESSION_ADD. */
	"INSERT INTO refresh_tokens (id_hash, family, user_id, created, "
	"expires, access_jti, access_expires) SELECT ?1, ?2, id, ?4, ?5, ?6, "
	"?7 FROM users WHERE id = ?3 AND password_hash = ?8 AND disabled = 0",
	/* STMT_REFRESH_GET */
	"SELECT r.family, r.user_id, u.name, u.disabled, r.created, r.expires, "
	"coalesce(r.used, 0), r.access_jti, r.access_expires "
	"FROM refresh_tokens r JOIN users u ON u.id = r.user_id "
	"WHERE r.id_hash = ?1",
	/* STMT_REFRESH_USE */
	"UPDATE refresh_tokens SET used = ?2 WHERE id_hash = ?1 AND used IS NULL",
	/* STMT_REFRESH_FAMILY_DENY */
	"INSERT OR IGNORE INTO revoked_tokens (jti, expires) "
	"SELECT access_jti, access_expires FROM refresh_tokens "
	"WHERE family = ?1",
	/* STMT_REFRESH_FAMILY_DELETE */
	"DELETE FROM refresh_tokens WHERE family = ?1",
	/* STMT_JTI_REVOKE */
	"INSERT OR IGNORE INTO revoked_tokens (jti, expires) VALUES (?1, ?2)",
	/* STMT_JTI_REVOKED */
	"SELECT 1 FROM revoked_tokens WHERE jti = ?1",
	/* STMT_REFRESH_PURGE */
	"DELETE FROM refresh_tokens WHERE expires <= ?1",
	/* STMT_JTI_PURGE */
	"DELETE FROM revoked_tokens WHERE expires <= ?1",
	/* STMT_USER_TOKENS_DENY */
	"INSERT OR IGNORE INTO revoked_tokens (jti, expires) "
	"SELECT access_jti, access_expires FROM refresh_tokens "
	"WHERE user_id = (SELECT id FROM users WHERE name = ?1)",
	/* STMT_USER_TOKENS_DELETE */
	"DELETE FROM refresh_tokens WHERE user_id = "
	"(SELECT id FROM users WHERE name = ?1)",
	/* STMT_THROTTLE_COUNTS: ?3 the window's start, ?4 the hour's. */
	"SELECT (SELECT count(*) FROM login_failures WHERE name_hash = ?1 AND "
	"at > ?3), (SELECT coalesce(max(at), 0) FROM login_failures WHERE "
	"name_hash = ?1 AND at > ?3), (SELECT count(*) FROM login_failures "
	"WHERE name_hash = ?1 AND at > ?4), coalesce((SELECT at FROM "
	"login_failures WHERE name_hash = ?1 AND at > ?4 ORDER BY at DESC "
	"LIMIT 1 OFFSET ?5 - 1), 0), (SELECT count(*) FROM login_failures "
	"WHERE addr = ?2 AND at > ?3), (SELECT coalesce(max(at), 0) FROM "
	"login_failures WHERE addr = ?2 AND at > ?3)",
	/* STMT_THROTTLE_FAIL */
	"INSERT INTO login_failures (name_hash, addr, at) VALUES (?1, ?2, ?3)",
	/* STMT_THROTTLE_PRUNE: a few at a time, so a write stays cheap. */
	"DELETE FROM login_failures WHERE id IN (SELECT id FROM "
	"login_failures WHERE at <= ?1 ORDER BY at LIMIT 16)",
	/* STMT_THROTTLE_CLEAR_NAME */
	"DELETE FROM login_failures WHERE name_hash = ?1",
	/* STMT_THROTTLE_CLEAR_ADDR */
	"DELETE FROM login_failures WHERE addr = ?1",
	/* STMT_THROTTLE_PURGE */
	"DELETE FROM login_failures WHERE at <= ?1",
	/* STMT_EVENT_ADD */
	"INSERT INTO auth_events (at, user, event, addr, outcome) "
	"VALUES (?1, ?2, ?3, ?4, ?5)",
	/* STMT_EVENT_LIST */
	"SELECT at, user, event, addr, outcome FROM auth_events "
	"WHERE at >= ?2 AND (?1 IS NULL OR user = ?1) ORDER BY at, id",
	/* STMT_EVENT_PURGE */
	"DELETE FROM auth_events WHERE at <= ?1",
	/* STMT_SESSION_DELETE_OWN: ?3, the session asking, still lives. */
	"DELETE FROM sessions WHERE id_hash = ?1 AND user_id = ?2 AND "
	"EXISTS (SELECT 1 FROM sessions WHERE id_hash = ?3 AND user_id = ?2)",
	/* STMT_SESSION_DELETE_OTHERS */
	"DELETE FROM sessions WHERE user_id = "
	"(SELECT id FROM users WHERE name = ?1) AND id_hash != ?2",
	/* STMT_SESSION_OF_USER */
	"SELECT 1 FROM sessions WHERE id_hash = ?2 AND user_id = "
	"(SELECT id FROM users WHERE name = ?1)",
};

struct lite {
	struct store	 base;		/* first, for store.c */
	sqlite3		*db;
	sqlite3_stmt	*stmts[STMT__MAX];
	char		*path;
	dev_t		 dev;		/* of the file opened, to notice */
	ino_t		 ino;		/* it being replaced or removed */
	int		 broken;	/* an error reopening may cure */
};

static int	 lite_usable(struct store *, int);
static void	 lite_close(struct store *);
static int	 lite_migrate(struct store *, int *, int *);
static int	 lite_ping(struct store *);
static int	 lite_check(struct store *);
static int	 lite_user_get(struct store *, const char *, struct user *);
static int	 lite_user_add(struct store *, const char *, const char *,
		    int64_t);
static int	 lite_user_rehash(struct store *, int64_t, const char *,
		    const char *);
static int	 lite_user_set_password(struct store *, const char *,
		    const char *, int);
static int	 lite_user_set_disabled(struct store *, const char *, int);
static int	 lite_user_delete(struct store *, const char *);
static int	 lite_user_list(struct store *, user_visitor, void *);
static int	 lite_session_get(struct store *, const unsigned char *,
		    struct session *);
static int	 lite_session_add(struct store *, const struct session *,
		    const char *);
static int	 lite_session_touch(struct store *, const unsigned char *,
		    int64_t);
static int	 lite_session_delete(struct store *, const unsigned char *);
static int	 lite_session_delete_user(struct store *, const char *, int *);
static int	 lite_session_delete_prefix(struct store *, const char *);
static int	 lite_session_list(struct store *, const char *,
		    session_visitor, void *);
static int	 lite_session_purge(struct store *, int64_t,
		    const struct config *, int *);
static int	 lite_session_delete_own(struct store *,
		    const unsigned char *, int64_t, const unsigned char *);
static int	 lite_session_end_others(struct store *, const char *,
		    const unsigned char *, int *);
static int	 lite_user_change_password(struct store *,
		    const struct user *, const char *, const unsigned char *,
		    const struct session *, int *);
static int	 lite_user_set_admin(struct store *, const char *, int);
static int	 lite_user_end_logins(struct store *, const char *, int *);
static int	 lite_key_generation(struct store *, int64_t *, int64_t *);
static int	 lite_key_list(struct store *, int, key_visitor, void *);
static int	 lite_key_add(struct store *, const char *, const char *,
		    int64_t, int *);
static int	 lite_key_activate(struct store *, const char *);
static int	 lite_key_retire(struct store *, const char *, int64_t);
static int	 lite_refresh_add(struct store *,
		    const struct refresh_record *, const char *);
static int	 lite_refresh_get(struct store *, const unsigned char *,
		    struct refresh_record *);
static int	 lite_refresh_rotate(struct store *, const unsigned char *,
		    int64_t, const struct refresh_record *);
static int	 lite_refresh_revoke_family(struct store *,
		    const unsigned char *, int *);
static int	 lite_jti_revoke(struct store *, const char *, int64_t);
static int	 lite_jti_revoked(struct store *, const char *);
static int	 lite_token_purge(struct store *, int64_t, long long, int *);
static int	 lite_throttle_counts(struct store *, const unsigned char *,
		    const char *, int64_t, long long, unsigned int,
		    struct throttle_counts *);
static int	 lite_throttle_attempt(struct store *, const unsigned char *,
		    const char *, int64_t, long long, unsigned int,
		    throttle_gate, void *, struct throttle_counts *, int *);
static int	 lite_throttle_clear_name(struct store *,
		    const unsigned char *, int *);
static int	 lite_throttle_clear_addr(struct store *, const char *, int *);
static int	 lite_throttle_purge(struct store *, int64_t, int *);
static int	 lite_event_add(struct store *, const struct event_record *);
static int	 lite_event_list(struct store *, const char *, int64_t,
		    event_visitor, void *);
static int	 lite_event_purge(struct store *, int64_t, int *);
static int	 lite_dump(struct store *, row_visitor, void *);
static void	 dump_column(sqlite3_stmt *, int, struct store_row *);
static sqlite3_stmt	*stmt(struct lite *, enum stmt);
static int		 run(struct lite *, sqlite3_stmt *, const char *);
static int		 exec(struct lite *, const char *);
static int		 read_session(sqlite3_stmt *, struct session *);
static char		*column_strdup(sqlite3_stmt *, int);
static void		 open_failed(struct lite *, const char *);
static void		 failed(struct lite *, const char *);
static const char	*hint(struct lite *, int);
static int		 folder_writable(const char *, int *);
static int		 change_user(struct lite *, enum stmt, const char *,
			    const char *, int, int);
static int		 one_int(struct lite *, sqlite3_stmt *, int64_t *,
			    const char *);
static int		 end_user(struct lite *, enum stmt, const char *);
static int		 key_state(struct lite *, const char *);
static int		 schema_version(struct lite *);
static void		 bind_refresh(sqlite3_stmt *,
			    const struct refresh_record *);
static int		 add_failure(struct lite *, const unsigned char *,
			    const char *, int64_t);
static void		 bind_session(sqlite3_stmt *, const struct session *,
			    const char *);
static void		 column_copy(sqlite3_stmt *, int, char *, size_t);
static int		 end_others(struct lite *, const char *,
			    const unsigned char *, int *);

/*
 * Can files be made in the folder of "path"? Returns 1, or 0 with
 * "*err" set to the reason (EROFS for a read-only file system).
 */
static int
folder_writable(const char *path, int *err)
{
	char		 dir[4096];
	const char	*slash = strrchr(path, '/');
	size_t		 len;

	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else {
		len = slash == path ? 1 : (size_t)(slash - path);
		if (len >= sizeof(dir))
			return 1;	/* no path that long was opened */
		memcpy(dir, path, len);
		dir[len] = '\0';
	}
	if (access(dir, W_OK) == 0)
		return 1;
	*err = errno;
	return 0;
}

/*
 * What to add to SQLite's message so that the log line says what went
 * wrong and what to do: SQLite's "unable to open database file" does not
 * tell a read-only file system from a missing folder, and "database disk
 * image is malformed" does not say how to get the service back.
 */
static const char *
hint(struct lite *st, int code)
{
	/* A path and the words around it. */
	static char	 line[4352];
	int		 err = sqlite3_system_errno(st->db);

	switch (code) {
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		snprintf(line, sizeof(line), " (the file is damaged: stop "
		    "gatehouse, restore it from a backup or salvage it with "
		    "\"sqlite3 %s .recover\", and start again)", st->path);
		return line;
	case SQLITE_BUSY:
		return " (another process held it longer than busy_timeout)";
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
		/*
		 * SQLite must create FILE-wal and FILE-shm beside the file;
		 * its last system error is then often the ENOENT of a first
		 * try without O_CREAT, which hides a read-only file system.
		 */
		if (folder_writable(st->path, &err) == 0) {
			snprintf(line, sizeof(line), ": its folder cannot be "
			    "written: %s", strerror(err));
			return line;
		}
		/* FALLTHROUGH */
	case SQLITE_IOERR:
	case SQLITE_FULL:
		if (err == 0)
			return "";
		snprintf(line, sizeof(line), ": %s", strerror(err));
		return line;
	default:
		return "";
	}
}

/*
 * Log a failed call with SQLite's message. Errors of the file itself
 * (read-only, I/O, corruption, gone) mark the store broken, so that the
 * next request opens it afresh instead of failing on this handle for
 * ever. SQLite creates the -shm file with the database's permissions of
 * the moment: after a database was read-only for a while, a -shm left
 * read-only keeps every write failing, so name it.
 */
static void
failed(struct lite *st, const char *what)
{
	char	 shm[4096];
	int	 code = sqlite3_extended_errcode(st->db) & 0xff;

	log_warnx("store: %s: %s: %s%s", st->path, what,
	    sqlite3_errmsg(st->db), hint(st, code));
	switch (code) {
	case SQLITE_READONLY:
		snprintf(shm, sizeof(shm), "%s-shm", st->path);
		if (access(st->path, W_OK) == 0 && access(shm, F_OK) == 0 &&
		    access(shm, W_OK) == -1)
			log_warnx("store: %s is read-only: make it writable, "
			    "or remove it while no gatehouse runs", shm);
		/* FALLTHROUGH */
	case SQLITE_IOERR:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_CANTOPEN:
	case SQLITE_FULL:
		st->broken = 1;
		break;
	default:
		break;
	}
}

/* The prepared statement "which", prepared on first use; NULL if not. */
static sqlite3_stmt *
stmt(struct lite *st, enum stmt which)
{
	if (st->stmts[which] != NULL)
		return st->stmts[which];
	if (sqlite3_prepare_v3(st->db, stmt_sql[which], -1,
	    SQLITE_PREPARE_PERSISTENT, &st->stmts[which], NULL) != SQLITE_OK) {
		failed(st, "prepare");
		st->stmts[which] = NULL;
	}
	return st->stmts[which];
}

/*
 * Step a statement that returns no rows, then reset it. Returns STORE_OK,
 * STORE_EXISTS on a uniqueness conflict, or STORE_ERROR (logged).
 */
static int
run(struct lite *st, sqlite3_stmt *s, const char *what)
{
	int	 rc;

	rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc == SQLITE_DONE)
		return STORE_OK;
	if (sqlite3_extended_errcode(st->db) == SQLITE_CONSTRAINT_UNIQUE ||
	    sqlite3_extended_errcode(st->db) == SQLITE_CONSTRAINT_PRIMARYKEY)
		return STORE_EXISTS;
	failed(st, what);
	return STORE_ERROR;
}

/* Run SQL without parameters (pragmas, transactions, migrations). */
static int
exec(struct lite *st, const char *sql)
{
	char	*err = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		sqlite3_free(err);
		failed(st, "exec");
		return STORE_ERROR;
	}
	return STORE_OK;
}

/* A copy of a text column; "" for NULL. The caller frees it. */
static char *
column_strdup(sqlite3_stmt *s, int col)
{
	const unsigned char	*t = sqlite3_column_text(s, col);

	return strdup(t == NULL ? "" : (const char *)t);
}

/*
 * Say why the database could not be opened. SQLite's own message ("unable
 * to open database file") does not tell a missing folder from a
 * permission problem, so add the system's reason and who we run as: the
 * usual cause is a database created by root for a server running as
 * another user.
 */
static void
open_failed(struct lite *st, const char *path)
{
	int	 err;

	if (st->db == NULL) {
		log_warnx("store: cannot open %s: out of memory", path);
		return;
	}
	err = sqlite3_system_errno(st->db);
	log_warnx("store: cannot open %s: %s%s%s (running as uid %ld)", path,
	    sqlite3_errmsg(st->db), err != 0 ? ": " : "",
	    err != 0 ? strerror(err) : "", (long)geteuid());
}

/*
 * Open the database at "path" and bring its schema up to date. Only with
 * "create" is a missing file created: gatehouse-admin does that, while
 * the server refuses a missing database rather than start an empty one
 * in which every user would be unknown. Returns STORE_OK with "*out" set,
 * or STORE_ERROR (logged).
 */
int
store_sqlite_open(const char *path, int busy_ms, int create,
    struct store **out)
{
	struct lite	*st;
	struct stat	 sb;
	int		 from, to, flags = SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_NOMUTEX;

	*out = NULL;
	if (!create && stat(path, &sb) == -1) {
		log_warn("store: cannot open %s (create it with "
		    "\"gatehouse-admin migrate\")", path);
		return STORE_ERROR;
	}
	if (create)
		flags |= SQLITE_OPEN_CREATE;
	if ((st = calloc(1, sizeof(*st))) == NULL ||
	    (st->path = strdup(path)) == NULL) {
		log_warn("%s", __func__);
		free(st);
		return STORE_ERROR;
	}
	st->base.ops = &lite_ops;
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		open_failed(st, path);
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, busy_ms);

	/*
	 * synchronous=NORMAL is durable in WAL mode except for the last
	 * commits before a power loss, which for sessions means a login to
	 * repeat; FULL would cost an fsync per login.
	 */
	if (exec(st, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; "
	    "PRAGMA synchronous = NORMAL;") != STORE_OK)
		goto fail;
	if (lite_migrate(&st->base, &from, &to) != STORE_OK)
		goto fail;
	if (from != to)
		log_info("store: %s: schema upgraded from version %d to %d",
		    path, from, to);
	if (stat(path, &sb) == -1) {
		log_warn("store: %s", path);
		goto fail;
	}
	st->dev = sb.st_dev;
	st->ino = sb.st_ino;
	*out = &st->base;
	return STORE_OK;
fail:
	lite_close(&st->base);
	return STORE_ERROR;
}

/*
 * May this handle still be used? Not after an error of the file itself,
 * and, when "look" asks to stat() the file, not when the file at the path
 * is no longer the one we opened (deleted, or replaced by a restored
 * backup): an open handle would go on reading the old file, revoked
 * sessions included. Returns 1, or 0 (logged) when the caller should
 * reopen.
 */
static int
lite_usable(struct store *store, int look)
{
	struct lite	*st = (struct lite *)store;
	struct stat	 sb;

	if (st->broken)
		return 0;
	if (!look)
		return 1;
	if (stat(st->path, &sb) == -1) {
		log_warn("store: %s", st->path);
		return 0;
	}
	if (sb.st_dev != st->dev || sb.st_ino != st->ino) {
		log_warnx("store: %s was replaced; opening it again",
		    st->path);
		return 0;
	}
	return 1;
}

static void
lite_close(struct store *store)
{
	struct lite	*st = (struct lite *)store;
	int	 i;

	if (st == NULL)
		return;
	for (i = 0; i < STMT__MAX; i++)
		sqlite3_finalize(st->stmts[i]);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

/* PRAGMA user_version, or -1. */
static int
schema_version(struct lite *st)
{
	sqlite3_stmt	*s = NULL;
	int		 version = -1;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL)
	    == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return version;
}

/*
 * Apply the migrations the database lacks, all in one write transaction
 * so that two workers starting together cannot both apply one. Sets the
 * versions before and after. Refuses a database newer than this program.
 */
static int
lite_migrate(struct store *store, int *from, int *to)
{
	struct lite	*st = (struct lite *)store;
	char		 pragma[64];
	int		 version, i;

	/*
	 * Up to date, as nearly always: no write lock. A plain CGI program
	 * opens the store for each request, and must not queue behind the
	 * writers for it.
	 */
	if ((version = schema_version(st)) == migrations_count) {
		*from = *to = version;
		return STORE_OK;
	}
	if (exec(st, "BEGIN IMMEDIATE") != STORE_OK)
		return STORE_ERROR;
	version = schema_version(st);
	if (version < 0) {
		failed(st, "cannot read the schema version");
		goto fail;
	}
	if (version > migrations_count) {
		log_warnx("store: the database has schema version %d, newer "
		    "than this program knows (%d); upgrade gatehouse", version,
		    migrations_count);
		goto fail;
	}
	*from = version;
	for (i = version; i < migrations_count; i++) {
		if (exec(st, migrations[i].sql) != STORE_OK) {
			log_warnx("store: migration %s failed",
			    migrations[i].name);
			goto fail;
		}
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
		    migrations[i].version);
		if (exec(st, pragma) != STORE_OK)
			goto fail;
	}
	if (exec(st, "COMMIT") != STORE_OK)
		goto fail;
	*to = migrations_count;
	return STORE_OK;
fail:
	exec(st, "ROLLBACK");
	return STORE_ERROR;
}

/*
 * Can the database be read and written? For health checks: takes the
 * write lock and gives it back, without writing anything.
 */
static int
lite_ping(struct store *store)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s = NULL;
	int		 rc = STORE_ERROR;

	if (exec(st, "BEGIN IMMEDIATE") != STORE_OK)
		return STORE_ERROR;
	if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM users", -1, &s,
	    NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		rc = STORE_OK;
	else
		failed(st, "ping");
	sqlite3_finalize(s);
	exec(st, "ROLLBACK");
	return rc;
}

/*
 * Is the file whole? PRAGMA quick_check reads every page, so this is for
 * start-up and "gatehouse -t", not for requests: a damaged page is
 * otherwise found only by the request that reads it. Returns STORE_OK,
 * or STORE_ERROR with the damage and what to do logged.
 */
static int
lite_check(struct store *store)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s = NULL;
	const char	*first;
	int		 rc = STORE_ERROR;

	if (sqlite3_prepare_v2(st->db, "PRAGMA quick_check(1)", -1, &s,
	    NULL) != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW) {
		failed(st, "quick_check");
		goto out;
	}
	first = (const char *)sqlite3_column_text(s, 0);
	/* Its first line only names the schema ("*** in database main"). */
	if (first != NULL && strrchr(first, '\n') != NULL)
		first = strrchr(first, '\n') + 1;
	if (first != NULL && strcmp(first, "ok") == 0)
		rc = STORE_OK;
	else
		log_warnx("store: %s is damaged (%s): stop gatehouse, restore "
		    "it from a backup or salvage it with \"sqlite3 %s "
		    ".recover\", and start again", st->path,
		    first == NULL ? "no answer" : first, st->path);
out:
	sqlite3_finalize(s);
	return rc;
}

/* Fill "u" (freed with user_clear) with the user called "name". */
static int
lite_user_get(struct store *store, const char *name, struct user *u)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int		 rc;

	memset(u, 0, sizeof(*u));
	if ((s = stmt(st, STMT_USER_GET)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		u->id = sqlite3_column_int64(s, 0);
		u->name = column_strdup(s, 1);
		u->password_hash = column_strdup(s, 2);
		u->created = sqlite3_column_int64(s, 3);
		u->disabled = sqlite3_column_int(s, 4);
		u->admin = sqlite3_column_int(s, 5);
		rc = u->name != NULL && u->password_hash != NULL ? STORE_OK :
		    STORE_ERROR;
		if (rc == STORE_ERROR)
			user_clear(u);
	} else if (rc == SQLITE_DONE)
		rc = STORE_NOTFOUND;
	else {
		failed(st, "user get");
		rc = STORE_ERROR;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

/* Add a user. STORE_EXISTS if the name is taken. */
static int
lite_user_add(struct store *store, const char *name, const char *hash,
    int64_t now)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;

	if ((s = stmt(st, STMT_USER_ADD)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	return run(st, s, "user add");
}

/* Run a statement bound to a user name only. 0, or -1 (logged). */
static int
end_user(struct lite *st, enum stmt which, const char *name)
{
	sqlite3_stmt	*s;

	if ((s = stmt(st, which)) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	return run(st, s, "end user") == STORE_OK ? 0 : -1;
}

/*
 * End everything a user is logged in with: sessions, and token logins
 * (refresh tokens deleted, their access tokens revoked), in one
 * transaction. "*count" says how many sessions and logins there were.
 */
static int
lite_user_end_logins(struct store *store, const char *name, int *count)
{
	struct lite	*st = (struct lite *)store;
	*count = 0;
	if (exec(st, "BEGIN IMMEDIATE") != STORE_OK)
		return STORE_ERROR;
	if (end_user(st, STMT_SESSION_DELETE_USER, name) == -1)
		goto fail;
	*count = sqlite3_changes(st->db);
	if (end_user(st, STMT_USER_TOKENS_DENY, name) == -1 ||
	    end_user(st, STMT_USER_TOKENS_DELETE, name) == -1)
		goto fail;
	*count += sqlite3_changes(st->db);
	return exec(st, "COMMIT") == STORE_OK ? STORE_OK : STORE_ERROR;
fail:
	exec(st, "ROLLBACK");
	*count = 0;
	return STORE_ERROR;
}

/*
 * Run one statement that changes the user called "name" (bound as ?1,
 * with "value" as ?2: text or, when "text" is NULL, the integer "num")
 * and, if "end_sessions", delete that user's sessions in the same
 * transaction, so that no session survives a change meant to end it.
 * STORE_NOTFOUND if there is no such user.
 */
static int
change_user(struct lite *st, enum stmt which, const char *name,
    const char *text, int num, int end_sessions)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (exec(st, "BEGIN IMMEDIATE") != STORE_OK)
		return STORE_ERROR;
	if ((s = stmt(st, which)) == NULL)
		goto fail;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	if (text != NULL)
		sqlite3_bind_text(s, 2, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int(s, 2, num);
	if ((rc = run(st, s, "user change")) != STORE_OK)
		goto fail;
	if (sqlite3_changes(st->db) != 1) {
		exec(st, "ROLLBACK");
		return STORE_NOTFOUND;
	}
	if (end_sessions && (end_user(st, STMT_SESSION_DELETE_USER, name) ||
	    end_user(st, STMT_USER_TOKENS_DENY, name) ||
	    end_user(st, STMT_USER_TOKENS_DELETE, name)))
		goto fail;
	if (exec(st, "COMMIT") != STORE_OK)
		goto fail;
	return STORE_OK;
fail:
	exec(st, "ROLLBACK");
	return STORE_ERROR;
}

/*
 * Replace a user's password hash; with "end_sessions", all their sessions
 * end with the old password. STORE_NOTFOUND if there is no such user.
 */
static int
lite_user_set_password(struct store *store, const char *name,
    const char *hash, int end_sessions)
{
	struct lite	*st = (struct lite *)store;
	return change_user(st, STMT_USER_SET_PASSWORD, name, hash, 0,
	    end_sessions);
}

/*
 * Replace the hash "old" of user "id" with "hash", the same password
 * under other cost parameters; STORE_NOTFOUND if the stored hash is no
 * longer "old" (the password was changed meanwhile, and stays changed).
 */
static int
lite_user_rehash(struct store *store, int64_t id, const char *old,
    const char *hash)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = stmt(st, STMT_USER_REHASH)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, old, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, hash, -1, SQLITE_STATIC);
	if ((rc = run(st, s, "user rehash")) != STORE_OK)
		return rc;
	return sqlite3_changes(st->db) == 1 ? STORE_OK : STORE_NOTFOUND;
}

/* Disable or enable an account; disabling ends its sessions. */
static int
lite_user_set_disabled(struct store *store, const char *name, int disabled)
{
	struct lite	*st = (struct lite *)store;
	return change_user(st, STMT_USER_SET_DISABLED, name, NULL,
	    disabled ? 1 : 0, disabled);
}

/* Delete a user; the schema deletes their sessions with them. */
static int
lite_user_delete(struct store *store, const char *name)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = stmt(st, STMT_USER_DELETE)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	if ((rc = run(st, s, "user delete")) != STORE_OK)
		return rc;
	return sqlite3_changes(st->db) == 1 ? STORE_OK : STORE_NOTFOUND;
}

/* Call "visit" for each user, by name. Stops early if it returns -1. */
static int
lite_user_list(struct store *store, user_visitor visit, void *arg)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	struct user	 u;
	int		 rc;

	if ((s = stmt(st, STMT_USER_LIST)) == NULL)
		return STORE_ERROR;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&u, 0, sizeof(u));
		u.id = sqlite3_column_int64(s, 0);
		u.name = (char *)(uintptr_t)sqlite3_column_text(s, 1);
		u.created = sqlite3_column_int64(s, 2);
		u.disabled = sqlite3_column_int(s, 3);
		u.sessions = sqlite3_column_int64(s, 4);
		u.admin = sqlite3_column_int(s, 5);
		if (u.name == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
		if (visit(&u, arg) == -1)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		failed(st, "user list");
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* Read a row of SESSION_COLUMNS into "out". Returns 0 or -1. */
static int
read_session(sqlite3_stmt *s, struct session *out)
{
	memset(out, 0, sizeof(*out));
	if (sqlite3_column_bytes(s, 0) != SESSION_HASH_LEN)
		return -1;
	memcpy(out->hash, sqlite3_column_blob(s, 0), SESSION_HASH_LEN);
	out->user_id = sqlite3_column_int64(s, 1);
	if ((out->user = column_strdup(s, 2)) == NULL)
		return -1;
	out->created = sqlite3_column_int64(s, 3);
	out->last_seen = sqlite3_column_int64(s, 4);
	out->expires = sqlite3_column_int64(s, 5);
	out->user_disabled = sqlite3_column_int(s, 6);
	out->user_admin = sqlite3_column_int(s, 7);
	out->remember = sqlite3_column_int(s, 8);
	column_copy(s, 9, out->address, sizeof(out->address));
	column_copy(s, 10, out->agent, sizeof(out->agent));
	return 0;
}

/*
 * A text column into "out" of "size" bytes; "" for NULL or for text too
 * long, which the schema's CHECKs keep out.
 */
static void
column_copy(sqlite3_stmt *s, int col, char *out, size_t size)
{
	const unsigned char	*t = sqlite3_column_text(s, col);

	out[0] = '\0';
	if (t != NULL && (size_t)sqlite3_column_bytes(s, col) < size)
		memcpy(out, t, (size_t)sqlite3_column_bytes(s, col) + 1);
}

/* Fill "out" (freed with session_clear) with the session of a hash. */
static int
lite_session_get(struct store *store, const unsigned char *hash,
    struct session *out)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((s = stmt(st, STMT_SESSION_GET)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_blob(s, 1, hash, SESSION_HASH_LEN, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		rc = read_session(s, out) == 0 ? STORE_OK : STORE_ERROR;
	else if (rc == SQLITE_DONE)
		rc = STORE_NOTFOUND;
	else {
		failed(st, "session get");
		rc = STORE_ERROR;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

/*
 * Store the new session of a login. "proof" is the password hash the
 * login was checked against: the session is stored only while that is
 * still the user's hash and the account is enabled, else STORE_NOTFOUND.
 * A password change or a disable that commits while the login is
 * running the password hash thus cannot be outlived by its session.
 */
static int
lite_session_add(struct store *store, const struct session *ses,
    const char *proof)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = stmt(st, STMT_SESSION_ADD)) == NULL)
		return STORE_ERROR;
	bind_session(s, ses, proof);
	if ((rc = run(st, s, "session add")) != STORE_OK)
		return rc;
	return sqlite3_changes(st->db) == 1 ? STORE_OK : STORE_NOTFOUND;
}

/* Bind a session for STMT_SESSION_ADD. */
static void
bind_session(sqlite3_stmt *s, const struct session *ses, const char *proof)
{
	sqlite3_bind_blob(s, 1, ses->hash, SESSION_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, ses->user_id);
	sqlite3_bind_int64(s, 3, ses->created);
	sqlite3_bind_int64(s, 4, ses->last_seen);
	sqlite3_bind_int64(s, 5, ses->expires);
	sqlite3_bind_text(s, 6, proof, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 7, ses->remember ? 1 : 0);
	sqlite3_bind_text(s, 8, ses->address, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, ses->agent, -1, SQLITE_STATIC);
}

/*
 * End one session of user "user_id": its user's own, by the hash found
 * by its handle, at the request of the user's session "asking".
 * STORE_NOTFOUND if the user has no such session (any more), so that
 * nobody ends someone else's session by naming it, or if "asking" has
 * ended meanwhile (see end_others).
 */
static int
lite_session_delete_own(struct store *store, const unsigned char *hash,
    int64_t user_id, const unsigned char *asking)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = stmt(st, STMT_SESSION_DELETE_OWN)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_blob(s, 1, hash, SESSION_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, user_id);
	sqlite3_bind_blob(s, 3, asking, SESSION_HASH_LEN, SQLITE_STATIC);
	if ((rc = run(st, s, "session delete")) != STORE_OK)
		return rc;
	return sqlite3_changes(st->db) == 1 ? STORE_OK : STORE_NOTFOUND;
}

/*
 * Inside a transaction: end every login of user "name" but the session
 * "keep": the other sessions, and the token logins (refresh tokens
 * deleted, their access tokens revoked). "*count" says how many.
 * STORE_OK; STORE_NOTFOUND, with nothing done, if "keep" is no session
 * of the user's any more: the request was let in by a session that has
 * ended since (logged out, or revoked from another of the user's
 * sessions, while the password was being checked), and an ended session
 * must not act; or STORE_ERROR (logged).
 */
static int
end_others(struct lite *st, const char *name, const unsigned char *keep,
    int *count)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = stmt(st, STMT_SESSION_OF_USER)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, keep, SESSION_HASH_LEN, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		failed(st, "session of user");
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc == SQLITE_DONE)
		return STORE_NOTFOUND;
	if (rc != SQLITE_ROW)
		return STORE_ERROR;

	if ((s = stmt(st, STMT_SESSION_DELETE_OTHERS)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, keep, SESSION_HASH_LEN, SQLITE_STATIC);
	if (run(st, s, "session delete") != STORE_OK)
		return STORE_ERROR;
	*count = sqlite3_changes(st->db);
	if (end_user(st, STMT_USER_TOKENS_DENY, name) == -1 ||
	    end_user(st, STMT_USER_TOKENS_DELETE, name) == -1)
		return STORE_ERROR;
	*count += sqlite3_changes(st->db);
	return STORE_OK;
}

/*
 * "Log out everywhere else": end every session of user "name" but
 * "keep", and their token logins, in one transaction. "*count" says how
 * many sessions and token logins ended. STORE_NOTFOUND, with nothing
 * changed, if "keep" has ended meanwhile (see end_others).
 */
static int
lite_session_end_others(struct store *store, const char *name,
    const unsigned char *keep, int *count)
{
	struct lite	*st = (struct lite *)store;
	int		 rc;

	*count = 0;
	if (exec(st, "BEGIN IMMEDIATE") != STORE_OK)
		return STORE_ERROR;
	if ((rc = end_others(st, name, keep, count)) != STORE_OK)
		goto fail;
	return exec(st, "COMMIT") == STORE_OK ? STORE_OK : STORE_ERROR;
fail:
	exec(st, "ROLLBACK");
	*count = 0;
	return rc;
}

/*
 * A user's own password change, in one transaction: the hash "u->
 * password_hash" (which the current password was checked against)
 * becomes "hash", only if it is still the stored one (compare and swap,
 * as store_user_rehash); every other session ("keep" is the current
 * one's hash) and every token login of the user ends; and the current
 * session is replaced by "fresh", which has a new id. "*count" says how
 * many sessions and token logins ended besides the current session.
 * STORE_NOTFOUND, with nothing changed, if the password was changed,
 * the account disabled or the current session ended meanwhile.
 */
static int
lite_user_change_password(struct store *store, const struct user *u,
    const char *hash, const unsigned char *keep,
    const struct session *fresh, int *count)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;

	*count = 0;
	if (exec(st, "BEGIN IMMEDIATE") != STORE_OK)
		return STORE_ERROR;
	if ((s = stmt(st, STMT_USER_REHASH)) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, u->id);
	sqlite3_bind_text(s, 2, u->password_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, hash, -1, SQLITE_STATIC);
	if (run(st, s, "user change password") != STORE_OK)
		goto fail;
	if (sqlite3_changes(st->db) != 1) {
		exec(st, "ROLLBACK");
		return STORE_NOTFOUND;
	}
	switch (end_others(st, u->name, keep, count)) {
	case STORE_OK:
		break;
	case STORE_NOTFOUND:
		exec(st, "ROLLBACK");
		return STORE_NOTFOUND;
	default:
		goto fail;
	}

	if ((s = stmt(st, STMT_SESSION_DELETE)) == NULL)
		goto fail;
	sqlite3_bind_blob(s, 1, keep, SESSION_HASH_LEN, SQLITE_STATIC);
	if (run(st, s, "session delete") != STORE_OK)
		goto fail;
	/* The new hash is the proof now; a disabled account adds no row. */
	if ((s = stmt(st, STMT_SESSION_ADD)) == NULL)
		goto fail;
	bind_session(s, fresh, hash);
	if (run(st, s, "session add") != STORE_OK)
		goto fail;
	if (sqlite3_changes(st->db) != 1) {
		exec(st, "ROLLBACK");
		*count = 0;
		return STORE_NOTFOUND;
	}
	if (exec(st, "COMMIT") == STORE_OK)
		return STORE_OK;
fail:
	exec(st, "ROLLBACK");
	*count = 0;
	return STORE_ERROR;
}

/* Record that a session was seen at "now". */
static int
lite_session_touch(struct store *store, const unsigned char *hash,
    int64_t now)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;

	if ((s = stmt(st, STMT_SESSION_TOUCH)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_blob(s, 1, hash, SESSION_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	return run(st, s, "session touch");
}

/* Delete one session; deleting one that is gone is not an error. */
static int
lite_session_delete(struct store *store, const unsigned char *hash)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;

	if ((s = stmt(st, STMT_SESSION_DELETE)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_blob(s, 1, hash, SESSION_HASH_LEN, SQLITE_STATIC);
	return run(st, s, "session delete");
}

/* Delete all sessions of a user; "*count" says how many there were. */
static int
lite_session_delete_user(struct store *store, const char *name, int *count)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int		 rc;

	*count = 0;
	if ((s = stmt(st, STMT_SESSION_DELETE_USER)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	if ((rc = run(st, s, "session delete")) == STORE_OK)
		*count = sqlite3_changes(st->db);
	return rc;
}

/*
 * Delete the one session whose hash, in upper-case hex, starts with
 * "prefix" (which the caller checked is hex). STORE_NOTFOUND if none
 * matches, STORE_AMBIGUOUS if several do (nothing is deleted then).
 */
static int
lite_session_delete_prefix(struct store *store, const char *prefix)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int64_t		 n = -1;
	int		 rc;

	if (exec(st, "BEGIN IMMEDIATE") != STORE_OK)
		return STORE_ERROR;
	if ((s = stmt(st, STMT_SESSION_COUNT_PREFIX)) == NULL)
		goto fail;
	sqlite3_bind_text(s, 1, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, (int)strlen(prefix));
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (n < 0) {
		failed(st, "session count");
		goto fail;
	}
	if (n != 1) {
		exec(st, "ROLLBACK");
		return n == 0 ? STORE_NOTFOUND : STORE_AMBIGUOUS;
	}

	if ((s = stmt(st, STMT_SESSION_DELETE_PREFIX)) == NULL)
		goto fail;
	sqlite3_bind_text(s, 1, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, (int)strlen(prefix));
	if ((rc = run(st, s, "session delete")) != STORE_OK)
		goto fail;
	if (exec(st, "COMMIT") != STORE_OK)
		goto fail;
	return STORE_OK;
fail:
	exec(st, "ROLLBACK");
	return STORE_ERROR;
}

/* Call "visit" for each session (of "user" only, unless NULL). */
static int
lite_session_list(struct store *store, const char *user, session_visitor visit,
    void *arg)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	struct session	 ses;
	int		 rc;

	if ((s = stmt(st, user != NULL ? STMT_SESSION_LIST_USER :
	    STMT_SESSION_LIST)) == NULL)
		return STORE_ERROR;
	if (user != NULL)
		sqlite3_bind_text(s, 1, user, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (read_session(s, &ses) == -1) {
			session_clear(&ses);
			rc = SQLITE_NOMEM;
			break;
		}
		rc = visit(&ses, arg);
		session_clear(&ses);
		if (rc == -1)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE && rc != -1)
		failed(st, "session list");
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE || rc == -1 ? STORE_OK :
	    STORE_ERROR;
}

/*
 * Delete every session that ended by "now" under the limits of "cfg"
 * (see session_state); "*count" says how many.
 */
static int
lite_session_purge(struct store *store, int64_t now,
    const struct config *cfg, int *count)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int		 rc;

	*count = 0;
	if ((s = stmt(st, STMT_SESSION_PURGE)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, cfg->idle_timeout);
	sqlite3_bind_int64(s, 3, cfg->absolute_timeout);
	sqlite3_bind_int64(s, 4, cfg->remember_me ? cfg->remember_lifetime :
	    0);
	if ((rc = run(st, s, "session purge")) == STORE_OK)
		*count = sqlite3_changes(st->db);
	return rc;
}

/* Grant or withdraw the admin claim. STORE_NOTFOUND without the user. */
static int
lite_user_set_admin(struct store *store, const char *name, int admin)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = stmt(st, STMT_USER_SET_ADMIN)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, admin ? 1 : 0);
	if ((rc = run(st, s, "set admin")) != STORE_OK)
		return rc;
	return sqlite3_changes(st->db) == 1 ? STORE_OK : STORE_NOTFOUND;
}

/*
 * Run a statement that returns one integer; "*out" gets it. Returns
 * STORE_OK, STORE_NOTFOUND without a row, or STORE_ERROR.
 */
static int
one_int(struct lite *st, sqlite3_stmt *s, int64_t *out, const char *what)
{
	int	 rc;

	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(s, 0);
		rc = STORE_OK;
	} else if (rc == SQLITE_DONE)
		rc = STORE_NOTFOUND;
	else {
		failed(st, what);
		rc = STORE_ERROR;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

/*
 * The counters that move whenever a signing key changes ("*gen"), and
 * whenever a token is revoked or a user changes ("*rev").
 */
static int
lite_key_generation(struct store *store, int64_t *gen, int64_t *rev)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = stmt(st, STMT_KEY_GENERATION)) == NULL)
		return STORE_ERROR;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*gen = sqlite3_column_int64(s, 0);
		*rev = sqlite3_column_int64(s, 1);
	} else
		failed(st, "key generation");
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

/* Call "visit" for each key, oldest first; retired ones only if "all". */
static int
lite_key_list(struct store *store, int all, key_visitor visit, void *arg)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt		*s;
	struct key_record	 k;
	int			 rc;

	if ((s = stmt(st, STMT_KEY_LIST)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int(s, 1, all ? 1 : 0);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		k.kid = (char *)(uintptr_t)sqlite3_column_text(s, 0);
		k.alg = (char *)(uintptr_t)sqlite3_column_text(s, 1);
		k.state = (char *)(uintptr_t)sqlite3_column_text(s, 2);
		k.created = sqlite3_column_int64(s, 3);
		k.retired = sqlite3_column_int64(s, 4);
		if (k.kid == NULL || k.alg == NULL || k.state == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
		if (visit(&k, arg) == -1) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE)
		failed(st, "key list");
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/*
 * Record a new key: it becomes the active one if there is none, else a
 * verifying one ("*active" says which). STORE_EXISTS if the kid is taken.
 */
static int
lite_key_add(struct store *store, const char *kid, const char *alg,
    int64_t now, int *active)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int64_t		 a = 0;
	int		 rc;

	if ((s = stmt(st, STMT_KEY_ADD)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, kid, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, alg, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		a = sqlite3_column_int64(s, 0);
		rc = sqlite3_step(s);
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc == SQLITE_DONE) {
		*active = a != 0;
		return STORE_OK;
	}
	if ((sqlite3_extended_errcode(st->db) & 0xff) == SQLITE_CONSTRAINT)
		return STORE_EXISTS;
	failed(st, "key add");
	return STORE_ERROR;
}

/*
 * The state of key "kid": STORE_ACTIVE for the active key, STORE_OK for
 * another one, STORE_NOTFOUND, or STORE_ERROR.
 */
static int
key_state(struct lite *st, const char *kid)
{
	sqlite3_stmt		*s;
	const unsigned char	*state;
	int			 rc;

	if ((s = stmt(st, STMT_KEY_STATE)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, kid, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	state = rc == SQLITE_ROW ? sqlite3_column_text(s, 0) : NULL;
	if (rc == SQLITE_ROW)
		rc = state != NULL && strcmp((const char *)state, "active") ==
		    0 ? STORE_ACTIVE : STORE_OK;
	else if (rc == SQLITE_DONE)
		rc = STORE_NOTFOUND;
	else {
		failed(st, "key state");
		rc = STORE_ERROR;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

/*
 * Make a verifying key the active one; the active one goes on verifying.
 * STORE_ACTIVE if it is the active one already, STORE_NOTFOUND unless
 * "kid" is a verifying key.
 */
static int
lite_key_activate(struct store *store, const char *kid)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = key_state(st, kid)) == STORE_ACTIVE || rc == STORE_ERROR)
		return rc;
	if (exec(st, "BEGIN IMMEDIATE") != STORE_OK)
		return STORE_ERROR;
	if ((s = stmt(st, STMT_KEY_DEMOTE_ACTIVE)) == NULL ||
	    run(st, s, "key demote") != STORE_OK ||
	    (s = stmt(st, STMT_KEY_ACTIVATE)) == NULL)
		goto fail;
	sqlite3_bind_text(s, 1, kid, -1, SQLITE_STATIC);
	if (run(st, s, "key activate") != STORE_OK)
		goto fail;
	if (sqlite3_changes(st->db) != 1) {
		exec(st, "ROLLBACK");
		return STORE_NOTFOUND;
	}
	return exec(st, "COMMIT") == STORE_OK ? STORE_OK : STORE_ERROR;
fail:
	exec(st, "ROLLBACK");
	return STORE_ERROR;
}

/*
 * Retire a verifying key: tokens it signed stop verifying. The active
 * key cannot be retired (STORE_ACTIVE): activate another first.
 */
static int
lite_key_retire(struct store *store, const char *kid, int64_t now)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int		 rc;

	if ((rc = key_state(st, kid)) != STORE_OK)
		return rc;

	if ((s = stmt(st, STMT_KEY_RETIRE)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, kid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	if ((rc = run(st, s, "key retire")) != STORE_OK)
		return rc;
	return sqlite3_changes(st->db) == 1 ? STORE_OK : STORE_NOTFOUND;
}

/* Bind a record for STMT_REFRESH_ADD. */
static void
bind_refresh(sqlite3_stmt *s, const struct refresh_record *r)
{
	sqlite3_bind_blob(s, 1, r->hash, sizeof(r->hash), SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, r->family, sizeof(r->family), SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, r->user_id);
	sqlite3_bind_int64(s, 4, r->created);
	sqlite3_bind_int64(s, 5, r->expires);
	sqlite3_bind_text(s, 6, r->access_jti, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 7, r->access_expires);
}

/*
 * Store the first refresh token of a login, as store_session_add stores
 * a session: only while "proof" is still the user's password hash and
 * the account is enabled, else STORE_NOTFOUND.
 */
static int
lite_refresh_add(struct store *store, const struct refresh_record *r,
    const char *proof)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = stmt(st, STMT_REFRESH_ADD_LOGIN)) == NULL)
		return STORE_ERROR;
	bind_refresh(s, r);
	sqlite3_bind_text(s, 8, proof, -1, SQLITE_STATIC);
	if ((rc = run(st, s, "refresh add")) != STORE_OK)
		return rc;
	return sqlite3_changes(st->db) == 1 ? STORE_OK : STORE_NOTFOUND;
}

/* The record of a refresh token's hash, freed with refresh_clear. */
static int
lite_refresh_get(struct store *store, const unsigned char *hash,
    struct refresh_record *r)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int		 rc;

	memset(r, 0, sizeof(*r));
	if ((s = stmt(st, STMT_REFRESH_GET)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memcpy(r->hash, hash, 32);
		if (sqlite3_column_bytes(s, 0) == REFRESH_FAMILY_LEN)
			memcpy(r->family, sqlite3_column_blob(s, 0),
			    REFRESH_FAMILY_LEN);
		r->user_id = sqlite3_column_int64(s, 1);
		r->user = column_strdup(s, 2);
		r->user_disabled = sqlite3_column_int(s, 3);
		r->created = sqlite3_column_int64(s, 4);
		r->expires = sqlite3_column_int64(s, 5);
		r->used = sqlite3_column_int64(s, 6);
		r->access_jti = column_strdup(s, 7);
		r->access_expires = sqlite3_column_int64(s, 8);
		rc = r->user != NULL && r->access_jti != NULL ? STORE_OK :
		    STORE_ERROR;
	} else if (rc == SQLITE_DONE)
		rc = STORE_NOTFOUND;
	else {
		failed(st, "refresh get");
		rc = STORE_ERROR;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != STORE_OK)
		refresh_clear(r);
	return rc;
}

/*
 * Exchange the refresh token "old" for "next", in one transaction: "old"
 * is marked used only if it was unused, and only then is "next" stored.
 * STORE_USED when "old" was used already (by a concurrent exchange too).
 */
static int
lite_refresh_rotate(struct store *store, const unsigned char *old,
    int64_t now, const struct refresh_record *next)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;

	if (exec(st, "BEGIN IMMEDIATE") != STORE_OK)
		return STORE_ERROR;
	if ((s = stmt(st, STMT_REFRESH_USE)) == NULL)
		goto fail;
	sqlite3_bind_blob(s, 1, old, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	if (run(st, s, "refresh use") != STORE_OK)
		goto fail;
	if (sqlite3_changes(st->db) != 1) {
		exec(st, "ROLLBACK");
		return STORE_USED;
	}
	if ((s = stmt(st, STMT_REFRESH_ADD)) == NULL)
		goto fail;
	bind_refresh(s, next);
	if (run(st, s, "refresh add") != STORE_OK)
		goto fail;
	return exec(st, "COMMIT") == STORE_OK ? STORE_OK : STORE_ERROR;
fail:
	exec(st, "ROLLBACK");
	return STORE_ERROR;
}

/*
 * Revoke a whole family: its access tokens join the revoked list until
 * they expire, and its refresh tokens are deleted. "*count" says how
 * many refresh tokens there were.
 */
static int
lite_refresh_revoke_family(struct store *store, const unsigned char *family,
    int *count)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;

	*count = 0;
	if (exec(st, "BEGIN IMMEDIATE") != STORE_OK)
		return STORE_ERROR;
	if ((s = stmt(st, STMT_REFRESH_FAMILY_DENY)) == NULL)
		goto fail;
	sqlite3_bind_blob(s, 1, family, REFRESH_FAMILY_LEN, SQLITE_STATIC);
	if (run(st, s, "family deny") != STORE_OK ||
	    (s = stmt(st, STMT_REFRESH_FAMILY_DELETE)) == NULL)
		goto fail;
	sqlite3_bind_blob(s, 1, family, REFRESH_FAMILY_LEN, SQLITE_STATIC);
	if (run(st, s, "family delete") != STORE_OK)
		goto fail;
	*count = sqlite3_changes(st->db);
	return exec(st, "COMMIT") == STORE_OK ? STORE_OK : STORE_ERROR;
fail:
	exec(st, "ROLLBACK");
	return STORE_ERROR;
}

/* Revoke an access token's jti until "expires". */
static int
lite_jti_revoke(struct store *store, const char *jti, int64_t expires)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;

	if ((s = stmt(st, STMT_JTI_REVOKE)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, jti, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, expires);
	return run(st, s, "jti revoke");
}

/* Is "jti" revoked? 1, 0, or -1 (STORE_ERROR). */
static int
lite_jti_revoked(struct store *store, const char *jti)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int64_t		 one;
	int		 rc;

	if ((s = stmt(st, STMT_JTI_REVOKED)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, jti, -1, SQLITE_STATIC);
	rc = one_int(st, s, &one, "jti revoked");
	return rc == STORE_OK ? 1 : rc == STORE_NOTFOUND ? 0 : STORE_ERROR;
}

/*
 * Drop revocations that ended by "now", and refresh tokens whose family
 * ended "grace" seconds before it: the last access token of a login
 * outlives the login by up to its lifetime, and ending a user's logins
 * finds that token through its refresh token's row. "*count" rows in all.
 */
static int
lite_token_purge(struct store *store, int64_t now, long long grace,
    int *count)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int		 n;

	*count = 0;
	if ((s = stmt(st, STMT_REFRESH_PURGE)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, now - grace);
	if (run(st, s, "refresh purge") != STORE_OK)
		return STORE_ERROR;
	n = sqlite3_changes(st->db);
	if ((s = stmt(st, STMT_JTI_PURGE)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, now);
	if (run(st, s, "jti purge") != STORE_OK)
		return STORE_ERROR;
	*count = n + sqlite3_changes(st->db);
	return STORE_OK;
}

/*
 * Count the failed logins that bear on an attempt for the name whose
 * SHA-256 is "name" from "addr" at "now" (see struct throttle_counts):
 * over the last "window" seconds, and over the last hour up to "cap".
 */
static int
lite_throttle_counts(struct store *store, const unsigned char *name,
    const char *addr, int64_t now, long long window, unsigned int cap,
    struct throttle_counts *c)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int		 rc;

	memset(c, 0, sizeof(*c));
	if ((s = stmt(st, STMT_THROTTLE_COUNTS)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_blob(s, 1, name, SESSION_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, addr, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now - window);
	sqlite3_bind_int64(s, 4, now - THROTTLE_KEEP);
	sqlite3_bind_int64(s, 5, cap);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		c->name = (unsigned int)sqlite3_column_int(s, 0);
		c->name_last = sqlite3_column_int64(s, 1);
		c->name_hour = (unsigned int)sqlite3_column_int(s, 2);
		c->name_cap_at = sqlite3_column_int64(s, 3);
		c->addr = (unsigned int)sqlite3_column_int(s, 4);
		c->addr_last = sqlite3_column_int64(s, 5);
	} else
		failed(st, "throttle counts");
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

/*
 * Add a failed login, and drop a few rows older than THROTTLE_KEEP:
 * every failure pays for the pruning, and no single one pays much. The
 * caller holds the transaction.
 */
static int
add_failure(struct lite *st, const unsigned char *name, const char *addr,
    int64_t now)
{
	sqlite3_stmt	*s;

	if ((s = stmt(st, STMT_THROTTLE_FAIL)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_blob(s, 1, name, SESSION_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, addr, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	if (run(st, s, "throttle fail") != STORE_OK)
		return STORE_ERROR;
	if ((s = stmt(st, STMT_THROTTLE_PRUNE)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, now - THROTTLE_KEEP);
	return run(st, s, "throttle prune");
}

/*
 * A login attempt, in one write transaction: count as
 * store_throttle_counts does (into "c"), ask "gate" whether the attempt
 * may go on, and if so record it as a failure at once, before the
 * password is checked; a login that succeeds clears it. Counting and
 * recording together is what keeps concurrent attempts from all passing
 * on the same counts, and so the hourly cap a cap. "*recorded" says
 * whether the gate let the attempt on (and it was recorded).
 */
static int
lite_throttle_attempt(struct store *store, const unsigned char *name,
    const char *addr, int64_t now, long long window, unsigned int cap,
    throttle_gate gate, void *arg, struct throttle_counts *c,
    int *recorded)
{
	struct lite	*st = (struct lite *)store;
	*recorded = 0;
	if (exec(st, "BEGIN IMMEDIATE") != STORE_OK)
		return STORE_ERROR;
	if (lite_throttle_counts(&st->base, name, addr, now, window, cap, c) !=
	    STORE_OK)
		goto fail;
	if (gate(c, arg)) {
		if (add_failure(st, name, addr, now) != STORE_OK)
			goto fail;
		*recorded = 1;
	}
	if (exec(st, "COMMIT") != STORE_OK)
		goto fail;
	return STORE_OK;
fail:
	*recorded = 0;
	exec(st, "ROLLBACK");
	return STORE_ERROR;
}

/* Forget the failed logins of a name hash; "*count" says how many. */
static int
lite_throttle_clear_name(struct store *store, const unsigned char *name,
    int *count)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int		 rc;

	*count = 0;
	if ((s = stmt(st, STMT_THROTTLE_CLEAR_NAME)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_blob(s, 1, name, SESSION_HASH_LEN, SQLITE_STATIC);
	if ((rc = run(st, s, "throttle clear")) == STORE_OK)
		*count = sqlite3_changes(st->db);
	return rc;
}

/* Forget the failed logins from an address; "*count" says how many. */
static int
lite_throttle_clear_addr(struct store *store, const char *addr, int *count)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int		 rc;

	*count = 0;
	if ((s = stmt(st, STMT_THROTTLE_CLEAR_ADDR)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, addr, -1, SQLITE_STATIC);
	if ((rc = run(st, s, "throttle clear")) == STORE_OK)
		*count = sqlite3_changes(st->db);
	return rc;
}

/*
 * Delete every failed login older than THROTTLE_KEEP at "now", for
 * gatehouse-admin gc: logins prune only a few at a time.
 */
static int
lite_throttle_purge(struct store *store, int64_t now, int *count)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int		 rc;

	*count = 0;
	if ((s = stmt(st, STMT_THROTTLE_PURGE)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, now - THROTTLE_KEEP);
	if ((rc = run(st, s, "throttle purge")) == STORE_OK)
		*count = sqlite3_changes(st->db);
	return rc;
}

/* Add one event to the audit trail. */
static int
lite_event_add(struct store *store, const struct event_record *e)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;

	if ((s = stmt(st, STMT_EVENT_ADD)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, e->at);
	sqlite3_bind_text(s, 2, e->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, e->event, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, e->addr, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, e->outcome, -1, SQLITE_STATIC);
	return run(st, s, "event add");
}

/*
 * Call "visit" for each event from "since" on (of "user" only, unless
 * NULL), oldest first. Stops early if it returns -1. The record's
 * strings live only during the call.
 */
static int
lite_event_list(struct store *store, const char *user, int64_t since,
    event_visitor visit, void *arg)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt		*s;
	struct event_record	 e;
	int			 rc;

	if ((s = stmt(st, STMT_EVENT_LIST)) == NULL)
		return STORE_ERROR;
	if (user != NULL)
		sqlite3_bind_text(s, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, since);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		e.at = sqlite3_column_int64(s, 0);
		e.user = (const char *)sqlite3_column_text(s, 1);
		e.event = (const char *)sqlite3_column_text(s, 2);
		e.addr = (const char *)sqlite3_column_text(s, 3);
		e.outcome = (const char *)sqlite3_column_text(s, 4);
		if (e.event == NULL || e.outcome == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
		if (visit(&e, arg) == -1) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE)
		failed(st, "event list");
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* Delete the events from "before" and older; "*count" says how many. */
static int
lite_event_purge(struct store *store, int64_t before, int *count)
{
	struct lite	*st = (struct lite *)store;
	sqlite3_stmt	*s;
	int		 rc;

	*count = 0;
	if ((s = stmt(st, STMT_EVENT_PURGE)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, before);
	if ((rc = run(st, s, "event purge")) == STORE_OK)
		*count = sqlite3_changes(st->db);
	return rc;
}

/* Put column "col" of the current row of "s" into "row" (store_row). */
static void
dump_column(sqlite3_stmt *s, int col, struct store_row *row)
{
	row->lengths[col] = -1;
	switch (sqlite3_column_type(s, col)) {
	case SQLITE_NULL:
		row->values[col] = NULL;
		break;
	case SQLITE_BLOB:
		row->values[col] = sqlite3_column_blob(s, col);
		row->lengths[col] = sqlite3_column_bytes(s, col);
		/* An empty blob comes as NULL: it is no SQL NULL. */
		if (row->values[col] == NULL)
			row->values[col] = "";
		break;
	default:
		row->values[col] = (const char *)sqlite3_column_text(s, col);
		break;
	}
}

/*
 * For store_copy: call "visit" with each row of each table of
 * store_tables, in one read transaction, so that the copy is of one
 * moment while servers go on writing. Stops at the first -1.
 */
static int
lite_dump(struct store *store, row_visitor visit, void *arg)
{
	struct lite		*st = (struct lite *)store;
	const struct store_table *t;
	struct store_row	 row;
	sqlite3_stmt		*s;
	char			 sql[256];
	int			 i, col, step, rc = STORE_OK;

	if (exec(st, "BEGIN") != STORE_OK)
		return STORE_ERROR;
	for (i = 0; i < store_tables_count && rc == STORE_OK; i++) {
		t = &store_tables[i];
		/* Names from store.c's table, never from input. */
		snprintf(sql, sizeof(sql), "SELECT %s FROM %s", t->columns,
		    t->name);
		if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) !=
		    SQLITE_OK) {
			failed(st, "dump");
			rc = STORE_ERROR;
			break;
		}
		row.table = i;
		row.ncols = t->ncols;
		while ((step = sqlite3_step(s)) == SQLITE_ROW) {
			for (col = 0; col < t->ncols; col++)
				dump_column(s, col, &row);
			if (visit(&row, arg) == -1) {
				rc = STORE_ERROR;
				break;
			}
		}
		if (rc == STORE_OK && step != SQLITE_DONE) {
			failed(st, "dump");
			rc = STORE_ERROR;
		}
		sqlite3_finalize(s);
	}
	exec(st, "COMMIT");
	return rc;
}

/*
 * For the tests: the rows the prepared statements of store "store" (a
 * SQLite one) have stepped over in scans of a whole table or index,
 * rather than by a search. The statements of requests must add none,
 * or their cost grows with the table. The SQL run with exec (ping,
 * migrations, transactions) is not counted.
 */
long long
store_sqlite_full_scans(struct store *store)
{
	struct lite	*st = (struct lite *)store;
	long long	 n = 0;
	int		 i;

	for (i = 0; i < STMT__MAX; i++)
		if (st->stmts[i] != NULL)
			n += sqlite3_stmt_status(st->stmts[i],
			    SQLITE_STMTSTATUS_FULLSCAN_STEP, 0);
	return n;
}

static const struct store_ops lite_ops = {
	.usable = lite_usable,
	.close = lite_close,
	.migrate = lite_migrate,
	.ping = lite_ping,
	.check = lite_check,
	.user_get = lite_user_get,
	.user_add = lite_user_add,
	.user_rehash = lite_user_rehash,
	.user_set_password = lite_user_set_password,
	.user_set_disabled = lite_user_set_disabled,
	.user_delete = lite_user_delete,
	.user_list = lite_user_list,
	.session_get = lite_session_get,
	.session_add = lite_session_add,
	.session_touch = lite_session_touch,
	.session_delete = lite_session_delete,
	.session_delete_user = lite_session_delete_user,
	.session_delete_prefix = lite_session_delete_prefix,
	.session_list = lite_session_list,
	.session_purge = lite_session_purge,
	.session_delete_own = lite_session_delete_own,
	.session_end_others = lite_session_end_others,
	.user_change_password = lite_user_change_password,
	.user_set_admin = lite_user_set_admin,
	.user_end_logins = lite_user_end_logins,
	.key_generation = lite_key_generation,
	.key_list = lite_key_list,
	.key_add = lite_key_add,
	.key_activate = lite_key_activate,
	.key_retire = lite_key_retire,
	.refresh_add = lite_refresh_add,
	.refresh_get = lite_refresh_get,
	.refresh_rotate = lite_refresh_rotate,
	.refresh_revoke_family = lite_refresh_revoke_family,
	.jti_revoke = lite_jti_revoke,
	.jti_revoked = lite_jti_revoked,
	.token_purge = lite_token_purge,
	.throttle_counts = lite_throttle_counts,
	.throttle_attempt = lite_throttle_attempt,
	.throttle_clear_name = lite_throttle_clear_name,
	.throttle_clear_addr = lite_throttle_clear_addr,
	.throttle_purge = lite_throttle_purge,
	.event_add = lite_event_add,
	.event_list = lite_event_list,
	.event_purge = lite_event_purge,
	.dump = lite_dump,
};
