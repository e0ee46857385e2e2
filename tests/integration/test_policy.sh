#!/bin/sh
# SPDX-License-Identifier: ISC
# test_policy.sh - the bridge's policy end to end: a bridge evbd with
# `policy = database` and a VSI type database managed with evbctl, a station
# evbd asking for VSIs.  Each refusal reaches the station with its reason
# (`evbctl vsi associate ... wait` exits 3 and names it), VID 0 is filled in
# from the type and adopted by the station, the database survives a
# restart (and the MAC/VLAN index is rebuilt from the restored VSIs), a
# SIGHUP switches the policy at once, removing a type leaves its VSIs in
# force (or ends them with `deassociate`), the default entry, JSON export and
# import round trip, and every evbctl error sentence.
#
# As root the test runs without a user namespace so that a real non-root
# user (uid 65534) can be tried; otherwise that case is skipped.
if [ -z "${EVBD_T_INNER:-}" ] && [ "$(id -u)" = 0 ]; then
	EVBD_T_INNER=1 exec unshare -n --mount --propagation private sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

br_conf() { # POLICY
	cat >"$T_TMP/br.conf" <<EOC
[global]
policy = $1

[port vbr]
role = bridge
rte = 8
rwd = 15
rka = 15
lldp-interval = 1
group-id = no
EOC
}
cat >"$T_TMP/st.conf" <<EOC
[port vst]
role = station
rte = 8
rwd = 15
rka = 15
lldp-interval = 1
group-id = yes
EOC

uuid() { printf '5a000000-0000-4000-8000-%012d' "$1"; }
# assoc N TYPE VER FILTER...: associate VSI N on the station and wait.
assoc() {
	_u=$(uuid "$1")
	_t=$2
	_v=$3
	shift 3
	run st vsi associate dev vst type "$_t" version "$_v" uuid "$_u" "$@" wait 10
}
# refused N TYPE VER REASON-SENTENCE FILTER...: exit 3 and the bridge's reason.
refused() {
	_rn=$1
	_rt=$2
	_rv=$3
	_rr=$4
	shift 4
	assoc "$_rn" "$_rt" "$_rv" "$@"
	expect 3 "evbctl vsi: bridge refused to associate VSI $(uuid "$_rn") on port vst: $_rr"
}
granted() { # N TYPE VER FILTER...
	assoc "$@"
	[ "$RC" = 0 ] || {
		cat "$T_TMP/err"
		return 1
	}
}
vsi_field() { # NAME N JQ: a field of VSI N in `vsi list`
	ctl "$1" -j vsi list | jq -r ".[] | select(.vsiid == \"$(uuid "$2")\") | $3"
}
field_is() { [ "$(vsi_field "$1" "$2" "$3")" = "$4" ]; } # NAME N JQ VALUE
negotiated() { ctl "$1" -j port show | jq -e '.[0].negotiated.valid == true' >/dev/null; }
types() { ctl br -j vsitype list | jq -c 'map(del(.in_use))'; }
br_pid() { cat "$T_TMP/br/pid"; }
br_log_has() { grep -qF -- "$1" "$T_TMP/br/log"; }

ns_new bridge
veth vst main vbr bridge 02:00:00:00:00:01 02:00:00:00:00:02
br_conf database
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
evbd_start st main -f "$T_TMP/st.conf" || exit 1
wait_until 10 negotiated st

# ---- the database ----
t_check "port show names the bridge's policy" \
	sh -c "\"$EVBCTL\" port show >/dev/null; $(ns_prefix bridge) \"$EVBCTL\" -j port show | jq -e '.[0].policy == \"database\"'"
t_check "station ports show no policy" sh -c "\"$EVBCTL\" -j port show | jq -e '.[0].policy == null'"
t_check "the database starts empty" sh -c "[ \"\$($(ns_prefix bridge) \"$EVBCTL\" -j vsitype list)\" = '[]' ]"
t_check "add type 100 (web: VLANs 100-199,300, VID 0 -> 150, PCP 3, 3 per port)" \
	ctl br vsitype add 100 version 1 vlans 100-199,300 assign-vlan 150 formats vid,mac-vid \
	max-per-port 3 pcp 3 name web
t_check "add type 200 (mac-vid only, VLANs 200-209, 2 per port)" \
	ctl br vsitype add 200 version 1 vlans 200-209 formats mac-vid max-per-port 2
