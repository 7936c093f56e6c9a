// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - KUnit suite of the netlink descriptor attributes
 *
 * The generated policies (core/genl.c), the parser and encoder of
 * descriptor nests (core/desc_nl.c) and of the policy engine's nests
 * (core/policy_nl.c), as they are: requests are built as attribute
 * streams in an skb, validated as the generic netlink core validates
 * them, then parsed; replies are encoded and read back as a client
 * would.  The reason texts of decisions use the engine's names of
 * operations and actions (policy/policy.c, in this module through
 * kunit/policy_test.c).
 */

#include <kunit/test.h>
#include <linux/skbuff.h>

#include "../core/desc_nl.c"
#include "../core/flow_nl.c"
#include "../core/genl.c"
#include "../core/policy_nl.c"
#include "../core/proc_nl.c"
#include "../core/seq_nl.c"

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

int tcpk_nl_rule_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_rule_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_rule_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_rule_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_rule_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_rule_replace_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_policy_test_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_policy_explain_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_mode_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_mode_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_agent_start_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_agent_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_proc_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_proc_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_proc_release_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_seq_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_seq_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_seq_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_profile_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_profile_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_profile_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_profile_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_model_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_model_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_model_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_hwmon_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_hwmon_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_lock_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int tcpk_nl_cost_get_doit(struct sk_buff *skb, struct genl_info *info)
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

/* --- uapi 3: the policy engine's attributes -------------------------------- */

/* The group table the generator writes names the uapi's group. */
static void tcpk_netlink_test_mcgrp(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, ARRAY_SIZE(tcpk_nl_mcgrps), 1);
	KUNIT_EXPECT_STREQ(test, tcpk_nl_mcgrps[TCPK_NLGRP_EVENTS].name,
			   TCPK_MCGRP_EVENTS);
}

/* How the payload of a policy3 case's attribute is made. */
enum test_val {
	V_U32,		/* the u32 .val */
	V_U8,		/* the u8 .val */
	V_U64,		/* the u64 .val */
	V_STR,		/* .val 'a's and a NUL */
	V_NO_NUL,	/* .val 'a's */
};

struct policy3_case {
	const char *name;
	u16 nest;	/* top-level nest the attribute goes in, or 0 */
	u16 type;	/* the attribute */
	enum test_val how;
	u32 val;
	int err;
};

#define P3(n, nest, type, how, val, err) { n, nest, type, how, val, err }

static const struct policy3_case policy3_cases[] = {
	P3("rule id 1", TCPK_A_RULE, TCPK_A_RULE_ID, V_U32, 1, 0),
	P3("rule id 0", TCPK_A_RULE, TCPK_A_RULE_ID, V_U32, 0, -ERANGE),
	P3("rule action quarantine", TCPK_A_RULE, TCPK_A_RULE_ACTION, V_U32,
	   TCPK_ACTION_QUARANTINE, 0),
	P3("rule action unspec", TCPK_A_RULE, TCPK_A_RULE_ACTION, V_U32, 0,
	   -ERANGE),
	P3("rule action 7", TCPK_A_RULE, TCPK_A_RULE_ACTION, V_U32,
	   __TCPK_ACTION_MAX, -ERANGE),
	P3("rule flags alert", TCPK_A_RULE, TCPK_A_RULE_FLAGS, V_U32, 1, 0),
	P3("rule flags bit 1", TCPK_A_RULE, TCPK_A_RULE_FLAGS, V_U32, 2,
	   -EINVAL),
	P3("rule comm of 63", TCPK_A_RULE, TCPK_A_RULE_COMM, V_STR, 63, 0),
	P3("rule comm of 64", TCPK_A_RULE, TCPK_A_RULE_COMM, V_STR, 64,
	   -EINVAL),
	P3("rule comm without NUL", TCPK_A_RULE, TCPK_A_RULE_COMM, V_NO_NUL, 8,
	   -EINVAL),
	P3("rule exe of 1023", TCPK_A_RULE, TCPK_A_RULE_EXE, V_STR, 1023, 0),
	P3("rule exe of 1024", TCPK_A_RULE, TCPK_A_RULE_EXE, V_STR, 1024,
	   -EINVAL),
	P3("rule path of 1023", TCPK_A_RULE, TCPK_A_RULE_PATH, V_STR, 1023, 0),
	P3("rule path of 1024", TCPK_A_RULE, TCPK_A_RULE_PATH, V_STR, 1024,
	   -EINVAL),
	P3("rule agent of 31", TCPK_A_RULE, TCPK_A_RULE_AGENT, V_STR, 31, 0),
	P3("rule agent of 32", TCPK_A_RULE, TCPK_A_RULE_AGENT, V_STR, 32,
	   -EINVAL),
	P3("rule path_scope outside", TCPK_A_RULE, TCPK_A_RULE_PATH_SCOPE, V_U32,
	   TCPK_SCOPE_OUTSIDE, 0),
	P3("rule path_scope 3", TCPK_A_RULE, TCPK_A_RULE_PATH_SCOPE, V_U32,
	   __TCPK_SCOPE_MAX, -ERANGE),
	P3("rule target_scope 3", TCPK_A_RULE, TCPK_A_RULE_TARGET_SCOPE, V_U32,
	   __TCPK_SCOPE_MAX, -ERANGE),
	P3("rule syscall 1023", TCPK_A_RULE, TCPK_A_RULE_SYSCALL, V_U32, 1023,
	   0),
	P3("rule syscall 1024", TCPK_A_RULE, TCPK_A_RULE_SYSCALL, V_U32, 1024,
	   -ERANGE),
	P3("rule ops all", TCPK_A_RULE, TCPK_A_RULE_OPS, V_U32, TCPK_OPS_ALL, 0),
	P3("rule ops bit 17", TCPK_A_RULE, TCPK_A_RULE_OPS, V_U32,
	   BIT(__TCPK_OP_MAX), -EINVAL),
	P3("rule desc_any all", TCPK_A_RULE, TCPK_A_RULE_DESC_ANY, V_U32,
	   TCPK_DESC_FLAGS_KNOWN, 0),
	P3("rule desc_any bit 17", TCPK_A_RULE, TCPK_A_RULE_DESC_ANY, V_U32,
	   BIT(__TCPK_DESC_FLAG_MAX), -EINVAL),
	P3("rule desc_all bit 31", TCPK_A_RULE, TCPK_A_RULE_DESC_ALL, V_U32,
	   BIT(31), -EINVAL),
	P3("rule access all", TCPK_A_RULE, TCPK_A_RULE_ACCESS, V_U32,
	   TCPK_ACCESS_ALL, 0),
	P3("rule access bit 7", TCPK_A_RULE, TCPK_A_RULE_ACCESS, V_U32,
	   BIT(__TCPK_ACCESS_MAX), -EINVAL),
	P3("rule cgroup", TCPK_A_RULE, TCPK_A_RULE_CGROUP, V_U64, 7, 0),
	P3("rule cgroup of 4 bytes", TCPK_A_RULE, TCPK_A_RULE_CGROUP, V_U32, 7,
	   -EINVAL),
	P3("rule pad", TCPK_A_RULE, TCPK_A_RULE_PAD, V_U32, 0, -EINVAL),
	P3("rule type 24", TCPK_A_RULE, TCPK_A_RULE_MAX + 1, V_U32, 0, -EINVAL),
	P3("req op chmod", TCPK_A_REQ, TCPK_A_REQ_OP, V_U32, TCPK_OP_CHMOD, 0),
	P3("req op signal", TCPK_A_REQ, TCPK_A_REQ_OP, V_U32, TCPK_OP_SIGNAL,
	   0),
	P3("req op 18", TCPK_A_REQ, TCPK_A_REQ_OP, V_U32, __TCPK_OP_MAX,
	   -ERANGE),
	P3("req comm of 64", TCPK_A_REQ, TCPK_A_REQ_COMM, V_STR, 64, -EINVAL),
	P3("req path of 4095", TCPK_A_REQ, TCPK_A_REQ_PATH, V_STR, 4095, 0),
	P3("req path of 4096", TCPK_A_REQ, TCPK_A_REQ_PATH, V_STR, 4096,
	   -EINVAL),
	P3("req exe of 4096", TCPK_A_REQ, TCPK_A_REQ_EXE, V_STR, 4096, -EINVAL),
	P3("req workspace of 4096", TCPK_A_REQ, TCPK_A_REQ_WORKSPACE, V_STR,
	   4096, -EINVAL),
	P3("req agent of 32", TCPK_A_REQ, TCPK_A_REQ_AGENT, V_STR, 32, -EINVAL),
	P3("req syscall 1024", TCPK_A_REQ, TCPK_A_REQ_SYSCALL, V_U32, 1024,
	   -ERANGE),
	P3("req desc_flags bit 17", TCPK_A_REQ, TCPK_A_REQ_DESC_FLAGS, V_U32,
	   BIT(__TCPK_DESC_FLAG_MAX), -EINVAL),
	P3("req access bit 7", TCPK_A_REQ, TCPK_A_REQ_ACCESS, V_U32,
	   BIT(__TCPK_ACCESS_MAX), -EINVAL),
	P3("agent name of 31", TCPK_A_AGENT, TCPK_A_AGENT_NAME, V_STR, 31, 0),
	P3("agent name of 32", TCPK_A_AGENT, TCPK_A_AGENT_NAME, V_STR, 32,
	   -EINVAL),
	P3("agent workspace of 4096", TCPK_A_AGENT, TCPK_A_AGENT_WORKSPACE,
	   V_STR, 4096, -EINVAL),
	P3("mode level paranoid", TCPK_A_MODE, TCPK_A_MODE_LEVEL, V_U32,
	   TCPK_LEVEL_PARANOID, 0),
	P3("mode level 4", TCPK_A_MODE, TCPK_A_MODE_LEVEL, V_U32,
	   __TCPK_LEVEL_MAX, -ERANGE),
	P3("mode alerts 1", TCPK_A_MODE, TCPK_A_MODE_ALERTS, V_U8, 1, 0),
	P3("mode alerts 2", TCPK_A_MODE, TCPK_A_MODE_ALERTS, V_U8, 2, -ERANGE),
	P3("mode block_ops bit 17", TCPK_A_MODE, TCPK_A_MODE_BLOCK_OPS, V_U32,
	   BIT(__TCPK_OP_MAX), -EINVAL),
	P3("top-level pid", 0, TCPK_A_PID, V_U32, 1, 0),
	P3("top-level generation", 0, TCPK_A_GENERATION, V_U64, 1, -EINVAL),
	P3("top-level rule_count", 0, TCPK_A_RULE_COUNT, V_U32, 1, -EINVAL),
	P3("top-level decision", 0, TCPK_A_DECISION, V_U32, 0, -EINVAL),
	P3("top-level event", 0, TCPK_A_EVENT, V_U32, 0, -EINVAL),
	P3("top-level type 22", 0, TCPK_A_MAX + 1, V_U32, 0, -EINVAL),
};

