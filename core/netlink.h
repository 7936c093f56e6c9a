/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - the generic-netlink family "tcp_kernel"
 */
#ifndef _TCPK_NETLINK_H
#define _TCPK_NETLINK_H

#include <linux/types.h>

struct tcpk_event;

int tcpk_netlink_init(void);
void tcpk_netlink_exit(void);

int tcpk_netlink_event_send(const struct tcpk_event *ev, u64 dropped);

#endif /* _TCPK_NETLINK_H */
