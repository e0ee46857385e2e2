#!/bin/sh
# SPDX-License-Identifier: ISC
# schan-check.sh - `make vm-check`: tests/vm/test_schan.sh (the S-channels'
# 802.1ad devices) under Debian's own kernel in a VM (run-in-vm.sh), since
# the host kernel may have no 802.1ad VLAN devices.  Fails when the test did
# not pass; a VM that cannot run at all (exit 77) is reported as skipped.
cd "$(dirname "$0")/../.." || exit 1
out=$(mktemp)
sh tests/vm/run-in-vm.sh sh tests/vm/test_schan.sh 2>&1 | tee "$out"
if tail -1 "$out" | grep -q '^skipped: '; then
	echo "schan-check: skipped: the VM cannot run here"
	rc=0
elif grep -q '^[0-9]* passed, 0 failed$' "$out"; then
	rc=0
else
	echo "schan-check: FAIL - test_schan.sh in the VM did not pass"
	rc=1
fi
rm -f "$out"
exit $rc
