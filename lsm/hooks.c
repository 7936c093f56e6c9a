// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - decisions at the LSM hooks, the kfuncs BPF-LSM programs call
 *
 * Guiding rules:
 *
 * - One kfunc per hook, taking the hook's own arguments (ebpf/tcpk_lsm.bpf.c
 *   passes them on unchanged).  The module builds the request - subject,
 *   operation, object path or address, access bits, descriptor flags - and
 *   asks the policy engine; the program returns the answer.
 * - The kfuncs run in the hook's context: process context, any lock the
 *   kernel holds around the hook, under RCU (non-sleepable programs) or
 *   not (the sleepable exec program).  They never sleep and take no lock
 *   a hook's caller may hold: in particular no task_lock() (ptrace checks
 *   run under the target's).  Hooks called outside a task (interrupts),
 *   by kernel threads, or at security level 0 are allowed at once.
 * - Cheap when nothing watches: before any path is resolved, the fast path
 *   (tcpk_policy_fast_allow()) allows an operation that no rule of the
 *   current set can match for this subject, unless the process is
 *   quarantined.
 * - Paths are resolved into a per-CPU scratch area with preemption
 *   disabled, so a task is never preempted while it holds the area; hooks
 *   do not nest on a CPU in task context.
 * - With enable_lsm=0 every decision is still taken, counted and recorded,
 *   but nothing is refused.
 */

#include <crypto/hash.h>
#include <linux/binfmts.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/capability.h>
#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ipc.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/net.h>
#include <linux/path.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/security.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/shm.h>
#include <uapi/linux/shm.h>
#include <linux/socket.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/un.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <asm/syscall.h>

#include "behavior/feed.h"
#include "core/common.h"
#include "core/compat.h"
#include "core/stats.h"
#include "descdb/descdb.h"
#include "lsm/kfuncs.h"
#include "lsm/object.h"
#include "policy/policy.h"
#include "policy/proc.h"

/* IMA's algorithm number of SHA-256 (enum hash_algo, HASH_ALGO_SHA256). */
#define TCPK_IMA_ALGO_SHA256	4

/* Default of the module parameter exec_digest_cache. */
#define TCPK_DIGEST_CACHE_DEFAULT	1024

static unsigned int exec_digest_cache = TCPK_DIGEST_CACHE_DEFAULT;
module_param(exec_digest_cache, uint, 0444);
MODULE_PARM_DESC(exec_digest_cache,
		 "Executables whose SHA-256 digest is remembered, per inode, a power of two up to 65536; 0 for none (default 1024)");

/**
 * struct tcpk_hook_scratch - one CPU's buffers for a decision
 * @path: the object's path (or address text).
 * @exe: the subject's executable path.
 */
struct tcpk_hook_scratch {
	char path[TCPK_PATH_MAX];
	char exe[TCPK_PATH_MAX];
};

/*
 * Per-CPU scratch: used only between tcpk_hook_start() and
 * tcpk_hook_end(), with preemption disabled, by the one task running on
 * the CPU.
 */
static struct tcpk_hook_scratch __percpu *tcpk_scratch;

/**
 * struct tcpk_digest_slot - one remembered executable digest
 * @dev: the file system's device.
 * @ino: the inode number.
 * @gen: the inode's generation.
 * @ctime: its change time (ns) when the digest was taken.
 * @size: its size then.
 * @digest: the SHA-256 digest.
 */
struct tcpk_digest_slot {
	dev_t dev;
	unsigned long ino;
	u32 gen;
	s64 ctime;
	loff_t size;
	u8 digest[TCPK_DESC_DIGEST_LEN];
};

/**
 * struct tcpk_hooks - the hooks' state, fixed between tcpk_hooks_init()
 *	and tcpk_hooks_exit()
 * @md5: the command-name hash (descriptors bound by name), or NULL.
 * @digests: the digest cache, direct-mapped on the inode (@digest_mask + 1
 *	slots), or NULL.
 * @digest_mask: slots - 1.
 * @digest_lock: protects every slot of @digests; taken with interrupts
 *	off, held for a copy only.
 */
struct tcpk_hooks {
	struct crypto_shash *md5;
	struct tcpk_digest_slot *digests;
	u32 digest_mask;
	spinlock_t digest_lock;	/* every slot of @digests */
};

static struct tcpk_hooks tcpk_hooks;

/**
 * struct tcpk_hook - one decision in the making
 * @req: the request.
 * @buf: this CPU's scratch area, from tcpk_hook_start() on.
 * @agent: the subject's agent session, or NULL (valid under RCU).
 * @comm: the subject's command name.
 */
struct tcpk_hook {
	struct tcpk_request req;
	struct tcpk_hook_scratch *buf;
	struct tcpk_agent *agent;
	char comm[TASK_COMM_LEN];
};

/* --- the common path ------------------------------------------------------- */

/*
 * The subject's system call, or -1 when it is not in one or in a 32-bit
 * (ia32) one: system call descriptors and rules are bound to x86_64
 * numbers, and an ia32 number means another call (11 is execve there,
 * munmap here), so it must bind nothing rather than the wrong thing.
 */
static s32 tcpk_current_syscall(void)
{
	if (current->flags & (PF_KTHREAD | PF_IO_WORKER) || in_ia32_syscall())
		return -1;
	return syscall_get_nr(current, task_pt_regs(current));
}

