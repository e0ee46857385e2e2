/* SPDX-License-Identifier: ISC */
/*
 * test_vdp_port.c - the per-port engine end to end without sockets: a
 * station vdp_port and a bridge vdp_port joined by an in-memory wire that
 * can lose, duplicate and reorder frames, driven by a fake clock that jumps
 * to the next wake-up of either side.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vdp/eth.h"
#include "vdp/vdp_port.h"

#define MAXQ 8192

struct frame {
	uint8_t b[1600];
	size_t len;
	uint64_t at; /* when it was put on the wire */
};

struct wire {
	struct frame q[MAXQ];
	size_t n;
};

struct fx {
	struct vdp_port st, br;
	struct wire to_br, to_st;
	uint64_t now;
	unsigned loss, dup, reorder; /* percent */
	uint32_t rng;
	unsigned st_notify, br_bind, br_unbind, st_removed;
	unsigned st_to_linkdown;	  /* station VSIs reported moving to LINKDOWN */
	unsigned frames_st;		  /* ECP frames sent by the station */
	uint64_t last_req_st, min_gap_st; /* station ECP requests: last time, closest two */
	uint64_t last_req_br, min_gap_br; /* the bridge's, alike */
	int refuse_reason;		  /* bridge policy: 0 grant, else refuse with this reason */
	uint16_t keep_vid;		  /* bridge policy: refuse with KEEP a filter on this VID */
	bool drop_br_requests;		  /* the bridge's ECP requests never reach the station */
	size_t br_queue_peak;		  /* most TLVs the bridge's transmit queue held */
	unsigned st_failed_by[16];	  /* station VSIs failed, by reason */
	struct frame first_st;
	/* The bridge reads like lldpad: an ECP request is acknowledged at once
	 * but read slow_us later from one buffer, and a request arriving before
	 * then overwrites the one waiting (its VDPDU is lost). */
	uint64_t slow_us;
	bool held;
	struct frame held_f;
	uint64_t held_at;
	unsigned slow_lost;
	bool swallow_ack;
	unsigned drop_br_acks; /* the next this many ACKs of the bridge are lost */
	/* A busy bridge: it reads nothing before br_busy_until, then spends
	 * br_read_cost µs on each frame; each goes in with its arrival time. */
	uint64_t br_busy_until, br_read_cost;
	unsigned paced_slower, paced_faster;
};

static struct fx *G;

static unsigned rnd(struct fx *f)
{
	f->rng = f->rng * 1103515245u + 12345u;
	return (f->rng >> 16) % 100;
}

static void push(struct fx *f, struct wire *w, const uint8_t *b, size_t len)
{
	assert_true(len <= sizeof(w->q[0].b));
	if (f->loss && rnd(f) < f->loss)
		return;
	unsigned copies = f->dup && rnd(f) < f->dup ? 2 : 1;
	while (copies--) {
		assert_true(w->n < MAXQ);
		memcpy(w->q[w->n].b, b, len);
		w->q[w->n].len = len;
		w->q[w->n].at = f->now;
		w->n++;
		if (f->reorder && w->n > 1 && rnd(f) < f->reorder) {
			struct frame t = w->q[w->n - 1];
			w->q[w->n - 1] = w->q[w->n - 2];
			w->q[w->n - 2] = t;
		}
	}
}

static void send_st(void *ctx, const uint8_t *b, size_t len)
{
	struct fx *f = ctx;
	if (!f->frames_st++) {
		memcpy(f->first_st.b, b, len);
		f->first_st.len = len;
	}
	if (len > 14 && b[14] == 0x10) { /* ECP request, not an ACK */
		if (f->last_req_st && f->now - f->last_req_st < f->min_gap_st)
			f->min_gap_st = f->now - f->last_req_st;
		f->last_req_st = f->now;
	}
	push(f, &f->to_br, b, len);
}

static void send_br(void *ctx, const uint8_t *b, size_t len)
{
	(void)ctx;
	if (G->br.q.count > G->br_queue_peak)
		G->br_queue_peak = G->br.q.count;
	if (len > 14 && b[14] == 0x10 && G->br.tx.retries == 0) { /* a new ECP request */
		if (G->last_req_br && G->now - G->last_req_br < G->min_gap_br)
			G->min_gap_br = G->now - G->last_req_br;
		G->last_req_br = G->now;
	}
	if (G->drop_br_requests && len > 14 && b[14] == 0x10)
		return; /* a station that never acknowledges the bridge */
	if (G->drop_br_acks && len > 14 && b[14] == 0x14) {
		G->drop_br_acks--;
		return;
	}
	if (G->swallow_ack && len > 14 && b[14] == 0x14) {
		G->swallow_ack = false; /* acknowledged when it arrived */
		return;
	}
	push(G, &G->to_st, b, len);
}

static void st_changed(void *ctx, struct vdp_port *p, struct vdp_vsi *v,
		       const struct vdp_sm_out *out)
{
	(void)p;
	struct fx *f = ctx;
	f->st_notify += out->notify;
	f->st_removed += out->remove;
	if (out->remove && v->result == VSI_FAILED)
		f->st_failed_by[v->reason & 15]++;
}

static void br_changed(void *ctx, struct vdp_port *p, struct vdp_vsi *v,
		       const struct vdp_sm_out *out)
{
	(void)p;
	(void)v;
	(void)ctx;
	G->br_bind += out->bind;
	G->br_unbind += out->unbind;
}

static int br_decide(void *ctx, struct vdp_port *p, const struct vdp_vsi *v,
		     struct vdp_decision *dec)
{
	(void)ctx;
	(void)p;
	if (G->refuse_reason) {
		dec->verdict = VDP_REFUSE;
		dec->reason = (uint8_t)G->refuse_reason;
	}
	if (G->keep_vid && vsi_filters(v)[0].vid == G->keep_vid) {
		dec->verdict = VDP_REFUSE_KEEP;
		dec->reason = VDP_RSN_INVALID_ID;
	}
	return 0;
}

