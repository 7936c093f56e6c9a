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
#include <linux/netlink.h>

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

/*
 * 6.3 added NL_SET_ERR_MSG_FMT(), which formats an extack message into the
 * extack itself; before, a message had to be a string that outlives the
 * request.  tcpk_nl_err_fmt() takes both forms: where the macro is
 * missing it sets @static_msg, a static string naming the field at fault,
 * and drops the formatted details (callers also point the extack's bad
 * attribute at the offending attribute, from which a client can tell the
 * index).
 */
#ifdef TCPK_HAVE_NL_SET_ERR_MSG_FMT
#define tcpk_nl_err_fmt(extack, static_msg, fmt, args...) do {	\
	(void)(static_msg);					\
	NL_SET_ERR_MSG_FMT(extack, fmt, ##args);		\
} while (0)
#else
#define tcpk_nl_err_fmt(extack, static_msg, fmt, args...) do {	\
	struct netlink_ext_ack *__tcpk_extack = (extack);	\
	const char *__tcpk_msg = (static_msg);			\
								\
	(void)(fmt);						\
	do_trace_netlink_extack(__tcpk_msg);			\
	if (__tcpk_extack)					\
		__tcpk_extack->_msg = __tcpk_msg;		\
} while (0)
#endif

/*
 * Joining the "events" multicast group needs CAP_NET_ADMIN.  6.7 added
 * GENL_MCAST_CAP_NET_ADMIN, a flag of the group that the generic netlink
 * core checks when a socket joins it; Debian's 6.1 has it as a backport.
 * A kernel without it has no other way to refuse a join: its family has
 * no bind callback (6.1), or ignores what the callback returns (6.12).
 * There the family registers no group and events are not multicast
 * (TCPK_EVENTS_MCGRP is 0); denials still reach the audit log.
 */
#ifdef TCPK_HAVE_GENL_MCAST_CAP
#define TCPK_EVENTS_MCGRP	1
#else
#define TCPK_EVENTS_MCGRP	0
#endif

#endif /* _TCPK_COMPAT_H */
