#!/bin/sh
# SPDX-License-Identifier: ISC
# mkdeb.sh DIR - build the Debian packages evbd and evbd-snmp into DIR
# (`make deb`), outside the tracked files: the files of the work tree git
# knows or would add (uncommitted changes too) are copied to DIR/evbd-VERSION, which
# gets the VERSION file and a debian/changelog for scripts/version.sh's
# version, then `dpkg-buildpackage -us -uc -b` runs there and lintian checks
# the result.  Prints the paths of the .deb files last.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: mkdeb.sh DIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
version=$(sh "$root/scripts/version.sh")
src=$out/evbd-$version

rm -rf "$src" "$out"/*.deb "$out"/*.buildinfo "$out"/*.changes
mkdir -p "$src"
cd "$root"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard | xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
		tar --null -T - -cf - | tar -xf - -C "$src"
	date=$(git log -1 --format=%aD)
else
	tar --exclude=./build --exclude=./build-san -cf - . | tar -xf - -C "$src"
	date=$(date -R)
fi
echo "$version" >"$src/VERSION"
maint=$(sed -n 's/^Maintainer: //p' debian/control)
cat >"$src/debian/changelog" <<EOCL
evbd ($version) unstable; urgency=medium

  * Built from the evbd source tree, version $version (make deb).

 -- $maint  $date
EOCL

cd "$src"
dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1 || {
	tail -40 "$out/build.log"
	echo "mkdeb: dpkg-buildpackage failed in $src; the whole log is $out/build.log." >&2
	exit 1
}
cd "$out"
if command -v lintian >/dev/null; then
	lintian --info --tag-display-limit 0 ./*.changes >lintian.log 2>&1 || true
	echo "lintian ($out/lintian.log): $(grep -c '^E:' lintian.log) error(s), $(grep -c '^W:' lintian.log) warning(s)"
	grep -E '^(E|W):' lintian.log || true
	if grep -q '^E:' lintian.log; then
		echo "mkdeb: lintian reports errors (above)." >&2
		exit 1
	fi
fi
ls "$out"/*.deb
