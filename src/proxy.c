/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Who the client is, and whether it came over HTTPS, when a reverse
 * proxy stands between it and the web server. Such a proxy tells in a
 * header (X-Forwarded-For and X-Forwarded-Proto, or RFC 7239 Forwarded)
 * what the web server can no longer see. Anybody can send those headers,
 * so they are believed only from the addresses in [server]
 * trusted_proxies, and only as far as the chain of trusted hops goes:
 * reading X-Forwarded-For from the right, the first address that is not
 * a trusted proxy is the client. The leftmost entries are whatever the
 * client chose to send and are never used.
 *
 * Only one of the two header families is read (proxy_header): a proxy
 * that writes one passes the other through untouched, as the client
 * sent it.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gatehouse.h"

/* An address, IPv4 kept as IPv4 even when it came IPv4-mapped. */
struct addr {
	int		 family;	/* AF_INET or AF_INET6 */
	unsigned char	 bytes[16];
};

#define ENTRY_MAX	64	/* bytes of one hop's address, with port */
#define PAIRS_MAX	16	/* parameters of one Forwarded element */

static int	 addr_parse(const char *, size_t, struct addr *);
static int	 netmask_match(const struct netmask *, const struct addr *);
static int	 trusted(const struct proxies *, const struct addr *);
static int	 escaped(const char *, size_t);
static size_t	 next_hop(const char *, size_t, const char **, size_t *);
static int	 forwarded_param(const char *, size_t, const char *,
		    const char **, size_t *);
static int	 hop_address(const char *, size_t, int, struct addr *);
static int	 last_proto_https(const char *, int);

/*
 * Parse an IPv4 or IPv6 address of "len" bytes, without brackets or a
 * port. An IPv4-mapped IPv6 address (::ffff:192.0.2.1, as a dual-stack
 * socket reports IPv4 peers) becomes the IPv4 address. Returns 0 or -1.
 */
static int
addr_parse(const char *s, size_t len, struct addr *a)
{
	static const unsigned char	 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0,
					    0, 0, 0xff, 0xff };
	char				 text[INET6_ADDRSTRLEN];

	if (len == 0 || len >= sizeof(text))
		return -1;
	memcpy(text, s, len);
	text[len] = '\0';
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, text, a->bytes) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, text, a->bytes) != 1)
		return -1;
	a->family = AF_INET6;
	if (memcmp(a->bytes, mapped, sizeof(mapped)) == 0) {
		memmove(a->bytes, a->bytes + 12, 4);
		memset(a->bytes + 4, 0, 12);
		a->family = AF_INET;
	}
	return 0;
}

/*
 * Parse "ADDRESS" or "ADDRESS/BITS" into "m". Returns 0, or -1 for
 * anything else (a host name, a prefix too long for the family, bits set
 * past the prefix: 10.0.0.1/8 is more likely a typing error than meant).
 */
int
netmask_parse(const char *s, struct netmask *m)
{
	const char		*slash;
	struct addr		 a;
	unsigned long long	 bits;
	unsigned int		 i, max;

	slash = strchr(s, '/');
	if (addr_parse(s, slash == NULL ? strlen(s) : (size_t)(slash - s),
	    &a) == -1)
		return -1;
	max = a.family == AF_INET ? 32 : 128;
	bits = max;
	if (slash != NULL && parse_uint(slash + 1, max, &bits) == -1)
		return -1;
	for (i = (unsigned int)bits; i < max; i++)
		if (a.bytes[i / 8] & (0x80 >> (i % 8)))
			return -1;
	m->family = a.family;
	memcpy(m->bytes, a.bytes, sizeof(m->bytes));
	m->bits = (unsigned int)bits;
	return 0;
}

