// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - system call sequences in the module
 *
 * Patterns.  The set in force is one immutable &struct tcpk_seq_live,
 * replaced as a whole (copy, change, publish, free after a grace period)
 * under tcpk_seq_mutex; the system call feed reads it under RCU.  The
 * completion counters live beside the patterns and are carried over to
 * the next set.  The module starts with the built-in patterns
 * (tcpk_seq_defaults: the seed's exfiltration and privilege escalation
 * sequences and two more), ids 1 to 4.
 *
 * Learned profiles.  One per executable file (device and inode number),
 * at most max_profiles, in a hash table of RCU lists changed under
 * tcpk_profile_mutex.  A profile's trigram table is insert-only and
 * lock-free (behavior/seq.c), so learning processes add to it and
 * detecting ones read it concurrently without a lock; a profile replaced
 * or deleted is freed after a grace period.
 *
 * Per process (&struct tcpk_features): the progress through the patterns,
 * the last two calls, the locality frame, the class histogram and the top
 * calls, under the features' lock, taken once per system call of a
 * tracked process.
 */

#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/mm_types.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <asm/syscall.h>

#include "behavior/features.h"
#include "behavior/feed.h"
#include "behavior/sequence.h"
#include "core/events.h"
#include "core/params.h"

static unsigned int novel_threshold = 8;
module_param_cb(novel_threshold, &tcpk_frozen_uint_ops, &novel_threshold, 0644);
MODULE_PARM_DESC(novel_threshold,
		 "Novel trigrams among a process's last 32 (locality frame count) that raise its score; 0 disables (default 8)");

static unsigned int score_novel = 300;
module_param_cb(score_novel, &tcpk_frozen_uint_ops, &score_novel, 0644);
MODULE_PARM_DESC(score_novel,
		 "Anomaly score points when a process's locality frame count reaches novel_threshold (default 300)");

static unsigned int max_profiles = 64;
module_param_cb(max_profiles, &tcpk_frozen_uint_ops, &max_profiles, 0644);
MODULE_PARM_DESC(max_profiles,
		 "Most learned profiles (default 64)");

static unsigned int profile_ngrams = 4096;
module_param(profile_ngrams, uint, 0444);
MODULE_PARM_DESC(profile_ngrams,
		 "Most trigrams of one learned profile, at most 15000; read at load (default 4096)");

/**
 * struct tcpk_seq_live - the patterns in force
 * @rcu: frees it after a grace period.
 * @matches: completions of each pattern (index as in @set.pat).
 * @set: the patterns; its generation changes with every new set.
 */
struct tcpk_seq_live {
	struct rcu_head rcu;
	atomic64_t matches[TCPK_SEQ_PATTERNS_MAX];
	struct tcpk_seq_set set;
};

/* Serialises the writers of tcpk_seq_current and tcpk_seq_gen. */
static DEFINE_MUTEX(tcpk_seq_mutex);
/* The set in force, or NULL when there is no pattern; read under RCU. */
static struct tcpk_seq_live __rcu *tcpk_seq_current;
/* The last generation given; under tcpk_seq_mutex. */
static u32 tcpk_seq_gen;

/**
 * struct tcpk_profile - a learned profile
 * @node: in tcpk_profiles (RCU list).
 * @rcu: frees it after a grace period.
 * @dev: the executable's device.
 * @ino: its inode number.
 * @mode: &enum tcpk_profile_mode; written under tcpk_profile_mutex, read
 *	locklessly.
 * @path: the executable's path when it was set.
 * @checked: trigrams checked in detection.
 * @novel: of which novel.
 * @full: new trigrams not learned because the table was full.
 * @t: its trigrams (insert-only, lock-free).
 */
struct tcpk_profile {
	struct hlist_node node;
	struct rcu_head rcu;
	u64 dev;
	u64 ino;
	u32 mode;
	char *path;
	atomic64_t checked;
	atomic64_t novel;
	atomic64_t full;
	struct tcpk_ngram_table *t;
};

/*
 * The profiles by executable: lookups under RCU, changes under
 * tcpk_profile_mutex.  tcpk_profile_count is their number (changed under
 * the mutex, read locklessly by the feed: no profile, no lookup).
 */
