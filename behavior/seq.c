// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - system call sequences: patterns and learned profiles
 *
 * Freestanding (see behavior/seq.h): built into the module and into
 * tools/tcp-replay.  Integer only, no allocation, no lock, no sleeping;
 * every loop is bounded by a constant or by the table's size.
 */

#ifdef __KERNEL__
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/string.h>
#endif

#include "behavior/seq.h"

static bool tcpk_seq_in(const u64 *set, u32 nr)
{
	return nr < TCPK_SEQ_SYSCALLS && (set[nr / 64] >> (nr % 64) & 1);
}

/**
 * tcpk_seq_state_reset() - start a process's progress afresh
 * @st: its state.
 *
 * No pattern started, no previous call, an empty locality frame; the
 * pattern generation is left for tcpk_seq_feed() to check.
 */
void tcpk_seq_state_reset(struct tcpk_seq_state *st)
{
	memset(st->step, 0, sizeof(st->step));
	memset(st->gap, 0, sizeof(st->gap));
	st->prev[0] = TCPK_SEQ_NONE;
	st->prev[1] = TCPK_SEQ_NONE;
	st->novel = 0;
}

/**
 * tcpk_seq_pattern_check() - whether a pattern can be used
 * @p: the pattern.
 * @errmsg: set to why not.
 *
 * Return: 0, or -EINVAL with *@errmsg set.
 */
int tcpk_seq_pattern_check(const struct tcpk_seq_pattern *p,
			   const char **errmsg)
{
	unsigned int i, w, n;

	if (!p->id) {
		*errmsg = "pattern id 0 is reserved";
		return -EINVAL;
	}
	if (p->steps < 2 || p->steps > TCPK_SEQ_STEPS_MAX) {
		*errmsg = "a pattern has 2 to 8 steps";
		return -EINVAL;
	}
	if (!p->weight || p->weight > TCPK_SEQ_WEIGHT_MAX) {
		*errmsg = "a pattern's weight is 1 to 1000";
		return -EINVAL;
	}
	if (!p->name[0] || strnlen(p->name, sizeof(p->name)) == sizeof(p->name)) {
		*errmsg = "a pattern needs a name of 1 to 31 bytes";
		return -EINVAL;
	}
	for (i = 0; i < p->steps; i++) {
		for (n = 0, w = 0; w < TCPK_SEQ_WORDS; w++)
			n += hweight64(p->step[i][w]);
		if (!n) {
			*errmsg = "a pattern's step has no system call";
			return -EINVAL;
		}
	}
	for (; i < TCPK_SEQ_STEPS_MAX; i++) {
		for (w = 0; w < TCPK_SEQ_WORDS; w++) {
			if (p->step[i][w]) {
				*errmsg = "system calls given beyond the pattern's last step";
				return -EINVAL;
			}
		}
	}
	return 0;
}

/*
 * One pattern, one call: returns true when @nr completes @p.  The next
 * step is *@step (0: not started), *@gap the calls since the last matched
 * step.  A call of the step before the next one (a read among reads)
 * keeps the pattern where it is and restarts the gap; any other call
 * counts against the gap, and a gap beyond max_gap abandons the pattern,
 * after which @nr may start it again.
 */
static bool tcpk_seq_pattern_feed(const struct tcpk_seq_pattern *p, u8 *step,
				  u8 *gap, u32 nr)
{
	u8 k = *step;

	if (k >= p->steps)	/* a pattern of a set that changed under us */
		k = 0;
	if (tcpk_seq_in(p->step[k], nr)) {
		*gap = 0;
		if (++k == p->steps) {
			*step = 0;
			return true;
		}
		*step = k;
		return false;
	}
	if (!k)
		return false;
	if (tcpk_seq_in(p->step[k - 1], nr)) {
		*gap = 0;
		return false;
	}
	if (*gap < p->max_gap) {
		(*gap)++;
		return false;
	}
	*gap = 0;
	*step = tcpk_seq_in(p->step[0], nr) ? 1 : 0;
	return false;
}

