// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - the perf monitor: per-task counters through
 * perf_event_create_kernel_counter()
 *
 * Each watched process gets the software events (task-clock, context
 * switches, page faults), which every kernel with perf events has (QEMU
 * TCG included), and, where the CPU has a PMU, instructions, cycles,
 * branch misses and cache misses.  The counters follow the group leader
 * and the threads it creates afterwards (inherit_thread); threads that
 * already ran are not counted, nor are child processes (each tracked one
 * gets its own slot).  task-clock samples every hwmon_sample_ms of CPU
 * time: its overflow handler (interrupt context) only counts and asks
 * for a scan, which reads the counters and judges the period
 * (hwmon/metrics.c).  Counters are not scaled for multiplexing.
 */

#include <linux/err.h>
#include <linux/perf_event.h>
#include <linux/string.h>

#include "core/common.h"
#include "hwmon/hwmon.h"

/* The CPU has a PMU that counts cycles; set at load. */
static bool tcpk_perf_hardware __ro_after_init;

static const struct {
	u32 type;
	u64 config;
} tcpk_perf_events[__TCPK_HWC_MAX] = {
	[TCPK_HWC_TASK_CLOCK] = { PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
	[TCPK_HWC_CTXSW] = { PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
	[TCPK_HWC_FAULTS] = { PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	[TCPK_HWC_INSTRUCTIONS] = { PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
	[TCPK_HWC_CYCLES] = { PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	[TCPK_HWC_BRANCH_MISSES] = { PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES },
	[TCPK_HWC_CACHE_MISSES] = { PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
};

/*
 * Whether the CPU's PMU counts cycles: a disabled counter on CPU 0 is
 * created and released.  Returns 0 or the error of the creation.
 */
static int tcpk_perf_probe_hardware(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_HARDWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_HW_CPU_CYCLES,
		.disabled = 1,
	};
	struct perf_event *ev;

	ev = perf_event_create_kernel_counter(&attr, 0, NULL, NULL, NULL);
	if (IS_ERR(ev))
		return PTR_ERR(ev);
	perf_event_release_kernel(ev);
	return 0;
}

static bool tcpk_perf_available(struct tcpk_hwmon_entry *mon)
{
	int err = tcpk_perf_probe_hardware();

	tcpk_perf_hardware = !err;
	mon->hardware = tcpk_perf_hardware;
	if (!mon->enabled)
		strscpy(mon->reason, "disabled by enable_perf=0",
			sizeof(mon->reason));
	else if (tcpk_perf_hardware)
		strscpy(mon->reason,
			"software events and the PMU (instructions, cycles, branch and cache misses)",
			sizeof(mon->reason));
	else
		snprintf(mon->reason, sizeof(mon->reason),
			 "software events only: no PMU counts cycles (%d), so no IPC or miss rates",
			 err);
	return true;
}

/* Overflow of the sampling counter: NMI or interrupt context. */
static void tcpk_perf_overflow(struct perf_event *event,
			       struct perf_sample_data *data,
			       struct pt_regs *regs)
{
	struct tcpk_hwmon_task *t = event->overflow_handler_context;

	atomic64_inc(&t->overflows);
	tcpk_hwmon_kick();
}

static void tcpk_perf_disable(struct tcpk_hwmon_task *t)
{
	unsigned int c;

	/* After the release no overflow handler runs for the counter. */
	for (c = 0; c < __TCPK_HWC_MAX; c++) {
		if (t->ev[c])
			perf_event_release_kernel(t->ev[c]);
		t->ev[c] = NULL;
	}
}

static int tcpk_perf_enable(struct tcpk_hwmon_task *t)
{
	struct perf_event_attr attr;
	perf_overflow_handler_t handler;
	struct perf_event *ev;
	unsigned int c;

	for (c = 0; c < __TCPK_HWC_MAX; c++) {
		bool software = BIT(c) & TCPK_HWC_SOFTWARE;

		if (!software && !tcpk_perf_hardware)
			continue;
		memset(&attr, 0, sizeof(attr));
		attr.type = tcpk_perf_events[c].type;
		attr.size = sizeof(attr);
		attr.config = tcpk_perf_events[c].config;
		attr.inherit = 1;
		attr.inherit_thread = 1;
		attr.exclude_hv = 1;
		handler = NULL;
		if (c == TCPK_HWC_TASK_CLOCK) {
			attr.sample_period = tcpk_hwmon_sample_ns();
			handler = tcpk_perf_overflow;
		}
		ev = perf_event_create_kernel_counter(&attr, -1, t->task,
						      handler, t);
		if (IS_ERR(ev)) {
			if (!software)
				continue;
			tcpk_perf_disable(t);
			return PTR_ERR(ev);
		}
		t->ev[c] = ev;
	}
	return 0;
}

static u32 tcpk_perf_check(struct tcpk_hwmon_task *t, u64 now)
{
	struct tcpk_hwmon_sample cur = { .time = now };
	struct tcpk_hwmon_limits l;
	u64 enabled, running;
	unsigned int c;

	if (!tcpk_hwmon_period_ok(t->prev.time, now))
		return 0;
	for (c = 0; c < __TCPK_HWC_MAX; c++) {
		if (!t->ev[c])
			continue;
		cur.val[c] = perf_event_read_value(t->ev[c], &enabled, &running);
		cur.have |= BIT(c);
	}
	tcpk_hwmon_metrics(&t->prev, &cur, &t->m);
	t->prev = cur;
	if (!t->m.elapsed_ns)
		return 0;
	t->periods++;
	tcpk_hwmon_limits(&l);
	return tcpk_hwmon_judge(&t->judge, &t->m, &l);
}

const struct tcpk_hwmon_ops tcpk_hwmon_perf_ops = {
	.name = "perf",
	.type = TCPK_HWMON_PERF,
	.available = tcpk_perf_available,
	.enable = tcpk_perf_enable,
	.disable = tcpk_perf_disable,
	.check_violation = tcpk_perf_check,
};
