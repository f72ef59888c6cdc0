#!/usr/bin/env bash
# tests/cli/man.sh - the manual page formats without warnings and documents
# everything the option table holds: every command, every long option
# (common and per protocol), every output format, and the words the
# word commands take (log-invalid, nflog, dyndbg, debug, their -o), as
# ctadm's own completion data lists them; every command has a SYNOPSIS
# entry.  Needs man-db and groff-base.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

MANPAGE=${MANPAGE:-$(cd "$TESTS_DIR/.." && pwd)/man/ctadm.8}
PROTOS="tcp udp udplite sctp dccp icmp icmpv6 gre"

if [ ! -r "$MANPAGE" ]; then
	fail "man page readable" "$MANPAGE"
	t_done
	exit
fi

# roff writes a dash in an option name as \-, so "--dport" is "\-\-dport".
roff_dashes() { printf '%s' "${1//-/\\-}"; }

# documented WORD: WORD occurs in the page, its dashes escaped, and not as
# part of a longer name (--src must not be found only inside --src-nat).
documented() {
	grep -qP -- "(?<![A-Za-z0-9_])(?<!\\\\-)\\Q$(roff_dashes "$1")\\E(?![A-Za-z0-9_])(?!\\\\-)" \
		"$MANPAGE"
}

man_warnings() {
	if command -v man >/dev/null 2>&1; then
		{ LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 \
			man --warnings -E UTF-8 -l -Tutf8 -Z "$MANPAGE" >/dev/null; } 2>&1
	else
		{ groff -man -ww -z "$MANPAGE"; } 2>&1
	fi
}

check_warnings() {
	local out

	if ! command -v man >/dev/null 2>&1 && ! command -v groff >/dev/null 2>&1; then
		skip "man page formats without warnings" "neither man nor groff"
		return
	fi
	out=$(man_warnings)
	if [ -z "$out" ]; then pass "man page formats without warnings"; else
		fail "man page formats without warnings" "$(head -20 <<<"$out")"
	fi
}

# check_words NAME WORD...: every WORD is documented.
check_words() {
	local name=$1 missing=() w; shift

	if [ $# -eq 0 ]; then
		fail "$name" "ctadm __complete listed nothing"
		return
	fi
	for w in "$@"; do
		documented "$w" || missing+=("$w")
	done
	if [ ${#missing[@]} -eq 0 ]; then pass "$name"; else
		fail "$name" "not in $MANPAGE: ${missing[*]}"
	fi
}

# output_tags: the tags (.TP, then ".B WORD") of the OUTPUT FORMATS section.
output_tags() {
	awk '/^\.SH/ { in_sec = ($0 ~ /^\.SH "?OUTPUT FORMATS"?$/) }
	     in_sec && tp && /^\.B [a-z]+$/ { print $2 }
	     { tp = ($0 == ".TP") }' "$MANPAGE"
}

# synopsis_commands: the command of each SYNOPSIS entry (.SY ctadm, then
# ".B WORD"), as roff writes it.
synopsis_commands() {
	awk '/^\.SH/ { in_sec = ($0 ~ /^\.SH "?SYNOPSIS"?$/) }
	     in_sec && sy && /^\.B / { print $2 }
	     { sy = ($0 == ".SY ctadm") }' "$MANPAGE"
}

# check_tags NAME TAGS WORD...: every WORD, as roff writes it, is a line
# of TAGS.
check_tags() {
	local name=$1 tags=$2 missing=() w; shift 2

	for w in "$@"; do
		grep -qxF -- "$(roff_dashes "$w")" <<<"$tags" || missing+=("$w")
	done
	if [ $# -gt 0 ] && [ ${#missing[@]} -eq 0 ]; then pass "$name"; else
		fail "$name" \
			"missing: ${missing[*]:-(ctadm __complete listed nothing)}"
	fi
}

complete_words() { "$CTADM" __complete "$@" 2>/dev/null; }

# diagnosis_tags: the tags (.TP, then ".B WORD" or ".BR WORD ...") of the
# DIAGNOSIS section, where each finding id has its paragraph.
diagnosis_tags() {
	awk '/^\.SH/ { in_sec = ($0 ~ /^\.SH "?DIAGNOSIS"?$/) }
	     in_sec && tp && /^\.BR? / { print $2 }
	     { tp = ($0 == ".TP") }' "$MANPAGE"
}

# finding_ids: the ids diagnose's findings can have, read off its source
# (the binary lists them nowhere); nothing when the source is not there.
finding_ids() {
	local src=$TESTS_DIR/../src/diag_find.c

	[ -r "$src" ] || return 0
	grep -oE 'finding_add\(r, "[a-z-]+"' "$src" | sed -E 's/.*"([a-z-]+)"/\1/' | sort -u
}

check_warnings
mapfile -t words < <(complete_words commands)
check_words "every command is documented" "${words[@]}"
# Under the short name (-L) or the word (nflog), not the long name.
mapfile -t words < <(complete_words commands | grep -v '^--')
check_tags "every command has a SYNOPSIS entry" "$(synopsis_commands)" \
	"${words[@]}"
mapfile -t words < <(complete_words options)
check_words "every common option is documented" "${words[@]}"
for p in $PROTOS; do
	mapfile -t words < <(complete_words proto-options "$p")
	check_words "every option of -p $p is documented" "${words[@]}"
done
mapfile -t words < <(complete_words outputs)
check_words "every output format is documented" "${words[@]}"
check_tags "every output format has a paragraph in OUTPUT FORMATS" \
	"$(output_tags)" "${words[@]}"
mapfile -t words < <(complete_words tables)
check_words "every table is documented" "${words[@]}"
mapfile -t words < <(complete_words status)
check_words "every status flag is documented" "${words[@]}"
mapfile -t words < <(complete_words args log-invalid)
check_words "every word log-invalid takes is documented" "${words[@]}"
mapfile -t words < <(complete_words args nflog)
check_words "every nflog family is documented" "${words[@]}"
# A family nflog does not know: every backend.
mapfile -t words < <(complete_words args nflog -)
check_words "every nflog backend is documented" "${words[@]}"
mapfile -t words < <(complete_words args dyndbg)
check_words "every dyndbg subcommand is documented" "${words[@]}"
mapfile -t words < <(complete_words args debug)
check_words "every debug subcommand is documented" "${words[@]}"
mapfile -t words < <(complete_words backends)
check_words "every debug --backend is documented" "${words[@]}"
mapfile -t words < <(complete_words outputs diagnose)
check_words "every output of the word commands is documented" "${words[@]}"
mapfile -t words < <(finding_ids)
if [ ${#words[@]} -gt 0 ]; then
	check_tags "every diagnose finding id has a paragraph in DIAGNOSIS" \
		"$(diagnosis_tags)" "${words[@]}"
else
	skip "every diagnose finding id has a paragraph" "no src/diag_find.c"
fi
t_done
