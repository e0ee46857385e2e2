#!/bin/sh
# SPDX-License-Identifier: ISC
# check-license.sh - every tracked source file names its licence.
#
# evbd is under the ISC licence (LICENSE).  Each tracked C file, shell
# script, Makefile, man page, MIB module and debian/rules carries the line
# "SPDX-License-Identifier: ISC" in its header, in the file's own comment
# syntax.  Without arguments: one sentence per file that lacks it, exit 1.
# With --fix: add the line (first line, or second after a #! line) and say
# which files were changed.  `make check-license` runs it.
set -u

cd "$(dirname "$0")/.." || exit 1
tag='SPDX-License-Identifier: ISC'
fix=0
[ "${1:-}" = --fix ] && fix=1

# comment FILE: the SPDX line in FILE's comment syntax, or nothing for a
# file that needs none.
comment() {
	case $1 in
	*.c | *.h) echo "/* $tag */" ;;
	*.sh | Makefile | */Makefile | .ci/run | *.supp | debian/rules | debian/*.postinst | debian/*.postrm)
		echo "# $tag" ;;
	docs/*.[1-8]) echo ".\\\" $tag" ;;
	mib/*.txt) echo "-- $tag" ;;
	esac
}

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	files=$(git ls-files)
else
	files=$(find . -path ./.git -prune -o -path ./build -prune -o -type f -print | sed 's|^\./||')
fi

bad=0
for f in $files; do
	line=$(comment "$f")
	[ -n "$line" ] && [ -f "$f" ] || continue
	head -n 5 "$f" | grep -qF "$tag" && continue
	if [ "$fix" -eq 0 ]; then
		echo "check-license: $f has no '$tag' line in its first 5 lines; run scripts/check-license.sh --fix."
		bad=1
		continue
	fi
	esc=$(printf '%s' "$line" | sed 's/\\/\\\\/g')
	if head -n 1 "$f" | grep -q '^#!'; then
		sed -i "1a\\
$esc" "$f"
	else
		sed -i "1i\\
$esc" "$f"
	fi
	echo "check-license: added '$line' to $f"
done
if [ "$bad" -ne 0 ]; then
	exit 1
fi
[ "$fix" -eq 1 ] || echo "check-license: every tracked source file carries '$tag'."
