// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - the TCP descriptor database
 *
 * Guiding rules:
 *
 * - Readers (hooks, netlink GET and dumps) take no lock: they find a
 *   bucket with xa_load() and search it under rcu_read_lock().
 * - A bucket and an entry are immutable once published.  A writer builds
 *   a new bucket (copy plus insertions, replacements or removals),
 *   publishes it with xa_store() (which orders the initialisation before
 *   the pointer, as rcu_assign_pointer() does) and frees what it replaced
 *   after a grace period: with kfree_rcu()/kvfree_rcu() when it is little,
 *   after one synchronize_rcu() outside the lock when it is much (a flush,
 *   a large batch of replacements).
 * - Writers are serialised by one mutex.  A batch is validated and every
 *   allocation it needs (entries, buckets, XArray slots) is made before
 *   anything is published, so that a failure leaves the database exactly
 *   as it was, and publication itself cannot fail.
 *
 * Why buckets: an XArray indexed directly by random 60-bit ids would
 * spend about a kilobyte of xa_nodes per entry (the radix tree does not
 * compress paths).  Indexing by the kind and the upper
 * TCPK_DESCDB_BUCKET_BITS bits of the id keeps the tree dense; each slot
 * holds a small sorted array of entries.
 */

#include <linux/bitmap.h>
#include <linux/crc32.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "core/lock.h"
#include "core/params.h"
#include "descdb/descdb.h"

static unsigned int max_descriptors = TCPK_DESCDB_MAX_DEFAULT;
module_param_cb(max_descriptors, &tcpk_frozen_uint_ops, &max_descriptors, 0644);
MODULE_PARM_DESC(max_descriptors,
		 "Most descriptors in the database (default 131072); lowering it below the current count refuses further additions and deletes nothing");

/**
 * struct tcpk_descdb_bucket - the entries of one XArray slot (immutable)
 * @n: number of entries.
 * @size: bytes allocated for the bucket (accounted in the stats).
 * @rcu: frees the bucket after a grace period (kvfree_rcu()).
 * @next_flushed: instead of @rcu, links the buckets a flush removed, to
 *	free them after one synchronize_rcu().
 * @e: the entries, sorted by &tcpk_desc_entry.key, keys unique.
 *
 * Readers read only @n and @e.
 */
struct tcpk_descdb_bucket {
	u32 n;
	u32 size;
	union {
		struct rcu_head rcu;
		struct tcpk_descdb_bucket *next_flushed;
	};
	struct tcpk_desc_entry *e[];
};

/*
 * A writer that retires at least this many objects (entries and buckets)
 * waits for one grace period (synchronize_rcu(), after dropping the lock)
 * and frees them directly, rather than queueing an RCU callback each.
 */
#define RETIRE_SYNC_MIN		256

/**
 * struct tcpk_descdb - the database
 * @xa: buckets by index (see TCPK_DESCDB_BUCKET_BITS).  Readers: xa_load()
 *	or xa_find() and every access to the bucket and its entries under
 *	rcu_read_lock().  Writers: hold @lock; a published bucket is never
 *	written, only replaced (xa_store()) or removed (xa_erase()) and then
 *	freed after a grace period, with the entries it alone held.
 * @lock: protects every change of @xa, @count, @bytes and @generation.
 *	Taken by writers only, in process context.  Lock ordering: innermost
 *	of the module's sleeping locks (the netlink handlers call in with
 *	the genetlink mutex held); only the XArray's spinlock and the
 *	allocators are taken under it, and no grace period is waited for
 *	while it is held.
 * @count: descriptors.  Written under @lock with WRITE_ONCE(), read
 *	locklessly with READ_ONCE().
 * @bytes: bytes of entries and buckets; as @count.
 * @generation: incremented before a change becomes visible and after it
 *	is complete; as @count.
 *
 * The only state of this file: tcpk_descdb_init() sets it up and
 * tcpk_descdb_exit() tears it down, so a test module can run its own copy.
 */
struct tcpk_descdb {
	struct xarray xa;
	/* Serialises the writers: see @lock above. */
	struct mutex lock;
	u32 count;
	u64 bytes;
	u64 generation;
};

static struct tcpk_descdb db;

static const siphash_key_t path_siphash_key = {
	.key = { TCPK_DESC_PATH_SIPHASH_K0, TCPK_DESC_PATH_SIPHASH_K1 },
};

static void set_why(const char **field, const char **reason, const char *f,
		    const char *r)
{
	if (field)
		*field = f;
	if (reason)
		*reason = r;
}

/**
 * tcpk_desc_check() - compute the check field of a descriptor
 * @desc: the descriptor; its check field is not read.
 *
 * Return: the lower 16 bits of the IEEE CRC-32 (as zlib's crc32()) of the
 * descriptor's first 22 bytes, in host order.
 */
u16 tcpk_desc_check(const struct tcpk_desc *desc)
{
	BUILD_BUG_ON(offsetof(struct tcpk_desc, check) != 22);
	return ~crc32_le(~0U, (const u8 *)desc, 22) & 0xffff;
}

