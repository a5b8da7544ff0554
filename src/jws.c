/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * JWS compact serialization (RFC 7515): signing, and the strict
 * verification tokens get before anything else looks at them.
 *
 * JOSE libraries have been broken many times by trusting the token's own
 * header. Here the key is chosen first (by an exact "kid" among the
 * configured keys, or the only key), and the algorithm comes from that
 * key: the header's "alg" must merely equal it, byte for byte. So "none",
 * an HS256 token checked with an RSA public key as its HMAC secret, or a
 * key the token brings along ("jwk", "jku", "x5u", "x5c") never work.
 * A "crit" header is refused, since we understand no extension. Every
 * part must be canonical base64url; the JSON may not repeat a member or
 * nest deeper than a few levels.
 *
 * ES* signatures are JOSE's fixed-length r || s (RFC 7518 section
 * 3.4); OpenSSL wants DER, so they are converted, and an r or s of zero
 * or not below the group order is refused before OpenSSL sees it
 * (CVE-2022-21449 accepted r = s = 0 elsewhere).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "gatehouse.h"
#include "jwk.h"

#define JSON_DEPTH_MAX	8	/* nesting of a header or claims set */
#define SIG_MAX		1024	/* bytes: RSA up to 8192 bits */

static const char *const reasons[JWS__MAX] = {
	"valid",					/* JWS_OK */
	"token too large",				/* JWS_ESIZE */
	"not three base64url parts",			/* JWS_EFORMAT */
	"bad base64url",				/* JWS_EBASE64 */
	"header is not a JSON object",			/* JWS_EHEADER */
	"alg missing or not a string",			/* JWS_EALG */
	"alg none",					/* JWS_ENONE */
	"alg does not match the key",			/* JWS_EMISMATCH */
	"crit header not understood",			/* JWS_ECRIT */
	"key or key URL in the header",			/* JWS_EKEYHDR */
	"kid missing or unknown",			/* JWS_EKID */
	"JSON nested too deep",				/* JWS_EDEPTH */
	"bad signature",				/* JWS_ESIG */
	"internal error",				/* JWS_EINTERNAL */
};

static int	 depth_ok(const char *, size_t);
static int	 ec_raw_to_der(const struct jwk *, const unsigned char *,
		    size_t, unsigned char **, size_t *);
static int	 ec_der_to_raw(const struct jwk *, const unsigned char *,
		    size_t, unsigned char *);
static int	 hmac(const struct jwk *, const unsigned char *, size_t,
		    unsigned char *, size_t *);
static int	 pkey_setup(EVP_MD_CTX *, const struct jwk *);
static const struct jwk *
		 choose_key(const json_t *, const struct keyset *, int *);

const char *
jws_reason(int err)
{
	return err >= 0 && err < JWS__MAX ? reasons[err] : "unknown";
}

/*
 * Does the JSON text nest objects and arrays at most JSON_DEPTH_MAX deep?
 * Checked before parsing, so that a token of a thousand "[" never reaches
 * the parser's recursion. Strings are skipped, escapes and all.
 */
static int
depth_ok(const char *s, size_t len)
{
	size_t	 i;
	int	 depth = 0, in_string = 0;

	for (i = 0; i < len; i++) {
		if (in_string) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_string = 0;
		} else if (s[i] == '"')
			in_string = 1;
		else if (s[i] == '{' || s[i] == '[') {
			if (++depth > JSON_DEPTH_MAX)
				return 0;
		} else if (s[i] == '}' || s[i] == ']')
			depth--;
	}
	return 1;
}

/*
 * Parse JSON text strictly: an object, no repeated member, bounded depth,
 * nothing after it. Returns the object (caller decrefs) or NULL.
 */
json_t *
jws_json_object(const char *s, size_t len)
{
	json_error_t	 err;
	json_t		*j;

	if (!depth_ok(s, len))
		return NULL;
	j = json_loadb(s, len, JSON_REJECT_DUPLICATES, &err);
	if (j != NULL && !json_is_object(j)) {
		json_decref(j);
		j = NULL;
	}
	return j;
}

/*
 * HMAC of "in" into "out" with the key's ready context (jwk_prepare),
 * duplicated so that the keyed original stays as it is. 0 or -1.
 */
static int
hmac(const struct jwk *k, const unsigned char *in, size_t len,
    unsigned char *out, size_t *outlen)
{
	EVP_MAC_CTX	*ctx;
	int		 rc = -1;

	if (k->prep == NULL || k->prep->mac == NULL)
		return -1;
	if ((ctx = EVP_MAC_CTX_dup(k->prep->mac)) != NULL &&
	    EVP_MAC_update(ctx, in, len) == 1 &&
	    EVP_MAC_final(ctx, out, outlen, EVP_MAX_MD_SIZE) == 1)
		rc = 0;
	EVP_MAC_CTX_free(ctx);
	return rc;
}