/**
 * tcpk_seq_feed() - one call of a process, against every pattern
 * @set: the patterns in force (may be NULL or empty).
 * @st: the process's state; serialised by the caller.
 * @nr: the call (native x86_64 number; others match no step).
 *
 * A state from another generation of patterns starts again from no
 * progress.
 *
 * Return: the patterns this call completed, bit i for @set->pat[i].
 */
u64 tcpk_seq_feed(const struct tcpk_seq_set *set, struct tcpk_seq_state *st,
		  u32 nr)
{
	u64 done = 0;
	u32 i;

	if (!set || !set->count)
		return 0;
	if (st->gen != set->gen) {
		memset(st->step, 0, sizeof(st->step));
		memset(st->gap, 0, sizeof(st->gap));
		st->gen = set->gen;
	}
	for (i = 0; i < set->count && i < TCPK_SEQ_PATTERNS_MAX; i++)
		if (tcpk_seq_pattern_feed(&set->pat[i], &st->step[i],
					  &st->gap[i], nr))
			done |= 1ULL << i;
	return done;
}

/*
 * The built-in patterns, native x86_64 numbers (arch/x86/entry/syscalls/
 * syscall_64.tbl), written out so that the user-space build has them
 * without the kernel's unistd.h.
 */
static const short tcpk_sc_open[] = { 2, 85, 257, 437, -1 };
	/* open, creat, openat, openat2 */
static const short tcpk_sc_read[] = { 0, 17, 19, 40, 295, 327, -1 };
	/* read, pread64, readv, sendfile, preadv, preadv2 */
static const short tcpk_sc_net_out[] = { 41, 42, -1 };
	/* socket, connect */
static const short tcpk_sc_setuid[] = { 105, 113, 117, -1 };
	/* setuid, setreuid, setresuid */
static const short tcpk_sc_setgid[] = { 106, 114, 119, -1 };
	/* setgid, setregid, setresgid */
static const short tcpk_sc_exec[] = { 59, 322, -1 };
	/* execve, execveat */
static const short tcpk_sc_connect[] = { 42, -1 };
static const short tcpk_sc_write[] = { 1, 18, 20, 296, 328, -1 };
	/* write, pwrite64, writev, pwritev, pwritev2 */
static const short tcpk_sc_chmod[] = { 90, 91, 268, 452, -1 };
	/* chmod, fchmod, fchmodat, fchmodat2 */
static const short tcpk_sc_memfd[] = { 319, -1 };
	/* memfd_create */

const struct tcpk_seq_default tcpk_seq_defaults[] = {
	{ "exfiltration", 300, 64,
	  { tcpk_sc_open, tcpk_sc_read, tcpk_sc_net_out } },
	{ "privilege-escalation", 300, 64,
	  { tcpk_sc_setuid, tcpk_sc_setgid, tcpk_sc_exec } },
	{ "download-exec", 300, 255,
	  { tcpk_sc_connect, tcpk_sc_write, tcpk_sc_chmod, tcpk_sc_exec } },
	{ "fileless-exec", 400, 64,
	  { tcpk_sc_memfd, tcpk_sc_write, tcpk_sc_exec } },
};

const unsigned int tcpk_seq_defaults_count = ARRAY_SIZE(tcpk_seq_defaults);

/**
 * tcpk_seq_pattern_from_default() - a built-in pattern, as a pattern
 * @p: written.
 * @d: the built-in pattern.
 * @id: the id to give it.
 *
 * Return: 0, or -EINVAL if it does not pass tcpk_seq_pattern_check().
 */
