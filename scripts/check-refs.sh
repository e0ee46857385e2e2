#!/bin/sh
# SPDX-License-Identifier: ISC
# check-refs.sh - every reference in the repository resolves inside a clone.
#
# Fails (exit 1, one sentence per problem) when
#  - a tracked file outside docs/ cites a document the clone does not have:
#    a numbered section of the old shared reference ("ref" and a number), the
#    old reference files by name, or a link into the shared folder beside
#    the clone; code cites the standard's clause or a section of
#    docs/protocol.md instead;
#  - a relative link in README.md or docs/*.md leaves the repository, names
#    a file that does not exist, or names a heading the file does not have.
# Run from anywhere; `make check-refs` runs it.
set -u

cd "$(dirname "$0")/.." || exit 1
root=$(pwd -P)
bad=0

# The patterns are written so that this script does not match itself.
cites='ref [0-9]|qbg[-]reference|lldpad[-]peer[.]md|[.][.]/shared'

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	hits=$(git grep -n -I -E -e "$cites" -- . ':(exclude)docs/')
else
	hits=$(grep -rn -I -E -e "$cites" --exclude-dir=docs --exclude-dir=build --exclude-dir=.git .)
fi
if [ -n "$hits" ]; then
	printf '%s\n' "$hits" | while IFS= read -r line; do
		file=${line%%:*}
		rest=${line#*:}
		echo "check-refs: $file line ${rest%%:*} cites a document the clone does not have" \
			"(${rest#*:}); cite the standard's clause or a section of docs/protocol.md."
	done
	bad=1
fi

# anchors FILE: the anchors of FILE's headings as GitHub makes them (lower
# case; punctuation dropped but '-' and '_'; blanks become '-').
anchors() {
	sed -n 's/^#\{1,6\}[[:space:]]\{1,\}//p' "$1" | tr 'A-Z' 'a-z' |
		LC_ALL=C sed 's/[^a-z0-9 _-]//g; s/ /-/g'
}

# Relative links: [text](target), target without a scheme; a bare '#anchor'
# is checked against the file itself, 'file.md#anchor' against that file.
for md in README.md docs/*.md; do
	[ -f "$md" ] || continue
	dir=$(dirname "$md")
	links=$(grep -o '\]([^)]*)' "$md" | sed 's/^](//; s/)$//; s/[[:space:]].*$//')
	for target in $links; do
		case $target in
		*://* | mailto:*) continue ;;
		'#'*) target=$(basename "$md")$target ;;
		esac
		path=${target%%#*}
		full=$(realpath -m "$dir/$path")
		case $full in
		"$root" | "$root"/*) ;;
		*)
			echo "check-refs: $md links to $target, outside the repository, which a clone does not have; link to a file inside it."
			bad=1
			continue
			;;
		esac
		if [ ! -e "$full" ]; then
			echo "check-refs: $md links to $target, which does not exist in the repository; fix the link or add the file."
			bad=1
			continue
		fi
		anchor=${target#"$path"}
		anchor=${anchor#'#'}
		case $full in *.md) ;; *) anchor= ;; esac
		if [ -n "$anchor" ] && ! anchors "$full" | grep -qxF -- "$anchor"; then
			echo "check-refs: $md links to $target, but $path has no heading with that anchor; fix the link or the heading."
			bad=1
		fi
	done
done

if [ "$bad" -ne 0 ]; then
	echo "check-refs: FAILED"
	exit 1
fi
echo "check-refs: every reference resolves"
