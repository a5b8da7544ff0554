/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * The store on a PostgreSQL database, through libpq, for sites where
 * several servers share one store. It answers every call of store.h as
 * store_sqlite.c does. All SQL lives in the statement table below; each
 * statement is prepared on its connection at first use, and values are
 * always sent as parameters, never formatted into SQL.
 *
 * Each process holds one connection. A connection found dead (the server
 * restarted, the network dropped) is opened again once, and the call
 * tried again, unless a transaction was under way: its work is lost with
 * the connection, so the call fails (logged; a 503 for the request) and
 * the next one reconnects.
 *
 * Where SQLite serialises all writers, PostgreSQL runs them side by side
 * at READ COMMITTED, so each check-then-write below is made safe on its
 * own: a single statement whose WHERE is checked again against a row
 * another transaction changed (refresh rotation, rehash), a row lock on
 * the user a login's session depends on (FOR SHARE), or an advisory lock
 * (throttling counts, migrations).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dlfcn.h>
#include <libpq-fe.h>

#include "gatehouse.h"
#include "store_backend.h"

/*
 * libpq is loaded when a PostgreSQL database is first opened, not linked
 * into the programs: it brings some twenty libraries of its own
 * (Kerberos, LDAP, SASL, GnuTLS), about 4 MiB of every process, which a
 * site on SQLite, the default, should not pay, and a shared host without
 * libpq can still run a build that has this store. Every libpq function
 * called below goes through this table, under the name libpq-fe.h gives
 * it (the defines after pq_load).
 */
#define PQ_FUNCTIONS(X) \
	X(PQclear) X(PQcmdTuples) X(PQconnectdbParams) X(PQconninfoFree) \
	X(PQconninfoParse) X(PQerrorMessage) X(PQexec) X(PQexecParams) \
	X(PQexecPrepared) X(PQfinish) X(PQfreemem) X(PQgetisnull) \
	X(PQgetvalue) X(PQntuples) X(PQprepare) X(PQreset) \
	X(PQresultErrorField) X(PQresultErrorMessage) X(PQresultStatus) \
	X(PQsetNoticeProcessor) X(PQstatus) X(PQunescapeBytea) X(PQuser)
#define PQ_POINTER(name)	__typeof__(name) *(name);

static struct {
	PQ_FUNCTIONS(PQ_POINTER)
} pq;

/* Load libpq (once); 0, or -1 with the reason logged. */
static int
pq_load(void)
{
	static void	*lib;
	void		*sym;

	if (lib != NULL)
		return 0;
	if ((lib = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL)) == NULL) {
		log_warnx("store: a PostgreSQL database is configured, but "
		    "libpq cannot be loaded (%s): apt-get install libpq5",
		    dlerror());
		return -1;
	}
