#!/bin/sh
# SPDX-License-Identifier: ISC
# soak.sh - evbd soak (make soak): hours of churn compressed into minutes,
# with memory and VSI counts sampled, nothing lost and no growth.
#
# Two station/bridge pairs, each on its own veth pair and namespaces.  Every
# wave (SOAK_WAVE seconds; SOAK_SECS in all, default 180) each station
# associates SOAK_VSIS new VSIs and de-associates the previous wave's
# (`evbctl -b`, every line must be answered OK), then one event hits each
# pair: pair 1 goes through every kind in turn (station SIGTERM restart,
# bridge kill -9, link flap, SIGHUP of both, station kill -9, bridge
# SIGTERM restart), pair 2 keeps its processes for the whole run (link flap,
# SIGHUP, nothing) so that a leak in a long-lived daemon shows.  The wave
# then waits until both sides hold exactly the wave's VSIs associated.
# A sampler prints every SOAK_SAMPLE seconds the VmRSS of the four daemons
# and the associated VSIs of each side (`evbctl -j port show`).
#
# At the end it fails (exit 1) when
#   - a wave did not converge, or a station holds a VSI associated that its
#     bridge does not, or a side holds another number than asked;
#   - a daemon's VmRSS at the end of the last wave is more than 10 % above
#     its VmRSS at the end of the first wave, or a database (SQLite
#     page_count, the write-ahead log included) more than 10 % plus 256 KiB
#     (the free space evbd keeps before giving it back, evbd/store.c).
# Timers: RKA 18 (keep-alives every 2.6 s) so that the bridge's
# re-confirmations after a restart fit in a wave.
# Usage: tests/bench/soak.sh   (SOAK_SECS, SOAK_WAVE, SOAK_VSIS, SOAK_SAMPLE)
T_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export T_ROOT
. "$T_ROOT/tests/integration/lib.sh"

SOAK_SECS=${SOAK_SECS:-180}
SOAK_WAVE=${SOAK_WAVE:-12}
SOAK_VSIS=${SOAK_VSIS:-1000}
SOAK_SAMPLE=${SOAK_SAMPLE:-3}
WAVES=$((SOAK_SECS / SOAK_WAVE))
[ "$WAVES" -ge 2 ] || WAVES=2
EVENTS1="st-term br-kill flap hup st-kill br-term"
EVENTS2="flap hup none"
FAILS=0

