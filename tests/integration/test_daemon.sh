#!/bin/sh
# SPDX-License-Identifier: ISC
# test_daemon.sh - a station evbd and a bridge evbd on a veth pair, driven by
# evbctl: negotiation, 1,000 VSIs, keep-alives, keep-alive timeout, link
# flap, restart from SQLite, and convergence over a lossy wire.
#
# Timers are shortened in the config (RWD = RKA = 15: 328 ms; RTE 8: 2.56 ms)
# so toutKeepAlive = 1.5 * (327.68 + 7 * 2.56) ms = 518.4 ms (short, yet not
# so short that a loaded CI machine drops keep-alives).
. "$(dirname "$0")/lib.sh"

conf() { # NAME ROLE IF
	cat >"$T_TMP/$1.conf" <<EOC
[port $3]
role = $2
r = 3
rte = 8
rwd = 15
rka = 15
lldp-interval = 1
EOC
}
negotiated() { ctl "$1" -j port show | jq -e '.[0].negotiated.valid == true and .[0].negotiated.rka == 15'; }
count() { vsi_count "$1" "$2"; } # NAME JQ-SELECT
count_is() { [ "$(count "$1" "$2")" = "$3" ]; }
batch() { # NAME CMD N [VLAN]: N lines "vsi CMD dev vst type 5 version 1 uuid ... mac ... vlan V"
	awk -v c="$2" -v n="$3" 'BEGIN { for (i = 1; i <= n; i++)
		printf "vsi %s dev vst uuid 6d0f0000-0000-4000-8000-%012x%s\n", c, i,
			c == "deassociate" ? "" : sprintf(" type 5 version 1 mac 52:54:%02x:%02x:%02x:%02x vlan %d", int(i/16777216)%256, int(i/65536)%256, int(i/256)%256, i%256, 100 + i % 50) }' \
		>"$T_TMP/batch.txt"
	ctl "$1" -b "$T_TMP/batch.txt"
}

ns_new bridge
veth vst main vbr bridge 02:00:00:00:00:01 02:00:00:00:00:02
conf st station vst
conf br bridge vbr
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
evbd_start st main -f "$T_TMP/st.conf" --trace "$T_TMP/st.pcap" || exit 1

# 1. negotiation: both sides operate on the same values
t_check "station negotiated EVB (R 3, RTE 8, RWD 15, RKA 15)" wait_until 10 negotiated st
t_check "bridge negotiated the same values" wait_until 10 negotiated br
t_check "bridge reports reflective relay granted to the station" \
	sh -c "\"$EVBCTL\" -j port show dev vst | jq -e '.[0].negotiated.rr == true'"

# 2. 1,000 VSIs associated, visible on both sides, then de-associated
t_check "batch of 1,000 associate commands accepted" batch st associate 1000
t_check "station: 1,000 VSIs associated" wait_until 20 count_is st '.state == "associated"' 1000
t_check "bridge: 1,000 VSIs associated" wait_until 20 count_is br '.state == "associated"' 1000
t_check "bridge holds the station's filters (VSI 7: VLAN 107)" sh -c \
	"[ \"\$(\"$EVBCTL\" -j vsi list | jq -r '.[] | select(.vsiid == \"6d0f0000-0000-4000-8000-000000000007\") | .filters[0].vid')\" = 107 ]"

# 3. keep-alives hold them well past toutKeepAlive
sleep 2.6
t_check "after 5 x toutKeepAlive the bridge still holds all 1,000" count_is br '.state == "associated"' 1000
t_check "batch of 1,000 de-associate commands accepted" batch st deassociate 1000
t_check "bridge: all de-associated" wait_until 20 count_is br 'true' 0
t_check "station: all gone" wait_until 20 count_is st 'true' 0

# 4. station restart restores its VSIs from SQLite and re-sends them
batch st associate 20 >/dev/null
wait_until 10 count_is br '.state == "associated"' 20
evbd_kill st TERM
evbd_start st main -f "$T_TMP/st.conf" || exit 1
t_check "restarted station lists its 20 VSIs from the database" count_is st 'true' 20
t_check "restarted station re-associates them" wait_until 10 count_is st '.state == "associated"' 20

# 5. link down/up: VSIs kept, re-sent on link up
ip link set vst down
sleep 0.3
t_check "link down: station keeps its 20 VSIs" count_is st 'true' 20
ip link set vst up
t_check "link up: re-negotiated" wait_until 10 negotiated st
t_check "link up: all 20 associated again" wait_until 10 count_is st '.state == "associated"' 20
t_check "bridge holds 20 after the flap" wait_until 10 count_is br '.state == "associated"' 20

# 6. killing the station: the bridge drops its VSIs after toutKeepAlive
evbd_kill st KILL
t_check "bridge drops all VSIs of a dead station within 10 x toutKeepAlive" \
	wait_until 3 count_is br 'true' 0

# 7. lossy wire: 20 % loss, 5 % duplication, 10 % reordering in both directions
ns_new wire
ns_new st2
ns_new br2 # one evbd per network namespace: the control socket's port id is fixed
veth vs2 st2 wa wire 02:00:00:00:01:01 02:00:00:00:01:03
veth wb wire vb2 br2 02:00:00:00:01:04 02:00:00:00:01:02
$(ns_prefix wire) "$T_BUILD/tools/impair" wa wb 20 5 10 7 >"$T_TMP/impair.log" 2>&1 &
T_PIDS="$T_PIDS $!"
sed 's/vst/vs2/' "$T_TMP/st.conf" >"$T_TMP/st2.conf"
sed 's/vbr/vb2/' "$T_TMP/br.conf" >"$T_TMP/br2.conf"
evbd_start br2 br2 -f "$T_TMP/br2.conf" || exit 1
evbd_start st2 st2 -f "$T_TMP/st2.conf" || exit 1
wait_until 20 negotiated st2
awk 'BEGIN { for (i = 1; i <= 300; i++) printf "vsi associate dev vs2 type 5 version 1 uuid 7e000000-0000-4000-8000-%012x mac 52:54:01:00:%02x:%02x vlan 5\n", i, int(i/256), i%256 }' >"$T_TMP/lossy.txt"
t_check "lossy wire: 300 associate commands accepted" ctl st2 -b "$T_TMP/lossy.txt"
t_check "lossy wire: station sees all 300 associated" wait_until 30 count_is st2 '.state == "associated"' 300
t_check "lossy wire: bridge holds exactly those 300" wait_until 30 count_is br2 '.state == "associated"' 300
sleep 1
t_check "lossy wire: keep-alives hold all 300 for 1 s" count_is br2 '.state == "associated"' 300

t_done
