#!/bin/sh
# SPDX-License-Identifier: ISC
# test_schan.sh - the S-channels' 802.1ad devices (evbd/schan.h), under a
# kernel that has them (`make vm-check` runs it in the VM of run-in-vm.sh
# with Debian's kernel; schan-check.sh).  A station evbd and a bridge evbd
# on a veth pair; the station asks for 2 S-channels beyond the default one.
# Both list the same pairs with their devices, <if>.s<SVID>, which exist as
# 802.1ad VLAN devices and carry traffic between the two; a name that is
# taken is a sentence and a counter, the other channel keeps its device; the
# link going down and up takes the devices away and back; each S-channel is
# an EVB port of its own on both sides, and a VSI associated on each of the
# station's reaches the bridge's port of that S-channel only, and the
# linux-bridge plugin binds it on the S-channel's device; CDCP turned
# off and evbd stopping remove the devices and their ports.
. "$(dirname "$0")/../integration/lib.sh"

if ! ip link add probe type veth peer name probe1 ||
	! ip link add name probe.ad link probe type vlan protocol 802.1ad id 5; then
	echo "this kernel has no 802.1ad VLAN devices: run this test in the VM (make vm-check)"
	t_fail "802.1ad VLAN devices are available"
	t_done
	exit 1
fi
ip link del probe

conf_fast st station vst "cdcp = on
cdcp-channels = 2"
# the bridge binds its S-channels' VSIs with the linux-bridge plugin
PL=$T_TMP/plugins
mkdir -p "$PL"
ln -s "$T_BUILD/plugins/linux-bridge.so" "$PL/"
conf_fast br bridge vbr "cdcp = on
svid-pool = 100-101
cdcp-capacity = 8
[global]
plugin-dir = $PL
plugins = linux-bridge
[plugin linux-bridge]
state-file = $T_TMP/lb.state"

ns_new bridge
veth vst main vbr bridge 02:00:00:00:00:01 02:00:00:00:00:02
# a name taken before evbd starts: SVID 101's device cannot be made
ip link add vst.s101 type veth peer name squat

evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
evbd_start st main -f "$T_TMP/st.conf" || exit 1

WANT='[[1,1],[2,100],[3,101]]'
pairs() { ctl "$1" -j port show | jq -c '[.[0].cdcp.s_channels[] | [.scid, .svid]]'; }
pairs_are() { [ "$(pairs "$1")" = "$2" ]; }
# is_ad NS DEV SVID: DEV exists in NS as an 802.1ad VLAN device with VLAN ID SVID
is_ad() { ns_exec "$1" ip -d link show "$2" | grep -q "vlan protocol 802.1ad id $3 "; }
gone() { ! ns_exec "$1" ip link show "$2" >/dev/null 2>&1; }
# listed NAME SCID: evbctl lists SCID's device with the ifindex the kernel gave it
listed() {
	_want=$(ns_exec "$(eval echo \$NSOF_$1)" ip -j link show dev "$3" | jq '.[0].ifindex')
	[ "$(ctl "$1" -j port show | jq -c ".[0].cdcp.s_channels[] | select(.scid == $2) | [.device, .ifindex]")" = "[\"$3\",$_want]" ]
}
counter() { ctl "$1" -j port show | jq ".[0].cdcp.counters.$2"; }

# 1. the pairs, the devices, the taken name
t_check "station: S-channels (1,1) (2,100) (3,101)" wait_until 15 pairs_are st "$WANT"
t_check "bridge: the same S-channels" wait_until 15 pairs_are br "$WANT"
t_check "station: vst.s100 is an 802.1ad device with VLAN ID 100" is_ad main vst.s100 100
t_check "station: evbctl lists vst.s100 with its ifindex for SCID 2" listed st 2 vst.s100
t_check "bridge: vbr.s100 and vbr.s101 are 802.1ad devices with VLAN IDs 100 and 101" \
	sh -c "$(ns_prefix bridge) ip -d link show vbr.s100 | grep -q 'vlan protocol 802.1ad id 100 ' &&
		$(ns_prefix bridge) ip -d link show vbr.s101 | grep -q 'vlan protocol 802.1ad id 101 '"
t_check "bridge: evbctl lists vbr.s101 with its ifindex for SCID 3" listed br 3 vbr.s101
t_check "station: the taken name vst.s101 is a sentence" grep -q \
	"vst: cannot create vst.s101, the 802.1ad device of S-channel SCID 3 (SVID 101): File exists; the name is taken by another interface" \
	"$T_TMP/st/log"
