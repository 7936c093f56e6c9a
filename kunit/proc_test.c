// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - KUnit suite of the per-process table and agent labels
 *
 * Most cases drive the table with plain values: thread group ids above
 * PID_MAX_LIMIT, which no process can have, and made-up start times.
 * Cases that need live tasks use the test's own kernel thread, its parent
 * (kthreadd) and kernel threads they create; labelling them touches only
 * this module's table.  The scheduler tracepoints are registered only by
 * the cases that load and unload the table (tcpk_proc_init()), one of
 * which runs a real labelled shell through the usermode helper.  Every
 * case ends with an empty table and every session freed.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/umh.h>

#include "../policy/proc.c"
#include "fakes.h"

/* Thread group ids no process can have. */
#define FAKE_TGID	(PID_MAX_LIMIT + 1000U)

#define TEST_KTHREADS	3

/**
 * struct proc_test_ctx - what a case leaves for its exit to clean up
 * @kthreads: kernel threads the case started, stopped at exit.
 * @procs: user processes the case started, killed at exit (pids held:
 *	never another process's).
 * @proc_up: the case called tcpk_proc_init() (probes registered).
 * @descdb_up: the case called tcpk_descdb_init().
 * @saved_max_procs: max_procs before the case.
 * @saved_level: the security level before the case.
 * @saved_lost: labels_lost before the case.
 */
struct proc_test_ctx {
	struct task_struct *kthreads[TEST_KTHREADS];
	struct pid *procs[2];
	bool proc_up;
	bool descdb_up;
	unsigned int saved_max_procs;
	unsigned int saved_level;
	s64 saved_lost;
};

static int proc_test_init(struct kunit *test)
{
	struct proc_test_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->saved_max_procs = max_procs;
	ctx->saved_level = tcpk_security_level;
	ctx->saved_lost = atomic64_read(&tcpk_proc_labels_lost);
	test->priv = ctx;
	tcpk_fake_events_reset();
	return 0;
}

static struct pid *get_tgid(u32 tgid)
{
	struct pid *pid;

	rcu_read_lock();
	pid = get_pid(find_pid_ns(tgid, &init_pid_ns));
	rcu_read_unlock();
	return pid;
}

static void proc_test_exit(struct kunit *test)
{
	struct proc_test_ctx *ctx = test->priv;
	unsigned int i;

	for (i = 0; i < TEST_KTHREADS; i++)
		if (ctx->kthreads[i])
			kthread_stop(ctx->kthreads[i]);
	for (i = 0; i < ARRAY_SIZE(ctx->procs); i++) {
		if (ctx->procs[i])
			kill_pid(ctx->procs[i], SIGKILL, 1);
		put_pid(ctx->procs[i]);
	}
	if (ctx->proc_up)
		tcpk_proc_exit();
	else
		tcpk_proc_flush();
	if (ctx->descdb_up)
		tcpk_descdb_exit();
	max_procs = ctx->saved_max_procs;
	tcpk_security_level = ctx->saved_level;
	/*
	 * Cases lose labels on purpose; later ones must not find the
	 * ancestor walk switched on by them.
	 */
	atomic64_set(&tcpk_proc_labels_lost, ctx->saved_lost);
}

/* tcpk_proc_init(), undone at exit. */
static int proc_up(struct kunit *test)
{
	struct proc_test_ctx *ctx = test->priv;
	int err = tcpk_proc_init();

	ctx->proc_up = !err;
	return err;
}

static void proc_down(struct kunit *test)
{
	struct proc_test_ctx *ctx = test->priv;

	tcpk_proc_exit();
	ctx->proc_up = false;
}

/* tcpk_descdb_init(), undone at exit. */
static void descdb_up(struct kunit *test)
{
	struct proc_test_ctx *ctx = test->priv;

	tcpk_descdb_init();
	ctx->descdb_up = true;
}

static int idle_kthread(void *data)
{
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* Starts the case's kernel threads (idle until the case's exit). */
static void start_kthreads(struct kunit *test)
{
	struct proc_test_ctx *ctx = test->priv;
	struct task_struct *t;
	unsigned int i;

	for (i = 0; i < TEST_KTHREADS; i++) {
		t = kthread_run(idle_kthread, NULL, "tcpk-test-%u", i);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
		ctx->kthreads[i] = t;
	}
}

/* A session with an id, as tcpk_agent_start() makes them. */
static struct tcpk_agent *new_agent(struct kunit *test, const char *name)
{
	const char *errmsg = NULL;
	struct tcpk_agent *agent;

	agent = tcpk_agent_create(name, "/work/space", &errmsg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, agent);
	agent->session = atomic64_inc_return(&tcpk_agent_sessions);
	return agent;
}

/* Labels live task @t with @agent (a reference of the caller's). */
static int label_task(struct task_struct *t, struct tcpk_agent *agent)
{
	refcount_inc(&agent->ref);
	if (tcpk_proc_label(t->tgid, t->start_time, t, agent, t->start_time,
			    GFP_KERNEL)) {
		tcpk_agent_put(agent);
		return -1;
	}
	return 0;
}

static struct tcpk_agent *agent_of(struct task_struct *t)
{
	struct tcpk_agent *agent;

	rcu_read_lock();
	agent = tcpk_agent_of(t);
	rcu_read_unlock();
	return agent;
}

static u64 entries(void)
{
	struct tcpk_proc_stats st;

	tcpk_proc_stats_sum(&st);
	return st.entries;
}

/*
 * The table's RCU readers, for cases: an expectation may not be checked
 * under rcu_read_lock() (a failure allocates its message), and nothing
 * frees entries behind a case's back (no probes), so the pointers these
 * return stay valid for comparing and reading.
 */
static struct tcpk_proc *find(u32 tgid, u64 start_time)
{
	struct tcpk_proc *p;

	rcu_read_lock();
	p = tcpk_proc_find(tgid, start_time);
	rcu_read_unlock();
	return p;
}

static struct tcpk_proc *get(u32 tgid, u64 start_time)
{
	struct tcpk_proc *p;

	rcu_read_lock();
	p = tcpk_proc_get(tgid, start_time, NULL);
	rcu_read_unlock();
	return p;
}

static int inherit(struct tcpk_agent *agent, u32 tgid, u64 start_time)
{
	int err;

	rcu_read_lock();
	err = tcpk_proc_inherit(agent, tgid, start_time, NULL);
	rcu_read_unlock();
	return err;
}

static struct tcpk_proc *proc_of(struct task_struct *t)
{
	struct tcpk_proc *p;

	rcu_read_lock();
	p = tcpk_proc_of(t);
	rcu_read_unlock();
	return p;
}

/* --- agent names and workspaces ------------------------------------------- */

struct check_case {
	const char *text;
	bool ok;
};

static const struct check_case name_cases[] = {
	{ "a", true },
	{ "claude-code", true },
	{ "Agent_1.2-x", true },
	{ "0123456789012345678901234567890", true },	/* 31 bytes */
	{ "01234567890123456789012345678901", false },	/* 32 bytes */
	{ "", false },
	{ "with space", false },
	{ "slash/", false },
	{ "tab\t", false },
	{ "new\nline", false },
	{ "caf\xc3\xa9", false },	/* UTF-8: the kernel's ctype calls it a letter */
	{ "star*", false },
	{ "colon:", false },
};

static void check_case_desc(const struct check_case *c, char *desc)
{
	size_t i;

	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->text);
	/* Printable in the KTAP. */
	for (i = 0; desc[i]; i++)
		if ((u8)desc[i] < ' ' || (u8)desc[i] >= 127)
			desc[i] = '?';
}

KUNIT_ARRAY_PARAM(name, name_cases, check_case_desc);

static void tcpk_proc_test_agent_name(struct kunit *test)
{
	const struct check_case *c = test->param_value;
	const char *errmsg = NULL;
	struct tcpk_agent *agent;

	agent = tcpk_agent_create(c->text, NULL, &errmsg);
	if (c->ok) {
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, agent);
		KUNIT_EXPECT_STREQ(test, agent->name, c->text);
		KUNIT_EXPECT_NULL(test, agent->workspace);
		KUNIT_EXPECT_EQ(test, refcount_read(&agent->ref), 1);
		tcpk_agent_put(agent);
	} else {
		KUNIT_EXPECT_EQ(test, PTR_ERR(agent), -EINVAL);
		KUNIT_EXPECT_NOT_NULL(test, errmsg);
	}
}

