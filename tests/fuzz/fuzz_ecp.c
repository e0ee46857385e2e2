/* SPDX-License-Identifier: ISC */
/*
 * fuzz_ecp.c - libFuzzer target for vdp/ecp.c.  The input is (1) decoded as
 * an ECPDU header and checked against an independent reading of its bits,
 * and (2) read as a script driving an ecp_tx / ecp_rx pair against a small
 * reference model:
 *
 *   u8 R, u16 ackTimer, u16 first_seq, then ops (u8 code + arguments):
 *   start(len, fill) / ack(seq) / ack(outstanding) / timer(+delta) /
 *   timer(absolute u64) / timer(at deadline) / abort / set_timers /
 *   pdu(cap) / rx request(seq).
 *
 * Invariants: at most R retransmissions per ULPDU, retransmissions carry the
 * same bytes, failure reported exactly once per ULPDU (a final drain makes
 * every outstanding ULPDU fail), idle after ACKED / FAILED, deadline 0 when
 * idle and non-zero when outstanding, sequence never 0 and +1 per ULPDU,
 * counters equal the model's, receive duplicate detection as the model.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vdp/bytes.h"
#include "vdp/ecp.h"

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if (!(x))                                                                          \
			abort();                                                                   \
	} while (0)

enum op {
	OP_START,
	OP_ACK,
	OP_ACK_OUT,
	OP_TIMER_DELTA,
	OP_TIMER_ABS,
	OP_TIMER_DEADLINE,
	OP_ABORT,
	OP_SET_TIMERS,
	OP_PDU,
	OP_RX,
	OP_COUNT,
};

struct model {
	struct ecp_tx tx;
	struct ecp_rx rx;
	struct ecp_counters c;	  /* what the library counts */
	struct ecp_counters want; /* what the model counts */
	uint64_t now;
	bool out;     /* one ULPDU outstanding */
	bool started; /* a ULPDU was ever started */
	bool failed;  /* the current ULPDU was reported failed */
	uint16_t seq; /* of the current / last ULPDU */
	uint16_t first_seq;
	unsigned retx; /* retransmissions of the current ULPDU */
	size_t len;
	uint8_t ulpdu[ECP_MAX_ULPDU];
	bool rx_have; /* rx model: last_seq valid */
	uint16_t rx_last;
};

static void check_hdr(const uint8_t *data, size_t size)
{
	struct ecp_hdr h;
	uint8_t out[ECP_HDR_LEN];
	int rc = ecp_hdr_decode(data, size, &h);

	if (size < ECP_HDR_LEN) {
		CHECK(rc == -EINVAL);
		return;
	}
	unsigned version = data[0] >> 4, op = (data[0] >> 2) & 3;
	if (version != ECP_VERSION || op > ECP_OP_ACK) {
		CHECK(rc == -EPROTO);
		return;
	}
	CHECK(rc == 0);
	CHECK(h.version == version && h.op == op);
	CHECK(h.subtype == ((data[0] & 3u) << 8 | data[1]));
	CHECK(h.seq == (data[2] << 8 | data[3]));
	CHECK(ecp_hdr_encode(&h, out, sizeof(out)) == ECP_HDR_LEN);
	CHECK(memcmp(out, data, ECP_HDR_LEN) == 0);
}

static void check_counters(const struct model *m)
{
	CHECK(memcmp(&m->c, &m->want, sizeof(m->c)) == 0);
}

static void check_state(const struct model *m)
{
	CHECK(ecp_tx_idle(&m->tx) == !m->out);
	if (m->out) {
		CHECK(m->tx.state == ECP_TX_TXMIT);
		CHECK(m->tx.deadline != 0);
		CHECK(m->tx.seq == m->seq);
		CHECK(m->tx.retries == m->retx);
	} else {
		CHECK(m->tx.state == ECP_TX_WAIT_ONDATA);
		CHECK(m->tx.deadline == 0);
	}
	if (m->started) {
		CHECK(m->tx.seq != 0);
		/* The upper layer can always see the current / lost ULPDU. */
		CHECK(m->tx.len == m->len);
		CHECK(memcmp(m->tx.ulpdu, m->ulpdu, m->len) == 0);
	}
	check_counters(m);
}

/* The ECPDU on the wire: header (op 0, subtype, seq) + the started ULPDU. */
static void check_pdu(const struct model *m)
{
	static uint8_t out[ECP_HDR_LEN + ECP_MAX_ULPDU];
	struct ecp_hdr h;
	int n = ecp_tx_pdu(&m->tx, out, sizeof(out));

	CHECK(n == (int)(ECP_HDR_LEN + m->len));
	CHECK(ecp_hdr_decode(out, (size_t)n, &h) == 0);
	CHECK(h.op == ECP_OP_REQUEST && h.subtype == ECP_SUBTYPE_VDP && h.seq == m->seq);
	CHECK(memcmp(out + ECP_HDR_LEN, m->ulpdu, m->len) == 0);
}

static uint64_t expected_deadline(uint64_t now, uint64_t ack_us)
{
	uint64_t at = now + ack_us;

	if (at < now)
		return UINT64_MAX;
	return at ? at : 1;
}

static uint16_t expected_next_seq(const struct model *m)
{
	uint16_t s;

	if (!m->started)
		return m->first_seq ? m->first_seq : 1;
	s = (uint16_t)(m->seq + 1);
	return s ? s : 1;
}

