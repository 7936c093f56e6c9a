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
 * Commands that change state, and POLICY_EXPLAIN, carry GENL_ADMIN_PERM
 * (CAP_NET_ADMIN in the initial user namespace: netlink_capable()); the
 * others need no privilege, AGENT_START included (a label only restricts).
 *
 * The family is parallel_ops: handlers take no genetlink lock.  GET_STATUS
 * reads a lockless snapshot; the descriptor database and the policy engine
 * serialise their writers and read under RCU; dumps and what-if fill
 * their messages inside the engine's RCU walks, never sleeping there.
 */

#include <linux/bitops.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "core/compat.h"
#include "core/cost.h"
#include "core/desc_nl.h"
#include "core/genl.h"
#include "core/hwmon_nl.h"
#include "core/lock.h"
#include "core/main.h"
#include "core/netlink.h"
#include "core/policy_nl.h"
#include "core/proc_nl.h"
#include "core/seq_nl.h"
#include "core/signed.h"
#include "core/stats.h"
#include "core/status.h"
#include "descdb/descdb.h"
#include "hwmon/hwmon.h"
#include "policy/policy.h"
#include "policy/proc.h"
#include "behavior/sequence.h"

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
 * An extack message that is a static string but not a literal (the
 * NL_SET_ERR_MSG*() macros take literals only): a message of the parsers
 * or of the engine.
 */
static void tcpk_nl_msg(struct netlink_ext_ack *extack,
			const struct nlattr *attr, const char *msg)
{
	do_trace_netlink_extack(msg);
	if (!extack)
		return;
	extack->_msg = msg;
	if (attr)
		extack->bad_attr = attr;
}

/*
 * The top-level attributes a request may carry are those of the global
 * policy; each command takes some of them and refuses the others: a
 * FLUSH that carries a descriptor is a client's mistake, not a request
 * to delete everything.
 */
static const char *const tcpk_nl_not_taken[] = {
	[TCPK_A_DESC] = "desc: not taken by this command",
	[TCPK_A_RULE] = "rule: not taken by this command",
	[TCPK_A_REQ] = "req: not taken by this command",
	[TCPK_A_AGENT] = "agent: not taken by this command",
	[TCPK_A_MODE] = "mode: not taken by this command",
	[TCPK_A_PID] = "pid: not taken by this command",
	[TCPK_A_SEQ] = "seq: not taken by this command",
	[TCPK_A_PROFILE] = "profile: not taken by this command",
	[TCPK_A_MODEL] = "model: not taken by this command",
	[TCPK_A_LOCK_CONFIRM] = "lock-confirm: not taken by this command",
	[TCPK_A_SIGNATURE] = "signature: taken only by rule-replace, desc-add and model-set",
	[TCPK_A_COST_ITERATIONS] = "cost-iterations: not taken by this command",
};

static_assert(ARRAY_SIZE(tcpk_nl_not_taken) == ARRAY_SIZE(tcpk_nl_policy));

/* The masks of top-level attributes below are u64: one bit per type. */
static_assert(__TCPK_A_MAX <= 64);

/* Refuse every top-level attribute not in @taken (mask of 1 << type). */
static int tcpk_nl_only(const struct genl_info *info, u64 taken)
{
	unsigned int type;

	for (type = 1; type < ARRAY_SIZE(tcpk_nl_policy); type++) {
		if (!info->attrs[type] || (taken & BIT_ULL(type)))
			continue;
		if (tcpk_nl_not_taken[type])
			tcpk_nl_msg(info->extack, info->attrs[type],
				    tcpk_nl_not_taken[type]);
		else
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[type],
					    "attribute not taken by this command");
		return -EINVAL;
	}
	return 0;
}

static int tcpk_nl_no_attrs(const struct genl_info *info)
{
	return tcpk_nl_only(info, 0);
}

/* Commands that need at least one %TCPK_A_DESC nest. */
static int tcpk_nl_need_desc(const struct genl_info *info)
{
	if (tcpk_nl_only(info, BIT_ULL(TCPK_A_DESC)))
		return -EINVAL;
	if (info->attrs[TCPK_A_DESC])
		return 0;
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, TCPK_A_DESC);
	NL_SET_ERR_MSG(info->extack, "desc: missing (one nest per descriptor or identity)");
	return -EINVAL;
}

/*
 * Start a change that the lock refuses outright (a deletion, a flush, a
 * replacement, a release).  On 0 the module is not locked: the caller
 * applies the change, then calls tcpk_lock_change_end().  Otherwise
 * -EPERM with @msg (a TCPK_LOCKED_MSG()) in the extack.
 */
static int tcpk_nl_change_begin(struct genl_info *info, const char *msg)
{
	if (!tcpk_lock_change_begin())
		return 0;
	tcpk_lock_change_end();
	tcpk_nl_msg(info->extack, NULL, msg);
	return -EPERM;
}

/*
 * The signature check of a command that changes rules, descriptors or
 * the model (tcpk_sig_decide()): 0 to go on, else the refusal, with an
 * extack message naming its cause.  The signed bytes run from the generic
 * netlink header to the %TCPK_A_SIGNATURE attribute, which must be last.
 */
static int tcpk_nl_signed(struct genl_info *info)
{
	const struct nlattr *sig = info->attrs[TCPK_A_SIGNATURE];
	const u8 *start = (const u8 *)info->genlhdr;
	const u8 *end = (const u8 *)info->nlhdr + info->nlhdr->nlmsg_len;
	int err;

	switch (tcpk_sig_decide(info->genlhdr->cmd,
				READ_ONCE(tcpk_require_signed), sig)) {
	case TCPK_SIG_PASS:
		return 0;
	case TCPK_SIG_UNSIGNED:
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, TCPK_A_SIGNATURE);
		NL_SET_ERR_MSG(info->extack,
			       "signature: unsigned: require_signed_policy=1 refuses a load without a signature");
		return -EKEYREJECTED;
	case TCPK_SIG_UNSIGNABLE:
		NL_SET_ERR_MSG(info->extack,
			       "signature: require_signed_policy=1: this change cannot be signed (load a signed rule set, batch or model)");
		return -EKEYREJECTED;
	case TCPK_SIG_NOT_TAKEN:
		NL_SET_ERR_MSG_ATTR(info->extack, sig,
				    "signature: taken only by rule-replace, desc-add and model-set");
		return -EINVAL;
	case TCPK_SIG_VERIFY:
		break;
	}
	if ((const u8 *)sig + nla_total_size(nla_len(sig)) < end)
		err = -ENOTUNIQ;
	else
		err = tcpk_signed_verify(start, (const u8 *)sig - start,
					 nla_data(sig), nla_len(sig));
	if (!err)
		return 0;
	tcpk_nl_msg(info->extack, sig, tcpk_sig_verify_msg(err));
	pr_notice_ratelimited("signed load (command %u) refused by uid %u: %d\n",
			      info->genlhdr->cmd,
			      from_kuid(&init_user_ns, current_uid()), err);
	return tcpk_sig_verify_errno(err);
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
	if (tcpk_nl_only(info, BIT_ULL(TCPK_A_DESC) | BIT_ULL(TCPK_A_SIGNATURE)))
		return -EINVAL;
	if (!info->attrs[TCPK_A_DESC]) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, TCPK_A_DESC);
		NL_SET_ERR_MSG(info->extack, "desc: missing (one nest per descriptor or identity)");
		return -EINVAL;
	}
	err = tcpk_nl_signed(info);
	if (err)
		return err;

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

	/* While locked, a batch may only add: replacing could loosen. */
	err = tcpk_descdb_add(items, n, tcpk_lock_change_begin(), &dberr);
	tcpk_lock_change_end();
	if (err == -ENOMEM)
		NL_SET_ERR_MSG(info->extack, "batch: out of memory");
	else if (err == -EPERM)
		/* The lock's whole message: a formatted one would be cut. */
		tcpk_nl_msg(info->extack,
			    tcpk_nl_desc_nth(head, len, dberr.index),
			    dberr.reason);
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
	err = tcpk_nl_signed(info);
	if (err)
		return err;
	err = tcpk_nl_change_begin(info, TCPK_LOCKED_MSG("desc-del"));
	if (err)
		return err;
	err = tcpk_descdb_del(&bind);
	tcpk_lock_change_end();
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
	err = tcpk_nl_signed(info);
	if (err)
		return err;
	err = tcpk_nl_change_begin(info, TCPK_LOCKED_MSG("desc-flush"));
	if (err)
		return err;
	tcpk_descdb_flush();
	tcpk_lock_change_end();
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

/* --- The policy engine (uapi 3) ------------------------------------------ */

/*
 * A refused nest of a policy request: the bad attribute (or the missing
 * one) and a message naming the field; in a batch also the index of the
 * nest ("rule 3: comm: empty"), where the kernel formats messages.
 */
static void tcpk_nl_refused(struct netlink_ext_ack *extack,
			    const struct tcpk_nl_refusal *r, bool indexed)
{
	if (r->missing)
		NL_SET_ERR_ATTR_MISS(extack, r->nest, r->missing);
	else
		NL_SET_BAD_ATTR(extack, r->attr ?: r->nest);
	if (indexed)
		tcpk_nl_err_fmt(extack, r->msg, "rule %u: %s", r->index,
				r->msg);
	else
		tcpk_nl_msg(extack, NULL, r->msg);
}

