#!/usr/bin/env bash
# tests/netns/diff_write.sh - differential test of the write path: -D, -U,
# -I, -A, -F and the expectation writes.  Twin namespaces get the same
# synthetic table (made by the reference's own -R); $CTADM changes one,
# the reference conntrack (1.4.7) the other, and both must agree on the
# printed entries, the summary, the exit code and the table left behind.
# Where conntrack 1.4.7 is known to be wrong, $CTADM is checked against
# the meaning of the command instead (what the plain listing selects).
set -u
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$TESTS_DIR/netns/corpus.sh"
REF=${REF:-conntrack}

if ! command -v "$CTADM" >/dev/null; then skip "diff_write" "no $CTADM"; exit 0; fi
netns_create
NS_CT=$NS-ct
NS_C=$NS-corpus
T=$(mktemp -d /tmp/ctadm-write.XXXXXX)
CHURN_PID='' TRAFFIC_PID=''
cleanup() {
	[ -n "$CHURN_PID$TRAFFIC_PID" ] && kill $CHURN_PID $TRAFFIC_PID 2>/dev/null
	corpus_cleanup
	ip netns del "$NS" 2>/dev/null
	ip netns del "$NS_CT" 2>/dev/null
	ip netns del "$NS_C" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
ip netns add "$NS_CT" || { fail "create the twin namespace"; exit 1; }

# ns_exec (corpus.sh) shows the label names under /etc to both programs.
mkdir -p "$T/etc/xtables"
cp "$TESTS_DIR/netns/connlabel.conf" "$T/etc/xtables/connlabel.conf"
cp "$TESTS_DIR/netns/connlabel.conf" "$T/etc/connlabel.conf"
# shellcheck disable=SC2034 # read by ns_exec
CORPUS_DIR=$T
# The kernel gives new entries room for labels only while a connlabel
# rule exists in the namespace; this one never matches.
for ns in "$NS" "$NS_CT"; do
	ip -n "$ns" link set lo up
	ns_exec "$ns" nft -f - <<'NFT'
table inet ctadm_labels {
	chain out {
		type filter hook output priority 0;
		ip protocol 253 ct label set gamma
	}
}
NFT
done

# The synthetic table: every protocol, both families, reply tuples that
# are not the mirror of the original one, NAT, zones, marks, labels.
cat >"$T/table" <<'EOF'
-I -s 10.0.0.1 -d 10.0.0.2 -p tcp --sport 1001 --dport 443 --state ESTABLISHED -u SEEN_REPLY,ASSURED -m 5 -t 86400
-I -s 10.0.0.1 -d 10.0.0.2 -p tcp --sport 1002 --dport 443 --state SYN_SENT -t 86400
-I -s 10.0.0.1 -d 10.0.0.2 -p tcp --sport 1003 --dport 80 --state TIME_WAIT -m 0x10 -t 86400
-I -s 10.0.0.3 -d 10.0.0.2 -p tcp --sport 1004 --dport 443 --state ESTABLISHED -u SEEN_REPLY -m 0x15 -t 86400
-I -s 10.0.1.1 -d 10.0.0.2 -p tcp --sport 1005 --dport 22 --state FIN_WAIT -u ASSURED -m 4294967295 -t 86400
-I -s 10.1.0.1 -d 172.16.0.1 -p tcp --sport 1006 --dport 443 --state CLOSE -m 4 -t 86400
-I -s 172.16.0.5 -d 10.0.0.2 -p tcp --sport 443 --dport 1007 --state CLOSE_WAIT -t 86400
-I -s 2001:db8::1 -d 2001:db8::2 -p tcp --sport 1001 --dport 443 --state ESTABLISHED -u SEEN_REPLY,ASSURED -m 5 -t 86400
-I -s 2001:db8::1 -d 2001:db8:1::2 -p tcp --sport 1002 --dport 80 --state SYN_RECV -t 86400
-I -s 2001:db9::1 -d 2001:db8::2 -p tcp --sport 1003 --dport 443 --state LAST_ACK -u SEEN_REPLY -t 86400
-I -s 10.0.0.1 -d 10.0.0.3 -p udp --sport 53000 --dport 53 -t 86400
-I -s 10.0.0.1 -d 10.0.0.3 -p udp --sport 53001 --dport 53 -u SEEN_REPLY -t 86400
-I -s 2001:db8::1 -d 2001:db8::3 -p udp --sport 53000 --dport 53 -u SEEN_REPLY,ASSURED -t 86400
-I -s 10.0.0.4 -d 10.0.0.5 -p udp --sport 1 --dport 2 -r 10.0.0.9 -q 10.0.0.4 --reply-port-src 3 --reply-port-dst 1 -t 86400
-I -s 10.0.0.1 -d 10.0.0.4 -p udplite --sport 4000 --dport 4001 -t 86400
-I -s 10.0.0.1 -d 10.0.0.5 -p icmp --icmp-type 8 --icmp-code 0 --icmp-id 77 -t 86400
-I -s 2001:db8::1 -d 2001:db8::5 -p icmpv6 --icmpv6-type 128 --icmpv6-code 0 --icmpv6-id 77 -t 86400
-I -s 10.0.0.1 -d 10.0.0.6 -p sctp --sport 3001 --dport 36412 --state ESTABLISHED --orig-vtag 101 --reply-vtag 201 -t 86400
-I -s 2001:db8::1 -d 2001:db8::6 -p sctp --sport 3002 --dport 36412 --state COOKIE_WAIT --orig-vtag 1 --reply-vtag 2 -t 86400
-I -s 10.0.0.1 -d 10.0.0.8 -p gre --srckey 5 --dstkey 6 -t 86400
-I -s 10.0.0.1 -d 10.0.0.9 -p 99 -t 86400
-I -s 2001:db8::1 -d 2001:db8::9 -p 250 -m 7 -t 86400
-I -s 192.168.1.10 -d 203.0.113.5 -p tcp --sport 40000 --dport 443 --state ESTABLISHED -u SEEN_REPLY,ASSURED --src-nat 198.51.100.1 -t 86400
-I -s 192.168.1.11 -d 203.0.113.5 -p tcp --sport 40001 --dport 443 --state ESTABLISHED --src-nat 198.51.100.1:61000 -t 86400
-I -s 203.0.113.9 -d 198.51.100.1 -p udp --sport 5060 --dport 5060 --dst-nat 192.168.1.20 -t 86400
-I -s 203.0.113.9 -d 198.51.100.1 -p tcp --sport 40002 --dport 80 --state SYN_RECV --dst-nat 192.168.1.21:8080 -t 86400
-I -s 192.168.1.12 -d 203.0.113.6 -p tcp --sport 40003 --dport 22 --state ESTABLISHED --src-nat 198.51.100.2 --dst-nat 192.168.1.22 -t 86400
-I -s fd00::10 -d 2001:db8:f::5 -p tcp --sport 40004 --dport 443 --state ESTABLISHED --src-nat 2001:db8:1::1 -t 86400
-I -s 2001:db8:f::9 -d 2001:db8:1::1 -p tcp --sport 40005 --dport 443 --state ESTABLISHED --dst-nat fd00::20 -t 86400
-I -s 10.1.0.1 -d 10.1.0.2 -p tcp --sport 100 --dport 443 --state ESTABLISHED -w 3 -m 5 -t 86400
-I -s 10.1.0.1 -d 10.1.0.2 -p tcp --sport 101 --dport 443 --state ESTABLISHED -w 65535 -t 86400
-I -s 10.1.0.1 -d 10.1.0.2 -p tcp --sport 102 --dport 443 --state ESTABLISHED --orig-zone 4 -t 86400
-I -s 10.1.0.1 -d 10.1.0.2 -p tcp --sport 103 --dport 443 --state ESTABLISHED --reply-zone 5 -t 86400
-I -s fd00::1 -d fd00::2 -p udp --sport 100 --dport 53 -w 3 -t 86400
-I -s 10.2.0.1 -d 10.2.0.2 -p tcp --sport 100 --dport 443 --state ESTABLISHED --label-add alpha -t 86400
-I -s 10.2.0.1 -d 10.2.0.2 -p tcp --sport 101 --dport 443 --state ESTABLISHED --label-add alpha,gamma,omega -t 86400
-I -s fd00::3 -d fd00::4 -p udp --sport 101 --dport 53 --label-add delta -m 9 -t 86400
EOF

# Timeouts count down and ids differ between the twins: both are
# normalised in every format; the lines are sorted (the twins' hash
# orders differ).
norm() {
	sed -E -e 's/^((ipv[46] +[0-9]+ +)?[a-z0-9-]+ +[0-9]+ )[0-9]+ /\1T /' \
		-e 's/^[0-9]+ proto=/T proto=/' \
		-e 's#<(timeout|id)>[0-9]+<#<\1>N<#g' -e 's/ -t [0-9]+ / -t T /' \
		-e 's/ id=[0-9]+$/ id=N/' -e 's/delta-time=[0-9]+/delta-time=T/' | sort
}
norm_err() { sed -E 's/^[a-z]+ v[^:]*: /PROG: /'; }

# run NS PROG ARGS...: sets r_out, r_err, r_rc.
run() {
	local ns=$1; shift
	r_out=$(ns_exec "$ns" timeout "${CT_TIMEOUT:-30}" "$@" 2>"$T/err"); r_rc=$?
	r_err=$(<"$T/err")
}
listing() { ns_exec "$1" "$REF" -L -o extended,labels 2>/dev/null | norm; }
plain() { ns_exec "$1" "$REF" -L 2>/dev/null | norm; }
# conntrack 1.4.7 -R crashes on a --label-add line: those go one by one.
grep -v -e --label-add "$T/table" >"$T/table.r"
grep -e --label-add "$T/table" | sed 's/^-I //' >"$T/table.l"
load_table() {
	local line
	ns_exec "$1" "$REF" -F 2>/dev/null
	ns_exec "$1" "$REF" -R "$T/table.r" 2>/dev/null
	while read -r line; do
		# shellcheck disable=SC2086 # one word an argument
		ns_exec "$1" "$REF" -I $line 2>/dev/null
	done <"$T/table.l"
}
reset_both() { load_table "$NS"; load_table "$NS_CT"; }
reset_both
check_eq "the twins' tables: every entry, labels too" \
	"$(listing "$NS" | wc -l) $(listing "$NS" | grep -c labels=) $(listing "$NS_CT" | wc -l)" \
	"$(grep -c . "$T/table") 3 $(grep -c . "$T/table")"

# report NAME WANT GOT: one PASS/FAIL line, the difference on failure.
report() {
	if [ "$2" = "$3" ]; then pass "$1"; return; fi
	fail "$1"
	diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | head -16 | sed 's/^/  /'
}

# outcome NS PRINTED: what the last run did: its exit code, the entries
# it printed (when PRINTED is 1), its summary (on success only: ctadm
# words its errors itself) and the table it left in NS.
outcome() {
	echo "rc=$r_rc"
	[ "$2" = 1 ] && norm <<<"$r_out"
	[ "$r_rc" = 0 ] && norm_err <<<"$r_err"
	listing "$1"
}
# twin ARGS...: $CTADM ARGS in $NS, $REF ARGS in $NS_CT: the same outcome.
twin() {
	local got
	run "$NS" "$CTADM" "$@"; got=$(outcome "$NS" 1)
	run "$NS_CT" "$REF" "$@"
	report "twin $*" "$(outcome "$NS_CT" 1)" "$got"
}
twin_on_table() { reset_both; twin "$@"; }

# ---------------------------------------------------------------------
# 1. -D never deletes a wrong entry: a matrix of filters.
twin_on_table -D -s 10.0.0.1
twin_on_table -D -d 10.0.0.2
twin_on_table -D -r 10.0.0.2
twin_on_table -D -q 10.0.0.1
twin_on_table -D -r 10.0.0.9
twin_on_table -D -q 10.0.0.4 -p udp
twin_on_table -D -s 2001:db8::1
twin_on_table -D -d 2001:db8::2 -s 2001:db9::1
twin_on_table -D -s 10.0.0.0/24
twin_on_table -D -s 10.0.0.0/8
twin_on_table -D -s 10.0.0.0/8 -d 10.0.0.0/16
twin_on_table -D -s 2001:db8::/32
twin_on_table -D -d 2001:db8::/64
twin_on_table -D -s 10.0.0.0 --mask-src 255.255.255.0
twin_on_table -D -d 10.1.0.0 --mask-dst 255.255.0.0
twin_on_table -D -s 2001:db8:: --mask-src ffff:ffff::
for p in tcp udp udplite icmp icmpv6 sctp gre 99 250 6 17; do twin_on_table -D -p "$p"; done
twin_on_table -D -p tcp --sport 1001
twin_on_table -D -p tcp --dport 443
twin_on_table -D -p udp --dport 53 -s 10.0.0.1
twin_on_table -D -p tcp --reply-port-src 8080
twin_on_table -D -p tcp --reply-port-dst 40002
twin_on_table -D -p udp --reply-port-src 3
twin_on_table -D -p sctp --dport 36412 --sport 3001
twin_on_table -D -p tcp --state ESTABLISHED
twin_on_table -D -p tcp --state SYN_SENT
twin_on_table -D -p sctp --state COOKIE_WAIT
twin_on_table -D -p icmp --icmp-type 8
twin_on_table -D -u ASSURED
twin_on_table -D -u SEEN_REPLY
twin_on_table -D -u SEEN_REPLY,ASSURED
twin_on_table -D -m 5
twin_on_table -D -m 0x10
twin_on_table -D -m 4/5
twin_on_table -D -m 0x1/0x1
twin_on_table -D -m 4294967295
twin_on_table -D -w 3
twin_on_table -D -w 65535
twin_on_table -D -w 0
twin_on_table -D --orig-zone 4
twin_on_table -D --reply-zone 5
twin_on_table -D -n
twin_on_table -D -g
twin_on_table -D -n 198.51.100.1
twin_on_table -D -n 198.51.100.1:61000
twin_on_table -D -g 192.168.1.21
twin_on_table -D -f ipv4
twin_on_table -D -f ipv6
twin_on_table -D -f ipv6 -p udp
twin_on_table -D -l alpha
twin_on_table -D -l alpha,omega
twin_on_table -D -l delta
twin_on_table -D -l alpha -o save
twin_on_table -D -p tcp -s 10.0.0.1 --dport 443 --state ESTABLISHED -m 5
twin_on_table -D -s 9.9.9.9
twin_on_table -D -p tcp --sport 9
twin_on_table -D
# 3. what -D prints, in every format conntrack has for it.
twin_on_table -D -p tcp -o extended
twin_on_table -D -p tcp -o xml
twin_on_table -D -s 10.0.0.1 -o save
twin_on_table -D -s 2001:db8::1 -o save
twin_on_table -D -p udp -o extended,id
twin_on_table -D -p udp -o id
twin_on_table -D -s 9.9.9.9 -o xml

# --quiet prints no entry (and may let the kernel flush what an exact
# kernel-side filter selects): the same summary, exit code and table.
quiet_on_table() {
	local got
	reset_both
	run "$NS" "$CTADM" -D --quiet "$@"; got="$r_out"$'\n'$(outcome "$NS" 0)
	run "$NS_CT" "$REF" -D "$@"
	report "twin -D --quiet $*" $'\n'"$(outcome "$NS_CT" 0)" "$got"
}
quiet_on_table
quiet_on_table -p tcp
quiet_on_table -f ipv4 -p tcp --dport 443
quiet_on_table -s 10.0.0.1 -d 10.0.0.2 -p tcp --sport 1001 --dport 443
quiet_on_table -f ipv6 -p udp
quiet_on_table -m 5
quiet_on_table -m 4/5
quiet_on_table -u ASSURED
quiet_on_table -w 3
quiet_on_table -w 0
quiet_on_table -s 10.0.0.0/24
quiet_on_table -p tcp --state ESTABLISHED
quiet_on_table -s 9.9.9.9

# check_delete NAME WANT ARGS...: on the loaded table, $CTADM -D ARGS must
# print exactly the (normalised) lines WANT, say so in its summary, and
# leave every other line.
check_delete() {
	local name=$1 want=$2 before n; shift 2
	before=$(plain "$NS")
	n=$(grep -c . <<<"$want")
	run "$NS" "$CTADM" -D "$@"
	report "$name: printed" "$want" "$(norm <<<"$r_out")"
	report "$name: summary and exit" \
		"ctadm v0.1.0: $n flow entries have been deleted. rc=$([ "$n" -gt 0 ] && echo 0 || echo 1)" \
		"$r_err rc=$r_rc"
	report "$name: the rest is left" "$(comm -23 <(echo "$before") <(echo "$want"))" "$(plain "$NS")"
}
# expect_delete NAME AWK ARGS...: what -D must delete is what AWK
# selects from the plain listing.
expect_delete() {
	local name=$1 prog=$2; shift 2
	load_table "$NS"
	check_delete "$name" "$(plain "$NS" | awk "$prog")" "$@"
}
# like_list ARGS...: what -D must delete is what $REF -L ARGS lists.
like_list() {
	load_table "$NS"
	check_delete "-D $* as -L" "$(ns_exec "$NS" "$REF" -L "$@" 2>/dev/null | norm)" "$@"
}
# conntrack 1.4.7 ignores the '!' of -u, never matches IPv6 NAT
# addresses, refuses -j with -D and crashes on --id.
expect_delete "-D -u SEEN_REPLY,!ASSURED" '!/\[UNREPLIED\]/ && !/\[ASSURED\]/' -u 'SEEN_REPLY,!ASSURED'
expect_delete "-D -u !SEEN_REPLY" '/\[UNREPLIED\]/' -u '!SEEN_REPLY'
# shellcheck disable=SC2016 # awk program
nat_awk='{ n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^(src|dst)=/) a[++n] = substr($i, 5) }'
expect_delete "-D --src-nat IPv6" "$nat_awk"' a[1] != a[4] && a[4] == "2001:db8:1::1"' --src-nat 2001:db8:1::1
expect_delete "-D --dst-nat IPv6" "$nat_awk"' a[2] != a[3] && a[3] == "fd00::20"' --dst-nat fd00::20
expect_delete "-D --any-nat IPv6" "$nat_awk"' (a[1] != a[4] && a[4] == "fd00::20") || (a[2] != a[3] && a[3] == "fd00::20")' -j fd00::20
like_list -j
like_list -j 198.51.100.2
like_list -j 192.168.1.22
like_list -j 198.51.100.1 -p udp
load_table "$NS"
id=$(ns_exec "$NS" "$REF" -L -p udplite -o id 2>/dev/null | grep -o 'id=[0-9]*')
check_delete "-D --id" "$(plain "$NS" | grep udplite)" --id "${id#id=}"
check_delete "-D --id of a gone entry" "" --id "${id#id=}"

# ---------------------------------------------------------------------
# 1b. One case on the real-traffic corpus: what conntrack -L selects is
# what -D deletes and prints; the rest stays.
ip netns add "$NS_C" || { fail "create the corpus namespace"; exit 1; }
if corpus_load "$NS_C"; then corpus_ok=1; else corpus_ok=0; fi
if [ "$corpus_ok" = 1 ]; then
	before=$(ns_exec "$NS_C" "$REF" -L 2>/dev/null | norm)
	want=$(ns_exec "$NS_C" "$REF" -L -s ::1 2>/dev/null | norm)
	run "$NS_C" "$CTADM" -D -s ::1
	report "corpus: -D -s ::1 prints what -L selects" "$want" "$(norm <<<"$r_out")"
	report "corpus: -D -s ::1 summary" \
		"ctadm v0.1.0: $(grep -c . <<<"$want") flow entries have been deleted. rc=0" "$r_err rc=$r_rc"
	report "corpus: -D -s ::1 leaves the rest" \
		"$(comm -23 <(echo "$before") <(echo "$want"))" \
		"$(ns_exec "$NS_C" "$REF" -L 2>/dev/null | norm)"
else
	fail "corpus_load"
fi

# ---------------------------------------------------------------------
# 2. -D while other entries come and go.  Both twins get a big table;
# meanwhile a churn loop creates and deletes entries outside the filter
# and real traffic (udp to new ports, pings) makes more.  Every matching
# entry must be gone, every other one still there.
awk -v n=20000 'BEGIN { for (i = 0; i < n; i++)
	printf "-I -s 10.50.%d.%d -d 10.60.0.1 -p tcp --sport 1000 --dport %d --state ESTABLISHED -t 86400\n",
		int(i / 250), i % 250, 80 + i % 2 }' >"$T/big"
