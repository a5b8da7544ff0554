#!/bin/sh
# Turn the numbered migrations given as arguments (NNN-name.sql) into an
# array of C called as the first argument, on stdout, so that the binaries
# carry their schema and need no path to sql/ at run time. Numbers must
# run 1, 2, 3... without gaps. Called once per backend (sql/sqlite/,
# sql/postgresql/).
set -eu

array=$1
shift

printf '/* Generated from sql/ by build-aux/sql2c.sh: do not edit. */\n'
printf '#include "store.h"\n\n'
printf 'const struct migration %s[] = {\n' "$array"
expect=1
for f in "$@"; do
	base=$(basename "$f")
	num=$(printf '%s\n' "$base" | sed -n 's/^\([0-9][0-9]*\)-.*\.sql$/\1/p')
	if [ -z "$num" ] || [ "$(expr "$num" + 0)" -ne "$expect" ]; then
		echo "sql2c: $f: expected migration number $expect" >&2
		exit 1
	fi
	printf '\t{ %d, "%s",\n' "$expect" "$base"
	# Escape backslashes and quotes; one C string literal per line.
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t    "/' -e 's/$/\\n"/' "$f"
	printf '\t},\n'
	expect=$((expect + 1))
done
printf '};\n\n'
printf 'const int %s_count = %d;\n' "$array" $((expect - 1))
