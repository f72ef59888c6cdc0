#!/usr/bin/env bash
# watch_invalid.sh - ctadm watch-invalid against the kernel in a network
# namespace: hping3's SYN+RST packets are shown with their reason,
# protocol, addresses, ports, flags and hook, in text and JSON, counted
# by reason and flow; the protocol filter; every netfilter sysctl of the
# namespace is as before after a normal end, SIGINT, SIGTERM, a write
# error and a second watcher refused; bad input exits 2 changing nothing.
. "$(dirname "$0")/../lib.sh"

command -v hping3 >/dev/null || { skip watch_invalid "no hping3"; exit 0; }
command -v jq >/dev/null || { skip watch_invalid "no jq"; exit 0; }

NF=/proc/sys/net/netfilter
LI=$NF/nf_conntrack_log_invalid
host_knobs() { cat $LI $NF/nf_log/2 $NF/nf_log/10; }
host_before=$(host_knobs)
netns_create
tmp=$(mktemp -d)
trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$tmp"' EXIT

in_netns ip link set lo up
# A rule that needs conntrack, so that it tracks the namespace's packets.
in_netns nft add table ip t
in_netns nft add chain ip t c '{ type filter hook output priority 0; }'
in_netns nft add rule ip t c ct state new accept

nf_sysctls() { in_netns sh -c 'grep -r . /proc/sys/net/netfilter/ 2>/dev/null | grep -v nf_conntrack_count | sort'; }
before=$(nf_sysctls)
check_eq "the namespace starts with log_invalid off" "$(in_netns cat $LI)" 0

# watch ARGS...: ctadm watch-invalid in the namespace, in the background
# ($pid, output in $tmp/out); ready returns once it has set log_invalid,
# the last setting it changes.
watch_bg() { ip netns exec "$NS" "$CTADM" watch-invalid "$@" >"$tmp/out" 2>"$tmp/err" & pid=$!; }
ready() {
	for _ in $(seq 50); do
		[ "$(in_netns cat $LI)" = "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
# send N PORT: N SYN+RST packets 127.0.0.1:PORT > 127.0.0.1:80; each
# is seen twice on lo, at output and at prerouting.
send() { in_netns hping3 -q -c "$1" -i u100000 -S -R -s "$2" -k -p 80 127.0.0.1 >/dev/null 2>&1; }

# --- text, stopping after --count packets ----------------------------------
watch_bg --count 4
check_rc "text: log_invalid is all while watching" 0 ready 255
check_eq "text: the ipv4 backend is nfnetlink_log while watching" "$(in_netns cat $NF/nf_log/2)" nfnetlink_log
check_eq "text: the ipv6 backend is nfnetlink_log while watching" "$(in_netns cat $NF/nf_log/10)" nfnetlink_log
send 2 40001
wait $pid; rc=$?
out=$(cat "$tmp/out")
check_eq "text: exit 0 after --count" "$rc" 0
pkt='tcp 127.0.0.1:40001 > 127.0.0.1:80 [SYN,RST] nf_ct_proto_6: invalid tcp flag combination'
check_eq "text: each packet with flow, flags and reason" "$(grep -c -F " $pkt" <<<"$out")" 4
check_eq "text: seen at output on lo" "$(grep -c -F " output:lo $pkt" <<<"$out")" 2
check_eq "text: seen at prerouting on lo" "$(grep -c -F " prerouting:lo $pkt" <<<"$out")" 2
check_eq "text: the counts by reason and flow" "$(sed -n '/^4 invalid packets in/,$p' <<<"$out" | sed 's/ in [0-9.]* s$//')" \
"4 invalid packets
COUNT    REASON
4        nf_ct_proto_6: invalid tcp flag combination
COUNT    FLOW
4        tcp 127.0.0.1:40001 > 127.0.0.1:80"
check_eq "text: every sysctl as before" "$(nf_sysctls)" "$before"

# --- JSON Lines, one protocol: log_invalid is that protocol ----------------
watch_bg tcp --count 2 -o json
check_rc "json: log_invalid is tcp (6) while watching tcp" 0 ready 6
send 1 40002
wait $pid; rc=$?
out=$(cat "$tmp/out")
check_eq "json: exit 0" "$rc" 0
check_eq "json: two packet objects, then the summary" "$(jq -r .type <<<"$out" | tr '\n' ' ')" "packet packet summary "
check_eq "json: the packets" "$(jq -c 'select(.type == "packet") | [.schema, .reason, .family, .protocol, .protonum, .src, .dst, .sport, .dport, .tcp_flags, .length]' <<<"$out" | sort -u)" \
	'[1,"nf_ct_proto_6: invalid tcp flag combination","ipv4","tcp",6,"127.0.0.1","127.0.0.1",40002,80,["SYN","RST"],40]'
check_eq "json: hooks and devices" "$(jq -c 'select(.type == "packet") | [.hook, .in, .out]' <<<"$out" | sort | tr '\n' ' ')" \
	'["output",null,"lo"] ["prerouting","lo",null] '
check_eq "json: the summary" "$(jq -c 'select(.type == "summary") | [.schema, .stopped_by, .signal, .log_invalid, .protocols, .packets, .filtered, .reasons, .flows]' <<<"$out")" \
	'[1,"count",null,6,[6],2,0,[{"reason":"nf_ct_proto_6: invalid tcp flag combination","count":2}],[{"family":"ipv4","protonum":6,"protocol":"tcp","src":"127.0.0.1","dst":"127.0.0.1","sport":40002,"dport":80,"count":2}]]'
check_eq "json: every sysctl as before" "$(nf_sysctls)" "$before"

# --- several protocols: all logged, the others dropped by ctadm; SIGTERM ----
watch_bg udp icmp -o json
check_rc "udp icmp: log_invalid is all" 0 ready 255
send 1 40003
sleep 0.3
kill -TERM $pid; wait $pid; rc=$?
out=$(cat "$tmp/out")
check_eq "SIGTERM: exit 0 with the summary" "$rc $(jq -c '[.type, .stopped_by, .signal, .protocols, .packets, .filtered]' <<<"$out")" \
	'0 ["summary","signal","SIGTERM",[1,17],0,2]'
check_eq "SIGTERM: every sysctl as before" "$(nf_sysctls)" "$before"

# --- SIGINT mid-run, text ---------------------------------------------------
watch_bg
ready 255 || fail "SIGINT: watcher ready"
send 1 40004
sleep 0.3
kill -INT $pid; wait $pid; rc=$?
out=$(cat "$tmp/out")
check_eq "SIGINT: exit 0" "$rc" 0
check_eq "SIGINT: the packets shown" "$(grep -c -F "tcp 127.0.0.1:40004 > 127.0.0.1:80 [SYN,RST]" <<<"$out")" 2
case $out in *"2 invalid packets in "*" s (stopped by SIGINT)"*) pass "SIGINT: the summary says so" ;;
*) fail "SIGINT: the summary says so" "$out" ;; esac
check_eq "SIGINT: every sysctl as before" "$(nf_sysctls)" "$before"

