/* SPDX-License-Identifier: ISC */
/*
 * vsitype.c - the VSI type entry (see vsitype.h): its defaults and the rule
 * on its type ID.
 */
#include "ipc/vsitype.h"

#include <errno.h>
#include <stdio.h>

void vsitype_init(struct vsitype *e, uint32_t id, uint8_t ver)
{
	*e = (struct vsitype){.id = id,
			      .ver = id == EVB_VSITYPE_DEFAULT ? 0 : ver,
			      .formats = EVB_VSITYPE_FORMATS_ALL,
			      .pcp = -1};
}

int vsitype_check_id(uint32_t id, char *err, size_t cap)
{
	if (id <= EVB_VSITYPE_ID_MAX || id == EVB_VSITYPE_DEFAULT)
		return 0;
	if (err && cap)
		snprintf(err, cap, "the type ID %u does not fit 24 bits (0 to %u)", id,
			 EVB_VSITYPE_ID_MAX);
	return -EINVAL;
}
