# SPDX-License-Identifier: ISC
# lldpad.sh - lldpad (Debian package) as the peer of evbd in the interop
# tests; sourced by tests/interop/test_*.sh after ../integration/lib.sh.
#
# Owns: starting lldpad with a config file written beforehand (own network
# namespace, own mount namespace with a private tmpfs /dev/shm so that
# several lldpads run at once, -p, -f), waiting until its VDP22 instance has
# the negotiated timers (its zero-timer start-up window), reading its EVB TLV
# with lldptool, vdptool command lines, and the wire check of evbd's trace.
# See docs/interop.md and docs/protocol.md, "lldpad quirks".

# shellcheck shell=sh disable=SC2016,SC2154 # literal $ in sh -c; variables set by eval
LP_LOG=${LP_LOG:-7} # lldpad -V: 7 = debug; lp_wait_vdp reads the debug log

lp_require() {
	for c in lldpad lldptool vdptool tcpdump jq; do
		command -v "$c" >/dev/null && continue
		echo "FAIL - $c not installed (make deps installs lldpad, tcpdump, jq)"
		echo "0 passed, 1 failed"
		exit 1
	done
}

# lp_conf FILE IF station|bridge R RTE RWD RKA GPID: an lldpad config with the
# LLDP agent of the nearest customer bridge on (rx+tx) and the 802.1Qbg-2012
# EVB TLV (tlvid0080c20d) of that role; GPID true|false.  Written before
# lldpad starts: lldpad takes its VDP role from it once (docs/protocol.md, lldpad quirk 14).
lp_conf() {
	if [ "$3" = bridge ]; then _cap=true; else _cap=false; fi
	cat >"$1" <<EOC
nearest_customer_bridge : { $2 : { adminStatus = 3; tlvid0080c20d : {
  evbmode = "$3"; evbrrreq = true; evbrrcap = $_cap; evbgpid = $8;
  ecpretries = $4; ecprte = $5; vdprwd = $6; vdprka = $7; enableTx = true; }; }; };
EOC
}

# lp_start NAME NS CONF: start lldpad in namespace NS (not "main"); log in
# $T_TMP/NAME.log, its pid in LP_PID_NAME (also killed by t_cleanup).  Waits
# until its control interface answers.
lp_start() {
	$(ns_prefix "$2") unshare --mount --propagation private sh -c \
		'mount -t tmpfs lldpad-shm /dev/shm && exec stdbuf -oL lldpad -p -V "$1" -f "$2"' \
		sh "$LP_LOG" "$3" >>"$T_TMP/$1.log" 2>&1 &
	# nsenter, unshare and sh all exec: $! is lldpad itself.
	eval "LP_PID_$1=$!"
	eval "LP_NS_$1=$2"
	T_PIDS="$T_PIDS $!"
	wait_until 10 ns_exec "$2" lldptool -p || {
		echo "lldpad $1 did not start:"
		tail -5 "$T_TMP/$1.log"
		return 1
	}
}

# lp_kill NAME [SIGNAL]: stop the lldpad called NAME (by its pid).
lp_kill() {
	eval "_p=\$LP_PID_$1"
	kill "-${2:-TERM}" "$_p" 2>/dev/null
	wait "$_p" 2>/dev/null
	return 0
}

# lp NAME CMD...: run CMD (lldptool, vdptool) against the lldpad called NAME.
lp() {
	_n=$1
	shift
	eval "ns_exec \$LP_NS_$_n \"\$@\""
}

# lp_wait_vdp NAME IF RWD RKA: wait until lldpad's VDP22 on IF, created on the
# first LLDP tick after link up, has received the negotiated timers from its
# EVB module (debug log "data_from_evb:IF rwd:RWD rka:RKA").  Before that all
# its timer exponents are 0 (docs/protocol.md, lldpad quirk 15).
lp_wait_vdp() {
	wait_until 15 awk -v c="vdp22_create:$2 " -v d="data_from_evb:$2 rwd:$3 rka:$4 " \
		'index($0, c) { s = 1 } s && index($0, d) { f = 1 } END { exit !f }' \
		"$T_TMP/$1.log"
}

