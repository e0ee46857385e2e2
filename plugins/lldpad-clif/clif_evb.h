/* SPDX-License-Identifier: ISC */
/*
 * clif_evb.h - lldptool's view of EVB, without I/O: the attributes of
 * `lldptool -t|-T -g ncb -V evb -c KEY[=VALUE]` (lldpad's module for the
 * 802.1Qbg-2012 EVB TLV, TLV id 0x0080c20d) over a port's EVB settings,
 * read and written in lldpad's key/value form; and the TLVs of an LLDPDU
 * printed as hex, as lldpad answers `lldptool -t [-n] [-V TLV]`
 * (docs/lldpad-clif.md).
 */
#ifndef LLDPAD_CLIF_EVB_H
#define LLDPAD_CLIF_EVB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clif_msg.h"
#include "plugins/plugin_api.h"

#define CLIF_TLV_ALL 0x7fu	 /* lldptool without -V: every TLV */
#define CLIF_TLV_EVB 0x0080c20du /* OUI 00-80-C2, subtype 0x0d */

/* Append the attributes r names (every one when it names none) as
 * lldpad does: 2-hex name length, name, 4-hex value length, value.
 * CLIF_OK, or CLIF_NOT_APPLICABLE for a name lldpad does not have (*why
 * names the fault). */
int clif_evb_get(const struct clif_req *r, const struct evbd_evb_settings *s, struct clif_buf *b,
		 const char **why);

/* Apply r's KEY=VALUE arguments to *s (all or none).  CLIF_OK;
 * CLIF_BAD_PARAMS for a value out of lldpad's range or one evbd cannot
 * take (enableTx=no, another evbmode); CLIF_NOT_APPLICABLE for a name
 * lldpad does not have; *why names the fault. */
int clif_evb_set(const struct clif_req *r, struct evbd_evb_settings *s, const char **why);

/* Append as hex the TLVs of an LLDPDU (tlvs, len octets, End TLV
 * included) that tlvid selects: every one (CLIF_TLV_ALL), a basic TLV by
 * its type (below 127), an organizationally specific one by OUI << 8 |
 * subtype.  Whether one was found. */
bool clif_tlv_put(struct clif_buf *b, const uint8_t *tlvs, size_t len, uint32_t tlvid);

#endif
