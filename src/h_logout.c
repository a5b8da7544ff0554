/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * POST /logout ends the session: its row is deleted, so the old cookie is
 * worthless even if a copy of it survives somewhere, and the browser is
 * told to drop the cookie. GET /logout changes nothing: it shows a page
 * with a logout button, or says that no one is logged in.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"

int
h_logout_page(const struct request *req, struct ctx *ctx,
    struct response *r)
{
	struct session	 s;
	struct tvar	 vars[1];
	int		 rc;

	rc = auth_session(ctx, req, &s);
	if (rc == AUTH_UNAVAILABLE)
		return respond_unavailable(ctx, req, r, 0);
	if (rc == AUTH_NONE)
		return page_render(ctx, req, r, 200, "logged-out.html", NULL,
		    0);
	vars[0].name = "user";
	vars[0].value = s.user;
	rc = page_render(ctx, req, r, 200, "logout.html", vars, 1);
	session_clear(&s);
	return rc;
}

int
h_logout(const struct request *req, struct ctx *ctx, struct response *r)
{
	const struct field	*next;
	struct session		 s;
	char			*target;
	int			 rc;

	if (fields_count(&req->form, "next") > 1) {
		log_info("logout: refused: the field next was sent twice");
		return page_error(ctx, req, r, 400, "The field next was sent "
		    "more than once.");
	}
	next = fields_get(&req->form, "next");

	/* Only to name the user in the log. */
	rc = auth_session(ctx, req, &s);
	if (rc == AUTH_UNAVAILABLE || auth_end_sessions(ctx, req) == -1) {
		/*
		 * The row outlives this answer until the store is back; the
		 * browser at least drops the cookie now.
		 */
		session_clear(&s);
		auth_clear_cookie(ctx, r);
		return respond_unavailable(ctx, req, r, 0);
	}
	if (rc == AUTH_OK)
		log_info("logout: %s logged out", s.user);
	session_clear(&s);

	if (auth_clear_cookie(ctx, r) == -1)
		return -1;
	if (next != NULL && redirect_target_ok(next->value))
		target = strdup(next->value);
	else {
		if (next != NULL)
			log_info("redirect: refused an unsafe next target");
		target = site_path(req, "/logout");
	}
	if (target == NULL)
		return -1;
	rc = response_redirect(r, 303, target);
	free(target);
	return rc;
}
