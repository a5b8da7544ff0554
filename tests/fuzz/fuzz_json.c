/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Fuzz target: the strict JSON reader of token headers, claims and JSON
 * request bodies (jws_json_object). Beyond not crashing: what it accepts
 * is an object, and writing that object out and reading it back gives
 * an equal object (nothing was half-read or repeated).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t	*j, *again;
	char	*text, *copy;

	/* A copy of exactly "size" bytes, so reading past it is caught. */
	if ((copy = malloc(size == 0 ? 1 : size)) == NULL)
		fuzz_fail(__FILE__, __LINE__, "malloc");
	memcpy(copy, data, size);
	j = jws_json_object(copy, size);
	free(copy);
	if (j == NULL)
		return 0;
	FUZZ_CHECK(json_is_object(j));
	text = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	FUZZ_CHECK(text != NULL);
	again = jws_json_object(text, strlen(text));
	FUZZ_CHECK(again != NULL && json_equal(j, again));
	json_decref(again);
	free(text);
	json_decref(j);
	return 0;
}
