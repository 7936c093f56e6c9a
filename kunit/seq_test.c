// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - KUnit suite of the system call sequences: patterns with
 * gaps, the built-in defaults, the insert-only trigram tables and the
 * learned profiles' locality frame
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../behavior/seq.c"

/*
 * Native x86_64 numbers (syscall_64.tbl), written out: the defaults are
 * written in them, whatever the architecture the test runs on.
 */
enum {
	SC_READ = 0,
	SC_WRITE = 1,
	SC_CLOSE = 3,
	SC_FSTAT = 5,
	SC_GETPID = 39,
	SC_SOCKET = 41,
	SC_CONNECT = 42,
	SC_EXECVE = 59,
	SC_CHMOD = 90,
	SC_SETUID = 105,
	SC_SETGID = 106,
	SC_SETRESUID = 117,
	SC_SETRESGID = 119,
	SC_EXIT_GROUP = 231,
	SC_OPENAT = 257,
	SC_MEMFD_CREATE = 319,
	SC_EXECVEAT = 322,
	SC_PREADV2 = 327,
	SC_OPENAT2 = 437,
};

/* Calls in no step of the test patterns (nor of the defaults). */
#define OTHER	SC_GETPID
#define OTHER2	400

/* A set of @n zeroed patterns, generation 1. */
static struct tcpk_seq_set *seq_set_alloc(struct kunit *test, u32 n)
{
	struct tcpk_seq_set *set;

	set = kunit_kzalloc(test, struct_size(set, pat, n), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, set);
	set->gen = 1;
	set->count = n;
	return set;
}

/* Adds call @nr to step @k of @p (and makes @p that many steps long). */
static void seq_pat_add(struct tcpk_seq_pattern *p, unsigned int k, u32 nr)
{
	p->step[k][nr / 64] |= 1ULL << (nr % 64);
	if (p->steps < k + 1)
		p->steps = k + 1;
}

/*
 * @p: pattern @id of @n steps, step k the one call @calls[k], at most
 * @max_gap other calls between steps; it passes tcpk_seq_pattern_check().
 */
static void seq_pat(struct kunit *test, struct tcpk_seq_pattern *p, u32 id,
		    u8 max_gap, const u32 *calls, unsigned int n)
{
	const char *errmsg = NULL;
	unsigned int k;

	memset(p, 0, sizeof(*p));
	p->id = id;
	p->weight = 100;
	p->max_gap = max_gap;
	snprintf(p->name, sizeof(p->name), "test-%u", id);
	for (k = 0; k < n; k++)
		seq_pat_add(p, k, calls[k]);
	KUNIT_ASSERT_EQ_MSG(test, tcpk_seq_pattern_check(p, &errmsg), 0,
			    "pattern %u: %s", id, errmsg);
}

/* A fresh process state. */
static void seq_state(struct tcpk_seq_state *st)
{
	memset(st, 0, sizeof(*st));
	tcpk_seq_state_reset(st);
}

/*
 * Feeds @n calls; every one but the last must complete nothing.  Returns
 * what the last completed.
 */
static u64 seq_run(struct kunit *test, const struct tcpk_seq_set *set,
		   struct tcpk_seq_state *st, const u32 *calls, unsigned int n)
{
	unsigned int i;

	for (i = 0; i + 1 < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, tcpk_seq_feed(set, st, calls[i]), 0ULL,
				    "call %u (nr %u) of %u completed a pattern",
				    i, calls[i], n);
	return tcpk_seq_feed(set, st, calls[n - 1]);
}

/* Feeds @nr @count times; returns everything that completed. */
static u64 seq_repeat(const struct tcpk_seq_set *set, struct tcpk_seq_state *st,
		      u32 nr, unsigned int count)
{
	u64 done = 0;

	while (count--)
		done |= tcpk_seq_feed(set, st, nr);
	return done;
}

/* Steps A, B, C: calls 10, 20, 30. */
static const u32 abc[] = { 10, 20, 30 };
#define A	10
#define B	20
#define C	30

static void seq_three_steps(struct kunit *test)
{
	struct tcpk_seq_set *set = seq_set_alloc(test, 1);
	struct tcpk_seq_state st;

	seq_pat(test, &set->pat[0], 1, 4, abc, 3);
	seq_state(&st);
	/* Later steps before the first start nothing. */
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, C), 0ULL);
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, B), 0ULL);
	KUNIT_EXPECT_EQ(test, st.step[0], 0);
	/* Completes on C, not before. */
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, A), 0ULL);
	KUNIT_EXPECT_EQ(test, st.step[0], 1);
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, B), 0ULL);
	KUNIT_EXPECT_EQ(test, st.step[0], 2);
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, C), 1ULL);
	KUNIT_EXPECT_EQ(test, st.step[0], 0);
	/* Out of order does not. */
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, A, 1) | seq_repeat(set, &st, C, 1) |
			seq_repeat(set, &st, B, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, st.step[0], 2);
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, C), 1ULL);
}

static void seq_previous_step(struct kunit *test)
{
	struct tcpk_seq_set *set = seq_set_alloc(test, 1);
	static const u32 reads[] = {
		A, B, OTHER, OTHER, B, OTHER, OTHER, B, OTHER, OTHER, C,
	};
	static const u32 opens[] = {
		A, OTHER, OTHER, A, OTHER, OTHER, A, OTHER, OTHER, B, OTHER, OTHER, C,
	};
	static const u32 no_read[] = { A, B, OTHER, OTHER, OTHER, C };
	struct tcpk_seq_state st;

	seq_pat(test, &set->pat[0], 1, 2, abc, 3);
	/* A read among reads keeps the pattern at its step and restarts the gap. */
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_run(test, set, &st, reads, ARRAY_SIZE(reads)), 1ULL);
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_run(test, set, &st, opens, ARRAY_SIZE(opens)), 1ULL);
	/* Without it, three other calls are beyond the gap of 2. */
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_run(test, set, &st, no_read, ARRAY_SIZE(no_read)), 0ULL);
	KUNIT_EXPECT_EQ(test, st.step[0], 0);
	/* A call of the step before the previous one is just another call. */
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, A, 1) | seq_repeat(set, &st, B, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, A, 2), 0ULL);
	KUNIT_EXPECT_EQ(test, st.step[0], 2);
	KUNIT_EXPECT_EQ(test, st.gap[0], 2);
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, C), 1ULL);
}