now_s() { echo $(($(date +%s) - T0)); }
rss_of() { # NAME: VmRSS KiB of the evbd called NAME, or -
	_p=$(cat "$T_TMP/$1/pid" 2>/dev/null)
	awk '/VmRSS/ {print $2; f = 1} END {if (!f) print "-"}' "/proc/${_p:-0}/status" 2>/dev/null || echo -
}
vsis_of() { # NAME FIELD: .vsis.FIELD of NAME's port, or - when it does not answer
	_v=$(ctl "$1" -j port show 2>/dev/null | jq ".[0].vsis.$2 // empty" 2>/dev/null)
	echo "${_v:--}"
}
assoc_of() { vsis_of "$1" associated; }
total_of() { vsis_of "$1" total; }
db_kib() { # NAME: the database's size in KiB (page_count, WAL included)
	sqlite3 -readonly "$T_TMP/$1/state/evbd.db" 'PRAGMA page_count; PRAGMA page_size' 2>/dev/null |
		paste -sd' ' | awk '{print int($1 * $2 / 1024)}'
}
negotiated() { ctl "$1" -j port show | jq -e '.[0].negotiated.valid'; }
nth() { # N WORDS...: the N-th word (0-based, modulo their number)
	_i=$1
	shift
	_i=$((_i % $#))
	shift "$_i"
	echo "$1"
}
# burst FILE DEV WAVE: associate wave WAVE's VSIs, de-associate WAVE-1's.
burst() {
	awk -v n="$SOAK_VSIS" -v d="$2" -v w="$3" '
	BEGIN { for (i = 0; i < n; i++) { k = w * n + i
			printf "vsi associate dev %s type 7 version 1 uuid 50a50000-0000-4000-8000-%012x mac 52:54:%02x:%02x:%02x:%02x vlan %d\n",
				d, k, int(k/16777216)%256, int(k/65536)%256, int(k/256)%256, k%256, 2 + k % 4000 }
		if (w > 0) for (i = 0; i < n; i++)
			printf "vsi deassociate dev %s uuid 50a50000-0000-4000-8000-%012x\n", d, (w - 1) * n + i }' >"$1"
}

# ---- two pairs ----
for i in 1 2; do
	ns_new "s$i"
	ns_new "b$i"
	veth "st$i" "s$i" "br$i" "b$i"
	printf '[port st%s]\nrole = station\nrka = 18\nlldp-interval = 1\n' "$i" >"$T_TMP/st$i.conf"
	printf '[port br%s]\nrole = bridge\nrka = 18\nlldp-interval = 1\n' "$i" >"$T_TMP/br$i.conf"
	evbd_start "st$i" "s$i" -f "$T_TMP/st$i.conf" || exit 1
	evbd_start "br$i" "b$i" -f "$T_TMP/br$i.conf" || exit 1
	wait_until 20 negotiated "st$i" || {
		echo "FAIL - station st$i did not negotiate EVB"
		exit 1
	}
done

restart() { # NAME NS SIGNAL
	evbd_kill "$1" "$3"
	evbd_start "$1" "$2" -f "$T_TMP/$1.conf" >/dev/null
}
event() { # PAIR KIND
	case $2 in
	st-term) restart "st$1" "s$1" TERM ;;
	st-kill) restart "st$1" "s$1" KILL ;;
	br-term) restart "br$1" "b$1" TERM ;;
	br-kill) restart "br$1" "b$1" KILL ;;
	flap)
		ns_exec "s$1" ip link set "st$1" down
		sleep 1
		ns_exec "s$1" ip link set "st$1" up
		;;
	hup)
		eval "kill -HUP \$PID_st$1 \$PID_br$1"
		;;
	esac
}
# converged PAIR: both sides hold exactly SOAK_VSIS VSIs, all associated.
converged() {
	for _n in "st$1" "br$1"; do
		[ "$(assoc_of "$_n")" = "$SOAK_VSIS" ] && [ "$(total_of "$_n")" = "$SOAK_VSIS" ] || return 1
	done
}

sampler() {
	while :; do
		printf '%5s %4s | %7s %7s %7s %7s | %6s %6s %6s %6s\n' "$(now_s)" "$WAVE_NOW" \
			"$(rss_of st1)" "$(rss_of br1)" "$(rss_of st2)" "$(rss_of br2)" \
			"$(assoc_of st1)" "$(assoc_of br1)" "$(assoc_of st2)" "$(assoc_of br2)"
		sleep "$SOAK_SAMPLE"
	done
}

T0=$(date +%s)
echo "soak: $WAVES waves of $SOAK_WAVE s, $SOAK_VSIS VSIs per station, two station/bridge pairs"
printf '%5s %4s | %7s %7s %7s %7s | %6s %6s %6s %6s\n' time wave \
	"st1 RSS" "br1 RSS" "st2 RSS" "br2 RSS" "st1 VSI" "br1 VSI" "st2 VSI" "br2 VSI"
