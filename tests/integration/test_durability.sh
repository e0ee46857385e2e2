#!/bin/sh
# SPDX-License-Identifier: ISC
# test_durability.sh - an OK from evbd means the change is in the state
# database (group commit, evbd/loop.h):
#   - kill -9 of a station at three points of a VSI burst (`evbctl -b`,
#     without wait), repeated: after a restart every VSI evbctl got an OK
#     for is in the station's table (KILL_VSIS VSIs per burst, KILL_ROUNDS
#     rounds of the three kill points, run side by side);
#   - kill -9 of a bridge at points of a burst (BR_ROUNDS rounds of
#     BR_KILL_AT): the restarted bridge holds from its database, before any
#     keep-alive (RKA 25: 5.6 min), every VSI the station saw associated
#     (a bridge answers only after the VSI is stored);
#   - a second evbd on the same state directory exits naming the first;
#   - evbd.db deleted while evbd runs: noticed at the next change, written
#     again with every VSI, the change answered OK;
#   - a full disk (a small tmpfs): the changes get an error saying they are
#     not durable, never an OK; once there is room they are written.
T_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$T_ROOT/tests/integration/lib.sh"

KILL_VSIS=${KILL_VSIS:-10000}
KILL_ROUNDS=${KILL_ROUNDS:-5}
KILL_AT=${KILL_AT:-0.05 0.15 0.3}

# burst FILE DEV N [FIRST]: N `vsi associate` lines for DEV, UUIDs from FIRST.
burst() {
	awk -v n="$3" -v d="$2" -v f="${4:-1}" 'BEGIN { for (i = f; i < f + n; i++)
		printf "vsi associate dev %s type 7 version 1 uuid 5eed0000-0000-4000-8000-%012x mac 52:54:%02x:%02x:%02x:%02x vlan %d\n",
			d, i, int(i/16777216)%256, int(i/65536)%256, int(i/256)%256, i%256, 2 + i % 4000 }' >"$1"
}
# uuids NAME: the UUIDs of NAME's VSIs, sorted.
uuids() {
	ctl "$1" -j vsi list | jq -r '.[].vsiid' | sort
}

# kill_run ID DELAY: one burst killed after DELAY s; prints "acked lost".
kill_run() {
	_id=$1
	ns_new "k$_id"
	veth "s$_id" "k$_id" "r$_id" main
	evbd_start "st$_id" "k$_id" --station "s$_id" >/dev/null || {
		echo "x x"
		return
	}
	burst "$T_TMP/k$_id.txt" "s$_id" "$KILL_VSIS"
	ctl "st$_id" -b "$T_TMP/k$_id.txt" >"$T_TMP/k$_id.out" 2>"$T_TMP/k$_id.err" &
	_c=$!
	sleep "$2"
	evbd_kill "st$_id" KILL
	wait "$_c"
	# Every line without a "line L:" failure was answered OK.
	sed -n 's/^evbctl batch: line \([0-9]*\):.*/\1/p' "$T_TMP/k$_id.err" | sort -u >"$T_TMP/k$_id.bad"
	awk 'FILENAME == ARGV[1] { bad[$1] = 1; next } !(FNR in bad) { print $10 }' \
		"$T_TMP/k$_id.bad" "$T_TMP/k$_id.txt" | sort >"$T_TMP/k$_id.acked"
	evbd_start "st$_id" "k$_id" --station "s$_id" >/dev/null || {
		echo "$(wc -l <"$T_TMP/k$_id.acked") x"
		return
	}
	uuids "st$_id" >"$T_TMP/k$_id.have"
	evbd_kill "st$_id"
	echo "$(wc -l <"$T_TMP/k$_id.acked") $(comm -23 "$T_TMP/k$_id.acked" "$T_TMP/k$_id.have" | wc -l)"
}

