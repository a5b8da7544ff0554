/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Unit tests for policy.c: length in characters, the byte limit, any
 * Unicode, no composition rules, libzxcvbn's verdict with its reason,
 * the deny list, and the messages the user reads.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "testlib.h"

#define GOOD	"a few unrelated words make a good password."

struct fixture {
	char		*dir;
	struct config	 cfg;
};

static int
setup(void **state)
{
	struct fixture	*f;

	assert_non_null(f = calloc(1, sizeof(*f)));
	f->dir = test_tempdir();
	config_defaults(&f->cfg);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	free(f->cfg.pw_deny_list);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* The verdict on "pw" for user alice; "*why" gets the message. */
static int
judge(struct fixture *f, const char *pw, size_t len, char **why)
{
	struct buf	 b;
	int		 rc;

	buf_init(&b);
	rc = policy_check(&f->cfg, pw, len, "alice", &b);
	assert_false(b.oom);
	*why = b.data != NULL ? buf_steal(&b) : strdup("");
	buf_free(&b);
	return rc;
}

static void
accepted(struct fixture *f, const char *pw)
{
	char	*why;

	if (judge(f, pw, strlen(pw), &why) != POLICY_OK)
		fail_msg("refused \"%s\": %s", pw, why);
	assert_string_equal(why, "");
	free(why);
}

/* Refused, with a message that contains "part". */
static void
refused(struct fixture *f, const char *pw, const char *part)
{
	char	*why;

	if (judge(f, pw, strlen(pw), &why) != POLICY_REFUSED)
		fail_msg("accepted \"%s\"", pw);
	if (strstr(why, part) == NULL)
		fail_msg("\"%s\": \"%s\" lacks \"%s\"", pw, why, part);
	free(why);
}

/*
 * At least 12 characters, counted as code points: 11 two-byte letters
 * (22 bytes) are too few, 12 are enough. The message says what to do.
 */
static void
test_min_length(void **state)
{
	struct fixture	*f = *state;
	char		*why;

	assert_int_equal(judge(f, "kX9#mQ2vLp7", 11, &why), POLICY_REFUSED);
	assert_string_equal(why, "Use at least 12 characters; " GOOD);
	free(why);
	accepted(f, "kX9#mQ2vLp7z");
	refused(f, "\xc5\xa7\xc5\x99\xc4\x9b\xc5\xa1\xc5\xbe\xc3\xbd\xc3\xa1"
	    "\xc3\xad\xc3\xa9\xc5\xaf\xc3\xba", "at least 12 characters");
	accepted(f, "\xc5\xa7\xc5\x99\xc4\x9b\xc5\xa1\xc5\xbe\xc3\xbd\xc3\xa1"
	    "\xc3\xad\xc3\xa9\xc5\xaf\xc3\xba\xc4\x8f");

	f->cfg.pw_min_length = 20;
	refused(f, "kX9#mQ2vLp7z", "Use at least 20 characters");
}

/* A strong text of "len" printable ASCII bytes, the same every run. */
static char *
noise(size_t len)
{
	static const char	 set[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJK"
				    "LMNPQRSTUVWXYZ23456789#%+=@ ";
	unsigned long		 x = 12345;
	char			*s;
	size_t			 i;

	assert_non_null(s = malloc(len + 1));
	for (i = 0; i < len; i++) {
		x = x * 1103515245 + 12345;
		s[i] = set[(x >> 16) % (sizeof(set) - 1)];
	}
	s[0] = 'q';
	s[len - 1] = 'z';	/* no space at either end, for clarity */
	s[len] = '\0';
	return s;
}

/*
 * Long passwords: 64 characters and more are taken up to max_bytes,
 * and one byte more is refused, never cut short.
 */
static void
test_max_bytes(void **state)
{
	struct fixture	*f = *state;
	char		*pw, *why;

	pw = noise(PASSWORD_MAX + 1);
	assert_int_equal(judge(f, pw, PASSWORD_MAX + 1, &why),
	    POLICY_REFUSED);
	assert_string_equal(why, "This password is longer than the 1024 "
	    "bytes allowed here, and it is never cut short: choose a shorter "
	    "one.");
	free(why);
	pw[PASSWORD_MAX] = '\0';
	accepted(f, pw);
	free(pw);

	f->cfg.pw_max_bytes = 256;
	pw = noise(257);
	refused(f, pw, "longer than the 256 bytes");
	pw[256] = '\0';
	accepted(f, pw);
	pw[64] = '\0';
	accepted(f, pw);
	free(pw);
}

/*
 * Spaces and any script are fine, and nothing asks for digits, capitals
 * or symbols; control characters and broken UTF-8 are not text.
 */
static void
test_any_text(void **state)
{
	struct fixture	*f = *state;
	char		*why;

	accepted(f, "zebra lantern quietly");
	accepted(f, "purple monkey dishwasher");
	accepted(f, "  leading and trailing spaces  ");
	accepted(f, "\xd0\xbc\xd0\xbe\xd1\x81\xd1\x82 \xd1\x82\xd1\x80\xd0\xb0"
	    "\xd0\xb2\xd0\xb0 \xd0\xbe\xd0\xb1\xd0\xbb\xd0\xb0\xd0\xba\xd0\xbe");
	accepted(f, "\xf0\x9f\x90\xa2\xf0\x9f\x8c\xb5 tortoise under cactus");
	refused(f, "zebra\tlantern quietly", "without control characters");
	refused(f, "zebra lantern quietly\x7f", "without control characters");
	/* The C1 controls are control characters too, in UTF-8. */
	refused(f, "zebra lantern\xc2\x85quietly",
	    "without control characters");
	refused(f, "zebra lantern quietly\xc2\x9b" "31m",
	    "without control characters");
	accepted(f, "zebra lantern quietly\xc2\xa0");
	assert_int_equal(judge(f, "zebra lantern \xc3quietly", 22, &why),
	    POLICY_REFUSED);
	assert_non_null(strstr(why, "A password is text"));
	free(why);
}

/*
 * What libzxcvbn finds easy is refused, with the reason: common
 * passwords, keyboard rows, the user's own name, sequences, dates.
 */
static void
test_guessable(void **state)
{
	struct fixture	*f = *state;

	refused(f, "password1234", "too easy to guess: it is built on a "
	    "common password or word. Add words that do not belong together; "
	    GOOD);
	refused(f, "qwertyuiopas", "too easy to guess");
	refused(f, "zxcvbnm,./zxc", "a pattern of keys on the keyboard");
	refused(f, "alicealicealice", "it contains your user name");
	refused(f, "alice-1234567", "it contains your user name");
	refused(f, "abcdefghijklmnop", "a sequence such as abcd or 1234");
	refused(f, "aaaaaaaaaaaaaaaa", "too easy to guess");
	refused(f, "iloveyou2024", "too easy to guess");
	refused(f, "P@ssw0rd12345", "too easy to guess");
	refused(f, "2024-01-01-2024", "too easy to guess");

	accepted(f, "correct horse battery");

	/* The threshold is the setting's; 0 turns the estimate off. */
	f->cfg.pw_min_entropy = 60;
	refused(f, "correct horse battery", "too easy to guess");
	f->cfg.pw_min_entropy = 0;
	accepted(f, "password1234");
}

/*
 * The deny list: whole lines, LF or CRLF, compared exactly (case and
 * spaces count); a list that cannot be read is an error, not a pass.
 */
static void
test_deny_list(void **state)
{
	struct fixture	*f = *state;
	char		*why;

	f->cfg.pw_deny_list = test_write_file(f->dir, "deny.txt",
	    "first line\nzebra lantern quietly\r\npurple monkey dishwasher");
	refused(f, "zebra lantern quietly", "on this site's list of refused "
	    "passwords");
	refused(f, "purple monkey dishwasher", "list of refused passwords");
	accepted(f, "Zebra lantern quietly");
	accepted(f, "zebra lantern quietly ");
	accepted(f, "zebra lantern quietly!");

	/* Also with the estimate off. */
	f->cfg.pw_min_entropy = 0;
	refused(f, "zebra lantern quietly", "list of refused passwords");

	free(f->cfg.pw_deny_list);
	assert_int_not_equal(asprintf(&f->cfg.pw_deny_list, "%s/missing",
	    f->dir), -1);
	test_stderr_begin();
	assert_int_equal(judge(f, "zebra lantern quietly", 21, &why),
	    POLICY_ERROR);
	free(why);
	why = test_stderr_end();
	assert_non_null(strstr(why, "deny list"));
	assert_null(strstr(why, "zebra"));
	free(why);
}

/*
 * policy_judge: the same verdict and message as policy_check, and
 * libzxcvbn's estimate wherever the policy makes one (a short or
 * deny-listed password too, for the meter to follow the typing), -1
 * where it makes none.
 */
static void
test_judge_estimate(void **state)
{
	struct fixture	*f = *state;
	const char	*pws[] = { "password1234", "short", "",
			    "correct horse battery", "zebra lantern quietly",
			    "alicealicealice" };
	struct buf	 a, b;
	char		*long_one;
	double		 bits;
	size_t		 i;

	f->cfg.pw_deny_list = test_write_file(f->dir, "deny.txt",
	    "zebra lantern quietly\n");
	for (i = 0; i < sizeof(pws) / sizeof(pws[0]); i++) {
		buf_init(&a);
		buf_init(&b);
		assert_int_equal(policy_judge(&f->cfg, pws[i], strlen(pws[i]),
		    "alice", &a, &bits), policy_check(&f->cfg, pws[i],
		    strlen(pws[i]), "alice", &b));
		assert_string_equal(a.len > 0 ? a.data : "",
		    b.len > 0 ? b.data : "");
		assert_true(bits >= 0);
		buf_free(&a);
		buf_free(&b);
	}

	buf_init(&a);
	policy_judge(&f->cfg, "password1234", 12, "alice", &a, &bits);
	assert_true(bits >= 0 && bits < 34);
	buf_reset(&a);
	policy_judge(&f->cfg, "correct horse battery", 21, "alice", &a,
	    &bits);
	assert_true(bits >= 34);

	/* No estimate: not text, too long, or the estimate turned off. */
	buf_reset(&a);
	assert_int_equal(policy_judge(&f->cfg, "tab\there and more",
	    strlen("tab\there and more"), "alice", &a, &bits),
	    POLICY_REFUSED);
	assert_true(bits == -1);
	f->cfg.pw_max_bytes = 256;
	buf_reset(&a);
	long_one = noise(257);
	assert_int_equal(policy_judge(&f->cfg, long_one, 257, "alice", &a,
	    &bits), POLICY_REFUSED);
	assert_true(bits == -1);
	free(long_one);
	f->cfg.pw_min_entropy = 0;
	buf_reset(&a);
	assert_int_equal(policy_judge(&f->cfg, "password1234", 12, "alice",
	    &a, &bits), POLICY_OK);
	assert_true(bits == -1);
	buf_free(&a);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
#define T(name)	cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_min_length),
		T(test_max_bytes),
		T(test_any_text),
		T(test_guessable),
		T(test_deny_list),
		T(test_judge_estimate),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
