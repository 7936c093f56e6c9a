// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - signed policy: which request needs a signature, and why one
 * was refused
 *
 * Pure functions of their arguments: the KUnit suite builds this file
 * into the test module as it is.
 */

#include <linux/errno.h>
#include <linux/kernel.h>

#include "core/signed.h"

/**
 * tcpk_sig_decide() - what a request needs before it is applied
 * @cmd: its &enum tcpk_cmd.
 * @required: the module parameter ``require_signed_policy``.
 * @has_sig: the request carries %TCPK_A_SIGNATURE.
 *
 * The signable loads are %TCPK_CMD_RULE_REPLACE, %TCPK_CMD_DESC_ADD and
 * %TCPK_CMD_MODEL_SET: a signature they carry is always verified.  The
 * other changes of rules, descriptors or the model (%TCPK_CMD_RULE_ADD,
 * %TCPK_CMD_RULE_DEL, %TCPK_CMD_RULE_FLUSH, %TCPK_CMD_DESC_DEL,
 * %TCPK_CMD_DESC_FLUSH, %TCPK_CMD_MODEL_DEL) cannot carry one: they are
 * refused while signatures are required.  Sequences, profiles, the mode
 * and process releases are not covered.
 *
 * Return: the &enum tcpk_sig_verdict.
 */
enum tcpk_sig_verdict tcpk_sig_decide(u8 cmd, bool required, bool has_sig)
{
	switch (cmd) {
	case TCPK_CMD_RULE_REPLACE:
	case TCPK_CMD_DESC_ADD:
	case TCPK_CMD_MODEL_SET:
		if (has_sig)
			return TCPK_SIG_VERIFY;
		return required ? TCPK_SIG_UNSIGNED : TCPK_SIG_PASS;
	case TCPK_CMD_RULE_ADD:
	case TCPK_CMD_RULE_DEL:
	case TCPK_CMD_RULE_FLUSH:
	case TCPK_CMD_DESC_DEL:
	case TCPK_CMD_DESC_FLUSH:
	case TCPK_CMD_MODEL_DEL:
		if (has_sig)
			return TCPK_SIG_NOT_TAKEN;
		return required ? TCPK_SIG_UNSIGNABLE : TCPK_SIG_PASS;
	default:
		return has_sig ? TCPK_SIG_NOT_TAKEN : TCPK_SIG_PASS;
	}
}

/**
 * tcpk_sig_verify_msg() - the extack message of a failed verification
 * @err: the negative errno of tcpk_signed_verify().
 *
 * Return: a message that names the cause.
 */
const char *tcpk_sig_verify_msg(int err)
{
	switch (err) {
	case -ENOKEY:
		return "signature: unknown key: the signer is in no trusted keyring";
	case -EKEYREJECTED:
		return "signature: bad signature: it does not match the content";
	case -EMSGSIZE:
		return "signature: too large (more than 8192 bytes)";
	case -ENOPKG:
		return "signature: bad signature: an algorithm this kernel lacks";
	case -ENOMEM:
		return "signature: out of memory";
	case -ENOTUNIQ:
		return "signature: must be the last attribute of the request";
	default:
		return "signature: bad signature: not a detached PKCS#7 message";
	}
}

/**
 * tcpk_sig_verify_errno() - the errno a failed verification returns
 * @err: the negative errno of tcpk_signed_verify().
 *
 * Return: -ENOKEY (unknown key), -ENOMEM, -EMSGSIZE (too large), -EINVAL
 * (not the last attribute), else -EKEYREJECTED (altered, malformed, other
 * content, unsupported algorithm).
 */
int tcpk_sig_verify_errno(int err)
{
	switch (err) {
	case -ENOKEY:
	case -ENOMEM:
	case -EMSGSIZE:
		return err;
	case -ENOTUNIQ:
		return -EINVAL;
	default:
		return -EKEYREJECTED;
	}
}

/**
 * tcpk_sig_required_loosens() - would this write loosen the requirement?
 * @now: ``require_signed_policy`` now.
 * @next: the value written.
 *
 * Return: true for 1 to 0, which the lock refuses.
 */
bool tcpk_sig_required_loosens(bool now, bool next)
{
	return now && !next;
}
