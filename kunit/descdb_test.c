// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - KUnit suite of the TCP descriptor database
 *
 * Each case runs on its own empty copy of the database (this module
 * includes descdb.c, whose state is one static struct): init sets it up,
 * exit flushes it and waits for its RCU callbacks.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/vmalloc.h>

#include "../descdb/descdb.c"

/* --- helpers --------------------------------------------------------------- */

/* A valid descriptor; @v goes into the three "typical" fields. */
static void desc_make(struct tcpk_desc *d, u32 cmd_hash, u32 flags, u16 v)
{
	memset(d, 0, sizeof(*d));
	memcpy(d->magic, TCPK_DESC_MAGIC, 4);
	d->version = cpu_to_be16(TCPK_DESC_VERSION);
	d->cmd_hash = cpu_to_be32(cmd_hash);
	d->flags = cpu_to_be32(flags);
	d->exec_ms = cpu_to_be16(v);
	d->mem_mb = cpu_to_be16(v);
	d->out_kb = cpu_to_be16(v);
	d->name_len = cpu_to_be16(2);
	d->check = cpu_to_be16(tcpk_desc_check(d));
}

static void bind_name(struct tcpk_desc_binding *b, u32 hash)
{
	memset(b, 0, sizeof(*b));
	b->kind = TCPK_DESC_KEY_NAME;
	b->cmd_hash = hash;
}

static void bind_syscall(struct tcpk_desc_binding *b, u32 nr)
{
	memset(b, 0, sizeof(*b));
	b->kind = TCPK_DESC_KEY_SYSCALL;
	b->syscall = nr;
}

/*
 * A digest derived from @seed; its first 32 bits are a bijection of the
 * seed (so distinct seeds never share a key) spread over the buckets.
 */
static void bind_digest(struct tcpk_desc_binding *b, u32 seed)
{
	__be32 head = cpu_to_be32(seed * 2654435761U);
	int i;

	memset(b, 0, sizeof(*b));
	b->kind = TCPK_DESC_KEY_DIGEST;
	memcpy(b->digest, &head, sizeof(head));
	for (i = sizeof(head); i < TCPK_DESC_DIGEST_LEN; i++)
		b->digest[i] = seed >> (i % 4 * 8) ^ i;
}

static void bind_path(struct tcpk_desc_binding *b, const char *path)
{
	memset(b, 0, sizeof(*b));
	b->kind = TCPK_DESC_KEY_PATH;
	b->path = path;
	b->path_len = strlen(path);
}

/*
 * Item @i of a family of distinct identities of every kind: kind by
 * i % 4 (syscalls below 1024 only), descriptor value @v.  Paths are
 * written to @pathbuf (at least 40 bytes).
 */
static void item_make(struct tcpk_desc_item *it, u32 i, u16 v, char *pathbuf)
{
	u32 kind = i < 4 * TCPK_DESC_SYSCALL_NR_MAX ? i % 4 : i % 3;

	memset(it, 0, sizeof(*it));
	desc_make(&it->desc, 0x9e3779b9U * (i + 1), BIT(i % __TCPK_DESC_FLAG_MAX), v);
	switch (kind) {
	case 0:
		tcpk_desc_item_init(it);
		break;
	case 1:
		snprintf(pathbuf, 40, "/opt/tool%u/bin/t%u", i % 97, i);
		bind_path(&it->bind, pathbuf);
		break;
	case 2:
		bind_digest(&it->bind, i);
		break;
	default:
		bind_syscall(&it->bind, i / 4);
		break;
	}
}

static int descdb_test_init(struct kunit *test)
{
	max_descriptors = TCPK_DESCDB_MAX_DEFAULT;
	return tcpk_descdb_init();
}

static void descdb_test_exit(struct kunit *test)
{
	tcpk_descdb_exit();
	max_descriptors = TCPK_DESCDB_MAX_DEFAULT;
}

static void stats_get(struct tcpk_descdb_stats *st)
{
	tcpk_descdb_stats(st);
}

/* --- keys --------------------------------------------------------------------- */

struct key_case {
	const char *name;
	struct tcpk_desc_binding bind;
	u64 key;
	unsigned long bucket;
};

#define PATH_BIND(s) { .kind = TCPK_DESC_KEY_PATH, .path = s, .path_len = sizeof(s) - 1 }

/* The bucket of an id of @width bits: its upper TCPK_DESCDB_BUCKET_BITS. */
#define BKT(kind, id, width)						\
	((unsigned long)(kind) << TCPK_DESCDB_BUCKET_BITS |		\
	 (unsigned long)((u64)(id) >> ((width) - TCPK_DESCDB_BUCKET_BITS)))
#define BKT_SYSCALL(nr)	BKT(TCPK_DESC_KEY_SYSCALL, nr, TCPK_DESCDB_BUCKET_BITS)

static const struct key_case key_cases[] = {
	{ "name", { .kind = TCPK_DESC_KEY_NAME, .cmd_hash = 0xdeadbeef },
	  0x10000000deadbeefULL, BKT(1, 0xdeadbeef, 32) },
	{ "name 0", { .kind = TCPK_DESC_KEY_NAME, .cmd_hash = 0 },
	  0x1000000000000000ULL, BKT(1, 0, 32) },
	{ "name max", { .kind = TCPK_DESC_KEY_NAME, .cmd_hash = 0xffffffff },
	  0x10000000ffffffffULL, BKT(1, 0xffffffff, 32) },
	/* siphash-2-4, key "tcpk_pathkey_v1\0", upper 60 bits. */
	{ "path /usr/bin/rm", PATH_BIND("/usr/bin/rm"), 0x2e9c24a754a149d3ULL,
	  BKT(2, 0xe9c24a754a149d3ULL, 60) },
	{ "path /bin/sh", PATH_BIND("/bin/sh"), 0x2ec5739963195485ULL,
	  BKT(2, 0xec5739963195485ULL, 60) },
	{ "digest", { .kind = TCPK_DESC_KEY_DIGEST,
		      .digest = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
				  0xfe, 0xdc, 0xba, 0x98 } },
	  0x30123456789abcdeULL, BKT(3, 0x0123456789abcdeULL, 60) },
	{ "digest ff", { .kind = TCPK_DESC_KEY_DIGEST,
			 .digest = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
	  0x3fffffffffffffffULL, BKT(3, 0xfffffffffffffffULL, 60) },
	{ "syscall 0", { .kind = TCPK_DESC_KEY_SYSCALL, .syscall = 0 },
	  0x4000000000000000ULL, BKT_SYSCALL(0) },
	{ "syscall 59", { .kind = TCPK_DESC_KEY_SYSCALL, .syscall = 59 },
	  0x400000000000003bULL, BKT_SYSCALL(59) },
	{ "syscall 1023", { .kind = TCPK_DESC_KEY_SYSCALL, .syscall = 1023 },
	  0x40000000000003ffULL, BKT_SYSCALL(1023) },
	{ "unspec", { .kind = TCPK_DESC_KEY_UNSPEC, .cmd_hash = 1 }, 0, 0 },
	{ "kind 5", { .kind = __TCPK_DESC_KEY_MAX, .cmd_hash = 1 }, 0, 0 },
};

