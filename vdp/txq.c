/* SPDX-License-Identifier: ISC */
/*
 * txq.c - FIFO of encoded VSI TLVs (see txq.h).
 *
 * Record layout in buf: u16 length of the TLV octets, 16-octet Manager ID,
 * the TLV octets (header, value, following org TLVs).
 */
#include "txq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define REC_HDR	 (2 + VDP_MGRID_LEN)
#define TXQ_KEEP 4096 /* octets of buffer kept when the queue empties */

void txq_init(struct txq *q)
{
	memset(q, 0, sizeof(*q));
}

void txq_free(struct txq *q)
{
	free(q->buf);
	txq_init(q);
}

/* Empty; a buffer grown by a burst beyond the first size is given back. */
void txq_clear(struct txq *q)
{
	q->head = q->tail = q->count = 0;
	if (q->cap > TXQ_KEEP) {
		free(q->buf);
		q->buf = NULL;
		q->cap = 0;
	}
}

/* Make room for n more octets at the tail: slide live records to the front
 * when more than half the buffer is consumed, else grow. */
static int txq_reserve(struct txq *q, size_t n)
{
	if (q->head && q->head >= q->cap / 2) {
		memmove(q->buf, q->buf + q->head, q->tail - q->head);
		q->tail -= q->head;
		q->head = 0;
	}
	if (q->tail + n <= q->cap)
		return 0;
	size_t cap = q->cap ? q->cap : TXQ_KEEP;
	while (cap < q->tail + n)
		cap *= 2;
	uint8_t *b = realloc(q->buf, cap);
	if (!b)
		return -ENOMEM;
	q->buf = b;
	q->cap = cap;
	return 0;
}

int txq_push(struct txq *q, const uint8_t mgrid[VDP_MGRID_LEN], const struct vdp_vsi_tlv *t)
{
	size_t len = vdp_vsi_tlv_size(t);
	if (len + VDP_TLV_HDR_LEN + VDP_MGRID_LEN > ECP_MAX_ULPDU)
		return -EMSGSIZE;
	if (txq_full(q))
		return -ENOBUFS;
	if (txq_reserve(q, REC_HDR + len))
		return -ENOMEM;
	uint8_t *rec = q->buf + q->tail;
	rec[0] = (uint8_t)(len >> 8);
	rec[1] = (uint8_t)len;
	memcpy(rec + 2, mgrid, VDP_MGRID_LEN);
	struct wr w = wr_init(rec + REC_HDR, len);
	vdp_vsi_tlv_encode(&w, t);
	if (w.err || w.off != len)
		return -EMSGSIZE;
	q->tail += REC_HDR + len;
	q->count++;
	return 0;
}

unsigned txq_pack(struct txq *q, struct vdp_packer *pk)
{
	unsigned n = 0;
	while (q->count) {
		const uint8_t *rec = q->buf + q->head;
		size_t len = (size_t)rec[0] << 8 | rec[1];
		if (vdp_pack_add_raw(pk, rec + 2, rec + REC_HDR, len))
			break;
		q->head += REC_HDR + len;
		q->count--;
		n++;
	}
	if (!q->count)
		txq_clear(q);
	return n;
}