/* Commands that need exactly one nest of @type, and take nothing else. */
static const struct nlattr *tcpk_nl_one_and(const struct genl_info *info,
					    int type, u64 also,
					    const char *missing,
					    const char *twice)
{
	const struct nlattr *head;
	int len;

	if (tcpk_nl_only(info, BIT_ULL(type) | also))
		return NULL;
	if (!info->attrs[type]) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, type);
		tcpk_nl_msg(info->extack, NULL, missing);
		return NULL;
	}
	head = tcpk_nl_attrs(info, &len);
	if (tcpk_nl_count(head, len, type) != 1) {
		tcpk_nl_msg(info->extack, tcpk_nl_nth(head, len, type, 1),
			    twice);
		return NULL;
	}
	return info->attrs[type];
}

static const struct nlattr *tcpk_nl_one(const struct genl_info *info,
					int type, const char *missing,
					const char *twice)
{
	return tcpk_nl_one_and(info, type, 0, missing, twice);
}

static const struct nlattr *tcpk_nl_one_rule(const struct genl_info *info)
{
	return tcpk_nl_one(info, TCPK_A_RULE, "rule: missing",
			   "rule: exactly one rule nest expected");
}

/* A new reply of @cmd with room for @payload bytes of attributes. */
static struct sk_buff *tcpk_nl_reply_new(struct genl_info *info, u8 cmd,
					 size_t payload, void **hdr)
{
	struct sk_buff *msg;

	msg = genlmsg_new(payload, GFP_KERNEL);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &tcpk_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/**
 * tcpk_nl_rule_add_doit() - %TCPK_CMD_RULE_ADD
 * @skb: the request.
 * @info: the request's header and attributes.
 *
 * The reply carries the rule as added (with its id) and the generation
 * of the set that holds it.
 *
 * Return: 0 or a negative errno, with an extack message.
 */
int tcpk_nl_rule_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpk_nl_refusal ref = {};
	struct tcpk_rule_spec spec;
	const struct nlattr *nest;
	const char *errmsg = NULL;
	struct tcpk_rule *rule;
	struct sk_buff *msg;
	u64 generation;
	void *hdr;
	int err;
	u32 id;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	nest = tcpk_nl_one_rule(info);
	if (!nest)
		return -EINVAL;
	if (tcpk_nl_rule_parse(nest, 0, tcpk_rule_nl_policy, &spec, &ref)) {
		tcpk_nl_refused(info->extack, &ref, false);
		return -EINVAL;
	}
	err = tcpk_nl_signed(info);
	if (err)
		return err;

	/* Before the change: a reply that cannot be sent must not hide one. */
	msg = tcpk_nl_reply_new(info, TCPK_CMD_RULE_ADD,
				tcpk_nl_rule_size(&spec) +
				nla_total_size_64bit(sizeof(u64)), &hdr);
	if (!msg)
		return -ENOMEM;

	rule = tcpk_rule_create(&spec, &errmsg);
	if (IS_ERR(rule)) {
		err = PTR_ERR(rule);
		tcpk_nl_msg(info->extack, nest,
			    errmsg ?: "rule: refused by the policy engine");
		goto err_msg;
	}
	/* While locked, tcpk_policy_add() takes only restricting rules. */
	tcpk_lock_change_begin();
	err = tcpk_policy_add(rule, &id, &generation, &errmsg);
	tcpk_lock_change_end();
	if (err) {
		tcpk_nl_msg(info->extack, nest,
			    errmsg ?: "rule: refused by the policy engine");
		goto err_msg;
	}

	spec.id = id;
	if (tcpk_nl_rule_fill(msg, &spec, 0) ||
	    nla_put_u64_64bit(msg, TCPK_A_GENERATION, generation, TCPK_A_PAD)) {
		/* Cannot happen: the size was computed from the same spec. */
		err = -EMSGSIZE;
		goto err_msg;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_msg:
	nlmsg_free(msg);
	return err;
}

/**
 * tcpk_nl_rule_del_doit() - %TCPK_CMD_RULE_DEL
 * @skb: the request.
 * @info: the request's header and attributes.
 *
 * Return: 0, -ENOENT if no rule has the id, or another negative errno,
 * with an extack message.
 */
int tcpk_nl_rule_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpk_nl_refusal ref = {};
	const struct nlattr *nest;
	u64 generation;
	int err;
	u32 id;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	nest = tcpk_nl_one_rule(info);
	if (!nest)
		return -EINVAL;
	if (tcpk_nl_rule_id_parse(nest, tcpk_rule_nl_policy, &id, &ref)) {
		tcpk_nl_refused(info->extack, &ref, false);
		return -EINVAL;
	}
	err = tcpk_nl_signed(info);
	if (err)
		return err;
	err = tcpk_nl_change_begin(info, TCPK_LOCKED_MSG("rule-del"));
	if (err)
		return err;
	err = tcpk_policy_del(id, &generation);
	tcpk_lock_change_end();
	if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, nest, "id: no rule has this id");
	else if (err)
		NL_SET_ERR_MSG(info->extack, "cannot delete the rule");
	return err;
}

/**
 * struct tcpk_nl_rule_arg - what the callback of a rule walk needs
 * @skb: the message being filled.
 * @cb: the dump, or NULL for a do.
 * @n: rules emitted by this walk.
 */
struct tcpk_nl_rule_arg {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	unsigned int n;
};

/* Called under rcu_read_lock() for each rule: must not sleep. */
static int tcpk_nl_rule_one(const struct tcpk_rule *rule,
			    const struct tcpk_rule_spec *spec, u64 hits,
			    void *data)
{
	struct tcpk_nl_rule_arg *arg = data;
	struct netlink_callback *cb = arg->cb;
	void *hdr = NULL;

	if (cb) {
		hdr = genlmsg_put(arg->skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &tcpk_genl_family,
				  NLM_F_MULTI, TCPK_CMD_RULE_GET);
		if (!hdr)
			return -EMSGSIZE;
	}
	if (tcpk_nl_rule_fill(arg->skb, spec, hits)) {
		if (hdr)
			genlmsg_cancel(arg->skb, hdr);
		return -EMSGSIZE;
	}
	if (hdr) {
		genl_dump_check_consistent(cb, hdr);
		genlmsg_end(arg->skb, hdr);
	}
	arg->n++;
	return 0;
}

/**
 * tcpk_nl_rule_get_doit() - %TCPK_CMD_RULE_GET (do): one rule
 * @skb: the request.
 * @info: the request's header and attributes.
 *
 * Return: 0, -ENOENT if no rule has the id, or another negative errno,
 * with an extack message.
 */
int tcpk_nl_rule_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpk_nl_refusal ref = {};
	struct tcpk_nl_rule_arg arg = {};
	const struct nlattr *nest;
	unsigned int pos = 0;
	u64 generation;
	void *hdr;
	int err;
	u32 id;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	nest = tcpk_nl_one_rule(info);
	if (!nest)
		return -EINVAL;
	if (tcpk_nl_rule_id_parse(nest, tcpk_rule_nl_policy, &id, &ref)) {
		tcpk_nl_refused(info->extack, &ref, false);
		return -EINVAL;
	}

	/* The walk fills the reply under RCU: room for the largest rule. */
	arg.skb = tcpk_nl_reply_new(info, TCPK_CMD_RULE_GET,
				    tcpk_nl_rule_size_max(), &hdr);
	if (!arg.skb)
		return -ENOMEM;
	err = tcpk_policy_rules_walk(&pos, &generation, id, tcpk_nl_rule_one,
				     &arg);
	if (err == -ENOENT || (!err && !arg.n)) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest, "id: no rule has this id");
		err = -ENOENT;
	}
	if (err) {
		nlmsg_free(arg.skb);
		return err;
	}
	genlmsg_end(arg.skb, hdr);
	return genlmsg_reply(arg.skb, info);
}

/**
 * struct tcpk_nl_rule_dump - state of a RULE_GET dump, in
 *	&netlink_callback.ctx
 * @pos: index in the rule set of the next rule to emit.
 * @generation: generation of the set the dump started with.
 * @started: the first call has been made.
 * @intr: the set changed since the dump started: the dump is flagged
 *	NLM_F_DUMP_INTR.
 *
 * Zeroed by the netlink core before the first call; nothing is allocated.
 */
struct tcpk_nl_rule_dump {
	unsigned int pos;
	u64 generation;
	bool started;
	bool intr;
};

static_assert(sizeof(struct tcpk_nl_rule_dump) <=
	      sizeof_field(struct netlink_callback, ctx));

/*
 * NLM_F_DUMP_INTR from the rule-set generation, as for descriptors: each
 * walk sees one set (RCU), but the parts of a dump may see different
 * ones.  &netlink_callback.seq is 1 while consistent and 2 after.
 */
static void tcpk_nl_rule_dump_sync(struct tcpk_nl_rule_dump *d,
				   struct netlink_callback *cb, u64 generation)
{
	if (!d->started) {
		d->generation = generation;
		d->started = true;
	} else if (generation != d->generation) {
		d->intr = true;
	}
	cb->seq = d->intr ? 2 : 1;
}

/**
 * tcpk_nl_rule_get_dumpit() - %TCPK_CMD_RULE_GET (dump): every rule
 * @skb: the message to fill.
 * @cb: the dump; its context holds &struct tcpk_nl_rule_dump.
 *
 * One message per rule, in evaluation order, with its hit counter.  The
 * largest rule fits in the smallest dump skb (NLMSG_GOODSIZE).
 *
 * Return: the length of @skb while more is to come, 0 at the end, or a
 * negative errno.
 */
