#!/bin/sh
# SPDX-License-Identifier: ISC
# test_decode.sh - `evbctl decode` against the frames of tests/vectors (the
# lldpad captures and the worked frame of docs/protocol.md, an LLDPDU with
# the EVB TLV, malformed frames), in text and JSON, from arguments, standard
# input and pcap.  Prints one line per case and "N passed, N failed"; exits 1
# when a case failed.  JSON is checked with jq (scripts/deps.sh installs it);
# without jq the script fails at once rather than pass checks it cannot make.
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
case ${EVBD_BUILD:=build} in # the build directory, as in lib.sh
/*) evbctl=$EVBD_BUILD/evbctl ;;
*) evbctl=$root/$EVBD_BUILD/evbctl ;;
esac
vec=$root/tests/vectors
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
if [ ! -x "$evbctl" ]; then
	echo "FAIL - $evbctl is missing: run make first"
	echo "0 passed, 1 failed"
	exit 1
fi
if ! command -v jq >/dev/null 2>&1; then
	echo "FAIL - jq is not installed, so the JSON output cannot be checked: install it (apt-get install jq, or make deps)"
	echo "0 passed, 1 failed"
	exit 1
fi

ok() {
	pass=$((pass + 1))
	echo "ok   - $1"
}

nok() {
	fail=$((fail + 1))
	echo "FAIL - $1: $2"
}

# run [ARGS...]: evbctl with stdin from $in (or /dev/null); sets $out $err $rc.
run() {
	"$evbctl" "$@" <"${in:-/dev/null}" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# runin FILE [ARGS...]: run with stdin from FILE.
runin() {
	in=$1
	shift
	run "$@"
	in=
}

# decode FILE [ARGS...]: `evbctl [ARGS] decode -` with the vector on stdin.
decode() {
	f=$1
	shift
	runin "$vec/$f" "$@" decode -
}

rc_is() {
	if [ "$rc" -eq "$2" ]; then ok "$1"; else nok "$1" "exit status $rc, expected $2 (stderr: $err)"; fi
}

# has NAME TEXT: stdout holds TEXT (several lines, indentation included).
has() {
	case $out in
	*"$2"*) ok "$1" ;;
	*) nok "$1" "output lacks '$(printf '%s' "$2" | tr '\n' '|')'" ;;
	esac
}

# err_is NAME TEXT: stderr is exactly TEXT.
err_is() {
	if [ "$err" = "$2" ]; then ok "$1"; else nok "$1" "stderr '$err', expected '$2'"; fi
}

# jeq NAME FILTER EXPECTED: `jq -c FILTER` of the JSON output is EXPECTED.
jeq() {
	got=$(printf '%s\n' "$out" | jq -c "$2" 2>&1)
	if [ "$got" = "$3" ]; then ok "$1"; else nok "$1" "jq '$2' gave $got, expected $3"; fi
}

# ---- the lldpad exchange (docs/protocol.md) --------------------------------

decode vdp-assoc-req.hex
rc_is "assoc request (dump format on stdin): exit 0" 0
err_is "assoc request: nothing on stderr" ""
has "assoc request text: ethernet" "  length: 71
  ethernet:
    dst: 01:80:c2:00:00:00
    dst_name: nearest-customer-bridge
    src: 02:00:00:00:00:01
    ethertype: 0x8940
    ethertype_name: ecp"
has "assoc request text: ecp header" "  ecp:
    protocol_version: 1
    op: request (0)
    subtype: vdp (1)
    seq: 1
    ulpdu_length: 53"
has "assoc request text: manager ID TLV" "    tlvs[0]:
      offset: 0x12
      type: mgrid (5)
      length: 16
      mgrid: lp1
      mgrid_hex: 6c703100000000000000000000000000"
has "assoc request text: VSI TLV field by field" "    tlvs[1]:
      offset: 0x24
      type: assoc (3)
      length: 33
      mgrid: lp1
      mgrid_hex: 6c703100000000000000000000000000
      status: 0x0
      direction: request
      m_bit: no
      s_bit: no
      reserved_bits: 0x0
      type_id: 0x5
      type_version: 4
      vsiid_format: uuid (5)
      vsiid: 00112233-4455-6677-8899-aabbccddeeff
      filter_format: mac-vid (2)
      filter_count: 1
      filters[0]:
        mac: 52:54:00:8e:aa:11
        ps: no
        pcp: 0
        vid: 2
      check: success (0)
    padding: 0"

decode vdp-assoc-req.hex -j
rc_is "assoc request json: exit 0" 0
jeq "assoc request json: frame, length, ethernet" \
	'.[0] | [.frame, .length, .ethernet.dst, .ethernet.src, .ethernet.ethertype, .ethernet.ethertype_name]' \
	'[1,71,"01:80:c2:00:00:00","02:00:00:00:00:01",35136,"ecp"]'
jeq "assoc request json: ecp header" \
	'.[0].ecp | [.protocol_version, .op, .op_name, .subtype, .subtype_name, .seq, .ulpdu_length]' \
	'[1,0,"request",1,"vdp",1,53]'
jeq "assoc request json: manager ID TLV" \
	'.[0].vdp.tlvs[0] | [.offset, .type, .type_name, .length, .mgrid_hex, .mgrid]' \
	'[18,5,"mgrid",16,"6c703100000000000000000000000000","lp1"]'
jeq "assoc request json: VSI TLV fields" \
	'.[0].vdp.tlvs[1] | [.offset, .type, .type_name, .length, .status, .direction, .m_bit, .s_bit, .type_id, .type_version, .vsiid_format, .vsiid_format_name, .vsiid, .filter_format, .filter_format_name, .filter_count, .check]' \
	'[36,3,"assoc",33,0,"request",false,false,5,4,5,"uuid","00112233-4455-6677-8899-aabbccddeeff",2,"mac-vid",1,0]'
jeq "assoc request json: MAC 52:54:00:8e:aa:11 VID 2 (where tshark is wrong)" \
	'.[0].vdp.tlvs[1].filters' '[{"mac":"52:54:00:8e:aa:11","ps":false,"pcp":0,"vid":2}]'
jeq "assoc request json: no padding, nothing malformed" '.[0] | [.vdp.padding, .malformed]' \
	'[0,[]]'

decode vdp-assoc-resp.hex -j
rc_is "assoc response: exit 0" 0
jeq "assoc response json: status 0x40 decoded" \
	'.[0].vdp.tlvs[1] | [.type_name, .status, .direction, .keep, .hard, .reason, .reason_name, .reserved_bits, has("m_bit")]' \
	'["assoc",64,"response",false,false,0,"success",0,false]'
jeq "assoc response json: source MAC and filter echoed" \
	'.[0] | [.ethernet.src, .vdp.tlvs[1].filters[0].mac, .vdp.tlvs[1].filters[0].vid]' \
	'["02:00:00:00:00:02","52:54:00:8e:aa:11",2]'
decode vdp-assoc-resp.hex
has "assoc response text: status" "      status: 0x40
      direction: response
      keep: no
      hard: no
      reason: success (0)
      reserved_bits: 0x0"

decode vdp-deassoc-req.hex -j
jeq "de-associate request json: type 4, seq 2" \
	'.[0] | [.ecp.seq, .vdp.tlvs[1].type, .vdp.tlvs[1].type_name, .vdp.tlvs[1].direction, .vdp.tlvs[1].length]' \
	'[2,4,"deassoc","request",33]'
decode vdp-deassoc-resp.hex
rc_is "de-associate response: exit 0" 0
has "de-associate response text" "      type: deassoc (4)
      length: 33"
has "de-associate response text: status" "      status: 0x40
      direction: response"

decode ecp-ack.hex -j
rc_is "ECP ACK (18 octets): exit 0" 0
jeq "ECP ACK json: op ack, seq 1, no VDP" \
	'.[0] | [.length, .ecp.protocol_version, .ecp.op, .ecp.op_name, .ecp.subtype_name, .ecp.seq, .ecp.padding, has("vdp"), .malformed]' \
	'[18,1,1,"ack","vdp",1,0,false,[]]'
decode ecp-ack.hex
has "ECP ACK text" "  ecp:
    protocol_version: 1
    op: ack (1)
    subtype: vdp (1)
    seq: 1
    padding: 0"

# ---- LLDP ------------------------------------------------------------------

decode lldp-evb.hex -j
rc_is "LLDPDU with the EVB TLV: exit 0" 0
jeq "LLDP json: chassis ID (MAC), port ID, TTL" \
	'.[0].lldp | [.chassis_id.subtype, .chassis_id.subtype_name, .chassis_id.id, .port_id.subtype, .port_id.id, .port_id.id_hex, .ttl]' \
	'[4,"mac-address","02:00:00:00:00:01",5,"vst","767374",120]'
jeq "LLDP json: EVB TLV fe 09 00 80 c2 0d 03 05 6e b4 34, every field" \
	'.[0].lldp.evb | [.bgid, .rrcap, .rrctr, .sgid, .rrreq, .rrstat, .rrstat_name, .r, .rte, .mode, .mode_name, .rol_rwd, .rwd, .rol_rka, .rka, .reserved_bits_set]' \
	'[false,true,true,false,true,1,"enabled",3,14,2,"station",true,20,true,20,[]]'
jeq "LLDP json: EVB timers in microseconds" \
	'.[0].lldp.evb | [.ack_timer_us, .ack_timer, .resource_wait_delay_us, .resource_wait_delay, .reinit_keep_alive_us, .reinit_keep_alive]' \
	'[163840,"163.840 ms",10485760,"10.486 s",10485760,"10.486 s"]'
jeq "LLDP json: TLV list and padding" \
	'.[0].lldp | [[.tlvs[] | [.offset, .type, .length]], .tlvs[3].oui, .tlvs[3].org_name, .padding, .unknown_tlvs]' \
	'[[[14,1,7],[23,2,4],[29,3,2],[33,127,9],[44,0,0]],"00-80-c2","evb",14,0]'
decode lldp-evb.hex
has "LLDP text: EVB TLV" "    evb:
      bgid: no
      rrcap: yes
      rrctr: yes
      sgid: no
      rrreq: yes
      rrstat: enabled (1)
      r: 3
      rte: 14
      mode: station (2)
      rol_rwd: yes
      rwd: 20
      rol_rka: yes
      rka: 20
      ack_timer_us: 163840
      ack_timer: 163.840 ms
      resource_wait_delay_us: 10485760
      resource_wait_delay: 10.486 s
      reinit_keep_alive_us: 10485760
      reinit_keep_alive: 10.486 s"
has "LLDP text: chassis ID" "    chassis_id:
      subtype: mac-address (4)
      id: 02:00:00:00:00:01"

decode lldp-cdcp.hex -j
rc_is "LLDPDU with CDCP and unknown TLVs: exit 0" 0
jeq "LLDP json: CDCP role, scomp, chncap, pairs" \
	'.[0].lldp.cdcp' '{"role":"S","scomp":false,"chncap":2,"pairs":[{"scid":1,"svid":1},{"scid":2,"svid":100}]}'
jeq "LLDP json: unknown TLVs listed with type and length" \
	'.[0] | [.ethernet.dst_name, .lldp.unknown_tlvs, .lldp.tlvs[3].type_name, .lldp.tlvs[3].length, .lldp.tlvs[5].oui, .lldp.tlvs[5].org_name, .lldp.tlvs[5].length, has("evb")]' \
	'["nearest-non-tpmr-bridge",2,"system-name",3,"00-12-0f","ieee-802.3",9,false]'

# ---- the worked frame (docs/protocol.md) -----------------------------------

decode ref-5.8.hex -j
rc_is "worked frame: exit 0" 0
jeq "worked frame json: PS=1 PCP=5 VID=100" \
	'.[0].vdp.tlvs[1].filters' '[{"mac":"52:54:00:c7:3e:ce","ps":true,"pcp":5,"vid":100}]'
jeq "worked frame json: type ID, version, VSIID, binary manager ID" \
	'.[0].vdp.tlvs | [.[1].type_id, .[1].type_version, .[1].vsiid, .[0].mgrid_hex, .[0].mgrid]' \
	'[1193046,1,"fa9b7fff-b0a0-4893-8e0e-beef4ff18f8f","0102030405060708090a0b0c0d0e0f10","0102030405060708090a0b0c0d0e0f10"]'
decode ref-5.8.hex
has "worked frame text: filter entry" "      filters[0]:
        mac: 52:54:00:c7:3e:ce
        ps: yes
        pcp: 5
        vid: 100"
has "worked frame text: type ID in hex" "      type_id: 0x123456"

# ---- input forms ---------------------------------------------------------------

decode vdp-assoc-req.hex -j
ref=$out
run -j decode 01:80:c2:00:00:00 02:00:00:00:00:01 0x8940 0x1001 0x0001 \
	"0a 10 6c 70 31 00 00 00 00 00 00 00 00 00 00 00 00 00" \
	0621000000050405 00112233445566778899AABBCCDDEEFF 0200015254008eaa110002
rc_is "hex arguments with colons, 0x, blanks, upper case: exit 0" 0
if [ "$out" = "$ref" ]; then ok "hex arguments decode as the dump"; else nok "hex arguments decode as the dump" "outputs differ"; fi

cat "$vec/vdp-assoc-req.hex" "$vec/ecp-ack.hex" "$vec/vdp-assoc-resp.hex" "$vec/lldp-evb.hex" >"$tmp/multi.hex"
runin $tmp/multi.hex -j decode
rc_is "four frames on stdin (dump, lines, continuation): exit 0" 0
jeq "four frames on stdin: numbered, each decoded" \
	'[.[] | [.frame, .length, (.ecp.op_name // .ethernet.ethertype_name)]]' \
	'[[1,71,"request"],[2,18,"ack"],[3,71,"request"],[4,60,"lldp"]]'

printf '%s\n' "0000  01 80 c2 00 00 00 02 00 00 00 00 02 89 40 14 01   ..............@." \
	"0010  00 07                                             .." >"$tmp/tshark.txt"
runin $tmp/tshark.txt -j decode -
jeq "offset dump with a text column (tshark -x)" '.[0] | [.length, .ecp.seq]' '[18,7]'

printf '%s\n' "	0x0000:  0180 c200 0000 0200 0000 0001 8940 1401  ..............@." \
	"	0x0010:  0003                                     .." >"$tmp/tcpdump.txt"
runin $tmp/tcpdump.txt -j decode -
jeq "offset dump as tcpdump -xx prints it" '.[0] | [.length, .ecp.seq]' '[18,3]'

printf '0x0180 0xc200 0x0000 0x0200 0x0000 0x0001 0x8940 0x1401 0x0009  \n' >"$tmp/groups.txt"
runin $tmp/groups.txt -j decode -
jeq "0x-prefixed 4-digit groups are not a dump offset" '.[0] | [.length, .ecp.seq]' '[18,9]'

# ---- pcap ------------------------------------------------------------------------

run -j decode -r "$vec/vdp-exchange.pcap"
rc_is "pcap: exit 0" 0
jeq "pcap json: frames and timestamps" '[.[] | [.frame, .time, .length]]' \
	'[[1,"2023-11-14T22:13:20.000000Z",60],[2,"2023-11-14T22:13:21.000000Z",71],[3,"2023-11-14T22:13:21.000260Z",18],[4,"2023-11-14T22:13:21.002471Z",71]]'
jeq "pcap json: each frame decoded" \
	'[.[0].lldp.evb.rte, .[1].vdp.tlvs[1].status, .[2].ecp.op_name, .[3].vdp.tlvs[1].status, .[3].vdp.tlvs[1].filters[0].vid]' \
	'[14,0,"ack",64,2]'
run decode -r "$vec/vdp-exchange.pcap"
has "pcap text: timestamp" "frame 3:
  frame: 3
  time: 2023-11-14T22:13:21.000260Z
  time_us: 1700000001000260
  length: 18"
"$vec/mkpcap.sh" "$tmp/re.pcap" \
	1700000000.000000 "$vec/lldp-evb.hex" 1700000001.000000 "$vec/vdp-assoc-req.hex" \
	1700000001.000260 "$vec/ecp-ack.hex" 1700000001.002471 "$vec/vdp-assoc-resp.hex"
if cmp -s "$tmp/re.pcap" "$vec/vdp-exchange.pcap"; then ok "mkpcap.sh reproduces vdp-exchange.pcap"; else nok "mkpcap.sh reproduces vdp-exchange.pcap" "files differ"; fi

# ---- malformed frames ----------------------------------------------------------

decode bad-vdp-truncated.hex -j
rc_is "truncated VDP TLV: exit 1" 1
err_is "truncated VDP TLV: stderr names offset and numbers" \
	"evbctl decode: frame 1: malformed: VDP TLV at offset 0x24: length 33 runs past the end of the frame (30 octets left)"
jeq "truncated VDP TLV json: malformed entry" '.[0].malformed' \
	'[{"offset":36,"what":"VDP TLV: length 33 runs past the end of the frame (30 octets left)"}]'
jeq "truncated VDP TLV json: what precedes is still decoded" \
	'.[0] | [.ecp.seq, .vdp.tlvs[0].mgrid, (.vdp.tlvs | length)]' '[1,"lp1",1]'
decode bad-vdp-truncated.hex
has "truncated VDP TLV text" "  malformed:
    offset: 0x24
    what: VDP TLV: length 33 runs past the end of the frame (30 octets left)"

decode bad-vdp-mgrid-len.hex -j
rc_is "bad manager ID length: exit 1" 1
err_is "bad manager ID length: stderr" \
	"evbctl decode: frame 1: malformed: VDP TLV at offset 0x12: Manager ID TLV length is not 16 (type 5, length 15)"
jeq "bad manager ID length json" '.[0] | [.malformed, .ecp.seq, .vdp.tlvs]' \
	'[[{"offset":18,"what":"VDP TLV: Manager ID TLV length is not 16 (type 5, length 15)"}],1,[]]'

decode bad-lldp-overrun.hex -j
rc_is "LLDP TLV running past the end: exit 1" 1
err_is "LLDP TLV running past the end: stderr" \
	"evbctl decode: frame 1: malformed: LLDP TLV at offset 0x21: length 32 runs past the end of the frame (9 octets left)"
jeq "LLDP TLV running past the end json: earlier TLVs decoded" \
	'.[0] | [.malformed[0].offset, .lldp.chassis_id.id, .lldp.port_id.id, .lldp.ttl, has("evb"), .lldp.tlvs[3].length]' \
	'[33,"02:00:00:00:00:01","vst",120,false,32]'

decode bad-vdp-count.hex -j
rc_is "filter count not matching the TLV: exit 1" 1
err_is "filter count not matching the TLV: stderr" \
	"evbctl decode: frame 1: malformed: VSI TLV at offset 0x3d: filter entry count does not match the TLV length (TLV at offset 0x24, type 3, length 33)"
jeq "filter count json: VSI identified, reason for the bridge" \
	'.[0].vdp.tlvs[1] | [.offset, .vsiid, .filter_format, .error, .bridge_reason, .bridge_reason_name, has("filters")]' \
	'[36,"00112233-4455-6677-8899-aabbccddeeff",2,"filter entry count does not match the TLV length",1,"invalid format",false]'

run -j decode 0180c2
rc_is "3-octet frame: exit 1" 1
jeq "3-octet frame json" '.[0] | [.length, .malformed, has("ethernet")]' \
	'[3,[{"offset":0,"what":"Ethernet header: the frame has only 3 octets"}],false]'

run -j decode 0180c2000000 020000000001 8940 10
rc_is "ECP header cut short: exit 1" 1
jeq "ECP header cut short json" '.[0].malformed' \
	'[{"offset":14,"what":"ECP header: the frame ends after 1 of its 4 octets"}]'

run -j decode 0180c2000000 020000000001 8940 2001 0001
rc_is "ECP version 2: exit 1" 1
jeq "ECP version 2 json: raw header kept" '.[0] | [.ecp.header, .malformed[0].offset, .malformed[0].what]' \
	'["20010001",14,"ECP header: version is not 1 or the operation is reserved (2, 3)"]'

cat "$vec/bad-vdp-truncated.hex" "$vec/ecp-ack.hex" >"$tmp/mixed.hex"
runin $tmp/mixed.hex -j decode -
rc_is "a malformed and a good frame: exit 1" 1
jeq "a malformed and a good frame: both decoded" '[.[] | [.frame, (.malformed | length)]]' \
	'[[1,1],[2,0]]'

# ---- other frame shapes ----------------------------------------------------------

run -j decode 0180c2000000 020000000001 88cc 0207 04020000000001 0404 05767374 0602 0078 \
	fe09 0080c20d fb f5 6e b4 f4 0000
rc_is "EVB TLV with reserved bits set: exit 0" 0
jeq "EVB reserved bits reported per octet, fields intact" \
	'.[0].lldp.evb | [.reserved_bits_set, .bgid, .rrcap, .rrctr, .sgid, .rrreq, .rrstat, .rka]' \
	'[["bridge-status","station-status","rka"],false,true,true,false,true,1,20]'

assoc_tail="1001 0001 0a10 6c703100000000000000000000000000 0621 00 000005 04 05 00112233445566778899aabbccddeeff 02 0001 5254008eaa11 0002"
run -j decode 0180c2000000 020000000001 8890 $assoc_tail
rc_is "pre-2014 lldpad EtherType 0x8890: exit 0" 0
jeq "EtherType 0x8890 noted, VDP decoded" \
	'.[0] | [.ethernet.ethertype, .ethernet.ethertype_name, (.ecp.note | startswith("EtherType 0x8890")), .vdp.tlvs[1].filters[0].vid]' \
	'[34960,"ecp-lldpad-pre-2014",true,2]'

run -j decode 0180c2000000 020000000001 8100 e064 8940 $assoc_tail
rc_is "802.1Q tagged ECP frame: exit 0" 0
jeq "VLAN tag decoded, offsets shifted by 4" \
	'.[0] | [.ethernet.vlan, .ethernet.ethertype, .vdp.tlvs[1].offset]' \
	'[{"tci":57444,"pcp":7,"dei":false,"vid":100},35136,40]'

run -j decode 0180c2000000 020000000001 8940 $assoc_tail fe08 00000cf1 deadbeef 0c02 0000 0000 00000000
rc_is "org TLV, reserved TLV, End and padding after a VSI TLV: exit 0" 0
jeq "org TLV attached to the VSI TLV" '.[0].vdp.tlvs[1].org_tlvs' \
	'[{"offset":71,"length":8,"oui":"00-00-0c","subtype":241,"data":"deadbeef"}]'
jeq "reserved TLV type skipped, padding counted" \
	'.[0].vdp | [.tlvs[2].offset, .tlvs[2].type, .tlvs[2].type_name, .tlvs[2].skipped, .padding]' \
	'[81,6,"reserved","reserved TLV type",6]'

run -j decode 0180c2000000 020000000001 0800 4500
jeq "other EtherType: payload length only" '.[0] | [.ethernet.ethertype_name, .payload_length, .malformed]' \
	'["other",2,[]]'

run -j decode 0180c2000000 020000000001 8940 1001 0001 0a10 6c703100000000000000000000000000 \
	0621 00 000005 04 05 00112233445566778899aabbccddeeff 02 0001 0180c2000000 0002
rc_is "content problems are not malformation: exit 0" 0
jeq "content check: multicast MAC named" '.[0].vdp.tlvs[1] | [.check, .check_name, .check_detail]' \
	'[5,"invalid VID, group ID or MAC","filter 1: MAC is not unicast"]'

# ---- bad input ---------------------------------------------------------------------

run decode 01 zz
rc_is "not hex: exit 2" 2
err_is "not hex: says where" "evbctl decode: argument 2 ('zz'): 'z' (column 1) is not a hex digit"
run decode 0180c
rc_is "odd number of digits: exit 2" 2
printf '%s\n' "0000  01 80 c2 00 00 00 02 00 00 00 00 02 89 40 14 01" "0020  00 01" >"$tmp/gap.txt"
runin $tmp/gap.txt -j decode
rc_is "dump with an offset gap: exit 2" 2
err_is "dump with an offset gap: says which line" \
	"evbctl decode: line 2: dump offset 0x20 does not follow the 16 octets before it"
jeq "dump with an offset gap: frame dropped" 'length' '0'
run decode -r "$tmp/none.pcap"
rc_is "missing pcap: exit 2" 2
run decode -r "$vec/vdp-exchange.pcap" 01
rc_is "-r and hex together: exit 2" 2

# ---- evbctl itself -------------------------------------------------------------------

run --version
rc_is "--version: exit 0" 0
has "--version text" "evbctl "
run -j --version
jeq "--version json" '.program' '"evbctl"'
run help
has "help lists decode" "  decode   decode LLDP (EVB, CDCP), ECP and VDP frames (2012 and draft 0.2) field by field"
run decode -h
rc_is "decode -h: exit 0" 0
has "decode -h: usage" "usage: evbctl [-j] decode [-r FILE.pcap | - | HEX...]"
run frobnicate
rc_is "unknown command: exit 2" 2
run --bogus decode
rc_is "unknown option: exit 2" 2

# ---- draft 0.2 (EtherType 0x88B7, OUI 00-1b-3f) -----------------------------

decode draft-vdp-assoc.hex
rc_is "draft VDP request: exit 0" 0
has "draft VDP request text: ECP header" "  ecp_draft:
    oui: 00-1b-3f
    pad: 0
    subtype: vdp (0)
    mode: request (0)
    seq: 4660
    ulpdu_length: 50"
has "draft VDP request text: VSI fields" "      mode: assoc (2)
      response: success (0)
      manager_id: 7
      type_id: 0x5
      type_version: 4
      uuid: 00112233-4455-6677-8899-aabbccddeeff
      format: mac-vlan (2)
      entries: 2"
decode draft-vdp-assoc.hex -j
jeq "draft VDP request json: pairs" '[.[0].vdp_draft.tlvs[0].pairs[] | [.mac, .vid, .high_bits]]' \
	'[["52:54:00:00:00:01",10,0],["52:54:00:00:00:02",11,3]]'
jeq "draft VDP request json: End TLV and padding" '.[0].vdp_draft.padding' '2'
decode draft-ecp-ack.hex -j
rc_is "draft ECP ACK: exit 0" 0
jeq "draft ECP ACK json" '.[0].ecp_draft | [.mode_name, .seq, .padding]' '["ack",4660,37]'
decode draft-lldp-evb.hex -j
rc_is "draft EVB TLV: exit 0" 0
jeq "draft EVB TLV json" '.[0].lldp.tlvs[3].evb_draft | [.supported_mode.value, .supported_capabilities.has_vdp, .configured_mode.reflective_relay, .supported_vsis, .configured_vsis, .rte]' \
	'[192,true,true,1000,500,20]'
decode bad-draft-vdp-entries.hex
rc_is "draft VDP TLV with a wrong entry count: exit 1" 1
err_is "draft VDP TLV with a wrong entry count: stderr" \
	"evbctl decode: frame 1: malformed: draft VDP TLV at offset 0x17: its MAC/VLAN pairs do not fill its length (length 46)"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
