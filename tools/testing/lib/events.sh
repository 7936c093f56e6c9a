# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - guest-test helpers around "tcp-policy monitor -j", sourced
# after tap.sh.  The caller sets MON (the file the events go to) and tmp
# (a scratch directory: the monitor's standard error goes to $tmp/mon.err);
# mon_pid is the running monitor, or empty.
# shellcheck shell=sh
# tmp and MON are the caller's.
# shellcheck disable=SC2154

mon_pid=

# start_monitor: start "tcp-policy monitor -j" into an empty $MON; one
# TAP check that it joined the events group.
start_monitor() {
	: > "$MON"
	tcp-policy monitor -j > "$MON" 2> "$tmp/mon.err" &
	mon_pid=$!
	tap_check "tcp-policy monitor -j joined the event group" \
		wait_grep "listening" "$tmp/mon.err"
}

# stop_monitor: interrupt it and wait for it.
stop_monitor() {
	[ -n "$mon_pid" ] || return 0
	kill -INT "$mon_pid" 2>/dev/null
	wait "$mon_pid" 2>/dev/null
	mon_pid=
}

# mon_lines STRING [STRING...] (at most 5): print the lines of $MON that
# contain every STRING (fixed strings); false if there is none.
mon_lines() {
	A=$1 B=${2:-} C=${3:-} D=${4:-} E=${5:-} awk '
		function has(s) { return s == "" || index($0, s) > 0 }
		has(ENVIRON["A"]) && has(ENVIRON["B"]) && has(ENVIRON["C"]) && has(ENVIRON["D"]) &&
		has(ENVIRON["E"]) { print; n++ }
		END { exit n == 0 }' "$MON"
}

# mon_has STRING [STRING...]: as mon_lines, silent, waiting up to 5 s
# (events are sent from a work item); says what it missed on failure.
mon_has() {
	_i=0
	while ! mon_lines "$@" > /dev/null && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	mon_lines "$@" > /dev/null || {
		echo "no event with: $*"
		echo "last events:"
		tail -n 8 "$MON"
		return 1
	}
}
