#!/bin/sh
# test_lifecycle.sh - the daemon's life around the protocol: an interface that
# appears after start and one that goes away, SIGHUP re-reading the
# configuration, LLDP neighbour ageing, refusing a bad configuration, a held
# pid file, and a corrupt state database.
. "$(dirname "$0")/lib.sh"

conf() { # FILE ROLE IF RKA
	cat >"$1" <<EOC
[port $3]
role = $2
rwd = 14
rka = $4
lldp-interval = 1
lldp-hold = 2
EOC
}
oper() { ctl "$1" -j port show | jq -r ".[0].negotiated.$2"; }
oper_is() { [ "$(oper "$1" "$2")" = "$3" ]; } # NAME KEY VALUE
neighbour() { ctl "$1" -j port show | jq -e '.[0].neighbour.mac' >/dev/null; }
no_neighbour() { ctl "$1" -j port show | jq -e '.[0].neighbour == null' >/dev/null; }

ns_new bridge
conf "$T_TMP/st.conf" station vst 14
conf "$T_TMP/br.conf" bridge vbr 14

# 1. the interfaces do not exist yet: both daemons start and wait for them
evbd_start br bridge -f "$T_TMP/br.conf" || exit 1
evbd_start st main -f "$T_TMP/st.conf" || exit 1
t_check "port of a missing interface is shown as absent" \
	sh -c "\"$EVBCTL\" port show dev vst | grep -q 'link: absent'"
veth vst main vbr bridge 02:00:00:00:00:01 02:00:00:00:00:02
t_check "interfaces created later are picked up and negotiate" \
	wait_until 10 sh -c "[ \"\$(\"$EVBCTL\" -j port show | jq -r '.[0].negotiated.valid')\" = true ]"

# 2. SIGHUP: a new RKA in the file is renegotiated (max of both sides wins)
conf "$T_TMP/st.conf" station vst 16
eval "kill -HUP \$PID_st"
t_check "SIGHUP: station operates on its new RKA 16" wait_until 5 oper_is st rka 16
t_check "SIGHUP: the bridge follows (RKA 16 is the larger)" wait_until 5 oper_is br rka 16

# 3. neighbour ageing: when the bridge's LLDPDUs stop, the neighbour expires
#    after its TTL (interval 1 s x hold 2 = 2 s)
t_check "station sees the bridge as its LLDP neighbour" neighbour st
evbd_kill br TERM
t_check "neighbour ages out after its TTL" wait_until 6 no_neighbour st
t_check "EVB is no longer negotiated without a neighbour" oper_is st valid false

# 4. interface removed: the port stays, absent, and evbd keeps running
ip link del vst
t_check "a removed interface leaves the port absent" \
	wait_until 5 sh -c "\"$EVBCTL\" port show dev vst | grep -q 'link: absent'"
t_check "evbd still runs after its interface disappeared" sh -c "kill -0 $PID_st"

# 5. a bad configuration is refused with file, line and key named
printf '[port x0]\nrole = station\nrte = 40\n' >"$T_TMP/bad.conf"
"$EVBD" -n -f "$T_TMP/bad.conf" --pid-file "$T_TMP/bad.pid" --state-dir "$T_TMP/bad" \
	>"$T_TMP/bad.out" 2>&1
rc=$?
t_check "bad config: evbd refuses to start" [ "$rc" != 0 ]
t_check "bad config: the message names file, line and key" \
	grep -q "bad.conf line 3: key 'rte' in \[port x0\]" "$T_TMP/bad.out"

# 6. a second evbd with the same pid file refuses to start
ns_new other
ns_exec other "$EVBD" -n --station x1 --pid-file "$T_TMP/st/pid" --state-dir "$T_TMP/o" \
	>"$T_TMP/pid.out" 2>&1
rc=$?
t_check "held pid file: a second evbd refuses to start" [ "$rc" != 0 ]
t_check "held pid file: the message names the holder" grep -q "another evbd (pid" "$T_TMP/pid.out"

# 7. a corrupt state database is moved aside and evbd starts afresh
evbd_kill st TERM
head -c 8192 /dev/urandom >"$T_TMP/st/state/evbd.db"
rm -f "$T_TMP/st/state/evbd.db-wal" "$T_TMP/st/state/evbd.db-shm"
evbd_start st main -f "$T_TMP/st.conf"
t_check "corrupt database: evbd starts" sh -c "kill -0 $PID_st"
t_check "corrupt database: the file is kept aside" sh -c "ls $T_TMP/st/state/evbd.db.corrupt-*"
t_check "corrupt database: the log says so" grep -q "damaged" "$T_TMP/st/log"

t_done
