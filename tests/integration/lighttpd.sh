#!/bin/bash
# The browser login flow through a real lighttpd, which spawns the built
# gatehouse as a FastCGI application, with a real SQLite file (or the
# PostgreSQL database of postgresql-lighttpd.sh); driven with curl.
# Output is TAP.

. "$top_srcdir/tests/integration/lib.sh"
command -v curl > /dev/null || skip_all "curl is not installed"
gh_need_sql_client

# One page has a header policy of its own ([headers "/path"]), to see
# that it applies there and nowhere else.
gh_setup "trusted_proxies = 127.0.0.2" "[authorizer]" "login_url = /login" \
    '[headers "/private/example.html"]' \
    "frame = sameorigin https://portal.example" \
    "permissions_policy = fullscreen=(self)" "x_xss_protection ="
EXAMPLE_HEADERS=("X-Frame-Options|"
    "Content-Security-Policy|${GH_CSP% *} 'self' https://portal.example"
    "Permissions-Policy|fullscreen=(self)" "X-XSS-Protection|")
start_lighttpd
PASS='correct horse battery'
printf '%s\n' "$PASS" | "$GH_ADMIN" -c "$GH_CONF" useradd alice \
    > /dev/null 2>&1
check "gatehouse-admin useradd" "$?" 0
COOKIE=__Host-gh_sid

# The login page: a form, the headers, and for a visitor no cookie but
# the CSRF nonce.
req login-page "$BASE_URL/login"
check "GET /login is 200" "$STATUS" 200
check_grep "login page has the form" "$B" 'name="username"'
check_grep "login form has its CSRF token" "$B" \
    'name="csrf" value="[A-Za-z0-9_-]{43}"'
check "login page sets one cookie" "$(header_count Set-Cookie)" 1
check_grep "the one cookie is the CSRF nonce" "$H" \
    '^Set-Cookie: __Host-gh_sid_csrf=[A-Za-z0-9_-]{43}; Path=/; Max-Age=43200; Secure; HttpOnly; SameSite=Lax$'
check_security_headers "login page"
check "visitors leave no session row" \
    "$(gh_sql 'SELECT count(*) FROM sessions')" 0

# Static files are lighttpd's.
req style "$BASE_URL/style.css"
check "stylesheet served by lighttpd" "$STATUS" 200
check "stylesheet type" "$(header Content-Type)" "text/css; charset=utf-8"
check_security_headers "stylesheet (lighttpd)" "Cache-Control|"

# A protected page without a session: the way to the login page.
req anon-private "$BASE_URL/private/example.html"
check "anonymous /private/ is 303" "$STATUS" 303
check "to the login page with next" "$(header Location)" \
    "/login?next=/private/example.html"
check_security_headers "login redirect" "${EXAMPLE_HEADERS[@]}"
req anon-index "$BASE_URL/private/"
check "anonymous /private/ is 303 too" "$STATUS" 303
check_security_headers "login redirect, no override"

# CSRF: a login form without its token, or from another site, is
# refused (403) and logs nobody in.
req csrf-none --data-urlencode username=alice --data-urlencode "password=$PASS" \
    "$BASE_URL/login"
check "a login without the CSRF token is 403" "$STATUS" 403
check "and sets no session" "$(grep -c '__Host-gh_sid=' "$H")" 0
check_grep "and shows the form again" "$B" 'The login form had expired'
form csrf-origin -H 'Origin: https://evil.example' \
    --data-urlencode username=alice --data-urlencode "password=$PASS" \
    "$BASE_URL/login"
check "a login posted from another origin is 403" "$STATUS" 403
check_grep "which says so" "$B" 'came from another site'
form csrf-fetch -H 'Sec-Fetch-Site: cross-site' \
    --data-urlencode username=alice --data-urlencode "password=$PASS" \
    "$BASE_URL/login"
check "a login marked Sec-Fetch-Site: cross-site is 403" "$STATUS" 403
form csrf-same-origin -H "Origin: http://127.0.0.1:$PORT" \
    -H 'Sec-Fetch-Site: same-origin' --data-urlencode username=alice \
    --data-urlencode password=nope "$BASE_URL/login"
check "a same-origin form is judged on its password" "$STATUS" 401

# Wrong password: 401, the form again, a generic message, no cookie.
form wrong --data-urlencode username=alice --data-urlencode password=nope \
    "$BASE_URL/login"
check "wrong password is 401" "$STATUS" 401
check_grep "generic message" "$B" 'Wrong user name or password\.'
check "no cookie on failure" "$(header_count Set-Cookie)" 0
check_security_headers "failed login"
form unknown --data-urlencode username=nobody --data-urlencode password=nope \
    "$BASE_URL/login"
