/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Fuzz target: trusted reverse proxies (netmask_parse, proxy_resolve).
 * The input is up to five lines: a netmask as in trusted_proxies,
 * REMOTE_ADDR, X-Forwarded-For, X-Forwarded-Proto and Forwarded; the
 * first byte's low bit picks which header family is read. Beyond not
 * crashing: a parsed netmask has no more bits than its family and none
 * set past them; the client is REMOTE_ADDR itself unless the peer is a
 * trusted proxy, and otherwise a real address; HTTPS is only ever taken
 * from a trusted peer.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"
#include "fuzz.h"

#define LINES	5

static struct netmask	 fixed[2];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (netmask_parse("192.0.2.0/24", &fixed[0]) == -1 ||
	    netmask_parse("2001:db8::/48", &fixed[1]) == -1)
		fuzz_fail(__FILE__, __LINE__, "netmask_parse");
	return 0;
}

static void
check_netmask(const char *s)
{
	struct netmask	 m;
	unsigned int	 i, max;

	if (netmask_parse(s, &m) == -1)
		return;
	FUZZ_CHECK(m.family == AF_INET || m.family == AF_INET6);
	max = m.family == AF_INET ? 32 : 128;
	FUZZ_CHECK(m.bits <= max);
	for (i = m.bits; i < max; i++)
		FUZZ_CHECK((m.bytes[i / 8] & (0x80 >> (i % 8))) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*line[LINES] = { NULL };
	const uint8_t	*p = data, *end = data + size, *nl;
	struct proxies	 px;
	struct params	 prm;
	unsigned char	 bin[16];
	size_t		 i;

	/* Each '\n' ends a line; what follows the last one is a line too. */
	for (i = 0; i < LINES && p != NULL; i++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		line[i] = fuzz_string(p, (size_t)(nl - p));
		p = nl < end ? nl + 1 : NULL;
	}
	if (line[0] != NULL)
		check_netmask(line[0]);

	memset(&px, 0, sizeof(px));
	px.v = fixed;
	px.n = 2;
	px.use_forwarded = size > 0 && (data[0] & 1);
	memset(&prm, 0, sizeof(prm));
	prm.remote_addr = line[1];
	prm.x_forwarded_for = line[2];
	prm.x_forwarded_proto = line[3];
	prm.forwarded = line[4];
	proxy_resolve(&prm, &px);

	FUZZ_CHECK(prm.client_addr == prm.remote_addr ||
	    prm.client_addr == prm.client_buf);
	if (prm.client_addr == prm.client_buf)
		FUZZ_CHECK(inet_pton(AF_INET, prm.client_buf, bin) == 1 ||
		    inet_pton(AF_INET6, prm.client_buf, bin) == 1);
	if (prm.remote_addr == NULL || (strncmp(prm.remote_addr, "192.0.2.",
	    8) != 0 && strncmp(prm.remote_addr, "2001:db8:0:", 11) != 0 &&
	    strchr(prm.remote_addr, ':') == NULL)) {
		/* Not in a trusted block (IPv6 forms are too many to tell). */
		FUZZ_CHECK(prm.client_addr == prm.remote_addr);
		FUZZ_CHECK(!prm.forwarded_https);
	}

	/* Without trusted proxies nothing forwarded is ever believed. */
	px.n = 0;
	proxy_resolve(&prm, &px);
	FUZZ_CHECK(prm.client_addr == prm.remote_addr);
	FUZZ_CHECK(!prm.forwarded_https);

	for (i = 0; i < LINES; i++)
		free(line[i]);
	return 0;
}