static const struct check_case workspace_cases[] = {
	{ "/", true },
	{ "/home/user/project", true },
	{ "/a", true },
	{ "/.hidden/..dots/...", true },
	{ "/with space/x", true },
	{ "", false },
	{ "relative/path", false },
	{ "./x", false },
	{ "/home/", false },
	{ "//", false },
	{ "//home", false },
	{ "/home//user", false },
	{ "/home/./user", false },
	{ "/home/../etc", false },
	{ "/home/..", false },
	{ "/.", false },
	{ "/..", false },
};

KUNIT_ARRAY_PARAM(workspace, workspace_cases, check_case_desc);

static void tcpk_proc_test_agent_workspace(struct kunit *test)
{
	const struct check_case *c = test->param_value;
	const char *errmsg = NULL;
	struct tcpk_agent *agent;

	agent = tcpk_agent_create("w", c->text, &errmsg);
	if (c->ok) {
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, agent);
		KUNIT_EXPECT_STREQ(test, agent->workspace, c->text);
		/* A copy, not the caller's string. */
		KUNIT_EXPECT_PTR_NE(test, (const char *)agent->workspace,
				    c->text);
		tcpk_agent_put(agent);
	} else {
		KUNIT_EXPECT_EQ(test, PTR_ERR(agent), -EINVAL);
		KUNIT_EXPECT_NOT_NULL(test, errmsg);
	}
}

/* Workspaces of TCPK_PATH_MAX - 1 bytes fit; TCPK_PATH_MAX do not. */
static void tcpk_proc_test_workspace_length(struct kunit *test)
{
	const char *errmsg = NULL;
	struct tcpk_agent *agent;
	char *ws;
	int i;

	ws = kunit_kzalloc(test, TCPK_PATH_MAX + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ws);
	for (i = 0; i < TCPK_PATH_MAX - 1; i++)
		ws[i] = i % 8 ? 'x' : '/';
	agent = tcpk_agent_create("long", ws, &errmsg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, agent);
	KUNIT_EXPECT_EQ(test, strlen(agent->workspace), TCPK_PATH_MAX - 1);
	tcpk_agent_put(agent);

	ws[TCPK_PATH_MAX - 1] = 'x';
	agent = tcpk_agent_create("long", ws, &errmsg);
	KUNIT_EXPECT_EQ(test, PTR_ERR(agent), -EINVAL);
	KUNIT_EXPECT_STREQ(test, errmsg, "workspace path too long");
}

/* --- agent start ----------------------------------------------------------- */

static void tcpk_proc_test_start_relabel(struct kunit *test)
{
	struct proc_test_ctx *ctx = test->priv;
	struct tcpk_proc_stats st0, st1;
	const char *errmsg = NULL;
	struct tcpk_agent *agent;
	u64 s1 = 0, s2 = 0, s3 = 0;

	start_kthreads(test);
	tcpk_proc_stats_sum(&st0);

	KUNIT_EXPECT_NULL(test, agent_of(current));
	KUNIT_ASSERT_EQ(test, tcpk_agent_start(current, "first", "/tmp", &s1,
					       &errmsg), 0);
	KUNIT_EXPECT_NE(test, s1, 0);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.agent_starts, 1);
	agent = agent_of(current);
	KUNIT_ASSERT_NOT_NULL(test, agent);
	KUNIT_EXPECT_STREQ(test, agent->name, "first");
	KUNIT_EXPECT_STREQ(test, agent->workspace, "/tmp");
	KUNIT_EXPECT_EQ(test, agent->session, s1);
	/* The entry's reference only; the start's own one is dropped. */
	KUNIT_EXPECT_EQ(test, refcount_read(&agent->ref), 1);

	/* Neither the same name nor another one: an agent keeps its label. */
	errmsg = NULL;
	KUNIT_EXPECT_EQ(test, tcpk_agent_start(current, "first", NULL, &s2,
					       &errmsg), -EPERM);
	KUNIT_EXPECT_STREQ(test, errmsg, "already labelled as an agent");
	KUNIT_EXPECT_EQ(test, tcpk_agent_start(current, "other", NULL, &s2,
					       &errmsg), -EPERM);
	KUNIT_EXPECT_EQ(test, s2, 0);
	KUNIT_EXPECT_PTR_EQ(test, agent_of(current), agent);
	KUNIT_EXPECT_STREQ(test, agent_of(current)->name, "first");
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.agent_starts, 1);

	/* A bad name is refused before anything else. */
	KUNIT_EXPECT_EQ(test, tcpk_agent_start(current, "bad name", NULL, &s2,
					       &errmsg), -EINVAL);

	/* Another process starts another session, with a later id. */
	KUNIT_ASSERT_EQ(test, tcpk_agent_start(ctx->kthreads[0], "second", NULL,
					       &s3, &errmsg), 0);
	KUNIT_EXPECT_GT(test, s3, s1);
	agent = agent_of(ctx->kthreads[0]);
	KUNIT_ASSERT_NOT_NULL(test, agent);
	KUNIT_EXPECT_STREQ(test, agent->name, "second");
	KUNIT_EXPECT_NULL(test, agent->workspace);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.agent_starts, 2);

	tcpk_proc_stats_sum(&st1);
	KUNIT_EXPECT_EQ(test, st1.labels - st0.labels, 2);
	KUNIT_EXPECT_EQ(test, st1.labels_lost - st0.labels_lost, 0);
	KUNIT_EXPECT_EQ(test, st1.entries - st0.entries, 2);
}

/* An entry made by a decision (unlabelled) can still be labelled once. */
static void tcpk_proc_test_start_on_unlabelled_entry(struct kunit *test)
{
	struct tcpk_request req = { .op = TCPK_OP_OPEN, .path = "/x" };
	struct tcpk_decision d = { .rule_id = 7 };
	const char *errmsg = NULL;
	u64 s = 0, n0;

	req.pid = current->tgid;
	n0 = entries();
	tcpk_proc_record(&req, &d);
	KUNIT_ASSERT_EQ(test, entries(), n0 + 1);
	KUNIT_EXPECT_NULL(test, agent_of(current));
	KUNIT_ASSERT_EQ(test, tcpk_agent_start(current, "late", NULL, &s,
					       &errmsg), 0);
	KUNIT_EXPECT_EQ(test, entries(), n0 + 1);
	KUNIT_EXPECT_EQ(test, agent_of(current)->session, s);
}

/* --- sessions and entries ----------------------------------------------------- */

static void tcpk_proc_test_session_refs(struct kunit *test)
{
	struct tcpk_proc_stats st0, st1;
	struct tcpk_agent *agent;
	struct tcpk_proc *p;
	int i;

	tcpk_proc_stats_sum(&st0);
	agent = new_agent(test, "refs");
	/* Our reference, plus the first process's. */
	refcount_inc(&agent->ref);
	KUNIT_ASSERT_EQ(test, tcpk_proc_label(FAKE_TGID, 100, NULL, agent, 100,
					      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, refcount_read(&agent->ref), 2);

	/* Two children, as the fork probe labels them. */
	for (i = 1; i <= 2; i++)
		KUNIT_EXPECT_EQ(test, inherit(agent, FAKE_TGID + i, 100 + i), 0);
	KUNIT_EXPECT_EQ(test, refcount_read(&agent->ref), 4);
	tcpk_proc_stats_sum(&st1);
	KUNIT_EXPECT_EQ(test, st1.labels - st0.labels, 2);
	KUNIT_EXPECT_EQ(test, st1.entries - st0.entries, 3);

	p = find(FAKE_TGID + 2, 102);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_PTR_EQ(test, rcu_access_pointer(p->agent), agent);

	/* Exits drop the references after a grace period. */
	tcpk_proc_remove(FAKE_TGID);
	tcpk_proc_remove(FAKE_TGID + 1);
	tcpk_proc_remove(FAKE_TGID + 1);	/* twice: no effect */
	KUNIT_EXPECT_EQ(test, entries(), st0.entries + 1);
	rcu_barrier();
	KUNIT_EXPECT_EQ(test, refcount_read(&agent->ref), 2);
	tcpk_proc_remove(FAKE_TGID + 2);
	rcu_barrier();
	KUNIT_EXPECT_EQ(test, refcount_read(&agent->ref), 1);
	KUNIT_EXPECT_EQ(test, entries(), st0.entries);
	/* The last reference frees it (kmemleak would see a leak). */
	tcpk_agent_put(agent);
}

static void tcpk_proc_test_stale(struct kunit *test)
{
	struct tcpk_agent *agent;
	struct tcpk_proc *p, *q;
	u64 n0 = entries();

	agent = new_agent(test, "stale");
	refcount_inc(&agent->ref);
	KUNIT_ASSERT_EQ(test, tcpk_proc_label(FAKE_TGID, 1000, NULL, agent,
					      1000, GFP_KERNEL), 0);
	p = find(FAKE_TGID, 1000);
	KUNIT_EXPECT_NOT_NULL(test, p);
	/* Same pid, another start time: a recycled pid sees nothing. */
	KUNIT_EXPECT_NULL(test, find(FAKE_TGID, 2000));

	/* The new process's entry replaces the stale one. */
	q = get(FAKE_TGID, 2000);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(q));
	KUNIT_EXPECT_PTR_NE(test, q, p);
	KUNIT_EXPECT_NULL(test, find(FAKE_TGID, 1000));
	KUNIT_EXPECT_PTR_EQ(test, find(FAKE_TGID, 2000), q);
	/* It does not inherit the old process's label. */
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(q->agent));
	/* Found again, not created twice. */
	KUNIT_EXPECT_PTR_EQ(test, get(FAKE_TGID, 2000), q);
	KUNIT_EXPECT_EQ(test, entries(), n0 + 1);

	/* The stale entry was freed and its reference dropped. */
	rcu_barrier();
	KUNIT_EXPECT_EQ(test, refcount_read(&agent->ref), 1);

	/* A stale entry can be labelled over too. */
	refcount_inc(&agent->ref);
	KUNIT_EXPECT_EQ(test, tcpk_proc_label(FAKE_TGID, 3000, NULL, agent,
					      3000, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, entries(), n0 + 1);
	/* But a live entry with a label cannot be labelled again. */
	refcount_inc(&agent->ref);
	KUNIT_EXPECT_EQ(test, tcpk_proc_label(FAKE_TGID, 3000, NULL, agent,
					      3000, GFP_KERNEL), -EPERM);
	tcpk_agent_put(agent);
	tcpk_agent_put(agent);
}

