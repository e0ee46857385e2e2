/* SPDX-License-Identifier: ISC */
/*
 * test_cdcp.c - the CDCP negotiation (vdp/cdcp.c): a bridge assigning SVIDs
 * from its pool and keeping them while the station asks the same, refusing
 * past its capacity or pool (counted once), a station taking what the
 * bridge grants, two sides talking to each other until they agree, the
 * neighbour leaving, and hostile TLVs (duplicate SCIDs and SVIDs, more
 * pairs than ChnCap, SVIDs outside the pool, unasked SCIDs, the same role)
 * counted without touching the channels in place.  Then two LLDP agents
 * of the CDCP kind (lldp_agent.c) on a fake wire: LLDPDUs to the nearest
 * non-TPMR bridge carrying the CDCP TLV and no EVB TLV, both ends agreeing,
 * and a link flap.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "vdp/cdcp.h"
#include "vdp/eth.h"
#include "vdp/lldp_agent.h"

#define MAXEV 32

struct evlog {
	unsigned n;
	struct cdcp_event ev[MAXEV];
};

static void record(void *ctx, const struct cdcp_event *ev)
{
	struct evlog *l = ctx;

	assert_true(l->n < MAXEV);
	l->ev[l->n++] = *ev;
}

static unsigned count_kind(const struct evlog *l, enum cdcp_event_kind k)
{
	unsigned n = 0;

	for (unsigned i = 0; i < l->n; i++)
		n += l->ev[i].kind == k;
	return n;
}

static const struct cdcp_conf BRIDGE = {
    .enabled = true, .chncap = 4, .pool_low = 100, .pool_high = 109};
static const struct cdcp_conf STATION = {.enabled = true, .station = true, .channels = 2};

/* A TLV of role S (station) or B with the given pairs. */
static struct cdcp_tlv tlv(bool role_s, uint16_t chncap, unsigned n, const uint16_t (*pairs)[2])
{
	struct cdcp_tlv t = {.role_s = role_s, .chncap = chncap, .npairs = (uint16_t)n};

	for (unsigned i = 0; i < n; i++)
		t.pairs[i] = (struct cdcp_pair){pairs[i][0], pairs[i][1]};
	return t;
}

static void assert_chans(const struct cdcp *c, unsigned n, const uint16_t (*want)[2])
{
	assert_int_equal(c->nchan, n);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(c->chan[i].scid, want[i][0]);
		assert_int_equal(c->chan[i].svid, want[i][1]);
	}
}

static void bridge_assigns_from_pool(void **state)
{
	(void)state;
	struct cdcp c;
	struct evlog l = {0};
	const uint16_t ask[][2] = {{1, 0}, {2, 0}, {3, 0}};
	const uint16_t want[][2] = {{1, 1}, {2, 100}, {3, 101}};
	struct cdcp_tlv r = tlv(true, 3, 3, ask), out;

	cdcp_init(&c, &BRIDGE);
	assert_chans(&c, 1, want);
	assert_true(cdcp_negotiate(&c, &r, record, &l));
	assert_chans(&c, 3, want);
	assert_int_equal(count_kind(&l, CDCP_EV_UP), 2);
	assert_int_equal(l.ev[0].scid, 2);
	assert_int_equal(l.ev[0].svid, 100);
	assert_int_equal(c.stats.up, 2);
	assert_int_equal(c.stats.refused, 0);
	cdcp_local_tlv(&c, &out);
	assert_false(out.role_s);
	assert_int_equal(out.chncap, 4);
	assert_int_equal(out.npairs, 3);
	assert_int_equal(out.pairs[2].scid, 3);
	assert_int_equal(out.pairs[2].svid, 101);
}

