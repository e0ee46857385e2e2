/* SPDX-License-Identifier: ISC */
/*
 * evb_tlv.h - the LLDP EVB TLV of 802.1Qbg-2012 (OUI 00-80-C2, subtype 0x0D):
 * its fields and its 9-octet encoding (802.1Q D.2.13).  Negotiation is in evb.h.
 */
#ifndef VDP_EVB_TLV_H
#define VDP_EVB_TLV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct evb_tlv {
	/* bridge status (octet 4) */
	bool bgid, rrcap, rrctr;
	/* station status (octet 5) */
	bool sgid, rrreq;
	uint8_t rrstat;	       /* EVB_RRSTAT_* (2 bits) */
	uint8_t r;	       /* ECP max retries, 0..7 */
	uint8_t rte;	       /* ECP ack timer exponent, 0..31 */
	uint8_t mode;	       /* EVB_MODE_* */
	bool rol_rwd;	       /* RWD carries the remote's value */
	uint8_t rwd;	       /* resource wait delay exponent, 0..31 */
	bool rol_rka;	       /* RKA carries the remote's value */
	uint8_t rka;	       /* reinit keep-alive exponent, 0..31 */
	uint8_t reserved_bits; /* non-zero reserved bits seen on receive (warnings) */
};

/* reserved_bits: which octets carried non-zero reserved bits. */
#define EVB_RSV_SEEN_BRIDGE  0x01 /* octet 4 bits 7-3 */
#define EVB_RSV_SEEN_STATION 0x02 /* octet 5 bits 7-4 */
#define EVB_RSV_SEEN_RKA     0x04 /* octet 8 bits 7-6 */

/* Value part (after the 2-octet LLDP header): OUI + subtype + 5 octets. */
#define EVB_TLV_VALUE_LEN 9

/* Encode the whole TLV including the LLDP header (11 octets) into out.
 * Returns octets written, -ENOSPC, or -EINVAL when a field is out of range
 * (R > 7, an exponent > 31, RRSTAT > 3, mode 3).  Reserved bits are sent as 0. */
int evb_tlv_encode(const struct evb_tlv *t, uint8_t *out, size_t cap);

/* Decode the value octets (starting at the OUI).  Returns 0, or -EINVAL when
 * the length is not 9 or OUI/subtype differ; -ERANGE when the mode is 3
 * (reserved).  Reserved bits are recorded, not rejected. */
int evb_tlv_decode(const uint8_t *val, size_t len, struct evb_tlv *t);

#endif
