#!/bin/sh
# SPDX-License-Identifier: ISC
# ports.sh - the idle cost of a port: a station evbd and a bridge evbd with
# 1, 16 and 64 ports each (one veth pair per port, the bridge's ends in
# their own namespace), no VSIs.  Once every station port has negotiated
# EVB, prints each daemon's resident memory (VmRSS) and what each port
# after the first added.
# Usage: tests/bench/ports.sh [N...]
T_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export T_ROOT
. "$T_ROOT/tests/integration/lib.sh"

SIZES=${*:-1 16 64}
rss_now_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
# conf FILE ROLE PREFIX N: N [port PREFIXi] sections of ROLE.
conf() {
	: >"$1"
	i=0
	while [ $i -lt "$4" ]; do
		printf '[port %s%d]\nrole = %s\nlldp-interval = 1\n' "$3" $i "$2" >>"$1"
		i=$((i + 1))
	done
}
all_negotiated() { [ "$(ctl "$1" -j port show | jq '[.[] | select(.negotiated.valid)] | length')" = "$2" ]; }

run_one() {
	n=$1
	ns_new "pb$n"
	i=0
	while [ $i -lt "$n" ]; do
		veth "s${n}p$i" main "b${n}p$i" "pb$n"
		i=$((i + 1))
	done
	conf "$T_TMP/st$n.conf" station "s${n}p" "$n"
	conf "$T_TMP/br$n.conf" bridge "b${n}p" "$n"
	evbd_start "pbr$n" "pb$n" -f "$T_TMP/br$n.conf" || return 1
	evbd_start "pst$n" main -f "$T_TMP/st$n.conf" || return 1
	wait_until 60 all_negotiated "pst$n" "$n" || echo "  (not every port negotiated within 60 s)"
	sleep 1
	eval "ps=\$PID_pst$n; pb=\$PID_pbr$n"
	rs=$(rss_now_kb "$ps")
	rb=$(rss_now_kb "$pb")
	if [ "$n" = 1 ]; then
		RS1=$rs
		RB1=$rb
		per=""
	else
		per=$(printf ' | added per port after the first: station %d KiB, bridge %d KiB' \
			$(((rs - RS1) / (n - 1))) $(((rb - RB1) / (n - 1))))
	fi
	printf 'ports=%-3d idle RSS station %6d KiB, bridge %6d KiB%s\n' "$n" "$rs" "$rb" "$per"
	evbd_kill "pst$n"
	evbd_kill "pbr$n"
	i=0
	while [ $i -lt "$n" ]; do
		ip link del "s${n}p$i"
		i=$((i + 1))
	done
}

case " $SIZES " in
*" 1 "*) ;;
*) SIZES="1 $SIZES" ;; # the per-port figure is measured against one port
esac
for n in $SIZES; do run_one "$n"; done
