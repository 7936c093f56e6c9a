/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - kfuncs exported to BPF-LSM programs
 *
 * Shared by the module and by the BPF programs in ebpf/ (which include it
 * after vmlinux.h and bpf_helpers.h), so both sides agree on every
 * prototype.
 */
#ifndef _TCPK_LSM_KFUNCS_H
#define _TCPK_LSM_KFUNCS_H

#if defined(__bpf__) || defined(__BPF__)
/* To a BPF program a kfunc is an external kernel symbol for libbpf. */
#define TCPK_KFUNC __ksym
#else
#include <linux/types.h>
#define TCPK_KFUNC

int tcpk_kfuncs_init(bool enabled);
#endif

TCPK_KFUNC __u32 tcpk_kfunc_security_level(void);

#endif /* _TCPK_LSM_KFUNCS_H */
