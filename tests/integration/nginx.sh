#!/bin/bash
# Gatehouse behind a real nginx, with contrib/nginx/gatehouse.conf.in:
# the login flow through a responder on a unix socket (spawn-fcgi), and
# the folder /members/ (static files, and a CGI program run by fcgiwrap)
# guarded by auth_request to GET /auth/check. The folder is tried with
# no session, a made-up one, an expired one, a live one and a bearer
# token. Output is TAP.

. "$top_srcdir/tests/integration/lib.sh"
command -v curl > /dev/null || skip_all "curl is not installed"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || skip_all "nginx is not installed"
SPAWN_FCGI=$(command -v spawn-fcgi || echo /usr/bin/spawn-fcgi)
[ -x "$SPAWN_FCGI" ] || skip_all "spawn-fcgi is not installed"
FCGIWRAP=$(command -v fcgiwrap || echo /usr/sbin/fcgiwrap)
[ -x "$FCGIWRAP" ] || skip_all "fcgiwrap is not installed"

GH_SHARED=1
gh_setup "[tokens]" "mode = both"
PASS='correct horse battery'
printf '%s\n' "$PASS" | run_as_server "$GH_ADMIN" -c "$GH_CONF" \
    useradd alice > /dev/null 2>&1
check "gatehouse-admin useradd" "$?" 0
run_as_server "$GH_ADMIN" -c "$GH_CONF" key generate ES256 > /dev/null 2>&1
check "gatehouse-admin key generate" "$?" 0

SOCKET=$GH_STATE/run/gatehouse.sock
CGI_SOCKET=$GH_STATE/run/fcgiwrap.sock
spawn_as=()
if [ "$(id -u)" -eq 0 ]; then
	spawn_as=(-u www-data -g www-data -U www-data -G www-data)
fi
# Gatehouse in the foreground (-n: spawn-fcgi binds the socket and
# becomes Gatehouse), as a service manager runs it: its log is ours to
# keep, and it runs its own pool of three workers.
GATEHOUSE_CONFIG=$GH_CONF "$SPAWN_FCGI" -n -s "$SOCKET" -M 0660 \
    "${spawn_as[@]}" -- "$GH_BIN" -w 3 2> "$GH_STATE/gatehouse.log" &
GH_PARENT=$!
GH_PIDS=$GH_PARENT
"$SPAWN_FCGI" -s "$CGI_SOCKET" -M 0660 "${spawn_as[@]}" \
    -P "$GH_STATE/run/fcgiwrap.pid" -- "$FCGIWRAP" \
    > "$GH_STATE/spawn.out" 2>&1
GH_PIDS="$GH_PIDS $(cat "$GH_STATE/run/fcgiwrap.pid" 2>/dev/null)"
check "spawn-fcgi started fcgiwrap" "$(echo $GH_PIDS | wc -w)" 2

# workers COUNT: wait up to 3 s for the pool to hold COUNT workers.
workers() {
	local n
	for _ in $(seq 30); do
		n=$(pgrep -P "$GH_PARENT" | wc -l)
		[ "$n" -eq "$1" ] && break
		sleep 0.1
	done
	echo "$n"
}
check "Gatehouse runs three workers" "$(workers 3)" 3

user_line=
if [ "$(id -u)" -eq 0 ]; then
	user_line='user www-data;'
fi
# The shipped file includes fastcgi_params from nginx's configuration
# folder, which for this server is the state folder.
cp /etc/nginx/fastcgi_params "$GH_STATE/" ||
    skip_all "nginx's fastcgi_params is missing"
write_nginx_conf() {
	sed -e "s|@PORT@|$PORT|g" -e "s|@STATE@|$GH_STATE|g" \
	    -e "s|@WWW@|$GH_WWW|g" -e "s|@USER@|$user_line|" \
	    -e "s|@CGI_SOCKET@|$CGI_SOCKET|g" \
	    "$top_srcdir/tests/integration/nginx.conf.in" \
	    > "$GH_STATE/nginx.conf"
	sed -e "s|@SOCKET@|$SOCKET|g" -e "s|@CGI_SOCKET@|$CGI_SOCKET|g" \
	    -e "s|@PROTECTED@|/members/|g" \
	    "$top_srcdir/contrib/nginx/gatehouse.conf.in" \
	    > "$GH_STATE/gatehouse-nginx.conf"
}
SERVER_LOGS=$GH_STATE/nginx-error.log start_server nginx write_nginx_conf \
    "$NGINX" -p "$GH_STATE" -c "$GH_STATE/nginx.conf"

