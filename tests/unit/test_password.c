/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Unit tests for password.c: scrypt against RFC 7914, the PHC string it
 * stores, verification, and the refusal of malformed stored strings.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "testlib.h"

/*
 * The file under test is included to reach the static scrypt(). The test
 * then defines every symbol of password.o itself, so the linker never
 * pulls libgatehouse.a's copy and there is no second definition.
 */
#include "../../src/password.c"

#define B64STD	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
		"0123456789+/"

/* RFC 7914 section 12, third vector, as a PHC string (first 32 bytes). */
#define RFC_SALT	"U29kaXVtQ2hsb3JpZGU"
#define RFC_HASH	"cCO9yzr9c0hGHAbNgf046/2o+7qQT44+qbVD9lRdofI"
#define RFC_PHC		"$scrypt$ln=14,r=8,p=1$" RFC_SALT "$" RFC_HASH
#define RFC_PW		"pleaseletmein"

/* Low cost, so that the many round trips stay fast (1 MiB each). */
static const struct kdf_params	 cheap = { 10, 8, 1 };

static size_t	 hex_decode(const char *, unsigned char *, size_t);
static char	*hash_ok(const char *, size_t);
static void	 expect_malformed(const char *);

/* Decode lower-case hex into at most "size" bytes; the length decoded. */
static size_t
hex_decode(const char *hex, unsigned char *out, size_t size)
{
	size_t		 i, len = strlen(hex);
	unsigned int	 byte;

	assert_int_equal(len % 2, 0);
	assert_true(len / 2 <= size);
	for (i = 0; i < len / 2; i++) {
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &byte), 1);
		out[i] = (unsigned char)byte;
	}
	return len / 2;
}

/* Hash "pw" at the cheap cost, failing the test if that fails. */
static char *
hash_ok(const char *pw, size_t len)
{
	char	*h = (char *)0x1;

	assert_int_equal(password_hash(pw, len, &cheap, &h), 0);
	assert_non_null(h);
	return h;
}

/*
 * A malformed stored string is an error (-1), never a mismatch, even for
 * the right password; it logs one line that does not repeat the string;
 * and it always asks for a rehash.
 */
static void
expect_malformed(const char *stored)
{
	static const struct kdf_params	 rfc = { 14, 8, 1 };
	char				*err;

	test_stderr_begin();
	assert_int_equal(password_verify(RFC_PW, strlen(RFC_PW), stored), -1);
	err = test_stderr_end();
	assert_non_null(strstr(err, "stored password hash is malformed\n"));
	assert_non_null(strchr(err, '\n'));
	assert_string_equal(strchr(err, '\n'), "\n");
	if (*stored != '\0')
		assert_null(strstr(err, stored));
	free(err);
	assert_int_equal(password_needs_rehash(stored, &rfc), 1);
}

/*
 * RFC 7914 section 12. The last vector (N = 2^20, r = 8) needs 1 GiB and
 * a little more: it is skipped here, and kdf_params_valid must refuse it,
 * since it is over the cap that stops a stored string from making us
 * allocate without bound.
 */
static void
test_scrypt_rfc7914(void **state)
{
	json_t			*root, *vec, *v;
	struct kdf_params	 k;
	unsigned char		 want[128], got[128];
	size_t			 i, dklen, ran = 0, skipped = 0;
	json_int_t		 n;

	(void)state;
	root = test_vector_json("kdf/kdf_vectors.json");
	assert_true(json_is_array(vec = json_object_get(root, "scrypt")));
	json_array_foreach(vec, i, v) {
		n = json_integer_value(json_object_get(v, "N"));
		for (k.log2n = 0; (1LL << k.log2n) < n; k.log2n++)
			continue;
		assert_int_equal(1LL << k.log2n, n);
		k.r = (unsigned int)json_integer_value(json_object_get(v,
		    "r"));
		k.p = (unsigned int)json_integer_value(json_object_get(v,
		    "p"));
		dklen = hex_decode(json_string_value(json_object_get(v,
		    "dk_hex")), want, sizeof(want));
		assert_int_equal(dklen, 64);
		assert_int_equal(json_integer_value(json_object_get(v,
		    "dkLen")), 64);

		if (n == 1048576) {
			assert_int_equal(kdf_params_valid(&k), 0);
			skipped++;
			continue;
		}
		assert_int_equal(kdf_params_valid(&k), 1);
		memset(got, 0, sizeof(got));
		assert_int_equal(scrypt(
		    json_string_value(json_object_get(v, "password")),
		    json_string_length(json_object_get(v, "password")),
		    (const unsigned char *)json_string_value(
		    json_object_get(v, "salt")),
		    json_string_length(json_object_get(v, "salt")), &k, got,
		    dklen), 0);
		assert_memory_equal(got, want, dklen);
		ran++;
	}
	assert_int_equal(ran, 3);
	assert_int_equal(skipped, 1);
	json_decref(root);
}

