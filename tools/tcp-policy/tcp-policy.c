// SPDX-License-Identifier: GPL-2.0
/* tcp-policy - command-line client of the tcp_kernel module: dispatcher */

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include <linux/tcp_kernel.h>

#include "sign.h"
#include "tcp-policy.h"

struct tp_opts tp_opts;

static int tp_cmd_rule(int argc, char **argv);

static const struct tp_cmd tp_cmds[] = {
	{ "status", "", "show the module's version, level, parts and counters",
	  tp_cmd_status },
	{ "desc", "COMMAND", "manage the descriptor database (desc --help)",
	  tp_cmd_desc },
	{ "add", "OPTIONS", "add a rule to the policy (add --help)",
	  tp_cmd_add },
	{ "del", "ID...", "delete rules", tp_cmd_del },
	{ "list", "", "show the rules with their hits", tp_cmd_list },
	{ "flush", "", "delete every rule", tp_cmd_flush },
	{ "load", "FILE", "replace the policy by a rule file, atomically",
	  tp_cmd_load },
	{ "save", "[FILE]", "write the policy as a rule file", tp_cmd_save },
	{ "test", "--op=OP ...", "what-if: how an operation would be decided",
	  tp_cmd_test },
	{ "explain", "PID", "the last decisions taken for a process",
	  tp_cmd_explain },
	{ "release", "PID", "end the quarantine of a process", tp_cmd_release },
	{ "mode", "[MODE]", "show or set the rollout mode", tp_cmd_mode },
	{ "lock", "", "lock the policy until reboot: no loosening, no unload",
	  tp_cmd_lock },
	{ "run", "--agent=N CMD", "run a command labelled as an agent",
	  tp_cmd_run },
	{ "agents", "", "show the processes labelled as agents",
	  tp_cmd_agents },
	{ "ps", "[--pid=PID] [--watch]",
	  "show tracked processes with their behaviour and score", tp_cmd_ps },
	{ "monitor", "", "print the module's events as they come",
	  tp_cmd_monitor },
	{ "seq", "COMMAND", "system call patterns: list, add, del (seq --help)",
	  tp_cmd_seq },
	{ "profile", "COMMAND",
	  "learned profiles: list, learn, detect, export, import, del",
	  tp_cmd_profile },
	{ "model", "COMMAND", "the behaviour model: load, show, del",
	  tp_cmd_model },
	{ "sign", "--key K --cert C KIND FILE",
	  "sign a rule set, descriptor batch or model (sign --help)",
	  tp_cmd_sign },
	{ "key", "add CERT|list", "the module's keyring .tcp_kernel",
	  tp_cmd_key },
	{ "hwmon", "[--pid=PID] [--watch]",
	  "the hardware monitors and the processes they watch", tp_cmd_hwmon },
	{ "flows", "[--top=N]", "the XDP flow monitor's flows, top scores first",
	  tp_cmd_flows },
	{ "stats", "", "show the policy engine's counters", tp_cmd_stats },
	{ "cost", "[--iterations=N]",
	  "the in-module cost of a decision's components, in ns", tp_cmd_cost },
	{ "rule", "COMMAND", "add, del, list, flush, load or save, as above",
	  tp_cmd_rule },
};

static const char *const tp_level_names[__TCPK_LEVEL_MAX] = {
	[TCPK_LEVEL_OFF]	= "off",
	[TCPK_LEVEL_MONITOR]	= "monitor",
	[TCPK_LEVEL_ENFORCE]	= "enforce",
	[TCPK_LEVEL_PARANOID]	= "paranoid",
};

void tp_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs(TP_NAME ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/**
 * tp_level_name() - name of a security level
 * @level: &enum tcpk_security_level as reported by the module.
 *
 * Return: "off", "monitor", "enforce", "paranoid", or "unknown" for a level
 * newer than this tool.
 */
const char *tp_level_name(uint32_t level)
{
	if (level < __TCPK_LEVEL_MAX && tp_level_names[level])
		return tp_level_names[level];
	return "unknown";
}

/**
 * tp_json_print() - print a JSON document on stdout
 * @obj: the document; the caller keeps its reference.
 *
 * Return: 0, or -1 if it could not be serialised (already reported).
 */
int tp_json_print(struct json_object *obj)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;
	const char *s;

	flags |= tp_opts.pretty ? JSON_C_TO_STRING_PRETTY : JSON_C_TO_STRING_PLAIN;
	s = json_object_to_json_string_ext(obj, flags);
	if (!s) {
		tp_err("cannot format JSON: %s", strerror(ENOMEM));
		return -1;
	}
	puts(s);
	return 0;
}

