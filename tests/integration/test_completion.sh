#!/bin/sh
# SPDX-License-Identifier: ISC
# test_completion.sh - dist/evbctl.bash-completion in bash, as bash calls it
# (COMP_LINE, COMP_POINT, COMP_WORDS split at COMP_WORDBREAKS): every
# command of `evbctl help`, sub-commands and keywords, and the interfaces
# and VSIIDs of a running evbd.
if [ -z "${EVBD_T_INNER:-}" ] && [ "$(id -u)" = 0 ]; then
	EVBD_T_INNER=1 exec unshare -n --mount --propagation private sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
trap t_cleanup EXIT

COMP=$T_ROOT/dist/evbctl.bash-completion
# comp LINE: the candidates bash would offer for LINE (cursor at its end),
# sorted, one line, into $T_TMP/c.
comp() {
	bash -c '
		. "$1"
		COMP_LINE=$2
		COMP_POINT=${#2}
		COMP_WORDBREAKS=" \"'"'"'><=;|&(:"
		# COMP_WORDS as bash splits them: at blanks, and ":" alone
		read -ra COMP_WORDS <<<"$(printf "%s" "$2" | sed "s/:/ : /g")"
		[[ $2 == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_evbctl
		printf "%s\n" "${COMPREPLY[@]}"' _ "$COMP" "$1" | sort | tr '\n' ' ' | sed 's/ $//' >"$T_TMP/c"
}
# offers LINE WORDS: comp LINE gives exactly WORDS (sorted, space-separated).
offers() {
	comp "$1"
	[ "$(cat "$T_TMP/c")" = "$2" ] || { echo "for '$1' got '$(cat "$T_TMP/c")', wanted '$2'"; return 1; }
}
# includes LINE WORD: comp LINE offers WORD among others.
includes() {
	comp "$1"
	grep -qw -- "$2" "$T_TMP/c" || { echo "for '$1' got '$(cat "$T_TMP/c")', not '$2'"; return 1; }
}

ip link set lo up
ip link add vst type veth peer name vpeer
ip link set vst up
ip link set vpeer up
printf '[port vst]\nrole = station\n' >"$T_TMP/st.conf"
evbd_start st main -f "$T_TMP/st.conf" || exit 1
U=6d0f0000-0000-4000-8000-0000000000c1
"$EVBCTL" vsi associate dev vst type 5 version 1 uuid $U vlan 10 >/dev/null
"$EVBCTL" vsi associate dev vst type 5 version 1 vsiid mac:52:54:00:00:00:02 vlan 11 >/dev/null

E=$EVBCTL
CMDS=$("$E" help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p' | sort | tr '\n' ' ' | sed 's/ $//')
t_check "evbctl help lists the commands (the reference for the next check)" [ -n "$CMDS" ]
t_check "the first word: every command of 'evbctl help'" offers "$E " "$CMDS"
t_check "after -j: the commands again" offers "$E -j " "$CMDS"
t_check "options" offers "$E --" "--batch --help --json --stats --version"
t_check "help COMMAND" offers "$E help " "$CMDS"
t_check "vsi: its sub-commands" offers "$E vsi " \
	"associate deassociate list preassociate preassociate-rr show where"
t_check "vsi associate: every keyword" offers "$E vsi associate " \
	"dev group hints mac mgrid pcp type uuid version vlan vsiid wait"
t_check "vsi deassociate: its keywords" offers "$E vsi deassociate dev vst " \
	"dev uuid vsiid wait"
t_check "vsi show: its keywords" offers "$E vsi show " "dev uuid vsiid"
t_check "dev: the running evbd's ports" offers "$E vsi associate dev " "vst"
t_check "port" offers "$E port " "clear-stats show"
t_check "port clear-stats" offers "$E port clear-stats " "dev"
t_check "port show" offers "$E port show " "dev"
t_check "port show dev" offers "$E -j port show dev v" "vst"
t_check "monitor dev: the ports" offers "$E monitor dev " "vst"
t_check "uuid: the VSIs evbd has (UUID format)" offers "$E vsi deassociate dev vst uuid " "$U"
t_check "vsiid: the formats and the VSIs of other formats" offers "$E vsi show vsiid " \
	"ipv4: ipv6: local: mac: mac:52:54:00:00:00:02 uuid:"
t_check "vsiid across bash's colon split: only the rest of the word" \
	offers "$E vsi show vsiid mac:52:54:00:00:00:0" "02"
t_check "hints" offers "$E vsi associate dev vst hints " "migrate-from migrate-to none"
t_check "fleet: its sub-commands" offers "$E fleet " "status vsi where"
t_check "config: from-lldpad" offers "$E config " "from-lldpad"
t_check "vsitype: its sub-commands" offers "$E vsitype " "add del import list show"
t_check "vsitype add formats" offers "$E vsitype add 5 version 1 vlans 10 formats " \
	"group-mac-vid group-vid mac-vid vid"
t_check "vsitype add: its keywords" offers "$E vsitype add 5 version 1 " \
	"assign-vlan default formats max-per-port name pcp version vlans"
t_check "mib" offers "$E mib " "get set walk"
t_check "decode" offers "$E decode " "- -r"
t_check "batch and decode -r take files" includes "$E decode -r $T_ROOT/tests/vectors/vdp-e" \
	"$T_ROOT/tests/vectors/vdp-exchange.pcap"
evbd_kill st
t_check "no evbd: dev offers nothing, quietly" offers "$E vsi associate dev " ""
t_done