# The login flow.
check_login_flow nginx "$BASE_URL" ""
SID=$FLOW_SID
AT=$FLOW_AT
EXPIRED_SID=$(sid_of_login "$BASE_URL/login" alice "$PASS")
expire_session "$EXPIRED_SID"

# /members/ behind auth_request.
check_gate "auth_request: static" "$BASE_URL/members/" \
    "A members-only page" "303 /login?next=/members/"
check_gate "auth_request: CGI" "$BASE_URL/members/who.cgi" \
    "A members-only program" "303 /login?next=/members/who.cgi"
req refused-client "$BASE_URL/members/"
check "a client is told how to authenticate" \
    "$(header WWW-Authenticate)" 'Bearer realm="gatehouse"'
check "and told once" "$(header_count WWW-Authenticate)" 1
check_security_headers "nginx's 401 for the guarded folder"
req refused-browser -H 'Accept: text/html' "$BASE_URL/members/"
check "a browser is sent to the login page" "$STATUS $(header Location)" \
    "303 /login?next=/members/"
check_security_headers "nginx's 303 for the guarded folder"
req who -H "Cookie: __Host-gh_sid=$SID" "$BASE_URL/members/who.cgi"
check "the CGI program learns the user" \
    "$(sed -n '2,4p' "$B" | tr '\n' ' ')" \
    "REMOTE_USER=alice USER=alice AUTH_METHOD=cookie "
req who-basic -H "Cookie: __Host-gh_sid=$SID" -u mallory:x \
    "$BASE_URL/members/who.cgi"
check "a Basic Authorization header does not rename the user" \
    "$(sed -n '2,4p' "$B" | tr '\n' ' ')" \
    "REMOTE_USER=alice USER=alice AUTH_METHOD=cookie "
req who-post -H "Cookie: __Host-gh_sid=$SID" --data 'a=1' \
    "$BASE_URL/members/who.cgi"
check "a POST is checked too, and passes with a session" "$STATUS" 200
req who-post-anon --data 'a=1' "$BASE_URL/members/who.cgi"
check "a POST without a session is 401" "$STATUS" 401
# A sibling subdomain's form carries the SameSite=Lax cookie: refused,
# even with the client's own X-Forwarded-Method saying GET.
req who-sibling -H "Cookie: __Host-gh_sid=$SID" -H 'Sec-Fetch-Site: same-site' \
    -H 'X-Forwarded-Method: GET' --data 'a=1' "$BASE_URL/members/who.cgi"
check "a cross-site POST is 403" "$STATUS" 403
check_no_grep "and the program does not run" "$B" "REMOTE_USER"
req who-link -H "Cookie: __Host-gh_sid=$SID" -H 'Sec-Fetch-Site: cross-site' \
    "$BASE_URL/members/who.cgi"
check "a link from another site is followed" "$STATUS" 200
req check-direct "$BASE_URL/_gatehouse/check"
check "the check location is not reachable from outside" "$STATUS" 404

# A worker that dies is replaced, and the site keeps answering.
kill -KILL "$(pgrep -P "$GH_PARENT" | head -1)"
sleep 1.2
check "a dead worker is replaced" "$(workers 3)" 3
req after-kill -H "Cookie: __Host-gh_sid=$SID" "$BASE_URL/whoami"
check "the site answers after a worker died" "$STATUS" 200
check_grep "the pool logs its start" "$GH_STATE/gatehouse.log" \
    'info: workers: 3 started$'
check_grep "the pool logs the death" "$GH_STATE/gatehouse.log" \
    'warn: workers: worker [0-9]+ died of signal 9; starting another$'
# SIGTERM stops the pool, workers and all.
kill -TERM "$GH_PARENT"
for _ in $(seq 30); do
	kill -0 "$GH_PARENT" 2>/dev/null || break
	sleep 0.1
done
check "SIGTERM stops Gatehouse" "$(kill -0 "$GH_PARENT" 2>/dev/null &&
    echo running || echo stopped)" stopped
check "... and its workers" "$(pgrep -f "$GH_BIN -w 3" | wc -l)" 0

sleep 0.2
cat "$GH_STATE/nginx-error.log" "$GH_STATE/spawn.out" \
    "$GH_STATE/gatehouse.log" > "$GH_STATE/log"
check_grep "the log names the login" "$GH_STATE/log" \
    'audit: login_success outcome=ok addr=[^ ]* user=alice$'
check_no_grep "no password in the log" "$GH_STATE/log" "$PASS"
check_no_grep "no session id in the log" "$GH_STATE/log" "$SID"
check_no_grep "no token in the log" "$GH_STATE/log" "$AT"

gh_done
