#!/bin/sh
# The anchors' EXTRA_SETUP hook: Gatehouse's instances, each with its
# own copy of the program (so that its processes are counted apart), its
# configuration, a protected page the size of the anchors' one, and a
# database with sessions (10% ended), keys and request pools made by
# bench_prep; then the targets file, with the login forms filled in.
#
#   gatehouse/            the main instance, mounted at /gh: $SESSIONS
#                         sessions over $GH_USERS users (1,000)
#   gatehouse/authz/      the same store, as lighttpd's authorizer for
#                         /g-authz/, a static file
#   gatehouse/touch/      touch_interval = 0: last_seen written at every
#                         request
#   gatehouse/login/      the KDF set as low as it goes, for logins
#   gatehouse/kdf/        the KDF at its default, for logins
#   gatehouse/s10k/, s1m/ 10,000 and 1,000,000 sessions
#   gatehouse/u10k/       $SESSIONS sessions over 10,000 users
#   gatehouse/pg/         the store in PostgreSQL (a server of its own in
#                         $RUN_DIR/pg, as the tests start one): $SESSIONS
#                         sessions over 1,000 users, the KDF as low as it
#                         goes; filled as a SQLite file, then copied
#                         with gatehouse-admin copy-to
set -eu
: "${GH_BUILD:?run bench/run}" "${GH_SRC:?run bench/run}"
GH=$RUN_DIR/gatehouse

# instance DIR POOLDIR USERS SESSIONS [configuration lines...]
instance() {
	dir=$1 pools=$2 users=$3 sessions=$4
	shift 4
	mkdir -p "$dir/private" "$pools"
	cp "$GH_BUILD/src/gatehouse" "$dir/gatehouse"
	{
		cat <<-CONF
		[database]
		path = gh.db
		[tokens]
		mode = both
		issuer = https://bench.test
		# Tokens must outlive the whole run.
		access_lifetime = 1d
		refresh_lifetime = 2d
		[server]
		www = $GH_SRC/www
		private = private
		log_level = warn
		CONF
		for line; do
			echo "$line"
		done
	} > "$dir/gatehouse.conf"
	printf '%s\n' '<!doctype html><html><head><title>protected</title></head><body><p>Welcome, {{user}}.</p></body></html>' \
	    > "$dir/private/bench.html"
	"$GH_BUILD/bench/bench_prep" "$dir/gatehouse.conf" "$users" \
	    "$sessions" "$POOL" "$pools"
}

# One client address logs in thousands of times a second: the throttle
# would rightly hold it back after a few (each attempt counts as a
# failure until the password is right, and a right one clears only the
# name's). Loosened as far as it goes; its writes are still paid.
LOGIN_THROTTLE="[throttle]
address_threshold = 100000
window = 1"

instance "$GH" "$POOLS/gh" "${GH_USERS:-1000}" "$SESSIONS"
mkdir -p "$GH/authz" "$RUN_DIR/docroot/g-authz"
cp "$GH_BUILD/src/gatehouse" "$GH/authz/gatehouse"
cp "$RUN_DIR/docroot/static.html" "$RUN_DIR/docroot/g-authz/static.html"
instance "$GH/touch" "$POOLS/gh-touch" 1000 "$SESSIONS" \
    "[session]" "touch_interval = 0"
instance "$GH/login" "$POOLS/gh-login" 1000 "$POOL" \
    "[password]" "scrypt_log2n = 10" "scrypt_r = 1" "scrypt_p = 1" \
    "$LOGIN_THROTTLE"
instance "$GH/kdf" "$POOLS/gh-kdf" 1000 "$POOL" "$LOGIN_THROTTLE"
instance "$GH/s10k" "$POOLS/gh-s10k" 1000 10000
instance "$GH/s1m" "$POOLS/gh-s1m" 1000 1000000
instance "$GH/u10k" "$POOLS/gh-u10k" 10000 "$SESSIONS"

# The PostgreSQL instance: bench_prep writes SQLite only, so the store
# is made as a file and copied over; the file stays, unused. bench/run
# stops the server when the kit is done.
pg_instance() {
	dir=$GH/pg
	instance "$dir" "$POOLS/gh-pg" 1000 "$SESSIONS" \
	    "[password]" "scrypt_log2n = 10" "scrypt_r = 1" "scrypt_p = 1" \
	    "$LOGIN_THROTTLE"
	. "$GH_SRC/tests/pg.sh"
	pg_start "$RUN_DIR/pg" || {
		echo "bench/setup.sh: PostgreSQL did not start:" >&2
		cat "$RUN_DIR"/pg/*.log >&2
		exit 1
	}
	"$GH_BUILD/src/gatehouse-admin" -c "$dir/gatehouse.conf" copy-to \
	    "$GH_PG" > /dev/null
	# The same keys and secrets, now named, since no file is beside.
	sed -i "s|^path = gh\.db\$|path = $GH_PG|" "$dir/gatehouse.conf"
	{
		echo "[tokens]"
		echo "keys_dir = $dir/keys"
		echo "[server]"
		echo "secrets = $dir/secrets"
	} >> "$dir/gatehouse.conf"
}
pg_instance

# The kit takes a target's body as one word of the targets file.
escape() {
	sed 's/[&|\\]/\\&/g' "$1"
}
sed -e "s|@LOGIN_BODY@|$(escape "$POOLS/gh-login/login.body")|" \
    -e "s|@KDF_BODY@|$(escape "$POOLS/gh-kdf/login.body")|" \
    -e "s|@PG_LOGIN_BODY@|$(escape "$POOLS/gh-pg/login.body")|" \
    "$GH_SRC/bench/targets.txt" > "$GH_BUILD/bench-targets.txt"
