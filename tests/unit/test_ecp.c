/* SPDX-License-Identifier: ISC */
/*
 * test_ecp.c - unit tests of vdp/ecp.c: ECPDU header codec (byte vectors,
 * every malformed case, the lldpad capture), the ack-clocked transmit machine
 * driven by a fake clock, and the receive machine's duplicate detection.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "vdp/ecp.h"

#define ACK_US 2560u /* 10 x 2^8: RTE 8 */
#define T0     1000000u

/* ---------------- helpers ---------------- */

static const uint8_t ulpdu_a[] = {0x0a, 0x10, 0x6c, 0x70, 0x31, 0x00};
static const uint8_t ulpdu_b[] = {0x06, 0x21, 0x00, 0x00, 0x00, 0x05, 0x04};

static void tx_setup(struct ecp_tx *tx, struct ecp_counters *c, uint8_t r, uint16_t first_seq)
{
	memset(c, 0, sizeof(*c));
	ecp_tx_init(tx, ECP_SUBTYPE_VDP, r, ACK_US, first_seq);
}

static void start_a(struct ecp_tx *tx, uint64_t now, struct ecp_counters *c)
{
	assert_int_equal(ecp_tx_start(tx, ulpdu_a, sizeof(ulpdu_a), now, c), ECP_TX_SEND);
}

static void assert_idle(const struct ecp_tx *tx)
{
	assert_true(ecp_tx_idle(tx));
	assert_int_equal(tx->state, ECP_TX_WAIT_ONDATA);
	assert_int_equal(tx->deadline, 0);
}

static void assert_counters(const struct ecp_counters *c, const struct ecp_counters *want)
{
	assert_int_equal(c->tx_frames, want->tx_frames);
	assert_int_equal(c->tx_retries, want->tx_retries);
	assert_int_equal(c->tx_failures, want->tx_failures);
	assert_int_equal(c->rx_frames, want->rx_frames);
	assert_int_equal(c->rx_dups, want->rx_dups);
	assert_int_equal(c->rx_acks, want->rx_acks);
	assert_int_equal(c->rx_stale_acks, want->rx_stale_acks);
}

/* Build the outstanding ECPDU and compare it with header(seq) + ulpdu. */
static void assert_pdu(const struct ecp_tx *tx, uint16_t seq, const uint8_t *ulpdu, size_t len)
{
	uint8_t out[ECP_HDR_LEN + ECP_MAX_ULPDU];
	uint8_t want[ECP_HDR_LEN + ECP_MAX_ULPDU] = {0x10, 0x01, (uint8_t)(seq >> 8), (uint8_t)seq};

	memcpy(want + ECP_HDR_LEN, ulpdu, len);
	assert_int_equal(ecp_tx_pdu(tx, out, sizeof(out)), ECP_HDR_LEN + len);
	assert_memory_equal(out, want, ECP_HDR_LEN + len);
}

static void assert_hdr(const struct ecp_hdr *h, uint8_t version, uint8_t op, uint16_t subtype,
		       uint16_t seq)
{
	assert_int_equal(h->version, version);
	assert_int_equal(h->op, op);
	assert_int_equal(h->subtype, subtype);
	assert_int_equal(h->seq, seq);
}

/* ---------------- header codec ---------------- */

static void test_hdr_decode_request(void **state)
{
	(void)state;
	const uint8_t b[] = {0x10, 0x01, 0x00, 0x01};
	struct ecp_hdr h;

	assert_int_equal(ecp_hdr_decode(b, sizeof(b), &h), 0);
	assert_hdr(&h, 1, ECP_OP_REQUEST, ECP_SUBTYPE_VDP, 1);
}

static void test_hdr_decode_ack(void **state)
{
	(void)state;
	const uint8_t b[] = {0x14, 0x01, 0xab, 0xcd};
	struct ecp_hdr h;

	assert_int_equal(ecp_hdr_decode(b, sizeof(b), &h), 0);
	assert_hdr(&h, 1, ECP_OP_ACK, ECP_SUBTYPE_VDP, 0xabcd);
}

static void test_hdr_decode_field_edges(void **state)
{
	(void)state;
	const uint8_t max[] = {0x17, 0xff, 0xff, 0xff};
	const uint8_t pecsp[] = {0x10, 0x02, 0x00, 0x00};
	const uint8_t sub200[] = {0x12, 0x00, 0x80, 0x00};
	struct ecp_hdr h;

	assert_int_equal(ecp_hdr_decode(max, sizeof(max), &h), 0);
	assert_hdr(&h, 1, ECP_OP_ACK, 0x3ff, 0xffff);
	assert_int_equal(ecp_hdr_decode(pecsp, sizeof(pecsp), &h), 0);
	assert_hdr(&h, 1, ECP_OP_REQUEST, ECP_SUBTYPE_PECSP, 0);
	assert_int_equal(ecp_hdr_decode(sub200, sizeof(sub200), &h), 0);
	assert_hdr(&h, 1, ECP_OP_REQUEST, 0x200, 0x8000);
}

static void test_hdr_decode_with_payload(void **state)
{
	(void)state;
	const uint8_t b[] = {0x10, 0x01, 0x00, 0x02, 0x0a, 0x10, 0xff};
	struct ecp_hdr h;

	assert_int_equal(ecp_hdr_decode(b, sizeof(b), &h), 0);
	assert_hdr(&h, 1, ECP_OP_REQUEST, ECP_SUBTYPE_VDP, 2);
}