static void key_case_desc(const struct key_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(key, key_cases, key_case_desc);

/* The key of every kind, bit for bit, and its bucket. */
static void tcpk_descdb_test_key(struct kunit *test)
{
	const struct key_case *c = test->param_value;
	u64 key = tcpk_desc_key(&c->bind);

	KUNIT_EXPECT_EQ(test, key, c->key);
	if (!c->key)
		return;
	KUNIT_EXPECT_EQ(test, key >> 60, (u64)c->bind.kind);
	KUNIT_EXPECT_EQ(test, bucket_index(key), c->bucket);
	if (c->bind.kind == TCPK_DESC_KEY_PATH)
		KUNIT_EXPECT_EQ(test, key & TCPK_DESC_KEY_ID_MASK,
				siphash(c->bind.path, c->bind.path_len,
					&path_siphash_key) >> 4);
}

/* bucket_index() is monotonic in the key, which batches and dumps rely on. */
static void tcpk_descdb_test_bucket_monotonic(struct kunit *test)
{
	const u64 name = 1ULL << 60, path = 2ULL << 60;
	const u64 nb = 1ULL << (32 - TCPK_DESCDB_BUCKET_BITS);	/* name ids per bucket */
	const u64 pb = 1ULL << (60 - TCPK_DESCDB_BUCKET_BITS);	/* path ids per bucket */
	const u64 keys[] = {
		name, name | (nb - 1), name | nb, name | 0xffffffff,
		path, path | (pb - 1), path | pb, path | TCPK_DESC_KEY_ID_MASK,
		3ULL << 60, 3ULL << 60 | TCPK_DESC_KEY_ID_MASK,
		4ULL << 60, 4ULL << 60 | 1, 4ULL << 60 | 1023,
	};
	int i;

	for (i = 1; i < ARRAY_SIZE(keys); i++)
		KUNIT_EXPECT_LE(test, bucket_index(keys[i - 1]), bucket_index(keys[i]));
	KUNIT_EXPECT_EQ(test, bucket_index(name | (nb - 1)), 1UL << TCPK_DESCDB_BUCKET_BITS);
	KUNIT_EXPECT_EQ(test, bucket_index(name | nb), 1UL << TCPK_DESCDB_BUCKET_BITS | 1);
	KUNIT_EXPECT_EQ(test, bucket_index(path | (pb - 1)), 2UL << TCPK_DESCDB_BUCKET_BITS);
	KUNIT_EXPECT_EQ(test, bucket_index(path | pb), 2UL << TCPK_DESCDB_BUCKET_BITS | 1);
	/* Pinned for the value of the design (18 bits). */
	if (TCPK_DESCDB_BUCKET_BITS == 18) {
		KUNIT_EXPECT_EQ(test, bucket_index(0x10000000deadbeefULL), 0x77ab6UL);
		KUNIT_EXPECT_EQ(test, bucket_index(0x2e9c24a754a149d3ULL), 0xba709UL);
		KUNIT_EXPECT_EQ(test, bucket_index(0x400000000000003bULL), 0x10003bUL);
	}
}

/* --- CRC and descriptor validation ----------------------------------------- */

/* IEEE CRC-32 as zlib computes it, and the check of a pinned descriptor. */
static void tcpk_descdb_test_crc(struct kunit *test)
{
	/* "rm": DESTRUCTIVE|FILE_MODIFICATION|HIGH_RISK, 50 ms, 4 MB, 1 KB. */
	static const u8 rm[TCPK_DESC_LEN] = {
		0x54, 0x43, 0x50, 0x02, 0x00, 0x02, 0xd6, 0x7f, 0x24, 0x9b, 0x00, 0x00,
		0x02, 0x88, 0x00, 0x32, 0x00, 0x04, 0x00, 0x01, 0x00, 0x02, 0xec, 0x53,
	};
	struct tcpk_desc d;

	KUNIT_EXPECT_EQ(test, ~crc32_le(~0U, (const u8 *)"123456789", 9), 0xCBF43926U);
	memcpy(&d, rm, sizeof(d));
	KUNIT_EXPECT_EQ(test, tcpk_desc_check(&d), 0xec53);
	KUNIT_EXPECT_EQ(test, tcpk_desc_validate(&d, NULL, NULL), 0);
	/* The check field itself is not an input of the check. */
	d.check = cpu_to_be16(0x1234);
	KUNIT_EXPECT_EQ(test, tcpk_desc_check(&d), 0xec53);
}

struct validate_case {
	const char *name;
	u8 off;		/* bytes to overwrite, big-endian value @val */
	u8 len;
	u32 val;
	u8 off2;	/* and a second change */
	u8 len2;
	u32 val2;
	bool fill_ff;	/* every byte 0xff first */
	bool fix_check;	/* recompute the check after the change */
	s32 check_delta;	/* then add this to the check */
	const char *field;	/* NULL: valid */
};

static const struct validate_case validate_cases[] = {
	{ "valid", 0, 0, 0, 0, 0, 0, false, true, 0, NULL },
	{ "magic byte 0", 0, 1, 'X', 0, 0, 0, false, true, 0, "magic" },
	{ "magic byte 1", 1, 1, 'X', 0, 0, 0, false, true, 0, "magic" },
	{ "magic byte 2", 2, 1, 'X', 0, 0, 0, false, true, 0, "magic" },
	{ "magic byte 3", 3, 1, 0x01, 0, 0, 0, false, true, 0, "magic" },
	{ "magic TCP\\x03", 3, 1, 0x03, 0, 0, 0, false, true, 0, "magic" },
	{ "garbage ff", 0, 0, 0, 0, 0, 0, true, false, 0, "magic" },
	{ "version 0", 4, 2, 0, 0, 0, 0, false, true, 0, "version" },
	{ "version 1", 4, 2, 1, 0, 0, 0, false, true, 0, "version" },
	{ "version 3", 4, 2, 3, 0, 0, 0, false, true, 0, "version" },
	{ "version little-endian 2", 4, 2, 0x0200, 0, 0, 0, false, true, 0, "version" },
	{ "version before check", 4, 2, 3, 0, 0, 0, false, false, 0, "version" },
	{ "check +1", 0, 0, 0, 0, 0, 0, false, true, 1, "check" },
	{ "check -1", 0, 0, 0, 0, 0, 0, false, true, -1, "check" },
	{ "check bit 15", 0, 0, 0, 0, 0, 0, false, true, 0x8000, "check" },
	{ "check stale after change", 14, 2, 51, 0, 0, 0, false, false, 0, "check" },
	{ "name_len 0", 20, 2, 0, 0, 0, 0, false, true, 0, "name_len" },
	{ "name_len 1", 20, 2, 1, 0, 0, 0, false, true, 0, NULL },
	{ "name_len 255", 20, 2, 255, 0, 0, 0, false, true, 0, NULL },
	{ "name_len 256", 20, 2, 256, 0, 0, 0, false, true, 0, "name_len" },
	{ "name_len 65535", 20, 2, 0xffff, 0, 0, 0, false, true, 0, "name_len" },
	{ "name_len before flags", 20, 2, 0, 10, 4, 1U << 17, false, true, 0, "name_len" },
	{ "flag 16 (DANGEROUS_EXEC)", 10, 4, 1U << 16, 0, 0, 0, false, true, 0, NULL },
	{ "every known flag", 10, 4, TCPK_DESC_FLAGS_KNOWN, 0, 0, 0, false, true, 0, NULL },
	{ "unknown flag 17", 10, 4, 1U << 17, 0, 0, 0, false, true, 0, "flags" },
	{ "unknown flag 31", 10, 4, 1U << 31, 0, 0, 0, false, true, 0, "flags" },
	{ "cmd_hash any", 6, 4, 0xffffffff, 0, 0, 0, false, true, 0, NULL },
	{ "times any", 14, 2, 0xffff, 0, 0, 0, false, true, 0, NULL },
};

static void validate_case_desc(const struct validate_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(validate, validate_cases, validate_case_desc);

/* Every field and every failure, reported by name, in the documented order. */
static void tcpk_descdb_test_validate(struct kunit *test)
{
	const struct validate_case *c = test->param_value;
	const char *field = "unset", *reason = "unset";
	struct tcpk_desc d;
	u8 *p = (u8 *)&d;
	int i, ret;

	desc_make(&d, 0xd67f249b, BIT(TCPK_DESC_DESTRUCTIVE), 50);
	if (c->fill_ff)
		memset(&d, 0xff, sizeof(d));
	for (i = 0; i < c->len; i++)
		p[c->off + i] = c->val >> ((c->len - 1 - i) * 8);
	for (i = 0; i < c->len2; i++)
		p[c->off2 + i] = c->val2 >> ((c->len2 - 1 - i) * 8);
	if (c->fix_check)
		d.check = cpu_to_be16(tcpk_desc_check(&d));
	d.check = cpu_to_be16(be16_to_cpu(d.check) + c->check_delta);

	ret = tcpk_desc_validate(&d, &field, &reason);
	if (!c->field) {
		KUNIT_EXPECT_EQ(test, ret, 0);
		KUNIT_EXPECT_STREQ(test, field, "unset");
		return;
	}
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	KUNIT_EXPECT_STREQ(test, field, c->field);
	KUNIT_EXPECT_STRNEQ(test, reason, "unset");
	/* NULL outputs are allowed. */
	KUNIT_EXPECT_EQ(test, tcpk_desc_validate(&d, NULL, NULL), -EINVAL);
}

/* --- binding validation ---------------------------------------------------- */

struct binding_case {
	const char *name;
	struct tcpk_desc_binding bind;
	u32 long_path;		/* a path of this length built by the test */
	const char *field;	/* NULL: valid */
};

static const struct binding_case binding_cases[] = {
	{ "name", { .kind = TCPK_DESC_KEY_NAME, .cmd_hash = 7 }, 0, NULL },
	{ "digest", { .kind = TCPK_DESC_KEY_DIGEST }, 0, NULL },
	{ "syscall 0", { .kind = TCPK_DESC_KEY_SYSCALL, .syscall = 0 }, 0, NULL },
	{ "syscall 1023", { .kind = TCPK_DESC_KEY_SYSCALL, .syscall = 1023 }, 0, NULL },
	{ "syscall 1024", { .kind = TCPK_DESC_KEY_SYSCALL, .syscall = 1024 }, 0, "syscall" },
	{ "syscall -1", { .kind = TCPK_DESC_KEY_SYSCALL, .syscall = U32_MAX }, 0, "syscall" },
	{ "kind unspec", { .kind = TCPK_DESC_KEY_UNSPEC }, 0, "key_kind" },
	{ "kind 5", { .kind = __TCPK_DESC_KEY_MAX }, 0, "key_kind" },
	{ "path", PATH_BIND("/usr/bin/rm"), 0, NULL },
	{ "path one component", PATH_BIND("/a"), 0, NULL },
	{ "path dotfiles", PATH_BIND("/.x/...y/..z/.../a."), 0, NULL },
	{ "path relative", PATH_BIND("usr/bin/rm"), 0, "path" },
	{ "path ./", PATH_BIND("./rm"), 0, "path" },
	{ "path empty", PATH_BIND(""), 0, "path" },
	{ "path NULL", { .kind = TCPK_DESC_KEY_PATH, .path_len = 3 }, 0, "path" },
	{ "path NUL inside", PATH_BIND("/usr\0bin/rm"), 0, "path" },
	{ "path NUL last", PATH_BIND("/usr/bin/rm\0"), 0, "path" },
	{ "path root", PATH_BIND("/"), 0, "path" },
	{ "path trailing /", PATH_BIND("/usr/bin/"), 0, "path" },
	{ "path //", PATH_BIND("/usr//bin/rm"), 0, "path" },
	{ "path leading //", PATH_BIND("//usr/bin/rm"), 0, "path" },
	{ "path /./", PATH_BIND("/usr/./bin/rm"), 0, "path" },
	{ "path /../", PATH_BIND("/usr/../bin/rm"), 0, "path" },
	{ "path ends /.", PATH_BIND("/usr/bin/."), 0, "path" },
	{ "path ends /..", PATH_BIND("/usr/bin/.."), 0, "path" },
	{ "path 4095 bytes", { .kind = TCPK_DESC_KEY_PATH }, 4095, NULL },
	{ "path 4096 bytes", { .kind = TCPK_DESC_KEY_PATH }, 4096, "path" },
	{ "path 65536 bytes", { .kind = TCPK_DESC_KEY_PATH }, 65536, "path" },
};

static void binding_case_desc(const struct binding_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(binding, binding_cases, binding_case_desc);

static void tcpk_descdb_test_binding(struct kunit *test)
{
	const struct binding_case *c = test->param_value;
	const char *field = "unset", *reason = "unset";
	struct tcpk_desc_binding b = c->bind;
	int ret;

	if (c->long_path) {
		char *p = kunit_kmalloc(test, c->long_path + 1, GFP_KERNEL);
		u32 i;

		KUNIT_ASSERT_NOT_NULL(test, p);
		/* "/aaaa.../aaaa...": components of 200 bytes. */
		for (i = 0; i < c->long_path; i++)
			p[i] = i % 201 ? 'a' : '/';
		p[c->long_path] = '\0';
		if (p[c->long_path - 1] == '/')
			p[c->long_path - 1] = 'a';
		b.path = p;
		b.path_len = c->long_path;
	}
	ret = tcpk_desc_binding_validate(&b, &field, &reason);
	if (!c->field) {
		KUNIT_EXPECT_EQ(test, ret, 0);
		return;
	}
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	KUNIT_EXPECT_STREQ(test, field, c->field);
	KUNIT_EXPECT_STRNEQ(test, reason, "unset");
	/* An invalid identity has no descriptor and cannot be deleted. */
	KUNIT_EXPECT_EQ(test, tcpk_descdb_del(&b), -EINVAL);
	if (b.kind != TCPK_DESC_KEY_PATH || b.path) {
		rcu_read_lock();
		KUNIT_EXPECT_NULL(test, tcpk_descdb_lookup(&b));
		rcu_read_unlock();
	}
}

/* A name binding is the descriptor's cmd_hash; others are left alone. */
static void tcpk_descdb_test_item_init(struct kunit *test)
{
	struct tcpk_desc_item it;
	struct tcpk_desc_error err = { };

	memset(&it, 0, sizeof(it));
	desc_make(&it.desc, 0xabcdef01, 0, 1);
	tcpk_desc_item_init(&it);
	KUNIT_EXPECT_EQ(test, it.bind.kind, TCPK_DESC_KEY_NAME);
	KUNIT_EXPECT_EQ(test, it.bind.cmd_hash, 0xabcdef01U);

	bind_syscall(&it.bind, 59);
	tcpk_desc_item_init(&it);
	KUNIT_EXPECT_EQ(test, it.bind.kind, TCPK_DESC_KEY_SYSCALL);
	KUNIT_EXPECT_EQ(test, it.bind.syscall, 59U);

	/* A name binding that is not the descriptor's is refused. */
	bind_name(&it.bind, 0xabcdef02);
	KUNIT_EXPECT_EQ(test, tcpk_descdb_add(&it, 1, false, &err), -EINVAL);
	KUNIT_EXPECT_STREQ(test, err.field, "cmd_hash");
}

/* --- insert, replace, delete ------------------------------------------------ */

static const char *const kind_names[] = { "name", "path", "digest", "syscall" };

static void kind_desc(const char *const *name, char *desc)
{
	strscpy(desc, *name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kind, kind_names, kind_desc);

static void item_of_kind(struct tcpk_desc_item *it, int kind, u16 v)
{
	memset(it, 0, sizeof(*it));
	desc_make(&it->desc, 0x12345678, BIT(TCPK_DESC_NETWORK_ACCESS), v);
	switch (kind) {
	case 0:
		tcpk_desc_item_init(it);
		break;
	case 1:
		bind_path(&it->bind, "/usr/bin/curl");
		break;
	case 2:
		bind_digest(&it->bind, 42);
		break;
	default:
		bind_syscall(&it->bind, 42);
		break;
	}
}

/* Add, look up, replace, delete one descriptor of each kind; count, bytes. */
static void tcpk_descdb_test_insert_replace_delete(struct kunit *test)
{
	int kind = (const char *const *)test->param_value - kind_names;
	struct tcpk_descdb_stats st0, st;
	const struct tcpk_desc_entry *e;
	struct tcpk_desc_error err = { };
	struct tcpk_desc_item it;
	struct tcpk_desc out;
	size_t esize, bsize;

	item_of_kind(&it, kind, 1);
	stats_get(&st0);
	KUNIT_EXPECT_EQ(test, st0.count, 0);
	KUNIT_EXPECT_EQ(test, st0.bytes, 0);
	KUNIT_EXPECT_EQ(test, st0.limit, TCPK_DESCDB_MAX_DEFAULT);
	KUNIT_EXPECT_FALSE(test, tcpk_descdb_get(&it.bind, &out));
	KUNIT_EXPECT_EQ(test, tcpk_descdb_del(&it.bind), -ENOENT);

	KUNIT_ASSERT_EQ(test, tcpk_descdb_add(&it, 1, false, &err), 0);
	stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.count, 1);
	KUNIT_EXPECT_EQ(test, st.generation, st0.generation + 2);
	esize = kind == 1 ? struct_size(e, path_buf, it.bind.path_len + 1) : sizeof(*e);
	bsize = struct_size((struct tcpk_descdb_bucket *)NULL, e, 1);
	KUNIT_EXPECT_EQ(test, st.bytes,
			kmalloc_size_roundup(esize) + kmalloc_size_roundup(bsize));

	rcu_read_lock();
	e = tcpk_descdb_lookup(&it.bind);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->key, tcpk_desc_key(&it.bind));
	KUNIT_EXPECT_EQ(test, e->flags, BIT(TCPK_DESC_NETWORK_ACCESS));
	KUNIT_EXPECT_EQ(test, e->bind.kind, it.bind.kind);
	KUNIT_EXPECT_TRUE(test, same_identity(&e->bind, &it.bind));
	KUNIT_EXPECT_EQ(test, memcmp(&e->desc, &it.desc, sizeof(it.desc)), 0);
	if (kind == 1) {
		KUNIT_EXPECT_PTR_EQ(test, e->bind.path, (const char *)e->path_buf);
		KUNIT_EXPECT_STREQ(test, e->bind.path, "/usr/bin/curl");
	} else {
		KUNIT_EXPECT_NULL(test, e->bind.path);
	}
	rcu_read_unlock();

	/* add_only (the module is locked) refuses a replacement. */
	item_of_kind(&it, kind, 2);
	KUNIT_EXPECT_EQ(test, tcpk_descdb_add(&it, 1, true, &err), -EPERM);
	KUNIT_EXPECT_EQ(test, err.index, 0U);
	KUNIT_EXPECT_STREQ(test, err.reason,
			   "tcp_kernel is locked: replacing a descriptor would loosen the policy");
	KUNIT_ASSERT_TRUE(test, tcpk_descdb_get(&it.bind, &out));
	KUNIT_EXPECT_EQ(test, be16_to_cpu(out.exec_ms), 1);

	/* Replace: same identity, new descriptor; the count stays. */
	KUNIT_ASSERT_EQ(test, tcpk_descdb_add(&it, 1, false, &err), 0);
	stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.count, 1);
	KUNIT_EXPECT_EQ(test, st.bytes,
			kmalloc_size_roundup(esize) + kmalloc_size_roundup(bsize));
	KUNIT_ASSERT_TRUE(test, tcpk_descdb_get(&it.bind, &out));
	KUNIT_EXPECT_EQ(test, be16_to_cpu(out.exec_ms), 2);
	KUNIT_EXPECT_EQ(test, memcmp(&out, &it.desc, sizeof(out)), 0);

	/* Another identity of the same kind is independent. */
	if (kind == 1) {
		struct tcpk_desc_binding b;

		bind_path(&b, "/usr/bin/curl2");
		KUNIT_EXPECT_FALSE(test, tcpk_descdb_get(&b, &out));
		bind_path(&b, "/usr/bin/cur");
		KUNIT_EXPECT_FALSE(test, tcpk_descdb_get(&b, &out));
	}

	KUNIT_EXPECT_EQ(test, tcpk_descdb_del(&it.bind), 0);
	KUNIT_EXPECT_EQ(test, tcpk_descdb_del(&it.bind), -ENOENT);
	KUNIT_EXPECT_FALSE(test, tcpk_descdb_get(&it.bind, &out));
	stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.count, 0);
	KUNIT_EXPECT_EQ(test, st.bytes, 0);
	KUNIT_EXPECT_TRUE(test, xa_empty(&db.xa));
}

