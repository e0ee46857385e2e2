#!/bin/sh
# SPDX-License-Identifier: ISC
# test_snmp.sh - the IEEE8021-EVB-MIB through the real Debian snmpd: a
# bridge and a station evbd, each with the snmp plugin as an AgentX
# subagent of its own snmpd (a private AgentX socket and a loopback UDP port
# in its namespace).  Checks:
#   - snmpwalk of the VSIDB tables matches `evbctl -j vsi list` on both
#     sides (VSIID index, type, version, filter format, MACs and VLANs), and
#     the port tables match `evbctl -j port show`; snmpwalk prints names
#     with mib/IEEE8021-EVB-MIB.txt;
#   - the SNMP walk and `evbctl mib walk` give the same instances;
#   - snmpset of SysVdpDfltReinitKeepAliveExp changes what the bridge
#     proposes (the station negotiates the new value), and survives a
#     restart of evbd; invalid sets get wrongValue, notWritable, wrongType;
#   - snmpd restarted: the subagent is back within seconds;
#   - S-channels (cdcp = on): the CAP table lists port show's SCID/SVID
#     pairs on both sides, the UAP table each side's role, by name too.
. "$(dirname "$0")/lib.sh"

PL=$T_BUILD/plugins
MIBDIR=$T_ROOT/mib
N=12

for tool in snmpd snmpwalk snmpset snmpget; do
	command -v $tool >/dev/null || {
		echo "FAIL - $tool is not installed (Debian packages snmpd and snmp; make deps)"
		exit 1
	}
done

# walk NAME OID: "OID = TYPE: VALUE" lines (numeric; hex strings as hex).
walk() { snmp "$1" snmpbulkwalk -On -Ox -Oe -Cr25 "$2" 2>&1; }

# The bridge's port leaves rka to the system default (the MIB's
# SysVdpDfltReinitKeepAliveExp); the station proposes 15.
conf() { # NAME ROLE IF RKA-LINE
	cat >"$T_TMP/$1.conf" <<EOC
[global]
plugin-dir = $PL
plugins = snmp
[plugin snmp]
agentx-socket = $T_TMP/$1.ax
ping-interval = 1
[port $3]
role = $2
rte = 8
rwd = 15
$4
lldp-interval = 1
EOC
}

ip link set lo up
ns_new bridge
veth vst main vbr bridge 02:00:00:00:00:01 02:00:00:00:00:02
NSOF_br=bridge
NSOF_st=main



snmpd_start br bridge 16161
snmpd_start st main 16162
conf br bridge vbr "cdcp = on
svid-pool = 200-209"
conf st station vst "rka = 15
cdcp = on
cdcp-channels = 2"
evbd_start br bridge --config "$T_TMP/br.conf" || exit 1
evbd_start st main --config "$T_TMP/st.conf" || exit 1

up() { snmp "$1" snmpget -On .1.3.111.2.802.1.1.24.1.1.1.0 2>/dev/null | grep -q INTEGER; }
t_check "bridge subagent registered with its snmpd" wait_until 10 up br
t_check "station subagent registered with its snmpd" wait_until 10 up st
negotiated() { ctl st -j port show | jq -e '.[0].negotiated.valid' >/dev/null; }
t_check "EVB negotiated" wait_until 15 negotiated
schans() { ctl st -j port show | jq -e '.[0].cdcp.s_channels | length == 3' >/dev/null; }
t_check "CDCP: the station has its 3 S-channels" wait_until 15 schans

# VSIs: UUIDs, one MAC-format VSIID, one with three filters, one VID-only.
uuid() { printf '5a000000-0000-4000-8000-%012d' "$1"; }
assoc_all() {
	i=1
	while [ $i -le $N ]; do
		ctl st vsi associate dev vst uuid "$(uuid $i)" type $((100 + i % 3)) version $((i % 2 + 1)) \
			mac "52:54:00:00:01:$(printf %02x $i)" vlan $((10 + i)) wait >/dev/null || return 1
		i=$((i + 1))
	done
	ctl st vsi associate dev vst vsiid mac:02:11:22:33:44:55 type 7 version 1 \
		mac 52:54:00:00:02:01 vlan 200 mac 52:54:00:00:02:03 vlan 201 \
		mac 52:54:00:00:02:02 vlan 202 wait >/dev/null &&
		ctl st vsi associate dev vst uuid "$(uuid 99)" type 8 version 1 vlan 300 wait >/dev/null
}
t_check "$((N + 2)) VSIs associated" assoc_all