static void seq_gap(struct kunit *test)
{
	struct tcpk_seq_set *set = seq_set_alloc(test, 1);
	struct tcpk_seq_state st;

	seq_pat(test, &set->pat[0], 1, 3, abc, 3);
	/* Exactly max_gap other calls between each step: completes. */
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, A, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, OTHER, 3), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, B, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, OTHER2, 3), 0ULL);
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, C), 1ULL);

	/* max_gap + 1 abandons it: B and C then complete nothing. */
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, A, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, OTHER, 3), 0ULL);
	KUNIT_EXPECT_EQ(test, st.step[0], 1);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, OTHER, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, st.step[0], 0);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, B, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, C), 0ULL);

	/* The same between the second and the last step. */
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, A, 1) | seq_repeat(set, &st, B, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, OTHER, 4), 0ULL);
	KUNIT_EXPECT_EQ(test, st.step[0], 0);
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, C), 0ULL);

	/*
	 * Within the gap a first-step call is another call; the call that
	 * abandons the pattern, if a first-step one, starts it again.
	 */
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, A, 1) | seq_repeat(set, &st, B, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, OTHER, 2), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, A, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, st.step[0], 2);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, A, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, st.step[0], 1);
	KUNIT_EXPECT_EQ(test, st.gap[0], 0);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, OTHER, 3), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, B, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, C), 1ULL);

	/* Out-of-range calls count against the gap as well. */
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, A, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, 512, 3), 0ULL);
	KUNIT_EXPECT_EQ(test, st.step[0], 1);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, U32_MAX, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, st.step[0], 0);
}

static void seq_gap_zero(struct kunit *test)
{
	struct tcpk_seq_set *set = seq_set_alloc(test, 1);
	static const u32 tight[] = { A, B, C };
	static const u32 repeats[] = { A, A, A, B, B, C };
	static const u32 loose[] = { A, OTHER, B, C };
	static const u32 loose2[] = { A, B, OTHER, C };
	static const u32 restart[] = { A, B, A, B, C };
	struct tcpk_seq_state st;

	seq_pat(test, &set->pat[0], 1, 0, abc, 3);
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_run(test, set, &st, tight, 3), 1ULL);
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_run(test, set, &st, repeats, 6), 1ULL);
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_run(test, set, &st, loose, 4), 0ULL);
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_run(test, set, &st, loose2, 4), 0ULL);
	/* A, B, A: the A abandons at once and starts again. */
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_run(test, set, &st, restart, 5), 1ULL);
}

static void seq_again(struct kunit *test)
{
	struct tcpk_seq_set *set = seq_set_alloc(test, 1);
	struct tcpk_seq_state st;
	unsigned int i;

	seq_pat(test, &set->pat[0], 1, 4, abc, 3);
	seq_state(&st);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, seq_run(test, set, &st, abc, 3), 1ULL);
		KUNIT_EXPECT_EQ(test, st.step[0], 0);
		KUNIT_EXPECT_EQ(test, st.gap[0], 0);
	}
	/* After completing, the last step's call does not complete again. */
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, C, 3), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, B, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, st.step[0], 0);
}

static void seq_several(struct kunit *test)
{
	struct tcpk_seq_set *set = seq_set_alloc(test, 4);
	static const u32 p0[] = { A, 100 };
	static const u32 p1[] = { 50, 60 };
	static const u32 p2[] = { B, 100 };
	static const u32 p3[] = { A, B, 100 };
	static const u32 calls[] = { A, 50, B, 100 };
	struct tcpk_seq_state st;
	unsigned int i;

	seq_pat(test, &set->pat[0], 1, 8, p0, 2);
	seq_pat(test, &set->pat[1], 2, 8, p1, 2);
	seq_pat(test, &set->pat[2], 3, 8, p2, 2);
	seq_pat(test, &set->pat[3], 4, 8, p3, 3);
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_run(test, set, &st, calls, 4), 0xdULL);
	KUNIT_EXPECT_EQ(test, st.step[1], 1);
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, 60), 0x2ULL);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, st.step[i], 0);

	/* Bit i for pattern i, up to the 64th. */
	set = seq_set_alloc(test, TCPK_SEQ_PATTERNS_MAX);
	for (i = 0; i < TCPK_SEQ_PATTERNS_MAX; i++)
		seq_pat(test, &set->pat[i], i + 1, 8, i % 2 ? p0 : p2, 2);
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_run(test, set, &st, calls, 4), U64_MAX);
}

static void seq_out_of_range(struct kunit *test)
{
	struct tcpk_seq_set *set = seq_set_alloc(test, 2);
	static const u32 first[] = { 0, 1, 2 };
	static const u32 last[] = { 509, 510, 511 };
	static const u32 high[] = {
		512, 513, 514, 1024, 1025, 1026, 0x200 | 509, 0x400 | 510,
		0xffff, 0x10000, 0x7fffffff, 0x80000000, U32_MAX,
	};
	struct tcpk_seq_state st;
	unsigned int i;

	seq_pat(test, &set->pat[0], 1, 255, first, 3);
	seq_pat(test, &set->pat[1], 2, 255, last, 3);
	/* 0 and 511 are calls like any other. */
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_run(test, set, &st, first, 3), 1ULL);
	KUNIT_EXPECT_EQ(test, seq_run(test, set, &st, last, 3), 2ULL);
	/*
	 * Above: nothing, whatever their low bits.  Fed three times each in
	 * turn (a wrap to 0, 1, 2 or 509, 510, 511 would complete).
	 */
	seq_state(&st);
	for (i = 0; i < ARRAY_SIZE(high); i++) {
		KUNIT_EXPECT_EQ_MSG(test, seq_repeat(set, &st, high[i], 3), 0ULL,
				    "nr %#x", high[i]);
		KUNIT_EXPECT_EQ_MSG(test, st.step[0] | st.step[1], 0, "nr %#x", high[i]);
	}
	for (i = 0; i + 2 < ARRAY_SIZE(high); i++) {
		KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, high[i]) |
				tcpk_seq_feed(set, &st, high[i + 1]) |
				tcpk_seq_feed(set, &st, high[i + 2]), 0ULL);
	}
}

