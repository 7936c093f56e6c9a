// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - netlink encoding of patterns (%TCPK_A_SEQ) and learned
 * profiles (%TCPK_A_PROFILE)
 *
 * Parsers check what the generated policy cannot (the steps' count and
 * order, a trigram array's length and keys) and name the attribute at
 * fault; encoders never sleep.
 */

#include <linux/slab.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "behavior/sequence.h"
#include "core/genl.h"
#include "core/seq_nl.h"

static_assert(sizeof_field(struct tcpk_model, weight) ==
	      TCPK_MODEL_FEATURES * sizeof(s16));

/* Bytes of a step's bitmap (%TCPK_A_SEQ_STEP). */
#define TCPK_SEQ_STEP_BYTES	(TCPK_SEQ_SYSCALLS / 8)

static int tcpk_seq_nl_refuse(struct tcpk_seq_nl_error *e,
			      const struct nlattr *attr, const char *msg)
{
	e->attr = attr;
	e->msg = msg;
	return -EINVAL;
}

/**
 * tcpk_nl_seq_parse() - a pattern from a %TCPK_A_SEQ nest
 * @nest: the nest (validated against its policy already).
 * @p: written; its id is 0 if the nest has none.
 * @e: receives the refusal.
 *
 * Return: 0, or -EINVAL with @e filled in.
 */
int tcpk_nl_seq_parse(const struct nlattr *nest, struct tcpk_seq_pattern *p,
		      struct tcpk_seq_nl_error *e)
{
	struct nlattr *tb[TCPK_A_SEQ_MAX + 1];
	const struct nlattr *a;
	const u8 *bits;
	u32 steps = 0;
	int rem, i;

	memset(p, 0, sizeof(*p));
	if (nla_parse_nested(tb, TCPK_A_SEQ_MAX, nest, tcpk_seq_nl_policy,
			     NULL))
		return tcpk_seq_nl_refuse(e, nest, "seq: invalid attributes");
	if (tb[TCPK_A_SEQ_MATCHES])
		return tcpk_seq_nl_refuse(e, tb[TCPK_A_SEQ_MATCHES],
					  "seq: matches is a reply attribute");
	if (!tb[TCPK_A_SEQ_NAME])
		return tcpk_seq_nl_refuse(e, nest, "seq: name: missing");
	if (!tb[TCPK_A_SEQ_WEIGHT])
		return tcpk_seq_nl_refuse(e, nest, "seq: weight: missing");
	if (tb[TCPK_A_SEQ_ID])
		p->id = nla_get_u32(tb[TCPK_A_SEQ_ID]);
	nla_strscpy(p->name, tb[TCPK_A_SEQ_NAME], sizeof(p->name));
	p->weight = nla_get_u32(tb[TCPK_A_SEQ_WEIGHT]);
	if (tb[TCPK_A_SEQ_MAX_GAP])
		p->max_gap = nla_get_u32(tb[TCPK_A_SEQ_MAX_GAP]);
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != TCPK_A_SEQ_STEP)
			continue;
		if (steps == TCPK_SEQ_STEPS_MAX)
			return tcpk_seq_nl_refuse(e, a,
						  "seq: step: more than 8 steps");
		bits = nla_data(a);
		for (i = 0; i < TCPK_SEQ_STEP_BYTES; i++)
			p->step[steps][i / 8] |= (u64)bits[i] << (i % 8 * 8);
		steps++;
	}
	if (steps < 2)
		return tcpk_seq_nl_refuse(e, nest,
					  "seq: step: a pattern has 2 to 8 steps");
	p->steps = steps;
	return 0;
}

/**
 * tcpk_nl_seq_id_parse() - the id of a %TCPK_A_SEQ nest (seq-del)
 * @nest: the nest.
 * @id: receives the id.
 * @e: receives the refusal.
 *
 * Return: 0, or -EINVAL with @e filled in.
 */
