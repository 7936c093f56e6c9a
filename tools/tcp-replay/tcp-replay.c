// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-replay - offline replay of system call traces through the kernel's
 * sequence core (behavior/seq.c): learn a profile, score traces, ROC
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "tcp-replay.h"

/* Most thresholds in a --thresholds list. */
#define TR_THRESHOLDS_MAX	256

enum tr_class {
	TR_NORMAL,
	TR_ATTACK,
};

static const char *const class_names[] = { "normal", "attack" };

/**
 * struct tr_task - one task's progress in a trace
 * @pid: the task (0 in a trace without pids).
 * @st: its state, as the module keeps it.
 * @mw: its window of the behaviour model, likewise.
 */
struct tr_task {
	uint32_t pid;
	struct tcpk_seq_state st;
	struct tcpk_model_window mw;
};

/**
 * struct tr_result - a trace's scores
 * @name: the trace file's name.
 * @cls: normal or attack.
 * @format: how the file was written.
 * @syscalls: its calls.
 * @unknown: of which with a name the system call table does not know.
 * @tasks: the tasks (pids) it holds, each replayed apart.
 * @trigrams: trigrams looked up in the profile, all tasks.
 * @novel: of which not in it.
 * @lfc_peak: the highest locality frame count of any task.
 * @done: completions of each pattern, all tasks.
 * @weight: the summed weight of every completion.
 * @win: the features of each complete window of %TCPK_MODEL_WINDOW calls
 *	of a task (behavior/model.c), in the order they ended.
 * @after: of each window, whether it ended at or after the trace's first
 *	novel trigram or pattern completion (any task).
 * @nwin: windows in @win.
 * @wcap: room in @win and @after.
 * @mprob: the highest window probability of the model (per mille), -1
 *	without a window or a model.
 */
struct tr_result {
	const char *name;
	enum tr_class cls;
	enum tr_format format;
	uint64_t syscalls;
	uint64_t unknown;
	uint64_t tasks;
	uint64_t trigrams;
	uint64_t novel;
	unsigned int lfc_peak;
	uint64_t done[TCPK_SEQ_PATTERNS_MAX];
	uint64_t weight;
	int32_t (*win)[TCPK_MODEL_FEATURES];
	uint8_t *after;
	size_t nwin, wcap;
	int mprob;
};

/* One ROC point: at threshold @t, the rates (negative: no trace). */
struct tr_point {
	unsigned int t;
	unsigned int tp, fp;
	double tpr, fpr;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " TR_NAME " train [--exe PATH] -o PROFILE DIR...\n"
		"       " TR_NAME " score [--profile PROFILE | --train DIR] [--normal DIR]\n"
		"                  [--attack DIR] [--thresholds LIST] [--model MODEL] [-j]\n"
		"       " TR_NAME " model [--profile PROFILE | --train DIR] --normal DIR --attack DIR\n"
		"                  -o MODEL [--threshold PERMILLE] [--points N] [--folds K] [-j]\n"
		"       " TR_NAME " --version\n"
		"\n"
		"Traces are files of system call numbers or strace output (strace -f -o FILE).\n"
		"See tcp-replay(1).\n");
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, TR_NAME ": ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	usage(stderr);
	return TR_EXIT_USAGE;
}

/* Task @pid in @tasks (added, started afresh, if new). */
static struct tr_task *task_state(struct tr_task **tasks, size_t *n,
					 size_t *cap, size_t *last,
					 uint32_t pid)
{
	struct tr_task *v;
	size_t i;

	if (*n && (*tasks)[*last].pid == pid)
		return &(*tasks)[*last];
	for (i = 0; i < *n; i++) {
		if ((*tasks)[i].pid == pid) {
			*last = i;
			return &(*tasks)[i];
		}
	}
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		v = realloc(*tasks, *cap * sizeof(*v));
		if (!v)
			return NULL;
		*tasks = v;
	}
	v = &(*tasks)[*n];
	memset(v, 0, sizeof(*v));
	v->pid = pid;
	tcpk_seq_state_reset(&v->st);
	*last = (*n)++;
	return v;
}

/* Append window @x to @res; 0 or -1 (out of memory). */
static int add_window(struct tr_result *res, const s32 *x, bool after)
{
	int32_t (*w)[TCPK_MODEL_FEATURES];
	uint8_t *a;

	if (res->nwin == res->wcap) {
		res->wcap = res->wcap ? res->wcap * 2 : 16;
		w = realloc(res->win, res->wcap * sizeof(*w));
		if (w)
			res->win = w;
		a = w ? realloc(res->after, res->wcap) : NULL;
		if (!a)
			return -1;
		res->after = a;
	}
	memcpy(res->win[res->nwin], x, sizeof(res->win[0]));
	res->after[res->nwin++] = after;
	return 0;
}

/**
 * replay() - one trace through the sequence core
 * @tr: the trace.
 * @set: the patterns (NULL: none).
 * @profile: the profile's trigrams, or NULL.
 * @learn: add the trace's trigrams to @profile rather than score them.
 * @res: the scores, when not learning (may be NULL then).
 *
 * Each task (pid) of the trace has its own state, started afresh at its
 * first call, as the module keeps one per process: every successful call
 * is fed to tcpk_seq_feed(), every call to tcpk_seq_profile(), in the
 * trace's order.  When scoring, each call is also fed to the task's model
 * window as the module feeds it: its class, whether its trigram was
 * novel, whether it failed and how many patterns it completed; each
 * complete window's features are kept in @res (a task's last, partial
 * window is dropped).
 *
 * Return: 0, or -1 after a message (out of memory, profile full).
 */
static int replay(const struct tr_trace *tr, const struct tcpk_seq_set *set,
		  struct tcpk_ngram_table *profile, bool learn,
		  struct tr_result *res)
{
	size_t i, n = 0, cap = 0, last = 0;
	struct tr_task *tasks = NULL;
	s32 x[TCPK_MODEL_FEATURES];
	struct tcpk_seq_state *st;
	struct tr_task *task;
	bool novel, seen = false;
	unsigned int b;
	int ret = -1;
	u64 done;

