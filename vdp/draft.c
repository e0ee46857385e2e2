/* SPDX-License-Identifier: ISC */
/*
 * draft.c - codecs of IEEE 802.1Qbg draft 0.2 (see draft.h): the draft EVB
 * TLV, the draft ECP header and the draft VDP TLV.
 *
 * Choices where the public sources are silent:
 * - the ECP header's pad octet is sent as 0 and ignored on receive;
 * - a VDP TLV whose MAC/VLAN pairs do not fill its length exactly is
 *   refused (no trailing octets are taken as padding);
 * - response values above 6 decode (they are shown) and are the caller's
 *   to refuse.
 */
#include "draft.h"

#include <errno.h>
#include <string.h>

#include "bytes.h"

/* ---------------- EVB TLV ---------------- */

int draft_evb_encode(const struct draft_evb_tlv *t, uint8_t *out, size_t cap)
{
	struct wr w = wr_init(out, cap);
	wr_u16(&w, LLDP_TLV_HDR(LLDP_TLV_ORG, DRAFT_EVB_LEN));
	wr_u24(&w, DRAFT_OUI);
	wr_u8(&w, DRAFT_EVB_SUBTYPE);
	wr_u8(&w, t->smode);
	wr_u8(&w, t->scap);
	wr_u8(&w, t->cmode);
	wr_u8(&w, t->ccap);
	wr_u16(&w, t->svsi);
	wr_u16(&w, t->cvsi);
	wr_u8(&w, t->rte);
	return w.err ? -ENOSPC : (int)w.off;
}

int draft_evb_decode(const uint8_t *val, size_t len, struct draft_evb_tlv *t)
{
	struct rd r = rd_init(val, len);
	uint32_t oui = rd_u24(&r);
	uint8_t sub = rd_u8(&r);
	if (r.err || oui != DRAFT_OUI || sub != DRAFT_EVB_SUBTYPE)
		return -ENOENT;
	if (len != DRAFT_EVB_LEN)
		return -EINVAL;
	t->smode = rd_u8(&r);
	t->scap = rd_u8(&r);
	t->cmode = rd_u8(&r);
	t->ccap = rd_u8(&r);
	t->svsi = rd_u16(&r);
	t->cvsi = rd_u16(&r);
	t->rte = rd_u8(&r);
	return 0;
}

/* ---------------- ECP header ---------------- */

int draft_ecp_hdr_decode(const uint8_t *p, size_t len, struct draft_ecp_hdr *h)
{
	struct rd r = rd_init(p, len);
	uint32_t oui = rd_u24(&r);
	struct draft_ecp_hdr d;
	d.pad = rd_u8(&r);
	d.subtype = rd_u16(&r);
	d.mode = rd_u8(&r);
	d.seq = rd_u16(&r);
	if (r.err)
		return -EINVAL;
	if (oui != DRAFT_OUI || d.mode > DRAFT_ECP_ACK)
		return -EPROTO;
	*h = d;
	return 0;
}

int draft_ecp_hdr_encode(const struct draft_ecp_hdr *h, uint8_t *out, size_t cap)
{
	struct wr w = wr_init(out, cap);
	wr_u24(&w, DRAFT_OUI);
	wr_u8(&w, 0);
	wr_u16(&w, h->subtype);
	wr_u8(&w, h->mode);
	wr_u16(&w, h->seq);
	return w.err ? -ENOSPC : (int)w.off;
}

/* ---------------- VDP TLV ---------------- */

const char *draft_vdp_err_str(enum draft_vdp_err e)
{
	switch (e) {
	case DRAFT_VDP_OK:
		return "no error";
	case DRAFT_VDP_SHORT:
		return "shorter than the 30 octets of its fixed part";
	case DRAFT_VDP_NOT_VDP:
		return "not OUI 00-1b-3f subtype 2";
	case DRAFT_VDP_BAD_MODE:
		return "mode is not 0 to 3";
	case DRAFT_VDP_BAD_FORMAT:
		return "filter format is not 2 (MAC/VLAN)";
	case DRAFT_VDP_BAD_ENTRIES:
		return "its MAC/VLAN pairs do not fill its length";
	}
	return "unknown error";
}