t_check "add type 300 version 2 (vid only, no assign-vlan)" \
	ctl br vsitype add 0x12c version 2 vlans 300 formats vid
run br vsitype show 100 version 1
t_check "show: one line with every setting" sh -c "[ \"\$(cat $T_TMP/out)\" = 'type 100 version 1: name web  vlans 100-199,300  assign-vlan 150  formats vid,mac-vid  max-per-port 3  pcp 3  in-use 0' ]"
run br vsitype list
t_check "list: three types in key order" sh -c "[ \"\$(cut -d: -f1 $T_TMP/out | tr '\n' ' ')\" = 'type 100 version 1 type 200 version 1 type 300 version 2 ' ]"

# ---- each refusal as the station sees it ----
t_check "unknown type: refused, reason 4 (other failure)" \
	refused 1 101 1 "other failure (reason 4)" mac 02:00:00:00:10:01 vlan 100
t_check "the bridge logs why" br_log_has "vbr: refused to associate VSI $(uuid 1): type 101 version 1 is not in the VSI type database, which has no default entry (reason 4, other failure, hard)"
t_check "unknown version of a known type: reason 4" \
	refused 2 100 9 "other failure (reason 4)" mac 02:00:00:00:10:02 vlan 100
t_check "VLAN not allowed: reason 5" \
	refused 3 100 1 "invalid VID, group ID or MAC (reason 5)" mac 02:00:00:00:10:03 vlan 250
t_check "the bridge logs which VLAN" br_log_has "filter 1: VLAN 250 is not allowed for type 100 version 1 (reason 5, invalid VID, group ID or MAC, hard)"
t_check "VID 0 for a type without assign-vlan: reason 5" \
	refused 4 300 2 "invalid VID, group ID or MAC (reason 5)" vlan 0
t_check "filter format not allowed by the type: reason 1" \
	refused 5 200 1 "invalid format (reason 1)" vlan 200
t_check "a PCP other than the type's: reason 4" \
	refused 6 100 1 "other failure (reason 4)" mac 02:00:00:00:10:06 vlan 120 pcp 5
granted 10 200 1 mac 02:00:00:00:20:01 vlan 200
t_check "VSI 10 holds 02:00:00:00:20:01 on VLAN 200" [ "$RC" = 0 ]
t_check "MAC/VLAN held by another VSI of the port: reason 5" \
	refused 11 200 1 "invalid VID, group ID or MAC (reason 5)" mac 02:00:00:00:20:01 vlan 200
t_check "the bridge logs the holder" br_log_has "filter 1: MAC 02:00:00:00:20:01 on VLAN 200 is held by VSI $(uuid 10) on this port (reason 5, invalid VID, group ID or MAC)"
granted 12 200 1 mac 02:00:00:00:20:01 vlan 201
t_check "the same MAC on another VLAN is granted" [ "$RC" = 0 ]
t_check "per-port limit of the type (2) reached: reason 2" \
	refused 13 200 1 "insufficient resources (reason 2)" mac 02:00:00:00:20:03 vlan 202
assoc 14 100 1 group 5 mac 02:00:00:00:10:14 vlan 100
t_check "Group ID without negotiated support: refused before sending, reason 1" \
	expect 1 "evbctl vsi: cannot associate VSI $(uuid 14) on port vst: group ID filter format without negotiated group ID support (invalid format, reason 1)"
t_check "refused VSIs are not on the bridge" sh -c "[ \"\$($(ns_prefix bridge) \"$EVBCTL\" -j vsi list | jq length)\" = 2 ]"

# ---- VID 0 filled in from the type and adopted by the station ----
granted 20 100 1 mac 02:00:00:00:10:20 vlan 0
t_check "VID 0 granted" [ "$RC" = 0 ]
t_check "the station adopted VLAN 150 and PCP 3" \
	sh -c "[ \"\$(\"$EVBCTL\" -j vsi list | jq -c '.[] | select(.vsiid == \"$(uuid 20)\") | .filters')\" = '[{\"mac\":\"02:00:00:00:10:20\",\"vid\":150,\"pcp\":3}]' ]"
t_check "the bridge holds VLAN 150 too" field_is br 20 '.filters[0].vid' 150
t_check "in-use counts the VSIs of the type" \
	sh -c "$(ns_prefix bridge) \"$EVBCTL\" -j vsitype show 100 version 1 | jq -e '.in_use == 1'"
