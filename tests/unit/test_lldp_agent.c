/* SPDX-License-Identifier: ISC */
/*
 * test_lldp_agent.c - the LLDP agent (lldp_agent.c) on a fake clock: every
 * frame it sends is parsed back and recorded with its time; the clock jumps
 * to the agent's next wake-up.  Covers the fast transmissions after a change
 * (count and spacing), TTL ageing of the neighbour, the TTL-0 LLDPDU at
 * shutdown, renegotiation when the neighbour's EVB TLV changes, and the
 * events reported through the callbacks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "vdp/eth.h"
#include "vdp/lldp_agent.h"

#define SEC  1000000ULL
#define MAXF 64

static const uint8_t MAC_ST[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t MAC_BR[6] = {0x02, 0, 0, 0, 0, 0x02};
static const uint8_t NEAREST_CUSTOMER_BRIDGE[6] = MAC_NEAREST_CUSTOMER_BRIDGE;

struct sent {
	uint64_t at;
	struct lldp_pdu pdu;
};

struct fx {
	struct lldp_agent a;
	uint64_t now;
	struct sent f[MAXF];
	unsigned nf;
	unsigned negotiated, nbr_changed, aged_out, dropped;
	struct evb_oper was;	  /* last negotiated callback's `was` */
	unsigned events;	  /* sequence of callbacks, for ordering */
	unsigned aged_at, nbr_at; /* sequence numbers of the last aged_out / neighbor_changed */
	uint8_t dropped_src[6];
	unsigned other;
	uint8_t other_src[6];
};

static void on_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct fx *f = ctx;
	struct eth_hdr h;
	const uint8_t *pl;
	size_t plen;

	assert_true(f->nf < MAXF);
	assert_int_equal(eth_parse(frame, len, &h, &pl, &plen), 0);
	assert_memory_equal(h.dst, NEAREST_CUSTOMER_BRIDGE, 6);
	assert_memory_equal(h.src, f->a.mac, 6);
	assert_int_equal(h.ethertype, ETHERTYPE_LLDP);
	assert_int_equal(lldp_parse(pl, plen, &f->f[f->nf].pdu, NULL), 0);
	f->f[f->nf].at = f->now;
	f->nf++;
}

static void on_negotiated(void *ctx, struct lldp_agent *a, const struct evb_oper *was, uint64_t now)
{
	struct fx *f = ctx;

	assert_ptr_equal(a, &f->a);
	assert_int_equal(now, f->now);
	f->was = *was;
	f->negotiated++;
	f->events++;
}

static void on_nbr(void *ctx, struct lldp_agent *a)
{
	struct fx *f = ctx;

	(void)a;
	f->nbr_changed++;
	f->nbr_at = ++f->events;
}

static void on_aged(void *ctx, struct lldp_agent *a)
{
	struct fx *f = ctx;

	assert_true(a->nbr.valid); /* told before it is forgotten */
	f->aged_out++;
	f->aged_at = ++f->events;
}

static void on_dropped(void *ctx, struct lldp_agent *a, const uint8_t src[6],
		       const struct lldp_err *err)
{
	struct fx *f = ctx;

	(void)a;
	assert_non_null(err->what);
	memcpy(f->dropped_src, src, 6);
	f->dropped++;
}

static void on_other(void *ctx, struct lldp_agent *a, const uint8_t src[6])
{
	struct fx *f = ctx;

	(void)a;
	memcpy(f->other_src, src, 6);
	f->other++;
}

static const struct lldp_agent_ops OPS = {
    .send = on_send,
    .negotiated = on_negotiated,
    .neighbor_changed = on_nbr,
    .aged_out = on_aged,
    .rx_dropped = on_dropped,
    .rx_other = on_other,
};

static struct lldp_agent_conf station_conf(void)
{
	struct lldp_agent_conf c = {.tx_interval = 30, .tx_hold = 4};

	evb_local_defaults(&c.evb, EVB_ROLE_STATION);
	return c;
}

static int setup(void **state)
{
	static struct fx fx;
	struct lldp_agent_conf c = station_conf();

	memset(&fx, 0, sizeof(fx));
	fx.now = 1000 * SEC;
	lldp_agent_init(&fx.a, &c, MAC_ST, "eth0", &OPS, &fx);
	*state = &fx;
	return 0;
}

/* Run the agent at every wake-up up to `until` (absolute µs); a wake-up
 * that does not move on fails the test instead of spinning. */
