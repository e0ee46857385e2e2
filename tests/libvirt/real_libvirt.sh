#!/bin/sh
# SPDX-License-Identifier: ISC
# real_libvirt.sh - the stretch scenario of issue 5 with the real Debian
# libvirt (libvirtd 9.0) and a QEMU domain (TCG, no disk) whose
# <interface type='direct'> carries <virtualport type='802.1Qbg'>:
# `virsh start` succeeds only because the station evbd's lldpad-nl plugin
# answered, the bridge evbd holds the VSI, `virsh destroy` de-associates it,
# and a VSI the bridge ends reaches libvirt, which re-associates it.
#
# Needs real root and the packages libvirt-daemon, libvirt-daemon-driver-qemu,
# libvirt-clients, qemu-system-x86 and faketime (not installed by
# scripts/deps.sh: `make libvirt-real` skips when they are missing).
# Everything runs in a private network + mount namespace: tmpfs on /run,
# /etc/libvirt, /var/lib/libvirt and /var/log/libvirt, and copies of
# /etc/passwd and /etc/group with a libvirt-qemu user; nothing of the host's
# is touched.
#
# Two things found on the way, both worked around here:
#  - libvirt walks IFLA_LINK from the source device to the root device; a
#    veth reports its peer's ifindex (in the peer's namespace) there, so a
#    veth as source fails ("error dumping (null) (2) interface").  The
#    station's uplink is therefore a VXLAN device (no IFLA_LINK) over a veth.
#  - libvirt 9.0 returns the event socket's netlink port as an int; libnl
#    picks ports above 2^31 for minutes at a time (time-seeded), and libvirt
#    then fails silently ("sending of PortProfileRequest failed") without
#    sending anything.  libvirtd is restarted under faketime offsets until its
#    port fits.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
for b in /usr/sbin/libvirtd /usr/bin/virsh /usr/bin/qemu-system-x86_64 /usr/bin/faketime; do
	if [ ! -x "$b" ]; then
		echo "skipped: $b is not installed"
		echo "0 passed, 0 failed"
		exit 0
	fi
done
[ "$(id -u)" = 0 ] || { echo "real_libvirt.sh needs real root"; exit 1; }
if [ -z "${LVR_INNER:-}" ]; then
	LVR_INNER=1 exec unshare --net --mount --propagation private sh "$0" "$@"
fi

