#!/bin/sh
# SPDX-License-Identifier: ISC
# test_service.sh - evbd as dist/evbd.service runs it, without systemd as
# PID 1: as an unprivileged user (uid 65534) with CAP_NET_RAW and
# CAP_NET_ADMIN as ambient capabilities (User= + AmbientCapabilities=), its
# pid file in a runtime directory and its state in a state directory of that
# user, NOTIFY_SOCKET on a listener (tools/udgram) and stderr as the
# "journal" (JOURNAL_STREAM names it).  READY=1 comes once the port is open,
# RELOADING=1 and READY=1 around SIGHUP, STOPPING=1 on SIGTERM; log lines
# carry <N> priorities.  evbd refuses to start beside a lldpad (its control
# socket address taken; its pid file naming a live process called lldpad)
# and says so.  The unit's ExecStartPre/ExecStopPost commands, run verbatim
# on this test's private /run, link /run/lldpad.pid to evbd's and leave a
# live lldpad's file alone.
if [ -z "${EVBD_T_INNER:-}" ] && [ "$(id -u)" = 0 ]; then
	EVBD_T_INNER=1 exec unshare -n --mount --propagation private sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
UDGRAM=$T_BUILD/tools/udgram
UNIT=$T_ROOT/dist/evbd.service
CAPS=0000000000003000 # 1 << CAP_NET_ADMIN (12) | 1 << CAP_NET_RAW (13)

if [ "$(id -u)" != 0 ] || ! setpriv --reuid 65534 --regid 65534 --clear-groups true 2>/dev/null; then
	echo "skipped: needs real root and setpriv (a real uid 65534)"
	t_done
fi
mount -t tmpfs evbd-test-run /run || {
	echo "skipped: cannot mount a private /run"
	t_done
}

ns_new bridge
veth vst main vbr bridge 02:00:00:00:00:01 02:00:00:00:00:02
conf_fast br bridge vbr
conf_fast st station vst
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1

chmod 711 "$T_TMP"
mkdir -p "$T_TMP/rt" "$T_TMP/state"
chown 65534:65534 "$T_TMP/rt" "$T_TMP/state"
chmod 700 "$T_TMP/state"
"$UDGRAM" "$T_TMP/notify" >"$T_TMP/notified" &
T_PIDS="$T_PIDS $!"
wait_until 5 test -S "$T_TMP/notify" && chmod 666 "$T_TMP/notify"

# service_start: evbd as the unit starts it, stderr on $T_TMP/st.log
service_start() {
	: >"$T_TMP/st.log"
	NOTIFY_SOCKET=$T_TMP/notify JOURNAL_STREAM=$(stat -c %d:%i "$T_TMP/st.log") \
		setpriv --reuid 65534 --regid 65534 --clear-groups --inh-caps +net_raw,+net_admin \
		--ambient-caps +net_raw,+net_admin "$EVBD" --foreground --config "$T_TMP/st.conf" \
		--pid-file "$T_TMP/rt/evbd.pid" --state-dir "$T_TMP/state" 2>>"$T_TMP/st.log" &
	ST=$!
	T_PIDS="$T_PIDS $ST"
}
notified() { grep -qxF "$1" "$T_TMP/notified"; }
status() { awk -v k="$2:" '$1 == k { sub(/^[^\t]*\t/, ""); print }' "/proc/$1/status"; }
exits_nonzero() { wait "$ST" && return 1; return 0; }

service_start
check_ready() { notified "READY=1 STATUS=running with 1 port(s), state in $T_TMP/state"; }
t_check "READY=1 with a STATUS line once the port is open" wait_until 10 check_ready
t_check "when READY=1 came, the control socket answered and the pid file was written" sh -c \
	"EVBD_USER=nobody \"$EVBCTL\" port show >/dev/null && [ \"\$(cat \"$T_TMP/rt/evbd.pid\")\" = $ST ]"
