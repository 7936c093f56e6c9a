// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - KUnit suite of the hooks' object text and access bits
 */

#include <kunit/test.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/un.h>

#include "../lsm/object.c"

static void object_may_access(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, tcpk_may_access(0), 0U);
	KUNIT_EXPECT_EQ(test, tcpk_may_access(MAY_READ),
			(u32)BIT(TCPK_ACCESS_READ));
	KUNIT_EXPECT_EQ(test, tcpk_may_access(MAY_WRITE),
			(u32)BIT(TCPK_ACCESS_WRITE));
	/* An append is not a write: rules tell them apart. */
	KUNIT_EXPECT_EQ(test, tcpk_may_access(MAY_WRITE | MAY_APPEND),
			(u32)BIT(TCPK_ACCESS_APPEND));
	KUNIT_EXPECT_EQ(test, tcpk_may_access(MAY_READ | MAY_EXEC),
			(u32)(BIT(TCPK_ACCESS_READ) | BIT(TCPK_ACCESS_EXEC)));
}

static void object_prot_access(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, tcpk_prot_access(PROT_NONE), 0U);
	KUNIT_EXPECT_EQ(test, tcpk_prot_access(PROT_READ),
			(u32)BIT(TCPK_ACCESS_READ));
	/* W+X is what --match-access=write,exec names. */
	KUNIT_EXPECT_EQ(test, tcpk_prot_access(PROT_WRITE | PROT_EXEC),
			(u32)(BIT(TCPK_ACCESS_WRITE) | BIT(TCPK_ACCESS_EXEC)));
	KUNIT_EXPECT_EQ(test,
			tcpk_prot_access(PROT_READ | PROT_WRITE | PROT_EXEC),
			(u32)(BIT(TCPK_ACCESS_READ) | BIT(TCPK_ACCESS_WRITE) |
			      BIT(TCPK_ACCESS_EXEC)));
}

static void object_sockaddr_inet(struct kunit *test)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(8080),
		.sin_addr.s_addr = htonl(0x7f000001),
	};
	char buf[64];

	KUNIT_EXPECT_STREQ(test, tcpk_sockaddr_text(buf, sizeof(buf),
			   (struct sockaddr *)&sin, sizeof(sin)),
			   "127.0.0.1:8080");
	/* Too short for its family: no object, not a made-up one. */
	KUNIT_EXPECT_NULL(test, tcpk_sockaddr_text(buf, sizeof(buf),
			  (struct sockaddr *)&sin, sizeof(sin) - 1));
	KUNIT_EXPECT_NULL(test, tcpk_sockaddr_text(buf, sizeof(buf),
			  (struct sockaddr *)&sin, 1));
	KUNIT_EXPECT_NULL(test, tcpk_sockaddr_text(buf, sizeof(buf), NULL, 16));
	/* Truncated to the buffer, and terminated. */
	KUNIT_EXPECT_STREQ(test, tcpk_sockaddr_text(buf, 5,
			   (struct sockaddr *)&sin, sizeof(sin)), "127.");
}

static void object_sockaddr_inet6(struct kunit *test)
{
	struct sockaddr_in6 sin6 = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(22),
		.sin6_addr = IN6ADDR_LOOPBACK_INIT,
	};
	char buf[64];

	KUNIT_EXPECT_STREQ(test, tcpk_sockaddr_text(buf, sizeof(buf),
			   (struct sockaddr *)&sin6, sizeof(sin6)),
			   "[::1]:22");
	/* The RFC 2133 length (no scope id) is accepted. */
	KUNIT_EXPECT_STREQ(test, tcpk_sockaddr_text(buf, sizeof(buf),
			   (struct sockaddr *)&sin6, 24), "[::1]:22");
	KUNIT_EXPECT_NULL(test, tcpk_sockaddr_text(buf, sizeof(buf),
			  (struct sockaddr *)&sin6, 23));
}

