#!/bin/sh
# SPDX-License-Identifier: ISC
# demo.sh - evbd at work: a bridge-role and a station-role evbd in two network
# namespaces joined by a veth pair; a few VSIs associated with evbctl; both
# sides' `vsi list` and `port show`, the bridge's MIB rows; everything removed
# at the end.
# Runs as any user (user + network namespaces); `make demo` builds first.
T_ROOT=$(cd "$(dirname "$0")/.." && pwd)
export T_ROOT
. "$T_ROOT/tests/integration/lib.sh"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "two namespaces: station (vst 02:00:00:00:00:01) <== veth ==> bridge (vbr 02:00:00:00:00:02)"
ns_new bridge
veth vst main vbr bridge 02:00:00:00:00:01 02:00:00:00:00:02
evbd_start br bridge --bridge vbr || exit 1
evbd_start st main --station vst || exit 1
echo "evbd (bridge) pid $PID_br, evbd (station) pid $PID_st"

say "waiting for EVB negotiation over LLDP"
wait_until 10 sh -c "\"$EVBCTL\" -j port show dev vst | jq -e '.[0].negotiated.valid' " || {
	echo "negotiation did not complete; logs:"
	tail "$T_TMP/st/log" "$T_TMP/br/log"
	exit 1
}
echo "negotiated."

say "associating four VSIs from the station (evbctl vsi associate ... wait)"
for i in 1 2 3 4; do
	echo "\$ evbctl vsi associate dev vst type 5 version 4 uuid 00112233-4455-6677-8899-aabbccddee0$i mac 52:54:00:00:00:0$i vlan 10$i wait"
	ctl st vsi associate dev vst type 5 version 4 uuid 00112233-4455-6677-8899-aabbccddee0$i \
		mac 52:54:00:00:00:0$i vlan 10$i wait || exit 1
done

say "station: evbctl vsi list"
ctl st vsi list
say "bridge: evbctl vsi list"
ctl br vsi list
say "station: evbctl port show"
ctl st port show
say "bridge: evbctl port show"
ctl br port show

say "bridge: the IEEE8021-EVB-MIB (evbctl mib walk; SNMP with plugins = snmp)"
ctl br mib walk ieee8021BridgeEvbVSIType
ctl br mib walk ieee8021BridgeEvbVSIVlanId

say "de-associating one VSI"
ctl st vsi deassociate dev vst uuid 00112233-4455-6677-8899-aabbccddee04 wait
ctl br vsi list

say "done; stopping both daemons and removing the namespaces"
