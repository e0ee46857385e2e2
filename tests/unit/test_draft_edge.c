/* SPDX-License-Identifier: ISC */
/*
 * test_draft_edge.c - draft 0.2 at the edge of the 2012 engine
 * (vdp/draft_edge.c) and the LLDP agent's protocol setting: the draft EVB
 * negotiation, ECP payloads converted both ways (requests, answers, ACKs,
 * what cannot be said, malformed input), and the switch between the two
 * EVB TLVs by protocol = 2012 | draft | auto.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "vdp/draft_edge.h"
#include "vdp/ecp.h"
#include "vdp/eth.h"
#include "vdp/lldp_agent.h"
#include "vdp/vdp_pack.h"

#define SEC 1000000ULL

static const uint8_t UUID[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
				 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
static const uint8_t MGR7[VDP_MGRID_LEN] = {7};

/* ---------------- negotiation ---------------- */

static struct evb_local local(enum evb_role role)
{
	struct evb_local l;
	evb_local_defaults(&l, role);
	l.rte = 8;
	l.rrreq = true;
	l.rrcap = true;
	return l;
}

static void test_negotiate_alone(void **state)
{
	(void)state;
	struct evb_local l = local(EVB_ROLE_STATION);
	struct evb_oper o;
	struct draft_evb_tlv tx;
	memset(&o, 0, sizeof(o));
	memset(&tx, 0, sizeof(tx));
	assert_true(draft_evb_negotiate(&l, NULL, &o, &tx));
	assert_false(o.valid);
	assert_int_equal(tx.smode, DRAFT_EVB_MODE_STANDARD | DRAFT_EVB_MODE_RR);
	assert_int_equal(tx.scap, DRAFT_EVB_CAP_RTE | DRAFT_EVB_CAP_ECP | DRAFT_EVB_CAP_VDP);
	assert_int_equal(tx.cmode, 0);
	assert_int_equal(tx.ccap, 0);
	assert_int_equal(tx.rte, 8);
	assert_false(draft_evb_negotiate(&l, NULL, &o, &tx)); /* no change the second time */
}

static void test_negotiate_peer(void **state)
{
	(void)state;
	struct evb_local l = local(EVB_ROLE_STATION);
	struct evb_oper o = {0};
	struct draft_evb_tlv tx = {0};
	struct draft_evb_tlv peer = {.smode = DRAFT_EVB_MODE_STANDARD | DRAFT_EVB_MODE_RR,
				     .scap =
					 DRAFT_EVB_CAP_RTE | DRAFT_EVB_CAP_ECP | DRAFT_EVB_CAP_VDP,
				     .rte = 12};
	assert_true(draft_evb_negotiate(&l, &peer, &o, &tx));
	assert_true(o.valid);
	assert_true(o.rr);
	assert_int_equal(o.rte, 12); /* the larger */
	assert_int_equal(o.r, l.r);
	assert_int_equal(o.rwd, l.rwd);
	assert_int_equal(tx.cmode, DRAFT_EVB_MODE_RR);
	assert_int_equal(tx.ccap, 7);
	assert_int_equal(tx.rte, 12);

	/* a peer without reflective relay: standard; one far above max-rte: clamped */
	peer.smode = DRAFT_EVB_MODE_STANDARD;
	peer.rte = 30;
	assert_true(draft_evb_negotiate(&l, &peer, &o, &tx));
	assert_false(o.rr);
	assert_int_equal(tx.cmode, DRAFT_EVB_MODE_STANDARD);
	assert_int_equal(o.rte, l.max_rte);
	assert_int_equal(o.clamped, EVB_CLAMPED_RTE);

	/* no forwarding mode at all: not valid */
	peer.smode = 0;
	assert_true(draft_evb_negotiate(&l, &peer, &o, &tx));
	assert_false(o.valid);
}

/* ---------------- ECP payloads ---------------- */

