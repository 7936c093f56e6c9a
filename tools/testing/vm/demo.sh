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
step "Load the default descriptor packs from /etc (one batch each, all or nothing)"
for f in /etc/tcp_kernel/descriptors.d/*.tcp; do  # one batch per file, to show each
	echo "tcp-policy desc load $f"
	tcp-policy desc load "$f"
done
tcp-policy desc count
step "What the module knows about rm (by name), /usr/bin/curl (by path) and execve (by syscall)"
tcp-policy desc get rm
tcp-policy desc get --path /usr/bin/curl
tcp-policy desc get --syscall execve
step "The first descriptors of the database (tcp-policy desc list)"
tcp-policy desc list | head -n 12
step "A descriptor with a bad check field is refused (the tool checks, and the kernel checks again)"
printf 'TCP\002\000\002\326\177\044\233\000\000\002\210\000\005\000\002\000\000\000\002\350\031' > /tmp/bad.raw
tcp-policy desc load /tmp/bad.raw || echo "(refused, as it should be)"
tcp-policy desc count

step "security_level=4 is refused"
echo 4 > /sys/module/tcp_kernel/parameters/security_level || echo "(refused, as it should be)"
step "rmmod tcp_kernel"
rmmod tcp_kernel
echo "done"
