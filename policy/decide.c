// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - the policy engine: decisions, the decision cache, the mode
 *
 * - Decisions take no lock but rcu_read_lock(), never sleep and never
 *   allocate; they may run in any context but hard interrupts.  The live
 *   path (tcpk_policy_decide()) counts, caches, records and emits events;
 *   the what-if path (tcpk_policy_what_if()) does none of that.
 * - The decision cache remembers, per CPU and per request hash, which rule
 *   of which rule-set generation matched; an entry of another generation
 *   is a miss, so a change is seen by the very next decision, and a mode
 *   change needs no invalidation because verdicts are not cached.
 */

#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/topology.h>

#include "core/common.h"
#include "core/events.h"
#include "core/lock.h"
#include "core/params.h"
#include "policy/engine.h"
#include "policy/glob.h"
#include "policy/policy.h"
#include "policy/proc.h"

#define TCPK_CACHE_SIZE_MAX	65536U

/* --- module parameters ----------------------------------------------------- */

/*
 * Read locklessly with READ_ONCE() by decisions; see tcpk_policy_mode_set().
 * While the module is locked it may be turned on, not off.
 */
static bool tcpk_alerts = true;

static int tcpk_alerts_set(const char *val, const struct kernel_param *kp)
{
	bool v;

	if (kstrtobool(val, &v))
		return -EINVAL;
	if (tcpk_locked() && *(bool *)kp->arg && !v) {
		pr_notice_ratelimited("alerts: %s\n",
				      TCPK_LOCKED_MSG("turning alerts off"));
		return -EPERM;
	}
	WRITE_ONCE(*(bool *)kp->arg, v);
	tcpk_policy_mode_announce();
	return 0;
}

static const struct kernel_param_ops tcpk_alerts_ops = {
	.set = tcpk_alerts_set,
	.get = param_get_bool,
};

module_param_cb(alerts, &tcpk_alerts_ops, &tcpk_alerts, 0644);
MODULE_PARM_DESC(alerts, "Emit alert events for alert rules (default 1)");

/* As tcpk_alerts. */
static unsigned int tcpk_max_violations = TCPK_MAX_VIOLATIONS_DEFAULT;
module_param_cb(max_violations, &tcpk_frozen_uint_ops,
		&tcpk_max_violations, 0644);
MODULE_PARM_DESC(max_violations,
		 "Violations (refused operations, executions of DESTRUCTIVE tools) after which a process's DESTRUCTIVE operations are refused at security_level >= 2 (default 16; 0: never)");

/**
 * tcpk_policy_max_violations() - the violation limit (max_violations)
 *
 * Return: the limit, 0 for none.  Any context.
 */
unsigned int tcpk_policy_max_violations(void)
{
	return READ_ONCE(tcpk_max_violations);
}

/* As tcpk_alerts. */
static unsigned int tcpk_block_ops = TCPK_OPS_ALL;

static int tcpk_block_ops_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;

	if (kstrtouint(val, 0, &v) || (v & ~TCPK_OPS_ALL))
		return -EINVAL;
	/* Under kernel_param_lock(), as tcpk_lock_engage() sets the flag. */
	if (tcpk_locked() &&
	    tcpk_lock_mask_loosens(*(unsigned int *)kp->arg, v)) {
		pr_notice_ratelimited("block_ops: %s\n",
				      TCPK_LOCKED_MSG("removing operations"));
		return -EPERM;
	}
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	tcpk_policy_mode_announce();
	return 0;
}

static int tcpk_block_ops_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%#x\n", READ_ONCE(*(unsigned int *)kp->arg));
}

static const struct kernel_param_ops tcpk_block_ops_ops = {
	.set = tcpk_block_ops_set,
	.get = tcpk_block_ops_get,
};

module_param_cb(block_ops, &tcpk_block_ops_ops, &tcpk_block_ops, 0644);
MODULE_PARM_DESC(block_ops,
		 "Mask of operations (1 << enum tcpk_op) whose denials are enforced at security_level 2 (default all of them)");

/* Fixed at load: the cache is allocated by tcpk_policy_init(). */
static unsigned int tcpk_decision_cache_size = 1024;

static int tcpk_cache_size_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;

	if (kstrtouint(val, 0, &v) || v > TCPK_CACHE_SIZE_MAX ||
	    (v && !is_power_of_2(v)))
		return -EINVAL;
	if (tcpk_param_frozen(kp))
		return -EPERM;
	*(unsigned int *)kp->arg = v;
	return 0;
}

static const struct kernel_param_ops tcpk_cache_size_ops = {
	.set = tcpk_cache_size_set,
	.get = param_get_uint,
};

module_param_cb(decision_cache_size, &tcpk_cache_size_ops,
		&tcpk_decision_cache_size, 0444);
MODULE_PARM_DESC(decision_cache_size,
		 "Decision cache entries per CPU, a power of two up to 65536, 0 for none (default 1024)");

/* --- state ---------------------------------------------------------------- */

/* struct tcpk_cache_entry: policy/policy.h (the cost command uses it). */

#define TCPK_CACHE_GEN_MASK	(BIT_ULL(48) - 1)

