/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * headers.c: the header policy's parser (every value it refuses, and
 * why) and the decisions of headers_apply: which rule a path gets,
 * overrides that cascade, the login pages' framing, a handler's own
 * value, HSTS over HTTPS only, each header exactly once.
 * test_config.c checks the same refusals through a file, with its line.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gatehouse.h"
#include "testlib.h"

/* The default CSP, as sent with the default frame = deny. */
#define CSP_DEFAULT	"default-src 'self'; base-uri 'none'; " \
			"form-action 'self'; object-src 'none'; " \
			"frame-ancestors 'none'"

/* One setting: section, key, value. */
struct set {
	const char	*section;
	const char	*key;
	const char	*value;
};

static struct header_policy *policy(const struct set *, size_t);
static void	 answer(const struct header_policy *, const char *, int,
		    struct response *);
static const char *get(const struct response *, const char *);
static size_t	 count(const struct response *, const char *);
static char	*refusal(const char *, const char *, const char *, int);

#define POLICY(s)	policy((s), sizeof(s) / sizeof((s)[0]))

/* A finished policy from "n" settings, which must all be accepted. */
static struct header_policy *
policy(const struct set *s, size_t n)
{
	struct header_policy	*pol;
	char			 err[200];
	size_t			 i;
	int			 line;

	assert_non_null(pol = headers_policy_new());
	for (i = 0; i < n; i++)
		if (headers_policy_set(pol, s[i].section, s[i].key, s[i].value,
		    (int)i + 1, err, sizeof(err)) != 0)
			fail_msg("[%s] %s = %s: %s", s[i].section, s[i].key,
			    s[i].value, err);
	if (headers_policy_finish(pol, err, sizeof(err), &line) != 0)
		fail_msg("finish: %s", err);
	return pol;
}

/* What headers_apply adds to an empty answer for "path". */
static void
answer(const struct header_policy *pol, const char *path, int https,
    struct response *r)
{
	struct request	 req;

	memset(&req, 0, sizeof(req));
	req.path = (char *)(uintptr_t)path;
	req.https = https;
	response_init(r);
	headers_apply(pol, r, &req);
	assert_false(r->failed);
}

static const char *
get(const struct response *r, const char *name)
{
	return response_get_header(r, name);
}

/* How many times "r" has header "name", in any case. */
static size_t
count(const struct response *r, const char *name)
{
	size_t	 i, n = 0;

	for (i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			n++;
	return n;
}

/*
 * Set one value that must be refused (or, for finish != 0, that must
 * make headers_policy_finish refuse); returns the reason, to be freed.
 */
static char *
refusal(const char *section, const char *key, const char *value,
    int finish)
{
	struct header_policy	*pol;
	char			 err[200];
	int			 rc, line = -1;

	assert_non_null(pol = headers_policy_new());
	err[0] = '\0';
	rc = headers_policy_set(pol, section, key, value, 7, err, sizeof(err));
	if (finish) {
		assert_int_equal(rc, 0);
		assert_int_equal(headers_policy_finish(pol, err, sizeof(err),
		    &line), -1);
		assert_int_equal(line, 7);
	} else
		assert_int_equal(rc, -1);
	headers_policy_free(pol);
	return strdup(err);
}

/* Every header, its default value, once each; HSTS over HTTPS only. */
static void
test_defaults(void **state)
{
	static const struct {
		const char	*name;
		const char	*value;
	} want[] = {
		{ "Content-Security-Policy", CSP_DEFAULT },
		{ "X-Frame-Options", "DENY" },
		{ "Cross-Origin-Opener-Policy", "same-origin" },
		{ "Cross-Origin-Resource-Policy", "same-origin" },
		{ "Origin-Agent-Cluster", "?1" },
		{ "Permissions-Policy", "accelerometer=(), camera=(), "
		    "geolocation=(), gyroscope=(), magnetometer=(), "
		    "microphone=(), payment=(), usb=()" },
		{ "Referrer-Policy", "no-referrer" },
		{ "X-Content-Type-Options", "nosniff" },
		{ "X-DNS-Prefetch-Control", "off" },
		{ "X-Download-Options", "noopen" },
		{ "X-Permitted-Cross-Domain-Policies", "none" },
		{ "X-XSS-Protection", "0" },
		{ "Cache-Control", "no-store" },
	};
	static const char *const paths[] = { "/login", "/logout",
	    "/private/x.html", "/api/hello", "/nope", "/" };
	struct header_policy	*pol;
	struct response		 r;
	size_t			 i, p;
	int			 https;

	(void)state;
	pol = policy(NULL, 0);
	for (p = 0; p < sizeof(paths) / sizeof(paths[0]); p++)
		for (https = 0; https <= 1; https++) {
			answer(pol, paths[p], https, &r);
			for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
				assert_string_equal(get(&r, want[i].name),
				    want[i].value);
				assert_int_equal(count(&r, want[i].name), 1);
			}
			if (https) {
				assert_string_equal(get(&r,
				    "Strict-Transport-Security"),
				    "max-age=31536000");
				assert_int_equal(count(&r,
				    "Strict-Transport-Security"), 1);
			} else
				assert_null(get(&r,
				    "Strict-Transport-Security"));
			assert_int_equal(r.nheaders,
			    sizeof(want) / sizeof(want[0]) + https);
			response_free(&r);
		}
	headers_policy_free(pol);
}

