/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * The audit trail: who logged in, failed to, logged out, was locked out,
 * changed a password, got or lost a token, and from where. Each event is
 * one row of auth_events (read with "gatehouse-admin events") and the
 * same event as one log line, so that either can be searched. Callers
 * pass names, addresses and short outcome words, never a password, a
 * session id or a token.
 *
 * An event that cannot be stored is logged as a warning and otherwise
 * ignored: a login that succeeded must not fail for want of its record.
 */
#include "config.h"

#include "gatehouse.h"
#include "store.h"

static const char *const event_names[AUDIT__MAX] = {
	"login_success",	/* AUDIT_LOGIN_SUCCESS */
	"login_failure",	/* AUDIT_LOGIN_FAILURE */
	"logout",		/* AUDIT_LOGOUT */
	"lockout",		/* AUDIT_LOCKOUT */
	"unlock",		/* AUDIT_UNLOCK */
	"password_change",	/* AUDIT_PASSWORD_CHANGE */
	"session_revoke",	/* AUDIT_SESSION_REVOKE */
	"token_issue",		/* AUDIT_TOKEN_ISSUE */
	"token_refresh",	/* AUDIT_TOKEN_REFRESH */
	"token_revoke",		/* AUDIT_TOKEN_REVOKE */
	"account_change",	/* AUDIT_ACCOUNT_CHANGE */
};

/* The event's name as stored and logged ("login_success", ...). */
const char *
audit_event_name(enum audit_event ev)
{
	return (unsigned int)ev < AUDIT__MAX ? event_names[ev] : "?";
}

/*
 * Record event "ev" at "now" for "user" (NULL: no account) from "addr"
 * (NULL: no client), with "outcome" (a word such as "ok" or
 * "wrong_password"). "st" may be NULL when the store could not be
 * opened: the event is then only logged. The user name comes last in
 * the line, so that whatever it holds cannot pass for another field.
 */
void
audit_record(struct store *st, int64_t now, enum audit_event ev,
    const char *user, const char *addr, const char *outcome)
{
	struct event_record	 e;

	log_info("audit: %s outcome=%s addr=%s user=%s", audit_event_name(ev),
	    outcome, addr == NULL ? "-" : addr, user == NULL ? "-" : user);
	if (st == NULL) {
		log_warnx("audit: no store: the %s event was not recorded",
		    audit_event_name(ev));
		return;
	}
	e.at = now;
	e.user = user;
	e.event = audit_event_name(ev);
	e.addr = addr;
	e.outcome = outcome;
	if (store_event_add(st, &e) != STORE_OK)
		log_warnx("audit: the %s event was not recorded",
		    audit_event_name(ev));
}

/*
 * Drop the events older than [audit] retention, with the other purges
 * that ride on a login. A failure is logged and otherwise ignored.
 */
void
audit_purge(struct store *st, int64_t now, const struct config *cfg)
{
	int	 n;

	if (store_event_purge(st, now - cfg->audit_retention, &n) ==
	    STORE_OK && n > 0)
		log_debug("audit: purged %d old events", n);
}