enum draft_vdp_err draft_vdp_decode(const uint8_t *val, size_t len, struct draft_vdp_tlv *t)
{
	struct rd r = rd_init(val, len);
	uint32_t oui = rd_u24(&r);
	uint8_t sub = rd_u8(&r);
	if (r.err || oui != DRAFT_OUI || sub != DRAFT_VDP_SUBTYPE)
		return len < LLDP_ORG_HDR_LEN ? DRAFT_VDP_SHORT : DRAFT_VDP_NOT_VDP;
	if (len < DRAFT_VDP_FIXED_LEN)
		return DRAFT_VDP_SHORT;
	memset(t, 0, sizeof(*t));
	t->mode = rd_u8(&r);
	t->response = rd_u8(&r);
	t->mgrid = rd_u8(&r);
	t->type_id = rd_u24(&r);
	t->version = rd_u8(&r);
	rd_bytes(&r, t->uuid, sizeof(t->uuid));
	t->format = rd_u8(&r);
	t->entries = rd_u16(&r);
	t->raw_pairs = val + r.off;
	if (t->mode > DRAFT_VDP_DEASSOC)
		return DRAFT_VDP_BAD_MODE;
	if (t->format != DRAFT_VDP_FORMAT_MACVLAN)
		return DRAFT_VDP_BAD_FORMAT;
	if (rd_left(&r) != (size_t)t->entries * DRAFT_VDP_PAIR_LEN)
		return DRAFT_VDP_BAD_ENTRIES;
	return DRAFT_VDP_OK;
}

void draft_vdp_pair(const struct draft_vdp_tlv *t, uint16_t i, struct draft_vdp_pair *out)
{
	struct rd r = rd_init(t->raw_pairs + (size_t)i * DRAFT_VDP_PAIR_LEN, DRAFT_VDP_PAIR_LEN);
	rd_bytes(&r, out->mac, sizeof(out->mac));
	out->vlan = rd_u16(&r);
}

int draft_vdp_encode(const struct draft_vdp_tlv *t, uint8_t *out, size_t cap)
{
	if (t->mode > DRAFT_VDP_DEASSOC || t->format != DRAFT_VDP_FORMAT_MACVLAN ||
	    t->entries > DRAFT_VDP_MAX_PAIRS || t->type_id > 0xffffff || (t->entries && !t->pairs))
		return -EINVAL;
	struct wr w = wr_init(out, cap);
	wr_u16(&w, LLDP_TLV_HDR(LLDP_TLV_ORG,
				DRAFT_VDP_FIXED_LEN + (unsigned)t->entries * DRAFT_VDP_PAIR_LEN));
	wr_u24(&w, DRAFT_OUI);
	wr_u8(&w, DRAFT_VDP_SUBTYPE);
	wr_u8(&w, t->mode);
	wr_u8(&w, t->response);
	wr_u8(&w, t->mgrid);
	wr_u24(&w, t->type_id);
	wr_u8(&w, t->version);
	wr_bytes(&w, t->uuid, sizeof(t->uuid));
	wr_u8(&w, t->format);
	wr_u16(&w, t->entries);
	for (uint16_t i = 0; i < t->entries; i++) {
		wr_bytes(&w, t->pairs[i].mac, sizeof(t->pairs[i].mac));
		wr_u16(&w, t->pairs[i].vlan);
	}
	return w.err ? -ENOSPC : (int)w.off;
}

int draft_ulpdu_next(const uint8_t *p, size_t len, size_t *off, uint8_t *type, const uint8_t **val,
		     uint16_t *vlen)
{
	if (*off > len || len - *off < LLDP_TLV_HDR_LEN)
		return 0;
	struct rd r = rd_init(p + *off, LLDP_TLV_HDR_LEN);
	uint16_t hdr = rd_u16(&r);
	*type = (uint8_t)(hdr >> LLDP_TLV_TYPE_SHIFT);
	*vlen = hdr & LLDP_TLV_LEN_MASK;
	if (*type == LLDP_TLV_END)
		return 0;
	if (*vlen > len - *off - LLDP_TLV_HDR_LEN)
		return -EINVAL;
	*val = p + *off + LLDP_TLV_HDR_LEN;
	*off += LLDP_TLV_HDR_LEN + *vlen;
	return 1;
}

/* ---------------- draft <-> 802.1Qbg-2012 VSI TLV ---------------- */

#define DRAFT_VLAN_PCP_SHIFT 12
#define DRAFT_VLAN_TOP	     0xf000
#define DRAFT_VLAN_PCP	     0x7000

uint8_t draft_response_reason(uint8_t response)
{
	if (response <= DRAFT_VDP_RSP_INSUFF_RESOURCES)
		return response; /* success, invalid format, insufficient resources */
	return response <= DRAFT_VDP_RSP_MAX ? VDP_RSN_OTHER : VDP_RSN_INVALID_FMT;
}

uint8_t draft_reason_response(uint8_t reason)
{
	switch (reason) {
	case VDP_RSN_SUCCESS:
	case VDP_RSN_INVALID_FMT:
	case VDP_RSN_NO_RESOURCES:
		return reason;
	case VDP_RSN_NO_MANAGER:
		return DRAFT_VDP_RSP_UNUSED_VTID;
	case VDP_RSN_INVALID_ID:
		return DRAFT_VDP_RSP_INVALID_FORMAT;
	default:
		return DRAFT_VDP_RSP_VTID_VIOLATION;
	}
}

