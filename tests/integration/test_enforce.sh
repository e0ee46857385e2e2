#!/bin/sh
# SPDX-License-Identifier: ISC
# test_enforce.sh - the linux-bridge plugin enforces associations in the
# dataplane (enforce = vbr1, vbr2), checked with real frames:
#
#   ns vmN (N = 1..4): macvlan mN (VEPA) on the station port vst1, a "VM"
#        with MAC 52:54:00:00:00:0N and 10.0.0.N
#   main: the station evbd on vst1 and vst2
#   ns bridge: br0 with vbr1, vbr2 (veths to vst1, vst2; evbd's bridge
#        ports, locked by the plugin) and hb (veth to the host, not locked)
#   ns host: hh 10.0.0.254, the machine the VMs ping
#
# Neighbours are static everywhere (no ARP): what is counted is the echo
# requests that reach the host (its Icmp InEchos) and the replies that come
# back.  An associated VM gets through; one never associated, one refused
# (its type does not allow the VLAN), one pre-associated do not; traffic
# stops after De-Associate and after a keep-alive timeout (station killed)
# and resumes after re-associate (the times are printed, bounds are only
# generous ones); a VSI migrating from vst1 to vst2 takes the right to send
# with it; LLDP and ECP keep working on the locked port; the port's flags
# are put back when evbd stops, kept with keep-locked = yes, and put back at
# the next start's settling when enforcement is no longer configured.
#
# Under bridge VLAN filtering (the VM of `make vm-check`) each VM sends on
# VLAN 100 (a VLAN device on its macvlan) and also on VLAN 101, which the
# port has too (configured by hand) but no VSI holds: only VLAN 100 passes.
. "$(dirname "$0")/lib.sh"

PL=$T_TMP/plugins
mkdir -p "$PL"
ln -s "$T_BUILD"/plugins/*.so "$PL/"
ns_new bridge
ns_new host
B() { ns_exec bridge "$@"; }
H() { ns_exec host "$@"; }
veth vst1 main vbr1 bridge 02:00:00:00:01:01 02:00:00:00:01:02
veth vst2 main vbr2 bridge 02:00:00:00:02:01 02:00:00:00:02:02
veth hh host hb bridge 02:00:00:00:00:fe 02:00:00:00:00:fd
B ip link add br0 type bridge
if B ip link set br0 type bridge vlan_filtering 1 2>/dev/null; then VF=1; else VF=0; fi
for i in vbr1 vbr2 hb; do B ip link set "$i" master br0; done
B ip link set br0 up
[ "$VF" = 1 ] || echo "# this kernel cannot filter VLANs on a bridge: the VLAN checks are skipped"
HOST=10.0.0.254
mac() { printf '52:54:00:00:00:%02x' "$1"; }
ipof() { echo "10.0.0.$1"; }
if [ "$VF" = 1 ]; then
	# The host is on VLANs 100 and 101 (untagged on hh, one VLAN device each).
	B bridge vlan add vid 100 dev hb
	B bridge vlan add vid 101 dev hb
	B bridge vlan add vid 101 dev vbr1 # the port has it, no VSI holds it
	H ip link add link hh name hh.100 type vlan id 100
	H ip link add link hh name hh.101 type vlan id 101
	H ip addr add "$HOST/24" dev hh.100
	H ip addr add 10.1.1.254/24 dev hh.101
	H ip link set hh.100 up
	H ip link set hh.101 up
	HIF=hh.100
else
	H ip addr add "$HOST/24" dev hh
	HIF=hh
fi

# vm N [LOWER [M]]: namespace vmN with a VEPA macvlan on LOWER (vst1)
# holding VM N's MAC (VM M's if given) and VM N's address (on VLAN 100, and VLAN 101 too, under filtering);
# the host knows it statically.  Again for an existing vmN: the old
# interface goes first (a VM moved to another port).
vm() {
	eval "_h=\${NS_vm$1:-}"
	[ -n "$_h" ] || ns_new "vm$1"
	ns_exec "vm$1" ip link del "m$1" 2>/dev/null
	ip link add "m$1" link "${2:-vst1}" address "$(mac "${3:-$1}")" type macvlan mode vepa
	eval "ip link set m$1 netns \$NS_vm$1"
	_vm=vm$1
	V() { ns_exec "$_vm" "$@"; }
	V ip link set "m$1" up
	_if=m$1
	if [ "$VF" = 1 ]; then
		V ip link add link "m$1" name "m$1.100" type vlan id 100
		V ip link add link "m$1" name "m$1.101" type vlan id 101
		V ip link set "m$1.100" up
		V ip link set "m$1.101" up
		V ip addr add "10.1.1.$1/24" dev "m$1.101"
		V ip neigh replace 10.1.1.254 lladdr 02:00:00:00:00:fe dev "m$1.101" nud permanent
		H ip neigh replace "10.1.1.$1" lladdr "$(mac "$1")" dev hh.101 nud permanent
		_if=m$1.100
	fi
	V ip addr add "$(ipof "$1")/24" dev "$_if"
	V ip neigh replace "$HOST" lladdr 02:00:00:00:00:fe dev "$_if" nud permanent
	H ip neigh replace "$(ipof "$1")" lladdr "$(mac "$1")" dev "$HIF" nud permanent
}
for n in 1 2 3 4; do vm "$n"; done

# Echo requests the host received (its namespace's Icmp InEchos).
echos() {
	H awk '/^Icmp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "InEchos") c = i; h = 1 }
		else print $c }' /proc/net/snmp
}
# replies N [DST [COUNT]]: echo replies VM N gets for COUNT (10) pings.
replies() {
	ns_exec "vm$1" ping -n -q -c "${3:-10}" -i 0.02 -W 1 "${2:-$HOST}" 2>/dev/null |
		sed -n 's/.* \([0-9]*\) received.*/\1/p'
}
# sends N [DST]: VM N's pings get through: every reply back, and the host
# saw the requests.
sends() {
	_e0=$(echos)
	_r=$(replies "$@")
	_e1=$(echos)
	echo "VM $1: $_r of 10 replies, host received $((_e1 - _e0)) echo requests"
	[ "$_r" = 10 ] && [ $((_e1 - _e0)) -ge 10 ]
}
# silent N [DST]: none of VM N's pings reaches the host.
silent() {
	_e0=$(echos)
	_r=$(replies "$@")
	_e1=$(echos)
	echo "VM $1: $_r of 10 replies, host received $((_e1 - _e0)) echo requests"
	[ "$_r" = 0 ] && [ "$_e1" = "$_e0" ]
}

