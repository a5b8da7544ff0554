/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * HTML templates: plain HTML files with placeholders such as {{user}},
 * so a site owner can restyle every page without rebuilding. Each value
 * is HTML-escaped as it is put in, always: a template cannot ask for raw
 * output, so no user name or error text can become markup.
 *
 * Templates are read from disk, or from memory while the file is
 * unchanged (filecache.c): a changed page is live without a restart.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gatehouse.h"

#define PLACEHOLDER_MAX	32	/* longest placeholder name */

static const char	*lookup(const char *, size_t, const struct tvar *,
			    size_t);
static const char	*find_pair(const char *, const char *, char);
static const char	*next_placeholder(const char *, const char *,
			    const char **, const char **, size_t *);

/*
 * Append "s" with the five characters that matter in HTML text and in
 * quoted attribute values replaced by references. Returns 0 or -1.
 */
int
html_escape(struct buf *out, const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '&':
			buf_adds(out, "&amp;");
			break;
		case '<':
			buf_adds(out, "&lt;");
			break;
		case '>':
			buf_adds(out, "&gt;");
			break;
		case '"':
			buf_adds(out, "&quot;");
			break;
		case '\'':
			buf_adds(out, "&#39;");
			break;
		default:
			buf_addc(out, s[i]);
			break;
		}
	}
	return out->oom ? -1 : 0;
}

/* The value for placeholder "name" of "len" bytes, or NULL. */
static const char *
lookup(const char *name, size_t len, const struct tvar *vars, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strlen(vars[i].name) == len &&
		    memcmp(vars[i].name, name, len) == 0)
			return vars[i].value;
	return NULL;
}

/*
 * The first of two "c" in a row in [p, end), or NULL. memchr, unlike
 * memmem, finds the first one with vector instructions.
 */
static const char *
find_pair(const char *p, const char *end, char c)
{
	while (p < end && (p = memchr(p, c, (size_t)(end - p))) != NULL) {
		if (p + 1 < end && p[1] == c)
			return p;
		p++;
	}
	return NULL;
}

/*
 * Find the next placeholder in [p, end): a name of letters, digits and
 * '_' between "{{" and "}}", which may be padded with spaces
 * ("{{ user }}"). Sets "*open" to its "{{", "*name" and "*len" to the
 * name, and returns where the text after it starts. Braces around
 * anything else are no placeholder: "*name" is then NULL and the text
 * goes on after the "{{". Returns NULL when there is no "{{" left.
 */
static const char *
next_placeholder(const char *p, const char *end, const char **open,
    const char **name, size_t *len)
{
	const char	*close, *n, *n_end, *q;

	if ((*open = find_pair(p, end, '{')) == NULL)
		return NULL;
	*name = NULL;
	close = find_pair(*open + 2, end, '}');
	if (close == NULL)
		return *open + 2;
	n = *open + 2;
	n_end = close;
	while (n < n_end && *n == ' ')
		n++;
	while (n_end > n && n_end[-1] == ' ')
		n_end--;
	for (q = n; q < n_end; q++)
		if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
		    (*q >= '0' && *q <= '9') || *q == '_'))
			break;
	if (q != n_end || n == n_end || n_end - n > PLACEHOLDER_MAX)
		return *open + 2;
	*name = n;
	*len = (size_t)(n_end - n);
	return close + 2;
}

/*
 * Append "text" to "out" with each {{name}} replaced by the escaped value
 * of that variable (see next_placeholder). An unknown name becomes empty
 * text (and a debug line); anything else between braces is kept as it
 * is. Returns 0 or -1 out of memory.
 */
int
template_render(struct buf *out, const char *text, size_t len,
    const struct tvar *vars, size_t n)
{
	const char	*p = text, *end = text + len, *open, *name, *next;
	const char	*value;
	size_t		 nlen;

	while (p < end) {
		if ((next = next_placeholder(p, end, &open, &name, &nlen)) ==
		    NULL) {
			buf_add(out, p, (size_t)(end - p));
			break;
		}
		buf_add(out, p, (size_t)(open - p));
		if (name == NULL) {
			/* Not a placeholder: keep the braces as text. */
			buf_add(out, open, 2);
			p = next;
			continue;
		}
		value = lookup(name, nlen, vars, n);
		if (value == NULL)
			log_debug("template: unknown placeholder %.*s",
			    (int)nlen, name);
		else
			html_escape(out, value, strlen(value));
		p = next;
	}
	return out->oom ? -1 : 0;
}

/*
 * Does "text" use placeholder "name"? For values that cost something to
 * make (a CSRF token sets a cookie): only pages that show them get them.
 */
int
template_uses(const char *text, size_t len, const char *name)
{
	const char	*p = text, *end = text + len, *open, *found;
	size_t		 nlen;

	while (p < end &&
	    (p = next_placeholder(p, end, &open, &found, &nlen)) != NULL)
		if (found != NULL && nlen == strlen(name) &&
		    memcmp(found, name, nlen) == 0)
			return 1;
	return 0;
}

/*
 * Append the contents of the regular file at "path" to "out", refusing
 * files larger than "max" bytes. Returns 0, or -1 with errno set (ENOENT
 * and EISDIR tell a missing page; EFBIG a file too large) and "out" as
 * it was. O_NONBLOCK keeps a FIFO dropped into a page folder from
 * hanging the worker in open(); it is refused as not a regular file.
 */
int
file_read(const char *path, size_t max, struct buf *out)
{
	struct stat	 sb;
	char		 chunk[8192];
	ssize_t		 n;
	size_t		 total = 0, start = out->len;
	int		 fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK))
	    == -1)
		return -1;
	if (fstat(fd, &sb) == -1)
		goto fail;
	if (!S_ISREG(sb.st_mode)) {
		errno = S_ISDIR(sb.st_mode) ? EISDIR : ENOENT;
		goto fail;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		total += (size_t)n;
		if (total > max) {
			errno = EFBIG;
			goto fail;
		}
		if (buf_add(out, chunk, (size_t)n) == -1) {
			errno = ENOMEM;
			goto fail;
		}
	}
	close(fd);
	return 0;
fail:
	saved = errno;
	close(fd);
	if (out->data != NULL && !out->oom) {
		out->len = start;
		out->data[start] = '\0';
	}
	errno = saved;
	return -1;
}
