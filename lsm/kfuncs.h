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
#define TCPK_KFUNC_DECL(decl)	extern decl __ksym
#else
#include <linux/types.h>
#define TCPK_KFUNC_DECL(decl)	decl

int tcpk_kfuncs_init(bool enabled);
#endif

TCPK_KFUNC_DECL(__u32 tcpk_kfunc_security_level(void));

#endif /* _TCPK_LSM_KFUNCS_H */