# lp_evb NAME IF [-n]: lldpad's EVB TLV on IF (its own; -n: the neighbour's)
# as "r=R rte=RTE rwd=RWD rka=RKA rr=0|1" (rr: bridge status RRCTR bit).
lp_evb() {
	lp "$1" lldptool -t ${3:+"$3"} -i "$2" -g ncb -V evb | awk '
		/bridge:/ { rr = /rrctr/ ? 1 : 0 }
		{ for (i = 1; i <= NF; i++) { split($i, kv, ":")
			if (kv[1] ~ /^(retries|rte|rwd|rka)$/) v[kv[1]] = kv[2] } }
		END { printf "r=%s rte=%s rwd=%s rka=%s rr=%s\n", v["retries"], v["rte"],
			v["rwd"], v["rka"], rr }'
}

# evbd_evb NAME: the operating values of evbd NAME's (only) port, same form.
evbd_evb() {
	ctl "$1" -j port show | jq -r '.[0].negotiated | select(.valid) |
		"r=\(.r) rte=\(.rte) rwd=\(.rwd) rka=\(.rka) rr=\(if .rr then 1 else 0 end)"'
}
# evb_agree EVBD LLDPAD IF VALUES OWN: evbd operates on VALUES, lldpad
# transmits VALUES in its own EVB TLV (its operating values) and has received
# OWN in evbd's (evbd advertises its own values, docs/protocol-choices.md).
evb_agree() {
	[ "$(evbd_evb "$1")" = "$4" ] && [ "$(lp_evb "$2" "$3")" = "$4" ] &&
		[ "$(lp_evb "$2" "$3" -n)" = "$5" ]
}

# vdp NAME IF MODE UUID TYPE VERSION MGRID FILTER...: one vdptool request on
# the lldpad station NAME, waiting (-W) for the bridge's answer; the filters
# in vdptool's form (VID, VID-MAC, VID--GROUP, VID-MAC-GROUP).  Succeeds when
# vdptool exits 0 and reports the bridge's answer with the requested mode.
vdp() {
	_n=$1 _if=$2 _m=$3 _u=$4 _t=$5 _v=$6 _g=$7
	shift 7
	_f=""
	for x in "$@"; do _f="$_f -c filter=$x"; done
	# shellcheck disable=SC2086 # _f is a list of words
	lp "$_n" vdptool -i "$_if" -T -W -V "$_m" -c mode="$_m" -c mgrid2="$_g" -c typeid="$_t" \
		-c uuid="$_u" -c typeidver="$_v" -c hints=none $_f >"$T_TMP/vdp.out" 2>&1
	_rc=$?
	cat "$T_TMP/vdp.out"
	[ $_rc = 0 ] && grep -q "mode = $_m\$" "$T_TMP/vdp.out"
}

# vdp_list NAME IF [MODE]: the UUIDs the lldpad station lists in MODE (assoc
# by default; vdptool's query matches the mode too), one a line, sorted.
vdp_list() {
	lp "$1" vdptool -i "$2" -t -V "${3:-assoc}" | sed -n 's/^\tuuid = //p' | sort
}

# pace_report EVBD: the adaptive ECP pacing's log lines of evbd EVBD, as
# comments (how far it slowed for lldpad, and when).
pace_report() {
	grep -h -e 'ECP/VDP started' -e 'ECP pacing' -e 'pacing ECPDUs' -e 'ack-clocked again' \
		-e 'ECPDUs no closer' \
		"$T_TMP/$1/log" | sed "s/^/# $1: /"
	echo "# $1: $(ctl "$1" -j port show | jq -c '.[0].ecp | {pace_us, pace_max_us, pace_losses, pace_answers, pace_repeats, pace_dups, pace_cadence_us}')"
}

