/* SPDX-License-Identifier: ISC */
/*
 * bytes.h - bounds-checked big-endian reader and writer over a byte buffer.
 *
 * Every decoder in vdp/ reads through a struct rd and every encoder writes
 * through a struct wr: a read or write past the end never touches memory, it
 * sets the sticky `err` flag and yields zeros, so codecs check once at the end.
 */
#ifndef VDP_BYTES_H
#define VDP_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rd {
	const uint8_t *p;
	size_t len; /* total octets */
	size_t off; /* next octet to read */
	bool err;   /* a read went past the end */
};

struct wr {
	uint8_t *p;
	size_t cap; /* room in p */
	size_t off; /* octets written */
	bool err;   /* a write did not fit */
};

static inline struct rd rd_init(const uint8_t *p, size_t len)
{
	return (struct rd){.p = p, .len = len};
}

static inline struct wr wr_init(uint8_t *p, size_t cap)
{
	return (struct wr){.p = p, .cap = cap};
}

static inline size_t rd_left(const struct rd *r)
{
	return r->err ? 0 : r->len - r->off;
}

uint8_t rd_u8(struct rd *r);
uint16_t rd_u16(struct rd *r);
uint32_t rd_u24(struct rd *r);
uint32_t rd_u32(struct rd *r);
/* Copy n octets to dst (zeroed on error); dst may be NULL to skip. */
void rd_bytes(struct rd *r, void *dst, size_t n);
/* Take a sub-reader over the next n octets and advance past them. */
struct rd rd_sub(struct rd *r, size_t n);

void wr_u8(struct wr *w, uint8_t v);
void wr_u16(struct wr *w, uint16_t v);
void wr_u24(struct wr *w, uint32_t v);
void wr_u32(struct wr *w, uint32_t v);
void wr_bytes(struct wr *w, const void *src, size_t n);
void wr_zeros(struct wr *w, size_t n);

/* Text helpers shared by the decoders' callers: a hex digit's value or -1;
 * exactly n octets as pairs of hex digits with one of the characters in
 * seps after each octet whose index is flagged in sep_after (bit i), then
 * the end of s.  0 / -EINVAL. */
int hex_digit(int c);
int hex_parse(const char *s, uint8_t *out, size_t n, const char *seps, uint32_t sep_after);
#define HEX_MAC_SEPS 0x1fu /* a separator after octets 0..4 of a MAC */

#endif