/* Stale entries of live pids: quarantine and history ignore them. */
static void tcpk_proc_test_stale_live_pid(struct kunit *test)
{
	struct tcpk_proc *p, *by_pid;
	u32 tgid = current->tgid;

	p = get(tgid, current->start_time + 1);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(p));
	WRITE_ONCE(p->quarantined, true);
	KUNIT_EXPECT_NULL(test, proc_of(current));
	rcu_read_lock();
	by_pid = tcpk_proc_find_pid(tgid);
	rcu_read_unlock();
	KUNIT_EXPECT_NULL(test, by_pid);
	KUNIT_EXPECT_FALSE(test, tcpk_proc_quarantined(tgid));
	KUNIT_EXPECT_EQ(test, tcpk_proc_history(tgid, NULL, NULL), -ENOENT);

	/* Quarantining the live process replaces the stale entry. */
	tcpk_proc_quarantine(tgid);
	KUNIT_EXPECT_TRUE(test, tcpk_proc_quarantined(tgid));
	KUNIT_EXPECT_NOT_NULL(test, proc_of(current));
}

/* --- history ------------------------------------------------------------------ */

struct history_sink {
	unsigned int n;
	unsigned int stop_at;
	struct tcpk_history_entry e[TCPK_HISTORY_LEN + 1];
};

static int history_fill(const struct tcpk_history_entry *e, void *arg)
{
	struct history_sink *s = arg;

	if (s->n == s->stop_at)
		return -EMSGSIZE;
	if (s->n < ARRAY_SIZE(s->e))
		s->e[s->n] = *e;
	s->n++;
	return 0;
}

static void tcpk_proc_test_history_ring(struct kunit *test)
{
	struct tcpk_history_entry *out;
	struct tcpk_decision d = {};
	char path[32], *longpath;
	struct tcpk_proc *p;
	unsigned int i, n;

	out = kunit_kcalloc(test, TCPK_HISTORY_LEN, sizeof(*out), GFP_KERNEL);
	longpath = kunit_kzalloc(test, 300, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_NOT_NULL(test, longpath);

	p = get(FAKE_TGID, 1);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(p));
	/* No history allocated until the first decision. */
	KUNIT_EXPECT_NULL(test, p->hist);
	KUNIT_EXPECT_EQ(test, tcpk_proc_history_copy(p, out), 0);

	for (i = 0; i < 3; i++) {
		d.rule_id = i;
		snprintf(path, sizeof(path), "/p/%u", i);
		tcpk_proc_add_history(p, 1000 + i, i % __TCPK_OP_MAX, &d, path);
	}
	n = tcpk_proc_history_copy(p, out);
	KUNIT_ASSERT_EQ(test, n, 3);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/p/%u", i);
		KUNIT_EXPECT_EQ(test, out[i].d.rule_id, i);
		KUNIT_EXPECT_EQ(test, out[i].time, 1000 + i);
		KUNIT_EXPECT_STREQ(test, out[i].path, path);
	}

	/* 40 in all: the ring holds the last 16, oldest first. */
	for (i = 3; i < 40; i++) {
		d.rule_id = i;
		snprintf(path, sizeof(path), "/p/%u", i);
		tcpk_proc_add_history(p, 1000 + i, i % __TCPK_OP_MAX, &d,
				      i == 39 ? NULL : path);
	}
	n = tcpk_proc_history_copy(p, out);
	KUNIT_ASSERT_EQ(test, n, TCPK_HISTORY_LEN);
	for (i = 0; i < n; i++) {
		u32 want = 40 - TCPK_HISTORY_LEN + i;

		KUNIT_EXPECT_EQ(test, out[i].d.rule_id, want);
		KUNIT_EXPECT_EQ(test, out[i].op, want % __TCPK_OP_MAX);
		KUNIT_EXPECT_EQ(test, out[i].time, 1000 + want);
	}
	/* No path: empty. */
	KUNIT_EXPECT_STREQ(test, out[n - 1].path, "");

	/* A long path is cut to what fits. */
	memset(longpath, 'a', 299);
	longpath[0] = '/';
	tcpk_proc_add_history(p, 2000, 0, &d, longpath);
	n = tcpk_proc_history_copy(p, out);
	KUNIT_EXPECT_EQ(test, strlen(out[n - 1].path),
			sizeof(out[n - 1].path) - 1);
	KUNIT_EXPECT_EQ(test, memcmp(out[n - 1].path, longpath,
				     sizeof(out[n - 1].path) - 1), 0);
	KUNIT_EXPECT_EQ(test, out[0].d.rule_id, 40 - TCPK_HISTORY_LEN + 1);
}

/* The public path: decisions about a live process, and its history. */
static void tcpk_proc_test_record(struct kunit *test)
{
	struct tcpk_request req = { .op = TCPK_OP_UNLINK, .path = "/etc/x" };
	struct tcpk_decision d = { .verdict = 1, .action = 3 };
	struct history_sink *s;
	u64 n0 = entries(), t0;
	u32 tgid = current->tgid;
	unsigned int i;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	s->stop_at = UINT_MAX;

	KUNIT_EXPECT_EQ(test, tcpk_proc_history(tgid, history_fill, s),
			-ENOENT);
	/* Hypothetical (pid 0) and dead pids leave no trace. */
	tcpk_proc_record(&req, &d);
	req.pid = FAKE_TGID;
	tcpk_proc_record(&req, &d);
	KUNIT_EXPECT_EQ(test, entries(), n0);

	t0 = ktime_get_boottime_ns();
	req.pid = tgid;
	for (i = 0; i < 5; i++) {
		d.rule_id = 10 + i;
		tcpk_proc_record(&req, &d);
	}
	KUNIT_EXPECT_EQ(test, entries(), n0 + 1);
	KUNIT_EXPECT_EQ(test, tcpk_proc_history(tgid, history_fill, s), 0);
	KUNIT_ASSERT_EQ(test, s->n, 5);
	for (i = 0; i < 5; i++) {
		KUNIT_EXPECT_EQ(test, s->e[i].d.rule_id, 10 + i);
		KUNIT_EXPECT_EQ(test, s->e[i].d.verdict, 1);
		KUNIT_EXPECT_EQ(test, s->e[i].op, TCPK_OP_UNLINK);
		KUNIT_EXPECT_STREQ(test, s->e[i].path, "/etc/x");
		KUNIT_EXPECT_GE(test, s->e[i].time, t0);
		if (i)
			KUNIT_EXPECT_GE(test, s->e[i].time, s->e[i - 1].time);
	}

	/* A fill error stops the walk and is returned. */
	memset(s, 0, sizeof(*s));
	s->stop_at = 2;
	KUNIT_EXPECT_EQ(test, tcpk_proc_history(tgid, history_fill, s),
			-EMSGSIZE);
	KUNIT_EXPECT_EQ(test, s->n, 2);
	KUNIT_EXPECT_EQ(test, s->e[1].d.rule_id, 11);
}

