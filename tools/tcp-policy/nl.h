/* SPDX-License-Identifier: GPL-2.0 */
/* tcp-policy - generic netlink helpers */
#ifndef TP_NL_H
#define TP_NL_H

#include <stdbool.h>
#include <stddef.h>
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

/**
 * struct tp_nl_ext - what the kernel said about a failed request
 * @quiet: (in) record the kernel's error here instead of printing it;
 *	the caller prints it, e.g. with tp_nl_report().
 * @err: (out) the kernel's negative errno, 0 if it reported none.
 * @msg: (out) its extended ACK message, empty if none.
 * @has_offs: (out) @offs is set.
 * @offs: (out) offset in the request of the attribute at fault
 *	(NLMSGERR_ATTR_OFFS), from the start of its netlink header.
 * @has_miss: (out) @miss_type is set.
 * @miss_type: (out) attribute the request lacks (NLMSGERR_ATTR_MISS_TYPE).
 * @dump_intr: (out) a reply of a dump was flagged NLM_F_DUMP_INTR: the
 *	data changed during the dump, which the caller should retry.  Without
 *	a &struct tp_nl_ext, an interrupted dump is an error.
 */
struct tp_nl_ext {
	bool quiet;
	int err;
	char msg[256];
	bool has_offs;
	uint32_t offs;
	bool has_miss;
	uint32_t miss_type;
	bool dump_intr;
};

int tp_nl_open(struct tp_nl *nl);
void tp_nl_close(struct tp_nl *nl);
struct nl_msg *tp_nl_msg(const struct tp_nl *nl, uint8_t cmd, int flags);
struct nl_msg *tp_nl_msg_size(const struct tp_nl *nl, uint8_t cmd, int flags,
			      size_t size);
int tp_nl_sndbuf(struct tp_nl *nl, size_t len, const char *what);
int tp_nl_request(struct tp_nl *nl, struct nl_msg *msg, const char *what,
		  tp_nl_parse_fn parse, void *arg);
/* Attempts at a dump that the data keeps changing under. */
#define TP_DUMP_ATTEMPTS	5

int tp_nl_dump(struct tp_nl *nl, uint8_t cmd, const char *what,
	       const char *changed, tp_nl_parse_fn parse, void *arg,
	       void (*reset)(void *arg));
int tp_nl_request_ext(struct tp_nl *nl, struct nl_msg *msg, const char *what,
		      tp_nl_parse_fn parse, void *arg, struct tp_nl_ext *ext);
void tp_nl_report(const char *what, const char *where,
		  const struct tp_nl_ext *ext);
int tp_nl_parse(struct nlattr **tb, int maxtype, struct nlattr *head, int len,
		const struct nla_policy *policy, const char *what,
		const char *where);

#endif /* TP_NL_H */
