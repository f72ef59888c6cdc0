#!/usr/bin/env bash
# report_sections.sh - ctadm report in a network namespace holding known
# entries (protocols, states, addresses, ports), an nftables ct rule with
# a counter and a NAT rule without an invalid drop: every section in text
# and JSON against what was made (the summary's counts and tops, the
# rule's counter, the sysctls, the statistics, the findings); with
# --invalid-seconds, hping3's invalid packets counted and every netfilter
# sysctl as before; --netns; no CAP_NET_ADMIN exits 1; bad input exits 2
# changing nothing.
. "$(dirname "$0")/../lib.sh"

command -v jq >/dev/null || { skip report "no jq"; exit 0; }

NF=/proc/sys/net/netfilter
LI=$NF/nf_conntrack_log_invalid
netns_create
tmp=$(mktemp -d)
trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$tmp"' EXIT
in_netns ip link set lo up
# The entries the traffic makes must outlive the test.
in_netns sysctl -qw net.netfilter.nf_conntrack_udp_timeout=600

in_netns nft -f - <<'EOF'
table inet t {
	chain out {
		type filter hook output priority 0;
		ct state new counter
	}
}
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "nosuchif" masquerade
	}
}
EOF
# Three new UDP flows through the output hook: the rule counts 3 packets
# (the ICMP errors lo answers with are related, not new).
for p in 7001 7002 7003; do
	in_netns bash -c "echo >/dev/udp/127.0.0.1/$p" 2>/dev/null
done

# Six tcp/443 to 10.2.0.1, four tcp/80 to 10.2.0.2, three udp/53 to
# 10.2.0.3, two tcp/22 over IPv6, one icmp and one sctp.
{
	for i in 1 2 3 4 5 6; do
		echo "-I -s 10.1.0.1 -d 10.2.0.1 -p tcp --sport 100$i --dport 443 --state ESTABLISHED -u SEEN_REPLY,ASSURED -t 600"
	done
	for i in 1 2 3 4; do
		echo "-I -s 10.1.0.2 -d 10.2.0.2 -p tcp --sport 200$i --dport 80 --state SYN_SENT -t 600"
	done
	for i in 1 2 3; do
		echo "-I -s 10.1.0.3 -d 10.2.0.3 -p udp --sport 300$i --dport 53 -t 600"
	done
	for i in 1 2; do
		echo "-I -s 2001:db8::1 -d 2001:db8::2 -p tcp --sport 400$i --dport 22 --state TIME_WAIT -t 600"
	done
	echo "-I -s 10.1.0.4 -d 10.2.0.4 -p icmp --icmp-type 8 --icmp-code 0 --icmp-id 1 -t 600"
	echo "-I -s 10.1.0.5 -d 10.2.0.5 -p sctp --sport 5 --dport 7 --state ESTABLISHED --orig-vtag 1 --reply-vtag 2 -t 600"
} >"$tmp/entries"
in_netns "$CTADM" -R "$tmp/entries" || fail "creating the entries"

# The namespace's own knobs: the count moves with the table, and max and
# buckets are global (other tests may change them meanwhile).
nf_sysctls() { in_netns sh -c 'grep -r . /proc/sys/net/netfilter/ 2>/dev/null | grep -v -e nf_conntrack_count -e nf_conntrack_max -e nf_conntrack_buckets | sort'; }
before=$(nf_sysctls)

# --- JSON --------------------------------------------------------------------
out=$(in_netns "$CTADM" report -o json); rc=$?
check_eq "json: exit 0" "$rc" 0
check_eq "json: one document, schema_version and one key per section" \
	"$(jq -c '[.schema_version, keys_unsorted]' <<<"$out")" \
	'[1,["schema_version","generated","kernel","netns","sysctls","table","stats","findings","lists","logging","nft","summary","invalid"]]'
check_eq "json: kernel and namespace" "$(jq -r '.kernel.release, .netns.initial' <<<"$out")" "$(uname -r)
false"

check_eq "json: the entries, by family" "$(jq -c '[.summary.entries, .summary.by_family]' <<<"$out")" \
	'[20,{"ipv4":18,"ipv6":2}]'
check_eq "json: by protocol" "$(jq -c '[.summary.by_protocol[] | "\(.protocol)=\(.count)"]' <<<"$out")" \
	'["icmp=1","tcp=12","udp=6","sctp=1"]'
