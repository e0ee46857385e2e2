/* SPDX-License-Identifier: ISC */
/*
 * draft.h - the pre-standard EVB of IEEE 802.1Qbg draft 0.2, as the
 * switches and lldpad's "evb" and "vdp" modules of that time speak it
 * (docs/protocol.md, "Draft 0.2"): codecs only, no machine.
 *
 * - the draft EVB TLV: an LLDP organizationally specific TLV, OUI 00-1B-3F
 *   subtype 0, 9 octets after OUI and subtype: supported and configured
 *   forwarding mode, supported and configured capabilities, supported and
 *   configured number of VSIs, RTE;
 * - the draft ECP header: EtherType 0x88B7 to 01-80-C2-00-00-0E, OUI
 *   00-1B-3F, a pad octet, subtype (2 octets, 0 = VDP), mode (0 request,
 *   1 ACK), sequence number (2 octets); the ULPDU follows a request;
 * - the draft VDP TLV: one LLDP-style organizationally specific TLV per
 *   VSI (7-bit type 127, 9-bit length), OUI 00-1B-3F subtype 2: mode,
 *   response, manager ID (1 octet), VSI type ID (3), version, instance
 *   UUID (16), filter format (only 2, MAC/VLAN), entry count (2) and the
 *   MAC (6) + VLAN (2) pairs.
 *
 * Every decoder is bounds-checked: it reads through struct rd and never
 * past len.  Pointers in decoded structures point into the caller's buffer.
 */
#ifndef VDP_DRAFT_H
#define VDP_DRAFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"
#include "vdp_tlv.h"

#define DRAFT_OUI	      0x001b3f
#define ETHERTYPE_ECP_DRAFT   0x88b7
#define DRAFT_EVB_SUBTYPE     0
#define DRAFT_VDP_SUBTYPE     2
#define DRAFT_EVB_LEN	      13 /* value octets: OUI, subtype and 9 */
#define DRAFT_ECP_HDR_LEN     9
#define DRAFT_ECP_SUBTYPE_VDP 0
#define DRAFT_ECP_REQUEST     0
#define DRAFT_ECP_ACK	      1
#define DRAFT_VDP_FIXED_LEN   30 /* value octets up to and with the entry count */
#define DRAFT_VDP_PAIR_LEN    8	 /* MAC (6) + VLAN (2) */
/* the most MAC/VLAN pairs in one TLV (9-bit length): 60 */
#define DRAFT_VDP_MAX_PAIRS	 ((LLDP_TLV_MAX_LEN - DRAFT_VDP_FIXED_LEN) / DRAFT_VDP_PAIR_LEN)
#define DRAFT_VDP_FORMAT_MACVLAN 2

/* Forwarding mode (smode, cmode) and capability (scap, ccap) bits. */
#define DRAFT_EVB_MODE_STANDARD 0x80
#define DRAFT_EVB_MODE_RR	0x40
#define DRAFT_EVB_CAP_RTE	0x04
#define DRAFT_EVB_CAP_ECP	0x02
#define DRAFT_EVB_CAP_VDP	0x01

/* VDP modes (requests) and responses. */
enum draft_vdp_mode {
	DRAFT_VDP_PREASSOC = 0,
	DRAFT_VDP_PREASSOC_RR = 1,
	DRAFT_VDP_ASSOC = 2,
	DRAFT_VDP_DEASSOC = 3,
};
enum draft_vdp_response {
	DRAFT_VDP_RSP_SUCCESS = 0,
	DRAFT_VDP_RSP_INVALID_FORMAT = 1,
	DRAFT_VDP_RSP_INSUFF_RESOURCES = 2,
	DRAFT_VDP_RSP_UNUSED_VTID = 3,
	DRAFT_VDP_RSP_VTID_VIOLATION = 4,
	DRAFT_VDP_RSP_VTID_VER_VIOLATION = 5,
	DRAFT_VDP_RSP_OUT_OF_SYNC = 6,
	DRAFT_VDP_RSP_MAX = 6,
};

struct draft_evb_tlv {
	uint8_t smode; /* supported forwarding modes */
	uint8_t scap;  /* supported capabilities */
	uint8_t cmode; /* configured forwarding mode */
	uint8_t ccap;  /* configured capabilities */
	uint16_t svsi; /* supported number of VSIs */
	uint16_t cvsi; /* configured number of VSIs */
	uint8_t rte;   /* retransmission exponent */
};

/* Encode the whole TLV with its LLDP header: 15 octets, or -ENOSPC. */
int draft_evb_encode(const struct draft_evb_tlv *t, uint8_t *out, size_t cap);
/* Decode the value octets (from the OUI).  0; -ENOENT when they are not
 * OUI 00-1B-3F subtype 0; -EINVAL when the length is not 13. */
int draft_evb_decode(const uint8_t *val, size_t len, struct draft_evb_tlv *t);

struct draft_ecp_hdr {
	uint8_t pad;
	uint16_t subtype;
	uint8_t mode; /* DRAFT_ECP_REQUEST or DRAFT_ECP_ACK */
	uint16_t seq;
};

/* Decode the header at p (the Ethernet payload).  0; -EINVAL: fewer than 9
 * octets; -EPROTO: another OUI or a mode other than request or ACK. */
int draft_ecp_hdr_decode(const uint8_t *p, size_t len, struct draft_ecp_hdr *h);
/* Encode 9 octets (pad sent as 0).  Returns 9 or -ENOSPC. */
int draft_ecp_hdr_encode(const struct draft_ecp_hdr *h, uint8_t *out, size_t cap);