static void st_state(void *ctx, struct vdp_port *p, const struct vdp_vsi *v,
		     const struct vdp_sm_trans *t, uint8_t ev)
{
	(void)p;
	struct fx *f = ctx;
	assert_true(t->legal);
	assert_int_equal(v->state, t->to); /* one change per step here */
	if (t->to == VDP_ST_LINKDOWN) {
		assert_int_equal(ev, VDP_ST_EV_LINK_DOWN);
		f->st_to_linkdown++;
	}
}

static void st_paced(void *ctx, struct vdp_port *p, enum ecp_pace_change ch)
{
	(void)p;
	struct fx *f = ctx;
	f->paced_slower += ch == ECP_PACE_SLOWER;
	f->paced_faster += ch == ECP_PACE_FASTER;
}

static const struct vdp_port_ops st_ops = {
    .send = send_st, .vsi_changed = st_changed, .vsi_state = st_state, .paced = st_paced};
static const struct vdp_port_ops br_ops = {
    .send = send_br, .vsi_changed = br_changed, .decide = br_decide};

static const uint8_t MAC_ST[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t MAC_BR[6] = {0x02, 0, 0, 0, 0, 0x02};

/* R 3, RTE 8, RWD 14, RKA 14: ack 2.56 ms, keep-alive 164 ms. */
static const struct evb_oper OPER = {.valid = true, .r = 3, .rte = 8, .rwd = 14, .rka = 14};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	G = f;
	f->now = 1000000;
	f->rng = 42;
	f->min_gap_st = f->min_gap_br = UINT64_MAX;
	assert_int_equal(vdp_port_init(&f->st, EVB_ROLE_STATION, MAC_ST, &st_ops, f, 1), 0);
	assert_int_equal(vdp_port_init(&f->br, EVB_ROLE_BRIDGE, MAC_BR, &br_ops, f, 1), 0);
	vdp_port_start(&f->st, &OPER, f->now);
	vdp_port_start(&f->br, &OPER, f->now);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	assert_int_equal(f->st.stats.sm_illegal, 0); /* every change in the state table */
	assert_int_equal(f->br.stats.sm_illegal, 0);
	vdp_port_free(&f->st);
	vdp_port_free(&f->br);
	free(f);
	return 0;
}

/* The slow bridge takes an ECP request: ACK now, read later. */
static void slow_rx(struct fx *f, const struct frame *fr, const uint8_t *pl)
{
	uint8_t ack[4] = {0x14, pl[1], pl[2], pl[3]};
	uint8_t out[64];
	int n = eth_build((const uint8_t[])MAC_NEAREST_CUSTOMER_BRIDGE, MAC_BR, ETHERTYPE_ECP, ack,
			  sizeof(ack), out, sizeof(out));
	assert_true(n > 0);
	push(f, &f->to_st, out, (size_t)n);
	f->slow_lost += f->held;
	f->held = true;
	f->held_f = *fr;
	f->held_at = f->now;
}

/* Deliver one wire's frames (those queued now; replies queue behind). */
static bool deliver(struct fx *f, struct wire *w, struct vdp_port *to)
{
	size_t n = w->n;
	if (!n || (to == &f->br && f->now < f->br_busy_until))
		return false;
	static struct frame batch[MAXQ];
	memcpy(batch, w->q, n * sizeof(w->q[0]));
	w->n = 0;
	for (size_t i = 0; i < n; i++) {
		struct eth_hdr h;
		const uint8_t *pl;
		size_t plen;
		assert_int_equal(eth_parse(batch[i].b, batch[i].len, &h, &pl, &plen), 0);
		assert_int_equal(h.ethertype, ETHERTYPE_ECP);
		if (to == &f->br && f->slow_us && plen >= 4 && pl[0] == 0x10)
			slow_rx(f, &batch[i], pl);
		else {
			to->rx_at = batch[i].at;
			vdp_port_rx_from(to, h.src, pl, plen, f->now);
			to->rx_at = 0;
		}
		if (to == &f->br)
			f->now += f->br_read_cost;
	}
	return true;
}

/* The slow bridge's one buffer, read when its time has come. */
static bool slow_read(struct fx *f)
{
	if (!f->held || f->now < f->held_at + f->slow_us)
		return false;
	struct eth_hdr h;
	const uint8_t *pl;
	size_t plen;
	f->held = false;
	assert_int_equal(eth_parse(f->held_f.b, f->held_f.len, &h, &pl, &plen), 0);
	f->swallow_ack = true;
	vdp_port_rx_from(&f->br, h.src, pl, plen, f->now);
	return true;
}