static void policy3_case_desc(const struct policy3_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(policy3, policy3_cases, policy3_case_desc);

/* Put one attribute as a policy3 case says; returns it. */
static struct nlattr *put_val(struct kunit *test, struct sk_buff *skb,
			      u16 type, enum test_val how, u32 val)
{
	struct nlattr *attr;
	u64 v64 = val;
	u8 v8 = val;

	switch (how) {
	case V_U32:
		attr = nla_reserve(skb, type, sizeof(val));
		KUNIT_ASSERT_NOT_NULL(test, attr);
		memcpy(nla_data(attr), &val, sizeof(val));
		break;
	case V_U8:
		attr = nla_reserve(skb, type, sizeof(v8));
		KUNIT_ASSERT_NOT_NULL(test, attr);
		memcpy(nla_data(attr), &v8, sizeof(v8));
		break;
	case V_U64:
		KUNIT_ASSERT_EQ(test, nla_put_u64_64bit(skb, type, v64, 0), 0);
		attr = (struct nlattr *)(skb_tail_pointer(skb) -
					 nla_total_size(sizeof(v64)));
		break;
	default:
		attr = nla_reserve(skb, type, how == V_STR ? val + 1 : val);
		KUNIT_ASSERT_NOT_NULL(test, attr);
		memset(nla_data(attr), 'a', val);
		if (how == V_STR)
			((char *)nla_data(attr))[val] = 0;
		break;
	}
	return attr;
}

/*
 * The generated policies of the uapi 3 nests, applied as the generic
 * netlink core applies the global policy: string lengths from the
 * header's limits, ranges of enums, masks of flags, reply-only and
 * unknown attributes.
 */
static void tcpk_netlink_test_policy3(struct kunit *test)
{
	const struct policy3_case *c = test->param_value;
	struct netlink_ext_ack extack = {};
	struct sk_buff *skb = alloc_skb(16384, GFP_KERNEL);
	struct nlattr *nest = NULL, *attr;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	if (c->nest) {
		nest = nla_nest_start(skb, c->nest);
		KUNIT_ASSERT_NOT_NULL(test, nest);
	}
	attr = put_val(test, skb, c->type, c->how, c->val);
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

static const u16 test_syscalls[] = { 59, 322, 0, 1023 };

/* A rule nest with every attribute a request may give. */
static struct nlattr *put_full_rule(struct kunit *test, struct sk_buff *skb)
{
	struct nlattr *nest = nla_nest_start(skb, TCPK_A_RULE);
	unsigned int i;
	int err = 0;

	KUNIT_ASSERT_NOT_NULL(test, nest);
	err |= nla_put_u32(skb, TCPK_A_RULE_ID, 42);
	err |= nla_put_u32(skb, TCPK_A_RULE_PRIORITY, 7);
	err |= nla_put_u32(skb, TCPK_A_RULE_ACTION, TCPK_ACTION_KILL);
	err |= nla_put_u32(skb, TCPK_A_RULE_FLAGS, BIT(TCPK_RULE_F_ALERT));
	err |= nla_put_u32(skb, TCPK_A_RULE_PID, 1234);
	err |= nla_put_u32(skb, TCPK_A_RULE_UID, 1000);
	err |= nla_put_u32(skb, TCPK_A_RULE_GID, 100);
	err |= nla_put_string(skb, TCPK_A_RULE_COMM, "py*");
	err |= nla_put_string(skb, TCPK_A_RULE_EXE, "/usr/bin/**");
	err |= nla_put_string(skb, TCPK_A_RULE_PATH, "/etc/*");
	err |= nla_put_u32(skb, TCPK_A_RULE_PATH_SCOPE, TCPK_SCOPE_OUTSIDE);
	err |= nla_put_u32(skb, TCPK_A_RULE_CAPABILITY, 21);
	for (i = 0; i < ARRAY_SIZE(test_syscalls); i++)
		err |= nla_put_u32(skb, TCPK_A_RULE_SYSCALL, test_syscalls[i]);
	err |= nla_put_u32(skb, TCPK_A_RULE_OPS,
			   BIT(TCPK_OP_EXEC) | BIT(TCPK_OP_UNLINK));
	err |= nla_put_u32(skb, TCPK_A_RULE_DESC_ANY, BIT(TCPK_DESC_CRITICAL));
	err |= nla_put_u32(skb, TCPK_A_RULE_DESC_ALL,
			   BIT(TCPK_DESC_DESTRUCTIVE) | BIT(TCPK_DESC_DANGEROUS_EXEC));
	err |= nla_put_u32(skb, TCPK_A_RULE_ANOMALY_MIN, 80);
	err |= nla_put_string(skb, TCPK_A_RULE_AGENT, "claude-*");
	err |= nla_put_u64_64bit(skb, TCPK_A_RULE_CGROUP, 0x1234567890ULL,
				 TCPK_A_RULE_PAD);
	err |= nla_put_u32(skb, TCPK_A_RULE_TARGET_SCOPE, TCPK_SCOPE_INSIDE);
	err |= nla_put_u32(skb, TCPK_A_RULE_ACCESS,
			   BIT(TCPK_ACCESS_WRITE) | BIT(TCPK_ACCESS_EXEC));
	KUNIT_ASSERT_EQ(test, err, 0);
	nla_nest_end(skb, nest);
	return nest;
}

static void expect_full_rule(struct kunit *test,
			     const struct tcpk_rule_spec *spec)
{
	unsigned int i;

	KUNIT_EXPECT_EQ(test, spec->id, 42);
	KUNIT_EXPECT_EQ(test, spec->priority, 7);
	KUNIT_EXPECT_EQ(test, spec->action, TCPK_ACTION_KILL);
	KUNIT_EXPECT_EQ(test, spec->flags, BIT(TCPK_RULE_F_ALERT));
	KUNIT_EXPECT_EQ(test, spec->present, GENMASK(__TCPK_COND_MAX - 1, 0));
	KUNIT_EXPECT_EQ(test, spec->pid, 1234);
	KUNIT_EXPECT_EQ(test, spec->uid, 1000);
	KUNIT_EXPECT_EQ(test, spec->gid, 100);
	KUNIT_EXPECT_STREQ(test, spec->comm, "py*");
	KUNIT_EXPECT_STREQ(test, spec->exe, "/usr/bin/**");
	KUNIT_EXPECT_STREQ(test, spec->path, "/etc/*");
	KUNIT_EXPECT_EQ(test, spec->path_scope, TCPK_SCOPE_OUTSIDE);
	KUNIT_EXPECT_EQ(test, spec->capability, 21);
	KUNIT_ASSERT_EQ(test, spec->n_syscalls, ARRAY_SIZE(test_syscalls));
	for (i = 0; i < ARRAY_SIZE(test_syscalls); i++)
		KUNIT_EXPECT_EQ(test, spec->syscalls[i], test_syscalls[i]);
	KUNIT_EXPECT_EQ(test, spec->ops, BIT(TCPK_OP_EXEC) | BIT(TCPK_OP_UNLINK));
	KUNIT_EXPECT_EQ(test, spec->desc_any, BIT(TCPK_DESC_CRITICAL));
	KUNIT_EXPECT_EQ(test, spec->desc_all,
			BIT(TCPK_DESC_DESTRUCTIVE) | BIT(TCPK_DESC_DANGEROUS_EXEC));
	KUNIT_EXPECT_EQ(test, spec->anomaly_min, 80);
	KUNIT_EXPECT_STREQ(test, spec->agent, "claude-*");
	KUNIT_EXPECT_EQ(test, spec->cgroup, 0x1234567890ULL);
	KUNIT_EXPECT_EQ(test, spec->target_scope, TCPK_SCOPE_INSIDE);
	KUNIT_EXPECT_EQ(test, spec->access,
			BIT(TCPK_ACCESS_WRITE) | BIT(TCPK_ACCESS_EXEC));
}

/*
 * A reply's rule nest, parsed as a client: hits, then everything else
 * copied into a request nest in @copy and through the parser again (the
 * spec's strings point into @copy).
 */
static int parse_reply_rule(struct kunit *test, struct nlattr *nest,
			    struct sk_buff *copy, struct tcpk_rule_spec *spec,
			    u64 *hits)
{
	struct nlattr *tb[TCPK_A_RULE_MAX + 1];
	struct tcpk_nl_refusal ref = {};
	const struct nlattr *a;
	struct nlattr *c;
	int rem;

	KUNIT_ASSERT_EQ(test, nla_parse_nested(tb, TCPK_A_RULE_MAX, nest,
					       tcpk_rule_nl_policy, NULL), 0);
	KUNIT_ASSERT_NOT_NULL(test, tb[TCPK_A_RULE_HITS]);
	*hits = nla_get_u64(tb[TCPK_A_RULE_HITS]);

	c = nla_nest_start(copy, TCPK_A_RULE);
	KUNIT_ASSERT_NOT_NULL(test, c);
	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) != TCPK_A_RULE_HITS &&
		    nla_type(a) != TCPK_A_RULE_PAD)
			KUNIT_ASSERT_EQ(test, nla_put(copy, nla_type(a),
						      nla_len(a), nla_data(a)),
					0);
	nla_nest_end(copy, c);
	return tcpk_nl_rule_parse(c, 0, tcpk_rule_nl_policy, spec, &ref);
}

/*
 * Every attribute of a rule: nest -> spec -> nest (with hits) -> spec
 * gives the same rule, and the reply takes exactly the room computed.
 */
static void tcpk_netlink_test_rule_roundtrip(struct kunit *test)
{
	struct tcpk_nl_refusal ref = {};
	struct tcpk_rule_spec spec, back;
	struct sk_buff *skb = test_skb(test), *out = test_skb(test);
	struct sk_buff *copy = test_skb(test);
	struct nlattr *nest;
	u64 hits = 0;

	nest = put_full_rule(test, skb);
	KUNIT_ASSERT_EQ(test, tcpk_nl_rule_parse(nest, 0, tcpk_rule_nl_policy,
						 &spec, &ref), 0);
	expect_full_rule(test, &spec);
	/* Strings point into the message. */
	KUNIT_EXPECT_TRUE(test, (const u8 *)spec.comm > skb->data &&
			  (const u8 *)spec.comm < skb_tail_pointer(skb));

	KUNIT_ASSERT_EQ(test, tcpk_nl_rule_fill(out, &spec, 0xfeedULL), 0);
	KUNIT_EXPECT_EQ(test, out->len, tcpk_nl_rule_size(&spec));
	KUNIT_EXPECT_LE(test, out->len, tcpk_nl_rule_size_max());
	KUNIT_ASSERT_EQ(test, parse_reply_rule(test, (struct nlattr *)out->data,
					       copy, &back, &hits), 0);
	KUNIT_EXPECT_EQ(test, hits, 0xfeedULL);
	expect_full_rule(test, &back);
	kfree_skb(skb);
	kfree_skb(out);
	kfree_skb(copy);
}

/*
 * The least rule: an action.  Defaults: id 0 (assigned later), priority
 * 1000, no condition; the reply has no id, and no condition either.
 */
static void tcpk_netlink_test_rule_minimal(struct kunit *test)
{
	struct tcpk_nl_refusal ref = {};
	struct nlattr *tb[TCPK_A_RULE_MAX + 1];
	struct sk_buff *skb = test_skb(test), *out = test_skb(test);
	struct tcpk_rule_spec spec;
	struct nlattr *nest;
	int type;

	nest = nla_nest_start(skb, TCPK_A_RULE);
	KUNIT_ASSERT_EQ(test, nla_put_u32(skb, TCPK_A_RULE_ACTION,
					  TCPK_ACTION_ALLOW), 0);
	nla_nest_end(skb, nest);
	KUNIT_ASSERT_EQ(test, tcpk_nl_rule_parse(nest, 0, tcpk_rule_nl_policy,
						 &spec, &ref), 0);
	KUNIT_EXPECT_EQ(test, spec.id, 0);
	KUNIT_EXPECT_EQ(test, spec.priority, TCPK_RULE_PRIORITY_DEFAULT);
	KUNIT_EXPECT_EQ(test, spec.action, TCPK_ACTION_ALLOW);
	KUNIT_EXPECT_EQ(test, spec.present, 0);
	KUNIT_EXPECT_EQ(test, spec.n_syscalls, 0);
	KUNIT_EXPECT_NULL(test, spec.comm);

	KUNIT_ASSERT_EQ(test, tcpk_nl_rule_fill(out, &spec, 3), 0);
	KUNIT_EXPECT_EQ(test, out->len, tcpk_nl_rule_size(&spec));
	KUNIT_ASSERT_EQ(test, nla_parse_nested(tb, TCPK_A_RULE_MAX,
					       (struct nlattr *)out->data,
					       tcpk_rule_nl_policy, NULL), 0);
	for (type = 1; type <= TCPK_A_RULE_MAX; type++) {
		bool want = type == TCPK_A_RULE_PRIORITY ||
			    type == TCPK_A_RULE_ACTION ||
			    type == TCPK_A_RULE_FLAGS ||
			    type == TCPK_A_RULE_HITS;

		KUNIT_EXPECT_EQ_MSG(test, !!tb[type], want, "attribute %d", type);
	}
	kfree_skb(skb);
	kfree_skb(out);
}

/* What goes wrong in one rule nest of a refusal case. */
enum rule_bad {
	RB_NO_ACTION,
	RB_HITS,
	RB_COMM_TWICE,
	RB_ID_TWICE,
	RB_17_SYSCALLS,
	RB_COMM_TAIL,
	RB_COMM_EMPTY,
	RB_EXE_EMPTY,
	RB_PATH_EMPTY,
	RB_AGENT_EMPTY,
	RB_OPS_EMPTY,
	RB_DESC_ANY_EMPTY,
	RB_DESC_ALL_EMPTY,
	RB_ACCESS_EMPTY,
	RB_UNKNOWN,
	RB_ACTION_0,
	RB_NO_FLAG,
};

struct rule_refuse_case {
	const char *name;
	enum rule_bad what;
	const char *msg;
	u16 missing;
	bool on_attr;	/* the bad attribute is the last one of the nest */
};

