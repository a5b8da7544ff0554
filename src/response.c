/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Responses: a status, headers and a body, built by handlers and written
 * out in CGI form ("Status:" line, headers, blank line, body) by the
 * front. Every header passes through response_header, which refuses a
 * name that is not a token and a value with CR, LF, NUL or another
 * control byte, so no handler can be tricked into splitting a response.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "gatehouse.h"

static int	 header_name_valid(const char *);
static struct header *
		 header_slot(struct response *);

/* Reason phrases for the statuses Gatehouse sends. */
static const struct {
	int		 status;
	const char	*reason;
} reasons[] = {
	{ 200, "OK" },
	{ 204, "No Content" },
	{ 303, "See Other" },
	{ 400, "Bad Request" },
	{ 401, "Unauthorized" },
	{ 403, "Forbidden" },
	{ 404, "Not Found" },
	{ 405, "Method Not Allowed" },
	{ 411, "Length Required" },
	{ 413, "Content Too Large" },
	{ 414, "URI Too Long" },
	{ 415, "Unsupported Media Type" },
	{ 429, "Too Many Requests" },
	{ 431, "Request Header Fields Too Large" },
	{ 500, "Internal Server Error" },
	{ 503, "Service Unavailable" },
};

const char *
http_reason(int status)
{
	size_t	 i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].status == status)
			return reasons[i].reason;
	return "Unknown";
}

void
response_init(struct response *r)
{
	memset(r, 0, sizeof(*r));
	r->status = 200;
	buf_init(&r->body);
}

/* Drop headers and body, keep the memory of nothing. */
void
response_reset(struct response *r)
{
	size_t	 i;

	for (i = 0; i < r->nheaders; i++)
		if (r->headers[i].owned) {
			free(r->headers[i].name);
			free(r->headers[i].value);
		}
	free(r->headers);
	r->headers = NULL;
	r->nheaders = 0;
	buf_reset(&r->body);
	r->status = 200;
	r->failed = 0;
}

void
response_free(struct response *r)
{
	response_reset(r);
	buf_free(&r->body);
}

/* Is "s" a header name token (RFC 9110 section 5.1)? */
static int
header_name_valid(const char *s)
{
	return cookie_name_valid(s);
}

/*
 * The place for one more header, not yet counted in r->nheaders; NULL
 * (and the response failed) when out of memory. The array holds 16 at
 * first and doubles when full, so that the security headers added to
 * every answer cost one allocation, not one each. Its size follows from
 * nheaders: a new array is due when nheaders is 0, or 16 or more and a
 * power of two.
 */
static struct header *
header_slot(struct response *r)
{
	struct header	*h;
	size_t		 n = r->nheaders, want;

	if (n == 0)
		want = 16;
	else if (n >= 16 && (n & (n - 1)) == 0)
		want = n * 2;
	else
		return &r->headers[n];
	if ((h = reallocarray(r->headers, want, sizeof(*h))) == NULL) {
		r->failed = 1;
		return NULL;
	}
	r->headers = h;
	return &r->headers[n];
}

/*
 * Add a header. A value holding a control byte other than HTAB is
 * refused: the response is marked failed and will become a 500.
 * Returns 0 or -1.
 */
int
response_header(struct response *r, const char *name, const char *value)
{
	struct header	*h;
	const char	*p;

	if (!header_name_valid(name)) {
		log_warnx("%s: refused header name", __func__);
		r->failed = 1;
		return -1;
	}
	for (p = value; *p != '\0'; p++)
		if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f) {
			log_warnx("%s: refused a control byte in %s", __func__,
			    name);
			r->failed = 1;
			return -1;
		}

	if ((h = header_slot(r)) == NULL)
		return -1;
	h->name = strdup(name);
	h->value = strdup(value);
	h->owned = 1;
	if (h->name == NULL || h->value == NULL) {
		free(h->name);
		free(h->value);
		r->failed = 1;
		return -1;
	}
	r->nheaders++;
	return 0;
}

/*
 * Add a header whose name and value are constant strings of the program
 * (the security headers, content types): kept by pointer, not copied,
 * and not checked, since no request ever shaped them. 0 or -1.
 */
int
response_header_const(struct response *r, const char *name,
    const char *value)
{
	struct header	*h;

	if ((h = header_slot(r)) == NULL)
		return -1;
	r->nheaders++;
	h->name = (char *)(uintptr_t)name;
	h->value = (char *)(uintptr_t)value;
	h->owned = 0;
	return 0;
}

int
response_headerf(struct response *r, const char *name, const char *fmt, ...)
{
	struct buf	 b;
	va_list		 ap;
	int		 rc;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (b.oom) {
		r->failed = 1;
		rc = -1;
	} else
		rc = response_header(r, name, b.data);
	buf_free(&b);
	return rc;
}

