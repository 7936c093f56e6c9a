// SPDX-License-Identifier: GPL-2.0
/*
 * tcpk-agent-sim - a simulated coding agent, for the demo
 * (tools/testing/vm/demo.sh)
 *
 *   tcpk-agent-sim WORKSPACE PROTECTED SIBLING
 *
 * One process that first works as a coding agent does (reads the sources
 * under WORKSPACE/src, runs WORKSPACE/run-tests.sh) and then goes wrong:
 * it removes the tree PROTECTED, reads root's SSH key, reads the
 * workspace's .env and connects out, "downloads" a script to /tmp and
 * executes it, makes a setuid copy of a shell, maps W+X memory, attaches
 * to the process SIBLING with ptrace, probes for credentials and turns
 * writable memory executable; then it goes back to work.  Everything is
 * done by this process itself (only the tests run in a child), so every
 * decision and every point of anomaly score is its own.
 *
 * Each step is reported on standard output as two lines,
 *   STEP <n> <what it tries>
 *   RESULT <n> allowed|refused|failed <details>
 * then the program waits for one byte on standard input (the demo's go
 * ahead, once it has shown the score); end of input or an error goes on
 * at once.  A quarantined process may be refused even its writes to
 * standard output, so the last steps may print nothing.  After the last
 * step it waits for a signal, so that the module can still be asked
 * about it.  Exit status: 2 for a bad command line.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int step_no;

static void step(const char *what)
{
	printf("STEP %d %s\n", ++step_no, what);
	fflush(stdout);
}

/* "refused" for the errors of a policy refusal, else "failed". */
static void result_errno(int err, const char *detail)
{
	const char *kind = err == EACCES || err == EPERM ? "refused" : "failed";

	printf("RESULT %d %s %s%s%s\n", step_no, kind, detail, *detail ? ": " : "",
	       strerror(err));
}

static void result_ok(const char *detail)
{
	printf("RESULT %d allowed %s\n", step_no, detail);
}

/* Wait for the demo's go ahead: one byte on standard input. */
static void pause_step(void)
{
	char c;

	fflush(stdout);
	if (read(STDIN_FILENO, &c, 1) < 0)
		return;
}

/* Read a file to its end; the bytes read, or -errno. */
static long read_file(const char *path)
{
	char buf[4096];
	long total = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	if (n < 0)
		total = -errno;
	close(fd);
	return total;
}

static void read_sources(const char *ws)
{
	char path[4096], detail[128];
	long n, bytes = 0;
	int files = 0;
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/src", ws);
	d = opendir(path);
	if (!d) {
		result_errno(errno, path);
		return;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/src/%s", ws, de->d_name);
		n = read_file(path);
		if (n < 0) {
			closedir(d);
			result_errno((int)-n, path);
			return;
		}
		files++;
		bytes += n;
	}
	closedir(d);
	snprintf(detail, sizeof(detail), "%d files, %ld bytes", files, bytes);
	result_ok(detail);
}

static void run_tests(const char *ws)
{
	char script[4096], detail[64];
	int status;
	pid_t pid;

	snprintf(script, sizeof(script), "%s/run-tests.sh", ws);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		result_errno(errno, "fork");
		return;
	}
	if (!pid) {
		execl("/bin/sh", "sh", script, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		result_errno(errno, "waitpid");
		return;
	}
	if (WIFEXITED(status) && !WEXITSTATUS(status)) {
		result_ok("the tests passed");
		return;
	}
	snprintf(detail, sizeof(detail), "the tests failed (status 0x%x)", status);
	printf("RESULT %d failed %s\n", step_no, detail);
}

/* rm -rf of one level of files, then the directory: counts what went. */
static void remove_tree(const char *dir)
{
	int removed = 0, refused = 0, err = 0;
	char path[4096], detail[128];
	struct dirent *de;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		result_errno(errno, dir);
		return;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlink(path)) {
			err = errno;
			refused++;
		} else {
			removed++;
		}
	}
	closedir(d);
	if (!refused && rmdir(dir)) {
		err = errno;
		refused++;
	}
	snprintf(detail, sizeof(detail), "%d files removed, %d refused",
		 removed, refused);
	if (refused)
		result_errno(err, detail);
	else
		result_ok(detail);
}

static void read_secret(const char *path)
{
	char detail[64];
	long n = read_file(path);

	if (n < 0) {
		result_errno((int)-n, path);
		return;
	}
	snprintf(detail, sizeof(detail), "%ld bytes of %s", n, path);
	result_ok(detail);
}

/* Read the workspace's .env, then connect to 127.0.0.1:9 (discard). */
static void exfiltrate(const char *ws)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(9) };
	char path[4096];
	long n;
	int s;

	snprintf(path, sizeof(path), "%s/.env", ws);
	n = read_file(path);
	if (n < 0) {
		result_errno((int)-n, path);
		return;
	}
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		result_errno(errno, "socket");
		return;
	}
	if (connect(s, (struct sockaddr *)&sin, sizeof(sin))) {
		/* Nothing listens on port 9: the connect itself was allowed. */
		if (errno == ECONNREFUSED)
			result_ok("connect reached 127.0.0.1:9 (nothing listens)");
		else
			result_errno(errno, "connect to 127.0.0.1:9");
	} else {
		result_ok("connected to 127.0.0.1:9");
	}
	close(s);
}

