#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - regenerate core/genl.[ch] from the YNL spec, or check them.
#
# Documentation/netlink/specs/tcp_kernel.yaml is the source of truth of the
# family; the kernel's own generator turns it into the policy tables, the
# small ops array and the handler prototypes:
#   ynl-gen-c.py --mode kernel --spec <spec> --header|--source
# The generator validates the spec against the schema beside specs/
# (genetlink-legacy.yaml, needs python3-jsonschema) and names the spec in
# its "do not edit" banner relative to the nearest MAINTAINERS file above
# it.  So it runs in a temporary directory that mirrors the kernel's
# layout: the schemas from the kernel source, a copy of the spec, an empty
# MAINTAINERS.  Nothing is written to the tree but the two outputs.
#
# Two deliberate differences from a plain run, both on the temporary copy
# or the output, never on the committed spec:
#  - the family's name (and the attribute set named after it) read "tcpk"
#    in the copy, so that every generated symbol has the module's tcpk_
#    prefix (tcpk_nl_ops, tcpk_nl_policy, tcpk_nl_<op>_doit) rather than
#    tcp_kernel_; the wire name is c-family-name (TCPK_GENL_NAME), the
#    header uapi-header, so nothing else changes;
#  - repeated identical #include lines are dropped: the generator includes
#    the header: of every definition once per definition.
#
# usage: ynl-regen.sh [--check]
#   --check   regenerate into a temporary directory and fail (exit 1, with
#             a diff) if core/genl.c or core/genl.h differ: they are stale
#             or were edited by hand.
#
# The generator comes from the pinned linux-source (tools/testing/
# kernels.conf): $KSRC if set, else the copy that the static checks
# extract into ${TCPK_CACHE:-/var/cache/tcp_kernel}/linux-source-<version>/,
# else the few files needed, extracted from /usr/src/linux-source-*.tar.xz.
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
top=$(readlink -f "$here/../..")
# shellcheck source=tools/testing/kernels.conf
. "$top/tools/testing/kernels.conf"

spec_rel=Documentation/netlink/specs/tcp_kernel.yaml
outputs=(core/genl.h core/genl.c)

die() { echo "ynl-regen: $*" >&2; exit 1; }

check=
case "${1:-}" in
--check) check=1 ;;
"") ;;
*) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- the kernel's generator and schemas -----------------------------------
ksrc=${KSRC:-${TCPK_CACHE:-/var/cache/tcp_kernel}/linux-source-$TCPK_SRC_VERSION}
if [ ! -f "$ksrc/tools/net/ynl/ynl-gen-c.py" ]; then
	tarball=$(dpkg -L "$TCPK_SRC_PKG" 2>/dev/null | grep -m1 '^/usr/src/.*\.tar\.xz$') ||
		die "no kernel source: set KSRC, or install $TCPK_SRC_PKG=$TCPK_SRC_VERSION"
	ksrc=$tmp/linux
	mkdir -p "$ksrc"
	tar -C "$ksrc" --strip-components=1 -xf "$tarball" --wildcards \
		'*/tools/net/ynl/*' '*/Documentation/netlink/*.yaml' ||
		die "cannot extract the YNL tools from $tarball"
fi
gen=$ksrc/tools/net/ynl/ynl-gen-c.py
python3 -c 'import yaml, jsonschema' 2>/dev/null ||
	die "python3 needs yaml and jsonschema (Debian: python3-yaml python3-jsonschema)"

# --- a kernel-shaped temporary tree ----------------------------------------
work=$tmp/tree
mkdir -p "$work/Documentation/netlink/specs" "$work/core" "$work/raw"
cp "$ksrc"/Documentation/netlink/*.yaml "$work/Documentation/netlink/"
: > "$work/MAINTAINERS"
sed -E 's/^name: tcp_kernel$/name: tcpk/;
	s/^(    name|      attribute-set): tcp_kernel$/\1: tcpk/' \
	"$top/$spec_rel" > "$work/$spec_rel"
grep -q '^name: tcpk$' "$work/$spec_rel" ||
	die "$spec_rel: the family is no longer named tcp_kernel; update this script"

for f in "${outputs[@]}"; do
	case $f in
	*.h) mode=--header ;;
	*) mode=--source ;;
	esac
	(cd "$work" && python3 "$gen" --mode kernel --spec "$spec_rel" "$mode" \
		-o "$work/raw/${f##*/}") || die "ynl-gen-c.py failed on $spec_rel"
	awk '!/^#include / || !seen[$0]++' "$work/raw/${f##*/}" > "$work/$f"
done

# --- check or install --------------------------------------------------------
if [ -n "$check" ]; then
	stale=0
	for f in "${outputs[@]}"; do
		if ! diff -u --label "a/$f" --label "b/$f (from $spec_rel)" \
			"$top/$f" "$work/$f" 2>/dev/null; then
			[ -f "$top/$f" ] || echo "ynl-regen: $f is missing" >&2
			stale=1
		fi
	done
	if [ "$stale" -ne 0 ]; then
		echo "ynl-regen: generated files are stale: run tools/build/ynl-regen.sh" >&2
		exit 1
	fi
	echo "ynl-regen: ${outputs[*]} are up to date with $spec_rel"
	exit 0
fi

for f in "${outputs[@]}"; do
	if cmp -s "$work/$f" "$top/$f"; then
		echo "ynl-regen: $f unchanged"
	else
		cp "$work/$f" "$top/$f"
		echo "ynl-regen: $f regenerated"
	fi
done
