/* SPDX-License-Identifier: GPL-2.0 */
/* tcp-policy - generic netlink helpers */
#ifndef TP_NL_H
#define TP_NL_H

#include <stdint.h>

#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

/**
 * struct tp_nl - a generic netlink socket bound to the tcp_kernel family
 * @sk: libnl socket, connected to NETLINK_GENERIC.
 * @family: numeric id of the "tcp_kernel" family.
 */
struct tp_nl {
	struct nl_sock *sk;
	int family;
};

/**
 * typedef tp_nl_parse_fn - parser of one reply message
 * @nlh: the message; its generic netlink header has been checked.
 * @arg: the caller's context.
 *
 * Called once per reply message (many times for a dump).  Reports its own
 * errors on stderr and returns 0, or a negative errno to fail the request;
 * the remaining replies are then drained and not parsed.
 */
typedef int (*tp_nl_parse_fn)(struct nlmsghdr *nlh, void *arg);

int tp_nl_open(struct tp_nl *nl);
void tp_nl_close(struct tp_nl *nl);
struct nl_msg *tp_nl_msg(const struct tp_nl *nl, uint8_t cmd, int flags);
int tp_nl_request(struct tp_nl *nl, struct nl_msg *msg, const char *what,
		  tp_nl_parse_fn parse, void *arg);
int tp_nl_parse(struct nlattr **tb, int maxtype, struct nlattr *head, int len,
		const struct nla_policy *policy, const char *what,
		const char *where);

#endif /* TP_NL_H */
