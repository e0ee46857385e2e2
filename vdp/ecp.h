/* SPDX-License-Identifier: ISC */
/*
 * ecp.h - Edge Control Protocol (802.1Qbg-2012 clause 43): the 4-octet
 * ECPDU header codec, and the per-port transmit and receive state machines.
 *
 * The transmit machine is ack-clocked: the caller may start the next ECPDU
 * as soon as ecp_tx_ack() reports ECP_TX_ACKED; the ack timer only triggers
 * retransmissions.  After R retransmissions the machine reports
 * ECP_TX_FAILED and leaves the lost ULPDU in tx->ulpdu so the upper layer can
 * tell which VSIs failed before the next ecp_tx_start() reuses the buffer.
 */
#ifndef VDP_ECP_H
#define VDP_ECP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

struct ecp_hdr {
	uint8_t version;  /* 4 bits */
	uint8_t op;	  /* 2 bits: ECP_OP_REQUEST / ECP_OP_ACK */
	uint16_t subtype; /* 10 bits: ECP_SUBTYPE_VDP ... */
	uint16_t seq;
};

/* Decode the header at p.  0, -EINVAL (fewer than 4 octets), -EPROTO
 * (version != 1 or operation 2/3: lldpad drops these too). */
int ecp_hdr_decode(const uint8_t *p, size_t len, struct ecp_hdr *h);
/* Encode 4 octets.  Returns 4 or -ENOSPC. */
int ecp_hdr_encode(const struct ecp_hdr *h, uint8_t *out, size_t cap);

/* MIB EcpTable counters (802.1Q 12.26.4) plus drops. */
struct ecp_counters {
	uint32_t tx_frames;	/* ECPDUs sent, first transmissions and retries */
	uint32_t tx_retries;	/* retransmissions */
	uint32_t tx_failures;	/* ULPDUs given up after R retries */
	uint32_t rx_frames;	/* ECP requests received (new and duplicate) */
	uint32_t rx_dups;	/* duplicates (acked, not delivered) */
	uint32_t rx_acks;	/* ACKs received */
	uint32_t rx_stale_acks; /* ACKs not matching the outstanding sequence */
};

/* Transmit machine states (names follow lldpad's reading of the standard,
 * 802.1Qbg 43.3; transient states INIT, WAIT_FORREQ and ERROR are folded into the
 * transitions). */
enum ecp_tx_state {
	ECP_TX_WAIT_ONDATA = 0, /* idle: nothing outstanding */
	ECP_TX_TXMIT,		/* one ECPDU outstanding, ack timer running */
};

enum ecp_tx_result {
	ECP_TX_NONE = 0, /* nothing to do */
	ECP_TX_SEND,	 /* (re)send the outstanding ECPDU: build it with ecp_tx_pdu() */
	ECP_TX_ACKED,	 /* outstanding ECPDU acknowledged: the machine is idle */
	ECP_TX_FAILED,	 /* retries exhausted: tx->ulpdu holds the lost ULPDU; idle */
};

struct ecp_tx {
	enum ecp_tx_state state;
	uint16_t subtype;
	uint16_t seq;	     /* sequence of the outstanding / last ECPDU */
	uint8_t retries;     /* retransmissions done for the outstanding ECPDU */
	uint8_t max_retries; /* R */
	uint64_t ack_us;     /* ackTimer */
	uint64_t deadline;   /* ack timer expiry (µs); 0 when idle */
	size_t len;	     /* ULPDU octets in ulpdu */
	uint8_t ulpdu[ECP_MAX_ULPDU];
};

/* first_seq: the sequence number the first ECPDU will carry (callers pick a
 * random one so that a restarted sender is not mistaken for a duplicate by
 * the peer's receive machine; 0 is skipped). */
void ecp_tx_init(struct ecp_tx *tx, uint16_t subtype, uint8_t max_retries, uint64_t ack_us,
		 uint16_t first_seq);
/* Change R / ackTimer (new negotiation); applies to the next timer start. */
void ecp_tx_set_timers(struct ecp_tx *tx, uint8_t max_retries, uint64_t ack_us);
static inline bool ecp_tx_idle(const struct ecp_tx *tx)
{
	return tx->state == ECP_TX_WAIT_ONDATA;
}
/* Start a new ECPDU with this ULPDU (copied).  Returns ECP_TX_SEND, or
 * -EBUSY when one is outstanding, -EMSGSIZE when len > ECP_MAX_ULPDU. */
int ecp_tx_start(struct ecp_tx *tx, const uint8_t *ulpdu, size_t len, uint64_t now,
		 struct ecp_counters *c);
/* An ACK arrived with this sequence number. ECP_TX_ACKED or ECP_TX_NONE (stale). */
enum ecp_tx_result ecp_tx_ack(struct ecp_tx *tx, uint16_t seq, struct ecp_counters *c);
/* Time passed: ECP_TX_SEND (retransmit now), ECP_TX_FAILED, or ECP_TX_NONE. */
enum ecp_tx_result ecp_tx_timer(struct ecp_tx *tx, uint64_t now, struct ecp_counters *c);
/* Abort (link down): drop the outstanding ECPDU without counting a failure;
 * tx->ulpdu keeps it.  Returns true if one was outstanding. */
bool ecp_tx_abort(struct ecp_tx *tx);
/* Build the outstanding ECPDU (header + ULPDU) into out.  Returns octets or -ENOSPC. */
int ecp_tx_pdu(const struct ecp_tx *tx, uint8_t *out, size_t cap);

/* Receive machine (802.1Qbg 43.3). */
enum ecp_rx_state {
	ECP_RX_WAIT = 0, /* nothing received since (re)start: next request is new */
	ECP_RX_WAIT2,	 /* last_seq valid */
};

struct ecp_rx {
	enum ecp_rx_state state;
	uint16_t last_seq;
};

void ecp_rx_init(struct ecp_rx *rx);
/* A request with this sequence arrived.  Returns true when it is new (deliver
 * the ULPDU), false for a duplicate.  Either way the caller sends an ACK. */
bool ecp_rx_request(struct ecp_rx *rx, uint16_t seq, struct ecp_counters *c);
/* Build an ACK ECPDU (4 octets) for subtype/seq.  Returns 4 or -ENOSPC. */
int ecp_build_ack(uint16_t subtype, uint16_t seq, uint8_t *out, size_t cap);

#endif
