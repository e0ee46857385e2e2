#!/bin/sh
# SPDX-License-Identifier: ISC
# test_lldpad_clif_evb.sh - Debian's lldptool against the lldpad-clif
# plugin: the EVB TLV's settings (-t/-T -g ncb -V evb -c ...) read and
# changed on a station evbd whose bridge is an evbd, each change checked
# in the negotiated values evbctl shows; the DFA agent's lines
# (-V evb enableTx=yes, -c evbgpid=yes); the port's and the neighbour's
# TLVs (-t, -t -n, get-tlv -n: "mode:bridge"); refusals with lldpad's
# answers; the settings kept over evbd.conf across SIGHUP and a restart.
# shellcheck disable=SC2154 # PID_st is set by evbd_start (eval)
. "$(dirname "$0")/lib.sh"

command -v lldptool >/dev/null || { echo "lldptool missing (apt-get install lldpad)"; exit 1; }
conf_fast br bridge vbr "group-id = yes
rr = yes"
conf_fast st station vst
printf '[global]\nplugin-dir = %s\nplugins = lldpad-clif\n' "$T_BUILD/plugins" >>"$T_TMP/st.conf"
ns_new bridge
veth vst main vbr bridge 02:00:00:00:00:01 02:00:00:00:00:02
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
evbd_start st main -f "$T_TMP/st.conf" || exit 1

lt() { _o=$1; shift; lldptool "$@" >"$T_TMP/$_o" 2>&1; echo "rc=$?" >>"$T_TMP/$_o"; }
has() { grep -qF -- "$2" "$T_TMP/$1"; }
is() { printf '%s\n' "$2" | cmp -s - "$T_TMP/$1" || { echo "got:"; cat "$T_TMP/$1"; false; }; }
logged() { grep -qF -- "$2" "$T_TMP/$1/log"; }
# oper: evbctl's negotiated values of the station as "r rte rwd rka rr gid"
oper() { ctl st -j port show dev vst | jq -r '.[0].negotiated | select(.valid) | "\(.r) \(.rte) \(.rwd) \(.rka) \(.rr) \(.gid)"'; }
oper_is() { [ "$(oper)" = "$1" ]; }
show_oper() { wait_until 10 oper_is "$1" || { echo "negotiated: '$(oper)', wanted '$1'"; false; }; }

t_check "EVB negotiated on evbd.conf's values" show_oper "3 8 14 14 true false"
lt c1 -t -i vst -g ncb -V evb -c
t_check "-t -V evb -c: every attribute, in lldpad's order" is c1 "vdprka=14
vdprwd=14
ecprte=8
ecpretries=3
evbrrreq=yes
evbrrcap=no
evbgpid=no
evbmode=station
enableTx=yes
rc=0"
lt c2 -t -i vst -g ncb -V evb -c evbmode -c enabletx
t_check "-t -c evbmode -c enabletx: lldpad's names back" is c2 "evbmode=station
enableTx=yes
rc=0"

# the neighbour's TLVs (the DFA agent looks for mode:bridge)
lt n1 -t -n -i vst -g ncb -V evb
t_check "-t -n -V evb: the bridge's EVB TLV, mode:bridge" has n1 "mode:bridge"
t_check "... its status: reflective relay capable" has n1 "bridge:bgid,rrcap"
lt n2 get-tlv -n -i vst -g ncb
t_check "get-tlv -n (all): the bridge's chassis ID" has n2 "Chassis ID TLV
	MAC: 02:00:00:00:00:02"
t_check "get-tlv -n (all): its port ID, TTL, EVB TLV and End" sh -c "grep -q 'Port ID TLV' '$T_TMP/n2' && grep -q 'Time to Live TLV' '$T_TMP/n2' && grep -q 'mode:bridge' '$T_TMP/n2' && grep -q 'End of LLDPDU TLV' '$T_TMP/n2'"
lt n3 -t -i vst -g ncb -V evb
t_check "-t -V evb: the station's own TLV" has n3 "mode:station r/l:0 rwd:14"
lt n4 -t -n -i vst -V evb
t_check "-t -n on the nearest bridge agent (evbd runs none): empty, as lldpad" is n4 "rc=0"

# changes: evbctl's negotiated values follow
lt s1 -T -i vst -g ncb -V evb -c ecpretries=5 -c ecprte=10 -c vdprwd=16 -c vdprka=15
t_check "-T several attributes at once: accepted" is s1 "rc=0"
t_check "... evbd negotiates on them" show_oper "5 10 16 15 true false"
br_oper() { [ "$(ctl br -j port show | jq -r '.[0].negotiated | "\(.r) \(.rte) \(.rwd) \(.rka)"')" = "5 10 16 15" ]; }
t_check "... the bridge sees them in the station's TLV" wait_until 10 br_oper
lt s2 -T -i vst -g ncb -V evb -c evbgpid=yes
t_check "DFA: -T -c evbgpid=yes: accepted" is s2 "rc=0"
t_check "... group IDs negotiated" show_oper "5 10 16 15 true true"
lt s3 -T -i vst -g ncb -V evb -c evbrrreq=no
t_check "-T -c evbrrreq=no: no reflective relay" show_oper "5 10 16 15 false true"
lt s3 -T -i vst -g ncb -V evb -c evbrrreq=yes
t_check "-T -c evbrrreq=yes: reflective relay negotiated" show_oper "5 10 16 15 true true"
lt s4 -T -i vst -g ncb -V evb -c enableTx=yes
t_check "-T -c enableTx=yes: accepted" is s4 "rc=0"
lt s5 -T -i vst -g ncb -V evb enableTx=yes
t_check "DFA: -T -V evb enableTx=yes (no -c): lldpad's 'Failed'" has s5 "Failed"
lt s6 -T -i vst -g ncb -V evb -c ecprte=40
t_check "ecprte=40: lldpad's 'Invalid parameters'" has s6 "Invalid parameters"
lt s7 -T -i vst -g ncb -V evb -c enableTx=no
t_check "enableTx=no: refused, 'Invalid parameters'" has s7 "Invalid parameters"
t_check "... and logged with the reason" logged st "enableTx other than yes"
lt s8 -T -i vst -g ncb -V evb -c evbmode=bridge
t_check "evbmode=bridge on a station: 'Invalid parameters'" has s8 "Invalid parameters"
lt s9 -T -i vst -g ncb -V evb -c bogus=1
t_check "an unknown attribute: lldpad's 'Command not applicable'" has s9 "Command not applicable"
lt s10 -t -n -i vst -g ncb -V evb -c
t_check "-t -n -c: lldpad's 'Invalid command'" has s10 "Invalid command"
lt s11 -T -i vst -g ncb -V evb -c ecpretries=6 -c ecprte=99
t_check "one bad value of several: refused" has s11 "Invalid parameters"
t_check "... the values stay" show_oper "5 10 16 15 true true"
lt s12 -t -i nope -g ncb -V evb -c
t_check "an interface evbd has no port for: 'Device not found'" has s12 "Device not found or inactive"

# kept over evbd.conf: SIGHUP, then a restart
kill -HUP "$PID_st"
wait_until 5 logged st "configuration re-read"
t_check "SIGHUP: the lldptool settings stay over evbd.conf" show_oper "5 10 16 15 true true"
evbd_kill st
evbd_start st main -f "$T_TMP/st.conf" || exit 1
t_check "restart: the lldptool settings are read back" show_oper "5 10 16 15 true true"
lt r1 -t -i vst -g ncb -V evb -c ecprte -c evbgpid
t_check "... and lldptool shows them" is r1 "ecprte=10
evbgpid=yes
rc=0"
t_done
