// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - BPF-LSM probe of the kfunc bridge
 *
 * Proves that an lsm/file_open program reaches the module: for the one
 * thread group the loader names, each open calls
 * tcpk_kfunc_security_level() and records the answer.  It never denies.
 *
 * A second program, lsm_cgroup/socket_bind, calls the same kfunc from a
 * cgroup-scoped LSM program (BPF_LSM_CGROUP), which the module's kfunc
 * filter refuses on kernels that have btf_kfunc_id_set.filter.  The "?"
 * of its section keeps libbpf from loading it with the first; only
 * kfunc-probe --try-cgroup loads it, alone, and never attaches it.
 */

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "lsm/kfuncs.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before load; the verifier sees a constant. */
const volatile __u32 target_tgid = 0;

/* Read by the loader after its opens. */
__u32 security_level = 0;
__u64 kfunc_calls = 0;

SEC("lsm/file_open")
int BPF_PROG(tcpk_probe_file_open, struct file *file, int ret)
{
	/* An earlier LSM (or BPF program) already decided: keep its verdict. */
	if (ret)
		return ret;

	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;

	security_level = tcpk_kfunc_security_level();
	__sync_fetch_and_add(&kfunc_calls, 1);
	return 0;
}

/* Loaded only by kfunc-probe --try-cgroup; 1 allows the bind. */
SEC("?lsm_cgroup/socket_bind")
int BPF_PROG(tcpk_probe_cgroup_bind, struct socket *sock,
	     struct sockaddr *address, int addrlen)
{
	security_level = tcpk_kfunc_security_level();
	__sync_fetch_and_add(&kfunc_calls, 1);
	return 1;
}
