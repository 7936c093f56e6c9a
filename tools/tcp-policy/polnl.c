// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-policy - netlink attributes of the policy engine (uapi 3): rules,
 * decisions and the mode, to and from messages, as text and as JSON
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include <linux/tcp_kernel.h>

#include "descfmt.h"
#include "polnl.h"
#include "rulefmt.h"
#include "tcp-policy.h"

static const struct nla_policy rule_policy[TCPK_A_RULE_MAX + 1] = {
	[TCPK_A_RULE_PAD]		= { .type = NLA_UNSPEC },
	[TCPK_A_RULE_ID]		= { .type = NLA_U32 },
	[TCPK_A_RULE_PRIORITY]		= { .type = NLA_U32 },
	[TCPK_A_RULE_ACTION]		= { .type = NLA_U32 },
	[TCPK_A_RULE_FLAGS]		= { .type = NLA_U32 },
	[TCPK_A_RULE_PID]		= { .type = NLA_U32 },
	[TCPK_A_RULE_UID]		= { .type = NLA_U32 },
	[TCPK_A_RULE_GID]		= { .type = NLA_U32 },
	[TCPK_A_RULE_COMM]		= { .type = NLA_STRING },
	[TCPK_A_RULE_EXE]		= { .type = NLA_STRING },
	[TCPK_A_RULE_PATH]		= { .type = NLA_STRING },
	[TCPK_A_RULE_PATH_SCOPE]	= { .type = NLA_U32 },
	[TCPK_A_RULE_CAPABILITY]	= { .type = NLA_U32 },
	[TCPK_A_RULE_SYSCALL]		= { .type = NLA_U32 },
	[TCPK_A_RULE_OPS]		= { .type = NLA_U32 },
	[TCPK_A_RULE_DESC_ANY]		= { .type = NLA_U32 },
	[TCPK_A_RULE_DESC_ALL]		= { .type = NLA_U32 },
	[TCPK_A_RULE_ANOMALY_MIN]	= { .type = NLA_U32 },
	[TCPK_A_RULE_AGENT]		= { .type = NLA_STRING },
	[TCPK_A_RULE_CGROUP]		= { .type = NLA_U64 },
	[TCPK_A_RULE_TARGET_SCOPE]	= { .type = NLA_U32 },
	[TCPK_A_RULE_ACCESS]		= { .type = NLA_U32 },
	[TCPK_A_RULE_HITS]		= { .type = NLA_U64 },
};

static const struct nla_policy decision_policy[TCPK_A_DECISION_MAX + 1] = {
	[TCPK_A_DECISION_PAD]		= { .type = NLA_UNSPEC },
	[TCPK_A_DECISION_VERDICT]	= { .type = NLA_U32 },
	[TCPK_A_DECISION_ACTION]	= { .type = NLA_U32 },
	[TCPK_A_DECISION_RULE_ID]	= { .type = NLA_U32 },
	[TCPK_A_DECISION_FLAGS]		= { .type = NLA_U32 },
	[TCPK_A_DECISION_LEVEL]		= { .type = NLA_U32 },
	[TCPK_A_DECISION_GENERATION]	= { .type = NLA_U64 },
	[TCPK_A_DECISION_OP]		= { .type = NLA_U32 },
	[TCPK_A_DECISION_PATH]		= { .type = NLA_STRING },
	[TCPK_A_DECISION_TIME]		= { .type = NLA_U64 },
	[TCPK_A_DECISION_REASON]	= { .type = NLA_STRING },
};

static const struct nla_policy mode_policy[TCPK_A_MODE_MAX + 1] = {
	[TCPK_A_MODE_LEVEL]		= { .type = NLA_U32 },
	[TCPK_A_MODE_ALERTS]		= { .type = NLA_U8 },
	[TCPK_A_MODE_BLOCK_OPS]		= { .type = NLA_U32 },
};

/* --- rules -------------------------------------------------------------------- */

