// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - KUnit suite of the XDP flow monitor's scoring
 * (lsm/xdp.h, the code the XDP program runs): flag combinations,
 * port-scan and SYN-flood windows, scores, the drop verdict
 */

#include <kunit/test.h>
#include <linux/time64.h>
#include <linux/types.h>

#include "../lsm/xdp.h"

#define MS	NSEC_PER_MSEC

static const struct tcpk_xdp_config xdp_defaults = TCPK_XDP_CONFIG_DEFAULT;

/* Every one of the 64 combinations, against the rule stated in the header. */
static void xdp_flags(struct kunit *test)
{
	unsigned int f;

	for (f = 0; f < 64; f++) {
		bool syn = f & TCPK_XDP_TCP_SYN, fin = f & TCPK_XDP_TCP_FIN;
		bool rst = f & TCPK_XDP_TCP_RST, ack = f & TCPK_XDP_TCP_ACK;
		bool bad = !f || (syn && (fin || rst)) || (fin && rst) ||
			   (fin && !ack);

		KUNIT_EXPECT_EQ_MSG(test, tcpk_xdp_tcp_flags_invalid(f), bad,
				    "flags 0x%02x", f);
	}
	/* The ones a stack sends. */
	KUNIT_EXPECT_FALSE(test, tcpk_xdp_tcp_flags_invalid(TCPK_XDP_TCP_SYN));
	KUNIT_EXPECT_FALSE(test, tcpk_xdp_tcp_flags_invalid(TCPK_XDP_TCP_SYN |
							    TCPK_XDP_TCP_ACK));
	KUNIT_EXPECT_FALSE(test, tcpk_xdp_tcp_flags_invalid(TCPK_XDP_TCP_FIN |
							    TCPK_XDP_TCP_ACK));
	KUNIT_EXPECT_FALSE(test, tcpk_xdp_tcp_flags_invalid(TCPK_XDP_TCP_RST));
	/* SYN+FIN, Xmas (FIN PSH URG), null. */
	KUNIT_EXPECT_TRUE(test, tcpk_xdp_tcp_flags_invalid(0x03));
	KUNIT_EXPECT_TRUE(test, tcpk_xdp_tcp_flags_invalid(0x29));
	KUNIT_EXPECT_TRUE(test, tcpk_xdp_tcp_flags_invalid(0));
}

/* Ports map to the set's bits and spread: 256 ports use many bits. */
static void xdp_port_bits(struct kunit *test)
{
	DECLARE_BITMAP(seen, TCPK_XDP_PORT_BITS) = {};
	unsigned int p;

	for (p = 0; p < 65536; p++)
		KUNIT_EXPECT_LT(test, tcpk_xdp_port_bit(p), TCPK_XDP_PORT_BITS);
	for (p = 1; p <= 256; p++)
		__set_bit(tcpk_xdp_port_bit(p), seen);
	KUNIT_EXPECT_GE(test, bitmap_weight(seen, TCPK_XDP_PORT_BITS), 150U);
}

/* Distinct ports of new flows within a window make a scan, once. */
static void xdp_scan(struct kunit *test)
{
	struct tcpk_xdp_config c = xdp_defaults;
	struct tcpk_xdp_source s = {};
	unsigned int p, n = 0;
	u64 now = 1000 * MS;
	u32 r = 0;

	c.scan_ports = 8;
	/* The same port again and again is not a scan. */
	for (p = 0; p < 100; p++)
		r = tcpk_xdp_source_update(&s, &c, now, true, 80, true);
	KUNIT_EXPECT_EQ(test, r, 0U);
	KUNIT_EXPECT_EQ(test, s.distinct_ports, 1U);
	/* Old flows (not new) do not count their ports. */
	for (p = 1; p < 100; p++)
		r = tcpk_xdp_source_update(&s, &c, now, false, p, false);
	KUNIT_EXPECT_EQ(test, s.distinct_ports, 1U);
	/* New ports until the threshold. */
	for (p = 1000; !r && p < 2000; p++, n++)
		r = tcpk_xdp_source_update(&s, &c, now + n, true, p, false);
	KUNIT_EXPECT_EQ(test, r, TCPK_XDP_R_PORT_SCAN);
	KUNIT_EXPECT_EQ(test, s.distinct_ports, 8U);
	KUNIT_EXPECT_EQ(test, s.flagged_until_ns, now + n - 1 + c.penalty_ms * MS);
	/* Still flagged after the window ends, until the penalty does. */
	r = tcpk_xdp_source_update(&s, &c, now + c.window_ms * MS + 1, false,
				   0, false);
	KUNIT_EXPECT_EQ(test, r, TCPK_XDP_R_PORT_SCAN);
	s.reported = TCPK_XDP_R_PORT_SCAN;
	r = tcpk_xdp_source_update(&s, &c, s.flagged_until_ns, false, 0, false);
	KUNIT_EXPECT_EQ(test, r, 0U);
	KUNIT_EXPECT_EQ(test, s.reported, 0U);
	/* 0 disables the check. */
	c.scan_ports = 0;
	memset(&s, 0, sizeof(s));
	for (p = 0; p < 1000; p++)
		r |= tcpk_xdp_source_update(&s, &c, now, true, p, false);
	KUNIT_EXPECT_EQ(test, r, 0U);
}

