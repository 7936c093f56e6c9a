# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tcp_kernel - module_dirs: the top-level folders of the module's (kernel)
# source, relative to $top: the known ones plus every folder the Kbuild
# file names (so a new one is picked up), never user space (tools/) or BPF
# programs (ebpf/).  Sourced by tools/build/dkms-install.sh (what DKMS
# gets) and tools/testing/static-checks.sh (what the checks copy), so the
# package and the checks never disagree.

# $top is set by the script that sources this file.
# shellcheck disable=SC2154
module_dirs() {
	{
		printf '%s\n' core lsm hwmon kunit uapi descdb policy behavior
		grep -oE '(^|[[:space:]])[A-Za-z0-9_-]+/' "$top/Kbuild" |
			sed -E 's/^[[:space:]]+//; s#/$##' || true
	} | sort -u | while IFS= read -r d; do
		case $d in tools | ebpf) continue ;; esac
		if [ -d "$top/$d" ]; then printf '%s\n' "$d"; fi
	done
}
