// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - netlink attributes of the policy engine: rules, requests,
 * decisions, agents, the mode and events
 *
 * Pure functions of their arguments (a nest, a policy, an skb): the KUnit
 * suite builds this file into the test module as it is.  Requests reach
 * them already validated against the family's policy by the generic
 * netlink core (types, lengths, ranges, masks); they re-parse each nest
 * strictly with the same nested policy and refuse what a policy cannot
 * state: an attribute given twice, a required one missing, a reply-only
 * one in a request, bytes after a string's NUL, empty sets.  Every
 * refusal names the field in a static message ("comm: given more than
 * once"), so that kernels without formatted extack messages still say
 * what is wrong.
 */

#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "core/flow_nl.h"
#include "core/policy_nl.h"
#include "core/proc_nl.h"

/**
 * struct tcpk_nl_field - static messages about one attribute of a nest
 * @twice: the attribute is given more than once.
 * @nul: a string attribute has bytes after its NUL.
 * @empty: a string or a set is empty.
 * @reply: the attribute appears only in replies.
 */
struct tcpk_nl_field {
	const char *twice;
	const char *nul;
	const char *empty;
	const char *reply;
};

#define TCPK_NL_FIELD(name) {					\
	.twice = #name ": given more than once",		\
	.nul = #name ": bytes after its NUL",			\
	.empty = #name ": empty",				\
	.reply = #name ": only in replies",			\
}

static const struct tcpk_nl_field tcpk_rule_fields[TCPK_A_RULE_MAX + 1] = {
	[TCPK_A_RULE_ID] = TCPK_NL_FIELD(id),
	[TCPK_A_RULE_PRIORITY] = TCPK_NL_FIELD(priority),
	[TCPK_A_RULE_ACTION] = TCPK_NL_FIELD(action),
	[TCPK_A_RULE_FLAGS] = TCPK_NL_FIELD(flags),
	[TCPK_A_RULE_PID] = TCPK_NL_FIELD(pid),
	[TCPK_A_RULE_UID] = TCPK_NL_FIELD(uid),
	[TCPK_A_RULE_GID] = TCPK_NL_FIELD(gid),
	[TCPK_A_RULE_COMM] = TCPK_NL_FIELD(comm),
	[TCPK_A_RULE_EXE] = TCPK_NL_FIELD(exe),
	[TCPK_A_RULE_PATH] = TCPK_NL_FIELD(path),
	[TCPK_A_RULE_PATH_SCOPE] = TCPK_NL_FIELD(path_scope),
	[TCPK_A_RULE_CAPABILITY] = TCPK_NL_FIELD(capability),
	[TCPK_A_RULE_SYSCALL] = TCPK_NL_FIELD(syscall),
	[TCPK_A_RULE_OPS] = TCPK_NL_FIELD(ops),
	[TCPK_A_RULE_DESC_ANY] = TCPK_NL_FIELD(desc_any),
	[TCPK_A_RULE_DESC_ALL] = TCPK_NL_FIELD(desc_all),
	[TCPK_A_RULE_ANOMALY_MIN] = TCPK_NL_FIELD(anomaly_min),
	[TCPK_A_RULE_AGENT] = TCPK_NL_FIELD(agent),
	[TCPK_A_RULE_CGROUP] = TCPK_NL_FIELD(cgroup),
	[TCPK_A_RULE_TARGET_SCOPE] = TCPK_NL_FIELD(target_scope),
	[TCPK_A_RULE_ACCESS] = TCPK_NL_FIELD(access),
	[TCPK_A_RULE_HITS] = TCPK_NL_FIELD(hits),
};

static const struct tcpk_nl_field tcpk_req_fields[TCPK_A_REQ_MAX + 1] = {
	[TCPK_A_REQ_OP] = TCPK_NL_FIELD(op),
	[TCPK_A_REQ_PID] = TCPK_NL_FIELD(pid),
	[TCPK_A_REQ_UID] = TCPK_NL_FIELD(uid),
	[TCPK_A_REQ_GID] = TCPK_NL_FIELD(gid),
	[TCPK_A_REQ_COMM] = TCPK_NL_FIELD(comm),
	[TCPK_A_REQ_EXE] = TCPK_NL_FIELD(exe),
	[TCPK_A_REQ_PATH] = TCPK_NL_FIELD(path),
	[TCPK_A_REQ_CAPABILITY] = TCPK_NL_FIELD(capability),
	[TCPK_A_REQ_SYSCALL] = TCPK_NL_FIELD(syscall),
	[TCPK_A_REQ_DESC_FLAGS] = TCPK_NL_FIELD(desc_flags),
	[TCPK_A_REQ_ANOMALY] = TCPK_NL_FIELD(anomaly),
	[TCPK_A_REQ_AGENT] = TCPK_NL_FIELD(agent),
	[TCPK_A_REQ_WORKSPACE] = TCPK_NL_FIELD(workspace),
	[TCPK_A_REQ_CGROUP] = TCPK_NL_FIELD(cgroup),
	[TCPK_A_REQ_TARGET_PID] = TCPK_NL_FIELD(target_pid),
	[TCPK_A_REQ_ACCESS] = TCPK_NL_FIELD(access),
};

static const struct tcpk_nl_field tcpk_agent_fields[TCPK_A_AGENT_MAX + 1] = {
	[TCPK_A_AGENT_NAME] = TCPK_NL_FIELD(name),
	[TCPK_A_AGENT_WORKSPACE] = TCPK_NL_FIELD(workspace),
	[TCPK_A_AGENT_SESSION] = TCPK_NL_FIELD(session),
	[TCPK_A_AGENT_PID] = TCPK_NL_FIELD(pid),
	[TCPK_A_AGENT_COMM] = TCPK_NL_FIELD(comm),
};

static const struct tcpk_nl_field tcpk_mode_fields[TCPK_A_MODE_MAX + 1] = {
	[TCPK_A_MODE_LEVEL] = TCPK_NL_FIELD(level),
	[TCPK_A_MODE_ALERTS] = TCPK_NL_FIELD(alerts),
	[TCPK_A_MODE_BLOCK_OPS] = TCPK_NL_FIELD(block_ops),
};

/* Every "seen" mask below has a bit per attribute type of its nest. */
static_assert(TCPK_A_RULE_MAX < 32 && TCPK_A_REQ_MAX < 32);
static_assert(TCPK_A_AGENT_MAX < 32 && TCPK_A_MODE_MAX < 32);
static_assert(__TCPK_OP_MAX <= 32 && __TCPK_COND_MAX <= 32);