static void seq_generation(struct kunit *test)
{
	struct tcpk_seq_set *set = seq_set_alloc(test, 1);
	struct tcpk_seq_state st;

	seq_pat(test, &set->pat[0], 1, 4, abc, 3);
	seq_state(&st);
	/* A state of generation 0 meets the set of generation 1. */
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, A, 1) | seq_repeat(set, &st, B, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, st.gen, 1U);
	KUNIT_EXPECT_EQ(test, st.step[0], 2);
	/* A new set: the progress through the old one is dropped. */
	set->gen = 2;
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, C), 0ULL);
	KUNIT_EXPECT_EQ(test, st.gen, 2U);
	KUNIT_EXPECT_EQ(test, st.step[0], 0);
	/* And it runs afresh in the new one. */
	KUNIT_EXPECT_EQ(test, seq_run(test, set, &st, abc, 3), 1ULL);
	/* The gap is dropped with the step. */
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, A, 1) | seq_repeat(set, &st, OTHER, 4), 0ULL);
	KUNIT_EXPECT_EQ(test, st.gap[0], 4);
	set->gen = 3;
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, OTHER), 0ULL);
	KUNIT_EXPECT_EQ(test, st.gap[0], 0);
	KUNIT_EXPECT_EQ(test, st.step[0], 0);
	/* A state forged at step 2 in another generation cannot complete. */
	st.gen = 7;
	st.step[0] = 2;
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, C), 0ULL);
	KUNIT_EXPECT_EQ(test, st.gen, 3U);
}

static void seq_stale_step(struct kunit *test)
{
	struct tcpk_seq_set *set = seq_set_alloc(test, 1);
	struct tcpk_seq_state st;

	seq_pat(test, &set->pat[0], 1, 4, abc, 3);
	seq_state(&st);
	st.gen = set->gen;
	/* Step 3 of a 3-step pattern: as 0, so C neither completes nor counts. */
	st.step[0] = 3;
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, C), 0ULL);
	st.step[0] = 3;
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, A), 0ULL);
	KUNIT_EXPECT_EQ(test, st.step[0], 1);
	KUNIT_EXPECT_EQ(test, seq_run(test, set, &st, &abc[1], 2), 1ULL);
	/* Far beyond (no bitmap of step 255 is read). */
	st.step[0] = 255;
	st.gap[0] = 200;
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, A), 0ULL);
	KUNIT_EXPECT_EQ(test, st.step[0], 1);
	KUNIT_EXPECT_EQ(test, st.gap[0], 0);
	KUNIT_EXPECT_EQ(test, seq_run(test, set, &st, &abc[1], 2), 1ULL);
	/* The last step's index of a shorter pattern than the state knew. */
	st.step[0] = TCPK_SEQ_STEPS_MAX - 1;
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, C), 0ULL);
}

static void seq_no_set(struct kunit *test)
{
	struct tcpk_seq_set *set = seq_set_alloc(test, 1);
	struct tcpk_seq_state st;

	seq_state(&st);
	st.gen = 5;
	st.step[0] = 2;
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(NULL, &st, A), 0ULL);
	seq_pat(test, &set->pat[0], 1, 4, abc, 3);
	set->count = 0;
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, C), 0ULL);
	/* Neither touched the state. */
	KUNIT_EXPECT_EQ(test, st.gen, 5U);
	KUNIT_EXPECT_EQ(test, st.step[0], 2);
}

/* The set of the built-in patterns, ids 1.., generation 1. */
static struct tcpk_seq_set *seq_defaults(struct kunit *test)
{
	struct tcpk_seq_set *set = seq_set_alloc(test, tcpk_seq_defaults_count);
	unsigned int i;

	for (i = 0; i < tcpk_seq_defaults_count; i++)
		KUNIT_ASSERT_EQ_MSG(test, tcpk_seq_pattern_from_default(&set->pat[i],
									&tcpk_seq_defaults[i],
									i + 1),
				    0, "default %s", tcpk_seq_defaults[i].name);
	return set;
}

/* The bit of the default named @name in seq_defaults(). */
static u64 seq_default_bit(struct kunit *test, const char *name)
{
	unsigned int i;

	for (i = 0; i < tcpk_seq_defaults_count; i++)
		if (!strcmp(tcpk_seq_defaults[i].name, name))
			return 1ULL << i;
	KUNIT_FAIL(test, "no default pattern %s", name);
	return 0;
}

static void seq_defaults_convert(struct kunit *test)
{
	struct tcpk_seq_set *set = seq_defaults(test);
	const struct tcpk_seq_default *d;
	unsigned int i, k, j, n, calls;
	const char *errmsg;

	KUNIT_EXPECT_EQ(test, tcpk_seq_defaults_count, 4U);
	for (i = 0; i < tcpk_seq_defaults_count; i++) {
		struct tcpk_seq_pattern *p = &set->pat[i];

		d = &tcpk_seq_defaults[i];
		KUNIT_EXPECT_EQ(test, p->id, i + 1);
		KUNIT_EXPECT_STREQ(test, p->name, d->name);
		KUNIT_EXPECT_EQ(test, p->weight, d->weight);
		KUNIT_EXPECT_EQ(test, p->max_gap, d->max_gap);
		KUNIT_EXPECT_GE(test, p->steps, 2);
		KUNIT_EXPECT_EQ(test, tcpk_seq_pattern_check(p, &errmsg), 0);
		/* Every listed call, and only those, in its step. */
		for (k = 0; k < p->steps; k++) {
			KUNIT_ASSERT_NOT_NULL(test, d->steps[k]);
			for (calls = 0, j = 0; d->steps[k][j] >= 0; j++) {
				KUNIT_EXPECT_TRUE(test, tcpk_seq_in(p->step[k], d->steps[k][j]));
				calls++;
			}
			for (n = 0, j = 0; j < TCPK_SEQ_WORDS; j++)
				n += hweight64(p->step[k][j]);
			KUNIT_EXPECT_EQ_MSG(test, n, calls, "%s step %u", d->name, k);
		}
		if (p->steps < TCPK_SEQ_STEPS_MAX)
			KUNIT_EXPECT_NULL(test, d->steps[p->steps]);
	}
	KUNIT_EXPECT_NE(test, seq_default_bit(test, "exfiltration"), 0ULL);
	KUNIT_EXPECT_NE(test, seq_default_bit(test, "privilege-escalation"), 0ULL);
	KUNIT_EXPECT_NE(test, seq_default_bit(test, "download-exec"), 0ULL);
	KUNIT_EXPECT_NE(test, seq_default_bit(test, "fileless-exec"), 0ULL);
}