static const struct rule_refuse_case rule_refuse_cases[] = {
	{ "no action", RB_NO_ACTION, "action: missing", TCPK_A_RULE_ACTION },
	{ "hits", RB_HITS, "hits: only in replies", 0, true },
	{ "comm twice", RB_COMM_TWICE, "comm: given more than once", 0, true },
	{ "id twice", RB_ID_TWICE, "id: given more than once", 0, true },
	{ "17 syscalls", RB_17_SYSCALLS, "syscall: more than 16 system calls",
	  0, true },
	{ "comm with bytes after its NUL", RB_COMM_TAIL,
	  "comm: bytes after its NUL", 0, true },
	{ "empty comm", RB_COMM_EMPTY, "comm: empty", 0, true },
	{ "empty exe", RB_EXE_EMPTY, "exe: empty", 0, true },
	{ "empty path", RB_PATH_EMPTY, "path: empty", 0, true },
	{ "empty agent", RB_AGENT_EMPTY, "agent: empty", 0, true },
	{ "no op", RB_OPS_EMPTY, "ops: empty", 0, true },
	{ "no desc_any flag", RB_DESC_ANY_EMPTY, "desc_any: empty", 0, true },
	{ "no desc_all flag", RB_DESC_ALL_EMPTY, "desc_all: empty", 0, true },
	{ "no access bit", RB_ACCESS_EMPTY, "access: empty", 0, true },
	{ "unknown attribute", RB_UNKNOWN, "rule: invalid attributes" },
	{ "action unspec", RB_ACTION_0, "rule: invalid attributes" },
	{ "no NLA_F_NESTED", RB_NO_FLAG, "rule: invalid attributes" },
};