# churn NS: udp entries 10.99.0.1 -> 10.99.0.2, made and deleted.
churn() {
	local i=0
	while :; do
		i=$((i % 60000 + 1))
		printf -- '-I -s 10.99.0.1 -d 10.99.0.2 -p udp --sport %d --dport 9 -t 60\n-D -s 10.99.0.1 -p udp --sport %d\n' \
			$i $((i - 1)) >"$T/churn.$1"
		ns_exec "$1" "$REF" -R "$T/churn.$1" >/dev/null 2>&1
	done
}
# churn_check NS PROG [--quiet]
churn_check() {
	local ns=$1 prog=$2 quiet=${3-} left
	ns_exec "$ns" "$REF" -F 2>/dev/null
	ns_exec "$ns" "$REF" -R "$T/big" 2>/dev/null
	churn "$ns" & CHURN_PID=$!
	# shellcheck disable=SC2016 # for the inner bash
	ip netns exec "$ns" bash -c 'for ((p = 20000; p < 60000; p++)); do
		echo x 2>/dev/null >/dev/udp/127.0.0.1/$p; done' & TRAFFIC_PID=$!
	ip netns exec "$ns" ping -c 20 -i 0.01 -q 127.0.0.1 >/dev/null 2>&1 &
	local ping=$!
	sleep 0.2
	run "$ns" "$prog" -D $quiet -p tcp --dport 80
	# --quiet prints nothing: count as if it had.
	[ -n "$quiet" ] && [ -z "$r_out" ] && r_out=$(printf 'dport=80 \n%.0s' $(seq 10000))
	kill "$CHURN_PID" "$TRAFFIC_PID"
	wait "$CHURN_PID" "$TRAFFIC_PID" 2>/dev/null; CHURN_PID='' TRAFFIC_PID=''
	wait "$ping"
	left=$(ns_exec "$ns" "$REF" -L 2>/dev/null | grep -v -e 'src=10.99.0.1 ' -e 'src=127.0.0.1 ')
	report "churn $prog $quiet: printed and summary" "10000 10000 deleted rc=0" \
		"$(grep -c 'dport=80 ' <<<"$r_out") $(grep -o '[0-9]* flow entries have been deleted' <<<"$r_err" | cut -d' ' -f1) deleted rc=$r_rc"
	report "churn $prog $quiet: no matching entry is left" 0 "$(grep -c 'tcp .*dport=80 ' <<<"$left")"
	report "churn $prog $quiet: every other entry is left" 10000 "$(grep -c 'src=10.50.* dport=81 ' <<<"$left")"
}
churn_check "$NS" "$CTADM"
churn_check "$NS_CT" "$REF"
churn_check "$NS" "$CTADM" --quiet

