// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - KUnit suite of the netlink descriptor attributes
 *
 * The generated policies (core/genl.c) and the parser and encoder of
 * descriptor nests (core/desc_nl.c), as they are: requests are built as
 * attribute streams in an skb, validated as the generic netlink core
 * validates them, then parsed; replies are encoded and read back as a
 * client would.
 */

#include <kunit/test.h>
#include <linux/skbuff.h>

#include "../core/desc_nl.c"
#include "../core/genl.c"

/*
 * genl.c's ops table names the family's handlers; tcp_kernel.ko has
 * them, this module only needs the tables, so here they refuse.
 */
int tcpk_nl_get_status_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_desc_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_desc_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_desc_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_desc_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_desc_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_desc_count_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

static const u8 test_digest[TCPK_DESC_DIGEST_LEN] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe,
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
};

/* A descriptor whose fields tell it apart; its check is not computed. */
static void test_desc(struct tcpk_desc *d, u32 cmd_hash)
{
	memset(d, 0, sizeof(*d));
	memcpy(d->magic, TCPK_DESC_MAGIC, sizeof(d->magic));
	d->version = cpu_to_be16(TCPK_DESC_VERSION);
	d->cmd_hash = cpu_to_be32(cmd_hash);
	d->flags = cpu_to_be32(BIT(TCPK_DESC_DESTRUCTIVE));
	d->name_len = cpu_to_be16(2);
}

static struct sk_buff *test_skb(struct kunit *test)
{
	struct sk_buff *skb = alloc_skb(8192, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	return skb;
}

/* What goes into one %TCPK_A_DESC nest of a request. */
enum test_nest {
	T_NAME,		/* raw only */
	T_PATH,		/* raw + path */
	T_SHA256,	/* raw + sha256 */
	T_SYSCALL,	/* raw + syscall */
	T_NO_RAW,	/* path only */
	T_TWO_BINDINGS,	/* raw + path + syscall */
	T_KEY_KIND,	/* raw + key_kind */
	T_KEY,		/* raw + key */
	T_CMD_HASH,	/* raw + cmd_hash */
	T_PATH_TAIL,	/* raw + "/bin/x\0y\0" */
	T_RAW_SHORT,	/* raw of 23 bytes */
	T_UNKNOWN,	/* raw + attribute type 9 */
	T_NO_FLAG,	/* raw, nest without NLA_F_NESTED */
	T_EMPTY,	/* nothing */
};

static void put_nest(struct kunit *test, struct sk_buff *skb,
		     enum test_nest what, u32 i)
{
	static const char tail[] = "/bin/x\0y";
	struct tcpk_desc d;
	struct nlattr *nest;
	int err = 0;

