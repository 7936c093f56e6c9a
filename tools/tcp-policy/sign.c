// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-policy - signed policy: "sign" makes a detached PKCS#7 signature of
 * exactly the bytes a load sends; "--signature" sends one; "key" adds
 * certificates to the module's keyring.
 *
 * The signed bytes are the request's generic netlink header and its
 * attributes, as the load's own encoder builds them (the module verifies
 * the same span, up to the signature attribute it appends).  "sign" runs
 * the load's code with a flag that stops it before the message is sent.
 * The signature is made as the kernel's scripts/sign-file does: CMS,
 * detached, binary, no certificates, no signed attributes, the signer
 * named by issuer and serial number, SHA-256.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <netlink/genl/genl.h>

#include <linux/keyctl.h>
#include <linux/tcp_kernel.h>

#include "sign.h"
#include "tcp-policy.h"

/*
 * @sig_file: --signature of a load: the signature to append.
 * @signing: "sign" runs the load: sign instead of sending.
 * @key, @cert: the signer's private key and certificate (PEM or DER).
 * @out: where the signature goes.
 * @offs: offset of the signature attribute in the request sent, from the
 *	start of its netlink header; 0 if none was sent.
 */
static struct {
	uint32_t offs;
	const char *sig_file;
	bool signing;
	const char *key;
	const char *cert;
	const char *out;
} tp_sig;

/**
 * tp_sig_opt() - handle --signature=FILE
 * @opt: the option getopt_long() returned.
 *
 * Return: true if it was --signature.
 */
bool tp_sig_opt(int opt)
{
	if (opt != TP_OPT_SIGNATURE)
		return false;
	tp_sig.sig_file = optarg;
	return true;
}

/**
 * tp_sig_signing() - is this run "sign", not a load?
 *
 * Return: true while "sign" runs a load's encoder.
 */
bool tp_sig_signing(void)
{
	return tp_sig.signing;
}

/**
 * tp_sig_open() - open the socket of a load, unless it is being signed
 * @nl: the socket; zeroed when signing (family 0: the family id is in the
 *	netlink header, which is not signed).
 *
 * Return: 0 or -1 (reported).
 */
int tp_sig_open(struct tp_nl *nl)
{
	if (tp_sig.signing) {
		memset(nl, 0, sizeof(*nl));
		return 0;
	}
	return tp_nl_open(nl);
}

static void ssl_err(const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[256];

	if (e) {
		ERR_error_string_n(e, buf, sizeof(buf));
		tp_err("sign: %s: %s", what, buf);
	} else {
		tp_err("sign: %s failed", what);
	}
	ERR_clear_error();
}

static X509 *read_cert(const char *file)
{
	X509 *x = NULL;
	BIO *b;

	b = BIO_new_file(file, "rb");
	if (!b) {
		ssl_err(file);
		return NULL;
	}
	x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	if (!x) {
		ERR_clear_error();
		(void)BIO_reset(b);
		x = d2i_X509_bio(b, NULL);
	}
	BIO_free(b);
	if (!x)
		ssl_err(file);
	return x;
}

static EVP_PKEY *read_key(const char *file)
{
	EVP_PKEY *k = NULL;
	BIO *b;

	b = BIO_new_file(file, "rb");
	if (!b) {
		ssl_err(file);
		return NULL;
	}
	k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	if (!k) {
		ERR_clear_error();
		(void)BIO_reset(b);
		k = d2i_PrivateKey_bio(b, NULL);
	}
	BIO_free(b);
	if (!k)
		ssl_err(file);
	return k;
}

/* Sign @len bytes at @data into tp_sig.out.  Return: 0 or -1 (reported). */
static int sign_bytes(const void *data, size_t len)
{
	const unsigned int flags = CMS_NOCERTS | CMS_BINARY;
	CMS_ContentInfo *cms = NULL;
	EVP_PKEY *key = NULL;
	BIO *in = NULL, *out = NULL;
	X509 *cert = NULL;
	int ret = -1;

	cert = read_cert(tp_sig.cert);
	key = cert ? read_key(tp_sig.key) : NULL;
	if (!key)
		goto out;
	if (!X509_check_private_key(cert, key)) {
		tp_err("sign: the key %s is not the key of the certificate %s",
		       tp_sig.key, tp_sig.cert);
		goto out;
	}
	in = BIO_new_mem_buf(data, (int)len);
	if (!in) {
		ssl_err("BIO_new_mem_buf");
		goto out;
	}
	cms = CMS_sign(NULL, NULL, NULL, NULL,
		       flags | CMS_PARTIAL | CMS_DETACHED | CMS_STREAM);
	if (!cms) {
		ssl_err("CMS_sign");
		goto out;
	}
	if (!CMS_add1_signer(cms, cert, key, EVP_sha256(),
			     flags | CMS_NOSMIMECAP | CMS_NOATTR)) {
		ssl_err("CMS_add1_signer");
		goto out;
	}
	if (CMS_final(cms, in, NULL, flags) != 1) {
		ssl_err("CMS_final");
		goto out;
	}
	out = BIO_new_file(tp_sig.out, "wb");
	if (!out) {
		ssl_err(tp_sig.out);
		goto out;
	}
	if (i2d_CMS_bio_stream(out, cms, NULL, 0) != 1) {
		ssl_err(tp_sig.out);
		goto out;
	}
	if (BIO_flush(out) != 1) {
		ssl_err(tp_sig.out);
		goto out;
	}
	ret = 0;
out:
	BIO_free(out);
	BIO_free(in);
	CMS_ContentInfo_free(cms);
	EVP_PKEY_free(key);
	X509_free(cert);
	return ret;
}