check "unknown user is 401 too" "$STATUS" 401
check "same page for unknown user" "$(sed s/nobody/alice/ "$B" | md5sum)" \
    "$(md5sum < "$GH_STATE/wrong.body")"

# Login.
form login --data-urlencode username=alice --data-urlencode "password=$PASS" \
    "$BASE_URL/login"
check "login is 303" "$STATUS" 303
check "login leads to /private/" "$(header Location)" /private/
check_security_headers "login"
SET_COOKIE=$(header Set-Cookie)
SID=$(printf '%s' "$SET_COOKIE" | sed -n "s/^$COOKIE=\([A-Za-z0-9_-]*\);.*/\1/p")
check "session id is 43 base64url characters" "${#SID}" 43
check "cookie attributes" "${SET_COOKIE#*;}" \
    " Path=/; Max-Age=43200; Secure; HttpOnly; SameSite=Lax"
check "the database keeps the hash, not the id" \
    "$(gh_sql "SELECT count(*) FROM sessions WHERE $(gh_sql_hex id_hash) = '$(printf %s "$SID" | sha256sum | cut -c1-64)'")" 1

# The protected pages and /whoami with the session.
req private -H "Cookie: $COOKIE=$SID" "$BASE_URL/private/"
check "protected page is 200" "$STATUS" 200
check_grep "protected page names the user" "$B" 'alice'
check_grep "protected page has a logout button" "$B" \
    'action="/logout"'
check_security_headers "protected page"
req example -H "Cookie: $COOKIE=$SID" "$BASE_URL/private/example.html"
check "second protected page is 200" "$STATUS" 200
check_security_headers "private file with an override" "${EXAMPLE_HEADERS[@]}"
req example-below -H "Cookie: $COOKIE=$SID" \
    "$BASE_URL/private/example.html/x"
check "below a file is 404" "$STATUS" 404
check_security_headers "404 below the override" "${EXAMPLE_HEADERS[@]}"
req example-beside -H "Cookie: $COOKIE=$SID" \
    "$BASE_URL/private/example.htmlx"
check "beside it is 404" "$STATUS" 404
check_security_headers "404 beside the override"
req missing -H "Cookie: $COOKIE=$SID" "$BASE_URL/private/nope.html"
check "missing protected page is 404" "$STATUS" 404
check_security_headers "404 page"
req whoami -H "Cookie: $COOKIE=$SID" "$BASE_URL/whoami"
check "whoami is 200" "$STATUS" 200
check "whoami names alice" "$(jq -r .user < "$B" 2>/dev/null ||
    sed -n 's/.*"user":"\([^"]*\)".*/\1/p' "$B")" alice
check_grep "whoami gives the expiry" "$B" '"expires":"[0-9]{4}-'
check_security_headers "whoami"
req api -H "Cookie: $COOKIE=$SID" "$BASE_URL/api/hello"
check "/api/ with a session is 200" "$STATUS" 200
check "/api/ answers JSON" "$(header Content-Type)" application/json
check_security_headers "API answer"
req api-anon "$BASE_URL/api/hello"
check "/api/ without a session is 401" "$STATUS" 401
check_security_headers "API refusal"

# /members/: lighttpd's own files and a CGI program, guarded by
# Gatehouse in the authorizer role.
EXPIRED_SID=$(sid_of_login "$BASE_URL/login" alice "$PASS")
expire_session "$EXPIRED_SID"
check_gate "authorizer: static" "$BASE_URL/members/" \
    "A members-only page" "303 /login?next=/members/"
check_security_headers "authorizer: static"
req members-anon -H 'Accept: text/html' "$BASE_URL/members/"
check "authorizer: Gatehouse's refusal" "$STATUS" 303
check_security_headers "authorizer: refusal"
check_gate "authorizer: CGI" "$BASE_URL/members/who.cgi" \
    "A members-only program" "303 /login?next=/members/who.cgi"
req members-who -H "Cookie: $COOKIE=$SID" "$BASE_URL/members/who.cgi"
check "authorizer: the CGI program learns the user" \
    "$(sed -n '2,4p' "$B" | tr '\n' ' ')" \
    "REMOTE_USER=alice USER=alice AUTH_METHOD=cookie "
req members-query -H 'Accept: text/html' \
    "$BASE_URL/members/who.cgi?a=1&b=%2F"
check "authorizer: the way back keeps the query" "$(header Location)" \
    "/login?next=/members/who.cgi%3Fa%3D1%26b%3D%252F"
# A sibling subdomain's form carries the SameSite=Lax cookie: the
# authorizer does not vouch for it, and the program never runs.
req members-sibling -H "Cookie: $COOKIE=$SID" -H 'Accept: text/html' \
    -H 'Sec-Fetch-Site: same-site' --data 'a=1' "$BASE_URL/members/who.cgi"
