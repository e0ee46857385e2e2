/* SPDX-License-Identifier: ISC */
/*
 * test_draft.c - the draft 0.2 codecs (vdp/draft.c): the draft EVB TLV, the
 * draft ECP header and the draft VDP TLV, against octets written out by
 * hand from the layout in docs/protocol.md, round trips, and every refusal.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "vdp/draft.h"

/* A draft EVB TLV: header 0xfe 0x0d (type 127, length 13), OUI, subtype 0,
 * smode standard+RR, scap RTE+ECP+VDP, cmode RR, ccap RTE+ECP+VDP,
 * svsi 1000, cvsi 500, RTE 20. */
static const uint8_t EVB[] = {0xfe, 0x0d, 0x00, 0x1b, 0x3f, 0x00, 0xc0, 0x07,
			      0x40, 0x07, 0x03, 0xe8, 0x01, 0xf4, 0x14};

static void test_evb_decode_encode(void **state)
{
	(void)state;
	struct draft_evb_tlv t;
	assert_int_equal(draft_evb_decode(EVB + 2, sizeof(EVB) - 2, &t), 0);
	assert_int_equal(t.smode, DRAFT_EVB_MODE_STANDARD | DRAFT_EVB_MODE_RR);
	assert_int_equal(t.scap, DRAFT_EVB_CAP_RTE | DRAFT_EVB_CAP_ECP | DRAFT_EVB_CAP_VDP);
	assert_int_equal(t.cmode, DRAFT_EVB_MODE_RR);
	assert_int_equal(t.ccap, 7);
	assert_int_equal(t.svsi, 1000);
	assert_int_equal(t.cvsi, 500);
	assert_int_equal(t.rte, 20);
	uint8_t out[32];
	assert_int_equal(draft_evb_encode(&t, out, sizeof(out)), sizeof(EVB));
	assert_memory_equal(out, EVB, sizeof(EVB));
	assert_int_equal(draft_evb_encode(&t, out, sizeof(EVB) - 1), -ENOSPC);
}

static void test_evb_refusals(void **state)
{
	(void)state;
	struct draft_evb_tlv t;
	uint8_t v[16];
	memcpy(v, EVB + 2, 13);
	assert_int_equal(draft_evb_decode(v, 12, &t), -EINVAL); /* short */
	v[13] = 0;
	assert_int_equal(draft_evb_decode(v, 14, &t), -EINVAL); /* long */
	assert_int_equal(draft_evb_decode(v, 3, &t), -ENOENT);	/* no subtype */
	v[3] = 2;						/* the VDP subtype */
	assert_int_equal(draft_evb_decode(v, 13, &t), -ENOENT);
	v[3] = 0;
	v[0] = 0x01; /* another OUI */
	assert_int_equal(draft_evb_decode(v, 13, &t), -ENOENT);
	assert_int_equal(draft_evb_decode(v, 0, &t), -ENOENT);
}

/* ECP: OUI, pad, subtype 0, mode request, sequence 0x1234. */
static const uint8_t ECP_REQ[] = {0x00, 0x1b, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x12, 0x34};

static void test_ecp_header(void **state)
{
	(void)state;
	struct draft_ecp_hdr h;
	assert_int_equal(draft_ecp_hdr_decode(ECP_REQ, sizeof(ECP_REQ), &h), 0);
	assert_int_equal(h.subtype, DRAFT_ECP_SUBTYPE_VDP);
	assert_int_equal(h.mode, DRAFT_ECP_REQUEST);
	assert_int_equal(h.seq, 0x1234);
	uint8_t out[16];
	assert_int_equal(draft_ecp_hdr_encode(&h, out, sizeof(out)), DRAFT_ECP_HDR_LEN);
	assert_memory_equal(out, ECP_REQ, sizeof(ECP_REQ));
	assert_int_equal(draft_ecp_hdr_encode(&h, out, 8), -ENOSPC);

	uint8_t b[9];
	memcpy(b, ECP_REQ, 9);
	b[6] = DRAFT_ECP_ACK;
	b[3] = 0x55; /* pad: ignored */
	assert_int_equal(draft_ecp_hdr_decode(b, 9, &h), 0);
	assert_int_equal(h.mode, DRAFT_ECP_ACK);
	assert_int_equal(h.pad, 0x55);
	b[6] = 2;
	assert_int_equal(draft_ecp_hdr_decode(b, 9, &h), -EPROTO);
	b[6] = 0;
	b[2] = 0x40; /* another OUI */
	assert_int_equal(draft_ecp_hdr_decode(b, 9, &h), -EPROTO);
	assert_int_equal(draft_ecp_hdr_decode(ECP_REQ, 8, &h), -EINVAL);
	assert_int_equal(draft_ecp_hdr_decode(ECP_REQ, 0, &h), -EINVAL);
}