unprivileged() { [ "$(status "$ST" Uid)" = "65534	65534	65534	65534" ] && [ "$(status "$ST" CapEff)" = $CAPS ]; }
t_check "it runs as uid 65534 with CAP_NET_RAW + CAP_NET_ADMIN only" unprivileged
t_check "the journal gets <5> notice lines, without the time and pid" \
	grep -q '^<5>notice: evbd .* running with 1 port(s)' "$T_TMP/st.log"
t_check "negotiates EVB with the bridge" wait_until 10 sh -c \
	"EVBD_USER=nobody \"$EVBCTL\" -j port show | jq -e '.[0].negotiated.valid == true'"
kill -HUP "$ST"
reloaded() {
	notified "RELOADING=1 STATUS=re-reading $T_TMP/st.conf" &&
		notified "READY=1 STATUS=running with 1 port(s) (configuration re-read)"
}
t_check "SIGHUP: RELOADING=1, then READY=1" wait_until 5 reloaded
t_check "SIGHUP: RELOADING=1 comes before the second READY=1" sh -c \
	"grep -A1 '^RELOADING=1' \"$T_TMP/notified\" | tail -1 | grep -q '^READY=1'"
kill -TERM "$ST"
t_check "SIGTERM: STOPPING=1" wait_until 5 notified "STOPPING=1 STATUS=stopping on signal 15; the state is kept"
t_check "SIGTERM: evbd exits 0" wait "$ST"

# beside lldpad: its control socket address taken in this namespace
"$UDGRAM" @/com/intel/lldpad >/dev/null &
FAKE=$!
T_PIDS="$T_PIDS $FAKE"
sleep 0.2
service_start
t_check "beside lldpad's control socket: evbd exits non-zero" exits_nonzero
t_check "... saying why and what to do" grep -q \
	"err: evbd does not start: lldpad's control socket address @/com/intel/lldpad is taken.*systemctl mask lldpad.service lldpad.socket" \
	"$T_TMP/st.log"
t_check "... and tells systemd" notified "STATUS=not started: lldpad is running"
kill "$FAKE"

# beside lldpad: /var/run/lldpad.pid names a live process called lldpad
ln -s "$(command -v sleep)" "$T_TMP/lldpad"
"$T_TMP/lldpad" 1000 &
LP=$!
T_PIDS="$T_PIDS $LP"
echo "$LP" >/run/lldpad.pid
service_start
t_check "beside a live lldpad in /var/run/lldpad.pid: evbd exits non-zero" exits_nonzero
t_check "... saying so" grep -q "lldpad is running (pid $LP, from /var/run/lldpad.pid)" "$T_TMP/st.log"

# the unit's commands around /run/lldpad.pid, verbatim (systemd's $$ is $)
unit_cmd() { sed -n "s/^$1=+\/bin\/sh -c '\(.*\)'\$/\1/p" "$UNIT" | sed 's/\$\$/$/g'; }
PRE=$(unit_cmd ExecStartPre)
POST=$(unit_cmd ExecStopPost)
t_check "ExecStartPre leaves a live lldpad's pid file alone" sh -c \
	"sh -c '$PRE' && [ ! -L /run/lldpad.pid ] && [ \"\$(cat /run/lldpad.pid)\" = $LP ]"
t_check "ExecStopPost leaves it alone too" sh -c "sh -c '$POST' && [ \"\$(cat /run/lldpad.pid)\" = $LP ]"
kill "$LP"
wait "$LP" 2>/dev/null
t_check "ExecStartPre replaces a stale one with the link to evbd/lldpad.pid" sh -c \
	"sh -c '$PRE' && [ \"\$(readlink /run/lldpad.pid)\" = evbd/lldpad.pid ]"
rm -f /run/lldpad.pid
t_check "ExecStartPre makes the link when there is no file" sh -c \
	"sh -c '$PRE' && [ \"\$(readlink /run/lldpad.pid)\" = evbd/lldpad.pid ]"
t_check "ExecStopPost removes the link" sh -c "sh -c '$POST' && [ ! -e /run/lldpad.pid ] && [ ! -L /run/lldpad.pid ]"
t_done
