// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - a small fixed-point model of a process's behaviour
 *
 * Freestanding (see behavior/model.h): integer only, no allocation, no
 * lock; every loop is bounded by %TCPK_MODEL_FEATURES.
 */

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#endif

#include "behavior/model.h"

/*
 * The logistic function 1 / (1 + e^-z) in millionths, at z = -8, -7.5,
 * ..., 8: the evaluation interpolates between two of them.
 */
static const u32 tcpk_sigmoid_table[33] = {
	335, 553, 911, 1501, 2473, 4070, 6693, 10987, 17986, 29312, 47426,
	75858, 119203, 182426, 268941, 377541, 500000, 622459, 731059,
	817574, 880797, 924142, 952574, 970688, 982014, 989013, 993307,
	995930, 997527, 998499, 999089, 999447, 999665,
};

/**
 * tcpk_model_sigmoid() - the logistic function, in fixed point
 * @z: its argument, Q16 (65536 is 1.0).
 *
 * Within 4 per mille of 1 / (1 + e^-z) (linear interpolation between
 * half steps from -8 to 8; 0 below, 1000 above).
 *
 * Return: the probability in per mille, 0 to 1000.
 */
u32 tcpk_model_sigmoid(s64 z)
{
	u32 k, frac, lo, hi;
	s64 pos;

	if (z <= -(8LL << 16))
		return 0;
	if (z >= (8LL << 16))
		return 1000;
	/* half steps: z = -8 + k / 2, k = (z + 8) * 2, in Q16 */
	pos = z + (8LL << 16);
	k = (u32)(pos >> 15);			/* half steps */
	frac = (u32)(pos & 0x7fff);		/* within the step, Q15 */
	lo = tcpk_sigmoid_table[k];
	hi = tcpk_sigmoid_table[k + 1];
	return (u32)((lo + (((u64)(hi - lo) * frac) >> 15)) / 1000);
}

/**
 * tcpk_model_check() - whether a model can be loaded
 * @m: the model.
 * @errmsg: set to why not.
 *
 * Return: 0, or -EINVAL with *@errmsg set.
 */
int tcpk_model_check(const struct tcpk_model *m, const char **errmsg)
{
	unsigned int i;

	for (i = 0; i < TCPK_MODEL_FEATURES; i++) {
		if (m->weight[i] > TCPK_MODEL_WEIGHT_MAX ||
		    m->weight[i] < -TCPK_MODEL_WEIGHT_MAX) {
			*errmsg = "model: a weight is beyond +-4096 (16.0 in Q8)";
			return -EINVAL;
		}
	}
	if (m->bias > TCPK_MODEL_BIAS_MAX || m->bias < -TCPK_MODEL_BIAS_MAX) {
		*errmsg = "model: the bias is beyond +-4194304 (64.0 in Q16)";
		return -EINVAL;
	}
	if (!m->threshold || m->threshold > 1000) {
		*errmsg = "model: the threshold is 1 to 1000 (per mille)";
		return -EINVAL;
	}
	if (!m->points || m->points > 1000) {
		*errmsg = "model: the points are 1 to 1000";
		return -EINVAL;
	}
	return 0;
}

/**
 * tcpk_model_feed() - one call of a process, into its window
 * @w: its window.
 * @cls: the call's &enum tcpk_syscall_class.
 * @novel: its trigram was novel.
 * @failed: it failed.
 * @patterns: patterns it completed.
 * @x: receives the features when the window ends.
 *
 * Return: true when this call ended a window of %TCPK_MODEL_WINDOW calls
 * (@x is then filled and a new window starts), false otherwise.
 */
bool tcpk_model_feed(struct tcpk_model_window *w, unsigned int cls,
		     bool novel, bool failed, unsigned int patterns,
		     s32 x[TCPK_MODEL_FEATURES])
{
	unsigned int i;

	if (cls >= __TCPK_SC_MAX)
		cls = TCPK_SC_OTHER;
	w->classes[cls]++;
	w->novel += novel;
	w->failed += failed;
	w->patterns = patterns > 255U - w->patterns ? 255 : w->patterns + patterns;
	if (++w->calls < TCPK_MODEL_WINDOW)
		return false;
	/* A count of the window's 64 calls, in Q8: count * 256 / 64. */
	for (i = 0; i < __TCPK_SC_MAX; i++)
		x[TCPK_MF_CLASS + i] = w->classes[i] * 256 / TCPK_MODEL_WINDOW;
	x[TCPK_MF_NOVEL] = w->novel * 256 / TCPK_MODEL_WINDOW;
	x[TCPK_MF_FAILED] = w->failed * 256 / TCPK_MODEL_WINDOW;
	x[TCPK_MF_PATTERNS] = w->patterns >= 4 ? 256 : w->patterns * 64;
	memset(w, 0, sizeof(*w));
	return true;
}

/**
 * tcpk_model_eval() - the model's probability that a window is anomalous
 * @m: the model (tcpk_model_check() passed).
 * @x: the window's features, each 0 to 256.
 *
 * Return: the probability in per mille, 0 to 1000.
 */
u32 tcpk_model_eval(const struct tcpk_model *m,
		    const s32 x[TCPK_MODEL_FEATURES])
{
	s64 z = m->bias;
	unsigned int i;

	/* Q8 weights times Q8 features: Q16, as the bias. */
	for (i = 0; i < TCPK_MODEL_FEATURES; i++)
		z += (s64)m->weight[i] * x[i];
	return tcpk_model_sigmoid(z);
}
