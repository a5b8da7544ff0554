#!/bin/bash
# Gatehouse behind a real Apache 2.4, in each way contrib/apache/ ships,
# all in one server on a loopback port:
#   /            mod_proxy_fcgi to Gatehouse on a unix socket (spawn-fcgi)
#   /members-a/  static files and a CGI page guarded by mod_authnz_fcgi,
#                which asks Gatehouse (authorizer role, over TCP)
#   /fcgid/      mod_fcgid: Apache starts Gatehouse itself
#   /members-f/  the same content guarded by FcgidAccessChecker
#   /cgi-bin/    Gatehouse as plain CGI, set up by an .htaccess file
#   /members/    a folder whose .htaccess hands it to that CGI
# Every guarded folder is tried with no session, a made-up one, an
# expired one, a live one and a bearer token. Output is TAP.

. "$top_srcdir/tests/integration/lib.sh"
command -v curl > /dev/null || skip_all "curl is not installed"
APACHE=$(command -v apache2 || echo /usr/sbin/apache2)
[ -x "$APACHE" ] || skip_all "apache2 is not installed"
SPAWN_FCGI=$(command -v spawn-fcgi || echo /usr/bin/spawn-fcgi)
[ -x "$SPAWN_FCGI" ] || skip_all "spawn-fcgi is not installed"
for m in proxy_fcgi authnz_fcgi fcgid cgid rewrite headers; do
	[ -f "/usr/lib/apache2/modules/mod_$m.so" ] ||
	    skip_all "mod_$m is not installed (libapache2-mod-fcgid?)"
done

GH_SHARED=1
gh_setup "[tokens]" "mode = both" "[authorizer]" "login_url = /login"
PASS='correct horse battery'
printf '%s\n' "$PASS" | run_as_server "$GH_ADMIN" -c "$GH_CONF" \
    useradd alice > /dev/null 2>&1
check "gatehouse-admin useradd" "$?" 0
run_as_server "$GH_ADMIN" -c "$GH_CONF" key generate ES256 > /dev/null 2>&1
check "gatehouse-admin key generate" "$?" 0
# mod_proxy_fcgi gives no PATH_INFO: that Gatehouse routes on
# REQUEST_URI below its mount point, the site's root.
{ cat "$GH_CONF"; echo "[server]"; echo "mount ="; } > "$GH_STATE/proxy.conf"

# The site: guarded content, the CGI program and the .htaccess files.
H=$GH_STATE/htdocs
mkdir -p "$H/members-a" "$H/members-f" "$H/cgi-bin" "$H/members" \
    "$GH_STATE/run/fcgid"
echo "<p>Not here.</p>" > "$H/404.html"
for d in members-a members-f; do
	echo "<p>A members-only page.</p>" > "$H/$d/index.html"
	cat > "$H/$d/who.cgi" <<'EOF'
#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\n'
printf 'members-only script: remote_user=%s user=%s auth_method=%s\n' \
    "$REMOTE_USER" "$USER" "$AUTH_METHOD"
EOF
	chmod 755 "$H/$d/who.cgi"
done
sed -e "s|@GATEHOUSE@|$GH_BIN|g" -e "s|@CONFIG@|$GH_CONF|g" \
    "$top_srcdir/contrib/apache/gatehouse.cgi.in" > "$H/cgi-bin/gatehouse.cgi"
chmod 755 "$H/cgi-bin/gatehouse.cgi"
cp "$top_srcdir/contrib/apache/cgi-bin.htaccess" "$H/cgi-bin/.htaccess"
sed "s|@CGI@|/cgi-bin/gatehouse.cgi|g" \
    "$top_srcdir/contrib/apache/members.htaccess" > "$H/members/.htaccess"
if [ "$(id -u)" -eq 0 ]; then
	chown -R www-data: "$H" "$GH_STATE/run"
fi

# Gatehouse started by spawn-fcgi: a responder on a unix socket for
# mod_proxy_fcgi, an authorizer on a TCP port for mod_authnz_fcgi.
SOCKET=$GH_STATE/run/gatehouse.sock
AUTHZ_PORT=$(free_port)
spawn_as=()
sock_as=()
if [ "$(id -u)" -eq 0 ]; then
	spawn_as=(-u www-data -g www-data)
	sock_as=(-U www-data -G www-data)
