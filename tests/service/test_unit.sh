#!/bin/sh
# SPDX-License-Identifier: ISC
# test_unit.sh - `make service-check`: dist/evbd.service as systemd reads
# it, without systemd as PID 1 (systemd-analyze works on unit files):
#  - `systemd-analyze verify` says nothing (the unit, its commands - evbd from
#    the build - and its man pages in docs/ all resolve);
#  - `systemd-analyze security --offline=yes` rates its exposure at most
#    SEC_MAX (2.0) and the score is printed;
#  - the unit and evbd agree: the pid file is in RuntimeDirectory, the state
#    directory is StateDirectory, the capabilities are those evbd keeps
#    (evbd/priv.h), it conflicts with both lldpad units and starts before
#    libvirtd, Type=notify, ExecReload sends SIGHUP;
#  - a unit with an error in it fails the verify check (it can fail).
# Skips when systemd-analyze is missing (package systemd).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
UNIT=$ROOT/dist/evbd.service
EVBD=${EVBD:-$ROOT/build/evbd}
SEC_MAX=${SEC_MAX:-2.0}
. "$ROOT/tests/scripts/tap.sh"
command -v systemd-analyze >/dev/null || { echo "skipped: systemd-analyze is not installed"; echo "0 passed, 0 failed"; exit 0; }
[ -x "$EVBD" ] || { echo "test_unit.sh: $EVBD is missing; run make first."; exit 1; }
W=$(mktemp -d /tmp/evbd-unit.XXXXXX)
TAP_OUT=$W/last
trap 'rm -rf "$W"' EXIT

# The unit as installed, but evbd from the build; its man pages from docs/.
mkdir -p "$W/unit" "$W/bad" "$W/man/man8" "$W/man/man5"
cp "$ROOT/docs/evbd.8" "$ROOT/docs/evbctl.8" "$W/man/man8/"
cp "$ROOT/docs/evbd.conf.5" "$W/man/man5/"
sed "s|=/usr/sbin/evbd |=$EVBD |" "$UNIT" >"$W/unit/evbd.service"
verify() { MANPATH=$W/man systemd-analyze verify "$1" >"$W/verify.out" 2>&1 && [ ! -s "$W/verify.out" ] || { cat "$W/verify.out"; return 1; }; }
check "systemd-analyze verify: no complaint" verify "$W/unit/evbd.service"
sed 's/^Type=notify$/Type=notifyy/' "$W/unit/evbd.service" >"$W/bad/evbd.service"
refused() { ! verify "$1"; }
check "systemd-analyze verify: a unit with a bad Type= is refused" refused "$W/bad/evbd.service"

systemd-analyze security --offline=yes "$W/unit/evbd.service" >"$W/security" 2>&1
SCORE=$(sed -n 's/.*Overall exposure level for evbd.service: \([0-9.]*\).*/\1/p' "$W/security")
echo "     systemd-analyze security: exposure $SCORE ($(grep -c '^✗' "$W/security") settings left open, see docs/libvirt.md)"
check "systemd-analyze security: exposure $SCORE is at most $SEC_MAX" \
	awk -v s="$SCORE" -v m="$SEC_MAX" 'BEGIN { exit !(s != "" && s + 0 <= m + 0) }'

key() { sed -n "s/^$1=//p" "$UNIT"; }
arg() { key ExecStart | sed -n "s/.*--$1 \([^ ]*\).*/\1/p"; }
check "Type=notify, ExecReload sends SIGHUP" sh -c \
	"[ '$(key Type)' = notify ] && [ '$(key ExecReload)' = '/bin/kill -HUP \$MAINPID' ]"
check "the pid file is in RuntimeDirectory" [ "$(arg pid-file)" = "/run/$(key RuntimeDirectory)/evbd.pid" ]
check "the state directory is StateDirectory" [ "$(arg state-dir)" = "/var/lib/$(key StateDirectory)" ]
check "evbd runs in the foreground" sh -c "key() { sed -n \"s/^\$1=//p\" $UNIT; }; key ExecStart | grep -q -- ' --foreground '"
check "the capabilities are the two evbd keeps (evbd/priv.h)" sh -c \
	"grep -q 'PRIV_CAPS_MASK 0x3000ULL' $ROOT/evbd/priv.h &&
	 [ '$(key CapabilityBoundingSet)' = 'CAP_NET_RAW CAP_NET_ADMIN' ] &&
	 [ '$(key AmbientCapabilities)' = 'CAP_NET_RAW CAP_NET_ADMIN' ]"
check "conflicts with lldpad.service and lldpad.socket" [ "$(key Conflicts)" = "lldpad.service lldpad.socket" ]
check "starts before libvirtd" [ "$(key Before)" = libvirtd.service ]
check "address families: netlink, packet, unix only" [ "$(key RestrictAddressFamilies)" = "AF_NETLINK AF_PACKET AF_UNIX" ]
tap_done
