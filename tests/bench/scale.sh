#!/bin/sh
# SPDX-License-Identifier: ISC
# scale.sh - a switch's worth of VSIs (issue 16): one station evbd with P
# station ports and one bridge evbd with P bridge ports on P veth pairs, N
# VSIs spread over them, submitted by one `evbctl -b`.  Prints, each beside
# its target:
#   - wall time from submission to every VSI associated on both sides, and
#     the VSIs lost (target <= 2 s at 1,000,000 on 64 ports, 0 lost);
#   - CPU of each daemon per VSI, RSS added per VSI (target <= 200 B);
#   - CPU of holding them with keep-alives at RKA 20, % of a core per daemon
#     (target <= 5 % at 1,000,000);
#   - `evbctl -j vsi list` and `evbctl mib walk` of every VSI: rate and the
#     peak RSS of evbctl and of the daemon (target >= 500,000 VSIs/s for the
#     list, memory bounded: neither side holds the whole list);
#   - restart of the station with N VSIs in its state database: time until
#     its control socket answers, and until every VSI is associated again
#     (target: serving and re-announcing within 1 s).
# Wall times are only meaningful on an idle machine; the per-VSI CPU and
# memory figures are what load distorts least.
# Usage: tests/bench/scale.sh [N [P]]   (default 100000 VSIs on 64 ports;
# make bench runs 1,000,000 with BENCH_FULL=1)
T_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export T_ROOT
. "$T_ROOT/tests/integration/lib.sh"

N=${1:-100000}
P=${2:-64}
HOLD_SECS=${HOLD_SECS:-30}
TCK=$(getconf CLK_TCK)
PER=$(((N + P - 1) / P))

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_now_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# assoc NAME: associated VSIs over every port of the daemon.
assoc() { ctl "$1" -j port show | jq '[.[].vsis.associated] | add'; }
# conf FILE ROLE PREFIX: P [port PREFIXi] sections of ROLE with room for PER VSIs.
conf() {
	: >"$1"
	i=0
	while [ $i -lt "$P" ]; do
		printf '[port %s%d]\nrole = %s\nmax-vsis = %d\ntx-queue = %d\n' "$3" $i "$2" "$PER" "$PER" >>"$1"
		i=$((i + 1))
	done
}
# wait_assoc NAME N LIMIT_MS T0: until NAME holds N associated VSIs; prints ms since T0.
wait_assoc() {
	while [ "$(assoc "$1")" != "$2" ]; do
		[ $(($(now_ms) - $4)) -gt "$3" ] && break
		sleep 0.05
	done
	echo $(($(now_ms) - $4))
}
cpu_pct() { echo "100 * ($2 - $1) / $TCK / $3" | bc -l; }

ns_new sb
i=0
while [ $i -lt "$P" ]; do
	veth "sp$i" main "bp$i" sb
	i=$((i + 1))
done
conf "$T_TMP/st.conf" station sp
conf "$T_TMP/br.conf" bridge bp
evbd_start br sb -f "$T_TMP/br.conf" || exit 1
evbd_start st main -f "$T_TMP/st.conf" || exit 1
wait_until 60 sh -c "[ \"\$(\"$EVBCTL\" -j port show | jq '[.[] | select(.negotiated.valid)] | length')\" = $P ]" ||
	echo "  (not every port negotiated within 60 s)"
awk -v n="$N" -v p="$P" 'BEGIN { for (i = 1; i <= n; i++)
	printf "vsi associate dev sp%d type 7 version 1 uuid 5eed0000-0000-4000-8000-%012x mac 52:54:%02x:%02x:%02x:%02x vlan %d\n",
		i % p, i, int(i/16777216)%256, int(i/65536)%256, int(i/256)%256, i%256, 2 + i % 4000 }' >"$T_TMP/batch.txt"
