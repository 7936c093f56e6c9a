// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - kfuncs of the XDP flow monitor (ebpf/tcpk_xdp.bpf.c)
 *
 * The XDP program keeps its flow table itself; it asks the module only
 * for the security level (whether to drop) and hands it the flow events,
 * which join the module's other events (the events multicast group).
 * Both kfuncs run in the program's context, a softirq or the caller of a
 * generic XDP receive: they take no sleeping lock and allocate nothing.
 */

#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>

#include "core/compat.h"
#include "core/common.h"
#include "core/events.h"
#include "core/params.h"
#include "lsm/kfuncs.h"
#include "lsm/xdp.h"

/*
 * The flow-event budget: at most tcpk_flow_events_per_sec events in one
 * second of CLOCK_BOOTTIME.  The second and the count are read and
 * written locklessly; two CPUs crossing a second boundary at once may
 * each restart the count, which lets a few more events through, never
 * fewer.
 */
static unsigned int tcpk_flow_events_per_sec = 100;
module_param_cb(flow_events_per_sec, &tcpk_frozen_uint_ops,
		&tcpk_flow_events_per_sec, 0644);
MODULE_PARM_DESC(flow_events_per_sec,
		 "Flow events of the XDP flow monitor delivered per second at most; more are counted as dropped (default 100, 0 for none)");

static u64 tcpk_flow_second;		/* READ_ONCE/WRITE_ONCE */
static atomic_t tcpk_flow_in_second;

static bool tcpk_flow_event_allowed(void)
{
	u64 sec = div_u64(ktime_get_boottime_ns(), NSEC_PER_SEC);
	unsigned int limit = READ_ONCE(tcpk_flow_events_per_sec);

	if (READ_ONCE(tcpk_flow_second) != sec) {
		WRITE_ONCE(tcpk_flow_second, sec);
		atomic_set(&tcpk_flow_in_second, 0);
	}
	return atomic_inc_return(&tcpk_flow_in_second) <= limit;
}

__bpf_kfunc_start_defs();

/**
 * tcpk_xdp_security_level() - the module's security level, for XDP
 *
 * Callable from BPF_PROG_TYPE_XDP programs; takes no lock, never sleeps.
 * Unlike tcpk_kfunc_security_level() it is not counted: it runs for every
 * packet.
 *
 * Return: the &enum tcpk_security_level in force.
 */
__bpf_kfunc u32 tcpk_xdp_security_level(void)
{
	return tcpk_security_level_get();
}

/**
 * tcpk_xdp_flow_event() - hand the module a flow event
 * @report: a &struct tcpk_xdp_flow_report (lsm/xdp.h) on the
 *	program's stack.
 * @report__sz: its size, which must be sizeof(struct tcpk_xdp_flow_report).
 *
 * Callable from BPF_PROG_TYPE_XDP programs; never sleeps.  The report is
 * copied into the event queue, at most ``flow_events_per_sec`` times a
 * second; the events over the budget are counted as dropped
 * (%TCPK_A_STATS_EVENTS_DROPPED) and leave a gap in the sequence numbers.
 *
 * Return: 0 if queued, -EINVAL for a report of another size or family,
 * -EBUSY if over the budget.
 */
__bpf_kfunc int tcpk_xdp_flow_event(u8 *report, u32 report__sz)
{
	const struct tcpk_xdp_flow_report *r = (const void *)report;

	if (report__sz != sizeof(*r) ||
	    (r->flow.family != 4 && r->flow.family != 6))
		return -EINVAL;
	if (!tcpk_flow_event_allowed()) {
		tcpk_event_lost();
		return -EBUSY;
	}
	tcpk_event_flow(r);
	return 0;
}

__bpf_kfunc_end_defs();

BTF_KFUNCS_START(tcpk_xdp_kfunc_ids)
BTF_ID_FLAGS(func, tcpk_xdp_security_level)
BTF_ID_FLAGS(func, tcpk_xdp_flow_event)
BTF_KFUNCS_END(tcpk_xdp_kfunc_ids)

static const struct btf_kfunc_id_set tcpk_xdp_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &tcpk_xdp_kfunc_ids,
};

/**
 * tcpk_xdp_kfuncs_init() - register the XDP flow monitor's kfuncs
 * @enabled: the administrator's ``enable_ebpf``; nothing is registered
 *	when false.
 *
 * For BPF_PROG_TYPE_XDP programs only (the kernel keeps one kfunc table
 * per program type).  Like tcpk_kfuncs_init(), nothing to undo.
 *
 * Return: 0, -EOPNOTSUPP if disabled, or the kernel's error.
 */
int tcpk_xdp_kfuncs_init(bool enabled)
{
	if (!enabled)
		return -EOPNOTSUPP;
	return register_btf_kfunc_id_set(BPF_PROG_TYPE_XDP,
					 &tcpk_xdp_kfunc_set);
}
