/* SPDX-License-Identifier: ISC */
/*
 * eth.h - Ethernet II framing for LLDP and ECP frames: build with padding to
 * the 60-octet minimum, parse (one 802.1Q tag tolerated) with bounds checks.
 */
#ifndef VDP_ETH_H
#define VDP_ETH_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

struct eth_hdr {
	uint8_t dst[6];
	uint8_t src[6];
	uint16_t vlan_tci; /* 0 when untagged */
	uint16_t ethertype;
};

/* Build header + payload, zero-padded to ETH_MIN_FRAME.  Returns the frame
 * length or -ENOSPC. */
int eth_build(const uint8_t dst[6], const uint8_t src[6], uint16_t ethertype,
	      const uint8_t *payload, size_t len, uint8_t *out, size_t cap);

/* Parse; payload and plen point into p.  0 or -EINVAL (shorter than a header). */
int eth_parse(const uint8_t *p, size_t len, struct eth_hdr *h, const uint8_t **payload,
	      size_t *plen);

#endif
