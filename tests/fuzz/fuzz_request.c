/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Fuzz target: the request boundary (params_scan, proxy_resolve and
 * request_parse_params), where every parameter, the Cookie and
 * Authorization headers, the query string and the url-encoded or JSON
 * body are read. The input is "NAME=value" lines, an empty line, then
 * the body (see fuzz_request_split). Beyond not crashing:
 *
 * - a refusal is one of the statuses the parser documents, with a reason;
 * - an accepted request has a path starting with '/' and free of
 *   control bytes, a mount point without a trailing '/', no more query
 *   or form pairs than allowed, and a bearer token only when the header
 *   was a well-formed "Bearer" one, made of token68 characters;
 * - what a new session would record of the client (client_agent and
 *   client_address, as the sessions page shows them): a summary made of
 *   the fixed names only (letters and spaces, never a byte the header
 *   chose), and either no address or the client's own, in the
 *   characters of IPv4 and IPv6 text.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "fuzz.h"

static struct proxies	 proxies;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static struct netmask	 m[2];

	(void)argc;
	(void)argv;
	log_set_level(LOG_LEVEL_ERROR);
	if (netmask_parse("192.0.2.0/24", &m[0]) == -1 ||
	    netmask_parse("2001:db8::/32", &m[1]) == -1)
		fuzz_fail(__FILE__, __LINE__, "netmask_parse");
	proxies.v = m;
	proxies.n = 2;
	return 0;
}

static void
check_accepted(const struct request *req)
{
	size_t	 len, i;

	FUZZ_CHECK(req->error == NULL);
	FUZZ_CHECK(req->path != NULL && req->path[0] == '/');
	FUZZ_CHECK(!str_has_ctl(req->path, strlen(req->path)));
	FUZZ_CHECK(strlen(req->path) <= REQUEST_PATH_MAX);
	len = strlen(req->prefix);
	FUZZ_CHECK(len == 0 || req->prefix[len - 1] != '/');
	FUZZ_CHECK(!str_has_ctl(req->prefix, len));
	FUZZ_CHECK(req->query.n <= REQUEST_FIELDS_MAX);
	FUZZ_CHECK(req->form.n <= REQUEST_FIELDS_MAX);
	FUZZ_CHECK(req->query_string != NULL && req->uri != NULL);
	FUZZ_CHECK(req->remote_addr != NULL && req->client_addr != NULL);
	FUZZ_CHECK(req->json == NULL || json_is_object(req->json));
	FUZZ_CHECK(req->json == NULL || req->form.n == 0);
	if (req->bearer != NULL) {
		FUZZ_CHECK(req->has_authorization && !req->bearer_malformed);
		len = strlen(req->bearer);
		FUZZ_CHECK(len > 0 && len <= JWS_MAX);
		for (i = 0; i < len; i++)
			FUZZ_CHECK(strchr("-._~+/=", req->bearer[i]) != NULL ||
			    (req->bearer[i] >= 'a' && req->bearer[i] <= 'z') ||
			    (req->bearer[i] >= 'A' && req->bearer[i] <= 'Z') ||
			    (req->bearer[i] >= '0' && req->bearer[i] <= '9'));
	}
	if (req->content_type != NULL)
		for (i = 0; req->content_type[i] != '\0'; i++)
			FUZZ_CHECK(req->content_type[i] < 'A' ||
			    req->content_type[i] > 'Z');
}

static void
check_client(const struct request *req)
{
	char	 agent[CLIENT_AGENT_MAX], addr[CLIENT_ADDRESS_MAX];
	size_t	 len, i;

	memset(agent, 'x', sizeof(agent));
	client_agent(req->user_agent, agent);
	len = strnlen(agent, sizeof(agent));
	FUZZ_CHECK(len > 0 && len < sizeof(agent));
	for (i = 0; i < len; i++)
		FUZZ_CHECK((agent[i] >= 'a' && agent[i] <= 'z') ||
		    (agent[i] >= 'A' && agent[i] <= 'Z') || agent[i] == ' ');
	FUZZ_CHECK(agent[0] != ' ' && agent[len - 1] != ' ');

	memset(addr, 'x', sizeof(addr));
	client_address(req->client_addr, addr);
	len = strnlen(addr, sizeof(addr));
	FUZZ_CHECK(len < sizeof(addr));
	FUZZ_CHECK(len == 0 || strcmp(addr, req->client_addr) == 0);
	FUZZ_CHECK(strspn(addr, "0123456789abcdefABCDEF.:") == len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_request	 in;
	struct params		 p;
	struct request		 req;
	int			 rc;

	fuzz_request_split(data, size, &in);
	params_scan(in.envp, &p);
	proxy_resolve(&p, &proxies);
	/* Half the inputs go through a mount point, as Apache needs. */
	if (size > 0 && (data[0] & 1))
		p.mount = "/auth";
	rc = request_parse_params(&req, &p, in.body, in.bodylen);
	if (rc == 0) {
		check_accepted(&req);
		check_client(&req);
	} else {
		FUZZ_CHECK(rc == 400 || rc == 404 || rc == 414 || rc == 431);
		FUZZ_CHECK(req.error != NULL);
	}
	request_free(&req);
	fuzz_request_free(&in);
	return 0;
}