check_eq "json: by state" "$(jq -c '[.summary.by_state[] | "\(.protocol) \(.state)=\(.count)"]' <<<"$out")" \
	'["tcp SYN_SENT=4","tcp ESTABLISHED=6","tcp TIME_WAIT=2","sctp ESTABLISHED=1"]'
check_eq "json: by status" "$(jq -c '.summary.by_status | [.assured, .seen_reply, .unreplied, .snat, .dnat]' <<<"$out")" \
	'[6,6,14,0,0]'
check_eq "json: top destinations" "$(jq -c '[.summary.top_destinations.top[] | "\(.address)=\(.count)"]' <<<"$out")" \
	'["10.2.0.1=6","10.2.0.2=4","10.2.0.3=3","127.0.0.1=3","2001:db8::2=2","10.2.0.4=1","10.2.0.5=1"]'
check_eq "json: top sources" "$(jq -c '[.summary.top_sources.top[] | "\(.address)=\(.count)"]' <<<"$out")" \
	'["10.1.0.1=6","10.1.0.2=4","10.1.0.3=3","127.0.0.1=3","2001:db8::1=2","10.1.0.4=1","10.1.0.5=1"]'
check_eq "json: top destination ports" "$(jq -c '[.summary.top_dports.top[] | "\(.protocol)/\(.port)=\(.count)"]' <<<"$out")" \
	'["tcp/443=6","tcp/80=4","udp/53=3","tcp/22=2","udp/7001=1","udp/7002=1","udp/7003=1","sctp/7=1"]'
check_eq "json: the tops are exact" \
	"$(jq -c '[.summary[] | objects | select(has("approximate")) | .approximate, ([.top[].overcount_max] | add)]' <<<"$out")" \
	'[false,0,false,0,false,0]'

nft_packets=$(in_netns nft -j list table inet t | jq '[.nftables[] | select(.rule) | .rule.expr[] | select(.counter) | .counter.packets][0]')
check_eq "json: the ct rule with its counter" \
	"$(jq -c '[.nft.ct_rules[] | [.family, .table, .chain, .counter.packets]]' <<<"$out")" \
	"[[\"inet\",\"t\",\"out\",$nft_packets]]"
check_eq "json: the counter counted the three new flows" "$nft_packets" 3
case $(jq -r '.nft.ct_rules[0].rule' <<<"$out") in
"ct state new counter packets 3 bytes "*) pass "json: the rule as text" ;;
*) fail "json: the rule as text" "$(jq -c .nft <<<"$out")" ;; esac

want=$(nf_sysctls | sed 's|^/proc/sys/||; s|/|.|g; s|:|=|' | sort)
check_eq "json: every net.netfilter sysctl with its value" \
	"$(jq -r '.sysctls | to_entries[] | select(.key | startswith("net.netfilter.")) |
		select(.key | test("nf_conntrack_(count|max|buckets)$") | not) | "\(.key)=\(.value)"' <<<"$out" | sort)" "$want"
check_eq "json: count, max and buckets among them" \
	"$(jq -c '.sysctls | [has("net.netfilter.nf_conntrack_count"), has("net.netfilter.nf_conntrack_max"), has("net.netfilter.nf_conntrack_buckets")]' <<<"$out")" \
	'[true,true,true]'

# net.nf_conntrack_max exists in the initial namespace only.
check_eq "json: net.nf_conntrack_max where the namespace has it" "$(jq '.sysctls["net.nf_conntrack_max"]' <<<"$out")" \
	"$(in_netns cat /proc/sys/net/nf_conntrack_max 2>/dev/null || echo null)"

check_eq "json: count, max, buckets, listed" "$(jq -c '[.table.count, .table.max, .table.buckets, .table.listed]' <<<"$out")" \
	"[20,$(in_netns cat $NF/nf_conntrack_max),$(in_netns cat $NF/nf_conntrack_buckets),20]"
check_eq "json: the statistics by the kernel's names" "$(jq -c '.stats.first | keys' <<<"$out")" \
	"$(in_netns "$CTADM" -S -o json | head -1 | jq -c 'del(.schema, .type, .table, .cpu) | keys')"
