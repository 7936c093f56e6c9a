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
 */
struct tr_task {
	uint32_t pid;
	struct tcpk_seq_state st;
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
		"                  [--attack DIR] [--thresholds LIST] [-j]\n"
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

/* The state of task @pid in @tasks (added, started afresh, if new). */
static struct tcpk_seq_state *task_state(struct tr_task **tasks, size_t *n,
					 size_t *cap, size_t *last,
					 uint32_t pid)
{
	struct tr_task *v;
	size_t i;

	if (*n && (*tasks)[*last].pid == pid)
		return &(*tasks)[*last].st;
	for (i = 0; i < *n; i++) {
		if ((*tasks)[i].pid == pid) {
			*last = i;
			return &(*tasks)[i].st;
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
	return &v->st;
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
 * trace's order.
 *
 * Return: 0, or -1 after a message (out of memory, profile full).
 */
static int replay(const struct tr_trace *tr, const struct tcpk_seq_set *set,
		  struct tcpk_ngram_table *profile, bool learn,
		  struct tr_result *res)
{
	size_t i, n = 0, cap = 0, last = 0;
	struct tr_task *tasks = NULL;
	struct tcpk_seq_state *st;
	unsigned int b;
	int ret = -1;
	u64 done;

	for (i = 0; i < tr->n; i++) {
		st = task_state(&tasks, &n, &cap, &last, tr->ev[i].pid);
		if (!st) {
			fprintf(stderr, TR_NAME ": out of memory\n");
			goto out;
		}
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
		if (profile)
			tcpk_seq_profile(profile, false, st, tr->ev[i].nr);
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
 * @pt: set, one point per threshold: a trace is flagged at t if its peak
 *	locality frame count is at least t.
 * @auc: set to the area under the curve through (0, 0), the points and
 *	(1, 1), by trapezoids; negative if there is no normal or no attack
 *	trace.
 */
static void roc(const struct tr_result *res, size_t n, const unsigned int *th,
		size_t nth, struct tr_point *pt, double *auc)
{
	struct tr_point s[TR_THRESHOLDS_MAX + 2];
	size_t i, j, np = 0, na = 0;

	for (i = 0; i < n; i++)
		res[i].cls == TR_ATTACK ? na++ : np++;
	for (j = 0; j < nth; j++) {
		pt[j] = (struct tr_point){ .t = th[j] };
		for (i = 0; i < n; i++) {
			if (res[i].lfc_peak < th[j])
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
		       size_t na, size_t np)
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
		       size_t na, size_t np)
{
	size_t i, j;
	bool any;

	if (ptrigrams >= 0)
		printf("profile: %d trigrams (%s)\n", ptrigrams, psrc);
	else
		printf("profile: none (no locality frame count; patterns only)\n");
	printf("%-24s %-6s %8s %5s %8s %7s %3s %6s %s\n", "TRACE", "CLASS",
	       "SYSCALLS", "TASKS", "TRIGRAMS", "NOVEL", "LFC", "WEIGHT",
	       "PATTERNS");
	for (i = 0; i < n; i++) {
		printf("%-24s %-6s %8" PRIu64 " %5" PRIu64 " %8" PRIu64
		       " %7" PRIu64, res[i].name, class_names[res[i].cls],
		       res[i].syscalls, res[i].tasks, res[i].trigrams,
		       res[i].novel);
		if (ptrigrams >= 0)
			printf(" %3u", res[i].lfc_peak);
		else
			printf(" %3s", "-");
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
}

static int cmd_score(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, 'P' },
		{ "train", required_argument, NULL, 'T' },
		{ "normal", required_argument, NULL, 'N' },
		{ "attack", required_argument, NULL, 'A' },
		{ "thresholds", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *pfile = NULL, *tdir = NULL, *dirs[2][16];
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
	roc(res, nres, th, nth, pt, &auc);
	if (json)
		print_json(res, nres, set, psrc, ptrigrams, pt, nth, auc, ptp,
			   pfp, na, np);
	else
		print_text(res, nres, set, psrc ? psrc : "", ptrigrams, pt,
			   nth, auc, ptp, pfp, na, np);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, TR_NAME ": standard output: write error\n");
		goto out;
	}
	ret = TR_EXIT_OK;
out:
	for (i = 0; i < nres; i++)
		free(names[i]);
	free(names);
	free(res);
	free(set);
	free(profile);
	free(exe);
	free(psrc);
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
	return usage_error("unknown command \"%s\"", argv[1]);
}
