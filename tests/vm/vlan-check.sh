#!/bin/sh
# SPDX-License-Identifier: ISC
# vlan-check.sh - `make vm-check`: test_linux_bridge.sh under Debian's own
# kernel in a VM (run-in-vm.sh), where the bridge has VLAN filtering, so the
# VLAN membership checks that the host kernel may have to skip do run.  Fails
# when they were skipped in the VM too; a VM that cannot run at all (exit
# 77) is reported as skipped.
cd "$(dirname "$0")/../.." || exit 1
out=$(mktemp)
sh tests/vm/run-in-vm.sh sh tests/integration/test_linux_bridge.sh 2>&1 | tee "$out"
if tail -1 "$out" | grep -q '^skipped: '; then
	echo "vm-check: skipped: the VM cannot run here"
	rm -f "$out"
	exit 0
fi
if grep -q "cannot filter VLANs" "$out"; then
	echo "vm-check: FAIL - the VM's kernel skipped the VLAN checks too"
	rc=1
elif ! grep -q '^[0-9]* passed, 0 failed$' "$out"; then
	echo "vm-check: FAIL - test_linux_bridge.sh in the VM did not pass"
	rc=1
else
	rc=0
fi
rm -f "$out"
exit $rc