static DEFINE_MUTEX(tcpk_profile_mutex);
static DEFINE_HASHTABLE(tcpk_profiles, 6);
static unsigned int tcpk_profile_count;

static u32 tcpk_profile_hash(u64 dev, u64 ino)
{
	return hash_64(dev ^ (ino * 0x9e3779b97f4a7c15ULL), 6);
}

static void tcpk_seq_live_free_rcu(struct rcu_head *head)
{
	kvfree(container_of(head, struct tcpk_seq_live, rcu));
}

static struct tcpk_seq_live *tcpk_seq_live_alloc(u32 count)
{
	struct tcpk_seq_live *live = NULL;

	return kvzalloc(struct_size(live, set.pat, count), GFP_KERNEL_ACCOUNT);
}

/*
 * Publishes a copy of the set in force with @p added (at its id's place)
 * or with the pattern of @del_id removed.  Caller holds tcpk_seq_mutex.
 */
static int tcpk_seq_publish(const struct tcpk_seq_pattern *p, u32 del_id)
{
	struct tcpk_seq_live *old, *new;
	bool inserted = false;
	u32 i, j = 0, count;

	old = rcu_dereference_protected(tcpk_seq_current,
					lockdep_is_held(&tcpk_seq_mutex));
	count = old ? old->set.count : 0;
	if (p)
		count++;
	else
		count--;
	new = count ? tcpk_seq_live_alloc(count) : NULL;
	if (count && !new)
		return -ENOMEM;
	for (i = 0; old && i < old->set.count; i++) {
		const struct tcpk_seq_pattern *o = &old->set.pat[i];

		if (!p && o->id == del_id)
			continue;
		if (p && !inserted && o->id > p->id) {
			new->set.pat[j++] = *p;
			inserted = true;
		}
		new->set.pat[j] = *o;
		atomic64_set(&new->matches[j], atomic64_read(&old->matches[i]));
		j++;
	}
	if (p && !inserted)
		new->set.pat[j++] = *p;
	if (new) {
		new->set.count = j;
		new->set.gen = ++tcpk_seq_gen ? tcpk_seq_gen : ++tcpk_seq_gen;
	}
	rcu_assign_pointer(tcpk_seq_current, new);
	if (old)
		call_rcu(&old->rcu, tcpk_seq_live_free_rcu);
	return 0;
}

/**
 * tcpk_seq_pattern_add() - add a pattern
 * @p: the pattern; an id of 0 takes the next free one (written back).
 * @errmsg: set to why not.
 *
 * Process context, may sleep.
 *
 * Return: 0, -EINVAL (bad pattern), -EEXIST (id taken), -ENOSPC
 * (%TCPK_SEQ_PATTERNS_MAX patterns) or -ENOMEM, with *@errmsg set.
 */
int tcpk_seq_pattern_add(struct tcpk_seq_pattern *p, const char **errmsg)
{
	const struct tcpk_seq_live *cur;
	bool choose = !p->id;
	u64 next = 1;
	u32 i;
	int err;

	if (p->id == U32_MAX) {
		*errmsg = "seq: id: 1 to 4294967294";
		return -EINVAL;
	}
	if (choose)
		p->id = 1;	/* checked as any id, then chosen */
	err = tcpk_seq_pattern_check(p, errmsg);
	if (err)
		return err;
	mutex_lock(&tcpk_seq_mutex);
	cur = rcu_dereference_protected(tcpk_seq_current,
					lockdep_is_held(&tcpk_seq_mutex));
	if (cur && cur->set.count >= TCPK_SEQ_PATTERNS_MAX) {
		*errmsg = "seq: 64 patterns in force already";
		err = -ENOSPC;
		goto out;
	}
	for (i = 0; cur && i < cur->set.count; i++) {
		if (!choose && cur->set.pat[i].id == p->id) {
			*errmsg = "seq: id: a pattern of that id exists";
			err = -EEXIST;
			goto out;
		}
		if (!strcmp(cur->set.pat[i].name, p->name)) {
			*errmsg = "seq: name: a pattern of that name exists";
			err = -EEXIST;
			goto out;
		}
		next = max_t(u64, next, (u64)cur->set.pat[i].id + 1);
	}
	if (choose) {
		if (next >= U32_MAX) {
			*errmsg = "seq: no free id after the highest";
			err = -ENOSPC;
			goto out;
		}
		p->id = next;
	}
	err = tcpk_seq_publish(p, 0);
	if (err)
		*errmsg = "seq: out of memory";
out:
	mutex_unlock(&tcpk_seq_mutex);
	return err;
}

