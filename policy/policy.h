/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - the policy engine: rules, rule sets, decisions
 *
 * A rule is immutable once created and reference counted; a rule set is an
 * immutable array of rule pointers in evaluation order, published with
 * rcu_assign_pointer() under tcpk_policy_mutex.  Decisions read the set
 * under RCU only and never block.
 */
#ifndef _TCPK_POLICY_H
#define _TCPK_POLICY_H

#include <linux/bits.h>
#include <linux/netlink.h>
#include <linux/types.h>
#include <linux/tcp_kernel.h>

/**
 * define TCPK_CGROUP_DEPTH - cgroup ids a request carries
 *
 * The subject's own cgroup, then its ancestors up to the root.
 */
#define TCPK_CGROUP_DEPTH	8

/**
 * define TCPK_TARGET_OPS - the operations that have a target process
 *
 * ptrace and signal: a target scope condition (%TCPK_COND_TARGET_SCOPE)
 * narrows a rule to them.
 */
#define TCPK_TARGET_OPS		(BIT(TCPK_OP_PTRACE) | BIT(TCPK_OP_SIGNAL))

/**
 * define TCPK_RULE_PRIORITY_DEFAULT - priority of a rule that names none
 */
#define TCPK_RULE_PRIORITY_DEFAULT	1000

/**
 * define TCPK_MAX_VIOLATIONS_DEFAULT - default of the module parameter
 * max_violations: violations after which a process's DESTRUCTIVE
 * operations are refused at security_level 2 and 3
 */
#define TCPK_MAX_VIOLATIONS_DEFAULT	16

/**
 * enum tcpk_cond - bit numbers of &struct tcpk_rule_spec.present: which
 *	conditions a rule has
 * @TCPK_COND_PID: @pid.
 * @TCPK_COND_UID: @uid.
 * @TCPK_COND_GID: @gid.
 * @TCPK_COND_COMM: @comm glob.
 * @TCPK_COND_EXE: @exe glob.
 * @TCPK_COND_PATH: @path glob.
 * @TCPK_COND_PATH_SCOPE: @path_scope.
 * @TCPK_COND_CAPABILITY: @capability.
 * @TCPK_COND_SYSCALL: @syscalls.
 * @TCPK_COND_OPS: @ops.
 * @TCPK_COND_DESC_ANY: @desc_any.
 * @TCPK_COND_DESC_ALL: @desc_all.
 * @TCPK_COND_ANOMALY: @anomaly_min.
 * @TCPK_COND_AGENT: @agent glob.
 * @TCPK_COND_CGROUP: @cgroup.
 * @TCPK_COND_TARGET_SCOPE: @target_scope.
 * @TCPK_COND_ACCESS: @access.
 * @__TCPK_COND_MAX: number of condition kinds.
 */
enum tcpk_cond {
	TCPK_COND_PID,
	TCPK_COND_UID,
	TCPK_COND_GID,
	TCPK_COND_COMM,
	TCPK_COND_EXE,
	TCPK_COND_PATH,
	TCPK_COND_PATH_SCOPE,
	TCPK_COND_CAPABILITY,
	TCPK_COND_SYSCALL,
	TCPK_COND_OPS,
	TCPK_COND_DESC_ANY,
	TCPK_COND_DESC_ALL,
	TCPK_COND_ANOMALY,
	TCPK_COND_AGENT,
	TCPK_COND_CGROUP,
	TCPK_COND_TARGET_SCOPE,
	TCPK_COND_ACCESS,

	__TCPK_COND_MAX
};

/**
 * struct tcpk_rule_spec - a rule as parsed from netlink, before validation
 * @id: requested id, 0 to have one assigned.
 * @priority: lower is evaluated first.
 * @action: &enum tcpk_action.
 * @flags: mask of ``1 << enum tcpk_rule_flag``.
 * @present: mask of ``1 << enum tcpk_cond``: the conditions given.
 * @pid: see %TCPK_A_RULE_PID, and so on for each condition below.
 * @uid: real uid.
 * @gid: real gid.
 * @capability: CAP_* number.
 * @ops: mask of ``1 << enum tcpk_op``.
 * @desc_any: descriptor flags, any of.
 * @desc_all: descriptor flags, all of.
 * @anomaly_min: lowest anomaly score that matches.
 * @access: mask of ``1 << enum tcpk_access``, all of.
 * @path_scope: &enum tcpk_path_scope of the object path.
 * @target_scope: &enum tcpk_path_scope of a ptrace target.
 * @n_syscalls: entries used in @syscalls.
 * @syscalls: system call numbers, any of.
 * @cgroup: cgroup v2 id.
 * @comm: comm glob, or NULL.
 * @exe: executable path glob, or NULL.
 * @path: object path glob, or NULL.
 * @agent: agent label glob, or NULL.
 *
 * The strings point into the request and are copied by tcpk_rule_create().
 */