cat >"$T_TMP/br.conf" <<EOC
[global]
policy = database
plugin-dir = $PL
plugins = linux-bridge
[plugin linux-bridge]
state-file = $T_TMP/lb.state
enforce = vbr1, vbr2
EOC
for p in vbr1 vbr2; do
	printf '[port %s]\nrole = bridge\nrte = 8\nrwd = 15\nrka = 18\nlldp-interval = 1\n' "$p" \
		>>"$T_TMP/br.conf"
done
: >"$T_TMP/st.conf"
for p in vst1 vst2; do
	printf '[port %s]\nrole = station\nrte = 8\nrwd = 15\nrka = 18\nlldp-interval = 1\n' "$p" \
		>>"$T_TMP/st.conf"
done
negotiated() { ctl st -j port show dev "$1" | jq -e '.[0].negotiated.valid' >/dev/null; }
uuid() { printf 'e0000000-0000-4000-8000-%012d' "$1"; }
# assoc N [PORT [VID [HINTS]]]: VM N's VSI on PORT (vst1), VLAN VID (100).
assoc() {
	ctl st vsi associate dev "${2:-vst1}" uuid "$(uuid "$1")" type 100 version 1 \
		mac "$(mac "$1")" vlan "${3:-100}" ${4:+hints $4} wait
}
deassoc() { ctl st vsi deassociate dev "${2:-vst1}" uuid "$(uuid "$1")" wait; }
brport() { # IF: "locked learning flood" as the kernel has them
	B bridge -j -d link show dev "$1" | jq -r '.[0] | "\(.locked) \(.learning) \(.flood)"'
}
flags_are() { # IF "locked learning flood"
	[ "$(brport "$1")" = "$2" ] && return 0
	echo "$1: $(brport "$1"), wanted $2"
	return 1
}
now() { date +%s.%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (b - a) * 1000 }'; }

# Before evbd: the ports are as a bridge makes them (unlocked, learning,
# flooding) and VM 1 gets through.
t_check "before evbd: vbr1 is unlocked, learns, floods" flags_are vbr1 "false true true"
# (Under VLAN filtering on VLAN 101: vbr1 gets VLAN 100 only with a VSI.)
if [ "$VF" = 1 ]; then
	t_check "before evbd: VM 1 reaches the host on VLAN 101 (nothing enforced)" sends 1 10.1.1.254
else
	t_check "before evbd: VM 1 reaches the host (nothing enforced)" sends 1
fi
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
evbd_start st main -f "$T_TMP/st.conf" || exit 1
ctl br vsitype add 100 version 1 vlans 100-199 formats mac-vid >/dev/null
t_check "the bridge locks vbr1: learning and unicast flood off" \
	wait_until 5 flags_are vbr1 "true false false"
