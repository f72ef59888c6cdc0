#!/usr/bin/env bash
# json_netns.sh - -o json over the corpus agrees with the text listing, jq
# reads every line and answers "top destination ports"; --netns reaches a
# namespace by name, path and process id.
. "$(dirname "$0")/../lib.sh"
. "$TESTS_DIR/netns/corpus.sh"

netns_create
trap 'corpus_cleanup; ip netns del "$NS" 2>/dev/null' EXIT
if ! corpus_load "$NS"; then fail "corpus_load"; exit 1; fi

json=$(ns_exec "$NS" "$CTADM" -L -o json 2>/dev/null)
text=$(ns_exec "$NS" "$CTADM" -L 2>/dev/null)
check_eq "json: one line per entry" "$(wc -l <<<"$json")" "$(wc -l <<<"$text")"
if jq -e . <<<"$json" >/dev/null 2>&1; then pass "json: every line parses"; else fail "json: every line parses"; fi
check_eq "json: schema 1 on every line" \
	"$(jq -r '.schema' <<<"$json" | sort -u)" "1"

# The same ports, in the same order, as the text listing's first dport=
# (dccp aside: without a tracker the kernel sends no ports, and conntrack
# prints zeros where JSON leaves them out).
want=$(awk '!/^dccp/ && match($0, /dport=[0-9]+/) { print substr($0, RSTART + 6, RLENGTH - 6) }' <<<"$text" | head -50)
got=$(jq -r 'select(.orig.dport and .protocol != "dccp") | .orig.dport' <<<"$json" | head -50)
check_eq "json: orig.dport matches the text listing" "$got" "$want"
# Unknown protocols have a number but no name in JSON.
check_eq "json: protocols match" \
	"$(jq -r '.protocol // "unknown"' <<<"$json" | sort | uniq -c)" \
	"$(awk '{print $1}' <<<"$text" | sort | uniq -c)"
top=$(jq -r 'select(.orig.dport) | .orig.dport' <<<"$json" | sort | uniq -c | sort -rn | head -10)
if [ -n "$top" ] && [ "$(wc -l <<<"$top")" -le 10 ]; then pass "json: top 10 destination ports"; else fail "json: top 10 destination ports" "$top"; fi
check_eq "json: -C" "$(ns_exec "$NS" "$CTADM" -C -o json | jq -r .count)" \
	"$(ns_exec "$NS" "$CTADM" -C)"
check_eq "json: -S one object per cpu" \
	"$(ns_exec "$NS" "$CTADM" -S -o json | jq -r .cpu | wc -l)" \
	"$(ns_exec "$NS" "$CTADM" -S | wc -l)"
status=$(jq -r 'select(.state == "ESTABLISHED") | .status | index("ASSURED") != null' <<<"$json" | sort -u | head -1)
[ -n "$status" ] && pass "json: status is a list of flag names" || fail "json: status is a list of flag names"

# --netns: by name, by path, by pid; the host's table is never listed.
count=$(ns_exec "$NS" "$CTADM" -C)
check_eq "--netns NAME" "$("$CTADM" --netns "$NS" -C)" "$count"
check_eq "--netns PATH" "$("$CTADM" --netns "/run/netns/$NS" -C)" "$count"
ip netns exec "$NS" sleep 30 & pid=$!
sleep 0.2
check_eq "--netns PID" "$("$CTADM" --netns "$pid" -C)" "$count"
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
check_eq "--netns with -L" "$("$CTADM" --netns "$NS" -L 2>/dev/null | wc -l)" "$(wc -l <<<"$text")"
t_done
