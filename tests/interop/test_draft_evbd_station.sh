#!/bin/sh
# SPDX-License-Identifier: ISC
# test_draft_evbd_station.sh - evbd as a draft 0.2 EVB station, lldpad as a
# draft 0.2 bridge (its "evb" and "vdp" modules, vdp role bridge): what
# works with lldpad's draft bridge.  Both sides negotiate over the draft
# EVB TLV and lldpad acknowledges evbd's draft ECPDUs, but lldpad's draft
# bridge machine never sends a VDP answer (its answer steps are empty; it
# drops the VSI at once), so evbd's VSIs fail with "no answer from the
# bridge" after their retries, as they would against any silent bridge;
# the test checks exactly that, and the wire.
# shellcheck disable=SC2154 # PID_*, LP_PID_* are set by evbd_start, lp_start (eval)
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lldpad.sh"
lp_require

U=00112233-4455-6677-8899-aabbccdd
PCAP=$T_TMP/st.pcap

ns_new br
veth vst main vbr br 02:00:00:00:00:01 02:00:00:00:00:02
cat >"$T_TMP/br.conf" <<EOC
nearest_customer_bridge : { vbr : { adminStatus = 3;
  tlvid001b3f00 : { enableTx = true; fmode = "reflectiverelay";
    capabilities = "rte,ecp,vdp"; rte = "8"; vsis = "4000"; };
  vdp : { enableTx = true; role = "bridge"; }; }; };
EOC
cat >"$T_TMP/st.conf" <<EOC
[port vst]
role = station
rte = 8
rwd = 14
rka = 16
lldp-interval = 1
protocol = draft
EOC
lp_start lbr br "$T_TMP/br.conf" || exit 1
evbd_start st main -f "$T_TMP/st.conf" --trace "$PCAP" || exit 1

port_is() { ctl st -j port show | jq -e ".[0] | $1"; }
lp_sees_draft() {
	lp lbr lldptool -t -n -g ncb -i vbr -V evbCfg | grep -q 'configured capabilities: (0x7)'
}
no_answer() { # the associate fails for want of an answer
	ctl st vsi associate dev vst type 5 version 4 uuid ${U}0001 mgrid 1 \
		mac 52:54:00:00:01:01 vlan 2 wait 15 >"$T_TMP/assoc.out" 2>&1
	[ $? = 3 ] && grep -q "no answer from the bridge" "$T_TMP/assoc.out"
}
acked() { # lldpad acknowledged evbd's draft ECPDUs: no ECP failure, ACKs on the wire
	port_is '.ecp.tx_frames > 0 and .ecp.tx_failures == 0' &&
		"$EVBCTL" -j decode -r "$PCAP" | jq -e '[.[] | select(.ethernet.src ==
			"02:00:00:00:00:02" and .ecp_draft.mode_name == "ack")] | length > 0'
}
lldpad_took_it() { grep -q 'vdp_indicate: bridge profile' "$T_TMP/lbr.log"; }

t_check "evbd station speaks draft 0.2 and negotiated with lldpad's bridge" \
	wait_until 15 port_is '.protocol == "draft" and .negotiated.valid and .negotiated.rr'
t_check "lldpad took evbd's draft EVB TLV (RTE, ECP and VDP configured)" wait_until 10 lp_sees_draft
t_check "associate: lldpad's draft bridge never answers; evbd fails the VSI, saying so" no_answer
t_check "lldpad acknowledged every draft ECPDU (ECP works both ways)" acked
t_check "lldpad's VDP took evbd's draft VDP TLV (its bridge machine ran)" lldpad_took_it
evbd_kill st TERM
"$EVBCTL" -j decode -r "$PCAP" >"$T_TMP/decoded.json" 2>/dev/null
t_check "every ECPDU on the wire is draft 0.2, none malformed" \
	jq -e '([.[] | select(.ecp_draft)] | length) > 0 and ([.[] | select(.ecp)] | length) == 0 and
		([.[] | .malformed | length] | add) == 0' "$T_TMP/decoded.json"
t_done
