#!/bin/bash
# Login throttling and the audit trail through a real lighttpd: the
# threshold, 429 with Retry-After on /login and /token, the same answer
# for an unknown name, recovery after the wait, the owner from a clean
# address, gatehouse-admin unlock and events, and the client address
# behind a trusted proxy (X-Forwarded-For believed from 127.0.0.2 only).
# Short windows keep it quick. Output is TAP.

. "$top_srcdir/tests/integration/lib.sh"
command -v curl > /dev/null || skip_all "curl is not installed"
gh_need_sql_client

gh_setup "trusted_proxies = 127.0.0.2" "[tokens]" "mode = both" \
    "[throttle]" "account_threshold = 3" "address_threshold = 100" \
    "window = 30s" "backoff_base = 4s" "backoff_max = 8s" \
    "account_hourly_max = 6"
start_lighttpd
PASS='correct horse battery'
printf '%s\n' "$PASS" | "$GH_ADMIN" -c "$GH_CONF" useradd alice \
    > /dev/null 2>&1
check "gatehouse-admin useradd" "$?" 0

# login NAME USER PASSWORD [curl args]: a form login with its CSRF
# token, as form NAME (lib.sh).
login() {
	local name=$1 user=$2 pw=$3
	shift 3
	form "$name" --data-urlencode "username=$user" \
	    --data-urlencode "password=$pw" "$@" "$BASE_URL/login"
}

# fail_times N USER [curl args]: N wrong passwords, each must be 401.
fail_times() {
	local n=$1 user=$2 i got=""
	shift 2
	for i in $(seq "$n"); do
		login "fail-$user-$i" "$user" wrong "$@"
		got="$got$STATUS "
	done
	check "$n wrong passwords for $user are 401" "$got" \
	    "$(printf '401 %.0s' $(seq "$n"))"
}

failures() {
	gh_sql "SELECT count(*) FROM login_failures WHERE $1"
}

name_hash() {
	printf '%s' "$1" | sha256sum | cut -c1-64
}

# The threshold: the next attempt is 429, the right password included.
fail_times 3 alice
login locked alice "$PASS"
check "past the threshold: 429" "$STATUS" 429
check_grep "Retry-After is the back-off" "$H" '^Retry-After: [1-4]$'
check_grep "the page says why" "$B" 'Too many failed logins'
check "no cookie while throttled" "$(header_count Set-Cookie)" 0
check_security_headers "429 page"
check "a throttled attempt is not counted" \
    "$(failures "$(gh_sql_hex name_hash) = '$(name_hash alice)'")" 3
RETRY=$(header Retry-After)
cp "$B" "$GH_STATE/alice-429.body"

# /token shares the count, and answers in JSON.
req token-locked -H 'Content-Type: application/json' \
    --data "{\"username\":\"alice\",\"password\":\"$PASS\"}" \
    "$BASE_URL/token"
check "/token is 429 too" "$STATUS" 429
check_grep "/token's Retry-After" "$H" '^Retry-After: [1-4]$'
check_grep "/token's error" "$B" '"error":"temporarily_unavailable"'

# An unknown name: counted the same, the same 429 page.
fail_times 3 nobody-7f3a
login unknown-locked nobody-7f3a wrong
check "an unknown name is throttled alike" "$STATUS" 429
# The wait it names may be a second shorter: the clock moved on.
same_page() {
	sed -E 's/[0-9]+ seconds?/N seconds/' "$1" | md5sum
}
check "the same 429 page for an unknown name" \
    "$(same_page "$B")" "$(same_page "$GH_STATE/alice-429.body")"

# Recovery: after Retry-After the right password gets in and clears.
sleep "$RETRY"
login recovered alice "$PASS"
check "after Retry-After the right password is 303" "$STATUS" 303
check "the login forgot alice's failures" \
    "$(failures "$(gh_sql_hex name_hash) = '$(name_hash alice)'")" 0

# The owner from a clean address gets in while a stranger locks it.
fail_times 3 alice
login relocked alice "$PASS"
check "locked again from the stranger's address" "$STATUS" 429
login owner alice "$PASS" --interface 127.0.0.3
check "the owner from a clean address gets in" "$STATUS" 303
login after-owner alice wrong
check "the owner's login cleared the lock" "$STATUS" 401

# gatehouse-admin unlock.
fail_times 2 alice
login relocked2 alice "$PASS"
check "locked a third time" "$STATUS" 429
"$GH_ADMIN" -c "$GH_CONF" unlock alice > "$GH_STATE/unlock.out" 2>/dev/null
check "gatehouse-admin unlock alice" "$?" 0
check "unlock says what it forgot" "$(cat "$GH_STATE/unlock.out")" \
    "user alice unlocked: 3 failed logins forgotten"
login unlocked alice "$PASS"
check "after unlock the right password is 303" "$STATUS" 303

# X-Forwarded-For from an untrusted peer is ignored: the failures are
# the peer's, and a spoofed clean address does not pass a lock.
fail_times 3 carol -H 'X-Forwarded-For: 198.51.100.50'
check "failures are counted for the real peer" \
    "$(failures "$(gh_sql_hex name_hash) = '$(name_hash carol)' AND
    addr = '127.0.0.1'")" 3
check "none for the spoofed address" \
    "$(failures "addr = '198.51.100.50'")" 0
login spoofed-clean carol wrong -H 'X-Forwarded-For: 192.0.2.200'
check "a spoofed clean address is still throttled" "$STATUS" 429

# From the trusted proxy the rightmost untrusted hop is the client:
# a stranger behind it locks dave, another client behind it gets in.
printf '%s\n' "$PASS" | "$GH_ADMIN" -c "$GH_CONF" useradd dave \
    > /dev/null 2>&1
