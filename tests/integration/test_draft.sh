#!/bin/sh
# SPDX-License-Identifier: ISC
# test_draft.sh - a station evbd and a bridge evbd speaking draft 0.2 on a
# veth pair (docs/evbd.conf.5 "protocol"): the station set to draft, the
# bridge left at auto (it follows the station's LLDPDUs), evbctl port show
# naming the protocol, 200 VSIs associated, held by keep-alives and
# de-associated, and the wire checked with `evbctl decode` on the trace:
# EtherType 0x88B7 to 01-80-C2-00-00-0E, draft EVB and VDP TLVs, no 2012
# ECP.  Manager IDs (a number travels, a name is refused and counted), a
# malformed draft VDP TLV and draft ECPDUs at a port speaking 2012 (each
# counted and logged), the bridge at auto back at 2012 when the station
# leaves, and a port set to 2012 facing a draft station (never negotiates).
#
# Timers as test_daemon.sh: RWD = RKA = 15, RTE 8: toutKeepAlive 518.4 ms.
. "$(dirname "$0")/lib.sh"

conf() { # NAME ROLE IF PROTOCOL
	cat >"$T_TMP/$1.conf" <<EOC
[port $3]
role = $2
r = 3
rte = 8
rwd = 15
rka = 15
lldp-interval = 1
${4:+protocol = $4}
EOC
}
port_is() { ctl "$1" -j port show | jq -e ".[0] | $2"; } # NAME JQ-TEST
count_is() { [ "$(vsi_count "$1" "$2")" = "$3" ]; }
vsi7_filter() {
	ctl br -j vsi list | jq -e '.[] | select(.vsiid == "6d0f0000-0000-4000-8000-000000000007") |
		.filters[0] | .vid == 107 and .mac == "52:54:00:00:00:07"'
}
batch() { # NAME CMD N
	awk -v c="$2" -v n="$3" 'BEGIN { for (i = 1; i <= n; i++)
		printf "vsi %s dev vst uuid 6d0f0000-0000-4000-8000-%012x%s\n", c, i,
			c == "deassociate" ? "" : sprintf(" type 5 version 1 mac 52:54:00:00:%02x:%02x vlan %d", int(i/256), i%256, 100 + i % 50) }' \
		>"$T_TMP/batch.txt"
	ctl "$1" -b "$T_TMP/batch.txt"
}

ns_new bridge
veth vst main vbr bridge 02:00:00:00:00:01 02:00:00:00:00:02
conf st station vst draft
conf br bridge vbr
evbd_start br bridge -f "$T_TMP/br.conf" --trace "$T_TMP/br.pcap" || exit 1
evbd_start st main -f "$T_TMP/st.conf" --trace "$T_TMP/st.pcap" || exit 1

# 1. negotiation over the draft EVB TLV; auto follows the neighbour
t_check "station speaks draft 0.2 (setting draft)" \
	wait_until 10 port_is st '.protocol == "draft" and .protocol_setting == "draft"'
t_check "station negotiated (RTE 8, its own RKA 15)" \
	wait_until 10 port_is st '.negotiated.valid and .negotiated.rte == 8 and .negotiated.rka == 15'
t_check "bridge at auto follows its neighbour to draft 0.2" \
	wait_until 10 port_is br '.protocol == "draft" and .protocol_setting == "auto"'
t_check "bridge negotiated with reflective relay" \
	wait_until 10 port_is br '.negotiated.valid and .negotiated.rr'

# 2. associate 200, keep-alives, de-associate
t_check "batch of 200 associate commands accepted" batch st associate 200
t_check "station: 200 VSIs associated" wait_until 20 count_is st '.state == "associated"' 200
t_check "bridge: 200 VSIs associated" wait_until 20 count_is br '.state == "associated"' 200
t_check "bridge holds the station's filter (VSI 7: MAC 52:54:00:00:00:07, VLAN 107)" vsi7_filter
sleep 2.6
t_check "after 5 x toutKeepAlive the bridge still holds all 200" count_is br '.state == "associated"' 200
t_check "station still holds all 200" count_is st '.state == "associated"' 200
t_check "batch of 200 de-associate commands accepted" batch st deassociate 200
t_check "bridge: all de-associated" wait_until 20 count_is br 'true' 0
t_check "station: all gone" wait_until 20 count_is st 'true' 0
t_check "station: no draft conversion drops" port_is st '.drops.draft_rx + .drops.draft_tx == 0'
t_check "bridge: no draft conversion drops" port_is br '.drops.draft_rx + .drops.draft_tx == 0'


