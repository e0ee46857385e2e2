/* SPDX-License-Identifier: ISC */
/*
 * test_lldp.c - unit tests of the LLDP codecs: the EVB TLV (evb_tlv.c), the
 * CDCP TLV (cdcp_tlv.c) and LLDPDU parse/build (lldp.c), against the byte
 * vectors of docs/protocol.md ("EVB TLV", "CDCP TLV", "A captured lldpad exchange").
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "vdp/cdcp_tlv.h"
#include "vdp/evb_tlv.h"
#include "vdp/lldp.h"
#include "vdp/proto.h"

/* "EVB TLV" example: station, RRREQ=1, RRSTAT=3, R=3, RTE=8, RWD=20, RKA=20 */
static const uint8_t evb_ref[] = {0xfe, 0x09, 0x00, 0x80, 0xc2, 0x0d, 0x00, 0x07, 0x68, 0x94, 0x14};
/* lldpad capture: station TLV echoing bridge status 0x03, ROL=1 twice */
static const uint8_t evb_cap[] = {0xfe, 0x09, 0x00, 0x80, 0xc2, 0x0d, 0x03, 0x05, 0x6e, 0xb4, 0x34};
/* "CDCP TLV" example: S role, ChnCap 2, pairs (1,1), (2,100) */
static const uint8_t cdcp_ref[] = {0xfe, 0x0e, 0x00, 0x80, 0xc2, 0x0e, 0x80, 0x00,
				   0x00, 0x02, 0x00, 0x10, 0x01, 0x00, 0x20, 0x64};

static const struct evb_tlv evb_ref_tlv = {
    .rrreq = true,
    .rrstat = 3,
    .r = 3,
    .rte = 8,
    .mode = EVB_MODE_STATION,
    .rwd = 20,
    .rka = 20,
};

static const struct evb_tlv evb_cap_tlv = {
    .rrcap = true,
    .rrctr = true,
    .rrreq = true,
    .rrstat = 1,
    .r = 3,
    .rte = 14,
    .mode = EVB_MODE_STATION,
    .rol_rwd = true,
    .rwd = 20,
    .rol_rka = true,
    .rka = 20,
};

static void assert_evb_equal(const struct evb_tlv *a, const struct evb_tlv *b)
{
	assert_int_equal(a->bgid, b->bgid);
	assert_int_equal(a->rrcap, b->rrcap);
	assert_int_equal(a->rrctr, b->rrctr);
	assert_int_equal(a->sgid, b->sgid);
	assert_int_equal(a->rrreq, b->rrreq);
	assert_int_equal(a->rrstat, b->rrstat);
	assert_int_equal(a->r, b->r);
	assert_int_equal(a->rte, b->rte);
	assert_int_equal(a->mode, b->mode);
	assert_int_equal(a->rol_rwd, b->rol_rwd);
	assert_int_equal(a->rwd, b->rwd);
	assert_int_equal(a->rol_rka, b->rol_rka);
	assert_int_equal(a->rka, b->rka);
	assert_int_equal(a->reserved_bits, b->reserved_bits);
}

/* ---- EVB TLV ---- */

static void evb_encode_ref_vector(void **state)
{
	(void)state;
	uint8_t out[32];

	assert_int_equal(evb_tlv_encode(&evb_ref_tlv, out, sizeof(out)), 11);
	assert_memory_equal(out, evb_ref, sizeof(evb_ref));
	assert_int_equal(evb_tlv_encode(&evb_cap_tlv, out, sizeof(out)), 11);
	assert_memory_equal(out, evb_cap, sizeof(evb_cap));
}

static void evb_decode_ref_vector(void **state)
{
	(void)state;
	struct evb_tlv t;

	assert_int_equal(evb_tlv_decode(evb_ref + 2, 9, &t), 0);
	assert_evb_equal(&t, &evb_ref_tlv);
	assert_int_equal(evb_tlv_decode(evb_cap + 2, 9, &t), 0);
	assert_evb_equal(&t, &evb_cap_tlv);
}

