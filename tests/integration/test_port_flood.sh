#!/bin/sh
# SPDX-License-Identifier: ISC
# test_port_flood.sh - one port flooded, its neighbours unaffected: a
# station evbd and a bridge evbd on 4 veth pairs (s0-b0 ... s3-b3).  While
# tools/flood sends frames with the ECP EtherType into the bridge's port b0
# as fast as the kernel takes them (the bridge evbd stopped for 0.5 s of
# it), 300 VSIs are associated on each link, the flooded one too.  Then:
# every one of them is associated on both sides (ECP retransmitted what
# b0's full buffer dropped); the bridge counts that overflow on b0
# (drops.rx_overflow) and nowhere else; and 300 more VSIs associated on s0
# after the flood all are.
. "$(dirname "$0")/lib.sh"

N=300
FLOOD=${FLOOD:-1000000}
conf() { # FILE ROLE PREFIX
	: >"$1"
	for i in 0 1 2 3; do printf '[port %s%d]\nrole = %s\nlldp-interval = 1\n' "$3" $i "$2" >>"$1"; done
}
batch() { # NAME PORT TAG: N associate commands on PORT, UUIDs unique per PORT and TAG (0-9)
	awk -v n="$N" -v d="$2" -v k="${2#s}" -v t="$3" 'BEGIN { for (i = 1; i <= n; i++)
		printf "vsi associate dev %s type 5 version 1 uuid f100d000-0000-4000-80%d%d-%012x mac 52:54:%d%d:00:%02x:%02x vlan %d\n",
			d, t, k, i, t, k, int(i/256)%256, i%256, 100 + i % 50 }' >"$T_TMP/batch-$2-$3.txt"
	ctl "$1" -b "$T_TMP/batch-$2-$3.txt" >/dev/null
}
# field NAME PORT JQ: a value from PORT's counters (evbctl port show).
field() { ctl "$1" -j port show dev "$2" | jq -r ".[0]$3"; }
assoc_is() { [ "$(field "$1" "$2" .vsis.associated)" = "$3" ]; } # NAME PORT N
all_negotiated() { [ "$(ctl st -j port show | jq '[.[] | select(.negotiated.valid)] | length')" = 4 ]; }

ns_new bridge
for i in 0 1 2 3; do veth "s$i" main "b$i" bridge; done
conf "$T_TMP/st.conf" station s
conf "$T_TMP/br.conf" bridge b
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
evbd_start st main -f "$T_TMP/st.conf" || exit 1
t_check "all 4 station ports negotiated EVB" wait_until 20 all_negotiated

# 1. the flood on link 0 while the other links associate VSIs
# On a veth the sender's own CPU delivers the frames, so a fast reader keeps
# up and the kernel's backlog overflows before the socket would; the bridge
# is stopped for a moment (a daemon busy elsewhere) so that b0's receive
# buffer fills and overflows for certain.
"$T_BUILD/tools/flood" s0 "$FLOOD" 0x8940 >"$T_TMP/flood.out" 2>&1 &
FPID=$!
sleep 0.1
kill -STOP "$PID_br"
for i in 0 1 2 3; do t_check "s$i: $N associate commands accepted during the flood" batch st "s$i" 0; done
sleep 0.5
kill -CONT "$PID_br"
wait $FPID
cat "$T_TMP/flood.out"
t_check "s0: the station sees all $N associated (ECP retransmitted what b0 dropped)" \
	wait_until 60 assoc_is st s0 "$N"
t_check "b0: the bridge holds all $N" wait_until 20 assoc_is br b0 "$N"
for i in 1 2 3; do
	t_check "s$i: the station sees all $N associated" wait_until 60 assoc_is st "s$i" "$N"
	t_check "b$i: the bridge holds all $N" wait_until 20 assoc_is br "b$i" "$N"
done

# 2. the counters: what overflowed b0's receive buffer is counted there only
t_check "b0 counts the flood's overflow (drops.rx_overflow > 0)" \
	[ "$(field br b0 .drops.rx_overflow)" -gt 0 ]
t_check "b0 counts the flood's malformed ECPDUs (drops.ecp_bad > 0)" \
	[ "$(field br b0 .drops.ecp_bad)" -gt 0 ]
for i in 1 2 3; do
	t_check "b$i: no overflow, no malformed ECPDU" \
		[ "$(field br "b$i" '.drops | "\(.rx_overflow) \(.ecp_bad)"')" = '0 0' ]
done
for i in 0 1 2 3; do
	t_check "s$i: no overflow on the station" [ "$(field st "s$i" .drops.rx_overflow)" = 0 ]
done
echo "  b0 drops: $(ctl br -j port show dev b0 | jq -c '.[0].drops')"
echo "  s0 ecp: $(ctl st -j port show dev s0 | jq -c '.[0].ecp')"

# 3. the flooded link still works
t_check "s0: $N more associate commands accepted after the flood" batch st s0 1
t_check "s0: the station sees all $((2 * N)) associated" wait_until 60 assoc_is st s0 $((2 * N))
t_check "b0: the bridge holds all $((2 * N))" wait_until 20 assoc_is br b0 $((2 * N))
t_done
