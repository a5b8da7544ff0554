# Sourced by scripts/demo and scripts/check: install the Debian packages
# a step needs, if any are missing. As root, apt-get runs directly; else
# through sudo when there is one; else the exact command is printed and
# the script stops.

# Build: compiler, autotools and the libraries Gatehouse links (libpq
# for the optional PostgreSQL store).
GH_BUILD_PACKAGES="build-essential autoconf automake autoconf-archive \
pkg-config libfcgi-dev libsqlite3-dev libssl-dev libjansson-dev libinih-dev \
libzxcvbn-dev libpq-dev"
# Serving: the web server the demo and the integration tests start.
GH_SERVE_PACKAGES="lighttpd sqlite3 curl"
# Testing: the unit test framework, independent token checkers, the
# load driver's Python and the fault tests' pgrep, the other servers the
# deployment tests put in front of Gatehouse, and the browser of the
# browser test, and the PostgreSQL server the PostgreSQL store's tests
# start.
GH_TEST_PACKAGES="libcmocka-dev openssl nodejs python3 procps apache2 \
libapache2-mod-fcgid spawn-fcgi nginx fcgiwrap chromium postgresql"
# Fuzzing and static analysis (scripts/fuzz, scripts/lint): clang with
# libFuzzer and the sanitizer runtimes, clang-tidy and cppcheck.
GH_FUZZ_PACKAGES="clang libclang-rt-14-dev"
GH_LINT_PACKAGES="clang-tidy cppcheck"
# npm packages the tests use, installed under the build folder's node/.
GH_TEST_NPM="playwright-core@1.65.2"

gh_missing_packages() {
	local p missing=
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		    grep -q 'install ok installed' || missing="$missing $p"
	done
	echo "$missing"
}

gh_install_packages() {
	local missing sudo=
	if ! command -v dpkg-query > /dev/null; then
		echo "Not a Debian system: install the equivalents of:" >&2
		echo "  $*" >&2
		return 0
	fi
	missing=$(gh_missing_packages "$@")
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo > /dev/null; then
			sudo=sudo
		else
			echo "These Debian packages are missing. As root, run:" >&2
			echo "  apt-get install -y$missing" >&2
			exit 1
		fi
	fi
	echo "Installing:$missing"
	$sudo apt-get update -qq || true
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
	    -o DPkg::Lock::Timeout=900 $missing
}

# gh_install_npm DIR: the npm packages of GH_TEST_NPM under DIR/node
# (tests/integration/browser.sh looks there), unless they are there.
gh_install_npm() {
	local dir=$1/node
	[ -f "$dir/.gh-npm" ] && [ "$(cat "$dir/.gh-npm")" = "$GH_TEST_NPM" ] &&
	    return 0
	command -v npm > /dev/null || gh_install_packages npm
	mkdir -p "$dir"
	# Its own package.json, or npm would look for one in the folders
	# above and install there.
	[ -f "$dir/package.json" ] || echo '{ "private": true }' \
	    > "$dir/package.json"
	echo "Installing from npm: $GH_TEST_NPM"
	(cd "$dir" && npm install --no-audit --no-fund --silent \
	    $GH_TEST_NPM) && echo "$GH_TEST_NPM" > "$dir/.gh-npm"
}

# gh_build DIR [configure options]: build out of tree in DIR, keeping
# the source tree clean. Reconfigures when the options change.
gh_build() {
	local dir=$1 top
	shift
	top=$(pwd)
	if [ -f "$top/config.status" ]; then
		# An in-tree configure blocks builds in other folders.
		echo "Cleaning the in-tree configuration (make distclean)"
		make -s distclean > /dev/null 2>&1 || true
	fi
	[ -x "$top/configure" ] && [ "$top/configure" -nt "$top/configure.ac" ] ||
	    autoreconf -fi
	mkdir -p "$dir"
	if [ ! -f "$dir/config.status" ] ||
	    [ "$(cat "$dir/.gh-options" 2>/dev/null)" != "$*" ]; then
		(cd "$dir" && "$top/configure" -q "$@") || return 1
		echo "$*" > "$dir/.gh-options"
	fi
	make -s -C "$dir" -j"$(nproc 2>/dev/null || echo 2)"
}
