/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * The site's signing secrets (for CSRF tokens), kept in one file: one
 * secret per line, the first signs and every one verifies, so a new
 * secret can be put first while forms signed with the old one are still
 * out there. The file is made with one random secret the first time it
 * is needed, and read again when it changes, so a rotation needs no
 * restart.
 *
 * The signing keys of tokens are kept elsewhere (keys_dir, jwk.c): they
 * are public-key pairs with their own rotation through the store.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "gatehouse.h"

#define SECRETS_FILE_MAX	16384	/* bytes of the file */
#define SECRET_GEN_BYTES	32	/* random bytes of a made secret */

static int	 secrets_create(const char *);
static int	 secrets_parse(const char *, char *, size_t,
		    struct secrets *);
static int	 same_file(const struct secrets *, const struct stat *);

/*
 * Make the file with one new secret, all at once: written beside it
 * under a temporary name and linked into place, so a process that reads
 * it never sees half a file, and of two processes making it at the same
 * time one wins and both use its secret. Returns 0 or -1 (logged).
 */
static int
secrets_create(const char *path)
{
	unsigned char	 raw[SECRET_GEN_BYTES];
	char		 line[SECRET_GEN_BYTES * 2], *tmp;
	struct buf	 text;
	int		 fd, rc = -1;

	if (asprintf(&tmp, "%s.XXXXXX", path) == -1)
		return -1;
	buf_init(&text);
	if (RAND_bytes(raw, sizeof(raw)) != 1 || base64_encode(raw,
	    sizeof(raw), 1, line, sizeof(line)) == -1) {
		log_warnx("secrets: no random bytes");
		goto out;
	}
	buf_printf(&text, "# Gatehouse signing secrets, one per line: the "
	    "first signs, all verify.\n# To rotate, put a new line of 32 or "
	    "more random characters first.\n%s\n", line);
	if (text.oom)
		goto out;
	if ((fd = mkstemp(tmp)) == -1) {
		log_warn("secrets: cannot create %s", tmp);
		goto out;
	}
	if (fchmod(fd, 0600) == -1 || write(fd, text.data, text.len) !=
	    (ssize_t)text.len || fsync(fd) == -1) {
		log_warn("secrets: cannot write %s", tmp);
		close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	if (link(tmp, path) == -1 && errno != EEXIST)
		log_warn("secrets: cannot create %s", path);
	else {
		log_info("secrets: made %s", path);
		rc = 0;
	}
	unlink(tmp);
out:
	wipe(raw, sizeof(raw));
	wipe(line, sizeof(line));
	if (text.data != NULL)
		wipe(text.data, text.len);
	buf_free(&text);
	free(tmp);
	return rc;
}

/*
 * Parse the file's text: blank lines and lines starting with '#' are
 * skipped; every other line, white space at either end removed, is one
 * secret of SECRET_MIN to SECRET_LEN_MAX bytes. Returns 0 or -1 (logged
 * with the line).
 */
static int
secrets_parse(const char *path, char *text, size_t len, struct secrets *s)
{
	char	*line = text, *end, *nl;
	size_t	 n;
	int	 lineno = 0;

	while (line < text + len) {
		lineno++;
		if ((nl = memchr(line, '\n', (size_t)(text + len - line))) ==
		    NULL)
			nl = text + len;
		end = nl;
		while (line < end && (*line == ' ' || *line == '\t'))
			line++;
		while (end > line && (end[-1] == ' ' || end[-1] == '\t' ||
		    end[-1] == '\r'))
			end--;
		n = (size_t)(end - line);
		/* cppcheck 2.10 wrongly takes n to be 0 after the loops. */
		/* cppcheck-suppress knownConditionTrueFalse */
		if (n > 0 && *line != '#') {
			if (n < SECRET_MIN || n > SECRET_LEN_MAX ||
			    str_has_ctl(line, n)) {
				log_warnx("secrets: %s:%d: a secret is %d to "
				    "%d characters, none of them a control "
				    "character", path, lineno, SECRET_MIN,
				    SECRET_LEN_MAX);
				return -1;
			}
			if (s->n == SECRETS_MAX) {
				log_warnx("secrets: %s:%d: more than %d "
				    "secrets", path, lineno, SECRETS_MAX);
				return -1;
			}
			memcpy(s->v[s->n].bytes, line, n);
			s->v[s->n].len = n;
			s->n++;
		}
		line = nl + 1;
	}
	if (s->n == 0) {
		log_warnx("secrets: %s holds no secret", path);
		return -1;
	}
	return 0;
}

static int
same_file(const struct secrets *s, const struct stat *st)
{
	return s->dev == st->st_dev && s->ino == st->st_ino &&
	    s->size == st->st_size &&
	    s->mtime.tv_sec == st->st_mtim.tv_sec &&
	    s->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/*
 * Read the secrets file "path" into "s", making it first if it is
 * missing and "create" is set. A file others may read or anyone but its
 * owner may write (its group included) is refused: whoever knows or sets
 * a secret can sign forms for any visitor. Returns 0 or -1 (logged).
 */
int
secrets_load(const char *path, int create, struct secrets *s)
{
	struct stat	 st;
	char		 text[SECRETS_FILE_MAX + 1];
	ssize_t		 got;
	size_t		 len = 0;
	int		 fd, rc = -1;

	memset(s, 0, sizeof(*s));
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 && errno == ENOENT && create &&
	    secrets_create(path) == 0)
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		log_warn("secrets: cannot open %s", path);
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		log_warnx("secrets: %s is not a regular file", path);
		goto out;
	}
	if (st.st_mode & (S_IROTH | S_IWOTH | S_IWGRP)) {
		log_warnx("secrets: %s may be read or written by others: "
		    "chmod 600 it", path);
		goto out;
	}
	while (len < sizeof(text) && (got = read(fd, text + len,
	    sizeof(text) - len)) > 0)
		len += (size_t)got;
	if (len > SECRETS_FILE_MAX) {
		log_warnx("secrets: %s is larger than %d bytes", path,
		    SECRETS_FILE_MAX);
		goto out;
	}
	if (secrets_parse(path, text, len, s) == -1)
		goto out;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->size = st.st_size;
	s->mtime = st.st_mtim;
	rc = 0;
out:
	wipe(text, sizeof(text));
	if (rc == -1)
		secrets_clear(s);
	close(fd);
	return rc;
}