/* --- files written by a session ------------------------------------------------- */

static void tcpk_proc_test_written(struct kunit *test)
{
	struct tcpk_agent *agent = new_agent(test, "writer");
	u64 k;

	KUNIT_EXPECT_FALSE(test, tcpk_agent_wrote(agent, 1));
	for (k = 1; k <= TCPK_AGENT_WRITTEN_MAX; k++)
		tcpk_agent_note_written(agent, k);
	for (k = 1; k <= TCPK_AGENT_WRITTEN_MAX; k++)
		KUNIT_EXPECT_TRUE(test, tcpk_agent_wrote(agent, k));
	KUNIT_EXPECT_FALSE(test, tcpk_agent_wrote(agent, k));

	/* Noting a key already there does not push another out. */
	tcpk_agent_note_written(agent, 5);
	KUNIT_EXPECT_TRUE(test, tcpk_agent_wrote(agent, 1));

	/* One more: the oldest goes. */
	tcpk_agent_note_written(agent, 1000);
	KUNIT_EXPECT_TRUE(test, tcpk_agent_wrote(agent, 1000));
	KUNIT_EXPECT_FALSE(test, tcpk_agent_wrote(agent, 1));
	KUNIT_EXPECT_TRUE(test, tcpk_agent_wrote(agent, 2));
	KUNIT_EXPECT_TRUE(test, tcpk_agent_wrote(agent, TCPK_AGENT_WRITTEN_MAX));

	/* A whole second round replaces every key. */
	for (k = 2001; k <= 2000 + TCPK_AGENT_WRITTEN_MAX; k++)
		tcpk_agent_note_written(agent, k);
	for (k = 1; k <= TCPK_AGENT_WRITTEN_MAX; k++)
		KUNIT_EXPECT_FALSE(test, tcpk_agent_wrote(agent, k));
	KUNIT_EXPECT_FALSE(test, tcpk_agent_wrote(agent, 1000));
	KUNIT_EXPECT_TRUE(test, tcpk_agent_wrote(agent, 2001));

	/* 0 is no key; no session wrote nothing. */
	tcpk_agent_note_written(agent, 0);
	KUNIT_EXPECT_FALSE(test, tcpk_agent_wrote(agent, 0));
	KUNIT_EXPECT_TRUE(test, tcpk_agent_wrote(agent, 2001));
	KUNIT_EXPECT_FALSE(test, tcpk_agent_wrote(NULL, 2001));
	tcpk_agent_note_written(NULL, 1);
	tcpk_agent_put(agent);
}

/* --- quarantine ----------------------------------------------------------------- */

static void tcpk_proc_test_quarantine(struct kunit *test)
{
	struct proc_test_ctx *ctx = test->priv;
	u32 tgid = current->tgid;
	u64 n0 = entries();

	start_kthreads(test);
	KUNIT_EXPECT_FALSE(test, tcpk_proc_quarantined(tgid));
	tcpk_proc_quarantine(tgid);
	KUNIT_EXPECT_TRUE(test, tcpk_proc_quarantined(tgid));
	KUNIT_EXPECT_EQ(test, entries(), n0 + 1);
	/* Once more: same entry. */
	tcpk_proc_quarantine(tgid);
	KUNIT_EXPECT_EQ(test, entries(), n0 + 1);
	/* Nobody else. */
	KUNIT_EXPECT_FALSE(test, tcpk_proc_quarantined(ctx->kthreads[0]->tgid));
	KUNIT_EXPECT_FALSE(test, tcpk_proc_quarantined(0));
	/* No process: nothing. */
	tcpk_proc_quarantine(FAKE_TGID);
	KUNIT_EXPECT_FALSE(test, tcpk_proc_quarantined(FAKE_TGID));
	KUNIT_EXPECT_EQ(test, entries(), n0 + 1);
	/* A quarantined process keeps its label, and the reverse. */
	KUNIT_EXPECT_NULL(test, agent_of(current));
	/* Released once: not quarantined, entry kept; again: -ENOENT. */
	KUNIT_EXPECT_EQ(test, tcpk_proc_release(tgid), 0);
	KUNIT_EXPECT_FALSE(test, tcpk_proc_quarantined(tgid));
	KUNIT_EXPECT_EQ(test, entries(), n0 + 1);
	KUNIT_EXPECT_EQ(test, tcpk_proc_release(tgid), -ENOENT);
	/* Quarantined again after a release. */
	tcpk_proc_quarantine(tgid);
	KUNIT_EXPECT_TRUE(test, tcpk_proc_quarantined(tgid));
	/* Untracked, never quarantined, or no process: -ENOENT. */
	KUNIT_EXPECT_EQ(test, tcpk_proc_release(ctx->kthreads[0]->tgid),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, tcpk_proc_release(FAKE_TGID), -ENOENT);
	KUNIT_EXPECT_EQ(test, tcpk_proc_release(0), -ENOENT);
	tcpk_proc_remove(tgid);
	KUNIT_EXPECT_FALSE(test, tcpk_proc_quarantined(tgid));
	KUNIT_EXPECT_EQ(test, tcpk_proc_release(tgid), -ENOENT);
}

/* --- max_procs ------------------------------------------------------------------ */

/*
 * A score that keeps an entry from eviction for the whole test: scores
 * decay (score_half_life_ms), and a score of 1 set at one millisecond is
 * 0 at the next, which made these cases fail on a slow guest.  100 takes
 * seven half-lives to reach 0.
 */
#define SCORE_KEPT	100

static void tcpk_proc_test_max_procs(struct kunit *test)
{
	struct tcpk_proc_stats st0, st1;
	struct tcpk_agent *agent;
	struct tcpk_proc *p;
	const char *errmsg;
	u64 s;
	int i;

	tcpk_proc_stats_sum(&st0);
	agent = new_agent(test, "limit");
	max_procs = st0.entries + 3;

	/* The first process and two children fit; the third child not. */
	refcount_inc(&agent->ref);
	KUNIT_ASSERT_EQ(test, tcpk_proc_label(FAKE_TGID, 1, NULL, agent, 1,
					      GFP_KERNEL), 0);
	for (i = 1; i <= 3; i++)
		KUNIT_EXPECT_EQ(test, inherit(agent, FAKE_TGID + i, 1 + i),
				i <= 2 ? 0 : -ENOSPC);
	/* Nor does a new entry for a decision. */
	p = get(FAKE_TGID + 10, 1);
	KUNIT_EXPECT_EQ(test, PTR_ERR(p), -ENOSPC);
	/* Replacing a stale entry needs no room. */
	p = get(FAKE_TGID + 1, 99);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(p));
	/*
	 * A score keeps it from eviction (the evict case tests that).  Not
	 * 1: it decays, and 1 is 0 one millisecond later.
	 */
	tcpk_features_score_set(&p->feat, SCORE_KEPT, ktime_get_coarse_ns());

	tcpk_proc_stats_sum(&st1);
	KUNIT_EXPECT_EQ(test, st1.entries, (u64)max_procs);
	KUNIT_EXPECT_EQ(test, st1.labels - st0.labels, 2);
	KUNIT_EXPECT_EQ(test, st1.labels_lost - st0.labels_lost, 1);

	/* An agent start is refused with a message. */
	errmsg = NULL;
	KUNIT_EXPECT_EQ(test, tcpk_agent_start(current, "full", NULL, &s,
					       &errmsg), -ENOSPC);
	KUNIT_EXPECT_NOT_NULL(test, errmsg);

	/* Room again after an exit. */
	tcpk_proc_remove(FAKE_TGID + 2);
	KUNIT_EXPECT_EQ(test, inherit(agent, FAKE_TGID + 3, 4), 0);
	tcpk_proc_stats_sum(&st1);
	KUNIT_EXPECT_EQ(test, st1.labels - st0.labels, 3);
	KUNIT_EXPECT_EQ(test, st1.labels_lost - st0.labels_lost, 1);
	tcpk_agent_put(agent);
}

/* --- eviction and memory ---------------------------------------------------------- */