static void run_until(struct fx *f, uint64_t until)
{
	for (unsigned spins = 0;; spins++) {
		uint64_t t = lldp_agent_next_wakeup(&f->a);
		if (!t || t > until)
			break;
		assert_true(spins < 1000);
		assert_true(t >= f->now);
		f->now = t;
		lldp_agent_run(&f->a, f->now);
	}
	f->now = until;
}

/* An LLDPDU from the system at mac (chassis ID and source address) with
 * this EVB TLV (NULL: none) and TTL. */
static void rx_from(struct fx *f, const uint8_t mac[6], const struct evb_tlv *evb, uint16_t ttl)
{
	struct lldp_pdu pdu = {.chassis = {.subtype = LLDP_CHASSIS_MAC, .len = 6},
			       .port = {.subtype = LLDP_PORT_IFNAME, .len = 3, .id = "sw1"},
			       .ttl = ttl};
	uint8_t buf[512];
	int n;

	memcpy(pdu.chassis.id, mac, 6);
	if (evb) {
		pdu.has_evb = true;
		pdu.evb = *evb;
	}
	n = lldp_build(&pdu, buf, sizeof(buf));
	assert_true(n > 0);
	lldp_agent_rx(&f->a, mac, buf, (size_t)n, f->now);
}

/* An LLDPDU from the bridge with this EVB TLV (NULL: none) and TTL. */
static void rx_bridge(struct fx *f, const struct evb_tlv *evb, uint16_t ttl)
{
	rx_from(f, MAC_BR, evb, ttl);
}

static struct evb_tlv bridge_tlv(uint8_t rwd, uint8_t rka)
{
	return (struct evb_tlv){
	    .mode = EVB_MODE_BRIDGE, .rrcap = true, .r = 3, .rte = 8, .rwd = rwd, .rka = rka};
}

/* The transmit times (relative to t0, in ms) of frames [from, nf). */
static void assert_times(const struct fx *f, unsigned from, uint64_t t0, const uint64_t *ms,
			 unsigned n)
{
	assert_int_equal(f->nf - from, n);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(f->f[from + i].at - t0, ms[i] * 1000);
}

/* Link up: one LLDPDU at once, LLDP_AGENT_FAST_TX more 1 s apart, then one
 * per msgTxInterval; each carries chassis, port, TTL = interval * hold and
 * the EVB TLV. */
static void test_fast_tx_after_link_up(void **state)
{
	struct fx *f = *state;
	uint64_t t0 = f->now;
	static const uint64_t want[] = {0, 1000, 2000, 3000, 33000, 63000};

	assert_int_equal(lldp_agent_next_wakeup(&f->a), 0); /* link down: silent */
	lldp_agent_link(&f->a, true, f->now);
	run_until(f, t0 + 63 * SEC + SEC / 2);
	assert_int_equal(LLDP_AGENT_FAST_TX, 3);
	assert_times(f, 0, t0, want, 6);
	assert_int_equal(f->a.stats.tx_frames, 6);
	const struct lldp_pdu *p = &f->f[0].pdu;
	assert_int_equal(p->ttl, 120);
	assert_int_equal(p->chassis.subtype, LLDP_CHASSIS_MAC);
	assert_memory_equal(p->chassis.id, MAC_ST, 6);
	assert_int_equal(p->port.subtype, LLDP_PORT_IFNAME);
	assert_int_equal(p->port.len, 4);
	assert_memory_equal(p->port.id, "eth0", 4);
	assert_true(p->has_evb);
	assert_int_equal(p->evb.mode, EVB_MODE_STATION);
	assert_int_equal(p->evb.rrstat, EVB_RRSTAT_UNKNOWN);
	/* Link down: nothing more is sent. */
	lldp_agent_link(&f->a, false, f->now);
	assert_int_equal(lldp_agent_next_wakeup(&f->a), 0);
	run_until(f, f->now + 100 * SEC);
	assert_int_equal(f->nf, 6);
}

/* TTL = interval * hold, at most 65535 s. */
static void test_ttl_clipped(void **state)
{
	struct fx *f = *state;
	struct lldp_agent_conf c = station_conf();

	c.tx_interval = 3600;
	c.tx_hold = 100;
	lldp_agent_configure(&f->a, &c, f->now);
	lldp_agent_link(&f->a, true, f->now);
	lldp_agent_run(&f->a, f->now);
	assert_int_equal(f->nf, 1);
	assert_int_equal(f->f[0].pdu.ttl, 65535);
}

