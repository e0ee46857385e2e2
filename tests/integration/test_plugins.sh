#!/bin/sh
# test_plugins.sh - the plugin loader: evbd runs without plugins; a missing
# plugin, one built for another ABI and one whose init fails are reported and
# skipped; the probe plugin (tests/plugins/probe.c) gets its configuration
# keys, a timer, an fd, port and VSI hooks, and is stopped at exit.
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
	"plugin abi_mismatch: $PL/abi_mismatch.so was built for plugin ABI version 44, but this evbd has plugin ABI version 3; rebuild the plugin against this evbd. It is not loaded."
t_check "its init is never called" sh -c "! grep -q 'init must never be called' '$T_TMP/st/log'"
t_check "a failing init is reported and the plugin skipped" logged st \
	"plugin init_fails failed to start (Address already in use); evbd runs without it."
t_check "the probe plugin reads its [plugin probe] keys" logged st \
	"probe: started with ABI 3, greeting hello"
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
t_check "evbd still runs" ctl st port show

# IPC commands added by a plugin: listed, run with their arguments, errors as sentences
out_is() { [ "$(ctl st "$@" 2>&1)" = "$EXPECT" ]; }
EXPECT="probe-echo
probe-set (changes state)"
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