static void do_start(struct model *m, struct rd *r)
{
	static uint8_t buf[ECP_MAX_ULPDU + 1];
	size_t len = rd_u16(r) % (ECP_MAX_ULPDU + 2);
	uint8_t fill = rd_u8(r);
	int rc;

	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(fill + i);
	rc = ecp_tx_start(&m->tx, buf, len, m->now, &m->c);
	if (m->out) {
		CHECK(rc == -EBUSY);
		return;
	}
	if (len > ECP_MAX_ULPDU) {
		CHECK(rc == -EMSGSIZE);
		return;
	}
	CHECK(rc == ECP_TX_SEND);
	m->seq = expected_next_seq(m);
	m->started = m->out = true;
	m->failed = false;
	m->retx = 0;
	m->len = len;
	memcpy(m->ulpdu, buf, len);
	m->want.tx_frames++;
	CHECK(m->tx.deadline == expected_deadline(m->now, m->tx.ack_us));
	check_pdu(m);
}

static void do_ack(struct model *m, uint16_t seq)
{
	enum ecp_tx_result res = ecp_tx_ack(&m->tx, seq, &m->c);

	if (m->out && seq == m->seq) {
		CHECK(res == ECP_TX_ACKED);
		m->out = false;
		m->want.rx_acks++;
	} else {
		CHECK(res == ECP_TX_NONE);
		m->want.rx_stale_acks++;
	}
}

static void do_timer(struct model *m, uint64_t now)
{
	uint64_t deadline = m->tx.deadline;
	enum ecp_tx_result res;

	m->now = now;
	res = ecp_tx_timer(&m->tx, now, &m->c);
	if (!m->out || now < deadline) {
		CHECK(res == ECP_TX_NONE);
		CHECK(m->tx.deadline == deadline);
		return;
	}
	if (res == ECP_TX_SEND) {
		m->retx++;
		CHECK(m->retx <= m->tx.max_retries);
		m->want.tx_frames++;
		m->want.tx_retries++;
		CHECK(m->tx.deadline == expected_deadline(now, m->tx.ack_us));
		check_pdu(m);
		return;
	}
	CHECK(res == ECP_TX_FAILED);
	CHECK(m->retx >= m->tx.max_retries);
	CHECK(!m->failed);
	m->failed = true;
	m->out = false;
	m->want.tx_failures++;
}

static void do_abort(struct model *m)
{
	CHECK(ecp_tx_abort(&m->tx) == m->out);
	m->out = false;
}

static void do_pdu_cap(const struct model *m, size_t cap)
{
	static uint8_t out[ECP_HDR_LEN + ECP_MAX_ULPDU];
	int n = ecp_tx_pdu(&m->tx, out, cap % (sizeof(out) + 1));

	if (cap % (sizeof(out) + 1) < ECP_HDR_LEN + m->tx.len)
		CHECK(n == -ENOSPC);
	else
		CHECK(n == (int)(ECP_HDR_LEN + m->tx.len));
}

static void do_rx(struct model *m, uint16_t seq)
{
	bool fresh = ecp_rx_request(&m->rx, seq, &m->c);
	bool want = !m->rx_have || seq != m->rx_last;

	CHECK(fresh == want);
	m->want.rx_frames++;
	if (!want)
		m->want.rx_dups++;
	m->rx_have = true;
	m->rx_last = seq;
	CHECK(m->rx.state == ECP_RX_WAIT2 && m->rx.last_seq == seq);
}

static void step(struct model *m, struct rd *r)
{
	switch (rd_u8(r) % OP_COUNT) {
	case OP_START:
		do_start(m, r);
		break;
	case OP_ACK:
		do_ack(m, rd_u16(r));
		break;
	case OP_ACK_OUT:
		do_ack(m, m->tx.seq);
		break;
	case OP_TIMER_DELTA:
		do_timer(m, m->now + rd_u16(r));
		break;
	case OP_TIMER_ABS: {
		uint64_t hi = rd_u32(r);
		do_timer(m, hi << 32 | rd_u32(r));
		break;
	}
	case OP_TIMER_DEADLINE:
		do_timer(m, m->out ? m->tx.deadline : m->now);
		break;
	case OP_ABORT:
		do_abort(m);
		break;
	case OP_SET_TIMERS: {
		uint8_t rr = rd_u8(r);
		ecp_tx_set_timers(&m->tx, rr, rd_u16(r));
		break;
	}
	case OP_PDU:
		do_pdu_cap(m, rd_u16(r));
		break;
	case OP_RX:
		do_rx(m, rd_u16(r));
		break;
	}
	check_state(m);
}

/* Every ULPDU still outstanding fails after at most R more expiries. */
static void drain(struct model *m)
{
	unsigned budget = (unsigned)m->tx.max_retries + 1;

	while (m->out) {
		CHECK(budget-- > 0);
		do_timer(m, m->tx.deadline);
		check_state(m);
	}
	/* ...and is not reported again. */
	do_timer(m, UINT64_MAX);
	check_state(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct model m;
	struct rd r = rd_init(data, size);

	check_hdr(data, size);

	memset(&m, 0, sizeof(m));
	uint8_t rr = rd_u8(&r);
	uint16_t ack_us = rd_u16(&r);
	m.first_seq = rd_u16(&r);
	ecp_tx_init(&m.tx, ECP_SUBTYPE_VDP, rr, ack_us, m.first_seq);
	ecp_rx_init(&m.rx);
	check_state(&m);

	while (rd_left(&r) > 0)
		step(&m, &r);
	drain(&m);
	return 0;
}
