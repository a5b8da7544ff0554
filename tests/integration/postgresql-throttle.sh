#!/bin/bash
# throttle.sh, unchanged, on PostgreSQL instead of a SQLite file (see
# pg_run_test in tests/pg.sh). Output is TAP.

. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/pg.sh"
pg_run_test throttle.sh