/*
 * For "gatehouse -t": can the secrets file be used? A missing one is
 * fine (the server makes it, as its own user, on first use; made here it
 * would belong to whoever runs the check). Returns 0 or -1 (logged).
 */
int
secrets_check(const char *path)
{
	struct secrets	 s;
	struct stat	 st;

	if (stat(path, &st) == -1 && errno == ENOENT)
		return 0;
	if (secrets_load(path, 0, &s) == -1)
		return -1;
	secrets_clear(&s);
	return 0;
}

void
secrets_clear(struct secrets *s)
{
	wipe(s, sizeof(*s));
}

/*
 * The site's secrets, read on first use and again when the file has
 * changed (looked at once a second at most). While a changed file cannot
 * be read, the secrets read before stay in use. NULL (logged) if there
 * are none.
 */
const struct secrets *
ctx_secrets(struct ctx *ctx)
{
	struct secrets	*fresh;
	struct stat	 st;

	if (ctx->secrets != NULL && ctx->secrets->n > 0 &&
	    ctx->secrets->checked == ctx->now)
		return ctx->secrets;
	if (ctx->secrets != NULL && ctx->secrets->n > 0 &&
	    stat(ctx->cfg->secrets_file, &st) == 0 &&
	    same_file(ctx->secrets, &st)) {
		ctx->secrets->checked = ctx->now;
		return ctx->secrets;
	}
	if ((fresh = malloc(sizeof(*fresh))) == NULL)
		return ctx->secrets != NULL && ctx->secrets->n > 0 ?
		    ctx->secrets : NULL;
	if (secrets_load(ctx->cfg->secrets_file, 1, fresh) == -1) {
		free(fresh);
		if (ctx->secrets == NULL || ctx->secrets->n == 0)
			return NULL;
		ctx->secrets->checked = ctx->now;
		return ctx->secrets;
	}
	fresh->checked = ctx->now;
	ctx_secrets_free(ctx);
	ctx->secrets = fresh;
	return fresh;
}

void
ctx_secrets_free(struct ctx *ctx)
{
	if (ctx->secrets != NULL) {
		secrets_clear(ctx->secrets);
		free(ctx->secrets);
		ctx->secrets = NULL;
	}
}
