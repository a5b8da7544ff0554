/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Signed access tokens (JWT, RFC 7519) and opaque refresh tokens: the
 * keys they are signed with, issuing a pair, checking an access token's
 * claims, rotating refresh tokens, and revoking either kind.
 *
 * An access token is short-lived and checked without a session row, but
 * not blindly: its jti must not be revoked, and its user must still
 * exist (with the id it was issued for) and not be disabled, so that
 * logout, revocation and "gatehouse-admin disable" take effect at once.
 *
 * Checking an access token in full (signature, JSON, two reads of the
 * store) costs more than everything else a request does, and a client
 * sends the same token for many requests. So each worker remembers the
 * tokens it verified lately, by SHA-256, with what the token said. A
 * remembered token is taken again only while its own times allow, and
 * only while the store's revocation counter is where it was: any
 * revocation, any change to any user, any key rotation makes every
 * worker check every token in full again.
 *
 * A refresh token is 256 random bits, stored as SHA-256 and good for one
 * exchange. Presenting one that was already exchanged means two parties
 * hold it; the whole family (every token descended from one login) is
 * revoked, with the access tokens issued alongside (RFC 6819 5.2.2.3;
 * the OAuth 2.0 security BCP calls this refresh token rotation).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "gatehouse.h"
#include "store.h"

#define JTI_BYTES	16
#define KID_BYTES	9
#define CACHE_SETS	512	/* per worker */
#define CACHE_WAYS	8	/* tokens per set */
#define KEYS_RETRY	30	/* seconds before reading a failed key again */

/* A verified token, remembered (see the top of this file). */
struct cache_entry {
	unsigned char	 hash[SHA256_DIGEST_LENGTH];	/* of the token */
	int		 used;
	uint64_t	 stamp;		/* when last taken, to evict */
	int64_t		 generation;	/* keys, when it was verified */
	int64_t		 revocations;	/* and revocations */
	double		 from;		/* valid from (nbf, iat - leeway) */
	double		 until;		/* valid until (exp + leeway) */
	struct principal p;
};

/*
 * Eight ways per set. A set takes the tokens whose digests fall into it,
 * and clients cycling through more tokens than a set holds miss on each
 * of them: a worker cycling through 1,000 tokens checked more than a
 * quarter of them in full each time round with 1,024 sets of two ways,
 * one in forty with four ways, and none with 512 sets of eight. Pages
 * are touched only as entries are used.
 */
struct token_cache {
	struct cache_entry	 sets[CACHE_SETS][CACHE_WAYS];
	uint64_t		 clock;
};

static int	 add_key(const struct key_record *, void *);
static void	 keyset_free(struct keyset *);
static int	 number_claim(const json_t *, const char *, int, double *);
static int	 random_b64(size_t, char *, size_t);
static struct cache_entry *
		 cache_find(struct ctx *, const unsigned char *);
static void	 cache_put(struct ctx *, const unsigned char *, const json_t *,
		    const struct principal *);
static int	 copy_principal(struct principal *, const struct principal *);

void
principal_clear(struct principal *p)
{
	free(p->user);
	free(p->jti);
	memset(p, 0, sizeof(*p));
}

static void
keyset_free(struct keyset *ks)
{
	size_t	 i;

	for (i = 0; i < ks->n; i++)
		jwk_free(&ks->keys[i]);
	free(ks->keys);
	memset(ks, 0, sizeof(*ks));
}

/* "n" random bytes in base64url into "out". Returns 0 or -1. */
static int
random_b64(size_t n, char *out, size_t size)
{
	unsigned char	 raw[64];
	int		 rc;

	if (n > sizeof(raw) || RAND_bytes(raw, (int)n) != 1)
		return -1;
	rc = base64_encode(raw, n, 1, out, size) < 0 ? -1 : 0;
	wipe(raw, sizeof(raw));
	return rc;
}

/*
 * How long refresh token rows are kept past their family's end: as long
 * as the last access token issued with them may live.
 */
long long
token_grace(const struct config *cfg)
{
	return cfg->access_lifetime + cfg->leeway;
}

/* A new key id: 72 random bits, base64url. "out" holds 16 bytes. */
int
token_new_kid(char *out, size_t size)
{
	return random_b64(KID_BYTES, out, size);
}

/* The file a key lives in: keys_dir/KID.key. Caller frees. */
char *
token_key_path(const struct config *cfg, const char *kid)
{
	char	*p;

	if (asprintf(&p, "%s/%s.key", cfg->keys_dir, kid) == -1)
		return NULL;
	return p;
}

