/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * The security headers every answer carries, and the policy that says
 * which. They are added here, once, after the handler ran and just
 * before the response is written, so no path (an error page, a
 * redirect, a 404) can forget them.
 *
 * The policy comes from the [headers] section of the configuration and
 * from [headers "/path"] sections that override it below a path. It is
 * checked and turned into one finished list of (name, value) pairs per
 * path at start, so that headers_apply, which runs for every answer,
 * only picks a list and copies pointers.
 *
 * Every answer Gatehouse itself produces depends on a session or on a
 * login, so all are marked Cache-Control: no-store: a shared cache must
 * never hand one user's page to another, and "back" after logout must not
 * show a protected page from the browser's cache. That one is not
 * configurable.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gatehouse.h"

/* The settings that name one header each, plus "frame". */
enum hkey {
	HKEY_CSP,
	HKEY_COOP,
	HKEY_CORP,
	HKEY_OAC,
	HKEY_PERMISSIONS,
	HKEY_REFERRER,
	HKEY_NOSNIFF,
	HKEY_DNS_PREFETCH,
	HKEY_DOWNLOAD,
	HKEY_CROSS_DOMAIN,
	HKEY_XSS,
	HKEY_FRAME,		/* X-Frame-Options and frame-ancestors */
	HKEY__MAX
};

/*
 * Names, and the defaults: helmet's, made stricter where that breaks
 * nothing of ours. Our pages carry no inline script or style, so the CSP
 * needs no 'unsafe-inline'; nothing of ours is meant to be framed; the
 * Permissions-Policy turns off what a login page never needs (only
 * features Chromium knows, since it warns on the console of any other).
 * upgrade-insecure-requests is left out: over HTTPS our links are all
 * relative already, and over plain http (the demo) it would break them.
 */
static const struct {
	const char	*key;		/* in the configuration */
	const char	*name;		/* the header; NULL for frame */
	const char	*value;		/* the default */
} hkeys[HKEY__MAX] = {
	{ "content_security_policy", "Content-Security-Policy",
	    "default-src 'self'; base-uri 'none'; form-action 'self'; "
	    "object-src 'none'" },
	{ "cross_origin_opener_policy", "Cross-Origin-Opener-Policy",
	    "same-origin" },
	{ "cross_origin_resource_policy", "Cross-Origin-Resource-Policy",
	    "same-origin" },
	{ "origin_agent_cluster", "Origin-Agent-Cluster", "?1" },
	{ "permissions_policy", "Permissions-Policy",
	    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
	    "magnetometer=(), microphone=(), payment=(), usb=()" },
	/* A "next" path or a page name should not leak to other sites. */
	{ "referrer_policy", "Referrer-Policy", "no-referrer" },
	{ "x_content_type_options", "X-Content-Type-Options", "nosniff" },
	{ "x_dns_prefetch_control", "X-DNS-Prefetch-Control", "off" },
	{ "x_download_options", "X-Download-Options", "noopen" },
	{ "x_permitted_cross_domain_policies",
	    "X-Permitted-Cross-Domain-Policies", "none" },
	/*
	 * "0": the filter of old browsers could itself be abused to cut
	 * scripts out of a page; the CSP does its job properly.
	 */
	{ "x_xss_protection", "X-XSS-Protection", "0" },
	{ "frame", NULL, "deny" },
};

#define HEADER_VALUE_MAX	4096	/* bytes of one configured value */
#define HSTS_MAX_AGE_MAX	(730LL * 86400)
#define HSTS_PRELOAD_MIN	(365LL * 86400)	/* hstspreload.org's rule */

/*
 * The pages that must not be framed whatever [headers] or a wider
 * override says: only a section for exactly that path may allow it.
 */
static const char *const login_paths[] = { "/login", "/logout" };

/* One [headers] or [headers "/path"] section as the file wrote it. */
struct hsection {
	char		*path;		/* NULL for [headers] */
	size_t		 pathlen;
	char		*value[HKEY__MAX];	/* NULL: not set here;
						   "": send no header */
};

/* One header to send: the name is static, the value the policy's. */
struct hline {
	const char	*name;
	size_t		 namelen;
	char		*value;
	int		 https_only;
};

#define HLINES_MAX	16

