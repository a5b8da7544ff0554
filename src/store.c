/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * The store's front: store_open picks the backend from the [database]
 * path setting (a file for SQLite, a connection string for PostgreSQL),
 * and every other call of store.h goes to the backend the handle was
 * opened with. What each call does is said at its SQLite implementation
 * in store_sqlite.c; store_pg.c answers the same.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "store_backend.h"

/*
 * Does "database" name a PostgreSQL database rather than a file? A URI
 * ("postgresql://..." or "postgres://...") or a libpq keyword string
 * ("host=/run/postgresql dbname=gatehouse"): a word of letters and
 * underscores, then "=". A file path never is one once config.c made it
 * absolute.
 */
int
store_is_postgresql(const char *database)
{
	const char	*p = database;

	if (strncmp(database, "postgresql://", 13) == 0 ||
	    strncmp(database, "postgres://", 11) == 0)
		return 1;
	while (islower((unsigned char)*p) || *p == '_')
		p++;
	while (*p == ' ' || *p == '\t')
		p++;
	return p != database && *p == '=';
}

/*
 * Open the database named by "database" (see store_is_postgresql) and
 * bring its schema up to date; only with "create" is a missing SQLite
 * file, or an empty PostgreSQL database, given the schema. Returns
 * STORE_OK with "*out" set (closed with store_close), or STORE_ERROR
 * (logged).
 */
int
store_open(const char *database, int busy_ms, int create,
    struct store **out)
{
	*out = NULL;
	if (!store_is_postgresql(database))
		return store_sqlite_open(database, busy_ms, create, out);
#ifdef HAVE_LIBPQ
	return store_pg_open(database, busy_ms, create, out);
#else
	log_warnx("store: [database] path names a PostgreSQL database, but "
	    "this gatehouse was built without libpq (install libpq-dev and "
	    "build it again)");
	return STORE_ERROR;
#endif
}

void
user_clear(struct user *u)
{
	free(u->name);
	if (u->password_hash != NULL)
		wipe(u->password_hash, strlen(u->password_hash));
	free(u->password_hash);
	memset(u, 0, sizeof(*u));
}

void
refresh_clear(struct refresh_record *r)
{
	free(r->user);
	free(r->access_jti);
	memset(r, 0, sizeof(*r));
}

int
store_usable(struct store *st, int look)
{
	return st->ops->usable(st, look);
}

void
store_close(struct store *st)
{
	if (st != NULL)
		st->ops->close(st);
}

int
store_migrate(struct store *st, int *from, int *to)
{
	return st->ops->migrate(st, from, to);
}

int
store_ping(struct store *st)
{
	return st->ops->ping(st);
}

int
store_check(struct store *st)
{
	return st->ops->check(st);
}

int
store_user_get(struct store *st, const char *name, struct user *u)
{
	return st->ops->user_get(st, name, u);
}

int
store_user_add(struct store *st, const char *name, const char *hash,
    int64_t now)
{
	return st->ops->user_add(st, name, hash, now);
}

int
store_user_rehash(struct store *st, int64_t id, const char *old,
    const char *hash)
{
	return st->ops->user_rehash(st, id, old, hash);
}

int
store_user_set_password(struct store *st, const char *name, const char *hash,
    int end_sessions)
{
	return st->ops->user_set_password(st, name, hash, end_sessions);
}

int
store_user_set_disabled(struct store *st, const char *name, int disabled)
{
	return st->ops->user_set_disabled(st, name, disabled);
}

int
store_user_delete(struct store *st, const char *name)
{
	return st->ops->user_delete(st, name);
}

int
store_user_list(struct store *st, user_visitor visit, void *arg)
{
	return st->ops->user_list(st, visit, arg);
}

int
store_session_get(struct store *st, const unsigned char *hash,
    struct session *out)
{
	return st->ops->session_get(st, hash, out);
}

int
store_session_add(struct store *st, const struct session *ses,
    const char *proof)
{
	return st->ops->session_add(st, ses, proof);
}

int
store_session_touch(struct store *st, const unsigned char *hash, int64_t now)
{
	return st->ops->session_touch(st, hash, now);
}

int
store_session_delete(struct store *st, const unsigned char *hash)
{
	return st->ops->session_delete(st, hash);
}

int
store_session_delete_user(struct store *st, const char *name, int *count)
{
	return st->ops->session_delete_user(st, name, count);
}

int
store_session_delete_prefix(struct store *st, const char *prefix)
{
	return st->ops->session_delete_prefix(st, prefix);
}

int
store_session_list(struct store *st, const char *user, session_visitor visit,
    void *arg)
{
	return st->ops->session_list(st, user, visit, arg);
}

int
store_session_purge(struct store *st, int64_t now, const struct config *cfg,
    int *count)
{
	return st->ops->session_purge(st, now, cfg, count);
}

int
store_session_delete_own(struct store *st, const unsigned char *hash,
    int64_t user_id, const unsigned char *asking)
{
	return st->ops->session_delete_own(st, hash, user_id, asking);
}

int
store_session_end_others(struct store *st, const char *name,
    const unsigned char *keep, int *count)
{
	return st->ops->session_end_others(st, name, keep, count);
}

int
store_user_change_password(struct store *st, const struct user *u,
    const char *hash, const unsigned char *keep, const struct session *fresh,
    int *count)
{
	return st->ops->user_change_password(st, u, hash, keep, fresh, count);
}

int
store_user_set_admin(struct store *st, const char *name, int admin)
{
	return st->ops->user_set_admin(st, name, admin);
}

int
store_user_end_logins(struct store *st, const char *name, int *count)
{
	return st->ops->user_end_logins(st, name, count);
}

