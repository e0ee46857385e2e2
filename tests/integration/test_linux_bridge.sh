#!/bin/sh
# SPDX-License-Identifier: ISC
# test_linux_bridge.sh - the linux-bridge plugin binds VSIs into a Linux
# bridge: a bridge evbd (policy = database, the plugin loaded) whose port vbr
# is enslaved to br0 in the bridge namespace, with an uplink up0; a station
# evbd associates VSIs with explicit VIDs and with VID 0 (filled in by the
# type).  `bridge -j fdb show` and `bridge -j vlan show` must hold exactly the
# expected entries, then none of them after De-Associate and after a
# keep-alive timeout (the station killed); entries the plugin did not add
# are never touched; a restart (kill -9) reconciles (missing entries back,
# stale ones the plugin owned gone, also when their VLAN leaves the port
# before the plugin settles); hairpin follows reflective relay; the
# station's macvlan devices go to VEPA mode when RR is negotiated
# (macvlan-vepa = yes); a port SIGHUP removes from the configuration is
# unbound (its VSIs' entries and VLANs go, hairpin off; the probe plugin,
# loaded too, logs port_removed) and bound again when it is re-added; once
# br0 is set to vlan_filtering 0, a VSI gets an FDB entry without VLAN and
# no VLAN membership.
#
# RKA 16 (toutKeepAlive about 1 s): after the restart the bridge's restored
# VSIs must not time out before the station (just resumed) sends its first
# keep-alive, which takes longer than RKA 14 allows (270 ms) under emulation.
#
# On a kernel without CONFIG_BRIDGE_VLAN_FILTERING (br0 then cannot get
# vlan_filtering 1) the plugin binds MACs only: the FDB checks are made
# without VLANs and the VLAN membership and vlan_filtering 0 checks are
# skipped (said so).
. "$(dirname "$0")/lib.sh"