/* @req's descriptor: that of @bind's identity, if there is one.  Under RCU. */
static bool tcpk_req_desc(struct tcpk_request *req,
			  const struct tcpk_desc_binding *bind)
{
	const struct tcpk_desc_entry *e = tcpk_descdb_lookup(bind);

	if (!e)
		return false;
	req->desc_flags = e->flags;
	req->desc_kind = bind->kind;
	return true;
}

/* @req's descriptor: the one bound to its system call, if any. */
static void tcpk_syscall_desc(struct tcpk_request *req)
{
	struct tcpk_desc_binding bind = { .kind = TCPK_DESC_KEY_SYSCALL };

	if (req->syscall < 0 || req->syscall >= TCPK_DESC_SYSCALL_NR_MAX)
		return;
	bind.syscall = req->syscall;
	tcpk_req_desc(req, &bind);
}

/*
 * Whether the hook allows @op by current at once, with no request: level
 * 0, not a user task, or the fast path (a process neither quarantined nor
 * at its violation limit, and no rule that can match).  Counts the kfunc
 * call.
 */
static bool tcpk_hook_quiet(u32 op)
{
	bool quiet;

	tcpk_stat_inc(TCPK_STAT_KFUNC_CALLS);
	if (tcpk_security_level_get() == TCPK_LEVEL_OFF || !in_task() ||
	    (current->flags & PF_KTHREAD))
		return true;

	rcu_read_lock();
	quiet = !tcpk_proc_restricted(current->tgid,
				      tcpk_policy_max_violations()) &&
		tcpk_policy_fast_allow(op, tcpk_agent_of(current));
	rcu_read_unlock();
	return quiet;
}

/*
 * Starts the request of @op by current, after tcpk_hook_quiet() said no:
 * takes RCU, disables preemption, fills in @h's subject and gives it this
 * CPU's scratch area.  tcpk_hook_end() must follow.
 */
static void tcpk_hook_start(struct tcpk_hook *h, u32 op)
	__acquires(RCU)
{
	rcu_read_lock();
	preempt_disable();
	h->buf = this_cpu_ptr(tcpk_scratch);
	h->agent = tcpk_agent_of(current);
	memset(&h->req, 0, sizeof(h->req));
	tcpk_request_from_task(&h->req, current, h->comm, h->buf->exe,
			       sizeof(h->buf->exe));
	h->req.op = op;
	h->req.syscall = tcpk_current_syscall();
	h->req.target = TCPK_SCOPE_ANY;
	if (op != TCPK_OP_EXEC)
		tcpk_syscall_desc(&h->req);
}

/*
 * Decides @h's request and ends what tcpk_hook_start() started.  Returns
 * the kfunc's verdict: 0, @deny_err or %TCPK_HOOK_KILL.
 */
static int tcpk_hook_end(struct tcpk_hook *h, int deny_err)
	__releases(RCU)
{
	struct tcpk_decision d;

	tcpk_policy_decide(&h->req, &d);
	preempt_enable();
	rcu_read_unlock();

	if (d.verdict != TCPK_VERDICT_DENY || !tcpk_config.enable_lsm)
		return 0;
	if (d.flags & BIT(TCPK_DECISION_F_KILL))
		return TCPK_HOOK_KILL;
	return deny_err;
}

/* d_path() of @path into @h's path buffer, or NULL if it does not fit. */
static const char *tcpk_hook_path(struct tcpk_hook *h, const struct path *path)
{
	char *p = d_path(path, h->buf->path, sizeof(h->buf->path));

	return IS_ERR(p) ? NULL : p;
}

/*
 * The path of @dentry in the directory @dir: d_path() of the directory,
 * leaving room for "/name" at the end of @h's path buffer, then the name;
 * NULL if it does not fit.
 */
static const char *tcpk_hook_child_path(struct tcpk_hook *h,
					const struct path *dir,
					const struct dentry *dentry)
{
	size_t size = sizeof(h->buf->path), nlen = dentry->d_name.len;
	char *p;

	if (nlen + 2 >= size)
		return NULL;
	p = d_path(dir, h->buf->path, size - nlen - 1);
	if (IS_ERR(p))
		return NULL;
	return tcpk_path_append(p, h->buf->path + size - p,
				(const char *)dentry->d_name.name, nlen);
}

/* The key an agent's "written files" remember an inode by; never 0. */
static u64 tcpk_inode_key(const struct inode *inode)
{
	return ((u64)new_encode_dev(inode->i_sb->s_dev) << 32 ^
		inode->i_ino ^ (u64)inode->i_generation << 48) | 1;
}

__bpf_kfunc_start_defs();

/* --- exec ------------------------------------------------------------------ */

/* The digest cache slot of @inode.  Caller holds digest_lock. */
static struct tcpk_digest_slot *tcpk_digest_slot(const struct inode *inode)
{
	u32 h = hash_64((u64)inode->i_sb->s_dev << 32 ^ inode->i_ino, 32);

	return &tcpk_hooks.digests[h & tcpk_hooks.digest_mask];
}

/*
 * The inode's change time: any write or metadata change moves it, and no
 * user can set it back (utimensat() sets mtime, not ctime).
 */
static s64 tcpk_inode_ctime(const struct inode *inode)
{
	struct timespec64 ts = inode_get_ctime(inode);

	return timespec64_to_ns(&ts);
}

static bool tcpk_digest_slot_is(const struct tcpk_digest_slot *s,
				const struct inode *inode)
{
	return s->dev == inode->i_sb->s_dev && s->ino == inode->i_ino &&
	       s->gen == inode->i_generation &&
	       s->ctime == tcpk_inode_ctime(inode) &&
	       s->size == i_size_read(inode);
}