	test_desc(&d, i);
	if (what == T_NO_FLAG)
		nest = nla_nest_start_noflag(skb, TCPK_A_DESC);
	else
		nest = nla_nest_start(skb, TCPK_A_DESC);
	KUNIT_ASSERT_NOT_NULL(test, nest);
	if (what == T_RAW_SHORT)
		err |= nla_put(skb, TCPK_A_DESC_RAW, sizeof(d) - 1, &d);
	else if (what != T_NO_RAW && what != T_EMPTY)
		err |= nla_put(skb, TCPK_A_DESC_RAW, sizeof(d), &d);
	switch (what) {
	case T_PATH:
	case T_NO_RAW:
		err |= nla_put_string(skb, TCPK_A_DESC_PATH, "/usr/bin/rm");
		break;
	case T_SHA256:
		err |= nla_put(skb, TCPK_A_DESC_SHA256, sizeof(test_digest),
			       test_digest);
		break;
	case T_SYSCALL:
		err |= nla_put_u32(skb, TCPK_A_DESC_SYSCALL, 87);
		break;
	case T_TWO_BINDINGS:
		err |= nla_put_string(skb, TCPK_A_DESC_PATH, "/usr/bin/rm");
		err |= nla_put_u32(skb, TCPK_A_DESC_SYSCALL, 87);
		break;
	case T_KEY_KIND:
		err |= nla_put_u32(skb, TCPK_A_DESC_KEY_KIND, TCPK_DESC_KEY_NAME);
		break;
	case T_KEY:
		err |= nla_put_u64_64bit(skb, TCPK_A_DESC_KEY, 1, TCPK_A_DESC_PAD);
		break;
	case T_CMD_HASH:
		err |= nla_put_u32(skb, TCPK_A_DESC_CMD_HASH, i);
		break;
	case T_PATH_TAIL:
		err |= nla_put(skb, TCPK_A_DESC_PATH, sizeof(tail), tail);
		break;
	case T_UNKNOWN:
		err |= nla_put_u32(skb, TCPK_A_DESC_MAX + 1, 0);
		break;
	default:
		break;
	}
	KUNIT_ASSERT_EQ(test, err, 0);
	nla_nest_end(skb, nest);
}

/* Four nests, one per binding kind, parse into matching items. */
static void tcpk_netlink_test_items(struct kunit *test)
{
	static const enum test_nest kinds[] = { T_NAME, T_PATH, T_SHA256,
						T_SYSCALL };
	struct tcpk_desc_item items[ARRAY_SIZE(kinds)] = {};
	const struct nlattr *head, *second;
	struct tcpk_nl_error err = {};
	struct sk_buff *skb = test_skb(test);
	int rem;
	u32 i, n;

	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		put_nest(test, skb, kinds[i], 0x100 + i);
	/* Other top-level attributes are not nests of the batch. */
	KUNIT_ASSERT_EQ(test, nla_put_u32(skb, TCPK_A_DB_COUNT, 1), 0);
	head = (const struct nlattr *)skb->data;

	n = tcpk_nl_desc_count(head, skb->len);
	KUNIT_ASSERT_EQ(test, n, ARRAY_SIZE(kinds));
	KUNIT_ASSERT_EQ(test, tcpk_nl_desc_items(head, skb->len,
						 tcpk_desc_nl_policy, items, n,
						 &err), 0);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, be32_to_cpu(items[i].desc.cmd_hash),
				0x100 + i);

	KUNIT_EXPECT_EQ(test, items[0].bind.kind, TCPK_DESC_KEY_NAME);
	KUNIT_EXPECT_EQ(test, items[0].bind.cmd_hash, 0x100);
	KUNIT_EXPECT_EQ(test, items[1].bind.kind, TCPK_DESC_KEY_PATH);
	KUNIT_EXPECT_STREQ(test, items[1].bind.path, "/usr/bin/rm");
	KUNIT_EXPECT_EQ(test, items[1].bind.path_len, strlen("/usr/bin/rm"));
	/* The path points into the message, not into a copy. */
	KUNIT_EXPECT_TRUE(test, (const u8 *)items[1].bind.path > skb->data &&
			  (const u8 *)items[1].bind.path < skb_tail_pointer(skb));
	KUNIT_EXPECT_EQ(test, items[2].bind.kind, TCPK_DESC_KEY_DIGEST);
	KUNIT_EXPECT_EQ(test, memcmp(items[2].bind.digest, test_digest,
				     sizeof(test_digest)), 0);
	KUNIT_EXPECT_EQ(test, items[3].bind.kind, TCPK_DESC_KEY_SYSCALL);
	KUNIT_EXPECT_EQ(test, items[3].bind.syscall, 87);

	rem = skb->len;
	second = nla_next(nla_next(head, &rem), &rem);
	KUNIT_EXPECT_PTR_EQ(test, tcpk_nl_desc_nth(head, skb->len, 2), second);
	KUNIT_EXPECT_NULL(test, tcpk_nl_desc_nth(head, skb->len, 4));
	kfree_skb(skb);
}

struct refuse_case {
	const char *name;
	enum test_nest what;
	const char *field;
	u16 missing;
};

static const struct refuse_case refuse_cases[] = {
	{ "missing raw", T_NO_RAW, "raw", TCPK_A_DESC_RAW },
	{ "empty nest", T_EMPTY, "raw", TCPK_A_DESC_RAW },
	{ "two bindings", T_TWO_BINDINGS, "binding", 0 },
	{ "key_kind", T_KEY_KIND, "key_kind", 0 },
	{ "key", T_KEY, "key", 0 },
	{ "cmd_hash", T_CMD_HASH, "cmd_hash", 0 },
	{ "bytes after the path's NUL", T_PATH_TAIL, "path", 0 },
	{ "raw of 23 bytes", T_RAW_SHORT, "desc", 0 },
	{ "unknown attribute", T_UNKNOWN, "desc", 0 },
	{ "no NLA_F_NESTED", T_NO_FLAG, "desc", 0 },
};

