/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - a small fixed-point model of a process's behaviour
 *
 * Freestanding, like behavior/seq.c: built into the module and into
 * tools/tcp-replay, so that a model trained and evaluated offline scores
 * the same in the kernel.  Integer only: the features are Q8 fractions
 * of a window of %TCPK_MODEL_WINDOW system calls, the model is a logistic
 * regression with int16 Q8 weights and a Q16 bias, and the logistic
 * function is a table with linear interpolation.  One evaluation is
 * %TCPK_MODEL_FEATURES multiply-adds and one table lookup, at the end of
 * each window: the cost per call is a few increments.
 */
#ifndef _TCPK_MODEL_H
#define _TCPK_MODEL_H

#include "behavior/seq.h"

/**
 * enum tcpk_model_feature - the inputs of the model, one per window
 * @TCPK_MF_CLASS: first of the %__TCPK_SC_MAX class fractions (calls of
 *	each &enum tcpk_syscall_class / calls in the window), in class order.
 * @TCPK_MF_NOVEL: novel trigrams / calls (0 without a profile in
 *	detection).
 * @TCPK_MF_FAILED: failed calls / calls.
 * @TCPK_MF_PATTERNS: pattern completions in the window, 64 each, at
 *	most 256.
 * @TCPK_MF_COUNT: the number of features.
 *
 * Every feature is Q8: 0 to 256 for 0 to 1.
 */
enum tcpk_model_feature {
	TCPK_MF_CLASS = 0,
	TCPK_MF_NOVEL = __TCPK_SC_MAX,
	TCPK_MF_FAILED,
	TCPK_MF_PATTERNS,
	TCPK_MF_COUNT,
};

/**
 * struct tcpk_model - a loaded model
 * @weight: Q8 weights, one per feature, each within +-%TCPK_MODEL_WEIGHT_MAX.
 * @bias: Q16 bias, within +-%TCPK_MODEL_BIAS_MAX.
 * @threshold: probability (per mille) at which a window is anomalous.
 * @points: anomaly score points of an anomalous window.
 */
struct tcpk_model {
	s16 weight[TCPK_MODEL_FEATURES];
	s32 bias;
	u16 threshold;
	u16 points;
};

/**
 * struct tcpk_model_window - one process's current window
 * @calls: calls in it so far.
 * @classes: of which in each class.
 * @novel: novel trigrams.
 * @failed: failed calls.
 * @patterns: pattern completions (saturating).
 *
 * The caller serialises the writers.
 */
struct tcpk_model_window {
	u8 calls;
	u8 classes[__TCPK_SC_MAX];
	u8 novel;
	u8 failed;
	u8 patterns;
};

int tcpk_model_check(const struct tcpk_model *m, const char **errmsg);
bool tcpk_model_feed(struct tcpk_model_window *w, unsigned int cls,
		     bool novel, bool failed, unsigned int patterns,
		     s32 x[TCPK_MODEL_FEATURES]);
u32 tcpk_model_eval(const struct tcpk_model *m,
		    const s32 x[TCPK_MODEL_FEATURES]);
u32 tcpk_model_sigmoid(s64 z);

#endif /* _TCPK_MODEL_H */
