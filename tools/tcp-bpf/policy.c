// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-bpf - the module's side through tcp-policy: its counters for stats,
 * and the "config" command, the seed's rollout mapped to tcp-policy mode
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "tcp-bpf.h"

#define TP_PROG		"tcp-policy"
#define MAX_ARGS	8

/*
 * tcp-policy, in this order: $TCP_POLICY; beside this program (both are
 * installed to the same sbin directory); in the source tree
 * (tools/tcp-bpf/../tcp-policy/); else the first on $PATH.
 */
static const char *policy_path(void)
{
	static char path[PATH_MAX + 32];
	char self[PATH_MAX], *slash;
	const char *env = getenv("TCP_POLICY");
	ssize_t n;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			snprintf(path, sizeof(path), "%s/" TP_PROG, self);
			if (!access(path, X_OK))
				return path;
			snprintf(path, sizeof(path), "%s/../" TP_PROG "/" TP_PROG,
				 self);
			if (!access(path, X_OK))
				return path;
		}
	}
	return TP_PROG;
}

/*
 * Start tcp-policy with @args; its stdout goes to @out_fd (-1: ours, -2:
 * /dev/null), its stderr is ours.  Return: its pid, or -1 after a message.
 */
static pid_t spawn(const char *const *args, bool json, int out_fd)
{
	const char *argv[MAX_ARGS + 3];
	const char *prog = policy_path();
	size_t n = 0, i;
	pid_t pid;

	argv[n++] = prog;
	if (json)
		argv[n++] = "-j";
	for (i = 0; args[i] && i < MAX_ARGS; i++)
		argv[n++] = args[i];
	argv[n] = NULL;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		tb_err("cannot run %s: %s", prog, strerror(errno));
		return -1;
	}
	if (pid)
		return pid;
	if (out_fd == -2)
		out_fd = open("/dev/null", O_WRONLY);
	if (out_fd >= 0 && dup2(out_fd, STDOUT_FILENO) < 0)
		_exit(127);
	execvp(prog, (char *const *)argv);
	fprintf(stderr, TB_NAME ": cannot run %s: %s (install tcp-policy, or set TCP_POLICY=)\n",
		prog, strerror(errno));
	_exit(127);
}

/* Return: the exit status of @pid, or %TB_EXIT_FAIL if it did not run. */
static int reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			tb_err("waiting for " TP_PROG ": %s", strerror(errno));
			return TB_EXIT_FAIL;
		}
	if (WIFEXITED(status))
		return WEXITSTATUS(status) == 127 ? TB_EXIT_FAIL :
						    WEXITSTATUS(status);
	tb_err(TP_PROG " was killed by signal %d", WTERMSIG(status));
	return TB_EXIT_FAIL;
}

/**
 * tb_policy_run() - run "tcp-policy ARGS..."
 * @args: its arguments, NULL-terminated (at most 8).
 * @quiet: discard what it prints on stdout.
 *
 * Return: tcp-policy's exit status (0 success, 1 failure, 2 usage), or 1
 * if it could not be run.  Its error messages reach stderr unchanged.
 */
int tb_policy_run(const char *const *args, bool quiet)
{
	pid_t pid = spawn(args, tb_opts.json, quiet ? -2 : -1);

	return pid < 0 ? TB_EXIT_FAIL : reap(pid);
}

/**
 * tb_policy_json() - run "tcp-policy -j ARGS..." and parse what it prints
 * @args: its arguments, NULL-terminated (at most 8).
 *
 * Return: the document (the caller puts it), or NULL after a message.
 */
struct json_object *tb_policy_json(const char *const *args)
{
	struct json_object *obj = NULL;
	char chunk[4096], *buf = NULL;
	size_t len = 0;
	int pfd[2], ret;
	ssize_t n;
	FILE *mem;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC)) {
		tb_err("cannot run " TP_PROG ": %s", strerror(errno));
		return NULL;
	}
	pid = spawn(args, true, pfd[1]);
	close(pfd[1]);
	if (pid < 0) {
		close(pfd[0]);
		return NULL;
	}
	mem = open_memstream(&buf, &len);
	for (;;) {
		n = read(pfd[0], chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (mem)
			fwrite(chunk, 1, (size_t)n, mem);
	}
	close(pfd[0]);
	ret = reap(pid);
	if (!mem) {
		tb_err("cannot read " TP_PROG "'s output: %s", strerror(ENOMEM));
		return NULL;
	}
	fclose(mem);
	if (!ret && buf)
		obj = json_tokener_parse(buf);
	if (!ret && !obj)
		tb_err(TP_PROG " -j %s printed no JSON", args[0]);
	free(buf);
	return obj;
}