# ---------------------------------------------------------------------
# 4. -U.  conntrack 1.4.7 asks the kernel with the filter's family (an
# update without an IPv4 or IPv6 filter fails), loses the zone of the
# entries it updates (those fail with ENOENT), refuses -w, and prints
# only some of the entries it updated.  The twins are compared on exit
# code, summary and tables where 1.4.7 works, and $CTADM's printed
# entries must be exactly the entries whose line the update changed.
strip_labels() { sed 's/ labels=[^ ]*//'; }
# twin_update ARGS...: on the table; labels count when ARGS name them.
twin_update() {
	local before after printed got lbl=cat
	reset_both
	case "$*" in *label*) ;; *) lbl=strip_labels ;; esac
	before=$(listing "$NS" | $lbl)
	run "$NS" "$CTADM" -U "$@"
	printed=$(norm <<<"$r_out" | $lbl | sed 's/ use=[0-9]*//')
	got=$(outcome "$NS" 0)
	run "$NS_CT" "$REF" -U "$@"
	report "twin -U $*" "$(outcome "$NS_CT" 0)" "$got"
	after=$(listing "$NS" | $lbl)
	report "-U $*: prints the entries it changed" \
		"$(comm -13 <(echo "$before") <(echo "$after") | sed -E 's/^ipv[46] +[0-9]+ +//; s/ use=[0-9]*//' | sort)" \
		"$printed"
}
twin_update -s 10.0.0.1 -m 3/1
twin_update -s 10.0.0.1 -m 7
twin_update -d 10.0.0.2 -p tcp -m 0x100/0x100
twin_update -f ipv4 -p udp -m 0/0xffffffff
twin_update -s 10.0.0.1 -p tcp -u ASSURED
twin_update -d 10.0.0.2 -p tcp -u SEEN_REPLY,ASSURED -m 1
twin_update -s 10.0.0.1 -p tcp --state TIME_WAIT
twin_update -s 10.2.0.1 --label-add beta
twin_update -s 10.2.0.1 --label-add beta,delta
twin_update -s 10.2.0.1 --label-del alpha
twin_update -s 10.2.0.1 --label-del
twin_update -s 10.2.0.1 -l gamma --label-add beta
twin_update -s 9.9.9.9 -m 1
twin_update -s 10.0.0.1 -m 5/0
# Label names from --labelmap, outside the /etc overlay.
reset_both
r_out=$(ip netns exec "$NS" "$CTADM" --labelmap "$TESTS_DIR/netns/connlabel.conf" \
	-U -s 10.2.0.1 --label-add beta 2>/dev/null); r_rc=$?
