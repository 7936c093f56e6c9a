// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - KUnit suite of the module's sequence data: the patterns in
 * force (ids, order, limits, counters carried over), the learned
 * profiles (install, switch, replace, limits, validation) and what a
 * system call of a tracked process does with them (score, events)
 *
 * The matching itself is the tcp_kernel_seq suite's (behavior/seq.c).
 * Each case starts from tcpk_sequence_init() (the built-in patterns) and
 * ends with tcpk_sequence_exit(): this module has its own copy of the
 * state, apart from tcp_kernel.ko's.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/unistd.h>

#include "fakes.h"
#include "../behavior/sequence.c"

static int sequence_test_init(struct kunit *test)
{
	tcpk_fake_events_reset();
	return tcpk_sequence_init();
}

static void sequence_test_exit(struct kunit *test)
{
	tcpk_sequence_exit();
}

struct sequence_ids {
	u32 id[TCPK_SEQ_PATTERNS_MAX + 1];
	u64 matches[TCPK_SEQ_PATTERNS_MAX + 1];
	unsigned int n;
};

static int sequence_collect(const struct tcpk_seq_pattern *p, u64 matches,
			    void *arg)
{
	struct sequence_ids *ids = arg;

	if (ids->n == ARRAY_SIZE(ids->id))
		return -ENOSPC;
	ids->id[ids->n] = p->id;
	ids->matches[ids->n++] = matches;
	return 0;
}

static void sequence_walk(struct sequence_ids *ids)
{
	u32 pos = 1;

	memset(ids, 0, sizeof(*ids));
	tcpk_seq_pattern_walk(&pos, sequence_collect, ids);
}

/* tcpk_sequence_syscall() under the RCU read lock it needs. */
static void sc(struct tcpk_features *f, long nr, long ret)
{
	rcu_read_lock();
	tcpk_sequence_syscall(f, nr, ret);
	rcu_read_unlock();
}

/* tcpk_profile_find() under the RCU read lock it needs. */
static struct tcpk_profile *find(u64 dev, u64 ino)
{
	struct tcpk_profile *prof;

	rcu_read_lock();
	prof = tcpk_profile_find(dev, ino);
	rcu_read_unlock();
	return prof;	/* the case's own: only it changes the profiles */
}

/* A two-step pattern @a then @b, named @name. */
static void sequence_pattern(struct tcpk_seq_pattern *p, u32 id,
			     const char *name, u32 a, u32 b)
{
	memset(p, 0, sizeof(*p));
	p->id = id;
	p->weight = 10;
	p->steps = 2;
	p->max_gap = 4;
	strscpy(p->name, name, sizeof(p->name));
	p->step[0][a / 64] |= BIT_ULL(a % 64);
	p->step[1][b / 64] |= BIT_ULL(b % 64);
}

/* The built-in patterns are in force at load, ids 1 to 4. */
static void sequence_defaults(struct kunit *test)
{
	struct sequence_ids ids;
	unsigned int i;

	sequence_walk(&ids);
	KUNIT_ASSERT_EQ(test, ids.n, tcpk_seq_defaults_count);
	for (i = 0; i < ids.n; i++)
		KUNIT_EXPECT_EQ(test, ids.id[i], i + 1);
}

