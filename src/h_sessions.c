/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * GET /sessions lists the user's own sessions: when each started and was
 * last seen, from which address and browser, and which one is this one;
 * as a page for browsers, as JSON for other clients. POST
 * /sessions/revoke ends one of them, or all but this one (with the
 * user's token logins), once the user has given their password again
 * (OWASP ASVS 4.0.3 3.3.4): a session left open on a shared computer
 * must not be enough to throw its owner out everywhere else.
 *
 * A session is named in the page by its handle (session_handle), never
 * by its id or stored hash, and a handle is looked for among the user's
 * own sessions only: naming somebody else's ends nothing.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "gatehouse.h"
#include "store.h"

#define SESSIONS_MAX	256	/* listed; a user rarely has ten */

/* The user's live sessions, oldest first, and which one is asking. */
struct session_list {
	struct session	*v;
	size_t		 n;
	int		 more;		/* past SESSIONS_MAX, not listed */
	int		 failed;	/* out of memory */
	const struct config *cfg;
	int64_t		 now;
	unsigned char	 current[SESSION_HASH_LEN];
};

/* What the page shows besides the list. */
struct sessions_view {
	struct session_list	 list;
	const char		*user;
	const char		*error;
	const char		*notice;
};

static int	 collect(const struct session *, void *);
static int	 list_sessions(struct ctx *, const struct session *,
		    struct session_list *);
static const struct session *
		 find_handle(const struct session_list *, const char *,
		    size_t);
static int	 rows(void *, struct ctx *, const struct request *,
		    struct response *);
static int	 as_json(struct response *, const struct sessions_view *);
static int	 answer(const struct request *, struct ctx *,
		    struct response *, int, const struct session *,
		    const char *, const char *);
static int	 revoke(const struct request *, struct ctx *,
		    struct response *, const struct session *, const char *,
		    const char *, size_t);

/* A store visitor: keep each live session (without its user's name). */
static int
collect(const struct session *s, void *arg)
{
	struct session_list	*l = arg;
	struct session		*v;

	if (session_state(s, l->now, l->cfg) != SESSION_LIVE)
		return 0;
	if (l->n == SESSIONS_MAX) {
		l->more = 1;
		return 0;
	}
	if ((v = reallocarray(l->v, l->n + 1, sizeof(*v))) == NULL) {
		log_warn("sessions: list");
		l->failed = 1;
		return -1;
	}
	l->v = v;
	v[l->n] = *s;
	v[l->n].user = NULL;
	l->n++;
	return 0;
}

/*
 * The live sessions of the user of "cur" into "l" (free l->v). 0, or -1
 * if the store failed or memory ran out (logged).
 */
static int
list_sessions(struct ctx *ctx, const struct session *cur,
    struct session_list *l)
{
	memset(l, 0, sizeof(*l));
	l->cfg = ctx->cfg;
	l->now = ctx->now;
	memcpy(l->current, cur->hash, SESSION_HASH_LEN);
	if (store_session_list(ctx->store, cur->user, collect, l) !=
	    STORE_OK)
		return -1;
	/* The visitor's -1 stops the walk but is no store error. */
	return l->failed ? -1 : 0;
}

/* The session named "handle" in "l", or NULL. */
static const struct session *
find_handle(const struct session_list *l, const char *handle, size_t len)
{
	char	 h[SESSION_HANDLE_LEN + 1];
	size_t	 i;

	if (len != SESSION_HANDLE_LEN)
		return NULL;
	for (i = 0; i < l->n; i++) {
		session_handle(l->v[i].hash, h);
		if (CRYPTO_memcmp(h, handle, SESSION_HANDLE_LEN) == 0)
			return &l->v[i];
	}
	return NULL;
}

/* page_render_parts' callback: one row per session. */
static int
rows(void *arg, struct ctx *ctx, const struct request *req,
    struct response *r)
{
	const struct session_list	*l = arg;
	const struct session		*s;
	struct tvar			 vars[6];
	char				 handle[SESSION_HANDLE_LEN + 1];
	char				 created[32], seen[32];
	size_t				 i;
	int				 this;

	for (i = 0; i < l->n; i++) {
		s = &l->v[i];
		this = memcmp(s->hash, l->current, SESSION_HASH_LEN) == 0;
		session_handle(s->hash, handle);
		if (format_time(s->created, created, sizeof(created)) == -1 ||
		    format_time(s->last_seen, seen, sizeof(seen)) == -1)
			return -1;
		vars[0].name = "handle";
		vars[0].value = handle;
		vars[1].name = "agent";
		vars[1].value = s->agent[0] != '\0' ? s->agent :
		    "Unknown browser";
		vars[2].name = "address";
		vars[2].value = s->address[0] != '\0' ? s->address :
		    "unknown";
		vars[3].name = "created";
		vars[3].value = created;
		vars[4].name = "last_seen";
		vars[4].value = seen;
		vars[5].name = "remembered";
		vars[5].value = session_remembered(s, l->cfg) ?
		    "remembered" : "";
		if (page_append(ctx, req, r, this ? "sessions-this.html" :
		    "sessions-row.html", vars, 6) == -1)
			return -1;
	}
	return 0;
}

/* The list as JSON, for clients that do not ask for HTML. */
static int
as_json(struct response *r, const struct sessions_view *view)
{
	const struct session	*s;
	json_t			*top, *arr, *one;
	char			 handle[SESSION_HANDLE_LEN + 1];
	char			 created[32], seen[32], ends[32];
	size_t			 i;

	if ((arr = json_array()) == NULL)
		return -1;
	for (i = 0; i < view->list.n; i++) {
		s = &view->list.v[i];
		session_handle(s->hash, handle);
		if (format_time(s->created, created, sizeof(created)) == -1 ||
		    format_time(s->last_seen, seen, sizeof(seen)) == -1 ||
		    format_time(session_idle_deadline(s, view->list.cfg), ends,
		    sizeof(ends)) == -1 ||
		    (one = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b}",
		    "handle", handle, "created", created, "last_seen", seen,
		    "expires", ends, "address", s->address, "agent", s->agent,
		    "remembered", session_remembered(s, view->list.cfg),
		    "current",
		    memcmp(s->hash, view->list.current, SESSION_HASH_LEN) ==
		    0)) == NULL || json_array_append_new(arr, one) == -1) {
			json_decref(arr);
			return -1;
		}
	}
	top = json_pack("{s:s, s:o}", "user", view->user, "sessions", arr);
	return response_json(r, 200, top);
}

