#!/bin/sh
# SPDX-License-Identifier: ISC
# test_lldpad_station.sh - lldpad as the EVB station, driven with vdptool,
# evbd as the EVB bridge, on a veth pair: EVB negotiation, associate,
# pre-associate then associate, keep-alives, de-associate, every filter
# format vdptool sends (with group IDs, VID 0, PCP bits, a Cisco org TLV),
# evbd's bridge table against what vdptool asked for, 200 VSIs at once, the
# bridge dropping the VSIs of a killed station after toutKeepAlive, and the
# wire check of evbd's trace.
#
# Timers: evbd R 2, RTE 7, RWD 16, RKA 15; lldpad R 7, RTE 8, RWD 17,
# RKA 17 -> R 7, RTE 8 (2.56 ms), RWD 17 and RKA 17 (1.31 s);
# toutKeepAlive = 1.5 x (15 x 2.56 + 1310.72) ms = 2.02 s.
# shellcheck disable=SC2154 # PID_*, LP_PID_* are set by evbd_start, lp_start (eval)
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lldpad.sh"
lp_require

OPER="r=7 rte=8 rwd=17 rka=17 rr=1"
OWN="r=2 rte=7 rwd=16 rka=15 rr=1" # what evbd advertises: its own values
U=00112233-4455-6677-8899-aabbccdd # + 4 hex digits: the single VSIs below
PCAP=$T_TMP/br.pcap

ns_new st
veth vst st vbr main 02:00:00:00:00:01 02:00:00:00:00:02
lp_conf "$T_TMP/st.conf" vst station 7 8 17 17 true
cat >"$T_TMP/br.conf" <<EOC
[port vbr]
role = bridge
r = 2
rte = 7
rwd = 16
rka = 15
group-id = yes
lldp-interval = 1
# A fixed ecp-pace again: with the default (auto), which paces from
# lldpad's cadence (docs/interop.md), this scenario passed in CI but failed
# 5 of 43 twice in a row in a later make check (lldpad timed out waiting
# for answers); lldpad reads a VDPDU 2 ms late from one buffer and loses
# the first of two that arrive closer.  Issue 14 keeps that open.
ecp-pace = 3000
EOC
evbd_start br main -f "$T_TMP/br.conf" --trace "$PCAP" || exit 1
lp_start lst st "$T_TMP/st.conf" || exit 1

