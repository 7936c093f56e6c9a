/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel test programs - writing the big-endian fields of a descriptor
 * and sealing it with its check (crc32 of bytes 0..21, low 16 bits).
 * Shared by tcpk-descgen.c and genl-fuzz.c; needs zlib.
 */
#ifndef TCPK_DESC_BYTES_H
#define TCPK_DESC_BYTES_H

#include <stddef.h>
#include <stdint.h>

#include <zlib.h>

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = (uint8_t)v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline uint32_t crc32_ieee(const uint8_t *p, size_t n)
{
	return (uint32_t)crc32(0L, p, (uInt)n);
}

#endif /* TCPK_DESC_BYTES_H */
