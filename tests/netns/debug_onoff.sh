#!/usr/bin/env bash
# debug_onoff.sh - ctadm debug on/status/off in network namespaces: every
# netfilter sysctl is as before after off, a second on keeps the first
# one's saved values, --netns from the host sets nf_log_all_netns and off
# puts it back, a failure half-way (--dyndbg without dynamic debug) rolls
# back, bad input exits 2 and changes nothing, a corrupt state file is
# reported, and a real invalid packet reaches the kernel log.
. "$(dirname "$0")/../lib.sh"

ALL=/proc/sys/net/netfilter/nf_log_all_netns
NF=/proc/sys/net/netfilter
host_all=$(cat $ALL)
RUN=$(mktemp -d)
export CTADM_RUN_DIR=$RUN/run
netns_create
NS2=ctadm-test2-$$-$RANDOM
ip netns add "$NS2" || exit 1
trap 'ip netns del "$NS" 2>/dev/null; ip netns del "$NS2" 2>/dev/null; echo "$host_all" >$ALL; rm -rf "$RUN"' EXIT

# every netfilter sysctl of a namespace, to prove nothing else moved
nf_sysctls() { ip netns exec "$1" sh -c 'grep -r . /proc/sys/net/netfilter/ 2>/dev/null | sort'; }
ns2_before=$(nf_sysctls "$NS2")
ino=$(in_netns stat -L -c %i /proc/self/ns/net)
STATE=$CTADM_RUN_DIR/debug-$ino.state
# json of a command run in the namespace, compacted by jq
j() { in_netns "$CTADM" "$@" -o json 2>/dev/null | jq -c "${JQ:-.}"; }
has() { case $2 in *"$3"*) pass "$1" ;; *) fail "$1" "$2" ;; esac; }

# --- off: status, and off with nothing to undo -------------------------------
check_eq "status when off: text" "$(in_netns "$CTADM" debug status | head -1)" "debug: off"
check_eq "status when off: json" "$(JQ='[.schema,.on,.log_invalid,.nf_log.ipv4]' j debug status)" \
	'[1,false,0,"nf_log_ipv4"]'
out=$(in_netns "$CTADM" debug off); rc=$?
check_eq "off with nothing to undo: exit 0 and says so" "$rc $out" "0 debug: off already: nothing to undo"
check_eq "off with nothing to undo: json" "$(j debug off)" '{"schema":1,"on":false,"since":null,"restored":null}'

# --- on / status / off round trip inside the namespace -------------------
before=$(nf_sysctls "$NS")
now=$(date +%s)
out=$(in_netns "$CTADM" debug on 2>"$RUN/err"); rc=$?
check_eq "on: exit 0" "$rc" 0
check_eq "on: all protocols by default" "$(in_netns cat $NF/nf_conntrack_log_invalid)" 255
has "on: says where the messages appear" "$out" "messages: kernel log: journalctl -k -f (or dmesg -w)"
has "on: says how to undo it" "$out" "undo: ctadm debug off"
has "on: warns that the kernel log shows nothing from a namespace" "$(cat "$RUN/err")" \
	"not the initial network namespace"
[ -f "$STATE" ] && pass "the state file is keyed by the namespace's inode" || fail "state file $STATE"
check_eq "the state file records the values saved" \
	"$(grep -E '^(version|backend|protocols|saved\.)' "$STATE")" \
	"version=1
backend=syslog
protocols=all
saved.log_invalid=0
saved.nf_log.2=nf_log_ipv4
saved.nf_log.10=nf_log_ipv6"
st=$(j debug status)
check_eq "status json" "$(jq -c '[.on,.protocols,.log_invalid,.backend,.nf_log,.messages,.command,.saved]' <<<"$st")" \
	'[true,["all"],255,"syslog",{"ipv4":"nf_log_ipv4","ipv6":"nf_log_ipv6"},"kernel log","journalctl -k -f",{"log_invalid":0,"nf_log":{"ipv4":"nf_log_ipv4","ipv6":"nf_log_ipv6"},"nf_log_all_netns":null,"dyndbg_sites":0}]'
since=$(jq .since <<<"$st")
[ "$since" -ge "$now" ] && [ "$since" -le $((now + 5)) ] && pass "status: since when" || fail "status: since when" "$since"
check_eq "status json: the state file" "$(jq -r .state_file <<<"$st")" "$STATE"
check_eq "status text" "$(in_netns "$CTADM" debug status | sed -n '1s/ since .*//p;2,4p')" \
	"debug: on