static void bridge_keeps_assignments(void **state)
{
	(void)state;
	struct cdcp c;
	struct evlog l = {0};
	const uint16_t ask[][2] = {{1, 0}, {2, 0}, {3, 0}};
	const uint16_t echo[][2] = {{1, 1}, {3, 101}, {2, 100}};
	const uint16_t fewer[][2] = {{1, 1}, {3, 101}};
	const uint16_t again[][2] = {{1, 1}, {3, 101}, {4, 0}};
	const uint16_t want[][2] = {{1, 1}, {3, 101}, {4, 100}};
	struct cdcp_tlv r = tlv(true, 3, 3, ask);

	cdcp_init(&c, &BRIDGE);
	cdcp_negotiate(&c, &r, NULL, NULL);
	/* the same TLV again: not even looked at */
	assert_false(cdcp_negotiate(&c, &r, record, &l));
	assert_int_equal(c.stats.rx_tlvs, 1);
	/* the station echoes its grants, in another order: nothing changes */
	r = tlv(true, 3, 3, echo);
	assert_false(cdcp_negotiate(&c, &r, record, &l));
	assert_int_equal(l.n, 0);
	assert_int_equal(c.stats.rx_tlvs, 2);
	/* SCID 2 no longer asked: released, 3 keeps 101 */
	r = tlv(true, 2, 2, fewer);
	assert_true(cdcp_negotiate(&c, &r, record, &l));
	assert_int_equal(count_kind(&l, CDCP_EV_DOWN), 1);
	assert_int_equal(l.ev[0].scid, 2);
	/* a new SCID gets the lowest free SVID, 100 again */
	r = tlv(true, 3, 3, again);
	assert_true(cdcp_negotiate(&c, &r, NULL, NULL));
	assert_chans(&c, 3, want);
}

static void bridge_pool_too_small(void **state)
{
	(void)state;
	struct cdcp_conf conf = BRIDGE;
	struct cdcp c;
	struct evlog l = {0};
	const uint16_t ask[][2] = {{1, 0}, {2, 0}, {3, 0}};
	const uint16_t echo[][2] = {{1, 1}, {2, 100}, {3, 0}};
	const uint16_t only3[][2] = {{1, 1}, {3, 0}};
	const uint16_t want[][2] = {{1, 1}, {2, 100}};
	const uint16_t want3[][2] = {{1, 1}, {3, 100}};
	struct cdcp_tlv r = tlv(true, 3, 3, ask);

	conf.pool_high = 100;
	cdcp_init(&c, &conf);
	assert_true(cdcp_negotiate(&c, &r, record, &l));
	assert_chans(&c, 2, want);
	assert_int_equal(c.stats.refused, 1);
	assert_int_equal(count_kind(&l, CDCP_EV_REFUSED), 1);
	assert_int_equal(l.ev[0].kind, CDCP_EV_REFUSED);
	assert_int_equal(l.ev[0].scid, 3);
	assert_int_equal(l.ev[0].why, CDCP_REFUSED_POOL);
	/* asked again (its echo changed the TLV): refused still, counted once */
	r = tlv(true, 3, 3, echo);
	l.n = 0;
	assert_false(cdcp_negotiate(&c, &r, record, &l));
	assert_int_equal(l.n, 0);
	assert_int_equal(c.stats.refused, 1);
	assert_chans(&c, 2, want);
	/* 2 given up: its SVID goes to 3 */
	r = tlv(true, 2, 2, only3);
	assert_true(cdcp_negotiate(&c, &r, NULL, NULL));
	assert_chans(&c, 2, want3);
}

static void bridge_capacity(void **state)
{
	(void)state;
	struct cdcp_conf conf = BRIDGE;
	struct cdcp c;
	struct evlog l = {0};
	const uint16_t ask[][2] = {{1, 0}, {2, 0}, {3, 0}};

	conf.chncap = 2;
	cdcp_init(&c, &conf);
	struct cdcp_tlv r = tlv(true, 3, 3, ask);
	assert_true(cdcp_negotiate(&c, &r, record, &l));
	assert_int_equal(c.nchan, 2);
	assert_int_equal(cdcp_svid_of(&c, 3), 0);
	assert_int_equal(c.stats.refused, 1);
	assert_int_equal(l.ev[l.n - 1].why, CDCP_REFUSED_CAPACITY);
	assert_non_null(cdcp_refusal_text(CDCP_REFUSED_CAPACITY));
}

static void bridge_hostile(void **state)
{
	(void)state;
	struct cdcp c;
	struct evlog l = {0};
	const uint16_t good[][2] = {{1, 0}, {2, 0}};
	/* duplicate SCID 2, SCID 0 and 4095, an SVID outside the pool for 5,
	 * and a pair past the ChnCap of 6 */
	const uint16_t bad[][2] = {{1, 0}, {2, 100}, {2, 0}, {0, 0}, {4095, 0}, {5, 4000}, {7, 0}};
	const uint16_t want[][2] = {{1, 1}, {2, 100}, {5, 101}};
	const uint16_t bridge[][2] = {{1, 1}, {2, 200}};
	struct cdcp_tlv r = tlv(true, 2, 2, good);

	cdcp_init(&c, &BRIDGE);
	cdcp_negotiate(&c, &r, NULL, NULL);
	r = tlv(true, 6, 7, bad);
	assert_true(cdcp_negotiate(&c, &r, record, &l));
	assert_chans(&c, 3, want);
	assert_int_equal(c.stats.rx_dup, 1);
	assert_int_equal(c.stats.rx_bad, 3);
	assert_int_equal(c.stats.rx_cap, 1);
	assert_int_equal(count_kind(&l, CDCP_EV_DROPPED), 4); /* one per reason */
	/* a TLV in role B at a bridge: counted, ignored, channels kept */
	r = tlv(false, 4, 2, bridge);
	l.n = 0;
	assert_false(cdcp_negotiate(&c, &r, record, &l));
	assert_int_equal(c.stats.rx_role, 1);
	assert_int_equal(count_kind(&l, CDCP_EV_ROLE), 1);
	assert_chans(&c, 3, want);
}

