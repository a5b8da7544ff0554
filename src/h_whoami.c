/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Small JSON endpoints: GET /whoami says who the request is (by session
 * cookie or access token) and when that ends; GET /api/... answers the
 * same to anything below /api/, as a stand-in for a site's own API;
 * GET /healthz says whether the store answers, for load balancers and
 * monitoring.
 */
#include "config.h"

#include <jansson.h>

#include "gatehouse.h"
#include "store.h"

static json_t	*describe(const struct principal *);

/* The JSON description of who is asking. NULL on failure. */
static json_t *
describe(const struct principal *p)
{
	char	 created[32], expires[32], ends[32];

	if (format_time(p->created, created, sizeof(created)) == -1 ||
	    format_time(p->expires, expires, sizeof(expires)) == -1 ||
	    format_time(p->absolute, ends, sizeof(ends)) == -1)
		return NULL;
	if (p->via_token)
		return json_pack("{s:s, s:{s:s, s:s}}", "user", p->user,
		    "token", "issued", created, "expires", expires);
	return json_pack("{s:s, s:{s:s, s:s, s:s}}", "user", p->user,
	    "session", "created", created, "expires", ends, "idle_expires",
	    expires);
}

int
h_whoami(const struct request *req, struct ctx *ctx, struct response *r)
{
	struct principal	 p;
	json_t			*obj;
	int			 rc, bad;

	rc = auth_request(ctx, req, &p, &bad);
	if (rc == AUTH_UNAVAILABLE)
		return respond_unavailable(ctx, req, r, 1);
	if (rc == AUTH_NONE)
		return respond_unauthenticated(ctx, req, r, bad, 1);
	obj = describe(&p);
	principal_clear(&p);
	return response_json(r, 200, obj);
}

int
h_api(const struct request *req, struct ctx *ctx, struct response *r)
{
	struct principal	 p;
	json_t			*obj;
	int			 rc, bad;

	rc = auth_request(ctx, req, &p, &bad);
	if (rc == AUTH_UNAVAILABLE)
		return respond_unavailable(ctx, req, r, 1);
	if (rc == AUTH_NONE)
		return respond_unauthenticated(ctx, req, r, bad, 1);
	obj = describe(&p);
	if (obj != NULL && (json_object_set_new(obj, "path",
	    json_string(req->path)) != 0 || json_object_set_new(obj, "admin",
	    json_boolean(p.admin)) != 0)) {
		json_decref(obj);
		obj = NULL;
	}
	principal_clear(&p);
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
