#!/usr/bin/env bash
# tests/cli/completion.sh - completions/ctadm, driven the way readline
# drives it: COMP_WORDS/COMP_CWORD/COMP_LINE/COMP_POINT set for a command
# line, _ctadm called, COMPREPLY checked.  Runs once in a plain bash and
# once more with bash-completion loaded, when it is installed.
. "$(dirname "$0")/../lib.sh"
COMPLETION=${COMPLETION:-$TESTS_DIR/../completions/ctadm}
BASH_COMPLETION=/usr/share/bash-completion/bash_completion

tmp=$(mktemp -d) || exit 1
# dyndbg's sites come from this control file, not the kernel's.
export CTADM_DYNDBG_CONTROL=$TESTS_DIR/fixtures/dyndbg/control-6.1
NS=
trap 'rm -rf "$tmp"; [ -n "$NS" ] && ip netns del "$NS" 2>/dev/null' EXIT

# colon_split WORD: WORD into words, as readline's COMP_WORDBREAKS splits
# it at `:', a run of colons a word of its own ("a:b" is a : b).
colon_split() {
	local w=$1 head colons

	while [[ $w == *:* ]]; do
		head=${w%%:*}
		[[ -n $head ]] && words+=("$head")
		w=${w#"$head"}
		colons=${w%%[!:]*}
		words+=("$colons")
		w=${w#"$colons"}
	done
	[[ -n $w ]] && words+=("$w")
}

# complete_line MODE LINE: COMPREPLY for LINE with the cursor at its end,
# one word a line.  The line's first word is replaced by $CTADM.  Words
# are split at blanks, a `--opt=value' word at its `=' and any word at
# its colons, as readline's COMP_WORDBREAKS does.  MODE is "plain" or
# "bash-completion".
complete_line() {
	local mode=$1 line="$CTADM ${2#* }" w
	local -a words=()

	for w in $line; do
		if [[ $w == --?*=* ]]; then
			words+=("${w%%=*}" "=")
			[[ -n ${w#*=} ]] && colon_split "${w#*=}"
		else
			colon_split "$w"
		fi
	done
	[[ $line == *' ' || $line == *= ]] && words+=("")
	COMPLETION=$COMPLETION BASH_COMPLETION=$BASH_COMPLETION MODE=$mode \
	LINE=$line bash --norc --noprofile -c '
		[ "$MODE" = bash-completion ] && . "$BASH_COMPLETION"
		. "$COMPLETION" || exit 1
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE=$LINE
		COMP_POINT=${#LINE}
		_ctadm
		printf "%s\n" "${COMPREPLY[@]}"' _ "${words[@]}"
}

# offers MODE LINE WORD...: every WORD is among the completions of LINE.
offers() {
	local mode=$1 line=$2 got w missing=(); shift 2
	got=$(complete_line "$mode" "$line" 2>&1)
	for w in "$@"; do
		grep -qxF -- "$w" <<<"$got" || missing+=("$w")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		pass "$mode: '$line' offers $*"
	else
		fail "$mode: '$line' offers $*" "missing: ${missing[*]}" \
			"got: $(tr '\n' ' ' <<<"$got")"
	fi
}

# lacks MODE LINE WORD: WORD is not among the completions of LINE.
lacks() {
	local got
	got=$(complete_line "$1" "$2" 2>&1)
	if grep -qxF -- "$3" <<<"$got"; then
		fail "$1: '$2' lacks $3" "got: $(tr '\n' ' ' <<<"$got")"
	else
		pass "$1: '$2' lacks $3"
	fi
}

# only MODE LINE WORD...: the completions of LINE are exactly WORD...
only() {
	local mode=$1 line=$2 got; shift 2
	got=$(complete_line "$mode" "$line" 2>&1 | sort)
	check_eq "$mode: '$line' offers only $*" "$got" \
		"$(printf '%s\n' "$@" | sort)"
}

labelmap=$tmp/connlabel.conf
cat >"$labelmap" <<'EOF'
# bit name
0	alpha
1 beta
  5	gamma ray
0x2a	delta
7	bad!name
EOF

loadfile=$tmp/load.txt
: >"$loadfile"

if ip netns add "ctadm-compl-$$" 2>/dev/null; then
	NS=ctadm-compl-$$
fi

run_checks() {
	local m=$1

	offers "$m" "ctadm -" -L --dump -G -C -S -V -h --help
	lacks "$m" "ctadm -" --dport
	only "$m" "ctadm --du" --dump
	offers "$m" "ctadm -L " conntrack expect dying unconfirmed
	only "$m" "ctadm -L ex" expect
	offers "$m" "ctadm -L -p " tcp udp icmp icmpv6 sctp gre
	only "$m" "ctadm -L -p ic" icmp icmpv6
	offers "$m" "ctadm -L -p tcp --" --dport --sport --state --output --netns
	offers "$m" "ctadm -L conntrack -p tcp --" --dport --state
	offers "$m" "ctadm -L --protonum=udp --" --dport
	lacks "$m" "ctadm -L -p udp --" --state
	lacks "$m" "ctadm -L --" --dport
	offers "$m" "ctadm -L --" --output --src --zero
	offers "$m" "ctadm -L -p icmp --icmp" --icmp-type --icmp-code
	offers "$m" "ctadm -L -p tcp --state " ESTABLISHED TIME_WAIT SYN_SENT2
	lacks "$m" "ctadm -L -p tcp --state " COOKIE_WAIT
	offers "$m" "ctadm -L -p sctp --state " COOKIE_WAIT ESTABLISHED
	only "$m" "ctadm -L -p tcp --state=ES" ESTABLISHED
	offers "$m" "ctadm -L -o " json xml extended save id ktimestamp
	offers "$m" "ctadm -L -o extended," extended,id extended,json
	lacks "$m" "ctadm -L -o extended," extended,extended
	only "$m" "ctadm -L --output xml,ti" xml,timestamp
	offers "$m" "ctadm -L -u " ASSURED SEEN_REPLY UNREPLIED '!ASSURED'
	lacks "$m" "ctadm -L -u " '!UNREPLIED'
	offers "$m" "ctadm -L -u SEEN_REPLY," SEEN_REPLY,ASSURED SEEN_REPLY,UNREPLIED
	only "$m" "ctadm -L -u ASSURED,!SEEN" 'ASSURED,!SEEN_REPLY'
	only "$m" "ctadm -L -f " ipv4 ipv6
	only "$m" "ctadm -L -s " ""
	offers "$m" "ctadm -L -z --" --output
	offers "$m" "ctadm -L -z " --output
	offers "$m" "ctadm -L --src-nat --" --output
	offers "$m" "ctadm -L --labelmap $labelmap -l " alpha beta delta
	lacks "$m" "ctadm -L --labelmap $labelmap -l " bad!name
	only "$m" "ctadm -L --labelmap=$labelmap -l alpha,b" alpha,beta
	offers "$m" "ctadm -L --labelmap $tmp/conn" "$labelmap"
	# The write path: commands, their tables and FILE, options by command.
	offers "$m" "ctadm -" -D -I -A -U -E -F -R --delete --load-file
	only "$m" "ctadm -D " conntrack expect
	only "$m" "ctadm --delete=e" expect
	offers "$m" "ctadm -U " --mark --timeout --label-add --quiet
	lacks "$m" "ctadm -U " conntrack
	offers "$m" "ctadm -R $tmp/lo" "$loadfile"
	offers "$m" "ctadm --load-file $tmp/lo" "$loadfile"
	offers "$m" "ctadm --load-file=$tmp/lo" "$loadfile"
	only "$m" "ctadm -R $loadfile --" --labelmap --netns
	offers "$m" "ctadm -D -p tcp --" --dport --state --src --mark --quiet
	lacks "$m" "ctadm -D -p tcp --" --tuple-port-src
	lacks "$m" "ctadm -D --" --zero
	offers "$m" "ctadm -U --" --timeout --label-add --label-del --status
	lacks "$m" "ctadm -L --" --quiet
	lacks "$m" "ctadm -I --" --quiet
	lacks "$m" "ctadm -E --" --quiet
	offers "$m" "ctadm --q" --quiet
	offers "$m" "ctadm -E --" --event-mask --buffer-size --resync --output
	lacks "$m" "ctadm -E expect --" --resync
	offers "$m" "ctadm -E -e " ALL NEW UPDATES DESTROY
	offers "$m" "ctadm -E -e NEW," NEW,UPDATES NEW,DESTROY
	lacks "$m" "ctadm -E -e NEW," NEW,NEW
	only "$m" "ctadm -E --event-mask=NEW,D" NEW,DESTROY
	offers "$m" "ctadm -I -p tcp --" --timeout --state --src-nat
	lacks "$m" "ctadm -I -p tcp --" --tuple-port-src
	offers "$m" "ctadm -I expect -p tcp --" --tuple-src --tuple-port-src \
		--mask-port-dst --timeout
	offers "$m" "ctadm --create=exp -p udp --" --tuple-port-dst
	offers "$m" "ctadm -I exp -p gre --" --tuple-key-src --mask-key-dst
	offers "$m" "ctadm -A -p sctp --" --orig-vtag --reply-vtag --state
	offers "$m" "ctadm -U --labelmap $labelmap --label-add " alpha beta
	only "$m" "ctadm -U --labelmap $labelmap --label-del alpha,b" alpha,beta
	offers "$m" "ctadm -U --label-del --" --mark
	# The word commands: only as the first word, then their arguments.
	offers "$m" "ctadm " log-invalid nflog -L
	only "$m" "ctadm nf" nflog
	lacks "$m" "ctadm -L --netns x " nflog
	lacks "$m" "ctadm --netns x " log-invalid
	offers "$m" "ctadm log-invalid " tcp udp icmp sctp all off
	only "$m" "ctadm log-invalid o" off
	offers "$m" "ctadm log-invalid tcp " --netns --output
	only "$m" "ctadm log-invalid --" --netns --output
	only "$m" "ctadm log-invalid -o " text json
	only "$m" "ctadm log-invalid --output=" text json
	only "$m" "ctadm diagnose -o " text json prometheus
	only "$m" "ctadm debug on --backend " syslog nflog
	offers "$m" "ctadm diagnose --" --samples --interval --all-netns --netns
	lacks "$m" "ctadm -L --" --samples --backend --count
	only "$m" "ctadm nflog " ipv4 ipv6 arp bridge netdev
	only "$m" "ctadm nflog i" ipv4 ipv6
	only "$m" "ctadm nflog ipv4 " nf_log_ipv4 nfnetlink_log none
	only "$m" "ctadm nflog 10 " nf_log_ipv6 nfnetlink_log none
	only "$m" "ctadm nflog bridge nf" nf_log_bridge nfnetlink_log
	only "$m" "ctadm nflog --netns x -o json arp " nf_log_arp \
		nfnetlink_log none
	only "$m" "ctadm nflog --netns=x netdev " nf_log_netdev \
		nfnetlink_log none
	only "$m" "ctadm nflog -ojson ipv6 " nf_log_ipv6 nfnetlink_log none
	offers "$m" "ctadm nflog ipv4 none " --all-netns-logging --netns
	only "$m" "ctadm nflog --" --all-netns-logging --netns --output
	lacks "$m" "ctadm log-invalid --" --all-netns-logging
	lacks "$m" "ctadm -L --" --all-netns-logging
	# dyndbg, debug, diagnose, report, watch-invalid.
	offers "$m" "ctadm " dyndbg debug diagnose report watch-invalid
	only "$m" "ctadm d" dyndbg debug diagnose
	only "$m" "ctadm w" watch-invalid
	lacks "$m" "ctadm -L " watch-invalid
	only "$m" "ctadm dyndbg " list enable disable
	only "$m" "ctadm dyndbg e" enable
	only "$m" "ctadm dyndbg --" --mount-debugfs --netns --output
	only "$m" "ctadm dyndbg -o " text json
	offers "$m" "ctadm dyndbg enable " all func file \
		net/netfilter/nf_conntrack_core.c:1725 net/netfilter/nf_nat_ftp.c:118
	lacks "$m" "ctadm dyndbg enable " init/main.c:1246
	only "$m" "ctadm dyndbg enable net/netfilter/nf_conntrack_core.c:17" \
		1725 1767
	only "$m" "ctadm dyndbg disable net/netfilter/nf_conntrack_core.c:172" 1725
	offers "$m" "ctadm dyndbg enable net/netfilter/nf_conntrack_c" \
		net/netfilter/nf_conntrack_core.c:1725 \
		net/netfilter/nf_conntrack_core.c:1767
	lacks "$m" "ctadm dyndbg enable net/netfilter/nf_conntrack_c" \
		net/netfilter/nf_nat_ftp.c:118
	offers "$m" "ctadm dyndbg enable net/netfilter/nf_conntrack_core.c:1725 " \
		all func net/netfilter/nf_nat_ftp.c:118
	only "$m" "ctadm dyndbg enable func init_" init_conntrack
	only "$m" "ctadm dyndbg disable file net/netfilter/nf_nat" \
		net/netfilter/nf_nat_ftp.c
	offers "$m" "ctadm dyndbg enable --mount-debugfs func " init_conntrack help
	# list's PATTERN is free text: the options.
	only "$m" "ctadm dyndbg list " --mount-debugfs --netns --output
	only "$m" "ctadm debug " on off status
	only "$m" "ctadm debug o" on off
	offers "$m" "ctadm debug on " tcp udp icmp icmpv6 sctp all
	lacks "$m" "ctadm debug on " off
	offers "$m" "ctadm debug on tcp " udp all
	lacks "$m" "ctadm debug on tcp " tcp
	offers "$m" "ctadm debug on all " --backend --dyndbg
	offers "$m" "ctadm debug on --" --backend --dyndbg --mount-debugfs \
		--netns --output
	only "$m" "ctadm debug on --backend=" syslog nflog
	offers "$m" "ctadm debug on --backend nflog " tcp all
	offers "$m" "ctadm debug off " --netns --output
	lacks "$m" "ctadm debug off " on
	only "$m" "ctadm debug -o " text json
	only "$m" "ctadm diagnose " --samples --interval --all-netns --netns \
		--output
	only "$m" "ctadm diagnose --output=p" prometheus
	only "$m" "ctadm diagnose --samples " ""
	only "$m" "ctadm report --" --invalid-seconds --netns --output
	only "$m" "ctadm report -o " text json
	offers "$m" "ctadm watch-invalid " tcp udp icmp all
	lacks "$m" "ctadm watch-invalid " off
	offers "$m" "ctadm watch-invalid udp " tcp icmp
	lacks "$m" "ctadm watch-invalid udp " udp
	only "$m" "ctadm watch-invalid all " --seconds --count --netns --output
	only "$m" "ctadm watch-invalid --" --seconds --count --netns --output
	only "$m" "ctadm watch-invalid -o " text json
	lacks "$m" "ctadm -L --" --invalid-seconds
	lacks "$m" "ctadm diagnose --" --seconds
	if [ -n "$NS" ]; then
		offers "$m" "ctadm nflog --netns " "$NS"
		offers "$m" "ctadm -L --netns " "$NS"
		offers "$m" "ctadm -L --netns ctadm-compl" "$NS"
	else
		skip "$m: --netns names" "cannot create a network namespace"
	fi
}

run_checks plain
if [ -r "$BASH_COMPLETION" ]; then
	run_checks bash-completion
else
	skip "bash-completion" "$BASH_COMPLETION not installed"
fi
t_done
