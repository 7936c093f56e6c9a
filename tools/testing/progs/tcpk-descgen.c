// SPDX-License-Identifier: GPL-2.0
/*
 * tcpk-descgen - generate large TCP descriptor files for the VM tests
 *
 * Writes COUNT descriptors with unique command names (and unique command
 * hashes: a name whose MD5 prefix collides with an earlier one is
 * skipped), either as raw concatenated 24-byte descriptors or in the text
 * format of tcp-policy(8), where a subset can be bound by path=, sha256=
 * or syscall=.  Optionally writes the identities it bound, one per line,
 * so a test can compare them with what the module dumps:
 *
 *	name 0x<cmd_hash, 8 hex digits>
 *	path <absolute path>
 *	sha256 <64 hex digits>
 *	syscall <number>
 *
 * and corrupts one field of one entry to test that a batch is refused as
 * a whole.  MD5 from libcrypto and CRC-32 from zlib (the libraries
 * tcp-policy uses too); deterministic for a given seed.
 */

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <zlib.h>

#include <linux/tcp_kernel.h>

#include "desc-bytes.h"

/* --- hashes: libcrypto's MD5, zlib's CRC-32 ----------------------------- */

static void md5(const char *s, uint8_t out[16])
{
	unsigned int n = 16;

	if (!EVP_Digest(s, strlen(s), out, &n, EVP_md5(), NULL) || n != 16) {
		fprintf(stderr, "tcpk-descgen: MD5 failed\n");
		exit(1);
	}
}

/* --- descriptors ------------------------------------------------------- */

static uint32_t name_hash(const char *name)
{
	uint8_t d[16];

	md5(name, d);
	return (uint32_t)d[0] << 24 | d[1] << 16 | d[2] << 8 | d[3];
}

static void encode(uint8_t out[TCPK_DESC_LEN], const char *name,
		   uint32_t flags, uint16_t ms, uint16_t mb, uint16_t kb)
{
	memcpy(out, TCPK_DESC_MAGIC, 4);
	put16(out + 4, TCPK_DESC_VERSION);
	put32(out + 6, name_hash(name));
	put32(out + 10, flags);
	put16(out + 14, ms);
	put16(out + 16, mb);
	put16(out + 18, kb);
	put16(out + 20, (uint16_t)strlen(name));
	put16(out + 22, crc32_ieee(out, 22) & 0xffff);
}

static const char *const flag_names[__TCPK_DESC_FLAG_MAX] = {
	"SAFE", "LOW_RISK", "MEDIUM_RISK", "HIGH_RISK", "CRITICAL",
	"REQUIRES_SUDO", "REQUIRES_ROOT", "DESTRUCTIVE", "NETWORK_ACCESS",
	"FILE_MODIFICATION", "SYSTEM_MODIFICATION", "PRIVILEGE_ESCALATION",
	"KERNEL_MODULE", "CONTAINER_ESCAPE", "CRYPTO_OPERATION",
	"AUDIT_LOGGING", "DANGEROUS_EXEC",
};

/* xorshift64*: reproducible values from the seed */
static uint64_t rng_state;

static uint32_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32);
}

/* Set of the 32-bit command hashes used so far (open addressing). */
#define HSET_BITS	21
static uint32_t *hset;
static uint8_t *hset_used;

static int hset_add(uint32_t h)
{
	uint32_t i = (h * 2654435761u) >> (32 - HSET_BITS);

	while (hset_used[i]) {
		if (hset[i] == h)
			return 0;
		i = (i + 1) & ((1u << HSET_BITS) - 1);
	}
	hset_used[i] = 1;
	hset[i] = h;
	return 1;
}

static const char *const bad_fields[] = {
	"magic", "version", "check", "name_len", "flags",
};