	for (i = 0; i < tr->n; i++) {
		task = task_state(&tasks, &n, &cap, &last, tr->ev[i].pid);
		if (!task) {
			fprintf(stderr, TR_NAME ": out of memory\n");
			goto out;
		}
		st = &task->st;
		if (learn) {
			if (tcpk_seq_profile(profile, true, st, tr->ev[i].nr) ==
			    TCPK_PROFILE_FULL) {
				fprintf(stderr,
					TR_NAME ": %s: the profile is full (%d trigrams)\n",
					tr->path, atomic_read(&profile->count));
				goto out;
			}
			continue;
		}
		/* as the module: patterns see successful calls only */
		done = tr->ev[i].failed ? 0 :
		       tcpk_seq_feed(set, st, tr->ev[i].nr);
		for (b = 0; done && set && b < set->count; b++) {
			if (done >> b & 1) {
				res->done[b]++;
				res->weight += set->pat[b].weight;
			}
		}
		novel = profile &&
			tcpk_seq_profile(profile, false, st, tr->ev[i].nr) ==
			TCPK_PROFILE_NOVEL;
		seen |= novel || done;
		/* as the module feeds its model */
		if (tcpk_model_feed(&task->mw, tcpk_syscall_class(tr->ev[i].nr),
				    novel, tr->ev[i].failed, hweight64(done), x) &&
		    add_window(res, x, seen)) {
			fprintf(stderr, TR_NAME ": out of memory\n");
			goto out;
		}
	}
	if (!learn) {
		res->syscalls = tr->n;
		res->unknown = tr->unknown;
		res->format = tr->format;
		res->tasks = n;
		for (i = 0; i < n; i++) {
			res->trigrams += tasks[i].st.trigrams;
			res->novel += tasks[i].st.novel_total;
			if (tasks[i].st.lfc_peak > res->lfc_peak)
				res->lfc_peak = tasks[i].st.lfc_peak;
		}
	}
	ret = 0;
out:
	free(tasks);
	return ret;
}

/**
 * train_dir() - learn the trigrams of every trace of a directory
 * @dir: the directory.
 * @t: the profile they are added to.
 * @files: incremented by the traces read.
 *
 * Return: 0, or -1 after a message.
 */
static int train_dir(const char *dir, struct tcpk_ngram_table *t,
		     size_t *files)
{
	struct tr_trace tr;
	char **paths;
	size_t n, i;
	int ret = 0;

	if (tr_dir_list(dir, &paths, &n))
		return -1;
	for (i = 0; i < n && !ret; i++) {
		ret = tr_trace_read(paths[i], &tr);
		if (!ret)
			ret = replay(&tr, NULL, t, true, NULL);
		tr_trace_free(&tr);
		(*files)++;
	}
	tr_dir_free(paths, n);
	if (!ret && (unsigned int)atomic_read(&t->count) > TCPK_PROFILE_NGRAMS_MAX) {
		fprintf(stderr,
			TR_NAME ": %s: %d trigrams, more than the %d a profile holds\n",
			dir, atomic_read(&t->count), TCPK_PROFILE_NGRAMS_MAX);
		ret = -1;
	}
	return ret;
}