int tcpk_nl_seq_id_parse(const struct nlattr *nest, u32 *id,
			 struct tcpk_seq_nl_error *e)
{
	const struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) != TCPK_A_SEQ_ID)
			return tcpk_seq_nl_refuse(e, a,
						  "seq: only id names a pattern here");
	a = nla_find_nested(nest, TCPK_A_SEQ_ID);
	if (!a)
		return tcpk_seq_nl_refuse(e, nest, "seq: id: missing");
	*id = nla_get_u32(a);
	return 0;
}

/**
 * tcpk_nl_seq_size() - room a %TCPK_A_SEQ nest takes at most
 *
 * Return: the size in bytes, padding included.
 */
size_t tcpk_nl_seq_size(void)
{
	return nla_total_size(0) + 3 * nla_total_size(sizeof(u32)) +
	       nla_total_size(TCPK_SEQ_NAME_MAX) +
	       TCPK_SEQ_STEPS_MAX * nla_total_size(TCPK_SEQ_STEP_BYTES) +
	       nla_total_size_64bit(sizeof(u64));
}

/**
 * tcpk_nl_seq_fill() - encode a pattern as a %TCPK_A_SEQ nest
 * @skb: message being built.
 * @p: the pattern.
 * @matches: its completions.
 *
 * On failure nothing of the nest is left in @skb.  Never sleeps.
 *
 * Return: 0, or -EMSGSIZE.
 */
