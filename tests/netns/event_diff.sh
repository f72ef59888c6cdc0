#!/usr/bin/env bash
# event_diff.sh - ctadm -E against conntrack -E: both listen in the same
# namespace to the same operations (made with conntrack -I/-U/-D/-F, so that
# the test does not depend on ctadm's write path) and must print the same
# lines, up to the progname of a sender that may have exited before one of
# them looked it up.  Then ctadm's own parts: JSON, -b on the event socket,
# the count of lost events, --resync, SIGINT handling and a 200000-event
# burst received whole with the default buffer.
. "$(dirname "$0")/../lib.sh"

if ! command -v conntrack >/dev/null; then
	skip "events" "no reference conntrack"
	exit 0
fi
netns_create
T=$(mktemp -d)
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
	ip netns del "$NS" 2>/dev/null
}
trap cleanup EXIT
in_netns ip link set lo up

# listeners: the ctnetlink sockets that joined an event group.
listeners() {
	# shellcheck disable=SC2016 # an awk program
	in_netns awk '$2 == 12 && $4 != "00000000"' /proc/net/netlink | wc -l
}

# wait_listeners N: until N listeners have joined their groups.
wait_listeners() {
	local _
	for _ in $(seq 100); do
		[ "$(listeners)" -ge "$1" ] && return 0
		sleep 0.05
	done
	fail "listeners did not start" "$(listeners) of $1"
	return 1
}

# ev_start NAME PROG ARGS...: PROG -E ARGS in the namespace, output in
# $T/NAME (stderr in $T/NAME.err), its pid in $T/NAME.pid.
ev_start() {
	local name=$1 prog=$2; shift 2
	ip netns exec "$NS" "$prog" -E "$@" >"$T/$name" 2>"$T/$name.err" &
	echo $! >"$T/$name.pid"
	PIDS+=($!)
}

# ev_pair NAME ARGS...: ctadm and conntrack with the same arguments.
ev_pair() {
	local name=$1; shift
	ev_start "$name.ctadm" "$CTADM" "$@"
	ev_start "$name.ref" conntrack "$@"
}

# ev_stop NAME: SIGINT, then its exit code in $T/NAME.rc (KILL and
# "hung" if it does not stop within 5 s).
ev_stop() {
	local pid _
	pid=$(cat "$T/$1.pid")
	kill -INT "$pid"
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid"
		wait "$pid"
		echo hung >"$T/$1.rc"
		return
	fi
	wait "$pid"
	echo $? >"$T/$1.rc"
}