static void seq_from_default_bad(struct kunit *test)
{
	static const short one[] = { 1, -1 };
	static const short two[] = { 2, 511, 512, 1000, -1 };
	static const short none[] = { -1 };
	static const short high[] = { 512, -1 };
	struct tcpk_seq_default d = {
		.name = "a-name-of-more-than-thirty-one-bytes",
		.weight = 10,
		.max_gap = 3,
		.steps = { one, two },
	};
	struct tcpk_seq_pattern *p;

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	/* A long name is cut to 31 bytes; calls above 511 are left out. */
	memset(p, 0xff, sizeof(*p));
	KUNIT_EXPECT_EQ(test, tcpk_seq_pattern_from_default(p, &d, 9), 0);
	KUNIT_EXPECT_EQ(test, strlen(p->name), TCPK_SEQ_NAME_MAX - 1);
	KUNIT_EXPECT_EQ(test, strncmp(p->name, d.name, TCPK_SEQ_NAME_MAX - 1), 0);
	KUNIT_EXPECT_EQ(test, p->steps, 2);
	KUNIT_EXPECT_EQ(test, p->step[1][0], 1ULL << 2);
	KUNIT_EXPECT_EQ(test, p->step[1][7], 1ULL << 63);
	KUNIT_EXPECT_EQ(test, p->step[2][0] | p->step[7][7], 0ULL);
	/* One step; an empty one; one of only out-of-range calls. */
	d.steps[1] = NULL;
	KUNIT_EXPECT_EQ(test, tcpk_seq_pattern_from_default(p, &d, 9), -EINVAL);
	d.steps[1] = none;
	KUNIT_EXPECT_EQ(test, tcpk_seq_pattern_from_default(p, &d, 9), -EINVAL);
	d.steps[1] = high;
	KUNIT_EXPECT_EQ(test, tcpk_seq_pattern_from_default(p, &d, 9), -EINVAL);
	d.steps[1] = two;
	KUNIT_EXPECT_EQ(test, tcpk_seq_pattern_from_default(p, &d, 0), -EINVAL);
	d.weight = 0;
	KUNIT_EXPECT_EQ(test, tcpk_seq_pattern_from_default(p, &d, 9), -EINVAL);
}

/* One sequence of a process against the defaults. */
struct seq_case {
	const char *pattern;	/* the one it completes on its last call, or NULL */
	u32 calls[12];
	unsigned int n;
};

static const struct seq_case seq_seed_cases[] = {
	{ "exfiltration", { SC_OPENAT, SC_READ, SC_CONNECT }, 3 },
	{ "exfiltration", { SC_OPENAT2, SC_PREADV2, SC_SOCKET }, 3 },
	{ "exfiltration", { SC_OPENAT, SC_FSTAT, SC_READ, SC_READ, SC_CLOSE, SC_SOCKET }, 6 },
	{ "privilege-escalation", { SC_SETRESUID, SC_SETRESGID, SC_EXECVEAT }, 3 },
	{ "privilege-escalation", { SC_SETUID, SC_SETGID, SC_EXECVE }, 3 },
	{ "download-exec", { SC_SOCKET, SC_CONNECT, SC_READ, SC_WRITE, SC_CLOSE,
			     SC_CHMOD, SC_EXECVE }, 7 },
	{ "fileless-exec", { SC_MEMFD_CREATE, SC_WRITE, SC_EXECVE }, 3 },
	{ "fileless-exec", { SC_MEMFD_CREATE, SC_WRITE, SC_WRITE, SC_FSTAT,
			     SC_EXECVEAT }, 5 },
	/* Benign-looking. */
	{ NULL, { SC_OPENAT, SC_READ, SC_CLOSE, SC_EXIT_GROUP }, 4 },
	{ NULL, { SC_OPENAT, SC_READ, SC_WRITE, SC_CLOSE, SC_EXIT_GROUP }, 5 },
	{ NULL, { SC_EXECVE, SC_OPENAT, SC_FSTAT, SC_READ, SC_CLOSE, SC_WRITE,
		  SC_EXIT_GROUP }, 7 },
	{ NULL, { SC_SETUID, SC_EXECVE }, 2 },
	{ NULL, { SC_SETGID, SC_SETUID, SC_EXECVE }, 3 },
	{ NULL, { SC_SOCKET, SC_CONNECT, SC_WRITE, SC_READ, SC_CLOSE, SC_EXECVE }, 6 },
	{ NULL, { SC_WRITE, SC_EXECVE }, 2 },
	{ NULL, { SC_READ, SC_CONNECT, SC_OPENAT }, 3 },
};

static void seq_defaults_seed(struct kunit *test)
{
	struct tcpk_seq_set *set = seq_defaults(test);
	struct tcpk_seq_state st;
	unsigned int i, k;

	for (i = 0; i < ARRAY_SIZE(seq_seed_cases); i++) {
		const struct seq_case *c = &seq_seed_cases[i];
		u64 want = c->pattern ? seq_default_bit(test, c->pattern) : 0;
		u64 got;

		seq_state(&st);
		for (k = 0; k + 1 < c->n; k++)
			KUNIT_EXPECT_EQ_MSG(test, tcpk_seq_feed(set, &st, c->calls[k]), 0ULL,
					    "case %u call %u", i, k);
		got = tcpk_seq_feed(set, &st, c->calls[c->n - 1]);
		KUNIT_EXPECT_EQ_MSG(test, got, want, "case %u (%s)", i,
				    c->pattern ?: "benign");
	}
}

static void seq_defaults_gap(struct kunit *test)
{
	struct tcpk_seq_set *set = seq_defaults(test);
	u64 exfil = seq_default_bit(test, "exfiltration");
	u64 dl = seq_default_bit(test, "download-exec");
	struct tcpk_seq_state st;

	/* Exfiltration allows 64 calls between its steps, not 65. */
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, SC_OPENAT, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, SC_GETPID, 64), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, SC_READ, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, SC_GETPID, 64), 0ULL);
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, SC_CONNECT), exfil);
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, SC_OPENAT, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, SC_READ, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, SC_GETPID, 65), 0ULL);
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, SC_CONNECT), 0ULL);
	/* Download-exec allows 255 (the most a gap can be). */
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, SC_CONNECT, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, SC_GETPID, 255), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, SC_WRITE, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, SC_GETPID, 255), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, SC_CHMOD, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, SC_GETPID, 255), 0ULL);
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, SC_EXECVE), dl);
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, SC_CONNECT, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, SC_WRITE, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, SC_CHMOD, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, SC_GETPID, 256), 0ULL);
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, SC_EXECVE), 0ULL);
}

