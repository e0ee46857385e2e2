#!/bin/sh
# run.sh [DIR | SCRIPT...] - run every DIR/test_*.sh (default
# tests/integration), or the named scripts; each prints its own cases and a
# closing "N passed, N failed" line.  Prints the grand total the same way.
# EVBD_BUILD (see lib.sh) picks the build directory the tests run.
set -u
cd "$(dirname "$0")/../.."
if [ $# -gt 1 ] || [ -f "${1:-}" ]; then
	dir=$(dirname "$1")
else
	dir=${1:-tests/integration}
	set -- "$dir"/test_*.sh
fi
pass=0
fail=0
for t in "$@"; do
	[ -e "$t" ] || continue
	echo "== $t"
	out=$(mktemp)
	sh "$t" 2>&1 | tee "$out"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
	p=$(echo "$line" | awk '{print $1}')
	f=$(echo "$line" | awk '{print $3}')
	if [ -z "$line" ]; then
		echo "$t: no result line (crashed?)"
		f=1
		p=0
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	rm -f "$out"
done
echo "$(basename "$dir"): $pass passed, $fail failed"
[ "$fail" = 0 ]
