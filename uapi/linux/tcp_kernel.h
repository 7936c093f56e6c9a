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
 * 3: the policy engine: rules (%TCPK_CMD_RULE_ADD, %TCPK_CMD_RULE_DEL,
 *    %TCPK_CMD_RULE_GET, %TCPK_CMD_RULE_FLUSH, %TCPK_CMD_RULE_REPLACE),
 *    what-if (%TCPK_CMD_POLICY_TEST), %TCPK_CMD_POLICY_EXPLAIN, the mode
 *    (%TCPK_CMD_MODE_SET, %TCPK_CMD_MODE_GET), agents
 *    (%TCPK_CMD_AGENT_START, %TCPK_CMD_AGENT_GET), the multicast group
 *    %TCPK_MCGRP_EVENTS with %TCPK_CMD_EVENT, and the policy counters in
 *    %TCPK_A_STATS.
 * 4: the decision flags that say which identity the object's descriptor
 *    was found by (%TCPK_DECISION_F_DESC_NAME, %TCPK_DECISION_F_DESC_PATH,
 *    %TCPK_DECISION_F_DESC_DIGEST, %TCPK_DECISION_F_DESC_SYSCALL), for the
 *    decisions of the BPF-LSM hooks; the operation %TCPK_OP_SIGNAL.
 * 5: behaviour: %TCPK_CMD_PROC_GET with %TCPK_A_PROC (tracked processes,
 *    their features and anomaly score) and the event
 *    %TCPK_EVENT_BEHAVIOR with %TCPK_A_EVENT_BEHAVIOR.
 * 6: the XDP flow monitor's event %TCPK_EVENT_FLOW with %TCPK_A_EVENT_FLOW
 *    (&enum tcpk_flow_attr, &enum tcpk_flow_reason).
 * 7: %TCPK_CMD_PROC_RELEASE, the end of a process's quarantine; the event
 *    queue's use in %TCPK_A_STATS (%TCPK_A_STATS_EVENTS_QUEUED,
 *    %TCPK_A_STATS_EVENTS_QUEUE_PEAK, %TCPK_A_STATS_EVENTS_QUEUE_LEN) and
 *    %TCPK_A_STATS_AUDIT_RECORDS_LOST; the per-process table's size,
 *    evictions and memory (%TCPK_A_STATS_PROCS, %TCPK_A_STATS_PROCS_EVICTED,
 *    %TCPK_A_STATS_PROCS_BYTES); violations (%TCPK_A_PROC_VIOLATIONS,
 *    %TCPK_DECISION_F_VIOLATIONS).
 * 8: system call sequences: patterns (%TCPK_CMD_SEQ_ADD, %TCPK_CMD_SEQ_DEL,
 *    %TCPK_CMD_SEQ_GET with %TCPK_A_SEQ) and learned profiles
 *    (%TCPK_CMD_PROFILE_SET, %TCPK_CMD_PROFILE_GET, %TCPK_CMD_PROFILE_DEL
 *    with %TCPK_A_PROFILE); the behaviours %TCPK_BEHAVIOR_SEQUENCE and
 *    %TCPK_BEHAVIOR_NOVEL; a process's pattern completions and locality
 *    frame count in %TCPK_A_PROC; the behaviour model
 *    (%TCPK_CMD_MODEL_SET, %TCPK_CMD_MODEL_GET, %TCPK_CMD_MODEL_DEL with
 *    %TCPK_A_MODEL) and %TCPK_BEHAVIOR_MODEL; %TCPK_BEHAVIOR_THRESHOLD.
 * 9: hardware monitors: %TCPK_CMD_HWMON_GET with %TCPK_A_HWMON (&enum
 *    tcpk_hwmon, &enum tcpk_hwmon_attr) and %TCPK_A_HWMON_TASK (&enum
 *    tcpk_hwmon_task_attr); the part %TCPK_PART_PERF; the behaviour
 *    %TCPK_BEHAVIOR_HWMON with %TCPK_A_BEHAVIOR_SIGNAL (&enum
 *    tcpk_hwmon_signal).
 * 10: %TCPK_CMD_LOCK with %TCPK_A_LOCK_CONFIRM (%TCPK_LOCK_CONFIRM), the
 *    %TCPK_A_LOCKED attribute of %TCPK_CMD_GET_STATUS and the event
 *    %TCPK_EVENT_LOCK.
 * 11: signed policy: %TCPK_A_SIGNATURE on %TCPK_CMD_RULE_REPLACE,
 *    %TCPK_CMD_DESC_ADD and %TCPK_CMD_MODEL_SET; %TCPK_A_SIGNED_REQUIRED
 *    and %TCPK_A_KEYRING in %TCPK_CMD_GET_STATUS.
 * 12: %TCPK_CMD_COST_GET with %TCPK_A_COST_ITERATIONS, %TCPK_A_COST (&enum
 *    tcpk_cost_attr, &enum tcpk_cost_component) and %TCPK_A_COST_CPU: the
 *    in-module cost of the decision path's components.
 */
#define TCPK_UAPI_VERSION	12

/**
 * define TCPK_SIGNATURE_MAX - the largest %TCPK_A_SIGNATURE, in bytes
 *
 * A detached PKCS#7 signature without certificates is a few hundred bytes
 * (about 700 for RSA-4096).  Available since uapi 11.
 */
#define TCPK_SIGNATURE_MAX	8192

/**
 * define TCPK_COST_ITERATIONS_MIN - fewest operations per component that
 *	%TCPK_CMD_COST_GET accepts in %TCPK_A_COST_ITERATIONS
 *
 * Available since uapi 12.
 */
#define TCPK_COST_ITERATIONS_MIN	1

/**
 * define TCPK_COST_ITERATIONS_MAX - most operations per component that
 *	%TCPK_CMD_COST_GET accepts in %TCPK_A_COST_ITERATIONS
 *
 * Available since uapi 12.
 */
#define TCPK_COST_ITERATIONS_MAX	1000000

/**
 * define TCPK_COST_ITERATIONS_DEFAULT - operations per component when
 *	%TCPK_A_COST_ITERATIONS is absent
 *
 * Available since uapi 12.
 */
#define TCPK_COST_ITERATIONS_DEFAULT	10000

/**
 * define TCPK_LOCK_CONFIRM - the value %TCPK_A_LOCK_CONFIRM must have
 *
 * "LOCK" in ASCII, big-endian: a %TCPK_CMD_LOCK request without it is
 * refused, so that no request locks the module by accident.  Available
 * since uapi 10.
 */
#define TCPK_LOCK_CONFIRM	0x4c4f434b

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
 * @TCPK_PART_PERF: per-task performance counters (``enable_perf``): the
 *	software events everywhere, the hardware ones where the CPU has a
 *	PMU.  Since uapi 9.
 * @__TCPK_PART_MAX: one past the last part, not a part.
 *
 * Available since uapi 1.
 */
enum tcpk_part {
	TCPK_PART_EBPF = 0,
	TCPK_PART_LSM = 1,
	TCPK_PART_INTEL_PT = 2,
	TCPK_PART_CET = 3,
	TCPK_PART_PERF = 4,

	__TCPK_PART_MAX
};