static int cmd_train(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "exe", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *out = NULL, *exe = NULL;
	struct tcpk_ngram_table *t;
	size_t files = 0;
	char *source;
	int c, i, ret;

	while ((c = getopt_long(argc, argv, "+o:e:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'e':
			if (strchr(optarg, '\n'))
				return usage_error("--exe: a path without a newline, not \"%s\"",
						   optarg);
			exe = optarg;
			break;
		case 'h':
			usage(stdout);
			return TR_EXIT_OK;
		default:
			usage(stderr);
			return TR_EXIT_USAGE;
		}
	}
	if (!out)
		return usage_error("train: -o PROFILE is required%s", "");
	if (optind >= argc)
		return usage_error("train: give the DIR of the traces to learn from%s",
				   "");
	t = tr_profile_new();
	if (!t)
		return TR_EXIT_FAIL;
	ret = 0;
	for (i = optind; i < argc && !ret; i++)
		ret = train_dir(argv[i], t, &files);
	if (!ret && asprintf(&source, "%zu traces", files) >= 0) {
		ret = tr_profile_write(out, t, exe, source);
		free(source);
	}
	if (!ret && strcmp(out, "-"))
		fprintf(stderr, TR_NAME ": %s: %d trigrams from %zu traces\n",
			out, atomic_read(&t->count), files);
	free(t);
	return ret ? TR_EXIT_FAIL : TR_EXIT_OK;
}

/* Parse "1-32" or "1,2,4,8" (and mixes) into @t; 0 or -1. */
static int parse_thresholds(const char *s, unsigned int *t, size_t *n)
{
	unsigned long a, b;
	char *end;

	*n = 0;
	for (;;) {
		if (*s < '0' || *s > '9')
			return -1;
		a = strtoul(s, &end, 10);
		b = a;
		if (*end == '-') {
			s = end + 1;
			if (*s < '0' || *s > '9')
				return -1;
			b = strtoul(s, &end, 10);
		}
		if (a > TCPK_PROFILE_FRAME + 1 || b > TCPK_PROFILE_FRAME + 1 ||
		    a > b)
			return -1;
		for (; a <= b; a++) {
			if (*n == TR_THRESHOLDS_MAX)
				return -1;
			t[(*n)++] = a;
		}
		if (!*end)
			return 0;
		if (*end != ',')
			return -1;
		s = end + 1;
	}
}

/**
 * score_dir() - score every trace of a directory
 * @dir: the directory.
 * @cls: the class of its traces.
 * @set: the patterns.
 * @profile: the profile, or NULL.
 * @res: the results, grown.
 * @nres: their number, incremented.
 * @names: the trace names to free, grown likewise.
 *
 * Return: 0, or -1 after a message.
 */
static int score_dir(const char *dir, enum tr_class cls,
		     const struct tcpk_seq_set *set,
		     struct tcpk_ngram_table *profile, struct tr_result **res,
		     size_t *nres, char ***names)
{
	struct tr_result *r;
	struct tr_trace tr;
	char **paths, **nn;
	size_t n, i;
	int ret = 0;

	if (tr_dir_list(dir, &paths, &n))
		return -1;
	for (i = 0; i < n && !ret; i++) {
		r = realloc(*res, (*nres + 1) * sizeof(*r));
		nn = r ? realloc(*names, (*nres + 1) * sizeof(*nn)) : NULL;
		if (r)
			*res = r;
		if (nn)
			*names = nn;
		if (!r || !nn) {
			fprintf(stderr, TR_NAME ": out of memory\n");
			ret = -1;
			break;
		}
		r = &(*res)[*nres];
		memset(r, 0, sizeof(*r));
		ret = tr_trace_read(paths[i], &tr);
		if (!ret)
			ret = replay(&tr, set, profile, false, r);
		(*names)[*nres] = strdup(tr.name ? tr.name : "");
		r->name = (*names)[*nres];
		r->cls = cls;
		if (!r->name) {
			fprintf(stderr, TR_NAME ": out of memory\n");
			ret = -1;
		}
		tr_trace_free(&tr);
		if (!ret && !r->syscalls)
			fprintf(stderr, TR_NAME ": %s: warning: no system call in the trace\n",
				paths[i]);
		if (!ret && r->unknown)
			fprintf(stderr,
				TR_NAME ": %s: warning: %" PRIu64 " calls with a name not in the x86_64 table (they break the trigrams)\n",
				paths[i], r->unknown);
		(*nres)++;
	}
	tr_dir_free(paths, n);
	return ret;
}

/* The built-in patterns, as the module's default set. */
static struct tcpk_seq_set *default_set(void)
{
	struct tcpk_seq_set *set;
	unsigned int i;

	set = calloc(1, sizeof(*set) +
		     tcpk_seq_defaults_count * sizeof(set->pat[0]));
	if (!set)
		return NULL;
	set->gen = 1;
	for (i = 0; i < tcpk_seq_defaults_count; i++) {
		if (tcpk_seq_pattern_from_default(&set->pat[i],
						  &tcpk_seq_defaults[i], i + 1)) {
			fprintf(stderr, TR_NAME ": built-in pattern %s is invalid\n",
				tcpk_seq_defaults[i].name);
			free(set);
			return NULL;
		}
		set->count++;
	}
	return set;
}

static int point_cmp(const void *a, const void *b)
{
	const struct tr_point *x = a, *y = b;

	if (x->fpr != y->fpr)
		return x->fpr < y->fpr ? -1 : 1;
	return x->tpr < y->tpr ? -1 : x->tpr > y->tpr;
}

/**
 * roc() - the ROC points of the locality frame count, and the area
 * @res: the traces' results.
 * @n: their number.
 * @th: the thresholds.
 * @nth: their number.
 * @model: the model's score, not the locality frame count.
 * @pt: set, one point per threshold: a trace is flagged at t if its peak
 *	locality frame count (@model: its highest window probability) is at
 *	least t.
 * @auc: set to the area under the curve through (0, 0), the points and
 *	(1, 1), by trapezoids; negative if there is no normal or no attack
 *	trace.
 */
static void roc(const struct tr_result *res, size_t n, const unsigned int *th,
		size_t nth, struct tr_point *pt, double *auc, bool model)
{
	struct tr_point s[TR_THRESHOLDS_MAX + 2];
	size_t i, j, np = 0, na = 0;

	for (i = 0; i < n; i++)
		res[i].cls == TR_ATTACK ? na++ : np++;
	for (j = 0; j < nth; j++) {
		pt[j] = (struct tr_point){ .t = th[j] };
		for (i = 0; i < n; i++) {
			if (model ? res[i].mprob < (int)th[j] :
			    res[i].lfc_peak < th[j])
				continue;
			if (res[i].cls == TR_ATTACK)
				pt[j].tp++;
			else
				pt[j].fp++;
		}
		pt[j].tpr = na ? (double)pt[j].tp / na : -1;
		pt[j].fpr = np ? (double)pt[j].fp / np : -1;
	}
	*auc = -1;
	if (!na || !np)
		return;
	memcpy(s, pt, nth * sizeof(*pt));
	s[nth] = (struct tr_point){ .tpr = 0, .fpr = 0 };
	s[nth + 1] = (struct tr_point){ .tpr = 1, .fpr = 1 };
	qsort(s, nth + 2, sizeof(s[0]), point_cmp);
	*auc = 0;
	for (j = 1; j < nth + 2; j++)
		*auc += (s[j].fpr - s[j - 1].fpr) * (s[j].tpr + s[j - 1].tpr) / 2;
}

/* The model's ROC thresholds (per mille). */
static const unsigned int model_th[] = {
	1, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000,
};
#define TR_MODEL_TH	ARRAY_SIZE(model_th)

/**
 * struct tr_mreport - the model method's numbers in score
 * @m: the model.
 * @pt: its ROC points at %model_th.
 * @auc: the area under its ROC curve.
 * @tp: attack traces flagged at the model's threshold.
 * @fp: normal traces likewise.
 */
struct tr_mreport {
	struct tcpk_model m;
	struct tr_point pt[TR_MODEL_TH];
	double auc;
	unsigned int tp, fp;
};

/**
 * rank_auc() - the area under the ROC curve of a score
 * @score: each trace's score (higher: more anomalous).
 * @attack: each trace's class.
 * @n: the traces.
 *
 * The probability that an attack trace scores above a normal one, ties
 * counting one half (Mann-Whitney): the area under the ROC curve through
 * every threshold, exactly, not only the table's.
 *
 * Return: the area, or -1 without a trace of each class.
 */
static double rank_auc(const int *score, const bool *attack, size_t n)
{
	size_t i, j, na = 0, np = 0;
	double w = 0;

	for (i = 0; i < n; i++)
		attack[i] ? na++ : np++;
	if (!na || !np)
		return -1;
	for (i = 0; i < n; i++) {
		if (!attack[i])
			continue;
		for (j = 0; j < n; j++) {
			if (attack[j])
				continue;
			w += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
		}
	}
	return w / ((double)na * np);
}

/* The model's numbers over scored traces; 0 or -1 (out of memory). */
static int model_report(struct tr_result *res, size_t n,
			struct tr_mreport *mr)
{
	bool *attack = malloc(n + 1);
	int *score = malloc((n + 1) * sizeof(*score));
	unsigned int th[TR_MODEL_TH];
	double unused;
	size_t i;

	if (!attack || !score) {
		free(attack);
		free(score);
		fprintf(stderr, TR_NAME ": out of memory\n");
		return -1;
	}
	mr->tp = mr->fp = 0;
	for (i = 0; i < n; i++) {
		res[i].mprob = tr_model_max(&mr->m, (const int32_t (*)[TCPK_MODEL_FEATURES])res[i].win,
					    res[i].nwin);
		score[i] = res[i].mprob;
		attack[i] = res[i].cls == TR_ATTACK;
		if (res[i].mprob >= mr->m.threshold)
			attack[i] ? mr->tp++ : mr->fp++;
	}
	memcpy(th, model_th, sizeof(th));
	roc(res, n, th, TR_MODEL_TH, mr->pt, &unused, true);
	mr->auc = rank_auc(score, attack, n);
	free(attack);
	free(score);
	return 0;
}

static struct json_object *json_rate(double r)
{
	return r < 0 ? NULL : json_object_new_double(r);
}

static struct json_object *json_u64(uint64_t v)
{
	return json_object_new_int64(v > INT64_MAX ? INT64_MAX : (int64_t)v);
}

static void print_json(const struct tr_result *res, size_t n,
		       const struct tcpk_seq_set *set, const char *psrc,
		       int ptrigrams, const struct tr_point *pt, size_t nth,
		       double auc, unsigned int ptp, unsigned int pfp,
		       size_t na, size_t np, const struct tr_mreport *mr)
{
	struct json_object *root, *arr, *o, *pats, *p, *m;
	size_t i, j;

	root = json_object_new_object();
	o = json_object_new_object();
	json_object_object_add(o, "source", psrc ? json_object_new_string(psrc) : NULL);
	json_object_object_add(o, "trigrams", ptrigrams < 0 ? NULL :
			       json_object_new_int(ptrigrams));
	json_object_object_add(root, "profile", o);
	json_object_object_add(root, "normal", json_u64(np));
	json_object_object_add(root, "attack", json_u64(na));
	arr = json_object_new_array();
	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(res[i].name));
		json_object_object_add(o, "class",
				       json_object_new_string(class_names[res[i].cls]));
		json_object_object_add(o, "format", json_object_new_string(
			res[i].format == TR_FMT_NUMBERS ? "numbers" : "strace"));
		json_object_object_add(o, "syscalls", json_u64(res[i].syscalls));
		json_object_object_add(o, "unknown", json_u64(res[i].unknown));
		json_object_object_add(o, "tasks", json_u64(res[i].tasks));
		json_object_object_add(o, "trigrams", json_u64(res[i].trigrams));
		json_object_object_add(o, "novel", json_u64(res[i].novel));
		json_object_object_add(o, "lfc_peak", ptrigrams < 0 ? NULL :
				       json_object_new_int(res[i].lfc_peak));
		pats = json_object_new_array();
		for (j = 0; j < set->count; j++) {
			if (!res[i].done[j])
				continue;
			p = json_object_new_object();
			json_object_object_add(p, "name",
					       json_object_new_string(set->pat[j].name));
			json_object_object_add(p, "completions", json_u64(res[i].done[j]));
			json_object_object_add(p, "weight",
					       json_object_new_int(set->pat[j].weight));
			json_object_array_add(pats, p);
		}
		json_object_object_add(o, "patterns", pats);
		json_object_object_add(o, "weight", json_u64(res[i].weight));
		json_object_object_add(o, "windows", json_u64(res[i].nwin));
		json_object_object_add(o, "model_max", !mr || res[i].mprob < 0 ?
				       NULL : json_object_new_int(res[i].mprob));
		json_object_object_add(o, "model_flagged", !mr ? NULL :
				       json_object_new_boolean(res[i].mprob >=
							       mr->m.threshold));
		json_object_array_add(arr, o);
	}
	json_object_object_add(root, "traces", arr);

	m = json_object_new_object();
	arr = json_object_new_array();
	for (j = 0; j < nth && ptrigrams >= 0; j++) {
		o = json_object_new_object();
		json_object_object_add(o, "threshold", json_object_new_int(pt[j].t));
		json_object_object_add(o, "detected", json_object_new_int(pt[j].tp));
		json_object_object_add(o, "false_positives", json_object_new_int(pt[j].fp));
		json_object_object_add(o, "detection_rate", json_rate(pt[j].tpr));
		json_object_object_add(o, "false_positive_rate", json_rate(pt[j].fpr));
		json_object_array_add(arr, o);
	}
	json_object_object_add(m, "roc", arr);
	json_object_object_add(m, "auc", ptrigrams < 0 ? NULL : json_rate(auc));
	o = json_object_new_object();
	json_object_object_add(o, "lfc", m);
	m = json_object_new_object();
	json_object_object_add(m, "detected", json_object_new_int(ptp));
	json_object_object_add(m, "false_positives", json_object_new_int(pfp));
	json_object_object_add(m, "detection_rate",
			       json_rate(na ? (double)ptp / na : -1));
	json_object_object_add(m, "false_positive_rate",
			       json_rate(np ? (double)pfp / np : -1));
	json_object_object_add(o, "patterns", m);
	m = NULL;
	if (mr) {
		m = json_object_new_object();
		json_object_object_add(m, "threshold",
				       json_object_new_int(mr->m.threshold));
		json_object_object_add(m, "points", json_object_new_int(mr->m.points));
		arr = json_object_new_array();
		for (j = 0; j < TR_MODEL_TH; j++) {
			p = json_object_new_object();
			json_object_object_add(p, "threshold",
					       json_object_new_int(mr->pt[j].t));
			json_object_object_add(p, "detected",
					       json_object_new_int(mr->pt[j].tp));
			json_object_object_add(p, "false_positives",
					       json_object_new_int(mr->pt[j].fp));
			json_object_object_add(p, "detection_rate",
					       json_rate(mr->pt[j].tpr));
			json_object_object_add(p, "false_positive_rate",
					       json_rate(mr->pt[j].fpr));
			json_object_array_add(arr, p);
		}
		json_object_object_add(m, "roc", arr);
		json_object_object_add(m, "auc", json_rate(mr->auc));
		json_object_object_add(m, "detected", json_object_new_int(mr->tp));
		json_object_object_add(m, "false_positives",
				       json_object_new_int(mr->fp));
		json_object_object_add(m, "detection_rate",
				       json_rate(na ? (double)mr->tp / na : -1));
		json_object_object_add(m, "false_positive_rate",
				       json_rate(np ? (double)mr->fp / np : -1));
	}
	json_object_object_add(o, "model", m);
	json_object_object_add(root, "methods", o);
	printf("%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN));
	json_object_put(root);
}

