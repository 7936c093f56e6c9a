/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - system call sequences: patterns and learned profiles
 *
 * Freestanding: behavior/seq.c builds into the module and, unchanged,
 * into tools/tcp-replay (with tools/tcp-replay/seq_user.h), so the offline
 * replay scores traces exactly as the kernel scores processes.  Nothing
 * here allocates, sleeps or takes a lock: the callers own the memory and
 * serialise the writers of a &struct tcpk_seq_state.
 *
 * Two methods, both fed one system call number at a time:
 *
 * - Patterns (rules written by people, as data): an ordered list of
 *   steps, each a set of system call numbers; a process completes a
 *   pattern when it makes a call of every step in order, each within
 *   max_gap calls of the previous step's last call.  The default set
 *   (tcpk_seq_defaults) is the seed's exfiltration and privilege
 *   escalation sequences, with their modern variants, plus
 *   download-and-exec and fileless exec.
 * - Learned profiles (the classic sequence-of-system-calls method,
 *   "stide"): a set of the trigrams (three consecutive calls) an
 *   executable made while learning; when detecting, each trigram not in
 *   the set is novel, and the number of novel trigrams among the last
 *   %TCPK_PROFILE_FRAME (the locality frame count) measures how far the
 *   process is from its normal behaviour.
 */
#ifndef _TCPK_SEQ_H
#define _TCPK_SEQ_H

#ifdef __KERNEL__
#include <linux/atomic.h>
#include <linux/types.h>
#else
#include "tcp-replay/seq_user.h"	/* user space: tools/ */
#endif
#include <linux/tcp_kernel.h>

/*
 * A step's set of system calls: bit n for call n (native x86_64
 * numbers below %TCPK_SEQ_SYSCALLS).
 */
#define TCPK_SEQ_WORDS		(TCPK_SEQ_SYSCALLS / 64)

/**
 * struct tcpk_seq_pattern - one pattern
 * @id: its id, unique in its set (1..U32_MAX).
 * @weight: anomaly score points when a process completes it.
 * @steps: its steps, 2..%TCPK_SEQ_STEPS_MAX.
 * @max_gap: at most this many other calls between consecutive steps.
 * @name: its name, NUL-terminated.
 * @step: the calls of each step (bitmaps, bit n for call n).
 */
struct tcpk_seq_pattern {
	u32 id;
	u16 weight;
	u8 steps;
	u8 max_gap;
	char name[TCPK_SEQ_NAME_MAX];
	u64 step[TCPK_SEQ_STEPS_MAX][TCPK_SEQ_WORDS];
};

/**
 * struct tcpk_seq_set - the patterns in force
 * @gen: generation: changes with every new set, so that a process's
 *	progress through the old set's patterns is not read against the new
 *	set's.
 * @count: patterns in @pat, at most %TCPK_SEQ_PATTERNS_MAX.
 * @pat: the patterns, in id order.
 */
struct tcpk_seq_set {
	u32 gen;
	u32 count;
	struct tcpk_seq_pattern pat[];
};

/* No call yet, in &struct tcpk_seq_state's @prev. */
#define TCPK_SEQ_NONE		0xffff

/**
 * struct tcpk_seq_state - one process's progress
 * @gen: the generation of the pattern set @step and @gap refer to.
 * @step: per pattern, the next step to match (0: not started).
 * @gap: per pattern, calls since its last matched step.
 * @prev: the last two calls (%TCPK_SEQ_NONE before there are any), oldest
 *	first, for the trigrams.
 * @novel: the last %TCPK_PROFILE_FRAME trigrams looked up in a profile,
 *	bit 0 the newest: 1 if it was not in the profile.
 * @lfc_peak: the highest locality frame count so far.
 * @trigrams: trigrams looked up in a profile, saturating.
 * @novel_total: of which novel, saturating.
 *
 * Zeroed, then tcpk_seq_state_reset(), starts it.  The caller serialises
 * every call that writes it.
 */
struct tcpk_seq_state {
	u32 gen;
	u8 step[TCPK_SEQ_PATTERNS_MAX];
	u8 gap[TCPK_SEQ_PATTERNS_MAX];
	u16 prev[2];
	u32 novel;
	u32 lfc_peak;
	u32 trigrams;
	u32 novel_total;
};

