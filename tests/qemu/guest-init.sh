#!/bin/busybox sh
# shellcheck shell=dash
# guest-init.sh - /init of the distro-kernel lane (distro_kernel.sh): ctadm
# against Debian's kernel, with its modules and dynamic debug.  Prints
# PASS:/FAIL: lines (details indented) on the console, then "GUEST DONE",
# and powers off.  Runs in busybox's sh.
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
mount -t debugfs debugfs /sys/kernel/debug
cd /tmp || exit 1

pass() { echo "PASS: $1"; }
fail() {
	echo "FAIL: $1"
	shift
	for l in "$@"; do printf '%s\n' "$l" | sed 's/^/  /'; done
}
# check_eq NAME GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got:  $2" "want: $3"; fi
}
# check_run NAME WANT_RC CMD...: CMD's output in out and err.
check_run() {
	name=$1 want=$2
	shift 2
	"$@" >out 2>err
	rc=$?
	if [ "$rc" = "$want" ]; then pass "$name"; else
		fail "$name" "exit $rc, want $want: $*" "$(cat err)"
	fi
}
check_err() { check_eq "$1" "$(cat err)" "$2"; }
check_err_has() {
	if grep -qF -- "$2" err; then pass "$1"; else fail "$1" "stderr: $(cat err)" "wants: $2"; fi
}
loaded() { grep -q "^$1 " /proc/modules; }
check_loaded() {
	if loaded "$2"; then pass "$1"; else fail "$1" "$2 is not in /proc/modules"; fi
}
check_not_loaded() {
	if loaded "$2"; then fail "$1" "$2 is in /proc/modules"; else pass "$1"; fi
}
backend() { cat "/proc/sys/net/netfilter/nf_log/$1"; }
MODDIR=/lib/modules/$(uname -r)
KO=$MODDIR/kernel/net/netfilter

# --- nflog: backends whose module is not loaded --------------------------
# nfnetlink_log first: a backend that ctadm must switch away from, since
# nf_log_syslog makes its backends active where none is.
nflog_checks_kmod() {
	kmod_lib=$(ls /lib/*/libkmod.so.2 /usr/lib/*/libkmod.so.2 2>/dev/null | head -n 1)
	mv "$kmod_lib" /tmp/
	check_run "nflog, no libkmod.so.2: exit 1" 1 ctadm nflog ipv4 nfnetlink_log
	check_err_has "nflog, no libkmod.so.2: names it and modprobe" \
		"ctadm: nflog: module nfnetlink_log is not loaded and libkmod.so.2 cannot be opened ("
	check_err_has "nflog, no libkmod.so.2: the way out" \
		"install libkmod2 or run \`modprobe nfnetlink_log'"
	mv "/tmp/libkmod.so.2" "$kmod_lib"

	mv "$MODDIR/modules.dep.bin" /tmp/
	check_run "nflog, no depmod index: exit 1" 1 ctadm nflog ipv4 nfnetlink_log
	check_err "nflog, no depmod index: says which file" \
		"ctadm: nflog: module nfnetlink_log: $MODDIR/modules.dep.bin: No such file or directory (a kernel without modules, or run depmod)"
	mv /tmp/modules.dep.bin "$MODDIR/"

	mv "$KO/nfnetlink_log.ko" /tmp/
	check_run "nflog, module file missing: exit 1" 1 ctadm nflog ipv4 nfnetlink_log
	check_err "nflog, module file missing: says which" \
		"ctadm: nflog: module nfnetlink_log: cannot load $KO/nfnetlink_log.ko: No such file or directory"
	check_eq "nflog, module file missing: backend kept" "$(backend 2)" NONE
	mv /tmp/nfnetlink_log.ko "$KO/"

	check_run "nflog ipv4 nfnetlink_log: exit 0" 0 ctadm nflog ipv4 nfnetlink_log
	check_err "nflog ipv4 nfnetlink_log says it loaded the module" \
		"ctadm: loaded module nfnetlink_log"
	check_loaded "nflog ipv4 nfnetlink_log: nfnetlink_log is loaded" nfnetlink_log
	check_eq "nflog ipv4 nfnetlink_log: backend set" "$(backend 2)" nfnetlink_log
	check_run "nflog ipv6 nfnetlink_log (registered meanwhile): exit 0" 0 \
		ctadm nflog ipv6 nfnetlink_log
	check_err "nflog ipv6 nfnetlink_log loads nothing" ""

	check_run "nflog ipv4 nf_log_ipv4 loads nf_log_syslog: exit 0" 0 \
		ctadm nflog ipv4 nf_log_ipv4
	check_err "nflog ipv4 nf_log_ipv4 says it loaded the module" \
		"ctadm: loaded module nf_log_syslog"
	check_loaded "nflog ipv4 nf_log_ipv4: nf_log_syslog is loaded" nf_log_syslog
	check_eq "nflog ipv4 nf_log_ipv4: backend set" "$(backend 2)" nf_log_ipv4
	check_eq "nflog ipv4 nf_log_ipv4: shown" \
		"$(grep '^2 ipv4' out | tr -s ' ')" "2 ipv4 nf_log_ipv4 nf_log_ipv4,nfnetlink_log"
	check_run "nflog ipv6 nf_log_ipv6 (registered meanwhile): exit 0" 0 \
		ctadm nflog ipv6 nf_log_ipv6
	check_err "nflog ipv6 nf_log_ipv6 loads nothing" ""
	check_eq "nflog ipv6 nf_log_ipv6: backend set" "$(backend 10)" nf_log_ipv6
}