check_eq "json: summed over every CPU" "$(jq .stats.cpus <<<"$out")" "$(in_netns "$CTADM" -S | wc -l)"
check_eq "json: the deltas are second minus first" \
	"$(jq '[.stats.delta | to_entries[] | .value] == [.stats as $s | $s.first | keys_unsorted[] | $s.second[.] - $s.first[.]]' <<<"$out")" true
check_eq "json: samples a second apart" "$(jq '.stats.interval_ms >= 1000' <<<"$out")" true

check_eq "json: the findings of diagnose" "$(jq -r '.findings[] | "\(.id):\(.severity)"' <<<"$out" | sort)" \
	"$(in_netns "$CTADM" diagnose -o json | jq -r '.findings[] | "\(.id):\(.severity)"' | sort)"
check_eq "json: NAT without an invalid drop is found" \
	"$(jq -r '.findings[] | select(.id == "nat-invalid-leak") | .severity' <<<"$out")" warning
check_eq "json: dying and unconfirmed" "$(jq -c .lists <<<"$out")" \
	'{"dying":0,"stuck_dying":0,"unconfirmed_dump":0,"nfqueue_waiting":0}'
check_eq "json: logging" "$(jq -c '.logging | [.log_invalid, .log_invalid_meaning, (.nf_log[] | select(.family == 2) | .name), (.dyndbg | has("available"))]' <<<"$out")" \
	'[0,"off","ipv4",true]'
check_eq "json: no capture without --invalid-seconds" "$(jq -c .invalid <<<"$out")" null

# --- text ----------------------------------------------------------------------
out=$(in_netns "$CTADM" report); rc=$?
check_eq "text: exit 0" "$rc" 0
check_eq "text: the sections" "$(grep '^== ' <<<"$out")" \
"== Kernel and namespace ==
== Sysctls ==
== Table ==
== Statistics ==
== Findings ==
== Dying and unconfirmed entries ==
== Logging ==
== nftables rules using conntrack ==
== Entries ==
== Invalid packets =="
section() { sed -n "/^== $1 ==\$/,/^== /p" <<<"$out" | sed '1d;/^== /d'; }
check_eq "text: top destinations" "$(section Entries | sed -n '/^top destinations:/,/^top destination ports/p')" \
"top destinations:
  COUNT    ADDRESS
  6        10.2.0.1
  4        10.2.0.2
  3        10.2.0.3
  3        127.0.0.1
  2        2001:db8::2
  1        10.2.0.4
  1        10.2.0.5
top destination ports:"
check_eq "text: top destination ports" "$(section Entries | sed -n '/^top destination ports:/,$p' | sed '/^$/d')" \
"top destination ports:
  COUNT    PORT
  6        tcp/443
  4        tcp/80
  3        udp/53
  2        tcp/22
  1        udp/7001
  1        udp/7002
  1        udp/7003
  1        sctp/7"
check_eq "text: by state" "$(section Entries | sed -n '/^by state:/,/^top sources/p' | sed '1d;$d')" \
"  COUNT    PROTOCOL STATE
  4        tcp      SYN_SENT
  6        tcp      ESTABLISHED
  2        tcp      TIME_WAIT
  1        sctp     ESTABLISHED"
check_eq "text: the ct rule with its counter" "$(section 'nftables rules using conntrack' | grep -c '^inet t out handle [0-9]*: ct state new counter packets 3 bytes ')" 1
check_eq "text: sysctls as name = value" "$(section Sysctls | grep -c -x "net.netfilter.nf_conntrack_max = $(in_netns cat $NF/nf_conntrack_max)")" 1
check_eq "text: the finding under its severity" "$(section Findings | sed -n '/^WARNING$/,/^$/p' | grep -c '^  nat-invalid-leak: ')" 1
check_eq "text: count" "$(section Table | grep '^count:')" "count:      20"
check_eq "text: no capture" "$(section 'Invalid packets')" \
	"not captured (ctadm report --invalid-seconds N catches them for N seconds)"
check_eq "the reports changed no sysctl" "$(nf_sysctls)" "$before"

# --- --invalid-seconds with invalid traffic ---------------------------------
ip netns exec "$NS" "$CTADM" report --invalid-seconds 2 -o json >"$tmp/out" 2>"$tmp/err" & pid=$!
ready=no
for _ in $(seq 100); do
	[ "$(in_netns cat $LI)" = 255 ] && { ready=yes; break; }
	sleep 0.1
