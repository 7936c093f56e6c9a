/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * tcp_kernel - user-space API of the generic-netlink family "tcp_kernel"
 *
 * This header is shared by the module, its tools and any other client.
 * Numbers in it are ABI: append, never renumber.
 */
#ifndef _UAPI_LINUX_TCP_KERNEL_H
#define _UAPI_LINUX_TCP_KERNEL_H

/**
 * define TCPK_GENL_NAME - name of the generic netlink family
 */
#define TCPK_GENL_NAME		"tcp_kernel"

/**
 * define TCPK_GENL_VERSION - version of the generic netlink family header
 *
 * Sent in &struct genlmsghdr.version; bumped only if a message changes in
 * an incompatible way (which the uapi rules forbid).
 */
#define TCPK_GENL_VERSION	1

/**
 * define TCPK_UAPI_VERSION - version of this user space API
 *
 * Reported by %TCPK_CMD_GET_STATUS in %TCPK_A_UAPI_VERSION.  Incremented each
 * time a command, attribute or value is added, so a client can tell what the
 * running module understands.  Documentation states "available since uapi N"
 * for each item.
 *
 * 1: %TCPK_CMD_GET_STATUS.
 */
#define TCPK_UAPI_VERSION	1

/**
 * enum tcpk_security_level - how hard the module enforces
 * @TCPK_LEVEL_OFF: decisions are not taken; everything is allowed.
 * @TCPK_LEVEL_MONITOR: decisions are taken and recorded, never enforced.
 * @TCPK_LEVEL_ENFORCE: critical operations are enforced.
 * @TCPK_LEVEL_PARANOID: every policy decision is enforced.
 * @__TCPK_LEVEL_MAX: one past the last level, not a level.
 *
 * Set with the module parameter ``security_level``; reported in
 * %TCPK_A_SECURITY_LEVEL.  Available since uapi 1.
 */
enum tcpk_security_level {
	TCPK_LEVEL_OFF = 0,
	TCPK_LEVEL_MONITOR = 1,
	TCPK_LEVEL_ENFORCE = 2,
	TCPK_LEVEL_PARANOID = 3,

	__TCPK_LEVEL_MAX
};

/**
 * enum tcpk_part - parts of the module reported by %TCPK_CMD_GET_STATUS
 * @TCPK_PART_EBPF: the kfunc bridge that BPF programs call (``enable_ebpf``).
 * @TCPK_PART_LSM: enforcement of decisions at LSM hooks through BPF-LSM
 *	programs (``enable_lsm``); available when the kernel has BPF-LSM and
 *	the kfunc bridge is up.
 * @TCPK_PART_INTEL_PT: Intel Processor Trace monitor (``enable_intel_pt``).
 * @TCPK_PART_CET: Control-flow Enforcement Technology status (``enable_cet``).
 * @__TCPK_PART_MAX: one past the last part, not a part.
 *
 * Available since uapi 1.
 */
enum tcpk_part {
	TCPK_PART_EBPF = 0,
	TCPK_PART_LSM = 1,
	TCPK_PART_INTEL_PT = 2,
	TCPK_PART_CET = 3,

	__TCPK_PART_MAX
};

/**
 * enum tcpk_cmd - commands of the family
 * @TCPK_CMD_UNSPEC: unused.
 * @TCPK_CMD_GET_STATUS: request the module's status; the reply carries
 *	%TCPK_A_MODULE_VERSION, %TCPK_A_UAPI_VERSION, %TCPK_A_SECURITY_LEVEL,
 *	%TCPK_A_KERNEL_RELEASE, one %TCPK_A_PART per &enum tcpk_part and
 *	%TCPK_A_STATS.  No privilege needed.  Available since uapi 1.
 * @__TCPK_CMD_MAX: one past the last command, not a command.
 */
enum tcpk_cmd {
	TCPK_CMD_UNSPEC,
	TCPK_CMD_GET_STATUS,