/* A value the handler set stays, and is not doubled; in any case. */
static void
test_handler_wins(void **state)
{
	struct header_policy	*pol;
	struct request		 req;
	struct response		 r;

	(void)state;
	pol = policy(NULL, 0);
	memset(&req, 0, sizeof(req));
	req.path = "/private/";
	req.https = 1;
	response_init(&r);
	response_header(&r, "content-security-policy", "sandbox");
	response_header(&r, "Strict-Transport-Security", "max-age=5");
	response_header(&r, "Cache-Control", "no-cache");
	headers_apply(pol, &r, &req);
	assert_string_equal(get(&r, "Content-Security-Policy"), "sandbox");
	assert_int_equal(count(&r, "Content-Security-Policy"), 1);
	assert_string_equal(get(&r, "Strict-Transport-Security"),
	    "max-age=5");
	assert_int_equal(count(&r, "Strict-Transport-Security"), 1);
	assert_string_equal(get(&r, "Cache-Control"), "no-cache");
	assert_int_equal(count(&r, "Cache-Control"), 1);
	assert_string_equal(get(&r, "X-Frame-Options"), "DENY");
	assert_int_equal(r.nheaders, 14);
	response_free(&r);
	headers_policy_free(pol);
}

/*
 * Overrides: the longest section that covers the path, on a segment
 * boundary; each section's keys cascade to the paths below it.
 */
static void
test_overrides(void **state)
{
	static const struct set	 s[] = {
		{ "headers", "referrer_policy", "same-origin" },
		{ "headers \"/private/\"", "x_xss_protection", "" },
		{ "headers \"/private/\"", "permissions_policy",
		    "camera=()" },
		{ "headers \"/private/reports/\"", "frame", "sameorigin" },
		{ "headers \"/private/reports/\"", "permissions_policy",
		    "usb=()" },
		{ "headers \"/api\"", "content_security_policy",
		    "default-src 'none'" },
	};
	struct header_policy	*pol;
	struct response		 r;

	(void)state;
	pol = POLICY(s);

	/* Outside every override: [headers] only. */
	answer(pol, "/whoami", 0, &r);
	assert_string_equal(get(&r, "Referrer-Policy"), "same-origin");
	assert_string_equal(get(&r, "X-XSS-Protection"), "0");
	assert_string_equal(get(&r, "X-Frame-Options"), "DENY");
	assert_string_equal(get(&r, "Content-Security-Policy"), CSP_DEFAULT);
	response_free(&r);

	answer(pol, "/private/a.html", 0, &r);
	assert_string_equal(get(&r, "Referrer-Policy"), "same-origin");
	assert_null(get(&r, "X-XSS-Protection"));
	assert_string_equal(get(&r, "Permissions-Policy"), "camera=()");
	assert_string_equal(get(&r, "X-Frame-Options"), "DENY");
	assert_int_equal(r.nheaders, 12);
	response_free(&r);

	/* The longer section wins, and keeps what the shorter one set. */
	answer(pol, "/private/reports/q1.html", 0, &r);
	assert_string_equal(get(&r, "X-Frame-Options"), "SAMEORIGIN");
	assert_string_equal(get(&r, "Content-Security-Policy"),
	    "default-src 'self'; base-uri 'none'; form-action 'self'; "
	    "object-src 'none'; frame-ancestors 'self'");
	assert_string_equal(get(&r, "Permissions-Policy"), "usb=()");
	assert_null(get(&r, "X-XSS-Protection"));
	assert_string_equal(get(&r, "Referrer-Policy"), "same-origin");
	response_free(&r);

	/* "/private/reports/" covers only what lies below it. */
	answer(pol, "/private/reports", 0, &r);
	assert_string_equal(get(&r, "X-Frame-Options"), "DENY");
	response_free(&r);

	/* "/api" covers /api and /api/..., not /apix. */
	answer(pol, "/api", 0, &r);
	assert_string_equal(get(&r, "Content-Security-Policy"),
	    "default-src 'none'; frame-ancestors 'none'");
	response_free(&r);
	answer(pol, "/api/v1/x", 0, &r);
	assert_string_equal(get(&r, "Content-Security-Policy"),
	    "default-src 'none'; frame-ancestors 'none'");
	response_free(&r);
	answer(pol, "/apix", 0, &r);
	assert_string_equal(get(&r, "Content-Security-Policy"), CSP_DEFAULT);
	response_free(&r);

	/* No path known (refused early): [headers]. */
	response_init(&r);
	headers_apply(pol, &r, NULL);
	assert_string_equal(get(&r, "Referrer-Policy"), "same-origin");
	assert_string_equal(get(&r, "X-XSS-Protection"), "0");
	assert_null(get(&r, "Strict-Transport-Security"));
	response_free(&r);
	headers_policy_free(pol);
}