/* Read the signature file into @buf.  Return: its length, or -1. */
static long read_sig(const char *file, unsigned char *buf, size_t size)
{
	size_t n;
	FILE *f;

	f = fopen(file, "rb");
	if (!f) {
		tp_err("signature: %s: %s", file, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, size, f);
	if (ferror(f)) {
		tp_err("signature: %s: %s", file, strerror(errno));
		fclose(f);
		return -1;
	}
	if (n == size && fgetc(f) != EOF) {
		tp_err("signature: %s: more than %d bytes", file,
		       TCPK_SIGNATURE_MAX);
		fclose(f);
		return -1;
	}
	fclose(f);
	if (!n) {
		tp_err("signature: %s: empty", file);
		return -1;
	}
	return (long)n;
}

/**
 * tp_sig_finish() - sign a load's request, or append its signature
 * @msg: the request, complete but for the signature.
 * @what: the command, for messages.
 *
 * When "sign" runs: writes the signature of the request's generic
 * netlink header and attributes to the output file.  Otherwise, with
 * --signature: appends %TCPK_A_SIGNATURE, which must be the last
 * attribute.
 *
 * Return: 1 if signed (do not send), 0 to send, -1 on failure (reported).
 */
int tp_sig_finish(struct nl_msg *msg, const char *what)
{
	static unsigned char buf[TCPK_SIGNATURE_MAX];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	long n;

	if (tp_sig.signing) {
		if (sign_bytes(nlmsg_data(nlh), nlh->nlmsg_len - NLMSG_HDRLEN))
			return -1;
		fprintf(stderr, "%s: signature of %u bytes written to %s\n",
			what, (unsigned int)(nlh->nlmsg_len - NLMSG_HDRLEN),
			tp_sig.out);
		return 1;
	}
	if (!tp_sig.sig_file)
		return 0;
	n = read_sig(tp_sig.sig_file, buf, sizeof(buf));
	if (n < 0)
		return -1;
	tp_sig.offs = nlh->nlmsg_len;
	if (nla_put(msg, TCPK_A_SIGNATURE, (int)n, buf) < 0) {
		tp_err("%s: cannot add the signature to the message", what);
		return -1;
	}
	return 0;
}

/**
 * tp_sig_refused() - report a refusal that points at the signature
 * @what: the command, for messages.
 * @ext: the kernel's error.
 *
 * Return: true if the error's offset is the signature attribute's (then
 * it was reported, naming the signature file), false otherwise.
 */
bool tp_sig_refused(const char *what, const struct tp_nl_ext *ext)
{
	if (!tp_sig.offs || !ext->has_offs || ext->offs < tp_sig.offs)
		return false;
	tp_nl_report(what, tp_sig.sig_file, ext);
	return true;
}

/* --- sign ---------------------------------------------------------------- */

static void sign_usage(void)
{
	printf("Usage: " TP_NAME " sign --key KEY --cert CERT [-o OUT] rules FILE\n"
	       "       " TP_NAME " sign --key KEY --cert CERT [-o OUT] desc FILE...\n"
	       "       " TP_NAME " sign --key KEY --cert CERT [-o OUT] model FILE\n"
	       "\n"
	       "Write a detached PKCS#7 signature (DER) of exactly the request that\n"
	       "'load FILE', 'desc load FILE...' or 'model load FILE' sends; give it\n"
	       "to that load with --signature=OUT.  The module verifies it against\n"
	       "its keyring .tcp_kernel and the kernel's trusted keyrings.\n"
	       "Contacts no module.\n"
	       "\n"
	       "  --key KEY     the private key (PEM or DER)\n"
	       "  --cert CERT   its X.509 certificate (PEM or DER)\n"
	       "  -o, --output OUT  the signature file (default: FILE.p7s)\n");
}

/**
 * tp_cmd_sign() - "tcp-policy sign --key K --cert C [-o OUT] KIND FILE..."
 * @argc: argument count, argv[0] being "sign".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_sign(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,		NULL, 'h' },
		{ "key",	required_argument,	NULL, 'k' },
		{ "cert",	required_argument,	NULL, 'c' },
		{ "output",	required_argument,	NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	char *sub[4 + 64], *dflt = NULL;
	int opt, ret, n = 0, i;
	const char *kind;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+hk:c:o:", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'h':
			sign_usage();
			return TP_EXIT_OK;
		case 'k':
			tp_sig.key = optarg;
			break;
		case 'c':
			tp_sig.cert = optarg;
			break;
		case 'o':
			tp_sig.out = optarg;
			break;
		default:
			return tp_bad_option("sign", "hk:c:o:", argc, argv);
		}
	}
	if (!tp_sig.key || !tp_sig.cert) {
		tp_err("sign: --key and --cert are required");
		return TP_EXIT_USAGE;
	}
	if (argc - optind < 2) {
		tp_err("sign: expected rules|desc|model FILE");
		return TP_EXIT_USAGE;
	}
	kind = argv[optind++];
	if (!strcmp(kind, "rules")) {
		sub[n++] = "load";
	} else if (!strcmp(kind, "desc")) {
		sub[n++] = "desc";
		sub[n++] = "load";
	} else if (!strcmp(kind, "model")) {
		sub[n++] = "model";
		sub[n++] = "load";
	} else {
		tp_err("sign: unknown kind '%s' (rules, desc or model)", kind);
		return TP_EXIT_USAGE;
	}
	if (strcmp(kind, "desc") && argc - optind != 1)
		return tp_bad_argument("sign", argv[optind + 1]);
	if (argc - optind > 64) {
		tp_err("sign: at most 64 files");
		return TP_EXIT_USAGE;
	}
	if (!tp_sig.out) {
		if (asprintf(&dflt, "%s.p7s", argv[optind]) < 0) {
			tp_err("sign: %s", strerror(ENOMEM));
			return TP_EXIT_FAIL;
		}
		tp_sig.out = dflt;
	}
	/* "--" keeps a file named like an option a file. */
	sub[n++] = "--";
	for (i = optind; i < argc; i++)
		sub[n++] = argv[i];
	sub[n] = NULL;
	tp_sig.signing = true;
	/* The load parses its own argv from the start. */
	optind = 0;
	if (!strcmp(kind, "rules"))
		ret = tp_cmd_load(n, sub);
	else if (!strcmp(kind, "desc"))
		ret = tp_cmd_desc(n, sub);
	else
		ret = tp_cmd_model(n, sub);
	tp_sig.signing = false;
	free(dflt);
	return ret;
}

