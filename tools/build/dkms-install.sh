#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - install the module through DKMS: stage what the module build
# needs in /usr/src/tcp_kernel-<version> (version from dkms.conf), then
# dkms add, build and install it for each kernel.  Idempotent: an earlier
# registration of the same version is removed first.  dkms install also
# installs the bring-up files (dkms.conf's POST_INSTALL), dkms remove of
# the last kernel removes them; the tools come from make -C tools install.
#
# usage: dkms-install.sh [--kernels "<release> ..."] [--stage-only]
#   --kernels     kernel releases to build for (default: the running one)
#   --stage-only  only (re)stage the source in /usr/src; no DKMS calls
#                 (tools/testing/dkms-test.sh drives DKMS itself)
#
# Output is TAP (tools/testing/lib/tap.sh); the exit status is non-zero if
# any step failed.  Missing Debian packages are installed with apt-get.
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
top=$(readlink -f "$here/../..")
# shellcheck source=SCRIPTDIR/../testing/lib/tap.sh
. "$top/tools/testing/lib/tap.sh"
# shellcheck source=SCRIPTDIR/../testing/kernels.conf
. "$top/tools/testing/kernels.conf"

name=tcp_kernel
kernels=$(uname -r)
stage_only=0

usage() {
	sed -n 's/^# \{0,1\}//; 11,15p' "$0" >&2
	exit 2
}

bail() {
	echo "Bail out! $*"
	exit 1
}

while [ $# -gt 0 ]; do
	case $1 in
	--kernels) [ $# -ge 2 ] || usage; kernels=$2; shift 2 ;;
	--kernels=*) kernels=${1#--kernels=}; shift ;;
	--stage-only) stage_only=1; shift ;;
	-h | --help) usage ;;
	*) echo "unknown argument: $1" >&2; usage ;;
	esac
done
read -r -a kernels <<<"$kernels"
[ ${#kernels[@]} -gt 0 ] || bail "no kernel given"

# shellcheck source=SCRIPTDIR/../testing/lib/pkgs.sh
. "$here/../testing/lib/pkgs.sh"

# The version DKMS knows the module by: PACKAGE_VERSION in dkms.conf (the
# same sed as Kbuild's, so module and package never disagree).
version=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$top/dkms.conf")
[ -n "$version" ] || bail "no PACKAGE_VERSION in $top/dkms.conf"
dest=/usr/src/$name-$version

# shellcheck source=SCRIPTDIR/module-dirs.sh
. "$top/tools/build/module-dirs.sh"

# Files the module build needs, and the bring-up files dkms.conf's
# POST_INSTALL installs (tools/bringup/dkms-hook: make -C tools
# install-bringup), relative to $top: from git when this is a checkout
# (tracked plus new, not ignored), else a find without build outputs.
module_files() {
	local paths=(Kbuild Makefile dkms.conf tools/build tools/testing/kernels.conf
		tools/Makefile tools/bringup tools/descriptors tools/policy)
	local d f

	while IFS= read -r d; do paths+=("$d"); done < <(module_dirs)
	if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git -C "$top" ls-files --cached --others --exclude-standard -- "${paths[@]}"
	else
		for f in "${paths[@]}"; do
			if [ -e "$top/$f" ]; then printf '%s\n' "$f"; fi
		done | (cd "$top" && xargs -d '\n' sh -c 'find "$@" -type f' find) |
			grep -vE '(\.o|\.ko|\.mod|\.mod\.c|\.cmd|\.a|\.order|\.symvers|\.btf-base)$|(^|/)\.tmp_versions/|(^|/)\.cache\.mk$'
	fi | while IFS= read -r f; do
		# (a tracked file deleted in the work tree is not shipped)
		if [ -f "$top/$f" ]; then printf '%s\n' "$f"; fi
	done
}

# (Runs under tap_check, where errexit does not apply: every step checks.)
stage() {
	local list f

	list=$(module_files) || return 1
	[ -n "$list" ] || { echo "no module files found under $top"; return 1; }
	rm -rf "$dest" && mkdir -p "$dest" || return 1
	printf '%s\n' "$list" | tar -C "$top" --no-recursion -T - -cf - |
		tar -C "$dest" -xf - || return 1
	for f in Kbuild Makefile dkms.conf tools/testing/kernels.conf tools/build/btf-postlink.sh \
		tools/Makefile tools/bringup/dkms-hook tools/bringup/tcp-kernel-up; do
		[ -e "$dest/$f" ] || { echo "$dest/$f missing after staging"; return 1; }
	done
}

# make_log_diag <kver>: the DKMS build log, as diagnostics.
make_log_diag() {
	local log

	for log in "/var/lib/dkms/$name/$version/build/make.log" \
		"/var/lib/dkms/$name/$version/$1/$(uname -m)/log/make.log"; do
		if [ -r "$log" ]; then
			tap_diag "tail of $log:"
			tap_diag "$(tail -n 40 "$log")"
			return
		fi
	done
	tap_diag "no make.log under /var/lib/dkms/$name/$version"
}

[ "$(id -u)" -eq 0 ] || bail "must run as root (writes /usr/src, runs dkms)"

if [ -z "${TCPK_DKMS_LOCKED:-}" ]; then
	# One DKMS writer of tcp_kernel at a time (lock the DKMS tree itself:
	# nothing is left behind).
	mkdir -p /var/lib/dkms
	exec 9</var/lib/dkms
	flock -w 900 9 || bail "another DKMS run of $name holds /var/lib/dkms"
	export TCPK_DKMS_LOCKED=1
fi

if ((stage_only)); then
	tap_check "staged $name $version in $dest" stage
	tap_done
	exit
fi

pkgs=(dkms kmod binutils pahole)
for k in "${kernels[@]}"; do
	[ -d "/lib/modules/$k/build" ] || pkgs+=("linux-headers-$k")
done
need_pkgs "${pkgs[@]}" || bail "cannot install ${pkgs[*]}"
# Headers without a BTF vmlinux (6.1) need resolve_btfids for the BTF
# post-link (tools/build/btf-postlink.sh), shipped by linux-kbuild-6.12.*.
for k in "${kernels[@]}"; do
	if [ ! -e "/lib/modules/$k/build/vmlinux" ] && [ -z "${RESOLVE_BTFIDS:-}" ] &&
		! compgen -G '/usr/lib/linux-kbuild-*/tools/bpf/resolve_btfids/resolve_btfids' >/dev/null; then
		need_pkgs "$TCPK_KBUILD612_PKG" || bail "cannot install $TCPK_KBUILD612_PKG"
		break
	fi
done

tap_check "staged $name $version in $dest" stage

if [ -n "$(dkms status -m "$name" -v "$version" 2>/dev/null)" ] || [ -d "/var/lib/dkms/$name/$version" ]; then
	tap_check "removed the earlier DKMS registration of $name/$version" \
		dkms remove "$name/$version" --all
	rm -rf "/var/lib/dkms/$name/$version"
fi

tap_check "dkms add $name/$version" dkms add "$name/$version"

for k in "${kernels[@]}"; do
	if out=$(dkms build "$name/$version" -k "$k" 2>&1); then
		tap_ok "dkms build $name/$version -k $k"
	else
		tap_not_ok "dkms build $name/$version -k $k" "$(tail -n 20 <<<"$out")"
		make_log_diag "$k"
		continue
	fi
	tap_check "dkms install $name/$version -k $k" dkms install "$name/$version" -k "$k"
done

tap_done