static void rule_refuse_case_desc(const struct rule_refuse_case *c,
				  char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(rule_refuse, rule_refuse_cases, rule_refuse_case_desc);

/* A rule nest with the fault of @what; returns its last attribute. */
static struct nlattr *put_bad_rule(struct kunit *test, struct sk_buff *skb,
				   enum rule_bad what, struct nlattr **nestp)
{
	static const char tail[] = "sh\0x";
	struct nlattr *nest, *last = NULL;
	unsigned int i;

	if (what == RB_NO_FLAG)
		nest = nla_nest_start_noflag(skb, TCPK_A_RULE);
	else
		nest = nla_nest_start(skb, TCPK_A_RULE);
	KUNIT_ASSERT_NOT_NULL(test, nest);
	if (what != RB_NO_ACTION)
		last = put_val(test, skb, TCPK_A_RULE_ACTION, V_U32,
			       what == RB_ACTION_0 ? 0 : TCPK_ACTION_DENY);
	switch (what) {
	case RB_HITS:
		KUNIT_ASSERT_EQ(test, nla_put_u64_64bit(skb, TCPK_A_RULE_HITS, 1,
							TCPK_A_RULE_PAD), 0);
		last = (struct nlattr *)(skb_tail_pointer(skb) -
					 nla_total_size(sizeof(u64)));
		break;
	case RB_COMM_TWICE:
		put_val(test, skb, TCPK_A_RULE_COMM, V_STR, 2);
		last = put_val(test, skb, TCPK_A_RULE_COMM, V_STR, 3);
		break;
	case RB_ID_TWICE:
		put_val(test, skb, TCPK_A_RULE_ID, V_U32, 1);
		last = put_val(test, skb, TCPK_A_RULE_ID, V_U32, 2);
		break;
	case RB_17_SYSCALLS:
		for (i = 0; i < TCPK_RULE_SYSCALLS_MAX + 1; i++)
			last = put_val(test, skb, TCPK_A_RULE_SYSCALL, V_U32, i);
		break;
	case RB_COMM_TAIL:
		last = nla_reserve(skb, TCPK_A_RULE_COMM, sizeof(tail));
		KUNIT_ASSERT_NOT_NULL(test, last);
		memcpy(nla_data(last), tail, sizeof(tail));
		break;
	case RB_COMM_EMPTY:
		last = put_val(test, skb, TCPK_A_RULE_COMM, V_STR, 0);
		break;
	case RB_EXE_EMPTY:
		last = put_val(test, skb, TCPK_A_RULE_EXE, V_STR, 0);
		break;
	case RB_PATH_EMPTY:
		last = put_val(test, skb, TCPK_A_RULE_PATH, V_STR, 0);
		break;
	case RB_AGENT_EMPTY:
		last = put_val(test, skb, TCPK_A_RULE_AGENT, V_STR, 0);
		break;
	case RB_OPS_EMPTY:
		last = put_val(test, skb, TCPK_A_RULE_OPS, V_U32, 0);
		break;
	case RB_DESC_ANY_EMPTY:
		last = put_val(test, skb, TCPK_A_RULE_DESC_ANY, V_U32, 0);
		break;
	case RB_DESC_ALL_EMPTY:
		last = put_val(test, skb, TCPK_A_RULE_DESC_ALL, V_U32, 0);
		break;
	case RB_ACCESS_EMPTY:
		last = put_val(test, skb, TCPK_A_RULE_ACCESS, V_U32, 0);
		break;
	case RB_UNKNOWN:
		last = put_val(test, skb, TCPK_A_RULE_MAX + 1, V_U32, 0);
		break;
	default:
		break;
	}
	nla_nest_end(skb, nest);
	*nestp = nest;
	return last;
}

/*
 * Each refusal of a rule nest: its message names the field, the bad (or
 * missing) attribute is pointed at, and the index of the nest in its
 * batch comes back.
 */
static void tcpk_netlink_test_rule_refuse(struct kunit *test)
{
	const struct rule_refuse_case *c = test->param_value;
	struct tcpk_nl_refusal ref = {};
	struct sk_buff *skb = test_skb(test);
	struct tcpk_rule_spec spec;
	struct nlattr *nest, *last;

	last = put_bad_rule(test, skb, c->what, &nest);
	KUNIT_EXPECT_EQ(test, tcpk_nl_rule_parse(nest, 3, tcpk_rule_nl_policy,
						 &spec, &ref), -EINVAL);
	KUNIT_EXPECT_EQ(test, ref.index, 3);
	KUNIT_EXPECT_PTR_EQ(test, ref.nest, (const struct nlattr *)nest);
	KUNIT_ASSERT_NOT_NULL(test, ref.msg);
	KUNIT_EXPECT_STREQ(test, ref.msg, c->msg);
	KUNIT_EXPECT_EQ(test, ref.missing, c->missing);
	if (c->on_attr)
		KUNIT_EXPECT_PTR_EQ(test, ref.attr, (const struct nlattr *)last);
	kfree_skb(skb);
}

/*
 * The nth rule nest of a batch is found again from its index, which is
 * how a handler points the extack at the rule the engine refused.
 */
static void tcpk_netlink_test_rule_batch(struct kunit *test)
{
	struct tcpk_nl_refusal ref = {};
	struct sk_buff *skb = test_skb(test);
	const struct nlattr *head, *nla;
	struct tcpk_rule_spec spec;
	struct nlattr *nests[5];
	u32 i = 0;
	int rem;

	for (i = 0; i < ARRAY_SIZE(nests); i++) {
		if (i == 1)
			KUNIT_ASSERT_EQ(test, nla_put_u32(skb, TCPK_A_PID, 1), 0);
		if (i == 3)
			put_bad_rule(test, skb, RB_COMM_EMPTY, &nests[i]);
		else
			nests[i] = put_full_rule(test, skb);
	}
	head = (const struct nlattr *)skb->data;
	KUNIT_EXPECT_EQ(test, tcpk_nl_count(head, skb->len, TCPK_A_RULE), 5);
	KUNIT_EXPECT_EQ(test, tcpk_nl_count(head, skb->len, TCPK_A_PID), 1);
	for (i = 0; i < ARRAY_SIZE(nests); i++)
		KUNIT_EXPECT_PTR_EQ(test, tcpk_nl_nth(head, skb->len,
						      TCPK_A_RULE, i),
				    (const struct nlattr *)nests[i]);
	KUNIT_EXPECT_NULL(test, tcpk_nl_nth(head, skb->len, TCPK_A_RULE, 5));

	/* As RULE_REPLACE walks it: the first refusal names index 3. */
	i = 0;
	nla_for_each_attr(nla, head, skb->len, rem) {
		if (nla_type(nla) != TCPK_A_RULE)
			continue;
		if (tcpk_nl_rule_parse(nla, i, tcpk_rule_nl_policy, &spec, &ref))
			break;
		i++;
	}
	KUNIT_EXPECT_EQ(test, i, 3);
	KUNIT_EXPECT_EQ(test, ref.index, 3);
	KUNIT_EXPECT_PTR_EQ(test, ref.nest, (const struct nlattr *)nests[3]);
	KUNIT_EXPECT_STREQ(test, ref.msg, "comm: empty");
	kfree_skb(skb);
}

/* DEL and GET name a rule by its id alone. */
static void tcpk_netlink_test_rule_id(struct kunit *test)
{
	struct tcpk_nl_refusal ref = {};
	struct sk_buff *skb;
	struct nlattr *nest;
	u32 id = 0;

	skb = test_skb(test);
	nest = nla_nest_start(skb, TCPK_A_RULE);
	put_val(test, skb, TCPK_A_RULE_ID, V_U32, 9);
	nla_nest_end(skb, nest);
	KUNIT_EXPECT_EQ(test, tcpk_nl_rule_id_parse(nest, tcpk_rule_nl_policy,
						    &id, &ref), 0);
	KUNIT_EXPECT_EQ(test, id, 9);
	kfree_skb(skb);

	skb = test_skb(test);
	nest = nla_nest_start(skb, TCPK_A_RULE);
	put_val(test, skb, TCPK_A_RULE_ID, V_U32, 9);
	put_val(test, skb, TCPK_A_RULE_COMM, V_STR, 2);
	nla_nest_end(skb, nest);
	KUNIT_EXPECT_EQ(test, tcpk_nl_rule_id_parse(nest, tcpk_rule_nl_policy,
						    &id, &ref), -EINVAL);
	KUNIT_EXPECT_STREQ(test, ref.msg, "rule: only id names a rule here");
	kfree_skb(skb);

	skb = test_skb(test);
	nest = nla_nest_start(skb, TCPK_A_RULE);
	nla_nest_end(skb, nest);
	KUNIT_EXPECT_EQ(test, tcpk_nl_rule_id_parse(nest, tcpk_rule_nl_policy,
						    &id, &ref), -EINVAL);
	KUNIT_EXPECT_STREQ(test, ref.msg, "id: missing");
	KUNIT_EXPECT_EQ(test, ref.missing, TCPK_A_RULE_ID);
	kfree_skb(skb);
}

/* Too small a message: -EMSGSIZE at every size, nothing left behind. */
static void tcpk_netlink_test_rule_too_small(struct kunit *test)
{
	struct tcpk_nl_refusal ref = {};
	struct sk_buff *in = test_skb(test);
	struct tcpk_rule_spec spec;
	struct nlattr *nest;
	unsigned int size, full;

	nest = put_full_rule(test, in);
	KUNIT_ASSERT_EQ(test, tcpk_nl_rule_parse(nest, 0, tcpk_rule_nl_policy,
						 &spec, &ref), 0);
	full = tcpk_nl_rule_size(&spec);
	for (size = 0; size < full; size += 4) {
		struct sk_buff *skb = test_skb(test);
		unsigned int used = skb_tailroom(skb) - size;

		skb_put(skb, used);
		KUNIT_EXPECT_EQ(test, tcpk_nl_rule_fill(skb, &spec, 1),
				-EMSGSIZE);
		KUNIT_EXPECT_EQ(test, skb->len, used);
		kfree_skb(skb);
	}
	kfree_skb(in);
}

/* A req nest with every attribute. */
static struct nlattr *put_full_req(struct kunit *test, struct sk_buff *skb)
{
	struct nlattr *nest = nla_nest_start(skb, TCPK_A_REQ);
	int err = 0;

	KUNIT_ASSERT_NOT_NULL(test, nest);
	err |= nla_put_u32(skb, TCPK_A_REQ_OP, TCPK_OP_PTRACE);
	err |= nla_put_u32(skb, TCPK_A_REQ_PID, 77);
	err |= nla_put_u32(skb, TCPK_A_REQ_UID, 1001);
	err |= nla_put_u32(skb, TCPK_A_REQ_GID, 1002);
	err |= nla_put_string(skb, TCPK_A_REQ_COMM, "gdb");
	err |= nla_put_string(skb, TCPK_A_REQ_EXE, "/usr/bin/gdb");
	err |= nla_put_string(skb, TCPK_A_REQ_PATH, "/proc/1/mem");
	err |= nla_put_u32(skb, TCPK_A_REQ_CAPABILITY, 19);
	err |= nla_put_u32(skb, TCPK_A_REQ_SYSCALL, 101);
	err |= nla_put_u32(skb, TCPK_A_REQ_DESC_FLAGS, BIT(TCPK_DESC_CRITICAL));
	err |= nla_put_u32(skb, TCPK_A_REQ_ANOMALY, 55);
	err |= nla_put_string(skb, TCPK_A_REQ_AGENT, "bot");
	err |= nla_put_string(skb, TCPK_A_REQ_WORKSPACE, "/home/bot/ws");
	err |= nla_put_u64_64bit(skb, TCPK_A_REQ_CGROUP, 0xabcdef, TCPK_A_REQ_PAD);
	err |= nla_put_u32(skb, TCPK_A_REQ_TARGET_PID, 1);
	err |= nla_put_u32(skb, TCPK_A_REQ_ACCESS, BIT(TCPK_ACCESS_READ));
	KUNIT_ASSERT_EQ(test, err, 0);
	nla_nest_end(skb, nest);
	return nest;
}

/* Every attribute of a request, and laying them over a live subject. */
static void tcpk_netlink_test_req(struct kunit *test)
{
	struct tcpk_nl_refusal ref = {};
	struct sk_buff *skb = test_skb(test);
	struct tcpk_request live = {
		.op = TCPK_OP_EXEC, .pid = 77, .uid = 1, .gid = 2, .comm = "x",
		.exe = "/x", .syscall = -1, .n_cgroups = 3, .session = 5,
		.agent = "other", .workspace = "/w",
	};
	struct tcpk_nl_req *r;
	struct nlattr *nest;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	nest = put_full_req(test, skb);
	KUNIT_ASSERT_EQ(test, tcpk_nl_req_parse(nest, tcpk_req_nl_policy, r,
						&ref), 0);
	KUNIT_EXPECT_EQ(test, r->given, GENMASK(TCPK_A_REQ_MAX, TCPK_A_REQ_OP));
	KUNIT_EXPECT_EQ(test, r->pid, 77);
	KUNIT_EXPECT_EQ(test, r->target_pid, 1);
	KUNIT_EXPECT_EQ(test, r->req.op, TCPK_OP_PTRACE);
	KUNIT_EXPECT_EQ(test, r->req.uid, 1001);
	KUNIT_EXPECT_EQ(test, r->req.gid, 1002);
	KUNIT_EXPECT_STREQ(test, r->req.comm, "gdb");
	KUNIT_EXPECT_STREQ(test, r->req.exe, "/usr/bin/gdb");
	KUNIT_EXPECT_STREQ(test, r->req.path, "/proc/1/mem");
	KUNIT_EXPECT_EQ(test, r->req.capability, 19);
	KUNIT_EXPECT_EQ(test, r->req.syscall, 101);
	KUNIT_EXPECT_EQ(test, r->req.desc_flags, BIT(TCPK_DESC_CRITICAL));
	KUNIT_EXPECT_EQ(test, r->req.anomaly, 55);
	KUNIT_EXPECT_STREQ(test, r->req.agent, "bot");
	KUNIT_EXPECT_STREQ(test, r->req.workspace, "/home/bot/ws");
	KUNIT_EXPECT_EQ(test, r->req.n_cgroups, 1);
	KUNIT_EXPECT_EQ(test, r->req.cgroups[0], 0xabcdef);
	KUNIT_EXPECT_EQ(test, r->req.access, BIT(TCPK_ACCESS_READ));

	/* Over a live subject: what was given wins, the rest stays. */
	tcpk_nl_req_apply(r, &live);
	KUNIT_EXPECT_EQ(test, live.op, TCPK_OP_PTRACE);
	KUNIT_EXPECT_EQ(test, live.pid, 77);
	KUNIT_EXPECT_EQ(test, live.uid, 1001);
	KUNIT_EXPECT_STREQ(test, live.comm, "gdb");
	KUNIT_EXPECT_STREQ(test, live.agent, "bot");
	KUNIT_EXPECT_EQ(test, live.session, 5);
	KUNIT_EXPECT_EQ(test, live.n_cgroups, 1);
	KUNIT_EXPECT_EQ(test, live.syscall, 101);
	kfree_skb(skb);
}

/* A request of an op only: the defaults, and nothing laid over a subject. */
static void tcpk_netlink_test_req_minimal(struct kunit *test)
{
	struct tcpk_nl_refusal ref = {};
	struct sk_buff *skb = test_skb(test);
	struct tcpk_request live = {
		.op = TCPK_OP_OPEN, .uid = 1, .comm = "x", .syscall = 2,
		.agent = "a", .n_cgroups = 2,
	};
	struct tcpk_nl_req r;
	struct nlattr *nest;

	nest = nla_nest_start(skb, TCPK_A_REQ);
	put_val(test, skb, TCPK_A_REQ_OP, V_U32, TCPK_OP_EXEC);
	nla_nest_end(skb, nest);
	KUNIT_ASSERT_EQ(test, tcpk_nl_req_parse(nest, tcpk_req_nl_policy, &r,
						&ref), 0);
	KUNIT_EXPECT_EQ(test, r.given, BIT(TCPK_A_REQ_OP));
	KUNIT_EXPECT_EQ(test, r.req.syscall, -1);
	KUNIT_EXPECT_STREQ(test, r.req.comm, "");
	KUNIT_EXPECT_NULL(test, r.req.path);
	KUNIT_EXPECT_NULL(test, r.req.agent);
	KUNIT_EXPECT_EQ(test, r.req.target, TCPK_SCOPE_ANY);
	KUNIT_EXPECT_EQ(test, r.pid, 0);

	tcpk_nl_req_apply(&r, &live);
	KUNIT_EXPECT_EQ(test, live.op, TCPK_OP_EXEC);
	KUNIT_EXPECT_EQ(test, live.uid, 1);
	KUNIT_EXPECT_STREQ(test, live.comm, "x");
	KUNIT_EXPECT_EQ(test, live.syscall, 2);
	KUNIT_EXPECT_STREQ(test, live.agent, "a");
	KUNIT_EXPECT_EQ(test, live.n_cgroups, 2);
	kfree_skb(skb);
}

/* Refusals of a req nest. */
static void tcpk_netlink_test_req_refuse(struct kunit *test)
{
	static const struct {
		u16 type;
		enum test_val how;
		u32 val;
		const char *str;
		const char *msg;
	} bad[] = {
		{ 0, V_U32, 0, NULL, "op: missing" },
		{ TCPK_A_REQ_UID, V_U32, 1, NULL, "uid: given more than once" },
		{ TCPK_A_REQ_COMM, V_STR, 0, NULL, "comm: empty" },
		{ TCPK_A_REQ_PATH, V_STR, 0, "tmp/x", "path: not absolute" },
		{ TCPK_A_REQ_WORKSPACE, V_STR, 0, "/ws/",
		  "workspace: not absolute, or a trailing slash" },
		{ TCPK_A_REQ_WORKSPACE, V_STR, 0, "ws",
		  "workspace: not absolute, or a trailing slash" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct tcpk_nl_refusal ref = {};
		struct sk_buff *skb = test_skb(test);
		struct nlattr *nest;
		struct tcpk_nl_req r;

		nest = nla_nest_start(skb, TCPK_A_REQ);
		if (bad[i].type)
			put_val(test, skb, TCPK_A_REQ_OP, V_U32, TCPK_OP_OPEN);
		if (bad[i].type == TCPK_A_REQ_UID)
			put_val(test, skb, TCPK_A_REQ_UID, V_U32, 1);
		if (bad[i].str)
			KUNIT_ASSERT_EQ(test, nla_put_string(skb, bad[i].type,
							     bad[i].str), 0);
		else if (bad[i].type)
			put_val(test, skb, bad[i].type, bad[i].how, bad[i].val);
		nla_nest_end(skb, nest);
		KUNIT_EXPECT_EQ(test, tcpk_nl_req_parse(nest, tcpk_req_nl_policy,
							&r, &ref), -EINVAL);
		KUNIT_EXPECT_STREQ(test, ref.msg, bad[i].msg);
		kfree_skb(skb);
	}
}

/* Reply policies, as a client reads the nests. */
static const struct nla_policy decision_policy[TCPK_A_DECISION_MAX + 1] = {
	[TCPK_A_DECISION_VERDICT] = { .type = NLA_U32 },
	[TCPK_A_DECISION_ACTION] = { .type = NLA_U32 },
	[TCPK_A_DECISION_RULE_ID] = { .type = NLA_U32 },
	[TCPK_A_DECISION_FLAGS] = { .type = NLA_U32 },
	[TCPK_A_DECISION_LEVEL] = { .type = NLA_U32 },
	[TCPK_A_DECISION_GENERATION] = { .type = NLA_U64 },
	[TCPK_A_DECISION_OP] = { .type = NLA_U32 },
	[TCPK_A_DECISION_PATH] = { .type = NLA_NUL_STRING },
	[TCPK_A_DECISION_TIME] = { .type = NLA_U64 },
	[TCPK_A_DECISION_REASON] = { .type = NLA_NUL_STRING },
};

static const struct nla_policy mode_policy[TCPK_A_MODE_MAX + 1] = {
	[TCPK_A_MODE_LEVEL] = { .type = NLA_U32 },
	[TCPK_A_MODE_ALERTS] = { .type = NLA_U8 },
	[TCPK_A_MODE_BLOCK_OPS] = { .type = NLA_U32 },
};

static const struct nla_policy behavior_policy[TCPK_A_BEHAVIOR_MAX + 1] = {
	[TCPK_A_BEHAVIOR_KIND] = { .type = NLA_U32 },
	[TCPK_A_BEHAVIOR_COUNT] = { .type = NLA_U64 },
	[TCPK_A_BEHAVIOR_BYTES] = { .type = NLA_U64 },
	[TCPK_A_BEHAVIOR_PATH] = { .type = NLA_NUL_STRING },
	[TCPK_A_BEHAVIOR_SCORE] = { .type = NLA_U32 },
	[TCPK_A_BEHAVIOR_WINDOW_MS] = { .type = NLA_U32 },
	[TCPK_A_BEHAVIOR_SIGNAL] = { .type = NLA_U32 },
};

static const struct nla_policy flow_policy[TCPK_A_FLOW_MAX + 1] = {
	[TCPK_A_FLOW_IFINDEX] = { .type = NLA_U32 },
	[TCPK_A_FLOW_FAMILY] = { .type = NLA_U8 },
	[TCPK_A_FLOW_SADDR] = { .type = NLA_BINARY, .len = 16 },
	[TCPK_A_FLOW_DADDR] = { .type = NLA_BINARY, .len = 16 },
	[TCPK_A_FLOW_SPORT] = { .type = NLA_U16 },
	[TCPK_A_FLOW_DPORT] = { .type = NLA_U16 },
	[TCPK_A_FLOW_PROTO] = { .type = NLA_U8 },
	[TCPK_A_FLOW_TCP_FLAGS] = { .type = NLA_U8 },
	[TCPK_A_FLOW_REASONS] = { .type = NLA_U32 },
	[TCPK_A_FLOW_NEW_REASONS] = { .type = NLA_U32 },
	[TCPK_A_FLOW_SCORE] = { .type = NLA_U32 },
	[TCPK_A_FLOW_PACKETS] = { .type = NLA_U64 },
	[TCPK_A_FLOW_BYTES] = { .type = NLA_U64 },
	[TCPK_A_FLOW_DROPPED] = { .type = NLA_U64 },
};

static const struct nla_policy event_policy[TCPK_A_EVENT_MAX + 1] = {
	[TCPK_A_EVENT_TYPE] = { .type = NLA_U32 },
	[TCPK_A_EVENT_SEQ] = { .type = NLA_U64 },
	[TCPK_A_EVENT_DROPPED] = { .type = NLA_U64 },
	[TCPK_A_EVENT_TIME] = { .type = NLA_U64 },
	[TCPK_A_EVENT_PID] = { .type = NLA_U32 },
	[TCPK_A_EVENT_UID] = { .type = NLA_U32 },
	[TCPK_A_EVENT_COMM] = { .type = NLA_NUL_STRING },
	[TCPK_A_EVENT_AGENT] = { .type = NLA_NUL_STRING },
	[TCPK_A_EVENT_DECISION] = NLA_POLICY_NESTED(decision_policy),
	[TCPK_A_EVENT_GENERATION] = { .type = NLA_U64 },
	[TCPK_A_EVENT_RULES] = { .type = NLA_U32 },
	[TCPK_A_EVENT_MODE] = NLA_POLICY_NESTED(mode_policy),
	[TCPK_A_EVENT_BEHAVIOR] = NLA_POLICY_NESTED(behavior_policy),
	[TCPK_A_EVENT_FLOW] = NLA_POLICY_NESTED(flow_policy),
};

/* A decision, encoded with and without its context, read back. */
static void tcpk_netlink_test_decision(struct kunit *test)
{
	struct tcpk_decision d = {
		.verdict = TCPK_VERDICT_DENY, .action = TCPK_ACTION_DENY,
		.rule_id = 2, .flags = BIT(TCPK_DECISION_F_MATCHED),
		.level = TCPK_LEVEL_ENFORCE, .generation = 0x100000001ULL,
	};
	struct tcpk_nl_decision nd = {
		.d = &d, .op = TCPK_OP_UNLINK, .context = true,
		.path = "/etc/passwd", .time = 123456789,
	};
	struct nlattr *tb[TCPK_A_DECISION_MAX + 1];
	struct sk_buff *skb;
	struct nlattr *nest;

	skb = test_skb(test);
	nest = (struct nlattr *)skb->data;
	KUNIT_ASSERT_EQ(test, tcpk_nl_decision_fill(skb, TCPK_A_DECISION, &nd), 0);
	KUNIT_EXPECT_LE(test, skb->len, tcpk_nl_decision_size(&nd));
	KUNIT_EXPECT_EQ(test, nla_type(nest), TCPK_A_DECISION);
	KUNIT_ASSERT_EQ(test, nla_parse_nested(tb, TCPK_A_DECISION_MAX, nest,
					       decision_policy, NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_DECISION_VERDICT]),
			TCPK_VERDICT_DENY);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_DECISION_ACTION]),
			TCPK_ACTION_DENY);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_DECISION_RULE_ID]), 2);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_DECISION_FLAGS]),
			BIT(TCPK_DECISION_F_MATCHED));
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_DECISION_LEVEL]),
			TCPK_LEVEL_ENFORCE);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[TCPK_A_DECISION_GENERATION]),
			0x100000001ULL);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_DECISION_OP]),
			TCPK_OP_UNLINK);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[TCPK_A_DECISION_PATH]),
			   "/etc/passwd");
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[TCPK_A_DECISION_TIME]), 123456789);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[TCPK_A_DECISION_REASON]),
			   "rule 2 (deny)");
	kfree_skb(skb);

	/* A what-if reply: no operation, path or time. */
	nd.context = false;
	skb = test_skb(test);
	nest = (struct nlattr *)skb->data;
	KUNIT_ASSERT_EQ(test, tcpk_nl_decision_fill(skb, TCPK_A_DECISION, &nd), 0);
	KUNIT_EXPECT_LE(test, skb->len, tcpk_nl_decision_size(&nd));
	KUNIT_ASSERT_EQ(test, nla_parse_nested(tb, TCPK_A_DECISION_MAX, nest,
					       decision_policy, NULL), 0);
	KUNIT_EXPECT_NULL(test, tb[TCPK_A_DECISION_OP]);
	KUNIT_EXPECT_NULL(test, tb[TCPK_A_DECISION_PATH]);
	KUNIT_EXPECT_NULL(test, tb[TCPK_A_DECISION_TIME]);
	KUNIT_EXPECT_NOT_NULL(test, tb[TCPK_A_DECISION_REASON]);
	kfree_skb(skb);
}