check "authorizer: a cross-site POST is 403" "$STATUS" 403
check_no_grep "authorizer: the program did not run" "$B" "REMOTE_USER"
check_security_headers "authorizer: cross-site refusal"
req members-post -H "Cookie: $COOKIE=$SID" -H 'Sec-Fetch-Site: same-origin' \
    --data 'a=1' "$BASE_URL/members/who.cgi"
check "authorizer: a same-origin POST gets through" \
    "$STATUS $(sed -n 2p "$B")" "200 REMOTE_USER=alice"

# Logout, then the old cookie is worthless.
req logout-no-csrf --data '' -H "Cookie: $COOKIE=$SID" "$BASE_URL/logout"
check "a logout without the CSRF token is 403" "$STATUS" 403
req still-in -H "Cookie: $COOKIE=$SID" "$BASE_URL/whoami"
check "and the session goes on" "$STATUS" 200
form logout -H "Cookie: $COOKIE=$SID" "$BASE_URL/logout"
check "logout is 303" "$STATUS" 303
check "logout leads to /logout" "$(header Location)" /logout
check "logout expires the cookie" "$(header Set-Cookie)" \
    "$COOKIE=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Lax"
check_security_headers "logout"
req replay -H "Cookie: $COOKIE=$SID" "$BASE_URL/private/"
check "replayed cookie gets the login redirect" "$STATUS $(header Location)" \
    "303 /login?next=/private/"
req replay-whoami -H "Cookie: $COOKIE=$SID" "$BASE_URL/whoami"
check "replayed cookie: whoami is 401" "$STATUS" 401
check_grep "whoami 401 is JSON" "$B" '"error":"unauthenticated"'

# "next": kept when it is a path here, refused otherwise (F8).
login_next() {
	form "next-$1" --data-urlencode username=alice \
	    --data-urlencode "password=$PASS" --data-urlencode "next=$2" \
	    "$BASE_URL/login"
	check "next $2" "$STATUS $(header Location)" "303 $3"
}
login_next good /private/example.html /private/example.html
login_next query '/private/?tab=2' '/private/?tab=2'
login_next scheme-relative //evil.example /private/
login_next absolute https://evil.example /private/
login_next backslash '/\evil.example' /private/
login_next tab "$(printf '/\t/evil.example')" /private/
login_next encoded '%2F%2Fevil.example' /private/
req next-page "$BASE_URL/login?next=//evil.example"
check_grep "login page drops a hostile next" "$B" 'name="next" value=""'

# The prefix mount: the same application under /auth.
req auth-page "$BASE_URL/auth/login"
check_grep "under /auth the form posts to /auth/login" "$B" \
    'action="/auth/login"'
form auth-login --data-urlencode username=alice \
    --data-urlencode "password=$PASS" "$BASE_URL/auth/login"
check "under /auth login leads to /auth/private/" "$(header Location)" \
    /auth/private/
req auth-anon "$BASE_URL/auth/private/"
check "under /auth the login redirect follows" "$(header Location)" \
    "/auth/login?next=/auth/private/"

# Bad requests.
req put -X PUT "$BASE_URL/login"
check "PUT /login is 405" "$STATUS" 405
check "405 has Allow" "$(header Allow)" "GET, HEAD, POST"
check_security_headers "405 answer"
req json -H 'Content-Type: application/json' \
    --data '{"username":"alice"}' "$BASE_URL/login"
check "JSON login is 415" "$STATUS" 415
head -c 20000 /dev/zero | tr '\0' a > "$GH_STATE/big"
req big --data-binary "@$GH_STATE/big" "$BASE_URL/login"
check "oversized body is 413" "$STATUS" 413
check_security_headers "413 answer"
form dup --data 'username=alice&username=bob&password=x' "$BASE_URL/login"
check "duplicated field is 400" "$STATUS" 400
GET_LENGTH=$(req get-login "$BASE_URL/login"; header Content-Length)
req head --head "$BASE_URL/login"
check "HEAD /login is 200" "$STATUS" 200
check "HEAD has the length of GET" "$(header Content-Length)" "$GET_LENGTH"
check_no_grep "HEAD has no body" "$B" "<html"

# Forwarding headers: believed from the trusted proxy (127.0.0.2) only.
form spoofed -H 'X-Forwarded-For: 198.51.100.7' -H 'X-Forwarded-Proto: https' \
    --data-urlencode username=alice --data-urlencode password=x \
    "$BASE_URL/login"
check "X-Forwarded-Proto from an untrusted peer: no HSTS" \
    "$(header_count Strict-Transport-Security)" 0
