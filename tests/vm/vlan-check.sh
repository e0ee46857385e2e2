#!/bin/sh
# SPDX-License-Identifier: ISC
# vlan-check.sh - `make vm-check`: test_linux_bridge.sh and test_enforce.sh
# under Debian's own kernel in one VM (run-in-vm.sh), where the bridge has
# VLAN filtering, so the VLAN membership checks and the VLAN case of
# enforcement that the host kernel may have to skip do run.  Fails when they
# were skipped in the VM too, or when either test did not pass; a VM that
# cannot run at all (exit 77) is reported as skipped.
cd "$(dirname "$0")/../.." || exit 1
out=$(mktemp)
TESTS="test_linux_bridge.sh test_enforce.sh"
sh tests/vm/run-in-vm.sh sh -c "for t in $TESTS; do echo \"# \$t\"; sh tests/integration/\$t; done" 2>&1 |
	tee "$out"
if tail -1 "$out" | grep -q '^skipped: '; then
	echo "vm-check: skipped: the VM cannot run here"
	rm -f "$out"
	exit 0
fi
if grep -q "cannot filter VLANs" "$out"; then
	echo "vm-check: FAIL - the VM's kernel skipped the VLAN checks too"
	rc=1
elif [ "$(grep -c '^[0-9]* passed, 0 failed$' "$out")" != "$(echo $TESTS | wc -w)" ]; then
	echo "vm-check: FAIL - $TESTS in the VM did not all pass"
	rc=1
else
	rc=0
fi
rm -f "$out"
exit $rc