static void print_rate(double r)
{
	if (r < 0)
		printf(" %9s", "-");
	else
		printf(" %9.3f", r);
}

static void print_text(const struct tr_result *res, size_t n,
		       const struct tcpk_seq_set *set, const char *psrc,
		       int ptrigrams, const struct tr_point *pt, size_t nth,
		       double auc, unsigned int ptp, unsigned int pfp,
		       size_t na, size_t np, const struct tr_mreport *mr)
{
	size_t i, j;
	bool any;

	if (ptrigrams >= 0)
		printf("profile: %d trigrams (%s)\n", ptrigrams, psrc);
	else
		printf("profile: none (no locality frame count; patterns only)\n");
	printf("%-24s %-6s %8s %5s %8s %7s %3s ", "TRACE", "CLASS",
	       "SYSCALLS", "TASKS", "TRIGRAMS", "NOVEL", "LFC");
	if (mr)
		printf("%5s %5s ", "MODEL", "FLAG");
	printf("%6s %s\n", "WEIGHT", "PATTERNS");
	for (i = 0; i < n; i++) {
		printf("%-24s %-6s %8" PRIu64 " %5" PRIu64 " %8" PRIu64
		       " %7" PRIu64, res[i].name, class_names[res[i].cls],
		       res[i].syscalls, res[i].tasks, res[i].trigrams,
		       res[i].novel);
		if (ptrigrams >= 0)
			printf(" %3u", res[i].lfc_peak);
		else
			printf(" %3s", "-");
		if (mr && res[i].mprob >= 0)
			printf(" %5d %5s", res[i].mprob,
			       res[i].mprob >= mr->m.threshold ? "yes" : "no");
		else if (mr)
			printf(" %5s %5s", "-", "no");
		printf(" %6" PRIu64 " ", res[i].weight);
		for (j = 0, any = false; j < set->count; j++) {
			if (!res[i].done[j])
				continue;
			printf("%s%s", any ? "," : "", set->pat[j].name);
			if (res[i].done[j] > 1)
				printf("x%" PRIu64, res[i].done[j]);
			any = true;
		}
		printf("%s\n", any ? "" : "-");
	}
	printf("\n%zu normal, %zu attack traces\n", np, na);
	if (ptrigrams >= 0) {
		printf("ROC, locality frame count (a trace is flagged if its peak LFC >= threshold):\n");
		printf("%9s %9s %9s\n", "THRESHOLD", "DETECTION", "FALSE-POS");
		for (j = 0; j < nth; j++) {
			printf("%9u", pt[j].t);
			print_rate(pt[j].tpr);
			print_rate(pt[j].fpr);
			printf("\n");
		}
		if (auc < 0)
			printf("AUC -\n");
		else
			printf("AUC %.3f\n", auc);
	}
	printf("patterns (a trace is flagged if it completed any):\n");
	printf("%9s %9s %9s\n", "", "DETECTION", "FALSE-POS");
	printf("%9s", "any");
	print_rate(na ? (double)ptp / na : -1);
	print_rate(np ? (double)pfp / np : -1);
	printf("   (%u/%zu attack, %u/%zu normal traces)\n", ptp, na, pfp, np);
	if (!mr)
		return;
	printf("ROC, model (a trace is flagged if a window's probability >= threshold, per mille):\n");
	printf("%9s %9s %9s\n", "THRESHOLD", "DETECTION", "FALSE-POS");
	for (j = 0; j < TR_MODEL_TH; j++) {
		printf("%9u", mr->pt[j].t);
		print_rate(mr->pt[j].tpr);
		print_rate(mr->pt[j].fpr);
		printf("\n");
	}
	if (mr->auc < 0)
		printf("model AUC -\n");
	else
		printf("model AUC %.3f\n", mr->auc);
	printf("model at its threshold %u:\n", mr->m.threshold);
	printf("%9s %9s %9s\n", "", "DETECTION", "FALSE-POS");
	printf("%9u", mr->m.threshold);
	print_rate(na ? (double)mr->tp / na : -1);
	print_rate(np ? (double)mr->fp / np : -1);
	printf("   (%u/%zu attack, %u/%zu normal traces)\n", mr->tp, na,
	       mr->fp, np);
}

