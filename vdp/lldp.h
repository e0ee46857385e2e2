/* SPDX-License-Identifier: ISC */
/*
 * lldp.h - LLDPDU build and parse (IEEE 802.1AB) for the nearest-customer-
 * bridge agent that carries the EVB TLV: chassis ID, port ID, TTL, the EVB
 * and CDCP TLVs, End.  Unknown TLVs are skipped and counted.
 */
#ifndef VDP_LLDP_H
#define VDP_LLDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cdcp_tlv.h"
#include "draft.h"
#include "evb_tlv.h"
#include "proto.h"

struct lldp_id {
	uint8_t subtype;
	uint8_t len; /* 1..255 */
	uint8_t id[LLDP_ID_MAX];
};

struct lldp_pdu {
	struct lldp_id chassis;
	struct lldp_id port;
	uint16_t ttl; /* seconds; 0 = shutdown */
	bool has_evb;
	struct evb_tlv evb;
	bool has_cdcp;
	struct cdcp_tlv cdcp;
	bool has_draft_evb; /* the draft 0.2 EVB TLV (OUI 00-1B-3F subtype 0) */
	struct draft_evb_tlv draft_evb;
	uint16_t unknown_tlvs; /* TLVs skipped */
};

/* Parse error details: what was wrong and at which octet of the LLDPDU. */
struct lldp_err {
	size_t offset;
	const char *what; /* static string, e.g. "TLV length runs past the frame" */
};

/* Parse an LLDPDU (the Ethernet payload, after the EtherType).  Returns 0 or
 * -EINVAL with err filled (err may be NULL).  Mandatory order: chassis ID,
 * port ID, TTL first; End or end of data terminates.  A second EVB TLV is an
 * error (802.1AB: one per LLDPDU). */
int lldp_parse(const uint8_t *p, size_t len, struct lldp_pdu *pdu, struct lldp_err *err);

/* Build an LLDPDU (payload only, no Ethernet header) with chassis, port, TTL,
 * the EVB TLV if has_evb, the CDCP TLV if has_cdcp, the draft EVB TLV if
 * has_draft_evb, End.  Returns octets
 * written or -ENOSPC / -EINVAL (empty IDs). */
int lldp_build(const struct lldp_pdu *pdu, uint8_t *out, size_t cap);

#endif