/* What every answer below one path gets, ready to copy. */
struct hrule {
	char		*path;		/* "" for the whole site */
	size_t		 pathlen;
	struct hline	 lines[HLINES_MAX];
	size_t		 n;
};

struct header_policy {
	struct hsection	*sections;	/* [0] is [headers] */
	size_t		 nsections;

	long long	 hsts_max_age;	/* -1: send no HSTS */
	int		 hsts_subdomains;
	int		 hsts_preload;
	int		 hsts_line[3];	/* max_age, subdomains, preload */
	unsigned int	 hsts_seen;	/* a bit each, in that order */

	struct hrule	*rules;		/* longest path first, "" last */
	size_t		 nrules;
};

static int	 value_valid(const char *, char *, size_t);
static int	 origin_valid(const char *, size_t);
static int	 frame_parse(const char *, const char **, char **, char *,
		    size_t);
static int	 bool_parse(const char *, int *);
static int	 hsts_set(struct header_policy *, const char *, const char *,
		    int, char *, size_t);
static struct hsection *
		 section_get(struct header_policy *, const char *, size_t);
static int	 covers(const char *, size_t, const char *);
static int	 by_length(const void *, const void *);
static int	 rule_build(const struct header_policy *, const char *,
		    struct hrule *, char *, size_t);
static int	 rule_add(struct hrule *, const char *, const char *, int);
static int	 add_login_sections(struct header_policy *);

/*
 * Is "section" one of ours? Returns 1 for [headers] ("*path" NULL) and
 * for [headers "/path"] ("*path" and "*len" the path, not copied), 0 for
 * any other section, and -1 for one that starts like ours but is not
 * well formed, with the reason in "err".
 */
int
headers_section(const char *section, const char **path, size_t *len,
    char *err, size_t errlen)
{
	const char	*p, *q;

	*path = NULL;
	*len = 0;
	if (strcmp(section, "headers") == 0)
		return 1;
	if (strncmp(section, "headers ", 8) != 0)
		return 0;
	p = section + 8;
	q = p + strlen(p);
	if (*p != '"' || q - p < 3 || q[-1] != '"' || p[1] != '/') {
		snprintf(err, errlen, "a path override is written "
		    "[headers \"/path/\"], the path starting with '/'");
		return -1;
	}
	for (p++, q--; p + *len < q; (*len)++)
		if (p[*len] <= ' ' || p[*len] > '~' || p[*len] == '"' ||
		    p[*len] == '\\') {
			snprintf(err, errlen, "the path may hold only "
			    "printable ASCII, without space, '\"' or '\\'");
			return -1;
		}
	*path = p;
	return 1;
}

/*
 * A header value from the configuration: printable ASCII only, which
 * rules out CR and LF (a value that could start another header) and
 * bytes a client might read in another character set. 1 or 0.
 */
static int
value_valid(const char *v, char *err, size_t errlen)
{
	const unsigned char	*p;

	if (strlen(v) > HEADER_VALUE_MAX) {
		snprintf(err, errlen, "longer than %d bytes",
		    HEADER_VALUE_MAX);
		return 0;
	}
	for (p = (const unsigned char *)v; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e) {
			snprintf(err, errlen, "byte 0x%02x at %zu: only "
			    "printable ASCII is allowed (no control "
			    "character, no CR or LF, no UTF-8)", *p,
			    (size_t)(p - (const unsigned char *)v) + 1);
			return 0;
		}
	return 1;
}

/*
 * Is the "len" bytes at "s" an origin, scheme://host[:port], as a CSP
 * host-source may name one (CSP3 section 2.3.1)? http or https only; the
 * host a DNS name whose first label may be "*", an IPv4 address or an
 * IPv6 one in brackets; no path. 1 or 0.
 */
