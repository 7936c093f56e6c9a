// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - cost: the in-module cost of a decision's components
 *
 * %TCPK_CMD_COST_GET times, on the calling CPU, the parts a decision is
 * made of: a descriptor lookup that hits and one that misses, a decision
 * answered by the cache and one that is not, a full decision without the
 * cache of an exec-like and of an open-like request against the current
 * rules, and a behavioural score update.  Nothing a user can see changes:
 *
 * - descriptor lookups are reads (tcpk_descdb_lookup()); the hit looks up
 *   the identity of the database's first descriptor in key order, the
 *   miss a command-name hash that no descriptor has;
 * - the cache is measured on two private entries with the live cache's
 *   own code (tcpk_policy_cost_cache()), never on the live cache, so no
 *   real entry is evicted or added; they are prepared before the timing
 *   (the first holds the request's key for hits, its complement for
 *   misses), and misses store into the second;
 * - full decisions are what-if decisions (tcpk_policy_what_if()): no
 *   counter, cache, hit count, record or event;
 * - score updates work on a scratch &struct tcpk_features allocated for
 *   the request (tcpk_behavior_cost_score()), never on a process's.
 *
 * The requests have no subject (pid 0), so a decision's quarantine and
 * violation look-ups, which need one, are not part of the figures; they
 * are not agents'; their strings are fixed (comm: the caller's).
 *
 * Every component runs in %TCPK_COST_BATCHES batches, each with
 * preemption disabled and timed with ktime_get_ns(); a batch ends after
 * its share of the iterations or once it has taken %TCPK_COST_BATCH_NS,
 * whichever comes first, and cond_resched() runs between batches.  The
 * whole measurement runs with migration disabled, so on one CPU, and one
 * measurement runs at a time (tcpk_cost_mutex).  Nothing is allocated
 * while timing.
 */

#include <linux/cred.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>

#include "behavior/features.h"
#include "behavior/feed.h"
#include "core/cost.h"
#include "descdb/descdb.h"
#include "policy/policy.h"

/* One measurement at a time: each takes up to about 70 ms of CPU. */
static DEFINE_MUTEX(tcpk_cost_mutex);

/* Where the components' results go, so that the compiler keeps the work. */
static u32 tcpk_cost_sink;

/**
 * struct tcpk_cost_ctx - what the components work on (private to one
 *	measurement)
 * @open_req: the open-like request.
 * @exec_req: the exec-like request.
 * @hit: the identity of an existing descriptor, if @have_hit.
 * @miss: an identity with no descriptor, if @have_miss.
 * @have_hit: the database had a descriptor.
 * @have_miss: a free command-name hash was found.
 * @path: room for @hit's path when it is a path binding.
 * @features: the scratch state of the score updates.
 * @cache: the private decision-cache entries, prepared for the component
 *	being measured.
 * @comm: the caller's command name.
 */
struct tcpk_cost_ctx {
	struct tcpk_request open_req;
	struct tcpk_request exec_req;
	struct tcpk_desc_binding hit;
	struct tcpk_desc_binding miss;
	bool have_hit;
	bool have_miss;
	char *path;
	struct tcpk_features *features;
	struct tcpk_cost_cache cache;
	char comm[TASK_COMM_LEN];
};

/* The component functions: @n operations; the return value is a sink. */
typedef u32 (*tcpk_cost_fn)(struct tcpk_cost_ctx *ctx, u32 n);

static u32 tcpk_cost_lookup(const struct tcpk_desc_binding *bind, u32 n)
{
	const struct tcpk_desc_entry *e;
	u32 i, sum = 0;

	for (i = 0; i < n; i++) {
		rcu_read_lock();
		e = tcpk_descdb_lookup(bind);
		if (e)
			sum += READ_ONCE(e->flags);
		rcu_read_unlock();
	}
	return sum;
}

static u32 tcpk_cost_desc_hit(struct tcpk_cost_ctx *ctx, u32 n)
{
	return tcpk_cost_lookup(&ctx->hit, n);
}

static u32 tcpk_cost_desc_miss(struct tcpk_cost_ctx *ctx, u32 n)
{
	return tcpk_cost_lookup(&ctx->miss, n);
}

