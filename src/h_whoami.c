/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Small JSON endpoints: GET /whoami says who the session belongs to and
 * when it ends; GET /healthz says whether the store answers, for load
 * balancers and monitoring.
 */
#include "config.h"

#include <jansson.h>

#include "gatehouse.h"
#include "store.h"

int
h_whoami(const struct request *req, struct ctx *ctx, struct response *r)
{
	struct session	 s;
	char		 created[32], expires[32], idle[32];
	json_t		*obj;
	int		 rc;

	rc = auth_session(ctx, req, &s);
	if (rc == AUTH_UNAVAILABLE)
		return respond_unavailable(ctx, req, r, 1);
	if (rc == AUTH_NONE) {
		/*
		 * RFC 9110 section 15.5.2 wants a challenge with every 401.
		 * There is no registered scheme for a form login; browsers
		 * ignore an unknown one, which is what we want.
		 */
		response_header(r, "WWW-Authenticate",
		    "FormBased realm=\"gatehouse\"");
		return json_error(r, 401, "unauthenticated");
	}

	if (format_time(s.created, created, sizeof(created)) == -1 ||
	    format_time(s.expires, expires, sizeof(expires)) == -1 ||
	    format_time(session_idle_deadline(&s, ctx->cfg), idle,
	    sizeof(idle)) == -1) {
		session_clear(&s);
		return -1;
	}
	obj = json_pack("{s:s, s:{s:s, s:s, s:s}}", "user", s.user,
	    "session", "created", created, "expires", expires,
	    "idle_expires", idle);
	session_clear(&s);
	return response_json(r, 200, obj);
}

int
h_healthz(const struct request *req, struct ctx *ctx, struct response *r)
{
	struct store	*st;

	if ((st = ctx_store(ctx)) == NULL || store_ping(st) != STORE_OK)
		return respond_unavailable(ctx, req, r, 1);
	return response_json(r, 200, json_pack("{s:s}", "status", "ok"));
}