/**
 * tcpk_seq_pattern_del() - delete a pattern
 * @id: its id.
 *
 * Process context, may sleep.
 *
 * Return: 0, -ENOENT if there is none of that id, or -ENOMEM.
 */
int tcpk_seq_pattern_del(u32 id)
{
	const struct tcpk_seq_live *cur;
	int err = -ENOENT;
	u32 i;

	mutex_lock(&tcpk_seq_mutex);
	cur = rcu_dereference_protected(tcpk_seq_current,
					lockdep_is_held(&tcpk_seq_mutex));
	for (i = 0; cur && i < cur->set.count; i++) {
		if (cur->set.pat[i].id == id) {
			/* @cur is freed after a grace period from here */
			err = tcpk_seq_publish(NULL, id);
			break;
		}
	}
	mutex_unlock(&tcpk_seq_mutex);
	return err;
}

/**
 * tcpk_seq_pattern_walk() - visit the patterns in id order
 * @pos: the first id to visit; on return, one past the last visited.
 * @fill: called for each under rcu_read_lock().
 * @arg: its argument.
 *
 * Return: 0 after the last, or @fill's error.
 */
int tcpk_seq_pattern_walk(u32 *pos, tcpk_seq_fill_t fill, void *arg)
{
	const struct tcpk_seq_live *cur;
	int err = 0;
	u32 i;

	rcu_read_lock();
	cur = rcu_dereference(tcpk_seq_current);
	for (i = 0; cur && i < cur->set.count; i++) {
		const struct tcpk_seq_pattern *p = &cur->set.pat[i];

		if (p->id < *pos)
			continue;
		err = fill(p, atomic64_read(&cur->matches[i]), arg);
		if (err)
			break;
		*pos = p->id + 1;
	}
	rcu_read_unlock();
	return err;
}

/* --- Profiles ------------------------------------------------------------ */

static struct tcpk_profile *tcpk_profile_find(u64 dev, u64 ino)
{
	struct tcpk_profile *prof;

	hash_for_each_possible_rcu(tcpk_profiles, prof, node,
				   tcpk_profile_hash(dev, ino),
				   lockdep_is_held(&tcpk_profile_mutex))
		if (prof->dev == dev && prof->ino == ino)
			return prof;
	return NULL;
}

static void tcpk_profile_free(struct tcpk_profile *prof)
{
	if (!prof)
		return;
	kvfree(prof->t);
	kfree(prof->path);
	kfree(prof);
}

static void tcpk_profile_free_rcu(struct rcu_head *head)
{
	tcpk_profile_free(container_of(head, struct tcpk_profile, rcu));
}

static u32 tcpk_profile_limit(void)
{
	return clamp_t(u32, READ_ONCE(profile_ngrams), 1,
		       TCPK_PROFILE_NGRAMS_MAX);
}

static struct tcpk_profile *tcpk_profile_alloc(u64 dev, u64 ino,
					       const char *path, u32 mode)
{
	u32 limit = tcpk_profile_limit();
	/* Three quarters full at most: room for the limit, a power of two. */
	u32 slots = roundup_pow_of_two(max_t(u32, limit / 3 * 4 + 4, 4));
	struct tcpk_profile *prof;

	prof = kzalloc(sizeof(*prof), GFP_KERNEL_ACCOUNT);
	if (!prof)
		return NULL;
	prof->path = kstrdup(path, GFP_KERNEL_ACCOUNT);
	prof->t = kvmalloc(tcpk_ngram_table_size(slots), GFP_KERNEL_ACCOUNT);
	if (!prof->path || !prof->t) {
		tcpk_profile_free(prof);
		return NULL;
	}
	tcpk_ngram_table_init(prof->t, slots);
	prof->t->limit = min(prof->t->limit, limit);
	prof->dev = dev;
	prof->ino = ino;
	prof->mode = mode;
	return prof;
}