/**
 * enum tcpk_cmd - commands of the family
 * @TCPK_CMD_UNSPEC: unused.
 * @TCPK_CMD_GET_STATUS: request the module's status; the reply carries
 *	%TCPK_A_MODULE_VERSION, %TCPK_A_UAPI_VERSION, %TCPK_A_SECURITY_LEVEL,
 *	%TCPK_A_KERNEL_RELEASE, one %TCPK_A_PART per &enum tcpk_part,
 *	%TCPK_A_STATS, (since uapi 10) %TCPK_A_LOCKED and (since uapi 11)
 *	%TCPK_A_SIGNED_REQUIRED and %TCPK_A_KEYRING.  No privilege
 *	needed.  Available since uapi 1.
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
 * @TCPK_CMD_RULE_ADD: add one rule (one %TCPK_A_RULE nest) to the policy;
 *	the reply carries its %TCPK_A_RULE (with the id assigned) and the new
 *	%TCPK_A_GENERATION.  Needs CAP_NET_ADMIN.  Available since uapi 3.
 * @TCPK_CMD_RULE_DEL: delete the rule whose %TCPK_A_RULE_ID is given in one
 *	%TCPK_A_RULE nest; -ENOENT if none.  Needs CAP_NET_ADMIN.  Available
 *	since uapi 3.
 * @TCPK_CMD_RULE_GET: do: the rule of one id; dump: every rule in
 *	evaluation order, with its hit counter.  Available since uapi 3.
 * @TCPK_CMD_RULE_FLUSH: delete every rule.  Needs CAP_NET_ADMIN.
 *	Available since uapi 3.
 * @TCPK_CMD_RULE_REPLACE: replace the whole policy, atomically, by the
 *	rules given (zero or more %TCPK_A_RULE nests); if any is invalid,
 *	nothing changes and the extack names its index.  Needs CAP_NET_ADMIN.
 *	Available since uapi 3.
 * @TCPK_CMD_POLICY_TEST: what-if: decide the hypothetical operation of one
 *	%TCPK_A_REQ nest under the current policy and mode, with no side
 *	effect (no counter, cache entry, event or record); the reply carries
 *	a %TCPK_A_DECISION.  No privilege needed.  Available since uapi 3.
 * @TCPK_CMD_POLICY_EXPLAIN: the last decisions taken for the process
 *	%TCPK_A_PID, oldest first, one %TCPK_A_DECISION nest each.  Needs
 *	CAP_NET_ADMIN.  Available since uapi 3.
 * @TCPK_CMD_MODE_SET: set the rollout mode from one %TCPK_A_MODE nest
 *	(attributes absent stay as they are).  Needs CAP_NET_ADMIN.
 *	Available since uapi 3.
 * @TCPK_CMD_MODE_GET: the reply carries the %TCPK_A_MODE nest, the rule
 *	count, limit and %TCPK_A_GENERATION.  Available since uapi 3.
 * @TCPK_CMD_AGENT_START: label the calling process as an agent
 *	(%TCPK_A_AGENT with a name and optionally a workspace); every process
 *	it creates from then on inherits the label.  A process that is
 *	already labelled is refused (-EPERM), so an agent cannot relabel
 *	itself.  No privilege needed: a label only restricts.  Available
 *	since uapi 3.
 * @TCPK_CMD_AGENT_GET: dump: every labelled process, one %TCPK_A_AGENT
 *	each.  Available since uapi 3.
 * @TCPK_CMD_EVENT: notification on %TCPK_MCGRP_EVENTS, one
 *	%TCPK_A_EVENT nest.  Available since uapi 3.
 * @TCPK_CMD_PROC_GET: do: the process whose %TCPK_A_PID is given; dump:
 *	every tracked process; one %TCPK_A_PROC each.  Needs
 *	CAP_NET_ADMIN.  Available since uapi 5.
 * @TCPK_CMD_PROC_RELEASE: end the quarantine of the process whose
 *	%TCPK_A_PID is given: its later operations are decided by the policy
 *	again.  -ENOENT if it is not quarantined.  Needs CAP_NET_ADMIN.
 *	Available since uapi 7.
 * @TCPK_CMD_SEQ_ADD: add one pattern (one %TCPK_A_SEQ nest with a name,
 *	a weight, a gap and two or more steps; an id, or the next free one).
 *	The reply carries the pattern.  Needs CAP_NET_ADMIN.  Since uapi 8.
 * @TCPK_CMD_SEQ_DEL: delete the pattern whose %TCPK_A_SEQ_ID is given in
 *	one %TCPK_A_SEQ nest.  Needs CAP_NET_ADMIN.  Since uapi 8.
 * @TCPK_CMD_SEQ_GET: dump: every pattern, one %TCPK_A_SEQ nest each.
 *	Since uapi 8.
 * @TCPK_CMD_PROFILE_SET: create, replace or switch the profile of the
 *	executable %TCPK_A_PROFILE_PATH (one %TCPK_A_PROFILE nest): with
 *	%TCPK_A_PROFILE_NGRAMS, a new profile with those trigrams (import);
 *	without, a new empty profile, or the existing one's mode changed to
 *	%TCPK_A_PROFILE_MODE.  Needs CAP_NET_ADMIN.  Since uapi 8.
 * @TCPK_CMD_PROFILE_GET: do: the profile of %TCPK_A_PROFILE_PATH with its
 *	trigrams (export); dump: every profile, without them.  Needs
 *	CAP_NET_ADMIN (paths of executables).  Since uapi 8.
 * @TCPK_CMD_PROFILE_DEL: delete the profile of %TCPK_A_PROFILE_PATH.
 *	Needs CAP_NET_ADMIN.  Since uapi 8.
 * @TCPK_CMD_MODEL_SET: load the behaviour model of one %TCPK_A_MODEL nest
 *	(weights, bias, threshold, points), replacing the one loaded.  Needs
 *	CAP_NET_ADMIN.  Since uapi 8.
 * @TCPK_CMD_MODEL_GET: the reply carries the loaded model and its
 *	counters in %TCPK_A_MODEL (-ENOENT if none is loaded).  Since uapi 8.
 * @TCPK_CMD_MODEL_DEL: unload the model.  Needs CAP_NET_ADMIN.  Since
 *	uapi 8.
 * @TCPK_CMD_HWMON_GET: do: one %TCPK_A_HWMON nest per hardware monitor;
 *	dump: one %TCPK_A_HWMON_TASK nest per task the monitors watch.
 *	Needs CAP_NET_ADMIN.  Since uapi 9.
 * @TCPK_CMD_LOCK: lock the module until reboot: every later change that
 *	could loosen enforcement is refused with -EPERM and the module
 *	cannot be unloaded.  The request must carry %TCPK_A_LOCK_CONFIRM
 *	with %TCPK_LOCK_CONFIRM.  Needs CAP_NET_ADMIN.  Since uapi 10.
 * @TCPK_CMD_COST_GET: measure, inside the module and on the calling CPU,
 *	what each component of a decision costs; the request may carry
 *	%TCPK_A_COST_ITERATIONS; the reply carries one %TCPK_A_COST nest per
 *	&enum tcpk_cost_component, %TCPK_A_COST_ITERATIONS, %TCPK_A_COST_CPU,
 *	%TCPK_A_RULE_COUNT and %TCPK_A_DB_COUNT.  No side effect visible to
 *	users.  Needs CAP_NET_ADMIN (refused with an extended ack).  Since
 *	uapi 12.
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
	TCPK_CMD_RULE_ADD,
	TCPK_CMD_RULE_DEL,
	TCPK_CMD_RULE_GET,
	TCPK_CMD_RULE_FLUSH,
	TCPK_CMD_RULE_REPLACE,
	TCPK_CMD_POLICY_TEST,
	TCPK_CMD_POLICY_EXPLAIN,
	TCPK_CMD_MODE_SET,
	TCPK_CMD_MODE_GET,
	TCPK_CMD_AGENT_START,
	TCPK_CMD_AGENT_GET,
	TCPK_CMD_EVENT,
	TCPK_CMD_PROC_GET,
	TCPK_CMD_PROC_RELEASE,
	TCPK_CMD_SEQ_ADD,
	TCPK_CMD_SEQ_DEL,
	TCPK_CMD_SEQ_GET,
	TCPK_CMD_PROFILE_SET,
	TCPK_CMD_PROFILE_GET,
	TCPK_CMD_PROFILE_DEL,
	TCPK_CMD_MODEL_SET,
	TCPK_CMD_MODEL_GET,
	TCPK_CMD_MODEL_DEL,
	TCPK_CMD_HWMON_GET,
	TCPK_CMD_LOCK,
	TCPK_CMD_COST_GET,

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
 * @TCPK_A_RULE: nest of &enum tcpk_rule_attr, one per rule (multi-attr).
 *	Since uapi 3.
 * @TCPK_A_REQ: nest of &enum tcpk_req_attr.  Since uapi 3.
 * @TCPK_A_DECISION: nest of &enum tcpk_decision_attr (multi-attr in
 *	explain replies).  Since uapi 3.
 * @TCPK_A_AGENT: nest of &enum tcpk_agent_attr.  Since uapi 3.
 * @TCPK_A_MODE: nest of &enum tcpk_mode_attr.  Since uapi 3.
 * @TCPK_A_EVENT: nest of &enum tcpk_event_attr.  Since uapi 3.
 * @TCPK_A_GENERATION: u64, generation of the rule set in force; every
 *	published change increments it.  Since uapi 3.
 * @TCPK_A_RULE_COUNT: u32, rules in the set in force.  Since uapi 3.
 * @TCPK_A_RULE_LIMIT: u32, the most rules a set may hold (module
 *	parameter ``max_rules``).  Since uapi 3.
 * @TCPK_A_PID: u32, a process id (initial pid namespace).  Since uapi 3.
 * @TCPK_A_PROC: nest of &enum tcpk_proc_attr.  Since uapi 5.
 * @TCPK_A_SEQ: nest of &enum tcpk_seq_attr, one per pattern.  Since uapi 8.
 * @TCPK_A_PROFILE: nest of &enum tcpk_profile_attr, one per profile.
 *	Since uapi 8.
 * @TCPK_A_MODEL: nest of &enum tcpk_model_attr.  Since uapi 8.
 * @TCPK_A_HWMON: nest of &enum tcpk_hwmon_attr, one per monitor
 *	(multi-attr).  Since uapi 9.
 * @TCPK_A_HWMON_TASK: nest of &enum tcpk_hwmon_task_attr.  Since uapi 9.
 * @TCPK_A_LOCK_CONFIRM: u32, %TCPK_LOCK_CONFIRM in a %TCPK_CMD_LOCK
 *	request.  Since uapi 10.
 * @TCPK_A_LOCKED: u8, 1 if the module is locked until reboot
 *	(%TCPK_CMD_GET_STATUS).  Since uapi 10.
 * @TCPK_A_SIGNATURE: binary, at most %TCPK_SIGNATURE_MAX bytes: a detached
 *	PKCS#7 (DER) signature of the request, which must be its last
 *	attribute.  The signed bytes are the request's generic netlink header
 *	(command, version, reserved) and every attribute before this one,
 *	exactly as sent.  Taken by %TCPK_CMD_RULE_REPLACE, %TCPK_CMD_DESC_ADD
 *	and %TCPK_CMD_MODEL_SET.  Since uapi 11.
 * @TCPK_A_SIGNED_REQUIRED: u8, 1 if the module parameter
 *	``require_signed_policy`` is set (%TCPK_CMD_GET_STATUS).  Since uapi 11.
 * @TCPK_A_KEYRING: u32, serial number of the module's keyring
 *	".tcp_kernel" (%TCPK_CMD_GET_STATUS); 0 if it could not be made.
 *	Since uapi 11.
 * @TCPK_A_COST_ITERATIONS: u32, operations timed per component in a
 *	%TCPK_CMD_COST_GET request (%TCPK_COST_ITERATIONS_MIN to
 *	%TCPK_COST_ITERATIONS_MAX, default %TCPK_COST_ITERATIONS_DEFAULT) and
 *	its reply.  Since uapi 12.
 * @TCPK_A_COST: nest of &enum tcpk_cost_attr, one per component
 *	(multi-attr).  Since uapi 12.
 * @TCPK_A_COST_CPU: u32, the CPU the costs were measured on.  Since
 *	uapi 12.
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
	TCPK_A_RULE,
	TCPK_A_REQ,
	TCPK_A_DECISION,
	TCPK_A_AGENT,
	TCPK_A_MODE,
	TCPK_A_EVENT,
	TCPK_A_GENERATION,
	TCPK_A_RULE_COUNT,
	TCPK_A_RULE_LIMIT,
	TCPK_A_PID,
	TCPK_A_PROC,
	TCPK_A_SEQ,
	TCPK_A_PROFILE,
	TCPK_A_MODEL,
	TCPK_A_HWMON,
	TCPK_A_HWMON_TASK,
	TCPK_A_LOCK_CONFIRM,
	TCPK_A_LOCKED,
	TCPK_A_SIGNATURE,
	TCPK_A_SIGNED_REQUIRED,
	TCPK_A_KEYRING,
	TCPK_A_COST_ITERATIONS,
	TCPK_A_COST,
	TCPK_A_COST_CPU,

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
 * @TCPK_A_STATS_DECISIONS: u64, policy decisions taken (what-if queries
 *	excluded).  Since uapi 3.
 * @TCPK_A_STATS_CACHE_HITS: u64, decisions answered from the cache.
 *	Since uapi 3.
 * @TCPK_A_STATS_CACHE_MISSES: u64, decisions that walked the rules.
 *	Since uapi 3.
 * @TCPK_A_STATS_FAST_PATH: u64, decisions answered by the fast path.
 *	Since uapi 3.
 * @TCPK_A_STATS_EVENTS: u64, events delivered to the multicast group.
 *	Since uapi 3.
 * @TCPK_A_STATS_EVENTS_DROPPED: u64, events lost (queue full, no memory
 *	or no room in the socket buffers).  Since uapi 3.
 * @TCPK_A_STATS_AUDIT_RECORDS: u64, denials written to the audit log.
 *	Since uapi 3.
 * @TCPK_A_STATS_AGENT_LABELS: u64, labels given to processes (agent starts
 *	and inheritance at fork).  Since uapi 3.
 * @TCPK_A_STATS_AGENT_LABELS_LOST: u64, forks of a labelled process whose
 *	child could not be labelled (no memory).  Since uapi 3.
 * @TCPK_A_STATS_OP: nest of &enum tcpk_op_stats_attr, one per operation
 *	(multi-attr).  Since uapi 3.
 * @TCPK_A_STATS_EVENTS_QUEUED: u64, events waiting in the module's event
 *	queue when the status was taken.  Since uapi 7.
 * @TCPK_A_STATS_EVENTS_QUEUE_PEAK: u64, most events waiting at once since
 *	load; at %TCPK_A_STATS_EVENTS_QUEUE_LEN the queue was full and later
 *	events were dropped.  Since uapi 7.
 * @TCPK_A_STATS_EVENTS_QUEUE_LEN: u64, slots of the event queue (module
 *	parameter event_queue_len).  Since uapi 7.
 * @TCPK_A_STATS_AUDIT_RECORDS_LOST: u64, enforced denials that got no audit
 *	record: their event was dropped from the full queue, or audit gave
 *	no buffer (audit off, or its backlog full).  Since uapi 7.
 * @TCPK_A_STATS_PROCS: u64, processes in the per-process table now (at
 *	most the module parameter max_procs).  Since uapi 7.
 * @TCPK_A_STATS_PROCS_EVICTED: u64, entries evicted to make room in the
 *	full table (only entries with no label, no quarantine and a score of
 *	0: their decision history is lost).  Since uapi 7.
 * @TCPK_A_STATS_PROCS_BYTES: u64, memory of the table's entries and their
 *	decision histories now, in bytes (slab sizes; the index's own nodes
 *	are not counted).  Since uapi 7.
 * @__TCPK_A_STATS_MAX: one past the last attribute, not an attribute.
 *
 * The decision, cache and request counters are per-CPU in the module and
 * summed when read; the event counters are shared atomics (their producers
 * already share the queue's lock), the queue's fill is read under its lock.
 * Available since uapi 1 unless said otherwise.
 */
