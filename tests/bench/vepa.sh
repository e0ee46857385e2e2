#!/bin/sh
# SPDX-License-Identifier: ISC
# vepa.sh - VEB versus VEPA, measured (make bench).  Two "VMs" (network
# namespaces vm1, vm2, each with a macvlan on the station's uplink vst)
# talk to each other:
#   VEB          macvlan bridge mode: switched inside the host;
#   VEPA         macvlan VEPA mode (the station's linux-bridge plugin sets it,
#                macvlan-vepa = yes): every frame goes out vst to the
#                adjacent Linux bridge br0 (namespace "bridge") and back
#                through the same port, whose hairpin mode the bridge's
#                plugin turns on when evbd negotiates reflective relay;
#   VEPA+enforce the same with enforce = vbr (the bridge port locked; the
#                VMs' VSIs associated, so their MACs have static entries).
# For each: ping VM1 -> VM2 (PINGS at 1 ms intervals: median and 99th
# percentile RTT), iperf3 TCP (SECS s: Gbit/s, and CPU seconds per Gbit
# transferred, from /proc/stat: all CPUs' busy time, so other load on the
# machine counts too), iperf3 UDP with 64-octet datagrams (received kpps,
# loss).  Then, with enforcement, the time from `evbctl vsi associate ...
# wait` returning to the first reply of VM1's pings (every 1 ms) to VM2,
# over ROUNDS de-associate/associate rounds.  Prints figures, asserts none.
# Usage: tests/bench/vepa.sh  (PINGS=1000 SECS=5 ROUNDS=5)
T_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export T_ROOT
. "$T_ROOT/tests/integration/lib.sh"

PINGS=${PINGS:-1000}
SECS=${SECS:-5}
ROUNDS=${ROUNDS:-5}
for t in iperf3 ping; do
	command -v $t >/dev/null || {
		echo "vepa.sh: $t is not installed (scripts/deps.sh installs it); skipped"
		exit 0
	}
