# tests/netns/corpus.sh - sourceable: builds the integration-test corpus of
# shellcheck shell=bash
# conntrack entries and expectations inside a network namespace.
#
#   corpus_load NS      fills namespace NS (from netns_create in tests/lib.sh)
#   ns_exec NS CMD...   runs CMD in NS, with tests/netns/connlabel.conf visible
#                       as /etc/xtables/connlabel.conf and /etc/connlabel.conf
#   corpus_cleanup      kills the traffic helpers, removes the temporary files
#
# Synthetic entries are made by $CREATE (default conntrack) -I, so that ctadm -I
# can take over by setting CREATE.  Real traffic over lo adds counters,
# timestamps, helper-made expectations and kernel-chosen states; it is then
# frozen by an nft drop rule ahead of conntrack, so no packet changes the corpus
# afterwards.  Every timeout is a day or more: nothing expires during a run.
CREATE=${CREATE:-conntrack}
CORPUS_DIR=
CORPUS_PIDS=()
CORPUS_FAILED=0
CORPUS_DAY=86400

# ns_exec NS CMD...: the overlay is read-only (two lower layers), so any
# number of concurrent mounts of it may exist; the mount lives and dies with
# the private mount namespace that ip netns exec already gives each command.
ns_exec() {
	local ns=$1; shift
	# shellcheck disable=SC2016 # expanded by the inner sh
	ip netns exec "$ns" unshare -m --propagation private sh -c \
		'mount -t overlay ctadm-etc -o "lowerdir=$0:/etc" /etc && exec "$@"' \
		"$CORPUS_DIR/etc" "$@"
}

corpus_cleanup() {
	local p
	# socat's SYSTEM: children outlive socat; all of them live in the
	# namespace.
	[ -n "${CORPUS_NS:-}" ] && ip netns pids "$CORPUS_NS" 2>/dev/null | xargs -r kill 2>/dev/null
	for p in "${CORPUS_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${CORPUS_PIDS[@]}"; do wait "$p" 2>/dev/null; done
	CORPUS_PIDS=()
	[ -n "$CORPUS_DIR" ] && rm -rf "$CORPUS_DIR"
	CORPUS_DIR=
}

# ct_add [-o] ARGS...: one synthetic entry; -o marks it optional (the kernel
# may lack the protocol), a failure of the others is counted and shown.
ct_add() {
	local optional=0 err
	[ "$1" = -o ] && { optional=1; shift; }
	if ! err=$(ns_exec "$CORPUS_NS" "$CREATE" -I "$@" 2>&1 >/dev/null); then
		[ "$optional" = 1 ] && return 0
		CORPUS_FAILED=$((CORPUS_FAILED + 1))
		printf 'corpus: %s -I %s: %s\n' "$CREATE" "$*" "$err" >&2
	fi
}

# Per-netns sysctls (checked: on this kernel acct, timestamp and the protocol
# timeouts live in each namespace; nf_conntrack_max is global and read-only
# outside the initial one).
corpus_sysctls() {
	local k
	ns_exec "$CORPUS_NS" sysctl -qw net.netfilter.nf_conntrack_acct=1 \
		net.netfilter.nf_conntrack_timestamp=1 || return 1
	for k in udp_timeout udp_timeout_stream icmp_timeout icmpv6_timeout \
		tcp_timeout_time_wait tcp_timeout_close tcp_timeout_syn_sent \
		generic_timeout; do
		ns_exec "$CORPUS_NS" sysctl -qw "net.netfilter.nf_conntrack_$k=$CORPUS_DAY" || return 1
	done
}

# The ftp helper makes expectations from PORT/EPSV; the ct expectation object
# makes one with a long timeout; the ct label rule makes the kernel attach the
# label extension to new entries (without it --label-add is ignored).
corpus_nft() {
	ns_exec "$CORPUS_NS" nft -f - <<'NFT'
table inet ctadm_corpus {
	ct helper ftp-std { type "ftp" protocol tcp; }
	ct expectation exp4 { protocol tcp; dport 6000; timeout 3h; size 8; l3proto ip; }
	chain out {
		type filter hook output priority 0;
		tcp dport 21 ct helper set "ftp-std"
		ip daddr 127.0.0.1 tcp dport 7000 ct expectation set "exp4"
		ct label beta counter
		ip protocol 253 ct label set gamma
	}
}
NFT
}

