// SPDX-License-Identifier: GPL-2.0
/*
 * tcpk-enforce - operations a shell cannot do, for the enforcement test
 * (tools/testing/vm/tests/50-bpf-enforce.sh)
 *
 *   tcpk-enforce [-H SECONDS] OP [ARG]...
 *
 * Each OP is tried in turn and reported on one line of standard output,
 * "OP: ok" or "OP: <strerror> (errno N)":
 *
 *   mmap-wx        an anonymous PROT_READ|PROT_WRITE|PROT_EXEC mapping
 *   mprotect-wx    an anonymous read-write mapping (which must succeed),
 *                  then mprotect() to PROT_READ|PROT_EXEC (W to X)
 *   ptrace PID     PTRACE_ATTACH to PID (then PTRACE_DETACH)
 *   sethostname    sethostname() to the current host name: a use of
 *                  CAP_SYS_ADMIN that changes nothing
 *   comm           prints "comm: NAME", the command name of this process
 *
 * Then "pid N" and "done".  With -H, the program then waits SECONDS (or
 * until killed) so that "tcp-policy explain N" can be asked while it
 * lives.  Exit status: 0 if every OP succeeded, 1 if one failed, 2 for a
 * bad command line.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int report(const char *op, int err)
{
	if (!err)
		printf("%s: ok\n", op);
	else
		printf("%s: %s (errno %d)\n", op, strerror(err), err);
	fflush(stdout);
	return err ? 1 : 0;
}

static int do_mmap_wx(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return report("mmap-wx", errno);
	munmap(p, 4096);
	return report("mmap-wx", 0);
}

static int do_mprotect_wx(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int err = 0;

	if (p == MAP_FAILED) {
		printf("mprotect-wx: the read-write mapping failed: %s\n",
		       strerror(errno));
		return 1;
	}
	memset(p, 0xc3, 16);
	if (mprotect(p, 4096, PROT_READ | PROT_EXEC))
		err = errno;
	munmap(p, 4096);
	return report("mprotect-wx", err);
}

static int do_ptrace(const char *arg)
{
	pid_t pid = (pid_t)strtol(arg, NULL, 10);
	int status;

	if (pid <= 0) {
		fprintf(stderr, "tcpk-enforce: bad pid '%s'\n", arg);
		exit(2);
	}
	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL))
		return report("ptrace", errno);
	waitpid(pid, &status, __WALL);
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	return report("ptrace", 0);
}

static int do_sethostname(void)
{
	char name[256] = "";

	if (gethostname(name, sizeof(name) - 1))
		return report("sethostname", errno);
	if (sethostname(name, strlen(name)))
		return report("sethostname", errno);
	return report("sethostname", 0);
}

static int do_comm(void)
{
	char comm[64] = "";
	ssize_t n;
	int fd = open("/proc/self/comm", O_RDONLY);

	if (fd < 0)
		return report("comm", errno);
	n = read(fd, comm, sizeof(comm) - 1);
	close(fd);
	if (n <= 0)
		return report("comm", n < 0 ? errno : EIO);
	comm[strcspn(comm, "\n")] = '\0';
	printf("comm: %s\n", comm);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int hold = 0;
	int i = 1, failed = 0;

	if (argc > 2 && !strcmp(argv[1], "-H")) {
		hold = (unsigned int)strtoul(argv[2], NULL, 10);
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: tcpk-enforce [-H SECONDS] mmap-wx|mprotect-wx|ptrace PID|sethostname|comm...\n");
		return 2;
	}
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "mmap-wx")) {
			failed |= do_mmap_wx();
		} else if (!strcmp(argv[i], "mprotect-wx")) {
			failed |= do_mprotect_wx();
		} else if (!strcmp(argv[i], "ptrace") && i + 1 < argc) {
			failed |= do_ptrace(argv[++i]);
		} else if (!strcmp(argv[i], "sethostname")) {
			failed |= do_sethostname();
		} else if (!strcmp(argv[i], "comm")) {
			failed |= do_comm();
		} else {
			fprintf(stderr, "tcpk-enforce: unknown operation '%s'\n",
				argv[i]);
			return 2;
		}
	}
	printf("pid %d\ndone\n", (int)getpid());
	fflush(stdout);
	while (hold) {
		hold = sleep(hold);
	}
	return failed;
}
