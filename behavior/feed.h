/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - the behavioural feed: system call exits, context switches,
 * bytes sent, large writes and W+X memory of tracked processes
 */
#ifndef _TCPK_FEED_H
#define _TCPK_FEED_H

#include <linux/types.h>

struct pt_regs;
struct task_struct;
struct tcpk_behavior_report;
struct tcpk_features;

extern bool tcpk_syscall_feed;

/* Tracepoint probes, registered by policy/proc.c (preemption off). */
void tcpk_sys_exit_probe(void *data, struct pt_regs *regs, long ret);

u32 tcpk_score_half_life(void);
u32 tcpk_quarantine_threshold(unsigned int level);
void tcpk_behavior_scored(u32 score);
void tcpk_behavior_scored_of(struct task_struct *task, u32 score);
u32 tcpk_behavior_add_points(struct task_struct *task, u32 points,
			     struct tcpk_behavior_report *b);

/* Context switches of @task's process so far; under RCU. */
u64 tcpk_behavior_ctxsw(struct task_struct *task);

/* From the hooks: current's process; any context that may not sleep. */
void tcpk_behavior_sent(int size);
void tcpk_behavior_wx(void);

/* For the cost command (core/cost.c): updates of a scratch state. */
u32 tcpk_behavior_cost_score(struct tcpk_features *f, u32 n);

#endif /* _TCPK_FEED_H */