/* A 2012 ECP request (header + ULPDU + End) with one VSI TLV. */
static size_t ecp2012(uint8_t *out, size_t cap, uint8_t type, uint8_t status,
		      const uint8_t mgrid[VDP_MGRID_LEN], uint8_t fmt, uint16_t seq)
{
	struct ecp_hdr h = {
	    .version = ECP_VERSION, .op = ECP_OP_REQUEST, .subtype = ECP_SUBTYPE_VDP, .seq = seq};
	assert_int_equal(ecp_hdr_encode(&h, out, cap), ECP_HDR_LEN);
	struct vdp_filter f = {.mac = {0x52, 0x54, 0x00, 0x8e, 0xaa, 0x11}, .vid = 2};
	struct vdp_vsi_tlv v = {.type = type,
				.status = status,
				.type_id = 5,
				.type_ver = 4,
				.vsiid_fmt = fmt,
				.fif = VDP_FIF_MACVID,
				.nfilters = 1,
				.filters = &f};
	memcpy(v.vsiid, UUID, 16);
	struct vdp_packer pk;
	vdp_pack_begin(&pk, out + ECP_HDR_LEN, cap - ECP_HDR_LEN - 2);
	assert_int_equal(vdp_pack_add(&pk, mgrid, &v), 0);
	size_t n = ECP_HDR_LEN + vdp_pack_len(&pk);
	out[n] = out[n + 1] = 0;
	return n + 2;
}

/* The one VSI of a 2012 ULPDU. */
static void one_vsi(const uint8_t *pl, size_t len, struct vdp_item *it)
{
	struct vdp_unpacker u;
	vdp_unpack_begin(&u, pl + ECP_HDR_LEN, len - ECP_HDR_LEN);
	assert_int_equal(vdp_unpack_next(&u, it), VDP_ITEM_VSI);
	struct vdp_item end;
	assert_int_equal(vdp_unpack_next(&u, &end), VDP_ITEM_END);
}

static void test_request_round_trip(void **state)
{
	(void)state;
	uint8_t in[256], dr[256], back[512];
	size_t n = ecp2012(in, sizeof(in), VDP_TLV_ASSOC, 0, MGR7, VDP_VSIID_UUID, 0x1234);
	unsigned dropped = 0;
	int m = draft_ecp_from_2012(in, n, dr, sizeof(dr), &dropped);
	/* header 9, one VDP TLV 2 + 30 + 8, End 2 */
	assert_int_equal(m, 9 + 40 + 2);
	assert_int_equal(dropped, 0);
	static const uint8_t hdr[] = {0x00, 0x1b, 0x3f, 0, 0, 0, DRAFT_ECP_REQUEST, 0x12, 0x34};
	assert_memory_equal(dr, hdr, sizeof(hdr));
	struct draft_vdp_tlv d;
	assert_int_equal(dr[9], 0xfe); /* type 127, length 38 */
	assert_int_equal(dr[10], 38);
	assert_int_equal(draft_vdp_decode(dr + 11, 38, &d), DRAFT_VDP_OK);
	assert_int_equal(d.mode, DRAFT_VDP_ASSOC);
	assert_int_equal(d.mgrid, 7);
	assert_int_equal(d.type_id, 5);
	assert_memory_equal(d.uuid, UUID, 16);
	assert_int_equal(d.entries, 1);

	/* back at a bridge: a request, no response bit */
	unsigned bad = 0;
	enum draft_vdp_err err = DRAFT_VDP_OK;
	int k = draft_ecp_to_2012(dr, (size_t)m, false, back, sizeof(back), &bad, &err);
	assert_true(k > 0);
	assert_int_equal(bad, 0);
	struct ecp_hdr h;
	assert_int_equal(ecp_hdr_decode(back, (size_t)k, &h), 0);
	assert_int_equal(h.op, ECP_OP_REQUEST);
	assert_int_equal(h.subtype, ECP_SUBTYPE_VDP);
	assert_int_equal(h.seq, 0x1234);
	static struct vdp_item it;
	one_vsi(back, (size_t)k, &it);
	assert_int_equal(it.vsi.type, VDP_TLV_ASSOC);
	assert_int_equal(it.vsi.status, 0);
	assert_memory_equal(it.mgrid, MGR7, VDP_MGRID_LEN);
	assert_int_equal(it.vsi.filters[0].vid, 2);
	assert_int_equal(it.vsi.filters[0].mac[5], 0x11);

	/* at a station: the bridge's answer, response bit */
	k = draft_ecp_to_2012(dr, (size_t)m, true, back, sizeof(back), &bad, &err);
	assert_true(k > 0);
	one_vsi(back, (size_t)k, &it);
	assert_int_equal(it.vsi.status, VDP_STATUS_RESPONSE);
}