static uint64_t next_wakeup(const struct fx *f, bool station_alive)
{
	uint64_t a = station_alive ? vdp_port_next_wakeup(&f->st) : 0;
	uint64_t b = vdp_port_next_wakeup(&f->br);
	if (f->held && (!b || f->held_at + f->slow_us < b))
		b = f->held_at + f->slow_us;
	if (f->to_br.n && f->now < f->br_busy_until && (!b || f->br_busy_until < b))
		b = f->br_busy_until;
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

/* Run both sides until `until` (µs, absolute): frames are delivered at
 * once (a 10 µs wire), timers fire in order. */
static void run_until(struct fx *f, uint64_t until, bool station_alive)
{
	for (;;) {
		bool moved = false;
		if (station_alive)
			moved |= deliver(f, &f->to_st, &f->st);
		else
			f->to_st.n = 0;
		moved |= deliver(f, &f->to_br, &f->br);
		moved |= slow_read(f);
		if (moved) {
			f->now += 10;
			continue;
		}
		uint64_t t = next_wakeup(f, station_alive);
		if (!t || t > until)
			break;
		if (t > f->now)
			f->now = t;
		if (station_alive)
			vdp_port_run(&f->st, f->now);
		vdp_port_run(&f->br, f->now);
	}
	if (f->now < until)
		f->now = until;
}

static void make_req(struct vdp_request *r, struct vdp_filter *flt, unsigned i, uint8_t type)
{
	memset(r, 0, sizeof(*r));
	memset(flt, 0, sizeof(*flt));
	r->type = type;
	r->type_id = 5;
	r->type_ver = 4;
	r->key.fmt = VDP_VSIID_UUID;
	r->key.id[0] = 0x42;
	r->key.id[12] = (uint8_t)(i >> 24);
	r->key.id[13] = (uint8_t)(i >> 16);
	r->key.id[14] = (uint8_t)(i >> 8);
	r->key.id[15] = (uint8_t)i;
	flt->mac[0] = 0x52;
	flt->mac[1] = 0x54;
	flt->mac[3] = (uint8_t)(i >> 16);
	flt->mac[4] = (uint8_t)(i >> 8);
	flt->mac[5] = (uint8_t)i;
	flt->vid = (uint16_t)(2 + i % 4000);
	r->fif = VDP_FIF_MACVID;
	r->nfilters = 1;
	r->filters = flt;
}

static void submit(struct fx *f, unsigned from, unsigned to, uint8_t type)
{
	for (unsigned i = from; i < to; i++) {
		struct vdp_request r;
		struct vdp_filter flt;
		make_req(&r, &flt, i, type);
		assert_int_equal(vdp_port_request(&f->st, &r, f->now, NULL, NULL), 0);
	}
	vdp_port_run(&f->st, f->now);
}

/* VSIs with this result, counted by walking the table; every call also
 * checks the port's running per-result counts against the walk. */
static unsigned count(const struct vdp_port *p, uint8_t result)
{
	struct vsi_cursor c = {0};
	struct vdp_vsi *v;
	unsigned by[VSI_RESULTS] = {0}, total = 0;
	while ((v = vsi_table_next(&p->vsis, &c))) {
		assert_true(v->result < VSI_RESULTS);
		by[v->result]++;
		total++;
	}
	assert_int_equal(total, p->vsis.count);
	for (unsigned r = 0; r < VSI_RESULTS; r++)
		assert_int_equal(p->by_result[r], by[r]);
	return by[result];
}

/* The first frame is byte for byte the captured lldpad associate (docs/protocol.md). */
static void test_wire_format_matches_lldpad(void **state)
{
	struct fx *f = *state;
	static const uint8_t lldpad_req[71] = {
	    0x01, 0x80, 0xc2, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	    0x89, 0x40, 0x10, 0x01, 0x00, 0x01, 0x0a, 0x10, 0x6c, 0x70, 0x31, 0x00,
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	    0x06, 0x21, 0x00, 0x00, 0x00, 0x05, 0x04, 0x05, 0x00, 0x11, 0x22, 0x33,
	    0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
	    0x02, 0x00, 0x01, 0x52, 0x54, 0x00, 0x8e, 0xaa, 0x11, 0x00, 0x02};
	struct vdp_filter flt = {.mac = {0x52, 0x54, 0x00, 0x8e, 0xaa, 0x11}, .vid = 2};
	struct vdp_request r = {.type = VDP_TLV_ASSOC,
				.mgrid = "lp1",
				.type_id = 5,
				.type_ver = 4,
				.key = {.fmt = VDP_VSIID_UUID,
					.id = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
					       0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}},
				.fif = VDP_FIF_MACVID,
				.nfilters = 1,
				.filters = &flt};
	assert_int_equal(vdp_port_request(&f->st, &r, f->now, NULL, NULL), 0);
	vdp_port_run(&f->st, f->now);
	/* lldpad's frame plus the End TLV evbd adds (vdp_port.c, pump()). */
	assert_int_equal(f->first_st.len, 73);
	assert_memory_equal(f->first_st.b, lldpad_req, 71);
	assert_int_equal(f->first_st.b[71], 0);
	assert_int_equal(f->first_st.b[72], 0);
	run_until(f, f->now + 100000, true);
	assert_int_equal(count(&f->st, VSI_ASSOCIATED), 1);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 1);
	assert_int_equal(f->br_bind, 1);
}

/* 1,000 requests share ECPDUs: 42 single-filter VSI TLVs fit one. */
static void test_thousand_packed(void **state)
{
	struct fx *f = *state;
	submit(f, 0, 1000, VDP_TLV_ASSOC);
	run_until(f, f->now + 100000, true); /* less than one reinitKeepAlive */
	assert_int_equal(count(&f->st, VSI_ASSOCIATED), 1000);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 1000);
	/* ceil(1000 / 42) = 24 requests plus 24 ACKs of the bridge's replies. */
	assert_int_equal(f->st.ecp.tx_frames, 24);
	assert_int_equal(f->frames_st, 48);
	assert_int_equal(f->st.ecp.tx_retries, 0);
	assert_int_equal(f->br.vsis.count, 1000);
	/* De-associate them all: both tables empty, every binding undone. */
	submit(f, 0, 1000, VDP_TLV_DEASSOC);
	run_until(f, f->now + 100000, true);
	assert_int_equal(f->st.vsis.count, 0);
	assert_int_equal(f->br.vsis.count, 0);
	assert_int_equal(f->br_bind, 1000);
	assert_int_equal(f->br_unbind, 1000);
}

/* Ack-clocked: the next ECPDU leaves as soon as the ACK is in (the wire
 * here takes 10 µs); with a pacing gap, never sooner than the gap. */
static void test_pacing(void **state)
{
	struct fx *f = *state;
	submit(f, 0, 420, VDP_TLV_ASSOC);
	run_until(f, f->now + 100000, true);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 420);
	assert_true(f->min_gap_st < 100);
	assert_int_equal(f->st.pace.losses, 0); /* a peer that loses nothing: full speed */
	assert_int_equal(f->st.pace.gap_us, 0);

	vdp_port_set_pace(&f->st, true, 3000, f->now);
	f->min_gap_st = UINT64_MAX;
	f->last_req_st = 0;
	uint64_t t0 = f->now;
	submit(f, 1000, 1420, VDP_TLV_ASSOC); /* 10 ECPDUs of 42 */
	run_until(f, f->now + 100000, true);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 840);
	assert_true(f->min_gap_st >= 3000);
	assert_true(f->last_req_st - t0 >= 9 * 3000);
}

/* A bridge that reads like lldpad, with the station's pacing fixed at 0:
 * requests are lost, and VSIs fail after their tries (what the adaptive
 * pacing below is for). */
