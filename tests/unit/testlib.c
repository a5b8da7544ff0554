/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Test helpers (see testlib.h). Vectors are read from the shared vector
 * collection next to the project (../shared/vectors) when it is there,
 * so a newer copy is always tested, and from the copy kept under
 * tests/vectors otherwise, so the suite runs from a release tarball.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"

static int	 saved_stderr = -1;
static char	 capture_path[64];

/* The path of vector file "rel" (e.g. "parsing/x.json"); caller frees. */
char *
test_vector_path(const char *rel)
{
	const char	*top = getenv("top_srcdir");
	char		*p;

	if (top == NULL)
		top = ".";
	if (asprintf(&p, "%s/../shared/vectors/%s", top, rel) == -1)
		return NULL;
	if (access(p, R_OK) == 0)
		return p;
	free(p);
	if (asprintf(&p, "%s/tests/vectors/%s", top, rel) == -1)
		return NULL;
	return p;
}

/* Load a JSON vector file; fails the test if it cannot. */
json_t *
test_vector_json(const char *rel)
{
	json_error_t	 err;
	json_t		*j;
	char		*path = test_vector_path(rel);

	assert_non_null(path);
	j = json_load_file(path, 0, &err);
	if (j == NULL)
		fail_msg("%s: %s", path, err.text);
	free(path);
	return j;
}

/* A whole vector file as text (NUL-terminated); caller frees. */
char *
test_vector_text(const char *rel, size_t *len)
{
	char	*path = test_vector_path(rel), *text;
	FILE	*f;
	long	 n;

	assert_non_null(path);
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = malloc((size_t)n + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	text[n] = '\0';
	fclose(f);
	free(path);
	if (len != NULL)
		*len = (size_t)n;
	return text;
}

/* A new empty directory; remove with test_rmtree, free the name. */
char *
test_tempdir(void)
{
	char	*dir = strdup("/tmp/gatehouse-test.XXXXXX");

	assert_non_null(dir);
	assert_non_null(mkdtemp(dir));
	return dir;
}

void
test_rmtree(const char *dir)
{
	char	*cmd;

	if (asprintf(&cmd, "rm -rf '%s'", dir) != -1) {
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", dir);
		free(cmd);
	}
}

/* Write "text" to "dir"/"name"; returns the path (caller frees). */
char *
test_write_file(const char *dir, const char *name, const char *text)
{
	char	*path;
	FILE	*f;

	assert_int_not_equal(asprintf(&path, "%s/%s", dir, name), -1);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
	return path;
}

/* Send stderr to a file until test_stderr_end. */
void
test_stderr_begin(void)
{
	int	 fd;

	snprintf(capture_path, sizeof(capture_path),
	    "/tmp/gatehouse-stderr.XXXXXX");
	assert_int_not_equal(fd = mkstemp(capture_path), -1);
	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
}

/* Restore stderr; returns what was written meanwhile (caller frees). */
char *
test_stderr_end(void)
{
	char	*text;
	FILE	*f;
	long	 n;

	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	assert_non_null(f = fopen(capture_path, "rb"));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	assert_non_null(text);
	if (n > 0)
		assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	unlink(capture_path);
	return text;
}