report "-U --labelmap FILE --label-add" "0 2 2" \
	"$r_rc $(grep -c 'labels=.*beta' <<<"$r_out") $(listing "$NS" | grep -c 'labels=alpha,beta')"
# An SCTP state change needs the entry's verification tags along (the
# kernel refuses the state alone; conntrack 1.4.7 fails, and says it
# updated the entry).
reset_both
run "$NS" "$CTADM" -U -s 10.0.0.1 -p sctp --state SHUTDOWN_SENT
report "-U -p sctp --state" "0 1" \
	"$r_rc $(plain "$NS" | grep -c 'sctp .* SHUTDOWN_SENT src=10.0.0.1 ')"
# Entries in zones are found and updated in their zone.
reset_both
run "$NS" "$CTADM" -U -s 10.1.0.1 -m 9
report "-U in zones: all five entries" "0 5 5" \
	"$r_rc $(grep -c 'mark=9 ' <<<"$r_out") $(plain "$NS" | grep -c 'src=10.1.0.1 .*mark=9 ')"
run "$NS" "$CTADM" -U -w 3 -m 2
report "-U -w 3: the entries of zone 3 only" "0 2 2 2" \
	"$r_rc $(grep -c 'mark=2 zone=3 ' <<<"$r_out") $(plain "$NS" | grep -c 'mark=2 zone=3 ') $(plain "$NS" | grep -c 'mark=2 ')"
