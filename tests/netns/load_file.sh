#!/usr/bin/env bash
# load_file.sh - -R FILE|-: the same table as conntrack -R from the same
# file; comments, blank lines and quotes; a bad line or command anywhere
# stops the file before anything runs; stdin; lines run in order; a
# million creates in constant memory.
. "$(dirname "$0")/../lib.sh"

netns_create
NS_CT=$NS-ct
ip netns add "$NS_CT" || { fail "create the conntrack namespace"; exit 1; }
T=$(mktemp -d /tmp/ctadm-load.XXXXXX)
trap 'ip netns del "$NS" 2>/dev/null; ip netns del "$NS_CT" 2>/dev/null; rm -rf "$T"' EXIT

# Listings compared with the timeouts left out: they count down.
listing() { ip netns exec "$1" conntrack -L 2>/dev/null | awk '{ $3 = "T"; print }' | sort; }
flush_both() { in_netns "$CTADM" -F 2>/dev/null; ip netns exec "$NS_CT" conntrack -F 2>/dev/null; }
count() { in_netns "$CTADM" -C; }

# (a) creates of every kind, against conntrack -R.
cat >"$T/creates" <<'EOF'
-I -s 1.1.1.1 -d 2.2.2.2 -p tcp --sport 1000 --dport 80 --state ESTABLISHED -u SEEN_REPLY -t 500
-I -s 1.1.1.2 -d 2.2.2.2 -p tcp --sport 1001 --dport 443 --state SYN_SENT -m 7 -t 500
-I -s 1.1.1.1 -d 2.2.2.3 -p udp --sport 53 --dport 53 -t 500
-I -s 1.1.1.1 -d 2.2.2.4 -p icmp --icmp-type 8 --icmp-code 0 --icmp-id 77 -t 500
-I -s 1.1.1.1 -d 2.2.2.5 -p sctp --sport 5 --dport 6 --state ESTABLISHED --orig-vtag 1 --reply-vtag 2 -t 500
-I -s 1.1.1.1 -d 2.2.2.6 -p gre --srckey 1 --dstkey 2 -t 500
-I -s 2001:db8::1 -d 2001:db8::2 -p tcp --sport 10 --dport 20 --state ESTABLISHED -t 500
-I -s 2001:db8::1 -d 2001:db8::3 -p icmpv6 --icmpv6-type 128 --icmpv6-code 0 --icmpv6-id 5 -t 500
-I -s 2001:db8::1 -d 2001:db8::4 -p udp --sport 1 --dport 2 -r 2001:db8::9 -q 2001:db8::1 --reply-port-src 3 --reply-port-dst 1 -t 500
-A -s 1.1.1.7 -d 2.2.2.7 -p tcp --sport 7 --dport 8 --state LISTEN -u SEEN_REPLY -t 500
EOF
ip netns exec "$NS_CT" conntrack -R "$T/creates" 2>/dev/null
out=$(in_netns "$CTADM" -R "$T/creates" 2>&1); rc=$?
check_eq "creates: exit 0, nothing printed" "$rc:$out" "0:"
want=$(listing "$NS_CT")
check_eq "creates: the table conntrack -R makes" "$(listing "$NS")" "$want"
check_eq "creates: ten entries" "$(wc -l <<<"$want")" 10

# (b) comments, blank lines, leading blanks, quotes and escapes.
flush_both
printf '%s\n' '# a comment' '' '   ' '  	# an indented comment' \
	'	-I -s "3.3.3.3" -d 4.4.4.4 -p "tc\p" --sport 1 --dport 2 --state "ESTABLISHED" -t 500' \
	'-I -s 3.3.3.4 -d 4.4.4.4 -p udp --sport 1 --dport 2 -t 500   ' >"$T/quoted"
ip netns exec "$NS_CT" conntrack -R "$T/quoted" 2>/dev/null
out=$(in_netns "$CTADM" -R "$T/quoted" 2>&1); rc=$?
check_eq "comments and quotes: exit 0, nothing printed" "$rc:$out" "0:"
check_eq "comments and quotes: the table conntrack -R makes" \
	"$(listing "$NS")" "$(listing "$NS_CT")"
check_eq "comments and quotes: two entries" "$(count)" 2

