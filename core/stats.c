// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - per-CPU statistics
 */

#include <linux/cpumask.h>

#include "core/stats.h"

DEFINE_PER_CPU(struct tcpk_stats, tcpk_stats);

/**
 * tcpk_stats_sum() - sum one counter over all CPUs
 * @stat: the counter.
 *
 * Lockless: concurrent increments may or may not be seen.
 *
 * Return: the sum.
 */
u64 tcpk_stats_sum(enum tcpk_stat stat)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu(tcpk_stats, cpu).count[stat]);
	return sum;
}