/* Copies @inode's remembered digest into @out; false if there is none. */
static bool tcpk_digest_get(const struct inode *inode, u8 *out)
{
	struct tcpk_digest_slot *s;
	unsigned long flags;
	bool found;

	if (!tcpk_hooks.digests)
		return false;
	spin_lock_irqsave(&tcpk_hooks.digest_lock, flags);
	s = tcpk_digest_slot(inode);
	found = tcpk_digest_slot_is(s, inode);
	if (found && out)
		memcpy(out, s->digest, TCPK_DESC_DIGEST_LEN);
	spin_unlock_irqrestore(&tcpk_hooks.digest_lock, flags);
	return found;
}

static void tcpk_digest_put(const struct inode *inode, const u8 *digest)
{
	struct tcpk_digest_slot *s;
	unsigned long flags;

	if (!tcpk_hooks.digests)
		return;
	spin_lock_irqsave(&tcpk_hooks.digest_lock, flags);
	s = tcpk_digest_slot(inode);
	s->dev = inode->i_sb->s_dev;
	s->ino = inode->i_ino;
	s->gen = inode->i_generation;
	s->ctime = tcpk_inode_ctime(inode);
	s->size = i_size_read(inode);
	memcpy(s->digest, digest, TCPK_DESC_DIGEST_LEN);
	spin_unlock_irqrestore(&tcpk_hooks.digest_lock, flags);
}

/**
 * tcpk_hook_exec_wants_digest() - whether the exec program should compute
 *	the executable's digest
 * @bprm: the hook's argument.
 *
 * Called by the sleepable ``lsm.s/bprm_check_security`` program before it
 * asks IMA (bpf_ima_file_hash()) for the digest of @bprm->file: the
 * module wants one when the security level is not 0, some descriptor is
 * bound to a digest, and it has none cached for this inode (or one taken
 * before the file last changed).  BPF_PROG_TYPE_LSM programs only.  Never
 * sleeps.
 *
 * Return: 1 if the program should hash the file, else 0.
 */
__bpf_kfunc int tcpk_hook_exec_wants_digest(struct linux_binprm *bprm)
{
	if (tcpk_security_level_get() == TCPK_LEVEL_OFF || !bprm->file ||
	    !tcpk_descdb_has_kind(TCPK_DESC_KEY_DIGEST))
		return 0;
	return !tcpk_digest_get(file_inode(bprm->file), NULL);
}

/* @req's descriptor, the executable's: by digest, path, then name. */
static void tcpk_exec_desc(struct tcpk_request *req, const u8 *digest)
{
	struct tcpk_desc_binding bind = {};
	const char *name;
	u8 md5[16];

	if (digest) {
		bind.kind = TCPK_DESC_KEY_DIGEST;
		memcpy(bind.digest, digest, TCPK_DESC_DIGEST_LEN);
		if (tcpk_req_desc(req, &bind))
			return;
	}
	if (!req->path)
		return;
	bind.kind = TCPK_DESC_KEY_PATH;
	bind.path = req->path;
	bind.path_len = strlen(req->path);
	if (tcpk_req_desc(req, &bind) || !tcpk_hooks.md5)
		return;

	name = strrchr(req->path, '/');
	name = name ? name + 1 : req->path;
	{
		SHASH_DESC_ON_STACK(desc, tcpk_hooks.md5);

		desc->tfm = tcpk_hooks.md5;
		if (crypto_shash_digest(desc, name, strlen(name), md5))
			return;
	}
	bind.kind = TCPK_DESC_KEY_NAME;
	bind.cmd_hash = (u32)md5[0] << 24 | (u32)md5[1] << 16 |
			(u32)md5[2] << 8 | md5[3];
	tcpk_req_desc(req, &bind);
}

/**
 * tcpk_hook_exec() - decide an exec (bprm_check_security)
 * @bprm: the hook's argument.
 * @digest: the executable's digest as IMA computed it, if it did.
 * @digest__sz: size of @digest (the program's buffer).
 * @ima_algo: what bpf_ima_file_hash() returned: IMA's algorithm number
 *	(SHA-256 is the one used), or a negative errno or -1 when the
 *	program did not hash.
 *
 * The object is the file being executed (d_path() of @bprm->file: symbolic
 * links resolved; for a script, the script, and then its interpreter in a
 * second call); its descriptor is the one bound to its digest, else to its
 * path, else to its name.  The digest, when given, is remembered for the
 * inode.  ``agent-written`` is set when the subject's agent session wrote
 * the file.  Called by the sleepable ``lsm.s/bprm_check_security``
 * program; BPF_PROG_TYPE_LSM only.  Never sleeps.
 *
 * Return: 0, -EACCES or %TCPK_HOOK_KILL.
 */
__bpf_kfunc int tcpk_hook_exec(struct linux_binprm *bprm, u8 *digest,
			       u32 digest__sz, int ima_algo)
{
	u8 cached[TCPK_DESC_DIGEST_LEN];
	const u8 *dig = NULL;
	struct inode *inode;
	struct tcpk_hook h;

	tcpk_proc_exec_hooked();
	if (!bprm->file)
		return 0;
	inode = file_inode(bprm->file);
	if (ima_algo == TCPK_IMA_ALGO_SHA256 &&
	    digest__sz >= TCPK_DESC_DIGEST_LEN) {
		tcpk_digest_put(inode, digest);
		dig = digest;
	} else if (tcpk_digest_get(inode, cached)) {
		dig = cached;
	}

	if (tcpk_hook_quiet(TCPK_OP_EXEC))
		return 0;
	tcpk_hook_start(&h, TCPK_OP_EXEC);
	h.req.access = BIT(TCPK_ACCESS_EXEC);
	h.req.path = tcpk_hook_path(&h, &bprm->file->f_path);
	if (h.agent && tcpk_agent_wrote(h.agent, tcpk_inode_key(inode)))
		h.req.access |= BIT(TCPK_ACCESS_AGENT_WRITTEN);
	tcpk_exec_desc(&h.req, dig);
	return tcpk_hook_end(&h, -EACCES);
}

