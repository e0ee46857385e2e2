/* SPDX-License-Identifier: ISC */
/*
 * vdp_tlv.h - VDP TLVs of 802.1Qbg-2012 clause 41.2: the 2-octet TLV
 * header, the VSI Manager ID TLV, the four VSI TLVs (Pre-Associate,
 * Pre-Associate with RR, Associate, De-Associate) with their status octet,
 * VSIID formats and filter formats, and organizationally defined TLVs kept
 * as opaque octets.  Encoding, decoding and the validation a bridge applies
 * to a request, each rejection with the reason code it answers with.
 */
#ifndef VDP_VDP_TLV_H
#define VDP_VDP_TLV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytes.h"
#include "proto.h"

/* Largest entry counts that fit the 511-octet TLV (802.1Qbg 41.2.9); format 1 is the largest. */
#define VDP_MAX_FILTERS 243

struct vdp_filter {
	uint32_t group; /* Group ID (formats 3, 4), else 0 */
	uint8_t mac[6]; /* formats 2, 4, else zero */
	uint16_t vid;	/* 12 bits; 0 = "bridge, choose" */
	uint8_t pcp;	/* 3 bits */
	bool ps;	/* PCP significant */
};

/* A VSI TLV (types 1..4) as decoded or to be encoded. */
struct vdp_vsi_tlv {
	uint8_t type;	  /* VDP_TLV_PREASSOC .. VDP_TLV_DEASSOC */
	uint8_t status;	  /* raw status octet (802.1Qbg 41.2.3) */
	uint32_t type_id; /* 24 bits */
	uint8_t type_ver;
	uint8_t vsiid_fmt;
	uint8_t vsiid[VDP_VSIID_LEN];
	uint8_t fif;	   /* filter info format */
	uint16_t nfilters; /* entry count as on the wire */
	const struct vdp_filter *filters;
	/* Organizationally defined TLVs that follow this VSI TLV, as raw octets
	 * including their 2-octet headers; re-emitted unchanged after it. */
	const uint8_t *org;
	size_t org_len;
};

/* TLV header helpers. */
static inline uint16_t vdp_tlv_hdr(uint8_t type, uint16_t len)
{
	return (uint16_t)((type & 0x7f) << 9 | (len & 0x1ff));
}

/* Octets of one filter entry for a filter format; 0 for an unknown format. */
size_t vdp_fif_entry_len(uint8_t fif);
/* Encoded size of the VSI TLV including its header and following org TLVs. */
size_t vdp_vsi_tlv_size(const struct vdp_vsi_tlv *t);

/* Encoders append to w (w->err set when it does not fit). */
void vdp_mgrid_encode(struct wr *w, const uint8_t mgrid[VDP_MGRID_LEN]);
void vdp_vsi_tlv_encode(struct wr *w, const struct vdp_vsi_tlv *t);

/* Decode the value of a VSI TLV (after the 2-octet header) of the given
 * type.  Filters go to filt (room for VDP_MAX_FILTERS).  Returns:
 *   0          well formed (call vdp_vsi_tlv_check() for content rules);
 *   > 0        a reason code (VDP_RSN_INVALID_FMT): the VSIID was readable
 *              (t->vsiid_fmt/vsiid/type fields valid) but the rest is not, so
 *              a bridge can still answer with this reason;
 *   -EINVAL    too short to identify the VSI (fewer than 23 octets).
 * On failure *what names the problem and *where its offset in val. */
int vdp_vsi_tlv_decode(uint8_t type, const uint8_t *val, size_t len, struct vdp_vsi_tlv *t,
		       struct vdp_filter *filt, const char **what, size_t *where);

/* Content rules a bridge applies to a request (802.1Qbg 41.2.6-41.2.9): VSIID layout
 * for its format, filter format known, entries >= 1, VID 0..4094 (at most one
 * wildcard VID 0 with format 1), unicast non-zero MACs, non-zero Group IDs,
 * group formats only when gid_ok.  Returns VDP_RSN_SUCCESS or the reason
 * code; *what gets a sentence fragment naming the problem. */
uint8_t vdp_vsi_tlv_check(const struct vdp_vsi_tlv *t, bool gid_ok, const char **what);
/* Same, and *entry gets the 1-based number of the filter entry at fault (0
 * when the problem is not in one entry), e.g. "filter 2: VID 4095 is reserved". */
uint8_t vdp_vsi_tlv_check_ex(const struct vdp_vsi_tlv *t, bool gid_ok, const char **what,
			     unsigned *entry);

/* VSIID format check alone (used by the CLI for user input too). */
bool vdp_vsiid_valid(uint8_t fmt, const uint8_t id[VDP_VSIID_LEN]);

/* Names for printing: "assoc", "deassoc", "preassoc", "preassoc-rr". */
const char *vdp_tlv_type_name(uint8_t type);
/* A VSI command as evbctl, the log and the events name it: "preassociate",
 * "preassociate-rr", "associate", "deassociate"; "none" for anything else. */
const char *vdp_cmd_word(uint8_t type);
const char *vdp_reason_name(uint8_t reason);
const char *vdp_vsiid_fmt_name(uint8_t fmt); /* "ipv4" "ipv6" "mac" "local" "uuid" */
const char *vdp_fif_name(uint8_t fif);	     /* "vid" "mac-vid" "group-vid" "group-mac-vid" */

/* Format a VSIID as text for its format (UUID 8-4-4-4-12, dotted IPv4, IPv6,
 * MAC, hex for local) into buf (>= 48 octets).  Returns buf. */
char *vdp_vsiid_str(uint8_t fmt, const uint8_t id[VDP_VSIID_LEN], char *buf, size_t cap);
/* Parse the text forms above ("uuid" also accepts 32 hex digits).  0 / -EINVAL. */
int vdp_vsiid_parse(uint8_t fmt, const char *s, uint8_t id[VDP_VSIID_LEN]);

#endif
