#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - install missing Debian packages (bash; sourced by the build
# and test scripts, so that they all agree on what "missing" means).
#
#   need_pkgs <package[=version]>...
#
# Installs the packages that are not installed, or not at the pinned
# version, with --no-install-recommends (and --allow-downgrades, so a pin
# can go back).  `apt-get update` runs only when something is missing.
# Progress goes to stderr.  Needs root when something is missing.

need_pkgs() {
	local spec pkg want have missing=()

	for spec in "$@"; do
		pkg=${spec%%=*}
		want=${spec#"$pkg"}
		want=${want#=}
		have=$(dpkg-query -W -f='${db:Status-Status} ${Version}' "$pkg" 2>/dev/null || true)
		if [[ $have != "installed "* ]] ||
			{ [ -n "$want" ] && [ "$have" != "installed $want" ]; }; then
			missing+=("$spec")
		fi
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	echo "installing ${missing[*]}" >&2
	if [ "$(id -u)" -ne 0 ]; then
		echo "need root to install: ${missing[*]}" >&2
		return 1
	fi
	{
		apt-get update -qq &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				--no-install-recommends --allow-downgrades "${missing[@]}"
	} >&2
}