protocols: all
log_invalid: 255 (all)
backend: syslog (ipv4 nf_log_ipv4, ipv6 nf_log_ipv6)"

# a second on keeps the first one's saved values and since
err=$(in_netns "$CTADM" debug on tcp 2>&1 >/dev/null)
has "a second on says debug was on already" "$err" "debug was on already"
check_eq "a second on applies the new request" "$(in_netns cat $NF/nf_conntrack_log_invalid)" 6
check_eq "a second on keeps since and the saved values" \
	"$(JQ='[.since,.protocols,.saved.log_invalid]' j debug status)" "[$since,[\"tcp\"],0]"
err=$(in_netns "$CTADM" debug on udp TCP 17 2>&1 >/dev/null)
has "several protocols: all, and says so" "$err" "takes one protocol: logging the invalid packets of all (255)"
check_eq "several protocols: 255, the protocols recorded" \
	"$(in_netns cat $NF/nf_conntrack_log_invalid) $(JQ=.protocols j debug status)" '255 ["udp","tcp"]'
check_eq "on json" "$(JQ='[.schema,.on,.log_invalid,.protocols]' j debug on gre)" '[1,true,47,["gre"]]'
check_eq "off json" "$(j debug off)" \
	"{\"schema\":1,\"on\":false,\"since\":$since,\"restored\":{\"log_invalid\":0,\"nf_log\":{\"ipv4\":\"nf_log_ipv4\",\"ipv6\":\"nf_log_ipv6\"},\"nf_log_all_netns\":null,\"dyndbg_sites\":0}}"
check_eq "after off: every netfilter sysctl as before" "$(nf_sysctls "$NS")" "$before"
[ -e "$STATE" ] && fail "off removes the state file" || pass "off removes the state file"

# --- nflog, from values that are not the defaults --------------------------
in_netns sh -c "echo 17 >$NF/nf_conntrack_log_invalid; echo NONE >$NF/nf_log/10"
before=$(nf_sysctls "$NS")
out=$(in_netns "$CTADM" debug on --backend nflog 2>&1)
has "nflog: says where the messages appear" "$out" \
	"messages: NFLOG group 0: tcpdump -i nflog:0 (or ctadm watch-invalid)"
check_eq "nflog: nfnetlink_log for ipv4 and ipv6" \
	"$(in_netns cat $NF/nf_log/2 $NF/nf_log/10 | tr '\n' ' ')" "nfnetlink_log nfnetlink_log "
check_eq "nflog json" "$(JQ='[.backend,.messages,.command,.saved.nf_log]' j debug status)" \
	'["nflog","NFLOG group 0","tcpdump -i nflog:0",{"ipv4":"nf_log_ipv4","ipv6":null}]'
in_netns "$CTADM" debug on icmp >/dev/null 2>&1
check_eq "syslog after nflog: syslog backends again" \
	"$(in_netns cat $NF/nf_log/2 $NF/nf_log/10 | tr '\n' ' ')" "nf_log_ipv4 nf_log_ipv6 "
out=$(in_netns "$CTADM" debug off)
check_eq "off: says what it put back" "$(sed -n 2p <<<"$out")" \
	"restored: log_invalid 17, ipv4 nf_log_ipv4, ipv6 none"
check_eq "nflog: off puts back exactly what was there" "$(nf_sysctls "$NS")" "$before"
in_netns sh -c "echo 0 >$NF/nf_conntrack_log_invalid; echo nf_log_ipv6 >$NF/nf_log/10"

# --- --netns from the host: nf_log_all_netns ------------------------------
before=$(nf_sysctls "$NS")
echo 0 >$ALL
out=$("$CTADM" --netns "$NS" debug on tcp 2>&1)
check_eq "--netns with syslog sets nf_log_all_netns" "$(cat $ALL)" 1
has "--netns: how to undo it" "$out" "undo: ctadm --netns $NS debug off"
check_eq "the old value is in the state" "$(grep '^saved.nf_log_all_netns=' "$STATE")" "saved.nf_log_all_netns=0"
check_eq "status from the host" "$("$CTADM" --netns "$NS" debug status -o json | jq -c '[.nf_log_all_netns,.saved.nf_log_all_netns]')" "[1,0]"
err=$(in_netns "$CTADM" debug on tcp 2>&1 >/dev/null)
case $err in *"initial network namespace"*) fail "a second on inside: no warning, nf_log_all_netns is set" "$err" ;;
*) pass "a second on inside: no warning, nf_log_all_netns is set" ;; esac
out=$(in_netns "$CTADM" debug off 2>&1); rc=$?
check_eq "off inside the namespace cannot put nf_log_all_netns back: exit 1" "$rc" 1
has "... and says where to run it" "$out" "run \`ctadm --netns NAME debug off' from there"
check_eq "... and changed nothing" "$(cat $ALL) $(in_netns cat $NF/nf_conntrack_log_invalid)" "1 6"