# settle: until the listeners' output stops growing (the kernel has queued
# every event before the command that caused it returns).
settle() {
	local prev=-1 cur _
	for _ in $(seq 50); do
		cur=$(cat "$T"/*.ctadm "$T"/*.ref 2>/dev/null | wc -c)
		[ "$cur" = "$prev" ] && return
		prev=$cur
		sleep 0.1
	done
}

# The sender's name is looked up in /proc when the event is read; a
# short-lived conntrack -I may be gone by then for one reader and not yet
# for the other.
norm() { sed -E 's/ progname=[^ ]*//' "$T/$1"; }

ct() { in_netns conntrack "$@" >/dev/null 2>&1; }

# --- the same operations seen by every variant ---
variants=(default new destroy udp dport fam addr xml save extid)
ev_pair default
ev_pair new -e NEW
ev_pair destroy -e DESTROY
ev_pair udp -p udp
ev_pair dport -p udp --dport 53
ev_pair fam -f ipv6
ev_pair addr -s 192.0.2.1 -d 192.0.2.3
ev_pair xml -o xml
ev_pair save -o save
ev_pair extid -o extended,id
ev_start json.ctadm "$CTADM" -o json,userspace,timestamp
ev_start stamp.ctadm "$CTADM" -o timestamp
ev_start stamp.ref conntrack -o timestamp
ev_start bufsize.ctadm "$CTADM" -b 1000000
wait_listeners 24 || exit 1

ct -I -p tcp -s 192.0.2.1 -d 192.0.2.2 --sport 1000 --dport 80 \
	--state ESTABLISHED -u ASSURED -t 100
ct -I -p udp -s 192.0.2.1 -d 192.0.2.3 --sport 1001 --dport 53 -t 50
ct -I -p udp -s 192.0.2.1 -d 192.0.2.3 --sport 1002 --dport 123 -t 50
ct -I -p udp -s 2001:db8::1 -d 2001:db8::2 --sport 5 --dport 53 -t 30
ct -I -p icmp -s 192.0.2.1 -d 192.0.2.4 --icmp-type 8 --icmp-code 0 \
	--icmp-id 77 -t 20
ct -U -p tcp -s 192.0.2.1 -m 5 -t 80
ct -U -p udp -s 192.0.2.1 --dport 53 -m 7
ct -D -p udp -s 192.0.2.1 --dport 123
ct -D -p udp -f ipv6
ct -F
settle
for v in "${variants[@]}"; do ev_stop "$v.ctadm"; ev_stop "$v.ref"; done
for v in json stamp bufsize; do ev_stop "$v.ctadm"; done
ev_stop stamp.ref

if [ "$(wc -l <"$T/default.ref")" -ge 10 ]; then
	pass "conntrack -E saw the operations"
else
	fail "conntrack -E saw the operations" "$(cat "$T/default.ref")"
fi
for v in default new destroy udp dport fam addr save extid; do
	if [ -s "$T/$v.ref" ]; then
		check_eq "-E $v: same lines as conntrack" "$(norm "$v.ctadm")" \
			"$(norm "$v.ref")"
	else
		fail "-E $v: conntrack saw events"
	fi
done
check_eq "-e NEW: only NEW" "$(grep -cv '^ *\[NEW\]' "$T/new.ctadm")" 0
check_eq "-e DESTROY: only DESTROY" \
	"$(grep -cv '^\[DESTROY\]' "$T/destroy.ctadm")" 0
# conntrack appends " [USERSPACE] ..." to xml events, which makes the
# document invalid; ctadm's xml leaves it out.
check_eq "-E -o xml: same document as conntrack" "$(cat "$T/xml.ctadm")" \
	"$(sed -E 's/ \[USERSPACE\].*//' "$T/xml.ref")"
check_eq "-E -o xml: the document is closed after SIGINT" \
	"$(tail -1 "$T/xml.ctadm")" "</conntrack>"

# The summary and the exit code after SIGINT.
n=$(wc -l <"$T/default.ctadm")
check_eq "-E: summary after SIGINT" "$(tail -1 "$T/default.ctadm.err")" \
	"ctadm v$("$CTADM" -V | sed 's/^ctadm v//'): $n flow events have been shown."
check_eq "-E: summary counts as conntrack does" \
	"$(tail -1 "$T/default.ctadm.err" | sed 's/^[^:]*: //')" \
	"$(tail -1 "$T/default.ref.err" | sed 's/^[^:]*: //')"
check_eq "-E: exit 0 after SIGINT" "$(cat "$T/default.ctadm.rc")" 0
check_eq "-E -e NEW: summary" "$(tail -1 "$T/new.ctadm.err" | sed 's/^[^:]*: //')" \
	"$(wc -l <"$T/new.ctadm") flow events have been shown."

# -o json: one object per event, with the sender and the arrival time.
if jq -e . "$T/json.ctadm" >/dev/null 2>&1; then pass "-E -o json: every line parses"
else fail "-E -o json: every line parses" "$(head -3 "$T/json.ctadm")"; fi
check_eq "-E -o json: the events of the text output" \
	"$(jq -r .event "$T/json.ctadm" | tr "[:lower:]" "[:upper:]")" \
	"$(sed -E 's/^ *\[([A-Z]+)\].*/\1/' "$T/default.ctadm")"
check_eq "-E -o json,userspace: portid of conntrack's events" \
	"$(jq -r 'select(.portid > 0) | .event' "$T/json.ctadm" | wc -l)" \
	"$(grep -c 'USERSPACE\] portid=' "$T/default.ctadm")"
check_eq "-E -o json,timestamp: time in ns" \
	"$(jq -r '.time | tostring | length' "$T/json.ctadm" | sort -u)" 19

# -o timestamp: "[SECONDS.MICROS]\t" ahead of the same line.
if grep -qvP '^\[\d{10}\.\d{6}\]\t' "$T/stamp.ctadm"; then
	fail "-E -o timestamp: prefix" "$(head -2 "$T/stamp.ctadm")"
else pass "-E -o timestamp: prefix"; fi
check_eq "-E -o timestamp: the lines after the prefix" \
	"$(cut -f2- "$T/stamp.ctadm" | sed -E 's/ progname=[^ ]*//')" \
	"$(cut -f2- "$T/stamp.ref" | sed -E 's/ progname=[^ ]*//')"

check_eq "-E -b: the notice" "$(head -1 "$T/bufsize.ctadm.err")" \
	"NOTICE: Netlink socket buffer size has been set to 2000000 bytes."

# --- -b applies to the socket that receives the events ---
# rcvbuf NAME: the receive buffers of NAME's netlink sockets, as ss shows
# them ("nft:ctadm/PID ... skmem:(r0,rbSIZE,...").
rcvbuf() {
	in_netns ss -H -f netlink -a -m |
		grep "ctadm/$(cat "$T/$1.pid")" | grep -o 'rb[0-9]*' | sort -u
}
ev_start b.ctadm "$CTADM" -b 300000
wait_listeners 1 || exit 1
check_eq "-E -b: the event socket has the buffer" "$(rcvbuf b.ctadm)" \
	"rb600000"
ev_stop b.ctadm
ev_start b.ctadm "$CTADM"
wait_listeners 1 || exit 1
check_eq "-E: the default buffer (64 MiB, doubled)" "$(rcvbuf b.ctadm)" \
	"rb134217728"
ev_stop b.ctadm
check_eq "-E: no notice without -b" "$(grep -c NOTICE "$T/b.ctadm.err")" 0

# --- expectations (an nft ct expectation object makes one per SYN) ---
in_netns nft -f - <<'NFT'
table inet ev {
	ct expectation e { protocol tcp; dport 6000; timeout 1h; size 8; l3proto ip; }
	chain out { type filter hook output priority 0; tcp dport 7000 ct expectation set "e"; }
}
NFT
ev_pair exp expect
wait_listeners 2 || exit 1
in_netns socat -u /dev/null TCP:127.0.0.1:7000 2>/dev/null
ct -F expect
settle
ev_stop exp.ctadm
ev_stop exp.ref
if [ -s "$T/exp.ref" ]; then
	check_eq "-E expect: same lines as conntrack" "$(norm exp.ctadm)" \
		"$(norm exp.ref)"
	check_eq "-E expect: summary" \
		"$(tail -1 "$T/exp.ctadm.err" | sed 's/^[^:]*: //')" \
		"$(wc -l <"$T/exp.ctadm") expectation events have been shown."
else
	skip "-E expect" "no expectation was made"
fi
in_netns nft delete table inet ev
ct -F

# --- errors: usage (exit 2) and no subscription ---
check_rc "-E -e FOO: exit 2" 2 in_netns "$CTADM" -E -e FOO
check_rc "-E -b abc: exit 2" 2 in_netns "$CTADM" -E -b abc
check_eq "-E -b abc: no socket left behind" "$(listeners)" 0
err=$(in_netns setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all --bounding-set=-all "$CTADM" -E 2>&1)
rc=$?
check_eq "-E without CAP_NET_ADMIN: exit 1" "$rc" 1
case $err in "ctadm: -E: "*) pass "-E without CAP_NET_ADMIN: message" ;;
	*) fail "-E without CAP_NET_ADMIN: message" "$err" ;; esac

