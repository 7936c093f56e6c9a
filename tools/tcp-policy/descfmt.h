/* SPDX-License-Identifier: GPL-2.0 */
/* tcp-policy - TCP descriptors: encoding, validation, text and raw files */
#ifndef TP_DESCFMT_H
#define TP_DESCFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/tcp_kernel.h>

/* The layout is ABI: 24 bytes, no padding. */
_Static_assert(sizeof(struct tcpk_desc) == TCPK_DESC_LEN,
	       "struct tcpk_desc is not 24 bytes");

/* Bytes the check covers: everything before the check field. */
#define TP_DESC_CHECKED_LEN	22

/* The highest system call number the module accepts, plus one. */
#define TP_SYSCALL_LIMIT	1024

/* Longest flags text tp_desc_format_flags() writes, with its NUL. */
#define TP_FLAGS_TEXT_MAX	512

/**
 * struct tp_desc_src - where a descriptor came from, for messages
 * @file: file name as given ("-" reads as "<stdin>"); NULL for the
 *	command line.
 * @line: line of a text file, from 1; 0 for a raw file.
 * @index: descriptor of a raw file, from 1; 0 for a text file.
 */
struct tp_desc_src {
	const char *file;
	unsigned int line;
	unsigned int index;
};

/**
 * struct tp_desc_item - one descriptor and the identity it is bound to
 * @desc: the descriptor, big-endian, as sent to the module.
 * @kind: &enum tcpk_desc_key_kind of the binding.
 * @syscall: %TCPK_DESC_KEY_SYSCALL: the system call number.
 * @sha256: %TCPK_DESC_KEY_DIGEST: the executable's digest.
 * @path: %TCPK_DESC_KEY_PATH: the absolute path (allocated).
 * @name: the command name, when known (allocated; NULL for raw files).
 * @src: where it came from.
 */
struct tp_desc_item {
	struct tcpk_desc desc;
	enum tcpk_desc_key_kind kind;
	uint32_t syscall;
	uint8_t sha256[TCPK_DESC_DIGEST_LEN];
	char *path;
	char *name;
	struct tp_desc_src src;
};

/**
 * struct tp_desc_batch - descriptors to be sent in one %TCPK_CMD_DESC_ADD
 * @items: the descriptors, in file order.
 * @n: number of @items.
 * @cap: allocated entries of @items.
 */
struct tp_desc_batch {
	struct tp_desc_item *items;
	size_t n;
	size_t cap;
};

const char *tp_desc_flag_name(unsigned int bit);
int tp_desc_parse_flags(const char *s, uint32_t *flags, char *err,
			size_t errlen);
void tp_desc_format_flags(uint32_t flags, char *buf, size_t len);

const char *tp_desc_kind_name(uint32_t kind);

int tp_syscall_nr(const char *name);
const char *tp_syscall_name(uint32_t nr);
int tp_desc_parse_syscall(const char *s, uint32_t *nr);

int tp_desc_name_hash(const char *name, size_t len, uint32_t *hash);
uint16_t tp_desc_check(const struct tcpk_desc *d);
int tp_desc_encode(struct tcpk_desc *d, const char *name, uint32_t flags,
		   uint16_t exec_ms, uint16_t mem_mb, uint16_t out_kb);
bool tp_desc_invalid(const struct tcpk_desc *d, char *why, size_t len);

int tp_parse_hex(const char *s, uint8_t *out, size_t n);
void tp_format_hex(const uint8_t *in, size_t n, char *out);
int tp_sha256_file(const char *path, uint8_t out[TCPK_DESC_DIGEST_LEN],
		   char *err, size_t errlen);

const char *tp_desc_src_str(const struct tp_desc_src *src, char *buf,
			    size_t len);

int tp_desc_parse_args(char **tok, int ntok, const struct tp_desc_src *src,
		       struct tp_desc_batch *b);
int tp_desc_read_file(const char *file, struct tp_desc_batch *b);
int tp_desc_check_dups(const struct tp_desc_batch *b);
void tp_desc_item_identity(const struct tp_desc_item *it, char *buf,
			   size_t len);
void tp_desc_batch_free(struct tp_desc_batch *b);

/**
 * struct tp_desc_names - command names recovered from descriptor files
 * @hash: the names' hashes, sorted.
 * @name: the names, in the order of @hash.
 * @n: number of names.
 *
 * The module stores only a descriptor's name hash; names are found again
 * by hashing the names of the text files of a directory.
 */
struct tp_desc_names {
	uint32_t *hash;
	char **name;
	size_t n;
};

void tp_desc_names_load(struct tp_desc_names *names, const char *dir);
const char *tp_desc_names_find(const struct tp_desc_names *names,
			       const struct tcpk_desc *d);
void tp_desc_names_free(struct tp_desc_names *names);

#endif /* TP_DESCFMT_H */
