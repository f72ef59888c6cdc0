#!/usr/bin/env bash
# diagnose_scenarios.sh - ctadm diagnose against real faults made in
# network namespaces: a healthy table under churn (no findings, 20 times),
# conntrack not active, a stuck dying list held by a listener that does not
# read, entries left unconfirmed by an NFQUEUE nobody answers, NAT without
# an invalid-drop rule, legacy iptables tables, log_invalid without a
# backend, a nearly full table; the JSON and Prometheus renderings; usage
# errors.
. "$(dirname "$0")/../lib.sh"

command -v jq >/dev/null || { skip diagnose_scenarios "no jq"; exit 0; }
HELPER_DIR=${HELPER_DIR:-$(dirname "$CTADM")/tests/helpers}
T=$(mktemp -d)
pids=()
netns_create
# The helpers run in the namespace: they must not outlive the test.
cleanup() {
	[ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
	wait 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
in_netns ip link set lo up

# diag ARGS...: diagnose in the namespace, quick sampling; sets $out, $rc.
diag() {
	out=$(in_netns "$CTADM" diagnose --samples 3 --interval 0.3 "$@" 2>&1)
	rc=$?
}
# ids of the findings of a JSON run, "id:severity" one a line, sorted.
ids() { jq -r '.findings[] | "\(.id):\(.severity)"' <<<"$out" | sort -u; }
has_id() { grep -qx "$1" <<<"$(ids)"; }
# ev ID KEY: the evidence KEY of the finding ID, each value on a line
# (a key given several times, one listener or queue each, is an array).
ev() {
	jq -r --arg id "$1" --arg k "$2" '.findings[] | select(.id == $id) |
		.evidence[$k] | if type == "array" then .[] else . end' <<<"$out"
}
count() { in_netns "$CTADM" -C; }
# listed TABLE: the entries a dump of TABLE shows (conntrack, dying, ...).
listed() { in_netns "$CTADM" -L "$1" 2>/dev/null | wc -l; }

# helper_start NAME ARGS...: a test helper in the namespace, in the
# background; returns once it says "ready", its pid in $hpid.  ip netns
# exec execs the helper, so $! is the helper itself.
helper_start() {
	ip netns exec "$NS" "$HELPER_DIR/$1" "${@:2}" >"$T/$1.log" 2>&1 &
	hpid=$!
	pids+=("$hpid")
	for _ in $(seq 50); do
		grep -q '^ready' "$T/$1.log" && return 0
		kill -0 "$hpid" 2>/dev/null || break
		sleep 0.1
	done
	fail "$1 starts" "$(cat "$T/$1.log")"
	return 1
}
# job_stop PID: ends a background job of this test and forgets it.
job_stop() {
	local p keep=()
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	for p in "${pids[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
	pids=("${keep[@]}")
}
# eventually WANT CMD...: CMD prints WANT within 5 s (what the kernel
# does after a helper exits happens in a worker, a little later).
eventually() {
	local want=$1; shift
	for _ in $(seq 50); do
		[ "$("$@")" = "$want" ] && return 0
		sleep 0.1
	done
	return 1
}

# --- conntrack not active --------------------------------------------------
diag -o json
check_eq "inactive: exit 0" "$rc" 0
check_eq "inactive: conntrack-inactive only" "$(ids)" "conntrack-inactive:info"

# --- usage errors change nothing ------------------------------------------
for args in "--samples 0" "--samples x" "--interval 0" "--interval abc" \
	"--interval 1s" "-o xml" "-o prometheus,json" "extra" "--all-netns --netns $NS" \
	"--count 3" "--backend syslog"; do
	# shellcheck disable=SC2086 # the words are the arguments
	check_rc "diagnose $args: usage error" 2 "$CTADM" diagnose $args
done
check_rc "-L --samples is not a conntrack option" 2 "$CTADM" -L --samples 3
msg=$("$CTADM" diagnose --interval 0 2>&1)
check_eq "--interval 0: the message says why" "$msg" "ctadm: --interval: \`0' is not a number of seconds from 0.001 to 3600
Try \`ctadm -h' for more information."

# --- a healthy namespace under churn: no findings but info, 20 times ------
in_netns nft -f - <<'EOF'
table inet t {
	chain out {
		type filter hook output priority 0;
		ct state new counter
	}
}
EOF
in_netns sysctl -qw net.netfilter.nf_conntrack_udp_timeout=1 \
	net.netfilter.nf_conntrack_udp_timeout_stream=1
ip netns exec "$NS" bash -c 'while :; do for p in {20000..20100}; do echo >/dev/udp/127.0.0.1/$p; done 2>/dev/null; done' &
churn=$!
pids+=("$churn")
sleep 1
# Nothing is wrong here: any warning is false, and so is any info but the
# table's usage and statistics a busy table moves (search_restart,
# clash_resolve).
false_findings() {
	jq -c '.findings[] | select(.severity != "info" or
		(.id != "table-usage" and .id != "stats-delta"))' <<<"$out"
}
# nf_conntrack_max is global: another test on this machine that lowers it
# for a moment (older copies of this one did) fills this table, truly.  A
# watcher marks each moment it differs, and a run that failed while it
# did is taken again.
MAXF=/proc/sys/net/netfilter/nf_conntrack_max
max0=$(cat $MAXF)
(while :; do [ "$(cat $MAXF)" = "$max0" ] || : >"$T/max_changed"; sleep 0.05; done) &
watcher=$!
pids+=("$watcher")
bad=0 retaken=0 i=0
while [ "$i" -lt 20 ]; do
	rm -f "$T/max_changed"
	diag -o json
	if [ "$rc" -ne 0 ] || [ -n "$(false_findings)" ]; then
		if [ -e "$T/max_changed" ] && [ "$retaken" -lt 10 ]; then
			retaken=$((retaken + 1))
			continue
		fi
		bad=$((bad + 1))
		fail "healthy run $i: exit $rc" "$(false_findings)"
	fi
	i=$((i + 1))
done
[ "$bad" -eq 0 ] && pass "healthy with churn: exit 0 and no false findings, 20 times"
check_eq "healthy: the table is in use" "$(jq '.metrics[0].count > 0' <<<"$out")" true
job_stop "$watcher"
job_stop "$churn"

# --- the renderings --------------------------------------------------------
diag -o json
check_eq "json: one document with the schema's keys" \
	"$(jq -c 'keys' <<<"$out")" '["findings","kernel","metrics","netns","samples","schema_version"]'
check_eq "json: samples" "$(jq -c .samples <<<"$out")" '{"count":3,"interval_ms":300}'
check_eq "json: every finding has id, severity, summary, evidence, remedy" \
	"$(jq '[.findings[] | has("id") and has("severity") and has("summary") and has("evidence") and has("remedy")] | all' <<<"$out")" true

# prom_check: the text exposition format, by its grammar: HELP and TYPE
# before a family's samples, names and labels well formed, numbers, no
# series twice.
prom_check() {
	awk '
	/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* / { help[$3] = 1; next }
	/^# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (gauge|counter|untyped)$/ { type[$3] = 1; next }
	/^#/ { print "bad comment: " $0; bad = 1; next }
	{
		if ($0 !~ /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? -?[0-9.e+]+$/) {
			print "bad sample: " $0; bad = 1; next
		}
		name = $0; sub(/[{ ].*/, "", name)
		if (!type[name] || !help[name]) { print "no HELP/TYPE: " name; bad = 1 }
		series = $0; sub(/ [^ ]*$/, "", series)
		if (seen[series]++) { print "twice: " series; bad = 1 }
	}
	END { exit bad }'
}
diag -o prometheus
check_eq "prometheus: exit 0" "$rc" 0
check_eq "prometheus: the format parses" "$(prom_check <<<"$out" 2>&1)" ""
check_eq "prometheus: findings by severity" \
	"$(grep -c '^ctadm_diagnose_findings{severity=' <<<"$out")" 3
if command -v promtool >/dev/null; then
	check_rc "promtool check metrics" 0 promtool check metrics <<<"$out"
fi

# --- log_invalid on, no backend -------------------------------------------
in_netns sh -c 'echo 6 >/proc/sys/net/netfilter/nf_conntrack_log_invalid; echo NONE >/proc/sys/net/netfilter/nf_log/2'
diag -o json
check_eq "log_invalid without a backend: exit 3" "$rc" 3
has_id "invalid-not-logged:warning" && pass "invalid-not-logged found" ||
	fail "invalid-not-logged found" "$(ids)"
check_eq "it names the family" \
	"$(jq -r '.findings[] | select(.id == "invalid-not-logged") | .evidence.family' <<<"$out")" ipv4
diag
grep -q "ctadm nflog ipv4 nf_log_ipv4" <<<"$out" && pass "text: the remedy is a command" ||
	fail "text: the remedy is a command" "$out"
grep -q $'\033' <<<"$out" && fail "text: no colour off a terminal" || pass "text: no colour off a terminal"
in_netns sh -c 'echo 0 >/proc/sys/net/netfilter/nf_conntrack_log_invalid'

# --- a stuck dying list ----------------------------------------------------
# A listener that asked for reliable delivery and never reads: once its
# tiny buffer is full, the destroy events of a flush cannot be delivered
# and the kernel keeps the 1000 entries on the dying list, counted.
in_netns "$CTADM" -F >/dev/null 2>&1
in_netns sysctl -qw net.netfilter.nf_conntrack_events=1
# entries N: -R lines for N UDP entries from 10.x.y.z to 10.255.0.1:53.
entries() {
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
		printf "-I -p udp -s 10.%d.%d.%d -d 10.255.0.1 --sport 1000 --dport 53 -t 300\n",
			int(i / 65536), int(i / 256) % 256, i % 256 }'
}
if helper_start ct_stuck_listener; then
	lpid=$hpid
	entries 1000 | in_netns "$CTADM" -R -
	check_eq "stuck: 1000 entries made" "$(count)" 1000
	in_netns "$CTADM" -F >/dev/null 2>&1
	check_eq "stuck: flushed, yet still counted" "$(count):$(listed conntrack)" 1000:0
	check_eq "stuck: all of them on the dying list" "$(listed dying)" 1000
	diag -o json
	[ "$rc" -ge 3 ] && pass "stuck: exit >= 3" || fail "stuck: exit >= 3" "exit $rc"
	has_id "dying-entries:warning" && pass "stuck: dying-entries" || fail "stuck: dying-entries" "$(ids)"
	has_id "stuck-dying:warning" && pass "stuck: stuck-dying" || fail "stuck: stuck-dying" "$(ids)"
	check_eq "stuck: dying-entries counts them" "$(ev dying-entries dying)" 1000
	check_eq "stuck: stuck-dying counts them" "$(ev stuck-dying stuck)" 1000
	check_eq "stuck: the mismatch is the dying list, nothing unexplained" \
		"$(ev count-list-mismatch count):$(ev count-list-mismatch on_dying_list):$(ev count-list-mismatch unexplained)" \
		1000:1000:0
	listener=$(ev stuck-dying listener)
	grep -q "pid $lpid (ct_stuck_listen" <<<"$listener" && pass "stuck: the listener found, by pid and comm" ||
		fail "stuck: the listener found, by pid and comm" "pid $lpid: $listener"
	grep -q "NETLINK_BROADCAST_ERROR" <<<"$listener" && pass "stuck: the listener's reliable delivery shown" ||
		fail "stuck: the listener's reliable delivery shown" "$listener"
	has_id "event-listener-drops:warning" && pass "stuck: event-listener-drops" ||
		fail "stuck: event-listener-drops" "$(ids)"
	# Drops grow while the kernel retries: /proc, read later, has more.
	portid=$(sed -n 's/^ready portid=//p' "$T/ct_stuck_listener.log")
	drops=$(in_netns awk -v p="$portid" '$2 == 12 && $3 == p { print $9 }' /proc/net/netlink)
	[ "$(ev event-listener-drops drops)" -gt 0 ] && [ "$(ev event-listener-drops drops)" -le "${drops:-0}" ] &&
		pass "stuck: the listener's drops, as /proc/net/netlink has them" ||
		fail "stuck: the listener's drops, as /proc/net/netlink has them" \
			"finding $(ev event-listener-drops drops), /proc later: $drops"
	job_stop "$lpid"
	eventually 0 count && pass "stuck: the listener gone, the entries are freed" ||
		fail "stuck: the listener gone, the entries are freed" "count $(count)"
	diag -o json
	check_eq "stuck: the listener gone, exit 0" "$rc" 0
	check_eq "stuck: the listener gone, no dying or listener finding" \
		"$(ids | grep -E '^(dying-entries|stuck-dying|event-listener-drops|count-list-mismatch):')" ""
fi

# --- entries left unconfirmed by NFQUEUE -----------------------------------
# The first packet of each flow is queued to a program that never gives a
# verdict: its entry is counted but unconfirmed, in no dump (since 5.19
# there is no unconfirmed list to dump).
in_netns "$CTADM" -F >/dev/null 2>&1
in_netns iptables -A OUTPUT -p udp --dport 7000:7019 -m conntrack --ctstate NEW \
	-j NFQUEUE --queue-num 7
queue_total() { in_netns awk '$1 == 7 { print $3 }' /proc/net/netfilter/nfnetlink_queue; }
if helper_start nfq_hold 7; then
	qpid=$hpid
	in_netns bash -c 'for p in {7000..7019}; do echo x >/dev/udp/127.0.0.1/$p; done'
	eventually 20 queue_total && pass "nfqueue: 20 packets wait for a verdict" ||
		fail "nfqueue: 20 packets wait for a verdict" "$(queue_total)"
	check_eq "nfqueue: counted 20, every dump empty" \
		"$(count):$(listed conntrack):$(listed dying):$(listed unconfirmed)" 20:0:0:0
	diag -o json
	[ "$rc" -ge 3 ] && pass "nfqueue: exit >= 3" || fail "nfqueue: exit >= 3" "exit $rc"
	has_id "count-list-mismatch:warning" && pass "nfqueue: count-list-mismatch" ||
		fail "nfqueue: count-list-mismatch" "$(ids)"
	check_eq "nfqueue: the mismatch is attributed to NFQUEUE" \
		"$(ev count-list-mismatch count):$(ev count-list-mismatch listed):$(ev count-list-mismatch queued_to_nfqueue):$(ev count-list-mismatch on_dying_list):$(ev count-list-mismatch unexplained)" \
		20:0:20:0:0
	has_id "unconfirmed-invisible:warning" && pass "nfqueue: unconfirmed-invisible" ||
		fail "nfqueue: unconfirmed-invisible" "$(ids)"
	check_eq "nfqueue: unconfirmed-invisible has the queue's total" \
		"$(ev unconfirmed-invisible invisible_entries):$(ev unconfirmed-invisible nfqueue_waiting)" \
		"20:$(queue_total)"
	grep -q "^7: 20 waiting, portid [0-9]*, pid $qpid (nfq_hold)$" <<<"$(ev unconfirmed-invisible queue)" &&
		pass "nfqueue: the queue and its program named" ||
		fail "nfqueue: the queue and its program named" "pid $qpid: $(ev unconfirmed-invisible queue)"
	has_id "kernel-unconfirmed-dump:info" && pass "nfqueue: the kernel fact told" ||
		fail "nfqueue: the kernel fact told" "$(ids)"
	job_stop "$qpid"
	eventually 0 count && pass "nfqueue: the program gone, the packets and entries too" ||
		fail "nfqueue: the program gone, the packets and entries too" "count $(count)"
	diag -o json
	check_eq "nfqueue: the program gone, exit 0" "$rc" 0
	check_eq "nfqueue: the program gone, no mismatch or unconfirmed finding" \
		"$(ids | grep -E '^(count-list-mismatch|unconfirmed-invisible|kernel-unconfirmed-dump):')" ""
fi
in_netns iptables -F OUTPUT

# --- NAT without a rule dropping ct state invalid -------------------------
in_netns nft -f - <<'EOF'
table ip nat {
	chain postrouting {
		type nat hook postrouting priority srcnat;
		oifname "lo" masquerade
	}
}
EOF
diag -o json
check_eq "nat: exit 3" "$rc" 3
has_id "nat-invalid-leak:warning" && pass "nat: nat-invalid-leak" || fail "nat: nat-invalid-leak" "$(ids)"
check_eq "nat: the NAT chain named" "$(ev nat-invalid-leak nat)" "ip nat postrouting"
in_netns nft -f - <<'EOF'
table inet filter {
	chain forward {
		type filter hook forward priority 0;
		ct state invalid drop
	}
	chain output {
		type filter hook output priority 0;
		ct state invalid drop
	}
}
EOF
diag -o json
check_eq "nat: with the invalid-drop rules, exit 0" "$rc" 0
check_eq "nat: with the invalid-drop rules, no nat-invalid-leak" "$(ids | grep '^nat-invalid-leak:')" ""
in_netns nft flush ruleset

# --- a table nearly full ---------------------------------------------------
# nf_conntrack_max is global but each namespace's count is held against it
# on its own: filling this namespace disturbs nobody (lowering the limit
# would drop the host's and every concurrent test's new connections).
max=$(cat $MAXF)
if [ "$max" -gt 1100000 ]; then
	skip "a nearly full table" "nf_conntrack_max is $max, too many entries to make"
else
	n=$((max * 97 / 100))
	entries "$n" | in_netns "$CTADM" -R -
	diag -o json
	# Concurrent tests on this machine may raise the limit for a while.
	if [ "$(cat $MAXF)" != "$max" ]; then
		skip "a nearly full table" "nf_conntrack_max changed meanwhile"
	else
		check_eq "97 % of nf_conntrack_max: exit 4" "$rc" 4
		has_id "table-usage:critical" && pass "table-usage critical" || fail "table-usage critical" "$(ids)"
		check_eq "table-usage evidence" \
			"$(jq -c '.findings[] | select(.id == "table-usage") | .evidence | [.count, .max, .percent, .not_assured]' <<<"$out")" \
			"[$n,$max,$((n * 100 / max)),$n]"
	fi
	in_netns "$CTADM" -F >/dev/null 2>&1
fi

# --- legacy iptables tables are not inspected ------------------------------
if command -v iptables-legacy >/dev/null && in_netns iptables-legacy -t filter -L -n >/dev/null 2>&1; then
	diag -o json
	has_id "legacy-iptables:info" && pass "legacy: legacy-iptables reported" ||
		fail "legacy: legacy-iptables reported" "$(ids)"
	check_eq "legacy: the table named" "$(ev legacy-iptables tables)" "ip:filter"
else
	skip "legacy iptables tables" "no iptables-legacy, or no x_tables in this kernel"
fi

t_done
