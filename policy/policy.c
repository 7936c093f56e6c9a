// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - the policy engine: rules, rule sets and their changes
 *
 * Guiding rules:
 *
 * - A rule is validated and copied once (tcpk_rule_create()) and never
 *   written after it is published; it is reference counted (one reference
 *   per rule set that holds it, plus its creator's until it is handed to a
 *   change) and freed after a grace period.  Its per-CPU hit counter lives
 *   with it, so hits survive every change of the set around it.
 * - A rule set is an immutable array of rule pointers in evaluation order
 *   (priority, then order added) with a per-operation index for the fast
 *   path.  Every change builds a complete new set under tcpk_policy_mutex,
 *   publishes it with rcu_assign_pointer() and retires the old one with
 *   call_rcu(): a reader (decision, what-if, dump) that loaded a set under
 *   rcu_read_lock() uses that set, whole, until it unlocks.  Everything a
 *   change may fail on (validation, limits, ids, memory) is checked before
 *   the set is published, so a failed change leaves the policy as it was.
 *
 * The initial (empty) rule set has generation 1; every change publishes a
 * set of the next generation, so 0 never names a set (and an all-zero
 * decision cache entry never hits).  Decisions are in policy/decide.c.
 */

#include <linux/capability.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "core/events.h"
#include "core/lock.h"
#include "core/params.h"
#include "policy/engine.h"
#include "policy/glob.h"
#include "policy/policy.h"

/* --- module parameters ----------------------------------------------------- */

unsigned int tcpk_max_rules = 4096;

static int tcpk_max_rules_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;

	if (kstrtouint(val, 0, &v) || v > TCPK_MAX_RULES_LIMIT)
		return -EINVAL;
	if (tcpk_param_frozen(kp))
		return -EPERM;
	/* Read by the writers of the set with READ_ONCE(). */
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	return 0;
}

static const struct kernel_param_ops tcpk_max_rules_ops = {
	.set = tcpk_max_rules_set,
	.get = param_get_uint,
};

module_param_cb(max_rules, &tcpk_max_rules_ops, &tcpk_max_rules, 0644);
MODULE_PARM_DESC(max_rules,
		 "Most rules in the policy, 0 to 65535 (default 4096); lowering it below the current count refuses further additions and deletes nothing");

/* --- state ---------------------------------------------------------------- */

/*
 * Serialises the changes of the rule set, and those of the mode that go
 * through tcpk_policy_mode_set().  Process context only.  Lock ordering:
 * taken with the genetlink mutex held (netlink handlers); under it only
 * the allocators and the event queue's spinlock are taken, and no grace
 * period is waited for.
 */
DEFINE_MUTEX(tcpk_policy_mutex);

struct tcpk_rule_set __rcu *tcpk_rule_set;

/**
 * struct tcpk_policy - the changes' state, under tcpk_policy_mutex
 * @next_id: the id the next rule without one gets; above U32_MAX once the
 *	ids ran out, when the lowest free ids are used instead.
 * @next_seq: the next &tcpk_rule.seq.
 */
struct tcpk_policy {
	u64 next_id;
	u64 next_seq;
};

static struct tcpk_policy tcpk_policy;

/* --- rules ---------------------------------------------------------------- */

/* The string conditions, in the order of their storage in a rule. */
enum { TCPK_STR_COMM, TCPK_STR_EXE, TCPK_STR_PATH, TCPK_STR_AGENT, TCPK_NSTR };

/*
 * The glob conditions: their bit, buffer size and a message naming
 * the field for each fault tcpk_glob_classify() finds.
 */