/* A VDP TLV: associate, response 0, manager 7, type 0x000005, version 4,
 * UUID 00112233-..., format 2, two pairs. */
static const uint8_t VDP[] = {
    0xfe, 0x2e,							/* type 127, length 46 */
    0x00, 0x1b, 0x3f, 0x02,					/* OUI, subtype 2 */
    0x02, 0x00, 0x07, 0x00, 0x00, 0x05, 0x04,			/* mode .. version */
    0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, /* UUID */
    0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x02, 0x00, 0x02,	/* format 2, 2 entries */
    0x52, 0x54, 0x00, 0x00, 0x00, 0x01, 0x00, 0x0a,		/* MAC, VLAN 10 */
    0x52, 0x54, 0x00, 0x00, 0x00, 0x02, 0x30, 0x0b,		/* MAC, PCP 3 VLAN 11 */
};

static void test_vdp_decode(void **state)
{
	(void)state;
	struct draft_vdp_tlv t;
	assert_int_equal(draft_vdp_decode(VDP + 2, sizeof(VDP) - 2, &t), DRAFT_VDP_OK);
	assert_int_equal(t.mode, DRAFT_VDP_ASSOC);
	assert_int_equal(t.response, DRAFT_VDP_RSP_SUCCESS);
	assert_int_equal(t.mgrid, 7);
	assert_int_equal(t.type_id, 5);
	assert_int_equal(t.version, 4);
	assert_int_equal(t.uuid[0], 0x00);
	assert_int_equal(t.uuid[15], 0xff);
	assert_int_equal(t.format, DRAFT_VDP_FORMAT_MACVLAN);
	assert_int_equal(t.entries, 2);
	struct draft_vdp_pair p;
	draft_vdp_pair(&t, 1, &p);
	assert_int_equal(p.mac[5], 2);
	assert_int_equal(p.vlan, 0x300b);
	assert_string_equal(draft_vdp_mode_name(t.mode), "assoc");
	assert_string_equal(draft_vdp_response_name(6), "out-of-sync");
	assert_string_equal(draft_vdp_response_name(7), "reserved");
	assert_string_equal(draft_vdp_mode_name(4), "reserved");
}

