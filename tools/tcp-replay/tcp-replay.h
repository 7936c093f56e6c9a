/* SPDX-License-Identifier: GPL-2.0 */
/* tcp-replay - declarations shared by its files */
#ifndef TCP_REPLAY_H
#define TCP_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "behavior/model.h"
#include "behavior/seq.h"

#ifndef TP_VERSION
#define TP_VERSION "unknown"
#endif

/*
 * The name its messages start with; tcp-policy, which builds profile.c
 * in too (tools/tcp-policy/profile-file.c), defines its own.
 */
#ifndef TR_NAME
#define TR_NAME "tcp-replay"
#endif

/* Exit status of the program. */
enum {
	TR_EXIT_OK = 0,
	TR_EXIT_FAIL = 1,	/* a file could not be read, parsed or written */
	TR_EXIT_USAGE = 2,	/* bad command line */
};

/* A call strace named but the system call table does not know. */
#define TR_NR_UNKNOWN	UINT32_MAX

/**
 * struct tr_event - one system call of a trace
 * @pid: the task that made it (0 in a trace without pids).
 * @nr: its x86_64 number, or %TR_NR_UNKNOWN.
 * @failed: it returned an error (strace's "= -1 ERRNO"): the module's
 *	patterns see successful calls only, its profiles every call.
 */
struct tr_event {
	uint32_t pid;
	uint32_t nr;
	bool failed;
};

/* How a trace file is written. */
enum tr_format {
	TR_FMT_NUMBERS,	/* whitespace-separated system call numbers */
	TR_FMT_STRACE,	/* strace output, with or without pids */
};

/**
 * struct tr_trace - one trace file, read
 * @path: the file.
 * @name: its name without the directory.
 * @format: how it was written.
 * @ev: its calls, in order (the tasks' calls interleaved as written).
 * @n: calls in @ev.
 * @unknown: of which strace named a call the table does not know.
 */
struct tr_trace {
	char *path;
	const char *name;
	enum tr_format format;
	struct tr_event *ev;
	size_t n;
	size_t unknown;
};

int tr_trace_read(const char *path, struct tr_trace *tr);
void tr_trace_free(struct tr_trace *tr);
int tr_dir_list(const char *dir, char ***paths, size_t *n);
void tr_dir_free(char **paths, size_t n);
int tr_syscall_nr(const char *name, size_t len, uint32_t *nr);

/* Slots of a profile's table: room for %TCPK_PROFILE_NGRAMS_MAX trigrams. */
#define TR_PROFILE_SLOTS	32768

struct tcpk_ngram_table *tr_profile_new(void);
int tr_profile_read(const char *path, struct tcpk_ngram_table **t,
		    char **exe);
int tr_profile_write(const char *path, const struct tcpk_ngram_table *t,
		     const char *exe, const char *source);

/* The behaviour model (model.c; model-core.c is behavior/model.c). */
void tr_model_fit(const int32_t (*x)[TCPK_MODEL_FEATURES], const uint8_t *y,
		  size_t n, struct tcpk_model *m);
int tr_model_max(const struct tcpk_model *m,
		 const int32_t (*x)[TCPK_MODEL_FEATURES], size_t n);
int tr_model_read(const char *path, struct tcpk_model *m);
int tr_model_write(const char *path, const struct tcpk_model *m,
		   const char *comment);

#endif /* TCP_REPLAY_H */