enum tcpk_stats_attr {
	TCPK_A_STATS_UNSPEC,
	TCPK_A_STATS_PAD,
	TCPK_A_STATS_KFUNC_CALLS,
	TCPK_A_STATS_GENL_REQUESTS,
	TCPK_A_STATS_DECISIONS,
	TCPK_A_STATS_CACHE_HITS,
	TCPK_A_STATS_CACHE_MISSES,
	TCPK_A_STATS_FAST_PATH,
	TCPK_A_STATS_EVENTS,
	TCPK_A_STATS_EVENTS_DROPPED,
	TCPK_A_STATS_AUDIT_RECORDS,
	TCPK_A_STATS_AGENT_LABELS,
	TCPK_A_STATS_AGENT_LABELS_LOST,
	TCPK_A_STATS_OP,
	TCPK_A_STATS_EVENTS_QUEUED,
	TCPK_A_STATS_EVENTS_QUEUE_PEAK,
	TCPK_A_STATS_EVENTS_QUEUE_LEN,
	TCPK_A_STATS_AUDIT_RECORDS_LOST,
	TCPK_A_STATS_PROCS,
	TCPK_A_STATS_PROCS_EVICTED,
	TCPK_A_STATS_PROCS_BYTES,

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

/**
 * define TCPK_MCGRP_EVENTS - name of the multicast group of policy events
 * Carries one %TCPK_CMD_EVENT message per event.  Joining it needs
 * CAP_NET_ADMIN.  Available since uapi 3.
 */
#define TCPK_MCGRP_EVENTS	"events"

/**
 * define TCPK_RULE_COMM_MAX - longest comm glob of a rule, with its NUL
 */
#define TCPK_RULE_COMM_MAX	64

/**
 * define TCPK_RULE_GLOB_MAX - longest path glob of a rule, with its NUL
 * Bounds the cost of matching: a glob is matched against a path in at most
 * (glob length x path length) steps, without recursion or allocation.
 */
#define TCPK_RULE_GLOB_MAX	1024

/**
 * define TCPK_RULE_SYSCALLS_MAX - most system calls one rule names
 */
#define TCPK_RULE_SYSCALLS_MAX	16

/**
 * define TCPK_AGENT_NAME_MAX - longest agent label, with its NUL
 */
#define TCPK_AGENT_NAME_MAX	32

/**
 * define TCPK_PATH_MAX - longest object, executable or workspace path, with
 * its NUL
 */
#define TCPK_PATH_MAX		4096

/**
 * define TCPK_SEQ_SYSCALLS - system call numbers a sequence can name
 *
 * Native x86_64 numbers 0 to %TCPK_SEQ_SYSCALLS - 1.  A step of a pattern
 * is a bitmap of this many bits (%TCPK_A_SEQ_STEP).  Since uapi 8.
 */
#define TCPK_SEQ_SYSCALLS	512

/**
 * define TCPK_SEQ_STEPS_MAX - most steps of a pattern (at least 2)
 */
#define TCPK_SEQ_STEPS_MAX	8

/**
 * define TCPK_SEQ_PATTERNS_MAX - most patterns in force at once
 */
#define TCPK_SEQ_PATTERNS_MAX	64

/**
 * define TCPK_SEQ_NAME_MAX - longest pattern name, with its NUL
 */
#define TCPK_SEQ_NAME_MAX	32

/**
 * define TCPK_SEQ_GAP_MAX - most calls allowed between two steps
 */
#define TCPK_SEQ_GAP_MAX	255

/**
 * define TCPK_SEQ_WEIGHT_MAX - most anomaly score points of a pattern
 */
#define TCPK_SEQ_WEIGHT_MAX	1000

/**
 * define TCPK_PROFILE_FRAME - trigrams in a locality frame
 *
 * The locality frame count of a process is how many of its last
 * %TCPK_PROFILE_FRAME trigrams were not in its executable's profile.
 * Since uapi 8.
 */
#define TCPK_PROFILE_FRAME	32

/**
 * define TCPK_PROFILE_NGRAMS_MAX - most trigrams one profile holds
 *
 * So many that the %TCPK_A_PROFILE nest of an export, with them, the
 * longest path and the counters, fits a nest's u16 length.  The module
 * parameter ``profile_ngrams`` bounds it further.
 */
#define TCPK_PROFILE_NGRAMS_MAX	15000

/**
 * define TCPK_MODEL_FEATURES - inputs of the behaviour model
 *
 * The eight class fractions of &enum tcpk_syscall_class, then the novel
 * trigrams, the failed calls and the pattern completions of a window,
 * each in Q8 (behavior/model.h).  Since uapi 8.
 */
#define TCPK_MODEL_FEATURES	11

/**
 * define TCPK_MODEL_WINDOW - system calls in one window of the model
 */
#define TCPK_MODEL_WINDOW	64

/**
 * define TCPK_MODEL_WEIGHT_MAX - largest weight magnitude (16.0 in Q8)
 */
#define TCPK_MODEL_WEIGHT_MAX	4096

/**
 * define TCPK_MODEL_BIAS_MAX - largest bias magnitude (64.0 in Q16)
 */
#define TCPK_MODEL_BIAS_MAX	4194304

/**
 * enum tcpk_syscall_class - classes of system calls in a process's
 *	histogram (%TCPK_A_PROC_CLASSES)
 * @TCPK_SC_OTHER: anything else (time, signals, identity getters, ...).
 * @TCPK_SC_FILE_READ: reading files and directories (read, pread64,
 *	readv, preadv, preadv2, sendfile, getdents, readlink, ...).
 * @TCPK_SC_FILE_WRITE: writing them (write, pwrite64, writev, truncate,
 *	fallocate, copy_file_range, splice, ...).
 * @TCPK_SC_FILE_META: opening, closing, naming and describing them (open,
 *	openat, close, stat family, unlink, rename, chmod, ioctl, dup, ...).
 * @TCPK_SC_NET: sockets (socket, connect, accept, send and receive
 *	family, bind, listen, socket options).
 * @TCPK_SC_PROC: processes and credentials (clone, fork, execve, exit,
 *	wait, kill, setuid family, ptrace, prctl, unshare, setns, ...).
 * @TCPK_SC_MEM: memory (mmap, mprotect, munmap, brk, madvise,
 *	memfd_create, process_vm_readv, ...).
 * @TCPK_SC_IPC: waiting and inter-process communication (pipe, poll,
 *	select, epoll, futex, eventfd, System V IPC).
 * @__TCPK_SC_MAX: one past the last class, not a class.
 *
 * File operations, counted in %TCPK_A_PROC_FILEOPS, are the three file
 * classes.  Available since uapi 8.
 */
enum tcpk_syscall_class {
	TCPK_SC_OTHER,
	TCPK_SC_FILE_READ,
	TCPK_SC_FILE_WRITE,
	TCPK_SC_FILE_META,
	TCPK_SC_NET,
	TCPK_SC_PROC,
	TCPK_SC_MEM,
	TCPK_SC_IPC,

	__TCPK_SC_MAX
};

/**
 * define TCPK_TOP_SYSCALLS - system calls a process's top list holds
 */
#define TCPK_TOP_SYSCALLS	4

/**
 * enum tcpk_profile_mode - what a learned profile does
 * @TCPK_PROFILE_LEARN: the trigrams of the executable's tracked processes
 *	are added to it.
 * @TCPK_PROFILE_DETECT: trigrams not in it are novel and count in the
 *	processes' locality frames.
 *
 * Available since uapi 8.
 */
enum tcpk_profile_mode {
	TCPK_PROFILE_LEARN = 1,
	TCPK_PROFILE_DETECT = 2,
};

/**
 * enum tcpk_op - operations a decision is about, one per LSM hook family
 * @TCPK_OP_EXEC: executing a file (bprm_check_security).
 * @TCPK_OP_FORK: creating a task (task_alloc).
 * @TCPK_OP_OPEN: opening a file (file_open); the access bits say how.
 * @TCPK_OP_PERMISSION: reading or writing an open file (file_permission).
 * @TCPK_OP_UNLINK: removing a file (inode_unlink).
 * @TCPK_OP_RMDIR: removing a directory (inode_rmdir).
 * @TCPK_OP_RENAME: renaming or moving a file (inode_rename); the path is
 *	the source.
 * @TCPK_OP_SOCKET: creating a socket (socket_create).
 * @TCPK_OP_CONNECT: connecting a socket (socket_connect).
 * @TCPK_OP_SENDMSG: sending on a socket (socket_sendmsg).
 * @TCPK_OP_MMAP: mapping a file or anonymous memory (mmap_file).
 * @TCPK_OP_MPROTECT: changing a mapping's protection (file_mprotect).
 * @TCPK_OP_MSGSND: sending to a System V message queue (msg_queue_msgsnd).
 * @TCPK_OP_SHMAT: attaching System V shared memory (shm_shmat).
 * @TCPK_OP_CAPABLE: using a capability (capable).
 * @TCPK_OP_PTRACE: tracing another process (ptrace_access_check).
 * @TCPK_OP_CHMOD: changing a file's mode (path_chmod, inode_setattr).
 * @TCPK_OP_SIGNAL: sending a signal to another process (task_kill); the
 *	target scope says whether the target is in the subject's agent
 *	session.  Since uapi 4.
 * @__TCPK_OP_MAX: one past the last operation, not an operation.
 *
 * A rule names operations as a mask of ``1 << enum tcpk_op``
 * (%TCPK_A_RULE_OPS).  Available since uapi 3.
 */
enum tcpk_op {
	TCPK_OP_EXEC = 0,
	TCPK_OP_FORK = 1,
	TCPK_OP_OPEN = 2,
	TCPK_OP_PERMISSION = 3,
	TCPK_OP_UNLINK = 4,
	TCPK_OP_RMDIR = 5,
	TCPK_OP_RENAME = 6,
	TCPK_OP_SOCKET = 7,
	TCPK_OP_CONNECT = 8,
	TCPK_OP_SENDMSG = 9,
	TCPK_OP_MMAP = 10,
	TCPK_OP_MPROTECT = 11,
	TCPK_OP_MSGSND = 12,
	TCPK_OP_SHMAT = 13,
	TCPK_OP_CAPABLE = 14,
	TCPK_OP_PTRACE = 15,
	TCPK_OP_CHMOD = 16,
	TCPK_OP_SIGNAL = 17,

	__TCPK_OP_MAX
};

/**
 * define TCPK_OPS_ALL - mask of every operation
 */
#define TCPK_OPS_ALL		((1U << __TCPK_OP_MAX) - 1)

/**
 * enum tcpk_access - bit numbers of how an operation touches its object
 * @TCPK_ACCESS_READ: reads the object.
 * @TCPK_ACCESS_WRITE: writes to (or truncates) an existing object.
 * @TCPK_ACCESS_EXEC: executes it, or maps memory executable.
 * @TCPK_ACCESS_APPEND: appends only.
 * @TCPK_ACCESS_CREATE: the object is created by this operation.
 * @TCPK_ACCESS_SETID: sets a set-user-ID or set-group-ID bit.
 * @TCPK_ACCESS_AGENT_WRITTEN: the object was written by the subject's own
 *	agent session (the module remembers the files an agent wrote).
 * @__TCPK_ACCESS_MAX: one past the last bit, not a bit.
 *
 * A request carries a mask of ``1 << enum tcpk_access``
 * (%TCPK_A_REQ_ACCESS); a rule's %TCPK_A_RULE_ACCESS matches when every bit
 * it names is present (mmap with write and exec is "W+X").  Available since
 * uapi 3.
 */
enum tcpk_access {
	TCPK_ACCESS_READ = 0,
	TCPK_ACCESS_WRITE = 1,
	TCPK_ACCESS_EXEC = 2,
	TCPK_ACCESS_APPEND = 3,
	TCPK_ACCESS_CREATE = 4,
	TCPK_ACCESS_SETID = 5,
	TCPK_ACCESS_AGENT_WRITTEN = 6,