static void test_slow_peer_fixed_zero_loses(void **state)
{
	struct fx *f = *state;
	f->slow_us = 2000;
	vdp_port_set_pace(&f->st, true, 0, f->now);
	submit(f, 0, 420, VDP_TLV_ASSOC);
	run_until(f, f->now + 2000000, true);
	assert_true(f->slow_lost > 0);
	assert_true(count(&f->br, VSI_ASSOCIATED) < 420);
	assert_int_equal(f->st.pace.gap_us, 0);
	assert_int_equal(f->paced_slower, 0);
}

/* The same bridge with the default, adaptive pacing: the first lost VDPDUs
 * slow the station (a duplicate answer, the repeated requests answered),
 * every VSI ends up associated, and after quiet periods the station is
 * ack-clocked again. */
static void test_slow_peer_adaptive(void **state)
{
	struct fx *f = *state;
	f->slow_us = 2000;
	uint64_t t0 = f->now;
	submit(f, 0, 420, VDP_TLV_ASSOC);
	run_until(f, f->now + 2000000, true);
	assert_true(f->slow_lost > 0);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 420);
	assert_int_equal(count(&f->st, VSI_ASSOCIATED), 420);
	assert_true(f->paced_slower >= 1);
	assert_true(f->st.pace.gap_us >= ECP_PACE_FIRST_US);
	assert_true(f->st.pace.losses > 0);
	/* the keep-alives go on without losses once paced */
	unsigned lost = f->slow_lost;
	uint32_t fails = f->st.ecp.tx_failures;
	run_until(f, f->now + 5000000, true);
	assert_int_equal(f->slow_lost, lost);
	assert_int_equal(f->st.ecp.tx_failures, fails);
	assert_int_equal(count(&f->st, VSI_ASSOCIATED), 420);
	/* quiet periods shrink the gap step by step until losses come back */
	run_until(f, t0 + 20ull * ECP_PACE_QUIET_US, true);
	assert_true(f->paced_faster >= 1);
	assert_true(f->st.pace.gap_us < f->st.pace.max_gap_us || f->paced_slower > 1);
}

/* A bridge whose answer is lost sees the request again before the next
 * keep-alive is due: a sign of loss, the bridge's own pacing slows.
 * Keep-alives a whole reinitKeepAlive apart are not. */
static void test_bridge_sees_repeat(void **state)
{
	struct fx *f = *state;
	submit(f, 0, 5, VDP_TLV_ASSOC);
	run_until(f, f->now + 1000000, true); /* 6 keep-alive periods */
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 5);
	assert_int_equal(f->br.pace.losses, 0);
	assert_int_equal(f->br.pace.gap_us, 0);
	submit(f, 0, 1, VDP_TLV_ASSOC); /* the same request again at once */
	run_until(f, f->now + 10000, true);
	assert_int_equal(f->br.pace.losses, 1);
	assert_int_equal(f->br.pace.gap_us, ECP_PACE_FIRST_US);
	assert_int_equal(f->st.pace.gap_us, 0);
}

/* Duplicate ECP requests: those that arrive with the original (a wire that
 * duplicates, or a busy receiver) are no sign; VDP_PACE_DUPS that come an
 * ackTimer later (the station's timer ran out: our ACKs were lost) are. */
static void test_duplicates_as_signs(void **state)
{
	struct fx *f = *state;
	f->dup = 50;
	submit(f, 0, 420, VDP_TLV_ASSOC);
	run_until(f, f->now + 1000000, true);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 420);
	assert_true(f->br.ecp.rx_dups > 5);
	assert_int_equal(f->br.pace.losses, 0);
	assert_int_equal(f->br.pace.gap_us, 0);

	f->dup = 0;
	run_until(f, f->now + 200000, true); /* the keep-alives after the wire's duplicates */
	/* A lost ACK, then its retransmission's ACK lost twice: three late
	 * duplicates (R is 3, the fourth try is acknowledged). */
	f->drop_br_acks = 3;
	submit(f, 1000, 1010, VDP_TLV_ASSOC);
	run_until(f, f->now + 20000, true);
	assert_int_equal(f->br.win_dups, 3);
	assert_int_equal(f->br.pace.losses, 0); /* one short */
	f->drop_br_acks = 1;			/* one more, in the same window */
	submit(f, 2000, 2010, VDP_TLV_ASSOC);
	run_until(f, f->now + 20000, true);
	assert_int_equal(f->br.pace.losses, 1);
	assert_int_equal(f->br.pace.gap_us, ECP_PACE_FIRST_US);
	run_until(f, f->now + 1000000, true);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 440);
}

/* A bridge too busy to read for a while (a sync point, a burst of
 * commands): the station's ack timer runs out and its retransmissions queue
 * up behind the original.  The bridge reads them well after it acknowledged
 * the original (each frame takes it 1.5 ms, more than half an ackTimer),
 * but they arrived before that ACK: no sign of loss, no pacing (make soak
 * paced an evbd station this way).  The same duplicates arriving after the
 * ACK are signs (test_duplicates_as_signs). */
static void test_busy_receiver_no_sign(void **state)
{
	struct fx *f = *state;
	submit(f, 0, 5, VDP_TLV_ASSOC);
	run_until(f, f->now + 100000, true);
	f->br_read_cost = 1500;
	uint64_t ack = evb_ack_timer_us(&OPER);
	for (unsigned i = 0; i < 3; i++) {
		f->br_busy_until = f->now + 3 * ack + 1000; /* R = 3 retransmissions wait */
		submit(f, 100 + 10 * i, 110 + 10 * i, VDP_TLV_ASSOC);
		run_until(f, f->now + 100000, true);
	}
	assert_int_equal(f->br.ecp.rx_dups, 9);
	assert_int_equal(f->br.stats.pace_dups, 0);
	assert_int_equal(f->br.pace.losses, 0);
	assert_int_equal(f->br.pace.gap_us, 0);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 35);
}

/* A station clocked by its ack timer, like lldpad (its new ECPDUs never
 * closer than 2.6 ms, one VSI each): the bridge takes its cadence and
 * paces its answers ECP_PACE_FIRST_US after each ACK, with no loss to
 * learn from (an lldpad station that lost an answer never asks again).
 * An evbd station's back-to-back burst then ends the cadence. */
