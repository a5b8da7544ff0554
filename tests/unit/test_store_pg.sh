# The store's unit tests (test_store) on a throwaway PostgreSQL server
# instead of SQLite files: see tests/pg.sh. Skipped when this build has
# no libpq or PostgreSQL is not installed (scripts/deps.sh installs it).

: "${top_srcdir:?top_srcdir must be set (make check sets it)}"
: "${top_builddir:?top_builddir must be set (make check sets it)}"

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

grep -q '^#define HAVE_LIBPQ 1' "$top_builddir/config.h" ||
    skip_all "built without libpq (libpq-dev)"
. "$top_srcdir/tests/pg.sh"
pg_bin > /dev/null || skip_all "PostgreSQL is not installed (postgresql)"

dir=$(mktemp -d /tmp/gatehouse-pg.XXXXXX)
trap 'pg_stop; rm -rf "$dir"' EXIT
if ! pg_start "$dir"; then
	echo "Bail out! PostgreSQL did not start:"
	sed 's/^/# /' "$dir"/*.log
	exit 1
fi
"$top_builddir/tests/unit/test_store"
