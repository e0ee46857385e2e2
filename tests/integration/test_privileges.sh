#!/bin/sh
# SPDX-License-Identifier: ISC
# test_privileges.sh - evbd runs with least privilege once started: its
# capability sets (effective, permitted, bounding) are exactly CAP_NET_RAW
# and CAP_NET_ADMIN, NoNewPrivs is set, and it stays uid 0 by default; with
# [global] user = nobody it runs as uid 65534 on a state directory given to
# that user, and VSI associate/de-associate, an interface removed and
# re-created (the port reopens its packet socket with CAP_NET_RAW) and
# evbctl (EVBD_USER=nobody) all still work, while evbctl without
# EVBD_USER refuses the answers of a non-root evbd.  The seccomp filter is
# in force (Seccomp: 2): the forbidden test plugin's fork and personality
# get EPERM and are logged by name, and are allowed with seccomp = off.
#
# The user switch needs a real uid 65534 (root and setpriv); where the
# test runs in lib.sh's user namespace (only uid 0 mapped) that part is
# skipped with a line saying so.
if [ -z "${EVBD_T_INNER:-}" ] && [ "$(id -u)" = 0 ]; then
	EVBD_T_INNER=1 exec unshare -n --mount --propagation private sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

CAPS=0000000000003000 # 1 << CAP_NET_ADMIN (12) | 1 << CAP_NET_RAW (13)
U=6d0f0000-0000-4000-8000-00000000a001

status() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
caps_are() { # PID: CapEff, CapPrm and CapBnd are CAPS, CapInh and CapAmb empty
	for _k in CapEff CapPrm CapBnd; do
		[ "$(status "$1" $_k)" = $CAPS ] || { echo "$_k $(status "$1" $_k)"; return 1; }
	done
	[ "$(status "$1" CapInh)" = 0000000000000000 ] &&
		[ "$(status "$1" CapAmb)" = 0000000000000000 ]
}
conf() { # FILE ROLE IF [USER]
	printf '[global]\n%s[port %s]\nrole = %s\nrwd = 15\nrka = 15\nlldp-interval = 1\n' \
		"${4:+user = $4
}" "$3" "$2" >"$1"
}
negotiated() { ctl "$1" -j port show | jq -e '.[0].negotiated.valid == true'; }
assoc_is() { [ "$(vsi_count "$1" '.state == "associated"')" = "$2" ]; }

ns_new bridge
veth vst main vbr bridge 02:00:00:00:00:01 02:00:00:00:00:02
conf "$T_TMP/br.conf" bridge vbr
conf "$T_TMP/st.conf" station vst
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
evbd_start st main -f "$T_TMP/st.conf" || exit 1

# 1. the default: uid 0, capabilities cut, no new privileges
t_check "default: CapEff, CapPrm and CapBnd are CAP_NET_RAW + CAP_NET_ADMIN only" \
	caps_are "$PID_st"
t_check "default: NoNewPrivs is set" [ "$(status "$PID_st" NoNewPrivs)" = 1 ]
t_check "default: evbd stays uid 0" [ "$(status "$PID_st" Uid)" = 0 ]
t_check "default: the bridge's evbd is cut the same way" caps_are "$PID_br"
t_check "default: negotiated" wait_until 10 negotiated st
t_check "default: a VSI associates" sh -c "\"$EVBCTL\" vsi associate dev vst uuid $U \
	type 5 version 1 mac 52:54:00:00:a0:01 vlan 101 wait"
t_check "default: the bridge holds it" wait_until 10 assoc_is br 1
t_check "default: a VSI de-associates" sh -c "\"$EVBCTL\" vsi deassociate dev vst uuid $U wait"
evbd_kill st

# 1b. seccomp (evbd/sandbox.c): on by default; a plugin's call outside the
#     allow-list (fork, personality) fails with EPERM, is logged by name,
#     and evbd runs on; with seccomp = off the same calls are allowed
PL=$T_BUILD/tests/plugins
t_check "default: the seccomp filter is in force (Seccomp: 2)" [ "$(status "$PID_br" Seccomp)" = 2 ]
fb_conf() { # SECCOMP
	printf '[global]\nplugin-dir = %s\nplugins = forbidden\nseccomp = %s\n[port vst]\nrole = station\n' \
		"$PL" "$1" >"$T_TMP/fb2.conf"
}
fb_conf on
evbd_start fb main -f "$T_TMP/fb2.conf" || exit 1
echo "     $(grep -E '^(CapEff|CapPrm|CapBnd|NoNewPrivs|Seccomp):' "/proc/$PID_fb/status" | tr -s '\t' ' ' | tr '\n' ' ')"
run fb plugin forbidden-calls
t_check "seccomp on: a plugin's fork fails with EPERM" grep -q "^fork: Operation not permitted" "$T_TMP/out"
t_check "seccomp on: a plugin's personality fails with EPERM" \
	grep -q "^personality: Operation not permitted" "$T_TMP/out"
