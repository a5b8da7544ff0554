-- Gatehouse schema, version 2: signed tokens (JWT) for APIs.

-- A user may carry the "admin" claim in their tokens.
ALTER TABLE users ADD COLUMN admin INTEGER NOT NULL DEFAULT 0
    CHECK (admin IN (0, 1));

-- The signing keys. The key material lives in files (keys_dir/KID.key,
-- readable by the service user only); this table says which keys exist
-- and what each may do: one "active" key signs new tokens, "verify" keys
-- still verify (rotation without downtime), "retired" keys do neither.
CREATE TABLE signing_keys (
	kid		TEXT PRIMARY KEY,
	alg		TEXT NOT NULL,
	state		TEXT NOT NULL
			    CHECK (state IN ('active', 'verify', 'retired')),
	created		INTEGER NOT NULL,
	retired		INTEGER
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (state)
    WHERE state = 'active';

-- Counters each server process reads once per token request: one moves
-- with every change to signing_keys (a rotation: reload the keys), the
-- other with every revocation and every change to a user (tokens it has
-- already verified and remembered must be checked afresh).
CREATE TABLE key_generation (
	id		INTEGER PRIMARY KEY CHECK (id = 1),
	generation	INTEGER NOT NULL,
	revocations	INTEGER NOT NULL
);
INSERT INTO key_generation (id, generation, revocations) VALUES (1, 0, 0);
CREATE TRIGGER signing_keys_insert AFTER INSERT ON signing_keys BEGIN
	UPDATE key_generation SET generation = generation + 1;
END;
CREATE TRIGGER signing_keys_update AFTER UPDATE ON signing_keys BEGIN
	UPDATE key_generation SET generation = generation + 1;
END;
CREATE TRIGGER signing_keys_delete AFTER DELETE ON signing_keys BEGIN
	UPDATE key_generation SET generation = generation + 1;
END;

-- Refresh tokens, stored as SHA-256 like session ids. Each is used once:
-- exchanging it sets "used" and adds its successor to the same family.
-- A used one presented again means it was stolen (or the client is
-- broken): the whole family is revoked, with the access tokens issued
-- alongside (access_jti, until access_expires). "expires" is the
-- family's absolute end, which rotation does not extend.
CREATE TABLE refresh_tokens (
	id_hash		BLOB PRIMARY KEY CHECK (length(id_hash) = 32),
	family		BLOB NOT NULL CHECK (length(family) = 16),
	user_id		INTEGER NOT NULL
			    REFERENCES users (id) ON DELETE CASCADE,
	created		INTEGER NOT NULL,
	expires		INTEGER NOT NULL,
	used		INTEGER,
	access_jti	TEXT NOT NULL,
	access_expires	INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires);

-- Access tokens revoked before their time, kept until they expire.
CREATE TABLE revoked_tokens (
	jti		TEXT PRIMARY KEY,
	expires		INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX revoked_tokens_by_expiry ON revoked_tokens (expires);

CREATE TRIGGER revoked_tokens_insert AFTER INSERT ON revoked_tokens BEGIN
	UPDATE key_generation SET revocations = revocations + 1;
END;
CREATE TRIGGER users_update AFTER UPDATE ON users BEGIN
	UPDATE key_generation SET revocations = revocations + 1;
END;
CREATE TRIGGER users_delete AFTER DELETE ON users BEGIN
	UPDATE key_generation SET revocations = revocations + 1;
END;