# A timeout is set, not compared (it counts down): every updated entry
# has at most the new one.
reset_both
run "$NS" "$CTADM" -U -s 10.0.0.1 -p tcp -t 500
report "-U -t 500: every updated entry" "0 3" \
	"$r_rc $(ns_exec "$NS" "$REF" -L -s 10.0.0.1 -p tcp 2>/dev/null | awk '$3 <= 500' | wc -l)"
# Entries of both families at once (1.4.8 semantics): as conntrack run
# once for each family.
count_of() { grep -o '[0-9]* flow entries' <<<"$1" | cut -d' ' -f1; }
reset_both
run "$NS" "$CTADM" -U -p sctp -m 0x40/0x40
got="$r_rc $(norm_err <<<"$r_err")"
run "$NS_CT" "$REF" -U -f ipv4 -p sctp -m 0x40/0x40; n4=$(count_of "$r_err")
run "$NS_CT" "$REF" -U -f ipv6 -p sctp -m 0x40/0x40; n6=$(count_of "$r_err")
report "-U both families: summary" "0 PROG: $((n4 + n6)) flow entries have been updated." "$got"
report "-U both families: the table of -f ipv4 then -f ipv6" "$(listing "$NS_CT")" "$(listing "$NS")"

# ---------------------------------------------------------------------
# 5. -I and -A of every kind, each into empty twins.
twin_create() {
	ns_exec "$NS" "$REF" -F 2>/dev/null
	ns_exec "$NS_CT" "$REF" -F 2>/dev/null
	twin "$@"
}
while read -r line; do
	# shellcheck disable=SC2086 # one word an argument
	twin_create $line
