/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Unit tests for session.c: id generation, hashing and syntax, and the
 * lifetime rules (idle and absolute ends, touch interval) on a fake clock.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "testlib.h"

#define B64URL	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
		"0123456789-_"
#define NIDS	1000

/* A fixed id using every class of the alphabet, '-' and '_' included. */
#define KNOWN_ID	"0123456789-_abcdefghijklmnopqrstuvwxyzABCDE"

/* The clock all lifetime tests start from: an arbitrary, recent time. */
#define T0	((int64_t)1767225600)

static int	 cmp_ids(const void *, const void *);
static void	 lifetime_config(struct config *);
static void	 fresh_session(struct session *, int64_t);

static int
cmp_ids(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The documented defaults: idle 30 min, absolute 12 h, touch 60 s. */
static void
lifetime_config(struct config *cfg)
{
	config_defaults(cfg);
	assert_int_equal(cfg->idle_timeout, 1800);
	assert_int_equal(cfg->absolute_timeout, 43200);
	assert_int_equal(cfg->touch_interval, 60);
}

/* A session as login creates it at "t". */
static void
fresh_session(struct session *s, int64_t t)
{
	memset(s, 0, sizeof(*s));
	s->user_id = 1;
	s->created = t;
	s->last_seen = t;
	s->expires = t + 43200;
}

static void
test_new_id_shape(void **state)
{
	char	 id[SESSION_ID_LEN + 1];

	(void)state;
	memset(id, 'x', sizeof(id));
	assert_int_equal(session_new_id(id), 0);
	assert_int_equal(strlen(id), SESSION_ID_LEN);
	assert_int_equal(strspn(id, B64URL), SESSION_ID_LEN);
	assert_int_equal(session_id_wellformed(id), 1);
}

/*
 * 256 random bits must never repeat in a thousand draws; a repeat means
 * the CSPRNG is not used or its output is truncated (F9).
 */
static void
test_new_id_distinct(void **state)
{
	char	(*ids)[SESSION_ID_LEN + 1];
	size_t	 i;

	(void)state;
	assert_non_null(ids = calloc(NIDS, sizeof(*ids)));
	for (i = 0; i < NIDS; i++) {
		assert_int_equal(session_new_id(ids[i]), 0);
		assert_int_equal(strlen(ids[i]), SESSION_ID_LEN);
		assert_int_equal(strspn(ids[i], B64URL), SESSION_ID_LEN);
	}
	qsort(ids, NIDS, sizeof(*ids), cmp_ids);
	for (i = 1; i < NIDS; i++)
		assert_string_not_equal(ids[i - 1], ids[i]);
	free(ids);
}

/* The digest was computed with: printf %s KNOWN_ID | sha256sum */
static void
test_hash_id_known(void **state)
{
	static const unsigned char	 want[SESSION_HASH_LEN] = {
		0xc2, 0x51, 0x0b, 0xb0, 0x89, 0x65, 0xe1, 0x3d,
		0xc7, 0x4f, 0xd3, 0x11, 0x22, 0x2c, 0x44, 0x2c,
		0x85, 0x97, 0x34, 0x5f, 0xfb, 0xd1, 0x16, 0x0b,
		0xda, 0x98, 0x24, 0xd9, 0x2c, 0x05, 0x74, 0x57
	};
	unsigned char			 got[SESSION_HASH_LEN];

	(void)state;
	memset(got, 0, sizeof(got));
	session_hash_id(KNOWN_ID, got);
	assert_memory_equal(got, want, SESSION_HASH_LEN);
}

/* One character more or less changes the digest: the whole text counts. */
static void
test_hash_id_whole_text(void **state)
{
	unsigned char	 a[SESSION_HASH_LEN], b[SESSION_HASH_LEN];

	(void)state;
	session_hash_id(KNOWN_ID, a);
	session_hash_id(KNOWN_ID "A", b);
	assert_memory_not_equal(a, b, SESSION_HASH_LEN);
	session_hash_id("0123456789-_abcdefghijklmnopqrstuvwxyzABCDF", b);
	assert_memory_not_equal(a, b, SESSION_HASH_LEN);
}

static void
test_wellformed(void **state)
{
	char	 id[SESSION_ID_LEN + 2];

	(void)state;
	assert_int_equal(session_id_wellformed(KNOWN_ID), 1);
	assert_int_equal(session_id_wellformed(
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 1);

	/* 42 and 44 characters of the right alphabet. */
	memset(id, 'A', sizeof(id));
	id[SESSION_ID_LEN - 1] = '\0';
	assert_int_equal(session_id_wellformed(id), 0);
	id[SESSION_ID_LEN - 1] = 'A';
	id[SESSION_ID_LEN + 1] = '\0';
	assert_int_equal(session_id_wellformed(id), 0);

	/*
	 * Standard base64, padding and cookie delimiters are not ours. Each
	 * bad character goes at the end, so a check that stops early or
	 * only looks at the length cannot pass.
	 */
	memcpy(id, KNOWN_ID, SESSION_ID_LEN + 1);
	id[SESSION_ID_LEN - 1] = '+';
	assert_int_equal(session_id_wellformed(id), 0);
	id[SESSION_ID_LEN - 1] = '/';
	assert_int_equal(session_id_wellformed(id), 0);
	id[SESSION_ID_LEN - 1] = '=';
	assert_int_equal(session_id_wellformed(id), 0);
	id[SESSION_ID_LEN - 1] = '.';
	assert_int_equal(session_id_wellformed(id), 0);
	id[SESSION_ID_LEN - 1] = ';';
	assert_int_equal(session_id_wellformed(id), 0);
	id[SESSION_ID_LEN - 1] = ' ';
	assert_int_equal(session_id_wellformed(id), 0);
	id[SESSION_ID_LEN - 1] = (char)0xc3;
	assert_int_equal(session_id_wellformed(id), 0);
	id[0] = '+';
	id[SESSION_ID_LEN - 1] = 'A';
	assert_int_equal(session_id_wellformed(id), 0);

	assert_int_equal(session_id_wellformed(""), 0);
	/* F9: a client-invented 32-hex-digit id is not even looked up. */
	assert_int_equal(session_id_wellformed(
	    "0123456789abcdef0123456789abcdef"), 0);
}

static void
test_state_idle(void **state)
{
	struct config	 cfg;
	struct session	 s;

	(void)state;
	lifetime_config(&cfg);
	fresh_session(&s, T0);
	assert_int_equal(session_state(&s, T0, &cfg), SESSION_LIVE);
	assert_int_equal(session_state(&s, T0 + 1799, &cfg), SESSION_LIVE);
	/* The idle end is exclusive: at last_seen + idle it is over. */
	assert_int_equal(session_state(&s, T0 + 1800, &cfg), SESSION_IDLE);
	assert_int_equal(session_state(&s, T0 + 1801, &cfg), SESSION_IDLE);

	/* A touch moves the idle end. */
	s.last_seen = T0 + 1000;
	assert_int_equal(session_state(&s, T0 + 2799, &cfg), SESSION_LIVE);
	assert_int_equal(session_state(&s, T0 + 2800, &cfg), SESSION_IDLE);
	config_free(&cfg);
}

/*
 * A remembered session has no idle limit, only its absolute one, and
 * its idle deadline is that.
 */
static void
test_state_remembered(void **state)
{
	struct config	 cfg;
	struct session	 s;

	(void)state;
	lifetime_config(&cfg);
	fresh_session(&s, T0);
	s.remember = 1;
	s.expires = T0 + 30 * 86400;
	assert_int_equal(session_state(&s, T0 + 1800, &cfg), SESSION_LIVE);
	assert_int_equal(session_state(&s, s.expires - 1, &cfg),
	    SESSION_LIVE);
	assert_int_equal(session_state(&s, s.expires, &cfg), SESSION_EXPIRED);
	assert_int_equal(session_idle_deadline(&s, &cfg), s.expires);
	s.user_disabled = 1;
	assert_int_equal(session_state(&s, T0, &cfg), SESSION_DISABLED);
	config_free(&cfg);
}

/*
 * The handle shown in pages: 16 hex digits of the SHA-256 of the stored
 * hash, which is neither the hash nor a part of it.
 */
static void
test_handle(void **state)
{
	unsigned char	 h[SESSION_HASH_LEN], hh[32];
	char		 handle[SESSION_HANDLE_LEN + 1], hex[65];

	(void)state;
	session_hash_id("an id", h);
	session_handle(h, handle);
	assert_int_equal(strlen(handle), SESSION_HANDLE_LEN);
	sha256(h, sizeof(h), hh);
	hex_encode(hh, 8, hex, sizeof(hex));
	assert_string_equal(handle, hex);
	hex_encode(h, sizeof(h), hex, sizeof(hex));
	assert_null(strstr(hex, handle));
	h[31] ^= 1;
	session_handle(h, hex);
	assert_string_not_equal(hex, handle);
}

static void
test_state_expired(void **state)
{
	struct config	 cfg;
	struct session	 s;

	(void)state;
	lifetime_config(&cfg);
	fresh_session(&s, T0);
	s.last_seen = s.expires - 100;
	assert_int_equal(session_state(&s, s.expires - 1, &cfg),
	    SESSION_LIVE);
	assert_int_equal(session_state(&s, s.expires, &cfg), SESSION_EXPIRED);

	/* Idle and past the absolute end at once: the absolute end wins. */
	s.last_seen = T0;
	assert_int_equal(session_state(&s, s.expires + 10, &cfg),
	    SESSION_EXPIRED);
	config_free(&cfg);
}

/*
 * F11: a session touched a second ago still ends at "expires". Seen in
 * the future too (a clock that went back), it must not outlive it.
 */
static void
test_state_absolute_wins(void **state)
{
	struct config	 cfg;
	struct session	 s;

	(void)state;
	lifetime_config(&cfg);
	fresh_session(&s, T0);
	s.last_seen = s.expires - 1;
	assert_int_equal(session_state(&s, s.expires, &cfg), SESSION_EXPIRED);
	s.last_seen = s.expires;
	assert_int_equal(session_state(&s, s.expires, &cfg), SESSION_EXPIRED);
	s.last_seen = s.expires + 5000;
	assert_int_equal(session_state(&s, s.expires + 1, &cfg),
	    SESSION_EXPIRED);
	config_free(&cfg);
}

static void
test_idle_deadline(void **state)
{
	struct config	 cfg;
	struct session	 s;

	(void)state;
	lifetime_config(&cfg);
	fresh_session(&s, T0);
	assert_int_equal(session_idle_deadline(&s, &cfg), T0 + 1800);

	/* Near the absolute end the idle end is cut short. */
	s.last_seen = s.expires - 1799;
	assert_int_equal(session_idle_deadline(&s, &cfg), s.expires);
	s.last_seen = s.expires - 1800;
	assert_int_equal(session_idle_deadline(&s, &cfg), s.expires);
	s.last_seen = s.expires - 1801;
	assert_int_equal(session_idle_deadline(&s, &cfg), s.expires - 1);

	/* The deadline agrees with session_state on both sides of it. */
	s.last_seen = T0 + 777;
	assert_int_equal(session_state(&s, session_idle_deadline(&s, &cfg) - 1,
	    &cfg), SESSION_LIVE);
	assert_int_not_equal(session_state(&s, session_idle_deadline(&s,
	    &cfg), &cfg), SESSION_LIVE);
	config_free(&cfg);
}

static void
test_touch_due(void **state)
{
	struct config	 cfg;
	struct session	 s;

	(void)state;
	lifetime_config(&cfg);
	fresh_session(&s, T0);
	assert_int_equal(session_touch_due(&s, T0, &cfg), 0);
	assert_int_equal(session_touch_due(&s, T0 + 59, &cfg), 0);
	assert_int_equal(session_touch_due(&s, T0 + 60, &cfg), 1);
	assert_int_equal(session_touch_due(&s, T0 + 1000, &cfg), 1);

	/* A clock that went back rewrites last_seen, however little. */
	assert_int_equal(session_touch_due(&s, T0 - 1, &cfg), 1);
	assert_int_equal(session_touch_due(&s, T0 - 86400, &cfg), 1);

	/* With touch_interval 0, every request writes. */
	cfg.touch_interval = 0;
	assert_int_equal(session_touch_due(&s, T0, &cfg), 1);
	config_free(&cfg);
}

static void
test_clear(void **state)
{
	struct session	 s;

	(void)state;
	fresh_session(&s, T0);
	assert_non_null(s.user = strdup("alice"));
	s.hash[0] = 0xff;
	session_clear(&s);
	assert_null(s.user);
	assert_int_equal(s.hash[0], 0);
	assert_int_equal(s.expires, 0);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(test_new_id_shape),
		cmocka_unit_test(test_new_id_distinct),
		cmocka_unit_test(test_hash_id_known),
		cmocka_unit_test(test_hash_id_whole_text),
		cmocka_unit_test(test_wellformed),
		cmocka_unit_test(test_state_idle),
		cmocka_unit_test(test_state_remembered),
		cmocka_unit_test(test_handle),
		cmocka_unit_test(test_state_expired),
		cmocka_unit_test(test_state_absolute_wins),
		cmocka_unit_test(test_idle_deadline),
		cmocka_unit_test(test_touch_due),
		cmocka_unit_test(test_clear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
