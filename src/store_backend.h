/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * What a storage backend provides to store.c, which callers never see:
 * each backend's handle starts with a struct store naming its table of
 * calls, one for each call of store.h. store_sqlite.c and store_pg.c
 * are the backends; the calls are documented at the SQLite ones, and
 * the PostgreSQL ones answer the same.
 */
#ifndef STORE_BACKEND_H
#define STORE_BACKEND_H

#include "store.h"

struct store_ops;

#define STORE_ROW_MAX	9

/* A table store_copy copies (store.c), and its columns in order. */
struct store_table {
	const char	*name;
	const char	*columns;
	int		 ncols;
	const char	*identity;	/* a column the database numbers */
};

extern const struct store_table	 store_tables[];
extern const int		 store_tables_count;

/*
 * One row being copied: each column as text, or as bytes where
 * "lengths" is not -1; NULL for SQL NULL. The values live during the
 * visitor's call only.
 */
struct store_row {
	int		 table;		/* index in store_tables */
	int		 ncols;
	const char	*values[STORE_ROW_MAX];
	int		 lengths[STORE_ROW_MAX];
};

typedef int	(*row_visitor)(const struct store_row *, void *);

struct store {
	const struct store_ops	*ops;
};

struct store_ops {
	int	(*usable)(struct store *, int);
	void	(*close)(struct store *);
	int	(*migrate)(struct store *, int *, int *);
	int	(*ping)(struct store *);
	int	(*check)(struct store *);
	int	(*user_get)(struct store *, const char *, struct user *);
	int	(*user_add)(struct store *, const char *, const char *,
		    int64_t);
	int	(*user_rehash)(struct store *, int64_t, const char *,
		    const char *);
	int	(*user_set_password)(struct store *, const char *,
		    const char *, int);
	int	(*user_set_disabled)(struct store *, const char *, int);
	int	(*user_delete)(struct store *, const char *);
	int	(*user_list)(struct store *, user_visitor, void *);
	int	(*session_get)(struct store *, const unsigned char *,
		    struct session *);
	int	(*session_add)(struct store *, const struct session *,
		    const char *);
	int	(*session_touch)(struct store *, const unsigned char *,
		    int64_t);
	int	(*session_delete)(struct store *, const unsigned char *);
	int	(*session_delete_user)(struct store *, const char *, int *);
	int	(*session_delete_prefix)(struct store *, const char *);
	int	(*session_list)(struct store *, const char *, session_visitor,
		    void *);
	int	(*session_purge)(struct store *, int64_t,
		    const struct config *, int *);
	int	(*session_delete_own)(struct store *, const unsigned char *,
		    int64_t, const unsigned char *);
	int	(*session_end_others)(struct store *, const char *,
		    const unsigned char *, int *);
	int	(*user_change_password)(struct store *, const struct user *,
		    const char *, const unsigned char *,
		    const struct session *, int *);
	int	(*user_set_admin)(struct store *, const char *, int);
	int	(*user_end_logins)(struct store *, const char *, int *);
	int	(*key_generation)(struct store *, int64_t *, int64_t *);
	int	(*key_list)(struct store *, int, key_visitor, void *);
	int	(*key_add)(struct store *, const char *, const char *,
		    int64_t, int *);
	int	(*key_activate)(struct store *, const char *);
	int	(*key_retire)(struct store *, const char *, int64_t);
	int	(*refresh_add)(struct store *, const struct refresh_record *,
		    const char *);
	int	(*refresh_get)(struct store *, const unsigned char *,
		    struct refresh_record *);
	int	(*refresh_rotate)(struct store *, const unsigned char *,
		    int64_t, const struct refresh_record *);
	int	(*refresh_revoke_family)(struct store *,
		    const unsigned char *, int *);
	int	(*jti_revoke)(struct store *, const char *, int64_t);
	int	(*jti_revoked)(struct store *, const char *);
	int	(*token_purge)(struct store *, int64_t, long long, int *);
	int	(*throttle_counts)(struct store *, const unsigned char *,
		    const char *, int64_t, long long, unsigned int,
		    struct throttle_counts *);
	int	(*throttle_attempt)(struct store *, const unsigned char *,
		    const char *, int64_t, long long, unsigned int,
		    throttle_gate, void *, struct throttle_counts *, int *);
	int	(*throttle_clear_name)(struct store *, const unsigned char *,
		    int *);
	int	(*throttle_clear_addr)(struct store *, const char *, int *);
	int	(*throttle_purge)(struct store *, int64_t, int *);
	int	(*event_add)(struct store *, const struct event_record *);
	int	(*event_list)(struct store *, const char *, int64_t,
		    event_visitor, void *);
	int	(*event_purge)(struct store *, int64_t, int *);

	/* For store_copy: the source reads, the target writes (or NULL). */
	int	(*dump)(struct store *, row_visitor, void *);
	int	(*load_begin)(struct store *);
	int	(*load_row)(struct store *, const struct store_row *);
	int	(*load_end)(struct store *, int);
};

int	 store_sqlite_open(const char *, int, int, struct store **);
long long store_sqlite_full_scans(struct store *);
int	 store_pg_open(const char *, int, int, struct store **);

#endif /* STORE_BACKEND_H */
