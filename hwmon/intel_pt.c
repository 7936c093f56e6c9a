// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - the Intel PT monitor: detection only
 *
 * Capturing a trace needs an AUX ring buffer, which perf gives only to an
 * event that user space mapped; perf_event_create_kernel_counter() makes
 * events without one, so a module cannot capture Intel PT through the
 * kernel's exported interfaces.  The monitor therefore reports whether
 * the CPU has Intel PT and why it does not trace, and is never available;
 * Documentation/hwmon.rst says how to capture with perf instead.
 */

#include <linux/string.h>
#include <asm/cpufeature.h>

#include "hwmon/hwmon.h"

static bool tcpk_intel_pt_available(struct tcpk_hwmon_entry *mon)
{
	mon->hardware = boot_cpu_has(X86_FEATURE_INTEL_PT);
	if (!mon->hardware)
		strscpy(mon->reason, "CPU has no Intel PT", sizeof(mon->reason));
	else if (!mon->enabled)
		strscpy(mon->reason,
			"CPU has Intel PT; disabled by enable_intel_pt=0",
			sizeof(mon->reason));
	else
		strscpy(mon->reason,
			"CPU has Intel PT; capture not possible: kernel counters get no AUX buffer",
			sizeof(mon->reason));
	return false;
}

const struct tcpk_hwmon_ops tcpk_hwmon_intel_pt_ops = {
	.name = "intel_pt",
	.type = TCPK_HWMON_INTEL_PT,
	.available = tcpk_intel_pt_available,
};
