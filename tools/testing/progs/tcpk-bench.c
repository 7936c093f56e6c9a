// SPDX-License-Identifier: GPL-2.0
/*
 * tcpk-bench - per-operation cost of common system calls, for make bench
 *
 *   tcpk-bench [-t MS] [-d DIR] [OP...]
 *   tcpk-bench true
 *
 * Measures each OP (default: all, in this order) and prints one line per
 * operation on standard output:
 *
 *	op=<name> n=<iterations> ns=<nanoseconds per operation>
 *
 * getpid	the raw getpid system call
 * open		open(O_RDONLY) and close of a file in DIR (default /tmp)
 * stat		stat of that file
 * exec		fork, exec of this program as "tcpk-bench true", waitpid
 * connect	socket, connect to a loopback TCP listener of this process,
 *		accept, close of both ends
 * mmap		mmap of one anonymous page, a write to it, munmap
 * pipe		one byte to a child process and one byte back, over two pipes
 *
 * The number of iterations is calibrated so that each measurement takes
 * about MS milliseconds (default 100) of CLOCK_MONOTONIC time: one
 * warm-up iteration, doubling batches until one takes a tenth of that,
 * then one timed run.  Linked
 * statically, so "tcpk-bench true" is a static /bin/true needing no
 * libraries (it exits 0 at once).  Under QEMU TCG only ratios measured
 * in one boot mean anything.
 */

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char self[4096];
static char file[4096];
static int listen_fd = -1;
static struct sockaddr_in listen_addr;
static int ping[2] = { -1, -1 }, pong[2] = { -1, -1 };
static pid_t ponger = -1;

static void die(const char *what)
{
	fprintf(stderr, "tcpk-bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* --- the operations: each runs N times ----------------------------------- */

static void op_getpid(long n)
{
	while (n--)
		syscall(SYS_getpid);
}

static void op_open(long n)
{
	int fd;

	while (n--) {
		fd = open(file, O_RDONLY);
		if (fd < 0)
			die(file);
		close(fd);
	}
}

static void op_stat(long n)
{
	struct stat st;

	while (n--)
		if (stat(file, &st))
			die(file);
}

static void op_exec(long n)
{
	char *argv[] = { "tcpk-bench", "true", NULL };
	char *envp[] = { NULL };
	int status;
	pid_t pid;

	while (n--) {
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			execve(self, argv, envp);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) != pid)
			die("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "tcpk-bench: exec of %s: status %#x\n",
				self, status);
			exit(1);
		}
	}
}

static void op_connect(long n)
{
	int c, a;

	while (n--) {
		c = socket(AF_INET, SOCK_STREAM, 0);
		if (c < 0)
			die("socket");
		if (connect(c, (struct sockaddr *)&listen_addr,
			    sizeof(listen_addr)))
			die("connect");
		a = accept(listen_fd, NULL, NULL);
		if (a < 0)
			die("accept");
		close(a);
		close(c);
	}
}

static void op_mmap(long n)
{
	long page = sysconf(_SC_PAGESIZE);
	volatile char *p;

	while (n--) {
		p = mmap(NULL, page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			die("mmap");
		p[0] = 1;
		if (munmap((void *)p, page))
			die("munmap");
	}
}

static void op_pipe(long n)
{
	char b = 0;

	while (n--) {
		if (write(ping[1], &b, 1) != 1)
			die("write");
		if (read(pong[0], &b, 1) != 1)
			die("read");
	}
}

/* --- set-up and tear-down of the operations that need them ------------- */

static void setup_file(const char *dir)
{
	int fd;

	snprintf(file, sizeof(file), "%s/tcpk-bench.%d", dir, (int)getpid());
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die(file);
	close(fd);
}

static void setup_connect(void)
{
	socklen_t len = sizeof(listen_addr);

	listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	if (listen_fd < 0)
		die("socket");
	memset(&listen_addr, 0, sizeof(listen_addr));
	listen_addr.sin_family = AF_INET;
	listen_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(listen_fd, (struct sockaddr *)&listen_addr, len) ||
	    listen(listen_fd, 16) ||
	    getsockname(listen_fd, (struct sockaddr *)&listen_addr, &len))
		die("loopback listener");
}

