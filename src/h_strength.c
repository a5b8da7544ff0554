/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * POST /password/strength: what the password policy (policy.c) makes of
 * a candidate new password, for the strength meter of the password page
 * (www/public/password-strength.js). The meter shows only this answer,
 * so that it never tells the user anything the policy would not hold to:
 *
 *   {"ok": false, "reason": "Use at least 12 characters; ...",
 *    "bits": 15, "needed": 34}
 *
 * "bits" is libzxcvbn's estimate rounded down (null where the policy
 * makes none), "needed" is min_entropy (0 when the estimate is not
 * used), "reason" is the policy's sentence, "" when "ok".
 *
 * Only for a logged-in user, with the password form's CSRF token: the
 * policy looks for the user's name in the password, and every check
 * costs the site some work (the deny list is read anew). The candidate
 * is never logged, nor echoed beyond this answer; the log says only why
 * a request was refused.
 *
 * A session may ask STRENGTH_MAX times in STRENGTH_WINDOW seconds, then
 * gets 429 with Retry-After until the window ends. The counts are kept
 * in the worker process's memory, in a small table, not in the store:
 * this is a convenience to be spared a flood of, not a secret to be
 * guarded (the password form itself is throttled as a login is). So with
 * -w each worker counts on its own, under plain CGI (a process for each
 * request) nothing is counted, and a table full of other sessions
 * forgets the one idle longest. gatehouse(8) says so under CAVEATS.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "gatehouse.h"

#define STRENGTH_MAX	30	/* checks a session may ask for ... */
#define STRENGTH_WINDOW	10	/* ... in this many seconds */
#define STRENGTH_SLOTS	64	/* sessions counted at once */

/* One session's checks in its current window. */
struct strength_count {
	unsigned char	 session[SESSION_HASH_LEN];
	int64_t		 start;		/* of its window; 0: free */
	unsigned int	 n;
};

static struct strength_count	 counts[STRENGTH_SLOTS];

static long long	 count_check(const unsigned char *, int64_t);
static int		 verdict(struct response *, const struct config *,
			    int, const struct buf *, double);

/*
 * Count a check for the session hashed "session" at "now". Returns 0 if
 * it may go on, else the seconds until its window ends.
 */
static long long
count_check(const unsigned char *session, int64_t now)
{
	struct strength_count	*c, *oldest = &counts[0];
	size_t			 i;

	for (i = 0; i < STRENGTH_SLOTS; i++) {
		c = &counts[i];
		if (c->start != 0 &&
		    memcmp(c->session, session, SESSION_HASH_LEN) == 0)
			break;
		if (c->start < oldest->start)
			oldest = c;
	}
	if (i == STRENGTH_SLOTS) {
		c = oldest;
		memcpy(c->session, session, SESSION_HASH_LEN);
		c->start = 0;
	}
	/* A new window; also when the clock went back past this one. */
	if (c->start == 0 || now < c->start ||
	    now >= c->start + STRENGTH_WINDOW) {
		c->start = now;
		c->n = 0;
	}
	if (c->n >= STRENGTH_MAX)
		return c->start + STRENGTH_WINDOW - now;
	c->n++;
	return 0;
}

/* The answer: the policy's verdict "ok", its reason and its estimate. */
static int
verdict(struct response *r, const struct config *cfg, int ok,
    const struct buf *why, double bits)
{
	json_t	*est;

	if (why->oom) {
		r->failed = 1;
		return -1;
	}
	/* Truncated: a non-negative estimate rounded down. */
	est = bits < 0 ? json_null() : json_integer((json_int_t)bits);
	return response_json(r, 200, json_pack("{s:b,s:s,s:o,s:I}",
	    "ok", ok, "reason", ok || why->len == 0 ? "" : why->data,
	    "bits", est, "needed", (json_int_t)cfg->pw_min_entropy));
}

int
h_password_strength(const struct request *req, struct ctx *ctx,
    struct response *r)
{
	struct session	 s;
	struct buf	 why;
	const char	*pw;
	size_t		 len;
	double		 bits;
	long long	 wait;
	int		 rc;

	if (!req->form_present) {
		log_info("strength: refused: not a url-encoded form");
		response_header(r, "Accept-Post",
		    "application/x-www-form-urlencoded");
		return json_error(r, 415, "unsupported_media_type");
	}
	switch (auth_session(ctx, req, &s)) {
	case AUTH_OK:
		break;
	case AUTH_UNAVAILABLE:
		return respond_unavailable(ctx, req, r, 1);
	default:
		log_info("strength: refused: no session");
		return respond_unauthenticated(ctx, req, r, 0, 1);
	}
	/* The same token as the password form's (csrf_check logs why). */
	if ((rc = csrf_check(ctx, req)) != 1) {
		session_clear(&s);
		if (rc == -1)
			return respond_unavailable(ctx, req, r, 1);
		return json_error(r, 403, "csrf");
	}
	if ((wait = count_check(s.hash, ctx->now)) > 0) {
		log_info("strength: %s asked too often; held back %llds",
		    s.user, wait);
		session_clear(&s);
		if (response_headerf(r, "Retry-After", "%lld", wait) == -1)
			return -1;
		return json_error(r, 429, "too_many_requests");
	}

	buf_init(&why);
	if (req->form.bad_escape)
		buf_adds(&why, "The form holds an invalid percent-escape.");
	else if (request_param(req, "new", 1, &pw, &len, &why) == 0) {
		rc = policy_judge(ctx->cfg, pw, len, s.user, &why, &bits);
		if (rc == POLICY_ERROR)
			rc = respond_unavailable(ctx, req, r, 1);
		else
			rc = verdict(r, ctx->cfg, rc == POLICY_OK, &why,
			    bits);
		goto out;
	}
	log_info("strength: refused for %s: %s", s.user,
	    why.oom ? "?" : why.data);
	rc = json_error(r, 400, "bad_request");
out:
	buf_free(&why);
	session_clear(&s);
	return rc;
}