/* --- tasks ----------------------------------------------------------------- */

/**
 * tcpk_hook_task_alloc() - decide the creation of a task (task_alloc)
 * @task: the new task (not yet running).
 * @clone_flags: its clone flags.
 *
 * A ``fork`` request of current (the parent).  BPF_PROG_TYPE_LSM only.
 * Never sleeps.
 *
 * Return: 0, -EACCES or %TCPK_HOOK_KILL.
 */
__bpf_kfunc int tcpk_hook_task_alloc(struct task_struct *task,
				     unsigned long clone_flags)
{
	struct tcpk_hook h;

	if (tcpk_hook_quiet(TCPK_OP_FORK))
		return 0;
	tcpk_hook_start(&h, TCPK_OP_FORK);
	return tcpk_hook_end(&h, -EACCES);
}

/**
 * tcpk_hook_task_free() - a task is freed (task_free)
 * @task: the task.
 *
 * Counted only: the module follows processes with the scheduler's
 * tracepoints and frees a process's state when its last thread exits.
 * BPF_PROG_TYPE_LSM only.  Any context (task_free runs from RCU callbacks
 * too).
 */
__bpf_kfunc void tcpk_hook_task_free(struct task_struct *task)
{
	tcpk_stat_inc(TCPK_STAT_KFUNC_CALLS);
}

/**
 * tcpk_hook_ptrace() - decide a ptrace access (ptrace_access_check)
 * @child: the task to be traced or inspected.
 * @mode: PTRACE_MODE_* bits.
 *
 * A ``ptrace`` request whose target scope says whether @child is in the
 * subject's agent session; attach (PTRACE_MODE_ATTACH) carries ``write``,
 * a read (/proc inspection) ``read``.  Called with @child's task_lock
 * held.  BPF_PROG_TYPE_LSM only.  Never sleeps.
 *
 * Return: 0, -EPERM or %TCPK_HOOK_KILL.
 */
__bpf_kfunc int tcpk_hook_ptrace(struct task_struct *child, unsigned int mode)
{
	struct tcpk_hook h;

	if (!child || tcpk_hook_quiet(TCPK_OP_PTRACE))
		return 0;
	tcpk_hook_start(&h, TCPK_OP_PTRACE);
	h.req.target = tcpk_target_scope(current, child);
	h.req.access = (mode & PTRACE_MODE_ATTACH) ? BIT(TCPK_ACCESS_WRITE) :
						      BIT(TCPK_ACCESS_READ);
	return tcpk_hook_end(&h, -EPERM);
}

/**
 * tcpk_hook_task_kill() - decide the sending of a signal (task_kill)
 * @p: the process the signal is for.
 * @sig: the signal; 0 only checks that @p exists.
 *
 * A ``signal`` request whose target scope says whether @p is in the
 * subject's agent session, whose object is "signal:N" (N the signal's
 * number) and whose access is ``write`` (``read`` for signal 0).  Only
 * signals a process sends are decided (the kernel calls the hook for
 * those alone); a process signalling itself, or its own thread group, is
 * allowed.  May be called with the tasklist lock held; not in interrupt
 * context (USB's asynchronous I/O signals are allowed at once).
 * BPF_PROG_TYPE_LSM only.  Never sleeps.
 *
 * Return: 0, -EPERM or %TCPK_HOOK_KILL.
 */
__bpf_kfunc int tcpk_hook_task_kill(struct task_struct *p, int sig)
{
	struct tcpk_hook h;

	if (!p || same_thread_group(p, current) ||
	    tcpk_hook_quiet(TCPK_OP_SIGNAL))
		return 0;
	tcpk_hook_start(&h, TCPK_OP_SIGNAL);
	h.req.target = tcpk_target_scope(current, p);
	h.req.access = sig ? BIT(TCPK_ACCESS_WRITE) : BIT(TCPK_ACCESS_READ);
	snprintf(h.buf->path, sizeof(h.buf->path), "signal:%d", sig);
	h.req.path = h.buf->path;
	return tcpk_hook_end(&h, -EPERM);
}

/* --- files ------------------------------------------------------------------ */

/**
 * tcpk_hook_file_open() - decide an open (file_open)
 * @file: the file being opened.
 *
 * An ``open`` of the file's path with ``read``/``write`` as opened,
 * ``create`` (and ``write``) for a file this open created, ``setid`` for
 * a created file with S_ISUID or S_ISGID.  An open to execute is not
 * decided here: tcpk_hook_exec() decides the exec.
 * A file an agent opens for writing is remembered in its session (for
 * ``agent-written``).  BPF_PROG_TYPE_LSM only.  Never sleeps.
 *
 * Return: 0, -EACCES or %TCPK_HOOK_KILL.
 */