/* Whether (@tgid, @start_time) has an entry. */
static bool present(u32 tgid, u64 start_time)
{
	bool ret;

	rcu_read_lock();
	ret = tcpk_proc_find(tgid, start_time);
	rcu_read_unlock();
	return ret;
}

static void tcpk_proc_test_evict(struct kunit *test)
{
	struct tcpk_proc_stats st0, st1;
	struct tcpk_agent *agent;
	struct tcpk_proc *p;
	struct tcpk_decision d = {};
	u64 now = ktime_get_coarse_ns();

	tcpk_proc_stats_sum(&st0);
	KUNIT_ASSERT_EQ(test, st0.entries, 0);
	agent = new_agent(test, "evict");
	max_procs = 4;

	/* Labelled, quarantined, scored: kept; FAKE_TGID + 1: evictable. */
	refcount_inc(&agent->ref);
	KUNIT_ASSERT_EQ(test, tcpk_proc_label(FAKE_TGID, 1, NULL, agent, 1,
					      GFP_KERNEL), 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(get(FAKE_TGID + 1, 1)));
	p = get(FAKE_TGID + 2, 1);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(p));
	WRITE_ONCE(p->quarantined, true);
	p = get(FAKE_TGID + 3, 1);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(p));
	tcpk_features_score_set(&p->feat, 500, now);
	tcpk_proc_stats_sum(&st1);
	KUNIT_EXPECT_EQ(test, st1.entries, 4);
	KUNIT_EXPECT_EQ(test, st1.bytes - st0.bytes, 4 * ksize(p));
	kunit_info(test, "an entry takes %zu bytes (struct tcpk_proc: %zu)\n",
		   ksize(p), sizeof(*p));

	/* Full: a new entry takes the evictable one's place. */
	KUNIT_EXPECT_FALSE(test, IS_ERR_OR_NULL(get(FAKE_TGID + 10, 1)));
	KUNIT_EXPECT_FALSE(test, present(FAKE_TGID + 1, 1));
	tcpk_proc_stats_sum(&st1);
	KUNIT_EXPECT_EQ(test, st1.entries, 4);
	KUNIT_EXPECT_EQ(test, st1.evicted - st0.evicted, 1);
	/* The next, that of the new one (the only one evictable). */
	p = get(FAKE_TGID + 11, 1);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(p));
	KUNIT_EXPECT_FALSE(test, present(FAKE_TGID + 10, 1));
	tcpk_proc_stats_sum(&st1);
	KUNIT_EXPECT_EQ(test, st1.evicted - st0.evicted, 2);

	/* A score keeps it: nothing evictable, new entries refused. */
	tcpk_features_score_set(&p->feat, SCORE_KEPT, ktime_get_coarse_ns());
	KUNIT_EXPECT_EQ(test, PTR_ERR(get(FAKE_TGID + 12, 1)), -ENOSPC);
	KUNIT_EXPECT_EQ(test, inherit(agent, FAKE_TGID + 13, 1), -ENOSPC);
	tcpk_proc_stats_sum(&st1);
	KUNIT_EXPECT_EQ(test, st1.evicted - st0.evicted, 2);
	KUNIT_EXPECT_EQ(test, st1.labels_lost - st0.labels_lost, 1);
	KUNIT_EXPECT_TRUE(test, present(FAKE_TGID, 1));
	KUNIT_EXPECT_TRUE(test, present(FAKE_TGID + 2, 1));
	KUNIT_EXPECT_TRUE(test, present(FAKE_TGID + 3, 1));
	KUNIT_EXPECT_TRUE(test, present(FAKE_TGID + 11, 1));

	/* A history adds its own allocation to the bytes. */
	tcpk_proc_stats_sum(&st0);
	rcu_read_lock();
	p = tcpk_proc_find(FAKE_TGID + 11, 1);
	if (p)
		tcpk_proc_add_history(p, now, TCPK_OP_OPEN, &d, "/x");
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, p);
	tcpk_proc_stats_sum(&st1);
	KUNIT_EXPECT_GE(test, st1.bytes - st0.bytes,
			TCPK_HISTORY_LEN * sizeof(struct tcpk_history_entry));
	kunit_info(test, "a history of %d decisions takes %llu bytes\n",
		   TCPK_HISTORY_LEN, st1.bytes - st0.bytes);

	/* Everything freed: no bytes left. */
	tcpk_proc_flush();
	tcpk_proc_stats_sum(&st1);
	KUNIT_EXPECT_EQ(test, st1.entries, 0);
	KUNIT_EXPECT_EQ(test, st1.bytes, 0);
	tcpk_agent_put(agent);
}

/* --- inheritance through ancestors ------------------------------------------------ */

static void tcpk_proc_test_ancestor_fallback(struct kunit *test)
{
	struct task_struct *parent;
	struct tcpk_agent *agent;
	const char *errmsg;
	u64 s;

	rcu_read_lock();
	parent = rcu_dereference(current->real_parent);
	get_task_struct(parent);
	rcu_read_unlock();
	if (!parent->pid) {
		put_task_struct(parent);
		kunit_skip(test, "the test thread has no parent process");
	}

	/* The parent (kthreadd) labelled before this thread started. */
	agent = new_agent(test, "ancestor");
	KUNIT_ASSERT_EQ(test, tcpk_proc_label(parent->tgid, parent->start_time,
					      NULL, agent, 0, GFP_KERNEL), 0);
	KUNIT_EXPECT_PTR_EQ(test, agent_of(parent), agent);

	/* No label was ever lost: no walk, no label. */
	atomic64_set(&tcpk_proc_labels_lost, 0);
	KUNIT_EXPECT_NULL(test, agent_of(current));
	KUNIT_EXPECT_EQ(test, tcpk_target_scope(parent, current),
			TCPK_SCOPE_OUTSIDE);

	/* After a loss, the child finds its parent's label. */
	atomic64_set(&tcpk_proc_labels_lost, 1);
	KUNIT_EXPECT_PTR_EQ(test, agent_of(current), agent);
	KUNIT_EXPECT_EQ(test, tcpk_target_scope(parent, current),
			TCPK_SCOPE_INSIDE);
	/* And may not start an agent of its own. */
	errmsg = NULL;
	KUNIT_EXPECT_EQ(test, tcpk_agent_start(current, "escape", NULL, &s,
					       &errmsg), -EPERM);
	KUNIT_EXPECT_NOT_NULL(test, errmsg);

	/* A label given after the child started does not reach it. */
	tcpk_proc_remove(parent->tgid);
	agent = new_agent(test, "later");
	KUNIT_ASSERT_EQ(test, tcpk_proc_label(parent->tgid, parent->start_time,
					      NULL, agent, ktime_get_ns(),
					      GFP_KERNEL), 0);
	KUNIT_EXPECT_PTR_EQ(test, agent_of(parent), agent);
	KUNIT_EXPECT_NULL(test, agent_of(current));

	tcpk_proc_remove(parent->tgid);
	put_task_struct(parent);
}

/* --- target scope ----------------------------------------------------------------- */

static void tcpk_proc_test_scope_of(struct kunit *test)
{
	struct tcpk_agent *a = new_agent(test, "a"), *b = new_agent(test, "b");
	struct tcpk_agent *a2 = new_agent(test, "a");

	KUNIT_EXPECT_EQ(test, tcpk_scope_of(NULL, NULL), TCPK_SCOPE_ANY);
	KUNIT_EXPECT_EQ(test, tcpk_scope_of(NULL, a), TCPK_SCOPE_ANY);
	KUNIT_EXPECT_EQ(test, tcpk_scope_of(a, a), TCPK_SCOPE_INSIDE);
	KUNIT_EXPECT_EQ(test, tcpk_scope_of(a, NULL), TCPK_SCOPE_OUTSIDE);
	KUNIT_EXPECT_EQ(test, tcpk_scope_of(a, b), TCPK_SCOPE_OUTSIDE);
	/* Same name, another session: outside. */
	KUNIT_EXPECT_EQ(test, tcpk_scope_of(a, a2), TCPK_SCOPE_OUTSIDE);
	tcpk_agent_put(a);
	tcpk_agent_put(b);
	tcpk_agent_put(a2);
}