static void corrupt(uint8_t *d, const char *field)
{
	if (!strcmp(field, "magic")) {
		d[0] = 'X';
	} else if (!strcmp(field, "version")) {
		put16(d + 4, TCPK_DESC_VERSION + 1);
	} else if (!strcmp(field, "name_len")) {
		put16(d + 20, 0);
	} else if (!strcmp(field, "flags")) {
		d[10] |= 0x80;	/* bit 31: unassigned */
	}
	/* every field but check: keep the check right, so only @field is bad */
	if (strcmp(field, "check"))
		put16(d + 22, crc32_ieee(d, 22) & 0xffff);
	else
		d[23] ^= 0x01;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tcpk-descgen [options] COUNT\n"
		"  -f raw|text   output format (default raw)\n"
		"  -o FILE       output file (default stdout)\n"
		"  -k FILE       write the identities bound, one per line\n"
		"  -n PREFIX     command name prefix (default \"gen\")\n"
		"  -s SEED       seed of flags and numbers (default 1)\n"
		"  -P N          text: bind every N-th descriptor by path=\n"
		"  -D N          text: bind every N-th descriptor by sha256=\n"
		"  -S N          text: bind the first N descriptors to syscalls 0..N-1\n"
		"                with syscall= (N <= 1024)\n"
		"  -b I:FIELD    raw: corrupt FIELD (magic, version, check,\n"
		"                name_len, flags) of descriptor I (from 0)\n"
		"  -t            print the command hash, check and text of the self-test\n");
}

