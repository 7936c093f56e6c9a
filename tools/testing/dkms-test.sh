#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - the DKMS lifecycle against every pinned kernel
# (tools/testing/kernels.conf): stage the source (dkms-install.sh
# --stage-only), dkms add, build and install for each kernel, then check
# what got installed (status, file, .BTF, modinfo version and vermagic),
# dkms remove --all, and check that nothing is left.
#
# usage: dkms-test.sh [--force]
#   --force  remove an existing DKMS registration of tcp_kernel first
#            (without it the test refuses to touch one)
#
# Output is TAP (tools/testing/lib/tap.sh); the exit status is non-zero if
# any check failed.  Runs as root; installs missing Debian packages.  The
# machine is left as it was found, also when a step fails or the run is
# interrupted (EXIT trap): registration, /usr/src copy, installed modules,
# depmod indexes, and the module signing key DKMS generates on first use.
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
top=$(readlink -f "$here/../..")
# shellcheck source=SCRIPTDIR/lib/tap.sh
. "$here/lib/tap.sh"
# shellcheck source=SCRIPTDIR/kernels.conf
. "$here/kernels.conf"

name=tcp_kernel
arch=$(uname -m)
force=0
start=$SECONDS

bail() {
	echo "Bail out! $*"
	exit 1
}

while [ $# -gt 0 ]; do
	case $1 in
	--force) force=1; shift ;;
	-h | --help) sed -n 's/^# \{0,1\}//; 10,12p' "$0" >&2; exit 2 ;;
	*) echo "unknown argument: $1" >&2; exit 2 ;;
	esac
done

# shellcheck source=SCRIPTDIR/lib/pkgs.sh
. "$here/lib/pkgs.sh"

# The pinned kernels, oldest first: every TCPK_K<series>_RELEASE, with
# its package version in TCPK_K<series>_VERSION.
kernels=()
pkgs=(dkms kmod binutils xz-utils pahole "$TCPK_KBUILD612_PKG")
while IFS= read -r var; do
	k=${!var}
	vvar=${var%_RELEASE}_VERSION
	kernels+=("$k")
	pkgs+=("linux-headers-$k=${!vvar}")
	# The BTF post-link of kernels whose headers have no vmlinux takes
	# its base from the image.
	[ -e "/boot/vmlinuz-$k" ] || pkgs+=("linux-image-$k=${!vvar}")
