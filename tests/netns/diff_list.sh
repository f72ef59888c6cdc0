#!/usr/bin/env bash
# tests/netns/diff_list.sh - differential test: for each argument list below,
# $CTADM and the reference conntrack (1.4.7) run in the same namespace over the
# same frozen corpus (tests/netns/corpus.sh) and must agree on stdout, stderr
# and exit code.  Output differs only where time passes between the two runs
# (timeouts, delta-time), which is normalised away; the dump order is the
# kernel's hash order and stays the same while the table does not change.
# Where conntrack 1.4.7 is known to be wrong, $CTADM is checked directly.
set -u
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$TESTS_DIR/netns/corpus.sh"
REF=${REF:-conntrack}

if ! command -v "$CTADM" >/dev/null; then skip "diff_list" "no $CTADM"; exit 0; fi
netns_create
trap 'corpus_cleanup; ip netns del "$NS" 2>/dev/null' EXIT
if ! corpus_load "$NS"; then fail "corpus_load"; exit 1; fi

# Timeout column of text/extended lines and of expectation lines, the xml
# <timeout>/<deltatime>, the save format's -t, and delta-time=.
norm_out() {
	sed -E -e 's/^((ipv[46] +[0-9]+ +)?[a-z0-9-]+ +[0-9]+ )[0-9]+ /\1T /' \
		-e 's/^[0-9]+ proto=/T proto=/' \
		-e 's#<(timeout|deltatime)>[0-9]+<#<\1>T<#g' \
		-e 's/ -t [0-9]+ / -t T /' -e 's/delta-time=[0-9]+/delta-time=T/' \
		-e '/protoname="sctp"/s#<state>[A-Z_]+</state>#<state>S</state>#'
}
# conntrack's xml prints SCTP states from the TCP table (a bug ctadm does
# not copy), so the comparison above blanks them; check_sctp_xml checks
# ctadm's names directly.
norm_err() { sed -E 's/^[a-z]+ v[^:]*: /PROG: /'; }

# run PROG ARGS...: sets r_out, r_err, r_rc.
run() {
	local e; e=$(mktemp)
	# A hung program must not hang the suite: it fails with exit 124.
	r_out=$(ns_exec "$NS" timeout "${CT_TIMEOUT:-30}" "$@" 2>"$e"); r_rc=$?
	r_err=$(<"$e"); rm -f "$e"
}

# cmp_list ARGS...: one PASS/FAIL line comparing $CTADM with $REF.
cmp_list() {
	local name="$*" a_out a_err a_rc
	run "$CTADM" "$@"; a_out=$(norm_out <<<"$r_out"); a_err=$(norm_err <<<"$r_err"); a_rc=$r_rc
	run "$REF" "$@"
	local b_out b_err; b_out=$(norm_out <<<"$r_out"); b_err=$(norm_err <<<"$r_err")
	if [ "$a_out" = "$b_out" ] && [ "$a_err" = "$b_err" ] && [ "$a_rc" = "$r_rc" ]; then
		pass "diff $name"; return
	fi
	# Failures are compared by exit code: ctadm words its messages itself.
	if [ "$a_rc" != 0 ] && [ "$a_rc" = "$r_rc" ] && [ "$a_out" = "$b_out" ]; then
		pass "diff $name (exit $a_rc)"; return
	fi
	fail "diff $name" "exit $a_rc vs $r_rc"
	diff <(printf '%s\n' "$b_out" "$b_err") <(printf '%s\n' "$a_out" "$a_err") | head -10 | sed 's/^/  /'
}

# cmp_stats ARGS...: -S/-C values move; compare names and cpu lines only.
cmp_stats() {
	local shape='s/=[0-9]+/=N/g; s/^[0-9]+$/N/'
	run "$CTADM" "$@"; local a=$r_out a_rc=$r_rc
	run "$REF" "$@"
	check_eq "shape $*" "$(sed -E "$shape" <<<"$a") rc=$a_rc" "$(sed -E "$shape" <<<"$r_out") rc=$r_rc"
}

# cmp_usage ARGS...: usage errors; both must exit 2, messages may differ.
cmp_usage() {
	run "$CTADM" "$@"; local a_rc=$r_rc
	run "$REF" "$@"
	check_eq "usage $*" "$a_rc/$r_rc" "2/2"
}

# The reference is itself wrong for these: the expected result comes from
# its unfiltered listing, or is a plain usage error (exit 2).
ref_is_buggy() {
	case $("$CTADM" --version 2>&1) in conntrack\ v1.4.7*) return 0 ;; esac
	return 1
}

