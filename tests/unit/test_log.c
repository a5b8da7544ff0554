/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * log.c: one line per event, tagged with the request, with control bytes
 * escaped so that no client-chosen value can forge or split a line.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gatehouse.h"
#include "testlib.h"

/* What one call logged. */
static char *
logged(void (*fn)(const char *, ...), const char *arg)
{
	test_stderr_begin();
	fn("user %s", arg);
	return test_stderr_end();
}

static void
escapes(void **state)
{
	char	*out, want[256];

	(void)state;
	log_init("t", LOG_LEVEL_DEBUG);
	out = logged(log_info, "eve\ninfo: admin logged in\r\x1b[2J\\");
	snprintf(want, sizeof(want), "t[%ld]: info: user eve\\x0ainfo: admin "
	    "logged in\\x0d\\x1b[2J\\x5c\n", (long)getpid());
	assert_string_equal(out, want);
	free(out);

	/* Unicode line separators, C1 controls, overrides, bad bytes. */
	out = logged(log_info, "a\xe2\x80\xa8" "b\xc2\x85" "c\xc2\x9b" "2J"
	    "\xe2\x80\xae" "d\xff\xc0\xaf" "e");
	snprintf(want, sizeof(want), "t[%ld]: info: user a\\xe2\\x80\\xa8b"
	    "\\xc2\\x85c\\xc2\\x9b2J\\xe2\\x80\\xaed\\xff\\xc0\\xafe\n",
	    (long)getpid());
	assert_string_equal(out, want);
	free(out);

	/* UTF-8 stays readable. */
	out = logged(log_warnx, "J\xc3\xbcrgen");
	snprintf(want, sizeof(want), "t[%ld]: warn: user J\xc3\xbcrgen\n",
	    (long)getpid());
	assert_string_equal(out, want);
	free(out);
}

static void
request_tag(void **state)
{
	char	*out, *p;

	(void)state;
	log_init("t", LOG_LEVEL_INFO);
	log_request_begin("192.0.2.9");
	out = logged(log_info, "x");
	p = strstr(out, " req=");
	assert_non_null(p);
	assert_non_null(strstr(out, " addr=192.0.2.9 user x\n"));
	free(out);
	log_request_begin("2001:db8::1");
	out = logged(log_info, "v6");
	assert_non_null(strstr(out, " addr=2001:db8::1 user v6\n"));
	free(out);
	log_request_begin(NULL);
	out = logged(log_info, "y");
	assert_non_null(strstr(out, " addr=- user y\n"));
	free(out);
	/* Not an address: never written, least of all a line break. */
	log_request_begin("1\ngatehouse[9]: info: login: root logged in");
	out = logged(log_info, "w");
	assert_non_null(strstr(out, " addr=- user w\n"));
	assert_null(strstr(out, "root"));
	free(out);
	log_request_end();
	out = logged(log_info, "z");
	assert_null(strstr(out, "req="));
	free(out);
}

static void
levels(void **state)
{
	char		*out;
	enum log_level	 l;

	(void)state;
	log_init("t", LOG_LEVEL_WARN);
	out = logged(log_info, "hidden");
	assert_string_equal(out, "");
	free(out);
	out = logged(log_debug, "hidden");
	assert_string_equal(out, "");
	free(out);
	out = logged(log_warnx, "shown");
	assert_non_null(strstr(out, "warn: user shown"));
	free(out);

	assert_int_equal(log_level_parse("debug", &l), 0);
	assert_int_equal(l, LOG_LEVEL_DEBUG);
	assert_int_equal(log_level_parse("loud", &l), -1);
}

/* log_warn adds strerror and keeps errno for the caller. */
static void
errno_kept(void **state)
{
	char	*out;

	(void)state;
	log_init("t", LOG_LEVEL_INFO);
	errno = ENOENT;
	test_stderr_begin();
	log_warn("open %s", "/x");
	out = test_stderr_end();
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(out, "warn: open /x: No such file or "
	    "directory\n"));
	free(out);
}

/* A message longer than a line is cut and marked, still one line. */
static void
long_lines(void **state)
{
	char	*big, *out;

	(void)state;
	log_init("t", LOG_LEVEL_INFO);
	big = malloc(5000);
	memset(big, 'a', 4999);
	big[4999] = '\0';
	out = logged(log_info, big);
	assert_true(strlen(out) < 1200);
	assert_non_null(strstr(out, "...\n"));
	assert_int_equal(strchr(out, '\n') - out + 1, (long)strlen(out));
	free(out);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapes),
		cmocka_unit_test(request_tag),
		cmocka_unit_test(levels),
		cmocka_unit_test(errno_kept),
		cmocka_unit_test(long_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
