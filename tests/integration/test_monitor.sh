#!/bin/sh
# SPDX-License-Identifier: ISC
# test_monitor.sh - the operator's view of evbd: `evbctl monitor` (text and
# -j) while a bridge appears, VSIs come and go and the link flaps; `evbctl
# vsi show` with a VSI's history; the per-VSI info lines of evbd's log; the
# monitor's bounds (16 subscribers; a subscriber that stops reading is
# dropped, logged, counted and told so); `evbctl stats` and `--version`
# naming the evbd they talk to.
if [ -z "${EVBD_T_INNER:-}" ] && [ "$(id -u)" = 0 ]; then
	EVBD_T_INNER=1 exec unshare -n --mount --propagation private sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
trap t_cleanup EXIT

U1=6d0f0000-0000-4000-8000-000000000001
U2=6d0f0000-0000-4000-8000-000000000002
MON=$T_TMP/mon.txt
MONJ=$T_TMP/mon.json
# has FILE REGEX: FILE has a line matching REGEX (grep -E), else show FILE.
has() { grep -Eq -- "$2" "$1" || { echo "--- $1:"; cat "$1"; return 1; }; }
# jhas JQ: some line of the JSON monitor's output satisfies JQ.
jhas() { jq -se "any(.[]; $1)" "$MONJ" >/dev/null 2>&1 || { echo "--- $MONJ:"; cat "$MONJ"; return 1; }; }

ns_new bridge
veth vst main vbr bridge 02:00:00:00:00:01 02:00:00:00:00:02
conf_fast st station vst
conf_fast br bridge vbr "max-vsis = 8000"
evbd_start st main -f "$T_TMP/st.conf" || exit 1
"$EVBCTL" monitor >"$MON" 2>"$T_TMP/mon.err" &
MPID=$!
"$EVBCTL" -j monitor dev vst >"$MONJ" 2>"$T_TMP/monj.err" &
MJPID=$!
T_PIDS="$T_PIDS $MPID $MJPID"
wait_until 5 sh -c "'$EVBCTL' -j stats | jq -e '.evbd.subscribers == 2'"

# ---- port events ----
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
t_check "monitor: the bridge appears as LLDP neighbour" \
	wait_until 10 has "$MON" " vst neighbour 02:00:00:00:00:02$"
t_check "monitor: EVB negotiated, with its values" \
	wait_until 10 has "$MON" " vst evb negotiated r 3 rte 8 rwd 14 rka 14 rr no"

# ---- VSIs come and go ----
"$EVBCTL" vsi associate dev vst type 5 version 1 uuid $U1 mac 52:54:00:00:00:01 vlan 10 wait >/dev/null
"$EVBCTL" vsi preassociate dev vst type 6 version 2 uuid $U2 vlan 11 wait >/dev/null
"$EVBCTL" vsi deassociate dev vst uuid $U1 wait >/dev/null
t_check "monitor: the associate request" \
	wait_until 5 has "$MON" " vst vsi-request associate uuid:$U1 type 5 version 1"
t_check "monitor: the bridge's answer: pending -> associated" \
	wait_until 5 has "$MON" " vst vsi-state uuid:$U1 type 5 version 1: pending -> associated \\(associate; "
t_check "monitor: the preassociation of the second VSI" \
	wait_until 5 has "$MON" " vst vsi-state uuid:$U2 type 6 version 2: pending -> preassociated"
t_check "monitor: the deassociation ends the first VSI" \
	wait_until 5 has "$MON" " vst vsi-(state|removed) uuid:$U1 type 5 version 1: [a-z]+ -> deassociated"
t_check "monitor -j: one JSON object per line, numbered in order" \
	sh -c "jq -se 'length > 5 and ([.[].seq] | . == sort)' '$MONJ' >/dev/null"
t_check "monitor -j: a VSI event's members" jhas ".event == \"vsi-state\" and .vsiid == \"$U1\"
	and .dev == \"vst\" and .role == \"station\" and .type_id == 5 and .type_version == 1
	and .vsiid_format == 5 and .vsiid_format_name == \"uuid\" and .state == \"associated\"
	and .old_state == \"pending\" and .reason == 0 and .reason_name == \"success\"
	and .command == \"associate\" and (.time | test(\"^20[0-9-]+T[0-9:.]+Z$\"))"
