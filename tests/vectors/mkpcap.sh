#!/bin/sh
# SPDX-License-Identifier: ISC
# mkpcap.sh - write a small pcap (Ethernet, microsecond timestamps, little
# endian) from hex vectors: mkpcap.sh OUT.pcap SEC.USEC FILE.hex [SEC.USEC FILE.hex]...
# A vector is hex text: '#' lines ignored, a trailing '\' joins lines, and
# offset-prefixed dump lines ("0000  01 80 ...") lose their offset.
# Regenerate the committed capture with:
#   tests/vectors/mkpcap.sh tests/vectors/vdp-exchange.pcap \
#     1700000000.000000 tests/vectors/lldp-evb.hex 1700000001.000000 tests/vectors/vdp-assoc-req.hex \
#     1700000001.000260 tests/vectors/ecp-ack.hex 1700000001.002471 tests/vectors/vdp-assoc-resp.hex
set -eu

# Hex digits of a vector, in one string.
vector_hex() {
	grep -v '^#' "$1" | sed -e 's/^[0-9a-fA-F]\{4\}  //' -e 's/\\$//' | tr -d ' \t\n:'
}

# Octets from hex digits on stdin to binary on stdout (POSIX printf octal escapes).
unhex() {
	printf "$(fold -w 2 | awk '{ printf "\\%03o", ("0x" $0) + 0 }')"
}

# A 32-bit little-endian number as hex digits.
le32() {
	printf '%08x' "$1" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/'
}

out=$1
shift
{
	# magic, version 2.4, thiszone 0, sigfigs 0, snaplen 65535, DLT_EN10MB
	echo d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000 | tr -d ' ' | unhex
	while [ $# -ge 2 ]; do
		sec=${1%.*}
		usec=$(echo "${1#*.}" | sed 's/^0*//')
		hex=$(vector_hex "$2")
		len=$((${#hex} / 2))
		echo "$(le32 "$sec")$(le32 "${usec:-0}")$(le32 $len)$(le32 $len)$hex" | unhex
		shift 2
	done
} >"$out"