static void test_vdp_encode_round_trip(void **state)
{
	(void)state;
	struct draft_vdp_tlv d;
	assert_int_equal(draft_vdp_decode(VDP + 2, sizeof(VDP) - 2, &d), DRAFT_VDP_OK);
	struct draft_vdp_pair pairs[2];
	draft_vdp_pair(&d, 0, &pairs[0]);
	draft_vdp_pair(&d, 1, &pairs[1]);
	struct draft_vdp_tlv e = d;
	e.pairs = pairs;
	uint8_t out[600];
	assert_int_equal(draft_vdp_encode(&e, out, sizeof(out)), sizeof(VDP));
	assert_memory_equal(out, VDP, sizeof(VDP));
	assert_int_equal(draft_vdp_encode(&e, out, sizeof(VDP) - 1), -ENOSPC);

	/* the most pairs that fit an LLDP TLV length */
	static struct draft_vdp_pair many[DRAFT_VDP_MAX_PAIRS + 1];
	e.pairs = many;
	e.entries = DRAFT_VDP_MAX_PAIRS;
	int n = draft_vdp_encode(&e, out, sizeof(out));
	assert_int_equal(n, 2 + DRAFT_VDP_FIXED_LEN + DRAFT_VDP_MAX_PAIRS * DRAFT_VDP_PAIR_LEN);
	assert_true(n - 2 <= LLDP_TLV_MAX_LEN);
	assert_int_equal(draft_vdp_decode(out + 2, (size_t)n - 2, &d), DRAFT_VDP_OK);
	assert_int_equal(d.entries, DRAFT_VDP_MAX_PAIRS);
	e.entries = DRAFT_VDP_MAX_PAIRS + 1;
	assert_int_equal(draft_vdp_encode(&e, out, sizeof(out)), -EINVAL);
	e.entries = 1;
	e.mode = 4;
	assert_int_equal(draft_vdp_encode(&e, out, sizeof(out)), -EINVAL);
	e.mode = DRAFT_VDP_ASSOC;
	e.format = 1;
	assert_int_equal(draft_vdp_encode(&e, out, sizeof(out)), -EINVAL);
	e.format = DRAFT_VDP_FORMAT_MACVLAN;
	e.type_id = 0x1000000;
	assert_int_equal(draft_vdp_encode(&e, out, sizeof(out)), -EINVAL);
	e.type_id = 1;
	e.pairs = NULL;
	assert_int_equal(draft_vdp_encode(&e, out, sizeof(out)), -EINVAL);
}

static void test_vdp_refusals(void **state)
{
	(void)state;
	struct draft_vdp_tlv t;
	uint8_t v[sizeof(VDP)];
	size_t n = sizeof(VDP) - 2;
	memcpy(v, VDP + 2, n);
	assert_int_equal(draft_vdp_decode(v, 3, &t), DRAFT_VDP_SHORT);
	assert_int_equal(draft_vdp_decode(v, 29, &t), DRAFT_VDP_SHORT);
	assert_int_equal(draft_vdp_decode(v, n - 1, &t), DRAFT_VDP_BAD_ENTRIES);
	assert_int_equal(draft_vdp_decode(v, n - 8, &t), DRAFT_VDP_BAD_ENTRIES);
	v[28] = 0xff; /* 0xff02 entries */
	assert_int_equal(draft_vdp_decode(v, n, &t), DRAFT_VDP_BAD_ENTRIES);
	v[28] = 0;
	v[27] = 1; /* format 1 */
	assert_int_equal(draft_vdp_decode(v, n, &t), DRAFT_VDP_BAD_FORMAT);
	v[27] = 2;
	v[4] = 4; /* mode */
	assert_int_equal(draft_vdp_decode(v, n, &t), DRAFT_VDP_BAD_MODE);
	v[4] = 2;
	v[3] = 0; /* the EVB subtype */
	assert_int_equal(draft_vdp_decode(v, n, &t), DRAFT_VDP_NOT_VDP);
	assert_string_equal(draft_vdp_err_str(DRAFT_VDP_BAD_ENTRIES),
			    "its MAC/VLAN pairs do not fill its length");
}