static const struct {
	u8 cond;
	u16 max;
	const char *const msgs[__TCPK_GLOB_ERR_MAX];
} tcpk_str_conds[TCPK_NSTR] = {
	[TCPK_STR_COMM] = {
		TCPK_COND_COMM, TCPK_RULE_COMM_MAX, {
			[TCPK_GLOB_OK] = "comm: well formed",
			[TCPK_GLOB_EMPTY] = "comm: empty glob",
			[TCPK_GLOB_TOO_LONG] = "comm: glob longer than 63 bytes",
			[TCPK_GLOB_TRAILING_ESCAPE] =
				"comm: glob ends in a lone backslash",
			[TCPK_GLOB_UNTERMINATED_SET] =
				"comm: unterminated [ set in glob",
			[TCPK_GLOB_BAD_RANGE] =
				"comm: range in a [ set ends before it starts",
		},
	},
	[TCPK_STR_EXE] = {
		TCPK_COND_EXE, TCPK_RULE_GLOB_MAX, {
			[TCPK_GLOB_OK] = "exe: well formed",
			[TCPK_GLOB_EMPTY] = "exe: empty glob",
			[TCPK_GLOB_TOO_LONG] = "exe: glob longer than 1023 bytes",
			[TCPK_GLOB_TRAILING_ESCAPE] =
				"exe: glob ends in a lone backslash",
			[TCPK_GLOB_UNTERMINATED_SET] =
				"exe: unterminated [ set in glob",
			[TCPK_GLOB_BAD_RANGE] =
				"exe: range in a [ set ends before it starts",
		},
	},
	[TCPK_STR_PATH] = {
		TCPK_COND_PATH, TCPK_RULE_GLOB_MAX, {
			[TCPK_GLOB_OK] = "path: well formed",
			[TCPK_GLOB_EMPTY] = "path: empty glob",
			[TCPK_GLOB_TOO_LONG] = "path: glob longer than 1023 bytes",
			[TCPK_GLOB_TRAILING_ESCAPE] =
				"path: glob ends in a lone backslash",
			[TCPK_GLOB_UNTERMINATED_SET] =
				"path: unterminated [ set in glob",
			[TCPK_GLOB_BAD_RANGE] =
				"path: range in a [ set ends before it starts",
		},
	},
	[TCPK_STR_AGENT] = {
		TCPK_COND_AGENT, TCPK_AGENT_NAME_MAX, {
			[TCPK_GLOB_OK] = "agent: well formed",
			[TCPK_GLOB_EMPTY] = "agent: empty glob",
			[TCPK_GLOB_TOO_LONG] = "agent: glob longer than 31 bytes",
			[TCPK_GLOB_TRAILING_ESCAPE] =
				"agent: glob ends in a lone backslash",
			[TCPK_GLOB_UNTERMINATED_SET] =
				"agent: unterminated [ set in glob",
			[TCPK_GLOB_BAD_RANGE] =
				"agent: range in a [ set ends before it starts",
		},
	},
};

static const char **tcpk_spec_str(struct tcpk_rule_spec *spec, unsigned int k)
{
	switch (k) {
	case TCPK_STR_COMM:
		return &spec->comm;
	case TCPK_STR_EXE:
		return &spec->exe;
	case TCPK_STR_PATH:
		return &spec->path;
	default:
		return &spec->agent;
	}
}

/*
 * The operations a valid @spec can match: its ops condition (or all),
 * narrowed to capable by a capability condition and to ptrace by a target
 * scope condition.
 */
static u32 tcpk_spec_ops(const struct tcpk_rule_spec *spec)
{
	u32 ops = TCPK_HAS(spec, OPS) ? spec->ops : TCPK_OPS_ALL;

	if (TCPK_HAS(spec, CAPABILITY))
		ops &= BIT(TCPK_OP_CAPABLE);
	if (TCPK_HAS(spec, TARGET_SCOPE))
		ops &= TCPK_TARGET_OPS;
	return ops;
}