static int
netmask_match(const struct netmask *m, const struct addr *a)
{
	unsigned int	 full = m->bits / 8, rest = m->bits % 8;
	unsigned char	 mask;

	if (m->family != a->family ||
	    memcmp(m->bytes, a->bytes, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (unsigned char)(0xff << (8 - rest));
	return (m->bytes[full] & mask) == (a->bytes[full] & mask);
}

static int
trusted(const struct proxies *px, const struct addr *a)
{
	size_t	 i;

	for (i = 0; i < px->n; i++)
		if (netmask_match(&px->v[i], a))
			return 1;
	return 0;
}

/* Is the byte at "at" after an odd run of backslashes? 1 or 0. */
static int
escaped(const char *list, size_t at)
{
	size_t	 n = 0;

	while (at > n && list[at - n - 1] == '\\')
		n++;
	return (int)(n % 2);
}

/*
 * The value of parameter "name" in one Forwarded element of "len" bytes
 * (RFC 7239 section 4: pairs "name=value" joined by ';', a value a token
 * or a quoted string). Sets "*val" and "*vlen" to it, the quotes of a
 * quoted one left out (its backslash escapes are kept: no address or
 * "https" holds one). Returns 1, 0 if the element has no such parameter, or -1
 * if it is malformed: a pair without '=', a quote left open, too many
 * pairs, or a name given twice, which leaves it unclear which to believe.
 */
static int
forwarded_param(const char *elem, size_t len, const char *name,
    const char **val, size_t *vlen)
{
	const char	*names[PAIRS_MAX], *p = elem, *end = elem + len;
	const char	*n, *v, *vend;
	size_t		 nlens[PAIRS_MAX], npairs = 0, nlen, i;
	int		 found = 0;

	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == ';'))
			p++;
		if (p == end)
			return found;

		/* The name, once only. */
		for (n = p; p < end && *p != '=' && *p != ';' && *p != '"';
		    p++)
			;
		nlen = (size_t)(p - n);
		if (p == end || *p != '=' || nlen == 0 || npairs == PAIRS_MAX)
			return -1;
		for (i = 0; i < npairs; i++)
			if (nlens[i] == nlen &&
			    strncasecmp(names[i], n, nlen) == 0)
				return -1;
		names[npairs] = n;
		nlens[npairs++] = nlen;

		/* A quoted string to its closing quote, or a token. */
		v = ++p;
		if (p < end && *p == '"') {
			for (v = ++p; p < end && *p != '"'; p++)
				if (*p == '\\' && ++p == end)
					return -1;
			if (p == end)
				return -1;
			vend = p++;
		} else {
			while (p < end && *p != ';' && *p != ' ' && *p != '\t')
				p++;
			vend = p;
		}
		if (nlen == strlen(name) && strncasecmp(n, name, nlen) == 0) {
			*val = v;
			*vlen = (size_t)(vend - v);
			found = 1;
		}

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p < end && *p != ';')
			return -1;
	}
}

/*
 * The hop before "end" in a list of hops, read from the right: hops are
 * separated by ',' (X-Forwarded-For, and the elements of Forwarded).
 * Sets "*hop" and "*hoplen" to the hop, white space trimmed, and returns
 * where the list before it ends.
 */
static size_t
next_hop(const char *list, size_t end, const char **hop, size_t *hoplen)
{
	size_t	 start = end;
	int	 quoted = 0;

	/*
	 * A ',' inside a quoted Forwarded value does not end the hop, and
	 * inside one a '"' after an odd run of backslashes is part of it
	 * (RFC 9110 section 5.6.4): a proxy may quote what a client sent.
	 */
	while (start > 0 && (list[start - 1] != ',' || quoted)) {
		if (list[start - 1] == '"' && (!quoted ||
		    escaped(list, start - 1) == 0))
			quoted = !quoted;
		start--;
	}
	*hop = list + start;
	*hoplen = end - start;
	while (*hoplen > 0 && (**hop == ' ' || **hop == '\t')) {
		(*hop)++;
		(*hoplen)--;
	}
	while (*hoplen > 0 && ((*hop)[*hoplen - 1] == ' ' ||
	    (*hop)[*hoplen - 1] == '\t'))
		(*hoplen)--;
	return start > 0 ? start - 1 : 0;
}