/* A descriptor of one kind is seen by has_kind() for that kind alone. */
static void tcpk_descdb_test_has_kind(struct kunit *test)
{
	static const enum tcpk_desc_key_kind kinds[] = {
		TCPK_DESC_KEY_NAME, TCPK_DESC_KEY_PATH, TCPK_DESC_KEY_DIGEST,
		TCPK_DESC_KEY_SYSCALL,
	};
	struct tcpk_desc_error err = { };
	struct tcpk_desc_item it;
	unsigned int i, j;

	KUNIT_EXPECT_FALSE(test, tcpk_descdb_has_kind(TCPK_DESC_KEY_UNSPEC));
	KUNIT_EXPECT_FALSE(test, tcpk_descdb_has_kind(__TCPK_DESC_KEY_MAX));
	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		for (j = 0; j < ARRAY_SIZE(kinds); j++)
			KUNIT_EXPECT_FALSE(test, tcpk_descdb_has_kind(kinds[j]));
		item_of_kind(&it, i, 1);
		KUNIT_ASSERT_EQ(test, it.bind.kind, kinds[i]);
		KUNIT_ASSERT_EQ(test, tcpk_descdb_add(&it, 1, false, &err), 0);
		for (j = 0; j < ARRAY_SIZE(kinds); j++)
			KUNIT_EXPECT_EQ_MSG(test, tcpk_descdb_has_kind(kinds[j]),
					    i == j, "added kind %u, asked %u",
					    kinds[i], kinds[j]);
		KUNIT_EXPECT_EQ(test, tcpk_descdb_del(&it.bind), 0);
	}
	KUNIT_EXPECT_FALSE(test, tcpk_descdb_has_kind(TCPK_DESC_KEY_DIGEST));
}