int tcpk_nl_rule_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tcpk_nl_rule_dump *d = (struct tcpk_nl_rule_dump *)cb->ctx;
	struct tcpk_nl_rule_arg arg = { .skb = skb, .cb = cb };
	unsigned int pos = d->pos;
	u64 generation;
	int err;

	BUILD_BUG_ON(GENL_HDRLEN + NLMSG_HDRLEN + 2 * TCPK_RULE_GLOB_MAX +
		     512 > NLMSG_GOODSIZE);
	if (!d->started) {
		tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
		/* So that even an empty dump's NLMSG_DONE is checked. */
		cb->prev_seq = 1;
	}
	tcpk_nl_rule_dump_sync(d, cb, tcpk_policy_generation());
	err = tcpk_policy_rules_walk(&pos, &generation, 0, tcpk_nl_rule_one,
				     &arg);
	/* A change during this walk flags what follows it. */
	tcpk_nl_rule_dump_sync(d, cb, generation);
	/* Resume after the rules emitted, whatever the walk did to pos. */
	d->pos += arg.n;

	if (err == -EMSGSIZE && arg.n)
		return skb->len;
	return err;
}

/**
 * tcpk_nl_rule_flush_doit() - %TCPK_CMD_RULE_FLUSH
 * @skb: the request.
 * @info: the request's header and attributes.
 *
 * Return: 0 or a negative errno.
 */
int tcpk_nl_rule_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	u64 generation;
	int err;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	err = tcpk_nl_no_attrs(info);
	if (err)
		return err;
	err = tcpk_nl_signed(info);
	if (err)
		return err;
	err = tcpk_nl_change_begin(info, TCPK_LOCKED_MSG("rule-flush"));
	if (err)
		return err;
	err = tcpk_policy_flush(&generation);
	tcpk_lock_change_end();
	if (err)
		NL_SET_ERR_MSG(info->extack, "cannot flush the rules");
	return err;
}

/* A refusal of the engine for the rule at @index of a batch. */
static void tcpk_nl_batch_refused(struct netlink_ext_ack *extack,
				  const struct nlattr *head, int len,
				  u32 index, const char *errmsg)
{
	const char *msg = errmsg ?: "rule: refused by the policy engine";
	const struct nlattr *nest = tcpk_nl_nth(head, len, TCPK_A_RULE, index);

	if (nest)
		NL_SET_BAD_ATTR(extack, nest);
	tcpk_nl_err_fmt(extack, msg, "rule %u: %s", index, msg);
}

/**
 * tcpk_nl_rule_replace_doit() - %TCPK_CMD_RULE_REPLACE: a new policy, all
 *	or nothing
 * @skb: the request.
 * @info: the request's header and attributes.
 *
 * Every %TCPK_A_RULE nest becomes a rule (tcpk_rule_create()); the first
 * that is refused puts the rules made so far back and names its index.
 * The batch is bounded by ``max_rules`` before anything is allocated.
 *
 * Return: 0 or a negative errno, with an extack message.
 */
int tcpk_nl_rule_replace_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpk_nl_refusal ref = {};
	unsigned int bad_index = 0;
	struct tcpk_rule **rules;
	struct tcpk_rule_spec spec;
	const struct nlattr *head, *nla;
	const char *errmsg = NULL;
	u32 n, limit, i = 0;
	u64 generation;
	int len, rem, err;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	err = tcpk_nl_only(info, BIT_ULL(TCPK_A_RULE) | BIT_ULL(TCPK_A_SIGNATURE));
	if (err)
		return err;
	err = tcpk_nl_signed(info);
	if (err)
		return err;
	head = tcpk_nl_attrs(info, &len);
	n = tcpk_nl_count(head, len, TCPK_A_RULE);
	limit = READ_ONCE(tcpk_max_rules);
	if (n > limit) {
		tcpk_nl_err_fmt(info->extack, "rule: more rules than max_rules",
				"rule: %u rules, max_rules is %u", n, limit);
		return -ENOSPC;
	}

	rules = kvmalloc_array(max(n, 1U), sizeof(*rules), GFP_KERNEL_ACCOUNT);
	if (!rules) {
		NL_SET_ERR_MSG(info->extack, "rule: out of memory");
		return -ENOMEM;
	}
	nla_for_each_attr(nla, head, len, rem) {
		struct tcpk_rule *rule;

		if (nla_type(nla) != TCPK_A_RULE)
			continue;
		if (tcpk_nl_rule_parse(nla, i, tcpk_rule_nl_policy, &spec,
				       &ref)) {
			tcpk_nl_refused(info->extack, &ref, true);
			err = -EINVAL;
			goto err_put;
		}
		rule = tcpk_rule_create(&spec, &errmsg);
		if (IS_ERR(rule)) {
			tcpk_nl_batch_refused(info->extack, head, len, i, errmsg);
			err = PTR_ERR(rule);
			goto err_put;
		}
		rules[i++] = rule;
		cond_resched();
	}

	err = tcpk_nl_change_begin(info, TCPK_LOCKED_MSG("rule-replace"));
	if (err)
		goto err_put;
	/* Consumes the rules, whatever the outcome. */
	err = tcpk_policy_replace(rules, i, &generation, &errmsg, &bad_index);
	tcpk_lock_change_end();
	if (err)
		tcpk_nl_batch_refused(info->extack, head, len, bad_index,
				      errmsg);
	kvfree(rules);
	return err;

err_put:
	while (i--)
		tcpk_rule_put(rules[i]);
	kvfree(rules);
	return err;
}

/* The thread group leader of a tgid of the initial pid namespace. */
static struct task_struct *tcpk_nl_task(u32 tgid)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "needs rcu_read_lock()");
	return pid_task(find_pid_ns(tgid, &init_pid_ns), PIDTYPE_TGID);
}

/*
 * Whether a caller whose effective uid is @me may see the state of @task
 * without CAP_NET_ADMIN: only its own processes, those whose real or
 * effective uid is @me (as kill(2) decides).  Under RCU.
 */
static bool tcpk_nl_own_task(struct task_struct *task, kuid_t me)
{
	const struct cred *cred = __task_cred(task);

	return uid_eq(cred->uid, me) || uid_eq(cred->euid, me);
}

/*
 * The descriptor flags of a request that does not give them: those of
 * the descriptors bound to its object path and to its system call (the
 * usual one of the operation when none is given).  Caller holds
 * rcu_read_lock().
 */
static u32 tcpk_nl_req_desc_flags(const struct tcpk_request *req)
{
	const struct tcpk_desc_entry *e;
	struct tcpk_desc_binding bind;
	u32 flags = 0;
	s32 nr;

	if (req->path) {
		memset(&bind, 0, sizeof(bind));
		bind.kind = TCPK_DESC_KEY_PATH;
		bind.path = req->path;
		bind.path_len = strlen(req->path);
		e = tcpk_descdb_lookup(&bind);
		if (e)
			flags |= e->flags;
	}
	nr = req->syscall >= 0 ? req->syscall : tcpk_op_default_syscall(req->op);
	if (nr >= 0 && nr < TCPK_DESC_SYSCALL_NR_MAX) {
		memset(&bind, 0, sizeof(bind));
		bind.kind = TCPK_DESC_KEY_SYSCALL;
		bind.syscall = nr;
		e = tcpk_descdb_lookup(&bind);
		if (e)
			flags |= e->flags;
	}
	return flags;
}

/*
 * The subject of a what-if: the request as given, over the live process
 * %TCPK_A_REQ_PID if there is one, and the scope of the ptrace target
 * %TCPK_A_REQ_TARGET_PID.  Caller holds rcu_read_lock(), which keeps the
 * agent strings the request points to valid.
 */
static int tcpk_nl_req_subject(const struct tcpk_nl_req *r,
			       struct tcpk_request *req, char *comm,
			       char *exe, bool any_task,
			       struct netlink_ext_ack *extack)
{
	struct task_struct *subject = NULL, *target;
	struct tcpk_agent *agent;
	kuid_t me = current_euid();

	*req = r->req;
	if (r->pid) {
		subject = tcpk_nl_task(r->pid);
		if (!subject) {
			NL_SET_ERR_MSG(extack, "pid: no such process");
			return -ESRCH;
		}
		if (!any_task && !tcpk_nl_own_task(subject, me)) {
			NL_SET_ERR_MSG(extack,
				       "pid: another user's process (needs CAP_NET_ADMIN)");
			return -EPERM;
		}
		tcpk_request_from_task(req, subject, comm, exe, TCPK_PATH_MAX);
	}
	tcpk_nl_req_apply(r, req);

	if (r->target_pid) {
		target = tcpk_nl_task(r->target_pid);
		if (!target) {
			NL_SET_ERR_MSG(extack, "target_pid: no such process");
			return -ESRCH;
		}
		if (!any_task && !tcpk_nl_own_task(target, me)) {
			NL_SET_ERR_MSG(extack,
				       "target_pid: another user's process (needs CAP_NET_ADMIN)");
			return -EPERM;
		}
		if (subject) {
			req->target = tcpk_target_scope(subject, target);
		} else {
			/* A hypothetical subject has no session of its own. */
			agent = tcpk_agent_of(target);
			req->target = req->session && agent &&
				      agent->session == req->session ?
				      TCPK_SCOPE_INSIDE : TCPK_SCOPE_OUTSIDE;
		}
	}
	if (!(r->given & BIT(TCPK_A_REQ_DESC_FLAGS)))
		req->desc_flags = tcpk_nl_req_desc_flags(req);
	return 0;
}

