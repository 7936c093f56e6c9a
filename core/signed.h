/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - signed policy: the module's keyring and PKCS#7 checks
 *
 * With the module parameter ``require_signed_policy=1``, rule sets
 * (%TCPK_CMD_RULE_REPLACE), descriptor batches (%TCPK_CMD_DESC_ADD) and
 * behaviour models (%TCPK_CMD_MODEL_SET) must carry a %TCPK_A_SIGNATURE
 * that verify_pkcs7_signature() accepts against the module's keyring
 * ".tcp_kernel", then the secondary (or built-in) trusted keys, then the
 * platform keyring.  A signature present is verified whether or not one
 * is required.  Which command needs what is a pure function
 * (core/signcheck.c) that KUnit tests as it is.
 */
#ifndef _TCPK_SIGNED_H
#define _TCPK_SIGNED_H

#include <linux/types.h>
#include <linux/tcp_kernel.h>

/**
 * enum tcpk_sig_verdict - what a request needs before it is applied
 * @TCPK_SIG_PASS: nothing: no signature given, none required, or the
 *	command does not change rules, descriptors or the model.
 * @TCPK_SIG_VERIFY: verify the signature it carries.
 * @TCPK_SIG_UNSIGNED: refuse: a signature is required and missing.
 * @TCPK_SIG_UNSIGNABLE: refuse: signatures are required and this change
 *	cannot carry one (a deletion, a flush, a single rule).
 * @TCPK_SIG_NOT_TAKEN: refuse: the command takes no signature.
 */
enum tcpk_sig_verdict {
	TCPK_SIG_PASS,
	TCPK_SIG_VERIFY,
	TCPK_SIG_UNSIGNED,
	TCPK_SIG_UNSIGNABLE,
	TCPK_SIG_NOT_TAKEN,
};

/* Pure questions (core/signcheck.c). */
enum tcpk_sig_verdict tcpk_sig_decide(u8 cmd, bool required, bool has_sig);
const char *tcpk_sig_verify_msg(int err);
int tcpk_sig_verify_errno(int err);
bool tcpk_sig_required_loosens(bool now, bool next);

/* State (core/signed.c). */
extern bool tcpk_require_signed;
int tcpk_signed_init(void);
void tcpk_signed_exit(void);
void tcpk_signed_lock(void);
u32 tcpk_signed_keyring_serial(void);
int tcpk_signed_verify(const void *data, size_t len, const void *sig,
		       size_t sig_len);

#endif /* _TCPK_SIGNED_H */
