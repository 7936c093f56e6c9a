// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - BPF-LSM companion programs: one per hook, each a thin call
 * into the module
 *
 * Every program keeps the verdict of an earlier LSM (or BPF program) if it
 * refused, else calls the module's kfunc for its hook with the hook's own
 * arguments and returns the module's verdict.  The programs hold no policy
 * and no state: the module decides, counts and records.  TCPK_HOOK_KILL
 * from the module refuses the operation and kills the caller with
 * bpf_send_signal(SIGKILL).
 *
 * One CO-RE object for Debian's 6.1 and 6.12: the hook signatures used here
 * are the same on both.  The exec program is sleepable so that it may ask
 * IMA for the executable's digest (bpf_ima_file_hash()); the module says
 * first whether it needs one (it caches digests per inode).
 *
 * The loader (tools/tcp-bpf) attaches any subset; a program's name is
 * tcpk_<hook>.
 */

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "lsm/kfuncs.h"

char LICENSE[] SEC("license") = "GPL";

#define SIGKILL		9
#define BPF_FS_MAGIC	0xcafe4a11
#define EPERM		1
#define EACCES		13
#define MAX_ERRNO	4095

/*
 * libbpf 1.1 (Debian 12's) finds a kfunc's prototype incompatible with the
 * kernel's when a parameter points to a struct that the object knows only
 * by name: clang emits a forward declaration for a struct used through
 * pointers only.  A CO-RE "type exists" check makes clang emit the whole
 * struct; libbpf resolves the check at load (it is always true), and the
 * verifier removes the dead branch.
 */
#define TCPK_BTF_WHOLE(type)				\
	do {						\
		if (!bpf_core_type_exists(type))	\
			return 0;			\
	} while (0)

/*
 * The module's verdict as the hook's return value: 0 or an errno, the only
 * values an LSM hook may return (6.12's verifier checks the range).
 */
static __always_inline int tcpk_verdict(int v)
{
	if (v == TCPK_HOOK_KILL) {
		bpf_send_signal(SIGKILL);
		return -EACCES;
	}
	if (v < -MAX_ERRNO || v > 0)
		return -EACCES;
	return v;
}

SEC("lsm.s/bprm_check_security")
int BPF_PROG(tcpk_bprm_check_security, struct linux_binprm *bprm, int ret)
{
	__u8 digest[TCPK_HOOK_DIGEST_MAX] = {};
	long algo = -1;

	if (ret)
		return ret;
	if (tcpk_hook_exec_wants_digest(bprm))
		algo = bpf_ima_file_hash(bprm->file, digest, sizeof(digest));
	return tcpk_verdict(tcpk_hook_exec(bprm, digest, sizeof(digest),
					   (int)algo));
}

SEC("lsm/task_alloc")
int BPF_PROG(tcpk_task_alloc, struct task_struct *task,
	     unsigned long clone_flags, int ret)
{
	if (ret)
		return ret;
	return tcpk_verdict(tcpk_hook_task_alloc(task, clone_flags));
}

SEC("lsm/task_free")
int BPF_PROG(tcpk_task_free, struct task_struct *task)
{
	tcpk_hook_task_free(task);
	return 0;
}

SEC("lsm/file_open")
int BPF_PROG(tcpk_file_open, struct file *file, int ret)
{
	TCPK_BTF_WHOLE(struct file);
	if (ret)
		return ret;
	return tcpk_verdict(tcpk_hook_file_open(file));
}

SEC("lsm/file_permission")
int BPF_PROG(tcpk_file_permission, struct file *file, int mask, int ret)
{
	TCPK_BTF_WHOLE(struct file);
	if (ret)
		return ret;
	return tcpk_verdict(tcpk_hook_file_permission(file, mask));
}

/*
 * Create (by open with O_CREAT or mknod), unlink, rmdir, rename and chmod:
 * the path_* flavour of the hooks, which has the mount as well as the
 * dentry, so the module sees the same absolute path as a rule names
 * (inode_unlink has no mount).
 */
