/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * tcp_kernel - user-space API of the generic-netlink family "tcp_kernel"
 *
 * This header is shared by the module, its tools and any other client.
 * Numbers in it are ABI: append, never renumber.
 */
#ifndef _UAPI_LINUX_TCP_KERNEL_H
#define _UAPI_LINUX_TCP_KERNEL_H

#include <linux/types.h>

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
 * 2: the descriptor database: %TCPK_CMD_DESC_ADD, %TCPK_CMD_DESC_DEL,
 *    %TCPK_CMD_DESC_GET, %TCPK_CMD_DESC_FLUSH, %TCPK_CMD_DESC_COUNT.
 */
#define TCPK_UAPI_VERSION	2

/**
 * define TCPK_DESC_LEN - size of a TCP descriptor, in bytes
 */
#define TCPK_DESC_LEN		24

/**
 * define TCPK_DESC_MAGIC - the four bytes a descriptor starts with
 */
#define TCPK_DESC_MAGIC		"TCP\x02"

/**
 * define TCPK_DESC_VERSION - the descriptor format version understood
 */
#define TCPK_DESC_VERSION	2

/**
 * define TCPK_DESC_NAME_MAX - longest command name, in bytes
 */
#define TCPK_DESC_NAME_MAX	255

/**
 * define TCPK_DESC_PATH_MAX - longest executable path, with its NUL
 */
#define TCPK_DESC_PATH_MAX	4096

/**
 * define TCPK_DESC_DIGEST_LEN - size of an executable's digest (SHA256)
 */
#define TCPK_DESC_DIGEST_LEN	32

/**
 * struct tcpk_desc - a TCP descriptor (Tool Capability Protocol v2)
 * @magic: %TCPK_DESC_MAGIC.
 * @version: %TCPK_DESC_VERSION.
 * @cmd_hash: first four bytes of MD5(command name), as a big-endian number.
 * @flags: security flags, a mask of ``1 << enum tcpk_desc_flag``.
 * @exec_ms: typical execution time, in milliseconds.
 * @mem_mb: typical memory use, in MiB.
 * @out_kb: typical output size, in KiB.
 * @name_len: length of the command name, 1 to %TCPK_DESC_NAME_MAX.
 * @check: ``crc32(bytes 0..21) & 0xffff`` (the IEEE CRC-32 of zlib).
 *
 * Every field is big-endian; the layout has no padding and is exactly
 * %TCPK_DESC_LEN bytes, as TCP generators emit it.  Available since uapi 2.
 */
struct tcpk_desc {
	__u8 magic[4];
	__be16 version;
	__be32 cmd_hash;
	__be32 flags;
	__be16 exec_ms;
	__be16 mem_mb;
	__be16 out_kb;
	__be16 name_len;
	__be16 check;
} __attribute__((packed));

/**
 * enum tcpk_desc_flag - bit numbers of &struct tcpk_desc.flags
 * @TCPK_DESC_SAFE: no known risk.
 * @TCPK_DESC_LOW_RISK: low risk.
 * @TCPK_DESC_MEDIUM_RISK: medium risk.
 * @TCPK_DESC_HIGH_RISK: high risk.
 * @TCPK_DESC_CRITICAL: critical risk.
 * @TCPK_DESC_REQUIRES_SUDO: needs sudo.
 * @TCPK_DESC_REQUIRES_ROOT: needs root.
 * @TCPK_DESC_DESTRUCTIVE: destroys data.
 * @TCPK_DESC_NETWORK_ACCESS: uses the network.
 * @TCPK_DESC_FILE_MODIFICATION: modifies files.
 * @TCPK_DESC_SYSTEM_MODIFICATION: modifies the system's configuration.
 * @TCPK_DESC_PRIVILEGE_ESCALATION: gains privilege.
 * @TCPK_DESC_KERNEL_MODULE: loads or unloads kernel code.
 * @TCPK_DESC_CONTAINER_ESCAPE: can leave a container.
 * @TCPK_DESC_CRYPTO_OPERATION: performs cryptography.
 * @TCPK_DESC_AUDIT_LOGGING: touches audit or logs.
 * @TCPK_DESC_DANGEROUS_EXEC: runs arbitrary code (interpreters, shells,
 *	package managers).  The first of the bits 16-31 that tcp_kernel
 *	assigns.
 * @__TCPK_DESC_FLAG_MAX: one past the last assigned bit, not a flag.
 *
 * Bits 0-15 are the Tool Capability Protocol's; a descriptor with a bit
 * set at or above %__TCPK_DESC_FLAG_MAX is refused.  Available since
 * uapi 2.
 */
