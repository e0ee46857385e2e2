#!/bin/sh
# SPDX-License-Identifier: ISC
# test_libvirt.sh - the lldpad-nl plugin against a libvirt-format client
# (build/tools/lvclient, byte for byte what libvirt sends, polling every
# 125 ms for up to 10 s): a station evbd with the plugin and a bridge evbd on
# a veth pair.  Associate / preassociate / disassociate, the poll reply before
# and after the bridge answers, lldpad's errors (unknown interface, bridge-role
# port, busy VSI, malformed and truncated messages) with evbd surviving, a
# bridge-initiated end reaching the client's event socket, the pid file held
# by a live process, a port removed by SIGHUP (forgotten, polls get ENODEV),
# a poll reply listing 1,000 VSIs, and migration between
# two station evbds and one bridge with the switch-over time printed.
#
# The pid file lives on a tmpfs mounted on /run inside the test's private
# mount namespace (lib.sh): the host's /var/run is never touched.
. "$(dirname "$0")/lib.sh"

mount -t tmpfs lvtest /run || { echo "cannot mount a private /run"; exit 1; }
[ "$(stat -f -c %T /var/run/)" = tmpfs ] || { echo "/var/run is not the private tmpfs"; exit 1; }
touch /run/.lvtest-private

LV=$T_BUILD/tools/lvclient
PL=$T_BUILD/plugins
U1=6d0f0000-0000-4000-8000-000000000001
U2=6d0f0000-0000-4000-8000-000000000002
U3=6d0f0000-0000-4000-8000-000000000003
U4=6d0f0000-0000-4000-8000-000000000004
# RWD and RKA 16 (keep-alives every 655 ms): with 14 (164 ms), 1,000 VSIs'
# keep-alives under the sanitizer build on a loaded machine timed some out.
conf() { # FILE ROLE IF [PLUGIN-PIDFILE] -- port section (+ plugin when a pid file is given)
	{
		if [ -n "${4:-}" ]; then
			printf '[global]\nplugin-dir = %s\nplugins = lldpad-nl\n' "$PL"
			[ "$4" = default ] || printf '[plugin lldpad-nl]\npid-file = %s\n' "$4"
		fi
		printf '[port %s]\nrole = %s\nr = 3\nrte = 8\nrwd = 16\nrka = 16\nlldp-interval = 1\n' "$3" "$2"
	} >"$T_TMP/$1"
}
negotiated() { ctl "$1" -j port show dev "$2" | jq -e '.[0].negotiated.valid == true'; }
logged() { grep -qF -- "$2" "$T_TMP/$1/log"; }
# lv NAME OUT ARGS...: lvclient in evbd NAME's namespace, output to $T_TMP/OUT
lv() {
	_n=$1 _o=$2
	shift 2
	eval "ns_exec \$NSOF_$_n \"\$LV\" \"\$@\"" >"$T_TMP/$_o" 2>&1
}
out_has() { grep -qF -- "$2" "$T_TMP/$1"; }
br_state() { # BRIDGE-EVBD UUID -> state on the bridge ("" when absent), per port
	ctl "$1" -j vsi list | jq -r --arg u "$2" '[.[] | select(.vsiid == $u) | "\(.dev)=\(.state)"] | sort | join(",")'
}
br_is() { [ "$(br_state "$1" "$2")" = "$3" ]; }

ns_new bridge
ns_new other
veth vst main vbr bridge 02:00:00:00:00:01 02:00:00:00:00:02
veth vbx main vby other 02:00:00:00:00:03 02:00:00:00:00:04 # a bridge-role port of the station evbd
veth vsx main vsy other 02:00:00:00:00:05 02:00:00:00:00:06 # a station port with no bridge
conf br.conf bridge vbr
conf st.conf station vst default
printf '[port vbx]\nrole = bridge\n[port vsx]\nrole = station\n' >>"$T_TMP/st.conf"
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
evbd_start st main -f "$T_TMP/st.conf" || exit 1

# 1. start: netlink port id = pid, in lldpad's pid file
t_check "plugin serves libvirt on netlink port = evbd's pid, pid file /var/run/lldpad.pid" \
	wait_until 3 logged st "lldpad-nl: serving libvirt on netlink port $PID_st, pid file /var/run/lldpad.pid"
t_check "the pid file holds evbd's pid" sh -c "[ \"\$(cat /var/run/lldpad.pid)\" = $PID_st ]"
t_check "station negotiated EVB" wait_until 10 negotiated st vst
t_check "bridge negotiated EVB" wait_until 10 negotiated br vbr
sleep 1 # both sides run on the negotiated timers (docs/protocol.md, lldpad quirk 15)

