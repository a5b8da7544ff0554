/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Unit tests for src/throttle.c: the back-off, and each decision of the
 * throttle, driven by a fake clock and a fake record of failed logins
 * that counts the way store_throttle_counts does.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "testlib.h"

#define T0		1800000000LL
#define NFAIL_MAX	256

/* The failed logins so far, as login_failures would hold them. */
struct record {
	struct {
		char	 name[16];
		char	 addr[16];
		int64_t	 at;
	}	 v[NFAIL_MAX];
	int	 n;
	int64_t	 now;		/* the fake clock */
};

static struct throttle_params
params(void)
{
	struct throttle_params	 p;

	p.account_threshold = 5;
	p.address_threshold = 20;
	p.account_hourly_max = 100;
	p.window = 900;
	p.backoff_base = 1;
	p.backoff_max = 900;
	return p;
}

static void
add_failure(struct record *r, const char *name, const char *addr)
{
	assert_true(r->n < NFAIL_MAX);
	strcpy(r->v[r->n].name, name);
	strcpy(r->v[r->n].addr, addr);
	r->v[r->n].at = r->now;
	r->n++;
}

/* The counts for "name" from "addr" now, as the store makes them. */
static struct throttle_counts
counts(const struct record *r, const struct throttle_params *p,
    const char *name, const char *addr)
{
	struct throttle_counts	 c;
	int			 i, in_hour = 0;

	memset(&c, 0, sizeof(c));
	for (i = r->n - 1; i >= 0; i--) {
		int64_t at = r->v[i].at;

		if (strcmp(r->v[i].name, name) == 0) {
			if (at > r->now - p->window) {
				c.name++;
				if (at > c.name_last)
					c.name_last = at;
			}
			if (at > r->now - 3600) {
				c.name_hour++;
				if (++in_hour == (int)p->account_hourly_max)
					c.name_cap_at = at;
			}
		}
		if (strcmp(r->v[i].addr, addr) == 0 &&
		    at > r->now - p->window) {
			c.addr++;
			if (at > c.addr_last)
				c.addr_last = at;
		}
	}
	return c;
}

/* The verdict for an attempt now; "*retry" gets the wait. */
static enum throttle_verdict
decide(const struct record *r, const struct throttle_params *p,
    const char *name, const char *addr, long long *retry)
{
	struct throttle_counts	 c = counts(r, p, name, addr);

	return throttle_decide(p, &c, r->now, retry);
}

/* base at the threshold, doubling, capped; nothing below it. */
static void
test_delay(void **state)
{
	struct throttle_params	 p = params();

	(void)state;
	assert_int_equal(throttle_delay(&p, 0, 5), 0);
	assert_int_equal(throttle_delay(&p, 4, 5), 0);
	assert_int_equal(throttle_delay(&p, 5, 5), 1);
	assert_int_equal(throttle_delay(&p, 6, 5), 2);
	assert_int_equal(throttle_delay(&p, 9, 5), 16);
	assert_int_equal(throttle_delay(&p, 14, 5), 512);
	assert_int_equal(throttle_delay(&p, 15, 5), 900);
	assert_int_equal(throttle_delay(&p, 100, 5), 900);
	assert_int_equal(throttle_delay(&p, 4000000000U, 1), 900);
	p.backoff_base = 3;
	p.backoff_max = 10;
	assert_int_equal(throttle_delay(&p, 1, 1), 3);
	assert_int_equal(throttle_delay(&p, 2, 1), 6);
	assert_int_equal(throttle_delay(&p, 3, 1), 10);
}

/* Below the thresholds every attempt goes on. */
static void
test_allow_below_threshold(void **state)
{
	struct throttle_params	 p = params();
	struct record		 r;
	long long		 retry = -1;
	int			 i;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.now = T0;
	assert_int_equal(decide(&r, &p, "alice", "a1", &retry),
	    THROTTLE_ALLOW);
	assert_int_equal(retry, 0);
	for (i = 0; i < 4; i++) {
		add_failure(&r, "alice", "a1");
		assert_int_equal(decide(&r, &p, "alice", "a1", &retry),
		    THROTTLE_ALLOW);
	}
}

/*
 * Attempts counted by requests that took the time a second later than
 * this one (under load, a request waits for the store after reading the
 * clock): below the thresholds their being "in the future" is no reason
 * to wait. Once ended the load test with a stray 429.
 */
static void
test_later_failures_below_threshold(void **state)
{
	struct throttle_params	 p = params();
	struct throttle_counts	 c;
	long long		 retry = -1;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.name = 4;
	c.name_hour = 4;
	c.name_last = T0 + 1;
	c.addr = 19;
	c.addr_last = T0 + 2;
	assert_int_equal(throttle_decide(&p, &c, T0, &retry),
	    THROTTLE_ALLOW);
	assert_int_equal(retry, 0);

	/* At the threshold, the back-off runs from the last failure. */
	c.addr = 20;
	assert_int_equal(throttle_decide(&p, &c, T0, &retry),
	    THROTTLE_ADDRESS);
	assert_int_equal(retry, 2 + 1);
}