static void evb_every_bit(void **state)
{
	(void)state;
	struct evb_tlv all = {
	    .bgid = true,
	    .rrcap = true,
	    .rrctr = true,
	    .sgid = true,
	    .rrreq = true,
	    .rrstat = 3,
	    .r = 7,
	    .rte = 31,
	    .mode = EVB_MODE_BRIDGE,
	    .rol_rwd = true,
	    .rwd = 31,
	    .rol_rka = true,
	    .rka = 31,
	};
	const uint8_t want[] = {0xfe, 0x09, 0x00, 0x80, 0xc2, 0x0d, 0x07, 0x0f, 0xff, 0x7f, 0x3f};
	uint8_t out[11];
	struct evb_tlv back;

	assert_int_equal(evb_tlv_encode(&all, out, sizeof(out)), 11);
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(evb_tlv_decode(out + 2, 9, &back), 0);
	assert_evb_equal(&back, &all);

	struct evb_tlv none = {0};
	const uint8_t zero[] = {0xfe, 0x09, 0x00, 0x80, 0xc2, 0x0d, 0, 0, 0, 0, 0};

	assert_int_equal(evb_tlv_encode(&none, out, sizeof(out)), 11);
	assert_memory_equal(out, zero, sizeof(zero));
}

static void evb_single_fields(void **state)
{
	(void)state;
	/* each field alone, to catch a swapped mask */
	static const struct {
		struct evb_tlv t;
		uint8_t v[5];
	} cases[] = {
	    {{.bgid = true}, {0x04, 0, 0, 0, 0}},
	    {{.rrcap = true}, {0x02, 0, 0, 0, 0}},
	    {{.rrctr = true}, {0x01, 0, 0, 0, 0}},
	    {{.sgid = true}, {0, 0x08, 0, 0, 0}},
	    {{.rrreq = true}, {0, 0x04, 0, 0, 0}},
	    {{.rrstat = 2}, {0, 0x02, 0, 0, 0}},
	    {{.r = 1}, {0, 0, 0x20, 0, 0}},
	    {{.rte = 1}, {0, 0, 0x01, 0, 0}},
	    {{.mode = EVB_MODE_BRIDGE}, {0, 0, 0, 0x40, 0}},
	    {{.mode = EVB_MODE_STATION}, {0, 0, 0, 0x80, 0}},
	    {{.rol_rwd = true}, {0, 0, 0, 0x20, 0}},
	    {{.rwd = 1}, {0, 0, 0, 0x01, 0}},
	    {{.rol_rka = true}, {0, 0, 0, 0, 0x20}},
	    {{.rka = 1}, {0, 0, 0, 0, 0x01}},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t out[11];
		struct evb_tlv back;

		assert_int_equal(evb_tlv_encode(&cases[i].t, out, sizeof(out)), 11);
		assert_memory_equal(out + 6, cases[i].v, 5);
		assert_int_equal(evb_tlv_decode(out + 2, 9, &back), 0);
		assert_evb_equal(&back, &cases[i].t);
	}
}

static void evb_reserved_bits_recorded(void **state)
{
	(void)state;
	uint8_t v[9] = {0x00, 0x80, 0xc2, 0x0d, 0xf8, 0xf0, 0x00, 0x80, 0xc0};
	struct evb_tlv t;

	assert_int_equal(evb_tlv_decode(v, 9, &t), 0);
	assert_int_equal(t.reserved_bits,
			 EVB_RSV_SEEN_BRIDGE | EVB_RSV_SEEN_STATION | EVB_RSV_SEEN_RKA);
	assert_false(t.bgid || t.rrcap || t.rrctr || t.sgid || t.rrreq);
	assert_int_equal(t.rrstat, 0);
	assert_int_equal(t.rka, 0);
	assert_false(t.rol_rka);

	v[4] = 0x08; /* lowest reserved bit of each octet, one at a time */
	v[5] = 0;
	v[8] = 0;
	assert_int_equal(evb_tlv_decode(v, 9, &t), 0);
	assert_int_equal(t.reserved_bits, EVB_RSV_SEEN_BRIDGE);
	v[4] = 0;
	v[5] = 0x10;
	assert_int_equal(evb_tlv_decode(v, 9, &t), 0);
	assert_int_equal(t.reserved_bits, EVB_RSV_SEEN_STATION);
	v[5] = 0;
	v[8] = 0x40;
	assert_int_equal(evb_tlv_decode(v, 9, &t), 0);
	assert_int_equal(t.reserved_bits, EVB_RSV_SEEN_RKA);
}