__bpf_kfunc int tcpk_hook_file_open(struct file *file)
{
	struct inode *inode = file_inode(file);
	struct tcpk_hook h;
	u32 access = 0;
	int ret;

	/*
	 * An open to execute is decided as the exec, at bprm_check.  The
	 * exec's open carries __FMODE_EXEC in f_flags (do_open_execat());
	 * f_mode never has FMODE_EXEC.
	 */
	if (!file || (file->f_flags & __FMODE_EXEC) ||
	    tcpk_hook_quiet(TCPK_OP_OPEN))
		return 0;
	tcpk_hook_start(&h, TCPK_OP_OPEN);
	if (file->f_mode & FMODE_READ)
		access |= BIT(TCPK_ACCESS_READ);
	if (file->f_mode & FMODE_WRITE)
		access |= (file->f_flags & O_APPEND) ?
			  BIT(TCPK_ACCESS_APPEND) : BIT(TCPK_ACCESS_WRITE);
	if (file->f_flags & O_TRUNC)
		access |= BIT(TCPK_ACCESS_WRITE);
	if (file->f_mode & FMODE_CREATED) {
		access |= BIT(TCPK_ACCESS_CREATE) | BIT(TCPK_ACCESS_WRITE);
		if (inode->i_mode & (S_ISUID | S_ISGID))
			access |= BIT(TCPK_ACCESS_SETID);
	}
	h.req.access = access;
	h.req.path = tcpk_hook_path(&h, &file->f_path);
	ret = tcpk_hook_end(&h, -EACCES);
	if (!ret && h.agent && (file->f_mode & FMODE_WRITE)) {
		rcu_read_lock();
		tcpk_agent_note_written(tcpk_agent_of(current),
					tcpk_inode_key(inode));
		rcu_read_unlock();
	}
	return ret;
}

/**
 * tcpk_hook_file_permission() - decide a read or write of an open file
 *	(file_permission)
 * @file: the file.
 * @mask: MAY_READ, MAY_WRITE, MAY_APPEND.
 *
 * A ``permission`` request of the file's path.  Called on every read and
 * write: the fast path answers it unless a rule names ``permission``.  The
 * reads of a file opened to execute (the exec's own) are not decided.
 * BPF_PROG_TYPE_LSM only.  Never sleeps.
 *
 * Return: 0, -EACCES or %TCPK_HOOK_KILL.
 */
__bpf_kfunc int tcpk_hook_file_permission(struct file *file, int mask)
{
	struct tcpk_hook h;

	/* The exec's own reads of its file are part of the exec decision. */
	if (!file || !mask || (file->f_flags & __FMODE_EXEC) ||
	    tcpk_hook_quiet(TCPK_OP_PERMISSION))
		return 0;
	tcpk_hook_start(&h, TCPK_OP_PERMISSION);
	h.req.access = tcpk_may_access(mask);
	h.req.path = tcpk_hook_path(&h, &file->f_path);
	return tcpk_hook_end(&h, -EACCES);
}

static int tcpk_hook_remove(u32 op, const struct path *dir,
			    struct dentry *dentry)
{
	struct tcpk_hook h;

	if (!dir || !dentry || tcpk_hook_quiet(op))
		return 0;
	tcpk_hook_start(&h, op);
	h.req.access = BIT(TCPK_ACCESS_WRITE);
	h.req.path = tcpk_hook_child_path(&h, dir, dentry);
	return tcpk_hook_end(&h, -EACCES);
}

/**
 * tcpk_hook_path_mknod() - decide the creation of a file (path_mknod)
 * @dir: the parent directory.
 * @dentry: the new name, not yet a file.
 * @mode: the new file's type and mode.
 * @dev: the device number of a device node.
 *
 * The kernel asks before it creates a file, by open() with O_CREAT
 * (may_o_create()) or by mknod(): an ``open`` request, ``write`` and
 * ``create`` (``setid`` too when @mode has S_ISUID or S_ISGID), of the new
 * absolute path.  It is the request tcpk_hook_file_open() makes of the
 * file once created, so a rule that refuses writing a path refuses
 * creating it: without this hook the file would be made, empty, before
 * file_open refused its open.  Called with the parent directory's inode
 * locked.  BPF_PROG_TYPE_LSM only.  Never sleeps.
 *
 * Return: 0, -EACCES or %TCPK_HOOK_KILL.
 */
__bpf_kfunc int tcpk_hook_path_mknod(const struct path *dir,
				     struct dentry *dentry, umode_t mode,
				     unsigned int dev)
{
	struct tcpk_hook h;

	if (!dir || !dentry || tcpk_hook_quiet(TCPK_OP_OPEN))
		return 0;
	tcpk_hook_start(&h, TCPK_OP_OPEN);
	h.req.access = BIT(TCPK_ACCESS_WRITE) | BIT(TCPK_ACCESS_CREATE);
	if (mode & (S_ISUID | S_ISGID))
		h.req.access |= BIT(TCPK_ACCESS_SETID);
	h.req.path = tcpk_hook_child_path(&h, dir, dentry);
	return tcpk_hook_end(&h, -EACCES);
}

/**
 * tcpk_hook_path_unlink() - decide an unlink (path_unlink)
 * @dir: the parent directory.
 * @dentry: the file.
 *
 * An ``unlink`` request, ``write``, of the file's absolute path.  The
 * path_* flavour of the hook has the mount, which inode_unlink lacks.
 * BPF_PROG_TYPE_LSM only.  Never sleeps.
 *
 * Return: 0, -EACCES or %TCPK_HOOK_KILL.
 */
