#!/bin/sh
# SPDX-License-Identifier: ISC
# snmp.sh - the EVB MIB's walk time (make bench).  A bridge evbd with the
# snmp plugin under the real snmpd holds N VSIs (default 10,000) from a
# station; the VSIDB tables (VSIDBTable and VSIDBMacTable: 18 instances per
# VSI) are walked through snmpd with snmpbulkwalk (-Cr50) and snmpwalk
# (get-next), and over the control socket with `evbctl mib walk`.  Prints
# the times, varbinds per second and the bridge's CPU; asserts only that
# every instance came back.
# Usage: tests/bench/snmp.sh [N]
T_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export T_ROOT
. "$T_ROOT/tests/integration/lib.sh"

N=${1:-10000}
TCK=$(getconf CLK_TCK)
VSIDB=.1.3.111.2.802.1.1.24.1.2
now_ms() { echo $(($(date +%s%N) / 1000000)); }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

ns_new bridge
veth vst main vbr bridge
cat >"$T_TMP/br.conf" <<EOC
[global]
plugin-dir = $T_ROOT/build/plugins
plugins = snmp
[plugin snmp]
agentx-socket = $T_TMP/br.ax
[port vbr]
role = bridge
max-vsis = $N
tx-queue = $N
EOC
snmpd_start br bridge 16161
evbd_start br bridge --config "$T_TMP/br.conf" || exit 1
evbd_start st main --station vst || exit 1
wait_until 20 sh -c "\"$EVBCTL\" -j port show dev vst | jq -e '.[0].negotiated.valid'" >/dev/null
awk -v n="$N" 'BEGIN { for (i = 1; i <= n; i++)
	printf "vsi associate dev vst type 7 version 1 uuid 5eed0000-0000-4000-8000-%012x mac 52:54:%02x:%02x:%02x:%02x vlan %d\n",
		i, int(i/16777216)%256, int(i/65536)%256, int(i/256)%256, i%256, 2 + i % 4000 }' >"$T_TMP/b.txt"
ctl st -b "$T_TMP/b.txt" >/dev/null
held() { [ "$(ctl br -j port show | jq '.[0].vsis.associated')" = "$N" ]; }
wait_until 120 held || {
	echo "the bridge does not hold $N VSIs"
	exit 1
}
registered() { snmp br snmpget -On .1.3.111.2.802.1.1.24.1.1.1.0 2>/dev/null | grep -q INTEGER; }
wait_until 10 registered || {
	echo "the snmp plugin did not register with snmpd"
	exit 1
}
want=$((N * 18))

# measure LABEL CMD...: run CMD (its stdout: one line per instance).
measure() {
	_l=$1
	shift
	c0=$(cpu_ticks "$PID_br")
	t0=$(now_ms)
	got=$("$@" | grep -c "^\.\?1\.3\.111\.2\.802\.1\.1\.24\.1\.2\.")
	t1=$(now_ms)
	c1=$(cpu_ticks "$PID_br")
	ms=$((t1 - t0))
	[ "$ms" -gt 0 ] || ms=1
	printf '%-34s %6d ms for %d instances (%d/s), evbd CPU %.2f s%s\n' "$_l" "$ms" "$got" \
		$((got * 1000 / ms)) "$(echo "($c1 - $c0) / $TCK" | bc -l)" \
		"$([ "$got" = "$want" ] || echo " -- expected $want")"
}
echo "walking the VSIDB tables of $N VSIs:"
measure "snmpbulkwalk -Cr50 (snmpd, AgentX)" snmp br snmpbulkwalk -On -Oq -Cr50 $VSIDB
measure "snmpwalk (get-next, snmpd, AgentX)" snmp br snmpwalk -On -Oq $VSIDB
measure "evbctl mib walk (control socket)" sh -c \
	"$(ns_prefix bridge) $EVBCTL -j mib walk ieee8021BridgeEvbVSIDBObjects | jq -r '.[].oid'"