# ---- kill -9 during a burst ----
acked=0
lost=0
runs=0
bad_runs=0
r=0
while [ $r -lt "$KILL_ROUNDS" ]; do
	j=0
	for at in $KILL_AT; do
		# A subshell: its namespace holder is ended here, not by t_cleanup.
		(
			kill_run "$r$j" "$at" >"$T_TMP/res$r$j"
			eval "kill \$NS_k$r$j; echo \$NS_k$r$j" >>"$T_TMP/holders"
		) &
		j=$((j + 1))
	done
	wait
	for f in "$T_TMP"/res$r*; do
		read -r a l <"$f"
		runs=$((runs + 1))
		if [ "$l" = x ]; then
			bad_runs=$((bad_runs + 1))
			continue
		fi
		acked=$((acked + a))
		lost=$((lost + l))
		[ "$l" -gt 0 ] && echo "     | run $f: $l of $a acknowledged VSIs lost"
	done
	r=$((r + 1))
done
T_HOLDERS="$T_HOLDERS $(cat "$T_TMP/holders" 2>/dev/null)"
echo "     | kill -9 of the station: $runs runs of $KILL_VSIS VSIs (kill after $KILL_AT s), $acked OKs, $lost acknowledged VSIs lost"
t_check "kill -9 during a burst loses no acknowledged VSI ($lost lost of $acked over $runs runs)" \
	test "$lost" = 0 -a "$bad_runs" = 0 -a "$acked" -gt 0

# ---- kill -9 of the bridge during a burst ----
BR_ROUNDS=${BR_ROUNDS:-2}
BR_KILL_AT=${BR_KILL_AT:-0.03 0.06 0.1}
assoc() { ctl "$1" -j vsi list | jq -r '.[] | select(.state == "associated") | .vsiid' | sort; }
negotiated() { ctl "$1" -j port show | jq -e '.[0].negotiated.valid'; }
# bkill_run ID DELAY: one burst, the bridge killed after DELAY s; prints
# "acked lost" (acked: associated at the station when the bridge died).
bkill_run() {
	_id=$1
	ns_new "q$_id"
	veth "t$_id" main "u$_id" "q$_id"
	printf '[port u%s]\nrole = bridge\nmax-vsis = 20000\ntx-queue = 20000\nrka = 25\n' "$_id" >"$T_TMP/bq$_id.conf"
	printf '[port t%s]\nrole = station\nrka = 25\n' "$_id" >"$T_TMP/sq$_id.conf"
	evbd_start "bq$_id" "q$_id" -f "$T_TMP/bq$_id.conf" >/dev/null &&
		evbd_start "sq$_id" main -f "$T_TMP/sq$_id.conf" >/dev/null &&
		wait_until 20 negotiated "sq$_id" || {
		echo "x x"
		return
	}
	burst "$T_TMP/q$_id.txt" "t$_id" "$KILL_VSIS"
	ctl "sq$_id" -b "$T_TMP/q$_id.txt" >/dev/null 2>&1 &
	_c=$!
	sleep "$2"
	evbd_kill "bq$_id" KILL
	assoc "sq$_id" >"$T_TMP/q$_id.acked"
	wait "$_c"
	evbd_start "bq$_id" "q$_id" -f "$T_TMP/bq$_id.conf" >/dev/null || {
		echo "$(wc -l <"$T_TMP/q$_id.acked") x"
		return
	}
	assoc "bq$_id" >"$T_TMP/q$_id.have"
	evbd_kill "bq$_id"
	evbd_kill "sq$_id"
	echo "$(wc -l <"$T_TMP/q$_id.acked") $(comm -23 "$T_TMP/q$_id.acked" "$T_TMP/q$_id.have" | wc -l)"
}
acked=0
lost=0
runs=0
bad_runs=0
r=0
while [ $r -lt "$BR_ROUNDS" ]; do
	j=0
	for at in $BR_KILL_AT; do
		bkill_run "$r$j" "$at" >"$T_TMP/bres" 2>&1
		read -r a l <"$T_TMP/bres"
		runs=$((runs + 1))
		if [ "$l" = x ]; then
			bad_runs=$((bad_runs + 1))
		else
			acked=$((acked + a))
			lost=$((lost + l))
			[ "$l" -gt 0 ] && echo "     | bridge killed after $at s: $l of $a acknowledged VSIs lost"
		fi
		j=$((j + 1))
	done
	r=$((r + 1))