enum tcpk_desc_flag {
	TCPK_DESC_SAFE = 0,
	TCPK_DESC_LOW_RISK = 1,
	TCPK_DESC_MEDIUM_RISK = 2,
	TCPK_DESC_HIGH_RISK = 3,
	TCPK_DESC_CRITICAL = 4,
	TCPK_DESC_REQUIRES_SUDO = 5,
	TCPK_DESC_REQUIRES_ROOT = 6,
	TCPK_DESC_DESTRUCTIVE = 7,
	TCPK_DESC_NETWORK_ACCESS = 8,
	TCPK_DESC_FILE_MODIFICATION = 9,
	TCPK_DESC_SYSTEM_MODIFICATION = 10,
	TCPK_DESC_PRIVILEGE_ESCALATION = 11,
	TCPK_DESC_KERNEL_MODULE = 12,
	TCPK_DESC_CONTAINER_ESCAPE = 13,
	TCPK_DESC_CRYPTO_OPERATION = 14,
	TCPK_DESC_AUDIT_LOGGING = 15,
	TCPK_DESC_DANGEROUS_EXEC = 16,

	__TCPK_DESC_FLAG_MAX
};

/**
 * define TCPK_DESC_FLAGS_KNOWN - mask of every assigned flag bit
 */
#define TCPK_DESC_FLAGS_KNOWN	((1U << __TCPK_DESC_FLAG_MAX) - 1)

/**
 * enum tcpk_desc_key_kind - what a descriptor is bound to
 * @TCPK_DESC_KEY_UNSPEC: unused.
 * @TCPK_DESC_KEY_NAME: a command name, by &struct tcpk_desc.cmd_hash
 *	(weak identity: a renamed binary loses it).
 * @TCPK_DESC_KEY_PATH: an exact executable path (%TCPK_A_DESC_PATH).
 * @TCPK_DESC_KEY_DIGEST: an executable's content, by its SHA-256 digest
 *	(%TCPK_A_DESC_SHA256): a copied or renamed binary keeps it.
 * @TCPK_DESC_KEY_SYSCALL: an x86_64 system call number
 *	(%TCPK_A_DESC_SYSCALL).
 * @__TCPK_DESC_KEY_MAX: one past the last kind, not a kind.
 *
 * The 64-bit key of an entry is ``kind << 60`` or'ed with 60 bits of its
 * identity (%TCPK_A_DESC_KEY); at most one descriptor is bound to one
 * identity.  Available since uapi 2.
 */
enum tcpk_desc_key_kind {
	TCPK_DESC_KEY_UNSPEC,
	TCPK_DESC_KEY_NAME,
	TCPK_DESC_KEY_PATH,
	TCPK_DESC_KEY_DIGEST,
	TCPK_DESC_KEY_SYSCALL,

	__TCPK_DESC_KEY_MAX
};

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
 * @TCPK_CMD_DESC_ADD: add or replace descriptors, all or none: one
 *	%TCPK_A_DESC nest per descriptor, each with %TCPK_A_DESC_RAW and at
 *	most one binding (%TCPK_A_DESC_PATH, %TCPK_A_DESC_SHA256 or
 *	%TCPK_A_DESC_SYSCALL; none binds by name).  If any descriptor is
 *	invalid, or the database would exceed its limit, nothing is applied
 *	and the extack message names the field and the index of the nest.
 *	Needs CAP_NET_ADMIN.  Available since uapi 2.
 * @TCPK_CMD_DESC_DEL: delete the descriptor of the identity given in one
 *	%TCPK_A_DESC nest (%TCPK_A_DESC_CMD_HASH, %TCPK_A_DESC_PATH,
 *	%TCPK_A_DESC_SHA256 or %TCPK_A_DESC_SYSCALL); -ENOENT if none.  Needs
 *	CAP_NET_ADMIN.  Available since uapi 2.
 * @TCPK_CMD_DESC_GET: do: the descriptor of one identity, as for
 *	%TCPK_CMD_DESC_DEL; dump: every descriptor, one message each.  Replies
 *	carry one %TCPK_A_DESC nest with %TCPK_A_DESC_RAW,
 *	%TCPK_A_DESC_KEY_KIND, %TCPK_A_DESC_KEY and the binding.  A dump that
 *	overlapped a change is flagged NLM_F_DUMP_INTR.  Available since uapi 2.
 * @TCPK_CMD_DESC_FLUSH: delete every descriptor.  Needs CAP_NET_ADMIN.
 *	Available since uapi 2.
 * @TCPK_CMD_DESC_COUNT: the reply carries %TCPK_A_DB_COUNT,
 *	%TCPK_A_DB_BYTES and %TCPK_A_DB_LIMIT.  Available since uapi 2.
 * @__TCPK_CMD_MAX: one past the last command, not a command.
 */