/**
 * tcpk_nl_policy_test_doit() - %TCPK_CMD_POLICY_TEST: what-if
 * @skb: the request.
 * @info: the request's header and attributes.
 *
 * Decides the request of the %TCPK_A_REQ nest with tcpk_policy_what_if(),
 * which has no side effect.  With %TCPK_A_REQ_PID the subject is that
 * live process, with the fields given replacing its own; without it, the
 * subject is what the request says.  Without %TCPK_A_REQ_DESC_FLAGS the
 * object's descriptor flags are looked up (path and system call
 * bindings).  Any user may ask; without CAP_NET_ADMIN, %TCPK_A_REQ_PID
 * and %TCPK_A_REQ_TARGET_PID may name only the caller's own processes
 * (-EPERM otherwise): the answer tells of the process's label, session
 * and executable.
 *
 * Return: 0 or a negative errno, with an extack message.
 */
int tcpk_nl_policy_test_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpk_nl_decision nd = {};
	struct tcpk_nl_refusal ref = {};
	char comm[TASK_COMM_LEN] = "";
	struct tcpk_request req;
	struct tcpk_decision d;
	const struct nlattr *nest;
	struct tcpk_nl_req *r;
	struct sk_buff *msg;
	char *exe = NULL;
	bool any_task;
	void *hdr;
	int err;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	nest = tcpk_nl_one(info, TCPK_A_REQ, "req: missing", "req: only one");
	if (!nest)
		return -EINVAL;
	r = kmalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	if (tcpk_nl_req_parse(nest, tcpk_req_nl_policy, r, &ref)) {
		tcpk_nl_refused(info->extack, &ref, false);
		err = -EINVAL;
		goto out;
	}
	err = -ENOMEM;
	if (r->pid) {
		exe = kmalloc(TCPK_PATH_MAX, GFP_KERNEL_ACCOUNT);
		if (!exe)
			goto out;
	}
	nd.d = &d;
	nd.op = r->req.op;
	msg = tcpk_nl_reply_new(info, TCPK_CMD_POLICY_TEST,
				tcpk_nl_decision_size(&nd) +
				nla_total_size_64bit(sizeof(u64)), &hdr);
	if (!msg)
		goto out;

	/* Outside RCU: the check runs the LSM hooks, ours included. */
	any_task = !(r->pid || r->target_pid) ||
		   netlink_capable(skb, CAP_NET_ADMIN);
	rcu_read_lock();
	err = tcpk_nl_req_subject(r, &req, comm, exe, any_task, info->extack);
	if (!err)
		tcpk_policy_what_if(&req, &d);
	rcu_read_unlock();
	if (err) {
		nlmsg_free(msg);
		goto out;
	}

	if (tcpk_nl_decision_fill(msg, TCPK_A_DECISION, &nd) ||
	    nla_put_u64_64bit(msg, TCPK_A_GENERATION, d.generation,
			      TCPK_A_PAD)) {
		nlmsg_free(msg);
		err = -EMSGSIZE;
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out:
	kfree(exe);
	kfree(r);
	return err;
}

/**
 * struct tcpk_nl_explain_arg - what the callback of a history walk needs
 * @skb: the reply being filled.
 * @n: decisions encoded.
 */
struct tcpk_nl_explain_arg {
	struct sk_buff *skb;
	unsigned int n;
};

/* Called by tcpk_proc_history(), perhaps under a lock: must not sleep. */
static int tcpk_nl_explain_one(const struct tcpk_history_entry *e, void *data)
{
	struct tcpk_nl_explain_arg *arg = data;
	struct tcpk_nl_decision nd = {
		.d = &e->d, .op = e->op, .context = true,
		.path = e->path[0] ? e->path : NULL, .time = e->time,
	};
	int err;

	/* The entry's path buffer may be full: never read past it. */
	if (nd.path && !memchr(e->path, 0, sizeof(e->path)))
		nd.path = NULL;
	err = tcpk_nl_decision_fill(arg->skb, TCPK_A_DECISION, &nd);
	if (!err)
		arg->n++;
	return err;
}

/**
 * tcpk_nl_policy_explain_doit() - %TCPK_CMD_POLICY_EXPLAIN
 * @skb: the request.
 * @info: the request's header and attributes.
 *
 * The reply carries one %TCPK_A_DECISION nest, with its operation, path
 * and time, per decision remembered for the process %TCPK_A_PID, oldest
 * first.
 *
 * Return: 0, -ENOENT if none is remembered, or another negative errno,
 * with an extack message.
 */
int tcpk_nl_policy_explain_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpk_nl_decision nd = { .context = true };
	struct tcpk_nl_explain_arg arg = {};
	const struct tcpk_history_entry *e;
	void *hdr;
	int err;
	u32 pid;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	if (!tcpk_nl_one(info, TCPK_A_PID, "pid: missing", "pid: only one"))
		return -EINVAL;
	pid = nla_get_u32(info->attrs[TCPK_A_PID]);

	arg.skb = tcpk_nl_reply_new(info, TCPK_CMD_POLICY_EXPLAIN,
				    TCPK_HISTORY_LEN *
				    (tcpk_nl_decision_size(&nd) +
				     nla_total_size(sizeof(e->path))), &hdr);
	if (!arg.skb)
		return -ENOMEM;
	err = tcpk_proc_history(pid, tcpk_nl_explain_one, &arg);
	if (err == -ENOENT || (!err && !arg.n)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[TCPK_A_PID],
				    "pid: no decision is remembered for this process");
		err = -ENOENT;
	}
	if (err) {
		nlmsg_free(arg.skb);
		return err;
	}
	genlmsg_end(arg.skb, hdr);
	return genlmsg_reply(arg.skb, info);
}

/**
 * tcpk_nl_mode_set_doit() - %TCPK_CMD_MODE_SET
 * @skb: the request.
 * @info: the request's header and attributes.
 *
 * The attributes of the %TCPK_A_MODE nest replace the mode's; those
 * absent stay as they are.
 *
 * Return: 0 or a negative errno, with an extack message.
 */
int tcpk_nl_mode_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	bool set_level, set_alerts, set_block_ops;
	struct tcpk_nl_refusal ref = {};
	const struct nlattr *nest;
	const char *errmsg = NULL;
	struct tcpk_mode mode;
	int err;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	nest = tcpk_nl_one(info, TCPK_A_MODE, "mode: missing", "mode: only one");
	if (!nest)
		return -EINVAL;
	tcpk_policy_mode_get(&mode);
	if (tcpk_nl_mode_parse(nest, tcpk_mode_nl_policy, &mode, &set_level,
			       &set_alerts, &set_block_ops, &ref)) {
		tcpk_nl_refused(info->extack, &ref, false);
		return -EINVAL;
	}
	tcpk_lock_change_begin();
	err = tcpk_policy_mode_set(&mode, set_level, set_alerts, set_block_ops,
				   &errmsg);
	tcpk_lock_change_end();
	if (err == -EPERM)
		tcpk_nl_msg(info->extack, nest, errmsg);
	else if (err)
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "mode: refused by the policy engine");
	return err;
}

/**
 * tcpk_nl_mode_get_doit() - %TCPK_CMD_MODE_GET
 * @skb: the request.
 * @info: the request's header and attributes.
 *
 * Return: 0 or a negative errno.
 */