# 2b. manager IDs: a number (one octet) travels; a name cannot be said in the draft
mgr() { # NAME UUID-SUFFIX: the VSI's mgrid as evbctl shows it
	ctl "$1" -j vsi list | jq -r ".[] | select(.vsiid == \"6d0f0000-0000-4000-8000-$2\") | .mgrid"
}
mgr_is() { [ "$(mgr "$1" "$2")" = "$3" ]; }
ctl st vsi associate dev vst uuid 6d0f0000-0000-4000-8000-0000000000b1 type 5 version 1 \
	mac 52:54:00:00:01:b1 vlan 10 mgrid 7 >/dev/null 2>&1
same_mgr() { _m=$(mgr st 0000000000b1) && [ -n "$_m" ] && mgr_is br 0000000000b1 "$_m"; }
t_check "a VSI under manager ID 7 is associated" \
	wait_until 10 count_is br '.state == "associated"' 1
t_check "... under the manager ID the station gave it" same_mgr
refused_b2() { # the command fails with a sentence naming the draft and what to do
	! ctl st vsi associate dev vst uuid 6d0f0000-0000-4000-8000-0000000000b2 type 5 \
		version 1 mac 52:54:00:00:01:b2 vlan 10 mgrid lp1 >"$T_TMP/b2.out" 2>&1 &&
		grep -q "speaks draft 0.2 with its neighbour and its manager ID is a name" "$T_TMP/b2.out" &&
		grep -q "802.1Qbg-2012" "$T_TMP/b2.out"
}
t_check "a VSI under the manager ID 'lp1' is refused at command time, saying why" refused_b2
no_b2() { ! ctl st -j vsi list | grep -q 0000000000b2; }
t_check "... the station holds no such VSI" no_b2
t_check "... nothing was sent for it (drops.draft_tx 0)" port_is st '.drops.draft_tx == 0'
t_check "... and the bridge never sees it" sh -c "! $(ns_prefix bridge) \"$EVBCTL\" -j vsi list | grep -q 0000000000b2"
ctl st vsi deassociate dev vst uuid 6d0f0000-0000-4000-8000-0000000000b1 >/dev/null 2>&1
t_check "the manager-ID-7 VSI de-associated at the bridge" \
	wait_until 10 count_is br 'true' 0

# 2c. a malformed draft VDP TLV (3 pairs announced, 2 sent) at the draft bridge
vec=$T_ROOT/tests/vectors
hexof() { grep -v '^#' "$vec/$1" | tr -d '\\\n '; }
"$T_BUILD/tools/inject" vst "$(hexof bad-draft-vdp-entries.hex)"
t_check "a malformed draft VDP TLV is counted in drops.draft_rx" \
	wait_until 5 port_is br '.drops.draft_rx == 1 and .protocol == "draft"'
t_check "... and logged, with the reason" \
	grep -q "dropped a malformed draft 0.2 ECPDU or VDP TLV (its MAC/VLAN pairs do not fill its length)" "$T_TMP/br/log"

# 3. the wire, decoded by evbctl from the station's trace
evbd_kill st TERM
"$EVBCTL" -j decode -r "$T_TMP/st.pcap" >"$T_TMP/decoded.json" 2>"$T_TMP/decode.err"
t_check "the station's trace decodes without a malformed frame" \
	jq -e '[.[] | .malformed | length] | add == 0' "$T_TMP/decoded.json"
