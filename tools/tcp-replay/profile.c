// SPDX-License-Identifier: GPL-2.0
/* tcp-replay - profile files: "# tcp_kernel profile v1", then trigrams */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tcp-replay.h"

#define PROFILE_MAGIC	"# tcp_kernel profile v1"
#define PROFILE_EXE	"# exe "

/**
 * tr_profile_new() - an empty profile
 *
 * %TR_PROFILE_SLOTS slots: the table takes three quarters of them, more
 * than %TCPK_PROFILE_NGRAMS_MAX, the most a profile of the module holds.
 *
 * Return: the table (free() it), or NULL after a message.
 */
struct tcpk_ngram_table *tr_profile_new(void)
{
	struct tcpk_ngram_table *t;

	_Static_assert(TR_PROFILE_SLOTS / 4 * 3 >= TCPK_PROFILE_NGRAMS_MAX,
		       "a profile's table holds the module's largest profile");
	t = malloc(tcpk_ngram_table_size(TR_PROFILE_SLOTS));
	if (!t) {
		fprintf(stderr, TR_NAME ": out of memory\n");
		return NULL;
	}
	tcpk_ngram_table_init(t, TR_PROFILE_SLOTS);
	return t;
}

/*
 * One decimal number below %TCPK_SEQ_SYSCALLS at *@s, followed by a
 * blank or the end of the line; *@s moves past it and the blanks after.
 */
static int parse_call(const char **s, uint32_t *nr)
{
	const char *p = *s;
	uint32_t v = 0;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (*p - '0');
		if (v >= TCPK_SEQ_SYSCALLS)
			return -ERANGE;
	}
	if (*p && *p != ' ' && *p != '\t' && *p != '\n')
		return -EINVAL;
	while (*p == ' ' || *p == '\t')
		p++;
	*s = p;
	*nr = v;
	return 0;
}

/**
 * tr_profile_read() - read a profile file
 * @path: the file ("-": standard input).
 * @t: set to a new table with its trigrams (free() it).
 * @exe: set to the path of its "# exe" line (free() it), or NULL.
 *
 * The first line must be "# tcp_kernel profile v1"; then "#" lines are
 * comments (the first "# exe PATH" names the executable), blank lines
 * are skipped and every other line is one trigram, three decimal numbers
 * below %TCPK_SEQ_SYSCALLS separated by blanks.  A trigram given twice
 * counts once.  Errors are reported as FILE:LINE: message.
 *
 * Return: 0, or -1 after a message.
 */
int tr_profile_read(const char *path, struct tcpk_ngram_table **t,
		    char **exe)
{
	unsigned long line = 0;
	size_t len = 0, l;
	char *buf = NULL;
	const char *s;
	uint32_t nr[3];
	int ret = -1, r, i;
	FILE *f;

	*t = NULL;
	*exe = NULL;
	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		fprintf(stderr, TR_NAME ": %s: %s\n", path, strerror(errno));
		return -1;
	}
	*t = tr_profile_new();
	if (!*t)
		goto out;
	while (getline(&buf, &len, f) >= 0) {
		line++;
		l = strlen(buf);
		if (l && buf[l - 1] == '\n')
			buf[--l] = '\0';
		if (line == 1) {
			if (strcmp(buf, PROFILE_MAGIC)) {
				fprintf(stderr,
					TR_NAME ": %s:1: not a profile: the first line must be \"" PROFILE_MAGIC "\"\n",
					path);
				goto out;
			}
			continue;
		}
		if (buf[0] == '#') {
			if (!*exe && !strncmp(buf, PROFILE_EXE,
					      strlen(PROFILE_EXE))) {
				*exe = strdup(buf + strlen(PROFILE_EXE));
				if (!*exe) {
					fprintf(stderr, TR_NAME ": out of memory\n");
					goto out;
				}
			}
			continue;
		}
		s = buf;
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			continue;
		for (i = 0, r = 0; i < 3 && !r; i++)
			r = parse_call(&s, &nr[i]);
		if (r == -ERANGE) {
			fprintf(stderr,
				TR_NAME ": %s:%lu: system call number %d of the trigram is not below %d\n",
				path, line, i, TCPK_SEQ_SYSCALLS);
			goto out;
		}
		if (r || *s) {
			fprintf(stderr,
				TR_NAME ": %s:%lu: malformed trigram \"%s\" (expected three system call numbers \"A B C\")\n",
				path, line, buf);
			goto out;
		}
		r = tcpk_ngram_add(*t, tcpk_ngram_key(nr[0], nr[1], nr[2]));
		if (r < 0 ||
		    (unsigned int)atomic_read(&(*t)->count) > TCPK_PROFILE_NGRAMS_MAX) {
			fprintf(stderr,
				TR_NAME ": %s:%lu: more than %d trigrams, the most a profile holds\n",
				path, line, TCPK_PROFILE_NGRAMS_MAX);
			goto out;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, TR_NAME ": %s: read error\n", path);
		goto out;
	}
	if (!line) {
		fprintf(stderr, TR_NAME ": %s:1: empty file, not a profile\n",
			path);
		goto out;
	}
	ret = 0;
