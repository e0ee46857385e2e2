#!/bin/sh
# SPDX-License-Identifier: ISC
# check-includes.sh [-C DIR] [--graph] - keep the tree's include shape.
#
# Reads every tracked .c/.h (git ls-files) and its project-local includes
# (`#include "..."`, resolved like the compiler does: beside the including
# file first, then from the top of the tree, which is -I.).  Includes of
# files the tree does not track (system headers, generated files) are not
# project-local and are not checked.
#
# Which folder may include which:
#   vdp/                  vdp/
#   mib/                  mib/, vdp/
#   ipc/                  ipc/, vdp/, mib/
#   cli/                  cli/, ipc/, vdp/, mib/ (never evbd/)
#   evbd/                 evbd/, vdp/, mib/, ipc/, plugins/plugin_api.h
#   plugins/X/ (or X.c)   plugins/plugin_api.h, plugins/X/
#   plugins/plugin_api.h  nothing project-local
#   tests/                anything
# A file in any other folder is a violation until the folder gets a rule here.
#
# No cycle among evbd/ modules either: module NAME is evbd/NAME.c plus
# evbd/NAME.h, and A depends on B when evbd/A.c or evbd/A.h includes
# evbd/B.h (B other than A).  For every dependency that lies on a cycle the
# check prints the shortest cycle through it (each distinct cycle once), so
# the list names every edge that has to go.
#
# Exit 0 when the tree keeps the rules; otherwise one sentence per violation
# and exit 1.  --graph prints, instead of checking, the folder-level include
# matrix (number of #include lines from the row's folder to the column's) and
# the evbd/ module graph.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
mode=check
while [ $# -gt 0 ]; do
	case $1 in
	-C)
		[ $# -ge 2 ] || {
			echo "check-includes.sh: -C needs a directory." >&2
			exit 2
		}
		root=$2
		shift 2
		;;
	--graph)
		mode=graph
		shift
		;;
	*)
		echo "check-includes.sh: unknown argument '$1'; usage: check-includes.sh [-C DIR] [--graph]" >&2
		exit 2
		;;
	esac
done

cd "$root"
list=$(mktemp)
trap 'rm -f "$list"' EXIT
if ! git ls-files -- '*.c' '*.h' >"$list"; then
	echo "check-includes.sh: $root is not a git work tree; it reads the tracked files with git ls-files." >&2
	exit 2
fi

