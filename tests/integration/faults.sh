#!/bin/bash
# Faults, with a real lighttpd in front: workers killed with SIGKILL in
# the middle of requests under load; the database locked by another
# process past busy_timeout, on a full file system, read-only, deleted
# and damaged; and requests at the limits (huge cookies and bodies,
# 10,000 parameters, empty and huge header values, NUL bytes, invalid
# UTF-8). Each fault must give a 503 (or, for a bad request, a 4xx)
# with a clear log line while it lasts, normal service after, and no
# crash. The full file system and the read-only one need a small tmpfs
# mount (we are root in CI); without one those tests are skipped.
# These are a SQLite file's faults; PostgreSQL's (its server stopped and
# started again mid-run) are in postgresql.sh. Output is TAP; the
# figures are printed as TAP comments.

. "$top_srcdir/tests/integration/lib.sh"
command -v curl > /dev/null || skip_all "curl is not installed"
command -v python3 > /dev/null || skip_all "python3 is not installed"
command -v sqlite3 > /dev/null || skip_all "sqlite3 is not installed"
lighttpd=$(find_lighttpd) || skip_all "lighttpd is not installed"

PASS='correct horse battery'
# Every client comes from 127.0.0.1, and a login is counted as an
# attempt of its address until its password is checked (a killed
# worker's stays counted): with many logins in flight, the address limit
# of 20 (and, for a name, of 5) would answer 429. Throttling is
# throttle.sh's to test.
gh_setup "[tokens]" "mode = both" "issuer = https://gh.test" \
    "[throttle]" "address_threshold = 100000" "account_threshold = 100"

# The database in its own small file system when we may mount one.
DBDIR=$GH_STATE/db
mkdir "$DBDIR"
MOUNTED=
if [ "$(id -u)" -eq 0 ] &&
    mount -t tmpfs -o size=64m gatehouse-faults "$DBDIR" 2> /dev/null; then
	MOUNTED=1
fi
faults_cleanup() {
	local keep=${GH_KEEP:-}
	GH_KEEP=1 gh_cleanup
	if [ -n "$MOUNTED" ]; then
		# The workers lighttpd started may take a moment to go.
		for _ in $(seq 50); do
			umount "$DBDIR" 2> /dev/null && break
			sleep 0.1
		done
		mountpoint -q "$DBDIR" && umount -l "$DBDIR"
	fi
	[ -z "$keep" ] && rm -rf "$GH_STATE"
}
trap faults_cleanup EXIT
DB=$DBDIR/gatehouse.db
sed -i -e "s|^path = .*|path = $DB|" \
    -e 's|^\[database\]$|[database]\nbusy_timeout = 1s|' "$GH_CONF"
"$GH_ADMIN" -c "$GH_CONF" migrate > /dev/null 2>&1
for i in $(seq 0 15); do
	printf '%s\n' "$PASS" | "$GH_ADMIN" -c "$GH_CONF" useradd "u$i" \
	    > /dev/null 2>&1
done
printf '%s\n' "$PASS" | "$GH_ADMIN" -c "$GH_CONF" useradd alice \
    > /dev/null 2>&1
"$GH_ADMIN" -c "$GH_CONF" key generate ES256 > /dev/null 2>&1
check "the setup is made" "$("$GH_ADMIN" -c "$GH_CONF" users | wc -l)" 17

