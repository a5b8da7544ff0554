/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * The storage interface: everything Gatehouse keeps, behind one narrow
 * set of calls, with two backends behind it (store.c picks one):
 * store_sqlite.c on one SQLite file, the default, and store_pg.c on a
 * PostgreSQL database that several servers can share. All calls log
 * their own failures; callers only map the result to an answer (a
 * failed store is a 503 on the request path).
 */
#ifndef STORE_H
#define STORE_H

#include <stdint.h>

struct config;
struct session;
struct store;
struct throttle_counts;

enum store_result {
	STORE_ERROR = -1,	/* the database failed (logged) */
	STORE_OK = 0,
	STORE_NOTFOUND = 1,	/* no such user or session */
	STORE_EXISTS = 2,	/* the user name is taken */
	STORE_AMBIGUOUS = 3,	/* an id prefix matches several sessions */
	STORE_USED = 4,		/* the refresh token was used already */
	STORE_ACTIVE = 5	/* the key is the active one */
};

/* One account. */
struct user {
	int64_t	 id;
	char	*name;
	char	*password_hash;
	int64_t	 created;
	int	 disabled;
	int	 admin;
	int64_t	 sessions;	/* filled by store_user_list only */
};

/* A signing key's record; the key itself is in keys_dir/KID.key. */
struct key_record {
	char	*kid;
	char	*alg;
	char	*state;		/* "active", "verify" or "retired" */
	int64_t	 created;
	int64_t	 retired;	/* 0 while not retired */
};

#define REFRESH_FAMILY_LEN	16

/* A refresh token's record (the token itself is never stored). */
struct refresh_record {
	unsigned char	 hash[32];
	unsigned char	 family[REFRESH_FAMILY_LEN];
	int64_t		 user_id;
	char		*user;		/* filled by store_refresh_get */
	int		 user_disabled;
	int64_t		 created;
	int64_t		 expires;	/* the family's end */
	int64_t		 used;		/* 0 while unused */
	char		*access_jti;
	int64_t		 access_expires;
};

/* One row of the audit trail (auth_events). */
struct event_record {
	int64_t		 at;
	const char	*user;		/* NULL: no account named */
	const char	*event;		/* audit_event_name() */
	const char	*addr;		/* NULL: no client (gatehouse-admin) */
	const char	*outcome;
};

#define THROTTLE_KEEP	3600	/* seconds a failed login is kept */

/*
 * One schema migration, from sql/sqlite/ or sql/postgresql/ (see
 * build-aux/sql2c.sh). Each backend counts its versions on its own.
 */
struct migration {
	int		 version;
	const char	*name;
	const char	*sql;
};

extern const struct migration	 migrations[];
extern const int		 migrations_count;
extern const struct migration	 pg_migrations[];
extern const int		 pg_migrations_count;

typedef int	(*user_visitor)(const struct user *, void *);
typedef int	(*key_visitor)(const struct key_record *, void *);
typedef int	(*session_visitor)(const struct session *, void *);
typedef int	(*event_visitor)(const struct event_record *, void *);
typedef int	(*throttle_gate)(const struct throttle_counts *, void *);

int	 store_is_postgresql(const char *);
int	 store_open(const char *, int, int, struct store **);
int	 store_usable(struct store *, int);
void	 store_close(struct store *);
int	 store_migrate(struct store *, int *, int *);
int	 store_ping(struct store *);
int	 store_check(struct store *);

void	 user_clear(struct user *);
int	 store_user_get(struct store *, const char *, struct user *);
int	 store_user_add(struct store *, const char *, const char *, int64_t);
int	 store_user_rehash(struct store *, int64_t, const char *,
	    const char *);
int	 store_user_set_password(struct store *, const char *, const char *,
	    int);
int	 store_user_set_disabled(struct store *, const char *, int);
int	 store_user_delete(struct store *, const char *);
int	 store_user_list(struct store *, user_visitor, void *);

int	 store_session_get(struct store *, const unsigned char *,
	    struct session *);
int	 store_session_add(struct store *, const struct session *,
	    const char *);
int	 store_session_touch(struct store *, const unsigned char *, int64_t);
int	 store_session_delete(struct store *, const unsigned char *);
int	 store_session_delete_user(struct store *, const char *, int *);
int	 store_session_delete_prefix(struct store *, const char *);
int	 store_session_list(struct store *, const char *, session_visitor,
	    void *);
int	 store_session_purge(struct store *, int64_t, const struct config *,
	    int *);
int	 store_session_delete_own(struct store *, const unsigned char *,
	    int64_t, const unsigned char *);
int	 store_session_end_others(struct store *, const char *,
	    const unsigned char *, int *);
int	 store_user_change_password(struct store *, const struct user *,
	    const char *, const unsigned char *, const struct session *,
	    int *);

int	 store_user_set_admin(struct store *, const char *, int);
int	 store_user_end_logins(struct store *, const char *, int *);

int	 store_key_generation(struct store *, int64_t *, int64_t *);
int	 store_key_list(struct store *, int, key_visitor, void *);
int	 store_key_add(struct store *, const char *, const char *, int64_t,
	    int *);
int	 store_key_activate(struct store *, const char *);
int	 store_key_retire(struct store *, const char *, int64_t);

void	 refresh_clear(struct refresh_record *);
int	 store_refresh_add(struct store *, const struct refresh_record *,
	    const char *);
int	 store_refresh_get(struct store *, const unsigned char *,
	    struct refresh_record *);
int	 store_refresh_rotate(struct store *, const unsigned char *, int64_t,
	    const struct refresh_record *);
int	 store_refresh_revoke_family(struct store *, const unsigned char *,
	    int *);
int	 store_jti_revoke(struct store *, const char *, int64_t);
int	 store_jti_revoked(struct store *, const char *);
int	 store_token_purge(struct store *, int64_t, long long, int *);

int	 store_throttle_counts(struct store *, const unsigned char *,
	    const char *, int64_t, long long, unsigned int,
	    struct throttle_counts *);
int	 store_throttle_attempt(struct store *, const unsigned char *,
	    const char *, int64_t, long long, unsigned int, throttle_gate,
	    void *, struct throttle_counts *, int *);
int	 store_throttle_clear_name(struct store *, const unsigned char *,
	    int *);
int	 store_throttle_clear_addr(struct store *, const char *, int *);
int	 store_throttle_purge(struct store *, int64_t, int *);

int	 store_event_add(struct store *, const struct event_record *);
int	 store_event_list(struct store *, const char *, int64_t,
	    event_visitor, void *);
int	 store_event_purge(struct store *, int64_t, int *);

int	 store_copy(struct store *, struct store *, int *);

#endif /* STORE_H */
