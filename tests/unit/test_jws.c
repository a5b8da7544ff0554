/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * jwk.c and jws.c against public vectors (RFC 7515 appendix A, RFC 8037,
 * the RFC 7520 cookbook, Wycheproof ECDSA P1363, Ed25519 and HMAC), and
 * an attack table: each refusal with its own reason (field cases F1-F4).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "gatehouse.h"
#include "testlib.h"

#define A1KEY	"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3" \
		"Yj0iPS4hcgUuTwjAzZr1Z9CAow"
#define P	"eyJzdWIiOiJhZG1pbiIsImV4cCI6NDEwMjQ0NDgwMH0"
#define HS_HDR	"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"

/* Decode hex into a new buffer; "*len" gets its length. */
static unsigned char *
unhex(const char *hex, size_t *len)
{
	size_t		 n = strlen(hex) / 2, i;
	unsigned char	*out = malloc(n + 1);
	unsigned int	 b;

	assert_non_null(out);
	for (i = 0; i < n; i++) {
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &b), 1);
		out[i] = (unsigned char)b;
	}
	*len = n;
	return out;
}

static void
key_from_json(const json_t *j, const char *alg, struct jwk *k)
{
	enum jws_alg	 a;

	assert_int_equal(jws_alg_parse(alg, &a), 0);
	if (jwk_from_json(j, a, k) != 0)
		fail_msg("JWK for %s refused", alg);
}

/* An HMAC key straight from bytes, bypassing the length rule. */
static void
raw_hmac_key(enum jws_alg alg, const unsigned char *b, size_t len,
    struct jwk *k)
{
	memset(k, 0, sizeof(*k));
	k->alg = alg;
	k->secret = malloc(len + 1);
	memcpy(k->secret, b, len);
	k->secret_len = len;
	k->private = 1;
	assert_int_equal(jwk_prepare(k), 0);
}

static int
verify_with(const struct jwk *k, const char *token)
{
	struct keyset	 ks = { (struct jwk *)(uintptr_t)k, 1, k };
	struct jws	 t;
	int		 rc;

	rc = jws_verify(token, strlen(token), &ks, &t);
	jws_clear(&t);
	return rc;
}

/* RFC 7515 appendix A: A.1-A.4 verify, A.5 (alg none) is refused. */
static void
rfc7515(void **state)
{
	json_t		*doc = test_vector_json("jose-rfc/rfc7515_appendix_a.json");
	json_t		*v, *a1key = NULL;
	struct jwk	 k;
	struct jws	 t;
	struct keyset	 ks;
	size_t		 i;
	const char	*alg, *compact;

	(void)state;
	json_array_foreach(json_object_get(doc, "vectors"), i, v) {
		alg = json_string_value(json_object_get(v, "alg"));
		compact = json_string_value(json_object_get(v, "compact"));
		if (strcmp(alg, "none") == 0) {
			key_from_json(a1key, "HS256", &k);
			assert_int_equal(verify_with(&k, compact), JWS_ENONE);
			jwk_free(&k);
			continue;
		}
		if (strcmp(alg, "HS256") == 0)
			a1key = json_object_get(v, "jwk");
		key_from_json(json_object_get(v, "jwk"), alg, &k);
		ks.keys = &k;
		ks.n = 1;
		ks.active = NULL;
		if (jws_verify(compact, strlen(compact), &ks, &t) != JWS_OK)
			fail_msg("%s refused", json_string_value(
			    json_object_get(v, "section")));
		assert_string_equal(t.payload, json_string_value(
		    json_object_get(v, "payload")));
		jws_clear(&t);
		jwk_free(&k);
	}
	json_decref(doc);
}

/*
 * Sign "input" with "jwk"/"alg" and compare with "sig64" when the
 * algorithm is deterministic; always verify "sig64" over "input".
 */