/* A ULPDU: the VDP TLV, a second one, End, padding. */
static void test_ulpdu_walk(void **state)
{
	(void)state;
	uint8_t u[2 * sizeof(VDP) + 6] = {0};
	memcpy(u, VDP, sizeof(VDP));
	memcpy(u + sizeof(VDP), VDP, sizeof(VDP));
	size_t off = 0;
	uint8_t type;
	const uint8_t *val;
	uint16_t vlen;
	assert_int_equal(draft_ulpdu_next(u, sizeof(u), &off, &type, &val, &vlen), 1);
	assert_int_equal(type, LLDP_TLV_ORG);
	assert_int_equal(vlen, 46);
	assert_ptr_equal(val, u + 2);
	assert_int_equal(draft_ulpdu_next(u, sizeof(u), &off, &type, &val, &vlen), 1);
	assert_int_equal(off, 2 * sizeof(VDP));
	assert_int_equal(draft_ulpdu_next(u, sizeof(u), &off, &type, &val, &vlen), 0); /* End */

	off = 0; /* truncated second TLV */
	size_t cut = sizeof(VDP) + 10;
	assert_int_equal(draft_ulpdu_next(u, cut, &off, &type, &val, &vlen), 1);
	assert_int_equal(draft_ulpdu_next(u, cut, &off, &type, &val, &vlen), -EINVAL);
	assert_int_equal(off, sizeof(VDP));
	off = sizeof(VDP) + 1; /* one octet left: no header */
	assert_int_equal(draft_ulpdu_next(u, sizeof(VDP) + 2, &off, &type, &val, &vlen), 0);
	off = 100; /* past the end */
	assert_int_equal(draft_ulpdu_next(u, 10, &off, &type, &val, &vlen), 0);
}

/* The draft TLV as the VSI TLV of the VSI tables and back. */
static void test_map_round_trip(void **state)
{
	(void)state;
	struct draft_vdp_tlv d;
	assert_int_equal(draft_vdp_decode(VDP + 2, sizeof(VDP) - 2, &d), DRAFT_VDP_OK);
	struct vdp_vsi_tlv v;
	uint8_t mgrid[VDP_MGRID_LEN];
	struct vdp_filter f[DRAFT_VDP_MAX_PAIRS];
	assert_int_equal(draft_to_vsi(&d, false, &v, mgrid, f), 0);
	assert_int_equal(v.type, VDP_TLV_ASSOC);
	assert_int_equal(v.status, 0);
	assert_int_equal(mgrid[0], 7);
	assert_int_equal(mgrid[15], 0);
	assert_int_equal(v.vsiid_fmt, VDP_VSIID_UUID);
	assert_memory_equal(v.vsiid, d.uuid, 16);
	assert_int_equal(v.fif, VDP_FIF_MACVID);
	assert_int_equal(v.nfilters, 2);
	assert_int_equal(f[0].vid, 10);
	assert_false(f[0].ps);
	assert_int_equal(f[1].vid, 11);
	assert_true(f[1].ps);
	assert_int_equal(f[1].pcp, 3);

	struct draft_vdp_tlv e;
	struct draft_vdp_pair pairs[DRAFT_VDP_MAX_PAIRS];
	assert_int_equal(draft_from_vsi(&v, mgrid, &e, pairs), 0);
	assert_int_equal(e.mode, DRAFT_VDP_ASSOC);
	assert_int_equal(e.mgrid, 7);
	assert_int_equal(pairs[0].vlan, 10);
	assert_int_equal(pairs[1].vlan, 0xb00b); /* PS sent as bit 15 */
	uint8_t out[128];
	int n = draft_vdp_encode(&e, out, sizeof(out));
	assert_int_equal(n, sizeof(VDP));
	assert_memory_equal(out, VDP, 2 + 28); /* all but the pairs' top bits */

	/* a bridge's refusal as a draft response and back */
	v.status = VDP_STATUS_RESPONSE | VDP_RSN_NO_RESOURCES;
	assert_int_equal(draft_from_vsi(&v, mgrid, &e, pairs), 0);
	assert_int_equal(e.response, DRAFT_VDP_RSP_INSUFF_RESOURCES);
	n = draft_vdp_encode(&e, out, sizeof(out));
	assert_int_equal(draft_vdp_decode(out + 2, (size_t)n - 2, &d), DRAFT_VDP_OK);
	assert_int_equal(draft_to_vsi(&d, true, &v, mgrid, f), 0);
	assert_int_equal(v.status, VDP_STATUS_RESPONSE | VDP_RSN_NO_RESOURCES);
}

/* draft_cannot_say() of a VSI TLV's fields. */
static const char *say(const struct vdp_vsi_tlv *v, const uint8_t *mgrid)
{
	return draft_cannot_say(mgrid, v->vsiid_fmt, v->fif, v->nfilters);
}