/* The neighbour's EVB TLV changes: the operating values follow, the new
 * TLV is advertised at once and fast; the same TLV again changes nothing. */
static void test_renegotiation(void **state)
{
	struct fx *f = *state;
	struct evb_tlv b1 = bridge_tlv(21, 22), b2 = bridge_tlv(21, 21);
	static const uint64_t fast[] = {0, 1000, 2000, 3000};

	lldp_agent_link(&f->a, true, f->now);
	run_until(f, f->now + 10 * SEC); /* the link-up burst is over */
	unsigned base = f->nf, neg = f->negotiated;
	uint64_t t1 = f->now;

	rx_bridge(f, &b1, 120);
	assert_true(f->a.nbr.valid);
	assert_int_equal(f->nbr_changed, 1);
	assert_int_equal(f->negotiated, neg + 1);
	assert_false(f->was.valid);
	assert_true(f->a.oper.valid);
	assert_int_equal(f->a.oper.rwd, 21);
	assert_int_equal(f->a.oper.rka, 22);
	run_until(f, t1 + 3 * SEC + SEC / 2);
	assert_times(f, base, t1, fast, 4);
	assert_int_equal(f->f[base].pdu.evb.rka, 20); /* our own value, never the adopted one */
	assert_false(f->f[base].pdu.evb.rol_rka);
	assert_int_equal(f->f[base].pdu.evb.rrstat, EVB_RRSTAT_OFF);

	/* A refresh: same TLV, no change, no extra frame. */
	base = f->nf;
	rx_bridge(f, &b1, 120);
	assert_int_equal(f->nbr_changed, 1);
	assert_int_equal(f->nf, base);

	/* The bridge changes RKA: renegotiate, advertise at once, fast again. */
	run_until(f, f->now + 5 * SEC);
	base = f->nf;
	uint64_t t2 = f->now;
	rx_bridge(f, &b2, 120);
	assert_int_equal(f->nbr_changed, 2);
	assert_true(f->was.valid);
	assert_int_equal(f->was.rka, 22);
	assert_int_equal(f->a.oper.rka, 21); /* the operating values follow the neighbour down */
	run_until(f, t2 + 3 * SEC + SEC / 2);
	assert_times(f, base, t2, fast, 4);
	assert_int_equal(f->f[base].pdu.evb.rka, 20);

	/* Our own settings change (SIGHUP): also advertised at once. */
	struct lldp_agent_conf c = station_conf();
	c.evb.rka = 25;
	base = f->nf;
	lldp_agent_configure(&f->a, &c, f->now);
	assert_int_equal(f->nf, base + 1);
	assert_int_equal(f->a.oper.rka, 25);
	assert_false(f->f[base].pdu.evb.rol_rka);
}

/* A neighbour that goes silent is aged out exactly at its TTL: told through
 * aged_out, then neighbor_changed, then a negotiation that loses EVB. */
static void test_ttl_ageing(void **state)
{
	struct fx *f = *state;
	struct evb_tlv b = bridge_tlv(20, 20);

	lldp_agent_link(&f->a, true, f->now);
	run_until(f, f->now + 10 * SEC);
	uint64_t t = f->now;
	rx_bridge(f, &b, 5);
	assert_true(f->a.oper.valid);
	assert_int_equal(f->a.nbr.expires, t + 5 * SEC);
	assert_int_equal(lldp_agent_next_wakeup(&f->a), t + 1 * SEC); /* fast tx first */
	run_until(f, t + 5 * SEC - 1);
	assert_true(f->a.nbr.valid);
	assert_int_equal(f->aged_out, 0);
	assert_int_equal(lldp_agent_next_wakeup(&f->a), t + 5 * SEC);

	unsigned neg = f->negotiated, base = f->nf;
	run_until(f, t + 5 * SEC);
	assert_int_equal(f->aged_out, 1);
	assert_int_equal(f->a.stats.ageouts, 1);
	assert_false(f->a.nbr.valid);
	assert_int_equal(f->nbr_at, f->aged_at + 1);
	assert_int_equal(f->negotiated, neg + 1);
	assert_true(f->was.valid);
	assert_false(f->a.oper.valid);
	assert_int_equal(f->nf, base + 1); /* losing EVB is advertised at once */
	assert_int_equal(f->f[base].pdu.evb.rrstat, EVB_RRSTAT_UNKNOWN);

	/* A refresh before the TTL keeps the neighbour. */
	rx_bridge(f, &b, 5);
	run_until(f, f->now + 4 * SEC);
	rx_bridge(f, &b, 5);
	run_until(f, f->now + 4 * SEC);
	assert_true(f->a.nbr.valid);
	assert_int_equal(f->aged_out, 1);

	/* TTL 0 (the neighbour shut down): forgotten at once, no age-out. */
	rx_bridge(f, &b, 0);
	assert_false(f->a.nbr.valid);
	assert_false(f->a.oper.valid);
	assert_int_equal(f->aged_out, 1);
}