static void
check_vector(const json_t *jwk, const char *alg, const char *input,
    const char *sig64, const char *what)
{
	struct jwk	 k;
	unsigned char	 sig[1024], mine[1024];
	char		 enc[1500];
	int		 n, m;

	key_from_json(jwk, alg, &k);
	n = base64_decode(sig64, strlen(sig64), 1, sig, sizeof(sig));
	assert_true(n > 0);
	if (jws_check_signature(&k, (const unsigned char *)input,
	    strlen(input), sig, (size_t)n) != 1)
		fail_msg("%s: signature refused", what);
	if (k.private) {
		m = jws_make_signature(&k, (const unsigned char *)input,
		    strlen(input), mine, sizeof(mine));
		assert_true(m > 0);
		assert_true(base64_encode(mine, (size_t)m, 1, enc,
		    sizeof(enc)) > 0);
		/* ECDSA and PSS are randomised; check ours verifies. */
		if (k.alg == JWS_HS256 || k.alg == JWS_RS256 ||
		    k.alg == JWS_EDDSA)
			assert_string_equal(enc, sig64);
		if (jws_check_signature(&k, (const unsigned char *)input,
		    strlen(input), mine, (size_t)m) != 1)
			fail_msg("%s: our own signature refused", what);
	}
	jwk_free(&k);
}

/* RFC 8037 appendix A.4: Ed25519 is deterministic. */
static void
rfc8037(void **state)
{
	json_t	*doc = test_vector_json("jose-rfc/rfc8037_appendix_a.json");

	(void)state;
	check_vector(json_object_get(doc, "A.1_private_jwk"), "EdDSA",
	    json_string_value(json_object_get(doc, "A.4_signing_input")),
	    json_string_value(json_object_get(doc, "A.4_signature_b64u")),
	    "RFC 8037 A.4");
	json_decref(doc);
}

/* The RFC 7520 cookbook's signature examples 4.1-4.8 and its Ed25519. */
static void
cookbook(void **state)
{
	static const char *const files[] = {
		"4_1.rsa_v15_signature.json", "4_2.rsa-pss_signature.json",
		"4_3.ecdsa_signature.json",
		"4_4.hmac-sha2_integrity_protection.json",
		"4_5.signature_with_detached_content.json",
		"4_6.protecting_specific_header_fields.json",
		"4_7.protecting_content_only.json",
		"4_8.multiple_signatures.json",
	};
	json_t		*doc, *in, *sg, *s;
	char		 path[128];
	const char	*compact;
	struct jwk	 k;
	size_t		 i, j;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "rfc7520-cookbook/jws/%s",
		    files[i]);
		doc = test_vector_json(path);
		in = json_object_get(doc, "input");
		sg = json_object_get(doc, "signing");
		if (json_is_array(sg)) {
			/* 4.8: one key, algorithm and signature each. */
			json_array_foreach(sg, j, s)
				check_vector(json_array_get(json_object_get(in,
				    "key"), j), json_string_value(
				    json_array_get(json_object_get(in, "alg"),
				    j)), json_string_value(json_object_get(s,
				    "sig-input")), json_string_value(
				    json_object_get(s, "sig")), files[i]);
		} else
			check_vector(json_object_get(in, "key"),
			    json_string_value(json_object_get(in, "alg")),
			    json_string_value(json_object_get(sg, "sig-input")),
			    json_string_value(json_object_get(sg, "sig")),
			    files[i]);

		/* Compact outputs verify, but for detached content (4.5). */
		compact = json_string_value(json_object_get(json_object_get(
		    doc, "output"), "compact"));
		if (compact != NULL && !json_is_array(sg)) {
			key_from_json(json_object_get(in, "key"),
			    json_string_value(json_object_get(in, "alg")), &k);
			assert_int_equal(verify_with(&k, compact),
			    strstr(files[i], "detached") != NULL ? JWS_ESIG :
			    JWS_OK);
			jwk_free(&k);
		}
		json_decref(doc);
	}

	doc = test_vector_json("rfc7520-cookbook/rfc8037/ed25519_jws.json");
	in = json_object_get(doc, "input");
	key_from_json(json_object_get(in, "key"), "EdDSA", &k);
	assert_int_equal(verify_with(&k, json_string_value(json_object_get(
	    json_object_get(doc, "output"), "compact"))), JWS_OK);
	jwk_free(&k);
	json_decref(doc);
}

