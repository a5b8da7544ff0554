#!/bin/bash
# Concurrency and load through a real lighttpd running 4 Gatehouse
# FastCGI workers: 64 clients, each its own user with its own cookies,
# go round login, protected pages, /whoami, a token pair, the API, a
# refresh and logout (tests/integration/load.py) for GH_LOAD_SECONDS
# (10 in "make check", 60 in .ci/run). Then: no 5xx, no answer naming
# another user than the cookie's or token's, no connection error, every
# session kept is live and its user's, every one ended is gone, the
# database holds exactly the kept sessions, none without its user, and
# (SQLite) PRAGMA integrity_check is ok. The figures are printed as TAP
# comments. postgresql-load.sh runs it on PostgreSQL. Output is TAP.

. "$top_srcdir/tests/integration/lib.sh"
command -v curl > /dev/null || skip_all "curl is not installed"
command -v python3 > /dev/null || skip_all "python3 is not installed"
gh_need_sql_client

CLIENTS=${GH_LOAD_CLIENTS:-64}
SECONDS_=${GH_LOAD_SECONDS:-10}
WORKERS=4

# Every client comes from 127.0.0.1, and a login is counted as an
# attempt of its address until its password is checked (a killed
# worker's stays counted): with many logins in flight, the address limit
# of 20 (and, for a name, of 5) would answer 429. Throttling is
# throttle.sh's to test.
gh_setup "[tokens]" "mode = both" "issuer = https://gh.test" \
    "[throttle]" "address_threshold = 100000" "account_threshold = 100"
# The shipped configuration, with 4 workers instead of 2.
write_load_conf() {
	write_lighttpd_conf
	sed -i "s/\"max-procs\" => 2/\"max-procs\" => $WORKERS/" \
	    "$GH_STATE/lighttpd.conf"
}
lighttpd=$(find_lighttpd) || skip_all "lighttpd is not installed"
SERVER_LOGS=$GH_STATE/error.log start_server lighttpd write_load_conf \
    "$lighttpd" -D -f "$GH_STATE/lighttpd.conf"
PASS='correct horse battery'
for i in $(seq 0 $((CLIENTS - 1))); do
	printf '%s\n' "$PASS" | "$GH_ADMIN" -c "$GH_CONF" useradd "u$i" \
	    > /dev/null 2>&1 || echo "Bail out! useradd u$i failed"
done
"$GH_ADMIN" -c "$GH_CONF" key generate ES256 > /dev/null 2>&1
check "a signing key is made" "$?" 0
# Warm every worker up (each opens the database on its first request).
for _ in $(seq $((WORKERS * 2))); do
	curl -s -o /dev/null "$BASE_URL/healthz"
done
check "lighttpd runs $WORKERS Gatehouse workers" \
    "$(pgrep -c -P "$SERVER_PID" -x gatehouse)" "$WORKERS"

python3 "$top_srcdir/tests/integration/load.py" "$BASE_URL" "$PASS" \
    "$CLIENTS" "$SECONDS_" "$GH_STATE/load.report"
check "the load driver ran to its end" "$?" 0
R=$GH_STATE/load.report
fig() {
	sed -n "s/^$1 //p" "$R"
}
grep -v '^kept_session ' "$R" | sed 's/^/# /'

check "load: requests were made" "$([ "$(fig requests)" -gt 0 ] &&
    echo yes)" yes
check "load: no answer is a 5xx" "$(fig 5xx)" 0
check "load: no answer names another user" "$(fig wrong_user)" 0
check "load: no connection failed" "$(fig connection_errors)" 0
check "load: no answer was unexpected" "$(fig errors)" 0
check "load: some sessions were kept" "$([ "$(fig kept)" -gt 0 ] &&
    echo yes)" yes
check "load: every kept session is live and its user's" "$(fig kept_live)" \
    "$(fig kept)"
check "load: every ended session is gone" "$(fig ended_gone)" \
    "$(fig ended_checked)"
check "load: the database holds exactly the kept sessions" \
    "$(gh_sql 'SELECT count(*) FROM sessions')" \
    "$(fig kept)"
check "load: each user's kept sessions are in the database under that user" \
    "$(gh_sql "SELECT u.name FROM sessions s
    JOIN users u ON u.id = s.user_id" | sort | md5sum)" \
    "$(sed -n 's/^kept_session //p' "$R" | sort | md5sum)"
check "load: no session outlived its user's row" \
    "$(gh_sql 'SELECT count(*) FROM sessions s LEFT JOIN users u
    ON u.id = s.user_id WHERE u.id IS NULL')" 0
if [ -z "${GH_DATABASE:-}" ]; then
	check "load: integrity_check is ok" \
	    "$(gh_sql 'PRAGMA integrity_check')" ok
fi

sleep 0.2
cat "$GH_STATE/lighttpd.out" "$GH_STATE/error.log" > "$GH_STATE/log"
check_no_grep "load: no database lock reached the log" "$GH_STATE/log" \
    "database is locked"
check_no_grep "load: no worker died" "$GH_STATE/log" "died"
check_no_grep "load: no password in the log" "$GH_STATE/log" "$PASS"
# An unexpected answer: what the server logged of refusals and the store.
if [ "$(fig errors)" != 0 ]; then
	grep -E 'throttled|refused|store:' "$GH_STATE/log" | head -20 |
	    sed 's/^/# log: /'
fi

gh_done
