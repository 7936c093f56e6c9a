// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - netlink attributes of descriptors: request parsing, replies
 *
 * Pure functions of their arguments (an attribute stream, a policy, an
 * skb): the KUnit suite builds this file into the test module as it is.
 * Requests reach them already validated against the family's policy by
 * the generic netlink core; they re-parse each %TCPK_A_DESC nest strictly
 * with the same nested policy and apply the rules a policy cannot state
 * (which attributes go together, which are reply-only).
 */

#include <linux/string.h>
#include <net/netlink.h>

#include "core/desc_nl.h"

static void tcpk_nl_refuse(struct tcpk_nl_error *err, u32 index,
			   const struct nlattr *nest, const char *field,
			   const char *reason)
{
	err->index = index;
	err->nest = nest;
	err->missing = 0;
	err->field = field;
	err->reason = reason;
}

/*
 * Strict parse of one nest; the reply-only attributes are refused in
 * every request.
 */
static int tcpk_nl_desc_parse(struct nlattr **tb, const struct nlattr *nest,
			      const struct nla_policy *policy, u32 index,
			      struct tcpk_nl_error *err)
{
	if (nla_parse_nested(tb, TCPK_A_DESC_MAX, nest, policy, NULL)) {
		tcpk_nl_refuse(err, index, nest, "desc", "invalid attributes");
		return -EINVAL;
	}
	if (tb[TCPK_A_DESC_KEY_KIND]) {
		tcpk_nl_refuse(err, index, nest, "key_kind", "only in replies");
		return -EINVAL;
	}
	if (tb[TCPK_A_DESC_KEY]) {
		tcpk_nl_refuse(err, index, nest, "key", "only in replies");
		return -EINVAL;
	}
	return 0;
}

/*
 * The path binding: the policy guarantees a NUL within the attribute;
 * anything after the first NUL is refused rather than ignored.
 */
static int tcpk_nl_desc_path(const struct nlattr *attr,
			     struct tcpk_desc_binding *bind)
{
	size_t len = strnlen(nla_data(attr), nla_len(attr));

	if (len + 1 != nla_len(attr))
		return -EINVAL;
	bind->kind = TCPK_DESC_KEY_PATH;
	bind->path = nla_data(attr);
	bind->path_len = len;
	return 0;
}

/**
 * tcpk_nl_desc_count() - count the %TCPK_A_DESC attributes of a message
 * @head: first attribute of the message (after the genetlink header).
 * @len: length of the attribute stream.
 *
 * Return: the number of %TCPK_A_DESC attributes.
 */
u32 tcpk_nl_desc_count(const struct nlattr *head, int len)
{
	const struct nlattr *nla;
	u32 n = 0;
	int rem;

	nla_for_each_attr(nla, head, len, rem)
		if (nla_type(nla) == TCPK_A_DESC)
			n++;
	return n;
}

/**
 * tcpk_nl_desc_nth() - find a %TCPK_A_DESC attribute by its index
 * @head: first attribute of the message.
 * @len: length of the attribute stream.
 * @index: index among the %TCPK_A_DESC attributes, from 0.
 *
 * Return: the attribute, or NULL if there are not that many.
 */
const struct nlattr *tcpk_nl_desc_nth(const struct nlattr *head, int len,
				      u32 index)
{
	const struct nlattr *nla;
	int rem;

	nla_for_each_attr(nla, head, len, rem) {
		if (nla_type(nla) != TCPK_A_DESC)
			continue;
		if (!index--)
			return nla;
	}
	return NULL;
}

/**
 * tcpk_nl_desc_items() - parse the descriptors of a %TCPK_CMD_DESC_ADD
 * @head: first attribute of the message.
 * @len: length of the attribute stream.
 * @policy: policy of a %TCPK_A_DESC nest (the generated
 *	tcpk_desc_nl_policy).
 * @items: receives one item per %TCPK_A_DESC nest, zeroed by the caller.
 * @n: number of @items, tcpk_nl_desc_count() of the same stream.
 * @err: receives the index, nest, field and reason of a refusal.
 *
 * Each nest holds %TCPK_A_DESC_RAW and at most one binding:
 * %TCPK_A_DESC_PATH, %TCPK_A_DESC_SHA256 or %TCPK_A_DESC_SYSCALL; with
 * none, the descriptor is bound to its name (&struct tcpk_desc.cmd_hash).
 * Paths point into the message.  The descriptors themselves (magic,
 * version, check...) are verified by the database, not here.
 *
 * Return: 0, or -EINVAL with @err filled in.
 */