/* Hex of an integer, as Wycheproof gives coordinates, to "size" bytes. */
static char *
coordinate(const char *hex, size_t size)
{
	unsigned char	*raw, pad[66];
	char		 enc[100];
	size_t		 len;

	raw = unhex(hex, &len);
	while (len > size && raw[0] == 0) {
		memmove(raw, raw + 1, --len);
	}
	assert_true(len <= size);
	memset(pad, 0, sizeof(pad));
	memcpy(pad + size - len, raw, len);
	free(raw);
	assert_true(base64_encode(pad, size, 1, enc, sizeof(enc)) > 0);
	return strdup(enc);
}

/*
 * A group's key: its JWK, or for the groups Wycheproof gives none (EC
 * points it would not write as JWK), one made from the coordinates.
 */
static void
group_key(const json_t *g, const char *alg, struct jwk *k)
{
	const json_t	*pub = json_object_get(g, "publicKey");
	json_t		*j;
	char		*x, *y;

	if (json_object_get(g, "publicKeyJwk") != NULL) {
		key_from_json(json_object_get(g, "publicKeyJwk"), alg, k);
		return;
	}
	x = coordinate(json_string_value(json_object_get(pub, "wx")), 32);
	y = coordinate(json_string_value(json_object_get(pub, "wy")), 32);
	j = json_pack("{s:s, s:s, s:s, s:s}", "kty", "EC", "crv", "P-256",
	    "x", x, "y", y);
	key_from_json(j, alg, k);
	json_decref(j);
	free(x);
	free(y);
}

/*
 * A Wycheproof signature file: every test against its group's JWK.
 * "acceptable" may go either way but must not crash.
 */
static void
wycheproof_sig(const char *file, const char *alg)
{
	json_t		*doc = test_vector_json(file), *g, *t;
	unsigned char	*msg, *sig;
	size_t		 i, j, mlen, slen, bad = 0, n = 0;
	const char	*result;
	struct jwk	 k;
	int		 got;

	json_array_foreach(json_object_get(doc, "testGroups"), i, g) {
		group_key(g, alg, &k);
		json_array_foreach(json_object_get(g, "tests"), j, t) {
			msg = unhex(json_string_value(json_object_get(t,
			    "msg")), &mlen);
			sig = unhex(json_string_value(json_object_get(t,
			    "sig")), &slen);
			got = jws_check_signature(&k, msg, mlen, sig, slen);
			result = json_string_value(json_object_get(t,
			    "result"));
			n++;
			if (got == -1 || (strcmp(result, "valid") == 0 &&
			    got != 1) || (strcmp(result, "invalid") == 0 &&
			    got != 0)) {
				print_message("# %s tcId %lld: %s, got %d\n",
				    file, json_integer_value(json_object_get(t,
				    "tcId")), result, got);
				bad++;
			}
			free(msg);
			free(sig);
		}
		jwk_free(&k);
	}
	json_decref(doc);
	assert_true(n > 100);
	assert_int_equal(bad, 0);
}

static void
wycheproof_ecdsa(void **state)
{
	(void)state;
	wycheproof_sig("wycheproof/ecdsa_secp256r1_sha256_p1363_test.json",
	    "ES256");
}

static void
wycheproof_ed25519(void **state)
{
	(void)state;
	wycheproof_sig("wycheproof/ed25519_test.json", "EdDSA");
}

/*
 * Wycheproof HMAC. JWS compares the whole MAC, so only groups with full
 * tags are taken as Wycheproof says; a truncated tag, "valid" for a
 * truncating MAC, must always be refused here.
 */