# The plugins, and the probe test plugin (it logs every hook), in one plugin-dir.
PL=$T_TMP/plugins
mkdir -p "$PL"
ln -s "$T_BUILD"/plugins/*.so "$T_BUILD/tests/plugins/probe.so" "$PL/"
ns_new bridge
veth vst main vbr bridge 02:00:00:00:00:01 02:00:00:00:00:02
B() { ns_exec bridge "$@"; }
B ip link add br0 type bridge
if B ip link set br0 type bridge vlan_filtering 1 2>/dev/null; then VF=1; else VF=0; fi
B ip link add up0 type veth peer name up1
for i in vbr up0; do B ip link set "$i" master br0; done
for i in br0 up0 up1; do B ip link set "$i" up; done
[ "$VF" = 1 ] || echo "# this kernel cannot filter VLANs on a bridge: VLAN checks are skipped"

# Entries that are not the plugin's: a VLAN and a static FDB entry on vbr.
if [ "$VF" = 1 ]; then
	B bridge vlan add vid 42 dev vbr
	B bridge fdb add 02:aa:00:00:00:01 dev vbr vlan 42 master static
else
	B bridge fdb add 02:aa:00:00:00:01 dev vbr master static
fi

cat >"$T_TMP/br.conf" <<EOC
[global]
policy = database
plugin-dir = $PL
plugins = linux-bridge, probe
[plugin linux-bridge]
state-file = $T_TMP/lb.state
uplinks = up0
[port vbr]
role = bridge
rr = yes
rte = 8
rwd = 15
rka = 16
lldp-interval = 1
EOC
st_conf() { # RR
	cat >"$T_TMP/st.conf" <<EOC
[global]
plugin-dir = $PL
plugins = linux-bridge, lldpad-nl
[plugin linux-bridge]
state-file = $T_TMP/lb-st.state
macvlan-vepa = yes
[plugin lldpad-nl]
pid-file = $T_TMP/lldpad.pid
[port vst]
role = station
rr = $1
rte = 8
rwd = 15
rka = 16
lldp-interval = 1
EOC
}
negotiated() { ctl "$1" -j port show | jq -e '.[0].negotiated.valid' >/dev/null; }
uuid() { printf '1b000000-0000-4000-8000-%012d' "$1"; }
assoc() { # N MAC VID
	ctl st vsi associate dev vst uuid "$(uuid "$1")" type 100 version 1 mac "$2" vlan "$3" wait
}
deassoc() { ctl st vsi deassociate dev vst uuid "$(uuid "$1")" wait; }

# fdb_is "MAC VID ..." : the static FDB entries of vbr, sorted (VID 0 = none).
fdb_now() {
	B bridge -j fdb show dev vbr |
		jq -r '.[] | select(.state == "static") | "\(.mac) \(.vlan // 0)"' | sort | tr '\n' ' '
}
fdb_is() {
	_fw=$(for e in "$@"; do echo "$e"; done | sort | tr '\n' ' ')
	[ "$(fdb_now)" = "$_fw" ] && return 0
	echo "fdb: '$(fdb_now)', wanted '$_fw'"
	return 1
}
# vlans_is DEV "VID ..." : the VLANs of DEV, sorted numerically.
vlans_now() {
	B bridge -j vlan show dev "$1" | jq -r '.[0].vlans // [] | .[].vlan' | sort -n | tr '\n' ' '
}
# (Its variables are not lib.sh's: t_check keeps its description in _d.)
vlans_is() {
	[ "$VF" = 1 ] || return 0
	_vd=$1
	shift
	_vw=$(for e in "$@"; do echo "$e"; done | sort -n | tr '\n' ' ')
	[ "$(vlans_now "$_vd")" = "$_vw" ] && return 0
	echo "vlans of $_vd: '$(vlans_now "$_vd")', wanted '$_vw'"
	return 1
}
vlans_both() { # "VIDS of vbr" "VIDS of up0"
	vlans_is vbr $1 && vlans_is up0 $2
}
# VLAN-aware expectations: V VID prints VID, or 0 without VLAN filtering.
V() { if [ "$VF" = 1 ]; then echo "$1"; else echo 0; fi; }
FOREIGN="02:aa:00:00:00:01 $(V 42)"
hairpin() { [ "$(B bridge -j -d link show dev vbr | jq -r '.[0].hairpin')" = "$1" ]; }

st_conf yes
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
evbd_start st main -f "$T_TMP/st.conf" || exit 1
wait_until 10 negotiated st
ctl br vsitype add 100 version 1 vlans 100-199,42 assign-vlan 150 formats vid,mac-vid >/dev/null

t_check "the plugin starts and names its uplink and state file" \
	grep -qF "linux-bridge: binding VSIs into Linux bridges; 1 uplink(s), state in $T_TMP/lb.state" \
	"$T_TMP/br/log"
t_check "loaded before lldpad-nl, it leaves it the netlink port id = pid" \
	grep -qF "lldpad-nl: serving libvirt on netlink port $PID_st," "$T_TMP/st/log"
t_check "hairpin is on while reflective relay is negotiated" wait_until 5 hairpin true

# ---- bind ----
t_check "associate A (VLAN 100)" assoc 1 52:54:00:00:00:01 100
t_check "associate B (VID 0: the type assigns 150)" assoc 2 52:54:00:00:00:02 0
t_check "associate C (VLAN 100 too)" assoc 3 52:54:00:00:00:03 100
t_check "associate D (VLAN 42, configured before)" assoc 4 52:54:00:00:00:04 42
t_check "associate E (VID only, no MAC)" \
	ctl st vsi associate dev vst uuid "$(uuid 5)" type 100 version 1 vlan 120 wait
t_check "fdb: one static entry per MAC/VID on vbr, and the foreign one" \
	fdb_is "52:54:00:00:00:01 $(V 100)" "52:54:00:00:00:02 $(V 150)" \
	"52:54:00:00:00:03 $(V 100)" "52:54:00:00:00:04 $(V 42)" "$FOREIGN"
t_check "vlans of vbr: 1 (default), 42 (configured), 100, 120, 150" vlans_is vbr 1 42 100 120 150
t_check "vlans of the uplink up0: 1, 42, 100, 120, 150" vlans_is up0 1 42 100 120 150
t_check "the state file lists what the plugin added (not the foreign entries)" wait_until 2 \
	sh -c "grep -c '^fdb vbr ' '$T_TMP/lb.state' | grep -qx 4 &&
	       ! grep -q '02:aa:00:00:00:01' '$T_TMP/lb.state'"

# ---- refusals and changes ----
refused() { # N MAC VID: the bridge refuses (evbctl exits 3)
	assoc "$@" >/dev/null 2>&1
	[ $? = 3 ]
}
t_check "a VSI on a VLAN its type does not allow is refused" refused 9 52:54:00:00:00:09 250
t_check "... and binds nothing" fdb_is "52:54:00:00:00:01 $(V 100)" "52:54:00:00:00:02 $(V 150)" \
	"52:54:00:00:00:03 $(V 100)" "52:54:00:00:00:04 $(V 42)" "$FOREIGN"
t_check "A asks to move to a VLAN not allowed: refused, its state kept" \
	refused 1 52:54:00:00:00:01 250
t_check "... and A's entry stays as it was" fdb_is "52:54:00:00:00:01 $(V 100)" \
	"52:54:00:00:00:02 $(V 150)" "52:54:00:00:00:03 $(V 100)" "52:54:00:00:00:04 $(V 42)" \
	"$FOREIGN"
t_check "B changes its MAC (re-associate, granted)" assoc 2 52:54:00:00:00:0b 0
t_check "... its entry moves to the new MAC" fdb_is "52:54:00:00:00:01 $(V 100)" \
	"52:54:00:00:00:0b $(V 150)" "52:54:00:00:00:03 $(V 100)" "52:54:00:00:00:04 $(V 42)" \
	"$FOREIGN"
t_check "B goes back to its first MAC" assoc 2 52:54:00:00:00:02 0

# ---- unbind ----
t_check "de-associate A" deassoc 1
t_check "A's FDB entry is gone" fdb_is "52:54:00:00:00:02 $(V 150)" "52:54:00:00:00:03 $(V 100)" \
	"52:54:00:00:00:04 $(V 42)" "$FOREIGN"
t_check "VLAN 100 stays on vbr and up0 while C holds it" \
	vlans_both "1 42 100 120 150" "1 42 100 120 150"
t_check "de-associate C" deassoc 3
t_check "de-associate E" deassoc 5
t_check "VLANs 100 and 120 are gone from vbr and up0" vlans_both "1 42 150" "1 42 150"
t_check "de-associate D" deassoc 4
t_check "D's entry gone; the foreign FDB entry and VLAN 42 on vbr stay" \
	fdb_is "52:54:00:00:00:02 $(V 150)" "$FOREIGN"
t_check "vlans: 42 stays on vbr (configured before), goes from up0 (the plugin's)" \
	vlans_both "1 42 150" "1 150"

# ---- keep-alive timeout ----
t_check "associate F (VLAN 160)" assoc 6 52:54:00:00:00:06 160
evbd_kill st KILL
rm -rf "$T_TMP/st/state" # the station restarts without VSIs to restore
t_check "station killed: the bridge ends its VSIs (keep-alive timeout)" \
	wait_until 15 sh -c "[ \"\$($(ns_prefix bridge) \"$EVBCTL\" -j vsi list | jq length)\" = 0 ]"
t_check "... and none of their entries is left, the foreign one is" fdb_is "$FOREIGN"
t_check "... nor their VLANs" vlans_both "1 42" "1"
t_check "hairpin off once EVB is lost" wait_until 10 hairpin false

# ---- station without RR: hairpin stays off; with RR, macvlans go VEPA ----
st_conf no
ip link add mv0 link vst type macvlan mode bridge
evbd_start st main -f "$T_TMP/st.conf" || exit 1
wait_until 10 negotiated st
t_check "RR not requested: negotiated without RR, hairpin stays off" \
	sh -c "sleep 1.5; $(ns_prefix bridge) bridge -j -d link show dev vbr | jq -e '.[0].hairpin == false'"
t_check "... and the station's macvlan stays in bridge mode" \
	sh -c "ip -d -j link show mv0 | jq -e '.[0].linkinfo.info_data.mode == \"bridge\"'"
evbd_kill st TERM
st_conf yes
evbd_start st main -f "$T_TMP/st.conf" || exit 1
wait_until 10 negotiated st
t_check "RR requested again: hairpin on" wait_until 10 hairpin true
t_check "the station's macvlan is switched to VEPA mode" wait_until 5 \
	sh -c "ip -d -j link show mv0 | jq -e '.[0].linkinfo.info_data.mode == \"vepa\"'"
t_check "... and the station logs it" grep -qF \
	"linux-bridge: vst: 1 macvlan/macvtap device(s) set to VEPA mode" "$T_TMP/st/log"

# ---- restart reconciliation ----
t_check "associate G (VLAN 170)" assoc 7 52:54:00:00:00:07 170
t_check "associate H (VID 0)" assoc 8 52:54:00:00:00:08 0
t_check "G and H bound" fdb_is "52:54:00:00:00:07 $(V 170)" "52:54:00:00:00:08 $(V 150)" "$FOREIGN"
sleep 0.3 # the state file is written within 100 ms
# The station is frozen while the bridge is down: its keep-alives would
# otherwise run out of retries and end the VSIs (not what is tested here).
kill -STOP "$PID_st"
evbd_kill br KILL
# While evbd is down: G's entry vanishes, and an entry the plugin had added
# for a VSI that no longer exists (as if it ended just before the crash) is
# left in the bridge and named in the state file.
B bridge fdb del 52:54:00:00:00:07 dev vbr $([ "$VF" = 1 ] && echo vlan 170) master
B bridge fdb add 52:54:00:00:00:09 dev vbr $([ "$VF" = 1 ] && echo vlan 150) master static
echo "fdb vbr 52:54:00:00:00:09 $(V 150)" >>"$T_TMP/lb.state"
if [ "$VF" = 1 ]; then
	B bridge vlan add vid 180 dev vbr
	echo "vlan vbr 180" >>"$T_TMP/lb.state"
fi
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
kill -CONT "$PID_st"
t_check "restart: the bridge reconciles (logs what it removed)" wait_until 10 grep -qF \
	"linux-bridge: reconciled: 2 VSIs bound, 2 FDB entries held; removed 1 stale FDB entries and $VF stale VLANs" \
	"$T_TMP/br/log"
t_check "G's missing entry is back, the stale one gone, the foreign one kept" \
	fdb_is "52:54:00:00:00:07 $(V 170)" "52:54:00:00:00:08 $(V 150)" "$FOREIGN"
t_check "vlans after the restart: 180 (stale) gone" vlans_is vbr 1 42 150 170
t_check "the station's VSIs stay associated" \
	sh -c "sleep 1; [ \"\$(\"$EVBCTL\" -j vsi list | jq '[.[] | select(.state == \"associated\")] | length')\" = 2 ]"
t_check "de-associate G" deassoc 7
t_check "de-associate H" deassoc 8
t_check "fdb: only the foreign entry is left" fdb_is "$FOREIGN"
t_check "vlans: only the default and the configured one" vlans_both "1 42" "1"

# ---- restart: a stale entry whose VLAN goes before the plugin settles ----
# J holds VLAN 190 (the plugin's); while the bridge is down, a stale entry on
# VLAN 190 is added (and named in the state file).  Right after the restart
# J ends (its type deleted with `deassociate`), well before the settling
# (3 s): VLAN 190 leaves vbr, and the stale entry must go before it (the
# kernel refuses to remove an entry whose VLAN the port no longer has).
ctl br vsitype add 101 version 1 vlans 190 formats mac-vid >/dev/null
t_check "associate J (VLAN 190, type 101)" \
	ctl st vsi associate dev vst uuid "$(uuid 10)" type 101 version 1 mac 52:54:00:00:00:10 \
	vlan 190 wait
sleep 0.3 # the state file is written within 100 ms
kill -STOP "$PID_st"
evbd_kill br KILL
B bridge fdb add 52:54:00:00:00:11 dev vbr $([ "$VF" = 1 ] && echo vlan 190) master static
echo "fdb vbr 52:54:00:00:00:11 $(V 190)" >>"$T_TMP/lb.state"
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
t_check "restart; J ends at once (its type deleted)" ctl br vsitype del 101 version 1 deassociate
kill -CONT "$PID_st"
t_check "... before the plugin settles, which removes the stale entry" wait_until 10 grep -qF \
	"linux-bridge: reconciled: 0 VSIs bound, 0 FDB entries held; removed 1 stale FDB entries and 0 stale VLANs" \
	"$T_TMP/br/log"
t_check "fdb: J's and the stale entry are gone, only the foreign one is left" fdb_is "$FOREIGN"
t_check "vlans: 190 is gone too" vlans_both "1 42" "1"
t_check "the state file names nothing any more" wait_until 2 \
	sh -c "! grep -q '^fdb\|^vlan' '$T_TMP/lb.state'"

# ---- a port removed from the configuration (SIGHUP), then added again ----
# The plugins hear of it (probe: port_removed, no longer found by name); the
# linux-bridge plugin leaves br0 as it found it: L's FDB entry and VLAN go,
# hairpin goes off.  evbd serves on (the spare port); configured again, vbr
# gets L back from the state database and the plugin binds it again.
t_check "associate L (VLAN 100)" assoc 12 52:54:00:00:00:13 100
l_bound() { fdb_is "52:54:00:00:00:13 $(V 100)" "$FOREIGN" && vlans_both "1 42 100" "1 100"; }
t_check "L bound: its FDB entry, VLAN 100 on vbr and up0" l_bound
served() { ctl br port show dev "$1" >/dev/null 2>&1; }
gone() { ! served "$1"; }
l_unbound() { fdb_is "$FOREIGN" && vlans_both "1 42" "1"; }
logged_br() { grep -qF -- "$1" "$T_TMP/br/log"; }
cp "$T_TMP/br.conf" "$T_TMP/br-full.conf"
sed '/^\[port vbr\]/,$d' "$T_TMP/br-full.conf" >"$T_TMP/br.conf"
printf '[port vspare]\nrole = bridge\n' >>"$T_TMP/br.conf"
kill -HUP "$PID_br"
t_check "SIGHUP without [port vbr]: vbr is no longer served" wait_until 5 gone vbr
t_check "the probe plugin is told (port_removed), while its VSI is still listed" \
	logged_br "probe: port vbr removed, found by name no, 1 VSIs in table"
t_check "linux-bridge removes L's FDB entry and VLAN 100 (vbr, up0), not the foreign ones" \
	l_unbound
t_check "... hairpin goes off" hairpin false
t_check "... and says so" logged_br \
	"linux-bridge: vbr: no longer a port of evbd: the FDB entries and VLANs bound for its VSIs are removed, hairpin off"
t_check "... the state file names nothing" wait_until 2 \
	sh -c "! grep -q '^fdb\|^vlan' '$T_TMP/lb.state'"
t_check "evbd runs on and answers" sh -c "kill -0 $PID_br && $(ns_prefix bridge) \"$EVBCTL\" port show dev vspare"
# Longer than the station's keep-alive retries (RKA 16: 3 x 0.65 s): the
# station keeps L only because vbr said TTL 0 as it stopped.
sleep 3
cp "$T_TMP/br-full.conf" "$T_TMP/br.conf"
kill -HUP "$PID_br"
t_check "SIGHUP with [port vbr] again: vbr is served" wait_until 5 served vbr
wait_until 10 negotiated st
t_check "... L is back from the state database and bound again" wait_until 10 l_bound
t_check "... and hairpin on again (reflective relay)" wait_until 10 hairpin true
t_check "... and stays associated" sh -c "sleep 1.5; [ \"\$($(ns_prefix bridge) \"$EVBCTL\" -j vsi list dev vbr | jq -r '.[0].state')\" = associated ]"
t_check "de-associate L" deassoc 12
t_check "L's entry and VLAN go again" l_unbound

# ---- a bridge that does not filter VLANs (vlan_filtering 0) ----
# It forwards on VID 0, so a VSI's static entry must have no VLAN, and no VLAN
# is added (the old code added VLAN 100 and the entry on VLAN 100).  The plugin reads vlan_filtering again when a port changes: vbr's
# link goes down and up.
NOVF="linux-bridge: bridge br0 does not filter VLANs (vlan_filtering 0): binding MAC addresses without VLANs; set vlan_filtering 1 to bind VLANs too"
if [ "$VF" = 1 ]; then
	B ip link set br0 type bridge vlan_filtering 0
	B ip link set vbr down
	sleep 0.5 # both evbds see the link go down (EVB lost)
	B ip link set vbr up
	wait_until 10 negotiated st
	t_check "vlan_filtering 0: associate K (VLAN 100)" assoc 11 52:54:00:00:00:12 100
	# (The kernel copies an entry without VLAN onto each VLAN of the port.)
	t_check "... its static entry has no VLAN (copied onto vbr's VLANs 1, 42), none on 100" \
		fdb_is "52:54:00:00:00:12 0" "52:54:00:00:00:12 1" "52:54:00:00:00:12 42" "$FOREIGN"
	t_check "... no VLAN is added to vbr nor up0" vlans_both "1 42" "1"
	t_check "... the state file names the entry with VID 0" wait_until 2 \
		grep -qx "fdb vbr 52:54:00:00:00:12 0" "$T_TMP/lb.state"
	t_check "... the plugin says why, once for br0" \
		sh -c "[ \"\$(grep -cF '$NOVF' '$T_TMP/br/log')\" = 1 ]"
	t_check "de-associate K" deassoc 11
	t_check "... its entry goes, the foreign one stays" fdb_is "$FOREIGN"
else
	echo "# this kernel has no bridge VLAN filtering: the vlan_filtering 0 checks are skipped"
fi
t_check "no netlink errors were logged" sh -c "! grep -q 'linux-bridge: .* failed' '$T_TMP/br/log'"
# ---- configuration errors ----
ns_new other
printf '[global]\nplugin-dir = %s\nplugins = linux-bridge\n[plugin linux-bridge]\nstate-file = rel\nbogus = 1\n' \
	"$PL" >"$T_TMP/bad.conf"
evbd_start bad other -f "$T_TMP/bad.conf" --bridge lo || exit 1
t_check "an unknown key is refused with its line" grep -qF \
	"linux-bridge: unknown key 'bogus' at line 6 of [plugin linux-bridge]; the keys are state-file, uplinks, macvlan-vepa, enforce and keep-locked." \
	"$T_TMP/bad/log"
t_check "... and the plugin does not start" grep -qF "plugin linux-bridge failed to start" "$T_TMP/bad/log"
t_done