/* A refusal travels as a draft response and comes back as a reason; a
 * De-Associate at a station is the bridge's own. */
static void test_answers(void **state)
{
	(void)state;
	uint8_t in[256], dr[256], back[512];
	unsigned dropped = 0, bad = 0;
	enum draft_vdp_err err;
	size_t n = ecp2012(in, sizeof(in), VDP_TLV_ASSOC, VDP_STATUS_RESPONSE | 2, MGR7,
			   VDP_VSIID_UUID, 1);
	int m = draft_ecp_from_2012(in, n, dr, sizeof(dr), &dropped);
	assert_true(m > 0);
	assert_int_equal(dr[11 + 5], DRAFT_VDP_RSP_INSUFF_RESOURCES);
	int k = draft_ecp_to_2012(dr, (size_t)m, true, back, sizeof(back), &bad, &err);
	static struct vdp_item it;
	one_vsi(back, (size_t)k, &it);
	assert_int_equal(it.vsi.status, VDP_STATUS_RESPONSE | 2);

	n = ecp2012(in, sizeof(in), VDP_TLV_DEASSOC, VDP_STATUS_RESPONSE, MGR7, VDP_VSIID_UUID, 2);
	m = draft_ecp_from_2012(in, n, dr, sizeof(dr), &dropped);
	k = draft_ecp_to_2012(dr, (size_t)m, true, back, sizeof(back), &bad, &err);
	one_vsi(back, (size_t)k, &it);
	assert_int_equal(it.vsi.type, VDP_TLV_DEASSOC);
	assert_int_equal(it.vsi.status, 0);
}

static void test_ack(void **state)
{
	(void)state;
	uint8_t ack[ECP_HDR_LEN], dr[32], back[32];
	unsigned dropped = 0, bad = 0;
	enum draft_vdp_err err;
	assert_int_equal(ecp_build_ack(ECP_SUBTYPE_VDP, 77, ack, sizeof(ack)), ECP_HDR_LEN);
	int m = draft_ecp_from_2012(ack, sizeof(ack), dr, sizeof(dr), &dropped);
	assert_int_equal(m, DRAFT_ECP_HDR_LEN);
	static const uint8_t want[] = {0x00, 0x1b, 0x3f, 0, 0, 0, DRAFT_ECP_ACK, 0, 77};
	assert_memory_equal(dr, want, sizeof(want));
	int k = draft_ecp_to_2012(dr, (size_t)m, true, back, sizeof(back), &bad, &err);
	assert_int_equal(k, ECP_HDR_LEN);
	assert_memory_equal(back, ack, ECP_HDR_LEN);
}

/* What the draft cannot say is left out and counted; a malformed draft TLV
 * is skipped and counted; one running past the payload drops the ECPDU. */
static void test_refusals(void **state)
{
	(void)state;
	uint8_t in[256], dr[256], back[512];
	unsigned dropped = 0, bad = 0;
	enum draft_vdp_err err = DRAFT_VDP_OK;
	static const uint8_t named[VDP_MGRID_LEN] = {'l', 'p', '1'};
	size_t n = ecp2012(in, sizeof(in), VDP_TLV_ASSOC, 0, named, VDP_VSIID_UUID, 3);
	int m = draft_ecp_from_2012(in, n, dr, sizeof(dr), &dropped);
	assert_int_equal(m, DRAFT_ECP_HDR_LEN + 2); /* header and End only */
	assert_int_equal(dropped, 1);
	assert_int_equal(draft_ecp_from_2012(in, 3, dr, sizeof(dr), &dropped), -EINVAL);
	n = ecp2012(in, sizeof(in), VDP_TLV_ASSOC, 0, MGR7, VDP_VSIID_UUID, 3);
	assert_int_equal(draft_ecp_from_2012(in, n, dr, 20, &dropped), -ENOSPC);

	m = draft_ecp_from_2012(in, n, dr, sizeof(dr), &dropped);
	dr[11 + 27] = 9; /* filter format 9 */
	int k = draft_ecp_to_2012(dr, (size_t)m, false, back, sizeof(back), &bad, &err);
	assert_int_equal(k, ECP_HDR_LEN + 2); /* header and End */
	assert_int_equal(bad, 1);
	assert_int_equal(err, DRAFT_VDP_BAD_FORMAT);
	dr[10] = 100; /* runs past the payload */
	assert_int_equal(draft_ecp_to_2012(dr, (size_t)m, false, back, sizeof(back), &bad, &err),
			 -EINVAL);
	dr[0] = 0x01; /* another OUI */
	assert_int_equal(draft_ecp_to_2012(dr, (size_t)m, false, back, sizeof(back), &bad, &err),
			 -EPROTO);
}