static void
test_kdf_params_valid(void **state)
{
	struct kdf_params	 k;

	(void)state;
	k = cheap;
	assert_int_equal(kdf_params_valid(&k), 1);

	/* The 1 GiB cap: 128 * r * (N + 2 + p) bytes. */
	k = (struct kdf_params){ 20, 8, 1 };
	assert_int_equal(kdf_params_valid(&k), 0);
	k = (struct kdf_params){ 19, 8, 1 };
	assert_int_equal(kdf_params_valid(&k), 1);
	k = (struct kdf_params){ 20, 4, 1 };
	assert_int_equal(kdf_params_valid(&k), 1);
	k = (struct kdf_params){ 22, 1, 1 };
	assert_int_equal(kdf_params_valid(&k), 1);
	k = (struct kdf_params){ 23, 1, 1 };
	assert_int_equal(kdf_params_valid(&k), 0);
	k = (struct kdf_params){ 19, 16, 1 };
	assert_int_equal(kdf_params_valid(&k), 0);

	/* Each parameter's own range. */
	k = (struct kdf_params){ 0, 8, 1 };
	assert_int_equal(kdf_params_valid(&k), 0);
	k = (struct kdf_params){ 25, 1, 1 };
	assert_int_equal(kdf_params_valid(&k), 0);
	k = (struct kdf_params){ 10, 0, 1 };
	assert_int_equal(kdf_params_valid(&k), 0);
	k = (struct kdf_params){ 10, 33, 1 };
	assert_int_equal(kdf_params_valid(&k), 0);
	k = (struct kdf_params){ 10, 32, 1 };
	assert_int_equal(kdf_params_valid(&k), 1);
	k = (struct kdf_params){ 10, 8, 0 };
	assert_int_equal(kdf_params_valid(&k), 0);
	k = (struct kdf_params){ 10, 8, 17 };
	assert_int_equal(kdf_params_valid(&k), 0);
	k = (struct kdf_params){ 10, 8, 16 };
	assert_int_equal(kdf_params_valid(&k), 1);
}

/*
 * The stored string is "$scrypt$ln=10,r=8,p=1$" then 16 bytes of salt and
 * 32 of hash in unpadded standard base64, and the hash really is scrypt
 * of the password and that salt at those parameters.
 */
static void
test_hash_format(void **state)
{
	static const char	 prefix[] = "$scrypt$ln=10,r=8,p=1$";
	unsigned char		 salt[32], hash[32], want[32];
	char			*h, *s;

	(void)state;
	h = hash_ok("correct horse", 13);
	assert_int_equal(strncmp(h, prefix, sizeof(prefix) - 1), 0);
	s = h + sizeof(prefix) - 1;
	assert_int_equal(strspn(s, B64STD), 22);
	assert_int_equal(s[22], '$');
	assert_int_equal(strspn(s + 23, B64STD), 43);
	assert_int_equal(s[23 + 43], '\0');
	assert_int_equal(strlen(h), sizeof(prefix) - 1 + 22 + 1 + 43);

	assert_int_equal(base64_decode(s, 22, 0, salt, sizeof(salt)), 16);
	assert_int_equal(base64_decode(s + 23, 43, 0, hash, sizeof(hash)), 32);
	assert_int_equal(scrypt("correct horse", 13, salt, 16, &cheap, want,
	    sizeof(want)), 0);
	assert_memory_equal(hash, want, 32);
	free(h);
}

/* Other cost parameters show in the string as given. */
static void
test_hash_format_params(void **state)
{
	static const struct kdf_params	 k = { 11, 4, 2 };
	char				*h = NULL;

	(void)state;
	assert_int_equal(password_hash("pw", 2, &k, &h), 0);
	assert_non_null(h);
	assert_int_equal(strncmp(h, "$scrypt$ln=11,r=4,p=2$", 22), 0);
	assert_int_equal(password_verify("pw", 2, h), 1);
	free(h);
}

