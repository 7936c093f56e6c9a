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
 *   fork           fork() a child that exits at once, and wait for it
 *   socket FAMILY TYPE
 *                  socket() of FAMILY (unix, inet, inet6) and TYPE
 *                  (stream, dgram), then close it
 *   sendto ADDR PORT
 *                  a UDP datagram to the IPv4 ADDR:PORT from another
 *                  socket, after binding a receiver there; reported as
 *                  "sendto: ..." then, when the send worked, "recv: ok"
 *                  if the datagram arrived within 2 s
 *   msgsnd KEY     msgsnd() of one message to the System V message queue
 *                  of KEY (created, then removed)
 *   shmat KEY      shmat() read-write of the System V shared memory
 *                  segment of KEY (created, then removed)
 *   shmat-ro KEY   the same, SHM_RDONLY (reported as "shmat-ro")
 *
 * A step before the OP itself that fails (the socket of sendto, the queue
 * or segment of msgsnd and shmat) is reported as "OP: STEP: <strerror>".
 * Then "pid N" and "done".  With -H, the program then waits SECONDS (or
 * until killed) so that "tcp-policy explain N" can be asked while it
 * lives.  Exit status: 0 if every OP succeeded, 1 if one failed, 2 for a
 * bad command line.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/ptrace.h>
#include <sys/shm.h>
#include <sys/socket.h>
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

/* A step before @op failed: "OP: STEP: <strerror> (errno N)". */
static int report_step(const char *op, const char *step, int err)
{
	printf("%s: %s: %s (errno %d)\n", op, step, strerror(err), err);
	fflush(stdout);
	return 1;
}

static long parse_num(const char *arg, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 0);
	if (errno || end == arg || *end) {
		fprintf(stderr, "tcpk-enforce: bad %s '%s'\n", what, arg);
		exit(2);
	}
	return v;
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

static int do_fork(void)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return report("fork", errno);
	if (!pid)
		_exit(0);
	if (waitpid(pid, &status, 0) < 0)
		return report_step("fork", "waitpid", errno);
	return report("fork", 0);
}

static int do_socket(const char *family, const char *type)
{
	int f, t, fd;

	if (!strcmp(family, "unix"))
		f = AF_UNIX;
	else if (!strcmp(family, "inet"))
		f = AF_INET;
	else if (!strcmp(family, "inet6"))
		f = AF_INET6;
	else
		f = -1;
	if (!strcmp(type, "stream"))
		t = SOCK_STREAM;
	else if (!strcmp(type, "dgram"))
		t = SOCK_DGRAM;
	else
		t = -1;
	if (f < 0 || t < 0) {
		fprintf(stderr, "tcpk-enforce: socket: bad family '%s' or type '%s'\n",
			family, type);
		exit(2);
	}
	fd = socket(f, t, 0);
	if (fd < 0)
		return report("socket", errno);
	close(fd);
	return report("socket", 0);
}

static int do_sendto(const char *addr, const char *port)
{
	static const char msg[] = "tcpk-enforce";
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct pollfd pfd = { .events = POLLIN };
	int rx, tx, err = 0;
	char buf[64];
	long p = parse_num(port, "port");

	if (p <= 0 || p > 65535 || inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "tcpk-enforce: sendto: bad address %s:%s\n",
			addr, port);
		exit(2);
	}
	sin.sin_port = htons((unsigned short)p);
	rx = socket(AF_INET, SOCK_DGRAM, 0);
	if (rx < 0)
		return report_step("sendto", "socket", errno);
	if (bind(rx, (struct sockaddr *)&sin, sizeof(sin))) {
		err = errno;
		close(rx);
		return report_step("sendto", "bind", err);
	}
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	if (tx < 0) {
		err = errno;
		close(rx);
		return report_step("sendto", "socket", err);
	}
	if (sendto(tx, msg, sizeof(msg), 0, (struct sockaddr *)&sin,
		   sizeof(sin)) < 0)
		err = errno;
	close(tx);
	if (report("sendto", err)) {
		close(rx);
		return 1;
	}
	pfd.fd = rx;
	if (poll(&pfd, 1, 2000) <= 0)
		err = ETIMEDOUT;
	else if (recv(rx, buf, sizeof(buf), MSG_DONTWAIT) != (ssize_t)sizeof(msg))
		err = errno ? errno : EIO;
	close(rx);
	return report("recv", err);
}

static int do_msgsnd(const char *arg)
{
	struct {
		long mtype;
		char mtext[16];
	} m = { .mtype = 1, .mtext = "tcpk-enforce" };
	key_t key = (key_t)parse_num(arg, "key");
	int id, err = 0;

	id = msgget(key, IPC_CREAT | 0600);
	if (id < 0)
		return report_step("msgsnd", "msgget", errno);
	if (msgsnd(id, &m, sizeof(m.mtext), IPC_NOWAIT))
		err = errno;
	msgctl(id, IPC_RMID, NULL);
	return report("msgsnd", err);
}

static int do_shmat(const char *op, const char *arg, int flags)
{
	key_t key = (key_t)parse_num(arg, "key");
	int id, err = 0;
	void *p;

	id = shmget(key, 4096, IPC_CREAT | 0600);
	if (id < 0)
		return report_step(op, "shmget", errno);
	p = shmat(id, NULL, flags);
	if (p == (void *)-1)
		err = errno;
	else
		shmdt(p);
	shmctl(id, IPC_RMID, NULL);
	return report(op, err);
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
		fprintf(stderr, "usage: tcpk-enforce [-H SECONDS] mmap-wx|mprotect-wx|ptrace PID|sethostname|comm|\n"
				"       fork|socket FAMILY TYPE|sendto ADDR PORT|msgsnd KEY|shmat KEY|shmat-ro KEY...\n");
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
		} else if (!strcmp(argv[i], "fork")) {
			failed |= do_fork();
		} else if (!strcmp(argv[i], "socket") && i + 2 < argc) {
			failed |= do_socket(argv[i + 1], argv[i + 2]);
			i += 2;
		} else if (!strcmp(argv[i], "sendto") && i + 2 < argc) {
			failed |= do_sendto(argv[i + 1], argv[i + 2]);
			i += 2;
		} else if (!strcmp(argv[i], "msgsnd") && i + 1 < argc) {
			failed |= do_msgsnd(argv[++i]);
		} else if (!strcmp(argv[i], "shmat") && i + 1 < argc) {
			failed |= do_shmat("shmat", argv[++i], 0);
		} else if (!strcmp(argv[i], "shmat-ro") && i + 1 < argc) {
			failed |= do_shmat("shmat-ro", argv[++i], SHM_RDONLY);
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