static void config_usage(void)
{
	printf("Usage: " TB_NAME " config --monitor-only | --enable-alerts |\n"
	       "       --enable-blocking --syscalls=OP,... | --full-enforcement\n"
	       "\n"
	       "Set the rollout mode of the module, through tcp-policy:\n"
	       "\n"
	       "  --monitor-only                    tcp-policy mode monitor\n"
	       "  --enable-alerts                   tcp-policy mode alerts\n"
	       "  --enable-blocking --syscalls=OPS  tcp-policy mode blocking --ops=OPS\n"
	       "  --full-enforcement                tcp-policy mode enforce\n"
	       "\n"
	       "--ops= is an alias of --syscalls=; OPS are tcp-policy's operation\n"
	       "names (e.g. unlink,rmdir).  Then prints the mode (tcp-policy mode).\n"
	       "Needs CAP_NET_ADMIN.\n"
	       "\n"
	       "config --xdp [--xdp-...] sets the XDP flow monitor's thresholds and\n"
	       "allow-list instead: see 'config --xdp --help'.\n");
}

/**
 * tb_cmd_config() - "tcp-bpf config --enable-alerts | ..."
 * @argc: argument count, argv[0] being "config".
 * @argv: arguments.
 *
 * Return: a TB_EXIT_* value (tcp-policy's, when it ran).
 */
int tb_cmd_config(int argc, char **argv)
{
	enum { MONITOR = 'm', ALERTS = 'a', BLOCKING = 'b', ENFORCE = 'e' };
	static const struct option longopts[] = {
		TB_COMMON_LONGOPTS,
		{ "monitor-only",	no_argument,		NULL, MONITOR },
		{ "enable-alerts",	no_argument,		NULL, ALERTS },
		{ "enable-blocking",	no_argument,		NULL, BLOCKING },
		{ "full-enforcement",	no_argument,		NULL, ENFORCE },
		{ "syscalls",		required_argument,	NULL, 's' },
		{ "ops",		required_argument,	NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const show[] = { "mode", NULL };
	const char *args[4] = { "mode", NULL, NULL, NULL };
	char opsarg[256];
	const char *ops = NULL;
	int opt, mode = 0, ret, i;

	/* The XDP flow monitor's settings are maps, not the module's mode. */
	for (i = 1; i < argc; i++)
		if (!strncmp(argv[i], "--xdp", 5))
			return tb_xdp_config(argc, argv);
	optind = 0;
	while ((opt = getopt_long(argc, argv, "+" TB_COMMON_SHORTOPTS,
				  longopts, NULL)) != -1) {
		if (tb_common_opt(opt))
			continue;
		switch (opt) {
		case 'h':
			config_usage();
			return TB_EXIT_OK;
		case MONITOR:
		case ALERTS:
		case BLOCKING:
		case ENFORCE:
			if (mode && mode != opt) {
				tb_err("config: give one of --monitor-only, --enable-alerts, --enable-blocking, --full-enforcement");
				return TB_EXIT_USAGE;
			}
			mode = opt;
			break;
		case 's':
			ops = optarg;
			break;
		default:
			return tb_bad_option("config");
		}
	}
	if (optind < argc)
		return tb_bad_argument("config", argv[optind]);
	if (!mode) {
		tb_err("config: give one of --monitor-only, --enable-alerts, --enable-blocking --syscalls=OP,..., --full-enforcement");
		return TB_EXIT_USAGE;
	}
	if (mode == BLOCKING && (!ops || !*ops)) {
		tb_err("config: --enable-blocking needs --syscalls=OP,... (e.g. --syscalls=unlink,rmdir)");
		return TB_EXIT_USAGE;
	}
	if (mode != BLOCKING && ops) {
		tb_err("config: --syscalls= goes with --enable-blocking only");
		return TB_EXIT_USAGE;
	}

	switch (mode) {
	case MONITOR:
		args[1] = "monitor";
		break;
	case ALERTS:
		args[1] = "alerts";
		break;
	case BLOCKING:
		args[1] = "blocking";
		snprintf(opsarg, sizeof(opsarg), "--ops=%s", ops);
		args[2] = opsarg;
		break;
	default:
		args[1] = "enforce";
		break;
	}
	if (!tb_module_loaded()) {
		tb_err("the tcp_kernel module is not loaded (modprobe tcp_kernel)");
		return TB_EXIT_FAIL;
	}
	ret = tb_policy_run(args, false);
	if (ret)
		return ret;
	/* What the module now says. */
	return tb_policy_run(show, false);
}
