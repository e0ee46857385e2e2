#!/bin/sh
# SPDX-License-Identifier: ISC
# test_mib.sh - the MIB's writable objects through `evbctl mib set`, on a
# bridge evbd with two ports whose interfaces do not exist (no peer needed:
# the Sbp table shows what each port proposes until it negotiates):
#   - a Sys default applies to the port that does not set the key in
#     evbd.conf, not to the one that does;
#   - a port's LldpManual applies to that port only;
#   - both survive a restart and a SIGHUP reload; a reload that gives the
#     key in the port's section wins over the Sys default;
#   - refusals: out of range, read-only, unknown name, bad value text;
#   - walk order and names: Sys scalars around the Sbp table, one row per port.
. "$(dirname "$0")/lib.sh"

conf() { # RKA-LINE-FOR-pb
	cat >"$T_TMP/br.conf" <<EOC
[port pa]
role = bridge
rka = 15
[port pb]
role = bridge
$1
EOC
}
conf ""
evbd_start br main --config "$T_TMP/br.conf" || exit 1

SYS_RKA=ieee8021BridgeEvbSysVdpDfltReinitKeepAliveExp.0
rka_of() { # PORT-NUMBER: the RKA exponent the port proposes
	ctl br mib get "ieee8021BridgeEvbSbpVdpOperReinitKeepAliveExp.1.$1" | sed 's/.*: //'
}
is() { # DESC-FREE: VALUE WANTED
	[ "$1" = "$2" ] || {
		echo "got '$1', wanted '$2'"
		return 1
	}
}
t_check "port 1 (rka = 15 in evbd.conf) proposes 15" is "$(rka_of 1)" 15
t_check "port 2 (no rka) proposes evbd's default 20" is "$(rka_of 2)" 20
t_check "Sys default reads 20" is "$(ctl br mib get $SYS_RKA)" "$SYS_RKA = INTEGER: 20"
t_check "evbctl mib set $SYS_RKA 22" ctl br mib set $SYS_RKA 22
t_check "port 2 now proposes 22" is "$(rka_of 2)" 22
t_check "port 1 keeps its own 15" is "$(rka_of 1)" 15
t_check "evbctl mib set ieee8021BridgeEvbSbpLldpManual.1.1 true" \
	ctl br mib set ieee8021BridgeEvbSbpLldpManual.1.1 true
manual_of() { ctl br mib get "ieee8021BridgeEvbSbpLldpManual.1.$1" | sed 's/.*: //'; }
t_check "port 1 is manual" is "$(manual_of 1)" "true(1)"
t_check "port 2 is not" is "$(manual_of 2)" "false(2)"

refused() { # TEXT ARGS...: evbctl mib fails, saying TEXT
	_w=$1
	shift
	if ctl br mib "$@" >"$T_TMP/r.out" 2>&1; then
		echo "accepted: $*"
		return 1
	fi
	grep -q "$_w" "$T_TMP/r.out" || {
		cat "$T_TMP/r.out"
		return 1
	}
}
t_check "out of range refused with the range" refused "outside the range 0..31" set $SYS_RKA 32
t_check "R out of range refused" refused "outside the range 0..7" set ieee8021BridgeEvbSysEcpMaxRetries.0 8
t_check "read-only object refused" refused "not a writable object" set ieee8021BridgeEvbSysType.0 1
t_check "unknown name refused" refused "neither a numeric OID nor a name" get ieee8021BridgeEvbNoSuch.0
t_check "a word that is no value refused" refused "is not a value" set ieee8021BridgeEvbSbpLldpManual.1.1 maybe
t_check "a number beyond Integer32 refused" refused "is not a value" set $SYS_RKA 2147483648
t_check "a row that does not exist refused" refused "no such instance" set ieee8021BridgeEvbSbpLldpManual.1.9 true
t_check "numeric OIDs work too" is "$(ctl br mib get .1.3.111.2.802.1.1.24.1.1.13.0)" "$SYS_RKA = INTEGER: 22"

order() {
	ctl br mib walk ieee8021BridgeEvbSys | sed 's/ = .*//' | tr '\n' ' '
}
want="ieee8021BridgeEvbSysType.0 ieee8021BridgeEvbSysNumExternalPorts.0 \
ieee8021BridgeEvbSysEvbLldpTxEnable.0 ieee8021BridgeEvbSysEvbLldpManual.0 \
ieee8021BridgeEvbSysEvbLldpGidCapable.0 ieee8021BridgeEvbSysEcpMaxRetries.0 \
ieee8021BridgeEvbSbpLldpManual.1.1 ieee8021BridgeEvbSbpLldpManual.1.2 "
t_check "walk order: scalars 1-7, then the Sbp table, then 11-13" sh -c \
	"case '$(order)' in '$want'*ieee8021BridgeEvbSysVdpDfltReinitKeepAliveExp.0\ ) exit 0;; esac; echo '$(order)'; exit 1"

# Restart: the writes come back from the state database.
evbd_kill br
evbd_start br main --config "$T_TMP/br.conf" || exit 1
t_check "after a restart the Sys default is still 22" is "$(rka_of 2)" 22
t_check "after a restart port 1 is still manual" is "$(manual_of 1)" "true(1)"

# Reload with rka given for pb: the port's own key wins.
conf "rka = 16"
eval "kill -HUP \$PID_br"
reloaded() { [ "$(rka_of 2)" = 16 ]; }
t_check "SIGHUP with rka = 16 for port 2: it proposes 16" wait_until 5 reloaded
t_check "after the reload port 1 is still manual" is "$(manual_of 1)" "true(1)"
t_check "after the reload the Sys default still reads 22" is "$(ctl br mib get $SYS_RKA)" "$SYS_RKA = INTEGER: 22"

t_done
