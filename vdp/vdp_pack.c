/* SPDX-License-Identifier: ISC */
/*
 * vdp_pack.c - VDPDU (ECP ULPDU) packing and unpacking (802.1Qbg 41.2, 43): one
 * Manager ID TLV then VSI TLVs on the way out; an iterator over Manager ID,
 * VSI, org, reserved and End TLVs on the way in.  See vdp_pack.h.
 */
#include "vdp_pack.h"

#include <errno.h>
#include <string.h>

#define MGRID_TLV_LEN (VDP_TLV_HDR_LEN + VDP_MGRID_LEN)
#define ORG_MIN_LEN   4 /* OUI (3) + subtype (1), 802.1Qbg 41.2 */

/* ---------------- packer ---------------- */

/* The ULPDU never exceeds ECP_MAX_ULPDU, whatever room buf has.  No End TLV
 * is ever appended: lldpad stopped sending it in 2014 and receivers stop at
 * the zero padding of the frame (docs/protocol.md, lldpad quirk 3). */
void vdp_pack_begin(struct vdp_packer *pk, uint8_t *buf, size_t cap)
{
	memset(pk, 0, sizeof(*pk));
	pk->w = wr_init(buf, cap < ECP_MAX_ULPDU ? cap : ECP_MAX_ULPDU);
}

/* Make room for a VSI TLV of len octets under mgrid; the first one writes
 * the Manager ID TLV.  Only one Manager ID per ULPDU: lldpad drops an ECPDU
 * with a second Manager ID TLV, and the standard's rule was not seen (ref
 * 4.5), so a VSI under another manager waits for the next ULPDU.  Nothing
 * is written unless the whole TLV fits. */
static int pack_reserve(struct vdp_packer *pk, const uint8_t mgrid[VDP_MGRID_LEN], size_t len)
{
	if (pk->w.cap < MGRID_TLV_LEN || len > pk->w.cap - MGRID_TLV_LEN)
		return -EMSGSIZE;
	if (pk->have_mgrid) {
		if (memcmp(pk->mgrid, mgrid, VDP_MGRID_LEN) || len > pk->w.cap - pk->w.off)
			return -ENOSPC;
		return 0;
	}
	/* The first VSI: the ULPDU is empty and the check above left room for both. */
	vdp_mgrid_encode(&pk->w, mgrid);
	memcpy(pk->mgrid, mgrid, VDP_MGRID_LEN);
	pk->have_mgrid = true;
	return 0;
}

/* A VSI TLV whose value exceeds the 9-bit length can never be sent. */
static bool vsi_encodable(const struct vdp_vsi_tlv *t)
{
	return vdp_vsi_tlv_size(t) - t->org_len - VDP_TLV_HDR_LEN <= VDP_TLV_MAX_LEN;
}

int vdp_pack_add(struct vdp_packer *pk, const uint8_t mgrid[VDP_MGRID_LEN],
		 const struct vdp_vsi_tlv *t)
{
	if (!vsi_encodable(t))
		return -EMSGSIZE;
	int rc = pack_reserve(pk, mgrid, vdp_vsi_tlv_size(t));
	if (rc)
		return rc;
	vdp_vsi_tlv_encode(&pk->w, t);
	pk->count++;
	return 0;
}

int vdp_pack_add_raw(struct vdp_packer *pk, const uint8_t mgrid[VDP_MGRID_LEN], const uint8_t *tlv,
		     size_t len)
{
	int rc = pack_reserve(pk, mgrid, len);
	if (rc)
		return rc;
	wr_bytes(&pk->w, tlv, len);
	pk->count++;
	return 0;
}

/* ---------------- unpacker ---------------- */

void vdp_unpack_begin(struct vdp_unpacker *u, const uint8_t *ulpdu, size_t len)
{
	memset(u, 0, sizeof(*u));
	u->r = rd_init(ulpdu, len);
}

static void item_reset(const struct vdp_unpacker *u, struct vdp_item *it)
{
	it->kind = VDP_ITEM_END;
	it->offset = u->r.off;
	memcpy(it->mgrid, u->mgrid, VDP_MGRID_LEN);
	it->have_mgrid = u->have_mgrid;
	memset(&it->vsi, 0, sizeof(it->vsi));
	it->reason = 0;
	it->what = NULL;
	it->tlv_type = 0;
}

/* End the iteration with END or ERROR at offset off.  The reader keeps
 * the offset and its err flag marks an ERROR, so that later calls repeat
 * the same answer. */