/**
 * tp_rule_msg_size() - room a rule takes in a message
 * @r: the rule.
 *
 * Return: an upper bound of the bytes of its %TCPK_A_RULE nest.
 */
size_t tp_rule_msg_size(const struct tp_rule *r)
{
	size_t n = nla_total_size(0) + 20 * nla_total_size(sizeof(uint32_t)) +
		   2 * nla_total_size(sizeof(uint64_t)) +
		   r->n_syscalls * nla_total_size(sizeof(uint32_t));
	const char *s[] = { r->comm, r->exe, r->path, r->agent };
	size_t i;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		if (s[i])
			n += nla_total_size((int)strlen(s[i]) + 1);
	return n;
}

/**
 * tp_rule_put() - add a rule to a request as a %TCPK_A_RULE nest
 * @msg: the request.
 * @r: the rule; its id and priority only when given.
 *
 * Return: 0, or -1 when the message is full.
 */
int tp_rule_put(struct nl_msg *msg, const struct tp_rule *r)
{
	struct nlattr *nest = nla_nest_start(msg, TCPK_A_RULE);
	unsigned int i;
	int err = 0;

	if (!nest)
		return -1;
	if (r->has_id)
		err = err ?: nla_put_u32(msg, TCPK_A_RULE_ID, r->id);
	if (r->has_priority)
		err = err ?: nla_put_u32(msg, TCPK_A_RULE_PRIORITY,
					 r->priority);
	err = err ?: nla_put_u32(msg, TCPK_A_RULE_ACTION, r->action);
	if (r->flags)
		err = err ?: nla_put_u32(msg, TCPK_A_RULE_FLAGS, r->flags);
	if (TP_HAS(r, TP_COND_PID))
		err = err ?: nla_put_u32(msg, TCPK_A_RULE_PID, r->pid);
	if (TP_HAS(r, TP_COND_UID))
		err = err ?: nla_put_u32(msg, TCPK_A_RULE_UID, r->uid);
	if (TP_HAS(r, TP_COND_GID))
		err = err ?: nla_put_u32(msg, TCPK_A_RULE_GID, r->gid);
	if (TP_HAS(r, TP_COND_COMM))
		err = err ?: nla_put_string(msg, TCPK_A_RULE_COMM, r->comm);
	if (TP_HAS(r, TP_COND_EXE))
		err = err ?: nla_put_string(msg, TCPK_A_RULE_EXE, r->exe);
	if (TP_HAS(r, TP_COND_PATH))
		err = err ?: nla_put_string(msg, TCPK_A_RULE_PATH, r->path);
	if (TP_HAS(r, TP_COND_PATH_SCOPE))
		err = err ?: nla_put_u32(msg, TCPK_A_RULE_PATH_SCOPE,
					 r->path_scope);
	if (TP_HAS(r, TP_COND_CAPABILITY))
		err = err ?: nla_put_u32(msg, TCPK_A_RULE_CAPABILITY,
					 r->capability);
	for (i = 0; TP_HAS(r, TP_COND_SYSCALL) && i < r->n_syscalls; i++)
		err = err ?: nla_put_u32(msg, TCPK_A_RULE_SYSCALL,
					 r->syscalls[i]);
	if (TP_HAS(r, TP_COND_OPS))
		err = err ?: nla_put_u32(msg, TCPK_A_RULE_OPS, r->ops);
	if (TP_HAS(r, TP_COND_DESC_ANY))
		err = err ?: nla_put_u32(msg, TCPK_A_RULE_DESC_ANY,
					 r->desc_any);
	if (TP_HAS(r, TP_COND_DESC_ALL))
		err = err ?: nla_put_u32(msg, TCPK_A_RULE_DESC_ALL,
					 r->desc_all);
	if (TP_HAS(r, TP_COND_ANOMALY))
		err = err ?: nla_put_u32(msg, TCPK_A_RULE_ANOMALY_MIN,
					 r->anomaly_min);
	if (TP_HAS(r, TP_COND_AGENT))
		err = err ?: nla_put_string(msg, TCPK_A_RULE_AGENT, r->agent);
	if (TP_HAS(r, TP_COND_CGROUP))
		err = err ?: nla_put_u64(msg, TCPK_A_RULE_CGROUP, r->cgroup);
	if (TP_HAS(r, TP_COND_TARGET))
		err = err ?: nla_put_u32(msg, TCPK_A_RULE_TARGET_SCOPE,
					 r->target_scope);
	if (TP_HAS(r, TP_COND_ACCESS))
		err = err ?: nla_put_u32(msg, TCPK_A_RULE_ACCESS, r->access);
	if (err < 0)
		return -1;
	return nla_nest_end(msg, nest) < 0 ? -1 : 0;
}

