# SPDX-License-Identifier: ISC
# etcd_lib.sh - a fleet for the etcd tests (sourced after lib.sh): a real
# three-member etcd cluster from Debian's etcd-server in the test's own
# namespace (private data directories, client ports 23791-23793 on every
# address, peers on 127.0.0.1:23801-23803), and switches: bridge evbds, each
# in its own namespace reaching etcd over a veth pair (10.77.N.1 the
# test's side, 10.77.N.2 the switch), with a station evbd in a namespace of
# its own on a veth to the switch's bridge port.

if ! command -v etcd >/dev/null 2>&1; then
	echo "$(basename "$0"): skipped: etcd is not installed (apt-get install etcd-server" \
		"etcd-client, or make deps)"
	echo "0 passed, 0 failed"
	exit 0
fi

ip link set lo up
ETCD_CLUSTER="m1=http://127.0.0.1:23801,m2=http://127.0.0.1:23802,m3=http://127.0.0.1:23803"

# etcd_start N: member mN.
etcd_start() {
	mkdir -p "$T_TMP/etcd$1"
	etcd --name "m$1" --data-dir "$T_TMP/etcd$1/data" \
		--listen-client-urls "http://0.0.0.0:2379$1" \
		--advertise-client-urls "http://127.0.0.1:2379$1" \
		--listen-peer-urls "http://127.0.0.1:2380$1" \
		--initial-advertise-peer-urls "http://127.0.0.1:2380$1" \
		--initial-cluster "$ETCD_CLUSTER" --initial-cluster-state new \
		--initial-cluster-token evbd-test --heartbeat-interval 50 --election-timeout 500 \
		>>"$T_TMP/etcd$1/log" 2>&1 &
	eval "ETCD_PID$1=$!"
	T_PIDS="$T_PIDS $!"
}
etcd_healthy() {
	ETCDCTL_API=3 etcdctl --endpoints=http://127.0.0.1:23791,http://127.0.0.1:23792,http://127.0.0.1:23793 \
		--command-timeout=2s endpoint health >/dev/null 2>&1
}
etcdctl3() {
	ETCDCTL_API=3 etcdctl --endpoints=http://127.0.0.1:23792,http://127.0.0.1:23793,http://127.0.0.1:23791 "$@"
}
etcd_signal() { # SIGNAL N...
	_s=$1
	shift
	for _m in "$@"; do eval "kill -$_s \$ETCD_PID$_m"; done
}

# fleet_conf NAME ROLE IF [EXTRA]: conf_fast's timers but keep-alives every
# 1.3 s (RKA 17) instead of 0.16 s: these tests hold VSIs for a minute on a
# loaded machine, where a daemon not scheduled for a few tenths of a second
# would miss toutKeepAlive.
fleet_conf() {
	conf_fast "$@"
	sed -i 's/^rka = 14$/rka = 17/' "$T_TMP/$1.conf"
}
# switch_start NAME N [EXTRA]: namespaces sw$NAME and st$NAME, bridge evbd
# sw$NAME (policy database, port vbr$NAME in the Linux bridge br0, cluster
# switch NAME; EXTRA: more lines after the [cluster] keys) and station evbd
# st$NAME (port vst$NAME).
switch_start() {
	_sn=$1
	_si=$2
	ns_new "sw$_sn"
	ns_new "st$_sn"
	veth "et$_sn" main "up$_sn" "sw$_sn"
	ip addr add "10.77.$_si.1/24" dev "et$_sn"
	ns_exec "sw$_sn" ip addr add "10.77.$_si.2/24" dev "up$_sn"
	veth "vst$_sn" "st$_sn" "vbr$_sn" "sw$_sn" "02:00:00:00:$_si:01" "02:00:00:00:$_si:02"
	# the bridge port in a Linux bridge, for the linux-bridge plugin when
	# EXTRA loads it
	ns_exec "sw$_sn" ip link add br0 type bridge
	ns_exec "sw$_sn" ip link set "vbr$_sn" master br0
	ns_exec "sw$_sn" ip link set br0 up
	fleet_conf "sw$_sn" bridge "vbr$_sn" "
[global]
policy = database

[cluster]
endpoints = http://10.77.$_si.1:23791, http://10.77.$_si.1:23792, http://10.77.$_si.1:23793
prefix = /fleet
switch-name = $_sn
lease-ttl = 3
timeout = 500
$3"
	fleet_conf "st$_sn" station "vst$_sn"
	evbd_start "sw$_sn" "sw$_sn" -f "$T_TMP/sw$_sn.conf" || return 1
	evbd_start "st$_sn" "st$_sn" -f "$T_TMP/st$_sn.conf" || return 1
}
fleet_up() { ctl "sw$1" fleet status | grep -qx 'state: up'; }
negotiated() { ctl "$1" -j port show | jq -e '.[0].negotiated.valid == true' >/dev/null; }
uuid() { printf '6b000000-0000-4000-8000-%012d' "$1"; }
# assoc ST N [CMD] [VLAN]: a VSI of type 100 version 1 from station $ST.
assoc() {
	run "st$1" vsi "${3:-associate}" dev "vst$1" type 100 version 1 uuid "$(uuid "$2")" \
		mac "02:00:00:01:$(printf %02x "$(($2 % 256))"):$(printf %02x "$(($2 / 256))")" \
		vlan "${4:-100}" wait 10
	[ "$RC" = 0 ] || {
		cat "$T_TMP/err"
		return 1
	}
}
# where N: "SWITCH PORT STATE" lines of VSI N, sorted.
where() {
	ctl "sw${WHERE_AT:-A}" -j vsi where uuid "$(uuid "$1")" 2>/dev/null |
		jq -r '.[] | "\(.switch) \(.port) \(.state)"' | sort | tr '\n' ';'
}
where_is() { # N EXPECTED (says what it got when not)
	_w=$(where "$1")
	[ "$_w" = "$2" ] && return 0
	echo "where $1: got '$_w'"
	return 1
}
# holds SW N: switch SW's bridge has VSI N.
holds() {
	ctl "sw$1" -j vsi list | jq -e ".[] | select(.vsiid == \"$(uuid "$2")\")" >/dev/null
}
lacks() { ! holds "$@"; }