static void evb_decode_errors(void **state)
{
	(void)state;
	uint8_t v[10];
	struct evb_tlv t = {.r = 5};

	memcpy(v, evb_ref + 2, 9);
	v[9] = 0;
	assert_int_equal(evb_tlv_decode(v, 8, &t), -EINVAL);
	assert_int_equal(evb_tlv_decode(v, 10, &t), -EINVAL);
	assert_int_equal(evb_tlv_decode(v, 0, &t), -EINVAL);
	v[0] = 0x01; /* OUI */
	assert_int_equal(evb_tlv_decode(v, 9, &t), -EINVAL);
	v[0] = 0x00;
	v[3] = 0x0e; /* subtype */
	assert_int_equal(evb_tlv_decode(v, 9, &t), -EINVAL);
	v[3] = 0x0d;
	v[7] = 0xc0 | 20; /* mode 3 */
	assert_int_equal(evb_tlv_decode(v, 9, &t), -ERANGE);
	assert_int_equal(t.r, 5); /* untouched on error */
}

static void evb_encode_errors(void **state)
{
	(void)state;
	uint8_t out[11];
	struct evb_tlv t;

	for (size_t cap = 0; cap < 11; cap++)
		assert_int_equal(evb_tlv_encode(&evb_ref_tlv, out, cap), -ENOSPC);
	static const struct evb_tlv bad[] = {
	    {.r = 8}, {.rte = 32}, {.rwd = 32}, {.rka = 32}, {.rrstat = 4}, {.mode = 3},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(evb_tlv_encode(&bad[i], out, sizeof(out)), -EINVAL);
	t = evb_ref_tlv;
	t.reserved_bits = 0xff; /* never transmitted */
	assert_int_equal(evb_tlv_encode(&t, out, sizeof(out)), 11);
	assert_memory_equal(out, evb_ref, sizeof(evb_ref));
}

/* ---- CDCP TLV ---- */

static void cdcp_ref_vector(void **state)
{
	(void)state;
	struct cdcp_tlv t = {.role_s = true, .chncap = 2, .npairs = 2};
	struct cdcp_tlv back;
	uint8_t out[64];

	t.pairs[0] = (struct cdcp_pair){1, 1};
	t.pairs[1] = (struct cdcp_pair){2, 100};
	assert_int_equal(cdcp_tlv_encode(&t, out, sizeof(out)), 16);
	assert_memory_equal(out, cdcp_ref, sizeof(cdcp_ref));
	assert_int_equal(cdcp_tlv_decode(cdcp_ref + 2, 14, &back), 0);
	assert_true(back.role_s);
	assert_false(back.scomp);
	assert_int_equal(back.chncap, 2);
	assert_int_equal(back.npairs, 2);
	assert_int_equal(back.pairs[0].scid, 1);
	assert_int_equal(back.pairs[0].svid, 1);
	assert_int_equal(back.pairs[1].scid, 2);
	assert_int_equal(back.pairs[1].svid, 100);
}

static void cdcp_fields(void **state)
{
	(void)state;
	struct cdcp_tlv t = {.scomp = true, .chncap = 0xfff, .npairs = 1};
	const uint8_t want[] = {0xfe, 0x0b, 0x00, 0x80, 0xc2, 0x0e, 0x08,
				0x00, 0x0f, 0xff, 0xab, 0xcd, 0xef};
	struct cdcp_tlv back;
	uint8_t out[16];

	t.pairs[0] = (struct cdcp_pair){0xabc, 0xdef};
	assert_int_equal(cdcp_tlv_encode(&t, out, sizeof(out)), 13);
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(cdcp_tlv_decode(want + 2, 11, &back), 0);
	assert_false(back.role_s);
	assert_true(back.scomp);
	assert_int_equal(back.chncap, 0xfff);
	assert_int_equal(back.pairs[0].scid, 0xabc);
	assert_int_equal(back.pairs[0].svid, 0xdef);

	/* reserved bits are ignored on receive */
	const uint8_t rsv[] = {0x00, 0x80, 0xc2, 0x0e, 0x77, 0xff, 0xf0, 0x05};

	assert_int_equal(cdcp_tlv_decode(rsv, sizeof(rsv), &back), 0);
	assert_false(back.role_s);
	assert_false(back.scomp);
	assert_int_equal(back.chncap, 5);
	assert_int_equal(back.npairs, 0);
}

static void cdcp_max_pairs(void **state)
{
	(void)state;
	static struct cdcp_tlv t, back;
	static uint8_t out[2 + 8 + 3 * 168];

	t.role_s = true;
	t.chncap = CDCP_MAX_PAIRS;
	t.npairs = CDCP_MAX_PAIRS;
	for (uint16_t i = 0; i < CDCP_MAX_PAIRS; i++)
		t.pairs[i] = (struct cdcp_pair){i + 1, (uint16_t)(4094 - i)};
	assert_int_equal(cdcp_tlv_encode(&t, out, sizeof(out)), 2 + 509);
	assert_int_equal(out[0], 0xff); /* type 127, length 509: 0xfe00 | 0x1fd */
	assert_int_equal(out[1], 0xfd);
	assert_int_equal(cdcp_tlv_decode(out + 2, 509, &back), 0);
	assert_int_equal(back.npairs, CDCP_MAX_PAIRS);
	assert_memory_equal(back.pairs, t.pairs, sizeof(t.pairs));

	/* 168 pairs cannot be encoded and are refused on decode */
	memset(out + 2 + 509, 0, 3);
	assert_int_equal(cdcp_tlv_decode(out + 2, 509 + 3, &back), -EINVAL);
	t.npairs = CDCP_MAX_PAIRS + 1;
	assert_int_equal(cdcp_tlv_encode(&t, out, sizeof(out)), -EINVAL);
}

static void cdcp_decode_errors(void **state)
{
	(void)state;
	struct cdcp_tlv t;
	uint8_t v[16];

	memcpy(v, cdcp_ref + 2, 14);
	for (size_t len = 0; len < 14; len++)
		if (len < 8 || (len - 8) % 3)
			assert_int_equal(cdcp_tlv_decode(v, len, &t), -EINVAL);
	assert_int_equal(cdcp_tlv_decode(v, 15, &t), -EINVAL);
	v[2] = 0xc3; /* OUI */
	assert_int_equal(cdcp_tlv_decode(v, 14, &t), -EINVAL);
	v[2] = 0xc2;
	v[3] = 0x0d; /* subtype */
	assert_int_equal(cdcp_tlv_decode(v, 14, &t), -EINVAL);
}

static void cdcp_encode_errors(void **state)
{
	(void)state;
	struct cdcp_tlv t = {.chncap = 2, .npairs = 2};
	uint8_t out[16];

	t.pairs[0] = (struct cdcp_pair){1, 1};
	t.pairs[1] = (struct cdcp_pair){2, 100};
	for (size_t cap = 0; cap < 16; cap++)
		assert_int_equal(cdcp_tlv_encode(&t, out, cap), -ENOSPC);
	t.pairs[1].scid = 0x1000;
	assert_int_equal(cdcp_tlv_encode(&t, out, sizeof(out)), -EINVAL);
	t.pairs[1].scid = 2;
	t.pairs[1].svid = 0x1000;
	assert_int_equal(cdcp_tlv_encode(&t, out, sizeof(out)), -EINVAL);
	t.pairs[1].svid = 100;
	t.chncap = 0x1000;
	assert_int_equal(cdcp_tlv_encode(&t, out, sizeof(out)), -EINVAL);
}

/* ---- LLDPDU ---- */

#define CHASSIS 0x02, 0x07, 0x04, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 /* MAC, off 0 */
#define PORT	0x04, 0x04, 0x05, 'v', 's', 't'			     /* ifname, off 9 */
#define TTL	0x06, 0x02, 0x00, 0x78				     /* 120 s, off 15 */
#define EVB_CAP 0xfe, 0x09, 0x00, 0x80, 0xc2, 0x0d, 0x03, 0x05, 0x6e, 0xb4, 0x34
#define END	0x00, 0x00
#define OFF_OPT 19 /* first octet after the mandatory TLVs */

static const uint8_t pdu_station[] = {CHASSIS, PORT, TTL, EVB_CAP, END};

static void fill_station(struct lldp_pdu *p)
{
	static const uint8_t mac[] = {0x02, 0, 0, 0, 0, 0x01};

	memset(p, 0, sizeof(*p));
	p->chassis.subtype = LLDP_CHASSIS_MAC;
	p->chassis.len = 6;
	memcpy(p->chassis.id, mac, 6);
	p->port.subtype = LLDP_PORT_IFNAME;
	p->port.len = 3;
	memcpy(p->port.id, "vst", 3);
	p->ttl = 120;
	p->has_evb = true;
	p->evb = evb_cap_tlv;
}

static void assert_id_equal(const struct lldp_id *a, const struct lldp_id *b)
{
	assert_int_equal(a->subtype, b->subtype);
	assert_int_equal(a->len, b->len);
	assert_memory_equal(a->id, b->id, a->len);
}

static void assert_pdu_equal(const struct lldp_pdu *a, const struct lldp_pdu *b)
{
	assert_id_equal(&a->chassis, &b->chassis);
	assert_id_equal(&a->port, &b->port);
	assert_int_equal(a->ttl, b->ttl);
	assert_int_equal(a->has_evb, b->has_evb);
	if (a->has_evb)
		assert_evb_equal(&a->evb, &b->evb);
	assert_int_equal(a->has_cdcp, b->has_cdcp);
	if (a->has_cdcp) {
		assert_int_equal(a->cdcp.role_s, b->cdcp.role_s);
		assert_int_equal(a->cdcp.scomp, b->cdcp.scomp);
		assert_int_equal(a->cdcp.chncap, b->cdcp.chncap);
		assert_int_equal(a->cdcp.npairs, b->cdcp.npairs);
		assert_memory_equal(a->cdcp.pairs, b->cdcp.pairs,
				    a->cdcp.npairs * sizeof(a->cdcp.pairs[0]));
	}
	assert_int_equal(a->unknown_tlvs, b->unknown_tlvs);
}

static void lldp_parse_station(void **state)
{
	(void)state;
	struct lldp_pdu got, want;
	struct lldp_err err = {0};

	fill_station(&want);
	assert_int_equal(lldp_parse(pdu_station, sizeof(pdu_station), &got, &err), 0);
	assert_pdu_equal(&got, &want);
	assert_null(err.what);
}

static void lldp_build_station(void **state)
{
	(void)state;
	struct lldp_pdu p;
	uint8_t out[64];

	fill_station(&p);
	assert_int_equal(lldp_build(&p, out, sizeof(out)), sizeof(pdu_station));
	assert_memory_equal(out, pdu_station, sizeof(pdu_station));
	for (size_t cap = 0; cap < sizeof(pdu_station); cap++)
		assert_int_equal(lldp_build(&p, out, cap), -ENOSPC);
	assert_int_equal(lldp_build(&p, out, sizeof(pdu_station)), sizeof(pdu_station));
}

static void lldp_build_plain_and_cdcp(void **state)
{
	(void)state;
	static const uint8_t plain[] = {CHASSIS, PORT, TTL, END};
	static const uint8_t both[] = {CHASSIS, PORT, TTL,  EVB_CAP, 0xfe, 0x0e, 0x00,
				       0x80,	0xc2, 0x0e, 0x80,    0x00, 0x00, 0x02,
				       0x00,	0x10, 0x01, 0x00,    0x20, 0x64, END};
	static const uint8_t cdcp_only[] = {CHASSIS, PORT, TTL,	 0xfe, 0x08, 0x00, 0x80,
					    0xc2,    0x0e, 0x00, 0x00, 0x00, 0x00, END};
	struct lldp_pdu p, back;
	uint8_t out[128];

	fill_station(&p);
	p.has_evb = false;
	assert_int_equal(lldp_build(&p, out, sizeof(out)), sizeof(plain));
	assert_memory_equal(out, plain, sizeof(plain));

	p.has_evb = true;
	p.has_cdcp = true;
	p.cdcp = (struct cdcp_tlv){.role_s = true, .chncap = 2, .npairs = 2};
	p.cdcp.pairs[0] = (struct cdcp_pair){1, 1};
	p.cdcp.pairs[1] = (struct cdcp_pair){2, 100};
	assert_int_equal(lldp_build(&p, out, sizeof(out)), sizeof(both));
	assert_memory_equal(out, both, sizeof(both));
	assert_int_equal(lldp_parse(both, sizeof(both), &back, NULL), 0);
	assert_pdu_equal(&back, &p);
	for (size_t cap = 0; cap < sizeof(both); cap++)
		assert_int_equal(lldp_build(&p, out, cap), -ENOSPC);

	p.has_evb = false;
	p.cdcp = (struct cdcp_tlv){0};
	assert_int_equal(lldp_build(&p, out, sizeof(out)), sizeof(cdcp_only));
	assert_memory_equal(out, cdcp_only, sizeof(cdcp_only));
	assert_int_equal(lldp_parse(cdcp_only, sizeof(cdcp_only), &back, NULL), 0);
	assert_pdu_equal(&back, &p);
}

static void lldp_build_errors(void **state)
{
	(void)state;
	struct lldp_pdu p;
	uint8_t out[1600];

	fill_station(&p);
	p.chassis.len = 0;
	assert_int_equal(lldp_build(&p, out, sizeof(out)), -EINVAL);
	fill_station(&p);
	p.port.len = 0;
	assert_int_equal(lldp_build(&p, out, sizeof(out)), -EINVAL);
	fill_station(&p);
	p.evb.rte = 32;
	assert_int_equal(lldp_build(&p, out, sizeof(out)), -EINVAL);
	fill_station(&p);
	p.has_cdcp = true;
	p.cdcp.npairs = CDCP_MAX_PAIRS + 1;
	assert_int_equal(lldp_build(&p, out, sizeof(out)), -EINVAL);
	fill_station(&p); /* a bad EVB TLV is not hidden by a good CDCP TLV after it */
	p.evb.mode = EVB_MODE_RESERVED;
	p.has_cdcp = true;
	assert_int_equal(lldp_build(&p, out, sizeof(out)), -EINVAL);
}

static void lldp_longest_ids_round_trip(void **state)
{
	(void)state;
	static struct lldp_pdu p, back;
	static uint8_t out[1600];

	fill_station(&p);
	p.chassis.len = LLDP_ID_MAX;
	p.port.len = LLDP_ID_MAX;
	for (int i = 0; i < LLDP_ID_MAX; i++) {
		p.chassis.id[i] = (uint8_t)i;
		p.port.id[i] = (uint8_t)~i;
	}
	p.ttl = 0xffff;
	p.has_cdcp = true;
	p.cdcp.npairs = CDCP_MAX_PAIRS;
	for (int i = 0; i < CDCP_MAX_PAIRS; i++)
		p.cdcp.pairs[i] = (struct cdcp_pair){(uint16_t)(0xfff - i), (uint16_t)i};
	int n = lldp_build(&p, out, sizeof(out));

	assert_int_equal(n, 258 + 258 + 4 + 11 + 511 + 2);
	assert_int_equal(out[0], 0x03); /* chassis: type 1, length 256 = 0x100 */
	assert_int_equal(out[1], 0x00);
	assert_int_equal(lldp_parse(out, (size_t)n, &back, NULL), 0);
	assert_pdu_equal(&back, &p);
}

static void lldp_unknown_tlvs_skipped(void **state)
{
	(void)state;
	static const uint8_t in[] = {
	    CHASSIS, PORT, TTL,	 0x0a, 0x03, 'a',  'b',	 'c',  /* system name */
	    0xfe,    0x06, 0x00, 0x12, 0x0f, 0x01, 0x03, 0x6c, /* 802.3 MAC/PHY (other OUI) */
	    0xfe,    0x06, 0x00, 0x80, 0xc2, 0x01, 0x00, 0x01, /* 802.1 port VLAN ID */
	    0xfe,    0x04, 0x00, 0x1b, 0x3f, 0x01,	       /* draft OUI, not the EVB TLV */
	    0x12,    0x00,				       /* reserved type 9, empty */
	    EVB_CAP, END};
	struct lldp_pdu p, want;

	fill_station(&want);
	want.unknown_tlvs = 5;
	assert_int_equal(lldp_parse(in, sizeof(in), &p, NULL), 0);
	assert_pdu_equal(&p, &want);
}

static void lldp_end_variants(void **state)
{
	(void)state;
	/* end of data without an End TLV */
	static const uint8_t no_end[] = {CHASSIS, PORT, TTL, EVB_CAP};
	/* anything after End is padding, never read */
	static const uint8_t padded[] = {CHASSIS, PORT, TTL, END, 0xfe, 0x09, 0xff, 0x01};
	struct lldp_pdu p, want;

	fill_station(&want);
	assert_int_equal(lldp_parse(no_end, sizeof(no_end), &p, NULL), 0);
	assert_pdu_equal(&p, &want);
	want.has_evb = false;
	assert_int_equal(lldp_parse(padded, sizeof(padded), &p, NULL), 0);
	assert_pdu_equal(&p, &want);
	assert_int_equal(lldp_parse(pdu_station, 19, &p, NULL), 0); /* mandatory TLVs only */
	assert_pdu_equal(&p, &want);
}

struct bad_case {
	const char *name;
	const uint8_t *p;
	size_t len;
	size_t offset;
	const char *what;
};

#define BAD(nm, off, msg, ...)                                                                     \
	{                                                                                          \
		nm, (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}), off,   \
		    msg                                                                            \
	}

