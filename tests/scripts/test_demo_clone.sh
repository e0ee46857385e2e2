#!/bin/sh
# SPDX-License-Identifier: ISC
# test_demo_clone.sh - the README's first command, `make demo`, from a fresh
# clone of this repository's HEAD (git clone into a temporary folder, so
# nothing of this tree's build/ or uncommitted files helps it), and its
# output checked line by line: negotiation, four VSIs associated on both
# sides, the bridge's MIB rows, one VSI de-associated.  `make demo-check`
# runs it (after scripts/deps.sh demo); CI runs that.
# Prints "ok/FAIL - case" lines and "N passed, N failed"; exit 1 on a failure.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d /tmp/evbd-demo-clone.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$root/tests/scripts/tap.sh"
# check TEXT COUNT REGEX: COUNT lines of the demo's output match REGEX
check_lines() {
	n=$(grep -cE -- "$3" "$tmp/out")
	if [ "$n" -eq "$2" ]; then ok "$1"; else bad "$1: $n lines match '$3', not $2"; fi
}

if ! git -C "$root" rev-parse HEAD >/dev/null 2>&1; then
	echo "test_demo_clone: $root is not a git clone; run it from one." >&2
	exit 1
fi
git clone -q "$root" "$tmp/evbd" || {
	echo "test_demo_clone: git clone $root failed." >&2
	exit 1
}
if make -C "$tmp/evbd" --no-print-directory demo >"$tmp/raw" 2>&1; then
	ok "make demo in a fresh clone exits 0"
else
	bad "make demo in a fresh clone exits $?"
	tail -30 "$tmp/raw" | sed 's/^/     | /'
fi
sed 's/\x1b\[[0-9;]*m//g' "$tmp/raw" >"$tmp/out"

check_lines "EVB negotiated over LLDP" 1 '^negotiated\.$'
check_lines "four evbctl vsi associate commands" 4 '^\$ evbctl vsi associate dev vst '
# Station: four answers and its list of four; bridge: its list of four, and
# three after the de-association.
check_lines "four answers and the station's list say associated" 8 \
	'^00112233-4455-6677-8899-aabbccddee0[1-4]: dev vst  state associated .* machine wait-syscmd$'
check_lines "the bridge lists 4, then 3 VSIs" 7 \
	'^00112233-4455-6677-8899-aabbccddee0[1-4]: dev vbr  state associated '
check_lines "both ports show a valid negotiation" 2 '^    valid: yes$'
check_lines "each side sees the other's EVB mode" 2 '^    evb_mode: (bridge|station) \([12]\)$'
check_lines "both ports count four associated VSIs" 2 '^    associated: 4$'
check_lines "the bridge's MIB has a VSI type row per VSI" 4 '^ieee8021BridgeEvbVSIType\..* = INTEGER: 5$'
check_lines "the bridge's MIB has a VLAN row per filter" 4 '^ieee8021BridgeEvbVSIVlanId\..* = Gauge32: 10[1-4]$'
check_lines "the de-associated VSI ends deassociated" 1 \
	'^00112233-4455-6677-8899-aabbccddee04: dev vst  state deassociated .* machine end$'
check_lines "the bridge no longer lists it" 1 '^00112233-4455-6677-8899-aabbccddee04: dev vbr '
check_lines "the demo ends" 1 '^== done; stopping both daemons'

v=$(sh "$tmp/evbd/scripts/version.sh")
if [ "$("$tmp/evbd/build/evbd" --version 2>&1)" = "evbd $v" ]; then
	ok "the clone's evbd --version says evbd $v"
else
	bad "the clone's evbd --version says '$("$tmp/evbd/build/evbd" --version 2>&1)', not 'evbd $v'"
fi

if [ "$fail" -ne 0 ]; then
	echo "demo output:"
	sed 's/^/     | /' "$tmp/out"
fi
tap_done