static int
origin_valid(const char *s, size_t len)
{
	const char	*p = s, *end = s + len, *label;
	unsigned long	 port = 0;

	if (len > 7 && strncmp(p, "http://", 7) == 0)
		p += 7;
	else if (len > 8 && strncmp(p, "https://", 8) == 0)
		p += 8;
	else
		return 0;

	if (*p == '[') {
		for (p++; p < end && (isxdigit((unsigned char)*p) ||
		    *p == ':' || *p == '.'); p++)
			;
		if (p >= end || *p != ']' || p[-1] == '[')
			return 0;
		p++;
	} else {
		if (end - p >= 2 && p[0] == '*' && p[1] == '.')
			p += 2;
		for (;;) {
			label = p;
			while (p < end && (isalnum((unsigned char)*p) ||
			    *p == '-'))
				p++;
			if (p == label || p - label > 63 || *label == '-' ||
			    p[-1] == '-')
				return 0;
			if (p == end || *p != '.')
				break;
			p++;
		}
	}

	if (p == end)
		return 1;
	if (*p++ != ':' || p == end)
		return 0;
	for (; p < end; p++) {
		if (!isdigit((unsigned char)*p))
			return 0;
		port = port * 10 + (unsigned long)(*p - '0');
		if (port > 65535)
			return 0;
	}
	return port > 0;
}

/*
 * "frame": deny, sameorigin, nothing, or a list of origins that may frame
 * us, "sameorigin" among them if we may too. Sets "*xfo" to the value of
 * X-Frame-Options (NULL: none) and "*ancestors" to that of CSP
 * frame-ancestors (NULL: none; to be freed). X-Frame-Options has no way
 * to name other origins: its ALLOW-FROM was never in Chrome or Safari and
 * is gone from Firefox, which then ignore the whole header, so a list
 * goes to frame-ancestors alone. Returns 0, or -1 with "err" filled.
 */
static int
frame_parse(const char *v, const char **xfo, char **ancestors, char *err,
    size_t errlen)
{
	struct buf	 b;
	const char	*p = v;
	size_t		 len, words = 0;
	int		 self = 0;

	*xfo = NULL;
	*ancestors = NULL;
	if (strcmp(v, "deny") == 0) {
		*xfo = "DENY";
		return (*ancestors = strdup("'none'")) == NULL ? -1 : 0;
	}
	buf_init(&b);
	while (*(p += strspn(p, " \t")) != '\0') {
		len = strcspn(p, " \t");
		if (len == 10 && strncmp(p, "sameorigin", len) == 0)
			self = 1;
		else if (len == 4 && strncmp(p, "deny", len) == 0) {
			snprintf(err, errlen, "deny stands alone");
			buf_free(&b);
			return -1;
		} else if (!origin_valid(p, len)) {
			snprintf(err, errlen, "\"%.*s\" is not deny, "
			    "sameorigin or an origin such as "
			    "https://example.org:8443", (int)(len > 80 ? 80 :
			    len), p);
			buf_free(&b);
			return -1;
		} else
			buf_printf(&b, " %.*s", (int)len, p);
		words++;
		p += len;
	}
	if (words == 0) {
		buf_free(&b);
		return 0;
	}
	if (self && words == 1)
		*xfo = "SAMEORIGIN";
	if (!b.oom && asprintf(ancestors, "%s%s", self ? "'self'" : "",
	    b.data != NULL ? b.data + (self ? 0 : 1) : "") == -1)
		*ancestors = NULL;
	buf_free(&b);
	return *ancestors == NULL ? -1 : 0;
}

/* yes/no in the spellings config.c takes. 0, or -1 for anything else. */
static int
bool_parse(const char *v, int *out)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 ||
	    strcmp(v, "on") == 0 || strcmp(v, "1") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 ||
	    strcmp(v, "off") == 0 || strcmp(v, "0") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

/*
 * The three HSTS settings, which only [headers] takes: the header is
 * about the whole host. Returns 0, -1 with "err" filled, or -2 if "key"
 * is not one of them.
 */
static int
hsts_set(struct header_policy *pol, const char *key, const char *v,
    int line, char *err, size_t errlen)
{
	long long	 secs;
	int		 i;

	if (strcmp(key, "hsts_max_age") == 0)
		i = 0;
	else if (strcmp(key, "hsts_include_subdomains") == 0)
		i = 1;
	else if (strcmp(key, "hsts_preload") == 0)
		i = 2;
	else
		return -2;
	if (pol->hsts_seen & (1U << i)) {
		snprintf(err, errlen, "set twice");
		return -1;
	}
	pol->hsts_seen |= 1U << i;
	pol->hsts_line[i] = line;

	if (i == 0 && *v == '\0')
		pol->hsts_max_age = -1;
	else if (i == 0) {
		if (parse_duration(v, &secs) == -1 || secs >
		    HSTS_MAX_AGE_MAX) {
			snprintf(err, errlen, "\"%.40s\" is not empty or a "
			    "duration from 0s to 730d (a number with s, m, "
			    "h or d)", v);
			return -1;
		}
		pol->hsts_max_age = secs;
	} else if (bool_parse(v, i == 1 ? &pol->hsts_subdomains :
	    &pol->hsts_preload) == -1) {
		snprintf(err, errlen, "\"%.40s\" is not yes or no", v);
		return -1;
	}
	return 0;
}

