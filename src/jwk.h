/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * What a key keeps ready for verifying (jwk_prepare), shared by jwk.c,
 * which makes it, and jws.c, which uses it. Only these two files see
 * OpenSSL's types through it.
 */
#ifndef JWK_H
#define JWK_H

#include <openssl/bn.h>
#include <openssl/evp.h>

struct jwk_prepared {
	EVP_MD		*md;		/* the algorithm's hash; NULL: EdDSA */
	EVP_MAC_CTX	*mac;		/* HMAC: keyed, to duplicate per use */
	EVP_PKEY_CTX	*verify;	/* RSA, ECDSA: verify_init'ed */
	BIGNUM		*order;		/* ECDSA: the group order, for r, s */
};

#endif /* JWK_H */
