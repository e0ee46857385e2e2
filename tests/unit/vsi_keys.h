/* SPDX-License-Identifier: ISC */
/*
 * vsi_keys.h - VSI keys for unit tests: key_n(n) is a UUID-format key made
 * from n, spread over the UUID like real ones (varying and fixed octets).
 */
#ifndef TESTS_VSI_KEYS_H
#define TESTS_VSI_KEYS_H

#include <stdint.h>

#include "vdp/vsi.h"

static inline struct vdp_vsi_key key_n(uint32_t n)
{
	struct vdp_vsi_key k = {.fmt = VDP_VSIID_UUID};

	k.id[0] = (uint8_t)(n >> 24);
	k.id[1] = (uint8_t)(n >> 16);
	k.id[2] = (uint8_t)(n >> 8);
	k.id[3] = (uint8_t)n;
	k.id[6] = 0x40;
	k.id[8] = 0x80;
	k.id[15] = 0x5a;
	return k;
}

#endif
