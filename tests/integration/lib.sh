# Shared by the integration tests: TAP output, a free port, a state
# folder, lighttpd in front of the built programs, and curl wrappers.
# Each test script sources this file, calls gh_setup, runs its checks
# and ends with gh_done.

: "${top_srcdir:?top_srcdir must be set (make check sets it)}"
: "${top_builddir:?top_builddir must be set (make check sets it)}"

GH_BIN=$top_builddir/src/gatehouse
GH_ADMIN=$top_builddir/src/gatehouse-admin
gh_count=0
gh_failed=0

ok() {
	gh_count=$((gh_count + 1))
	echo "ok $gh_count - $1"
}

not_ok() {
	gh_count=$((gh_count + 1))
	gh_failed=$((gh_failed + 1))
	echo "not ok $gh_count - $1"
	shift
	for line in "$@"; do
		printf '%s\n' "$line" | sed 's/^/# /'
	done
}

# check NAME GOT WANT: equal strings.
check() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "got:  $2" "want: $3"
	fi
}

# check_grep NAME FILE PATTERN: the file has a line matching (grep -E).
check_grep() {
	if grep -Eq -- "$3" "$2"; then
		ok "$1"
	else
		not_ok "$1" "no line matching: $3" "in $2:" "$(head -c 2000 "$2")"
	fi
}

# check_no_grep NAME FILE PATTERN: no line matches (fixed string).
check_no_grep() {
	if grep -Fq -- "$3" "$2"; then
		not_ok "$1" "found: $3" "$(grep -F -- "$3" "$2" | head -3)"
	else
		ok "$1"
	fi
}

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

gh_done() {
	echo "1..$gh_count"
	[ "$gh_failed" -eq 0 ]
}

# A port nobody listens on: try random high ports until a connect fails.
free_port() {
	local port tries=0
	while [ $tries -lt 50 ]; do
		port=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return 0
		fi
		tries=$((tries + 1))
	done
	return 1
}

find_lighttpd() {
	command -v lighttpd 2>/dev/null || { [ -x /usr/sbin/lighttpd ] &&
	    echo /usr/sbin/lighttpd; }
}

# gh_setup: a state folder with a Gatehouse configuration ($GH_CONF,
# extra lines may be given as arguments) and an empty database: a SQLite
# file in the folder, or the PostgreSQL database GH_DATABASE names (the
# secrets and keys, which would be beside a file, are then in the
# folder).
gh_setup() {
	GH_STATE=$(mktemp -d /tmp/gatehouse-it.XXXXXX)
	trap gh_cleanup EXIT
	GH_CONF=$GH_STATE/gatehouse.conf
	if [ -n "${GH_SHARED:-}" ]; then
		gh_share_state
	fi
	{
		echo "[database]"
		echo "path = ${GH_DATABASE:-$GH_STATE/gatehouse.db}"
		echo "[password]"
		echo "# Cheaper than the default, to keep the tests quick."
		echo "scrypt_log2n = 12"
		if [ -n "${GH_DATABASE:-}" ]; then
			echo "[tokens]"
			echo "keys_dir = $GH_STATE/keys"
		fi
		echo "[server]"
		echo "www = ${GH_WWW:-$top_srcdir/www}"
		[ -n "${GH_DATABASE:-}" ] && echo "secrets = $GH_STATE/secrets"
		for line in "$@"; do
			echo "$line"
		done
	} > "$GH_CONF"
	run_as_server "$GH_ADMIN" -c "$GH_CONF" migrate > /dev/null 2>&1
}

# gh_sql QUERY: run QUERY on the test's store (the SQLite file gh_setup
# made, or the PostgreSQL database GH_DATABASE names) and print its
# rows, one a line, fields joined by "|". Write QUERY in the SQL the two
# share: quote "user", and write bytes as hex with gh_sql_hex.
gh_sql() {
	if [ -n "${GH_DATABASE:-}" ]; then
		psql -X -q -t -A -v ON_ERROR_STOP=1 "$GH_DATABASE" -c "$1"
	else
		# As the server's user, who owns the file and its WAL.
		run_as_server sqlite3 "$GH_STATE/gatehouse.db" "$1"
	fi
}

# gh_sql_hex COLUMN: an SQL expression for COLUMN's bytes in lower-case
# hex, in the dialect of the test's store.
gh_sql_hex() {
	if [ -n "${GH_DATABASE:-}" ]; then
		echo "encode($1, 'hex')"
	else
		echo "lower(hex($1))"
	fi
}

