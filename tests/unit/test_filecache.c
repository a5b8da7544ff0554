/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Unit tests for src/filecache.c: a kept file is given back as long as
 * it is unchanged, and every change (content, same-size content, a file
 * renamed over it, a chmod) is seen at the next read; what file_read
 * refuses (a symbolic link, a folder, a FIFO, a missing or too large
 * file) is refused the same way, kept or not.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gatehouse.h"
#include "testlib.h"

/* Long after any file written by a test: every file counts as settled. */
#define LATER	((int64_t)time(NULL) + 60)

static char	 dir[64];
static char	 path[256];

static void	 put(const char *, const char *);
static void	 expect(const char *, int64_t, const char *);
static void	 expect_errno(const char *, size_t, int);

/*
 * Write "text" to "file". A file written anew gets times of its own: as
 * a person editing a page would, wait until the file system's coarse
 * clock has moved past the old file's ctime (a millisecond or so).
 */
static void
put(const char *file, const char *text)
{
	struct stat	 sb;
	struct timespec	 now;
	FILE		*f;

	if (stat(file, &sb) == 0)
		do {
			usleep(500);
			assert_int_equal(clock_gettime(CLOCK_REALTIME_COARSE,
			    &now), 0);
		} while (now.tv_sec < sb.st_ctim.tv_sec ||
		    (now.tv_sec == sb.st_ctim.tv_sec &&
		    now.tv_nsec <= sb.st_ctim.tv_nsec));
	assert_non_null(f = fopen(file, "w"));
	assert_int_equal(fputs(text, f) < 0, 0);
	assert_int_equal(fclose(f), 0);
}

/* Read "file" at time "now" and expect "want". */
static void
expect(const char *file, int64_t now, const char *want)
{
	struct buf	 b;

	buf_init(&b);
	buf_adds(&b, "x");
	assert_int_equal(file_read_cached(file, 1024, now, &b), 0);
	/* Appended, as file_read appends. */
	assert_int_equal(b.data[0], 'x');
	assert_string_equal(b.data + 1, want);
	buf_free(&b);
}

static void
expect_errno(const char *file, size_t max, int want)
{
	struct buf	 b;
	int		 i;

	/* Twice, settled: a refusal is never kept as something else. */
	for (i = 0; i < 2; i++) {
		buf_init(&b);
		errno = 0;
		assert_int_equal(file_read_cached(file, max, LATER, &b), -1);
		assert_int_equal(errno, want);
		assert_int_equal(b.len, 0);
		buf_free(&b);
	}
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/gh-filecache.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/page.html", dir);
	file_cache_clear();
	return 0;
}

static int
teardown(void **state)
{
	char	 cmd[300];

	(void)state;
	file_cache_clear();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* Kept, then every kind of change is seen at once. */
static void
test_changes_seen(void **state)
{
	char	 other[300];

	(void)state;
	put(path, "one");
	expect(path, LATER, "one");
	expect(path, LATER, "one");
	/* Same size, other bytes. */
	put(path, "two");
	expect(path, LATER, "two");
	put(path, "three");
	expect(path, LATER, "three");
	/* Renamed over: another inode. */
	snprintf(other, sizeof(other), "%s/new.html", dir);
	put(other, "four!");
	assert_int_equal(rename(other, path), 0);
	expect(path, LATER, "four!");
	/* Made unreadable: refused, not served from memory (not as root). */
	if (geteuid() != 0) {
		assert_int_equal(chmod(path, 0), 0);
		expect_errno(path, 1024, EACCES);
		assert_int_equal(chmod(path, 0644), 0);
	}
	expect(path, LATER, "four!");
}

static void
test_refusals(void **state)
{
	char	 p[300];

	(void)state;
	snprintf(p, sizeof(p), "%s/missing.html", dir);
	expect_errno(p, 1024, ENOENT);
	snprintf(p, sizeof(p), "%s/page.html/x", dir);
	put(path, "a page");
	expect_errno(p, 1024, ENOTDIR);
	snprintf(p, sizeof(p), "%s/folder", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	expect_errno(p, 1024, EISDIR);
	snprintf(p, sizeof(p), "%s/link.html", dir);
	assert_int_equal(symlink(path, p), 0);
	expect_errno(p, 1024, ELOOP);
	snprintf(p, sizeof(p), "%s/fifo.html", dir);
	assert_int_equal(mkfifo(p, 0644), 0);
	expect_errno(p, 1024, ENOENT);
	/* Kept while small enough, then asked for with a lower limit. */
	expect(path, LATER, "a page");
	expect_errno(path, 3, EFBIG);
}

/* More files than slots: each still comes back right. */
static void
test_many_files(void **state)
{
	char	 p[300], text[32];
	int	 i, round;

	(void)state;
	for (round = 0; round < 2; round++)
		for (i = 0; i < 40; i++) {
			snprintf(p, sizeof(p), "%s/f%d.html", dir, i);
			snprintf(text, sizeof(text), "file %d", i);
			if (round == 0)
				put(p, text);
			expect(p, LATER, text);
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_changes_seen, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_many_files, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
