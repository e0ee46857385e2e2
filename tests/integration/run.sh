#!/bin/sh
# run.sh [DIR] - run every DIR/test_*.sh (default tests/integration); each
# prints its own cases and a closing "N passed, N failed" line.  Prints the
# grand total the same way.
set -u
cd "$(dirname "$0")/../.."
dir=${1:-tests/integration}
pass=0
fail=0
for t in "$dir"/test_*.sh; do
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
