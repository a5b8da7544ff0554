-- Gatehouse schema for PostgreSQL, version 2: as version 5 of
-- sql/sqlite/, which explains it: the purge of ended sessions reads
-- only those.
DROP INDEX sessions_by_last_seen;
CREATE INDEX sessions_by_idle ON sessions (remember, last_seen);
CREATE INDEX sessions_by_age ON sessions (remember, created);