static enum vdp_item_kind stop(struct vdp_unpacker *u, struct vdp_item *it, enum vdp_item_kind kind,
			       size_t off, const char *what)
{
	u->done = true;
	u->r.off = off;
	u->r.err = kind == VDP_ITEM_ERROR;
	it->kind = kind;
	it->offset = off;
	it->what = what;
	return kind;
}

static enum vdp_item_kind stopped(const struct vdp_unpacker *u, struct vdp_item *it)
{
	it->kind = u->r.err ? VDP_ITEM_ERROR : VDP_ITEM_END;
	if (u->r.err)
		it->what = "VDPDU already ended with an error";
	return it->kind;
}

static enum vdp_item_kind skipped(struct vdp_item *it, const char *what)
{
	it->kind = VDP_ITEM_SKIPPED;
	it->what = what;
	return it->kind;
}

/* Attach the run of well-formed org TLVs right after a VSI TLV to it; the
 * first TLV that is not one (another type, shorter than OUI + subtype, or
 * running past the data) ends the run and is read as an item of its own. */
static void attach_org(struct vdp_unpacker *u, struct vdp_vsi_tlv *t)
{
	size_t start = u->r.off;
	for (;;) {
		struct rd peek = u->r;
		uint16_t hdr = rd_u16(&peek);
		size_t len = hdr & VDP_TLV_MAX_LEN;
		if (peek.err || hdr >> 9 != VDP_TLV_ORG || len < ORG_MIN_LEN ||
		    len > rd_left(&peek))
			break;
		rd_bytes(&peek, NULL, len);
		u->r = peek;
	}
	if (u->r.off > start) {
		t->org = u->r.p + start;
		t->org_len = u->r.off - start;
	}
}

static enum vdp_item_kind vsi_item(struct vdp_unpacker *u, struct vdp_item *it, struct rd *val)
{
	size_t where = 0;
	int rc = vdp_vsi_tlv_decode(it->tlv_type, val->p, val->len, &it->vsi, it->filters,
				    &it->what, &where);
	size_t at = it->offset + VDP_TLV_HDR_LEN + where;
	if (rc < 0)
		return stop(u, it, VDP_ITEM_ERROR, at, it->what);
	attach_org(u, &it->vsi);
	if (rc == 0) {
		it->kind = VDP_ITEM_VSI;
		return it->kind;
	}
	it->kind = VDP_ITEM_BAD_VSI;
	it->reason = (uint8_t)rc;
	it->offset = at;
	return it->kind;
}

/* One TLV at the reader; returns -1 to go on (Manager ID TLV consumed),
 * else the item kind. */
static int one_tlv(struct vdp_unpacker *u, struct vdp_item *it)
{
	size_t off = u->r.off;
	if (rd_left(&u->r) < VDP_TLV_HDR_LEN)
		return stop(u, it, VDP_ITEM_END, off, NULL);
	uint16_t hdr = rd_u16(&u->r);
	size_t len = hdr & VDP_TLV_MAX_LEN;
	it->tlv_type = (uint8_t)(hdr >> 9);
	/* End TLV or zero padding (lldpad's old End TLV is `00 00`). */
	if (it->tlv_type == VDP_TLV_END)
		return stop(u, it, VDP_ITEM_END, off, NULL);
	if (len > rd_left(&u->r))
		return stop(u, it, VDP_ITEM_ERROR, off, "TLV runs past the end of the VDPDU");
	struct rd val = rd_sub(&u->r, len);

	switch (it->tlv_type) {
	case VDP_TLV_MGRID:
		if (len != VDP_MGRID_LEN)
			return stop(u, it, VDP_ITEM_ERROR, off, "Manager ID TLV length is not 16");
		rd_bytes(&val, u->mgrid, VDP_MGRID_LEN);
		u->have_mgrid = true;
		return -1;
	case VDP_TLV_PREASSOC:
	case VDP_TLV_PREASSOC_RR:
	case VDP_TLV_ASSOC:
	case VDP_TLV_DEASSOC:
		return vsi_item(u, it, &val);
	case VDP_TLV_ORG:
		return skipped(it, len < ORG_MIN_LEN ? "org TLV shorter than OUI and subtype"
						     : "org TLV not after a VSI TLV");
	default:
		return skipped(it, "reserved TLV type");
	}
}

enum vdp_item_kind vdp_unpack_next(struct vdp_unpacker *u, struct vdp_item *item)
{
	for (;;) {
		item_reset(u, item);
		if (u->done)
			return stopped(u, item);
		int kind = one_tlv(u, item);
		if (kind >= 0)
			return (enum vdp_item_kind)kind;
	}
}
