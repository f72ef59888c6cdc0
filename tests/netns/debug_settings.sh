#!/usr/bin/env bash
# debug_settings.sh - ctadm log-invalid and ctadm nflog in network
# namespaces: values read back, settings of one namespace leave the host's
# and another namespace's alone, bad input exits 2 and changes nothing,
# and a real invalid packet reaches the kernel log through the backend.
. "$(dirname "$0")/../lib.sh"

LI=/proc/sys/net/netfilter/nf_conntrack_log_invalid
ALL=/proc/sys/net/netfilter/nf_log_all_netns
host_li=$(cat $LI) host_v4=$(cat /proc/sys/net/netfilter/nf_log/2) host_all=$(cat $ALL)
netns_create
NS2=ctadm-test2-$$-$RANDOM
ip netns add "$NS2" || exit 1
trap 'ip netns del "$NS" 2>/dev/null; ip netns del "$NS2" 2>/dev/null; echo "$host_all" >$ALL' EXIT
in_ns2() { ip netns exec "$NS2" "$@"; }

# every netfilter sysctl of a namespace, to prove nothing else moved
nf_sysctls() { ip netns exec "$1" sh -c 'grep -r . /proc/sys/net/netfilter/ 2>/dev/null | sort'; }
host_sysctls() { grep -r . /proc/sys/net/netfilter/ 2>/dev/null | grep -v nf_conntrack_count | sort; }

# --- log-invalid ---------------------------------------------------------
check_eq "log-invalid shows off" "$(in_netns "$CTADM" log-invalid)" "0 (off)"
for v in "tcp:6 (tcp)" "udp:17 (udp)" "all:255 (all)" "132:132 (sctp)" "icmpv6:58 (icmpv6)" "off:0 (off)" "gre:47 (gre)" "OFF:0 (off)"; do
	check_eq "log-invalid ${v%%:*}" "$(in_netns "$CTADM" log-invalid "${v%%:*}")" "${v#*:}"
done
check_eq "log-invalid by /etc/protocols name" "$(in_netns "$CTADM" log-invalid ospf)" "89 (ospf)"
check_eq "log-invalid json" "$(in_netns "$CTADM" log-invalid -o json | jq -c .)" '{"schema":1,"log_invalid":89,"meaning":"ospf"}'
check_eq "log-invalid via --netns" "$("$CTADM" --netns "$NS" log-invalid tcp)" "6 (tcp)"
check_eq "the namespace has it" "$(in_netns cat $LI)" 6
check_eq "the host's log_invalid is untouched" "$(cat $LI)" "$host_li"
check_eq "another namespace's is untouched" "$(in_ns2 cat $LI)" 0

before=$(nf_sysctls "$NS")
for bad in 256 -1 bogus 0x100 ""; do
	check_rc "log-invalid '$bad' is a usage error" 2 in_netns "$CTADM" log-invalid "$bad"
done
check_rc "log-invalid with two values is a usage error" 2 in_netns "$CTADM" log-invalid 6 17
check_rc "log-invalid -o xml is a usage error" 2 in_netns "$CTADM" log-invalid -o xml
check_rc "log-invalid -L is a usage error" 2 in_netns "$CTADM" log-invalid -L
check_eq "bad input changed nothing" "$(nf_sysctls "$NS")" "$before"
msg=$(in_netns "$CTADM" log-invalid bogus 2>&1)
check_eq "the message says what is wrong" "$(head -1 <<<"$msg")" \
	"ctadm: log-invalid: \`bogus' is not a protocol, a number from 0 to 255, all or off"

# --- nflog ---------------------------------------------------------------
out=$(in_netns "$CTADM" nflog -o json)
check_eq "nflog json: ipv4's backend" "$(jq -r '.families[] | select(.family == 2) | .active' <<<"$out")" nf_log_ipv4
check_eq "nflog json: registered backends" "$(jq -r '.families[] | select(.name == "ipv6") | .registered | join(",")' <<<"$out")" \
	"$(sed -n 's/^10 [^ ]* (\(.*\))$/\1/p' /proc/net/netfilter/nf_log)"
check_eq "nflog json: nf_log_all_netns is the initial namespace's" "$(jq -r .nf_log_all_netns <<<"$out")" null
check_eq "nflog in the host shows nf_log_all_netns" "$("$CTADM" nflog -o json | jq -r .nf_log_all_netns)" "$host_all"
check_eq "nflog text: ipv4 row" "$(in_netns "$CTADM" nflog | grep '^2 ipv4' | tr -s ' ')" \
	"2 ipv4 nf_log_ipv4 $(sed -n 's/^ 2 [^ ]* (\(.*\))$/\1/p' /proc/net/netfilter/nf_log)"

