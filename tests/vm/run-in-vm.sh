#!/bin/sh
# SPDX-License-Identifier: ISC
# run-in-vm.sh - run a command inside a small throw-away virtual machine that
# boots Debian 12's own kernel, and exit with the command's exit status.
#
#   sh tests/vm/run-in-vm.sh sh tests/integration/test_linux_bridge.sh
#
# Why: the Linux-bridge plugin's VLAN membership checks need
# CONFIG_BRIDGE_VLAN_FILTERING (`ip link set br0 type bridge vlan_filtering 1`),
# which some host kernels (custom CI kernels) lack; test_linux_bridge.sh then
# skips them.  Debian's stock kernel has it, so the test is run again under
# that kernel, everything else (evbd, iproute2, jq, ...) being the host's own.
#
# How: everything is built at run time, from Debian packages, into a cache
# ($VM_DIR, default build/vm/, which is gitignored; nothing here is committed):
#   - linux-image-<abi>-amd64 (the package linux-image-amd64 depends on):
#     vmlinuz, and the few modules needed (virtio, 9p, overlay, bridge, veth,
#     macvlan, ... with their dependencies, read from each module's depends=);
#   - busybox-static: the initramfs' only program (and its cpio to build it).
# qemu-system-x86_64 (package qemu-system-x86) must be installed; when it is
# not and we are root, it is installed with apt-get (VM_NO_INSTALL=1: skip).
# The guest mounts the host's root file system read-only over 9p (virtio),
# puts a tmpfs overlay on top (so writes work, and vanish with the VM: the
# host's files, /tmp included, are seen but never changed), a fresh /run, its
# own /proc, /sys, /dev, switches root
# into it and runs the command there with the caller's environment and working
# directory.  The command's output (stdout and stderr) comes back on a serial
# port, printed here as it comes; the kernel console (and the exit status) go
# to a log file, so nothing but the command's output is printed.
#
# Exit status: the command's; 77 = skipped (printed "skipped: REASON", e.g.
# no qemu and not root to install it); 125 = the VM itself failed (its
# console log shown).
#
# Acceleration (VM_ACCEL): auto (default) uses KVM when /dev/kvm is usable
# hardware KVM (kvm_intel/kvm_amd), else TCG emulation (slower: about 40 s
# for test_linux_bridge.sh on 2 cores).  A /dev/kvm that cannot boot a stock
# kernel (e.g. kvm_pvm, which runs only PVM guest kernels, or a guest that
# does not come up in VM_BOOT_TIMEOUT seconds) also means TCG.  VM_ACCEL=kvm
# or tcg forces one.
#
# Other knobs: VM_DIR (cache), VM_MEM (MiB, 1024), VM_SMP (2), VM_TIMEOUT
# (seconds for the whole run, 1800), VM_BOOT_TIMEOUT (30), VM_MODULES (extra
# kernel modules to load), VM_ROOT=ro (no overlay: the host tree read-only),
# VM_KERNEL_PKG (a linux-image package to use), VM_REFRESH=1 (look up the
# newest kernel package again), VM_KEEP=1 (keep the run's console log),
# VM_VERBOSE=1 (say what happens, and the timings, on stderr).
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd) || exit 125
SELF=$ROOT/tests/vm/run-in-vm.sh
VM_DIR=${VM_DIR:-$ROOT/build/vm}
VM_MEM=${VM_MEM:-1024}
VM_SMP=${VM_SMP:-2}
VM_TIMEOUT=${VM_TIMEOUT:-1800}
VM_BOOT_TIMEOUT=${VM_BOOT_TIMEOUT:-30}
VM_ROOT=${VM_ROOT:-overlay}
VM_VERBOSE=${VM_VERBOSE:-0}
# The guest needs: virtio PCI + 9p (the host root), overlay (writable root),
# and what the integration tests create: bridges (with VLAN filtering), veth,
# macvlan/macvtap, 802.1Q, dummy, tun, vxlan.
MODULES="virtio_pci 9pnet_virtio 9p overlay bridge veth macvlan macvtap 8021q dummy tun vxlan
${VM_MODULES:-}"

say() { [ "$VM_VERBOSE" = 1 ] && echo "run-in-vm: $*" >&2; return 0; }
note() { echo "run-in-vm: $*" >&2; }
die() {
	echo "run-in-vm: error: $*" >&2
	exit 125
}
skip() {
	echo "skipped: $*"
	exit 77
}
now() { date +%s.%N | cut -c1-14; }
T0=$(now)
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

