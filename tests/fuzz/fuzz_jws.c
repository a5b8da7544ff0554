/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Fuzz target: compact JWS verification (jws_verify), the first thing a
 * bearer token or a refresh token meets. Each input is checked against
 * two fixed key sets: the RFC 7515 appendix A.1 HMAC key alone, without
 * a kid (so the field cases' reference token verifies and the payload
 * path is reached), and that key beside the appendix A.3 P-256 key, each
 * with a kid (so EC signatures of any shape reach the r || s checks).
 * Beyond not crashing: a token is accepted only with the key's own alg,
 * never with a key or a crit header of its own; its payload is the
 * decoding of the middle part; and changing one byte of what was signed
 * makes it fail.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "fuzz.h"

static const char	 hs_jwk[] = "{\"kty\":\"oct\",\"k\":\"AyM1SysPpbyDfgZ"
    "ld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9"
    "CAow\"}";
static const char	 ec_jwk[] = "{\"kty\":\"EC\",\"crv\":\"P-256\","
    "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
    "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\","
    "\"kid\":\"ec\"}";

static struct jwk	 hs_alone, hs_kid, ec_kid;
static struct jwk	 pair[2];
static struct keyset	 one, two;

static void
load(const char *text, enum jws_alg alg, const char *kid, struct jwk *k)
{
	json_t	*j;

	if ((j = json_loads(text, 0, NULL)) == NULL ||
	    jwk_from_json(j, alg, k) != 0)
		fuzz_fail(__FILE__, __LINE__, "jwk_from_json");
	json_decref(j);
	if (kid != NULL) {
		free(k->kid);
		if ((k->kid = strdup(kid)) == NULL)
			fuzz_fail(__FILE__, __LINE__, "strdup");
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	load(hs_jwk, JWS_HS256, NULL, &hs_alone);
	load(hs_jwk, JWS_HS256, "hs", &hs_kid);
	load(ec_jwk, JWS_ES256, NULL, &ec_kid);
	one.keys = &hs_alone;
	one.n = 1;
	pair[0] = hs_kid;
	pair[1] = ec_kid;
	two.keys = pair;
	two.n = 2;
	return 0;
}

/* Flip one character of the signed part to another base64url one. */
static void
check_tamper(const char *tok, size_t len, const struct keyset *ks)
{
	struct jws	 t;
	char		*copy;
	size_t		 i;

	if ((copy = malloc(len)) == NULL)
		fuzz_fail(__FILE__, __LINE__, "malloc");
	memcpy(copy, tok, len);
	/* The first character of the header: always signed. */
	i = 0;
	copy[i] = copy[i] == 'e' ? 'f' : 'e';
	FUZZ_CHECK(jws_verify(copy, len, ks, &t) != JWS_OK);
	jws_clear(&t);
	free(copy);
}

static void
check(const char *tok, size_t len, const struct keyset *ks)
{
	static const char *const forbidden[] = { "jwk", "jku", "x5u", "x5c",
	    "crit" };
	struct jws	 t;
	const char	*alg, *dot1, *dot2;
	unsigned char	*raw;
	size_t		 i;
	int		 rc, n;

	rc = jws_verify(tok, len, ks, &t);
	FUZZ_CHECK(rc >= 0 && rc < JWS__MAX);
	if (rc != JWS_OK) {
		FUZZ_CHECK(t.header == NULL && t.payload == NULL);
		return;
	}
	FUZZ_CHECK(t.key != NULL && json_is_object(t.header));
	alg = json_string_value(json_object_get(t.header, "alg"));
	FUZZ_CHECK(alg != NULL &&
	    strcmp(alg, jws_alg_info(t.key->alg)->name) == 0);
	for (i = 0; i < sizeof(forbidden) / sizeof(forbidden[0]); i++)
		FUZZ_CHECK(json_object_get(t.header, forbidden[i]) == NULL);

	dot1 = memchr(tok, '.', len);
	FUZZ_CHECK(dot1 != NULL);
	dot2 = memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - tok));
	FUZZ_CHECK(dot2 != NULL);
	if ((raw = malloc(len)) == NULL)
		fuzz_fail(__FILE__, __LINE__, "malloc");
	n = base64_decode(dot1 + 1, (size_t)(dot2 - dot1 - 1), 1, raw, len);
	FUZZ_CHECK(n >= 0 && (size_t)n == t.payload_len);
	FUZZ_CHECK(memcmp(raw, t.payload, t.payload_len) == 0);
	FUZZ_CHECK(t.payload[t.payload_len] == '\0');
	free(raw);
	jws_clear(&t);
	check_tamper(tok, len, ks);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly "size" bytes, so reading past it is caught. */
	char	*tok = malloc(size == 0 ? 1 : size);

	if (tok == NULL)
		fuzz_fail(__FILE__, __LINE__, "malloc");
	memcpy(tok, data, size);
	check(tok, size, &one);
	check(tok, size, &two);
	free(tok);
	return 0;
}