static int tcpk_pnl_refuse(struct tcpk_nl_refusal *err, u32 index,
			   const struct nlattr *nest, const struct nlattr *attr,
			   const char *msg)
{
	err->index = index;
	err->nest = nest;
	err->attr = attr;
	err->missing = 0;
	err->msg = msg;
	return -EINVAL;
}

static int tcpk_pnl_missing(struct tcpk_nl_refusal *err, u32 index,
			    const struct nlattr *nest, u16 type,
			    const char *msg)
{
	tcpk_pnl_refuse(err, index, nest, NULL, msg);
	err->missing = type;
	return -EINVAL;
}

/*
 * Strict parse of one nest into @tb, then a second look at the stream
 * for what nla_parse_nested() lets through: an attribute given twice
 * (the last would silently win).  @multi is the one type that may repeat,
 * or 0; its occurrences are counted in *@n_multi.
 */
static int tcpk_pnl_nest_parse(struct nlattr **tb, int max,
			       const struct nlattr *nest,
			       const struct nla_policy *policy,
			       const struct tcpk_nl_field *fields, int multi,
			       u32 *n_multi, u32 index, const char *invalid,
			       struct tcpk_nl_refusal *err)
{
	const struct nlattr *a;
	u32 seen = 0;
	int rem;

	if (nla_parse_nested(tb, max, nest, policy, NULL))
		return tcpk_pnl_refuse(err, index, nest, NULL, invalid);
	if (n_multi)
		*n_multi = 0;
	nla_for_each_nested(a, nest, rem) {
		int type = nla_type(a);

		if (type == multi) {
			(*n_multi)++;
			continue;
		}
		if (seen & BIT(type))
			return tcpk_pnl_refuse(err, index, nest, a,
					       fields[type].twice);
		seen |= BIT(type);
	}
	return 0;
}

/*
 * A string attribute: the policy guarantees its NUL; anything after it
 * is refused rather than ignored, and so is an empty string.
 */
static int tcpk_pnl_string(const struct nlattr *attr, const char **s,
			   const struct tcpk_nl_field *field, u32 index,
			   const struct nlattr *nest,
			   struct tcpk_nl_refusal *err)
{
	size_t len = strnlen(nla_data(attr), nla_len(attr));

	if (len + 1 != nla_len(attr))
		return tcpk_pnl_refuse(err, index, nest, attr, field->nul);
	if (!len)
		return tcpk_pnl_refuse(err, index, nest, attr, field->empty);
	*s = nla_data(attr);
	return 0;
}

/**
 * tcpk_nl_count() - count the attributes of one type in a stream
 * @head: first attribute of the message (after the genetlink header).
 * @len: length of the attribute stream.
 * @type: the attribute type.
 *
 * Return: how many attributes of type @type the stream holds.
 */
u32 tcpk_nl_count(const struct nlattr *head, int len, int type)
{
	const struct nlattr *nla;
	u32 n = 0;
	int rem;

	nla_for_each_attr(nla, head, len, rem)
		if (nla_type(nla) == type)
			n++;
	return n;
}

/**
 * tcpk_nl_nth() - find an attribute of one type by its index
 * @head: first attribute of the message.
 * @len: length of the attribute stream.
 * @type: the attribute type.
 * @index: index among the attributes of type @type, from 0.
 *
 * Return: the attribute, or NULL if there are not that many.
 */
const struct nlattr *tcpk_nl_nth(const struct nlattr *head, int len, int type,
				 u32 index)
{
	const struct nlattr *nla;
	int rem;

	nla_for_each_attr(nla, head, len, rem) {
		if (nla_type(nla) != type)
			continue;
		if (!index--)
			return nla;
	}
	return NULL;
}

/* A u32 condition of a rule: its value and its bit of @present. */
static void tcpk_rule_cond(struct nlattr **tb, int type, enum tcpk_cond cond,
			   u32 *val, struct tcpk_rule_spec *spec)
{
	if (!tb[type])
		return;
	*val = nla_get_u32(tb[type]);
	spec->present |= BIT(cond);
}

/* A glob condition of a rule. */
static int tcpk_rule_glob(struct nlattr **tb, int type, enum tcpk_cond cond,
			  const char **glob, struct tcpk_rule_spec *spec,
			  u32 index, const struct nlattr *nest,
			  struct tcpk_nl_refusal *err)
{
	if (!tb[type])
		return 0;
	if (tcpk_pnl_string(tb[type], glob, &tcpk_rule_fields[type], index,
			    nest, err))
		return -EINVAL;
	spec->present |= BIT(cond);
	return 0;
}

/* A mask condition of a rule; an empty mask would never, or always, match. */
static int tcpk_rule_mask(struct nlattr **tb, int type, enum tcpk_cond cond,
			  u32 *val, struct tcpk_rule_spec *spec, u32 index,
			  const struct nlattr *nest,
			  struct tcpk_nl_refusal *err)
{
	if (!tb[type])
		return 0;
	if (!nla_get_u32(tb[type]))
		return tcpk_pnl_refuse(err, index, nest, tb[type],
				       tcpk_rule_fields[type].empty);
	tcpk_rule_cond(tb, type, cond, val, spec);
	return 0;
}

/**
 * tcpk_nl_rule_parse() - parse a %TCPK_A_RULE nest of RULE_ADD or
 *	RULE_REPLACE into a spec
 * @nest: the nest.
 * @index: its index among the message's %TCPK_A_RULE nests (for @err).
 * @policy: policy of a %TCPK_A_RULE nest (the generated
 *	tcpk_rule_nl_policy).
 * @spec: receives the rule: absent id 0 (assigned later), absent
 *	priority %TCPK_RULE_PRIORITY_DEFAULT, one bit of @spec->present per
 *	condition given; strings point into the message.
 * @err: receives the refusal.
 *
 * %TCPK_A_RULE_ACTION is required, %TCPK_A_RULE_HITS refused (replies
 * only), %TCPK_A_RULE_SYSCALL may be given up to %TCPK_RULE_SYSCALLS_MAX
 * times and every other attribute once.  Strings and masks may not be
 * empty.  What the policy checks (ranges, masks, lengths) is checked
 * again by nla_parse_nested(); what needs the engine (globs, the
 * combination of conditions) is left to tcpk_rule_create().
 *
 * Return: 0, or -EINVAL with @err filled in.
 */
int tcpk_nl_rule_parse(const struct nlattr *nest, u32 index,
		       const struct nla_policy *policy,
		       struct tcpk_rule_spec *spec,
		       struct tcpk_nl_refusal *err)
{
	struct nlattr *tb[TCPK_A_RULE_MAX + 1];
	const struct nlattr *a;
	u32 n_sys;
	int rem;

