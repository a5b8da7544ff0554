/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Keys for signed tokens: each bound to one JWS algorithm (RFC 7518),
 * built from a JWK (RFC 7517), generated, written to and read from a
 * key file, and published as a public JWK. OpenSSL holds and checks the
 * key material; this file only maps between it and JOSE's forms.
 *
 * A key refuses what its algorithm should not accept: RSA below 2048
 * bits, an EC key on another curve than the algorithm's, an HMAC secret
 * shorter than the hash (RFC 7518 section 3.2), an empty one above all.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "gatehouse.h"
#include "jwk.h"

#define HMAC_PEM_NAME	"GATEHOUSE HMAC KEY"
#define HMAC_GEN_LEN	64	/* bytes of a generated HMAC secret */
#define RSA_GEN_BITS	3072
#define RSA_MIN_BITS	2048
#define B64_MAX		1400	/* base64url of an RSA modulus up to 8192 */

static const struct jws_alg_info algs[JWS_ALG__MAX] = {
	{ "HS256", JWS_KIND_HMAC, "SHA256", NULL, 32 },
	{ "HS384", JWS_KIND_HMAC, "SHA384", NULL, 48 },
	{ "HS512", JWS_KIND_HMAC, "SHA512", NULL, 64 },
	{ "RS256", JWS_KIND_RSA, "SHA256", NULL, 0 },
	{ "RS384", JWS_KIND_RSA, "SHA384", NULL, 0 },
	{ "RS512", JWS_KIND_RSA, "SHA512", NULL, 0 },
	{ "PS256", JWS_KIND_RSA_PSS, "SHA256", NULL, 0 },
	{ "PS384", JWS_KIND_RSA_PSS, "SHA384", NULL, 0 },
	{ "PS512", JWS_KIND_RSA_PSS, "SHA512", NULL, 0 },
	{ "ES256", JWS_KIND_EC, "SHA256", "P-256", 32 },
	{ "ES384", JWS_KIND_EC, "SHA384", "P-384", 48 },
	{ "ES512", JWS_KIND_EC, "SHA512", "P-521", 66 },
	{ "EdDSA", JWS_KIND_EDDSA, NULL, "Ed25519", 32 },
};

static int	 b64_field(const json_t *, const char *, unsigned char *,
		    size_t, size_t *);
static int	 rsa_from_json(const json_t *, struct jwk *);
static int	 ec_from_json(const json_t *, struct jwk *);
static int	 okp_from_json(const json_t *, struct jwk *);
static int	 oct_from_json(const json_t *, struct jwk *);
static int	 check_pkey(struct jwk *);
static int	 add_bn(json_t *, const char *, const BIGNUM *, size_t);
static void	 prepared_free(struct jwk_prepared *);

const struct jws_alg_info *
jws_alg_info(enum jws_alg alg)
{
	return alg < JWS_ALG__MAX ? &algs[alg] : NULL;
}

/* The algorithm named exactly (case and all) "name". Returns 0 or -1. */
int
jws_alg_parse(const char *name, enum jws_alg *alg)
{
	int	 i;

	for (i = 0; i < JWS_ALG__MAX; i++)
		if (strcmp(name, algs[i].name) == 0) {
			*alg = (enum jws_alg)i;
			return 0;
		}
	return -1;
}

void
jwk_free(struct jwk *k)
{
	prepared_free(k->prep);
	free(k->kid);
	EVP_PKEY_free(k->pkey);
	if (k->secret != NULL)
		wipe(k->secret, k->secret_len);
	free(k->secret);
	memset(k, 0, sizeof(*k));
}

/*
 * Decode the base64url member "name" of "j" into "out" (at most "size"
 * bytes). Returns 0 with "*len" set, or -1 if absent or malformed.
 */
static int
b64_field(const json_t *j, const char *name, unsigned char *out, size_t size,
    size_t *len)
{
	const char	*s = json_string_value(json_object_get(j, name));
	int		 n;

	if (s == NULL || strlen(s) > B64_MAX)
		return -1;
	if ((n = base64_decode(s, strlen(s), 1, out, size)) < 0)
		return -1;
	*len = (size_t)n;
	return 0;
}