/* An empty value sends no header; frame-ancestors can stand alone. */
static void
test_empty_values(void **state)
{
	static const struct set	 s[] = {
		{ "headers", "content_security_policy", "" },
		{ "headers", "origin_agent_cluster", "" },
		{ "headers", "hsts_max_age", "" },
		{ "headers \"/embed/\"", "frame", "" },
	};
	struct header_policy	*pol;
	struct response		 r;

	(void)state;
	pol = POLICY(s);
	answer(pol, "/private/", 1, &r);
	assert_string_equal(get(&r, "Content-Security-Policy"),
	    "frame-ancestors 'none'");
	assert_null(get(&r, "Origin-Agent-Cluster"));
	assert_null(get(&r, "Strict-Transport-Security"));
	assert_int_equal(r.nheaders, 12);
	response_free(&r);

	/* No framing rule at all: neither header. */
	answer(pol, "/embed/w.html", 1, &r);
	assert_null(get(&r, "Content-Security-Policy"));
	assert_null(get(&r, "X-Frame-Options"));
	assert_string_equal(get(&r, "Cache-Control"), "no-store");
	assert_int_equal(r.nheaders, 10);
	response_free(&r);
	headers_policy_free(pol);
}

/*
 * frame: deny and sameorigin are X-Frame-Options and frame-ancestors;
 * a list of origins is frame-ancestors only, never ALLOW-FROM.
 */
static void
test_frame(void **state)
{
	static const struct set	 s[] = {
		{ "headers", "content_security_policy", "default-src 'self';" },
		{ "headers \"/a/\"", "frame", "https://a.example "
		    "http://b.example:8080" },
		{ "headers \"/b/\"", "frame",
		    "sameorigin https://*.example.org" },
		{ "headers \"/c/\"", "frame", "https://[2001:db8::1]:443" },
	};
	struct header_policy	*pol;
	struct response		 r;
	size_t			 i;

	(void)state;
	pol = POLICY(s);
	answer(pol, "/a/x", 0, &r);
	assert_null(get(&r, "X-Frame-Options"));
	assert_string_equal(get(&r, "Content-Security-Policy"),
	    "default-src 'self'; frame-ancestors https://a.example "
	    "http://b.example:8080");
	for (i = 0; i < r.nheaders; i++)
		assert_null(strcasestr(r.headers[i].value, "ALLOW-FROM"));
	response_free(&r);
	answer(pol, "/b/x", 0, &r);
	assert_null(get(&r, "X-Frame-Options"));
	assert_string_equal(get(&r, "Content-Security-Policy"),
	    "default-src 'self'; frame-ancestors 'self' "
	    "https://*.example.org");
	response_free(&r);
	answer(pol, "/c/", 0, &r);
	assert_string_equal(get(&r, "Content-Security-Policy"),
	    "default-src 'self'; frame-ancestors https://[2001:db8::1]:443");
	response_free(&r);
	answer(pol, "/d", 0, &r);
	assert_string_equal(get(&r, "X-Frame-Options"), "DENY");
	assert_string_equal(get(&r, "Content-Security-Policy"),
	    "default-src 'self'; frame-ancestors 'none'");
	response_free(&r);
	headers_policy_free(pol);
}

