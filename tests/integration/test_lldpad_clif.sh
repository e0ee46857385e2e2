#!/bin/sh
# SPDX-License-Identifier: ISC
# test_lldpad_clif.sh - the lldpad-clif plugin against Debian's real vdptool
# and lldptool (package lldpad) and a C client linked with Debian's
# liblldp_clif (build/tools/clifclient): a station evbd with the plugin and
# a bridge evbd on a veth pair.  Ping; associate / preassociate /
# preassociate-rr / de-associate with -W in every filter form vdptool has,
# PCP bits, Cisco OUI fields; queries in lldpad's format; the raw query
# (-R); 200 VSIs one after another, checked in evbctl's view and the
# bridge's table; lldpad's errors (unknown interface, bridge-role port, bad
# parameters, malformed and oversized messages, unknown modules) with evbd
# surviving; lldptool -ping, get-lldp / set-lldp adminStatus; an attached
# client hearing a bridge-initiated de-association; a second evbd with the
# plugin refused beside the first.  The abstract socket address is per
# network namespace: the test's own.
. "$(dirname "$0")/lib.sh"

PL=$T_BUILD/plugins
CC_=$T_BUILD/tools/clifclient
U=6d0f0000-0000-4000-8000-0000000000
MAC=52:54:00:00:00
command -v vdptool >/dev/null || { echo "vdptool missing (apt-get install lldpad)"; exit 1; }

# rwd 20 (10.5 s): the bridge's answers may be slow on a loaded machine.
conf_clif() { printf '[port %s]\nrole = %s\nr = 3\nrte = 8\nrwd = 20\nrka = 20\nlldp-interval = 1\ngroup-id = yes\n%s\n' "$3" "$2" "$4" >"$T_TMP/$1.conf"; }
conf_clif br bridge vbr "policy = database"
conf_clif st station vst
printf '[port vbx]\nrole = bridge\n[global]\nplugin-dir = %s\nplugins = lldpad-clif\n' "$PL" >>"$T_TMP/st.conf"
ns_new bridge
ns_new other
veth vst main vbr bridge 02:00:00:00:00:01 02:00:00:00:00:02
veth vbx main vby other 02:00:00:00:00:03 02:00:00:00:00:04
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
evbd_start st main -f "$T_TMP/st.conf" || exit 1
# The bridge's VSI type database: what the tests ask for, and a way to end
# VSIs from the bridge's side (vsitype del ... deassociate).
ctl br vsitype add 5 version 4 vlans 1-4094 assign-vlan 100 >/dev/null
ctl br vsitype add 9 version 1 vlans 1-4094 >/dev/null
negotiated() { ctl st -j port show dev vst | jq -e '.[0].negotiated.valid == true'; }
logged() { grep -qF -- "$2" "$T_TMP/$1/log"; }
has() { grep -qF -- "$2" "$T_TMP/$1"; }
lacks() { ! grep -qF -- "$2" "$T_TMP/$1"; }
vdp() { _o=$1; shift; vdptool "$@" >"$T_TMP/$_o" 2>&1; echo "rc=$?" >>"$T_TMP/$_o"; }
st_state() { ctl st -j vsi list | jq -r --arg u "$1" '[.[] | select(.vsiid == $u) | .state] | join(",")'; }
br_state() { ctl br -j vsi list | jq -r --arg u "$1" '[.[] | select(.vsiid == $u) | .state] | join(",")'; }
st_is() { [ "$(st_state "$1")" = "$2" ] || { echo "station: '$(st_state "$1")', wanted '$2'"; false; }; }
br_is() { [ "$(br_state "$1")" = "$2" ] || { echo "bridge: '$(br_state "$1")', wanted '$2'"; false; }; }
va() { # MODE N FILTER... -> vdptool arguments
	_m=$1 _n=$2
	shift 2
	printf -- '-c mode=%s -c mgrid2=blade1 -c typeid=5 -c typeidver=4 -c uuid=%s%s -c hints=none' "$_m" "$U" "$_n"
	for _f in "$@"; do printf -- ' -c filter=%s' "$_f"; done
}

t_check "the plugin serves lldpad's address" logged st "lldpad-clif: serving lldpad's control interface at @/com/intel/lldpad"
vdp p1 -p
t_check "vdptool -p answers with evbd's pid" has p1 "$PID_st"
lldptool -ping >"$T_TMP/p2" 2>&1
t_check "lldptool -ping answers with evbd's pid" has p2 "$PID_st"
wait_until 10 negotiated || echo "EVB not negotiated"

