/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Growable byte strings, used to build response bodies, headers and
 * anything else whose length is not known in advance.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"

static int	 reserve(struct buf *, size_t);

void
buf_init(struct buf *b)
{
	memset(b, 0, sizeof(*b));
}

void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

/* Forget the contents but keep the memory for reuse. */
void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->oom = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/*
 * Make room for "more" bytes plus the terminating NUL. Grows by doubling
 * so that building a large body stays linear. Returns 0, or -1 (and sets
 * "oom") when the size would overflow or memory runs out.
 */
static int
reserve(struct buf *b, size_t more)
{
	size_t	 need, cap;
	char	*p;

	if (b->oom)
		return -1;
	if (more > SIZE_MAX - 1 - b->len) {
		b->oom = 1;
		return -1;
	}
	need = b->len + more + 1;
	if (need <= b->cap)
		return 0;

	cap = b->cap == 0 ? 128 : b->cap;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;

	if ((p = realloc(b->data, cap)) == NULL) {
		b->oom = 1;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

/* Append "len" bytes. Returns 0, or -1 once out of memory. */
int
buf_add(struct buf *b, const void *p, size_t len)
{
	if (reserve(b, len) == -1)
		return -1;
	if (len > 0)
		memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

/*
 * Make "len" more bytes part of the contents and return where they
 * start, for the caller to write (all of them) at once; NULL once out
 * of memory. For one who knows the length of many pieces beforehand.
 */
char *
buf_extend(struct buf *b, size_t len)
{
	char	*p;

	if (reserve(b, len) == -1)
		return NULL;
	p = b->data + b->len;
	b->len += len;
	b->data[b->len] = '\0';
	return p;
}

int
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

/* Append "n" in decimal. Returns 0 or -1. */
int
buf_addnum(struct buf *b, unsigned long long n)
{
	char	 digits[24];
	size_t	 i = sizeof(digits);

	do
		digits[--i] = (char)('0' + n % 10);
	while ((n /= 10) != 0);
	return buf_add(b, digits + i, sizeof(digits) - i);
}

int
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 copy;
	int	 n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0) {
		b->oom = 1;
		return -1;
	}
	if (reserve(b, (size_t)n) == -1)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

/*
 * Hand the contents over to the caller, who frees them, and leave the
 * buffer empty. Returns NULL if an append had failed (the partial text is
 * freed) or on allocation failure; an untouched buffer gives "".
 */
char *
buf_steal(struct buf *b)
{
	char	*p;

	if (b->oom) {
		buf_free(b);
		return NULL;
	}
	if (b->data == NULL)
		return strdup("");
	p = b->data;
	buf_init(b);
	return p;
}
