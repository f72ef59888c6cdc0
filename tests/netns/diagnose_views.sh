#!/usr/bin/env bash
# diagnose_views.sh - how ctadm diagnose looks at more than one namespace
# and at a terminal: --all-netns lists every namespace with its own
# metrics and findings and sums table-usage over them; colour only on a
# terminal and never with NO_COLOR; one sample says so; without
# CAP_NET_ADMIN a clear error.
. "$(dirname "$0")/../lib.sh"

command -v jq >/dev/null || { skip diagnose_views "no jq"; exit 0; }

NS2=ctadm-test-$$-b$RANDOM
netns_create
ip netns add "$NS2" || { fail "a second namespace"; exit 1; }
trap 'ip netns del "$NS" 2>/dev/null; ip netns del "$NS2" 2>/dev/null' EXIT

# entries NS N: N UDP entries in namespace NS.
entries() {
	for i in $(seq 1 "$2"); do
		echo "-I -p udp -s 10.1.0.1 -d 10.1.1.$i --sport 1000 --dport 53 -t 300"
	done | ip netns exec "$1" "$CTADM" -R - 2>/dev/null
}
entries "$NS" 3
entries "$NS2" 5

# --- --all-netns -------------------------------------------------------------
out=$("$CTADM" diagnose --all-netns --samples 2 --interval 0.2 -o json 2>&1); rc=$?
check_eq "--all-netns: exit 0" "$rc" 0
check_eq "--all-netns: the document says all" "$(jq -r .netns <<<"$out")" all
check_eq "--all-netns: each namespace's count" \
	"$(jq -c --arg a "$NS" --arg b "$NS2" '[.metrics[] | select(.netns == $a or .netns == $b) | [.netns == $a, .count]] | sort' <<<"$out")" \
	'[[false,5],[true,3]]'
check_eq "--all-netns: table-usage for each" \
	"$(jq -c --arg a "$NS" --arg b "$NS2" '[.findings[] | select(.id == "table-usage" and (.netns == $a or .netns == $b)) | .evidence.count] | sort' <<<"$out")" \
	'[3,5]'
sum=$(jq '[.metrics[].count] | add' <<<"$out")
check_eq "--all-netns: table-usage sums every namespace" \
	"$(jq '.findings[] | select(.id == "table-usage" and .netns == "all") | .evidence.count' <<<"$out")" "$sum"
out=$("$CTADM" diagnose --all-netns --samples 1 2>&1)
case $out in "ctadm diagnose: Linux "*", namespaces: all, 1 sample"$'\n'*) pass "--all-netns text: the heading" ;;
*) fail "--all-netns text: the heading" "$(head -n 1 <<<"$out")" ;; esac
grep -qF "$NS2" <<<"$out" && pass "--all-netns text: names the namespaces" ||
	fail "--all-netns text: names the namespaces" "$out"

# --- colour ------------------------------------------------------------------
# script(1) gives ctadm a terminal.
if command -v script >/dev/null; then
	tty_out=$(ip netns exec "$NS" script -qec "$CTADM diagnose --samples 1" /dev/null)
	grep -q $'\033\[' <<<"$tty_out" && pass "a terminal: coloured" ||
		fail "a terminal: coloured" "$tty_out"
	tty_out=$(NO_COLOR=1 ip netns exec "$NS" script -qec "$CTADM diagnose --samples 1" /dev/null)
	grep -q $'\033' <<<"$tty_out" && fail "NO_COLOR: no colour" "$tty_out" ||
		pass "NO_COLOR: no colour"
else
	skip diagnose_views "no script(1) for the terminal checks"
fi
out=$(in_netns "$CTADM" diagnose --samples 1)
grep -q $'\033' <<<"$out" && fail "a pipe: no colour" "$out" || pass "a pipe: no colour"

# --- no CAP_NET_ADMIN -----------------------------------------------------------
if command -v setpriv >/dev/null; then
	msg=$(in_netns setpriv --reuid=65534 --regid=65534 --clear-groups "$CTADM" diagnose --samples 1 2>&1); rc=$?
	case "$rc $msg" in "1 ctadm: diagnose: sampling namespace net:["*"]: permission denied (CAP_NET_ADMIN is needed)")
		pass "without CAP_NET_ADMIN: exit 1 and why" ;;
	*) fail "without CAP_NET_ADMIN: exit 1 and why" "$rc $msg" ;; esac
else
	skip diagnose_views "no setpriv"
fi

t_done
