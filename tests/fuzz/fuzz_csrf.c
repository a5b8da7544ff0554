/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Fuzz target: the CSRF checks (csrf_check, csrf_token, csrf_cross_site)
 * on requests parsed from the input as fuzz_request_split reads it. No
 * input can forge a token, so beyond not crashing:
 *
 * - a form is accepted only with the very token csrf_token makes for the
 *   request's own cookies, and that token is always accepted once the
 *   browser holds the nonce cookie it was given;
 * - an unsafe request that a browser marks cross-site is always refused
 *   and a safe one never is.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "fuzz.h"

static struct fuzz_site	 site;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_site_open(&site);
	return 0;
}

/*
 * Send the form "csrf=TOKEN" with the request's cookies, plus the nonce
 * cookie csrf_token set (if it set one): it must pass.
 */
static void
check_roundtrip(const struct request *req, const char *cookie)
{
	struct request	 again;
	struct response	 r;
	struct buf	 tok, hdr, form;
	const char	*set;
	char		*env[5] = { "REQUEST_METHOD=POST",
	    "CONTENT_TYPE=application/x-www-form-urlencoded", NULL, NULL,
	    NULL };

	response_init(&r);
	buf_init(&tok);
	if (csrf_token(&site.ctx, req, &r, &tok) == -1)
		fuzz_fail(__FILE__, __LINE__, "csrf_token");
	FUZZ_CHECK(tok.len == CSRF_TOKEN_LEN);
	buf_init(&hdr);
	buf_adds(&hdr, "HTTP_COOKIE=");
	if (cookie != NULL)
		buf_adds(&hdr, cookie);
	if ((set = response_get_header(&r, "Set-Cookie")) != NULL) {
		buf_adds(&hdr, "; ");
		buf_add(&hdr, set, strcspn(set, ";"));
	}
	buf_init(&form);
	buf_printf(&form, "csrf=%s", tok.data);
	FUZZ_CHECK(!hdr.oom && !form.oom);
	env[2] = hdr.data;
	if (request_parse(&again, env, form.data, form.len) == 0)
		FUZZ_CHECK(csrf_check(&site.ctx, &again) == 1);
	request_free(&again);
	buf_free(&form);
	buf_free(&hdr);
	buf_free(&tok);
	response_free(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_request	 in;
	struct request		 req;
	const struct field	*sent;
	const char		*why;

	fuzz_request_split(data, size, &in);
	if (request_parse(&req, in.envp, in.body, in.bodylen) != 0)
		goto out;

	/* A token from nowhere: only a real one could pass. */
	sent = fields_get(&req.form, "csrf");
	if (csrf_check(&site.ctx, &req) == 1)
		FUZZ_CHECK(sent != NULL && sent->valuelen == CSRF_TOKEN_LEN);

	why = csrf_cross_site(&req);
	if (req.method == HTTP_GET || req.method == HTTP_HEAD ||
	    req.method == HTTP_OPTIONS)
		FUZZ_CHECK(why == NULL);
	else if (req.sec_fetch_site != NULL &&
	    strcmp(req.sec_fetch_site, "same-origin") != 0 &&
	    strcmp(req.sec_fetch_site, "none") != 0)
		FUZZ_CHECK(why != NULL);
	else if (req.sec_fetch_site == NULL && req.origin != NULL &&
	    (req.host == NULL || strcasestr(req.origin, req.host) == NULL))
		/* Host names are compared without regard to case. */
		FUZZ_CHECK(why != NULL);

	check_roundtrip(&req, env_get(in.envp, "HTTP_COOKIE"));
out:
	request_free(&req);
	fuzz_request_free(&in);
	return 0;
}