	memset(spec, 0, sizeof(*spec));
	spec->priority = TCPK_RULE_PRIORITY_DEFAULT;
	if (tcpk_pnl_nest_parse(tb, TCPK_A_RULE_MAX, nest, policy,
				tcpk_rule_fields, TCPK_A_RULE_SYSCALL, &n_sys,
				index, "rule: invalid attributes", err))
		return -EINVAL;

	if (tb[TCPK_A_RULE_HITS])
		return tcpk_pnl_refuse(err, index, nest, tb[TCPK_A_RULE_HITS],
				       tcpk_rule_fields[TCPK_A_RULE_HITS].reply);
	if (!tb[TCPK_A_RULE_ACTION])
		return tcpk_pnl_missing(err, index, nest, TCPK_A_RULE_ACTION,
					"action: missing");
	if (n_sys > TCPK_RULE_SYSCALLS_MAX)
		return tcpk_pnl_refuse(err, index, nest,
				       tcpk_nl_nth(nla_data(nest), nla_len(nest),
						   TCPK_A_RULE_SYSCALL,
						   TCPK_RULE_SYSCALLS_MAX),
				       "syscall: more than 16 system calls");

	if (tb[TCPK_A_RULE_ID])
		spec->id = nla_get_u32(tb[TCPK_A_RULE_ID]);
	if (tb[TCPK_A_RULE_PRIORITY])
		spec->priority = nla_get_u32(tb[TCPK_A_RULE_PRIORITY]);
	spec->action = nla_get_u32(tb[TCPK_A_RULE_ACTION]);
	if (tb[TCPK_A_RULE_FLAGS])
		spec->flags = nla_get_u32(tb[TCPK_A_RULE_FLAGS]);

	tcpk_rule_cond(tb, TCPK_A_RULE_PID, TCPK_COND_PID, &spec->pid, spec);
	tcpk_rule_cond(tb, TCPK_A_RULE_UID, TCPK_COND_UID, &spec->uid, spec);
	tcpk_rule_cond(tb, TCPK_A_RULE_GID, TCPK_COND_GID, &spec->gid, spec);
	tcpk_rule_cond(tb, TCPK_A_RULE_CAPABILITY, TCPK_COND_CAPABILITY,
		       &spec->capability, spec);
	tcpk_rule_cond(tb, TCPK_A_RULE_ANOMALY_MIN, TCPK_COND_ANOMALY,
		       &spec->anomaly_min, spec);
	if (tcpk_rule_glob(tb, TCPK_A_RULE_COMM, TCPK_COND_COMM, &spec->comm,
			   spec, index, nest, err) ||
	    tcpk_rule_glob(tb, TCPK_A_RULE_EXE, TCPK_COND_EXE, &spec->exe,
			   spec, index, nest, err) ||
	    tcpk_rule_glob(tb, TCPK_A_RULE_PATH, TCPK_COND_PATH, &spec->path,
			   spec, index, nest, err) ||
	    tcpk_rule_glob(tb, TCPK_A_RULE_AGENT, TCPK_COND_AGENT,
			   &spec->agent, spec, index, nest, err) ||
	    tcpk_rule_mask(tb, TCPK_A_RULE_OPS, TCPK_COND_OPS, &spec->ops,
			   spec, index, nest, err) ||
	    tcpk_rule_mask(tb, TCPK_A_RULE_DESC_ANY, TCPK_COND_DESC_ANY,
			   &spec->desc_any, spec, index, nest, err) ||
	    tcpk_rule_mask(tb, TCPK_A_RULE_DESC_ALL, TCPK_COND_DESC_ALL,
			   &spec->desc_all, spec, index, nest, err) ||
	    tcpk_rule_mask(tb, TCPK_A_RULE_ACCESS, TCPK_COND_ACCESS,
			   &spec->access, spec, index, nest, err))
		return -EINVAL;

	if (tb[TCPK_A_RULE_PATH_SCOPE]) {
		spec->path_scope = nla_get_u32(tb[TCPK_A_RULE_PATH_SCOPE]);
		spec->present |= BIT(TCPK_COND_PATH_SCOPE);
	}
	if (tb[TCPK_A_RULE_TARGET_SCOPE]) {
		spec->target_scope = nla_get_u32(tb[TCPK_A_RULE_TARGET_SCOPE]);
		spec->present |= BIT(TCPK_COND_TARGET_SCOPE);
	}
	if (tb[TCPK_A_RULE_CGROUP]) {
		spec->cgroup = nla_get_u64(tb[TCPK_A_RULE_CGROUP]);
		spec->present |= BIT(TCPK_COND_CGROUP);
	}
	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) == TCPK_A_RULE_SYSCALL)
			spec->syscalls[spec->n_syscalls++] = nla_get_u32(a);
	if (spec->n_syscalls)
		spec->present |= BIT(TCPK_COND_SYSCALL);
	return 0;
}

/**
 * tcpk_nl_rule_id_parse() - the id of a %TCPK_A_RULE nest of RULE_DEL or
 *	RULE_GET (do)
 * @nest: the nest.
 * @policy: policy of a %TCPK_A_RULE nest.
 * @id: receives the id.
 * @err: receives the refusal (index 0).
 *
 * The nest holds %TCPK_A_RULE_ID and nothing else: a rule is named by its
 * id only.
 *
 * Return: 0, or -EINVAL with @err filled in.
 */
int tcpk_nl_rule_id_parse(const struct nlattr *nest,
			  const struct nla_policy *policy, u32 *id,
			  struct tcpk_nl_refusal *err)
{
	struct nlattr *tb[TCPK_A_RULE_MAX + 1];
	const struct nlattr *a;
	u32 n_sys;
	int rem;

	if (tcpk_pnl_nest_parse(tb, TCPK_A_RULE_MAX, nest, policy,
				tcpk_rule_fields, TCPK_A_RULE_SYSCALL, &n_sys,
				0, "rule: invalid attributes", err))
		return -EINVAL;
	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) != TCPK_A_RULE_ID)
			return tcpk_pnl_refuse(err, 0, nest, a,
					       "rule: only id names a rule here");
	if (!tb[TCPK_A_RULE_ID])
		return tcpk_pnl_missing(err, 0, nest, TCPK_A_RULE_ID,
					"id: missing");
	*id = nla_get_u32(tb[TCPK_A_RULE_ID]);
	return 0;
}

static size_t tcpk_pnl_str_size(const char *s)
{
	return s ? nla_total_size(strlen(s) + 1) : 0;
}