LOG=$GH_STATE/log
# logs: the server's log so far (gatehouse's stderr and lighttpd's),
# that of the lighttpd runs stopped before included.
logs() {
	sleep 0.2
	cat "$GH_STATE/stopped.log" "$GH_STATE"/*.out "$GH_STATE/error.log" \
	    > "$LOG" 2> /dev/null
}

stop_lighttpd() {
	kill "$SERVER_PID"
	wait "$SERVER_PID" 2> /dev/null
	# The next start_lighttpd writes lighttpd.out anew.
	cat "$GH_STATE/lighttpd.out" >> "$GH_STATE/stopped.log" 2> /dev/null
	rm -f "$GH_STATE/lighttpd.out"
	# Its workers leave when their socket closes; give them a moment.
	for _ in $(seq 50); do
		pgrep -f "^$GH_BIN" > /dev/null || break
		sleep 0.1
	done
}

# workers_of PID: the gatehouse processes PID started.
workers_of() {
	pgrep -P "$1" -x gatehouse | sort -n | tr '\n' ' '
}

# workers_back PARENT N: how many workers PARENT has once it has N again,
# or after 20 s. lighttpd starts a dead backend's replacement only when
# it next looks (about once a second, later on a loaded machine), so
# ask it for pages while waiting.
workers_back() {
	local i n
	for i in $(seq 40); do
		n=$(workers_of "$1" | wc -w)
		[ "$n" -ge "$2" ] && break
		curl -s -o /dev/null "$BASE_URL/healthz"
		sleep 0.5
	done
	echo "$n"
}

# kill_running PIDS...: SIGKILL one of them while it runs (state R in
# /proc: in the middle of a request, not waiting in accept). Prints
# the pid killed.
kill_running() {
	local pid state
	for _ in $(seq 500); do
		for pid in "$@"; do
			state=$(awk '{ print $3 }' "/proc/$pid/stat" 2> /dev/null)
			if [ "$state" = R ]; then
				kill -9 "$pid"
				echo "$pid"
				return 0
			fi
		done
		sleep 0.01
	done
	return 1
}

# load_with_kills NAME SECONDS KILLS PARENT: 16 clients for SECONDS while
# KILLS workers of PARENT are killed, one every SECONDS/(KILLS+1) s.
# The figures go to $GH_STATE/NAME.report; KILLED counts the kills,
# KILLED_PIDS names them.
load_with_kills() {
	local name=$1 secs=$2 kills=$3 parent=$4 load k victim
	python3 "$top_srcdir/tests/integration/load.py" "$BASE_URL" "$PASS" \
	    16 "$secs" "$GH_STATE/$name.report" &
	load=$!
	KILLED=0
	KILLED_PIDS=
	for k in $(seq "$kills"); do
		sleep "$(awk "BEGIN { print $secs / ($kills + 1) }")"
		# shellcheck disable=SC2046
		if victim=$(kill_running $(workers_of "$parent")); then
			KILLED=$((KILLED + 1))
			KILLED_PIDS="$KILLED_PIDS $victim"
		fi
	done
	wait "$load"
}

fig() {
	sed -n "s/^$2 //p" "$GH_STATE/$1.report"
}

# --- SIGKILL under load, Gatehouse's own pool (gatehouse -w 4) ---
#
# The supervisor keeps the listening socket open, so connections queued
# on it wait for another worker: only the request the killed worker was
# answering may fail (lighttpd answers it with a 500).
write_pool_conf() {
	write_lighttpd_conf
	sed -i -e "s|\"bin-path\" => \"$GH_BIN\"|\"bin-path\" => \"$GH_BIN -w 4\"|" \
	    -e 's/"max-procs" => 2/"max-procs" => 1/' "$GH_STATE/lighttpd.conf"
}
SERVER_LOGS=$GH_STATE/error.log start_server pool write_pool_conf \
    "$lighttpd" -D -f "$GH_STATE/lighttpd.conf"
for _ in $(seq 8); do curl -s -o /dev/null "$BASE_URL/healthz"; done
SUPERVISOR=$(pgrep -P "$SERVER_PID" -x gatehouse)
BEFORE=$(workers_of "$SUPERVISOR")
check "pool: 4 workers" "$(echo $BEFORE | wc -w)" 4
load_with_kills pool 10 3 "$SUPERVISOR"
grep -v '^kept_session ' "$GH_STATE/pool.report" | sed 's/^/# pool: /'
echo "# pool: workers killed in the middle of a request: $KILLED"
check "pool: 3 workers were killed while running" "$KILLED" 3
check "pool: 4 workers again" "$(workers_back "$SUPERVISOR" 4)" 4
AFTER=$(workers_of "$SUPERVISOR")
check "pool: none of the killed ones is among them" \
    "$(comm -12 <(echo $KILLED_PIDS | tr ' ' '\n' | sort) \
    <(echo $AFTER | tr ' ' '\n' | sort) | wc -l)" 0
check "pool: no more failures than kills" \
    "$([ "$(fig pool 5xx)" -le "$KILLED" ] && echo yes)" yes
check "pool: every failure was a 5xx (the killed request)" \
    "$(fig pool errors)" "$(fig pool 5xx)"
check "pool: no answer names another user" "$(fig pool wrong_user)" 0
check "pool: no connection failed" "$(fig pool connection_errors)" 0
check "pool: every kept session is live" "$(fig pool kept_live)" \
    "$(fig pool kept)"
check "pool: every ended session is gone" "$(fig pool ended_gone)" \
    "$(fig pool ended_checked)"
check "pool: integrity_check is ok" \
    "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok
logs
check "pool: the supervisor logged each death" \
    "$(grep -c 'died of signal 9; starting another' "$LOG")" 3
stop_lighttpd

# --- SIGKILL under load, lighttpd's own processes (max-procs 4) ---
#
# lighttpd gives each process its own socket, and only the process
# holds it: connections queued on it die with it. This is measured and
# reported, not held to "only the killed request": see RELIABILITY.md.
write_procs_conf() {
	write_lighttpd_conf
	sed -i 's/"max-procs" => 2/"max-procs" => 4/' "$GH_STATE/lighttpd.conf"
}
SERVER_LOGS=$GH_STATE/error.log start_server procs write_procs_conf \
    "$lighttpd" -D -f "$GH_STATE/lighttpd.conf"
for _ in $(seq 8); do curl -s -o /dev/null "$BASE_URL/healthz"; done
BEFORE=$(workers_of "$SERVER_PID")
check "lighttpd: 4 workers" "$(echo $BEFORE | wc -w)" 4
load_with_kills procs 10 3 "$SERVER_PID"
grep -v '^kept_session ' "$GH_STATE/procs.report" | sed 's/^/# lighttpd: /'
echo "# lighttpd: workers killed in the middle of a request: $KILLED"
check "lighttpd: 3 workers were killed while running" "$KILLED" 3
check "lighttpd: 4 workers again" "$(workers_back "$SERVER_PID" 4)" 4
check "lighttpd: every failure was a 5xx" "$(fig procs errors)" \
    "$(fig procs 5xx)"
check "lighttpd: no answer names another user" "$(fig procs wrong_user)" 0
check "lighttpd: every kept session is live" "$(fig procs kept_live)" \
    "$(fig procs kept)"
check "lighttpd: integrity_check is ok" \
    "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok
stop_lighttpd

# --- The database's faults, one lighttpd with its two workers ---
start_lighttpd
SID=$(sid_of_login "$BASE_URL/login" alice "$PASS")
check "a session before the faults" "${#SID}" 43

# probe NAME: a login, /whoami with $SID, /healthz; sets LOGIN, WHOAMI,
# HEALTH to their statuses, and RETRY to the login's Retry-After.
probe() {
	form "$1-login" --data-urlencode username=alice \
	    --data-urlencode "password=$PASS" "$BASE_URL/login"
	LOGIN=$STATUS
	RETRY=$(header Retry-After)
	req "$1-whoami" -H "Cookie: __Host-gh_sid=$SID" "$BASE_URL/whoami"
	WHOAMI=$STATUS
	req "$1-health" "$BASE_URL/healthz"
	HEALTH=$STATUS
}

# A second, after each change to the file: the file is looked at again
# at most once a second (gatehouse(8)).
settle() {
	sleep 1.1
}

# Locked by another process for longer than busy_timeout (1 s here).
python3 -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(3)
c.execute("COMMIT")' "$DB" > "$GH_STATE/locker.out" &
LOCKER=$!
for _ in $(seq 50); do
	grep -q locked "$GH_STATE/locker.out" && break
	sleep 0.1
done
probe locked
check "locked: a login is 503" "$LOGIN" 503
check "locked: with Retry-After" "$RETRY" 5
check "locked: /healthz is 503" "$HEALTH" 503
check "locked: reading a session goes on (WAL)" "$WHOAMI" 200
wait "$LOCKER"
probe unlocked
check "unlocked: a login is 303 again" "$LOGIN" 303
logs
check_grep "locked: the log says why" "$LOG" \
    ': database is locked \(another process held it longer than busy_timeout\)$'

# A full file system.
if [ -n "$MOUNTED" ]; then
	# An empty WAL, so that the next write must grow a file.
	sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
	dd if=/dev/zero of="$DBDIR/filler" bs=4k 2> /dev/null
	settle
	probe full
	check "full: a login is 503" "$LOGIN" 503
	check "full: a session can still be read" "$WHOAMI" 200
	rm -f "$DBDIR/filler"
	settle
	probe unfull
	check "full: a login is 303 once there is room" "$LOGIN" 303
	check "full: the session lives on" "$WHOAMI" 200
	logs
	check_grep "full: the log says why" "$LOG" \
	    ': database or disk is full'
else
	ok "# SKIP full file system: cannot mount a tmpfs"
fi

# A read-only file system (as after an ext4 error with errors=remount-ro;
# a file system in use cannot be remounted read-only, so restart).
if [ -n "$MOUNTED" ]; then
	stop_lighttpd
	# No WAL index left behind: with one (a worker that did not close
	# its handle), SQLite opens the file read-only and reads go on; that
	# handle then stays read-only after the file system is writable
	# again, until the worker restarts. Not covered here, and not yet
	# handled by the store.
	sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
	rm -f "$DB-wal" "$DB-shm"
	mount -o remount,ro "$DBDIR"
	check "read-only: the file system is read-only" \
	    "$(touch "$DBDIR/x" 2> /dev/null && echo rw || echo ro)" ro
	start_lighttpd
	probe ro
	check "read-only: a login is 503" "$LOGIN" 503
	check "read-only: /whoami is 503" "$WHOAMI" 503
	check "read-only: /healthz is 503" "$HEALTH" 503
	mount -o remount,rw "$DBDIR"
	settle
	probe rw
	check "read-only: a login is 303 once writable" "$LOGIN" 303
	check "read-only: the session from before lives on" "$WHOAMI" 200
	logs
	check_grep "read-only: the log says why" "$LOG" \
	    'unable to open database file: its folder cannot be written: Read-only file system$'
else
	ok "# SKIP read-only file system: cannot mount a tmpfs"
fi

# Deleted, then restored from a backup.
sqlite3 "$DB" ".backup $GH_STATE/backup.db"
rm -f "$DB" "$DB-wal" "$DB-shm"
settle
probe deleted
check "deleted: a login is 503" "$LOGIN" 503
check "deleted: /whoami is 503" "$WHOAMI" 503
check "deleted: /healthz is 503" "$HEALTH" 503
check "deleted: no empty database is made" \
    "$([ -e "$DB" ] && echo made || echo none)" none
cp "$GH_STATE/backup.db" "$DB"
settle
probe restored
check "deleted: a login is 303 once restored" "$LOGIN" 303
check "deleted: the session of the backup lives" "$WHOAMI" 200
logs
check_grep "deleted: the log says what to do" "$LOG" \
    'cannot open .*gatehouse-admin migrate'

# Damaged: a page overwritten, then the header. Found at start, with
# what to do; requests get 503, the workers live on.
stop_lighttpd
sqlite3 "$DB" ".backup $GH_STATE/backup.db"
sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
pages=$(sqlite3 "$DB" 'PRAGMA page_count')
psize=$(sqlite3 "$DB" 'PRAGMA page_size')
for p in $(seq 2 "$pages"); do
	head -c "$psize" /dev/zero | tr '\0' '\377' |
	    dd of="$DB" bs="$psize" seek=$((p - 1)) conv=notrunc 2> /dev/null
done
"$GH_BIN" -t -c "$GH_CONF" > "$GH_STATE/check.out" 2>&1
check "damaged: gatehouse -t fails" "$?" 1
check_grep "damaged: gatehouse -t says what to do" "$GH_STATE/check.out" \
    'damaged.*: stop gatehouse, restore it from a backup or salvage it with "sqlite3 .* \.recover", and start again\)?$'
start_lighttpd
WORKERS=$(workers_of "$SERVER_PID")
probe damaged
check "damaged: a login is 503" "$LOGIN" 503
check "damaged: /whoami is 503" "$WHOAMI" 503
check "damaged: /healthz is 503" "$HEALTH" 503
check "damaged: no worker died" "$(workers_of "$SERVER_PID")" "$WORKERS"
logs
check_grep "damaged: reported at start" "$LOG" \
    'gatehouse\[[0-9]+\]: warn: store: .*(is damaged \(|the file is damaged: stop)'
check_grep "damaged: each failure says what to do" "$LOG" \
    'malformed \(the file is damaged: stop gatehouse, restore it'
stop_lighttpd
printf 'not a database at all, nothing like one' |
    dd of="$DB" conv=notrunc 2> /dev/null
start_lighttpd
probe header
check "damaged header: a login is 503" "$LOGIN" 503
check "damaged header: /healthz is 503" "$HEALTH" 503
logs
check_grep "damaged header: the log says what to do" "$LOG" \
    'file is not a database \(the file is damaged: stop gatehouse'
stop_lighttpd
cp "$GH_STATE/backup.db" "$DB"
rm -f "$DB-wal" "$DB-shm"
start_lighttpd
probe recovered
check "damaged: a login is 303 once restored" "$LOGIN" 303
check "damaged: the session of the backup lives" "$WHOAMI" 200

# --- Requests at the limits: each a clean 4xx, and service goes on ---
WORKERS=$(workers_of "$SERVER_PID")
# limit NAME [curl args]: the request gets a 4xx.
limit() {
	local name=$1
	shift
	req "limit-$name" "$@"
	if [ "$STATUS" -ge 400 ] && [ "$STATUS" -lt 500 ]; then
		ok "limit: $name is $STATUS"
	else
		not_ok "limit: $name is a 4xx" "got: $STATUS" \
		    "$(head -c 300 "$B")"
	fi
}
long() {
	head -c "$2" /dev/zero | tr '\0' "$1"
}
limit "a 6 KiB cookie" -H "Cookie: junk=$(long a 6144)" "$BASE_URL/whoami"
limit "a 6 KiB session cookie" \
    -H "Cookie: __Host-gh_sid=$(long a 6144)" "$BASE_URL/whoami"
limit "a 9 KiB cookie" -H "Cookie: junk=$(long a 9216)" "$BASE_URL/whoami"
limit "a 64 KiB cookie" -H "Cookie: junk=$(long a 65536)" \
    "$BASE_URL/private/"
long a 1048576 > "$GH_STATE/mib"
limit "a 1 MiB form body" --data-binary "@$GH_STATE/mib" "$BASE_URL/login"
limit "a 1 MiB JSON body" -H 'Content-Type: application/json' \
    --data-binary "@$GH_STATE/mib" "$BASE_URL/token"
seq -f 'p%g=1' 10000 | paste -sd '&' > "$GH_STATE/params"
limit "10,000 form fields" --data-binary "@$GH_STATE/params" \
    "$BASE_URL/token"
limit "10,000 query parameters" \
    "$BASE_URL/login?$(head -c 6000 "$GH_STATE/params")"
limit "an empty Cookie" -H 'Cookie;' "$BASE_URL/whoami"
limit "an empty Authorization" -H 'Authorization;' "$BASE_URL/api/x"
limit "a bare Bearer" -H 'Authorization: Bearer' "$BASE_URL/api/x"
limit "a 6 KiB bearer token" -H "Authorization: Bearer $(long a 6144)" \
    "$BASE_URL/api/x"
limit "a 6 KiB Origin on a form" -H "Origin: $(long a 6144)" \
    --data 'username=alice&password=x' "$BASE_URL/login"
limit "a 64 KiB header" -H "X-Junk: $(long a 65536)" "$BASE_URL/whoami"
limit "a NUL in a form field" --data 'username=ali%00ce&password=x' \
    "$BASE_URL/token"
printf 'username=al\0ice&password=x' > "$GH_STATE/nul"
limit "a raw NUL byte in a form" --data-binary "@$GH_STATE/nul" \
    "$BASE_URL/token"
limit "a NUL in JSON" -H 'Content-Type: application/json' \
    --data '{"username":"ali\u0000ce","password":"x"}' "$BASE_URL/token"
limit "a NUL in the path" "$BASE_URL/private/a%00.html"
limit "a NUL in the query" "$BASE_URL/login?next=/a%00b"
printf 'username=\377\376&password=x' > "$GH_STATE/utf8"
limit "invalid UTF-8 in a form" --data-binary "@$GH_STATE/utf8" \
    "$BASE_URL/token"
limit "invalid UTF-8 escaped in a form" --data 'username=%C3%28&password=x' \
    "$BASE_URL/token"
printf '{"username":"\377","password":"x"}' > "$GH_STATE/utf8.json"
limit "invalid UTF-8 in JSON" -H 'Content-Type: application/json' \
    --data-binary "@$GH_STATE/utf8.json" "$BASE_URL/token"
limit "invalid UTF-8 in a cookie" \
    -H "$(printf 'Cookie: __Host-gh_sid=\377\376')" "$BASE_URL/whoami"
limit "invalid UTF-8 in the path" "$BASE_URL/private/%ff%fe.html"
check "limits: the same workers still run" "$(workers_of "$SERVER_PID")" \
    "$WORKERS"
probe after-limits
check "limits: a login is 303 afterwards" "$LOGIN" 303
check "limits: /healthz is 200 afterwards" "$HEALTH" 200
logs
check_no_grep "limits: no internal error" "$LOG" "internal error"
check_no_grep "no password in the log" "$LOG" "$PASS"
check_no_grep "no session id in the log" "$LOG" "$SID"
check "integrity_check is ok at the end" \
    "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok

gh_done
