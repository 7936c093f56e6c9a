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

static const struct nla_policy op_stats_policy[TCPK_A_OP_STATS_MAX + 1] = {
	[TCPK_A_OP_STATS_OP] = { .type = NLA_U32 },
	[TCPK_A_OP_STATS_ALLOW] = { .type = NLA_U64 },
	[TCPK_A_OP_STATS_DENY] = { .type = NLA_U64 },
	[TCPK_A_OP_STATS_WOULD_DENY] = { .type = NLA_U64 },
};

static const struct nla_policy stats_policy[TCPK_A_STATS_MAX + 1] = {
	[TCPK_A_STATS_KFUNC_CALLS] = { .type = NLA_U64 },
	[TCPK_A_STATS_GENL_REQUESTS] = { .type = NLA_U64 },
	[TCPK_A_STATS_DECISIONS] = { .type = NLA_U64 },
	[TCPK_A_STATS_CACHE_HITS] = { .type = NLA_U64 },
	[TCPK_A_STATS_CACHE_MISSES] = { .type = NLA_U64 },
	[TCPK_A_STATS_FAST_PATH] = { .type = NLA_U64 },
	[TCPK_A_STATS_EVENTS] = { .type = NLA_U64 },
	[TCPK_A_STATS_EVENTS_DROPPED] = { .type = NLA_U64 },
	[TCPK_A_STATS_AUDIT_RECORDS] = { .type = NLA_U64 },
	[TCPK_A_STATS_AGENT_LABELS] = { .type = NLA_U64 },
	[TCPK_A_STATS_AGENT_LABELS_LOST] = { .type = NLA_U64 },
	[TCPK_A_STATS_OP] = NLA_POLICY_NESTED(op_stats_policy),
	[TCPK_A_STATS_EVENTS_QUEUED] = { .type = NLA_U64 },
	[TCPK_A_STATS_EVENTS_QUEUE_PEAK] = { .type = NLA_U64 },
	[TCPK_A_STATS_EVENTS_QUEUE_LEN] = { .type = NLA_U64 },
	[TCPK_A_STATS_AUDIT_RECORDS_LOST] = { .type = NLA_U64 },
	[TCPK_A_STATS_PROCS] = { .type = NLA_U64 },
	[TCPK_A_STATS_PROCS_EVICTED] = { .type = NLA_U64 },
	[TCPK_A_STATS_PROCS_BYTES] = { .type = NLA_U64 },
};

/* The value status_sample() gives the counter of attribute @type. */
static u64 stat_value(int type)
{
	return 0x1000000000ULL * type + type;
}

/* ... and the verdict counter @v (allow, deny, would-deny) of @op. */
static u64 op_value(u32 op, int v)
{
	return 1000ULL * op + v + 1;
}

static void status_sample(struct tcpk_status *st)
{
	int i;

	memset(st, 0, sizeof(*st));
	st->module_version = "9.8.7";
	st->kernel_release = "6.12.0-test";
	st->security_level = TCPK_LEVEL_ENFORCE;
	st->locked = true;
	st->signed_required = true;
	st->keyring = 0x12345678;
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
	st->policy.decisions = stat_value(TCPK_A_STATS_DECISIONS);
	st->policy.cache_hits = stat_value(TCPK_A_STATS_CACHE_HITS);
	st->policy.cache_misses = stat_value(TCPK_A_STATS_CACHE_MISSES);
	st->policy.fast_path = stat_value(TCPK_A_STATS_FAST_PATH);
	st->events.emitted = stat_value(TCPK_A_STATS_EVENTS);
	st->events.dropped = stat_value(TCPK_A_STATS_EVENTS_DROPPED);
	st->events.audit_records = stat_value(TCPK_A_STATS_AUDIT_RECORDS);
	st->procs.labels = stat_value(TCPK_A_STATS_AGENT_LABELS);
	st->procs.labels_lost = stat_value(TCPK_A_STATS_AGENT_LABELS_LOST);
	st->events.queued = stat_value(TCPK_A_STATS_EVENTS_QUEUED);
	st->events.queue_peak = stat_value(TCPK_A_STATS_EVENTS_QUEUE_PEAK);
	st->events.queue_len = stat_value(TCPK_A_STATS_EVENTS_QUEUE_LEN);
	st->events.audit_lost = stat_value(TCPK_A_STATS_AUDIT_RECORDS_LOST);
	st->procs.entries = stat_value(TCPK_A_STATS_PROCS);
	st->procs.evicted = stat_value(TCPK_A_STATS_PROCS_EVICTED);
	st->procs.bytes = stat_value(TCPK_A_STATS_PROCS_BYTES);
	for (i = 0; i < __TCPK_OP_MAX; i++) {
		st->policy.verdicts[i][0] = op_value(i, 0);
		st->policy.verdicts[i][1] = op_value(i, 1);
		st->policy.verdicts[i][2] = op_value(i, 2);
	}
}