/**
 * tcpk_nl_rule_size() - room a %TCPK_A_RULE nest of a reply takes
 * @spec: the rule.
 *
 * Return: the size in bytes, padding included.
 */
size_t tcpk_nl_rule_size(const struct tcpk_rule_spec *spec)
{
	/* The nest; id (if any), priority, action, flags; hits. */
	size_t size = nla_total_size(0) +
		      (spec->id ? 4 : 3) * nla_total_size(sizeof(u32)) +
		      nla_total_size_64bit(sizeof(u64));
	u32 u32_conds = BIT(TCPK_COND_PID) | BIT(TCPK_COND_UID) |
			BIT(TCPK_COND_GID) | BIT(TCPK_COND_PATH_SCOPE) |
			BIT(TCPK_COND_CAPABILITY) | BIT(TCPK_COND_OPS) |
			BIT(TCPK_COND_DESC_ANY) | BIT(TCPK_COND_DESC_ALL) |
			BIT(TCPK_COND_ANOMALY) | BIT(TCPK_COND_TARGET_SCOPE) |
			BIT(TCPK_COND_ACCESS);

	size += hweight32(spec->present & u32_conds) *
		nla_total_size(sizeof(u32));
	size += spec->n_syscalls * nla_total_size(sizeof(u32));
	if (spec->present & BIT(TCPK_COND_CGROUP))
		size += nla_total_size_64bit(sizeof(u64));
	return size + tcpk_pnl_str_size(spec->comm) +
	       tcpk_pnl_str_size(spec->exe) + tcpk_pnl_str_size(spec->path) +
	       tcpk_pnl_str_size(spec->agent);
}

/**
 * tcpk_nl_rule_size_max() - room the largest %TCPK_A_RULE nest takes
 *
 * Return: the size in bytes of a nest with every condition, every string
 * of the longest length a rule accepts and %TCPK_RULE_SYSCALLS_MAX system
 * calls.
 */
size_t tcpk_nl_rule_size_max(void)
{
	return nla_total_size(0) + 15 * nla_total_size(sizeof(u32)) +
	       TCPK_RULE_SYSCALLS_MAX * nla_total_size(sizeof(u32)) +
	       2 * nla_total_size_64bit(sizeof(u64)) +
	       nla_total_size(TCPK_RULE_COMM_MAX) +
	       2 * nla_total_size(TCPK_RULE_GLOB_MAX) +
	       nla_total_size(TCPK_AGENT_NAME_MAX);
}

static int tcpk_pnl_put_cond(struct sk_buff *skb, const struct tcpk_rule_spec *spec,
			     enum tcpk_cond cond, int type, u32 val)
{
	if (!(spec->present & BIT(cond)))
		return 0;
	return nla_put_u32(skb, type, val);
}

static int tcpk_pnl_put_str(struct sk_buff *skb, int type, const char *s)
{
	return s ? nla_put_string(skb, type, s) : 0;
}

static int tcpk_pnl_rule_put(struct sk_buff *skb,
			     const struct tcpk_rule_spec *spec, u64 hits)
{
	unsigned int i;

	if ((spec->id && nla_put_u32(skb, TCPK_A_RULE_ID, spec->id)) ||
	    nla_put_u32(skb, TCPK_A_RULE_PRIORITY, spec->priority) ||
	    nla_put_u32(skb, TCPK_A_RULE_ACTION, spec->action) ||
	    nla_put_u32(skb, TCPK_A_RULE_FLAGS, spec->flags) ||
	    tcpk_pnl_put_cond(skb, spec, TCPK_COND_PID, TCPK_A_RULE_PID,
			      spec->pid) ||
	    tcpk_pnl_put_cond(skb, spec, TCPK_COND_UID, TCPK_A_RULE_UID,
			      spec->uid) ||
	    tcpk_pnl_put_cond(skb, spec, TCPK_COND_GID, TCPK_A_RULE_GID,
			      spec->gid) ||
	    tcpk_pnl_put_str(skb, TCPK_A_RULE_COMM, spec->comm) ||
	    tcpk_pnl_put_str(skb, TCPK_A_RULE_EXE, spec->exe) ||
	    tcpk_pnl_put_str(skb, TCPK_A_RULE_PATH, spec->path) ||
	    tcpk_pnl_put_cond(skb, spec, TCPK_COND_PATH_SCOPE,
			      TCPK_A_RULE_PATH_SCOPE, spec->path_scope) ||
	    tcpk_pnl_put_cond(skb, spec, TCPK_COND_CAPABILITY,
			      TCPK_A_RULE_CAPABILITY, spec->capability))
		return -EMSGSIZE;
	for (i = 0; i < spec->n_syscalls && i < TCPK_RULE_SYSCALLS_MAX; i++)
		if (nla_put_u32(skb, TCPK_A_RULE_SYSCALL, spec->syscalls[i]))
			return -EMSGSIZE;
	if (tcpk_pnl_put_cond(skb, spec, TCPK_COND_OPS, TCPK_A_RULE_OPS,
			      spec->ops) ||
	    tcpk_pnl_put_cond(skb, spec, TCPK_COND_DESC_ANY,
			      TCPK_A_RULE_DESC_ANY, spec->desc_any) ||
	    tcpk_pnl_put_cond(skb, spec, TCPK_COND_DESC_ALL,
			      TCPK_A_RULE_DESC_ALL, spec->desc_all) ||
	    tcpk_pnl_put_cond(skb, spec, TCPK_COND_ANOMALY,
			      TCPK_A_RULE_ANOMALY_MIN, spec->anomaly_min) ||
	    tcpk_pnl_put_str(skb, TCPK_A_RULE_AGENT, spec->agent) ||
	    ((spec->present & BIT(TCPK_COND_CGROUP)) &&
	     nla_put_u64_64bit(skb, TCPK_A_RULE_CGROUP, spec->cgroup,
			       TCPK_A_RULE_PAD)) ||
	    tcpk_pnl_put_cond(skb, spec, TCPK_COND_TARGET_SCOPE,
			      TCPK_A_RULE_TARGET_SCOPE, spec->target_scope) ||
	    tcpk_pnl_put_cond(skb, spec, TCPK_COND_ACCESS, TCPK_A_RULE_ACCESS,
			      spec->access) ||
	    nla_put_u64_64bit(skb, TCPK_A_RULE_HITS, hits, TCPK_A_RULE_PAD))
		return -EMSGSIZE;
	return 0;
}

