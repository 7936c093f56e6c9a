// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-replay - the behaviour model's file and its training: a logistic
 * regression fitted in floating point (user space may), quantised to the
 * kernel's Q8 weights and Q16 bias (behavior/model.h), checked with the
 * kernel's own tcpk_model_check()
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcp-replay.h"

#define TR_MODEL_HEADER	"# tcp_kernel model v1"

/* Gradient descent: steps, rate, L2 penalty (on the weights only). */
#define TR_FIT_STEPS	3000
#define TR_FIT_RATE	2.0
#define TR_FIT_L2	1e-3

/* e^x without libm: halve into [-0.5, 0.5], Taylor, square back. */
static double tr_exp(double x)
{
	double s = 1, t = 1;
	unsigned int n = 0, i;

	if (x > 60)
		x = 60;
	if (x < -60)
		x = -60;
	while (x > 0.5 || x < -0.5) {
		x /= 2;
		n++;
	}
	for (i = 1; i < 14; i++) {
		t *= x / i;
		s += t;
	}
	while (n--)
		s *= s;
	return s;
}

static double tr_sigmoid(double z)
{
	return 1 / (1 + tr_exp(-z));
}

static long tr_round(double v)
{
	return v < 0 ? -(long)(-v + 0.5) : (long)(v + 0.5);
}

/**
 * tr_model_fit() - fit a logistic regression to labelled windows
 * @x: the windows' Q8 features (0 to 256 each).
 * @y: their labels (1 anomalous, 0 normal).
 * @n: the number of windows.
 * @m: receives the quantised model (its threshold and points are kept).
 *
 * Plain batch gradient descent on the log loss over the features as
 * fractions (Q8 / 256, so 0 to 1: no standardisation is needed and a
 * weight is directly the kernel's weight / 256), with an L2 penalty on
 * the weights, the classes weighted to count equally (attack windows are
 * few), and every step projected into the kernel's ranges (|weight| <= 16,
 * |bias| <= 64), so that quantisation only rounds.  Deterministic: the
 * same windows give the same model.  With no window of one class the
 * fit still runs (the bias goes to that class's side).
 */
void tr_model_fit(const int32_t (*x)[TCPK_MODEL_FEATURES], const uint8_t *y,
		  size_t n, struct tcpk_model *m)
{
	double w[TCPK_MODEL_FEATURES] = { 0 }, g[TCPK_MODEL_FEATURES];
	double b = 0, gb, cw[2], p, d, (*f)[TCPK_MODEL_FEATURES];
	size_t i, pos = 0, step;
	unsigned int j;

	/* the features as fractions, once */
	f = malloc((n + 1) * sizeof(*f));
	if (!f) {
		fprintf(stderr, TR_NAME ": out of memory (the model is all zero)\n");
		n = 0;
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < TCPK_MODEL_FEATURES; j++)
			f[i][j] = x[i][j] / 256.0;

	for (i = 0; i < n; i++)
		pos += y[i] != 0;
	/* each class weighs half of the total */
	cw[1] = pos ? 0.5 / pos : 0;
	cw[0] = n > pos ? 0.5 / (n - pos) : 0;
	if (!pos || pos == n)
		cw[0] = cw[1] = n ? 1.0 / n : 0;
	for (step = 0; step < TR_FIT_STEPS && n; step++) {
		memset(g, 0, sizeof(g));
		gb = 0;
		for (i = 0; i < n; i++) {
			double z = b;

			for (j = 0; j < TCPK_MODEL_FEATURES; j++)
				z += w[j] * f[i][j];
			p = tr_sigmoid(z);
			d = (p - (y[i] != 0)) * cw[y[i] != 0];
			for (j = 0; j < TCPK_MODEL_FEATURES; j++)
				g[j] += d * f[i][j];
			gb += d;
		}
		for (j = 0; j < TCPK_MODEL_FEATURES; j++) {
			w[j] -= TR_FIT_RATE * (g[j] + TR_FIT_L2 * w[j]);
			if (w[j] > 16)
				w[j] = 16;
			if (w[j] < -16)
				w[j] = -16;
		}
		b -= TR_FIT_RATE * gb;
		if (b > 64)
			b = 64;
		if (b < -64)
			b = -64;
	}
	free(f);
	/* a fraction f is f * 256 in Q8: weight * x = w * f * 65536 (Q16) */
	for (j = 0; j < TCPK_MODEL_FEATURES; j++)
		m->weight[j] = (s16)tr_round(w[j] * 256);
	m->bias = (s32)tr_round(b * 65536);
}

/**
 * tr_model_max() - a trace's highest window probability
 * @m: the model.
 * @x: the trace's windows.
 * @n: their number.
 *
 * Return: the highest tcpk_model_eval() (per mille), or -1 without a
 * window (a trace shorter than a window is never flagged).
 */
int tr_model_max(const struct tcpk_model *m,
		 const int32_t (*x)[TCPK_MODEL_FEATURES], size_t n)
{
	int best = -1, p;
	size_t i;

	for (i = 0; i < n; i++) {
		p = (int)tcpk_model_eval(m, x[i]);
		if (p > best)
			best = p;
	}
	return best;
}

/**
 * tr_model_write() - write a model file
 * @path: the file, or "-" for standard output.
 * @m: the model.
 * @comment: a line written as a comment after the header, or NULL.
 *
 * Return: 0, or -1 after a message.
 */