static void refuse_case_desc(const struct refuse_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(refuse, refuse_cases, refuse_case_desc);

/*
 * A bad nest at index 5 of 8 is reported with its index, its nest, the
 * field and, for a missing attribute, its type.
 */
static void tcpk_netlink_test_refuse(struct kunit *test)
{
	const struct refuse_case *c = test->param_value;
	struct tcpk_desc_item items[8] = {};
	struct tcpk_nl_error err = {};
	struct sk_buff *skb = test_skb(test);
	const struct nlattr *head;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(items); i++)
		put_nest(test, skb, i == 5 ? c->what : T_PATH, i);
	head = (const struct nlattr *)skb->data;

	KUNIT_ASSERT_EQ(test, tcpk_nl_desc_count(head, skb->len), 8);
	KUNIT_EXPECT_EQ(test, tcpk_nl_desc_items(head, skb->len,
						 tcpk_desc_nl_policy, items, 8,
						 &err), -EINVAL);
	KUNIT_EXPECT_EQ(test, err.index, 5);
	KUNIT_EXPECT_PTR_EQ(test, err.nest, tcpk_nl_desc_nth(head, skb->len, 5));
	KUNIT_EXPECT_STREQ(test, err.field, c->field);
	KUNIT_EXPECT_NOT_NULL(test, err.reason);
	KUNIT_EXPECT_EQ(test, err.missing, c->missing);
	kfree_skb(skb);
}

/*
 * A count that does not match the nests (a caller's bug) is refused:
 * fewer items than nests are not overrun, more are not left unset.
 */
static void tcpk_netlink_test_count_mismatch(struct kunit *test)
{
	struct tcpk_desc_item items[4] = {};
	struct tcpk_nl_error err = {};
	struct sk_buff *skb = test_skb(test);
	const struct nlattr *head;
	u32 i;

	for (i = 0; i < 3; i++)
		put_nest(test, skb, T_NAME, i);
	head = (const struct nlattr *)skb->data;
	KUNIT_EXPECT_EQ(test, tcpk_nl_desc_items(head, skb->len,
						 tcpk_desc_nl_policy, items, 2,
						 &err), -EINVAL);
	KUNIT_EXPECT_STREQ(test, err.field, "batch");
	KUNIT_EXPECT_EQ(test, tcpk_nl_desc_items(head, skb->len,
						 tcpk_desc_nl_policy, items, 4,
						 &err), -EINVAL);
	KUNIT_EXPECT_STREQ(test, err.field, "batch");
	kfree_skb(skb);
}

/* How the payload of a policy case's attribute is filled. */
enum test_fill {
	F_ZERO,		/* zeroes */
	F_ONES,		/* 0xff bytes */
	F_1023,		/* the u32 1023 */
	F_STRING,	/* 'a's and a final NUL */
	F_NO_NUL,	/* 'a's only */
};

struct policy_case {
	const char *name;
	u16 type;	/* attribute inside a %TCPK_A_DESC nest, or 0 */
	u16 top;	/* else: this top-level attribute */
	u32 len;	/* payload length */
	enum test_fill fill;
	int err;
};