static int dup_attr(char **dst, struct nlattr *nla, const char *what)
{
	*dst = strdup(nla_get_string(nla));
	if (!*dst) {
		tp_err("%s: %s", what, strerror(ENOMEM));
		return -ENOMEM;
	}
	return 0;
}

/**
 * tp_rule_parse_nest() - a rule from a %TCPK_A_RULE nest of a reply
 * @nest: the nest.
 * @r: the rule, zeroed by the caller; tp_rule_free() releases it.
 * @what: name of the request, for messages.
 *
 * Return: 0, or a negative errno (reported).
 */
int tp_rule_parse_nest(struct nlattr *nest, struct tp_rule *r,
		       const char *what)
{
	struct nlattr *tb[TCPK_A_RULE_MAX + 1];
	struct nlattr *nla;
	int err, rem;

	err = tp_nl_parse(tb, TCPK_A_RULE_MAX, nla_data(nest), nla_len(nest),
			  rule_policy, what, "rule");
	if (err)
		return err;
	if (!tb[TCPK_A_RULE_ID] || !tb[TCPK_A_RULE_ACTION]) {
		tp_err("%s: malformed rule: no %s", what,
		       tb[TCPK_A_RULE_ID] ? "TCPK_A_RULE_ACTION" :
		       "TCPK_A_RULE_ID");
		return -EBADMSG;
	}
	r->has_id = true;
	r->id = nla_get_u32(tb[TCPK_A_RULE_ID]);
	r->action = nla_get_u32(tb[TCPK_A_RULE_ACTION]);
	if (tb[TCPK_A_RULE_PRIORITY]) {
		r->has_priority = true;
		r->priority = nla_get_u32(tb[TCPK_A_RULE_PRIORITY]);
	}
	if (tb[TCPK_A_RULE_FLAGS])
		r->flags = nla_get_u32(tb[TCPK_A_RULE_FLAGS]);
	if (tb[TCPK_A_RULE_HITS]) {
		r->has_hits = true;
		r->hits = nla_get_u64(tb[TCPK_A_RULE_HITS]);
	}

#define U32_COND(attr, cond, field)					\
	do {								\
		if (tb[attr]) {						\
			r->field = nla_get_u32(tb[attr]);		\
			r->present |= 1U << (cond);			\
		}							\
	} while (0)
	U32_COND(TCPK_A_RULE_PID, TP_COND_PID, pid);
	U32_COND(TCPK_A_RULE_UID, TP_COND_UID, uid);
	U32_COND(TCPK_A_RULE_GID, TP_COND_GID, gid);
	U32_COND(TCPK_A_RULE_CAPABILITY, TP_COND_CAPABILITY, capability);
	U32_COND(TCPK_A_RULE_OPS, TP_COND_OPS, ops);
	U32_COND(TCPK_A_RULE_DESC_ANY, TP_COND_DESC_ANY, desc_any);
	U32_COND(TCPK_A_RULE_DESC_ALL, TP_COND_DESC_ALL, desc_all);
	U32_COND(TCPK_A_RULE_ANOMALY_MIN, TP_COND_ANOMALY, anomaly_min);
	U32_COND(TCPK_A_RULE_ACCESS, TP_COND_ACCESS, access);
#undef U32_COND

	/* A scope of "any" is no condition. */
	if (tb[TCPK_A_RULE_PATH_SCOPE] &&
	    nla_get_u32(tb[TCPK_A_RULE_PATH_SCOPE]) != TCPK_SCOPE_ANY) {
		r->path_scope = (uint8_t)nla_get_u32(tb[TCPK_A_RULE_PATH_SCOPE]);
		r->present |= 1U << TP_COND_PATH_SCOPE;
	}
	if (tb[TCPK_A_RULE_TARGET_SCOPE] &&
	    nla_get_u32(tb[TCPK_A_RULE_TARGET_SCOPE]) != TCPK_SCOPE_ANY) {
		r->target_scope =
			(uint8_t)nla_get_u32(tb[TCPK_A_RULE_TARGET_SCOPE]);
		r->present |= 1U << TP_COND_TARGET;
	}
	if (tb[TCPK_A_RULE_CGROUP]) {
		r->cgroup = nla_get_u64(tb[TCPK_A_RULE_CGROUP]);
		r->present |= 1U << TP_COND_CGROUP;
	}
	if (tb[TCPK_A_RULE_COMM]) {
		if (dup_attr(&r->comm, tb[TCPK_A_RULE_COMM], what))
			return -ENOMEM;
		r->present |= 1U << TP_COND_COMM;
	}
	if (tb[TCPK_A_RULE_EXE]) {
		if (dup_attr(&r->exe, tb[TCPK_A_RULE_EXE], what))
			return -ENOMEM;
		r->present |= 1U << TP_COND_EXE;
	}
	if (tb[TCPK_A_RULE_PATH]) {
		if (dup_attr(&r->path, tb[TCPK_A_RULE_PATH], what))
			return -ENOMEM;
		r->present |= 1U << TP_COND_PATH;
	}
	if (tb[TCPK_A_RULE_AGENT]) {
		if (dup_attr(&r->agent, tb[TCPK_A_RULE_AGENT], what))
			return -ENOMEM;
		r->present |= 1U << TP_COND_AGENT;
	}

	/* TCPK_A_RULE_SYSCALL repeats: walk the nest, not the index. */
	nla_for_each_nested(nla, nest, rem) {
		if (nla_type(nla) != TCPK_A_RULE_SYSCALL)
			continue;
		if (r->n_syscalls == TCPK_RULE_SYSCALLS_MAX) {
			tp_err("%s: malformed rule %" PRIu32 ": more than %d system calls",
			       what, r->id, TCPK_RULE_SYSCALLS_MAX);
			return -EBADMSG;
		}
		r->syscalls[r->n_syscalls++] = nla_get_u32(nla);
		r->present |= 1U << TP_COND_SYSCALL;
	}
	return 0;
}