int tcpk_seq_pattern_from_default(struct tcpk_seq_pattern *p,
				  const struct tcpk_seq_default *d, u32 id)
{
	const char *errmsg;
	unsigned int i, j;

	memset(p, 0, sizeof(*p));
	p->id = id;
	p->weight = d->weight;
	p->max_gap = d->max_gap;
	for (j = 0; d->name[j] && j < sizeof(p->name) - 1; j++)
		p->name[j] = d->name[j];
	for (i = 0; i < TCPK_SEQ_STEPS_MAX && d->steps[i]; i++) {
		for (j = 0; d->steps[i][j] >= 0; j++) {
			u32 nr = d->steps[i][j];

			if (nr < TCPK_SEQ_SYSCALLS)
				p->step[i][nr / 64] |= 1ULL << (nr % 64);
		}
	}
	p->steps = i;
	return tcpk_seq_pattern_check(p, &errmsg);
}

/**
 * tcpk_ngram_table_size() - bytes of a profile's table
 * @slots: its slots, a power of two.
 *
 * Return: the size to allocate.
 */
size_t tcpk_ngram_table_size(u32 slots)
{
	return sizeof(struct tcpk_ngram_table) + (size_t)slots * sizeof(u32);
}

/**
 * tcpk_ngram_table_init() - an empty table
 * @t: tcpk_ngram_table_size(@slots) bytes.
 * @slots: a power of two, at least 4.
 */
void tcpk_ngram_table_init(struct tcpk_ngram_table *t, u32 slots)
{
	memset(t->slot, 0, (size_t)slots * sizeof(u32));
	t->mask = slots - 1;
	t->limit = slots / 4 * 3;
	atomic_set(&t->count, 0);
}

/* Fibonacci hashing of the key into the table's first slot. */
static u32 tcpk_ngram_hash(const struct tcpk_ngram_table *t, u32 key)
{
	return (key * 0x9e3779b1U) >> 8 & t->mask;
}

/**
 * tcpk_ngram_key_valid() - whether a number is a trigram's key
 * @key: the number.
 *
 * Return: true if it is tcpk_ngram_key() of three calls below
 * %TCPK_SEQ_SYSCALLS.
 */
bool tcpk_ngram_key_valid(u32 key)
{
	return (key >> 30) == 1 && ((key >> 20) & 0x3ff) < TCPK_SEQ_SYSCALLS &&
	       ((key >> 10) & 0x3ff) < TCPK_SEQ_SYSCALLS &&
	       (key & 0x3ff) < TCPK_SEQ_SYSCALLS;
}

/**
 * tcpk_ngram_has() - whether a trigram is in a table
 * @t: the table.
 * @key: its key.
 *
 * Lockless, concurrently with tcpk_ngram_add(): a table is never more
 * than three quarters full, so the probe meets an empty slot.
 *
 * Return: true if it is.
 */
bool tcpk_ngram_has(const struct tcpk_ngram_table *t, u32 key)
{
	u32 i = tcpk_ngram_hash(t, key), n;

	for (n = 0; n <= t->mask; n++, i = (i + 1) & t->mask) {
		u32 s = READ_ONCE(t->slot[i]);

		if (!s)
			return false;
		if (s == key)
			return true;
	}
	return false;
}

/**
 * tcpk_ngram_add() - add a trigram to a table
 * @t: the table.
 * @key: its key (tcpk_ngram_key_valid()).
 *
 * Lockless: a writer reserves a place in the count first (never past
 * the limit), then claims an empty slot with cmpxchg(), and gives the
 * place back if another writer took the slot; so concurrent adds of the
 * same key leave it once and the table never holds more than its limit.
 *
 * Return: 1 if added, 0 if it was there, -ENOSPC if the table is full,
 * -EINVAL for a key that is not a trigram's.
 */
int tcpk_ngram_add(struct tcpk_ngram_table *t, u32 key)
{
	u32 i = tcpk_ngram_hash(t, key), n;

	if (!tcpk_ngram_key_valid(key))
		return -EINVAL;
	for (n = 0; n <= t->mask; n++, i = (i + 1) & t->mask) {
		u32 s = READ_ONCE(t->slot[i]);

		if (s == key)
			return 0;
		if (s)
			continue;
		if (!atomic_add_unless(&t->count, 1, t->limit))
			return -ENOSPC;
		s = cmpxchg(&t->slot[i], 0, key);
		if (!s)
			return 1;
		atomic_dec(&t->count);
		if (s == key)
			return 0;
	}
	return -ENOSPC;
}