t_check "... and vbr2" flags_are vbr2 "true false false"
t_check "... and says so, with the learned entries it removed (VM 1's at least)" grep -qE \
	"linux-bridge: vbr1: enforcing associations: port locked, learning and unicast flood off, [1-9][0-9]* learned FDB entries removed" \
	"$T_TMP/br/log"
t_check "LLDP on the locked ports: EVB negotiated on vst1" wait_until 10 negotiated vst1
t_check "... and on vst2" wait_until 10 negotiated vst2
t_check "evbctl plugin linux-bridge shows that vbr1 enforces" sh -c \
	"$(ns_prefix bridge) \"$EVBCTL\" plugin linux-bridge | grep -q '^vbr1: enforce yes (locked on, learning off, unicast flood off), hairpin .*, 0 VSIs bound'"

# ---- who may send ----
t_check "no VSI yet: VM 1 no longer reaches the host" silent 1
t_check "ECP on the locked port: VM 1's VSI is associated" assoc 1
t_check "associated VM 1 reaches the host" sends 1
t_check "associate VM 2" assoc 2
t_check "associated VM 2 reaches the host" sends 2
t_check "VM 4, never associated, does not" silent 4
refused() { assoc "$@" >/dev/null 2>&1; [ $? = 3 ]; }
t_check "VM 3 on VLAN 250 (its type allows 100-199): refused" refused 3 vst1 250
t_check "... and VM 3 does not reach the host" silent 3
t_check "VM 3 pre-associated" ctl st vsi preassociate dev vst1 uuid "$(uuid 3)" type 100 \
	version 1 mac "$(mac 3)" vlan 100 wait
t_check "... does not reach the host" silent 3
t_check "evbctl plugin linux-bridge: 2 VSIs bound on vbr1" sh -c \
	"$(ns_prefix bridge) \"$EVBCTL\" plugin linux-bridge | grep -q '^vbr1: enforce yes .* 2 VSIs bound'"
if [ "$VF" = 1 ]; then
	t_check "VLAN 101 (on the port, held by no VSI): VM 1 does not reach the host there" \
		silent 1 10.1.1.254
	t_check "... while VLAN 100 still passes" sends 1
fi

# ---- stop and resume: timings ----
# A ping every 10 ms from VM N in the background; the last and first reply
# around an event tell when traffic stopped and resumed.
ping_bg() { # N SECONDS
	$(ns_prefix "vm$1") ping -D -n -i 0.01 -W 0.5 -w "$2" "$HOST" >"$T_TMP/ping$1" 2>&1 &
	PING_PID=$!
}
last_reply() { sed -n 's/^\[\([0-9.]*\)\] .* bytes from.*/\1/p' "$T_TMP/ping$1" | tail -1; }
first_reply_after() {
	sed -n 's/^\[\([0-9.]*\)\] .* bytes from.*/\1/p' "$T_TMP/ping$1" |
		awk -v t="$2" '$1 > t { print; exit }'
}
# stopped_within N T0 MS: VM N's last reply came at most MS ms after T0.
stopped_within() {
	_l=$(last_reply "$1")
	echo "last reply $(ms "$2" "$_l") ms after the event"
	[ -n "$_l" ] && [ "$(ms "$2" "$_l")" -le "$3" ]
}
resumed_within() {
	_f=$(first_reply_after "$1" "$2")
	echo "first reply $(ms "$2" "${_f:-0}") ms after the event"
	[ -n "$_f" ] && [ "$(ms "$2" "$_f")" -le "$3" ]
}
ping_bg 1 30
sleep 1
t0=$(now)
t_check "de-associate VM 1 while it pings every 10 ms" deassoc 1
t1=$(now)
sleep 1
t_check "VM 1's traffic stopped by the time evbctl returned (+1 s)" stopped_within 1 "$t1" 1000
echo "# de-associate: last reply $(ms "$t1" "$(last_reply 1)") ms after evbctl ... wait returned ($(ms "$t0" "$t1") ms after it was run)"
t0=$(now)
t_check "re-associate VM 1" assoc 1
t1=$(now)
sleep 1
t_check "VM 1's traffic resumes within 1 s of evbctl returning" resumed_within 1 "$t1" 1000
echo "# re-associate: first reply $(ms "$t1" "$(first_reply_after 1 "$t1")") ms after evbctl ... wait returned ($(ms "$t0" "$t1") ms after it was run)"
kill "$PING_PID" 2>/dev/null
wait "$PING_PID" 2>/dev/null