enum tcpk_cmd {
	TCPK_CMD_UNSPEC,
	TCPK_CMD_GET_STATUS,
	TCPK_CMD_DESC_ADD,
	TCPK_CMD_DESC_DEL,
	TCPK_CMD_DESC_GET,
	TCPK_CMD_DESC_FLUSH,
	TCPK_CMD_DESC_COUNT,

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
 * @TCPK_A_DESC: nest of &enum tcpk_desc_attr, one per descriptor
 *	(multi-attr).  Since uapi 2.
 * @TCPK_A_DB_COUNT: u32, descriptors in the database.  Since uapi 2.
 * @TCPK_A_DB_BYTES: u64, memory they use, in bytes.  Since uapi 2.
 * @TCPK_A_DB_LIMIT: u32, the most descriptors the database accepts
 *	(module parameter ``max_descriptors``).  Since uapi 2.
 * @__TCPK_A_MAX: one past the last attribute, not an attribute.
 *
 * Available since uapi 1 unless said otherwise.
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
	TCPK_A_DESC,
	TCPK_A_DB_COUNT,
	TCPK_A_DB_BYTES,
	TCPK_A_DB_LIMIT,

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

/**
 * enum tcpk_desc_attr - attributes inside a %TCPK_A_DESC nest
 * @TCPK_A_DESC_UNSPEC: unused.
 * @TCPK_A_DESC_PAD: padding for 64-bit attributes.
 * @TCPK_A_DESC_RAW: binary, exactly %TCPK_DESC_LEN bytes: &struct tcpk_desc.
 * @TCPK_A_DESC_KEY_KIND: u32, &enum tcpk_desc_key_kind (replies).
 * @TCPK_A_DESC_KEY: u64, the entry's 64-bit key (replies).
 * @TCPK_A_DESC_CMD_HASH: u32, a command-name hash, to name a
 *	%TCPK_DESC_KEY_NAME identity in DEL and GET; the binding of a
 *	name-bound entry in replies.  Refused in ADD, where
 *	&struct tcpk_desc.cmd_hash names the command.
 * @TCPK_A_DESC_PATH: string, an absolute executable path of at most
 *	%TCPK_DESC_PATH_MAX bytes with its NUL (%TCPK_DESC_KEY_PATH).
 * @TCPK_A_DESC_SHA256: binary, %TCPK_DESC_DIGEST_LEN bytes
 *	(%TCPK_DESC_KEY_DIGEST).
 * @TCPK_A_DESC_SYSCALL: u32, an x86_64 system call number below 1024
 *	(%TCPK_DESC_KEY_SYSCALL).
 * @__TCPK_A_DESC_MAX: one past the last attribute, not an attribute.
 *
 * Available since uapi 2.
 */
enum tcpk_desc_attr {
	TCPK_A_DESC_UNSPEC,
	TCPK_A_DESC_PAD,
	TCPK_A_DESC_RAW,
	TCPK_A_DESC_KEY_KIND,
	TCPK_A_DESC_KEY,
	TCPK_A_DESC_CMD_HASH,
	TCPK_A_DESC_PATH,
	TCPK_A_DESC_SHA256,
	TCPK_A_DESC_SYSCALL,

	__TCPK_A_DESC_MAX
};

#define TCPK_A_DESC_MAX	(__TCPK_A_DESC_MAX - 1)

#endif /* _UAPI_LINUX_TCP_KERNEL_H */
