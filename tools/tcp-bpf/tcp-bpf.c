// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-bpf - loader of tcp_kernel's BPF-LSM programs: load, attach, detach,
 * status and stats of the programs, and the rollout mode through tcp-policy
 */

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "tcp-bpf.h"

struct tb_opts tb_opts;

static const struct {
	const char *name;
	const char *args;
	const char *help;
	int (*run)(int argc, char **argv);
} cmds[] = {
	{ "load",   "[--monitor-only]",
	  "load and pin every program (verified, not attached)", tb_cmd_load },
	{ "attach", "[--all | --hooks=H,...] [--no-stats] | --xdp=IFACE",
	  "attach the programs (or the XDP flow monitor), pin the links",
	  tb_cmd_attach },
	{ "detach", "[--hooks=H,... | --xdp[=IFACE]]",
	  "unpin links; with no option also the programs", tb_cmd_detach },
	{ "status", "",
	  "each program: loaded, attached, id, run count and time",
	  tb_cmd_status },
	{ "stats",  "[--interval=S [--count=N]]",
	  "events/s, drops, CPU overhead, blocked operations", tb_cmd_stats },
	{ "config", "--monitor-only | --enable-alerts |\n"
		    "         --enable-blocking --syscalls=OP,... | --full-enforcement |\n"
		    "         --xdp [--xdp-drop-score=N ... --xdp-allow=PREFIX]",
	  "set the rollout mode (tcp-policy mode), or the XDP thresholds",
	  tb_cmd_config },
};

#define NCMDS	(sizeof(cmds) / sizeof(cmds[0]))

/**
 * tb_err() - print an error message on stderr, prefixed with the tool's name
 * @fmt: printf format, without the trailing newline.
 */
void tb_err(const char *fmt, ...)
{
	va_list ap;

	fputs(TB_NAME ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/**
 * tb_warn() - print a warning on stderr
 * @fmt: printf format, without the trailing newline.
 */
void tb_warn(const char *fmt, ...)
{
	va_list ap;

	fputs(TB_NAME ": warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/**
 * tb_json_print() - print a JSON document on stdout
 * @obj: the document.
 * @one_line: never indent (one document per line, for --interval).
 *
 * Return: 0, or -1 if it could not be formatted or written.
 */
int tb_json_print(struct json_object *obj, bool one_line)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;
	const char *s;

	flags |= tb_opts.pretty && !one_line ? JSON_C_TO_STRING_PRETTY :
					      JSON_C_TO_STRING_PLAIN;
	s = json_object_to_json_string_ext(obj, flags);
	if (!s) {
		tb_err("cannot format JSON: %s", strerror(ENOMEM));
		return -1;
	}
	puts(s);
	fflush(stdout);
	return ferror(stdout) ? -1 : 0;
}

/**
 * tb_common_opt() - handle an option every command accepts
 * @opt: value returned by getopt_long().
 *
 * Return: true if @opt was -j, -p or -v and is now recorded in &tb_opts.
 */
bool tb_common_opt(int opt)
{
	switch (opt) {
	case 'p':
		tb_opts.pretty = true;
		/* fall through */
	case 'j':
		tb_opts.json = true;
		return true;
	case 'v':
		tb_opts.verbose++;
		return true;
	}
	return false;
}

/**
 * tb_bad_option() - point at a command's help after a bad option
 * @cmd: the command.
 *
 * getopt_long() has already said what was wrong.
 *
 * Return: %TB_EXIT_USAGE.
 */
int tb_bad_option(const char *cmd)
{
	fprintf(stderr, "Try '" TB_NAME " %s --help'.\n", cmd);
	return TB_EXIT_USAGE;
}

/**
 * tb_bad_argument() - report an argument a command does not take
 * @cmd: the command.
 * @arg: the argument.
 *
 * Return: %TB_EXIT_USAGE.
 */
int tb_bad_argument(const char *cmd, const char *arg)
{
	tb_err("%s: unexpected argument '%s'", cmd, arg);
	return tb_bad_option(cmd);
}

/**
 * tb_parse_uint() - parse the decimal value of a numeric option
 * @cmd: the command, for the message.
 * @opt: the option, for the message.
 * @s: the text.
 * @min: smallest value allowed.
 * @max: largest value allowed.
 * @val: (out) the value.
 *
 * Return: 0, or -1 after a message.
 */
int tb_parse_uint(const char *cmd, const char *opt, const char *s,
		  uint32_t min, uint32_t max, uint32_t *val)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < min || v > max) {
		tb_err("%s: %s=%s: not a number from %u to %u", cmd, opt, s,
		       min, max);
		return -1;
	}
	*val = (uint32_t)v;
	return 0;
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: " TB_NAME " [-j | -p] [-v] COMMAND [OPTIONS]\n"
		"\n"
		"Load, attach and inspect tcp_kernel's BPF-LSM programs.  Programs\n"
		"are pinned under " TB_PROGS_DIR ", links under\n"
		TB_LINKS_DIR ", so attachment outlives the tool.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %s%s%s\n         %s\n", cmds[i].name,
			*cmds[i].args ? " " : "", cmds[i].args, cmds[i].help);
	fprintf(f,
		"\n"
		"Options:\n"
		"  -j, --json     print JSON\n"
		"  -p, --pretty   print indented JSON\n"
		"  -v, --verbose  show libbpf's messages and the verifier log (-vv: debug)\n"
		"  -V, --version  print the version and exit\n"
		"  -h, --help     print this help and exit ('COMMAND --help' for one)\n"
		"\n"
		"Exit status: 0 success, 1 failure, 2 bad command line.\n"
		"See tcp-bpf(8).\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		TB_COMMON_LONGOPTS,
		{ "version",	no_argument,	NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	size_t i;

	while ((opt = getopt_long(argc, argv, "+" TB_COMMON_SHORTOPTS "V",
				  longopts, NULL)) != -1) {
		if (tb_common_opt(opt))
			continue;
		switch (opt) {
		case 'h':
			usage(stdout);
			return TB_EXIT_OK;
		case 'V':
			printf(TB_NAME " " TP_VERSION "\n");
			return TB_EXIT_OK;
		default:
			fputs("Try '" TB_NAME " --help'.\n", stderr);
			return TB_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		tb_err("no command given");
		fputs("Try '" TB_NAME " --help'.\n", stderr);
		return TB_EXIT_USAGE;
	}
	for (i = 0; i < NCMDS; i++)
		if (!strcmp(argv[optind], cmds[i].name))
			return cmds[i].run(argc - optind, argv + optind);
	tb_err("unknown command '%s' (load, attach, detach, status, stats or config)",
	       argv[optind]);
	fputs("Try '" TB_NAME " --help'.\n", stderr);
	return TB_EXIT_USAGE;
}
