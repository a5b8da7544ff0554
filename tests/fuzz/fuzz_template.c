/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Fuzz target: filling a template's placeholders (template_render,
 * template_uses). The input is two values, a line each, then the
 * template text. Beyond not crashing: no value ever adds markup, so the
 * output holds exactly as many '<', '>', '"' and '\'' as the template's
 * own text; without values a placeholder vanishes and a text without
 * one comes out as it went in, byte for byte.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "fuzz.h"

static size_t
count(const char *s, size_t len, char c)
{
	size_t	 i, n = 0;

	for (i = 0; i < len; i++)
		if (s[i] == c)
			n++;
	return n;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_level(LOG_LEVEL_ERROR);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char	 special[] = "<>\"'";
	const uint8_t		*p = data, *end = data + size, *nl;
	char			*value[2] = { NULL, NULL }, *text;
	struct tvar		 vars[3];
	struct buf		 out;
	size_t			 i, len;

	for (i = 0; i < 2; i++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		value[i] = fuzz_string(p, (size_t)(nl - p));
		p = nl < end ? nl + 1 : end;
	}
	len = (size_t)(end - p);
	/* Exactly "len" bytes, so reading past the text is caught. */
	if ((text = malloc(len == 0 ? 1 : len)) == NULL)
		fuzz_fail(__FILE__, __LINE__, "malloc");
	memcpy(text, p, len);
	vars[0].name = "user";
	vars[0].value = value[0];
	vars[1].name = "error";
	vars[1].value = value[1];
	vars[2].name = "csrf";
	vars[2].value = "<\"'&>";

	buf_init(&out);
	FUZZ_CHECK(template_render(&out, text, len, vars, 3) == 0);
	for (i = 0; special[i] != '\0'; i++)
		FUZZ_CHECK(count(out.data, out.len, special[i]) ==
		    count(text, len, special[i]));
	/* Without values, placeholders vanish and nothing else changes. */
	buf_reset(&out);
	FUZZ_CHECK(template_render(&out, text, len, NULL, 0) == 0);
	FUZZ_CHECK(out.len <= len);
	if (memmem(text, len, "{{", 2) == NULL)
		FUZZ_CHECK(out.len == len && (len == 0 ||
		    memcmp(out.data, text, len) == 0));
	if (out.len == len)
		FUZZ_CHECK(!template_uses(text, len, "user") &&
		    !template_uses(text, len, "csrf"));
	buf_free(&out);
	free(text);
	free(value[0]);
	free(value[1]);
	return 0;
}