/**
 * tcpk_seq_push() - remember a call for the next trigrams
 * @st: the process's state.
 * @nr: the call.
 */
void tcpk_seq_push(struct tcpk_seq_state *st, u32 nr)
{
	st->prev[0] = st->prev[1];
	st->prev[1] = nr < TCPK_SEQ_SYSCALLS ? nr : TCPK_SEQ_NONE;
}

/**
 * tcpk_seq_lfc() - the locality frame count
 * @st: the process's state.
 *
 * Return: how many of its last %TCPK_PROFILE_FRAME trigrams were novel.
 */
unsigned int tcpk_seq_lfc(const struct tcpk_seq_state *st)
{
	return hweight32(st->novel);
}

/**
 * tcpk_seq_profile() - one call against a learned profile
 * @t: the profile's trigrams.
 * @learn: add the trigram (learning) rather than judge it (detection).
 * @st: the process's state; serialised by the caller.
 * @nr: the call.
 *
 * The trigram is the two calls before @nr and @nr; a call outside the
 * table of native calls (a 32-bit one) breaks the chain instead.  In
 * detection the locality frame moves by one trigram.
 *
 * Return: what the call did (&enum tcpk_profile_step).
 */
enum tcpk_profile_step tcpk_seq_profile(struct tcpk_ngram_table *t,
					bool learn, struct tcpk_seq_state *st,
					u32 nr)
{
	enum tcpk_profile_step r = TCPK_PROFILE_NONE;
	u32 key;
	int ret;

	if (nr >= TCPK_SEQ_SYSCALLS || st->prev[0] == TCPK_SEQ_NONE ||
	    st->prev[1] == TCPK_SEQ_NONE)
		goto out;
	key = tcpk_ngram_key(st->prev[0], st->prev[1], nr);
	if (learn) {
		ret = tcpk_ngram_add(t, key);
		r = ret > 0 ? TCPK_PROFILE_LEARNED :
		    ret < 0 ? TCPK_PROFILE_FULL : TCPK_PROFILE_KNOWN;
		goto out;
	}
	r = tcpk_ngram_has(t, key) ? TCPK_PROFILE_KNOWN : TCPK_PROFILE_NOVEL;
	st->novel = st->novel << 1 | (r == TCPK_PROFILE_NOVEL);
	if (st->trigrams < U32_MAX)
		st->trigrams++;
	if (r == TCPK_PROFILE_NOVEL && st->novel_total < U32_MAX)
		st->novel_total++;
	if (tcpk_seq_lfc(st) > st->lfc_peak)
		st->lfc_peak = tcpk_seq_lfc(st);
out:
	tcpk_seq_push(st, nr);
	return r;
}

/*
 * The class of each native x86_64 call (arch/x86/entry/syscalls/
 * syscall_64.tbl numbers), TCPK_SC_OTHER for any not listed.
 */
