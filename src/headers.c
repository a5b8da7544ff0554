/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * The security headers every answer carries. They are added here, once,
 * after the handler ran and just before the response is written, so no
 * path (an error page, a redirect, a 404) can forget them.
 *
 * Every answer Gatehouse itself produces depends on a session or on a
 * login, so all are marked Cache-Control: no-store: a shared cache must
 * never hand one user's page to another, and "back" after logout must not
 * show a protected page from the browser's cache.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "gatehouse.h"

enum security_header {
	SECURITY_CSP,
	SECURITY_FRAME_OPTIONS,
	SECURITY_CONTENT_TYPE_OPTIONS,
	SECURITY_REFERRER_POLICY,
	SECURITY_HSTS,
	SECURITY_CACHE_CONTROL,
	SECURITY__MAX
};

static const struct {
	const char	*name;
	const char	*value;
	int		 https_only;
} security_headers[SECURITY__MAX] = {
	/*
	 * Only our own origin may supply anything, and nobody may frame
	 * us (clickjacking of the login form). Pages carry no inline script
	 * or style, so nothing needs 'unsafe-inline'.
	 */
	{ "Content-Security-Policy", "default-src 'self'; base-uri 'none'; "
	    "form-action 'self'; frame-ancestors 'none'; object-src 'none'",
	    0 },
	/* For browsers older than CSP frame-ancestors. */
	{ "X-Frame-Options", "DENY", 0 },
	{ "X-Content-Type-Options", "nosniff", 0 },
	/* A "next" path or a page name should not leak to other sites. */
	{ "Referrer-Policy", "no-referrer", 0 },
	/*
	 * RFC 6797 section 7.2: only over a secure transport. Without
	 * includeSubDomains, so a site whose other hosts still speak plain
	 * http is not cut off from them.
	 */
	{ "Strict-Transport-Security", "max-age=31536000", 1 },
	{ "Cache-Control", "no-store", 0 },
};

/*
 * Add each security header "r" does not have yet; HSTS only when the
 * request came over HTTPS. A failure marks the response failed.
 */
void
headers_apply(struct response *r, const struct request *req)
{
	size_t	 h, len;
	int	 i, have[SECURITY__MAX] = { 0 };

	/* One pass over what the handler set: runs for every answer. */
	for (h = 0; h < r->nheaders; h++) {
		len = strlen(r->headers[h].name);
		for (i = 0; i < SECURITY__MAX; i++)
			if (len == strlen(security_headers[i].name) &&
			    strcasecmp(r->headers[h].name,
			    security_headers[i].name) == 0)
				have[i] = 1;
	}
	for (i = 0; i < SECURITY__MAX; i++) {
		if (have[i] || (security_headers[i].https_only &&
		    (req == NULL || !req->https)))
			continue;
		response_header_const(r, security_headers[i].name,
		    security_headers[i].value);
	}
}