# 1. associate with -W, every mode and filter form
vdp a1 -i vst -T -W -V assoc $(va assoc 01 2-$MAC:01)
t_check "assoc -W: lldpad's 'Response from VDP' block" has a1 "Response from VDP
	mode = assoc
	mgrid2 = blade1
	typeid = 5
	typeidver = 4
	uuid = ${U}01
	filter = 2-$MAC:01
rc=0"
t_check "assoc: evbctl shows it associated" st_is ${U}01 associated
t_check "assoc: the bridge's table has it" br_is ${U}01 associated
vdp q1 -i vst -t -V assoc
t_check "query: lldpad's format" has q1 "VSI  0:
	mode = assoc
	mgrid2 = blade1
	typeid = 5
	typeidver = 4
	uuid = ${U}01
	hints = 0
	filter = 2-$MAC:01"
vdp q2 -i vst -t -R -V assoc -c uuid=${U}01
t_check "raw query: keyword + 4-digit length + value" has q2 "R00C3010000001503vst000000030"
t_check "raw query: the VSI's fields" has q2 "04mode0005assoc06mgrid20006blade106typeid0001509typeidver0001404uuid0024${U}0105hints0001006filter0013"
vdp a2 -i vst -T -W -V preassoc $(va preassoc 02 3)
t_check "preassoc, filter VID only" has a2 "mode = preassoc"
t_check "preassoc: evbctl shows it" st_is ${U}02 preassociated
vdp a3 -i vst -T -W -V preassoc-rr $(va preassoc-rr 03 0-$MAC:03)
t_check "preassoc-rr, VID 0 (the bridge chooses)" has a3 "mode = preassoc-rr"
t_check "preassoc-rr: evbctl shows it" st_is ${U}03 preassociated-rr
vdp a4 -i vst -T -W -V assoc $(va assoc 04 12290-$MAC:04 12290-$MAC:14)
t_check "two filters with PCP 3 in the VID word" has a4 "filter = 12290-$MAC:04
	filter = 12290-$MAC:14"
vdp a5 -i vst -T -W -V assoc $(va assoc 05 5-$MAC:05) -c oui=cisco,vm_name=vm5,ipv4_addr=10.0.0.5,vm_uuid=${U}05
t_check "Cisco OUI fields accepted" has a5 "mode = assoc"
vdp q5 -i vst -t -V assoc -c uuid=${U}05
t_check "the query prints the OUI fields back" has q5 "VM Name = vm5,ipv4_addr=10.0.0.5,vm_uuid=${U}05"
vdp a6 -i vst -T -W -V assoc -c mode=assoc -c mgrid2=blade1 -c typeid=5 -c typeidver=4 -c uuid=${U}06 -c hints=to -c filter=6-$MAC:06-77
t_check "filter VID-MAC-GID" has a6 "filter = 6-$MAC:06-77"
vdp a7 -i vst -T -W -V assoc -c mode=assoc -c mgrid2=blade1 -c typeid=5 -c typeidver=4 -c uuid=${U}07 -c hints=from -c filter=7--88
t_check "filter VID--GID" has a7 "filter = 7--88"
vdp d1 -i vst -T -W -V deassoc $(va deassoc 01 2-$MAC:01)
t_check "deassoc -W" has d1 "mode = deassoc"
t_check "deassoc: gone from evbctl" st_is ${U}01 ""
t_check "deassoc: gone from the bridge" br_is ${U}01 ""

# 2. errors, as lldpad answers them
vdp e1 -i nope -t -V assoc
t_check "unknown interface: lldpad's 'Device not found'" has e1 "Device not found or inactive"
vdp e2 -i vst -T -V assoc -c mode=assoc -c mgrid2=blade1 -c typeid=5 -c typeidver=4 -c uuid=${U}99 -c hints=none -c filter=4095-$MAC:99
t_check "VID 4095: lldpad's 'Invalid parameters'" has e2 "FAILED: Invalid parameters"
vdp e3 -i vbx -t -V assoc
t_check "bridge-role port: 'Command not applicable'" has e3 "Command not applicable"
python3 - "$T_TMP/raw" <<'PY'
import socket, os, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(b"\0/com/intel/lldpad/t%d" % os.getpid())
s.connect(b"\0/com/intel/lldpad")
s.settimeout(2)
out = open(sys.argv[1], "w")
for m in [b"X", b"", b"M00", b"M000080c4Z", b"M000080c4C3010000000199vst", b"M000080c4C3010000000103vst02000000030fmode",
          b"M000080c4C2010000000103vst0200000003", b"M0000ffffC3010000000103vst0200000003", b"L1",
          b"M000080c4C3010000000103vst0200000009", b"a" * 5000, b"M000080c4C3010000000103vst0100000003"]:
    s.send(m)
    out.write("%s -> %s\n" % (m[:40].decode(), s.recv(5000).decode()))