static const struct bad_case bad_cases[] = {
    BAD("only End", 0, "missing chassis ID TLV", END),
    BAD("one octet", 0, "truncated TLV header", 0x02),
    BAD("chassis past end", 0, "TLV length runs past the end of the LLDPDU", 0x02, 0x07, 0x04,
	0x02),
    BAD("port first", 0, "first TLV is not chassis ID", PORT, CHASSIS, TTL, END),
    BAD("TTL first", 0, "first TLV is not chassis ID", TTL, CHASSIS, PORT, END),
    BAD("no port", 9, "second TLV is not port ID", CHASSIS, TTL, END),
    BAD("End after chassis", 9, "missing port ID TLV", CHASSIS, END),
    BAD("data ends after chassis", 9, "missing port ID TLV", CHASSIS),
    BAD("End after port", 15, "missing TTL TLV", CHASSIS, PORT, END),
    BAD("data ends after port", 15, "missing TTL TLV", CHASSIS, PORT),
    BAD("port then sysname", 15, "third TLV is not TTL", CHASSIS, PORT, 0x0a, 0x01, 'x'),
    BAD("chassis length 1", 0, "chassis ID TLV length outside 2..256", 0x02, 0x01, 0x04, PORT, TTL),
    BAD("chassis length 0", 0, "chassis ID TLV length outside 2..256", 0x02, 0x00, PORT, TTL),
    BAD("port length 1", 9, "port ID TLV length outside 2..256", CHASSIS, 0x04, 0x01, 0x05, TTL),
    BAD("TTL length 1", 15, "TTL TLV length is not 2", CHASSIS, PORT, 0x06, 0x01, 0x78),
    BAD("TTL length 3", 15, "TTL TLV length is not 2", CHASSIS, PORT, 0x06, 0x03, 0, 0x78, 0),
    BAD("TTL past end", 15, "TLV length runs past the end of the LLDPDU", CHASSIS, PORT, 0x06, 0x02,
	0x00),
    BAD("duplicate chassis", OFF_OPT, "duplicate chassis ID TLV", CHASSIS, PORT, TTL, CHASSIS),
    BAD("duplicate port", OFF_OPT + 11, "duplicate port ID TLV", CHASSIS, PORT, TTL, EVB_CAP, PORT),
    BAD("duplicate TTL", OFF_OPT, "duplicate TTL TLV", CHASSIS, PORT, TTL, TTL, END),
    BAD("End length 1", OFF_OPT, "End TLV length is not 0", CHASSIS, PORT, TTL, 0x00, 0x01, 0x00),
    BAD("End length 1 first", 0, "End TLV length is not 0", 0x00, 0x01, 0x00),
    BAD("odd trailing octet", OFF_OPT + 11, "truncated TLV header", CHASSIS, PORT, TTL, EVB_CAP,
	0x00),
    BAD("optional TLV past end", OFF_OPT, "TLV length runs past the end of the LLDPDU", CHASSIS,
	PORT, TTL, 0x0a, 0x05, 'a', 'b'),
    BAD("org TLV of 3 octets", OFF_OPT, "organizationally specific TLV shorter than 4 octets",
	CHASSIS, PORT, TTL, 0xfe, 0x03, 0x00, 0x80, 0xc2, END),
    BAD("org TLV empty", OFF_OPT, "organizationally specific TLV shorter than 4 octets", CHASSIS,
	PORT, TTL, 0xfe, 0x00, END),
    BAD("EVB length 8", OFF_OPT, "EVB TLV length is not 9", CHASSIS, PORT, TTL, 0xfe, 0x08, 0x00,
	0x80, 0xc2, 0x0d, 0x03, 0x05, 0x6e, 0xb4, END),
    BAD("EVB length 10", OFF_OPT, "EVB TLV length is not 9", CHASSIS, PORT, TTL, 0xfe, 0x0a, 0x00,
	0x80, 0xc2, 0x0d, 0x03, 0x05, 0x6e, 0xb4, 0x34, 0x00, END),
    BAD("EVB length 4", OFF_OPT, "EVB TLV length is not 9", CHASSIS, PORT, TTL, 0xfe, 0x04, 0x00,
	0x80, 0xc2, 0x0d, END),
    BAD("EVB mode 3", OFF_OPT, "EVB TLV mode 3 is reserved", CHASSIS, PORT, TTL, 0xfe, 0x09, 0x00,
	0x80, 0xc2, 0x0d, 0x03, 0x05, 0x6e, 0xf4, 0x34, END),
    BAD("duplicate EVB", OFF_OPT + 11, "duplicate EVB TLV", CHASSIS, PORT, TTL, EVB_CAP, EVB_CAP,
	END),
    BAD("duplicate EVB after other TLV", OFF_OPT + 16, "duplicate EVB TLV", CHASSIS, PORT, TTL,
	EVB_CAP, 0x0a, 0x03, 'a', 'b', 'c', EVB_CAP, END),
    BAD("CDCP length 9", OFF_OPT, "CDCP TLV length is not 8 + 3n (n <= 167)", CHASSIS, PORT, TTL,
	0xfe, 0x09, 0x00, 0x80, 0xc2, 0x0e, 0x80, 0x00, 0x00, 0x02, 0x00, END),
    BAD("CDCP length 7", OFF_OPT, "CDCP TLV length is not 8 + 3n (n <= 167)", CHASSIS, PORT, TTL,
	0xfe, 0x07, 0x00, 0x80, 0xc2, 0x0e, 0x80, 0x00, 0x00, END),
    BAD("CDCP length 12", OFF_OPT, "CDCP TLV length is not 8 + 3n (n <= 167)", CHASSIS, PORT, TTL,
	0xfe, 0x0c, 0x00, 0x80, 0xc2, 0x0e, 0x80, 0x00, 0x00, 0x02, 0x00, 0x10, 0x01, 0x00, END),
    BAD("duplicate CDCP", OFF_OPT + 10, "duplicate CDCP TLV", CHASSIS, PORT, TTL, 0xfe, 0x08, 0x00,
	0x80, 0xc2, 0x0e, 0x80, 0x00, 0x00, 0x00, 0xfe, 0x08, 0x00, 0x80, 0xc2, 0x0e, 0x80, 0x00,
	0x00, 0x00, END),
};