/**
 * struct tcpk_policy_pcpu - one CPU's counters (updated with this_cpu_inc())
 * @decisions: live decisions.
 * @cache_hits: answered from the cache.
 * @cache_misses: walked the rules.
 * @fast_path: answered by the fast path.
 * @verdicts: per operation: allowed, denied, would-deny.
 */
struct tcpk_policy_pcpu {
	u64 decisions;
	u64 cache_hits;
	u64 cache_misses;
	u64 fast_path;
	u64 verdicts[__TCPK_OP_MAX][3];
};

enum { TCPK_STAT_ALLOWED, TCPK_STAT_DENIED, TCPK_STAT_WOULD_DENY };

/**
 * struct tcpk_decider - the decisions' state, fixed between
 *	tcpk_decide_init() and tcpk_decide_exit()
 * @key: the decision cache's hash key, random.
 * @cache: per possible CPU, its cache (@cache_mask + 1 entries), or NULL
 *	when the cache is off.
 * @cache_mask: entries per CPU - 1.
 * @stats: counters.
 */
struct tcpk_decider {
	siphash_key_t key;
	struct tcpk_cache_entry **cache;
	u32 cache_mask;
	struct tcpk_policy_pcpu __percpu *stats;
};

static struct tcpk_decider tcpk_decider;

/* --- names ---------------------------------------------------------------- */

static const char *const tcpk_op_names[__TCPK_OP_MAX] = {
	[TCPK_OP_EXEC] = "exec",
	[TCPK_OP_FORK] = "fork",
	[TCPK_OP_OPEN] = "open",
	[TCPK_OP_PERMISSION] = "permission",
	[TCPK_OP_UNLINK] = "unlink",
	[TCPK_OP_RMDIR] = "rmdir",
	[TCPK_OP_RENAME] = "rename",
	[TCPK_OP_SOCKET] = "socket",
	[TCPK_OP_CONNECT] = "connect",
	[TCPK_OP_SENDMSG] = "sendmsg",
	[TCPK_OP_MMAP] = "mmap",
	[TCPK_OP_MPROTECT] = "mprotect",
	[TCPK_OP_MSGSND] = "msgsnd",
	[TCPK_OP_SHMAT] = "shmat",
	[TCPK_OP_CAPABLE] = "capable",
	[TCPK_OP_PTRACE] = "ptrace",
	[TCPK_OP_CHMOD] = "chmod",
	[TCPK_OP_SIGNAL] = "signal",
};

static const char *const tcpk_action_names[__TCPK_ACTION_MAX] = {
	[TCPK_ACTION_UNSPEC] = "unspec",
	[TCPK_ACTION_ALLOW] = "allow",
	[TCPK_ACTION_MONITOR] = "monitor",
	[TCPK_ACTION_ALERT] = "alert",
	[TCPK_ACTION_DENY] = "deny",
	[TCPK_ACTION_KILL] = "kill",
	[TCPK_ACTION_QUARANTINE] = "quarantine",
};

/* The usual x86_64 system call of each operation; -1: none. */
static const s16 tcpk_op_syscalls[__TCPK_OP_MAX] = {
	[TCPK_OP_EXEC] = 59,		/* execve */
	[TCPK_OP_FORK] = 56,		/* clone */
	[TCPK_OP_OPEN] = 257,		/* openat */
	[TCPK_OP_PERMISSION] = 0,	/* read; write (1) for a write */
	[TCPK_OP_UNLINK] = 263,		/* unlinkat */
	[TCPK_OP_RMDIR] = 84,		/* rmdir */
	[TCPK_OP_RENAME] = 316,		/* renameat2 */
	[TCPK_OP_SOCKET] = 41,		/* socket */
	[TCPK_OP_CONNECT] = 42,		/* connect */
	[TCPK_OP_SENDMSG] = 46,		/* sendmsg */
	[TCPK_OP_MMAP] = 9,		/* mmap */
	[TCPK_OP_MPROTECT] = 10,	/* mprotect */
	[TCPK_OP_MSGSND] = 69,		/* msgsnd */
	[TCPK_OP_SHMAT] = 30,		/* shmat */
	[TCPK_OP_CAPABLE] = -1,		/* any */
	[TCPK_OP_PTRACE] = 101,		/* ptrace */
	[TCPK_OP_CHMOD] = 268,		/* fchmodat */
	[TCPK_OP_SIGNAL] = 62,		/* kill */
};

/**
 * tcpk_op_name() - the name of an operation, as the CLI spells it
 * @op: &enum tcpk_op.
 *
 * Return: "exec", "fork", ..., or "unknown".
 */
const char *tcpk_op_name(u32 op)
{
	return op < __TCPK_OP_MAX ? tcpk_op_names[op] : "unknown";
}

/**
 * tcpk_action_name() - the name of an action, as the CLI spells it
 * @action: &enum tcpk_action.
 *
 * Return: "allow", "monitor", "alert", "deny", "kill", "quarantine",
 * "unspec" for 0, or "unknown".
 */
const char *tcpk_action_name(u32 action)
{
	return action < __TCPK_ACTION_MAX ? tcpk_action_names[action] :
					    "unknown";
}

