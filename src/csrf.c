/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Cross-site request forgery: another site must not be able to make a
 * visitor's browser log in, log out or change anything here.
 *
 * Two defences, both always on:
 *
 * - Every state-changing form carries a token bound to the browser: a
 *   random nonce lives in an HttpOnly cookie (set with the first form a
 *   browser gets), and the form's hidden "csrf" field holds an HMAC of
 *   that nonce and of the session cookie the page was made for, under
 *   the site's secret (secrets.c). Another site can neither read the
 *   cookie nor compute the HMAC. The login form is covered the same way
 *   (before there is a session), so nobody can log a visitor in to an
 *   account of theirs. Binding to the session means a token taken from
 *   one login is worthless in another.
 *
 * - Unsafe requests (POST and the like) that a browser marks as coming
 *   from another site, by Sec-Fetch-Site or Origin, are refused before
 *   any handler runs, whatever they carry. This also covers the JSON and
 *   token routes, which take no form token: a browser sends a JSON body
 *   to another site only after a CORS preflight, which Gatehouse never
 *   grants.
 *
 * Where the cookie is not __Host- prefixed (cookie_secure = no, or a
 * cookie_path other than "/"), a neighbouring subdomain could plant a
 * nonce cookie of its own choosing; the Sec-Fetch-Site check (which
 * calls such a request "same-site" and refuses it) is then the defence.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "gatehouse.h"

#define CSRF_NONCE_BYTES	32
#define CSRF_NONCE_LEN		43	/* base64url of CSRF_NONCE_BYTES */
#define CSRF_MAC_BYTES		32	/* HMAC-SHA256 */

/* What the MAC covers besides nonce and session: this use, version 1. */
static const char	 csrf_label[] = "gatehouse csrf 1";

static const char	*binding(const struct ctx *, const struct request *);
static int		 mac(const struct secret *, const char *,
			    const char *, unsigned char [CSRF_MAC_BYTES]);
static int		 nonce_wellformed(const char *);
static int		 origin_is_ours(const struct request *);

/*
 * The session cookie a form is bound to: the first well-formed one the
 * browser sent, or "" before login. Whether that session is live does
 * not matter here; the handler checks that.
 */
static const char *
binding(const struct ctx *ctx, const struct request *req)
{
	const struct field	*f;
	size_t			 i;

	for (i = 0; i < req->cookies.n; i++) {
		f = &req->cookies.v[i];
		if (strcmp(f->name, ctx->cfg->cookie_name) == 0 &&
		    session_id_wellformed(f->value))
			return f->value;
	}
	return "";
}

/* HMAC-SHA256(secret, label NUL nonce NUL session). 0 or -1. */
static int
mac(const struct secret *key, const char *nonce, const char *session,
    unsigned char out[CSRF_MAC_BYTES])
{
	struct buf	 msg;
	unsigned int	 len = 0;
	int		 ok;

	buf_init(&msg);
	buf_add(&msg, csrf_label, sizeof(csrf_label));
	buf_add(&msg, nonce, strlen(nonce) + 1);
	buf_adds(&msg, session);
	ok = !msg.oom && HMAC(EVP_sha256(), key->bytes, (int)key->len,
	    (const unsigned char *)msg.data, msg.len, out, &len) != NULL &&
	    len == CSRF_MAC_BYTES;
	if (msg.data != NULL)
		wipe(msg.data, msg.len);
	buf_free(&msg);
	return ok ? 0 : -1;
}

static int
nonce_wellformed(const char *v)
{
	return b64url_wellformed(v, strlen(v), CSRF_NONCE_LEN) &&
	    strlen(v) == CSRF_NONCE_LEN;
}

/*
 * Append the CSRF token for a form on the page being built to "token",
 * setting the nonce cookie on "r" if the browser has none yet. Returns 0,
 * or -1 if no token can be made (no secret, no randomness: logged).
 */
int
csrf_token(struct ctx *ctx, const struct request *req, struct response *r,
    struct buf *token)
{
	const struct secrets	*s;
	const struct field	*f;
	unsigned char		 raw[CSRF_NONCE_BYTES], sum[CSRF_MAC_BYTES];
	/* base64_encode wants room for the padded form. */
	char			 nonce[CSRF_NONCE_LEN + 2];
	char			 text[CSRF_TOKEN_LEN + 2];
	struct set_cookie	 c;
	struct buf		 b;
	int			 rc;

