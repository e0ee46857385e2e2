/* SPDX-License-Identifier: ISC */
/*
 * bytes.c - bounds-checked big-endian reader and writer (see bytes.h).
 */
#include "bytes.h"

#include <errno.h>
#include <string.h>

static bool rd_take(struct rd *r, size_t n)
{
	if (r->err || n > r->len - r->off) {
		r->err = true;
		return false;
	}
	return true;
}

uint8_t rd_u8(struct rd *r)
{
	if (!rd_take(r, 1))
		return 0;
	return r->p[r->off++];
}

uint16_t rd_u16(struct rd *r)
{
	if (!rd_take(r, 2))
		return 0;
	uint16_t v = (uint16_t)(r->p[r->off] << 8 | r->p[r->off + 1]);
	r->off += 2;
	return v;
}

uint32_t rd_u24(struct rd *r)
{
	if (!rd_take(r, 3))
		return 0;
	const uint8_t *p = r->p + r->off;
	r->off += 3;
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

uint32_t rd_u32(struct rd *r)
{
	if (!rd_take(r, 4))
		return 0;
	const uint8_t *p = r->p + r->off;
	r->off += 4;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void rd_bytes(struct rd *r, void *dst, size_t n)
{
	if (!rd_take(r, n)) {
		if (dst)
			memset(dst, 0, n);
		return;
	}
	if (dst && n)
		memcpy(dst, r->p + r->off, n);
	r->off += n;
}

struct rd rd_sub(struct rd *r, size_t n)
{
	if (!rd_take(r, n))
		return (struct rd){.err = true};
	struct rd s = rd_init(r->p + r->off, n);
	r->off += n;
	return s;
}

static bool wr_room(struct wr *w, size_t n)
{
	if (w->err || n > w->cap - w->off) {
		w->err = true;
		return false;
	}
	return true;
}

void wr_u8(struct wr *w, uint8_t v)
{
	if (wr_room(w, 1))
		w->p[w->off++] = v;
}

void wr_u16(struct wr *w, uint16_t v)
{
	if (!wr_room(w, 2))
		return;
	w->p[w->off++] = (uint8_t)(v >> 8);
	w->p[w->off++] = (uint8_t)v;
}

void wr_u24(struct wr *w, uint32_t v)
{
	if (!wr_room(w, 3))
		return;
	w->p[w->off++] = (uint8_t)(v >> 16);
	w->p[w->off++] = (uint8_t)(v >> 8);
	w->p[w->off++] = (uint8_t)v;
}

void wr_u32(struct wr *w, uint32_t v)
{
	wr_u16(w, (uint16_t)(v >> 16));
	wr_u16(w, (uint16_t)v);
}

void wr_bytes(struct wr *w, const void *src, size_t n)
{
	if (!wr_room(w, n))
		return;
	if (n)
		memcpy(w->p + w->off, src, n);
	w->off += n;
}

void wr_zeros(struct wr *w, size_t n)
{
	if (!wr_room(w, n))
		return;
	memset(w->p + w->off, 0, n);
	w->off += n;
}

int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hex_parse(const char *s, uint8_t *out, size_t n, const char *seps, uint32_t sep_after)
{
	for (size_t i = 0; i < n; i++) {
		int hi = hex_digit(s[0]), lo = hi < 0 ? -1 : hex_digit(s[1]);
		if (lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (i < 32 && (sep_after >> i & 1)) {
			if (!*s || !seps || !strchr(seps, *s))
				return -EINVAL;
			s++;
		}
	}
	return *s ? -EINVAL : 0;
}