/* Ids: the next free one, explicit ones in order, no duplicates. */
static void sequence_add_del(struct kunit *test)
{
	struct tcpk_seq_pattern *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	const struct tcpk_seq_live *live;
	struct sequence_ids ids;
	const char *errmsg;
	u32 gen;

	KUNIT_ASSERT_NOT_NULL(test, p);
	live = rcu_access_pointer(tcpk_seq_current);
	gen = live->set.gen;
	sequence_pattern(p, 0, "mine", __NR_read, __NR_write);
	KUNIT_ASSERT_EQ(test, tcpk_seq_pattern_add(p, &errmsg), 0);
	KUNIT_EXPECT_EQ(test, p->id, 5);
	live = rcu_access_pointer(tcpk_seq_current);
	KUNIT_EXPECT_NE(test, live->set.gen, gen);

	sequence_pattern(p, 0, "mine", __NR_read, __NR_write);
	KUNIT_EXPECT_EQ(test, tcpk_seq_pattern_add(p, &errmsg), -EEXIST);
	sequence_pattern(p, 3, "other", __NR_read, __NR_write);
	KUNIT_EXPECT_EQ(test, tcpk_seq_pattern_add(p, &errmsg), -EEXIST);
	sequence_pattern(p, 7, "", __NR_read, __NR_write);
	KUNIT_EXPECT_EQ(test, tcpk_seq_pattern_add(p, &errmsg), -EINVAL);

	KUNIT_EXPECT_EQ(test, tcpk_seq_pattern_del(2), 0);
	KUNIT_EXPECT_EQ(test, tcpk_seq_pattern_del(2), -ENOENT);
	sequence_walk(&ids);
	KUNIT_ASSERT_EQ(test, ids.n, 4);
	KUNIT_EXPECT_EQ(test, ids.id[0], 1);
	KUNIT_EXPECT_EQ(test, ids.id[1], 3);
	KUNIT_EXPECT_EQ(test, ids.id[3], 5);

	/* An explicit id goes to its place in id order. */
	sequence_pattern(p, 2, "back", __NR_read, __NR_write);
	KUNIT_ASSERT_EQ(test, tcpk_seq_pattern_add(p, &errmsg), 0);
	sequence_walk(&ids);
	KUNIT_ASSERT_EQ(test, ids.n, 5);
	KUNIT_EXPECT_EQ(test, ids.id[1], 2);
	KUNIT_EXPECT_EQ(test, ids.id[2], 3);

	/* Every pattern can go, and the set is then empty. */
	for (gen = 1; gen <= 5; gen++)
		KUNIT_EXPECT_EQ(test, tcpk_seq_pattern_del(gen), 0);
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(tcpk_seq_current));
	sequence_walk(&ids);
	KUNIT_EXPECT_EQ(test, ids.n, 0);
}

/* At most TCPK_SEQ_PATTERNS_MAX patterns. */
static void sequence_limit(struct kunit *test)
{
	struct tcpk_seq_pattern *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	const char *errmsg;
	char name[16];
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = tcpk_seq_defaults_count; i < TCPK_SEQ_PATTERNS_MAX; i++) {
		snprintf(name, sizeof(name), "p%u", i);
		sequence_pattern(p, 0, name, __NR_read, __NR_write);
		KUNIT_ASSERT_EQ(test, tcpk_seq_pattern_add(p, &errmsg), 0);
	}
	sequence_pattern(p, 0, "one-too-many", __NR_read, __NR_write);
	KUNIT_EXPECT_EQ(test, tcpk_seq_pattern_add(p, &errmsg), -ENOSPC);
}

/*
 * A tracked process's calls: a completed pattern adds its weight, once
 * per completion, with an event naming it; failed calls do not count;
 * the completion counters follow the pattern into the next set.
 */
static void sequence_syscalls(struct kunit *test)
{
	struct tcpk_seq_pattern *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	struct tcpk_features *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct sequence_ids ids;
	const char *errmsg;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, f);
	tcpk_features_init(f);
	tcpk_sequence_start(f);

	/* exfiltration (id 1, 300 points): openat, read, connect */
	sc(f, __NR_openat, 3);
	sc(f, __NR_read, 100);
	sc(f, __NR_connect, -ECONNREFUSED);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.behaviors, 0);
	KUNIT_EXPECT_EQ(test, tcpk_features_score(f, 0, 0), 0);
	sc(f, __NR_connect, 0);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.behaviors, 1);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.last_behavior.kind,
			TCPK_BEHAVIOR_SEQUENCE);
	KUNIT_EXPECT_STREQ(test, tcpk_fake_events.last_behavior_pattern,
			   "exfiltration");
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.last_behavior.pattern_id, 1);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.last_behavior.count, 1);
	KUNIT_EXPECT_EQ(test, tcpk_features_score(f, 0, 0), 300);
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->patterns), 1);

	/* A 32-bit or unknown call breaks nothing and matches nothing. */
	sc(f, -1, 0);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.behaviors, 1);

	/* The count survives a change of set; the progress does not. */
	sc(f, __NR_openat, 3);
	sequence_pattern(p, 0, "mine", __NR_read, __NR_write);
	KUNIT_ASSERT_EQ(test, tcpk_seq_pattern_add(p, &errmsg), 0);
	sequence_walk(&ids);
	KUNIT_EXPECT_EQ(test, ids.matches[0], 1);
	sc(f, __NR_read, 1);
	sc(f, __NR_connect, 0);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.behaviors, 1);

	/* A pattern added at run time counts with its own weight. */
	sc(f, __NR_write, 1);	/* "mine" done */
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.behaviors, 2);
	KUNIT_EXPECT_STREQ(test, tcpk_fake_events.last_behavior_pattern,
			   "mine");
	KUNIT_EXPECT_EQ(test, tcpk_features_score(f, 0, 0), 310);

	/*
	 * exec keeps the progress (setresuid, setresgid, then the execve's
	 * own exit, fed after the exec tracepoint) and starts the trigrams
	 * afresh.
	 */
	sc(f, __NR_setresuid, 0);
	sc(f, __NR_setresgid, 0);
	tcpk_sequence_exec(f);
	KUNIT_EXPECT_EQ(test, f->seq.prev[1], TCPK_SEQ_NONE);
	sc(f, __NR_execve, 0);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.behaviors, 3);
	KUNIT_EXPECT_STREQ(test, tcpk_fake_events.last_behavior_pattern,
			   "privilege-escalation");
	KUNIT_EXPECT_EQ(test, tcpk_features_score(f, 0, 0), 610);
}

