#!/bin/sh
# SPDX-License-Identifier: ISC
# test_rogue.sh - a rogue sender on the link (issue 12, findings 3 and 6): a
# forged LLDPDU with R 7, RTE 31, RWD 31, RKA 31 from another MAC is counted
# and changes nothing; the same TLV under the neighbour's own identity is
# clamped to the bounds (max-rte 16, max-rwd 22, max-rka 22) on that side
# only and the real LLDPDUs bring it back; a De-Associate spoofed from
# another MAC leaves the station's VSI associated on the bridge (with
# vdp-sources = any it is obeyed, as every sender was before).  Frames are
# written with build/tools/inject.  A rogue that speaks before the station
# with TTL 65535 holds the bridge's port for lldp-max-ttl seconds only (4
# here, 120 by default), not 18 hours; with vdp-sources = any a rogue's
# VSIs are held to its max-vsis-per-station and leave room for the
# station's share.
. "$(dirname "$0")/lib.sh"

INJECT=$T_BUILD/tools/inject
ST=02:00:00:00:00:01
BR=02:00:00:00:00:02
ROGUE=020000000066
REAL="3 8 20 20" # R RTE RWD RKA on both sides (lldpad's defaults but RWD 19 -> 20)

conf() { # FILE ROLE IF [EXTRA]
	printf '[port %s]\nrole = %s\nrwd = 20\nlldp-interval = 2\nlldp-max-ttl = 4\n%b' "$3" "$2" "${4:-}" >"$1"
}
oper() { ctl "$1" -j port show | jq -r '.[0].negotiated | "\(.r) \(.rte) \(.rwd) \(.rka)"'; }
oper_is() { [ "$(oper "$1")" = "$2" ]; }
within_bounds() { ctl "$1" -j port show | jq -e '.[0].negotiated | .rte <= 16 and .rwd <= 22 and .rka <= 22 and .tout_keepalive_ms < 120000 and .resp_wait_ms < 120000' >/dev/null; }
drop() { ctl "$1" -j port show | jq -r ".[0].drops.$2"; }
drop_ge() { [ "$(drop "$1" "$2")" -ge "$3" ]; } # NAME COUNTER N
assoc_is() { [ "$(vsi_count br '.state == "associated"')" = "$1" ]; }

# lldpdu SRC CHASSIS PORT-NAME EVB-OCTETS [TTL]: an LLDPDU, TTL 120 (or TTL,
# 4 hex digits), with an EVB TLV whose last five octets are given (R 7 RTE
# 31 = ff, RWD 31, RKA 31).
lldpdu() {
	_pn=$(printf '%s' "$3" | od -An -tx1 | tr -d ' \n')
	_pl=$(printf '%02x' $((${#_pn} / 2 + 1)))
	echo "0180c2000000 $1 88cc 0207 04$2 04$_pl 05$_pn 0602 ${5:-0078} fe09 0080c20d $4 0000"
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
# the same Associate (TLV 3) from SRC with sequence SEQ for the VSI
# 66666666-...-66NN (NN two hex digits)
rogue_assoc() {
	echo "0180c2000000 $1 8940 1001 $2 0a10 6c7031000000000000000000000000 00 0621 00 000005 04 05 666666666666666666666666666666$3 02 0001 5254006666$3 0002 0000"
}
ROGUE_UUID='select(.vsiid | startswith("66666666"))'

ns_new bridge
conf "$T_TMP/st.conf" station vst
conf "$T_TMP/br.conf" bridge vbr
veth vst main vbr bridge $ST $BR
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
# 0. a rogue speaks first, with TTL 65535: the bridge takes it as its
#    neighbour for lldp-max-ttl (4 s) only
"$INJECT" vst "$(lldpdu $ROGUE $ROGUE rg1 "00 04 68 14 14" ffff)"
nbr_of() { ctl "$1" -j port show | jq -r '.[0].neighbour | "\(.mac) \(.ttl)"'; }
nbr_mac_is() { [ "$(ctl "$1" -j port show | jq -r '.[0].neighbour.mac')" = "$2" ]; }
t_check "bridge: the rogue speaking first is its neighbour" \
	wait_until 3 nbr_mac_is br 02:00:00:00:00:66
echo "     the rogue's LLDPDU, TTL 65535: bridge neighbour (mac ttl) = $(nbr_of br)"
t_check "bridge: the rogue's TTL 65535 is cut to lldp-max-ttl 4" \
	[ "$(nbr_of br)" = "02:00:00:00:00:66 4" ]
t_check "bridge: the cut TTL is counted" drop_ge br ttl_clamped 1
t_check "bridge: the cut TTL is logged" grep -q "above lldp-max-ttl" "$T_TMP/br/log"
evbd_start st main -f "$T_TMP/st.conf" || exit 1
t0=$(date +%s)
t_check "bridge: the station is its neighbour once the rogue's 4 s are over" \
	wait_until 8 nbr_mac_is br $ST
echo "     the station became the bridge's neighbour $(($(date +%s) - t0)) s after it started (the rogue's TTL 65535 cut to 4 s; before: held for 65535 s)"
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

# 5. vdp-sources = any, max-vsis 16, max-vsis-per-station 8: a rogue that
#    asks for 12 VSIs gets what leaves the station (the bridge's LLDP
#    neighbour) its 8, each sender with its own ECP sequence numbers; the
#    station's 6 new VSIs are all associated
conf "$T_TMP/br.conf" bridge vbr 'vdp-sources = any\nmax-vsis = 16\nmax-vsis-per-station = 8\n'
eval "kill -HUP \$PID_br"
sleep 0.5
i=10
while [ $i -lt 22 ]; do
	"$INJECT" vst "$(rogue_assoc $ROGUE 72$i $i)"
	i=$((i + 1))
done
t_check "any: the rogue's VSIs beyond its share are refused and counted" \
	wait_until 3 drop_ge br station_limit 1
held=$(vsi_count br "$ROGUE_UUID")
echo "     the rogue asked for 12 VSIs of 16, holds $held, refused $(drop br station_limit) (max-vsis-per-station 8)"
t_check "any: the rogue holds at most 8 VSIs" [ "$held" -le 8 ]
i=0
while [ $i -lt 6 ]; do
	run st vsi associate dev vst type 5 version 4 uuid 00112233-4455-6677-8899-aabbccddee1$i \
		mac 52:54:00:8e:ab:1$i vlan 4 mgrid lp1
	i=$((i + 1))
done
new_assoc_is() {
	[ "$(vsi_count br 'select(.vsiid | startswith("00112233-4455-6677-8899-aabbccddee1")) | select(.state == "associated")')" = "$1" ]
}
t_check "any: the station's 6 new VSIs are associated beside the rogue's" \
	wait_until 10 new_assoc_is 6
echo "     the station's 6 new VSIs: $(vsi_count br 'select(.vsiid | startswith("00112233-4455-6677-8899-aabbccddee1")) | select(.state == "associated")') associated; the bridge holds $(vsi_count br true) VSIs"
t_done
