#!/bin/sh
# SPDX-License-Identifier: ISC
# version.sh - print evbd's version, the one the build compiles in, the man
# pages and the Debian package carry.
#
# In a git clone with a release tag (vMAJOR.MINOR.PATCH): `git describe`,
# without the v, with a Debian-safe suffix for commits after the tag
# (v0.9.0-3-gabc1234-dirty -> 0.9.0+3.gabc1234.dirty).  Elsewhere (a
# tarball, or a clone before the first tag): the VERSION file.
set -eu
cd "$(dirname "$0")/.."
if [ -e .git ] && d=$(git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null); then
	d=${d#v}
	case $d in
	*-*) echo "${d%%-*}+$(echo "${d#*-}" | tr - .)" ;;
	*) echo "$d" ;;
	esac
elif [ -f VERSION ]; then
	v=$(sed -n '1{s/[[:space:]]//g;p}' VERSION)
	[ -n "$v" ] || { echo "version.sh: VERSION is empty; write the version (e.g. 0.9.0) in it." >&2; exit 1; }
	echo "$v"
else
	echo "version.sh: neither a git tag v* nor a VERSION file says evbd's version; tag the release or add VERSION." >&2
	exit 1
fi