# Keep-alive timeout: the station dies; the bridge ends VM 1's and VM 2's
# VSIs after toutKeepAlive (RKA 18: about 4 s; RKA 16 lets VSIs time out by themselves under emulation), and their traffic stops.
ping_bg 1 30
sleep 1
t0=$(now)
evbd_kill st KILL
t_check "station killed: the bridge ends its VSIs (keep-alive timeout)" \
	wait_until 15 sh -c "[ \"\$($(ns_prefix bridge) \"$EVBCTL\" -j vsi list | jq '[.[] | select(.state == \"associated\")] | length')\" = 0 ]"
t1=$(now)
sleep 1
t_check "VM 1's traffic stopped within the keep-alive timeout + 2 s (8 s)" \
	stopped_within 1 "$t0" 8000
echo "# keep-alive timeout: last reply $(ms "$t0" "$(last_reply 1)") ms after the station was killed; the bridge listed no associated VSI after $(ms "$t0" "$t1") ms (polled every 100 ms)"
t_check "VM 2 does not reach the host either" silent 2
rm -rf "$T_TMP/st/state" # the station restarts without VSIs to restore
evbd_start st main -f "$T_TMP/st.conf" || exit 1
t_check "station restarted: EVB negotiated again" wait_until 10 negotiated vst1
t0=$(now)
t_check "re-associate VM 1" assoc 1
t1=$(now)
sleep 1
t_check "VM 1's traffic resumes" resumed_within 1 "$t1" 1000
echo "# after the keep-alive timeout, re-associate: first reply $(ms "$t1" "$(first_reply_after 1 "$t1")") ms after evbctl ... wait returned"
kill "$PING_PID" 2>/dev/null
wait "$PING_PID" 2>/dev/null

# ---- migration: VM 1 moves from vst1 to vst2 ----
wait_until 10 negotiated vst2
vm 1 vst2
t_check "VM 1 moved behind vst2, not yet associated there: it does not reach the host" silent 1
t_check "VM 1 associates on vst2 (migrate-to), still associated on vst1" assoc 1 vst2 100 migrate-to
t_check "... it reaches the host through vbr2" sends 1
t_check "... its FDB entry moved to vbr2" sh -c "[ \"\$($(ns_prefix bridge) bridge -j fdb show br br0 | jq -r '[.[] | select(.mac == \"$(mac 1)\" and .state == \"static\")] | map(.ifname) | unique | join(\",\")')\" = vbr2 ]"
# (Under emulation the bridge may have ended it already: keep-alives late.)
left_vst1() { deassoc 1 vst1 || [ "$(ctl st -j vsi list dev vst1 | jq length)" = 0 ]; }
t_check "VM 1's VSI leaves vst1 (de-associate)" left_vst1
t_check "... VM 1 still reaches the host through vbr2" sends 1
vm 5 vst1 1
t_check "a VM with VM 1's MAC left behind vst1 does not reach the host" silent 5
t_check "VM 1's VSI ends on vst2" deassoc 1 vst2
t_check "... VM 1 does not reach the host any more" silent 1
t_check "no netlink errors were logged" sh -c "! grep -q 'linux-bridge: .* failed' '$T_TMP/br/log'"

# ---- stop, keep-locked, and reconciliation at start ----
evbd_kill br TERM
t_check "evbd stops: vbr1's flags are back as they were (unlocked, learning, flooding)" \
	flags_are vbr1 "false true true"
t_check "... vbr2's too" flags_are vbr2 "false true true"
t_check "... the state file names no locked port" sh -c "! grep -q '^port ' '$T_TMP/lb.state'"
sed -i 's/^enforce = .*/&\nkeep-locked = yes/' "$T_TMP/br.conf"
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
wait_until 5 flags_are vbr1 "true false false"
evbd_kill br TERM
t_check "keep-locked = yes: vbr1 stays locked after evbd stops" flags_are vbr1 "true false false"
t_check "... and the state file keeps its flags from before" \
	grep -qx "port vbr1 locked 0 learning 1 flood 1" "$T_TMP/lb.state"
sed -i '/^enforce = /d; /^keep-locked = /d' "$T_TMP/br.conf"
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
t_check "started without enforce: the settling puts vbr1's flags back" \
	wait_until 10 flags_are vbr1 "false true true"
t_check "... and says why" grep -qF \
	"linux-bridge: vbr1: no longer enforcing associations (not configured to): locked off, learning on, unicast flood on, as before" \
	"$T_TMP/br/log"
t_check "evbctl plugin linux-bridge: vbr1 does not enforce" sh -c \
	"$(ns_prefix bridge) \"$EVBCTL\" plugin linux-bridge | grep -q '^vbr1: enforce no (locked off, learning on, unicast flood on)'"
t_done
