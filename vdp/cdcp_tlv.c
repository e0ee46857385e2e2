/* SPDX-License-Identifier: ISC */
/*
 * cdcp_tlv.c - encoder and decoder of the LLDP CDCP TLV (S-channel discovery,
 * OUI 00-80-C2 subtype 0x0E; 802.1Q D.2.14): role, SComp, ChnCap and up to 167
 * SCID/SVID pairs of 3 octets each.  Reserved bits are sent as 0 and ignored
 * on receive.
 */
#include "cdcp_tlv.h"

#include <errno.h>
#include <string.h>

#include "bytes.h"

static bool cdcp_tlv_in_range(const struct cdcp_tlv *t)
{
	if (t->npairs > CDCP_MAX_PAIRS || t->chncap > CDCP_CHNCAP_MASK)
		return false;
	for (uint16_t i = 0; i < t->npairs; i++)
		if (t->pairs[i].scid > CDCP_ID_MASK || t->pairs[i].svid > CDCP_ID_MASK)
			return false;
	return true;
}

int cdcp_tlv_encode(const struct cdcp_tlv *t, uint8_t *out, size_t cap)
{
	if (!cdcp_tlv_in_range(t))
		return -EINVAL;
	struct wr w = wr_init(out, cap);

	wr_u16(&w, LLDP_TLV_HDR(LLDP_TLV_ORG, CDCP_FIXED_LEN + CDCP_PAIR_LEN * t->npairs));
	wr_u24(&w, OUI_IEEE_8021);
	wr_u8(&w, CDCP_TLV_SUBTYPE);
	wr_u8(&w, (uint8_t)((t->role_s ? CDCP_ROLE_S : 0) | (t->scomp ? CDCP_SCOMP : 0)));
	wr_u8(&w, 0);
	wr_u16(&w, t->chncap);
	for (uint16_t i = 0; i < t->npairs; i++)
		wr_u24(&w, (uint32_t)t->pairs[i].scid << CDCP_SCID_SHIFT | t->pairs[i].svid);
	return w.err ? -ENOSPC : (int)w.off;
}

int cdcp_tlv_decode(const uint8_t *val, size_t len, struct cdcp_tlv *t)
{
	if (len < CDCP_FIXED_LEN || (len - CDCP_FIXED_LEN) % CDCP_PAIR_LEN)
		return -EINVAL;
	size_t npairs = (len - CDCP_FIXED_LEN) / CDCP_PAIR_LEN;

	if (npairs > CDCP_MAX_PAIRS)
		return -EINVAL;
	struct rd r = rd_init(val, len);

	if (rd_u24(&r) != OUI_IEEE_8021 || rd_u8(&r) != CDCP_TLV_SUBTYPE)
		return -EINVAL;
	uint8_t flags = rd_u8(&r);

	rd_u8(&r); /* reserved */
	memset(t, 0, sizeof(*t));
	t->role_s = flags & CDCP_ROLE_S;
	t->scomp = flags & CDCP_SCOMP;
	t->chncap = rd_u16(&r) & CDCP_CHNCAP_MASK;
	t->npairs = (uint16_t)npairs;
	for (size_t i = 0; i < npairs; i++) {
		uint32_t v = rd_u24(&r);

		t->pairs[i].scid = (uint16_t)(v >> CDCP_SCID_SHIFT);
		t->pairs[i].svid = v & CDCP_ID_MASK;
	}
	return 0;
}