static void test_hdr_decode_short(void **state)
{
	(void)state;
	const uint8_t b[] = {0x10, 0x01, 0x00, 0x01};
	struct ecp_hdr h = {.version = 9, .op = 9, .subtype = 999, .seq = 999};

	for (size_t len = 0; len < ECP_HDR_LEN; len++) {
		assert_int_equal(ecp_hdr_decode(b, len, &h), -EINVAL);
		assert_hdr(&h, 9, 9, 999, 999); /* untouched */
	}
	assert_int_equal(ecp_hdr_decode(NULL, 0, &h), -EINVAL);
}

static void test_hdr_decode_bad_version(void **state)
{
	(void)state;
	const uint8_t versions[] = {0x00, 0x20, 0x30, 0xf0};
	struct ecp_hdr h = {.version = 9};

	for (size_t i = 0; i < sizeof(versions); i++) {
		const uint8_t b[] = {(uint8_t)(versions[i] | 0x00), 0x01, 0x00, 0x01};
		const uint8_t a[] = {(uint8_t)(versions[i] | 0x04), 0x01, 0x00, 0x01};

		assert_int_equal(ecp_hdr_decode(b, sizeof(b), &h), -EPROTO);
		assert_int_equal(ecp_hdr_decode(a, sizeof(a), &h), -EPROTO);
		assert_int_equal(h.version, 9);
	}
}

static void test_hdr_decode_bad_op(void **state)
{
	(void)state;
	const uint8_t op2[] = {0x18, 0x01, 0x00, 0x01};
	const uint8_t op3[] = {0x1c, 0x01, 0x00, 0x01};
	struct ecp_hdr h = {.op = 9};

	assert_int_equal(ecp_hdr_decode(op2, sizeof(op2), &h), -EPROTO);
	assert_int_equal(ecp_hdr_decode(op3, sizeof(op3), &h), -EPROTO);
	assert_int_equal(h.op, 9);
}

static void test_hdr_encode(void **state)
{
	(void)state;
	struct ecp_hdr req = {
	    .version = ECP_VERSION, .op = ECP_OP_REQUEST, .subtype = ECP_SUBTYPE_VDP, .seq = 1};
	struct ecp_hdr ack = {
	    .version = ECP_VERSION, .op = ECP_OP_ACK, .subtype = ECP_SUBTYPE_VDP, .seq = 0x1234};
	struct ecp_hdr max = {.version = 1, .op = 1, .subtype = 0x3ff, .seq = 0xffff};
	const uint8_t want_req[] = {0x10, 0x01, 0x00, 0x01};
	const uint8_t want_ack[] = {0x14, 0x01, 0x12, 0x34};
	const uint8_t want_max[] = {0x17, 0xff, 0xff, 0xff};
	uint8_t out[8];

	assert_int_equal(ecp_hdr_encode(&req, out, sizeof(out)), ECP_HDR_LEN);
	assert_memory_equal(out, want_req, 4);
	assert_int_equal(ecp_hdr_encode(&ack, out, 4), ECP_HDR_LEN);
	assert_memory_equal(out, want_ack, 4);
	assert_int_equal(ecp_hdr_encode(&max, out, 4), ECP_HDR_LEN);
	assert_memory_equal(out, want_max, 4);
}

static void test_hdr_encode_truncates_fields(void **state)
{
	(void)state;
	struct ecp_hdr wide = {.version = 0x11, .op = 0x05, .subtype = 0xfc01, .seq = 7};
	const uint8_t want[] = {0x14, 0x01, 0x00, 0x07};
	uint8_t out[4];

	assert_int_equal(ecp_hdr_encode(&wide, out, sizeof(out)), ECP_HDR_LEN);
	assert_memory_equal(out, want, 4);
}

static void test_hdr_encode_nospace(void **state)
{
	(void)state;
	struct ecp_hdr h = {.version = 1, .op = 0, .subtype = 1, .seq = 1};
	uint8_t out[4];

	for (size_t cap = 0; cap < ECP_HDR_LEN; cap++)
		assert_int_equal(ecp_hdr_encode(&h, out, cap), -ENOSPC);
}

static void test_hdr_roundtrip(void **state)
{
	(void)state;
	for (uint8_t op = 0; op <= 1; op++) {
		for (uint32_t sub = 0; sub <= 0x3ff; sub += 0x55) {
			struct ecp_hdr in = {.version = 1,
					     .op = op,
					     .subtype = (uint16_t)sub,
					     .seq = (uint16_t)(sub * 61)};
			struct ecp_hdr back;
			uint8_t out[4];

			assert_int_equal(ecp_hdr_encode(&in, out, sizeof(out)), 4);
			assert_int_equal(ecp_hdr_decode(out, sizeof(out), &back), 0);
			assert_hdr(&back, in.version, in.op, in.subtype, in.seq);
		}
	}
}