/**
 * tcpk_desc_validate() - check a descriptor received from user space
 * @desc: the descriptor.
 * @field: receives the name of the first bad field (may be NULL).
 * @reason: receives why it is bad (may be NULL).
 *
 * Checks in this order: magic, version, check, name_len, flags, so that
 * random bytes are reported as a bad magic.  Any context.
 *
 * Return: 0, or -EINVAL with @field and @reason set.
 */
int tcpk_desc_validate(const struct tcpk_desc *desc, const char **field,
		       const char **reason)
{
	u16 name_len;

	if (memcmp(desc->magic, TCPK_DESC_MAGIC, sizeof(desc->magic))) {
		set_why(field, reason, "magic", "bad magic (not \"TCP\\x02\")");
		return -EINVAL;
	}
	if (be16_to_cpu(desc->version) != TCPK_DESC_VERSION) {
		set_why(field, reason, "version", "unsupported version (not 2)");
		return -EINVAL;
	}
	if (be16_to_cpu(desc->check) != tcpk_desc_check(desc)) {
		set_why(field, reason, "check",
			"check does not match crc32 of bytes 0..21");
		return -EINVAL;
	}
	name_len = be16_to_cpu(desc->name_len);
	if (name_len < 1 || name_len > TCPK_DESC_NAME_MAX) {
		set_why(field, reason, "name_len",
			"command name length not in 1..255");
		return -EINVAL;
	}
	if (be32_to_cpu(desc->flags) & ~TCPK_DESC_FLAGS_KNOWN) {
		set_why(field, reason, "flags", "unknown flag bit set");
		return -EINVAL;
	}
	return 0;
}

/*
 * A path the kernel's d_path() could produce: no empty, "." or ".."
 * component and no trailing slash.  Any other spelling would never match.
 */
static bool path_is_canonical(const char *path, u32 len)
{
	u32 start = 1, i;

	if (len < 2 || path[len - 1] == '/')
		return false;
	for (i = 1; i <= len; i++) {
		u32 clen;

		if (i < len && path[i] != '/')
			continue;
		clen = i - start;
		if (clen == 0 ||
		    (clen == 1 && path[start] == '.') ||
		    (clen == 2 && path[start] == '.' && path[start + 1] == '.'))
			return false;
		start = i + 1;
	}
	return true;
}

/**
 * tcpk_desc_binding_validate() - check an identity received from user space
 * @bind: the identity.
 * @field: receives the name of the bad field (may be NULL).
 * @reason: receives why it is bad (may be NULL).
 *
 * A path must be absolute, canonical (as d_path() prints it), shorter
 * than %TCPK_DESC_PATH_MAX with its NUL and hold no NUL; a system call
 * number must be below %TCPK_DESC_SYSCALL_NR_MAX.  Any context.
 *
 * Return: 0, or -EINVAL with @field and @reason set.
 */
int tcpk_desc_binding_validate(const struct tcpk_desc_binding *bind,
			       const char **field, const char **reason)
{
	switch (bind->kind) {
	case TCPK_DESC_KEY_NAME:
	case TCPK_DESC_KEY_DIGEST:
		return 0;
	case TCPK_DESC_KEY_SYSCALL:
		if (bind->syscall >= TCPK_DESC_SYSCALL_NR_MAX) {
			set_why(field, reason, "syscall",
				"system call number not in 0..1023");
			return -EINVAL;
		}
		return 0;
	case TCPK_DESC_KEY_PATH:
		if (!bind->path || !bind->path_len) {
			set_why(field, reason, "path", "empty path");
			return -EINVAL;
		}
		if (bind->path[0] != '/') {
			set_why(field, reason, "path", "path is not absolute");
			return -EINVAL;
		}
		if (bind->path_len >= TCPK_DESC_PATH_MAX) {
			set_why(field, reason, "path", "path too long");
			return -EINVAL;
		}
		if (memchr(bind->path, '\0', bind->path_len)) {
			set_why(field, reason, "path", "NUL inside the path");
			return -EINVAL;
		}
		if (!path_is_canonical(bind->path, bind->path_len)) {
			set_why(field, reason, "path",
				"path not canonical (empty, . or .. component, or trailing /)");
			return -EINVAL;
		}
		return 0;
	default:
		set_why(field, reason, "key_kind", "unknown key kind");
		return -EINVAL;
	}
}

/**
 * tcpk_desc_key() - the 64-bit key of an identity
 * @bind: the identity; only the members of its kind are read, and for a
 *	path only @bind->path_len bytes.
 *
 * ``kind << 60`` or'ed with 60 bits of identity, as documented with
 * %TCPK_DESC_KEY_KIND_SHIFT.  Any context.
 *
 * Return: the key, or 0 if @bind->kind is not a kind.
 */
