#!/bin/sh
# SPDX-License-Identifier: ISC
# test_clif_golden.sh - the golden comparison of lldpad's control
# interface: one script of vdptool and lldptool command lines (those of
# OpenStack's Cisco DFA agent, oVirt's VDSM and a station's configuration)
# run against the real lldpad (an lldpad station whose bridge is an
# lldpad) and against evbd (an evbd station with the lldpad-clif plugin
# whose bridge is an evbd).  Both outputs are recorded in
# tests/interop/golden/; the test holds each run against its record and
# the difference of the two runs against golden/clif-differences.diff,
# the deliberate differences docs/lldpad-clif.md lists.  Only pids are
# normalised.  GOLDEN_UPDATE=1 rewrites the records (then read the diff).
# shellcheck disable=SC2154 # PID_*, LP_PID_* are set by evbd_start, lp_start (eval)
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lldpad.sh"
lp_require
G=$T_ROOT/tests/interop/golden
U=6d0f0000-0000-4000-8000-0000000000
MAC=52:54:00:00:00

# The same timers on all four: R 3, RTE 8, RWD 20, RKA 20, group IDs.
ns_new lst
ns_new lbr
veth vst lst vbr lbr 02:00:00:00:00:01 02:00:00:00:00:02
lp_conf "$T_TMP/lst.conf" vst station 3 8 20 20 true
lp_conf "$T_TMP/lbr.conf" vbr bridge 3 8 20 20 true
lp_start lbr lbr "$T_TMP/lbr.conf" || exit 1
lp_start lst lst "$T_TMP/lst.conf" || exit 1

ns_new est
ns_new ebr
veth vst est vbr ebr 02:00:00:00:00:01 02:00:00:00:00:02
conf_e() { printf '[port %s]\nrole = %s\nr = 3\nrte = 8\nrwd = 20\nrka = 20\nrr = yes\ngroup-id = yes\nlldp-interval = 1\n%s\n' "$2" "$1" "$3"; }
conf_e bridge vbr "" >"$T_TMP/ebr.conf"
conf_e station vst "[global]
plugin-dir = $T_BUILD/plugins
plugins = lldpad-clif" >"$T_TMP/est.conf"
evbd_start ebr ebr -f "$T_TMP/ebr.conf" || exit 1
evbd_start est est -f "$T_TMP/est.conf" || exit 1

t_check "lldpad pair: the station's VDP22 has the negotiated timers" lp_wait_vdp lst vst 20 20
t_check "lldpad pair: the bridge's VDP22 has them" lp_wait_vdp lbr vbr 20 20
e_ready() { ctl est -j port show | jq -e '.[0].negotiated.valid and .[0].negotiated.gid'; }
t_check "evbd pair: EVB negotiated with group IDs" wait_until 15 e_ready
# The bridge echoes the station's reflective-relay request (RRSTAT) in its
# next LLDPDU: the script starts once each station has seen that one.
settled() { ns_exec "$1" lldptool -t -n -i vst -g ncb -V evb | grep -q 'rrstat(0xd)'; }
t_check "lldpad pair: the bridge's TLV echoes the station's RR request" wait_until 15 settled lst
t_check "evbd pair: the bridge's TLV echoes the station's RR request" wait_until 15 settled est

va() { # MODE N GID-OR-EMPTY FILTER...
	_m=$1 _n=$2
	shift 2
	printf -- '-i vst -T -W -V %s -c mode=%s -c mgrid2=blade1 -c typeid=5 -c typeidver=4 -c uuid=%s%s -c hints=none' "$_m" "$_m" "$U" "$_n"
	for _f in "$@"; do printf -- ' -c filter=%s' "$_f"; done
}
# The script: one command line a line (word-split; no quoting needed).
cat >"$T_TMP/script" <<EOS
vdptool -p
lldptool -ping
lldptool -L -i vst -g ncb adminStatus=rxtx
lldptool -l -i vst -g ncb adminStatus
lldptool get-lldp -i vst adminStatus
lldptool -T -i vst -g ncb -V evb enableTx=yes
lldptool -T -i vst -g ncb -V evb -c enableTx=yes
lldptool -T -i vst -g ncb -V evb -c evbgpid=yes
lldptool -t -i vst -g ncb -V evb -c
lldptool -t -i vst -g ncb -V evb -c evbmode -c enabletx -c ecprte
lldptool -T -i vst -g ncb -V evb -c ecprte=40
lldptool -T -i vst -g ncb -V evb -c bogus=1
lldptool get-tlv -n -i vst -g ncb -V evb
lldptool get-tlv -n -i vst
lldptool -t -i vst -g ncb -V evb
lldptool -t -n -i vst -g ncb -V evb -c
lldptool -t -i nope -g ncb -V evb
vdptool $(va assoc 01 2-$MAC:01)
vdptool -i vst -t -V assoc
vdptool -i vst -t -V assoc -c uuid=${U}01
vdptool -i vst -t -R -V assoc -c uuid=${U}01
vdptool $(va assoc 02 3-$MAC:02-77) -c oui=cisco,vm_name=vm2,ipv4_addr=10.0.0.2,vm_uuid=${U}02
vdptool -i vst -t -V assoc -c uuid=${U}02
vdptool $(va preassoc 03 4)
vdptool $(va preassoc-rr 04 5-$MAC:04)
vdptool -i vst -t -V preassoc
vdptool -i vst -t -V preassoc-rr
vdptool $(va assoc 05 12290-$MAC:05 12290-$MAC:15)
vdptool $(va deassoc 01 2-$MAC:01)
vdptool -i vst -t -V assoc -c uuid=${U}01
vdptool -i nope -t -V assoc
vdptool $(va assoc 99 4095-$MAC:99)
EOS
# run NS OUT: every line of the script in namespace NS: the line, its
# output (the pid of vdptool -p / lldptool -ping normalised), its exit
# status.
run_script() {
	while read -r _l; do
		printf '$ %s\n' "$_l"
		# shellcheck disable=SC2086 # the line is word-split on purpose
		ns_exec "$1" $_l >"$T_TMP/out" 2>&1 </dev/null
		_rc=$?
		case $_l in # the daemon's pid: the one thing that must differ
		*" -p" | *" -ping") sed 's/^[0-9][0-9]*$/<pid>/' "$T_TMP/out" ;;
		*) cat "$T_TMP/out" ;;
		esac
		printf 'rc=%s\n' "$_rc"
	done <"$T_TMP/script" >"$2"
}
run_script lst "$T_TMP/clif-lldpad.txt"
run_script est "$T_TMP/clif-evbd.txt"
diff -u --label lldpad --label evbd "$T_TMP/clif-lldpad.txt" "$T_TMP/clif-evbd.txt" >"$T_TMP/clif-differences.diff"
if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
	cp "$T_TMP/clif-lldpad.txt" "$T_TMP/clif-evbd.txt" "$T_TMP/clif-differences.diff" "$G/"
fi
same() { cmp -s "$T_TMP/$1" "$G/$1" || { diff -u "$G/$1" "$T_TMP/$1" | head -40; false; }; }
t_check "lldpad gives its recorded output (golden/clif-lldpad.txt)" same clif-lldpad.txt
t_check "evbd gives its recorded output (golden/clif-evbd.txt)" same clif-evbd.txt
t_check "evbd differs from lldpad only as recorded (golden/clif-differences.diff)" same clif-differences.diff
t_done
