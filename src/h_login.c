/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * GET /login shows the login form; POST /login checks the credentials
 * and starts a session.
 *
 * A failed login gets the same answer whether the user exists or not:
 * same status, same page, same message, and the same work, because an
 * unknown user still costs one run of the password hash (against no
 * stored hash). Otherwise the time of the answer would tell an attacker
 * which accounts exist.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "store.h"

#define LOGIN_FAILED	"Wrong user name or password."

static int	 one_field(const struct fields *, const char *, int,
		    const struct field **, struct buf *);
static int	 show_form(const struct request *, struct ctx *,
		    struct response *, int, const char *, const char *,
		    const char *);
static int	 check_password(struct ctx *, struct store *, const char *,
		    const struct field *, struct user *);
static int	 succeed(const struct request *, struct ctx *,
		    struct response *, const struct user *,
		    const struct field *, const char *);
static void	 rehash(struct ctx *, const struct user *,
		    const struct field *);

/*
 * Get field "name", which must not be sent twice and, when "required",
 * must be sent. Sets "*out" (NULL when absent). Returns 0, or -1 with a
 * reason in "why".
 */
static int
one_field(const struct fields *f, const char *name, int required,
    const struct field **out, struct buf *why)
{
	size_t	 n = fields_count(f, name);

	*out = NULL;
	if (n > 1) {
		buf_printf(why, "The field %s was sent %zu times.", name, n);
		return -1;
	}
	if (n == 0 && required) {
		buf_printf(why, "The field %s is missing.", name);
		return -1;
	}
	*out = fields_get(f, name);
	return 0;
}

/* The login page with an optional error message, user name and next. */
static int
show_form(const struct request *req, struct ctx *ctx, struct response *r,
    int status, const char *error, const char *user, const char *next)
{
	struct tvar	 vars[3];

	vars[0].name = "error";
	vars[0].value = error;
	vars[1].name = "user";
	vars[1].value = user;
	vars[2].name = "next";
	vars[2].value = next != NULL && redirect_target_ok(next) ? next : "";
	return page_render(ctx, req, r, status, "login.html", vars, 3);
}

int
h_login_form(const struct request *req, struct ctx *ctx, struct response *r)
{
	const struct field	*next;
	struct session		 s;
	char			*target;
	int			 rc;

	next = fields_get(&req->query, "next");

	/* Already logged in: go on to where the login would have led. */
	rc = auth_session(ctx, req, &s);
	if (rc == AUTH_UNAVAILABLE)
		return respond_unavailable(ctx, req, r, 0);
	if (rc == AUTH_OK) {
		session_clear(&s);
		target = after_login_target(req, ctx->cfg, next == NULL ?
		    NULL : next->value);
		if (target == NULL)
			return -1;
		rc = response_redirect(r, 303, target);
		free(target);
		return rc;
	}
	return show_form(req, ctx, r, 200, "", "",
	    next == NULL ? NULL : next->value);
}

/*
 * Run the password hash once, whatever the case, and fill "u" when the
 * user exists, may log in and gave the right password. Returns 1 on
 * success, 0 on a failed login, -1 if the store failed.
 */
static int
check_password(struct ctx *ctx, struct store *st, const char *name,
    const struct field *pw, struct user *u)
{
	int	 rc;

	rc = store_user_get(st, name, u);
	if (rc == STORE_ERROR)
		return -1;
	if (rc == STORE_NOTFOUND) {
		password_waste(pw->value, pw->valuelen, &ctx->cfg->kdf);
		log_info("login: failed for an unknown user");
		return 0;
	}
	rc = password_verify(pw->value, pw->valuelen, u->password_hash);
	if (rc == 1 && u->disabled) {
		log_info("login: %s is disabled", u->name);
		rc = 0;
	} else if (rc != 1)
		log_info("login: failed for %s", u->name);
	if (rc != 1) {
		/* As slow as an unknown user, whatever the stored cost. */
		password_harden(pw->value, pw->valuelen, u->password_hash,
		    &ctx->cfg->kdf);
		user_clear(u);
		return 0;
	}
	return 1;
}

