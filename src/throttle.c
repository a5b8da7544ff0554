/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Login throttling: given how many logins failed lately for a user name
 * and from a client address, the time, and [throttle], may this attempt
 * go on to the password check, and if not, for how long must the client
 * wait? Nothing here knows of HTTP or of the store; auth_login counts,
 * asks, and answers 429 with Retry-After.
 *
 * The rule, as gatehouse.conf(5) states it:
 *
 *   - No more than account_hourly_max failures per user name in any hour
 *     (ASVS 4.0.3 2.2.1 asks for at most 100): past that, every attempt
 *     for the name is refused until the oldest of them is an hour old.
 *   - An address with address_threshold failures in the window backs off:
 *     it waits backoff_base after its last failure, twice as long after
 *     each further one, at most backoff_max.
 *   - A name with account_threshold failures in the window is locked the
 *     same way, except for an address with no failure in the window: the
 *     owner, from a clean address, can still log in while a stranger
 *     hammers the account. Their correct password clears the name's
 *     failures (not the address's: a client must not wash its own record
 *     by logging in to an account of its own between guesses).
 *
 * A name is counted whether or not an account has it, so that the answer
 * for an unknown name is the same as for a real one (F10).
 *
 * An address is counted as the client it stands for (throttle_client):
 * an IPv6 host is given a whole /64 and may use any address of it, so
 * its failures count under the /64, or one host could pass for as many
 * clean addresses as it likes.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "gatehouse.h"

#define HOUR	3600

/*
 * The wait after the last of "failures" failures when "threshold" of
 * them start the back-off: 0 below it, backoff_base at it, doubling with
 * each one after, never above backoff_max.
 */
long long
throttle_delay(const struct throttle_params *p, unsigned int failures,
    unsigned int threshold)
{
	long long	 delay;
	unsigned int	 i;

	if (failures < threshold)
		return 0;
	delay = p->backoff_base;
	for (i = threshold; i < failures && delay < p->backoff_max; i++)
		delay *= 2;
	return delay < p->backoff_max ? delay : p->backoff_max;
}

/*
 * Seconds left until "last" + "delay", or 0 once that has passed. No
 * delay is no wait: "last" may be later than "now", since a request
 * that took the time before another recorded its attempt can be
 * counted after it, and a count below the threshold must not turn
 * that second into a back-off.
 */
static long long
left(int64_t last, long long delay, int64_t now)
{
	long long	 wait = (long long)(last - now) + delay;

	return delay > 0 && wait > 0 ? wait : 0;
}

/*
 * May an attempt with counts "c" go on at "now"? Returns THROTTLE_ALLOW,
 * or why not with "*retry" set to the seconds to wait (at least 1).
 */
enum throttle_verdict
throttle_decide(const struct throttle_params *p,
    const struct throttle_counts *c, int64_t now, long long *retry)
{
	long long	 wait;

	*retry = 0;

	/* The hard cap: no exception, not even a clean address. */
	if (c->name_hour >= p->account_hourly_max) {
		wait = left(c->name_cap_at, HOUR, now);
		*retry = wait < 1 ? 1 : wait > HOUR ? HOUR : wait;
		return THROTTLE_CAP;
	}

	wait = left(c->addr_last, throttle_delay(p, c->addr,
	    p->address_threshold), now);
	if (wait > 0) {
		*retry = wait;
		return THROTTLE_ADDRESS;
	}

	/* A locked name, unless the address has no failure in the window. */
	wait = left(c->name_last, throttle_delay(p, c->name,
	    p->account_threshold), now);
	if (wait > 0 && c->addr > 0) {
		*retry = wait;
		return THROTTLE_ACCOUNT;
	}
	return THROTTLE_ALLOW;
}

/*
 * Would one more failure, on top of "c", lock the name: reach the back-off
 * threshold or the hourly cap? For the audit trail's lockout event.
 */
int
throttle_locks(const struct throttle_params *p,
    const struct throttle_counts *c)
{
	return c->name + 1 == p->account_threshold ||
	    c->name_hour + 1 == p->account_hourly_max;
}

/* The name of a verdict, for the log. */
const char *
throttle_reason(enum throttle_verdict v)
{
	switch (v) {
	case THROTTLE_ALLOW:
		return "allowed";
	case THROTTLE_ADDRESS:
		return "the address is backing off";
	case THROTTLE_ACCOUNT:
		return "the user name is locked";
	case THROTTLE_CAP:
		return "the user name reached its hourly cap";
	}
	return "?";
}

/*
 * The key the failures from client address "addr" are counted under:
 * an IPv4 address as it is (also one a dual-stack socket reported
 * IPv4-mapped), an IPv6 address as its /64 ("2001:db8:0:1::/64"), and
 * anything else as it is. Returns "addr" or "key".
 */
const char *
throttle_client(const char *addr, char key[THROTTLE_ADDR_LEN])
{
	static const unsigned char	 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0,
					    0, 0, 0xff, 0xff };
	unsigned char			 a[16];
	char				 text[INET6_ADDRSTRLEN];

	if (inet_pton(AF_INET6, addr, a) != 1)
		return addr;
	if (memcmp(a, mapped, sizeof(mapped)) == 0) {
		if (inet_ntop(AF_INET, a + 12, key, THROTTLE_ADDR_LEN) ==
		    NULL)
			return addr;
		return key;
	}
	memset(a + 8, 0, 8);
	if (inet_ntop(AF_INET6, a, text, sizeof(text)) == NULL)
		return addr;
	snprintf(key, THROTTLE_ADDR_LEN, "%s/64", text);
	return key;
}
