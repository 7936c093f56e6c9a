#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - the per-process table's probes on the scheduler's fork, exec
# and exit tracepoints.  The module loads and unloads over and over while
# processes fork, exec, exit and daemonise as fast as they can: every one
# of them must run to completion with its own exit status, and the kernel
# log must stay clean.  On the debug kernel kmemleak must find no leak.
# (Agent labels cannot be set from user space yet: what is tested here is
# that the probes come and go without disturbing anyone.)

# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"

P=/sys/module/tcp_kernel/parameters
rmmod tcp_kernel 2>/dev/null
kmemleak_start
mark=$(dmesg | wc -l)

# Fork, exec, exit and exit statuses, as a user would see them.
processes_work() {
	sh -c 'exit 7'
	[ $? -eq 7 ] || return 1
	[ "$(sh -c '/bin/echo child; /bin/true & wait')" = child ] || return 1
	# a thread group: threads that exit before the process does
	if command -v python3 > /dev/null; then
		python3 -c '
import threading, subprocess
t = [threading.Thread(target=subprocess.run, args=(["/bin/true"],)) for _ in range(4)]
[x.start() for x in t]
[x.join() for x in t]
' || return 1
	fi
}

tap_check "modprobe tcp_kernel" modprobe tcp_kernel
tap_check "max_procs is 0444 and 16384 by default" sh -c "
	[ \$(stat -c %a $P/max_procs) = 444 ] && grep -qx 16384 $P/max_procs"
tap_check "fork, exec, threads and exit with the probes registered" processes_work
tap_check "rmmod tcp_kernel" rmmod tcp_kernel
tap_check "modprobe tcp_kernel max_procs=16 security_level=3" modprobe tcp_kernel max_procs=16 security_level=3
tap_check "max_procs reads 16" grep -qx 16 "$P/max_procs"
tap_check "fork, exec, threads and exit at level 3" processes_work

# A full table makes room: 40 live processes whose exec a rule matched
# (each gets an entry for its decision history) in a table of 16: the
# oldest entries without a label, quarantine or score are evicted, and
# counted; an agent started then still gets its label.  The sleepers are
# a copy of busybox at a path (busybox sh runs its own applets without an
# exec when they are named without one).
stat_of() {
	tcp-policy -j stats | sed -n "s/.*\"$1\": *\([0-9]*\).*/\1/p"
}
mkdir -p /tmp/s
cp /bin/busybox /tmp/s/sleep
tcp-policy add --match-op=exec --match-path=/tmp/s/sleep --action=monitor > /dev/null
ev0=$(stat_of procs_evicted)
sleepers=
i=0
while [ $i -lt 40 ]; do
	/tmp/s/sleep 60 &
	sleepers="$sleepers $!"
	i=$((i + 1))
done
tcp-policy run --agent full -- /tmp/s/sleep 60 &
agent=$!
sleepers="$sleepers $agent"
retry 20 sh -c "tcp-policy agents | grep -q '^ *$agent '"
# Wait until the sleepers have executed (each exec is one entry).
evicted_24() {
	[ $(($(stat_of procs_evicted) - ev0)) -ge 24 ]
}
retry 20 evicted_24
procs=$(stat_of procs)
ev=$(($(stat_of procs_evicted) - ev0))
bytes=$(stat_of procs_bytes)
tap_diag "table of 16 after 41 matched execs: $procs entries, $ev evicted, $bytes bytes"
tap_check "the table stays at most 16 entries ($procs)" test "${procs:-99}" -le 16
tap_check "at least 24 entries were evicted, and counted ($ev)" test "$ev" -ge 24
tap_check "the entries' memory is counted: more than 16 x 200 bytes ($bytes)" \
	test "${bytes:-0}" -gt 3200
tap_check "an agent started in the full table has its label" \
	sh -c "tcp-policy agents | grep -q '^ *$agent .*full'"
# shellcheck disable=SC2086 # a list of pids
kill $sleepers 2> /dev/null
wait 2> /dev/null
table_empty() {
	[ "$(stat_of procs)" = 0 ] && [ "$(stat_of procs_bytes)" = 0 ]
}
tap_check "once they exited, the table is empty and holds no memory" retry 20 table_empty
tcp-policy flush > /dev/null
tap_check "rmmod tcp_kernel" rmmod tcp_kernel

# storm N FILE: N execs of /bin/true; FILE receives how many succeeded.
storm() {
	_n=0
	_i=0
	while [ $_i -lt "$1" ]; do
		/bin/true && _n=$((_n + 1))
		_i=$((_i + 1))
	done
	echo "$_n" > "$2"
}

# daemons N FILE: N shells that leave a child behind (reparented to init);
# FILE receives how many exited with status 0.
daemons() {
	_n=0
	_i=0
	while [ $_i -lt "$1" ]; do
		sh -c 'sleep 0 &' && _n=$((_n + 1))
		_i=$((_i + 1))
	done
	echo "$_n" > "$2"
}

# Two storms of execs (one a CPU) and one of daemonising shells.  The debug
# kernel (KASAN under TCG) is about five times slower: a fifth of the work
# still overlaps many load/unload cycles.
if [ "$TCPK_KERNEL" = debug ]; then
	nexec=400
	ndaemon=60
else
	nexec=2000
	ndaemon=300
fi
rm -f /tmp/storm1 /tmp/storm2 /tmp/daemons
storm $nexec /tmp/storm1 &
s1=$!
storm $nexec /tmp/storm2 &
s2=$!
daemons $ndaemon /tmp/daemons &
s3=$!

# Load and unload (every security level) for as long as the storms run.
cycles=0
fail=
while kill -0 $s1 2> /dev/null || kill -0 $s2 2> /dev/null || kill -0 $s3 2> /dev/null; do
	if ! modprobe tcp_kernel security_level=$((cycles % 4)); then
		fail="modprobe failed at cycle $cycles"
		break
	fi
	# some forks and exits with the probes in
	/bin/true
	if ! rmmod tcp_kernel; then
		fail="rmmod failed at cycle $cycles"
		break
	fi
	cycles=$((cycles + 1))
done
wait
rmmod tcp_kernel 2> /dev/null
tap_diag "$cycles load/unload cycles during the storms"
if [ -z "$fail" ]; then
	tap_ok "the module loads and unloads while processes fork, exec and exit"
else
	tap_not_ok "the module loads and unloads while processes fork, exec and exit" "$fail"
fi
tap_check "at least 5 load/unload cycles overlapped the storms" test "$cycles" -ge 5
n1=$(cat /tmp/storm1 2> /dev/null)
n2=$(cat /tmp/storm2 2> /dev/null)
n3=$(cat /tmp/daemons 2> /dev/null)
tap_check "$nexec + $nexec execs of /bin/true all succeeded ($n1 + $n2)" \
	test "$n1" = $nexec -a "$n2" = $nexec
tap_check "$ndaemon daemonising shells all exited with 0 ($n3)" test "$n3" = $ndaemon
tap_check "no module left loaded" sh -c '! test -d /sys/module/tcp_kernel'
tap_check "no error of the per-process table in the kernel log" sh -c \
	"! dmesg | tail -n +$((mark + 1)) | grep -E 'tcp_kernel: (kernel tracepoint|cannot register a probe|cannot quarantine|load failed)'"

# Load again with everything quiet: processes still work, and unloading
# frees what the probes allocated.
tap_check "modprobe tcp_kernel after the storms" modprobe tcp_kernel
tap_check "fork, exec, threads and exit after the storms" processes_work
tap_check "rmmod tcp_kernel after the storms" rmmod tcp_kernel

kmemleak_check "after the storms"

tap_done