[ $# -gt 0 ] || {
	echo "usage: $0 COMMAND [ARG]...  (run COMMAND in a Debian-kernel VM)" >&2
	exit 2
}
# The command line, quoted for sh (the positional parameters are reused below).
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
CMD=
for a; do CMD="$CMD $(q "$a")"; done

# ---- acceleration ----
hw_kvm() { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; }
ACCEL=${VM_ACCEL:-auto}
case $ACCEL in
auto)
	if [ -r /dev/kvm ] && [ -w /dev/kvm ] && hw_kvm; then ACCEL=kvm; else
		say "no hardware KVM usable here: TCG emulation (slower)"
		ACCEL=tcg
	fi
	;;
kvm | tcg) ;;
*) die "VM_ACCEL must be auto, kvm or tcg" ;;
esac

# ---- qemu ----
QEMU=$(command -v qemu-system-x86_64) || QEMU=
if [ -z "$QEMU" ]; then
	if [ "$(id -u)" = 0 ] && [ "${VM_NO_INSTALL:-0}" != 1 ] && command -v apt-get >/dev/null; then
		note "installing qemu-system-x86 (apt-get)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			qemu-system-x86 >"${TMPDIR:-/tmp}/run-in-vm-apt.log" 2>&1 ||
			{ apt-get update -q >/dev/null 2>&1 &&
				DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
					qemu-system-x86 >"${TMPDIR:-/tmp}/run-in-vm-apt.log" 2>&1; } ||
			die "apt-get install qemu-system-x86 failed (${TMPDIR:-/tmp}/run-in-vm-apt.log)"
		QEMU=$(command -v qemu-system-x86_64) || die "no qemu-system-x86_64 after installing it"
	else
		skip "qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)"
	fi
fi

# ---- the cache: Debian packages, kernel, modules, initramfs ----
mkdir -p "$VM_DIR/debs" || die "cannot create $VM_DIR"
apt_ready=0
apt_ok() { # make sure the package lists are there (a fresh CI image has none)
	[ $apt_ready = 1 ] && return 0
	command -v apt-get >/dev/null || die "apt-get is needed to fetch the VM's Debian packages"
	if ! apt-cache show busybox-static >/dev/null 2>&1; then
		[ "$(id -u)" = 0 ] || die "no apt package lists (run apt-get update)"
		say "apt-get update"
		apt-get update -q >/dev/null 2>&1 || die "apt-get update failed"
	fi
	apt_ready=1
}
fetch() { # PKG: its .deb in $VM_DIR/debs (downloaded unless there)
	_f=$(ls "$VM_DIR/debs/$1"_*.deb 2>/dev/null | tail -1)
	if [ -z "$_f" ]; then
		apt_ok
		say "downloading $1"
		(cd "$VM_DIR/debs" && apt-get download "$1") >"$VM_DIR/apt.log" 2>&1 ||
			{ cat "$VM_DIR/apt.log" >&2; die "apt-get download $1 failed"; }
		_f=$(ls "$VM_DIR/debs/$1"_*.deb 2>/dev/null | tail -1)
		[ -n "$_f" ] || die "apt-get download $1 gave no .deb"
	fi
	echo "$_f"
}

BB=$VM_DIR/busybox
if [ ! -x "$BB" ]; then
	deb=$(fetch busybox-static) || exit 125
	rm -rf "$VM_DIR/bb.x" && mkdir "$VM_DIR/bb.x" &&
		dpkg-deb -x "$deb" "$VM_DIR/bb.x" && cp "$VM_DIR/bb.x/bin/busybox" "$BB.tmp" &&
		mv "$BB.tmp" "$BB" && rm -rf "$VM_DIR/bb.x" || die "cannot extract busybox from $deb"
fi

KPKG=${VM_KERNEL_PKG:-}
if [ -z "$KPKG" ] && [ "${VM_REFRESH:-0}" != 1 ] && [ -s "$VM_DIR/kernel-pkg" ]; then
	KPKG=$(cat "$VM_DIR/kernel-pkg")
fi
if [ -z "$KPKG" ]; then
	apt_ok
	KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -1)
	[ -n "$KPKG" ] || die "cannot tell which kernel package linux-image-amd64 depends on"
	echo "$KPKG" >"$VM_DIR/kernel-pkg"