	__TCPK_ACCESS_MAX
};

/**
 * define TCPK_ACCESS_ALL - mask of every access bit
 */
#define TCPK_ACCESS_ALL		((1U << __TCPK_ACCESS_MAX) - 1)

/**
 * enum tcpk_action - what a rule does when it matches
 * @TCPK_ACTION_UNSPEC: not an action; refused.
 * @TCPK_ACTION_ALLOW: allow; recorded only for tcp-policy explain.
 * @TCPK_ACTION_MONITOR: allow and record; an event only if the rule has
 *	%TCPK_RULE_F_ALERT.
 * @TCPK_ACTION_ALERT: allow and emit an alert event (when alerts are on).
 * @TCPK_ACTION_DENY: refuse with -EACCES where the mode enforces the
 *	operation; otherwise allow and emit a "would deny" event.
 * @TCPK_ACTION_KILL: as %TCPK_ACTION_DENY, and when enforced the process
 *	is killed with SIGKILL.
 * @TCPK_ACTION_QUARANTINE: as %TCPK_ACTION_DENY, and when enforced every
 *	later operation of the process is refused.
 * @__TCPK_ACTION_MAX: one past the last action, not an action.
 *
 * Available since uapi 3.
 */
enum tcpk_action {
	TCPK_ACTION_UNSPEC,
	TCPK_ACTION_ALLOW,
	TCPK_ACTION_MONITOR,
	TCPK_ACTION_ALERT,
	TCPK_ACTION_DENY,
	TCPK_ACTION_KILL,
	TCPK_ACTION_QUARANTINE,

	__TCPK_ACTION_MAX
};

/**
 * enum tcpk_rule_flag - bit numbers of %TCPK_A_RULE_FLAGS
 * @TCPK_RULE_F_ALERT: emit an event whenever the rule decides
 *	(``--alert=true``), whatever its action.
 * @__TCPK_RULE_F_MAX: one past the last flag, not a flag.
 *
 * Available since uapi 3.
 */
enum tcpk_rule_flag {
	TCPK_RULE_F_ALERT = 0,

	__TCPK_RULE_F_MAX
};

/**
 * enum tcpk_path_scope - where an object path lies relative to the
 *	subject's agent workspace
 * @TCPK_SCOPE_ANY: anywhere (no condition).
 * @TCPK_SCOPE_INSIDE: the workspace directory or below it.
 * @TCPK_SCOPE_OUTSIDE: not inside the workspace; a subject without a
 *	workspace, or an operation without a path, never matches.
 * @__TCPK_SCOPE_MAX: one past the last scope, not a scope.
 *
 * Used for object paths (%TCPK_A_RULE_PATH_SCOPE) and, with "inside"
 * meaning "in the subject's own agent session", for the target of ptrace
 * (%TCPK_A_RULE_TARGET_SCOPE).  Available since uapi 3.
 */
enum tcpk_path_scope {
	TCPK_SCOPE_ANY,
	TCPK_SCOPE_INSIDE,
	TCPK_SCOPE_OUTSIDE,

	__TCPK_SCOPE_MAX
};

/**
 * enum tcpk_verdict - the outcome of a decision
 * @TCPK_VERDICT_ALLOW: the operation goes ahead.
 * @TCPK_VERDICT_DENY: the operation is refused.
 * @__TCPK_VERDICT_MAX: one past the last verdict, not a verdict.
 *
 * Available since uapi 3.
 */
enum tcpk_verdict {
	TCPK_VERDICT_ALLOW,
	TCPK_VERDICT_DENY,

	__TCPK_VERDICT_MAX
};

/**
 * enum tcpk_decision_flag - bit numbers of %TCPK_A_DECISION_FLAGS
 * @TCPK_DECISION_F_MATCHED: a rule matched (otherwise the default of the
 *	security level decided).
 * @TCPK_DECISION_F_WOULD_DENY: the policy denies, but the mode does not
 *	enforce this operation: allowed and recorded as "would deny".
 * @TCPK_DECISION_F_ALERT: an event is emitted for the decision.
 * @TCPK_DECISION_F_KILL: the process is killed.
 * @TCPK_DECISION_F_QUARANTINE: the process is quarantined.
 * @TCPK_DECISION_F_CACHED: answered from the decision cache.
 * @TCPK_DECISION_F_FAST_PATH: answered by the fast path: no rule of the
 *	current set can match the operation.
 * @TCPK_DECISION_F_QUARANTINED: refused because the process was
 *	quarantined earlier.
 * @TCPK_DECISION_F_DESC_NAME: the object's descriptor was found by the
 *	executable's name (since uapi 4).
 * @TCPK_DECISION_F_DESC_PATH: ... by the executable's path (since uapi 4).
 * @TCPK_DECISION_F_DESC_DIGEST: ... by the executable's SHA-256 digest: a
 *	copied or renamed binary (since uapi 4).
 * @TCPK_DECISION_F_DESC_SYSCALL: ... by the system call being made (since
 *	uapi 4).
 * @TCPK_DECISION_F_VIOLATIONS: refused because the object is DESTRUCTIVE
 *	(a tool, or a system call bound to a descriptor) and the process has
 *	made max_violations violations or more (since uapi 7).
 * @__TCPK_DECISION_F_MAX: one past the last flag, not a flag.
 *
 * At most one of the DESC flags is set; none when the object has no
 * descriptor.  The four are in the order of &enum tcpk_desc_key_kind.
 * Available since uapi 3.
 */
enum tcpk_decision_flag {
	TCPK_DECISION_F_MATCHED = 0,
	TCPK_DECISION_F_WOULD_DENY = 1,
	TCPK_DECISION_F_ALERT = 2,
	TCPK_DECISION_F_KILL = 3,
	TCPK_DECISION_F_QUARANTINE = 4,
	TCPK_DECISION_F_CACHED = 5,
	TCPK_DECISION_F_FAST_PATH = 6,
	TCPK_DECISION_F_QUARANTINED = 7,
	TCPK_DECISION_F_DESC_NAME = 8,
	TCPK_DECISION_F_DESC_PATH = 9,
	TCPK_DECISION_F_DESC_DIGEST = 10,
	TCPK_DECISION_F_DESC_SYSCALL = 11,
	TCPK_DECISION_F_VIOLATIONS = 12,

	__TCPK_DECISION_F_MAX
};

/**
 * enum tcpk_event_type - what a %TCPK_CMD_EVENT reports
 * @TCPK_EVENT_UNSPEC: unused.
 * @TCPK_EVENT_DECISION: a decision that denied, would have denied or
 *	alerted (%TCPK_A_EVENT_DECISION and the subject and object).
 * @TCPK_EVENT_POLICY: a new rule set was published
 *	(%TCPK_A_EVENT_GENERATION, %TCPK_A_EVENT_RULES).
 * @TCPK_EVENT_MODE: the mode or security level changed, over netlink or
 *	by a write of a module parameter in sysfs.
 * @TCPK_EVENT_AGENT_START: a process was labelled as an agent.
 * @TCPK_EVENT_BEHAVIOR: a tracked process did something that raised its
 *	anomaly score (%TCPK_A_EVENT_BEHAVIOR and the subject).  Since
 *	uapi 5.
 * @TCPK_EVENT_FLOW: the XDP flow monitor scored or started dropping a
 *	flow (%TCPK_A_EVENT_FLOW; no subject: packets have no process).
 *	Since uapi 6.
 * @TCPK_EVENT_LOCK: the module was locked until reboot (the subject that
 *	locked it: %TCPK_A_EVENT_PID, %TCPK_A_EVENT_UID, %TCPK_A_EVENT_COMM;
 *	and the mode in force, %TCPK_A_EVENT_MODE).  Since uapi 10.
 * @__TCPK_EVENT_MAX: one past the last type, not a type.
 *
 * Available since uapi 3 unless said otherwise.
 */
enum tcpk_event_type {
	TCPK_EVENT_UNSPEC,
	TCPK_EVENT_DECISION,
	TCPK_EVENT_POLICY,
	TCPK_EVENT_MODE,
	TCPK_EVENT_AGENT_START,
	TCPK_EVENT_BEHAVIOR,
	TCPK_EVENT_FLOW,
	TCPK_EVENT_LOCK,

	__TCPK_EVENT_MAX
};

/**
 * enum tcpk_rule_attr - attributes inside a %TCPK_A_RULE nest
 * @TCPK_A_RULE_UNSPEC: unused.
 * @TCPK_A_RULE_PAD: padding for 64-bit attributes.
 * @TCPK_A_RULE_ID: u32, the rule's id, 1 or more; assigned by the module
 *	when absent in %TCPK_CMD_RULE_ADD and %TCPK_CMD_RULE_REPLACE.
 * @TCPK_A_RULE_PRIORITY: u32, lower numbers are evaluated first; rules of
 *	equal priority in the order they were added.  Default 1000.
 * @TCPK_A_RULE_ACTION: u32, &enum tcpk_action; required.
 * @TCPK_A_RULE_FLAGS: u32, mask of ``1 << enum tcpk_rule_flag``.
 * @TCPK_A_RULE_PID: u32, the subject's process id (tgid), as the initial
 *	pid namespace numbers it.
 * @TCPK_A_RULE_UID: u32, the subject's real user id (initial namespace).
 * @TCPK_A_RULE_GID: u32, the subject's real group id (initial namespace).
 * @TCPK_A_RULE_COMM: string, glob on the subject's command name (comm).
 * @TCPK_A_RULE_EXE: string, path glob on the subject's executable.
 * @TCPK_A_RULE_PATH: string, path glob on the object's path.
 * @TCPK_A_RULE_PATH_SCOPE: u32, &enum tcpk_path_scope of the object path
 *	relative to the subject's workspace.
 * @TCPK_A_RULE_CAPABILITY: u32, a capability number (CAP_*), for
 *	%TCPK_OP_CAPABLE.
 * @TCPK_A_RULE_SYSCALL: u32, an x86_64 system call number below 1024; up to
 *	%TCPK_RULE_SYSCALLS_MAX (multi-attr), any of which matches.
 * @TCPK_A_RULE_OPS: u32, mask of ``1 << enum tcpk_op``; any of which
 *	matches.
 * @TCPK_A_RULE_DESC_ANY: u32, descriptor flags of which at least one must
 *	be set on the object's descriptor.
 * @TCPK_A_RULE_DESC_ALL: u32, descriptor flags that must all be set.
 * @TCPK_A_RULE_ANOMALY_MIN: u32, the subject's anomaly score must be at
 *	least this.
 * @TCPK_A_RULE_AGENT: string, glob on the subject's agent label; an
 *	unlabelled subject never matches ("*" matches every agent).
 * @TCPK_A_RULE_CGROUP: u64, id of a cgroup v2; the subject must be in it
 *	or below it.
 * @TCPK_A_RULE_TARGET_SCOPE: u32, &enum tcpk_path_scope of a ptrace
 *	target: inside or outside the subject's agent session.
 * @TCPK_A_RULE_ACCESS: u32, mask of ``1 << enum tcpk_access`` that must all
 *	be present in the request.
 * @TCPK_A_RULE_HITS: u64, decisions this rule made (replies only).
 * @__TCPK_A_RULE_MAX: one past the last attribute, not an attribute.
 *
 * Every condition present must hold for the rule to match; an absent one
 * matches anything.  Globs: ``*`` and ``?`` (not across ``/`` in path
 * globs), ``[...]`` with ranges and ``!`` or ``^``, ``**`` across ``/``,
 * ``\`` to quote.  Available since uapi 3.
 */
enum tcpk_rule_attr {
	TCPK_A_RULE_UNSPEC,
	TCPK_A_RULE_PAD,
	TCPK_A_RULE_ID,
	TCPK_A_RULE_PRIORITY,
	TCPK_A_RULE_ACTION,
	TCPK_A_RULE_FLAGS,
	TCPK_A_RULE_PID,
	TCPK_A_RULE_UID,
	TCPK_A_RULE_GID,
	TCPK_A_RULE_COMM,
	TCPK_A_RULE_EXE,
	TCPK_A_RULE_PATH,
	TCPK_A_RULE_PATH_SCOPE,
	TCPK_A_RULE_CAPABILITY,
	TCPK_A_RULE_SYSCALL,
	TCPK_A_RULE_OPS,
	TCPK_A_RULE_DESC_ANY,
	TCPK_A_RULE_DESC_ALL,
	TCPK_A_RULE_ANOMALY_MIN,
	TCPK_A_RULE_AGENT,
	TCPK_A_RULE_CGROUP,
	TCPK_A_RULE_TARGET_SCOPE,
	TCPK_A_RULE_ACCESS,
	TCPK_A_RULE_HITS,