u64 tcpk_desc_key(const struct tcpk_desc_binding *bind)
{
	u64 kind = (u64)bind->kind << TCPK_DESC_KEY_KIND_SHIFT;
	__be64 head;

	switch (bind->kind) {
	case TCPK_DESC_KEY_NAME:
		return kind | bind->cmd_hash;
	case TCPK_DESC_KEY_PATH:
		return kind | siphash(bind->path, bind->path_len,
				      &path_siphash_key) >> 4;
	case TCPK_DESC_KEY_DIGEST:
		memcpy(&head, bind->digest, sizeof(head));
		return kind | be64_to_cpu(head) >> 4;
	case TCPK_DESC_KEY_SYSCALL:
		return kind | (bind->syscall & TCPK_DESC_KEY_ID_MASK);
	default:
		return 0;
	}
}

/**
 * tcpk_desc_item_init() - complete the binding of an item
 * @item: an item whose @desc is set and whose @bind is either zeroed (no
 *	binding given: the item binds by name) or filled in.
 *
 * A zeroed binding becomes %TCPK_DESC_KEY_NAME, and a name binding gets
 * the descriptor's cmd_hash.  Other bindings are left alone.
 */
void tcpk_desc_item_init(struct tcpk_desc_item *item)
{
	if (item->bind.kind == TCPK_DESC_KEY_UNSPEC)
		item->bind.kind = TCPK_DESC_KEY_NAME;
	if (item->bind.kind == TCPK_DESC_KEY_NAME)
		item->bind.cmd_hash = be32_to_cpu(item->desc.cmd_hash);
}

/* The XArray index of the bucket of a key; monotonic in the key. */
static unsigned long bucket_index(u64 key)
{
	unsigned long kind = key >> TCPK_DESC_KEY_KIND_SHIFT;
	u64 id = key & TCPK_DESC_KEY_ID_MASK;

	switch (kind) {
	case TCPK_DESC_KEY_NAME:
		id >>= 32 - TCPK_DESCDB_BUCKET_BITS;
		break;
	case TCPK_DESC_KEY_SYSCALL:
		break;
	default:
		id >>= TCPK_DESC_KEY_KIND_SHIFT - TCPK_DESCDB_BUCKET_BITS;
		break;
	}
	return kind << TCPK_DESCDB_BUCKET_BITS | (unsigned long)id;
}

/* The name of the attribute that carries an identity of this kind. */
static const char *kind_field(enum tcpk_desc_key_kind kind)
{
	switch (kind) {
	case TCPK_DESC_KEY_NAME:
		return "cmd_hash";
	case TCPK_DESC_KEY_PATH:
		return "path";
	case TCPK_DESC_KEY_DIGEST:
		return "sha256";
	case TCPK_DESC_KEY_SYSCALL:
		return "syscall";
	default:
		return "key_kind";
	}
}

/* Whether two bindings of one key name the same identity. */
static bool same_identity(const struct tcpk_desc_binding *a,
			  const struct tcpk_desc_binding *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case TCPK_DESC_KEY_NAME:
		return a->cmd_hash == b->cmd_hash;
	case TCPK_DESC_KEY_PATH:
		return a->path_len == b->path_len &&
		       !memcmp(a->path, b->path, a->path_len);
	case TCPK_DESC_KEY_DIGEST:
		return !memcmp(a->digest, b->digest, TCPK_DESC_DIGEST_LEN);
	case TCPK_DESC_KEY_SYSCALL:
		return a->syscall == b->syscall;
	default:
		return false;
	}
}

/*
 * Position of the first entry of @b whose key is not below @key (b->n if
 * none).  @b may be NULL.
 */