static struct json_object *json_names(uint32_t mask,
				      const char *(*name)(uint32_t))
{
	struct json_object *a = json_object_new_array();
	uint32_t bit;

	for (bit = 0; a && bit < 32; bit++) {
		const char *n;

		if (!(mask & (1U << bit)))
			continue;
		n = name(bit);
		json_object_array_add(a, n ? json_object_new_string(n) :
					 json_object_new_int64(bit));
	}
	return a;
}

static const char *desc_flag_name(uint32_t bit)
{
	return tp_desc_flag_name(bit);
}

/**
 * tp_rule_json() - a rule as a JSON object
 * @r: the rule.
 *
 * Keys: id, priority, hits (when known), action, alert, match (an object
 * with one key per condition) and rule (the canonical text of its
 * conditions and action, without --id and --priority).
 *
 * Return: the object, or NULL when out of memory.
 */
struct json_object *tp_rule_json(const struct tp_rule *r)
{
	struct json_object *o, *m, *a;
	char *text;
	unsigned int i;

	o = json_object_new_object();
	if (!o)
		return NULL;
	if (r->has_id)
		json_object_object_add(o, "id", json_object_new_int64(r->id));
	if (r->has_priority)
		json_object_object_add(o, "priority",
				       json_object_new_int64(r->priority));
	if (r->has_hits)
		json_object_object_add(o, "hits",
				       json_object_new_uint64(r->hits));
	json_object_object_add(o, "action", tp_action_name(r->action) ?
			       json_object_new_string(tp_action_name(r->action)) :
			       json_object_new_int64(r->action));
	json_object_object_add(o, "alert", json_object_new_boolean(
			       !!(r->flags & (1U << TCPK_RULE_F_ALERT))));