int draft_to_vsi(const struct draft_vdp_tlv *d, bool response, struct vdp_vsi_tlv *v,
		 uint8_t mgrid[VDP_MGRID_LEN], struct vdp_filter *filters)
{
	if (d->entries > DRAFT_VDP_MAX_PAIRS)
		return -EINVAL;
	memset(v, 0, sizeof(*v));
	memset(mgrid, 0, VDP_MGRID_LEN);
	mgrid[0] = d->mgrid;
	v->type = (uint8_t)(d->mode + 1);
	if (response)
		v->status = (uint8_t)(VDP_STATUS_RESPONSE | draft_response_reason(d->response));
	v->type_id = d->type_id;
	v->type_ver = d->version;
	v->vsiid_fmt = VDP_VSIID_UUID;
	memcpy(v->vsiid, d->uuid, VDP_VSIID_LEN);
	v->fif = VDP_FIF_MACVID;
	v->nfilters = d->entries;
	v->filters = filters;
	for (uint16_t i = 0; i < d->entries; i++) {
		struct draft_vdp_pair p;
		draft_vdp_pair(d, i, &p);
		memset(&filters[i], 0, sizeof(filters[i]));
		memcpy(filters[i].mac, p.mac, sizeof(p.mac));
		filters[i].vid = p.vlan & VDP_PSPCPVID_VID;
		filters[i].pcp = (uint8_t)((p.vlan & DRAFT_VLAN_PCP) >> DRAFT_VLAN_PCP_SHIFT);
		filters[i].ps = (p.vlan & DRAFT_VLAN_TOP) != 0;
	}
	return 0;
}

_Static_assert(DRAFT_VDP_MAX_PAIRS == 60, "draft_cannot_say names the bound");

const char *draft_cannot_say(const uint8_t mgrid[VDP_MGRID_LEN], uint8_t vsiid_fmt, uint8_t fif,
			     uint16_t nfilters)
{
	for (unsigned i = 1; i < VDP_MGRID_LEN; i++)
		if (mgrid[i])
			return "its manager ID is a name or above 255, and the draft carries one "
			       "octet";
	if (vsiid_fmt != VDP_VSIID_UUID)
		return "its VSIID is not a UUID, the only VSIID the draft carries";
	if (nfilters && fif != VDP_FIF_MACVID)
		return "its filters are not MAC/VLAN pairs, the only filters the draft carries";
	if (nfilters > DRAFT_VDP_MAX_PAIRS)
		return "it has more than 60 MAC/VLAN pairs, which one draft VDP TLV cannot hold";
	return NULL;
}

int draft_from_vsi(const struct vdp_vsi_tlv *v, const uint8_t mgrid[VDP_MGRID_LEN],
		   struct draft_vdp_tlv *d, struct draft_vdp_pair *pairs)
{
	if (v->type < VDP_TLV_PREASSOC || v->type > VDP_TLV_DEASSOC ||
	    draft_cannot_say(mgrid, v->vsiid_fmt, v->fif, v->nfilters))
		return -ERANGE;
	memset(d, 0, sizeof(*d));
	d->mode = (uint8_t)(v->type - 1);
	if (v->status & VDP_STATUS_RESPONSE)
		d->response = draft_reason_response(v->status & VDP_STATUS_REASON);
	d->mgrid = mgrid[0];
	d->type_id = v->type_id;
	d->version = v->type_ver;
	memcpy(d->uuid, v->vsiid, sizeof(d->uuid));
	d->format = DRAFT_VDP_FORMAT_MACVLAN;
	d->entries = v->nfilters;
	d->pairs = pairs;
	for (uint16_t i = 0; i < v->nfilters; i++) {
		const struct vdp_filter *f = &v->filters[i];
		memcpy(pairs[i].mac, f->mac, sizeof(pairs[i].mac));
		pairs[i].vlan = (uint16_t)(f->vid & VDP_PSPCPVID_VID);
		if (f->ps)
			pairs[i].vlan |=
			    (uint16_t)((f->pcp & 7u) << DRAFT_VLAN_PCP_SHIFT | 0x8000u);
	}
	return 0;
}

/* ---------------- names ---------------- */

const char *draft_vdp_mode_name(uint8_t mode)
{
	static const char *const names[] = {"preassoc", "preassoc-rr", "assoc", "deassoc"};
	return mode < sizeof(names) / sizeof(names[0]) ? names[mode] : "reserved";
}

const char *draft_vdp_response_name(uint8_t response)
{
	static const char *const names[] = {
	    "success",	       "invalid-format",     "insufficient-resources",
	    "unused-vsi-type", "vsi-type-violation", "vsi-type-version-violation",
	    "out-of-sync",
	};
	return response < sizeof(names) / sizeof(names[0]) ? names[response] : "reserved";
}
