// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - the generic-netlink family "tcp_kernel"
 *
 * The uapi is uapi/linux/tcp_kernel.h; the family is described by
 * Documentation/netlink/specs/tcp_kernel.yaml, from which core/genl.c
 * (the policies and the small ops table) is generated.  This file holds
 * the handlers the ops table names and the family itself.
 *
 * Every request is validated strictly against the global policy by the
 * generic netlink core before a handler runs: unknown attributes, wrong
 * types and lengths and out-of-range values are refused there, with the
 * core's extack message.  Handlers refuse what a policy cannot express
 * (missing or conflicting attributes) with a message of their own.
 * Commands that change state carry GENL_ADMIN_PERM (CAP_NET_ADMIN in the
 * user namespace of the network namespace); the others need no privilege.
 *
 * The family is parallel_ops: handlers take no genetlink lock.  GET_STATUS
 * reads a lockless snapshot; the descriptor database serialises its
 * writers and reads under RCU.
 */

#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "core/compat.h"
#include "core/desc_nl.h"
#include "core/genl.h"
#include "core/main.h"
#include "core/netlink.h"
#include "core/stats.h"
#include "core/status.h"
#include "descdb/descdb.h"

static struct genl_family tcpk_genl_family;

/*
 * 6.1 has no formatted extack messages (see tcpk_nl_err_fmt()): there the
 * message is one of these, naming the field at fault.
 */
static const struct {
	const char *field;
	const char *msg;
} tcpk_nl_field_msgs[] = {
	{ "magic", "refused: magic" },
	{ "version", "refused: version" },
	{ "check", "refused: check" },
	{ "name_len", "refused: name_len" },
	{ "flags", "refused: flags" },
	{ "cmd_hash", "refused: cmd_hash" },
	{ "key_kind", "refused: key_kind" },
	{ "key", "refused: key" },
	{ "raw", "refused: raw" },
	{ "path", "refused: path" },
	{ "sha256", "refused: sha256" },
	{ "syscall", "refused: syscall" },
	{ "binding", "refused: binding" },
	{ "identity", "refused: identity" },
	{ "desc", "refused: desc" },
	{ "max_descriptors", "refused: database full (max_descriptors)" },
	{ "batch", "refused: batch" },
};

static const char *tcpk_nl_field_msg(const char *field)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tcpk_nl_field_msgs); i++)
		if (!strcmp(field, tcpk_nl_field_msgs[i].field))
			return tcpk_nl_field_msgs[i].msg;
	return "refused";
}

/*
 * Refusal of a descriptor of a batch: "descriptor 17: check: check does
 * not match crc32 of bytes 0..21", the bad attribute being its nest.
 */
static void tcpk_nl_desc_refused(struct netlink_ext_ack *extack,
				 const struct nlattr *nest, u32 index,
				 const char *field, const char *reason)
{
	if (nest)
		NL_SET_BAD_ATTR(extack, nest);
	tcpk_nl_err_fmt(extack, tcpk_nl_field_msg(field),
			"descriptor %u: %s: %s", index, field, reason);
}

/* Refusal of the identity of a DEL or GET: "path: path is not absolute". */
static void tcpk_nl_identity_refused(struct netlink_ext_ack *extack,
				     const struct nlattr *nest,
				     const char *field, const char *reason)
{
	NL_SET_BAD_ATTR(extack, nest);
	tcpk_nl_err_fmt(extack, tcpk_nl_field_msg(field), "%s: %s", field,
			reason);
}

/* The attribute stream of a request. */
static const struct nlattr *tcpk_nl_attrs(const struct genl_info *info,
					  int *len)
{
	*len = genlmsg_len(info->genlhdr);
	return genlmsg_data(info->genlhdr);
}

/*
 * Commands that take no attribute refuse the only one the policy
 * accepts: a FLUSH that carries a descriptor is a client's mistake, not
 * a request to delete everything.
 */
static int tcpk_nl_no_attrs(const struct genl_info *info)
{
	if (!info->attrs[TCPK_A_DESC])
		return 0;
	NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[TCPK_A_DESC],
			    "this command takes no attribute");
	return -EINVAL;
}

/* Commands that need at least one %TCPK_A_DESC nest. */
static int tcpk_nl_need_desc(const struct genl_info *info)
{
	if (info->attrs[TCPK_A_DESC])
		return 0;
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, TCPK_A_DESC);
	NL_SET_ERR_MSG(info->extack, "desc: missing (one nest per descriptor or identity)");
	return -EINVAL;
}

/**
 * tcpk_nl_get_status_doit() - %TCPK_CMD_GET_STATUS
 * @skb: the request.
 * @info: the request's header and attributes.
 *
 * Return: 0 or a negative errno.
 */
