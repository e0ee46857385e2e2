# SPDX-License-Identifier: ISC
# tap.sh - the counters and checks of the test scripts that run outside
# tests/integration/lib.sh (no namespaces): sourced, after TAP_OUT names a
# file for a failed check's output.
#   ok TEXT / bad TEXT      count and print one result
#   check TEXT CMD...       run CMD, ok or bad with its last 15 lines
#   tap_done                print "N passed, N failed", exit 1 on a failure
pass=0
fail=0
ok() {
	pass=$((pass + 1))
	echo "ok   - $*"
}
bad() {
	fail=$((fail + 1))
	echo "FAIL - $*"
}
check() {
	_d=$1
	shift
	if "$@" >"$TAP_OUT" 2>&1; then ok "$_d"; else
		bad "$_d"
		tail -15 "$TAP_OUT" | sed 's/^/     | /'
	fi
}
tap_done() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}
