#!/bin/sh
# The anchors' EXTRA_SETUP hook: Gatehouse's own copy of the program (so
# its processes are counted apart), its configuration, a protected page
# the size of the anchors' one, and a database with $SESSIONS sessions
# (10% ended) and the request pools, made by bench_prep.
set -eu
: "${GH_BUILD:?run bench/run}" "${GH_SRC:?run bench/run}"
GH=$RUN_DIR/gatehouse
mkdir -p "$GH/private" "$POOLS/gh"
cp "$GH_BUILD/src/gatehouse" "$GH/gatehouse"
cat > "$GH/gatehouse.conf" <<CONF
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
printf '%s\n' '<!doctype html><html><head><title>protected</title></head><body><p>Welcome, {{user}}.</p></body></html>' \
    > "$GH/private/bench.html"
"$GH_BUILD/bench/bench_prep" "$GH/gatehouse.conf" "${GH_USERS:-1000}" \
    "$SESSIONS" "$POOL" "$POOLS/gh"