SEC("lsm/path_mknod")
int BPF_PROG(tcpk_path_mknod, const struct path *dir, struct dentry *dentry,
	     umode_t mode, unsigned int dev, int ret)
{
	if (ret)
		return ret;
	return tcpk_verdict(tcpk_hook_path_mknod(dir, dentry, mode, dev));
}

SEC("lsm/path_unlink")
int BPF_PROG(tcpk_path_unlink, const struct path *dir, struct dentry *dentry,
	     int ret)
{
	TCPK_BTF_WHOLE(struct dentry);
	if (ret)
		return ret;
	return tcpk_verdict(tcpk_hook_path_unlink(dir, dentry));
}

SEC("lsm/path_rmdir")
int BPF_PROG(tcpk_path_rmdir, const struct path *dir, struct dentry *dentry,
	     int ret)
{
	if (ret)
		return ret;
	return tcpk_verdict(tcpk_hook_path_rmdir(dir, dentry));
}

SEC("lsm/path_rename")
int BPF_PROG(tcpk_path_rename, const struct path *old_dir,
	     struct dentry *old_dentry, const struct path *new_dir,
	     struct dentry *new_dentry, unsigned int flags, int ret)
{
	if (ret)
		return ret;
	return tcpk_verdict(tcpk_hook_path_rename(old_dir, old_dentry,
						  new_dir, new_dentry));
}

SEC("lsm/path_chmod")
int BPF_PROG(tcpk_path_chmod, const struct path *path, umode_t mode, int ret)
{
	if (ret)
		return ret;
	return tcpk_verdict(tcpk_hook_path_chmod(path, mode));
}

SEC("lsm/socket_create")
int BPF_PROG(tcpk_socket_create, int family, int type, int protocol, int kern,
	     int ret)
{
	if (ret)
		return ret;
	return tcpk_verdict(tcpk_hook_socket_create(family, type, protocol,
						    kern));
}

SEC("lsm/socket_connect")
int BPF_PROG(tcpk_socket_connect, struct socket *sock,
	     struct sockaddr *address, int addrlen, int ret)
{
	if (ret)
		return ret;
	return tcpk_verdict(tcpk_hook_socket_connect(sock, address, addrlen));
}

SEC("lsm/socket_sendmsg")
int BPF_PROG(tcpk_socket_sendmsg, struct socket *sock, struct msghdr *msg,
	     int size, int ret)
{
	if (ret)
		return ret;
	return tcpk_verdict(tcpk_hook_socket_sendmsg(sock, msg, size));
}

SEC("lsm/mmap_file")
int BPF_PROG(tcpk_mmap_file, struct file *file, unsigned long reqprot,
	     unsigned long prot, unsigned long flags, int ret)
{
	TCPK_BTF_WHOLE(struct file);
	if (ret)
		return ret;
	/*
	 * file is NULL for an anonymous mapping.  No test here: 6.12's
	 * verifier takes hook arguments for non-NULL and drops the branch;
	 * the module tests it.
	 */
	return tcpk_verdict(tcpk_hook_mmap_file(file, prot, flags));
}

SEC("lsm/file_mprotect")
int BPF_PROG(tcpk_file_mprotect, struct vm_area_struct *vma,
	     unsigned long reqprot, unsigned long prot, int ret)
{
	TCPK_BTF_WHOLE(struct vm_area_struct);
	if (ret)
		return ret;
	return tcpk_verdict(tcpk_hook_file_mprotect(vma, prot));
}

SEC("lsm/msg_queue_msgsnd")
int BPF_PROG(tcpk_msg_queue_msgsnd, struct kern_ipc_perm *perm,
	     struct msg_msg *msg, int msqflg, int ret)
{
	if (ret)
		return ret;
	return tcpk_verdict(tcpk_hook_msgsnd(perm, msqflg));
}

SEC("lsm/shm_shmat")
int BPF_PROG(tcpk_shm_shmat, struct kern_ipc_perm *perm, char *shmaddr,
	     int shmflg, int ret)
{
	if (ret)
		return ret;
	return tcpk_verdict(tcpk_hook_shmat(perm, shmflg));
}