printf '%5s %4s | %31s | %27s\n' s "" "KiB" "associated"
w=0
while [ $w -lt "$WAVES" ]; do
	tw=$(date +%s)
	WAVE_NOW=$w
	sampler &
	samp=$!
	T_HOLDERS="$T_HOLDERS $samp"
	ev1=$(nth $w $EVENTS1)
	ev2=$(nth $w $EVENTS2)
	[ $w = 0 ] && ev1=none && ev2=none # the first wave fills the tables
	for i in 1 2; do
		burst "$T_TMP/w$i.txt" "st$i" $w
		ctl "st$i" -b "$T_TMP/w$i.txt" >"$T_TMP/w$i.out" 2>&1 || {
			echo "FAIL - wave $w: a request of pair $i was refused:"
			tail -3 "$T_TMP/w$i.out"
			FAILS=$((FAILS + 1))
		}
	done
	event 1 "$ev1"
	event 2 "$ev2"
	if ! wait_until $((SOAK_WAVE * 3)) converged 1 || ! wait_until $((SOAK_WAVE * 3)) converged 2; then
		echo "FAIL - wave $w ($ev1, $ev2) did not converge: st1 $(total_of st1)/$(assoc_of st1), br1 $(total_of br1)/$(assoc_of br1), st2 $(total_of st2)/$(assoc_of st2), br2 $(total_of br2)/$(assoc_of br2) (total/associated)"
		FAILS=$((FAILS + 1))
	fi
	tc=$(($(date +%s) - tw))
	left=$((SOAK_WAVE - tc))
	[ $left -gt 0 ] && sleep $left
	kill "$samp"
	wait "$samp" 2>/dev/null
	echo "      wave $w: pair 1 $ev1, pair 2 $ev2; converged after ${tc} s"
	# The reference is the end of wave 1, the first with the steady churn
	# (wave 0 only fills); the end of the last wave is compared with it.
	for n in st1 br1 st2 br2; do
		eval "END_RSS_$n=$(rss_of $n) END_DB_$n=$(db_kib $n)"
		[ $w = 1 ] && eval "REF_RSS_$n=\$END_RSS_$n REF_DB_$n=\$END_DB_$n"
	done
	w=$((w + 1))
done

# ---- nothing lost ----
assoc_uuids() { ctl "$1" -j vsi list | jq -r '.[] | select(.state == "associated") | .vsiid' | sort; }
for i in 1 2; do
	assoc_uuids "st$i" >"$T_TMP/st$i.have"
	assoc_uuids "br$i" >"$T_TMP/br$i.have"
	missing=$(comm -23 "$T_TMP/st$i.have" "$T_TMP/br$i.have" | wc -l)
	ns=$(wc -l <"$T_TMP/st$i.have")
	nb=$(wc -l <"$T_TMP/br$i.have")
	echo "pair $i: station $ns associated, bridge $nb, missing on the bridge $missing (asked $SOAK_VSIS)"
	if [ "$missing" != 0 ] || [ "$ns" != "$SOAK_VSIS" ] || [ "$nb" != "$SOAK_VSIS" ]; then
		echo "FAIL - pair $i lost VSIs"
		FAILS=$((FAILS + 1))
	fi
done

# ---- no growth ----
for n in st1 br1 st2 br2; do
	eval "r0=\$REF_RSS_$n r1=\$END_RSS_$n d0=\$REF_DB_$n d1=\$END_DB_$n"
	echo "$n: VmRSS $r0 -> $r1 KiB, database $d0 -> $d1 KiB (end of wave 1 -> end of wave $((WAVES - 1)))"
	if [ "$r0" = - ] || [ "$r1" = - ] || [ "$r1" -gt $((r0 + r0 / 10)) ]; then
		echo "FAIL - $n: VmRSS grew by more than 10 %"
		FAILS=$((FAILS + 1))
	fi
	if [ -z "$d0" ] || [ -z "$d1" ] || [ "$d1" -gt $((d0 + d0 / 10 + 256)) ]; then
		echo "FAIL - $n: the database grew by more than 10 % + 256 KiB"
		FAILS=$((FAILS + 1))
	fi
done
# ---- the ECP pacing (auto) between evbd peers: told, not failed (a frame
# really dropped may pace a port rightly) ----
for n in st1 br1 st2 br2; do
	_l=$(grep -h -e 'ECP pacing' -e 'pacing ECPDUs' "$T_TMP/$n/log" 2>/dev/null)
	[ -z "$_l" ] && echo "$n: ECP pacing never slowed (ack-clocked throughout)" ||
		echo "$_l" | sed "s/^/$n: /"
done
if [ "$FAILS" = 0 ]; then echo "soak: passed"; else echo "soak: $FAILS failures"; fi
[ "$FAILS" = 0 ]