static int cmd_score(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, 'P' },
		{ "train", required_argument, NULL, 'T' },
		{ "normal", required_argument, NULL, 'N' },
		{ "attack", required_argument, NULL, 'A' },
		{ "thresholds", required_argument, NULL, 't' },
		{ "model", required_argument, NULL, 'M' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *pfile = NULL, *tdir = NULL, *dirs[2][16], *mfile = NULL;
	struct tr_mreport mr;
	unsigned int th[TR_THRESHOLDS_MAX], ptp = 0, pfp = 0;
	size_t ndirs[2] = { 0, 0 }, nth = 0, nres = 0, i, j, na = 0, np = 0;
	struct tr_point pt[TR_THRESHOLDS_MAX];
	struct tcpk_ngram_table *profile = NULL;
	struct tcpk_seq_set *set = NULL;
	struct tr_result *res = NULL;
	char **names = NULL, *exe = NULL, *psrc = NULL;
	int c, ret = TR_EXIT_FAIL, ptrigrams = -1;
	bool json = false;
	double auc;

	while ((c = getopt_long(argc, argv, "+jh", opts, NULL)) != -1) {
		switch (c) {
		case 'P':
			pfile = optarg;
			break;
		case 'T':
			tdir = optarg;
			break;
		case 'N':
		case 'A':
			j = c == 'A' ? TR_ATTACK : TR_NORMAL;
			if (ndirs[j] == 16)
				return usage_error("at most 16 --%s folders",
						   class_names[j]);
			dirs[j][ndirs[j]++] = optarg;
			break;
		case 't':
			if (parse_thresholds(optarg, th, &nth))
				return usage_error("--thresholds: \"%s\" is not a list of thresholds 0..33 (e.g. 1-32 or 1,2,4,8)",
						   optarg);
			break;
		case 'M':
			mfile = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return TR_EXIT_OK;
		default:
			usage(stderr);
			return TR_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return usage_error("score: unexpected argument \"%s\"", argv[optind]);
	if (pfile && tdir)
		return usage_error("score: --profile and --train exclude each other%s", "");
	if (!ndirs[TR_NORMAL] && !ndirs[TR_ATTACK])
		return usage_error("score: give --normal DIR and/or --attack DIR%s", "");
	if (!nth)
		for (nth = 0; nth < TCPK_PROFILE_FRAME; nth++)
			th[nth] = nth + 1;

	if (mfile && tr_model_read(mfile, &mr.m))
		return TR_EXIT_FAIL;
	set = default_set();
	if (!set)
		goto out;
	if (pfile) {
		if (tr_profile_read(pfile, &profile, &exe))
			goto out;
		if (asprintf(&psrc, "%s%s%s", pfile, exe ? ", exe " : "",
			     exe ? exe : "") < 0)
			psrc = NULL;
	} else if (tdir) {
		size_t files = 0;

		profile = tr_profile_new();
		if (!profile || train_dir(tdir, profile, &files))
			goto out;
		if (asprintf(&psrc, "learnt from %zu traces of %s", files,
			     tdir) < 0)
			psrc = NULL;
	}
	if (profile)
		ptrigrams = atomic_read(&profile->count);
	for (c = TR_NORMAL; c <= TR_ATTACK; c++)
		for (i = 0; i < ndirs[c]; i++)
			if (score_dir(dirs[c][i], c, set, profile, &res, &nres,
				      &names))
				goto out;
	for (i = 0; i < nres; i++) {
		for (j = 0; j < set->count && !res[i].done[j]; j++)
			;
		if (res[i].cls == TR_ATTACK) {
			na++;
			ptp += j < set->count;
		} else {
			np++;
			pfp += j < set->count;
		}
	}
	roc(res, nres, th, nth, pt, &auc, false);
	if (mfile && model_report(res, nres, &mr))
		goto out;
	if (json)
		print_json(res, nres, set, psrc, ptrigrams, pt, nth, auc, ptp,
			   pfp, na, np, mfile ? &mr : NULL);
	else
		print_text(res, nres, set, psrc ? psrc : "", ptrigrams, pt,
			   nth, auc, ptp, pfp, na, np, mfile ? &mr : NULL);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, TR_NAME ": standard output: write error\n");
		goto out;
	}
	ret = TR_EXIT_OK;
out:
	for (i = 0; i < nres; i++) {
		free(names[i]);
		free(res[i].win);
		free(res[i].after);
	}
	free(names);
	free(res);
	free(set);
	free(profile);
	free(exe);
	free(psrc);
	return ret;
}