	m = json_object_new_object();
	json_object_object_add(o, "match", m);
	if (!m)
		goto fail;
	if (TP_HAS(r, TP_COND_PID))
		json_object_object_add(m, "pid", json_object_new_int64(r->pid));
	if (TP_HAS(r, TP_COND_UID))
		json_object_object_add(m, "uid", json_object_new_int64(r->uid));
	if (TP_HAS(r, TP_COND_GID))
		json_object_object_add(m, "gid", json_object_new_int64(r->gid));
	if (TP_HAS(r, TP_COND_COMM))
		json_object_object_add(m, "comm",
				       json_object_new_string(r->comm));
	if (TP_HAS(r, TP_COND_EXE))
		json_object_object_add(m, "exe", json_object_new_string(r->exe));
	if (TP_HAS(r, TP_COND_PATH))
		json_object_object_add(m, "path",
				       json_object_new_string(r->path));
	if (TP_HAS(r, TP_COND_PATH_SCOPE))
		json_object_object_add(m, "path_scope", json_object_new_string(
				       tp_scope_name(r->path_scope) ?: "unknown"));
	if (TP_HAS(r, TP_COND_CAPABILITY))
		json_object_object_add(m, "capability",
				       tp_cap_name(r->capability) ?
				       json_object_new_string(tp_cap_name(r->capability)) :
				       json_object_new_int64(r->capability));
	if (TP_HAS(r, TP_COND_SYSCALL)) {
		a = json_object_new_array();
		json_object_object_add(m, "syscalls", a);
		for (i = 0; a && i < r->n_syscalls; i++) {
			const char *n = tp_syscall_name(r->syscalls[i]);

			json_object_array_add(a, n ? json_object_new_string(n) :
					      json_object_new_int64(r->syscalls[i]));
		}
	}
	if (TP_HAS(r, TP_COND_OPS))
		json_object_object_add(m, "ops", json_names(r->ops, tp_op_name));
	if (TP_HAS(r, TP_COND_DESC_ANY))
		json_object_object_add(m, "desc_any",
				       json_names(r->desc_any, desc_flag_name));
	if (TP_HAS(r, TP_COND_DESC_ALL))
		json_object_object_add(m, "desc_all",
				       json_names(r->desc_all, desc_flag_name));
	if (TP_HAS(r, TP_COND_ANOMALY))
		json_object_object_add(m, "anomaly_min",
				       json_object_new_int64(r->anomaly_min));
	if (TP_HAS(r, TP_COND_AGENT))
		json_object_object_add(m, "agent",
				       json_object_new_string(r->agent));
	if (TP_HAS(r, TP_COND_CGROUP))
		json_object_object_add(m, "cgroup",
				       json_object_new_uint64(r->cgroup));
	if (TP_HAS(r, TP_COND_TARGET))
		json_object_object_add(m, "target", json_object_new_string(
				       tp_scope_name(r->target_scope) ?: "unknown"));
	if (TP_HAS(r, TP_COND_ACCESS))
		json_object_object_add(m, "access",
				       json_names(r->access, tp_access_name));

	text = tp_rule_format(r, 0);
	if (!text)
		goto fail;
	json_object_object_add(o, "rule", json_object_new_string(text));
	free(text);
	return o;
fail:
	json_object_put(o);
	return NULL;
}

/* --- decisions ------------------------------------------------------------------ */

/**
 * tp_decision_parse_nest() - a decision from a %TCPK_A_DECISION nest
 * @nest: the nest.
 * @d: the decision, zeroed by the caller; tp_decision_free() releases it.
 * @what: name of the request, for messages.
 *
 * Return: 0, or a negative errno (reported).
 */