/* Is the key what its algorithm needs? Returns 0 or -1. */
static int
check_pkey(struct jwk *k)
{
	const struct jws_alg_info	*a = &algs[k->alg];
	EVP_PKEY_CTX			*ctx;
	char				 group[32];
	int				 ok = 0;

	switch (a->kind) {
	case JWS_KIND_RSA:
	case JWS_KIND_RSA_PSS:
		ok = EVP_PKEY_is_a(k->pkey, "RSA") &&
		    EVP_PKEY_get_bits(k->pkey) >= RSA_MIN_BITS;
		break;
	case JWS_KIND_EC:
		ok = EVP_PKEY_is_a(k->pkey, "EC") &&
		    EVP_PKEY_get_utf8_string_param(k->pkey,
		    OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), NULL) &&
		    (strcmp(group, a->curve) == 0 ||
		    (strcmp(a->curve, "P-256") == 0 &&
		    strcmp(group, "prime256v1") == 0) ||
		    (strcmp(a->curve, "P-384") == 0 &&
		    strcmp(group, "secp384r1") == 0) ||
		    (strcmp(a->curve, "P-521") == 0 &&
		    strcmp(group, "secp521r1") == 0));
		break;
	case JWS_KIND_EDDSA:
		ok = EVP_PKEY_is_a(k->pkey, "ED25519");
		break;
	case JWS_KIND_HMAC:
		return k->secret != NULL && k->secret_len >= a->size ? 0 : -1;
	}
	if (!ok)
		return -1;

	/* The public part must be sound: a point on the curve, say. */
	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k->pkey, NULL)) == NULL)
		return -1;
	ok = EVP_PKEY_public_check(ctx) == 1;
	EVP_PKEY_CTX_free(ctx);
	return ok ? 0 : -1;
}

static int
rsa_from_json(const json_t *j, struct jwk *k)
{
	static const char *const names[] = {
		"n", "e", "d", "p", "q", "dp", "dq", "qi"
	};
	static const char *const params[] = {
		OSSL_PKEY_PARAM_RSA_N, OSSL_PKEY_PARAM_RSA_E,
		OSSL_PKEY_PARAM_RSA_D, OSSL_PKEY_PARAM_RSA_FACTOR1,
		OSSL_PKEY_PARAM_RSA_FACTOR2, OSSL_PKEY_PARAM_RSA_EXPONENT1,
		OSSL_PKEY_PARAM_RSA_EXPONENT2,
		OSSL_PKEY_PARAM_RSA_COEFFICIENT1
	};
	unsigned char	 raw[1024];
	BIGNUM		*bn[8] = { NULL };
	OSSL_PARAM_BLD	*bld = NULL;
	OSSL_PARAM	*p = NULL;
	EVP_PKEY_CTX	*ctx = NULL;
	size_t		 i, len, n;
	int		 rc = -1;

	/* A private key needs all of d, p, q, dp, dq, qi; else public. */
	n = json_object_get(j, "d") != NULL ? 8 : 2;
	if ((bld = OSSL_PARAM_BLD_new()) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		if (b64_field(j, names[i], raw, sizeof(raw), &len) == -1 ||
		    len == 0 || (bn[i] = BN_bin2bn(raw, (int)len, NULL)) ==
		    NULL || !OSSL_PARAM_BLD_push_BN(bld, params[i], bn[i]))
			goto out;
	}
	if ((p = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &k->pkey, n == 8 ? EVP_PKEY_KEYPAIR :
	    EVP_PKEY_PUBLIC_KEY, p) != 1)
		goto out;
	k->private = n == 8;
	rc = 0;
out:
	for (i = 0; i < 8; i++)
		BN_clear_free(bn[i]);
	OSSL_PARAM_free(p);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	wipe(raw, sizeof(raw));
	return rc;
}