fi
KDIR=$VM_DIR/$KPKG
want_mods=$(echo $MODULES | tr ' -' '\n_' | sort -u | tr '\n' ' ')

if [ ! -s "$KDIR/vmlinuz" ] || [ "$(cat "$KDIR/mod/wanted" 2>/dev/null)" != "$want_mods" ]; then
	deb=$(fetch "$KPKG") || exit 125
	say "extracting $(basename "$deb")"
	X=$VM_DIR/kernel.x
	rm -rf "$X" "$KDIR" && mkdir -p "$X" "$KDIR/mod" || die "cannot write $VM_DIR"
	nice dpkg-deb -x "$deb" "$X" || die "cannot extract $deb"
	vmlinuz=$(ls "$X"/boot/vmlinuz-* 2>/dev/null | head -1)
	[ -n "$vmlinuz" ] || die "no vmlinuz in $deb"
	kver=${vmlinuz##*/vmlinuz-}
	MD=$X/lib/modules/$kver
	[ -d "$MD" ] || MD=$X/usr/lib/modules/$kver
	[ -d "$MD" ] || die "no modules for $kver in $deb"
	cp "$vmlinuz" "$KDIR/vmlinuz" && cp "$X/boot/config-$kver" "$KDIR/config" 2>/dev/null
	echo "$kver" >"$KDIR/kver"
	# name path, for every module (names with _ for -)
	find "$MD/kernel" -name '*.ko*' | awk '{ n = $0; sub(/.*\//, "", n); sub(/\.ko.*/, "", n);
		gsub(/-/, "_", n); print n, $0 }' >"$X/index"
	modpath() { awk -v n="$1" '$1 == n { print $2; exit }' "$X/index"; }
	modfile() { # NAME: the uncompressed module in $KDIR/mod (made if need be)
		[ -f "$KDIR/mod/$1.ko" ] && return 0
		_p=$(modpath "$1")
		[ -n "$_p" ] || return 1
		case $_p in
		*.ko) cp "$_p" "$KDIR/mod/$1.ko" ;;
		*.ko.xz) "$BB" unxz -c "$_p" >"$KDIR/mod/$1.ko" ;;
		*.ko.zst) zstd -dqc "$_p" >"$KDIR/mod/$1.ko" ;;
		*.ko.gz) gzip -dc "$_p" >"$KDIR/mod/$1.ko" ;;
		*) return 1 ;;
		esac
	}
	deps() { tr '\0' '\n' <"$KDIR/mod/$1.ko" | sed -n 's/^depends=//p' | head -1 | tr ',-' ' _'; }
	# Dependency order by a stack: a module is listed once all it needs is.
	order=" "
	stack=$want_mods
	while [ -n "$(echo $stack)" ]; do
		set -- $stack
		m=$1
		case $order in *" $m "*)
			shift
			stack="$*"
			continue
			;;
		esac
		if ! modfile "$m"; then
			grep -q "/$(echo "$m" | sed 's/_/[-_]/g')\.ko" "$MD/modules.builtin" 2>/dev/null ||
				note "kernel module $m not found in $KPKG (ignored)"
			shift
			stack="$*"
			continue
		fi
		need=
		for d in $(deps "$m"); do
			case $order in *" $d "*) ;; *) need="$need $d" ;; esac
		done
		if [ -z "$need" ]; then
			order="$order$m "
			shift
			stack="$*"
		else
			stack="$need $stack"
		fi
	done
	echo $order | tr ' ' '\n' >"$KDIR/mod/order"
	echo "$want_mods" >"$KDIR/mod/wanted"
	rm -rf "$X" "$KDIR/initrd.gz"
	say "modules: $(echo $order)"
fi

