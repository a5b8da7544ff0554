#!/bin/bash
# A user's own sessions and password through a real lighttpd, driven with
# curl: two logins of one user, the list (JSON and page), revoking one
# session and all others with the password given again, and a password
# change that ends the other sessions and keeps this browser logged in
# under a new id. Output is TAP.

. "$top_srcdir/tests/integration/lib.sh"
command -v curl > /dev/null || skip_all "curl is not installed"
command -v openssl > /dev/null || skip_all "openssl is not installed"

gh_setup
start_lighttpd
PASS='correct horse battery'
NEWPASS='zebra lantern quietly'
FIREFOX='Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'
for u in alice bob; do
	printf '%s\n' "$PASS" | "$GH_ADMIN" -c "$GH_CONF" useradd $u \
	    > /dev/null 2>&1
	check "gatehouse-admin useradd $u" "$?" 0
done
COOKIE=__Host-gh_sid

# login NAME USER PASSWORD [curl args]: the session id, or nothing.
login() {
	local name=$1 user=$2 pw=$3
	shift 3
	form "$name" "$@" --data-urlencode "username=$user" \
	    --data-urlencode "password=$pw" "$BASE_URL/login"
	header Set-Cookie | sed -n "s/^$COOKIE=\([A-Za-z0-9_-]*\);.*/\1/p"
}

# handle SID: the name the pages give the session (session_handle): the
# SHA-256 of its stored hash, itself the SHA-256 of the id, 16 digits.
handle() {
	printf '%s' "$1" | openssl dgst -sha256 -binary |
	    openssl dgst -sha256 | sed 's/.*= *//' | cut -c1-16
}

# who SID: the status of /whoami with that session.
who() {
	curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE=$1" \
	    "$BASE_URL/whoami"
}

# post NAME SID PAGE PATH [curl args]: a form of PAGE (which gives the
# CSRF token) posted to PATH, as the browser holding SID would.
post() {
	local name=$1 sid=$2 page=$3 path=$4 token set
	shift 4
	curl -s -o "$GH_STATE/$name.form" -D "$GH_STATE/$name.fh" \
	    -H 'Accept: text/html' \
	    -H "Cookie: $COOKIE=$sid${CSRF_COOKIE:+; $CSRF_COOKIE}" \
	    "$BASE_URL$page"
	set=$(tr -d '\r' < "$GH_STATE/$name.fh" | sed -n \
	    's/^[Ss]et-[Cc]ookie: \([^=;]*_csrf=[^;]*\);.*/\1/p')
	[ -n "$set" ] && CSRF_COOKIE=$set
	token=$(sed -n 's/.*name="csrf" value="\([A-Za-z0-9_-]*\)".*/\1/p' \
	    "$GH_STATE/$name.form" | head -1)
	req "$name" -H "Cookie: $COOKIE=$sid; $CSRF_COOKIE" \
	    --data-urlencode "csrf=$token" "$@" "$BASE_URL$path"
}

# Two logins of alice, from two browsers, and one of bob.
SA=$(login login-a alice "$PASS" -A "$FIREFOX")
SB=$(login login-b alice "$PASS")
BOB=$(login login-bob bob "$PASS")
check "two logins of alice and one of bob" "${#SA} ${#SB} ${#BOB}" "43 43 43"

# The list, as JSON for a client that does not ask for HTML.
req list-json -H "Cookie: $COOKIE=$SA" "$BASE_URL/sessions"
check "GET /sessions as JSON is 200" "$STATUS" 200
check "JSON: alice's two sessions" \
    "$(grep -o '"handle":"[0-9a-f]*"' "$B" | sort | tr '\n' ' ')" \
    "$(printf '"handle":"%s"\n' "$(handle "$SA")" "$(handle "$SB")" |
    sort | tr '\n' ' ')"
check_grep "JSON: this one is Firefox on Linux" "$B" \
    "\"handle\":\"$(handle "$SA")\"[^}]*\"agent\":\"Firefox on Linux\"[^}]*\"current\":true"
check_grep "JSON: the other one is curl" "$B" \
    "\"handle\":\"$(handle "$SB")\"[^}]*\"agent\":\"curl\"[^}]*\"current\":false"
check_grep "JSON: the address" "$B" '"address":"127\.0\.0\.1"'
check_no_grep "JSON: no session id" "$B" "$SB"
check_security_headers "sessions JSON"

# The page.
req list-page -H 'Accept: text/html' -H "Cookie: $COOKIE=$SA" \
    "$BASE_URL/sessions"
check "GET /sessions page is 200" "$STATUS" 200
check_grep "page: this session is marked" "$B" 'This session'
check_grep "page: the other one can be chosen" "$B" \
    "name=\"session\" value=\"$(handle "$SB")\""
check_no_grep "page: bob's is not there" "$B" "$(handle "$BOB")"
check_no_grep "page: no session id" "$B" "$SA"
check_grep "page: the form has its CSRF token" "$B" \
    'name="csrf" value="[A-Za-z0-9_-]{43}"'