static int
ec_from_json(const json_t *j, struct jwk *k)
{
	const struct jws_alg_info	*a = &algs[k->alg];
	unsigned char			 point[1 + 2 * 66], d[66];
	const char			*crv;
	BIGNUM				*priv = NULL;
	OSSL_PARAM_BLD			*bld = NULL;
	OSSL_PARAM			*p = NULL;
	EVP_PKEY_CTX			*ctx = NULL;
	size_t				 xl, yl, dl;
	int				 rc = -1, has_d;

	crv = json_string_value(json_object_get(j, "crv"));
	if (crv == NULL || strcmp(crv, a->curve) != 0)
		return -1;
	/* Coordinates are exactly the field size (RFC 7518 6.2.1.2). */
	point[0] = 0x04;
	if (b64_field(j, "x", point + 1, a->size, &xl) == -1 ||
	    b64_field(j, "y", point + 1 + a->size, a->size, &yl) == -1 ||
	    xl != a->size || yl != a->size)
		return -1;
	has_d = json_object_get(j, "d") != NULL;
	if (has_d && (b64_field(j, "d", d, sizeof(d), &dl) == -1 ||
	    dl != a->size || (priv = BN_bin2bn(d, (int)dl, NULL)) == NULL))
		goto out;

	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    a->curve, 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    point, 1 + 2 * a->size) ||
	    (has_d && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY,
	    priv)) ||
	    (p = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &k->pkey, has_d ? EVP_PKEY_KEYPAIR :
	    EVP_PKEY_PUBLIC_KEY, p) != 1)
		goto out;
	k->private = has_d;
	rc = 0;
out:
	BN_clear_free(priv);
	OSSL_PARAM_free(p);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	wipe(d, sizeof(d));
	return rc;
}

static int
okp_from_json(const json_t *j, struct jwk *k)
{
	unsigned char	 x[32], d[32];
	const char	*crv = json_string_value(json_object_get(j, "crv"));
	size_t		 xl, dl;
	int		 rc = -1;

	if (crv == NULL || strcmp(crv, "Ed25519") != 0 ||
	    b64_field(j, "x", x, sizeof(x), &xl) == -1 || xl != 32)
		return -1;
	if (json_object_get(j, "d") != NULL) {
		if (b64_field(j, "d", d, sizeof(d), &dl) == -1 || dl != 32)
			goto out;
		k->pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL,
		    d, 32);
		k->private = 1;
	} else
		k->pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL,
		    x, 32);
	if (k->pkey == NULL)
		goto out;
	/* A private key's public half must be the "x" given. */
	if (k->private) {
		unsigned char	 pub[32];
		size_t		 pl = sizeof(pub);

		if (EVP_PKEY_get_raw_public_key(k->pkey, pub, &pl) != 1 ||
		    pl != 32 || CRYPTO_memcmp(pub, x, 32) != 0)
			goto out;
	}
	rc = 0;
out:
	wipe(d, sizeof(d));
	return rc;
}

static int
oct_from_json(const json_t *j, struct jwk *k)
{
	unsigned char	 raw[512];
	size_t		 len;

	if (b64_field(j, "k", raw, sizeof(raw), &len) == -1 || len == 0)
		return -1;
	if ((k->secret = malloc(len)) == NULL)
		return -1;
	memcpy(k->secret, raw, len);
	k->secret_len = len;
	k->private = 1;
	wipe(raw, sizeof(raw));
	return 0;
}

/*
 * Build a key for algorithm "alg" from the JWK "j" (kty RSA, EC, OKP or
 * oct). A "kid" in the JWK is kept. Returns 0, or -1 if the JWK is
 * malformed or unfit for "alg" ("k" is then empty).
 */