int tcpk_nl_desc_items(const struct nlattr *head, int len,
		       const struct nla_policy *policy,
		       struct tcpk_desc_item *items, u32 n,
		       struct tcpk_nl_error *err)
{
	struct nlattr *tb[TCPK_A_DESC_MAX + 1];
	const struct nlattr *nla;
	u32 i = 0;
	int rem;

	nla_for_each_attr(nla, head, len, rem) {
		struct tcpk_desc_item *item;
		int bindings;

		if (nla_type(nla) != TCPK_A_DESC)
			continue;
		if (i >= n) {
			tcpk_nl_refuse(err, i, nla, "batch", "more nests than counted");
			return -EINVAL;
		}
		if (tcpk_nl_desc_parse(tb, nla, policy, i, err))
			return -EINVAL;
		if (!tb[TCPK_A_DESC_RAW]) {
			tcpk_nl_refuse(err, i, nla, "raw", "missing");
			err->missing = TCPK_A_DESC_RAW;
			return -EINVAL;
		}
		if (nla_len(tb[TCPK_A_DESC_RAW]) != TCPK_DESC_LEN) {
			tcpk_nl_refuse(err, i, nla, "raw", "not 24 bytes");
			return -EINVAL;
		}
		if (tb[TCPK_A_DESC_CMD_HASH]) {
			tcpk_nl_refuse(err, i, nla, "cmd_hash",
				       "not in desc-add: raw names the command");
			return -EINVAL;
		}
		bindings = !!tb[TCPK_A_DESC_PATH] + !!tb[TCPK_A_DESC_SHA256] +
			   !!tb[TCPK_A_DESC_SYSCALL];
		if (bindings > 1) {
			tcpk_nl_refuse(err, i, nla, "binding",
				       "more than one of path, sha256, syscall");
			return -EINVAL;
		}

		item = &items[i];
		memcpy(&item->desc, nla_data(tb[TCPK_A_DESC_RAW]),
		       sizeof(item->desc));
		if (tb[TCPK_A_DESC_PATH]) {
			if (tcpk_nl_desc_path(tb[TCPK_A_DESC_PATH], &item->bind)) {
				tcpk_nl_refuse(err, i, nla, "path",
					       "bytes after its NUL");
				return -EINVAL;
			}
		} else if (tb[TCPK_A_DESC_SHA256]) {
			item->bind.kind = TCPK_DESC_KEY_DIGEST;
			nla_memcpy(item->bind.digest, tb[TCPK_A_DESC_SHA256],
				   sizeof(item->bind.digest));
		} else if (tb[TCPK_A_DESC_SYSCALL]) {
			item->bind.kind = TCPK_DESC_KEY_SYSCALL;
			item->bind.syscall = nla_get_u32(tb[TCPK_A_DESC_SYSCALL]);
		} else {
			item->bind.kind = TCPK_DESC_KEY_NAME;
			item->bind.cmd_hash = be32_to_cpu(item->desc.cmd_hash);
		}
		i++;
	}
	if (i != n) {
		tcpk_nl_refuse(err, i, NULL, "batch", "fewer nests than counted");
		return -EINVAL;
	}
	return 0;
}

/**
 * tcpk_nl_desc_identity() - parse the identity of a DESC_DEL or DESC_GET
 * @nest: the request's %TCPK_A_DESC nest.
 * @policy: policy of a %TCPK_A_DESC nest.
 * @bind: receives the identity; a path points into the message.
 * @err: receives the field and reason of a refusal (index 0).
 *
 * The nest names exactly one identity: %TCPK_A_DESC_CMD_HASH,
 * %TCPK_A_DESC_PATH, %TCPK_A_DESC_SHA256 or %TCPK_A_DESC_SYSCALL.
 *
 * Return: 0, or -EINVAL with @err filled in.
 */
int tcpk_nl_desc_identity(const struct nlattr *nest,
			  const struct nla_policy *policy,
			  struct tcpk_desc_binding *bind,
			  struct tcpk_nl_error *err)
{
	struct nlattr *tb[TCPK_A_DESC_MAX + 1];
	int ids;

	memset(bind, 0, sizeof(*bind));
	if (tcpk_nl_desc_parse(tb, nest, policy, 0, err))
		return -EINVAL;
	if (tb[TCPK_A_DESC_RAW]) {
		tcpk_nl_refuse(err, 0, nest, "raw",
			       "not here: name one identity");
		return -EINVAL;
	}
	ids = !!tb[TCPK_A_DESC_CMD_HASH] + !!tb[TCPK_A_DESC_PATH] +
	      !!tb[TCPK_A_DESC_SHA256] + !!tb[TCPK_A_DESC_SYSCALL];
	if (ids != 1) {
		tcpk_nl_refuse(err, 0, nest, "identity",
			       ids ? "more than one of cmd_hash, path, sha256, syscall" :
				     "one of cmd_hash, path, sha256, syscall needed");
		return -EINVAL;
	}