struct tcpk_rule_spec {
	u32 id;
	u32 priority;
	u32 action;
	u32 flags;
	u32 present;
	u32 pid;
	u32 uid;
	u32 gid;
	u32 capability;
	u32 ops;
	u32 desc_any;
	u32 desc_all;
	u32 anomaly_min;
	u32 access;
	u8 path_scope;
	u8 target_scope;
	u8 n_syscalls;
	u16 syscalls[TCPK_RULE_SYSCALLS_MAX];
	u64 cgroup;
	const char *comm;
	const char *exe;
	const char *path;
	const char *agent;
};

struct tcpk_rule;

/**
 * struct tcpk_request - one operation to decide
 * @op: &enum tcpk_op.
 * @pid: the subject's tgid (initial namespace); 0 if hypothetical.
 * @uid: the subject's real uid.
 * @gid: the subject's real gid.
 * @capability: the capability used (%TCPK_OP_CAPABLE).
 * @syscall: the system call, or -1 for the usual one of @op.
 * @desc_flags: the object's descriptor flags.
 * @anomaly: the subject's anomaly score.
 * @access: mask of ``1 << enum tcpk_access``.
 * @target: &enum tcpk_path_scope of a ptrace target relative to the
 *	subject's agent session; %TCPK_SCOPE_ANY when there is no target.
 * @observe: the operation has already happened (a tracepoint saw it), so a
 *	denial cannot be enforced: it is recorded as "would deny" and never
 *	kills or quarantines.
 * @desc_kind: &enum tcpk_desc_key_kind of the identity @desc_flags were
 *	found by, %TCPK_DESC_KEY_UNSPEC if none (the decision's DESC flag).
 * @n_cgroups: entries used in @cgroups.
 * @cgroups: the subject's cgroup v2 id, then its ancestors'.
 * @session: the subject's agent session id, 0 if unlabelled.
 * @comm: the subject's command name; never NULL.
 * @exe: the subject's executable path, or NULL.
 * @path: the object's path, or NULL.
 * @agent: the subject's agent label, or NULL if unlabelled.
 * @workspace: the agent's workspace without a trailing slash, or NULL.
 */
struct tcpk_request {
	u32 op;
	u32 pid;
	u32 uid;
	u32 gid;
	u32 capability;
	s32 syscall;
	u32 desc_flags;
	u32 anomaly;
	u32 access;
	u8 target;
	u8 observe;
	u8 desc_kind;
	u8 n_cgroups;
	u64 cgroups[TCPK_CGROUP_DEPTH];
	u64 session;
	const char *comm;
	const char *exe;
	const char *path;
	const char *agent;
	const char *workspace;
};

/**
 * struct tcpk_decision - the outcome of deciding one request
 * @verdict: &enum tcpk_verdict.
 * @action: &enum tcpk_action of the matching rule or of the default.
 * @rule_id: id of the matching rule, 0 for the default.
 * @flags: mask of ``1 << enum tcpk_decision_flag``.
 * @level: &enum tcpk_security_level that applied.
 * @generation: generation of the rule set used.
 */
struct tcpk_decision {
	u32 verdict;
	u32 action;
	u32 rule_id;
	u32 flags;
	u32 level;
	u64 generation;
};

/**
 * struct tcpk_mode - the rollout mode
 * @level: &enum tcpk_security_level (the ``security_level`` parameter).
 * @alerts: alert events are emitted.
 * @block_ops: mask of ``1 << enum tcpk_op`` whose denials are enforced.
 */
struct tcpk_mode {
	u32 level;
	bool alerts;
	u32 block_ops;
};

/**
 * struct tcpk_cache_entry - one slot of a CPU's decision cache
 * @key: the request's hash.
 * @tag: generation (lower 48 bits) << 16 | index of the rule that matched
 *	in that generation's set, or %TCPK_RULE_NONE.
 *
 * Read and written only by the CPU that owns it, with interrupts disabled,
 * so that a decision nested in an interrupt or softirq never sees half an
 * entry.
 */
struct tcpk_cache_entry {
	u64 key;
	u64 tag;
};

