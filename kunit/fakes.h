/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - test doubles of core/events.c for the KUnit module
 *
 * core/events.c needs the registered netlink family, which the KUnit module
 * does not have; the policy and per-process code under test call these
 * instead, and tests read what they were given.
 */
#ifndef _TCPK_KUNIT_FAKES_H
#define _TCPK_KUNIT_FAKES_H

#include "core/events.h"

/**
 * struct tcpk_fake_events - what the event producers were called with
 * @decisions: calls of tcpk_event_decision().
 * @policies: calls of tcpk_event_policy().
 * @modes: calls of tcpk_event_mode().
 * @agent_starts: calls of tcpk_event_agent_start().
 * @last: the decision of the last tcpk_event_decision() call.
 * @last_op: the operation of its request.
 * @last_generation: the generation of the last tcpk_event_policy() call.
 * @behaviors: calls of tcpk_event_behavior() and tcpk_event_behavior_of().
 * @last_behavior_pid: the tgid of the last one's process.
 * @last_behavior: the report of the last one (its path NULL: see below).
 * @last_behavior_path: a copy of its path, "" if it had none.
 * @last_behavior_pattern: a copy of its pattern's name, "" if none.
 */
struct tcpk_fake_events {
	unsigned int decisions;
	unsigned int policies;
	unsigned int modes;
	unsigned int agent_starts;
	struct tcpk_decision last;
	u32 last_op;
	u64 last_generation;
	unsigned int behaviors;
	u32 last_behavior_pid;
	struct tcpk_behavior_report last_behavior;
	char last_behavior_path[64];
	char last_behavior_pattern[32];
};

extern struct tcpk_fake_events tcpk_fake_events;
extern bool tcpk_fake_locked;

void tcpk_fake_events_reset(void);

#endif /* _TCPK_KUNIT_FAKES_H */