# gh_need_sql_client: the command-line client gh_sql needs, or skip_all.
gh_need_sql_client() {
	if [ -n "${GH_DATABASE:-}" ]; then
		command -v psql > /dev/null || skip_all "psql is not installed"
	else
		command -v sqlite3 > /dev/null ||
		    skip_all "sqlite3 is not installed"
	fi
}

gh_cleanup() {
	local pid
	# Servers that are not our children (spawn-fcgi detaches), and
	# those that are: stop them all, then wait for them to go.
	for pid in ${GH_PIDS:-}; do
		kill "$pid" 2>/dev/null
	done
	for pid in ${GH_PIDS:-}; do
		wait "$pid" 2>/dev/null
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
	done
	if [ -n "${GH_STATE:-}" ] && [ -z "${GH_KEEP:-}" ]; then
		rm -rf "$GH_STATE"
	fi
}

# start_server NAME WRITE COMMAND...: a server on a free port. WRITE is
# a function that writes its configuration for $PORT and $BASE_URL;
# COMMAND then runs in the background (its output in $GH_STATE/NAME.out)
# until $BASE_URL/healthz answers. Another port is tried if it does not;
# after five tries the test bails out, showing NAME.out and the files in
# $SERVER_LOGS. Sets SERVER_PID, and adds it to GH_PIDS for gh_cleanup.
start_server() {
	local name=$1 write=$2 tries=0 pid
	shift 2
	while [ $tries -lt 5 ]; do
		PORT=$(free_port) || return 1
		BASE_URL=http://127.0.0.1:$PORT
		"$write"
		"$@" > "$GH_STATE/$name.out" 2>&1 &
		pid=$!
		for _ in $(seq 100); do
			if curl -s -o /dev/null "$BASE_URL/healthz"; then
				SERVER_PID=$pid
				GH_PIDS="${GH_PIDS:-} $pid"
				return 0
			fi
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		tries=$((tries + 1))
	done
	echo "Bail out! $name did not start:"
	sed 's/^/# /' "$GH_STATE/$name.out" ${SERVER_LOGS:-} 2>/dev/null
	exit 1
}

write_lighttpd_conf() {
	sed -e "s|@PORT@|$PORT|g" -e "s|@STATE@|$GH_STATE|g" \
	    -e "s|@WWW@|$top_srcdir/www|g" \
	    -e "s|@GATEHOUSE@|$GH_BIN|g" -e "s|@CONFIG@|$GH_CONF|g" \
	    "$top_srcdir/contrib/lighttpd/gatehouse.conf.in" \
	    > "$GH_STATE/lighttpd.conf"
}

# start_lighttpd: lighttpd with contrib/lighttpd/gatehouse.conf.in.
start_lighttpd() {
	local lighttpd
	lighttpd=$(find_lighttpd) || skip_all "lighttpd is not installed"
	SERVER_LOGS=$GH_STATE/error.log start_server lighttpd \
	    write_lighttpd_conf "$lighttpd" -D -f "$GH_STATE/lighttpd.conf"
}

# req NAME [curl args...]: one request; the status goes to $STATUS, the
# headers to $H (a file, CR stripped), the body to $B (a file).
req() {
	local name=$1
	shift
	H=$GH_STATE/$name.headers
	B=$GH_STATE/$name.body
	STATUS=$(curl -s -o "$B" -D "$H.raw" -w '%{http_code}' "$@")
	tr -d '\r' < "$H.raw" > "$H"
}