corpus_freeze() {
	ns_exec "$CORPUS_NS" nft -f - <<'NFT'
table inet ctadm_freeze {
	chain out { type filter hook output priority -400; drop; }
	chain pre { type filter hook prerouting priority -400; drop; }
}
NFT
}

# corpus_bg CMD...: a traffic helper left running until the freeze.
corpus_bg() {
	ip netns exec "$CORPUS_NS" "$@" >/dev/null 2>&1 &
	CORPUS_PIDS+=($!)
}

# corpus_wait_listeners N: until N sockets listen (a client started before its
# server would be refused, and its entry and expectation would be missing).
corpus_wait_listeners() {
	local i
	for i in $(seq 50); do
		[ "$(ip netns exec "$CORPUS_NS" ss -Hltnu | wc -l)" -ge "$1" ] && return 0
		sleep 0.1
	done
	echo "corpus: traffic servers did not start" >&2
	return 1
}

# Clients and servers keep their sockets open (sleep) so that the entries
# stay ESTABLISHED until the freeze; the closed exchanges give CLOSE.  The
# IPv6 ftp session's EPRT makes an IPv6 expectation, which conntrack 1.4.7
# lists only with -f ipv6 (its expect dump asks for IPv4 by default).
corpus_traffic() {
	corpus_bg socat TCP-LISTEN:21,bind=127.0.0.1 SYSTEM:"printf '220 hi\\r\\n'; sleep 600"
	corpus_bg socat "TCP6-LISTEN:21,bind=[::1]" SYSTEM:"printf '220 hi\\r\\n'; sleep 600"
	corpus_bg socat TCP-LISTEN:8080,bind=127.0.0.1,fork SYSTEM:"head -c 1000 /dev/zero; sleep 600"
	corpus_bg socat "TCP6-LISTEN:8443,bind=[::1]" SYSTEM:"head -c 3000 /dev/zero; sleep 600"
	corpus_bg socat TCP-LISTEN:7000,bind=127.0.0.1 SYSTEM:"sleep 600"
	corpus_bg socat UDP-LISTEN:5353,bind=127.0.0.1 SYSTEM:"echo pong; sleep 600"
	corpus_wait_listeners 6
	corpus_bg sh -c '{ printf "USER a\r\n"; sleep 0.1; printf "PORT 127,0,0,1,200,10\r\n"; sleep 600; } | socat - TCP:127.0.0.1:21'
	corpus_bg sh -c '{ printf "USER a\r\n"; sleep 0.1; printf "EPRT |2|::1|6446|\r\n"; sleep 600; } | socat - TCP6:[::1]:21'
	corpus_bg sh -c '{ head -c 500 /dev/zero; sleep 600; } | socat - TCP:127.0.0.1:8080'
	corpus_bg sh -c '{ head -c 200 /dev/zero; sleep 600; } | socat - TCP6:[::1]:8443'
	corpus_bg sh -c 'sleep 600 | socat - TCP:127.0.0.1:7000'
	corpus_bg sh -c '{ echo ping; sleep 600; } | socat - UDP:127.0.0.1:5353'
	ip netns exec "$CORPUS_NS" sh -c '
		echo x | socat -u - UDP6-SENDTO:[::1]:7002
		echo x | socat -u - UDP-SENDTO:127.0.0.1:9999
		socat -u /dev/null TCP:127.0.0.1:8080
		ping -c 2 -i 0.2 -q 127.0.0.1
		ping -6 -c 3 -i 0.2 -q ::1
		echo raw | socat -u - IP4-SENDTO:127.0.0.1:253
		echo raw | socat -u - IP6-SENDTO:[::1]:253
	' >/dev/null 2>&1
	# The ftp server sometimes resets before the PORT command (about one
	# run in six, cause unknown): a missing expectation is only reported.
	corpus_wait_expect 2
	sleep 0.5
}