int tcpk_nl_get_status_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpk_status *st;
	struct sk_buff *msg;
	void *hdr;
	int err;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	err = tcpk_nl_no_attrs(info);
	if (err)
		return err;

	st = kzalloc(sizeof(*st), GFP_KERNEL_ACCOUNT);
	if (!st)
		return -ENOMEM;
	tcpk_status_collect(st);

	err = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto out_free;

	hdr = genlmsg_put_reply(msg, info, &tcpk_genl_family, 0,
				TCPK_CMD_GET_STATUS);
	if (!hdr)
		goto err_msg;

	err = tcpk_status_fill(msg, st);
	if (err) {
		NL_SET_ERR_MSG(info->extack, "status does not fit in one message");
		goto err_msg;
	}
	genlmsg_end(msg, hdr);
	kfree(st);
	return genlmsg_reply(msg, info);

err_msg:
	nlmsg_free(msg);
out_free:
	kfree(st);
	return err;
}

/**
 * tcpk_nl_desc_add_doit() - %TCPK_CMD_DESC_ADD: a batch, all or nothing
 * @skb: the request.
 * @info: the request's header and attributes.
 *
 * Every %TCPK_A_DESC nest of the message becomes one item; the items
 * point into the message (paths), which outlives the call of
 * tcpk_descdb_add().  The batch is bounded by ``max_descriptors`` and by
 * the message, whose size the sender's socket buffer bounds.
 *
 * Return: 0 or a negative errno, with an extack message.
 */
int tcpk_nl_desc_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpk_desc_error dberr = {};
	struct tcpk_nl_error nlerr = {};
	struct tcpk_descdb_stats st;
	struct tcpk_desc_item *items;
	const struct nlattr *head;
	int len, err;
	u32 n;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	if (tcpk_nl_need_desc(info))
		return -EINVAL;

	head = tcpk_nl_attrs(info, &len);
	n = tcpk_nl_desc_count(head, len);
	tcpk_descdb_stats(&st);
	if (n > st.limit) {
		tcpk_nl_err_fmt(info->extack, "batch: more descriptors than max_descriptors",
				"batch: %u descriptors, max_descriptors is %u",
				n, st.limit);
		return -ENOSPC;
	}

	items = kvcalloc(n, sizeof(*items), GFP_KERNEL_ACCOUNT);
	if (!items) {
		NL_SET_ERR_MSG(info->extack, "batch: out of memory");
		return -ENOMEM;
	}

	err = tcpk_nl_desc_items(head, len, tcpk_desc_nl_policy, items, n,
				 &nlerr);
	if (err) {
		if (nlerr.missing)
			NL_SET_ERR_ATTR_MISS(info->extack, nlerr.nest,
					     nlerr.missing);
		tcpk_nl_desc_refused(info->extack, nlerr.nest, nlerr.index,
				     nlerr.field, nlerr.reason);
		goto out;
	}

	err = tcpk_descdb_add(items, n, &dberr);
	if (err == -ENOMEM)
		NL_SET_ERR_MSG(info->extack, "batch: out of memory");
	else if (err)
		tcpk_nl_desc_refused(info->extack,
				     tcpk_nl_desc_nth(head, len, dberr.index),
				     dberr.index, dberr.field, dberr.reason);
out:
	kvfree(items);
	return err;
}

/*
 * The identity named by the one %TCPK_A_DESC nest of a DEL or GET,
 * checked as the database checks it.
 */
static int tcpk_nl_identity(struct genl_info *info,
			    struct tcpk_desc_binding *bind)
{
	const char *field, *reason;
	struct tcpk_nl_error nlerr;
	const struct nlattr *head;
	int len;

	if (tcpk_nl_need_desc(info))
		return -EINVAL;
	head = tcpk_nl_attrs(info, &len);
	if (tcpk_nl_desc_count(head, len) != 1) {
		NL_SET_ERR_MSG_ATTR(info->extack, tcpk_nl_desc_nth(head, len, 1),
				    "identity: exactly one desc nest expected");
		return -EINVAL;
	}
	if (tcpk_nl_desc_identity(info->attrs[TCPK_A_DESC],
				  tcpk_desc_nl_policy, bind, &nlerr)) {
		tcpk_nl_identity_refused(info->extack, nlerr.nest,
					 nlerr.field, nlerr.reason);
		return -EINVAL;
	}
	if (tcpk_desc_binding_validate(bind, &field, &reason)) {
		tcpk_nl_identity_refused(info->extack, info->attrs[TCPK_A_DESC],
					 field, reason);
		return -EINVAL;
	}
	return 0;
}