# a real invalid packet, through the kernel log
conntrack_input_on
port=$((20000 + RANDOM % 20000))
mark=$(kmsg_mark)
in_netns hping3 -q -c 2 -k -S -R -s $port -p 80 127.0.0.1 >/dev/null 2>&1
sleep 0.5
if kmsg_since "$mark" | grep -q "nf_ct_proto_6: invalid tcp flag combination.*SPT=$port "; then
	pass "an invalid packet is logged: nf_ct_proto_6: invalid tcp flag combination"
else
	fail "an invalid packet is logged: nf_ct_proto_6: invalid tcp flag combination" "$(dmesg | tail -3)"
fi
in_netns nft delete table inet t

"$CTADM" --netns "$NS" debug off >/dev/null
check_eq "off from the host puts nf_log_all_netns back" "$(cat $ALL)" 0
check_eq "after off: every netfilter sysctl as before" "$(nf_sysctls "$NS")" "$before"

echo 1 >$ALL
"$CTADM" --netns "$NS" debug on >/dev/null 2>&1
check_eq "nf_log_all_netns already 1: not recorded" "$(grep -c nf_log_all_netns "$STATE")" 0
"$CTADM" --netns "$NS" debug off >/dev/null
check_eq "... and left as it was" "$(cat $ALL)" 1
echo 0 >$ALL

# --- --dyndbg on a kernel without dynamic debug: a real rollback ---------
before=$(nf_sysctls "$NS")
out=$("$CTADM" --netns "$NS" debug on tcp --backend nflog --dyndbg 2>&1); rc=$?
check_eq "--dyndbg without dynamic debug: exit 1" "$rc" 1
has "... says CONFIG_DYNAMIC_DEBUG" "$out" "CONFIG_DYNAMIC_DEBUG"
has "... and that it rolled back" "$out" "(rolled back: nothing changed)"
check_eq "... every netfilter sysctl as before" "$(nf_sysctls "$NS")" "$before"
[ -e "$STATE" ] && fail "... no state file left" || pass "... no state file left"
out=$("$CTADM" --netns "$NS" debug on tcp --dyndbg 2>&1); rc=$?
check_eq "--dyndbg with syslog from the host: exit 1" "$rc" 1
check_eq "... nf_log_all_netns put back" "$(cat $ALL)" 0
check_eq "... every netfilter sysctl as before" "$(nf_sysctls "$NS")" "$before"
# with debug on already: back to the first on's settings and state
in_netns "$CTADM" debug on udp >/dev/null 2>&1
cp "$STATE" "$RUN/state.1"; mid=$(nf_sysctls "$NS")
"$CTADM" --netns "$NS" debug on tcp --backend nflog --dyndbg >/dev/null 2>&1; rc=$?
check_eq "a second on with --dyndbg: exit 1" "$rc" 1
check_eq "... the first on's settings are back" "$(nf_sysctls "$NS")" "$mid"
cmp -s "$STATE" "$RUN/state.1" && pass "... and its state file" || fail "... and its state file" "$(diff "$RUN/state.1" "$STATE")"