static void station_asks_and_takes(void **state)
{
	(void)state;
	struct cdcp c;
	struct evlog l = {0};
	struct cdcp_tlv out;
	const uint16_t grant[][2] = {{1, 1}, {2, 100}};
	const uint16_t want[][2] = {{1, 1}, {2, 100}};

	cdcp_init(&c, &STATION);
	cdcp_local_tlv(&c, &out);
	assert_true(out.role_s);
	assert_int_equal(out.chncap, 3);
	assert_int_equal(out.npairs, 3);
	assert_int_equal(out.pairs[0].svid, 1);
	assert_int_equal(out.pairs[1].scid, 2);
	assert_int_equal(out.pairs[1].svid, 0);
	struct cdcp_tlv r = tlv(false, 4, 2, grant);
	assert_true(cdcp_negotiate(&c, &r, record, &l));
	assert_chans(&c, 2, want);
	assert_int_equal(count_kind(&l, CDCP_EV_UP), 1);
	assert_int_equal(c.stats.refused, 0);
	cdcp_local_tlv(&c, &out);
	assert_int_equal(out.pairs[1].svid, 100);
	assert_int_equal(out.pairs[2].svid, 0);
	/* asked for one more: the granted channel stays, the bridge's TLV is
	 * looked at again */
	struct cdcp_conf more = STATION;
	more.channels = 3;
	l.n = 0;
	cdcp_configure(&c, &more, record, &l);
	assert_int_equal(l.n, 0);
	assert_chans(&c, 2, want);
	cdcp_local_tlv(&c, &out);
	assert_int_equal(out.npairs, 4);
	assert_false(cdcp_negotiate(&c, &r, record, &l));
	assert_int_equal(c.stats.rx_tlvs, 2);
	/* asked for none: SCID 2 goes */
	more.channels = 0;
	cdcp_configure(&c, &more, record, &l);
	assert_int_equal(count_kind(&l, CDCP_EV_DOWN), 1);
	assert_int_equal(c.nchan, 1);
	cdcp_configure(&c, &STATION, NULL, NULL);
	assert_true(cdcp_negotiate(&c, &r, NULL, NULL));
	/* the bridge leaves: back to the default channel */
	l.n = 0;
	assert_true(cdcp_negotiate(&c, NULL, record, &l));
	assert_int_equal(c.nchan, 1);
	assert_int_equal(count_kind(&l, CDCP_EV_DOWN), 1);
	assert_false(c.peer);
	assert_false(cdcp_negotiate(&c, NULL, record, &l));
}

static void station_hostile(void **state)
{
	(void)state;
	struct cdcp c;
	struct evlog l = {0};
	/* SCID 9 not asked, SCID 2 twice, SVID 100 twice, SVID 4095, past ChnCap */
	const uint16_t bad[][2] = {{1, 1},   {2, 100},	{9, 300}, {2, 101},
				   {3, 100}, {3, 4095}, {3, 102}};
	const uint16_t want[][2] = {{1, 1}, {2, 100}};
	const uint16_t same[][2] = {{1, 0}, {2, 0}};
	struct cdcp_tlv r = tlv(false, 6, 7, bad);

	cdcp_init(&c, &STATION);
	assert_true(cdcp_negotiate(&c, &r, record, &l));
	assert_chans(&c, 2, want);
	assert_int_equal(c.stats.rx_bad, 2);
	assert_int_equal(c.stats.rx_dup, 2);
	assert_int_equal(c.stats.rx_cap, 1);
	/* another station: counted, ignored */
	r = tlv(true, 2, 2, same);
	assert_false(cdcp_negotiate(&c, &r, NULL, NULL));
	assert_int_equal(c.stats.rx_role, 1);
	assert_chans(&c, 2, want);
	/* SCID 1 with another SVID, SVID 1 with another SCID: dropped; the
	 * default channel stays, SCID 3 is taken */
	const uint16_t dflt[][2] = {{1, 5}, {2, 1}, {3, 7}};
	const uint16_t want3[][2] = {{1, 1}, {3, 7}};
	r = tlv(false, 3, 3, dflt);
	assert_true(cdcp_negotiate(&c, &r, NULL, NULL));
	assert_int_equal(c.stats.rx_bad, 4);
	assert_chans(&c, 2, want3);
}