done
PL=$T_TMP/plugins
mkdir -p "$PL"
ln -s "$T_BUILD"/plugins/*.so "$PL/"
ns_new bridge
ns_new vm1
ns_new vm2
veth vst main vbr bridge 02:00:00:00:09:01 02:00:00:00:09:02
B() { ns_exec bridge "$@"; }
B ip link add br0 type bridge
B ip link set vbr master br0
B ip link set br0 up
mac() { printf '52:54:00:00:09:%02x' "$1"; }

# vm N MODE: VM N's macvlan on vst in MODE (bridge, vepa), 10.9.0.N/24.
vm() {
	ns_exec "vm$1" ip link del "m$1" 2>/dev/null
	ip link add "m$1" link vst address "$(mac "$1")" type macvlan mode "$2"
	eval "ip link set m$1 netns \$NS_vm$1"
	ns_exec "vm$1" ip addr add "10.9.0.$1/24" dev "m$1"
	ns_exec "vm$1" ip link set "m$1" up
}
busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; } # user nice system irq softirq
TCK=$(getconf CLK_TCK)

# Frames the bridge sent out vbr (hairpinned back to the station, in VEPA).
vbr_tx() { B ip -s -j link show vbr | jq '.[0].stats64.tx.packets'; }
# measure LABEL: one row of figures, VM1 -> VM2.
measure() {
	x0=$(vbr_tx)
	ns_exec vm1 ping -n -c 3 -i 0.2 -W 1 10.9.0.2 >/dev/null # warm up (ARP)
	rtt=$(ns_exec vm1 ping -n -c "$PINGS" -i 0.001 -W 1 10.9.0.2 |
		sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' | sort -n |
		awk '{ a[NR] = $1 } END { if (NR) printf "%.3f %.3f %d", a[int((NR + 1) / 2)], a[int(NR * 0.99 + 0.5)], NR; else print "- - 0" }')
	$(ns_prefix vm2) iperf3 -s -1 >/dev/null 2>&1 &
	srv=$!
	sleep 0.5
	b0=$(busy)
	tcp=$(ns_exec vm1 iperf3 -c 10.9.0.2 -t "$SECS" -J 2>/dev/null |
		jq -r '"\(.end.sum_received.bits_per_second / 1e9) \(.end.sum_received.bytes * 8 / 1e9)"')
	b1=$(busy)
	wait "$srv"
	$(ns_prefix vm2) iperf3 -s -1 >/dev/null 2>&1 &
	srv=$!
	sleep 0.5
	udp=$(ns_exec vm1 iperf3 -c 10.9.0.2 -u -l 64 -b 0 -t "$SECS" -J 2>/dev/null |
		jq -r '"\(.end.sum.packets * (1 - .end.sum.lost_percent / 100) / .end.sum.seconds / 1000) \(.end.sum.lost_percent)"')
	wait "$srv"
	set -- $rtt $tcp $udp
	printf '%-13s | %7s | %7s | %6.2f | %8.2f | %7.0f | %5.1f %%\n' "$LABEL" "$1" "$2" \
		"${4:-0}" "$(echo "($b1 - $b0) / $TCK / ${5:-1}" | bc -l)" "${6:-0}" "${7:-0}" |
		tee -a "$T_TMP/table"
	echo "$LABEL: $3 ping replies of $PINGS; $(($(vbr_tx) - x0)) frames sent back by the adjacent bridge (vbr)" >>"$T_TMP/notes"
}

printf '%-13s | %7s | %7s | %6s | %8s | %7s | %s\n' mode "RTT med" "RTT p99" "TCP" "CPU s" \
	"UDP 64B" "UDP" | tee "$T_TMP/table"
printf '%-13s | %7s | %7s | %6s | %8s | %7s | %s\n' "" "ms" "ms" "Gbit/s" "per Gbit" "kpps" \
	"loss" | tee -a "$T_TMP/table"

# ---- VEB: macvlan bridge mode, no evbd ----
vm 1 bridge
vm 2 bridge
LABEL=VEB measure

# ---- VEPA: reflective relay negotiated by evbd ----
cat >"$T_TMP/br.conf" <<EOC
[global]
plugin-dir = $PL
plugins = linux-bridge
[plugin linux-bridge]
state-file = $T_TMP/lb.state
[port vbr]
role = bridge
rr = yes
EOC
cat >"$T_TMP/st.conf" <<EOC
[global]
plugin-dir = $PL
plugins = linux-bridge
[plugin linux-bridge]
state-file = $T_TMP/lb-st.state
macvlan-vepa = yes
[port vst]
role = station
rr = yes
EOC
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
evbd_start st main -f "$T_TMP/st.conf" || exit 1
wait_until 20 sh -c "\"$EVBCTL\" -j port show dev vst | jq -e '.[0].negotiated.valid'"
hairpin() { [ "$(B bridge -j -d link show dev vbr | jq -r '.[0].hairpin')" = true ]; }
wait_until 20 hairpin || echo "vepa.sh: hairpin did not come on (reflective relay not negotiated?)"
# (The plugin's macvlan-vepa switches the macvlans it sees in its own
# namespace; these were moved into the VMs' namespaces: made anew.)
vm 1 vepa
vm 2 vepa
uuid() { printf '0e9a0000-0000-4000-8000-%012d' "$1"; }
assoc() { ctl st vsi associate dev vst uuid "$(uuid "$1")" type 7 version 1 mac "$(mac "$1")" vlan 0 wait >/dev/null; }
assoc 1
assoc 2
LABEL=VEPA measure

# ---- VEPA with enforcement ----
evbd_kill br TERM
sed -i 's/^state-file = .*lb.state$/&\nenforce = vbr/' "$T_TMP/br.conf"
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
locked() { [ "$(B bridge -j -d link show dev vbr | jq -r '.[0].locked')" = true ]; }
wait_until 10 locked || echo "vepa.sh: vbr was not locked"
wait_until 20 hairpin
wait_until 20 sh -c "[ \"\$($(ns_prefix bridge) \"$EVBCTL\" -j vsi list | jq '[.[] | select(.state == \"associated\")] | length')\" = 2 ]"
LABEL=VEPA+enforce measure

# ---- associate -> first forwarded frame ----
lat=""
for r in $(seq "$ROUNDS"); do
	ctl st vsi deassociate dev vst uuid "$(uuid 1)" wait >/dev/null
	$(ns_prefix vm1) ping -D -n -i 0.001 -W 0.2 -w 3 10.9.0.2 >"$T_TMP/ping" 2>&1 &
	pp=$!
	sleep 0.5
	assoc 1
	t1=$(date +%s.%N)
	wait "$pp"
	f=$(sed -n 's/^\[\([0-9.]*\)\] .* bytes from.*/\1/p' "$T_TMP/ping" | awk -v t="$t1" '$1 > t { print; exit }')
	lat="$lat $(awk -v a="$t1" -v b="${f:-$t1}" 'BEGIN { printf "%.1f", (b - a) * 1000 }')"
done
echo
sed 's/^/  /' "$T_TMP/notes"
echo "associate (evbctl ... wait returned) -> first reply through the locked port, ms:$lat"
echo "  (pinging every 1 ms; a reply already in flight when evbctl returned counts as 0)"
echo "CPU s per Gbit: all CPUs' busy time during the TCP run (other load on the machine counts too)"
