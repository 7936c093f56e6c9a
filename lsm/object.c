// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - the objects of hook requests as text, and their access bits
 *
 * Rules match the object of every operation with a path glob
 * (--match-path), so objects that are not files are spelled as text here:
 * socket addresses "ADDR:PORT", "[ADDR]:PORT", a Unix path or "@name",
 * new sockets "FAMILY:TYPE".
 */

#include <linux/fs.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/kernel.h>
#include <linux/mman.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/un.h>
#include <linux/tcp_kernel.h>

#include "lsm/object.h"

/**
 * tcpk_may_access() - access bits of a MAY_* mask (file_permission)
 * @mask: MAY_READ, MAY_WRITE, MAY_APPEND, MAY_EXEC.
 *
 * Return: a mask of ``1 << enum tcpk_access``; an append is ``append``,
 * not ``write``.
 */
u32 tcpk_may_access(int mask)
{
	u32 access = 0;

	if (mask & MAY_READ)
		access |= BIT(TCPK_ACCESS_READ);
	if (mask & MAY_APPEND)
		access |= BIT(TCPK_ACCESS_APPEND);
	else if (mask & MAY_WRITE)
		access |= BIT(TCPK_ACCESS_WRITE);
	if (mask & MAY_EXEC)
		access |= BIT(TCPK_ACCESS_EXEC);
	return access;
}

/**
 * tcpk_prot_access() - access bits of a PROT_* protection (mmap, mprotect)
 * @prot: PROT_READ, PROT_WRITE, PROT_EXEC.
 *
 * Return: a mask of ``1 << enum tcpk_access``.
 */
u32 tcpk_prot_access(unsigned long prot)
{
	u32 access = 0;

	if (prot & PROT_READ)
		access |= BIT(TCPK_ACCESS_READ);
	if (prot & PROT_WRITE)
		access |= BIT(TCPK_ACCESS_WRITE);
	if (prot & PROT_EXEC)
		access |= BIT(TCPK_ACCESS_EXEC);
	return access;
}

/**
 * tcpk_sockaddr_text() - a socket address as rules match it
 * @buf: receives the text.
 * @size: size of @buf.
 * @sa: the address (a kernel copy), or NULL.
 * @len: its length.
 *
 * "ADDR:PORT" for IPv4, "[ADDR]:PORT" for IPv6 (compressed form), the
 * path of a Unix socket ("@name" for an abstract one), "family:N" for any
 * other family.  Truncated to @size.
 *
 * Return: @buf, or NULL when @sa is NULL or too short for its family.
 */
const char *tcpk_sockaddr_text(char *buf, size_t size,
			       const struct sockaddr *sa, int len)
{
	if (!sa || len < (int)sizeof(sa->sa_family) || !size)
		return NULL;
	switch (sa->sa_family) {
	case AF_INET: {
		const struct sockaddr_in *sin = (const void *)sa;

		if (len < (int)sizeof(*sin))
			return NULL;
		snprintf(buf, size, "%pI4:%u", &sin->sin_addr,
			 ntohs(sin->sin_port));
		return buf;
	}
	case AF_INET6: {
		const struct sockaddr_in6 *sin6 = (const void *)sa;

		/* The RFC 2133 size, without sin6_scope_id, is valid. */
		if (len < (int)offsetof(struct sockaddr_in6, sin6_scope_id))
			return NULL;
		snprintf(buf, size, "[%pI6c]:%u", &sin6->sin6_addr,
			 ntohs(sin6->sin6_port));
		return buf;
	}
	case AF_UNIX: {
		const struct sockaddr_un *sun = (const void *)sa;
		int n = len - (int)offsetof(struct sockaddr_un, sun_path);

		if (n <= 0)
			return NULL;
		n = min_t(int, n, sizeof(sun->sun_path));
		if (sun->sun_path[0])
			snprintf(buf, size, "%.*s", n, sun->sun_path);
		else
			snprintf(buf, size, "@%.*s", n - 1, sun->sun_path + 1);
		return buf;
	}
	default:
		snprintf(buf, size, "family:%u", sa->sa_family);
		return buf;
	}
}

static const char *tcpk_family_name(int family)
{
	switch (family) {
	case AF_UNIX: return "unix";
	case AF_INET: return "inet";
	case AF_INET6: return "inet6";
	case AF_NETLINK: return "netlink";
	case AF_PACKET: return "packet";
	default: return NULL;
	}
}

static const char *tcpk_socktype_name(int type)
{
	switch (type & SOCK_TYPE_MASK) {
	case SOCK_STREAM: return "stream";
	case SOCK_DGRAM: return "dgram";
	case SOCK_RAW: return "raw";
	case SOCK_SEQPACKET: return "seqpacket";
	default: return NULL;
	}
}

/**
 * tcpk_socket_text() - a new socket as rules match it (socket_create)
 * @buf: receives the text.
 * @size: size of @buf.
 * @family: AF_*.
 * @type: SOCK_*, with or without SOCK_NONBLOCK and SOCK_CLOEXEC.
 *
 * "FAMILY:TYPE" with the names "unix", "inet", "inet6", "netlink",
 * "packet" and "stream", "dgram", "raw", "seqpacket"; numbers for others.
 *
 * Return: @buf.
 */
const char *tcpk_socket_text(char *buf, size_t size, int family, int type)
{
	const char *fname = tcpk_family_name(family);
	const char *tname = tcpk_socktype_name(type);
	int t = type & SOCK_TYPE_MASK;

	if (fname && tname)
		snprintf(buf, size, "%s:%s", fname, tname);
	else if (fname)
		snprintf(buf, size, "%s:%d", fname, t);
	else if (tname)
		snprintf(buf, size, "%d:%s", family, tname);
	else
		snprintf(buf, size, "%d:%d", family, t);
	return buf;
}

/**
 * tcpk_path_append() - append "/name" to a directory's path in place
 * @dir: the directory's absolute path (as d_path() gives it).
 * @room: bytes available from @dir on, its NUL included.
 * @name: the entry's name (not NUL-terminated).
 * @nlen: its length.
 *
 * "/" and "x" give "/x"; "/a" and "x" give "/a/x".
 *
 * Return: @dir, or NULL if the result does not fit in @room.
 */
const char *tcpk_path_append(char *dir, size_t room, const char *name,
			     size_t nlen)
{
	size_t len = strnlen(dir, room);
	size_t sep = len > 1 || (len == 1 && dir[0] != '/');

	if (len >= room || len + sep + nlen + 1 > room)
		return NULL;
	if (sep)
		dir[len++] = '/';
	memcpy(dir + len, name, nlen);
	dir[len + nlen] = '\0';
	return dir;
}