static void teardown_connect(void)
{
	close(listen_fd);
	listen_fd = -1;
}

static void setup_pipe(void)
{
	char b;

	if (pipe(ping) || pipe(pong))
		die("pipe");
	ponger = fork();
	if (ponger < 0)
		die("fork");
	if (ponger == 0) {
		close(ping[1]);
		close(pong[0]);
		while (read(ping[0], &b, 1) == 1)
			if (write(pong[1], &b, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(ping[0]);
	close(pong[1]);
}

static void teardown_pipe(void)
{
	close(ping[1]);
	close(pong[0]);
	waitpid(ponger, NULL, 0);
	ponger = -1;
}

static const struct bench_op {
	const char *name;
	void (*run)(long n);
	void (*setup)(void);
	void (*teardown)(void);
} ops[] = {
	{ .name = "getpid", .run = op_getpid },
	{ .name = "open", .run = op_open },
	{ .name = "stat", .run = op_stat },
	{ .name = "exec", .run = op_exec },
	{ .name = "connect", .run = op_connect,
	  .setup = setup_connect, .teardown = teardown_connect },
	{ .name = "mmap", .run = op_mmap },
	{ .name = "pipe", .run = op_pipe,
	  .setup = setup_pipe, .teardown = teardown_pipe },
};

#define NOPS (sizeof(ops) / sizeof(ops[0]))

/*
 * measure: one warm-up iteration, doubling batches until one takes a
 * tenth of budget_ns, then one timed run of about budget_ns.
 */
static void measure(const struct bench_op *op, double budget_ns)
{
	double t0, dt = 0, per;
	long n = 1;

	if (op->setup)
		op->setup();
	/*
	 * One untimed run first: the first decision of a kind may miss
	 * every cache, and the pipe's partner may not be running yet; a
	 * calibration on it alone would give far too few iterations.
	 */
	op->run(1);
	for (;;) {
		t0 = now_ns();
		op->run(n);
		dt = now_ns() - t0;
		if (dt >= budget_ns / 10 || n >= 1L << 40)
			break;
		n *= 2;
	}
	per = dt > 0 ? dt / n : 1;
	n = (long)(budget_ns / per);
	if (n < 1)
		n = 1;
	t0 = now_ns();
	op->run(n);
	dt = now_ns() - t0;
	if (op->teardown)
		op->teardown();
	printf("op=%s n=%ld ns=%.1f\n", op->name, n, dt / n);
	fflush(stdout);
}

static void usage(void)
{
	unsigned int i;

	fprintf(stderr, "usage: tcpk-bench [-t MS] [-d DIR] [OP...] | true\nOPs:");
	for (i = 0; i < NOPS; i++)
		fprintf(stderr, " %s", ops[i].name);
	fprintf(stderr, "\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *dir = "/tmp";
	double budget_ms = 100;
	unsigned int i;
	ssize_t len;
	char *end;
	int c;

	if (argc == 2 && !strcmp(argv[1], "true"))
		return 0;
	while ((c = getopt(argc, argv, "t:d:")) != -1) {
		switch (c) {
		case 't':
			budget_ms = strtod(optarg, &end);
			if (*end || budget_ms <= 0)
				usage();
			break;
		case 'd':
			dir = optarg;
			break;
		default:
			usage();
		}
	}
	for (c = optind; c < argc; c++) {
		for (i = 0; i < NOPS; i++)
			if (!strcmp(argv[c], ops[i].name))
				break;
		if (i == NOPS)
			usage();
	}

	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len < 0)
		die("/proc/self/exe");
	self[len] = '\0';
	signal(SIGPIPE, SIG_IGN);
	setup_file(dir);

	for (i = 0; i < NOPS; i++) {
		if (optind < argc) {
			for (c = optind; c < argc; c++)
				if (!strcmp(argv[c], ops[i].name))
					break;
			if (c == argc)
				continue;
		}
		measure(&ops[i], budget_ms * 1e6);
	}
	unlink(file);
	return 0;
}
