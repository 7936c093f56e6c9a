/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - system call sequences in the module: the patterns in
 * force, the learned profiles, and what each system call of a tracked
 * process does to them
 *
 * The matching itself is behavior/seq.c (freestanding, shared with
 * tcp-replay); this part owns the data, its locking and lifetimes, the
 * score points and the events.
 */
#ifndef _TCPK_SEQUENCE_H
#define _TCPK_SEQUENCE_H

#include <linux/types.h>

#include "behavior/model.h"
#include "behavior/seq.h"

struct tcpk_features;

int tcpk_sequence_init(void);
void tcpk_sequence_exit(void);

void tcpk_sequence_start(struct tcpk_features *f);
void tcpk_sequence_exec(struct tcpk_features *f);
void tcpk_sequence_syscall(struct tcpk_features *f, long nr, long ret);
const char *tcpk_sequence_profile_of(const struct tcpk_features *f);

/* Patterns: writers take a mutex and may sleep; walkers hold RCU. */
int tcpk_seq_pattern_add(struct tcpk_seq_pattern *p, const char **errmsg);
int tcpk_seq_pattern_del(u32 id);

/**
 * typedef tcpk_seq_fill_t - callback of tcpk_seq_pattern_walk()
 * @p: one pattern.
 * @matches: its completions since it was added.
 * @arg: the caller's argument.
 *
 * Called under rcu_read_lock(): must not sleep.  0 goes on, an error stops.
 */
typedef int (*tcpk_seq_fill_t)(const struct tcpk_seq_pattern *p, u64 matches,
			       void *arg);
int tcpk_seq_pattern_walk(u32 *pos, tcpk_seq_fill_t fill, void *arg);

/**
 * struct tcpk_profile_info - a learned profile, as readers see it
 * @path: the executable's path when the profile was set.
 * @mode: &enum tcpk_profile_mode.
 * @dev: the executable's device.
 * @ino: its inode number.
 * @count: trigrams in it.
 * @limit: most it takes.
 * @checked: trigrams checked in detection.
 * @novel: of which novel.
 * @full: new trigrams not learned because it was full.
 */
struct tcpk_profile_info {
	const char *path;
	u32 mode;
	u64 dev;
	u64 ino;
	u32 count;
	u32 limit;
	u64 checked;
	u64 novel;
	u64 full;
};

int tcpk_profile_set(const char *path, u32 mode, const u32 *keys, u32 n,
		     bool import, const char **errmsg);
int tcpk_profile_install(u64 dev, u64 ino, const char *path, u32 mode,
			 const u32 *keys, u32 n, bool import,
			 const char **errmsg);
int tcpk_profile_del(const char *path, const char **errmsg);

/**
 * typedef tcpk_profile_fill_t - callback of tcpk_profile_walk()
 * @info: one profile; @info->path valid during the call only.
 * @keys: its trigrams, sorted, if they were asked for, else NULL.
 * @n: how many.
 * @arg: the caller's argument.
 *
 * Called with the profiles' mutex held (may sleep).  0 goes on, an error
 * stops.
 */
typedef int (*tcpk_profile_fill_t)(const struct tcpk_profile_info *info,
				   const u32 *keys, u32 n, void *arg);
int tcpk_profile_walk(const char *path, unsigned long *pos, bool keys,
		      tcpk_profile_fill_t fill, void *arg, const char **errmsg);

/**
 * struct tcpk_model_info - the loaded behaviour model, as readers see it
 * @m: the model.
 * @windows: windows evaluated since it was loaded.
 * @flagged: of which anomalous.
 */
struct tcpk_model_info {
	struct tcpk_model m;
	u64 windows;
	u64 flagged;
};

int tcpk_model_set(const struct tcpk_model *m, const char **errmsg);
int tcpk_model_del(void);
int tcpk_model_get(struct tcpk_model_info *info);

#endif /* _TCPK_SEQUENCE_H */