sleep 1
t_check "keep-alives hold it (VLAN 150) past 3 x toutKeepAlive" field_is st 20 '"\(.state) \(.filters[0].vid)"' "associated 150"

# ---- KEEP: a refused change leaves the association in force ----
granted 21 100 1 mac 02:00:00:00:10:21 vlan 110
assoc 21 100 1 mac 02:00:00:00:10:21 vlan 260
t_check "refused change of an associated VSI: reason 5, the VSI stays associated" \
	expect 3 "evbctl vsi: bridge refused to associate VSI $(uuid 21) on port vst: invalid VID, group ID or MAC (reason 5); the VSI stays associated"
t_check "the bridge keeps it associated" field_is br 21 .state associated

# ---- restart: the database and the VSIs come back; so does the index ----
evbd_kill br TERM
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
t_check "restart: the three types are back" sh -c "[ \"\$($(ns_prefix bridge) \"$EVBCTL\" -j vsitype list | jq length)\" = 3 ]"
t_check "restart: the bridge restored its VSIs" wait_until 5 field_is br 10 .state associated
t_check "restart: a restored VSI still holds its MAC/VLAN" \
	refused 15 200 1 "invalid VID, group ID or MAC (reason 5)" mac 02:00:00:00:20:01 vlan 200
t_check "restart: restored VSIs still count toward the limit" \
	refused 16 200 1 "insufficient resources (reason 2)" mac 02:00:00:00:20:06 vlan 206

# ---- SIGHUP switches the policy for the next request ----
br_conf open
kill -HUP "$(br_pid)"
t_check "SIGHUP to policy = open: port show says open" \
	wait_until 5 sh -c "$(ns_prefix bridge) \"$EVBCTL\" -j port show | jq -e '.[0].policy == \"open\"'"
granted 30 4242 1 mac 02:00:00:00:30:01 vlan 4000
t_check "open: an unknown type is granted" [ "$RC" = 0 ]
br_conf database
kill -HUP "$(br_pid)"
wait_until 5 sh -c "$(ns_prefix bridge) \"$EVBCTL\" -j port show | jq -e '.[0].policy == \"database\"'"
t_check "back to database: refused again at once" \
	refused 31 4242 1 "other failure (reason 4)" mac 02:00:00:00:30:02 vlan 4000
t_check "a VSI granted under open stays" field_is br 30 .state associated

# ---- removing a type ----
t_check "del type 100 (without deassociate)" ctl br vsitype del 100 version 1
sleep 1
t_check "its VSIs stay associated (keep-alives acknowledged)" field_is br 20 .state associated
t_check "... on the station too" field_is st 20 .state associated
t_check "new requests of the removed type are refused: reason 4" \
	refused 22 100 1 "other failure (reason 4)" mac 02:00:00:00:10:22 vlan 120
run br vsitype del 200 version 1 deassociate
t_check "del type 200 deassociate: reports the 2 VSIs it ended" sh -c "[ \"\$(cat $T_TMP/out)\" = 'deassociated: 2' ] && [ $RC = 0 ]"
t_check "the bridge no longer holds them" wait_until 5 sh -c "[ -z \"\$($(ns_prefix bridge) \"$EVBCTL\" -j vsi list | jq -r '.[] | select(.type_id == 200) | .vsiid')\" ]"
t_check "the station was told (they are gone there)" \
	wait_until 5 sh -c "[ -z \"\$(\"$EVBCTL\" -j vsi list | jq -r '.[] | select(.type_id == 200) | .vsiid')\" ]"
t_check "the log names who removed it" br_log_has "VSI type database: type 200 version 1 removed by uid 0; 2 of its VSIs de-associated"

# ---- the default entry ----
t_check "add default (VLANs 500-599, VID 0 -> 500)" \
	ctl br vsitype add default vlans 500-599 assign-vlan 500 formats vid,mac-vid
granted 40 7777 3 mac 02:00:00:00:40:01 vlan 0
t_check "an unknown type falls to the default entry: VLAN 500 adopted" field_is st 40 '.filters[0].vid' 500
t_check "the default entry's VLANs apply" \
	refused 41 7777 3 "invalid VID, group ID or MAC (reason 5)" mac 02:00:00:00:40:02 vlan 600
