/* SPDX-License-Identifier: ISC */
/*
 * vsitype.h - the VSI type entry, one plain value type for everything that
 * holds one: the bridge's VSI type database (evbd/vsitype.h, which keeps
 * the entries and holds their rules), the control protocol's EVB_A_VSITYPE
 * (codec.h's ipc_put_vsitype and ipc_get_vsitype) and evbctl.  Also the
 * rule on an entry's key that the codec checks at the boundary and the
 * database with the rest of its rules.
 *
 * How many VSIs use a type (EVB_TA_IN_USE) is not part of a type: it
 * travels beside the entry.
 */
#ifndef IPC_VSITYPE_H
#define IPC_VSITYPE_H

#include <stddef.h>
#include <stdint.h>

#include "ipc/schema.h"
#include "vdp/vidset.h"

struct vsitype {
	uint32_t id;			 /* 24-bit VSI type ID, or EVB_VSITYPE_DEFAULT */
	uint8_t ver;			 /* VSI type version (0 for the default entry) */
	char name[EVB_VSITYPE_NAME_MAX]; /* free text for people, may be "" */
	struct vidset vids;		 /* VLANs allowed (not empty) */
	uint16_t assign_vid;		 /* given for VID 0; 0: VID 0 is refused */
	uint8_t formats;		 /* allowed filter info formats: bit (1 << fif) */
	uint32_t max_per_port;		 /* VSIs of this type per port, 0 = no limit */
	int8_t pcp;			 /* priority given to the filters, -1 = none */
};

/* An entry with the defaults of `evbctl vsitype add`: every format, no
 * limit, no PCP, no VLAN yet (the default entry's version is 0). */
void vsitype_init(struct vsitype *e, uint32_t id, uint8_t ver);
/* 0 when id is a 24-bit VSI type ID (clause 41.2.4) or EVB_VSITYPE_DEFAULT;
 * else -EINVAL with a sentence in err. */
int vsitype_check_id(uint32_t id, char *err, size_t cap);

#endif