form proxied --interface 127.0.0.2 \
    -H 'X-Forwarded-For: 203.0.113.66, 198.51.100.7' \
    -H 'X-Forwarded-Proto: https' \
    --data-urlencode username=alice --data-urlencode password=x \
    "$BASE_URL/login"
check "the trusted proxy's request is served" "$STATUS" 401
check "X-Forwarded-Proto: https from the trusted proxy: HSTS" \
    "$(header_count Strict-Transport-Security)" 1

# The log: one line per event, never a password or a session id.
# lighttpd run in the foreground leaves the application's stderr on its
# own; with a detached server it goes to the error log. Read both.
sleep 0.2
cat "$GH_STATE/lighttpd.out" "$GH_STATE/error.log" > "$GH_STATE/log"
check_grep "the log names the login" "$GH_STATE/log" \
    'gatehouse\[[0-9]+\]: info: req=[0-9a-f]+-[0-9]+ addr=127\.0\.0\.1 audit: login_success outcome=ok addr=127\.0\.0\.1 user=alice$'
check_grep "the log names the failure" "$GH_STATE/log" \
    'audit: login_failure outcome=wrong_password addr=127\.0\.0\.1 user=alice$'
check_no_grep "a login is one line, the audit trail's" \
    "$GH_STATE/log" 'login: alice logged in'
check_no_grep "a failed login is one line, the audit trail's" \
    "$GH_STATE/log" 'login: failed for'
check "a spoofed X-Forwarded-For is not believed" \
    "$(grep -c 'req=[0-9a-f-]* addr=198\.51\.100\.7 audit: ' \
    "$GH_STATE/log")" 1
check_grep "the trusted proxy's client is the rightmost other hop" \
    "$GH_STATE/log" ' addr=198\.51\.100\.7 audit: login_failure outcome=wrong_password addr=198\.51\.100\.7 user=alice$'
check_no_grep "no password in the log" "$GH_STATE/log" "$PASS"
check_no_grep "no session id in the log" "$GH_STATE/log" "$SID"

# gatehouse-admin against the live database.
SID2=$(printf '%s' "$(form admin-login --data-urlencode username=alice \
    --data-urlencode "password=$PASS" "$BASE_URL/login"; header Set-Cookie)" |
    sed -n "s/^$COOKIE=\([A-Za-z0-9_-]*\);.*/\1/p")
"$GH_ADMIN" -c "$GH_CONF" sessions alice > "$GH_STATE/sessions.out" 2>&1
check_grep "admin lists alice's sessions" "$GH_STATE/sessions.out" \
    '^[0-9a-f]{12}  alice'
"$GH_ADMIN" -c "$GH_CONF" revoke alice > "$GH_STATE/revoke.out" 2>&1
check "admin revoke alice" "$?" 0
req after-revoke -H "Cookie: $COOKIE=$SID2" "$BASE_URL/whoami"
check "revoked session is gone" "$STATUS" 401
login_sid() {
	form "$1" --data-urlencode username=alice \
	    --data-urlencode "password=$PASS" "$BASE_URL/login"
	header Set-Cookie | sed -n "s/^$COOKIE=\([A-Za-z0-9_-]*\);.*/\1/p"
}
SID3=$(login_sid before-disable)
"$GH_ADMIN" -c "$GH_CONF" disable alice > /dev/null 2>&1
check "admin disable alice" "$?" 0
req after-disable -H "Cookie: $COOKIE=$SID3" "$BASE_URL/whoami"
check "a disabled user's session is gone" "$STATUS" 401
check "a disabled user cannot log in" "$(login_sid disabled-login)" ""
"$GH_ADMIN" -c "$GH_CONF" enable alice > /dev/null 2>&1
check "an enabled user can log in again" "${#SID3}" \
    "$(SID4=$(login_sid enabled-login); echo "${#SID4}")"
# What gatehouse-admin did is in the audit trail, in order.
"$GH_ADMIN" -c "$GH_CONF" events --user alice 2> /dev/null |
    awk '$2 ~ /^(account_change|session_revoke|password_change)$/ &&
    $3 !~ /^(ok|wrong_password|one|others)$/ { print $2, $3 }' \
    > "$GH_STATE/admin-events.out"
check "admin actions are audited" "$(tr '\n' ';' < "$GH_STATE/admin-events.out")" \
    "account_change added;session_revoke admin;account_change disabled;account_change enabled;"

"$GH_ADMIN" -c "$GH_CONF" userdel alice > /dev/null 2>&1
form after-userdel --data-urlencode username=alice \
    --data-urlencode "password=$PASS" "$BASE_URL/login"
check "deleted user cannot log in" "$STATUS" 401

gh_done
