/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Password hashing with scrypt (RFC 7914), computed by OpenSSL.
 *
 * A stored hash describes itself in the PHC string format:
 *
 *	$scrypt$ln=15,r=8,p=1$<salt>$<hash>
 *
 * with salt (16 bytes) and hash (32 bytes) in unpadded standard base64.
 * Verification takes the cost from the string, so the configured cost
 * can rise later while old hashes keep working; password_needs_rehash
 * tells when a login should store a new one.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "gatehouse.h"

#define SALT_LEN	16	/* what we generate */
#define SALT_MIN	8	/* what we accept in a stored hash */
#define SALT_MAX	64
#define HASH_LEN	32
#define KDF_MEM_MAX	(1024ULL * 1024 * 1024)	/* refuse costs above 1 GiB */

static int	 scrypt(const char *, size_t, const unsigned char *, size_t,
		    const struct kdf_params *, unsigned char *, size_t);
static uint64_t	 kdf_memory(const struct kdf_params *);
static uint64_t	 harden_units(const char *, const struct kdf_params *);
static int	 parse_hash(const char *, struct kdf_params *,
		    unsigned char [SALT_MAX], size_t *,
		    unsigned char [HASH_LEN]);

/*
 * The memory scrypt needs, as OpenSSL counts it: 128 * r * (N + 2) for V
 * plus 128 * r * p for B. OpenSSL refuses to run past its maxmem ceiling,
 * whose default (32 MiB) is just below what N = 2^15, r = 8 needs, so we
 * pass this figure as the ceiling.
 */
static uint64_t
kdf_memory(const struct kdf_params *k)
{
	return 128ULL * k->r * ((1ULL << k->log2n) + 2) + 128ULL * k->r * k->p;
}

/* Are these parameters in range, and affordable? Returns 1 or 0. */
int
kdf_params_valid(const struct kdf_params *k)
{
	if (k->log2n < 1 || k->log2n > 24 || k->r < 1 || k->r > 32 ||
	    k->p < 1 || k->p > 16)
		return 0;
	return kdf_memory(k) <= KDF_MEM_MAX;
}

/* Run scrypt. Returns 0, or -1 (logged). */
static int
scrypt(const char *pw, size_t pwlen, const unsigned char *salt,
    size_t saltlen, const struct kdf_params *k, unsigned char *out,
    size_t outlen)
{
	EVP_KDF		*kdf = NULL;
	EVP_KDF_CTX	*kctx = NULL;
	OSSL_PARAM	 params[7];
	uint64_t	 n = 1ULL << k->log2n, maxmem = kdf_memory(k) + 65536;
	uint32_t	 r = k->r, p = k->p;
	int		 rc = -1;

	params[0] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
	    (void *)(uintptr_t)pw, pwlen);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
	    (void *)(uintptr_t)salt, saltlen);
	params[2] = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n);
	params[3] = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r);
	params[4] = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p);
	params[5] = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM,
	    &maxmem);
	params[6] = OSSL_PARAM_construct_end();

	if ((kdf = EVP_KDF_fetch(NULL, "SCRYPT", NULL)) == NULL ||
	    (kctx = EVP_KDF_CTX_new(kdf)) == NULL) {
		log_warnx("%s: scrypt unavailable: %s", __func__,
		    ERR_reason_error_string(ERR_get_error()));
		goto out;
	}
	if (EVP_KDF_derive(kctx, out, outlen, params) != 1) {
		log_warnx("%s: scrypt failed: %s", __func__,
		    ERR_reason_error_string(ERR_get_error()));
		goto out;
	}
	rc = 0;
out:
	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
	return rc;
}

/*
 * Hash a password with a fresh random salt. On success "*out" is a PHC
 * string the caller frees. Returns 0, or -1 (logged).
 */
int
password_hash(const char *pw, size_t len, const struct kdf_params *k,
    char **out)
{
	unsigned char	 salt[SALT_LEN], hash[HASH_LEN];
	char		 salt64[32], hash64[48];
	int		 rc = -1;

	*out = NULL;
	if (!kdf_params_valid(k) || len > PASSWORD_MAX) {
		log_warnx("%s: parameters out of range", __func__);
		return -1;
	}
	if (RAND_bytes(salt, sizeof(salt)) != 1) {
		log_warnx("%s: no random bytes", __func__);
		return -1;
	}
	if (scrypt(pw, len, salt, sizeof(salt), k, hash, sizeof(hash)) == -1)
		goto out;
	if (base64_encode(salt, sizeof(salt), 0, salt64, sizeof(salt64)) < 0 ||
	    base64_encode(hash, sizeof(hash), 0, hash64, sizeof(hash64)) < 0)
		goto out;
	if (asprintf(out, "$scrypt$ln=%u,r=%u,p=%u$%s$%s", k->log2n, k->r,
	    k->p, salt64, hash64) == -1) {
		*out = NULL;
		goto out;
	}
	rc = 0;
out:
	wipe(hash, sizeof(hash));
	return rc;
}

/*
 * Split a stored PHC string into its parts. The format is matched in
 * full: numbers without signs or leading zeros, a salt of SALT_MIN to
 * SALT_MAX bytes (hashes made elsewhere may use other sizes than ours),
 * a hash of exactly HASH_LEN. Returns 0, or -1 for anything else.
 */
