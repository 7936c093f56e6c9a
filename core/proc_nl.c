// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - netlink encoding of tracked processes and behaviour events
 *
 * Pure encoders: they write what they are given into a message and never
 * sleep, so the dump callbacks may call them under rcu_read_lock().
 */

#include <linux/sched.h>
#include <net/netlink.h>

#include "core/policy_nl.h"
#include "core/proc_nl.h"
#include "policy/proc.h"

/* The u64 counters of a %TCPK_A_PROC nest but the session. */
#define TCPK_NL_PROC_U64S	14

/**
 * tcpk_nl_proc_size() - room a %TCPK_A_PROC nest takes at most
 *
 * Return: the size in bytes, padding included.
 */
size_t tcpk_nl_proc_size(void)
{
	return nla_total_size(0) +
	       nla_total_size(sizeof(u32)) +			/* pid */
	       nla_total_size(TASK_COMM_LEN) +
	       nla_total_size(TCPK_AGENT_NAME_MAX) +
	       nla_total_size_64bit(sizeof(u64)) +		/* session */
	       nla_total_size(sizeof(u8)) +			/* quarantined */
	       8 * nla_total_size(sizeof(u32)) +	/* score, rates, lfc */
	       nla_total_size(TCPK_PATH_MAX) +			/* profile */
	       nla_total_size(__TCPK_SC_MAX * sizeof(u64)) +	/* classes */
	       nla_total_size(TCPK_TOP_SYSCALLS * 2 * sizeof(u32)) +
	       TCPK_NL_PROC_U64S * nla_total_size_64bit(sizeof(u64));
}

/* The sketch's calls, most frequent first, as (call, count) pairs. */
static unsigned int tcpk_nl_proc_top(const struct tcpk_topk *t,
				     u32 out[][2])
{
	unsigned int i, j, n = 0;

	for (i = 0; i < TCPK_TOP_SYSCALLS; i++) {
		if (!t->count[i])
			continue;
		/* insertion sort: four entries at most */
		for (j = n; j > 0 && out[j - 1][1] < t->count[i]; j--) {
			out[j][0] = out[j - 1][0];
			out[j][1] = out[j - 1][1];
		}
		out[j][0] = t->nr[i];
		out[j][1] = t->count[i];
		n++;
	}
	return n;
}

static int tcpk_nl_proc_put(struct sk_buff *skb,
			    const struct tcpk_proc_info *info)
{
	const struct tcpk_features_info *f = &info->feat;
	const struct {
		int type;
		u64 value;
	} counters[TCPK_NL_PROC_U64S] = {
		{ TCPK_A_PROC_SYSCALLS, f->syscalls },
		{ TCPK_A_PROC_FAILURES, f->failures },
		{ TCPK_A_PROC_FAIL_BURSTS, f->fail_bursts },
		{ TCPK_A_PROC_CTXSW, f->ctxsw },
		{ TCPK_A_PROC_BYTES_SENT, f->bytes_sent },
		{ TCPK_A_PROC_SENDS, f->sends },
		{ TCPK_A_PROC_LARGE_WRITES, f->large_writes },
		{ TCPK_A_PROC_LARGE_WRITE_BYTES, f->large_write_bytes },
		{ TCPK_A_PROC_WX, f->wx },
		{ TCPK_A_PROC_VIOLATIONS, info->violations },
		{ TCPK_A_PROC_PATTERNS, f->patterns },
		{ TCPK_A_PROC_TRIGRAMS, f->trigrams },
		{ TCPK_A_PROC_NOVEL, f->novel },
		{ TCPK_A_PROC_FILEOPS, f->fileops },
	};
	u32 top[TCPK_TOP_SYSCALLS][2];
	unsigned int i, n;

	if (nla_put_u32(skb, TCPK_A_PROC_PID, info->pid) ||
	    nla_put_string(skb, TCPK_A_PROC_COMM, info->comm) ||
	    nla_put_u8(skb, TCPK_A_PROC_QUARANTINED, info->quarantined) ||
	    nla_put_u32(skb, TCPK_A_PROC_SCORE, f->score) ||
	    nla_put_u32(skb, TCPK_A_PROC_SYSCALL_RATE, f->syscall_rate) ||
	    nla_put_u32(skb, TCPK_A_PROC_CTXSW_RATE, f->ctxsw_rate) ||
	    nla_put_u32(skb, TCPK_A_PROC_SENT_RATE, f->sent_rate) ||
	    nla_put_u32(skb, TCPK_A_PROC_LFC, f->lfc) ||
	    nla_put_u32(skb, TCPK_A_PROC_LFC_PEAK, f->lfc_peak) ||
	    nla_put_u32(skb, TCPK_A_PROC_FILEOP_RATE, f->fileop_rate) ||
	    nla_put_u32(skb, TCPK_A_PROC_MODEL_PEAK, f->model_peak) ||
	    nla_put(skb, TCPK_A_PROC_CLASSES, sizeof(f->classes), f->classes) ||
	    (info->profile &&
	     nla_put_string(skb, TCPK_A_PROC_PROFILE, info->profile)))
		return -EMSGSIZE;
	if (info->agent &&
	    (nla_put_string(skb, TCPK_A_PROC_AGENT, info->agent) ||
	     nla_put_u64_64bit(skb, TCPK_A_PROC_SESSION, info->session,
			       TCPK_A_PROC_PAD)))
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(counters); i++)
		if (nla_put_u64_64bit(skb, counters[i].type, counters[i].value,
				      TCPK_A_PROC_PAD))
			return -EMSGSIZE;
	n = tcpk_nl_proc_top(&f->top, top);
	return nla_put(skb, TCPK_A_PROC_TOP_SYSCALLS, n * sizeof(top[0]), top);
}

