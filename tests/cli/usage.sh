#!/usr/bin/env bash
# usage.sh - every usage error exits 2 with a `ctadm: ' message and changes
# nothing; a table of {exit code, arguments}, as ethtool's test-cmdline.
. "$(dirname "$0")/../lib.sh"

# Each case runs in a fresh, empty network namespace: a usage error must be
# found before anything reaches the kernel, and nothing here may touch the
# host's table.
run_case() {
	local want=$1; shift
	local err rc
	err=$(unshare -n "$CTADM" "$@" 2>&1 >/dev/null); rc=$?
	if [ "$rc" != "$want" ]; then
		fail "exit $want: ctadm $*" "got exit $rc: $err"
	elif [ "$want" = 2 ] && ! grep -q "^ctadm: " <<<"$err"; then
		fail "message: ctadm $*" "stderr: $err"
	else
		pass "exit $want: ctadm $*"
	fi
}

while IFS='|' read -r want args; do
	[ -z "$want" ] || [ "${want#\#}" != "$want" ] && continue
	eval "set -- $args"
	run_case "$want" "$@"
done <<'CASES'
# command line structure
2|-L -G
2|-X
2|-Lexp
2|-L --bogus
2|-L --labelmap
2|-L bogus
2|-L conntrack extra
2|--dump=nothing
2|-G dying
2|-S dying
# options that need a value
2|-L -s
2|-L -p
2|-L -o
2|-G -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 --id
# bad values
2|-L -s 1.2.3.256
2|-L -s 1.1.1.1/33
2|-L -s ::1/129
2|-L -s 1.1.1.1/x
2|-L -r 1.1.1.0/24
2|-L -s 1.1.1.1 -d ::1
2|-L -p nosuchproto
2|-L -p 256
2|-L -f ipx
2|-L -u NOSUCH
2|-L -u ASSURED,!ASSURED
2|-L -u ,
2|-L -m 4294967296
2|-L -m 1/4294967296
2|-L -m x
2|-L -w 65536
2|-L --orig-zone 70000
2|-L -c -1
2|-G -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 -i 4294967296
2|-L -o bogus
2|-L -o save,xml
2|-L -o json,xml
2|-L -n 1.1.1.1:70000
2|-L -n 1.1.1.1:x
2|-L -g [::1
2|-L -l nosuchlabel --labelmap /nonexistent
# per-protocol options
2|-L --dport 1
2|-L -p icmp --dport 1
2|-L -p tcp --dport 65536
2|-L -p tcp --sport -1
2|-L -p tcp --state BOGUS
2|-L -p sctp --state SYN_SENT
2|-L -p icmp --icmp-type 256
2|-L -p udp --state ESTABLISHED
# options not valid with the command
2|-L --reply-zone 1 -p tcp -G
2|-C -p tcp
2|-S -s 1.1.1.1
2|-L expect -p tcp
2|-L --mask-src 255.0.0.0
2|-L -j -n
2|-L -z -p tcp
# -G needs a full tuple
2|-G -s 1.1.1.1 -d 2.2.2.2
2|-G -p tcp -s 1.1.1.1
2|-G -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1
2|-G expect -p tcp -r 1.1.1.1 -q 2.2.2.2
# failures that are not usage errors
1|-G -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2
1|--netns /nonexistent -L
1|--netns ctadm-no-such-netns -L
# fine
0|-L
0|-L conn
0|-L exp
0|-L -o ext,id
0|-C
0|-V
0|-h
0|-h -p tcp
CASES

# A usage error changes nothing: the table stays empty.
out=$(unshare -n bash -c "\"$CTADM\" -L -p tcp --dport 99999; conntrack -C 2>/dev/null || \"$CTADM\" -C")
check_eq "usage error leaves the table untouched" "$(tail -n1 <<<"$out")" "0"
# Without CAP_NET_ADMIN: a failure (exit 1) that says what is missing.
err=$(unshare -n setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all --bounding-set=-all "$CTADM" -L 2>&1); rc=$?
check_eq "without CAP_NET_ADMIN: exit 1" "$rc" 1
if grep -q "^ctadm: .*CAP_NET_ADMIN" <<<"$err"; then
	pass "without CAP_NET_ADMIN: the message says so"
else
	fail "without CAP_NET_ADMIN: the message says so" "$err"
fi
t_done
