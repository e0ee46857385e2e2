#!/bin/sh
# SPDX-License-Identifier: ISC
# test_draft_lldpad_station.sh - lldpad as a draft 0.2 EVB station (its
# "evb" and "vdp" modules), driven through its netlink interface as libvirt
# drives it (build/tools/lvclient), evbd as the bridge with protocol = auto:
# evbd follows lldpad to the draft, associate, keep-alives, de-associate, a
# burst of 200 VSIs, and the wire check of evbd's trace (evbctl decode:
# EtherType 0x88B7, draft EVB and VDP TLVs; tcpdump -v: nothing malformed).
#
# lldpad's draft station sends a keep-alive every 10 s whatever was
# negotiated (the draft TLV carries only RTE): the bridge's RKA 20 gives a
# toutKeepAlive of 1.5 x (10.49 s + 7 x 2.56 ms) = 15.8 s, above it.
# shellcheck disable=SC2154 # PID_*, LP_PID_* are set by evbd_start, lp_start (eval)
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lldpad.sh"
lp_require

U=00112233-4455-6677-8899-aabbccdd # + 4 hex digits
PCAP=$T_TMP/br.pcap
LV=$T_BUILD/tools/lvclient

ns_new st
veth vst st vbr main 02:00:00:00:00:01 02:00:00:00:00:02
cat >"$T_TMP/st.conf" <<EOC
nearest_customer_bridge : { vst : { adminStatus = 3;
  tlvid001b3f00 : { enableTx = true; fmode = "reflectiverelay";
    capabilities = "rte,ecp,vdp"; rte = "8"; vsis = "4000"; };
  vdp : { enableTx = true; role = "station"; }; }; };
EOC
cat >"$T_TMP/br.conf" <<EOC
[port vbr]
role = bridge
rte = 8
rwd = 16
rka = 20
lldp-interval = 1
EOC
evbd_start br main -f "$T_TMP/br.conf" --trace "$PCAP" || exit 1
lp_start lst st "$T_TMP/st.conf" || exit 1
echo "$LP_PID_lst" >"$T_TMP/lldpad.pid" # lvclient finds lldpad's netlink port here

