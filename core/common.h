/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - state shared by the parts of the module
 */
#ifndef _TCPK_COMMON_H
#define _TCPK_COMMON_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/tcp_kernel.h>

/**
 * struct tcpk_config - administrator's choices, fixed at load
 * @enable_ebpf: register the kfunc bridge for BPF programs.
 * @enable_lsm: enforce verdicts at LSM hooks through BPF-LSM programs.
 * @enable_intel_pt: use Intel Processor Trace where the CPU has it.
 * @enable_cet: use CET status (IBT, shadow stacks) where present.
 * @enable_perf: count the watched tasks' perf events.
 *
 * Written only by module parameters, which are read-only after load, so
 * readers need no lock.
 */
struct tcpk_config {
	bool enable_ebpf;
	bool enable_lsm;
	bool enable_intel_pt;
	bool enable_cet;
	bool enable_perf;
};

extern struct tcpk_config tcpk_config;

/*
 * The current security level.  Written by the security_level parameter
 * (under the kernel's param lock) and read locklessly from any context:
 * always use tcpk_security_level_get().
 */
extern unsigned int tcpk_security_level;

static inline unsigned int tcpk_security_level_get(void)
{
	return READ_ONCE(tcpk_security_level);
}

#endif /* _TCPK_COMMON_H */
