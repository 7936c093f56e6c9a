// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - test doubles of core/events.c (see fakes.h), and the
 * security level that core/main.c holds in tcp_kernel.ko
 *
 * Not thread-safe: the suites that read them run their cases one at a time.
 */

#include <linux/sched.h>
#include <linux/string.h>

#include "core/common.h"
#include "core/lock.h"
#include "fakes.h"

struct tcpk_fake_events tcpk_fake_events;

/*
 * The security level lives in core/main.c, which is not part of the test
 * module; the suites read and write this copy (one definition for all).
 */
unsigned int tcpk_security_level = TCPK_LEVEL_MONITOR;

/*
 * The lock's state lives in core/lock.c, not part of the test module
 * either: the suites set tcpk_fake_locked and the code under test reads
 * it through these.
 */
bool tcpk_fake_locked;

bool tcpk_locked(void)
{
	return READ_ONCE(tcpk_fake_locked);
}

bool tcpk_lock_change_begin(void)
{
	return tcpk_locked();
}

void tcpk_lock_change_end(void)
{
}

void tcpk_fake_events_reset(void)
{
	memset(&tcpk_fake_events, 0, sizeof(tcpk_fake_events));
}

int tcpk_events_init(void)
{
	return 0;
}

void tcpk_events_exit(void)
{
}

void tcpk_event_decision(const struct tcpk_request *req,
			 const struct tcpk_decision *d)
{
	tcpk_fake_events.decisions++;
	tcpk_fake_events.last = *d;
	tcpk_fake_events.last_op = req->op;
}

void tcpk_event_policy(u64 generation, unsigned int rules)
{
	tcpk_fake_events.policies++;
	tcpk_fake_events.last_generation = generation;
}

void tcpk_event_mode(const struct tcpk_mode *mode)
{
	tcpk_fake_events.modes++;
}

void tcpk_event_agent_start(u32 pid, const char *comm, const char *agent,
			    u64 session)
{
	tcpk_fake_events.agent_starts++;
}

void tcpk_event_behavior(const struct tcpk_behavior_report *b)
{
	tcpk_event_behavior_of(current, b);
}

void tcpk_event_behavior_of(struct task_struct *task,
			    const struct tcpk_behavior_report *b)
{
	tcpk_fake_events.behaviors++;
	tcpk_fake_events.last_behavior_pid = task->tgid;
	tcpk_fake_events.last_behavior = *b;
	strscpy(tcpk_fake_events.last_behavior_path, b->path ? b->path : "",
		sizeof(tcpk_fake_events.last_behavior_path));
	tcpk_fake_events.last_behavior.path = NULL;
	strscpy(tcpk_fake_events.last_behavior_pattern,
		b->pattern ? b->pattern : "",
		sizeof(tcpk_fake_events.last_behavior_pattern));
	tcpk_fake_events.last_behavior.pattern = NULL;
}

void tcpk_events_stats_get(struct tcpk_events_stats *st)
{
	memset(st, 0, sizeof(*st));
}
