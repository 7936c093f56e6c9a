#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tcp_kernel - build, or find in the cache, the debug/KUnit test kernel.
#
# Usage: build-debug-kernel.sh [--print]
#
# Builds bzImage and modules of $TCPK_SRC_PKG (tools/testing/kernels.conf)
# with debug.config applied to Kconfig defaults, and caches the result
# outside the clone:
#
#   ${TCPK_CACHE:-/var/cache/tcp_kernel}/debug-kernel/
#     .lock            flock(1): one builder at a time
#     <key>.log        make log of a build in progress or of a failed one
#     <key>.tmp.XXXX/  a build in progress (never looks complete)
#     <key>/           a finished build: renamed into place, then verified
#       linux/         kernel source tree
#       linux/build/   O= object tree: KDIR for out-of-tree modules
#       build.log      make log
#       .complete      stamp, written last: only its presence means "done"
#
# <key> is the first 12 hex digits of sha256(debug.config, this script,
# TCPK_SRC_VERSION, `gcc --version`).  Only the current key is kept.
# The object tree lives directly below the source tree, so Kbuild records
# the source as ".." and the pair can be renamed without breaking it.
#
# The last lines printed on stdout are KDIR=, BZIMAGE= and KRELEASE=.
# --print prints only these, builds nothing, and fails if the cache is cold.
# Progress goes to stderr.
set -euo pipefail

readonly BUILD_DEPS=(flex bison bc libelf-dev libssl-dev dwarves cpio
		     xz-utils gcc make python3)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly here
readonly fragment=$here/debug.config
self=$here/$(basename "${BASH_SOURCE[0]}")
readonly self
# shellcheck source-path=SCRIPTDIR source=../kernels.conf disable=SC1091
. "$here/../kernels.conf"
: "${TCPK_SRC_PKG:?unset in kernels.conf}" "${TCPK_SRC_VERSION:?unset in kernels.conf}"

root=$(realpath -m -- "${TCPK_CACHE:-/var/cache/tcp_kernel}/debug-kernel")
readonly root
readonly arch=x86_64

say() { printf 'build-debug-kernel: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

usage() {
	sed -n '4,29s/^# \{0,1\}//p' "$self" >&2
	exit "$1"
}

print_only=0
case $# in
0) ;;
1)
	case $1 in
	--print) print_only=1 ;;
	-h | --help) usage 0 ;;
	*) usage 2 ;;
	esac
	;;
*) usage 2 ;;
esac

# Installed version of package $1, empty if it is not installed.
pkg_version() {
	dpkg-query -W -f='${db:Status-Abbrev} ${Version}\n' "$1" 2>/dev/null |
		awk '$1 == "ii" { print $2 }'
}

