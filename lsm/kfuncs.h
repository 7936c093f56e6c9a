/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - kfuncs exported to BPF-LSM programs
 *
 * Shared by the module and by the BPF programs in ebpf/ (which include it
 * after vmlinux.h and bpf_helpers.h), so both sides agree on every
 * prototype.
 *
 * Each hook kfunc takes the hook's own arguments, unchanged (and tests
 * for NULL those that the kernel may pass as NULL: a verifier may take a
 * hook's pointer argument for non-NULL), and returns
 * the verdict the program returns: 0 to allow, a negative errno to refuse,
 * or %TCPK_HOOK_KILL to refuse and kill the calling process.  The module
 * does all the work (paths, descriptors, agent, policy, events); a program
 * only chains the earlier LSM verdict, calls one kfunc and acts on the
 * answer.
 */
#ifndef _TCPK_LSM_KFUNCS_H
#define _TCPK_LSM_KFUNCS_H

/**
 * define TCPK_HOOK_KILL - the kfunc verdict that refuses and kills the caller
 *
 * The program refuses the operation with -EACCES and sends SIGKILL to the
 * calling process with bpf_send_signal().
 */
#define TCPK_HOOK_KILL		1

/**
 * define TCPK_HOOK_DIGEST_MAX - largest digest tcpk_hook_exec() takes
 */
#define TCPK_HOOK_DIGEST_MAX	64

#if defined(__bpf__) || defined(__BPF__)
/* To a BPF program a kfunc is an external kernel symbol for libbpf. */
#define TCPK_KFUNC __ksym
#else
#include <linux/types.h>
#define TCPK_KFUNC

struct linux_binprm;
struct task_struct;
struct file;
struct path;
struct dentry;
struct socket;
struct sockaddr;
struct msghdr;
struct vm_area_struct;
struct kern_ipc_perm;
struct msg_msg;
struct cred;
struct user_namespace;
struct vfsmount;

int tcpk_kfuncs_init(bool enabled);
int tcpk_hooks_init(void);
void tcpk_hooks_exit(void);
int tcpk_xdp_kfuncs_init(bool enabled);
#endif

TCPK_KFUNC __u32 tcpk_kfunc_security_level(void);

/* Exec (bprm_check_security). */
TCPK_KFUNC int tcpk_hook_exec_wants_digest(struct linux_binprm *bprm);
TCPK_KFUNC int tcpk_hook_exec(struct linux_binprm *bprm, __u8 *digest,
			      __u32 digest__sz, int digest_len);

/* Tasks (task_alloc, task_free, ptrace_access_check, task_kill). */
TCPK_KFUNC int tcpk_hook_task_alloc(struct task_struct *task,
				    unsigned long clone_flags);
TCPK_KFUNC void tcpk_hook_task_free(struct task_struct *task);
TCPK_KFUNC int tcpk_hook_ptrace(struct task_struct *child, unsigned int mode);
TCPK_KFUNC int tcpk_hook_task_kill(struct task_struct *p, int sig);

/*
 * Files (file_open, file_permission, path_mknod, path_unlink/rmdir/rename/
 * chmod).
 */
TCPK_KFUNC int tcpk_hook_file_open(struct file *file);
TCPK_KFUNC int tcpk_hook_file_permission(struct file *file, int mask);
TCPK_KFUNC int tcpk_hook_path_mknod(const struct path *dir,
				    struct dentry *dentry, umode_t mode,
				    unsigned int dev);
TCPK_KFUNC int tcpk_hook_path_unlink(const struct path *dir,
				     struct dentry *dentry);
TCPK_KFUNC int tcpk_hook_path_rmdir(const struct path *dir,
				    struct dentry *dentry);
TCPK_KFUNC int tcpk_hook_path_rename(const struct path *old_dir,
				     struct dentry *old_dentry,
				     const struct path *new_dir,
				     struct dentry *new_dentry);
TCPK_KFUNC int tcpk_hook_path_chmod(const struct path *path,
				    unsigned int mode);

/* Sockets (socket_create, socket_connect, socket_sendmsg). */
TCPK_KFUNC int tcpk_hook_socket_create(int family, int type, int protocol,
				       int kern);
TCPK_KFUNC int tcpk_hook_socket_connect(struct socket *sock,
					struct sockaddr *address,
					int addrlen);
TCPK_KFUNC int tcpk_hook_socket_sendmsg(struct socket *sock,
					struct msghdr *msg, int size);

/* Memory (mmap_file, file_mprotect). */
TCPK_KFUNC int tcpk_hook_mmap_file(struct file *file, unsigned long prot,
				   unsigned long flags);
TCPK_KFUNC int tcpk_hook_file_mprotect(struct vm_area_struct *vma,
				       unsigned long prot);

/* System V IPC (msg_queue_msgsnd, shm_shmat). */
TCPK_KFUNC int tcpk_hook_msgsnd(struct kern_ipc_perm *perm, int msqflg);
TCPK_KFUNC int tcpk_hook_shmat(struct kern_ipc_perm *perm, int shmflg);

/* Capabilities (capable). */
TCPK_KFUNC int tcpk_hook_capable(const struct cred *cred, int cap,
				 unsigned int opts);

/*
 * The guard of the BPF side (inode_unlink, inode_rmdir, inode_rename,
 * sb_umount, bpf): -EPERM, while the module is locked and always to a
 * process of an agent session, for what would unpin, unmount, detach or
 * replace tcp-bpf's programs and links (BPF_LINK_DETACH and
 * BPF_LINK_UPDATE: of every link), else 0.  tcpk_hook_sb_umount() is for
 * sleepable programs only.
 */
TCPK_KFUNC int tcpk_hook_pin_guard(struct dentry *dentry);
TCPK_KFUNC int tcpk_hook_sb_umount(struct vfsmount *mnt);
TCPK_KFUNC int tcpk_hook_bpf_link(int cmd);

/*
 * The XDP flow monitor (lsm/xdp.c), for BPF_PROG_TYPE_XDP programs:
 * @report__sz is sizeof(struct tcpk_xdp_flow_report) of lsm/xdp.h.
 */
TCPK_KFUNC __u32 tcpk_xdp_security_level(void);
TCPK_KFUNC int tcpk_xdp_flow_event(__u8 *report, __u32 report__sz);

#endif /* _TCPK_LSM_KFUNCS_H */