/**
 * tcpk_op_default_syscall() - the usual system call of an operation
 * @op: &enum tcpk_op.
 *
 * A request whose syscall is -1 is decided as if it had made this one;
 * for %TCPK_OP_PERMISSION it is read (0), or write (1) when the request
 * has the write access bit.
 *
 * Return: an x86_64 system call number, or -1 for none (%TCPK_OP_CAPABLE,
 * unknown operations).
 */
s32 tcpk_op_default_syscall(u32 op)
{
	return op < __TCPK_OP_MAX ? tcpk_op_syscalls[op] : -1;
}

static s32 tcpk_req_syscall(const struct tcpk_request *req)
{
	if (req->syscall >= 0)
		return req->syscall;
	if (req->op == TCPK_OP_PERMISSION &&
	    (req->access & BIT(TCPK_ACCESS_WRITE)))
		return 1;	/* write */
	return tcpk_op_default_syscall(req->op);
}

/* --- matching ------------------------------------------------------------- */

/* Whether @path is @ws or below it; @ws has no trailing slash ("/": all). */
static bool tcpk_path_inside(const char *path, const char *ws)
{
	size_t n = strlen(ws);

	while (n > 1 && ws[n - 1] == '/')
		n--;
	if (n == 1 && ws[0] == '/')
		return path[0] == '/';
	return !strncmp(path, ws, n) && (path[n] == '\0' || path[n] == '/');
}

static bool tcpk_scope_match(u8 scope, const struct tcpk_request *req)
{
	bool inside;

	if (scope == TCPK_SCOPE_ANY)
		return true;
	if (!req->path || !req->workspace || !req->workspace[0])
		return false;
	inside = tcpk_path_inside(req->path, req->workspace);
	return scope == TCPK_SCOPE_INSIDE ? inside : !inside;
}

/*
 * Whether @rule matches @req, whose system call is @syscall (defaulted).
 * Cheap conditions first, globs last.  Any context.
 */
static bool tcpk_rule_match(const struct tcpk_rule *rule,
			    const struct tcpk_request *req, s32 syscall)
{
	const struct tcpk_rule_spec *s = &rule->spec;
	unsigned int i;

	if (req->op >= __TCPK_OP_MAX || !(rule->ops & BIT(req->op)))
		return false;
	if (TCPK_HAS(s, PID) && req->pid != s->pid)
		return false;
	if (TCPK_HAS(s, UID) && req->uid != s->uid)
		return false;
	if (TCPK_HAS(s, GID) && req->gid != s->gid)
		return false;
	if (TCPK_HAS(s, CAPABILITY) && req->capability != s->capability)
		return false;
	if (TCPK_HAS(s, DESC_ANY) && !(req->desc_flags & s->desc_any))
		return false;
	if (TCPK_HAS(s, DESC_ALL) && (req->desc_flags & s->desc_all) != s->desc_all)
		return false;
	if (TCPK_HAS(s, ANOMALY) && req->anomaly < s->anomaly_min)
		return false;
	if (TCPK_HAS(s, ACCESS) && (req->access & s->access) != s->access)
		return false;
	if (TCPK_HAS(s, TARGET_SCOPE) && s->target_scope != TCPK_SCOPE_ANY &&
	    req->target != s->target_scope)
		return false;
	if (TCPK_HAS(s, SYSCALL)) {
		for (i = 0; i < s->n_syscalls; i++)
			if (syscall == s->syscalls[i])
				break;
		if (i == s->n_syscalls)
			return false;
	}
	if (TCPK_HAS(s, CGROUP)) {
		for (i = 0; i < min_t(u8, req->n_cgroups, TCPK_CGROUP_DEPTH); i++)
			if (req->cgroups[i] == s->cgroup)
				break;
		if (i == min_t(u8, req->n_cgroups, TCPK_CGROUP_DEPTH))
			return false;
	}
	if (TCPK_HAS(s, PATH_SCOPE) && !tcpk_scope_match(s->path_scope, req))
		return false;
	if (TCPK_HAS(s, AGENT) &&
	    (!req->agent || !tcpk_glob_match(s->agent, req->agent, false)))
		return false;
	if (TCPK_HAS(s, COMM) &&
	    !tcpk_glob_match(s->comm, req->comm ?: "", false))
		return false;
	if (TCPK_HAS(s, EXE) &&
	    (!req->exe || !tcpk_glob_match(s->exe, req->exe, true)))
		return false;
	if (TCPK_HAS(s, PATH) &&
	    (!req->path || !tcpk_glob_match(s->path, req->path, true)))
		return false;
	return true;
}

/* --- the decision cache ---------------------------------------------------- */

/**
 * struct tcpk_cache_fields - what a request's cache key is the hash of
 * @op: see &struct tcpk_request, as for each field.
 * @pid: the subject.
 * @uid: its real uid.
 * @gid: its real gid.
 * @capability: the capability.
 * @syscall: the system call, after defaulting.
 * @desc_flags: the descriptor flags.
 * @anomaly: the anomaly score.
 * @access: the access bits.
 * @target: the ptrace target's scope.
 * @n_cgroups: cgroups used in @cgroups (the rest is 0).
 * @strs: mask of the strings present (comm, exe, path, agent, workspace).
 * @pad: zero.
 * @cgroups: the cgroups.
 * @session: the agent session.
 * @str: the strings' own keyed hashes (0 when absent).
 */
