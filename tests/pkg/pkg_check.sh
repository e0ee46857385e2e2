#!/bin/sh
# SPDX-License-Identifier: ISC
# pkg_check.sh [DEBDIR] - the Debian packages of `make deb` (DEBDIR, default
# build/deb) in a fresh Debian 12 root: installed with apt-get install
# ./evbd_*.deb (and ./evbd-snmp_*.deb), every file where the man pages say,
# evbd --version, evbctl help, the system user and the state directory,
# evbd run there as user evbd with all three plugins, then apt-get purge,
# after which the root's file list, and /etc/passwd, group, shadow and
# gshadow, are exactly what they were before the installation; last, the
# tree (git archive HEAD) builds in that bare root after make and
# scripts/deps.sh demo, as the README's `make demo` does.
#
# The root comes from debootstrap (minbase, bookworm, from the Debian mirror
# EVBD_PKG_MIRROR); the unpacked root is cached as a tar file in
# EVBD_PKG_CACHE (default /var/cache/evbd-pkg-check), so that reruns take
# seconds to set up.  The packages' dependencies come from the mirror too
# (apt-get update in the root).  Needs root (chroot, mount); `make
# pkg-check` runs it after `make deb`.  Prints "ok/FAIL - case" lines and
# "N passed, N failed"; exit 1 on a failure.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
debdir=$(cd "${1:-$top/build/deb}" && pwd) || exit 1
cache=${EVBD_PKG_CACHE:-/var/cache/evbd-pkg-check}
mirror=${EVBD_PKG_MIRROR:-http://deb.debian.org/debian}
suite=bookworm

if [ "$(id -u)" != 0 ]; then
	echo "pkg_check: needs root (debootstrap, chroot, mount); run it as root." >&2
	exit 1
fi
command -v debootstrap >/dev/null || {
	echo "pkg_check: debootstrap is not installed; run scripts/deps.sh pkg." >&2
	exit 1
}
deb=$(ls "$debdir"/evbd_*.deb 2>/dev/null | head -1)
snmpdeb=$(ls "$debdir"/evbd-snmp_*.deb 2>/dev/null | head -1)
if [ -z "$deb" ] || [ -z "$snmpdeb" ]; then
	echo "pkg_check: no evbd_*.deb and evbd-snmp_*.deb in $debdir; run make deb first." >&2
	exit 1
fi
version=$(dpkg-deb -f "$deb" Version)

. "$top/tests/scripts/tap.sh"
R=$(mktemp -d /var/tmp/evbd-pkg-root.XXXXXX)
TAP_OUT=$R.out
cleanup() {
	[ -n "${evbd_pid:-}" ] && kill "$evbd_pid" 2>/dev/null
	umount "$R/proc" 2>/dev/null
	rm -rf "$R" "$R".out "$R".before "$R".after "$R".diff
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the fresh root, from the cache or debootstrap ----
base=$cache/$suite-minbase-root.tar
if [ ! -s "$base" ]; then
	mkdir -p "$cache"
	debs=$cache/$suite-minbase.tgz
	if [ ! -s "$debs" ]; then
		echo "pkg_check: downloading Debian $suite (minbase) into $debs"
		rm -rf "$cache/work"
		debootstrap --variant=minbase --make-tarball="$debs" "$suite" "$cache/work" "$mirror" \
			>"$cache/debootstrap.log" 2>&1 || {
			tail "$cache/debootstrap.log"
			echo "pkg_check: debootstrap --make-tarball failed; see $cache/debootstrap.log." >&2
			exit 1
		}
		rm -rf "$cache/work"
	fi
	echo "pkg_check: installing Debian $suite (minbase) from $debs"
	debootstrap --variant=minbase --unpack-tarball="$debs" "$suite" "$R" "$mirror" \
		>"$cache/debootstrap.log" 2>&1 || {
		tail "$cache/debootstrap.log"
		echo "pkg_check: debootstrap into $R failed; see $cache/debootstrap.log." >&2
		exit 1
	}
	tar -C "$R" -cf "$base.tmp" . && mv "$base.tmp" "$base"
	rm -rf "$R" && mkdir "$R"
fi
tar -C "$R" -xf "$base" || exit 1
chmod 0755 "$R" # the root's /, which mktemp made 0700 (and so the tar's '.')
cp /etc/resolv.conf "$R/etc/resolv.conf"
mount -t proc proc "$R/proc" || exit 1

# inroot CMD...: run CMD in the root, with a clean environment.
inroot() {
	chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"
}
# check DESC CMD...: pass when CMD succeeds; else show its output.
# snapshot: the root's files (path, type, mode, owner) but for the kernel's
# file systems, /tmp, /run and apt's and dpkg's logs, caches and lists, and
# the checksums of the account files (their backups, passwd- and the like,
# which shadow's tools rewrite at every change of an account, are left out).
snapshot() {
	(cd "$R" && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev -o -path ./run \
		-o -path ./tmp -o -path ./var/log -o -path ./var/cache/apt -o -path ./var/lib/apt \
		-o -path ./var/cache/debconf -o -path ./var/lib/dpkg/triggers \
		-o -path ./etc/passwd- -o -path ./etc/group- -o -path ./etc/shadow- -o -path ./etc/gshadow- \) -prune \
		-o -printf '%p %y %m %u:%g\n' | LC_ALL=C sort)
	(cd "$R" && md5sum etc/passwd etc/group etc/shadow etc/gshadow)
}

mkdir -p "$R/tmp/debs"
cp "$deb" "$snmpdeb" "$R/tmp/debs/"
check "apt-get update in a fresh Debian $suite root" inroot apt-get update

# The packages' dependencies first (they stay after the purge), so that the
# snapshot before shows what evbd's packages alone add.
deps=$( (dpkg-deb -f "$deb" Depends; dpkg-deb -f "$snmpdeb" Depends) |
	tr ',' '\n' | sed 's/^ *//; s/ *$//' | grep -v '^evbd ' | grep . | paste -sd, -)
check "the packages' dependencies install (apt-get satisfy)" \
	inroot apt-get satisfy -y --no-install-recommends "$deps"
snapshot >"$R.before"

check "apt-get install ./evbd_*.deb ./evbd-snmp_*.deb" \
	sh -c "chroot '$R' env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
		sh -c 'cd /tmp/debs && apt-get install -y --no-install-recommends ./evbd_*.deb ./evbd-snmp_*.deb'"

# Every file where the man pages (and the help) say.
man_files() { # the paths a man page's FILES section and SYNOPSIS name
	zcat "$R/usr/share/man/$1" | sed -n '/^\.SH \(FILES\|SYNOPSIS\)/,/^\.SH [A-Z]/p' |
		grep -o '/[a-z][a-zA-Z0-9/._\\-]*' | sed 's/\\-/-/g' | grep -v '^/run/\|^/var/run/' | sort -u
}
for f in /usr/sbin/evbd /usr/sbin/evbctl /usr/lib/evbd/plugins/lldpad-nl.so /usr/lib/evbd/plugins/lldpad-clif.so \
	/usr/lib/evbd/plugins/linux-bridge.so /usr/lib/evbd/plugins/snmp.so /etc/evbd.conf \
	/lib/systemd/system/evbd.service /usr/share/bash-completion/completions/evbctl \
	/usr/share/man/man8/evbd.8.gz /usr/share/man/man8/evbctl.8.gz /usr/share/man/man5/evbd.conf.5.gz \
	/usr/share/doc/evbd/copyright /usr/share/doc/evbd-snmp/copyright \
	$(man_files man8/evbd.8.gz | grep -v '\.db$') $(man_files man5/evbd.conf.5.gz | grep -v '\.db$' |
		grep -vx /etc/evbd.conf); do
	check "$f is installed" test -e "$R$f"
done
check "the man pages carry version $version" \
	sh -c "for m in man8/evbd.8 man8/evbctl.8 man5/evbd.conf.5; do
		zcat '$R/usr/share/man/'\$m.gz | grep -q '^\\.TH .*\"evbd $version\"' || { echo \"\$m: no $version in .TH\"; exit 1; }; done"
check "/etc/evbd.conf is a conffile" sh -c "in_conffiles=\$(chroot '$R' dpkg-query -W -f '\${Conffiles}' evbd); echo \"\$in_conffiles\" | grep -q '^ /etc/evbd.conf '"
check "evbd.service is installed but not enabled" \
	test ! -e "$R/etc/systemd/system/multi-user.target.wants/evbd.service"
check "evbd --version says evbd $version" sh -c "[ \"\$(chroot '$R' evbd --version)\" = 'evbd $version' ]"
check "evbctl help runs" sh -c "chroot '$R' evbctl help | grep -q 'evbctl'"
check "evbctl --version says $version" sh -c "chroot '$R' evbctl --version | grep -q '$version'"

# The user, its group and the state directory.
check "system user evbd (uid < 1000, home /var/lib/evbd, no login shell)" \
	sh -c "chroot '$R' getent passwd evbd | awk -F: '\$3 < 1000 && \$6 == \"/var/lib/evbd\" && \$7 ~ /nologin|false/ { f = 1 } END { exit !f }'"
check "group evbd" sh -c "chroot '$R' getent group evbd >/dev/null"
# owner 'USER:GROUP[ MODE]' PATH: PATH (in the root) belongs to USER:GROUP
# as the root's accounts name them (and has MODE).
owner() {
	case $1 in
	*' '*) _o=$(chroot "$R" stat -c '%U:%G %a' "$2") ;;
	*) _o=$(chroot "$R" stat -c '%U:%G' "$2") ;;
	esac
	[ "$_o" = "$1" ] || { echo "$2: $_o, not $1"; return 1; }
}
check "/var/lib/evbd is there, root's, mode 700" owner 'root:root 700' /var/lib/evbd