/**
 * fit_traces() - fit the model to the windows of some traces
 * @res: the traces.
 * @n: their number.
 * @fold: each trace's fold, or NULL for all traces.
 * @skip: the held-out fold (its traces are not used).
 * @m: receives the weights and bias.
 * @npos: set to the windows labelled anomalous.
 * @nneg: set to the windows labelled normal.
 *
 * A window of a normal trace is labelled 0.  A window of an attack trace
 * is labelled 1 if it ended at or after the trace's first novel trigram
 * or pattern completion, 0 before (the program's start-up, which normal
 * traces have too: labelling it 1 would teach the model that start-up is
 * an attack).
 *
 * Return: 0, or -1 (out of memory).
 */
static int fit_traces(const struct tr_result *res, size_t n,
		      const unsigned int *fold, unsigned int skip,
		      struct tcpk_model *m, size_t *npos, size_t *nneg)
{
	int32_t (*x)[TCPK_MODEL_FEATURES];
	size_t i, k, nw = 0;
	uint8_t *y;

	for (i = 0; i < n; i++)
		if (!fold || fold[i] != skip)
			nw += res[i].nwin;
	x = malloc((nw + 1) * sizeof(*x));
	y = malloc(nw + 1);
	if (!x || !y) {
		free(x);
		free(y);
		fprintf(stderr, TR_NAME ": out of memory\n");
		return -1;
	}
	*npos = *nneg = nw = 0;
	for (i = 0; i < n; i++) {
		if (fold && fold[i] == skip)
			continue;
		for (k = 0; k < res[i].nwin; k++) {
			memcpy(x[nw], res[i].win[k], sizeof(x[0]));
			y[nw] = res[i].cls == TR_ATTACK && res[i].after[k];
			y[nw] ? (*npos)++ : (*nneg)++;
			nw++;
		}
	}
	tr_model_fit((const int32_t (*)[TCPK_MODEL_FEATURES])x, y, nw, m);
	free(x);
	free(y);
	return 0;
}