/* Checks everything but the globs; returns a static message or NULL. */
static const char *tcpk_spec_fault(const struct tcpk_rule_spec *spec)
{
	unsigned int i;

	if (spec->present & ~(BIT(__TCPK_COND_MAX) - 1))
		return "rule: unknown condition";
	if (spec->action == TCPK_ACTION_UNSPEC ||
	    spec->action >= __TCPK_ACTION_MAX)
		return "action: required, one of allow, monitor, alert, deny, kill, quarantine";
	if (spec->flags & ~(BIT(__TCPK_RULE_F_MAX) - 1))
		return "flags: unknown flag";
	if (TCPK_HAS(spec, PID) && !spec->pid)
		return "pid: must not be 0";
	if (TCPK_HAS(spec, CGROUP) && !spec->cgroup)
		return "cgroup: must not be 0";
	if (TCPK_HAS(spec, OPS) && !spec->ops)
		return "ops: no operation given";
	if (TCPK_HAS(spec, OPS) && (spec->ops & ~TCPK_OPS_ALL))
		return "ops: unknown operation";
	if (TCPK_HAS(spec, CAPABILITY)) {
		if (spec->capability > CAP_LAST_CAP)
			return "capability: not a capability (above CAP_LAST_CAP)";
		if (TCPK_HAS(spec, OPS) &&
		    !(spec->ops & BIT(TCPK_OP_CAPABLE)))
			return "capability: the ops must include capable";
	}
	if (TCPK_HAS(spec, TARGET_SCOPE)) {
		if (spec->target_scope >= __TCPK_SCOPE_MAX)
			return "target_scope: not any, inside or outside";
		if (TCPK_HAS(spec, OPS) && !(spec->ops & TCPK_TARGET_OPS))
			return "target_scope: the ops must include ptrace or signal";
		if (TCPK_HAS(spec, CAPABILITY))
			return "target_scope: not with capability";
	}
	if (TCPK_HAS(spec, SYSCALL)) {
		if (!spec->n_syscalls)
			return "syscall: no system call given";
		if (spec->n_syscalls > TCPK_RULE_SYSCALLS_MAX)
			return "syscall: more than 16 system calls";
		for (i = 0; i < spec->n_syscalls; i++)
			if (spec->syscalls[i] >= 1024)
				return "syscall: number 1024 or above";
	}
	if (TCPK_HAS(spec, DESC_ANY) && !spec->desc_any)
		return "desc_any: no flag given";
	if (TCPK_HAS(spec, DESC_ANY) && (spec->desc_any & ~TCPK_DESC_FLAGS_KNOWN))
		return "desc_any: unknown descriptor flag";
	if (TCPK_HAS(spec, DESC_ALL) && !spec->desc_all)
		return "desc_all: no flag given";
	if (TCPK_HAS(spec, DESC_ALL) && (spec->desc_all & ~TCPK_DESC_FLAGS_KNOWN))
		return "desc_all: unknown descriptor flag";
	if (TCPK_HAS(spec, ACCESS) && !spec->access)
		return "access: no access bit given";
	if (TCPK_HAS(spec, ACCESS) && (spec->access & ~TCPK_ACCESS_ALL))
		return "access: unknown access bit";
	if (TCPK_HAS(spec, PATH_SCOPE) && spec->path_scope >= __TCPK_SCOPE_MAX)
		return "path_scope: not any, inside or outside";
	return NULL;
}

/**
 * tcpk_rule_create() - validate a rule and make it an object
 * @spec: the rule; its strings are copied.  A nonzero @spec->id is kept,
 *	0 has one assigned when the rule is added.
 * @errmsg: receives a static message naming the field on error.
 *
 * Process context, may sleep.
 *
 * Return: the rule with one reference (pass it to tcpk_policy_add() or
 * tcpk_policy_replace(), or drop it with tcpk_rule_put()), or
 * ERR_PTR(-EINVAL) for a bad rule or ERR_PTR(-ENOMEM).
 */
struct tcpk_rule *tcpk_rule_create(const struct tcpk_rule_spec *spec,
				   const char **errmsg)
{
	struct tcpk_rule_spec tmp = *spec;
	size_t len[TCPK_NSTR] = {}, total = 0;
	struct tcpk_rule *rule;
	const char *fault;
	unsigned int k;
	char *p;

	fault = tcpk_spec_fault(spec);
	if (fault) {
		*errmsg = fault;
		return ERR_PTR(-EINVAL);
	}
	for (k = 0; k < TCPK_NSTR; k++) {
		const char **s = tcpk_spec_str(&tmp, k);
		enum tcpk_glob_err err;

		if (!(spec->present & BIT(tcpk_str_conds[k].cond))) {
			*s = NULL;
			continue;
		}
		err = tcpk_glob_classify(*s, tcpk_str_conds[k].max);
		if (err != TCPK_GLOB_OK) {
			*errmsg = tcpk_str_conds[k].msgs[err];
			return ERR_PTR(-EINVAL);
		}
		len[k] = strlen(*s) + 1;
		total += len[k];
	}

	rule = kzalloc(struct_size(rule, strings, total), GFP_KERNEL_ACCOUNT);
	if (!rule)
		goto nomem;
	rule->hits = alloc_percpu_gfp(u64, GFP_KERNEL_ACCOUNT);
	if (!rule->hits) {
		kfree(rule);
		goto nomem;
	}
	refcount_set(&rule->ref, 1);
	rule->ops = tcpk_spec_ops(spec);
	rule->spec = tmp;
	p = rule->strings;
	for (k = 0; k < TCPK_NSTR; k++) {
		const char **s = tcpk_spec_str(&rule->spec, k);

		if (!*s)
			continue;
		memcpy(p, *s, len[k]);
		*s = p;
		p += len[k];
	}
	return rule;

nomem:
	*errmsg = "rule: out of memory";
	return ERR_PTR(-ENOMEM);
}

