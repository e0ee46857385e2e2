#!/bin/sh
# SPDX-License-Identifier: ISC
# test_etcd.sh - two switches (bridge evbds, each with a station evbd) of one
# fleet on a real three-member etcd cluster (etcd_lib.sh): the shared VSI
# type database (a type added on one switch decides on the other; the cache
# survives a restart without etcd), `vsi where` and `fleet vsi list`, the
# migration hand-over (a VSI that associates on B is released at once on A
# with a De-Associate to A's station, and A's linux-bridge plugin removes
# its FDB entry; a pre-associate on B leaves it on A),
# and the failures: one member of three killed, every member hung (decisions
# go on from the cache, changes are refused with a sentence, publishing
# resumes and re-syncs without loss or duplicates), a switch cut off from
# etcd, a switch killed (its lease expires, its VSIs go).  The control
# socket answers throughout: nothing waits for etcd on the event loop.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/etcd_lib.sh"

for m in 1 2 3; do etcd_start $m; done
wait_until 20 etcd_healthy || {
	echo "etcd did not start:"
	tail -5 "$T_TMP/etcd1/log"
	exit 1
}
PL=$T_TMP/plugins
mkdir -p "$PL"
ln -s "$T_BUILD"/plugins/*.so "$PL/"
switch_start A 1 "
[global]
plugin-dir = $PL
plugins = linux-bridge
[plugin linux-bridge]
state-file = $T_TMP/lbA.state" || exit 1
switch_start B 2 || exit 1
t_check "switch A joined the fleet" wait_until 10 fleet_up A
t_check "switch B joined the fleet" wait_until 10 fleet_up B
t_check "stations negotiated EVB" wait_until 15 sh -c "$(ns_prefix stA) $EVBCTL -j port show | jq -e '.[0].negotiated.valid' && $(ns_prefix stB) $EVBCTL -j port show | jq -e '.[0].negotiated.valid'"

# ---- the shared VSI type database ----
t_check "vsitype add on switch A" ctl swA vsitype add 100 version 1 vlans 100-199 formats mac-vid name web
t_check "etcd holds the type under the prefix" sh -c "ETCDCTL_API=3 etcdctl --endpoints=http://127.0.0.1:23791 get /fleet/types/100-1 --print-value-only | jq -e '.vlans == \"100-199\"'"
t_check "switch B has it from its watch" wait_until 5 sh -c "$(ns_prefix swB) $EVBCTL vsitype show 100 version 1"
t_check "B grants a VSI of the type" assoc B 1
run stB vsi associate dev vstB type 101 version 1 uuid "$(uuid 2)" mac 02:00:00:02:00:02 vlan 100 wait 10
t_check "B refuses an unknown type (reason 4)" expect_has 3 "other failure (reason 4)"
t_check "vsitype add on B, VLAN 300 for type 100 version 2" ctl swB vsitype add 100 version 2 vlans 300 formats mac-vid
t_check "A has it" wait_until 5 sh -c "$(ns_prefix swA) $EVBCTL vsitype show 100 version 2"
t_check "vsitype del on A reaches B" sh -c "$(ns_prefix swA) $EVBCTL vsitype del 100 version 2 && sleep 0.1"
t_check "B no longer has it" wait_until 5 sh -c "! $(ns_prefix swB) $EVBCTL vsitype show 100 version 2"

# ---- where ----
t_check "vsi where (asked on A) answers switch B, port vbrB" wait_until 5 where_is 1 "B vbrB associated;"
run swA vsi where uuid "$(uuid 1)"
t_check "vsi where in text" grep -q "B  *vbrB  *associated" "$T_TMP/out"
run swA vsi where uuid "$(uuid 99)"
t_check "vsi where of an unknown VSI says so" expect 1 "evbctl vsi where: no switch of the fleet holds that VSI."
t_check "fleet vsi list on A lists B's VSI" sh -c "$(ns_prefix swA) $EVBCTL -j fleet vsi list | jq -e 'length == 1 and .[0].switch == \"B\" and .[0].filters[0].vlan == 100'"

# ---- migration hand-over ----
t_check "VSI 10 associates on A" assoc A 10
t_check "where: A" wait_until 5 where_is 10 "A vbrA associated;"
fdb_has() { ns_exec swA bridge fdb show dev vbrA | grep -q "^02:00:00:01:0a:00 .*static"; }
t_check "A's linux-bridge plugin bound VSI 10 (static FDB entry)" wait_until 3 fdb_has
t_check "pre-associate of VSI 10 on B is granted" assoc B 10 preassociate
t_check "both hold it: A associated, B preassociated" wait_until 5 where_is 10 "A vbrA associated;B vbrB preassociated;"
sleep 1
t_check "A still holds VSI 10 after B's pre-associate" holds A 10
t_check "VSI 10 associates on B (the VM moved)" assoc B 10
t_check "A released VSI 10 at once" wait_until 3 lacks A 10
t_check "A's linux-bridge plugin unbound it (no FDB entry)" wait_until 3 sh -c "! $(ns_prefix swA) bridge fdb show dev vbrA | grep -q '^02:00:00:01:0a:00 .*static'"
t_check "A's station was told (its VSI 10 ended)" wait_until 3 sh -c "! $(ns_prefix stA) $EVBCTL -j vsi list | jq -e '.[] | select(.vsiid == \"$(uuid 10)\" and .state == \"associated\")'"
t_check "A logged a migration" grep -q "migration: VSI $(uuid 10) associated on switch B port vbrB; released here from port vbrA" "$T_TMP/swA/log"
t_check "where: B only" wait_until 5 where_is 10 "B vbrB associated;"
t_check "fleet status on A counts the migration" sh -c "$(ns_prefix swA) $EVBCTL -j fleet status | jq -e '.migrations == \"1\"'"

# ---- a member hung (slow etcd) ----
etcd_signal STOP 1
t_check "with member 1 hung, vsitype add on A works (the next member)" ctl swA vsitype add 150 version 1 vlans 150 formats mac-vid
t_check "B has it (its watch on the hung member started again elsewhere)" wait_until 10 sh -c "$(ns_prefix swB) $EVBCTL vsitype show 150 version 1"
t_check "the control socket answered meanwhile" ctl swB port show
etcd_signal CONT 1

# ---- one member of three killed ----
etcd_signal KILL 1
t_check "with member 1 killed, vsitype add on A still works (failover)" ctl swA vsitype add 200 version 1 vlans 200 formats mac-vid
t_check "B has it" wait_until 5 sh -c "$(ns_prefix swB) $EVBCTL vsitype show 200 version 1"
t_check "VSI 20 associates on A" assoc A 20
WHERE_AT=B
t_check "where (asked on B): VSI 20 on A" wait_until 5 where_is 20 "A vbrA associated;"
WHERE_AT=A
t_check "switch A is still up" fleet_up A

# ---- every member hung: decisions from the cache ----
etcd_signal STOP 2 3
t_check "switch B sees etcd unreachable" wait_until 10 sh -c "! $(ns_prefix swB) $EVBCTL fleet status | grep -qx 'state: up'"
t_check "the control socket answers meanwhile" ctl swB port show
t_check "B grants VSI 30 from its cache" assoc B 30
run swB vsitype add 300 version 1 vlans 300
t_check "vsitype add is refused with a sentence" expect_has 1 "etcd is unreachable"
t_check "keep-alives go on: B still holds VSI 1" holds B 1
etcd_signal CONT 2 3
t_check "B is back" wait_until 15 fleet_up B
t_check "VSI 30 was published after the re-sync" wait_until 5 where_is 30 "B vbrB associated;"
t_check "etcd holds each of B's VSIs once" sh -c "[ \$(ETCDCTL_API=3 etcdctl --endpoints=http://127.0.0.1:23792 get --prefix /fleet/vsis/ --keys-only | grep -c '/B\$') = \$($(ns_prefix swB) $EVBCTL -j vsi list | jq length) ]"

# ---- the cache survives a restart without etcd ----
etcd_signal STOP 2 3
evbd_kill swB
evbd_start swB swB -f "$T_TMP/swB.conf" || exit 1
t_check "restarted without etcd, B still knows type 100" ctl swB vsitype show 100 version 1
t_check "and grants VSI 31 from it" assoc B 31
etcd_signal CONT 2 3
t_check "B joins again" wait_until 15 fleet_up B
t_check "VSI 31 is published" wait_until 5 where_is 31 "B vbrB associated;"

# ---- a switch cut off from etcd ----
ip link set etA down
t_check "A sees etcd unreachable" wait_until 10 sh -c "! $(ns_prefix swA) $EVBCTL fleet status | grep -qx 'state: up'"
t_check "A's VSIs vanish from the fleet when its lease expires" wait_until 10 sh -c "WHERE_AT=B; [ \"\$(ETCDCTL_API=3 etcdctl --endpoints=http://127.0.0.1:23792 get --prefix /fleet/vsis/ --keys-only | grep -c '/A\$')\" = 0 ]"
t_check "A still holds VSI 20 (its station keeps it alive)" holds A 20
ip link set etA up
t_check "A is back" wait_until 15 fleet_up A
WHERE_AT=B
t_check "A's VSIs are published again (VSI 20 on A, asked on B)" wait_until 10 where_is 20 "A vbrA associated;"
WHERE_AT=A

# ---- a switch killed ----
evbd_kill swB KILL
t_check "B's VSIs go with its lease (asked on A)" wait_until 10 sh -c "[ -z \"\$($(ns_prefix swA) $EVBCTL -j fleet vsi list | jq -r '.[] | select(.switch == \"B\") | .vsiid')\" ]"
t_check "A's own VSIs stay" where_is 20 "A vbrA associated;"
t_done