# expect_lines NAME AWK ARGS...: $CTADM ARGS must print exactly the lines of
# the plain $REF -L listing selected by AWK (a program over those lines).
expect_lines() {
	local name=$1 prog=$2; shift 2
	if ref_is_buggy; then skip "$name" "conntrack 1.4.7 is wrong here"; return; fi
	run "$REF" -L; local want; want=$(awk "$prog" <<<"$r_out" | norm_out | sort)
	run "$CTADM" "$@"; check_eq "$name" "$(norm_out <<<"$r_out" | sort)" "$want"
}

expect_usage() {
	if ref_is_buggy; then skip "usage $*" "conntrack 1.4.7 is wrong here"; return; fi
	run "$CTADM" "$@"; check_eq "usage $*" "$r_rc" 2
}

# shellcheck disable=SC2054 # commas belong to the -o values
formats=(extended xml save id ktimestamp labels extended,id xml,id extended,ktimestamp
	extended,labels extended,id,ktimestamp,labels xml,ktimestamp xml,labels
	id,ktimestamp)
cmp_list -L
cmp_list -L conntrack
cmp_list -L conn
cmp_list -L expect
cmp_list -L exp
cmp_list -L expect -o xml
cmp_list -L expect -o extended
cmp_list -L expect -f ipv6
cmp_list -L expect -f ipv4 -o xml
for f in "${formats[@]}"; do cmp_list -L -o "$f"; done
# conntrack exits 1 here; it is a usage error, so ctadm exits 2.
expect_usage -L -o save,id
check_sctp_xml() {
	if ref_is_buggy; then skip "sctp xml states" "conntrack 1.4.7 is wrong here"; return; fi
	run "$CTADM" -L -p sctp -o xml
	local states; states=$(grep -o '<state>[A-Z_]*</state>' <<<"$r_out" | sort -u | tr -d '\n')
	run "$REF" -L -p sctp
	local want; want=$(grep -o ' [A-Z_]* src=' <<<"$r_out" | sed -E 's# (.*) src=#<state>\1</state>#' | sort -u | tr -d '\n')
	check_eq "sctp xml states are SCTP names" "$states" "$want"
}
check_sctp_xml
for f in extended xml id; do cmp_list -L -o "$f" -p tcp --dport 443; done

# Address filters: hosts, CIDRs (--mask-*), both families.
cmp_list -L -s 10.0.0.1
cmp_list -L -d 10.0.0.2
cmp_list -L -r 198.51.100.1
cmp_list -L -q 10.0.0.1
cmp_list -L -s 2001:db8::1
cmp_list -L -d 2001:db8::2 -o extended
cmp_list -L -r fd00::20
cmp_list -L -q 2001:db8:f::9
cmp_list -L -s 10.0.0.0/24
cmp_list -L -s 10.0.0.0/8 -d 10.0.0.5/32
cmp_list -L -s 2001:db8::/32
cmp_list -L -d 2001:db8::/64 -o xml
cmp_list -L -s 10.0.0.0 --mask-src 255.255.255.0
cmp_list -L -d 10.1.0.0 --mask-dst 255.255.0.0
cmp_list -L -s 2001:db8:: --mask-src ffff:ffff::
cmp_list -L -s 127.0.0.1 -d 127.0.0.1
cmp_list -L -f ipv4
cmp_list -L -f ipv6
cmp_list -L -f ipv6 -o xml

# Protocols by name and number, their ports and fields.
for p in tcp udp udplite icmp icmpv6 sctp dccp gre 6 17 47 99 250 253; do cmp_list -L -p "$p"; done
cmp_list -L -p tcp --sport 2001
cmp_list -L -p tcp --dport 443
cmp_list -L -p tcp --reply-port-src 8080
cmp_list -L -p tcp --reply-port-dst 40002
cmp_list -L -p udp --dport 53
cmp_list -L -p udp --dport 53 -s 10.0.0.1
cmp_list -L -p sctp --dport 36412 -o extended
for st in ESTABLISHED SYN_SENT TIME_WAIT CLOSE; do cmp_list -L -p tcp --state "$st"; done
cmp_list -L -p sctp --state COOKIE_WAIT
cmp_list -L -p icmp --icmp-type 8
cmp_list -L -p icmp --icmp-type 13 --icmp-code 0
cmp_list -L -p icmp --icmp-id 77
cmp_list -L -p icmpv6 --icmpv6-type 128

# Marks, status, zones, NAT, labels.
cmp_list -L -m 5
cmp_list -L -m 0x10
cmp_list -L -m 4/5
cmp_list -L -m 0x1/0x1
cmp_list -L -u ASSURED
cmp_list -L -u SEEN_REPLY,ASSURED
cmp_list -L -u SEEN_REPLY
cmp_list -L -u UNSET
cmp_list -L -w 3
cmp_list -L -w 65535
cmp_list -L --orig-zone 4
cmp_list -L --reply-zone 5
cmp_list -L -n
cmp_list -L -g
cmp_list -L -j
cmp_list -L --src-nat
cmp_list -L -n 198.51.100.1
cmp_list -L -g 192.168.1.21
cmp_list -L -j 198.51.100.2
cmp_list -L -j 192.168.1.22
cmp_list -L -l alpha
cmp_list -L -l gamma -o labels
cmp_list -L -l alpha,omega -o extended,labels
cmp_list -L -l delta -o xml
cmp_list -L -c 0