int tp_decision_parse_nest(struct nlattr *nest, struct tp_decision *d,
			   const char *what)
{
	struct nlattr *tb[TCPK_A_DECISION_MAX + 1];
	int err;

	err = tp_nl_parse(tb, TCPK_A_DECISION_MAX, nla_data(nest),
			  nla_len(nest), decision_policy, what, "decision");
	if (err)
		return err;
	if (!tb[TCPK_A_DECISION_VERDICT]) {
		tp_err("%s: malformed decision: no TCPK_A_DECISION_VERDICT",
		       what);
		return -EBADMSG;
	}
	d->verdict = nla_get_u32(tb[TCPK_A_DECISION_VERDICT]);
	if (tb[TCPK_A_DECISION_ACTION])
		d->action = nla_get_u32(tb[TCPK_A_DECISION_ACTION]);
	if (tb[TCPK_A_DECISION_RULE_ID])
		d->rule_id = nla_get_u32(tb[TCPK_A_DECISION_RULE_ID]);
	if (tb[TCPK_A_DECISION_FLAGS])
		d->flags = nla_get_u32(tb[TCPK_A_DECISION_FLAGS]);
	if (tb[TCPK_A_DECISION_LEVEL])
		d->level = nla_get_u32(tb[TCPK_A_DECISION_LEVEL]);
	if (tb[TCPK_A_DECISION_GENERATION])
		d->generation = nla_get_u64(tb[TCPK_A_DECISION_GENERATION]);
	if (tb[TCPK_A_DECISION_OP]) {
		d->has_op = true;
		d->op = nla_get_u32(tb[TCPK_A_DECISION_OP]);
	}
	if (tb[TCPK_A_DECISION_TIME]) {
		d->has_time = true;
		d->time = nla_get_u64(tb[TCPK_A_DECISION_TIME]);
	}
	if (tb[TCPK_A_DECISION_PATH] &&
	    dup_attr(&d->path, tb[TCPK_A_DECISION_PATH], what))
		return -ENOMEM;
	if (tb[TCPK_A_DECISION_REASON] &&
	    dup_attr(&d->reason, tb[TCPK_A_DECISION_REASON], what))
		return -ENOMEM;
	return 0;
}

/**
 * tp_decision_free() - release what a decision owns
 * @d: the decision; left zeroed.
 */
void tp_decision_free(struct tp_decision *d)
{
	free(d->path);
	free(d->reason);
	memset(d, 0, sizeof(*d));
}

static const char *name_or_num(const char *name, uint32_t v, char *buf,
			       size_t len)
{
	if (name)
		return name;
	snprintf(buf, len, "%" PRIu32, v);
	return buf;
}

/* "deny", "allow", or "would-deny" for an allow that would have denied. */
static const char *outcome(const struct tp_decision *d, char *buf, size_t len)
{
	if (d->verdict == TCPK_VERDICT_ALLOW &&
	    (d->flags & (1U << TCPK_DECISION_F_WOULD_DENY)))
		return "would-deny";
	return name_or_num(tp_verdict_name(d->verdict), d->verdict, buf, len);
}

/**
 * tp_decision_text() - a decision on one line, without a newline
 * @f: output.
 * @d: the decision.
 *
 * "deny  rule 2 (deny)  level 2 (enforce)  generation 7  flags matched",
 * then ": reason" when the module gave one; "default" instead of "rule N"
 * when no rule matched.  An allow that would have denied reads
 * "would-deny".
 */