/* The value of the first header called "name" (any case), or NULL. */
const char *
response_get_header(const struct response *r, const char *name)
{
	size_t	 i;

	for (i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

/* A redirect to "location", which the caller made safe. 0 or -1. */
int
response_redirect(struct response *r, int status, const char *location)
{
	r->status = status;
	if (response_header(r, "Location", location) == -1)
		return -1;
	response_header(r, "Content-Type", "text/plain; charset=utf-8");
	buf_printf(&r->body, "See %s\n", location);
	return r->failed || r->body.oom ? -1 : 0;
}

/*
 * A JSON answer. Takes the reference to "obj" (NULL is taken as an
 * allocation failure). Returns 0 or -1.
 */
int
response_json(struct response *r, int status, json_t *obj)
{
	char	*text;

	r->status = status;
	if (obj == NULL) {
		r->failed = 1;
		return -1;
	}
	text = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	if (text == NULL) {
		r->failed = 1;
		return -1;
	}
	response_header_const(r, "Content-Type", "application/json");
	buf_adds(&r->body, text);
	buf_addc(&r->body, '\n');
	free(text);
	return r->failed || r->body.oom ? -1 : 0;
}

/*
 * Append "s" as a JSON string (RFC 8259 section 7): quotes, backslash and
 * control characters escaped, UTF-8 kept, and bytes that are not UTF-8
 * replaced by U+FFFD, so the text is always valid JSON. Returns 0 or -1.
 */
int
json_add_string(struct buf *out, const char *s)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 len = strlen(s), i = 0, n;
	uint32_t		 cp;

	buf_addc(out, '"');
	while (i < len) {
		if ((n = utf8_next(s + i, len - i, &cp)) == 0) {
			buf_adds(out, "\xef\xbf\xbd");
			i++;
			continue;
		}
		if (cp == '"' || cp == '\\') {
			buf_addc(out, '\\');
			buf_addc(out, (char)cp);
		} else if (cp < 0x20 || cp == 0x7f) {
			buf_adds(out, "\\u00");
			buf_addc(out, hex[cp >> 4]);
			buf_addc(out, hex[cp & 0x0f]);
		} else
			buf_add(out, s + i, n);
		i += n;
	}
	buf_addc(out, '"');
	return out->oom ? -1 : 0;
}

/*
 * A JSON answer from text the caller wrote (with json_add_string for
 * every string). Returns 0 or -1.
 */
int
response_json_text(struct response *r, int status, const struct buf *text)
{
	r->status = status;
	if (text->oom || text->data == NULL) {
		r->failed = 1;
		return -1;
	}
	response_header_const(r, "Content-Type", "application/json");
	buf_add(&r->body, text->data, text->len);
	buf_addc(&r->body, '\n');
	return r->failed || r->body.oom ? -1 : 0;
}

/*
 * Write the response in CGI form to "out": the Status line, the headers,
 * Content-Length, and the body unless "head_only" (a HEAD request gets
 * the headers of the GET). Returns 0 or -1 out of memory.
 */
int
response_serialize(const struct response *r, int head_only, struct buf *out)
{
	size_t	 i, nlen, vlen, total = 0;
	char	*p;
	int	 typed = 0;

	/* Plain appends, no printf: this runs for every answer. */
	buf_add(out, "Status: ", 8);
	buf_addnum(out, (unsigned long long)r->status);
	buf_addc(out, ' ');
	buf_adds(out, http_reason(r->status));
	buf_add(out, "\r\n", 2);

	/* The headers measured first, then copied into one extension. */
	for (i = 0; i < r->nheaders; i++) {
		nlen = strlen(r->headers[i].name);
		total += nlen + strlen(r->headers[i].value) + 4;
		if (nlen == 12 && strcasecmp(r->headers[i].name,
		    "Content-Type") == 0)
			typed = 1;
	}
	/*
	 * Bytes of the answer, not C strings: no NUL is wanted, which
	 * clang-tidy's check of memcpy takes for a mistake.
	 * NOLINTBEGIN(bugprone-not-null-terminated-result)
	 */
	if ((p = buf_extend(out, total)) != NULL)
		for (i = 0; i < r->nheaders; i++) {
			nlen = strlen(r->headers[i].name);
			vlen = strlen(r->headers[i].value);
			memcpy(p, r->headers[i].name, nlen);
			memcpy(p + nlen, ": ", 2);
			memcpy(p + nlen + 2, r->headers[i].value, vlen);
			memcpy(p + nlen + 2 + vlen, "\r\n", 2);
			p += nlen + vlen + 4;
		}
	/* NOLINTEND(bugprone-not-null-terminated-result) */
	if (r->body.len > 0 && !typed)
		buf_adds(out, "Content-Type: text/plain; charset=utf-8\r\n");
	buf_add(out, "Content-Length: ", 16);
	buf_addnum(out, r->body.len);
	buf_add(out, "\r\n\r\n", 4);
	if (!head_only && r->body.len > 0)
		buf_add(out, r->body.data, r->body.len);
	return out->oom || r->body.oom ? -1 : 0;
}
