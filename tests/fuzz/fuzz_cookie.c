/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Fuzz target: the Cookie header (cookie_parse). Beyond not crashing,
 * every pair it returns must be one a browser could have meant: a name
 * that is not empty and holds neither '=' nor ';', a value without ';',
 * no white space left at either end, and never more pairs than pieces.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "fuzz.h"

static int
blank(char c)
{
	return c == ' ' || c == '\t';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fields	 f;
	const char	*hdr = (const char *)data;
	size_t		 i, pieces = 1;

	memset(&f, 0, sizeof(f));
	FUZZ_CHECK(cookie_parse(hdr, size, &f) == 0);
	for (i = 0; i < size; i++)
		if (hdr[i] == ';')
			pieces++;
	FUZZ_CHECK(f.n <= pieces);
	for (i = 0; i < f.n; i++) {
		const struct field *fl = &f.v[i];

		FUZZ_CHECK(fl->namelen > 0);
		FUZZ_CHECK(memchr(fl->name, ';', fl->namelen) == NULL);
		FUZZ_CHECK(memchr(fl->name, '=', fl->namelen) == NULL);
		FUZZ_CHECK(memchr(fl->value, ';', fl->valuelen) == NULL);
		FUZZ_CHECK(!blank(fl->name[0]) &&
		    !blank(fl->name[fl->namelen - 1]));
		FUZZ_CHECK(fl->valuelen == 0 || (!blank(fl->value[0]) &&
		    !blank(fl->value[fl->valuelen - 1])));
		FUZZ_CHECK(fl->name[fl->namelen] == '\0' &&
		    fl->value[fl->valuelen] == '\0');
		/* A pair is found by its name as sent, first one first. */
		if (memchr(fl->name, '\0', fl->namelen) == NULL)
			FUZZ_CHECK(fields_get(&f, fl->name) <= fl);
	}
	fields_free(&f);
	return 0;
}