/*
 * The sessions page (or JSON) for the user of "cur", with an error or a
 * notice ("" for none) and "status". 0 or -1.
 */
static int
answer(const struct request *req, struct ctx *ctx, struct response *r,
    int status, const struct session *cur, const char *error,
    const char *notice)
{
	struct sessions_view	 view;
	struct tvar		 vars[3];
	int			 rc;

	if (list_sessions(ctx, cur, &view.list) == -1) {
		free(view.list.v);
		return respond_unavailable(ctx, req, r, !req->wants_html);
	}
	if (view.list.more)
		log_info("sessions: %s has more than %d sessions; the oldest "
		    "are listed", cur->user, SESSIONS_MAX);
	view.user = cur->user;
	view.error = error;
	view.notice = notice;
	/* Forms get pages back; only the GET speaks JSON. */
	if (!req->wants_html && req->method != HTTP_POST)
		rc = as_json(r, &view);
	else {
		vars[0].name = "user";
		vars[0].value = cur->user;
		vars[1].name = "error";
		vars[1].value = error;
		vars[2].name = "notice";
		vars[2].value = notice;
		rc = page_render_parts(ctx, req, r, status, "sessions.html",
		    vars, 3, "sessions", rows, &view.list);
	}
	free(view.list.v);
	return rc;
}

int
h_sessions(const struct request *req, struct ctx *ctx, struct response *r)
{
	struct session	 s;
	int		 rc;

	switch (auth_session(ctx, req, &s)) {
	case AUTH_OK:
		break;
	case AUTH_UNAVAILABLE:
		return respond_unavailable(ctx, req, r, !req->wants_html);
	default:
		if (req->wants_html)
			return page_to_login(req, r, "/sessions");
		return respond_unauthenticated(ctx, req, r, 0, 1);
	}
	rc = answer(req, ctx, r, 200, &s, "", "");
	session_clear(&s);
	return rc;
}

/*
 * End the session named "handle" of the user of "cur", or all the
 * others. The answer is the list again, saying what happened.
 */