/*
 * The login and logout pages stay unframable whatever [headers] or a
 * wider override says; only their own section may change that.
 */
static void
test_login_pages(void **state)
{
	static const struct set	 wide[] = {
		{ "headers", "frame", "sameorigin" },
		{ "headers", "referrer_policy", "same-origin" },
		{ "headers \"/\"", "x_download_options", "" },
	};
	static const struct set	 own[] = {
		{ "headers", "frame", "https://portal.example" },
		{ "headers \"/login\"", "frame", "sameorigin" },
	};
	struct header_policy	*pol;
	struct response		 r;

	(void)state;
	pol = POLICY(wide);
	answer(pol, "/private/", 0, &r);
	assert_string_equal(get(&r, "X-Frame-Options"), "SAMEORIGIN");
	response_free(&r);
	answer(pol, "/login", 0, &r);
	assert_string_equal(get(&r, "X-Frame-Options"), "DENY");
	assert_string_equal(get(&r, "Content-Security-Policy"), CSP_DEFAULT);
	/* Everything else reaches them as anywhere. */
	assert_string_equal(get(&r, "Referrer-Policy"), "same-origin");
	assert_null(get(&r, "X-Download-Options"));
	response_free(&r);
	answer(pol, "/logout", 0, &r);
	assert_string_equal(get(&r, "X-Frame-Options"), "DENY");
	response_free(&r);
	headers_policy_free(pol);

	pol = POLICY(own);
	answer(pol, "/login", 0, &r);
	assert_string_equal(get(&r, "X-Frame-Options"), "SAMEORIGIN");
	response_free(&r);
	answer(pol, "/logout", 0, &r);
	assert_string_equal(get(&r, "X-Frame-Options"), "DENY");
	response_free(&r);
	answer(pol, "/whoami", 0, &r);
	assert_null(get(&r, "X-Frame-Options"));
	assert_non_null(strstr(get(&r, "Content-Security-Policy"),
	    "; frame-ancestors https://portal.example"));
	response_free(&r);
	headers_policy_free(pol);
}

/* HSTS: the three settings, over HTTPS only. */
static void
test_hsts(void **state)
{
	static const struct set	 s[] = {
		{ "headers", "hsts_preload", "yes" },
		{ "headers", "hsts_max_age", "730d" },
		{ "headers", "hsts_include_subdomains", "yes" },
	};
	static const struct set	 zero[] = {
		{ "headers", "hsts_max_age", "0" },
	};
	struct header_policy	*pol;
	struct response		 r;

	(void)state;
	pol = POLICY(s);
	answer(pol, "/login", 1, &r);
	assert_string_equal(get(&r, "Strict-Transport-Security"),
	    "max-age=63072000; includeSubDomains; preload");
	response_free(&r);
	answer(pol, "/login", 0, &r);
	assert_null(get(&r, "Strict-Transport-Security"));
	response_free(&r);
	headers_policy_free(pol);

	/* max-age=0 is how a site takes HSTS back (RFC 6797 6.1.1). */
	pol = POLICY(zero);
	answer(pol, "/", 1, &r);
	assert_string_equal(get(&r, "Strict-Transport-Security"),
	    "max-age=0");
	response_free(&r);
	headers_policy_free(pol);
}