/* Every call of a tracked process lands in its histogram and top list. */
static void sequence_histogram(struct kunit *test)
{
	struct tcpk_features *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, f);
	tcpk_features_init(f);
	tcpk_sequence_start(f);
	for (i = 0; i < 10; i++)
		sc(f, __NR_read, -EAGAIN);	/* failed calls count too */
	for (i = 0; i < 5; i++)
		sc(f, __NR_openat, 3);
	for (i = 0; i < 3; i++)
		sc(f, __NR_socket, 3);
	sc(f, __NR_getpid, 1);
	sc(f, -1, 0);
	sc(f, __NR_futex, 0);
	sc(f, __NR_mmap, 0);
	sc(f, __NR_clone3, 0);
	sc(f, __NR_pwrite64, 1);
	KUNIT_EXPECT_EQ(test, f->classes[TCPK_SC_FILE_READ], 10);
	KUNIT_EXPECT_EQ(test, f->classes[TCPK_SC_FILE_META], 5);
	KUNIT_EXPECT_EQ(test, f->classes[TCPK_SC_NET], 3);
	KUNIT_EXPECT_EQ(test, f->classes[TCPK_SC_OTHER], 2);
	KUNIT_EXPECT_EQ(test, f->classes[TCPK_SC_IPC], 1);
	KUNIT_EXPECT_EQ(test, f->classes[TCPK_SC_MEM], 1);
	KUNIT_EXPECT_EQ(test, f->classes[TCPK_SC_PROC], 1);
	KUNIT_EXPECT_EQ(test, f->classes[TCPK_SC_FILE_WRITE], 1);
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->fileops), 16);
	/* read and openat are in the top list with their exact counts */
	for (i = 0; i < TCPK_TOP_SYSCALLS; i++) {
		if (f->top.nr[i] == __NR_read)
			KUNIT_EXPECT_EQ(test, f->top.count[i], 10);
		if (f->top.nr[i] == __NR_openat)
			KUNIT_EXPECT_EQ(test, f->top.count[i], 5);
	}
}

/*
 * The space-saving sketch: a call made more than a quarter of the time
 * stays in it whatever the others do, counts saturate, a count is never
 * below the true one.
 */