/*
 * The address of one hop: an X-Forwarded-For entry ("192.0.2.1",
 * "2001:db8::1", sometimes "192.0.2.1:4711" or "[2001:db8::1]:4711"),
 * or the for= parameter of one Forwarded element (RFC 7239 section 6:
 * for=192.0.2.1, for="[2001:db8::1]:4711"; "unknown" and obfuscated
 * names are not addresses). Returns 0 or -1.
 */
static int
hop_address(const char *hop, size_t len, int forwarded, struct addr *a)
{
	const char	*p, *end = hop + len, *colon;
	size_t		 n;

	if (forwarded) {
		if (forwarded_param(hop, len, "for", &p, &n) != 1)
			return -1;
		hop = p;
		len = n;
		end = hop + len;
	}
	if (len == 0 || len > ENTRY_MAX)
		return -1;
	if (hop[0] == '[') {
		if ((p = memchr(hop, ']', len)) == NULL)
			return -1;
		/* After ']', nothing or a port. */
		if (p + 1 != end && p[1] != ':')
			return -1;
		return addr_parse(hop + 1, (size_t)(p - hop - 1), a);
	}
	if (addr_parse(hop, len, a) == 0)
		return 0;
	/* "192.0.2.1:4711": one ':' only, so never a bare IPv6 address. */
	colon = memchr(hop, ':', len);
	if (colon == NULL || memchr(colon + 1, ':', (size_t)(end - colon -
	    1)) != NULL)
		return -1;
	return addr_parse(hop, (size_t)(colon - hop), a);
}

/*
 * Does the last (nearest) hop say it took the request over HTTPS? The
 * nearest proxy is the trusted one; what earlier hops said is theirs.
 */
static int
last_proto_https(const char *list, int forwarded)
{
	const char	*hop;
	size_t		 len;

	next_hop(list, strlen(list), &hop, &len);
	if (forwarded && forwarded_param(hop, len, "proto", &hop, &len) != 1)
		return 0;
	return len == 5 && strncasecmp(hop, "https", 5) == 0;
}

/*
 * Fill p->client_addr and p->forwarded_https from REMOTE_ADDR and, when
 * the peer is a trusted proxy, from what it forwarded. Without trusted
 * proxies, or from any other peer, the client is REMOTE_ADDR as given.
 */
void
proxy_resolve(struct params *p, const struct proxies *px)
{
	const char	*list, *hop;
	struct addr	 a;
	size_t		 end, len;
	int		 forwarded;

	p->forwarded_https = 0;
	p->client_addr = p->remote_addr;
	p->client_buf[0] = '\0';
	if (px == NULL || px->n == 0 || p->remote_addr == NULL ||
	    addr_parse(p->remote_addr, strlen(p->remote_addr), &a) == -1 ||
	    !trusted(px, &a))
		return;

	forwarded = px->use_forwarded;
	if (forwarded ? p->forwarded != NULL : p->x_forwarded_proto != NULL)
		p->forwarded_https = last_proto_https(forwarded ?
		    p->forwarded : p->x_forwarded_proto, forwarded);

	/*
	 * Walk left past every trusted hop. A hop that is not an address
	 * ends the walk: the last trusted hop is then the best we know.
	 */
	list = forwarded ? p->forwarded : p->x_forwarded_for;
	if (list == NULL)
		return;
	end = strlen(list);
	while (end > 0) {
		end = next_hop(list, end, &hop, &len);
		if (hop_address(hop, len, forwarded, &a) == -1)
			break;
		if (inet_ntop(a.family, a.bytes, p->client_buf,
		    sizeof(p->client_buf)) == NULL)
			break;
		p->client_addr = p->client_buf;
		if (!trusted(px, &a))
			break;
	}
}
