#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - `make bench`: the cost of the module per system call and
# its memory, measured in the stock 6.12 kernel under QEMU (see
# Documentation/bench.rst).
#
# Boots the guest twice with tools/testing/vm/bench.sh instead of the
# tests: once under plain TCG, once with -icount shift=0,sleep=off (guest
# time counts instructions, so repeats agree); takes the guest's
# "TCPK-BENCH" lines into build/bench/{tcg,icount}.csv (measurements),
# {tcg,icount}-mem.csv (memory), {tcg,icount}-cost.txt (the in-module
# component costs, "round=R JSON" a line) and {tcg,icount}-info.txt, then writes
# build/bench/bench.md and bench.png with tools/testing/bench-report.py
# and prints the markdown.  The goals are reported, never asserted: the
# exit status says only whether the measurements were taken.
#
# Environment: TCPK_BENCH_ROUNDS, TCPK_BENCH_MS, TCPK_BENCH_PROCS (the
# guest's rounds, milliseconds per measurement and sleeping processes,
# defaults 5, 200 and 200); TCPK_BENCH_ICOUNT_ROUNDS and
# TCPK_BENCH_ICOUNT_MS, the same for the icount run (defaults 3 and 50:
# TCG runs about ten times slower with -icount, and its repeats agree);
# TCPK_BENCH_RUNS, the runs to make (default "tcg icount"; the report
# takes whatever build/bench holds); TCPK_BENCH_OUT, the output directory
# (default build/bench); TCPK_BENCH_COST_ROUNDS, the runs of tcp-policy
# cost per configuration (default 3).
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
"$top/tools/testing/deps.sh" bench

out=${TCPK_BENCH_OUT:-$top/build/bench}
mkdir -p "$out"
export TCPK_BENCH_PROCS TCPK_BENCH_COST_ROUNDS
for kind in ${TCPK_BENCH_RUNS:-tcg icount}; do
	args=(--bench)
	rounds=${TCPK_BENCH_ROUNDS:-5}
	ms=${TCPK_BENCH_MS:-200}
	case "$kind" in
	tcg) ;;
	icount)
		args+=(--icount)
		rounds=${TCPK_BENCH_ICOUNT_ROUNDS:-3}
		ms=${TCPK_BENCH_ICOUNT_MS:-50}
		;;
	*) echo "bench: unknown run '$kind' (tcg, icount)" >&2; exit 2 ;;
	esac
	t0=$(date +%s)
	echo "bench: $kind run (tools/testing/vm/run.sh ${args[*]} 6.12, $rounds rounds of ${ms} ms)" >&2
	TCPK_BENCH_ROUNDS=$rounds TCPK_BENCH_MS=$ms TCPK_VM_OUT=$out/vm-$kind \
		"$top/tools/testing/vm/run.sh" "${args[@]}" \
		--timeout 1800 6.12 > "$out/$kind.log" 2>&1 ||
		{ tail -n 30 "$out/$kind.log" >&2; echo "bench: the $kind run failed" >&2; exit 1; }
	echo "bench: $kind run took $(($(date +%s) - t0)) s" >&2
	grep '^TCPK-BENCH ' "$out/vm-$kind/console.log" > "$out/$kind.lines"
	# key=value lines to CSV, the keys of the first line of each kind.
	awk -v ops="$out/$kind.csv" -v mem="$out/$kind-mem.csv" -v info="$out/$kind-info.txt" \
		-v cost="$out/$kind-cost.txt" '
		function row(file, hdr,   i, k, v, line, head) {
			line = ""; head = ""
			for (i = 2; i <= NF; i++) {
				k = $i; sub(/=.*/, "", k)
				v = $i; sub(/^[^=]*=/, "", v)
				head = head (i > 2 ? "," : "") k
				line = line (i > 2 ? "," : "") v
			}
			if (!(file in done)) { print head > file; done[file] = 1 }
			print line > file
		}
		$2 ~ /^phase=/ { row(ops); next }
		$2 ~ /^mem=/ { row(mem); next }
		$2 == "cost" { sub(/^TCPK-BENCH cost /, ""); print > cost; next }
		$2 == "info" { sub(/^TCPK-BENCH info /, ""); print > info }
	' "$out/$kind.lines"
done

# Debian's python3, whose matplotlib deps.sh installed (not another
# python3 that may come first on PATH).
/usr/bin/python3 "$top/tools/testing/bench-report.py" "$out"
cat "$out/bench.md"
