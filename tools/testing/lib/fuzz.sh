# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - guest-test helpers around genl-fuzz, sourced after tap.sh.
# The caller sets SEED (genl-fuzz's seed) and tmp (a scratch directory).
# shellcheck shell=sh
# SEED and tmp are the caller's.
# shellcheck disable=SC2154

# What in a kernel log is a splat.
splat_re='BUG:|WARNING:|KASAN|UBSAN|possible circular locking|possible recursive locking|suspicious RCU usage|inconsistent lock state|sleeping function called from invalid context|Oops|general protection fault|Call Trace:|unreferenced object|rcu: INFO|rcu_sched self-detected stall|rcu_preempt self-detected stall|detected stalls on CPUs|hung task|blocked for more than'

# fuzz_report FILE: each RESULT line of genl-fuzz's output as one TAP
# line; diagnostics pass through.  Counts the RESULT lines in $results.
results=0
fuzz_report() {
	while IFS= read -r line; do
		case "$line" in
		"RESULT ok "*)
			results=$((results + 1))
			tap_ok "fuzz seed $SEED: $(echo "$line" | cut -d' ' -f3-)"
			;;
		"RESULT fail "*)
			results=$((results + 1))
			tap_not_ok "fuzz seed $SEED: $(echo "$line" | cut -d' ' -f3-)"
			;;
		"#"*)
			echo "$line"
			;;
		*)
			tap_diag "$line"
			;;
		esac
	done < "$1"
}

# fuzz_log_start: remember the kernel log before a run.
fuzz_log_start() {
	dmesg > "$tmp/dmesg.before"
}

# fuzz_log_check WHAT: one TAP check that the kernel log lines added since
# fuzz_log_start hold no splat; the first of them as diagnostics.
fuzz_log_check() {
	dmesg > "$tmp/dmesg.after"
	# Lines the run added (dmesg only grows here: the ring is large enough).
	tail -n +"$(($(wc -l < "$tmp/dmesg.before") + 1))" "$tmp/dmesg.after" > "$tmp/dmesg.new"
	if grep -E "$splat_re" "$tmp/dmesg.new" > "$tmp/splats"; then
		tap_not_ok "no splat in the kernel log during $1" "$(head -n 60 "$tmp/splats")"
	else
		tap_ok "no splat in the kernel log during $1"
	fi
	tap_diag "kernel log lines added during $1: $(wc -l < "$tmp/dmesg.new")"
	grep -v 'bytes leftover after parsing attributes\|has an invalid length' "$tmp/dmesg.new" |
		head -n 10 | sed 's/^/# dmesg: /'
}
