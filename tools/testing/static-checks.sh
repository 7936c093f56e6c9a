#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - static checks, as TAP: checkpatch --strict on every kernel
# source file of the module, W=1 and sparse (C=2) builds against every
# pinned kernel (tools/testing/kernels.conf), coccicheck, shellcheck
# on every shell script, and "make -C tools check-rules" (every default
# rule file parses, and its saved form reads back to itself).
#
# usage: static-checks.sh [checkpatch] [kerneldoc] [ynl] [build] [cocci] [shellcheck] [rules]
#   (no argument: all of them)
#
# checkpatch.pl and the coccinelle scripts come from the pinned
# linux-source package, extracted once (under a lock) into
# ${TCPK_CACHE:-/var/cache/tcp_kernel}/linux-source-<version>/.  Builds run
# in copies of the tree in a temporary directory: the working tree is never
# written to.  Missing Debian packages are installed with apt-get.  The exit
# status is non-zero if any check failed.  J=<n> sets the parallelism.
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
top=$(readlink -f "$here/../..")
# shellcheck source=SCRIPTDIR/lib/tap.sh
. "$here/lib/tap.sh"
# shellcheck source=SCRIPTDIR/kernels.conf
. "$here/kernels.conf"

cache=${TCPK_CACHE:-/var/cache/tcp_kernel}
jobs=${J:-$(nproc)}
start=$SECONDS

bail() {
	echo "Bail out! $*"
	exit 1
}

sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(checkpatch kerneldoc ynl build cocci shellcheck rules)
for s in "${sections[@]}"; do
	case $s in
	checkpatch | kerneldoc | ynl | build | cocci | shellcheck | rules) ;;
	-h | --help) sed -n 's/^# \{0,1\}//; 10,11p' "$0" >&2; exit 2 ;;
	*) echo "unknown check: $s" >&2; exit 2 ;;
	esac