/*
 * At the account threshold the name is locked for the back-off, doubling
 * with each failure; the lock ends when the wait has passed.
 */
static void
test_account_backoff(void **state)
{
	struct throttle_params	 p = params();
	struct record		 r;
	long long		 retry;
	int			 i;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.now = T0;
	for (i = 0; i < 5; i++)
		add_failure(&r, "alice", "a1");
	assert_int_equal(decide(&r, &p, "alice", "a1", &retry),
	    THROTTLE_ACCOUNT);
	assert_int_equal(retry, 1);
	r.now += 1;
	assert_int_equal(decide(&r, &p, "alice", "a1", &retry),
	    THROTTLE_ALLOW);
	add_failure(&r, "alice", "a1");
	assert_int_equal(decide(&r, &p, "alice", "a1", &retry),
	    THROTTLE_ACCOUNT);
	assert_int_equal(retry, 2);
	r.now += 1;
	assert_int_equal(decide(&r, &p, "alice", "a1", &retry),
	    THROTTLE_ACCOUNT);
	assert_int_equal(retry, 1);
	r.now += 1;
	add_failure(&r, "alice", "a1");
	assert_int_equal(decide(&r, &p, "alice", "a1", &retry),
	    THROTTLE_ACCOUNT);
	assert_int_equal(retry, 4);

	/* Another name from the same address is not locked. */
	assert_int_equal(decide(&r, &p, "bob", "a1", &retry),
	    THROTTLE_ALLOW);
}

/*
 * The owner from an address with no failure in the window still gets to
 * try while the name is locked; an address that failed does not.
 */
static void
test_clean_address_passes_lock(void **state)
{
	struct throttle_params	 p = params();
	struct record		 r;
	long long		 retry;
	int			 i;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.now = T0;
	for (i = 0; i < 12; i++)
		add_failure(&r, "alice", "attacker");
	assert_int_equal(decide(&r, &p, "alice", "attacker", &retry),
	    THROTTLE_ACCOUNT);
	assert_int_equal(retry, 128);
	assert_int_equal(decide(&r, &p, "alice", "owner", &retry),
	    THROTTLE_ALLOW);
	assert_int_equal(retry, 0);

	/* Once that address failed too, it waits like the others. */
	add_failure(&r, "alice", "owner");
	assert_int_equal(decide(&r, &p, "alice", "owner", &retry),
	    THROTTLE_ACCOUNT);
	assert_int_equal(retry, 256);

	/* A failure from outside the window does not spoil an address. */
	memset(&r, 0, sizeof(r));
	r.now = T0;
	add_failure(&r, "carol", "owner");
	r.now += p.window;
	for (i = 0; i < 6; i++)
		add_failure(&r, "alice", "attacker");
	assert_int_equal(decide(&r, &p, "alice", "owner", &retry),
	    THROTTLE_ALLOW);
}

/* An address that failed often backs off, whatever name it tries. */
static void
test_address_backoff(void **state)
{
	struct throttle_params	 p = params();
	struct record		 r;
	char			 name[16];
	long long		 retry;
	int			 i;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.now = T0;
	for (i = 0; i < 19; i++) {
		snprintf(name, sizeof(name), "user%d", i);
		add_failure(&r, name, "spray");
		r.now += 10;
	}
	assert_int_equal(decide(&r, &p, "someone", "spray", &retry),
	    THROTTLE_ALLOW);
	add_failure(&r, "user19", "spray");
	assert_int_equal(decide(&r, &p, "someone", "spray", &retry),
	    THROTTLE_ADDRESS);
	assert_int_equal(retry, 1);
	add_failure(&r, "user20", "spray");
	add_failure(&r, "user21", "spray");
	assert_int_equal(decide(&r, &p, "someone", "spray", &retry),
	    THROTTLE_ADDRESS);
	assert_int_equal(retry, 4);
	/* Others are not held back by it. */
	assert_int_equal(decide(&r, &p, "someone", "elsewhere", &retry),
	    THROTTLE_ALLOW);
	/* The window slides: old failures stop counting. */
	r.now += p.window;
	assert_int_equal(decide(&r, &p, "someone", "spray", &retry),
	    THROTTLE_ALLOW);
}

/*
 * ASVS 2.2.1: with the hourly cap reached, nothing reaches the account,
 * not even from a clean address, until the oldest counted failure is an
 * hour old. Failing from many addresses cannot get past it.
 */
