#!/bin/bash
# Signed tokens through a real lighttpd: a token pair from /token, the
# API with Authorization: Bearer, refresh rotation and reuse detection,
# revocation, expiry, key rotation and retirement, and the JWKS checked
# by an independent verifier (Node's crypto). Output is TAP.

. "$top_srcdir/tests/integration/lib.sh"
command -v curl > /dev/null || skip_all "curl is not installed"
command -v openssl > /dev/null || skip_all "openssl is not installed"

gh_setup "[tokens]" "mode = both" "issuer = https://gh.test" \
    "audience = gh-api"
start_lighttpd
PASS='correct horse battery'
printf '%s\n' "$PASS" | "$GH_ADMIN" -c "$GH_CONF" useradd alice \
    > /dev/null 2>&1
K1=$("$GH_ADMIN" -c "$GH_CONF" key generate ES256 2>/dev/null |
    sed -n 's/^key \([^ ]*\) .*/\1/p')
K2=$("$GH_ADMIN" -c "$GH_CONF" key generate HS256 2>/dev/null |
    sed -n 's/^key \([^ ]*\) .*/\1/p')
check "an ES256 key is made" "${#K1}" 12
check "an HS256 key is made" "${#K2}" 12
check "key files are private" \
    "$(stat -c %a "$GH_STATE/keys" "$GH_STATE/keys/$K1.key" | tr '\n' ' ')" \
    "700 600 "

json_field() {
	sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" "$B"
}

pair() {
	req "$1" -H 'Content-Type: application/json' \
	    --data "{\"username\":\"alice\",\"password\":\"$PASS\"}" \
	    "$BASE_URL/token"
	AT=$(json_field access_token)
	RT=$(json_field refresh_token)
}

pair token
check "POST /token is 200" "$STATUS" 200
check "token answer is not cached" "$(header Cache-Control)" no-store
check_grep "token type Bearer" "$B" '"token_type":"Bearer"'
check_grep "expires_in is the access lifetime" "$B" '"expires_in":600'
check "refresh token is 43 characters" "${#RT}" 43
check "access token names the active key" \
    "$(printf %s "$AT" | cut -d. -f1 | basenc -d --base64url 2>/dev/null)" \
    "{\"alg\":\"ES256\",\"kid\":\"$K1\",\"typ\":\"JWT\"}"

req api -H "Authorization: Bearer $AT" "$BASE_URL/api/reports"
check "API with the token is 200" "$STATUS" 200
check_grep "API knows the user" "$B" '"user":"alice"'
check_security_headers "API answer"
req api-lower -H "Authorization: bearer $AT" "$BASE_URL/whoami"
check "scheme in lower case works" "$STATUS" 200
req api-junk -H "Authorization: Bearer $AT,extra" "$BASE_URL/api/x"
check "trailing junk is 401" "$STATUS" 401
check "401 says invalid_token" "$(header WWW-Authenticate)" \
    'Bearer realm="gatehouse", error="invalid_token"'
req api-none "$BASE_URL/api/x"
check "API without a token is 401" "$STATUS" 401

# The folder lighttpd guards with Gatehouse as authorizer takes tokens.
req members-bearer -H "Authorization: Bearer $AT" \
    "$BASE_URL/members/who.cgi"
check "authorizer: a token opens /members/" "$STATUS" 200
check_grep "authorizer: the program sees a token user" "$B" \
    '^AUTH_METHOD=bearer$'
req members-junk -H "Authorization: Bearer $AT,extra" \
    "$BASE_URL/members/who.cgi"
check "authorizer: a bad token is 401" "$STATUS" 401
check "authorizer: 401 says invalid_token" "$(header WWW-Authenticate)" \
    'Bearer realm="gatehouse", error="invalid_token"'
# No [authorizer] login_url here: browsers get the 401 too.
req members-browser -H 'Accept: text/html' "$BASE_URL/members/"
check "authorizer: without login_url a browser gets 401" "$STATUS" 401

