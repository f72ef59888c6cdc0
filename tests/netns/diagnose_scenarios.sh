#!/usr/bin/env bash
# diagnose_scenarios.sh - ctadm diagnose against real faults made in
# network namespaces: a healthy table under churn (no findings, 20 times),
# conntrack not active, a stuck dying list held by a listener that does not
# read, entries left unconfirmed by an NFQUEUE nobody answers, NAT without
# an invalid-drop rule, log_invalid without a backend, a nearly full table;
# the JSON and Prometheus renderings; usage errors.
. "$(dirname "$0")/../lib.sh"

HELPER_DIR=${HELPER_DIR:-$(dirname "$CTADM")/tests/helpers}
MAX=/proc/sys/net/netfilter/nf_conntrack_max
host_max=$(cat $MAX)
pids=()
netns_create
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; ip netns del "$NS" 2>/dev/null; echo "$host_max" >$MAX' EXIT
in_netns ip link set lo up

# diag ARGS...: diagnose in the namespace, quick sampling; sets $out, $rc.
diag() {
	out=$(in_netns "$CTADM" diagnose --samples 3 --interval 0.3 "$@" 2>&1)
	rc=$?
}
# ids of the findings of a JSON run, "id:severity" one a line, sorted.
ids() { jq -r '.findings[] | "\(.id):\(.severity)"' <<<"$out" | sort -u; }
has_id() { grep -qx "$1" <<<"$(ids)"; }

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
pids+=($!)
sleep 1
bad=0
for i in $(seq 20); do
	diag -o json
	if [ "$rc" -ne 0 ] || jq -e '.findings[] | select(.severity != "info")' <<<"$out" >/dev/null; then
		bad=$((bad + 1))
		fail "healthy run $i: exit $rc" "$(jq -c '.findings[] | select(.severity != "info")' <<<"$out")"
	fi
done
[ "$bad" -eq 0 ] && pass "healthy with churn: exit 0 and no warnings, 20 times"
check_eq "healthy: the table is in use" "$(jq '.metrics[0].count > 0' <<<"$out")" true
kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; pids=()

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

# --- a nearly full table (nf_conntrack_max is global: restored on exit) ----
in_netns "$CTADM" -F 2>/dev/null
for i in $(seq 1 97); do
	echo "-I -p udp -s 10.0.0.1 -d 10.0.1.$i --sport 1000 --dport 53 -t 300"
done | in_netns "$CTADM" -R -
echo 100 >$MAX
diag -o json
echo "$host_max" >$MAX
check_eq "97 of 100 entries: exit 4" "$rc" 4
has_id "table-usage:critical" && pass "table-usage critical" || fail "table-usage critical" "$(ids)"
check_eq "table-usage evidence" \
	"$(jq -c '.findings[] | select(.id == "table-usage") | .evidence | [.count, .max, .percent, .not_assured]' <<<"$out")" \
	'[97,100,97,97]'
in_netns "$CTADM" -F 2>/dev/null

t_done
