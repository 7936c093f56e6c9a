/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - netlink attributes of descriptors: request parsing, replies
 */
#ifndef _TCPK_DESC_NL_H
#define _TCPK_DESC_NL_H

#include <net/netlink.h>
#include <linux/types.h>

#include "descdb/descdb.h"

/**
 * struct tcpk_nl_error - why a request's descriptor attributes were refused
 * @index: index of the %TCPK_A_DESC nest among those of the message.
 * @nest: that nest.
 * @missing: the attribute type that is missing from @nest, or 0.
 * @field: the attribute or descriptor field at fault ("raw", "path",
 *	"binding", ...), a static string.
 * @reason: what is wrong with it, a short static string.
 */
struct tcpk_nl_error {
	u32 index;
	const struct nlattr *nest;
	u16 missing;
	const char *field;
	const char *reason;
};

u32 tcpk_nl_desc_count(const struct nlattr *head, int len);
int tcpk_nl_desc_items(const struct nlattr *head, int len,
		       const struct nla_policy *policy,
		       struct tcpk_desc_item *items, u32 n,
		       struct tcpk_nl_error *err);
const struct nlattr *tcpk_nl_desc_nth(const struct nlattr *head, int len,
				      u32 index);
int tcpk_nl_desc_identity(const struct nlattr *nest,
			  const struct nla_policy *policy,
			  struct tcpk_desc_binding *bind,
			  struct tcpk_nl_error *err);
size_t tcpk_nl_desc_size(const struct tcpk_desc_binding *bind);
int tcpk_nl_desc_fill(struct sk_buff *skb, u64 key,
		      const struct tcpk_desc *desc,
		      const struct tcpk_desc_binding *bind);

#endif /* _TCPK_DESC_NL_H */
