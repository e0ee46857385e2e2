#!/bin/sh
# SPDX-License-Identifier: ISC
# test_rogue.sh - a rogue sender on the link (issue 12, findings 3 and 6): a
# forged LLDPDU with R 7, RTE 31, RWD 31, RKA 31 from another MAC is counted
# and changes nothing; the same TLV under the neighbour's own identity is
# clamped to the bounds (max-rte 16, max-rwd 22, max-rka 22) on that side
# only and the real LLDPDUs bring it back; a De-Associate spoofed from
# another MAC leaves the station's VSI associated on the bridge (with
# vdp-sources = any it is obeyed, as every sender was before).  Frames are
# written with build/tools/inject.
. "$(dirname "$0")/lib.sh"

INJECT=$T_BUILD/tools/inject
ST=02:00:00:00:00:01
BR=02:00:00:00:00:02
ROGUE=020000000066
REAL="3 8 20 20" # R RTE RWD RKA on both sides (lldpad's defaults but RWD 19 -> 20)

conf() { # FILE ROLE IF [EXTRA]
	printf '[port %s]\nrole = %s\nrwd = 20\nlldp-interval = 2\n%b' "$3" "$2" "${4:-}" >"$1"
}
oper() { ctl "$1" -j port show | jq -r '.[0].negotiated | "\(.r) \(.rte) \(.rwd) \(.rka)"'; }
oper_is() { [ "$(oper "$1")" = "$2" ]; }
within_bounds() { ctl "$1" -j port show | jq -e '.[0].negotiated | .rte <= 16 and .rwd <= 22 and .rka <= 22 and .tout_keepalive_ms < 120000 and .resp_wait_ms < 120000' >/dev/null; }
drop() { ctl "$1" -j port show | jq -r ".[0].drops.$2"; }
drop_ge() { [ "$(drop "$1" "$2")" -ge "$3" ]; } # NAME COUNTER N
assoc_is() { [ "$(vsi_count br '.state == "associated"')" = "$1" ]; }