/**
 * tcpk_nl_rule_fill() - encode one rule as a %TCPK_A_RULE nest
 * @skb: message being built.
 * @spec: the rule (as tcpk_rule_to_spec() gives it, or as parsed with its
 *	id set).
 * @hits: its hit counter.
 *
 * The nest carries the id (when not 0), priority, action, flags, every
 * condition of @spec->present (strings when not NULL) and
 * %TCPK_A_RULE_HITS.  On failure nothing of it is left in @skb.  Never
 * sleeps.
 *
 * Return: 0, or -EMSGSIZE if @skb is too small.
 */
int tcpk_nl_rule_fill(struct sk_buff *skb, const struct tcpk_rule_spec *spec,
		      u64 hits)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, TCPK_A_RULE);
	if (!nest)
		return -EMSGSIZE;
	if (tcpk_pnl_rule_put(skb, spec, hits)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* An absolute path, without a trailing slash unless it is "/". */
static int tcpk_pnl_abs_path(const char *path, bool trailing_slash)
{
	size_t len = strlen(path);

	if (path[0] != '/')
		return -EINVAL;
	if (!trailing_slash && len > 1 && path[len - 1] == '/')
		return -EINVAL;
	return 0;
}

/**
 * tcpk_nl_req_parse() - parse the %TCPK_A_REQ nest of POLICY_TEST
 * @nest: the nest.
 * @policy: policy of a %TCPK_A_REQ nest (the generated tcpk_req_nl_policy).
 * @r: receives the request as given and which attributes were given.
 * @err: receives the refusal (index 0).
 *
 * %TCPK_A_REQ_OP is required, every attribute may be given once, strings
 * may not be empty; the object path and the workspace are absolute and
 * the workspace has no trailing slash.  A cgroup given is the subject's
 * only cgroup (no ancestors are known).  Strings point into the message.
 *
 * Return: 0, or -EINVAL with @err filled in.
 */
int tcpk_nl_req_parse(const struct nlattr *nest,
		      const struct nla_policy *policy, struct tcpk_nl_req *r,
		      struct tcpk_nl_refusal *err)
{
	struct nlattr *tb[TCPK_A_REQ_MAX + 1];
	struct tcpk_request *req = &r->req;
	const struct nlattr *a;
	int type, rem;

	memset(r, 0, sizeof(*r));
	req->syscall = -1;
	req->comm = "";
	req->target = TCPK_SCOPE_ANY;
	if (tcpk_pnl_nest_parse(tb, TCPK_A_REQ_MAX, nest, policy,
				tcpk_req_fields, 0, NULL, 0,
				"req: invalid attributes", err))
		return -EINVAL;
	if (!tb[TCPK_A_REQ_OP])
		return tcpk_pnl_missing(err, 0, nest, TCPK_A_REQ_OP,
					"op: missing");
	nla_for_each_nested(a, nest, rem)
		r->given |= BIT(nla_type(a));

	for (type = 1; type <= TCPK_A_REQ_MAX; type++) {
		const char **s = NULL;

		if (!tb[type])
			continue;
		switch (type) {
		case TCPK_A_REQ_OP:
			req->op = nla_get_u32(tb[type]);
			break;
		case TCPK_A_REQ_PID:
			r->pid = nla_get_u32(tb[type]);
			break;
		case TCPK_A_REQ_UID:
			req->uid = nla_get_u32(tb[type]);
			break;
		case TCPK_A_REQ_GID:
			req->gid = nla_get_u32(tb[type]);
			break;
		case TCPK_A_REQ_COMM:
			s = &req->comm;
			break;
		case TCPK_A_REQ_EXE:
			s = &req->exe;
			break;
		case TCPK_A_REQ_PATH:
			s = &req->path;
			break;
		case TCPK_A_REQ_CAPABILITY:
			req->capability = nla_get_u32(tb[type]);
			break;
		case TCPK_A_REQ_SYSCALL:
			req->syscall = nla_get_u32(tb[type]);
			break;
		case TCPK_A_REQ_DESC_FLAGS:
			req->desc_flags = nla_get_u32(tb[type]);
			break;
		case TCPK_A_REQ_ANOMALY:
			req->anomaly = nla_get_u32(tb[type]);
			break;
		case TCPK_A_REQ_AGENT:
			s = &req->agent;
			break;
		case TCPK_A_REQ_WORKSPACE:
			s = &req->workspace;
			break;
		case TCPK_A_REQ_CGROUP:
			req->cgroups[0] = nla_get_u64(tb[type]);
			req->n_cgroups = 1;
			break;
		case TCPK_A_REQ_TARGET_PID:
			r->target_pid = nla_get_u32(tb[type]);
			break;
		case TCPK_A_REQ_ACCESS:
			req->access = nla_get_u32(tb[type]);
			break;
		}
		if (s && tcpk_pnl_string(tb[type], s, &tcpk_req_fields[type],
					 0, nest, err))
			return -EINVAL;
	}
	if (req->path && tcpk_pnl_abs_path(req->path, true))
		return tcpk_pnl_refuse(err, 0, nest, tb[TCPK_A_REQ_PATH],
				       "path: not absolute");
	if (req->workspace && tcpk_pnl_abs_path(req->workspace, false))
		return tcpk_pnl_refuse(err, 0, nest, tb[TCPK_A_REQ_WORKSPACE],
				       "workspace: not absolute, or a trailing slash");
	return 0;
}

/**
 * tcpk_nl_req_apply() - lay the fields given in a request over another
 * @r: the parsed request.
 * @req: a request, e.g. filled from a live task by
 *	tcpk_request_from_task(); each field that @r was given replaces its
 *	own, and the operation is always @r's.
 *
 * Strings of @req then point into @r's message where they were given.
 */
void tcpk_nl_req_apply(const struct tcpk_nl_req *r, struct tcpk_request *req)
{
	const struct tcpk_request *in = &r->req;
	u32 g = r->given;

	req->op = in->op;
	if (g & BIT(TCPK_A_REQ_UID))
		req->uid = in->uid;
	if (g & BIT(TCPK_A_REQ_GID))
		req->gid = in->gid;
	if (g & BIT(TCPK_A_REQ_COMM))
		req->comm = in->comm;
	if (g & BIT(TCPK_A_REQ_EXE))
		req->exe = in->exe;
	if (g & BIT(TCPK_A_REQ_PATH))
		req->path = in->path;
	if (g & BIT(TCPK_A_REQ_CAPABILITY))
		req->capability = in->capability;
	if (g & BIT(TCPK_A_REQ_SYSCALL))
		req->syscall = in->syscall;
	if (g & BIT(TCPK_A_REQ_DESC_FLAGS))
		req->desc_flags = in->desc_flags;
	if (g & BIT(TCPK_A_REQ_ANOMALY))
		req->anomaly = in->anomaly;
	if (g & BIT(TCPK_A_REQ_AGENT))
		req->agent = in->agent;
	if (g & BIT(TCPK_A_REQ_WORKSPACE))
		req->workspace = in->workspace;
	if (g & BIT(TCPK_A_REQ_CGROUP)) {
		req->cgroups[0] = in->cgroups[0];
		req->n_cgroups = 1;
	}
	if (g & BIT(TCPK_A_REQ_ACCESS))
		req->access = in->access;
}

/**
 * tcpk_nl_decision_reason() - a human-readable account of a decision
 * @d: the decision.
 * @op: &enum tcpk_op of its request.
 * @buf: receives the text, always NUL-terminated.
 * @len: size of @buf; %TCPK_NL_REASON_LEN is enough for any decision.
 *
 * "rule 2 (deny)", "default of level 3", "fast path: no rule for exec",
 * "quarantined earlier", "too many violations: destructive operations
 * refused" or "level 0: nothing is decided", followed by
 * what the mode made of it: "; would deny: exec not enforced", "; kill",
 * "; quarantine".
 */
void tcpk_nl_decision_reason(const struct tcpk_decision *d, u32 op,
			     char *buf, size_t len)
{
	const char *op_name = tcpk_op_name(op);
	size_t n;

	if (d->flags & BIT(TCPK_DECISION_F_QUARANTINED))
		n = scnprintf(buf, len, "quarantined earlier");
	else if (d->flags & BIT(TCPK_DECISION_F_VIOLATIONS))
		n = scnprintf(buf, len,
			      "too many violations: destructive operations refused");
	else if (d->flags & BIT(TCPK_DECISION_F_MATCHED))
		n = scnprintf(buf, len, "rule %u (%s)", d->rule_id,
			      tcpk_action_name(d->action));
	else if (d->level == TCPK_LEVEL_OFF)
		n = scnprintf(buf, len, "level 0: nothing is decided");
	else if (d->flags & BIT(TCPK_DECISION_F_FAST_PATH))
		n = scnprintf(buf, len, "fast path: no rule for %s", op_name);
	else
		n = scnprintf(buf, len, "default of level %u", d->level);

	if (d->flags & BIT(TCPK_DECISION_F_WOULD_DENY))
		n += scnprintf(buf + n, len - n, "; would deny: %s not enforced",
			       op_name);
	if (d->flags & BIT(TCPK_DECISION_F_KILL))
		n += scnprintf(buf + n, len - n, "; kill");
	if (d->flags & BIT(TCPK_DECISION_F_QUARANTINE))
		scnprintf(buf + n, len - n, "; quarantine");
}

/**
 * tcpk_nl_decision_size() - room a decision nest takes
 * @nd: the decision and its context.
 *
 * Return: the size in bytes, padding included (the reason counted at its
 * largest).
 */
size_t tcpk_nl_decision_size(const struct tcpk_nl_decision *nd)
{
	size_t size = nla_total_size(0) + 5 * nla_total_size(sizeof(u32)) +
		      nla_total_size_64bit(sizeof(u64)) +
		      nla_total_size(TCPK_NL_REASON_LEN);

	if (nd->context)
		size += nla_total_size(sizeof(u32)) +
			nla_total_size_64bit(sizeof(u64)) +
			tcpk_pnl_str_size(nd->path);
	return size;
}

static int tcpk_pnl_decision_put(struct sk_buff *skb,
				 const struct tcpk_nl_decision *nd)
{
	const struct tcpk_decision *d = nd->d;
	char reason[TCPK_NL_REASON_LEN];

	if (nla_put_u32(skb, TCPK_A_DECISION_VERDICT, d->verdict) ||
	    nla_put_u32(skb, TCPK_A_DECISION_ACTION, d->action) ||
	    nla_put_u32(skb, TCPK_A_DECISION_RULE_ID, d->rule_id) ||
	    nla_put_u32(skb, TCPK_A_DECISION_FLAGS, d->flags) ||
	    nla_put_u32(skb, TCPK_A_DECISION_LEVEL, d->level) ||
	    nla_put_u64_64bit(skb, TCPK_A_DECISION_GENERATION, d->generation,
			      TCPK_A_DECISION_PAD))
		return -EMSGSIZE;
	if (nd->context &&
	    (nla_put_u32(skb, TCPK_A_DECISION_OP, nd->op) ||
	     tcpk_pnl_put_str(skb, TCPK_A_DECISION_PATH, nd->path) ||
	     nla_put_u64_64bit(skb, TCPK_A_DECISION_TIME, nd->time,
			       TCPK_A_DECISION_PAD)))
		return -EMSGSIZE;
	tcpk_nl_decision_reason(d, nd->op, reason, sizeof(reason));
	return nla_put_string(skb, TCPK_A_DECISION_REASON, reason);
}

/**
 * tcpk_nl_decision_fill() - encode a decision as a nest
 * @skb: message being built.
 * @type: the nest's attribute type (%TCPK_A_DECISION, or
 *	%TCPK_A_EVENT_DECISION inside an event).
 * @nd: the decision; with @nd->context also its operation, path and time.
 *
 * On failure nothing of the nest is left in @skb.  Never sleeps.
 *
 * Return: 0, or -EMSGSIZE if @skb is too small.
 */
int tcpk_nl_decision_fill(struct sk_buff *skb, int type,
			  const struct tcpk_nl_decision *nd)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	if (tcpk_pnl_decision_put(skb, nd)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * tcpk_nl_agent_parse() - parse the %TCPK_A_AGENT nest of AGENT_START
 * @nest: the nest.
 * @policy: policy of a %TCPK_A_AGENT nest.
 * @name: receives the label (%TCPK_A_AGENT_NAME, required).
 * @workspace: receives the workspace, absolute, or NULL if absent.
 * @err: receives the refusal (index 0).
 *
 * The characters of the label and the workspace itself are checked by
 * tcpk_agent_start().  Strings point into the message.
 *
 * Return: 0, or -EINVAL with @err filled in.
 */
int tcpk_nl_agent_parse(const struct nlattr *nest,
			const struct nla_policy *policy, const char **name,
			const char **workspace, struct tcpk_nl_refusal *err)
{
	static const int reply_only[] = { TCPK_A_AGENT_SESSION,
					  TCPK_A_AGENT_PID,
					  TCPK_A_AGENT_COMM };
	struct nlattr *tb[TCPK_A_AGENT_MAX + 1];
	unsigned int i;

	*name = NULL;
	*workspace = NULL;
	if (tcpk_pnl_nest_parse(tb, TCPK_A_AGENT_MAX, nest, policy,
				tcpk_agent_fields, 0, NULL, 0,
				"agent: invalid attributes", err))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(reply_only); i++)
		if (tb[reply_only[i]])
			return tcpk_pnl_refuse(err, 0, nest, tb[reply_only[i]],
					       tcpk_agent_fields[reply_only[i]].reply);
	if (!tb[TCPK_A_AGENT_NAME])
		return tcpk_pnl_missing(err, 0, nest, TCPK_A_AGENT_NAME,
					"name: missing");
	if (tcpk_pnl_string(tb[TCPK_A_AGENT_NAME], name,
			    &tcpk_agent_fields[TCPK_A_AGENT_NAME], 0, nest, err))
		return -EINVAL;
	if (!tb[TCPK_A_AGENT_WORKSPACE])
		return 0;
	if (tcpk_pnl_string(tb[TCPK_A_AGENT_WORKSPACE], workspace,
			    &tcpk_agent_fields[TCPK_A_AGENT_WORKSPACE], 0, nest,
			    err))
		return -EINVAL;
	if (tcpk_pnl_abs_path(*workspace, true))
		return tcpk_pnl_refuse(err, 0, nest, tb[TCPK_A_AGENT_WORKSPACE],
				       "workspace: not absolute");
	return 0;
}

/**
 * tcpk_nl_agent_size() - room a %TCPK_A_AGENT nest of a reply takes
 * @comm: the process's command name, or NULL.
 * @name: the label.
 * @workspace: the workspace, or NULL.
 *
 * Return: the size in bytes, padding included.
 */
size_t tcpk_nl_agent_size(const char *comm, const char *name,
			  const char *workspace)
{
	return nla_total_size(0) + nla_total_size(sizeof(u32)) +
	       nla_total_size_64bit(sizeof(u64)) + tcpk_pnl_str_size(comm) +
	       tcpk_pnl_str_size(name) + tcpk_pnl_str_size(workspace);
}

/**
 * tcpk_nl_agent_fill() - encode an agent session and a process of it
 * @skb: message being built.
 * @pid: the process (%TCPK_A_AGENT_PID).
 * @comm: its command name, or NULL.
 * @name: the label.
 * @workspace: the workspace, or NULL.
 * @session: the session id.
 *
 * On failure nothing of the nest is left in @skb.  Never sleeps.
 *
 * Return: 0, or -EMSGSIZE if @skb is too small.
 */
int tcpk_nl_agent_fill(struct sk_buff *skb, u32 pid, const char *comm,
		       const char *name, const char *workspace, u64 session)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, TCPK_A_AGENT);
	if (!nest)
		return -EMSGSIZE;
	if (tcpk_pnl_put_str(skb, TCPK_A_AGENT_NAME, name) ||
	    tcpk_pnl_put_str(skb, TCPK_A_AGENT_WORKSPACE, workspace) ||
	    nla_put_u64_64bit(skb, TCPK_A_AGENT_SESSION, session,
			      TCPK_A_AGENT_PAD) ||
	    nla_put_u32(skb, TCPK_A_AGENT_PID, pid) ||
	    tcpk_pnl_put_str(skb, TCPK_A_AGENT_COMM, comm)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * tcpk_nl_mode_parse() - parse the %TCPK_A_MODE nest of MODE_SET
 * @nest: the nest.
 * @policy: policy of a %TCPK_A_MODE nest.
 * @mode: receives the values given; the others are left as they are.
 * @set_level: receives whether %TCPK_A_MODE_LEVEL was given.
 * @set_alerts: receives whether %TCPK_A_MODE_ALERTS was given.
 * @set_block_ops: receives whether %TCPK_A_MODE_BLOCK_OPS was given.
 * @err: receives the refusal (index 0).
 *
 * At least one attribute is required: an empty nest is a client's
 * mistake.
 *
 * Return: 0, or -EINVAL with @err filled in.
 */
int tcpk_nl_mode_parse(const struct nlattr *nest,
		       const struct nla_policy *policy, struct tcpk_mode *mode,
		       bool *set_level, bool *set_alerts, bool *set_block_ops,
		       struct tcpk_nl_refusal *err)
{
	struct nlattr *tb[TCPK_A_MODE_MAX + 1];

	if (tcpk_pnl_nest_parse(tb, TCPK_A_MODE_MAX, nest, policy,
				tcpk_mode_fields, 0, NULL, 0,
				"mode: invalid attributes", err))
		return -EINVAL;
	*set_level = !!tb[TCPK_A_MODE_LEVEL];
	*set_alerts = !!tb[TCPK_A_MODE_ALERTS];
	*set_block_ops = !!tb[TCPK_A_MODE_BLOCK_OPS];
	if (!*set_level && !*set_alerts && !*set_block_ops)
		return tcpk_pnl_refuse(err, 0, nest, NULL,
				       "mode: nothing to set (level, alerts or block_ops)");
	if (*set_level)
		mode->level = nla_get_u32(tb[TCPK_A_MODE_LEVEL]);
	if (*set_alerts)
		mode->alerts = nla_get_u8(tb[TCPK_A_MODE_ALERTS]);
	if (*set_block_ops)
		mode->block_ops = nla_get_u32(tb[TCPK_A_MODE_BLOCK_OPS]);
	return 0;
}

/**
 * tcpk_nl_mode_size() - room a mode nest takes
 *
 * Return: the size in bytes.
 */
size_t tcpk_nl_mode_size(void)
{
	return nla_total_size(0) + 2 * nla_total_size(sizeof(u32)) +
	       nla_total_size(sizeof(u8));
}

/**
 * tcpk_nl_mode_fill() - encode the mode as a nest
 * @skb: message being built.
 * @type: the nest's type (%TCPK_A_MODE, or %TCPK_A_EVENT_MODE).
 * @mode: the mode.
 *
 * On failure nothing of the nest is left in @skb.  Never sleeps.
 *
 * Return: 0, or -EMSGSIZE if @skb is too small.
 */
int tcpk_nl_mode_fill(struct sk_buff *skb, int type,
		      const struct tcpk_mode *mode)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, TCPK_A_MODE_LEVEL, mode->level) ||
	    nla_put_u8(skb, TCPK_A_MODE_ALERTS, mode->alerts) ||
	    nla_put_u32(skb, TCPK_A_MODE_BLOCK_OPS, mode->block_ops)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static size_t tcpk_pnl_opt_str_size(const char *s)
{
	return *s ? nla_total_size(strlen(s) + 1) : 0;
}