awk -v mode="$mode" '
# norm(p): p with "." and ".." components folded away.
function norm(p,    n, a, i, k, out, st) {
	n = split(p, a, "/")
	k = 0
	for (i = 1; i <= n; i++) {
		if (a[i] == "" || a[i] == ".")
			continue
		if (a[i] == ".." && k > 0 && st[k] != "..") {
			k--
			continue
		}
		st[++k] = a[i]
	}
	out = ""
	for (i = 1; i <= k; i++)
		out = out (i > 1 ? "/" : "") st[i]
	return out
}
function dirof(p) {
	if (p !~ /\//)
		return ""
	sub(/\/[^\/]*$/, "", p)
	return p
}
# group(p): the unit the rules speak of: a top folder, plugins/X, or
# plugins/plugin_api.h itself.
function group(p,    a, n) {
	if (p == "plugins/plugin_api.h")
		return p
	n = split(p, a, "/")
	if (n == 1)
		return "(top)"
	if (a[1] == "plugins") {
		if (n == 2) {
			sub(/\.[ch]$/, "", a[2])
			return "plugins/" a[2]
		}
		return "plugins/" a[2]
	}
	return a[1]
}
# allowed(from, to): 1 when group from may include group to.
function allowed(from, to) {
	if (from == to && from != "plugins/plugin_api.h")
		return 1
	if (from == "tests")
		return 1
	if (from == "vdp")
		return 0
	if (from == "mib")
		return to == "vdp"
	if (from == "ipc")
		return to == "vdp" || to == "mib"
	if (from == "cli")
		return to == "ipc" || to == "vdp" || to == "mib"
	if (from == "evbd")
		return to == "vdp" || to == "mib" || to == "ipc" || to == "plugins/plugin_api.h"
	if (from == "plugins/plugin_api.h")
		return 0
	if (from ~ /^plugins\//)
		return to == "plugins/plugin_api.h"
	return 0
}
function rule(from) {
	if (from == "vdp")
		return "vdp/ may include only vdp/"
	if (from == "mib")
		return "mib/ may include only mib/ and vdp/"
	if (from == "ipc")
		return "ipc/ may include only ipc/, vdp/ and mib/"
	if (from == "cli")
		return "cli/ may include only cli/, ipc/, vdp/ and mib/, never evbd/"
	if (from == "evbd")
		return "evbd/ may include only evbd/, vdp/, mib/, ipc/ and plugins/plugin_api.h"
	if (from == "plugins/plugin_api.h")
		return "plugins/plugin_api.h may include nothing from the tree"
	return "a plugin (" from "/) may include only plugins/plugin_api.h and its own folder"
}
function known(g) {
	return g == "vdp" || g == "mib" || g == "ipc" || g == "cli" || g == "evbd" || g == "tests" || g ~ /^plugins\//
}
# module(p): NAME for evbd/NAME.c or evbd/NAME.h, else "".
function module(p) {
	if (p !~ /^evbd\/[^\/]+\.[ch]$/)
		return ""
	sub(/^evbd\//, "", p)
	sub(/\.[ch]$/, "", p)
	return p
}
function addg(g) {
	if (!(g in gseen)) {
		gseen[g] = 1
		gl[++ng] = g
	}
}
# path(a, b): the shortest dependency path from a to b ("a b ... b"), or "".
function path(a, b,    q, head, tail, x, y, i, prev, seen) {
	head = 1
	tail = 0
	q[++tail] = a
	seen[a] = 1
	while (head <= tail) {
		x = q[head++]
		if (x == b)
			break
		for (i = 1; i <= nout[x]; i++) {
			y = out[x, i]
			if (!(y in seen)) {
				seen[y] = 1
				prev[y] = x
				q[++tail] = y
			}
		}
	}
	if (!(b in seen))
		return ""
	y = b
	x = b
	while (y != a) {
		y = prev[y]
		x = y " " x
	}
	return x
}
# canon(c): the cycle "m1 m2 ... mk" rotated to start at its smallest member.
function canon(c,    a, n, i, j, best, s) {
	n = split(c, a, " ")
	best = 1
	for (i = 2; i <= n; i++)
		if (a[i] < a[best])
			best = i
	s = ""
	for (j = 0; j < n; j++)
		s = s (j ? " " : "") a[(best - 1 + j) % n + 1]
	return s
}
function sortlist(arr, n,    i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && arr[j - 1] > arr[j]; j--) {
			t = arr[j]
			arr[j] = arr[j - 1]
			arr[j - 1] = t
		}
}

{ tracked[$0] = 1; files[++nf] = $0 }

END {
	bad = 0
	for (f = 1; f <= nf; f++) {
		file = files[f]
		from = group(file)
		addg(from)
		m = module(file)
		if (m != "")
			mods[m] = 1
		if (!known(from)) {
			if (mode == "check")
				printf "%s is in folder %s, which has no include rule; give it one in scripts/check-includes.sh.\n", file, from
			bad++
		}
		ln = 0
		while ((getline line < file) > 0) {
			ln++
			if (line !~ /^[ \t]*#[ \t]*include[ \t]*"/)
				continue
			inc = line
			sub(/^[ \t]*#[ \t]*include[ \t]*"/, "", inc)
			sub(/".*$/, "", inc)
			d = dirof(file)
			t = norm((d == "" ? "" : d "/") inc)
			if (!(t in tracked)) {
				t = norm(inc)
				if (!(t in tracked))
					continue
			}
			to = group(t)
			addg(to)
			cnt[from, to]++
			if (known(from) && !allowed(from, to)) {
				if (mode == "check")
					printf "%s:%d includes %s, but %s.\n", file, ln, t, rule(from)
				bad++
			}
			mt = module(t)
			if (m != "" && mt != "" && mt != m && t ~ /\.h$/ && !((m, mt) in edge)) {
				edge[m, mt] = 1
				out[m, ++nout[m]] = mt
			}
		}
		close(file)
	}

	nm = 0
	for (m in mods)
		ml[++nm] = m
	sortlist(ml, nm)
	for (i = 1; i <= nm; i++) {
		m = ml[i]
		for (j = 1; j <= nout[m]; j++)
			tmp[j] = out[m, j]
		sortlist(tmp, nout[m])
		for (j = 1; j <= nout[m]; j++)
			out[m, j] = tmp[j]
	}

	if (mode == "graph") {
		sortlist(gl, ng)
		printf "Folder include matrix: #include lines from the row folder to the column folder.\n"
		w = 8
		for (i = 1; i <= ng; i++)
			if (length(gl[i]) > w)
				w = length(gl[i])
		printf "%-" w "s", "from\\to"
		for (j = 1; j <= ng; j++)
			printf " %6s", abbrev(gl[j])
		printf "\n"
		for (i = 1; i <= ng; i++) {
			printf "%-" w "s", gl[i]
			for (j = 1; j <= ng; j++)
				printf " %6s", ((gl[i], gl[j]) in cnt) ? cnt[gl[i], gl[j]] : "."
			printf "\n"
		}
		printf "\nColumns:"
		for (j = 1; j <= ng; j++)
			printf " %s=%s", abbrev(gl[j]), gl[j]
		printf "\n\nFolder edges (outside a folder):\n"
		for (i = 1; i <= ng; i++)
			for (j = 1; j <= ng; j++)
				if (i != j && ((gl[i], gl[j]) in cnt))
					printf "  %s -> %s (%d)\n", gl[i], gl[j], cnt[gl[i], gl[j]]
		printf "\nevbd/ module graph (A -> the evbd/ headers A.c and A.h include):\n"
		for (i = 1; i <= nm; i++) {
			m = ml[i]
			s = ""
			for (j = 1; j <= nout[m]; j++)
				s = s " " out[m, j]
			printf "  %s ->%s\n", m, (s == "" ? " (none)" : s)
		}
	}

	# Cycles: for each edge a -> b, the shortest path b ... a closes one.
	ncyc = 0
	for (i = 1; i <= nm; i++) {
		a = ml[i]
		for (j = 1; j <= nout[a]; j++) {
			p = path(out[a, j], a)
			if (p == "")
				continue
			c = canon(a " " substr(p, 1, length(p) - length(a) - 1))
			if (!(c in cycseen)) {
				cycseen[c] = 1
				cyc[++ncyc] = c
			}
		}
	}
	sortlist(cyc, ncyc)
	if (mode == "graph") {
		printf "\nevbd/ import cycles: %d\n", ncyc
		for (i = 1; i <= ncyc; i++) {
			c = cyc[i]
			split(c, a1, " ")
			printf "  %s -> %s\n", arrows(c), a1[1]
		}
		exit 0
	}
	for (i = 1; i <= ncyc; i++) {
		c = cyc[i]
		split(c, a1, " ")
		printf "evbd/ modules import each other in a cycle: %s -> %s; no evbd/ module may depend on itself through others.\n", arrows(c), a1[1]
		bad++
	}
	if (bad) {
		printf "check-includes: %d violation(s) of the include rules (see scripts/check-includes.sh).\n", bad
		exit 1
	}
	printf "check-includes: %d files keep the include rules; no evbd/ import cycle.\n", nf
}
function arrows(c) {
	gsub(/ /, " -> ", c)
	return c
}
function abbrev(g) {
	if (g == "plugins/plugin_api.h")
		return "p/api"
	if (g ~ /^plugins\//) {
		sub(/^plugins\//, "p/", g)
		return substr(g, 1, 6)
	}
	return substr(g, 1, 6)
}
' "$list"