W=$(mktemp -d /tmp/evbd-libvirt.XXXXXX)
PASS=0
FAIL=0
PIDS=""
cleanup() {
	[ -f /run/libvirtd.pid ] && PIDS="$PIDS $(cat /run/libvirtd.pid)"
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	sleep 0.5
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	if [ "${KEEP:-0}" = 1 ]; then echo "kept $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
ok() { PASS=$((PASS + 1)); echo "ok   - $*"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL - $*"; }
check() { _d=$1; shift; if "$@" >"$W/last" 2>&1; then ok "$_d"; else bad "$_d"; sed 's/^/     | /' "$W/last" | tail -8; fi; }
wait_until() {
	_end=$(($(date +%s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge $_end ] && return 1
		sleep 0.2
	done
}
EVBD=$ROOT/build/evbd
EVBCTL=$ROOT/build/evbctl
VIRSH="virsh -q -c qemu:///system"
UUID=09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f

# private /run, libvirt state and a libvirt-qemu user
mount -t tmpfs lvr-run /run && mkdir -p /run/libvirt /run/lock
mount -t tmpfs lvr-etc /etc/libvirt
mount -t tmpfs lvr-lib /var/lib/libvirt && mkdir -p /var/lib/libvirt/qemu
mkdir -p /var/log/libvirt && mount -t tmpfs lvr-log /var/log/libvirt
cp /etc/passwd "$W/passwd"
cp /etc/group "$W/group"
grep -q '^libvirt-qemu:' "$W/passwd" ||
	echo 'libvirt-qemu:x:64055:64055:Libvirt Qemu:/var/lib/libvirt:/usr/sbin/nologin' >>"$W/passwd"
grep -q '^libvirt-qemu:' "$W/group" || echo 'libvirt-qemu:x:64055:' >>"$W/group"
mount --bind "$W/passwd" /etc/passwd
mount --bind "$W/group" /etc/group
printf 'security_driver = "none"\ncgroup_controllers = [ ]\nstdio_handler = "file"\nuser = "root"\ngroup = "root"\nremember_owner = 0\n' >/etc/libvirt/qemu.conf
printf 'unix_sock_group = "root"\n' >/etc/libvirt/libvirtd.conf

# station uplink: VXLAN vst over a veth into the bridge's namespace (vbr)
ip link set lo up
unshare -n sh -c 'ip link set lo up; exec sleep 100000' &
BR=$!
PIDS="$PIDS $BR"
sleep 0.2
ip link add u0 type veth peer name u1
ip link set u1 netns "$BR"
ip addr add 10.9.0.1/24 dev u0 && ip link set u0 up
nsenter -t "$BR" -n sh -c 'ip addr add 10.9.0.2/24 dev u1 && ip link set u1 up'
ip link add vst address 02:00:00:00:00:01 type vxlan id 42 remote 10.9.0.2 dstport 4789
nsenter -t "$BR" -n ip link add vbr address 02:00:00:00:00:02 type vxlan id 42 remote 10.9.0.1 dstport 4789
ip link set vst up && nsenter -t "$BR" -n ip link set vbr up

printf '[port vbr]\nrole = bridge\nrwd = 14\nrka = 14\nlldp-interval = 1\n' >"$W/br.conf"
printf '[global]\nplugin-dir = %s/build/plugins\nplugins = lldpad-nl\n[port vst]\nrole = station\nrwd = 14\nrka = 14\nlldp-interval = 1\n' "$ROOT" >"$W/st.conf"
start_bridge() {
	nsenter -t "$BR" -n "$EVBD" -n -v -f "$W/br.conf" --state-dir "$W/brstate" --pid-file "$W/br.pid" >>"$W/br.log" 2>&1 &
	BRD=$!
	PIDS="$PIDS $BRD"
}
start_bridge
"$EVBD" -n -v -f "$W/st.conf" --state-dir "$W/ststate" --pid-file "$W/st.pid" >"$W/st.log" 2>&1 &
STD=$!
PIDS="$PIDS $STD"
negotiated() { "$EVBCTL" -j port show dev vst | jq -e '.[0].negotiated.valid'; }
check "station evbd with lldpad-nl runs and negotiated EVB with the bridge evbd" wait_until 10 negotiated
check "/var/run/lldpad.pid (private) holds the station evbd's pid" sh -c "[ \"\$(cat /var/run/lldpad.pid)\" = $STD ]"
sleep 1

cat >"$W/dom.xml" <<EOD
<domain type='qemu'>
  <name>qbg</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <interface type='direct'>
      <source dev='vst' mode='vepa'/>
      <mac address='52:54:00:aa:bb:cc'/>
      <model type='e1000'/>
      <virtualport type='802.1Qbg'>
        <parameters managerid='11' typeid='1193046' typeidversion='2' instanceid='$UUID'/>
      </virtualport>
    </interface>
  </devices>
</domain>
EOD
started=no
for try in 0 1 2 3 4 5 6 7; do
	faketime -f "+$((try * 256))s" /usr/sbin/libvirtd >"$W/libvirtd.log" 2>&1 &
	wait_until 10 $VIRSH version
	[ "$try" = 0 ] && $VIRSH define "$W/dom.xml" >/dev/null
	t0=$(date +%s%N)
	$VIRSH start qbg >"$W/start.out" 2>&1 && started=yes
	t1=$(date +%s%N)
	[ $started = yes ] && break
	grep -q 'sending of PortProfileRequest failed' "$W/start.out" || break
	echo "     libvirtd try $try: its event socket's netlink port does not fit an int; restarting it"
	kill "$(cat /run/libvirtd.pid)"
	sleep 1
done
check "virsh start succeeds ($(((t1 - t0) / 1000000)) ms)" [ $started = yes ]
st_vsi() { "$EVBCTL" -j vsi list dev vst | jq -e --arg u $UUID ".[] | select(.vsiid == \$u) | $1"; }
br_vsi() { nsenter -t "$BR" -n "$EVBCTL" -j vsi list dev vbr | jq -e --arg u $UUID ".[] | select(.vsiid == \$u) | $1"; }
check "station: VSI associated with libvirt's type 1193046, version 2, manager 11, the VM's MAC" \
	st_vsi '.state == "associated" and .type == 1193046 and .version == 2 and .mgrid == "11" and .filters[0].mac == "52:54:00:aa:bb:cc"'
check "bridge: the same VSI associated" br_vsi '.state == "associated" and .type == 1193046'
check "evbd answered libvirt's requests" grep -q 'lldpad-nl' "$W/st.log"

# the bridge ends the VSI (it dies): evbd tells libvirt, which re-associates
kill -9 "$BRD"
check "the station ends the VSI and notifies libvirt's event socket" wait_until 10 \
	grep -q "the bridge ended VSI 09b11c53-" "$W/st.log"
check "libvirt answers with a new ASSOCIATE (the VSI is back, pending)" wait_until 10 st_vsi '.state == "pending"'
start_bridge
check "with the bridge back, the VSI is associated again" wait_until 20 br_vsi '.state == "associated"'

check "virsh destroy succeeds" $VIRSH destroy qbg
gone() { ! "$1" true; }
check "station: VSI de-associated and gone" wait_until 10 gone st_vsi
check "bridge: VSI gone" wait_until 10 gone br_vsi
check "no process of the host was asked: the pid file is ours" sh -c "[ \"\$(cat /var/run/lldpad.pid)\" = $STD ]"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
