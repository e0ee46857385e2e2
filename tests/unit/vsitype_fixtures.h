/* SPDX-License-Identifier: ISC */
/*
 * vsitype_fixtures.h - VSI type entries (ipc/vsitype.h) for unit tests:
 * vsitype_mk() builds one from its settings, assert_vsitype_equal() checks
 * that two have the same members.  Include after <cmocka.h>.
 */
#ifndef TESTS_VSITYPE_FIXTURES_H
#define TESTS_VSITYPE_FIXTURES_H

#include <stdint.h>

#include "ipc/vsitype.h"

/* An entry of type id and version ver allowing the VLANs in vlans ("100-149,300"). */
static inline struct vsitype vsitype_mk(uint32_t id, uint8_t ver, const char *vlans,
					uint16_t assign, uint8_t formats, uint32_t max, int8_t pcp)
{
	struct vsitype e;
	vsitype_init(&e, id, ver);
	assert_int_equal(vidset_parse(vlans, &e.vids, NULL, NULL), 0);
	e.assign_vid = assign;
	e.formats = formats;
	e.max_per_port = max;
	e.pcp = pcp;
	return e;
}

static inline void assert_vsitype_equal(const struct vsitype *a, const struct vsitype *b)
{
	assert_int_equal(a->id, b->id);
	assert_int_equal(a->ver, b->ver);
	assert_string_equal(a->name, b->name);
	assert_true(vidset_equal(&a->vids, &b->vids));
	assert_int_equal(a->assign_vid, b->assign_vid);
	assert_int_equal(a->formats, b->formats);
	assert_int_equal(a->max_per_port, b->max_per_port);
	assert_int_equal(a->pcp, b->pcp);
}

#endif