	__TCPK_A_RULE_MAX
};

#define TCPK_A_RULE_MAX	(__TCPK_A_RULE_MAX - 1)

/**
 * enum tcpk_req_attr - attributes inside a %TCPK_A_REQ nest: a
 *	hypothetical operation for %TCPK_CMD_POLICY_TEST
 * @TCPK_A_REQ_UNSPEC: unused.
 * @TCPK_A_REQ_PAD: padding for 64-bit attributes.
 * @TCPK_A_REQ_OP: u32, &enum tcpk_op; required.
 * @TCPK_A_REQ_PID: u32, a live process: the subject's comm, uid, gid,
 *	executable, cgroup and agent label are taken from it unless given.
 * @TCPK_A_REQ_UID: u32, the subject's real uid.
 * @TCPK_A_REQ_GID: u32, the subject's real gid.
 * @TCPK_A_REQ_COMM: string, the subject's command name.
 * @TCPK_A_REQ_EXE: string, the subject's executable path.
 * @TCPK_A_REQ_PATH: string, the object's absolute path.
 * @TCPK_A_REQ_CAPABILITY: u32, the capability used.
 * @TCPK_A_REQ_SYSCALL: u32, the system call; when absent, the usual one of
 *	the operation (execve for exec, unlinkat for unlink, ...).
 * @TCPK_A_REQ_DESC_FLAGS: u32, the object's descriptor flags; when absent,
 *	those of the descriptors bound to the path and the system call.
 * @TCPK_A_REQ_ANOMALY: u32, the subject's anomaly score.
 * @TCPK_A_REQ_AGENT: string, the subject's agent label.
 * @TCPK_A_REQ_WORKSPACE: string, the agent's workspace directory.
 * @TCPK_A_REQ_CGROUP: u64, the subject's cgroup v2 id.
 * @TCPK_A_REQ_TARGET_PID: u32, the ptrace target, a live process.
 * @TCPK_A_REQ_ACCESS: u32, mask of ``1 << enum tcpk_access``.
 * @__TCPK_A_REQ_MAX: one past the last attribute, not an attribute.
 *
 * Available since uapi 3.
 */
enum tcpk_req_attr {
	TCPK_A_REQ_UNSPEC,
	TCPK_A_REQ_PAD,
	TCPK_A_REQ_OP,
	TCPK_A_REQ_PID,
	TCPK_A_REQ_UID,
	TCPK_A_REQ_GID,
	TCPK_A_REQ_COMM,
	TCPK_A_REQ_EXE,
	TCPK_A_REQ_PATH,
	TCPK_A_REQ_CAPABILITY,
	TCPK_A_REQ_SYSCALL,
	TCPK_A_REQ_DESC_FLAGS,
	TCPK_A_REQ_ANOMALY,
	TCPK_A_REQ_AGENT,
	TCPK_A_REQ_WORKSPACE,
	TCPK_A_REQ_CGROUP,
	TCPK_A_REQ_TARGET_PID,
	TCPK_A_REQ_ACCESS,

	__TCPK_A_REQ_MAX
};

#define TCPK_A_REQ_MAX	(__TCPK_A_REQ_MAX - 1)

/**
 * enum tcpk_decision_attr - attributes inside a %TCPK_A_DECISION nest
 * @TCPK_A_DECISION_UNSPEC: unused.
 * @TCPK_A_DECISION_PAD: padding for 64-bit attributes.
 * @TCPK_A_DECISION_VERDICT: u32, &enum tcpk_verdict.
 * @TCPK_A_DECISION_ACTION: u32, &enum tcpk_action of the rule that matched,
 *	or of the level's default.
 * @TCPK_A_DECISION_RULE_ID: u32, the rule that matched; 0 for the default.
 * @TCPK_A_DECISION_FLAGS: u32, mask of ``1 << enum tcpk_decision_flag``.
 * @TCPK_A_DECISION_LEVEL: u32, the security level that applied.
 * @TCPK_A_DECISION_GENERATION: u64, generation of the rule set used.
 * @TCPK_A_DECISION_OP: u32, &enum tcpk_op (explain and events).
 * @TCPK_A_DECISION_PATH: string, the object path (explain and events).
 * @TCPK_A_DECISION_TIME: u64, CLOCK_BOOTTIME nanoseconds (explain and
 *	events).
 * @TCPK_A_DECISION_REASON: string, a human-readable account.
 * @__TCPK_A_DECISION_MAX: one past the last attribute, not an attribute.
 *
 * Available since uapi 3.
 */
enum tcpk_decision_attr {
	TCPK_A_DECISION_UNSPEC,
	TCPK_A_DECISION_PAD,
	TCPK_A_DECISION_VERDICT,
	TCPK_A_DECISION_ACTION,
	TCPK_A_DECISION_RULE_ID,
	TCPK_A_DECISION_FLAGS,
	TCPK_A_DECISION_LEVEL,
	TCPK_A_DECISION_GENERATION,
	TCPK_A_DECISION_OP,
	TCPK_A_DECISION_PATH,
	TCPK_A_DECISION_TIME,
	TCPK_A_DECISION_REASON,

	__TCPK_A_DECISION_MAX
};

#define TCPK_A_DECISION_MAX	(__TCPK_A_DECISION_MAX - 1)

/**
 * enum tcpk_agent_attr - attributes inside a %TCPK_A_AGENT nest
 * @TCPK_A_AGENT_UNSPEC: unused.
 * @TCPK_A_AGENT_PAD: padding for 64-bit attributes.
 * @TCPK_A_AGENT_NAME: string, the label, 1 to %TCPK_AGENT_NAME_MAX - 1
 *	bytes of ``[A-Za-z0-9._-]``.
 * @TCPK_A_AGENT_WORKSPACE: string, absolute path of the workspace
 *	directory; optional.
 * @TCPK_A_AGENT_SESSION: u64, the session id, one per
 *	%TCPK_CMD_AGENT_START (replies).
 * @TCPK_A_AGENT_PID: u32, a labelled process (replies).
 * @TCPK_A_AGENT_COMM: string, its command name (replies).
 * @__TCPK_A_AGENT_MAX: one past the last attribute, not an attribute.
 *
 * Available since uapi 3.
 */
enum tcpk_agent_attr {
	TCPK_A_AGENT_UNSPEC,
	TCPK_A_AGENT_PAD,
	TCPK_A_AGENT_NAME,
	TCPK_A_AGENT_WORKSPACE,
	TCPK_A_AGENT_SESSION,
	TCPK_A_AGENT_PID,
	TCPK_A_AGENT_COMM,

	__TCPK_A_AGENT_MAX
};

#define TCPK_A_AGENT_MAX	(__TCPK_A_AGENT_MAX - 1)

/**
 * enum tcpk_mode_attr - attributes inside a %TCPK_A_MODE nest
 * @TCPK_A_MODE_UNSPEC: unused.
 * @TCPK_A_MODE_LEVEL: u32, &enum tcpk_security_level (the module
 *	parameter ``security_level``).
 * @TCPK_A_MODE_ALERTS: u8, 1 if alert events are emitted.
 * @TCPK_A_MODE_BLOCK_OPS: u32, mask of ``1 << enum tcpk_op`` whose denials
 *	are enforced at level 2; denials of other operations are recorded as
 *	"would deny".  %TCPK_OPS_ALL is full enforcement.
 * @__TCPK_A_MODE_MAX: one past the last attribute, not an attribute.
 *
 * Available since uapi 3.
 */
enum tcpk_mode_attr {
	TCPK_A_MODE_UNSPEC,
	TCPK_A_MODE_LEVEL,
	TCPK_A_MODE_ALERTS,
	TCPK_A_MODE_BLOCK_OPS,

	__TCPK_A_MODE_MAX
};

#define TCPK_A_MODE_MAX	(__TCPK_A_MODE_MAX - 1)

/**
 * enum tcpk_event_attr - attributes inside a %TCPK_A_EVENT nest
 * @TCPK_A_EVENT_UNSPEC: unused.
 * @TCPK_A_EVENT_PAD: padding for 64-bit attributes.
 * @TCPK_A_EVENT_TYPE: u32, &enum tcpk_event_type.
 * @TCPK_A_EVENT_SEQ: u64, sequence number of the event; a gap means
 *	events were dropped.
 * @TCPK_A_EVENT_DROPPED: u64, events dropped since load (queue full, no
 *	memory, or flow events over the ``flow_events_per_sec`` limit).
 * @TCPK_A_EVENT_TIME: u64, CLOCK_BOOTTIME nanoseconds.
 * @TCPK_A_EVENT_PID: u32, the subject's process id.
 * @TCPK_A_EVENT_UID: u32, the subject's real uid.
 * @TCPK_A_EVENT_COMM: string, the subject's command name.
 * @TCPK_A_EVENT_AGENT: string, the subject's agent label, if any.
 * @TCPK_A_EVENT_DECISION: nest of &enum tcpk_decision_attr.
 * @TCPK_A_EVENT_GENERATION: u64, the rule-set generation now in force.
 * @TCPK_A_EVENT_RULES: u32, rules in that set.
 * @TCPK_A_EVENT_MODE: nest of &enum tcpk_mode_attr.
 * @TCPK_A_EVENT_BEHAVIOR: nest of &enum tcpk_behavior_attr.  Since uapi 5.
 * @TCPK_A_EVENT_FLOW: nest of &enum tcpk_flow_attr.  Since uapi 6.
 * @__TCPK_A_EVENT_MAX: one past the last attribute, not an attribute.
 *
 * Available since uapi 3 unless said otherwise.
 */
enum tcpk_event_attr {
	TCPK_A_EVENT_UNSPEC,
	TCPK_A_EVENT_PAD,
	TCPK_A_EVENT_TYPE,
	TCPK_A_EVENT_SEQ,
	TCPK_A_EVENT_DROPPED,
	TCPK_A_EVENT_TIME,
	TCPK_A_EVENT_PID,
	TCPK_A_EVENT_UID,
	TCPK_A_EVENT_COMM,
	TCPK_A_EVENT_AGENT,
	TCPK_A_EVENT_DECISION,
	TCPK_A_EVENT_GENERATION,
	TCPK_A_EVENT_RULES,
	TCPK_A_EVENT_MODE,
	TCPK_A_EVENT_BEHAVIOR,
	TCPK_A_EVENT_FLOW,

