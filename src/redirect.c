/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Which "next" targets a login or logout may send the browser to.
 *
 * Only paths on this site are allowed. Open-redirect bugs in login pages
 * came from checks that looked for a leading '/' and were then fooled by
 * "//host", "/\host" (browsers read '\' as '/'), whitespace or control
 * bytes between the slashes (browsers drop them), or one more layer of
 * percent-encoding that some later hop decodes. So the target as given
 * must:
 *
 *   - start with '/';
 *   - be printable ASCII without space (what a Location header holds);
 *   - hold no '\', no "//" anywhere (query included), and no "." or
 *     ".." path segment (which can fold into "//").
 *
 * and the same target percent-decoded once more must still start with
 * '/' and hold no control byte, no '\', no '/' followed by a '/' with
 * only spaces between, and no dot segment. There a space or a UTF-8
 * byte is fine: "/private/my%20file.html" is a good target.
 *
 * Redirects go to the target as given, which passed both checks.
 */
#include "config.h"

#include <string.h>

#include "gatehouse.h"

static int	 path_ok(const char *, size_t, int);

/*
 * Check one form of the target. "decoded" relaxes the byte rule to
 * allow spaces and bytes above 0x7f, and then looks through spaces for
 * a second slash. Returns 1 or 0.
 */
static int
path_ok(const char *s, size_t len, int decoded)
{
	size_t		 i, j, seg = 1;
	unsigned char	 c;
	int		 in_path = 1;

	if (len == 0 || s[0] != '/')
		return 0;
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c == '\\')
			return 0;
		if (!decoded && (c == ' ' || c > 0x7f))
			return 0;
		if (c == '/') {
			for (j = i + 1; decoded && j < len && s[j] == ' '; j++)
				;
			if (!decoded)
				j = i + 1;
			if (j < len && s[j] == '/')
				return 0;
		}
		if (!in_path)
			continue;
		if (c == '?' || c == '#') {
			in_path = 0;
			continue;
		}
		/* At the end of a path segment, look at what it was. */
		if (i + 1 == len || s[i + 1] == '/' || s[i + 1] == '?' ||
		    s[i + 1] == '#') {
			if ((i + 1 - seg == 1 && s[seg] == '.') ||
			    (i + 1 - seg == 2 && s[seg] == '.' &&
			    s[seg + 1] == '.'))
				return 0;
		}
		if (c == '/')
			seg = i + 1;
	}
	return 1;
}

/*
 * May the browser be sent to "target" after login or logout? Returns 1
 * or 0; NULL and "" are refused. Logs nothing: callers fall back to their
 * default and say so.
 */
int
redirect_target_ok(const char *target)
{
	struct buf	 decoded;
	size_t		 len;
	int		 ok;

	if (target == NULL)
		return 0;
	len = strlen(target);
	if (len > REQUEST_PATH_MAX || !path_ok(target, len, 0))
		return 0;

	buf_init(&decoded);
	if (url_decode(target, len, 0, &decoded) != 0)
		ok = 0;		/* a stray '%', or out of memory */
	else
		ok = path_ok(decoded.data, decoded.len, 1);
	buf_free(&decoded);
	return ok;
}
