/* SPDX-License-Identifier: ISC */
/*
 * cdcp_tlv.h - the LLDP CDCP TLV (S-channel discovery, OUI 00-80-C2 subtype
 * 0x0E; 802.1Q D.2.14): role, SComp, ChnCap and the SCID/SVID pairs.  Codec only;
 * evbd does not run CDCP yet.
 */
#ifndef VDP_CDCP_TLV_H
#define VDP_CDCP_TLV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

struct cdcp_pair {
	uint16_t scid; /* 12 bits */
	uint16_t svid; /* 12 bits */
};

struct cdcp_tlv {
	bool role_s;	 /* true: S (station) role; false: B (bridge) */
	bool scomp;	 /* S-VLAN component present */
	uint16_t chncap; /* number of S-channels supported, 12 bits */
	uint16_t npairs;
	struct cdcp_pair pairs[CDCP_MAX_PAIRS];
};

/* Encode the whole TLV including the LLDP header.  Returns octets or -ENOSPC/-EINVAL. */
int cdcp_tlv_encode(const struct cdcp_tlv *t, uint8_t *out, size_t cap);

/* Decode the value octets (from the OUI).  -EINVAL: length not 8 + 3n, or more
 * than 167 pairs, or wrong OUI/subtype. */
int cdcp_tlv_decode(const uint8_t *val, size_t len, struct cdcp_tlv *t);

#endif
