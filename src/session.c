/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * The rules of a login session, apart from HTTP and storage.
 *
 * A session id is 256 bits from OpenSSL's CSPRNG in base64url, so it
 * never needs quoting in a cookie. The store keeps only its SHA-256: a
 * copy of the database does not hold ids anyone could present, and a
 * lookup by hash needs no constant-time compare of the id itself.
 *
 * A session ends at whichever comes first: idle_timeout after it was last
 * seen, or absolute_timeout after it was created (the row's "expires").
 * Both live on the server; the cookie's Max-Age is only a hint to the
 * browser. A login that asked to be remembered ([session] remember_me)
 * gets remember_lifetime as its absolute limit, and no idle limit.
 * last_seen is written at most once per touch_interval, since
 * a write per request would cost a third of the throughput.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>
#include <openssl/sha.h>

#include "gatehouse.h"

/* Make a new random id. Returns 0, or -1 (logged). */
int
session_new_id(char id[SESSION_ID_LEN + 1])
{
	unsigned char	 raw[SESSION_ID_BYTES];
	char		 enc[SESSION_ID_LEN + 4];

	if (RAND_bytes(raw, sizeof(raw)) != 1) {
		log_warnx("%s: no random bytes", __func__);
		return -1;
	}
	if (base64_encode(raw, sizeof(raw), 1, enc, sizeof(enc)) !=
	    SESSION_ID_LEN) {
		wipe(raw, sizeof(raw));
		return -1;
	}
	memcpy(id, enc, SESSION_ID_LEN + 1);
	wipe(raw, sizeof(raw));
	wipe(enc, sizeof(enc));
	return 0;
}

/* The form under which the store knows an id. */
void
session_hash_id(const char *id, unsigned char hash[SESSION_HASH_LEN])
{
	sha256(id, strlen(id), hash);
}

/*
 * Could "s" be an id we issued: exactly SESSION_ID_LEN base64url
 * characters? Anything else is not looked up at all. Returns 1 or 0.
 */
int
session_id_wellformed(const char *s)
{
	return b64url_wellformed(s, SESSION_ID_LEN, SESSION_ID_LEN);
}

/*
 * When the session ends if it is not seen again. A remembered session
 * has no idle limit: its user asked to stay logged in while away.
 */
int64_t
session_idle_deadline(const struct session *s, const struct config *cfg)
{
	int64_t	 idle = s->last_seen + cfg->idle_timeout;

	if (s->remember)
		return s->expires;

	return idle < s->expires ? idle : s->expires;
}

/*
 * Is the session alive at "now"? A session of a disabled account is not,
 * whatever its times say.
 */
enum session_state
session_state(const struct session *s, int64_t now, const struct config *cfg)
{
	if (s->user_disabled)
		return SESSION_DISABLED;
	if (now >= s->expires)
		return SESSION_EXPIRED;
	if (!s->remember && now >= s->last_seen + cfg->idle_timeout)
		return SESSION_IDLE;
	return SESSION_LIVE;
}

/*
 * Should last_seen be written now? Yes once touch_interval has passed.
 * A clock that went backwards also rewrites it, so that a session seen
 * "in the future" cannot outlive its idle timeout once the clock is
 * right again.
 */
int
session_touch_due(const struct session *s, int64_t now,
    const struct config *cfg)
{
	return now - s->last_seen >= cfg->touch_interval || now < s->last_seen;
}

/*
 * The name under which a session appears in pages and forms: 64 bits of
 * the SHA-256 of its stored hash, in hex. It tells a user's sessions
 * apart, and is of no use as a credential: the id cannot be had from
 * it, nor can the stored hash, which is itself no credential either.
 */
void
session_handle(const unsigned char *hash, char out[SESSION_HANDLE_LEN + 1])
{
	unsigned char	 h[32];

	sha256(hash, SESSION_HASH_LEN, h);
	hex_encode(h, SESSION_HANDLE_LEN / 2, out, SESSION_HANDLE_LEN + 1);
}

void
session_clear(struct session *s)
{
	free(s->user);
	memset(s, 0, sizeof(*s));
}