static void
test_hourly_cap(void **state)
{
	struct throttle_params	 p = params();
	struct record		 r;
	char			 addr[16];
	long long		 retry;
	int			 i, reached = 0;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.now = T0;
	/* One failure per address every 30 s: always a clean address. */
	for (i = 0; i < 200; i++) {
		snprintf(addr, sizeof(addr), "bot%d", i);
		if (decide(&r, &p, "alice", addr, &retry) != THROTTLE_ALLOW) {
			assert_int_equal(decide(&r, &p, "alice", addr, &retry),
			    THROTTLE_CAP);
			reached++;
		} else
			add_failure(&r, "alice", addr);
		r.now += 30;
	}
	/* 100 in the first hour (3600 / 30 = 120 tries), then refusals. */
	assert_int_equal(reached, 20);
	assert_int_equal(r.n, 180);

	/* The count per hour never went above the cap. */
	for (i = 0; i < r.n; i++) {
		int j, in_hour = 0;

		for (j = 0; j < r.n; j++)
			if (r.v[j].at > r.v[i].at - 3600 &&
			    r.v[j].at <= r.v[i].at)
				in_hour++;
		assert_true(in_hour <= 100);
	}
}

/* The wait at the cap runs to when the 100th latest failure is old. */
static void
test_cap_retry(void **state)
{
	struct throttle_params	 p = params();
	struct throttle_counts	 c;
	long long		 retry;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.name_hour = 100;
	c.name_cap_at = T0 - 600;
	assert_int_equal(throttle_decide(&p, &c, T0, &retry), THROTTLE_CAP);
	assert_int_equal(retry, 3000);
	/* Inconsistent counts still give a wait within an hour. */
	c.name_cap_at = 0;
	assert_int_equal(throttle_decide(&p, &c, T0, &retry), THROTTLE_CAP);
	assert_int_equal(retry, 1);
	c.name_cap_at = T0 + 7200;
	assert_int_equal(throttle_decide(&p, &c, T0, &retry), THROTTLE_CAP);
	assert_int_equal(retry, 3600);
	/* A lower configured cap. */
	p.account_hourly_max = 10;
	c.name_hour = 9;
	c.name_cap_at = 0;
	assert_int_equal(throttle_decide(&p, &c, T0, &retry), THROTTLE_ALLOW);
	c.name_hour = 10;
	c.name_cap_at = T0 - 3599;
	assert_int_equal(throttle_decide(&p, &c, T0, &retry), THROTTLE_CAP);
	assert_int_equal(retry, 1);
}

/* The failure that reaches a threshold or the cap is the lockout. */
static void
test_locks(void **state)
{
	struct throttle_params	 p = params();
	struct throttle_counts	 c;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.name = c.name_hour = 3;
	assert_false(throttle_locks(&p, &c));
	c.name = c.name_hour = 4;
	assert_true(throttle_locks(&p, &c));
	c.name = c.name_hour = 5;
	assert_false(throttle_locks(&p, &c));
	c.name = 2;
	c.name_hour = 99;
	assert_true(throttle_locks(&p, &c));
	assert_string_equal(throttle_reason(THROTTLE_CAP),
	    "the user name reached its hourly cap");
}

/*
 * One client, one key: an IPv6 host picks any address of its /64 (privacy
 * addresses do that by themselves), so failures count under the /64; an
 * IPv4 peer of a dual-stack socket counts as the IPv4 address it is.
 */
static void
test_address_key(void **state)
{
	char	 key[THROTTLE_ADDR_LEN];

	(void)state;
	assert_string_equal(throttle_client("192.0.2.7", key), "192.0.2.7");
	assert_string_equal(throttle_client("::ffff:192.0.2.7", key),
	    "192.0.2.7");
	assert_string_equal(throttle_client("2001:db8:0:1::5", key),
	    "2001:db8:0:1::/64");
	assert_string_equal(throttle_client("2001:0DB8:0000:0001:ffff:"
	    "ffff:ffff:ffff", key), "2001:db8:0:1::/64");
	assert_string_equal(throttle_client("2001:db8:0:2::5", key),
	    "2001:db8:0:2::/64");
	assert_string_equal(throttle_client("::1", key), "::/64");
	/* What is not an address stays as it is ("-": none known). */
	assert_string_equal(throttle_client("-", key), "-");
	assert_string_equal(throttle_client("fe80::1%eth0", key),
	    "fe80::1%eth0");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delay),
		cmocka_unit_test(test_later_failures_below_threshold),
		cmocka_unit_test(test_allow_below_threshold),
		cmocka_unit_test(test_account_backoff),
		cmocka_unit_test(test_clean_address_passes_lock),
		cmocka_unit_test(test_address_backoff),
		cmocka_unit_test(test_hourly_cap),
		cmocka_unit_test(test_cap_retry),
		cmocka_unit_test(test_locks),
		cmocka_unit_test(test_address_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