/* Parameters kdf_params_valid refuses are not hashed with. */
static void
test_hash_bad_params(void **state)
{
	static const struct kdf_params	 huge = { 20, 8, 1 }, zero = { 10, 0,
					    1 };
	char				*h = (char *)0x1;

	(void)state;
	assert_int_equal(password_hash("pw", 2, &huge, &h), -1);
	assert_null(h);
	h = (char *)0x1;
	assert_int_equal(password_hash("pw", 2, &zero, &h), -1);
	assert_null(h);
}

static void
test_round_trip(void **state)
{
	char	*h;

	(void)state;
	h = hash_ok("correct horse", 13);
	assert_int_equal(password_verify("correct horse", 13, h), 1);
	assert_int_equal(password_verify("correct hors", 12, h), 0);
	assert_int_equal(password_verify("correct horse ", 14, h), 0);
	assert_int_equal(password_verify("Correct horse", 13, h), 0);
	assert_int_equal(password_verify("", 0, h), 0);
	free(h);
}

static void
test_empty_password(void **state)
{
	char	*h;

	(void)state;
	h = hash_ok("", 0);
	assert_int_equal(password_verify("", 0, h), 1);
	assert_int_equal(password_verify(" ", 1, h), 0);
	assert_int_equal(password_verify("x", 1, h), 0);
	free(h);
}

/* Bytes are hashed as given: no normalisation, no truncation at NUL. */
static void
test_utf8_password(void **state)
{
	static const char	 pw[] = "p\xc3\xa4ssw\xc3\xb6rd \xe2\x9c\x93 "
				    "\xf0\x9f\x94\x91";
	static const char	 nfd[] = "pa\xcc\x88ssw\xc3\xb6rd \xe2\x9c\x93 "
				    "\xf0\x9f\x94\x91";
	char			*h;

	(void)state;
	h = hash_ok(pw, sizeof(pw) - 1);
	assert_int_equal(password_verify(pw, sizeof(pw) - 1, h), 1);
	/* The last code point cut in half. */
	assert_int_equal(password_verify(pw, sizeof(pw) - 2, h), 0);
	/* "a" plus a combining diaeresis (NFD) is other bytes. */
	assert_int_equal(password_verify(nfd, sizeof(nfd) - 1, h), 0);
	free(h);
}

static void
test_embedded_nul(void **state)
{
	char	*h;

	(void)state;
	h = hash_ok("ab\0cd", 5);
	assert_int_equal(password_verify("ab\0cd", 5, h), 1);
	assert_int_equal(password_verify("ab", 2, h), 0);
	assert_int_equal(password_verify("ab\0ce", 5, h), 0);
	free(h);
}

/* PASSWORD_MAX bytes are hashed; one more is refused, never truncated. */
static void
test_max_length(void **state)
{
	char	*pw, *h;

	(void)state;
	assert_non_null(pw = malloc(PASSWORD_MAX + 1));
	memset(pw, 'k', PASSWORD_MAX + 1);
	pw[PASSWORD_MAX - 1] = 'z';
	h = hash_ok(pw, PASSWORD_MAX);
	assert_int_equal(password_verify(pw, PASSWORD_MAX, h), 1);
	assert_int_equal(password_verify(pw, PASSWORD_MAX - 1, h), 0);
	assert_int_equal(password_verify(pw, PASSWORD_MAX + 1, h), 0);
	free(h);

	h = (char *)0x1;
	assert_int_equal(password_hash(pw, PASSWORD_MAX + 1, &cheap, &h), -1);
	assert_null(h);
	free(pw);
}

/* A fresh salt each time: equal passwords do not give equal strings. */
static void
test_salted(void **state)
{
	char	*a, *b;

	(void)state;
	a = hash_ok("same", 4);
	b = hash_ok("same", 4);
	assert_string_not_equal(a, b);
	/* The salts differ, not only the hashes. */
	assert_memory_not_equal(a + 22, b + 22, 22);
	assert_int_equal(password_verify("same", 4, a), 1);
	assert_int_equal(password_verify("same", 4, b), 1);
	free(a);
	free(b);
}

/* A string built by hand from RFC 7914's vector, not by password_hash. */
static void
test_verify_rfc_phc(void **state)
{
	(void)state;
	assert_int_equal(password_verify(RFC_PW, strlen(RFC_PW), RFC_PHC), 1);
	assert_int_equal(password_verify("pleaseletmeim", 13, RFC_PHC), 0);
	assert_int_equal(password_verify(RFC_PW, strlen(RFC_PW) - 1, RFC_PHC),
	    0);
}