struct tcpk_cache_fields {
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
	u8 n_cgroups;
	u8 strs;
	u8 pad;
	u64 cgroups[TCPK_CGROUP_DEPTH];
	u64 session;
	u64 str[5];
};

static u64 tcpk_cache_key(const struct tcpk_request *req, s32 syscall)
{
	const char *strs[5] = { req->comm, req->exe, req->path, req->agent,
				req->workspace };
	struct tcpk_cache_fields f;
	unsigned int i;

	memset(&f, 0, sizeof(f));
	f.op = req->op;
	f.pid = req->pid;
	f.uid = req->uid;
	f.gid = req->gid;
	f.capability = req->capability;
	f.syscall = syscall;
	f.desc_flags = req->desc_flags;
	f.anomaly = req->anomaly;
	f.access = req->access;
	f.target = req->target;
	f.n_cgroups = min_t(u8, req->n_cgroups, TCPK_CGROUP_DEPTH);
	memcpy(f.cgroups, req->cgroups, f.n_cgroups * sizeof(f.cgroups[0]));
	f.session = req->session;
	for (i = 0; i < ARRAY_SIZE(strs); i++) {
		if (!strs[i])
			continue;
		f.strs |= BIT(i);
		f.str[i] = siphash(strs[i], strlen(strs[i]), &tcpk_decider.key);
	}
	return siphash(&f, sizeof(f), &tcpk_decider.key);
}

/* Whether entry @e caches @key in generation @gen: then *@idx is its index. */
static __always_inline bool tcpk_cache_match(const struct tcpk_cache_entry *e,
					     u64 key, u64 gen, u32 *idx)
{
	if (e->key != key || e->tag >> 16 != (gen & TCPK_CACHE_GEN_MASK))
		return false;
	*idx = e->tag & 0xffff;
	return true;
}

static __always_inline void tcpk_cache_fill(struct tcpk_cache_entry *e,
					    u64 key, u64 gen, u32 idx)
{
	e->key = key;
	e->tag = (gen & TCPK_CACHE_GEN_MASK) << 16 | idx;
}

/*
 * The rule index cached for @key in generation @gen on this CPU: true and
 * *@idx (maybe TCPK_RULE_NONE) on a hit.  Any context.
 */
static bool tcpk_cache_get(u64 key, u64 gen, u32 *idx)
{
	struct tcpk_cache_entry e;
	unsigned long flags;

	local_irq_save(flags);
	e = tcpk_decider.cache[smp_processor_id()][key & tcpk_decider.cache_mask];
	local_irq_restore(flags);
	return tcpk_cache_match(&e, key, gen, idx);
}

static void tcpk_cache_put(u64 key, u64 gen, u32 idx)
{
	unsigned long flags;

	local_irq_save(flags);
	tcpk_cache_fill(&tcpk_decider.cache[smp_processor_id()][key & tcpk_decider.cache_mask],
			key, gen, idx);
	local_irq_restore(flags);
}

/*
 * tcpk_cache_get() and tcpk_cache_put() on a private entry @slot instead
 * of this CPU's (for the cost command): the same work, interrupts
 * included.
 */
static bool tcpk_cache_slot_get(const struct tcpk_cache_entry *slot, u64 key,
				u64 gen, u32 *idx)
{
	struct tcpk_cache_entry e;
	unsigned long flags;

	local_irq_save(flags);
	e = *slot;
	local_irq_restore(flags);
	return tcpk_cache_match(&e, key, gen, idx);
}

static void tcpk_cache_slot_put(struct tcpk_cache_entry *slot, u64 key,
				u64 gen, u32 idx)
{
	unsigned long flags;

	local_irq_save(flags);
	tcpk_cache_fill(slot, key, gen, idx);
	local_irq_restore(flags);
}

static void tcpk_cache_free(void)
{
	int cpu;

	if (!tcpk_decider.cache)
		return;
	for_each_possible_cpu(cpu)
		kvfree(tcpk_decider.cache[cpu]);
	kfree(tcpk_decider.cache);
	tcpk_decider.cache = NULL;
}

static int tcpk_cache_alloc(unsigned int size)
{
	int cpu;

	if (!size)
		return 0;
	tcpk_decider.cache = kcalloc(nr_cpu_ids,
				     sizeof(tcpk_decider.cache[0]),
				     GFP_KERNEL_ACCOUNT);
	if (!tcpk_decider.cache)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		tcpk_decider.cache[cpu] =
			kvzalloc_node(array_size(size,
						 sizeof(struct tcpk_cache_entry)),
				      GFP_KERNEL_ACCOUNT, cpu_to_node(cpu));
		if (!tcpk_decider.cache[cpu]) {
			tcpk_cache_free();
			return -ENOMEM;
		}
	}
	tcpk_decider.cache_mask = size - 1;
	return 0;
}

/* --- decisions ------------------------------------------------------------ */

/* Descriptor flags that paranoid mode refuses to agents by default. */
#define TCPK_PARANOID_DESC	(BIT(TCPK_DESC_CRITICAL) |			\
				 BIT(TCPK_DESC_PRIVILEGE_ESCALATION) |		\
				 BIT(TCPK_DESC_KERNEL_MODULE) |			\
				 BIT(TCPK_DESC_CONTAINER_ESCAPE))

