# SPDX-License-Identifier: ISC
# lib.sh - fixtures for evbd's integration tests (sourced by test_*.sh).
#
# Each test re-runs itself inside a private user + network + mount namespace
# (`unshare -rn --mount`), so it needs no root, touches none of the host's
# interfaces, and leaves nothing behind.  More network namespaces are made
# with holder processes (`unshare -n sleep`) and entered with nsenter; veth
# pairs join them.  Results: t_ok / t_fail per case, t_done prints the
# closing "N passed, N failed" line.

T_ROOT=${T_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
# EVBD_BUILD: the build directory whose binaries, plugins and tools the tests
# run (default build/; `make san-check` sets build-san/), relative to the
# top of the tree or absolute.
case ${EVBD_BUILD:=build} in
/*) T_BUILD=$EVBD_BUILD ;;
*) T_BUILD=$T_ROOT/$EVBD_BUILD ;;
esac
EVBD=$T_BUILD/evbd
EVBCTL=$T_BUILD/evbctl

if [ -z "${EVBD_T_INNER:-}" ]; then
	EVBD_T_INNER=1 exec unshare -rn --mount --propagation private sh "$0" "$@"
fi

T_TMP=$(mktemp -d /tmp/evbd-test.XXXXXX)
T_PASS=0
T_FAIL=0
T_PIDS=""
T_HOLDERS=""

# t_running PID...: true while one of them is alive (not yet a zombie).
t_running() {
	for _p in "$@"; do
		_st=$(sed 's/.*) //' "/proc/$_p/stat" 2>/dev/null | cut -c1)
		[ -n "$_st" ] && [ "$_st" != Z ] && return 0
	done
	return 1
}
t_cleanup() {
	for _p in $T_PIDS; do kill -TERM "$_p" 2>/dev/null; done
	# Up to 3 s to exit: a sanitizer build checks for leaks on the way out.
	_w=0
	while [ $_w -lt 30 ] && t_running $T_PIDS; do
		sleep 0.1
		_w=$((_w + 1))
	done
	for _p in $T_PIDS $T_HOLDERS; do kill -KILL "$_p" 2>/dev/null; done
	# make san-check: UBSan writes to stderr, that is a daemon's log here;
	# keep every file with a sanitizer report where san-check looks.
	if [ -n "${EVBD_SAN_LOGS:-}" ]; then
		grep -rlE 'runtime error:|ERROR: [A-Za-z]+Sanitizer' "$T_TMP" 2>/dev/null |
			while read -r _f; do
				cp "$_f" "$EVBD_SAN_LOGS/report.$(basename "$0" .sh).$(echo "${_f#"$T_TMP"/}" | tr / _)"
			done
	fi
	if [ "${KEEP:-0}" = 1 ]; then echo "kept $T_TMP"; else rm -rf "$T_TMP"; fi
}
trap t_cleanup EXIT
trap 'exit 130' INT TERM

t_ok() {
	T_PASS=$((T_PASS + 1))
	echo "ok   - $*"
}
t_fail() {
	T_FAIL=$((T_FAIL + 1))
	echo "FAIL - $*"
}
# t_check DESC CMD...: pass when CMD succeeds.
t_check() {
	_d=$1
	shift
	if "$@" >"$T_TMP/last.out" 2>&1; then t_ok "$_d"; else
		t_fail "$_d"
		sed 's/^/     | /' "$T_TMP/last.out" | tail -15
	fi
}
t_done() {
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" = 0 ]
}

# ns_new NAME: a new network namespace held by a sleeping process.
ns_new() {
	unshare -n sh -c 'ip link set lo up; exec sleep 100000' &
	eval "NS_$1=$!"
	T_HOLDERS="$T_HOLDERS $!"
	sleep 0.05
}
# ns_prefix NAME: the command prefix that enters namespace NAME (empty for
# "main", the test's own), so that `$(ns_prefix X) CMD &` gives CMD's pid.
ns_prefix() {
	[ "$1" = main ] || eval "echo nsenter -t \$NS_$1 -n --"
}
# ns_exec NAME CMD...: run in namespace NAME.
ns_exec() {
	_nx=$1
	shift
	$(ns_prefix "$_nx") "$@"
}
# conf_fast NAME ROLE IF [EXTRA]: $T_TMP/NAME.conf with one port IF of ROLE
# on fast timers (R 3, RTE 8, RWD 14, RKA 14, LLDP every second), then EXTRA.
conf_fast() {
	cat >"$T_TMP/$1.conf" <<EOC
[port $3]
role = $2
r = 3
rte = 8
rwd = 14
rka = 14
lldp-interval = 1
$4
EOC
}
# veth IF1 NS1 IF2 NS2 [MAC1 MAC2]: a veth pair between two namespaces, up.
veth() {
	ip link add "$1" ${5:+address $5} type veth peer name "$3" ${6:+address $6}
	for _vx in "$1:$2" "$3:$4"; do
		_vi=${_vx%%:*}
		_vn=${_vx#*:}
		if [ "$_vn" != main ]; then eval "ip link set \"$_vi\" netns \$NS_$_vn"; fi
		ns_exec "$_vn" ip link set "$_vi" up
	done
}

# wait_until SECONDS CMD...: poll CMD every 0.1 s until it succeeds;
# EVBD_T_SLOW=N (make san-check: sanitized binaries are slower) gives it N
# times as long.
wait_until() {
	_end=$(($(date +%s%N) / 1000000 + $1 * 1000 * ${EVBD_T_SLOW:-1}))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ $(($(date +%s%N) / 1000000)) -ge $_end ] && return 1
		sleep 0.1
	done
}

# evbd_start NAME NS ARGS...: start evbd in NS in the foreground with its own
# state dir, pid file and log; waits until its control socket answers.
# EVBD_T_VERBOSE: evbd's log option (default -v; the benchmarks set it empty).
evbd_start() {
	_n=$1
	_ns=$2
	shift 2
	mkdir -p "$T_TMP/$_n"
	$(ns_prefix "$_ns") "$EVBD" -n ${EVBD_T_VERBOSE--v} --state-dir "$T_TMP/$_n/state" --pid-file "$T_TMP/$_n/pid" \
		"$@" >>"$T_TMP/$_n/log" 2>&1 &
	eval "PID_$_n=$!"
	eval "NSOF_$_n=$_ns"
	T_PIDS="$T_PIDS $!"
	# The evbd that answers must be ours (only one evbd per namespace can
	# bind the control socket; a second one exits).
	wait_until 5 sh -c "kill -0 $! && $(ns_prefix "$_ns") \"$EVBCTL\" port show" || {
		echo "evbd $_n did not start:"
		tail -20 "$T_TMP/$_n/log"
		return 1
	}
}
evbd_kill() { # NAME [SIGNAL]
	eval "kill -${2:-TERM} \$PID_$1"
	eval "wait \$PID_$1" 2>/dev/null
	return 0
}
# ctl NAME ARGS...: evbctl against the evbd called NAME.
ctl() {
	_n=$1
	shift
	eval "ns_exec \$NSOF_$_n \"\$EVBCTL\" \"\$@\""
}
# run NAME ARGS...: evbctl against NAME; stdout and stderr in $T_TMP/out
# and $T_TMP/err, exit status in RC.
run() {
	_n=$1
	shift
	ctl "$_n" "$@" >"$T_TMP/out" 2>"$T_TMP/err"
	RC=$?
}
# expect RC TEXT: the last run exited RC and said exactly TEXT on stderr.
expect() {
	[ "$RC" = "$1" ] && [ "$(cat "$T_TMP/err")" = "$2" ] && return 0
	echo "exit $RC, stderr:"
	cat "$T_TMP/err"
	echo "wanted exit $1: $2"
	return 1
}
# expect_has RC TEXT: ... and stderr contains TEXT.
expect_has() {
	[ "$RC" = "$1" ] && grep -qF -- "$2" "$T_TMP/err" && return 0
	echo "exit $RC, stderr:"
	cat "$T_TMP/err"
	return 1
}
# jcount NAME JQ-FILTER: number of VSIs matching a jq select expression.
vsi_count() {
	ctl "$1" -j vsi list | jq "[.[] | select($2)] | length"
}
# snmpd_start NAME NS PORT: the real snmpd as a master agent in namespace
# NS, AgentX on $T_TMP/NAME.ax, SNMP on udp 127.0.0.1:PORT (communities
# public read, private write), reading no system configuration; `snmp
# NAME ...` then queries it.
snmpd_start() {
	_d=$T_TMP/snmpd-$1
	mkdir -p "$_d/persist"
	cat >"$_d/snmpd.conf" <<EOC
master agentx
agentXSocket unix:$T_TMP/$1.ax
agentXPerms 0600 0700
agentXTimeout 5
agentXRetries 0
rocommunity public 127.0.0.1 .1
rwcommunity private 127.0.0.1 .1
EOC
	SNMP_PERSISTENT_DIR=$_d/persist MIBS= MIBDIRS= $(ns_prefix "$2") snmpd -f -C \
		-c "$_d/snmpd.conf" -I agentx,vacm_conf,vacm_vars,system_mib,sysORTable \
		-M /dev/null -m '' -A -Lf "$_d/log" -p "$_d/pid" "udp:127.0.0.1:$3" &
	eval "SNMPD_$1=$! PORT_$1=$3 SNMPNS_$1=$2"
	T_PIDS="$T_PIDS $!"
}
snmpd_stop() {
	eval "kill \$SNMPD_$1; wait \$SNMPD_$1" 2>/dev/null
	return 0
}

# snmp NAME TOOL [-OPTIONS...] OID [ARGS...]: a net-snmp client against
# NAME's snmpd; no MIB files are read.
snmp() {
	_n=$1
	_t=$2
	shift 2
	_o=""
	while [ $# -gt 0 ] && [ "${1#-}" != "$1" ]; do
		_o="$_o $1"
		shift
	done
	eval "_ns=\$SNMPNS_$_n _port=\$PORT_$_n"
	mkdir -p "$T_TMP/clientconf" "$T_TMP/clientpersist"
	[ "$_t" = snmpset ] && _c=private || _c=public
	SNMPCONFPATH=$T_TMP/clientconf MIBS= MIBDIRS= SNMP_PERSISTENT_DIR=$T_TMP/clientpersist \
		$(ns_prefix "$_ns") $_t -v2c -c $_c -t 3 -r 1 $_o "127.0.0.1:$_port" "$@"
}
