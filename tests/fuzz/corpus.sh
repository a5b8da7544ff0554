#!/bin/bash
# Replay every fuzz target's seed corpus (tests/fuzz/corpus/NAME) and
# its regression inputs (tests/fuzz/regressions/NAME) once, in TAP: one
# test per target. The targets are the programs of Makefile.am's
# FUZZ_TARGETS, with replay.c's main() or libFuzzer's (both run the
# files they are given once each and fail on a broken property).
set -u
src=${top_srcdir:-.}/tests/fuzz
bin=${top_builddir:-.}/tests/fuzz
targets=(app config cookie csrf form json jws proxy request template)

echo "1..${#targets[@]}"
i=0
for t in "${targets[@]}"; do
	i=$((i + 1))
	mapfile -t files < <(find "$src/corpus/$t" "$src/regressions/$t" \
	    -type f 2>/dev/null | sort)
	if [ "${#files[@]}" -eq 0 ]; then
		echo "not ok $i - fuzz_$t: no inputs under $src/corpus/$t"
		continue
	fi
	if out=$("$bin/fuzz_$t" "${files[@]}" 2>&1); then
		echo "ok $i - fuzz_$t: ${#files[@]} inputs"
	else
		echo "not ok $i - fuzz_$t: ${#files[@]} inputs"
		printf '%s\n' "$out" | tail -40 | sed 's/^/# /'
	fi
done
