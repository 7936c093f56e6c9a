/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - the generic-netlink family "tcp_kernel"
 */
#ifndef _TCPK_NETLINK_H
#define _TCPK_NETLINK_H

int tcpk_netlink_init(void);
void tcpk_netlink_exit(void);

#endif /* _TCPK_NETLINK_H */
