/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Helpers for tests that drive app_handle (see testapp.c).
 */
#ifndef TESTAPP_H
#define TESTAPP_H

#include "testlib.h"

/* One answer, split into its parts. */
struct answer {
	int	 status;
	char	*head;		/* the header lines, each ending in "\n" */
	char	*body;
	size_t	 bodylen;
};

struct ctx;

extern int	 testapp_raw_forms;

const char *
	 app_nonce_cookie(struct ctx *);
void	 app_csrf(struct ctx *, const char *, const char *, char **,
	    char **);
void	 app_send(struct ctx *, struct answer *, const char *, const char *,
	    const char *, const char *, const char *const *);
void	 answer_free(struct answer *);
char	*answer_header(const struct answer *, const char *);
int	 answer_header_count(const struct answer *, const char *);
void	 assert_header(const struct answer *, const char *, const char *);
void	 assert_security_headers(const struct answer *, int);

#endif /* TESTAPP_H */
