/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - the objects of hook requests as text, and their access bits
 *
 * Pure functions of their arguments (no locks, no state, never sleep), so
 * that the hooks (lsm/hooks.c) and the KUnit suite use the same code.
 */
#ifndef _TCPK_LSM_OBJECT_H
#define _TCPK_LSM_OBJECT_H

#include <linux/types.h>

struct sockaddr;

u32 tcpk_may_access(int mask);
u32 tcpk_prot_access(unsigned long prot);
const char *tcpk_sockaddr_text(char *buf, size_t size,
			       const struct sockaddr *sa, int len);
const char *tcpk_socket_text(char *buf, size_t size, int family, int type);
const char *tcpk_path_append(char *dir, size_t room, const char *name,
			     size_t nlen);

#endif /* _TCPK_LSM_OBJECT_H */
