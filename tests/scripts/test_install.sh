#!/bin/sh
# SPDX-License-Identifier: ISC
# test_install.sh - `make && make install PREFIX=/usr DESTDIR=...` installs
# every file where the man pages say, an evbd that looks for its plugins in
# /usr/lib/evbd/plugins (not in the /usr/local of the first make), man pages
# with the version, the unit pointing at /usr/sbin/evbd; a second install
# keeps an edited evbd.conf; `make uninstall` removes every file but that
# edited configuration.  No root needed.  `make install-check` runs it.
# Prints "ok/FAIL - case" lines and "N passed, N failed"; exit 1 on a failure.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d /tmp/evbd-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
D=$tmp/dest
. "$top/tests/scripts/tap.sh"
TAP_OUT=$tmp/out
m() { make -C "$top" --no-print-directory "$@" >>"$tmp/make.log" 2>&1; }
version=$(sh "$top/scripts/version.sh")

check "make (PREFIX /usr/local)" m all
check "make install PREFIX=/usr DESTDIR=..." m install PREFIX=/usr DESTDIR="$D"
for f in /usr/sbin/evbd /usr/sbin/evbctl /usr/lib/evbd/plugins/lldpad-nl.so \
	/usr/lib/evbd/plugins/linux-bridge.so /usr/lib/evbd/plugins/snmp.so \
	/usr/share/man/man8/evbd.8 /usr/share/man/man8/evbctl.8 /usr/share/man/man5/evbd.conf.5 \
	/usr/share/snmp/mibs/IEEE8021-EVB-MIB.txt /lib/systemd/system/evbd.service \
	/usr/share/bash-completion/completions/evbctl /etc/evbd.conf; do
	check "$f is installed" test -f "$D$f"
done
# The plugin folder compiled in: evbd names it when it cannot load a plugin
# from it (the folder is missing, or the plugin).
printf '[global]\nplugins = none-such\n[port lo]\nrole = station\n' >"$tmp/p.conf"
timeout 5 unshare -rn "$D/usr/sbin/evbd" -f "$tmp/p.conf" -n -s "$tmp/st" -p '' >"$tmp/evbd.log" 2>&1 &
i=0
while [ $i -lt 30 ] && ! grep -q 'running with' "$tmp/evbd.log"; do
	sleep 0.1
	i=$((i + 1))
done
kill %1 2>/dev/null
wait
check "the installed evbd looks for plugins in /usr/lib/evbd/plugins" \
	grep -q '/usr/lib/evbd/plugins' "$tmp/evbd.log"
check "the installed evbd says version $version" sh -c "[ \"\$('$D/usr/sbin/evbd' --version)\" = 'evbd $version' ]"
check "the man pages carry version $version" grep -q "^\\.TH EVBD 8 .*\"evbd $version\"" "$D/usr/share/man/man8/evbd.8"
check "the unit starts /usr/sbin/evbd" grep -q '^ExecStart=/usr/sbin/evbd' "$D/lib/systemd/system/evbd.service"
echo "; edited" >>"$D/etc/evbd.conf"
check "a second make install" m install PREFIX=/usr DESTDIR="$D"
check "keeps the edited /etc/evbd.conf" grep -q '^; edited' "$D/etc/evbd.conf"
check "make uninstall PREFIX=/usr DESTDIR=..." m uninstall PREFIX=/usr DESTDIR="$D"
left=$(cd "$D" && find . -type f | sort | tr '\n' ' ')
check "uninstall leaves only the edited configuration (left: $left)" [ "$left" = "./etc/evbd.conf " ]
m all # build/ as it was: evbd looking in the default PREFIX's folder again
if [ "$fail" -ne 0 ]; then tail -20 "$tmp/make.log" | sed 's/^/     | make: /'; fi
tap_done