SEC("lsm/capable")
int BPF_PROG(tcpk_capable, const struct cred *cred, struct user_namespace *ns,
	     int cap, unsigned int opts, int ret)
{
	TCPK_BTF_WHOLE(struct cred);
	if (ret)
		return ret;
	return tcpk_verdict(tcpk_hook_capable(cred, cap, opts));
}

SEC("lsm/task_kill")
int BPF_PROG(tcpk_task_kill, struct task_struct *p, struct kernel_siginfo *info,
	     int sig, const struct cred *cred, int ret)
{
	if (ret)
		return ret;
	return tcpk_verdict(tcpk_hook_task_kill(p, sig));
}

SEC("lsm/ptrace_access_check")
int BPF_PROG(tcpk_ptrace_access_check, struct task_struct *child,
	     unsigned int mode, int ret)
{
	if (ret)
		return ret;
	return tcpk_verdict(tcpk_hook_ptrace(child, mode));
}

/*
 * The guard of the BPF side: while the module is locked, and always for
 * an agent's process, nothing unpins, moves or replaces tcp-bpf's pins,
 * unmounts the bpffs holding them (an agent: nor a mount above it), or
 * detaches or updates a link (the module answers; 0 for everyone else
 * while unlocked).  The inode_* flavour of the unlink, rmdir and rename
 * hooks: it sees every removal from a bpffs, by any path.  Entries of
 * other file systems are let through here, without a call.
 */
/* The removal of @dentry: asked of the module only on a bpffs. */
static __always_inline int tcpk_pin_removal(struct dentry *dentry, int ret)
{
	if (ret)
		return ret;
	if (dentry->d_sb->s_magic != BPF_FS_MAGIC)
		return 0;
	return tcpk_verdict(tcpk_hook_pin_guard(dentry));
}

SEC("lsm/inode_unlink")
int BPF_PROG(tcpk_inode_unlink, struct inode *dir, struct dentry *dentry,
	     int ret)
{
	TCPK_BTF_WHOLE(struct dentry);
	return tcpk_pin_removal(dentry, ret);
}

SEC("lsm/inode_rmdir")
int BPF_PROG(tcpk_inode_rmdir, struct inode *dir, struct dentry *dentry,
	     int ret)
{
	TCPK_BTF_WHOLE(struct dentry);
	return tcpk_pin_removal(dentry, ret);
}

SEC("lsm/inode_rename")
int BPF_PROG(tcpk_inode_rename, struct inode *old_dir,
	     struct dentry *old_dentry, struct inode *new_dir,
	     struct dentry *new_dentry, int ret)
{
	TCPK_BTF_WHOLE(struct dentry);
	if (ret)
		return ret;
	if (old_dentry->d_sb->s_magic != BPF_FS_MAGIC)
		return 0;
	/*
	 * A constant for the first refusal: 6.12's verifier loses the range
	 * of a kfunc's answer carried from one call to the return.
	 */
	if (tcpk_hook_pin_guard(old_dentry))
		return -EPERM;
	return tcpk_verdict(tcpk_hook_pin_guard(new_dentry));
}

SEC("lsm.s/sb_umount")
int BPF_PROG(tcpk_sb_umount, struct vfsmount *mnt, int flags, int ret)
{
	TCPK_BTF_WHOLE(struct vfsmount);
	if (ret)
		return ret;
	/* Any filesystem: an agent's unmount of one above the pins counts. */
	return tcpk_verdict(tcpk_hook_sb_umount(mnt));
}

/*
 * BPF_LINK_DETACH and BPF_LINK_UPDATE only, of any link while locked (the
 * descriptor is looked up again after the hook: which link it names
 * cannot be known here).  Every other command returns here.
 */
SEC("lsm.s/bpf")
int BPF_PROG(tcpk_bpf, int cmd, union bpf_attr *attr, unsigned int size,
	     int ret)
{
	if (ret)
		return ret;
	if (cmd != BPF_LINK_DETACH && cmd != BPF_LINK_UPDATE)
		return 0;
	return tcpk_verdict(tcpk_hook_bpf_link(cmd));
}
