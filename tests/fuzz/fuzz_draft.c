/* SPDX-License-Identifier: ISC */
/*
 * fuzz_draft.c - libFuzzer target for vdp/draft.c, the draft 0.2 codecs.
 * The input is decoded (1) as a draft ECP frame payload: the header, then
 * the ULPDU's TLVs walked with draft_ulpdu_next() and each decoded as a
 * draft VDP TLV; (2) as the value of a draft EVB TLV.
 *
 * Invariants: the walker only moves forward and stays inside the input;
 * every VDP TLV that decodes encodes back to the very octets it came from
 * (the header included), and each of its pairs lies inside the input; it
 * maps to a 2012 VSI TLV and back to the same mode, IDs, UUID and MACs; an
 * EVB value that decodes encodes back to itself; nothing reads outside the
 * input (ASan).  (3) the edge conversions of vdp/draft_edge.c: the input
 * as a draft ECP payload converted to 2012 in both roles, and as a 2012
 * ECP payload converted to draft: each result stays in its buffer, a
 * converted draft request comes back through the other direction with
 * the same sequence number, and a 2012 one converted to draft converts back.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vdp/draft.h"
#include "vdp/draft_edge.h"
#include "vdp/ecp.h"

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if (!(x))                                                                          \
			abort();                                                                   \
	} while (0)

static void vdp_round_trip(const uint8_t *tlv, size_t tlen, const struct draft_vdp_tlv *t,
			   const uint8_t *in, size_t len)
{
	static struct draft_vdp_pair pairs[DRAFT_VDP_MAX_PAIRS];
	static uint8_t out[2 + LLDP_TLV_MAX_LEN];
	CHECK(t->entries <= DRAFT_VDP_MAX_PAIRS);
	CHECK(t->raw_pairs >= in && t->raw_pairs + (size_t)t->entries * 8 <= in + len);
	for (uint16_t i = 0; i < t->entries; i++)
		draft_vdp_pair(t, i, &pairs[i]);
	struct draft_vdp_tlv e = *t;
	e.pairs = pairs;
	int n = draft_vdp_encode(&e, out, sizeof(out));
	CHECK(n > 0 && (size_t)n == tlen);
	CHECK(!memcmp(out, tlv, tlen));

	static struct vdp_filter f[DRAFT_VDP_MAX_PAIRS];
	static struct draft_vdp_pair back[DRAFT_VDP_MAX_PAIRS];
	struct vdp_vsi_tlv v;
	uint8_t mgrid[VDP_MGRID_LEN];
	struct draft_vdp_tlv b;
	CHECK(draft_to_vsi(t, true, &v, mgrid, f) == 0);
	CHECK(v.type >= VDP_TLV_PREASSOC && v.type <= VDP_TLV_DEASSOC);
	CHECK(draft_from_vsi(&v, mgrid, &b, back) == 0);
	CHECK(b.mode == t->mode && b.mgrid == t->mgrid && b.type_id == t->type_id &&
	      b.version == t->version && b.entries == t->entries &&
	      !memcmp(b.uuid, t->uuid, sizeof(b.uuid)));
	for (uint16_t i = 0; i < t->entries; i++)
		CHECK(!memcmp(back[i].mac, pairs[i].mac, 6) &&
		      (back[i].vlan & 0x0fff) == (pairs[i].vlan & 0x0fff));
}

static void ulpdu(const uint8_t *in, size_t len, size_t start)
{
	size_t off = start;
	uint8_t type;
	const uint8_t *val;
	uint16_t vlen;
	int rc;
	while ((rc = draft_ulpdu_next(in, len, &off, &type, &val, &vlen)) == 1) {
		CHECK(val >= in && val + vlen <= in + len);
		CHECK(off <= len);
		struct draft_vdp_tlv t;
		if (type == LLDP_TLV_ORG && draft_vdp_decode(val, vlen, &t) == DRAFT_VDP_OK)
			vdp_round_trip(val - LLDP_TLV_HDR_LEN, (size_t)vlen + LLDP_TLV_HDR_LEN, &t,
				       in, len);
	}
	CHECK(rc == 0 || rc == -EINVAL);
	CHECK(off <= len);
}

/* The input as a draft ECP payload at a station and at a bridge, and as a
 * 2012 one on its way out; what converts, converts back. */
static void edge(const uint8_t *in, size_t len)
{
	static uint8_t to2012[2 * ETH_MAX_PAYLOAD + ECP_HDR_LEN], todraft[4 * ETH_MAX_PAYLOAD];
	unsigned bad = 0, dropped = 0;
	enum draft_vdp_err err = DRAFT_VDP_OK;
	for (int station = 0; station < 2; station++) {
		int n = draft_ecp_to_2012(in, len, station, to2012, sizeof(to2012), &bad, &err);
		CHECK(n == -EPROTO || n == -EINVAL ||
		      (n >= ECP_HDR_LEN && (size_t)n <= sizeof(to2012)));
		if (n < 0)
			continue;
		struct ecp_hdr h;
		CHECK(ecp_hdr_decode(to2012, (size_t)n, &h) == 0);
		int m = draft_ecp_from_2012(to2012, (size_t)n, todraft, sizeof(todraft), &dropped);
		CHECK(m >= DRAFT_ECP_HDR_LEN && (size_t)m <= sizeof(todraft));
		struct draft_ecp_hdr d;
		CHECK(draft_ecp_hdr_decode(todraft, (size_t)m, &d) == 0 && d.seq == h.seq);
	}
	int m = draft_ecp_from_2012(in, len, todraft, sizeof(todraft), &dropped);
	CHECK(m == -EINVAL || m == -ENOSPC ||
	      (m >= DRAFT_ECP_HDR_LEN && (size_t)m <= sizeof(todraft)));
	if (m > 0) {
		int n = draft_ecp_to_2012(todraft, (size_t)m, false, to2012, sizeof(to2012), &bad,
					  &err);
		CHECK(n >= ECP_HDR_LEN && (size_t)n <= sizeof(to2012));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t len)
{
	edge(in, len);
	struct draft_ecp_hdr h;
	if (!draft_ecp_hdr_decode(in, len, &h)) {
		uint8_t b[DRAFT_ECP_HDR_LEN];
		CHECK(draft_ecp_hdr_encode(&h, b, sizeof(b)) == DRAFT_ECP_HDR_LEN);
		CHECK(!memcmp(b, in, 3) && !memcmp(b + 4, in + 4, 5));
		if (h.mode == DRAFT_ECP_REQUEST)
			ulpdu(in, len, DRAFT_ECP_HDR_LEN);
	}
	ulpdu(in, len, 0);
	struct draft_evb_tlv e;
	if (!draft_evb_decode(in, len, &e)) {
		uint8_t b[2 + DRAFT_EVB_LEN];
		CHECK(draft_evb_encode(&e, b, sizeof(b)) == (int)sizeof(b));
		CHECK(!memcmp(b + 2, in, DRAFT_EVB_LEN));
	}
	return 0;
}