	if (tb[TCPK_A_DESC_CMD_HASH]) {
		bind->kind = TCPK_DESC_KEY_NAME;
		bind->cmd_hash = nla_get_u32(tb[TCPK_A_DESC_CMD_HASH]);
	} else if (tb[TCPK_A_DESC_PATH]) {
		if (tcpk_nl_desc_path(tb[TCPK_A_DESC_PATH], bind)) {
			tcpk_nl_refuse(err, 0, nest, "path", "bytes after its NUL");
			return -EINVAL;
		}
	} else if (tb[TCPK_A_DESC_SHA256]) {
		bind->kind = TCPK_DESC_KEY_DIGEST;
		nla_memcpy(bind->digest, tb[TCPK_A_DESC_SHA256],
			   sizeof(bind->digest));
	} else {
		bind->kind = TCPK_DESC_KEY_SYSCALL;
		bind->syscall = nla_get_u32(tb[TCPK_A_DESC_SYSCALL]);
	}
	return 0;
}

/**
 * tcpk_nl_desc_size() - room a %TCPK_A_DESC nest of a reply takes
 * @bind: the binding the nest will carry.
 *
 * Return: the size in bytes, padding included.
 */
size_t tcpk_nl_desc_size(const struct tcpk_desc_binding *bind)
{
	size_t size = nla_total_size(0) +		/* TCPK_A_DESC */
		      nla_total_size(TCPK_DESC_LEN) +	/* _RAW */
		      nla_total_size(sizeof(u32)) +	/* _KEY_KIND */
		      nla_total_size_64bit(sizeof(u64));	/* _KEY */

	switch (bind->kind) {
	case TCPK_DESC_KEY_PATH:
		return size + nla_total_size(bind->path_len + 1);
	case TCPK_DESC_KEY_DIGEST:
		return size + nla_total_size(TCPK_DESC_DIGEST_LEN);
	default:
		return size + nla_total_size(sizeof(u32));
	}
}

static int tcpk_nl_binding_fill(struct sk_buff *skb,
				const struct tcpk_desc_binding *bind)
{
	switch (bind->kind) {
	case TCPK_DESC_KEY_NAME:
		return nla_put_u32(skb, TCPK_A_DESC_CMD_HASH, bind->cmd_hash);
	case TCPK_DESC_KEY_PATH:
		/* nla_put_string() would need a strlen() of its own. */
		return nla_put(skb, TCPK_A_DESC_PATH, bind->path_len + 1,
			       bind->path);
	case TCPK_DESC_KEY_DIGEST:
		return nla_put(skb, TCPK_A_DESC_SHA256, TCPK_DESC_DIGEST_LEN,
			       bind->digest);
	case TCPK_DESC_KEY_SYSCALL:
		return nla_put_u32(skb, TCPK_A_DESC_SYSCALL, bind->syscall);
	default:
		return 0;
	}
}

/**
 * tcpk_nl_desc_fill() - encode one descriptor as a %TCPK_A_DESC nest
 * @skb: message being built.
 * @key: the entry's 64-bit key.
 * @desc: the descriptor.
 * @bind: its binding; a path must be NUL-terminated at @bind->path_len.
 *
 * The nest carries %TCPK_A_DESC_RAW, %TCPK_A_DESC_KEY_KIND,
 * %TCPK_A_DESC_KEY and the binding's attribute (%TCPK_A_DESC_CMD_HASH for
 * a name).  On failure nothing of it is left in @skb.  Never sleeps.
 *
 * Return: 0, or -EMSGSIZE if @skb is too small.
 */
int tcpk_nl_desc_fill(struct sk_buff *skb, u64 key,
		      const struct tcpk_desc *desc,
		      const struct tcpk_desc_binding *bind)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, TCPK_A_DESC);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put(skb, TCPK_A_DESC_RAW, sizeof(*desc), desc) ||
	    nla_put_u32(skb, TCPK_A_DESC_KEY_KIND, bind->kind) ||
	    nla_put_u64_64bit(skb, TCPK_A_DESC_KEY, key, TCPK_A_DESC_PAD) ||
	    tcpk_nl_binding_fill(skb, bind)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}
