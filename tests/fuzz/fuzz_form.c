/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Fuzz target: url-encoded text, form bodies and query strings alike
 * (form_parse). Beyond not crashing: no more pairs than the limit, and
 * the pairs round-trip: encoding each name and value again and parsing
 * the result gives the same pairs, byte for byte, in the same order.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "fuzz.h"

#define MAX_PAIRS	64

/* Percent-encode every byte that is not a letter or a digit. */
static void
encode(struct buf *b, const char *s, size_t len)
{
	static const char	 hex[] = "0123456789ABCDEF";
	unsigned char		 c;
	size_t			 i;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9'))
			buf_addc(b, (char)c);
		else {
			buf_addc(b, '%');
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 0x0f]);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fields	 f, again;
	struct buf	 b;
	size_t		 i;
	int		 rc;

	memset(&f, 0, sizeof(f));
	memset(&again, 0, sizeof(again));
	rc = form_parse((const char *)data, size, MAX_PAIRS, &f);
	FUZZ_CHECK(rc == FORM_OK || rc == FORM_TOO_MANY);
	FUZZ_CHECK(f.n <= MAX_PAIRS);
	if (rc == FORM_TOO_MANY)
		FUZZ_CHECK(f.n == MAX_PAIRS);

	buf_init(&b);
	for (i = 0; i < f.n; i++) {
		if (i > 0)
			buf_addc(&b, '&');
		encode(&b, f.v[i].name, f.v[i].namelen);
		buf_addc(&b, '=');
		encode(&b, f.v[i].value, f.v[i].valuelen);
	}
	FUZZ_CHECK(!b.oom);
	FUZZ_CHECK(form_parse(b.data, b.len, MAX_PAIRS, &again) == FORM_OK);
	FUZZ_CHECK(again.n == f.n);
	FUZZ_CHECK(!again.bad_escape);
	for (i = 0; i < f.n; i++) {
		FUZZ_CHECK(again.v[i].namelen == f.v[i].namelen);
		FUZZ_CHECK(memcmp(again.v[i].name, f.v[i].name,
		    f.v[i].namelen) == 0);
		FUZZ_CHECK(again.v[i].valuelen == f.v[i].valuelen);
		FUZZ_CHECK(memcmp(again.v[i].value, f.v[i].value,
		    f.v[i].valuelen) == 0);
	}
	buf_free(&b);
	fields_free(&again);
	fields_free(&f);
	return 0;
}