t_check "seccomp on: the refused calls are logged by name" sh -c \
	"grep -q 'refused system call clone' '$T_TMP/fb/log' && grep -q 'refused system call personality' '$T_TMP/fb/log'"
t_check "seccomp on: evbd runs on" sh -c "kill -0 $PID_fb && \"$EVBCTL\" port show >/dev/null"
evbd_kill fb
fb_conf off
evbd_start fb main -f "$T_TMP/fb2.conf" || exit 1
run fb plugin forbidden-calls
t_check "seccomp off: no filter (Seccomp: 0)" [ "$(status "$PID_fb" Seccomp)" = 0 ]
t_check "seccomp off: the same calls are allowed" sh -c \
	"grep -q '^fork: allowed' '$T_TMP/out' && grep -q '^personality: allowed' '$T_TMP/out'"
evbd_kill fb

# 2. user = nobody (a real uid 65534 is needed)
if [ "$(id -u)" != 0 ] || ! setpriv --reuid 65534 --regid 65534 --clear-groups true 2>/dev/null; then
	echo "skip - user = nobody: needs root and setpriv (a real uid 65534)"
	t_done
	exit
fi
chmod 711 "$T_TMP" # nobody reaches its state directory below
conf "$T_TMP/st.conf" station vst nobody
export EVBD_USER=nobody
evbd_start st main -f "$T_TMP/st.conf" || exit 1
t_check "user = nobody: capabilities are CAP_NET_RAW + CAP_NET_ADMIN only" caps_are "$PID_st"
t_check "user = nobody: NoNewPrivs is set" [ "$(status "$PID_st" NoNewPrivs)" = 1 ]
t_check "user = nobody: the seccomp filter is in force" [ "$(status "$PID_st" Seccomp)" = 2 ]
echo "     $(grep -E '^(Uid|CapEff|CapPrm|CapBnd|NoNewPrivs|Seccomp):' "/proc/$PID_st/status" | tr -s '\t' ' ' | tr '\n' ' ')"
t_check "user = nobody: real, effective, saved and fs uid are 65534" \
	[ "$(grep '^Uid:' "/proc/$PID_st/status" | tr -s '\t ' ' ')" = "Uid: 65534 65534 65534 65534" ]
t_check "user = nobody: no supplementary groups" \
	[ -z "$(awk '$1 == "Groups:" { print $2 }' "/proc/$PID_st/status")" ]
t_check "user = nobody: the state directory and database belong to nobody" sh -c \
	"[ \$(stat -c %u '$T_TMP/st/state') = 65534 ] && [ \$(stat -c %u '$T_TMP/st/state/evbd.db') = 65534 ]"
t_check "user = nobody: evbctl without EVBD_USER refuses its answers" sh -c \
	"! env -u EVBD_USER \"$EVBCTL\" port show 2>\"$T_TMP/err\" &&
	grep -q 'did not come from a privileged evbd (netlink port id [0-9]* is held by a process of uid 65534' \"$T_TMP/err\""
t_check "user = nobody: negotiated" wait_until 10 negotiated st
t_check "user = nobody: a VSI associates" sh -c "\"$EVBCTL\" vsi associate dev vst uuid $U \
	type 5 version 1 mac 52:54:00:00:a0:01 vlan 101 wait"
t_check "user = nobody: the bridge holds it" wait_until 10 assoc_is br 1

# the interface goes away and comes back: the port opens a new packet socket
ip link del vst
t_check "user = nobody: the removed interface leaves the port absent" \
	wait_until 5 sh -c "\"$EVBCTL\" port show dev vst | grep -q 'link: absent'"
veth vst main vbr bridge 02:00:00:00:00:01 02:00:00:00:00:02
t_check "user = nobody: the re-created interface negotiates again" wait_until 10 negotiated st
t_check "user = nobody: no socket error in the log" sh -c \
	"! grep -q 'cannot open the interface' \"$T_TMP/st/log\""
t_check "user = nobody: a VSI de-associates" sh -c \
	"\"$EVBCTL\" vsi deassociate dev vst uuid $U wait"
t_check "user = nobody: the bridge lets it go" wait_until 10 assoc_is br 0
kill -HUP "$PID_st"
t_check "user = nobody: SIGHUP re-reads the configuration" \
	wait_until 5 grep -q 'configuration re-read' "$T_TMP/st/log"
t_check "user = nobody: still cut after SIGHUP" caps_are "$PID_st"
t_done