done < <(compgen -A variable | grep -E '^TCPK_K[0-9]+_RELEASE$')
[ ${#kernels[@]} -gt 0 ] || bail "no TCPK_K*_RELEASE in $here/kernels.conf"
mapfile -t kernels < <(printf '%s\n' "${kernels[@]}" | sort -V)

version=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$top/dkms.conf")
[ -n "$version" ] || bail "no PACKAGE_VERSION in $top/dkms.conf"
srcdir=/usr/src/$name-$version
dkmsdir=/var/lib/dkms/$name

[ "$(id -u)" -eq 0 ] || bail "must run as root (dkms)"
need_pkgs "${pkgs[@]}" || bail "cannot install ${pkgs[*]}"

# One DKMS user of tcp_kernel at a time (dkms-install.sh takes the same
# lock; nothing is left behind).
exec 9</var/lib/dkms
flock -w 900 9 || bail "another DKMS run of $name holds /var/lib/dkms"
export TCPK_DKMS_LOCKED=1

if [ -n "$(dkms status -m "$name" 2>/dev/null)" ] || [ -e "$dkmsdir" ] ||
	compgen -G "/usr/src/$name-*" >/dev/null; then
	((force)) || bail "$name is already known to DKMS (or staged in /usr/src): this test" \
		"would not leave it as found; remove it (dkms remove $name/<version> --all;" \
		"rm -rf /usr/src/$name-*) or pass --force"
	dkms remove "$name/$version" --all >/dev/null 2>&1 || true
	rm -rf "$dkmsdir" "/usr/src/$name-"*
fi

# --- What "as found" means ------------------------------------------------
tmp=$(mktemp -d)
state=$tmp/state
mkdir -p "$state"
for k in "${kernels[@]}"; do
	mkdir -p "$state/$k"
	cp -p "/lib/modules/$k"/modules.* "$state/$k/"
	for d in updates updates/dkms; do
		[ -e "/lib/modules/$k/$d" ] || echo "/lib/modules/$k/$d"
	done >>"$state/absent-dirs"
done
for f in /var/lib/dkms/mok.key /var/lib/dkms/mok.pub; do
	[ -e "$f" ] || echo "$f"
done >"$state/absent-keys"

# leave_as_found: idempotent; runs at the end and from the EXIT trap.
leave_as_found() {
	local k f d

	if [ -e "$dkmsdir" ]; then
		dkms remove "$name/$version" --all >/dev/null 2>&1 || true
		rm -rf "$dkmsdir"
	fi
	rm -rf "$srcdir"
	for k in "${kernels[@]}"; do
		rm -f "/lib/modules/$k/updates/dkms/$name.ko"*
		for f in "$state/$k"/modules.*; do
			cmp -s "$f" "/lib/modules/$k/${f##*/}" || cp -p "$f" "/lib/modules/$k/"
		done
	done
	# deepest first
	sort -r "$state/absent-dirs" | while IFS= read -r d; do
		rmdir "$d" 2>/dev/null || true
	done
	while IFS= read -r f; do rm -f "$f"; done <"$state/absent-keys"
}

cleanup() {
	local rc=$?

	trap - EXIT INT TERM
	if [ -d "$state" ]; then
		[ "$rc" -eq 0 ] || tap_diag "exit status $rc: leaving the machine as found"
		leave_as_found
	fi
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# make_log_diag <kver>: the DKMS build log of <kver>, as diagnostics.
make_log_diag() {
	local log

	for log in "$dkmsdir/$version/$1/$arch/log/make.log" "$dkmsdir/$version/build/make.log"; do
		if [ -r "$log" ]; then
			tap_diag "tail of $log:"
			tap_diag "$(tail -n 40 "$log")"
			return
		fi
	done
	tap_diag "no make.log under $dkmsdir/$version"
}

# installed_ko <kver>: the one installed module file.
installed_ko() {
	local f found=()

	for f in "/lib/modules/$1/updates/dkms/$name.ko"*; do
		if [ -f "$f" ]; then found+=("$f"); fi
	done
	[ ${#found[@]} -eq 1 ] || return 1
	printf '%s\n' "${found[0]}"
}

# has_btf <module file>: the (possibly compressed) module has a .BTF section.
has_btf() {
	local elf=$tmp/btf.ko

	case $1 in
	*.xz) xz -dc "$1" >"$elf" ;;
	*.gz) gzip -dc "$1" >"$elf" ;;
	*.zst) zstd -qdc "$1" >"$elf" ;;
	*) elf=$1 ;;
	esac || return 1
	readelf -SW "$elf" | grep ' \.BTF ' >/dev/null || {
		echo "no .BTF section in $1"
		return 1
	}
}

# --- The lifecycle ----------------------------------------------------------
tap_diag "$name $version, kernels: ${kernels[*]}"

tap_check "source staged in $srcdir (dkms-install.sh --stage-only)" \
	"$top/tools/build/dkms-install.sh" --stage-only

tap_check "dkms add $name/$version" dkms add "$name/$version"

declare -A built=()
for k in "${kernels[@]}"; do
	if out=$(dkms build "$name/$version" -k "$k" 2>&1); then
		tap_ok "dkms build -k $k"
		built[$k]=1
	else
		tap_not_ok "dkms build -k $k" "$(grep -E 'Error|error' <<<"$out" || tail -n 5 <<<"$out")"
		make_log_diag "$k"
	fi
done

for k in "${kernels[@]}"; do
	if [ -z "${built[$k]:-}" ]; then
		tap_not_ok "dkms install -k $k" "not built"
	elif out=$(dkms install "$name/$version" -k "$k" 2>&1); then
		tap_ok "dkms install -k $k"
	else
		tap_not_ok "dkms install -k $k" "$(tail -n 20 <<<"$out")"
	fi
done

for k in "${kernels[@]}"; do
	st=$(dkms status "$name/$version" -k "$k" 2>&1 || true)
	if grep -qxF "$name/$version, $k, $arch: installed" <<<"$st"; then
		tap_ok "$k: dkms status says installed"
	else
		tap_not_ok "$k: dkms status says installed" "dkms status: ${st:-(nothing)}"
	fi

	if ko=$(installed_ko "$k"); then
		tap_ok "$k: module installed as $ko"
	else
		tap_not_ok "$k: module installed under /lib/modules/$k/updates/dkms/" \
			"$(ls -la "/lib/modules/$k/updates/dkms/" 2>&1)"
		ko=
	fi

	if [ -z "$ko" ]; then
		tap_not_ok "$k: installed module has .BTF" "no installed module"
	else
		tap_check "$k: installed module has .BTF" has_btf "$ko"
	fi

	# Headers without a BTF vmlinux (6.1): the .BTF must come from the
	# Makefile's post-link step, run by DKMS's own build.
	log=$dkmsdir/$version/$k/$arch/log/make.log
	if [ -e "/lib/modules/$k/build/vmlinux" ]; then
		want='^  BTF \[M\] .*\.ko$'
		what="Kbuild made the BTF inside the DKMS build"
	else
		want='^  BTF \[M\] .*\.ko \(post-link, base '
		what="BTF post-link ran inside the DKMS build"
	fi
	if grep -qE "$want" "$log" 2>/dev/null; then
		tap_ok "$k: $what"
	elif [ -z "${built[$k]:-}" ]; then
		tap_not_ok "$k: $what" "not built"
	else
		tap_not_ok "$k: $what" "no line matching '$want' in $log"
		make_log_diag "$k"
	fi

	if [ -n "$ko" ]; then
		v=$(modinfo -F version "$ko" 2>&1 || true)
		if [ "$v" = "$version" ]; then
			tap_ok "$k: modinfo version is $version"
		else
			tap_not_ok "$k: modinfo version is $version" "modinfo -F version: $v"
		fi
		vm=$(modinfo -F vermagic "$ko" 2>&1 || true)
		if [[ $vm == "$k "* ]]; then
			tap_ok "$k: modinfo vermagic is $k"
		else
			tap_not_ok "$k: modinfo vermagic is $k" "modinfo -F vermagic: $vm"
		fi
	else
		tap_not_ok "$k: modinfo version is $version" "no installed module"
		tap_not_ok "$k: modinfo vermagic is $k" "no installed module"
	fi
done

tap_check "dkms remove $name/$version --all" dkms remove "$name/$version" --all

for k in "${kernels[@]}"; do
	left=$(find "/lib/modules/$k" -name "$name.ko*" 2>/dev/null)
	if [ -z "$left" ]; then
		tap_ok "$k: no $name module file left"
	else
		tap_not_ok "$k: no $name module file left" "$left"
	fi
	if grep -q "/$name\.ko" "/lib/modules/$k/modules.dep"; then
		tap_not_ok "$k: $name gone from modules.dep" \
			"$(grep "/$name\.ko" "/lib/modules/$k/modules.dep")"
	else
		tap_ok "$k: $name gone from modules.dep"
	fi
done

if [ -e "$dkmsdir" ]; then
	tap_not_ok "nothing left in $dkmsdir" "$(find "$dkmsdir" | head -n 20)"
else
	tap_ok "nothing left in $dkmsdir"
fi

rm -rf "$srcdir"
# depmod ran again on removal: its indexes should be what they were (they
# are put back regardless).
for k in "${kernels[@]}"; do
	for f in "$state/$k"/modules.*; do
		cmp -s "$f" "/lib/modules/$k/${f##*/}" ||
			tap_diag "/lib/modules/$k/${f##*/} differs after dkms remove; restored"
	done
done
leave_as_found
left=
for f in "$srcdir" "$dkmsdir" $(cat "$state/absent-dirs" "$state/absent-keys"); do
	if [ -e "$f" ]; then left+=" $f"; fi
done
if [ -z "$left" ]; then
	tap_ok "machine left as found (no $srcdir, $dkmsdir, updates/dkms, new signing key)"
else
	tap_not_ok "machine left as found" "still there:$left"
fi

tap_diag "wall time: $((SECONDS - start)) s"
tap_done