# wire_check EVBD PCAP [TLV]: stop evbd EVBD (so that its trace PCAP is
# complete), then every frame of the trace decodes with evbctl (exit 0, no
# "malformed") and with tcpdump -v (the EVB TLVs decode, nothing malformed or
# invalid).  TLV: what tcpdump prints for the EVB TLV (default the 2012 one;
# it shows the draft 0.2 one as "OUI Unknown (0x001b3f)").
wire_check() {
	evbd_kill "$1" TERM
	"$EVBCTL" decode -r "$2" >"$T_TMP/$1.decode" 2>&1
	_rc=$?
	_n=$(grep -c '^frame [0-9]*:' "$T_TMP/$1.decode")
	t_check "$1 wire: evbctl decodes all $_n frames of the trace, none malformed" \
		sh -c "[ $_rc = 0 ] && [ $_n -gt 0 ] && ! grep -qi malformed '$T_TMP/$1.decode'"
	# tcpdump running as root drops to user tcpdump, which fails in the test's
	# user namespace; in a nested one without mappings it is nobody already.
	unshare -U tcpdump -nn -v -r - <"$2" >"$T_TMP/$1.tcpdump" 2>"$T_TMP/$1.tcpdump.err"
	_rc=$?
	_n=$(grep -cF "${3:-EVB Subtype (13)}" "$T_TMP/$1.tcpdump")
	# (its hex dumps of ECP frames are left out: their text column is noise)
	t_check "$1 wire: tcpdump -v shows all $_n EVB TLVs, nothing malformed or invalid" \
		sh -c "[ $_rc = 0 ] && [ $_n -gt 0 ] && ! grep -Ev '^[[:space:]]+0x[0-9a-f]+:' \
			'$T_TMP/$1.tcpdump' | grep -Eqi 'malformed|invalid|truncated|\\[\\|'"
}

# vdp_tlvs PCAP: one line per VSI TLV in a trace, "TIME FROM TYPE STATUS VSIID"
# (FROM: st for 02:00:00:00:00:01, br for 02:00:00:00:00:02, the MACs every
# interop test gives its veth pair; STATUS in decimal, 64 = response, success).
# ECP retransmissions (the sender's previous sequence number again) are left
# out: the receiver acknowledges them without passing them on.
vdp_tlvs() {
	# decoded once per trace size: the checks poll it
	_sz=$(stat -c %s "$1")
	if [ "$_sz" != "$(cat "$1.tlvs.size" 2>/dev/null)" ]; then
		vdp_tlvs_decode "$1" >"$1.tlvs"
		echo "$_sz" >"$1.tlvs.size"
	fi
	cat "$1.tlvs"
}
vdp_tlvs_decode() {
	"$EVBCTL" -j decode -r "$1" | jq -r '.[] | select(.vdp) | . as $f | .vdp.tlvs[] |
		select(.type >= 1 and .type <= 4) | [$f.time,
		(if $f.ethernet.src == "02:00:00:00:00:01" then "st" else "br" end),
		$f.ecp.seq, .type_name, .status, .vsiid] | map(tostring) | join(" ")' |
		awk '$1 != t[$2] { t[$2] = $1; dup[$2] = ($3 == last[$2]); last[$2] = $3 }
			!dup[$2] { print $1, $2, $4, $5, $6 }'
}

# seen_in PCAP FROM TYPE STATUS VSIID OP N: the trace holds OP (-eq, -ge, ...)
# N VSI TLVs of that type and status for that VSIID sent by FROM (st|br).
seen_in() {
	_n=$(vdp_tlvs "$1" | awk -v f="$2" -v t="$3" -v s="$4" -v id="$5" \
		'$2 == f && $3 == t && $4 == s && $5 == id' | wc -l)
	test "$_n" "$6" "$7"
}