# --- --seconds ----------------------------------------------------------------
start=$SECONDS
out=$(in_netns "$CTADM" watch-invalid --seconds 2 -o json); rc=$?
check_eq "--seconds 2: exit 0, stopped by time" "$rc $(jq -r .stopped_by <<<"$out")" "0 time"
if [ $((SECONDS - start)) -ge 2 ] && [ $((SECONDS - start)) -le 4 ] &&
	jq -e '.seconds >= 2 and .seconds < 2.5' <<<"$out" >/dev/null; then
	pass "--seconds 2: about two seconds"
else
	fail "--seconds 2: about two seconds" "$out"
fi
check_eq "--seconds: every sysctl as before" "$(nf_sysctls)" "$before"

# --- a write error after the settings changed: they are put back ------------
(ip netns exec "$NS" "$CTADM" watch-invalid --seconds 4; echo $? >"$tmp/rc") | head -c 1 >/dev/null &
ready 255 || fail "closed output: watcher ready"
send 3 40005
wait
check_eq "closed output: exit 1" "$(cat "$tmp/rc")" 1
check_eq "closed output: every sysctl as before" "$(nf_sysctls)" "$before"

# --- a second watcher: group 0 is taken --------------------------------------
watch_bg
ready 255 || fail "busy: first watcher ready"
msg=$(in_netns "$CTADM" watch-invalid --seconds 1 2>&1); rc=$?
case "$rc $msg" in "1 ctadm: watch-invalid: NFLOG group 0 is bound by "*"conntrack logs invalid packets to group 0 only"*)
	pass "a second watcher: exit 1, group 0 is bound" ;;
*) fail "a second watcher: exit 1, group 0 is bound" "$rc $msg" ;; esac
case $msg in *"bound by ctadm (pid $pid, port id "*) pass "a second watcher: names the holder" ;;
*) fail "a second watcher: names the holder" "$msg" ;; esac
check_eq "a second watcher changed nothing" "$(in_netns cat $LI $NF/nf_log/2)" "255
nfnetlink_log"
kill -INT $pid; wait $pid
check_eq "busy: every sysctl as before" "$(nf_sysctls)" "$before"

# --- --netns from the host -------------------------------------------------
"$CTADM" --netns "$NS" watch-invalid --count 1 >"$tmp/out" 2>&1 & pid=$!
ready 255 || fail "--netns: watcher ready"
send 1 40006
wait $pid; rc=$?
check_eq "--netns: the packet" "$rc $(grep -c -F 'tcp 127.0.0.1:40006 > 127.0.0.1:80 [SYN,RST] nf_ct_proto_6' "$tmp/out")" "0 1"
check_eq "--netns: every sysctl as before" "$(nf_sysctls)" "$before"

# --- bad input: exit 2, nothing changed ---------------------------------------
for bad in "bogus" "off" "0" "256" "tcp bogus"; do
	# shellcheck disable=SC2086
	check_rc "watch-invalid $bad is a usage error" 2 in_netns "$CTADM" watch-invalid $bad --seconds 1
done
check_rc "--seconds 0 is a usage error" 2 in_netns "$CTADM" watch-invalid --seconds 0
check_rc "--count x is a usage error" 2 in_netns "$CTADM" watch-invalid --count x
check_rc "-o xml is a usage error" 2 in_netns "$CTADM" watch-invalid -o xml
msg=$(in_netns "$CTADM" watch-invalid tcp bogus 2>&1)
check_eq "an unknown protocol: the message" "$(head -1 <<<"$msg")" \
	"ctadm: watch-invalid: \`bogus' is not a protocol, a number from 1 to 255 or all"
check_eq "bad input: every sysctl as before" "$(nf_sysctls)" "$before"

check_eq "the host's log_invalid and backends are untouched" "$(host_knobs)" "$host_before"
t_done