/* A valid pattern to break, one field at a time. */
static void seq_check_good(struct tcpk_seq_pattern *p)
{
	memset(p, 0, sizeof(*p));
	p->id = 7;
	p->weight = 1;
	p->steps = 3;
	p->max_gap = 0;
	strscpy(p->name, "good", sizeof(p->name));
	seq_pat_add(p, 0, 0);
	seq_pat_add(p, 1, 511);
	seq_pat_add(p, 2, 64);
}

/* @p is rejected, with an error message that says @why. */
static void seq_check_bad(struct kunit *test, const struct tcpk_seq_pattern *p,
			  const char *what, const char *why)
{
	const char *errmsg = NULL;

	KUNIT_EXPECT_EQ_MSG(test, tcpk_seq_pattern_check(p, &errmsg), -EINVAL, "%s", what);
	KUNIT_ASSERT_NOT_NULL_MSG(test, errmsg, "%s", what);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(errmsg, why), "%s: \"%s\"", what, errmsg);
}

static void seq_check(struct kunit *test)
{
	struct tcpk_seq_pattern *p;
	const char *errmsg = NULL;

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);

	/* Good ones, at the limits. */
	seq_check_good(p);
	KUNIT_EXPECT_EQ(test, tcpk_seq_pattern_check(p, &errmsg), 0);
	p->id = U32_MAX;
	p->weight = TCPK_SEQ_WEIGHT_MAX;
	p->max_gap = TCPK_SEQ_GAP_MAX;
	memset(p->name, 'x', sizeof(p->name) - 1);
	p->step[1][0] = U64_MAX;
	seq_pat_add(p, TCPK_SEQ_STEPS_MAX - 1, 511);
	seq_pat_add(p, 3, 3);
	seq_pat_add(p, 4, 4);
	seq_pat_add(p, 5, 5);
	seq_pat_add(p, 6, 6);
	KUNIT_EXPECT_EQ(test, p->steps, TCPK_SEQ_STEPS_MAX);
	KUNIT_EXPECT_EQ(test, tcpk_seq_pattern_check(p, &errmsg), 0);
	seq_check_good(p);
	p->steps = 2;
	p->step[2][1] = 0;
	p->step[2][0] = 0;
	KUNIT_EXPECT_EQ(test, tcpk_seq_pattern_check(p, &errmsg), 0);

	seq_check_good(p);
	p->id = 0;
	seq_check_bad(test, p, "id 0", "id");
	seq_check_good(p);
	p->steps = 0;
	seq_check_bad(test, p, "0 steps", "steps");
	p->steps = 1;
	seq_check_bad(test, p, "1 step", "steps");
	p->steps = TCPK_SEQ_STEPS_MAX + 1;
	seq_check_bad(test, p, "9 steps", "steps");
	p->steps = 255;
	seq_check_bad(test, p, "255 steps", "steps");
	seq_check_good(p);
	p->weight = 0;
	seq_check_bad(test, p, "weight 0", "weight");
	p->weight = TCPK_SEQ_WEIGHT_MAX + 1;
	seq_check_bad(test, p, "weight 1001", "weight");
	p->weight = U16_MAX;
	seq_check_bad(test, p, "weight 65535", "weight");
	seq_check_good(p);
	p->name[0] = '\0';
	seq_check_bad(test, p, "empty name", "name");
	memset(p->name, 'x', sizeof(p->name));
	seq_check_bad(test, p, "unterminated name", "name");
	seq_check_good(p);
	p->step[1][7] = 0;
	seq_check_bad(test, p, "empty middle step", "no system call");
	seq_check_good(p);
	p->step[2][1] = 0;
	seq_check_bad(test, p, "empty last step", "no system call");
	seq_check_good(p);
	p->step[3][0] = 1;
	seq_check_bad(test, p, "call in step 3 of 3", "beyond");
	seq_check_good(p);
	p->step[TCPK_SEQ_STEPS_MAX - 1][TCPK_SEQ_WORDS - 1] = 1ULL << 63;
	seq_check_bad(test, p, "call 511 in step 8 of 3", "beyond");
}

static void ngram_key(struct kunit *test)
{
	u32 k;

	KUNIT_EXPECT_EQ(test, tcpk_ngram_key(0, 0, 0), 1U << 30);
	KUNIT_EXPECT_TRUE(test, tcpk_ngram_key_valid(tcpk_ngram_key(0, 0, 0)));
	k = tcpk_ngram_key(511, 511, 511);
	KUNIT_EXPECT_EQ(test, k, 1U << 30 | 511U << 20 | 511U << 10 | 511U);
	KUNIT_EXPECT_TRUE(test, tcpk_ngram_key_valid(k));
	k = tcpk_ngram_key(1, 2, 3);
	KUNIT_EXPECT_EQ(test, k >> 20 & 0x3ff, 1U);
	KUNIT_EXPECT_EQ(test, k >> 10 & 0x3ff, 2U);
	KUNIT_EXPECT_EQ(test, k & 0x3ff, 3U);
	KUNIT_EXPECT_NE(test, k, tcpk_ngram_key(3, 2, 1));
	KUNIT_EXPECT_NE(test, k, tcpk_ngram_key(2, 1, 3));
	/* A call of 512 or more in any place is not a trigram's. */
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_key_valid(tcpk_ngram_key(512, 0, 0)));
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_key_valid(tcpk_ngram_key(0, 512, 0)));
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_key_valid(tcpk_ngram_key(0, 0, 512)));
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_key_valid(tcpk_ngram_key(1023, 1, 1)));
	/* Nor is 0, nor a number without bit 30 or with bit 31. */
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_key_valid(0));
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_key_valid(tcpk_ngram_key(1, 2, 3) & ~(1U << 30)));
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_key_valid(tcpk_ngram_key(1, 2, 3) | 1U << 31));
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_key_valid(1U << 31));
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_key_valid(3U << 30));
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_key_valid(U32_MAX));
}