/* Shutdown: one LLDPDU with TTL 0 and no EVB TLV, then silence until the
 * link comes up again. */
static void test_shutdown_ttl0(void **state)
{
	struct fx *f = *state;

	lldp_agent_shutdown(&f->a); /* link down: nothing can go out */
	assert_int_equal(f->nf, 0);
	lldp_agent_link(&f->a, true, f->now);
	run_until(f, f->now + 40 * SEC);
	unsigned base = f->nf;
	assert_true(base >= 5);

	lldp_agent_shutdown(&f->a);
	assert_int_equal(f->nf, base + 1);
	const struct lldp_pdu *p = &f->f[base].pdu;
	assert_int_equal(p->ttl, 0);
	assert_false(p->has_evb);
	assert_memory_equal(p->chassis.id, MAC_ST, 6);
	assert_memory_equal(p->port.id, "eth0", 4);
	assert_int_equal(f->a.stats.tx_frames, base + 1);

	lldp_agent_shutdown(&f->a); /* once */
	assert_int_equal(lldp_agent_next_wakeup(&f->a), 0);
	run_until(f, f->now + 100 * SEC);
	rx_bridge(f, NULL, 120); /* no change to advertise, nothing sent anyway */
	assert_int_equal(f->nf, base + 1);

	lldp_agent_link(&f->a, false, f->now);
	lldp_agent_link(&f->a, true, f->now);
	lldp_agent_run(&f->a, f->now);
	assert_int_equal(f->nf, base + 2);
	assert_int_equal(f->f[base + 1].pdu.ttl, 120);
}

static void assert_oper(const struct evb_oper *o, uint8_t r, uint8_t rte, uint8_t rwd, uint8_t rka)
{
	assert_int_equal(o->r, r);
	assert_int_equal(o->rte, rte);
	assert_int_equal(o->rwd, rwd);
	assert_int_equal(o->rka, rka);
}

/* The forged TLV of issue 12 (R 7, RTE 31, RWD 31, RKA 31) from the
 * neighbour's own identity: clamped to the bounds and counted, never
 * advertised; the real TLV brings the operating values back at once. */
static void test_forged_tlv_clamped(void **state)
{
	struct fx *f = *state;
	struct evb_tlv real = bridge_tlv(20, 20), forged = bridge_tlv(31, 31);

	forged.r = 7;
	forged.rte = 31;
	lldp_agent_link(&f->a, true, f->now);
	rx_bridge(f, &real, 120);
	assert_oper(&f->a.oper, 3, 8, 20, 20);
	assert_int_equal(f->a.stats.rx_clamped, 0);

	unsigned base = f->nf;
	rx_bridge(f, &forged, 120);
	assert_oper(&f->a.oper, EVB_DEFAULT_MAX_R, EVB_DEFAULT_MAX_RTE, EVB_DEFAULT_MAX_RWD,
		    EVB_DEFAULT_MAX_RKA);
	assert_int_equal(f->a.oper.clamped, EVB_CLAMPED_RTE | EVB_CLAMPED_RWD | EVB_CLAMPED_RKA);
	assert_int_equal(f->a.stats.rx_clamped, 1);
	assert_true(evb_tout_keepalive_us(&f->a.oper) < 120 * SEC);
	assert_true(evb_resp_wait_us(&f->a.oper) < 120 * SEC);
	/* what the neighbour hears is still our own values: nothing to echo back */
	assert_true(f->nf > base);
	assert_int_equal(f->f[f->nf - 1].pdu.evb.rte, 8);
	assert_int_equal(f->f[f->nf - 1].pdu.evb.rka, 20);

	/* a bound raised by the administrator lets a genuine larger value in */
	struct lldp_agent_conf c = station_conf();
	c.evb.max_rka = 31;
	lldp_agent_configure(&f->a, &c, f->now);
	assert_int_equal(f->a.oper.rka, 31);
	assert_int_equal(f->a.oper.clamped, EVB_CLAMPED_RTE | EVB_CLAMPED_RWD);
	c.evb.max_rka = EVB_DEFAULT_MAX_RKA;
	lldp_agent_configure(&f->a, &c, f->now);

	rx_bridge(f, &real, 120);
	assert_oper(&f->a.oper, 3, 8, 20, 20);
	assert_int_equal(f->a.oper.clamped, 0);
	assert_int_equal(f->a.stats.rx_clamped, 1);
}