struct reason_case {
	const char *name;
	struct tcpk_decision d;
	u32 op;
	const char *reason;
};

static const struct reason_case reason_cases[] = {
	{ "a rule", { .rule_id = 2, .action = TCPK_ACTION_DENY,
		      .level = TCPK_LEVEL_ENFORCE,
		      .flags = BIT(TCPK_DECISION_F_MATCHED) },
	  TCPK_OP_EXEC, "rule 2 (deny)" },
	{ "the default", { .level = TCPK_LEVEL_ENFORCE,
			   .action = TCPK_ACTION_ALLOW },
	  TCPK_OP_EXEC, "default of level 2" },
	{ "the fast path", { .level = TCPK_LEVEL_MONITOR,
			     .action = TCPK_ACTION_ALLOW,
			     .flags = BIT(TCPK_DECISION_F_FAST_PATH) },
	  TCPK_OP_EXEC, "fast path: no rule for exec" },
	{ "level 0", { .level = TCPK_LEVEL_OFF }, TCPK_OP_OPEN,
	  "level 0: nothing is decided" },
	{ "quarantined", { .level = TCPK_LEVEL_ENFORCE,
			   .verdict = TCPK_VERDICT_DENY,
			   .flags = BIT(TCPK_DECISION_F_QUARANTINED) },
	  TCPK_OP_OPEN, "quarantined earlier" },
	{ "violations", { .level = TCPK_LEVEL_ENFORCE,
			  .verdict = TCPK_VERDICT_DENY,
			  .flags = BIT(TCPK_DECISION_F_VIOLATIONS) },
	  TCPK_OP_EXEC, "too many violations: destructive operations refused" },
	{ "would deny", { .rule_id = 7, .action = TCPK_ACTION_KILL,
			  .level = TCPK_LEVEL_MONITOR,
			  .flags = BIT(TCPK_DECISION_F_MATCHED) |
				   BIT(TCPK_DECISION_F_WOULD_DENY) },
	  TCPK_OP_UNLINK, "rule 7 (kill); would deny: unlink not enforced" },
	{ "kill", { .rule_id = 4294967295U, .action = TCPK_ACTION_KILL,
		    .level = TCPK_LEVEL_PARANOID, .verdict = TCPK_VERDICT_DENY,
		    .flags = BIT(TCPK_DECISION_F_MATCHED) |
			     BIT(TCPK_DECISION_F_KILL) },
	  TCPK_OP_PERMISSION, "rule 4294967295 (kill); kill" },
	{ "quarantine", { .rule_id = 1, .action = TCPK_ACTION_QUARANTINE,
			  .level = TCPK_LEVEL_ENFORCE,
			  .verdict = TCPK_VERDICT_DENY,
			  .flags = BIT(TCPK_DECISION_F_MATCHED) |
				   BIT(TCPK_DECISION_F_QUARANTINE) },
	  TCPK_OP_CONNECT, "rule 1 (quarantine); quarantine" },
};

static void reason_case_desc(const struct reason_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(reason, reason_cases, reason_case_desc);

/* The reason text of each kind of decision; it never overflows. */
static void tcpk_netlink_test_reason(struct kunit *test)
{
	const struct reason_case *c = test->param_value;
	char buf[TCPK_NL_REASON_LEN], small[12];

	tcpk_nl_decision_reason(&c->d, c->op, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, c->reason);
	tcpk_nl_decision_reason(&c->d, c->op, small, sizeof(small));
	KUNIT_EXPECT_EQ(test, strncmp(small, c->reason, sizeof(small) - 1), 0);
	KUNIT_EXPECT_LT(test, strlen(small), sizeof(small));
}

/* AGENT_START's nest, and the reply's. */
static void tcpk_netlink_test_agent(struct kunit *test)
{
	static const struct nla_policy agent_policy[TCPK_A_AGENT_MAX + 1] = {
		[TCPK_A_AGENT_NAME] = { .type = NLA_NUL_STRING },
		[TCPK_A_AGENT_WORKSPACE] = { .type = NLA_NUL_STRING },
		[TCPK_A_AGENT_SESSION] = { .type = NLA_U64 },
		[TCPK_A_AGENT_PID] = { .type = NLA_U32 },
		[TCPK_A_AGENT_COMM] = { .type = NLA_NUL_STRING },
	};
	struct nlattr *tb[TCPK_A_AGENT_MAX + 1];
	struct tcpk_nl_refusal ref = {};
	const char *name, *ws;
	struct sk_buff *skb;
	struct nlattr *nest;

	skb = test_skb(test);
	nest = nla_nest_start(skb, TCPK_A_AGENT);
	KUNIT_ASSERT_EQ(test, nla_put_string(skb, TCPK_A_AGENT_NAME, "demo"), 0);
	KUNIT_ASSERT_EQ(test, nla_put_string(skb, TCPK_A_AGENT_WORKSPACE,
					     "/srv/ws"), 0);
	nla_nest_end(skb, nest);
	KUNIT_ASSERT_EQ(test, tcpk_nl_agent_parse(nest, tcpk_agent_nl_policy,
						  &name, &ws, &ref), 0);
	KUNIT_EXPECT_STREQ(test, name, "demo");
	KUNIT_EXPECT_STREQ(test, ws, "/srv/ws");
	kfree_skb(skb);

	/* Name only; then the refusals. */
	skb = test_skb(test);
	nest = nla_nest_start(skb, TCPK_A_AGENT);
	KUNIT_ASSERT_EQ(test, nla_put_string(skb, TCPK_A_AGENT_NAME, "d"), 0);
	nla_nest_end(skb, nest);
	KUNIT_ASSERT_EQ(test, tcpk_nl_agent_parse(nest, tcpk_agent_nl_policy,
						  &name, &ws, &ref), 0);
	KUNIT_EXPECT_NULL(test, ws);
	kfree_skb(skb);

	skb = test_skb(test);
	nest = nla_nest_start(skb, TCPK_A_AGENT);
	KUNIT_ASSERT_EQ(test, nla_put_string(skb, TCPK_A_AGENT_WORKSPACE, "/w"),
			0);
	nla_nest_end(skb, nest);
	KUNIT_EXPECT_EQ(test, tcpk_nl_agent_parse(nest, tcpk_agent_nl_policy,
						  &name, &ws, &ref), -EINVAL);
	KUNIT_EXPECT_STREQ(test, ref.msg, "name: missing");
	KUNIT_EXPECT_EQ(test, ref.missing, TCPK_A_AGENT_NAME);
	kfree_skb(skb);

	skb = test_skb(test);
	nest = nla_nest_start(skb, TCPK_A_AGENT);
	KUNIT_ASSERT_EQ(test, nla_put_string(skb, TCPK_A_AGENT_NAME, "d"), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u32(skb, TCPK_A_AGENT_PID, 1), 0);
	nla_nest_end(skb, nest);
	KUNIT_EXPECT_EQ(test, tcpk_nl_agent_parse(nest, tcpk_agent_nl_policy,
						  &name, &ws, &ref), -EINVAL);
	KUNIT_EXPECT_STREQ(test, ref.msg, "pid: only in replies");
	kfree_skb(skb);

	skb = test_skb(test);
	nest = nla_nest_start(skb, TCPK_A_AGENT);
	KUNIT_ASSERT_EQ(test, nla_put_string(skb, TCPK_A_AGENT_NAME, "d"), 0);
	KUNIT_ASSERT_EQ(test, nla_put_string(skb, TCPK_A_AGENT_WORKSPACE, "ws"),
			0);
	nla_nest_end(skb, nest);
	KUNIT_EXPECT_EQ(test, tcpk_nl_agent_parse(nest, tcpk_agent_nl_policy,
						  &name, &ws, &ref), -EINVAL);
	KUNIT_EXPECT_STREQ(test, ref.msg, "workspace: not absolute");
	kfree_skb(skb);

	skb = test_skb(test);
	nest = (struct nlattr *)skb->data;
	KUNIT_ASSERT_EQ(test, tcpk_nl_agent_fill(skb, 4321, "bash", "demo",
						 "/srv/ws", 0x1122334455ULL), 0);
	KUNIT_EXPECT_EQ(test, skb->len,
			tcpk_nl_agent_size("bash", "demo", "/srv/ws"));
	KUNIT_ASSERT_EQ(test, nla_parse_nested(tb, TCPK_A_AGENT_MAX, nest,
					       agent_policy, NULL), 0);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[TCPK_A_AGENT_NAME]), "demo");
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[TCPK_A_AGENT_WORKSPACE]),
			   "/srv/ws");
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[TCPK_A_AGENT_SESSION]),
			0x1122334455ULL);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_AGENT_PID]), 4321);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[TCPK_A_AGENT_COMM]), "bash");
	kfree_skb(skb);
}