# Expected VSIDB rows from evbctl: "IDX type ver fif nmacs" and Mac rows
# "IDX.0.MAC.VID VID"; IDX = 1.PORT.FMT.<16 octets>, VSIID octets as the MIB
# index (no length).  evbctl prints the VSIID as text; its octets come
# from `vsi list` JSON's vsiid (uuid: hex digits; mac: 6 octets + zeros).
# jq definitions: a VSI's index after the port (format, 16 octets) and a
# filter's MAC as sub-identifiers.
JQ_DEFS='
  def num: ascii_downcase | explode | map(if . >= 97 then . - 87 else . - 48 end) | .[0] * 16 + .[1] | tostring;
  def octets: if .vsiid_format_name == "uuid" then (.vsiid | gsub("-"; "") | [range(0; 32; 2) as $i | .[$i:$i+2]])
              else (["00","00","00","00","00","00","00","00","00","00"] + (.vsiid | split(":"))) end
              | map(num) | join(".");
  def fmtnum: .vsiid_format;
  def macnum: (.mac // "00:00:00:00:00:00") | split(":") | map(num) | join(".");
  def fif: if (.filters[0].mac // null) == null then 1 else 2 end;'
expect_vsidb() {
	ctl "$1" -j vsi list | jq -r "$JQ_DEFS"'
	  .[] | "1.1.\(fmtnum).\(octets) \(.type_id) \(.type_version) \(fif) \(.filters | length)"' | sort
}
expect_macs() {
	ctl "$1" -j vsi list | jq -r "$JQ_DEFS"'
	  .[] | . as $v | .filters[] | "1.1.\($v | fmtnum).\($v | octets).0.\(macnum).\(.vid) \(.vid)"' | sort
}
# From the SNMP walk: "IDX type ver fif nmacs" per VSIDB row.
got_vsidb() {
	walk "$1" .1.3.111.2.802.1.1.24.1.2.1 >"$T_TMP/w-$1" || return 1
	awk -F' = ' 'function hex(s,  i, n) {
	    n = 0; s = toupper(s)
	    for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789ABCDEF", substr(s, i, 1)) - 1
	    return n
	  } {
	    sub(/^\.1\.3\.111\.2\.802\.1\.1\.24\.1\.2\.1\.1\./, "", $1)
	    col = $1; sub(/\..*/, "", col); idx = $1; sub(/^[0-9]+\./, "", idx)
	    v = $2; sub(/^[^:]*: */, "", v); gsub(/ /, "", v)
	    if (col == 11) t[idx] = v; if (col == 12) ver[idx] = hex(v)
	    if (col == 21) f[idx] = v; if (col == 14) n[idx] = v
	  } END { for (i in t) print i, t[i], ver[i], f[i], n[i] }' "$T_TMP/w-$1" | sort
}
got_macs() {
	walk "$1" .1.3.111.2.802.1.1.24.1.2.2 |
		sed -n 's/^\.1\.3\.111\.2\.802\.1\.1\.24\.1\.2\.2\.1\.3\.\([0-9.]*\) = Gauge32: \([0-9]*\)$/\1 \2/p' | sort
}
same() { # DESC EXPECTED GOT: the difference when they differ
	[ "$2" = "$3" ] && [ -n "$2" ] && return 0
	echo "$1 differ (- expected, + SNMP):"
	echo "$2" >"$T_TMP/same.a"
	echo "$3" >"$T_TMP/same.b"
	diff -u "$T_TMP/same.a" "$T_TMP/same.b" | sed -n '3,14p'
	return 1
}
vsidb_matches() { same "VSIDB rows of $1" "$(expect_vsidb "$1")" "$(got_vsidb "$1")"; }
macs_match() { same "VSIDBMac rows of $1" "$(expect_macs "$1")" "$(got_macs "$1")"; }
rows_are() { [ "$(expect_vsidb "$1" | wc -l)" = "$2" ]; }
t_check "station: $((N + 2)) VSIs in evbctl vsi list" rows_are st $((N + 2))
t_check "station: snmpwalk VSIDBTable = evbctl vsi list" vsidb_matches st
t_check "station: snmpwalk VSIDBMacTable = every filter of every VSI" macs_match st
t_check "bridge: snmpwalk VSIDBTable = evbctl vsi list" vsidb_matches br
t_check "bridge: snmpwalk VSIDBMacTable = every filter of every VSI" macs_match br

# Port tables against port show: URP (station) and Sbp (bridge) exponents,
# Ecp counters (frames only grow: compare after a walk, >=).
port_matches() { # NAME TABLE-COL-RKA
	rka=$(ctl "$1" -j port show | jq -r '.[0].negotiated.rka')
	got=$(snmp "$1" snmpget -On -Oqv ".1.3.111.2.802.1.1.24.1.$2.1.1")
	[ "$rka" = "$got" ] || {
		echo "port show rka $rka, SNMP $got"
		return 1
	}
}
t_check "station: URPVdpOperReinitKeepAliveExp = port show rka" port_matches st 3.3.1.13
t_check "bridge: SbpVdpOperReinitKeepAliveExp = port show rka" port_matches br 1.10.1.8
ecp_ok() {
	tx=$(snmp st snmpget -On -Oqv .1.3.111.2.802.1.1.24.1.3.4.1.5.1.1)
	after=$(ctl st -j port show | jq -r '.[0].ecp.tx_frames')
	[ "$tx" -ge $((N + 2)) ] && [ "$after" -ge "$tx" ] || {
		echo "SNMP EcpTxFrameCount $tx, port show $after"
		return 1
	}
}
t_check "station: EcpTxFrameCount agrees with port show" ecp_ok
systype() { snmp "$1" snmpget -On -Oqv .1.3.111.2.802.1.1.24.1.1.1.0 | grep -qx "$2"; }
t_check "SysType of the bridge is evbBridge(1)" systype br 1
t_check "SysType of the station is evbStation(2)" systype st 2

# The same instances through SNMP and through evbctl mib walk (values
# that move with time left out: TimeSinceCreate, ECP counters).
steady() { grep -v -e '\.24\.1\.2\.1\.1\.5\.' -e '\.24\.1\.3\.4\.1\.[5-8]\.'; }
snmp_all() {
	snmp "$1" snmpbulkwalk -On -Oq -Oe -Ox -Cr25 .1.3.111.2.802.1.1.24 | grep -v "No more variables" |
		awk '{print $1}' | steady
}
ctl_all() { ctl "$1" -j mib walk | jq -r '.[].oid' | steady; }
walks_agree() { same "instances of $1" "$(ctl_all "$1")" "$(snmp_all "$1")"; }
t_check "bridge: SNMP walk and evbctl mib walk list the same instances" walks_agree br
t_check "station: SNMP walk and evbctl mib walk list the same instances" walks_agree st

# Names, with the project's MIB module file.
names() {
	out=$(SNMPCONFPATH=$T_TMP/clientconf SNMP_PERSISTENT_DIR=$T_TMP/clientpersist \
		$(ns_prefix bridge) snmpwalk -v2c -c public -m IEEE8021-EVB-MIB -M "$MIBDIR" \
		127.0.0.1:$PORT_br ieee8021BridgeEvbSys 2>&1)
	echo "$out" | grep -q '^IEEE8021-EVB-MIB::ieee8021BridgeEvbSysType.0 = INTEGER: evbBridge(1)$' &&
		! echo "$out" | grep -qi -e warning -e error -e 'cannot find' || {
		echo "$out" | head
		return 1
	}
}
t_check "snmpwalk -m IEEE8021-EVB-MIB prints names, without warnings" names
macname() {
	out=$(SNMPCONFPATH=$T_TMP/clientconf SNMP_PERSISTENT_DIR=$T_TMP/clientpersist \
		snmpwalk -v2c -c public -m IEEE8021-EVB-MIB -M "$MIBDIR" -OX 127.0.0.1:$PORT_st \
		ieee8021BridgeEvbVSIVlanId 2>&1)
	echo "$out" | grep -q 'ieee8021BridgeEvbVSIVlanId\[1\]\[1\]\[vsiidMAC\].*\[STRING: 52:54:0:0:2:3\]\[201\] = Gauge32: 201$' || {
		echo "$out" | head -5
		return 1
	}
}
t_check "snmpwalk with the MIB file names a VSI's MAC and VLAN" macname
# As an operator types it: -m +IEEE8021-EVB-MIB adds the module to
# net-snmp's default list.  Debian ships that list's IETF modules only in
# the non-free snmp-mibs-downloader, so net-snmp complains about those (and
# about its own UCD modules that need them); no complaint may be about
# this module or file.
names_plus() {
	out=$(SNMPCONFPATH=$T_TMP/clientconf SNMP_PERSISTENT_DIR=$T_TMP/clientpersist \
		$(ns_prefix bridge) snmpwalk -v2c -c public -m +IEEE8021-EVB-MIB -M "+$MIBDIR" \
		127.0.0.1:$PORT_br ieee8021BridgeEvbMib 2>&1)
	echo "$out" | grep -q '^IEEE8021-EVB-MIB::ieee8021BridgeEvbSbpVdpOperRsrcWaitDelayExp.1.1 = Gauge32: 15$' &&
		! echo "$out" | grep -v -e '^IEEE8021-EVB-MIB::' -e '^MIB search path' |
			grep -e 'IEEE8021-EVB-MIB' -e 'ieee8021BridgeEvb' || {
		echo "$out" | grep -e 'IEEE8021-EVB-MIB' -e 'ieee8021BridgeEvb' | head
		return 1
	}
}
t_check "snmpwalk -m +IEEE8021-EVB-MIB ... ieee8021BridgeEvbMib prints names, no error about the module" names_plus

# S-channels: CAPSChannelID (the SCID) under each SchID (the SVID at a
# bridge, the SCID at a station) as port show lists them; the UAP role.
cap_matches() { # NAME
	want=$(ctl "$1" -j port show | jq -r '.[0] | .role as $r | .cdcp.s_channels[] |
		"\(if $r == "bridge" then .svid else .scid end) \(.scid)"' | sort -n)
	got=$(snmp "$1" snmpwalk -On -Oq .1.3.111.2.802.1.1.24.1.3.2.1.5 |
		sed 's/^\.1\.3\.111\.2\.802\.1\.1\.24\.1\.3\.2\.1\.5\.1\.//' | sort -n)
	same "S-channels of $1" "$want" "$got"
}
t_check "bridge: snmpwalk CAPConfigTable = port show's S-channels (SVIDs 200, 201)" cap_matches br
t_check "station: snmpwalk CAPConfigTable = port show's S-channels" cap_matches st
uap_role() { # NAME ROLE-NAME
	eval "_ns=\$SNMPNS_$1 _port=\$PORT_$1"
	out=$(SNMPCONFPATH=$T_TMP/clientconf SNMP_PERSISTENT_DIR=$T_TMP/clientpersist \
		$(ns_prefix "$_ns") snmpwalk -v2c -c public -m IEEE8021-EVB-MIB -M "$MIBDIR" \
		"127.0.0.1:$_port" ieee8021BridgeEvbUAPSchAdminCDCPRole 2>&1)
	echo "$out" | grep -qx "IEEE8021-EVB-MIB::ieee8021BridgeEvbUAPSchAdminCDCPRole.1 = INTEGER: $2" || {
		echo "$out" | head -5
		return 1
	}
}
t_check "UAPSchAdminCDCPRole by name: the bridge cdcpRoleB(1)" uap_role br "cdcpRoleB(1)"
t_check "UAPSchAdminCDCPRole by name: the station cdcpRoleS(2)" uap_role st "cdcpRoleS(2)"

# snmpset: the bridge's default RKA; the station negotiates max(15, 21).
RKA=.1.3.111.2.802.1.1.24.1.1.13.0
st_rka_is() { [ "$(ctl st -j port show | jq -r '.[0].negotiated.rka')" = "$1" ]; }
setok() { snmp br snmpset -On "$RKA" i 21 | grep -q 'INTEGER: 21'; }
t_check "snmpset SysVdpDfltReinitKeepAliveExp.0 = 21 on the bridge" setok
rka_get() { [ "$(snmp br snmpget -On -Oqv "$RKA")" = "$1" ]; }
t_check "snmpget reads 21 back" rka_get 21
t_check "station negotiates RKA 21 with the bridge (EVB TLV changed)" wait_until 10 st_rka_is 21

# Invalid sets: the SNMP error, and nothing changed.
set_err() { # EXPECTED-ERROR OID TYPE VALUE
	out=$(snmp br snmpset -On "$2" "$3" "$4" 2>&1)
	echo "$out" | grep -q "$1" || {
		echo "$out"
		return 1
	}
}
t_check "out-of-range value refused: wrongValue" set_err wrongValue "$RKA" i 40
t_check "read-only object refused: notWritable" set_err notWritable .1.3.111.2.802.1.1.24.1.1.1.0 i 2
t_check "wrong type refused: wrongType" set_err wrongType "$RKA" s abc
t_check "TruthValue 0 refused: wrongValue" set_err wrongValue .1.3.111.2.802.1.1.24.1.1.4.0 i 0
t_check "after the refused sets the value is still 21" rka_get 21

# Survives a restart of evbd.
evbd_kill br
evbd_start br bridge --config "$T_TMP/br.conf" || exit 1
t_check "bridge subagent back after the evbd restart" wait_until 10 up br
t_check "after the restart SysVdpDfltReinitKeepAliveExp is still 21" rka_get 21
t_check "after the restart evbctl mib get agrees" sh -c \
	"$(ns_prefix bridge) $EVBCTL mib get ieee8021BridgeEvbSysVdpDfltReinitKeepAliveExp.0 | grep -q 'INTEGER: 21'"
t_check "station still negotiates RKA 21" wait_until 10 st_rka_is 21

# snmpd restarted: the subagent registers again by itself.
snmpd_stop br
sleep 2.5 # a few reconnection attempts fail meanwhile
t0=$(date +%s%N)
snmpd_start br bridge 16161
t_check "snmpd restarted: the subagent answers again within 10 s" wait_until 10 up br
t1=$(date +%s%N)
echo "# subagent back $(((t1 - t0) / 1000000)) ms after snmpd was restarted"
t_check "evbd logged that the master went away" grep -q "snmp: net-snmp: AgentX master disconnected" "$T_TMP/br/log"

t_done