void tp_decision_text(FILE *f, const struct tp_decision *d)
{
	char b1[16], b2[16], flags[128];

	fprintf(f, "%-10s  ", outcome(d, b1, sizeof(b1)));
	if (d->rule_id)
		fprintf(f, "rule %" PRIu32, d->rule_id);
	else
		fputs("default", f);
	fprintf(f, " (%s)  level %" PRIu32 " (%s)  generation %" PRIu64,
		name_or_num(tp_action_name(d->action), d->action, b2,
			    sizeof(b2)),
		d->level, tp_level_name(d->level), d->generation);
	tp_format_decision_flags(d->flags, flags, sizeof(flags));
	fprintf(f, "  flags %s", flags[0] ? flags : "-");
	if (d->reason && d->reason[0])
		fprintf(f, ": %s", d->reason);
}

/**
 * tp_decision_json() - a decision as a JSON object
 * @d: the decision.
 *
 * Keys: verdict, outcome (verdict, or "would-deny"), action, rule (0 for
 * the default), flags (array of names), would_deny (boolean), level,
 * level_name, generation, and when known op, path, time_ns, time, reason.
 *
 * Return: the object, or NULL when out of memory.
 */
struct json_object *tp_decision_json(const struct tp_decision *d)
{
	struct json_object *o = json_object_new_object();
	char buf[64];

	if (!o)
		return NULL;
	json_object_object_add(o, "verdict", json_object_new_string(
		name_or_num(tp_verdict_name(d->verdict), d->verdict, buf,
			    sizeof(buf))));
	json_object_object_add(o, "outcome",
			       json_object_new_string(outcome(d, buf, sizeof(buf))));
	json_object_object_add(o, "action", json_object_new_string(
		name_or_num(tp_action_name(d->action), d->action, buf,
			    sizeof(buf))));
	json_object_object_add(o, "rule", json_object_new_int64(d->rule_id));
	json_object_object_add(o, "flags",
			       json_names(d->flags, tp_decision_flag_name));
	json_object_object_add(o, "would_deny", json_object_new_boolean(
		!!(d->flags & (1U << TCPK_DECISION_F_WOULD_DENY))));
	json_object_object_add(o, "level", json_object_new_int64(d->level));
	json_object_object_add(o, "level_name",
			       json_object_new_string(tp_level_name(d->level)));
	json_object_object_add(o, "generation",
			       json_object_new_uint64(d->generation));
	if (d->has_op)
		json_object_object_add(o, "op", json_object_new_string(
			name_or_num(tp_op_name(d->op), d->op, buf,
				    sizeof(buf))));
	if (d->path)
		json_object_object_add(o, "path",
				       json_object_new_string(d->path));
	if (d->has_time) {
		json_object_object_add(o, "time_ns",
				       json_object_new_uint64(d->time));
		tp_format_time(d->time, buf, sizeof(buf));
		json_object_object_add(o, "time", json_object_new_string(buf));
	}
	if (d->reason)
		json_object_object_add(o, "reason",
				       json_object_new_string(d->reason));
	return o;
}

/* --- the mode ------------------------------------------------------------------- */

/**
 * tp_mode_parse_nest() - the mode from a %TCPK_A_MODE nest
 * @nest: the nest.
 * @m: the mode.
 * @what: name of the request, for messages.
 *
 * Return: 0, or a negative errno (reported).
 */
int tp_mode_parse_nest(struct nlattr *nest, struct tp_mode *m,
		       const char *what)
{
	struct nlattr *tb[TCPK_A_MODE_MAX + 1];
	int err;

	memset(m, 0, sizeof(*m));
	err = tp_nl_parse(tb, TCPK_A_MODE_MAX, nla_data(nest), nla_len(nest),
			  mode_policy, what, "mode");
	if (err)
		return err;
	if (tb[TCPK_A_MODE_LEVEL]) {
		m->has_level = true;
		m->level = nla_get_u32(tb[TCPK_A_MODE_LEVEL]);
	}
	if (tb[TCPK_A_MODE_ALERTS]) {
		m->has_alerts = true;
		m->alerts = nla_get_u8(tb[TCPK_A_MODE_ALERTS]) != 0;
	}
	if (tb[TCPK_A_MODE_BLOCK_OPS]) {
		m->has_block_ops = true;
		m->block_ops = nla_get_u32(tb[TCPK_A_MODE_BLOCK_OPS]);
	}
	return 0;
}