cmp_list -G -p tcp -s 10.0.0.1 -d 10.0.0.2 --sport 2001 --dport 443
cmp_list -G -p tcp -s 10.0.0.1 -d 10.0.0.2 --sport 2001 --dport 443 -o xml
cmp_list -G -p udp -s fd00::3 -d fd00::4 --sport 101 --dport 53 -o extended,labels
cmp_list -G -p tcp -s 10.0.0.1 -d 10.0.0.2 --sport 9 --dport 9
cmp_stats -C
cmp_stats -C expect
cmp_stats -S

cmp_usage -L --bogus
cmp_usage -L -o nosuchformat
cmp_usage -L -p tcp --state NOSUCHSTATE
cmp_usage -L -s not-an-address
cmp_usage -L --sport 80
cmp_usage -L -u NOSUCHFLAG
cmp_usage -L -L
cmp_usage -G
cmp_usage -L -f ipv5

# Known conntrack 1.4.7 bugs: the '!' in -u is not honoured; the NAT filters
# with an address never match IPv6 entries; --id crashes (with or without a
# value); ports above 65535 are truncated instead of refused.
expect_lines "-u SEEN_REPLY,!ASSURED" '!/\[UNREPLIED\]/ && !/\[ASSURED\]/' -L -u 'SEEN_REPLY,!ASSURED'
# shellcheck disable=SC2016 # awk program
nat_awk='{ n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^(src|dst)=/) a[++n] = substr($i, 5) }'
expect_lines "--src-nat IPv6" "$nat_awk"' a[1] != a[4] && a[4] == "2001:db8:1::1"' -L --src-nat 2001:db8:1::1
expect_lines "--dst-nat IPv6" "$nat_awk"' a[2] != a[3] && a[3] == "fd00::20"' -L --dst-nat fd00::20
expect_lines "--any-nat IPv6" "$nat_awk"' (a[1] != a[4] && a[4] == "fd00::20") || (a[2] != a[3] && a[3] == "fd00::20")' -L -j fd00::20
expect_usage -L --id
expect_usage -L -p tcp --sport 70000
expect_usage -L -p tcp --dport 65536
if ref_is_buggy; then skip "--id ID" "conntrack 1.4.7 is wrong here"; else
	run "$REF" -L -o id -p tcp --sport 2001
	id=$(grep -o 'id=[0-9]*' <<<"$r_out" | tail -1); id=${id#id=}
	want=$(norm_out <<<"$r_out")
	run "$CTADM" -L -o id --id "$id"; check_eq "--id $id" "$(norm_out <<<"$r_out")" "$want"
fi

# -z zeroes the counters, so it runs last: refused with a filter, then
# $CTADM zeroes, and both must list the zeroed table alike.
cmp_list -L -z -s 10.0.0.1 -o extended
run "$CTADM" -L -z -o extended
check_eq "-L -z exit" "$r_rc" 0
cmp_list -L -o extended
run "$REF" -L -o extended
check_eq "-L -z zeroed" "$(grep -c 'packets=[1-9]' <<<"$r_out")" 0

# A tuple filter without a family, on more entries than -L holds in memory
# (4 MB of text) while a thread asks the kernel whether IPv6 entries match:
# the IPv4 matches alone (the filtered IPv4 dump, in the order of a dump of
# both families), and IPv4 with IPv6 matches (the whole table, filtered
# here, after the held text is dropped).
big=$(mktemp)
awk 'BEGIN { for (i = 0; i < 50000; i++) {
	printf "-I -p tcp -s 10.9.%d.%d -d 192.0.2.7 --sport %d --dport 8443 --state ESTABLISHED -t 86400\n", int(i / 256), i % 256, 1024 + i % 60000
	if (i % 50 == 0)
		printf "-I -p tcp -s 2001:db8:9::%x -d 2001:db8:9::1 --sport 7 --dport 8444 --state ESTABLISHED -t 86400\n", i
} }' >"$big"
check_rc "a table of 51000 more entries" 0 ns_exec "$NS" "$CTADM" -R "$big"
rm -f "$big"
cmp_list -L -p tcp --dport 8443
cmp_list -L -p tcp --dport 8443 -o xml
cmp_list -L -p tcp
cmp_list -L -p tcp -o xml
cmp_list -L -p tcp --sport 7
t_done
