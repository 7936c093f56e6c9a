#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - a tiny TAP producer for test scripts (host and VM guest;
# POSIX sh, busybox-compatible).  Source it, call tap_* and end with
# tap_done, which prints the plan and returns non-zero if anything failed.
#
#   tap_ok "description"            record a pass
#   tap_not_ok "description" [why]  record a failure, with a diagnostic
#   tap_check "description" cmd...  run cmd; pass iff it exits 0
#                                   (its output is shown as diagnostics
#                                   only on failure)
#   tap_skip "description" "reason" a skip: counted apart, never a pass
#   tap_diag "text"                 a diagnostic line ("# text")
#   as_nobody cmd...                run cmd as uid/gid 65534 (VM guest)
#   expect_fail "desc" PATTERN cmd...
#                                   pass iff cmd fails and its output
#                                   matches the extended regex PATTERN
#   expect_json FILE EXPR           exit 0 iff the python expression EXPR,
#                                   over the JSON document "d" in FILE, is
#                                   true (needs python3; for tap_check)
#   retry N cmd...                  run cmd until it succeeds, at most N
#                                   times, one second apart
#   wait_grep PATTERN FILE          until FILE has a line matching PATTERN
#                                   (at most TAP_WAIT_SECONDS, 60 s: a
#                                   debug-kernel guest sharing 2 cores with
#                                   another took more than 10 s to start
#                                   a monitor)

TAP_N=0
TAP_FAILED=0
TAP_SKIPPED=0

tap_diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

tap_ok() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1"
}

tap_not_ok() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $1"
	[ -z "${2:-}" ] || tap_diag "$2"
}

tap_skip() {
	TAP_N=$((TAP_N + 1))
	TAP_SKIPPED=$((TAP_SKIPPED + 1))
	echo "ok $TAP_N - $1 # SKIP $2"
}

tap_check() {
	_tap_desc=$1
	shift
	if _tap_out=$("$@" 2>&1); then
		tap_ok "$_tap_desc"
	else
		tap_not_ok "$_tap_desc" "$(printf '%s\n' "command: $*" "$_tap_out" | tail -n 40)"
	fi
}

as_nobody() {
	# busybox su runs a command as another user without a password for
	# root; the shell re-quotes the arguments.
	_tap_cmd=
	for _tap_a in "$@"; do
		_tap_cmd="$_tap_cmd '$(printf '%s' "$_tap_a" | sed "s/'/'\\\\''/g")'"
	done
	su -s /bin/sh -c "$_tap_cmd" nobody
}

expect_fail() {
	_d=$1
	_p=$2
	shift 2
	if _o=$("$@" 2>&1); then
		tap_not_ok "$_d" "succeeded: $_o"
	elif printf '%s\n' "$_o" | grep -Eq -- "$_p"; then
		tap_ok "$_d"
		tap_diag "$_o"
	else
		tap_not_ok "$_d" "output does not match /$_p/: $_o"
	fi
}

expect_json() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
if not eval(sys.argv[2]):
    print("false: " + sys.argv[2])
    print("document: " + json.dumps(d)[:1500])
    sys.exit(1)
' "$1" "$2"
}

tap_done() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" -eq 0 ]
}

# unload_module: at a test's exit, if tcp_kernel is loaded, flush its
# rules and descriptors, detach the BPF side and unload it, quietly (the
# teardown every test that loads the module shared as a copy).
unload_module() {
	[ -d /sys/module/tcp_kernel ] || return 0
	tcp-policy flush > /dev/null 2>&1
	tcp-policy desc flush > /dev/null 2>&1
	tcp-bpf detach > /dev/null 2>&1
	rmmod tcp_kernel 2>/dev/null
}

retry() {
	_retry_n=$1
	shift
	while ! "$@"; do
		_retry_n=$((_retry_n - 1))
		[ "$_retry_n" -gt 0 ] || return 1
		sleep 1
	done
}

TAP_WAIT_SECONDS=${TAP_WAIT_SECONDS:-60}

wait_grep() {
	_wait_grep_i=0
	while ! grep -q -- "$1" "$2" 2>/dev/null &&
		[ $_wait_grep_i -lt $((TAP_WAIT_SECONDS * 10)) ]; do
		sleep 0.1
		_wait_grep_i=$((_wait_grep_i + 1))
	done
	grep -q -- "$1" "$2" 2>/dev/null
}

# kmemleak on the debug kernel: kmemleak_start forgets what was suspected
# so far; kmemleak_check WHAT is one TAP check that nothing leaked since.
# Without kmemleak it checks nothing, except on the debug kernel, which
# must have it.
TAP_KML=/sys/kernel/debug/kmemleak

kmemleak_start() {
	[ -w "$TAP_KML" ] || return 0
	echo scan > "$TAP_KML"
	echo clear > "$TAP_KML"
}

kmemleak_check() {
	if [ -w "$TAP_KML" ]; then
		# kmemleak reports an object only after it has seen it
		# unreferenced in two scans, some seconds apart.
		echo scan > "$TAP_KML"
		sleep 5
		echo scan > "$TAP_KML"
		_kml_leaks=$(cat "$TAP_KML")
		if [ -z "$_kml_leaks" ]; then
			tap_ok "kmemleak finds no leak $1"
		else
			tap_not_ok "kmemleak finds no leak $1" "$(echo "$_kml_leaks" | head -n 40)"
		fi
	elif [ "$TCPK_KERNEL" = debug ]; then
		tap_not_ok "kmemleak finds no leak $1" "debug kernel without $TAP_KML"
	fi
}