/* A full engine ULPDU (DRAFT_ULPDU_2012_MAX) of one-filter VSI TLVs, whose
 * draft form grows the most, still fits a frame as draft. */
static void test_ulpdu_cap(void **state)
{
	(void)state;
	static uint8_t in[ECP_HDR_LEN + DRAFT_ULPDU_2012_MAX], dr[ETH_MAX_PAYLOAD];
	struct ecp_hdr h = {.version = ECP_VERSION, .subtype = ECP_SUBTYPE_VDP, .seq = 1};
	ecp_hdr_encode(&h, in, sizeof(in));
	struct vdp_packer pk;
	vdp_pack_begin(&pk, in + ECP_HDR_LEN, DRAFT_ULPDU_2012_MAX - 2);
	struct vdp_filter f = {.mac = {0x52, 0x54, 0, 0, 0, 1}, .vid = 2};
	struct vdp_vsi_tlv v = {.type = VDP_TLV_ASSOC,
				.vsiid_fmt = VDP_VSIID_UUID,
				.fif = VDP_FIF_MACVID,
				.nfilters = 1,
				.filters = &f};
	unsigned count = 0;
	for (;; count++) {
		v.vsiid[0] = (uint8_t)count;
		if (vdp_pack_add(&pk, MGR7, &v))
			break;
	}
	size_t n = ECP_HDR_LEN + vdp_pack_len(&pk);
	in[n] = in[n + 1] = 0;
	unsigned dropped = 0;
	int m = draft_ecp_from_2012(in, n + 2, dr, sizeof(dr), &dropped);
	assert_true(m > 0);
	assert_int_equal(dropped, 0);
	assert_true(count > 30);
}

/* ---------------- the agent's protocol setting ---------------- */

struct afx {
	struct lldp_agent a;
	struct lldp_pdu last; /* the last LLDPDU sent */
	unsigned sent;
};

static void a_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct afx *f = ctx;
	struct eth_hdr h;
	const uint8_t *pl;
	size_t plen;
	assert_int_equal(eth_parse(frame, len, &h, &pl, &plen), 0);
	assert_int_equal(lldp_parse(pl, plen, &f->last, NULL), 0);
	f->sent++;
}

static const struct lldp_agent_ops AOPS = {.send = a_send};
static const uint8_t MAC_ST[6] = {0x02, 0, 0, 0, 0, 1}, MAC_BR[6] = {0x02, 0, 0, 0, 0, 2};

static void agent(struct afx *f, enum lldp_protocol proto)
{
	struct lldp_agent_conf c = {.tx_interval = 30, .tx_hold = 4, .protocol = proto};
	evb_local_defaults(&c.evb, EVB_ROLE_STATION);
	memset(f, 0, sizeof(*f));
	lldp_agent_init(&f->a, &c, MAC_ST, "eth0", &AOPS, f);
	lldp_agent_link(&f->a, true, SEC);
	lldp_agent_run(&f->a, SEC);
}

/* An LLDPDU from the bridge with the draft EVB TLV, the 2012 one, or both. */
static void rx(struct afx *f, bool draft, bool v2012, uint64_t now)
{
	struct lldp_pdu pdu = {.chassis = {.subtype = LLDP_CHASSIS_MAC, .len = 6},
			       .port = {.subtype = LLDP_PORT_IFNAME, .len = 3, .id = "sw1"},
			       .ttl = 120};
	memcpy(pdu.chassis.id, MAC_BR, 6);
	pdu.has_draft_evb = draft;
	pdu.draft_evb = (struct draft_evb_tlv){.smode = DRAFT_EVB_MODE_STANDARD,
					       .scap = DRAFT_EVB_CAP_ECP | DRAFT_EVB_CAP_VDP};
	pdu.has_evb = v2012;
	pdu.evb = (struct evb_tlv){.mode = EVB_MODE_BRIDGE, .r = 3, .rte = 8, .rwd = 20, .rka = 20};
	uint8_t buf[512];
	int n = lldp_build(&pdu, buf, sizeof(buf));
	assert_true(n > 0);
	lldp_agent_rx(&f->a, MAC_BR, buf, (size_t)n, now);
}