static void sequence_topk(struct kunit *test)
{
	struct tcpk_topk t = {};
	unsigned int i, found = 0;

	for (i = 0; i < 3000; i++) {
		tcpk_topk_add(&t, i % 3 ? 100 + i % 200 : __NR_write);
		tcpk_topk_add(&t, TCPK_SEQ_SYSCALLS + i);	/* ignored */
	}
	for (i = 0; i < TCPK_TOP_SYSCALLS; i++) {
		if (t.nr[i] == __NR_write) {
			found++;
			KUNIT_EXPECT_GE(test, t.count[i], 1000);
		}
		KUNIT_EXPECT_LE(test, t.count[i], 3000);
	}
	KUNIT_EXPECT_EQ(test, found, 1);

	memset(&t, 0, sizeof(t));
	t.nr[0] = 7;
	t.count[0] = U32_MAX;
	tcpk_topk_add(&t, 7);
	KUNIT_EXPECT_EQ(test, t.count[0], U32_MAX);
	tcpk_topk_add(&t, 8);	/* an empty slot, count 1 */
	KUNIT_EXPECT_EQ(test, t.count[1], 1);
	KUNIT_EXPECT_EQ(test, t.nr[1], 8);

	KUNIT_EXPECT_EQ(test, tcpk_syscall_class(__NR_openat2),
			TCPK_SC_FILE_META);
	KUNIT_EXPECT_EQ(test, tcpk_syscall_class(__NR_preadv2),
			TCPK_SC_FILE_READ);
	KUNIT_EXPECT_EQ(test, tcpk_syscall_class(__NR_memfd_create),
			TCPK_SC_MEM);
	KUNIT_EXPECT_EQ(test, tcpk_syscall_class(__NR_execveat), TCPK_SC_PROC);
	KUNIT_EXPECT_EQ(test, tcpk_syscall_class(__NR_epoll_pwait),
			TCPK_SC_IPC);
	KUNIT_EXPECT_EQ(test, tcpk_syscall_class(__NR_accept4), TCPK_SC_NET);
	KUNIT_EXPECT_EQ(test, tcpk_syscall_class(TCPK_SEQ_SYSCALLS),
			TCPK_SC_OTHER);
	KUNIT_EXPECT_EQ(test, tcpk_syscall_class(U32_MAX), TCPK_SC_OTHER);
}

/*
 * The model: a window of a tracked process's calls evaluated at its end;
 * an anomalous one adds the model's points, with an event carrying the
 * probability; with no model, nothing is evaluated.
 */
static void sequence_model(struct kunit *test)
{
	struct tcpk_features *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct tcpk_model m = { .threshold = 700, .points = 123 };
	struct tcpk_model_info mi;
	const char *errmsg;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, f);
	tcpk_features_init(f);
	tcpk_sequence_start(f);
	KUNIT_EXPECT_EQ(test, tcpk_model_get(&mi), -ENOENT);
	KUNIT_EXPECT_EQ(test, tcpk_model_del(), -ENOENT);
	for (i = 0; i < 2 * TCPK_MODEL_WINDOW; i++)
		sc(f, __NR_getpid, 1);
	KUNIT_EXPECT_EQ(test, f->mwin.calls, 0);

	/* p = sigmoid(-2 + 4 * net fraction): 0.88 for all-network windows */
	m.bias = -2 * 65536;
	m.weight[TCPK_MF_CLASS + TCPK_SC_NET] = 4 * 256;
	m.threshold = 1001;
	KUNIT_EXPECT_EQ(test, tcpk_model_set(&m, &errmsg), -EINVAL);
	m.threshold = 700;
	KUNIT_ASSERT_EQ(test, tcpk_model_set(&m, &errmsg), 0);
	for (i = 0; i < TCPK_MODEL_WINDOW; i++)
		sc(f, __NR_getpid, 1);		/* p = 0.119: quiet */
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.behaviors, 0);
	KUNIT_EXPECT_EQ(test, f->model_peak, 119);
	for (i = 0; i < TCPK_MODEL_WINDOW; i++)
		sc(f, __NR_sendto, 1);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.behaviors, 1);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.last_behavior.kind,
			TCPK_BEHAVIOR_MODEL);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.last_behavior.count, 880);
	KUNIT_EXPECT_EQ(test, tcpk_features_score(f, 0, 0), 123);
	KUNIT_EXPECT_EQ(test, f->model_peak, 880);
	KUNIT_ASSERT_EQ(test, tcpk_model_get(&mi), 0);
	KUNIT_EXPECT_EQ(test, mi.windows, 2);
	KUNIT_EXPECT_EQ(test, mi.flagged, 1);
	KUNIT_EXPECT_EQ(test, mi.m.points, 123);
	KUNIT_EXPECT_EQ(test, tcpk_model_del(), 0);
	KUNIT_EXPECT_EQ(test, tcpk_model_get(&mi), -ENOENT);
}