done
echo "     | kill -9 of the bridge: $runs runs of $KILL_VSIS VSIs (kill after $BR_KILL_AT s), $acked acknowledged, $lost lost"
t_check "kill -9 of the bridge during a burst loses no acknowledged VSI ($lost lost of $acked over $runs runs)" \
	test "$lost" = 0 -a "$bad_runs" = 0 -a "$acked" -gt 0

# ---- two evbd on one state directory ----
ns_new d1
ns_new d2
veth da d1 db d2
evbd_start one d1 --station da
$(ns_prefix d2) "$EVBD" -n --state-dir "$T_TMP/one/state" --pid-file "$T_TMP/two.pid" \
	--station db >"$T_TMP/two.log" 2>&1 &
two=$!
T_PIDS="$T_PIDS $two" # it runs on for ever without the lock
wait_until 5 sh -c "! kill -0 $two"
eval "first=\$PID_one"
t_check "a second evbd on the same state directory exits" sh -c "! kill -0 $two 2>/dev/null"
t_check "... naming the evbd holding it" \
	grep -q "the state directory $T_TMP/one/state is in use by another evbd (pid $first holds the lock" "$T_TMP/two.log"
evbd_kill one

# ---- evbd.db deleted while evbd runs ----
ns_new del
veth sd del rd main
evbd_start dl del --station sd
burst "$T_TMP/d1.txt" sd 100 1
burst "$T_TMP/d2.txt" sd 1 101
ctl dl -b "$T_TMP/d1.txt" >/dev/null
rm -f "$T_TMP/dl/state/evbd.db"
run dl -b "$T_TMP/d2.txt"
t_check "a change after evbd.db was deleted is answered OK" test "$RC" = 0
t_check "... the deletion is noticed and logged" \
	grep -q "evbd.db was deleted or replaced while evbd ran; writing it again" "$T_TMP/dl/log"
t_check "... evbd.db is back" test -s "$T_TMP/dl/state/evbd.db"
evbd_kill dl KILL
evbd_start dl del --station sd
t_check "... and after kill -9 and a restart it holds all 101 VSIs" \
	test "$(uuids dl | wc -l)" = 101
evbd_kill dl

# ---- a full disk ----
mkdir -p "$T_TMP/fl/state"
mount -t tmpfs -o size=512k tmpfs "$T_TMP/fl/state"
ns_new fu
veth sf fu rf main
evbd_start fl fu --station sf
dd if=/dev/zero of="$T_TMP/fl/state/filler" bs=4k 2>/dev/null
burst "$T_TMP/f.txt" sf 2000 1
run fl -b "$T_TMP/f.txt"
t_check "on a full disk the changes are refused, not OK" \
	sh -c "grep -q ' 0 ok, 2000 failed' '$T_TMP/out'"
t_check "... with a sentence saying they are not durable" \
	grep -q "could not be written.*database or disk is full; the request to associate VSI 5eed0000-0000-4000-8000-000000000001 on port sf was not applied durably" "$T_TMP/err"
t_check "... and the log says so" grep -q "could not be written" "$T_TMP/fl/log"
ctl fl stats >"$T_TMP/stats" 2>&1
t_check "... evbctl stats says writes fail, and why" sh -c "grep -q '^  writes failing: yes\$' '$T_TMP/stats' &&
	grep -q '^  why: .*could not be written.*database or disk is full' '$T_TMP/stats'"
ctl fl -j stats >"$T_TMP/stats.json" 2>&1
t_check "... and counts the 2000 answers that are not durable" \
	jq -e '.store.failing and .store.not_durable >= 2000' "$T_TMP/stats.json"
rm -f "$T_TMP/fl/state/filler"
t_check "once there is room the changes are written" \
	wait_until 10 grep -q "is written again" "$T_TMP/fl/log"
evbd_kill fl KILL
evbd_start fl fu --station sf
t_check "... and survive kill -9 (2000 VSIs after a restart)" test "$(uuids fl | wc -l)" = 2000
evbd_kill fl
umount "$T_TMP/fl/state"

t_done