# corpus_wait_expect N: until the helpers have made N expectations.
corpus_wait_expect() {
	local i
	for i in $(seq 30); do
		[ "$(ns_exec "$CORPUS_NS" conntrack -L expect 2>/dev/null | wc -l)" -ge "$1" ] && return 0
		sleep 0.1
	done
	echo "corpus: warning: fewer than $1 expectations" >&2
}

# corpus_synthetic: entries made with $CREATE -I, one of each kind the
# formatters and filters must handle.
corpus_synthetic() {
	local t=$CORPUS_DAY st i=0
	local -a tcp4=(-p tcp -s 10.0.0.1 -d 10.0.0.2) tcp6=(-p tcp -s 2001:db8::1 -d 2001:db8::2)
	for st in SYN_SENT SYN_RECV ESTABLISHED FIN_WAIT CLOSE_WAIT LAST_ACK TIME_WAIT CLOSE; do
		i=$((i + 1))
		ct_add "${tcp4[@]}" --sport $((1000 + i)) --dport 443 --state "$st" -t $t
		ct_add "${tcp6[@]}" --sport $((1000 + i)) --dport 80 --state "$st" -t $t
	done
	ct_add "${tcp4[@]}" --sport 2001 --dport 443 --state ESTABLISHED -u SEEN_REPLY,ASSURED -m 5 -t $t
	ct_add "${tcp4[@]}" --sport 2002 --dport 443 --state ESTABLISHED -u SEEN_REPLY -m 0x10 -t $t
	ct_add "${tcp4[@]}" --sport 2003 --dport 443 --state ESTABLISHED -u ASSURED -m 4294967295 -t $t
	ct_add "${tcp6[@]}" --sport 2004 --dport 443 --state ESTABLISHED -u SEEN_REPLY,ASSURED -m 21 -t $t
	ct_add -p udp -s 10.0.0.1 -d 10.0.0.3 --sport 53000 --dport 53 -t $t
	ct_add -p udp -s 10.0.0.1 -d 10.0.0.3 --sport 53001 --dport 53 -u SEEN_REPLY -t $t
	ct_add -p udp -s 2001:db8::1 -d 2001:db8::3 --sport 53000 --dport 53 -u SEEN_REPLY,ASSURED -t $t
	ct_add -p udplite -s 10.0.0.1 -d 10.0.0.4 --sport 4000 --dport 4001 -t $t
	ct_add -p udplite -s 2001:db8::1 -d 2001:db8::4 --sport 4000 --dport 4001 -t $t
	ct_add -p icmp -s 10.0.0.1 -d 10.0.0.5 --icmp-type 8 --icmp-code 0 --icmp-id 77 -t $t
	ct_add -p icmp -s 10.0.0.1 -d 10.0.0.5 --icmp-type 13 --icmp-code 0 --icmp-id 78 -t $t
	ct_add -p icmpv6 -s 2001:db8::1 -d 2001:db8::5 --icmpv6-type 128 --icmpv6-code 0 --icmpv6-id 77 -t $t
	i=0
	for st in CLOSED COOKIE_WAIT COOKIE_ECHOED ESTABLISHED SHUTDOWN_SENT SHUTDOWN_RECD SHUTDOWN_ACK_SENT HEARTBEAT_SENT; do
		i=$((i + 1))
		# HEARTBEAT_SENT is gone from recent kernels.
		ct_add -o -p sctp -s 10.0.0.1 -d 10.0.0.6 --sport $((3000 + i)) --dport 36412 --state "$st" \
			--orig-vtag $((100 + i)) --reply-vtag $((200 + i)) -t $t
	done
	ct_add -p sctp -s 2001:db8::1 -d 2001:db8::6 --sport 3000 --dport 36412 --state ESTABLISHED \
		--orig-vtag 0xdeadbeef --reply-vtag 1 -u SEEN_REPLY,ASSURED -t $t
	ct_add -o -p dccp -s 10.0.0.1 -d 10.0.0.7 --sport 5000 --dport 5001 --state OPEN --role client -t $t
	ct_add -p gre -s 10.0.0.1 -d 10.0.0.8 --srckey 5 --dstkey 6 -t $t
	ct_add -p gre -s 2001:db8::1 -d 2001:db8::8 --srckey 0x12345678 --dstkey 0xffffffff -t $t
	ct_add -p 99 -s 10.0.0.1 -d 10.0.0.9 -t $t
	ct_add -p 250 -s 2001:db8::1 -d 2001:db8::9 -m 7 -t $t
	corpus_synthetic_nat
	corpus_synthetic_zones
}

