/* SPDX-License-Identifier: ISC */
/*
 * draft_edge.c - draft 0.2 negotiation and ECP payload conversion (see
 * draft_edge.h).
 */
#include "draft_edge.h"

#include <errno.h>
#include <string.h>

#include "bytes.h"
#include "ecp.h"
#include "vdp_pack.h"
#include "vdp_tlv.h"

/* ---------------- EVB negotiation ---------------- */

static uint8_t own_modes(const struct evb_local *l)
{
	bool rr = l->role == EVB_ROLE_BRIDGE ? l->rrcap : l->rrreq;
	return (uint8_t)(DRAFT_EVB_MODE_STANDARD | (rr ? DRAFT_EVB_MODE_RR : 0));
}

#define DRAFT_CAPS (DRAFT_EVB_CAP_RTE | DRAFT_EVB_CAP_ECP | DRAFT_EVB_CAP_VDP)

static uint8_t max_u8(uint8_t a, uint8_t b)
{
	return a > b ? a : b;
}

bool draft_evb_negotiate(const struct evb_local *l, const struct draft_evb_tlv *remote,
			 struct evb_oper *oper, struct draft_evb_tlv *tx)
{
	struct draft_evb_tlv t;
	struct evb_oper o;
	memset(&t, 0, sizeof(t)); /* padding too: compared with memcmp */
	memset(&o, 0, sizeof(o));
	t.smode = own_modes(l);
	t.scap = DRAFT_CAPS;
	t.svsi = DRAFT_EVB_SVSI;
	t.rte = l->rte;
	o.r = l->r;
	o.rte = l->rte;
	o.rwd = l->rwd;
	o.rka = l->rka;
	uint8_t fwd = DRAFT_EVB_MODE_STANDARD | DRAFT_EVB_MODE_RR;
	if (remote && (remote->smode & fwd)) {
		bool rr = (remote->smode & t.smode) & DRAFT_EVB_MODE_RR;
		t.cmode = rr ? DRAFT_EVB_MODE_RR : DRAFT_EVB_MODE_STANDARD;
		t.ccap = remote->scap & DRAFT_CAPS;
		if ((t.ccap & DRAFT_EVB_CAP_RTE) && remote->rte) {
			uint8_t rte = remote->rte > l->max_rte ? l->max_rte : remote->rte;
			o.clamped = remote->rte > l->max_rte ? EVB_CLAMPED_RTE : 0;
			t.rte = max_u8(l->rte, rte);
		}
		o.valid = true;
		o.rr = rr;
		o.rte = t.rte;
	}
	if (l->manual)
		o.rte = l->rte;
	bool changed = memcmp(&t, tx, sizeof(t)) || memcmp(&o, oper, sizeof(o));
	*tx = t;
	*oper = o;
	return changed;
}

/* ---------------- 2012 -> draft ---------------- */

static int vsi_to_draft(struct wr *w, const struct vdp_item *it, unsigned *dropped)
{
	struct draft_vdp_pair pairs[DRAFT_VDP_MAX_PAIRS];
	struct draft_vdp_tlv d;
	if (it->vsi.nfilters > DRAFT_VDP_MAX_PAIRS ||
	    draft_from_vsi(&it->vsi, it->mgrid, &d, pairs)) {
		(*dropped)++;
		return 0;
	}
	int n = draft_vdp_encode(&d, w->p + w->off, w->cap - w->off);
	if (n < 0)
		return n;
	w->off += (size_t)n;
	return 0;
}

static int ulpdu_to_draft(struct wr *w, const uint8_t *ulpdu, size_t len, unsigned *dropped)
{
	struct vdp_item it;
	struct vdp_unpacker u;
	enum vdp_item_kind k;
	vdp_unpack_begin(&u, ulpdu, len);
	while ((k = vdp_unpack_next(&u, &it)) != VDP_ITEM_END) {
		if (k == VDP_ITEM_ERROR)
			return -EINVAL;
		if (k == VDP_ITEM_BAD_VSI)
			(*dropped)++;
		if (k != VDP_ITEM_VSI)
			continue;
		int rc = vsi_to_draft(w, &it, dropped);
		if (rc)
			return rc;
	}
	wr_u16(w, 0); /* End TLV: lldpad parses up to a zero header */
	return w->err ? -ENOSPC : 0;
}