int
jwk_from_json(const json_t *j, enum jws_alg alg, struct jwk *k)
{
	const char	*kty, *kid;
	int		 rc = -1;

	memset(k, 0, sizeof(*k));
	if (alg >= JWS_ALG__MAX || !json_is_object(j) ||
	    (kty = json_string_value(json_object_get(j, "kty"))) == NULL)
		return -1;
	k->alg = alg;
	switch (algs[alg].kind) {
	case JWS_KIND_RSA:
	case JWS_KIND_RSA_PSS:
		if (strcmp(kty, "RSA") == 0)
			rc = rsa_from_json(j, k);
		break;
	case JWS_KIND_EC:
		if (strcmp(kty, "EC") == 0)
			rc = ec_from_json(j, k);
		break;
	case JWS_KIND_EDDSA:
		if (strcmp(kty, "OKP") == 0)
			rc = okp_from_json(j, k);
		break;
	case JWS_KIND_HMAC:
		if (strcmp(kty, "oct") == 0)
			rc = oct_from_json(j, k);
		break;
	}
	if (rc == 0 && (check_pkey(k) == -1 || jwk_prepare(k) == -1))
		rc = -1;
	kid = json_string_value(json_object_get(j, "kid"));
	if (rc == 0 && kid != NULL && (k->kid = strdup(kid)) == NULL)
		rc = -1;
	if (rc == -1)
		jwk_free(k);
	return rc;
}

/* Add "name": base64url of "bn" padded to "size" bytes (0: minimal). */
static int
add_bn(json_t *obj, const char *name, const BIGNUM *bn, size_t size)
{
	unsigned char	 raw[1024];
	char		 enc[B64_MAX + 4];
	int		 len;

	len = size > 0 ? BN_bn2binpad(bn, raw, (int)size) :
	    BN_bn2bin(bn, raw);
	if (len <= 0 || len > (int)sizeof(raw) ||
	    base64_encode(raw, (size_t)len, 1, enc, sizeof(enc)) < 0)
		return -1;
	return json_object_set_new(obj, name, json_string(enc));
}

/*
 * The public JWK of an asymmetric key (RFC 7517 section 4, with "use"
 * sig, "alg" and "kid"), for the JWKS document. NULL for an HMAC key,
 * whose secret is never published, or on failure. Caller decrefs.
 */
json_t *
jwk_public_json(const struct jwk *k)
{
	const struct jws_alg_info	*a = &algs[k->alg];
	json_t				*j;
	BIGNUM				*x = NULL, *y = NULL;
	unsigned char			 raw[32];
	char				 enc[64];
	size_t				 len = sizeof(raw);
	int				 rc = -1;

	if (a->kind == JWS_KIND_HMAC || k->pkey == NULL ||
	    (j = json_object()) == NULL)
		return NULL;
	switch (a->kind) {
	case JWS_KIND_RSA:
	case JWS_KIND_RSA_PSS:
		if (EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_RSA_N, &x) &&
		    EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_RSA_E, &y) &&
		    json_object_set_new(j, "kty", json_string("RSA")) == 0 &&
		    add_bn(j, "n", x, 0) == 0 && add_bn(j, "e", y, 0) == 0)
			rc = 0;
		break;
	case JWS_KIND_EC:
		if (EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_EC_PUB_X,
		    &x) && EVP_PKEY_get_bn_param(k->pkey,
		    OSSL_PKEY_PARAM_EC_PUB_Y, &y) &&
		    json_object_set_new(j, "kty", json_string("EC")) == 0 &&
		    json_object_set_new(j, "crv", json_string(a->curve)) == 0 &&
		    add_bn(j, "x", x, a->size) == 0 &&
		    add_bn(j, "y", y, a->size) == 0)
			rc = 0;
		break;
	case JWS_KIND_EDDSA:
		if (EVP_PKEY_get_raw_public_key(k->pkey, raw, &len) == 1 &&
		    base64_encode(raw, len, 1, enc, sizeof(enc)) > 0 &&
		    json_object_set_new(j, "kty", json_string("OKP")) == 0 &&
		    json_object_set_new(j, "crv", json_string("Ed25519")) == 0 &&
		    json_object_set_new(j, "x", json_string(enc)) == 0)
			rc = 0;
		break;
	case JWS_KIND_HMAC:
		break;
	}
	BN_free(x);
	BN_free(y);
	if (rc == 0 && (json_object_set_new(j, "use", json_string("sig")) ||
	    json_object_set_new(j, "alg", json_string(a->name)) ||
	    (k->kid != NULL && json_object_set_new(j, "kid",
	    json_string(k->kid)))))
		rc = -1;
	if (rc == -1) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/*
 * Generate a new private key for "alg": RSA of RSA_GEN_BITS, an EC key
 * on the algorithm's curve, Ed25519, or HMAC_GEN_LEN random bytes.
 * Returns 0, or -1 (logged).
 */