/**
 * tcpk_nl_desc_del_doit() - %TCPK_CMD_DESC_DEL
 * @skb: the request.
 * @info: the request's header and attributes.
 *
 * Return: 0, -ENOENT if the identity has no descriptor, or another
 * negative errno, with an extack message.
 */
int tcpk_nl_desc_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpk_desc_binding bind;
	int err;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	err = tcpk_nl_identity(info, &bind);
	if (err)
		return err;
	err = tcpk_descdb_del(&bind);
	if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[TCPK_A_DESC],
				    "no descriptor is bound to this identity");
	else if (err)
		NL_SET_ERR_MSG(info->extack, "cannot delete the descriptor");
	return err;
}

/**
 * tcpk_nl_desc_get_doit() - %TCPK_CMD_DESC_GET (do): one descriptor
 * @skb: the request.
 * @info: the request's header and attributes.
 *
 * The reply is built under rcu_read_lock() from the published entry
 * itself (key, descriptor and the binding as stored).
 *
 * Return: 0, -ENOENT if the identity has no descriptor, or another
 * negative errno, with an extack message.
 */
int tcpk_nl_desc_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	const struct tcpk_desc_entry *e;
	struct tcpk_desc_binding bind;
	struct sk_buff *msg;
	void *hdr;
	int err;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	err = tcpk_nl_identity(info, &bind);
	if (err)
		return err;

	/* The entry's binding has the size of the request's. */
	msg = genlmsg_new(tcpk_nl_desc_size(&bind), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &tcpk_genl_family, 0,
				TCPK_CMD_DESC_GET);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_msg;
	}

	rcu_read_lock();
	e = tcpk_descdb_lookup(&bind);
	if (e)
		err = tcpk_nl_desc_fill(msg, e->key, &e->desc, &e->bind);
	else
		err = -ENOENT;
	rcu_read_unlock();
	if (err == -ENOENT) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[TCPK_A_DESC],
				    "no descriptor is bound to this identity");
		goto err_msg;
	}
	if (err)
		goto err_msg;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_msg:
	nlmsg_free(msg);
	return err;
}

/**
 * struct tcpk_nl_dump - state of a DESC_GET dump, in &netlink_callback.ctx
 * @cur: where the database walk resumes; its generation is that of the
 *	database when the dump started.
 * @started: the first call has been made.
 * @intr: the database changed since the dump started, or was being
 *	changed: the dump is flagged NLM_F_DUMP_INTR.
 *
 * The netlink core zeroes the context before the first call, which is
 * the start the cursor needs; nothing is allocated, so the small ops'
 * lack of start and done callbacks costs nothing.
 */
struct tcpk_nl_dump {
	struct tcpk_descdb_cursor cur;
	bool started;
	bool intr;
};

static_assert(sizeof(struct tcpk_nl_dump) <=
	      sizeof_field(struct netlink_callback, ctx));

/**
 * struct tcpk_nl_dump_arg - what the emit callback of one call needs
 * @skb: the message being filled.
 * @cb: the dump.
 * @need: size of the message of the entry that did not fit.
 */
struct tcpk_nl_dump_arg {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	u32 need;
};

/*
 * NLM_F_DUMP_INTR from the database generation.  The generation is odd
 * while a change is being published and changes with every change; the
 * dump is consistent only if it stayed even and equal to its value at
 * the first call.  &netlink_callback.seq is 1 while consistent and 2
 * after, so genl_dump_check_consistent() flags the first message (or the
 * NLMSG_DONE) that follows the discovery.
 */
static void tcpk_nl_dump_sync(struct tcpk_nl_dump *d,
			      struct netlink_callback *cb)
{
	struct tcpk_descdb_stats st;

	tcpk_descdb_stats(&st);
	if (d->started &&
	    (st.generation != d->cur.generation || (st.generation & 1)))
		d->intr = true;
	cb->seq = d->intr ? 2 : 1;
}

/* Called under rcu_read_lock() for each entry: must not sleep. */
static int tcpk_nl_dump_one(const struct tcpk_desc_entry *e, void *data)
{
	struct tcpk_nl_dump_arg *arg = data;
	struct netlink_callback *cb = arg->cb;
	void *hdr;

	hdr = genlmsg_put(arg->skb, NETLINK_CB(cb->skb).portid,
			  cb->nlh->nlmsg_seq, &tcpk_genl_family, NLM_F_MULTI,
			  TCPK_CMD_DESC_GET);
	if (!hdr)
		goto full;
	if (tcpk_nl_desc_fill(arg->skb, e->key, &e->desc, &e->bind)) {
		genlmsg_cancel(arg->skb, hdr);
		goto full;
	}
	genl_dump_check_consistent(cb, hdr);
	genlmsg_end(arg->skb, hdr);
	return 0;

full:
	arg->need = nlmsg_total_size(GENL_HDRLEN + tcpk_nl_desc_size(&e->bind));
	return -EMSGSIZE;
}