/* Many entries in one bucket: inserts, lookups and deletes keep it sorted. */
static void tcpk_descdb_test_shared_bucket(struct kunit *test)
{
	struct tcpk_desc_error err = { };
	struct tcpk_descdb_bucket *b;
	struct tcpk_descdb_stats st;
	struct tcpk_desc_item it;
	struct tcpk_desc out;
	u32 i, h;

	/* Hashes 0..12600 share the first name bucket; add out of order. */
	BUILD_BUG_ON(63 * 200 >= 1 << (32 - TCPK_DESCDB_BUCKET_BITS));
	for (i = 0; i < 64; i++) {
		h = (i * 37) % 64 * 200;
		memset(&it, 0, sizeof(it));
		desc_make(&it.desc, h, 0, i);
		tcpk_desc_item_init(&it);
		KUNIT_ASSERT_EQ(test, tcpk_descdb_add(&it, 1, false, &err), 0);
	}
	b = xa_load(&db.xa, 1UL << TCPK_DESCDB_BUCKET_BITS);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, b->n, 64);
	for (i = 1; i < b->n; i++)
		KUNIT_EXPECT_LT(test, b->e[i - 1]->key, b->e[i]->key);
	for (i = 0; i < 64; i += 2) {
		bind_name(&it.bind, i * 200);
		KUNIT_EXPECT_EQ(test, tcpk_descdb_del(&it.bind), 0);
	}
	for (i = 0; i < 64; i++) {
		bind_name(&it.bind, i * 200);
		KUNIT_EXPECT_EQ(test, tcpk_descdb_get(&it.bind, &out), i % 2 == 1);
		bind_name(&it.bind, i * 200 + 1);
		KUNIT_EXPECT_FALSE(test, tcpk_descdb_get(&it.bind, &out));
	}
	stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.count, 32);
	KUNIT_EXPECT_EQ(test, st.bytes,
			32 * kmalloc_size_roundup(sizeof(struct tcpk_desc_entry)) +
			kmalloc_size_roundup(struct_size(b, e, 32)));
}

/* Flush deletes everything of every kind; the generation moves. */
static void tcpk_descdb_test_flush(struct kunit *test)
{
	struct tcpk_descdb_stats st0, st;
	struct tcpk_desc_error err = { };
	struct tcpk_desc_item *items;
	struct tcpk_desc out;
	char (*paths)[40];
	u32 i, n = 1000;

	items = kunit_kcalloc(test, n, sizeof(*items), GFP_KERNEL);
	paths = kunit_kcalloc(test, n, sizeof(*paths), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, items);
	KUNIT_ASSERT_NOT_NULL(test, paths);
	for (i = 0; i < n; i++)
		item_make(&items[i], i, i, paths[i]);
	KUNIT_ASSERT_EQ(test, tcpk_descdb_add(items, n, false, &err), 0);
	stats_get(&st0);
	KUNIT_EXPECT_EQ(test, st0.count, n);
	KUNIT_EXPECT_GT(test, st0.bytes, (u64)n * sizeof(struct tcpk_desc_entry));

	tcpk_descdb_flush();
	stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.count, 0);
	KUNIT_EXPECT_EQ(test, st.bytes, 0);
	KUNIT_EXPECT_EQ(test, st.generation, st0.generation + 2);
	KUNIT_EXPECT_TRUE(test, xa_empty(&db.xa));
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_FALSE(test, tcpk_descdb_get(&items[i].bind, &out));
	/* The database is usable after a flush. */
	KUNIT_EXPECT_EQ(test, tcpk_descdb_add(items, n, false, &err), 0);
	stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.count, n);
	KUNIT_EXPECT_EQ(test, st.bytes, st0.bytes);
}