int tcpk_nl_seq_fill(struct sk_buff *skb, const struct tcpk_seq_pattern *p,
		     u64 matches)
{
	u8 bits[TCPK_SEQ_STEP_BYTES];
	struct nlattr *nest;
	unsigned int s, i;

	nest = nla_nest_start(skb, TCPK_A_SEQ);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, TCPK_A_SEQ_ID, p->id) ||
	    nla_put_string(skb, TCPK_A_SEQ_NAME, p->name) ||
	    nla_put_u32(skb, TCPK_A_SEQ_WEIGHT, p->weight) ||
	    nla_put_u32(skb, TCPK_A_SEQ_MAX_GAP, p->max_gap) ||
	    nla_put_u64_64bit(skb, TCPK_A_SEQ_MATCHES, matches, TCPK_A_SEQ_PAD))
		goto cancel;
	for (s = 0; s < p->steps; s++) {
		for (i = 0; i < TCPK_SEQ_STEP_BYTES; i++)
			bits[i] = p->step[s][i / 8] >> (i % 8 * 8);
		if (nla_put(skb, TCPK_A_SEQ_STEP, sizeof(bits), bits))
			goto cancel;
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/**
 * tcpk_nl_profile_parse() - what a %TCPK_A_PROFILE nest of a request says
 * @nest: the nest (validated against its policy already).
 * @r: written: @r->path points into the message, @r->keys too.
 * @need_mode: the command needs a mode (profile-set).
 * @e: receives the refusal.
 *
 * Return: 0, or -EINVAL with @e filled in.
 */
int tcpk_nl_profile_parse(const struct nlattr *nest,
			  struct tcpk_nl_profile_req *r, bool need_mode,
			  struct tcpk_seq_nl_error *e)
{
	static const int replies[] = {
		TCPK_A_PROFILE_COUNT, TCPK_A_PROFILE_LIMIT, TCPK_A_PROFILE_DEV,
		TCPK_A_PROFILE_INO, TCPK_A_PROFILE_CHECKED,
		TCPK_A_PROFILE_NOVEL, TCPK_A_PROFILE_FULL,
	};
	struct nlattr *tb[TCPK_A_PROFILE_MAX + 1];
	const struct nlattr *a;
	unsigned int i;

	memset(r, 0, sizeof(*r));
	if (nla_parse_nested(tb, TCPK_A_PROFILE_MAX, nest,
			     tcpk_profile_nl_policy, NULL))
		return tcpk_seq_nl_refuse(e, nest,
					  "profile: invalid attributes");
	for (i = 0; i < ARRAY_SIZE(replies); i++)
		if (tb[replies[i]])
			return tcpk_seq_nl_refuse(e, tb[replies[i]],
						  "profile: a reply attribute in a request");
	if (!tb[TCPK_A_PROFILE_PATH])
		return tcpk_seq_nl_refuse(e, nest, "profile: path: missing");
	r->path = nla_data(tb[TCPK_A_PROFILE_PATH]);
	if (need_mode) {
		if (!tb[TCPK_A_PROFILE_MODE])
			return tcpk_seq_nl_refuse(e, nest,
						  "profile: mode: missing");
		r->mode = nla_get_u32(tb[TCPK_A_PROFILE_MODE]);
	} else if (tb[TCPK_A_PROFILE_MODE] || tb[TCPK_A_PROFILE_NGRAMS]) {
		return tcpk_seq_nl_refuse(e, tb[TCPK_A_PROFILE_MODE] ?:
					  tb[TCPK_A_PROFILE_NGRAMS],
					  "profile: only path names a profile here");
	}
	a = tb[TCPK_A_PROFILE_NGRAMS];
	if (a) {
		if (nla_len(a) % sizeof(u32))
			return tcpk_seq_nl_refuse(e, a,
						  "profile: ngrams: not an array of u32");
		if (nla_len(a) / sizeof(u32) > TCPK_PROFILE_NGRAMS_MAX)
			return tcpk_seq_nl_refuse(e, a,
						  "profile: ngrams: more than 15000 trigrams");
		r->import = true;
		r->ngrams = a;
		r->n = nla_len(a) / sizeof(u32);
	}
	return 0;
}

/**
 * tcpk_nl_profile_size() - room a %TCPK_A_PROFILE nest takes at most
 * @n: trigrams in it (0 for a nest without them).
 *
 * Return: the size in bytes, padding included.
 */
size_t tcpk_nl_profile_size(u32 n)
{
	return nla_total_size(0) + nla_total_size(TCPK_PATH_MAX) +
	       3 * nla_total_size(sizeof(u32)) +
	       5 * nla_total_size_64bit(sizeof(u64)) +
	       nla_total_size(n * sizeof(u32));
}

/**
 * tcpk_nl_profile_fill() - encode a profile as a %TCPK_A_PROFILE nest
 * @skb: message being built.
 * @info: the profile.
 * @keys: its trigrams, or NULL.
 * @n: how many.
 *
 * On failure nothing of the nest is left in @skb.  Never sleeps.
 *
 * Return: 0, or -EMSGSIZE.
 */
int tcpk_nl_profile_fill(struct sk_buff *skb,
			 const struct tcpk_profile_info *info,
			 const u32 *keys, u32 n)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, TCPK_A_PROFILE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, TCPK_A_PROFILE_PATH, info->path) ||
	    nla_put_u32(skb, TCPK_A_PROFILE_MODE, info->mode) ||
	    nla_put_u32(skb, TCPK_A_PROFILE_COUNT, info->count) ||
	    nla_put_u32(skb, TCPK_A_PROFILE_LIMIT, info->limit) ||
	    nla_put_u64_64bit(skb, TCPK_A_PROFILE_DEV, info->dev,
			      TCPK_A_PROFILE_PAD) ||
	    nla_put_u64_64bit(skb, TCPK_A_PROFILE_INO, info->ino,
			      TCPK_A_PROFILE_PAD) ||
	    nla_put_u64_64bit(skb, TCPK_A_PROFILE_CHECKED, info->checked,
			      TCPK_A_PROFILE_PAD) ||
	    nla_put_u64_64bit(skb, TCPK_A_PROFILE_NOVEL, info->novel,
			      TCPK_A_PROFILE_PAD) ||
	    nla_put_u64_64bit(skb, TCPK_A_PROFILE_FULL, info->full,
			      TCPK_A_PROFILE_PAD) ||
	    (keys && nla_put(skb, TCPK_A_PROFILE_NGRAMS, n * sizeof(u32), keys)) ||
	    skb_tail_pointer(skb) - (unsigned char *)nest > U16_MAX) {
		/* a nest's length is a u16 too */
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * tcpk_nl_model_parse() - a behaviour model from a %TCPK_A_MODEL nest
 * @nest: the nest (validated against its policy already).
 * @m: written.
 * @e: receives the refusal.
 *
 * Every attribute but the reply's counters is needed; the ranges are
 * tcpk_model_check()'s, run by the caller.
 *
 * Return: 0, or -EINVAL with @e filled in.
 */
int tcpk_nl_model_parse(const struct nlattr *nest, struct tcpk_model *m,
			struct tcpk_seq_nl_error *e)
{
	struct nlattr *tb[TCPK_A_MODEL_MAX + 1];
	static const struct {
		int type;
		const char *missing;
	} need[] = {
		{ TCPK_A_MODEL_WEIGHTS, "model: weights: missing" },
		{ TCPK_A_MODEL_BIAS, "model: bias: missing" },
		{ TCPK_A_MODEL_THRESHOLD, "model: threshold: missing" },
		{ TCPK_A_MODEL_POINTS, "model: points: missing" },
	};
	unsigned int i;

	memset(m, 0, sizeof(*m));
	if (nla_parse_nested(tb, TCPK_A_MODEL_MAX, nest, tcpk_model_nl_policy,
			     NULL))
		return tcpk_seq_nl_refuse(e, nest, "model: invalid attributes");
	if (tb[TCPK_A_MODEL_WINDOWS] || tb[TCPK_A_MODEL_FLAGGED])
		return tcpk_seq_nl_refuse(e, tb[TCPK_A_MODEL_WINDOWS] ?:
					  tb[TCPK_A_MODEL_FLAGGED],
					  "model: a reply attribute in a request");
	for (i = 0; i < ARRAY_SIZE(need); i++)
		if (!tb[need[i].type])
			return tcpk_seq_nl_refuse(e, nest, need[i].missing);
	memcpy(m->weight, nla_data(tb[TCPK_A_MODEL_WEIGHTS]), sizeof(m->weight));
	m->bias = nla_get_s32(tb[TCPK_A_MODEL_BIAS]);
	m->threshold = nla_get_u32(tb[TCPK_A_MODEL_THRESHOLD]);
	m->points = nla_get_u32(tb[TCPK_A_MODEL_POINTS]);
	return 0;
}

/**
 * tcpk_nl_model_size() - room a %TCPK_A_MODEL nest takes at most
 *
 * Return: the size in bytes, padding included.
 */
size_t tcpk_nl_model_size(void)
{
	return nla_total_size(0) +
	       nla_total_size(TCPK_MODEL_FEATURES * sizeof(s16)) +
	       3 * nla_total_size(sizeof(u32)) +
	       2 * nla_total_size_64bit(sizeof(u64));
}

/**
 * tcpk_nl_model_fill() - encode the loaded model as a %TCPK_A_MODEL nest
 * @skb: message being built.
 * @info: the model and its counters.
 *
 * On failure nothing of the nest is left in @skb.  Never sleeps.
 *
 * Return: 0, or -EMSGSIZE.
 */
int tcpk_nl_model_fill(struct sk_buff *skb, const struct tcpk_model_info *info)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, TCPK_A_MODEL);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put(skb, TCPK_A_MODEL_WEIGHTS, sizeof(info->m.weight),
		    info->m.weight) ||
	    nla_put_s32(skb, TCPK_A_MODEL_BIAS, info->m.bias) ||
	    nla_put_u32(skb, TCPK_A_MODEL_THRESHOLD, info->m.threshold) ||
	    nla_put_u32(skb, TCPK_A_MODEL_POINTS, info->m.points) ||
	    nla_put_u64_64bit(skb, TCPK_A_MODEL_WINDOWS, info->windows,
			      TCPK_A_MODEL_PAD) ||
	    nla_put_u64_64bit(skb, TCPK_A_MODEL_FLAGGED, info->flagged,
			      TCPK_A_MODEL_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}
