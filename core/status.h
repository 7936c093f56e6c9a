/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - the module's status and its netlink encoding
 */
#ifndef _TCPK_STATUS_H
#define _TCPK_STATUS_H

#include <linux/skbuff.h>
#include <linux/types.h>
#include <linux/tcp_kernel.h>

#include "core/events.h"
#include "policy/policy.h"
#include "policy/proc.h"

/* Longest reason text of a part, including the terminating NUL. */
#define TCPK_PART_REASON_LEN	96

/**
 * struct tcpk_part_status - state of one part of the module
 * @enabled: the administrator enabled it.
 * @available: it works here and is running.
 * @reason: why it is not available, or what was detected.
 */
struct tcpk_part_status {
	bool enabled;
	bool available;
	char reason[TCPK_PART_REASON_LEN];
};

/**
 * struct tcpk_status - a snapshot of the module's status
 * @module_version: version of tcp_kernel.ko.
 * @kernel_release: release of the running kernel.
 * @security_level: &enum tcpk_security_level.
 * @parts: one entry per &enum tcpk_part.
 * @kfunc_calls: kfunc calls since load.
 * @genl_requests: netlink requests since load.
 * @policy: the policy engine's counters.
 * @events: the event counters.
 * @procs: the per-process table's counters.
 * @locked: the module is locked until reboot (%TCPK_CMD_LOCK).
 * @signed_required: the parameter ``require_signed_policy``.
 * @keyring: serial of the keyring ".tcp_kernel", 0 if none.
 */
struct tcpk_status {
	const char *module_version;
	const char *kernel_release;
	u32 security_level;
	struct tcpk_part_status parts[__TCPK_PART_MAX];
	u64 kfunc_calls;
	u64 genl_requests;
	struct tcpk_policy_stats policy;
	struct tcpk_events_stats events;
	struct tcpk_proc_stats procs;
	bool locked;
	bool signed_required;
	u32 keyring;
};

const char *tcpk_part_name(enum tcpk_part part);
int tcpk_status_fill(struct sk_buff *skb, const struct tcpk_status *st);

#endif /* _TCPK_STATUS_H */