static void tcpk_proc_test_target_scope(struct kunit *test)
{
	struct proc_test_ctx *ctx = test->priv;
	struct task_struct **k = ctx->kthreads;
	struct tcpk_agent *a, *b;

	start_kthreads(test);
	a = new_agent(test, "a");
	b = new_agent(test, "b");
	KUNIT_ASSERT_EQ(test, label_task(k[0], a), 0);
	KUNIT_ASSERT_EQ(test, label_task(k[1], a), 0);
	KUNIT_ASSERT_EQ(test, label_task(k[2], b), 0);

	KUNIT_EXPECT_EQ(test, tcpk_target_scope(k[0], k[1]), TCPK_SCOPE_INSIDE);
	KUNIT_EXPECT_EQ(test, tcpk_target_scope(k[1], k[0]), TCPK_SCOPE_INSIDE);
	KUNIT_EXPECT_EQ(test, tcpk_target_scope(k[0], k[0]), TCPK_SCOPE_INSIDE);
	KUNIT_EXPECT_EQ(test, tcpk_target_scope(k[0], k[2]), TCPK_SCOPE_OUTSIDE);
	KUNIT_EXPECT_EQ(test, tcpk_target_scope(k[2], k[1]), TCPK_SCOPE_OUTSIDE);
	KUNIT_EXPECT_EQ(test, tcpk_target_scope(k[0], current),
			TCPK_SCOPE_OUTSIDE);
	KUNIT_EXPECT_EQ(test, tcpk_target_scope(current, k[0]), TCPK_SCOPE_ANY);
	KUNIT_EXPECT_EQ(test, tcpk_target_scope(current, current),
			TCPK_SCOPE_ANY);
	tcpk_agent_put(a);
	tcpk_agent_put(b);
}

/* --- walking the labelled processes ------------------------------------------------ */

struct walk_sink {
	unsigned int n;
	unsigned int stop_at;
	u32 pid[8];
	u64 session[8];
	char comm[8][TASK_COMM_LEN];
};

static int walk_fill(u32 pid, const char *comm, const struct tcpk_agent *agent,
		     void *arg)
{
	struct walk_sink *s = arg;

	if (s->n == s->stop_at)
		return -EMSGSIZE;
	if (s->n < ARRAY_SIZE(s->pid)) {
		s->pid[s->n] = pid;
		s->session[s->n] = agent->session;
		strscpy(s->comm[s->n], comm, TASK_COMM_LEN);
	}
	s->n++;
	return 0;
}

static void tcpk_proc_test_walk(struct kunit *test)
{
	struct proc_test_ctx *ctx = test->priv;
	struct task_struct **k = ctx->kthreads;
	struct task_struct *sorted[TEST_KTHREADS], *t;
	struct tcpk_agent *a, *b;
	struct walk_sink *s;
	unsigned long pos = 0;
	char comm[TASK_COMM_LEN];
	int i, j;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	s->stop_at = UINT_MAX;
	start_kthreads(test);
	a = new_agent(test, "a");
	b = new_agent(test, "b");

	KUNIT_EXPECT_EQ(test, tcpk_agent_walk(&pos, walk_fill, s), 0);
	KUNIT_EXPECT_EQ(test, s->n, 0);

	KUNIT_ASSERT_EQ(test, label_task(k[0], a), 0);
	KUNIT_ASSERT_EQ(test, label_task(k[1], b), 0);
	KUNIT_ASSERT_EQ(test, label_task(k[2], a), 0);
	/* Not visited: an unlabelled entry, a labelled one of no process. */
	tcpk_proc_quarantine(current->tgid);
	refcount_inc(&a->ref);
	KUNIT_ASSERT_EQ(test, tcpk_proc_label(FAKE_TGID, 1, NULL, a, 1,
					      GFP_KERNEL), 0);

	/* Visited in tgid order. */
	memcpy(sorted, k, sizeof(sorted));
	for (i = 0; i < TEST_KTHREADS; i++)
		for (j = i + 1; j < TEST_KTHREADS; j++)
			if (sorted[j]->tgid < sorted[i]->tgid)
				swap(sorted[i], sorted[j]);

	pos = 0;
	KUNIT_EXPECT_EQ(test, tcpk_agent_walk(&pos, walk_fill, s), 0);
	KUNIT_ASSERT_EQ(test, s->n, TEST_KTHREADS);
	for (i = 0; i < TEST_KTHREADS; i++) {
		t = sorted[i];
		KUNIT_EXPECT_EQ(test, s->pid[i], t->tgid);
		KUNIT_EXPECT_EQ(test, s->session[i],
				t == k[1] ? b->session : a->session);
		KUNIT_EXPECT_STREQ(test, s->comm[i], __get_task_comm(comm, sizeof(comm), t));
	}
	/* Done: the next call from where it left finds nothing new. */
	memset(s, 0, sizeof(*s));
	s->stop_at = UINT_MAX;
	KUNIT_EXPECT_EQ(test, tcpk_agent_walk(&pos, walk_fill, s), 0);
	KUNIT_EXPECT_EQ(test, s->n, 0);

	/* Stopped by the second: resumes with it. */
	memset(s, 0, sizeof(*s));
	s->stop_at = 1;
	pos = 0;
	KUNIT_EXPECT_EQ(test, tcpk_agent_walk(&pos, walk_fill, s), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, pos, (unsigned long)sorted[1]->tgid);
	memset(s, 0, sizeof(*s));
	s->stop_at = UINT_MAX;
	KUNIT_EXPECT_EQ(test, tcpk_agent_walk(&pos, walk_fill, s), 0);
	KUNIT_ASSERT_EQ(test, s->n, TEST_KTHREADS - 1);
	KUNIT_EXPECT_EQ(test, s->pid[0], sorted[1]->tgid);
	KUNIT_EXPECT_EQ(test, s->pid[1], sorted[2]->tgid);

	tcpk_agent_put(a);
	tcpk_agent_put(b);
}

/* --- requests ---------------------------------------------------------------------- */

static void tcpk_proc_test_request_from_task(struct kunit *test)
{
	struct tcpk_request req = {
		.op = TCPK_OP_CONNECT, .access = 5, .path = "/obj",
		.syscall = 42, .observe = 1, .desc_flags = 9,
	};
	char comm[TASK_COMM_LEN], want[TASK_COMM_LEN];
	u64 cgroups[TCPK_CGROUP_DEPTH + 1] = {};
	unsigned int i, n = 0;
	const char *errmsg;
	struct cgroup *cgrp;
	char *exe;
	u64 s;

	exe = kunit_kzalloc(test, TCPK_PATH_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, exe);
	req.exe = "stale";
	req.agent = "stale";
	req.session = 77;

	rcu_read_lock();
	tcpk_request_from_task(&req, current, comm, exe, TCPK_PATH_MAX);
	/* Its cgroup, then each parent up to the root (one more if any). */
	for (cgrp = task_dfl_cgroup(current); cgrp && n <= TCPK_CGROUP_DEPTH;
	     cgrp = cgroup_parent(cgrp))
		cgroups[n++] = cgroup_id(cgrp);
	rcu_read_unlock();

	KUNIT_EXPECT_EQ(test, req.pid, (u32)task_tgid_nr(current));
	KUNIT_EXPECT_EQ(test, req.uid, from_kuid(&init_user_ns, current_uid()));
	KUNIT_EXPECT_EQ(test, req.gid, from_kgid(&init_user_ns, current_gid()));
	KUNIT_EXPECT_PTR_EQ(test, req.comm, (const char *)comm);
	KUNIT_EXPECT_STREQ(test, req.comm, __get_task_comm(want, sizeof(want), current));
	/* KUnit runs the case in a kernel thread: no executable. */
	KUNIT_EXPECT_TRUE(test, current->flags & PF_KTHREAD);
	KUNIT_EXPECT_NULL(test, req.exe);
	KUNIT_EXPECT_NULL(test, req.agent);
	KUNIT_EXPECT_NULL(test, req.workspace);
	KUNIT_EXPECT_EQ(test, req.session, 0);
	KUNIT_ASSERT_GE(test, n, 1);
	KUNIT_EXPECT_EQ(test, req.n_cgroups, min_t(unsigned int, n,
						   TCPK_CGROUP_DEPTH));
	for (i = 0; i < req.n_cgroups; i++)
		KUNIT_EXPECT_EQ(test, req.cgroups[i], cgroups[i]);
	/* The caller's fields are left alone. */
	KUNIT_EXPECT_EQ(test, req.op, TCPK_OP_CONNECT);
	KUNIT_EXPECT_EQ(test, req.access, 5);
	KUNIT_EXPECT_STREQ(test, req.path, "/obj");
	KUNIT_EXPECT_EQ(test, req.syscall, 42);
	KUNIT_EXPECT_EQ(test, req.observe, 1);
	KUNIT_EXPECT_EQ(test, req.desc_flags, 9);

	/* Labelled: the session's name, workspace and id. */
	KUNIT_ASSERT_EQ(test, tcpk_agent_start(current, "req", "/w", &s,
					       &errmsg), 0);
	rcu_read_lock();
	tcpk_request_from_task(&req, current, comm, exe, TCPK_PATH_MAX);
	rcu_read_unlock();
	/* The session lives on: nothing removes the entry in the case. */
	KUNIT_EXPECT_STREQ(test, req.agent, "req");
	KUNIT_EXPECT_STREQ(test, req.workspace, "/w");
	KUNIT_EXPECT_EQ(test, req.session, s);
}

