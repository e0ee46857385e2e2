/* SPDX-License-Identifier: ISC */
/*
 * eth.c - Ethernet II framing (see eth.h).
 */
#include "eth.h"

#include <errno.h>
#include <string.h>

#include "bytes.h"

int eth_build(const uint8_t dst[6], const uint8_t src[6], uint16_t ethertype,
	      const uint8_t *payload, size_t len, uint8_t *out, size_t cap)
{
	struct wr w = wr_init(out, cap);
	wr_bytes(&w, dst, 6);
	wr_bytes(&w, src, 6);
	wr_u16(&w, ethertype);
	wr_bytes(&w, payload, len);
	if (w.off < ETH_MIN_FRAME)
		wr_zeros(&w, ETH_MIN_FRAME - w.off);
	return w.err ? -ENOSPC : (int)w.off;
}

int eth_parse(const uint8_t *p, size_t len, struct eth_hdr *h, const uint8_t **payload,
	      size_t *plen)
{
	struct rd r = rd_init(p, len);
	rd_bytes(&r, h->dst, 6);
	rd_bytes(&r, h->src, 6);
	h->ethertype = rd_u16(&r);
	h->vlan_tci = 0;
	if (h->ethertype == 0x8100) {
		h->vlan_tci = rd_u16(&r);
		h->ethertype = rd_u16(&r);
	}
	if (r.err)
		return -EINVAL;
	*payload = p + r.off;
	*plen = len - r.off;
	return 0;
}
