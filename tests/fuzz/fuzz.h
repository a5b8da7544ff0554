/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Helpers shared by the libFuzzer targets (tests/fuzz/fuzz_*.c): turning
 * the fuzzer's bytes into the strings and parameter lists the parsers
 * take, and a check that stops the run with a message. Each target is
 * one LLVMFuzzerTestOneInput; see tests/fuzz/README.md.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "gatehouse.h"

/* The CGI/FastCGI parameters and body one input describes. */
struct fuzz_request {
	char		**envp;		/* NAME=value, then NULL */
	size_t		  n;
	const char	 *body;		/* points into the input */
	size_t		  bodylen;
};

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	 LLVMFuzzerInitialize(int *, char ***);

char	*fuzz_string(const uint8_t *, size_t);
void	 fuzz_request_split(const uint8_t *, size_t, struct fuzz_request *);
void	 fuzz_request_add(struct fuzz_request *, const char *);
void	 fuzz_request_free(struct fuzz_request *);
char	*fuzz_tempdir(void);
char	*fuzz_write(const char *, const char *, const void *, size_t);

/*
 * A site to send requests to (fuzz_site_open): a configuration in a
 * temporary directory, a store with the user alice, an ES256 signing
 * key, and a session and an access token that inputs may use. The test
 * clock stands still, so neither ever expires.
 */
#define FUZZ_T0		1800000000LL
#define FUZZ_SESSION	"fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzAAA"

struct fuzz_site {
	char		*dir;
	struct config	 cfg;
	struct ctx	 ctx;
	char		*access;	/* an access token for alice */
};

void	 fuzz_site_open(struct fuzz_site *);
void	 fuzz_site_session(struct fuzz_site *);
char	*fuzz_replace(const char *, size_t, const char *, const char *,
	    size_t *);

/*
 * Like assert(), but never compiled out and saying which property broke:
 * the fuzzer keeps the input that made it fail.
 */
#define FUZZ_CHECK(cond) do {						\
	if (!(cond))							\
		fuzz_fail(__FILE__, __LINE__, #cond);			\
} while (0)

void	 fuzz_fail(const char *, int, const char *)
	    __attribute__((noreturn));

#endif /* FUZZ_H */
