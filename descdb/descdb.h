/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - the TCP descriptor database
 *
 * Descriptors bound to an identity (command name hash, executable path,
 * executable SHA-256 digest, or system call number) in an XArray.
 *
 * Lookups run from any context, hooks included: RCU only, no lock, no
 * sleep.  Changes are serialised by a mutex and never show a reader half
 * of anything: an entry is immutable once published and freed after a
 * grace period.  A batch is applied all or nothing.
 */
#ifndef _TCPK_DESCDB_H
#define _TCPK_DESCDB_H

#include <linux/build_bug.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/tcp_kernel.h>

/*
 * The 64-bit key of an identity: ``kind << 60 | id``, where id is
 *   %TCPK_DESC_KEY_NAME:    the command-name hash (32 bits);
 *   %TCPK_DESC_KEY_PATH:    the upper 60 bits of siphash(path) keyed with
 *                           %TCPK_DESC_PATH_SIPHASH_K0 and _K1;
 *   %TCPK_DESC_KEY_DIGEST:  the first 60 bits of the SHA-256 digest, read
 *                           as a big-endian number;
 *   %TCPK_DESC_KEY_SYSCALL: the system call number (below
 *                           %TCPK_DESC_SYSCALL_NR_MAX).
 * A key is never 0 (kind 0 is not a kind).  Two identities of one kind
 * may share a 60-bit key; the database refuses the second one (-EEXIST).
 */
#define TCPK_DESC_KEY_KIND_SHIFT	60
#define TCPK_DESC_KEY_ID_MASK		((1ULL << TCPK_DESC_KEY_KIND_SHIFT) - 1)
static_assert(__TCPK_DESC_KEY_MAX <= 1 << (64 - TCPK_DESC_KEY_KIND_SHIFT));
static_assert(sizeof(struct tcpk_desc) == TCPK_DESC_LEN);

/*
 * The fixed siphash key of path identities: the ASCII text
 * "tcpk_pathkey_v1\0" read as two little-endian 64-bit words.  The key of
 * a path is part of the uapi (%TCPK_A_DESC_KEY): never change it.
 */
#define TCPK_DESC_PATH_SIPHASH_K0	0x7461705f6b706374ULL
#define TCPK_DESC_PATH_SIPHASH_K1	0x0031765f79656b68ULL

/* System call numbers accepted: 0 to TCPK_DESC_SYSCALL_NR_MAX - 1. */
#define TCPK_DESC_SYSCALL_NR_MAX	1024

/*
 * The XArray index of a key's bucket is ``kind << TCPK_DESCDB_BUCKET_BITS``
 * or'ed with the upper TCPK_DESCDB_BUCKET_BITS bits of its id (the id
 * itself for system calls, which have one bucket each).  Measured in QEMU
 * with 100,000 descriptors in one batch: 14 bits cost 180 bytes an entry
 * in all (16: 198, 18: 252, the difference being sparse XArray leaves) and
 * added twice as fast as 18; buckets stay small (about 8 entries at the
 * default limit in one kind).
 */
#define TCPK_DESCDB_BUCKET_BITS		14
static_assert(TCPK_DESC_SYSCALL_NR_MAX <= 1 << TCPK_DESCDB_BUCKET_BITS);

/* Default of the module parameter max_descriptors. */
#define TCPK_DESCDB_MAX_DEFAULT		131072

/**
 * struct tcpk_desc_binding - the identity a descriptor is bound to
 * @kind: &enum tcpk_desc_key_kind.
 * @cmd_hash: %TCPK_DESC_KEY_NAME: the command-name hash.
 * @syscall: %TCPK_DESC_KEY_SYSCALL: the system call number.
 * @digest: %TCPK_DESC_KEY_DIGEST: the SHA-256 digest.
 * @path: %TCPK_DESC_KEY_PATH: the absolute path, NUL-terminated; not
 *	owned (the database copies it).
 * @path_len: strlen(@path).
 */
struct tcpk_desc_binding {
	enum tcpk_desc_key_kind kind;
	u32 cmd_hash;
	u32 syscall;
	u8 digest[TCPK_DESC_DIGEST_LEN];
	const char *path;
	u32 path_len;
};

