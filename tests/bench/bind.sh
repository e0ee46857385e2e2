#!/bin/sh
# SPDX-License-Identifier: ISC
# bind.sh - the binding figure of the linux-bridge plugin: N VSIs (default
# 10,000) associated by a station and bound by the bridge evbd into a Linux
# bridge (its port enslaved to br0, vlan_filtering 1 when the kernel has
# it).  Prints the wall time from submitting the batch to "the bridge's FDB
# holds every VSI's static entry", the bridge's CPU, and the time to unbind
# them all again (every VSI de-associated, the FDB empty).
# Usage: tests/bench/bind.sh [N]
T_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export T_ROOT
. "$T_ROOT/tests/integration/lib.sh"

N=${1:-10000}
TCK=$(getconf CLK_TCK)
now_ms() { echo $(($(date +%s%N) / 1000000)); }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
count_assoc() { ctl "$1" -j port show | jq '.[0].vsis.associated'; }
fdb_static() { ns_exec bridge bridge fdb show dev vbr | grep -c ' static'; }

ns_new bridge
veth vst main vbr bridge
ns_exec bridge ip link add br0 type bridge
VF=vlan_filtering
ns_exec bridge ip link set br0 type bridge vlan_filtering 1 2>/dev/null || VF="no VLAN filtering (kernel)"
ns_exec bridge ip link set vbr master br0
ns_exec bridge ip link set br0 up
cat >"$T_TMP/br.conf" <<EOC
[global]
plugin-dir = $T_ROOT/build/plugins
plugins = linux-bridge
[plugin linux-bridge]
state-file = $T_TMP/lb.state
[port vbr]
role = bridge
max-vsis = $N
tx-queue = $N
EOC
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
evbd_start st main --station vst || exit 1
wait_until 20 sh -c "\"$EVBCTL\" -j port show dev vst | jq -e '.[0].negotiated.valid'"
awk -v n="$N" 'BEGIN { for (i = 1; i <= n; i++)
	printf "vsi associate dev vst type 7 version 1 uuid 5eed0000-0000-4000-8000-%012x mac 52:54:%02x:%02x:%02x:%02x vlan %d\n",
		i, int(i/16777216)%256, int(i/65536)%256, int(i/256)%256, i%256, 2 + i % 4000 }' >"$T_TMP/a.txt"
sed 's/associate/deassociate/; s/ type 7 version 1//; s/ mac .*//' "$T_TMP/a.txt" >"$T_TMP/d.txt"
c0=$(cpu_ticks "$PID_br")
t0=$(now_ms)
ctl st -b "$T_TMP/a.txt" >/dev/null
until [ "$(fdb_static)" -ge "$N" ]; do
	[ $(($(now_ms) - t0)) -gt 300000 ] && break
	sleep 0.1
done
t1=$(now_ms)
c1=$(cpu_ticks "$PID_br")
printf 'N=%s (%s): associated and bound (static FDB entries) in %d ms; bridge CPU %.2f s; %s associated on the bridge, %s FDB entries\n' \
	"$N" "$VF" $((t1 - t0)) "$(echo "($c1 - $c0) / $TCK" | bc -l)" "$(count_assoc br)" "$(fdb_static)"
t0=$(now_ms)
ctl st -b "$T_TMP/d.txt" >/dev/null
until [ "$(fdb_static)" -eq 0 ]; do
	[ $(($(now_ms) - t0)) -gt 300000 ] && break
	sleep 0.1
done
t1=$(now_ms)
printf 'N=%s: de-associated and unbound in %d ms; %s FDB entries left\n' "$N" $((t1 - t0)) "$(fdb_static)"
grep -F 'linux-bridge' "$T_TMP/br/log" | grep -F 'failed' | head -3