static void assert_sends(const struct afx *f, bool draft)
{
	assert_int_equal(f->a.draft, draft);
	assert_int_equal(f->last.has_draft_evb, draft);
	assert_int_equal(f->last.has_evb, !draft);
}

static void test_auto_follows(void **state)
{
	(void)state;
	static struct afx f;
	agent(&f, LLDP_PROTO_AUTO);
	assert_sends(&f, false); /* 2012 until the neighbour says otherwise */
	rx(&f, true, false, 2 * SEC);
	assert_sends(&f, true);
	assert_true(f.a.oper.valid);
	assert_true(f.a.nbr.has_draft_evb);
	unsigned n = f.sent;
	rx(&f, true, false, 3 * SEC); /* the same again: no new LLDPDU */
	assert_int_equal(f.sent, n);
	rx(&f, false, true, 4 * SEC); /* the neighbour moves to 2012 */
	assert_sends(&f, false);
	assert_true(f.a.oper.valid);
	rx(&f, true, true, 5 * SEC); /* both: 2012 wins */
	assert_sends(&f, false);
	lldp_agent_link(&f.a, false, 6 * SEC); /* forgotten: back to 2012 */
	assert_false(f.a.draft);
}

static void test_fixed(void **state)
{
	(void)state;
	static struct afx f;
	agent(&f, LLDP_PROTO_2012);
	rx(&f, true, false, 2 * SEC);
	assert_sends(&f, false);
	assert_false(f.a.oper.valid); /* a draft neighbour is no 2012 bridge */
	agent(&f, LLDP_PROTO_DRAFT);
	assert_sends(&f, true);
	assert_false(f.a.oper.valid);
	rx(&f, false, true, 2 * SEC);
	assert_sends(&f, true);
	assert_false(f.a.oper.valid);
	rx(&f, true, false, 3 * SEC);
	assert_true(f.a.oper.valid);
	assert_string_equal(lldp_protocol_name(LLDP_PROTO_DRAFT), "draft");
	assert_string_equal(lldp_protocol_name(LLDP_PROTO_2012), "2012");
	assert_string_equal(lldp_protocol_name(LLDP_PROTO_AUTO), "auto");
}

/* The draft EVB TLV in an LLDPDU: 13 value octets or the LLDPDU is refused. */
static void test_lldp_draft_tlv(void **state)
{
	(void)state;
	struct lldp_pdu pdu = {.chassis = {.subtype = LLDP_CHASSIS_MAC, .len = 1, .id = {1}},
			       .port = {.subtype = LLDP_PORT_IFNAME, .len = 1, .id = "p"},
			       .ttl = 9,
			       .has_draft_evb = true,
			       .draft_evb = {.smode = 0x80, .scap = 7, .svsi = 4096, .rte = 8}};
	uint8_t buf[64];
	int n = lldp_build(&pdu, buf, sizeof(buf));
	assert_int_equal(n, 4 + 4 + 4 + 15 + 2);
	struct lldp_pdu back;
	struct lldp_err err = {0};
	assert_int_equal(lldp_parse(buf, (size_t)n, &back, &err), 0);
	assert_true(back.has_draft_evb);
	assert_false(back.has_evb);
	assert_memory_equal(&back.draft_evb, &pdu.draft_evb, sizeof(pdu.draft_evb));
	buf[13] = 12; /* the TLV's length */
	assert_int_equal(lldp_parse(buf, (size_t)n, &back, &err), -EINVAL);
	assert_string_equal(err.what, "draft EVB TLV length is not 13");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_negotiate_alone),
	    cmocka_unit_test(test_negotiate_peer),
	    cmocka_unit_test(test_request_round_trip),
	    cmocka_unit_test(test_answers),
	    cmocka_unit_test(test_ack),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_ulpdu_cap),
	    cmocka_unit_test(test_auto_follows),
	    cmocka_unit_test(test_fixed),
	    cmocka_unit_test(test_lldp_draft_tlv),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