/* Load one key record's file into the keyset being built. */
static int
add_key(const struct key_record *rec, void *arg)
{
	struct ctx	*ctx = arg;
	struct keyset	*ks = &ctx->keys;
	struct jwk	*k, *grown;
	enum jws_alg	 alg;
	char		*path;

	if (jws_alg_parse(rec->alg, &alg) == -1) {
		log_warnx("token: key %s has an unknown algorithm", rec->kid);
		return 0;
	}
	/* A kid names a file: only ours, which are base64url, may. */
	if (!b64url_wellformed(rec->kid, 1, 64)) {
		log_warnx("token: a key has a malformed kid");
		return 0;
	}
	if ((grown = reallocarray(ks->keys, ks->n + 1, sizeof(*grown))) ==
	    NULL)
		return -1;
	ks->keys = grown;
	k = &ks->keys[ks->n];
	if ((path = token_key_path(ctx->cfg, rec->kid)) == NULL)
		return -1;
	if (jwk_read(path, alg, k) == -1) {
		/* Logged; the others still work. Tried again in a while. */
		if (strcmp(rec->state, "active") == 0)
			log_warnx("token: the active key %s cannot be read: no "
			    "token can be issued", rec->kid);
		ctx->keys_retry = ctx->now + KEYS_RETRY;
		free(path);
		return 0;
	}
	free(path);
	if ((k->kid = strdup(rec->kid)) == NULL) {
		jwk_free(k);
		return -1;
	}
	ks->n++;
	if (strcmp(rec->state, "active") == 0)
		ctx->active_kid = ks->n;	/* index + 1: pointers move */
	return 0;
}

/*
 * Make ctx->keys match the store, reading key files again only when the
 * key generation changed (one small read per request otherwise).
 * Returns 0, or -1 if the store failed (logged).
 */
int
token_keys(struct ctx *ctx)
{
	struct store	*st;
	int64_t		 gen;

	if ((st = ctx_store(ctx)) == NULL ||
	    store_key_generation(st, &gen, &ctx->revocations) != STORE_OK)
		return -1;
	if (ctx->keys_loaded && gen == ctx->keys_generation &&
	    (ctx->keys_retry == 0 || ctx->now < ctx->keys_retry))
		return 0;

	keyset_free(&ctx->keys);
	ctx->active_kid = 0;
	ctx->keys_loaded = 0;
	ctx->keys_retry = 0;
	if (store_key_list(st, 0, add_key, ctx) != STORE_OK) {
		keyset_free(&ctx->keys);
		return -1;
	}
	ctx->keys.active = ctx->active_kid > 0 ?
	    &ctx->keys.keys[ctx->active_kid - 1] : NULL;
	ctx->keys_generation = gen;
	ctx->keys_loaded = 1;
	log_debug("token: %zu keys loaded", ctx->keys.n);
	return 0;
}

void
token_keys_free(struct ctx *ctx)
{
	size_t	 i, w;

	keyset_free(&ctx->keys);
	ctx->keys_loaded = 0;
	if (ctx->token_cache != NULL) {
		for (i = 0; i < CACHE_SETS; i++)
			for (w = 0; w < CACHE_WAYS; w++)
				principal_clear(
				    &ctx->token_cache->sets[i][w].p);
		free(ctx->token_cache);
		ctx->token_cache = NULL;
	}
}

/* A deep copy of a principal. Returns 0, or -1 out of memory. */
static int
copy_principal(struct principal *to, const struct principal *from)
{
	*to = *from;
	to->user = strdup(from->user);
	to->jti = strdup(from->jti);
	if (to->user == NULL || to->jti == NULL) {
		principal_clear(to);
		return -1;
	}
	return 0;
}

/*
 * The remembered entry for the token whose SHA-256 is "hash", or NULL.
 * Digests are compared in constant time, like everything derived from
 * a credential.
 */
static struct cache_entry *
cache_find(struct ctx *ctx, const unsigned char *hash)
{
	struct cache_entry	*set;
	int			 w;

	if (ctx->token_cache == NULL)
		return NULL;
	set = ctx->token_cache->sets[(hash[0] | hash[1] << 8) % CACHE_SETS];
	for (w = 0; w < CACHE_WAYS; w++)
		if (set[w].used && CRYPTO_memcmp(set[w].hash, hash,
		    SHA256_DIGEST_LENGTH) == 0)
			return &set[w];
	return NULL;
}