static void test_build_ack(void **state)
{
	(void)state;
	const uint8_t want[] = {0x14, 0x01, 0xfe, 0xdc};
	const uint8_t want_pecsp[] = {0x14, 0x02, 0x00, 0x00};
	uint8_t out[6] = {0};

	assert_int_equal(ecp_build_ack(ECP_SUBTYPE_VDP, 0xfedc, out, sizeof(out)), ECP_HDR_LEN);
	assert_memory_equal(out, want, 4);
	assert_int_equal(ecp_build_ack(ECP_SUBTYPE_PECSP, 0, out, 4), ECP_HDR_LEN);
	assert_memory_equal(out, want_pecsp, 4);
	assert_int_equal(ecp_build_ack(ECP_SUBTYPE_VDP, 1, out, 3), -ENOSPC);
	assert_int_equal(ecp_build_ack(ECP_SUBTYPE_VDP, 1, NULL, 0), -ENOSPC);
}

/* Captured lldpad exchange (docs/protocol.md): associate request (71 octets), bridge ACK (18). */
static const uint8_t lldpad_assoc_req[] = {
    0x01, 0x80, 0xc2, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x89, 0x40, 0x10,
    0x01, 0x00, 0x01, 0x0a, 0x10, 0x6c, 0x70, 0x31, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x21, 0x00, 0x00, 0x00, 0x05, 0x04, 0x05, 0x00,
    0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
    0x02, 0x00, 0x01, 0x52, 0x54, 0x00, 0x8e, 0xaa, 0x11, 0x00, 0x02};
static const uint8_t lldpad_ack[] = {0x01, 0x80, 0xc2, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00,
				     0x00, 0x00, 0x02, 0x89, 0x40, 0x14, 0x01, 0x00, 0x01};

static void test_lldpad_frames(void **state)
{
	(void)state;
	struct ecp_hdr h;
	uint8_t ack[4];

	assert_int_equal(sizeof(lldpad_assoc_req), 71);
	assert_int_equal(
	    ecp_hdr_decode(lldpad_assoc_req + 0x0e, sizeof(lldpad_assoc_req) - 0x0e, &h), 0);
	assert_hdr(&h, 1, ECP_OP_REQUEST, ECP_SUBTYPE_VDP, 1);

	assert_int_equal(sizeof(lldpad_ack), 18);
	assert_int_equal(ecp_hdr_decode(lldpad_ack + 0x0e, sizeof(lldpad_ack) - 0x0e, &h), 0);
	assert_hdr(&h, 1, ECP_OP_ACK, ECP_SUBTYPE_VDP, 1);

	/* Our ACK for that request is byte-identical to lldpad's. */
	assert_int_equal(ecp_build_ack(ECP_SUBTYPE_VDP, 1, ack, sizeof(ack)), 4);
	assert_memory_equal(ack, lldpad_ack + 0x0e, 4);
}

/* Our station sends lldpad's request bytes for the same ULPDU and seq 1. */
static void test_lldpad_request_rebuilt(void **state)
{
	(void)state;
	const uint8_t *ulpdu = lldpad_assoc_req + 0x12;
	size_t len = sizeof(lldpad_assoc_req) - 0x12;
	struct ecp_tx tx;
	struct ecp_counters c;
	uint8_t out[128];

	tx_setup(&tx, &c, 3, 0);
	assert_int_equal(ecp_tx_start(&tx, ulpdu, len, T0, &c), ECP_TX_SEND);
	assert_int_equal(ecp_tx_pdu(&tx, out, sizeof(out)), sizeof(lldpad_assoc_req) - 0x0e);
	assert_memory_equal(out, lldpad_assoc_req + 0x0e, sizeof(lldpad_assoc_req) - 0x0e);
}

/* ---------------- transmit machine ---------------- */

static void test_tx_init(void **state)
{
	(void)state;
	struct ecp_tx tx;

	memset(&tx, 0xa5, sizeof(tx));
	ecp_tx_init(&tx, ECP_SUBTYPE_PECSP, 5, 1234, 77);
	assert_idle(&tx);
	assert_int_equal(tx.subtype, ECP_SUBTYPE_PECSP);
	assert_int_equal(tx.max_retries, 5);
	assert_int_equal(tx.ack_us, 1234);
	assert_int_equal(tx.retries, 0);
	assert_int_equal(tx.len, 0);
}

static void test_tx_first_send(void **state)
{
	(void)state;
	struct ecp_tx tx;
	struct ecp_counters c;
	uint8_t src[sizeof(ulpdu_a)];

	tx_setup(&tx, &c, 3, 0x1234);
	memcpy(src, ulpdu_a, sizeof(src));
	assert_int_equal(ecp_tx_start(&tx, src, sizeof(src), T0, &c), ECP_TX_SEND);
	memset(src, 0, sizeof(src)); /* the machine keeps its own copy */

	assert_false(ecp_tx_idle(&tx));
	assert_int_equal(tx.state, ECP_TX_TXMIT);
	assert_int_equal(tx.seq, 0x1234);
	assert_int_equal(tx.retries, 0);
	assert_int_equal(tx.deadline, T0 + ACK_US);
	assert_int_equal(tx.len, sizeof(ulpdu_a));
	assert_memory_equal(tx.ulpdu, ulpdu_a, sizeof(ulpdu_a));
	assert_counters(&c, &(struct ecp_counters){.tx_frames = 1});
	assert_pdu(&tx, 0x1234, ulpdu_a, sizeof(ulpdu_a));
}

static void test_tx_first_seq_zero_is_one(void **state)
{
	(void)state;
	struct ecp_tx tx;
	struct ecp_counters c;

	tx_setup(&tx, &c, 3, 0);
	start_a(&tx, T0, &c);
	assert_int_equal(tx.seq, 1);

	tx_setup(&tx, &c, 3, 1);
	start_a(&tx, T0, &c);
	assert_int_equal(tx.seq, 1);
}

