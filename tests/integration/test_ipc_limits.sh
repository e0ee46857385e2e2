#!/bin/sh
# SPDX-License-Identifier: ISC
# test_ipc_limits.sh - what a local user cannot do to evbd through its
# control socket: flood it with dump requests it never reads (evbd's RSS
# stays bounded, root is still answered, `evbctl stats` - which anyone may
# run - counts the refusals), take the socket's address before evbd starts
# (evbd names the process and exits non-zero; evbctl refuses the impostor's
# answers), or keep an admin-group's rights across a SIGHUP that revokes
# them.
#
# Needs root (a real uid 65534 and setpriv); skipped otherwise.
if [ -z "${EVBD_T_INNER:-}" ] && [ "$(id -u)" = 0 ]; then
	EVBD_T_INNER=1 exec unshare -n --mount --propagation private sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
trap t_cleanup EXIT

FLOOD=$T_BUILD/tools/dumpflood
if [ "$(id -u)" != 0 ] || ! setpriv --reuid 65534 --regid 65534 --clear-groups true 2>/dev/null; then
	echo "test_ipc_limits: skipped (needs root and setpriv)"
	t_done
	exit 0
fi
nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups "$@"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

ip link set lo up
ip link add vst type veth peer name vpeer
ip link set vst up
ip link set vpeer up
printf '[global]\nadmin-group = nogroup\n[port vst]\nrole = station\n' >"$T_TMP/st.conf"
evbd_start st main -f "$T_TMP/st.conf" || exit 1
EPID=$(cat "$T_TMP/st/pid")

# ---- evbctl stats: open to anyone ----
# stat_is FILTER OP N: the jq FILTER of `evbctl -j stats` compares so to N.
stat_is() { _v=$("$EVBCTL" -j stats | jq -e "$1") && [ "$_v" "$2" "$3" ]; }
nobody "$EVBCTL" stats >"$T_TMP/stats" 2>&1
t_check "evbctl stats by nobody: evbd's version and its one port" \
	sh -c "grep -q '^  version: [0-9]' '$T_TMP/stats' && grep -q '^  ports: 1\$' '$T_TMP/stats'"
t_check "evbctl stats by nobody: writes to the store are not failing" \
	grep -q '^  writes failing: no$' "$T_TMP/stats"
t_check "before the flood: evbctl -j stats shows no request over the budget" \
	stat_is .control_socket.over_budget = 0

# ---- dump flood by 12 unprivileged clients that never read ----
before=$(rss_kb "$EPID")
FPIDS=""
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	nobody "$FLOOD" flood 8 6 &
	FPIDS="$FPIDS $!"
done
sleep 2
during=$(rss_kb "$EPID")
echo "evbd VmRSS: ${before} kB before the flood, ${during} kB during it"
t_check "dump flood by nobody: evbd's RSS grows by less than 64 MiB" \
	[ $((during - before)) -lt 65536 ]
t_check "dump flood: root's requests are still answered" "$EVBCTL" port show dev vst
t_check "dump flood: requests over the budget are logged" \
	grep -q "control socket: refusing requests from port id [0-9]* (uid 65534)" "$T_TMP/st/log"
wait $FPIDS
t_check "after the flood: root's requests are answered" "$EVBCTL" port show dev vst
t_check "after the flood: evbctl -j stats counts requests over the budget" \
	stat_is .control_socket.over_budget -gt 0
t_check "after the flood: evbctl stats shows them under their label" \
	sh -c "'$EVBCTL' stats | grep -Eq '^  refused or dropped \\(over the memory budget\\): [1-9]'"

# ---- SIGHUP revokes admin-group ----
U=6d0f0000-0000-4000-8000-0000000000aa
nobody "$EVBCTL" vsi deassociate dev vst uuid $U >"$T_TMP/out" 2>"$T_TMP/err"
t_check "admin-group nogroup: its member may change state" sh -c "! grep -q 'needs root' \"$T_TMP/err\""
printf '[global]\n[port vst]\nrole = station\n' >"$T_TMP/st.conf"
kill -HUP "$EPID"
t_check "SIGHUP: the admin-group change is logged" \
	wait_until 5 grep -q "admin-group changed from 'nogroup' to ''" "$T_TMP/st/log"
nobody "$EVBCTL" vsi deassociate dev vst uuid $U >"$T_TMP/out" 2>"$T_TMP/err"
t_check "SIGHUP without admin-group: the old group's member is refused" \
	grep -q "changing VSIs needs root (uid 65534 is not" "$T_TMP/err"
printf '[global]\nplugin-dir = /nonexistent\n[port vst]\nrole = station\n' >"$T_TMP/st.conf"
kill -HUP "$EPID"
t_check "SIGHUP: a key that needs a restart is named" \
	wait_until 5 grep -q "SIGHUP: plugin-dir changed; restart evbd to apply it" "$T_TMP/st/log"
evbd_kill st

# ---- the control socket's address taken by nobody ----
setpriv --reuid 65534 --regid 65534 --clear-groups "$FLOOD" squat 8 &
SQ=$!
sleep 0.3
"$EVBD" -n --state-dir "$T_TMP/sq" --pid-file "$T_TMP/sq.pid" --station vst >"$T_TMP/sq.log" 2>&1
rc=$?
t_check "squatted port id: evbd exits non-zero" [ "$rc" != 0 ]
t_check "squatted port id: evbd names the process" grep -q \
	"the control socket's address (netlink port id [0-9]*) is held by process $SQ (dumpflood, uid 65534), which is not evbd; stop it" \
	"$T_TMP/sq.log"
"$EVBCTL" port show >"$T_TMP/out" 2>"$T_TMP/err"
rc=$?
t_check "squatted port id: evbctl refuses the impostor's answer" sh -c "[ $rc != 0 ] &&
	grep -q 'the answer did not come from a privileged evbd (netlink port id [0-9]* is held by a process of uid 65534, pid $SQ)' \"$T_TMP/err\""
kill "$SQ" 2>/dev/null
wait "$SQ" 2>/dev/null
t_done