/**
 * struct tcpk_cost_cache - the cost command's private decision-cache
 *	entries (core/cost.c; never the live cache)
 * @e: the entry looked up, and the one misses store into.
 */
struct tcpk_cost_cache {
	struct tcpk_cache_entry e[2];
};

void tcpk_policy_cost_cache_prepare(struct tcpk_cost_cache *cc,
				    const struct tcpk_request *req, bool hit);
u32 tcpk_policy_cost_cache(struct tcpk_cost_cache *cc,
			   const struct tcpk_request *req, u32 n);

/* Limits, module parameters (policy/policy.c). */
extern unsigned int tcpk_max_rules;

int tcpk_policy_init(void);
void tcpk_policy_exit(void);

/*
 * Rules.  tcpk_rule_create() validates @spec (globs, ranges, the
 * combination of conditions) and on error returns an ERR_PTR and points
 * *@errmsg at a static message for the extack.  May sleep.
 */
struct tcpk_rule *tcpk_rule_create(const struct tcpk_rule_spec *spec,
				   const char **errmsg);
void tcpk_rule_put(struct tcpk_rule *rule);
void tcpk_rule_to_spec(const struct tcpk_rule *rule,
		       struct tcpk_rule_spec *spec);
u64 tcpk_rule_hits(const struct tcpk_rule *rule);

/*
 * Changes.  Each builds a new set and publishes it under tcpk_policy_mutex;
 * the rules passed in are consumed (put) whatever the outcome.  On success
 * *@generation is the new generation.  Process context, may sleep.
 */
int tcpk_policy_add(struct tcpk_rule *rule, u32 *id, u64 *generation,
		    const char **errmsg);
int tcpk_policy_del(u32 id, u64 *generation);
int tcpk_policy_flush(u64 *generation);
int tcpk_policy_replace(struct tcpk_rule **rules, unsigned int n,
			u64 *generation, const char **errmsg,
			unsigned int *bad_index);

/**
 * typedef tcpk_rule_fill_t - callback of tcpk_policy_rules_walk()
 * @rule: a rule of the set, valid during the call only.
 * @spec: the rule as a spec (strings valid during the call only).
 * @hits: its hit counter.
 * @arg: the caller's argument.
 *
 * Called under rcu_read_lock(): must not sleep.  Returns 0 to go on, or an
 * error (e.g. -EMSGSIZE) to stop the walk.
 */
typedef int (*tcpk_rule_fill_t)(const struct tcpk_rule *rule,
				const struct tcpk_rule_spec *spec, u64 hits,
				void *arg);

int tcpk_policy_rules_walk(unsigned int *pos, u64 *generation, u32 only_id,
			   tcpk_rule_fill_t fill, void *arg);
u64 tcpk_policy_generation(void);
unsigned int tcpk_policy_count(void);

/*
 * Decisions.  tcpk_policy_decide() is the live path (hooks): it may be
 * called in any context that may not sleep, counts, caches, records the
 * decision for explain, queues events and audit records.
 * tcpk_policy_what_if() answers the same question with no side effect.
 */
void tcpk_policy_decide(const struct tcpk_request *req,
			struct tcpk_decision *d);
void tcpk_policy_what_if(const struct tcpk_request *req,
			 struct tcpk_decision *d);
bool tcpk_policy_fast_allow(u32 op, bool agent);
unsigned int tcpk_policy_max_violations(void);
s32 tcpk_op_default_syscall(u32 op);
const char *tcpk_op_name(u32 op);
const char *tcpk_action_name(u32 action);

void tcpk_policy_mode_get(struct tcpk_mode *mode);
void tcpk_policy_mode_announce(void);
int tcpk_policy_mode_set(const struct tcpk_mode *mode, bool set_level,
			 bool set_alerts, bool set_block_ops,
			 const char **errmsg);

/**
 * struct tcpk_policy_stats - policy counters summed over the CPUs
 * @decisions: live decisions.
 * @cache_hits: answered from the cache.
 * @cache_misses: walked the rules.
 * @fast_path: answered by the fast path.
 * @verdicts: per operation: allowed, denied, would-deny.
 */
struct tcpk_policy_stats {
	u64 decisions;
	u64 cache_hits;
	u64 cache_misses;
	u64 fast_path;
	u64 verdicts[__TCPK_OP_MAX][3];
};

void tcpk_policy_stats_sum(struct tcpk_policy_stats *st);

#endif /* _TCPK_POLICY_H */
