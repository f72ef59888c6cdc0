#!/usr/bin/env bash
# tests/cli/dyndbg_cli.sh - ctadm dyndbg against control-file fixtures
# (CTADM_DYNDBG_CONTROL): list, PATTERN, JSON, SITE errors (exit 2, the
# file unchanged), the queries written to a regular file (which keeps its
# flags, so a change does not take: exit 1), completion; and this
# machine's kernel, which has no dynamic debug.  The real enable/disable
# runs in the qemu lane.
. "$(dirname "$0")/../lib.sh"
FIX=$TESTS_DIR/fixtures/dyndbg
C61=$FIX/control-6.1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
unset CTADM_PROC_ROOT CTADM_DYNDBG_CONTROL

dd() { CTADM_DYNDBG_CONTROL=$C61 "$CTADM" dyndbg "$@"; }
# copy: a fresh copy of the 6.1 fixture to write to, its path on stdout.
copy() { cp "$C61" "$tmp/control" && echo "$tmp/control"; }

# --- list ---
out=$(dd); rc=$?
check_eq "list: exit 0" "$rc" 0
check_eq "list: header" "$(head -1 <<<"$out" | tr -s ' ')" \
	"FILE:LINE MODULE FUNCTION FLAGS FORMAT"
check_eq "list: the 45 sites of nf_conntrack's modules" \
	"$(tail -n +2 <<<"$out" | wc -l)" 45
check_eq "list: no other module's site" \
	"$(grep -cE 'init/main|kobject|nf_defrag_ipv6|ip_set' <<<"$out")" 0
check_eq "no arguments is list" "$(dd list)" "$out"
check_eq "list: a line" \
	"$(grep -F ':1725 ' <<<"$out" | tr -s ' ')" \
	"net/netfilter/nf_conntrack_core.c:1725 nf_conntrack init_conntrack _ \"nf_conntrack: Can't invert tuple.\\n\""
check_eq "list PATTERN: function" "$(dd list init_conntrack)" \
"FILE:LINE                               MODULE        FUNCTION        FLAGS  FORMAT
net/netfilter/nf_conntrack_core.c:1725  nf_conntrack  init_conntrack  _      \"nf_conntrack: Can't invert tuple.\\n\"
net/netfilter/nf_conntrack_core.c:1767  nf_conntrack  init_conntrack  _      \"nf_conntrack: expectation arrives ct=%p exp=%p\\n\""
check_eq "list PATTERN: module or file (ftp)" \
	"$(dd list ftp | tail -n +2 | wc -l)" 21
check_eq "list PATTERN: format" \
	"$(dd list SO_ORIGINAL_DST | tail -n +2 | awk '{print $1}' | tr '\n' ' ')" \
	"net/netfilter/nf_conntrack_proto.c:288 net/netfilter/nf_conntrack_proto.c:293 net/netfilter/nf_conntrack_proto.c:310 net/netfilter/nf_conntrack_proto.c:318 net/netfilter/nf_conntrack_proto.c:364 "
check_eq "list PATTERN matching nothing: the header alone" \
	"$(dd list nosuchthing | wc -l)" 1
check_eq "list PATTERN of another module's site only: nothing" \
	"$(dd list initcall | wc -l)" 1

# --- json ---
json=$(dd -o json)
check_eq "json: valid, schema 1, the control file" \
	"$(jq -r '[.schema, .control, (.sites | length)] | @tsv' <<<"$json")" \
	"1	$C61	45"
check_eq "json: a site's fields" \
	"$(jq -c '.sites[] | select(.line == 454)' <<<"$json")" \
	'{"file":"net/netfilter/nf_conntrack_ftp.c","line":454,"module":"nf_conntrack_ftp","function":"help","flags":"pmfl","enabled":true,"format":"nf_conntrack_ftp: conntrack_ftp: match `%.*s'"'"' (%u bytes at %u)\\n"}'
check_eq "json: enabled sites" \
	"$(jq -r '[.sites[] | select(.enabled) | .line] | @csv' <<<"$json")" \
	"382,454"
check_eq "json: list PATTERN" \
	"$(dd list getorigdst -o json | jq '.sites | length')" 5
check_eq "json: a 6.x file with classes" \
	"$(CTADM_DYNDBG_CONTROL=$FIX/control-6.6 "$CTADM" dyndbg -o json |
		jq -r '[.sites[] | .flags] | join(" ")')" "_ _ ps _ _"