# 2. associate, exactly as libvirt
lv st a1 -m 52:54:00:00:00:01 -v 0 associate vst $U1
t_check "associate: accepted, then success (RESPONSE 0) within 10 s" out_has a1 "result: success, response 0"
t_check "bridge holds the VSI associated" wait_until 3 br_is br $U1 "vbr=associated"
t_check "station: manager ID octet 0, type ID 0x123456 (LSB-first struct), version 1, MAC/VID filter" sh -c \
	"\"$EVBCTL\" -j vsi list dev vst | jq -e '.[] | select(.vsiid == \"$U1\") | .type_id == 1193046 and .type_version == 1 and .filters[0].mac == \"52:54:00:00:00:01\" and .filters[0].vid == 0'"
lv st a2 -N -m 52:54:00:00:00:02 -v 7 -q 13 -M 9 associate vst $U2
t_check "associate with NLA_F_NESTED set on the nests, VLAN 7, qos 13 (PS+PCP 5)" out_has a2 "result: success, response 0"
t_check "station: manager ID 9 in octet 0, PCP 5, VID 7" sh -c \
	"\"$EVBCTL\" -j vsi list dev vst | jq -e '.[] | select(.vsiid == \"$U2\") | .filters[0].vid == 7 and .filters[0].pcp == 5 and .mgrid == \"9\"'"
lv st d2 disassociate vst $U2
t_check "disassociate: success" out_has d2 "result: success, response 0"
t_check "bridge released it" wait_until 3 br_is br $U2 ""
lv st p3 -m 52:54:00:00:00:03 preassociate vst $U3
t_check "preassociate: success" out_has p3 "result: success, response 0"
t_check "bridge holds it preassociated" wait_until 3 br_is br $U3 "vbr=preassociated"

# 2b. libvirt 9.0 giving up before it sends (docs/libvirt.md): its macvtap
# appears on the station port and goes again with no request; evbd says what
# that means.  A device whose port got a request, or on a bridge-role port,
# is no such trace (the last hint, logged after them, shows none came).
ip link add mvfault link vst type macvlan mode vepa && ip link del mvfault
t_check "a macvlan created and removed on a station port with no request: a hint names libvirt's two faults" \
	wait_until 3 logged st "vst: mvfault was created on this port and removed"
t_check "... restart libvirtd, or no veth as source device" sh -c \
	"grep -F 'mvfault was created' \"$T_TMP/st/log\" | grep -q 'restart libvirtd.*veth'"
ip link add mvasked link vst type macvlan mode vepa
lv st e0 disassociate vst $U4
ip link del mvasked
ip link add mvbridge link vbx type macvlan mode vepa && ip link del mvbridge
ip link add mvlast link vst type macvlan mode vepa && ip link del mvlast
hint_for() { logged st "$1 was created on this port"; }
no_false_hint() { wait_until 3 hint_for mvlast && ! hint_for mvasked && ! hint_for mvbridge; }
t_check "no hint for a device whose port got a request, nor on a bridge-role port" no_false_hint

# 3. lldpad's errors
lv st e1 associate nosuch0 $U4
t_check "unknown interface: ENODEV (-19)" out_has e1 "setlink: error -19"
lv st e2 associate lo $U4
t_check "interface evbd does not manage: ENODEV (-19)" out_has e2 "setlink: error -19"
lv st e3 associate vbx $U4
t_check "bridge-role port: EOPNOTSUPP (-95)" out_has e3 "setlink: error -95"
lv st e4 disassociate vst $U4
t_check "disassociate of an unknown VSI: EINVAL (-22)" out_has e4 "setlink: error -22"
lv st e5 -t 600 associate vsx $U4
t_check "no bridge: polls list the VSI without RESPONSE until libvirt gives up" out_has e5 \
	"result: FAILED, port-profile setlink timed out"
lv st e6 preassociate vsx $U4
t_check "another command while one is pending: EBUSY (-16)" out_has e6 "setlink: error -16"
lv st e7 -t 300 associate vsx $U4
t_check "the same command while pending is accepted (not re-sent)" out_has e7 "setlink: accepted"
lv st e8 -t 300 disassociate vsx $U4
t_check "a De-Associate while pending goes through" out_has e8 "setlink: accepted"
mal() { # CASE EXPECTED-LINE
	lv st "m-$1" malformed "$1" vst $U4
	t_check "malformed ($1): $2" out_has "m-$1" "$2"
}
mal truncated "answer: error -22 (request header echoed)"
mal len-too-big "answer: error -22 (request header echoed)"
mal no-ifinfomsg "answer: error -22 (request header echoed)"
mal mac-35 "answer: error -22 (request header echoed)"
mal attr-overrun "answer: error -22 (request header echoed)"
mal vsi-type-7 "answer: error -22 (request header echoed)"
mal request-9 "answer: error -22 (request header echoed)"
mal zero-uuid "answer: error -22 (request header echoed)"
mal junk-after "answer: error -22 (request header echoed)"
mal no-vf-ports "answer: error -22 (request header echoed)"
mal unknown-type "answer: error -95 (request header echoed)"
mal short-header "answer: none"
mal no-request-flag "answer: none"
t_check "evbd survived every malformed message" ctl st port show
lv st a4 -m 52:54:00:00:00:04 associate vst $U4
t_check "... and still associates" out_has a4 "result: success, response 0"

