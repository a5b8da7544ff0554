/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * buf.c: growth, formatting, handing the text over, and the sticky
 * out-of-memory flag that lets callers check once at the end.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "testlib.h"

static void
grows(void **state)
{
	struct buf	 b;
	size_t		 i;

	(void)state;
	buf_init(&b);
	for (i = 0; i < 10000; i++)
		assert_int_equal(buf_addc(&b, (char)('a' + i % 26)), 0);
	assert_int_equal(b.len, 10000);
	assert_int_equal(b.data[10000], '\0');
	assert_int_equal(b.data[9999], 'a' + 9999 % 26);
	assert_int_equal(buf_add(&b, "x\0y", 3), 0);
	assert_int_equal(b.len, 10003);
	assert_int_equal(memcmp(b.data + 10000, "x\0y", 3), 0);
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	buf_free(&b);
	assert_null(b.data);
}

static void
printf_and_steal(void **state)
{
	struct buf	 b;
	char		*s;

	(void)state;
	buf_init(&b);
	s = buf_steal(&b);
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(buf_printf(&b, "%s=%d;", "a", 42), 0);
	assert_int_equal(buf_adds(&b, "tail"), 0);
	assert_string_equal(b.data, "a=42;tail");
	s = buf_steal(&b);
	assert_string_equal(s, "a=42;tail");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(s);
}

/* Once an append fails, all later ones fail and steal gives NULL. */
static void
sticky_oom(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b);
	buf_adds(&b, "abc");
	assert_int_equal(buf_add(&b, "x", SIZE_MAX - 2), -1);
	assert_true(b.oom);
	assert_int_equal(buf_adds(&b, "more"), -1);
	assert_int_equal(b.len, 3);
	assert_null(buf_steal(&b));
	assert_null(b.data);
}

/* buf_extend hands out room at the end, counted and NUL-terminated. */
static void
extend(void **state)
{
	struct buf	 b;
	char		*p;

	(void)state;
	buf_init(&b);
	buf_adds(&b, "ab");
	assert_non_null(p = buf_extend(&b, 300));
	assert_ptr_equal(p, b.data + 2);
	assert_int_equal(b.len, 302);
	assert_int_equal(b.data[302], '\0');
	memset(p, 'x', 300);
	buf_adds(&b, "c");
	assert_int_equal(b.len, 303);
	assert_int_equal(memcmp(b.data, "abx", 3), 0);
	assert_string_equal(b.data + 301, "xc");
	/* Out of memory: NULL, nothing counted, and it stays failed. */
	assert_null(buf_extend(&b, SIZE_MAX - 2));
	assert_true(b.oom);
	assert_int_equal(b.len, 303);
	assert_null(buf_extend(&b, 1));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grows),
		cmocka_unit_test(printf_and_steal),
		cmocka_unit_test(sticky_oom),
		cmocka_unit_test(extend),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