/* --- key ----------------------------------------------------------------- */

static void key_usage(void)
{
	printf("Usage: " TP_NAME " key add CERT\n"
	       "       " TP_NAME " key list\n"
	       "\n"
	       "add: add an X.509 certificate (DER or PEM) to the module's keyring\n"
	       ".tcp_kernel (root only; refused once the module is locked).\n"
	       "list: the keys of that keyring, one serial and description a line.\n");
}

/* The keyring's serial, from the status.  Return: it, or 0 (reported). */
static int32_t keyring_serial(void)
{
	uint32_t serial = 0;

	if (tp_status_keyring(&serial))
		return 0;
	if (!serial)
		tp_err("key: the module has no keyring (see dmesg)");
	return (int32_t)serial;
}

static int key_add(const char *file)
{
	unsigned char *der = NULL;
	int32_t ring;
	long id;
	int len;
	X509 *x;

	x = read_cert(file);
	if (!x)
		return TP_EXIT_FAIL;
	len = i2d_X509(x, &der);
	X509_free(x);
	if (len <= 0) {
		ssl_err(file);
		return TP_EXIT_FAIL;
	}
	ring = keyring_serial();
	if (!ring) {
		OPENSSL_free(der);
		return TP_EXIT_FAIL;
	}
	id = syscall(SYS_add_key, "asymmetric", "", der, (size_t)len, ring);
	OPENSSL_free(der);
	if (id < 0) {
		tp_err("key add: %s: %s%s", file, strerror(errno),
		       errno == EPERM ? " (the module is locked, or not root)" :
		       errno == EACCES ? " (only root may add keys)" : "");
		return TP_EXIT_FAIL;
	}
	printf("%ld\n", id);
	return TP_EXIT_OK;
}

static int key_list(void)
{
	int32_t ring = keyring_serial(), ids[256];
	char desc[512];
	long n, i;

	if (!ring)
		return TP_EXIT_FAIL;
	n = syscall(SYS_keyctl, KEYCTL_READ, ring, (char *)ids, sizeof(ids));
	if (n < 0) {
		tp_err("key list: %s", strerror(errno));
		return TP_EXIT_FAIL;
	}
	n /= (long)sizeof(ids[0]);
	if (n > 256)
		n = 256;
	for (i = 0; i < n; i++) {
		long d = syscall(SYS_keyctl, KEYCTL_DESCRIBE, ids[i], desc,
				 sizeof(desc));

		if (d < 0 || (size_t)d > sizeof(desc))
			snprintf(desc, sizeof(desc), "?");
		/* "type;uid;gid;perm;description" */
		printf("%d %s\n", ids[i], desc);
	}
	return TP_EXIT_OK;
}

/**
 * tp_cmd_key() - "tcp-policy key add CERT" and "tcp-policy key list"
 * @argc: argument count, argv[0] being "key".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_key(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		key_usage();
		return TP_EXIT_OK;
	}
	if (argc == 3 && !strcmp(argv[1], "add"))
		return key_add(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "list"))
		return key_list();
	tp_err("key: expected 'add CERT' or 'list'");
	fprintf(stderr, "Try '" TP_NAME " key --help' for more information.\n");
	return TP_EXIT_USAGE;
}
