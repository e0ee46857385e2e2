#!/bin/sh
# SPDX-License-Identifier: ISC
# test_json_vocab.sh - evbctl's JSON is an interface (docs/json.md): every
# -j command, run against a real station and bridge (VSIs of every VSIID
# format, a VSI type database, the MIB, a monitor while VSIs come and go)
# and `decode` on every test vector, prints documents that match their
# definition in docs/evbctl.schema.json, and every member name has one JSON
# type across all of them (json_vocab.py).  Then, with no evbd running,
# every command that talks to it fails with a sentence, exit 1 and nothing
# on standard output (no "[]" that reads as "no ports").
if [ -z "${EVBD_T_INNER:-}" ] && [ "$(id -u)" = 0 ]; then
	EVBD_T_INNER=1 exec unshare -n --mount --propagation private sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
trap t_cleanup EXIT

if ! python3 -c 'import jsonschema' 2>/dev/null; then
	echo "test_json_vocab: skipped (python3-jsonschema is missing; scripts/deps.sh installs it)"
	t_done
	exit 0
fi
SCHEMA=$T_ROOT/docs/evbctl.schema.json
VEC=$T_ROOT/tests/vectors
D=$T_TMP/docs
mkdir -p "$D"
PAIRS=""
# doc NAME DEF NS ARGS...: `evbctl -j ARGS` in namespace NS into $D/NAME,
# held against $defs/DEF at the end; the command must succeed.
doc() {
	_n=$1 _d=$2 _ns=$3
	shift 3
	if ! ns_exec "$_ns" "$EVBCTL" -j "$@" >"$D/$_n" 2>"$D/$_n.err"; then
		t_fail "evbctl -j $* failed"
		cat "$D/$_n.err"
	fi
	PAIRS="$PAIRS $_d $D/$_n"
}

ns_new bridge
veth vst main vbr bridge 02:00:00:00:00:01 02:00:00:00:00:02
conf_fast st station vst "cdcp = on"
conf_fast br bridge vbr "$(printf 'cdcp = on\nsvid-pool = 100-109\n[global]\npolicy = database')"
# (the [global] section after the port: evbd.conf allows sections in any order)
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
evbd_start st main -f "$T_TMP/st.conf" || exit 1
wait_until 10 sh -c "'$EVBCTL' -j port show | jq -e '.[0].negotiated.valid'"

ctl br vsitype add 5 version 1 vlans 10-20 formats vid,mac-vid,group-vid,group-mac-vid name web pcp 3 >/dev/null
ctl br vsitype add default vlans 30 assign-vlan 30 >/dev/null
"$EVBCTL" -j monitor >"$D/monitor" 2>/dev/null &
MPID=$!
T_PIDS="$T_PIDS $MPID"
wait_until 5 sh -c "'$EVBCTL' -j stats | jq -e '.evbd.subscribers == 1'"

U1=6d0f0000-0000-4000-8000-000000000001
doc assoc vsi main vsi associate dev vst type 5 version 1 uuid $U1 mac 52:54:00:00:00:01 vlan 10 mgrid web wait
doc preassoc vsi main vsi preassociate-rr dev vst type 5 version 1 vsiid mac:52:54:00:00:00:02 vlan 11 wait
doc assoc4 vsi main vsi associate dev vst type 5 version 1 vsiid ipv4:10.0.0.3 mac 52:54:00:00:00:03 vlan 12 mac 52:54:00:00:00:04 vlan 13 hints migrate-to wait
doc assoc6 vsi main vsi associate dev vst type 9 version 9 vsiid ipv6:fe80::4 vlan 0 wait
"$EVBCTL" vsi associate dev vst type 6 version 1 vsiid local:00112233445566778899aabbccddeeff vlan 99 wait >/dev/null 2>&1 # refused: type 6 is not in the database
doc vsi_list vsi_list main vsi list
doc vsi_list_br vsi_list bridge vsi list dev vbr
doc vsi_show vsi_show main vsi show uuid $U1
doc vsi_show_br vsi_show bridge vsi show vsiid mac:52:54:00:00:00:02 dev vbr
doc deassoc vsi main vsi deassociate dev vst vsiid ipv4:10.0.0.3 wait
doc port port_list main port show
doc port_br port_list bridge port show dev vbr
doc port_s port_list main -s port show
doc port_clear count_result bridge port clear-stats dev vbr
doc vsitype_list vsitype_list bridge vsitype list
doc vsitype_show vsitype bridge vsitype show 5 version 1
ctl br -j vsitype list >"$T_TMP/types.json"
doc vsitype_import count_result bridge vsitype import "$T_TMP/types.json"
doc stats stats main stats
doc stats_br stats bridge stats
doc version version main --version
doc mib_get varbind_list main mib get ieee8021BridgeEvbSysType.0
doc mib_walk varbind_list bridge mib walk ieee8021BridgeEvbVSIDBTable
doc mib_missing varbind_list main mib get 1.3.111.2.802.1.1.24.1.1.1.77
doc plugin plugin main plugin
printf 'vsi associate dev vst type 5 version 1 uuid %s vlan 13\nvsi list dev vst\nport show\n' \
	6d0f0000-0000-4000-8000-000000000009 >"$T_TMP/batch"