/*
 * Salts of 8 and of 64 bytes (SALT_MIN, SALT_MAX) are accepted: these
 * strings parse and are simply the wrong hash. So the 7- and 65-byte
 * salts in test_verify_malformed are refused for their length alone.
 */
static void
test_verify_salt_sizes(void **state)
{
	(void)state;
	assert_int_equal(password_verify(RFC_PW, strlen(RFC_PW),
	    "$scrypt$ln=10,r=8,p=1$MTIzNDU2Nzg$" RFC_HASH), 0);
	assert_int_equal(password_verify(RFC_PW, strlen(RFC_PW),
	    "$scrypt$ln=10,r=8,p=1$"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAA$" RFC_HASH), 0);
}

static void
test_verify_malformed(void **state)
{
	(void)state;
	/* The wrong scheme or layout. */
	expect_malformed("");
	expect_malformed("$scrypt$");
	expect_malformed("scrypt$ln=14,r=8,p=1$" RFC_SALT "$" RFC_HASH);
	expect_malformed("$SCRYPT$ln=14,r=8,p=1$" RFC_SALT "$" RFC_HASH);
	expect_malformed("$scrypt$N=16384,r=8,p=1$" RFC_SALT "$" RFC_HASH);
	expect_malformed("$scrypt$ln=14,p=1,r=8$" RFC_SALT "$" RFC_HASH);
	expect_malformed("$scrypt$v=1$ln=14,r=8,p=1$" RFC_SALT "$" RFC_HASH);
	expect_malformed("$argon2id$v=19$m=65536,t=2,p=1$" RFC_SALT "$"
	    RFC_HASH);
	expect_malformed("$scrypt$ln=14,r=8,p=1$" RFC_SALT);
	expect_malformed("$scrypt$ln=14,r=8,p=1$$" RFC_HASH);

	/* Numbers with a sign or a leading zero: sscanf alone takes them. */
	expect_malformed("$scrypt$ln=14,r=+8,p=1$" RFC_SALT "$" RFC_HASH);
	expect_malformed("$scrypt$ln=14,r=8,p=+1$" RFC_SALT "$" RFC_HASH);
	expect_malformed("$scrypt$ln=14,r=08,p=1$" RFC_SALT "$" RFC_HASH);
	expect_malformed("$scrypt$ln=14,r=8,p=01$" RFC_SALT "$" RFC_HASH);
	expect_malformed("$scrypt$ln=014,r=8,p=1$" RFC_SALT "$" RFC_HASH);
	expect_malformed("$scrypt$ln= 14,r=8,p=1$" RFC_SALT "$" RFC_HASH);

	/* Padding, or bits past the last byte that are not zero. */
	expect_malformed("$scrypt$ln=14,r=8,p=1$" RFC_SALT "=$" RFC_HASH);
	expect_malformed("$scrypt$ln=14,r=8,p=1$" RFC_SALT "$" RFC_HASH "=");
	expect_malformed("$scrypt$ln=14,r=8,p=1$" RFC_SALT "$"
	    "cCO9yzr9c0hGHAbNgf046/2o+7qQT44+qbVD9lRdofJ");
	/* base64url is not the stored alphabet. */
	expect_malformed("$scrypt$ln=14,r=8,p=1$" RFC_SALT "$"
	    "cCO9yzr9c0hGHAbNgf046_2o-7qQT44-qbVD9lRdofI");

	/* A hash of 31 or 33 bytes, a salt of 7. */
	expect_malformed("$scrypt$ln=14,r=8,p=1$" RFC_SALT "$"
	    "cCO9yzr9c0hGHAbNgf046/2o+7qQT44+qbVD9lRdoQ");
	expect_malformed("$scrypt$ln=14,r=8,p=1$" RFC_SALT "$"
	    "cCO9yzr9c0hGHAbNgf046/2o+7qQT44+qbVD9lRdofLV");
	expect_malformed("$scrypt$ln=14,r=8,p=1$MTIzNDU2Nw$" RFC_HASH);
	/* A salt of 65 bytes, one over what we accept. */
	expect_malformed("$scrypt$ln=14,r=8,p=1$"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAA$" RFC_HASH);

	/* Anything after the hash. */
	expect_malformed(RFC_PHC "$");
	expect_malformed(RFC_PHC " ");
	expect_malformed(RFC_PHC "\n");
	expect_malformed(RFC_PHC "$x");

	/* Parameters out of range, or over the 1 GiB cap. */
	expect_malformed("$scrypt$ln=0,r=8,p=1$" RFC_SALT "$" RFC_HASH);
	expect_malformed("$scrypt$ln=25,r=8,p=1$" RFC_SALT "$" RFC_HASH);
	expect_malformed("$scrypt$ln=99,r=8,p=1$" RFC_SALT "$" RFC_HASH);
	expect_malformed("$scrypt$ln=100,r=8,p=1$" RFC_SALT "$" RFC_HASH);
	expect_malformed("$scrypt$ln=20,r=8,p=1$" RFC_SALT "$" RFC_HASH);
	expect_malformed("$scrypt$ln=14,r=0,p=1$" RFC_SALT "$" RFC_HASH);
	expect_malformed("$scrypt$ln=14,r=33,p=1$" RFC_SALT "$" RFC_HASH);
	expect_malformed("$scrypt$ln=14,r=8,p=0$" RFC_SALT "$" RFC_HASH);
	expect_malformed("$scrypt$ln=14,r=8,p=17$" RFC_SALT "$" RFC_HASH);
}

static void
test_needs_rehash(void **state)
{
	static const struct kdf_params	 rfc = { 14, 8, 1 },
					 more_n = { 11, 8, 1 },
					 less_n = { 9, 8, 1 },
					 other_r = { 10, 4, 1 },
					 other_p = { 10, 8, 2 };
	char				*h;

	(void)state;
	h = hash_ok("pw", 2);
	assert_int_equal(password_needs_rehash(h, &cheap), 0);
	assert_int_equal(password_needs_rehash(h, &more_n), 1);
	assert_int_equal(password_needs_rehash(h, &less_n), 1);
	assert_int_equal(password_needs_rehash(h, &other_r), 1);
	assert_int_equal(password_needs_rehash(h, &other_p), 1);
	free(h);

	assert_int_equal(password_needs_rehash(RFC_PHC, &rfc), 0);
	assert_int_equal(password_needs_rehash(RFC_PHC, &cheap), 1);
	assert_int_equal(password_needs_rehash("", &cheap), 1);
	assert_int_equal(password_needs_rehash("$scrypt$ln=10,r=8,p=1$",
	    &cheap), 1);
	assert_int_equal(password_needs_rehash(RFC_PHC "x", &rfc), 1);
}

/*
 * F10 after a cost change: a failed check against an older, cheaper hash
 * is topped up to the configured cost, in scrypt units of N for k's r.
 */
static void
test_harden_units(void **state)
{
	const struct kdf_params	 k = { 15, 8, 1 };
	const struct kdf_params	 k2 = { 12, 8, 2 };
	const struct kdf_params	 older = { 12, 8, 1 };
	char			*old, *same;

	(void)state;
	assert_int_equal(password_hash("pw", 2, &older, &old), 0);
	assert_int_equal(password_hash("pw", 2, &k, &same), 0);
	/* (2^15 - 2^12) * 8: one run of N = 2^15 with r = 7. */
	assert_int_equal(harden_units(old, &k), (32768 - 4096) * 8);
	assert_int_equal(harden_units(same, &k), 0);
	/* A stored hash dearer than configured: nothing to add. */
	assert_int_equal(harden_units(same, &older), 0);
	/* p counts: 2^12 * 2 lanes against 2^12 * 1. */
	assert_int_equal(harden_units(old, &k2), 4096 * 8);
	/* A malformed hash cost nothing: the whole configured cost. */
	assert_int_equal(harden_units("$scrypt$junk", &k), 32768 * 8);

	/* It runs, and is quick when there is nothing to add. */
	password_harden("pw", 2, same, &k);
	free(old);
	free(same);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(test_scrypt_rfc7914),
		cmocka_unit_test(test_kdf_params_valid),
		cmocka_unit_test(test_hash_format),
		cmocka_unit_test(test_hash_format_params),
		cmocka_unit_test(test_hash_bad_params),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_empty_password),
		cmocka_unit_test(test_utf8_password),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_max_length),
		cmocka_unit_test(test_salted),
		cmocka_unit_test(test_verify_rfc_phc),
		cmocka_unit_test(test_verify_salt_sizes),
		cmocka_unit_test(test_verify_malformed),
		cmocka_unit_test(test_needs_rehash),
		cmocka_unit_test(test_harden_units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