/**
 * tp_common_opt() - handle an option every command accepts
 * @opt: value returned by getopt_long().
 *
 * Return: true if @opt was -j or -p and is now recorded in &tp_opts.
 */
bool tp_common_opt(int opt)
{
	switch (opt) {
	case 'p':
		tp_opts.pretty = true;
		/* fall through */
	case 'j':
		tp_opts.json = true;
		return true;
	}
	return tp_sig_opt(opt);
}

static volatile sig_atomic_t tp_watch_stop;

static void tp_watch_on_signal(int sig)
{
	(void)sig;
	tp_watch_stop = 1;
}

/**
 * tp_watch() - show a screen again and again, like top
 * @every: seconds between two screens.
 * @count: screens to show; 0 for as many as it takes to be interrupted.
 * @show: fetches and prints one screen, which starts with %TP_WATCH_CLEAR;
 *	returns 0, or -1 after a message to stop.
 * @arg: context of @show.
 *
 * SIGINT and SIGTERM end the loop after the screen being shown.
 *
 * Return: %TP_EXIT_OK when interrupted or after @count screens,
 * %TP_EXIT_FAIL when @show failed.
 */
int tp_watch(uint32_t every, uint32_t count, int (*show)(void *arg),
	     void *arg)
{
	struct sigaction sa = { .sa_handler = tp_watch_on_signal };
	uint32_t n;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (n = 0; !tp_watch_stop && (!count || n < count); n++) {
		struct timespec ts = { .tv_sec = every };

		if (show(arg))
			return TP_EXIT_FAIL;
		fflush(stdout);
		if (count && n + 1 == count)
			break;
		while (nanosleep(&ts, &ts) && errno == EINTR && !tp_watch_stop)
			;
	}
	return TP_EXIT_OK;
}

static void try_help(void)
{
	fprintf(stderr, "Try '" TP_NAME " --help' for more information.\n");
}

/**
 * tp_bad_option() - report the option getopt_long() just refused
 * @cmd: command being parsed, or NULL for the global options.
 * @shortopts: short options given to getopt_long().
 * @argc: argument count given to getopt_long().
 * @argv: arguments given to getopt_long().
 *
 * Return: %TP_EXIT_USAGE.
 */
int tp_bad_option(const char *cmd, const char *shortopts, int argc,
		  char **argv)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	const char *known = NULL;
	char shortopt[3] = { '-', '?', '\0' };
	char prefix[64] = "";

	if (cmd)
		snprintf(prefix, sizeof(prefix), "%s: ", cmd);

	/*
	 * glibc leaves optopt 0 for an unknown long option, sets it to the
	 * character of an unknown short option (argv[optind - 1] may then be
	 * another word, e.g. for "-xj"), and to the option's value when a
	 * known option lacks or has a surplus argument.
	 */
	if (optopt > 0 && optopt < 128 && optopt != ':' && optopt != '+')
		known = strchr(shortopts, optopt);
	if (optopt > 0 && optopt < 128 && !known) {
		shortopt[1] = (char)optopt;
		tp_err("%sunknown option '%s'", prefix, shortopt);
	} else if (!optopt) {
		tp_err("%sunknown option '%s'", prefix, arg);
	} else if (known && known[1] == ':') {
		tp_err("%soption '%s' needs an argument", prefix, arg);
	} else if (known) {
		tp_err("%soption '%s' takes no argument", prefix, arg);
	} else {
		tp_err("%soption '%s': missing or surplus argument", prefix,
		       arg);
	}
	try_help();
	return TP_EXIT_USAGE;
}

/**
 * tp_subcommand() - run the subcommand a command group names
 * @group: the group ("seq"), for messages.
 * @names: its subcommands for the message when none is given, e.g.
 *	"list, add or del".
 * @cmds: the subcommands.
 * @n: how many.
 * @usage: prints the group's help (--help).
 * @argc: argument count, argv[0] being @group.
 * @argv: arguments: the common options, then the subcommand and its own.
 *
 * Return: the subcommand's TP_EXIT_* value, TP_EXIT_OK after --help, or
 * TP_EXIT_USAGE for a bad option or a missing or unknown subcommand.
 */
int tp_subcommand(const char *group, const char *names,
		  const struct tp_subcmd *cmds, size_t n, void (*usage)(void),
		  int argc, char **argv)
{
	static const char shortopts[] = TP_COMMON_SHORTOPTS;
	static const struct option longopts[] = {
		TP_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	size_t i;
	int opt;

	while ((opt = getopt_long(argc, argv, shortopts, longopts,
				  NULL)) != -1) {
		if (tp_common_opt(opt))
			continue;
		if (opt == 'h') {
			usage();
			return TP_EXIT_OK;
		}
		return tp_bad_option(group, shortopts, argc, argv);
	}
	if (optind >= argc) {
		tp_err("%s: no command given (%s)", group, names);
		fprintf(stderr, "Try '" TP_NAME " %s --help' for more information.\n",
			group);
		return TP_EXIT_USAGE;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(argv[optind], cmds[i].name))
			continue;
		argc -= optind;
		argv += optind;
		return cmds[i].run(argc, argv);
	}
	tp_err("%s: unknown command '%s'", group, argv[optind]);
	fprintf(stderr, "Try '" TP_NAME " %s --help' for more information.\n",
		group);
	return TP_EXIT_USAGE;
}