static void
wycheproof_hmac(void **state)
{
	static const struct {
		const char	*file;
		enum jws_alg	 alg;
		long long	 bits;
	} files[] = {
		{ "wycheproof/hmac_sha256_test.json", JWS_HS256, 256 },
		{ "wycheproof/hmac_sha384_test.json", JWS_HS384, 384 },
		{ "wycheproof/hmac_sha512_test.json", JWS_HS512, 512 },
	};
	json_t		*doc, *g, *t;
	unsigned char	*key, *msg, *tag;
	size_t		 f, i, j, klen, mlen, tlen, bad = 0;
	const char	*result;
	struct jwk	 k;
	int		 full, got;

	(void)state;
	for (f = 0; f < 3; f++) {
		doc = test_vector_json(files[f].file);
		json_array_foreach(json_object_get(doc, "testGroups"), i, g) {
			full = json_integer_value(json_object_get(g,
			    "tagSize")) == files[f].bits;
			json_array_foreach(json_object_get(g, "tests"), j, t) {
				key = unhex(json_string_value(json_object_get(
				    t, "key")), &klen);
				msg = unhex(json_string_value(json_object_get(
				    t, "msg")), &mlen);
				tag = unhex(json_string_value(json_object_get(
				    t, "tag")), &tlen);
				raw_hmac_key(files[f].alg, key, klen, &k);
				got = jws_check_signature(&k, msg, mlen, tag,
				    tlen);
				result = json_string_value(json_object_get(t,
				    "result"));
				if (got != (full && strcmp(result, "valid") ==
				    0)) {
					print_message("# %s tcId %lld: got "
					    "%d\n", files[f].file,
					    json_integer_value(json_object_get(
					    t, "tcId")), got);
					bad++;
				}
				jwk_free(&k);
				free(key);
				free(msg);
				free(tag);
			}
		}
		json_decref(doc);
	}
	assert_int_equal(bad, 0);
}

/* A JWK for the shared A1KEY (RFC 7515 A.1). */
static void
a1_key(struct jwk *k, const char *kid)
{
	json_t	*j = json_pack("{s:s, s:s}", "kty", "oct", "k", A1KEY);

	if (kid != NULL)
		json_object_set_new(j, "kid", json_string(kid));
	assert_int_equal(jwk_from_json(j, JWS_HS256, k), 0);
	json_decref(j);
}

/* Sign "header" (JSON) + payload P with the A1 key, no checks at all. */
static char *
forge(const char *header_json, const struct jwk *k)
{
	struct buf	 b;
	char		 enc[2048];
	unsigned char	 sig[128];
	int		 n;

	buf_init(&b);
	base64_encode((const unsigned char *)header_json, strlen(header_json),
	    1, enc, sizeof(enc));
	buf_printf(&b, "%s." P, enc);
	n = jws_make_signature(k, (unsigned char *)b.data, b.len, sig,
	    sizeof(sig));
	assert_true(n > 0);
	base64_encode(sig, (size_t)n, 1, enc, sizeof(enc));
	buf_printf(&b, ".%s", enc);
	return buf_steal(&b);
}