static u32 tcpk_set_walk(const struct tcpk_rule_set *set,
			 const struct tcpk_request *req, s32 syscall)
{
	const u16 *idx = set->idx + set->op_first[req->op];
	u32 i, n = set->op_count[req->op];

	for (i = 0; i < n; i++)
		if (tcpk_rule_match(set->rules[idx[i]], req, syscall))
			return idx[i];
	return TCPK_RULE_NONE;
}

/* Turns the rule that matched (or none) into the verdict of the mode. */
static void tcpk_verdict(const struct tcpk_request *req,
			 const struct tcpk_rule *rule, unsigned int level,
			 struct tcpk_decision *d)
{
	bool alert = false, enforced;
	u32 action;

	if (rule) {
		action = rule->spec.action;
		alert = action == TCPK_ACTION_ALERT ||
			(rule->spec.flags & BIT(TCPK_RULE_F_ALERT));
		d->rule_id = rule->spec.id;
		d->flags |= BIT(TCPK_DECISION_F_MATCHED);
	} else if (level == TCPK_LEVEL_PARANOID && req->agent &&
		   (req->desc_flags & TCPK_PARANOID_DESC)) {
		action = TCPK_ACTION_DENY;
	} else {
		action = TCPK_ACTION_ALLOW;
	}
	d->action = action;
	d->verdict = TCPK_VERDICT_ALLOW;
	if (level == TCPK_LEVEL_OFF)
		return;
	if (alert && READ_ONCE(tcpk_alerts))
		d->flags |= BIT(TCPK_DECISION_F_ALERT);
	if (action < TCPK_ACTION_DENY)
		return;

	enforced = !req->observe &&
		   (level >= TCPK_LEVEL_PARANOID ||
		    (level == TCPK_LEVEL_ENFORCE && req->op < __TCPK_OP_MAX &&
		     (READ_ONCE(tcpk_block_ops) & BIT(req->op))));
	if (!enforced) {
		d->flags |= BIT(TCPK_DECISION_F_WOULD_DENY);
		return;
	}
	d->verdict = TCPK_VERDICT_DENY;
	if (action == TCPK_ACTION_KILL)
		d->flags |= BIT(TCPK_DECISION_F_KILL);
	else if (action == TCPK_ACTION_QUARANTINE)
		d->flags |= BIT(TCPK_DECISION_F_QUARANTINE);
}

/* The live side effects of a decision: counters, quarantine, record, events. */
static void tcpk_decided(const struct tcpk_request *req,
			 const struct tcpk_decision *d)
{
	struct tcpk_policy_pcpu __percpu *st = tcpk_decider.stats;
	bool would_deny = d->flags & BIT(TCPK_DECISION_F_WOULD_DENY);
	bool fast = d->flags & BIT(TCPK_DECISION_F_FAST_PATH);

	this_cpu_inc(st->decisions);
	if (fast)
		this_cpu_inc(st->fast_path);
	if (req->op < __TCPK_OP_MAX) {
		if (d->verdict == TCPK_VERDICT_DENY)
			this_cpu_inc(st->verdicts[req->op][TCPK_STAT_DENIED]);
		else if (would_deny)
			this_cpu_inc(st->verdicts[req->op][TCPK_STAT_WOULD_DENY]);
		else
			this_cpu_inc(st->verdicts[req->op][TCPK_STAT_ALLOWED]);
	}
	if ((d->flags & BIT(TCPK_DECISION_F_QUARANTINE)) && req->pid)
		tcpk_proc_quarantine(req->pid);
	/*
	 * A violation: refused (or would be), or the exec of a DESTRUCTIVE
	 * tool; not the refusals of a quarantine, which are all of them, nor
	 * those of the violation limit itself, nor
	 * system calls bound to a DESTRUCTIVE descriptor (every unlink of a
	 * "make clean" would count).
	 */
	if (req->pid && !req->observe &&
	    !(d->flags & (BIT(TCPK_DECISION_F_QUARANTINED) |
			  BIT(TCPK_DECISION_F_VIOLATIONS))) &&
	    (d->verdict == TCPK_VERDICT_DENY || would_deny ||
	     (req->op == TCPK_OP_EXEC &&
	      (req->desc_flags & BIT(TCPK_DESC_DESTRUCTIVE)))))
		tcpk_proc_violation(req->pid);
	if ((d->flags & BIT(TCPK_DECISION_F_MATCHED)) ||
	    d->verdict == TCPK_VERDICT_DENY || would_deny ||
	    (req->agent && !fast))
		tcpk_proc_record(req, d);
	if (d->verdict == TCPK_VERDICT_DENY ||
	    (d->flags & (BIT(TCPK_DECISION_F_WOULD_DENY) |
			 BIT(TCPK_DECISION_F_ALERT))))
		tcpk_event_decision(req, d);
}

static_assert(TCPK_DECISION_F_DESC_PATH - TCPK_DECISION_F_DESC_NAME ==
	      TCPK_DESC_KEY_PATH - TCPK_DESC_KEY_NAME);