/* --- batches ------------------------------------------------------------------ */

struct batch_case {
	const char *name;
	u32 bad;		/* index of the bad item */
	int what;		/* how it is bad */
	const char *field;
};

enum {
	BAD_MAGIC,
	BAD_CHECK,
	BAD_FLAGS,
	BAD_PATH,
	BAD_SYSCALL,
	BAD_NAME_HASH,
	BAD_KIND,
};

static const struct batch_case batch_cases[] = {
	{ "bad magic at 0", 0, BAD_MAGIC, "magic" },
	{ "bad check at 1", 1, BAD_CHECK, "check" },
	{ "unknown flag at 7", 7, BAD_FLAGS, "flags" },
	{ "relative path at 50", 50, BAD_PATH, "path" },
	{ "syscall 1024 at 98", 98, BAD_SYSCALL, "syscall" },
	{ "name binding mismatch at 99", 99, BAD_NAME_HASH, "cmd_hash" },
	{ "unknown kind at 33", 33, BAD_KIND, "key_kind" },
};

static void batch_case_desc(const struct batch_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(batch, batch_cases, batch_case_desc);

/*
 * One bad item at index k: nothing of the batch is applied (not even the
 * replacements it holds), and the error names k and the field.
 */
static void tcpk_descdb_test_batch_all_or_nothing(struct kunit *test)
{
	const struct batch_case *c = test->param_value;
	struct tcpk_descdb_stats st0, st;
	struct tcpk_desc_error err = { };
	struct tcpk_desc_item *items;
	struct tcpk_desc out;
	char (*paths)[40];
	u32 i, n = 100;

	items = kunit_kcalloc(test, n, sizeof(*items), GFP_KERNEL);
	paths = kunit_kcalloc(test, n, sizeof(*paths), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, items);
	KUNIT_ASSERT_NOT_NULL(test, paths);
	/* The database holds items 0..19 at value 1. */
	for (i = 0; i < 20; i++)
		item_make(&items[i], i, 1, paths[i]);
	KUNIT_ASSERT_EQ(test, tcpk_descdb_add(items, 20, false, &err), 0);
	stats_get(&st0);

	/* The batch replaces them (value 2) and adds 80 more. */
	for (i = 0; i < n; i++)
		item_make(&items[i], i, 2, paths[i]);
	switch (c->what) {
	case BAD_MAGIC:
		items[c->bad].desc.magic[0] = 'X';
		break;
	case BAD_CHECK:
		items[c->bad].desc.check =
			cpu_to_be16(be16_to_cpu(items[c->bad].desc.check) + 1);
		break;
	case BAD_FLAGS:
		items[c->bad].desc.flags = cpu_to_be32(BIT(20));
		items[c->bad].desc.check = cpu_to_be16(tcpk_desc_check(&items[c->bad].desc));
		break;
	case BAD_PATH:
		bind_path(&items[c->bad].bind, "bin/rm");
		break;
	case BAD_SYSCALL:
		bind_syscall(&items[c->bad].bind, 1024);
		break;
	case BAD_NAME_HASH:
		bind_name(&items[c->bad].bind, 1);
		break;
	default:
		items[c->bad].bind.kind = 99;
		break;
	}
	KUNIT_EXPECT_EQ(test, tcpk_descdb_add(items, n, false, &err), -EINVAL);
	KUNIT_EXPECT_EQ(test, err.index, c->bad);
	KUNIT_EXPECT_STREQ(test, err.field, c->field);
	KUNIT_EXPECT_NOT_NULL(test, err.reason);

	stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.count, st0.count);
	KUNIT_EXPECT_EQ(test, st.bytes, st0.bytes);
	KUNIT_EXPECT_EQ(test, st.generation, st0.generation);
	for (i = 0; i < n; i++) {
		bool found;

		if (i == c->bad)
			continue;
		found = tcpk_descdb_get(&items[i].bind, &out);
		KUNIT_EXPECT_EQ(test, found, i < 20);
		if (found)
			KUNIT_EXPECT_EQ(test, be16_to_cpu(out.exec_ms), 1);
	}
}

/* The limit: additions beyond it refuse the batch; replacements never count. */
static void tcpk_descdb_test_limit(struct kunit *test)
{
	struct tcpk_descdb_stats st0, st;
	struct tcpk_desc_error err = { };
	struct tcpk_desc_item *items;
	struct tcpk_desc out;
	char (*paths)[40];
	u32 i;

	items = kunit_kcalloc(test, 12, sizeof(*items), GFP_KERNEL);
	paths = kunit_kcalloc(test, 12, sizeof(*paths), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, items);
	KUNIT_ASSERT_NOT_NULL(test, paths);
	max_descriptors = 10;
	for (i = 0; i < 12; i++)
		item_make(&items[i], i, 1, paths[i]);
	KUNIT_ASSERT_EQ(test, tcpk_descdb_add(items, 8, false, &err), 0);
	stats_get(&st0);
	KUNIT_EXPECT_EQ(test, st0.limit, 10);

	/* 8 + 3 > 10: refused, naming the third new item (index 10). */
	for (i = 0; i < 12; i++)
		item_make(&items[i], i, 2, paths[i]);
	KUNIT_EXPECT_EQ(test, tcpk_descdb_add(items + 1, 10, false, &err), -ENOSPC);
	KUNIT_EXPECT_EQ(test, err.index, 9);
	KUNIT_EXPECT_STREQ(test, err.field, "max_descriptors");
	stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.count, 8);
	KUNIT_EXPECT_EQ(test, st.bytes, st0.bytes);
	KUNIT_EXPECT_EQ(test, st.generation, st0.generation);
	KUNIT_EXPECT_FALSE(test, tcpk_descdb_get(&items[8].bind, &out));
	KUNIT_ASSERT_TRUE(test, tcpk_descdb_get(&items[0].bind, &out));
	KUNIT_EXPECT_EQ(test, be16_to_cpu(out.exec_ms), 1);

	/* 8 replacements + 2 additions = 10: accepted. */
	KUNIT_EXPECT_EQ(test, tcpk_descdb_add(items, 10, false, &err), 0);
	stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.count, 10);

	/* Lowered below the count: nothing is deleted, replacements still go. */
	max_descriptors = 5;
	for (i = 0; i < 12; i++)
		item_make(&items[i], i, 3, paths[i]);
	KUNIT_EXPECT_EQ(test, tcpk_descdb_add(items, 10, false, &err), 0);
	KUNIT_EXPECT_EQ(test, tcpk_descdb_add(items + 9, 2, false, &err), -ENOSPC);
	KUNIT_EXPECT_EQ(test, err.index, 1);
	stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.count, 10);
	KUNIT_EXPECT_EQ(test, st.limit, 5);
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_TRUE(test, tcpk_descdb_get(&items[i].bind, &out));
	KUNIT_EXPECT_EQ(test, tcpk_descdb_del(&items[0].bind), 0);
	stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.count, 9);

	max_descriptors = 0;
	KUNIT_EXPECT_EQ(test, tcpk_descdb_add(items + 10, 1, false, &err), -ENOSPC);
	KUNIT_EXPECT_EQ(test, err.index, 0);
}

/* Two digests of the same first 60 bits: a constructed key collision. */
static void colliding_digests(struct tcpk_desc_item *a, struct tcpk_desc_item *b)
{
	memset(a, 0, sizeof(*a));
	desc_make(&a->desc, 1, 0, 1);
	bind_digest(&a->bind, 7);
	*b = *a;
	b->bind.digest[7] ^= 0x0f;	/* the last 4 bits of the 64 read */
	b->bind.digest[31] ^= 0x80;
	b->desc.exec_ms = cpu_to_be16(2);
	b->desc.check = cpu_to_be16(tcpk_desc_check(&b->desc));
}