/**
 * tcpk_profile_install() - create, replace or switch a profile
 * @dev: the executable's device.
 * @ino: its inode number.
 * @path: its path (copied).
 * @mode: &enum tcpk_profile_mode.
 * @keys: trigrams to import (@import).
 * @n: how many.
 * @import: replace the profile by one of @keys; otherwise create an empty
 *	one or switch the existing one to @mode.
 * @errmsg: set to why not.
 *
 * Process context, may sleep.
 *
 * Return: 0, -EINVAL (a bad mode, key or count), -ENOSPC (max_profiles),
 * or -ENOMEM, with *@errmsg set.
 */
int tcpk_profile_install(u64 dev, u64 ino, const char *path, u32 mode,
			 const u32 *keys, u32 n, bool import,
			 const char **errmsg)
{
	struct tcpk_profile *old, *prof = NULL;
	int err = 0;
	u32 i;

	if (mode != TCPK_PROFILE_LEARN && mode != TCPK_PROFILE_DETECT) {
		*errmsg = "profile: mode: learn (1) or detect (2)";
		return -EINVAL;
	}
	if (import && n > tcpk_profile_limit()) {
		*errmsg = "profile: ngrams: more trigrams than the module's profile_ngrams";
		return -EINVAL;
	}
	for (i = 0; import && i < n; i++) {
		if (!tcpk_ngram_key_valid(keys[i])) {
			*errmsg = "profile: ngrams: a key is not a trigram of calls below 512";
			return -EINVAL;
		}
	}
	mutex_lock(&tcpk_profile_mutex);
	old = tcpk_profile_find(dev, ino);
	if (old && !import) {
		WRITE_ONCE(old->mode, mode);
		goto out;
	}
	if (!old && tcpk_profile_count >= READ_ONCE(max_profiles)) {
		*errmsg = "profile: max_profiles profiles exist already";
		err = -ENOSPC;
		goto out;
	}
	prof = tcpk_profile_alloc(dev, ino, path, mode);
	if (!prof) {
		*errmsg = "profile: out of memory";
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; import && i < n; i++)
		tcpk_ngram_add(prof->t, keys[i]);
	if (old) {
		hlist_replace_rcu(&old->node, &prof->node);
		call_rcu(&old->rcu, tcpk_profile_free_rcu);
	} else {
		hash_add_rcu(tcpk_profiles, &prof->node,
			     tcpk_profile_hash(dev, ino));
		WRITE_ONCE(tcpk_profile_count, tcpk_profile_count + 1);
	}
out:
	mutex_unlock(&tcpk_profile_mutex);
	return err;
}

/* The device and inode of the regular file at the absolute @path. */
static int tcpk_profile_resolve(const char *path, u64 *dev, u64 *ino,
				const char **errmsg)
{
	struct inode *inode;
	struct path p;
	int err;

	if (path[0] != '/') {
		*errmsg = "profile: path: not absolute";
		return -EINVAL;
	}
	err = kern_path(path, LOOKUP_FOLLOW, &p);
	if (err) {
		*errmsg = "profile: path: cannot be looked up";
		return err;
	}
	inode = d_backing_inode(p.dentry);
	if (!S_ISREG(inode->i_mode)) {
		*errmsg = "profile: path: not a regular file";
		err = -EINVAL;
	} else {
		*dev = inode->i_sb->s_dev;
		*ino = inode->i_ino;
	}
	path_put(&p);
	return err;
}

/**
 * tcpk_profile_set() - create, replace or switch the profile of a file
 * @path: the executable's absolute path (symbolic links followed).
 * @mode: &enum tcpk_profile_mode.
 * @keys: trigrams to import (@import).
 * @n: how many.
 * @import: see tcpk_profile_install().
 * @errmsg: set to why not.
 *
 * Process context, may sleep.
 *
 * Return: as tcpk_profile_install(), or the lookup's error.
 */
int tcpk_profile_set(const char *path, u32 mode, const u32 *keys, u32 n,
		     bool import, const char **errmsg)
{
	u64 dev, ino;
	int err;

	err = tcpk_profile_resolve(path, &dev, &ino, errmsg);
	if (err)
		return err;
	return tcpk_profile_install(dev, ino, path, mode, keys, n, import,
				    errmsg);
}

