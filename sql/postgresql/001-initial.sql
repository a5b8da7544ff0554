-- Gatehouse schema for PostgreSQL, version 1: the same tables as version
-- 4 of sql/sqlite/, which explains each of them.
--
-- Migrations are applied in order by "gatehouse-admin migrate" and by
-- gatehouse at start, all in one transaction under an advisory lock, and
-- the version reached is kept in gatehouse_schema. Never edit a released
-- migration: add the next number instead. Flags are integers 0 or 1, as
-- in SQLite, so that both stores read them alike.

-- An identity column never hands an id out twice, like AUTOINCREMENT.
CREATE TABLE users (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name		text NOT NULL UNIQUE,
	password_hash	text NOT NULL,
	created		bigint NOT NULL,
	disabled	integer NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	admin		integer NOT NULL DEFAULT 0 CHECK (admin IN (0, 1))
);

CREATE TABLE sessions (
	id_hash		bytea PRIMARY KEY CHECK (length(id_hash) = 32),
	user_id		bigint NOT NULL
			    REFERENCES users (id) ON DELETE CASCADE,
	created		bigint NOT NULL,
	last_seen	bigint NOT NULL,
	expires		bigint NOT NULL,
	data		jsonb NOT NULL DEFAULT '{}'
			    CHECK (jsonb_typeof(data) = 'object'),
	address		text NOT NULL DEFAULT ''
			    CHECK (length(address) <= 45),
	agent		text NOT NULL DEFAULT ''
			    CHECK (length(agent) <= 47),
	remember	integer NOT NULL DEFAULT 0 CHECK (remember IN (0, 1))
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires);
CREATE INDEX sessions_by_last_seen ON sessions (last_seen);

CREATE TABLE signing_keys (
	kid		text PRIMARY KEY,
	alg		text NOT NULL,
	state		text NOT NULL
			    CHECK (state IN ('active', 'verify', 'retired')),
	created		bigint NOT NULL,
	retired		bigint
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (state)
    WHERE state = 'active';

CREATE TABLE key_generation (
	id		integer PRIMARY KEY CHECK (id = 1),
	generation	bigint NOT NULL,
	revocations	bigint NOT NULL
);
INSERT INTO key_generation (id, generation, revocations) VALUES (1, 0, 0);

-- The counters move once per row changed, as SQLite's triggers do.
CREATE FUNCTION gatehouse_key_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
	UPDATE key_generation SET generation = generation + 1;
	RETURN NULL;
END
$$;
CREATE FUNCTION gatehouse_revoked() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
	UPDATE key_generation SET revocations = revocations + 1;
	RETURN NULL;
END
$$;
CREATE TRIGGER signing_keys_changed
    AFTER INSERT OR UPDATE OR DELETE ON signing_keys
    FOR EACH ROW EXECUTE FUNCTION gatehouse_key_changed();

CREATE TABLE refresh_tokens (
	id_hash		bytea PRIMARY KEY CHECK (length(id_hash) = 32),
	family		bytea NOT NULL CHECK (length(family) = 16),
	user_id		bigint NOT NULL
			    REFERENCES users (id) ON DELETE CASCADE,
	created		bigint NOT NULL,
	expires		bigint NOT NULL,
	used		bigint,
	access_jti	text NOT NULL,
	access_expires	bigint NOT NULL
);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family);
CREATE INDEX refresh_tokens_by_user ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires);

CREATE TABLE revoked_tokens (
	jti		text PRIMARY KEY,
	expires		bigint NOT NULL
);
CREATE INDEX revoked_tokens_by_expiry ON revoked_tokens (expires);

CREATE TRIGGER revoked_tokens_insert AFTER INSERT ON revoked_tokens
    FOR EACH ROW EXECUTE FUNCTION gatehouse_revoked();
CREATE TRIGGER users_changed AFTER UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION gatehouse_revoked();

CREATE TABLE login_failures (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name_hash	bytea NOT NULL CHECK (length(name_hash) = 32),
	addr		text NOT NULL,
	at		bigint NOT NULL
);
CREATE INDEX login_failures_by_name ON login_failures (name_hash, at);
CREATE INDEX login_failures_by_addr ON login_failures (addr, at);
CREATE INDEX login_failures_by_time ON login_failures (at);

-- "user" is a reserved word in PostgreSQL: the statements quote it.
CREATE TABLE auth_events (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at		bigint NOT NULL,
	"user"		text,
	event		text NOT NULL,
	addr		text,
	outcome		text NOT NULL
);
CREATE INDEX auth_events_by_time ON auth_events (at);
CREATE INDEX auth_events_by_user ON auth_events ("user", at);