/* Both: the entries prepared (tcpk_cost_prepare()) for a hit or a miss. */
static u32 tcpk_cost_cache_op(struct tcpk_cost_ctx *ctx, u32 n)
{
	return tcpk_policy_cost_cache(&ctx->cache, &ctx->open_req, n);
}

static u32 tcpk_cost_eval(const struct tcpk_request *req, u32 n)
{
	struct tcpk_decision d;
	u32 i, sum = 0;

	for (i = 0; i < n; i++) {
		tcpk_policy_what_if(req, &d);
		sum += d.verdict + d.rule_id;
	}
	return sum;
}

static u32 tcpk_cost_eval_exec(struct tcpk_cost_ctx *ctx, u32 n)
{
	return tcpk_cost_eval(&ctx->exec_req, n);
}

static u32 tcpk_cost_eval_open(struct tcpk_cost_ctx *ctx, u32 n)
{
	return tcpk_cost_eval(&ctx->open_req, n);
}

static u32 tcpk_cost_score(struct tcpk_cost_ctx *ctx, u32 n)
{
	return tcpk_behavior_cost_score(ctx->features, n);
}

static const tcpk_cost_fn tcpk_cost_fns[__TCPK_COST_MAX] = {
	[TCPK_COST_DESC_HIT] = tcpk_cost_desc_hit,
	[TCPK_COST_DESC_MISS] = tcpk_cost_desc_miss,
	[TCPK_COST_CACHE_HIT] = tcpk_cost_cache_op,
	[TCPK_COST_CACHE_MISS] = tcpk_cost_cache_op,
	[TCPK_COST_EVAL_EXEC] = tcpk_cost_eval_exec,
	[TCPK_COST_EVAL_OPEN] = tcpk_cost_eval_open,
	[TCPK_COST_SCORE_UPDATE] = tcpk_cost_score,
};

/*
 * Times @fn in batches of @per_batch operations into @res.  A first
 * operation, not counted, warms the caches and tells how often a batch
 * reads the clock (tcpk_cost_step()).  Process context; sleeps between
 * batches only.
 */
static void tcpk_cost_run(struct tcpk_cost_ctx *ctx, tcpk_cost_fn fn,
			  u32 per_batch, struct tcpk_cost_result *res)
{
	u64 ps[TCPK_COST_BATCHES];
	u64 t0, elapsed = 0;
	u32 b, done, step, k, sum;

	preempt_disable();
	t0 = ktime_get_ns();
	sum = fn(ctx, 1);
	elapsed = ktime_get_ns() - t0;
	preempt_enable();
	step = tcpk_cost_step(elapsed);

	for (b = 0; b < TCPK_COST_BATCHES; b++) {
		cond_resched();
		if (fatal_signal_pending(current))
			break;
		done = 0;
		preempt_disable();
		t0 = ktime_get_ns();
		do {
			k = min(step, per_batch - done);
			sum += fn(ctx, k);
			done += k;
			elapsed = ktime_get_ns() - t0;
		} while (done < per_batch && elapsed < TCPK_COST_BATCH_NS);
		preempt_enable();
		ps[b] = tcpk_cost_ps_per_op(elapsed, done);
		res->ops += done;
	}
	WRITE_ONCE(tcpk_cost_sink, sum);
	res->batches = b;
	res->available = b > 0;
	tcpk_cost_summarise(ps, b, &res->min_ps, &res->median_ps);
}

/* tcpk_descdb_dump() callback: keep the first descriptor's identity. */
static int tcpk_cost_first_desc(const struct tcpk_desc_entry *e, void *arg)
{
	struct tcpk_cost_ctx *ctx = arg;

	ctx->hit = e->bind;
	if (e->bind.kind == TCPK_DESC_KEY_PATH) {
		strscpy(ctx->path, e->bind.path, TCPK_DESC_PATH_MAX);
		ctx->hit.path = ctx->path;
		ctx->hit.path_len = strlen(ctx->path);
	}
	ctx->have_hit = true;
	return 1;
}