# evbd runs there, first as root, then as user evbd, with the three
# plugins from the plugin folder compiled in (no plugin-dir key), its state
# in the state directory, in a network namespace of its own on its loopback;
# it logs no error (AgentX's master is missing: a warning) and stops on
# SIGTERM.
# run_evbd USER: start evbd with user = USER; evbd_pid is its pid.
run_evbd() {
	printf '[global]\nuser = %s\nlog-level = info\nplugins = lldpad-nl, linux-bridge, snmp\n[port lo]\nrole = station\n' \
		"$1" >"$R/tmp/evbd-test.conf"
	chroot "$R" unshare -n /usr/sbin/evbd -f /tmp/evbd-test.conf -n >"$R/tmp/evbd.log" 2>&1 &
	evbd_pid=$!
	i=0
	while [ $i -lt 50 ] && ! grep -q 'running with' "$R/tmp/evbd.log"; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.3
}
# stop_evbd WHO: SIGTERM, then the log holds no error.
stop_evbd() {
	kill "$evbd_pid" 2>/dev/null
	wait "$evbd_pid"
	check "evbd ($1) exits 0 on SIGTERM" [ $? -eq 0 ]
	evbd_pid=
	check "evbd ($1) logged no error" sh -c "! grep ' err: ' '$R/tmp/evbd.log'"
	if [ "$fail" -ne 0 ]; then sed 's/^/     | evbd: /' "$R/tmp/evbd.log"; fi
}
run_evbd ""
for p in lldpad-nl linux-bridge snmp; do
	check "evbd loads the $p plugin from /usr/lib/evbd/plugins" \
		grep -q "plugin $p loaded from /usr/lib/evbd/plugins/$p.so" "$R/tmp/evbd.log"