int tcpk_nl_mode_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpk_mode mode;
	struct sk_buff *msg;
	void *hdr;
	int err;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	err = tcpk_nl_no_attrs(info);
	if (err)
		return err;
	msg = tcpk_nl_reply_new(info, TCPK_CMD_MODE_GET,
				tcpk_nl_mode_size() +
				2 * nla_total_size(sizeof(u32)) +
				nla_total_size_64bit(sizeof(u64)), &hdr);
	if (!msg)
		return -ENOMEM;
	tcpk_policy_mode_get(&mode);
	if (tcpk_nl_mode_fill(msg, TCPK_A_MODE, &mode) ||
	    nla_put_u32(msg, TCPK_A_RULE_COUNT, tcpk_policy_count()) ||
	    nla_put_u32(msg, TCPK_A_RULE_LIMIT, READ_ONCE(tcpk_max_rules)) ||
	    nla_put_u64_64bit(msg, TCPK_A_GENERATION,
			      tcpk_policy_generation(), TCPK_A_PAD)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/**
 * tcpk_nl_agent_start_doit() - %TCPK_CMD_AGENT_START: label the caller
 * @skb: the request.
 * @info: the request's header and attributes.
 *
 * Labels the calling process's thread group; the reply carries the
 * %TCPK_A_AGENT nest of the new session (name, workspace, session, pid,
 * comm).  No privilege is needed: a label only restricts.
 *
 * Return: 0, -EPERM if the caller is labelled already, or another
 * negative errno, with an extack message.
 */
int tcpk_nl_agent_start_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpk_nl_refusal ref = {};
	const char *name, *workspace;
	char comm[TASK_COMM_LEN];
	const struct nlattr *nest;
	const char *errmsg = NULL;
	struct sk_buff *msg;
	u64 session;
	void *hdr;
	int err;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	nest = tcpk_nl_one(info, TCPK_A_AGENT, "agent: missing",
			   "agent: only one");
	if (!nest)
		return -EINVAL;
	if (tcpk_nl_agent_parse(nest, tcpk_agent_nl_policy, &name, &workspace,
				&ref)) {
		tcpk_nl_refused(info->extack, &ref, false);
		return -EINVAL;
	}
	get_task_comm(comm, current);
	msg = tcpk_nl_reply_new(info, TCPK_CMD_AGENT_START,
				tcpk_nl_agent_size(comm, name, workspace), &hdr);
	if (!msg)
		return -ENOMEM;

	err = tcpk_agent_start(current, name, workspace, &session, &errmsg);
	if (err) {
		if (err == -EPERM)
			NL_SET_ERR_MSG(info->extack,
				       "agent: this process is labelled already");
		else
			tcpk_nl_msg(info->extack, nest,
				    errmsg ?: "agent: cannot label this process");
		nlmsg_free(msg);
		return err;
	}
	if (tcpk_nl_agent_fill(msg, task_tgid_nr(current), comm, name,
			       workspace, session)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/**
 * struct tcpk_nl_agent_dump - state of an AGENT_GET dump, in
 *	&netlink_callback.ctx
 * @pos: where tcpk_agent_walk() resumes.
 * @started: the first call has been made.
 */
struct tcpk_nl_agent_dump {
	unsigned long pos;
	bool started;
};

static_assert(sizeof(struct tcpk_nl_agent_dump) <=
	      sizeof_field(struct netlink_callback, ctx));

/**
 * struct tcpk_nl_agent_arg - what the callback of an agent walk needs
 * @skb: the message being filled.
 * @cb: the dump.
 * @n: processes emitted by this walk.
 * @last: the last of them.
 * @all: the caller has CAP_NET_ADMIN and sees every labelled process.
 * @me: otherwise, the caller's effective uid: it sees only its own.
 */
struct tcpk_nl_agent_arg {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	unsigned int n;
	u32 last;
	bool all;
	kuid_t me;
};

/* Called under rcu_read_lock() for each labelled process: must not sleep. */
static int tcpk_nl_agent_one(u32 pid, const char *comm,
			     const struct tcpk_agent *agent, void *data)
{
	struct tcpk_nl_agent_arg *arg = data;
	struct netlink_callback *cb = arg->cb;
	struct task_struct *task;
	void *hdr;

	if (!arg->all) {
		task = tcpk_nl_task(pid);
		if (!task || !tcpk_nl_own_task(task, arg->me))
			return 0;
	}
	hdr = genlmsg_put(arg->skb, NETLINK_CB(cb->skb).portid,
			  cb->nlh->nlmsg_seq, &tcpk_genl_family, NLM_F_MULTI,
			  TCPK_CMD_AGENT_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (tcpk_nl_agent_fill(arg->skb, pid, comm, agent->name,
			       agent->workspace, agent->session)) {
		genlmsg_cancel(arg->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(arg->skb, hdr);
	arg->n++;
	arg->last = pid;
	return 0;
}

/**
 * tcpk_nl_agent_get_dumpit() - %TCPK_CMD_AGENT_GET (dump): every labelled
 *	process
 * @skb: the message to fill.
 * @cb: the dump; its context holds &struct tcpk_nl_agent_dump.
 *
 * One message per labelled process, in the order of the per-process
 * table (by tgid); a message that does not fit is the first of the next
 * call.  Any user may dump; without CAP_NET_ADMIN only the caller's own
 * processes (real or effective uid its effective uid) are in it.
 *
 * Return: the length of @skb while more is to come, 0 at the end, or a
 * negative errno.
 */
int tcpk_nl_agent_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tcpk_nl_agent_dump *d = (struct tcpk_nl_agent_dump *)cb->ctx;
	struct tcpk_nl_agent_arg arg = {
		.skb = skb, .cb = cb, .me = current_euid(),
		.all = netlink_capable(cb->skb, CAP_NET_ADMIN),
	};
	unsigned long pos = d->pos;
	int err;

	if (!d->started) {
		tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
		d->started = true;
	}
	err = tcpk_agent_walk(&pos, tcpk_nl_agent_one, &arg);
	/* The table is indexed by tgid: resume after the last emitted. */
	if (arg.n)
		d->pos = (unsigned long)arg.last + 1;
	if (err == -EMSGSIZE && arg.n)
		return skb->len;
	return err;
}

/**
 * struct tcpk_nl_proc_dump - state of a PROC_GET dump, in
 *	&netlink_callback.ctx
 * @pos: where tcpk_proc_walk() resumes.
 * @started: the first call has been made.
 */
struct tcpk_nl_proc_dump {
	unsigned long pos;
	bool started;
};

static_assert(sizeof(struct tcpk_nl_proc_dump) <=
	      sizeof_field(struct netlink_callback, ctx));

/**
 * struct tcpk_nl_proc_arg - what the callback of a process walk needs
 * @skb: the message being filled.
 * @cb: the dump, or NULL for a do.
 * @pid: for a do, the process asked for.
 * @n: processes emitted by this walk.
 * @last: the last of them.
 */
struct tcpk_nl_proc_arg {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	u32 pid;
	unsigned int n;
	u32 last;
};

/* Called under rcu_read_lock() for each tracked process: must not sleep. */
static int tcpk_nl_proc_one(const struct tcpk_proc_info *info, void *data)
{
	struct tcpk_nl_proc_arg *arg = data;
	struct netlink_callback *cb = arg->cb;
	void *hdr;

	if (!cb) {
		/* A do: the walk started at the pid; anything else is past. */
		if (info->pid != arg->pid)
			return -ENOENT;
		if (tcpk_nl_proc_fill(arg->skb, info))
			return -EMSGSIZE;
		arg->n++;
		return 1;
	}
	hdr = genlmsg_put(arg->skb, NETLINK_CB(cb->skb).portid,
			  cb->nlh->nlmsg_seq, &tcpk_genl_family, NLM_F_MULTI,
			  TCPK_CMD_PROC_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (tcpk_nl_proc_fill(arg->skb, info)) {
		genlmsg_cancel(arg->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(arg->skb, hdr);
	arg->n++;
	arg->last = info->pid;
	return 0;
}

/**
 * tcpk_nl_proc_get_doit() - %TCPK_CMD_PROC_GET (do): one tracked process
 * @skb: the request.
 * @info: the request's header and attributes (%TCPK_A_PID).
 *
 * Return: 0, -ENOENT if the process is not tracked, or another negative
 * errno, with an extack message.
 */
int tcpk_nl_proc_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpk_nl_proc_arg arg = {};
	unsigned long pos;
	void *hdr;
	int err;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	if (!tcpk_nl_one(info, TCPK_A_PID, "pid: missing", "pid: only one"))
		return -EINVAL;
	arg.pid = nla_get_u32(info->attrs[TCPK_A_PID]);
	arg.skb = tcpk_nl_reply_new(info, TCPK_CMD_PROC_GET,
				    tcpk_nl_proc_size(), &hdr);
	if (!arg.skb)
		return -ENOMEM;
	pos = arg.pid;
	err = tcpk_proc_walk(&pos, tcpk_nl_proc_one, &arg);
	if (err == 1)
		err = 0;
	else if (!err || err == -ENOENT)
		err = -ENOENT;
	if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[TCPK_A_PID],
				    "pid: the process is not tracked");
	if (err) {
		nlmsg_free(arg.skb);
		return err;
	}
	genlmsg_end(arg.skb, hdr);
	return genlmsg_reply(arg.skb, info);
}

/**
 * tcpk_nl_proc_get_dumpit() - %TCPK_CMD_PROC_GET (dump): every tracked
 *	process
 * @skb: the message to fill.
 * @cb: the dump; its context holds &struct tcpk_nl_proc_dump.
 *
 * One message per tracked process, by tgid; a message that does not fit
 * is the first of the next call.
 *
 * Return: the length of @skb while more is to come, 0 at the end, or a
 * negative errno.
 */
int tcpk_nl_proc_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tcpk_nl_proc_dump *d = (struct tcpk_nl_proc_dump *)cb->ctx;
	struct tcpk_nl_proc_arg arg = { .skb = skb, .cb = cb };
	unsigned long pos = d->pos;
	int err;

	if (!d->started) {
		tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
		d->started = true;
	}
	err = tcpk_proc_walk(&pos, tcpk_nl_proc_one, &arg);
	if (arg.n)
		d->pos = (unsigned long)arg.last + 1;
	if (err == -EMSGSIZE && arg.n)
		return skb->len;
	return err;
}

/**
 * tcpk_nl_proc_release_doit() - %TCPK_CMD_PROC_RELEASE: end a quarantine
 * @skb: the request.
 * @info: the request's header and attributes (%TCPK_A_PID).
 *
 * Logs the release with the pid and the caller's uid.
 *
 * Return: 0, -ENOENT if the process is not quarantined, or -EINVAL, with
 * an extack message.
 */
int tcpk_nl_proc_release_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err;
	u32 pid;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	if (!tcpk_nl_one(info, TCPK_A_PID, "pid: missing", "pid: only one"))
		return -EINVAL;
	pid = nla_get_u32(info->attrs[TCPK_A_PID]);
	err = tcpk_nl_change_begin(info, TCPK_LOCKED_MSG("proc-release"));
	if (err)
		return err;
	err = tcpk_proc_release(pid);
	tcpk_lock_change_end();
	if (err) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[TCPK_A_PID],
				    "pid: the process is not quarantined");
		return -ENOENT;
	}
	pr_info("pid %u released from quarantine by uid %u\n", pid,
		from_kuid(&init_user_ns, current_uid()));
	return 0;
}

/* --- Lock ----------------------------------------------------------------- */

/**
 * tcpk_nl_lock_doit() - %TCPK_CMD_LOCK: lock the module until reboot
 * @skb: the request.
 * @info: the request's header and attributes (%TCPK_A_LOCK_CONFIRM).
 *
 * The request must carry %TCPK_A_LOCK_CONFIRM with %TCPK_LOCK_CONFIRM:
 * no request locks the module by accident (the fuzzers of the test suite
 * send every command).  See tcpk_lock_engage().
 *
 * Return: 0 (also if the module was locked already), or -EINVAL with an
 * extack message.
 */
int tcpk_nl_lock_doit(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *confirm;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	confirm = tcpk_nl_one(info, TCPK_A_LOCK_CONFIRM, "lock-confirm: missing",
			      "lock-confirm: only one");
	if (!confirm)
		return -EINVAL;
	if (nla_get_u32(confirm) != TCPK_LOCK_CONFIRM) {
		NL_SET_ERR_MSG_ATTR(info->extack, confirm,
				    "lock-confirm: not TCPK_LOCK_CONFIRM");
		return -EINVAL;
	}
	tcpk_lock_engage();
	return 0;
}

/* --- Cost ------------------------------------------------------------------ */

/* Room one %TCPK_A_COST nest takes at most. */
static size_t tcpk_nl_cost_size(void)
{
	return nla_total_size(0) + 2 * nla_total_size(sizeof(u32)) +
	       nla_total_size(sizeof(u8)) +
	       3 * nla_total_size_64bit(sizeof(u64));
}

static int tcpk_nl_cost_fill(struct sk_buff *skb, u32 component,
			     const struct tcpk_cost_result *r)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, TCPK_A_COST);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, TCPK_A_COST_COMPONENT, component) ||
	    nla_put_u8(skb, TCPK_A_COST_AVAILABLE, r->available))
		goto cancel;
	if (r->available &&
	    (nla_put_u64_64bit(skb, TCPK_A_COST_OPS, r->ops, TCPK_A_COST_PAD) ||
	     nla_put_u32(skb, TCPK_A_COST_BATCHES, r->batches) ||
	     nla_put_u64_64bit(skb, TCPK_A_COST_MIN_PS, r->min_ps,
			       TCPK_A_COST_PAD) ||
	     nla_put_u64_64bit(skb, TCPK_A_COST_MEDIAN_PS, r->median_ps,
			       TCPK_A_COST_PAD)))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/**
 * tcpk_nl_cost_get_doit() - %TCPK_CMD_COST_GET: the in-module cost of a
 *	decision's components
 * @skb: the request.
 * @info: the request's header and attributes (%TCPK_A_COST_ITERATIONS,
 *	optional; the policy bounds it).
 *
 * Needs CAP_NET_ADMIN, checked here rather than by GENL_ADMIN_PERM so
 * that the refusal says why in the extended ack.  See tcpk_cost_measure()
 * for what is measured and how it is bounded.
 *
 * Return: 0, or a negative errno with an extack message.
 */