static void test_tx_ack_clocked(void **state)
{
	(void)state;
	struct ecp_tx tx;
	struct ecp_counters c;
	uint64_t now = T0 + 260; /* the ACK arrives long before the ack timer */

	tx_setup(&tx, &c, 3, 1);
	start_a(&tx, T0, &c);
	assert_int_equal(ecp_tx_ack(&tx, 1, &c), ECP_TX_ACKED);
	assert_idle(&tx);
	assert_int_equal(tx.seq, 1);

	/* Next ECPDU right away, without waiting for the ack timer. */
	assert_int_equal(ecp_tx_start(&tx, ulpdu_b, sizeof(ulpdu_b), now, &c), ECP_TX_SEND);
	assert_int_equal(tx.seq, 2);
	assert_int_equal(tx.retries, 0);
	assert_int_equal(tx.deadline, now + ACK_US);
	assert_pdu(&tx, 2, ulpdu_b, sizeof(ulpdu_b));

	/* The first ECPDU's old deadline passing retransmits nothing. */
	assert_int_equal(ecp_tx_timer(&tx, T0 + ACK_US, &c), ECP_TX_NONE);
	assert_int_equal(ecp_tx_ack(&tx, 2, &c), ECP_TX_ACKED);
	assert_counters(&c, &(struct ecp_counters){.tx_frames = 2, .rx_acks = 2});
}

static void test_tx_timer_before_deadline(void **state)
{
	(void)state;
	struct ecp_tx tx;
	struct ecp_counters c;

	tx_setup(&tx, &c, 3, 1);
	start_a(&tx, T0, &c);
	assert_int_equal(ecp_tx_timer(&tx, T0, &c), ECP_TX_NONE);
	assert_int_equal(ecp_tx_timer(&tx, T0 + ACK_US - 1, &c), ECP_TX_NONE);
	assert_int_equal(ecp_tx_timer(&tx, 0, &c), ECP_TX_NONE); /* clock behind */
	assert_int_equal(tx.retries, 0);
	assert_int_equal(tx.deadline, T0 + ACK_US);
	assert_counters(&c, &(struct ecp_counters){.tx_frames = 1});
}

static void test_tx_retransmit_identical(void **state)
{
	(void)state;
	struct ecp_tx tx;
	struct ecp_counters c;
	uint8_t first[64], again[64];
	int n;

	tx_setup(&tx, &c, 3, 9);
	start_a(&tx, T0, &c);
	n = ecp_tx_pdu(&tx, first, sizeof(first));
	assert_int_equal(n, ECP_HDR_LEN + sizeof(ulpdu_a));

	/* The caller wakes up late: the timer re-arms from its own now. */
	uint64_t late = T0 + ACK_US + 17;
	assert_int_equal(ecp_tx_timer(&tx, late, &c), ECP_TX_SEND);
	assert_int_equal(tx.state, ECP_TX_TXMIT);
	assert_int_equal(tx.seq, 9);
	assert_int_equal(tx.retries, 1);
	assert_int_equal(tx.deadline, late + ACK_US);
	assert_int_equal(ecp_tx_pdu(&tx, again, sizeof(again)), n);
	assert_memory_equal(first, again, (size_t)n);
	assert_counters(&c, &(struct ecp_counters){.tx_frames = 2, .tx_retries = 1});

	/* An ACK for the retransmitted sequence ends it. */
	assert_int_equal(ecp_tx_ack(&tx, 9, &c), ECP_TX_ACKED);
	assert_idle(&tx);
	assert_counters(&c, &(struct ecp_counters){.tx_frames = 2, .tx_retries = 1, .rx_acks = 1});
}

/* Drive one ULPDU to failure with R retries; checks every step. */
static void run_exhaustion(uint8_t r)
{
	struct ecp_tx tx;
	struct ecp_counters c;
	uint64_t now = T0;
	unsigned sends = 1;

	tx_setup(&tx, &c, r, 100);
	start_a(&tx, now, &c);
	for (unsigned i = 1; i <= r; i++) {
		now = tx.deadline;
		assert_int_equal(ecp_tx_timer(&tx, now, &c), ECP_TX_SEND);
		assert_int_equal(tx.retries, i);
		assert_int_equal(tx.seq, 100);
		assert_int_equal(tx.deadline, now + ACK_US);
		sends++;
	}
	assert_int_equal(sends, 1u + r);
	assert_int_equal(ecp_tx_timer(&tx, tx.deadline - 1, &c), ECP_TX_NONE);
	assert_int_equal(ecp_tx_timer(&tx, tx.deadline, &c), ECP_TX_FAILED);
	assert_idle(&tx);
	assert_counters(
	    &c, &(struct ecp_counters){.tx_frames = 1u + r, .tx_retries = r, .tx_failures = 1});

	/* The lost ULPDU stays available for the upper layer. */
	assert_int_equal(tx.len, sizeof(ulpdu_a));
	assert_memory_equal(tx.ulpdu, ulpdu_a, sizeof(ulpdu_a));
	assert_pdu(&tx, 100, ulpdu_a, sizeof(ulpdu_a));

	/* Reported once: later timer calls and a late ACK change nothing. */
	assert_int_equal(ecp_tx_timer(&tx, now + 10 * ACK_US, &c), ECP_TX_NONE);
	assert_int_equal(ecp_tx_timer(&tx, UINT64_MAX, &c), ECP_TX_NONE);
	assert_int_equal(ecp_tx_ack(&tx, 100, &c), ECP_TX_NONE);
	assert_counters(
	    &c, &(struct ecp_counters){
		    .tx_frames = 1u + r, .tx_retries = r, .tx_failures = 1, .rx_stale_acks = 1});

	/* The next ULPDU takes the next sequence and a fresh retry budget. */
	assert_int_equal(ecp_tx_start(&tx, ulpdu_b, sizeof(ulpdu_b), now, &c), ECP_TX_SEND);
	assert_int_equal(tx.seq, 101);
	assert_int_equal(tx.retries, 0);
}