/* SYNs in one window make a flood; spread over windows they do not. */
static void xdp_flood(struct kunit *test)
{
	struct tcpk_xdp_config c = xdp_defaults;
	struct tcpk_xdp_source s = {};
	u64 now = 5000 * MS;
	unsigned int i;
	u32 r = 0;

	c.flood_syns = 10;
	c.window_ms = 100;
	/* Nine per window, for ten windows. */
	for (i = 0; i < 90; i++)
		r |= tcpk_xdp_source_update(&s, &c, now + (i / 9) * 100 * MS +
					    i % 9, false, 0, true);
	KUNIT_EXPECT_EQ(test, r, 0U);
	/* Ten in the next one. */
	now += 2000 * MS;
	for (i = 0; i < 10; i++)
		r = tcpk_xdp_source_update(&s, &c, now + i, false, 0, true);
	KUNIT_EXPECT_EQ(test, r, TCPK_XDP_R_SYN_FLOOD);
	/* Non-SYN packets never count. */
	memset(&s, 0, sizeof(s));
	for (i = 0; i < 1000; i++)
		r = tcpk_xdp_source_update(&s, &c, now, false, 0, false);
	KUNIT_EXPECT_EQ(test, r, 0U);
}

/* Scores add up and saturate; the verdict needs level, score and source. */
static void xdp_score_drop(struct kunit *test)
{
	struct tcpk_xdp_config c = xdp_defaults;
	u32 all = TCPK_XDP_R_INVALID_FLAGS | TCPK_XDP_R_PORT_SCAN |
		  TCPK_XDP_R_SYN_FLOOD;

	KUNIT_EXPECT_EQ(test, tcpk_xdp_flow_score(0, &c), 0U);
	KUNIT_EXPECT_EQ(test, tcpk_xdp_flow_score(TCPK_XDP_R_PORT_SCAN, &c),
			c.scan_score);
	KUNIT_EXPECT_EQ(test, tcpk_xdp_flow_score(all, &c),
			c.invalid_flags_score + c.scan_score + c.flood_score);
	/* DROPPING is not a score. */
	KUNIT_EXPECT_EQ(test, tcpk_xdp_flow_score(TCPK_XDP_R_DROPPING, &c), 0U);
	c.invalid_flags_score = U32_MAX;
	c.scan_score = U32_MAX;
	KUNIT_EXPECT_EQ(test, tcpk_xdp_flow_score(all, &c), 1000000U);

	c = xdp_defaults;
	KUNIT_EXPECT_TRUE(test, tcpk_xdp_should_drop(2, 100, &c, false));
	KUNIT_EXPECT_TRUE(test, tcpk_xdp_should_drop(3, 500, &c, false));
	KUNIT_EXPECT_FALSE(test, tcpk_xdp_should_drop(1, 500, &c, false));
	KUNIT_EXPECT_FALSE(test, tcpk_xdp_should_drop(0, 500, &c, false));
	KUNIT_EXPECT_FALSE(test, tcpk_xdp_should_drop(2, 99, &c, false));
	KUNIT_EXPECT_FALSE(test, tcpk_xdp_should_drop(2, 500, &c, true));
	c.drop_score = 0;
	KUNIT_EXPECT_FALSE(test, tcpk_xdp_should_drop(3, 1000000, &c, false));
}

static struct kunit_case xdp_cases[] = {
	KUNIT_CASE(xdp_flags),
	KUNIT_CASE(xdp_port_bits),
	KUNIT_CASE(xdp_scan),
	KUNIT_CASE(xdp_flood),
	KUNIT_CASE(xdp_score_drop),
	{}
};

static struct kunit_suite xdp_suite = {
	.name = "tcp_kernel_xdp",
	.test_cases = xdp_cases,
};

kunit_test_suites(&xdp_suite);
