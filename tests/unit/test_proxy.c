/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Unit tests for proxy.c: address blocks, and whom a request comes from
 * when X-Forwarded-For, X-Forwarded-Proto or Forwarded arrive from a
 * trusted proxy, from an untrusted peer, or hold junk.
 */
#include "config.h"

#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "testlib.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Trusted in these tests: a loopback address and a private block. */
static struct netmask	 trusted_v[3];
static struct proxies	 trusted_px = { trusted_v, NELEM(trusted_v), 0 };

static int
setup(void **state)
{
	(void)state;
	if (netmask_parse("127.0.0.1", &trusted_v[0]) == -1 ||
	    netmask_parse("10.0.0.0/8", &trusted_v[1]) == -1 ||
	    netmask_parse("fd00::/8", &trusted_v[2]) == -1)
		return -1;
	return 0;
}

/*
 * Resolve a request from "peer" with the given headers (NULL: not
 * sent) and check the client and the HTTPS verdict.
 */
static void
expect(const char *peer, const char *xff, const char *xfp,
    const char *fwd, int use_forwarded, const char *client, int https)
{
	struct params	 p;

	memset(&p, 0, sizeof(p));
	p.remote_addr = peer;
	p.x_forwarded_for = xff;
	p.x_forwarded_proto = xfp;
	p.forwarded = fwd;
	trusted_px.use_forwarded = use_forwarded;
	proxy_resolve(&p, &trusted_px);
	if (client == NULL)
		assert_null(p.client_addr);
	else {
		assert_non_null(p.client_addr);
		if (strcmp(p.client_addr, client) != 0)
			fail_msg("peer %s, X-Forwarded-For %s, Forwarded %s: "
			    "client %s, want %s", peer, xff ? xff : "-",
			    fwd ? fwd : "-", p.client_addr, client);
	}
	assert_int_equal(p.forwarded_https, https);
	assert_int_equal(params_https(&p), https);
}

static void
test_netmask_parse(void **state)
{
	static const char *const good[] = {
		"127.0.0.1", "10.0.0.0/8", "0.0.0.0/0", "192.0.2.128/25",
		"::1", "2001:db8::/32", "::/0", "::ffff:192.0.2.1",
		"192.0.2.1/32", "2001:db8::1/128",
	};
	static const char *const bad[] = {
		"", "localhost", "10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/",
		"10.0.0.0/-1", "10.0.0.0/ 8", "2001:db8::/129", "1.2.3",
		"1.2.3.4.5", "::1/", "[::1]", "192.0.2.1:80", "10.0.0.0/8x",
		"2001:db8::1/64",
	};
	struct netmask	 m;
	size_t		 i;

	(void)state;
	for (i = 0; i < NELEM(good); i++)
		if (netmask_parse(good[i], &m) != 0)
			fail_msg("refused %s", good[i]);
	for (i = 0; i < NELEM(bad); i++)
		if (netmask_parse(bad[i], &m) != -1)
			fail_msg("accepted \"%s\"", bad[i]);

	/* An IPv4-mapped address is kept as the IPv4 one. */
	assert_int_equal(netmask_parse("::ffff:192.0.2.1", &m), 0);
	assert_int_equal(m.family, AF_INET);
	assert_int_equal(m.bits, 32);
	assert_memory_equal(m.bytes, "\xc0\x00\x02\x01", 4);
}

/* Nobody trusted, or an untrusted peer: the headers are not read. */
static void
test_untrusted_peer(void **state)
{
	struct params	 p;
	struct proxies	 none = { NULL, 0, 0 };

	(void)state;
	memset(&p, 0, sizeof(p));
	p.remote_addr = "127.0.0.1";
	p.x_forwarded_for = "198.51.100.7";
	p.x_forwarded_proto = "https";
	proxy_resolve(&p, &none);
	assert_string_equal(p.client_addr, "127.0.0.1");
	assert_int_equal(p.forwarded_https, 0);

	expect("192.0.2.9", "198.51.100.7", "https", NULL, 0, "192.0.2.9",
	    0);
	expect("192.0.2.9", NULL, NULL, "for=198.51.100.7;proto=https", 1,
	    "192.0.2.9", 0);
	/* 11.0.0.1 is just outside 10.0.0.0/8. */
	expect("11.0.0.1", "198.51.100.7", "https", NULL, 0, "11.0.0.1", 0);
	/* A peer address that is not an address trusts nobody. */
	expect("junk", "198.51.100.7", "https", NULL, 0, "junk", 0);
	expect(NULL, "198.51.100.7", "https", NULL, 0, NULL, 0);
}