fail_times 3 dave --interface 127.0.0.2 \
    -H 'X-Forwarded-For: 192.0.2.99, 203.0.113.66'
check "the proxied client's failures are its own" \
    "$(failures "$(gh_sql_hex name_hash) = '$(name_hash dave)' AND
    addr = '203.0.113.66'")" 3
login proxied-stranger dave "$PASS" --interface 127.0.0.2 \
    -H 'X-Forwarded-For: 203.0.113.66'
check "the stranger behind the proxy is throttled" "$STATUS" 429
login proxied-owner dave "$PASS" --interface 127.0.0.2 \
    -H 'X-Forwarded-For: 203.0.113.66, 198.51.100.8'
check "another client behind the proxy gets in" "$STATUS" 303

# The hourly cap holds under a burst: twelve attempts at once, each from
# a clean address behind the proxy, and two workers to serve them. Only
# six reach the password check; the others are refused.
curl -s -o "$GH_STATE/burst-form.body" -D "$GH_STATE/burst-form.head" \
    "$BASE_URL/login"
BURST_COOKIE=$(tr -d '\r' < "$GH_STATE/burst-form.head" |
    sed -n 's/^[Ss]et-[Cc]ookie: \([^=;]*_csrf=[^;]*\);.*/\1/p')
BURST_CSRF=$(sed -n 's/.*name="csrf" value="\([A-Za-z0-9_-]*\)".*/\1/p' \
    "$GH_STATE/burst-form.body" | head -1)
pids=""
for i in $(seq 12); do
	curl -s -o /dev/null -w '%{http_code}\n' --interface 127.0.0.2 \
	    -H "X-Forwarded-For: 198.18.0.$i" -H "Cookie: $BURST_COOKIE" \
	    --data-urlencode "csrf=$BURST_CSRF" --data-urlencode username=erin \
	    --data-urlencode password=wrong "$BASE_URL/login" \
	    > "$GH_STATE/burst.$i" &
	pids="$pids $!"
done
for pid in $pids; do
	wait "$pid"
done
check "a burst: six 401 and six 429" \
    "$(cat "$GH_STATE"/burst.* | sort | uniq -c | tr -s ' ' | tr '\n' ';')" \
    " 6 401; 6 429;"
check "a burst: six failures counted, no more" \
    "$(failures "$(gh_sql_hex name_hash) = '$(name_hash erin)'")" 6
login capped erin wrong --interface 127.0.0.2 \
    -H 'X-Forwarded-For: 198.18.1.1'
RETRY=$(header Retry-After)
check "past the cap even a clean address is refused" "$STATUS" 429
check "and waits until the first of the six is an hour old" \
    "$([ "${RETRY:-0}" -ge 3540 ] && [ "$RETRY" -le 3600 ] && echo yes)" yes

# The audit trail, in the database and in the log.
"$GH_ADMIN" -c "$GH_CONF" events --user alice > "$GH_STATE/events.out" \
    2>/dev/null
check "gatehouse-admin events --user alice" "$?" 0
check_grep "events: a failure" "$GH_STATE/events.out" \
    '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z  login_failure +'\
'wrong_password +127\.0\.0\.1 +alice$'
check_grep "events: the lockout" "$GH_STATE/events.out" \
    '  lockout +backoff +127\.0\.0\.1 +alice$'
check_grep "events: the owner's login" "$GH_STATE/events.out" \
    '  login_success +ok +127\.0\.0\.3 +alice$'
check_grep "events: the unlock" "$GH_STATE/events.out" \
    '  unlock +admin +- +alice$'
check_no_grep "events --user alice: only alice" "$GH_STATE/events.out" \
    ' dave'
check "events: one line per event" "$(wc -l < "$GH_STATE/events.out")" \
    "$(gh_sql "SELECT count(*) FROM auth_events WHERE \"user\" = 'alice'")"
"$GH_ADMIN" -c "$GH_CONF" events --since 1h > "$GH_STATE/events-all.out" \
    2>/dev/null
check_grep "events --since 1h: the proxied client" \
    "$GH_STATE/events-all.out" '  login_success +ok +198\.51\.100\.8 +dave$'
check_grep "events: an unknown name is not written down" \
    "$GH_STATE/events-all.out" '  login_failure +unknown_user +127\.0\.0\.1 +-$'
check_no_grep "events: no unknown name" "$GH_STATE/events-all.out" \
    nobody-7f3a
"$GH_ADMIN" -c "$GH_CONF" events --since 2999-01-01 \
    > "$GH_STATE/events-future.out" 2>/dev/null
check "events --since a future date: none" \
    "$(wc -l < "$GH_STATE/events-future.out")" 0
"$GH_ADMIN" -c "$GH_CONF" events --since yesterday > /dev/null 2>&1
check "events --since nonsense is a usage error" "$?" 2

"$GH_ADMIN" -c "$GH_CONF" gc > "$GH_STATE/gc.out" 2>/dev/null
check "gc" "$?" 0
check "gc keeps the failed logins of the last hour" \
    "$(sed -n 3p "$GH_STATE/gc.out")" \
    "0 failed logins older than an hour removed"

sleep 0.2
cat "$GH_STATE/lighttpd.out" "$GH_STATE/error.log" > "$GH_STATE/log" \
    2>/dev/null
check_grep "the log has the lockout" "$GH_STATE/log" \
    'addr=127\.0\.0\.1 audit: lockout outcome=backoff '\
'addr=127\.0\.0\.1 user=alice$'
check_grep "the log has the throttled attempt" "$GH_STATE/log" \
    'login: throttled, the user name is locked; retry in [0-9]+s$'
check_no_grep "no password in the log" "$GH_STATE/log" "$PASS"

gh_done