	__TCPK_A_EVENT_MAX
};

#define TCPK_A_EVENT_MAX	(__TCPK_A_EVENT_MAX - 1)

/**
 * enum tcpk_op_stats_attr - attributes inside a %TCPK_A_STATS_OP nest
 * @TCPK_A_OP_STATS_UNSPEC: unused.
 * @TCPK_A_OP_STATS_PAD: padding for 64-bit attributes.
 * @TCPK_A_OP_STATS_OP: u32, &enum tcpk_op.
 * @TCPK_A_OP_STATS_ALLOW: u64, decisions that allowed.
 * @TCPK_A_OP_STATS_DENY: u64, decisions that denied.
 * @TCPK_A_OP_STATS_WOULD_DENY: u64, denials recorded but not enforced.
 * @__TCPK_A_OP_STATS_MAX: one past the last attribute, not an attribute.
 *
 * Available since uapi 3.
 */
enum tcpk_op_stats_attr {
	TCPK_A_OP_STATS_UNSPEC,
	TCPK_A_OP_STATS_PAD,
	TCPK_A_OP_STATS_OP,
	TCPK_A_OP_STATS_ALLOW,
	TCPK_A_OP_STATS_DENY,
	TCPK_A_OP_STATS_WOULD_DENY,

	__TCPK_A_OP_STATS_MAX
};

#define TCPK_A_OP_STATS_MAX	(__TCPK_A_OP_STATS_MAX - 1)

/**
 * enum tcpk_behavior - what a %TCPK_EVENT_BEHAVIOR event reports
 * @TCPK_BEHAVIOR_UNSPEC: unused.
 * @TCPK_BEHAVIOR_FAIL_BURST: system calls failing with EACCES, EPERM or
 *	ENOENT reached the burst threshold within one window (probing);
 *	%TCPK_A_BEHAVIOR_COUNT is the failures in the window,
 *	%TCPK_A_BEHAVIOR_WINDOW_MS its length.
 * @TCPK_BEHAVIOR_LARGE_WRITE: one write-family system call wrote
 *	%TCPK_A_BEHAVIOR_BYTES bytes (at least the large-write size) to
 *	the file %TCPK_A_BEHAVIOR_PATH.
 * @TCPK_BEHAVIOR_WX: the process asked for writable and executable
 *	memory (a W+X mapping or a W to X mprotect), whether or not policy
 *	refused it; %TCPK_A_BEHAVIOR_COUNT is how many times so far.
 * @TCPK_BEHAVIOR_SEQUENCE: the process completed the pattern
 *	%TCPK_A_BEHAVIOR_PATTERN (id %TCPK_A_BEHAVIOR_PATTERN_ID);
 *	%TCPK_A_BEHAVIOR_COUNT is its completions of patterns so far.
 *	Since uapi 8.
 * @TCPK_BEHAVIOR_NOVEL: the process's locality frame count
 *	(%TCPK_A_BEHAVIOR_COUNT) reached the novelty threshold against the
 *	profile of its executable %TCPK_A_BEHAVIOR_PATH.  Since uapi 8.
 * @TCPK_BEHAVIOR_MODEL: the behaviour model found a window of the
 *	process anomalous: %TCPK_A_BEHAVIOR_COUNT is its probability in per
 *	mille (at least the model's threshold).  Since uapi 8.
 * @TCPK_BEHAVIOR_THRESHOLD: the process's score (%TCPK_A_BEHAVIOR_SCORE)
 *	changed at or above the quarantine threshold of the security level
 *	(%TCPK_A_BEHAVIOR_COUNT; module parameter ``quarantine_score``): at
 *	levels 2 and 3 it is quarantined, at level 1 it would be.  Since
 *	uapi 8.
 * @TCPK_BEHAVIOR_HWMON: a hardware monitor saw the signal
 *	%TCPK_A_BEHAVIOR_SIGNAL (&enum tcpk_hwmon_signal) in the process;
 *	%TCPK_A_BEHAVIOR_COUNT is how many times so far.  Since uapi 9.
 * @__TCPK_BEHAVIOR_MAX: one past the last kind, not a kind.
 *
 * Available since uapi 5.
 */
enum tcpk_behavior {
	TCPK_BEHAVIOR_UNSPEC,
	TCPK_BEHAVIOR_FAIL_BURST,
	TCPK_BEHAVIOR_LARGE_WRITE,
	TCPK_BEHAVIOR_WX,
	TCPK_BEHAVIOR_SEQUENCE,
	TCPK_BEHAVIOR_NOVEL,
	TCPK_BEHAVIOR_MODEL,
	TCPK_BEHAVIOR_THRESHOLD,
	TCPK_BEHAVIOR_HWMON,

	__TCPK_BEHAVIOR_MAX
};

/**
 * enum tcpk_behavior_attr - attributes inside a %TCPK_A_EVENT_BEHAVIOR nest
 * @TCPK_A_BEHAVIOR_UNSPEC: unused.
 * @TCPK_A_BEHAVIOR_PAD: padding for 64-bit attributes.
 * @TCPK_A_BEHAVIOR_KIND: u32, &enum tcpk_behavior.
 * @TCPK_A_BEHAVIOR_COUNT: u64, how many (see &enum tcpk_behavior).
 * @TCPK_A_BEHAVIOR_BYTES: u64, bytes written (large writes).
 * @TCPK_A_BEHAVIOR_PATH: string, the file written (large writes),
 *	truncated to 255 bytes.
 * @TCPK_A_BEHAVIOR_SCORE: u32, the process's anomaly score after it.
 * @TCPK_A_BEHAVIOR_WINDOW_MS: u32, the window's length (bursts).
 * @TCPK_A_BEHAVIOR_PATTERN: string, the pattern's name (sequences).
 *	Since uapi 8.
 * @TCPK_A_BEHAVIOR_PATTERN_ID: u32, the pattern's id (sequences).
 *	Since uapi 8.
 * @TCPK_A_BEHAVIOR_SIGNAL: u32, &enum tcpk_hwmon_signal (hardware
 *	monitors).  Since uapi 9.
 * @__TCPK_A_BEHAVIOR_MAX: one past the last attribute, not an attribute.
 *
 * Available since uapi 5.
 */
enum tcpk_behavior_attr {
	TCPK_A_BEHAVIOR_UNSPEC,
	TCPK_A_BEHAVIOR_PAD,
	TCPK_A_BEHAVIOR_KIND,
	TCPK_A_BEHAVIOR_COUNT,
	TCPK_A_BEHAVIOR_BYTES,
	TCPK_A_BEHAVIOR_PATH,
	TCPK_A_BEHAVIOR_SCORE,
	TCPK_A_BEHAVIOR_WINDOW_MS,
	TCPK_A_BEHAVIOR_PATTERN,
	TCPK_A_BEHAVIOR_PATTERN_ID,
	TCPK_A_BEHAVIOR_SIGNAL,

	__TCPK_A_BEHAVIOR_MAX
};

#define TCPK_A_BEHAVIOR_MAX	(__TCPK_A_BEHAVIOR_MAX - 1)

/**
 * enum tcpk_proc_attr - attributes inside a %TCPK_A_PROC nest
 * @TCPK_A_PROC_UNSPEC: unused.
 * @TCPK_A_PROC_PAD: padding for 64-bit attributes.
 * @TCPK_A_PROC_PID: u32, the process (tgid, initial pid namespace).
 * @TCPK_A_PROC_COMM: string, its command name.
 * @TCPK_A_PROC_AGENT: string, its agent label, if it has one.
 * @TCPK_A_PROC_SESSION: u64, its agent session, if it has one.
 * @TCPK_A_PROC_QUARANTINED: u8, 1 if every later operation is refused.
 * @TCPK_A_PROC_SCORE: u32, its anomaly score (0 to 1000), decayed to the
 *	time of the read (module parameter score_half_life_ms).
 * @TCPK_A_PROC_SYSCALLS: u64, system calls completed while tracked.
 * @TCPK_A_PROC_FAILURES: u64, of which failed with EACCES, EPERM or
 *	ENOENT.
 * @TCPK_A_PROC_FAIL_BURSTS: u64, windows in which failures made a burst.
 * @TCPK_A_PROC_CTXSW: u64, context switches of its threads.
 * @TCPK_A_PROC_BYTES_SENT: u64, bytes handed to sendmsg.
 * @TCPK_A_PROC_SENDS: u64, sendmsg calls.
 * @TCPK_A_PROC_LARGE_WRITES: u64, large writes.
 * @TCPK_A_PROC_LARGE_WRITE_BYTES: u64, bytes of the large writes.
 * @TCPK_A_PROC_WX: u64, W+X memory requests.
 * @TCPK_A_PROC_SYSCALL_RATE: u32, system calls per second: a moving
 *	average (weight 1/4) of the windows' rates, or the first window so
 *	far.
 * @TCPK_A_PROC_CTXSW_RATE: u32, context switches per second, likewise.
 * @TCPK_A_PROC_SENT_RATE: u32, bytes sent per second, likewise.
 * @TCPK_A_PROC_VIOLATIONS: u64, violations: operations refused (or that
 *	would be) and executions of DESTRUCTIVE tools.  Since uapi 7.
 * @TCPK_A_PROC_PATTERNS: u64, patterns it completed.  Since uapi 8.
 * @TCPK_A_PROC_PROFILE: string, the executable whose learned profile its
 *	calls are checked against or added to, if there is one.  Since uapi 8.
 * @TCPK_A_PROC_LFC: u32, its locality frame count now: novel trigrams
 *	among its last %TCPK_PROFILE_FRAME.  Since uapi 8.
 * @TCPK_A_PROC_LFC_PEAK: u32, the highest it has been.  Since uapi 8.
 * @TCPK_A_PROC_TRIGRAMS: u64, trigrams checked against the profile in
 *	detection (saturating at 2^32 - 1).  Since uapi 8.
 * @TCPK_A_PROC_NOVEL: u64, of which novel (likewise).  Since uapi 8.
 * @TCPK_A_PROC_CLASSES: binary, its system calls by class: an array of
 *	%__TCPK_SC_MAX u64 in host order, indexed by &enum
 *	tcpk_syscall_class.  Since uapi 8.
 * @TCPK_A_PROC_TOP_SYSCALLS: binary, its most frequent system calls: up
 *	to %TCPK_TOP_SYSCALLS pairs of u32 (call number, count) in host
 *	order, most frequent first; the counts of a space-saving sketch (a
 *	call made more than 1/%TCPK_TOP_SYSCALLS of the time is always there;
 *	a count may be too high by at most the smallest one).  Since uapi 8.
 * @TCPK_A_PROC_FILEOPS: u64, file operations (the three file classes).
 *	Since uapi 8.
 * @TCPK_A_PROC_FILEOP_RATE: u32, file operations per second, a moving
 *	average like %TCPK_A_PROC_SYSCALL_RATE.  Since uapi 8.
 * @TCPK_A_PROC_MODEL_PEAK: u32, the highest probability (per mille) the
 *	behaviour model gave a window of it.  Since uapi 8.
 * @__TCPK_A_PROC_MAX: one past the last attribute, not an attribute.
 *
 * Counts start when the module starts tracking the process.  Available
 * since uapi 5.
 */
enum tcpk_proc_attr {
	TCPK_A_PROC_UNSPEC,
	TCPK_A_PROC_PAD,
	TCPK_A_PROC_PID,
	TCPK_A_PROC_COMM,
	TCPK_A_PROC_AGENT,
	TCPK_A_PROC_SESSION,
	TCPK_A_PROC_QUARANTINED,
	TCPK_A_PROC_SCORE,
	TCPK_A_PROC_SYSCALLS,
	TCPK_A_PROC_FAILURES,
	TCPK_A_PROC_FAIL_BURSTS,
	TCPK_A_PROC_CTXSW,
	TCPK_A_PROC_BYTES_SENT,
	TCPK_A_PROC_SENDS,
	TCPK_A_PROC_LARGE_WRITES,
	TCPK_A_PROC_LARGE_WRITE_BYTES,
	TCPK_A_PROC_WX,
	TCPK_A_PROC_SYSCALL_RATE,
	TCPK_A_PROC_CTXSW_RATE,
	TCPK_A_PROC_SENT_RATE,
	TCPK_A_PROC_VIOLATIONS,
	TCPK_A_PROC_PATTERNS,
	TCPK_A_PROC_PROFILE,
	TCPK_A_PROC_LFC,
	TCPK_A_PROC_LFC_PEAK,
	TCPK_A_PROC_TRIGRAMS,
	TCPK_A_PROC_NOVEL,
	TCPK_A_PROC_CLASSES,
	TCPK_A_PROC_TOP_SYSCALLS,
	TCPK_A_PROC_FILEOPS,
	TCPK_A_PROC_FILEOP_RATE,
	TCPK_A_PROC_MODEL_PEAK,