/**
 * tcpk_profile_del() - delete the profile of a file
 * @path: the executable's absolute path.
 * @errmsg: set to why not.
 *
 * Process context, may sleep.
 *
 * Return: 0, -ENOENT if the file has no profile, or the lookup's error.
 */
int tcpk_profile_del(const char *path, const char **errmsg)
{
	struct tcpk_profile *prof;
	u64 dev, ino;
	int err;

	err = tcpk_profile_resolve(path, &dev, &ino, errmsg);
	if (err)
		return err;
	mutex_lock(&tcpk_profile_mutex);
	prof = tcpk_profile_find(dev, ino);
	if (prof) {
		hash_del_rcu(&prof->node);
		WRITE_ONCE(tcpk_profile_count, tcpk_profile_count - 1);
		call_rcu(&prof->rcu, tcpk_profile_free_rcu);
	} else {
		*errmsg = "profile: path: the file has no profile";
		err = -ENOENT;
	}
	mutex_unlock(&tcpk_profile_mutex);
	return err;
}

static int tcpk_key_cmp(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static int tcpk_profile_visit(const struct tcpk_profile *prof, bool keys,
			      tcpk_profile_fill_t fill, void *arg)
{
	struct tcpk_profile_info info = {
		.path = prof->path,
		.mode = READ_ONCE(prof->mode),
		.dev = prof->dev,
		.ino = prof->ino,
		.limit = prof->t->limit,
		.checked = atomic64_read(&prof->checked),
		.novel = atomic64_read(&prof->novel),
		.full = atomic64_read(&prof->full),
	};
	u32 *buf = NULL, i, n = 0;
	int err;

	info.count = min_t(u32, atomic_read(&prof->t->count), info.limit);
	if (keys) {
		buf = kvmalloc_array(prof->t->mask + 1, sizeof(u32),
				     GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		for (i = 0; i <= prof->t->mask; i++) {
			u32 k = READ_ONCE(prof->t->slot[i]);

			if (k && n < TCPK_PROFILE_NGRAMS_MAX)
				buf[n++] = k;
		}
		sort(buf, n, sizeof(u32), tcpk_key_cmp, NULL);
		info.count = n;
	}
	err = fill(&info, buf, n, arg);
	kvfree(buf);
	return err;
}

/**
 * tcpk_profile_walk() - visit one profile, or every one
 * @path: the executable of the one, or NULL for every one.
 * @pos: for every one, where to start (bucket in the high bits, index
 *	in the bucket in the low 16); on return, where the next walk starts.
 * @keys: give @fill the trigrams too.
 * @fill: called for each, with the profiles' mutex held.
 * @arg: its argument.
 * @errmsg: set to why not (@path).
 *
 * Process context, may sleep.
 *
 * Return: 0, -ENOENT (@path has no profile), the lookup's error, or
 * @fill's.
 */
int tcpk_profile_walk(const char *path, unsigned long *pos, bool keys,
		      tcpk_profile_fill_t fill, void *arg, const char **errmsg)
{
	struct tcpk_profile *prof;
	unsigned long b, k;
	u64 dev, ino;
	int err = 0;

	if (path) {
		err = tcpk_profile_resolve(path, &dev, &ino, errmsg);
		if (err)
			return err;
	}
	mutex_lock(&tcpk_profile_mutex);
	if (path) {
		prof = tcpk_profile_find(dev, ino);
		if (prof) {
			err = tcpk_profile_visit(prof, keys, fill, arg);
		} else {
			*errmsg = "profile: path: the file has no profile";
			err = -ENOENT;
		}
		goto out;
	}
	for (b = *pos >> 16; b < HASH_SIZE(tcpk_profiles); b++) {
		k = 0;
		hlist_for_each_entry(prof, &tcpk_profiles[b], node) {
			if (k++ < (*pos & 0xffff))
				continue;
			err = tcpk_profile_visit(prof, keys, fill, arg);
			if (err)
				goto out;
			*pos = b << 16 | k;
		}
		*pos = (b + 1) << 16;
	}
out:
	mutex_unlock(&tcpk_profile_mutex);
	return err;
}

/* --- The behaviour model ------------------------------------------------ */

/**
 * struct tcpk_model_live - the loaded model
 * @rcu: frees it after a grace period.
 * @windows: windows evaluated.
 * @flagged: of which anomalous.
 * @m: the model (checked).
 */
struct tcpk_model_live {
	struct rcu_head rcu;
	atomic64_t windows;
	atomic64_t flagged;
	struct tcpk_model m;
};

/* The loaded model or NULL: read under RCU, replaced under the mutex. */
static DEFINE_MUTEX(tcpk_model_mutex);
static struct tcpk_model_live __rcu *tcpk_model_current;

static void tcpk_model_replace(struct tcpk_model_live *new)
{
	struct tcpk_model_live *old;

	mutex_lock(&tcpk_model_mutex);
	old = rcu_replace_pointer(tcpk_model_current, new,
				  lockdep_is_held(&tcpk_model_mutex));
	mutex_unlock(&tcpk_model_mutex);
	if (old)
		kfree_rcu(old, rcu);
}

/**
 * tcpk_model_set() - load a behaviour model, replacing the loaded one
 * @m: the model (copied).
 * @errmsg: set to why not.
 *
 * Process context, may sleep.  Processes' windows carry on: the new
 * model evaluates their next window end.
 *
 * Return: 0, -EINVAL (tcpk_model_check()) or -ENOMEM, with *@errmsg set.
 */
int tcpk_model_set(const struct tcpk_model *m, const char **errmsg)
{
	struct tcpk_model_live *new;
	int err;

	err = tcpk_model_check(m, errmsg);
	if (err)
		return err;
	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new) {
		*errmsg = "model: out of memory";
		return -ENOMEM;
	}
	new->m = *m;
	tcpk_model_replace(new);
	return 0;
}

/**
 * tcpk_model_del() - unload the behaviour model
 *
 * Return: 0, or -ENOENT if none was loaded.
 */
int tcpk_model_del(void)
{
	if (!rcu_access_pointer(tcpk_model_current))
		return -ENOENT;
	tcpk_model_replace(NULL);
	return 0;
}

/**
 * tcpk_model_get() - the loaded behaviour model and its counters
 * @info: written.
 *
 * Return: 0, or -ENOENT if none is loaded.
 */
int tcpk_model_get(struct tcpk_model_info *info)
{
	const struct tcpk_model_live *live;
	int err = -ENOENT;

	rcu_read_lock();
	live = rcu_dereference(tcpk_model_current);
	if (live) {
		info->m = live->m;
		info->windows = atomic64_read(&live->windows);
		info->flagged = atomic64_read(&live->flagged);
		err = 0;
	}
	rcu_read_unlock();
	return err;
}

/* --- Per process --------------------------------------------------------- */

/**
 * tcpk_sequence_start() - start the sequence state of a new entry
 * @f: its features, not yet visible to others.
 */
void tcpk_sequence_start(struct tcpk_features *f)
{
	tcpk_seq_state_reset(&f->seq);
}

/**
 * tcpk_sequence_exec() - the process executed a new program
 * @f: its features.
 *
 * Its executable is looked up again at its next call (its profile may
 * be another) and its trigrams and locality frame start afresh; its
 * progress through the patterns stays, since most of them end with an
 * exec (the execve's own exit is fed after this).  Never sleeps.
 */
void tcpk_sequence_exec(struct tcpk_features *f)
{
	unsigned long flags;

	spin_lock_irqsave(&f->lock, flags);
	f->seq.prev[0] = TCPK_SEQ_NONE;
	f->seq.prev[1] = TCPK_SEQ_NONE;
	f->seq.novel = 0;
	WRITE_ONCE(f->seq_exe, false);
	f->novel_fired = false;
	spin_unlock_irqrestore(&f->lock, flags);
}

/* Current's executable as a profile key; false if it has none. */
static bool tcpk_sequence_exe(u64 *dev, u64 *ino)
{
	struct mm_struct *mm = current->mm;
	struct file *exe;
	struct inode *inode;

	if (!mm)
		return false;
	exe = rcu_dereference(mm->exe_file);
	if (!exe)
		return false;
	inode = file_inode(exe);
	*dev = inode->i_sb->s_dev;
	*ino = inode->i_ino;
	return true;
}

/**
 * tcpk_sequence_profile_of() - the path of a process's profile
 * @f: its features.
 *
 * Caller holds rcu_read_lock(); the string is valid until it drops it.
 *
 * Return: the path, or NULL if its executable has no profile (or it has
 * made no call since its exec).
 */
const char *tcpk_sequence_profile_of(const struct tcpk_features *f)
{
	struct tcpk_profile *prof;

	if (!READ_ONCE(tcpk_profile_count) || !READ_ONCE(f->seq_exe))
		return NULL;
	prof = tcpk_profile_find(READ_ONCE(f->seq_dev), READ_ONCE(f->seq_ino));
	return prof ? prof->path : NULL;
}

/**
 * tcpk_sequence_syscall() - one system call of a tracked process
 * @f: its features.
 * @nr: the call's number (native; -1 or a 32-bit call breaks sequences).
 * @ret: its return value: patterns see successful calls only, profiles
 *	every call.
 *
 * Counts the call in the process's histogram, top calls and file
 * operations.  Completed patterns add their weight to the score, each
 * with an event;
 * a locality frame count reaching novel_threshold adds score_novel, with
 * an event, once until it falls below the threshold again.  With a
 * behaviour model loaded, the call also goes into the process's window,
 * and a window's end is evaluated: an anomalous window adds the model's
 * points, with an event.  Caller holds rcu_read_lock(); never sleeps.
 */
void tcpk_sequence_syscall(struct tcpk_features *f, long nr, long ret)
{
	struct tcpk_behavior_report b = { .kind = TCPK_BEHAVIOR_SEQUENCE };
	struct tcpk_seq_live *live = rcu_dereference(tcpk_seq_current);
	struct tcpk_model_live *model = rcu_dereference(tcpk_model_current);
	s32 x[TCPK_MODEL_FEATURES];
	u32 p = 0;
	bool window = false, model_event = false;
	unsigned int thr = READ_ONCE(novel_threshold);
	enum tcpk_profile_step step = TCPK_PROFILE_NONE;
	struct tcpk_profile *prof = NULL;
	u32 n = nr < 0 || in_ia32_syscall() ? U32_MAX : (u32)nr;
	bool novel_event = false;
	unsigned int cls;
	u64 now, done = 0;
	unsigned long flags;
	u32 score = 0, i;

	now = ktime_get_coarse_ns();
	cls = tcpk_syscall_class(n);
	if (cls == TCPK_SC_FILE_READ || cls == TCPK_SC_FILE_WRITE ||
	    cls == TCPK_SC_FILE_META)
		atomic64_inc(&f->fileops);
	spin_lock_irqsave(&f->lock, flags);
	if (f->classes[cls] < U32_MAX)
		f->classes[cls]++;
	tcpk_topk_add(&f->top, n);
	if (READ_ONCE(tcpk_profile_count)) {
		if (!f->seq_exe)
			WRITE_ONCE(f->seq_exe,
				   tcpk_sequence_exe(&f->seq_dev, &f->seq_ino));
		if (f->seq_exe)
			prof = tcpk_profile_find(f->seq_dev, f->seq_ino);
	}
	if (live && ret >= 0)
		done = tcpk_seq_feed(&live->set, &f->seq, n);
	if (prof) {
		bool learn = READ_ONCE(prof->mode) == TCPK_PROFILE_LEARN;

		step = tcpk_seq_profile(prof->t, learn, &f->seq, n);
		if (learn && step == TCPK_PROFILE_KNOWN)
			step = TCPK_PROFILE_NONE;	/* learnt before */
		if (step == TCPK_PROFILE_KNOWN || step == TCPK_PROFILE_NOVEL) {
			unsigned int lfc = tcpk_seq_lfc(&f->seq);

			if (thr && lfc >= thr && !f->novel_fired) {
				f->novel_fired = true;
				novel_event = true;
				b.count = lfc;
				score = tcpk_features_score_add(f,
								READ_ONCE(score_novel),
								now,
								tcpk_score_half_life());
			} else if (lfc < thr) {
				f->novel_fired = false;
			}
		}
	} else {
		tcpk_seq_push(&f->seq, n);
	}
	for (i = 0; done && i < live->set.count; i++)
		if (done & BIT_ULL(i))
			score = tcpk_features_score_add(f,
							live->set.pat[i].weight,
							now,
							tcpk_score_half_life());
	if (model)
		window = tcpk_model_feed(&f->mwin, cls,
					 step == TCPK_PROFILE_NOVEL, ret < 0,
					 hweight64(done), x);
	if (window) {
		p = tcpk_model_eval(&model->m, x);
		if (p > f->model_peak)
			f->model_peak = p;
		if (p >= model->m.threshold) {
			model_event = true;
			score = tcpk_features_score_add(f, model->m.points, now,
							tcpk_score_half_life());
		}
	}
	spin_unlock_irqrestore(&f->lock, flags);

	if (window) {
		atomic64_inc(&model->windows);
		if (model_event) {
			struct tcpk_behavior_report mb = {
				.kind = TCPK_BEHAVIOR_MODEL, .count = p,
				.score = score,
			};

			atomic64_inc(&model->flagged);
			tcpk_event_behavior(&mb);
		}
	}

	if (prof) {
		if (step == TCPK_PROFILE_KNOWN || step == TCPK_PROFILE_NOVEL)
			atomic64_inc(&prof->checked);
		if (step == TCPK_PROFILE_NOVEL)
			atomic64_inc(&prof->novel);
		if (step == TCPK_PROFILE_FULL)
			atomic64_inc(&prof->full);
	}
	if (novel_event) {
		struct tcpk_behavior_report nb = {
			.kind = TCPK_BEHAVIOR_NOVEL, .count = b.count,
			.score = score, .path = prof->path,
		};

		tcpk_event_behavior(&nb);
	}
	for (i = 0; done && i < live->set.count; i++) {
		if (!(done & BIT_ULL(i)))
			continue;
		atomic64_inc(&live->matches[i]);
		b.count = atomic64_inc_return(&f->patterns);
		b.score = score;
		b.pattern = live->set.pat[i].name;
		b.pattern_id = live->set.pat[i].id;
		tcpk_event_behavior(&b);
	}
	if (novel_event || model_event || done)
		tcpk_behavior_scored(score);
}

/**
 * tcpk_sequence_init() - the built-in patterns
 *
 * Return: 0, or a negative errno.
 */
int tcpk_sequence_init(void)
{
	struct tcpk_seq_pattern *p;
	const char *errmsg;
	unsigned int i;
	int err = 0;

	p = kmalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	for (i = 0; !err && i < tcpk_seq_defaults_count; i++) {
		err = tcpk_seq_pattern_from_default(p, &tcpk_seq_defaults[i],
						    i + 1);
		if (!err)
			err = tcpk_seq_pattern_add(p, &errmsg);
	}
	kfree(p);
	if (err)
		tcpk_sequence_exit();
	return err;
}

/**
 * tcpk_sequence_exit() - free the patterns, the profiles and the model
 *
 * After the feed's probe is gone; waits for the readers.
 */
void tcpk_sequence_exit(void)
{
	struct tcpk_seq_live *live;
	struct tcpk_profile *prof;
	struct hlist_node *tmp;
	unsigned int b;

	mutex_lock(&tcpk_seq_mutex);
	live = rcu_replace_pointer(tcpk_seq_current, NULL,
				   lockdep_is_held(&tcpk_seq_mutex));
	mutex_unlock(&tcpk_seq_mutex);
	mutex_lock(&tcpk_profile_mutex);
	hash_for_each_safe(tcpk_profiles, b, tmp, prof, node) {
		hash_del_rcu(&prof->node);
		call_rcu(&prof->rcu, tcpk_profile_free_rcu);
	}
	WRITE_ONCE(tcpk_profile_count, 0);
	mutex_unlock(&tcpk_profile_mutex);
	if (live)
		call_rcu(&live->rcu, tcpk_seq_live_free_rcu);
	tcpk_model_replace(NULL);
	rcu_barrier();
}
