#!/bin/sh
# SPDX-License-Identifier: ISC
# run.sh SECONDS BIN... - run each libFuzzer target for SECONDS seconds,
# starting from its seed corpus tests/fuzz/seeds/<target>/ (copied to a
# scratch directory so the tree is never written), and print one summary line
# per target with the number of executions.  Fails on the first crash.
set -eu
secs=$1
shift
status=0
for bin in "$@"; do
	name=$(basename "$bin")
	seeds=tests/fuzz/seeds/${name#fuzz_}
	work=$(mktemp -d)
	[ -d "$seeds" ] && cp "$seeds"/* "$work"/ 2>/dev/null || true
	log=$work.log
	if "$bin" -max_total_time="$secs" -print_final_stats=1 -rss_limit_mb=1024 \
		-artifact_prefix="$work/" "$work" >"$log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "fuzz $name: ${execs:-?} executions in ${secs}s, no crash"
	else
		echo "fuzz $name: FAILED, log follows" >&2
		tail -40 "$log" >&2
		ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* 2>/dev/null >&2 || true
		status=1
	fi
	rm -rf "$work" "$log"
done
exit $status