/**
 * struct tcpk_desc_item - one descriptor of a batch to add
 * @desc: the descriptor as received.
 * @bind: its identity; for %TCPK_DESC_KEY_NAME, @bind.cmd_hash must be
 *	the descriptor's own cmd_hash (tcpk_desc_item_init() sets it).
 */
struct tcpk_desc_item {
	struct tcpk_desc desc;
	struct tcpk_desc_binding bind;
};

/**
 * struct tcpk_desc_entry - a published descriptor (immutable)
 * @key: the 64-bit key: ``kind << 60 | 60 bits of identity``.
 * @desc: the descriptor as received (big-endian).
 * @flags: host-order copy of @desc.flags, for hooks.
 * @bind: the identity; @bind.path points into @path_buf.
 * @size: bytes allocated for this entry (accounted in the stats).
 * @rcu: frees the entry after a grace period.
 * @path_buf: the path of a %TCPK_DESC_KEY_PATH entry.
 *
 * Valid until the end of the RCU read-side critical section in which it
 * was looked up; never written after it is published.
 */
struct tcpk_desc_entry {
	u64 key;
	struct tcpk_desc desc;
	u32 flags;
	struct tcpk_desc_binding bind;
	u32 size;
	struct rcu_head rcu;
	char path_buf[];
};

/**
 * struct tcpk_desc_error - why a batch was refused
 * @index: index in the batch of the offending item.
 * @field: the descriptor field or attribute at fault ("magic", "version",
 *	"check", "name_len", "flags", "cmd_hash", "key_kind", "path",
 *	"sha256", "syscall", "max_descriptors" or "batch").
 * @reason: a short static text ("bad magic", "duplicate identity in
 *	batch", "database full", ...).
 */
struct tcpk_desc_error {
	u32 index;
	const char *field;
	const char *reason;
};

int tcpk_descdb_init(void);
void tcpk_descdb_exit(void);

int tcpk_desc_validate(const struct tcpk_desc *desc, const char **field,
		       const char **reason);
int tcpk_desc_binding_validate(const struct tcpk_desc_binding *bind,
			       const char **field, const char **reason);
u64 tcpk_desc_key(const struct tcpk_desc_binding *bind);
u16 tcpk_desc_check(const struct tcpk_desc *desc);
void tcpk_desc_item_init(struct tcpk_desc_item *item);

int tcpk_descdb_add(const struct tcpk_desc_item *items, u32 n, bool add_only,
		    struct tcpk_desc_error *err);
int tcpk_descdb_del(const struct tcpk_desc_binding *bind);
void tcpk_descdb_flush(void);

const struct tcpk_desc_entry *
tcpk_descdb_lookup(const struct tcpk_desc_binding *bind);
bool tcpk_descdb_get(const struct tcpk_desc_binding *bind,
		     struct tcpk_desc *out);
bool tcpk_descdb_has_kind(enum tcpk_desc_key_kind kind);

/**
 * struct tcpk_descdb_cursor - where a dump resumes
 * @index: XArray index of the next bucket to visit.
 * @pos: position in that bucket of the next entry (a hint: @key decides).
 * @generation: database generation when the dump started.
 * @key: key of the next entry to emit; the dump resumes at the first
 *	entry whose key is not below it.
 *
 * Zero it before the first call of tcpk_descdb_dump(); it fits in
 * &struct netlink_callback.ctx.
 */
struct tcpk_descdb_cursor {
	unsigned long index;
	u32 pos;
	u64 generation;
	u64 key;
};

int tcpk_descdb_dump(struct tcpk_descdb_cursor *cur,
		     int (*emit)(const struct tcpk_desc_entry *e, void *arg),
		     void *arg);

/**
 * struct tcpk_descdb_stats - size of the database
 * @count: descriptors.
 * @bytes: memory of entries and buckets, in bytes.
 * @limit: the most descriptors accepted (``max_descriptors``).
 * @generation: incremented twice by every change: once before its first
 *	effect is visible to readers and once after its last, so it is odd
 *	while a change is being published.
 */
struct tcpk_descdb_stats {
	u32 count;
	u64 bytes;
	u32 limit;
	u64 generation;
};

void tcpk_descdb_stats(struct tcpk_descdb_stats *st);

#endif /* _TCPK_DESCDB_H */
