#!/usr/bin/env bash
# distro_kernel.sh - ctadm on Debian's stock kernel, which has what the
# development kernel lacks: loadable netfilter modules and dynamic debug.
#
# Boots linux-image-amd64's kernel in qemu (TCG: no KVM needed) with an
# initramfs of static busybox, $CTADM and nft with the libraries ldd
# lists, and the kernel's netfilter modules.  The guest runs
# tests/qemu/guest-init.sh as /init and prints PASS:/FAIL: lines on the
# serial console, which this script passes on.  Skipped, with the reason,
# where qemu or the kernel package cannot be had.
#
#   CTADM_QEMU_CACHE    the kernel, kept between runs (/var/cache/ctadm-qemu)
#   CTADM_QEMU_TIMEOUT  seconds the guest may take (240)
#   CTADM_QEMU_KEEP=1   keep the work directory (initramfs, console log)
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

LANE=distro_kernel
CACHE=${CTADM_QEMU_CACHE:-/var/cache/ctadm-qemu}
TIMEOUT=${CTADM_QEMU_TIMEOUT:-240}
KERNEL=$CACHE/kernel

lane_skip() { skip "$LANE" "$1"; exit 0; }

lane_requirements() {
	local tool
	[ "$(uname -m)" = x86_64 ] || lane_skip "the lane boots an amd64 guest with this machine's libraries"
	command -v qemu-system-x86_64 >/dev/null ||
		lane_skip "no qemu-system-x86_64 (apt-get install --no-install-recommends qemu-system-x86)"
	for tool in busybox depmod nft xz apt-get dpkg-deb ldd flock; do
		command -v "$tool" >/dev/null ||
			lane_skip "no $tool (busybox-static, kmod, nftables, xz-utils, apt, libc-bin, util-linux)"
	done
	[ -x "$CTADM" ] || lane_skip "no ctadm at $CTADM"
	if ! mkdir -p "$CACHE" 2>/dev/null || [ ! -w "$CACHE" ]; then
		lane_skip "cannot write $CACHE (set CTADM_QEMU_CACHE)"
	fi
}

# The last of the files a glob matched (the newest version), or nothing.
last_file() {
	local f=
	for f; do :; done
	[ -e "$f" ] && printf '%s\n' "$f"
}

# apt-get download PKG... into the cache; once more after an update (an
# old list names versions the mirror has dropped).
deb_download() {
	(cd "$CACHE/debs" && apt-get download "$@") >"$CACHE/apt.log" 2>&1 && return 0
	apt-get update -qq >>"$CACHE/apt.log" 2>&1 &&
		(cd "$CACHE/debs" && apt-get download "$@") >>"$CACHE/apt.log" 2>&1
}

# The newest linux-image-VERSION-amd64 .deb in the cache, or fetched: the
# linux-image-amd64 meta package depends on exactly one.
deb_find() {
	local meta pkg deb
	deb=$(last_file "$CACHE"/debs/linux-image-[0-9]*-amd64_*.deb)
	if [ -z "$deb" ]; then
		mkdir -p "$CACHE/debs"
		deb_download linux-image-amd64 || return 1
		meta=$(last_file "$CACHE"/debs/linux-image-amd64_*.deb) || return 1
		pkg=$(dpkg-deb -f "$meta" Depends | sed 's/[ ,|(].*//')
		deb_download "$pkg" || return 1
		deb=$(last_file "$CACHE/debs/$pkg"_*.deb) || return 1
	fi
	printf '%s\n' "$deb"
}

# The ELF kernel inside a bzImage, for qemu's PVH entry (no real-mode
# setup, no decompression in the guest: half the boot time).  The boot
# protocol's header gives where the compressed payload is; Debian's is xz.
vmlinux_extract() {
	local bz=$1 setup off len
	setup=$(od -An -tu1 -j $((0x1f1)) -N1 "$bz" | tr -d ' ')
	off=$(od -An -tu4 -j $((0x248)) -N4 "$bz" | tr -d ' ')
	len=$(od -An -tu4 -j $((0x24c)) -N4 "$bz" | tr -d ' ')
	tail -c +$(((setup + 1) * 512 + off + 1)) "$bz" | head -c "$len" |
		xz -dc --single-stream >"$2"
}