/* Values that could split a header, or mean something else, are refused. */
static void
test_refused_values(void **state)
{
	char	*e;

	(void)state;
	e = refusal("headers", "referrer_policy", "no-referrer\r\nSet-Cookie: "
	    "a=b", 0);
	assert_string_equal(e, "byte 0x0d at 12: only printable ASCII is "
	    "allowed (no control character, no CR or LF, no UTF-8)");
	free(e);
	e = refusal("headers \"/x/\"", "permissions_policy", "camera=()\n", 0);
	assert_string_equal(e, "byte 0x0a at 10: only printable ASCII is "
	    "allowed (no control character, no CR or LF, no UTF-8)");
	free(e);
	e = refusal("headers", "content_security_policy",
	    "default-src 'self' https://b\xc3\xbcro.example", 0);
	assert_string_equal(e, "byte 0xc3 at 29: only printable ASCII is "
	    "allowed (no control character, no CR or LF, no UTF-8)");
	free(e);
	e = refusal("headers", "x_xss_protection", "0\t", 0);
	assert_non_null(strstr(e, "byte 0x09 at 2"));
	free(e);
	e = refusal("headers", "content_security_policy",
	    "default-src 'self'; Frame-Ancestors 'self'", 0);
	assert_string_equal(e, "set frame-ancestors with \"frame\", which "
	    "sets X-Frame-Options to match");
	free(e);
}

/* Origins for frame: scheme://host[:port], nothing more. */
static void
test_refused_origins(void **state)
{
	static const char *const bad[] = {
		"https://", "http:/a.example", "ftp://a.example",
		"https://a.example/", "https://a.example/path",
		"https://a..example", "https://-a.example",
		"https://a-.example", "https://a.example.",
		"https://a.example:",
		"https://a.example:0", "https://a.example:65536",
		"https://a.example:8o", "https://*", "https://a.*.example",
		"https://[]", "https://[::1", "https://user@a.example",
		"HTTPS://a.example", "'self'", "*", "allow-from",
		"https://a.example?x",
	};
	char	*e, want[200];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e = refusal("headers", "frame", bad[i], 0);
		snprintf(want, sizeof(want), "\"%s\" is not deny, sameorigin "
		    "or an origin such as https://example.org:8443", bad[i]);
		assert_string_equal(e, want);
		free(e);
	}
	/* The bad one of several is named. */
	e = refusal("headers \"/a/\"", "frame", "https://ok.example "
	    "https://bad.example/", 0);
	assert_string_equal(e, "\"https://bad.example/\" is not deny, "
	    "sameorigin or an origin such as https://example.org:8443");
	free(e);
	e = refusal("headers", "frame", "deny https://a.example", 0);
	assert_string_equal(e, "deny stands alone");
	free(e);
	e = refusal("headers", "frame", "DENY", 0);
	assert_non_null(strstr(e, "\"DENY\" is not deny"));
	free(e);
}

/* Keys: unknown ones, twice, HSTS outside [headers], HSTS values. */
static void
test_refused_keys(void **state)
{
	struct header_policy	*pol;
	char			 err[200];
	char			*e;

	(void)state;
	assert_non_null(pol = headers_policy_new());
	assert_int_equal(headers_policy_set(pol, "headers", "x_frame_options",
	    "DENY", 1, err, sizeof(err)), -2);
	assert_int_equal(headers_policy_set(pol, "headers \"/a/\"",
	    "cache_control", "public", 2, err, sizeof(err)), -2);
	assert_int_equal(headers_policy_set(pol, "headers", "frame", "deny",
	    3, err, sizeof(err)), 0);
	assert_int_equal(headers_policy_set(pol, "headers", "frame",
	    "sameorigin", 4, err, sizeof(err)), -1);
	assert_string_equal(err, "set twice");
	/* Another section may set it again. */
	assert_int_equal(headers_policy_set(pol, "headers \"/a/\"", "frame",
	    "sameorigin", 5, err, sizeof(err)), 0);
	assert_int_equal(headers_policy_set(pol, "headers", "hsts_preload",
	    "no", 6, err, sizeof(err)), 0);
	assert_int_equal(headers_policy_set(pol, "headers", "hsts_preload",
	    "no", 7, err, sizeof(err)), -1);
	assert_string_equal(err, "set twice");
	headers_policy_free(pol);

	e = refusal("headers \"/a/\"", "hsts_max_age", "1d", 0);
	assert_string_equal(e, "only [headers] takes it: HSTS is about the "
	    "whole host");
	free(e);
	e = refusal("headers", "hsts_max_age", "731d", 0);
	assert_string_equal(e, "\"731d\" is not empty or a duration from 0s "
	    "to 730d (a number with s, m, h or d)");
	free(e);
	e = refusal("headers", "hsts_max_age", "1y", 0);
	assert_non_null(strstr(e, "\"1y\" is not empty or a duration"));
	free(e);
	e = refusal("headers", "hsts_include_subdomains", "Yes", 0);
	assert_string_equal(e, "\"Yes\" is not yes or no");
	free(e);
}

