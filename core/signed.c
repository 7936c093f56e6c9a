// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - signed policy: the module's keyring, the parameter
 * require_signed_policy, and the verification of a signed load
 *
 * The keyring ".tcp_kernel" is made at load, owned by root: root adds
 * X.509 certificates to it (keyctl padd asymmetric "" SERIAL, or
 * tcp-policy key add) until the module is locked; then it is restricted
 * with the kernel's own restrict_link_reject() (keyring_restrict() with no
 * type), so no key can be added to it until reboot (a keyring linked
 * into it before then is searched too and stays as writable as its own
 * permissions say: link certificates only).  The keyring holds no
 * pointer into this module, so it may outlive it (a process that linked
 * it keeps a reference): at unload it is revoked and our reference put.
 */

#include <linux/cred.h>
#include <linux/key.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sysfs.h>
#include <linux/verification.h>

#include "core/lock.h"
#include "core/signed.h"

/*
 * Written once by tcpk_signed_init() before the netlink family is
 * registered and put by tcpk_signed_exit() after it is unregistered, so
 * the handlers read it without a lock.  NULL if it could not be made.
 */
static struct key *tcpk_keyring;

/* Written under kernel_param_lock(); read anywhere with READ_ONCE(). */
bool tcpk_require_signed;

static int tcpk_require_signed_set(const char *val,
				   const struct kernel_param *kp)
{
	bool next;

	if (kstrtobool(val ?: "1", &next))
		return -EINVAL;
	/* Under kernel_param_lock(), as tcpk_lock_engage() sets the flag. */
	if (tcpk_locked() &&
	    tcpk_sig_required_loosens(READ_ONCE(tcpk_require_signed), next)) {
		pr_notice_ratelimited("require_signed_policy: %s\n",
				      TCPK_LOCKED_MSG("dropping the signature requirement"));
		return -EPERM;
	}
	WRITE_ONCE(tcpk_require_signed, next);
	return 0;
}

static int tcpk_require_signed_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%c\n", READ_ONCE(tcpk_require_signed) ? 'Y' : 'N');
}

/*
 * 0 to 1 at any time; 1 to 0 refused with -EPERM while the module is
 * locked.
 */
static const struct kernel_param_ops tcpk_require_signed_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = tcpk_require_signed_set,
	.get = tcpk_require_signed_get,
};
module_param_cb(require_signed_policy, &tcpk_require_signed_ops,
		&tcpk_require_signed, 0644);
MODULE_PARM_DESC(require_signed_policy,
		 "Rule sets, descriptor batches and behaviour models must be signed (PKCS#7); 1 cannot be undone while locked (default 0)");

/**
 * tcpk_signed_init() - make the module's keyring
 *
 * A failure is logged and leaves signed loads verifiable against the
 * kernel's keyrings only; it never fails the module's load.
 *
 * Return: 0.
 */
int tcpk_signed_init(void)
{
	struct key *ring;

	/*
	 * Only uid 0 (the owner's permissions) may add or link; a process
	 * that merely possesses the keyring (one linked into a session that
	 * another user's process shares) may view, read and search it.
	 */
	ring = keyring_alloc(".tcp_kernel", GLOBAL_ROOT_UID, GLOBAL_ROOT_GID,
			     current_cred(),
			     (KEY_POS_VIEW | KEY_POS_READ | KEY_POS_SEARCH |
			      KEY_USR_VIEW | KEY_USR_READ | KEY_USR_WRITE |
			      KEY_USR_SEARCH | KEY_USR_LINK |
			      KEY_OTH_VIEW | KEY_OTH_READ),
			     KEY_ALLOC_NOT_IN_QUOTA, NULL, NULL);
	if (IS_ERR(ring)) {
		pr_warn("keyring .tcp_kernel not made (%ld): signed loads need a key in the kernel's keyrings\n",
			PTR_ERR(ring));
		return 0;
	}
	tcpk_keyring = ring;
	return 0;
}

/**
 * tcpk_signed_exit() - revoke the module's keyring and put our reference
 *
 * Called after the netlink family is unregistered.  A process that
 * linked the keyring keeps a revoked, empty-of-meaning keyring that holds
 * nothing of this module.
 */
void tcpk_signed_exit(void)
{
	if (!tcpk_keyring)
		return;
	key_revoke(tcpk_keyring);
	key_put(tcpk_keyring);
	tcpk_keyring = NULL;
}

/**
 * tcpk_signed_lock() - refuse new keys until reboot
 *
 * Called by tcpk_lock_engage() once the module is locked.  Process
 * context, may sleep.  The keyring grants no setattr, so nobody restricted
 * it before; were it so, that restriction would stay, and it is logged.
 */
void tcpk_signed_lock(void)
{
	int err;

	if (!tcpk_keyring)
		return;
	err = keyring_restrict(make_key_ref(tcpk_keyring, true), NULL, NULL);
	if (err)
		pr_warn("keyring .tcp_kernel: not restricted at lock (%d): it already had a restriction\n",
			err);
}

/**
 * tcpk_signed_keyring_serial() - the serial number of ".tcp_kernel"
 *
 * Return: the serial, 0 if there is no keyring.
 */
u32 tcpk_signed_keyring_serial(void)
{
	return tcpk_keyring ? (u32)tcpk_keyring->serial : 0;
}

static int tcpk_signed_verify_one(const void *data, size_t len,
				  const void *sig, size_t sig_len,
				  struct key *ring)
{
	return verify_pkcs7_signature(data, len, sig, sig_len, ring,
				      VERIFYING_UNSPECIFIED_SIGNATURE,
				      NULL, NULL);
}

/**
 * tcpk_signed_verify() - verify a detached PKCS#7 signature of @data
 * @data: the signed bytes.
 * @len: their length.
 * @sig: the signature (DER).
 * @sig_len: its length.
 *
 * Tries the module's keyring, then the secondary trusted keys (the
 * built-in ones on a kernel without a secondary keyring), then the
 * platform keyring where the kernel has one; -ENOKEY from one moves on
 * to the next.  Process context, may sleep.
 *
 * Return: 0 if a trusted key signed exactly @data; -ENOKEY if no keyring
 * holds the signer; -EMSGSIZE if @sig_len exceeds %TCPK_SIGNATURE_MAX;
 * another negative errno (-EKEYREJECTED, -EBADMSG, ...) otherwise.
 */
int tcpk_signed_verify(const void *data, size_t len, const void *sig,
		       size_t sig_len)
{
	int err = -ENOKEY;

	if (sig_len > TCPK_SIGNATURE_MAX)
		return -EMSGSIZE;
	if (tcpk_keyring)
		err = tcpk_signed_verify_one(data, len, sig, sig_len,
					     tcpk_keyring);
	if (err == -ENOKEY)
		err = tcpk_signed_verify_one(data, len, sig, sig_len,
					     VERIFY_USE_SECONDARY_KEYRING);
	if (err == -ENOKEY && IS_ENABLED(CONFIG_INTEGRITY_PLATFORM_KEYRING))
		err = tcpk_signed_verify_one(data, len, sig, sig_len,
					     VERIFY_USE_PLATFORM_KEYRING);
	return err;
}