# Install the pinned source package and the build dependencies that are
# missing; run apt-get update only when something is.
ensure_deps() {
	local missing=() p

	if [[ $(pkg_version "$TCPK_SRC_PKG") != "$TCPK_SRC_VERSION" ]]; then
		missing+=("$TCPK_SRC_PKG=$TCPK_SRC_VERSION")
	fi
	for p in "${BUILD_DEPS[@]}"; do
		[[ -n $(pkg_version "$p") ]] || missing+=("$p")
	done
	((${#missing[@]})) || return 0

	say "installing ${missing[*]}"
	local sudo=()
	if ((EUID != 0)); then
		command -v sudo >/dev/null || die "need root to install: ${missing[*]}"
		sudo=(sudo)
	fi
	"${sudo[@]}" apt-get update >&2
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --allow-downgrades "${missing[@]}" >&2
}

compute_key() {
	local gccver
	gccver=$(gcc --version 2>/dev/null | head -n 1) || gccver=none
	{
		cat "$fragment" "$self"
		printf '%s\n' "$TCPK_SRC_VERSION" "$gccver"
	} | sha256sum | cut -c1-12
}

# The result lines, from a finished key directory $1.
print_result() {
	local kdir=$1/linux/build
	printf 'KDIR=%s\n' "$kdir"
	printf 'BZIMAGE=%s\n' "$kdir/arch/x86/boot/bzImage"
	printf 'KRELEASE=%s\n' "$(<"$kdir/include/config/kernel.release")"
}

# Fail naming every fragment setting that olddefconfig dropped or changed.
verify_config() {
	local config=$1 line sym bad=()

	while IFS= read -r line; do
		if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)= ]]; then
			grep -qxF -- "$line" "$config" && continue
			sym=${BASH_REMATCH[1]}
			bad+=("$line (got: $(grep -E "^(# )?${sym}[= ]" "$config" ||
					      echo "absent, dependency missing"))")
		elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			sym=${BASH_REMATCH[1]}
			grep -q -- "^$sym=" "$config" &&
				bad+=("$line (got: $(grep -- "^$sym=" "$config"))")
		fi
	done <"$fragment"

	((${#bad[@]} == 0)) && return 0
	say "debug.config settings not honoured by the final .config:"
	printf '  %s\n' "${bad[@]}" >&2
	return 1
}

# Delete what an out-of-tree module build does not need from object tree
# $1: objects, archives, intermediate links.  vmlinux (the BTF base),
# Module.symvers, .config, include/, scripts/ and the host tools
# (objtool, resolve_btfids, modpost) stay.
prune_objtree() {
	local o=$1

	find "$o" -type f \( -name '*.o' -o -name '*.a' -o -name '.tmp_vmlinux*' \
		-o -name '*.mod.c' \) -delete
	rm -f "$o/arch/x86/boot/compressed/vmlinux" "$o/arch/x86/boot/compressed/vmlinux.bin"* \
		"$o/arch/x86/boot/vmlinux.bin" "$o/arch/x86/boot/setup.elf"
}

# Build a hello-world module against KDIR $1 and check it got module BTF.
check_external_module() {
	local kdir=$1 dir sections rc=0

	dir=$(mktemp -d)
	cat >"$dir/tcpk_hello.c" <<-'EOF'
		// SPDX-License-Identifier: GPL-2.0
		#include <linux/init.h>
		#include <linux/module.h>

		static int __init tcpk_hello_init(void) { return 0; }
		static void __exit tcpk_hello_exit(void) { }
		module_init(tcpk_hello_init);
		module_exit(tcpk_hello_exit);
		MODULE_LICENSE("GPL");
		MODULE_DESCRIPTION("KDIR check of build-debug-kernel.sh");
	EOF
	echo 'obj-m := tcpk_hello.o' >"$dir/Kbuild"
	if ! make -C "$kdir" M="$dir" modules >>"$log" 2>&1; then
		say "out-of-tree module build against $kdir failed"
		rc=1
	elif ! sections=$(readelf -SW "$dir/tcpk_hello.ko"); then
		say "readelf failed on the out-of-tree module"
		rc=1
	elif [[ $sections != *' .BTF '* ]]; then
		say "out-of-tree module has no .BTF section"
		rc=1
	fi
	rm -rf -- "$dir"
	return "$rc"
}

fail_build() {
	say "$1"
	if [[ -s $log ]]; then
		say "last lines of $log:"
		tail -n 40 "$log" >&2
	fi
	exit 1
}

# --- Warm cache: print and leave -------------------------------------------
if ! command -v gcc >/dev/null && ((!print_only)); then
	ensure_deps
fi
key=$(compute_key)
readonly key final=$root/$key
if [[ -f $final/.complete ]]; then
	print_result "$final"
	exit 0
fi
((!print_only)) || die "no cached debug kernel for key $key in $root"

# --- Cold cache: build under the lock ----------------------------------------
mkdir -p "$root" || die "cannot create $root (set TCPK_CACHE)"
exec {lockfd}>"$root/.lock"
if ! flock -n "$lockfd"; then
	say "another build holds $root/.lock; waiting"
	flock "$lockfd"
fi
if [[ -f $final/.complete ]]; then
	print_result "$final"
	exit 0
fi

ensure_deps
tarball=$(dpkg -L "$TCPK_SRC_PKG" | grep '^/usr/src/.*\.tar\.xz$') ||
	die "$TCPK_SRC_PKG ships no /usr/src/*.tar.xz"
tarball=${tarball%%$'\n'*}

# We hold the lock, so nothing under $root is in use by a builder: clear
# leftovers of interrupted runs (temp trees, an unstamped key directory).
rm -rf -- "$root/$key".tmp.* "$final"

tmp=$(mktemp -d "$root/$key.tmp.XXXX")
chmod 755 "$tmp"
owned_final=0
cleanup() {
	if [[ -n ${tmp:-} && -d $tmp ]]; then
		rm -rf -- "$tmp"
	fi
	if ((owned_final)) && [[ ! -f $final/.complete ]]; then
		rm -rf -- "$final"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log=$root/$key.log
: >"$log"
start=$SECONDS
src=$tmp/linux
obj=$src/build
make_k() { make -C "$src" O="$obj" ARCH="$arch" LOCALVERSION= "$@"; }

say "key $key: building $TCPK_SRC_PKG $TCPK_SRC_VERSION in $tmp (log: $log)"
mkdir -p "$obj"
tar -C "$src" --strip-components=1 -xf "$tarball" ||
	fail_build "cannot extract $tarball"

say "configuring: debug.config on Kconfig defaults (olddefconfig)"
cp "$fragment" "$obj/.config"
make_k olddefconfig >>"$log" 2>&1 || fail_build "make olddefconfig failed"
verify_config "$obj/.config" || fail_build "debug.config not satisfied"

say "building bzImage and modules with -j$(nproc)"
make_k -j"$(nproc)" bzImage modules >>"$log" 2>&1 ||
	fail_build "kernel build failed"
build_secs=$((SECONDS - start))
say "built in ${build_secs}s; pruning intermediates"
prune_objtree "$obj"

mv -T -- "$tmp" "$final"
owned_final=1
tmp=

say "checking an out-of-tree module build against the cached tree"
check_external_module "$final/linux/build" ||
	fail_build "cached tree is not usable as KDIR"
mv -- "$log" "$final/build.log"

printf 'key=%s\nsource=%s=%s\nbuild_seconds=%s\n' \
	"$key" "$TCPK_SRC_PKG" "$TCPK_SRC_VERSION" "$build_secs" \
	>"$final/.complete.tmp"
mv -- "$final/.complete.tmp" "$final/.complete"

# Keep only the current key.
for old in "$root"/* "$root"/.[!.]*; do
	[[ -e $old ]] || continue
	case ${old##*/} in
	"$key" | .lock) ;;
	*) rm -rf -- "$old" ;;
	esac
done

say "done in $((SECONDS - start))s ($(du -sh "$final" | cut -f1) in $final)"
print_result "$final"