# --- bad input: exit 2, a message, the file unchanged ---
# bad NAME WORD...: dyndbg WORD... exits 2 with a message, writes nothing.
bad() {
	local name=$1 f err rc; shift
	f=$(copy)
	err=$(CTADM_DYNDBG_CONTROL=$f "$CTADM" dyndbg "$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" != 2 ] || ! grep -q '^ctadm: dyndbg' <<<"$err"; then
		fail "exit 2: $name" "dyndbg $*: exit $rc: $err"
	elif ! cmp -s "$f" "$C61"; then
		fail "exit 2: $name" "dyndbg $* changed the file"
	else
		pass "exit 2: $name"
	fi
}
bad "unknown subcommand" frob
bad "list: two patterns" list a b
bad "enable without a site" enable
bad "disable without a site" disable
bad "a word that is no site" enable nf_conntrack_core.c
bad "line not a number" enable nf_conntrack_core.c:12a
bad "line 0" enable nf_conntrack_core.c:0
bad "no line" enable nf_conntrack_core.c:
bad "no file" enable :1725
bad "func without a name" enable func
bad "file without a name" disable file
bad "an unknown line" enable nf_conntrack_core.c:1726
bad "an unknown file" enable file nf_conntrack_nosuch.c
bad "an unknown function" enable func nosuch
bad "another module's site" enable init/main.c:1246
bad "another module's file" enable file nf_conntrack_reasm.c
bad "one bad site among good ones" enable func init_conntrack all bogus.c:1
bad "one unknown site among good ones" disable nf_conntrack_core.c:1725 x.c:1
check_eq "message: another module's site" \
	"$(dd enable init/main.c:1246 2>&1)" \
	"ctadm: dyndbg: \`init/main.c:1246' is a site of module main, not of nf_conntrack's modules
