/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Lists of name=value pairs, and the parser for
 * application/x-www-form-urlencoded text (login bodies, query strings)
 * as the WHATWG URL Standard defines it: pairs are split on '&' only,
 * never on ';' (a second separator let proxies and applications see
 * different parameters, CVE-2021-23336); a pair splits at its first '=';
 * '+' is a space; percent-escapes are decoded to bytes. Values are kept
 * as bytes: checking UTF-8 or NUL is the job of whoever uses a field.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"

static int	 add_decoded(struct fields *, const char *, size_t);

void
fields_free(struct fields *f)
{
	size_t	 i;

	for (i = 0; i < f->n; i++) {
		wipe(f->v[i].value, f->v[i].valuelen);
		free(f->v[i].name);
		free(f->v[i].value);
	}
	free(f->v);
	memset(f, 0, sizeof(*f));
}

/*
 * Append a copy of a pair. Values are wiped when the list is freed since
 * some (passwords) are secrets. Returns 0, or -1 out of memory.
 */
int
fields_add(struct fields *f, const char *name, size_t namelen,
    const char *value, size_t valuelen)
{
	struct field	*v, *fl;

	if ((v = reallocarray(f->v, f->n + 1, sizeof(*v))) == NULL)
		return -1;
	f->v = v;
	fl = &f->v[f->n];
	if ((fl->name = malloc(namelen + 1)) == NULL)
		return -1;
	if ((fl->value = malloc(valuelen + 1)) == NULL) {
		free(fl->name);
		return -1;
	}
	memcpy(fl->name, name, namelen);
	fl->name[namelen] = '\0';
	fl->namelen = namelen;
	memcpy(fl->value, value, valuelen);
	fl->value[valuelen] = '\0';
	fl->valuelen = valuelen;
	f->n++;
	return 0;
}

/* How many pairs are called "name"? */
size_t
fields_count(const struct fields *f, const char *name)
{
	size_t	 i, n = 0, len = strlen(name);

	for (i = 0; i < f->n; i++)
		if (f->v[i].namelen == len && memcmp(f->v[i].name, name,
		    len) == 0)
			n++;
	return n;
}

/* The first pair called "name", or NULL. */
const struct field *
fields_get(const struct fields *f, const char *name)
{
	size_t	 i, len = strlen(name);

	for (i = 0; i < f->n; i++)
		if (f->v[i].namelen == len && memcmp(f->v[i].name, name,
		    len) == 0)
			return &f->v[i];
	return NULL;
}

/* Decode one "name=value" sequence and append it. Returns 0 or -1. */
static int
add_decoded(struct fields *f, const char *seq, size_t len)
{
	struct buf	 name, value;
	const char	*eq;
	size_t		 nlen;
	int		 rc = -1, r1, r2;

	buf_init(&name);
	buf_init(&value);
	eq = memchr(seq, '=', len);
	nlen = eq == NULL ? len : (size_t)(eq - seq);

	r1 = url_decode(seq, nlen, 1, &name);
	r2 = eq == NULL ? url_decode("", 0, 1, &value) :
	    url_decode(eq + 1, len - nlen - 1, 1, &value);
	if (r1 == -1 || r2 == -1)
		goto out;
	if (r1 == 1 || r2 == 1)
		f->bad_escape = 1;
	rc = fields_add(f, name.data, name.len, value.data, value.len);
out:
	wipe(value.data, value.len);
	buf_free(&name);
	buf_free(&value);
	return rc;
}

/*
 * Parse "len" bytes of url-encoded text into "out" (which the caller
 * initialised, and frees even on failure). Empty sequences ("a=1&&b=2")
 * are skipped. At most "max" pairs: a body with thousands of fields is an
 * attack, not a login. Returns FORM_OK, FORM_NOMEM or FORM_TOO_MANY.
 */
int
form_parse(const char *in, size_t len, size_t max, struct fields *out)
{
	const char	*p, *end, *amp;
	size_t		 seqlen;

	if (len == 0)
		return FORM_OK;	/* "in" may be NULL then */
	p = in;
	end = in + len;
	while (p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		seqlen = amp == NULL ? (size_t)(end - p) : (size_t)(amp - p);
		if (seqlen > 0) {
			if (out->n >= max)
				return FORM_TOO_MANY;
			if (add_decoded(out, p, seqlen) == -1)
				return FORM_NOMEM;
		}
		p += seqlen + 1;
	}
	return FORM_OK;
}