corpus_synthetic_nat() {
	local t=$CORPUS_DAY
	ct_add -p tcp -s 192.168.1.10 -d 203.0.113.5 --sport 40000 --dport 443 --state ESTABLISHED \
		-u SEEN_REPLY,ASSURED --src-nat 198.51.100.1 -t $t
	ct_add -p tcp -s 192.168.1.11 -d 203.0.113.5 --sport 40001 --dport 443 --state ESTABLISHED \
		--src-nat 198.51.100.1:61000 -t $t
	ct_add -p udp -s 203.0.113.9 -d 198.51.100.1 --sport 5060 --dport 5060 \
		--dst-nat 192.168.1.20 -t $t
	ct_add -p tcp -s 203.0.113.9 -d 198.51.100.1 --sport 40002 --dport 80 --state SYN_RECV \
		--dst-nat 192.168.1.21:8080 -t $t
	ct_add -p tcp -s 192.168.1.12 -d 203.0.113.6 --sport 40003 --dport 22 --state ESTABLISHED \
		--src-nat 198.51.100.2 --dst-nat 192.168.1.22 -t $t
	ct_add -p tcp -s fd00::10 -d 2001:db8:f::5 --sport 40004 --dport 443 --state ESTABLISHED \
		--src-nat 2001:db8:1::1 -t $t
	ct_add -p tcp -s 2001:db8:f::9 -d 2001:db8:1::1 --sport 40005 --dport 443 --state ESTABLISHED \
		--dst-nat fd00::20 -t $t
}

# A kernel quirk: one directional zone at most, and only without -w.
corpus_synthetic_zones() {
	local t=$CORPUS_DAY
	ct_add -p tcp -s 10.1.0.1 -d 10.1.0.2 --sport 100 --dport 443 --state ESTABLISHED -w 3 -m 5 -t $t
	ct_add -p tcp -s 10.1.0.1 -d 10.1.0.2 --sport 101 --dport 443 --state ESTABLISHED -w 65535 -t $t
	ct_add -p tcp -s 10.1.0.1 -d 10.1.0.2 --sport 102 --dport 443 --state ESTABLISHED --orig-zone 4 -t $t
	ct_add -p tcp -s 10.1.0.1 -d 10.1.0.2 --sport 103 --dport 443 --state ESTABLISHED --reply-zone 5 -t $t
	ct_add -p udp -s fd00::1 -d fd00::2 --sport 100 --dport 53 -w 3 -t $t
	ct_add -p tcp -s 10.2.0.1 -d 10.2.0.2 --sport 100 --dport 443 --state ESTABLISHED --label-add alpha -t $t
	ct_add -p tcp -s 10.2.0.1 -d 10.2.0.2 --sport 101 --dport 443 --state ESTABLISHED --label-add alpha,gamma,omega -t $t
	ct_add -p udp -s fd00::3 -d fd00::4 --sport 101 --dport 53 --label-add delta -m 9 -t $t
}

corpus_load() {
	CORPUS_NS=$1
	CORPUS_FAILED=0
	CORPUS_DIR=$(mktemp -d /tmp/ctadm-corpus.XXXXXX) || return 1
	mkdir -p "$CORPUS_DIR/etc/xtables"
	cp "$TESTS_DIR/netns/connlabel.conf" "$CORPUS_DIR/etc/xtables/connlabel.conf"
	cp "$TESTS_DIR/netns/connlabel.conf" "$CORPUS_DIR/etc/connlabel.conf"
	ip -n "$CORPUS_NS" link set lo up
	corpus_sysctls || return 1
	corpus_nft || return 1
	corpus_traffic || return 1
	corpus_freeze || return 1
	corpus_synthetic
	[ "$CORPUS_FAILED" -eq 0 ]
}