static void test_tx_exhaustion_r0(void **state)
{
	(void)state;
	run_exhaustion(0);
}

static void test_tx_exhaustion_r3(void **state)
{
	(void)state;
	run_exhaustion(3);
}

static void test_tx_exhaustion_r7(void **state)
{
	(void)state;
	run_exhaustion(7);
}

static void test_tx_stale_ack(void **state)
{
	(void)state;
	struct ecp_tx tx;
	struct ecp_counters c;

	tx_setup(&tx, &c, 3, 5);
	start_a(&tx, T0, &c);
	assert_int_equal(ecp_tx_ack(&tx, 4, &c), ECP_TX_NONE);
	assert_int_equal(ecp_tx_ack(&tx, 6, &c), ECP_TX_NONE);
	assert_int_equal(ecp_tx_ack(&tx, 0, &c), ECP_TX_NONE);
	assert_int_equal(tx.state, ECP_TX_TXMIT);
	assert_int_equal(tx.deadline, T0 + ACK_US);
	assert_counters(&c, &(struct ecp_counters){.tx_frames = 1, .rx_stale_acks = 3});

	/* The right ACK, then the same ACK again (duplicate): stale. */
	assert_int_equal(ecp_tx_ack(&tx, 5, &c), ECP_TX_ACKED);
	assert_int_equal(ecp_tx_ack(&tx, 5, &c), ECP_TX_NONE);
	assert_idle(&tx);
	assert_counters(&c,
			&(struct ecp_counters){.tx_frames = 1, .rx_acks = 1, .rx_stale_acks = 4});
}

static void test_tx_ack_when_idle(void **state)
{
	(void)state;
	struct ecp_tx tx;
	struct ecp_counters c;

	tx_setup(&tx, &c, 3, 1);
	assert_int_equal(ecp_tx_ack(&tx, 1, &c), ECP_TX_NONE);
	assert_int_equal(ecp_tx_ack(&tx, 0, &c), ECP_TX_NONE);
	assert_idle(&tx);
	assert_counters(&c, &(struct ecp_counters){.rx_stale_acks = 2});

	/* The stale ACKs did not consume a sequence number. */
	start_a(&tx, T0, &c);
	assert_int_equal(tx.seq, 1);
}

static void test_tx_timer_when_idle(void **state)
{
	(void)state;
	struct ecp_tx tx;
	struct ecp_counters c;

	tx_setup(&tx, &c, 3, 1);
	assert_int_equal(ecp_tx_timer(&tx, 0, &c), ECP_TX_NONE);
	assert_int_equal(ecp_tx_timer(&tx, UINT64_MAX, &c), ECP_TX_NONE);
	assert_idle(&tx);
	assert_counters(&c, &(struct ecp_counters){0});
}

static void test_tx_busy(void **state)
{
	(void)state;
	struct ecp_tx tx;
	struct ecp_counters c;

	tx_setup(&tx, &c, 3, 1);
	start_a(&tx, T0, &c);
	assert_int_equal(ecp_tx_start(&tx, ulpdu_b, sizeof(ulpdu_b), T0 + 5, &c), -EBUSY);
	assert_int_equal(tx.seq, 1);
	assert_int_equal(tx.deadline, T0 + ACK_US);
	assert_int_equal(tx.len, sizeof(ulpdu_a));
	assert_memory_equal(tx.ulpdu, ulpdu_a, sizeof(ulpdu_a));
	assert_counters(&c, &(struct ecp_counters){.tx_frames = 1});

	/* Busy wins over the size check: nothing is started either way. */
	assert_int_equal(ecp_tx_start(&tx, NULL, ECP_MAX_ULPDU + 1, T0, &c), -EBUSY);
}

static void test_tx_msgsize(void **state)
{
	(void)state;
	static uint8_t big[ECP_MAX_ULPDU + 1];
	static uint8_t out[ECP_HDR_LEN + ECP_MAX_ULPDU];
	struct ecp_tx tx;
	struct ecp_counters c;

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	tx_setup(&tx, &c, 3, 1);
	assert_int_equal(ecp_tx_start(&tx, big, ECP_MAX_ULPDU + 1, T0, &c), -EMSGSIZE);
	assert_idle(&tx);
	assert_int_equal(tx.len, 0);
	assert_counters(&c, &(struct ecp_counters){0});

	/* Exactly 1496 octets fit: a 1500-octet ECPDU, seq still the first. */
	assert_int_equal(ecp_tx_start(&tx, big, ECP_MAX_ULPDU, T0, &c), ECP_TX_SEND);
	assert_int_equal(tx.seq, 1);
	assert_int_equal(ecp_tx_pdu(&tx, out, sizeof(out)), ETH_MAX_PAYLOAD);
	assert_memory_equal(out + ECP_HDR_LEN, big, ECP_MAX_ULPDU);
	assert_int_equal(ecp_tx_pdu(&tx, out, sizeof(out) - 1), -ENOSPC);
}