# Built without libkmod: the error names the modprobe command.
nflog_checks_nokmod() {
	check_run "nflog without libkmod: exit 1" 1 ctadm nflog ipv4 nf_log_ipv4
	check_err "nflog without libkmod: names modprobe" \
		"ctadm: nflog: module nf_log_syslog is not loaded and ctadm was built without libkmod: run \`modprobe nf_log_syslog' and try again"
	check_not_loaded "nflog without libkmod: nothing loaded" nf_log_syslog
	modprobe -a nf_log_syslog nfnetlink_log
}

nflog_checks() {
	check_not_loaded "nf_log_syslog is not loaded at boot" nf_log_syslog
	check_run "nflog, backend of another family: exit 2" 2 ctadm nflog ipv6 nf_log_ipv4
	check_err_has "nflog, backend of another family: message" \
		"ctadm: nflog: \`nf_log_ipv4' is not a backend of family 10"
	check_not_loaded "nflog, backend of another family: loads nothing" nf_log_syslog
	check_run "nflog, unknown backend: exit 2" 2 ctadm nflog ipv4 nf_log_ipv5
	if [ "${CTADM_KMOD:-}" = 1 ]; then nflog_checks_kmod; else nflog_checks_nokmod; fi
	check_run "nflog ipv4 none: exit 0" 0 ctadm nflog ipv4 none
	check_eq "nflog ipv4 none: no backend" "$(backend 2)" NONE
}

# --- conntrack: on 6.1 its hooks register once a rule uses it -------------
conntrack_start() {
	modprobe -a crc32c_generic nf_conntrack nft_ct
	ip link set lo up
	nft -f - <<-EOF
	table inet ctadm_lane {
		chain input {
			type filter hook input priority 0; policy accept;
			ct state invalid counter
		}
	}
	EOF
	ping -c 1 -W 1 127.0.0.1 >/dev/null 2>&1
	check_run "conntrack: -L lists the ping's entry" 0 ctadm -L -p icmp
	if grep -q 'src=127.0.0.1' out; then pass "conntrack: the entry is shown"; else
		fail "conntrack: the entry is shown" "$(cat out err)"
	fi
}

# --- dyndbg: nf_conntrack's real sites -------------------------------------
CONTROL=/proc/dynamic_debug/control
# The sites of conntrack's modules, as ctadm counts them.
ct_sites() {
	grep -E '^[^ ]+ \[(nf_conntrack|nf_conntrack_[^]]*|nf_nat[^]]*|nf_log_syslog)\]' $CONTROL
}
site_flags() { grep "^$1 " $CONTROL | sed 's/.* =\([^ ]*\) .*/\1/'; }
ct_printing() { ct_sites | grep -c ' =[a-z]*p'; }
# Every setting under net.netfilter (but the count of entries), and every
# site's flags: what `debug off' must put back.
snapshot() {
	grep -r . /proc/sys/net/netfilter | grep -v '/nf_conntrack_count:' | sort
	cat $CONTROL
}