__bpf_kfunc int tcpk_hook_path_unlink(const struct path *dir,
				      struct dentry *dentry)
{
	return tcpk_hook_remove(TCPK_OP_UNLINK, dir, dentry);
}

/**
 * tcpk_hook_path_rmdir() - decide an rmdir (path_rmdir)
 * @dir: the parent directory.
 * @dentry: the directory to remove.
 *
 * As tcpk_hook_path_unlink(), an ``rmdir`` request.
 *
 * Return: 0, -EACCES or %TCPK_HOOK_KILL.
 */
__bpf_kfunc int tcpk_hook_path_rmdir(const struct path *dir,
				     struct dentry *dentry)
{
	return tcpk_hook_remove(TCPK_OP_RMDIR, dir, dentry);
}

/**
 * tcpk_hook_path_rename() - decide a rename (path_rename)
 * @old_dir: the source's directory.
 * @old_dentry: the source.
 * @new_dir: the destination's directory.
 * @new_dentry: the destination.
 *
 * Two ``rename`` requests, both ``write``: one of the source path, one of
 * the destination path (``create`` too when it does not exist yet), so a
 * rename can neither take a protected file away nor put one in place of
 * a protected file.  Both must be allowed.  BPF_PROG_TYPE_LSM only.
 * Never sleeps.
 *
 * Return: 0, -EACCES or %TCPK_HOOK_KILL.
 */
__bpf_kfunc int tcpk_hook_path_rename(const struct path *old_dir,
				      struct dentry *old_dentry,
				      const struct path *new_dir,
				      struct dentry *new_dentry)
{
	struct tcpk_hook h;
	int ret;

	ret = tcpk_hook_remove(TCPK_OP_RENAME, old_dir, old_dentry);
	if (ret || !new_dir || !new_dentry ||
	    tcpk_hook_quiet(TCPK_OP_RENAME))
		return ret;
	tcpk_hook_start(&h, TCPK_OP_RENAME);
	h.req.access = BIT(TCPK_ACCESS_WRITE);
	if (d_is_negative(new_dentry))
		h.req.access |= BIT(TCPK_ACCESS_CREATE);
	h.req.path = tcpk_hook_child_path(&h, new_dir, new_dentry);
	return tcpk_hook_end(&h, -EACCES);
}

/**
 * tcpk_hook_path_chmod() - decide a change of mode (path_chmod)
 * @path: the file.
 * @mode: the new mode.
 *
 * A ``chmod`` request, ``write``, and ``setid`` when @mode has S_ISUID or
 * S_ISGID.  BPF_PROG_TYPE_LSM only.  Never sleeps.
 *
 * Return: 0, -EACCES or %TCPK_HOOK_KILL.
 */
__bpf_kfunc int tcpk_hook_path_chmod(const struct path *path,
				     unsigned int mode)
{
	struct tcpk_hook h;

	if (!path || tcpk_hook_quiet(TCPK_OP_CHMOD))
		return 0;
	tcpk_hook_start(&h, TCPK_OP_CHMOD);
	h.req.access = BIT(TCPK_ACCESS_WRITE);
	if (mode & (S_ISUID | S_ISGID))
		h.req.access |= BIT(TCPK_ACCESS_SETID);
	h.req.path = tcpk_hook_path(&h, path);
	return tcpk_hook_end(&h, -EACCES);
}

/* --- sockets --------------------------------------------------------------- */

/* The text of a connected socket's peer, as tcpk_sockaddr_text() has it. */
static const char *tcpk_sock_peer_text(struct tcpk_hook *h, struct sock *sk)
{
	char *buf = h->buf->path;
	size_t size = sizeof(h->buf->path);

	switch (sk->sk_family) {
	case AF_INET:
		snprintf(buf, size, "%pI4:%u", &sk->sk_daddr,
			 ntohs(sk->sk_dport));
		return buf;
#if IS_ENABLED(CONFIG_IPV6)
	case AF_INET6:
		snprintf(buf, size, "[%pI6c]:%u", &sk->sk_v6_daddr,
			 ntohs(sk->sk_dport));
		return buf;
#endif
	default:
		return NULL;
	}
}

/**
 * tcpk_hook_socket_create() - decide the creation of a socket
 *	(socket_create)
 * @family: AF_*.
 * @type: SOCK_*.
 * @protocol: the protocol.
 * @kern: a kernel socket (always allowed).
 *
 * A ``socket`` request whose object is "FAMILY:TYPE", e.g. "inet:stream",
 * "packet:raw", "unix:dgram" (numbers for families and types without a
 * name here).  BPF_PROG_TYPE_LSM only.  Never sleeps.
 *
 * Return: 0, -EACCES or %TCPK_HOOK_KILL.
 */
__bpf_kfunc int tcpk_hook_socket_create(int family, int type, int protocol,
					int kern)
{
	struct tcpk_hook h;

	if (kern || tcpk_hook_quiet(TCPK_OP_SOCKET))
		return 0;
	tcpk_hook_start(&h, TCPK_OP_SOCKET);
	h.req.path = tcpk_socket_text(h.buf->path, sizeof(h.buf->path),
				      family, type);
	return tcpk_hook_end(&h, -EACCES);
}

/**
 * tcpk_hook_socket_connect() - decide a connect (socket_connect)
 * @sock: the socket.
 * @address: the address (a kernel copy).
 * @addrlen: its length.
 *
 * A ``connect`` request whose object is the address as text:
 * "127.0.0.1:8080", "[::1]:22", a Unix socket's path, "@name" for an
 * abstract one; ``--match-path`` globs match it.  BPF_PROG_TYPE_LSM only.
 * Never sleeps.
 *
 * Return: 0, -EACCES or %TCPK_HOOK_KILL.
 */
