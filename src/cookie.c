/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * The Cookie request header in, Set-Cookie response headers out.
 *
 * Parsing is lenient on purpose: other applications on the same domain
 * set cookies that break RFC 6265's grammar (JSON values, spaces or ':'
 * in names), and a parser that gives up on the whole header at the first
 * odd pair loses our session cookie with it. So each pair stands alone.
 *
 * Writing is strict: every byte of a name, value and path is checked
 * against RFC 6265 section 4.1.1 before it is emitted, so no configured
 * or computed string can smuggle attributes into a Set-Cookie header
 * (CVE-2024-47764 in a widely used serializer).
 */
#include "config.h"

#include <string.h>

#include "gatehouse.h"

static const char	*trim(const char *, const char **);

static const char *const same_site_names[SAME_SITE__MAX] = {
	"Lax",		/* SAME_SITE_LAX */
	"Strict",	/* SAME_SITE_STRICT */
};

/* Skip SP and HTAB at both ends of [s, *end); returns the new start. */
static const char *
trim(const char *s, const char **end)
{
	while (s < *end && (*s == ' ' || *s == '\t'))
		s++;
	while (*end > s && ((*end)[-1] == ' ' || (*end)[-1] == '\t'))
		(*end)--;
	return s;
}

/*
 * Parse a Cookie header value of "len" bytes into "out" (initialised by
 * the caller, who frees it). The rule: split on ';', split each piece at
 * its first '=', trim SP and HTAB around name and value, keep the value
 * raw (no quote stripping, no percent-decoding). A piece without '=' or
 * with an empty name is skipped, never taken for a named cookie. Order
 * and duplicates are kept: see auth.c for how duplicates are treated.
 * Returns 0, or -1 out of memory.
 */
int
cookie_parse(const char *hdr, size_t len, struct fields *out)
{
	const char	*p = hdr, *end = hdr + len, *semi, *eq;
	const char	*name, *name_end, *value, *value_end;

	while (p < end) {
		if ((semi = memchr(p, ';', (size_t)(end - p))) == NULL)
			semi = end;
		eq = memchr(p, '=', (size_t)(semi - p));
		if (eq != NULL) {
			name_end = eq;
			name = trim(p, &name_end);
			value_end = semi;
			value = trim(eq + 1, &value_end);
			if (name < name_end && fields_add(out, name,
			    (size_t)(name_end - name), value,
			    (size_t)(value_end - value)) == -1)
				return -1;
		}
		p = semi + 1;
	}
	return 0;
}

/* Is "s" an RFC 7230 token, as RFC 6265 requires of a cookie name? */
int
cookie_name_valid(const char *s)
{
	static const char	 tchar[] = "!#$%&'*+-.^_`|~";
	unsigned char		 c;

	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr(tchar, c) != NULL))
			return 0;
	}
	return 1;
}

/*
 * Is every byte of "s" a cookie-octet (RFC 6265 section 4.1.1): printable
 * US-ASCII but for space, '"', ',', ';' and '\'? May be empty.
 */
int
cookie_value_valid(const char *s)
{
	unsigned char	 c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c < 0x21 || c > 0x7e || c == '"' || c == ',' ||
		    c == ';' || c == '\\')
			return 0;
	}
	return 1;
}

/*
 * Is "s" a usable Path attribute: starting with '/', printable ASCII
 * without ';' (which would end the attribute) and without space?
 */
int
cookie_path_valid(const char *s)
{
	if (*s != '/')
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f ||
		    *s == ';')
			return 0;
	return 1;
}

/*
 * Append the value of a Set-Cookie header for "c" to "out". A zero
 * max_age also sends an Expires in the past, for clients that ignore
 * Max-Age. Returns 0, or -1 if a part is invalid (nothing is appended
 * then) or memory ran out.
 */
int
cookie_format(struct buf *out, const struct set_cookie *c)
{
	if (!cookie_name_valid(c->name) || !cookie_value_valid(c->value) ||
	    !cookie_path_valid(c->path) || c->max_age < 0 ||
	    c->same_site < 0 || c->same_site >= SAME_SITE__MAX)
		return -1;

	buf_printf(out, "%s=%s; Path=%s; Max-Age=%lld", c->name, c->value,
	    c->path, c->max_age);
	if (c->max_age == 0)
		buf_adds(out, "; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
	if (c->secure)
		buf_adds(out, "; Secure");
	if (c->http_only)
		buf_adds(out, "; HttpOnly");
	buf_printf(out, "; SameSite=%s", same_site_names[c->same_site]);
	return out->oom ? -1 : 0;
}