# The netfilter modules and what they depend on (modules.dep of the whole
# tree), with kmod's depmod indexes: libkmod reads modules.dep.bin, which
# busybox's depmod does not write.
modules_extract() {
	local tree=$1 rel=$2 out=$3 m
	depmod -b "$tree" "$rel" || return 1
	mkdir -p "$out/lib/modules/$rel"
	(cd "$tree/lib/modules/$rel" &&
		for m in kernel/net/netfilter/*.ko kernel/net/ipv4/netfilter/*.ko \
			kernel/net/ipv6/netfilter/*.ko kernel/crypto/crc32c_generic.ko; do
			grep "^$m:" modules.dep | tr -d : | tr ' ' '\n'
		done | sort -u | grep . |
		xargs cp --parents -t "$out/lib/modules/$rel" &&
		cp modules.builtin modules.builtin.modinfo modules.order "$out/lib/modules/$rel") &&
		depmod -b "$out" "$rel"
}

# $KERNEL/{release,vmlinux,lib/modules/RELEASE}, made once from the .deb.
kernel_prepare() {
	local deb=$1 tmp rel ok=1
	tmp=$(mktemp -d "$CACHE/tmp.XXXXXX") && rm -rf "$KERNEL" && mkdir -p "$KERNEL" &&
		dpkg-deb -x "$deb" "$tmp" && rel=$(ls "$tmp/lib/modules") &&
		vmlinux_extract "$tmp/boot/vmlinuz-$rel" "$KERNEL/vmlinux" &&
		modules_extract "$tmp" "$rel" "$KERNEL" && echo "$rel" >"$KERNEL/release" &&
		touch "$KERNEL/ready" && ok=0
	rm -rf "$tmp"
	return $ok
}

# stage FILE DEST: FILE at DEST in the initramfs, with the libraries ldd
# lists at their own paths (for the sanitizer build: libasan, libubsan).
stage() {
	local lib
	install -D -m 755 "$1" "$ROOT$2" || return 1
	for lib in $(ldd "$1" 2>/dev/null | grep -o '/[^ ]*'); do
		[ -e "$ROOT$lib" ] || install -D -m 755 "$lib" "$ROOT$lib" || return 1
	done
}

# ctadm opens libkmod with dlopen(), so ldd does not list it: its name in
# the binary tells whether this build uses it.
ctadm_has_kmod() { grep -q libkmod.so.2 "$CTADM"; }

# libkmod.so.2 (and what it links) at its own path, for ctadm's dlopen().
stage_libkmod() {
	local lib
	ctadm_has_kmod || return 0
	lib=$(ldconfig -p | awk '/libkmod\.so\.2 .*x86-64/ { print $NF; exit }')
	[ -n "$lib" ] && stage "$lib" "$lib"
}

initramfs_make() {
	local d
	for d in bin sbin usr/bin usr/sbin proc sys dev tmp run etc; do mkdir -p "$ROOT/$d"; done
	stage "$(command -v busybox)" /bin/busybox &&
		stage "$CTADM" /bin/ctadm && stage_libkmod &&
		stage "$(command -v nft)" /usr/sbin/nft &&
		cp -a "$KERNEL/lib" "$ROOT/" &&
		install -m 755 "$TESTS_DIR/qemu/guest-init.sh" "$ROOT/init" &&
		(cd "$ROOT" && find . | busybox cpio -o -H newc 2>/dev/null) >"$WORK/initramfs.cpio"
}

# The guest's environment: what it needs to know of the build, and the
# sanitizer options CI sets (the kernel hands NAME=VALUE words to init).
guest_cmdline() {
	local cmd="console=ttyS0 panic=-1 quiet"
	ctadm_has_kmod && cmd+=" CTADM_KMOD=1"
	[ -n "${ASAN_OPTIONS:-}" ] && cmd+=" ASAN_OPTIONS=$ASAN_OPTIONS"
	[ -n "${UBSAN_OPTIONS:-}" ] && cmd+=" UBSAN_OPTIONS=$UBSAN_OPTIONS"
	printf '%s\n' "$cmd"
}

lane_requirements
exec 9>"$CACHE/lock"
flock 9
if [ ! -f "$KERNEL/ready" ]; then
	deb=$(deb_find) ||
		lane_skip "cannot download Debian's linux-image-amd64 (no network?): $(tail -n 1 "$CACHE/apt.log")"
	kernel_prepare "$deb" || { fail "$LANE: the kernel and modules of $deb"; exit 1; }
fi
flock -u 9

WORK=$(mktemp -d)
ROOT=$WORK/root
if [ "${CTADM_QEMU_KEEP:-}" = 1 ]; then echo "work directory: $WORK"; else trap 'rm -rf "$WORK"' EXIT; fi
initramfs_make || { fail "$LANE: initramfs"; exit 1; }

start=$SECONDS
timeout "$TIMEOUT" qemu-system-x86_64 -accel tcg -m 512M -smp 1 -no-reboot \
	-nic none -display none -monitor none -serial stdio \
	-kernel "$KERNEL/vmlinux" -initrd "$WORK/initramfs.cpio" \
	-append "$(guest_cmdline)" </dev/null 2>&1 | tr -d '\r' >"$WORK/console.log"
echo "$LANE: $(cat "$KERNEL/release") in qemu: $((SECONDS - start)) s"

grep -E '^(PASS|FAIL|SKIP): |^  ' "$WORK/console.log"
if grep -q '^GUEST DONE$' "$WORK/console.log"; then
	pass "$LANE: the guest ran every check"
else
	fail "$LANE: the guest ran every check" "no end mark within ${TIMEOUT}s; console:" \
		"$(grep -Ev '^(PASS|FAIL|SKIP): |^  ' "$WORK/console.log" | tail -n 30)"
fi
t_done
