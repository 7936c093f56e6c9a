#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - make bench, in the VM (run.sh --bench): the per-operation
# cost of tcpk-bench's system calls in each phase, and the memory the
# module takes per rule, per descriptor and per monitored process.
#
# Phases, in this order in every round (TCPK_BENCH_ROUNDS, default 5), so
# that a drift of the host's speed affects all of them alike:
#
#   base     the module absent
#   mod      modprobe tcp_kernel security_level=2, no BPF program attached
#   bpf0     tcp-bpf attach (every LSM program), security_level 0
#   bpf1     ... security_level 1
#   bpf2     ... security_level 2
#   r100     level 2 and 100 rules (r1000, r10000: 1,000 and 10,000)
#   d100k    level 2, 1,000 rules and 100,000 descriptors
#
# The rules are evaluated for the benchmark's operations but match none of
# them: half name a path under /nonexistent, half a uid no process has,
# and none is for agents only (so the fast path does not skip them).  The
# descriptors are tcpk-descgen's, bound by names no benchmark program has.
# Each measurement is one run of "tcpk-bench -t TCPK_BENCH_MS" (default
# 200 ms per operation).
#
# Result lines on the console, read by tools/testing/bench.sh:
#
#   TCPK-BENCH phase=P round=R op=OP n=N ns=NS
#   TCPK-BENCH mem=TAG memfree_kb=.. memavail_kb=.. slab_kb=.. percpu_kb=..
#	vmalloc_kb=.. kmalloc_b=..
#   TCPK-BENCH info KEY=VALUE...
#
# (among the info lines, per phase with the module loaded, the decisions
# taken during the measurement: decisions, cache_hits, cache_misses,
# fast_path).
#
# Then the in-module component costs (tcp-policy cost, uapi 11) in each
# configuration of 0, 100, 1,000 and 10,000 rules with 0 and 100,000
# descriptors, TCPK_BENCH_COST_ROUNDS times each (default 3), one line
# per run:
#
#   TCPK-BENCH cost round=R {the JSON of tcp-policy -j cost}
#
# (the JSON carries the rule and descriptor counts).
#
# The memory tags, each after dropping reclaimable slab and a pause for
# RCU: absent; plain (TCPK_BENCH_PROCS sleeping processes, module absent);
# plain-gone; loaded (module loaded, programs attached, level 2); rules
# (10,000 rules); rules-gone (flushed); desc (100,000 descriptors);
# desc-gone; agents (TCPK_BENCH_PROCS sleeping processes labelled by
# tcp-policy run --agent); agents-gone; unloaded.
#
# Guest environment: root, busybox sh and awk; tcp-policy, tcp-bpf,
# tcpk-bench and tcpk-descgen on PATH; loopback up.

MOD=tcp_kernel
PARAMS=/sys/module/$MOD/parameters
ROUNDS=${TCPK_BENCH_ROUNDS:-5}
MS=${TCPK_BENCH_MS:-200}
PROCS=${TCPK_BENCH_PROCS:-200}
NDESC=100000
COST_ROUNDS=${TCPK_BENCH_COST_ROUNDS:-3}
DIR=/tmp/bench

fail() {
	echo "bench: $*" >&2
	exit 1
}

# quiet CMD...: run CMD, its output shown only when it fails.
quiet() {
	"$@" > "$DIR/cmd.out" 2>&1 && return 0
	cat "$DIR/cmd.out" >&2
	fail "failed: $*"
}

uptime_s() { cut -d' ' -f1 /proc/uptime; }

# gen_rules N: N rules that every benchmark operation has to be checked
# against and that none of them matches.
gen_rules() {
	awk -v n="$1" 'BEGIN {
		for (i = 0; i < n; i++) {
			if (i % 2 == 0)
				printf "add --match-op=open,exec,connect,mmap,permission --match-path=\047/nonexistent/bench/%d/**\047 --action=deny\n", i
			else
				printf "add --match-op=exec,fork,open,connect,socket,mmap,permission --match-uid=%d --action=deny\n", 60000 + i
		}
	}'
}

# counters FILE: the decision counters of tcp-policy stats into FILE (the
# module loaded), or nothing.
counters() {
	: > "$1"
	[ -d "/sys/module/$MOD" ] || return 0
	tcp-policy stats | awk '$1 ~ /^(decisions|cache_hits|cache_misses|fast_path)$/ {
		print $1, $2 }' > "$1"
}

# measure PHASE ROUND: one tcpk-bench run, its lines tagged, and how the
# module's decisions during it were taken (fast path, cache hit or miss).
measure() {
	counters "$DIR/c0"
	tcpk-bench -t "$MS" -d "$DIR" > "$DIR/bench.out" ||
		fail "tcpk-bench failed in phase $1 (round $2)"
	counters "$DIR/c1"
	while read -r line; do
		echo "TCPK-BENCH phase=$1 round=$2 $line"
	done < "$DIR/bench.out"
	[ -s "$DIR/c1" ] || return 0
	awk -v p="$1" -v r="$2" 'NR == FNR { c0[$1] = $2; next }
		{ d = d sprintf(" %s=%d", $1, $2 - c0[$1]) }
		END { print "TCPK-BENCH info phase=" p " round=" r d }' "$DIR/c0" "$DIR/c1"
}

