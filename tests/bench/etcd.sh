#!/bin/sh
# SPDX-License-Identifier: ISC
# etcd.sh - the fleet's figures (make bench; docs/fleet.md), on a real
# three-member etcd cluster from Debian (tests/integration/etcd_lib.sh):
#   - 100,000 VSIs associated on one bridge without a cluster, then with
#     one: the time until the station sees every VSI associated (how much
#     publishing slows association) and, with the cluster, until etcd holds
#     all of them (evbd's published counter, then a count in etcd);
#   - the hand-over time of a migration, median and worst of 100: from the
#     association on switch B (the time in its record) to switch A sending
#     the De-Associate (A's log line says how long after);
#   - the time for a type change written on switch A to be in force on B
#     (B's log line, from the write time in the record), median and worst
#     of 20.
# Asserts nothing about time.  Usage: tests/bench/etcd.sh [N]
T_ROOT=${T_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
export T_ROOT
. "$T_ROOT/tests/integration/lib.sh"
. "$T_ROOT/tests/integration/etcd_lib.sh"

N=${1:-100000}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
TCK=$(getconf CLK_TCK)
cpu_ticks() { for _p in "$@"; do awk '{print $14 + $15}' "/proc/$_p/stat"; done | awk '{s += $1} END {print s}'; }
cpu_s() { echo "scale=2; ($2 - $1) / $TCK" | bc; } # FROM TO
count_assoc() { ctl "$1" -j port show | jq '.[0].vsis.associated'; }
published() { ctl "$1" fleet status | awk '/^published:/ {print $2}'; }
# median and worst of the numbers on stdin
stats() { sort -n | awk '{a[NR] = $1} END {if (NR) printf "median %.1f ms, worst %.1f ms (%d samples)", a[int((NR + 1) / 2)], a[NR], NR}'; }

for m in 1 2 3; do etcd_start $m; done
wait_until 20 etcd_healthy || {
	echo "etcd did not start"
	exit 1
}

# publish_run NAME CLUSTER(0/1): N VSIs from a station to a bridge.
publish_run() {
	_b=$1
	ns_new "pb$_b"
	ns_new "ps$_b"
	veth "s$_b" "ps$_b" "r$_b" "pb$_b"
	printf '[port r%s]\nrole = bridge\nmax-vsis = %s\ntx-queue = %s\n' "$_b" "$N" "$N" >"$T_TMP/pb$_b.conf"
	if [ "$2" = 1 ]; then
		veth "e$_b" main "u$_b" "pb$_b"
		ip addr add 10.78.1.1/24 dev "e$_b"
		ns_exec "pb$_b" ip addr add 10.78.1.2/24 dev "u$_b"
		printf '[cluster]\nendpoints = http://10.78.1.1:23791,http://10.78.1.1:23792,http://10.78.1.1:23793\nprefix = /bench\nswitch-name = P\n' >>"$T_TMP/pb$_b.conf"
	fi
	evbd_start "pb$_b" "pb$_b" -f "$T_TMP/pb$_b.conf" || return 1
	evbd_start "ps$_b" "ps$_b" --station "s$_b" || return 1
	[ "$2" = 1 ] && wait_until 10 fleet_up_p "pb$_b"
	wait_until 20 negotiated "ps$_b"
	awk -v n="$N" -v d="s$_b" 'BEGIN { for (i = 1; i <= n; i++)
		printf "vsi associate dev %s type 7 version 1 uuid 5eed0000-0000-4000-8000-%012x mac 52:54:%02x:%02x:%02x:%02x vlan %d\n",
			d, i, int(i/16777216)%256, int(i/65536)%256, int(i/256)%256, i%256, 2 + i % 4000 }' >"$T_TMP/pb$_b.txt"
	eval "_pid=\$PID_pb$_b"
	c0=$(cpu_ticks "$_pid")
	e0=$(cpu_ticks "$ETCD_PID1" "$ETCD_PID2" "$ETCD_PID3")
	t0=$(now_ms)
	ctl "ps$_b" -b "$T_TMP/pb$_b.txt" >/dev/null
	while [ "$(count_assoc "ps$_b")" != "$N" ]; do
		[ $(($(now_ms) - t0)) -gt 300000 ] && break
		sleep 0.05
	done
	t1=$(now_ms)
	if [ "$2" = 1 ]; then
		while [ "$(published "pb$_b")" -lt "$N" ]; do
			[ $(($(now_ms) - t0)) -gt 600000 ] && break
			sleep 0.05
		done
		t2=$(now_ms)
		in_etcd=$(etcdctl3 get --prefix /bench/vsis/ --limit 1 -w json | jq .count)
		printf 'etcd: %d VSIs associated with a cluster in %d ms; all in etcd after %d ms (%s keys there, %s txns)\n' \
			"$N" $((t1 - t0)) $((t2 - t0)) "$in_etcd" "$(ctl "pb$_b" fleet status | awk '/^batches:/ {print $2}')"
		printf '      CPU: bridge evbd %s s, the three etcd members %s s\n' "$(cpu_s "$c0" "$(cpu_ticks "$_pid")")" \
			"$(cpu_s "$e0" "$(cpu_ticks "$ETCD_PID1" "$ETCD_PID2" "$ETCD_PID3")")"
		PUB_MS=$((t1 - t0))
	else
		printf 'etcd: %d VSIs associated without a cluster in %d ms (CPU: bridge evbd %s s)\n' "$N" $((t1 - t0)) \
			"$(cpu_s "$c0" "$(cpu_ticks "$_pid")")"
		BASE_MS=$((t1 - t0))
	fi
	evbd_kill "ps$_b"
	evbd_kill "pb$_b"
}
fleet_up_p() { ctl "$1" fleet status | grep -qx 'state: up'; }