/* An empty table of @slots. */
static struct tcpk_ngram_table *ngram_table(struct kunit *test, u32 slots)
{
	struct tcpk_ngram_table *t;

	t = kunit_kmalloc(test, tcpk_ngram_table_size(slots), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	memset(t, 0xa5, tcpk_ngram_table_size(slots));
	tcpk_ngram_table_init(t, slots);
	return t;
}

static void ngram_add(struct kunit *test)
{
	struct tcpk_ngram_table *t = ngram_table(test, 16);
	u32 k = tcpk_ngram_key(SC_OPENAT, SC_READ, SC_CLOSE);
	u32 i;

	KUNIT_EXPECT_EQ(test, t->mask, 15U);
	KUNIT_EXPECT_EQ(test, t->limit, 12U);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 0);
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_EQ(test, t->slot[i], 0U);
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_has(t, k));
	KUNIT_EXPECT_EQ(test, tcpk_ngram_add(t, k), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 1);
	KUNIT_EXPECT_TRUE(test, tcpk_ngram_has(t, k));
	KUNIT_EXPECT_EQ(test, tcpk_ngram_add(t, k), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 1);
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_has(t, tcpk_ngram_key(SC_CLOSE, SC_READ, SC_OPENAT)));
	/* Keys that are no trigram's are refused, and none is in the table. */
	KUNIT_EXPECT_EQ(test, tcpk_ngram_add(t, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, tcpk_ngram_add(t, k | 1U << 31), -EINVAL);
	KUNIT_EXPECT_EQ(test, tcpk_ngram_add(t, k & ~(1U << 30)), -EINVAL);
	KUNIT_EXPECT_EQ(test, tcpk_ngram_add(t, tcpk_ngram_key(512, 0, 0)), -EINVAL);
	KUNIT_EXPECT_EQ(test, tcpk_ngram_add(t, tcpk_ngram_key(0, 0, 1023)), -EINVAL);
	KUNIT_EXPECT_EQ(test, tcpk_ngram_add(t, U32_MAX), -EINVAL);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 1);
	/* 0 marks an empty slot: it is not a key in the table. */
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_has(t, 0));
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_has(t, U32_MAX));
	/* init empties a used table. */
	tcpk_ngram_table_init(t, 16);
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_has(t, k));
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 0);
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_has(t, 0));
}

/*
 * Finds @n distinct valid keys, not in @skip (@nskip of them), whose probe
 * starts at @slot of @t.  Returns how many it found.
 */
static unsigned int ngram_colliding(const struct tcpk_ngram_table *t, u32 slot,
				    u32 *keys, unsigned int n)
{
	unsigned int found = 0;
	u32 a, b, key;

	for (a = 0; a < TCPK_SEQ_SYSCALLS && found < n; a++) {
		for (b = 0; b < TCPK_SEQ_SYSCALLS && found < n; b++) {
			key = tcpk_ngram_key(a, b, (a * 7 + b) % TCPK_SEQ_SYSCALLS);
			if (tcpk_ngram_hash(t, key) == slot)
				keys[found++] = key;
		}
	}
	return found;
}

static void ngram_full(struct kunit *test)
{
	const u32 slots = 64, limit = 48;
	struct tcpk_ngram_table *t = ngram_table(test, slots);
	u32 keys[50], other, i, empty;

	KUNIT_ASSERT_EQ(test, t->limit, limit);
	/*
	 * limit + 2 keys whose probes all start at the last slot: every
	 * insert walks the whole run and wraps to slot 0.
	 */
	KUNIT_ASSERT_EQ(test, ngram_colliding(t, slots - 1, keys, limit + 2), limit + 2);
	for (i = 0; i < limit; i++) {
		KUNIT_EXPECT_EQ_MSG(test, tcpk_ngram_add(t, keys[i]), 1, "key %u", i);
		KUNIT_EXPECT_EQ(test, t->slot[(slots - 1 + i) & (slots - 1)], keys[i]);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), (int)limit);
	/* Full: new keys are refused, colliding or not... */
	KUNIT_EXPECT_EQ(test, tcpk_ngram_add(t, keys[limit]), -ENOSPC);
	other = tcpk_ngram_key(500, 500, 500);
	KUNIT_EXPECT_NE(test, tcpk_ngram_hash(t, other), slots - 1);
	KUNIT_EXPECT_EQ(test, tcpk_ngram_add(t, other), -ENOSPC);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), (int)limit);
	/* ...the ones in it are still found, and are there. */
	for (i = 0; i < limit; i++) {
		KUNIT_EXPECT_TRUE_MSG(test, tcpk_ngram_has(t, keys[i]), "key %u", i);
		KUNIT_EXPECT_EQ_MSG(test, tcpk_ngram_add(t, keys[i]), 0, "key %u", i);
	}
	/* The missing ones are not (their probes end at an empty slot). */
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_has(t, keys[limit]));
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_has(t, keys[limit + 1]));
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_has(t, other));
	for (empty = 0, i = 0; i < slots; i++)
		empty += !t->slot[i];
	KUNIT_EXPECT_EQ(test, empty, slots - limit);
}

static void ngram_smallest(struct kunit *test)
{
	struct tcpk_ngram_table *t;
	u32 keys[4], i, empty;

	KUNIT_EXPECT_EQ(test, tcpk_ngram_table_size(4), sizeof(*t) + 4 * sizeof(u32));
	t = ngram_table(test, 4);
	KUNIT_EXPECT_EQ(test, t->mask, 3U);
	KUNIT_EXPECT_EQ(test, t->limit, 3U);
	/* Colliding: all at slot 2, so the third wraps to slot 0. */
	KUNIT_ASSERT_EQ(test, ngram_colliding(t, 2, keys, 4), 4U);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, tcpk_ngram_add(t, keys[i]), 1);
	KUNIT_EXPECT_EQ(test, tcpk_ngram_add(t, keys[3]), -ENOSPC);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_TRUE(test, tcpk_ngram_has(t, keys[i]));
		KUNIT_EXPECT_EQ(test, tcpk_ngram_add(t, keys[i]), 0);
	}
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_has(t, keys[3]));
	KUNIT_EXPECT_EQ(test, t->slot[1], 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 3);
	/* Any keys: three in, the fourth refused. */
	t = ngram_table(test, 4);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, tcpk_ngram_add(t, tcpk_ngram_key(i, i, i)), 1);
	KUNIT_EXPECT_EQ(test, tcpk_ngram_add(t, tcpk_ngram_key(9, 9, 9)), -ENOSPC);
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_has(t, tcpk_ngram_key(9, 9, 9)));
	for (empty = 0, i = 0; i < 4; i++)
		empty += !t->slot[i];
	KUNIT_EXPECT_EQ(test, empty, 1U);
}