/**
 * tp_bad_argument() - report a surplus or unknown argument
 * @cmd: command being parsed.
 * @arg: the argument.
 *
 * Return: %TP_EXIT_USAGE.
 */
int tp_bad_argument(const char *cmd, const char *arg)
{
	tp_err("%s: unexpected argument '%s'", cmd, arg);
	try_help();
	return TP_EXIT_USAGE;
}

/*
 * "tcp-policy rule COMMAND ...": the rule commands under one word, for
 * those who prefer "rule list" to "list".
 */
static int tp_cmd_rule(int argc, char **argv)
{
	static const char *const sub[] = {
		"add", "del", "list", "flush", "load", "save",
	};
	size_t i, j;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		printf("Usage: " TP_NAME " rule add|del|list|flush|load|save ...\n"
		       "\n"
		       "The same as " TP_NAME " add, del, list... See their --help.\n");
		return argc < 2 ? TP_EXIT_USAGE : TP_EXIT_OK;
	}
	for (i = 0; i < sizeof(sub) / sizeof(sub[0]); i++) {
		if (strcmp(argv[1], sub[i]))
			continue;
		for (j = 0; j < sizeof(tp_cmds) / sizeof(tp_cmds[0]); j++)
			if (!strcmp(tp_cmds[j].name, sub[i])) {
				optind = 0;
				return tp_cmds[j].run(argc - 1, argv + 1);
			}
	}
	tp_err("rule: unknown command '%s' (add, del, list, flush, load or save)",
	       argv[1]);
	try_help();
	return TP_EXIT_USAGE;
}

static void usage(void)
{
	size_t i;

	printf("Usage: " TP_NAME " [OPTIONS] COMMAND [ARGS]\n"
	       "\n"
	       "Query and configure the tcp_kernel security module.\n"
	       "\n"
	       "Options:\n"
	       "  -j, --json      print one JSON object\n"
	       "  -p, --pretty    print indented JSON (implies --json)\n"
	       "  -h, --help      print this help and exit\n"
	       "  -V, --version   print the version and exit\n"
	       "\n"
	       "Commands:\n");
	for (i = 0; i < sizeof(tp_cmds) / sizeof(tp_cmds[0]); i++) {
		char syn[64];

		snprintf(syn, sizeof(syn), "%s%s%s", tp_cmds[i].name,
			 tp_cmds[i].args[0] ? " " : "", tp_cmds[i].args);
		printf("  %-20s %s\n", syn, tp_cmds[i].help);
	}
	printf("\n"
	       "Options may also follow the command. See tcp-policy(8).\n");
}

static int finish(int ret)
{
	/* Output that did not reach its destination is a failure. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		tp_err("write error on standard output: %s", strerror(errno));
		if (ret == TP_EXIT_OK)
			ret = TP_EXIT_FAIL;
	}
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		TP_COMMON_LONGOPTS,
		{ "version",	no_argument,	NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static const char shortopts[] = TP_COMMON_SHORTOPTS "V";
	const char *name;
	size_t i;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (tp_common_opt(opt))
			continue;
		switch (opt) {
		case 'h':
			usage();
			return finish(TP_EXIT_OK);
		case 'V':
			printf(TP_NAME " %s (uapi %d)\n", TP_VERSION,
			       TCPK_UAPI_VERSION);
			return finish(TP_EXIT_OK);
		default:
			return tp_bad_option(NULL, shortopts, argc, argv);
		}
	}

	if (optind >= argc) {
		tp_err("no command given");
		try_help();
		return TP_EXIT_USAGE;
	}

	name = argv[optind];
	if (!strcmp(name, "help")) {
		usage();
		return finish(TP_EXIT_OK);
	}
	for (i = 0; i < sizeof(tp_cmds) / sizeof(tp_cmds[0]); i++) {
		if (strcmp(name, tp_cmds[i].name))
			continue;
		argc -= optind;
		argv += optind;
		optind = 0;	/* reinitialise getopt for the command */
		return finish(tp_cmds[i].run(argc, argv));
	}

	tp_err("unknown command '%s'", name);
	try_help();
	return TP_EXIT_USAGE;
}