/**
 * tp_mode_name() - the name "tcp-policy mode" gives a mode
 * @m: the mode.
 *
 * Return: "off", "monitor" (level 1, alerts off), "alerts" (level 1,
 * alerts on), "blocking" (level 2, some operations enforced), "enforce"
 * (level 2, every operation), "paranoid", or "unknown".
 */
const char *tp_mode_name(const struct tp_mode *m)
{
	switch (m->level) {
	case TCPK_LEVEL_OFF:
		return "off";
	case TCPK_LEVEL_MONITOR:
		return m->alerts ? "alerts" : "monitor";
	case TCPK_LEVEL_ENFORCE:
		return (m->block_ops & TCPK_OPS_ALL) == TCPK_OPS_ALL ?
		       "enforce" : "blocking";
	case TCPK_LEVEL_PARANOID:
		return "paranoid";
	}
	return "unknown";
}

/**
 * tp_format_block_ops() - "all", "none" or "unlink,rmdir"
 * @mask: mask of ``1 << enum tcpk_op``.
 * @buf: output.
 * @len: size of @buf (256 never truncates).
 */
void tp_format_block_ops(uint32_t mask, char *buf, size_t len)
{
	if ((mask & TCPK_OPS_ALL) == TCPK_OPS_ALL && !(mask & ~TCPK_OPS_ALL))
		snprintf(buf, len, "all");
	else if (!mask)
		snprintf(buf, len, "none");
	else
		tp_format_ops(mask, buf, len);
}

/**
 * tp_mode_json() - the mode as a JSON object
 * @m: the mode.
 *
 * Keys: mode (tp_mode_name()), level, level_name, alerts (boolean),
 * block_ops (number) and block_op_names (array).
 *
 * Return: the object, or NULL when out of memory.
 */
struct json_object *tp_mode_json(const struct tp_mode *m)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "mode",
			       json_object_new_string(tp_mode_name(m)));
	json_object_object_add(o, "level", json_object_new_int64(m->level));
	json_object_object_add(o, "level_name",
			       json_object_new_string(tp_level_name(m->level)));
	json_object_object_add(o, "alerts", json_object_new_boolean(m->alerts));
	json_object_object_add(o, "block_ops",
			       json_object_new_int64(m->block_ops));
	json_object_object_add(o, "block_op_names",
			       json_names(m->block_ops, tp_op_name));
	return o;
}

/* --- output helpers ------------------------------------------------------------ */

/**
 * tp_format_time() - wall-clock time of a CLOCK_BOOTTIME instant
 * @boottime_ns: the instant.
 * @buf: output: "2026-11-21T10:11:12.345Z" (UTC, milliseconds).
 * @len: size of @buf (32 is enough).
 */
void tp_format_time(uint64_t boottime_ns, char *buf, size_t len)
{
	struct timespec real, boot;
	int64_t now_boot, ns;
	struct tm tm;
	time_t sec;

	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	now_boot = (int64_t)boot.tv_sec * 1000000000 + boot.tv_nsec;
	ns = (int64_t)real.tv_sec * 1000000000 + real.tv_nsec -
	     (now_boot - (int64_t)boottime_ns);
	sec = (time_t)(ns / 1000000000);
	if (!gmtime_r(&sec, &tm)) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (int)(ns % 1000000000 / 1000000));
}

/**
 * tp_json_line() - print a JSON object on one line and flush
 * @obj: the object; the caller keeps its reference.
 *
 * For streams (monitor, stats --interval): one object a line, whatever
 * --pretty says.  Return: 0, or -1 (reported).
 */
int tp_json_line(struct json_object *obj)
{
	const char *s = obj ? json_object_to_json_string_ext(obj,
			JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE) :
			NULL;

	if (!s) {
		tp_err("cannot format JSON: %s", strerror(ENOMEM));
		return -1;
	}
	puts(s);
	fflush(stdout);
	return 0;
}