static void desc_make(struct tcpk_desc *d, u32 flags)
{
	memset(d, 0, sizeof(*d));
	memcpy(d->magic, TCPK_DESC_MAGIC, 4);
	d->version = cpu_to_be16(TCPK_DESC_VERSION);
	d->cmd_hash = cpu_to_be32(0x12345678);
	d->flags = cpu_to_be32(flags);
	d->name_len = cpu_to_be16(2);
	d->check = cpu_to_be16(tcpk_desc_check(d));
}

/* The exec tracepoint's request, with the descriptor of the executable. */
static void tcpk_proc_test_exec_request(struct kunit *test)
{
	const u32 flags = BIT(TCPK_DESC_DANGEROUS_EXEC) | BIT(TCPK_DESC_HIGH_RISK);
	struct tcpk_desc_error derr = {};
	struct tcpk_desc_item *item;
	struct tcpk_request req;
	char comm[TASK_COMM_LEN];
	char *buf, *wbuf;
	const char *want;
	struct file *f;

	f = filp_open("/bin/sh", O_RDONLY, 0);
	if (IS_ERR(f))
		kunit_skip(test, "no /bin/sh (%ld)", PTR_ERR(f));
	buf = kunit_kzalloc(test, TCPK_PATH_MAX, GFP_KERNEL);
	wbuf = kunit_kzalloc(test, TCPK_PATH_MAX, GFP_KERNEL);
	item = kunit_kzalloc(test, sizeof(*item), GFP_KERNEL);
	if (!buf || !wbuf || !item) {
		fput(f);
		KUNIT_FAIL(test, "no memory");
		return;
	}
	want = d_path(&f->f_path, wbuf, TCPK_PATH_MAX);
	if (IS_ERR(want)) {
		fput(f);
		KUNIT_FAIL(test, "d_path: %ld", PTR_ERR(want));
		return;
	}
	descdb_up(test);

	memset(&req, 0xff, sizeof(req));
	rcu_read_lock();
	tcpk_exec_request(&req, current, f, comm, buf, TCPK_PATH_MAX);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, req.op, TCPK_OP_EXEC);
	KUNIT_EXPECT_EQ(test, req.pid, (u32)current->tgid);
	KUNIT_EXPECT_STREQ(test, req.path, want);
	KUNIT_EXPECT_PTR_EQ(test, req.exe, req.path);
	KUNIT_EXPECT_EQ(test, req.access, BIT(TCPK_ACCESS_EXEC));
	KUNIT_EXPECT_EQ(test, req.observe, 1);
	KUNIT_EXPECT_EQ(test, req.syscall, -1);
	KUNIT_EXPECT_EQ(test, req.target, TCPK_SCOPE_ANY);
	KUNIT_EXPECT_EQ(test, req.desc_flags, 0);
	KUNIT_EXPECT_NULL(test, req.agent);

	/* Bind a descriptor to the path: its flags come with the request. */
	desc_make(&item->desc, flags);
	item->bind.kind = TCPK_DESC_KEY_PATH;
	item->bind.path = want;
	item->bind.path_len = strlen(want);
	tcpk_desc_item_init(item);
	KUNIT_EXPECT_EQ(test, tcpk_descdb_add(item, 1, false, &derr), 0);
	rcu_read_lock();
	tcpk_exec_request(&req, current, f, comm, buf, TCPK_PATH_MAX);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, req.desc_flags, flags);
	fput(f);
}

/* --- the probes ---------------------------------------------------------------------- */

/* The exit probe removes an entry only when the whole group has exited. */
static void tcpk_proc_test_exit_probe_live(struct kunit *test)
{
	struct proc_test_ctx *ctx = test->priv;
	struct tcpk_agent *a;

	start_kthreads(test);
	a = new_agent(test, "live");
	KUNIT_ASSERT_EQ(test, label_task(ctx->kthreads[0], a), 0);
	tcpk_exit_probe(NULL, ctx->kthreads[0]);
	KUNIT_EXPECT_PTR_EQ(test, agent_of(ctx->kthreads[0]), a);
	tcpk_agent_put(a);
}

/* The fork probe labels a new group below a labelled one, and only that. */
static void tcpk_proc_test_fork_probe(struct kunit *test)
{
	struct proc_test_ctx *ctx = test->priv;
	struct task_struct **k = ctx->kthreads;
	struct tcpk_proc_stats st0, st1;
	struct tcpk_agent *a;

	start_kthreads(test);
	tcpk_proc_stats_sum(&st0);
	/* An unlabelled parent gives nothing. */
	tcpk_fork_probe(NULL, k[0], k[1]);
	KUNIT_EXPECT_NULL(test, agent_of(k[1]));

	a = new_agent(test, "fork");
	KUNIT_ASSERT_EQ(test, label_task(k[0], a), 0);
	tcpk_fork_probe(NULL, k[0], k[1]);
	KUNIT_EXPECT_PTR_EQ(test, agent_of(k[1]), a);
	KUNIT_EXPECT_NULL(test, agent_of(k[2]));
	tcpk_proc_stats_sum(&st1);
	KUNIT_EXPECT_EQ(test, st1.labels - st0.labels, 1);
	KUNIT_EXPECT_EQ(test, st1.labels_lost - st0.labels_lost, 0);

	/* Violations follow every child, of a labelled parent or not. */
	tcpk_proc_violation(k[1]->tgid);
	tcpk_proc_violation(k[1]->tgid);
	KUNIT_EXPECT_EQ(test, tcpk_proc_violations(k[1]->tgid), 2U);
	tcpk_fork_probe(NULL, k[1], k[2]);
	KUNIT_EXPECT_EQ(test, tcpk_proc_violations(k[2]->tgid), 2U);
	KUNIT_EXPECT_PTR_EQ(test, agent_of(k[2]), a);
	/* An unlabelled parent (its entry gone, then only a violation). */
	tcpk_proc_remove(k[2]->tgid);
	tcpk_proc_remove(k[1]->tgid);
	tcpk_proc_remove(k[0]->tgid);
	tcpk_proc_violation(k[0]->tgid);
	tcpk_proc_violation(k[0]->tgid);
	tcpk_fork_probe(NULL, k[0], k[1]);
	KUNIT_EXPECT_NULL(test, agent_of(k[1]));
	KUNIT_EXPECT_EQ(test, tcpk_proc_violations(k[1]->tgid), 2U);
	KUNIT_EXPECT_TRUE(test, tcpk_proc_restricted(k[1]->tgid, 2));
	KUNIT_EXPECT_FALSE(test, tcpk_proc_restricted(k[1]->tgid, 3));
	KUNIT_EXPECT_FALSE(test, tcpk_proc_restricted(k[1]->tgid, 0));
	/* A parent without an entry gives nothing, and takes nothing away. */
	tcpk_fork_probe(NULL, k[2], k[0]);
	KUNIT_EXPECT_EQ(test, tcpk_proc_violations(k[0]->tgid), 2U);
	KUNIT_EXPECT_EQ(test, tcpk_proc_violations(k[2]->tgid), 0U);
	tcpk_agent_put(a);
}

static void tcpk_proc_test_init_exit(struct kunit *test)
{
	unsigned int i, round;

	for (round = 0; round < 2; round++) {
		KUNIT_ASSERT_EQ(test, proc_up(test), 0);
		for (i = 0; i < ARRAY_SIZE(tcpk_tracepoints); i++)
			KUNIT_EXPECT_NOT_NULL(test, tcpk_tracepoints[i].tp);
		KUNIT_EXPECT_TRUE(test, !!tcpk_exec_buf);
		proc_down(test);
		KUNIT_EXPECT_TRUE(test, !tcpk_exec_buf);
		KUNIT_EXPECT_EQ(test, entries(), 0);
	}
}

/* --- a real labelled process ------------------------------------------------------------ */