/* Set up "md" to sign with the key's algorithm. 0 or -1. */
static int
pkey_setup(EVP_MD_CTX *md, const struct jwk *k)
{
	const struct jws_alg_info	*a = jws_alg_info(k->alg);
	EVP_PKEY_CTX			*pctx = NULL;
	const char			*digest = a->md;

	if (EVP_DigestSignInit_ex(md, &pctx, digest, NULL, NULL, k->pkey,
	    NULL) != 1)
		return -1;
	if (a->kind == JWS_KIND_RSA)
		return EVP_PKEY_CTX_set_rsa_padding(pctx,
		    RSA_PKCS1_PADDING) == 1 ? 0 : -1;
	if (a->kind == JWS_KIND_RSA_PSS) {
		/* RFC 7518 3.5: MGF1 with the same hash, salt of its size. */
		if (EVP_PKEY_CTX_set_rsa_padding(pctx,
		    RSA_PKCS1_PSS_PADDING) != 1 ||
		    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx,
		    RSA_PSS_SALTLEN_DIGEST) != 1 ||
		    EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, digest, NULL) != 1)
			return -1;
	}
	return 0;
}

/*
 * JOSE's r || s to DER for OpenSSL. Refuses a wrong length and an r or
 * s outside [1, n-1]. Returns 0 with "*der" (caller frees), or -1.
 */
static int
ec_raw_to_der(const struct jwk *k, const unsigned char *sig, size_t len,
    unsigned char **der, size_t *derlen)
{
	const struct jws_alg_info	*a = jws_alg_info(k->alg);
	const BIGNUM			*order = k->prep->order;
	BIGNUM				*r = NULL, *s = NULL;
	ECDSA_SIG			*es = NULL;
	unsigned char			*p = NULL;
	int				 n, rc = -1;

	if (len != 2 * a->size || order == NULL)
		return -1;
	r = BN_bin2bn(sig, (int)a->size, NULL);
	s = BN_bin2bn(sig + a->size, (int)a->size, NULL);
	if (r == NULL || s == NULL || BN_is_zero(r) || BN_is_zero(s) ||
	    BN_cmp(r, order) >= 0 || BN_cmp(s, order) >= 0)
		goto out;
	if ((es = ECDSA_SIG_new()) == NULL || ECDSA_SIG_set0(es, r, s) != 1)
		goto out;
	r = s = NULL;		/* now owned by "es" */
	if ((n = i2d_ECDSA_SIG(es, &p)) <= 0)
		goto out;
	*der = p;
	*derlen = (size_t)n;
	rc = 0;
out:
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(es);
	return rc;
}

/* OpenSSL's DER signature to JOSE's r || s, into "out". 0 or -1. */
static int
ec_der_to_raw(const struct jwk *k, const unsigned char *der, size_t len,
    unsigned char *out)
{
	const struct jws_alg_info	*a = jws_alg_info(k->alg);
	const unsigned char		*p = der;
	const BIGNUM			*r, *s;
	ECDSA_SIG			*es;
	int				 rc = -1;

	if ((es = d2i_ECDSA_SIG(NULL, &p, (long)len)) == NULL)
		return -1;
	ECDSA_SIG_get0(es, &r, &s);
	if (BN_bn2binpad(r, out, (int)a->size) == (int)a->size &&
	    BN_bn2binpad(s, out + a->size, (int)a->size) == (int)a->size)
		rc = 0;
	ECDSA_SIG_free(es);
	return rc;
}

/*
 * Check signature "sig" over "in" with key "k", by the key's algorithm.
 * Returns 1 if it verifies, 0 if not (malformed included), -1 if the
 * check itself failed.
 */
int
jws_check_signature(const struct jwk *k, const unsigned char *in,
    size_t len, const unsigned char *sig, size_t siglen)
{
	const struct jws_alg_info	*a = jws_alg_info(k->alg);
	unsigned char			 mac[EVP_MAX_MD_SIZE], *der = NULL;
	unsigned char			 digest[EVP_MAX_MD_SIZE];
	unsigned int			 dlen;
	size_t				 maclen = 0, derlen;
	EVP_MD_CTX			*md;
	int				 rc;

	if (a == NULL || k->prep == NULL)
		return -1;
	if (a->kind == JWS_KIND_HMAC) {
		if (hmac(k, in, len, mac, &maclen) == -1)
			return -1;
		/* The expected length is the hash's, never the token's. */
		rc = siglen == maclen && CRYPTO_memcmp(mac, sig, maclen) == 0;
		wipe(mac, sizeof(mac));
		return rc;
	}
	if (k->pkey == NULL)
		return -1;
	if (a->kind == JWS_KIND_EDDSA) {
		/* Ed25519 signs the message itself: no prehash, no reuse. */
		if ((md = EVP_MD_CTX_new()) == NULL)
			return -1;
		rc = EVP_DigestVerifyInit_ex(md, NULL, NULL, NULL, NULL,
		    k->pkey, NULL) != 1 ? -1 :
		    EVP_DigestVerify(md, sig, siglen, in, len) == 1;
		EVP_MD_CTX_free(md);
		return rc;
	}
	if (a->kind == JWS_KIND_EC) {
		if (ec_raw_to_der(k, sig, siglen, &der, &derlen) == -1)
			return 0;
		sig = der;
		siglen = derlen;
	}
	/* Hash once, then verify with the key's ready context. */
	if (EVP_Digest(in, len, digest, &dlen, k->prep->md, NULL) != 1)
		rc = -1;
	else
		rc = EVP_PKEY_verify(k->prep->verify, sig, siglen, digest,
		    dlen) == 1;
	OPENSSL_free(der);
	return rc;
}