static int
revoke(const struct request *req, struct ctx *ctx, struct response *r,
    const struct session *cur, const char *what, const char *handle,
    size_t hlen)
{
	struct session_list	 l;
	const struct session	*target;
	char			 notice[128];
	int			 n, rc;

	if (strcmp(what, "others") == 0) {
		switch (store_session_end_others(ctx->store, cur->user,
		    cur->hash, &n)) {
		case STORE_OK:
			break;
		case STORE_NOTFOUND:
			/* Ended while the password was checked: no say. */
			log_info("sessions: a session of %s ended before it "
			    "could log out the others; nothing ended",
			    cur->user);
			return respond_unauthenticated(ctx, req, r, 0, 0);
		default:
			return respond_unavailable(ctx, req, r, 0);
		}
		log_info("sessions: %s logged out %d other session%s and "
		    "token login%s", cur->user, n, n == 1 ? "" : "s",
		    n == 1 ? "" : "s");
		audit_record(ctx->store, ctx->now, AUDIT_SESSION_REVOKE,
		    cur->user, auth_client(req), "others");
		snprintf(notice, sizeof(notice), "All your other sessions "
		    "and API logins were logged out (%d).", n);
		return answer(req, ctx, r, 200, cur, "", notice);
	}

	if (handle == NULL || hlen == 0)
		return answer(req, ctx, r, 400, cur, "Choose the session to "
		    "log out.", "");
	if (list_sessions(ctx, cur, &l) == -1) {
		free(l.v);
		return respond_unavailable(ctx, req, r, 0);
	}
	target = find_handle(&l, handle, hlen);
	if (target == NULL) {
		free(l.v);
		log_info("sessions: %s named no session of theirs", cur->user);
		audit_record(ctx->store, ctx->now, AUDIT_SESSION_REVOKE,
		    cur->user, auth_client(req), "not_found");
		return answer(req, ctx, r, 404, cur, "None of your sessions "
		    "has that name; it may have ended already. Nothing was "
		    "changed.", "");
	}
	if (memcmp(target->hash, cur->hash, SESSION_HASH_LEN) == 0) {
		free(l.v);
		return answer(req, ctx, r, 400, cur, "That is the session "
		    "you are using: to end it, log out.", "");
	}
	rc = store_session_delete_own(ctx->store, target->hash,
	    cur->user_id, cur->hash);
	free(l.v);
	if (rc == STORE_ERROR)
		return respond_unavailable(ctx, req, r, 0);
	if (rc == STORE_NOTFOUND)
		return answer(req, ctx, r, 404, cur, "That session, or this "
		    "one, has ended already. Nothing was changed.", "");
	log_info("sessions: %s logged out one other session", cur->user);
	audit_record(ctx->store, ctx->now, AUDIT_SESSION_REVOKE, cur->user,
	    auth_client(req), "one");
	return answer(req, ctx, r, 200, cur, "", "The chosen session was "
	    "logged out.");
}

int
h_sessions_revoke(const struct request *req, struct ctx *ctx,
    struct response *r)
{
	const char	*what = NULL, *handle = NULL, *pw = NULL, *reason;
	struct session	 s;
	struct user	 u;
	struct buf	 why;
	size_t		 wlen = 0, hlen = 0, pwlen = 0;
	long long	 retry;
	char		 text[128];
	int		 rc, understood = 0;

	rc = respond_unless_session_form(ctx, req, r, "sessions", &s);
	if (rc != 1)
		return rc;

	/* Only a form that names what to do, and how, goes further. */
	buf_init(&why);
	if (req->form.bad_escape)
		buf_adds(&why, "The form holds an invalid percent-escape.");
	else if (request_param(req, "revoke", 1, &what, &wlen, &why) == 0 &&
	    request_param(req, "session", 0, &handle, &hlen, &why) == 0 &&
	    request_param(req, "password", 1, &pw, &pwlen, &why) == 0) {
		if (strcmp(what, "one") == 0 || strcmp(what, "others") == 0)
			understood = 1;
		else
			buf_adds(&why, "The form asks for something unknown.");
	}
	if (!understood || why.oom) {
		reason = why.len > 0 && !why.oom ? why.data : "Bad request.";
		log_info("sessions: refused: %s", reason);
		rc = answer(req, ctx, r, 400, &s, reason, "");
		goto out;
	}

	/* Throttled as a login is: see auth_reauth. */
	switch (auth_reauth(ctx, req, s.user, pw, pwlen, &u, &retry)) {
	case LOGIN_OK:
		user_clear(&u);
		rc = revoke(req, ctx, r, &s, what, handle, hlen);
		break;
	case LOGIN_FAILED:
		log_info("sessions: wrong password from %s; nothing ended",
		    s.user);
		audit_record(ctx->store, ctx->now, AUDIT_SESSION_REVOKE,
		    s.user, auth_client(req), "wrong_password");
		rc = answer(req, ctx, r, 403, &s, "The password is wrong. "
		    "No session was logged out.", "");
		break;
	case LOGIN_THROTTLED:
		page_retry_text(text, sizeof(text), "Too many wrong "
		    "passwords.", retry);
		rc = response_headerf(r, "Retry-After", "%lld", retry) == -1 ?
		    -1 : answer(req, ctx, r, 429, &s, text, "");
		break;
	default:
		rc = respond_unavailable(ctx, req, r, 0);
		break;
	}
out:
	buf_free(&why);
	session_clear(&s);
	return rc;
}