int tcpk_nl_cost_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	u32 iterations = TCPK_COST_ITERATIONS_DEFAULT;
	struct tcpk_cost_report *rep;
	struct sk_buff *msg;
	unsigned int c;
	void *hdr;
	int err;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	if (!netlink_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG(info->extack, "cost: needs CAP_NET_ADMIN");
		return -EPERM;
	}
	if (tcpk_nl_only(info, BIT_ULL(TCPK_A_COST_ITERATIONS)))
		return -EINVAL;
	if (info->attrs[TCPK_A_COST_ITERATIONS])
		iterations = nla_get_u32(info->attrs[TCPK_A_COST_ITERATIONS]);
	/* The policy checks the minimum; the maximum is checked here. */
	if (!tcpk_cost_iterations_valid(iterations)) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[TCPK_A_COST_ITERATIONS],
				    "cost-iterations: out of range");
		return -ERANGE;
	}

	rep = kzalloc(sizeof(*rep), GFP_KERNEL_ACCOUNT);
	if (!rep)
		return -ENOMEM;
	err = tcpk_cost_measure(iterations, rep);
	if (err) {
		if (err == -EINTR)
			NL_SET_ERR_MSG(info->extack, "cost: interrupted");
		else
			NL_SET_ERR_MSG(info->extack, "cost: cannot measure");
		goto out;
	}
	err = -ENOMEM;
	msg = tcpk_nl_reply_new(info, TCPK_CMD_COST_GET,
				4 * nla_total_size(sizeof(u32)) +
				__TCPK_COST_MAX * tcpk_nl_cost_size(), &hdr);
	if (!msg)
		goto out;
	err = -EMSGSIZE;
	if (nla_put_u32(msg, TCPK_A_COST_ITERATIONS, rep->iterations) ||
	    nla_put_u32(msg, TCPK_A_COST_CPU, rep->cpu) ||
	    nla_put_u32(msg, TCPK_A_RULE_COUNT, rep->rules) ||
	    nla_put_u32(msg, TCPK_A_DB_COUNT, rep->descriptors))
		goto free_msg;
	for (c = 0; c < __TCPK_COST_MAX; c++)
		if (tcpk_nl_cost_fill(msg, c, &rep->c[c]))
			goto free_msg;
	genlmsg_end(msg, hdr);
	kfree(rep);
	return genlmsg_reply(msg, info);

free_msg:
	nlmsg_free(msg);
out:
	kfree(rep);
	return err;
}

/* --- Hardware monitors ---------------------------------------------------- */

/**
 * tcpk_nl_hwmon_get_doit() - %TCPK_CMD_HWMON_GET (do): every hardware
 *	monitor
 * @skb: the request.
 * @info: the request's header and attributes (none).
 *
 * Return: 0 or a negative errno.
 */
int tcpk_nl_hwmon_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpk_hwmon_info hi;
	struct sk_buff *msg;
	unsigned int id;
	void *hdr;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	if (tcpk_nl_only(info, 0))
		return -EINVAL;
	msg = tcpk_nl_reply_new(info, TCPK_CMD_HWMON_GET,
				__TCPK_HWMON_MAX * tcpk_nl_hwmon_size(), &hdr);
	if (!msg)
		return -ENOMEM;
	for (id = 0; id < __TCPK_HWMON_MAX; id++) {
		tcpk_hwmon_info(id, &hi);
		if (tcpk_nl_hwmon_fill(msg, &hi)) {
			nlmsg_free(msg);
			return -EMSGSIZE;
		}
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/**
 * struct tcpk_nl_hwmon_dump - state of a HWMON_GET dump, in
 *	&netlink_callback.ctx
 * @pos: the slot where tcpk_hwmon_walk() resumes.
 * @started: the first call has been made.
 */
struct tcpk_nl_hwmon_dump {
	unsigned long pos;
	bool started;
};

static_assert(sizeof(struct tcpk_nl_hwmon_dump) <=
	      sizeof_field(struct netlink_callback, ctx));

/**
 * struct tcpk_nl_hwmon_arg - what the callback of a slot walk needs
 * @skb: the message being filled.
 * @cb: the dump.
 * @n: processes emitted by this walk.
 */
struct tcpk_nl_hwmon_arg {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	unsigned int n;
};

/* Called with the registry's mutex held for each watched process. */
static int tcpk_nl_hwmon_one(const struct tcpk_hwmon_task *t, void *data)
{
	struct tcpk_nl_hwmon_arg *arg = data;
	struct netlink_callback *cb = arg->cb;
	void *hdr;

	hdr = genlmsg_put(arg->skb, NETLINK_CB(cb->skb).portid,
			  cb->nlh->nlmsg_seq, &tcpk_genl_family, NLM_F_MULTI,
			  TCPK_CMD_HWMON_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (tcpk_nl_hwmon_task_fill(arg->skb, t)) {
		genlmsg_cancel(arg->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(arg->skb, hdr);
	arg->n++;
	return 0;
}

/**
 * tcpk_nl_hwmon_get_dumpit() - %TCPK_CMD_HWMON_GET (dump): every process
 *	the hardware monitors watch
 * @skb: the message to fill.
 * @cb: the dump; its context holds &struct tcpk_nl_hwmon_dump.
 *
 * One message per watched process, in slot order; a message that does not
 * fit is the first of the next call.
 *
 * Return: the length of @skb while more is to come, 0 at the end, or a
 * negative errno.
 */
int tcpk_nl_hwmon_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tcpk_nl_hwmon_dump *d = (struct tcpk_nl_hwmon_dump *)cb->ctx;
	struct tcpk_nl_hwmon_arg arg = { .skb = skb, .cb = cb };
	int err;

	if (!d->started) {
		tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
		d->started = true;
	}
	err = tcpk_hwmon_walk(&d->pos, tcpk_nl_hwmon_one, &arg);
	if (err == -EMSGSIZE && arg.n)
		return skb->len;
	return err;
}

/* --- Sequences: patterns and learned profiles --------------------------- */

static void tcpk_nl_seq_refused(struct genl_info *info,
				const struct tcpk_seq_nl_error *e)
{
	tcpk_nl_msg(info->extack, e->attr, e->msg);
}

/**
 * tcpk_nl_seq_add_doit() - %TCPK_CMD_SEQ_ADD: add a pattern
 * @skb: the request.
 * @info: the request's header and attributes (one %TCPK_A_SEQ).
 *
 * The reply carries the pattern as added, with its id.
 *
 * Return: 0, or -EINVAL, -EEXIST, -ENOSPC, -ENOMEM with an extack message.
 */
int tcpk_nl_seq_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpk_seq_nl_error e = {};
	struct tcpk_seq_pattern *p;
	const struct nlattr *nest;
	const char *errmsg = NULL;
	struct sk_buff *msg;
	void *hdr;
	int err;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	nest = tcpk_nl_one(info, TCPK_A_SEQ, "seq: missing",
			   "seq: exactly one seq nest expected");
	if (!nest)
		return -EINVAL;
	p = kmalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	err = tcpk_nl_seq_parse(nest, p, &e);
	if (err) {
		tcpk_nl_seq_refused(info, &e);
		goto out;
	}
	err = tcpk_seq_pattern_add(p, &errmsg);
	if (err) {
		tcpk_nl_msg(info->extack, nest, errmsg);
		goto out;
	}
	pr_info("pattern %u \"%s\" added by uid %u\n", p->id, p->name,
		from_kuid(&init_user_ns, current_uid()));
	err = -ENOMEM;
	msg = tcpk_nl_reply_new(info, TCPK_CMD_SEQ_ADD, tcpk_nl_seq_size(),
				&hdr);
	if (!msg)
		goto out;
	if (tcpk_nl_seq_fill(msg, p, 0)) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out:
	kfree(p);
	return err;
}

/**
 * tcpk_nl_seq_del_doit() - %TCPK_CMD_SEQ_DEL: delete a pattern
 * @skb: the request.
 * @info: the request's header and attributes (one %TCPK_A_SEQ with an id).
 *
 * Return: 0, or -EINVAL, -ENOENT, -ENOMEM with an extack message.
 */
int tcpk_nl_seq_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpk_seq_nl_error e = {};
	const struct nlattr *nest;
	int err;
	u32 id;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	nest = tcpk_nl_one(info, TCPK_A_SEQ, "seq: missing",
			   "seq: exactly one seq nest expected");
	if (!nest)
		return -EINVAL;
	err = tcpk_nl_seq_id_parse(nest, &id, &e);
	if (err) {
		tcpk_nl_seq_refused(info, &e);
		return err;
	}
	err = tcpk_nl_change_begin(info, TCPK_LOCKED_MSG("seq-del"));
	if (err)
		return err;
	err = tcpk_seq_pattern_del(id);
	tcpk_lock_change_end();
	if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "seq: id: no pattern of that id");
	else if (err)
		NL_SET_ERR_MSG(info->extack, "seq: out of memory");
	else
		pr_info("pattern %u deleted by uid %u\n", id,
			from_kuid(&init_user_ns, current_uid()));
	return err;
}

