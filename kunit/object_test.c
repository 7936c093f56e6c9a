// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - KUnit suite of the hooks' object text and access bits
 */

#include <kunit/test.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/un.h>

#include "../lsm/object.c"

/* @r is text equal to @s (a NULL @r fails the case, it does not crash). */
static void expect_text(struct kunit *test, const char *r, const char *s)
{
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_STREQ(test, r, s);
}

/* Short names for the calls under test; @buf is the case's buffer. */
static const char *sa_text(char *buf, size_t size, const void *sa, int len)
{
	return tcpk_sockaddr_text(buf, size, sa, len);
}

static const char *so_text(char *buf, int family, int type)
{
	return tcpk_socket_text(buf, 32, family, type);
}

static const char *append(char *buf, const char *name, size_t nlen)
{
	return tcpk_path_append(buf, 16, name, nlen);
}

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
	const size_t N = sizeof(buf);
	const char *r;

	r = sa_text(buf, N, &sin, sizeof(sin));
	expect_text(test, r, "127.0.0.1:8080");
	/* Too short for its family: no object, not a made-up one. */
	r = sa_text(buf, N, &sin, sizeof(sin) - 1);
	KUNIT_EXPECT_NULL(test, r);
	r = sa_text(buf, N, &sin, 1);
	KUNIT_EXPECT_NULL(test, r);
	r = sa_text(buf, N, NULL, 16);
	KUNIT_EXPECT_NULL(test, r);
	/* Truncated to the buffer, and terminated. */
	r = sa_text(buf, 5, &sin, sizeof(sin));
	expect_text(test, r, "127.");
}

static void object_sockaddr_inet6(struct kunit *test)
{
	struct sockaddr_in6 sin6 = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(22),
		.sin6_addr = IN6ADDR_LOOPBACK_INIT,
	};
	char buf[64];
	const size_t N = sizeof(buf);
	const char *r;

	r = sa_text(buf, N, &sin6, sizeof(sin6));
	expect_text(test, r, "[::1]:22");
	/* The RFC 2133 length (no scope id) is accepted. */
	r = sa_text(buf, N, &sin6, 24);
	expect_text(test, r, "[::1]:22");
	r = sa_text(buf, N, &sin6, 23);
	KUNIT_EXPECT_NULL(test, r);
}

static void object_sockaddr_unix(struct kunit *test)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int base = offsetof(struct sockaddr_un, sun_path);
	char buf[128];
	const size_t N = sizeof(buf);
	const char *r;

	strscpy(sun.sun_path, "/run/x.sock", sizeof(sun.sun_path));
	r = sa_text(buf, N, &sun, base + 12);
	expect_text(test, r, "/run/x.sock");
	/* Abstract: a leading NUL, spelled "@"; the length bounds the name. */
	memcpy(sun.sun_path, "\0abs", 4);
	r = sa_text(buf, N, &sun, base + 4);
	expect_text(test, r, "@abs");
	/* An unnamed socket (no path at all) has no object. */
	r = sa_text(buf, N, &sun, base);
	KUNIT_EXPECT_NULL(test, r);
	/* A length beyond sun_path is cut at sun_path. */
	memset(sun.sun_path, 'a', sizeof(sun.sun_path));
	r = sa_text(buf, N, &sun, sizeof(sun) + 40);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, strlen(r), sizeof(sun.sun_path));
}

static void object_sockaddr_other(struct kunit *test)
{
	struct sockaddr sa = { .sa_family = AF_NETLINK };
	char buf[32];
	const size_t N = sizeof(buf);
	const char *r;

	r = sa_text(buf, N, &sa, sizeof(sa));
	expect_text(test, r, "family:16");
}

static void object_socket_text(struct kunit *test)
{
	char buf[32];
	const char *r;

	r = so_text(buf, AF_INET, SOCK_STREAM);
	expect_text(test, r, "inet:stream");
	/* Flags in the type do not change the name. */
	r = so_text(buf, AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC);
	expect_text(test, r, "inet6:dgram");
	r = so_text(buf, AF_PACKET, SOCK_RAW);
	expect_text(test, r, "packet:raw");
	r = so_text(buf, AF_UNIX, SOCK_SEQPACKET);
	expect_text(test, r, "unix:seqpacket");
	r = so_text(buf, AF_INET, SOCK_RDM);
	expect_text(test, r, "inet:4");
	r = so_text(buf, 40, SOCK_STREAM);
	expect_text(test, r, "40:stream");
	r = so_text(buf, 40, 9);
	expect_text(test, r, "40:9");
}

static void object_path_append(struct kunit *test)
{
	char buf[16];
	const char *r;

	strscpy(buf, "/", sizeof(buf));
	r = append(buf, "x", 1);
	expect_text(test, r, "/x");
	strscpy(buf, "/tmp", sizeof(buf));
	r = append(buf, "ab", 2);
	expect_text(test, r, "/tmp/ab");
	/* Exactly full: "/tmp/" + 10 bytes + NUL is 16. */
	strscpy(buf, "/tmp", sizeof(buf));
	r = append(buf, "0123456789", 10);
	expect_text(test, r, "/tmp/0123456789");
	/* One more does not fit; the buffer is left as it was. */
	strscpy(buf, "/tmp", sizeof(buf));
	r = append(buf, "0123456789a", 11);
	KUNIT_EXPECT_NULL(test, r);
	KUNIT_EXPECT_STREQ(test, buf, "/tmp");
	/* The name's length counts, not its NUL. */
	strscpy(buf, "/a", sizeof(buf));
	r = append(buf, "bcdef", 2);
	expect_text(test, r, "/a/bc");
	/* A directory path filling its room has no room for anything. */
	memset(buf, 'a', sizeof(buf));
	r = append(buf, "x", 1);
	KUNIT_EXPECT_NULL(test, r);
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