static void tcpk_rule_free_rcu(struct rcu_head *head)
{
	struct tcpk_rule *rule = container_of(head, struct tcpk_rule, rcu);

	free_percpu(rule->hits);
	kfree(rule);
}

/**
 * tcpk_rule_put() - drop a reference to a rule
 * @rule: the rule, or NULL.
 *
 * The last reference frees the rule after a grace period.  Any context
 * but hard interrupts.
 */
void tcpk_rule_put(struct tcpk_rule *rule)
{
	if (rule && refcount_dec_and_test(&rule->ref))
		call_rcu(&rule->rcu, tcpk_rule_free_rcu);
}

/**
 * tcpk_rule_to_spec() - a rule as it was given
 * @rule: the rule.
 * @spec: receives the spec, with the id assigned if it had none; its
 *	strings point into @rule and are valid as long as it is.
 */
void tcpk_rule_to_spec(const struct tcpk_rule *rule,
		       struct tcpk_rule_spec *spec)
{
	*spec = rule->spec;
}

/**
 * tcpk_rule_hits() - the decisions a rule made
 * @rule: the rule.
 *
 * Return: the sum of its per-CPU hit counter.
 */
u64 tcpk_rule_hits(const struct tcpk_rule *rule)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(rule->hits, cpu));
	return sum;
}

/* --- rule sets ------------------------------------------------------------ */

static struct tcpk_rule_set *tcpk_set_locked(void)
{
	return rcu_dereference_protected(tcpk_rule_set,
					 lockdep_is_held(&tcpk_policy_mutex));
}

static int tcpk_rule_cmp(const void *a, const void *b)
{
	const struct tcpk_rule *x = *(struct tcpk_rule * const *)a;
	const struct tcpk_rule *y = *(struct tcpk_rule * const *)b;

	if (x->spec.priority != y->spec.priority)
		return x->spec.priority < y->spec.priority ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return 0;
}

/*
 * A new set of generation @generation: the rules of @keep (may be NULL)
 * but the one at index @skip (-1: none), then @add (@n_add rules, their
 * seq set), sorted.  Takes no reference: tcpk_set_publish() does.
 * Process context; NULL if out of memory.
 */
static struct tcpk_rule_set *tcpk_set_new(const struct tcpk_rule_set *keep,
					  long skip, struct tcpk_rule **add,
					  u32 n_add, u64 generation)
{
	u32 count[__TCPK_OP_MAX] = {}, fill[__TCPK_OP_MAX] = {};
	u32 need_agent = TCPK_OPS_ALL, n = 0, total = 0, first = 0, i;
	struct tcpk_rule_set *set;
	unsigned int op;
	size_t size;

	for (i = 0; keep && i < keep->n; i++) {
		if (i == skip)
			continue;
		total += hweight32(keep->rules[i]->ops);
		n++;
	}
	for (i = 0; i < n_add; i++)
		total += hweight32(add[i]->ops);
	n += n_add;

	size = size_add(struct_size(set, rules, n),
			array_size(total, sizeof(set->idx[0])));
	set = kvzalloc(size, GFP_KERNEL_ACCOUNT);
	if (!set)
		return NULL;
	set->generation = generation;
	set->n = n;
	set->idx = (u16 *)&set->rules[n];
	n = 0;
	for (i = 0; keep && i < keep->n; i++)
		if (i != skip)
			set->rules[n++] = keep->rules[i];
	for (i = 0; i < n_add; i++)
		set->rules[n++] = add[i];
	sort(set->rules, n, sizeof(set->rules[0]), tcpk_rule_cmp, NULL);

	for (i = 0; i < n; i++) {
		const struct tcpk_rule *rule = set->rules[i];
		unsigned long ops = rule->ops;

		for_each_set_bit(op, &ops, __TCPK_OP_MAX)
			count[op]++;
		if (!TCPK_HAS(&rule->spec, AGENT))
			need_agent &= ~rule->ops;
	}
	for (op = 0; op < __TCPK_OP_MAX; op++) {
		set->op_first[op] = first;
		set->op_count[op] = count[op];
		first += count[op];
		if (!count[op])
			need_agent &= ~BIT(op);
	}
	set->op_need_agent = need_agent;
	for (i = 0; i < n; i++) {
		unsigned long ops = set->rules[i]->ops;

		for_each_set_bit(op, &ops, __TCPK_OP_MAX)
			set->idx[set->op_first[op] + fill[op]++] = i;
	}
	return set;
}

