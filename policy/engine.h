/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - the policy engine's insides, shared by policy/policy.c
 * (rules, rule sets and their changes) and policy/decide.c (decisions,
 * the decision cache, the mode)
 */
#ifndef _TCPK_ENGINE_H
#define _TCPK_ENGINE_H

#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/types.h>

#include "policy/policy.h"

/*
 * Indexes of rules in a set are u16, and TCPK_RULE_NONE (0xffff) says "no
 * rule matched", so a set holds at most 65535 rules.
 */
#define TCPK_MAX_RULES_LIMIT	65535U
#define TCPK_RULE_NONE		0xffffU

/* Whether a rule spec has a condition, by its enum tcpk_cond suffix. */
#define TCPK_HAS(spec, cond)	((spec)->present & BIT(TCPK_COND_##cond))

/**
 * struct tcpk_rule - a validated rule (immutable once published)
 * @ref: one per rule set holding the rule, plus its creator's until the
 *	rule is handed to a change.
 * @rcu: frees the rule after a grace period.
 * @seq: order added, for ties of priority; set by the change that
 *	publishes the rule, under tcpk_policy_mutex, before publication.
 * @ops: the operations the rule can match: its ops condition narrowed by
 *	the capability (capable) and target scope (ptrace) conditions.
 * @hits: decisions the rule made, per CPU (live path only).
 * @spec: the rule as given; the strings point into @strings.  @spec.id is
 *	assigned, when it was 0, like @seq.
 * @strings: the globs, each with its NUL.
 */
struct tcpk_rule {
	refcount_t ref;
	struct rcu_head rcu;
	u64 seq;
	u32 ops;
	u64 __percpu *hits;
	struct tcpk_rule_spec spec;
	char strings[];
};

/**
 * struct tcpk_rule_set - the rules in evaluation order (immutable)
 * @rcu: frees the set after a grace period; the callback puts the rules.
 * @generation: 1 for the initial set, one more for each change.
 * @n: number of rules.
 * @op_first: per operation, where its entries start in @idx.
 * @op_count: per operation, how many rules can match it.
 * @op_need_agent: mask of ``1 << op``: every rule that can match the
 *	operation has an agent condition, so an unlabelled subject matches
 *	none of them.
 * @idx: per operation, ascending indexes into @rules (points behind
 *	@rules, in the same allocation).
 * @rules: sorted by (priority, seq).
 */
struct tcpk_rule_set {
	struct rcu_head rcu;
	u64 generation;
	u32 n;
	u32 op_first[__TCPK_OP_MAX];
	u32 op_count[__TCPK_OP_MAX];
	u32 op_need_agent;
	u16 *idx;
	struct tcpk_rule *rules[];
};

/*
 * The current rule set.  Readers: rcu_dereference() under rcu_read_lock();
 * writers (policy/policy.c) hold tcpk_policy_mutex.  Never NULL between
 * tcpk_policy_init() and tcpk_policy_exit().
 */
extern struct tcpk_rule_set __rcu *tcpk_rule_set;

/*
 * Serialises the changes of the rule set and of the mode (see
 * policy/policy.c).
 */
extern struct mutex tcpk_policy_mutex;

int tcpk_decide_init(void);
void tcpk_decide_exit(void);

#endif /* _TCPK_ENGINE_H */