	__TCPK_CMD_MAX
};

#define TCPK_CMD_MAX	(__TCPK_CMD_MAX - 1)

/**
 * enum tcpk_attr - top-level attributes of the family
 * @TCPK_A_UNSPEC: unused.
 * @TCPK_A_PAD: padding for 64-bit attributes.
 * @TCPK_A_MODULE_VERSION: string, version of tcp_kernel.ko.
 * @TCPK_A_UAPI_VERSION: u32, %TCPK_UAPI_VERSION of the module.
 * @TCPK_A_SECURITY_LEVEL: u32, current &enum tcpk_security_level.
 * @TCPK_A_KERNEL_RELEASE: string, release of the running kernel.
 * @TCPK_A_PART: nest of &enum tcpk_part_attr, one per part (multi-attr).
 * @TCPK_A_STATS: nest of &enum tcpk_stats_attr.
 * @__TCPK_A_MAX: one past the last attribute, not an attribute.
 *
 * Available since uapi 1.
 */
enum tcpk_attr {
	TCPK_A_UNSPEC,
	TCPK_A_PAD,
	TCPK_A_MODULE_VERSION,
	TCPK_A_UAPI_VERSION,
	TCPK_A_SECURITY_LEVEL,
	TCPK_A_KERNEL_RELEASE,
	TCPK_A_PART,
	TCPK_A_STATS,

	__TCPK_A_MAX
};

#define TCPK_A_MAX	(__TCPK_A_MAX - 1)

/**
 * enum tcpk_part_attr - attributes inside a %TCPK_A_PART nest
 * @TCPK_A_PART_UNSPEC: unused.
 * @TCPK_A_PART_ID: u32, &enum tcpk_part.
 * @TCPK_A_PART_NAME: string, short name of the part ("ebpf", "lsm",
 *	"intel_pt", "cet").
 * @TCPK_A_PART_ENABLED: u8, 1 if the administrator enabled the part.
 * @TCPK_A_PART_AVAILABLE: u8, 1 if the part works on this kernel and
 *	hardware and is running.
 * @TCPK_A_PART_REASON: string, why the part is not available, or what
 *	was detected; always present, may be empty.
 * @__TCPK_A_PART_MAX: one past the last attribute, not an attribute.
 *
 * Available since uapi 1.
 */
enum tcpk_part_attr {
	TCPK_A_PART_UNSPEC,
	TCPK_A_PART_ID,
	TCPK_A_PART_NAME,
	TCPK_A_PART_ENABLED,
	TCPK_A_PART_AVAILABLE,
	TCPK_A_PART_REASON,

	__TCPK_A_PART_MAX
};

#define TCPK_A_PART_MAX	(__TCPK_A_PART_MAX - 1)

/**
 * enum tcpk_stats_attr - attributes inside a %TCPK_A_STATS nest
 * @TCPK_A_STATS_UNSPEC: unused.
 * @TCPK_A_STATS_PAD: padding for 64-bit attributes.
 * @TCPK_A_STATS_KFUNC_CALLS: u64, calls of the module's kfuncs by BPF
 *	programs since load.
 * @TCPK_A_STATS_GENL_REQUESTS: u64, generic-netlink requests served
 *	since load.
 * @__TCPK_A_STATS_MAX: one past the last attribute, not an attribute.
 *
 * Counters are per-CPU in the module and summed when read.  Available since
 * uapi 1.
 */
enum tcpk_stats_attr {
	TCPK_A_STATS_UNSPEC,
	TCPK_A_STATS_PAD,
	TCPK_A_STATS_KFUNC_CALLS,
	TCPK_A_STATS_GENL_REQUESTS,

	__TCPK_A_STATS_MAX
};

#define TCPK_A_STATS_MAX	(__TCPK_A_STATS_MAX - 1)

#endif /* _UAPI_LINUX_TCP_KERNEL_H */