done <<'LINES'
-I -s 1.1.1.1 -d 2.2.2.2 -p tcp --sport 1 --dport 2 --state ESTABLISHED -t 100
-I -s 1.1.1.1 -d 2.2.2.2 -p tcp --sport 1 --dport 2 --state SYN_SENT -u ASSURED -m 7 -t 100
-I -s 1.1.1.1 -d 2.2.2.2 -p tcp --sport 1 --dport 2 --state TIME_WAIT -u SEEN_REPLY,ASSURED -t 100
-I -s 2001:db8::1 -d 2001:db8::2 -p tcp --sport 1 --dport 2 --state CLOSE_WAIT -t 100
-I -s 1.1.1.1 -d 2.2.2.2 -p udp --sport 1 --dport 2 -t 100
-I -s 1.1.1.1 -d 2.2.2.2 -p udp --sport 1 --dport 2 -r 2.2.2.3 -q 1.1.1.1 --reply-port-src 5 --reply-port-dst 1 -t 100
-I -s 2001:db8::1 -d 2001:db8::2 -p udp --sport 1 --dport 2 -m 4294967295 -t 100
-I -s 1.1.1.1 -d 2.2.2.2 -p udplite --sport 1 --dport 2 -t 100
-I -s 2001:db8::1 -d 2001:db8::2 -p udplite --sport 1 --dport 2 -t 100
-I -s 1.1.1.1 -d 2.2.2.2 -p icmp --icmp-type 8 --icmp-code 0 --icmp-id 9 -t 100
-I -s 1.1.1.1 -d 2.2.2.2 -p icmp --icmp-type 13 --icmp-code 0 --icmp-id 10 -t 100
-I -s 2001:db8::1 -d 2001:db8::2 -p icmpv6 --icmpv6-type 128 --icmpv6-code 0 --icmpv6-id 9 -t 100
-I -s 1.1.1.1 -d 2.2.2.2 -p sctp --sport 1 --dport 2 --state ESTABLISHED --orig-vtag 7 --reply-vtag 8 -t 100
-I -s 2001:db8::1 -d 2001:db8::2 -p sctp --sport 1 --dport 2 --state COOKIE_ECHOED --orig-vtag 0xdeadbeef --reply-vtag 1 -t 100
-I -s 1.1.1.1 -d 2.2.2.2 -p gre --srckey 5 --dstkey 6 -t 100
-I -s 2001:db8::1 -d 2001:db8::2 -p gre --srckey 0x1234 --dstkey 0xffff -t 100
-I -s 1.1.1.1 -d 2.2.2.2 -p 99 -t 100
-I -s 2001:db8::1 -d 2001:db8::2 -p 250 -m 3 -t 100
-I -s 192.168.1.10 -d 203.0.113.5 -p tcp --sport 40000 --dport 443 --state ESTABLISHED --src-nat 198.51.100.1 -t 100
-I -s 192.168.1.10 -d 203.0.113.5 -p tcp --sport 40000 --dport 443 --state ESTABLISHED --src-nat 198.51.100.1:61000 -t 100
-I -s 203.0.113.9 -d 198.51.100.1 -p udp --sport 5060 --dport 5060 --dst-nat 192.168.1.20 -t 100
-I -s 203.0.113.9 -d 198.51.100.1 -p tcp --sport 40002 --dport 80 --state SYN_RECV --dst-nat 192.168.1.21:8080 -t 100
-I -s 192.168.1.12 -d 203.0.113.6 -p tcp --sport 40003 --dport 22 --state ESTABLISHED --src-nat 198.51.100.2 --dst-nat 192.168.1.22 -t 100
-I -s fd00::10 -d 2001:db8:f::5 -p tcp --sport 40004 --dport 443 --state ESTABLISHED --src-nat 2001:db8:1::1 -t 100
-I -s 1.1.1.1 -d 2.2.2.2 -p tcp --sport 1 --dport 2 --state ESTABLISHED -w 3 -t 100
-I -s 1.1.1.1 -d 2.2.2.2 -p tcp --sport 1 --dport 2 --state ESTABLISHED --orig-zone 4 -t 100
-I -s 1.1.1.1 -d 2.2.2.2 -p tcp --sport 1 --dport 2 --state ESTABLISHED --reply-zone 5 -t 100
-I -s 1.1.1.1 -d 2.2.2.2 -p tcp --sport 1 --dport 2 --state ESTABLISHED --orig-zone 4 --reply-zone 5 -t 100
-I -s 1.1.1.1 -d 2.2.2.2 -p udp --sport 1 --dport 2 --label-add alpha,omega -t 100
-I -s 2001:db8::1 -d 2001:db8::2 -p udp --sport 1 --dport 2 --label-add delta -u ASSURED -m 1 -t 100
-A -s 1.1.1.1 -d 2.2.2.2 -p udp --sport 1 --dport 2 -t 100
-I -s 1.1.1.1 -d 2.2.2.2 -p udp --sport 1 --dport 2 -m 5/2 -t 100
-A -s 1.1.1.1 -d 2.2.2.2 -p tcp --sport 1 --dport 2 --state ESTABLISHED -u ASSURED -m 2 -t 100
LINES
# The whole table from one ctadm -R, label lines too.
ns_exec "$NS" "$REF" -F 2>/dev/null
load_table "$NS_CT"
run "$NS" "$CTADM" -R "$T/table"
report "-R of the table: the table" "0 $(listing "$NS_CT")" "$r_rc $r_err$(listing "$NS")"
# conntrack 1.4.7 takes -u after -m as the mark (ASSURED gives mark=4).
run "$NS" "$CTADM" -I -s 1.1.1.9 -d 2.2.2.2 -p udp --sport 1 --dport 2 -m 2 -u ASSURED -t 100
report "-I -m 2 -u ASSURED: mark 2" "0 1" \
	"$r_rc $(plain "$NS" | grep -c 'src=1.1.1.9 .*\[ASSURED\] mark=2 ')"
