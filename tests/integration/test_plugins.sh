#!/bin/sh
# SPDX-License-Identifier: ISC
# test_plugins.sh - the plugin loader: evbd runs without plugins; a missing
# plugin, one built for another ABI and one whose init fails are reported and
# skipped; the probe plugin (tests/plugins/probe.c) gets its configuration
# keys, a timer, an fd, port and VSI hooks, and is stopped at exit; the
# view of a VSI that a plugin gets (ABI 5) is, field by field, what
# `evbctl -j vsi list` shows.
. "$(dirname "$0")/lib.sh"

PL=$T_BUILD/tests/plugins
logged() { grep -qF -- "$2" "$T_TMP/$1/log"; } # NAME TEXT
logged_after_set() { ctl st plugin probe-set 42 >/dev/null && wait_until 3 logged st "probe: set 42"; }
ns_new bridge
veth vst main vbr bridge 02:00:00:00:00:01 02:00:00:00:00:02
cat >"$T_TMP/st.conf" <<EOC
[global]
plugin-dir = $PL
plugins = missing, abi_mismatch, init_fails, probe
[plugin probe]
greeting = hello
[port vst]
role = station
rwd = 14
rka = 14
lldp-interval = 1
EOC

evbd_start plain bridge --bridge vbr || exit 1
t_check "evbd without plugins logs no plugin line" sh -c "! grep -q plugin '$T_TMP/plain/log'"
evbd_start st main -f "$T_TMP/st.conf" || exit 1
t_check "a missing plugin is reported and skipped" logged st \
	"plugin missing: cannot load $PL/missing.so"
t_check "a plugin of another ABI is refused, naming both versions" logged st \
	"plugin abi_mismatch: $PL/abi_mismatch.so was built for plugin ABI version 46, but this evbd has plugin ABI version 5; rebuild the plugin against this evbd. It is not loaded."
t_check "its init is never called" sh -c "! grep -q 'init must never be called' '$T_TMP/st/log'"
t_check "a failing init is reported and the plugin skipped" logged st \
	"plugin init_fails failed to start (Address already in use); evbd runs without it."
t_check "the probe plugin reads its [plugin probe] keys" logged st \
	"probe: started with ABI 5, greeting hello"
t_check "... and visits them with their line" logged st "probe: key greeting at line 5"
t_check "the probe plugin's timer fires" wait_until 3 logged st "probe: timer fired"
t_check "... and its fd callback runs" wait_until 3 logged st "probe: fd readable (x)"
t_check "port hook: station port present and up, found by name and index" wait_until 5 logged st \
	"probe: port vst station present up, found by name yes, by index yes"
t_check "port hook: EVB negotiated" wait_until 10 logged st \
	"probe: port vst station present up negotiated"
ctl st vsi associate dev vst uuid 6d0f0000-0000-4000-8000-000000000001 type 5 version 1 \
	mac 52:54:00:00:00:01 vlan 5 wait >/dev/null
t_check "VSI hook: associated (result 3), found by key" wait_until 5 logged st \
	"probe: vsi on vst result 3 notify, 1 in table, found by key"
ctl st vsi deassociate dev vst uuid 6d0f0000-0000-4000-8000-000000000001 wait >/dev/null
t_check "VSI hook: removed (result 4) before it is freed" wait_until 5 logged st \
	"probe: vsi on vst result 4 notify remove, 1 in table, found by key"

# The views of probe-vsis (vsi_next, each checked against vsi_find) against
# evbctl's JSON, turned into the plugin API's numbers by the table below.
U2=6d0f0000-0000-4000-8000-000000000002
U3=6d0f0000-0000-4000-8000-000000000003
ctl st vsi associate dev vst uuid $U2 type 0x123456 version 7 mgrid 00112233445566778899aabbccddeeff \
	hints migrate-to mac 52:54:00:00:00:02 vlan 6 pcp 3 wait >/dev/null
ctl st vsi preassociate dev vst uuid $U3 type 9 version 2 vlan 7 vlan 8 pcp 0 wait >/dev/null
JQ_VIEW='{"ipv4": 1, "ipv6": 2, "mac": 3, "local": 4, "uuid": 5} as $fmt
| {"pending": 0, "preassociated": 1, "preassociated-rr": 2, "associated": 3, "deassociated": 4,
   "failed": 5} as $res
| {"none": 0, "preassociate": 1, "preassociate-rr": 2, "associate": 3, "deassociate": 4} as $cmd
| {"none": 0, "migrate-to": 16, "migrate-from": 32} as $hints
| .[] | (.filters[0] // {}) as $f
| (if $f.group and $f.mac then 4 elif $f.group then 3 elif $f.mac then 2 else 1 end) as $fif
| "format \(.vsiid_format) id \(.vsiid | gsub("-"; "")) type \(.type_id) version \(.type_version)"
  + " mgrid \(if .mgrid == "0" then "none" else .mgrid end) result \($res[.state])"
  + " reason \(.reason) command \($cmd[.command]) in_force \($cmd[.confirmed])"
  + " hints \($hints[.hints]) status \(.status) format \($fif) filters"
  + ([.filters[] | (if .group then " group \(.group)" else "" end)
      + (if .mac then " mac \(.mac)" else "" end) + " vid \(.vid)"
      + (if .pcp then " pcp \(.pcp)" else "" end)] | join(","))'
views_are_listed() {
	ctl st plugin probe-vsis vst | sed '/^$/d' | sort >"$T_TMP/views"
	ctl st -j vsi list dev vst | jq -r "$JQ_VIEW" | sort >"$T_TMP/listed"
	cat "$T_TMP/views"
	[ "$(wc -l <"$T_TMP/views")" = 2 ] && diff "$T_TMP/listed" "$T_TMP/views"
}
t_check "a plugin's view of each VSI is, field by field, what evbctl -j vsi list shows" \
	views_are_listed
t_check "... the associated one with its manager ID, hints and PCP" grep -qx \
	"format 5 id 6d0f0000000040008000000000000002 type 1193046 version 7 mgrid 00112233445566778899aabbccddeeff result 3 reason 0 command 3 in_force 3 hints 16 status 64 format 2 filters mac 52:54:00:00:00:02 vid 6 pcp 3" \
	"$T_TMP/views"
t_check "evbd still runs" ctl st port show

# IPC commands added by a plugin: listed, run with their arguments, errors as sentences
out_is() { [ "$(ctl st "$@" 2>&1)" = "$EXPECT" ]; }
EXPECT="probe-echo
probe-set (changes state)
probe-vsis"
t_check "evbctl plugin lists the plugins' commands" out_is plugin
EXPECT="hello there world"
t_check "evbctl plugin probe-echo passes its arguments" out_is plugin probe-echo hello there world
t_check "... and -j gives them as JSON" sh -c \
	"\"$EVBCTL\" -j plugin probe-echo a b | jq -e '.output == \"a b\\n\"'"
t_check "a state-changing plugin command runs for root" logged_after_set
EXPECT="evbctl plugin: probe-set refuses 'fail', as the test wants"
t_check "a plugin command's failure is its sentence" out_is plugin probe-set fail
EXPECT="evbctl plugin: no plugin offers the command 'nosuch'; 'evbctl plugin' lists the commands of the loaded plugins"
t_check "an unknown command is named" out_is plugin nosuch
t_check "no ipc_command_add misbehaviour (duplicate and bad names refused)" \
	sh -c "! grep -q 'ipc_command_add misbehaves' '$T_TMP/st/log'"
evbd_kill st TERM
t_check "the probe plugin is stopped at exit" logged st "probe: stopped"
t_check "... and unloaded" logged st "plugin probe unloaded"
t_done