static const struct policy_case policy_cases[] = {
	{ "raw of 24 bytes", TCPK_A_DESC_RAW, 0, 24, F_ZERO, 0 },
	{ "raw of 23 bytes", TCPK_A_DESC_RAW, 0, 23, F_ZERO, -ERANGE },
	{ "raw of 25 bytes", TCPK_A_DESC_RAW, 0, 25, F_ZERO, -ERANGE },
	{ "sha256 of 32 bytes", TCPK_A_DESC_SHA256, 0, 32, F_ZERO, 0 },
	{ "sha256 of 31 bytes", TCPK_A_DESC_SHA256, 0, 31, F_ZERO, -ERANGE },
	{ "syscall 1023", TCPK_A_DESC_SYSCALL, 0, 4, F_1023, 0 },
	{ "syscall 0xffffffff", TCPK_A_DESC_SYSCALL, 0, 4, F_ONES, -ERANGE },
	{ "syscall of 3 bytes", TCPK_A_DESC_SYSCALL, 0, 3, F_ZERO, -EINVAL },
	{ "cmd_hash of 8 bytes", TCPK_A_DESC_CMD_HASH, 0, 8, F_ZERO, -EINVAL },
	{ "path of 4095 bytes and NUL", TCPK_A_DESC_PATH, 0, 4096, F_STRING, 0 },
	{ "path of 4096 bytes and NUL", TCPK_A_DESC_PATH, 0, 4097, F_STRING,
	  -EINVAL },
	{ "path without NUL", TCPK_A_DESC_PATH, 0, 16, F_NO_NUL, -EINVAL },
	{ "pad", TCPK_A_DESC_PAD, 0, 4, F_ZERO, -EINVAL },
	{ "unknown type 9", TCPK_A_DESC_MAX + 1, 0, 4, F_ZERO, -EINVAL },
	{ "type 0", TCPK_A_DESC_UNSPEC, 0, 4, F_ZERO, -EINVAL },
	{ "top-level db_count", 0, TCPK_A_DB_COUNT, 4, F_ZERO, -EINVAL },
	{ "top-level module_version", 0, TCPK_A_MODULE_VERSION, 4, F_STRING,
	  -EINVAL },
	{ "top-level part", 0, TCPK_A_PART, 4, F_ZERO, -EINVAL },
};

static void policy_case_desc(const struct policy_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(policy, policy_cases, policy_case_desc);

static void policy_fill(struct nlattr *attr, const struct policy_case *c)
{
	u8 *p = nla_data(attr);
	u32 v = 1023;

	switch (c->fill) {
	case F_ZERO:
		memset(p, 0, c->len);
		break;
	case F_ONES:
		memset(p, 0xff, c->len);
		break;
	case F_1023:
		memcpy(p, &v, sizeof(v));
		break;
	case F_STRING:
		memset(p, 'a', c->len - 1);
		p[c->len - 1] = 0;
		break;
	case F_NO_NUL:
		memset(p, 'a', c->len);
		break;
	}
}

/*
 * The generated global policy, applied as the generic netlink core
 * applies it (strict, maxattr %TCPK_A_DESC): what it refuses carries an
 * extack message and names the attribute.
 */
static void tcpk_netlink_test_policy(struct kunit *test)
{
	const struct policy_case *c = test->param_value;
	struct netlink_ext_ack extack = {};
	struct sk_buff *skb = test_skb(test);
	struct nlattr *nest = NULL, *attr;
	int err;

	if (!c->top) {
		nest = nla_nest_start(skb, TCPK_A_DESC);
		KUNIT_ASSERT_NOT_NULL(test, nest);
	}
	attr = nla_reserve(skb, c->top ?: c->type, c->len);
	KUNIT_ASSERT_NOT_NULL(test, attr);
	policy_fill(attr, c);
	if (nest)
		nla_nest_end(skb, nest);

	err = nla_validate((const struct nlattr *)skb->data, skb->len,
			   ARRAY_SIZE(tcpk_nl_policy) - 1, tcpk_nl_policy,
			   &extack);
	KUNIT_EXPECT_EQ(test, err, c->err);
	if (err) {
		KUNIT_EXPECT_NOT_NULL(test, extack._msg);
		KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr,
				    (const struct nlattr *)attr);
	}
	kfree_skb(skb);
}