# The JWKS, and an independent verifier.
req jwks "$BASE_URL/.well-known/jwks.json"
check "JWKS is 200" "$STATUS" 200
check_grep "JWKS lists the ES256 key" "$B" "\"kid\":\"$K1\""
check_no_grep "JWKS never lists an HMAC key" "$B" "\"kid\":\"$K2\""
check_no_grep "JWKS has no private part" "$B" '"d":'
if command -v node > /dev/null; then
	verdict=$(node -e '
const crypto = require("crypto"), fs = require("fs");
const jwks = JSON.parse(fs.readFileSync(process.argv[1]));
const [h, p, s] = process.argv[2].split(".");
const hdr = JSON.parse(Buffer.from(h, "base64url"));
const jwk = jwks.keys.find(k => k.kid === hdr.kid);
const key = crypto.createPublicKey({ key: jwk, format: "jwk" });
const ok = crypto.verify("sha256", Buffer.from(h + "." + p),
    { key, dsaEncoding: "ieee-p1363" }, Buffer.from(s, "base64url"));
console.log(ok ? "verified" : "refused");' "$B" "$AT")
	check "Node verifies our token with our JWKS" "$verdict" verified
else
	ok "# SKIP node is not installed: no independent JWKS check"
fi

# Refresh: a new pair; the old refresh token again revokes everything.
AT1=$AT
RT1=$RT
req refresh --data-urlencode "refresh_token=$RT1" "$BASE_URL/token/refresh"
check "refresh is 200" "$STATUS" 200
AT2=$(json_field access_token)
RT2=$(json_field refresh_token)
check "refresh gives a new refresh token" \
    "$([ -n "$RT2" ] && [ "$RT2" != "$RT1" ] && echo new)" new
req replay --data-urlencode "refresh_token=$RT1" "$BASE_URL/token/refresh"
check "a used refresh token is refused" "$STATUS" 400
check_grep "with invalid_grant" "$B" '"error":"invalid_grant"'
req after-replay --data-urlencode "refresh_token=$RT2" \
    "$BASE_URL/token/refresh"
check "the family is revoked" "$STATUS" 400
req after-replay-api -H "Authorization: Bearer $AT2" "$BASE_URL/api/x"
check "its access tokens too" "$STATUS" 401

# Revocation (RFC 7009).
pair token2
req revoke --data-urlencode "token=$AT" "$BASE_URL/token/revoke"
check "revoke is 200" "$STATUS" 200
req revoked -H "Authorization: Bearer $AT" "$BASE_URL/api/x"
check "a revoked access token is refused" "$STATUS" 401
req revoke-junk --data-urlencode "token=junk" "$BASE_URL/token/revoke"
check "revoking junk is 200 too" "$STATUS" 200

# A token made outside Gatehouse with the HS256 key's secret: valid
# claims are accepted, an expired one is refused.
hexkey=$(sed -n '/BEGIN/,/END/p' "$GH_STATE/keys/$K2.key" |
    grep -v -- ----- | base64 -d | od -An -tx1 | tr -d ' \n')
mint() {
	local h p s
	h=$(printf '{"alg":"HS256","kid":"%s","typ":"JWT"}' "$K2" |
	    basenc --base64url -w0 | tr -d =)
	p=$(printf '%s' "$1" | basenc --base64url -w0 | tr -d =)
	s=$(printf '%s.%s' "$h" "$p" | openssl dgst -sha256 -mac HMAC \
	    -macopt "hexkey:$hexkey" -binary | basenc --base64url -w0 |
	    tr -d =)
	printf '%s.%s.%s' "$h" "$p" "$s"
}
now=$(date +%s)
claims() {
	printf '{"iss":"https://gh.test","aud":"gh-api","sub":"alice","uid":1,"jti":"%s","iat":%s,"exp":%s}' \
	    "$1" "$2" "$3"
}
req minted -H "Authorization: Bearer $(mint "$(claims m1 "$now" \
    $((now + 300)))")" "$BASE_URL/whoami"
check "a token signed with openssl verifies" "$STATUS" 200
req minted-expired -H "Authorization: Bearer $(mint "$(claims m2 \
    $((now - 900)) $((now - 300)))")" "$BASE_URL/whoami"
check "an expired token is refused" "$STATUS" 401
req minted-far -H "Authorization: Bearer $(mint "$(claims m3 "$now" \
    $((now + 86400)))")" "$BASE_URL/whoami"
check "a token living longer than we issue is refused" "$STATUS" 401
req minted-wrong-aud -H "Authorization: Bearer $(mint \
    '{"iss":"https://gh.test","aud":"other","sub":"alice","uid":1,"jti":"m4","iat":'"$now"',"exp":'$((now + 60))'}')" \
    "$BASE_URL/whoami"
check "a token for another audience is refused" "$STATUS" 401

# Key rotation: activate the HS256 key, retire the ES256 one.
pair before-rotation
OLD_AT=$AT
"$GH_ADMIN" -c "$GH_CONF" key activate "$K2" > /dev/null 2>&1
check "key activate" "$?" 0
req old-still-valid -H "Authorization: Bearer $OLD_AT" "$BASE_URL/api/x"
check "old tokens verify after rotation" "$STATUS" 200
pair after-rotation
check "new tokens use the new key" \
    "$(printf %s "$AT" | cut -d. -f1 | basenc -d --base64url 2>/dev/null)" \
    "{\"alg\":\"HS256\",\"kid\":\"$K2\",\"typ\":\"JWT\"}"
"$GH_ADMIN" -c "$GH_CONF" key retire "$K2" > /dev/null 2>&1
check "the active key cannot be retired" "$?" 1
"$GH_ADMIN" -c "$GH_CONF" key retire "$K1" > /dev/null 2>&1
check "key retire" "$?" 0
check "a retired key's file is deleted" \
    "$([ -e "$GH_STATE/keys/$K1.key" ] && echo kept || echo gone)" gone
req retired -H "Authorization: Bearer $OLD_AT" "$BASE_URL/api/x"
check "tokens of a retired key are refused" "$STATUS" 401
req new-valid -H "Authorization: Bearer $AT" "$BASE_URL/api/x"
check "tokens of the active key still work" "$STATUS" 200

# API logout.
req logout -H "Authorization: Bearer $AT" -H 'Content-Type: application/json' \
    --data "{\"refresh_token\":\"$RT\"}" "$BASE_URL/logout"
check "API logout is 204" "$STATUS" 204
req after-logout -H "Authorization: Bearer $AT" "$BASE_URL/api/x"
check "after logout the access token is refused" "$STATUS" 401
req after-logout-refresh --data-urlencode "refresh_token=$RT" \
    "$BASE_URL/token/refresh"
check "and the refresh token" "$STATUS" 400

# Each refusal is one log line with its reason; no token in the log.
sleep 0.2
cat "$GH_STATE/lighttpd.out" "$GH_STATE/error.log" > "$GH_STATE/log"
check_grep "log: reuse detected" "$GH_STATE/log" \
    'a used refresh token of alice came back'
check_grep "log: expired" "$GH_STATE/log" 'token: refused: expired$'
check_grep "log: retired key" "$GH_STATE/log" \
    'token: refused: kid missing or unknown$'
check_grep "log: audience" "$GH_STATE/log" \
    'token: refused: aud missing or not ours$'
check_no_grep "no access token in the log" "$GH_STATE/log" "$OLD_AT"
check_no_grep "no refresh token in the log" "$GH_STATE/log" "$RT1"

gh_done