/*
 * Remember a token just verified in full, with its times: in place of
 * its own stale entry if it has one (so that it never fills two ways),
 * else in a free way, else in the one least recently taken.
 */
static void
cache_put(struct ctx *ctx, const unsigned char *hash, const json_t *claims,
    const struct principal *p)
{
	struct cache_entry	*set, *e;
	double			 from, nbf;
	int			 w;

	if (ctx->token_cache == NULL &&
	    (ctx->token_cache = calloc(1, sizeof(*ctx->token_cache))) == NULL)
		return;
	if ((e = cache_find(ctx, hash)) == NULL) {
		set = ctx->token_cache->sets[(hash[0] | hash[1] << 8) %
		    CACHE_SETS];
		e = &set[0];
		for (w = 0; w < CACHE_WAYS && e->used; w++)
			if (!set[w].used || set[w].stamp < e->stamp)
				e = &set[w];
	}
	principal_clear(&e->p);
	e->used = 0;
	if (copy_principal(&e->p, p) == -1)
		return;
	from = json_number_value(json_object_get(claims, "iat"));
	nbf = json_number_value(json_object_get(claims, "nbf"));
	if (json_object_get(claims, "nbf") != NULL && nbf > from)
		from = nbf;
	e->from = from - (double)ctx->cfg->leeway;
	e->until = json_number_value(json_object_get(claims, "exp")) +
	    (double)ctx->cfg->leeway;
	memcpy(e->hash, hash, sizeof(e->hash));
	e->generation = ctx->keys_generation;
	e->revocations = ctx->revocations;
	e->stamp = ++ctx->token_cache->clock;
	e->used = 1;
}

/*
 * Year 10000 in seconds since the epoch: no time claim lies beyond it,
 * and every time below it fits an int64_t and the formats that print it.
 */
#define NUMERIC_DATE_MAX	253402300800.0

/*
 * A time claim (a NumericDate: exp, iat, nbf): "*v" gets it. A claim of
 * another JSON type is an error, never "absent" (CVE-2026-25537 treated
 * a string exp as absent), and so is a time before 1970 or after 9999,
 * which only a forger would sign and which would not convert to int64_t.
 * Returns 1 present, 0 absent (an error when "required"), -1 malformed.
 */
static int
number_claim(const json_t *claims, const char *name, int required,
    double *v)
{
	const json_t	*j = json_object_get(claims, name);

	if (j == NULL)
		return required ? -1 : 0;
	if (!json_is_number(j))
		return -1;
	*v = json_number_value(j);
	return *v >= 0 && *v < NUMERIC_DATE_MAX ? 1 : -1;
}

/*
 * Check a claims set against the configuration at time "now": iss and
 * aud are ours; sub and jti are strings; exp, iat (and nbf when present)
 * are numbers, in range with the configured leeway, and exp lies no
 * further ahead than an access token of ours ever does. "expired_ok"
 * waives only the exp deadline (revocation of an old token). Returns
 * NULL, or the reason it fails.
 */
const char *
token_check_claims(const json_t *claims, const struct config *cfg,
    int64_t now, int expired_ok)
{
	const json_t	*aud, *a;
	const char	*s;
	double		 exp, iat, nbf;
	size_t		 i;
	int		 found = 0, has_nbf;

	s = json_string_value(json_object_get(claims, "iss"));
	if (s == NULL || strcmp(s, cfg->issuer) != 0)
		return "iss missing or not ours";
	aud = json_object_get(claims, "aud");
	if (json_is_string(aud))
		found = strcmp(json_string_value(aud), cfg->audience) == 0;
	else if (json_is_array(aud))
		json_array_foreach(aud, i, a) {
			if (!json_is_string(a))
				return "aud holds a non-string";
			if (strcmp(json_string_value(a), cfg->audience) == 0)
				found = 1;
		}
	if (!found)
		return "aud missing or not ours";
	s = json_string_value(json_object_get(claims, "sub"));
	if (s == NULL || *s == '\0')
		return "sub missing or not a string";
	s = json_string_value(json_object_get(claims, "jti"));
	if (s == NULL || *s == '\0' || strlen(s) > 64)
		return "jti missing or not a string";

	if (number_claim(claims, "exp", 1, &exp) != 1)
		return "exp missing or not a time";
	if (number_claim(claims, "iat", 1, &iat) != 1)
		return "iat missing or not a time";
	if ((has_nbf = number_claim(claims, "nbf", 0, &nbf)) == -1)
		return "nbf not a time";
	/* Compared as doubles: no integer conversion to overflow. */
	if (!expired_ok && exp <= (double)(now - cfg->leeway))
		return "expired";
	if (exp > (double)(now + cfg->access_lifetime + cfg->leeway))
		return "exp beyond the longest lifetime we issue";
	if (iat > (double)(now + cfg->leeway))
		return "issued in the future";
	if (has_nbf == 1 && nbf > (double)(now + cfg->leeway))
		return "not valid yet";
	return NULL;
}