/* One identity twice in a batch, and 60-bit collisions, are refused. */
static void tcpk_descdb_test_duplicates(struct kunit *test)
{
	struct tcpk_desc_error err = { };
	struct tcpk_descdb_stats st;
	struct tcpk_desc_item *items;
	struct tcpk_desc out;
	char (*paths)[40];
	u32 i;

	items = kunit_kcalloc(test, 8, sizeof(*items), GFP_KERNEL);
	paths = kunit_kcalloc(test, 8, sizeof(*paths), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, items);
	KUNIT_ASSERT_NOT_NULL(test, paths);
	for (i = 0; i < 8; i++)
		item_make(&items[i], i, 1, paths[i]);
	/* Item 6 is item 1's path again (with another descriptor). */
	bind_path(&items[6].bind, paths[1]);
	/* Item 5 is item 0's name again. */
	items[5].desc = items[0].desc;
	memset(&items[5].bind, 0, sizeof(items[5].bind));
	tcpk_desc_item_init(&items[5]);
	KUNIT_EXPECT_EQ(test, tcpk_descdb_add(items, 8, false, &err), -EINVAL);
	KUNIT_EXPECT_EQ(test, err.index, 5);
	KUNIT_EXPECT_STREQ(test, err.field, "cmd_hash");
	KUNIT_EXPECT_STREQ(test, err.reason, "duplicate identity in batch");
	KUNIT_EXPECT_EQ(test, tcpk_descdb_add(items + 1, 7, false, &err), -EINVAL);
	KUNIT_EXPECT_EQ(test, err.index, 5);
	KUNIT_EXPECT_STREQ(test, err.field, "path");
	stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.count, 0);

	/* Collision inside one batch: -EEXIST naming the second. */
	colliding_digests(&items[0], &items[1]);
	KUNIT_EXPECT_EQ(test, tcpk_desc_key(&items[0].bind), tcpk_desc_key(&items[1].bind));
	KUNIT_EXPECT_EQ(test, tcpk_descdb_add(items, 2, false, &err), -EEXIST);
	KUNIT_EXPECT_EQ(test, err.index, 1);
	KUNIT_EXPECT_STREQ(test, err.field, "sha256");

	/* Collision with an entry of the database: refused, entry kept. */
	KUNIT_ASSERT_EQ(test, tcpk_descdb_add(items, 1, false, &err), 0);
	item_make(&items[2], 100, 1, paths[2]);
	KUNIT_EXPECT_EQ(test, tcpk_descdb_add(items + 1, 2, false, &err), -EEXIST);
	KUNIT_EXPECT_EQ(test, err.index, 0);
	KUNIT_EXPECT_STREQ(test, err.field, "sha256");
	stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.count, 1);
	KUNIT_EXPECT_FALSE(test, tcpk_descdb_get(&items[2].bind, &out));
	KUNIT_EXPECT_FALSE(test, tcpk_descdb_get(&items[1].bind, &out));
	KUNIT_ASSERT_TRUE(test, tcpk_descdb_get(&items[0].bind, &out));
	KUNIT_EXPECT_EQ(test, be16_to_cpu(out.exec_ms), 1);
	/* Deleting the colliding identity does not delete the other. */
	KUNIT_EXPECT_EQ(test, tcpk_descdb_del(&items[1].bind), -ENOENT);
	KUNIT_EXPECT_TRUE(test, tcpk_descdb_get(&items[0].bind, &out));
}

/*
 * Paths cannot be made to collide on purpose: check that a lookup compares
 * the whole path and not only the key, with the key of one path and the
 * identity of another.
 */
static void tcpk_descdb_test_path_identity(struct kunit *test)
{
	struct tcpk_desc_binding p, q, r;
	struct tcpk_desc_error err = { };
	struct tcpk_desc_item it;
	u64 key;

	memset(&it, 0, sizeof(it));
	desc_make(&it.desc, 1, 0, 1);
	bind_path(&it.bind, "/usr/bin/python3");
	KUNIT_ASSERT_EQ(test, tcpk_descdb_add(&it, 1, false, &err), 0);
	key = tcpk_desc_key(&it.bind);

	bind_path(&p, "/usr/bin/python3");
	bind_path(&q, "/usr/bin/python2");	/* same length */
	bind_path(&r, "/usr/bin/python");	/* a prefix */
	rcu_read_lock();
	KUNIT_EXPECT_NOT_NULL(test, find(key, &p));
	KUNIT_EXPECT_NULL(test, find(key, &q));
	KUNIT_EXPECT_NULL(test, find(key, &r));
	KUNIT_EXPECT_NULL(test, find(key + 1, &p));
	rcu_read_unlock();

	KUNIT_EXPECT_TRUE(test, same_identity(&p, &it.bind));
	KUNIT_EXPECT_FALSE(test, same_identity(&q, &it.bind));
	bind_path(&r, "/usr/bin/python");
	KUNIT_EXPECT_FALSE(test, same_identity(&r, &it.bind));
	KUNIT_EXPECT_FALSE(test, same_identity(&it.bind, &r));
	/* Same numbers, different kinds. */
	bind_name(&p, 59);
	bind_syscall(&q, 59);
	KUNIT_EXPECT_FALSE(test, same_identity(&p, &q));
	bind_digest(&p, 1);
	bind_digest(&q, 1);
	KUNIT_EXPECT_TRUE(test, same_identity(&p, &q));
	q.digest[31] ^= 1;
	KUNIT_EXPECT_FALSE(test, same_identity(&p, &q));
}

/* --- dump ------------------------------------------------------------------------- */

struct dump_ctx {
	struct kunit *test;
	unsigned long *seen;	/* by descriptor value */
	u32 nbits;
	u32 in_call;		/* entries emitted in this call */
	u32 per_call;		/* then refuse one */
	u32 emitted;
	u32 twice;
	u64 last_key;
};

static int dump_emit(const struct tcpk_desc_entry *e, void *arg)
{
	struct dump_ctx *ctx = arg;
	u32 v = be16_to_cpu(e->desc.exec_ms);

	if (ctx->in_call == ctx->per_call)
		return -EMSGSIZE;
	ctx->in_call++;
	ctx->emitted++;
	if (e->key <= ctx->last_key)
		ctx->twice++;
	ctx->last_key = e->key;
	if (v >= ctx->nbits || __test_and_set_bit(v, ctx->seen))
		ctx->twice++;
	return 0;
}

/* Run a dump to its end, calling @between after each stop. */
static u32 dump_all(struct dump_ctx *ctx, struct tcpk_descdb_cursor *cur,
		    void (*between)(u32 call))
{
	u32 calls = 0;
	int ret;

	do {
		ctx->in_call = 0;
		ret = tcpk_descdb_dump(cur, dump_emit, ctx);
		calls++;
		if (ret && ret != -EMSGSIZE)
			break;
		if (ret && between)
			between(calls);
	} while (ret && calls < 100000);
	KUNIT_EXPECT_EQ(ctx->test, ret, 0);
	return calls;
}