/* F1, F3, F4 and the structural refusals, each with its reason. */
static void
attack_table(void **state)
{
	static const struct {
		const char	*token;
		int		 want;
	} cases[] = {
		/* F1: alg none in every spelling, missing, of a wrong type. */
		{ "eyJhbGciOiJub25lIn0." P ".", JWS_ENONE },
		{ "eyJhbGciOiJOb25lIn0." P ".", JWS_ENONE },
		{ "eyJhbGciOiJOT05FIn0." P ".", JWS_ENONE },
		{ "eyJhbGciOiJuT25FIn0." P ".", JWS_ENONE },
		{ "eyJ0eXAiOiJKV1QifQ." P ".", JWS_EALG },
		{ "eyJhbGciOlsiSFMyNTYiXX0." P ".", JWS_EALG },
		{ "eyJhbGciOm51bGx9." P ".", JWS_EALG },
		{ "eyJhbGciOiJub25lIn0." P ".WIJInpzj_Wr5KX--PloRu88cqRfHL21"
		    "SlMMje-SgOy0", JWS_ENONE },
		/* F4: one MAC byte changed, first and last. */
		{ HS_HDR "." P ".58WvjEXRuEMpLWL9TMldtyG5jziqBw7Z2jyBqo1cTxQ",
		    JWS_ESIG },
		{ HS_HDR "." P ".5sWvjEXRuEMpLWL9TMldtyG5jziqBw7Z2jyBqo1cTxU",
		    JWS_ESIG },
		/* F3: kid tricks against a single key without a kid. */
		{ "eyJhbGciOiJIUzI1NiIsImtpZCI6Ii4uLy4uLy4uLy4uLy4uLy4uL2Rl"
		    "di9udWxsIn0." P ".Zqf6BvRr0DIiefOrlcuLK8FgLu4rvIj5gmVfWhW"
		    "0R3I", JWS_EKID },
		{ "eyJhbGciOiJIUzI1NiIsImtpZCI6IngnIFVOSU9OIFNFTEVDVCAnYXR0"
		    "YWNrZXIta2V5JyAtLSJ9." P ".BNQzs-ODIU45KhpXvjQSvQs4THoGey"
		    "sLPp_Po4_7xg8", JWS_EKID },
		{ "eyJhbGciOiJIUzI1NiIsImtpZCI6Im5vLXN1Y2gta2V5In0." P
		    ".xUEuBeZSXi_SIX090_x7RpzvuP0KiNWoiFE-wGvy0C4", JWS_EKID },
		/* Structure. */
		{ HS_HDR "." P, JWS_EFORMAT },
		{ HS_HDR "." P ".5sWvjEXRuEMpLWL9TMldtyG5jziqBw7Z2jyBqo1cTxQ.",
		    JWS_EFORMAT },
		{ HS_HDR "." P ".5sWvjEXRuEMpLWL9TMldtyG5jziqBw7Z2jyBqo1cTxQ"
		    ".x", JWS_EFORMAT },
		{ "." P ".5sWvjEXRuEMpLWL9TMldtyG5jziqBw7Z2jyBqo1cTxQ",
		    JWS_EFORMAT },
		{ HS_HDR "." P ".5sWvjEXRuEMpLWL9TMldtyG5jziqBw7Z2jyBqo1cTxQ=",
		    JWS_EFORMAT },
		{ HS_HDR "=." P ".5sWvjEXRuEMpLWL9TMldtyG5jziqBw7Z2jyBqo1cTxQ",
		    JWS_EFORMAT },
		{ HS_HDR " ." P ".5sWvjEXRuEMpLWL9TMldtyG5jziqBw7Z2jyBqo1cTxQ",
		    JWS_EFORMAT },
		/* Non-canonical base64url: same bytes, other last char. */
		{ HS_HDR "." P ".5sWvjEXRuEMpLWL9TMldtyG5jziqBw7Z2jyBqo1cTxR",
		    JWS_EBASE64 },
		{ "eyJhbGciOiJIUzI1NiJ9x." P ".x", JWS_EBASE64 },
	};
	struct jwk	 k;
	size_t		 i;
	int		 got;

	(void)state;
	a1_key(&k, NULL);
	assert_int_equal(verify_with(&k, HS_HDR "." P
	    ".5sWvjEXRuEMpLWL9TMldtyG5jziqBw7Z2jyBqo1cTxQ"), JWS_OK);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = verify_with(&k, cases[i].token);
		if (got != cases[i].want)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i,
			    jws_reason(got), jws_reason(cases[i].want));
	}
	jwk_free(&k);
}

