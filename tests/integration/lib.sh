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
# extra lines may be given as arguments) and an empty database.
gh_setup() {
	GH_STATE=$(mktemp -d /tmp/gatehouse-it.XXXXXX)
	trap gh_cleanup EXIT
	GH_CONF=$GH_STATE/gatehouse.conf
	{
		echo "[database]"
		echo "path = $GH_STATE/gatehouse.db"
		echo "[password]"
		echo "# Cheaper than the default, to keep the tests quick."
		echo "scrypt_log2n = 12"
		echo "[server]"
		echo "www = $top_srcdir/www"
		for line in "$@"; do
			echo "$line"
		done
	} > "$GH_CONF"
	"$GH_ADMIN" -c "$GH_CONF" migrate > /dev/null 2>&1
}

gh_cleanup() {
	if [ -n "${LIGHTTPD_PID:-}" ]; then
		kill "$LIGHTTPD_PID" 2>/dev/null
		wait "$LIGHTTPD_PID" 2>/dev/null
	fi
	if [ -n "${GH_STATE:-}" ] && [ -z "${GH_KEEP:-}" ]; then
		rm -rf "$GH_STATE"
	fi
}

# start_lighttpd: lighttpd with contrib/lighttpd/gatehouse.conf.in on a
# free port; sets $PORT and $BASE_URL. Retries if the port was taken.
start_lighttpd() {
	local lighttpd tries=0
	lighttpd=$(find_lighttpd) || skip_all "lighttpd is not installed"
	while [ $tries -lt 5 ]; do
		PORT=$(free_port) || return 1
		sed -e "s|@PORT@|$PORT|g" -e "s|@STATE@|$GH_STATE|g" \
		    -e "s|@WWW@|$top_srcdir/www|g" \
		    -e "s|@GATEHOUSE@|$GH_BIN|g" -e "s|@CONFIG@|$GH_CONF|g" \
		    "$top_srcdir/contrib/lighttpd/gatehouse.conf.in" \
		    > "$GH_STATE/lighttpd.conf"
		"$lighttpd" -D -f "$GH_STATE/lighttpd.conf" \
		    > "$GH_STATE/lighttpd.out" 2>&1 &
		LIGHTTPD_PID=$!
		BASE_URL=http://127.0.0.1:$PORT
		for _ in $(seq 50); do
			if curl -s -o /dev/null "$BASE_URL/healthz"; then
				return 0
			fi
			kill -0 "$LIGHTTPD_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill "$LIGHTTPD_PID" 2>/dev/null
		wait "$LIGHTTPD_PID" 2>/dev/null
		LIGHTTPD_PID=
		tries=$((tries + 1))
	done
	echo "Bail out! lighttpd did not start:"
	sed 's/^/# /' "$GH_STATE/lighttpd.out" "$GH_STATE/error.log" \
	    2>/dev/null
	exit 1
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

# header NAME: the value of a header of the last answer (first one).
header() {
	grep -i "^$1: " "$H" | head -1 | cut -d' ' -f2-
}

# header_count NAME: how many times the last answer has the header.
header_count() {
	grep -ci "^$1: " "$H"
}

# The security headers every Gatehouse answer carries (F14).
check_security_headers() {
	local what=$1
	check "$what: CSP" "$(header Content-Security-Policy)" \
	    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"
	check "$what: X-Frame-Options" "$(header X-Frame-Options)" DENY
	check "$what: nosniff" "$(header X-Content-Type-Options)" nosniff
	check "$what: Referrer-Policy" "$(header Referrer-Policy)" no-referrer
	check "$what: Cache-Control" "$(header Cache-Control)" no-store
	check "$what: no HSTS over plain http" \
	    "$(header_count Strict-Transport-Security)" 0
	check "$what: CSP once" "$(header_count Content-Security-Policy)" 1
}