/* From a trusted peer: the rightmost untrusted hop is the client. */
static void
test_x_forwarded_for(void **state)
{
	(void)state;
	expect("127.0.0.1", "198.51.100.7", NULL, NULL, 0, "198.51.100.7", 0);
	expect("127.0.0.1", " 198.51.100.7 ", "https", NULL, 0,
	    "198.51.100.7", 1);
	/* The client made up the leftmost entries: never believed. */
	expect("127.0.0.1", "203.0.113.66, 198.51.100.7", NULL, NULL, 0,
	    "198.51.100.7", 0);
	expect("127.0.0.1", "127.0.0.1, 198.51.100.7", NULL, NULL, 0,
	    "198.51.100.7", 0);
	/* A chain of trusted proxies is walked through. */
	expect("127.0.0.1", "203.0.113.66,198.51.100.7,10.1.2.3,10.9.9.9",
	    NULL, NULL, 0, "198.51.100.7", 0);
	/* All hops trusted: the leftmost one we reached. */
	expect("127.0.0.1", "10.1.2.3, 10.9.9.9", NULL, NULL, 0, "10.1.2.3",
	    0);
	/* Ports and brackets; IPv6 written canonically; mapped IPv4. */
	expect("127.0.0.1", "198.51.100.7:4711", NULL, NULL, 0,
	    "198.51.100.7", 0);
	expect("127.0.0.1", "[2001:DB8:0::1]:4711", NULL, NULL, 0,
	    "2001:db8::1", 0);
	expect("127.0.0.1", "2001:db8::1", NULL, NULL, 0, "2001:db8::1", 0);
	expect("::ffff:127.0.0.1", "::ffff:198.51.100.7", NULL, NULL, 0,
	    "198.51.100.7", 0);
	expect("fd00::5", "198.51.100.7", NULL, NULL, 0, "198.51.100.7", 0);
	/* Junk stops the walk at the last trusted hop. */
	expect("127.0.0.1", "unknown", NULL, NULL, 0, "127.0.0.1", 0);
	expect("127.0.0.1", "198.51.100.7, bogus, 10.1.2.3", NULL, NULL, 0,
	    "10.1.2.3", 0);
	expect("127.0.0.1", "198.51.100.7\n", NULL, NULL, 0, "127.0.0.1", 0);
	expect("127.0.0.1", "", NULL, NULL, 0, "127.0.0.1", 0);
	expect("127.0.0.1", ",,", NULL, NULL, 0, "127.0.0.1", 0);
	expect("127.0.0.1", "[::1", NULL, NULL, 0, "127.0.0.1", 0);
	expect("127.0.0.1", "[::1]x", NULL, NULL, 0, "127.0.0.1", 0);
	/* Forwarded is not read when X-Forwarded-For is the one in use. */
	expect("127.0.0.1", NULL, NULL, "for=198.51.100.7;proto=https", 0,
	    "127.0.0.1", 0);
}

/* Only the nearest hop's protocol counts, and only "https" exactly. */
static void
test_x_forwarded_proto(void **state)
{
	(void)state;
	expect("127.0.0.1", NULL, "https", NULL, 0, "127.0.0.1", 1);
	expect("127.0.0.1", NULL, "HTTPS", NULL, 0, "127.0.0.1", 1);
	expect("127.0.0.1", NULL, "http", NULL, 0, "127.0.0.1", 0);
	expect("127.0.0.1", NULL, "http, https", NULL, 0, "127.0.0.1", 1);
	expect("127.0.0.1", NULL, "https, http", NULL, 0, "127.0.0.1", 0);
	expect("127.0.0.1", NULL, "httpsx", NULL, 0, "127.0.0.1", 0);
	expect("127.0.0.1", NULL, "", NULL, 0, "127.0.0.1", 0);
}