/* Headers that would choose or bring a key, crit, duplicates, depth. */
static void
header_attacks(void **state)
{
	static const struct {
		const char	*header;
		int		 want;
	} cases[] = {
		{ "{\"alg\":\"HS256\",\"jwk\":{\"kty\":\"oct\",\"k\":\"AA\"}}",
		    JWS_EKEYHDR },
		{ "{\"alg\":\"HS256\",\"jku\":\"http://127.0.0.1:9/k.json\"}",
		    JWS_EKEYHDR },
		{ "{\"alg\":\"HS256\",\"x5u\":\"http://127.0.0.1:9/c.pem\"}",
		    JWS_EKEYHDR },
		{ "{\"alg\":\"HS256\",\"x5c\":[\"MIIB\"]}", JWS_EKEYHDR },
		{ "{\"alg\":\"HS256\",\"crit\":[\"exp\"],\"exp\":1}", JWS_ECRIT },
		{ "{\"alg\":\"HS256\",\"alg\":\"HS256\"}", JWS_EHEADER },
		{ "{\"alg\":\"HS256\",\"x\":[[[[[[[[[1]]]]]]]]]}", JWS_EDEPTH },
		{ "[\"HS256\"]", JWS_EHEADER },
		{ "{\"alg\":\"HS256\"} ", JWS_OK },
		{ "{\"alg\":\"HS256\"}x", JWS_EHEADER },
		{ "{\"alg\":\"hs256\"}", JWS_EMISMATCH },
		{ "{\"alg\":\"HS384\"}", JWS_EMISMATCH },
		{ "{\"alg\":\"RS256\"}", JWS_EMISMATCH },
		{ "{\"alg\":\"HS256\",\"kid\":7}", JWS_EKID },
	};
	struct jwk	 k;
	char		*tok;
	size_t		 i;
	int		 got;

	(void)state;
	a1_key(&k, NULL);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tok = forge(cases[i].header, &k);
		got = verify_with(&k, tok);
		if (got != cases[i].want)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].header,
			    jws_reason(got), jws_reason(cases[i].want));
		free(tok);
	}
	jwk_free(&k);
}

/*
 * Algorithm confusion: an HS256 token MACed with the bytes of an RSA
 * public key (what a naive verifier would use as the secret) against
 * the RSA key is refused for the algorithm, before any MAC is computed.
 */
static void
alg_confusion(void **state)
{
	json_t		*doc = test_vector_json("jose-rfc/rfc7515_appendix_a.json");
	json_t		*rsa_jwk = json_object_get(json_array_get(
			    json_object_get(doc, "vectors"), 1), "jwk");
	struct jwk	 rsa, fake;
	json_t		*pj;
	char		*tok, *pub;

	(void)state;
	key_from_json(rsa_jwk, "RS256", &rsa);
	pj = jwk_public_json(&rsa);
	pub = json_dumps(pj, JSON_COMPACT);
	json_decref(pj);
	raw_hmac_key(JWS_HS256, (unsigned char *)pub, strlen(pub), &fake);
	tok = forge("{\"alg\":\"HS256\"}", &fake);
	assert_int_equal(verify_with(&rsa, tok), JWS_EMISMATCH);
	free(tok);
	jwk_free(&fake);
	free(pub);
	jwk_free(&rsa);
	json_decref(doc);
}

/* F2: ES256 signatures of zeros, the order, DER, wrong length. */
static void
ecdsa_zero(void **state)
{
	static const char *const sigs[] = {
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		"AAAAAAAAAAAAAAAAAAAAAAAA",
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		"AAAAAAAAAAAAAAAAAAAAAAAQ",
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAA"
		"AAAAAAAAAAAAAAAAAAAAAAAA",
		"_____wAAAAD__________7zm-q2nF56E87nKwvxjJVH_____AAAAAP________"
		"__vOb6racXnoTzucrC_GMlUQ",
		"MAYCAQACAQA",
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		"AAAAAAAAAAAAAAAAAAAAA",
	};
	json_t		*doc = test_vector_json("jose-rfc/rfc7515_appendix_a.json");
	struct jwk	 k;
	char		*tok;
	size_t		 i;
	int		 got;

	(void)state;
	key_from_json(json_object_get(json_array_get(json_object_get(doc,
	    "vectors"), 2), "jwk"), "ES256", &k);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		assert_int_not_equal(asprintf(&tok, "eyJhbGciOiJFUzI1NiIsInR5"
		    "cCI6IkpXVCJ9." P ".%s", sigs[i]), -1);
		got = verify_with(&k, tok);
		/* The 63-byte one is not canonical base64url either. */
		if (got != JWS_ESIG && !(i == 5 && got == JWS_EBASE64))
			fail_msg("signature %zu: %s", i, jws_reason(got));
		free(tok);
	}
	jwk_free(&k);
	json_decref(doc);
}

