/* SPDX-License-Identifier: ISC */
/*
 * mgrid.c - the text form evbctl gives a VDP manager ID (IEEE 802.1Qbg-2012
 * clause 41.2.6: 16 octets), the same in `vsi list` and `decode`.
 */
#include "mgrid.h"

#include <stdbool.h>
#include <stdio.h>

void mgrid_str(const uint8_t m[VDP_MGRID_LEN], char *buf, size_t cap)
{
	bool rest_zero = true, text = m[0] >= 0x20 && m[0] < 0x7f;
	size_t len = 0;
	for (size_t i = 1; i < VDP_MGRID_LEN; i++)
		rest_zero &= m[i] == 0;
	while (len < VDP_MGRID_LEN && m[len])
		len++;
	for (size_t i = 0; i < VDP_MGRID_LEN; i++)
		text &= i < len ? (m[i] >= 0x20 && m[i] < 0x7f) : m[i] == 0;
	if (rest_zero) {
		snprintf(buf, cap, "%u", m[0]);
	} else if (text) {
		snprintf(buf, cap, "%.*s", (int)len, (const char *)m);
	} else {
		size_t o = 0;
		for (size_t i = 0; i < VDP_MGRID_LEN && o + 3 <= cap; i++)
			o += (size_t)snprintf(buf + o, cap - o, "%02x", m[i]);
	}
}
