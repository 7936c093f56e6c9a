/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - policy events: the "events" multicast group and the audit log
 *
 * Producers may run in any context that may not sleep (hooks): they copy
 * the event into a bounded queue (spinlock, module parameter
 * event_queue_len) and a work item sends the queued events to the
 * multicast group and writes denials to the audit log, in process context.
 * An event that finds the queue full, no memory or no listener room is
 * counted in TCPK_A_STATS_EVENTS_DROPPED and the next event carries the
 * total, so a loss is never silent.
 */
#ifndef _TCPK_EVENTS_H
#define _TCPK_EVENTS_H

#include <linux/types.h>

#include "policy/policy.h"

int tcpk_events_init(void);
void tcpk_events_exit(void);

void tcpk_event_decision(const struct tcpk_request *req,
			 const struct tcpk_decision *d);
void tcpk_event_policy(u64 generation, unsigned int rules);
void tcpk_event_mode(const struct tcpk_mode *mode);
void tcpk_event_lock(void);
void tcpk_event_agent_start(u32 pid, const char *comm, const char *agent,
			    u64 session);

/**
 * struct tcpk_behavior_report - what a behaviour event reports
 * @kind: &enum tcpk_behavior.
 * @score: the process's anomaly score after it.
 * @window_ms: the window's length (bursts), else 0.
 * @count: how many (failures in the window, W+X requests so far).
 * @bytes: bytes written (large writes), else 0.
 * @path: the file written (large writes), the profile's executable
 *	(novel sequences), or NULL.
 * @pattern: the pattern's name (sequences), or NULL.
 * @pattern_id: the pattern's id (sequences), else 0.
 * @signal: &enum tcpk_hwmon_signal (hardware monitors), else 0.
 */
struct tcpk_behavior_report {
	u32 kind;
	u32 score;
	u32 window_ms;
	u64 count;
	u64 bytes;
	const char *path;
	const char *pattern;
	u32 pattern_id;
	u32 signal;
};

void tcpk_event_behavior(const struct tcpk_behavior_report *b);
void tcpk_event_behavior_of(struct task_struct *task,
			    const struct tcpk_behavior_report *b);

struct tcpk_xdp_flow_report;

void tcpk_event_flow(const struct tcpk_xdp_flow_report *r);
void tcpk_event_lost(void);

/**
 * struct tcpk_events_stats - event counters
 * @emitted: events delivered to the multicast group.
 * @dropped: events lost.
 * @audit_records: denials written to the audit log.
 * @audit_lost: denials not written to it: their event was dropped from the
 *	full queue, or audit gave no buffer (off, or its backlog full).
 * @queued: events waiting in the queue now.
 * @queue_peak: most events waiting at once since load.
 * @queue_len: slots of the queue (``event_queue_len``; 0 before init).
 */
struct tcpk_events_stats {
	u64 emitted;
	u64 dropped;
	u64 audit_records;
	u64 audit_lost;
	u64 queued;
	u64 queue_peak;
	u64 queue_len;
};

void tcpk_events_stats_get(struct tcpk_events_stats *st);

#endif /* _TCPK_EVENTS_H */