/*
 * Verify an access token and fill "p" (freed with principal_clear).
 * With "expired_ok", a token past its exp still verifies (to revoke it).
 * Returns AUTH_OK, AUTH_NONE with "*reason" set (logged by the caller),
 * or AUTH_UNAVAILABLE (logged).
 */
int
token_verify(struct ctx *ctx, const char *tok, size_t len, int expired_ok,
    struct principal *p, const char **reason)
{
	struct jws		 t;
	struct user		 u;
	struct cache_entry	*e;
	unsigned char		 hash[SHA256_DIGEST_LENGTH];
	json_t			*claims = NULL;
	const char		*typ, *sub;
	int			 rc, err;

	memset(p, 0, sizeof(*p));
	*reason = NULL;
	if (token_keys(ctx) == -1)
		return AUTH_UNAVAILABLE;
	sha256(tok, len, hash);
	if (!expired_ok && (e = cache_find(ctx, hash)) != NULL &&
	    e->generation == ctx->keys_generation &&
	    e->revocations == ctx->revocations &&
	    (double)ctx->now >= e->from && (double)ctx->now < e->until) {
		e->stamp = ++ctx->token_cache->clock;
		return copy_principal(p, &e->p) == 0 ? AUTH_OK :
		    AUTH_UNAVAILABLE;
	}
	if ((err = jws_verify(tok, len, &ctx->keys, &t)) != JWS_OK) {
		*reason = jws_reason(err);
		return AUTH_NONE;
	}
	rc = AUTH_NONE;
	typ = json_string_value(json_object_get(t.header, "typ"));
	if (json_object_get(t.header, "typ") != NULL &&
	    (typ == NULL || strcasecmp(typ, "JWT") != 0)) {
		*reason = "typ is not JWT";
		goto out;
	}
	if ((claims = jws_json_object(t.payload, t.payload_len)) == NULL) {
		*reason = "claims are not a JSON object";
		goto out;
	}
	if ((*reason = token_check_claims(claims, ctx->cfg, ctx->now,
	    expired_ok)) != NULL)
		goto out;

	switch (store_jti_revoked(ctx->store, json_string_value(
	    json_object_get(claims, "jti")))) {
	case 0:
		break;
	case 1:
		*reason = "revoked";
		goto out;
	default:
		rc = AUTH_UNAVAILABLE;
		goto out;
	}
	sub = json_string_value(json_object_get(claims, "sub"));
	switch (store_user_get(ctx->store, sub, &u)) {
	case STORE_OK:
		break;
	case STORE_NOTFOUND:
		*reason = "no such user";
		goto out;
	default:
		rc = AUTH_UNAVAILABLE;
		goto out;
	}
	/* The same name, but a user made after the token: not theirs. */
	if (u.disabled || !json_is_integer(json_object_get(claims, "uid")) ||
	    json_integer_value(json_object_get(claims, "uid")) != u.id) {
		*reason = u.disabled ? "user disabled" : "uid does not match";
		user_clear(&u);
		goto out;
	}
	p->user = u.name;
	u.name = NULL;
	p->user_id = u.id;
	p->admin = u.admin;
	p->via_token = 1;
	p->jti = strdup(json_string_value(json_object_get(claims, "jti")));
	p->expires = (int64_t)json_number_value(json_object_get(claims,
	    "exp"));
	p->created = (int64_t)json_number_value(json_object_get(claims,
	    "iat"));
	p->absolute = p->expires;
	user_clear(&u);
	rc = p->jti != NULL ? AUTH_OK : AUTH_UNAVAILABLE;
	if (rc == AUTH_OK && !expired_ok)
		cache_put(ctx, hash, claims, p);
out:
	json_decref(claims);
	jws_clear(&t);
	if (rc != AUTH_OK)
		principal_clear(p);
	return rc;
}

