/* SPDX-License-Identifier: ISC */
/*
 * txq.h - a port's FIFO of encoded VSI TLVs waiting for ECP, each with the
 * Manager ID it goes under.  TLVs are stored encoded (not as VSI pointers) so
 * a VSI may end while its last reply is still queued.  txq_pack() moves as
 * many as fit into one ULPDU, in order.
 *
 * The queue is bounded: at most `max` records (0 = no bound), each at most
 * one ECPDU's worth, so its memory is at most max * ECP_MAX_ULPDU octets.
 */
#ifndef VDP_TXQ_H
#define VDP_TXQ_H

#include <stddef.h>
#include <stdint.h>

#include "vdp_pack.h"
#include "vdp_tlv.h"

struct txq {
	uint8_t *buf;
	size_t head; /* first queued record */
	size_t tail; /* end of the last record */
	size_t cap;
	size_t count; /* records */
	size_t max;   /* most records queued at once, 0 = no bound */
};

void txq_init(struct txq *q);
void txq_free(struct txq *q);
/* Encode t and queue it under mgrid.  0, -ENOBUFS (the queue holds max
 * records), -ENOMEM, or -EMSGSIZE (a TLV larger than an ECPDU can carry). */
int txq_push(struct txq *q, const uint8_t mgrid[VDP_MGRID_LEN], const struct vdp_vsi_tlv *t);
/* Move queued TLVs into the packer while they fit; returns how many. */
unsigned txq_pack(struct txq *q, struct vdp_packer *pk);
void txq_clear(struct txq *q);
/* Is the queue at its bound? */
static inline int txq_full(const struct txq *q)
{
	return q->max && q->count >= q->max;
}

#endif