void tcpk_seq_state_reset(struct tcpk_seq_state *st);
int tcpk_seq_pattern_check(const struct tcpk_seq_pattern *p,
			   const char **errmsg);
u64 tcpk_seq_feed(const struct tcpk_seq_set *set, struct tcpk_seq_state *st,
		  u32 nr);

/**
 * struct tcpk_seq_default - a built-in pattern, in readable form
 * @name: its name.
 * @weight: its points.
 * @max_gap: its gap.
 * @steps: each step a list of call numbers ended by -1.
 */
struct tcpk_seq_default {
	const char *name;
	u16 weight;
	u8 max_gap;
	const short *steps[TCPK_SEQ_STEPS_MAX];
};

extern const struct tcpk_seq_default tcpk_seq_defaults[];
extern const unsigned int tcpk_seq_defaults_count;
int tcpk_seq_pattern_from_default(struct tcpk_seq_pattern *p,
				  const struct tcpk_seq_default *d, u32 id);

/**
 * struct tcpk_ngram_table - a learned profile's trigrams
 * @mask: slots - 1 (slots is a power of two).
 * @limit: most trigrams it takes (three quarters of the slots).
 * @count: trigrams in it.
 * @slot: open addressing, linear probing; 0 is empty, a trigram's key
 *	(tcpk_ngram_key()) is never 0.  Insert-only: a slot once set never
 *	changes, so lookups run without a lock, concurrently with inserts
 *	(cmpxchg() claims a slot).
 */
struct tcpk_ngram_table {
	u32 mask;
	u32 limit;
	atomic_t count;
	u32 slot[];
};

/**
 * tcpk_ngram_key() - the key of a trigram
 * @a: the oldest call.
 * @b: the next.
 * @c: the newest.
 *
 * Calls are below %TCPK_SEQ_SYSCALLS (10 bits each); bit 30 keeps the key
 * from being 0.
 *
 * Return: the key.
 */
static inline u32 tcpk_ngram_key(u32 a, u32 b, u32 c)
{
	return 1U << 30 | (a & 0x3ff) << 20 | (b & 0x3ff) << 10 | (c & 0x3ff);
}

size_t tcpk_ngram_table_size(u32 slots);
void tcpk_ngram_table_init(struct tcpk_ngram_table *t, u32 slots);
bool tcpk_ngram_has(const struct tcpk_ngram_table *t, u32 key);
int tcpk_ngram_add(struct tcpk_ngram_table *t, u32 key);
bool tcpk_ngram_key_valid(u32 key);

/**
 * enum tcpk_profile_step - what a call did to a profile (tcpk_seq_profile())
 * @TCPK_PROFILE_NONE: no trigram yet (fewer than three calls).
 * @TCPK_PROFILE_KNOWN: the trigram is in the profile.
 * @TCPK_PROFILE_NOVEL: it is not (detection).
 * @TCPK_PROFILE_LEARNED: it was added (learning).
 * @TCPK_PROFILE_FULL: it was new but the profile is full (learning).
 */
enum tcpk_profile_step {
	TCPK_PROFILE_NONE,
	TCPK_PROFILE_KNOWN,
	TCPK_PROFILE_NOVEL,
	TCPK_PROFILE_LEARNED,
	TCPK_PROFILE_FULL,
};

enum tcpk_profile_step tcpk_seq_profile(struct tcpk_ngram_table *t,
					bool learn, struct tcpk_seq_state *st,
					u32 nr);
void tcpk_seq_push(struct tcpk_seq_state *st, u32 nr);
unsigned int tcpk_seq_lfc(const struct tcpk_seq_state *st);

unsigned int tcpk_syscall_class(u32 nr);

/**
 * struct tcpk_topk - a process's most frequent calls (space-saving sketch)
 * @count: the count of each slot, 0 for an empty one.
 * @nr: the call of each slot.
 *
 * The sketch of Metwally, Agrawal and El Abbadi: a call not in it takes
 * the slot of the smallest count, with that count plus one.  A call made
 * more often than 1/%TCPK_TOP_SYSCALLS of the time is always in it, and
 * a count is at most the smallest count too high.  The caller
 * serialises the writers.
 */
struct tcpk_topk {
	u32 count[TCPK_TOP_SYSCALLS];
	u16 nr[TCPK_TOP_SYSCALLS];
};

void tcpk_topk_add(struct tcpk_topk *t, u32 nr);

#endif /* _TCPK_SEQ_H */