done
check_eq "capture: log_invalid is all while capturing" "$ready" yes
# each SYN+RST is seen twice on lo: at output and at prerouting
in_netns hping3 -q -c 2 -i u100000 -S -R -s 40001 -k -p 80 127.0.0.1 >/dev/null 2>&1
wait $pid; rc=$?
out=$(cat "$tmp/out")
check_eq "capture: exit 0, nothing on stderr" "$rc:$(cat "$tmp/err")" "0:"
check_eq "capture: the packets by reason and flow" \
	"$(jq -c '.invalid | [.stopped_by, .packets, .reasons, [.flows[] | "\(.protocol) \(.src):\(.sport) > \(.dst):\(.dport)=\(.count)"]]' <<<"$out")" \
	'["time",4,[{"reason":"nf_ct_proto_6: invalid tcp flag combination","count":4}],["tcp 127.0.0.1:40001 > 127.0.0.1:80=4"]]'
check_eq "capture: the statistics saw them" "$(jq '.stats.delta.invalid >= 4' <<<"$out")" true
check_eq "capture: the logging section shows the settings before" "$(jq .logging.log_invalid <<<"$out")" 0
check_eq "capture: every netfilter sysctl as before" "$(nf_sysctls)" "$before"

# SIGINT ends the capture early: the report still comes, and every
# setting is put back.
ip netns exec "$NS" "$CTADM" report --invalid-seconds 60 -o json >"$tmp/out" 2>"$tmp/err" & pid=$!
ready=no
for _ in $(seq 100); do
	[ "$(in_netns cat $LI)" = 255 ] && { ready=yes; break; }
	sleep 0.1
done
kill -INT $pid; wait $pid; rc=$?
check_eq "capture, SIGINT: exit 0, the report, stopped by the signal" \
	"$ready $rc $(jq -c '[.invalid.stopped_by, .invalid.signal, .summary.entries]' "$tmp/out")" \
	'yes 0 ["signal","SIGINT",20]'
check_eq "capture, SIGINT: every netfilter sysctl as before" "$(nf_sysctls)" "$before"

out=$(in_netns "$CTADM" report --invalid-seconds 1); rc=$?
case "$rc $(sed -n '/^== Invalid packets ==$/,$p' <<<"$out" | sed -n 2p)" in
"0 0 invalid packets in 1."*) pass "capture, text: the count" ;;
*) fail "capture, text: the count" "$rc $out" ;; esac
check_eq "capture, text: every netfilter sysctl as before" "$(nf_sysctls)" "$before"

# --- --netns from the host -------------------------------------------------
out=$("$CTADM" --netns "$NS" report -o json); rc=$?
check_eq "--netns: the namespace's report" "$rc $(jq -c '[.netns.name, .summary.entries]' <<<"$out")" "0 [\"$NS\",20]"

# --- no CAP_NET_ADMIN --------------------------------------------------------
if command -v setpriv >/dev/null; then
	msg=$(in_netns setpriv --reuid=65534 --regid=65534 --clear-groups "$CTADM" report 2>&1); rc=$?
	check_eq "without CAP_NET_ADMIN: exit 1 and why" "$rc $msg" \
		"1 ctadm: report: dumping the conntrack table: permission denied (CAP_NET_ADMIN is needed)"
	msg=$(in_netns setpriv --reuid=65534 --regid=65534 --clear-groups "$CTADM" report --invalid-seconds 1 2>&1); rc=$?
	check_eq "without CAP_NET_ADMIN, capturing: exit 1, nothing changed" "$rc $(nf_sysctls)" "1 $before"
else
	skip "without CAP_NET_ADMIN" "no setpriv"
fi

# --- bad input: exit 2, nothing changed ---------------------------------------
for args in "--invalid-seconds 0" "--invalid-seconds x" "--invalid-seconds -1" \
	"-o xml" "-o prometheus" "-o extended" "extra" "--samples 2" "--interval 1" \
	"--all-netns" "--seconds 1" "--count 1" "-p tcp"; do
	# shellcheck disable=SC2086 # the words are the arguments
	check_rc "report $args: usage error" 2 in_netns "$CTADM" report $args
done
check_eq "an extra argument: the message" "$(in_netns "$CTADM" report extra 2>&1 | head -1)" \
	"ctadm: report: unexpected argument \`extra'"
check_eq "bad input: every netfilter sysctl as before" "$(nf_sysctls)" "$before"
t_done