# 3b. a port SIGHUP removes from the configuration: the plugin forgets what
#     libvirt asked for on it, and libvirt's polls get what a port evbd does
#     not serve gets (ENODEV); the other port is served on
sed '/^\[port vsx\]/,$d' "$T_TMP/st.conf" >"$T_TMP/st-novsx.conf"
cp "$T_TMP/st-novsx.conf" "$T_TMP/st.conf"
kill -HUP "$PID_st"
t_check "SIGHUP without [port vsx]: lldpad-nl forgets the VSI libvirt asked for on it" \
	wait_until 5 logged st "lldpad-nl: vsx: no longer a port of evbd: forgot the 1 VSI(s) libvirt asked for on it"
lv st e9 poll vsx
t_check "... a poll on it then gets ENODEV (-19)" out_has e9 "poll answered with error -19"
lv st p4 poll vst
t_check "... and vst is polled as before" out_has p4 "poll: "

# 4. the poll reply lists every VSI (lldpad stops at ~92 in 4 KiB)
awk 'BEGIN { for (i = 1; i <= 1000; i++) printf "vsi associate dev vst uuid 7e000000-0000-4000-8000-%012x type 5 version 1 mac 52:54:01:00:%02x:%02x vlan 5\n", i, int(i/256), i%256 }' >"$T_TMP/many.txt"
t_check "1,000 more VSIs associated through evbctl" ctl st -b "$T_TMP/many.txt"
# (counted with port show: listing 1,000 VSIs ten times a second delays keep-alives)
t_check "... all associated" wait_until 20 sh -c "[ \"\$(\"$EVBCTL\" -j port show dev vst | jq '.[0].vsis.associated')\" -ge 1002 ]"

lv st poll1 poll vst
t_check "a poll reply lists all 1,003 VSIs of the port (40,156 octets)" out_has poll1 "poll: 40156 octets, 1003 VSI(s)"
lv st a5 -m 52:54:00:00:00:05 associate vst $U2
t_check "libvirt still finds its VSI among 1,005" out_has a5 "result: success, response 0 (0x0)"

# 5. the bridge ends an associated VSI (here: it dies; the station's
#    keep-alives fail) -> unsolicited RTM_SETLINK to the event socket
lv st ev1 -m 52:54:00:00:00:01 -L 15 associate vst $U1 &
LVPID=$!
sleep 1
evbd_kill br KILL
wait $LVPID
t_check "the de-associate reaches libvirt's event socket: from evbd's pid, our MAC, VF_MAC 36, VF_VLAN 12, REQUEST u8 3, UUID, VF -1" \
	out_has ev1 "event: de-associate from pid $PID_st: ok"
t_check "evbd logged the notification" logged st "the bridge ended VSI 6d0f0000-...; telling netlink port"
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1

# 6. the pid file is refused while a live process holds it
ns_new st2
veth vs2 st2 vb2 other 02:00:00:00:01:01 02:00:00:00:01:02
conf st2.conf station vs2 default
evbd_start st2 st2 -f "$T_TMP/st2.conf" || exit 1
t_check "a second evbd refuses the pid file held by the first, naming it" logged st2 \
	"lldpad-nl: the pid file /var/run/lldpad.pid is held by running process $PID_st (lldpad or another evbd)"
t_check "... skips the plugin and runs on" logged st2 "plugin lldpad-nl failed to start (Device or resource busy); evbd runs without it."
t_check "... and the first keeps its pid file" sh -c "[ \"\$(cat /var/run/lldpad.pid)\" = $PID_st ]"
evbd_kill st2
sleep 100 &
FAKE=$!
T_PIDS="$T_PIDS $FAKE"
echo $FAKE >/run/fake-lldpad.pid
conf st2.conf station vs2 /run/fake-lldpad.pid
evbd_start st2 st2 -f "$T_TMP/st2.conf" || exit 1
t_check "a pid file naming another live process (lldpad) is refused too" logged st2 \
	"lldpad-nl: the pid file /run/fake-lldpad.pid is held by running process $FAKE"
