/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Unit tests for client.c: real User-Agent headers and the few words
 * each becomes, hostile ones that must not leak into the summary, and
 * the client addresses that are kept.
 */
#include "config.h"

#include <string.h>

#include "gatehouse.h"
#include "testlib.h"

static void
agent_is(const char *ua, const char *want)
{
	char	 out[CLIENT_AGENT_MAX];

	memset(out, 'x', sizeof(out));
	client_agent(ua, out);
	assert_string_equal(out, want);
}

static void
test_browsers(void **state)
{
	(void)state;
	agent_is("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 "
	    "Firefox/128.0", "Firefox on Linux");
	agent_is("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
	    "Chrome on Windows");
	agent_is("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 "
	    "Edg/120.0.2210.91", "Edge on Windows");
	agent_is("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) "
	    "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 "
	    "Safari/605.1.15", "Safari on macOS");
	agent_is("Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) "
	    "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 "
	    "Mobile/15E148 Safari/604.1", "Safari on iOS");
	agent_is("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
	    "Chrome on Android");
	agent_is("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
	    "Chrome on ChromeOS");
	agent_is("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, "
	    "like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
	    "Chrome on Linux");
	agent_is("curl/7.88.1", "curl");
	agent_is("", "Unknown browser");
	agent_is("Mozilla/5.0 (Windows NT 10.0)", "Unknown browser on Windows");
}

/*
 * Nothing of the header itself is kept: markup, a very long header, or
 * one made of every token still give one of the fixed names.
 */
static void
test_hostile(void **state)
{
	char	 ua[4096];

	(void)state;
	agent_is("<script>alert(1)</script> Firefox/1 \"Linux\"",
	    "Firefox on Linux");
	memset(ua, 'A', sizeof(ua) - 1);
	ua[sizeof(ua) - 1] = '\0';
	agent_is(ua, "Unknown browser");
	agent_is("SamsungBrowser/1 CrOS Android", "Samsung Internet on "
	    "Android");
}

static void
address_is(const char *addr, const char *want)
{
	char	 out[CLIENT_ADDRESS_MAX];

	memset(out, 'x', sizeof(out));
	client_address(addr, out);
	assert_string_equal(out, want);
}

static void
test_addresses(void **state)
{
	(void)state;
	address_is("192.0.2.7", "192.0.2.7");
	address_is("2001:db8::1", "2001:db8::1");
	address_is("::ffff:192.0.2.7", "::ffff:192.0.2.7");
	address_is("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255",
	    "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255");
	address_is("", "");
	address_is("/run/lighttpd.sock", "");
	address_is("192.0.2.7<b>", "");
	address_is("fe80::1%eth0", "");
	address_is("1111:2222:3333:4444:5555:6666:7777:8888:9999:0", "");
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(test_browsers),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_addresses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