/* Stopping every 7 entries and resuming visits each entry exactly once. */
static void tcpk_descdb_test_dump_resume(struct kunit *test)
{
	struct tcpk_descdb_cursor cur = { };
	struct tcpk_desc_error err = { };
	struct tcpk_desc_item *items;
	struct tcpk_descdb_stats st;
	struct dump_ctx ctx = { };
	char (*paths)[40];
	u32 i, n = 1000, calls;

	items = kunit_kcalloc(test, n, sizeof(*items), GFP_KERNEL);
	paths = kunit_kcalloc(test, n, sizeof(*paths), GFP_KERNEL);
	ctx.seen = kunit_kcalloc(test, BITS_TO_LONGS(n), sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, items);
	KUNIT_ASSERT_NOT_NULL(test, paths);
	KUNIT_ASSERT_NOT_NULL(test, ctx.seen);
	for (i = 0; i < n; i++)
		item_make(&items[i], i, i, paths[i]);
	KUNIT_ASSERT_EQ(test, tcpk_descdb_add(items, n, false, &err), 0);
	stats_get(&st);

	ctx.test = test;
	ctx.nbits = n;
	ctx.per_call = 7;
	calls = dump_all(&ctx, &cur, NULL);
	KUNIT_EXPECT_EQ(test, ctx.emitted, n);
	KUNIT_EXPECT_EQ(test, ctx.twice, 0);
	KUNIT_EXPECT_EQ(test, bitmap_weight(ctx.seen, n), n);
	KUNIT_EXPECT_EQ(test, calls, DIV_ROUND_UP(n + 1, 7));
	KUNIT_EXPECT_EQ(test, cur.generation, st.generation);

	/* A finished dump stays finished. */
	ctx.in_call = 0;
	KUNIT_EXPECT_EQ(test, tcpk_descdb_dump(&cur, dump_emit, &ctx), 0);
	KUNIT_EXPECT_EQ(test, ctx.emitted, n);

	/* An entry that does not fit at all is the error of every call. */
	memset(&cur, 0, sizeof(cur));
	ctx.per_call = 0;
	KUNIT_EXPECT_EQ(test, tcpk_descdb_dump(&cur, dump_emit, &ctx), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, tcpk_descdb_dump(&cur, dump_emit, &ctx), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, ctx.emitted, n);

	/* An empty database: nothing, and done. */
	tcpk_descdb_flush();
	memset(&cur, 0, sizeof(cur));
	ctx.per_call = 7;
	KUNIT_EXPECT_EQ(test, tcpk_descdb_dump(&cur, dump_emit, &ctx), 0);
	KUNIT_EXPECT_EQ(test, ctx.emitted, n);
}

static struct tcpk_desc_item *churn_items;
static u32 churn_n;

/* Between dump calls: delete or replace some entries, add others. */
static void dump_churn(u32 call)
{
	struct tcpk_desc_error err;
	u32 i = call * 13 % churn_n;

	if (churn_items[i].desc.exec_ms != cpu_to_be16(0xffff)) {
		tcpk_descdb_del(&churn_items[i].bind);
		churn_items[i].desc.exec_ms = cpu_to_be16(0xffff);	/* gone */
	}
	/* Items past churn_n are added as the dump goes. */
	if (churn_n + call < 2 * churn_n)
		tcpk_descdb_add(&churn_items[churn_n + call], 1, false, &err);
}

/*
 * Resumption is by key: while entries come and go between calls, every
 * entry that stays is emitted exactly once, and none twice.
 */
static void tcpk_descdb_test_dump_churn(struct kunit *test)
{
	struct tcpk_descdb_cursor cur = { };
	struct tcpk_desc_error err = { };
	struct dump_ctx ctx = { };
	char (*paths)[40];
	u32 i, n = 600;

	churn_n = n;
	churn_items = kunit_kcalloc(test, 2 * n, sizeof(*churn_items), GFP_KERNEL);
	paths = kunit_kcalloc(test, 2 * n, sizeof(*paths), GFP_KERNEL);
	ctx.seen = kunit_kcalloc(test, BITS_TO_LONGS(2 * n), sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, churn_items);
	KUNIT_ASSERT_NOT_NULL(test, paths);
	KUNIT_ASSERT_NOT_NULL(test, ctx.seen);
	for (i = 0; i < 2 * n; i++)
		item_make(&churn_items[i], i, i, paths[i]);
	KUNIT_ASSERT_EQ(test, tcpk_descdb_add(churn_items, n, false, &err), 0);

	ctx.test = test;
	ctx.nbits = 2 * n;
	ctx.per_call = 5;
	dump_all(&ctx, &cur, dump_churn);
	KUNIT_EXPECT_EQ(test, ctx.twice, 0);
	for (i = 0; i < n; i++)
		if (churn_items[i].desc.exec_ms != cpu_to_be16(0xffff))
			KUNIT_EXPECT_TRUE(test, test_bit(i, ctx.seen));
	KUNIT_EXPECT_NE(test, cur.generation, READ_ONCE(db.generation));
	churn_items = NULL;
}

/* --- RCU readers racing writers ------------------------------------------- */

#define RACE_KEYS	64

struct race {
	struct tcpk_desc_item items[RACE_KEYS];	/* the writer's */
	struct tcpk_desc_item ref[RACE_KEYS];	/* the reader's, constant */
	char paths[RACE_KEYS][40];
	atomic_long_t lookups;
	atomic_long_t hits;
	atomic_long_t bad;
	char first_bad[80];
};

/* Whether an entry found for @it is a complete descriptor of its identity. */
static bool race_entry_ok(const struct tcpk_desc_entry *e,
			  const struct tcpk_desc_item *it)
{
	u16 v = be16_to_cpu(e->desc.exec_ms);

	return e->key == tcpk_desc_key(&it->bind) &&
	       same_identity(&e->bind, &it->bind) &&
	       !tcpk_desc_validate(&e->desc, NULL, NULL) &&
	       be16_to_cpu(e->desc.mem_mb) == v && be16_to_cpu(e->desc.out_kb) == v &&
	       e->desc.cmd_hash == it->desc.cmd_hash &&
	       e->flags == be32_to_cpu(e->desc.flags);
}

static int race_reader(void *arg)
{
	struct race *r = arg;
	u32 i = 0;

	while (!kthread_should_stop()) {
		const struct tcpk_desc_item *it = &r->ref[i++ % RACE_KEYS];
		const struct tcpk_desc_entry *e;
		struct tcpk_desc copy;
		bool ok = true;

		rcu_read_lock();
		e = tcpk_descdb_lookup(&it->bind);
		if (e) {
			ok = race_entry_ok(e, it);
			atomic_long_inc(&r->hits);
		}
		rcu_read_unlock();
		if (tcpk_descdb_get(&it->bind, &copy))
			ok &= !tcpk_desc_validate(&copy, NULL, NULL) &&
			      copy.exec_ms == copy.mem_mb && copy.mem_mb == copy.out_kb;
		atomic_long_inc(&r->lookups);
		if (!ok && atomic_long_inc_return(&r->bad) == 1)
			snprintf(r->first_bad, sizeof(r->first_bad),
				 "item %u kind %d", (i - 1) % RACE_KEYS, it->bind.kind);
		if (!(i % 64))
			cond_resched();
	}
	return 0;
}

/*
 * Readers in another thread look keys up in a loop while this thread
 * replaces, deletes, re-adds and flushes them: every lookup returns
 * nothing, or a complete old or new descriptor of the right identity.
 */
static void tcpk_descdb_test_rcu_race(struct kunit *test)
{
	struct tcpk_desc_error err = { };
	struct task_struct *reader;
	unsigned long deadline;
	struct race *r;
	u32 round, i;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	for (i = 0; i < RACE_KEYS; i++)
		item_make(&r->items[i], i, 0, r->paths[i]);
	KUNIT_ASSERT_EQ(test, tcpk_descdb_add(r->items, RACE_KEYS, false, &err), 0);
	memcpy(r->ref, r->items, sizeof(r->ref));

	reader = kthread_run(race_reader, r, "tcpk_descdb_race");
	KUNIT_ASSERT_FALSE(test, IS_ERR(reader));

	deadline = jiffies + 3 * HZ;
	for (round = 1; round < 2000 && time_before(jiffies, deadline); round++) {
		struct tcpk_desc_item it;

		/* Replace every descriptor with version @round, in one batch. */
		for (i = 0; i < RACE_KEYS; i++) {
			it = r->items[i];
			desc_make(&r->items[i].desc, be32_to_cpu(it.desc.cmd_hash),
				  be32_to_cpu(it.desc.flags), round);
		}
		KUNIT_EXPECT_EQ(test, tcpk_descdb_add(r->items, RACE_KEYS, false, &err), 0);
		/* One by one: delete a few and add them back. */
		for (i = round % 4; i < RACE_KEYS; i += 4) {
			KUNIT_EXPECT_EQ(test, tcpk_descdb_del(&r->items[i].bind), 0);
			KUNIT_EXPECT_EQ(test, tcpk_descdb_add(&r->items[i], 1, false, &err), 0);
		}
		if (!(round % 16)) {
			tcpk_descdb_flush();
			KUNIT_EXPECT_EQ(test, tcpk_descdb_add(r->items, RACE_KEYS, false, &err), 0);
		}
		cond_resched();
	}
	/* Let the reader see the final state too. */
	msleep(20);
	kthread_stop(reader);

	kunit_info(test, "%u rounds, %ld lookups, %ld hits\n", round,
		   atomic_long_read(&r->lookups), atomic_long_read(&r->hits));
	KUNIT_EXPECT_GT(test, atomic_long_read(&r->lookups), 0);
	KUNIT_EXPECT_GT(test, atomic_long_read(&r->hits), 0);
	KUNIT_EXPECT_EQ_MSG(test, atomic_long_read(&r->bad), 0,
			    "first bad lookup: %s", r->first_bad);
}