int
jwk_generate(enum jws_alg alg, struct jwk *k)
{
	const struct jws_alg_info	*a;

	memset(k, 0, sizeof(*k));
	if ((a = jws_alg_info(alg)) == NULL)
		return -1;
	k->alg = alg;
	k->private = 1;
	switch (a->kind) {
	case JWS_KIND_HMAC:
		if ((k->secret = malloc(HMAC_GEN_LEN)) == NULL ||
		    RAND_bytes(k->secret, HMAC_GEN_LEN) != 1)
			goto fail;
		k->secret_len = HMAC_GEN_LEN;
		if (jwk_prepare(k) == -1)
			goto fail;
		return 0;
	case JWS_KIND_RSA:
	case JWS_KIND_RSA_PSS:
		k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA",
		    (size_t)RSA_GEN_BITS);
		break;
	case JWS_KIND_EC:
		k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", a->curve);
		break;
	case JWS_KIND_EDDSA:
		k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
		break;
	}
	if (k->pkey != NULL && jwk_prepare(k) == 0)
		return 0;
fail:
	log_warnx("jwk: cannot generate a %s key", a->name);
	jwk_free(k);
	return -1;
}

/*
 * Write the private key to a new file "path", readable by its owner
 * only: PKCS#8 PEM, or for HMAC the secret in a PEM block of our own.
 * Refuses to overwrite a file. Returns 0, or -1 (logged).
 */
int
jwk_write(const struct jwk *k, const char *path)
{
	BIO	*bio = NULL;
	int	 fd, rc = -1;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600))
	    == -1) {
		log_warn("jwk: %s", path);
		return -1;
	}
	if ((bio = BIO_new_fd(fd, BIO_CLOSE)) == NULL) {
		close(fd);
		goto out;
	}
	if (k->secret != NULL)
		rc = PEM_write_bio(bio, HMAC_PEM_NAME, "", k->secret,
		    (long)k->secret_len) > 0 ? 0 : -1;
	else
		rc = PEM_write_bio_PrivateKey(bio, k->pkey, NULL, NULL, 0,
		    NULL, NULL) == 1 ? 0 : -1;
	if (rc == 0 && BIO_flush(bio) != 1)
		rc = -1;
out:
	BIO_free(bio);
	if (rc == -1) {
		log_warnx("jwk: cannot write %s", path);
		unlink(path);
	}
	return rc;
}

/*
 * Read the private key for "alg" from "path", as jwk_write wrote it, and
 * check that it fits the algorithm. Returns 0, or -1 (logged).
 */
int
jwk_read(const char *path, enum jws_alg alg, struct jwk *k)
{
	BIO		*bio;
	char		*name = NULL, *header = NULL;
	unsigned char	*data = NULL;
	long		 len = 0;
	int		 rc = -1;

	memset(k, 0, sizeof(*k));
	k->alg = alg;
	k->private = 1;
	if ((bio = BIO_new_file(path, "r")) == NULL) {
		log_warn("jwk: %s", path);
		return -1;
	}
	if (algs[alg].kind == JWS_KIND_HMAC) {
		if (PEM_read_bio(bio, &name, &header, &data, &len) == 1 &&
		    strcmp(name, HMAC_PEM_NAME) == 0 && len > 0 &&
		    (k->secret = malloc((size_t)len)) != NULL) {
			memcpy(k->secret, data, (size_t)len);
			k->secret_len = (size_t)len;
			rc = 0;
		}
	} else if ((k->pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL))
	    != NULL)
		rc = 0;
	BIO_free(bio);
	OPENSSL_free(name);
	OPENSSL_free(header);
	if (data != NULL)
		OPENSSL_clear_free(data, (size_t)len);
	if (rc == 0 && (check_pkey(k) == -1 || jwk_prepare(k) == -1))
		rc = -1;
	if (rc == -1) {
		log_warnx("jwk: %s is not a usable %s key", path,
		    algs[alg].name);
		jwk_free(k);
	}
	return rc;
}

