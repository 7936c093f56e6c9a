#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tcpk-kernels: debug
#
# tcp_kernel - run the KUnit suites; the host counts the KTAP with the
# kernel's kunit.py parse.

# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"

mark=$(dmesg | wc -l)
tap_check "modprobe tcp_kernel_kunit" modprobe tcp_kernel_kunit
# KUnit runs the suites while the module loads, printing KTAP.
echo "# TCPK-KTAP-BEGIN"
dmesg | tail -n +$((mark + 1)) | sed -n '/KTAP version/,$p'
echo "# TCPK-KTAP-END"
tap_check "suites registered in debugfs" sh -c 'ls -d /sys/kernel/debug/kunit/tcp_kernel_*'
tap_check "rmmod tcp_kernel_kunit" rmmod tcp_kernel_kunit

tap_done
