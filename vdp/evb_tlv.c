/* SPDX-License-Identifier: ISC */
/*
 * evb_tlv.c - encoder and decoder of the LLDP EVB TLV of 802.1Qbg-2012
 * (OUI 00-80-C2, subtype 0x0D; 802.1Q D.2.13): header FE 09, OUI, subtype and five
 * value octets (bridge status, station status, R/RTE, mode/ROL/RWD, ROL/RKA).
 */
#include "evb_tlv.h"

#include <errno.h>

#include "bytes.h"
#include "proto.h"

static bool evb_tlv_in_range(const struct evb_tlv *t)
{
	return t->rrstat <= EVB_RRSTAT_MASK && t->r <= EVB_R_MAX && t->rte <= EVB_EXP_MAX &&
	       t->rwd <= EVB_EXP_MAX && t->rka <= EVB_EXP_MAX && t->mode < EVB_MODE_RESERVED;
}

static uint8_t flag(bool on, uint8_t mask)
{
	return on ? mask : 0;
}

static uint8_t bridge_status(const struct evb_tlv *t)
{
	return flag(t->bgid, EVB_BGID) | flag(t->rrcap, EVB_RRCAP) | flag(t->rrctr, EVB_RRCTR);
}

static uint8_t station_status(const struct evb_tlv *t)
{
	return flag(t->sgid, EVB_SGID) | flag(t->rrreq, EVB_RRREQ) | t->rrstat;
}

int evb_tlv_encode(const struct evb_tlv *t, uint8_t *out, size_t cap)
{
	if (!evb_tlv_in_range(t))
		return -EINVAL;
	struct wr w = wr_init(out, cap);

	wr_u16(&w, LLDP_TLV_HDR(LLDP_TLV_ORG, EVB_TLV_LEN));
	wr_u24(&w, OUI_IEEE_8021);
	wr_u8(&w, EVB_TLV_SUBTYPE);
	wr_u8(&w, bridge_status(t));
	wr_u8(&w, station_status(t));
	wr_u8(&w, (uint8_t)(t->r << EVB_R_SHIFT | t->rte));
	wr_u8(&w, (uint8_t)(t->mode << EVB_MODE_SHIFT | flag(t->rol_rwd, EVB_ROL) | t->rwd));
	wr_u8(&w, flag(t->rol_rka, EVB_ROL) | t->rka);
	return w.err ? -ENOSPC : (int)w.off;
}

static uint8_t reserved_seen(uint8_t bridge, uint8_t station, uint8_t rka)
{
	return flag(bridge & EVB_BRIDGE_RSV, EVB_RSV_SEEN_BRIDGE) |
	       flag(station & EVB_STATION_RSV, EVB_RSV_SEEN_STATION) |
	       flag(rka & EVB_RKA_RSV, EVB_RSV_SEEN_RKA);
}

int evb_tlv_decode(const uint8_t *val, size_t len, struct evb_tlv *t)
{
	if (len != EVB_TLV_VALUE_LEN)
		return -EINVAL;
	struct rd r = rd_init(val, len);

	if (rd_u24(&r) != OUI_IEEE_8021 || rd_u8(&r) != EVB_TLV_SUBTYPE)
		return -EINVAL;
	uint8_t bridge = rd_u8(&r);
	uint8_t station = rd_u8(&r);
	uint8_t r_rte = rd_u8(&r);
	uint8_t mode_rwd = rd_u8(&r);
	uint8_t rka = rd_u8(&r);
	uint8_t mode = mode_rwd >> EVB_MODE_SHIFT;

	if (mode == EVB_MODE_RESERVED)
		return -ERANGE;
	*t = (struct evb_tlv){
	    .bgid = bridge & EVB_BGID,
	    .rrcap = bridge & EVB_RRCAP,
	    .rrctr = bridge & EVB_RRCTR,
	    .sgid = station & EVB_SGID,
	    .rrreq = station & EVB_RRREQ,
	    .rrstat = station & EVB_RRSTAT_MASK,
	    .r = r_rte >> EVB_R_SHIFT,
	    .rte = r_rte & EVB_EXP_MASK,
	    .mode = mode,
	    .rol_rwd = mode_rwd & EVB_ROL,
	    .rwd = mode_rwd & EVB_EXP_MASK,
	    .rol_rka = rka & EVB_ROL,
	    .rka = rka & EVB_EXP_MASK,
	    .reserved_bits = reserved_seen(bridge, station, rka),
	};
	return 0;
}