/**
 * tcpk_nl_event_size() - room the %TCPK_A_EVENT nest of an event takes
 * @ev: the event.
 *
 * Return: the size in bytes, padding included.
 */
size_t tcpk_nl_event_size(const struct tcpk_event *ev)
{
	struct tcpk_nl_decision nd = {
		.d = &ev->d, .context = true,
		.path = ev->path[0] ? ev->path : NULL,
	};
	/* The nest, type; seq, dropped, time. */
	size_t size = nla_total_size(0) + nla_total_size(sizeof(u32)) +
		      3 * nla_total_size_64bit(sizeof(u64));

	switch (ev->type) {
	case TCPK_EVENT_DECISION:
		return size + 2 * nla_total_size(sizeof(u32)) +
		       tcpk_pnl_opt_str_size(ev->comm) +
		       tcpk_pnl_opt_str_size(ev->agent) +
		       tcpk_nl_decision_size(&nd);
	case TCPK_EVENT_POLICY:
		return size + nla_total_size_64bit(sizeof(u64)) +
		       nla_total_size(sizeof(u32));
	case TCPK_EVENT_MODE:
		return size + tcpk_nl_mode_size();
	case TCPK_EVENT_BEHAVIOR:
		return size + nla_total_size(sizeof(u32)) +
		       tcpk_pnl_opt_str_size(ev->comm) +
		       tcpk_pnl_opt_str_size(ev->agent) +
		       tcpk_nl_behavior_size();
	case TCPK_EVENT_FLOW:
		return size + tcpk_nl_flow_size();
	default:
		return size + nla_total_size(sizeof(u32)) +
		       tcpk_pnl_opt_str_size(ev->comm) +
		       tcpk_pnl_opt_str_size(ev->agent);
	}
}

