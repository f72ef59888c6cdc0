# tests/lib.sh - shared helpers for the shell tests.  Each check prints a
# "PASS: " or "FAIL: " line; tests/run counts them.
CTADM=${CTADM:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/ctadm}
TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
t_failed=0

pass() { printf 'PASS: %s\n' "$1"; }
fail() { printf 'FAIL: %s\n' "$1"; shift; [ $# -gt 0 ] && printf '  %s\n' "$@"; t_failed=$((t_failed + 1)); }
skip() { printf 'SKIP: %s - %s\n' "$1" "$2"; }

# check_eq NAME GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else
		fail "$1"; diff <(printf '%s\n' "$3") <(printf '%s\n' "$2") | head -20 | sed 's/^/  /'
	fi
}

# check_rc NAME WANT_RC CMD...: runs CMD, compares its exit code.
check_rc() {
	local name=$1 want=$2 rc; shift 2
	"$@" >/dev/null 2>&1; rc=$?
	if [ "$rc" = "$want" ]; then pass "$name"; else fail "$name" "exit $rc, want $want: $*"; fi
}

# in_netns CMD...: runs CMD inside the test's private namespace $NS.
in_netns() { ip netns exec "$NS" "$@"; }

# netns_create: a fresh named namespace, removed when the script exits.
netns_create() {
	NS=ctadm-test-$$-$RANDOM
	ip netns add "$NS" || { echo "cannot create netns" >&2; exit 1; }
	trap 'ip netns del "$NS" 2>/dev/null' EXIT
}

# conntrack_input_on: lo up and an nft rule that makes conntrack look at
# the namespace's input, so that its invalid packets are seen (conntrack
# registers its hooks in a namespace only once a rule needs them).
conntrack_input_on() {
	in_netns ip link set lo up
	in_netns nft -f - <<-'NFT'
	table inet t {
		chain in {
			type filter hook input priority 0;
			ct state invalid counter
		}
	}
	NFT
}

# kmsg_mark prints a line it has just written to the kernel log;
# kmsg_since MARK prints the kernel log from that line on, so that lines
# of earlier runs (the ring keeps them) cannot match a test's search.
kmsg_mark() {
	local m="ctadm-test-mark-$$-$RANDOM$RANDOM"
	echo "$m" >/dev/kmsg && echo "$m"
}
kmsg_since() { dmesg | sed -n "/$1/,\$p"; }
t_done() { [ "$t_failed" -eq 0 ]; }