__bpf_kfunc int tcpk_hook_socket_connect(struct socket *sock,
					 struct sockaddr *address, int addrlen)
{
	struct tcpk_hook h;

	if (tcpk_hook_quiet(TCPK_OP_CONNECT))
		return 0;
	tcpk_hook_start(&h, TCPK_OP_CONNECT);
	h.req.path = tcpk_sockaddr_text(h.buf->path, sizeof(h.buf->path),
					address, addrlen);
	return tcpk_hook_end(&h, -EACCES);
}

/**
 * tcpk_hook_socket_sendmsg() - decide a send (socket_sendmsg)
 * @sock: the socket.
 * @msg: the message; its destination, if it names one.
 * @size: bytes to send.
 *
 * A ``sendmsg`` request, ``write``, whose object is the destination as
 * tcpk_hook_socket_connect() spells it: the message's, else the connected
 * peer of an IPv4 or IPv6 socket.  BPF_PROG_TYPE_LSM only.  Never sleeps.
 *
 * Return: 0, -EACCES or %TCPK_HOOK_KILL.
 */
__bpf_kfunc int tcpk_hook_socket_sendmsg(struct socket *sock,
					 struct msghdr *msg, int size)
{
	struct tcpk_hook h;

	tcpk_behavior_sent(size);
	if (tcpk_hook_quiet(TCPK_OP_SENDMSG))
		return 0;
	tcpk_hook_start(&h, TCPK_OP_SENDMSG);
	h.req.access = BIT(TCPK_ACCESS_WRITE);
	if (msg && msg->msg_name && msg->msg_namelen)
		h.req.path = tcpk_sockaddr_text(h.buf->path,
						sizeof(h.buf->path),
						msg->msg_name,
						msg->msg_namelen);
	else if (sock && sock->sk)
		h.req.path = tcpk_sock_peer_text(&h, sock->sk);
	return tcpk_hook_end(&h, -EACCES);
}

/* --- memory ------------------------------------------------------------------ */

/**
 * tcpk_hook_mmap_file() - decide a mapping (mmap_file)
 * @file: the file mapped, or NULL for anonymous memory.
 * @prot: the protection the kernel will apply (PROT_*).
 * @flags: MAP_* flags.
 *
 * An ``mmap`` request of the file's path (none for anonymous memory) with
 * ``read``, ``write``, ``exec`` as @prot asks (``write,exec`` is a W+X
 * mapping).  The mappings of a file the kernel opened to execute (the
 * executable, its ELF interpreter) are the exec's and not decided.
 * BPF_PROG_TYPE_LSM only.  Never sleeps.
 *
 * Return: 0, -EACCES or %TCPK_HOOK_KILL.
 */
__bpf_kfunc int tcpk_hook_mmap_file(struct file *file, unsigned long prot,
				    unsigned long flags)
{
	struct tcpk_hook h;

	/*
	 * The exec's own mappings of the executable and of its ELF
	 * interpreter (files the kernel opened to execute) are part of the
	 * exec decision.
	 */
	if (file && (file->f_flags & __FMODE_EXEC))
		return 0;
	if ((prot & (PROT_WRITE | PROT_EXEC)) == (PROT_WRITE | PROT_EXEC))
		tcpk_behavior_wx();
	if (tcpk_hook_quiet(TCPK_OP_MMAP))
		return 0;
	tcpk_hook_start(&h, TCPK_OP_MMAP);
	h.req.access = tcpk_prot_access(prot);
	if (file)
		h.req.path = tcpk_hook_path(&h, &file->f_path);
	return tcpk_hook_end(&h, -EACCES);
}

/**
 * tcpk_hook_file_mprotect() - decide a change of protection
 *	(file_mprotect)
 * @vma: the mapping.
 * @prot: the protection asked for.
 *
 * An ``mprotect`` request with the access bits of @prot, and ``write``
 * as well when the mapping is writable now and becomes executable (W to
 * X); the object is the mapped file's path, if any.  BPF_PROG_TYPE_LSM
 * only.  Never sleeps.
 *
 * Return: 0, -EACCES or %TCPK_HOOK_KILL.
 */
__bpf_kfunc int tcpk_hook_file_mprotect(struct vm_area_struct *vma,
					unsigned long prot)
{
	struct tcpk_hook h;

	if (!vma)
		return 0;
	if ((prot & PROT_EXEC) &&
	    ((prot & PROT_WRITE) || (vma->vm_flags & VM_WRITE)))
		tcpk_behavior_wx();
	if (tcpk_hook_quiet(TCPK_OP_MPROTECT))
		return 0;
	tcpk_hook_start(&h, TCPK_OP_MPROTECT);
	h.req.access = tcpk_prot_access(prot);
	if ((prot & PROT_EXEC) && (vma->vm_flags & VM_WRITE))
		h.req.access |= BIT(TCPK_ACCESS_WRITE);
	if (vma->vm_file)
		h.req.path = tcpk_hook_path(&h, &vma->vm_file->f_path);
	return tcpk_hook_end(&h, -EACCES);
}

/* --- System V IPC ------------------------------------------------------------ */

