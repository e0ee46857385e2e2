#!/bin/sh
# SPDX-License-Identifier: ISC
# test_cdcp.sh - CDCP S-channels (802.1Qbg clause 42) between a station evbd
# and a bridge evbd on a veth pair: the station asks for 2 S-channels beyond
# the default one, the bridge grants them from a pool of 2 SVIDs, and both
# list the same SCID/SVID pairs in `evbctl -j port show`; tcpdump decodes
# the CDCP TLVs; asking for a third channel (SIGHUP) is refused with a
# sentence and a counter while the granted channels stay; forged TLVs with
# bad pairs or the bridge's own role are counted and logged and change
# nothing; a link flap comes back to the same pairs; EVB keeps running
# beside CDCP.
. "$(dirname "$0")/lib.sh"

conf_fast st station vst "cdcp = on
cdcp-channels = 2"
conf_fast br bridge vbr "cdcp = on
svid-pool = 100-101
cdcp-capacity = 8"

ns_new bridge
veth vst main vbr bridge 02:00:00:00:00:01 02:00:00:00:00:02
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
evbd_start st main -f "$T_TMP/st.conf" --trace "$T_TMP/st.pcap" || exit 1

WANT='[[1,1],[2,100],[3,101]]'
pairs() { ctl "$1" -j port show | jq -c '[.[0].cdcp.s_channels[] | [.scid, .svid]]'; }
pairs_are() { [ "$(pairs "$1")" = "$2" ]; }
cdcp_field() { ctl "$1" -j port show | jq -r ".[0].cdcp.$2"; }

# 1. both sides list the same S-channels
t_check "station: S-channels (1,1) (2,100) (3,101)" wait_until 10 pairs_are st "$WANT"
t_check "bridge: the same S-channels" wait_until 10 pairs_are br "$WANT"
t_check "station: the bridge's CDCP TLV is in force, its ChnCap 8" \
	sh -c "[ \"\$(\"$EVBCTL\" -j port show | jq -c '.[0].cdcp | [.peer, .peer_chncap, .chncap]')\" = '[true,8,3]' ]"
t_check "bridge: svid_pool 100-101, nothing refused" \
	sh -c "[ \"\$(nsenter -t $NS_bridge -n -- \"$EVBCTL\" -j port show | jq -c '.[0].cdcp | [.svid_pool, .counters.refused]')\" = '[\"100-101\",0]' ]"
t_check "EVB is negotiated beside CDCP" \
	wait_until 10 sh -c "\"$EVBCTL\" -j port show | jq -e '.[0].negotiated.valid'"
t_check "station logs each S-channel that came up" \
	sh -c "grep -q 'vst: S-channel SCID 2 is up with SVID 100 (CDCP)' '$T_TMP/st/log' &&
		grep -q 'vst: S-channel SCID 3 is up with SVID 101 (CDCP)' '$T_TMP/st/log'"
t_check "text form lists the pairs (s_channels[2]: scid 3, svid 101)" sh -c "
	\"$EVBCTL\" port show | grep -A2 's_channels\[2\]:' | tr '\n' ' ' | tr -s ' ' | grep -q 'scid: 3 svid: 101'"

# 1b. each S-channel but the default one gets an 802.1ad device (evbd/schan.h).
# This host's kernel may have none (tests/vm/test_schan.sh checks the devices
# under Debian's kernel): then a sentence and a counter on each side, the
# names listed with ifindex 0, and CDCP and EVB go on as above.
if ip link add name probe.ad link vst type vlan protocol 802.1ad id 5 2>/dev/null; then
	ip link del probe.ad
	t_check "station: devices vst.s100 and vst.s101 exist" sh -c "
		ip -d link show vst.s100 | grep -q 'vlan protocol 802.1ad id 100' &&
		ip -d link show vst.s101 | grep -q 'vlan protocol 802.1ad id 101'"
