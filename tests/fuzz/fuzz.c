/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Helpers for the fuzz targets (see fuzz.h). Allocation failures end
 * the run: a fuzz target is a test, not a server, and an input that ran
 * out of memory is worth keeping as a finding anyway.
 */
#include "config.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gatehouse.h"
#include "store.h"
#include "fuzz.h"

void
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: property broken: %s\n", file, line, what);
	abort();
}

static void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL)
		fuzz_fail(__FILE__, __LINE__, "malloc");
	return p;
}

/* The first "len" bytes as a C string (cut at a NUL); caller frees. */
char *
fuzz_string(const uint8_t *data, size_t len)
{
	char	*s = xmalloc(len + 1);

	memcpy(s, data, len);
	s[len] = '\0';
	return s;
}

/* Append one "NAME=value" parameter (copied) to "r". */
void
fuzz_request_add(struct fuzz_request *r, const char *param)
{
	char	**v;

	if ((v = realloc(r->envp, (r->n + 2) * sizeof(*v))) == NULL)
		fuzz_fail(__FILE__, __LINE__, "realloc");
	r->envp = v;
	if ((r->envp[r->n] = strdup(param)) == NULL)
		fuzz_fail(__FILE__, __LINE__, "strdup");
	r->envp[++r->n] = NULL;
}

/*
 * Read an input as a web server's request: "NAME=value" lines, as many
 * as there are, up to an empty line; the body is every byte after it.
 * Without an empty line there is no body. A line keeps any byte but
 * '\n'; a NUL cuts it short, as it would a C string from libfcgi.
 */
void
fuzz_request_split(const uint8_t *data, size_t size, struct fuzz_request *r)
{
	const uint8_t	*p = data, *end = data + size, *nl;
	char		*line;

	memset(r, 0, sizeof(*r));
	r->envp = xmalloc(sizeof(*r->envp));
	r->envp[0] = NULL;
	r->body = "";
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl == p) {
			r->body = (const char *)nl + 1;
			r->bodylen = (size_t)(end - nl - 1);
			break;
		}
		line = fuzz_string(p, (size_t)(nl - p));
		fuzz_request_add(r, line);
		free(line);
		p = nl + 1;
	}
}

void
fuzz_request_free(struct fuzz_request *r)
{
	size_t	 i;

	for (i = 0; i < r->n; i++)
		free(r->envp[i]);
	free(r->envp);
	memset(r, 0, sizeof(*r));
}

/* A fresh directory under $TMPDIR (or /tmp); caller frees the name. */
char *
fuzz_tempdir(void)
{
	const char	*tmp = getenv("TMPDIR");
	char		*dir;

	if (asprintf(&dir, "%s/gh-fuzz-XXXXXX", tmp != NULL && *tmp != '\0' ?
	    tmp : "/tmp") == -1 || mkdtemp(dir) == NULL)
		fuzz_fail(__FILE__, __LINE__, "mkdtemp");
	return dir;
}

/*
 * Write "len" bytes to "dir"/"name", replacing the file. Returns its
 * path (caller frees).
 */
char *
fuzz_write(const char *dir, const char *name, const void *data, size_t len)
{
	char	*path;
	int	 fd;

	if (asprintf(&path, "%s/%s", dir, name) == -1)
		fuzz_fail(__FILE__, __LINE__, "asprintf");
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1 || (len > 0 && write(fd, data, len) !=
	    (ssize_t)len) || close(fd) == -1)
		fuzz_fail(__FILE__, __LINE__, path);
	return path;
}

static struct fuzz_site	*open_site;

