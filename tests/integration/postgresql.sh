#!/bin/bash
# Gatehouse on PostgreSQL behind a real lighttpd: migrate, the login
# flow, a protected page, tokens and their refresh, logout, and what a
# stopped database server does to requests (503, and service again once
# it is back, without restarting anything); then gatehouse-admin
# copy-to. The server is a throwaway one (tests/pg.sh). Output is TAP.

. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/pg.sh"
command -v curl > /dev/null || skip_all "curl is not installed"
pg_skip_unless_usable
trap pg_remove EXIT
pg_start_or_bail
# The URI form here; tests/unit/test_store_pg.sh uses the keyword form.
GH_DATABASE="postgresql:///gatehouse?host=$PG_DIR&user=gatehouse"
gh_need_sql_client

gh_setup "[tokens]" "mode = both"
# The database server is stopped after the web servers in front of it.
trap 'gh_cleanup; pg_remove' EXIT
check "migrate made the schema" "$(gh_sql 'SELECT version FROM gatehouse_schema')" 2
check "gatehouse-admin migrate says so" \
    "$("$GH_ADMIN" -c "$GH_CONF" migrate 2>&1)" \
    "$GH_DATABASE: schema at version 2"
PASS='correct horse battery'
printf '%s\n' "$PASS" | "$GH_ADMIN" -c "$GH_CONF" useradd alice \
    > /dev/null 2>&1
check "gatehouse-admin useradd" "$?" 0
"$GH_ADMIN" -c "$GH_CONF" key generate ES256 > /dev/null 2>&1
check "gatehouse-admin key generate" "$?" 0
check "the user and key are in PostgreSQL" \
    "$(gh_sql 'SELECT count(*) FROM users'), $(gh_sql 'SELECT count(*) FROM signing_keys')" \
    "1, 1"
start_lighttpd
COOKIE=__Host-gh_sid

check_login_flow "postgresql" "$BASE_URL" ""
SID=$FLOW_SID
check "the session is a row in PostgreSQL" \
    "$(gh_sql "SELECT count(*) FROM sessions WHERE encode(id_hash, 'hex') = '$(printf %s "$SID" | sha256sum | cut -c1-64)'")" 1

# Tokens: a pair, a refresh, and the used refresh token refused.
json_field() {
	sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" "$B"
}
req pair -H 'Content-Type: application/json' \
    --data "{\"username\":\"alice\",\"password\":\"$PASS\"}" \
    "$BASE_URL/token"
RT1=$(json_field refresh_token)
req refresh --data-urlencode "refresh_token=$RT1" "$BASE_URL/token/refresh"
check "refresh is 200" "$STATUS" 200
RT2=$(json_field refresh_token)
AT2=$(json_field access_token)
req bearer -H "Authorization: Bearer $AT2" "$BASE_URL/whoami"
check "the refreshed access token works" "$STATUS" 200
req replay --data-urlencode "refresh_token=$RT1" "$BASE_URL/token/refresh"
check "a used refresh token is refused" "$STATUS" 400
req after-replay --data-urlencode "refresh_token=$RT2" \
    "$BASE_URL/token/refresh"
check "and its family with it" "$STATUS" 400
check "the family's access tokens are revoked" \
    "$(gh_sql "SELECT count(*) FROM revoked_tokens")" 2

# A failed login is counted in PostgreSQL.
form wrong --data-urlencode username=alice \
    --data-urlencode password=wrong "$BASE_URL/login"
check "a wrong password is refused" "$STATUS" 401
check "and counted" "$(gh_sql 'SELECT count(*) FROM login_failures')" 1

# The database server stops: requests that need it fail with 503 and a
# log line, and succeed again once it is back.
pg_stop
req down -H "Cookie: $COOKIE=$SID" "$BASE_URL/whoami"
check "with PostgreSQL stopped, whoami is 503" "$STATUS" 503
sleep 0.2
check_grep "the log says why" "$GH_STATE/lighttpd.out" \
    'warn: .*store: .*(connect|terminat|server closed)'
check_no_grep "the log holds no session id" "$GH_STATE/lighttpd.out" "$SID"
pg_ctl_start
check "PostgreSQL is back" "$?" 0
req back -H "Cookie: $COOKIE=$SID" "$BASE_URL/whoami"
check "then the same session is served again" "$STATUS" 200
check_grep "by the same name" "$B" '"user":"alice"'

# Logout ends the session in PostgreSQL.
form logout -H "Cookie: $COOKIE=$SID" "$BASE_URL/logout"
check "logout is 303" "$STATUS" 303
check "the session row is gone" "$(gh_sql 'SELECT count(*) FROM sessions')" 0
req replayed -H "Cookie: $COOKIE=$SID" "$BASE_URL/whoami"
check "the old cookie is worthless" "$STATUS" 401