struct umh_ctx {
	u32 tgid;
	u64 session;
	int err;
	const char *errmsg;
};

/* Runs in the new process before its exec: labels it, as tcp-policy run. */
static int umh_label(struct subprocess_info *info, struct cred *new)
{
	struct umh_ctx *u = info->data;

	u->tgid = current->tgid;
	u->err = tcpk_agent_start(current, "kunit-umh", "/tmp", &u->session,
				  &u->errmsg);
	return u->err;
}

/* The labelled processes, after waiting (10 s at most) for @n of them. */
static void wait_labelled(struct walk_sink *s, unsigned int n)
{
	unsigned long pos;
	int i;

	for (i = 0; i < 500; i++) {
		memset(s, 0, sizeof(*s));
		s->stop_at = UINT_MAX;
		pos = 0;
		tcpk_agent_walk(&pos, walk_fill, s);
		if (s->n == n)
			return;
		msleep(20);
	}
}

/*
 * /bin/sh, labelled before its exec, forks a sleep: the fork tracepoint
 * labels the child with the same session; killing the child lets the shell
 * exit; the exit tracepoint removes both entries and the session is freed.
 * The exec tracepoint takes the shell's and the child's exec decisions on
 * the way (security level 1).
 */
static void tcpk_proc_test_real_processes(struct kunit *test)
{
	char sh_path[] = "/bin/sh", sh_c[] = "-c";
	char script[] = "/bin/sleep 100 & wait";
	char path_env[] = "PATH=/bin:/sbin:/usr/bin:/usr/sbin";
	char *argv[4], *envp[2];
	struct proc_test_ctx *ctx = test->priv;
	struct task_struct *sh, *child;
	struct tcpk_proc_stats st0, st1;
	struct subprocess_info *info;
	struct tcpk_agent *agent;
	struct tcpk_request req = {};
	char comm[TASK_COMM_LEN];
	struct umh_ctx u = {};
	struct walk_sink *s;
	u32 child_tgid;
	char *exe;
	int err, i;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	exe = kunit_kzalloc(test, TCPK_PATH_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, exe);
	argv[0] = sh_path;
	argv[1] = sh_c;
	argv[2] = script;
	argv[3] = NULL;
	envp[0] = path_env;
	envp[1] = NULL;
	tcpk_security_level = TCPK_LEVEL_MONITOR;
	descdb_up(test);
	KUNIT_ASSERT_EQ(test, proc_up(test), 0);
	tcpk_proc_stats_sum(&st0);

	info = call_usermodehelper_setup(argv[0], argv, envp, GFP_KERNEL,
					 umh_label, NULL, &u);
	KUNIT_ASSERT_NOT_NULL(test, info);
	err = call_usermodehelper_exec(info, UMH_WAIT_EXEC);
	if (u.tgid)
		ctx->procs[0] = get_tgid(u.tgid);
	if (err == -ENOENT && !u.err)
		kunit_skip(test, "no /bin/sh");
	KUNIT_ASSERT_EQ_MSG(test, u.err, 0, "agent start: %s", u.errmsg);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_EXPECT_NE(test, u.session, 0);

	wait_labelled(s, 2);
	KUNIT_ASSERT_EQ_MSG(test, s->n, 2, "labelled processes seen");
	KUNIT_EXPECT_EQ(test, s->session[0], u.session);
	KUNIT_EXPECT_EQ(test, s->session[1], u.session);
	KUNIT_ASSERT_TRUE(test, s->pid[0] == u.tgid || s->pid[1] == u.tgid);
	child_tgid = s->pid[0] == u.tgid ? s->pid[1] : s->pid[0];
	ctx->procs[1] = get_tgid(child_tgid);

	/* The request of a labelled user process. */
	rcu_read_lock();
	sh = tcpk_task_of_tgid(u.tgid);
	child = tcpk_task_of_tgid(child_tgid);
	if (!sh || !child) {
		rcu_read_unlock();
		KUNIT_FAIL(test, "the shell or its child is gone");
		return;
	}
	get_task_struct(sh);
	get_task_struct(child);
	tcpk_request_from_task(&req, sh, comm, exe, TCPK_PATH_MAX);
	/* Held across the exits, to see them drop theirs. */
	agent = tcpk_agent_of(sh);
	if (agent)
		refcount_inc(&agent->ref);
	rcu_read_unlock();

	KUNIT_EXPECT_NOT_NULL(test, agent);
	KUNIT_EXPECT_EQ(test, req.pid, u.tgid);
	KUNIT_EXPECT_EQ(test, req.uid, 0);
	KUNIT_EXPECT_STREQ(test, req.comm, "sh");
	KUNIT_EXPECT_NOT_NULL(test, req.exe);
	if (req.exe)
		KUNIT_EXPECT_EQ(test, req.exe[0], '/');
	KUNIT_EXPECT_STREQ(test, req.agent, "kunit-umh");
	KUNIT_EXPECT_STREQ(test, req.workspace, "/tmp");
	KUNIT_EXPECT_EQ(test, req.session, u.session);
	kunit_info(test, "shell %u (exe %s), its child %u\n", req.pid,
		   req.exe ? req.exe : "?", child_tgid);
	KUNIT_EXPECT_PTR_EQ(test, agent_of(child), agent);
	KUNIT_EXPECT_EQ(test, tcpk_target_scope(sh, child), TCPK_SCOPE_INSIDE);
	KUNIT_EXPECT_EQ(test, tcpk_target_scope(child, current),
			TCPK_SCOPE_OUTSIDE);
	KUNIT_EXPECT_EQ(test, tcpk_target_scope(current, sh), TCPK_SCOPE_ANY);
	put_task_struct(sh);
	put_task_struct(child);
	KUNIT_ASSERT_NOT_NULL(test, agent);

	/* The shell exits once its child is gone; both entries go. */
	kill_pid(ctx->procs[1], SIGKILL, 1);
	for (i = 0; i < 500 && entries() != st0.entries; i++)
		msleep(20);
	KUNIT_EXPECT_EQ(test, entries(), st0.entries);
	tcpk_proc_stats_sum(&st1);
	KUNIT_EXPECT_EQ(test, st1.labels - st0.labels, 2);
	KUNIT_EXPECT_EQ(test, st1.labels_lost - st0.labels_lost, 0);
	rcu_barrier();
	KUNIT_EXPECT_EQ(test, refcount_read(&agent->ref), 1);
	tcpk_agent_put(agent);
}

static struct kunit_case tcpk_proc_cases[] = {
	KUNIT_CASE_PARAM(tcpk_proc_test_agent_name, name_gen_params),
	KUNIT_CASE_PARAM(tcpk_proc_test_agent_workspace, workspace_gen_params),
	KUNIT_CASE(tcpk_proc_test_workspace_length),
	KUNIT_CASE(tcpk_proc_test_start_relabel),
	KUNIT_CASE(tcpk_proc_test_start_on_unlabelled_entry),
	KUNIT_CASE(tcpk_proc_test_session_refs),
	KUNIT_CASE(tcpk_proc_test_stale),
	KUNIT_CASE(tcpk_proc_test_stale_live_pid),
	KUNIT_CASE(tcpk_proc_test_history_ring),
	KUNIT_CASE(tcpk_proc_test_record),
	KUNIT_CASE(tcpk_proc_test_written),
	KUNIT_CASE(tcpk_proc_test_quarantine),
	KUNIT_CASE(tcpk_proc_test_max_procs),
	KUNIT_CASE(tcpk_proc_test_evict),
	KUNIT_CASE(tcpk_proc_test_ancestor_fallback),
	KUNIT_CASE(tcpk_proc_test_scope_of),
	KUNIT_CASE(tcpk_proc_test_target_scope),
	KUNIT_CASE(tcpk_proc_test_walk),
	KUNIT_CASE(tcpk_proc_test_request_from_task),
	KUNIT_CASE(tcpk_proc_test_exec_request),
	KUNIT_CASE(tcpk_proc_test_exit_probe_live),
	KUNIT_CASE(tcpk_proc_test_fork_probe),
	KUNIT_CASE(tcpk_proc_test_init_exit),
	KUNIT_CASE(tcpk_proc_test_real_processes),
	{}
};

static struct kunit_suite tcpk_proc_suite = {
	.name = "tcp_kernel_proc",
	.init = proc_test_init,
	.exit = proc_test_exit,
	.test_cases = tcpk_proc_cases,
};

kunit_test_suite(tcpk_proc_suite);