static_assert(TCPK_DECISION_F_DESC_DIGEST - TCPK_DECISION_F_DESC_NAME ==
	      TCPK_DESC_KEY_DIGEST - TCPK_DESC_KEY_NAME);
static_assert(TCPK_DECISION_F_DESC_SYSCALL - TCPK_DECISION_F_DESC_NAME ==
	      TCPK_DESC_KEY_SYSCALL - TCPK_DESC_KEY_NAME);

static void tcpk_decide_one(const struct tcpk_request *req,
			    struct tcpk_decision *d, bool live)
{
	unsigned int level = tcpk_security_level_get();
	const struct tcpk_rule *rule = NULL;
	unsigned int max_violations;
	bool enforced;
	const struct tcpk_rule_set *set;
	u32 idx = TCPK_RULE_NONE;
	bool hit = false;
	s32 syscall;
	u64 key = 0;

	memset(d, 0, sizeof(*d));
	d->level = level;
	d->verdict = TCPK_VERDICT_ALLOW;
	d->action = TCPK_ACTION_ALLOW;
	if (req->desc_kind >= TCPK_DESC_KEY_NAME &&
	    req->desc_kind <= TCPK_DESC_KEY_SYSCALL)
		d->flags = BIT(TCPK_DECISION_F_DESC_NAME + req->desc_kind -
			       TCPK_DESC_KEY_NAME);

	rcu_read_lock();
	set = rcu_dereference(tcpk_rule_set);
	if (unlikely(!set)) {	/* before init or after exit */
		rcu_read_unlock();
		return;
	}
	d->generation = set->generation;
	if (live && level == TCPK_LEVEL_OFF) {
		rcu_read_unlock();
		return;
	}

	if (level >= TCPK_LEVEL_ENFORCE && !req->observe && req->pid &&
	    tcpk_proc_quarantined(req->pid)) {
		rcu_read_unlock();
		d->verdict = TCPK_VERDICT_DENY;
		d->action = TCPK_ACTION_QUARANTINE;
		d->flags |= BIT(TCPK_DECISION_F_QUARANTINED);
		if (live)
			tcpk_decided(req, d);
		return;
	}

	max_violations = READ_ONCE(tcpk_max_violations);
	if (level >= TCPK_LEVEL_ENFORCE && !req->observe && req->pid &&
	    (req->desc_flags & BIT(TCPK_DESC_DESTRUCTIVE)) && max_violations &&
	    tcpk_proc_violations(req->pid) >= max_violations) {
		rcu_read_unlock();
		d->action = TCPK_ACTION_DENY;
		d->flags |= BIT(TCPK_DECISION_F_VIOLATIONS);
		/* Blocking mode enforces only its operations, as for rules. */
		enforced = level > TCPK_LEVEL_ENFORCE ||
			   (req->op < __TCPK_OP_MAX &&
			    (READ_ONCE(tcpk_block_ops) & BIT(req->op)));
		if (enforced)
			d->verdict = TCPK_VERDICT_DENY;
		else
			d->flags |= BIT(TCPK_DECISION_F_WOULD_DENY);
		if (live)
			tcpk_decided(req, d);
		return;
	}

	if (req->op >= __TCPK_OP_MAX || !set->op_count[req->op] ||
	    (!req->agent && (set->op_need_agent & BIT(req->op)))) {
		d->flags |= BIT(TCPK_DECISION_F_FAST_PATH);
	} else {
		syscall = tcpk_req_syscall(req);
		if (live && tcpk_decider.cache) {
			key = tcpk_cache_key(req, syscall);
			hit = tcpk_cache_get(key, set->generation, &idx);
		}
		if (hit) {
			d->flags |= BIT(TCPK_DECISION_F_CACHED);
		} else {
			idx = tcpk_set_walk(set, req, syscall);
			if (live && tcpk_decider.cache)
				tcpk_cache_put(key, set->generation, idx);
		}
		if (live && hit)
			this_cpu_inc(tcpk_decider.stats->cache_hits);
		else if (live)
			this_cpu_inc(tcpk_decider.stats->cache_misses);
		/* An index from the cache is of this very set: in range. */
		if (idx < set->n)
			rule = set->rules[idx];
	}
	tcpk_verdict(req, rule, level, d);
	if (live && rule)
		this_cpu_inc(*rule->hits);
	rcu_read_unlock();

	if (live)
		tcpk_decided(req, d);
}

/**
 * tcpk_policy_decide() - decide an operation, for real
 * @req: the operation.
 * @d: receives the decision.
 *
 * The live path of the hooks: counts, caches, updates the rule's hit
 * counter, quarantines, records the decision for explain
 * (tcpk_proc_record()) and queues an event for denials, would-denies and
 * alerts.  Never sleeps; any context but hard interrupts.
 */
void tcpk_policy_decide(const struct tcpk_request *req,
			struct tcpk_decision *d)
{
	tcpk_decide_one(req, d, true);
}

