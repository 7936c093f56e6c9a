// SPDX-License-Identifier: GPL-2.0
/*
 * kfunc-probe - prove the BPF-LSM -> tcp_kernel kfunc bridge end to end
 *
 * Loads ebpf/kfunc_probe.bpf.c (an lsm/file_open program that calls
 * tcpk_kfunc_security_level() for this process only), attaches it, opens a
 * file N times, detaches and reports what the program saw:
 *
 *   kfunc_calls=<n> level=<l>
 *
 * Exit status: 0 if n >= N and (with --expect-level) l is the expected
 * level; 1 if not, or if anything failed; 2 on a bad command line.
 * With --hold it stays attached after its opens until stdin reaches EOF, so
 * a test can observe that the module cannot be removed meanwhile.
 *
 * With --try-cgroup it only loads the object's other program, an
 * lsm_cgroup/socket_bind program (BPF_LSM_CGROUP) calling the same kfunc,
 * which the module's kfunc filter refuses where the kernel has one, and
 * prints one of
 *
 *   lsm_cgroup: loaded
 *   lsm_cgroup: refused by the verifier (<errno text>): <its log line>
 *
 * exiting 0 for either; 1 if the load failed in another way.  The program
 * is never attached.
 */

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

#include <bpf/libbpf.h>

#include "kfunc_probe.skel.h"

#define PROG_NAME "kfunc-probe"
#define DEFAULT_OPENS 10
#define OPEN_PATH "/proc/self/status"

/* The verifier's line when it refuses a kfunc call. */
#define KFUNC_REFUSED "calling kernel function "

static bool verbose;

/* The verifier log of the --try-cgroup load (libbpf asks for one on failure). */
static char verifier_log[1 << 20];

/* libbpf's messages, including the verifier log when a load fails. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list args)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG_NAME " [--expect-level L] [--hold] [-v] [N >= 1]\n"
		"       " PROG_NAME " --try-cgroup [-v]\n"
		"\n"
		"Attach an lsm/file_open program that calls tcp_kernel's\n"
		"tcpk_kfunc_security_level() for this process, open " OPEN_PATH "\n"
		"N times (default %d), detach and print\n"
		"  kfunc_calls=<n> level=<l>\n"
		"Exit 0 iff n >= N and, with --expect-level, l == L.\n"
		"\n"
		"  -e, --expect-level L  the security level the module must report\n"
		"  -H, --hold            after the opens, stay attached until stdin\n"
		"                        reaches end of file\n"
		"  -c, --try-cgroup      only load (never attach) an lsm_cgroup/socket_bind\n"
		"                        program calling the kfunc and print\n"
		"                          lsm_cgroup: loaded\n"
		"                        or\n"
		"                          lsm_cgroup: refused by the verifier (...): <log>\n"
		"                        exit 0 for either, 1 if the load failed otherwise\n"
		"  -v, --verbose         show libbpf's debug messages\n"
		"  -h, --help            print this help and exit\n",
		DEFAULT_OPENS);
}

static int parse_uint(const char *s, const char *what, long max, long *val)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > max) {
		fprintf(stderr, PROG_NAME ": bad %s '%s' (0..%ld)\n", what, s,
			max);
		return -1;
	}
	*val = v;
	return 0;
}

/* Block until stdin reaches end of file (or fails). */
static void hold_until_eof(void)
{
	char buf[256];
	ssize_t n;

	for (;;) {
		n = read(STDIN_FILENO, buf, sizeof(buf));
		if (n > 0 || (n < 0 && errno == EINTR))
			continue;
		if (n < 0)
			fprintf(stderr, PROG_NAME ": reading stdin: %s\n",
				strerror(errno));
		return;
	}
}

/* The last @n lines of the verifier log, to stderr. */
static void print_log_tail(int n)
{
	const char *p = verifier_log + strlen(verifier_log);

	while (p > verifier_log && p[-1] == '\n')
		p--;
	while (p > verifier_log && n > 0)
		if (*--p == '\n')
			n--;
	if (*p == '\n')
		p++;
	if (*p)
		fprintf(stderr, PROG_NAME ": verifier log, last lines:\n%s\n", p);
}

/*
 * --try-cgroup: load the lsm_cgroup/socket_bind program alone and say
 * whether the verifier let it call tcpk_kfunc_security_level().
 */