/* One identity per kind; anything else is refused. */
static void tcpk_netlink_test_identity(struct kunit *test)
{
	static const enum test_nest bad[] = { T_NAME, T_TWO_BINDINGS,
					      T_EMPTY, T_KEY, T_KEY_KIND };
	struct tcpk_desc_binding bind;
	struct tcpk_nl_error err = {};
	struct sk_buff *skb;
	struct nlattr *nest;
	unsigned int i;

	skb = test_skb(test);
	nest = nla_nest_start(skb, TCPK_A_DESC);
	KUNIT_ASSERT_EQ(test, nla_put_u32(skb, TCPK_A_DESC_CMD_HASH, 0xabcd), 0);
	nla_nest_end(skb, nest);
	KUNIT_ASSERT_EQ(test, tcpk_nl_desc_identity(nest, tcpk_desc_nl_policy,
						    &bind, &err), 0);
	KUNIT_EXPECT_EQ(test, bind.kind, TCPK_DESC_KEY_NAME);
	KUNIT_EXPECT_EQ(test, bind.cmd_hash, 0xabcd);
	kfree_skb(skb);

	skb = test_skb(test);
	nest = nla_nest_start(skb, TCPK_A_DESC);
	KUNIT_ASSERT_EQ(test, nla_put_string(skb, TCPK_A_DESC_PATH, "/sbin/x"), 0);
	nla_nest_end(skb, nest);
	KUNIT_ASSERT_EQ(test, tcpk_nl_desc_identity(nest, tcpk_desc_nl_policy,
						    &bind, &err), 0);
	KUNIT_EXPECT_EQ(test, bind.kind, TCPK_DESC_KEY_PATH);
	KUNIT_EXPECT_STREQ(test, bind.path, "/sbin/x");
	KUNIT_EXPECT_EQ(test, bind.path_len, 7);
	kfree_skb(skb);

	skb = test_skb(test);
	nest = nla_nest_start(skb, TCPK_A_DESC);
	KUNIT_ASSERT_EQ(test, nla_put(skb, TCPK_A_DESC_SHA256,
				      sizeof(test_digest), test_digest), 0);
	nla_nest_end(skb, nest);
	KUNIT_ASSERT_EQ(test, tcpk_nl_desc_identity(nest, tcpk_desc_nl_policy,
						    &bind, &err), 0);
	KUNIT_EXPECT_EQ(test, bind.kind, TCPK_DESC_KEY_DIGEST);
	KUNIT_EXPECT_EQ(test, memcmp(bind.digest, test_digest, sizeof(test_digest)), 0);
	kfree_skb(skb);

	skb = test_skb(test);
	nest = nla_nest_start(skb, TCPK_A_DESC);
	KUNIT_ASSERT_EQ(test, nla_put_u32(skb, TCPK_A_DESC_SYSCALL, 0), 0);
	nla_nest_end(skb, nest);
	KUNIT_ASSERT_EQ(test, tcpk_nl_desc_identity(nest, tcpk_desc_nl_policy,
						    &bind, &err), 0);
	KUNIT_EXPECT_EQ(test, bind.kind, TCPK_DESC_KEY_SYSCALL);
	KUNIT_EXPECT_EQ(test, bind.syscall, 0);
	kfree_skb(skb);

	/* raw, two identities, none, reply-only attributes */
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		skb = test_skb(test);
		put_nest(test, skb, bad[i], 1);
		err.field = NULL;
		KUNIT_EXPECT_EQ(test, tcpk_nl_desc_identity((struct nlattr *)skb->data,
							    tcpk_desc_nl_policy,
							    &bind, &err), -EINVAL);
		KUNIT_EXPECT_NOT_NULL(test, err.field);
		kfree_skb(skb);
	}
}

static const struct nla_policy reply_policy[TCPK_A_DESC_MAX + 1] = {
	[TCPK_A_DESC_RAW] = NLA_POLICY_EXACT_LEN(TCPK_DESC_LEN),
	[TCPK_A_DESC_KEY_KIND] = { .type = NLA_U32 },
	[TCPK_A_DESC_KEY] = { .type = NLA_U64 },
	[TCPK_A_DESC_CMD_HASH] = { .type = NLA_U32 },
	[TCPK_A_DESC_PATH] = { .type = NLA_NUL_STRING },
	[TCPK_A_DESC_SHA256] = NLA_POLICY_EXACT_LEN(TCPK_DESC_DIGEST_LEN),
	[TCPK_A_DESC_SYSCALL] = { .type = NLA_U32 },
};

/*
 * Encode each kind of entry, then read it back as a client: every
 * attribute is there, and the size the handlers reserve is exact.
 */