evbd_kill st2
kill $FAKE
wait $FAKE 2>/dev/null
echo 999999 >/run/fake-lldpad.pid
: >"$T_TMP/st2/log"
evbd_start st2 st2 -f "$T_TMP/st2.conf" || exit 1
t_check "a stale pid file (dead process) is taken over" wait_until 3 logged st2 \
	"lldpad-nl: serving libvirt on netlink port $PID_st2, pid file /run/fake-lldpad.pid"
evbd_kill st2
t_check "the pid file is removed when evbd stops" sh -c "[ ! -e /run/fake-lldpad.pid ]"

# 7. migration: source station A and target station B (own namespaces, own
#    pid files), one bridge evbd with a port towards each
ns_new ma
ns_new mb
ns_new mbr
veth vma ma vbA mbr 02:00:00:00:02:01 02:00:00:00:02:02
veth vmb mb vbB mbr 02:00:00:00:02:03 02:00:00:00:02:04
conf mbr.conf bridge vbA
printf '[port vbB]\nrole = bridge\nr = 3\nrte = 8\nrwd = 16\nrka = 16\nlldp-interval = 1\n' >>"$T_TMP/mbr.conf"
mkdir -p /run/ma /run/mb
conf ma.conf station vma /run/ma/lldpad.pid
conf mb.conf station vmb /run/mb/lldpad.pid
evbd_start mbr mbr -f "$T_TMP/mbr.conf" || exit 1
evbd_start ma ma -f "$T_TMP/ma.conf" || exit 1
evbd_start mb mb -f "$T_TMP/mb.conf" || exit 1
wait_until 10 negotiated ma vma
wait_until 10 negotiated mb vmb
UM=5e000000-0000-4000-8000-00000000000
ms() { echo $(($(date +%s%N) / 1000000)); }
migrate() { # N POLL_MS: one VM (UUID ${UM}N) started on A, migrated to B
	_u=$UM$1
	lv ma "mig$1-a" -p /run/ma/lldpad.pid -i "$2" -m 52:54:00:aa:00:0$1 associate vma $_u || return 1
	br_is mbr $_u "vbA=associated" || return 1
	lv mb "mig$1-p" -p /run/mb/lldpad.pid -i "$2" -m 52:54:00:aa:00:0$1 preassociate vmb $_u || return 1
	br_is mbr $_u "vbA=associated,vbB=preassociated" || return 1
	_t0=$(ms)
	lv mb "mig$1-b" -p /run/mb/lldpad.pid -i "$2" -m 52:54:00:aa:00:0$1 associate vmb $_u || return 1
	_t1=$(ms)
	_both=$(br_state mbr $_u)
	lv ma "mig$1-d" -p /run/ma/lldpad.pid -i "$2" -m 52:54:00:aa:00:0$1 disassociate vma $_u || return 1
	_t2=$(ms)
	[ "$_both" = "vbA=associated,vbB=associated" ] || return 1
	br_is mbr $_u "vbB=associated" || return 1
	echo "$1 $2 $((_t1 - _t0)) $((_t2 - _t1)) $((_t2 - _t0))" >>"$T_TMP/migration"
}
mig_ok=0
for n in 1 2 3 4 5; do migrate $n 125 && mig_ok=$((mig_ok + 1)); done
t_check "migration x5 with libvirt's 125 ms polling: PREASSOCIATE on B, ASSOCIATE on B, DISASSOCIATE on A; the bridge holds the VSI on A, then on both, then on B only" [ $mig_ok = 5 ]
mig_ok=0
for n in 6 7 8 9; do migrate $n 1 && mig_ok=$((mig_ok + 1)); done
t_check "migration x4 with 1 ms polling (protocol time)" [ $mig_ok = 4 ]
for p in 125 1; do
	awk -v p=$p '$2 == p { print $5 }' "$T_TMP/migration" | sort -n >"$T_TMP/mig.$p"
	awk -v p=$p '$2 == p { n++; a += $3; d += $4 }
		END { if (n) printf "     switch-over with %d ms polling (%d runs): ASSOCIATE on target %.0f ms + DISASSOCIATE on source %.0f ms on average", p, n, a / n, d / n }' "$T_TMP/migration"
	awk '{ t[NR] = $1 } END { if (NR) printf "; total min %d / median %d / max %d ms\n", t[1], t[int((NR + 1) / 2)], t[NR] }' "$T_TMP/mig.$p"
done
t_check "the host's pid file was never used: the private /run is still ours" test -e /run/.lvtest-private
t_done