# ---- checks used below (t_check runs them in this shell)
# on the station: vdp MODE UUID TYPE VERSION MGRID FILTER... (lldpad.sh)
v() { vdp lst vst "$@"; }
# entry UUID: evbd's bridge entry as "TYPE VERSION MGRID STATE HINTS FILTERS-JSON"
entry() {
	ctl br -j vsi list | jq -r ".[] | select(.vsiid == \"$1\") |
		\"\\(.type_id) \\(.type_version) \\(.mgrid) \\(.state) \\(.hints) \\(.filters | tojson)\""
}
entry_is() { [ "$(entry "$1")" = "$2" ]; } # UUID EXPECTED
gone() { entry_is "$1" ""; }
count_is() { [ "$(vsi_count br "$1")" = "$2" ]; }
listed() { vdp_list lst vst "$2" | grep -qx "$1"; } # UUID [MODE]
unlisted() { ! listed "$1"; }
gid_on() { ctl br -j port show | jq -e '.[0].negotiated.gid' && grep -q 'gpid:1' "$T_TMP/lst.log"; }
first_vdp() { # the first request, retried while lldpad's VDP is not there yet
	wait_until 10 v assoc ${U}0001 5 4 lp1 2-52:54:00:00:01:01
}
same_tables() { # evbd's associated VSIs are exactly those lldpad lists as associated
	[ "$(ctl br -j vsi list | jq -r '.[] | select(.state == "associated") | .vsiid' |
		sort)" = "$(vdp_list lst vst)" ]
}
seen() { seen_in "$PCAP" "$@"; } # see lldpad.sh
kept_alive() { seen st assoc 0 "$1" -ge 3 && seen br assoc 64 "$1" -ge 3; }
bridge_deassocs_are() {
	[ "$(vdp_tlvs "$PCAP" | awk '$2 == "br" && $3 == "deassoc" && $4 == 0' | wc -l)" = "$1" ]
}
no_ack_timeouts() { ! grep -q 'vdp22st_handle_ackto' "$T_TMP/lst.log"; }
cisco() { # vdptool with a Cisco VM-name org TLV (lldpad sends OUI 00-00-0c after the VSI TLV)
	lp lst vdptool -i vst -T -W -V assoc -c mode=assoc -c mgrid2=lp1 -c typeid=5 \
		-c uuid=${U}0009 -c typeidver=4 -c hints=none -c filter=2-52:54:00:00:09:01 \
		-c oui=cisco,vm_name=vm9 | grep -q 'mode = assoc$'
}
org_echoed() { # the bridge's answers carry the station's org TLV back
	"$EVBCTL" -j decode -r "$PCAP" | jq -e '[.[] | select(.vdp and .ethernet.src ==
		"02:00:00:00:00:02") | .vdp.tlvs[] | select(.vsiid == "'${U}0009'") |
		.org_tlvs[0].oui] | length > 0 and all(. == "00-00-0c")'
}
bulk() { # N: N vdptool requests without waiting for the answers
	i=1
	while [ $i -le "$1" ]; do
		lp lst vdptool -i vst -T -V assoc -c mode=assoc -c mgrid2=bulk -c typeid=7 \
			-c uuid="$(printf '6d0f0000-0000-4000-8000-%012x' $i)" -c typeidver=1 \
			-c hints=none -c filter="$((100 + i % 50))-$(printf '52:54:01:00:%02x:%02x' \
			$((i / 256)) $((i % 256)))" >/dev/null || return 1
		i=$((i + 1))
	done
}
held_after() { sleep "$1" && count_is 'true' "$2"; } # SECONDS N
bulk_is() { count_is '(.vsiid | startswith("6d0f0000")) and .state == "associated"' "$1"; }

# ---- 1. negotiation, and a first request as soon as lldpad takes it
t_check "negotiation: evbd and lldpad operate on R 7, RTE 8, RWD 17, RKA 17, RR on" \
	wait_until 15 evb_agree br lst vst "$OPER" "$OWN"
t_check "negotiation: group IDs usable at both ends" gid_on
t_check "lldpad's VDP has the negotiated timers (its zero-timer window is over)" \
	lp_wait_vdp lst vst 17 17
t_check "associate (MAC/VID): confirmed" first_vdp
t_check "evbd's bridge entry is what vdptool asked for" entry_is ${U}0001 \
	'5 4 lp1 associated none [{"mac":"52:54:00:00:01:01","vid":2}]'
t_check "lldpad lists it" listed ${U}0001

# ---- 2. pre-associate, then associate; pre-associate with resource reservation
t_check "pre-associate: confirmed" v preassoc ${U}0002 6 1 7 3-52:54:00:00:02:01
t_check "pre-associate: evbd holds it pre-associated" entry_is ${U}0002 \
	'6 1 7 preassociated none [{"mac":"52:54:00:00:02:01","vid":3}]'
t_check "then associate: confirmed" v assoc ${U}0002 6 1 7 3-52:54:00:00:02:01
t_check "then associate: evbd holds it associated" entry_is ${U}0002 \
	'6 1 7 associated none [{"mac":"52:54:00:00:02:01","vid":3}]'
t_check "pre-associate with resource reservation: confirmed" v preassoc-rr ${U}0003 7 2 mgr3 4
t_check "pre-associate-rr: evbd holds it" entry_is ${U}0003 \
	'7 2 mgr3 preassociated-rr none [{"vid":4}]'