/* MODE_SET sets what it is given only; the mode nest reads back. */
static void tcpk_netlink_test_mode(struct kunit *test)
{
	struct tcpk_mode mode = { .level = 1, .alerts = false, .block_ops = 3 };
	struct nlattr *tb[TCPK_A_MODE_MAX + 1];
	bool lvl, alerts, ops;
	struct tcpk_nl_refusal ref = {};
	struct sk_buff *skb;
	struct nlattr *nest;

	skb = test_skb(test);
	nest = nla_nest_start(skb, TCPK_A_MODE);
	KUNIT_ASSERT_EQ(test, nla_put_u8(skb, TCPK_A_MODE_ALERTS, 1), 0);
	nla_nest_end(skb, nest);
	KUNIT_ASSERT_EQ(test, tcpk_nl_mode_parse(nest, tcpk_mode_nl_policy,
						 &mode, &lvl, &alerts, &ops,
						 &ref), 0);
	KUNIT_EXPECT_FALSE(test, lvl);
	KUNIT_EXPECT_TRUE(test, alerts);
	KUNIT_EXPECT_FALSE(test, ops);
	KUNIT_EXPECT_EQ(test, mode.level, 1);
	KUNIT_EXPECT_TRUE(test, mode.alerts);
	KUNIT_EXPECT_EQ(test, mode.block_ops, 3);
	kfree_skb(skb);

	skb = test_skb(test);
	nest = nla_nest_start(skb, TCPK_A_MODE);
	KUNIT_ASSERT_EQ(test, nla_put_u32(skb, TCPK_A_MODE_LEVEL, 2), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u32(skb, TCPK_A_MODE_BLOCK_OPS,
					  TCPK_OPS_ALL), 0);
	nla_nest_end(skb, nest);
	KUNIT_ASSERT_EQ(test, tcpk_nl_mode_parse(nest, tcpk_mode_nl_policy,
						 &mode, &lvl, &alerts, &ops,
						 &ref), 0);
	KUNIT_EXPECT_TRUE(test, lvl && ops && !alerts);
	KUNIT_EXPECT_EQ(test, mode.level, 2);
	KUNIT_EXPECT_EQ(test, mode.block_ops, TCPK_OPS_ALL);
	kfree_skb(skb);

	skb = test_skb(test);
	nest = nla_nest_start(skb, TCPK_A_MODE);
	nla_nest_end(skb, nest);
	KUNIT_EXPECT_EQ(test, tcpk_nl_mode_parse(nest, tcpk_mode_nl_policy,
						 &mode, &lvl, &alerts, &ops,
						 &ref), -EINVAL);
	KUNIT_EXPECT_STREQ(test, ref.msg,
			   "mode: nothing to set (level, alerts or block_ops)");
	kfree_skb(skb);

	skb = test_skb(test);
	nest = (struct nlattr *)skb->data;
	KUNIT_ASSERT_EQ(test, tcpk_nl_mode_fill(skb, TCPK_A_MODE, &mode), 0);
	KUNIT_EXPECT_EQ(test, skb->len, tcpk_nl_mode_size());
	KUNIT_ASSERT_EQ(test, nla_parse_nested(tb, TCPK_A_MODE_MAX, nest,
					       mode_policy, NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_MODE_LEVEL]), 2);
	KUNIT_EXPECT_EQ(test, nla_get_u8(tb[TCPK_A_MODE_ALERTS]), 1);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_MODE_BLOCK_OPS]),
			TCPK_OPS_ALL);
	kfree_skb(skb);
}

/* Encode @ev, check its size and parse it back into @tb. */
static struct sk_buff *event_roundtrip(struct kunit *test,
				       const struct tcpk_event *ev,
				       struct nlattr **tb)
{
	struct sk_buff *skb = test_skb(test);
	struct nlattr *nest = (struct nlattr *)skb->data;

	KUNIT_ASSERT_EQ(test, tcpk_nl_event_fill(skb, ev, 5), 0);
	KUNIT_EXPECT_LE(test, skb->len, tcpk_nl_event_size(ev));
	KUNIT_EXPECT_EQ(test, nla_type(nest), TCPK_A_EVENT);
	KUNIT_ASSERT_EQ(test, nla_parse_nested(tb, TCPK_A_EVENT_MAX, nest,
					       event_policy, NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_EVENT_TYPE]), ev->type);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[TCPK_A_EVENT_SEQ]), ev->seq);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[TCPK_A_EVENT_DROPPED]), 5);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[TCPK_A_EVENT_TIME]), ev->time);
	return skb;
}

/* Each type of event, encoded and read back as a listener reads it. */
static void tcpk_netlink_test_event(struct kunit *test)
{
	struct nlattr *tb[TCPK_A_EVENT_MAX + 1];
	struct nlattr *dtb[TCPK_A_DECISION_MAX + 1];
	struct tcpk_event *ev;
	struct sk_buff *skb;

	ev = kunit_kzalloc(test, sizeof(*ev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	ev->type = TCPK_EVENT_DECISION;
	ev->seq = 17;
	ev->time = 999;
	ev->pid = 4242;
	ev->uid = 1000;
	ev->op = TCPK_OP_EXEC;
	ev->d.verdict = TCPK_VERDICT_DENY;
	ev->d.action = TCPK_ACTION_DENY;
	ev->d.rule_id = 3;
	ev->d.flags = BIT(TCPK_DECISION_F_MATCHED);
	ev->d.level = TCPK_LEVEL_ENFORCE;
	strscpy(ev->comm, "sh", sizeof(ev->comm));
	strscpy(ev->agent, "demo", sizeof(ev->agent));
	memset(ev->path, 'p', sizeof(ev->path) - 1);
	ev->path[0] = '/';
	skb = event_roundtrip(test, ev, tb);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_EVENT_PID]), 4242);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_EVENT_UID]), 1000);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[TCPK_A_EVENT_COMM]), "sh");
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[TCPK_A_EVENT_AGENT]), "demo");
	KUNIT_ASSERT_NOT_NULL(test, tb[TCPK_A_EVENT_DECISION]);
	KUNIT_ASSERT_EQ(test, nla_parse_nested(dtb, TCPK_A_DECISION_MAX,
					       tb[TCPK_A_EVENT_DECISION],
					       decision_policy, NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u32(dtb[TCPK_A_DECISION_RULE_ID]), 3);
	KUNIT_EXPECT_EQ(test, nla_get_u32(dtb[TCPK_A_DECISION_OP]), TCPK_OP_EXEC);
	KUNIT_EXPECT_EQ(test, nla_get_u64(dtb[TCPK_A_DECISION_TIME]), 999);
	KUNIT_EXPECT_EQ(test, strlen(nla_data(dtb[TCPK_A_DECISION_PATH])),
			TCPK_EVENT_PATH_LEN - 1);
	KUNIT_EXPECT_NULL(test, tb[TCPK_A_EVENT_GENERATION]);
	KUNIT_EXPECT_NULL(test, tb[TCPK_A_EVENT_MODE]);
	kfree_skb(skb);

	/* An unlabelled subject has no agent attribute. */
	ev->agent[0] = 0;
	ev->path[0] = 0;
	skb = event_roundtrip(test, ev, tb);
	KUNIT_EXPECT_NULL(test, tb[TCPK_A_EVENT_AGENT]);
	KUNIT_ASSERT_EQ(test, nla_parse_nested(dtb, TCPK_A_DECISION_MAX,
					       tb[TCPK_A_EVENT_DECISION],
					       decision_policy, NULL), 0);
	KUNIT_EXPECT_NULL(test, dtb[TCPK_A_DECISION_PATH]);
	kfree_skb(skb);

	memset(ev, 0, sizeof(*ev));
	ev->type = TCPK_EVENT_POLICY;
	ev->seq = 18;
	ev->generation = 0x200000003ULL;
	ev->rules = 12;
	skb = event_roundtrip(test, ev, tb);
	KUNIT_EXPECT_EQ(test, skb->len, tcpk_nl_event_size(ev));
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[TCPK_A_EVENT_GENERATION]),
			0x200000003ULL);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_EVENT_RULES]), 12);
	KUNIT_EXPECT_NULL(test, tb[TCPK_A_EVENT_DECISION]);
	KUNIT_EXPECT_NULL(test, tb[TCPK_A_EVENT_PID]);
	kfree_skb(skb);

	memset(ev, 0, sizeof(*ev));
	ev->type = TCPK_EVENT_MODE;
	ev->mode.level = TCPK_LEVEL_PARANOID;
	ev->mode.alerts = true;
	ev->mode.block_ops = BIT(TCPK_OP_UNLINK);
	skb = event_roundtrip(test, ev, tb);
	KUNIT_EXPECT_EQ(test, skb->len, tcpk_nl_event_size(ev));
	KUNIT_ASSERT_NOT_NULL(test, tb[TCPK_A_EVENT_MODE]);
	{
		struct nlattr *mtb[TCPK_A_MODE_MAX + 1];

		KUNIT_ASSERT_EQ(test, nla_parse_nested(mtb, TCPK_A_MODE_MAX,
						       tb[TCPK_A_EVENT_MODE],
						       mode_policy, NULL), 0);
		KUNIT_EXPECT_EQ(test, nla_get_u32(mtb[TCPK_A_MODE_LEVEL]),
				TCPK_LEVEL_PARANOID);
		KUNIT_EXPECT_EQ(test, nla_get_u8(mtb[TCPK_A_MODE_ALERTS]), 1);
		KUNIT_EXPECT_EQ(test, nla_get_u32(mtb[TCPK_A_MODE_BLOCK_OPS]),
				BIT(TCPK_OP_UNLINK));
	}
	kfree_skb(skb);

	memset(ev, 0, sizeof(*ev));
	ev->type = TCPK_EVENT_AGENT_START;
	ev->pid = 99;
	strscpy(ev->comm, "tcp-policy", sizeof(ev->comm));
	strscpy(ev->agent, "demo", sizeof(ev->agent));
	skb = event_roundtrip(test, ev, tb);
	KUNIT_EXPECT_EQ(test, skb->len, tcpk_nl_event_size(ev));
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_EVENT_PID]), 99);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[TCPK_A_EVENT_COMM]),
			   "tcp-policy");
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[TCPK_A_EVENT_AGENT]), "demo");
	kfree_skb(skb);
}

/* A behaviour event: the subject and what it did, the path only if any. */
static void tcpk_netlink_test_event_behavior(struct kunit *test)
{
	struct nlattr *tb[TCPK_A_EVENT_MAX + 1];
	struct nlattr *bt[TCPK_A_BEHAVIOR_MAX + 1];
	struct tcpk_event *ev;
	struct sk_buff *skb;

	ev = kunit_kzalloc(test, sizeof(*ev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	ev->type = TCPK_EVENT_BEHAVIOR;
	ev->seq = 7;
	ev->pid = 42;
	ev->behavior = TCPK_BEHAVIOR_LARGE_WRITE;
	ev->count = 1;
	ev->bytes = 3ULL << 32;
	ev->score = 1000;
	strscpy(ev->comm, "dd", sizeof(ev->comm));
	strscpy(ev->path, "/tmp/big", sizeof(ev->path));
	skb = event_roundtrip(test, ev, tb);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_EVENT_PID]), 42);
	KUNIT_EXPECT_NULL(test, tb[TCPK_A_EVENT_AGENT]);
	KUNIT_ASSERT_NOT_NULL(test, tb[TCPK_A_EVENT_BEHAVIOR]);
	KUNIT_ASSERT_EQ(test, nla_parse_nested(bt, TCPK_A_BEHAVIOR_MAX,
					       tb[TCPK_A_EVENT_BEHAVIOR],
					       behavior_policy, NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u32(bt[TCPK_A_BEHAVIOR_KIND]),
			TCPK_BEHAVIOR_LARGE_WRITE);
	KUNIT_EXPECT_EQ(test, nla_get_u64(bt[TCPK_A_BEHAVIOR_BYTES]),
			3ULL << 32);
	KUNIT_EXPECT_EQ(test, nla_get_u32(bt[TCPK_A_BEHAVIOR_SCORE]), 1000);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(bt[TCPK_A_BEHAVIOR_PATH]),
			   "/tmp/big");
	kfree_skb(skb);

	/* A burst has no path. */
	ev->behavior = TCPK_BEHAVIOR_FAIL_BURST;
	ev->path[0] = '\0';
	ev->window_ms = 1000;
	ev->count = 64;
	skb = event_roundtrip(test, ev, tb);
	KUNIT_ASSERT_EQ(test, nla_parse_nested(bt, TCPK_A_BEHAVIOR_MAX,
					       tb[TCPK_A_EVENT_BEHAVIOR],
					       behavior_policy, NULL), 0);
	KUNIT_EXPECT_NULL(test, bt[TCPK_A_BEHAVIOR_PATH]);
	KUNIT_EXPECT_EQ(test, nla_get_u32(bt[TCPK_A_BEHAVIOR_WINDOW_MS]), 1000);
	KUNIT_EXPECT_EQ(test, nla_get_u64(bt[TCPK_A_BEHAVIOR_COUNT]), 64);
	KUNIT_EXPECT_NULL(test, bt[TCPK_A_BEHAVIOR_SIGNAL]);
	kfree_skb(skb);

	/* A hardware monitor's event names its signal. */
	ev->behavior = TCPK_BEHAVIOR_HWMON;
	ev->signal = TCPK_HWMON_SIGNAL_LOW_IPC;
	ev->window_ms = 0;
	ev->count = 2;
	skb = event_roundtrip(test, ev, tb);
	KUNIT_ASSERT_EQ(test, nla_parse_nested(bt, TCPK_A_BEHAVIOR_MAX,
					       tb[TCPK_A_EVENT_BEHAVIOR],
					       behavior_policy, NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u32(bt[TCPK_A_BEHAVIOR_KIND]),
			TCPK_BEHAVIOR_HWMON);
	KUNIT_ASSERT_NOT_NULL(test, bt[TCPK_A_BEHAVIOR_SIGNAL]);
	KUNIT_EXPECT_EQ(test, nla_get_u32(bt[TCPK_A_BEHAVIOR_SIGNAL]),
			TCPK_HWMON_SIGNAL_LOW_IPC);
	KUNIT_EXPECT_EQ(test, nla_get_u64(bt[TCPK_A_BEHAVIOR_COUNT]), 2);
	kfree_skb(skb);
}

