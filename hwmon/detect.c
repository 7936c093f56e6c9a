// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - detection of the hardware monitors' CPU features
 *
 * Absence is normal (QEMU TCG has neither Intel PT nor CET): it is reported
 * with a reason and never fails module load.
 */

#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/string_helpers.h>
#include <asm/cpufeature.h>

#include "hwmon/detect.h"

/**
 * tcpk_hwmon_detect_intel_pt() - report whether Intel PT can be used
 * @enabled: the administrator's ``enable_intel_pt``.
 * @ps: receives the part's state.
 */
void tcpk_hwmon_detect_intel_pt(bool enabled, struct tcpk_part_status *ps)
{
	bool present = boot_cpu_has(X86_FEATURE_INTEL_PT);

	ps->enabled = enabled;
	ps->available = enabled && present;
	if (!present)
		strscpy(ps->reason, "CPU has no Intel PT", sizeof(ps->reason));
	else if (!enabled)
		strscpy(ps->reason, "CPU has Intel PT; disabled by enable_intel_pt=0",
			sizeof(ps->reason));
	else
		strscpy(ps->reason, "CPU has Intel PT", sizeof(ps->reason));
}

/**
 * tcpk_hwmon_detect_cet() - report kernel IBT and user shadow-stack support
 * @enabled: the administrator's ``enable_cet``.
 * @ps: receives the part's state.
 *
 * CET is available when the kernel runs with indirect branch tracking or
 * offers shadow stacks to user space.
 */
void tcpk_hwmon_detect_cet(bool enabled, struct tcpk_part_status *ps)
{
	bool ibt = cpu_feature_enabled(X86_FEATURE_IBT);
	bool shstk = false;

#ifdef TCPK_HAVE_USER_SHSTK
	shstk = cpu_feature_enabled(X86_FEATURE_USER_SHSTK);
#endif
	ps->enabled = enabled;
	ps->available = enabled && (ibt || shstk);
	snprintf(ps->reason, sizeof(ps->reason), "kernel IBT %s, user shadow stack %s%s",
		 str_on_off(ibt),
#ifdef TCPK_HAVE_USER_SHSTK
		 str_on_off(shstk),
#else
		 "not supported by this kernel",
#endif
		 enabled ? "" : "; disabled by enable_cet=0");
}