static void test_cadence_of_clocked_peer(void **state)
{
	struct fx *f = *state;
	vdp_port_set_pace(&f->st, true, 2600, f->now);
	for (unsigned i = 0; i < 20; i++) {
		if (i == VDP_CADENCE_MIN + 1) { /* taken by now: from here on, paced */
			assert_true(vdp_port_cadence(&f->br) >= 2600);
			f->last_req_br = 0;
			f->min_gap_br = UINT64_MAX;
		}
		submit(f, i, i + 1, VDP_TLV_ASSOC);
		run_until(f, f->now + 2600, true);
	}
	run_until(f, f->now + 100000, true);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 20);
	assert_true(vdp_port_cadence(&f->br) >= 2600);
	assert_true(f->min_gap_br >= ECP_PACE_FIRST_US);
	assert_int_equal(f->br.pace.losses, 0);
	assert_int_equal(f->br.pace.gap_us, 0); /* the controller saw no loss */

	vdp_port_set_pace(&f->st, false, 0, f->now); /* ack-clocked, like evbd */
	submit(f, 1000, 1420, VDP_TLV_ASSOC);
	run_until(f, f->now + 100000, true);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 440);
	assert_int_equal(vdp_port_cadence(&f->br), 0);
	assert_int_equal(vdp_port_cadence(&f->st), 0); /* its answers follow its requests */
}

/* A paced station with thousands of VSIs queued: the gap is cut so that
 * the queue drains within half a respWaitDelay, and no VSI times out in
 * the queue (at the full 16 ms, 4,000 VSIs would take 2 s). */
static void test_pacing_cut_by_queue(void **state)
{
	struct fx *f = *state;
	f->st.pace.gap_us = ECP_PACE_MAX_US; /* as if losses had driven it there */
	uint64_t t0 = f->now;
	submit(f, 0, 400, VDP_TLV_ASSOC);
	run_until(f, t0 + f->st.st.resp_wait_us / 2 + 20000, true);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 400);
	assert_true(f->min_gap_st > 100); /* paced all the same */
	run_until(f, t0 + f->st.st.resp_wait_us, true);
	assert_int_equal(count(&f->st, VSI_ASSOCIATED), 400);
	assert_int_equal(f->st.ecp.tx_failures, 0);
}

/* So many VSIs that their keep-alives need every ECPDU the wire gives (a
 * cut under VDP_PACE_MIN_US): the port is not paced, and keeps them all. */
static void test_pacing_yields_to_keepalives(void **state)
{
	struct fx *f = *state;
	f->st.pace.gap_us = ECP_PACE_MAX_US;
	uint64_t t0 = f->now;
	submit(f, 0, 4000, VDP_TLV_ASSOC);
	run_until(f, t0 + f->st.st.resp_wait_us, true);
	assert_int_equal(count(&f->st, VSI_ASSOCIATED), 4000);
	run_until(f, f->now + 10 * evb_reinit_keepalive_us(&OPER), true);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 4000);
	assert_int_equal(f->br_unbind, 0);
	assert_true(f->min_gap_st < VDP_PACE_MIN_US);
}

/* Keep-alives hold the VSIs for many toutKeepAlive periods. */
static void test_keepalives_hold(void **state)
{
	struct fx *f = *state;
	submit(f, 0, 100, VDP_TLV_ASSOC);
	run_until(f, f->now + 100000, true);
	uint32_t before = f->st.ecp.tx_frames;
	run_until(f, f->now + 5000000, true); /* 5 s = 30 reinitKeepAlive periods */
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 100);
	assert_int_equal(count(&f->st, VSI_ASSOCIATED), 100);
	/* 3 ECPDUs of keep-alives per period, about 30 periods. */
	assert_true(f->st.ecp.tx_frames - before >= 3 * 25);
	assert_int_equal(f->br_unbind, 0);
}

/* A silent station: the bridge ends every VSI after toutKeepAlive. */
static void test_dead_station_dropped(void **state)
{
	struct fx *f = *state;
	submit(f, 0, 50, VDP_TLV_ASSOC);
	run_until(f, f->now + 100000, true);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 50);
	uint64_t t0 = f->now;
	uint64_t tout = evb_tout_keepalive_us(&OPER);
	run_until(f, t0 + tout / 2, false);
	assert_int_equal(f->br.vsis.count, 50);
	run_until(f, t0 + tout + evb_reinit_keepalive_us(&OPER) + 1, false);
	assert_int_equal(f->br.vsis.count, 0);
	assert_int_equal(f->br_unbind, 50);
}

/* The bridge's answers are lost and it then restarts (link down and up),
 * on timers where toutKeepAlive is shorter than respWaitDelay (RKA 12 <
 * RWD 14): the station asks again only after respWaitDelay, and the bridge
 * keeps the VSIs for that plus toutKeepAlive, so none is lost. */
static void test_answers_lost_over_bridge_restart(void **state)
{
	struct fx *f = *state;
	static const struct evb_oper oper = {.valid = true, .r = 3, .rte = 8, .rwd = 14, .rka = 12};
	vdp_port_start(&f->st, &oper, f->now);
	vdp_port_start(&f->br, &oper, f->now);
	assert_true(evb_tout_keepalive_us(&oper) < evb_resp_wait_us(&oper));
	f->drop_br_requests = true;
	submit(f, 0, 20, VDP_TLV_ASSOC);
	run_until(f, f->now + 20000, true);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 20);
	assert_int_equal(count(&f->st, VSI_ASSOCIATED), 0);
	vdp_port_stop(&f->br, f->now);
	vdp_port_start(&f->br, &oper, f->now);
	f->drop_br_requests = false;
	run_until(f, f->now + evb_resp_wait_us(&oper) + evb_tout_keepalive_us(&oper), true);
	assert_int_equal(count(&f->st, VSI_ASSOCIATED), 20);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 20);
	assert_int_equal(f->br_unbind, 0);
}

