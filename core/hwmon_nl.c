// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - netlink encoding of the hardware monitors: one
 * %TCPK_A_HWMON nest per monitor, one %TCPK_A_HWMON_TASK nest per watched
 * process
 */

#include <net/netlink.h>
#include <linux/sched.h>
#include <linux/tcp_kernel.h>

#include "core/hwmon_nl.h"
#include "core/status.h"
#include "hwmon/hwmon.h"

/**
 * tcpk_nl_hwmon_size() - room a %TCPK_A_HWMON nest takes at most
 *
 * Return: the size in bytes, padding included.
 */
size_t tcpk_nl_hwmon_size(void)
{
	return nla_total_size(0) + 3 * nla_total_size(sizeof(u32)) +
	       3 * nla_total_size(sizeof(u8)) +
	       nla_total_size(TCPK_PART_REASON_LEN) +
	       nla_total_size(TCPK_PART_REASON_LEN);
}

/**
 * tcpk_nl_hwmon_fill() - encode one monitor
 * @skb: message being built.
 * @info: the monitor (tcpk_hwmon_info()).
 *
 * On failure nothing of the nest is left in @skb.  Never sleeps.
 *
 * Return: 0, or -EMSGSIZE if @skb is too small.
 */
int tcpk_nl_hwmon_fill(struct sk_buff *skb, const struct tcpk_hwmon_info *info)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, TCPK_A_HWMON);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, TCPK_A_HWMON_ID, info->id) ||
	    nla_put_string(skb, TCPK_A_HWMON_NAME, info->name) ||
	    nla_put_u8(skb, TCPK_A_HWMON_ENABLED, info->enabled) ||
	    nla_put_u8(skb, TCPK_A_HWMON_AVAILABLE, info->available) ||
	    nla_put_string(skb, TCPK_A_HWMON_REASON, info->reason) ||
	    nla_put_u32(skb, TCPK_A_HWMON_TASKS, info->tasks) ||
	    nla_put_u32(skb, TCPK_A_HWMON_TASK_LIMIT, info->task_limit) ||
	    nla_put_u8(skb, TCPK_A_HWMON_HARDWARE, info->hardware)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The uapi attribute of each counter. */
static const u16 tcpk_nl_hwc_attr[__TCPK_HWC_MAX] = {
	[TCPK_HWC_TASK_CLOCK] = TCPK_A_HWMON_TASK_TASK_CLOCK,
	[TCPK_HWC_CTXSW] = TCPK_A_HWMON_TASK_CONTEXT_SWITCHES,
	[TCPK_HWC_FAULTS] = TCPK_A_HWMON_TASK_PAGE_FAULTS,
	[TCPK_HWC_INSTRUCTIONS] = TCPK_A_HWMON_TASK_INSTRUCTIONS,
	[TCPK_HWC_CYCLES] = TCPK_A_HWMON_TASK_CYCLES,
	[TCPK_HWC_BRANCH_MISSES] = TCPK_A_HWMON_TASK_BRANCH_MISSES,
	[TCPK_HWC_CACHE_MISSES] = TCPK_A_HWMON_TASK_CACHE_MISSES,
};

/**
 * tcpk_nl_hwmon_task_size() - room a %TCPK_A_HWMON_TASK nest takes at most
 *
 * Return: the size in bytes, padding included.
 */
size_t tcpk_nl_hwmon_task_size(void)
{
	return nla_total_size(0) + nla_total_size(TASK_COMM_LEN) +
	       (__TCPK_HWC_MAX + 3) * nla_total_size_64bit(sizeof(u64)) +
	       10 * nla_total_size(sizeof(u32)) + nla_total_size(sizeof(u8));
}

/* The counters and, with the instruction counter, the hardware metrics. */
static int tcpk_nl_hwmon_counters(struct sk_buff *skb,
				  const struct tcpk_hwmon_task *t)
{
	unsigned int c;

	for (c = 0; c < __TCPK_HWC_MAX; c++)
		if ((t->prev.have & BIT(c)) &&
		    nla_put_u64_64bit(skb, tcpk_nl_hwc_attr[c], t->prev.val[c],
				      TCPK_A_HWMON_TASK_PAD))
			return -EMSGSIZE;
	if (!(t->prev.have & BIT(TCPK_HWC_INSTRUCTIONS)))
		return 0;
	if (nla_put_u32(skb, TCPK_A_HWMON_TASK_IPC_Q8, t->m.ipc_q8) ||
	    nla_put_u32(skb, TCPK_A_HWMON_TASK_BRANCH_MPKI_Q8,
			t->m.branch_mpki_q8) ||
	    nla_put_u32(skb, TCPK_A_HWMON_TASK_CACHE_MPKI_Q8,
			t->m.cache_mpki_q8))
		return -EMSGSIZE;
	return 0;
}

/**
 * tcpk_nl_hwmon_task_fill() - encode one watched process
 * @skb: message being built.
 * @t: its slot (the registry's mutex held).
 *
 * Counters are those of the last evaluation; those the process does not
 * have are left out, and so is the shadow-stack state where the kernel
 * does not tell it.  On failure nothing of the nest is left in @skb.
 *
 * Return: 0, or -EMSGSIZE if @skb is too small.
 */
int tcpk_nl_hwmon_task_fill(struct sk_buff *skb,
			    const struct tcpk_hwmon_task *t)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, TCPK_A_HWMON_TASK);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, TCPK_A_HWMON_TASK_PID, t->tgid) ||
	    nla_put_string(skb, TCPK_A_HWMON_TASK_COMM, t->comm) ||
	    tcpk_nl_hwmon_counters(skb, t) ||
	    nla_put_u32(skb, TCPK_A_HWMON_TASK_CPU_PM, t->m.cpu_pm) ||
	    nla_put_u32(skb, TCPK_A_HWMON_TASK_FAULT_RATE, t->m.fault_rate) ||
	    nla_put_u32(skb, TCPK_A_HWMON_TASK_CTXSW_RATE, t->m.ctxsw_rate) ||
	    nla_put_u64_64bit(skb, TCPK_A_HWMON_TASK_OVERFLOWS,
			      atomic64_read(&t->overflows),
			      TCPK_A_HWMON_TASK_PAD) ||
	    nla_put_u64_64bit(skb, TCPK_A_HWMON_TASK_PERIODS, t->periods,
			      TCPK_A_HWMON_TASK_PAD) ||
	    nla_put_u32(skb, TCPK_A_HWMON_TASK_BUSY_MS, t->judge.busy_ms) ||
	    nla_put_u32(skb, TCPK_A_HWMON_TASK_POINTS, t->points) ||
	    (t->shstk_known &&
	     nla_put_u8(skb, TCPK_A_HWMON_TASK_SHSTK, t->shstk)) ||
	    nla_put_u64_64bit(skb, TCPK_A_HWMON_TASK_CP_FAULTS,
			      atomic64_read(&t->cp_faults),
			      TCPK_A_HWMON_TASK_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}