in_netns "$CTADM" nflog ipv4 none >/dev/null
check_eq "nflog ipv4 none" "$(in_netns cat /proc/sys/net/netfilter/nf_log/2)" NONE
err=$(in_netns "$CTADM" nflog ipv4 nf_log_ipv4 2>&1 >/dev/null)
check_eq "nflog ipv4 nf_log_ipv4" "$(in_netns cat /proc/sys/net/netfilter/nf_log/2)" nf_log_ipv4
case $err in *"not the initial network namespace"*) pass "warns that syslog logs nothing outside the initial namespace" ;;
*) fail "warns that syslog logs nothing outside the initial namespace" "$err" ;; esac
in_netns "$CTADM" nflog 10 nfnetlink_log >/dev/null
check_eq "nflog by family number" "$(in_netns cat /proc/sys/net/netfilter/nf_log/10)" nfnetlink_log
check_eq "the host's ipv4 backend is untouched" "$(cat /proc/sys/net/netfilter/nf_log/2)" "$host_v4"
check_eq "another namespace's is untouched" "$(in_ns2 cat /proc/sys/net/netfilter/nf_log/10)" nf_log_ipv6

before=$(nf_sysctls "$NS")
check_rc "nflog unknown family" 2 in_netns "$CTADM" nflog ipv5 none
check_rc "nflog family out of range" 2 in_netns "$CTADM" nflog 13 none
check_rc "nflog unknown backend" 2 in_netns "$CTADM" nflog ipv4 nf_log_bogus2
check_rc "nflog backend of another family" 2 in_netns "$CTADM" nflog ipv6 nf_log_ipv4
check_rc "nflog one argument" 2 in_netns "$CTADM" nflog ipv4
check_rc "nflog three arguments" 2 in_netns "$CTADM" nflog ipv4 none x
check_rc "nflog --all-netns-logging with -L" 2 in_netns "$CTADM" -L --all-netns-logging
check_eq "bad input changed nothing" "$(nf_sysctls "$NS")" "$before"

# A malformed nf_log table (fixture root) is reported, not misread.
fx=$(mktemp -d)
mkdir -p "$fx/net/netfilter"
printf ' 2 nf_log_ipv4 (nf_log_ipv4,nfnetlink_log)\n 3 garbage\n' >"$fx/net/netfilter/nf_log"
msg=$(CTADM_PROC_ROOT=$fx "$CTADM" nflog 2>&1); rc=$?
check_eq "a malformed nf_log line: exit 1 and where" "$rc $msg" \
	"1 ctadm: nflog: /proc/net/netfilter/nf_log:2: unexpected line \` 3 garbage'"
rm -rf "$fx"

# --- a real invalid packet, through the kernel log -------------------------
host_before=$(host_sysctls)
conntrack_input_on
in_netns "$CTADM" log-invalid tcp >/dev/null
in_netns "$CTADM" nflog ipv4 nf_log_ipv4 >/dev/null 2>&1
tag=$RANDOM$RANDOM
send_invalid() { in_netns hping3 -q -c 1 -S -R -s "$1" -p 9 127.0.0.1 >/dev/null 2>&1; }
echo 0 >$ALL
mark=$(kmsg_mark)
send_invalid $((20000 + tag % 10000))
sleep 0.5
if kmsg_since "$mark" | grep -q "nf_ct_proto_6: invalid tcp flag combination.*SPT=$((20000 + tag % 10000)) "; then
	fail "nf_log_all_netns=0: nothing logged from the namespace"
else
	pass "nf_log_all_netns=0: nothing logged from the namespace"
fi
"$CTADM" --netns "$NS" nflog ipv4 nf_log_ipv4 --all-netns-logging >/dev/null 2>&1
check_eq "--all-netns-logging set nf_log_all_netns" "$(cat $ALL)" 1
mark=$(kmsg_mark)
send_invalid $((30000 + tag % 10000))
sleep 0.5
if kmsg_since "$mark" | grep -q "nf_ct_proto_6: invalid tcp flag combination.*SPT=$((30000 + tag % 10000)) "; then
	pass "an invalid packet is logged: nf_ct_proto_6: invalid tcp flag combination"
else
	fail "an invalid packet is logged: nf_ct_proto_6: invalid tcp flag combination" "$(dmesg | tail -3)"
fi
echo "$host_all" >$ALL
check_eq "the host's netfilter sysctls are as before" "$(host_sysctls)" "$host_before"
t_done