/**
 * tcpk_nl_proc_fill() - encode a tracked process as a %TCPK_A_PROC nest
 * @skb: message being built.
 * @info: the process.
 *
 * On failure nothing of the nest is left in @skb.  Never sleeps.
 *
 * Return: 0, or -EMSGSIZE if @skb is too small.
 */
int tcpk_nl_proc_fill(struct sk_buff *skb, const struct tcpk_proc_info *info)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, TCPK_A_PROC);
	if (!nest)
		return -EMSGSIZE;
	if (tcpk_nl_proc_put(skb, info)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * tcpk_nl_behavior_size() - room a %TCPK_A_EVENT_BEHAVIOR nest takes at most
 *
 * Return: the size in bytes, padding included.
 */
size_t tcpk_nl_behavior_size(void)
{
	return nla_total_size(0) + 5 * nla_total_size(sizeof(u32)) +
	       2 * nla_total_size_64bit(sizeof(u64)) +
	       nla_total_size(TCPK_EVENT_PATH_LEN) +
	       nla_total_size(TCPK_SEQ_NAME_MAX);
}

/**
 * tcpk_nl_behavior_fill() - encode what a behaviour event reports
 * @skb: message being built.
 * @ev: the event (%TCPK_EVENT_BEHAVIOR).
 *
 * The path is written only if the event has one.  On failure nothing of
 * the nest is left in @skb.  Never sleeps.
 *
 * Return: 0, or -EMSGSIZE if @skb is too small.
 */
int tcpk_nl_behavior_fill(struct sk_buff *skb, const struct tcpk_event *ev)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, TCPK_A_EVENT_BEHAVIOR);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, TCPK_A_BEHAVIOR_KIND, ev->behavior) ||
	    nla_put_u64_64bit(skb, TCPK_A_BEHAVIOR_COUNT, ev->count,
			      TCPK_A_BEHAVIOR_PAD) ||
	    nla_put_u64_64bit(skb, TCPK_A_BEHAVIOR_BYTES, ev->bytes,
			      TCPK_A_BEHAVIOR_PAD) ||
	    nla_put_u32(skb, TCPK_A_BEHAVIOR_SCORE, ev->score) ||
	    nla_put_u32(skb, TCPK_A_BEHAVIOR_WINDOW_MS, ev->window_ms) ||
	    (ev->path[0] &&
	     nla_put_string(skb, TCPK_A_BEHAVIOR_PATH, ev->path)) ||
	    (ev->pattern[0] &&
	     (nla_put_string(skb, TCPK_A_BEHAVIOR_PATTERN, ev->pattern) ||
	      nla_put_u32(skb, TCPK_A_BEHAVIOR_PATTERN_ID, ev->pattern_id))) ||
	    (ev->signal &&
	     nla_put_u32(skb, TCPK_A_BEHAVIOR_SIGNAL, ev->signal))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}
