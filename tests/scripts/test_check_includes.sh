#!/bin/sh
# SPDX-License-Identifier: ISC
# test_check_includes.sh - scripts/check-includes.sh on small fake trees:
# it accepts a clean tree and catches each kind of forbidden include and an
# evbd/ import cycle.  Prints "N passed, N failed" like the integration tests.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
chk=$here/scripts/check-includes.sh
tmp=$(mktemp -d /tmp/evbd-chkinc.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() {
	pass=$((pass + 1))
	echo "ok   - $*"
}
bad() {
	fail=$((fail + 1))
	echo "FAIL - $*"
	sed 's/^/     | /' "$tmp/out"
}

# tree NAME: a fresh clean tree in $tmp/NAME that keeps every rule; cd into it.
tree() {
	d=$tmp/$1
	rm -rf "$d"
	mkdir -p "$d" && cd "$d" || exit 1
	git init -q .
	mkdir -p vdp mib ipc cli evbd plugins/pa tests/unit
	printf '#include <stdint.h>\n' >vdp/proto.h
	printf '#include "proto.h"\n#include "vdp/proto.h"\n' >vdp/vsi.c
	printf '#include "vdp/proto.h"\n' >mib/oid.h
	printf '#include "mib/oid.h"\n#include "../vdp/proto.h"\n' >ipc/codec.h
	printf '#include "ipc/codec.h"\n#include "mib/oid.h"\n#include "vdp/proto.h"\n' >cli/main.c
	printf '#include <stddef.h>\n' >plugins/plugin_api.h
	printf '#include "plugins/plugin_api.h"\n#include "pa.h"\n' >plugins/pa/pa.c
	printf '\n' >plugins/pa/pa.h
	printf '#include "plugins/plugin_api.h"\n' >plugins/single.c
	printf '#include "evbd/b.h"\n' >evbd/a.h
	printf '#include "a.h"\n#include "evbd/a.h"\n#include "ipc/codec.h"\n' >evbd/a.c
	printf '#include "evbd/c.h"\n' >evbd/b.c
	printf '\n' >evbd/b.h
	printf '#include "plugins/plugin_api.h"\n' >evbd/c.h
	printf '#include "evbd/a.c"\n#include "cli/main.c"\n#include "plugins/pa/pa.h"\n' >tests/unit/t.c
	printf '#include "generated.h"\n' >vdp/gen.c
}
track() { git add -A; }
# expect_rc RC DESC: run the check; pass when it exits RC.
run() { sh "$chk" -C . "$@" >"$tmp/out" 2>&1; }
expect_rc() {
	_rc=$1
	shift
	run
	r=$?
	if [ "$r" = "$_rc" ]; then ok "$*"; else bad "$* (exit $r, wanted $_rc)"; fi
}
# expect_line DESC TEXT: the last run printed TEXT (fixed string).
expect_line() {
	if grep -qF -- "$2" "$tmp/out"; then ok "$1"; else bad "$1: no line with '$2'"; fi
}

tree clean
track
expect_rc 0 "a clean tree passes"
expect_line "a clean tree says so" "no evbd/ import cycle"

tree cli_evbd
printf '#include "evbd/b.h"\n' >>cli/main.c
track
expect_rc 1 "cli/ including evbd/ fails"
expect_line "the sentence names file, line, target and rule" \
	"cli/main.c:4 includes evbd/b.h, but cli/ may include only cli/, ipc/, vdp/ and mib/, never evbd/."

tree relative
printf '#include "../evbd/b.h"\n' >cli/extra.h
track
expect_rc 1 "a ../ include from cli/ into evbd/ fails"
expect_line "the ../ path is resolved" "cli/extra.h:1 includes evbd/b.h"

tree plugin_vdp
printf '#include "vdp/proto.h"\n' >>plugins/pa/pa.h
track
expect_rc 1 "a plugin including vdp/ fails"
expect_line "the plugin rule is named" "plugins/pa/pa.h:2 includes vdp/proto.h, but a plugin (plugins/pa/)"

tree plugin_other
printf '#include "plugins/pa/pa.h"\n' >>plugins/single.c
track
expect_rc 1 "a plugin including another plugin's folder fails"

tree api
printf '#include "vdp/proto.h"\n' >>plugins/plugin_api.h
track
expect_rc 1 "plugins/plugin_api.h including vdp/ fails"
expect_line "the API header rule is named" "plugins/plugin_api.h may include nothing from the tree"

tree vdp_mib
printf '#include "mib/oid.h"\n' >>vdp/vsi.c
track
expect_rc 1 "vdp/ including mib/ fails"

tree mib_ipc
printf '#include "ipc/codec.h"\n' >>mib/oid.h
track
expect_rc 1 "mib/ including ipc/ fails"

tree ipc_evbd
printf '#include "evbd/b.h"\n' >>ipc/codec.h
track
expect_rc 1 "ipc/ including evbd/ fails"

tree evbd_plugin
printf '#include "plugins/pa/pa.h"\n' >>evbd/b.c
track
expect_rc 1 "evbd/ including a plugin's own header fails"

tree newdir
mkdir -p tools
printf '\n' >tools/x.c
track
expect_rc 1 "a C file in a folder without a rule fails"
expect_line "the folder without a rule is named" "tools/x.c is in folder tools, which has no include rule"

tree untracked
printf '#include "evbd/b.h"\n' >cli/later.c
track
git rm -q --cached cli/later.c
expect_rc 0 "an untracked file is not read"

tree cycle
printf '#include "evbd/a.h"\n' >>evbd/c.h
track
expect_rc 1 "an evbd/ import cycle fails"
expect_line "the cycle is printed" "evbd/ modules import each other in a cycle: a -> b -> c -> a;"

tree cycle2
printf '#include "evbd/a.h"\n' >evbd/b.h
printf '#include "evbd/a.h"\n' >evbd/d.c
printf '#include "evbd/d.h"\n' >>evbd/c.h
printf '\n' >evbd/d.h
track
expect_rc 1 "two cycles sharing a module fail"
expect_line "the first cycle is printed" "cycle: a -> b -> a;"
expect_line "the second cycle is printed" "cycle: a -> b -> c -> d -> a;"

tree graph
printf '#include "evbd/b.h"\n' >>cli/main.c
track
run --graph
r=$?
if [ "$r" = 0 ]; then ok "--graph exits 0 on a tree with violations"; else bad "--graph exited $r"; fi
expect_line "--graph lists the cli -> evbd edge" "  cli -> evbd (1)"
expect_line "--graph lists the evbd module graph" "  a -> b"
expect_line "--graph counts the cycles" "evbd/ import cycles: 0"
if grep -q 'includes evbd/b.h' "$tmp/out"; then bad "--graph prints violations"; else ok "--graph prints no violations"; fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