/* An LLDPDU from a second system on the point-to-point port is counted and
 * ignored, its TTL 0 too; the first neighbour stays until it leaves, then the
 * other may take its place (clamped like any). */
static void test_second_neighbour_ignored(void **state)
{
	struct fx *f = *state;
	static const uint8_t ROGUE[6] = {0x02, 0, 0, 0, 0, 0x66};
	struct evb_tlv real = bridge_tlv(20, 20), forged = bridge_tlv(31, 31);

	forged.r = 7;
	forged.rte = 31;
	lldp_agent_link(&f->a, true, f->now);
	rx_bridge(f, &real, 120);
	unsigned changed = f->nbr_changed;

	rx_from(f, ROGUE, &forged, 120);
	assert_int_equal(f->a.stats.rx_other_nbr, 1);
	assert_int_equal(f->other, 1);
	assert_memory_equal(f->other_src, ROGUE, 6);
	assert_memory_equal(f->a.nbr.mac, MAC_BR, 6);
	assert_int_equal(f->nbr_changed, changed);
	assert_oper(&f->a.oper, 3, 8, 20, 20);
	assert_int_equal(f->a.stats.rx_clamped, 0);

	/* the same chassis ID from another source address is another system too */
	struct lldp_pdu pdu = {.chassis = {.subtype = LLDP_CHASSIS_MAC, .len = 6},
			       .port = {.subtype = LLDP_PORT_IFNAME, .len = 3, .id = "sw1"},
			       .ttl = 0};
	uint8_t buf[128];
	memcpy(pdu.chassis.id, MAC_BR, 6);
	int n = lldp_build(&pdu, buf, sizeof(buf));
	assert_true(n > 0);
	lldp_agent_rx(&f->a, ROGUE, buf, (size_t)n, f->now); /* a forged TTL 0 */
	assert_int_equal(f->a.stats.rx_other_nbr, 2);
	assert_true(f->a.nbr.valid);

	rx_bridge(f, NULL, 0); /* the real neighbour leaves */
	assert_false(f->a.nbr.valid);
	rx_from(f, ROGUE, &forged, 120);
	assert_memory_equal(f->a.nbr.mac, ROGUE, 6);
	assert_oper(&f->a.oper, EVB_DEFAULT_MAX_R, EVB_DEFAULT_MAX_RTE, EVB_DEFAULT_MAX_RWD,
		    EVB_DEFAULT_MAX_RKA);
}

/* Issue 12: a rogue that speaks first with TTL 65535 is kept for max_ttl
 * seconds only (counted), after which the real neighbour takes the port;
 * a TTL within the bound is kept as sent. */
static void test_long_ttl_cut(void **state)
{
	struct fx *f = *state;
	static const uint8_t ROGUE[6] = {0x02, 0, 0, 0, 0, 0x66};
	struct lldp_agent_conf c = station_conf();
	struct evb_tlv b = bridge_tlv(20, 20);

	c.max_ttl = 120;
	lldp_agent_configure(&f->a, &c, f->now);
	lldp_agent_link(&f->a, true, f->now);
	uint64_t t = f->now;
	rx_from(f, ROGUE, &b, LLDP_AGENT_TTL_MAX);
	assert_memory_equal(f->a.nbr.mac, ROGUE, 6);
	assert_int_equal(f->a.nbr.ttl, 120);
	assert_int_equal(f->a.nbr.expires, t + 120 * SEC);
	assert_int_equal(f->a.stats.rx_ttl_clamped, 1);
	run_until(f, t + 119 * SEC);
	rx_bridge(f, &b, 120); /* a second neighbour while the rogue holds the port */
	assert_int_equal(f->a.stats.rx_other_nbr, 1);
	run_until(f, t + 120 * SEC);
	assert_false(f->a.nbr.valid);
	rx_bridge(f, &b, 120);
	assert_memory_equal(f->a.nbr.mac, MAC_BR, 6);
	assert_int_equal(f->a.nbr.expires, f->now + 120 * SEC);
	assert_int_equal(f->a.stats.rx_ttl_clamped, 1);
}

