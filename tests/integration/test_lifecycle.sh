#!/bin/sh
# SPDX-License-Identifier: ISC
# test_lifecycle.sh - the daemon's life around the protocol: an interface that
# appears after start and one that goes away, SIGHUP re-reading the
# configuration (settings, a port added, a port removed), LLDP neighbour ageing, refusing a bad configuration, a held
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

# 2b. SIGHUP adds a port, then stops it when its section is gone: a request
#     waiting on it is answered, the port is gone, its VSI stays stored and
#     comes back with the port; a file without any port is refused
cat "$T_TMP/st.conf" >"$T_TMP/st2.conf"
printf '[port vs9]\nrole = station\n' >>"$T_TMP/st2.conf"
cp "$T_TMP/st2.conf" "$T_TMP/st.conf"
eval "kill -HUP \$PID_st"
t_check "SIGHUP: a new section adds port vs9" wait_until 5 ctl st port show dev vs9
ctl st vsi associate dev vs9 uuid 6d0f0000-0000-4000-8000-000000000009 type 5 version 1 \
	mac 52:54:00:00:00:09 vlan 9 wait 20 >"$T_TMP/wait.out" 2>&1 &
waiter=$!
t_check "a request waits on vs9 (its interface is absent)" \
	wait_until 5 sh -c "\"$EVBCTL\" -j vsi list dev vs9 | jq -e 'length == 1'"
conf "$T_TMP/st.conf" station vst 16
eval "kill -HUP \$PID_st"
t_check "SIGHUP: the port whose section is gone is no longer served" \
	wait_until 5 sh -c "! \"$EVBCTL\" port show dev vs9"
wait "$waiter"
rc=$?
t_check "its waiting request is answered with an error" [ "$rc" != 0 ]
t_check "the answer says the port is being removed" grep -q "being removed" "$T_TMP/wait.out"
t_check "the log says the port stopped and its VSIs are kept" \
	grep -q "vs9: no longer in the configuration" "$T_TMP/st/log"
t_check "the other port runs on" oper_is st rka 16
cp "$T_TMP/st2.conf" "$T_TMP/st.conf"
eval "kill -HUP \$PID_st"
t_check "SIGHUP: configured again, vs9 has its stored VSI back" \
	wait_until 5 sh -c "\"$EVBCTL\" -j vsi list dev vs9 | jq -e 'length == 1'"
printf '[global]\nlog-level = info\n' >"$T_TMP/st.conf"
eval "kill -HUP \$PID_st"
t_check "SIGHUP: a file without any port is refused with a sentence" \
	wait_until 5 grep -q "names no EVB port" "$T_TMP/st/log"
t_check "... and both ports still run" sh -c "\"$EVBCTL\" port show dev vs9 && \"$EVBCTL\" port show dev vst"
conf "$T_TMP/st.conf" station vst 16
eval "kill -HUP \$PID_st"
wait_until 5 sh -c "! \"$EVBCTL\" port show dev vs9"

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