static void profile_learn(struct kunit *test)
{
	struct tcpk_ngram_table *t = ngram_table(test, 64);
	struct tcpk_seq_state st;

	seq_state(&st);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, 1), TCPK_PROFILE_NONE);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, 2), TCPK_PROFILE_NONE);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 0);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, 3), TCPK_PROFILE_LEARNED);
	KUNIT_EXPECT_TRUE(test, tcpk_ngram_has(t, tcpk_ngram_key(1, 2, 3)));
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, 4), TCPK_PROFILE_LEARNED);
	KUNIT_EXPECT_TRUE(test, tcpk_ngram_has(t, tcpk_ngram_key(2, 3, 4)));
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, 1), TCPK_PROFILE_LEARNED);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, 2), TCPK_PROFILE_LEARNED);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, 3), TCPK_PROFILE_KNOWN);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, 4), TCPK_PROFILE_KNOWN);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 4);
	/* Learning judges nothing: the frame and the counts stay empty. */
	KUNIT_EXPECT_EQ(test, tcpk_seq_lfc(&st), 0U);
	KUNIT_EXPECT_EQ(test, st.trigrams, 0U);
	KUNIT_EXPECT_EQ(test, st.novel_total, 0U);
	/* 0 and 511 are calls. */
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, 0), TCPK_PROFILE_LEARNED);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, 511), TCPK_PROFILE_LEARNED);
	KUNIT_EXPECT_TRUE(test, tcpk_ngram_has(t, tcpk_ngram_key(4, 0, 511)));

	/* Full: new trigrams are FULL, known ones still KNOWN. */
	t = ngram_table(test, 4);
	seq_state(&st);
	tcpk_seq_profile(t, true, &st, 1);
	tcpk_seq_profile(t, true, &st, 2);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, 3), TCPK_PROFILE_LEARNED);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, 4), TCPK_PROFILE_LEARNED);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, 5), TCPK_PROFILE_LEARNED);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, 6), TCPK_PROFILE_FULL);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, 1), TCPK_PROFILE_FULL);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, 2), TCPK_PROFILE_FULL);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, 3), TCPK_PROFILE_KNOWN);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, 4), TCPK_PROFILE_KNOWN);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 3);
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_has(t, tcpk_ngram_key(4, 5, 6)));
}

static void profile_detect(struct kunit *test)
{
	struct tcpk_ngram_table *t = ngram_table(test, 64);
	struct tcpk_seq_state st;
	u32 i;

	/* Learn the cycle 0 1 2 3 4 (five trigrams). */
	seq_state(&st);
	for (i = 0; i < 12; i++)
		tcpk_seq_profile(t, true, &st, i % 5);
	KUNIT_ASSERT_EQ(test, atomic_read(&t->count), 5);

	seq_state(&st);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, false, &st, 0), TCPK_PROFILE_NONE);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, false, &st, 1), TCPK_PROFILE_NONE);
	KUNIT_EXPECT_EQ(test, st.trigrams, 0U);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, false, &st, 2), TCPK_PROFILE_KNOWN);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, false, &st, 1), TCPK_PROFILE_NOVEL);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, false, &st, 2), TCPK_PROFILE_NOVEL);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, false, &st, 3), TCPK_PROFILE_KNOWN);
	KUNIT_EXPECT_EQ(test, tcpk_seq_lfc(&st), 2U);
	KUNIT_EXPECT_EQ(test, st.trigrams, 4U);
	KUNIT_EXPECT_EQ(test, st.novel_total, 2U);
	/* Detection adds nothing. */
	KUNIT_EXPECT_EQ(test, atomic_read(&t->count), 5);
	KUNIT_EXPECT_FALSE(test, tcpk_ngram_has(t, tcpk_ngram_key(2, 1, 2)));

	/* 33 novel trigrams: the frame holds 32 of them. */
	seq_state(&st);
	for (i = 0; i < 35; i++)
		KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, false, &st, 100 + i),
				i < 2 ? TCPK_PROFILE_NONE : TCPK_PROFILE_NOVEL);
	KUNIT_EXPECT_EQ(test, tcpk_seq_lfc(&st), TCPK_PROFILE_FRAME);
	KUNIT_EXPECT_EQ(test, st.lfc_peak, TCPK_PROFILE_FRAME);
	KUNIT_EXPECT_EQ(test, st.trigrams, 33U);
	KUNIT_EXPECT_EQ(test, st.novel_total, 33U);
	/* A chain break, then known trigrams only: each one takes one off. */
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, false, &st, 512), TCPK_PROFILE_NONE);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, false, &st, 0), TCPK_PROFILE_NONE);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, false, &st, 1), TCPK_PROFILE_NONE);
	KUNIT_EXPECT_EQ(test, tcpk_seq_lfc(&st), TCPK_PROFILE_FRAME);
	for (i = 0; i < TCPK_PROFILE_FRAME; i++) {
		KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, false, &st, (i + 2) % 5),
				TCPK_PROFILE_KNOWN);
		KUNIT_EXPECT_EQ(test, tcpk_seq_lfc(&st), TCPK_PROFILE_FRAME - 1 - i);
	}
	KUNIT_EXPECT_EQ(test, tcpk_seq_lfc(&st), 0U);
	KUNIT_EXPECT_EQ(test, st.lfc_peak, TCPK_PROFILE_FRAME);
	KUNIT_EXPECT_EQ(test, st.trigrams, 33U + TCPK_PROFILE_FRAME);
	KUNIT_EXPECT_EQ(test, st.novel_total, 33U);
	/* One novel again: 1, the peak stays. */
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, false, &st, 300), TCPK_PROFILE_NOVEL);
	KUNIT_EXPECT_EQ(test, tcpk_seq_lfc(&st), 1U);
	KUNIT_EXPECT_EQ(test, st.lfc_peak, TCPK_PROFILE_FRAME);
	/* The counts saturate. */
	st.trigrams = U32_MAX - 1;
	st.novel_total = U32_MAX - 1;
	tcpk_seq_profile(t, false, &st, 301);
	tcpk_seq_profile(t, false, &st, 302);
	KUNIT_EXPECT_EQ(test, st.trigrams, U32_MAX);
	KUNIT_EXPECT_EQ(test, st.novel_total, U32_MAX);
}