/*
 * The stored hash was made with other cost parameters than configured
 * now: store one with the current ones, while the password is at hand.
 * A failure only means trying again at the next login.
 */
static void
rehash(struct ctx *ctx, const struct user *u, const struct field *pw)
{
	char	*hash;

	if (!password_needs_rehash(u->password_hash, &ctx->cfg->kdf))
		return;
	if (password_hash(pw->value, pw->valuelen, &ctx->cfg->kdf, &hash) ==
	    -1)
		return;
	if (store_user_set_password(ctx->store, u->name, hash, 0) == STORE_OK)
		log_info("login: stored a new password hash for %s", u->name);
	wipe(hash, strlen(hash));
	free(hash);
}

/*
 * The password was right: end every session the client came with (no
 * fixation), start a new one, and send the browser on. Also drops ended
 * sessions, a small cost on a request that already paid for a KDF.
 */
static int
succeed(const struct request *req, struct ctx *ctx, struct response *r,
    const struct user *u, const struct field *pw, const char *next)
{
	char	*target;
	int	 purged;

	if (auth_end_sessions(ctx, req) == -1 ||
	    auth_start_session(ctx, r, u->id, u->name) == -1)
		return respond_unavailable(ctx, req, r, 0);
	log_info("login: %s logged in", u->name);

	rehash(ctx, u, pw);
	if (store_session_purge(ctx->store, ctx->now, ctx->cfg->idle_timeout,
	    &purged) == STORE_OK && purged > 0)
		log_debug("login: purged %d ended sessions", purged);

	if ((target = after_login_target(req, ctx->cfg, next)) == NULL)
		return -1;
	response_redirect(r, 303, target);
	free(target);
	return 0;
}

int
h_login(const struct request *req, struct ctx *ctx, struct response *r)
{
	const struct field	*user, *pw, *next;
	struct store		*st;
	struct user		 u;
	struct buf		 why;
	const char		*next_value;
	int			 rc;

	if (!req->form_present) {
		log_info("login: refused: not a url-encoded form");
		response_header(r, "Accept-Post",
		    "application/x-www-form-urlencoded");
		return page_error(ctx, req, r, 415, "The login form must be "
		    "sent as application/x-www-form-urlencoded.");
	}

	buf_init(&why);
	if (req->form.bad_escape)
		buf_adds(&why, "The form holds an invalid percent-escape.");
	else if (one_field(&req->form, "username", 1, &user, &why) == 0 &&
	    one_field(&req->form, "password", 1, &pw, &why) == 0 &&
	    one_field(&req->form, "next", 0, &next, &why) == 0) {
		if (!user_name_valid(user->value, user->valuelen))
			buf_adds(&why, "The user name is not valid UTF-8 text.");
		else if (pw->valuelen != strlen(pw->value))
			buf_adds(&why, "The password holds a NUL byte.");
		else if (pw->valuelen > PASSWORD_MAX)
			buf_printf(&why, "The password is longer than %d bytes.",
			    PASSWORD_MAX);
	}
	if (why.len > 0 || why.oom) {
		log_info("login: refused: %s", why.oom ? "?" : why.data);
		rc = page_error(ctx, req, r, 400, why.oom ? "Bad request." :
		    why.data);
		buf_free(&why);
		return rc;
	}
	buf_free(&why);
	next_value = next == NULL ? NULL : next->value;

	if ((st = ctx_store(ctx)) == NULL)
		return respond_unavailable(ctx, req, r, 0);
	rc = check_password(ctx, st, user->value, pw, &u);
	if (rc == -1)
		return respond_unavailable(ctx, req, r, 0);
	if (rc == 0) {
		response_header(r, "WWW-Authenticate",
		    "FormBased realm=\"gatehouse\"");
		return show_form(req, ctx, r, 401, LOGIN_FAILED, user->value,
		    next_value);
	}
	rc = succeed(req, ctx, r, &u, pw, next_value);
	user_clear(&u);
	return rc;
}