done
want() { [[ " ${sections[*]} " == *" $1 "* ]]; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=SCRIPTDIR/lib/pkgs.sh
. "$here/lib/pkgs.sh"

# The pinned kernels: every TCPK_K<series>_RELEASE (package version in
# TCPK_K<series>_VERSION), oldest first.
kernels=()
declare -A kernel_pkg=()
while IFS= read -r var; do
	vvar=${var%_RELEASE}_VERSION
	kernels+=("${!var}")
	kernel_pkg[${!var}]="linux-headers-${!var}=${!vvar}"
done < <(compgen -A variable | grep -E '^TCPK_K[0-9]+_RELEASE$')
[ ${#kernels[@]} -gt 0 ] || bail "no TCPK_K*_RELEASE in $here/kernels.conf"
mapfile -t kernels < <(printf '%s\n' "${kernels[@]}" | sort -V)

# tree_files <path>...: files under the paths, relative to $top: from git
# in a checkout (tracked plus new, not ignored), else a find without build
# outputs.  Only files that exist.
tree_files() {
	local p f

	if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git -C "$top" ls-files --cached --others --exclude-standard -- "$@"
	else
		for p in "$@"; do
			if [ -e "$top/$p" ]; then printf '%s\n' "$p"; fi
		done | (cd "$top" && xargs -r -d '\n' sh -c 'find "$@" -type f' find) |
			grep -vE '(\.o|\.ko|\.mod|\.mod\.c|\.cmd|\.a|\.order|\.symvers|\.btf-base)$|(^|/)\.tmp_versions/|(^|/)\.cache\.mk$' ||
			true
	fi | while IFS= read -r f; do
		if [ -f "$top/$f" ]; then printf '%s\n' "$f"; fi
	done
}

# shellcheck source=SCRIPTDIR/../build/module-dirs.sh
. "$top/tools/build/module-dirs.sh"

# copy_module <dest> [<path>...]: a copy of the module's source (the
# module folders plus the given top-level paths), without build outputs.
copy_module() {
	local dest=$1 dirs=()

	shift
	mapfile -t dirs < <(module_dirs)
	mkdir -p "$dest"
	tree_files "$@" "${dirs[@]}" | rsync -a --files-from=- "$top/" "$dest/"
}

# diag_file <file> [lines]: the first lines of a file, as diagnostics.
diag_file() {
	tap_diag "$(head -n "${2:-60}" "$1")"
}

# --- Prerequisites ------------------------------------------------------------
pkgs=()
if want checkpatch || want kerneldoc || want cocci; then
	pkgs+=(perl xz-utils "$TCPK_SRC_PKG=$TCPK_SRC_VERSION")
fi
if want build; then
	pkgs+=(make gcc rsync sparse)
	for k in "${kernels[@]}"; do pkgs+=("${kernel_pkg[$k]}"); done
fi
want shellcheck && pkgs+=(shellcheck)
if want rules; then
	pkgs+=(make gcc rsync pkg-config linux-libc-dev libnl-genl-3-dev libjson-c-dev
		libssl-dev zlib1g-dev libbpf-dev)
fi
want cocci && pkgs+=(rsync)
need_pkgs "${pkgs[@]}" || bail "cannot install: ${pkgs[*]}"

# coccinelle apart: its absence is a skip, never a failure of the others.
# Some of the kernel's semantic patches are OCaml scripts (null/badzero):
# spatch compiles them with ocamlopt.
spatch_missing=
if want cocci && ! need_pkgs coccinelle ocaml-nox; then
	spatch_missing="coccinelle (spatch) or ocaml-nox is not installed and could not be installed"
fi

# The pinned kernel source, extracted once per version.
src=$cache/linux-source-$TCPK_SRC_VERSION
extract_source() {
	local tarball t

	[ -f "$src/.tcpk-extracted" ] && return 0
	mkdir -p "$cache" || bail "cannot create $cache (set TCPK_CACHE)"
	exec 8>"$cache/.linux-source.lock"
	flock -w 1800 8 || bail "cannot lock $cache/.linux-source.lock"
	if [ ! -f "$src/.tcpk-extracted" ]; then
		tarball=$(dpkg -L "$TCPK_SRC_PKG" | grep -m1 '^/usr/src/.*\.tar\.xz$') ||
			bail "$TCPK_SRC_PKG ships no /usr/src/*.tar.xz"
		tap_diag "extracting $tarball into $src (once)"
		t=$(mktemp -d "$cache/.linux-source.XXXXXX")
		tar -C "$t" --strip-components=1 -xf "$tarball" || {
			rm -rf "$t"
			bail "cannot extract $tarball"
		}
		touch "$t/.tcpk-extracted"
		rm -rf "$src"
		mv "$t" "$src"
	fi
	exec 8>&-
}
if want checkpatch || want kerneldoc || want cocci; then
	extract_source
fi

# --- checkpatch -----------------------------------------------------------------
# One line per kernel C/header file.  --no-tree: checkpatch.pl reads its
# data files (spelling.txt, const_structs.checkpatch) beside itself.
# uapi/ headers are checked under their in-kernel path include/uapi/, so
# checkpatch applies the kernel's own uapi rules (e.g. __attribute__((packed))
# instead of __packed, which user space does not have).
run_checkpatch() {
	local t0=$SECONDS dirs=() files=() f out

	mapfile -t dirs < <(module_dirs)
	mapfile -t files < <(tree_files "${dirs[@]}" | grep -E '\.[ch]$' | grep -v '\.mod\.c$' || true)
	if [ ${#files[@]} -eq 0 ]; then
		tap_not_ok "checkpatch: kernel sources found" "no *.c/*.h under ${dirs[*]}"
		return
	fi
	mkdir -p "$tmp/checkpatch"
	# in parallel, one output file per source file; reported in order
	# shellcheck disable=SC2016 # expanded by the inner sh
	printf '%s\n' "${files[@]}" |
		(cd "$top" && xargs -r -d '\n' -P "$jobs" -I{} sh -c \
			'out=$1/$(printf %s "$3" | tr / _); f=$3; d=.
			case $f in uapi/*) d=$1/k; f=include/$3; mkdir -p "$d/${f%/*}"; cp "$3" "$d/$f" ;; esac
			(cd "$d" && perl "$2" --strict --no-tree --show-types --color=never -f "$f") >"$out" 2>&1; echo $? >"$out.rc"' \
			sh "$tmp/checkpatch" "$src/scripts/checkpatch.pl" {})
	for f in "${files[@]}"; do
		out=$tmp/checkpatch/${f//\//_}
		if [ "$(cat "$out.rc" 2>/dev/null)" = 0 ] &&
			grep -q '^total: 0 errors, 0 warnings, 0 checks,' "$out"; then
			tap_ok "checkpatch --strict: $f"
		else
			tap_not_ok "checkpatch --strict: $f"
			tap_diag "$(sed '/^total:/q' "$out" | head -n 80)"
		fi
	done
	tap_diag "checkpatch: ${#files[@]} files, $((SECONDS - t0)) s"
}

# --- kernel-doc -------------------------------------------------------------------
# Every kernel-doc comment of the kernel sources and the uapi header must be
# complete and well-formed (scripts/kernel-doc -Wall: members, parameters,
# return values).  One line per file.
run_kerneldoc() {
	local dirs=() files=() f out

	mapfile -t dirs < <(module_dirs)
	mapfile -t files < <(tree_files "${dirs[@]}" | grep -E '\.[ch]$' | grep -v '\.mod\.c$' || true)
	for f in "${files[@]}"; do
		out=$(cd "$top" && perl "$src/scripts/kernel-doc" -none -Wall "$f" 2>&1)
		if [ -z "$out" ]; then
			tap_ok "kernel-doc -Wall: $f"
		else
			tap_not_ok "kernel-doc -Wall: $f" "$(head -n 40 <<<"$out")"
		fi
	done
}

# --- YNL -----------------------------------------------------------------------
# The committed core/genl.[ch] are what the kernel's ynl-gen-c.py makes of
# the spec today (the spec is the source of truth for the policy tables).
run_ynl() {
	local out

	if out=$("$top/tools/build/ynl-regen.sh" --check 2>&1); then
		tap_ok "core/genl.[ch] are regenerated from the YNL spec unchanged"
	else
		tap_not_ok "core/genl.[ch] are regenerated from the YNL spec unchanged" "$(head -n 60 <<<"$out")"
	fi
}

# --- W=1 and sparse builds --------------------------------------------------------
# Per kernel, in its own copy: make W=1 (compiler warnings), then make C=2
# in the same copy with the objects up to date, so that log holds sparse
# only.  Sparse must have checked every file the first build compiled.
# Debian's kernels have no CONFIG_KUNIT, so Kbuild skips kunit/: its
# objects are compiled (not linked) with CONFIG_KUNIT forced, in both passes.

# log_filter <copy>: warnings and their context lines, without make's and
# Kbuild's progress lines, with paths relative to the tree.
log_filter() {
	grep -vE '^(make(\[[0-9]+\])?: |  [A-Z]+ |--$)' | sed "s#$1/##g" | head -n 80
}

# build_pass <kdir> <copy> <log> <make args>...
build_pass() {
	local kdir=$1 copy=$2 log=$3 objs=() f

	shift 3
	make -C "$kdir" M="$copy" -j"$jobs" "$@" modules >"$log" 2>&1 || return 1
	[ -f "$copy/tcp_kernel.ko" ] || { echo "no tcp_kernel.ko" >>"$log"; return 1; }
	[ -f "$copy/kunit/Kbuild" ] || return 0
	for f in "$copy"/kunit/*.c; do
		if [ -f "$f" ]; then objs+=("kunit/$(basename "${f%.c}").o"); fi
	done
	[ ${#objs[@]} -eq 0 ] ||
		make -C "$kdir" M="$copy" -j"$jobs" CONFIG_KUNIT=m "$@" "${objs[@]}" >>"$log" 2>&1
}

run_builds() {
	local k t0 copy kdir log nwarn ncc nchk what

	for k in "${kernels[@]}"; do
		t0=$SECONDS
		copy=$tmp/build-$k
		kdir=/lib/modules/$k/build
		copy_module "$copy" Kbuild dkms.conf

		log=$tmp/w1-$k.log
		what="make W=1 against $k: no compiler warnings"
		if build_pass "$kdir" "$copy" "$log" W=1; then
			nwarn=$(grep -ci 'warning:' "$log" || true)
			if [ "$nwarn" -eq 0 ]; then
				tap_ok "$what"
			else
				tap_not_ok "$what" "$nwarn warnings:"
				tap_diag "$(grep -i -A3 'warning:' "$log" | log_filter "$copy")"
			fi
		else
			tap_not_ok "$what" "build failed; tail of the log:"
			tap_diag "$(tail -n 40 "$log")"
		fi
		ncc=$(grep -E '^  CC \[M\] .*\.o$' "$log" | grep -cvE '\.mod\.o$|/\.module-common\.o$' || true)

		log=$tmp/sparse-$k.log
		what="make C=2 (sparse) against $k: no sparse warnings"
		if build_pass "$kdir" "$copy" "$log" W=1 C=2; then
			nwarn=$(grep -ciE 'warning:|error:' "$log" || true)
			if [ "$nwarn" -eq 0 ]; then
				tap_ok "$what"
			else
				tap_not_ok "$what" "$nwarn warnings:"
				tap_diag "$(grep -iE -A2 'warning:|error:' "$log" | log_filter "$copy")"
			fi
		else
			tap_not_ok "$what" "build failed; tail of the log:"
			tap_diag "$(tail -n 40 "$log")"
		fi
		nchk=$(grep -cE '^  CHECK   ' "$log" || true)
		what="sparse ran against $k ($nchk files checked, $ncc compiled)"
		if [ "$nchk" -gt 0 ] && [ "$nchk" -ge "$ncc" ]; then
			tap_ok "$what"
		else
			tap_not_ok "$what" "expected a CHECK line per compiled file; log head:"
			diag_file "$log" 20
		fi
		tap_diag "builds against $k: $((SECONDS - t0)) s"
	done
}

# --- coccicheck ---------------------------------------------------------------------
# The kernel's own coccicheck (every scripts/coccinelle/**/*.cocci) over a
# clean copy of the tree, report mode; a report is a "<file>:<line>:" line.
run_cocci() {
	local t0=$SECONDS copy=$tmp/cocci log=$tmp/cocci.log nrep nsp

	if [ -n "$spatch_missing" ]; then
		tap_skip "coccicheck" "$spatch_missing"
		return
	fi
	copy_module "$copy" Kbuild
	if ! make -C "$src" coccicheck MODE=report M="$copy" J="$jobs" >"$log" 2>&1; then
		tap_not_ok "coccicheck: no reports" "coccicheck failed; tail of the log:"
		tap_diag "$(tail -n 40 "$log")"
		return
	fi
	nrep=$(grep -cE '^[^ ]+\.[ch]:[0-9]+:' "$log" || true)
	nsp=$(grep -cE '^[^ ]*spatch .*--cocci-file' "$log" || true)
	if [ "$nsp" -eq 0 ]; then
		tap_not_ok "coccicheck: no reports" "coccicheck ran no spatch; log head:"
		diag_file "$log" 20
	elif [ "$nrep" -eq 0 ]; then
		tap_ok "coccicheck: no reports ($nsp semantic patches)"
	else
		tap_not_ok "coccicheck: no reports" "$nrep reports:"
		tap_diag "$(grep -E '^[^ ]+\.[ch]:[0-9]+:' "$log" | sed "s#$copy/##" | head -n 80)"
	fi
	tap_diag "coccicheck: $((SECONDS - t0)) s"
}

# --- shellcheck -------------------------------------------------------------------
# Every shell script: *.sh, .ci/run, and any file starting with a sh/bash
# shebang.  -x follows sourced files (the scripts' source= directives).
run_shellcheck() {
	local t0=$SECONDS scripts=() f out

	mapfile -t scripts < <(
		{
			tree_files . | grep -E '\.sh$'
			tree_files . | while IFS= read -r f; do
				if head -c 64 "$top/$f" 2>/dev/null | head -n 1 |
					grep -qE '^#! ?(/usr)?/bin/(env )?(ba|da)?sh\b'; then
					printf '%s\n' "$f"
				fi
			done
			if [ -f "$top/.ci/run" ]; then echo .ci/run; fi
		} | sort -u
	)
	for f in "${scripts[@]}"; do
		if out=$(cd "$top" && shellcheck -x "$f" 2>&1); then
			tap_ok "shellcheck: $f"
		else
			tap_not_ok "shellcheck: $f" "$(head -n 80 <<<"$out")"
		fi
	done
	tap_diag "shellcheck: ${#scripts[@]} scripts, $((SECONDS - t0)) s"
}

# --- rule files ---------------------------------------------------------------------
# make -C tools check-rules, in a copy of the tools (it builds tcp-policy,
# which compiles behavior/seq.c and behavior/model.c in,
# and the working tree is never written to): every rule file of
# tools/policy/ parses (tcp-policy load --dry-run) and its canonical form
# reads back to itself.  One line.
run_rules() {
	local copy=$tmp/rules log=$tmp/rules.log

	mkdir -p "$copy"
	tree_files tools uapi lsm behavior dkms.conf | rsync -a --files-from=- "$top/" "$copy/"
	if make -s -C "$copy/tools" check-rules > "$log" 2>&1; then
		tap_ok "make -C tools check-rules: $(grep -c '^  OK ' "$log") rule files parse and read back"
		tap_diag "$(sed "s#$copy/##" "$log")"
	else
		tap_not_ok "make -C tools check-rules" "$(sed "s#$copy/##" "$log" | tail -n 40)"
	fi
}

tap_diag "kernels: ${kernels[*]}; source: $src; jobs: $jobs"
want checkpatch && run_checkpatch
want kerneldoc && run_kerneldoc
want ynl && run_ynl
want build && run_builds
want cocci && run_cocci
want shellcheck && run_shellcheck
want rules && run_rules
tap_diag "wall time: $((SECONDS - start)) s"
tap_done
