/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * GET /password shows the form to change one's password; POST /password
 * changes it: the current password is required (OWASP ASVS 4.0.3
 * 2.1.5), the new one is typed twice and must pass the password policy
 * (policy.c), and then every other session and every token login of the
 * user ends (ASVS 3.3.3).
 *
 * The session that made the change goes on, but under a new id: the
 * change is a fresh proof of the password, like a login, and whoever
 * may have copied the old id (the reason for many a change) is left
 * with nothing. All of it is one transaction in the store, which also
 * checks that the password checked is still the stored one.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "store.h"

static int	 show_form(const struct request *, struct ctx *,
		    struct response *, int, const char *, const char *);
static int	 change(const struct request *, struct ctx *,
		    struct response *, const struct session *, const char *,
		    size_t, const char *, size_t);
static int	 changed(const struct request *, struct ctx *,
		    struct response *, int);

/* The form, with an error ("" for none) and "status". */
static int
show_form(const struct request *req, struct ctx *ctx, struct response *r,
    int status, const char *user, const char *error)
{
	struct tvar	 vars[3];
	char		 min[16];

	snprintf(min, sizeof(min), "%u", ctx->cfg->pw_min_length);
	vars[0].name = "error";
	vars[0].value = error;
	vars[1].name = "min_length";
	vars[1].value = min;
	/* For password managers, which file the new password under it. */
	vars[2].name = "user";
	vars[2].value = user;
	return page_render(ctx, req, r, status, "password.html", vars, 3);
}

int
h_password_form(const struct request *req, struct ctx *ctx,
    struct response *r)
{
	struct session	 s;
	int		 rc;

	switch (auth_session(ctx, req, &s)) {
	case AUTH_OK:
		rc = show_form(req, ctx, r, 200, s.user, "");
		session_clear(&s);
		return rc;
	case AUTH_UNAVAILABLE:
		return respond_unavailable(ctx, req, r, 0);
	default:
		return page_to_login(req, r, "/password");
	}
}

/* Done: how many other logins ended. */
static int
changed(const struct request *req, struct ctx *ctx, struct response *r,
    int ended)
{
	struct tvar	 vars[1];
	char		 text[96];

	if (ended == 0)
		snprintf(text, sizeof(text), "You had no other sessions.");
	else
		snprintf(text, sizeof(text), "Your %d other session%s and API "
		    "login%s ended.", ended, ended == 1 ? "" : "s",
		    ended == 1 ? "" : "s");
	vars[0].name = "ended";
	vars[0].value = text;
	return page_render(ctx, req, r, 200, "password-changed.html", vars,
	    1);
}

/*
 * Check the current password "cur" of the user of "s", then store the
 * hash of "pw" (already through the policy), end the other logins and
 * give this one a new id.
 */
static int
change(const struct request *req, struct ctx *ctx, struct response *r,
    const struct session *s, const char *cur, size_t curlen,
    const char *pw, size_t pwlen)
{
	struct session	 fresh;
	struct user	 u;
	char		 id[SESSION_ID_LEN + 1], *hash = NULL;
	char		 text[128];
	long long	 retry;
	int		 rc, ended;

	/* Throttled as a login is: see auth_reauth. */
	if (curlen > PASSWORD_MAX)
		rc = LOGIN_FAILED;
	else
		rc = auth_reauth(ctx, req, s->user, cur, curlen, &u, &retry);
	switch (rc) {
	case LOGIN_OK:
		break;
	case LOGIN_THROTTLED:
		if (response_headerf(r, "Retry-After", "%lld", retry) == -1)
			return -1;
		page_retry_text(text, sizeof(text), "Too many wrong "
		    "passwords.", retry);
		return show_form(req, ctx, r, 429, s->user, text);
	case LOGIN_FAILED:
		log_info("password: wrong current password from %s", s->user);
		audit_record(ctx->store, ctx->now, AUDIT_PASSWORD_CHANGE,
		    s->user, auth_client(req), "wrong_password");
		return show_form(req, ctx, r, 403, s->user, "The current "
		    "password is wrong. Your password was not changed.");
	default:
		return respond_unavailable(ctx, req, r, 0);
	}
	if (password_hash(pw, pwlen, &ctx->cfg->kdf, &hash) == -1 ||
	    auth_new_session(ctx, req, s->user_id, s->remember, &fresh, id) ==
	    -1) {
		rc = -1;
		goto out;
	}

	switch (store_user_change_password(ctx->store, &u, hash, s->hash,
	    &fresh, &ended)) {
	case STORE_OK:
		break;
	case STORE_NOTFOUND:
		log_info("password: the account or the session of %s changed "
		    "during the change", s->user);
		rc = show_form(req, ctx, r, 409, s->user, "Your account or "
		    "this session was changed meanwhile, elsewhere. Your "
		    "password was not changed: please log in again.");
		goto out;
	default:
		rc = respond_unavailable(ctx, req, r, 0);
		goto out;
	}
	log_info("password: %s changed their password; %d other session%s "
	    "and token login%s ended", s->user, ended, ended == 1 ? "" : "s",
	    ended == 1 ? "" : "s");
	audit_record(ctx->store, ctx->now, AUDIT_PASSWORD_CHANGE, s->user,
	    auth_client(req), "ok");
	if ((rc = auth_session_cookie(ctx, r, id, fresh.remember)) == 0)
		rc = changed(req, ctx, r, ended);
out:
	wipe(id, sizeof(id));
	if (hash != NULL) {
		wipe(hash, strlen(hash));
		free(hash);
	}
	user_clear(&u);
	return rc;
}

int
h_password(const struct request *req, struct ctx *ctx, struct response *r)
{
	const char	*cur = NULL, *pw = NULL, *again = NULL;
	struct session	 s;
	struct buf	 why;
	size_t		 curlen = 0, pwlen = 0, againlen = 0;
	int		 rc, status = 400;

	rc = respond_unless_session_form(ctx, req, r, "password", &s);
	if (rc != 1)
		return rc;

	/* The cheap checks first: the form, then the new password. */
	buf_init(&why);
	if (req->form.bad_escape)
		buf_adds(&why, "The form holds an invalid percent-escape.");
	else if (request_param(req, "current", 1, &cur, &curlen, &why) == 0 &&
	    request_param(req, "new", 1, &pw, &pwlen, &why) == 0 &&
	    request_param(req, "repeat", 1, &again, &againlen, &why) == 0) {
		if (pwlen != againlen || memcmp(pw, again, pwlen) != 0)
			buf_adds(&why, "The new password and its repetition "
			    "differ.");
		else if ((rc = policy_check(ctx->cfg, pw, pwlen, s.user,
		    &why)) == POLICY_ERROR)
			status = 503;
	}
	if (status == 503)
		rc = respond_unavailable(ctx, req, r, 0);
	else if (why.len > 0 || why.oom) {
		log_info("password: refused for %s: %s", s.user,
		    why.oom ? "?" : why.data);
		rc = show_form(req, ctx, r, 400, s.user, why.oom ?
		    "Bad request." : why.data);
	} else
		rc = change(req, ctx, r, &s, cur, curlen, pw, pwlen);
	buf_free(&why);
	session_clear(&s);
	return rc;
}
