/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - differences between the supported kernels (6.1 and 6.12)
 *
 * Every difference is decided by a feature probe of the target's headers
 * in Kbuild (TCPK_HAVE_*), never by LINUX_VERSION_CODE: Debian's stable
 * kernels carry backports that make version checks lie.
 */
#ifndef _TCPK_COMPAT_H
#define _TCPK_COMPAT_H

#include <linux/btf.h>
#include <linux/btf_ids.h>

/* 6.9 renamed the kfunc set macros and flagged such sets as kfuncs. */
#ifndef TCPK_HAVE_BTF_KFUNCS_START
#define BTF_KFUNCS_START(name)	BTF_SET8_START(name)
#define BTF_KFUNCS_END(name)	BTF_SET8_END(name)
#endif

/*
 * 6.4 added the __bpf_kfunc annotation, which keeps a kfunc whole (not
 * inlined, cloned or dropped).  Ours are global functions with prototypes
 * that nothing in the module calls, which the compiler always emits whole,
 * so where the annotation is missing it can be empty.
 */
#ifndef TCPK_HAVE_BPF_KFUNC_ATTR
#define __bpf_kfunc
#endif

/*
 * 6.7 added a bracket that silences -Wmissing-prototypes around kfunc
 * definitions.  Our kfuncs all have prototypes (lsm/kfuncs.h), so where
 * the bracket is missing it can be empty.
 */
#ifndef TCPK_HAVE_BPF_KFUNC_START_DEFS
#define __bpf_kfunc_start_defs()
#define __bpf_kfunc_end_defs()
#endif

#endif /* _TCPK_COMPAT_H */