/*
 * Sign "in" with "k" into "out" (at least JWS_SIG_MAX bytes). Returns the
 * signature's length, or -1.
 */
int
jws_make_signature(const struct jwk *k, const unsigned char *in, size_t len,
    unsigned char *out, size_t size)
{
	const struct jws_alg_info	*a = jws_alg_info(k->alg);
	unsigned char			 der[256];
	size_t				 n = 0;
	EVP_MD_CTX			*md;
	int				 rc = -1;

	if (a == NULL || !k->private)
		return -1;
	if (a->kind == JWS_KIND_HMAC)
		return size >= EVP_MAX_MD_SIZE && hmac(k, in, len, out, &n) == 0 ?
		    (int)n : -1;
	if ((md = EVP_MD_CTX_new()) == NULL || pkey_setup(md, k) == -1)
		goto out;
	if (a->kind == JWS_KIND_EC) {
		n = sizeof(der);
		if (EVP_DigestSign(md, der, &n, in, len) == 1 &&
		    size >= 2 * a->size && ec_der_to_raw(k, der, n, out) == 0)
			rc = (int)(2 * a->size);
	} else if (EVP_DigestSign(md, NULL, &n, in, len) == 1 && n <= size &&
	    EVP_DigestSign(md, out, &n, in, len) == 1)
		rc = (int)n;
out:
	EVP_MD_CTX_free(md);
	return rc;
}

/*
 * The key a token's header names: the one with exactly its "kid", or,
 * without a kid, the only verifying key there is. NULL, with "*err"
 * set, if the kid is missing, malformed or unknown.
 */
static const struct jwk *
choose_key(const json_t *hdr, const struct keyset *ks, int *err)
{
	const json_t	*kid = json_object_get(hdr, "kid");
	size_t		 i;

	*err = JWS_EKID;
	if (kid == NULL)
		return ks->n == 1 ? &ks->keys[0] : NULL;
	if (!json_is_string(kid))
		return NULL;
	for (i = 0; i < ks->n; i++)
		if (ks->keys[i].kid != NULL &&
		    strcmp(ks->keys[i].kid, json_string_value(kid)) == 0)
			return &ks->keys[i];
	return NULL;
}

void
jws_clear(struct jws *t)
{
	json_decref(t->header);
	if (t->payload != NULL)
		wipe(t->payload, t->payload_len);
	free(t->payload);
	memset(t, 0, sizeof(*t));
}

/*
 * Verify a compact JWS of "len" bytes against the keys of "ks" and fill
 * "t" (freed with jws_clear) with its header and decoded payload. Returns
 * JWS_OK or the first rule it breaks (jws_reason names it); "t" is empty
 * then.
 */
int
jws_verify(const char *tok, size_t len, const struct keyset *ks,
    struct jws *t)
{
	static const char *const key_headers[] = { "jwk", "jku", "x5u",
	    "x5c" };
	const char		*dot1, *dot2;
	const struct jwk	*k;
	unsigned char		 sig[SIG_MAX];
	char			*hdr = NULL;
	const char		*alg;
	size_t			 hlen, i;
	int			 n, err;