out:
	free(buf);
	if (f != stdin)
		fclose(f);
	if (ret) {
		free(*t);
		*t = NULL;
		free(*exe);
		*exe = NULL;
	}
	return ret;
}

static int key_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/**
 * tr_profile_write() - write a profile file
 * @path: the file ("-": standard output); replaced through a temporary
 *	file beside it.
 * @t: the trigrams.
 * @exe: the executable's path for the "# exe" line, or NULL.
 * @source: what it was learnt from, for a comment, or NULL.
 *
 * The trigrams are written sorted (by first, second, then third call),
 * so that a profile learnt twice from the same traces is the same file.
 *
 * Return: 0, or -1 after a message.
 */
int tr_profile_write(const char *path, const struct tcpk_ngram_table *t,
		     const char *exe, const char *source)
{
	uint32_t *keys, i, n = 0;
	char *tmp = NULL;
	FILE *f = stdout;
	int ret = -1;

	keys = malloc((size_t)(t->mask + 1) * sizeof(*keys));
	if (!keys) {
		fprintf(stderr, TR_NAME ": out of memory\n");
		return -1;
	}
	for (i = 0; i <= t->mask; i++)
		if (t->slot[i])
			keys[n++] = t->slot[i];
	qsort(keys, n, sizeof(*keys), key_cmp);
	if (strcmp(path, "-")) {
		if (asprintf(&tmp, "%s.tmp", path) < 0) {
			tmp = NULL;
			fprintf(stderr, TR_NAME ": out of memory\n");
			goto out;
		}
		f = fopen(tmp, "w");
		if (!f) {
			fprintf(stderr, TR_NAME ": %s: %s\n", tmp,
				strerror(errno));
			goto out;
		}
	}
	fprintf(f, PROFILE_MAGIC "\n");
	if (exe)
		fprintf(f, PROFILE_EXE "%s\n", exe);
	fprintf(f, "# %u trigrams%s%s\n", n, source ? " learnt from " : "",
		source ? source : "");
	for (i = 0; i < n; i++)
		fprintf(f, "%u %u %u\n", keys[i] >> 20 & 0x3ff,
			keys[i] >> 10 & 0x3ff, keys[i] & 0x3ff);
	if (f == stdout) {
		if (fflush(f) || ferror(f)) {
			fprintf(stderr, TR_NAME ": standard output: write error\n");
			goto out;
		}
		ret = 0;
		goto out;
	}
	if (ferror(f) | fclose(f)) {
		fprintf(stderr, TR_NAME ": %s: write error\n", tmp);
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, path)) {
		fprintf(stderr, TR_NAME ": %s: %s\n", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	ret = 0;
out:
	free(tmp);
	free(keys);
	return ret;
}