static int try_cgroup(struct kfunc_probe *skel)
{
	struct bpf_program *prog = skel->progs.tcpk_probe_cgroup_bind;
	char *line;
	int err;

	bpf_program__set_autoload(skel->progs.tcpk_probe_file_open, false);
	bpf_program__set_autoload(prog, true);
	bpf_program__set_log_buf(prog, verifier_log, sizeof(verifier_log));

	err = kfunc_probe__load(skel);
	if (!err) {
		printf("lsm_cgroup: loaded\n");
		return 0;
	}

	line = strstr(verifier_log, KFUNC_REFUSED);
	if (err == -EACCES && line) {
		line[strcspn(line, "\n")] = '\0';
		printf("lsm_cgroup: refused by the verifier (%s): %s\n",
		       strerror(-err), line);
		return 0;
	}

	fprintf(stderr,
		PROG_NAME ": cannot load the lsm_cgroup program, and not for its kfunc call: %s\n",
		strerror(-err));
	print_log_tail(10);
	return 1;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "expect-level", required_argument, NULL, 'e' },
		{ "hold",	  no_argument,	     NULL, 'H' },
		{ "try-cgroup",	  no_argument,	     NULL, 'c' },
		{ "verbose",	  no_argument,	     NULL, 'v' },
		{ "help",	  no_argument,	     NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kfunc_probe *skel;
	long expect = -1, nopens = DEFAULT_OPENS, i;
	bool hold = false, cgroup = false;
	unsigned long long calls;
	unsigned int level;
	int opt, err, fd, ret = 1;

	while ((opt = getopt_long(argc, argv, "e:Hcvh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'e':
			if (parse_uint(optarg, "level", UINT_MAX, &expect))
				return 2;
			break;
		case 'H':
			hold = true;
			break;
		case 'c':
			cgroup = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (cgroup && (hold || expect >= 0 || optind < argc)) {
		fprintf(stderr, PROG_NAME
			": --try-cgroup takes no count, --hold or --expect-level\n");
		usage(stderr);
		return 2;
	}
	if (optind < argc &&
	    (parse_uint(argv[optind++], "count", INT_MAX, &nopens) ||
	     !nopens)) {
		if (!nopens)
			fprintf(stderr, PROG_NAME ": the count must be at least 1\n");
		return 2;
	}
	if (optind < argc) {
		fprintf(stderr, PROG_NAME ": unexpected argument '%s'\n",
			argv[optind]);
		usage(stderr);
		return 2;
	}

	libbpf_set_print(libbpf_print);

	skel = kfunc_probe__open();
	if (!skel) {
		fprintf(stderr, PROG_NAME ": cannot open the BPF object: %s\n",
			strerror(errno));
		return 1;
	}
	skel->rodata->target_tgid = getpid();

	if (cgroup) {
		ret = try_cgroup(skel);
		goto out;
	}
	/* Its section's "?" says so already: only --try-cgroup loads it. */
	bpf_program__set_autoload(skel->progs.tcpk_probe_cgroup_bind, false);

	err = kfunc_probe__load(skel);
	if (err) {
		fprintf(stderr, PROG_NAME ": cannot load the BPF program: %s (%s)\n",
			strerror(-err), err == -EACCES ?
			"the verifier refused it: tcp_kernel loaded with enable_ebpf=0?" :
			"is tcp_kernel loaded, with BTF?");
		goto out;
	}
	err = kfunc_probe__attach(skel);
	if (err) {
		fprintf(stderr,
			PROG_NAME ": cannot attach to lsm/file_open: %s (is \"bpf\" in /sys/kernel/security/lsm?)\n",
			strerror(-err));
		goto out;
	}

	for (i = 0; i < nopens; i++) {
		fd = open(OPEN_PATH, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, PROG_NAME ": open %s: %s\n", OPEN_PATH,
				strerror(errno));
			goto out;
		}
		close(fd);
	}

	if (hold) {
		printf(PROG_NAME ": attached, holding until stdin closes\n");
		fflush(stdout);
		hold_until_eof();
	}

	kfunc_probe__detach(skel);

	calls = __atomic_load_n(&skel->bss->kfunc_calls, __ATOMIC_RELAXED);
	level = __atomic_load_n(&skel->bss->security_level, __ATOMIC_RELAXED);
	printf("kfunc_calls=%llu level=%u\n", calls, level);

	if (calls < (unsigned long long)nopens) {
		fprintf(stderr,
			PROG_NAME ": FAIL: the program called the kfunc %llu times for %ld opens\n",
			calls, nopens);
	} else if (expect >= 0 && level != (unsigned long)expect) {
		fprintf(stderr,
			PROG_NAME ": FAIL: the module reported level %u, expected %ld\n",
			level, expect);
	} else {
		ret = 0;
	}
out:
	kfunc_probe__destroy(skel);
	return ret;
}
