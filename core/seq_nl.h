/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - netlink encoding of patterns (%TCPK_A_SEQ) and learned
 * profiles (%TCPK_A_PROFILE)
 */
#ifndef _TCPK_SEQ_NL_H
#define _TCPK_SEQ_NL_H

#include <linux/skbuff.h>
#include <linux/types.h>
#include <net/netlink.h>

struct tcpk_seq_pattern;
struct tcpk_profile_info;

/**
 * struct tcpk_seq_nl_error - why a nest was refused
 * @attr: the attribute at fault (or the nest).
 * @msg: the extack message, a static string.
 */
struct tcpk_seq_nl_error {
	const struct nlattr *attr;
	const char *msg;
};

/**
 * struct tcpk_nl_profile_req - a %TCPK_A_PROFILE nest of a request
 * @path: the executable (points into the message).
 * @mode: &enum tcpk_profile_mode (profile-set).
 * @import: trigrams were given.
 * @ngrams: their attribute.
 * @n: how many.
 */
struct tcpk_nl_profile_req {
	const char *path;
	u32 mode;
	bool import;
	const struct nlattr *ngrams;
	u32 n;
};

int tcpk_nl_seq_parse(const struct nlattr *nest, struct tcpk_seq_pattern *p,
		      struct tcpk_seq_nl_error *e);
int tcpk_nl_seq_id_parse(const struct nlattr *nest, u32 *id,
			 struct tcpk_seq_nl_error *e);
size_t tcpk_nl_seq_size(void);
int tcpk_nl_seq_fill(struct sk_buff *skb, const struct tcpk_seq_pattern *p,
		     u64 matches);

int tcpk_nl_profile_parse(const struct nlattr *nest,
			  struct tcpk_nl_profile_req *r, bool need_mode,
			  struct tcpk_seq_nl_error *e);
size_t tcpk_nl_profile_size(u32 n);

struct tcpk_model;
struct tcpk_model_info;

int tcpk_nl_model_parse(const struct nlattr *nest, struct tcpk_model *m,
			struct tcpk_seq_nl_error *e);
size_t tcpk_nl_model_size(void);
int tcpk_nl_model_fill(struct sk_buff *skb,
		       const struct tcpk_model_info *info);
int tcpk_nl_profile_fill(struct sk_buff *skb,
			 const struct tcpk_profile_info *info,
			 const u32 *keys, u32 n);

#endif /* _TCPK_SEQ_NL_H */