static void lldp_malformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct lldp_pdu p;
		struct lldp_err err = {.offset = 9999};

		print_message("  %s\n", c->name);
		assert_int_equal(lldp_parse(c->p, c->len, &p, &err), -EINVAL);
		assert_string_equal(err.what, c->what);
		assert_int_equal(err.offset, c->offset);
		assert_int_equal(lldp_parse(c->p, c->len, &p, NULL), -EINVAL);
	}
}

static void lldp_empty_and_long_ids(void **state)
{
	(void)state;
	static uint8_t in[600];
	struct lldp_pdu p;
	struct lldp_err err;

	assert_int_equal(lldp_parse(in, 0, &p, &err), -EINVAL);
	assert_string_equal(err.what, "missing chassis ID TLV");
	assert_int_equal(err.offset, 0);

	/* chassis ID TLV of 257 octets (an ID of 256) is refused, 256 accepted */
	in[0] = 0x03;
	in[1] = 0x01;
	assert_int_equal(lldp_parse(in, 2 + 257, &p, &err), -EINVAL);
	assert_string_equal(err.what, "chassis ID TLV length outside 2..256");
	assert_int_equal(err.offset, 0);
	in[1] = 0x00;
	in[2] = LLDP_CHASSIS_MAC;
	in[258] = 0x04; /* port ID length 257 */
	in[259] = 0x01;
	assert_int_equal(lldp_parse(in, 258 + 2 + 257, &p, &err), -EINVAL);
	assert_string_equal(err.what, "port ID TLV length outside 2..256");
	assert_int_equal(err.offset, 258);
	assert_int_equal(p.chassis.len, 255);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(evb_encode_ref_vector),
	    cmocka_unit_test(evb_decode_ref_vector),
	    cmocka_unit_test(evb_every_bit),
	    cmocka_unit_test(evb_single_fields),
	    cmocka_unit_test(evb_reserved_bits_recorded),
	    cmocka_unit_test(evb_decode_errors),
	    cmocka_unit_test(evb_encode_errors),
	    cmocka_unit_test(cdcp_ref_vector),
	    cmocka_unit_test(cdcp_fields),
	    cmocka_unit_test(cdcp_max_pairs),
	    cmocka_unit_test(cdcp_decode_errors),
	    cmocka_unit_test(cdcp_encode_errors),
	    cmocka_unit_test(lldp_parse_station),
	    cmocka_unit_test(lldp_build_station),
	    cmocka_unit_test(lldp_build_plain_and_cdcp),
	    cmocka_unit_test(lldp_build_errors),
	    cmocka_unit_test(lldp_longest_ids_round_trip),
	    cmocka_unit_test(lldp_unknown_tlvs_skipped),
	    cmocka_unit_test(lldp_end_variants),
	    cmocka_unit_test(lldp_malformed),
	    cmocka_unit_test(lldp_empty_and_long_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