/* Lookups from atomic context (as hooks do) neither sleep nor lock. */
static void tcpk_descdb_test_atomic_lookup(struct kunit *test)
{
	struct tcpk_desc_error err = { };
	struct tcpk_desc_item it;
	struct tcpk_desc out;
	unsigned long flags;
	bool found;

	item_of_kind(&it, 1, 5);
	KUNIT_ASSERT_EQ(test, tcpk_descdb_add(&it, 1, false, &err), 0);
	local_irq_save(flags);
	preempt_disable();
	found = tcpk_descdb_get(&it.bind, &out);
	preempt_enable();
	local_irq_restore(flags);
	KUNIT_EXPECT_TRUE(test, found);
}

/* --- scale ----------------------------------------------------------------------- */

/* Leaf xa_nodes of the database (each holds up to 64 buckets). */
static u32 xa_leaf_nodes(void)
{
	XA_STATE(xas, &db.xa, 0);
	struct xa_node *last = NULL;
	void *entry;
	u32 nodes = 0;

	rcu_read_lock();
	xas_for_each(&xas, entry, ULONG_MAX) {
		if (xas_retry(&xas, entry))
			continue;
		if (xas.xa_node != last) {
			nodes++;
			last = xas.xa_node;
		}
	}
	rcu_read_unlock();
	return nodes;
}

static int count_emit(const struct tcpk_desc_entry *e, void *arg)
{
	u32 *n = arg;

	if (*n % 512 == 511) {
		++*n;
		return 1;
	}
	++*n;
	return 0;
}

/*
 * A large batch of all four kinds: accepted at once, each entry
 * retrievable, dumped in full, replaced by a second batch (which frees the
 * old entries after one synchronize_rcu()), flushed.  Prints the time and
 * the memory per entry.  (10,000 rather than 100,000: allocations are slow
 * on the debug kernel under TCG; the VM tests load 100,000.)
 */
static void tcpk_descdb_test_large_batch(struct kunit *test)
{
	const u32 n = 10000;
	struct tcpk_descdb_cursor cur = { };
	struct tcpk_desc_error err = { };
	struct tcpk_descdb_stats st, st2;
	struct tcpk_desc_item *items;
	u32 i, missing = 0, nodes, dumped = 0, stops = 0;
	u64 t0, t_add, t_get, t_replace, t_flush;
	char (*paths)[40];
	int ret;

	items = vzalloc(array_size(n, sizeof(*items)));
	paths = vzalloc(array_size(n, sizeof(*paths)));
	if (!items || !paths) {
		vfree(items);
		vfree(paths);
		KUNIT_FAIL(test, "no memory for the batch");
		return;
	}
	for (i = 0; i < n; i++)
		item_make(&items[i], i, i, paths[i]);

	t0 = ktime_get_ns();
	ret = tcpk_descdb_add(items, n, false, &err);
	t_add = ktime_get_ns() - t0;
	KUNIT_EXPECT_EQ(test, ret, 0);
	stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.count, n);

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		struct tcpk_desc out;

		if (!tcpk_descdb_get(&items[i].bind, &out) ||
		    memcmp(&out, &items[i].desc, sizeof(out)))
			missing++;
	}
	t_get = ktime_get_ns() - t0;
	KUNIT_EXPECT_EQ(test, missing, 0);

	do {
		ret = tcpk_descdb_dump(&cur, count_emit, &dumped);
		stops += ret != 0;
	} while (ret);
	KUNIT_EXPECT_EQ(test, dumped - stops, n);
	nodes = xa_leaf_nodes();

	/* The same identities again: n replacements, nothing added. */
	for (i = 0; i < n; i++)
		item_make(&items[i], i, i + 1, paths[i]);
	t0 = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, tcpk_descdb_add(items, n, false, &err), 0);
	t_replace = ktime_get_ns() - t0;
	stats_get(&st2);
	KUNIT_EXPECT_EQ(test, st2.count, n);
	KUNIT_EXPECT_EQ(test, st2.bytes, st.bytes);
	missing = 0;
	for (i = 0; i < n; i++) {
		struct tcpk_desc out;

		if (!tcpk_descdb_get(&items[i].bind, &out) ||
		    be16_to_cpu(out.exec_ms) != (u16)(i + 1))
			missing++;
	}
	KUNIT_EXPECT_EQ(test, missing, 0);

	t0 = ktime_get_ns();
	tcpk_descdb_flush();
	t_flush = ktime_get_ns() - t0;
	stats_get(&st2);
	KUNIT_EXPECT_EQ(test, st2.count, 0);
	KUNIT_EXPECT_EQ(test, st2.bytes, 0);

	kunit_info(test, "%u descriptors: add %llu ms, replace %llu ms, flush %llu ms, %llu ns per lookup\n",
		   n, t_add / NSEC_PER_MSEC, t_replace / NSEC_PER_MSEC,
		   t_flush / NSEC_PER_MSEC, t_get / n);
	kunit_info(test, "entries+buckets %llu bytes per entry; with %u leaf xa_nodes of %zu bytes, %llu\n",
		   st.bytes / n, nodes, sizeof(struct xa_node),
		   (st.bytes + (u64)nodes * sizeof(struct xa_node)) / n);
	vfree(items);
	vfree(paths);
}

/* Cases of more than a second on the debug kernel; 6.1's KUnit has no marking. */
#ifdef KUNIT_CASE_SLOW
#define DESCDB_CASE_SLOW(test_name)	KUNIT_CASE_SLOW(test_name)
#else
#define DESCDB_CASE_SLOW(test_name)	KUNIT_CASE(test_name)
#endif

static struct kunit_case tcpk_descdb_cases[] = {
	KUNIT_CASE_PARAM(tcpk_descdb_test_key, key_gen_params),
	KUNIT_CASE(tcpk_descdb_test_bucket_monotonic),
	KUNIT_CASE(tcpk_descdb_test_crc),
	KUNIT_CASE_PARAM(tcpk_descdb_test_validate, validate_gen_params),
	KUNIT_CASE_PARAM(tcpk_descdb_test_binding, binding_gen_params),
	KUNIT_CASE(tcpk_descdb_test_item_init),
	KUNIT_CASE_PARAM(tcpk_descdb_test_insert_replace_delete, kind_gen_params),
	KUNIT_CASE(tcpk_descdb_test_has_kind),
	KUNIT_CASE(tcpk_descdb_test_shared_bucket),
	KUNIT_CASE(tcpk_descdb_test_flush),
	KUNIT_CASE_PARAM(tcpk_descdb_test_batch_all_or_nothing, batch_gen_params),
	KUNIT_CASE(tcpk_descdb_test_limit),
	KUNIT_CASE(tcpk_descdb_test_duplicates),
	KUNIT_CASE(tcpk_descdb_test_path_identity),
	KUNIT_CASE(tcpk_descdb_test_dump_resume),
	KUNIT_CASE(tcpk_descdb_test_dump_churn),
	DESCDB_CASE_SLOW(tcpk_descdb_test_rcu_race),
	KUNIT_CASE(tcpk_descdb_test_atomic_lookup),
	DESCDB_CASE_SLOW(tcpk_descdb_test_large_batch),
	{}
};

static struct kunit_suite tcpk_descdb_suite = {
	.name = "tcp_kernel_descdb",
	.init = descdb_test_init,
	.exit = descdb_test_exit,
	.test_cases = tcpk_descdb_cases,
};

kunit_test_suites(&tcpk_descdb_suite);