static const u8 tcpk_syscall_classes[TCPK_SEQ_SYSCALLS] = {
	/* file-read */
	[0] = TCPK_SC_FILE_READ, [17] = TCPK_SC_FILE_READ,
	[19] = TCPK_SC_FILE_READ, [40] = TCPK_SC_FILE_READ,
	[78] = TCPK_SC_FILE_READ, [89] = TCPK_SC_FILE_READ,
	[217] = TCPK_SC_FILE_READ, [267] = TCPK_SC_FILE_READ,
	[295] = TCPK_SC_FILE_READ, [327] = TCPK_SC_FILE_READ,
	/* file-write */
	[1] = TCPK_SC_FILE_WRITE, [18] = TCPK_SC_FILE_WRITE,
	[20] = TCPK_SC_FILE_WRITE, [76] = TCPK_SC_FILE_WRITE,
	[77] = TCPK_SC_FILE_WRITE, [275] = TCPK_SC_FILE_WRITE,
	[276] = TCPK_SC_FILE_WRITE, [285] = TCPK_SC_FILE_WRITE,
	[296] = TCPK_SC_FILE_WRITE, [326] = TCPK_SC_FILE_WRITE,
	[328] = TCPK_SC_FILE_WRITE,
	/* file-meta */
	[2] = TCPK_SC_FILE_META, [3] = TCPK_SC_FILE_META,
	[4] = TCPK_SC_FILE_META, [5] = TCPK_SC_FILE_META,
	[6] = TCPK_SC_FILE_META, [8] = TCPK_SC_FILE_META,
	[16] = TCPK_SC_FILE_META, [21] = TCPK_SC_FILE_META,
	[32] = TCPK_SC_FILE_META, [33] = TCPK_SC_FILE_META,
	[72] = TCPK_SC_FILE_META, [73] = TCPK_SC_FILE_META,
	[74] = TCPK_SC_FILE_META, [75] = TCPK_SC_FILE_META,
	[79] = TCPK_SC_FILE_META, [80] = TCPK_SC_FILE_META,
	[81] = TCPK_SC_FILE_META, [82] = TCPK_SC_FILE_META,
	[83] = TCPK_SC_FILE_META, [84] = TCPK_SC_FILE_META,
	[85] = TCPK_SC_FILE_META, [86] = TCPK_SC_FILE_META,
	[87] = TCPK_SC_FILE_META, [88] = TCPK_SC_FILE_META,
	[90] = TCPK_SC_FILE_META, [91] = TCPK_SC_FILE_META,
	[92] = TCPK_SC_FILE_META, [93] = TCPK_SC_FILE_META,
	[94] = TCPK_SC_FILE_META, [133] = TCPK_SC_FILE_META,
	[137] = TCPK_SC_FILE_META, [138] = TCPK_SC_FILE_META,
	[161] = TCPK_SC_FILE_META, [165] = TCPK_SC_FILE_META,
	[166] = TCPK_SC_FILE_META, [257] = TCPK_SC_FILE_META,
	[258] = TCPK_SC_FILE_META, [259] = TCPK_SC_FILE_META,
	[260] = TCPK_SC_FILE_META, [262] = TCPK_SC_FILE_META,
	[263] = TCPK_SC_FILE_META, [264] = TCPK_SC_FILE_META,
	[265] = TCPK_SC_FILE_META, [266] = TCPK_SC_FILE_META,
	[268] = TCPK_SC_FILE_META, [269] = TCPK_SC_FILE_META,
	[280] = TCPK_SC_FILE_META, [292] = TCPK_SC_FILE_META,
	[316] = TCPK_SC_FILE_META, [332] = TCPK_SC_FILE_META,
	[436] = TCPK_SC_FILE_META, [437] = TCPK_SC_FILE_META,
	[439] = TCPK_SC_FILE_META, [452] = TCPK_SC_FILE_META,
	/* net */
	[41] = TCPK_SC_NET, [42] = TCPK_SC_NET, [43] = TCPK_SC_NET,
	[44] = TCPK_SC_NET, [45] = TCPK_SC_NET, [46] = TCPK_SC_NET,
	[47] = TCPK_SC_NET, [48] = TCPK_SC_NET, [49] = TCPK_SC_NET,
	[50] = TCPK_SC_NET, [51] = TCPK_SC_NET, [52] = TCPK_SC_NET,
	[53] = TCPK_SC_NET, [54] = TCPK_SC_NET, [55] = TCPK_SC_NET,
	[288] = TCPK_SC_NET, [299] = TCPK_SC_NET, [307] = TCPK_SC_NET,
	/* proc */
	[56] = TCPK_SC_PROC, [57] = TCPK_SC_PROC, [58] = TCPK_SC_PROC,
	[59] = TCPK_SC_PROC, [60] = TCPK_SC_PROC, [61] = TCPK_SC_PROC,
	[62] = TCPK_SC_PROC, [101] = TCPK_SC_PROC, [105] = TCPK_SC_PROC,
	[106] = TCPK_SC_PROC, [109] = TCPK_SC_PROC, [112] = TCPK_SC_PROC,
	[113] = TCPK_SC_PROC, [114] = TCPK_SC_PROC, [117] = TCPK_SC_PROC,
	[119] = TCPK_SC_PROC, [126] = TCPK_SC_PROC, [157] = TCPK_SC_PROC,
	[158] = TCPK_SC_PROC, [200] = TCPK_SC_PROC, [231] = TCPK_SC_PROC,
	[234] = TCPK_SC_PROC, [247] = TCPK_SC_PROC, [272] = TCPK_SC_PROC,
	[308] = TCPK_SC_PROC, [322] = TCPK_SC_PROC, [434] = TCPK_SC_PROC,
	[435] = TCPK_SC_PROC,
	/* mem */
	[9] = TCPK_SC_MEM, [10] = TCPK_SC_MEM, [11] = TCPK_SC_MEM,
	[12] = TCPK_SC_MEM, [25] = TCPK_SC_MEM, [26] = TCPK_SC_MEM,
	[27] = TCPK_SC_MEM, [28] = TCPK_SC_MEM, [149] = TCPK_SC_MEM,
	[150] = TCPK_SC_MEM, [151] = TCPK_SC_MEM, [152] = TCPK_SC_MEM,
	[310] = TCPK_SC_MEM, [311] = TCPK_SC_MEM, [319] = TCPK_SC_MEM,
	[329] = TCPK_SC_MEM,
	/* ipc */
	[7] = TCPK_SC_IPC, [22] = TCPK_SC_IPC, [23] = TCPK_SC_IPC,
	[29] = TCPK_SC_IPC, [30] = TCPK_SC_IPC, [31] = TCPK_SC_IPC,
	[64] = TCPK_SC_IPC, [65] = TCPK_SC_IPC, [66] = TCPK_SC_IPC,
	[67] = TCPK_SC_IPC, [68] = TCPK_SC_IPC, [69] = TCPK_SC_IPC,
	[70] = TCPK_SC_IPC, [71] = TCPK_SC_IPC, [202] = TCPK_SC_IPC,
	[213] = TCPK_SC_IPC, [232] = TCPK_SC_IPC, [233] = TCPK_SC_IPC,
	[270] = TCPK_SC_IPC, [271] = TCPK_SC_IPC, [281] = TCPK_SC_IPC,
	[284] = TCPK_SC_IPC, [290] = TCPK_SC_IPC, [291] = TCPK_SC_IPC,
	[293] = TCPK_SC_IPC,
};

