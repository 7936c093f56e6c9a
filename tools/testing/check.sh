#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - the whole test suite (`make check`).
#
#   1. static checks: checkpatch --strict, W=1 and sparse on both kernels,
#      coccicheck, shellcheck
#      and the module's BTF with its kfuncs on both kernels
#   2. DKMS add/build/install/remove against both pinned kernels
#   3. the debug/KUnit test kernel (built once, cached outside the clone)
#   4. the integration tests in QEMU on stock 6.1, stock 6.12 and the debug
#      kernel (KUnit runs on the latter)
#
# Every step's TAP (and KTAP) goes to build/check/; the last line is the
# summed verdict "N passed, N failed".  Exit status 1 on any failure.
#
# usage: check.sh [--only static|dkms|vm] [--kernels "6.1 6.12 debug"]
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
t=$top/tools/testing
# shellcheck source=tools/testing/kernels.conf
. "$t/kernels.conf"

only=
kernels="6.1 6.12 debug"
# The debug kernel's two guests: run.sh's TCPK_VM_TESTS patterns, which
# together cover every test name.  Balanced by the guest seconds of one
# debug run each, alone: 00-34 with 41 about 1530 s, 54 and 55 about 570
# s (2100); 40, 42-53 about 1650 to 1950 s (44-ynl-policy varies most).
# 58-stress (about 4 minutes at its default 30 s) goes with the first.
# 99-lock ("[6-9]*", the second shard) locks the module until reboot:
# it must stay the last test of its guest.
debug_shards=(
	[1]="0* 1* 2* 3* 41-* 54-* 55-* 58-*"
	[2]="40-* 4[2-9]-* 5[0-36-79]-* [6-9]*"
)
while [ $# -gt 0 ]; do
	case "$1" in
	--only) only=$2; shift 2 ;;
	--kernels) kernels=$2; shift 2 ;;
	*) echo "usage: $0 [--only static|dkms|vm] [--kernels LIST]" >&2; exit 2 ;;
	esac
done

logs=$top/build/check
rm -rf "$logs"
mkdir -p "$logs"
start=$(date +%s)

say() { printf '\n==== %s (%ss)\n' "$*" "$(($(date +%s) - start))"; }

# step NAME LOG CMD...: run a TAP-producing step; a step that dies is
# recorded as a failure even if it printed no "not ok".
step() {
	local name=$1 log=$2 rc
	shift 2
	say "$name"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	[ "$rc" -eq 0 ] || echo "# TCPK-HOST $name exited with status $rc" >> "$log"
}

say "dependencies"
"$t/deps.sh" all || { echo "check: could not install dependencies"; echo "0 passed, 1 failed"; exit 1; }

if [ -z "$only" ] || [ "$only" = static ]; then
	step "static checks" "$logs/static.tap" "$t/static-checks.sh"
fi
if [ -z "$only" ] || [ "$only" = static ]; then
	step "module BTF" "$logs/btf.tap" "$t/btf-test.sh"
fi
if [ -z "$only" ] || [ "$only" = dkms ]; then
	step "DKMS" "$logs/dkms.tap" "$t/dkms-test.sh"
fi
if [ -z "$only" ] || [ "$only" = vm ]; then
	case " $kernels " in
	*" debug "*)
		say "debug kernel (cached build)"
		"$t/kernel/build-debug-kernel.sh" >&2 ||
			echo "# TCPK-HOST building the debug kernel failed" >> "$logs/vm-debug-1.log"
		;;
	esac
	# User-space programs are the same for every kernel: build them once,
	# so that the parallel runs below find them up to date.
	say "tools and BPF programs"
	make -s -C "$top/tools" && make -s -C "$top/ebpf" && make -s -C "$t/progs" ||
		echo "# TCPK-HOST building the tools failed" >> "$logs/vm-tools.log"
	# The guests run in parallel: a TCG guest keeps about one host core
	# busy, and most of a run is waiting on one vCPU.  The debug kernel
	# (KASAN, kmemleak, lockdep) runs the same tests several times slower
	# than a stock one, so its tests are split over two guests of their
	# own (debug_shards): alone, its single guest was the whole run's
	# critical path (past 4200 s in CI while the stock guests took ~900).
	# The shards' patterns cover every test name (they start with a digit).
	guests=
	for k in $kernels; do
		if [ "$k" = debug ]; then
			guests="$guests debug-1 debug-2"
		else
			guests="$guests $k"
		fi
	done
	say "VMs:$guests (in parallel)"
	for g in $guests; do
		case "$g" in
		debug-*)
			TCPK_VM_OUT=$top/build/vm-$g TCPK_VM_TESTS=${debug_shards[${g#debug-}]} \
				"$t/vm/run.sh" debug > "$logs/run-$g.out" 2>&1 &
			;;
		*)
			"$t/vm/run.sh" "$g" > "$logs/run-$g.out" 2>&1 &
			;;
		esac
		eval "pid_${g//[.-]/_}=\$!"
	done
	for g in $guests; do
		pid_var=pid_${g//[.-]/_}
		wait "${!pid_var}"
		rc=$?
		say "VM: $g finished (status $rc)"
		if [ -f "$top/build/vm-$g/console.log" ]; then
			cat "$top/build/vm-$g/console.log" >> "$logs/vm-$g.log"
		fi
		# A failing test (KUnit's "not ok" is indented and timestamped)
		# already fails the summary; only a run that never began a test
		# needs a line of its own.
		if [ "$rc" -ne 0 ] && ! grep -q 'TCPK-TEST-BEGIN\|TCPK-HOST' "$logs/vm-$g.log" 2>/dev/null; then
			tail -n 20 "$logs/run-$g.out"
			echo "# TCPK-HOST VM run on $g failed with status $rc before any test" >> "$logs/vm-$g.log"
		fi
		sed -n '/TCPK-TEST-BEGIN/,$p' "$logs/vm-$g.log" | grep -v '^\[ *[0-9.]*\]' || true
	done
fi

say "summary"
TCPK_KUNIT_PY=$("$t/kernel/kunit-py.sh") || true
export TCPK_KUNIT_PY
shopt -s nullglob
python3 "$t/tap-summary.py" "$logs"/*.tap "$logs"/*.log