static int tcpk_hook_ipc(u32 op, const char *kind, struct kern_ipc_perm *perm,
			 u32 access)
{
	struct tcpk_hook h;

	if (!perm || tcpk_hook_quiet(op))
		return 0;
	tcpk_hook_start(&h, op);
	snprintf(h.buf->path, sizeof(h.buf->path), "%s:%d", kind, perm->key);
	h.req.path = h.buf->path;
	h.req.access = access;
	return tcpk_hook_end(&h, -EACCES);
}

/**
 * tcpk_hook_msgsnd() - decide a send to a message queue (msg_queue_msgsnd)
 * @perm: the queue.
 * @msqflg: the flags.
 *
 * A ``msgsnd`` request, ``write``, whose object is "msg:KEY" (the queue's
 * IPC key, 0 for IPC_PRIVATE).  BPF_PROG_TYPE_LSM only.  Never sleeps.
 *
 * Return: 0, -EACCES or %TCPK_HOOK_KILL.
 */
__bpf_kfunc int tcpk_hook_msgsnd(struct kern_ipc_perm *perm, int msqflg)
{
	return tcpk_hook_ipc(TCPK_OP_MSGSND, "msg", perm,
			     BIT(TCPK_ACCESS_WRITE));
}

/**
 * tcpk_hook_shmat() - decide an attach of shared memory (shm_shmat)
 * @perm: the segment.
 * @shmflg: SHM_RDONLY, SHM_EXEC...
 *
 * A ``shmat`` request whose object is "shm:KEY", ``read``, and ``write``
 * unless SHM_RDONLY, ``exec`` with SHM_EXEC.  BPF_PROG_TYPE_LSM only.
 * Never sleeps.
 *
 * Return: 0, -EACCES or %TCPK_HOOK_KILL.
 */
__bpf_kfunc int tcpk_hook_shmat(struct kern_ipc_perm *perm, int shmflg)
{
	u32 access = BIT(TCPK_ACCESS_READ);

	if (!(shmflg & SHM_RDONLY))
		access |= BIT(TCPK_ACCESS_WRITE);
	if (shmflg & SHM_EXEC)
		access |= BIT(TCPK_ACCESS_EXEC);
	return tcpk_hook_ipc(TCPK_OP_SHMAT, "shm", perm, access);
}

/* --- capabilities -------------------------------------------------------------- */

/**
 * tcpk_hook_capable() - decide the use of a capability (capable)
 * @cred: the credentials checked (usually current's).
 * @cap: CAP_*.
 * @opts: CAP_OPT_* (a check with CAP_OPT_NOAUDIT is decided as well).
 *
 * A ``capable`` request of current with the capability; no object.
 * Called very often and in many contexts: the fast path answers unless a
 * rule names the capability or the operation.  BPF_PROG_TYPE_LSM only.
 * Never sleeps.
 *
 * Return: 0, -EPERM or %TCPK_HOOK_KILL.
 */
__bpf_kfunc int tcpk_hook_capable(const struct cred *cred, int cap,
				  unsigned int opts)
{
	struct tcpk_hook h;

	if (tcpk_hook_quiet(TCPK_OP_CAPABLE))
		return 0;
	tcpk_hook_start(&h, TCPK_OP_CAPABLE);
	h.req.capability = cap;
	return tcpk_hook_end(&h, -EPERM);
}

__bpf_kfunc_end_defs();

/* --- set-up ------------------------------------------------------------------- */

/**
 * tcpk_hooks_init() - allocate what the hook kfuncs need
 *
 * The per-CPU scratch areas, the MD5 transform of name bindings (without
 * it, descriptors bound by name do not apply at exec: logged) and the
 * digest cache (exec_digest_cache slots).  Process context.
 *
 * Return: 0, -EINVAL for a bad exec_digest_cache, or -ENOMEM.
 */
int tcpk_hooks_init(void)
{
	unsigned int n = exec_digest_cache;

	if (n > 65536 || (n && !is_power_of_2(n))) {
		pr_err("exec_digest_cache=%u: not 0 or a power of two up to 65536\n",
		       n);
		return -EINVAL;
	}
	tcpk_scratch = alloc_percpu_gfp(struct tcpk_hook_scratch,
					GFP_KERNEL_ACCOUNT);
	if (!tcpk_scratch)
		return -ENOMEM;
	spin_lock_init(&tcpk_hooks.digest_lock);
	if (n) {
		tcpk_hooks.digests = kvcalloc(n, sizeof(*tcpk_hooks.digests),
					      GFP_KERNEL_ACCOUNT);
		if (!tcpk_hooks.digests) {
			free_percpu(tcpk_scratch);
			tcpk_scratch = NULL;
			return -ENOMEM;
		}
		tcpk_hooks.digest_mask = n - 1;
	}
	tcpk_hooks.md5 = crypto_alloc_shash("md5", 0, 0);
	if (IS_ERR(tcpk_hooks.md5)) {
		pr_warn("no md5 (%ld): descriptors bound by command name do not apply at exec\n",
			PTR_ERR(tcpk_hooks.md5));
		tcpk_hooks.md5 = NULL;
	}
	return 0;
}

/**
 * tcpk_hooks_exit() - free what tcpk_hooks_init() allocated
 *
 * No kfunc runs any more: a loaded BPF program that calls them holds a
 * reference on the module.  Process context.
 */
void tcpk_hooks_exit(void)
{
	crypto_free_shash(tcpk_hooks.md5);
	tcpk_hooks.md5 = NULL;
	kvfree(tcpk_hooks.digests);
	tcpk_hooks.digests = NULL;
	free_percpu(tcpk_scratch);
	tcpk_scratch = NULL;
}