fi
GATEHOUSE_CONFIG=$GH_STATE/proxy.conf "$SPAWN_FCGI" -s "$SOCKET" -M 0660 \
    "${spawn_as[@]}" "${sock_as[@]}" -P "$GH_STATE/run/responder.pid" \
    -- "$GH_BIN" > "$GH_STATE/spawn.out" 2>&1
GH_PIDS="$(cat "$GH_STATE/run/responder.pid" 2>/dev/null)"
GATEHOUSE_CONFIG=$GH_CONF "$SPAWN_FCGI" -a 127.0.0.1 -p "$AUTHZ_PORT" \
    "${spawn_as[@]}" -P "$GH_STATE/run/authorizer.pid" \
    -- "$GH_BIN" -a >> "$GH_STATE/spawn.out" 2>&1
GH_PIDS="$GH_PIDS $(cat "$GH_STATE/run/authorizer.pid" 2>/dev/null)"
check "spawn-fcgi started both" "$(echo $GH_PIDS | wc -w)" 2

user_lines=
if [ "$(id -u)" -eq 0 ]; then
	user_lines='User www-data\nGroup www-data'
fi
write_apache_conf() {
	sed -e "s|@PORT@|$PORT|g" -e "s|@STATE@|$GH_STATE|g" \
	    -e "s|@USER@|$user_lines|" \
	    "$top_srcdir/tests/integration/apache.conf.in" \
	    > "$GH_STATE/httpd.conf"
	sed -e "s|@SOCKET@|$SOCKET|g" -e "s|@AUTHZ@|127.0.0.1:$AUTHZ_PORT|g" \
	    -e "s|@PROTECTED@|/members-a/|g" \
	    "$top_srcdir/contrib/apache/proxy-fcgi.conf.in" \
	    > "$GH_STATE/proxy-fcgi.conf"
	sed -e "s|@GATEHOUSE@|$GH_BIN|g" -e "s|@CONFIG@|$GH_CONF|g" \
	    -e "s|@MOUNT@|/fcgid|g" -e "s|@PROTECTED@|/members-f/|g" \
	    "$top_srcdir/contrib/apache/fcgid.conf.in" > "$GH_STATE/fcgid.conf"
	if ! "$APACHE" -t -f "$GH_STATE/httpd.conf" \
	    > "$GH_STATE/apache-t.out" 2>&1; then
		echo "Bail out! the Apache configuration is refused:"
		sed 's/^/# /' "$GH_STATE/apache-t.out"
		exit 1
	fi
}
SERVER_LOGS=$GH_STATE/apache-error.log start_server apache write_apache_conf \
    "$APACHE" -f "$GH_STATE/httpd.conf" -DFOREGROUND

# mod_proxy_fcgi: the login flow at the site's root.
check_login_flow proxy_fcgi "$BASE_URL" ""
SID=$FLOW_SID
AT=$FLOW_AT
req check-anon "$BASE_URL/auth/check"
check "proxy_fcgi: /auth/check without a session is 401" "$STATUS" 401
req check-live -H "Cookie: __Host-gh_sid=$SID" "$BASE_URL/auth/check"
check "proxy_fcgi: /auth/check with a session is 204 and names alice" \
    "$STATUS $(header X-Gatehouse-User)" "204 alice"
EXPIRED_SID=$(sid_of_login "$BASE_URL/login" alice "$PASS")
expire_session "$EXPIRED_SID"
req expired -H "Cookie: __Host-gh_sid=$EXPIRED_SID" "$BASE_URL/whoami"
check "an expired session is refused" "$STATUS" 401

# mod_authnz_fcgi guards /members-a/.
check_gate "authnz_fcgi: static" "$BASE_URL/members-a/" \
    "A members-only page" "303 /login?next=/members-a/"
check_gate "authnz_fcgi: CGI" "$BASE_URL/members-a/who.cgi" \
    "members-only script" "303 /login?next=/members-a/who.cgi"
req authnz-who -H "Cookie: __Host-gh_sid=$SID" "$BASE_URL/members-a/who.cgi"
check_grep "authnz_fcgi: the CGI page learns the user" "$B" \
    'remote_user=alice user=alice auth_method=cookie$'
req authnz-who-bearer -H "Authorization: Bearer $AT" \
    "$BASE_URL/members-a/who.cgi"