static u32 bucket_search(const struct tcpk_descdb_bucket *b, u64 key)
{
	u32 lo = 0, hi = b ? b->n : 0;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (b->e[mid]->key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The entry of @key in @b, or NULL.  Caller holds rcu_read_lock() or
 * db.lock.
 */
static struct tcpk_desc_entry *bucket_find(const struct tcpk_descdb_bucket *b,
					   u64 key)
{
	u32 pos = bucket_search(b, key);

	if (!b || pos >= b->n || b->e[pos]->key != key)
		return NULL;
	return b->e[pos];
}

/*
 * The entry of identity @bind whose key is @key, or NULL.  The full
 * identity is compared: two identities may share a 60-bit key.  Caller
 * holds rcu_read_lock() or db.lock.
 */
static struct tcpk_desc_entry *find(u64 key,
				    const struct tcpk_desc_binding *bind)
{
	struct tcpk_desc_entry *e;

	e = bucket_find(xa_load(&db.xa, bucket_index(key)), key);
	if (!e || !same_identity(&e->bind, bind))
		return NULL;
	return e;
}

/* A bucket for @n entries, its contents left to the caller. */
static struct tcpk_descdb_bucket *bucket_alloc(u32 n)
{
	struct tcpk_descdb_bucket *b;
	size_t size;

	size = kmalloc_size_roundup(struct_size(b, e, n));
	b = kvmalloc(size, GFP_KERNEL_ACCOUNT);
	if (!b)
		return NULL;
	b->n = n;
	b->size = size;
	return b;
}

/* A new entry for @item, whose key is @key. */
static struct tcpk_desc_entry *entry_alloc(const struct tcpk_desc_item *item,
					   u64 key)
{
	const struct tcpk_desc_binding *bind = &item->bind;
	u32 path_len = bind->kind == TCPK_DESC_KEY_PATH ? bind->path_len : 0;
	size_t size;
	struct tcpk_desc_entry *e;

	/* Only a path entry has a path_buf (with its NUL). */
	size = path_len ? struct_size(e, path_buf, path_len + 1) : sizeof(*e);
	size = kmalloc_size_roundup(size);
	e = kmalloc(size, GFP_KERNEL_ACCOUNT);
	if (!e)
		return NULL;
	e->key = key;
	e->desc = item->desc;
	e->flags = be32_to_cpu(item->desc.flags);
	e->bind = *bind;
	e->size = size;
	e->bind.path = NULL;
	e->bind.path_len = path_len;
	if (path_len) {
		memcpy(e->path_buf, bind->path, path_len);
		e->path_buf[path_len] = '\0';
		e->bind.path = e->path_buf;
	}
	return e;
}

/* Publish a change of the stats; caller holds db.lock. */
static void stats_add(s64 count, s64 bytes)
{
	lockdep_assert_held(&db.lock);
	WRITE_ONCE(db.count, db.count + count);
	WRITE_ONCE(db.bytes, db.bytes + bytes);
}

/*
 * Mark the start or the end of a change; caller holds db.lock.  Pairs
 * with the smp_rmb() of tcpk_descdb_dump(), as a seqcount would.
 */
static void generation_bump(void)
{
	lockdep_assert_held(&db.lock);
	/* The stores of the change this bump closes come before it... */
	smp_wmb();
	WRITE_ONCE(db.generation, db.generation + 1);
	/* ...and those of the change it opens come after it. */
	smp_wmb();
}

/* Free an entry that was never published. */
static void entry_free(struct tcpk_desc_entry *e)
{
	kfree(e);
}

/* One item of a batch, in key order. */
struct batch_slot {
	u64 key;
	u32 idx;
	bool is_new;
	struct tcpk_desc_entry *e;		/* its new entry */
	struct tcpk_desc_entry *replaced;	/* the entry it replaces */
};

/* The items of a batch that fall in one bucket. */
struct batch_group {
	unsigned long index;
	struct tcpk_descdb_bucket *old;
	struct tcpk_descdb_bucket *new;
	u32 first;
	u32 n;
	u32 added;
	bool reserved;
};

static int slot_cmp(const void *a, const void *b)
{
	const struct batch_slot *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->idx != y->idx)
		return x->idx < y->idx ? -1 : 1;
	return 0;
}

static void batch_error(struct tcpk_desc_error *err, u32 index,
			const char *field, const char *reason)
{
	if (!err)
		return;
	err->index = index;
	err->field = field;
	err->reason = reason;
}

/*
 * Step 1, no lock: validate every item.  The first bad item in batch
 * order is reported.
 */
static int batch_validate(const struct tcpk_desc_item *items, u32 n,
			  struct tcpk_desc_error *err)
{
	const char *field, *reason;
	u32 i;

	for (i = 0; i < n; i++) {
		const struct tcpk_desc_item *it = &items[i];

		if (tcpk_desc_validate(&it->desc, &field, &reason) ||
		    tcpk_desc_binding_validate(&it->bind, &field, &reason)) {
			batch_error(err, i, field, reason);
			return -EINVAL;
		}
		if (it->bind.kind == TCPK_DESC_KEY_NAME &&
		    it->bind.cmd_hash != be32_to_cpu(it->desc.cmd_hash)) {
			batch_error(err, i, "cmd_hash",
				    "name binding differs from the descriptor's cmd_hash");
			return -EINVAL;
		}
		if (!(i % 1024))
			cond_resched();
	}
	return 0;
}

/*
 * Step 2, no lock: sort the items by key and refuse two items of one key.
 * The item reported is the first, in batch order, whose key an earlier
 * item already has: -EINVAL if it is the same identity, -EEXIST if it is
 * a different one (a 60-bit collision).
 */
static int batch_sort(const struct tcpk_desc_item *items, u32 n,
		      struct batch_slot *slots, struct tcpk_desc_error *err)
{
	u32 i, bad = U32_MAX;
	int ret = 0;

	for (i = 0; i < n; i++) {
		slots[i].key = tcpk_desc_key(&items[i].bind);
		slots[i].idx = i;
		slots[i].is_new = false;
		slots[i].e = NULL;
		slots[i].replaced = NULL;
		if (!(i % 1024))
			cond_resched();
	}
	sort(slots, n, sizeof(*slots), slot_cmp, NULL);

	for (i = 1; i < n; i++) {
		const struct batch_slot *s = &slots[i];

		if (s->key != slots[i - 1].key || s->idx > bad)
			continue;
		bad = s->idx;
		ret = same_identity(&items[s->idx].bind,
				    &items[slots[i - 1].idx].bind) ? -EINVAL : -EEXIST;
	}
	if (ret)
		batch_error(err, bad, kind_field(items[bad].bind.kind),
			    ret == -EINVAL ? "duplicate identity in batch" :
			    "60-bit key collision of two identities in batch");
	return ret;
}

/*
 * Step 3, under db.lock: find the bucket of each group and whether each
 * item replaces an entry or adds one.  An item whose key an entry of
 * another identity holds is refused with -EEXIST.  Returns the number of
 * descriptors the batch adds, or the error.
 */
static long batch_plan(const struct tcpk_desc_item *items,
		       struct batch_slot *slots, u32 n,
		       struct batch_group *groups, u32 ngroups,
		       struct tcpk_desc_error *err)
{
	u32 g, i, bad = U32_MAX;
	long added = 0;

	lockdep_assert_held(&db.lock);
	for (g = 0; g < ngroups; g++) {
		struct batch_group *grp = &groups[g];

		grp->old = xa_load(&db.xa, grp->index);
		grp->added = 0;
		for (i = grp->first; i < grp->first + grp->n; i++) {
			struct batch_slot *s = &slots[i];
			struct tcpk_desc_entry *old;

			old = bucket_find(grp->old, s->key);
			if (old && !same_identity(&old->bind, &items[s->idx].bind)) {
				bad = min(bad, s->idx);
				continue;
			}
			s->is_new = !old;
			grp->added += s->is_new;
		}
		added += grp->added;
		cond_resched();
	}
	if (bad != U32_MAX) {
		batch_error(err, bad, kind_field(items[bad].bind.kind),
			    "60-bit key collision with another identity in the database");
		return -EEXIST;
	}
	return added;
}

/*
 * The batch index of the first item, in batch order, that adds a
 * descriptor beyond @room; for the error message of a full database.
 */
static u32 batch_first_over(const struct batch_slot *slots, u32 n, u64 room)
{
	unsigned long *is_new;
	unsigned long bit;
	u32 i;

	is_new = bitmap_zalloc(n, GFP_KERNEL);
	if (!is_new)
		return 0;
	for (i = 0; i < n; i++)
		if (slots[i].is_new)
			__set_bit(slots[i].idx, is_new);
	for_each_set_bit(bit, is_new, n)
		if (!room--)
			break;
	bitmap_free(is_new);
	return bit < n ? bit : 0;
}

/*
 * Step 4, under db.lock: allocate every entry and every new bucket, and
 * reserve the XArray slots that are empty.  Nothing is visible yet.
 */
static int batch_prepare(const struct tcpk_desc_item *items,
			 struct batch_slot *slots, struct batch_group *groups,
			 u32 ngroups)
{
	u32 g, i;
	int ret;

	lockdep_assert_held(&db.lock);
	for (g = 0; g < ngroups; g++) {
		struct batch_group *grp = &groups[g];
		u32 old_n = grp->old ? grp->old->n : 0;
		u32 o = 0, k = 0;

		for (i = grp->first; i < grp->first + grp->n; i++) {
			slots[i].e = entry_alloc(&items[slots[i].idx],
						 slots[i].key);
			if (!slots[i].e)
				return -ENOMEM;
		}

		grp->new = bucket_alloc(old_n + grp->added);
		if (!grp->new)
			return -ENOMEM;
		/* Merge the old entries and the group's, both sorted by key. */
		i = grp->first;
		while (o < old_n || i < grp->first + grp->n) {
			struct tcpk_desc_entry *oe = o < old_n ? grp->old->e[o] : NULL;
			struct batch_slot *s = i < grp->first + grp->n ? &slots[i] : NULL;

			if (!s || (oe && oe->key < s->key)) {
				grp->new->e[k++] = oe;
				o++;
				continue;
			}
			if (oe && oe->key == s->key) {
				s->replaced = oe;
				o++;
			}
			grp->new->e[k++] = s->e;
			i++;
		}
		WARN_ON_ONCE(k != grp->new->n);

		if (!grp->old) {
			ret = xa_reserve(&db.xa, grp->index, GFP_KERNEL_ACCOUNT);
			if (ret)
				return ret;
			grp->reserved = true;
		}
		cond_resched();
	}
	return 0;
}

/* Undo batch_prepare(): nothing was published. */
static void batch_unprepare(struct batch_slot *slots, u32 n,
			    struct batch_group *groups, u32 ngroups)
{
	u32 g, i;

	lockdep_assert_held(&db.lock);
	for (g = 0; g < ngroups; g++) {
		if (groups[g].reserved)
			xa_release(&db.xa, groups[g].index);
		kvfree(groups[g].new);
	}
	for (i = 0; i < n; i++)
		entry_free(slots[i].e);
}

/*
 * Step 5, under db.lock: publish every bucket.  Stores into reserved or
 * occupied slots allocate nothing and cannot fail.  The old buckets and
 * the replaced entries are now unreachable for new readers;
 * batch_retire() frees them.
 */
static void batch_publish(struct batch_slot *slots, u32 n,
			  struct batch_group *groups, u32 ngroups, long added)
{
	s64 bytes = 0;
	u32 g, i;

	lockdep_assert_held(&db.lock);
	generation_bump();
	for (g = 0; g < ngroups; g++) {
		struct batch_group *grp = &groups[g];
		void *prev;

		prev = xa_store(&db.xa, grp->index, grp->new, GFP_KERNEL_ACCOUNT);
		WARN_ON_ONCE(xa_is_err(prev) || prev != grp->old);
		bytes += grp->new->size;
		if (grp->old)
			bytes -= grp->old->size;
		cond_resched();
	}
	for (i = 0; i < n; i++) {
		bytes += slots[i].e->size;
		if (slots[i].replaced)
			bytes -= slots[i].replaced->size;
	}
	stats_add(added, bytes);
	generation_bump();
}

/*
 * Step 6, without the lock: free the old buckets and the replaced
 * entries after a grace period.  Readers that found them before
 * batch_publish() may still be using them.
 */
static void batch_retire(struct batch_slot *slots, u32 n,
			 struct batch_group *groups, u32 ngroups, long added)
{
	bool sync = n - added + ngroups >= RETIRE_SYNC_MIN;
	u32 g, i;

	if (sync)
		synchronize_rcu();
	for (i = 0; i < n; i++) {
		if (!slots[i].replaced)
			continue;
		if (sync)
			kfree(slots[i].replaced);
		else
			kfree_rcu(slots[i].replaced, rcu);
		if (!(i % 1024))
			cond_resched();
	}
	for (g = 0; g < ngroups; g++) {
		if (!groups[g].old)
			continue;
		if (sync)
			kvfree(groups[g].old);
		else
			kvfree_rcu(groups[g].old, rcu);
		if (!(g % 1024))
			cond_resched();
	}
}

/**
 * tcpk_descdb_add() - add or replace descriptors, all or none
 * @items: the descriptors and their identities; @items[i].bind of a name
 *	binding must hold the descriptor's cmd_hash (tcpk_desc_item_init()).
 * @n: number of items.
 * @add_only: refuse the batch if an item would replace a descriptor (the
 *	module is locked: see core/lock.h).
 * @err: receives the index, field and reason of a refusal (may be NULL).
 *
 * An item whose identity has a descriptor replaces it, unless @add_only.  The batch is
 * applied only if every item is valid, no identity appears twice in it,
 * no key collides with another identity and the database can hold it:
 * the descriptors it adds (replacements do not count) must not take the
 * count above ``max_descriptors``.  While it is being published,
 * concurrent readers may see some of its items and not yet others.
 * Process context; sleeps.
 *
 * Return: 0; -EINVAL (invalid or duplicate item), -EEXIST (60-bit key
 * collision of two identities), -EPERM (@add_only and a replacement),
 * -ENOSPC (database full) or -ENOMEM, with @err set, and nothing changed.
 */
int tcpk_descdb_add(const struct tcpk_desc_item *items, u32 n, bool add_only,
		    struct tcpk_desc_error *err)
{
	struct batch_group *groups = NULL;
	struct batch_slot *slots;
	u32 ngroups, g, i;
	long added;
	u64 room;
	int ret;

	might_sleep();
	if (!n)
		return 0;
	ret = batch_validate(items, n, err);
	if (ret)
		return ret;

	ret = -ENOMEM;
	slots = kvmalloc_array(n, sizeof(*slots), GFP_KERNEL_ACCOUNT);
	if (!slots)
		goto out_nomem;
	ret = batch_sort(items, n, slots, err);
	if (ret)
		goto out_free;

	/* Group the sorted items by bucket: bucket_index() is monotonic. */
	for (i = 0, ngroups = 0; i < n; i++)
		if (!i || bucket_index(slots[i].key) != bucket_index(slots[i - 1].key))
			ngroups++;
	ret = -ENOMEM;
	groups = kvcalloc(ngroups, sizeof(*groups), GFP_KERNEL_ACCOUNT);
	if (!groups)
		goto out_nomem;
	for (i = 0, g = 0; i < n; i++) {
		unsigned long index = bucket_index(slots[i].key);

		if (i && index == groups[g].index) {
			groups[g].n++;
			continue;
		}
		if (i)
			g++;
		groups[g].index = index;
		groups[g].first = i;
		groups[g].n = 1;
	}

	mutex_lock(&db.lock);
	added = batch_plan(items, slots, n, groups, ngroups, err);
	if (added < 0) {
		ret = added;
		goto out_unlock;
	}
	if (add_only && (u32)added != n) {
		for (i = 0, g = U32_MAX; i < n; i++)
			if (!slots[i].is_new)
				g = min(g, slots[i].idx);
		batch_error(err, g, kind_field(items[g].bind.kind),
			    TCPK_LOCKED_MSG("replacing a descriptor"));
		ret = -EPERM;
		goto out_unlock;
	}
	room = READ_ONCE(max_descriptors);
	room = room > db.count ? room - db.count : 0;
	if ((u64)added > room) {
		batch_error(err, batch_first_over(slots, n, room),
			    "max_descriptors", "database full");
		ret = -ENOSPC;
		goto out_unlock;
	}
	ret = batch_prepare(items, slots, groups, ngroups);
	if (ret) {
		batch_unprepare(slots, n, groups, ngroups);
		mutex_unlock(&db.lock);
		goto out_nomem;
	}
	batch_publish(slots, n, groups, ngroups, added);
	mutex_unlock(&db.lock);
	batch_retire(slots, n, groups, ngroups, added);
	goto out_free;

out_unlock:
	mutex_unlock(&db.lock);
out_free:
	kvfree(groups);
	kvfree(slots);
	return ret;

out_nomem:
	batch_error(err, 0, "batch", "out of memory");
	kvfree(groups);
	kvfree(slots);
	return -ENOMEM;
}

/**
 * tcpk_descdb_del() - delete the descriptor of one identity
 * @bind: the identity.
 *
 * Readers that found the entry may use it until their RCU read-side
 * critical section ends.  Process context; sleeps.
 *
 * Return: 0, -EINVAL if @bind is not a valid identity, -ENOENT if it has
 * no descriptor, or -ENOMEM.
 */
int tcpk_descdb_del(const struct tcpk_desc_binding *bind)
{
	struct tcpk_descdb_bucket *old, *new = NULL;
	struct tcpk_desc_entry *e;
	unsigned long index;
	u32 pos;
	s64 bytes;
	u64 key;
	int ret;

	might_sleep();
	ret = tcpk_desc_binding_validate(bind, NULL, NULL);
	if (ret)
		return ret;
	key = tcpk_desc_key(bind);
	index = bucket_index(key);

	mutex_lock(&db.lock);
	old = xa_load(&db.xa, index);
	e = bucket_find(old, key);
	if (!e || !same_identity(&e->bind, bind)) {
		ret = -ENOENT;
		goto out;
	}
	pos = bucket_search(old, key);
	if (old->n > 1) {
		new = bucket_alloc(old->n - 1);
		if (!new) {
			ret = -ENOMEM;
			goto out;
		}
		memcpy(new->e, old->e, pos * sizeof(new->e[0]));
		memcpy(new->e + pos, old->e + pos + 1,
		       (old->n - pos - 1) * sizeof(new->e[0]));
	}

	generation_bump();
	if (new)
		WARN_ON_ONCE(xa_is_err(xa_store(&db.xa, index, new,
						GFP_KERNEL_ACCOUNT)));
	else
		xa_erase(&db.xa, index);
	bytes = (new ? new->size : 0) - (s64)old->size - e->size;
	kfree_rcu(e, rcu);
	kvfree_rcu(old, rcu);
	stats_add(-1, bytes);
	generation_bump();
	ret = 0;
out:
	mutex_unlock(&db.lock);
	return ret;
}

/**
 * tcpk_descdb_flush() - delete every descriptor
 *
 * Waits for a grace period (synchronize_rcu()) before it frees them.
 * Process context; sleeps.
 */
void tcpk_descdb_flush(void)
{
	struct tcpk_descdb_bucket *b, *flushed = NULL;
	unsigned long index;
	u32 i;

	might_sleep();
	mutex_lock(&db.lock);
	generation_bump();
	xa_for_each(&db.xa, index, b) {
		xa_erase(&db.xa, index);
		b->next_flushed = flushed;
		flushed = b;
		cond_resched();
	}
	WRITE_ONCE(db.count, 0);
	WRITE_ONCE(db.bytes, 0);
	generation_bump();
	mutex_unlock(&db.lock);

	if (!flushed)
		return;
	synchronize_rcu();
	while (flushed) {
		b = flushed;
		flushed = b->next_flushed;
		for (i = 0; i < b->n; i++)
			kfree(b->e[i]);
		kvfree(b);
		cond_resched();
	}
}

/**
 * tcpk_descdb_lookup() - the descriptor of an identity
 * @bind: the identity; need not have been validated (an invalid one has
 *	no descriptor).
 *
 * Must be called under rcu_read_lock() (or another RCU read-side
 * critical section); takes no lock and does not sleep, so any context,
 * hooks included, may call it.
 *
 * Return: the entry, valid until the end of the caller's RCU read-side
 * critical section, or NULL.
 */
const struct tcpk_desc_entry *
tcpk_descdb_lookup(const struct tcpk_desc_binding *bind)
{
	u64 key;

	RCU_LOCKDEP_WARN(!rcu_read_lock_any_held(),
			 "descriptor lookup outside an RCU read-side critical section");
	switch (bind->kind) {
	case TCPK_DESC_KEY_PATH:
		if (!bind->path || bind->path_len >= TCPK_DESC_PATH_MAX)
			return NULL;
		break;
	case TCPK_DESC_KEY_SYSCALL:
		if (bind->syscall >= TCPK_DESC_SYSCALL_NR_MAX)
			return NULL;
		break;
	default:
		break;
	}
	key = tcpk_desc_key(bind);
	if (!key)
		return NULL;
	return find(key, bind);
}

/**
 * tcpk_descdb_has_kind() - whether any descriptor is bound by a kind
 * @kind: &enum tcpk_desc_key_kind.
 *
 * For a caller that can skip work when no identity of a kind can match
 * (the exec hook hashes a file only if some descriptor is bound to a
 * digest).  A lookup of the first bucket in the kind's range of indexes;
 * takes its own RCU read-side critical section: any context.
 *
 * Return: true if at least one bucket of @kind exists.
 */
bool tcpk_descdb_has_kind(enum tcpk_desc_key_kind kind)
{
	unsigned long index = (unsigned long)kind << TCPK_DESCDB_BUCKET_BITS;
	unsigned long last = index + BIT(TCPK_DESCDB_BUCKET_BITS) - 1;
	bool found;

	if (kind <= TCPK_DESC_KEY_UNSPEC || kind >= __TCPK_DESC_KEY_MAX)
		return false;
	rcu_read_lock();
	found = xa_find(&db.xa, &index, last, XA_PRESENT);
	rcu_read_unlock();
	return found;
}

/**
 * tcpk_descdb_get() - copy the descriptor of an identity
 * @bind: the identity.
 * @out: receives the descriptor.
 *
 * Takes its own RCU read-side critical section; no lock, no sleep: any
 * context.
 *
 * Return: true if @bind has a descriptor (then copied to @out).
 */
bool tcpk_descdb_get(const struct tcpk_desc_binding *bind,
		     struct tcpk_desc *out)
{
	const struct tcpk_desc_entry *e;

	rcu_read_lock();
	e = tcpk_descdb_lookup(bind);
	if (e)
		*out = e->desc;
	rcu_read_unlock();
	return e;
}

/**
 * tcpk_descdb_dump() - visit every descriptor, resumably
 * @cur: where to start; zeroed for the first call, then as left by the
 *	previous call.
 * @emit: called for each entry in key order, under rcu_read_lock() (it
 *	must not sleep); returns 0 to go on, or non-zero to stop because the
 *	entry did not fit.
 * @arg: passed to @emit.
 *
 * The first call records the database generation in @cur->generation.
 * When @emit stops, @cur is left at the entry it refused, which the next
 * call emits first.  Entries are visited in key order and a call resumes
 * at the first key not below the one it stopped at, so every entry that
 * exists throughout the dump is emitted exactly once; an entry added,
 * replaced or deleted during the dump may be missed, or seen in its old
 * or its new version.  The dump is not a snapshot: the caller flags
 * NLM_F_DUMP_INTR when the generation changed (see
 * &struct tcpk_descdb_stats).  Takes no lock.
 *
 * Return: 0 when every entry has been emitted, or the non-zero value
 * @emit returned.
 */
int tcpk_descdb_dump(struct tcpk_descdb_cursor *cur,
		     int (*emit)(const struct tcpk_desc_entry *e, void *arg),
		     void *arg)
{
	const struct tcpk_descdb_bucket *b;
	unsigned long index = cur->index;
	int ret;

	rcu_read_lock();
	if (!cur->index && !cur->pos && !cur->key)
		cur->generation = READ_ONCE(db.generation);
	/* Read the generation before the buckets: see generation_bump(). */
	smp_rmb();
	for (b = xa_find(&db.xa, &index, ULONG_MAX, XA_PRESENT); b;
	     b = xa_find_after(&db.xa, &index, ULONG_MAX, XA_PRESENT)) {
		u32 pos = 0;

		if (index == cur->index) {
			/* The bucket may have changed since: @key decides. */
			if (cur->pos < b->n && b->e[cur->pos]->key == cur->key)
				pos = cur->pos;
			else
				pos = bucket_search(b, cur->key);
		}
		for (; pos < b->n; pos++) {
			const struct tcpk_desc_entry *e = b->e[pos];

			ret = emit(e, arg);
			if (ret) {
				cur->index = index;
				cur->pos = pos;
				cur->key = e->key;
				goto out;
			}
		}
	}
	ret = 0;
	/* Past every possible bucket: further calls emit nothing. */
	cur->index = ULONG_MAX;
	cur->pos = 0;
	cur->key = U64_MAX;
out:
	/* The caller's next read of the generation comes after the walk. */
	smp_rmb();
	rcu_read_unlock();
	return ret;
}

/**
 * tcpk_descdb_stats() - size, limit and generation of the database
 * @st: receives them.
 *
 * Lockless; the members are read one by one, not as one snapshot.  Any
 * context.
 */
void tcpk_descdb_stats(struct tcpk_descdb_stats *st)
{
	st->count = READ_ONCE(db.count);
	st->bytes = READ_ONCE(db.bytes);
	st->limit = READ_ONCE(max_descriptors);
	st->generation = READ_ONCE(db.generation);
}

/**
 * tcpk_descdb_init() - set up an empty database
 *
 * Return: 0.
 */
int tcpk_descdb_init(void)
{
	xa_init_flags(&db.xa, XA_FLAGS_ACCOUNT);
	mutex_init(&db.lock);
	db.count = 0;
	db.bytes = 0;
	db.generation = 0;
	return 0;
}

/**
 * tcpk_descdb_exit() - delete every descriptor and free the database
 *
 * Waits for the RCU callbacks queued by earlier changes (rcu_barrier()),
 * so that nothing of the database is pending when the module is gone.  No
 * reader or writer may start after it is called.
 */
void tcpk_descdb_exit(void)
{
	tcpk_descdb_flush();
	rcu_barrier();
	xa_destroy(&db.xa);
	mutex_destroy(&db.lock);
}
