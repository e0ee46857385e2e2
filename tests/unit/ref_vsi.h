/* SPDX-License-Identifier: ISC */
/*
 * ref_vsi.h - reference VSIs shared by the VDP TLV and packer tests: the
 * Associate of docs/protocol.md "Worked frame" (type ID 0x123456, PS=1 PCP=5
 * VID=100) and the parts of lldpad's associate (docs/protocol.md "A captured lldpad exchange").
 */
#ifndef TESTS_REF_VSI_H
#define TESTS_REF_VSI_H

#include <stdint.h>
#include <string.h>

#include "vdp/vdp_tlv.h"

static const uint8_t lldpad_uuid[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
					0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
static const struct vdp_filter lldpad_filter = {.mac = {0x52, 0x54, 0x00, 0x8e, 0xaa, 0x11},
						.vid = 2};

static const struct vdp_filter ref58_filter = {
    .mac = {0x52, 0x54, 0x00, 0xc7, 0x3e, 0xce}, .vid = 100, .pcp = 5, .ps = true};

/* The 5.8 Associate with the VSIID at vsiid (16 octets). */
static inline struct vdp_vsi_tlv ref58_tlv(const uint8_t *vsiid)
{
	struct vdp_vsi_tlv t = {.type = VDP_TLV_ASSOC,
				.type_id = 0x123456,
				.type_ver = 1,
				.vsiid_fmt = VDP_VSIID_UUID,
				.fif = VDP_FIF_MACVID,
				.nfilters = 1,
				.filters = &ref58_filter};

	memcpy(t.vsiid, vsiid, 16);
	return t;
}

#endif
