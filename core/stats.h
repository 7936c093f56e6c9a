/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - per-CPU statistics
 */
#ifndef _TCPK_STATS_H
#define _TCPK_STATS_H

#include <linux/percpu.h>
#include <linux/types.h>

/**
 * enum tcpk_stat - counters kept per CPU
 * @TCPK_STAT_KFUNC_CALLS: calls of the module's kfuncs.
 * @TCPK_STAT_GENL_REQUESTS: generic-netlink requests served.
 * @__TCPK_STAT_MAX: number of counters.
 */
enum tcpk_stat {
	TCPK_STAT_KFUNC_CALLS,
	TCPK_STAT_GENL_REQUESTS,

	__TCPK_STAT_MAX
};

/**
 * struct tcpk_stats - one CPU's counters
 * @count: counters indexed by &enum tcpk_stat.
 *
 * Each CPU writes only its own copy, with this_cpu_inc() (safe from any
 * context, including BPF programs in hooks); readers sum all copies with
 * tcpk_stats_sum() and accept a value that is a few increments stale.
 */
struct tcpk_stats {
	u64 count[__TCPK_STAT_MAX];
};

DECLARE_PER_CPU(struct tcpk_stats, tcpk_stats);

static inline void tcpk_stat_inc(enum tcpk_stat stat)
{
	this_cpu_inc(tcpk_stats.count[stat]);
}

u64 tcpk_stats_sum(enum tcpk_stat stat);

#endif /* _TCPK_STATS_H */