ps=$PID_st
pb=$PID_br
c0s=$(cpu_ticks "$ps")
c0b=$(cpu_ticks "$pb")
r0s=$(rss_now_kb "$ps")
r0b=$(rss_now_kb "$pb")
t0=$(now_ms)
ctl st -b "$T_TMP/batch.txt" >/dev/null 2>"$T_TMP/batch.err"
t1=$(now_ms)
ts=$(wait_assoc st "$N" 300000 "$t0")
tb=$(wait_assoc br "$N" 30000 "$t0")
c1s=$(cpu_ticks "$ps")
c1b=$(cpu_ticks "$pb")
ns=$(assoc st)
nb=$(assoc br)
printf 'ports=%d N=%d | submit %d ms | all associated: station %d ms, bridge %d ms (target <= 2000 ms at 1,000,000) | lost: station %d, bridge %d (target 0)\n' \
	"$P" "$N" $((t1 - t0)) "$ts" "$tb" $((N - ns)) $((N - nb))
printf '         CPU per VSI: station %.2f us, bridge %.2f us | RSS added per VSI: station %d B, bridge %d B (target <= 200 B)\n' \
	"$(echo "1000000 * ($c1s - $c0s) / $TCK / $N" | bc -l)" "$(echo "1000000 * ($c1b - $c0b) / $TCK / $N" | bc -l)" \
	$((($(rss_now_kb "$ps") - r0s) * 1024 / N)) $((($(rss_now_kb "$pb") - r0b) * 1024 / N))

c0s=$(cpu_ticks "$ps")
c0b=$(cpu_ticks "$pb")
sleep "$HOLD_SECS"
c1s=$(cpu_ticks "$ps")
c1b=$(cpu_ticks "$pb")
printf '         keep-alives (RKA 20) for %d VSIs: station %.2f %% of a core, bridge %.2f %% (target <= 5 %% each at 1,000,000)\n' \
	"$N" "$(cpu_pct "$c0s" "$c1s" "$HOLD_SECS")" "$(cpu_pct "$c0b" "$c1b" "$HOLD_SECS")"

# listing LABEL NAME PID CMD...: rate and peak RSS of evbctl running CMD against NAME.
listing() {
	_l=$1
	_n=$2
	_pid=$3
	shift 3
	_r0=$(rss_now_kb "$_pid")
	_t0=$(now_ms)
	eval "ns_exec \$NSOF_$_n /usr/bin/time -f %M -o \"$T_TMP/time.out\" \"$EVBCTL\" \"\$@\"" >"$T_TMP/list.out"
	_t1=$(now_ms)
	_lines=$(wc -l <"$T_TMP/list.out")
	_ms=$((_t1 - _t0 > 0 ? _t1 - _t0 : 1))
	printf '         %s: %d lines in %d ms | evbctl peak RSS %d KiB | evbd RSS grew %d KiB\n' \
		"$_l" "$_lines" "$_ms" "$(cat "$T_TMP/time.out")" $(($(rss_now_kb "$_pid") - _r0))
}
for side in st br; do
	eval "pid=\$PID_$side"
	t0=$(now_ms)
	ctl "$side" -j vsi list | jq -c '.[]' | wc -l >"$T_TMP/count"
	listing "$side: evbctl -j vsi list" "$side" "$pid" -j vsi list
	n=$(cat "$T_TMP/count")
	printf '         %s: %d VSIs listed, %d VSIs/s (target >= 500,000 VSIs/s)\n' "$side" "$n" \
		$((n * 1000 / ${_ms:-1}))
	listing "$side: evbctl mib walk ieee8021BridgeEvbVSIDBTable" "$side" "$pid" mib walk ieee8021BridgeEvbVSIDBTable
done

# Restart the station: serving (the socket answers) and re-announcing (every VSI associated again).
evbd_kill st
t0=$(now_ms)
evbd_start st main -f "$T_TMP/st.conf" || exit 1
t1=$(now_ms)
tr=$(wait_assoc st "$N" 120000 "$t0")
printf '         station restart with %d VSIs: serving after %d ms, all associated again after %d ms (target <= 1000 ms)\n' \
	"$N" $((t1 - t0)) "$tr"
grep -c . "$T_TMP/batch.err" | xargs printf '         evbctl batch failures: %s lines on stderr\n'
evbd_kill st
evbd_kill br