/* The section for "path" ("len" bytes; NULL: [headers]), made if new. */
static struct hsection *
section_get(struct header_policy *pol, const char *path, size_t len)
{
	struct hsection	*s;
	size_t		 i;

	for (i = 0; i < pol->nsections; i++) {
		s = &pol->sections[i];
		if ((path == NULL && s->path == NULL) || (path != NULL &&
		    s->path != NULL && s->pathlen == len &&
		    memcmp(s->path, path, len) == 0))
			return s;
	}
	if ((s = reallocarray(pol->sections, pol->nsections + 1,
	    sizeof(*s))) == NULL)
		return NULL;
	pol->sections = s;
	s = &pol->sections[pol->nsections];
	memset(s, 0, sizeof(*s));
	if (path != NULL) {
		if ((s->path = strndup(path, len)) == NULL)
			return NULL;
		s->pathlen = len;
	}
	pol->nsections++;
	return s;
}

/*
 * A policy with nothing set: every header at its default. Returns NULL
 * when out of memory. Free with headers_policy_free.
 */
struct header_policy *
headers_policy_new(void)
{
	struct header_policy	*pol;

	if ((pol = calloc(1, sizeof(*pol))) == NULL)
		return NULL;
	/* RFC 6797 section 11.2 suggests a long one: a year. */
	pol->hsts_max_age = 365LL * 86400;
	if (section_get(pol, NULL, 0) == NULL) {
		headers_policy_free(pol);
		return NULL;
	}
	return pol;
}

void
headers_policy_free(struct header_policy *pol)
{
	size_t	 i, j;

	if (pol == NULL)
		return;
	for (i = 0; i < pol->nsections; i++) {
		free(pol->sections[i].path);
		for (j = 0; j < HKEY__MAX; j++)
			free(pol->sections[i].value[j]);
	}
	free(pol->sections);
	for (i = 0; i < pol->nrules; i++) {
		free(pol->rules[i].path);
		for (j = 0; j < pol->rules[i].n; j++)
			free(pol->rules[i].lines[j].value);
	}
	free(pol->rules);
	free(pol);
}

/*
 * One "key = value" line of a section headers_section accepted, found on
 * line "line". Returns 0; -1 with the reason in "err" (without the
 * section and key, which the caller names); -2 for an unknown key.
 */