int draft_ecp_from_2012(const uint8_t *pl, size_t len, uint8_t *out, size_t cap, unsigned *dropped)
{
	struct ecp_hdr h;
	if (ecp_hdr_decode(pl, len, &h))
		return -EINVAL;
	struct draft_ecp_hdr d = {
	    .subtype = (uint16_t)(h.subtype ? h.subtype - 1 : 0),
	    .mode = h.op == ECP_OP_ACK ? DRAFT_ECP_ACK : DRAFT_ECP_REQUEST,
	    .seq = h.seq,
	};
	int n = draft_ecp_hdr_encode(&d, out, cap);
	if (n < 0)
		return n;
	struct wr w = wr_init(out, cap);
	w.off = (size_t)n;
	if (h.op == ECP_OP_REQUEST) {
		int rc = ulpdu_to_draft(&w, pl + ECP_HDR_LEN, len - ECP_HDR_LEN, dropped);
		if (rc)
			return rc;
	}
	return (int)w.off;
}

/* ---------------- draft -> 2012 ---------------- */

/* The 2012 ULPDU being written: a Manager ID TLV whenever it changes. */
struct ulpdu_2012 {
	struct wr w;
	bool have_mgrid;
	uint8_t mgrid[VDP_MGRID_LEN];
};

static void tlv_to_2012(struct ulpdu_2012 *u, const struct draft_vdp_tlv *d, bool station)
{
	struct vdp_filter filters[DRAFT_VDP_MAX_PAIRS];
	uint8_t mgrid[VDP_MGRID_LEN];
	struct vdp_vsi_tlv v;
	bool response = station && d->mode != DRAFT_VDP_DEASSOC;
	if (draft_to_vsi(d, response, &v, mgrid, filters))
		return;
	if (!u->have_mgrid || memcmp(u->mgrid, mgrid, VDP_MGRID_LEN)) {
		vdp_mgrid_encode(&u->w, mgrid);
		memcpy(u->mgrid, mgrid, VDP_MGRID_LEN);
		u->have_mgrid = true;
	}
	vdp_vsi_tlv_encode(&u->w, &v);
}

static bool is_draft_vdp(const uint8_t *val, uint16_t vlen)
{
	struct rd r = rd_init(val, vlen);
	uint32_t oui = rd_u24(&r);
	uint8_t sub = rd_u8(&r);
	return !r.err && oui == DRAFT_OUI && sub == DRAFT_VDP_SUBTYPE;
}

static int ulpdu_to_2012(struct ulpdu_2012 *u, const uint8_t *p, size_t len, bool station,
			 unsigned *bad, enum draft_vdp_err *err)
{
	size_t off = 0;
	uint8_t type;
	const uint8_t *val;
	uint16_t vlen;
	int rc;
	while ((rc = draft_ulpdu_next(p, len, &off, &type, &val, &vlen)) == 1) {
		if (type != LLDP_TLV_ORG || !is_draft_vdp(val, vlen))
			continue;
		struct draft_vdp_tlv d;
		enum draft_vdp_err e = draft_vdp_decode(val, vlen, &d);
		if (e != DRAFT_VDP_OK) {
			(*bad)++;
			*err = e;
			continue;
		}
		tlv_to_2012(u, &d, station);
	}
	return rc;
}

int draft_ecp_to_2012(const uint8_t *pl, size_t len, bool station, uint8_t *out, size_t cap,
		      unsigned *bad, enum draft_vdp_err *err)
{
	struct draft_ecp_hdr d;
	if (draft_ecp_hdr_decode(pl, len, &d))
		return -EPROTO;
	struct ecp_hdr h = {
	    .version = ECP_VERSION,
	    .op = d.mode == DRAFT_ECP_ACK ? ECP_OP_ACK : ECP_OP_REQUEST,
	    .subtype = (uint16_t)(d.subtype + 1),
	    .seq = d.seq,
	};
	int n = ecp_hdr_encode(&h, out, cap);
	if (n < 0)
		return n;
	if (h.op == ECP_OP_ACK)
		return n;
	struct ulpdu_2012 u = {.w = wr_init(out, cap)};
	u.w.off = (size_t)n;
	int rc =
	    ulpdu_to_2012(&u, pl + DRAFT_ECP_HDR_LEN, len - DRAFT_ECP_HDR_LEN, station, bad, err);
	if (rc < 0)
		return rc;
	wr_u16(&u.w, 0); /* End TLV */
	return u.w.err ? -ENOSPC : (int)u.w.off;
}
