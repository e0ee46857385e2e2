#!/bin/sh
# SPDX-License-Identifier: ISC
# test_limits.sh - a bridge port's bounds (issue 12, findings 4 and 5):
#   1. a station asking for more VSIs than the bridge's max-vsis gets the
#      rest refused with reason 2 (insufficient resources), counted;
#   2. the bridge's state database shrinks once the VSIs are gone;
#   3. a station that floods requests and never acknowledges the bridge's
#      ECPDUs (impair drops its ECP ACKs) leaves the bridge's transmit
#      queue within tx-queue: requests finding it full are dropped and
#      counted, and the bridge's RSS stays bounded.
. "$(dirname "$0")/lib.sh"

# RWD and RKA 16 (keep-alives every 655 ms): the bounds are under test, not
# the timers, and with RKA 14 (164 ms) the keep-alives of 6,000 VSIs timed
# out every one of them on a loaded machine.
conf() {
	conf_fast "$@"
	sed -i 's/^rwd = 14$/rwd = 16/; s/^rka = 14$/rka = 16/' "$T_TMP/$1.conf"
}
negotiated() { ctl "$1" -j port show | jq -e '.[0].negotiated.valid == true' >/dev/null; }
# port_is NAME JQ-PATH OP N: a number of `evbctl -j port show` compares so.
port_is() { [ "$(ctl "$1" -j port show | jq ".[0].$2")" "$3" "$4" ]; }
db_size() { cat "$1" "$1-wal" 2>/dev/null | wc -c; } # the file and its log
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
lines() { # FILE CMD N DEV [TAIL]
	awk -v c="$2" -v n="$3" -v d="$4" -v t="${5:-}" 'BEGIN { for (i = 1; i <= n; i++)
		printf "vsi %s dev %s uuid 5eed0000-0000-4000-8000-%012x%s %s\n", c, d, i,
			c == "deassociate" ? "" : sprintf(" type 5 version 1 mac 52:54:%02x:%02x:%02x:%02x vlan %d", int(i/16777216)%256, int(i/65536)%256, int(i/256)%256, i%256, 2 + i % 4000), t }' >"$1"
}

# ---- 1, 2: max-vsis refusals and the database given back ----
N=6000
ns_new bridge
veth vst main vbr bridge 02:00:00:00:00:01 02:00:00:00:00:02
conf st station vst
conf br bridge vbr "max-vsis = $N"
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
evbd_start st main -f "$T_TMP/st.conf" || exit 1
wait_until 10 negotiated st
lines "$T_TMP/a.txt" associate $((N + 20)) vst
ctl st -b "$T_TMP/a.txt" >/dev/null
t_check "bridge: max-vsis $N associated" wait_until 30 port_is br vsis.associated = $N
t_check "bridge: 20 new VSIs beyond max-vsis refused and counted" \
	wait_until 20 port_is br drops.vsi_limit -ge 20
t_check "station: the refused ones failed, not associated" wait_until 20 port_is st vsis.total = $N
U=5eed0000-0000-4000-8000-$(printf %012x $((N + 30)))
run st vsi associate dev vst type 5 version 1 uuid "$U" vlan 7 wait 10
t_check "one more: refused with reason 2, insufficient resources" \
	expect_has 3 "insufficient resources (reason 2)"
ctl br port show >"$T_TMP/ps"
t_check "evbctl port show lists the bounds' counters" sh -c "
	grep -q '    vsi_limit: ' $T_TMP/ps && grep -q '    queue_full: ' $T_TMP/ps &&
	grep -q '    filter_limit: ' $T_TMP/ps && grep -q '    tx_dropped: ' $T_TMP/ps"
DB=$T_TMP/br/state/evbd.db
sleep 0.5
full=$(db_size "$DB")
lines "$T_TMP/d.txt" deassociate "$N" vst
ctl st -b "$T_TMP/d.txt" >/dev/null
t_check "bridge: every VSI gone" wait_until 30 port_is br vsis.total = 0
shrunk() { [ "$(db_size "$DB")" -lt $((full / 4)) ]; }
t_check "bridge: the database file shrank to under a quarter" wait_until 10 shrunk
echo "# bridge database (file and log): $full octets with $N VSIs, $(db_size "$DB") after they went"
evbd_kill st
evbd_kill br

# ---- 3: a never-acknowledging flood ----
ns_new wire
ns_new st2
ns_new br2
veth vs2 st2 wa wire 02:00:00:00:01:01 02:00:00:00:01:03
veth wb wire vb2 br2 02:00:00:00:01:04 02:00:00:00:01:02
$(ns_prefix wire) "$T_BUILD/tools/impair" wa wb 0 0 0 1 noack >"$T_TMP/impair.log" 2>&1 &
T_PIDS="$T_PIDS $!"
conf st2 station vs2
conf br2 bridge vb2 "max-vsis = 1000
tx-queue = 256"
evbd_start br2 br2 -f "$T_TMP/br2.conf" || exit 1
evbd_start st2 st2 -f "$T_TMP/st2.conf" || exit 1
wait_until 20 negotiated st2
rss0=$(rss_kb "$PID_br2")
lines "$T_TMP/f.txt" associate 20000 vs2
ctl st2 -b "$T_TMP/f.txt" >/dev/null
t_check "flood: requests finding the bridge's queue full dropped and counted" \
	wait_until 30 port_is br2 drops.queue_full -gt 0
sleep 3
rss1=$(rss_kb "$PID_br2")
echo "# bridge RSS under a never-acking flood of 20,000 VSIs: $rss0 KiB before, $rss1 KiB after 3 s"
echo "# $(ctl br2 -j port show | jq -c '.[0].drops')"
t_check "flood: the bridge holds at most max-vsis" port_is br2 vsis.total -le 1000
t_check "flood: the bridge's RSS grew by less than 8 MiB" sh -c "[ $((rss1 - rss0)) -lt 8192 ]"

t_done