/* The identities of the descriptor lookups. */
static void tcpk_cost_bindings(struct tcpk_cost_ctx *ctx)
{
	struct tcpk_descdb_cursor cur = {};
	unsigned int i;

	tcpk_descdb_dump(&cur, tcpk_cost_first_desc, ctx);
	ctx->miss.kind = TCPK_DESC_KEY_NAME;
	for (i = 0; i < 16 && !ctx->have_miss; i++) {
		ctx->miss.cmd_hash = 0xfffffff0U + i;
		rcu_read_lock();
		ctx->have_miss = !tcpk_descdb_lookup(&ctx->miss);
		rcu_read_unlock();
	}
}

/* The two requests: no subject, the caller's ids and comm, fixed paths. */
static void tcpk_cost_requests(struct tcpk_cost_ctx *ctx)
{
	struct tcpk_request *r = &ctx->open_req;

	get_task_comm(ctx->comm, current);
	r->op = TCPK_OP_OPEN;
	r->uid = from_kuid(&init_user_ns, current_uid());
	r->gid = from_kgid(&init_user_ns, current_gid());
	r->syscall = -1;
	r->access = BIT(TCPK_ACCESS_READ);
	r->comm = ctx->comm;
	r->exe = "/usr/bin/tcpk-cost";
	r->path = "/tmp/tcpk-cost/probe";

	ctx->exec_req = *r;
	r = &ctx->exec_req;
	r->op = TCPK_OP_EXEC;
	r->access = BIT(TCPK_ACCESS_EXEC);
	r->path = r->exe;
}

/**
 * tcpk_cost_measure() - measure every component
 * @iterations: operations per component, %TCPK_COST_ITERATIONS_MIN to
 *	%TCPK_COST_ITERATIONS_MAX.
 * @rep: receives the figures (zeroed first).
 *
 * Process context, may sleep; takes up to about 70 ms of CPU time (see
 * core/cost.h).  Allocates a scratch state and a path buffer before it
 * starts timing, frees them after.  A fatal signal ends it early: the
 * components left are then reported unavailable.
 *
 * Return: 0, -EINVAL for an iteration count out of range, -ENOMEM, or
 * -EINTR if a signal came while waiting for another measurement.
 */
int tcpk_cost_measure(u32 iterations, struct tcpk_cost_report *rep)
{
	struct tcpk_descdb_stats st;
	struct tcpk_cost_ctx *ctx;
	unsigned int c;
	u32 per_batch;
	int err = 0;

	memset(rep, 0, sizeof(*rep));
	if (!tcpk_cost_iterations_valid(iterations))
		return -EINVAL;
	per_batch = tcpk_cost_per_batch(iterations);

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return -ENOMEM;
	ctx->path = kmalloc(TCPK_DESC_PATH_MAX, GFP_KERNEL_ACCOUNT);
	ctx->features = kzalloc(sizeof(*ctx->features), GFP_KERNEL_ACCOUNT);
	if (!ctx->path || !ctx->features) {
		err = -ENOMEM;
		goto out_free;
	}
	tcpk_features_init(ctx->features);
	tcpk_cost_requests(ctx);

	if (mutex_lock_interruptible(&tcpk_cost_mutex)) {
		err = -EINTR;
		goto out_free;
	}
	tcpk_cost_bindings(ctx);
	tcpk_descdb_stats(&st);
	rep->iterations = iterations;
	rep->rules = tcpk_policy_count();
	rep->descriptors = st.count;

	migrate_disable();
	rep->cpu = raw_smp_processor_id();
	for (c = 0; c < __TCPK_COST_MAX; c++) {
		if ((c == TCPK_COST_DESC_HIT && !ctx->have_hit) ||
		    (c == TCPK_COST_DESC_MISS && !ctx->have_miss))
			continue;
		if (c == TCPK_COST_CACHE_HIT || c == TCPK_COST_CACHE_MISS)
			tcpk_policy_cost_cache_prepare(&ctx->cache, &ctx->open_req,
						       c == TCPK_COST_CACHE_HIT);
		tcpk_cost_run(ctx, tcpk_cost_fns[c], per_batch, &rep->c[c]);
	}
	migrate_enable();
	mutex_unlock(&tcpk_cost_mutex);

out_free:
	kfree(ctx->features);
	kfree(ctx->path);
	kfree(ctx);
	return err;
}