/*
 * Issue a token pair for "u" and return the token response (RFC 6749
 * section 5.1) in "*out" (caller decrefs). The refresh token joins
 * "family" (NULL: a new family ending after refresh_lifetime) and, when
 * "old" is given, replaces that refresh token in the same transaction.
 * Returns TOKEN_OK, TOKEN_NOKEY (no active signing key), TOKEN_USED
 * ("old" was exchanged meanwhile), TOKEN_INVALID (a first pair, but the
 * password hash "u" was checked against is no longer the user's, or
 * the account was disabled: see store_refresh_add) or
 * TOKEN_UNAVAILABLE (logged).
 */
int
token_issue(struct ctx *ctx, const struct user *u,
    const unsigned char *family, int64_t family_expires,
    const unsigned char *old, json_t **out)
{
	const struct config	*cfg = ctx->cfg;
	struct refresh_record	 rec;
	struct buf		 access;
	json_t			*claims = NULL;
	char			 jti[32], refresh[SESSION_ID_LEN + 1], *text;
	int			 rc = TOKEN_UNAVAILABLE, srv;

	*out = NULL;
	memset(&rec, 0, sizeof(rec));
	buf_init(&access);
	if (token_keys(ctx) == -1)
		return TOKEN_UNAVAILABLE;
	if (ctx->keys.active == NULL) {
		log_warnx("token: no active signing key (gatehouse-admin key "
		    "generate)");
		return TOKEN_NOKEY;
	}
	if (random_b64(JTI_BYTES, jti, sizeof(jti)) == -1 ||
	    session_new_id(refresh) == -1)
		goto out;

	claims = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:I, "
	    "s:b}", "iss", cfg->issuer, "aud", cfg->audience, "sub", u->name,
	    "exp", (json_int_t)(ctx->now + cfg->access_lifetime),
	    "nbf", (json_int_t)ctx->now, "iat", (json_int_t)ctx->now,
	    "jti", jti, "name", u->name, "uid", (json_int_t)u->id,
	    "admin", u->admin);
	if (claims == NULL || (text = json_dumps(claims, JSON_COMPACT |
	    JSON_SORT_KEYS)) == NULL)
		goto out;
	srv = jws_sign(ctx->keys.active, text, strlen(text), &access);
	free(text);
	if (srv == -1)
		goto out;

	session_hash_id(refresh, rec.hash);
	if (family != NULL)
		memcpy(rec.family, family, REFRESH_FAMILY_LEN);
	else if (RAND_bytes(rec.family, REFRESH_FAMILY_LEN) != 1)
		goto out;
	rec.user_id = u->id;
	rec.created = ctx->now;
	rec.expires = family != NULL ? family_expires :
	    ctx->now + cfg->refresh_lifetime;
	rec.access_jti = jti;
	/* Its last moment, leeway included: how long a revocation lasts. */
	rec.access_expires = ctx->now + cfg->access_lifetime + cfg->leeway;
	srv = old != NULL ? store_refresh_rotate(ctx->store, old, ctx->now,
	    &rec) : store_refresh_add(ctx->store, &rec, u->password_hash);
	if (srv == STORE_USED) {
		rc = TOKEN_USED;
		goto out;
	}
	if (srv == STORE_NOTFOUND) {
		log_info("token: %s was changed during the login", u->name);
		rc = TOKEN_INVALID;
		goto out;
	}
	if (srv != STORE_OK)
		goto out;

	*out = json_pack("{s:s, s:s, s:I, s:s}", "access_token", access.data,
	    "token_type", "Bearer", "expires_in",
	    (json_int_t)cfg->access_lifetime, "refresh_token", refresh);
	rc = *out != NULL ? TOKEN_OK : TOKEN_UNAVAILABLE;
out:
	json_decref(claims);
	wipe(refresh, sizeof(refresh));
	wipe(access.data, access.len);
	buf_free(&access);
	return rc;
}

/*
 * Exchange a refresh token for a new pair (into "*out"). A token that
 * was used already revokes its family; one that expired, or whose user
 * is disabled, is refused and its family dropped. Returns TOKEN_OK,
 * TOKEN_INVALID with "*reason" set, TOKEN_NOKEY or TOKEN_UNAVAILABLE.
 */
