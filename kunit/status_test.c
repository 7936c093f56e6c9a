// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - KUnit suite of the GET_STATUS netlink encoding
 */

#include <kunit/test.h>

#include "../core/status.c"

static const struct nla_policy part_policy[TCPK_A_PART_MAX + 1] = {
	[TCPK_A_PART_ID] = { .type = NLA_U32 },
	[TCPK_A_PART_NAME] = { .type = NLA_NUL_STRING },
	[TCPK_A_PART_ENABLED] = { .type = NLA_U8 },
	[TCPK_A_PART_AVAILABLE] = { .type = NLA_U8 },
	[TCPK_A_PART_REASON] = { .type = NLA_NUL_STRING },
};

static const struct nla_policy stats_policy[TCPK_A_STATS_MAX + 1] = {
	[TCPK_A_STATS_KFUNC_CALLS] = { .type = NLA_U64 },
	[TCPK_A_STATS_GENL_REQUESTS] = { .type = NLA_U64 },
};

static void status_sample(struct tcpk_status *st)
{
	int i;

	memset(st, 0, sizeof(*st));
	st->module_version = "9.8.7";
	st->kernel_release = "6.12.0-test";
	st->security_level = TCPK_LEVEL_ENFORCE;
	for (i = 0; i < __TCPK_PART_MAX; i++) {
		st->parts[i].enabled = i != TCPK_PART_CET;
		st->parts[i].available = i == TCPK_PART_EBPF;
		snprintf(st->parts[i].reason, sizeof(st->parts[i].reason),
			 "reason %d", i);
	}
	/* Longest reason: every byte must come through. */
	memset(st->parts[TCPK_PART_LSM].reason, 'r', TCPK_PART_REASON_LEN - 1);
	st->kfunc_calls = 0x123456789abcdefULL;
	st->genl_requests = 42;
}

/* Encode, then parse back as a client would and compare every field. */
static void tcpk_status_test_roundtrip(struct kunit *test)
{
	struct nlattr *part_tb[TCPK_A_PART_MAX + 1];
	struct nlattr *st_tb[TCPK_A_STATS_MAX + 1];
	struct tcpk_status *st;
	struct sk_buff *skb;
	struct nlattr *attr;
	int rem, n = 0;

	st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	status_sample(st);
	skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);

	KUNIT_ASSERT_EQ(test, tcpk_status_fill(skb, st), 0);

	nla_for_each_attr(attr, (struct nlattr *)skb->data, skb->len, rem) {
		switch (nla_type(attr)) {
		case TCPK_A_MODULE_VERSION:
			KUNIT_EXPECT_STREQ(test, (char *)nla_data(attr), "9.8.7");
			break;
		case TCPK_A_UAPI_VERSION:
			KUNIT_EXPECT_EQ(test, nla_get_u32(attr), TCPK_UAPI_VERSION);
			break;
		case TCPK_A_SECURITY_LEVEL:
			KUNIT_EXPECT_EQ(test, nla_get_u32(attr), TCPK_LEVEL_ENFORCE);
			break;
		case TCPK_A_KERNEL_RELEASE:
			KUNIT_EXPECT_STREQ(test, (char *)nla_data(attr), "6.12.0-test");
			break;
		case TCPK_A_PART:
			KUNIT_ASSERT_EQ(test, nla_parse_nested(part_tb, TCPK_A_PART_MAX,
							       attr, part_policy, NULL), 0);
			KUNIT_ASSERT_NOT_NULL(test, part_tb[TCPK_A_PART_ID]);
			KUNIT_EXPECT_EQ(test, nla_get_u32(part_tb[TCPK_A_PART_ID]), n);
			KUNIT_EXPECT_STREQ(test, (char *)nla_data(part_tb[TCPK_A_PART_NAME]),
					   tcpk_part_name(n));
			KUNIT_EXPECT_EQ(test, nla_get_u8(part_tb[TCPK_A_PART_ENABLED]),
					n != TCPK_PART_CET);
			KUNIT_EXPECT_EQ(test, nla_get_u8(part_tb[TCPK_A_PART_AVAILABLE]),
					n == TCPK_PART_EBPF);
			KUNIT_EXPECT_STREQ(test, (char *)nla_data(part_tb[TCPK_A_PART_REASON]),
					   st->parts[n].reason);
			n++;
			break;
		case TCPK_A_STATS:
			KUNIT_ASSERT_EQ(test, nla_parse_nested(st_tb, TCPK_A_STATS_MAX,
							       attr, stats_policy, NULL), 0);
			KUNIT_EXPECT_EQ(test, nla_get_u64(st_tb[TCPK_A_STATS_KFUNC_CALLS]),
					0x123456789abcdefULL);
			KUNIT_EXPECT_EQ(test, nla_get_u64(st_tb[TCPK_A_STATS_GENL_REQUESTS]),
					42);
			break;
		default:
			KUNIT_FAIL(test, "unexpected attribute %d", nla_type(attr));
		}
	}
	KUNIT_EXPECT_EQ(test, rem, 0);
	KUNIT_EXPECT_EQ(test, n, __TCPK_PART_MAX);
	KUNIT_EXPECT_EQ(test, strlen(st->parts[TCPK_PART_LSM].reason),
			TCPK_PART_REASON_LEN - 1);
	kfree_skb(skb);
}

/* A message too small is refused with -EMSGSIZE at every size, no overrun. */
static void tcpk_status_test_too_small(struct kunit *test)
{
	struct tcpk_status *st;
	struct sk_buff *skb;
	unsigned int size, full;

	st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	status_sample(st);

	skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, tcpk_status_fill(skb, st), 0);
	full = skb->len;
	kfree_skb(skb);

	for (size = 0; size < full; size += 4) {
		unsigned int used;

		skb = alloc_skb(full, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		/* alloc_skb() rounds up: use up all but @size bytes of room. */
		used = skb_tailroom(skb) - size;
		skb_put(skb, used);
		KUNIT_EXPECT_EQ(test, tcpk_status_fill(skb, st), -EMSGSIZE);
		KUNIT_EXPECT_LE(test, skb->len, used + size);
		kfree_skb(skb);
	}
}

static void tcpk_status_test_part_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, tcpk_part_name(TCPK_PART_EBPF), "ebpf");
	KUNIT_EXPECT_STREQ(test, tcpk_part_name(TCPK_PART_LSM), "lsm");
	KUNIT_EXPECT_STREQ(test, tcpk_part_name(TCPK_PART_INTEL_PT), "intel_pt");
	KUNIT_EXPECT_STREQ(test, tcpk_part_name(TCPK_PART_CET), "cet");
	KUNIT_EXPECT_STREQ(test, tcpk_part_name(__TCPK_PART_MAX), "unknown");
	KUNIT_EXPECT_STREQ(test, tcpk_part_name(-1), "unknown");
}

static struct kunit_case tcpk_status_cases[] = {
	KUNIT_CASE(tcpk_status_test_roundtrip),
	KUNIT_CASE(tcpk_status_test_too_small),
	KUNIT_CASE(tcpk_status_test_part_names),
	{}
};

static struct kunit_suite tcpk_status_suite = {
	.name = "tcp_kernel_status",
	.test_cases = tcpk_status_cases,
};

kunit_test_suites(&tcpk_status_suite);
