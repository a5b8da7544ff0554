-- Gatehouse schema, version 1: users and their login sessions.
--
-- Migrations are applied in order by "gatehouse-admin migrate" and by
-- gatehouse at start, each in one transaction that also sets
-- PRAGMA user_version to the file's number. Never edit a released
-- migration: add the next number instead.

-- One row per account. password_hash is a self-describing PHC string
-- ("$scrypt$ln=15,r=8,p=1$salt$hash"); a disabled account cannot log in.
-- AUTOINCREMENT: an id is never given to a second user, so a session row
-- left behind by a deletion outside gatehouse (foreign keys are off in
-- the sqlite3 shell) can never name somebody else.
CREATE TABLE users (
	id		INTEGER PRIMARY KEY AUTOINCREMENT,
	name		TEXT NOT NULL UNIQUE,
	password_hash	TEXT NOT NULL,
	created		INTEGER NOT NULL,
	disabled	INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
);

-- One row per live login. The session id itself is never stored, only
-- its SHA-256, so a copy of this file does not let anyone log in.
-- Times are seconds since the epoch: "expires" is the absolute end, and
-- the idle end follows from last_seen and the configured idle timeout.
-- "data" holds server-side values of the session as a JSON object.
CREATE TABLE sessions (
	id_hash		BLOB PRIMARY KEY CHECK (length(id_hash) = 32),
	user_id		INTEGER NOT NULL
			    REFERENCES users (id) ON DELETE CASCADE,
	created		INTEGER NOT NULL,
	last_seen	INTEGER NOT NULL,
	expires		INTEGER NOT NULL,
	data		TEXT NOT NULL DEFAULT '{}'
			    CHECK (json_valid(data) AND json_type(data) = 'object')
) WITHOUT ROWID;

CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires);
CREATE INDEX sessions_by_last_seen ON sessions (last_seen);