check_security_headers "sessions page"
req list-anon -H 'Accept: text/html' "$BASE_URL/sessions"
check "no session: to the login page" "$STATUS $(header Location)" \
    "303 /login?next=/sessions"

# Revoking asks for the password, and only ends one's own sessions.
post revoke-wrong "$SA" /sessions /sessions/revoke \
    --data-urlencode revoke=one --data-urlencode "session=$(handle "$SB")" \
    --data-urlencode password=nope
check "revoke with a wrong password is 403" "$STATUS" 403
check "it ended nothing" "$(who "$SB")" 200
post revoke-bobs "$SA" /sessions /sessions/revoke \
    --data-urlencode revoke=one \
    --data-urlencode "session=$(handle "$BOB")" \
    --data-urlencode "password=$PASS"
check "revoking bob's session is 404" "$STATUS" 404
check_grep "and says so" "$B" 'None of your sessions has that name'
check "bob's session lives" "$(who "$BOB")" 200
req revoke-no-csrf -H "Cookie: $COOKIE=$SA" --data-urlencode revoke=others \
    --data-urlencode "password=$PASS" "$BASE_URL/sessions/revoke"
check "revoke without the CSRF token is 403" "$STATUS" 403
check "it ended nothing either" "$(who "$SB")" 200
post revoke-b "$SA" /sessions /sessions/revoke \
    --data-urlencode revoke=one --data-urlencode "session=$(handle "$SB")" \
    --data-urlencode "password=$PASS"
check "revoking the other session is 200" "$STATUS" 200
check_grep "and says so" "$B" 'The chosen session was logged out\.'
check "the other session is gone" "$(who "$SB")" 401
check "this one lives" "$(who "$SA")" 200

SC=$(login login-c alice "$PASS")
SD=$(login login-d alice "$PASS")
post revoke-others "$SA" /sessions /sessions/revoke \
    --data-urlencode revoke=others --data-urlencode "password=$PASS"
check "log out all others is 200" "$STATUS" 200
check "all others are gone" "$(who "$SC") $(who "$SD")" "401 401"
check "this one lives on" "$(who "$SA")" 200
check "bob's still lives" "$(who "$BOB")" 200

# A password change: a weak one is refused with the reason.
SE=$(login login-e alice "$PASS")
post password-weak "$SA" /password /password \
    --data-urlencode "current=$PASS" --data-urlencode new=password1234 \
    --data-urlencode repeat=password1234
check "a weak new password is 400" "$STATUS" 400
check_grep "with a helpful message" "$B" \
    'This password is too easy to guess: .*a few unrelated words make a good password\.'
check "nothing ended" "$(who "$SE")" 200

post password "$SA" /password /password -A "$FIREFOX" \
    --data-urlencode "current=$PASS" --data-urlencode "new=$NEWPASS" \
    --data-urlencode "repeat=$NEWPASS"
check "POST /password is 200" "$STATUS" 200
check_grep "it says the others ended" "$B" 'Your 1 other session and API login ended\.'
SA2=$(header Set-Cookie | sed -n "s/^$COOKIE=\([A-Za-z0-9_-]*\);.*/\1/p")
check "this browser gets a new session id" "${#SA2} $([ "$SA2" != "$SA" ] &&
    echo new)" "43 new"
check "the new id works, the old one not" "$(who "$SA2") $(who "$SA")" \
    "200 401"
check "the other session ended" "$(who "$SE")" 401
check "bob's session lives" "$(who "$BOB")" 200
check "the old password no longer logs in" \
    "$(login login-old alice "$PASS")" ""
check "the new one does" "$(login login-new alice "$NEWPASS" | wc -c)" 44

# gatehouse-admin lists the same details.
"$GH_ADMIN" -c "$GH_CONF" sessions alice > "$GH_STATE/admin-sessions.out" 2>&1
check_grep "admin sessions shows the browser and address" \
    "$GH_STATE/admin-sessions.out" \
    '^[0-9a-f]{12}  alice .* Firefox on Linux from 127\.0\.0\.1$'

# gatehouse-admin holds new passwords to the same policy.
printf 'password1234\n' | "$GH_ADMIN" -c "$GH_CONF" passwd bob \
    > "$GH_STATE/admin.out" 2>&1
check "admin passwd refuses a weak password" "$?" 1
check_grep "with the same message" "$GH_STATE/admin.out" \
    'too easy to guess'
check "bob's session survived the refusal" "$(who "$BOB")" 200

# The log names what happened, never a password or a session id.
sleep 0.2
cat "$GH_STATE/lighttpd.out" "$GH_STATE/error.log" > "$GH_STATE/log" \
    2>/dev/null
check_grep "the log names the revocation" "$GH_STATE/log" \
    'sessions: alice logged out 2 other sessions and token logins$'
check_grep "the log names the change" "$GH_STATE/log" \
    'password: alice changed their password; 1 other session and token login ended$'
for secret in "$PASS" "$NEWPASS" "$SA" "$SA2" "$SB" "$(handle "$SB")"; do
	check_no_grep "no secret in the log" "$GH_STATE/log" "$secret"
done

gh_done
