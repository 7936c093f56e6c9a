#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - 100 load/unload cycles leave nothing behind; on the debug
# kernel kmemleak must find no leak.

# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"

rmmod tcp_kernel 2>/dev/null
kmemleak_start

before=$(grep -c . /proc/modules)
fail=
i=0
while [ $i -lt 100 ]; do
	if ! modprobe tcp_kernel security_level=$((i % 4)); then
		fail="modprobe failed at cycle $i"
		break
	fi
	if ! tcp-policy status > /dev/null; then
		fail="status failed at cycle $i"
		break
	fi
	if ! rmmod tcp_kernel; then
		fail="rmmod failed at cycle $i"
		break
	fi
	i=$((i + 1))
done
if [ -z "$fail" ]; then
	tap_ok "100 load/status/unload cycles"
else
	tap_not_ok "100 load/status/unload cycles" "$fail"
fi
tap_check "no module left loaded" sh -c "[ \$(grep -c . /proc/modules) -eq $before ] && ! test -d /sys/module/tcp_kernel"

kmemleak_check "after the cycles"

tap_done