/* A station and a bridge hand each other their TLVs until nothing changes. */
static void converge(struct cdcp *st, struct cdcp *br)
{
	struct cdcp_tlv t;
	bool changed = true;

	for (unsigned round = 0; changed; round++) {
		assert_true(round < 5);
		cdcp_local_tlv(st, &t);
		changed = cdcp_negotiate(br, &t, NULL, NULL);
		cdcp_local_tlv(br, &t);
		changed |= cdcp_negotiate(st, &t, NULL, NULL);
	}
}

static void both_sides_agree(void **state)
{
	(void)state;
	struct cdcp_conf bc = BRIDGE;
	struct cdcp st, br;

	bc.pool_high = 100; /* room for one of the two asked */
	cdcp_init(&st, &STATION);
	cdcp_init(&br, &bc);
	converge(&st, &br);
	assert_int_equal(st.nchan, 2);
	assert_int_equal(br.nchan, 2);
	assert_memory_equal(st.chan, br.chan, 2 * sizeof(st.chan[0]));
	assert_int_equal(br.stats.refused, 1);
	/* link down and up: both forget, then agree on the same pairs again */
	struct cdcp_chan before[2];
	memcpy(before, st.chan, sizeof(before));
	cdcp_negotiate(&st, NULL, NULL, NULL);
	cdcp_negotiate(&br, NULL, NULL, NULL);
	assert_int_equal(br.nchan, 1);
	converge(&st, &br);
	assert_memory_equal(st.chan, before, sizeof(before));
	assert_memory_equal(br.chan, before, sizeof(before));
	assert_int_equal(br.stats.refused, 2); /* refused again after the flap */
}

static void configure_and_disabled(void **state)
{
	(void)state;
	struct cdcp_conf off = {0}, bc = BRIDGE;
	struct cdcp c;
	struct evlog l = {0};
	const uint16_t ask[][2] = {{1, 0}, {2, 0}};
	struct cdcp_tlv r = tlv(true, 2, 2, ask);

	cdcp_init(&c, &off);
	assert_int_equal(c.nchan, 0);
	assert_false(cdcp_negotiate(&c, &r, NULL, NULL));
	cdcp_init(&c, &bc);
	cdcp_negotiate(&c, &r, NULL, NULL);
	assert_int_equal(cdcp_svid_of(&c, 2), 100);
	/* the same settings: nothing happens */
	cdcp_configure(&c, &bc, record, &l);
	assert_int_equal(l.n, 0);
	/* a new pool: every channel but the default goes, renegotiated afresh */
	bc.pool_low = 200;
	bc.pool_high = 200;
	cdcp_configure(&c, &bc, record, &l);
	assert_int_equal(count_kind(&l, CDCP_EV_DOWN), 1);
	assert_int_equal(c.nchan, 1);
	assert_true(cdcp_negotiate(&c, &r, NULL, NULL));
	assert_int_equal(cdcp_svid_of(&c, 2), 200);
	/* CDCP turned off: the default channel goes too */
	cdcp_configure(&c, &off, NULL, NULL);
	assert_int_equal(c.nchan, 0);
}

/* ---- two CDCP agents on a wire ---- */

#define WIRE_MAX 16

struct wire {
	unsigned n;
	uint8_t frame[WIRE_MAX][1600];
	size_t len[WIRE_MAX];
	struct evlog log;
};

static struct wire wires[2]; /* frames sent by agent 0 (station) and 1 (bridge) */

static void wire_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct wire *w = ctx;
	static const uint8_t nontpmr[6] = MAC_NEAREST_NONTPMR_BRIDGE;
	struct eth_hdr h;
	const uint8_t *pl;
	size_t plen;
	struct lldp_pdu pdu;

	assert_int_equal(eth_parse(frame, len, &h, &pl, &plen), 0);
	assert_memory_equal(h.dst, nontpmr, 6);
	assert_int_equal(lldp_parse(pl, plen, &pdu, NULL), 0);
	assert_true(pdu.has_cdcp || pdu.ttl == 0);
	assert_false(pdu.has_evb || pdu.has_draft_evb);
	assert_true(w->n < WIRE_MAX);
	memcpy(w->frame[w->n], frame, len);
	w->len[w->n++] = len;
}