/* Profiles: create, switch, replace, delete, and their limits. */
static void sequence_profiles(struct kunit *test)
{
	u32 keys[3] = {
		tcpk_ngram_key(0, 1, 2), tcpk_ngram_key(3, 4, 5),
		tcpk_ngram_key(511, 511, 511),
	};
	unsigned int saved = max_profiles;
	struct tcpk_profile *prof;
	const char *errmsg;
	u32 bad = 1;

	KUNIT_EXPECT_EQ(test, tcpk_profile_install(8, 9, "/x", 3, NULL, 0,
						   false, &errmsg), -EINVAL);
	KUNIT_EXPECT_EQ(test, tcpk_profile_install(8, 9, "/x",
						   TCPK_PROFILE_DETECT, &bad, 1,
						   true, &errmsg), -EINVAL);
	KUNIT_EXPECT_EQ(test, tcpk_profile_count, 0);

	KUNIT_ASSERT_EQ(test, tcpk_profile_install(8, 9, "/x",
						   TCPK_PROFILE_LEARN, NULL, 0,
						   false, &errmsg), 0);
	prof = find(8, 9);
	KUNIT_ASSERT_NOT_NULL(test, prof);
	KUNIT_EXPECT_EQ(test, prof->mode, TCPK_PROFILE_LEARN);
	KUNIT_EXPECT_EQ(test, atomic_read(&prof->t->count), 0);
	KUNIT_EXPECT_EQ(test, prof->t->limit, profile_ngrams);
	KUNIT_EXPECT_NULL(test, find(8, 10));
	KUNIT_EXPECT_NULL(test, find(9, 9));

	/* No keys: the same profile, switched. */
	KUNIT_ASSERT_EQ(test, tcpk_profile_install(8, 9, "/x",
						   TCPK_PROFILE_DETECT, NULL, 0,
						   false, &errmsg), 0);
	KUNIT_EXPECT_PTR_EQ(test, find(8, 9), prof);
	KUNIT_EXPECT_EQ(test, prof->mode, TCPK_PROFILE_DETECT);
	KUNIT_EXPECT_EQ(test, tcpk_profile_count, 1);

	/* Keys: a new profile in its place, holding them. */
	KUNIT_ASSERT_EQ(test, tcpk_profile_install(8, 9, "/y",
						   TCPK_PROFILE_DETECT, keys, 3,
						   true, &errmsg), 0);
	prof = find(8, 9);
	KUNIT_ASSERT_NOT_NULL(test, prof);
	KUNIT_EXPECT_STREQ(test, prof->path, "/y");
	KUNIT_EXPECT_EQ(test, atomic_read(&prof->t->count), 3);
	KUNIT_EXPECT_TRUE(test, tcpk_ngram_has(prof->t, keys[2]));
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_has(prof->t,
						tcpk_ngram_key(2, 1, 0)));
	KUNIT_EXPECT_EQ(test, tcpk_profile_count, 1);

	/* max_profiles */
	max_profiles = 1;
	KUNIT_EXPECT_EQ(test, tcpk_profile_install(8, 10, "/z",
						   TCPK_PROFILE_LEARN, NULL, 0,
						   false, &errmsg), -ENOSPC);
	max_profiles = saved;
	KUNIT_EXPECT_EQ(test, tcpk_profile_install(8, 10, "/z",
						   TCPK_PROFILE_LEARN, NULL, 0,
						   false, &errmsg), 0);
	KUNIT_EXPECT_EQ(test, tcpk_profile_count, 2);
	/* More keys than a profile takes. */
	KUNIT_EXPECT_EQ(test, tcpk_profile_install(8, 11, "/w",
						   TCPK_PROFILE_DETECT, keys,
						   profile_ngrams + 1, true,
						   &errmsg), -EINVAL);
}

static struct kunit_case sequence_cases[] = {
	KUNIT_CASE(sequence_defaults),
	KUNIT_CASE(sequence_add_del),
	KUNIT_CASE(sequence_limit),
	KUNIT_CASE(sequence_syscalls),
	KUNIT_CASE(sequence_histogram),
	KUNIT_CASE(sequence_topk),
	KUNIT_CASE(sequence_model),
	KUNIT_CASE(sequence_profiles),
	{}
};

static struct kunit_suite sequence_suite = {
	.name = "tcp_kernel_sequence",
	.init = sequence_test_init,
	.exit = sequence_test_exit,
	.test_cases = sequence_cases,
};

kunit_test_suite(sequence_suite);