	memset(t, 0, sizeof(*t));
	if (len > JWS_MAX)
		return JWS_ESIZE;
	for (i = 0; i < len; i++)
		if (tok[i] != '.' && base64_value((unsigned char)tok[i], 1) < 0)
			return JWS_EFORMAT;
	if ((dot1 = memchr(tok, '.', len)) == NULL ||
	    (dot2 = memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - tok))) ==
	    NULL || memchr(dot2 + 1, '.', len - (size_t)(dot2 + 1 - tok)) !=
	    NULL || dot1 == tok)
		return JWS_EFORMAT;

	/* The header. */
	hlen = (size_t)(dot1 - tok);
	if ((hdr = malloc(hlen)) == NULL)
		return JWS_EINTERNAL;
	if ((n = base64_decode(tok, hlen, 1, (unsigned char *)hdr, hlen)) < 0) {
		free(hdr);
		return JWS_EBASE64;
	}
	err = !depth_ok(hdr, (size_t)n) ? JWS_EDEPTH : JWS_EHEADER;
	t->header = jws_json_object(hdr, (size_t)n);
	free(hdr);
	if (t->header == NULL)
		return err;

	/* What the header may and may not say. */
	if ((alg = json_string_value(json_object_get(t->header, "alg"))) ==
	    NULL) {
		err = JWS_EALG;
		goto fail;
	}
	if (strcasecmp(alg, "none") == 0) {
		err = JWS_ENONE;
		goto fail;
	}
	if (json_object_get(t->header, "crit") != NULL) {
		err = JWS_ECRIT;
		goto fail;
	}
	for (i = 0; i < sizeof(key_headers) / sizeof(key_headers[0]); i++)
		if (json_object_get(t->header, key_headers[i]) != NULL) {
			err = JWS_EKEYHDR;
			goto fail;
		}
	if ((k = choose_key(t->header, ks, &err)) == NULL)
		goto fail;
	if (strcmp(alg, jws_alg_info(k->alg)->name) != 0) {
		err = JWS_EMISMATCH;
		goto fail;
	}

	/* The signature, over the first two parts as they were sent. */
	n = base64_decode(dot2 + 1, len - (size_t)(dot2 + 1 - tok), 1, sig,
	    sizeof(sig));
	if (n < 0) {
		err = JWS_EBASE64;
		goto fail;
	}
	switch (jws_check_signature(k, (const unsigned char *)tok,
	    (size_t)(dot2 - tok), sig, (size_t)n)) {
	case 1:
		break;
	case 0:
		err = JWS_ESIG;
		goto fail;
	default:
		err = JWS_EINTERNAL;
		goto fail;
	}

	/* Only now the payload. */
	t->payload_len = (size_t)(dot2 - dot1 - 1);
	if ((t->payload = malloc(t->payload_len + 1)) == NULL) {
		err = JWS_EINTERNAL;
		goto fail;
	}
	if ((n = base64_decode(dot1 + 1, t->payload_len, 1,
	    (unsigned char *)t->payload, t->payload_len)) < 0) {
		err = JWS_EBASE64;
		goto fail;
	}
	t->payload_len = (size_t)n;
	t->payload[n] = '\0';
	t->key = k;
	return JWS_OK;
fail:
	jws_clear(t);
	return err;
}

/*
 * Sign "payload" ("len" bytes) with "k" into a compact JWS appended to
 * "out". The header is {"alg", "kid" (when the key has one), "typ":
 * "JWT"}. Returns 0, or -1 (logged).
 */
int
jws_sign(const struct jwk *k, const char *payload, size_t len,
    struct buf *out)
{
	json_t		*hdr;
	char		*text = NULL, *b64 = NULL;
	unsigned char	 sig[SIG_MAX];
	char		 sig64[SIG_MAX * 4 / 3 + 4];
	size_t		 start = out->len, tlen;
	int		 n, rc = -1;

	hdr = json_pack("{s:s, s:s}", "alg", jws_alg_info(k->alg)->name,
	    "typ", "JWT");
	if (hdr == NULL || (k->kid != NULL && json_object_set_new(hdr, "kid",
	    json_string(k->kid)) != 0) ||
	    (text = json_dumps(hdr, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		goto out;
	tlen = strlen(text);
	if (tlen < len)
		tlen = len;
	if ((b64 = malloc(tlen / 3 * 4 + 8)) == NULL)
		goto out;

	if (base64_encode((unsigned char *)text, strlen(text), 1, b64,
	    tlen / 3 * 4 + 8) < 0)
		goto out;
	buf_adds(out, b64);
	buf_addc(out, '.');
	if (base64_encode((const unsigned char *)payload, len, 1, b64,
	    tlen / 3 * 4 + 8) < 0)
		goto out;
	buf_adds(out, b64);
	if (out->oom)
		goto out;

	n = jws_make_signature(k, (unsigned char *)out->data + start,
	    out->len - start, sig, sizeof(sig));
	if (n < 0 || base64_encode(sig, (size_t)n, 1, sig64,
	    sizeof(sig64)) < 0)
		goto out;
	buf_addc(out, '.');
	buf_adds(out, sig64);
	rc = out->oom ? -1 : 0;
out:
	if (rc == -1) {
		log_warnx("jws: cannot sign with key %s",
		    k->kid != NULL ? k->kid : "-");
		if (!out->oom && out->data != NULL) {
			out->len = start;
			out->data[start] = '\0';
		}
	}
	json_decref(hdr);
	free(text);
	free(b64);
	return rc;
}