/* Counts of one evaluation: flagged attack and normal traces, of so many. */
struct tr_counts {
	unsigned int tp, fp, na, np;
};

static struct json_object *json_counts(const struct tr_counts *c, double auc)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "detected", json_object_new_int(c->tp));
	json_object_object_add(o, "attack", json_object_new_int(c->na));
	json_object_object_add(o, "false_positives", json_object_new_int(c->fp));
	json_object_object_add(o, "normal", json_object_new_int(c->np));
	json_object_object_add(o, "detection_rate",
			       json_rate(c->na ? (double)c->tp / c->na : -1));
	json_object_object_add(o, "false_positive_rate",
			       json_rate(c->np ? (double)c->fp / c->np : -1));
	if (auc > -2)
		json_object_object_add(o, "auc", json_rate(auc));
	return o;
}

static void print_counts(const char *what, const struct tr_counts *c)
{
	printf("%-16s", what);
	print_rate(c->na ? (double)c->tp / c->na : -1);
	print_rate(c->np ? (double)c->fp / c->np : -1);
	printf("   (%u/%u attack, %u/%u normal traces)", c->tp, c->na, c->fp,
	       c->np);
}

static int cmd_model(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, 'P' },
		{ "train", required_argument, NULL, 'T' },
		{ "normal", required_argument, NULL, 'N' },
		{ "attack", required_argument, NULL, 'A' },
		{ "output", required_argument, NULL, 'o' },
		{ "threshold", required_argument, NULL, 't' },
		{ "points", required_argument, NULL, 'p' },
		{ "folds", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *pfile = NULL, *tdir = NULL, *dirs[2][16], *out = NULL;
	struct tcpk_model m = { .threshold = 500, .points = 300 };
	struct json_object *root = NULL, *folds = NULL, *o;
	size_t ndirs[2] = { 0, 0 }, nres = 0, i, j, npos, nneg;
	struct tcpk_ngram_table *profile = NULL;
	struct tr_counts cv = { 0 }, all = { 0 }, fc;
	unsigned int *fold = NULL, nfolds = 3, f;
	char **names = NULL, *exe = NULL, *comment = NULL;
	struct tcpk_seq_set *set = NULL;
	struct tr_result *res = NULL;
	int c, ret = TR_EXIT_FAIL, *cvp = NULL, *score = NULL;
	bool json = false, *attack = NULL;
	const char *errmsg;
	unsigned long v;
	char *end;
	double cvauc, auc;

	while ((c = getopt_long(argc, argv, "+o:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'P':
			pfile = optarg;
			break;
		case 'T':
			tdir = optarg;
			break;
		case 'N':
		case 'A':
			j = c == 'A' ? TR_ATTACK : TR_NORMAL;
			if (ndirs[j] == 16)
				return usage_error("at most 16 --%s folders",
						   class_names[j]);
			dirs[j][ndirs[j]++] = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 't':
		case 'p':
		case 'k':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || *end || optarg[0] < '0' || optarg[0] > '9' ||
			    (c != 'k' && (v < 1 || v > 1000)) ||
			    (c == 'k' && (v < 2 || v > 100000)))
				return usage_error(c == 'k' ?
						   "--folds: \"%s\" is not a number of folds, 2 or more" :
						   "--threshold, --points: \"%s\" is not 1 to 1000", optarg);
			if (c == 't')
				m.threshold = v;
			else if (c == 'p')
				m.points = v;
			else
				nfolds = v;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return TR_EXIT_OK;
		default:
			usage(stderr);
			return TR_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return usage_error("model: unexpected argument \"%s\"", argv[optind]);
	if (!!pfile == !!tdir)
		return usage_error("model: give --profile PROFILE or --train DIR (the novel-trigram feature)%s", "");
	if (!ndirs[TR_NORMAL] || !ndirs[TR_ATTACK])
		return usage_error("model: give --normal DIR and --attack DIR%s", "");
	if (!out)
		return usage_error("model: -o MODEL is required%s", "");

	set = default_set();
	if (!set)
		goto out;
	if (pfile) {
		if (tr_profile_read(pfile, &profile, &exe))
			goto out;
	} else {
		size_t files = 0;

		profile = tr_profile_new();
		if (!profile || train_dir(tdir, profile, &files))
			goto out;
	}
	for (c = TR_NORMAL; c <= TR_ATTACK; c++)
		for (i = 0; i < ndirs[c]; i++)
			if (score_dir(dirs[c][i], c, set, profile, &res, &nres,
				      &names))
				goto out;
	fold = calloc(nres + 1, sizeof(*fold));
	cvp = calloc(nres + 1, sizeof(*cvp));
	score = calloc(nres + 1, sizeof(*score));
	attack = calloc(nres + 1, sizeof(*attack));
	if (!fold || !cvp || !score || !attack) {
		fprintf(stderr, TR_NAME ": out of memory\n");
		goto out;
	}
	/*
	 * Folds: normal traces then attack traces, in name order, dealt
	 * round: each fold holds its share of each class; as many folds as
	 * traces is leave-one-out.
	 */
	if (nfolds > nres)
		nfolds = nres;
	for (i = 0; i < nres; i++) {
		fold[i] = i % nfolds;
		attack[i] = res[i].cls == TR_ATTACK;
	}
	if (json) {
		root = json_object_new_object();
		folds = json_object_new_array();
	} else {
		for (i = 0, j = 0; i < nres; i++)
			j += attack[i];
		printf("%zu normal, %zu attack traces; windows of %d calls\n",
		       nres - j, j, TCPK_MODEL_WINDOW);
	}
	for (f = 0; f < nfolds; f++) {
		if (fit_traces(res, nres, fold, f, &m, &npos, &nneg))
			goto out;
		fc = (struct tr_counts){ 0 };
		for (i = 0; i < nres; i++) {
			if (fold[i] != f)
				continue;
			cvp[i] = tr_model_max(&m, (const int32_t (*)[TCPK_MODEL_FEATURES])res[i].win,
					      res[i].nwin);
			if (attack[i]) {
				fc.na++;
				fc.tp += cvp[i] >= m.threshold;
			} else {
				fc.np++;
				fc.fp += cvp[i] >= m.threshold;
			}
		}
		cv.tp += fc.tp;
		cv.fp += fc.fp;
		cv.na += fc.na;
		cv.np += fc.np;
		if (json) {
			o = json_counts(&fc, -2);
			json_object_object_add(o, "fold", json_object_new_int(f + 1));
			json_object_object_add(o, "train_windows_attack",
					       json_u64(npos));
			json_object_object_add(o, "train_windows_normal",
					       json_u64(nneg));
			json_object_array_add(folds, o);
		} else {
			char what[32];

			if (!f) {
				printf("cross-validation, %u folds (held-out traces; flagged if a window >= %u per mille):\n",
				       nfolds, m.threshold);
				printf("%-16s %9s %9s\n", "", "DETECTION", "FALSE-POS");
			}
			snprintf(what, sizeof(what), "fold %u", f + 1);
			print_counts(what, &fc);
			printf("   trained on %zu+%zu windows\n", npos, nneg);
		}
	}
	cvauc = rank_auc(cvp, attack, nres);

	/* The model written: every trace. */
	if (fit_traces(res, nres, NULL, 0, &m, &npos, &nneg))
		goto out;
	if (tcpk_model_check(&m, &errmsg)) {
		fprintf(stderr, TR_NAME ": the trained model fails the kernel's check: %s\n",
			errmsg);
		goto out;
	}
	for (i = 0; i < nres; i++) {
		score[i] = tr_model_max(&m, (const int32_t (*)[TCPK_MODEL_FEATURES])res[i].win,
					res[i].nwin);
		if (attack[i]) {
			all.na++;
			all.tp += score[i] >= m.threshold;
		} else {
			all.np++;
			all.fp += score[i] >= m.threshold;
		}
	}
	auc = rank_auc(score, attack, nres);
	if (asprintf(&comment, "trained by tcp-replay on %u normal and %u attack traces (%zu+%zu windows); cross-validated detection %u/%u, false positives %u/%u",
		     all.np, all.na, npos, nneg, cv.tp, cv.na, cv.fp, cv.np) < 0)
		comment = NULL;
	if (tr_model_write(out, &m, comment))
		goto out;
	if (json) {
		json_object_object_add(root, "folds", folds);
		folds = NULL;
		json_object_object_add(root, "cross_validated", json_counts(&cv, cvauc));
		json_object_object_add(root, "training_set", json_counts(&all, auc));
		o = json_object_new_object();
		json_object_object_add(o, "bias", json_object_new_int(m.bias));
		json_object_object_add(o, "threshold", json_object_new_int(m.threshold));
		json_object_object_add(o, "points", json_object_new_int(m.points));
		folds = json_object_new_array();
		for (j = 0; j < TCPK_MODEL_FEATURES; j++)
			json_object_array_add(folds, json_object_new_int(m.weight[j]));
		json_object_object_add(o, "weights", folds);
		folds = NULL;
		json_object_object_add(o, "windows_attack", json_u64(npos));
		json_object_object_add(o, "windows_normal", json_u64(nneg));
		json_object_object_add(root, "model", o);
		json_object_object_add(root, "folds_count", json_object_new_int(nfolds));
		printf("%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN));
	} else {
		print_counts("cross-validated", &cv);
		printf("\n");
		if (cvauc < 0)
			printf("cross-validated AUC -\n");
		else
			printf("cross-validated AUC %.3f\n", cvauc);
		printf("model: %zu+%zu windows (attack+normal labels); bias %d, weights",
		       npos, nneg, (int)m.bias);
		for (j = 0; j < TCPK_MODEL_FEATURES; j++)
			printf(" %d", m.weight[j]);
		printf("\n");
		print_counts("training set", &all);
		printf("   (not held out: optimistic)\n");
		if (auc < 0)
			printf("training-set AUC -\n");
		else
			printf("training-set AUC %.3f\n", auc);
	}
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, TR_NAME ": standard output: write error\n");
		goto out;
	}
	ret = TR_EXIT_OK;
out:
	json_object_put(folds);
	json_object_put(root);
	for (i = 0; i < nres; i++) {
		free(names[i]);
		free(res[i].win);
		free(res[i].after);
	}
	free(names);
	free(res);
	free(set);
	free(profile);
	free(exe);
	free(comment);
	free(fold);
	free(cvp);
	free(score);
	free(attack);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return TR_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return TR_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf(TR_NAME " " TP_VERSION "\n");
		return TR_EXIT_OK;
	}
	if (!strcmp(argv[1], "train"))
		return cmd_train(argc - 1, argv + 1);
	if (!strcmp(argv[1], "score"))
		return cmd_score(argc - 1, argv + 1);
	if (!strcmp(argv[1], "model"))
		return cmd_model(argc - 1, argv + 1);
	return usage_error("unknown command \"%s\"", argv[1]);
}
