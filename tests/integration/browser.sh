#!/bin/bash
# The browser login flow in a real headless Chromium (browser.mjs, with
# Playwright) through lighttpd and the built Gatehouse. Needs Debian's
# chromium and the npm package playwright-core, which scripts/check
# installs (under the build folder's node/); without them the test is
# skipped. postgresql-browser.sh runs it on PostgreSQL. Output is TAP.

. "$top_srcdir/tests/integration/lib.sh"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || skip_all "chromium is not installed"
command -v node > /dev/null || skip_all "node is not installed"
export NODE_PATH=${NODE_PATH:-$top_builddir/node/node_modules}
[ -d "$NODE_PATH/playwright-core" ] ||
    skip_all "playwright-core is not installed (scripts/check installs it)"

gh_setup "[tokens]" "mode = both" "[authorizer]" "login_url = /login"
start_lighttpd
PASS='correct horse battery'
printf '%s\n' "$PASS" | "$GH_ADMIN" -c "$GH_CONF" useradd alice \
    > /dev/null 2>&1
"$GH_ADMIN" -c "$GH_CONF" key generate ES256 > /dev/null 2>&1
# An ES module finds packages from its own folder only: give it one.
mkdir -p "$GH_STATE/node"
cp "$top_srcdir/tests/integration/browser.mjs" "$GH_STATE/node/"
ln -s "$NODE_PATH" "$GH_STATE/node/node_modules"
# For the 503 page, the store goes away and comes back: a SQLite file
# is moved aside, a PostgreSQL server stopped (pg_run_test exports
# where it is).
if [ -n "${GH_DATABASE:-}" ]; then
	GH_STORE_DOWN=". '$top_srcdir/tests/pg.sh' && pg_stop"
	GH_STORE_UP=". '$top_srcdir/tests/pg.sh' && pg_ctl_start"
else
	GH_STORE_DOWN="mv '$GH_STATE/gatehouse.db' '$GH_STATE/gatehouse.away'"
	GH_STORE_UP="mv '$GH_STATE/gatehouse.away' '$GH_STATE/gatehouse.db'"
fi
export GH_STORE_DOWN GH_STORE_UP
# Screenshots of every page land in the build folder's screenshots/.
CHROMIUM=$CHROMIUM SHOTS=$top_builddir/screenshots \
    node "$GH_STATE/node/browser.mjs" "$BASE_URL" alice \
    "$PASS" > "$GH_STATE/browser.tap" 2> "$GH_STATE/browser.err"
rc=$?
# Renumber its points into ours.
while IFS= read -r line; do
	case $line in
	"ok "*) ok "${line#ok * - }" ;;
	"not ok "*) not_ok "${line#not ok * - }" ;;
	"# "*) echo "$line" ;;
	esac
done < "$GH_STATE/browser.tap"
if [ "$rc" -ne 0 ] && [ "$gh_failed" -eq 0 ]; then
	not_ok "the browser script ran to its end" \
	    "$(head -c 3000 "$GH_STATE/browser.err")"
fi
gh_done