static void profile_break(struct kunit *test)
{
	static const u32 breaks[] = { 512, 1024, 1026, 0xffff, U32_MAX };
	struct tcpk_ngram_table *t = ngram_table(test, 64);
	struct tcpk_seq_state st;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(breaks); i++) {
		tcpk_ngram_table_init(t, 64);
		seq_state(&st);
		tcpk_seq_profile(t, true, &st, 1);
		tcpk_seq_profile(t, true, &st, 2);
		KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, 3), TCPK_PROFILE_LEARNED);
		/* The call outside makes no trigram, nor do the next two. */
		KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, breaks[i]),
				TCPK_PROFILE_NONE);
		KUNIT_EXPECT_EQ(test, st.prev[1], TCPK_SEQ_NONE);
		KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, 4), TCPK_PROFILE_NONE);
		KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, 5), TCPK_PROFILE_NONE);
		KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, true, &st, 6), TCPK_PROFILE_LEARNED);
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&t->count), 2, "break %#x", breaks[i]);
		KUNIT_EXPECT_TRUE(test, tcpk_ngram_has(t, tcpk_ngram_key(4, 5, 6)));
		KUNIT_EXPECT_FALSE(test, tcpk_ngram_has(t, tcpk_ngram_key(3, 4, 5)));
		KUNIT_EXPECT_FALSE(test, tcpk_ngram_has(t, tcpk_ngram_key(2, 3, 4)));
		KUNIT_EXPECT_FALSE(test, tcpk_ngram_has(t, tcpk_ngram_key(2, 3, breaks[i])));
	}
	/* In detection the break moves no frame. */
	seq_state(&st);
	tcpk_seq_profile(t, false, &st, 7);
	tcpk_seq_profile(t, false, &st, 8);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, false, &st, 9), TCPK_PROFILE_NOVEL);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, false, &st, 512), TCPK_PROFILE_NONE);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, false, &st, 10), TCPK_PROFILE_NONE);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, false, &st, 11), TCPK_PROFILE_NONE);
	KUNIT_EXPECT_EQ(test, st.trigrams, 1U);
	KUNIT_EXPECT_EQ(test, st.novel, 1U);
}

static void seq_reset(struct kunit *test)
{
	struct tcpk_seq_set *set = seq_set_alloc(test, 1);
	struct tcpk_ngram_table *t = ngram_table(test, 16);
	struct tcpk_seq_state st;
	unsigned int i;

	memset(&st, 0x5a, sizeof(st));
	tcpk_seq_state_reset(&st);
	for (i = 0; i < TCPK_SEQ_PATTERNS_MAX; i++) {
		KUNIT_EXPECT_EQ(test, st.step[i], 0);
		KUNIT_EXPECT_EQ(test, st.gap[i], 0);
	}
	KUNIT_EXPECT_EQ(test, st.prev[0], TCPK_SEQ_NONE);
	KUNIT_EXPECT_EQ(test, st.prev[1], TCPK_SEQ_NONE);
	KUNIT_EXPECT_EQ(test, st.novel, 0U);
	KUNIT_EXPECT_EQ(test, tcpk_seq_lfc(&st), 0U);
	/* The generation is left for tcpk_seq_feed(). */
	KUNIT_EXPECT_EQ(test, st.gen, 0x5a5a5a5aU);

	/* A pattern under way starts again. */
	seq_pat(test, &set->pat[0], 1, 4, abc, 3);
	seq_state(&st);
	KUNIT_EXPECT_EQ(test, seq_repeat(set, &st, A, 1) | seq_repeat(set, &st, B, 1), 0ULL);
	tcpk_seq_state_reset(&st);
	KUNIT_EXPECT_EQ(test, tcpk_seq_feed(set, &st, C), 0ULL);
	KUNIT_EXPECT_EQ(test, seq_run(test, set, &st, abc, 3), 1ULL);
	/* So does the chain of trigrams, and the frame empties. */
	tcpk_seq_profile(t, false, &st, 1);
	tcpk_seq_profile(t, false, &st, 2);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, false, &st, 3), TCPK_PROFILE_NOVEL);
	KUNIT_EXPECT_EQ(test, tcpk_seq_lfc(&st), 1U);
	tcpk_seq_state_reset(&st);
	KUNIT_EXPECT_EQ(test, tcpk_seq_lfc(&st), 0U);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, false, &st, 4), TCPK_PROFILE_NONE);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, false, &st, 5), TCPK_PROFILE_NONE);
	KUNIT_EXPECT_EQ(test, tcpk_seq_profile(t, false, &st, 6), TCPK_PROFILE_NOVEL);
}

static struct kunit_case seq_cases[] = {
	KUNIT_CASE(seq_three_steps),
	KUNIT_CASE(seq_previous_step),
	KUNIT_CASE(seq_gap),
	KUNIT_CASE(seq_gap_zero),
	KUNIT_CASE(seq_again),
	KUNIT_CASE(seq_several),
	KUNIT_CASE(seq_out_of_range),
	KUNIT_CASE(seq_generation),
	KUNIT_CASE(seq_stale_step),
	KUNIT_CASE(seq_no_set),
	KUNIT_CASE(seq_defaults_convert),
	KUNIT_CASE(seq_from_default_bad),
	KUNIT_CASE(seq_defaults_seed),
	KUNIT_CASE(seq_defaults_gap),
	KUNIT_CASE(seq_check),
	KUNIT_CASE(ngram_key),
	KUNIT_CASE(ngram_add),
	KUNIT_CASE(ngram_full),
	KUNIT_CASE(ngram_smallest),
	KUNIT_CASE(profile_learn),
	KUNIT_CASE(profile_detect),
	KUNIT_CASE(profile_break),
	KUNIT_CASE(seq_reset),
	{}
};

static struct kunit_suite seq_suite = {
	.name = "tcp_kernel_seq",
	.test_cases = seq_cases,
};

kunit_test_suites(&seq_suite);