# lldpdu SRC CHASSIS PORT-NAME EVB-OCTETS: an LLDPDU, TTL 120, with an
# EVB TLV whose last five octets are given (R 7 RTE 31 = ff, RWD 31, RKA 31).
lldpdu() {
	_pn=$(printf '%s' "$3" | od -An -tx1 | tr -d ' \n')
	_pl=$(printf '%02x' $((${#_pn} / 2 + 1)))
	echo "0180c2000000 $1 88cc 0207 04$2 04$_pl 05$_pn 0602 0078 fe09 0080c20d $4 0000"
}
# EVB TLV bodies: as a station (mode 2) and as a bridge (mode 1)
FORGED_ST="00 04 ff 9f 1f"
FORGED_BR="06 00 ff 5f 1f"
mac_hex() { echo "$1" | tr -d :; }

# the lldpad capture's Associate (docs/protocol.md) as a De-Associate (TLV 4)
# from SRC with sequence SEQ
deassoc() {
	echo "0180c2000000 $1 8940 1001 $2 0a10 6c7031000000000000000000000000 00 0821 00 000005 04 05 00112233445566778899aabbccddeeff 02 0001 5254008eaa11 0002 0000"
}

ns_new bridge
conf "$T_TMP/st.conf" station vst
conf "$T_TMP/br.conf" bridge vbr
veth vst main vbr bridge $ST $BR
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
evbd_start st main -f "$T_TMP/st.conf" || exit 1
t_check "both sides negotiate R 3, RTE 8, RWD 20, RKA 20" \
	wait_until 10 sh -c "[ \"\$(\"$EVBCTL\" -j port show | jq -r '.[0].negotiated | \"\(.r) \(.rte) \(.rwd) \(.rka)\"')\" = '$REAL' ]"
t_check "the bridge agrees" wait_until 5 oper_is br "$REAL"
run st vsi associate dev vst type 5 version 4 uuid 00112233-4455-6677-8899-aabbccddeeff \
	mac 52:54:00:8e:aa:11 vlan 2 mgrid lp1 wait 10
run st vsi associate dev vst type 5 version 4 uuid 00112233-4455-6677-8899-aabbccddee00 \
	mac 52:54:00:8e:aa:12 vlan 3 mgrid lp1 wait 10
t_check "the station's two VSIs are associated on the bridge" wait_until 5 assoc_is 2

# 1. a second neighbour: forged LLDPDUs from another MAC to both sides
"$INJECT" vst "$(lldpdu $ROGUE $ROGUE rg1 "$FORGED_ST")"
ns_exec bridge "$INJECT" vbr "$(lldpdu $ROGUE $ROGUE rg1 "$FORGED_BR")"
sleep 0.5
echo "     after a second neighbour's TLV: bridge R RTE RWD RKA = $(oper br), station = $(oper st)"
t_check "bridge: the second neighbour's LLDPDU is counted" wait_until 3 drop_ge br lldp_other 1
t_check "station: the second neighbour's LLDPDU is counted" wait_until 3 drop_ge st lldp_other 1
t_check "bridge: its neighbour is still the station" \
	[ "$(ctl br -j port show | jq -r '.[0].neighbour.mac')" = $ST ]
t_check "bridge: operating values unchanged" oper_is br "$REAL"
t_check "station: operating values unchanged" oper_is st "$REAL"
t_check "bridge: the second neighbour is logged" grep -q "second neighbour" "$T_TMP/br/log"

# 2. the forged TLV under the neighbour's own identity: clamped on that side,
#    never passed on, gone at the neighbour's next LLDPDU (2 s)
"$INJECT" vst "$(lldpdu "$(mac_hex $ST)" "$(mac_hex $ST)" vst "$FORGED_ST")"
sleep 0.3
echo "     after the station's identity forged: bridge = $(oper br), station = $(oper st)"
t_check "bridge: the forged values are clamped and counted" wait_until 3 drop_ge br evb_clamped 1
t_check "bridge: operating values within the bounds" within_bounds br
t_check "bridge: the clamp is logged with the values in force" \
	grep -q "operating on R 7, RTE 16, RWD 22, RKA 22" "$T_TMP/br/log"
t_check "station: not ratcheted by the bridge's advertisement" oper_is st "$REAL"
t_check "bridge: back on the real values with the station's next LLDPDU" \
	wait_until 6 oper_is br "$REAL"
ns_exec bridge "$INJECT" vbr "$(lldpdu "$(mac_hex $BR)" "$(mac_hex $BR)" vbr "$FORGED_BR")"
t_check "station: the forged values are clamped and counted" wait_until 3 drop_ge st evb_clamped 1
t_check "station: operating values within the bounds" within_bounds st
t_check "bridge: not ratcheted by the station's advertisement" oper_is br "$REAL"
t_check "station: back on the real values with the bridge's next LLDPDU" \
	wait_until 6 oper_is st "$REAL"
sleep 3
echo "     3 s after: bridge = $(oper br), station = $(oper st)"
t_check "station: still on the real values afterwards" oper_is st "$REAL"
t_check "bridge: still on the real values afterwards" oper_is br "$REAL"

# 3. a De-Associate spoofed from another MAC
"$INJECT" vst "$(deassoc $ROGUE 7000)"
t_check "bridge: the spoofed ECPDU is dropped and counted" wait_until 3 drop_ge br vdp_other 1
sleep 0.5
t_check "bridge: the station's VSIs stay associated" assoc_is 2
t_check "bridge: the other station is logged" grep -q "another station than the one bound" "$T_TMP/br/log"

# 4. with vdp-sources = any (several stations on one port, and the old
#    behaviour) the same frame ends the VSI: the check above can fail
conf "$T_TMP/br.conf" bridge vbr 'vdp-sources = any\n'
eval "kill -HUP \$PID_br"
sleep 0.5
"$INJECT" vst "$(deassoc $ROGUE 7001)"
t_check "vdp-sources = any: the spoofed De-Associate is obeyed" wait_until 3 assoc_is 1
t_done