# The lines take -R's --labelmap.
echo '-I -s 3.3.3.5 -d 4.4.4.4 -p udp --sport 1 --dport 2 -t 500 --label-add beta' >"$T/label"
out=$(in_netns "$CTADM" -R "$T/label" --labelmap "$T/none" 2>&1); rc=$?
check_eq "--labelmap: the lines read it" "$rc:$(head -1 <<<"$out")" \
	"2:ctadm: $T/label:1: $T/none: No such file or directory"
check_rc "--labelmap: a label by name" 0 \
	in_netns "$CTADM" -R "$T/label" --labelmap "$TESTS_DIR/netns/connlabel.conf"

# (c) a syntax error on line 4 after valid creates: nothing runs.
flush_both
{ head -2 "$T/creates"; echo '# comment'; echo '-I -s 5.5.5.5 -p tcp --bogus 1'
  tail -1 "$T/creates"; } >"$T/syntax"
out=$(in_netns "$CTADM" -R "$T/syntax" 2>&1); rc=$?
check_eq "syntax error: exit 2" "$rc" 2
check_eq "syntax error: FILE:LINE and the parser's message" \
	"$(head -1 <<<"$out")" "ctadm: $T/syntax:4: option \`--bogus' is unknown"
check_eq "syntax error: nothing created" "$(count)" 0
printf '%s\n' '-I -s 5.5.5.5 -d 6.6.6.6 -p tcp --sport 1 --dport 2 --state ESTABLISHED -t 5' \
	'-I -s "5.5.5.6 -p tcp' >"$T/quote"
out=$(in_netns "$CTADM" -R "$T/quote" 2>&1); rc=$?
check_eq "unterminated quote: exit 2 and FILE:LINE" \
	"$rc:$(head -1 <<<"$out")" "2:ctadm: $T/quote:2: unterminated quote"
check_eq "unterminated quote: nothing created" "$(count)" 0
{ head -2 "$T/creates"; printf -- '-I -s 5.5.5.5\0 -p tcp\n'; } >"$T/nul"
out=$(in_netns "$CTADM" -R "$T/nul" 2>&1); rc=$?
check_eq "a NUL in a line: exit 2 and FILE:LINE" \
	"$rc:$(head -1 <<<"$out")" "2:ctadm: $T/nul:3: NUL character in the line"
check_eq "a NUL in a line: nothing created" "$(count)" 0
# 65535 characters are a line; 65536 are too many.  The long line spans
# the reader's 64 KiB buffers.
{ head -1 "$T/creates"; printf '#%65534s\n' ''; printf -- '-I%65534s\n' ''
  tail -1 "$T/creates"; } >"$T/long"
out=$(in_netns "$CTADM" -R "$T/long" 2>&1); rc=$?
check_eq "a line over 65535 characters: exit 2 and FILE:LINE" \
	"$rc:$(head -1 <<<"$out")" "2:ctadm: $T/long:3: line longer than 65535 characters"
check_eq "a line over 65535 characters: nothing created" "$(count)" 0

# (d) a command -R does not run.
{ head -3 "$T/creates"; echo '-L'; } >"$T/list"
out=$(in_netns "$CTADM" -R "$T/list" 2>&1); rc=$?
check_eq "-L in the file: exit 2" "$rc" 2
check_eq "-L in the file: named" "$(head -1 <<<"$out")" \
	"ctadm: $T/list:4: Cannot use command \`-L' with --load-file"
check_eq "-L in the file: nothing created" "$(count)" 0
echo '-C expect' >"$T/count"
out=$(in_netns "$CTADM" -R "$T/count" 2>&1)
check_eq "-C expect in the file: named with its table" "$(head -1 <<<"$out")" \
	"ctadm: $T/count:1: Cannot use command \`-C expect' with --load-file"

# (e) a missing file: conntrack's exit code and words.
out=$(in_netns "$CTADM" -R "$T/missing" 2>&1); rc=$?
check_eq "missing file: exit 2 and the reason" "$rc:$(head -1 <<<"$out")" \
	"2:ctadm: Failed to open file $T/missing for reading: No such file or directory"