/**
 * struct tcpk_nl_seq_dump - state of a %TCPK_CMD_SEQ_GET dump
 * @pos: the next pattern id to send.
 * @started: the dump's first call is past.
 */
struct tcpk_nl_seq_dump {
	u32 pos;
	bool started;
};

static_assert(sizeof(struct tcpk_nl_seq_dump) <=
	      sizeof_field(struct netlink_callback, ctx));

struct tcpk_nl_seq_arg {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	unsigned int n;
};

/* Under rcu_read_lock(): must not sleep. */
static int tcpk_nl_seq_one(const struct tcpk_seq_pattern *p, u64 matches,
			   void *data)
{
	struct tcpk_nl_seq_arg *arg = data;
	struct netlink_callback *cb = arg->cb;
	void *hdr;

	hdr = genlmsg_put(arg->skb, NETLINK_CB(cb->skb).portid,
			  cb->nlh->nlmsg_seq, &tcpk_genl_family, NLM_F_MULTI,
			  TCPK_CMD_SEQ_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (tcpk_nl_seq_fill(arg->skb, p, matches)) {
		genlmsg_cancel(arg->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(arg->skb, hdr);
	arg->n++;
	return 0;
}

/**
 * tcpk_nl_seq_get_dumpit() - %TCPK_CMD_SEQ_GET: every pattern
 * @skb: the message to fill.
 * @cb: the dump; its context holds &struct tcpk_nl_seq_dump.
 *
 * Return: the length of @skb while more is to come, 0 at the end, or a
 * negative errno.
 */
int tcpk_nl_seq_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tcpk_nl_seq_dump *d = (struct tcpk_nl_seq_dump *)cb->ctx;
	struct tcpk_nl_seq_arg arg = { .skb = skb, .cb = cb };
	int err;

	if (!d->started) {
		tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
		d->started = true;
		d->pos = 1;
	}
	err = tcpk_seq_pattern_walk(&d->pos, tcpk_nl_seq_one, &arg);
	if (err == -EMSGSIZE && arg.n)
		return skb->len;
	return err;
}

static const struct nlattr *tcpk_nl_one_profile(struct genl_info *info)
{
	return tcpk_nl_one(info, TCPK_A_PROFILE, "profile: missing",
			   "profile: exactly one profile nest expected");
}

/**
 * tcpk_nl_profile_set_doit() - %TCPK_CMD_PROFILE_SET
 * @skb: the request.
 * @info: the request's header and attributes (one %TCPK_A_PROFILE).
 *
 * Creates, replaces (import) or switches the profile of an executable;
 * the answer is the ACK (profile-get shows the profile).
 *
 * Return: 0, or a negative errno with an extack message.
 */
int tcpk_nl_profile_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpk_nl_profile_req r;
	struct tcpk_seq_nl_error e = {};
	const struct nlattr *nest;
	const char *errmsg = NULL;
	int err;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	nest = tcpk_nl_one_profile(info);
	if (!nest)
		return -EINVAL;
	err = tcpk_nl_profile_parse(nest, &r, true, &e);
	if (err) {
		tcpk_nl_seq_refused(info, &e);
		return err;
	}
	/*
	 * Refused outright while locked: a replaced profile, or one switched
	 * to learning, would take in what detection now reports as novel.
	 */
	err = tcpk_nl_change_begin(info, TCPK_LOCKED_MSG("profile-set"));
	if (err)
		return err;
	err = tcpk_profile_set(r.path, r.mode,
			       r.import ? nla_data(r.ngrams) : NULL, r.n,
			       r.import, &errmsg);
	tcpk_lock_change_end();
	if (err) {
		tcpk_nl_msg(info->extack, r.import && err == -EINVAL &&
			    !strncmp(errmsg, "profile: ngrams", 15) ?
			    r.ngrams : nest, errmsg);
		return err;
	}
	pr_info("profile of %s set to %s%s by uid %u\n", r.path,
		r.mode == TCPK_PROFILE_LEARN ? "learn" : "detect",
		r.import ? " (imported)" : "",
		from_kuid(&init_user_ns, current_uid()));
	return 0;
}

/**
 * struct tcpk_nl_profile_arg - what the callback of a profile walk needs
 * @skb: the message being filled (a dump's), or the reply it made (a do).
 * @cb: the dump, or NULL for a do.
 * @info: the request of a do.
 * @hdr: the header of the reply of a do.
 * @n: profiles emitted (a dump).
 */
struct tcpk_nl_profile_arg {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	struct genl_info *info;
	void *hdr;
	unsigned int n;
};

/* With the profiles' mutex held. */
static int tcpk_nl_profile_one(const struct tcpk_profile_info *pi,
			       const u32 *keys, u32 n, void *data)
{
	struct tcpk_nl_profile_arg *arg = data;
	struct netlink_callback *cb = arg->cb;
	void *hdr;

	if (!cb) {
		/* A do: the reply's size is known once the keys are. */
		arg->skb = tcpk_nl_reply_new(arg->info, TCPK_CMD_PROFILE_GET,
					     tcpk_nl_profile_size(n),
					     &arg->hdr);
		if (!arg->skb)
			return -ENOMEM;
		if (tcpk_nl_profile_fill(arg->skb, pi, keys, n)) {
			nlmsg_free(arg->skb);
			arg->skb = NULL;
			return -EMSGSIZE;
		}
		return 0;
	}
	hdr = genlmsg_put(arg->skb, NETLINK_CB(cb->skb).portid,
			  cb->nlh->nlmsg_seq, &tcpk_genl_family, NLM_F_MULTI,
			  TCPK_CMD_PROFILE_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (tcpk_nl_profile_fill(arg->skb, pi, NULL, 0)) {
		genlmsg_cancel(arg->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(arg->skb, hdr);
	arg->n++;
	return 0;
}

/**
 * tcpk_nl_profile_get_doit() - %TCPK_CMD_PROFILE_GET (do): one profile
 *	with its trigrams
 * @skb: the request.
 * @info: the request's header and attributes (one %TCPK_A_PROFILE with a
 *	path).
 *
 * Return: 0, or a negative errno with an extack message.
 */
int tcpk_nl_profile_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpk_nl_profile_arg arg = { .info = info };
	struct tcpk_seq_nl_error e = {};
	struct tcpk_nl_profile_req r;
	const struct nlattr *nest;
	const char *errmsg = NULL;
	int err;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	nest = tcpk_nl_one_profile(info);
	if (!nest)
		return -EINVAL;
	err = tcpk_nl_profile_parse(nest, &r, false, &e);
	if (err) {
		tcpk_nl_seq_refused(info, &e);
		return err;
	}
	err = tcpk_profile_walk(r.path, NULL, true, tcpk_nl_profile_one, &arg,
				&errmsg);
	if (err) {
		if (errmsg)
			tcpk_nl_msg(info->extack, nest, errmsg);
		return err;
	}
	genlmsg_end(arg.skb, arg.hdr);
	return genlmsg_reply(arg.skb, info);
}

/**
 * struct tcpk_nl_profile_dump - state of a %TCPK_CMD_PROFILE_GET dump
 * @pos: where the next call starts (tcpk_profile_walk()).
 * @started: the dump's first call is past.
 */
struct tcpk_nl_profile_dump {
	unsigned long pos;
	bool started;
};

static_assert(sizeof(struct tcpk_nl_profile_dump) <=
	      sizeof_field(struct netlink_callback, ctx));

/**
 * tcpk_nl_profile_get_dumpit() - %TCPK_CMD_PROFILE_GET (dump): every
 *	profile, without its trigrams
 * @skb: the message to fill.
 * @cb: the dump; its context holds &struct tcpk_nl_profile_dump.
 *
 * Return: the length of @skb while more is to come, 0 at the end, or a
 * negative errno.
 */
int tcpk_nl_profile_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb)
{
	struct tcpk_nl_profile_dump *d = (struct tcpk_nl_profile_dump *)cb->ctx;
	struct tcpk_nl_profile_arg arg = { .skb = skb, .cb = cb };
	const char *errmsg = NULL;
	int err;

	if (!d->started) {
		tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
		d->started = true;
	}
	err = tcpk_profile_walk(NULL, &d->pos, false, tcpk_nl_profile_one,
				&arg, &errmsg);
	if (err == -EMSGSIZE && arg.n)
		return skb->len;
	return err;
}

/**
 * tcpk_nl_profile_del_doit() - %TCPK_CMD_PROFILE_DEL
 * @skb: the request.
 * @info: the request's header and attributes (one %TCPK_A_PROFILE with a
 *	path).
 *
 * Return: 0, or a negative errno with an extack message.
 */
int tcpk_nl_profile_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpk_seq_nl_error e = {};
	struct tcpk_nl_profile_req r;
	const struct nlattr *nest;
	const char *errmsg = NULL;
	int err;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	nest = tcpk_nl_one_profile(info);
	if (!nest)
		return -EINVAL;
	err = tcpk_nl_profile_parse(nest, &r, false, &e);
	if (err) {
		tcpk_nl_seq_refused(info, &e);
		return err;
	}
	err = tcpk_nl_change_begin(info, TCPK_LOCKED_MSG("profile-del"));
	if (err)
		return err;
	err = tcpk_profile_del(r.path, &errmsg);
	tcpk_lock_change_end();
	if (err) {
		tcpk_nl_msg(info->extack, nest, errmsg);
		return err;
	}
	pr_info("profile of %s deleted by uid %u\n", r.path,
		from_kuid(&init_user_ns, current_uid()));
	return 0;
}

/**
 * tcpk_nl_model_set_doit() - %TCPK_CMD_MODEL_SET: load the behaviour model
 * @skb: the request.
 * @info: the request's header and attributes (one %TCPK_A_MODEL).
 *
 * Return: 0, or -EINVAL or -ENOMEM with an extack message.
 */
int tcpk_nl_model_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpk_seq_nl_error e = {};
	const struct nlattr *nest;
	const char *errmsg = NULL;
	struct tcpk_model m;
	int err;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	nest = tcpk_nl_one_and(info, TCPK_A_MODEL, BIT_ULL(TCPK_A_SIGNATURE),
			       "model: missing",
			       "model: exactly one model nest expected");
	if (!nest)
		return -EINVAL;
	err = tcpk_nl_signed(info);
	if (err)
		return err;
	err = tcpk_nl_model_parse(nest, &m, &e);
	if (err) {
		tcpk_nl_seq_refused(info, &e);
		return err;
	}
	/* Refused outright while locked: it replaces the model loaded. */
	err = tcpk_nl_change_begin(info, TCPK_LOCKED_MSG("model-set"));
	if (err)
		return err;
	err = tcpk_model_set(&m, &errmsg);
	tcpk_lock_change_end();
	if (err) {
		tcpk_nl_msg(info->extack, nest, errmsg);
		return err;
	}
	pr_info("behaviour model loaded by uid %u (threshold %u, points %u)\n",
		from_kuid(&init_user_ns, current_uid()), m.threshold, m.points);
	return 0;
}