/* 20 % loss, 5 % duplication, 10 % reordering both ways: none lost. */
static void test_lossy_wire_converges(void **state)
{
	struct fx *f = *state;
	f->loss = 20;
	f->dup = 5;
	f->reorder = 10;
	submit(f, 0, 1000, VDP_TLV_ASSOC);
	run_until(f, f->now + 3000000, true);
	assert_int_equal(count(&f->st, VSI_ASSOCIATED), 1000);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 1000);
	assert_true(f->st.ecp.tx_retries > 0);
	run_until(f, f->now + 10000000, true); /* 60 keep-alive periods */
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 1000);
	assert_int_equal(count(&f->st, VSI_ASSOCIATED), 1000);
	submit(f, 0, 1000, VDP_TLV_DEASSOC);
	run_until(f, f->now + 3000000, true);
	assert_int_equal(f->st.vsis.count, 0);
	assert_int_equal(f->br.vsis.count, 0);
	assert_int_equal(f->br_bind, f->br_unbind);
}

/* The bridge's policy refuses: the station fails the VSI with the reason. */
static void test_refusal_reaches_station(void **state)
{
	struct fx *f = *state;
	f->refuse_reason = VDP_RSN_NO_RESOURCES;
	struct vdp_vsi *v = NULL;
	struct vdp_request r;
	struct vdp_filter flt;
	make_req(&r, &flt, 7, VDP_TLV_ASSOC);
	assert_int_equal(vdp_port_request(&f->st, &r, f->now, &v, NULL), 0);
	vdp_port_run(&f->st, f->now);
	run_until(f, f->now + 100000, true);
	assert_int_equal(f->st.vsis.count, 0); /* failed and removed */
	assert_int_equal(count(&f->st, VSI_FAILED), 0);
	assert_int_equal(f->st_removed, 1);
	assert_int_equal(f->br.vsis.count, 0);
	assert_int_equal(f->br_bind, 0);
}

/* A change refused with KEEP: both sides keep what was in force (filters
 * included), and keep-alives go on with it, not with the refused change. */
static void test_keep_refusal_restores(void **state)
{
	struct fx *f = *state;
	struct vdp_request r;
	struct vdp_filter flt;
	f->keep_vid = 4000;
	make_req(&r, &flt, 9, VDP_TLV_ASSOC);
	uint16_t vid = flt.vid;
	assert_int_equal(vdp_port_request(&f->st, &r, f->now, NULL, NULL), 0);
	vdp_port_run(&f->st, f->now);
	run_until(f, f->now + 50000, true);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 1);

	flt.vid = 4000; /* the change the bridge refuses with KEEP */
	assert_int_equal(vdp_port_request(&f->st, &r, f->now, NULL, NULL), 0);
	vdp_port_run(&f->st, f->now);
	run_until(f, f->now + 50000, true);
	struct vdp_vsi *sv = vsi_table_find(&f->st.vsis, &r.key);
	struct vdp_vsi *bv = vsi_table_find(&f->br.vsis, &r.key);
	assert_non_null(sv);
	assert_non_null(bv);
	assert_int_equal(sv->result, VSI_ASSOCIATED);
	assert_int_equal(sv->reason, VDP_RSN_INVALID_ID);
	assert_int_equal(vsi_filters(sv)[0].vid, vid);
	assert_int_equal(vsi_filters(bv)[0].vid, vid);
	assert_null(sv->saved);
	assert_null(bv->saved);
	/* Keep-alives carry the filters in force: still associated, same VID. */
	run_until(f, f->now + 2000000, true);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 1);
	assert_int_equal(vsi_filters(vsi_table_find(&f->br.vsis, &r.key))[0].vid, vid);
	assert_int_equal(f->br_bind, 1);
	assert_int_equal(f->br_unbind, 0);
}

/* The bridge never answers ECP: after R retries the VSIs hear of it and
 * retry at VDP level, then fail; nothing is silently dropped. */
static void test_ecp_failure_reported(void **state)
{
	struct fx *f = *state;
	f->loss = 100;
	submit(f, 0, 10, VDP_TLV_ASSOC);
	run_until(f, f->now + 60000000, true);
	assert_true(f->st.ecp.tx_failures >= 3);
	assert_int_equal(f->st.vsis.count, 0);
	assert_int_equal(count(&f->st, VSI_PENDING), 0);
	assert_int_equal(f->st_removed, 10);
}

/* Link down keeps station VSIs; link up re-sends them. */
static void test_link_flap_resends(void **state)
{
	struct fx *f = *state;
	submit(f, 0, 30, VDP_TLV_ASSOC);
	run_until(f, f->now + 100000, true);
	vdp_port_stop(&f->st, f->now);
	assert_int_equal(vdp_port_next_wakeup(&f->st), 0);
	assert_int_equal(f->st.vsis.count, 30);
	assert_int_equal(f->st_to_linkdown, 30); /* every VSI stepped, each once */
	/* A request while down waits for the link. */
	submit(f, 30, 31, VDP_TLV_ASSOC);
	assert_int_equal(f->st_to_linkdown, 31); /* INIT -> LINKDOWN through the machine */
	assert_int_equal(f->to_br.n, 0);
	assert_int_equal(count(&f->st, VSI_PENDING), 1);
	vdp_port_start(&f->st, &OPER, f->now);
	run_until(f, f->now + 100000, true);
	assert_int_equal(count(&f->st, VSI_ASSOCIATED), 31);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 31);
}

/* Malformed input is counted and dropped; state survives. */
static void test_malformed_counted(void **state)
{
	struct fx *f = *state;
	submit(f, 0, 5, VDP_TLV_ASSOC);
	run_until(f, f->now + 100000, true);
	static const uint8_t shorty[] = {0x10};
	static const uint8_t badver[] = {0x20, 0x01, 0x00, 0x09};
	static const uint8_t trunc[] = {0x10, 0x01, 0x33, 0x33, 0x0a, 0x10, 0x00};
	assert_int_equal(vdp_port_rx(&f->br, shorty, sizeof(shorty), f->now), -EINVAL);
	assert_int_equal(vdp_port_rx(&f->br, badver, sizeof(badver), f->now), -EINVAL);
	assert_int_equal(vdp_port_rx(&f->br, trunc, sizeof(trunc), f->now), 0);
	assert_int_equal(f->br.stats.rx_bad_ecp, 2);
	assert_int_equal(f->br.stats.rx_bad_tlv, 1);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 5);
}