Try \`ctadm -h' for more information."
check_eq "message: an unknown site" "$(dd enable func nosuch 2>&1 | head -1)" \
	"ctadm: dyndbg: no site \`func nosuch' in $C61 (\`ctadm dyndbg list' lists them)"

# --- writing to a regular file: the queries, and changes that do not take ---
f=$(copy)
err=$(CTADM_DYNDBG_CONTROL=$f "$CTADM" dyndbg enable nf_conntrack_core.c:1725 2>&1)
rc=$?
check_eq "enable FILE:LINE: not taken, exit 1" "$rc" 1
check_eq "enable FILE:LINE: the message" "$err" \
	"ctadm: dyndbg: \`module nf_conntrack file net/netfilter/nf_conntrack_core.c line 1725 +p' did not take: net/netfilter/nf_conntrack_core.c:1725 still has flags \`_' in $f"
check_eq "enable FILE:LINE: one query, the sites kept" \
	"$(head -n "$(wc -l <"$C61")" "$f" | cmp - "$C61" && tail -n +"$(($(wc -l <"$C61") + 1))" "$f")" \
	"module nf_conntrack file net/netfilter/nf_conntrack_core.c line 1725 +p"
f=$(copy)
CTADM_DYNDBG_CONTROL=$f "$CTADM" dyndbg enable all func help >/dev/null 2>&1
check_eq "enable all and a function: a query a site, once" \
	"$(tail -n +"$(($(wc -l <"$C61") + 1))" "$f" | sort -u | wc -l) $(($(wc -l <"$f") - $(wc -l <"$C61")))" \
	"45 45"
f=$(copy)
out=$(CTADM_DYNDBG_CONTROL=$f "$CTADM" dyndbg disable func init_conntrack); rc=$?
check_eq "disable sites without p: taken, exit 0" "$rc" 0
check_eq "disable: the queries" "$(tail -2 "$f")" \
"module nf_conntrack file net/netfilter/nf_conntrack_core.c line 1725 -p
module nf_conntrack file net/netfilter/nf_conntrack_core.c line 1767 -p"
check_eq "disable: prints the sites" "$(tail -n +2 <<<"$out" | awk '{print $1, $4}')" \
"net/netfilter/nf_conntrack_core.c:1725 _
net/netfilter/nf_conntrack_core.c:1767 _"
f=$(copy)
check_eq "disable -o json" \
	"$(CTADM_DYNDBG_CONTROL=$f "$CTADM" dyndbg disable file nf_nat_ftp.c -o json |
		jq -r '[.schema, (.sites | length), .sites[0].enabled] | @tsv')" \
	"1	2	false"
f=$(copy)
check_rc "disable a p site: not taken, exit 1" 1 \
	env CTADM_DYNDBG_CONTROL="$f" "$CTADM" dyndbg disable nf_conntrack_ftp.c:382
grep -v '\[nf_conntrack\|\[nf_nat' "$C61" >"$tmp/no-ct"
err=$(CTADM_DYNDBG_CONTROL=$tmp/no-ct "$CTADM" dyndbg enable all 2>&1); rc=$?
check_eq "enable all without nf_conntrack sites: exit 1" "$rc" 1
check_eq "enable all without nf_conntrack sites: unchanged" \
	"$(cmp -s "$tmp/no-ct" <(grep -v '\[nf_conntrack\|\[nf_nat' "$C61") && echo same)" same
check_eq "list without nf_conntrack sites: a warning" \
	"$(CTADM_DYNDBG_CONTROL=$tmp/no-ct "$CTADM" dyndbg 2>&1 >/dev/null)" \
	"ctadm: warning: $tmp/no-ct has no site of nf_conntrack's modules (not loaded?)"

# --- control files that are not there or not understood: exit 1 ---
err=$(CTADM_DYNDBG_CONTROL=$FIX/control-malformed "$CTADM" dyndbg 2>&1); rc=$?
check_eq "malformed control file: exit 1 naming the line" "$rc $err" \
	"1 ctadm: dyndbg: $FIX/control-malformed:15: unexpected line \`net/netfilter/nf_conntrack_core.c:606 [nf_conntrack]nf_ct_destroy =_'"
cp "$FIX/control-malformed" "$tmp/malformed"
check_rc "malformed control file: enable exits 1" 1 \
	env CTADM_DYNDBG_CONTROL="$tmp/malformed" "$CTADM" dyndbg enable all
check_eq "malformed control file: nothing written" \
	"$(cmp -s "$tmp/malformed" "$FIX/control-malformed" && echo same)" same
check_rc "CTADM_DYNDBG_CONTROL naming nothing: exit 1" 1 \
	env CTADM_DYNDBG_CONTROL="$tmp/nonexistent" "$CTADM" dyndbg

# --- the proc file, found through CTADM_PROC_ROOT ---
mkdir -p "$tmp/proc/dynamic_debug" && cp "$C61" "$tmp/proc/dynamic_debug/control"
check_eq "CTADM_PROC_ROOT: proc's control file" \
	"$(CTADM_PROC_ROOT=$tmp/proc "$CTADM" dyndbg -o json | jq -r '.control, (.sites | length)')" \
	"$tmp/proc/dynamic_debug/control
45"

# --- this machine: no dynamic debug ---
has_dyndbg() {
	local mnt

	[ -e /proc/dynamic_debug/control ] && return 0
	mnt=$(awk '$3 == "debugfs" {print $2; exit}' /proc/mounts)
	[ -n "$mnt" ] && [ -e "$mnt/dynamic_debug/control" ]
}
if has_dyndbg; then
	skip "no dynamic debug" "this kernel has dynamic debug"
else
	for args in "" "list" "enable all" "disable func init_conntrack" "-o json"; do
		# shellcheck disable=SC2086
		err=$("$CTADM" dyndbg $args 2>&1); rc=$?
		if [ "$rc" = 1 ] && grep -q 'CONFIG_DYNAMIC_DEBUG' <<<"$err"; then
			pass "no dynamic debug: dyndbg $args exits 1 naming CONFIG_DYNAMIC_DEBUG"
		else
			fail "no dynamic debug: dyndbg $args" "exit $rc: $err"
		fi
	done
	check_rc "no dynamic debug: a bad SITE is still a usage error" 2 \
		"$CTADM" dyndbg enable bogus
	if grep -qw debugfs /proc/filesystems && ! grep -q ' debugfs ' /proc/mounts &&
		unshare -m true 2>/dev/null; then
		out=$(unshare -m sh -c '"$1" dyndbg --mount-debugfs; echo "rc=$?";
			grep -c " debugfs " /proc/mounts' _ "$CTADM" 2>&1)
		check_eq "--mount-debugfs: mounts, finds no control file, unmounts" \
			"$out" \
			"ctadm: dyndbg: the kernel has no dynamic debug (built without CONFIG_DYNAMIC_DEBUG): neither /proc/dynamic_debug/control nor /sys/kernel/debug/dynamic_debug/control exists
rc=1
0"
	else
		skip "--mount-debugfs" "debugfs mounted already, or no mount namespace"
	fi
fi

# --- completion: the live control file's sites ---
comp() { CTADM_DYNDBG_CONTROL=$C61 "$CTADM" __complete args dyndbg "$@"; }
check_eq "complete: subcommands" "$(comp | tr '\n' ' ')" "list enable disable "
w=$(comp enable)
check_eq "complete enable: keywords first" "$(head -3 <<<"$w" | tr '\n' ' ')" "all func file "
check_eq "complete enable: every nf_conntrack site, once" \
	"$(tail -n +4 <<<"$w" | sort -u | wc -l) $(tail -n +4 <<<"$w" | wc -l)" "45 45"
check_eq "complete enable: FILE:LINE words" \
	"$(grep -cxF -e net/netfilter/nf_conntrack_core.c:1725 -e net/netfilter/nf_nat_ftp.c:118 <<<"$w")" 2
check_eq "complete enable: no other module's site" "$(grep -c 'init/main' <<<"$w")" 0
check_eq "complete enable func: function names, once" \
	"$(comp enable func | grep -cxF -e init_conntrack -e help -e getorigdst)" 3
check_eq "complete disable file: files" "$(comp disable file | tr '\n' ' ')" \
	"net/netfilter/nf_conntrack_core.c net/netfilter/nf_conntrack_proto.c net/netfilter/nf_conntrack_proto_tcp.c net/netfilter/nf_conntrack_proto_sctp.c net/netfilter/nf_conntrack_ftp.c net/netfilter/nf_nat_ftp.c "
check_eq "complete after func NAME: sites again" \
	"$(comp enable func help | head -1)" all
check_eq "complete list: nothing" "$(comp list)" ""
check_eq "complete without a control file: the keywords" \
	"$(CTADM_DYNDBG_CONTROL=$tmp/nonexistent "$CTADM" __complete args dyndbg enable | tr '\n' ' ')" \
	"all func file "

t_done