	if ((s = ctx_secrets(ctx)) == NULL)
		return -1;
	f = fields_get(&req->cookies, ctx->cfg->csrf_cookie_name);
	if (f != NULL && nonce_wellformed(f->value))
		memcpy(nonce, f->value, CSRF_NONCE_LEN + 1);
	else {
		if (RAND_bytes(raw, sizeof(raw)) != 1 || base64_encode(raw,
		    sizeof(raw), 1, nonce, sizeof(nonce)) == -1) {
			log_warnx("csrf: no random bytes");
			return -1;
		}
		c.name = ctx->cfg->csrf_cookie_name;
		c.value = nonce;
		c.path = ctx->cfg->cookie_path;
		c.max_age = ctx->cfg->absolute_timeout;
		c.secure = ctx->cfg->cookie_secure;
		c.http_only = 1;
		c.same_site = ctx->cfg->cookie_same_site;
		buf_init(&b);
		rc = cookie_format(&b, &c) == -1 ? -1 :
		    response_header(r, "Set-Cookie", b.data);
		buf_free(&b);
		if (rc == -1)
			return -1;
	}
	if (mac(&s->v[0], nonce, binding(ctx, req), sum) == -1 ||
	    base64_encode(sum, sizeof(sum), 1, text, sizeof(text)) == -1) {
		log_warnx("csrf: cannot compute a token");
		return -1;
	}
	buf_adds(token, text);
	wipe(sum, sizeof(sum));
	return token->oom ? -1 : 0;
}

/*
 * Is the "csrf" field of this form the token for this browser's nonce
 * and session, under any of the site's secrets? Returns 1 if so, 0 if not
 * (logged, with why), -1 if it cannot be told (no secrets: logged).
 */
int
csrf_check(struct ctx *ctx, const struct request *req)
{
	const struct secrets	*s;
	const struct field	*f, *sent;
	unsigned char		 want[CSRF_MAC_BYTES], got[CSRF_MAC_BYTES];
	const char		*session;
	size_t			 i, k;
	int			 ok = 0;

	sent = fields_get(&req->form, "csrf");
	if (sent == NULL || fields_count(&req->form, "csrf") != 1) {
		log_info("csrf: refused: %s csrf field", sent == NULL ?
		    "no" : "more than one");
		return 0;
	}
	/* A fixed length first: the comparison is over fixed sizes. */
	if (sent->valuelen != CSRF_TOKEN_LEN || base64_decode(sent->value,
	    sent->valuelen, 1, got, sizeof(got)) != CSRF_MAC_BYTES) {
		log_info("csrf: refused: a malformed csrf field");
		return 0;
	}
	if ((s = ctx_secrets(ctx)) == NULL)
		return -1;
	session = binding(ctx, req);
	/* Every nonce cookie the browser sent, in case of duplicates. */
	for (i = 0; i < req->cookies.n && !ok; i++) {
		f = &req->cookies.v[i];
		if (strcmp(f->name, ctx->cfg->csrf_cookie_name) != 0 ||
		    !nonce_wellformed(f->value))
			continue;
		for (k = 0; k < s->n; k++) {
			if (mac(&s->v[k], f->value, session, want) == -1)
				return -1;
			if (CRYPTO_memcmp(want, got, sizeof(want)) == 0)
				ok = 1;
		}
	}
	wipe(want, sizeof(want));
	if (!ok)
		log_info("csrf: refused: the csrf field does not match this "
		    "browser's cookie and session");
	return ok;
}

/*
 * Does the Origin header name this very site? Its host (and port) must
 * be the request's Host, and its scheme https when the request came over
 * HTTPS. The scheme is not required to be http otherwise: behind a
 * TLS-terminating proxy that is not in trusted_proxies, Gatehouse sees
 * http while the browser says https.
 */
static int
origin_is_ours(const struct request *req)
{
	const char	*o = req->origin, *host;

	if (strncasecmp(o, "https://", 8) == 0)
		host = o + 8;
	else if (strncasecmp(o, "http://", 7) == 0 && !req->https)
		host = o + 7;
	else
		return 0;
	return req->host != NULL && *req->host != '\0' &&
	    strcasecmp(host, req->host) == 0;
}

/*
 * Is this an unsafe request that a browser says comes from elsewhere?
 * Returns why if so (for the log), NULL if not. Requests without
 * Sec-Fetch-Site and Origin (older browsers, and every program that is
 * not a browser) are not judged here: forms still need their token.
 */
const char *
csrf_cross_site(const struct request *req)
{
	const char	*site = req->sec_fetch_site;

	if (req->method == HTTP_GET || req->method == HTTP_HEAD ||
	    req->method == HTTP_OPTIONS)
		return NULL;
	/* "same-site" is a neighbouring subdomain: not us either. */
	if (site != NULL)
		return strcmp(site, "same-origin") == 0 ||
		    strcmp(site, "none") == 0 ? NULL :
		    "Sec-Fetch-Site is not same-origin";
	if (req->origin != NULL && !origin_is_ours(req))
		return "Origin is another site";
	return NULL;
}