int tr_model_write(const char *path, const struct tcpk_model *m,
		   const char *comment)
{
	bool out = !strcmp(path, "-");
	FILE *f = out ? stdout : fopen(path, "w");
	unsigned int j;
	int err;

	if (!f) {
		fprintf(stderr, TR_NAME ": %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, TR_MODEL_HEADER "\n");
	if (comment)
		fprintf(f, "# %s\n", comment);
	fprintf(f, "# features: classes other file-read file-write file-meta net proc mem wait-ipc, novel, failed, patterns\n");
	fprintf(f, "bias %d\nthreshold %u\npoints %u\nweights", (int)m->bias,
		m->threshold, m->points);
	for (j = 0; j < TCPK_MODEL_FEATURES; j++)
		fprintf(f, " %d", m->weight[j]);
	fprintf(f, "\n");
	err = fflush(f) || ferror(f);
	if (!out && fclose(f))
		err = 1;
	if (err) {
		fprintf(stderr, TR_NAME ": %s: write error\n", path);
		return -1;
	}
	return 0;
}

/* Parse one decimal integer word at *@s (advanced); 0 or -1. */
static int parse_int(char **s, long long *v)
{
	char *end;

	while (**s == ' ' || **s == '\t')
		(*s)++;
	if (!**s || (**s != '-' && (**s < '0' || **s > '9')))
		return -1;
	errno = 0;
	*v = strtoll(*s, &end, 10);
	if (errno || end == *s || (*end && *end != ' ' && *end != '\t'))
		return -1;
	*s = end;
	return 0;
}

static long long clamp(long long v, long long lo, long long hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/**
 * tr_model_read() - read and check a model file
 * @path: the file.
 * @m: receives the model.
 *
 * The format (tcp-replay(1), "MODEL FILE FORMAT"): the first line
 * exactly "# tcp_kernel model v1"; "#" comments and blank lines; then
 * each of "bias N", "threshold N", "points N" and "weights W0 ... W10"
 * exactly once.  A malformed, unknown, repeated or missing line is
 * refused with FILE:LINE; a value beyond its field's type is saturated,
 * so that tcpk_model_check(), run last, refuses it with the kernel's own
 * message.
 *
 * Return: 0, or -1 after a message.
 */
int tr_model_read(const char *path, struct tcpk_model *m)
{
	unsigned int line = 0, seen = 0, bit, j;
	char *buf = NULL, *s, *key;
	const char *errmsg;
	size_t cap = 0;
	long long v;
	ssize_t len;
	int ret = -1;
	FILE *f;

	memset(m, 0, sizeof(*m));
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, TR_NAME ": %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&buf, &cap, f)) >= 0) {
		line++;
		if (len && buf[len - 1] == '\n')
			buf[--len] = '\0';
		if (line == 1) {
			if (strcmp(buf, TR_MODEL_HEADER)) {
				fprintf(stderr,
					TR_NAME ": %s:1: not a model file (the first line is not \"" TR_MODEL_HEADER "\")\n",
					path);
				goto out;
			}
			continue;
		}
		s = buf + strspn(buf, " \t");
		if (!*s || *s == '#')
			continue;
		key = s;
		s += strcspn(s, " \t");
		if (*s)
			*s++ = '\0';
		if (!strcmp(key, "bias"))
			bit = 1;
		else if (!strcmp(key, "threshold"))
			bit = 2;
		else if (!strcmp(key, "points"))
			bit = 4;
		else if (!strcmp(key, "weights"))
			bit = 8;
		else {
			fprintf(stderr, TR_NAME ": %s:%u: unknown line \"%s\" (bias, threshold, points or weights)\n",
				path, line, key);
			goto out;
		}
		if (seen & bit) {
			fprintf(stderr, TR_NAME ": %s:%u: a second %s line\n",
				path, line, key);
			goto out;
		}
		seen |= bit;
		for (j = 0; j < (bit == 8 ? TCPK_MODEL_FEATURES : 1); j++) {
			if (parse_int(&s, &v)) {
				fprintf(stderr,
					TR_NAME ": %s:%u: malformed %s: %s\n",
					path, line, key, bit == 8 ?
					"eleven integers (Q8), in feature order" :
					"one integer");
				goto out;
			}
			if (bit == 1)
				m->bias = (s32)clamp(v, INT32_MIN, INT32_MAX);
			else if (bit == 2)
				m->threshold = (u16)clamp(v, 0, UINT16_MAX);
			else if (bit == 4)
				m->points = (u16)clamp(v, 0, UINT16_MAX);
			else
				m->weight[j] = (s16)clamp(v, INT16_MIN, INT16_MAX);
		}
		if (s[strspn(s, " \t")]) {
			fprintf(stderr, TR_NAME ": %s:%u: malformed %s: %s\n",
				path, line, key, bit == 8 ?
				"more than eleven weights" : "more than one integer");
			goto out;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, TR_NAME ": %s: read error\n", path);
		goto out;
	}
	if (!line) {
		fprintf(stderr, TR_NAME ": %s:1: not a model file (empty)\n", path);
		goto out;
	}
	if (seen != 15) {
		fprintf(stderr, TR_NAME ": %s:%u: no %s line\n", path, line,
			!(seen & 1) ? "bias" : !(seen & 2) ? "threshold" :
			!(seen & 4) ? "points" : "weights");
		goto out;
	}
	if (tcpk_model_check(m, &errmsg)) {
		fprintf(stderr, TR_NAME ": %s: %s\n", path, errmsg);
		goto out;
	}
	ret = 0;
out:
	free(buf);
	fclose(f);
	return ret;
}