/*
 * A flow event: no subject; IPv4 addresses leave the mapping behind and
 * ports come out in host order; an IPv6 flow keeps all 16 bytes.
 */
static void tcpk_netlink_test_event_flow(struct kunit *test)
{
	static const u8 v4_src[16] = { [10] = 0xff, [11] = 0xff,
				       10, 99, 0, 3 };
	static const u8 v6_src[16] = { 0xfd, 0x99, [15] = 4 };
	struct nlattr *tb[TCPK_A_EVENT_MAX + 1];
	struct nlattr *ft[TCPK_A_FLOW_MAX + 1];
	static const u8 want[4] = { 10, 99, 0, 3 };
	struct tcpk_xdp_flow_report *r;
	struct tcpk_event *ev;
	struct sk_buff *skb;

	ev = kunit_kzalloc(test, sizeof(*ev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	ev->type = TCPK_EVENT_FLOW;
	ev->seq = 9;
	r = &ev->flow;
	memcpy(r->key.saddr, v4_src, 16);
	memcpy(r->key.daddr, v4_src, 16);
	r->key.daddr[15] = 1;
	r->key.sport = (__force __u16)cpu_to_be16(40000);
	r->key.dport = (__force __u16)cpu_to_be16(8080);
	r->key.proto = IPPROTO_TCP;
	r->flow.family = 4;
	r->flow.ifindex = 3;
	r->flow.tcp_flags = TCPK_XDP_TCP_SYN | TCPK_XDP_TCP_FIN;
	r->flow.reasons = TCPK_FLOW_INVALID_FLAGS | TCPK_FLOW_DROPPING;
	r->new_reasons = TCPK_FLOW_DROPPING;
	r->flow.score = 100;
	r->flow.packets = 6;
	r->flow.bytes = 1ULL << 33;
	r->flow.dropped = 5;

	skb = event_roundtrip(test, ev, tb);
	KUNIT_EXPECT_NULL(test, tb[TCPK_A_EVENT_PID]);
	KUNIT_EXPECT_NULL(test, tb[TCPK_A_EVENT_COMM]);
	KUNIT_ASSERT_NOT_NULL(test, tb[TCPK_A_EVENT_FLOW]);
	KUNIT_ASSERT_EQ(test, nla_parse_nested(ft, TCPK_A_FLOW_MAX,
					       tb[TCPK_A_EVENT_FLOW],
					       flow_policy, NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u8(ft[TCPK_A_FLOW_FAMILY]), AF_INET);
	KUNIT_ASSERT_EQ(test, nla_len(ft[TCPK_A_FLOW_SADDR]), 4);
	KUNIT_EXPECT_EQ(test, memcmp(nla_data(ft[TCPK_A_FLOW_SADDR]), want, 4), 0);
	KUNIT_EXPECT_EQ(test, ((u8 *)nla_data(ft[TCPK_A_FLOW_DADDR]))[3], 1);
	KUNIT_EXPECT_EQ(test, nla_get_u16(ft[TCPK_A_FLOW_SPORT]), 40000);
	KUNIT_EXPECT_EQ(test, nla_get_u16(ft[TCPK_A_FLOW_DPORT]), 8080);
	KUNIT_EXPECT_EQ(test, nla_get_u8(ft[TCPK_A_FLOW_PROTO]), IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, nla_get_u8(ft[TCPK_A_FLOW_TCP_FLAGS]), 0x03);
	KUNIT_EXPECT_EQ(test, nla_get_u32(ft[TCPK_A_FLOW_REASONS]),
			TCPK_FLOW_INVALID_FLAGS | TCPK_FLOW_DROPPING);
	KUNIT_EXPECT_EQ(test, nla_get_u32(ft[TCPK_A_FLOW_NEW_REASONS]),
			TCPK_FLOW_DROPPING);
	KUNIT_EXPECT_EQ(test, nla_get_u32(ft[TCPK_A_FLOW_SCORE]), 100);
	KUNIT_EXPECT_EQ(test, nla_get_u32(ft[TCPK_A_FLOW_IFINDEX]), 3);
	KUNIT_EXPECT_EQ(test, nla_get_u64(ft[TCPK_A_FLOW_PACKETS]), 6);
	KUNIT_EXPECT_EQ(test, nla_get_u64(ft[TCPK_A_FLOW_BYTES]), 1ULL << 33);
	KUNIT_EXPECT_EQ(test, nla_get_u64(ft[TCPK_A_FLOW_DROPPED]), 5);
	kfree_skb(skb);

	/* IPv6: 16-byte addresses, AF_INET6. */
	memcpy(r->key.saddr, v6_src, 16);
	r->flow.family = 6;
	skb = event_roundtrip(test, ev, tb);
	KUNIT_ASSERT_EQ(test, nla_parse_nested(ft, TCPK_A_FLOW_MAX,
					       tb[TCPK_A_EVENT_FLOW],
					       flow_policy, NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u8(ft[TCPK_A_FLOW_FAMILY]), AF_INET6);
	KUNIT_ASSERT_EQ(test, nla_len(ft[TCPK_A_FLOW_SADDR]), 16);
	KUNIT_EXPECT_EQ(test, memcmp(nla_data(ft[TCPK_A_FLOW_SADDR]), v6_src, 16), 0);
	kfree_skb(skb);
}

/* A tracked process reads back; the agent only when it has one. */
static void tcpk_netlink_test_proc(struct kunit *test)
{
	static const struct nla_policy proc_policy[TCPK_A_PROC_MAX + 1] = {
		[TCPK_A_PROC_PID] = { .type = NLA_U32 },
		[TCPK_A_PROC_COMM] = { .type = NLA_NUL_STRING },
		[TCPK_A_PROC_AGENT] = { .type = NLA_NUL_STRING },
		[TCPK_A_PROC_SESSION] = { .type = NLA_U64 },
		[TCPK_A_PROC_QUARANTINED] = { .type = NLA_U8 },
		[TCPK_A_PROC_SCORE] = { .type = NLA_U32 },
		[TCPK_A_PROC_SYSCALLS] = { .type = NLA_U64 },
		[TCPK_A_PROC_FAILURES] = { .type = NLA_U64 },
		[TCPK_A_PROC_FAIL_BURSTS] = { .type = NLA_U64 },
		[TCPK_A_PROC_CTXSW] = { .type = NLA_U64 },
		[TCPK_A_PROC_BYTES_SENT] = { .type = NLA_U64 },
		[TCPK_A_PROC_SENDS] = { .type = NLA_U64 },
		[TCPK_A_PROC_LARGE_WRITES] = { .type = NLA_U64 },
		[TCPK_A_PROC_LARGE_WRITE_BYTES] = { .type = NLA_U64 },
		[TCPK_A_PROC_WX] = { .type = NLA_U64 },
		[TCPK_A_PROC_SYSCALL_RATE] = { .type = NLA_U32 },
		[TCPK_A_PROC_CTXSW_RATE] = { .type = NLA_U32 },
		[TCPK_A_PROC_SENT_RATE] = { .type = NLA_U32 },
		[TCPK_A_PROC_VIOLATIONS] = { .type = NLA_U64 },
		[TCPK_A_PROC_PATTERNS] = { .type = NLA_U64 },
		[TCPK_A_PROC_PROFILE] = { .type = NLA_NUL_STRING },
		[TCPK_A_PROC_LFC] = { .type = NLA_U32 },
		[TCPK_A_PROC_LFC_PEAK] = { .type = NLA_U32 },
		[TCPK_A_PROC_TRIGRAMS] = { .type = NLA_U64 },
		[TCPK_A_PROC_NOVEL] = { .type = NLA_U64 },
		[TCPK_A_PROC_CLASSES] = NLA_POLICY_EXACT_LEN(__TCPK_SC_MAX * sizeof(u64)),
		[TCPK_A_PROC_TOP_SYSCALLS] = { .type = NLA_BINARY },
		[TCPK_A_PROC_FILEOPS] = { .type = NLA_U64 },
		[TCPK_A_PROC_FILEOP_RATE] = { .type = NLA_U32 },
		[TCPK_A_PROC_MODEL_PEAK] = { .type = NLA_U32 },
	};
	struct tcpk_proc_info info = {
		.pid = 77, .comm = "python3", .agent = "demo", .session = 3,
		.quarantined = true, .violations = 17, .profile = "/usr/bin/x",
		.feat = { .score = 400, .fail_bursts = 2, .bytes_sent = 1ULL << 40,
			  .wx = 1, .ctxsw_rate = 9, .patterns = 5, .lfc = 7,
			  .lfc_peak = 30, .classes = { [TCPK_SC_NET] = 11 },
			  .top = { .count = { 3, 0, 9, 0 }, .nr = { 42, 0, 0, 0 } },
			  .fileop_rate = 12, .model_peak = 880 },
	};
	const u32 *top;
	struct nlattr *tb[TCPK_A_PROC_MAX + 1];
	struct sk_buff *skb;
	struct nlattr *nest;

	skb = test_skb(test);
	nest = (struct nlattr *)skb->data;
	KUNIT_ASSERT_EQ(test, tcpk_nl_proc_fill(skb, &info), 0);
	KUNIT_EXPECT_LE(test, skb->len, tcpk_nl_proc_size());
	KUNIT_EXPECT_EQ(test, nla_type(nest), TCPK_A_PROC);
	KUNIT_ASSERT_EQ(test, nla_parse_nested(tb, TCPK_A_PROC_MAX, nest,
					       proc_policy, NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_PROC_PID]), 77);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[TCPK_A_PROC_COMM]),
			   "python3");
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[TCPK_A_PROC_AGENT]), "demo");
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[TCPK_A_PROC_SESSION]), 3);
	KUNIT_EXPECT_EQ(test, nla_get_u8(tb[TCPK_A_PROC_QUARANTINED]), 1);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_PROC_SCORE]), 400);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[TCPK_A_PROC_FAIL_BURSTS]), 2);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[TCPK_A_PROC_BYTES_SENT]),
			1ULL << 40);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[TCPK_A_PROC_WX]), 1);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_PROC_CTXSW_RATE]), 9);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[TCPK_A_PROC_VIOLATIONS]), 17);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[TCPK_A_PROC_PATTERNS]), 5);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[TCPK_A_PROC_PROFILE]),
			   "/usr/bin/x");
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_PROC_LFC]), 7);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_PROC_LFC_PEAK]), 30);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_PROC_FILEOP_RATE]), 12);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_PROC_MODEL_PEAK]), 880);
	KUNIT_EXPECT_EQ(test, ((u64 *)nla_data(tb[TCPK_A_PROC_CLASSES]))[TCPK_SC_NET],
			11);
	/* the top list: non-empty slots only, most frequent first */
	KUNIT_ASSERT_EQ(test, nla_len(tb[TCPK_A_PROC_TOP_SYSCALLS]),
			4 * (int)sizeof(u32));
	top = nla_data(tb[TCPK_A_PROC_TOP_SYSCALLS]);
	KUNIT_EXPECT_EQ(test, top[0], 0);
	KUNIT_EXPECT_EQ(test, top[1], 9);
	KUNIT_EXPECT_EQ(test, top[2], 42);
	KUNIT_EXPECT_EQ(test, top[3], 3);
	KUNIT_EXPECT_LE(test, skb->len, tcpk_nl_proc_size());
	kfree_skb(skb);

	/* Unlabelled: no agent, no session. */
	info.agent = NULL;
	skb = test_skb(test);
	nest = (struct nlattr *)skb->data;
	KUNIT_ASSERT_EQ(test, tcpk_nl_proc_fill(skb, &info), 0);
	KUNIT_ASSERT_EQ(test, nla_parse_nested(tb, TCPK_A_PROC_MAX, nest,
					       proc_policy, NULL), 0);
	KUNIT_EXPECT_NULL(test, tb[TCPK_A_PROC_AGENT]);
	KUNIT_EXPECT_NULL(test, tb[TCPK_A_PROC_SESSION]);
	kfree_skb(skb);

	/* Too small: -EMSGSIZE and nothing left. */
	skb = test_skb(test);
	skb_put(skb, skb_tailroom(skb) - 40);
	KUNIT_EXPECT_EQ(test, tcpk_nl_proc_fill(skb, &info), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, skb_tailroom(skb), 40);
	kfree_skb(skb);
}