else
	NO_AD="the kernel has no 802.1ad VLAN devices (load the 8021q module). The S-channel stays negotiated without a device and the other S-channels are not touched (counted in cdcp.dev_err)"
	t_check "station: a sentence for each device the kernel cannot make" sh -c "
		grep -q 'vst: cannot create vst.s100, the 802.1ad device of S-channel SCID 2 (SVID 100): .*; $NO_AD' '$T_TMP/st/log' &&
		grep -q 'vst: cannot create vst.s101, the 802.1ad device of S-channel SCID 3 (SVID 101): .*; $NO_AD' '$T_TMP/st/log'"
	t_check "bridge: the same sentence" \
		grep -q "vbr: cannot create vbr.s100, the 802.1ad device of S-channel SCID 2 (SVID 100): .*; $NO_AD" "$T_TMP/br/log"
	t_check "station: cdcp.dev_err 2, the names listed with ifindex 0" sh -c "
		[ \"\$(\"$EVBCTL\" -j port show | jq '.[0].cdcp.counters.dev_err')\" = 2 ] &&
		[ \"\$(\"$EVBCTL\" -j port show | jq -c '[.[0].cdcp.s_channels[] | [.scid, .device, .ifindex]]')\" = '[[1,null,null],[2,\"vst.s100\",0],[3,\"vst.s101\",0]]' ]"
	t_check "bridge: cdcp.dev_err 2" sh -c \
		"[ \"\$(nsenter -t $NS_bridge -n -- \"$EVBCTL\" -j port show | jq '.[0].cdcp.counters.dev_err')\" = 2 ]"
fi

# 2. on the wire: LLDPDUs to the nearest non-TPMR bridge that tcpdump decodes.
# tcpdump run as root switches to its own user, which this user namespace
# cannot map: it runs as an ordinary user in a namespace of its own.
dump() { unshare -U --map-user=65534 --map-group=65534 tcpdump "$@" -r "$T_TMP/st.pcap"; }
decoded() {
	dump -v >"$T_TMP/dump.txt" 2>"$T_TMP/dump.err" || {
		cat "$T_TMP/dump.err"
		return 1
	}
	grep -q 'CDCP Subtype (14)' "$T_TMP/dump.txt" &&
		grep -q 'Role: 1, RES: 0, Scomp: 1 ChnCap: 3' "$T_TMP/dump.txt" &&
		grep -q 'Role: 0, RES: 0, Scomp: 1 ChnCap: 8' "$T_TMP/dump.txt" &&
		grep -q 'SCID: 3, SVID: 101' "$T_TMP/dump.txt" &&
		! grep -qiE 'malformed|invalid|\[\|lldp' "$T_TMP/dump.txt" "$T_TMP/dump.err"
}
t_check "tcpdump -v decodes evbd's CDCP TLVs without complaint" decoded
addressed() {
	dump -e >"$T_TMP/dump-e.txt" 2>/dev/null &&
		grep -q '> 01:80:c2:00:00:03' "$T_TMP/dump-e.txt" &&
		grep -q '> 01:80:c2:00:00:00' "$T_TMP/dump-e.txt"
}
t_check "the CDCP LLDPDUs go to 01:80:c2:00:00:03, the EVB ones to 01:80:c2:00:00:00" addressed

# 2b. hostile TLVs in the station's name (its chassis and port ID, its
# source address): bad pairs and the bridge's own role are counted and
# logged, the S-channels in place stay
INJECT=$T_BUILD/tools/inject
LLDP_HDR="0180c2000003 020000000001 88cc 0207 04020000000001 0404 05767374 0602 0004"
# role S, ChnCap 4: (1,0) (2,0) (2,0) again (3,4000): SVID 4000 is outside the pool
BAD_PAIRS="fe14 0080c20e 88 00 0004 001000 002000 002000 003fa0 0000"
# role B, as the bridge's own
SAME_ROLE="fe0b 0080c20e 08 00 0004 001001 0000"
t_check "inject a TLV with a repeated SCID and an SVID outside the pool" "$INJECT" vst "$LLDP_HDR $BAD_PAIRS"
t_check "bridge counts the repeated SCID and the SVID outside the pool" \
	wait_until 5 sh -c "[ \"\$(nsenter -t $NS_bridge -n -- \"$EVBCTL\" -j port show |
		jq -c '.[0].cdcp.counters | [.rx_dup >= 1, .rx_bad >= 1]')\" = '[true,true]' ]"
t_check "bridge logs both as sentences" sh -c "
	grep -q \"vbr: the CDCP neighbour's TLV has a pair repeating an SCID already listed (SCID 2); those pairs were dropped and counted, the rest used\" '$T_TMP/br/log' &&
	grep -q \"vbr: the CDCP neighbour's TLV has an SVID outside this bridge's svid-pool (SCID 3)\" '$T_TMP/br/log'"
t_check "inject a TLV in role B" "$INJECT" vst "$LLDP_HDR $SAME_ROLE"
t_check "bridge counts and logs the TLV in its own role" wait_until 5 grep -q \
	"vbr: the CDCP neighbour's TLV has the same role as this port (role B); it was ignored and counted" \
	"$T_TMP/br/log"
t_check "after the hostile TLVs both sides still list the same S-channels" sh -c "sleep 1.5
	[ \"\$(\"$EVBCTL\" -j port show | jq -c '[.[0].cdcp.s_channels[] | [.scid, .svid]]')\" = '$WANT' ] &&
	[ \"\$(nsenter -t $NS_bridge -n -- \"$EVBCTL\" -j port show | jq -c '[.[0].cdcp.s_channels[] | [.scid, .svid]]')\" = '$WANT' ]"
t_check "the bridge's rx_role counter is 1" sh -c "[ \"\$(nsenter -t $NS_bridge -n -- \"$EVBCTL\" -j port show | jq '.[0].cdcp.counters.rx_role')\" = 1 ]"

# 3. the station asks for a third one: the pool has none left
conf_fast st station vst "cdcp = on
cdcp-channels = 3"
kill -HUP "$PID_st"
t_check "bridge refuses SCID 4 with a sentence" wait_until 10 grep -q \
	"vbr: refused the station's S-channel SCID 4: no SVID is left in the bridge's svid-pool; the S-channels granted stay" \
	"$T_TMP/br/log"
t_check "bridge counts the refusal once" sh -c "sleep 2; [ \"\$(nsenter -t $NS_bridge -n -- \"$EVBCTL\" -j port show | jq '.[0].cdcp.counters.refused')\" = 1 ]"
t_check "station asks for 4 now (ChnCap 4)" sh -c "[ \"\$(\"$EVBCTL\" -j port show | jq '.[0].cdcp.chncap')\" = 4 ]"
t_check "the granted S-channels stay on both sides" sh -c "
	[ \"\$(\"$EVBCTL\" -j port show | jq -c '[.[0].cdcp.s_channels[] | [.scid, .svid]]')\" = '$WANT' ] &&
	[ \"\$(nsenter -t $NS_bridge -n -- \"$EVBCTL\" -j port show | jq -c '[.[0].cdcp.s_channels[] | [.scid, .svid]]')\" = '$WANT' ]"
t_check "no S-channel went down on the station" sh -c "! grep -q 'is down (CDCP)' '$T_TMP/st/log'"
br_counters() { nsenter -t $NS_bridge -n -- "$EVBCTL" -j port show | jq -c '[.[0].cdcp.counters[]] | add'; }
cleared() { [ "$(br_counters)" = 0 ] && pairs_are br "$WANT"; }
t_check "port clear-stats clears the CDCP counters too" sh -c "
	nsenter -t $NS_bridge -n -- \"$EVBCTL\" port clear-stats dev vbr >/dev/null"
t_check "... every CDCP counter of the bridge reads 0, the S-channels stay" cleared

# 4. link down and up: back to the default S-channel, then the same pairs
ip link set vst down
t_check "link down: the station keeps only the default S-channel" wait_until 5 pairs_are st '[[1,1]]'
t_check "link down: the station logs the S-channels that went" \
	grep -q 'vst: S-channel SCID 3 with SVID 101 is down (CDCP)' "$T_TMP/st/log"
ip link set vst up
t_check "link up: the station gets the same pairs again" wait_until 10 pairs_are st "$WANT"
t_check "link up: the bridge lists them too" wait_until 10 pairs_are br "$WANT"

# 5. CDCP off at the station (SIGHUP): its CDCP agent says TTL 0, the
# bridge goes back to the default S-channel at once
conf_fast st station vst ""
kill -HUP "$PID_st"
t_check "station with cdcp off shows no cdcp object" \
	wait_until 5 sh -c "\"$EVBCTL\" -j port show | jq -e '.[0].cdcp == null'"
t_check "bridge: only the default S-channel once the station stops CDCP" \
	wait_until 5 pairs_are br '[[1,1]]'
t_check "EVB still negotiated on the station" sh -c "\"$EVBCTL\" -j port show | jq -e '.[0].negotiated.valid'"

t_done
