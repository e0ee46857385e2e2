#!/bin/sh
# SPDX-License-Identifier: ISC
# deps.sh - make sure the Debian packages evbd needs to build and test are
# installed.  As root, installs what is missing with apt-get; otherwise prints
# the exact command to run and fails.
set -eu

PKGS="build-essential pkg-config clang clang-format libclang-rt-14-dev libevent-dev libpcap-dev libmnl-dev
libsqlite3-dev libjansson-dev libinih-dev libcmocka-dev libcap-ng-dev lldpad-dev iproute2 tcpdump jq bc sqlite3 lldpad
util-linux libsnmp-dev snmpd snmp qemu-system-x86 libseccomp-dev strace
libsystemd-dev
iputils-ping iperf3 libcurl4-openssl-dev etcd-server etcd-client
python3-jsonschema"
# `deps.sh demo`: only what `make demo` needs (the build, and the demo's
# ip, jq and unshare); `deps.sh pkg`: what `make deb` and `make pkg-check`
# need besides (debhelper, lintian, debootstrap).
PKGS_DEMO="build-essential pkg-config libevent-dev libpcap-dev libmnl-dev libsqlite3-dev libjansson-dev
libinih-dev libcap-ng-dev libseccomp-dev libsystemd-dev libcurl4-openssl-dev libsnmp-dev iproute2 jq util-linux git"
case ${1:-} in
demo) PKGS=$PKGS_DEMO ;;
pkg) PKGS="$PKGS_DEMO debhelper lintian debootstrap dpkg-dev fakeroot" ;;
esac

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "evbd needs these Debian packages to build and test:$missing" >&2
	echo "Install them as root, then run make again:" >&2
	echo "  apt-get install -y$missing" >&2
	exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
if ! apt-get install -y --no-install-recommends $missing >/dev/null; then
	apt-get update >/dev/null
	apt-get install -y --no-install-recommends $missing >/dev/null
fi