# form NAME CURL_ARGS... URL: POST a form as a browser that was just
# given it would: its CSRF token (the hidden "csrf" field) and the CSRF
# nonce cookie are added. The token comes from the same application's
# login page, or its logout page when a live session makes the login
# page redirect, fetched with the same cookies, since a token is bound
# to the nonce and to the session cookie. The nonce is kept in
# CSRF_COOKIE for later forms, as a browser keeps its cookies. A Cookie
# given as -H 'Cookie: ...' is sent with the nonce added.
form() {
	local name=$1 url=${!#} cookie="" app page set_cookie
	local args=()
	shift
	while [ $# -gt 1 ]; do
		if [ "$1" = -H ] && [[ "$2" == [Cc]ookie:* ]]; then
			cookie=${2#*: }
			shift 2
			continue
		fi
		args+=("$1")
		shift
	done
	app=${url%%\?*}
	app=${app%/*}
	CSRF=
	for page in login logout; do
		curl -s -o "$GH_STATE/csrf.body" -D "$GH_STATE/csrf.head" \
		    -H "Cookie: ${cookie:+$cookie; }${CSRF_COOKIE:-}" \
		    "$app/$page"
		set_cookie=$(tr -d '\r' < "$GH_STATE/csrf.head" | sed -n \
		    's/^[Ss]et-[Cc]ookie: \([^=;]*_csrf=[^;]*\);.*/\1/p')
		[ -n "$set_cookie" ] && CSRF_COOKIE=$set_cookie
		CSRF=$(sed -n 's/.*name="csrf" value="\([A-Za-z0-9_-]*\)".*/\1/p' \
		    "$GH_STATE/csrf.body" | head -1)
		[ -n "$CSRF" ] && break
	done
	req "$name" -H "Cookie: ${cookie:+$cookie; }${CSRF_COOKIE:-}" \
	    --data-urlencode "csrf=$CSRF" "${args[@]}" "$url"
}

# header NAME: the value of a header of the last answer (first one).
header() {
	grep -i "^$1: " "$H" | head -1 | cut -d' ' -f2-
}

# header_count NAME: how many times the last answer has the header.
header_count() {
	grep -ci "^$1: " "$H"
}

# The security headers every Gatehouse answer carries with the default
# policy (F14), as "Name|value" lines; static files get the same but
# Cache-Control from the web server's configuration.
GH_CSP="default-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors 'none'"
GH_HEADERS="Content-Security-Policy|$GH_CSP
X-Frame-Options|DENY
Cross-Origin-Opener-Policy|same-origin
Cross-Origin-Resource-Policy|same-origin
Origin-Agent-Cluster|?1
Permissions-Policy|accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()
Referrer-Policy|no-referrer
X-Content-Type-Options|nosniff
X-DNS-Prefetch-Control|off
X-Download-Options|noopen
X-Permitted-Cross-Domain-Policies|none
X-XSS-Protection|0"

# check_security_headers WHAT [Name|value...]: the last answer has each
# header of GH_HEADERS, and Cache-Control: no-store, exactly once, and
# no HSTS (the tests speak plain http). An argument replaces the
# expected value of its header; "Name|" expects no such header.
check_security_headers() {
	local what=$1 name want line
	shift
	while IFS='|' read -r name want; do
		for line in "$@"; do
			[ "${line%%|*}" = "$name" ] && want=${line#*|}
		done
		if [ -z "$want" ]; then
			check "$what: no $name" "$(header_count "$name")" 0
		else
			check "$what: $name" \
			    "$(header "$name") ($(header_count "$name"))" \
			    "$want (1)"
		fi
	done <<< "$GH_HEADERS
Cache-Control|no-store"
	check "$what: no HSTS over plain http" \
	    "$(header_count Strict-Transport-Security)" 0
}

# Servers started as root hand their work to www-data (Apache insists),
# so the programs they run must be able to read and write the state
# folder. run_as_server runs a command as that user when we are root,
# so the database and key files it makes stay theirs. Only tests that
# set GH_SHARED (see gh_share_state) need it.
server_user() {
	if [ "$(id -u)" -eq 0 ]; then
		echo www-data
	else
		id -un
	fi
}

run_as_server() {
	if [ -n "${GH_SHARED:-}" ] && [ "$(id -u)" -eq 0 ]; then
		runuser -u www-data -- "$@"
	else
		"$@"
	fi
}

# gh_share_state: copy the programs and www/ into the state folder and
# give it to the server's user, who may not be able to reach the build
# tree (a clone under /root, say). Points GH_BIN and GH_ADMIN at the
# copies and sets GH_WWW. gh_setup calls it when GH_SHARED is set.
gh_share_state() {
	mkdir -p "$GH_STATE/bin" "$GH_STATE/run"
	cp "$GH_BIN" "$GH_ADMIN" "$GH_STATE/bin/"
	GH_BIN=$GH_STATE/bin/gatehouse
	GH_ADMIN=$GH_STATE/bin/gatehouse-admin
	cp -r "$top_srcdir/www" "$GH_STATE/www"
	chmod -R u+w,go+rX "$GH_STATE/www"
	GH_WWW=$GH_STATE/www
	chmod 755 "$GH_STATE"
	if [ "$(id -u)" -eq 0 ]; then
		chown -R www-data: "$GH_STATE"
	fi
}

# sid_of_login URL USER PASSWORD: log in with the form at URL and print
# the session id from the cookie (nothing on failure).
sid_of_login() {
	form "sid-login-$RANDOM" --data-urlencode "username=$2" \
	    --data-urlencode "password=$3" "$1"
	header Set-Cookie | sed -n 's/^__Host-gh_sid=\([A-Za-z0-9_-]*\);.*/\1/p'
}

# expire_session SID: make a live session one that ended a second ago.
expire_session() {
	local hash
	hash=$(printf '%s' "$1" | sha256sum | cut -c1-64)
	gh_sql "UPDATE sessions SET expires = $(($(date +%s) - 1))
	    WHERE $(gh_sql_hex id_hash) = '$hash'"
}

# check_login_flow WHAT URL MOUNT: the login flow through a Gatehouse
# whose routes start at URL, MOUNT being the path part of URL: the login
# form, the way there from a private page, a login, the private page,
# and a bearer token (which needs the Authorization header to arrive).
# Sets FLOW_SID and FLOW_AT.
check_login_flow() {
	local what=$1 url=$2 mount=$3

	req flow-login-page "$url/login"
	check "$what: GET $mount/login is 200" "$STATUS" 200
	check_grep "$what: the form posts to $mount/login" "$B" \
	    "action=\"$mount/login\""
	check_security_headers "$what: login page"
	req flow-anon -H 'Accept: text/html' "$url/private/example.html"
	check "$what: anonymous /private/ goes to the login page" \
	    "$STATUS $(header Location)" \
	    "303 $mount/login?next=$mount/private/example.html"
	FLOW_SID=$(sid_of_login "$url/login" alice "$PASS")
	check "$what: login gives a session" "${#FLOW_SID}" 43
	# The strength meter's endpoint reaches Gatehouse, which wants a
	# session for it.
	req flow-strength --data new=x "$url/password/strength"
	check "$what: POST $mount/password/strength without a session" \
	    "$STATUS $(cat "$B")" '401 {"error":"unauthenticated"}'
	req flow-private -H "Cookie: __Host-gh_sid=$FLOW_SID" "$url/private/"
	check "$what: the private page is 200" "$STATUS" 200
	check_grep "$what: the private page names alice" "$B" \
	    'Logged in as <strong>alice</strong>'
	req flow-token -H 'Content-Type: application/json' \
	    --data "{\"username\":\"alice\",\"password\":\"$PASS\"}" \
	    "$url/token"
	check "$what: POST /token is 200" "$STATUS" 200
	FLOW_AT=$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' "$B")
	req flow-bearer -H "Authorization: Bearer $FLOW_AT" "$url/whoami"
	check "$what: a bearer token reaches Gatehouse" "$STATUS" 200
}

# check_gate WHAT URL MARKER ANON [CLIENT]: a folder guarded by
# Gatehouse as an authorizer (or by a rewrite to it). MARKER is text the
# content holds; it must appear with a live session ($SID, or the bearer
# token $AT when set) and never otherwise. ANON is the status and
# Location a browser without a session gets, e.g. "303 /login?next=/x",
# CLIENT the status any other client gets (401 unless given). Needs
# $SID and $EXPIRED_SID, both from logins.
check_gate() {
	local what=$1 url=$2 marker=$3 anon=$4 client=${5:-401}
	local browser='Accept: text/html' name=gate-$RANDOM

	req "$name-anon" -H "$browser" "$url"
	check "$what: a browser without a session" \
	    "$STATUS $(header Location)" "$anon"
	check_no_grep "$what: no content without a session" "$B" "$marker"
	check "$what: no Variable-* header reaches the client" \
	    "$(header_count 'Variable-[A-Za-z_]*')" 0
	req "$name-api" "$url"
	check "$what: a client without a session" "$STATUS" "$client"
	check_no_grep "$what: no content for the client" "$B" "$marker"
	req "$name-bad" -H "$browser" \
	    -H "Cookie: __Host-gh_sid=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
	    "$url"
	check "$what: a made-up session" "$STATUS $(header Location)" "$anon"
	check_no_grep "$what: no content for a made-up session" "$B" "$marker"
	req "$name-expired" -H "Cookie: __Host-gh_sid=$EXPIRED_SID" "$url"
	check "$what: an expired session" "$STATUS" "$client"
	check_no_grep "$what: no content for an expired session" "$B" \
	    "$marker"
	req "$name-live" -H "Cookie: __Host-gh_sid=$SID" "$url"
	check "$what: a live session is 200" "$STATUS" 200
	check_grep "$what: the content for a live session" "$B" "$marker"
	check "$what: no Variable-* header with a live session" \
	    "$(header_count 'Variable-[A-Za-z_]*')" 0
	check "$what: no cache may keep the content" \
	    "$(header Cache-Control)" no-store
	if [ -n "${AT:-}" ]; then
		req "$name-bearer" -H "Authorization: Bearer $AT" "$url"
		check "$what: a bearer token is 200" "$STATUS" 200
		check_grep "$what: the content for a bearer token" "$B" \
		    "$marker"
		req "$name-bad-bearer" -H "Authorization: Bearer ${AT}x" "$url"
		check "$what: a bad bearer token is 401" "$STATUS" 401
		check_no_grep "$what: no content for a bad token" "$B" \
		    "$marker"
	fi
}