/* Several keys: the kid chooses, a missing kid is refused. */
static void
key_choice(void **state)
{
	struct jwk	 keys[2];
	struct keyset	 ks = { keys, 2, &keys[1] };
	struct jws	 t;
	struct buf	 tok;
	char		*bare;

	(void)state;
	a1_key(&keys[0], "old");
	assert_int_equal(jwk_generate(JWS_ES256, &keys[1]), 0);
	keys[1].kid = strdup("new");
	buf_init(&tok);
	assert_int_equal(jws_sign(&keys[1], "{\"a\":1}", 7, &tok), 0);
	assert_int_equal(jws_verify(tok.data, tok.len, &ks, &t), JWS_OK);
	assert_ptr_equal(t.key, &keys[1]);
	assert_string_equal(t.payload, "{\"a\":1}");
	assert_string_equal(json_string_value(json_object_get(t.header,
	    "kid")), "new");
	jws_clear(&t);
	buf_reset(&tok);
	assert_int_equal(jws_sign(&keys[0], "x", 1, &tok), 0);
	assert_int_equal(jws_verify(tok.data, tok.len, &ks, &t), JWS_OK);
	assert_ptr_equal(t.key, &keys[0]);
	jws_clear(&t);

	/* The same token without its kid: which key? Refused. */
	bare = forge("{\"alg\":\"HS256\"}", &keys[0]);
	assert_int_equal(jws_verify(bare, strlen(bare), &ks, &t), JWS_EKID);
	free(bare);
	buf_free(&tok);
	jwk_free(&keys[0]);
	jwk_free(&keys[1]);
}

/* Every algorithm: generate, write, read back, sign, verify, publish. */
static void
round_trips(void **state)
{
	struct jwk	 k, back;
	struct keyset	 ks;
	struct jws	 t;
	struct buf	 tok;
	json_t		*pub;
	char		*dir, *path;
	int		 a;

	(void)state;
	dir = test_tempdir();
	for (a = 0; a < JWS_ALG__MAX; a++) {
		assert_int_equal(jwk_generate((enum jws_alg)a, &k), 0);
		assert_int_not_equal(asprintf(&path, "%s/%d.key", dir, a), -1);
		assert_int_equal(jwk_write(&k, path), 0);
		/* Never overwritten. */
		test_stderr_begin();
		assert_int_equal(jwk_write(&k, path), -1);
		free(test_stderr_end());
		assert_int_equal(jwk_read(path, (enum jws_alg)a, &back), 0);
		buf_init(&tok);
		assert_int_equal(jws_sign(&back, "{}", 2, &tok), 0);
		ks.keys = &k;
		ks.n = 1;
		ks.active = NULL;
		if (jws_verify(tok.data, tok.len, &ks, &t) != JWS_OK)
			fail_msg("%s", jws_alg_info((enum jws_alg)a)->name);
		jws_clear(&t);
		pub = jwk_public_json(&k);
		if (jws_alg_info((enum jws_alg)a)->kind == JWS_KIND_HMAC)
			assert_null(pub);
		else {
			assert_non_null(pub);
			assert_null(json_object_get(pub, "d"));
			assert_string_equal(json_string_value(json_object_get(
			    pub, "alg")), jws_alg_info((enum jws_alg)a)->name);
			/* The public JWK alone verifies the token. */
			jwk_free(&back);
			assert_int_equal(jwk_from_json(pub, (enum jws_alg)a,
			    &back), 0);
			assert_false(back.private);
			ks.keys = &back;
			assert_int_equal(jws_verify(tok.data, tok.len, &ks, &t),
			    JWS_OK);
			jws_clear(&t);
		}
		json_decref(pub);
		buf_free(&tok);
		jwk_free(&back);
		jwk_free(&k);
		free(path);
	}
	/* A key of one algorithm is not read as another's. */
	assert_int_equal(jwk_generate(JWS_ES256, &k), 0);
	assert_int_not_equal(asprintf(&path, "%s/es.key", dir), -1);
	assert_int_equal(jwk_write(&k, path), 0);
	test_stderr_begin();
	assert_int_equal(jwk_read(path, JWS_ES384, &back), -1);
	assert_int_equal(jwk_read(path, JWS_RS256, &back), -1);
	assert_int_equal(jwk_read(path, JWS_HS256, &back), -1);
	free(test_stderr_end());
	jwk_free(&k);
	free(path);
	test_rmtree(dir);
	free(dir);
}

