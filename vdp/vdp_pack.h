/* SPDX-License-Identifier: ISC */
/*
 * vdp_pack.h - VDPDU (ECP ULPDU) packing and unpacking.
 *
 * Packer: fills one ULPDU (<= ECP_MAX_ULPDU) with a Manager ID TLV followed
 * by as many VSI TLVs as fit, in order.  One Manager ID per ULPDU: lldpad
 * drops an ECPDU carrying a second Manager ID TLV, and whether the standard
 * allows several is not confirmed (docs/protocol.md "Packing"), so a VSI with another manager
 * ID starts a new ULPDU.
 *
 * Unpacker: an iterator over a received ULPDU that accepts what lldpad sends
 * (one Manager ID + one VSI TLV, optional End TLV, zero padding) and what we
 * send; several Manager ID TLVs are accepted (each applies to the VSI TLVs
 * after it).  Org TLVs are attached to the VSI TLV they follow.
 */
#ifndef VDP_VDP_PACK_H
#define VDP_VDP_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytes.h"
#include "vdp_tlv.h"

struct vdp_packer {
	struct wr w;
	bool have_mgrid;
	uint8_t mgrid[VDP_MGRID_LEN];
	unsigned count; /* VSI TLVs in the ULPDU */
};

void vdp_pack_begin(struct vdp_packer *pk, uint8_t *buf, size_t cap);
/* Append one VSI TLV under mgrid.  0, or -ENOSPC when it does not fit or
 * needs another Manager ID (the ULPDU is left unchanged; send it and begin
 * a new one).  -EMSGSIZE when the TLV cannot fit even an empty ULPDU. */
int vdp_pack_add(struct vdp_packer *pk, const uint8_t mgrid[VDP_MGRID_LEN],
		 const struct vdp_vsi_tlv *t);
/* Same with an already encoded VSI TLV (header, value and org TLVs). */
int vdp_pack_add_raw(struct vdp_packer *pk, const uint8_t mgrid[VDP_MGRID_LEN], const uint8_t *tlv,
		     size_t len);
static inline size_t vdp_pack_len(const struct vdp_packer *pk)
{
	return pk->w.off;
}

enum vdp_item_kind {
	VDP_ITEM_END = 0, /* no more TLVs (End TLV, zero padding or end of data) */
	VDP_ITEM_VSI,	  /* a well-formed VSI TLV: item.vsi, item.mgrid */
	VDP_ITEM_BAD_VSI, /* a VSI TLV whose VSIID is known but the rest is malformed: item.reason
			   */
	VDP_ITEM_ERROR,	  /* malformed beyond recovery: item.what at item.offset; iteration stops */
	VDP_ITEM_SKIPPED, /* a TLV of a reserved type or a stray org TLV, skipped */
};

struct vdp_item {
	enum vdp_item_kind kind;
	size_t offset;		      /* of the TLV (or the error) in the ULPDU */
	uint8_t mgrid[VDP_MGRID_LEN]; /* manager ID in force (zeros before any Manager ID TLV) */
	bool have_mgrid;
	struct vdp_vsi_tlv vsi;
	uint8_t reason;	  /* VDP_ITEM_BAD_VSI */
	const char *what; /* VDP_ITEM_BAD_VSI / VDP_ITEM_ERROR / VDP_ITEM_SKIPPED */
	uint8_t tlv_type; /* raw type of the TLV at offset */
	struct vdp_filter filters[VDP_MAX_FILTERS];
};

struct vdp_unpacker {
	struct rd r;
	bool have_mgrid;
	uint8_t mgrid[VDP_MGRID_LEN];
	bool done;
};

void vdp_unpack_begin(struct vdp_unpacker *u, const uint8_t *ulpdu, size_t len);
/* Next item; returns item->kind.  After END or ERROR it keeps returning that. */
enum vdp_item_kind vdp_unpack_next(struct vdp_unpacker *u, struct vdp_item *item);

#endif