static int tcpk_pnl_put_opt_str(struct sk_buff *skb, int type, const char *s)
{
	return *s ? nla_put_string(skb, type, s) : 0;
}

static int tcpk_pnl_event_put(struct sk_buff *skb, const struct tcpk_event *ev,
			      u64 dropped)
{
	struct tcpk_nl_decision nd = {
		.d = &ev->d, .op = ev->op, .context = true,
		.path = ev->path[0] ? ev->path : NULL, .time = ev->time,
	};

	if (nla_put_u32(skb, TCPK_A_EVENT_TYPE, ev->type) ||
	    nla_put_u64_64bit(skb, TCPK_A_EVENT_SEQ, ev->seq,
			      TCPK_A_EVENT_PAD) ||
	    nla_put_u64_64bit(skb, TCPK_A_EVENT_DROPPED, dropped,
			      TCPK_A_EVENT_PAD) ||
	    nla_put_u64_64bit(skb, TCPK_A_EVENT_TIME, ev->time,
			      TCPK_A_EVENT_PAD))
		return -EMSGSIZE;

	switch (ev->type) {
	case TCPK_EVENT_DECISION:
		if (nla_put_u32(skb, TCPK_A_EVENT_PID, ev->pid) ||
		    nla_put_u32(skb, TCPK_A_EVENT_UID, ev->uid) ||
		    tcpk_pnl_put_opt_str(skb, TCPK_A_EVENT_COMM, ev->comm) ||
		    tcpk_pnl_put_opt_str(skb, TCPK_A_EVENT_AGENT, ev->agent))
			return -EMSGSIZE;
		return tcpk_nl_decision_fill(skb, TCPK_A_EVENT_DECISION, &nd);
	case TCPK_EVENT_POLICY:
		if (nla_put_u64_64bit(skb, TCPK_A_EVENT_GENERATION,
				      ev->generation, TCPK_A_EVENT_PAD) ||
		    nla_put_u32(skb, TCPK_A_EVENT_RULES, ev->rules))
			return -EMSGSIZE;
		return 0;
	case TCPK_EVENT_MODE:
		return tcpk_nl_mode_fill(skb, TCPK_A_EVENT_MODE, &ev->mode);
	case TCPK_EVENT_LOCK:
		if (nla_put_u32(skb, TCPK_A_EVENT_PID, ev->pid) ||
		    nla_put_u32(skb, TCPK_A_EVENT_UID, ev->uid) ||
		    tcpk_pnl_put_opt_str(skb, TCPK_A_EVENT_COMM, ev->comm))
			return -EMSGSIZE;
		return tcpk_nl_mode_fill(skb, TCPK_A_EVENT_MODE, &ev->mode);
	case TCPK_EVENT_BEHAVIOR:
		if (nla_put_u32(skb, TCPK_A_EVENT_PID, ev->pid) ||
		    tcpk_pnl_put_opt_str(skb, TCPK_A_EVENT_COMM, ev->comm) ||
		    tcpk_pnl_put_opt_str(skb, TCPK_A_EVENT_AGENT, ev->agent))
			return -EMSGSIZE;
		return tcpk_nl_behavior_fill(skb, ev);
	case TCPK_EVENT_FLOW:
		return tcpk_nl_flow_fill(skb, &ev->flow);
	default:
		if (nla_put_u32(skb, TCPK_A_EVENT_PID, ev->pid) ||
		    tcpk_pnl_put_opt_str(skb, TCPK_A_EVENT_COMM, ev->comm) ||
		    tcpk_pnl_put_opt_str(skb, TCPK_A_EVENT_AGENT, ev->agent))
			return -EMSGSIZE;
		return 0;
	}
}

/**
 * tcpk_nl_event_fill() - encode an event as a %TCPK_A_EVENT nest
 * @skb: message being built.
 * @ev: the event.
 * @dropped: events dropped since load (%TCPK_A_EVENT_DROPPED).
 *
 * Every event carries its type, sequence number, the drop total and its
 * time; a decision its subject (pid, uid, comm, agent) and the decision
 * with its operation, path and time; a policy event the generation and
 * the number of rules; a mode event the mode; a lock event the pid, uid
 * and comm of the process that locked the module and the mode; an agent
 * start the pid,
 * comm and label; a behaviour event the pid, comm, label and what the
 * process did; a flow event the flow, with no subject.  On failure
 * nothing of the nest is left in @skb.
 * Never sleeps.
 *
 * Return: 0, or -EMSGSIZE if @skb is too small.
 */
int tcpk_nl_event_fill(struct sk_buff *skb, const struct tcpk_event *ev,
		       u64 dropped)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, TCPK_A_EVENT);
	if (!nest)
		return -EMSGSIZE;
	if (tcpk_pnl_event_put(skb, ev, dropped)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}