/* A malformed LLDPDU is counted and reported with its source; the
 * neighbour and the negotiation stay as they were. */
static void test_malformed_dropped(void **state)
{
	struct fx *f = *state;
	struct evb_tlv b = bridge_tlv(20, 20);
	static const uint8_t bad[] = {0x02, 0x07, 0x04}; /* chassis TLV runs past the end */

	lldp_agent_link(&f->a, true, f->now);
	rx_bridge(f, &b, 120);
	unsigned neg = f->negotiated;
	lldp_agent_rx(&f->a, MAC_BR, bad, sizeof(bad), f->now);
	assert_int_equal(f->a.stats.rx_bad, 1);
	assert_int_equal(f->a.stats.rx_frames, 1);
	assert_int_equal(f->dropped, 1);
	assert_memory_equal(f->dropped_src, MAC_BR, 6);
	assert_int_equal(f->negotiated, neg);
	assert_true(f->a.nbr.valid);
	assert_true(f->a.oper.valid);
}

/* Link down forgets the neighbour and loses EVB. */
static void test_link_down_forgets(void **state)
{
	struct fx *f = *state;
	struct evb_tlv b = bridge_tlv(20, 20);

	lldp_agent_link(&f->a, true, f->now);
	rx_bridge(f, &b, 120);
	assert_true(f->a.oper.valid);
	unsigned changed = f->nbr_changed;
	lldp_agent_link(&f->a, false, f->now);
	assert_false(f->a.nbr.valid);
	assert_false(f->a.oper.valid);
	assert_int_equal(f->nbr_changed, changed + 1);
	assert_true(f->was.valid);
	lldp_agent_link(&f->a, false, f->now); /* the interface went away too */
	assert_int_equal(f->nbr_changed, changed + 1);
}

/* lldp_agent_tlvs: the LLDPDU the agent sends, and the neighbour's as
 * kept (nothing without one). */
static void test_tlvs(void **state)
{
	struct fx *f = *state;
	struct evb_tlv b = bridge_tlv(20, 21);
	uint8_t buf[512];
	struct lldp_pdu pdu;

	assert_int_equal(lldp_agent_tlvs(&f->a, true, buf, sizeof(buf)), 0);
	lldp_agent_link(&f->a, true, f->now);
	rx_bridge(f, &b, 120);
	int n = lldp_agent_tlvs(&f->a, false, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(lldp_parse(buf, (size_t)n, &pdu, NULL), 0);
	assert_memory_equal(pdu.chassis.id, MAC_ST, 6);
	assert_int_equal(pdu.ttl, 120);
	assert_true(pdu.has_evb);
	assert_int_equal(pdu.evb.mode, EVB_MODE_STATION);
	n = lldp_agent_tlvs(&f->a, true, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(lldp_parse(buf, (size_t)n, &pdu, NULL), 0);
	assert_memory_equal(pdu.chassis.id, MAC_BR, 6);
	assert_memory_equal(pdu.port.id, "sw1", 3);
	assert_true(pdu.has_evb);
	assert_int_equal(pdu.evb.mode, EVB_MODE_BRIDGE);
	assert_int_equal(pdu.evb.rka, 21);
	assert_int_equal(lldp_agent_tlvs(&f->a, true, buf, 10), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_fast_tx_after_link_up, setup),
	    cmocka_unit_test_setup(test_ttl_clipped, setup),
	    cmocka_unit_test_setup(test_renegotiation, setup),
	    cmocka_unit_test_setup(test_ttl_ageing, setup),
	    cmocka_unit_test_setup(test_long_ttl_cut, setup),
	    cmocka_unit_test_setup(test_shutdown_ttl0, setup),
	    cmocka_unit_test_setup(test_forged_tlv_clamped, setup),
	    cmocka_unit_test_setup(test_second_neighbour_ignored, setup),
	    cmocka_unit_test_setup(test_malformed_dropped, setup),
	    cmocka_unit_test_setup(test_link_down_forgets, setup),
	    cmocka_unit_test_setup(test_tlvs, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
