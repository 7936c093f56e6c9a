/* SPDX-License-Identifier: GPL-2.0 */
/* tcp-policy - declarations shared by the command files */
#ifndef TCP_POLICY_H
#define TCP_POLICY_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#ifndef TP_VERSION
#define TP_VERSION "unknown"
#endif

#define TP_NAME "tcp-policy"

/* Exit status of the program and return value of every command. */
enum {
	TP_EXIT_OK = 0,
	TP_EXIT_FAIL = 1,	/* the request failed or the module is absent */
	TP_EXIT_USAGE = 2,	/* bad command line */
};

/**
 * struct tp_opts - options that apply to every command
 * @json: print one JSON document instead of text.
 * @pretty: indent the JSON document; implies @json.
 */
struct tp_opts {
	bool json;
	bool pretty;
};

extern struct tp_opts tp_opts;

/**
 * struct tp_cmd - one command of the dispatcher
 * @name: word that selects the command.
 * @args: synopsis of its arguments, for the help text.
 * @help: one-line description, for the help text.
 * @run: the command; argv[0] is @name.  Returns a TP_EXIT_* value.
 */
struct tp_cmd {
	const char *name;
	const char *args;
	const char *help;
	int (*run)(int argc, char **argv);
};

/*
 * Options every command accepts after its name as well as before it, so
 * "tcp-policy status -j" works like "tcp-policy -j status".  A command's own
 * getopt tables start with these.
 */
#define TP_COMMON_SHORTOPTS "+hjp"
#define TP_COMMON_LONGOPTS				\
	{ "help",	no_argument,	NULL, 'h' },	\
	{ "json",	no_argument,	NULL, 'j' },	\
	{ "pretty",	no_argument,	NULL, 'p' }

bool tp_common_opt(int opt);

/**
 * struct tp_subcmd - one subcommand of a command group ("seq add")
 * @name: its name.
 * @run: runs it; argv[0] is @name.  Returns a TP_EXIT_* value.
 */
struct tp_subcmd {
	const char *name;
	int (*run)(int argc, char **argv);
};

int tp_subcommand(const char *group, const char *names,
		  const struct tp_subcmd *cmds, size_t n, void (*usage)(void),
		  int argc, char **argv);
int tp_bad_option(const char *cmd, const char *shortopts, int argc,
		  char **argv);
int tp_bad_argument(const char *cmd, const char *arg);

void tp_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

const char *tp_level_name(uint32_t level);
int tp_json_print(struct json_object *obj);

/* Home and clear, as top does: the start of each screen of tp_watch(). */
#define TP_WATCH_CLEAR "\033[H\033[J"

int tp_watch(uint32_t every, uint32_t count, int (*show)(void *arg),
	     void *arg);

/* Commands, one file per command group. */
int tp_cmd_status(int argc, char **argv);
int tp_cmd_desc(int argc, char **argv);
int tp_cmd_add(int argc, char **argv);
int tp_cmd_del(int argc, char **argv);
int tp_cmd_list(int argc, char **argv);
int tp_cmd_flush(int argc, char **argv);
int tp_cmd_load(int argc, char **argv);
int tp_cmd_save(int argc, char **argv);
int tp_cmd_test(int argc, char **argv);
int tp_cmd_explain(int argc, char **argv);
int tp_cmd_release(int argc, char **argv);
int tp_cmd_lock(int argc, char **argv);
int tp_cmd_run(int argc, char **argv);
int tp_cmd_agents(int argc, char **argv);
int tp_cmd_mode(int argc, char **argv);
int tp_cmd_monitor(int argc, char **argv);
int tp_cmd_stats(int argc, char **argv);
int tp_cmd_ps(int argc, char **argv);
int tp_cmd_flows(int argc, char **argv);
int tp_cmd_seq(int argc, char **argv);
int tp_cmd_profile(int argc, char **argv);
int tp_cmd_model(int argc, char **argv);
int tp_cmd_hwmon(int argc, char **argv);
int tp_cmd_sign(int argc, char **argv);
int tp_cmd_key(int argc, char **argv);

int tp_status_keyring(uint32_t *serial);
int tp_cmd_cost(int argc, char **argv);

#endif /* TCP_POLICY_H */
