/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * The storage interface: everything Gatehouse keeps, behind one narrow
 * set of calls. store_sqlite.c implements it on one SQLite file. All
 * calls log their own failures; callers only map the result to an
 * answer (a failed store is a 503 on the request path).
 */
#ifndef STORE_H
#define STORE_H

#include <stdint.h>

struct session;
struct store;

enum store_result {
	STORE_ERROR = -1,	/* the database failed (logged) */
	STORE_OK = 0,
	STORE_NOTFOUND = 1,	/* no such user or session */
	STORE_EXISTS = 2,	/* the user name is taken */
	STORE_AMBIGUOUS = 3	/* an id prefix matches several sessions */
};

/* One account. */
struct user {
	int64_t	 id;
	char	*name;
	char	*password_hash;
	int64_t	 created;
	int	 disabled;
	int64_t	 sessions;	/* filled by store_user_list only */
};

/* One schema migration, from sql/ (see build-aux/sql2c.sh). */
struct migration {
	int		 version;
	const char	*name;
	const char	*sql;
};

extern const struct migration	 migrations[];
extern const int		 migrations_count;

typedef int	(*user_visitor)(const struct user *, void *);
typedef int	(*session_visitor)(const struct session *, void *);

int	 store_open(const char *, int, int, struct store **);
int	 store_usable(struct store *);
void	 store_close(struct store *);
int	 store_migrate(struct store *, int *, int *);
int	 store_ping(struct store *);

void	 user_clear(struct user *);
int	 store_user_get(struct store *, const char *, struct user *);
int	 store_user_add(struct store *, const char *, const char *, int64_t);
int	 store_user_set_password(struct store *, const char *, const char *,
	    int);
int	 store_user_set_disabled(struct store *, const char *, int);
int	 store_user_delete(struct store *, const char *);
int	 store_user_list(struct store *, user_visitor, void *);

int	 store_session_get(struct store *, const unsigned char *,
	    struct session *);
int	 store_session_add(struct store *, const struct session *);
int	 store_session_touch(struct store *, const unsigned char *, int64_t);
int	 store_session_delete(struct store *, const unsigned char *);
int	 store_session_delete_user(struct store *, const char *, int *);
int	 store_session_delete_prefix(struct store *, const char *);
int	 store_session_list(struct store *, const char *, session_visitor,
	    void *);
int	 store_session_purge(struct store *, int64_t, long long, int *);

#endif /* STORE_H */