static void test_tx_empty_ulpdu(void **state)
{
	(void)state;
	struct ecp_tx tx;
	struct ecp_counters c;
	const uint8_t want[] = {0x10, 0x01, 0x00, 0x03};
	uint8_t out[4];

	tx_setup(&tx, &c, 3, 3);
	assert_int_equal(ecp_tx_start(&tx, NULL, 0, T0, &c), ECP_TX_SEND);
	assert_int_equal(ecp_tx_pdu(&tx, out, sizeof(out)), ECP_HDR_LEN);
	assert_memory_equal(out, want, 4);
}

static void test_tx_pdu_nospace(void **state)
{
	(void)state;
	struct ecp_tx tx;
	struct ecp_counters c;
	uint8_t out[16];

	tx_setup(&tx, &c, 3, 1);
	start_a(&tx, T0, &c);
	for (size_t cap = 0; cap < ECP_HDR_LEN + sizeof(ulpdu_a); cap++)
		assert_int_equal(ecp_tx_pdu(&tx, out, cap), -ENOSPC);
	assert_int_equal(ecp_tx_pdu(&tx, out, ECP_HDR_LEN + sizeof(ulpdu_a)),
			 ECP_HDR_LEN + sizeof(ulpdu_a));
}

static void test_tx_pdu_subtype(void **state)
{
	(void)state;
	struct ecp_tx tx;
	struct ecp_counters c = {0};
	const uint8_t want[] = {0x10, 0x02, 0x00, 0x01, 0x0a};
	uint8_t out[8];

	ecp_tx_init(&tx, ECP_SUBTYPE_PECSP, 3, ACK_US, 1);
	assert_int_equal(ecp_tx_start(&tx, want + 4, 1, T0, &c), ECP_TX_SEND);
	assert_int_equal(ecp_tx_pdu(&tx, out, sizeof(out)), 5);
	assert_memory_equal(out, want, 5);
}

/* Acknowledge the outstanding ECPDU and start the next one. */
static uint16_t ack_and_next(struct ecp_tx *tx, struct ecp_counters *c)
{
	assert_int_equal(ecp_tx_ack(tx, tx->seq, c), ECP_TX_ACKED);
	start_a(tx, T0, c);
	return tx->seq;
}

static void test_tx_seq_wrap(void **state)
{
	(void)state;
	struct ecp_tx tx;
	struct ecp_counters c;

	tx_setup(&tx, &c, 3, 0xfffe);
	start_a(&tx, T0, &c);
	assert_int_equal(tx.seq, 0xfffe);
	assert_int_equal(ack_and_next(&tx, &c), 0xffff);
	assert_int_equal(ack_and_next(&tx, &c), 1); /* 0 skipped */
	assert_int_equal(ack_and_next(&tx, &c), 2);
	assert_pdu(&tx, 2, ulpdu_a, sizeof(ulpdu_a));

	tx_setup(&tx, &c, 3, 0xffff);
	start_a(&tx, T0, &c);
	assert_int_equal(tx.seq, 0xffff);
	assert_int_equal(ack_and_next(&tx, &c), 1);
}

static void test_tx_seq_after_failure_and_abort(void **state)
{
	(void)state;
	struct ecp_tx tx;
	struct ecp_counters c;

	tx_setup(&tx, &c, 0, 0xffff);
	start_a(&tx, T0, &c);
	assert_int_equal(ecp_tx_timer(&tx, T0 + ACK_US, &c), ECP_TX_FAILED);
	start_a(&tx, T0, &c);
	assert_int_equal(tx.seq, 1);
	assert_true(ecp_tx_abort(&tx));
	start_a(&tx, T0, &c);
	assert_int_equal(tx.seq, 2);
}

static void test_tx_set_timers(void **state)
{
	(void)state;
	struct ecp_tx tx;
	struct ecp_counters c;

	tx_setup(&tx, &c, 1, 1);
	start_a(&tx, T0, &c);

	/* The running timer keeps its deadline; the new value applies on re-arm. */
	ecp_tx_set_timers(&tx, 5, 40960);
	assert_int_equal(tx.max_retries, 5);
	assert_int_equal(tx.ack_us, 40960);
	assert_int_equal(tx.deadline, T0 + ACK_US);
	assert_int_equal(ecp_tx_timer(&tx, T0 + ACK_US, &c), ECP_TX_SEND);
	assert_int_equal(tx.deadline, T0 + ACK_US + 40960);
	assert_int_equal(ecp_tx_timer(&tx, tx.deadline, &c), ECP_TX_SEND);
	assert_int_equal(tx.retries, 2); /* more than the old R = 1 */

	/* Lowering R below the retries already done fails at the next expiry. */
	ecp_tx_set_timers(&tx, 1, ACK_US);
	assert_int_equal(ecp_tx_timer(&tx, tx.deadline, &c), ECP_TX_FAILED);
	assert_idle(&tx);
	assert_counters(&c,
			&(struct ecp_counters){.tx_frames = 3, .tx_retries = 2, .tx_failures = 1});

	/* Next start arms with the new ackTimer. */
	start_a(&tx, T0, &c);
	assert_int_equal(tx.deadline, T0 + ACK_US);
}