static void object_sockaddr_unix(struct kunit *test)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int base = offsetof(struct sockaddr_un, sun_path);
	char buf[128];

	strscpy(sun.sun_path, "/run/x.sock", sizeof(sun.sun_path));
	KUNIT_EXPECT_STREQ(test, tcpk_sockaddr_text(buf, sizeof(buf),
			   (struct sockaddr *)&sun, base + 12),
			   "/run/x.sock");
	/* Abstract: a leading NUL, spelled "@"; the length bounds the name. */
	memcpy(sun.sun_path, "\0abs", 4);
	KUNIT_EXPECT_STREQ(test, tcpk_sockaddr_text(buf, sizeof(buf),
			   (struct sockaddr *)&sun, base + 4), "@abs");
	/* An unnamed socket (no path at all) has no object. */
	KUNIT_EXPECT_NULL(test, tcpk_sockaddr_text(buf, sizeof(buf),
			  (struct sockaddr *)&sun, base));
	/* A length beyond sun_path is cut at sun_path. */
	memset(sun.sun_path, 'a', sizeof(sun.sun_path));
	KUNIT_EXPECT_EQ(test, strlen(tcpk_sockaddr_text(buf, sizeof(buf),
			(struct sockaddr *)&sun, sizeof(sun) + 40)),
			sizeof(sun.sun_path));
}

static void object_sockaddr_other(struct kunit *test)
{
	struct sockaddr sa = { .sa_family = AF_NETLINK };
	char buf[32];

	KUNIT_EXPECT_STREQ(test, tcpk_sockaddr_text(buf, sizeof(buf), &sa,
			   sizeof(sa)), "family:16");
}

static void object_socket_text(struct kunit *test)
{
	char buf[32];

	KUNIT_EXPECT_STREQ(test, tcpk_socket_text(buf, sizeof(buf), AF_INET,
			   SOCK_STREAM), "inet:stream");
	/* Flags in the type do not change the name. */
	KUNIT_EXPECT_STREQ(test, tcpk_socket_text(buf, sizeof(buf), AF_INET6,
			   SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC),
			   "inet6:dgram");
	KUNIT_EXPECT_STREQ(test, tcpk_socket_text(buf, sizeof(buf), AF_PACKET,
			   SOCK_RAW), "packet:raw");
	KUNIT_EXPECT_STREQ(test, tcpk_socket_text(buf, sizeof(buf), AF_UNIX,
			   SOCK_SEQPACKET), "unix:seqpacket");
	KUNIT_EXPECT_STREQ(test, tcpk_socket_text(buf, sizeof(buf), AF_INET,
			   SOCK_RDM), "inet:4");
	KUNIT_EXPECT_STREQ(test, tcpk_socket_text(buf, sizeof(buf), 40,
			   SOCK_STREAM), "40:stream");
	KUNIT_EXPECT_STREQ(test, tcpk_socket_text(buf, sizeof(buf), 40, 9),
			   "40:9");
}

static void object_path_append(struct kunit *test)
{
	char buf[16];

	strscpy(buf, "/", sizeof(buf));
	KUNIT_EXPECT_STREQ(test, tcpk_path_append(buf, sizeof(buf), "x", 1),
			   "/x");
	strscpy(buf, "/tmp", sizeof(buf));
	KUNIT_EXPECT_STREQ(test, tcpk_path_append(buf, sizeof(buf), "ab", 2),
			   "/tmp/ab");
	/* Exactly full: "/tmp/" + 10 bytes + NUL is 16. */
	strscpy(buf, "/tmp", sizeof(buf));
	KUNIT_EXPECT_STREQ(test, tcpk_path_append(buf, sizeof(buf),
			   "0123456789", 10), "/tmp/0123456789");
	/* One more does not fit; the buffer is left as it was. */
	strscpy(buf, "/tmp", sizeof(buf));
	KUNIT_EXPECT_NULL(test, tcpk_path_append(buf, sizeof(buf),
			  "0123456789a", 11));
	KUNIT_EXPECT_STREQ(test, buf, "/tmp");
	/* The name's length counts, not its NUL. */
	strscpy(buf, "/a", sizeof(buf));
	KUNIT_EXPECT_STREQ(test, tcpk_path_append(buf, sizeof(buf), "bcdef", 2),
			   "/a/bc");
	/* A directory path filling its room has no room for anything. */
	memset(buf, 'a', sizeof(buf));
	KUNIT_EXPECT_NULL(test, tcpk_path_append(buf, sizeof(buf), "x", 1));
}

static struct kunit_case object_cases[] = {
	KUNIT_CASE(object_may_access),
	KUNIT_CASE(object_prot_access),
	KUNIT_CASE(object_sockaddr_inet),
	KUNIT_CASE(object_sockaddr_inet6),
	KUNIT_CASE(object_sockaddr_unix),
	KUNIT_CASE(object_sockaddr_other),
	KUNIT_CASE(object_socket_text),
	KUNIT_CASE(object_path_append),
	{}
};

static struct kunit_suite object_suite = {
	.name = "tcp_kernel_hook_objects",
	.test_cases = object_cases,
};

kunit_test_suites(&object_suite);