# ---- checks used below
# lv OUT CMD UUID-SUFFIX [N]: lvclient (libvirt's requests) in lldpad's namespace
lv() {
	ns_exec st "$LV" -p "$T_TMP/lldpad.pid" -m "52:54:00:00:$(printf %02x "${4:-1}"):01" \
		-v 2 -M 1 -T 5 -V 4 "$2" vst "$U$3" >"$T_TMP/$1.lv" 2>&1
}
port_is() { ctl br -j port show | jq -e ".[0] | $1"; }
entry() { # UUID-SUFFIX: evbd's bridge entry
	ctl br -j vsi list | jq -r ".[] | select(.vsiid == \"$U$1\") |
		\"\\(.state) \\(.type_id) \\(.type_version) \\(.mgrid) \\(.filters[0].mac) \\(.filters[0].vid)\""
}
entry_is() { [ "$(entry "$1")" = "$2" ]; }
count_is() { [ "$(vsi_count br "$1")" = "$2" ]; }
lp_sees_draft() { # lldpad took evbd's draft EVB TLV: VDP configured
	lp lst lldptool -t -n -g ncb -i vst -V evbCfg | grep -q 'configured capabilities: (0x7)'
}
draft_tlvs() { # FROM MODE UUID: draft VDP TLVs in the trace (FROM 01 station, 02 bridge)
	"$EVBCTL" -j decode -r "$PCAP" | jq "[.[] | select(.ecp_draft and
		.ethernet.src == \"02:00:00:00:00:$1\") | .vdp_draft.tlvs[]? |
		select(.mode_name == \"$2\" and .uuid == \"$3\")] | length"
}
keepalives_ge() { [ "$(draft_tlvs 01 assoc "$U$1")" -ge "$2" ]; }
# wave CMD FIRST: lvclients for VSIs FIRST..FIRST+49 at once, as libvirt
# starting 50 guests together.  lldpad's GETLINK answer lists its newest VSIs
# first and holds about 90 (seen: 92 of 200), and a client whose VSI is not
# listed fails at once, as libvirt does: so 50 at a time.  De-associations
# go one at a time, newest first: lldpad drops a finished VSI from its table
# the first time any poll reports it, so concurrent clients take each
# other's answers (seen: 181 of 200 failed).
wave() {
	i=$2
	_pids=""
	while [ "$i" -lt $(($2 + 50)) ]; do
		lv "b$i" "$1" "$(printf %04x $((0x1000 + i)))" $((i % 256)) &
		_pids="$_pids $!"
		i=$((i + 1))
	done
	for _p in $_pids; do wait "$_p"; done # not a bare wait: evbd and lldpad are children too
}
serial() { # CMD: VSIs 200..1, one lvclient after the other
	i=200
	while [ $i -ge 1 ]; do
		lv "b$i" "$1" "$(printf %04x $((0x1000 + i)))" $((i % 256))
		i=$((i - 1))
	done
}
burst() { # CMD FIRST-WAVES...: 200 VSIs in four waves of 50 (none: serial); failures counted
	_c=$1
	shift
	rm -f "$T_TMP"/b*.lv
	[ $# = 0 ] && serial "$_c"
	for _w in "$@"; do wave "$_c" "$_w"; done
	_bad=$(grep -L '^result: success' "$T_TMP"/b*.lv | wc -l)
	set -- "$T_TMP"/b*.lv
	if [ $# != 200 ] || [ "$_bad" != 0 ]; then
		echo "$_bad of $# failed"
		return 1
	fi
}
bulk_count_is() { count_is "(.vsiid | startswith(\"${U}1\")) and .state == \"$1\"" "$2"; }

# ---- 1. negotiation over the draft EVB TLV
t_check "evbd's bridge at protocol auto speaks draft 0.2 to lldpad" \
	wait_until 15 port_is '.protocol == "draft" and .protocol_setting == "auto"'
t_check "evbd negotiated with reflective relay" port_is '.negotiated.valid and .negotiated.rr'
t_check "lldpad took evbd's draft EVB TLV (RTE, ECP and VDP configured)" wait_until 10 lp_sees_draft

# ---- 2. associate as libvirt does
t_check "associate through lldpad's netlink interface: success" \
	wait_until 15 lv a1 associate 0001
t_check "evbd's bridge holds it: type 5 v4, manager ID 1, the MAC and VLAN 2" \
	wait_until 5 entry_is 0001 "associated 5 4 1 52:54:00:00:01:01 2"

# ---- 3. keep-alives (lldpad's draft station: every 10 s)
t_check "lldpad's keep-alives reach the bridge (2 within 25 s)" wait_until 25 keepalives_ge 0001 3
answered_ge() { [ "$(draft_tlvs 02 assoc "$U$1")" -ge "$2" ]; }
t_check "the bridge answered each" answered_ge 0001 3
t_check "the VSI is still associated at the bridge" entry_is 0001 "associated 5 4 1 52:54:00:00:01:01 2"

# ---- 4. de-associate
t_check "de-associate through lldpad's netlink interface: success" lv d1 disassociate 0001
t_check "the bridge dropped the VSI" wait_until 5 entry_is 0001 ""
deassoc_answered() { [ "$(draft_tlvs 01 deassoc "${U}0001")" -ge 1 ] &&
	[ "$(draft_tlvs 02 deassoc "${U}0001")" -ge 1 ]; }
t_check "lldpad's De-Associate reached the bridge and was answered" deassoc_answered

# ---- 5. a burst of 200
t_check "burst: 200 associates through lldpad (4 waves of 50), each a success" burst associate 1 51 101 151
t_check "burst: the bridge holds all 200 associated" wait_until 60 bulk_count_is associated 200
t_check "burst: 200 de-associates (one at a time, newest first), each a success" burst disassociate
# (lldpad answers a de-associate at once and sends it later, one ECPDU per
# ack timer: the last leave some 30 s after the last answer)
t_check "burst: the bridge holds none" wait_until 60 count_is 'true' 0
t_check "no draft conversion drops at the bridge" port_is '.drops.draft_rx + .drops.draft_tx == 0'
pace_report br

# ---- 6. the wire
"$EVBCTL" -j decode -r "$PCAP" >"$T_TMP/decoded.json" 2>/dev/null
t_check "every ECPDU on the wire is draft 0.2 (0x88B7 to 01:80:c2:00:00:0e)" \
	jq -e '([.[] | select(.ecp_draft)] | length) > 0 and ([.[] | select(.ecp)] | length) == 0 and
		all(.[] | select(.ecp_draft); .ethernet.dst == "01:80:c2:00:00:0e")' "$T_TMP/decoded.json"
wire_check br "$PCAP" "OUI Unknown (0x001b3f)"
t_done
