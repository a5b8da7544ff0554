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

static int	 describe(const struct principal *, struct buf *);

/*
 * Append the JSON members describing who is asking, without the closing
 * brace, so that a caller may add more. Written by hand: this is on the
 * path of every API request, where jansson's dump cost as much as the
 * rest of the answer. Returns 0 or -1.
 */
static int
describe(const struct principal *p, struct buf *out)
{
	char	 created[32], expires[32], ends[32];

	if (format_time(p->created, created, sizeof(created)) == -1 ||
	    format_time(p->expires, expires, sizeof(expires)) == -1 ||
	    format_time(p->absolute, ends, sizeof(ends)) == -1)
		return -1;
	buf_adds(out, "{\"user\":");
	json_add_string(out, p->user);
	if (p->via_token) {
		buf_adds(out, ",\"token\":{\"issued\":\"");
		buf_adds(out, created);
		buf_adds(out, "\",\"expires\":\"");
		buf_adds(out, expires);
	} else {
		buf_adds(out, ",\"session\":{\"created\":\"");
		buf_adds(out, created);
		buf_adds(out, "\",\"expires\":\"");
		buf_adds(out, ends);
		buf_adds(out, "\",\"idle_expires\":\"");
		buf_adds(out, expires);
	}
	buf_adds(out, "\"}");
	return out->oom ? -1 : 0;
}

int
h_whoami(const struct request *req, struct ctx *ctx, struct response *r)
{
	struct principal	 p;
	struct buf		 text;
	int			 rc;

	if ((rc = respond_unless_known(ctx, req, r, &p)) != 1)
		return rc;
	buf_init(&text);
	if (describe(&p, &text) == 0)
		buf_addc(&text, '}');
	principal_clear(&p);
	rc = response_json_text(r, 200, &text);
	buf_free(&text);
	return rc;
}

int
h_api(const struct request *req, struct ctx *ctx, struct response *r)
{
	struct principal	 p;
	struct buf		 text;
	int			 rc;

	if ((rc = respond_unless_known(ctx, req, r, &p)) != 1)
		return rc;
	buf_init(&text);
	if (describe(&p, &text) == 0) {
		buf_adds(&text, ",\"path\":");
		json_add_string(&text, req->path);
		buf_adds(&text, p.admin ? ",\"admin\":true}" :
		    ",\"admin\":false}");
	}
	principal_clear(&p);
	rc = response_json_text(r, 200, &text);
	buf_free(&text);
	return rc;
}

int
h_healthz(const struct request *req, struct ctx *ctx, struct response *r)
{
	struct store	*st;

	if ((st = ctx_store(ctx)) == NULL || store_ping(st) != STORE_OK)
		return respond_unavailable(ctx, req, r, 1);
	return response_json(r, 200, json_pack("{s:s}", "status", "ok"));
}