done
check "evbd runs with its state in /var/lib/evbd" grep -q 'running with 1 port(s), state in /var/lib/evbd' "$R/tmp/evbd.log"
stop_evbd root
run_evbd evbd
check "with user = evbd, evbd runs as evbd" owner 'evbd:evbd' /proc/$evbd_pid
check "and has /var/lib/evbd" owner 'evbd:evbd 700' /var/lib/evbd
check "and its database" owner 'evbd:evbd' /var/lib/evbd/evbd.db
stop_evbd "user evbd"
rm -f "$R/tmp/evbd.log" "$R/tmp/evbd-test.conf"

check "apt-get purge evbd evbd-snmp" inroot apt-get purge -y evbd evbd-snmp
check "the user evbd is gone" sh -c "! chroot '$R' getent passwd evbd"
check "the group evbd is gone" sh -c "! chroot '$R' getent group evbd"
check "/var/lib/evbd is gone" test ! -e "$R/var/lib/evbd"
check "/etc/evbd.conf is gone" test ! -e "$R/etc/evbd.conf"
snapshot >"$R.after"
if diff -u "$R.before" "$R.after" >"$R.diff"; then
	ok "after the purge the root's files are those before the installation ($(wc -l <"$R.before") entries)"
else
	bad "after the purge the root's files differ from those before the installation:"
	grep '^[-+][^-+]' "$R.diff" | head -40 | sed 's/^/     | /'
fi

# The README's bare machine: in this root (Debian 12, no compiler, no
# library headers), the tree as `git archive` gives it, `make` from Debian
# and then scripts/deps.sh demo is all `make demo` needs to build.  (The demo
# itself makes user namespaces, which a chrooted process may not: the
# README's demo runs in make demo-check instead.)
mkdir -p "$R/root/evbd"
if git -C "$top" rev-parse HEAD >/dev/null 2>&1; then
	git -C "$top" archive HEAD | tar -x -C "$R/root/evbd"
	srcversion=$(sh "$top/scripts/version.sh")
	echo "$srcversion" >"$R/root/evbd/VERSION" # as a release tarball carries it
	check "make from Debian in the bare root" inroot apt-get install -y --no-install-recommends make
	check "scripts/deps.sh demo installs what the build needs" inroot sh /root/evbd/scripts/deps.sh demo
	check "make builds evbd, evbctl and the plugins there" inroot make -C /root/evbd -j2 all
	check "the evbd built there says evbd $srcversion" \
		sh -c "[ \"\$(chroot '$R' /root/evbd/build/evbd --version)\" = 'evbd $srcversion' ]"
fi
rm -f "$R.before" "$R.after" "$R.diff" "$R.out"
tap_done