t_check "every ECPDU is draft 0.2 (EtherType 0x88B7 to 01:80:c2:00:00:0e), none 2012" \
	jq -e '([.[] | select(.ecp_draft)] | length) > 0 and
		all(.[] | select(.ecp_draft); .ethernet.ethertype == 34999 and .ethernet.dst == "01:80:c2:00:00:0e") and
		([.[] | select(.ecp)] | length) == 0' "$T_TMP/decoded.json"
t_check "the station sent Associate and De-Associate draft VDP TLVs for VSI 7" \
	jq -e '[.[] | select(.ethernet.src == "02:00:00:00:00:01") | .vdp_draft.tlvs[]? |
		select(.uuid == "6d0f0000-0000-4000-8000-000000000007") | .mode_name] |
		(index("assoc") != null) and (index("deassoc") != null)' "$T_TMP/decoded.json"
t_check "the bridge answered VSI 7 with success and sent ACKs" \
	jq -e '([.[] | select(.ethernet.src == "02:00:00:00:00:02") | .vdp_draft.tlvs[]? |
		select(.uuid == "6d0f0000-0000-4000-8000-000000000007" and .mode_name == "assoc") |
		.response_name] | index("success") != null) and
		([.[] | select(.ecp_draft.mode_name == "ack")] | length) > 0' "$T_TMP/decoded.json"
t_check "every station LLDPDU carries the draft EVB TLV and none the 2012 one" \
	jq -e '[.[] | select(.lldp and .ethernet.src == "02:00:00:00:00:01" and .lldp.ttl > 0) |
		[.lldp.tlvs[].org_name]] | length > 0 and
		all(index("evb-draft-0.2") != null and index("evb") == null)' "$T_TMP/decoded.json"
t_check "the bridge's last LLDPDU: draft EVB TLV, reflective relay configured" \
	jq -e '[.[] | select(.lldp and .ethernet.src == "02:00:00:00:00:02")] | last |
		.lldp.tlvs[] | select(.org_name == "evb-draft-0.2") |
		.evb_draft.configured_mode.reflective_relay' "$T_TMP/decoded.json"

# 3b. the station has left (shutdown LLDPDU): the bridge at auto is back at 2012
t_check "the station gone, the bridge at auto speaks 2012 again" \
	wait_until 5 port_is br '.protocol == "2012"'
"$T_BUILD/tools/inject" vst "$(hexof draft-vdp-assoc.hex)"
t_check "a draft ECPDU then is dropped, counted and logged, saying why" \
	wait_until 5 sh -c "grep -q 'until its neighbour.s LLDPDUs carry the draft EVB TLV (protocol = auto)' '$T_TMP/br/log'"

# 4. a port set to 2012 does not take a draft station's ECPDUs
ns_new st3
ns_new br3
veth vs3 st3 vb3 br3 02:00:00:00:02:01 02:00:00:00:02:02
conf st3 station vs3 draft
conf br3 bridge vb3 2012
evbd_start br3 br3 -f "$T_TMP/br3.conf" || exit 1
evbd_start st3 st3 -f "$T_TMP/st3.conf" || exit 1
ctl st3 vsi associate dev vs3 uuid 6d0f0000-0000-4000-8000-0000000000aa type 5 version 1 \
	mac 52:54:00:00:02:aa vlan 10 >/dev/null 2>&1
t_check "a 2012 bridge stays at 2012 facing a draft station" \
	wait_until 5 port_is br3 '.protocol == "2012" and .protocol_setting == "2012"'
t_check "the draft station does not negotiate with it" port_is st3 '.negotiated.valid == false'
t_check "the 2012 bridge holds no VSI" count_is br3 'true' 0
ns_exec st3 "$T_BUILD/tools/inject" vs3 "$(hexof draft-vdp-assoc.hex)"
t_check "a draft ECPDU reaching the 2012 bridge is dropped and counted" \
	wait_until 5 port_is br3 '.drops.draft_rx == 1'
t_check "... and logged once, saying what to set" \
	grep -q "dropped draft 0.2 ECPDUs: the port speaks 802.1Qbg-2012 (protocol = 2012; set protocol = draft or auto)" "$T_TMP/br3/log"
t_check "the 2012 bridge still holds no VSI" count_is br3 'true' 0

t_done