# ---- the initramfs: busybox, the modules, /init (stage 1) and stage 2 ----
INITRD=$KDIR/initrd.gz
if [ ! -s "$INITRD" ] || [ "$SELF" -nt "$INITRD" ] || [ "$BB" -nt "$INITRD" ]; then
	say "building the initramfs"
	I=$VM_DIR/initrd.x
	rm -rf "$I" && mkdir -p "$I/bin" "$I/mod" "$I/proc" "$I/sys" "$I/dev" "$I/lower" "$I/newroot" "$I/rw" ||
		die "cannot write $VM_DIR"
	cp "$BB" "$I/bin/busybox" && cp "$KDIR"/mod/*.ko "$KDIR/mod/order" "$I/mod/" ||
		die "cannot fill the initramfs"
	cat >"$I/init" <<'EOI'
#!/bin/busybox sh
# Stage 1 (PID 1 in the initramfs): modules, the host root over 9p (+ a tmpfs
# overlay), fresh /proc /sys /dev /tmp /run, then switch_root to stage 2.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
say() { echo "run-in-vm: $*" >/dev/ttyS0; }
fail() {
	say "guest setup failed: $*"
	poweroff -f
}
say "booted $(cut -d' ' -f1 /proc/uptime)"
while read -r m; do
	[ -n "$m" ] && { insmod "/mod/$m.ko" || say "insmod $m failed"; }
done </mod/order
[ -f /rvm/conf ] || fail "no /rvm/conf (the run's initramfs part)"
. /rvm/conf
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose hostroot /lower ||
	fail "cannot mount the host root (9p)"
if [ "$ROOTMODE" = overlay ] && mount -t tmpfs -o mode=755 rw /rw && mkdir /rw/u /rw/w &&
	mount -t overlay -o lowerdir=/lower,upperdir=/rw/u,workdir=/rw/w ovl /newroot; then :; else
	[ "$ROOTMODE" = overlay ] && say "overlay failed: the root stays read-only"
	mount --bind /lower /newroot || fail "bind mount"
fi
R=/newroot
mount -t proc proc $R/proc && mount -t sysfs sys $R/sys && mount -t devtmpfs dev $R/dev ||
	fail "cannot mount /proc, /sys, /dev"
mount -t cgroup2 cgroup2 $R/sys/fs/cgroup 2>/dev/null
mkdir -p $R/dev/pts $R/dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts $R/dev/pts
mount -t tmpfs -o mode=1777 shm $R/dev/shm
# /tmp, /var/tmp: the host's seen through the overlay (writes stay in the
# VM); fresh tmpfs when the root is read-only.  /run: always a fresh tmpfs.
if ! touch $R/tmp/.run-in-vm 2>/dev/null; then
	mount -t tmpfs -o mode=1777 tmp $R/tmp || fail "cannot mount /tmp"
	[ -d $R/var/tmp ] && mount -t tmpfs -o mode=1777 vartmp $R/var/tmp
fi
rm -f $R/tmp/.run-in-vm
mount -t tmpfs -o mode=755 run $R/run || fail "cannot mount /run"
mkdir -p $R/run/rvm $R/run/lock && cp /bin/busybox /stage2 /rvm/* $R/run/rvm/ || fail "cannot fill /run/rvm"
exec switch_root $R /run/rvm/busybox sh /run/rvm/stage2
EOI
	cat >"$I/stage2" <<'EOI'
# Stage 2 (PID 1 in the host's root): run the command, output on ttyS1, the
# status on the console (ttyS0), then power off.
B=/run/rvm/busybox
say() { echo "run-in-vm: $*" >/dev/ttyS0; }
$B hostname run-in-vm
$B ip link set lo up
$B stty -F /dev/ttyS1 raw -echo
say "start $($B cut -d' ' -f1 /proc/uptime)"
# The host's sh: busybox's would run its own applets (ip, date, ...) first.
/bin/sh /run/rvm/cmd.sh </dev/null >/dev/ttyS1 2>&1
rc=$?
$B stty -F /dev/ttyS1 raw -echo # waits for the output to drain
say "end $($B cut -d' ' -f1 /proc/uptime)"
say "status $rc"
$B stty -F /dev/ttyS0 -a >/dev/null
$B sleep 0.1
$B poweroff -f
EOI
	chmod 755 "$I/init"
	(cd "$I" && find . | "$BB" cpio -o -H newc 2>/dev/null) | gzip -1 >"$INITRD.tmp" &&
		mv "$INITRD.tmp" "$INITRD" || die "cannot build the initramfs"
	rm -rf "$I"
fi

# ---- this run: the command (+ environment, working directory) ----
RUN=$(mktemp -d "$VM_DIR/run.XXXXXX") || die "cannot write $VM_DIR"
QPID=
WPID=
cleanup() {
	[ -n "$WPID" ] && kill "$WPID" 2>/dev/null
	[ -n "$QPID" ] && kill "$QPID" 2>/dev/null && sleep 0.5 && kill -9 "$QPID" 2>/dev/null
	if [ "${VM_KEEP:-0}" = 1 ]; then note "kept $RUN"; else rm -rf "$RUN"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir "$RUN/rvm" && {
	export -p
	echo "unset OLDPWD"
	echo "cd $(q "$PWD") || exit 125"
	echo "exec$CMD"
} >"$RUN/rvm/cmd.sh" && echo "ROOTMODE=$VM_ROOT" >"$RUN/rvm/conf" &&
	(cd "$RUN" && find rvm | "$BB" cpio -o -H newc 2>/dev/null) | gzip -1 >"$RUN/run.gz" &&
	cat "$INITRD" "$RUN/run.gz" >"$RUN/initrd" || die "cannot write $RUN"

# ---- boot ----
boot() { # ACCEL: run qemu (the command's output to stdout); sets QPID
	case $1 in
	kvm) acc="-accel kvm -cpu host" ;;
	tcg) acc="-accel tcg,thread=multi -cpu max" ;;
	esac
	: >"$RUN/console.log"
	rm -f "$RUN/why"
	# shellcheck disable=SC2086
	nice "$QEMU" -nodefaults -no-user-config -display none -monitor none -no-reboot \
		$acc -m "$VM_MEM" -smp "$VM_SMP" \
		-kernel "$KDIR/vmlinuz" -initrd "$RUN/initrd" \
		-append "console=ttyS0 quiet loglevel=3 panic=-1 8250.nr_uarts=2" \
		-chardev file,id=con,path="$RUN/console.log" -serial chardev:con \
		-chardev stdio,id=out,signal=off -serial chardev:out \
		-fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap \
		-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
		</dev/null 2>"$RUN/qemu.err" &
	QPID=$!
	# The watchdog: no boot in VM_BOOT_TIMEOUT s, or no end in VM_TIMEOUT s.
	(
		t=0
		while kill -0 $QPID 2>/dev/null; do
			sleep 1
			t=$((t + 1))
			if [ $t -ge "$VM_BOOT_TIMEOUT" ] && ! grep -q 'run-in-vm: booted' "$RUN/console.log"; then
				echo boot >"$RUN/why"
			elif [ $t -ge "$VM_TIMEOUT" ]; then
				echo timeout >"$RUN/why"
			else
				continue
			fi
			kill $QPID
			sleep 2
			kill -9 $QPID 2>/dev/null
			break
		done
	) &
	WPID=$!
	wait $QPID
	QPID=
	kill $WPID 2>/dev/null
	wait $WPID 2>/dev/null
	WPID=
}
say "booting ($ACCEL)"
boot $ACCEL
if [ "$(cat "$RUN/why" 2>/dev/null)" = boot ] && [ $ACCEL = kvm ] && [ "${VM_ACCEL:-auto}" = auto ]; then
	note "the guest did not boot with KVM in ${VM_BOOT_TIMEOUT}s; trying again with TCG emulation"
	ACCEL=tcg
	boot tcg
fi
log=$(tr -d '\r' <"$RUN/console.log")
status=$(echo "$log" | sed -n 's/^run-in-vm: status \([0-9][0-9]*\)$/\1/p' | tail -1)
if [ "$VM_VERBOSE" = 1 ]; then
	tb=$(echo "$log" | sed -n 's/^run-in-vm: booted //p')
	ts=$(echo "$log" | sed -n 's/^run-in-vm: start //p')
	te=$(echo "$log" | sed -n 's/^run-in-vm: end //p')
	say "$ACCEL: kernel up at ${tb:-?}s, command started at ${ts:-?}s, ended at ${te:-?}s (guest uptime); $(elapsed "$T0")s in all"
fi
if [ -z "$status" ]; then
	case $(cat "$RUN/why" 2>/dev/null) in
	boot) note "the guest did not boot in ${VM_BOOT_TIMEOUT}s ($ACCEL)" ;;
	timeout) note "timed out after ${VM_TIMEOUT}s (VM_TIMEOUT)" ;;
	*) note "the VM ended without the command's status" ;;
	esac
	[ -s "$RUN/qemu.err" ] && sed 's/^/qemu: /' "$RUN/qemu.err" >&2
	echo "$log" | grep -v '^\[ *[0-9.]*\]  ' | tail -30 | sed 's/^/console: /' >&2
	exit 125
fi
exit "$status"