/**
 * tcpk_nl_model_get_doit() - %TCPK_CMD_MODEL_GET: the loaded model
 * @skb: the request.
 * @info: the request's header and attributes (none).
 *
 * Return: 0, -ENOENT if none is loaded, or another negative errno.
 */
int tcpk_nl_model_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpk_model_info mi;
	struct sk_buff *msg;
	void *hdr;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	if (tcpk_nl_only(info, 0))
		return -EINVAL;
	if (tcpk_model_get(&mi)) {
		NL_SET_ERR_MSG(info->extack, "model: none is loaded");
		return -ENOENT;
	}
	msg = tcpk_nl_reply_new(info, TCPK_CMD_MODEL_GET, tcpk_nl_model_size(),
				&hdr);
	if (!msg)
		return -ENOMEM;
	if (tcpk_nl_model_fill(msg, &mi)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/**
 * tcpk_nl_model_del_doit() - %TCPK_CMD_MODEL_DEL: unload the model
 * @skb: the request.
 * @info: the request's header and attributes (none).
 *
 * Return: 0, or -ENOENT if none is loaded.
 */
int tcpk_nl_model_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);
	if (tcpk_nl_only(info, 0))
		return -EINVAL;
	err = tcpk_nl_signed(info);
	if (err)
		return err;
	err = tcpk_nl_change_begin(info, TCPK_LOCKED_MSG("model-del"));
	if (err)
		return err;
	err = tcpk_model_del();
	tcpk_lock_change_end();
	if (err) {
		NL_SET_ERR_MSG(info->extack, "model: none is loaded");
		return -ENOENT;
	}
	pr_info("behaviour model unloaded by uid %u\n",
		from_kuid(&init_user_ns, current_uid()));
	return 0;
}

/* --- Events ------------------------------------------------------------- */

/*
 * The multicast groups, indexed as the generated TCPK_NLGRP_*: joining
 * "events" needs CAP_NET_ADMIN (in the user namespace of the joining
 * socket's network namespace; events are sent in the initial one only, so
 * a user namespace's own administrator receives nothing).
 */
#if TCPK_EVENTS_MCGRP
static const struct genl_multicast_group tcpk_nl_groups[] = {
	[TCPK_NLGRP_EVENTS] = {
		.name = TCPK_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};
#endif

/*
 * tcpk_nl_events_lock serialises senders of events with the family's
 * unregistration: tcpk_nl_registered is true between a successful
 * genl_register_family() and the start of tcpk_netlink_exit(), written
 * and read under the mutex.
 */
static DEFINE_MUTEX(tcpk_nl_events_lock);
static bool tcpk_nl_registered;

/**
 * tcpk_netlink_event_send() - multicast one event to the "events" group
 * @ev: the event.
 * @dropped: events dropped since load, carried in the message.
 *
 * Process context (the event worker): allocates with GFP_KERNEL.  The
 * message is built only when the group has listeners.
 *
 * Return: 0 if delivered, -ESRCH if nobody listens (not a loss; also
 * before the family is registered and after it is unregistered), or
 * another negative errno if the event was lost (no memory, a listener's
 * socket buffer full).
 */
int tcpk_netlink_event_send(const struct tcpk_event *ev, u64 dropped)
{
#if TCPK_EVENTS_MCGRP
	struct sk_buff *msg;
	void *hdr;
	int err;

	mutex_lock(&tcpk_nl_events_lock);
	/* Before registration and after, nobody can listen. */
	if (!tcpk_nl_registered ||
	    !genl_has_listeners(&tcpk_genl_family, &init_net,
				TCPK_NLGRP_EVENTS)) {
		err = -ESRCH;
		goto out;
	}
	err = -ENOMEM;
	msg = genlmsg_new(tcpk_nl_event_size(ev), GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put(msg, 0, 0, &tcpk_genl_family, 0, TCPK_CMD_EVENT);
	if (!hdr || tcpk_nl_event_fill(msg, ev, dropped)) {
		nlmsg_free(msg);
		err = -EMSGSIZE;
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_multicast(&tcpk_genl_family, msg, 0, TCPK_NLGRP_EVENTS,
				GFP_KERNEL);
out:
	mutex_unlock(&tcpk_nl_events_lock);
	return err;
#else
	return -ESRCH;
#endif
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
#if TCPK_EVENTS_MCGRP
	.mcgrps = tcpk_nl_groups,
	.n_mcgrps = ARRAY_SIZE(tcpk_nl_groups),
#endif
	.resv_start_op = TCPK_CMD_UNSPEC + 1,
};

/**
 * tcpk_netlink_init() - register the generic-netlink family
 *
 * Return: 0 or the error of genl_register_family().
 */
int tcpk_netlink_init(void)
{
	int err;

	if (!TCPK_EVENTS_MCGRP)
		pr_warn("this kernel cannot restrict who joins a multicast group (no GENL_MCAST_CAP_NET_ADMIN): events are not multicast\n");
	err = genl_register_family(&tcpk_genl_family);
	if (err)
		return err;
	mutex_lock(&tcpk_nl_events_lock);
	tcpk_nl_registered = true;
	mutex_unlock(&tcpk_nl_events_lock);
	return 0;
}

/**
 * tcpk_netlink_exit() - unregister the family; waits for running requests
 *
 * Events are no longer sent from the moment it starts.
 */
void tcpk_netlink_exit(void)
{
	mutex_lock(&tcpk_nl_events_lock);
	tcpk_nl_registered = false;
	mutex_unlock(&tcpk_nl_events_lock);
	genl_unregister_family(&tcpk_genl_family);
}