/* A bridge port has bounds by default; a station's queue (local commands
 * only) has none. */
static void test_default_limits(void **state)
{
	struct fx *f = *state;
	assert_int_equal(f->br.max_vsis, VDP_PORT_MAX_VSIS);
	assert_int_equal(f->br.max_filters, VDP_PORT_MAX_FILTERS);
	assert_int_equal(f->br.q.max, VDP_PORT_TX_QUEUE);
	assert_int_equal(f->st.max_vsis, 0);
	assert_int_equal(f->st.q.max, 0);
	vdp_port_set_limits(&f->st, 1, 1, 1); /* not for a station */
	assert_int_equal(f->st.q.max, 0);
}

/* A station floods the bridge with requests and never acknowledges its
 * answers: the bridge's transmit queue stays within its bound, requests
 * that find it full are dropped unanswered and counted, new VSIs beyond
 * max_vsis are refused (and those refusals are bounded too).  When the
 * station acknowledges again, the queue drains and its buffer goes back. */
static void test_queue_bound_under_flood(void **state)
{
	struct fx *f = *state;
	vdp_port_set_limits(&f->br, 50, VDP_PORT_MAX_FILTERS, 100);
	f->drop_br_requests = true;
	submit(f, 0, 3000, VDP_TLV_ASSOC);
	run_until(f, f->now + 2000000, true);
	assert_true(f->br_queue_peak <= 100);
	assert_true(f->br.q.count <= 100);
	assert_true(f->br.q.cap <= 100 * (2 + VDP_MGRID_LEN + 64) * 2);
	assert_true(f->br.stats.rx_queue_full > 0);
	assert_true(f->br.stats.vsi_limit > 0);
	assert_true(f->br.vsis.count <= 50);
	assert_true(f->br.ecp.tx_failures > 0); /* never acknowledged */
	f->drop_br_requests = false;
	run_until(f, f->now + 60000000, true);
	assert_int_equal(f->br.q.count, 0);
	assert_true(f->br.q.cap <= 4096); /* the grown buffer was given back */
}

/* Beyond max_vsis a new VSI is refused with reason 2 (insufficient
 * resources, clause 41.2.3) and counted; one that goes makes room. */
static void test_vsi_limit_refusal(void **state)
{
	struct fx *f = *state;
	vdp_port_set_limits(&f->br, 10, VDP_PORT_MAX_FILTERS, VDP_PORT_TX_QUEUE);
	submit(f, 0, 15, VDP_TLV_ASSOC);
	run_until(f, f->now + 100000, true);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 10);
	assert_int_equal(count(&f->st, VSI_ASSOCIATED), 10);
	assert_int_equal(f->st_failed_by[VDP_RSN_NO_RESOURCES], 5);
	assert_int_equal(f->br.stats.vsi_limit, 5);
	submit(f, 0, 1, VDP_TLV_DEASSOC);
	submit(f, 100, 101, VDP_TLV_ASSOC);
	run_until(f, f->now + 100000, true);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 10);
	assert_int_equal(f->br.stats.vsi_limit, 5);
}

/* More filters than max_filters: refused with reason 2 and counted; the
 * VSI in force keeps its filters (KEEP). */
static void test_filter_limit_refusal(void **state)
{
	struct fx *f = *state;
	vdp_port_set_limits(&f->br, VDP_PORT_MAX_VSIS, 2, VDP_PORT_TX_QUEUE);
	struct vdp_request r;
	struct vdp_filter flt[3];
	make_req(&r, &flt[0], 1, VDP_TLV_ASSOC);
	flt[1] = flt[2] = flt[0];
	flt[1].vid = 100;
	flt[2].vid = 101;
	r.filters = flt;
	r.nfilters = 3;
	assert_int_equal(vdp_port_request(&f->st, &r, f->now, NULL, NULL), 0);
	vdp_port_run(&f->st, f->now);
	run_until(f, f->now + 100000, true);
	assert_int_equal(f->br.stats.filter_limit, 1);
	assert_int_equal(f->st_failed_by[VDP_RSN_NO_RESOURCES], 1);
	assert_int_equal(f->br.vsis.count, 0);
	r.nfilters = 2;
	assert_int_equal(vdp_port_request(&f->st, &r, f->now, NULL, NULL), 0);
	vdp_port_run(&f->st, f->now);
	run_until(f, f->now + 100000, true);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 1);
	r.nfilters = 3; /* a change to three: refused, two stay in force */
	assert_int_equal(vdp_port_request(&f->st, &r, f->now, NULL, NULL), 0);
	vdp_port_run(&f->st, f->now);
	run_until(f, f->now + 100000, true);
	assert_int_equal(f->br.stats.filter_limit, 2);
	struct vdp_vsi *bv = vsi_table_find(&f->br.vsis, &r.key);
	struct vdp_vsi *sv = vsi_table_find(&f->st.vsis, &r.key);
	assert_non_null(bv);
	assert_non_null(sv);
	assert_int_equal(bv->nfilters, 2);
	assert_int_equal(sv->nfilters, 2);
	assert_int_equal(sv->result, VSI_ASSOCIATED);
	assert_int_equal(sv->reason, VDP_RSN_NO_RESOURCES);
}

/* Requests a station must refuse. */
/* The station's first associate turned into a De-Associate of the same VSI
 * (ECP sequence seq), sent from src to the bridge. */
static int inject_deassoc(struct fx *f, const uint8_t src[6], uint16_t seq)
{
	struct frame fr = f->first_st;
	struct eth_hdr h;
	const uint8_t *pl;
	size_t plen;

	memcpy(fr.b + 6, src, 6);
	fr.b[16] = (uint8_t)(seq >> 8);
	fr.b[17] = (uint8_t)seq;
	assert_int_equal(fr.b[36] >> 1, VDP_TLV_ASSOC); /* after the Manager ID TLV */
	fr.b[36] = (uint8_t)((fr.b[36] & 1) | VDP_TLV_DEASSOC << 1);
	assert_int_equal(eth_parse(fr.b, fr.len, &h, &pl, &plen), 0);
	int rc = vdp_port_rx_from(&f->br, h.src, pl, plen, f->now);
	run_until(f, f->now + 10000, true);
	return rc;
}