/**
 * tcpk_syscall_class() - the class of a system call
 * @nr: its native x86_64 number.
 *
 * Return: an &enum tcpk_syscall_class; %TCPK_SC_OTHER for a number out
 * of range.
 */
unsigned int tcpk_syscall_class(u32 nr)
{
	return nr < TCPK_SEQ_SYSCALLS ? tcpk_syscall_classes[nr] : TCPK_SC_OTHER;
}

/**
 * tcpk_topk_add() - count a call in a space-saving sketch
 * @t: the sketch.
 * @nr: the call (below %TCPK_SEQ_SYSCALLS; others are not counted).
 *
 * Counts saturate at U32_MAX.
 */
void tcpk_topk_add(struct tcpk_topk *t, u32 nr)
{
	unsigned int i, min = 0;

	if (nr >= TCPK_SEQ_SYSCALLS)
		return;
	for (i = 0; i < TCPK_TOP_SYSCALLS; i++) {
		if (t->count[i] && t->nr[i] == nr) {
			if (t->count[i] < U32_MAX)
				t->count[i]++;
			return;
		}
		if (t->count[i] < t->count[min])
			min = i;
	}
	/* Not there: the smallest slot (an empty one has count 0) takes it. */
	t->nr[min] = nr;
	if (t->count[min] < U32_MAX)
		t->count[min]++;
}