int
token_refresh(struct ctx *ctx, const char *refresh, json_t **out,
    const char **reason)
{
	struct refresh_record	 rec;
	struct user		 u;
	unsigned char		 hash[SESSION_HASH_LEN];
	int			 rc, n;

	*out = NULL;
	*reason = NULL;
	if (!session_id_wellformed(refresh)) {
		*reason = "malformed refresh token";
		return TOKEN_INVALID;
	}
	if (ctx_store(ctx) == NULL)
		return TOKEN_UNAVAILABLE;
	session_hash_id(refresh, hash);
	rc = store_refresh_get(ctx->store, hash, &rec);
	if (rc == STORE_NOTFOUND) {
		*reason = "unknown refresh token";
		return TOKEN_INVALID;
	}
	if (rc != STORE_OK)
		return TOKEN_UNAVAILABLE;

	if (rec.used != 0 || rec.expires <= ctx->now || rec.user_disabled) {
		*reason = rec.used != 0 ? "refresh token reused: family "
		    "revoked" : rec.expires <= ctx->now ? "refresh token "
		    "expired" : "user disabled";
		if (rec.used != 0) {
			log_warnx("token: a used refresh token of %s came "
			    "back; all tokens of that login are revoked",
			    rec.user);
			audit_record(ctx->store, ctx->now, AUDIT_TOKEN_REFRESH,
			    rec.user, ctx->client, "reused_family_revoked");
		}
		rc = store_refresh_revoke_family(ctx->store, rec.family, &n) ==
		    STORE_OK ? TOKEN_INVALID : TOKEN_UNAVAILABLE;
		refresh_clear(&rec);
		return rc;
	}

	if ((rc = store_user_get(ctx->store, rec.user, &u)) != STORE_OK) {
		refresh_clear(&rec);
		return TOKEN_UNAVAILABLE;
	}
	rc = token_issue(ctx, &u, rec.family, rec.expires, hash, out);
	if (rc == TOKEN_USED) {
		/* Exchanged by someone else just now: the same as reuse. */
		log_warnx("token: a refresh token of %s was exchanged twice; "
		    "all tokens of that login are revoked", rec.user);
		audit_record(ctx->store, ctx->now, AUDIT_TOKEN_REFRESH,
		    rec.user, ctx->client, "reused_family_revoked");
		*reason = "refresh token reused: family revoked";
		rc = store_refresh_revoke_family(ctx->store, rec.family, &n) ==
		    STORE_OK ? TOKEN_INVALID : TOKEN_UNAVAILABLE;
	} else if (rc == TOKEN_OK) {
		log_info("token: refreshed for %s", rec.user);
		audit_record(ctx->store, ctx->now, AUDIT_TOKEN_REFRESH,
		    rec.user, ctx->client, "ok");
	}
	user_clear(&u);
	refresh_clear(&rec);
	return rc;
}

/*
 * Revoke "token", an access token (revoked by jti until it expires) or a
 * refresh token (its whole family). Unknown and invalid tokens are no
 * error (RFC 7009 section 2.2). Returns 0, or -1 if the store failed.
 */
int
token_revoke(struct ctx *ctx, const char *token)
{
	struct refresh_record	 rec;
	struct principal	 p;
	unsigned char		 hash[SESSION_HASH_LEN];
	const char		*reason;
	int			 rc, n;

	if (strchr(token, '.') != NULL) {
		rc = token_verify(ctx, token, strlen(token), 1, &p, &reason);
		if (rc == AUTH_UNAVAILABLE)
			return -1;
		if (rc == AUTH_NONE)
			return 0;
		rc = store_jti_revoke(ctx->store, p.jti, p.expires +
		    ctx->cfg->leeway);
		if (rc == STORE_OK) {
			log_info("token: an access token of %s revoked",
			    p.user);
			audit_record(ctx->store, ctx->now, AUDIT_TOKEN_REVOKE,
			    p.user, ctx->client, "access");
		}
		principal_clear(&p);
		return rc == STORE_OK ? 0 : -1;
	}
	if (!session_id_wellformed(token))
		return 0;
	if (ctx_store(ctx) == NULL)
		return -1;
	session_hash_id(token, hash);
	rc = store_refresh_get(ctx->store, hash, &rec);
	if (rc == STORE_NOTFOUND)
		return 0;
	if (rc != STORE_OK)
		return -1;
	rc = store_refresh_revoke_family(ctx->store, rec.family, &n);
	if (rc == STORE_OK) {
		log_info("token: the refresh tokens of a login of %s revoked",
		    rec.user);
		audit_record(ctx->store, ctx->now, AUDIT_TOKEN_REVOKE,
		    rec.user, ctx->client, "refresh");
	}
	refresh_clear(&rec);
	return rc == STORE_OK ? 0 : -1;
}