check_grep "authnz_fcgi: ... and that it came with a token" "$B" \
    'remote_user=alice user=alice auth_method=bearer$'

# mod_fcgid: Apache starts Gatehouse at /fcgid.
check_login_flow fcgid "$BASE_URL/fcgid" /fcgid
# FcgidAccessChecker guards /members-f/; Apache turns every refusal
# into its own 401 page, so browsers get no redirect there.
check_gate "fcgid: static" "$BASE_URL/members-f/" "A members-only page" \
    "401 "
check_gate "fcgid: CGI" "$BASE_URL/members-f/who.cgi" \
    "members-only script" "401 "
req fcgid-404 -H "Cookie: __Host-gh_sid=$SID" "$BASE_URL/members-f/nothing"
check "fcgid: a missing page in the folder is the site's 404" \
    "$STATUS $(cat "$B")" "404 <p>Not here.</p>"
check "fcgid: ... without Variable-* headers" \
    "$(header_count 'Variable-[A-Za-z_]*')" 0
req fcgid-who -H "Cookie: __Host-gh_sid=$SID" "$BASE_URL/members-f/who.cgi"
check_grep "fcgid: the CGI page learns the user" "$B" \
    'user=alice auth_method=cookie$'

# Plain CGI, set up with .htaccess files only.
check_login_flow cgi "$BASE_URL/cgi-bin/gatehouse.cgi" /cgi-bin/gatehouse.cgi
CGI_SID=$FLOW_SID
# File names the rewrite must carry through unharmed, and a subfolder.
mkdir -p "$GH_WWW/private/sub"
for f in "a b.txt" "100%.txt" "q?x.txt" "h#1.txt" "sub/index.html"; do
	echo "members-only file: $f" > "$GH_WWW/private/$f"
done
if [ "$(id -u)" -eq 0 ]; then
	chown -R www-data: "$GH_WWW/private"
fi
# Gatehouse's private pages send everyone without a session to the
# login page, browser or not.
check_gate "cgi: /members/ rewritten to Gatehouse" "$BASE_URL/members/" \
    "Logged in as <strong>alice</strong>" \
    "303 /cgi-bin/gatehouse.cgi/login?next=/members/" 303

for f in "a%20b.txt" "100%25.txt" "q%3Fx.txt" "h%231.txt" "sub/"; do
	req "cgi-file" -H "Cookie: __Host-gh_sid=$SID" "$BASE_URL/members/$f"
	check "cgi: /members/$f is served" "$STATUS $(head -c 17 "$B")" \
	    "200 members-only file"
done
req cgi-dotdot -H "Cookie: __Host-gh_sid=$SID" \
    "$BASE_URL/members/%252e%252e/whoami"
check "cgi: encoded dots do not lead out of the private folder" \
    "$STATUS" 404
req cgi-folder -H "Cookie: __Host-gh_sid=$SID" "$BASE_URL/members/sub?a=1"
check "cgi: a folder without its slash stays under /members/" \
    "$STATUS $(header Location)" "303 /members/sub/?a=1"
echo '<?php $db_password = "hunter2"; ?>' > "$GH_WWW/private/config.php"
req cgi-php -H "Cookie: __Host-gh_sid=$SID" "$BASE_URL/members/config.php"
check "cgi: a program's source is not sent" "$STATUS" 404
check_no_grep "cgi: ... nor its secrets" "$B" hunter2

# One session works everywhere: the cookie is the same site's.
req cross -H "Cookie: __Host-gh_sid=$CGI_SID" "$BASE_URL/members-a/"
check "a session from the CGI opens the authnz_fcgi folder" "$STATUS" 200

# Nothing secret in Apache's logs, where Gatehouse's stderr goes.
sleep 0.2
cat "$GH_STATE/apache-error.log" "$GH_STATE/apache.out" > "$GH_STATE/log"
check_grep "the log names the login" "$GH_STATE/log" \
    'audit: login_success outcome=ok addr=[^ ]* user=alice$'
check_no_grep "no password in the log" "$GH_STATE/log" "$PASS"
check_no_grep "no session id in the log" "$GH_STATE/log" "$SID"
check_no_grep "no token in the log" "$GH_STATE/log" "$AT"

gh_done