# gatehouse-admin copy-to: a SQLite site's data into a new PostgreSQL
# database, whose gatehouse then knows its users and their passwords.
gh_sql 'CREATE DATABASE copied'
COPY_DB="host=$PG_DIR user=gatehouse dbname=copied"
{
	echo "[database]"
	echo "path = $GH_STATE/old.db"
	echo "[password]"
	echo "scrypt_log2n = 12"
} > "$GH_STATE/old.conf"
printf '%s\n' "$PASS" | "$GH_ADMIN" -c "$GH_STATE/old.conf" useradd bob \
    > /dev/null 2>&1
"$GH_ADMIN" -c "$GH_STATE/old.conf" copy-to "$COPY_DB" \
    > "$GH_STATE/copy.out" 2>&1
check "copy-to succeeds" "$?" 0
check_grep "copy-to says what it did" "$GH_STATE/copy.out" \
    "^[0-9]+ rows copied from $GH_STATE/old.db to $COPY_DB\$"
check "bob is in the new database" \
    "$(psql -X -q -t -A "$COPY_DB" -c 'SELECT name FROM users')" bob
sed -e "s|^path = .*|path = $COPY_DB|" "$GH_CONF" > "$GH_STATE/copied.conf"
check "gatehouse-admin on the copy lists bob" \
    "$("$GH_ADMIN" -c "$GH_STATE/copied.conf" users 2>&1 | cut -d' ' -f1)" \
    bob
"$GH_ADMIN" -c "$GH_STATE/old.conf" copy-to "$COPY_DB" \
    > "$GH_STATE/copy2.out" 2>&1
check "copying again is refused" "$?" 1
check_grep "and says why" "$GH_STATE/copy2.out" "already has users"

# gatehouse -t finds a role that may read but not write: the schema was
# made by the owner, and the web server's role was granted too little.
gh_sql "CREATE ROLE web LOGIN"
gh_sql "GRANT SELECT ON ALL TABLES IN SCHEMA public TO web"
sed -e "s|^path = .*|path = host=$PG_DIR user=web dbname=gatehouse|" \
    "$GH_CONF" > "$GH_STATE/web.conf"
GATEHOUSE_CONFIG=$GH_STATE/web.conf "$GH_BIN" -t > "$GH_STATE/t.out" 2>&1
check "gatehouse -t fails for a role that cannot write" "$?" 1
check_grep "and names the tables and the fix" "$GH_STATE/t.out" \
    'store: .*: the role web may not read and write auth_events, key_generation, login_failures, refresh_tokens, revoked_tokens, sessions, signing_keys, users: GRANT SELECT, INSERT, UPDATE, DELETE ON them TO it$'
gh_sql "GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO web"
GATEHOUSE_CONFIG=$GH_STATE/web.conf "$GH_BIN" -t > "$GH_STATE/t.out" 2>&1
check "with the grants, gatehouse -t passes" "$?" 0
check_grep "and says so" "$GH_STATE/t.out" 'database are fine$'
printf '%s\n' "$PASS" | "$GH_ADMIN" -c "$GH_STATE/web.conf" useradd carol \
    > "$GH_STATE/useradd.out" 2>&1
check "and those grants are enough to add a user" "$?" 0

# libpq is loaded only for a PostgreSQL database: with it gone (an empty
# file mounted over it, in a mount namespace of our own), a SQLite site
# still starts, and a PostgreSQL one says what is missing.
LIBPQ=$(ldconfig -p | sed -n 's/^[[:space:]]*libpq\.so\.5 .* => //p' |
    head -1)
without_libpq() {
	unshare -m sh -c 'mount --bind /dev/null "$0" && exec "$@"' \
	    "$LIBPQ" env "$@"
}
if [ "$(id -u)" -eq 0 ] && [ -n "$LIBPQ" ] && without_libpq true \
    > /dev/null 2>&1; then
	{
		cat "$GH_STATE/old.conf"
		echo "[server]"
		echo "www = ${GH_WWW:-$top_srcdir/www}"
	} > "$GH_STATE/lite.conf"
	without_libpq GATEHOUSE_CONFIG="$GH_STATE/lite.conf" "$GH_BIN" -t \
	    > "$GH_STATE/nolib.out" 2>&1
	check "without libpq, a SQLite site passes gatehouse -t" "$?" 0
	without_libpq GATEHOUSE_CONFIG="$GH_STATE/web.conf" "$GH_BIN" -t \
	    > "$GH_STATE/nolib.out" 2>&1
	check "without libpq, a PostgreSQL site fails gatehouse -t" "$?" 1
	check_grep "and the log says why" "$GH_STATE/nolib.out" \
	    'store: a PostgreSQL database is configured, but libpq cannot be loaded \(.*\): apt-get install libpq5$'
else
	ok "# SKIP libpq cannot be hidden here (needs root and unshare)"
fi

gh_done
