# Sourced by the tests that need PostgreSQL: a throwaway server from
# Debian's packages (postgresql-15), in a folder of its own, listening
# on a Unix socket in that folder only, stopped again by pg_stop.
#
# pg_start DIR: initdb and start a server in DIR (which must not exist
# yet). Sets PG_DIR and GH_PG, the keyword connection string of its
# database "gatehouse". Returns 1 when PostgreSQL is not installed, 2
# when it would not start (its log is in DIR/server.log).
# pg_stop: stop it (fast shutdown), if it runs; pg_ctl_start starts it
# again.

pg_bin() {
	local d
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
	done
	return 1
}

# initdb and the server refuse to run as root: run them as postgres,
# the user Debian's package makes, then.
pg_as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_start() {
	local dir=$1 bin
	bin=$(pg_bin) || return 1
	PG_BIN=$bin
	PG_DIR=$dir
	mkdir -p "$dir" || return 2
	if [ "$(id -u)" -eq 0 ]; then
		getent passwd postgres > /dev/null || return 1
		chown postgres: "$dir"
	fi
	# The socket is in the folder: the web server's user must reach it.
	chmod 755 "$dir"
	pg_as_owner "$bin/initdb" -D "$dir/data" -U gatehouse -A trust \
	    -E UTF8 --locale=C --no-sync > "$dir/initdb.log" 2>&1 || return 2
	pg_ctl_start || return 2
	pg_as_owner "$bin/createdb" -h "$dir" -U gatehouse gatehouse \
	    > "$dir/createdb.log" 2>&1 || return 2
	GH_PG="host=$dir user=gatehouse dbname=gatehouse"
	export GH_PG
}

# The server alone, with no TCP port: several tests may run at once.
pg_ctl_start() {
	pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -t 30 \
	    -l "$PG_DIR/server.log" \
	    -o "-k $PG_DIR -c listen_addresses= -c fsync=off" start \
	    > /dev/null 2>&1
}

pg_stop() {
	[ -n "${PG_DIR:-}" ] && [ -f "$PG_DIR/data/postmaster.pid" ] || return 0
	pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -m fast stop \
	    > /dev/null 2>&1
}

# pg_skip_unless_usable: skip the test (TAP, skip_all of the caller)
# unless this build has libpq and PostgreSQL is installed.
pg_skip_unless_usable() {
	grep -q '^#define HAVE_LIBPQ 1' "$top_builddir/config.h" ||
	    skip_all "built without libpq (libpq-dev)"
	pg_bin > /dev/null ||
	    skip_all "PostgreSQL is not installed (postgresql)"
}

# pg_start_or_bail: pg_start in a new temporary folder, or "Bail out!"
# with the server's logs.
pg_start_or_bail() {
	local dir
	dir=$(mktemp -d /tmp/gatehouse-pg.XXXXXX)
	pg_start "$dir" && return 0
	echo "Bail out! PostgreSQL did not start:"
	sed 's/^/# /' "$dir"/*.log
	pg_stop
	rm -rf "$dir"
	exit 1
}

# pg_remove: stop the server and remove its folder.
pg_remove() {
	pg_stop
	[ -n "${PG_DIR:-}" ] && rm -rf "$PG_DIR"
}

# pg_run_test SCRIPT: run the integration test SCRIPT (of
# tests/integration/) on a throwaway PostgreSQL server instead of a
# SQLite file, passing its TAP on and returning its status. The test
# sees GH_DATABASE (the connection string), and PG_DIR and PG_BIN, for
# pg_stop and pg_ctl_start.
pg_run_test() {
	local status
	pg_skip_unless_usable
	trap pg_remove EXIT
	pg_start_or_bail
	GH_DATABASE=$GH_PG PG_DIR=$PG_DIR PG_BIN=$PG_BIN \
	    bash "$top_srcdir/tests/integration/$1"
	status=$?
	pg_remove
	trap - EXIT
	return $status
}