# setup WHAT CMD...: CMD, with its guest time as an info line.
setup() {
	_what=$1
	shift
	_t0=$(uptime_s)
	quiet "$@"
	echo "TCPK-BENCH info setup=$_what s=$(awk "BEGIN { printf \"%.2f\", $(uptime_s) - $_t0 }")"
}

load_module() {
	setup modprobe modprobe "$MOD" security_level=2 max_rules=16384
}

unload_module() {
	[ -d "/sys/module/$MOD" ] || return 0
	tcp-policy desc flush > /dev/null 2>&1
	tcp-policy flush > /dev/null 2>&1
	tcp-bpf detach > /dev/null 2>&1
	quiet rmmod "$MOD"
}

attach() {
	setup attach tcp-bpf attach --no-stats
	# Run counts cost two clock reads per program run: off.
	echo 0 > /proc/sys/kernel/bpf_stats_enabled
}

level() {
	echo "$1" > "$PARAMS/security_level" || fail "cannot set security_level $1"
}

# mem TAG: the memory figures, after freeing what can be freed.
mem() {
	sync
	echo 2 > /proc/sys/vm/drop_caches
	sleep 1
	echo 2 > /proc/sys/vm/drop_caches
	_kmalloc=$(awk '$1 ~ /kmalloc/ { s += $2 * $4 } END { printf "%d", s }' \
		/proc/slabinfo 2> /dev/null)
	awk -v tag="$1" -v km="${_kmalloc:--1}" '
		{ v[$1] = $2 }
		END {
			printf "TCPK-BENCH mem=%s memfree_kb=%d memavail_kb=%d slab_kb=%d percpu_kb=%d vmalloc_kb=%d kmalloc_b=%d\n",
				tag, v["MemFree:"], v["MemAvailable:"], v["Slab:"],
				v["Percpu:"], v["VmallocUsed:"], km
		}' /proc/meminfo
}

# sleepers [CMD...]: start PROCS "sleep 3600", each under CMD.
pids=
sleepers() {
	_i=0
	while [ $_i -lt "$PROCS" ]; do
		"$@" sleep 3600 &
		pids="$pids $!"
		_i=$((_i + 1))
	done
	sleep 2
}

kill_sleepers() {
	# shellcheck disable=SC2086 # a list of pids
	kill $pids 2> /dev/null
	wait 2> /dev/null
	pids=
}

cleanup() {
	kill_sleepers
	unload_module
}
trap cleanup EXIT

mkdir -p "$DIR" || exit 1
echo "TCPK-BENCH info kernel=$(uname -r) rounds=$ROUNDS ms=$MS procs=$PROCS cost_rounds=$COST_ROUNDS cpus=$(grep -c ^processor /proc/cpuinfo)"
for n in 100 1000 10000; do
	gen_rules $n > "$DIR/rules.$n"
done
setup descgen tcpk-descgen -f raw -o "$DIR/desc.bin" $NDESC
[ ! -d "/sys/module/$MOD" ] || unload_module

# --- the phases, alternated -------------------------------------------------
r=1
while [ $r -le "$ROUNDS" ]; do
	t0=$(uptime_s)
	measure base $r
	load_module
	measure mod $r
	attach
	for l in 0 1 2; do
		level $l
		measure bpf$l $r
	done
	for n in 100 1000 10000; do
		setup "rules$n" tcp-policy load "$DIR/rules.$n"
		measure r$n $r
	done
	setup rules1000 tcp-policy load "$DIR/rules.1000"
	setup desc tcp-policy desc load "$DIR/desc.bin"
	measure d100k $r
	unload_module
	echo "TCPK-BENCH info round=$r s=$(awk "BEGIN { printf \"%.1f\", $(uptime_s) - $t0 }")"
	r=$((r + 1))
done

# --- in-module component costs -----------------------------------------------
# The module at level 2 with its programs attached, as in the phases; the
# cost command measures inside the module (private state only), so the
# configurations follow each other in one load.
load_module
attach
for nd in 0 $NDESC; do
	[ "$nd" -eq 0 ] || setup desc tcp-policy desc load "$DIR/desc.bin"
	for n in 0 100 1000 10000; do
		if [ "$n" -eq 0 ]; then
			quiet tcp-policy flush
		else
			setup "rules$n" tcp-policy load "$DIR/rules.$n"
		fi
		c=1
		while [ $c -le "$COST_ROUNDS" ]; do
			out=$(tcp-policy -j cost) ||
				fail "tcp-policy cost failed ($n rules, $nd descriptors)"
			echo "TCPK-BENCH cost round=$c $out"
			c=$((c + 1))
		done
	done
done
unload_module

# --- memory -------------------------------------------------------------------
mem absent
sleepers
mem plain
kill_sleepers
mem plain-gone
load_module
attach
mem loaded
setup rules10000 tcp-policy load "$DIR/rules.10000"
mem rules
quiet tcp-policy flush
mem rules-gone
setup desc tcp-policy desc load "$DIR/desc.bin"
mem desc
quiet tcp-policy desc flush
mem desc-gone
sleepers tcp-policy run --agent bench --
echo "TCPK-BENCH info agents=$(tcp-policy agents | grep -c bench)"
mem agents
kill_sleepers
mem agents-gone
unload_module
mem unloaded
echo "TCPK-BENCH info done"