t_check "monitor -j: a port event's members" jhas '.event == "evb" and .link == "up"
	and .negotiated.valid == true and .negotiated.rte == 8 and .neighbour.mac == "02:00:00:00:00:02"'

# ---- the per-VSI info lines ----
t_check "evbd -v logs the VSI's state change: port, VSIID, type/version, old -> new, reason" \
	has "$T_TMP/st/log" "info: vst: VSI uuid:$U1 type 5 version 1: pending -> associated \\(.* -> .*\\) on associate, reason 0 \\(success\\)"

# ---- vsi show ----
run_show() { "$EVBCTL" "$@" >"$T_TMP/out" 2>"$T_TMP/err"; RC=$?; }
run_show -j vsi show uuid $U2
t_check "vsi show -j: the VSI now and its history (request, answer)" sh -c "[ $RC = 0 ] &&
	jq -e '(.current | length == 1) and .current[0].state == \"preassociated\" and .current[0].type_id == 6
		and ([.history[].event] | index(\"vsi-request\") < index(\"vsi-state\"))' '$T_TMP/out' >/dev/null"
run_show vsi show uuid $U1 dev vst
t_check "vsi show of an ended VSI: its history, in text" sh -c "[ $RC = 0 ] &&
	grep -q '^history\\[0\\]: .* vst vsi-request associate uuid:$U1' '$T_TMP/out' &&
	grep -q ' -> deassociated' '$T_TMP/out'"
run_show -j vsi show uuid 6d0f0000-0000-4000-8000-0000000000ff
t_check "vsi show of an unknown VSI: exit 1, nothing on stdout, a sentence" sh -c "[ $RC = 1 ] &&
	[ ! -s '$T_TMP/out' ] && grep -q 'is on no port, and evbd remembers no event of it' '$T_TMP/err'"

# ---- link flap ----
ip link set vst down
t_check "monitor: link down" wait_until 5 has "$MON" " vst link down$"
ip link set vst up
t_check "monitor: link up" wait_until 5 has "$MON" " vst link up$"

# ---- bounds: 16 subscribers ----
SUBS=""
for i in 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
	"$EVBCTL" monitor >/dev/null 2>&1 &
	SUBS="$SUBS $!"
done
T_PIDS="$T_PIDS $SUBS"
wait_until 5 sh -c "'$EVBCTL' -j stats | jq -e '.evbd.subscribers == 16'"
"$EVBCTL" monitor >"$T_TMP/out" 2>"$T_TMP/err" &
wait $! 2>/dev/null
RC=$?
t_check "a 17th monitor is refused with a sentence, exit 1" sh -c "[ $RC = 1 ] &&
	grep -q 'evbd already has 16 monitor subscribers, its limit' '$T_TMP/err'"
kill $SUBS 2>/dev/null
wait $SUBS 2>/dev/null
"$EVBCTL" monitor >/dev/null 2>&1 &
SP=$!
t_check "a monitor that went away frees its place for a new one" \
	wait_until 5 sh -c "'$EVBCTL' -j stats | jq -e '.evbd.subscribers <= 3'"
kill $SP 2>/dev/null

# ---- bounds: a subscriber that stops reading is dropped ----
# (a client that subscribes with the smallest receive buffer and reads
# nothing for 12 s: evbctl's own buffer would take megabytes first)
"$T_BUILD/tools/dumpflood" stuck 12 >"$T_TMP/stuck.out" 2>&1 &
SLOW=$!
T_PIDS="$T_PIDS $SLOW"
wait_until 5 sh -c "'$EVBCTL' -j stats | jq -e '.evbd.subscribers >= 3'"
awk 'BEGIN { for (i = 1; i <= 6000; i++)
	printf "vsi associate dev vst uuid 6d0f0000-0000-4000-8000-%012x type 5 version 1 vlan %d\n", 1000 + i, 100 + i % 50 }' >"$T_TMP/b"
"$EVBCTL" -b "$T_TMP/b" >/dev/null 2>&1
sleep 2.5 # the stuck subscriber has lagged for IPC_MONITOR_LAG_US: the next event drops it
"$EVBCTL" vsi deassociate dev vst uuid $U2 >/dev/null 2>&1
t_check "the stuck subscriber is dropped and the reason logged" \
	wait_until 10 has "$T_TMP/st/log" "dropping monitor subscriber port id [0-9]+: (more than 256 KiB of events \\([0-9]+ KiB\\) have waited for it for 2 s|[0-9]+ KiB of events wait for it, more than its limit of 2048 KiB)"
t_check "evbctl stats counts the dropped subscriber" \
	sh -c "'$EVBCTL' -j stats | jq -e '.evbd.subscribers_dropped >= 1'"
wait $SLOW 2>/dev/null
RC=$?
t_check "the dropped subscriber is told why, after what it had not read" sh -c "[ $RC = 0 ] &&
	grep -q 'evbd stopped sending events to this monitor: .*; read faster' '$T_TMP/stuck.out' ||
	{ echo exit $RC; cat '$T_TMP/stuck.out'; false; }"
t_check "the monitor that reads kept up: it saw the 6000 requests" sh -c "
	[ \$(grep -c ' vsi-request associate uuid:6d0f0000-0000-4000-8000-0000000' '$MON') -ge 6001 ] ||
	{ grep -c ' vsi-request' '$MON'; cat '$T_TMP/mon.err'; false; }"
t_check "the monitors that went away are forgotten (their sockets found closed)" \
	sh -c "'$EVBCTL' -j stats | jq -e '.evbd.subscribers == 2'"

# ---- counters: -s port show, port clear-stats ----
"$EVBCTL" -j -s port show dev vst >"$T_TMP/before.json"
t_check "-s port show: frame counters and since when they count" \
	jq -e '.[0].frames.lldp_tx > 0 and .[0].frames.lldp_rx > 0 and .[0].ecp.tx_frames > 0
		and .[0].counters_age_s >= 1' "$T_TMP/before.json"
t_check "port show without -s: no frame counters (as before)" sh -c "
	'$EVBCTL' -j port show dev vst | jq -e '.[0] | has(\"frames\") | not' >/dev/null"
t_check "port clear-stats: one port cleared" sh -c "
	'$EVBCTL' -j port clear-stats dev vst | jq -e '.cleared == 1' >/dev/null"
"$EVBCTL" -j -s port show dev vst >"$T_TMP/after.json"
t_check "after clear-stats the counters start again (the VSI counts stay: they are states)" \
	jq -e --slurpfile b "$T_TMP/before.json" '.[0].ecp.tx_frames < $b[0][0].ecp.tx_frames / 2
		and .[0].frames.lldp_tx < $b[0][0].frames.lldp_tx and .[0].counters_age_s < $b[0][0].counters_age_s
		and .[0].vsis.total == $b[0][0].vsis.total' "$T_TMP/after.json"
t_check "evbd logs who cleared the counters" has "$T_TMP/st/log" "counters cleared on vst \\(by uid [0-9]+\\)"

# ---- which evbd ----
t_check "evbctl stats: evbd's version, pid and uptime" sh -c "
	'$EVBCTL' -j stats | jq -e '.evbd.pid == $(cat "$T_TMP/st/pid") and (.evbd.version | length > 0)
		and .evbd.uptime_s >= 0' >/dev/null"
t_check "evbctl --version: the evbd it talks to, with pid and uptime" sh -c "
	'$EVBCTL' --version | grep -Eq '^evbctl [^ ]+; evbd [^ ]+ \\(pid $(cat "$T_TMP/st/pid"), up [0-9]+[smhd]'"

# ---- evbd stops: the monitor is told and exits 1 ----
evbd_kill st
wait $MPID 2>/dev/null
RC=$?
t_check "evbd stops: the monitor says so and exits 1" sh -c "[ $RC = 1 ] &&
	grep -q 'evbd is shutting down' '$T_TMP/mon.err'"
echo "--- a sample of evbctl monitor:"
grep -v ' vsi-.*6d0f0000-0000-4000-8000-0000000[01]' "$MON" | head -20
t_done
