-- Gatehouse schema, version 5: indexes that let the purge of ended
-- sessions (at each login) read only the sessions that ended, however
-- many there are. A remembered session has no idle limit and its own
-- absolute one, so each limit is an index on (remember, the time it
-- judges): the idle limit's range then skips remembered sessions
-- instead of stepping over every one of them that is idle.
DROP INDEX sessions_by_last_seen;
CREATE INDEX sessions_by_idle ON sessions (remember, last_seen);
CREATE INDEX sessions_by_age ON sessions (remember, created);