/**
 * tcpk_nl_desc_get_dumpit() - %TCPK_CMD_DESC_GET (dump): every descriptor
 * @skb: the message to fill.
 * @cb: the dump; its context holds &struct tcpk_nl_dump.
 *
 * One message per descriptor, as many as fit in @skb per call; the
 * database cursor resumes at the entry that did not fit.  The first skb
 * of a dump has the netlink core's default size (NLMSG_GOODSIZE, less
 * than a page) and an entry with a long path does not fit in it: then
 * the skb, still empty, grows to fit (pskb_expand_head(), which keeps the
 * socket's accounting, as the skb's truesize does not change) and
 * &netlink_callback.min_dump_alloc makes every later skb big enough.
 * Small ops have no start callback that could set it before the first.
 *
 * Return: the length of @skb while more is to come, 0 at the end, or a
 * negative errno.
 */
int tcpk_nl_desc_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tcpk_nl_dump *d = (struct tcpk_nl_dump *)cb->ctx;
	struct tcpk_nl_dump_arg arg = { .skb = skb, .cb = cb };
	int err;

	if (!d->started) {
		tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
		/* So that even an empty dump's NLMSG_DONE is checked. */
		cb->prev_seq = 1;
	}
	tcpk_nl_dump_sync(d, cb);

	err = tcpk_descdb_dump(&d->cur, tcpk_nl_dump_one, &arg);
	if (err == -EMSGSIZE && !skb->len && arg.need > skb_tailroom(skb)) {
		cb->min_dump_alloc = max(cb->min_dump_alloc, arg.need);
		if (pskb_expand_head(skb, 0, arg.need - skb_tailroom(skb),
				     GFP_KERNEL))
			return -ENOMEM;
		err = tcpk_descdb_dump(&d->cur, tcpk_nl_dump_one, &arg);
	}
	d->started = true;
	/* A change during this walk flags what follows it. */
	tcpk_nl_dump_sync(d, cb);

	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err;
}

/**
 * tcpk_nl_desc_flush_doit() - %TCPK_CMD_DESC_FLUSH
 * @skb: the request.
 * @info: the request's header and attributes.
 *
 * Return: 0, or -EINVAL if the request carries an attribute.
 */
int tcpk_nl_desc_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	err = tcpk_nl_no_attrs(info);
	if (err)
		return err;
	tcpk_descdb_flush();
	return 0;
}

/**
 * tcpk_nl_desc_count_doit() - %TCPK_CMD_DESC_COUNT
 * @skb: the request.
 * @info: the request's header and attributes.
 *
 * Return: 0 or a negative errno.
 */
int tcpk_nl_desc_count_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpk_descdb_stats st;
	struct sk_buff *msg;
	void *hdr;
	int err;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	err = tcpk_nl_no_attrs(info);
	if (err)
		return err;

	msg = genlmsg_new(2 * nla_total_size(sizeof(u32)) +
			  nla_total_size_64bit(sizeof(u64)), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &tcpk_genl_family, 0,
				TCPK_CMD_DESC_COUNT);
	if (!hdr)
		goto err_msg;

	tcpk_descdb_stats(&st);
	if (nla_put_u32(msg, TCPK_A_DB_COUNT, st.count) ||
	    nla_put_u64_64bit(msg, TCPK_A_DB_BYTES, st.bytes, TCPK_A_PAD) ||
	    nla_put_u32(msg, TCPK_A_DB_LIMIT, st.limit))
		goto err_msg;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_msg:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/*
 * Commands from resv_start_op on get strict validation: reserved header
 * fields must be zero, and every attribute is checked against the global
 * policy (unknown ones refused).  All our commands are new, so all of
 * them are strict.
 */
static struct genl_family tcpk_genl_family __ro_after_init = {
	.name = TCPK_GENL_NAME,
	.version = TCPK_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.policy = tcpk_nl_policy,
	.maxattr = ARRAY_SIZE(tcpk_nl_policy) - 1,
	.small_ops = tcpk_nl_ops,
	.n_small_ops = ARRAY_SIZE(tcpk_nl_ops),
	.resv_start_op = TCPK_CMD_UNSPEC + 1,
};

/**
 * tcpk_netlink_init() - register the generic-netlink family
 *
 * Return: 0 or the error of genl_register_family().
 */
int tcpk_netlink_init(void)
{
	return genl_register_family(&tcpk_genl_family);
}

/**
 * tcpk_netlink_exit() - unregister the family; waits for running requests
 */
void tcpk_netlink_exit(void)
{
	genl_unregister_family(&tcpk_genl_family);
}
