/* SPDX-License-Identifier: ISC */
/*
 * draft_edge.h - draft 0.2 at the edge of the 802.1Qbg-2012 engine
 * (docs/protocol-choices.md, "Draft 0.2"): the draft EVB negotiation, and
 * the conversion of whole ECP payloads between the draft (EtherType
 * 0x88B7, one draft VDP TLV per VSI) and the 2012 form (EtherType 0x8940,
 * Manager ID TLV + VSI TLVs) that vdp_port speaks.  A port in draft mode
 * converts every ECPDU it sends and receives here, so that the VSI tables,
 * machines and everything above them stay those of 2012.  Pure: no I/O.
 */
#ifndef VDP_DRAFT_EDGE_H
#define VDP_DRAFT_EDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "draft.h"
#include "evb.h"

/* The most VSIs a port says it supports in the draft EVB TLV (svsi). */
#define DRAFT_EVB_SVSI 4096

/* The largest 2012 ULPDU (with its End TLV) whose draft form fits one
 * ECPDU: a VSI TLV of 2012 (26 + 8n octets) grows to 32 + 8n in the
 * draft, at most by 32/26; the 9-octet draft ECP header leaves 1491. */
#define DRAFT_ULPDU_2012_MAX 1200

/* Negotiate the draft EVB TLV as lldpad's "evb" module does: reflective
 * relay configured when both support it (station: rrreq, bridge: rrcap),
 * RTE, ECP and VDP configured when both support them, RTE the larger of
 * the two (clamped to max_rte).  remote may be NULL (none seen).  oper
 * is valid with a remote TLV that has a forwarding mode; R, RWD and RKA
 * are the local ones (the draft TLV does not carry them).  Returns true
 * when tx or oper changed. */
bool draft_evb_negotiate(const struct evb_local *l, const struct draft_evb_tlv *remote,
			 struct evb_oper *oper, struct draft_evb_tlv *tx);

/* A 2012 ECP payload (header + ULPDU, as vdp_port sends it) as a draft
 * one: ACK for ACK; a request's VSI TLVs each become one draft VDP TLV
 * with the Manager ID in force.  A VSI TLV the draft cannot say (see
 * draft_from_vsi) is left out and counted in *dropped.  Octets written,
 * or -EINVAL (malformed input) / -ENOSPC. */
int draft_ecp_from_2012(const uint8_t *pl, size_t len, uint8_t *out, size_t cap, unsigned *dropped);

/* A draft ECP payload as a 2012 one for vdp_port: ACK for ACK; each draft
 * VDP TLV of a request becomes a Manager ID TLV (when it changes) and a
 * VSI TLV, then an End TLV.  station: the port is a station, so the TLVs
 * are the bridge's answers (the response bit set), except a De-Associate,
 * taken as the bridge's own (the draft has no response flag: a station
 * drops the VSI either way).  Other TLVs are skipped; a malformed VDP TLV
 * is skipped and counted in *bad, *err saying why.  Octets written,
 * -EPROTO (not a draft ECP header), -EINVAL (a TLV runs past the payload)
 * or -ENOSPC. */
int draft_ecp_to_2012(const uint8_t *pl, size_t len, bool station, uint8_t *out, size_t cap,
		      unsigned *bad, enum draft_vdp_err *err);

#endif
