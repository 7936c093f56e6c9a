// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - netlink encoding of the module's status
 *
 * Pure functions of their arguments: the KUnit suite builds this file
 * into the test module as it is.
 */

#include <net/netlink.h>

#include "core/status.h"

static const char *const tcpk_part_names[__TCPK_PART_MAX] = {
	[TCPK_PART_EBPF] = "ebpf",
	[TCPK_PART_LSM] = "lsm",
	[TCPK_PART_INTEL_PT] = "intel_pt",
	[TCPK_PART_CET] = "cet",
	[TCPK_PART_PERF] = "perf",
};

/**
 * tcpk_part_name() - the uapi name of a part
 * @part: a part.
 *
 * Return: its name, or "unknown" for a value out of range.
 */
const char *tcpk_part_name(enum tcpk_part part)
{
	if ((unsigned int)part >= __TCPK_PART_MAX)
		return "unknown";
	return tcpk_part_names[part];
}

static int tcpk_part_fill(struct sk_buff *skb, enum tcpk_part part,
			  const struct tcpk_part_status *ps)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, TCPK_A_PART);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, TCPK_A_PART_ID, part) ||
	    nla_put_string(skb, TCPK_A_PART_NAME, tcpk_part_name(part)) ||
	    nla_put_u8(skb, TCPK_A_PART_ENABLED, ps->enabled) ||
	    nla_put_u8(skb, TCPK_A_PART_AVAILABLE, ps->available) ||
	    nla_put_string(skb, TCPK_A_PART_REASON, ps->reason)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int tcpk_op_stats_fill(struct sk_buff *skb, u32 op,
			      const u64 verdicts[3])
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, TCPK_A_STATS_OP);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, TCPK_A_OP_STATS_OP, op) ||
	    nla_put_u64_64bit(skb, TCPK_A_OP_STATS_ALLOW, verdicts[0],
			      TCPK_A_OP_STATS_PAD) ||
	    nla_put_u64_64bit(skb, TCPK_A_OP_STATS_DENY, verdicts[1],
			      TCPK_A_OP_STATS_PAD) ||
	    nla_put_u64_64bit(skb, TCPK_A_OP_STATS_WOULD_DENY, verdicts[2],
			      TCPK_A_OP_STATS_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int tcpk_stats_put(struct sk_buff *skb, const struct tcpk_status *st)
{
	const struct {
		int type;
		u64 val;
	} counters[] = {
		{ TCPK_A_STATS_KFUNC_CALLS, st->kfunc_calls },
		{ TCPK_A_STATS_GENL_REQUESTS, st->genl_requests },
		{ TCPK_A_STATS_DECISIONS, st->policy.decisions },
		{ TCPK_A_STATS_CACHE_HITS, st->policy.cache_hits },
		{ TCPK_A_STATS_CACHE_MISSES, st->policy.cache_misses },
		{ TCPK_A_STATS_FAST_PATH, st->policy.fast_path },
		{ TCPK_A_STATS_EVENTS, st->events.emitted },
		{ TCPK_A_STATS_EVENTS_DROPPED, st->events.dropped },
		{ TCPK_A_STATS_AUDIT_RECORDS, st->events.audit_records },
		{ TCPK_A_STATS_AGENT_LABELS, st->procs.labels },
		{ TCPK_A_STATS_AGENT_LABELS_LOST, st->procs.labels_lost },
		{ TCPK_A_STATS_EVENTS_QUEUED, st->events.queued },
		{ TCPK_A_STATS_EVENTS_QUEUE_PEAK, st->events.queue_peak },
		{ TCPK_A_STATS_EVENTS_QUEUE_LEN, st->events.queue_len },
		{ TCPK_A_STATS_AUDIT_RECORDS_LOST, st->events.audit_lost },
		{ TCPK_A_STATS_PROCS, st->procs.entries },
		{ TCPK_A_STATS_PROCS_EVICTED, st->procs.evicted },
		{ TCPK_A_STATS_PROCS_BYTES, st->procs.bytes },
	};
	unsigned int i;
	u32 op;

	for (i = 0; i < ARRAY_SIZE(counters); i++)
		if (nla_put_u64_64bit(skb, counters[i].type, counters[i].val,
				      TCPK_A_STATS_PAD))
			return -EMSGSIZE;
	for (op = 0; op < __TCPK_OP_MAX; op++)
		if (tcpk_op_stats_fill(skb, op, st->policy.verdicts[op]))
			return -EMSGSIZE;
	return 0;
}

/*
 * The %TCPK_A_STATS nest: every counter, then one %TCPK_A_STATS_OP nest
 * per operation (allowed, denied, would-deny).
 */
static int tcpk_stats_fill(struct sk_buff *skb, const struct tcpk_status *st)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, TCPK_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (tcpk_stats_put(skb, st)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * tcpk_status_fill() - encode a status snapshot as netlink attributes
 * @skb: message being built, positioned after the genetlink header.
 * @st: the snapshot.
 *
 * Writes the attributes of a %TCPK_CMD_GET_STATUS reply (see
 * &enum tcpk_attr).  On failure the message may hold part of them; the
 * caller discards it.
 *
 * Return: 0, or -EMSGSIZE if @skb is too small.
 */
int tcpk_status_fill(struct sk_buff *skb, const struct tcpk_status *st)
{
	int part;
	int err;

	if (nla_put_string(skb, TCPK_A_MODULE_VERSION, st->module_version) ||
	    nla_put_u32(skb, TCPK_A_UAPI_VERSION, TCPK_UAPI_VERSION) ||
	    nla_put_u32(skb, TCPK_A_SECURITY_LEVEL, st->security_level) ||
	    nla_put_string(skb, TCPK_A_KERNEL_RELEASE, st->kernel_release) ||
	    nla_put_u8(skb, TCPK_A_LOCKED, st->locked) ||
	    nla_put_u8(skb, TCPK_A_SIGNED_REQUIRED, st->signed_required) ||
	    nla_put_u32(skb, TCPK_A_KEYRING, st->keyring))
		return -EMSGSIZE;

	for (part = 0; part < __TCPK_PART_MAX; part++) {
		err = tcpk_part_fill(skb, part, &st->parts[part]);
		if (err)
			return err;
	}
	return tcpk_stats_fill(skb, st);
}
