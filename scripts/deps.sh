#!/bin/sh
# deps.sh - make sure the Debian packages evbd needs to build and test are
# installed.  As root, installs what is missing with apt-get; otherwise prints
# the exact command to run and fails.
set -eu

PKGS="build-essential pkg-config clang clang-format libclang-rt-14-dev libevent-dev libpcap-dev libmnl-dev
libsqlite3-dev libjansson-dev libinih-dev libcmocka-dev libcap-ng-dev iproute2 tcpdump jq bc sqlite3 lldpad
util-linux libsnmp-dev snmpd snmp qemu-system-x86"
# test_json_vocab.sh holds evbctl's JSON against docs/evbctl.schema.json
PKGS="$PKGS python3-jsonschema"

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