struct draft_vdp_pair {
	uint8_t mac[6];
	uint16_t vlan; /* the two octets as sent (lldpad: VID, PCP in the top bits) */
};

struct draft_vdp_tlv {
	uint8_t mode;	  /* enum draft_vdp_mode */
	uint8_t response; /* enum draft_vdp_response */
	uint8_t mgrid;
	uint32_t type_id; /* 24 bits */
	uint8_t version;
	uint8_t uuid[16];
	uint8_t format;			    /* DRAFT_VDP_FORMAT_MACVLAN */
	uint16_t entries;		    /* pairs that follow */
	const uint8_t *raw_pairs;	    /* decode: entries x 8 octets in the caller's buffer */
	const struct draft_vdp_pair *pairs; /* encode: the pairs to send */
};

/* Why a draft VDP TLV was refused (draft_vdp_decode), for logs and decode. */
enum draft_vdp_err {
	DRAFT_VDP_OK = 0,
	DRAFT_VDP_SHORT,       /* fewer than 30 value octets */
	DRAFT_VDP_NOT_VDP,     /* not OUI 00-1B-3F subtype 2 */
	DRAFT_VDP_BAD_MODE,    /* mode above 3 */
	DRAFT_VDP_BAD_FORMAT,  /* filter format other than 2 (MAC/VLAN) */
	DRAFT_VDP_BAD_ENTRIES, /* the pairs do not fill the rest exactly */
};
const char *draft_vdp_err_str(enum draft_vdp_err e);

/* Decode the value octets (from the OUI) of one VDP TLV. */
enum draft_vdp_err draft_vdp_decode(const uint8_t *val, size_t len, struct draft_vdp_tlv *t);
/* Pair i (< t->entries) of a decoded TLV. */
void draft_vdp_pair(const struct draft_vdp_tlv *t, uint16_t i, struct draft_vdp_pair *out);
/* Encode one VDP TLV with its LLDP header from t (t->pairs, t->entries).
 * Returns octets or -EINVAL (mode, format or more than
 * DRAFT_VDP_MAX_PAIRS pairs) / -ENOSPC. */
int draft_vdp_encode(const struct draft_vdp_tlv *t, uint8_t *out, size_t cap);

/* Walk the TLVs of a draft ULPDU: the next TLV header at *off (type, value
 * and its length).  1 with the TLV, 0 at the end (no room for a header, or
 * an End TLV), -EINVAL when a TLV runs past len (*off stays at it). */
int draft_ulpdu_next(const uint8_t *p, size_t len, size_t *off, uint8_t *type, const uint8_t **val,
		     uint16_t *vlen);

/* Between a draft VDP TLV and the VSI TLV of 802.1Qbg-2012 (clause 41.2)
 * that the VSI tables and machines use.  Choices where the sources are
 * silent (docs/protocol-choices.md): mode m is TLV type m + 1 (as lldpad
 * maps them); the one-octet manager ID is octet 0 of the 16-octet one (where
 * evbctl and the lldpad-nl plugin put a one-octet manager ID),
 * the others zero; the UUID is VSIID format 5; a pair is a MAC/VID filter
 * (format 2) whose VID is the VLAN field's low 12 bits and whose PCP is
 * bits 14-12, significant (PS) when any of the top 4 bits is set (sent
 * with bit 15 set, the PCP in bits 14-12, when PS is); the
 * response codes map to reason codes as draft_response_reason() says. */

/* Draft response -> 2012 reason code: 0-2 the same, 3-6 "other failure"
 * (4), above 6 "invalid format" (1). */
uint8_t draft_response_reason(uint8_t response);
/* 2012 reason code -> draft response: 0-2 the same, 3 (no manager) ->
 * 3 (unused VSI type ID), 5 (invalid VID, group or MAC) -> 1 (invalid
 * format), others -> 4 (VSI type ID violation). */
uint8_t draft_reason_response(uint8_t reason);

/* A decoded draft TLV as a 2012 VSI TLV: v->filters = filters (room for
 * d->entries), mgrid filled; response: a bridge's answer (status gets the
 * response bit and the reason).  0, or -EINVAL when d->entries is above
 * DRAFT_VDP_MAX_PAIRS. */
int draft_to_vsi(const struct draft_vdp_tlv *d, bool response, struct vdp_vsi_tlv *v,
		 uint8_t mgrid[VDP_MGRID_LEN], struct vdp_filter *filters);
/* Why a VSI with this manager ID, VSIID format, filter format and number
 * of filters cannot be said in the draft (a phrase: "its VSIID is not a
 * UUID, ..."), or NULL when it can. */
const char *draft_cannot_say(const uint8_t mgrid[VDP_MGRID_LEN], uint8_t vsiid_fmt, uint8_t fif,
			     uint16_t nfilters);
/* A 2012 VSI TLV as a draft TLV to send: d->pairs = pairs (room for
 * v->nfilters).  0, or -ERANGE when it cannot be said in the draft: a
 * VSIID other than a UUID, filters other than MAC/VID, more than
 * DRAFT_VDP_MAX_PAIRS of them, or a manager ID above 255. */
int draft_from_vsi(const struct vdp_vsi_tlv *v, const uint8_t mgrid[VDP_MGRID_LEN],
		   struct draft_vdp_tlv *d, struct draft_vdp_pair *pairs);

/* Names for logs and evbctl decode. */
const char *draft_vdp_mode_name(uint8_t mode);
const char *draft_vdp_response_name(uint8_t response);

#endif
