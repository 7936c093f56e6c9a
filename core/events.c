// SPDX-License-Identifier: GPL-2.0
/* STUB - replaced by the events implementation. */
#include <linux/module.h>
#include "core/events.h"

int tcpk_events_init(void) { return 0; }
void tcpk_events_exit(void) { }
void tcpk_event_decision(const struct tcpk_request *req, const struct tcpk_decision *d) { }
void tcpk_event_policy(u64 generation, unsigned int rules) { }
void tcpk_event_mode(const struct tcpk_mode *mode) { }
void tcpk_event_agent_start(u32 pid, const char *comm, const char *agent, u64 session) { }
void tcpk_events_stats_get(struct tcpk_events_stats *st) { memset(st, 0, sizeof(*st)); }