/* hstspreload.org's rule: includeSubDomains and a year at least. */
static void
test_refused_preload(void **state)
{
	static const char	 msg[] = "[headers] hsts_preload: needs "
	    "hsts_include_subdomains = yes and an hsts_max_age of at least "
	    "365d (as hstspreload.org does)";
	struct header_policy	*pol;
	char			 err[200];
	char			*e;
	int			 line;

	(void)state;
	/* The default max-age (a year) is enough, subdomains are not on. */
	e = refusal("headers", "hsts_preload", "yes", 1);
	assert_string_equal(e, msg);
	free(e);

	/* Subdomains, but a max-age short of a year; line of the preload. */
	assert_non_null(pol = headers_policy_new());
	assert_int_equal(headers_policy_set(pol, "headers",
	    "hsts_include_subdomains", "yes", 3, err, sizeof(err)), 0);
	assert_int_equal(headers_policy_set(pol, "headers", "hsts_preload",
	    "yes", 4, err, sizeof(err)), 0);
	assert_int_equal(headers_policy_set(pol, "headers", "hsts_max_age",
	    "364d", 5, err, sizeof(err)), 0);
	assert_int_equal(headers_policy_finish(pol, err, sizeof(err), &line),
	    -1);
	assert_string_equal(err, msg);
	assert_int_equal(line, 4);
	headers_policy_free(pol);

	/* Preload and no HSTS at all. */
	assert_non_null(pol = headers_policy_new());
	assert_int_equal(headers_policy_set(pol, "headers", "hsts_preload",
	    "yes", 2, err, sizeof(err)), 0);
	assert_int_equal(headers_policy_set(pol, "headers",
	    "hsts_include_subdomains", "yes", 3, err, sizeof(err)), 0);
	assert_int_equal(headers_policy_set(pol, "headers", "hsts_max_age",
	    "", 4, err, sizeof(err)), 0);
	assert_int_equal(headers_policy_finish(pol, err, sizeof(err), &line),
	    -1);
	assert_int_equal(line, 2);
	headers_policy_free(pol);
}

/* Section names: [headers] and [headers "/path"], nothing else. */
static void
test_sections(void **state)
{
	static const char *const bad[] = {
		"headers /private/", "headers \"private/\"", "headers \"\"",
		"headers \"/a", "headers '/a/'", "headers  \"/a/\"",
	};
	const char	*path;
	char		 err[200];
	size_t		 len, i;

	(void)state;
	assert_int_equal(headers_section("headers", &path, &len, err,
	    sizeof(err)), 1);
	assert_null(path);
	assert_int_equal(headers_section("headers \"/private/r/\"", &path,
	    &len, err, sizeof(err)), 1);
	assert_int_equal(len, 11);
	assert_memory_equal(path, "/private/r/", 11);
	assert_int_equal(headers_section("headers \"/\"", &path, &len, err,
	    sizeof(err)), 1);
	assert_int_equal(len, 1);
	assert_int_equal(headers_section("headersx", &path, &len, err,
	    sizeof(err)), 0);
	assert_int_equal(headers_section("server", &path, &len, err,
	    sizeof(err)), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(headers_section(bad[i], &path, &len, err,
		    sizeof(err)), -1);
		assert_string_equal(err, "a path override is written "
		    "[headers \"/path/\"], the path starting with '/'");
	}
	assert_int_equal(headers_section("headers \"/a b/\"", &path, &len,
	    err, sizeof(err)), -1);
	assert_string_equal(err, "the path may hold only printable ASCII, "
	    "without space, '\"' or '\\'");
	assert_int_equal(headers_section("headers \"/a\"b/\"", &path, &len,
	    err, sizeof(err)), -1);
	assert_int_equal(headers_section("headers \"/\xc3\xa9/\"", &path,
	    &len, err, sizeof(err)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_handler_wins),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_empty_values),
		cmocka_unit_test(test_frame),
		cmocka_unit_test(test_login_pages),
		cmocka_unit_test(test_hsts),
		cmocka_unit_test(test_refused_values),
		cmocka_unit_test(test_refused_origins),
		cmocka_unit_test(test_refused_keys),
		cmocka_unit_test(test_refused_preload),
		cmocka_unit_test(test_sections),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
