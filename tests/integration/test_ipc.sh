#!/bin/sh
# SPDX-License-Identifier: ISC
# test_ipc.sh - the control channel between evbctl and evbd, end to end: a
# station evbd and a bridge evbd in two network namespaces on a veth pair;
# `port show` and `vsi list` on both sides (text and JSON keys), associate
# and deassociate with `wait`, error sentences and exit statuses, batch mode
# (1,000 associates confirmed, failing lines reported), a non-root user who
# may list but not change, no daemon, a bridge refusal and a bridge that
# stopped answering.
#
# As root the test runs without a user namespace so that a real non-root
# user (uid 65534) can be tried; otherwise that case is skipped.
if [ -z "${EVBD_T_INNER:-}" ] && [ "$(id -u)" = 0 ]; then
	EVBD_T_INNER=1 exec unshare -n --mount --propagation private sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

# The daemons by their pid files (the fixture's PIDs are the shells that
# started them); one is stopped on purpose below.
ipc_cleanup() {
	for n in st br; do
		p=$(cat "$T_TMP/$n/pid" 2>/dev/null) || continue
		kill -CONT "$p" 2>/dev/null
		kill -KILL "$p" 2>/dev/null
	done
	t_cleanup
}
trap ipc_cleanup EXIT

U1=6d0f0000-0000-4000-8000-000000000001
conf() { conf_fast "$@"; }
out_has() { grep -qF -- "$1" "$T_TMP/out" || { cat "$T_TMP/out" "$T_TMP/err"; return 1; }; }
negotiated() { ctl "$1" -j port show | jq -e '.[0].negotiated.valid == true' >/dev/null; }
count_is() { [ "$(vsi_count "$1" "$2")" = "$3" ]; } # NAME JQ-SELECT N
lines() { # FILE CMD N [TAIL]: N lines "vsi CMD ... uuid ...-<i> [mac/vlan] TAIL"
	awk -v c="$2" -v n="$3" -v t="${4:-}" 'BEGIN { for (i = 1; i <= n; i++)
		printf "vsi %s dev vst uuid 6d0f0000-0000-4000-8000-%012x%s %s\n", c, 1000 + i,
			c == "deassociate" ? "" : sprintf(" type 5 version 1 mac 52:54:00:00:%02x:%02x vlan %d", int(i/256)%256, i%256, 100 + i % 50), t }' >"$1"
}

ns_new bridge
veth vst main vbr bridge 02:00:00:00:00:01 02:00:00:00:00:02
conf st station vst
conf br bridge vbr "max-vsis = 1000"
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
evbd_start st main -f "$T_TMP/st.conf" || exit 1
wait_until 10 negotiated st
wait_until 10 negotiated br

# ---- port show ----
t_check "port show (station): role, link, negotiated values" sh -c "
	\"$EVBCTL\" port show >\"$T_TMP/ps\" &&
	grep -q '^vst:' \"$T_TMP/ps\" && grep -q '  role: station' \"$T_TMP/ps\" &&
	grep -q '  link: up' \"$T_TMP/ps\" && grep -q '    rte: 8' \"$T_TMP/ps\" &&
	grep -q '    ack_timer_ms: 3' \"$T_TMP/ps\" && grep -q '    evb_mode: bridge (1)' \"$T_TMP/ps\""
t_check "port show (bridge): role, MAC, the station as neighbour" sh -c "
	nsenter -t $NS_bridge -n -- \"$EVBCTL\" port show dev vbr >\"$T_TMP/pb\" &&
	grep -q '  role: bridge' \"$T_TMP/pb\" && grep -q '  mac: 02:00:00:00:00:02' \"$T_TMP/pb\" &&
	grep -q '    mac: 02:00:00:00:00:01' \"$T_TMP/pb\" && grep -q '    port: vst' \"$T_TMP/pb\""
