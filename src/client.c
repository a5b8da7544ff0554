/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * How a session's client is described to its user on GET /sessions:
 * the address it logged in from, and a few words for its browser and
 * system, such as "Firefox on Linux", so that a user can tell their
 * laptop from their phone, and both from a stranger.
 *
 * The words are picked from the fixed lists below, never copied from
 * the User-Agent header: whatever a client sends, the store and the
 * page only ever hold one of these names. The header is easy to forge,
 * so the summary is a hint for the user, not evidence.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "gatehouse.h"

/*
 * Browsers by a token of their User-Agent, first match wins: Chromium's
 * relatives all say "Chrome/" and "Safari/" too, and Chrome says
 * "Safari/", so the more particular come first.
 */
static const struct {
	const char	*token;
	const char	*name;
} browsers[] = {
	{ "Edg/", "Edge" },
	{ "EdgA/", "Edge" },
	{ "EdgiOS/", "Edge" },
	{ "OPR/", "Opera" },
	{ "SamsungBrowser/", "Samsung Internet" },
	{ "Vivaldi/", "Vivaldi" },
	{ "Firefox/", "Firefox" },
	{ "FxiOS/", "Firefox" },
	{ "Chromium/", "Chromium" },
	{ "Chrome/", "Chrome" },
	{ "CriOS/", "Chrome" },
	{ "Safari/", "Safari" },
	{ "curl/", "curl" },
	{ "Wget/", "Wget" },
	{ "python-requests/", "Python" },
	{ "Python-urllib/", "Python" },
};

/* Systems likewise: Android says "Linux", ChromeOS "X11". */
static const struct {
	const char	*token;
	const char	*name;
} systems[] = {
	{ "Android", "Android" },
	{ "iPhone", "iOS" },
	{ "iPad", "iPadOS" },
	{ "iPod", "iOS" },
	{ "CrOS", "ChromeOS" },
	{ "Windows", "Windows" },
	{ "Macintosh", "macOS" },
	{ "Mac OS X", "macOS" },
	{ "FreeBSD", "FreeBSD" },
	{ "OpenBSD", "OpenBSD" },
	{ "NetBSD", "NetBSD" },
	{ "Linux", "Linux" },
	{ "X11", "Unix" },
};

#define NBROWSERS	(sizeof(browsers) / sizeof(browsers[0]))
#define NSYSTEMS	(sizeof(systems) / sizeof(systems[0]))

/*
 * A summary of User-Agent "ua" ("" when not sent) in "out": "Firefox on
 * Linux", "curl", "Unknown browser on Windows", "Unknown browser".
 */
void
client_agent(const char *ua, char out[CLIENT_AGENT_MAX])
{
	const char	*browser = "Unknown browser", *system = NULL;
	size_t		 i;

	for (i = 0; i < NBROWSERS; i++)
		if (strstr(ua, browsers[i].token) != NULL) {
			browser = browsers[i].name;
			break;
		}
	for (i = 0; i < NSYSTEMS; i++)
		if (strstr(ua, systems[i].token) != NULL) {
			system = systems[i].name;
			break;
		}
	/* The longest pair fits: both lists are of short names. */
	if (system != NULL)
		snprintf(out, CLIENT_AGENT_MAX, "%s on %s", browser, system);
	else
		snprintf(out, CLIENT_AGENT_MAX, "%s", browser);
}

/*
 * The client address "addr" (the request's client_addr: REMOTE_ADDR, or
 * what a trusted proxy says) as shown: kept if it looks like an IPv4 or
 * IPv6 address in text, else "" (a Unix socket's path, or nothing). It
 * is checked all the same before it is stored.
 */
void
client_address(const char *addr, char out[CLIENT_ADDRESS_MAX])
{
	size_t	 len = strlen(addr);

	out[0] = '\0';
	if (len == 0 || len >= CLIENT_ADDRESS_MAX ||
	    strspn(addr, "0123456789abcdefABCDEF.:") != len)
		return;
	memcpy(out, addr, len + 1);
}