publish_run 0 0
publish_run 1 1
[ -n "${BASE_MS:-}" ] && [ -n "${PUB_MS:-}" ] &&
	printf 'etcd: publishing slows association by %d ms (%.0f %%)\n' $((PUB_MS - BASE_MS)) \
		"$(echo "100 * ($PUB_MS - $BASE_MS) / $BASE_MS" | bc -l)"
etcdctl3 --command-timeout=60s del --prefix /bench/ >/dev/null

# ---- the hand-over of 100 migrations ----
switch_start A 1 || exit 1
switch_start B 2 || exit 1
wait_until 10 fleet_up A
wait_until 10 fleet_up B
wait_until 20 negotiated stA
wait_until 20 negotiated stB
ctl swA vsitype add 100 version 1 vlans 100-199 formats mac-vid >/dev/null
wait_until 5 sh -c "$(ns_prefix swB) $EVBCTL vsitype show 100 version 1" >/dev/null
for i in $(seq 1 100); do
	assoc A "$i" >/dev/null
	wait_until 5 where_is "$i" "A vbrA associated;"
	assoc B "$i" >/dev/null
	wait_until 5 lacks A "$i"
done
printf 'etcd: migration hand-over (B associated -> A de-associates): %s\n' \
	"$(sed -n 's/.*released here from port .* (\([0-9.]*\) ms after it associated there).*/\1/p' "$T_TMP/swA/log" | stats)"

# ---- type change propagation ----
for i in $(seq 1 20); do
	ctl swA vsitype add 500 version "$i" vlans 500 formats mac-vid >/dev/null
	wait_until 5 sh -c "$(ns_prefix swB) $EVBCTL vsitype show 500 version $i" >/dev/null
done
printf 'etcd: a type change written on A in force on B: %s\n' \
	"$(sed -n 's/.*type 500 version .* changed in etcd; in force here now (\([0-9.]*\) ms after it was written).*/\1/p' "$T_TMP/swB/log" | stats)"
