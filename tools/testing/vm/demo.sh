#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - the demo, run inside the VM by `make demo`.

step() {
	echo
	echo "### $*"
}

set -e
step "Running $(uname -sr); active LSMs: $(cat /sys/kernel/security/lsm)"
step "modprobe tcp_kernel security_level=2"
modprobe tcp_kernel security_level=2
dmesg | grep "tcp_kernel:" | sed "s/^\[[ 0-9.]*\] //" | tail -n 2
step "Module parameters (/sys/module/tcp_kernel/parameters)"
grep . /sys/module/tcp_kernel/parameters/*
step "tcp-policy status"
tcp-policy status
step "A BPF-LSM program on file_open calls the module's kfunc 5 times"
kfunc-probe --expect-level 2 5
step "tcp-policy -p status (pretty JSON; -j for one line)"
tcp-policy -p status
step "security_level=4 is refused"
echo 4 > /sys/module/tcp_kernel/parameters/security_level || echo "(refused, as it should be)"
step "rmmod tcp_kernel"
rmmod tcp_kernel
echo "done"