/* An event that does not fit: -EMSGSIZE at every size, nothing left. */
static void tcpk_netlink_test_event_too_small(struct kunit *test)
{
	struct tcpk_event *ev;
	unsigned int size, full;

	ev = kunit_kzalloc(test, sizeof(*ev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	ev->type = TCPK_EVENT_DECISION;
	strscpy(ev->comm, "sh", sizeof(ev->comm));
	strscpy(ev->path, "/tmp/x", sizeof(ev->path));
	/* The size reserves room for the longest reason: measure instead. */
	{
		struct sk_buff *skb = test_skb(test);

		KUNIT_ASSERT_EQ(test, tcpk_nl_event_fill(skb, ev, 0), 0);
		full = skb->len;
		KUNIT_EXPECT_LE(test, full, tcpk_nl_event_size(ev));
		kfree_skb(skb);
	}
	for (size = 0; size < full; size += 4) {
		struct sk_buff *skb = test_skb(test);
		unsigned int used = skb_tailroom(skb) - size;

		skb_put(skb, used);
		KUNIT_EXPECT_EQ(test, tcpk_nl_event_fill(skb, ev, 0), -EMSGSIZE);
		KUNIT_EXPECT_EQ(test, skb->len, used);
		kfree_skb(skb);
	}
}

/* A step's bitmap with the calls @a and @b (b < 0: only @a). */
static void seq_step(u8 *bits, int a, int b)
{
	memset(bits, 0, TCPK_SEQ_SYSCALLS / 8);
	bits[a / 8] |= 1 << (a % 8);
	if (b >= 0)
		bits[b / 8] |= 1 << (b % 8);
}

/* A %TCPK_A_SEQ request nest with @steps steps, and @extra if not 0. */
static struct nlattr *put_seq(struct kunit *test, struct sk_buff *skb,
			      unsigned int steps, int extra)
{
	struct nlattr *nest = nla_nest_start(skb, TCPK_A_SEQ);
	u8 bits[TCPK_SEQ_SYSCALLS / 8];
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, nest);
	KUNIT_ASSERT_EQ(test, nla_put_string(skb, TCPK_A_SEQ_NAME, "exfil"), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u32(skb, TCPK_A_SEQ_WEIGHT, 300), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u32(skb, TCPK_A_SEQ_MAX_GAP, 16), 0);
	for (i = 0; i < steps; i++) {
		seq_step(bits, i ? i - 1 : 257, i ? -1 : 511);
		KUNIT_ASSERT_EQ(test, nla_put(skb, TCPK_A_SEQ_STEP, sizeof(bits),
					      bits), 0);
	}
	if (extra)
		KUNIT_ASSERT_EQ(test, nla_put_u64_64bit(skb, extra, 1,
							TCPK_A_SEQ_PAD), 0);
	nla_nest_end(skb, nest);
	return nest;
}

/*
 * Patterns on the wire: the step bitmaps' bit order (call n in bit n % 8
 * of byte n / 8), a round trip, and the refusals.
 */
static void tcpk_netlink_test_seq(struct kunit *test)
{
	struct tcpk_seq_pattern *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	struct sk_buff *skb = test_skb(test), *out = test_skb(test);
	struct tcpk_seq_nl_error e = {};
	const struct nlattr *a;
	struct nlattr *nest;
	unsigned int steps = 0;
	u8 bits[TCPK_SEQ_SYSCALLS / 8];
	int rem;
	u32 id;

	KUNIT_ASSERT_NOT_NULL(test, p);
	nest = put_seq(test, skb, 3, 0);
	KUNIT_ASSERT_EQ(test, tcpk_nl_seq_parse(nest, p, &e), 0);
	KUNIT_EXPECT_EQ(test, p->id, 0);
	KUNIT_EXPECT_STREQ(test, p->name, "exfil");
	KUNIT_EXPECT_EQ(test, p->weight, 300);
	KUNIT_EXPECT_EQ(test, p->max_gap, 16);
	KUNIT_EXPECT_EQ(test, p->steps, 3);
	KUNIT_EXPECT_EQ(test, p->step[0][4], BIT_ULL(1));	/* 257 */
	KUNIT_EXPECT_EQ(test, p->step[0][7], BIT_ULL(63));	/* 511 */
	KUNIT_EXPECT_EQ(test, p->step[1][0], BIT_ULL(0));
	KUNIT_EXPECT_EQ(test, p->step[2][0], BIT_ULL(1));
	KUNIT_EXPECT_EQ(test, p->step[3][0], 0);

	p->id = 9;
	KUNIT_ASSERT_EQ(test, tcpk_nl_seq_fill(out, p, 42), 0);
	KUNIT_EXPECT_LE(test, out->len, tcpk_nl_seq_size());
	nest = (struct nlattr *)out->data;
	a = nla_find_nested(nest, TCPK_A_SEQ_ID);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, nla_get_u32(a), 9);
	a = nla_find_nested(nest, TCPK_A_SEQ_MATCHES);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, nla_get_u64(a), 42);
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != TCPK_A_SEQ_STEP)
			continue;
		seq_step(bits, steps ? steps - 1 : 257, steps ? -1 : 511);
		KUNIT_EXPECT_EQ(test, nla_len(a), (int)sizeof(bits));
		KUNIT_EXPECT_EQ(test, memcmp(nla_data(a), bits, sizeof(bits)), 0);
		steps++;
	}
	KUNIT_EXPECT_EQ(test, steps, 3);

	/* seq-del names a pattern by its id only. */
	KUNIT_EXPECT_EQ(test, tcpk_nl_seq_id_parse(nest, &id, &e), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, e.msg);
	skb_trim(skb, 0);
	nest = nla_nest_start(skb, TCPK_A_SEQ);
	KUNIT_ASSERT_EQ(test, nla_put_u32(skb, TCPK_A_SEQ_ID, 4), 0);
	nla_nest_end(skb, nest);
	KUNIT_EXPECT_EQ(test, tcpk_nl_seq_id_parse(nest, &id, &e), 0);
	KUNIT_EXPECT_EQ(test, id, 4);

	/* One step, nine steps, a reply attribute: refused, with a message. */
	skb_trim(skb, 0);
	e.msg = NULL;
	KUNIT_EXPECT_EQ(test, tcpk_nl_seq_parse(put_seq(test, skb, 1, 0), p,
						&e), -EINVAL);
	KUNIT_EXPECT_STREQ(test, e.msg, "seq: step: a pattern has 2 to 8 steps");
	skb_trim(skb, 0);
	e.msg = NULL;
	KUNIT_EXPECT_EQ(test, tcpk_nl_seq_parse(put_seq(test, skb, 9, 0), p,
						&e), -EINVAL);
	KUNIT_EXPECT_STREQ(test, e.msg, "seq: step: more than 8 steps");
	skb_trim(skb, 0);
	e.msg = NULL;
	KUNIT_EXPECT_EQ(test, tcpk_nl_seq_parse(put_seq(test, skb, 2,
							TCPK_A_SEQ_MATCHES),
						p, &e), -EINVAL);
	KUNIT_EXPECT_STREQ(test, e.msg, "seq: matches is a reply attribute");
	kfree_skb(skb);
	kfree_skb(out);
}

/* Profiles on the wire: the trigram array's length, the mode, the path. */
static void tcpk_netlink_test_profile(struct kunit *test)
{
	struct sk_buff *skb = test_skb(test), *out = test_skb(test);
	struct tcpk_profile_info info = {
		.path = "/usr/bin/true", .mode = TCPK_PROFILE_DETECT,
		.count = 2, .limit = 4096, .dev = 8, .ino = 9,
	};
	struct tcpk_seq_nl_error e = {};
	u32 keys[2] = { 0x40000001, 0x40100802 };
	struct tcpk_nl_profile_req r;
	const struct nlattr *a;
	struct nlattr *nest;

	nest = nla_nest_start(skb, TCPK_A_PROFILE);
	KUNIT_ASSERT_EQ(test, nla_put_string(skb, TCPK_A_PROFILE_PATH,
					     "/usr/bin/true"), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u32(skb, TCPK_A_PROFILE_MODE,
					  TCPK_PROFILE_DETECT), 0);
	KUNIT_ASSERT_EQ(test, nla_put(skb, TCPK_A_PROFILE_NGRAMS, sizeof(keys),
				      keys), 0);
	nla_nest_end(skb, nest);
	KUNIT_ASSERT_EQ(test, tcpk_nl_profile_parse(nest, &r, true, &e), 0);
	KUNIT_EXPECT_STREQ(test, r.path, "/usr/bin/true");
	KUNIT_EXPECT_EQ(test, r.mode, TCPK_PROFILE_DETECT);
	KUNIT_EXPECT_TRUE(test, r.import);
	KUNIT_EXPECT_EQ(test, r.n, 2);
	/* profile-get and profile-del take a path only. */
	KUNIT_EXPECT_EQ(test, tcpk_nl_profile_parse(nest, &r, false, &e),
			-EINVAL);

	/* Not a whole number of u32. */
	skb_trim(skb, 0);
	nest = nla_nest_start(skb, TCPK_A_PROFILE);
	KUNIT_ASSERT_EQ(test, nla_put_string(skb, TCPK_A_PROFILE_PATH, "/x"), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u32(skb, TCPK_A_PROFILE_MODE, 1), 0);
	KUNIT_ASSERT_EQ(test, nla_put(skb, TCPK_A_PROFILE_NGRAMS, 6, keys), 0);
	nla_nest_end(skb, nest);
	KUNIT_EXPECT_EQ(test, tcpk_nl_profile_parse(nest, &r, true, &e),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, e.msg, "profile: ngrams: not an array of u32");

	/* No mode for profile-set. */
	skb_trim(skb, 0);
	nest = nla_nest_start(skb, TCPK_A_PROFILE);
	KUNIT_ASSERT_EQ(test, nla_put_string(skb, TCPK_A_PROFILE_PATH, "/x"), 0);
	nla_nest_end(skb, nest);
	KUNIT_EXPECT_EQ(test, tcpk_nl_profile_parse(nest, &r, true, &e),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, e.msg, "profile: mode: missing");
	KUNIT_EXPECT_EQ(test, tcpk_nl_profile_parse(nest, &r, false, &e), 0);

	/* Export: the keys as given, within the size. */
	KUNIT_ASSERT_EQ(test, tcpk_nl_profile_fill(out, &info, keys, 2), 0);
	KUNIT_EXPECT_LE(test, out->len, tcpk_nl_profile_size(2));
	a = nla_find_nested((struct nlattr *)out->data, TCPK_A_PROFILE_NGRAMS);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, nla_len(a), (int)sizeof(keys));
	KUNIT_EXPECT_EQ(test, memcmp(nla_data(a), keys, sizeof(keys)), 0);
	kfree_skb(skb);
	kfree_skb(out);
}

static struct kunit_case tcpk_netlink_test_cases[] = {
	KUNIT_CASE(tcpk_netlink_test_items),
	KUNIT_CASE_PARAM(tcpk_netlink_test_refuse, refuse_gen_params),
	KUNIT_CASE(tcpk_netlink_test_count_mismatch),
	KUNIT_CASE_PARAM(tcpk_netlink_test_policy, policy_gen_params),
	KUNIT_CASE(tcpk_netlink_test_identity),
	KUNIT_CASE(tcpk_netlink_test_fill),
	KUNIT_CASE(tcpk_netlink_test_fill_too_small),
	KUNIT_CASE(tcpk_netlink_test_mcgrp),
	KUNIT_CASE_PARAM(tcpk_netlink_test_policy3, policy3_gen_params),
	KUNIT_CASE(tcpk_netlink_test_rule_roundtrip),
	KUNIT_CASE(tcpk_netlink_test_rule_minimal),
	KUNIT_CASE_PARAM(tcpk_netlink_test_rule_refuse, rule_refuse_gen_params),
	KUNIT_CASE(tcpk_netlink_test_rule_batch),
	KUNIT_CASE(tcpk_netlink_test_rule_id),
	KUNIT_CASE(tcpk_netlink_test_rule_too_small),
	KUNIT_CASE(tcpk_netlink_test_req),
	KUNIT_CASE(tcpk_netlink_test_req_minimal),
	KUNIT_CASE(tcpk_netlink_test_req_refuse),
	KUNIT_CASE(tcpk_netlink_test_decision),
	KUNIT_CASE_PARAM(tcpk_netlink_test_reason, reason_gen_params),
	KUNIT_CASE(tcpk_netlink_test_agent),
	KUNIT_CASE(tcpk_netlink_test_mode),
	KUNIT_CASE(tcpk_netlink_test_event),
	KUNIT_CASE(tcpk_netlink_test_event_too_small),
	KUNIT_CASE(tcpk_netlink_test_event_behavior),
	KUNIT_CASE(tcpk_netlink_test_event_flow),
	KUNIT_CASE(tcpk_netlink_test_proc),
	KUNIT_CASE(tcpk_netlink_test_seq),
	KUNIT_CASE(tcpk_netlink_test_profile),
	{}
};

static struct kunit_suite tcpk_netlink_suite = {
	.name = "tcp_kernel_netlink",
	.test_cases = tcpk_netlink_test_cases,
};

kunit_test_suites(&tcpk_netlink_suite);