/* Issue 12: a bridge takes VDP from its station only.  A De-Associate
 * spoofed from another source address is dropped unanswered and counted;
 * the same frame from the station (or from anyone with any_source, today's
 * behaviour before the fix) ends the VSI. */
static void test_spoofed_deassoc_dropped(void **state)
{
	struct fx *f = *state;
	static const uint8_t ROGUE[6] = {0x02, 0, 0, 0, 0, 0x66};

	submit(f, 0, 10, VDP_TLV_ASSOC);
	run_until(f, f->now + 100000, true);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 10);
	assert_true(f->br.src_bound); /* the first sender, no LLDP neighbour known */
	assert_memory_equal(f->br.src, MAC_ST, 6);

	assert_int_equal(inject_deassoc(f, ROGUE, 0x7000), -EPERM);
	assert_int_equal(f->br.stats.rx_other_src, 1);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 10);
	assert_int_equal(f->br_unbind, 0);

	/* the LLDP neighbour appears at another address: the port follows it */
	vdp_port_bind(&f->br, ROGUE);
	assert_int_equal(inject_deassoc(f, MAC_ST, 0x7001), -EPERM);
	assert_int_equal(f->br.stats.rx_other_src, 2);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 10);

	/* the neighbour leaves: the next sender binds the port */
	vdp_port_bind(&f->br, NULL);
	assert_false(f->br.src_bound);
	run_until(f, f->now + 500000, true); /* the station's keep-alives */
	assert_true(f->br.src_bound);
	assert_memory_equal(f->br.src, MAC_ST, 6);
	assert_int_equal(count(&f->br, VSI_ASSOCIATED), 10);

	/* vdp-sources = any: every sender is taken */
	f->br.any_source = true;
	assert_int_equal(inject_deassoc(f, ROGUE, 0x7002), 0);
	assert_int_equal(f->br.stats.rx_other_src, 2);
	assert_int_equal(f->br_unbind, 1);
	assert_int_equal(f->br.vsis.count, 9);
}

/* Issue 12, vdp-sources = any: a rogue that speaks first, with the station's
 * own ECP sequence numbers, neither hides the station's ECPDUs as
 * duplicates (each sender has its own receive state) nor takes the slots
 * of the station the bridge learned first (its LLDP neighbour): the rogue
 * gets what is left beyond the station's share, its further VSIs are
 * refused with reason 2 (insufficient resources, 41.2.3) and counted. */
static void test_any_source_shares(void **state)
{
	struct fx *f = *state;
	static const uint8_t ROGUE[6] = {0x02, 0, 0, 0, 0, 0x66};
	struct vdp_port rogue;

	f->br.any_source = true;
	vdp_port_set_limits(&f->br, 8, VDP_PORT_MAX_FILTERS, VDP_PORT_TX_QUEUE);
	assert_int_equal(vdp_port_station_share(&f->br), 2); /* max_vsis / 4 */
	f->br.station_share = 6;
	vdp_port_bind(&f->br, MAC_ST); /* the LLDP neighbour */
	assert_int_equal(vdp_port_init(&rogue, EVB_ROLE_STATION, ROGUE, &st_ops, f, 1), 0);
	vdp_port_start(&rogue, &OPER, f->now);
	for (unsigned i = 100; i < 120; i++) {
		struct vdp_request r;
		struct vdp_filter flt;
		make_req(&r, &flt, i, VDP_TLV_ASSOC);
		assert_int_equal(vdp_port_request(&rogue, &r, f->now, NULL, NULL), 0);
	}
	vdp_port_run(&rogue, f->now); /* ECP sequence 1, as the station's first */
	run_until(f, f->now + 1000, true);
	assert_int_equal(f->br.vsis.count, 2); /* 8 - the station's share of 6 */
	assert_int_equal(f->br.stats.station_limit, 18);

	submit(f, 0, 7, VDP_TLV_ASSOC); /* sequence 1 again, from the station */
	run_until(f, f->now + 10000, true);
	assert_int_equal(count(&f->st, VSI_ASSOCIATED), 6);
	assert_int_equal(f->st_failed_by[VDP_RSN_NO_RESOURCES], 1);
	assert_int_equal(f->br.vsis.count, 8);
	assert_int_equal(f->br.stats.station_limit, 18);
	assert_int_equal(f->br.stats.vsi_limit, 1);
	vdp_port_free(&rogue);
}

static void test_request_errors(void **state)
{
	struct fx *f = *state;
	struct vdp_request r;
	struct vdp_filter flt;
	uint8_t reason = 0;
	make_req(&r, &flt, 1, VDP_TLV_DEASSOC);
	assert_int_equal(vdp_port_request(&f->st, &r, f->now, NULL, NULL), -ENOENT);
	make_req(&r, &flt, 1, VDP_TLV_ASSOC);
	assert_int_equal(vdp_port_request(&f->br, &r, f->now, NULL, NULL), -EOPNOTSUPP);
	flt.vid = 4095;
	assert_int_equal(vdp_port_request(&f->st, &r, f->now, NULL, &reason), -EINVAL);
	assert_int_equal(reason, VDP_RSN_INVALID_ID);
	assert_int_equal(f->st.vsis.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_wire_format_matches_lldpad, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_thousand_packed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pacing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_keepalives_hold, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_slow_peer_fixed_zero_loses, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_slow_peer_adaptive, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bridge_sees_repeat, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_duplicates_as_signs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_busy_receiver_no_sign, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cadence_of_clocked_peer, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pacing_cut_by_queue, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pacing_yields_to_keepalives, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dead_station_dropped, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_answers_lost_over_bridge_restart, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_lossy_wire_converges, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refusal_reaches_station, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_keep_refusal_restores, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ecp_failure_reported, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_link_flap_resends, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_malformed_counted, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_spoofed_deassoc_dropped, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_any_source_shares, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_request_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_default_limits, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_queue_bound_under_flood, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vsi_limit_refusal, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_filter_limit_refusal, setup, teardown),
	};
	return cmocka_run_group_tests_name("vdp_port", tests, NULL, NULL);
}