static void test_map_limits(void **state)
{
	(void)state;
	struct draft_vdp_tlv d;
	assert_int_equal(draft_vdp_decode(VDP + 2, sizeof(VDP) - 2, &d), DRAFT_VDP_OK);
	struct vdp_vsi_tlv v;
	uint8_t mgrid[VDP_MGRID_LEN];
	struct vdp_filter f[DRAFT_VDP_MAX_PAIRS];
	struct draft_vdp_pair pairs[DRAFT_VDP_MAX_PAIRS];
	assert_int_equal(draft_to_vsi(&d, false, &v, mgrid, f), 0);
	struct draft_vdp_tlv e;
	mgrid[1] = 'p'; /* a 2012 manager ID that is a name ("lp") */
	mgrid[0] = 'l';
	assert_int_equal(draft_from_vsi(&v, mgrid, &e, pairs), -ERANGE);
	assert_non_null(strstr(say(&v, mgrid), "manager ID"));
	mgrid[1] = 0;
	v.vsiid_fmt = VDP_VSIID_MAC;
	assert_int_equal(draft_from_vsi(&v, mgrid, &e, pairs), -ERANGE);
	assert_non_null(strstr(say(&v, mgrid), "not a UUID"));
	v.vsiid_fmt = VDP_VSIID_UUID;
	v.fif = VDP_FIF_GROUPMACVID;
	assert_int_equal(draft_from_vsi(&v, mgrid, &e, pairs), -ERANGE);
	assert_non_null(strstr(say(&v, mgrid), "not MAC/VLAN pairs"));
	v.fif = VDP_FIF_MACVID;
	v.nfilters = DRAFT_VDP_MAX_PAIRS + 1;
	assert_int_equal(draft_from_vsi(&v, mgrid, &e, pairs), -ERANGE);
	assert_non_null(strstr(say(&v, mgrid), "more than 60"));
	v.nfilters = DRAFT_VDP_MAX_PAIRS;
	assert_null(say(&v, mgrid));
	v.nfilters = 0;
	v.type = VDP_TLV_MGRID;
	assert_int_equal(draft_from_vsi(&v, mgrid, &e, pairs), -ERANGE);
	d.entries = DRAFT_VDP_MAX_PAIRS + 1;
	assert_int_equal(draft_to_vsi(&d, false, &v, mgrid, f), -EINVAL);

	/* every response and reason code maps to a defined one */
	for (unsigned r = 0; r < 256; r++) {
		assert_true(draft_response_reason((uint8_t)r) <= VDP_RSN_INVALID_ID);
		assert_true(draft_reason_response((uint8_t)r) <= DRAFT_VDP_RSP_MAX);
	}
	assert_int_equal(draft_response_reason(DRAFT_VDP_RSP_OUT_OF_SYNC), VDP_RSN_OTHER);
	assert_int_equal(draft_response_reason(7), VDP_RSN_INVALID_FMT);
	assert_int_equal(draft_reason_response(VDP_RSN_INVALID_ID), DRAFT_VDP_RSP_INVALID_FORMAT);
	assert_int_equal(draft_reason_response(VDP_RSN_NO_MANAGER), DRAFT_VDP_RSP_UNUSED_VTID);
	for (unsigned r = 0; r <= VDP_RSN_NO_RESOURCES; r++)
		assert_int_equal(draft_response_reason(draft_reason_response((uint8_t)r)), r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_evb_decode_encode),
	    cmocka_unit_test(test_evb_refusals),
	    cmocka_unit_test(test_ecp_header),
	    cmocka_unit_test(test_vdp_decode),
	    cmocka_unit_test(test_vdp_encode_round_trip),
	    cmocka_unit_test(test_vdp_refusals),
	    cmocka_unit_test(test_ulpdu_walk),
	    cmocka_unit_test(test_map_round_trip),
	    cmocka_unit_test(test_map_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
