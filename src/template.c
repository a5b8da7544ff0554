/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * HTML templates: plain HTML files with placeholders such as {{user}},
 * so a site owner can restyle every page without rebuilding. Each value
 * is HTML-escaped as it is put in, always: a template cannot ask for raw
 * output, so no user name or error text can become markup.
 *
 * Templates are read from disk on each use. They are small, and a
 * changed page is then live without a restart.
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
 * Append "text" to "out" with each {{name}} replaced by the escaped value
 * of that variable. A name may hold letters, digits and '_' and be padded
 * with spaces ("{{ user }}"). An unknown name becomes empty text (and a
 * debug line); anything else between braces is kept as it is.
 * Returns 0 or -1 out of memory.
 */
int
template_render(struct buf *out, const char *text, size_t len,
    const struct tvar *vars, size_t n)
{
	const char	*p = text, *end = text + len, *open, *close;
	const char	*name, *name_end, *value, *q;

	while (p < end) {
		open = memmem(p, (size_t)(end - p), "{{", 2);
		if (open == NULL) {
			buf_add(out, p, (size_t)(end - p));
			break;
		}
		buf_add(out, p, (size_t)(open - p));
		close = memmem(open + 2, (size_t)(end - open - 2), "}}", 2);
		name = open + 2;
		name_end = close;
		while (name_end != NULL && name < name_end && *name == ' ')
			name++;
		while (name_end != NULL && name_end > name &&
		    name_end[-1] == ' ')
			name_end--;
		for (q = name; name_end != NULL && q < name_end; q++)
			if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' &&
			    *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_'))
				break;
		if (close == NULL || q != name_end || name == name_end ||
		    name_end - name > PLACEHOLDER_MAX) {
			/* Not a placeholder: keep the braces as text. */
			buf_add(out, open, 2);
			p = open + 2;
			continue;
		}
		value = lookup(name, (size_t)(name_end - name), vars, n);
		if (value == NULL)
			log_debug("template: unknown placeholder %.*s",
			    (int)(name_end - name), name);
		else
			html_escape(out, value, strlen(value));
		p = close + 2;
	}
	return out->oom ? -1 : 0;
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