#define PQ_LOAD(name)							\
	if ((sym = dlsym(lib, #name)) == NULL)				\
		goto missing;						\
	memcpy(&pq.name, &sym, sizeof(sym));
	PQ_FUNCTIONS(PQ_LOAD)
#undef PQ_LOAD
	return 0;
missing:
	log_warnx("store: this libpq lacks a function Gatehouse needs (%s)",
	    dlerror());
	dlclose(lib);
	lib = NULL;
	return -1;
}

#define PQclear			(pq.PQclear)
#define PQcmdTuples		(pq.PQcmdTuples)
#define PQconnectdbParams	(pq.PQconnectdbParams)
#define PQconninfoFree		(pq.PQconninfoFree)
#define PQconninfoParse		(pq.PQconninfoParse)
#define PQerrorMessage		(pq.PQerrorMessage)
#define PQexec			(pq.PQexec)
#define PQexecParams		(pq.PQexecParams)
#define PQexecPrepared		(pq.PQexecPrepared)
#define PQfinish		(pq.PQfinish)
#define PQfreemem		(pq.PQfreemem)
#define PQgetisnull		(pq.PQgetisnull)
#define PQgetvalue		(pq.PQgetvalue)
#define PQntuples		(pq.PQntuples)
#define PQprepare		(pq.PQprepare)
#define PQreset			(pq.PQreset)
#define PQresultErrorField	(pq.PQresultErrorField)
#define PQresultErrorMessage	(pq.PQresultErrorMessage)
#define PQresultStatus		(pq.PQresultStatus)
#define PQsetNoticeProcessor	(pq.PQsetNoticeProcessor)
#define PQstatus		(pq.PQstatus)
#define PQunescapeBytea		(pq.PQunescapeBytea)
#define PQuser			(pq.PQuser)

static const struct store_ops	 pg_ops;

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
	STMT_KEY_LOCK,
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
	STMT_THROTTLE_LOCK,
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
	STMT_SCHEMA_VERSION,
	STMT_SCHEMA_SET,
	STMT_CHECK_GRANTS,
	STMT__MAX
};

#define SESSION_COLUMNS \
	"s.id_hash, s.user_id, u.name, s.created, s.last_seen, s.expires, " \
	"u.disabled, u.admin, s.remember, s.address, s.agent"

/* Advisory lock classes: migrations, and the two throttling keys. */
#define LOCK_MIGRATE	"1196574800"
#define LOCK_NAME	"1196574801"
#define LOCK_ADDR	"1196574802"

/*
 * Names sort as bytes (COLLATE "C"), as in SQLite, whatever the
 * database's locale. Parameters carry their types where PostgreSQL
 * could not infer them.
 */
static const char *const stmt_sql[STMT__MAX] = {
	/* STMT_USER_GET */
	"SELECT id, name, password_hash, created, disabled, admin FROM users "
	"WHERE name = $1",
	/* STMT_USER_ADD */
	"INSERT INTO users (name, password_hash, created) VALUES ($1, $2, $3)",
	/* STMT_USER_SET_PASSWORD */
	"UPDATE users SET password_hash = $2 WHERE name = $1",
	/* STMT_USER_REHASH */
	"UPDATE users SET password_hash = $3 WHERE id = $1 AND "
	"password_hash = $2",
	/* STMT_USER_SET_DISABLED */
	"UPDATE users SET disabled = $2 WHERE name = $1",
	/* STMT_USER_DELETE */
	"DELETE FROM users WHERE name = $1",
	/* STMT_USER_LIST */
	"SELECT u.id, u.name, u.created, u.disabled, "
	"(SELECT count(*) FROM sessions s WHERE s.user_id = u.id), u.admin "
	"FROM users u ORDER BY u.name COLLATE \"C\"",
	/* STMT_SESSION_GET */
	"SELECT " SESSION_COLUMNS " FROM sessions s "
	"JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1",
	/*
	 * STMT_SESSION_ADD: only while the login's proof still holds. FOR
	 * SHARE waits for a password change or a disable under way, and
	 * checks the WHERE again against what it committed.
	 */
	"INSERT INTO sessions (id_hash, user_id, created, last_seen, expires, "
	"remember, address, agent) "
	"SELECT $1::bytea, id, $3::bigint, $4::bigint, $5::bigint, "
	"$7::integer, $8::text, $9::text FROM users WHERE id = $2 AND "
	"password_hash = $6 AND disabled = 0 FOR SHARE",
	/* STMT_SESSION_TOUCH */
	"UPDATE sessions SET last_seen = $2 WHERE id_hash = $1",
	/* STMT_SESSION_DELETE */
	"DELETE FROM sessions WHERE id_hash = $1",
	/* STMT_SESSION_DELETE_USER */
	"DELETE FROM sessions WHERE user_id = "
	"(SELECT id FROM users WHERE name = $1)",
	/* STMT_SESSION_COUNT_PREFIX */
	"SELECT count(*) FROM sessions WHERE "
	"upper(substr(encode(id_hash, 'hex'), 1, $2::integer)) = $1",
	/* STMT_SESSION_DELETE_PREFIX */
	"DELETE FROM sessions WHERE "
	"upper(substr(encode(id_hash, 'hex'), 1, $2::integer)) = $1",
	/* STMT_SESSION_LIST: everyone's, for gatehouse-admin. */
	"SELECT " SESSION_COLUMNS " FROM sessions s "
	"JOIN users u ON u.id = s.user_id "
	"ORDER BY u.name COLLATE \"C\", s.created",
	/* STMT_SESSION_LIST_USER: one user's, as in store_sqlite.c. */
	"SELECT " SESSION_COLUMNS " FROM sessions s "
	"JOIN users u ON u.id = s.user_id WHERE u.name = $1 "
	"ORDER BY s.created",
	/*
	 * STMT_SESSION_PURGE: as session_state. $2 idle, $3 absolute,
	 * $4 remember_lifetime, 0 when remembering is off. One arm per
	 * limit, each a range of its index, as in store_sqlite.c.
	 */
	"DELETE FROM sessions WHERE id_hash IN ("
	"SELECT id_hash FROM sessions WHERE expires <= $1 "
	"UNION ALL SELECT id_hash FROM sessions WHERE "
	"remember IN (0, CASE WHEN $4::bigint > 0 THEN 0 ELSE 1 END) AND "
	"last_seen <= $1::bigint - $2::bigint "
	"UNION ALL SELECT id_hash FROM sessions WHERE "
	"remember IN (0, CASE WHEN $4::bigint > 0 THEN 0 ELSE 1 END) AND "
	"created <= $1::bigint - $3::bigint "
	"UNION ALL SELECT id_hash FROM sessions WHERE remember = 1 AND "
	"created <= CASE WHEN $4::bigint > 0 THEN $1::bigint - $4::bigint "
	"ELSE -1 END)",
	/* STMT_USER_SET_ADMIN */
	"UPDATE users SET admin = $2 WHERE name = $1",
	/* STMT_KEY_GENERATION */
	"SELECT generation, revocations FROM key_generation WHERE id = 1",
	/* STMT_KEY_LIST */
	"SELECT kid, alg, state, created, coalesce(retired, 0) "
	"FROM signing_keys WHERE $1::integer <> 0 OR state <> 'retired' "
	"ORDER BY created, kid COLLATE \"C\"",
	/* STMT_KEY_ADD */
	"INSERT INTO signing_keys (kid, alg, state, created) VALUES ($1, $2, "
	"CASE WHEN EXISTS (SELECT 1 FROM signing_keys WHERE state = 'active') "
	"THEN 'verify' ELSE 'active' END, $3) "
	"RETURNING (state = 'active')::integer",
	/* STMT_KEY_LOCK: one change of the active key at a time. */
	"LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE",
	/* STMT_KEY_DEMOTE_ACTIVE */
	"UPDATE signing_keys SET state = 'verify' WHERE state = 'active'",
	/* STMT_KEY_ACTIVATE */
	"UPDATE signing_keys SET state = 'active' WHERE kid = $1 AND "
	"state = 'verify'",
	/* STMT_KEY_RETIRE */
	"UPDATE signing_keys SET state = 'retired', retired = $2 "
	"WHERE kid = $1 AND state = 'verify'",
	/* STMT_KEY_STATE */
	"SELECT state FROM signing_keys WHERE kid = $1",
	/* STMT_REFRESH_ADD */
	"INSERT INTO refresh_tokens (id_hash, family, user_id, created, "
	"expires, access_jti, access_expires) VALUES ($1, $2, $3, $4, $5, $6, "
	"$7)",
	/* STMT_REFRESH_ADD_LOGIN: as STMT_SESSION_ADD. */
	"INSERT INTO refresh_tokens (id_hash, family, user_id, created, "
	"expires, access_jti, access_expires) SELECT $1::bytea, $2::bytea, id, "
	"$4::bigint, $5::bigint, $6::text, $7::bigint FROM users WHERE "
	"id = $3 AND password_hash = $8 AND disabled = 0 FOR SHARE",
	/* STMT_REFRESH_GET */
	"SELECT r.family, r.user_id, u.name, u.disabled, r.created, r.expires, "
	"coalesce(r.used, 0), r.access_jti, r.access_expires "
	"FROM refresh_tokens r JOIN users u ON u.id = r.user_id "
	"WHERE r.id_hash = $1",
	/*
	 * STMT_REFRESH_USE: of two concurrent exchanges, the second waits
	 * for the first's row lock, then finds "used" set and changes
	 * nothing.
	 */
	"UPDATE refresh_tokens SET used = $2 WHERE id_hash = $1 AND "
	"used IS NULL",
	/* STMT_REFRESH_FAMILY_DENY */
	"INSERT INTO revoked_tokens (jti, expires) "
	"SELECT access_jti, access_expires FROM refresh_tokens "
	"WHERE family = $1 ON CONFLICT (jti) DO NOTHING",
	/* STMT_REFRESH_FAMILY_DELETE */
	"DELETE FROM refresh_tokens WHERE family = $1",
	/* STMT_JTI_REVOKE */
	"INSERT INTO revoked_tokens (jti, expires) VALUES ($1, $2) "
	"ON CONFLICT (jti) DO NOTHING",
	/* STMT_JTI_REVOKED */
	"SELECT 1 FROM revoked_tokens WHERE jti = $1",
	/* STMT_REFRESH_PURGE */
	"DELETE FROM refresh_tokens WHERE expires <= $1",
	/* STMT_JTI_PURGE */
	"DELETE FROM revoked_tokens WHERE expires <= $1",
	/* STMT_USER_TOKENS_DENY */
	"INSERT INTO revoked_tokens (jti, expires) "
	"SELECT access_jti, access_expires FROM refresh_tokens "
	"WHERE user_id = (SELECT id FROM users WHERE name = $1) "
	"ON CONFLICT (jti) DO NOTHING",
	/* STMT_USER_TOKENS_DELETE */
	"DELETE FROM refresh_tokens WHERE user_id = "
	"(SELECT id FROM users WHERE name = $1)",
	/*
	 * STMT_THROTTLE_LOCK: attempts on one name, or from one address,
	 * count and record one after the other, held until the commit.
	 * The name is always locked first, so two attempts cannot each
	 * hold what the other waits for.
	 */
	"SELECT pg_advisory_xact_lock(" LOCK_NAME ", "
	"hashtext(encode($1::bytea, 'hex'))), "
	"pg_advisory_xact_lock(" LOCK_ADDR ", hashtext($2::text))",
	/*
	 * STMT_THROTTLE_COUNTS: $3 the window's start, $4 the hour's. A
	 * negative OFFSET counts as none in SQLite; PostgreSQL refuses it.
	 */
	"SELECT (SELECT count(*) FROM login_failures WHERE name_hash = $1 AND "
	"at > $3), (SELECT coalesce(max(at), 0) FROM login_failures WHERE "
	"name_hash = $1 AND at > $3), (SELECT count(*) FROM login_failures "
	"WHERE name_hash = $1 AND at > $4), coalesce((SELECT at FROM "
	"login_failures WHERE name_hash = $1 AND at > $4 ORDER BY at DESC "
	"LIMIT 1 OFFSET greatest($5::bigint - 1, 0)), 0), (SELECT count(*) "
	"FROM login_failures WHERE addr = $2 AND at > $3), (SELECT "
	"coalesce(max(at), 0) FROM login_failures WHERE addr = $2 AND "
	"at > $3)",
	/* STMT_THROTTLE_FAIL */
	"INSERT INTO login_failures (name_hash, addr, at) VALUES ($1, $2, $3)",
	/* STMT_THROTTLE_PRUNE: a few at a time, so a write stays cheap. */
	"DELETE FROM login_failures WHERE id IN (SELECT id FROM "
	"login_failures WHERE at <= $1 ORDER BY at LIMIT 16)",
	/* STMT_THROTTLE_CLEAR_NAME */
	"DELETE FROM login_failures WHERE name_hash = $1",
	/* STMT_THROTTLE_CLEAR_ADDR */
	"DELETE FROM login_failures WHERE addr = $1",
	/* STMT_THROTTLE_PURGE */
	"DELETE FROM login_failures WHERE at <= $1",
	/* STMT_EVENT_ADD */
	"INSERT INTO auth_events (at, \"user\", event, addr, outcome) "
	"VALUES ($1, $2, $3, $4, $5)",
	/* STMT_EVENT_LIST */
	"SELECT at, \"user\", event, addr, outcome FROM auth_events "
	"WHERE at >= $2 AND ($1::text IS NULL OR \"user\" = $1) "
	"ORDER BY at, id",
	/* STMT_EVENT_PURGE */
	"DELETE FROM auth_events WHERE at <= $1",
	/* STMT_SESSION_DELETE_OWN: $3, the session asking, still lives. */
	"DELETE FROM sessions WHERE id_hash = $1 AND user_id = $2 AND "
	"EXISTS (SELECT 1 FROM sessions WHERE id_hash = $3 AND user_id = $2)",
	/* STMT_SESSION_DELETE_OTHERS */
	"DELETE FROM sessions WHERE user_id = "
	"(SELECT id FROM users WHERE name = $1) AND id_hash <> $2",
	/* STMT_SESSION_OF_USER: locked, so that it cannot end meanwhile. */
	"SELECT 1 FROM sessions WHERE id_hash = $2 AND user_id = "
	"(SELECT id FROM users WHERE name = $1) FOR UPDATE",
	/* STMT_SCHEMA_VERSION */
	"SELECT version FROM gatehouse_schema",
	/* STMT_SCHEMA_SET */
	"UPDATE gatehouse_schema SET version = $1",
	/*
	 * STMT_CHECK_GRANTS: the tables the programs write that this role
	 * may not; "" for none. has_table_privilege is true for a list
	 * of privileges if any one is held: each is asked apart.
	 */
	"SELECT coalesce(string_agg(t, ', ' ORDER BY t), '') FROM "
	"unnest(ARRAY['users', 'sessions', 'signing_keys', 'key_generation', "
	"'refresh_tokens', 'revoked_tokens', 'login_failures', "
	"'auth_events']) AS t WHERE NOT (has_table_privilege(t, 'SELECT') "
	"AND has_table_privilege(t, 'INSERT') AND "
	"has_table_privilege(t, 'UPDATE') AND "
	"has_table_privilege(t, 'DELETE'))",
};

#define MAX_PARAMS	9

/* The parameters of one statement, $1 first. */
struct binding {
	const char	*values[MAX_PARAMS];
	int		 lengths[MAX_PARAMS];
	int		 formats[MAX_PARAMS];	/* 1: binary (bytea) */
	char		 numbers[MAX_PARAMS][24];
	int		 n;
};

struct pg {
	struct store	 base;		/* first, for store.c */
	PGconn		*conn;
	char		*name;		/* for log lines */
	int		 prepared[STMT__MAX];
	int		 in_tx;		/* a transaction is under way */
};

static int	 pg_usable(struct store *, int);
static void	 pg_close(struct store *);
static int	 pg_migrate(struct store *, int *, int *);
static int	 pg_ping(struct store *);
static int	 pg_check(struct store *);
static int	 pg_user_get(struct store *, const char *, struct user *);
static int	 pg_user_add(struct store *, const char *, const char *,
		    int64_t);
static int	 pg_user_rehash(struct store *, int64_t, const char *,
		    const char *);
static int	 pg_user_set_password(struct store *, const char *,
		    const char *, int);
static int	 pg_user_set_disabled(struct store *, const char *, int);
static int	 pg_user_delete(struct store *, const char *);
static int	 pg_user_list(struct store *, user_visitor, void *);
static int	 pg_session_get(struct store *, const unsigned char *,
		    struct session *);
static int	 pg_session_add(struct store *, const struct session *,
		    const char *);
static int	 pg_session_touch(struct store *, const unsigned char *,
		    int64_t);
static int	 pg_session_delete(struct store *, const unsigned char *);
static int	 pg_session_delete_user(struct store *, const char *, int *);
static int	 pg_session_delete_prefix(struct store *, const char *);
static int	 pg_session_list(struct store *, const char *,
		    session_visitor, void *);
static int	 pg_session_purge(struct store *, int64_t,
		    const struct config *, int *);
static int	 pg_session_delete_own(struct store *, const unsigned char *,
		    int64_t, const unsigned char *);
static int	 pg_session_end_others(struct store *, const char *,
		    const unsigned char *, int *);
static int	 pg_user_change_password(struct store *, const struct user *,
		    const char *, const unsigned char *,
		    const struct session *, int *);
static int	 pg_user_set_admin(struct store *, const char *, int);
static int	 pg_user_end_logins(struct store *, const char *, int *);
static int	 pg_key_generation(struct store *, int64_t *, int64_t *);
static int	 pg_key_list(struct store *, int, key_visitor, void *);
static int	 pg_key_add(struct store *, const char *, const char *,
		    int64_t, int *);
static int	 pg_key_activate(struct store *, const char *);
static int	 pg_key_retire(struct store *, const char *, int64_t);
static int	 pg_refresh_add(struct store *, const struct refresh_record *,
		    const char *);
static int	 pg_refresh_get(struct store *, const unsigned char *,
		    struct refresh_record *);
static int	 pg_refresh_rotate(struct store *, const unsigned char *,
		    int64_t, const struct refresh_record *);
static int	 pg_refresh_revoke_family(struct store *,
		    const unsigned char *, int *);
static int	 pg_jti_revoke(struct store *, const char *, int64_t);
static int	 pg_jti_revoked(struct store *, const char *);
static int	 pg_token_purge(struct store *, int64_t, long long, int *);
static int	 pg_throttle_counts(struct store *, const unsigned char *,
		    const char *, int64_t, long long, unsigned int,
		    struct throttle_counts *);
static int	 pg_throttle_attempt(struct store *, const unsigned char *,
		    const char *, int64_t, long long, unsigned int,
		    throttle_gate, void *, struct throttle_counts *, int *);
static int	 pg_throttle_clear_name(struct store *, const unsigned char *,
		    int *);
static int	 pg_throttle_clear_addr(struct store *, const char *, int *);
static int	 pg_throttle_purge(struct store *, int64_t, int *);
static int	 pg_event_add(struct store *, const struct event_record *);
static int	 pg_event_list(struct store *, const char *, int64_t,
		    event_visitor, void *);
static int	 pg_event_purge(struct store *, int64_t, int *);
static void	 p_text(struct binding *, const char *);
static void	 p_int(struct binding *, int64_t);
static void	 p_blob(struct binding *, const void *, size_t);
static const char
		*one_line(const char *);
static const char
		*pg_error(const PGconn *, const PGresult *);
static int	 reconnect(struct pg *);
static PGresult	*prepare(struct pg *, enum stmt);
static int	 query(struct pg *, enum stmt, const struct binding *,
		    PGresult **, const char *);
static int	 run(struct pg *, enum stmt, const struct binding *, int *,
		    const char *);
static int	 exec(struct pg *, const char *);
static int	 begin(struct pg *);
static int	 commit(struct pg *);
static void	 rollback(struct pg *);
static int64_t	 num(const PGresult *, int, int);
static int	 blob(const PGresult *, int, int, unsigned char *, size_t);
static char	*text_dup(const PGresult *, int, int);
static const char
		*text_or_null(const PGresult *, int, int);
static void	 text_copy(const PGresult *, int, int, char *, size_t);
static int	 read_session(const PGresult *, int, struct session *);
static void	 session_params(struct binding *, const struct session *,
		    const char *);
static void	 refresh_params(struct binding *,
		    const struct refresh_record *);
static int	 by_name(struct pg *, enum stmt, const char *, int *);
static int	 change_user(struct pg *, enum stmt, const char *,
		    const char *, int, int);
static int	 end_others(struct pg *, const char *, const unsigned char *,
		    int *);
static int	 key_state(struct pg *, const char *);
static int	 schema_version(struct pg *);
static int	 has_password(const char *);
static int	 pg_load_begin(struct store *);
static int	 pg_load_row(struct store *, const struct store_row *);
static int	 pg_load_end(struct store *, int);
static void	 ignore_notice(void *, const char *);

/* Add a text parameter; NULL is SQL NULL. */
static void
p_text(struct binding *p, const char *v)
{
	p->values[p->n] = v;
	p->lengths[p->n] = 0;
	p->formats[p->n] = 0;
	p->n++;
}

/* Add an integer parameter, sent as its decimal text. */
static void
p_int(struct binding *p, int64_t v)
{
	snprintf(p->numbers[p->n], sizeof(p->numbers[0]), "%" PRId64, v);
	p_text(p, p->numbers[p->n]);
}

/* Add a bytea parameter, sent as the bytes themselves. */
static void
p_blob(struct binding *p, const void *v, size_t len)
{
	p->values[p->n] = v;
	p->lengths[p->n] = (int)len;
	p->formats[p->n] = 1;
	p->n++;
}

/*
 * The error of "res" (or of the connection, when there is no result)
 * on one line.
 */
static const char *
pg_error(const PGconn *conn, const PGresult *res)
{
	const char	*msg;

	msg = res != NULL ? PQresultErrorMessage(res) : NULL;
	if (msg == NULL || *msg == '\0')
		msg = PQerrorMessage(conn);
	return one_line(msg);
}

/* libpq's messages end in a newline and may hold several lines. */
static const char *
one_line(const char *msg)
{
	static char	 line[512];
	char		*p;

	snprintf(line, sizeof(line), "%s", msg);
	for (p = line; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	while (p > line && p[-1] == ' ')
		*--p = '\0';
	return line;
}

/*
 * Open the connection again after it failed. Its prepared statements
 * went with it. Returns 0, or -1 (logged).
 */
static int
reconnect(struct pg *st)
{
	PQreset(st->conn);
	if (PQstatus(st->conn) != CONNECTION_OK) {
		log_warnx("store: %s: cannot reconnect: %s", st->name,
		    pg_error(st->conn, NULL));
		return -1;
	}
	memset(st->prepared, 0, sizeof(st->prepared));
	st->in_tx = 0;
	log_info("store: %s: connected again", st->name);
	return 0;
}

/* Prepare "which" on this connection unless it is; NULL, or the error. */
static PGresult *
prepare(struct pg *st, enum stmt which)
{
	PGresult	*res;
	char		 name[16];

	if (st->prepared[which])
		return NULL;
	snprintf(name, sizeof(name), "gh%d", (int)which);
	res = PQprepare(st->conn, name, stmt_sql[which], 0, NULL);
	if (PQresultStatus(res) == PGRES_COMMAND_OK) {
		PQclear(res);
		st->prepared[which] = 1;
		return NULL;
	}
	return res;
}

/*
 * Run statement "which" with "p". Returns STORE_OK with "*out" set (the
 * caller PQclears it), STORE_EXISTS on a uniqueness conflict, or
 * STORE_ERROR (logged). A dead connection is opened again and the
 * statement tried once more, outside a transaction only.
 */
static int
query(struct pg *st, enum stmt which, const struct binding *p,
    PGresult **out, const char *what)
{
	PGresult	*res = NULL;
	const char	*state;
	char		 name[16];
	int		 tries, rc;

	*out = NULL;
	snprintf(name, sizeof(name), "gh%d", (int)which);
	for (tries = 0; tries < 2; tries++) {
		PQclear(res);
		if (PQstatus(st->conn) != CONNECTION_OK &&
		    (st->in_tx || reconnect(st) == -1))
			return STORE_ERROR;
		if ((res = prepare(st, which)) == NULL)
			res = PQexecPrepared(st->conn, name, p->n, p->values,
			    p->lengths, p->formats, 0);
		if (PQresultStatus(res) == PGRES_COMMAND_OK ||
		    PQresultStatus(res) == PGRES_TUPLES_OK) {
			*out = res;
			return STORE_OK;
		}
		if (st->in_tx || PQstatus(st->conn) == CONNECTION_OK)
			break;
	}
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (state != NULL && strcmp(state, "23505") == 0)
		rc = STORE_EXISTS;
	else {
		log_warnx("store: %s: %s: %s", st->name, what,
		    pg_error(st->conn, res));
		rc = STORE_ERROR;
	}
	PQclear(res);
	return rc;
}

/* Run a statement for its effect; "*changes" (if not NULL) gets rows. */
static int
run(struct pg *st, enum stmt which, const struct binding *p, int *changes,
    const char *what)
{
	PGresult	*res;
	int		 rc;

	if ((rc = query(st, which, p, &res, what)) != STORE_OK)
		return rc;
	if (changes != NULL)
		/* libpq's count: "" for commands without one, else digits. */
		*changes = (int)strtol(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return STORE_OK;
}

/*
 * Run SQL without parameters (transactions, migrations): as query, a
 * dead connection is opened again once outside a transaction.
 */
static int
exec(struct pg *st, const char *sql)
{
	PGresult	*res = NULL;
	int		 tries;

	for (tries = 0; tries < 2; tries++) {
		PQclear(res);
		if (PQstatus(st->conn) != CONNECTION_OK &&
		    (st->in_tx || reconnect(st) == -1))
			return STORE_ERROR;
		res = PQexec(st->conn, sql);
		if (PQresultStatus(res) == PGRES_COMMAND_OK ||
		    PQresultStatus(res) == PGRES_TUPLES_OK) {
			PQclear(res);
			return STORE_OK;
		}
		if (st->in_tx || PQstatus(st->conn) == CONNECTION_OK)
			break;
	}
	log_warnx("store: %s: %s", st->name, pg_error(st->conn, res));
	PQclear(res);
	return STORE_ERROR;
}

static int
begin(struct pg *st)
{
	if (exec(st, "BEGIN") != STORE_OK)
		return STORE_ERROR;
	st->in_tx = 1;
	return STORE_OK;
}

static int
commit(struct pg *st)
{
	int	 rc;

	rc = exec(st, "COMMIT");
	st->in_tx = 0;
	return rc;
}

/* End a failed transaction; on a dead connection there is none left. */
static void
rollback(struct pg *st)
{
	PGresult	*res;

	st->in_tx = 0;
	if (PQstatus(st->conn) == CONNECTION_OK) {
		res = PQexec(st->conn, "ROLLBACK");
		PQclear(res);
	}
}

/* A number column; 0 for NULL. */
static int64_t
num(const PGresult *res, int row, int col)
{
	return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

/* A bytea column into "out", which it must fill exactly. 0 or -1. */
static int
blob(const PGresult *res, int row, int col, unsigned char *out, size_t len)
{
	unsigned char	*bytes;
	size_t		 n;
	int		 rc = -1;

	bytes = PQunescapeBytea((const unsigned char *)PQgetvalue(res, row,
	    col), &n);
	if (bytes != NULL && n == len) {
		memcpy(out, bytes, len);
		rc = 0;
	}
	PQfreemem(bytes);
	return rc;
}

/* A copy of a text column; "" for NULL. The caller frees it. */
static char *
text_dup(const PGresult *res, int row, int col)
{
	return strdup(PQgetvalue(res, row, col));
}

/* A text column, NULL for SQL NULL; it lives as long as "res". */
static const char *
text_or_null(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

/* A text column into "out"; "" for text too long (the CHECKs forbid it). */
static void
text_copy(const PGresult *res, int row, int col, char *out, size_t size)
{
	const char	*t = PQgetvalue(res, row, col);

	out[0] = '\0';
	if (strlen(t) < size)
		memcpy(out, t, strlen(t) + 1);
}

/* Is there a password in the connection string? 1, 0, or -1. */
static int
has_password(const char *conninfo)
{
	PQconninfoOption	*opts, *o;
	char			*err = NULL;
	int			 found = 0;

	if ((opts = PQconninfoParse(conninfo, &err)) == NULL) {
		log_warnx("store: the PostgreSQL connection string is not "
		    "valid: %s", err != NULL ? one_line(err) : "out of memory");
		PQfreemem(err);
		return -1;
	}
	for (o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val != NULL &&
		    *o->val != '\0')
			found = 1;
	PQconninfoFree(opts);
	return found;
}

/* libpq prints the server's notices to stderr; they say nothing new. */
static void
ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/*
 * Connect to the PostgreSQL database "conninfo" (a URI or keyword
 * string, as libpq takes them) and bring its schema up to date. Only
 * with "create" is an empty database given the schema: the server
 * refuses to start on one, where every user would be unknown. The
 * password, if any, comes from a password file (~/.pgpass, PGPASSFILE
 * or passfile=), never from the string, which is shown in log lines.
 * "busy_ms" bounds each wait for a lock, as SQLite's busy timeout.
 * Returns STORE_OK with "*out" set, or STORE_ERROR (logged).
 */
int
store_pg_open(const char *conninfo, int busy_ms, int create,
    struct store **out)
{
	struct pg	*st;
	char		 options[64];
	const char	*keys[6], *values[6];
	int		 from, to, version;

	*out = NULL;
	if (pq_load() == -1)
		return STORE_ERROR;
	switch (has_password(conninfo)) {
	case 0:
		break;
	case 1:
		log_warnx("store: the PostgreSQL connection string holds a "
		    "password: put it in a password file (PGPASSFILE or "
		    "passfile=) instead");
		/* FALLTHROUGH */
	default:
		return STORE_ERROR;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL ||
	    (st->name = strdup(conninfo)) == NULL) {
		log_warn("%s", __func__);
		free(st);
		return STORE_ERROR;
	}
	st->base.ops = &pg_ops;

	/*
	 * Later keywords win: the string's own settings override ours. A
	 * lock_timeout of 0 would wait for ever, where a busy timeout of 0
	 * does not wait at all.
	 */
	snprintf(options, sizeof(options), "-c lock_timeout=%d",
	    busy_ms > 0 ? busy_ms : 1);
	keys[0] = "fallback_application_name";
	values[0] = "gatehouse";
	keys[1] = "connect_timeout";
	values[1] = "5";
	keys[2] = "client_encoding";
	values[2] = "UTF8";
	keys[3] = "options";
	values[3] = options;
	keys[4] = "dbname";
	values[4] = conninfo;
	keys[5] = values[5] = NULL;
	st->conn = PQconnectdbParams(keys, values, 1);
	if (st->conn == NULL || PQstatus(st->conn) != CONNECTION_OK) {
		log_warnx("store: cannot connect to %s: %s", st->name,
		    st->conn == NULL ? "out of memory" :
		    pg_error(st->conn, NULL));
		goto fail;
	}
	PQsetNoticeProcessor(st->conn, ignore_notice, NULL);

	if (!create && (version = schema_version(st)) <= 0) {
		if (version == 0)
			log_warnx("store: %s has no Gatehouse schema (create "
			    "it with \"gatehouse-admin migrate\")", st->name);
		goto fail;
	}
	if (pg_migrate(&st->base, &from, &to) != STORE_OK)
		goto fail;
	if (from != to)
		log_info("store: %s: schema upgraded from version %d to %d",
		    st->name, from, to);
	*out = &st->base;
	return STORE_OK;
fail:
	pg_close(&st->base);
	return STORE_ERROR;
}

/* Still connected? A dead connection makes ctx_store open a new one. */
static int
pg_usable(struct store *store, int look)
{
	struct pg	*st = (struct pg *)store;

	(void)look;
	return PQstatus(st->conn) == CONNECTION_OK;
}

static void
pg_close(struct store *store)
{
	struct pg	*st = (struct pg *)store;

	if (st == NULL)
		return;
	PQfinish(st->conn);
	free(st->name);
	free(st);
}

/*
 * The version in gatehouse_schema: 0 when there is none (an empty
 * database), or -1 (logged).
 */
static int
schema_version(struct pg *st)
{
	PGresult	*res;
	struct binding	 p = { .n = 0 };
	const char	*state;
	int		 version = -1;

	/* Preparing names the table: a new database fails here. */
	if ((res = prepare(st, STMT_SCHEMA_VERSION)) != NULL) {
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (state != NULL && strcmp(state, "42P01") == 0)
			version = 0;
		else
			log_warnx("store: %s: schema version: %s", st->name,
			    pg_error(st->conn, res));
		PQclear(res);
		return version;
	}
	if (query(st, STMT_SCHEMA_VERSION, &p, &res, "schema version") !=
	    STORE_OK)
		return -1;
	version = PQntuples(res) == 1 ? (int)num(res, 0, 0) : 0;
	PQclear(res);
	return version;
}

/*
 * Apply the migrations the database lacks, in one transaction under an
 * advisory lock: of two servers starting together on a new database,
 * the second waits, then finds the work done. Refuses a database newer
 * than this program.
 */
static int
pg_migrate(struct store *store, int *from, int *to)
{
	struct pg	*st = (struct pg *)store;
	struct binding	 p;
	int		 version, i;

	if ((version = schema_version(st)) == pg_migrations_count) {
		*from = *to = version;
		return STORE_OK;
	}
	if (version < 0 || begin(st) != STORE_OK)
		return STORE_ERROR;
	if (exec(st, "SELECT pg_advisory_xact_lock(" LOCK_MIGRATE ")") !=
	    STORE_OK || exec(st, "CREATE TABLE IF NOT EXISTS "
	    "gatehouse_schema (version integer NOT NULL)") != STORE_OK ||
	    exec(st, "INSERT INTO gatehouse_schema (version) SELECT 0 "
	    "WHERE NOT EXISTS (SELECT 1 FROM gatehouse_schema)") != STORE_OK ||
	    (version = schema_version(st)) < 0)
		goto fail;
	if (version > pg_migrations_count) {
		log_warnx("store: %s has schema version %d, newer than this "
		    "program knows (%d); upgrade gatehouse", st->name, version,
		    pg_migrations_count);
		goto fail;
	}
	*from = version;
	for (i = version; i < pg_migrations_count; i++) {
		if (exec(st, pg_migrations[i].sql) != STORE_OK) {
			log_warnx("store: migration %s failed",
			    pg_migrations[i].name);
			goto fail;
		}
		p.n = 0;
		p_int(&p, pg_migrations[i].version);
		if (run(st, STMT_SCHEMA_SET, &p, NULL, "schema version") !=
		    STORE_OK)
			goto fail;
	}
	if (commit(st) != STORE_OK)
		goto fail;
	*to = pg_migrations_count;
	return STORE_OK;
fail:
	rollback(st);
	return STORE_ERROR;
}

/* Does the server answer, with our schema? For health checks. */
static int
pg_ping(struct store *store)
{
	return exec((struct pg *)store, "SELECT 1 FROM users LIMIT 1");
}

/*
 * For "gatehouse -t": PostgreSQL checks its own pages as it reads them,
 * so what is checked here is that the server answers, the schema is
 * there, and this connection's role may read and write every table. A
 * schema made by another role (gatehouse-admin migrate run as the
 * database's owner, say) with no GRANT to the role the web server
 * connects as would otherwise let every page that reads work and every
 * login fail.
 */
static int
pg_check(struct store *store)
{
	struct pg	*st = (struct pg *)store;
	struct binding	 p = { .n = 0 };
	PGresult	*res;
	const char	*missing;
	int		 rc = STORE_ERROR;

	if (query(st, STMT_CHECK_GRANTS, &p, &res, "privileges") !=
	    STORE_OK)
		return STORE_ERROR;
	if (PQntuples(res) != 1)
		log_warnx("store: %s: privileges: no answer", st->name);
	else if (*(missing = PQgetvalue(res, 0, 0)) != '\0')
		log_warnx("store: %s: the role %s may not read and write %s: "
		    "GRANT SELECT, INSERT, UPDATE, DELETE ON them TO it",
		    st->name, PQuser(st->conn), missing);
	else
		rc = STORE_OK;
	PQclear(res);
	return rc;
}

static int
pg_user_get(struct store *store, const char *name, struct user *u)
{
	struct pg	*st = (struct pg *)store;
	struct binding	 p = { .n = 0 };
	PGresult	*res;
	int		 rc;

	memset(u, 0, sizeof(*u));
	p_text(&p, name);
	if (query(st, STMT_USER_GET, &p, &res, "user get") != STORE_OK)
		return STORE_ERROR;
	rc = STORE_NOTFOUND;
	if (PQntuples(res) == 1) {
		u->id = num(res, 0, 0);
		u->name = text_dup(res, 0, 1);
		u->password_hash = text_dup(res, 0, 2);
		u->created = num(res, 0, 3);
		u->disabled = (int)num(res, 0, 4);
		u->admin = (int)num(res, 0, 5);
		rc = u->name != NULL && u->password_hash != NULL ? STORE_OK :
		    STORE_ERROR;
		if (rc == STORE_ERROR)
			user_clear(u);
	}
	/* The result holds the hash too. */
	if (PQntuples(res) == 1)
		wipe(PQgetvalue(res, 0, 2), strlen(PQgetvalue(res, 0, 2)));
	PQclear(res);
	return rc;
}

static int
pg_user_add(struct store *store, const char *name, const char *hash,
    int64_t now)
{
	struct binding	 p = { .n = 0 };

	p_text(&p, name);
	p_text(&p, hash);
	p_int(&p, now);
	return run((struct pg *)store, STMT_USER_ADD, &p, NULL, "user add");
}

/* Run a statement bound to a user name only; "*changes" as run. */
static int
by_name(struct pg *st, enum stmt which, const char *name, int *changes)
{
	struct binding	 p = { .n = 0 };

	p_text(&p, name);
	return run(st, which, &p, changes, "end user");
}

static int
pg_user_end_logins(struct store *store, const char *name, int *count)
{
	struct pg	*st = (struct pg *)store;
	int		 tokens;

	*count = 0;
	if (begin(st) != STORE_OK)
		return STORE_ERROR;
	if (by_name(st, STMT_SESSION_DELETE_USER, name, count) != STORE_OK ||
	    by_name(st, STMT_USER_TOKENS_DENY, name, NULL) != STORE_OK ||
	    by_name(st, STMT_USER_TOKENS_DELETE, name, &tokens) != STORE_OK ||
	    commit(st) != STORE_OK)
		goto fail;
	*count += tokens;
	return STORE_OK;
fail:
	rollback(st);
	*count = 0;
	return STORE_ERROR;
}

/*
 * As change_user in store_sqlite.c: one change of user "name" ($1, with
 * "text" or else "number" as $2) and, with "end_sessions", the end of
 * their logins, in one transaction.
 */
static int
change_user(struct pg *st, enum stmt which, const char *name,
    const char *text, int number, int end_sessions)
{
	struct binding	 p = { .n = 0 };
	int		 changes;

	p_text(&p, name);
	if (text != NULL)
		p_text(&p, text);
	else
		p_int(&p, number);
	if (begin(st) != STORE_OK)
		return STORE_ERROR;
	if (run(st, which, &p, &changes, "user change") != STORE_OK)
		goto fail;
	if (changes != 1) {
		rollback(st);
		return STORE_NOTFOUND;
	}
	if (end_sessions && (by_name(st, STMT_SESSION_DELETE_USER, name,
	    NULL) != STORE_OK || by_name(st, STMT_USER_TOKENS_DENY, name,
	    NULL) != STORE_OK || by_name(st, STMT_USER_TOKENS_DELETE, name,
	    NULL) != STORE_OK))
		goto fail;
	if (commit(st) != STORE_OK)
		goto fail;
	return STORE_OK;
fail:
	rollback(st);
	return STORE_ERROR;
}

static int
pg_user_set_password(struct store *store, const char *name,
    const char *hash, int end_sessions)
{
	return change_user((struct pg *)store, STMT_USER_SET_PASSWORD, name,
	    hash, 0, end_sessions);
}

static int
pg_user_rehash(struct store *store, int64_t id, const char *old,
    const char *hash)
{
	struct binding	 p = { .n = 0 };
	int		 changes, rc;

	p_int(&p, id);
	p_text(&p, old);
	p_text(&p, hash);
	if ((rc = run((struct pg *)store, STMT_USER_REHASH, &p, &changes,
	    "user rehash")) != STORE_OK)
		return rc;
	return changes == 1 ? STORE_OK : STORE_NOTFOUND;
}

static int
pg_user_set_disabled(struct store *store, const char *name, int disabled)
{
	return change_user((struct pg *)store, STMT_USER_SET_DISABLED, name,
	    NULL, disabled ? 1 : 0, disabled);
}

static int
pg_user_delete(struct store *store, const char *name)
{
	int	 changes, rc;

	if ((rc = by_name((struct pg *)store, STMT_USER_DELETE, name,
	    &changes)) != STORE_OK)
		return rc;
	return changes == 1 ? STORE_OK : STORE_NOTFOUND;
}

static int
pg_user_list(struct store *store, user_visitor visit, void *arg)
{
	struct binding	 p = { .n = 0 };
	struct user	 u;
	PGresult	*res;
	int		 i;

	if (query((struct pg *)store, STMT_USER_LIST, &p, &res,
	    "user list") != STORE_OK)
		return STORE_ERROR;
	for (i = 0; i < PQntuples(res); i++) {
		memset(&u, 0, sizeof(u));
		u.id = num(res, i, 0);
		u.name = PQgetvalue(res, i, 1);
		u.created = num(res, i, 2);
		u.disabled = (int)num(res, i, 3);
		u.sessions = num(res, i, 4);
		u.admin = (int)num(res, i, 5);
		if (visit(&u, arg) == -1)
			break;
	}
	PQclear(res);
	return STORE_OK;
}

/* Read row "row" of SESSION_COLUMNS into "out". Returns 0 or -1. */
static int
read_session(const PGresult *res, int row, struct session *out)
{
	memset(out, 0, sizeof(*out));
	if (blob(res, row, 0, out->hash, SESSION_HASH_LEN) == -1)
		return -1;
	out->user_id = num(res, row, 1);
	if ((out->user = text_dup(res, row, 2)) == NULL)
		return -1;
	out->created = num(res, row, 3);
	out->last_seen = num(res, row, 4);
	out->expires = num(res, row, 5);
	out->user_disabled = (int)num(res, row, 6);
	out->user_admin = (int)num(res, row, 7);
	out->remember = (int)num(res, row, 8);
	text_copy(res, row, 9, out->address, sizeof(out->address));
	text_copy(res, row, 10, out->agent, sizeof(out->agent));
	return 0;
}

static int
pg_session_get(struct store *store, const unsigned char *hash,
    struct session *out)
{
	struct binding	 p = { .n = 0 };
	PGresult	*res;
	int		 rc;

	memset(out, 0, sizeof(*out));
	p_blob(&p, hash, SESSION_HASH_LEN);
	if (query((struct pg *)store, STMT_SESSION_GET, &p, &res,
	    "session get") != STORE_OK)
		return STORE_ERROR;
	rc = STORE_NOTFOUND;
	if (PQntuples(res) == 1)
		rc = read_session(res, 0, out) == 0 ? STORE_OK : STORE_ERROR;
	PQclear(res);
	return rc;
}

/* The parameters of STMT_SESSION_ADD. */
static void
session_params(struct binding *p, const struct session *ses,
    const char *proof)
{
	p->n = 0;
	p_blob(p, ses->hash, SESSION_HASH_LEN);
	p_int(p, ses->user_id);
	p_int(p, ses->created);
	p_int(p, ses->last_seen);
	p_int(p, ses->expires);
	p_text(p, proof);
	p_int(p, ses->remember ? 1 : 0);
	p_text(p, ses->address);
	p_text(p, ses->agent);
}

static int
pg_session_add(struct store *store, const struct session *ses,
    const char *proof)
{
	struct binding	 p;
	int		 changes, rc;

	session_params(&p, ses, proof);
	if ((rc = run((struct pg *)store, STMT_SESSION_ADD, &p, &changes,
	    "session add")) != STORE_OK)
		return rc;
	return changes == 1 ? STORE_OK : STORE_NOTFOUND;
}

static int
pg_session_delete_own(struct store *store, const unsigned char *hash,
    int64_t user_id, const unsigned char *asking)
{
	struct binding	 p = { .n = 0 };
	int		 changes, rc;

	p_blob(&p, hash, SESSION_HASH_LEN);
	p_int(&p, user_id);
	p_blob(&p, asking, SESSION_HASH_LEN);
	if ((rc = run((struct pg *)store, STMT_SESSION_DELETE_OWN, &p,
	    &changes, "session delete")) != STORE_OK)
		return rc;
	return changes == 1 ? STORE_OK : STORE_NOTFOUND;
}

/*
 * Inside a transaction: end every login of user "name" but the session
 * "keep" (as end_others in store_sqlite.c). STORE_OK; STORE_NOTFOUND,
 * with nothing done, if "keep" is no session of the user's any more; or
 * STORE_ERROR (logged).
 */
static int
end_others(struct pg *st, const char *name, const unsigned char *keep,
    int *count)
{
	struct binding	 p = { .n = 0 };
	int		 tokens, found;

	p_text(&p, name);
	p_blob(&p, keep, SESSION_HASH_LEN);
	if (run(st, STMT_SESSION_OF_USER, &p, &found, "session of user") !=
	    STORE_OK)
		return STORE_ERROR;
	if (found != 1)
		return STORE_NOTFOUND;
	if (run(st, STMT_SESSION_DELETE_OTHERS, &p, count, "session delete")
	    != STORE_OK ||
	    by_name(st, STMT_USER_TOKENS_DENY, name, NULL) != STORE_OK ||
	    by_name(st, STMT_USER_TOKENS_DELETE, name, &tokens) != STORE_OK)
		return STORE_ERROR;
	*count += tokens;
	return STORE_OK;
}

static int
pg_session_end_others(struct store *store, const char *name,
    const unsigned char *keep, int *count)
{
	struct pg	*st = (struct pg *)store;
	int		 rc;

	*count = 0;
	if (begin(st) != STORE_OK)
		return STORE_ERROR;
	if ((rc = end_others(st, name, keep, count)) != STORE_OK)
		goto fail;
	if ((rc = commit(st)) != STORE_OK)
		goto fail;
	return STORE_OK;
fail:
	rollback(st);
	*count = 0;
	return rc;
}

static int
pg_user_change_password(struct store *store, const struct user *u,
    const char *hash, const unsigned char *keep,
    const struct session *fresh, int *count)
{
	struct pg	*st = (struct pg *)store;
	struct binding	 p = { .n = 0 };
	int		 changes;

	*count = 0;
	if (begin(st) != STORE_OK)
		return STORE_ERROR;
	p_int(&p, u->id);
	p_text(&p, u->password_hash);
	p_text(&p, hash);
	if (run(st, STMT_USER_REHASH, &p, &changes, "user change password")
	    != STORE_OK)
		goto fail;
	if (changes != 1) {
		rollback(st);
		return STORE_NOTFOUND;
	}
	switch (end_others(st, u->name, keep, count)) {
	case STORE_OK:
		break;
	case STORE_NOTFOUND:
		rollback(st);
		*count = 0;
		return STORE_NOTFOUND;
	default:
		goto fail;
	}

	p.n = 0;
	p_blob(&p, keep, SESSION_HASH_LEN);
	if (run(st, STMT_SESSION_DELETE, &p, NULL, "session delete") !=
	    STORE_OK)
		goto fail;
	/* The new hash is the proof now; a disabled account adds no row. */
	session_params(&p, fresh, hash);
	if (run(st, STMT_SESSION_ADD, &p, &changes, "session add") !=
	    STORE_OK)
		goto fail;
	if (changes != 1) {
		rollback(st);
		*count = 0;
		return STORE_NOTFOUND;
	}
	if (commit(st) == STORE_OK)
		return STORE_OK;
fail:
	rollback(st);
	*count = 0;
	return STORE_ERROR;
}

static int
pg_session_touch(struct store *store, const unsigned char *hash,
    int64_t now)
{
	struct binding	 p = { .n = 0 };

	p_blob(&p, hash, SESSION_HASH_LEN);
	p_int(&p, now);
	return run((struct pg *)store, STMT_SESSION_TOUCH, &p, NULL,
	    "session touch");
}

static int
pg_session_delete(struct store *store, const unsigned char *hash)
{
	struct binding	 p = { .n = 0 };

	p_blob(&p, hash, SESSION_HASH_LEN);
	return run((struct pg *)store, STMT_SESSION_DELETE, &p, NULL,
	    "session delete");
}

static int
pg_session_delete_user(struct store *store, const char *name, int *count)
{
	*count = 0;
	return by_name((struct pg *)store, STMT_SESSION_DELETE_USER, name,
	    count);
}

static int
pg_session_delete_prefix(struct store *store, const char *prefix)
{
	struct pg	*st = (struct pg *)store;
	struct binding	 p = { .n = 0 };
	PGresult	*res;
	int64_t		 n;

	p_text(&p, prefix);
	p_int(&p, (int64_t)strlen(prefix));
	if (begin(st) != STORE_OK)
		return STORE_ERROR;
	if (query(st, STMT_SESSION_COUNT_PREFIX, &p, &res, "session count")
	    != STORE_OK)
		goto fail;
	n = PQntuples(res) == 1 ? num(res, 0, 0) : 0;
	PQclear(res);
	if (n != 1) {
		rollback(st);
		return n == 0 ? STORE_NOTFOUND : STORE_AMBIGUOUS;
	}
	if (run(st, STMT_SESSION_DELETE_PREFIX, &p, NULL, "session delete") !=
	    STORE_OK || commit(st) != STORE_OK)
		goto fail;
	return STORE_OK;
fail:
	rollback(st);
	return STORE_ERROR;
}

static int
pg_session_list(struct store *store, const char *user,
    session_visitor visit, void *arg)
{
	struct binding	 p = { .n = 0 };
	struct session	 ses;
	PGresult	*res;
	int		 i, rc = STORE_OK;

	if (user != NULL)
		p_text(&p, user);
	if (query((struct pg *)store, user != NULL ? STMT_SESSION_LIST_USER :
	    STMT_SESSION_LIST, &p, &res, "session list") != STORE_OK)
		return STORE_ERROR;
	for (i = 0; i < PQntuples(res); i++) {
		if (read_session(res, i, &ses) == -1) {
			session_clear(&ses);
			log_warnx("store: session list: a row cannot be read");
			rc = STORE_ERROR;
			break;
		}
		if (visit(&ses, arg) == -1) {
			session_clear(&ses);
			break;
		}
		session_clear(&ses);
	}
	PQclear(res);
	return rc;
}

static int
pg_session_purge(struct store *store, int64_t now,
    const struct config *cfg, int *count)
{
	struct binding	 p = { .n = 0 };

	*count = 0;
	p_int(&p, now);
	p_int(&p, cfg->idle_timeout);
	p_int(&p, cfg->absolute_timeout);
	p_int(&p, cfg->remember_me ? cfg->remember_lifetime : 0);
	return run((struct pg *)store, STMT_SESSION_PURGE, &p, count,
	    "session purge");
}

static int
pg_user_set_admin(struct store *store, const char *name, int admin)
{
	struct binding	 p = { .n = 0 };
	int		 changes, rc;

	p_text(&p, name);
	p_int(&p, admin ? 1 : 0);
	if ((rc = run((struct pg *)store, STMT_USER_SET_ADMIN, &p, &changes,
	    "set admin")) != STORE_OK)
		return rc;
	return changes == 1 ? STORE_OK : STORE_NOTFOUND;
}

static int
pg_key_generation(struct store *store, int64_t *gen, int64_t *rev)
{
	struct binding	 p = { .n = 0 };
	PGresult	*res;
	int		 rc = STORE_ERROR;

	if (query((struct pg *)store, STMT_KEY_GENERATION, &p, &res,
	    "key generation") != STORE_OK)
		return STORE_ERROR;
	if (PQntuples(res) == 1) {
		*gen = num(res, 0, 0);
		*rev = num(res, 0, 1);
		rc = STORE_OK;
	} else
		log_warnx("store: key generation: the row is missing");
	PQclear(res);
	return rc;
}

static int
pg_key_list(struct store *store, int all, key_visitor visit, void *arg)
{
	struct binding		 p = { .n = 0 };
	struct key_record	 k;
	PGresult		*res;
	int			 i;

	p_int(&p, all ? 1 : 0);
	if (query((struct pg *)store, STMT_KEY_LIST, &p, &res, "key list") !=
	    STORE_OK)
		return STORE_ERROR;
	for (i = 0; i < PQntuples(res); i++) {
		k.kid = PQgetvalue(res, i, 0);
		k.alg = PQgetvalue(res, i, 1);
		k.state = PQgetvalue(res, i, 2);
		k.created = num(res, i, 3);
		k.retired = num(res, i, 4);
		if (visit(&k, arg) == -1)
			break;
	}
	PQclear(res);
	return STORE_OK;
}

static int
pg_key_add(struct store *store, const char *kid, const char *alg,
    int64_t now, int *active)
{
	struct binding	 p = { .n = 0 };
	PGresult	*res;
	int		 rc;

	p_text(&p, kid);
	p_text(&p, alg);
	p_int(&p, now);
	if ((rc = query((struct pg *)store, STMT_KEY_ADD, &p, &res,
	    "key add")) != STORE_OK)
		return rc;
	*active = PQntuples(res) == 1 && num(res, 0, 0) != 0;
	PQclear(res);
	return STORE_OK;
}

/* As key_state in store_sqlite.c. */
static int
key_state(struct pg *st, const char *kid)
{
	struct binding	 p = { .n = 0 };
	PGresult	*res;
	int		 rc = STORE_NOTFOUND;

	p_text(&p, kid);
	if (query(st, STMT_KEY_STATE, &p, &res, "key state") != STORE_OK)
		return STORE_ERROR;
	if (PQntuples(res) == 1)
		rc = strcmp(PQgetvalue(res, 0, 0), "active") == 0 ?
		    STORE_ACTIVE : STORE_OK;
	PQclear(res);
	return rc;
}

static int
pg_key_activate(struct store *store, const char *kid)
{
	struct pg	*st = (struct pg *)store;
	struct binding	 none = { .n = 0 }, p = { .n = 0 };
	int		 changes, rc;

	if ((rc = key_state(st, kid)) == STORE_ACTIVE || rc == STORE_ERROR)
		return rc;
	p_text(&p, kid);
	if (begin(st) != STORE_OK)
		return STORE_ERROR;
	if (run(st, STMT_KEY_LOCK, &none, NULL, "key lock") != STORE_OK ||
	    run(st, STMT_KEY_DEMOTE_ACTIVE, &none, NULL, "key demote") !=
	    STORE_OK ||
	    run(st, STMT_KEY_ACTIVATE, &p, &changes, "key activate") !=
	    STORE_OK)
		goto fail;
	if (changes != 1) {
		rollback(st);
		return STORE_NOTFOUND;
	}
	if (commit(st) == STORE_OK)
		return STORE_OK;
fail:
	rollback(st);
	return STORE_ERROR;
}

static int
pg_key_retire(struct store *store, const char *kid, int64_t now)
{
	struct pg	*st = (struct pg *)store;
	struct binding	 p = { .n = 0 };
	int		 changes, rc;

	if ((rc = key_state(st, kid)) != STORE_OK)
		return rc;
	p_text(&p, kid);
	p_int(&p, now);
	if ((rc = run(st, STMT_KEY_RETIRE, &p, &changes, "key retire")) !=
	    STORE_OK)
		return rc;
	return changes == 1 ? STORE_OK : STORE_NOTFOUND;
}

/* The parameters of STMT_REFRESH_ADD, $1 to $7. */
static void
refresh_params(struct binding *p, const struct refresh_record *r)
{
	p->n = 0;
	p_blob(p, r->hash, sizeof(r->hash));
	p_blob(p, r->family, sizeof(r->family));
	p_int(p, r->user_id);
	p_int(p, r->created);
	p_int(p, r->expires);
	p_text(p, r->access_jti);
	p_int(p, r->access_expires);
}

static int
pg_refresh_add(struct store *store, const struct refresh_record *r,
    const char *proof)
{
	struct binding	 p;
	int		 changes, rc;

	refresh_params(&p, r);
	p_text(&p, proof);
	if ((rc = run((struct pg *)store, STMT_REFRESH_ADD_LOGIN, &p,
	    &changes, "refresh add")) != STORE_OK)
		return rc;
	return changes == 1 ? STORE_OK : STORE_NOTFOUND;
}

static int
pg_refresh_get(struct store *store, const unsigned char *hash,
    struct refresh_record *r)
{
	struct binding	 p = { .n = 0 };
	PGresult	*res;
	int		 rc = STORE_NOTFOUND;

	memset(r, 0, sizeof(*r));
	p_blob(&p, hash, 32);
	if (query((struct pg *)store, STMT_REFRESH_GET, &p, &res,
	    "refresh get") != STORE_OK)
		return STORE_ERROR;
	if (PQntuples(res) == 1) {
		memcpy(r->hash, hash, 32);
		(void)blob(res, 0, 0, r->family, REFRESH_FAMILY_LEN);
		r->user_id = num(res, 0, 1);
		r->user = text_dup(res, 0, 2);
		r->user_disabled = (int)num(res, 0, 3);
		r->created = num(res, 0, 4);
		r->expires = num(res, 0, 5);
		r->used = num(res, 0, 6);
		r->access_jti = text_dup(res, 0, 7);
		r->access_expires = num(res, 0, 8);
		rc = r->user != NULL && r->access_jti != NULL ? STORE_OK :
		    STORE_ERROR;
	}
	PQclear(res);
	if (rc != STORE_OK)
		refresh_clear(r);
	return rc;
}

static int
pg_refresh_rotate(struct store *store, const unsigned char *old,
    int64_t now, const struct refresh_record *next)
{
	struct pg	*st = (struct pg *)store;
	struct binding	 p = { .n = 0 };
	int		 changes;

	if (begin(st) != STORE_OK)
		return STORE_ERROR;
	p_blob(&p, old, 32);
	p_int(&p, now);
	if (run(st, STMT_REFRESH_USE, &p, &changes, "refresh use") !=
	    STORE_OK)
		goto fail;
	if (changes != 1) {
		rollback(st);
		return STORE_USED;
	}
	refresh_params(&p, next);
	if (run(st, STMT_REFRESH_ADD, &p, NULL, "refresh add") != STORE_OK ||
	    commit(st) != STORE_OK)
		goto fail;
	return STORE_OK;
fail:
	rollback(st);
	return STORE_ERROR;
}

static int
pg_refresh_revoke_family(struct store *store, const unsigned char *family,
    int *count)
{
	struct pg	*st = (struct pg *)store;
	struct binding	 p = { .n = 0 };

	*count = 0;
	p_blob(&p, family, REFRESH_FAMILY_LEN);
	if (begin(st) != STORE_OK)
		return STORE_ERROR;
	if (run(st, STMT_REFRESH_FAMILY_DENY, &p, NULL, "family deny") !=
	    STORE_OK ||
	    run(st, STMT_REFRESH_FAMILY_DELETE, &p, count, "family delete") !=
	    STORE_OK || commit(st) != STORE_OK)
		goto fail;
	return STORE_OK;
fail:
	rollback(st);
	*count = 0;
	return STORE_ERROR;
}

static int
pg_jti_revoke(struct store *store, const char *jti, int64_t expires)
{
	struct binding	 p = { .n = 0 };

	p_text(&p, jti);
	p_int(&p, expires);
	return run((struct pg *)store, STMT_JTI_REVOKE, &p, NULL,
	    "jti revoke");
}

static int
pg_jti_revoked(struct store *store, const char *jti)
{
	struct binding	 p = { .n = 0 };
	PGresult	*res;
	int		 revoked;

	p_text(&p, jti);
	if (query((struct pg *)store, STMT_JTI_REVOKED, &p, &res,
	    "jti revoked") != STORE_OK)
		return STORE_ERROR;
	revoked = PQntuples(res) > 0;
	PQclear(res);
	return revoked;
}

static int
pg_token_purge(struct store *store, int64_t now, long long grace,
    int *count)
{
	struct pg	*st = (struct pg *)store;
	struct binding	 p = { .n = 0 };
	int		 refresh, jti;

	*count = 0;
	p_int(&p, now - grace);
	if (run(st, STMT_REFRESH_PURGE, &p, &refresh, "refresh purge") !=
	    STORE_OK)
		return STORE_ERROR;
	p.n = 0;
	p_int(&p, now);
	if (run(st, STMT_JTI_PURGE, &p, &jti, "jti purge") != STORE_OK)
		return STORE_ERROR;
	*count = refresh + jti;
	return STORE_OK;
}

static int
pg_throttle_counts(struct store *store, const unsigned char *name,
    const char *addr, int64_t now, long long window, unsigned int cap,
    struct throttle_counts *c)
{
	struct binding	 p = { .n = 0 };
	PGresult	*res;
	int		 rc = STORE_ERROR;

	memset(c, 0, sizeof(*c));
	p_blob(&p, name, SESSION_HASH_LEN);
	p_text(&p, addr);
	p_int(&p, now - window);
	p_int(&p, now - THROTTLE_KEEP);
	p_int(&p, cap);
	if (query((struct pg *)store, STMT_THROTTLE_COUNTS, &p, &res,
	    "throttle counts") != STORE_OK)
		return STORE_ERROR;
	if (PQntuples(res) == 1) {
		c->name = (unsigned int)num(res, 0, 0);
		c->name_last = num(res, 0, 1);
		c->name_hour = (unsigned int)num(res, 0, 2);
		c->name_cap_at = num(res, 0, 3);
		c->addr = (unsigned int)num(res, 0, 4);
		c->addr_last = num(res, 0, 5);
		rc = STORE_OK;
	}
	PQclear(res);
	return rc;
}

/*
 * As store_throttle_attempt in store_sqlite.c. The advisory locks on
 * the name and the address stand for SQLite's one writer: two attempts
 * on the same name or from the same address count one after the other.
 */
static int
pg_throttle_attempt(struct store *store, const unsigned char *name,
    const char *addr, int64_t now, long long window, unsigned int cap,
    throttle_gate gate, void *arg, struct throttle_counts *c,
    int *recorded)
{
	struct pg	*st = (struct pg *)store;
	struct binding	 p = { .n = 0 };

	*recorded = 0;
	p_blob(&p, name, SESSION_HASH_LEN);
	p_text(&p, addr);
	if (begin(st) != STORE_OK)
		return STORE_ERROR;
	if (run(st, STMT_THROTTLE_LOCK, &p, NULL, "throttle lock") !=
	    STORE_OK ||
	    pg_throttle_counts(store, name, addr, now, window, cap, c) !=
	    STORE_OK)
		goto fail;
	if (gate(c, arg)) {
		p_int(&p, now);
		if (run(st, STMT_THROTTLE_FAIL, &p, NULL, "throttle fail") !=
		    STORE_OK)
			goto fail;
		p.n = 0;
		p_int(&p, now - THROTTLE_KEEP);
		if (run(st, STMT_THROTTLE_PRUNE, &p, NULL, "throttle prune")
		    != STORE_OK)
			goto fail;
		*recorded = 1;
	}
	if (commit(st) != STORE_OK)
		goto fail;
	return STORE_OK;
fail:
	*recorded = 0;
	rollback(st);
	return STORE_ERROR;
}

static int
pg_throttle_clear_name(struct store *store, const unsigned char *name,
    int *count)
{
	struct binding	 p = { .n = 0 };

	*count = 0;
	p_blob(&p, name, SESSION_HASH_LEN);
	return run((struct pg *)store, STMT_THROTTLE_CLEAR_NAME, &p, count,
	    "throttle clear");
}

static int
pg_throttle_clear_addr(struct store *store, const char *addr, int *count)
{
	struct binding	 p = { .n = 0 };

	*count = 0;
	p_text(&p, addr);
	return run((struct pg *)store, STMT_THROTTLE_CLEAR_ADDR, &p, count,
	    "throttle clear");
}

static int
pg_throttle_purge(struct store *store, int64_t now, int *count)
{
	struct binding	 p = { .n = 0 };

	*count = 0;
	p_int(&p, now - THROTTLE_KEEP);
	return run((struct pg *)store, STMT_THROTTLE_PURGE, &p, count,
	    "throttle purge");
}

static int
pg_event_add(struct store *store, const struct event_record *e)
{
	struct binding	 p = { .n = 0 };

	p_int(&p, e->at);
	p_text(&p, e->user);
	p_text(&p, e->event);
	p_text(&p, e->addr);
	p_text(&p, e->outcome);
	return run((struct pg *)store, STMT_EVENT_ADD, &p, NULL, "event add");
}

static int
pg_event_list(struct store *store, const char *user, int64_t since,
    event_visitor visit, void *arg)
{
	struct binding		 p = { .n = 0 };
	struct event_record	 e;
	PGresult		*res;
	int			 i;

	p_text(&p, user);
	p_int(&p, since);
	if (query((struct pg *)store, STMT_EVENT_LIST, &p, &res,
	    "event list") != STORE_OK)
		return STORE_ERROR;
	for (i = 0; i < PQntuples(res); i++) {
		e.at = num(res, i, 0);
		e.user = text_or_null(res, i, 1);
		e.event = PQgetvalue(res, i, 2);
		e.addr = text_or_null(res, i, 3);
		e.outcome = PQgetvalue(res, i, 4);
		if (visit(&e, arg) == -1)
			break;
	}
	PQclear(res);
	return STORE_OK;
}

static int
pg_event_purge(struct store *store, int64_t before, int *count)
{
	struct binding	 p = { .n = 0 };

	*count = 0;
	p_int(&p, before);
	return run((struct pg *)store, STMT_EVENT_PURGE, &p, count,
	    "event purge");
}

/*
 * For store_copy: open the transaction the copy goes in, on a database
 * with no users, keys or sessions (STORE_EXISTS otherwise): copying
 * into a database in use would mix two sites' users. The counters row
 * goes: it is copied with the rest.
 */
static int
pg_load_begin(struct store *store)
{
	struct pg	*st = (struct pg *)store;
	PGresult	*res;
	int64_t		 n = -1;

	if (begin(st) != STORE_OK)
		return STORE_ERROR;
	res = PQexec(st->conn, "SELECT (SELECT count(*) FROM users) + "
	    "(SELECT count(*) FROM signing_keys) + "
	    "(SELECT count(*) FROM sessions)");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		n = num(res, 0, 0);
	else
		log_warnx("store: %s: copy: %s", st->name,
		    pg_error(st->conn, res));
	PQclear(res);
	if (n != 0) {
		if (n > 0)
			log_warnx("store: %s already has users, keys or "
			    "sessions: copy only into a new database",
			    st->name);
		rollback(st);
		return n > 0 ? STORE_EXISTS : STORE_ERROR;
	}
	if (exec(st, "DELETE FROM key_generation") != STORE_OK) {
		rollback(st);
		return STORE_ERROR;
	}
	return STORE_OK;
}

/*
 * Insert one row as it was, ids included. Each statement is built from
 * store.c's table and column names and takes the values as parameters;
 * a one-off copy need not prepare them.
 */
static int
pg_load_row(struct store *store, const struct store_row *row)
{
	struct pg		*st = (struct pg *)store;
	const struct store_table *t = &store_tables[row->table];
	PGresult		*res;
	char			 sql[512];
	int			 lengths[STORE_ROW_MAX], formats[STORE_ROW_MAX];
	int			 i, n, rc = STORE_OK;

	n = snprintf(sql, sizeof(sql), "INSERT INTO %s (%s) OVERRIDING "
	    "SYSTEM VALUE VALUES (", t->name, t->columns);
	for (i = 0; i < row->ncols && n > 0 && (size_t)n < sizeof(sql); i++)
		n += snprintf(sql + n, sizeof(sql) - n, "%s$%d",
		    i > 0 ? ", " : "", i + 1);
	if (n <= 0 || (size_t)n + 2 > sizeof(sql)) {
		log_warnx("store: copy: the statement for %s is too long",
		    t->name);
		return STORE_ERROR;
	}
	memcpy(sql + n, ")", 2);
	for (i = 0; i < row->ncols; i++) {
		formats[i] = row->lengths[i] >= 0;
		lengths[i] = row->lengths[i] >= 0 ? row->lengths[i] : 0;
	}
	res = PQexecParams(st->conn, sql, row->ncols, NULL, row->values,
	    lengths, formats, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_warnx("store: %s: copy into %s: %s", st->name, t->name,
		    pg_error(st->conn, res));
		rc = STORE_ERROR;
	}
	PQclear(res);
	return rc;
}

/*
 * End the copy: with "commit", the numbering of identity columns goes
 * on after the highest id copied, and the transaction commits; else it
 * is rolled back.
 */
static int
pg_load_end(struct store *store, int commit_it)
{
	struct pg	*st = (struct pg *)store;
	char		 sql[256];
	int		 i;

	if (!commit_it) {
		rollback(st);
		return STORE_OK;
	}
	for (i = 0; i < store_tables_count; i++) {
		if (store_tables[i].identity == NULL)
			continue;
		snprintf(sql, sizeof(sql), "SELECT setval("
		    "pg_get_serial_sequence('%s', '%s'), coalesce(max(%s), 0) "
		    "+ 1, false) FROM %s", store_tables[i].name,
		    store_tables[i].identity, store_tables[i].identity,
		    store_tables[i].name);
		if (exec(st, sql) != STORE_OK) {
			rollback(st);
			return STORE_ERROR;
		}
	}
	if (commit(st) != STORE_OK) {
		rollback(st);
		return STORE_ERROR;
	}
	return STORE_OK;
}

static const struct store_ops pg_ops = {
	.usable = pg_usable,
	.close = pg_close,
	.migrate = pg_migrate,
	.ping = pg_ping,
	.check = pg_check,
	.user_get = pg_user_get,
	.user_add = pg_user_add,
	.user_rehash = pg_user_rehash,
	.user_set_password = pg_user_set_password,
	.user_set_disabled = pg_user_set_disabled,
	.user_delete = pg_user_delete,
	.user_list = pg_user_list,
	.session_get = pg_session_get,
	.session_add = pg_session_add,
	.session_touch = pg_session_touch,
	.session_delete = pg_session_delete,
	.session_delete_user = pg_session_delete_user,
	.session_delete_prefix = pg_session_delete_prefix,
	.session_list = pg_session_list,
	.session_purge = pg_session_purge,
	.session_delete_own = pg_session_delete_own,
	.session_end_others = pg_session_end_others,
	.user_change_password = pg_user_change_password,
	.user_set_admin = pg_user_set_admin,
	.user_end_logins = pg_user_end_logins,
	.key_generation = pg_key_generation,
	.key_list = pg_key_list,
	.key_add = pg_key_add,
	.key_activate = pg_key_activate,
	.key_retire = pg_key_retire,
	.refresh_add = pg_refresh_add,
	.refresh_get = pg_refresh_get,
	.refresh_rotate = pg_refresh_rotate,
	.refresh_revoke_family = pg_refresh_revoke_family,
	.jti_revoke = pg_jti_revoke,
	.jti_revoked = pg_jti_revoked,
	.token_purge = pg_token_purge,
	.throttle_counts = pg_throttle_counts,
	.throttle_attempt = pg_throttle_attempt,
	.throttle_clear_name = pg_throttle_clear_name,
	.throttle_clear_addr = pg_throttle_clear_addr,
	.throttle_purge = pg_throttle_purge,
	.event_add = pg_event_add,
	.event_list = pg_event_list,
	.event_purge = pg_event_purge,
	.load_begin = pg_load_begin,
	.load_row = pg_load_row,
	.load_end = pg_load_end,
};