# --- bad input: exit 2, nothing changed -----------------------------------
for on in on off; do
	[ $on = off ] && in_netns "$CTADM" debug off >/dev/null
	mid=$(nf_sysctls "$NS"); [ -e "$STATE" ] && cp "$STATE" "$RUN/state.1" || rm -f "$RUN/state.1"
	check_rc "debug on bogus ($on)" 2 in_netns "$CTADM" debug on bogus
	check_rc "debug on tcp bogus ($on)" 2 in_netns "$CTADM" debug on tcp bogus
	check_rc "debug on off ($on)" 2 in_netns "$CTADM" debug on off
	check_rc "debug on 256 ($on)" 2 in_netns "$CTADM" debug on 256
	check_rc "debug on --backend foo ($on)" 2 in_netns "$CTADM" debug on --backend foo
	check_rc "debug on --mount-debugfs without --dyndbg ($on)" 2 in_netns "$CTADM" debug on --mount-debugfs
	check_rc "debug foo ($on)" 2 in_netns "$CTADM" debug foo
	check_rc "debug ($on)" 2 in_netns "$CTADM" debug
	check_rc "debug off extra ($on)" 2 in_netns "$CTADM" debug off extra
	check_rc "debug status tcp ($on)" 2 in_netns "$CTADM" debug status tcp
	check_rc "debug off --backend nflog ($on)" 2 in_netns "$CTADM" debug off --backend nflog
	check_rc "debug status --dyndbg ($on)" 2 in_netns "$CTADM" debug status --dyndbg
	check_rc "debug status -o xml ($on)" 2 in_netns "$CTADM" debug status -o xml
	check_eq "bad input changed no sysctl ($on)" "$(nf_sysctls "$NS")" "$mid"
	if [ -e "$RUN/state.1" ]; then
		cmp -s "$STATE" "$RUN/state.1" && pass "bad input changed no state ($on)" || fail "bad input changed no state ($on)"
	else
		[ -e "$STATE" ] && fail "bad input wrote no state ($on)" || pass "bad input wrote no state ($on)"
	fi
done
check_eq "an unknown protocol: the message" "$(in_netns "$CTADM" debug on bogus 2>&1 | head -1)" \
	"ctadm: debug on: \`bogus' is not a protocol (a name, a number from 1 to 255, or all)"
check_eq "an unknown verb: the message" "$(in_netns "$CTADM" debug foo 2>&1 | head -1)" \
	"ctadm: debug: \`foo' is not on, off or status"
check_eq "off with an argument: the message" "$(in_netns "$CTADM" debug off extra 2>&1 | head -1)" \
	"ctadm: debug off: takes no arguments (\`extra')"

# --- corrupt and stale state files ----------------------------------------
before=$(nf_sysctls "$NS")
mkdir -p "$CTADM_RUN_DIR"
printf 'version=1\nnetns=%s\nbackend\n' "$ino" >"$STATE"
for v in status on off; do
	out=$(in_netns "$CTADM" debug $v 2>&1); rc=$?
	check_eq "a corrupt state file: debug $v says where and what" "$rc $out" \
		"1 ctadm: debug: $STATE:3: not key=value: \`backend' (fix or remove the file; removing it loses the values debug on saved)"
done
check_eq "a corrupt state file: nothing changed" "$(nf_sysctls "$NS")" "$before"
rm "$STATE"
in_netns "$CTADM" debug on >/dev/null 2>&1
sed -i 's/^cookie=.*/cookie=1/' "$STATE"
out=$(in_netns "$CTADM" debug status 2>&1)
has "a state file of a namespace gone (same inode): ignored" "$out" "was left by a namespace that no longer exists"
check_eq "... and status says off" "$(grep -c '^debug: off' <<<"$out")" 1
in_netns "$CTADM" debug off >/dev/null 2>&1
[ -e "$STATE" ] && fail "... off removes it" || pass "... off removes it"
in_netns sh -c "echo 0 >$NF/nf_conntrack_log_invalid"

# --- a backend that is not registered (fixture proc root) ----------------
fx=$(mktemp -d -p "$RUN")
mkdir -p "$fx/sys/net/netfilter/nf_log" "$fx/net/netfilter" "$fx/self/ns"
echo 0 >"$fx/sys/net/netfilter/nf_conntrack_log_invalid"
echo NONE >"$fx/sys/net/netfilter/nf_log/2"; echo NONE >"$fx/sys/net/netfilter/nf_log/10"
printf ' 2 NONE (nfnetlink_log)\n10 NONE (nfnetlink_log)\n' >"$fx/net/netfilter/nf_log"
: >"$fx/self/ns/net"
fx_before=$(grep -r . "$fx/sys" | sort)
out=$(CTADM_PROC_ROOT=$fx "$CTADM" debug on 2>&1); rc=$?
check_eq "a backend not registered: exit 1 and the message" "$rc $out" \
	"1 ctadm: debug on: backend \`nf_log_ipv4' is not registered for family 2; its module (nf_log_syslog on 5.12+, nfnetlink_log) is not loaded"
check_eq "... nothing changed" "$(grep -r . "$fx/sys" | sort)" "$fx_before"
check_eq "... no state file" "$(ls "$CTADM_RUN_DIR")" ""

check_eq "another namespace is untouched" "$(nf_sysctls "$NS2")" "$ns2_before"
t_done