/* Keys that do not fit their algorithm are refused. */
static void
unfit_keys(void **state)
{
	json_t		*j;
	struct jwk	 k;

	(void)state;
	/* HMAC: empty, and shorter than the hash. */
	j = json_pack("{s:s, s:s}", "kty", "oct", "k", "");
	assert_int_equal(jwk_from_json(j, JWS_HS256, &k), -1);
	json_decref(j);
	j = json_pack("{s:s, s:s}", "kty", "oct", "k",
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	assert_int_equal(jwk_from_json(j, JWS_HS256, &k), -1);
	json_decref(j);
	/* A P-256 key for ES384, and an oct key for RS256. */
	j = json_pack("{s:s, s:s, s:s, s:s}", "kty", "EC", "crv", "P-256",
	    "x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
	    "y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0");
	assert_int_equal(jwk_from_json(j, JWS_ES256, &k), 0);
	jwk_free(&k);
	assert_int_equal(jwk_from_json(j, JWS_ES384, &k), -1);
	/* A point off the curve. */
	json_object_set_new(j, "y", json_string(
	    "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a1"));
	assert_int_equal(jwk_from_json(j, JWS_ES256, &k), -1);
	json_decref(j);
	j = json_pack("{s:s, s:s}", "kty", "oct", "k", A1KEY);
	assert_int_equal(jwk_from_json(j, JWS_RS256, &k), -1);
	json_decref(j);
}

/* Size: at the limit parsed, past it refused before anything else. */
static void
sizes(void **state)
{
	struct jwk	 k;
	char		*big;

	(void)state;
	a1_key(&k, NULL);
	big = malloc(JWS_MAX + 2);
	memset(big, 'A', JWS_MAX + 1);
	big[JWS_MAX + 1] = '\0';
	assert_int_equal(verify_with(&k, big), JWS_ESIZE);
	big[JWS_MAX] = '\0';
	assert_int_equal(verify_with(&k, big), JWS_EFORMAT);
	free(big);
	jwk_free(&k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc7515),
		cmocka_unit_test(rfc8037),
		cmocka_unit_test(cookbook),
		cmocka_unit_test(wycheproof_ecdsa),
		cmocka_unit_test(wycheproof_ed25519),
		cmocka_unit_test(wycheproof_hmac),
		cmocka_unit_test(attack_table),
		cmocka_unit_test(header_attacks),
		cmocka_unit_test(alg_confusion),
		cmocka_unit_test(ecdsa_zero),
		cmocka_unit_test(key_choice),
		cmocka_unit_test(round_trips),
		cmocka_unit_test(unfit_keys),
		cmocka_unit_test(sizes),
	};

	log_init("test_jws", LOG_LEVEL_WARN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
