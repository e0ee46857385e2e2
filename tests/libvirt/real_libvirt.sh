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
#
# Nothing of the host's is touched, or the script refuses to run: everything
# runs in a private network + mount namespace (unshare), with a tmpfs on
# /run (so /run/libvirt, /var/run and the pid files), on /etc/libvirt (an
# empty one: no autostarted network or domain of the host's), and on
# /var/lib/libvirt, /var/cache/libvirt and /var/log/libvirt (when one of
# these is missing on the host the tmpfs goes on its parent, so that nothing
# is created on the host), copies of /etc/passwd and /etc/group with a
# libvirt-qemu user, and HOME and the XDG folders in the scratch directory.
# A mount that fails, or a folder that is not a private tmpfs afterwards,
# stops the run with a sentence (exit 1) before libvirtd starts.  Outside the
# namespace, a listing of every one of those host folders and files is taken
# before and after the run; a difference fails the run.
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
HOST_PATHS="/etc/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt /run/libvirt
/run/lldpad.pid /run/libvirtd.pid /etc/passwd /etc/group $HOME/.cache/libvirt $HOME/.config/libvirt"
# host_state: every host path above, recursively, with size, mode, owner
# and time (a path that does not exist is listed as such).
host_state() {
	for _p in $HOST_PATHS; do
		if [ -e "$_p" ] || [ -L "$_p" ]; then
			find "$_p" -xdev -printf '%p %s %m %u:%g %T@ %l\n' 2>&1 | LC_ALL=C sort
		else
			echo "$_p (none)"
		fi
	done
}
if [ -z "${LVR_INNER:-}" ]; then
	command -v unshare >/dev/null || { echo "real_libvirt.sh needs unshare (util-linux)"; exit 1; }
	before=$(mktemp /tmp/evbd-libvirt-host.XXXXXX)
	host_state >"$before"
	LVR_INNER=1 unshare --net --mount --propagation private sh "$0" "$@"
	rc=$?
	if ! host_state | diff -u "$before" - >"$before.diff"; then
		echo "FAIL - the run changed the host's libvirt files:"
		sed 's/^/     | /' "$before.diff" | head -40
		rc=1
	else
		echo "ok   - the host's libvirt folders, pid files, /etc/passwd and /etc/group are as they were"
	fi
	rm -f "$before" "$before.diff"
	exit $rc
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
# must CMD...: run a set-up step; when it fails, say so and stop before
# anything could reach the host.
must() {
	"$@" >"$W/must" 2>&1 && return 0
	echo "real_libvirt.sh: refusing to run: '$*' failed ($(cat "$W/must")); libvirtd would use the host's files."
	echo "$PASS passed, 1 failed"
	exit 1
}
# private DIR: a tmpfs on DIR, or on its parent when DIR does not exist.
private() {
	if [ -d "$1" ]; then
		must mount -t tmpfs lvr "$1"
	else
		must mount -t tmpfs lvr "$(dirname "$1")"
		must mkdir -p "$1"
	fi
}
is_private() { [ "$(findmnt -n -o FSTYPE -T "$1")" = tmpfs ] && [ "$(findmnt -n -o SOURCE -T "$1")" = lvr ]; }
EVBD=$ROOT/build/evbd
EVBCTL=$ROOT/build/evbctl
VIRSH="virsh -q -c qemu:///system"
UUID=09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f

# private /run, libvirt state, cache, logs and configuration, a libvirt-qemu user
cp /etc/passwd "$W/passwd"
cp /etc/group "$W/group"
private /run
must mkdir -p /run/libvirt /run/lock
must test -d /etc/libvirt
private /etc/libvirt
for d in /var/lib/libvirt /var/cache/libvirt /var/log/libvirt; do private $d; done
must mkdir -p /var/lib/libvirt/qemu
grep -q '^libvirt-qemu:' "$W/passwd" ||
	echo 'libvirt-qemu:x:64055:64055:Libvirt Qemu:/var/lib/libvirt:/usr/sbin/nologin' >>"$W/passwd"
grep -q '^libvirt-qemu:' "$W/group" || echo 'libvirt-qemu:x:64055:' >>"$W/group"
must mount --bind "$W/passwd" /etc/passwd
must mount --bind "$W/group" /etc/group
for d in /run /run/libvirt /var/run /etc/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt; do
	must is_private $d
done
export HOME=$W XDG_CACHE_HOME=$W/cache XDG_CONFIG_HOME=$W/config XDG_RUNTIME_DIR=$W/xdg
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
hit_fault=no
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
	hit_fault=yes
	kill "$(cat /run/libvirtd.pid)"
	sleep 1
done
check "virsh start succeeds ($(((t1 - t0) / 1000000)) ms)" [ $started = yes ]
if [ $hit_fault = yes ]; then
	check "libvirt's netlink port fault: evbd logged what it means (lldpad-nl's link watch)" \
		wait_until 5 grep -q "no port-profile request from libvirt.*restart libvirtd" "$W/st.log"
fi
st_vsi() { "$EVBCTL" -j vsi list dev vst | jq -e --arg u $UUID ".[] | select(.vsiid == \$u) | $1"; }
br_vsi() { nsenter -t "$BR" -n "$EVBCTL" -j vsi list dev vbr | jq -e --arg u $UUID ".[] | select(.vsiid == \$u) | $1"; }
check "station: VSI associated with libvirt's type 1193046, version 2, manager 11, the VM's MAC" \
	st_vsi '.state == "associated" and .type_id == 1193046 and .type_version == 2 and .mgrid == "11" and .filters[0].mac == "52:54:00:aa:bb:cc"'
check "bridge: the same VSI associated" br_vsi '.state == "associated" and .type_id == 1193046'
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