	__TCPK_A_PROC_MAX
};

#define TCPK_A_PROC_MAX	(__TCPK_A_PROC_MAX - 1)

/**
 * enum tcpk_flow_reason - why the XDP flow monitor scored a flow (bits)
 * @TCPK_FLOW_INVALID_FLAGS: a TCP packet of the flow had a flag
 *	combination no conforming stack sends: none, SYN with FIN or RST,
 *	FIN with RST, or FIN without ACK.
 * @TCPK_FLOW_PORT_SCAN: the flow's source opened flows to the configured
 *	number of distinct destination ports within one window.
 * @TCPK_FLOW_SYN_FLOOD: the flow's source sent the configured number of
 *	SYNs within one window.
 * @TCPK_FLOW_DROPPING: the monitor drops the flow's packets (security
 *	level 2 or more, score at the drop threshold, source not on the
 *	allow-list).
 *
 * Available since uapi 6.
 */
enum tcpk_flow_reason {
	TCPK_FLOW_INVALID_FLAGS = 1 << 0,
	TCPK_FLOW_PORT_SCAN = 1 << 1,
	TCPK_FLOW_SYN_FLOOD = 1 << 2,
	TCPK_FLOW_DROPPING = 1 << 3,
};

/**
 * enum tcpk_flow_attr - attributes inside a %TCPK_A_EVENT_FLOW nest
 * @TCPK_A_FLOW_UNSPEC: unused.
 * @TCPK_A_FLOW_PAD: padding for 64-bit attributes.
 * @TCPK_A_FLOW_IFINDEX: u32, the interface the flow arrives on.
 * @TCPK_A_FLOW_FAMILY: u8, AF_INET or AF_INET6.
 * @TCPK_A_FLOW_SADDR: binary, the source address (4 or 16 bytes).
 * @TCPK_A_FLOW_DADDR: binary, the destination address (4 or 16 bytes).
 * @TCPK_A_FLOW_SPORT: u16, the source port (host byte order; 0 if the
 *	protocol has none).
 * @TCPK_A_FLOW_DPORT: u16, the destination port, the same way.
 * @TCPK_A_FLOW_PROTO: u8, the IP protocol.
 * @TCPK_A_FLOW_TCP_FLAGS: u8, every TCP flag seen on the flow, ORed
 *	(FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20).
 * @TCPK_A_FLOW_REASONS: u32, &enum tcpk_flow_reason bits the flow has.
 * @TCPK_A_FLOW_NEW_REASONS: u32, &enum tcpk_flow_reason bits this event
 *	reports for the first time.
 * @TCPK_A_FLOW_SCORE: u32, the flow's score.
 * @TCPK_A_FLOW_PACKETS: u64, packets of the flow so far.
 * @TCPK_A_FLOW_BYTES: u64, their bytes.
 * @TCPK_A_FLOW_DROPPED: u64, of the packets, those dropped.
 * @__TCPK_A_FLOW_MAX: one past the last attribute, not an attribute.
 *
 * Available since uapi 6.
 */
enum tcpk_flow_attr {
	TCPK_A_FLOW_UNSPEC,
	TCPK_A_FLOW_PAD,
	TCPK_A_FLOW_IFINDEX,
	TCPK_A_FLOW_FAMILY,
	TCPK_A_FLOW_SADDR,
	TCPK_A_FLOW_DADDR,
	TCPK_A_FLOW_SPORT,
	TCPK_A_FLOW_DPORT,
	TCPK_A_FLOW_PROTO,
	TCPK_A_FLOW_TCP_FLAGS,
	TCPK_A_FLOW_REASONS,
	TCPK_A_FLOW_NEW_REASONS,
	TCPK_A_FLOW_SCORE,
	TCPK_A_FLOW_PACKETS,
	TCPK_A_FLOW_BYTES,
	TCPK_A_FLOW_DROPPED,

	__TCPK_A_FLOW_MAX
};

#define TCPK_A_FLOW_MAX	(__TCPK_A_FLOW_MAX - 1)

/**
 * enum tcpk_seq_attr - attributes inside a %TCPK_A_SEQ nest (a pattern)
 * @TCPK_A_SEQ_UNSPEC: unused.
 * @TCPK_A_SEQ_PAD: padding for 64-bit attributes.
 * @TCPK_A_SEQ_ID: u32, the pattern's id, 1 to 4294967294; in
 *	%TCPK_CMD_SEQ_ADD optional (one more than the highest in force).
 * @TCPK_A_SEQ_NAME: string, its name, 1 to %TCPK_SEQ_NAME_MAX - 1 bytes.
 * @TCPK_A_SEQ_WEIGHT: u32, anomaly score points of a completion, 1 to
 *	%TCPK_SEQ_WEIGHT_MAX.
 * @TCPK_A_SEQ_MAX_GAP: u32, most other calls between two consecutive
 *	steps, 0 to %TCPK_SEQ_GAP_MAX.
 * @TCPK_A_SEQ_STEP: binary, one step (multi-attr, in order, 2 to
 *	%TCPK_SEQ_STEPS_MAX): a bitmap of %TCPK_SEQ_SYSCALLS bits, call n in
 *	bit n % 8 of byte n / 8.
 * @TCPK_A_SEQ_MATCHES: u64, completions since it was added (replies).
 * @__TCPK_A_SEQ_MAX: one past the last attribute, not an attribute.
 *
 * A process completes a pattern when its successful system calls include
 * one of each step, in order, each within the gap of the previous step's
 * last call.  Available since uapi 8.
 */
enum tcpk_seq_attr {
	TCPK_A_SEQ_UNSPEC,
	TCPK_A_SEQ_PAD,
	TCPK_A_SEQ_ID,
	TCPK_A_SEQ_NAME,
	TCPK_A_SEQ_WEIGHT,
	TCPK_A_SEQ_MAX_GAP,
	TCPK_A_SEQ_STEP,
	TCPK_A_SEQ_MATCHES,

	__TCPK_A_SEQ_MAX
};

#define TCPK_A_SEQ_MAX	(__TCPK_A_SEQ_MAX - 1)

/**
 * enum tcpk_profile_attr - attributes inside a %TCPK_A_PROFILE nest
 * @TCPK_A_PROFILE_UNSPEC: unused.
 * @TCPK_A_PROFILE_PAD: padding for 64-bit attributes.
 * @TCPK_A_PROFILE_PATH: string, the executable's absolute path; the
 *	profile belongs to the file it names when it is set (its inode), and
 *	applies to the processes that execute that file.
 * @TCPK_A_PROFILE_MODE: u32, &enum tcpk_profile_mode.
 * @TCPK_A_PROFILE_NGRAMS: binary, trigrams: an array of u32 in host byte
 *	order, each ``1 << 30 | a << 20 | b << 10 | c`` for the calls a, b, c
 *	(in that order, each below %TCPK_SEQ_SYSCALLS); at most
 *	%TCPK_PROFILE_NGRAMS_MAX.
 * @TCPK_A_PROFILE_COUNT: u32, trigrams in the profile (replies).
 * @TCPK_A_PROFILE_LIMIT: u32, most it takes (replies).
 * @TCPK_A_PROFILE_DEV: u64, the executable's device (replies).
 * @TCPK_A_PROFILE_INO: u64, its inode number (replies).
 * @TCPK_A_PROFILE_CHECKED: u64, trigrams checked in detection (replies).
 * @TCPK_A_PROFILE_NOVEL: u64, of which novel (replies).
 * @TCPK_A_PROFILE_FULL: u64, new trigrams not learned because the profile
 *	was full (replies).
 * @__TCPK_A_PROFILE_MAX: one past the last attribute, not an attribute.
 *
 * Available since uapi 8.
 */
enum tcpk_profile_attr {
	TCPK_A_PROFILE_UNSPEC,
	TCPK_A_PROFILE_PAD,
	TCPK_A_PROFILE_PATH,
	TCPK_A_PROFILE_MODE,
	TCPK_A_PROFILE_NGRAMS,
	TCPK_A_PROFILE_COUNT,
	TCPK_A_PROFILE_LIMIT,
	TCPK_A_PROFILE_DEV,
	TCPK_A_PROFILE_INO,
	TCPK_A_PROFILE_CHECKED,
	TCPK_A_PROFILE_NOVEL,
	TCPK_A_PROFILE_FULL,

	__TCPK_A_PROFILE_MAX
};

#define TCPK_A_PROFILE_MAX	(__TCPK_A_PROFILE_MAX - 1)

/**
 * enum tcpk_model_attr - attributes inside a %TCPK_A_MODEL nest
 * @TCPK_A_MODEL_UNSPEC: unused.
 * @TCPK_A_MODEL_PAD: padding for 64-bit attributes.
 * @TCPK_A_MODEL_WEIGHTS: binary, %TCPK_MODEL_FEATURES s16 in host order:
 *	the Q8 weights (256 is 1.0), each within +-%TCPK_MODEL_WEIGHT_MAX.
 * @TCPK_A_MODEL_BIAS: s32, the Q16 bias, within +-%TCPK_MODEL_BIAS_MAX.
 * @TCPK_A_MODEL_THRESHOLD: u32, the probability in per mille (1 to 1000)
 *	at which a window is anomalous.
 * @TCPK_A_MODEL_POINTS: u32, anomaly score points of an anomalous window
 *	(1 to 1000).
 * @TCPK_A_MODEL_WINDOWS: u64, windows evaluated since it was loaded
 *	(replies).
 * @TCPK_A_MODEL_FLAGGED: u64, of which anomalous (replies).
 * @__TCPK_A_MODEL_MAX: one past the last attribute, not an attribute.
 *
 * The model is a logistic regression over the features of each window of
 * %TCPK_MODEL_WINDOW calls of a tracked process (&enum tcpk_syscall_class
 * fractions, novel trigrams, failed calls, pattern completions; Q8):
 * p = 1 / (1 + e^-(bias + sum weight * feature)).  Available since uapi 8.
 */
enum tcpk_model_attr {
	TCPK_A_MODEL_UNSPEC,
	TCPK_A_MODEL_PAD,
	TCPK_A_MODEL_WEIGHTS,
	TCPK_A_MODEL_BIAS,
	TCPK_A_MODEL_THRESHOLD,
	TCPK_A_MODEL_POINTS,
	TCPK_A_MODEL_WINDOWS,
	TCPK_A_MODEL_FLAGGED,

	__TCPK_A_MODEL_MAX
};

#define TCPK_A_MODEL_MAX	(__TCPK_A_MODEL_MAX - 1)

/**
 * enum tcpk_hwmon - the hardware monitors
 * @TCPK_HWMON_PERF: per-task performance counters (``enable_perf``).
 * @TCPK_HWMON_INTEL_PT: Intel Processor Trace (``enable_intel_pt``).
 * @TCPK_HWMON_CET: Control-flow Enforcement Technology: kernel IBT and
 *	user shadow stacks (``enable_cet``).
 * @__TCPK_HWMON_MAX: one past the last monitor, not a monitor.
 *
 * Available since uapi 9.
 */
enum tcpk_hwmon {
	TCPK_HWMON_PERF,
	TCPK_HWMON_INTEL_PT,
	TCPK_HWMON_CET,