dyndbg_checks() {
	n=$(ct_sites | wc -l)
	if [ "$n" -gt 0 ]; then pass "dyndbg: the kernel has nf_conntrack sites ($n)"; else
		fail "dyndbg: the kernel has nf_conntrack sites" "$(grep -c . $CONTROL) sites in all"
	fi
	check_run "dyndbg list: exit 0" 0 ctadm dyndbg list
	check_eq "dyndbg list: every site, one a row" \
		"$(tail -n +2 out | cut -d' ' -f1 | sort)" "$(ct_sites | cut -d' ' -f1 | sort)"
	check_run "dyndbg list -o json: exit 0" 0 ctadm dyndbg list -o json
	check_eq "dyndbg list -o json: every site" "$(grep -o '"line":' out | wc -l)" "$n"
	site=$(ct_sites | grep '\[nf_conntrack\]' | head -n 1 | cut -d' ' -f1)
	check_run "dyndbg enable $site: exit 0" 0 ctadm dyndbg enable "$site"
	check_eq "dyndbg enable FILE:LINE: the kernel prints it" "$(site_flags "$site")" p
	check_eq "dyndbg enable FILE:LINE: no other site" "$(ct_printing)" 1
	check_run "dyndbg disable $site: exit 0" 0 ctadm dyndbg disable "$site"
	check_eq "dyndbg disable FILE:LINE: back to none" "$(site_flags "$site")" _
	snapshot >before
	check_run "dyndbg enable, no such site: exit 2" 2 ctadm dyndbg enable nf_conntrack_core.c:999999
	check_eq "dyndbg enable, no such site: nothing changes" "$(snapshot | cmp - before && echo same)" same
	check_run "dyndbg enable all: exit 0" 0 ctadm dyndbg enable all
	check_eq "dyndbg enable all: every site prints" "$(ct_printing)" "$n"
	check_run "dyndbg disable all: exit 0" 0 ctadm dyndbg disable all
	check_eq "dyndbg disable all: none prints" "$(ct_printing)" 0
}

# --- debug on --dyndbg / off: everything back as it was -----------------
debug_checks() {
	# Sites with flags of their own, which `off' must keep exactly.
	# shellcheck disable=SC2046 # two FILE:LINE words
	set -- $(ct_sites | grep '\[nf_conntrack\]' | tail -n 2 | cut -d' ' -f1)
	echo "file ${1%:*} line ${1##*:} =m" >$CONTROL
	echo "file ${2%:*} line ${2##*:} =pf" >$CONTROL
	snapshot >before
	check_run "debug on --dyndbg: exit 0" 0 ctadm debug on --dyndbg
	check_eq "debug on: log_invalid" "$(cat /proc/sys/net/netfilter/nf_conntrack_log_invalid)" 255
	check_eq "debug on: ipv4 logs to syslog" "$(backend 2)" nf_log_ipv4
	check_eq "debug on --dyndbg: every site prints" "$(ct_printing)" "$(ct_sites | wc -l)"
	check_run "debug status: exit 0" 0 ctadm debug status
	check_run "debug off: exit 0" 0 ctadm debug off
	snapshot >after
	if cmp -s before after; then pass "debug off: every sysctl and site as before"; else
		fail "debug off: every sysctl and site as before" "$(diff before after | head -n 20)"
	fi
	check_eq "debug off: a site's own flags kept" "$(site_flags "$1")" m
}

# Last: kernel.modules_disabled cannot be undone.
nflog_check_eperm() {
	[ "${CTADM_KMOD:-}" = 1 ] || return 0
	rmmod nfnetlink_log
	echo 1 >/proc/sys/kernel/modules_disabled
	check_run "nflog, modules_disabled: exit 1" 1 ctadm nflog ipv4 nfnetlink_log
	check_err "nflog, modules_disabled: says why" \
		"ctadm: nflog: module nfnetlink_log: loading it takes CAP_SYS_MODULE and kernel.modules_disabled=0"
}

# Each part's start, in seconds since boot, for the console log.
for part in nflog_checks conntrack_start dyndbg_checks debug_checks nflog_check_eperm; do
	echo "# $(cut -d' ' -f1 /proc/uptime) $part"
	$part
done
echo "GUEST DONE"
poweroff -f