static int
remove_one(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* At exit: close the store and remove the site's directory. */
static void
site_cleanup(void)
{
	if (open_site == NULL)
		return;
	token_keys_free(&open_site->ctx);
	ctx_secrets_free(&open_site->ctx);
	store_close(open_site->ctx.store);
	config_free(&open_site->cfg);
	nftw(open_site->dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
	free(open_site->dir);
	free(open_site->access);
	open_site = NULL;
}

/*
 * Make the site of fuzz.h in a new temporary directory, serving the
 * pages of the source tree's www/. It lasts until the process exits (a
 * fuzzing run, or one replay), which removes it.
 */
void
fuzz_site_open(struct fuzz_site *s)
{
	struct jwk	 k;
	struct user	 u;
	json_t		*pair = NULL;
	char		*conf, *text, *hash, *path;
	int		 active;

	memset(s, 0, sizeof(*s));
	log_set_level(LOG_LEVEL_ERROR);
	s->dir = fuzz_tempdir();
	open_site = s;
	atexit(site_cleanup);
	if (asprintf(&text, "[database]\npath = gh.db\n[password]\n"
	    "scrypt_log2n = 10\n[tokens]\nmode = both\n[server]\n"
	    "www = %s\n", FUZZ_WWW) == -1)
		fuzz_fail(__FILE__, __LINE__, "asprintf");
	conf = fuzz_write(s->dir, "gatehouse.conf", text, strlen(text));
	free(text);
	config_defaults(&s->cfg);
	if (config_load(conf, &s->cfg) == -1)
		fuzz_fail(__FILE__, __LINE__, "config_load");
	free(conf);
	s->ctx.cfg = &s->cfg;
	s->ctx.create_store = 1;
	s->ctx.now = FUZZ_T0;
	if (ctx_store(&s->ctx) == NULL)
		fuzz_fail(__FILE__, __LINE__, "ctx_store");

	if (password_hash("pw-alice-1", 10, &s->cfg.kdf, &hash) == -1 ||
	    store_user_add(s->ctx.store, "alice", hash, FUZZ_T0) != STORE_OK)
		fuzz_fail(__FILE__, __LINE__, "store_user_add");
	free(hash);
	if (mkdir(s->cfg.keys_dir, 0700) == -1 ||
	    jwk_generate(JWS_ES256, &k) == -1 ||
	    (path = token_key_path(&s->cfg, "k1")) == NULL ||
	    jwk_write(&k, path) == -1 || store_key_add(s->ctx.store, "k1",
	    "ES256", FUZZ_T0, &active) != STORE_OK)
		fuzz_fail(__FILE__, __LINE__, "signing key");
	free(path);
	jwk_free(&k);

	memset(&u, 0, sizeof(u));
	if (store_user_get(s->ctx.store, "alice", &u) != STORE_OK ||
	    token_issue(&s->ctx, &u, NULL, 0, NULL, &pair) != TOKEN_OK ||
	    (s->access = strdup(json_string_value(json_object_get(pair,
	    "access_token")))) == NULL)
		fuzz_fail(__FILE__, __LINE__, "token_issue");
	json_decref(pair);
	user_clear(&u);
	fuzz_site_session(s);
}

/*
 * Make sure alice's session FUZZ_SESSION is there: an input that logged
 * it out must not take it from every later one.
 */
void
fuzz_site_session(struct fuzz_site *s)
{
	struct session	 ses;
	struct user	 u;
	struct store	*st;
	unsigned char	 hash[SESSION_HASH_LEN];

	if ((st = ctx_store(&s->ctx)) == NULL)
		fuzz_fail(__FILE__, __LINE__, "ctx_store");
	session_hash_id(FUZZ_SESSION, hash);
	if (store_session_get(st, hash, &ses) == STORE_OK) {
		session_clear(&ses);
		return;
	}
	memset(&u, 0, sizeof(u));
	if (store_user_get(st, "alice", &u) != STORE_OK)
		fuzz_fail(__FILE__, __LINE__, "store_user_get");
	memcpy(ses.hash, hash, sizeof(hash));
	ses.user_id = u.id;
	ses.created = ses.last_seen = s->ctx.now;
	ses.expires = s->ctx.now + s->cfg.absolute_timeout;
	if (store_session_add(st, &ses, u.password_hash) != STORE_OK)
		fuzz_fail(__FILE__, __LINE__, "store_session_add");
	user_clear(&u);
}

/*
 * "len" bytes of "in" with every "from" replaced by "to", NUL-terminated
 * (caller frees); "*outlen" gets the length.
 */
char *
fuzz_replace(const char *in, size_t len, const char *from, const char *to,
    size_t *outlen)
{
	struct buf	 b;
	const char	*p = in, *end = in + len, *hit;
	size_t		 flen = strlen(from);

	buf_init(&b);
	buf_add(&b, "", 0);
	while (p < end && (hit = memmem(p, (size_t)(end - p), from, flen)) !=
	    NULL) {
		buf_add(&b, p, (size_t)(hit - p));
		buf_adds(&b, to);
		p = hit + flen;
	}
	buf_add(&b, p, (size_t)(end - p));
	if (b.oom)
		fuzz_fail(__FILE__, __LINE__, "buf_add");
	*outlen = b.len;
	return buf_steal(&b);
}