PY
t_check "malformed and oversized messages: lldpad's error answers" sh -c "grep -c ' -> R0[1-9b]' '$T_TMP/raw' | grep -qx 12"
t_check "evbd still runs after them" ctl st port show
t_check "an unsupported command is logged by name" logged st "refused a message to an lldpad module evbd does not have"

# 3. lldptool (VDSM's and the DFA agent's lines)
lldptool get-lldp -i vst adminStatus >"$T_TMP/l1" 2>&1
t_check "get-lldp adminStatus (nearest bridge): disabled" has l1 "adminStatus=disabled"
lldptool -l -i vst -g ncb adminStatus >"$T_TMP/l2" 2>&1
t_check "get-lldp adminStatus -g ncb: rxtx" has l2 "adminStatus=rxtx"
lldptool -L -i vst -g ncb adminStatus=rxtx >"$T_TMP/l3" 2>&1
t_check "set-lldp -g ncb adminStatus=rxtx: accepted" has l3 "adminStatus = rxtx"

# 4. a client linked with Debian's liblldp_clif: clif_attach, clif_vsiwait
#    (clif_vsi's one "vsi" argument), clif_vsievt hears the bridge end it
"$CC_" vst ${U}50 50-$MAC:50 20 >"$T_TMP/c1" 2>&1 &
CPID=$!
wait_until 10 br_is ${U}50 associated
ctl br vsitype del 5 version 4 deassociate >"$T_TMP/c1br" 2>&1
wait $CPID
t_check "liblldp_clif: clif_vsiwait associates (rc 0)" has c1 "assoc: rc 0"
t_check "liblldp_clif: the association's event first" has c1 "04mode0005assoc06mgrid20006blade1"
t_check "liblldp_clif: clif_vsievt hears the bridge-initiated de-association" has c1 "event: 009a04mode0007deassoc"
t_check "liblldp_clif: ... naming the VSI, mode deassoc" has c1 "04mode0007deassoc06mgrid20006blade106typeid0001509typeidver0001404uuid0024${U}50"
t_check "the bridge's de-association ended it at the station" st_is ${U}50 ""

# 5. 200 VSIs one after another
i=0
bad=0
while [ $i -lt 200 ]; do
	n=$(printf %03d $i)
	vdptool -i vst -T -W -V assoc -c mode=assoc -c mgrid2=blade1 -c typeid=9 -c typeidver=1 \
		-c uuid=6d0f0000-0000-4000-8000-000000001$n -c hints=none -c filter=10-52:54:00:00:1$(printf %x $((i / 100))):$(printf %02x $((i % 100))) >"$T_TMP/m" 2>&1 &&
		grep -q "mode = assoc" "$T_TMP/m" && st_is 6d0f0000-0000-4000-8000-000000001$n associated >/dev/null ||
		{ bad=$((bad + 1)); echo "VSI $n: $(st_state 6d0f0000-0000-4000-8000-000000001$n)"; }
	i=$((i + 1))
done
t_check "200 VSIs associated one after another, each answered" [ $bad = 0 ]
n_assoc() { ctl "$1" -j vsi list | jq '[.[] | select(.state == "associated")] | length'; }
is200() { _n=$(n_assoc "$1"); echo "$_n associated"; ctl "$1" -j vsi list | jq -c "group_by(.state) | map([.[0].state, length])"; ctl "$1" -j vsi list | jq -c ".[0]"; [ "$_n" = 200 ]; }
t_check "evbctl lists the 200 associated" is200 st
t_check "the bridge's table has the 200 associated" is200 br

# 6. a second evbd with the plugin beside the first is refused
conf_fast st2 station vsx
printf '[global]\nplugin-dir = %s\nplugins = lldpad-clif\n' "$PL" >>"$T_TMP/st2.conf"
mkdir -p "$T_TMP/st2"
"$EVBD" -n -v --state-dir "$T_TMP/st2/state" --pid-file "$T_TMP/st2/pid" -f "$T_TMP/st2.conf" >"$T_TMP/st2/log" 2>&1 &
S2=$!
T_PIDS="$T_PIDS $S2"
wait_until 5 grep -q "is taken in this network namespace" "$T_TMP/st2/log"
# evbd itself refuses (evbd/rival.c) before the plugin would
t_check "beside a running lldpad (here: evbd with the plugin) evbd refuses, with a sentence" logged st2 \
	"lldpad's control socket address @/com/intel/lldpad is taken in this network namespace"
kill $S2 2>/dev/null

t_done