run br vsitype show default
t_check "show default" sh -c "[ \"\$(cat $T_TMP/out)\" = 'default: vlans 500-599  assign-vlan 500  formats vid,mac-vid  max-per-port none  pcp none' ]"

# ---- export and import ----
ctl br -j vsitype list >"$T_TMP/export.json"
# (written with the names before 0.2, "type" and "version", still read)
cat >"$T_TMP/more.json" <<'EOJ'
[
  {"type": 900, "version": 4, "name": "storage", "vlans": "900-909, 950", "assign_vlan": 950,
   "formats": ["vid", "group-mac-vid"], "max_per_port": 8, "pcp": 6},
  {"type": 901, "version": 0, "vlans": "all"}
]
EOJ
run br vsitype import "$T_TMP/more.json"
t_check "import adds two types" sh -c "[ \"\$(cat $T_TMP/out)\" = 'imported: 2' ] && [ $RC = 0 ]"
t_check "imported entries read back as written" sh -c "[ \"\$($(ns_prefix bridge) \"$EVBCTL\" -j vsitype show 900 version 4 | jq -c 'del(.in_use)')\" = '{\"default\":false,\"type_id\":900,\"type_version\":4,\"name\":\"storage\",\"vlans\":\"900-909,950\",\"assign_vlan\":950,\"formats\":[\"vid\",\"group-mac-vid\"],\"max_per_port\":8,\"pcp\":6}' ]"
t_check "defaults of an imported entry (every format, no limit, no PCP)" sh -c "[ \"\$($(ns_prefix bridge) \"$EVBCTL\" -j vsitype show 901 version 0 | jq -c 'del(.in_use)')\" = '{\"default\":false,\"type_id\":901,\"type_version\":0,\"vlans\":\"1-4094\",\"assign_vlan\":0,\"formats\":[\"vid\",\"mac-vid\",\"group-vid\",\"group-mac-vid\"],\"max_per_port\":0}' ]"
echo '[]' >"$T_TMP/empty.json"
run br vsitype import "$T_TMP/empty.json" replace
t_check "import [] replace empties the database" sh -c "[ \"\$($(ns_prefix bridge) \"$EVBCTL\" -j vsitype list)\" = '[]' ] && [ $RC = 0 ]"
t_check "import the export back (from standard input)" sh -c "$(ns_prefix bridge) \"$EVBCTL\" vsitype import - <$T_TMP/export.json"
t_check "round trip: the database equals the export" \
	sh -c "[ \"\$(jq -c 'map(del(.in_use))' $T_TMP/export.json)\" = \"\$($(ns_prefix bridge) \"$EVBCTL\" -j vsitype list | jq -c 'map(del(.in_use))')\" ]"
evbd_kill br TERM
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
t_check "round trip: the same after a restart" \
	sh -c "[ \"\$(jq -c 'map(del(.in_use))' $T_TMP/export.json)\" = \"\$($(ns_prefix bridge) \"$EVBCTL\" -j vsitype list | jq -c 'map(del(.in_use))')\" ]"

# ---- error sentences ----
BEFORE=$(types)
run br vsitype add 5 version 1 vlans 5 assign-vlan 7
t_check "assign-vlan outside the VLANs: evbd's sentence, exit 1" \
	expect 1 "evbctl vsitype: the VSI type database was not changed: type 5 version 1: assign-vlan 7 is not among its VLANs (5)"