/*
 * Make, once per key, what each verification would otherwise make again:
 * the digest, the HMAC context already keyed, the verify context with
 * its padding set, the EC group's order. A worker verifies thousands of
 * tokens with one key, and OpenSSL's lookups by name cost more than the
 * HMAC itself. Called by the functions that make keys; 0 or -1.
 */
int
jwk_prepare(struct jwk *k)
{
	const struct jws_alg_info	*a = &algs[k->alg];
	struct jwk_prepared		*p;
	OSSL_PARAM			 params[2];
	EVP_MAC				*mac = NULL;
	EC_GROUP			*group = NULL;

	if (k->prep != NULL)
		return 0;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return -1;
	k->prep = p;
	if (a->md != NULL && (p->md = EVP_MD_fetch(NULL, a->md, NULL)) ==
	    NULL)
		return -1;
	switch (a->kind) {
	case JWS_KIND_HMAC:
		params[0] = OSSL_PARAM_construct_utf8_string(
		    OSSL_MAC_PARAM_DIGEST, (char *)(uintptr_t)a->md, 0);
		params[1] = OSSL_PARAM_construct_end();
		if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL ||
		    (p->mac = EVP_MAC_CTX_new(mac)) == NULL ||
		    EVP_MAC_init(p->mac, k->secret, k->secret_len, params) !=
		    1) {
			EVP_MAC_free(mac);
			return -1;
		}
		EVP_MAC_free(mac);
		return 0;
	case JWS_KIND_EC:
		if ((group = EC_GROUP_new_by_curve_name(EC_curve_nist2nid(
		    a->curve))) == NULL ||
		    (p->order = BN_dup(EC_GROUP_get0_order(group))) == NULL) {
			EC_GROUP_free(group);
			return -1;
		}
		EC_GROUP_free(group);
		/* FALLTHROUGH */
	case JWS_KIND_RSA:
	case JWS_KIND_RSA_PSS:
		if ((p->verify = EVP_PKEY_CTX_new_from_pkey(NULL, k->pkey,
		    NULL)) == NULL || EVP_PKEY_verify_init(p->verify) != 1 ||
		    EVP_PKEY_CTX_set_signature_md(p->verify, p->md) != 1)
			return -1;
		if (a->kind == JWS_KIND_RSA)
			return EVP_PKEY_CTX_set_rsa_padding(p->verify,
			    RSA_PKCS1_PADDING) == 1 ? 0 : -1;
		if (a->kind == JWS_KIND_RSA_PSS)
			return EVP_PKEY_CTX_set_rsa_padding(p->verify,
			    RSA_PKCS1_PSS_PADDING) == 1 &&
			    EVP_PKEY_CTX_set_rsa_pss_saltlen(p->verify,
			    RSA_PSS_SALTLEN_DIGEST) == 1 &&
			    EVP_PKEY_CTX_set_rsa_mgf1_md(p->verify, p->md) ==
			    1 ? 0 : -1;
		return 0;
	case JWS_KIND_EDDSA:
		return 0;
	}
	return -1;
}

static void
prepared_free(struct jwk_prepared *p)
{
	if (p == NULL)
		return;
	EVP_MD_free(p->md);
	EVP_MAC_CTX_free(p->mac);
	EVP_PKEY_CTX_free(p->verify);
	BN_free(p->order);
	free(p);
}