static void tcpk_set_free(struct tcpk_rule_set *set)
{
	u32 i;

	for (i = 0; i < set->n; i++)
		tcpk_rule_put(set->rules[i]);
	kvfree(set);
}

static void tcpk_set_free_rcu(struct rcu_head *head)
{
	tcpk_set_free(container_of(head, struct tcpk_rule_set, rcu));
}

/*
 * Make @set the current set: take its references, publish it, retire the
 * old set after a grace period, announce it.  Cannot fail.  Under the
 * mutex.
 */
static void tcpk_set_publish(struct tcpk_rule_set *set, u64 *generation)
{
	struct tcpk_rule_set *old = tcpk_set_locked();
	u32 i;

	for (i = 0; i < set->n; i++)
		refcount_inc(&set->rules[i]->ref);
	rcu_assign_pointer(tcpk_rule_set, set);
	call_rcu(&old->rcu, tcpk_set_free_rcu);
	if (generation)
		*generation = set->generation;
	tcpk_event_policy(set->generation, set->n);
}

static long tcpk_set_find(const struct tcpk_rule_set *set, u32 id)
{
	u32 i;

	for (i = 0; i < set->n; i++)
		if (set->rules[i]->spec.id == id)
			return i;
	return -1;
}

static int tcpk_u32_cmp(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/*
 * Give each rule of @rules without an id one: the next after *@next_id
 * (which first moves past every explicit id of @rules), or once the ids
 * ran out (beyond U32_MAX), the lowest ids that neither @keep nor @rules
 * use.  *@next_id receives the new value, for the caller to commit.
 * Under the mutex; process context.
 */
static int tcpk_ids_assign(struct tcpk_rule **rules, u32 n,
			   const struct tcpk_rule_set *keep, u64 *next_id)
{
	u32 i, j, k = 0, n_used = 0, cand = 1, *used;
	u64 next = *next_id;

	for (i = 0; i < n; i++) {
		if (rules[i]->spec.id)
			next = max_t(u64, next, (u64)rules[i]->spec.id + 1);
		else
			k++;
	}
	*next_id = next;
	if (next + k <= (u64)U32_MAX + 1) {
		for (i = 0; i < n; i++)
			if (!rules[i]->spec.id)
				rules[i]->spec.id = next++;
		*next_id = next;
		return 0;
	}

	used = kvmalloc_array((keep ? keep->n : 0) + n, sizeof(*used),
			      GFP_KERNEL_ACCOUNT);
	if (!used)
		return -ENOMEM;
	for (i = 0; keep && i < keep->n; i++)
		used[n_used++] = keep->rules[i]->spec.id;
	for (i = 0; i < n; i++)
		if (rules[i]->spec.id)
			used[n_used++] = rules[i]->spec.id;
	sort(used, n_used, sizeof(*used), tcpk_u32_cmp, NULL);
	for (i = 0, j = 0; i < n; i++) {
		if (rules[i]->spec.id)
			continue;
		for (; j < n_used && used[j] <= cand; j++)
			if (used[j] == cand)
				cand++;
		rules[i]->spec.id = cand++;
	}
	kvfree(used);
	return 0;
}

/**
 * struct tcpk_id_at - an explicit id of a batch and where it is
 * @id: the id.
 * @index: the rule's index in the batch.
 */
struct tcpk_id_at {
	u32 id;
	u32 index;
};

static int tcpk_id_at_cmp(const void *a, const void *b)
{
	const struct tcpk_id_at *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * -EEXIST if two rules of @rules have the same explicit id, with
 * *@bad_index the first rule that repeats an earlier one's id.
 */
static int tcpk_ids_unique(struct tcpk_rule **rules, u32 n,
			   unsigned int *bad_index)
{
	unsigned int bad = UINT_MAX;
	struct tcpk_id_at *at;
	u32 i, m = 0;

	for (i = 0; i < n; i++)
		m += !!rules[i]->spec.id;
	if (m < 2)
		return 0;
	at = kvmalloc_array(m, sizeof(*at), GFP_KERNEL_ACCOUNT);
	if (!at)
		return -ENOMEM;
	for (i = 0, m = 0; i < n; i++)
		if (rules[i]->spec.id)
			at[m++] = (struct tcpk_id_at){ rules[i]->spec.id, i };
	sort(at, m, sizeof(*at), tcpk_id_at_cmp, NULL);
	for (i = 1; i < m; i++)
		if (at[i].id == at[i - 1].id)
			bad = min(bad, at[i].index);
	kvfree(at);
	if (bad == UINT_MAX)
		return 0;
	*bad_index = bad;
	return -EEXIST;
}

/*
 * While the module is locked, a rule may be added only if it cannot loosen
 * the policy: it must refuse (deny, kill, quarantine), and it must not
 * decide in place of an existing rule that it would weaken.  It goes after
 * the rules of its priority and before those of a higher value, so those
 * are the ones it could hide (tcpk_lock_rule_shadows()).
 */
static const char *tcpk_policy_add_loosens(const struct tcpk_rule_set *set,
					   const struct tcpk_rule *rule)
{
	const struct tcpk_rule_spec *spec = &rule->spec;
	u32 i;

	if (!tcpk_lock_action_restricts(spec->action))
		return TCPK_LOCKED_MSG("a rule that does not refuse");
	for (i = 0; i < set->n; i++) {
		const struct tcpk_rule_spec *old = &set->rules[i]->spec;

		if (old->priority <= spec->priority)
			continue;
		if (tcpk_lock_rule_shadows(spec->action, spec->flags,
					   old->action, old->flags))
			return TCPK_LOCKED_MSG("a rule evaluated before a stronger one");
	}
	return NULL;
}

/**
 * tcpk_policy_add() - add a rule
 * @rule: the rule, from tcpk_rule_create(); consumed.
 * @id: receives its id (the one it had, or the one assigned).
 * @generation: receives the new generation.
 * @errmsg: receives a static message on error.
 *
 * While the module is locked (the caller holds tcpk_lock_change_begin()),
 * only a rule that cannot loosen the policy is added
 * (tcpk_policy_add_loosens()).  Process context, may sleep.
 *
 * Return: 0, -EEXIST if a rule has its id, -ENOSPC if the policy holds
 * max_rules rules, -EPERM if the module is locked and the rule could
 * loosen the policy, or -ENOMEM.
 */
int tcpk_policy_add(struct tcpk_rule *rule, u32 *id, u64 *generation,
		    const char **errmsg)
{
	struct tcpk_rule_set *old, *set;
	u64 next_id;
	int err = 0;

	mutex_lock(&tcpk_policy_mutex);
	old = tcpk_set_locked();
	if (old->n >= READ_ONCE(tcpk_max_rules)) {
		*errmsg = "max_rules: the policy holds as many rules as it may";
		err = -ENOSPC;
		goto out;
	}
	if (rule->spec.id && tcpk_set_find(old, rule->spec.id) >= 0) {
		*errmsg = "id: a rule with this id exists";
		err = -EEXIST;
		goto out;
	}
	/* The caller holds tcpk_lock_change_begin(): the flag cannot change. */
	if (tcpk_locked()) {
		*errmsg = tcpk_policy_add_loosens(old, rule);
		if (*errmsg) {
			err = -EPERM;
			goto out;
		}
	}
	next_id = tcpk_policy.next_id;
	if (tcpk_ids_assign(&rule, 1, old, &next_id))
		goto nomem;
	rule->seq = tcpk_policy.next_seq++;
	set = tcpk_set_new(old, -1, &rule, 1, old->generation + 1);
	if (!set)
		goto nomem;
	tcpk_policy.next_id = next_id;
	*id = rule->spec.id;
	tcpk_set_publish(set, generation);
	goto out;
nomem:
	*errmsg = "rule set: out of memory";
	err = -ENOMEM;
out:
	mutex_unlock(&tcpk_policy_mutex);
	tcpk_rule_put(rule);
	return err;
}

/**
 * tcpk_policy_del() - delete a rule
 * @id: its id.
 * @generation: receives the new generation.
 *
 * Process context, may sleep.
 *
 * Return: 0, -ENOENT if no rule has @id, or -ENOMEM.
 */
int tcpk_policy_del(u32 id, u64 *generation)
{
	struct tcpk_rule_set *old, *set;
	int err = 0;
	long i;

	mutex_lock(&tcpk_policy_mutex);
	old = tcpk_set_locked();
	i = id ? tcpk_set_find(old, id) : -1;
	if (i < 0) {
		err = -ENOENT;
		goto out;
	}
	set = tcpk_set_new(old, i, NULL, 0, old->generation + 1);
	if (!set) {
		err = -ENOMEM;
		goto out;
	}
	tcpk_set_publish(set, generation);
out:
	mutex_unlock(&tcpk_policy_mutex);
	return err;
}

/**
 * tcpk_policy_flush() - delete every rule
 * @generation: receives the new generation.
 *
 * An empty policy is a new generation too.  Process context, may sleep.
 *
 * Return: 0 or -ENOMEM.
 */
int tcpk_policy_flush(u64 *generation)
{
	struct tcpk_rule_set *set;
	int err = 0;

	mutex_lock(&tcpk_policy_mutex);
	set = tcpk_set_new(NULL, -1, NULL, 0, tcpk_set_locked()->generation + 1);
	if (set)
		tcpk_set_publish(set, generation);
	else
		err = -ENOMEM;
	mutex_unlock(&tcpk_policy_mutex);
	return err;
}

/**
 * tcpk_policy_replace() - replace every rule, all or nothing
 * @rules: the new rules, in the order given; consumed (each put), the
 *	array itself is the caller's.
 * @n: number of rules (0 empties the policy).
 * @generation: receives the new generation.
 * @errmsg: receives a static message on error.
 * @bad_index: receives, for -EEXIST, the index of the first rule whose
 *	explicit id an earlier rule of @rules has, and for -ENOSPC the index
 *	of the first rule beyond max_rules; untouched otherwise.
 *
 * Explicit ids are kept; the others are assigned in order.  Process
 * context, may sleep.
 *
 * Return: 0, -EEXIST, -ENOSPC or -ENOMEM; on error the policy is as it
 * was.
 */
int tcpk_policy_replace(struct tcpk_rule **rules, unsigned int n,
			u64 *generation, const char **errmsg,
			unsigned int *bad_index)
{
	unsigned int max = READ_ONCE(tcpk_max_rules), i;
	struct tcpk_rule_set *set;
	u64 next_id, seq;
	int err;

	if (n > max) {
		*errmsg = "max_rules: more rules than the policy may hold";
		*bad_index = max;
		err = -ENOSPC;
		goto put;
	}
	err = tcpk_ids_unique(rules, n, bad_index);
	if (err == -EEXIST)
		*errmsg = "id: two rules have the same id";
	if (err)
		goto fail;

	mutex_lock(&tcpk_policy_mutex);
	next_id = tcpk_policy.next_id;
	if (tcpk_ids_assign(rules, n, NULL, &next_id))
		goto unlock_nomem;
	seq = tcpk_policy.next_seq;
	for (i = 0; i < n; i++)
		rules[i]->seq = seq++;
	set = tcpk_set_new(NULL, -1, rules, n,
			   tcpk_set_locked()->generation + 1);
	if (!set)
		goto unlock_nomem;
	tcpk_policy.next_id = next_id;
	tcpk_policy.next_seq = seq;
	tcpk_set_publish(set, generation);
	mutex_unlock(&tcpk_policy_mutex);
	goto put;

unlock_nomem:
	mutex_unlock(&tcpk_policy_mutex);
	err = -ENOMEM;
fail:
	if (err == -ENOMEM)
		*errmsg = "rule set: out of memory";
put:
	for (i = 0; i < n; i++)
		tcpk_rule_put(rules[i]);
	return err;
}

/**
 * tcpk_policy_rules_walk() - call @fill for the rules in evaluation order
 * @pos: in: the index to start at; out: the index of the rule @fill
 *	refused (to resume there), or the number of rules at the end.  Not
 *	used with @only_id.
 * @generation: receives the generation of the set walked, so that a dump
 *	split over several calls can tell that the set changed in between.
 * @only_id: if not 0, only the rule with this id.
 * @fill: called for each rule, under rcu_read_lock().
 * @arg: passed to @fill.
 *
 * Any context but hard interrupts.
 *
 * Return: 0 at the end, the error @fill returned, or -ENOENT if no rule
 * has @only_id.
 */
int tcpk_policy_rules_walk(unsigned int *pos, u64 *generation, u32 only_id,
			   tcpk_rule_fill_t fill, void *arg)
{
	const struct tcpk_rule_set *set;
	struct tcpk_rule_spec spec;
	const struct tcpk_rule *rule;
	unsigned int i;
	int err = 0;
	long at;

	rcu_read_lock();
	set = rcu_dereference(tcpk_rule_set);
	*generation = set->generation;
	if (only_id) {
		at = tcpk_set_find(set, only_id);
		if (at < 0) {
			err = -ENOENT;
		} else {
			rule = set->rules[at];
			tcpk_rule_to_spec(rule, &spec);
			err = fill(rule, &spec, tcpk_rule_hits(rule), arg);
		}
		goto out;
	}
	for (i = *pos; i < set->n; i++) {
		rule = set->rules[i];
		tcpk_rule_to_spec(rule, &spec);
		err = fill(rule, &spec, tcpk_rule_hits(rule), arg);
		if (err)
			break;
	}
	*pos = max(i, *pos);
out:
	rcu_read_unlock();
	return err;
}

/**
 * tcpk_policy_generation() - the generation of the current rule set
 *
 * Return: 1 for the set the module loads with, one more per change (0
 * outside tcpk_policy_init() .. tcpk_policy_exit()).
 */
u64 tcpk_policy_generation(void)
{
	const struct tcpk_rule_set *set;
	u64 gen;

	rcu_read_lock();
	set = rcu_dereference(tcpk_rule_set);
	gen = set ? set->generation : 0;
	rcu_read_unlock();
	return gen;
}

/**
 * tcpk_policy_count() - the number of rules in the current set
 *
 * Return: the count.
 */
unsigned int tcpk_policy_count(void)
{
	const struct tcpk_rule_set *set;
	unsigned int n;

	rcu_read_lock();
	set = rcu_dereference(tcpk_rule_set);
	n = set ? set->n : 0;
	rcu_read_unlock();
	return n;
}

/**
 * tcpk_policy_init() - set up the engine with an empty rule set
 *
 * The empty set has generation 1.  Process context.
 *
 * Return: 0 or -ENOMEM.
 */
int tcpk_policy_init(void)
{
	struct tcpk_rule_set *set;
	int err;

	BUILD_BUG_ON(TCPK_MAX_RULES_LIMIT > TCPK_RULE_NONE);
	BUILD_BUG_ON(__TCPK_OP_MAX > 32);

	tcpk_policy.next_id = 1;
	tcpk_policy.next_seq = 0;
	err = tcpk_decide_init();
	if (err)
		return err;
	set = tcpk_set_new(NULL, -1, NULL, 0, 1);
	if (!set) {
		tcpk_decide_exit();
		return -ENOMEM;
	}
	rcu_assign_pointer(tcpk_rule_set, set);
	return 0;
}

/**
 * tcpk_policy_exit() - free the rules, the sets, the cache
 *
 * Every reader (hook, tracepoint, netlink handler) is gone.  Process
 * context; waits for the RCU callbacks of the sets and rules retired
 * earlier.
 */
void tcpk_policy_exit(void)
{
	struct tcpk_rule_set *set;

	mutex_lock(&tcpk_policy_mutex);
	set = tcpk_set_locked();
	RCU_INIT_POINTER(tcpk_rule_set, NULL);
	mutex_unlock(&tcpk_policy_mutex);
	if (set) {
		synchronize_rcu();
		tcpk_set_free(set);
	}
	/*
	 * The first barrier runs the callbacks of retired sets, which put
	 * their rules and so may queue the rules' callbacks; the second
	 * waits for those.
	 */
	rcu_barrier();
	rcu_barrier();
	tcpk_decide_exit();
}