/* RFC 7239 Forwarded, when proxy_header = forwarded. */
static void
test_forwarded(void **state)
{
	(void)state;
	expect("127.0.0.1", NULL, NULL, "for=198.51.100.7", 1,
	    "198.51.100.7", 0);
	expect("127.0.0.1", NULL, NULL, "for=198.51.100.7;proto=https", 1,
	    "198.51.100.7", 1);
	expect("127.0.0.1", NULL, NULL, "proto=https;FOR=198.51.100.7;"
	    "by=10.0.0.1", 1, "198.51.100.7", 1);
	expect("127.0.0.1", NULL, NULL,
	    "for=\"[2001:db8:cafe::17]:4711\";proto=http", 1,
	    "2001:db8:cafe::17", 0);
	/* The client's own element on the left is not believed. */
	expect("127.0.0.1", NULL, NULL, "for=203.0.113.66;proto=https, "
	    "for=198.51.100.7;proto=http", 1, "198.51.100.7", 0);
	expect("127.0.0.1", NULL, NULL, "for=198.51.100.7, for=10.1.1.1", 1,
	    "198.51.100.7", 0);
	/* Obfuscated and unknown names are not addresses. */
	expect("127.0.0.1", NULL, NULL, "for=unknown", 1, "127.0.0.1", 0);
	expect("127.0.0.1", NULL, NULL, "for=_hidden", 1, "127.0.0.1", 0);
	expect("127.0.0.1", NULL, NULL, "by=10.0.0.1", 1, "127.0.0.1", 0);
	/* X-Forwarded-For is not read when Forwarded is the one in use. */
	expect("127.0.0.1", "198.51.100.7", "https", NULL, 1, "127.0.0.1", 0);
}

/*
 * A proxy may put what the client sent (its Host) into a quoted value
 * of its own element: whatever that holds stays inside the quotes. It
 * cannot name the client, claim HTTPS, or end the element, and an
 * escaped quote in it does not close it.
 */
static void
test_forwarded_quoted(void **state)
{
	(void)state;
	expect("127.0.0.1", NULL, NULL, "host=\"a;for=192.0.2.66\";"
	    "for=198.51.100.7", 1, "198.51.100.7", 0);
	expect("127.0.0.1", NULL, NULL, "for=198.51.100.7;"
	    "host=\"a;proto=https\"", 1, "198.51.100.7", 0);
	expect("127.0.0.1", NULL, NULL, "for=198.51.100.7;"
	    "host=\"a, for=192.0.2.66;b\\\"c\"", 1, "198.51.100.7", 0);
	expect("127.0.0.1", NULL, NULL, "for=198.51.100.7;"
	    "host=\"a\\\\\";proto=https", 1, "198.51.100.7", 1);
	expect("127.0.0.1", NULL, NULL, "for=198.51.100.7; proto=\"https\"",
	    1, "198.51.100.7", 1);
	/* A parameter twice, or an open quote: the element is not believed. */
	expect("127.0.0.1", NULL, NULL, "for=192.0.2.66;for=198.51.100.7", 1,
	    "127.0.0.1", 0);
	expect("127.0.0.1", NULL, NULL, "for=198.51.100.7;proto=http;"
	    "proto=https", 1, "127.0.0.1", 0);
	expect("127.0.0.1", NULL, NULL, "for=198.51.100.7;host=\"a", 1,
	    "127.0.0.1", 0);
	/* The client's open quote on the left spoils only its own part. */
	expect("127.0.0.1", NULL, NULL, "for=\"x, for=198.51.100.7", 1,
	    "198.51.100.7", 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_netmask_parse),
		cmocka_unit_test(test_untrusted_peer),
		cmocka_unit_test(test_x_forwarded_for),
		cmocka_unit_test(test_x_forwarded_proto),
		cmocka_unit_test(test_forwarded),
		cmocka_unit_test(test_forwarded_quoted),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