/**
 * tcpk_policy_fast_allow() - allow an operation on the fast path, if it can
 * @op: &enum tcpk_op.
 * @agent: the subject is agent-labelled.
 *
 * The cheap first step of a hook, before it builds a request: when no rule
 * of the current set can match @op for such a subject, and the default of
 * the level allows it without looking at the object (anything but an
 * agent at paranoid level), the decision is the fast path's allow.  Then
 * it is counted (a decision, a fast-path answer, an allow of @op) and
 * true returned: the hook allows at once.  Checking quarantine first is
 * the caller's part.  Never sleeps; any context but hard interrupts.
 *
 * Return: true if the operation is allowed and counted, false if the
 * caller must build the request and call tcpk_policy_decide().
 */
bool tcpk_policy_fast_allow(u32 op, bool agent)
{
	struct tcpk_policy_pcpu __percpu *st = tcpk_decider.stats;
	const struct tcpk_rule_set *set;
	bool fast;

	if (op >= __TCPK_OP_MAX ||
	    (agent && tcpk_security_level_get() == TCPK_LEVEL_PARANOID))
		return false;
	rcu_read_lock();
	set = rcu_dereference(tcpk_rule_set);
	fast = set && (!set->op_count[op] ||
		       (!agent && (set->op_need_agent & BIT(op))));
	rcu_read_unlock();
	if (fast) {
		this_cpu_inc(st->decisions);
		this_cpu_inc(st->fast_path);
		this_cpu_inc(st->verdicts[op][TCPK_STAT_ALLOWED]);
	}
	return fast;
}

/**
 * tcpk_policy_what_if() - decide an operation, hypothetically
 * @req: the operation.
 * @d: receives the decision that tcpk_policy_decide() would take now.
 *
 * No side effect at all: no counter, cache, hit count, record, quarantine
 * or event.  At level 0 the rules are still walked, and the matching rule
 * reported with the verdict allow.  Never sleeps.
 */
void tcpk_policy_what_if(const struct tcpk_request *req,
			 struct tcpk_decision *d)
{
	tcpk_decide_one(req, d, false);
}

/* --- cost (core/cost.c) --------------------------------------------------- */

/**
 * tcpk_policy_cost_cache_prepare() - set up the cost command's private
 *	cache entries for a request
 * @cc: the entries (the caller's, never the live cache).
 * @req: the request.
 * @hit: prepare for hits (else misses).
 *
 * For hits the first entry is made to hold the request's key and the
 * result of walking the current rules, for misses the complement of the
 * key (which is never the request's), so that tcpk_policy_cost_cache()
 * hits, or misses, every time while the rule set stays the same.  No side
 * effect on anything but @cc.  Never sleeps.
 */
void tcpk_policy_cost_cache_prepare(struct tcpk_cost_cache *cc,
				    const struct tcpk_request *req, bool hit)
{
	const struct tcpk_rule_set *set;
	s32 syscall;
	u64 key;

	memset(cc, 0, sizeof(*cc));
	rcu_read_lock();
	set = rcu_dereference(tcpk_rule_set);
	if (set && req->op < __TCPK_OP_MAX) {
		syscall = tcpk_req_syscall(req);
		key = tcpk_cache_key(req, syscall);
		tcpk_cache_fill(&cc->e[0], hit ? key : ~key, set->generation,
				tcpk_set_walk(set, req, syscall));
	}
	rcu_read_unlock();
}

/**
 * tcpk_policy_cost_cache() - the decision cache's part of decisions, for
 *	the cost command
 * @cc: entries prepared by tcpk_policy_cost_cache_prepare().
 * @req: the request they were prepared for.
 * @n: operations.
 *
 * Runs @n times what a live decision does around the cache once it has
 * left the fast path: the defaulted system call, the request's cache key,
 * the lookup and, on a miss, the walk of the current rules and the store
 * of the result.  The lookup and the store use the live cache's code
 * (tcpk_cache_slot_get(), tcpk_cache_slot_put()) on @cc: the first entry
 * is looked up, misses store into the second.  No counter, live cache
 * entry, hit count or record changes.  Never sleeps.
 *
 * Return: a value derived from the results, so that the compiler keeps
 * the work; meaningless.
 */
u32 tcpk_policy_cost_cache(struct tcpk_cost_cache *cc,
			   const struct tcpk_request *req, u32 n)
{
	const struct tcpk_rule_set *set;
	u32 i, idx, sum = 0;
	s32 syscall;
	u64 key;

	rcu_read_lock();
	set = rcu_dereference(tcpk_rule_set);
	if (unlikely(!set) || req->op >= __TCPK_OP_MAX) {
		rcu_read_unlock();
		return 0;
	}
	for (i = 0; i < n; i++) {
		syscall = tcpk_req_syscall(req);
		key = tcpk_cache_key(req, syscall);
		if (!tcpk_cache_slot_get(&cc->e[0], key, set->generation, &idx)) {
			idx = tcpk_set_walk(set, req, syscall);
			tcpk_cache_slot_put(&cc->e[1], key, set->generation, idx);
		}
		if (idx < set->n)
			sum += READ_ONCE(set->rules[idx]->spec.action);
		sum += idx;
	}
	rcu_read_unlock();
	return sum;
}

/* --- mode ----------------------------------------------------------------- */

/**
 * tcpk_policy_mode_get() - the current mode
 * @mode: receives the level, alerts and block_ops.
 */