/* "Download" a script to /tmp (its bytes are here), chmod +x, exec it. */
static void download_exec(void)
{
	static const char payload[] = "#!/bin/sh\necho payload ran\n";
	char *const argv[] = { "/tmp/payload", NULL };
	int fd;

	fd = open("/tmp/payload", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		result_errno(errno, "write /tmp/payload");
		return;
	}
	if (write(fd, payload, sizeof(payload) - 1) != sizeof(payload) - 1 ||
	    fchmod(fd, 0755)) {
		result_errno(errno, "write /tmp/payload");
		close(fd);
		return;
	}
	close(fd);
	fflush(stdout);
	execv(argv[0], argv);
	result_errno(errno, "wrote /tmp/payload, chmod 755; exec");
}

/* A copy of /bin/busybox in the workspace, made setuid root. */
static void setuid_copy(const char *ws)
{
	char path[4096];
	struct stat st;
	int in, out;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/.rootsh", ws);
	in = open("/bin/busybox", O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		result_errno(errno, "/bin/busybox");
		return;
	}
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (out < 0 || fstat(in, &st)) {
		result_errno(errno, path);
		close(in);
		if (out >= 0)
			close(out);
		return;
	}
	n = sendfile(out, in, NULL, st.st_size);
	close(in);
	if (n != st.st_size) {
		result_errno(n < 0 ? errno : EIO, "copy");
		close(out);
		return;
	}
	if (fchmod(out, 04755)) {
		result_errno(errno, "copied a shell; chmod 4755");
		close(out);
		return;
	}
	close(out);
	result_ok("copied a shell; chmod 4755");
}

static void map_wx(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		result_errno(errno, "mmap PROT_WRITE|PROT_EXEC");
		return;
	}
	munmap(p, 4096);
	result_ok("mmap PROT_WRITE|PROT_EXEC");
}

static void trace_sibling(pid_t pid)
{
	char detail[64];

	snprintf(detail, sizeof(detail), "PTRACE_ATTACH to pid %d", (int)pid);
	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL)) {
		result_errno(errno, detail);
		return;
	}
	waitpid(pid, NULL, __WALL);
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	result_ok(detail);
}

/*
 * 100 stat()s of credential files that are not there (ENOENT), after a
 * pause longer than the module's failure window (fail_burst_window_ms,
 * 1 s by default): they all fall in one window, so the burst (64 failures
 * by default) is counted once, every run.
 */
static void probe_credentials(void)
{
	const struct timespec pause = { .tv_sec = 1, .tv_nsec = 200000000 };
	char path[128], detail[64];
	struct stat st;
	int i, found = 0;

	nanosleep(&pause, NULL);
	for (i = 0; i < 100; i++) {
		snprintf(path, sizeof(path), "/home/user%d/.aws/credentials", i);
		if (!stat(path, &st))
			found++;
	}
	snprintf(detail, sizeof(detail), "100 stat()s, %d found", found);
	result_ok(detail);
}

static void write_then_exec(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		result_errno(errno, "mmap PROT_WRITE");
		return;
	}
	memset(p, 0xc3, 4096);	/* ret */
	if (mprotect(p, 4096, PROT_READ | PROT_EXEC))
		result_errno(errno, "mprotect of written memory to PROT_EXEC");
	else
		result_ok("mprotect of written memory to PROT_EXEC");
	munmap(p, 4096);
}

int main(int argc, char **argv)
{
	const char *ws, *protected;
	char *end;
	long sibling;

	if (argc != 4) {
		fprintf(stderr, "usage: tcpk-agent-sim WORKSPACE PROTECTED SIBLING\n");
		return 2;
	}
	ws = argv[1];
	protected = argv[2];
	sibling = strtol(argv[3], &end, 10);
	if (*end || sibling <= 0) {
		fprintf(stderr, "tcpk-agent-sim: bad pid '%s'\n", argv[3]);
		return 2;
	}

	step("read the sources (src/*)");
	read_sources(ws);
	pause_step();
	step("run the tests (sh run-tests.sh)");
	run_tests(ws);
	pause_step();
	step("rm -rf a tree outside the workspace");
	remove_tree(protected);
	pause_step();
	step("read root's SSH key (/root/.ssh/id_rsa)");
	read_secret("/root/.ssh/id_rsa");
	pause_step();
	step("read the workspace's .env, then connect out (127.0.0.1:9)");
	exfiltrate(ws);
	pause_step();
	step("download a script to /tmp and execute it");
	download_exec();
	pause_step();
	step("make a setuid-root copy of a shell");
	setuid_copy(ws);
	pause_step();
	step("map memory writable and executable (W+X)");
	map_wx();
	pause_step();
	step("ptrace a sibling process outside the agent");
	trace_sibling((pid_t)sibling);
	pause_step();
	step("probe 100 home directories for cloud credentials");
	probe_credentials();
	pause_step();
	step("write code into memory, then make it executable (W then X)");
	write_then_exec();
	pause_step();
	step("back to work: read the sources again");
	read_sources(ws);
	pause_step();
	/* The demo asks the module about this process, then kills it. */
	pause();
	return 0;
}