int
headers_policy_set(struct header_policy *pol, const char *section,
    const char *key, const char *value, int line, char *err, size_t errlen)
{
	struct hsection	*s;
	const char	*path, *xfo;
	char		*ancestors;
	size_t		 len;
	int		 i, rc;

	if (headers_section(section, &path, &len, err, errlen) != 1)
		return -1;
	if (path == NULL && (rc = hsts_set(pol, key, value, line, err,
	    errlen)) != -2)
		return rc;
	for (i = 0; i < HKEY__MAX; i++)
		if (strcmp(hkeys[i].key, key) == 0)
			break;
	if (i == HKEY__MAX) {
		if (path != NULL && strncmp(key, "hsts_", 5) == 0) {
			snprintf(err, errlen, "only [headers] takes it: "
			    "HSTS is about the whole host");
			return -1;
		}
		return -2;
	}
	if ((s = section_get(pol, path, len)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (s->value[i] != NULL) {
		snprintf(err, errlen, "set twice");
		return -1;
	}
	if (!value_valid(value, err, errlen))
		return -1;

	if (i == HKEY_FRAME) {
		if (frame_parse(value, &xfo, &ancestors, err, errlen) == -1)
			return -1;
		free(ancestors);
	} else if (i == HKEY_CSP && strcasestr(value, "frame-ancestors") !=
	    NULL) {
		snprintf(err, errlen, "set frame-ancestors with \"frame\", "
		    "which sets X-Frame-Options to match");
		return -1;
	}
	if ((s->value[i] = strdup(value)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/*
 * Does a rule for "rpath" ("rlen" bytes) cover the request path "path"?
 * At a segment boundary only, so that "/private" is not "/privateer".
 */
static int
covers(const char *rpath, size_t rlen, const char *path)
{
	if (strncmp(path, rpath, rlen) != 0)
		return 0;
	return rlen == 0 || rpath[rlen - 1] == '/' || path[rlen] == '\0' ||
	    path[rlen] == '/';
}

static int
by_length(const void *a, const void *b)
{
	const struct hsection	*x = a, *y = b;

	/* [headers] has no path and length 0: it comes first. */
	if (x->pathlen != y->pathlen)
		return x->pathlen < y->pathlen ? -1 : 1;
	return 0;
}

/* Append one header to "r", taking a copy of "value". 0 or -1. */
static int
rule_add(struct hrule *r, const char *name, const char *value,
    int https_only)
{
	struct hline	*l = &r->lines[r->n];

	if (r->n == HLINES_MAX || (l->value = strdup(value)) == NULL)
		return -1;
	l->name = name;
	l->namelen = strlen(name);
	l->https_only = https_only;
	r->n++;
	return 0;
}

/*
 * Build the finished rule for "path" ("" for the whole site): every
 * section that covers it, shortest first, each overriding what it names.
 * Sections must be sorted by_length. Returns 0, or -1 (out of memory).
 */
static int
rule_build(const struct header_policy *pol, const char *path,
    struct hrule *r, char *err, size_t errlen)
{
	const struct hsection	*s;
	const char		*v[HKEY__MAX], *xfo, *csp;
	char			*ancestors = NULL, *joined = NULL, hsts[96];
	size_t			 i, j, len;
	int			 rc = -1, login = 0;

	memset(r, 0, sizeof(*r));
	for (j = 0; j < HKEY__MAX; j++)
		v[j] = hkeys[j].value;
	for (i = 0; i < pol->nsections; i++) {
		s = &pol->sections[i];
		if (s->path != NULL && !covers(s->path, s->pathlen, path))
			continue;
		for (j = 0; j < HKEY__MAX; j++)
			if (s->value[j] != NULL)
				v[j] = s->value[j];
	}

	/* The login pages: only their own section may allow framing. */
	for (i = 0; i < sizeof(login_paths) / sizeof(login_paths[0]); i++)
		if (strcmp(path, login_paths[i]) == 0)
			login = 1;
	if (login) {
		v[HKEY_FRAME] = hkeys[HKEY_FRAME].value;
		for (i = 0; i < pol->nsections; i++)
			if (pol->sections[i].path != NULL &&
			    strcmp(pol->sections[i].path, path) == 0 &&
			    pol->sections[i].value[HKEY_FRAME] != NULL)
				v[HKEY_FRAME] =
				    pol->sections[i].value[HKEY_FRAME];
	}

	if ((r->path = strdup(path)) == NULL)
		goto out;
	r->pathlen = strlen(path);
	if (frame_parse(v[HKEY_FRAME], &xfo, &ancestors, err, errlen) == -1)
		goto out;

	/* frame-ancestors joins the CSP, or stands alone when it is off. */
	csp = v[HKEY_CSP];
	if (ancestors != NULL) {
		len = strlen(csp);
		while (len > 0 && (csp[len - 1] == ';' || csp[len - 1] == ' '))
			len--;
		if (asprintf(&joined, "%.*s%sframe-ancestors %s", (int)len,
		    csp, len > 0 ? "; " : "", ancestors) == -1) {
			joined = NULL;
			goto out;
		}
		csp = joined;
	}
	if (*csp != '\0' && rule_add(r, hkeys[HKEY_CSP].name, csp, 0) == -1)
		goto out;
	if (xfo != NULL && rule_add(r, "X-Frame-Options", xfo, 0) == -1)
		goto out;
	for (j = HKEY_COOP; j <= HKEY_XSS; j++)
		if (*v[j] != '\0' && rule_add(r, hkeys[j].name, v[j], 0) ==
		    -1)
			goto out;
	if (pol->hsts_max_age >= 0) {
		/* RFC 6797 section 7.2: only over a secure transport. */
		snprintf(hsts, sizeof(hsts), "max-age=%lld%s%s",
		    pol->hsts_max_age, pol->hsts_subdomains ?
		    "; includeSubDomains" : "", pol->hsts_preload ?
		    "; preload" : "");
		if (rule_add(r, "Strict-Transport-Security", hsts, 1) == -1)
			goto out;
	}
	if (rule_add(r, "Cache-Control", "no-store", 0) == -1)
		goto out;
	rc = 0;
out:
	free(ancestors);
	free(joined);
	return rc;
}

/*
 * Sections for the login pages, so that they get rules of their own even
 * where the file has none for them.
 */
static int
add_login_sections(struct header_policy *pol)
{
	size_t	 i;

	for (i = 0; i < sizeof(login_paths) / sizeof(login_paths[0]); i++)
		if (section_get(pol, login_paths[i],
		    strlen(login_paths[i])) == NULL)
			return -1;
	return 0;
}

/*
 * Check what ties settings together, and build the rules headers_apply
 * uses. Returns 0, or -1 with the reason in "err" and the line it is
 * about in "*line" (0 when none).
 */
int
headers_policy_finish(struct header_policy *pol, char *err, size_t errlen,
    int *line)
{
	struct hrule	*r;
	size_t		 i;

	*line = 0;
	/*
	 * The preload list takes a host for good, subdomains and all: it
	 * wants includeSubDomains and a year at least, and so do we.
	 */
	if (pol->hsts_preload && (pol->hsts_max_age < HSTS_PRELOAD_MIN ||
	    !pol->hsts_subdomains)) {
		*line = pol->hsts_line[2];
		snprintf(err, errlen, "[headers] hsts_preload: needs "
		    "hsts_include_subdomains = yes and an hsts_max_age of at "
		    "least 365d (as hstspreload.org does)");
		return -1;
	}

	if (add_login_sections(pol) == -1)
		goto nomem;
	qsort(pol->sections, pol->nsections, sizeof(pol->sections[0]),
	    by_length);
	if ((pol->rules = calloc(pol->nsections, sizeof(*pol->rules))) ==
	    NULL)
		goto nomem;
	/* Longest path first, so that the first that covers is the one. */
	for (i = 0; i < pol->nsections; i++) {
		r = &pol->rules[pol->nsections - 1 - i];
		if (rule_build(pol, pol->sections[i].path != NULL ?
		    pol->sections[i].path : "", r, err, errlen) == -1)
			goto nomem;
		pol->nrules++;
	}
	return 0;
nomem:
	snprintf(err, errlen, "out of memory");
	return -1;
}

/*
 * Add each header of the policy for the request's path that "r" does
 * not have yet (a handler's own value wins); HSTS only when the request
 * came over HTTPS. An answer refused before its path was known gets the
 * [headers] policy. A failure marks the response failed.
 */
void
headers_apply(const struct header_policy *pol, struct response *r,
    const struct request *req)
{
	const struct hrule	*rule = NULL;
	const char		*path = "";
	size_t			 h, i, len;
	unsigned int		 have = 0;

	if (req != NULL && req->path != NULL)
		path = req->path;
	for (i = 0; i < pol->nrules; i++)
		if (covers(pol->rules[i].path, pol->rules[i].pathlen, path)) {
			rule = &pol->rules[i];
			break;
		}
	if (rule == NULL)
		return;

	/* One pass over what the handler set: this runs for every answer. */
	for (h = 0; h < r->nheaders; h++) {
		len = strlen(r->headers[h].name);
		for (i = 0; i < rule->n; i++)
			if (len == rule->lines[i].namelen &&
			    strcasecmp(r->headers[h].name,
			    rule->lines[i].name) == 0)
				have |= 1U << i;
	}
	for (i = 0; i < rule->n; i++) {
		if ((have & (1U << i)) || (rule->lines[i].https_only &&
		    (req == NULL || !req->https)))
			continue;
		response_header_const(r, rule->lines[i].name,
		    rule->lines[i].value);
	}
}
