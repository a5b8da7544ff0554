-- Gatehouse schema, version 4: what users are shown of their own
-- sessions (GET /sessions), and "remember me".
--
-- "address" is the client's address at login (REMOTE_ADDR, or the one
-- a trusted proxy names: see proxy.c). "agent" is a short summary
-- of the browser and system, such as "Firefox on Linux", picked from a
-- fixed list by client.c: never the User-Agent header itself. Sessions
-- from before this version show neither. "remember" is set when the
-- login asked to be remembered ([session] remember_me): such a session
-- has no idle limit, only its absolute one ("expires").
ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT ''
    CHECK (length(address) <= 45);
ALTER TABLE sessions ADD COLUMN agent TEXT NOT NULL DEFAULT ''
    CHECK (length(agent) <= 47);
ALTER TABLE sessions ADD COLUMN remember INTEGER NOT NULL DEFAULT 0
    CHECK (remember IN (0, 1));