static int
parse_hash(const char *s, struct kdf_params *k, unsigned char salt[SALT_MAX],
    size_t *saltlen, unsigned char hash[HASH_LEN])
{
	int	 n;

	char		 salt64[96], hash64[64], canon[256], tail;
	unsigned int	 ln, r, p;
	int		 used = 0;

	if (strncmp(s, "$scrypt$ln=", 11) != 0 || strlen(s) > 240)
		return -1;
	/* NOLINTNEXTLINE(cert-err34-c): the canonical form below checks. */
	if (sscanf(s, "$scrypt$ln=%2u,r=%2u,p=%2u$%95[A-Za-z0-9+/]$"
	    "%63[A-Za-z0-9+/]%n%c", &ln, &r, &p, salt64, hash64, &used,
	    &tail) != 5 || used == 0 || s[used] != '\0')
		return -1;

	/* sscanf accepts "+1" and "01"; a canonical string does not. */
	snprintf(canon, sizeof(canon), "$scrypt$ln=%u,r=%u,p=%u$%s$%s", ln, r,
	    p, salt64, hash64);
	if (strcmp(canon, s) != 0)
		return -1;
	k->log2n = ln;
	k->r = r;
	k->p = p;
	if (!kdf_params_valid(k))
		return -1;
	n = base64_decode(salt64, strlen(salt64), 0, salt, SALT_MAX);
	if (n < SALT_MIN || base64_decode(hash64, strlen(hash64), 0, hash,
	    HASH_LEN) != HASH_LEN)
		return -1;
	*saltlen = (size_t)n;
	return 0;
}

/*
 * Check a password against a stored PHC string, comparing in constant
 * time. Returns 1 on a match, 0 on a mismatch, -1 if the stored string
 * is malformed or the computation failed (logged).
 */
int
password_verify(const char *pw, size_t len, const char *stored)
{
	struct kdf_params	 k;
	unsigned char		 salt[SALT_MAX], want[HASH_LEN], got[HASH_LEN];
	size_t			 saltlen;
	int			 rc = -1;

	if (parse_hash(stored, &k, salt, &saltlen, want) == -1) {
		log_warnx("%s: stored password hash is malformed", __func__);
		return -1;
	}
	if (len > PASSWORD_MAX)
		rc = 0;
	else if (scrypt(pw, len, salt, saltlen, &k, got, sizeof(got)) == 0)
		rc = CRYPTO_memcmp(got, want, HASH_LEN) == 0;
	wipe(got, sizeof(got));
	wipe(want, sizeof(want));
	return rc;
}

/*
 * Does "stored" use other parameters than "k", so that a successful login
 * should store a new hash? A malformed string needs one too. 1 or 0.
 */
int
password_needs_rehash(const char *stored, const struct kdf_params *k)
{
	struct kdf_params	 cur;
	unsigned char		 salt[SALT_MAX], hash[HASH_LEN];
	size_t			 saltlen;
	int			 differ;

	if (parse_hash(stored, &cur, salt, &saltlen, hash) == -1)
		return 1;
	differ = cur.log2n != k->log2n || cur.r != k->r || cur.p != k->p;
	wipe(hash, sizeof(hash));
	return differ;
}

/*
 * How much scrypt work a failed check against "stored" saved compared
 * with the configured cost "k", in units of N * r * p (scrypt's time grows
 * with each). A malformed stored hash cost nothing.
 */
static uint64_t
harden_units(const char *stored, const struct kdf_params *k)
{
	struct kdf_params	 s;
	unsigned char		 salt[SALT_MAX], hash[HASH_LEN];
	size_t			 saltlen;
	uint64_t		 want, had = 0;

	want = (1ULL << k->log2n) * k->r * k->p;
	if (parse_hash(stored, &s, salt, &saltlen, hash) == 0)
		had = (1ULL << s.log2n) * s.r * s.p;
	wipe(hash, sizeof(hash));
	return want > had ? want - had : 0;
}

/*
 * After a failed login against a stored hash, do the work the stored
 * hash's cost fell short of the configured one, the way Django's
 * harden_runtime pays for missing PBKDF2 iterations. Without this,
 * raising the cost would make an unknown user (checked at the configured
 * cost) answer slower than an existing one with an older hash, which
 * tells the two apart. The deficit is paid at the configured N, where
 * the memory traffic costs what it costs for the unknown user: whole
 * lanes (p) of the configured r, then one run of the r that is left.
 * What remains is less than one r step at that N, and is dropped.
 */
void
password_harden(const char *pw, size_t len, const char *stored,
    const struct kdf_params *k)
{
	static const unsigned char	 salt[SALT_LEN] = "gatehouse-harden";
	struct kdf_params		 pass;
	unsigned char			 out[HASH_LEN];
	uint64_t			 units = harden_units(stored, k);
	uint64_t			 n = 1ULL << k->log2n, lanes, rest;

	if (len > PASSWORD_MAX)
		len = PASSWORD_MAX;
	pass.log2n = k->log2n;
	lanes = units / (n * k->r);
	rest = (units - lanes * n * k->r) / n;
	if (lanes > 0) {
		pass.r = k->r;
		pass.p = (unsigned int)(lanes > 16 ? 16 : lanes);
		(void)scrypt(pw, len, salt, sizeof(salt), &pass, out,
		    sizeof(out));
	}
	if (rest > 0) {
		pass.r = (unsigned int)rest;
		pass.p = 1;
		(void)scrypt(pw, len, salt, sizeof(salt), &pass, out,
		    sizeof(out));
	}
	wipe(out, sizeof(out));
}

/*
 * Spend the time of one verification without a stored hash to compare
 * with. The login handler calls this for unknown users, so that the
 * answer's timing does not tell which names exist.
 */
void
password_waste(const char *pw, size_t len, const struct kdf_params *k)
{
	static const unsigned char	 salt[SALT_LEN] = "gatehouse-dummy";
	unsigned char			 out[HASH_LEN];

	if (len > PASSWORD_MAX)
		len = PASSWORD_MAX;
	(void)scrypt(pw, len, salt, sizeof(salt), k, out, sizeof(out));
	wipe(out, sizeof(out));
}