void tcpk_policy_mode_get(struct tcpk_mode *mode)
{
	mode->level = tcpk_security_level_get();
	mode->alerts = READ_ONCE(tcpk_alerts);
	mode->block_ops = READ_ONCE(tcpk_block_ops);
}

/**
 * tcpk_policy_mode_announce() - queue a mode event with the current mode
 *
 * For the sysfs writes of security_level, alerts and block_ops, which
 * change the mode without tcpk_policy_mode_set(): every change of the
 * mode is recorded, whichever way it comes.  Before the event queue is
 * started (the parameters given to modprobe) nothing is queued.  Any
 * context that may take a spinlock.
 */
void tcpk_policy_mode_announce(void)
{
	struct tcpk_mode now;

	tcpk_policy_mode_get(&now);
	tcpk_event_mode(&now);
}

/**
 * tcpk_policy_mode_set() - change the mode and announce it
 * @mode: the new values.
 * @set_level: change the level to @mode->level.
 * @set_alerts: change alerts to @mode->alerts.
 * @set_block_ops: change block_ops to @mode->block_ops.
 * @errmsg: receives a static message for -EPERM.
 *
 * Each value is written on its own (decisions read each with READ_ONCE()),
 * so a decision taken during the change may see some new values and some
 * old ones, never a torn one.  The module's parameter lock is held, so
 * that a write of the same values through sysfs, and tcpk_lock_engage(),
 * come before or after.  Process context, may sleep.
 *
 * Return: 0, -EINVAL (nothing changed) for a level above 3 or an unknown
 * operation in @mode->block_ops, or -EPERM (nothing changed) if the
 * module is locked and the change would loosen the mode.
 */
int tcpk_policy_mode_set(const struct tcpk_mode *mode, bool set_level,
			 bool set_alerts, bool set_block_ops,
			 const char **errmsg)
{
	struct tcpk_mode now;
	const char *what;

	if (set_level && mode->level >= __TCPK_LEVEL_MAX)
		return -EINVAL;
	if (set_block_ops && (mode->block_ops & ~TCPK_OPS_ALL))
		return -EINVAL;
	if (!set_level && !set_alerts && !set_block_ops)
		return 0;

	kernel_param_lock(THIS_MODULE);
	if (tcpk_locked()) {
		tcpk_policy_mode_get(&now);
		what = tcpk_lock_mode_loosens(&now, mode, set_level,
					      set_alerts, set_block_ops);
		if (what) {
			kernel_param_unlock(THIS_MODULE);
			*errmsg = what;
			return -EPERM;
		}
	}
	mutex_lock(&tcpk_policy_mutex);
	if (set_level)
		WRITE_ONCE(tcpk_security_level, mode->level);
	if (set_alerts)
		WRITE_ONCE(tcpk_alerts, mode->alerts);
	if (set_block_ops)
		WRITE_ONCE(tcpk_block_ops, mode->block_ops);
	tcpk_policy_mode_get(&now);
	tcpk_event_mode(&now);
	mutex_unlock(&tcpk_policy_mutex);
	kernel_param_unlock(THIS_MODULE);
	return 0;
}

/* --- statistics, init, exit ------------------------------------------------ */

/**
 * tcpk_policy_stats_sum() - the policy counters
 * @st: receives the sums over the CPUs.
 */
void tcpk_policy_stats_sum(struct tcpk_policy_stats *st)
{
	unsigned int op, v;
	int cpu;

	memset(st, 0, sizeof(*st));
	if (!tcpk_decider.stats)
		return;
	for_each_possible_cpu(cpu) {
		const struct tcpk_policy_pcpu *p =
			per_cpu_ptr(tcpk_decider.stats, cpu);

		st->decisions += READ_ONCE(p->decisions);
		st->cache_hits += READ_ONCE(p->cache_hits);
		st->cache_misses += READ_ONCE(p->cache_misses);
		st->fast_path += READ_ONCE(p->fast_path);
		for (op = 0; op < __TCPK_OP_MAX; op++)
			for (v = 0; v < 3; v++)
				st->verdicts[op][v] +=
					READ_ONCE(p->verdicts[op][v]);
	}
}

/**
 * tcpk_decide_init() - set up the counters, the cache and its key
 *
 * Called by tcpk_policy_init().  Process context.
 *
 * Return: 0 or -ENOMEM.
 */
int tcpk_decide_init(void)
{
	int err;

	get_random_bytes(&tcpk_decider.key, sizeof(tcpk_decider.key));
	tcpk_decider.stats = alloc_percpu_gfp(struct tcpk_policy_pcpu,
					      GFP_KERNEL_ACCOUNT);
	if (!tcpk_decider.stats)
		return -ENOMEM;
	err = tcpk_cache_alloc(tcpk_decision_cache_size);
	if (err) {
		free_percpu(tcpk_decider.stats);
		tcpk_decider.stats = NULL;
	}
	return err;
}

/**
 * tcpk_decide_exit() - free the counters and the cache
 *
 * Called by tcpk_policy_exit() once no decision can run.
 */
void tcpk_decide_exit(void)
{
	tcpk_cache_free();
	free_percpu(tcpk_decider.stats);
	tcpk_decider.stats = NULL;
}