ns_exec "$NS" "$REF" -D -s 1.1.1.9 >/dev/null 2>&1
# A second -I of the same entry fails (exit 1, conntrack's words); a
# second -A updates it (conntrack 1.4.8; 1.4.7 leaves the entry as it is
# and says "0 flow entries have been added").
dup=(-s 1.1.1.1 -d 2.2.2.2 -p udp --sport 1 --dport 2)
twin -I "${dup[@]}" -t 100 -m 1
run "$NS" "$CTADM" -I "${dup[@]}" -t 100 -m 1
report "duplicate -I: exit 1 and the reason" \
	"1 ctadm: -I: Such conntrack exists, try -U to update" "$r_rc $r_err"
run "$NS" "$CTADM" -A "${dup[@]}" -t 300 -m 4
report "-A on an existing entry updates it" \
	"0 ctadm v0.1.0: 1 flow entries have been added. 1" \
	"$r_rc $r_err $(ns_exec "$NS" "$REF" -L -s 1.1.1.1 -m 4 2>/dev/null | awk '$3 > 100' | wc -l)"

# ---------------------------------------------------------------------
# 6. -F: the whole table, like conntrack; with -f only that family
# (conntrack 1.4.7 flushes everything: ctadm differs on purpose).
reset_both
twin -F
for fam in ipv4 ipv6; do
	load_table "$NS"
	want=$(listing "$NS" | grep -v "^$fam ")
	run "$NS" "$CTADM" -F -f $fam
	report "-F -f $fam: only $fam is flushed" \
		"0 ctadm v0.1.0: connection tracking table has been emptied."$'\n'"$want" \
		"$r_rc $r_err"$'\n'"$(listing "$NS")"
done