# (f) stdin, from a pipe (copied while checked) and from a file.
flush_both
ip netns exec "$NS_CT" conntrack -R "$T/creates" 2>/dev/null
out=$(cat "$T/creates" | in_netns "$CTADM" -R - 2>&1); rc=$?
check_eq "-R - from a pipe: exit 0, nothing printed" "$rc:$out" "0:"
check_eq "-R - from a pipe: the table" "$(listing "$NS")" "$(listing "$NS_CT")"
in_netns "$CTADM" -F 2>/dev/null
out=$(in_netns "$CTADM" --load-file - <"$T/creates" 2>&1); rc=$?
check_eq "--load-file - from a file: the table" "$rc:$out:$(listing "$NS")" \
	"0::$(listing "$NS_CT")"
in_netns "$CTADM" -F 2>/dev/null
out=$(cat "$T/syntax" | in_netns "$CTADM" -R - 2>&1); rc=$?
check_eq "-R - with an error: stdin:LINE, nothing created" \
	"$rc:$(head -1 <<<"$out"):$(count)" \
	"2:ctadm: stdin:4: option \`--bogus' is unknown:0"

# (g) lines run in order: -D and -U see the creates before them, and the
# creates after them run after them.  Not against conntrack 1.4.7: its
# -R parses every line before running any into state that lines share,
# so a -U takes the mark of the last line that was parsed.
flush_both
ct() { echo "-I -s 7.7.7.$1 -d 8.8.8.8 -p tcp --sport 1 --dport 2 --state ESTABLISHED -t 500"; }
{ ct 1; ct 2; ct 3; echo '-D -s 7.7.7.2'; ct 2; ct 4; echo '-D -s 7.7.7.3'
  echo '-U -s 7.7.7.2 -m 9'; ct 5; echo '-U -s 7.7.7.5 -p tcp -m 3'
  echo '-D -s 7.7.7.99'; } >"$T/mixed"
src_mark() { sed -E 's/^[^=]* (src=[0-9.]+) .* (mark=[0-9]+) .*$/\1 \2/'; }
out=$(in_netns "$CTADM" -R "$T/mixed" 2>"$T/err"); rc=$?
check_eq "mixed: exit 0, nothing on stderr" "$rc:$(cat "$T/err")" "0:"
check_eq "mixed: -D and -U print their entries, in order" \
	"$(src_mark <<<"$out")" "$(printf '%s\n' 'src=7.7.7.2 mark=0' \
	'src=7.7.7.3 mark=0' 'src=7.7.7.2 mark=9' 'src=7.7.7.5 mark=3')"
check_eq "mixed: the table" "$(listing "$NS" | src_mark)" \
	"$(printf '%s\n' 'src=7.7.7.1 mark=0' 'src=7.7.7.2 mark=9' \
	'src=7.7.7.4 mark=0' 'src=7.7.7.5 mark=3')"

# A line that fails is reported; the others still run; exit 1.
flush_both
{ ct 1; ct 1; ct 2; echo '-U -s 7.7.7.77 -p tcp -m 1'; echo '-D -s 7.7.7.2'; } >"$T/fails"
out=$(in_netns "$CTADM" -R "$T/fails" 2>&1); rc=$?
check_eq "a failing create: exit 1" "$rc" 1
if grep -q "^ctadm: $T/fails:2: " <<<"$out"; then pass "a failing create: FILE:LINE"; else fail "a failing create: FILE:LINE" "$out"; fi
check_eq "a failing create: the count of failed lines" "$(tail -1 <<<"$out")" \
	"ctadm: -R $T/fails: 1 of 5 lines failed"
check_eq "a failing create: the lines after it ran" "$(listing "$NS" | grep -c src=7.7.7)" 1

# (j) a file over 1 MiB is checked in two halves by two processes: line
# numbers, the first error in the file, and the count of lines stay
# those of one pass.  Comments and blank lines shift the numbers.
flush_both
big_file() {
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) {
		if (i % 1000 == 0) print "# block " i "\n"
		printf "-I -s 10.9.%d.%d -d 10.255.0.2 -p udp --sport 1024 --dport 53 -t 3600\n",
			int(i / 256), i % 256 } }'
}
big_file 20000 >"$T/big"
[ "$(stat -c %s "$T/big")" -gt $((1 << 20)) ] && pass "the big file is over 1 MiB" || fail "the big file is over 1 MiB"
lines=$(wc -l <"$T/big")
{ cat "$T/big"; echo "-I -p udp --bogus"; } >"$T/big-late"
out=$(in_netns "$CTADM" -R "$T/big-late" 2>&1); rc=$?
check_eq "an error in the second half: exit 2, FILE:LINE, nothing created" \
	"$rc:$(head -1 <<<"$out"):$(count)" \
	"2:ctadm: $T/big-late:$((lines + 1)): option \`--bogus' is unknown:0"
