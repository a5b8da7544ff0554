#!/bin/bash
# Two sites sharing one PostgreSQL store, as two web servers of one site
# would: two lighttpd on two ports, each with its own gatehouse workers,
# one configuration (the same database, secrets and keys). A session and
# a refresh token made on one serve on the other, a logout on one ends
# the session on both, and failed logins count wherever they were
# tried. Output is TAP.

. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/pg.sh"
command -v curl > /dev/null || skip_all "curl is not installed"
pg_skip_unless_usable
trap pg_remove EXIT
pg_start_or_bail
GH_DATABASE=$GH_PG

# A back-off long enough that a slow machine cannot outlast it.
gh_setup "[tokens]" "mode = both" "[throttle]" "account_threshold = 3" \
    "address_threshold = 100" "window = 5m" "backoff_base = 60s" \
    "backoff_max = 120s"
PASS='correct horse battery'
printf '%s\n' "$PASS" | "$GH_ADMIN" -c "$GH_CONF" useradd alice \
    > /dev/null 2>&1
"$GH_ADMIN" -c "$GH_CONF" key generate ES256 > /dev/null 2>&1
check "the setup is made" "$?" 0

# Site A in the state folder of gh_setup, site B in one of its own (for
# lighttpd's socket and logs); gh_cleanup stops both.
start_lighttpd
URL_A=$BASE_URL
STATE_A=$GH_STATE
GH_STATE=$(mktemp -d /tmp/gatehouse-it.XXXXXX)
STATE_B=$GH_STATE
start_lighttpd
URL_B=$BASE_URL
GH_STATE=$STATE_A
trap 'gh_cleanup; rm -rf "$STATE_B"; pg_remove' EXIT
check "two sites on two ports" "$([ "$URL_A" != "$URL_B" ] && echo yes)" yes
COOKIE=__Host-gh_sid

SID=$(sid_of_login "$URL_A/login" alice "$PASS")
check "a login on A" "${#SID}" 43
req b-whoami -H "Cookie: $COOKIE=$SID" "$URL_B/whoami"
check "A's session serves on B" "$STATUS" 200
check_grep "as alice" "$B" '"user":"alice"'
req b-private -H "Cookie: $COOKIE=$SID" "$URL_B/private/"
check "and opens B's private pages" "$STATUS" 200

json_field() {
	sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" "$B"
}
req pair-a -H 'Content-Type: application/json' \
    --data "{\"username\":\"alice\",\"password\":\"$PASS\"}" "$URL_A/token"
RT1=$(json_field refresh_token)
req refresh-b --data-urlencode "refresh_token=$RT1" "$URL_B/token/refresh"
check "A's refresh token is exchanged on B" "$STATUS" 200
AT2=$(json_field access_token)
RT2=$(json_field refresh_token)
req bearer-a -H "Authorization: Bearer $AT2" "$URL_A/whoami"
check "B's access token serves on A" "$STATUS" 200
req replay-a --data-urlencode "refresh_token=$RT1" "$URL_A/token/refresh"
check "the used refresh token is refused on A" "$STATUS" 400
req family-b --data-urlencode "refresh_token=$RT2" "$URL_B/token/refresh"
check "and its family on B" "$STATUS" 400
req revoked-b -H "Authorization: Bearer $AT2" "$URL_B/whoami"
check "the family's access token is revoked on B" "$STATUS" 401

form logout-b -H "Cookie: $COOKIE=$SID" "$URL_B/logout"
check "logout on B" "$STATUS" 303
req a-after -H "Cookie: $COOKIE=$SID" "$URL_A/whoami"
check "the session is over on A too" "$STATUS" 401

# Failed logins: two on A and one on B reach the threshold of 3.
login() {
	form "$1" --data-urlencode username=alice \
	    --data-urlencode "password=$2" "$3/login"
}
login fail-a1 wrong "$URL_A"
login fail-a2 wrong "$URL_A"
login fail-b1 wrong "$URL_B"
check "the third wrong password, on B, is 401" "$STATUS" 401
login locked-a "$PASS" "$URL_A"
check "then A refuses even the right one: 429" "$STATUS" 429
login locked-b "$PASS" "$URL_B"
check "and so does B" "$STATUS" 429

gh_done