static void test_tx_set_timers_idle(void **state)
{
	(void)state;
	struct ecp_tx tx;
	struct ecp_counters c;

	tx_setup(&tx, &c, 3, 1);
	ecp_tx_set_timers(&tx, 0, 80);
	assert_idle(&tx);
	start_a(&tx, T0, &c);
	assert_int_equal(tx.deadline, T0 + 80);
	assert_int_equal(ecp_tx_timer(&tx, T0 + 80, &c), ECP_TX_FAILED);
}

static void test_tx_abort(void **state)
{
	(void)state;
	struct ecp_tx tx;
	struct ecp_counters c;

	tx_setup(&tx, &c, 3, 1);
	assert_false(ecp_tx_abort(&tx)); /* nothing outstanding */
	start_a(&tx, T0, &c);
	assert_int_equal(ecp_tx_timer(&tx, T0 + ACK_US, &c), ECP_TX_SEND);
	assert_true(ecp_tx_abort(&tx));
	assert_idle(&tx);
	assert_false(ecp_tx_abort(&tx));
	assert_int_equal(tx.len, sizeof(ulpdu_a));
	assert_memory_equal(tx.ulpdu, ulpdu_a, sizeof(ulpdu_a));
	/* No failure counted; timer and ACK afterwards do nothing. */
	assert_int_equal(ecp_tx_timer(&tx, UINT64_MAX, &c), ECP_TX_NONE);
	assert_int_equal(ecp_tx_ack(&tx, 1, &c), ECP_TX_NONE);
	assert_counters(
	    &c, &(struct ecp_counters){.tx_frames = 2, .tx_retries = 1, .rx_stale_acks = 1});
}

static void test_tx_deadline_edges(void **state)
{
	(void)state;
	struct ecp_tx tx;
	struct ecp_counters c;

	/* now + ackTimer overflowing saturates. */
	tx_setup(&tx, &c, 1, 1);
	start_a(&tx, UINT64_MAX - 10, &c);
	assert_int_equal(tx.deadline, UINT64_MAX);
	assert_int_equal(ecp_tx_timer(&tx, UINT64_MAX - 1, &c), ECP_TX_NONE);
	assert_int_equal(ecp_tx_timer(&tx, UINT64_MAX, &c), ECP_TX_SEND);
	assert_int_equal(tx.deadline, UINT64_MAX);
	assert_int_equal(ecp_tx_timer(&tx, UINT64_MAX, &c), ECP_TX_FAILED);

	/* A zero ackTimer at time 0 still leaves a non-zero deadline. */
	ecp_tx_init(&tx, ECP_SUBTYPE_VDP, 1, 0, 1);
	assert_int_equal(ecp_tx_start(&tx, ulpdu_a, sizeof(ulpdu_a), 0, &c), ECP_TX_SEND);
	assert_int_equal(tx.deadline, 1);
	assert_int_equal(ecp_tx_timer(&tx, 0, &c), ECP_TX_NONE);
	assert_int_equal(ecp_tx_timer(&tx, 1, &c), ECP_TX_SEND);
	assert_int_equal(tx.deadline, 1);
}

/* ---------------- receive machine ---------------- */

static void test_rx_init(void **state)
{
	(void)state;
	struct ecp_rx rx = {.state = ECP_RX_WAIT2, .last_seq = 42};

	ecp_rx_init(&rx);
	assert_int_equal(rx.state, ECP_RX_WAIT);
}

static void test_rx_first_is_new(void **state)
{
	(void)state;
	const uint16_t seqs[] = {0, 1, 0x1234, 0xffff};

	for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
		struct ecp_rx rx;
		struct ecp_counters c = {0};

		ecp_rx_init(&rx);
		assert_true(ecp_rx_request(&rx, seqs[i], &c));
		assert_int_equal(rx.state, ECP_RX_WAIT2);
		assert_int_equal(rx.last_seq, seqs[i]);
		assert_counters(&c, &(struct ecp_counters){.rx_frames = 1});
	}
}

static void test_rx_duplicate(void **state)
{
	(void)state;
	struct ecp_rx rx;
	struct ecp_counters c = {0};

	ecp_rx_init(&rx);
	assert_true(ecp_rx_request(&rx, 7, &c));
	assert_false(ecp_rx_request(&rx, 7, &c));
	assert_false(ecp_rx_request(&rx, 7, &c));
	assert_int_equal(rx.last_seq, 7);
	assert_int_equal(rx.state, ECP_RX_WAIT2);
	assert_true(ecp_rx_request(&rx, 8, &c));
	assert_int_equal(rx.last_seq, 8);
	assert_counters(&c, &(struct ecp_counters){.rx_frames = 4, .rx_dups = 2});
}

static void test_rx_reorder_is_new(void **state)
{
	(void)state;
	struct ecp_rx rx;
	struct ecp_counters c = {0};

	ecp_rx_init(&rx);
	assert_true(ecp_rx_request(&rx, 5, &c));
	assert_true(ecp_rx_request(&rx, 3, &c)); /* backwards: "any other value is new" */
	assert_int_equal(rx.last_seq, 3);
	assert_false(ecp_rx_request(&rx, 3, &c));
	assert_true(ecp_rx_request(&rx, 5, &c)); /* only the last one is remembered */
	assert_true(ecp_rx_request(&rx, 0xffff, &c));
	assert_true(ecp_rx_request(&rx, 0, &c)); /* wrap */
	assert_counters(&c, &(struct ecp_counters){.rx_frames = 6, .rx_dups = 1});
}