run br vsitype add 5 version 1 vlans 5-x
t_check "bad VLAN list: exit 2" expect 2 "evbctl vsitype: 'vlans 5-x': expected a VLAN ID from 1 to 4094 (at 'x')"
run br vsitype add 5 vlans 5
t_check "no version: exit 2" expect 2 "evbctl vsitype: 'vsitype add' needs 'version V' after the type ID"
run br vsitype add 5 version 1
t_check "no vlans: exit 2" expect 2 "evbctl vsitype: 'vsitype add' needs 'vlans LIST', the VLANs the type may use (e.g. 100-199,300)"
run br vsitype add 5 version 1 vlans 5 vlans 6
t_check "a keyword twice: exit 2" expect 2 "evbctl vsitype: 'vlans' is given twice in 'vsitype add'"
run br vsitype add 5 version 1 vlans 5 bogus 1
t_check "an unknown word: exit 2" expect 2 "evbctl vsitype: unknown word 'bogus' in 'vsitype add'; expected version, vlans, assign-vlan, formats, max-per-port, pcp or name"
run br vsitype add 16777216 version 1 vlans 5
t_check "type ID beyond 24 bits: exit 2" expect 2 "evbctl vsitype: 'vsitype add' needs a VSI type ID (0 to 16777215, or 0x hex) or 'default', got '16777216'"
run br vsitype add 5 version 1 vlans 5 formats vid,bogus
t_check "unknown format: exit 2" expect 2 "evbctl vsitype: 'formats' needs filter formats from vid, mac-vid, group-vid and group-mac-vid, separated by commas, got 'vid,bogus'"
run br vsitype add default version 1 vlans 5
t_check "default with a version: exit 2" expect 2 "evbctl vsitype: the default entry has no version"
run br vsitype frob
t_check "unknown sub-command: exit 2" expect 2 "evbctl vsitype: unknown sub-command 'vsitype frob'; expected add, del, show, list or import"
run br vsitype show 9 version 9
t_check "show of an unknown type: exit 1" expect 1 "evbctl vsitype: type 9 version 9 is not in the VSI type database; 'evbctl vsitype list' shows what is"
run br vsitype del 9 version 9
t_check "del of an unknown type: exit 1" expect 1 "evbctl vsitype: type 9 version 9 is not in the VSI type database; 'evbctl vsitype list' shows what is"
echo '{"type": 1}' >"$T_TMP/notlist.json"
run br vsitype import "$T_TMP/notlist.json"
t_check "import of an object: exit 2" expect 2 "evbctl vsitype: $T_TMP/notlist.json must hold a JSON list of VSI types, as 'evbctl -j vsitype list' prints"
echo '[{"type": 1, "version": 1, "vlan": "5"}]' >"$T_TMP/typo.json"
run br vsitype import "$T_TMP/typo.json"
t_check "import with an unknown key: exit 2" expect 2 "evbctl vsitype: $T_TMP/typo.json: entry 1: unknown key \"vlan\"; known keys are type_id, type_version, default, name, vlans, assign_vlan, formats, max_per_port, pcp and in_use"
echo '[{"type": 1, "version": 1, "vlans": "5"}, {"type": 2, "version": 1, "vlans": "5", "assign_vlan": 6}]' >"$T_TMP/bad.json"
run br vsitype import "$T_TMP/bad.json"
t_check "import with an invalid entry: evbd names it, exit 1" expect 1 "evbctl vsitype: the VSI type database was not changed: entry 2 (type 2 version 1): assign-vlan 6 is not among its VLANs (5)"
echo '[{"type": 1, "version": 1, "vlans": "5"},' >"$T_TMP/broken.json"
run br vsitype import "$T_TMP/broken.json"
t_check "import of broken JSON: exit 2 with the place" expect_has 2 "evbctl vsitype: cannot read $T_TMP/broken.json:"
run br vsitype import "$T_TMP/nonexistent.json"
t_check "import of a missing file: exit 2" expect_has 2 "evbctl vsitype: cannot read $T_TMP/nonexistent.json: unable to open"
t_check "after all the errors the database is unchanged" sh -c "[ '$BEFORE' = \"\$($(ns_prefix bridge) \"$EVBCTL\" -j vsitype list | jq -c 'map(del(.in_use))')\" ]"
run st vsitype add 5 version 1 vlans 5
t_check "the station's evbd keeps a database too (any evbd may hold one)" [ "$RC" = 0 ]

# ---- a user who is not root ----
if [ "$(id -u)" = 0 ] && setpriv --reuid 65534 --regid 65534 --clear-groups true 2>/dev/null; then
	nobody() { $(ns_prefix bridge) setpriv --reuid 65534 --regid 65534 --clear-groups "$EVBCTL" "$@"; }
	t_check "non-root user: vsitype list works" sh -c "[ \"\$($(ns_prefix bridge) setpriv --reuid 65534 --regid 65534 --clear-groups \"$EVBCTL\" -j vsitype list | jq length)\" -ge 1 ]"
	nobody vsitype del default >"$T_TMP/out" 2>"$T_TMP/err"
	RC=$?
	t_check "non-root user: del refused (EPERM sentence)" \
		expect 1 "evbctl vsitype: changing the VSI type database needs root (uid 65534 is not; set admin-group in evbd.conf to allow a group)"
else
	echo "skip - non-root user cases (not root: no second uid in the user namespace)"
fi

t_done