static void tcpk_netlink_test_fill(struct kunit *test)
{
	struct tcpk_desc_binding binds[4] = {
		{ .kind = TCPK_DESC_KEY_NAME, .cmd_hash = 0x11223344 },
		{ .kind = TCPK_DESC_KEY_PATH, .path = "/usr/bin/dd",
		  .path_len = 11 },
		{ .kind = TCPK_DESC_KEY_DIGEST },
		{ .kind = TCPK_DESC_KEY_SYSCALL, .syscall = 59 },
	};
	struct nlattr *tb[TCPK_A_DESC_MAX + 1];
	struct tcpk_desc d;
	unsigned int i;

	memcpy(binds[2].digest, test_digest, sizeof(test_digest));
	test_desc(&d, 0x11223344);
	for (i = 0; i < ARRAY_SIZE(binds); i++) {
		struct sk_buff *skb = test_skb(test);
		u64 key = ((u64)binds[i].kind << 60) | (0xabc + i);
		struct nlattr *nest = (struct nlattr *)skb->data;

		KUNIT_ASSERT_EQ(test, tcpk_nl_desc_fill(skb, key, &d, &binds[i]), 0);
		KUNIT_EXPECT_EQ(test, skb->len, tcpk_nl_desc_size(&binds[i]));
		KUNIT_EXPECT_EQ(test, nla_type(nest), TCPK_A_DESC);
		KUNIT_EXPECT_TRUE(test, nest->nla_type & NLA_F_NESTED);
		KUNIT_ASSERT_EQ(test, nla_parse_nested(tb, TCPK_A_DESC_MAX, nest,
						       reply_policy, NULL), 0);
		KUNIT_ASSERT_NOT_NULL(test, tb[TCPK_A_DESC_RAW]);
		KUNIT_EXPECT_EQ(test, memcmp(nla_data(tb[TCPK_A_DESC_RAW]), &d,
					     sizeof(d)), 0);
		KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_DESC_KEY_KIND]),
				binds[i].kind);
		KUNIT_EXPECT_EQ(test, nla_get_u64(tb[TCPK_A_DESC_KEY]), key);
		switch (binds[i].kind) {
		case TCPK_DESC_KEY_NAME:
			KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_DESC_CMD_HASH]),
					0x11223344);
			break;
		case TCPK_DESC_KEY_PATH:
			KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[TCPK_A_DESC_PATH]),
					   "/usr/bin/dd");
			break;
		case TCPK_DESC_KEY_DIGEST:
			KUNIT_EXPECT_EQ(test,
					memcmp(nla_data(tb[TCPK_A_DESC_SHA256]),
					       test_digest, sizeof(test_digest)),
					0);
			break;
		default:
			KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_DESC_SYSCALL]),
					59);
			break;
		}
		kfree_skb(skb);
	}
}

/* Too small a message: -EMSGSIZE at every size, and nothing left behind. */
static void tcpk_netlink_test_fill_too_small(struct kunit *test)
{
	struct tcpk_desc_binding bind = {
		.kind = TCPK_DESC_KEY_PATH, .path = "/usr/bin/shred",
		.path_len = 14,
	};
	unsigned int full = tcpk_nl_desc_size(&bind);
	struct tcpk_desc d;
	unsigned int size;

	test_desc(&d, 1);
	for (size = 0; size < full; size += 4) {
		struct sk_buff *skb = test_skb(test);
		unsigned int used = skb_tailroom(skb) - size;

		skb_put(skb, used);
		KUNIT_EXPECT_EQ(test, tcpk_nl_desc_fill(skb, 1, &d, &bind),
				-EMSGSIZE);
		KUNIT_EXPECT_EQ(test, skb->len, used);
		kfree_skb(skb);
	}
}

static struct kunit_case tcpk_netlink_test_cases[] = {
	KUNIT_CASE(tcpk_netlink_test_items),
	KUNIT_CASE_PARAM(tcpk_netlink_test_refuse, refuse_gen_params),
	KUNIT_CASE(tcpk_netlink_test_count_mismatch),
	KUNIT_CASE_PARAM(tcpk_netlink_test_policy, policy_gen_params),
	KUNIT_CASE(tcpk_netlink_test_identity),
	KUNIT_CASE(tcpk_netlink_test_fill),
	KUNIT_CASE(tcpk_netlink_test_fill_too_small),
	{}
};

static struct kunit_suite tcpk_netlink_suite = {
	.name = "tcp_kernel_netlink",
	.test_cases = tcpk_netlink_test_cases,
};

kunit_test_suites(&tcpk_netlink_suite);