t_check "port show -j: keys of a port object" sh -c "
	\"$EVBCTL\" -j port show | jq -e '.[0] | (.dev == \"vst\") and (.role == \"station\")
		and (.link == \"up\") and (.mac == \"02:00:00:00:00:01\")
		and (.negotiated | has(\"r\") and has(\"rte\") and has(\"rwd\") and has(\"rka\")
			and has(\"rr\") and has(\"ack_timer_ms\") and has(\"resp_wait_ms\"))
		and (.neighbour.evb_mode_name == \"bridge\") and (.ecp | has(\"tx_frames\"))
		and (.vsis.total == 0) and (.drops | has(\"lldp_bad\"))'"
run st port show dev nope
t_check "port show of an unknown port: exit 1 and the ports evbd has" \
	expect_has 1 "evbctl port: no EVB port named nope; evbd manages: vst"

# ---- associate / list / deassociate ----
run st vsi associate dev vst type 5 version 1 uuid $U1 mac 52:54:00:00:00:01 vlan 10 mgrid 7 wait
t_check "vsi associate ... wait: exit 0 once the bridge confirmed" sh -c "[ $RC = 0 ]"
t_check "the answer shows the VSI associated" out_has "$U1: dev vst  state associated  type 5 version 1  mgrid 7  filters mac 52:54:00:00:00:01 vlan 10  reason 0 (success)"
t_check "vsi list (station): one row, associated" sh -c "
	\"$EVBCTL\" vsi list >\"$T_TMP/l\" && [ \$(wc -l <\"$T_TMP/l\") = 1 ] &&
	grep -q '^$U1: dev vst  state associated' \"$T_TMP/l\""
t_check "vsi list (bridge): the same VSI, associated" sh -c "
	nsenter -t $NS_bridge -n -- \"$EVBCTL\" vsi list dev vbr |
	grep -q '^$U1: dev vbr  state associated.*machine waitcmd'"
t_check "vsi list -j: keys of a VSI object" sh -c "
	\"$EVBCTL\" -j vsi list | jq -e '.[0] | (.dev == \"vst\") and (.vsiid_format == 5) and (.vsiid_format_name == \"uuid\")
		and (.vsiid == \"$U1\") and (.type_id == 5) and (.type_version == 1) and (.mgrid == \"7\")
		and (.state == \"associated\") and (.reason == 0) and (.reason_name == \"success\")
		and (.filters[0].mac == \"52:54:00:00:00:01\") and (.filters[0].vid == 10)
		and (.machine_state == \"wait-syscmd\")'"
t_check "port show counts it on both sides" sh -c "
	\"$EVBCTL\" -j port show | jq -e '.[0].vsis.associated == 1' >/dev/null &&
	nsenter -t $NS_bridge -n -- \"$EVBCTL\" -j port show | jq -e '.[0].vsis.associated == 1'"
run st vsi deassociate dev vst uuid $U1 wait
t_check "vsi deassociate ... wait: exit 0" sh -c "[ $RC = 0 ] && grep -q 'state deassociated' \"$T_TMP/out\""
t_check "the VSI is gone on both sides" sh -c "
	[ -z \"\$(\"$EVBCTL\" vsi list)\" ] &&
	[ -z \"\$(nsenter -t $NS_bridge -n -- \"$EVBCTL\" vsi list)\" ]"

# ---- errors: a sentence on stderr and the exit status ----
run st vsi associate dev nope type 5 version 1 uuid $U1 vlan 10
t_check "unknown port: exit 1, names the ports evbd manages" \
	expect_has 1 "evbctl vsi: no EVB port named nope; evbd manages: vst"
run st vsi associate dev vst type 5 version 1 uuid 6d0f-bad vlan 10
t_check "malformed UUID: exit 2, says what a UUID looks like" \
	expect_has 2 "evbctl vsi: 'uuid' needs a UUID like 6e3f1c2a-8d4b-4f0e-9a7c-1b2d3e4f5a6b, got '6d0f-bad'"
run st vsi associate dev vst type 5 version 1 uuid $U1 vlan x
t_check "bad VLAN: exit 2" expect_has 2 "evbctl vsi: 'vlan' needs a VLAN ID from 0 to 4094, got 'x'"
run st vsi deassociate dev vst uuid 6d0f0000-0000-4000-8000-0000000000ff
t_check "deassociate of an unknown VSI: exit 1" \
	expect_has 1 "evbctl vsi: VSI 6d0f0000-0000-4000-8000-0000000000ff is not known on port vst"
run br vsi associate dev vbr type 5 version 1 uuid $U1 vlan 10
t_check "associate on a bridge port: exit 1" \
	expect_has 1 "evbctl vsi: port vbr is a bridge port; VSIs are requested on station ports"
run st vsi associate dev vst type 5 version 1 uuid $U1 mac 01:00:5e:00:00:01 vlan 10
t_check "multicast filter MAC: refused by evbd with the VDP reason" \
	expect_has 1 "evbctl vsi: cannot associate VSI $U1 on port vst:"

# ---- batch ----
lines "$T_TMP/b1" associate 1000 wait
run st batch "$T_TMP/b1"
t_check "batch of 1,000 associates with wait: all confirmed" \
	sh -c "[ $RC = 0 ] && grep -qx 'summary: 1000 commands, 1000 ok, 0 failed' \"$T_TMP/out\""
t_check "station lists 1,000 associated" count_is st '.state == "associated"' 1000
t_check "bridge lists 1,000 associated" count_is br '.state == "associated"' 1000
printf '%s\n' "# a comment" "vsi associate dev vst type 5 version 1 uuid $U1 vlan 5000" \
	"" "vsi deassociate dev vst uuid 6d0f0000-0000-4000-8000-0000000003e9 wait" \
	"vsi associate dev nope type 5 version 1 uuid $U1 vlan 5" "frob" >"$T_TMP/b2"
run st batch "$T_TMP/b2"
t_check "batch with failing lines: exit 1, each failure by line, summary" sh -c "
	[ $RC = 1 ] && grep -qx 'summary: 4 commands, 1 ok, 3 failed' \"$T_TMP/out\" &&
	grep -qF \"evbctl batch: line 2: 'vlan' needs a VLAN ID from 0 to 4094, got '5000'\" \"$T_TMP/err\" &&
	grep -qF 'evbctl batch: line 5: no EVB port named nope; evbd manages: vst' \"$T_TMP/err\" &&
	grep -qF \"evbctl batch: line 6: unknown command 'frob'\" \"$T_TMP/err\" &&
	[ \$(wc -l <\"$T_TMP/err\") = 3 ]"
t_check "batch from standard input, JSON summary" sh -c "
	echo 'vsi list dev vst' | \"$EVBCTL\" -j batch - |
	jq -e '(.commands == 1) and (.ok == 1) and (.failed == 0) and (.outputs[0] | length) == 999'"

# ---- a user who is not root ----
if [ "$(id -u)" = 0 ] && setpriv --reuid 65534 --regid 65534 --clear-groups true 2>/dev/null; then
	nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups "$EVBCTL" "$@"; }
	t_check "non-root user: vsi list works" sh -c "
		[ \$(setpriv --reuid 65534 --regid 65534 --clear-groups \"$EVBCTL\" vsi list | wc -l) = 999 ]"
	nobody vsi associate dev vst type 5 version 1 uuid $U1 vlan 10 >"$T_TMP/out" 2>"$T_TMP/err"
	RC=$?
	t_check "non-root user: associate refused (EPERM sentence)" \
		expect_has 1 "evbctl vsi: changing VSIs needs root (uid 65534 is not; set admin-group in evbd.conf to allow a group)"
	t_check "non-root user: mib walk works" sh -c \
		"setpriv --reuid 65534 --regid 65534 --clear-groups \"$EVBCTL\" mib walk ieee8021BridgeEvbSys | grep -q '^ieee8021BridgeEvbSysType.0 = '"
	nobody mib set ieee8021BridgeEvbSysEcpMaxRetries.0 4 >"$T_TMP/out" 2>"$T_TMP/err"
	RC=$?
	t_check "non-root user: mib set refused (EPERM sentence)" \
		expect_has 1 "evbctl mib set: setting a MIB object needs root (uid 65534 is not; set admin-group in evbd.conf to allow a group)"
else
	echo "skip - non-root user cases (not root: no second uid in the user namespace)"
fi

# ---- no daemon ----
ns_new empty
t_check "no evbd: exit 1, says how to start it" sh -c "
	! nsenter -t $NS_empty -n -- \"$EVBCTL\" vsi list 2>\"$T_TMP/e\" &&
	grep -qF 'evbctl vsi: evbd is not running (nothing listens on its control socket); start it with \`evbd\`' \"$T_TMP/e\""

# ---- the bridge refuses, then stops answering ----
run st vsi associate dev vst type 5 version 1 uuid 6d0f0000-0000-4000-8000-000000000aaa vlan 7 wait
t_check "the bridge's 1,000th VSI fits its max-vsis" sh -c "[ $RC = 0 ]"
run st vsi associate dev vst type 5 version 1 uuid 6d0f0000-0000-4000-8000-000000000bbb vlan 7 wait
t_check "one more: the bridge refuses, exit 3 with its reason" \
	expect_has 3 "evbctl vsi: bridge refused to associate VSI 6d0f0000-0000-4000-8000-000000000bbb on port vst:"
t_check "the refusal names the reason code" grep -q "(reason [1-9])" "$T_TMP/err"
kill -STOP "$(cat "$T_TMP/br/pid")" # alive for LLDP's TTL, but deaf
run st vsi preassociate dev vst type 5 version 1 uuid 6d0f0000-0000-4000-8000-000000000ccc vlan 7 wait 20
t_check "bridge gone: no answer, exit 3" \
	expect_has 3 "evbctl vsi: no answer from the bridge to the preassociate request for VSI 6d0f0000-0000-4000-8000-000000000ccc on port vst"

t_done
