# The store's unit tests (test_store) on a throwaway PostgreSQL server
# instead of SQLite files: see tests/pg.sh. Skipped when this build has
# no libpq or PostgreSQL is not installed (scripts/deps.sh installs it).

: "${top_srcdir:?top_srcdir must be set (make check sets it)}"
: "${top_builddir:?top_builddir must be set (make check sets it)}"

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

. "$top_srcdir/tests/pg.sh"
pg_skip_unless_usable
trap pg_remove EXIT
pg_start_or_bail
GH_TEST_PG=$GH_PG "$top_builddir/tests/unit/test_store"