/* The descriptor of "ls" worked by hand: a regression anchor. */
static int self_test(void)
{
	uint8_t d[TCPK_DESC_LEN];
	int i;

	encode(d, "ls", 1u << TCPK_DESC_SAFE, 5, 2, 4);
	printf("md5(\"\") prefix 0x%08x\n", name_hash(""));
	printf("md5(\"ls\") prefix 0x%08x\n", name_hash("ls"));
	printf("crc32(\"123456789\") 0x%08x\n",
	       crc32_ieee((const uint8_t *)"123456789", 9));
	for (i = 0; i < TCPK_DESC_LEN; i++)
		printf("%02x", d[i]);
	printf("\n");
	/* known answers: MD5("") = d41d8cd9..., CRC-32 check = cbf43926 */
	return name_hash("") == 0xd41d8cd9 &&
	       crc32_ieee((const uint8_t *)"123456789", 9) == 0xcbf43926 ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *fmt = "raw", *out = NULL, *keys = NULL, *prefix = "gen";
	const char *bad_field = NULL;
	unsigned long count, i, made, bad_index = 0, path_every = 0;
	unsigned long digest_every = 0, syscalls = 0;
	unsigned long long seed = 1;
	FILE *fo = stdout, *fk = NULL;
	int opt, text;
	size_t j;

	while ((opt = getopt(argc, argv, "f:o:k:n:s:P:D:S:b:th")) != -1) {
		switch (opt) {
		case 'f': fmt = optarg; break;
		case 'o': out = optarg; break;
		case 'k': keys = optarg; break;
		case 'n': prefix = optarg; break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'P': path_every = strtoul(optarg, NULL, 0); break;
		case 'D': digest_every = strtoul(optarg, NULL, 0); break;
		case 'S': syscalls = strtoul(optarg, NULL, 0); break;
		case 'b': {
			char *colon;

			bad_index = strtoul(optarg, &colon, 0);
			if (*colon != ':')
				goto bad_usage;
			bad_field = colon + 1;
			for (j = 0; j < sizeof(bad_fields) / sizeof(*bad_fields); j++)
				if (!strcmp(bad_field, bad_fields[j]))
					break;
			if (j == sizeof(bad_fields) / sizeof(*bad_fields))
				goto bad_usage;
			break;
		}
		case 't': return self_test();
		case 'h': usage(stdout); return 0;
		default: goto bad_usage;
		}
	}
	if (optind != argc - 1)
		goto bad_usage;
	count = strtoul(argv[optind], NULL, 0);
	text = !strcmp(fmt, "text");
	if ((!text && strcmp(fmt, "raw")) || syscalls > 1024 ||
	    (text && bad_field) || (!text && (path_every || digest_every || syscalls)))
		goto bad_usage;

	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
	hset = calloc(1u << HSET_BITS, sizeof(*hset));
	hset_used = calloc(1u << HSET_BITS, 1);
	if (!hset || !hset_used || count >= (1u << HSET_BITS) / 2) {
		fprintf(stderr, "tcpk-descgen: count too large or out of memory\n");
		return 1;
	}
	if (out && !(fo = fopen(out, "w"))) {
		fprintf(stderr, "tcpk-descgen: %s: %s\n", out, strerror(errno));
		return 1;
	}
	if (keys && !(fk = fopen(keys, "w"))) {
		fprintf(stderr, "tcpk-descgen: %s: %s\n", keys, strerror(errno));
		return 1;
	}

	for (i = 0, made = 0; made < count; i++) {
		char name[64];
		uint8_t d[TCPK_DESC_LEN];
		uint32_t flags = rnd() & TCPK_DESC_FLAGS_KNOWN;
		uint16_t ms = (uint16_t)rnd(), mb = (uint16_t)rnd(), kb = (uint16_t)rnd();
		uint32_t h;

		snprintf(name, sizeof(name), "%s-%07lu", prefix, i);
		h = name_hash(name);
		if (!hset_add(h))
			continue;	/* same MD5 prefix as an earlier name */
		if (!flags)
			flags = 1u << TCPK_DESC_SAFE;

		if (!text) {
			encode(d, name, flags, ms, mb, kb);
			if (bad_field && made == bad_index)
				corrupt(d, bad_field);
			fwrite(d, 1, sizeof(d), fo);
			if (fk)
				fprintf(fk, "name 0x%08x\n", h);
			made++;
			continue;
		}

		fprintf(fo, "%s  ", name);
		for (j = 0; j < __TCPK_DESC_FLAG_MAX; j++) {
			if (!(flags & (1u << j)))
				continue;
			flags &= ~(1u << j);
			fprintf(fo, "%s%s", flag_names[j], flags ? "|" : "");
		}
		fprintf(fo, "  %u %u %u", ms, mb, kb);
		if (made < syscalls) {
			fprintf(fo, " syscall=%lu", made);
			if (fk)
				fprintf(fk, "syscall %lu\n", made);
		} else if (path_every && made % path_every == 0) {
			fprintf(fo, " path=/opt/%s/bin/%s", prefix, name);
			if (fk)
				fprintf(fk, "path /opt/%s/bin/%s\n", prefix, name);
		} else if (digest_every && made % digest_every == 1 % digest_every) {
			char tag[80];
			uint8_t a[16], b[16];
			int k;

			/* 32 unique bytes standing for a file's SHA-256 */
			snprintf(tag, sizeof(tag), "a:%s", name);
			md5(tag, a);
			snprintf(tag, sizeof(tag), "b:%s", name);
			md5(tag, b);
			fprintf(fo, " sha256=");
			if (fk)
				fprintf(fk, "sha256 ");
			for (k = 0; k < 32; k++) {
				fprintf(fo, "%02x", k < 16 ? a[k] : b[k - 16]);
				if (fk)
					fprintf(fk, "%02x", k < 16 ? a[k] : b[k - 16]);
			}
			if (fk)
				fprintf(fk, "\n");
		} else if (fk) {
			fprintf(fk, "name 0x%08x\n", h);
		}
		fprintf(fo, "\n");
		made++;
	}
	if (fflush(fo) || ferror(fo) || (fk && (fflush(fk) || ferror(fk)))) {
		fprintf(stderr, "tcpk-descgen: write error: %s\n", strerror(errno));
		return 1;
	}
	return 0;

bad_usage:
	usage(stderr);
	return 2;
}