	__TCPK_HWMON_MAX
};

/**
 * enum tcpk_hwmon_signal - what a hardware monitor saw in a process
 * @TCPK_HWMON_SIGNAL_UNSPEC: unused.
 * @TCPK_HWMON_SIGNAL_BUSY: its CPU share stayed at or above
 *	``hwmon_busy_pm`` for ``hwmon_busy_ms`` without a break.
 * @TCPK_HWMON_SIGNAL_LOW_IPC: while busy, it retired fewer instructions
 *	per cycle than ``hwmon_min_ipc`` (hardware counters only; the
 *	seed's crypto-mining heuristic).
 * @TCPK_HWMON_SIGNAL_NO_SHSTK: it runs without a user shadow stack on a
 *	kernel that offers one, and ``cet_expect_shstk`` is set.
 * @TCPK_HWMON_SIGNAL_CP_FAULT: it received a control-protection fault
 *	(SIGSEGV with si_code SEGV_CPERR).
 * @__TCPK_HWMON_SIGNAL_MAX: one past the last signal, not a signal.
 *
 * Available since uapi 9.
 */
enum tcpk_hwmon_signal {
	TCPK_HWMON_SIGNAL_UNSPEC,
	TCPK_HWMON_SIGNAL_BUSY,
	TCPK_HWMON_SIGNAL_LOW_IPC,
	TCPK_HWMON_SIGNAL_NO_SHSTK,
	TCPK_HWMON_SIGNAL_CP_FAULT,

	__TCPK_HWMON_SIGNAL_MAX
};

/**
 * enum tcpk_hwmon_attr - attributes inside a %TCPK_A_HWMON nest
 * @TCPK_A_HWMON_UNSPEC: unused.
 * @TCPK_A_HWMON_ID: u32, &enum tcpk_hwmon.
 * @TCPK_A_HWMON_NAME: string, its name ("perf", "intel_pt", "cet").
 * @TCPK_A_HWMON_ENABLED: u8, 1 if the administrator enabled it.
 * @TCPK_A_HWMON_AVAILABLE: u8, 1 if it works on this kernel and hardware
 *	and is running.
 * @TCPK_A_HWMON_REASON: string, why it is not available, or what was
 *	detected; always present.
 * @TCPK_A_HWMON_TASKS: u32, tasks it watches now.
 * @TCPK_A_HWMON_TASK_LIMIT: u32, the most tasks the monitors watch at once
 *	(module parameter ``hwmon_max_tasks``).
 * @TCPK_A_HWMON_HARDWARE: u8, 1 if its hardware part works (perf: the CPU's
 *	PMU counts instructions and cycles; intel_pt: the PT PMU; cet:
 *	kernel IBT or user shadow stacks are on).
 * @__TCPK_A_HWMON_MAX: one past the last attribute, not an attribute.
 *
 * Available since uapi 9.
 */
enum tcpk_hwmon_attr {
	TCPK_A_HWMON_UNSPEC,
	TCPK_A_HWMON_ID,
	TCPK_A_HWMON_NAME,
	TCPK_A_HWMON_ENABLED,
	TCPK_A_HWMON_AVAILABLE,
	TCPK_A_HWMON_REASON,
	TCPK_A_HWMON_TASKS,
	TCPK_A_HWMON_TASK_LIMIT,
	TCPK_A_HWMON_HARDWARE,

	__TCPK_A_HWMON_MAX
};

#define TCPK_A_HWMON_MAX	(__TCPK_A_HWMON_MAX - 1)

/**
 * enum tcpk_hwmon_task_attr - attributes inside a %TCPK_A_HWMON_TASK nest
 * @TCPK_A_HWMON_TASK_UNSPEC: unused.
 * @TCPK_A_HWMON_TASK_PAD: padding for 64-bit attributes.
 * @TCPK_A_HWMON_TASK_PID: u32, the process (its tgid, initial pid
 *	namespace); its threads are counted together.
 * @TCPK_A_HWMON_TASK_COMM: string, its command name.
 * @TCPK_A_HWMON_TASK_TASK_CLOCK: u64, CPU time in ns (software event).
 * @TCPK_A_HWMON_TASK_CONTEXT_SWITCHES: u64, context switches (software).
 * @TCPK_A_HWMON_TASK_PAGE_FAULTS: u64, page faults (software).
 * @TCPK_A_HWMON_TASK_INSTRUCTIONS: u64, instructions retired (hardware;
 *	absent without a PMU).
 * @TCPK_A_HWMON_TASK_CYCLES: u64, CPU cycles (hardware).
 * @TCPK_A_HWMON_TASK_BRANCH_MISSES: u64, mispredicted branches (hardware).
 * @TCPK_A_HWMON_TASK_CACHE_MISSES: u64, last-level cache misses
 *	(hardware).
 * @TCPK_A_HWMON_TASK_CPU_PM: u32, CPU share over the last period, per
 *	mille of one CPU (above 1000 with several threads running).
 * @TCPK_A_HWMON_TASK_IPC_Q8: u32, instructions per cycle over the last
 *	period, Q8 (256 is 1.0; hardware).
 * @TCPK_A_HWMON_TASK_BRANCH_MPKI_Q8: u32, branch misses per 1000
 *	instructions over the last period, Q8 (hardware).
 * @TCPK_A_HWMON_TASK_CACHE_MPKI_Q8: u32, cache misses per 1000
 *	instructions over the last period, Q8 (hardware).
 * @TCPK_A_HWMON_TASK_FAULT_RATE: u32, page faults per second over the
 *	last period.
 * @TCPK_A_HWMON_TASK_CTXSW_RATE: u32, context switches per second over
 *	the last period.
 * @TCPK_A_HWMON_TASK_OVERFLOWS: u64, overflows of its sampling counter
 *	(every ``hwmon_sample_ms`` of CPU time), each of which asked for an
 *	evaluation.
 * @TCPK_A_HWMON_TASK_PERIODS: u64, evaluations of its counters.
 * @TCPK_A_HWMON_TASK_BUSY_MS: u32, how long it has been busy without a
 *	break (ms of wall time, as of the last evaluation).
 * @TCPK_A_HWMON_TASK_POINTS: u32, anomaly score points the monitors gave
 *	the process.
 * @TCPK_A_HWMON_TASK_SHSTK: u8, 1 if its user shadow stack is enabled;
 *	present only on kernels that support user shadow stacks.
 * @TCPK_A_HWMON_TASK_CP_FAULTS: u64, control-protection faults it received.
 * @__TCPK_A_HWMON_TASK_MAX: one past the last attribute, not an attribute.
 *
 * Available since uapi 9.
 */
enum tcpk_hwmon_task_attr {
	TCPK_A_HWMON_TASK_UNSPEC,
	TCPK_A_HWMON_TASK_PAD,
	TCPK_A_HWMON_TASK_PID,
	TCPK_A_HWMON_TASK_COMM,
	TCPK_A_HWMON_TASK_TASK_CLOCK,
	TCPK_A_HWMON_TASK_CONTEXT_SWITCHES,
	TCPK_A_HWMON_TASK_PAGE_FAULTS,
	TCPK_A_HWMON_TASK_INSTRUCTIONS,
	TCPK_A_HWMON_TASK_CYCLES,
	TCPK_A_HWMON_TASK_BRANCH_MISSES,
	TCPK_A_HWMON_TASK_CACHE_MISSES,
	TCPK_A_HWMON_TASK_CPU_PM,
	TCPK_A_HWMON_TASK_IPC_Q8,
	TCPK_A_HWMON_TASK_BRANCH_MPKI_Q8,
	TCPK_A_HWMON_TASK_CACHE_MPKI_Q8,
	TCPK_A_HWMON_TASK_FAULT_RATE,
	TCPK_A_HWMON_TASK_CTXSW_RATE,
	TCPK_A_HWMON_TASK_OVERFLOWS,
	TCPK_A_HWMON_TASK_PERIODS,
	TCPK_A_HWMON_TASK_BUSY_MS,
	TCPK_A_HWMON_TASK_POINTS,
	TCPK_A_HWMON_TASK_SHSTK,
	TCPK_A_HWMON_TASK_CP_FAULTS,

	__TCPK_A_HWMON_TASK_MAX
};

#define TCPK_A_HWMON_TASK_MAX	(__TCPK_A_HWMON_TASK_MAX - 1)

/**
 * enum tcpk_cost_component - what %TCPK_CMD_COST_GET measures
 * @TCPK_COST_DESC_HIT: a descriptor lookup that finds one (an identity
 *	of the database); not available when the database is empty.
 * @TCPK_COST_DESC_MISS: a descriptor lookup that finds none (a command
 *	name hash no descriptor has).
 * @TCPK_COST_CACHE_HIT: a decision answered by the decision cache: the
 *	request's cache key (hashes of its fields and strings) and the
 *	lookup, against a private entry that holds the key.
 * @TCPK_COST_CACHE_MISS: a decision the cache does not answer: the key,
 *	the lookup, the walk of the current rules and the store of the
 *	result, into a private entry.
 * @TCPK_COST_EVAL_EXEC: a full decision of an exec-like request without
 *	the cache, against the current rules (the what-if path).
 * @TCPK_COST_EVAL_OPEN: the same for an open-like request.
 * @TCPK_COST_SCORE_UPDATE: a behavioural anomaly-score update (decay and
 *	add, under the features' lock), of a private scratch state.
 * @__TCPK_COST_MAX: one past the last component, not a component.
 *
 * Available since uapi 12.
 */
enum tcpk_cost_component {
	TCPK_COST_DESC_HIT,
	TCPK_COST_DESC_MISS,
	TCPK_COST_CACHE_HIT,
	TCPK_COST_CACHE_MISS,
	TCPK_COST_EVAL_EXEC,
	TCPK_COST_EVAL_OPEN,
	TCPK_COST_SCORE_UPDATE,

	__TCPK_COST_MAX
};

/**
 * enum tcpk_cost_attr - attributes inside a %TCPK_A_COST nest
 * @TCPK_A_COST_UNSPEC: unused.
 * @TCPK_A_COST_PAD: padding for 64-bit attributes.
 * @TCPK_A_COST_COMPONENT: u32, &enum tcpk_cost_component.
 * @TCPK_A_COST_AVAILABLE: u8, 1 if measured; 0 if it could not be (a
 *	descriptor hit with an empty database), and then only
 *	%TCPK_A_COST_COMPONENT and this are present.
 * @TCPK_A_COST_OPS: u64, operations timed, over every batch (fewer than
 *	asked when a batch reached its time limit).
 * @TCPK_A_COST_BATCHES: u32, batches timed.
 * @TCPK_A_COST_MIN_PS: u64, the lowest time per operation of a batch, in
 *	picoseconds.
 * @TCPK_A_COST_MEDIAN_PS: u64, the median over the batches of the time per
 *	operation, in picoseconds.
 * @__TCPK_A_COST_MAX: one past the last attribute, not an attribute.
 *
 * Available since uapi 12.
 */
enum tcpk_cost_attr {
	TCPK_A_COST_UNSPEC,
	TCPK_A_COST_PAD,
	TCPK_A_COST_COMPONENT,
	TCPK_A_COST_AVAILABLE,
	TCPK_A_COST_OPS,
	TCPK_A_COST_BATCHES,
	TCPK_A_COST_MIN_PS,
	TCPK_A_COST_MEDIAN_PS,

	__TCPK_A_COST_MAX
};

#define TCPK_A_COST_MAX	(__TCPK_A_COST_MAX - 1)

#endif /* _UAPI_LINUX_TCP_KERNEL_H */
