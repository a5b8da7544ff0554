/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Helpers shared by the unit tests: finding test vectors, temporary
 * directories, and capturing what the code under test writes to stderr.
 * Every test file includes cmocka through this header.
 */
#ifndef TESTLIB_H
#define TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>

char	*test_vector_path(const char *);
json_t	*test_vector_json(const char *);
char	*test_vector_text(const char *, size_t *);
char	*test_tempdir(void);
void	 test_rmtree(const char *);
void	 test_stderr_begin(void);
char	*test_stderr_end(void);
char	*test_write_file(const char *, const char *, const char *);

#endif /* TESTLIB_H */