t_check "pre-associate-rr: lldpad lists it" listed ${U}0003 preassoc-rr

# ---- 3. the filter formats vdptool sends
t_check "two VID filters: confirmed" v assoc ${U}0004 8 3 mgr4 10 11
t_check "two VID filters: evbd holds both" entry_is ${U}0004 \
	'8 3 mgr4 associated none [{"vid":10},{"vid":11}]'
t_check "two group/VID filters: confirmed" v assoc ${U}0005 9 3 mgr5 12--7 13--8
t_check "two group/VID filters: evbd holds both" entry_is ${U}0005 \
	'9 3 mgr5 associated none [{"vid":12,"group":7},{"vid":13,"group":8}]'
t_check "group/MAC/VID filter: confirmed" v assoc ${U}0006 9 3 mgr5 14-52:54:00:00:06:01-9
t_check "group/MAC/VID filter: evbd holds it" entry_is ${U}0006 \
	'9 3 mgr5 associated none [{"mac":"52:54:00:00:06:01","vid":14,"group":9}]'
t_check "VID 0 (the bridge chooses): confirmed" v assoc ${U}0007 9 3 mgr5 0-52:54:00:00:07:01
t_check "VID 0: evbd answers with the VID it keeps (0: no VLAN policy)" entry_is ${U}0007 \
	'9 3 mgr5 associated none [{"mac":"52:54:00:00:07:01","vid":0}]'
t_check "PCP 5 in the VID's top bits (0x5005): confirmed" \
	v assoc ${U}0008 9 3 mgr5 20485-52:54:00:00:08:01
t_check "PCP 5 without the PS bit: evbd holds VID 5" entry_is ${U}0008 \
	'9 3 mgr5 associated none [{"mac":"52:54:00:00:08:01","vid":5}]'
t_check "Cisco org TLV after the VSI TLV: confirmed" cisco
t_check "Cisco org TLV: evbd's answer carries it back" org_echoed

# ---- 4. keep-alives over two reinitKeepAlive periods (2 x 1.31 s)
sleep 3
t_check "keep-alives: evbd still holds all 9 after 3 s" count_is 'true' 9
t_check "keep-alives: lldpad sent >= 2 per VSI, evbd answered each" kept_alive ${U}0001
t_check "keep-alives: evbd's bridge de-associated nothing" bridge_deassocs_are 0
t_check "evbd's associated VSIs are exactly the 8 lldpad lists" same_tables

# ---- 5. de-associate: removed at once (and, unlike lldpad's bridge, not
# de-associated again toutKeepAlive later: checked in 6)
t_check "de-associate: confirmed" v deassoc ${U}0001 5 4 lp1 2-52:54:00:00:01:01
t_check "de-associate: gone from evbd's table" gone ${U}0001
t_check "de-associate: lldpad no longer lists it" unlisted ${U}0001
t_check "evbd answered the De-Associate" seen br deassoc 64 ${U}0001 -eq 1

# ---- 6. 200 VSIs submitted at once (vdptool without -W)
t_check "200 vdptool requests sent" bulk 200
t_check "evbd's bridge associated all 200" wait_until 10 bulk_is 200
sleep 3
t_check "keep-alives: all 200 still associated after 2 reinitKeepAlive periods" bulk_is 200
t_check "evbd's bridge de-associated nothing on its own (nor the VSI of 5 again)" \
	bridge_deassocs_are 0
t_check "lldpad never timed out waiting for one of evbd's answers" no_ack_timeouts

# ---- 7. the station dies: evbd drops its VSIs after toutKeepAlive (2.02 s)
lp_kill lst KILL
t_check "station killed: evbd still holds its 208 VSIs 0.5 s later" held_after 0.5 208
t_check "station killed: evbd drops them all within toutKeepAlive + 1 s" \
	wait_until 3 count_is 'true' 0
t_check "evbd is still running" kill -0 "$PID_br"

pace_report br
wire_check br "$PCAP"
t_done