static void test_rx_restart(void **state)
{
	(void)state;
	struct ecp_rx rx;
	struct ecp_counters c = {0};

	ecp_rx_init(&rx);
	assert_true(ecp_rx_request(&rx, 9, &c));
	ecp_rx_init(&rx); /* link bounce: the same sequence is new again */
	assert_true(ecp_rx_request(&rx, 9, &c));
	assert_false(ecp_rx_request(&rx, 9, &c));
	assert_counters(&c, &(struct ecp_counters){.rx_frames = 3, .rx_dups = 1});
}

/* A station tx and a bridge rx talking: each request delivered once. */
static void test_tx_rx_pair(void **state)
{
	(void)state;
	struct ecp_tx tx;
	struct ecp_rx rx;
	struct ecp_counters st, br = {0};
	uint8_t pdu[64], ack[4];
	struct ecp_hdr h;
	int n;

	tx_setup(&tx, &st, 3, 1);
	ecp_rx_init(&rx);
	start_a(&tx, T0, &st);
	n = ecp_tx_pdu(&tx, pdu, sizeof(pdu));
	assert_int_equal(ecp_hdr_decode(pdu, (size_t)n, &h), 0);
	assert_true(ecp_rx_request(&rx, h.seq, &br));
	/* The ACK is lost; the retransmission is a duplicate for the bridge. */
	assert_int_equal(ecp_tx_timer(&tx, T0 + ACK_US, &st), ECP_TX_SEND);
	n = ecp_tx_pdu(&tx, pdu, sizeof(pdu));
	assert_int_equal(ecp_hdr_decode(pdu, (size_t)n, &h), 0);
	assert_false(ecp_rx_request(&rx, h.seq, &br));
	assert_int_equal(ecp_build_ack(ECP_SUBTYPE_VDP, h.seq, ack, sizeof(ack)), 4);
	assert_int_equal(ecp_hdr_decode(ack, sizeof(ack), &h), 0);
	assert_int_equal(h.op, ECP_OP_ACK);
	assert_int_equal(ecp_tx_ack(&tx, h.seq, &st), ECP_TX_ACKED);
	assert_counters(&br, &(struct ecp_counters){.rx_frames = 2, .rx_dups = 1});
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hdr_decode_request),
	    cmocka_unit_test(test_hdr_decode_ack),
	    cmocka_unit_test(test_hdr_decode_field_edges),
	    cmocka_unit_test(test_hdr_decode_with_payload),
	    cmocka_unit_test(test_hdr_decode_short),
	    cmocka_unit_test(test_hdr_decode_bad_version),
	    cmocka_unit_test(test_hdr_decode_bad_op),
	    cmocka_unit_test(test_hdr_encode),
	    cmocka_unit_test(test_hdr_encode_truncates_fields),
	    cmocka_unit_test(test_hdr_encode_nospace),
	    cmocka_unit_test(test_hdr_roundtrip),
	    cmocka_unit_test(test_build_ack),
	    cmocka_unit_test(test_lldpad_frames),
	    cmocka_unit_test(test_lldpad_request_rebuilt),
	    cmocka_unit_test(test_tx_init),
	    cmocka_unit_test(test_tx_first_send),
	    cmocka_unit_test(test_tx_first_seq_zero_is_one),
	    cmocka_unit_test(test_tx_ack_clocked),
	    cmocka_unit_test(test_tx_timer_before_deadline),
	    cmocka_unit_test(test_tx_retransmit_identical),
	    cmocka_unit_test(test_tx_exhaustion_r0),
	    cmocka_unit_test(test_tx_exhaustion_r3),
	    cmocka_unit_test(test_tx_exhaustion_r7),
	    cmocka_unit_test(test_tx_stale_ack),
	    cmocka_unit_test(test_tx_ack_when_idle),
	    cmocka_unit_test(test_tx_timer_when_idle),
	    cmocka_unit_test(test_tx_busy),
	    cmocka_unit_test(test_tx_msgsize),
	    cmocka_unit_test(test_tx_empty_ulpdu),
	    cmocka_unit_test(test_tx_pdu_nospace),
	    cmocka_unit_test(test_tx_pdu_subtype),
	    cmocka_unit_test(test_tx_seq_wrap),
	    cmocka_unit_test(test_tx_seq_after_failure_and_abort),
	    cmocka_unit_test(test_tx_set_timers),
	    cmocka_unit_test(test_tx_set_timers_idle),
	    cmocka_unit_test(test_tx_abort),
	    cmocka_unit_test(test_tx_deadline_edges),
	    cmocka_unit_test(test_rx_init),
	    cmocka_unit_test(test_rx_first_is_new),
	    cmocka_unit_test(test_rx_duplicate),
	    cmocka_unit_test(test_rx_reorder_is_new),
	    cmocka_unit_test(test_rx_restart),
	    cmocka_unit_test(test_tx_rx_pair),
	};

	return cmocka_run_group_tests_name("ecp", tests, NULL, NULL);
}