# --- lost events are counted; --resync lists the table afterwards ---
seq 0 1999 | awk '{ printf "-I -p udp -s 198.51.%d.%d -d 203.0.113.1 --sport 9 --dport 9 -t 600\n", $1 / 256, $1 % 256 }' >"$T/small"
ev_start lost.ctadm "$CTADM" -e NEW -b 20000 --resync
wait_listeners 1 || exit 1
lpid=$(cat "$T/lost.ctadm.pid")
kill -STOP "$lpid"
in_netns conntrack -R "$T/small" >/dev/null 2>&1
kill -CONT "$lpid"
settle
ev_stop lost.ctadm
shown=$(grep -c '^ *\[NEW\]' "$T/lost.ctadm")
lost=$(sed -nE 's/^ctadm: warning: ([0-9]+) events lost.*/\1/p' "$T/lost.ctadm.err" |
	awk '{ s += $1 } END { print s + 0 }')
if [ "$lost" -gt 0 ]; then pass "-E: a loss is reported ($lost lost)"
else fail "-E: a loss is reported" "$(cat "$T/lost.ctadm.err")"; fi
check_eq "-E: shown + lost = sent" "$((shown + lost))" 2000
if grep -q '^ctadm: resync: ' "$T/lost.ctadm.err"; then pass "--resync: announced"
else fail "--resync: announced" "$(cat "$T/lost.ctadm.err")"; fi
check_eq "--resync: the table is listed" \
	"$(grep -vc '^ *\[NEW\]' "$T/lost.ctadm")" \
	"$(in_netns conntrack -C)"
check_eq "--resync: exit 0 after SIGINT" "$(cat "$T/lost.ctadm.rc")" 0
ct -F

# --- a burst of 200000 NEW events, received whole by default ---
seq 0 199999 | awk '{ printf "-I -p udp -s 10.%d.%d.%d -d 10.200.0.1 --sport 1000 --dport 53 -t 600\n", $1 / 65536, $1 / 256 % 256, $1 % 256 }' >"$T/burst"
ev_start burst.ctadm "$CTADM" -e NEW
ev_start burst.ref conntrack -e NEW
wait_listeners 2 || exit 1
ip netns exec "$NS" conntrack -R "$T/burst" >/dev/null 2>&1 &
rpid=$!
wait "$rpid"
for _ in $(seq 100); do
	[ "$(wc -l <"$T/burst.ctadm")" -ge 200000 ] && break
	sleep 0.1
done
ev_stop burst.ctadm
ev_stop burst.ref
got=$(wc -l <"$T/burst.ctadm")
ref=$(wc -l <"$T/burst.ref")
echo "info: burst of 200000 NEW events: ctadm -E received $got, conntrack -E $ref"
check_eq "-E: a burst of 200000 events, received whole" "$got" 200000
check_eq "-E: no loss reported in the burst" \
	"$(grep -c 'lost' "$T/burst.ctadm.err")" 0
# conntrack -R sends its lines at the end of its input, from one socket
# bound to its pid, and stays while the burst lasts: its name is found.
check_eq "-E: the sender's portid and progname" \
	"$(grep -o 'portid=.*' "$T/burst.ctadm" | sort | uniq -c | sed 's/^ *//')" \
	"200000 portid=$rpid progname=conntrack"
t_done
