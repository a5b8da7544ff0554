-- Gatehouse schema, version 3: login throttling and the audit trail.

-- One row per failed login, kept about an hour (see store_throttle_fail).
-- "name_hash" is SHA-256 of the user name as submitted, whether or not an
-- account has it: unknown names are throttled exactly like real ones, and
-- a password typed into the name field is not kept in clear. "addr" is
-- the client address the failure came from.
CREATE TABLE login_failures (
	id		INTEGER PRIMARY KEY,
	name_hash	BLOB NOT NULL CHECK (length(name_hash) = 32),
	addr		TEXT NOT NULL,
	at		INTEGER NOT NULL
);
CREATE INDEX login_failures_by_name ON login_failures (name_hash, at);
CREATE INDEX login_failures_by_addr ON login_failures (addr, at);
CREATE INDEX login_failures_by_time ON login_failures (at);

-- What happened to whom, for "gatehouse-admin events": logins, logouts,
-- lockouts, password changes, tokens. "user" is NULL where no account
-- was named (a failed login for an unknown name), "addr" where no client
-- was (gatehouse-admin). Kept for [audit] retention.
CREATE TABLE auth_events (
	id		INTEGER PRIMARY KEY,
	at		INTEGER NOT NULL,
	user		TEXT,
	event		TEXT NOT NULL,
	addr		TEXT,
	outcome		TEXT NOT NULL
);
CREATE INDEX auth_events_by_time ON auth_events (at);
CREATE INDEX auth_events_by_user ON auth_events (user, at);