out=$(in_netns "$CTADM" -R - <"$T/big-late" 2>&1); rc=$?
check_eq "the same from stdin: stdin:LINE" "$rc:$(head -1 <<<"$out")" \
	"2:ctadm: stdin:$((lines + 1)): option \`--bogus' is unknown"
{ head -100 "$T/big"; echo "-I -p udp --early"; cat "$T/big-late"; } >"$T/big-both"
out=$(in_netns "$CTADM" -R "$T/big-both" 2>&1); rc=$?
check_eq "errors in both halves: the first is reported" \
	"$rc:$(head -1 <<<"$out"):$(count)" \
	"2:ctadm: $T/big-both:101: option \`--early' is unknown:0"
# One line fails when it runs: the count of lines is the whole file's.
{ cat "$T/big"; tail -1 "$T/big"; } >"$T/big-dup"
out=$(in_netns "$CTADM" -R "$T/big-dup" 2>&1); rc=$?
check_eq "a failing create in a big file: exit 1 and the count of lines" \
	"$rc:$(tail -1 <<<"$out"):$(count)" \
	"1:ctadm: -R $T/big-dup: 1 of 20001 lines failed:20000"

# (h) a million creates: constant memory, every entry made.  The table
# limit is the host's, for every namespace: raised for the test only.
if [ ! -x /usr/bin/time ]; then
	skip "a million lines" "/usr/bin/time is missing"
	t_done; exit
fi
in_netns "$CTADM" -F 2>/dev/null
max_file=/proc/sys/net/netfilter/nf_conntrack_max
old_max=$(cat "$max_file")
trap 'echo "$old_max" >"$max_file"; ip netns del "$NS" 2>/dev/null; ip netns del "$NS_CT" 2>/dev/null; rm -rf "$T"' EXIT
N=1000000
[ "$old_max" -ge $((N + 1000)) ] || echo $((N + 1000)) >"$max_file"
awk -v n=$N 'BEGIN { for (i = 0; i < n; i++)
	printf "-I -s 10.%d.%d.%d -d 10.255.0.1 -p udp --sport 1024 --dport 53 -t 3600\n",
		int(i / 65536), int(i / 256) % 256, i % 256 }' >"$T/million"
# peak_check NAME: the peak resident size /usr/bin/time wrote to $T/kb.
peak_check() {
	local kb; kb=$(cat "$T/kb")
	if [ "$kb" -lt 16384 ]; then pass "$1: peak memory $kb KB < 16 MB"
	else fail "$1: peak memory $kb KB, not under 16 MB"; fi
}
# From a pipe, the lines go through a temporary copy.
out=$(head -200000 "$T/million" | ip netns exec "$NS_CT" \
	/usr/bin/time -f %M -o "$T/kb" "$CTADM" -R - 2>&1); rc=$?
check_eq "200k lines from a pipe: exit 0, every entry made" \
	"$rc:$out:$(ip netns exec "$NS_CT" "$CTADM" -C)" "0::200000"
peak_check "200k lines from a pipe"
ip netns del "$NS_CT"
out=$(in_netns /usr/bin/time -f %M -o "$T/kb" "$CTADM" -R "$T/million" 2>&1); rc=$?
check_eq "a million lines: exit 0, nothing printed, every entry made" \
	"$rc:$out:$(count)" "0::$N"
peak_check "a million lines"

# (i) the table they make, listed: constant memory; a write error stops the
# dump (and the thread that reads it) with exit 1 and says why.
out=$(in_netns /usr/bin/time -f %M -o "$T/kb" "$CTADM" -L 2>&1 >/dev/null); rc=$?
check_eq "-L of a million entries: exit 0, every one shown" \
	"$rc:${out#*: }" "0:$N flow entries have been shown."
peak_check "-L of a million entries"
out=$(in_netns "$CTADM" -L 2>&1 >/dev/full); rc=$?
check_eq "-L into a full device: exit 1 and the write error" \
	"$rc:$out" "1:ctadm: -L: No space left on device"
t_done
