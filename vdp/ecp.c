/* SPDX-License-Identifier: ISC */
/*
 * ecp.c - Edge Control Protocol (802.1Qbg-2012 clause 43): the ECPDU header codec and the
 * ack-clocked transmit and the receive state machines (see ecp.h).
 *
 * Choices not spelt out by the reference:
 * - ecp_hdr_encode() truncates each field to its width (version 4 bits,
 *   op 2 bits, subtype 10 bits); callers pass proto.h constants.
 * - the ack deadline saturates at UINT64_MAX and is never 0 while an ECPDU
 *   is outstanding (0 means "idle" to the caller), even with now + ackTimer
 *   == 0 on a fake clock.
 * - ecp_tx_pdu() builds from tx->seq / tx->ulpdu whatever the state, so a
 *   failed or aborted ULPDU can still be rebuilt for diagnostics.
 */
#include "ecp.h"

#include <errno.h>
#include <string.h>

#include "bytes.h"

#define ECP_VERSION_SHIFT 12
#define ECP_OP_SHIFT	  10
#define ECP_VERSION_MASK  0xfu
#define ECP_OP_MASK	  0x3u
#define ECP_SUBTYPE_MASK  0x3ffu

/* ---------------- header codec (802.1Qbg 43) ---------------- */

int ecp_hdr_decode(const uint8_t *p, size_t len, struct ecp_hdr *h)
{
	struct rd r = rd_init(p, len);
	uint16_t word = rd_u16(&r);
	uint16_t seq = rd_u16(&r);

	if (r.err)
		return -EINVAL;
	struct ecp_hdr d = {
	    .version = (uint8_t)(word >> ECP_VERSION_SHIFT & ECP_VERSION_MASK),
	    .op = (uint8_t)(word >> ECP_OP_SHIFT & ECP_OP_MASK),
	    .subtype = (uint16_t)(word & ECP_SUBTYPE_MASK),
	    .seq = seq,
	};
	if (d.version != ECP_VERSION)
		return -EPROTO;
	if (d.op != ECP_OP_REQUEST && d.op != ECP_OP_ACK)
		return -EPROTO;
	*h = d;
	return 0;
}

static void ecp_hdr_put(struct wr *w, const struct ecp_hdr *h)
{
	uint16_t word =
	    (uint16_t)((h->version & ECP_VERSION_MASK) << ECP_VERSION_SHIFT |
		       (h->op & ECP_OP_MASK) << ECP_OP_SHIFT | (h->subtype & ECP_SUBTYPE_MASK));

	wr_u16(w, word);
	wr_u16(w, h->seq);
}

int ecp_hdr_encode(const struct ecp_hdr *h, uint8_t *out, size_t cap)
{
	struct wr w = wr_init(out, cap);

	ecp_hdr_put(&w, h);
	return w.err ? -ENOSPC : (int)w.off;
}

int ecp_build_ack(uint16_t subtype, uint16_t seq, uint8_t *out, size_t cap)
{
	struct ecp_hdr h = {
	    .version = ECP_VERSION, .op = ECP_OP_ACK, .subtype = subtype, .seq = seq};

	return ecp_hdr_encode(&h, out, cap);
}

/* ---------------- transmit machine (802.1Qbg 43.3, ack-clocked) ---------------- */

/* Sequence numbers increase by one per new ECPDU; 0 is never used. */
static uint16_t ecp_next_seq(uint16_t seq)
{
	seq++;
	return seq ? seq : 1;
}

static void ecp_tx_arm(struct ecp_tx *tx, uint64_t now)
{
	uint64_t at = now + tx->ack_us;

	if (at < now)
		at = UINT64_MAX;
	tx->deadline = at ? at : 1;
}

static void ecp_tx_go_idle(struct ecp_tx *tx)
{
	tx->state = ECP_TX_WAIT_ONDATA;
	tx->deadline = 0;
}

void ecp_tx_init(struct ecp_tx *tx, uint16_t subtype, uint8_t max_retries, uint64_t ack_us,
		 uint16_t first_seq)
{
	memset(tx, 0, sizeof(*tx));
	tx->subtype = subtype;
	tx->max_retries = max_retries;
	tx->ack_us = ack_us;
	/* The first ecp_tx_start() advances to first_seq (0 becomes 1). */
	tx->seq = (uint16_t)(first_seq - 1);
	ecp_tx_go_idle(tx);
}

void ecp_tx_set_timers(struct ecp_tx *tx, uint8_t max_retries, uint64_t ack_us)
{
	tx->max_retries = max_retries;
	tx->ack_us = ack_us;
}

int ecp_tx_start(struct ecp_tx *tx, const uint8_t *ulpdu, size_t len, uint64_t now,
		 struct ecp_counters *c)
{
	if (!ecp_tx_idle(tx))
		return -EBUSY;
	if (len > ECP_MAX_ULPDU)
		return -EMSGSIZE;
	if (len)
		memcpy(tx->ulpdu, ulpdu, len);
	tx->len = len;
	tx->seq = ecp_next_seq(tx->seq);
	tx->retries = 0;
	tx->state = ECP_TX_TXMIT;
	ecp_tx_arm(tx, now);
	c->tx_frames++;
	return ECP_TX_SEND;
}

enum ecp_tx_result ecp_tx_ack(struct ecp_tx *tx, uint16_t seq, struct ecp_counters *c)
{
	if (ecp_tx_idle(tx) || seq != tx->seq) {
		c->rx_stale_acks++;
		return ECP_TX_NONE;
	}
	c->rx_acks++;
	ecp_tx_go_idle(tx);
	return ECP_TX_ACKED;
}

enum ecp_tx_result ecp_tx_timer(struct ecp_tx *tx, uint64_t now, struct ecp_counters *c)
{
	if (ecp_tx_idle(tx) || now < tx->deadline)
		return ECP_TX_NONE;
	if (tx->retries < tx->max_retries) {
		tx->retries++;
		c->tx_retries++;
		c->tx_frames++;
		ecp_tx_arm(tx, now);
		return ECP_TX_SEND;
	}
	c->tx_failures++;
	ecp_tx_go_idle(tx);
	return ECP_TX_FAILED;
}

bool ecp_tx_abort(struct ecp_tx *tx)
{
	bool was = !ecp_tx_idle(tx);

	ecp_tx_go_idle(tx);
	return was;
}

int ecp_tx_pdu(const struct ecp_tx *tx, uint8_t *out, size_t cap)
{
	struct ecp_hdr h = {
	    .version = ECP_VERSION, .op = ECP_OP_REQUEST, .subtype = tx->subtype, .seq = tx->seq};
	struct wr w = wr_init(out, cap);

	ecp_hdr_put(&w, &h);
	wr_bytes(&w, tx->ulpdu, tx->len);
	return w.err ? -ENOSPC : (int)w.off;
}

/* ---------------- receive machine (802.1Qbg 43.3) ---------------- */

void ecp_rx_init(struct ecp_rx *rx)
{
	rx->state = ECP_RX_WAIT;
	rx->last_seq = 0;
}

bool ecp_rx_request(struct ecp_rx *rx, uint16_t seq, struct ecp_counters *c)
{
	c->rx_frames++;
	if (rx->state == ECP_RX_WAIT2 && seq == rx->last_seq) {
		c->rx_dups++;
		return false;
	}
	/* WAIT: FIRST sets lastSeq = seq - 1 so the PDU is new; NEW stores seq. */
	rx->state = ECP_RX_WAIT2;
	rx->last_seq = seq;
	return true;
}