static void wire_event(void *ctx, struct lldp_agent *a, const struct cdcp_event *ev)
{
	(void)a;
	record(&((struct wire *)ctx)->log, ev);
}

static const struct lldp_agent_ops wire_ops = {.send = wire_send, .cdcp_event = wire_event};

/* Deliver what each agent sent to the other until the wire is quiet. */
static void wire_run(struct lldp_agent *ag, uint64_t now)
{
	for (unsigned round = 0; wires[0].n || wires[1].n; round++) {
		assert_true(round < 8);
		for (unsigned side = 0; side < 2; side++) {
			struct wire w = wires[side];
			struct eth_hdr h;
			const uint8_t *pl;
			size_t plen;

			wires[side].n = 0;
			for (unsigned i = 0; i < w.n; i++) {
				assert_int_equal(eth_parse(w.frame[i], w.len[i], &h, &pl, &plen),
						 0);
				lldp_agent_rx(&ag[!side], h.src, pl, plen, now);
			}
		}
	}
}

static void agents_negotiate(void **state)
{
	(void)state;
	static const uint8_t mac[2][6] = {{2, 0, 0, 0, 0, 1}, {2, 0, 0, 0, 0, 2}};
	struct lldp_agent ag[2];
	struct lldp_agent_conf c = {.kind = LLDP_AGENT_CDCP, .tx_interval = 30, .tx_hold = 4};
	uint64_t now = 1000000;

	memset(wires, 0, sizeof(wires));
	c.cdcp = STATION;
	lldp_agent_init(&ag[0], &c, mac[0], "st0", &wire_ops, &wires[0]);
	c.cdcp = BRIDGE;
	c.cdcp.pool_high = 100;
	lldp_agent_init(&ag[1], &c, mac[1], "br0", &wire_ops, &wires[1]);
	lldp_agent_link(&ag[0], true, now);
	lldp_agent_link(&ag[1], true, now);
	lldp_agent_run(&ag[0], now);
	lldp_agent_run(&ag[1], now);
	wire_run(ag, now);
	assert_int_equal(ag[0].cdcp.nchan, 2);
	assert_memory_equal(ag[0].cdcp.chan, ag[1].cdcp.chan, 2 * sizeof(struct cdcp_chan));
	assert_int_equal(ag[1].cdcp.stats.refused, 1);
	assert_int_equal(count_kind(&wires[1].log, CDCP_EV_REFUSED), 1);
	assert_int_equal(count_kind(&wires[0].log, CDCP_EV_UP), 1);
	/* the agents' regular LLDPDUs change nothing */
	now += 30 * 1000000ULL;
	lldp_agent_run(&ag[0], now);
	lldp_agent_run(&ag[1], now);
	wire_run(ag, now);
	assert_int_equal(ag[1].cdcp.stats.refused, 1);
	/* the station's link goes down: both back to the default channel once
	 * the bridge hears nothing more (its neighbour ages out) */
	lldp_agent_link(&ag[0], false, now);
	assert_int_equal(ag[0].cdcp.nchan, 1);
	now += 121 * 1000000ULL;
	lldp_agent_run(&ag[1], now);
	assert_int_equal(ag[1].cdcp.nchan, 1);
	wires[1].n = 0;
	/* up again: the same pairs */
	lldp_agent_link(&ag[0], true, now);
	lldp_agent_run(&ag[0], now);
	wire_run(ag, now);
	assert_int_equal(ag[0].cdcp.nchan, 2);
	assert_int_equal(ag[0].cdcp.chan[1].svid, 100);
	assert_memory_equal(ag[0].cdcp.chan, ag[1].cdcp.chan, 2 * sizeof(struct cdcp_chan));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(bridge_assigns_from_pool), cmocka_unit_test(bridge_keeps_assignments),
	    cmocka_unit_test(bridge_pool_too_small),	cmocka_unit_test(bridge_capacity),
	    cmocka_unit_test(bridge_hostile),		cmocka_unit_test(station_asks_and_takes),
	    cmocka_unit_test(station_hostile),		cmocka_unit_test(both_sides_agree),
	    cmocka_unit_test(configure_and_disabled),	cmocka_unit_test(agents_negotiate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