# Expectations, on the corpus: its ftp control connection is a master
# with a helper; its nft expectation (to port 6000) is always there; the
# ftp helper's own expectation only most of the time.
explist() { ns_exec "$NS_C" "$REF" -L expect 2>/dev/null | norm; }
master=$(ns_exec "$NS_C" "$REF" -L -f ipv4 -p tcp --dport 21 2>/dev/null | grep helper=ftp)
msport=$(grep -o 'sport=[0-9]*' <<<"$master" | head -1); msport=${msport#sport=}
if [ "$corpus_ok" = 1 ] && [ -n "$msport" ]; then
	lo=(-s 127.0.0.1 -d 127.0.0.1)
	want_exp="T proto=6 src=127.0.0.1 dst=127.0.0.1 sport=0 dport=5555 mask-src=255.255.255.255 mask-dst=255.255.255.255 sport=0 dport=65535 master-src=127.0.0.1 master-dst=127.0.0.1 sport=$msport dport=21 class=0 helper=ftp"
	# First the helper's own (a master has room for one expectation).
	ftp=$(explist | grep 'master-src=127.0.0.1 .*dport=21 .*helper=ftp' | grep -o 'dport=[0-9]*' | head -1)
	if [ -n "$ftp" ]; then
		run "$NS_C" "$CTADM" -D expect "${lo[@]}" -p tcp --sport 0 --"$ftp"
		report "-D expect of the ftp helper's" "0 " "$r_rc $(explist | grep " $ftp ")"
	else
		skip "-D expect of the ftp helper's" "the corpus made none this time"
	fi
	# conntrack 1.4.7 makes this one with proto=21 and no ports.  The
	# kernel gives it the helper's timeout, whatever -t says.
	newexp=(-I expect "${lo[@]}" -p tcp --sport "$msport" --dport 21
		--tuple-src 127.0.0.1 --tuple-dst 127.0.0.1 --tuple-port-src 0 --tuple-port-dst 5555
		--mask-src 255.255.255.255 --mask-dst 255.255.255.255 -t 200)
	portmask=(--mask-port-src 0 --mask-port-dst 65535)
	run "$NS_C" "$CTADM" "${newexp[@]}" "${portmask[@]}"
	report "-I expect: exit 0, silent" "0 " "$r_rc $r_err"
	report "-I expect: the expectation" "$want_exp" "$(explist | grep 'dport=5555 ')"
	run "$NS_C" "$CTADM" "${newexp[@]}" "${portmask[@]}"
	report "-I expect again: exit 1" 1 "$r_rc"
	# Without --mask-port-*: exact ports (conntrack requires them).
	run "$NS_C" "$CTADM" -D expect "${lo[@]}" -p tcp --sport 0 --dport 5555
	report "-D expect: exit 0, the summary" "0 ctadm v0.1.0: 1 expectations have been deleted." "$r_rc $r_err"
	report "-D expect: gone" "" "$(explist | grep 'dport=5555 ')"
	run "$NS_C" "$CTADM" -D expect "${lo[@]}" -p tcp --sport 0 --dport 5555
	report "-D expect of a gone one: exit 1" 1 "$r_rc"
	run "$NS_C" "$CTADM" "${newexp[@]}"
	report "-I expect with exact port masks" "0 ${want_exp/sport=0 dport=65535/sport=65535 dport=65535}" \
		"$r_rc $(explist | grep 'dport=5555 ')"
	run "$NS_C" "$CTADM" -D expect "${lo[@]}" -p tcp --sport 0 --dport 6000
	report "-D expect of the nft one" "0 " "$r_rc $(explist | grep ' dport=6000 ')"
	run "$NS_C" "$CTADM" -F expect
	report "-F expect" "0 ctadm v0.1.0: expectation table has been emptied. 0 0" \
		"$r_rc $r_err $(explist | grep -c proto=) $(ns_exec "$NS_C" "$REF" -L expect -f ipv6 2>/dev/null | grep -c proto=)"
else
	skip "expectations" "the corpus has no ftp master"
fi

# ---------------------------------------------------------------------
# 7. Usage errors of the write path: exit 2, a message, the table as it
# was.
reset_both
before=$(listing "$NS")
while read -r line; do
	# shellcheck disable=SC2086 # one word an argument
	run "$NS" "$CTADM" $line
	report "usage: $line" "2 ctadm: 1" \
		"$r_rc $(head -c 6 <<<"$r_err") $([ "$(listing "$NS")" = "$before" ] && echo 1)"
done <<'LINES'
-I -s 1.1.1.1 -d 2.2.2.2 -p udp --sport 1 --dport 2
-I -s 1.1.1.1 -d 2.2.2.2 -t 10
-I -p udp --sport 1 --dport 2 -t 10
-I -s 1.1.1.1 -d 2.2.2.2 -p tcp --sport 1 --dport 2 -t 10
-I -s 1.1.1.1 -d 2.2.2.2 -p sctp --sport 1 --dport 2 -t 10
-I -s 1.1.1.1 -d 2.2.2.2 -p sctp --sport 1 --dport 2 --state ESTABLISHED -t 10
-I -s 1.1.1.1 -d 2.2.2.2 -p icmp -t 10
-I -s 1.1.1.1 -d 2.2.2.2 -p icmp --icmp-type 8 --icmp-code 0 -t 10
-I -s 2001:db8::1 -d 2001:db8::2 -p icmpv6 --icmpv6-type 128 -t 10
-I -s 1.1.1.0/24 -d 2.2.2.2 -p udp --sport 1 --dport 2 -t 10
-I -s 1.1.1.1 -d 2.2.2.2 --mask-dst 255.0.0.0 -p udp --sport 1 --dport 2 -t 10
-I -s 1.1.1.1 -d 2001:db8::1 -p udp --sport 1 --dport 2 -t 10
-I -s 1.1.1.1 -d 2.2.2.2 -p udp --sport 1 --dport 2 -t 10 -u !ASSURED
-I -s 1.1.1.1 -d 2.2.2.2 -p udp --sport 1 --dport 2 -t 10 -n
-A -s 1.1.1.1 -d 2.2.2.2 -p udp --sport 1 --dport 2 -t 10 -u UNREPLIED
-U -s 10.0.0.1 -u !ASSURED
-U -s 10.2.0.1 --label-add beta --label-del alpha
-U -s 10.0.0.1 -m abc
-U -s 10.0.0.1 -t -1
-D -s 10.0.0.1 -t 5
-D -s 10.0.0.1 --label-add alpha
-D -s 10.0.0.1 --state ESTABLISHED
-D -w 70000
-D -p tcp --sport 65536
-I -s 1.1.1.1 -d 2.2.2.2 -p udp --sport 1 --dport 2 -t 10 -o xml
-I -s 1.1.1.1 -d 2.2.2.2 -p udp --sport 1 --dport 2 -t 10 -l alpha
-I -s 1.1.1.1 -d 2.2.2.2 -p udp --sport 1 --dport 2 -t 10 -z
-I -s 1.1.1.1 -d 2.2.2.2 -p udp --sport 1 --dport 2 -t 4294967296
-I -s 1.1.1.1 -d 2.2.2.2 -p tcp --sport 1 --dport 2 --state BOGUS -t 10
-I -s 1.1.1.1 -d 2.2.2.2 -p sctp --sport 1 --dport 2 --state ESTABLISHED --orig-vtag 4294967296 --reply-vtag 1 -t 10
-I -s 1.1.1.1 -d 2.2.2.2 -p gre --srckey 0x12345678 --dstkey 1 -t 10
-I -s 1.1.1.1 -d 2.2.2.2 -p udp --sport 1 --dport 2 -t 10 --label-add nosuchlabel
-E -e BOGUS
-E -b abc
-R
-F -s 10.0.0.1
-F -p tcp
-F -u ASSURED
-D expect -s 127.0.0.1 -d 127.0.0.1
-D expect -s 127.0.0.1 -d 127.0.0.1 -p tcp
-I expect -s 127.0.0.1 -d 127.0.0.1 -p tcp --sport 1 --dport 21 -t 10
-A expect -s 1.1.1.1
-U expect -s 1.1.1.1 -m 1
LINES

t_done