t_check "station: cdcp.dev_err is 1, SCID 3 listed with ifindex 0" sh -c "
	[ \"\$(\"$EVBCTL\" -j port show | jq '.[0].cdcp.counters.dev_err')\" = 1 ] &&
	[ \"\$(\"$EVBCTL\" -j port show | jq -c '.[0].cdcp.s_channels[] | select(.scid == 3) | [.device, .ifindex]')\" = '[\"vst.s101\",0]' ]"
t_check "station: the interface that holds the name is left alone" \
	sh -c "ip -d link show vst.s101 | grep -q veth"
t_check "EVB is negotiated beside CDCP" \
	wait_until 10 sh -c "\"$EVBCTL\" -j port show | jq -e '.[0].negotiated.valid'"
ns_exec bridge ip addr add 10.9.100.2/24 dev vbr.s100
ip addr add 10.9.100.1/24 dev vst.s100
t_check "S-channel SVID 100 carries traffic between vst.s100 and vbr.s100" \
	wait_until 10 ping -c 1 -W 1 10.9.100.2

# 2. link down: the S-channels and their devices go; up: they come back,
# vst.s101 too now that its name is free
ip link del vst.s101
ip link set vst down
t_check "link down: the station keeps only the default S-channel" wait_until 10 pairs_are st '[[1,1]]'
t_check "link down: vst.s100 is deleted" wait_until 5 gone main vst.s100
t_check "link down: the bridge deletes vbr.s100 and vbr.s101" \
	wait_until 10 sh -c "! $(ns_prefix bridge) ip link show vbr.s100 && ! $(ns_prefix bridge) ip link show vbr.s101"
ip link set vst up
t_check "link up: the station gets the same pairs again" wait_until 15 pairs_are st "$WANT"
t_check "link up: vst.s100 and vst.s101 are 802.1ad devices" \
	wait_until 5 sh -c "ip -d link show vst.s100 | grep -q 'vlan protocol 802.1ad id 100 ' &&
		ip -d link show vst.s101 | grep -q 'vlan protocol 802.1ad id 101 '"
t_check "link up: evbctl lists vst.s101 with its ifindex" listed st 3 vst.s101
t_check "link up: the bridge's devices are back" wait_until 10 is_ad bridge vbr.s101 101
t_check "station: cdcp.dev_err is still 1" sh -c "[ \"\$(\"$EVBCTL\" -j port show | jq '.[0].cdcp.counters.dev_err')\" = 1 ]"

# 2b. EVB, ECP and VDP on each S-channel as a port of its own: the VSI
# associated on each of the station's S-channel ports reaches the bridge's
# port of the same S-channel, and no other
U=6d0f0000-0000-4000-8000-0000000001
port_ok() { ctl "$1" -j port show dev "$2" | jq -e '.[0].negotiated.valid and .[0].link == "up"'; }
ports_ok() { port_ok "$1" "$2" && port_ok "$1" "$3"; }
t_check "station: ports vst.s100 and vst.s101 negotiate EVB" wait_until 20 ports_ok st vst.s100 vst.s101
t_check "bridge: ports vbr.s100 and vbr.s101 negotiate EVB" wait_until 20 ports_ok br vbr.s100 vbr.s101
t_check "station: port vst.s101 says it is S-channel SCID 3 / SVID 101 of vst" sh -c "
	[ \"\$(\"$EVBCTL\" -j port show dev vst.s101 | jq -c '.[0].s_channel')\" = '{\"of\":\"vst\",\"scid\":3,\"svid\":101}' ]"
# with the linux-bridge plugin, the S-channel's device is the bridge port
# that gets the VSI's VLAN and FDB entry
ns_exec bridge ip link add br0 type bridge vlan_filtering 1
ns_exec bridge ip link set vbr.s100 master br0
ns_exec bridge ip link set br0 up
for c in 00:100 01:101; do
	t_check "station: associate VSI ${c%%:*} on vst.s${c#*:}" ctl st vsi associate dev "vst.s${c#*:}" \
		uuid "$U${c%%:*}" type 5 version 1 mac "52:54:00:00:01:${c%%:*}" vlan "${c#*:}" wait 20
done
vsis_are() { [ "$(ctl "$1" -j vsi list dev "$2" | jq -c '[.[] | "\(.vsiid) \(.state)"]')" = "$3" ]; }
t_check "bridge: vbr.s100 holds VSI 00 associated, and only it" \
	wait_until 10 vsis_are br vbr.s100 "[\"${U}00 associated\"]"
t_check "bridge: vbr.s101 holds VSI 01 associated, and only it" \
	wait_until 10 vsis_are br vbr.s101 "[\"${U}01 associated\"]"
t_check "bridge: linux-bridge binds VSI 00 on the S-channel's device vbr.s100 (FDB, VLAN 100)" \
	wait_until 10 sh -c "$(ns_prefix bridge) bridge fdb show dev vbr.s100 | grep -q '52:54:00:00:01:00 vlan 100 master br0 static' &&
		$(ns_prefix bridge) bridge vlan show dev vbr.s100 | grep -qw 100"
t_check "station: vst.s100 holds VSI 00 associated" vsis_are st vst.s100 "[\"${U}00 associated\"]"
t_check "the ports vst and vbr themselves hold no VSI" sh -c "
	[ \"\$(\"$EVBCTL\" -j vsi list dev vst | jq length)\" = 0 ] &&
	[ \"\$(nsenter -t $NS_bridge -n -- \"$EVBCTL\" -j vsi list dev vbr | jq length)\" = 0 ]"

# 3. CDCP off at the station (SIGHUP): its devices go, and the bridge's
conf_fast st station vst ""
kill -HUP "$PID_st"
t_check "cdcp off: the station deletes vst.s100 and vst.s101" \
	wait_until 5 sh -c "! ip link show vst.s100 && ! ip link show vst.s101"
t_check "cdcp off: the station's S-channel ports are gone" sh -c "
	[ \"\$(\"$EVBCTL\" -j port show | jq -c '[.[].dev]')\" = '[\"vst\"]' ]"
t_check "cdcp off: the bridge deletes vbr.s100 and vbr.s101" \
	wait_until 10 sh -c "! $(ns_prefix bridge) ip link show vbr.s100 && ! $(ns_prefix bridge) ip link show vbr.s101"
conf_fast st station vst "cdcp = on
cdcp-channels = 2"
kill -HUP "$PID_st"
t_check "cdcp on again: vst.s100 and vst.s101 are back" \
	wait_until 15 sh -c "is_ad() { ip -d link show \$1 | grep -q \"vlan protocol 802.1ad id \$2 \"; }
		is_ad vst.s100 100 && is_ad vst.s101 101"

# 4. evbd stops: its devices go with it
evbd_kill st
t_check "station evbd stopped: vst.s100 and vst.s101 are deleted" \
	sh -c "! ip link show vst.s100 && ! ip link show vst.s101"
t_check "the station's log says so" grep -q "vst: deleted vst.s101, the device of S-channel SCID 3" "$T_TMP/st/log"
t_check "bridge: its devices go when the station leaves" \
	wait_until 10 sh -c "! $(ns_prefix bridge) ip link show vbr.s100 && ! $(ns_prefix bridge) ip link show vbr.s101"
evbd_start st main -f "$T_TMP/st.conf" || exit 1
t_check "bridge: devices back when the station returns" wait_until 15 is_ad bridge vbr.s100 100
evbd_kill br
t_check "bridge evbd stopped: vbr.s100 and vbr.s101 are deleted" \
	sh -c "! $(ns_prefix bridge) ip link show vbr.s100 && ! $(ns_prefix bridge) ip link show vbr.s101"

# 5. the interface goes away with S-channels on it, and comes back: the
# S-channels, their devices and ports and the station's stored VSIs return
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
t_check "bridge back: its S-channel ports negotiate EVB" wait_until 20 ports_ok br vbr.s100 vbr.s101
t_check "bridge back: the station's S-channel ports too" wait_until 20 ports_ok st vst.s100 vst.s101
ip link del vst
t_check "interface gone: the station lists only its port vst, absent" wait_until 10 sh -c "
	[ \"\$(\"$EVBCTL\" -j port show | jq -c '[.[] | [.dev, .link]]')\" = '[[\"vst\",\"absent\"]]' ]"
t_check "interface gone: the S-channels went down with a sentence" \
	grep -q 'vst: S-channel SCID 2 with SVID 100 is down (CDCP)' "$T_TMP/st/log"
veth vst main vbr bridge 02:00:00:00:00:01 02:00:00:00:00:02
t_check "interface back: the S-channel ports negotiate EVB again" wait_until 20 ports_ok st vst.s100 vst.s101
t_check "interface back: vst.s100 has its stored VSI associated again" \
	wait_until 20 vsis_are st vst.s100 "[\"${U}00 associated\"]"

t_done