int
store_key_generation(struct store *st, int64_t *gen, int64_t *rev)
{
	return st->ops->key_generation(st, gen, rev);
}

int
store_key_list(struct store *st, int all, key_visitor visit, void *arg)
{
	return st->ops->key_list(st, all, visit, arg);
}

int
store_key_add(struct store *st, const char *kid, const char *alg, int64_t now,
    int *active)
{
	return st->ops->key_add(st, kid, alg, now, active);
}

int
store_key_activate(struct store *st, const char *kid)
{
	return st->ops->key_activate(st, kid);
}

int
store_key_retire(struct store *st, const char *kid, int64_t now)
{
	return st->ops->key_retire(st, kid, now);
}

int
store_refresh_add(struct store *st, const struct refresh_record *r,
    const char *proof)
{
	return st->ops->refresh_add(st, r, proof);
}

int
store_refresh_get(struct store *st, const unsigned char *hash,
    struct refresh_record *r)
{
	return st->ops->refresh_get(st, hash, r);
}

int
store_refresh_rotate(struct store *st, const unsigned char *old, int64_t now,
    const struct refresh_record *next)
{
	return st->ops->refresh_rotate(st, old, now, next);
}

int
store_refresh_revoke_family(struct store *st, const unsigned char *family,
    int *count)
{
	return st->ops->refresh_revoke_family(st, family, count);
}

int
store_jti_revoke(struct store *st, const char *jti, int64_t expires)
{
	return st->ops->jti_revoke(st, jti, expires);
}

int
store_jti_revoked(struct store *st, const char *jti)
{
	return st->ops->jti_revoked(st, jti);
}

int
store_token_purge(struct store *st, int64_t now, long long grace, int *count)
{
	return st->ops->token_purge(st, now, grace, count);
}

int
store_throttle_counts(struct store *st, const unsigned char *name,
    const char *addr, int64_t now, long long window, unsigned int cap,
    struct throttle_counts *c)
{
	return st->ops->throttle_counts(st, name, addr, now, window, cap, c);
}

int
store_throttle_attempt(struct store *st, const unsigned char *name,
    const char *addr, int64_t now, long long window, unsigned int cap,
    throttle_gate gate, void *arg, struct throttle_counts *c, int *recorded)
{
	return st->ops->throttle_attempt(st, name, addr, now, window, cap,
	    gate, arg, c, recorded);
}

int
store_throttle_clear_name(struct store *st, const unsigned char *name,
    int *count)
{
	return st->ops->throttle_clear_name(st, name, count);
}

int
store_throttle_clear_addr(struct store *st, const char *addr, int *count)
{
	return st->ops->throttle_clear_addr(st, addr, count);
}

int
store_throttle_purge(struct store *st, int64_t now, int *count)
{
	return st->ops->throttle_purge(st, now, count);
}

int
store_event_add(struct store *st, const struct event_record *e)
{
	return st->ops->event_add(st, e);
}

int
store_event_list(struct store *st, const char *user, int64_t since,
    event_visitor visit, void *arg)
{
	return st->ops->event_list(st, user, since, visit, arg);
}

int
store_event_purge(struct store *st, int64_t before, int *count)
{
	return st->ops->event_purge(st, before, count);
}

/*
 * The tables store_copy copies, parents first, each with the columns
 * both schemas have. key_generation comes last, so that its counters
 * are the source's, whatever copying the keys did to them.
 */
const struct store_table store_tables[] = {
	{ "users", "id, name, password_hash, created, disabled, admin", 6,
	    "id" },
	{ "sessions", "id_hash, user_id, created, last_seen, expires, data, "
	    "address, agent, remember", 9, NULL },
	{ "signing_keys", "kid, alg, state, created, retired", 5, NULL },
	{ "refresh_tokens", "id_hash, family, user_id, created, expires, used, "
	    "access_jti, access_expires", 8, NULL },
	{ "revoked_tokens", "jti, expires", 2, NULL },
	{ "login_failures", "id, name_hash, addr, at", 4, "id" },
	{ "auth_events", "id, at, \"user\", event, addr, outcome", 6, "id" },
	{ "key_generation", "id, generation, revocations", 3, NULL },
};

const int store_tables_count = sizeof(store_tables) / sizeof(store_tables[0]);

struct copy {
	struct store	*to;
	int		 rows;
};

static int
copy_row(const struct store_row *row, void *arg)
{
	struct copy	*c = arg;

	if (c->to->ops->load_row(c->to, row) != STORE_OK)
		return -1;
	c->rows++;
	return 0;
}

/*
 * Copy every row of "from" (a SQLite store) into "to" (a PostgreSQL
 * store with the schema and no users, keys or sessions yet), in one
 * transaction of "to": all of it or nothing. "*rows" says how many.
 * Returns STORE_OK, STORE_EXISTS when "to" is not empty, or STORE_ERROR
 * (logged).
 */
int
store_copy(struct store *from, struct store *to, int *rows)
{
	struct copy	 c = { to, 0 };
	int		 rc;

	*rows = 0;
	if (from->ops->dump == NULL || to->ops->load_begin == NULL) {
		log_warnx("store: only a SQLite database can be copied, and "
		    "only into a PostgreSQL one");
		return STORE_ERROR;
	}
	if ((rc = to->ops->load_begin(to)) != STORE_OK)
		return rc;
	if (from->ops->dump(from, copy_row, &c) != STORE_OK) {
		to->ops->load_end(to, 0);
		return STORE_ERROR;
	}
	if (to->ops->load_end(to, 1) != STORE_OK)
		return STORE_ERROR;
	*rows = c.rows;
	return STORE_OK;
}