/*
 * The stats nest: every counter once, with its value, then one op nest
 * per operation in order, with its three verdict counters.
 */
static void check_stats(struct kunit *test, const struct nlattr *stats)
{
	struct nlattr *op_tb[TCPK_A_OP_STATS_MAX + 1];
	struct nlattr *st_tb[TCPK_A_STATS_MAX + 1];
	const struct nlattr *attr;
	u32 op = 0;
	int type, rem;

	KUNIT_ASSERT_EQ(test, nla_parse_nested(st_tb, TCPK_A_STATS_MAX, stats,
					       stats_policy, NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u64(st_tb[TCPK_A_STATS_KFUNC_CALLS]),
			0x123456789abcdefULL);
	KUNIT_EXPECT_EQ(test, nla_get_u64(st_tb[TCPK_A_STATS_GENL_REQUESTS]), 42);
	for (type = TCPK_A_STATS_DECISIONS; type <= TCPK_A_STATS_MAX; type++) {
		if (type == TCPK_A_STATS_OP)
			continue;
		KUNIT_ASSERT_NOT_NULL_MSG(test, st_tb[type], "attribute %d", type);
		KUNIT_EXPECT_EQ_MSG(test, nla_get_u64(st_tb[type]),
				    stat_value(type), "attribute %d", type);
	}

	nla_for_each_nested(attr, stats, rem) {
		if (nla_type(attr) != TCPK_A_STATS_OP)
			continue;
		KUNIT_ASSERT_EQ(test, nla_parse_nested(op_tb, TCPK_A_OP_STATS_MAX,
						       attr, op_stats_policy,
						       NULL), 0);
		KUNIT_EXPECT_EQ(test, nla_get_u32(op_tb[TCPK_A_OP_STATS_OP]), op);
		KUNIT_EXPECT_EQ(test, nla_get_u64(op_tb[TCPK_A_OP_STATS_ALLOW]),
				op_value(op, 0));
		KUNIT_EXPECT_EQ(test, nla_get_u64(op_tb[TCPK_A_OP_STATS_DENY]),
				op_value(op, 1));
		KUNIT_EXPECT_EQ(test,
				nla_get_u64(op_tb[TCPK_A_OP_STATS_WOULD_DENY]),
				op_value(op, 2));
		op++;
	}
	KUNIT_EXPECT_EQ(test, op, __TCPK_OP_MAX);
}

/* Encode, then parse back as a client would and compare every field. */
static void tcpk_status_test_roundtrip(struct kunit *test)
{
	struct nlattr *part_tb[TCPK_A_PART_MAX + 1];
	struct tcpk_status *st;
	struct sk_buff *skb;
	struct nlattr *attr;
	bool locked = false, signed_required = false, keyring = false;
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
		case TCPK_A_LOCKED:
			KUNIT_EXPECT_EQ(test, nla_get_u8(attr), 1);
			locked = true;
			break;
		case TCPK_A_SIGNED_REQUIRED:
			KUNIT_EXPECT_EQ(test, nla_get_u8(attr), 1);
			signed_required = true;
			break;
		case TCPK_A_KEYRING:
			KUNIT_EXPECT_EQ(test, nla_get_u32(attr), 0x12345678U);
			keyring = true;
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
			check_stats(test, attr);
			break;
		default:
			KUNIT_FAIL(test, "unexpected attribute %d", nla_type(attr));
		}
	}
	KUNIT_EXPECT_EQ(test, rem, 0);
	KUNIT_EXPECT_TRUE(test, locked);
	KUNIT_EXPECT_TRUE(test, signed_required);
	KUNIT_EXPECT_TRUE(test, keyring);
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