doc batch batch main -b "$T_TMP/batch"
printf 'vsi associate dev nope type 5 version 1 uuid %s vlan 13\n' 6d0f0000-0000-4000-8000-00000000000a >"$T_TMP/batch2"
"$EVBCTL" -j -b "$T_TMP/batch2" >"$D/batch_fail" 2>/dev/null
t_check "batch with a failing line: exit 1, its summary lists the line" \
	jq -e '.failed == 1 and .failures[0].line == 1' "$D/batch_fail"
PAIRS="$PAIRS batch $D/batch_fail"
for f in "$VEC"/*.hex; do
	"$EVBCTL" -j decode - <"$f" >"$D/decode.$(basename "$f" .hex)" 2>/dev/null
	PAIRS="$PAIRS frame_list $D/decode.$(basename "$f" .hex)"
done
doc decode_pcap frame_list main decode -r "$VEC/vdp-exchange.pcap"
ip link set vst down
ip link set vst up
wait_until 10 sh -c "'$EVBCTL' -j port show | jq -e '.[0].negotiated.valid'"
wait_until 5 grep -q '"event":"vsi-state"' "$D/monitor"
PAIRS="$PAIRS event-lines $D/monitor"

# shellcheck disable=SC2086
t_check "every -j document matches docs/evbctl.schema.json; every name has one type" \
	python3 "$T_ROOT/tests/integration/json_vocab.py" "$SCHEMA" $PAIRS
t_check "the monitor saw VSI and port events" sh -c "
	jq -se '([.[].event] | index(\"vsi-state\")) and ([.[].event] | index(\"link\"))' '$D/monitor' >/dev/null"
t_check "a document that breaks the vocabulary is caught (the checker can fail)" sh -c "
	echo '[{\"dev\": 1}]' >'$T_TMP/badport' &&
	! python3 '$T_ROOT/tests/integration/json_vocab.py' '$SCHEMA' port_list '$T_TMP/badport' port_list '$D/port'"

# ---- no evbd: nothing on stdout, exit 1, a sentence ----
evbd_kill st
wait $MPID 2>/dev/null
for c in "port show" "vsi list" "vsi show uuid $U1" "stats" "vsitype list" "mib walk" "plugin" \
	"monitor" "vsi associate dev vst type 5 version 1 uuid $U1 vlan 10" \
	"vsi deassociate dev vst uuid $U1"; do
	# shellcheck disable=SC2086
	"$EVBCTL" -j $c >"$T_TMP/out" 2>"$T_TMP/err"
	RC=$?
	t_check "no evbd: evbctl -j $c: exit 1, nothing on stdout, the sentence on stderr" sh -c "
		[ $RC = 1 ] && [ ! -s '$T_TMP/out' ] && grep -q 'evbd is not running' '$T_TMP/err' ||
		{ echo exit $RC; cat '$T_TMP/out' '$T_TMP/err'; false; }"
done
"$EVBCTL" --version >"$T_TMP/out" 2>&1
t_check "no evbd: --version still answers, and says so" \
	grep -q '^evbctl [^ ]*; no evbd answers: evbd is not running' "$T_TMP/out"
t_done
