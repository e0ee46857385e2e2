/* SPDX-License-Identifier: ISC */
/*
 * test_vdp_pack.c - unit tests of vdp/vdp_pack.c: the ULPDU packer (lldpad's
 * and the worked frame's ULPDUs byte for byte, filling to 1496 octets, Manager
 * ID changes, sizes that never fit) and the unpacker (lldpad's form, ours,
 * End TLV and padding, several Manager IDs, org TLVs, skipped and malformed
 * TLVs).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "vdp/vdp_pack.h"

#include "ref_vsi.h"

/* captured lldpad exchange: ULPDU of the Associate request (frame offset 0x12..0x46). */
static const uint8_t lldpad_ulpdu[] = {
    0x0a, 0x10, 0x6c, 0x70, 0x31, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x06, 0x21, 0x00, 0x00, 0x00, 0x05, 0x04, 0x05, 0x00, 0x11,
    0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
    0x02, 0x00, 0x01, 0x52, 0x54, 0x00, 0x8e, 0xaa, 0x11, 0x00, 0x02,
};
#define LLDPAD_VSI_OFF 18
#define LLDPAD_VSI_LEN 35

/* docs/protocol.md "Worked frame": ULPDU after `10 01 00 01`. */
static const uint8_t ref58_ulpdu[] = {
    0x0a, 0x10, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
    0x0d, 0x0e, 0x0f, 0x10, 0x06, 0x21, 0x00, 0x12, 0x34, 0x56, 0x01, 0x05, 0xfa, 0x9b,
    0x7f, 0xff, 0xb0, 0xa0, 0x48, 0x93, 0x8e, 0x0e, 0xbe, 0xef, 0x4f, 0xf1, 0x8f, 0x8f,
    0x02, 0x00, 0x01, 0x52, 0x54, 0x00, 0xc7, 0x3e, 0xce, 0xd0, 0x64,
};

static const uint8_t mgrid_lp1[16] = {'l', 'p', '1'};
static const uint8_t mgrid_ref[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
static const uint8_t mgrid_zero[16];

static const struct vdp_filter two_filters[2] = {
    {.mac = {0x02, 0, 0, 0, 0, 1}, .vid = 10},
    {.mac = {0x02, 0, 0, 0, 0, 2}, .vid = 11, .pcp = 3, .ps = true},
};

/* The lldpad VSI TLV, with the first VSIID octet and VID made distinct by n. */
static struct vdp_vsi_tlv vsi(uint8_t type, uint8_t n)
{
	struct vdp_vsi_tlv t = {.type = type,
				.type_id = 5,
				.type_ver = 4,
				.vsiid_fmt = VDP_VSIID_UUID,
				.fif = VDP_FIF_MACVID,
				.nfilters = 1,
				.filters = &lldpad_filter};
	memcpy(t.vsiid, lldpad_uuid, 16);
	t.vsiid[0] = n;
	return t;
}

static struct vdp_item item;

static void assert_vsi_item(struct vdp_unpacker *u, size_t off, const uint8_t *mgrid, uint8_t type,
			    uint8_t n)
{
	assert_int_equal(vdp_unpack_next(u, &item), VDP_ITEM_VSI);
	assert_int_equal(item.kind, VDP_ITEM_VSI);
	assert_int_equal(item.offset, off);
	assert_int_equal(item.tlv_type, type);
	assert_null(item.what);
	if (mgrid) {
		assert_true(item.have_mgrid);
		assert_memory_equal(item.mgrid, mgrid, 16);
	} else {
		assert_false(item.have_mgrid);
		assert_memory_equal(item.mgrid, mgrid_zero, 16);
	}
	assert_int_equal(item.vsi.type, type);
	assert_int_equal(item.vsi.vsiid[0], n);
	assert_memory_equal(item.vsi.vsiid + 1, lldpad_uuid + 1, 15);
}

static void assert_end(struct vdp_unpacker *u, size_t off)
{
	for (int i = 0; i < 3; i++) {
		assert_int_equal(vdp_unpack_next(u, &item), VDP_ITEM_END);
		assert_int_equal(item.offset, off);
		assert_null(item.what);
	}
}

static void assert_error(struct vdp_unpacker *u, size_t off, const char *what)
{
	assert_int_equal(vdp_unpack_next(u, &item), VDP_ITEM_ERROR);
	assert_int_equal(item.offset, off);
	assert_string_equal(item.what, what);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(vdp_unpack_next(u, &item), VDP_ITEM_ERROR);
		assert_int_equal(item.offset, off);
		assert_non_null(item.what);
	}
}

static void assert_skipped(struct vdp_unpacker *u, size_t off, uint8_t type, const char *what)
{
	assert_int_equal(vdp_unpack_next(u, &item), VDP_ITEM_SKIPPED);
	assert_int_equal(item.offset, off);
	assert_int_equal(item.tlv_type, type);
	assert_string_equal(item.what, what);
}

/* ---------------- packer ---------------- */

static void test_pack_lldpad(void **state)
{
	(void)state;
	uint8_t buf[ECP_MAX_ULPDU];
	struct vdp_packer pk;
	struct vdp_vsi_tlv t = vsi(VDP_TLV_ASSOC, 0);
	vdp_pack_begin(&pk, buf, sizeof(buf));
	assert_int_equal(vdp_pack_len(&pk), 0);
	assert_int_equal(vdp_pack_add(&pk, mgrid_lp1, &t), 0);
	assert_int_equal(vdp_pack_len(&pk), sizeof(lldpad_ulpdu));
	assert_memory_equal(buf, lldpad_ulpdu, sizeof(lldpad_ulpdu));
	assert_int_equal(pk.count, 1);
	assert_true(pk.have_mgrid);
	assert_memory_equal(pk.mgrid, mgrid_lp1, 16);
}

static void test_pack_ref58(void **state)
{
	(void)state;
	struct vdp_vsi_tlv t = ref58_tlv(ref58_ulpdu + 26);
	uint8_t buf[ECP_MAX_ULPDU];
	struct vdp_packer pk;
	vdp_pack_begin(&pk, buf, sizeof(buf));
	assert_int_equal(vdp_pack_add(&pk, mgrid_ref, &t), 0);
	assert_int_equal(vdp_pack_len(&pk), sizeof(ref58_ulpdu));
	assert_memory_equal(buf, ref58_ulpdu, sizeof(ref58_ulpdu));
}

static void test_pack_fill_42(void **state)
{
	(void)state;
	/* 18 + 42 * 35 = 1488; a 43rd single-entry TLV (35) no longer fits. */
	static uint8_t buf[ECP_MAX_ULPDU], snap[ECP_MAX_ULPDU];
	struct vdp_packer pk;
	vdp_pack_begin(&pk, buf, sizeof(buf));
	for (uint8_t i = 0; i < 42; i++) {
		struct vdp_vsi_tlv t = vsi(VDP_TLV_ASSOC, i);
		assert_int_equal(vdp_pack_add(&pk, mgrid_lp1, &t), 0);
	}
	assert_int_equal(vdp_pack_len(&pk), 18 + 42 * 35);
	assert_int_equal(pk.count, 42);
	memcpy(snap, buf, sizeof(buf));
	struct vdp_vsi_tlv t = vsi(VDP_TLV_ASSOC, 42);
	assert_int_equal(vdp_pack_add(&pk, mgrid_lp1, &t), -ENOSPC);
	assert_int_equal(vdp_pack_len(&pk), 1488);
	assert_int_equal(pk.count, 42);
	assert_memory_equal(buf, snap, 1488);

	/* every TLV in order, one Manager ID, then the end */
	struct vdp_unpacker u;
	vdp_unpack_begin(&u, buf, vdp_pack_len(&pk));
	for (uint8_t i = 0; i < 42; i++)
		assert_vsi_item(&u, 18 + (size_t)i * 35, mgrid_lp1, VDP_TLV_ASSOC, i);
	assert_end(&u, 1488);
}

static void test_pack_fill_exact(void **state)
{
	(void)state;
	/* 18 + 41 * 35 + 43 (two entries) = 1496 exactly. */
	static uint8_t buf[ECP_MAX_ULPDU + 100], snap[ECP_MAX_ULPDU];
	struct vdp_packer pk;
	vdp_pack_begin(&pk, buf, sizeof(buf));
	for (uint8_t i = 0; i < 41; i++) {
		struct vdp_vsi_tlv t = vsi(VDP_TLV_ASSOC, i);
		assert_int_equal(vdp_pack_add(&pk, mgrid_lp1, &t), 0);
	}
	struct vdp_vsi_tlv two = vsi(VDP_TLV_PREASSOC, 41);
	two.filters = two_filters;
	two.nfilters = 2;
	assert_int_equal(vdp_vsi_tlv_size(&two), 43);
	assert_int_equal(vdp_pack_add(&pk, mgrid_lp1, &two), 0);
	assert_int_equal(vdp_pack_len(&pk), ECP_MAX_ULPDU);
	assert_int_equal(pk.count, 42);
	memcpy(snap, buf, ECP_MAX_ULPDU);

	/* nothing more fits, not even the smallest TLV (29 octets) */
	struct vdp_vsi_tlv small = vsi(VDP_TLV_ASSOC, 42);
	static const struct vdp_filter vid_only = {.vid = 7};
	small.fif = VDP_FIF_VID;
	small.filters = &vid_only;
	assert_int_equal(vdp_vsi_tlv_size(&small), 29);
	assert_int_equal(vdp_pack_add(&pk, mgrid_lp1, &small), -ENOSPC);
	assert_int_equal(vdp_pack_add_raw(&pk, mgrid_lp1, buf + 18, 1), -ENOSPC);
	assert_int_equal(vdp_pack_len(&pk), ECP_MAX_ULPDU);
	assert_int_equal(pk.count, 42);
	assert_memory_equal(buf, snap, ECP_MAX_ULPDU);

	struct vdp_unpacker u;
	vdp_unpack_begin(&u, buf, vdp_pack_len(&pk));
	for (uint8_t i = 0; i < 41; i++)
		assert_vsi_item(&u, 18 + (size_t)i * 35, mgrid_lp1, VDP_TLV_ASSOC, i);
	assert_vsi_item(&u, 18 + 41 * 35, mgrid_lp1, VDP_TLV_PREASSOC, 41);
	assert_int_equal(item.vsi.nfilters, 2);
	assert_int_equal(item.vsi.filters[1].vid, 11);
	assert_int_equal(item.vsi.filters[1].pcp, 3);
	assert_true(item.vsi.filters[1].ps);
	assert_end(&u, ECP_MAX_ULPDU);
}

static void test_pack_cap_clamped(void **state)
{
	(void)state;
	static uint8_t buf[4000];
	struct vdp_packer pk;
	vdp_pack_begin(&pk, buf, sizeof(buf));
	assert_int_equal(pk.w.cap, ECP_MAX_ULPDU);
	vdp_pack_begin(&pk, buf, 100);
	assert_int_equal(pk.w.cap, 100);
	assert_int_equal(pk.count, 0);
	assert_false(pk.have_mgrid);
}

static void test_pack_mgrid_change(void **state)
{
	(void)state;
	uint8_t buf[ECP_MAX_ULPDU], snap[18 + 35];
	struct vdp_packer pk;
	struct vdp_vsi_tlv t = vsi(VDP_TLV_ASSOC, 0);
	vdp_pack_begin(&pk, buf, sizeof(buf));
	assert_int_equal(vdp_pack_add(&pk, mgrid_lp1, &t), 0);
	memcpy(snap, buf, sizeof(snap));
	/* another manager: one Manager ID per ULPDU */
	t.vsiid[0] = 1;
	assert_int_equal(vdp_pack_add(&pk, mgrid_ref, &t), -ENOSPC);
	assert_int_equal(vdp_pack_add_raw(&pk, mgrid_ref, lldpad_ulpdu + 18, 35), -ENOSPC);
	assert_int_equal(vdp_pack_len(&pk), sizeof(snap));
	assert_int_equal(pk.count, 1);
	assert_memory_equal(pk.mgrid, mgrid_lp1, 16);
	assert_memory_equal(buf, snap, sizeof(snap));
	/* the same manager still goes in */
	assert_int_equal(vdp_pack_add(&pk, mgrid_lp1, &t), 0);
	assert_int_equal(vdp_pack_len(&pk), 18 + 70);
	/* a new ULPDU takes the other manager */
	vdp_pack_begin(&pk, buf, sizeof(buf));
	assert_int_equal(vdp_pack_add(&pk, mgrid_ref, &t), 0);
	assert_memory_equal(buf + 2, mgrid_ref, 16);
}

static void test_pack_msgsize(void **state)
{
	(void)state;
	uint8_t buf[ECP_MAX_ULPDU];
	struct vdp_packer pk;
	struct vdp_vsi_tlv t = vsi(VDP_TLV_ASSOC, 0);

	/* 18 + 35 = 53: a 52-octet ULPDU can never hold it, 53 can */
	vdp_pack_begin(&pk, buf, 52);
	assert_int_equal(vdp_pack_add(&pk, mgrid_lp1, &t), -EMSGSIZE);
	assert_int_equal(vdp_pack_add_raw(&pk, mgrid_lp1, lldpad_ulpdu + 18, 35), -EMSGSIZE);
	assert_int_equal(vdp_pack_len(&pk), 0);
	assert_false(pk.have_mgrid);
	vdp_pack_begin(&pk, buf, 53);
	assert_int_equal(vdp_pack_add(&pk, mgrid_lp1, &t), 0);
	assert_memory_equal(buf, lldpad_ulpdu, 53);
	/* full now, but a new ULPDU of 53 would hold it: -ENOSPC */
	t.vsiid[0] = 1;
	assert_int_equal(vdp_pack_add(&pk, mgrid_lp1, &t), -ENOSPC);
	assert_int_equal(vdp_pack_add(&pk, mgrid_ref, &t), -ENOSPC);
	vdp_pack_begin(&pk, buf, 53);
	assert_int_equal(vdp_pack_add_raw(&pk, mgrid_lp1, lldpad_ulpdu + 18, 35), 0);
	assert_memory_equal(buf, lldpad_ulpdu, 53);

	/* buffers shorter than a Manager ID TLV */
	vdp_pack_begin(&pk, buf, 17);
	assert_int_equal(vdp_pack_add_raw(&pk, mgrid_lp1, lldpad_ulpdu, 0), -EMSGSIZE);
	vdp_pack_begin(&pk, buf, 0);
	assert_int_equal(vdp_pack_add(&pk, mgrid_lp1, &t), -EMSGSIZE);

	/* org TLVs that make it larger than any ULPDU */
	static uint8_t org[ECP_MAX_ULPDU];
	vdp_pack_begin(&pk, buf, sizeof(buf));
	t.org = org;
	t.org_len = ECP_MAX_ULPDU - 18 - 35 + 1;
	assert_int_equal(vdp_pack_add(&pk, mgrid_lp1, &t), -EMSGSIZE);
	assert_int_equal(vdp_pack_len(&pk), 0);
	t.org_len--;
	assert_int_equal(vdp_pack_add(&pk, mgrid_lp1, &t), 0);
	assert_int_equal(vdp_pack_len(&pk), ECP_MAX_ULPDU);
	/* -EMSGSIZE takes precedence over -ENOSPC and over a Manager ID change */
	t.org_len++;
	assert_int_equal(vdp_pack_add(&pk, mgrid_lp1, &t), -EMSGSIZE);
	assert_int_equal(vdp_pack_add(&pk, mgrid_ref, &t), -EMSGSIZE);
	assert_int_equal(vdp_pack_add_raw(&pk, mgrid_ref, org, ECP_MAX_ULPDU - 17), -EMSGSIZE);
	assert_int_equal(vdp_pack_add_raw(&pk, mgrid_ref, org, ECP_MAX_ULPDU - 18), -ENOSPC);

	/* a VSI value over 511 octets cannot be encoded at all */
	static struct vdp_filter many[244];
	struct vdp_vsi_tlv big = vsi(VDP_TLV_ASSOC, 0);
	big.fif = VDP_FIF_VID;
	big.filters = many;
	big.nfilters = 244;
	vdp_pack_begin(&pk, buf, sizeof(buf));
	assert_int_equal(vdp_pack_add(&pk, mgrid_lp1, &big), -EMSGSIZE);
	assert_int_equal(vdp_pack_len(&pk), 0);
	assert_false(pk.have_mgrid);
	big.nfilters = 243;
	assert_int_equal(vdp_pack_add(&pk, mgrid_lp1, &big), 0);
	assert_int_equal(vdp_pack_len(&pk), 18 + 2 + 511);
}

static void test_pack_order_and_types(void **state)
{
	(void)state;
	uint8_t buf[ECP_MAX_ULPDU];
	struct vdp_packer pk;
	static const uint8_t order[] = {VDP_TLV_DEASSOC, VDP_TLV_PREASSOC, VDP_TLV_ASSOC,
					VDP_TLV_PREASSOC_RR, VDP_TLV_DEASSOC};
	vdp_pack_begin(&pk, buf, sizeof(buf));
	for (uint8_t i = 0; i < sizeof(order); i++) {
		struct vdp_vsi_tlv t = vsi(order[i], i);
		assert_int_equal(vdp_pack_add(&pk, mgrid_ref, &t), 0);
	}
	assert_int_equal(pk.count, sizeof(order));
	struct vdp_unpacker u;
	vdp_unpack_begin(&u, buf, vdp_pack_len(&pk));
	for (uint8_t i = 0; i < sizeof(order); i++)
		assert_vsi_item(&u, 18 + (size_t)i * 35, mgrid_ref, order[i], i);
	assert_end(&u, 18 + sizeof(order) * 35);
}

static void test_pack_raw(void **state)
{
	(void)state;
	uint8_t buf[ECP_MAX_ULPDU];
	struct vdp_packer pk;
	vdp_pack_begin(&pk, buf, sizeof(buf));
	assert_int_equal(vdp_pack_add_raw(&pk, mgrid_lp1, lldpad_ulpdu + 18, 35), 0);
	assert_int_equal(vdp_pack_len(&pk), sizeof(lldpad_ulpdu));
	assert_memory_equal(buf, lldpad_ulpdu, sizeof(lldpad_ulpdu));
	assert_int_equal(pk.count, 1);
	/* raw and encoded TLVs mix */
	struct vdp_vsi_tlv t = vsi(VDP_TLV_ASSOC, 0);
	assert_int_equal(vdp_pack_add(&pk, mgrid_lp1, &t), 0);
	assert_memory_equal(buf + 53, lldpad_ulpdu + 18, 35);
	assert_int_equal(pk.count, 2);
}

/* ---------------- unpacker ---------------- */

static void test_unpack_lldpad(void **state)
{
	(void)state;
	/* lldpad's form: one Manager ID, one VSI TLV, zero padding */
	uint8_t pdu[sizeof(lldpad_ulpdu) + 20] = {0};
	memcpy(pdu, lldpad_ulpdu, sizeof(lldpad_ulpdu));
	struct vdp_unpacker u;
	vdp_unpack_begin(&u, pdu, sizeof(pdu));
	assert_vsi_item(&u, 18, mgrid_lp1, VDP_TLV_ASSOC, 0);
	const struct vdp_vsi_tlv *t = &item.vsi;
	assert_int_equal(t->status, 0);
	assert_int_equal(t->type_id, 5);
	assert_int_equal(t->type_ver, 4);
	assert_int_equal(t->vsiid_fmt, VDP_VSIID_UUID);
	assert_memory_equal(t->vsiid, lldpad_uuid, 16);
	assert_int_equal(t->fif, VDP_FIF_MACVID);
	assert_int_equal(t->nfilters, 1);
	assert_ptr_equal(t->filters, item.filters);
	assert_memory_equal(t->filters[0].mac, lldpad_filter.mac, 6);
	assert_int_equal(t->filters[0].vid, 2);
	assert_int_equal(t->filters[0].pcp, 0);
	assert_false(t->filters[0].ps);
	assert_null(t->org);
	assert_int_equal(t->org_len, 0);
	assert_end(&u, sizeof(lldpad_ulpdu));
}

static void test_unpack_lldpad_response(void **state)
{
	(void)state;
	uint8_t pdu[sizeof(lldpad_ulpdu)];
	memcpy(pdu, lldpad_ulpdu, sizeof(pdu));
	pdu[20] = 0x40;
	struct vdp_unpacker u;
	vdp_unpack_begin(&u, pdu, sizeof(pdu));
	assert_vsi_item(&u, 18, mgrid_lp1, VDP_TLV_ASSOC, 0);
	assert_int_equal(item.vsi.status, VDP_STATUS_RESPONSE);
	assert_end(&u, sizeof(pdu)); /* no padding: end of data */

	/* de-associate `08 21` */
	pdu[18] = 0x08;
	vdp_unpack_begin(&u, pdu, sizeof(pdu));
	assert_vsi_item(&u, 18, mgrid_lp1, VDP_TLV_DEASSOC, 0);
	assert_int_equal(item.vsi.status, 0x40);
	assert_end(&u, sizeof(pdu));
}

static void test_unpack_ref58(void **state)
{
	(void)state;
	struct vdp_unpacker u;
	vdp_unpack_begin(&u, ref58_ulpdu, sizeof(ref58_ulpdu));
	assert_int_equal(vdp_unpack_next(&u, &item), VDP_ITEM_VSI);
	assert_memory_equal(item.mgrid, mgrid_ref, 16);
	assert_int_equal(item.vsi.type_id, 0x123456);
	assert_int_equal(item.vsi.filters[0].vid, 100);
	assert_int_equal(item.vsi.filters[0].pcp, 5);
	assert_true(item.vsi.filters[0].ps);
	assert_end(&u, sizeof(ref58_ulpdu));
}

static void test_unpack_old_end_tlv(void **state)
{
	(void)state;
	/* lldpad before 2014: `00 00` after the ULPDU, then something not zero */
	uint8_t pdu[sizeof(lldpad_ulpdu) + 6] = {0};
	memcpy(pdu, lldpad_ulpdu, sizeof(lldpad_ulpdu));
	memcpy(pdu + sizeof(lldpad_ulpdu) + 2, "\x06\x21\xff\xff", 4);
	struct vdp_unpacker u;
	vdp_unpack_begin(&u, pdu, sizeof(pdu));
	assert_vsi_item(&u, 18, mgrid_lp1, VDP_TLV_ASSOC, 0);
	assert_end(&u, sizeof(lldpad_ulpdu));
	assert_int_equal(item.tlv_type, 0);
}

static void test_unpack_end_forms(void **state)
{
	(void)state;
	struct vdp_unpacker u;
	/* empty */
	vdp_unpack_begin(&u, NULL, 0);
	assert_end(&u, 0);
	/* one octet left, even a non-zero one */
	uint8_t one[sizeof(lldpad_ulpdu) + 1];
	memcpy(one, lldpad_ulpdu, sizeof(lldpad_ulpdu));
	one[sizeof(lldpad_ulpdu)] = 0x06;
	vdp_unpack_begin(&u, one, sizeof(one));
	assert_vsi_item(&u, 18, mgrid_lp1, VDP_TLV_ASSOC, 0);
	assert_end(&u, sizeof(lldpad_ulpdu));
	/* type 0 with a non-zero length is an End TLV too */
	static const uint8_t end5[] = {0x01, 0x05, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
	vdp_unpack_begin(&u, end5, sizeof(end5));
	assert_end(&u, 0);
	/* a Manager ID TLV alone: no item */
	vdp_unpack_begin(&u, lldpad_ulpdu, 18);
	assert_end(&u, 18);
	assert_true(item.have_mgrid);
	assert_memory_equal(item.mgrid, mgrid_lp1, 16);
}

static void test_unpack_many(void **state)
{
	(void)state;
	/* our form: one Manager ID, many VSI TLVs of every filter format */
	static const struct vdp_filter f = {.group = 77, .mac = {2, 0, 0, 0, 0, 5}, .vid = 5};
	uint8_t buf[ECP_MAX_ULPDU];
	struct vdp_packer pk;
	size_t offs[4], off = 18;
	vdp_pack_begin(&pk, buf, sizeof(buf));
	for (uint8_t fif = 1; fif <= 4; fif++) {
		struct vdp_vsi_tlv t = vsi(VDP_TLV_ASSOC, fif);
		t.fif = fif;
		t.filters = &f;
		assert_int_equal(vdp_pack_add(&pk, mgrid_lp1, &t), 0);
		offs[fif - 1] = off;
		off += vdp_vsi_tlv_size(&t);
	}
	struct vdp_unpacker u;
	vdp_unpack_begin(&u, buf, vdp_pack_len(&pk));
	for (uint8_t fif = 1; fif <= 4; fif++) {
		assert_vsi_item(&u, offs[fif - 1], mgrid_lp1, VDP_TLV_ASSOC, fif);
		assert_int_equal(item.vsi.fif, fif);
		assert_int_equal(item.vsi.filters[0].vid, 5);
		assert_int_equal(item.vsi.filters[0].group, fif >= 3 ? 77 : 0);
		assert_int_equal(item.vsi.filters[0].mac[5], fif % 2 == 0 ? 5 : 0);
	}
	assert_end(&u, off);
}

/* Append src to p at *off. */
static void put(uint8_t *p, size_t *off, const void *src, size_t n)
{
	memcpy(p + *off, src, n);
	*off += n;
}

static void test_unpack_two_mgrids(void **state)
{
	(void)state;
	uint8_t pdu[200];
	size_t n = 0;
	put(pdu, &n, lldpad_ulpdu, sizeof(lldpad_ulpdu)); /* lp1, VSI 0 */
	put(pdu, &n, ref58_ulpdu, 18);			  /* second Manager ID */
	put(pdu, &n, lldpad_ulpdu + 18, 35);		  /* VSI 0 again */
	put(pdu, &n, lldpad_ulpdu + 18, 35);
	struct vdp_unpacker u;
	vdp_unpack_begin(&u, pdu, n);
	assert_vsi_item(&u, 18, mgrid_lp1, VDP_TLV_ASSOC, 0);
	assert_vsi_item(&u, 53 + 18, mgrid_ref, VDP_TLV_ASSOC, 0);
	assert_vsi_item(&u, 53 + 18 + 35, mgrid_ref, VDP_TLV_ASSOC, 0);
	assert_end(&u, n);
}

static void test_unpack_no_mgrid(void **state)
{
	(void)state;
	struct vdp_unpacker u;
	vdp_unpack_begin(&u, lldpad_ulpdu + 18, 35);
	assert_vsi_item(&u, 0, NULL, VDP_TLV_ASSOC, 0);
	assert_end(&u, 35);
}

static const uint8_t org1[] = {0xfe, 0x06, 0x00, 0x00, 0x0c, 0xf1, 0xaa, 0xbb};
static const uint8_t org2[] = {0xfe, 0x04, 0x00, 0x00, 0x0c, 0xf2};

static void test_unpack_org_attached(void **state)
{
	(void)state;
	uint8_t pdu[200];
	size_t n = 0;
	put(pdu, &n, lldpad_ulpdu, sizeof(lldpad_ulpdu));
	put(pdu, &n, org1, sizeof(org1));
	put(pdu, &n, org2, sizeof(org2));
	put(pdu, &n, lldpad_ulpdu + 18, 35); /* a second VSI without org */
	size_t used = n;
	memset(pdu + n, 0, 10);
	n += 10;
	struct vdp_unpacker u;
	vdp_unpack_begin(&u, pdu, n);
	assert_vsi_item(&u, 18, mgrid_lp1, VDP_TLV_ASSOC, 0);
	assert_ptr_equal(item.vsi.org, pdu + 53);
	assert_int_equal(item.vsi.org_len, sizeof(org1) + sizeof(org2));

	/* re-emitted unchanged by the packer */
	uint8_t out[ECP_MAX_ULPDU];
	struct vdp_packer pk;
	vdp_pack_begin(&pk, out, sizeof(out));
	assert_int_equal(vdp_pack_add(&pk, item.mgrid, &item.vsi), 0);

	assert_vsi_item(&u, 53 + 14, mgrid_lp1, VDP_TLV_ASSOC, 0);
	assert_null(item.vsi.org);
	assert_int_equal(item.vsi.org_len, 0);
	assert_int_equal(vdp_pack_add(&pk, item.mgrid, &item.vsi), 0);
	assert_end(&u, used);

	assert_int_equal(vdp_pack_len(&pk), used);
	assert_memory_equal(out, pdu, used);
}

static void test_unpack_org_stray(void **state)
{
	(void)state;
	/* org first; org after a Manager ID; reserved types; then a VSI */
	uint8_t pdu[200];
	size_t n = 0;
	put(pdu, &n, org1, sizeof(org1));
	put(pdu, &n, lldpad_ulpdu, 18);
	put(pdu, &n, org2, sizeof(org2));
	put(pdu, &n, "\x0c\x01\x99", 3); /* type 6 */
	put(pdu, &n, "\xfc\x00", 2);	 /* type 126, empty */
	put(pdu, &n, lldpad_ulpdu + 18, 35);
	struct vdp_unpacker u;
	vdp_unpack_begin(&u, pdu, n);
	assert_skipped(&u, 0, VDP_TLV_ORG, "org TLV not after a VSI TLV");
	assert_false(item.have_mgrid);
	assert_skipped(&u, 8 + 18, VDP_TLV_ORG, "org TLV not after a VSI TLV");
	assert_true(item.have_mgrid);
	assert_skipped(&u, 8 + 18 + 6, 6, "reserved TLV type");
	assert_skipped(&u, 8 + 18 + 6 + 3, 126, "reserved TLV type");
	assert_vsi_item(&u, 8 + 18 + 6 + 3 + 2, mgrid_lp1, VDP_TLV_ASSOC, 0);
	assert_end(&u, n);
}

static void test_unpack_org_short(void **state)
{
	(void)state;
	/* an org TLV shorter than OUI + subtype is not attached, it is skipped */
	uint8_t pdu[200];
	size_t n = 0;
	put(pdu, &n, lldpad_ulpdu, sizeof(lldpad_ulpdu));
	put(pdu, &n, org2, sizeof(org2));
	put(pdu, &n, "\xfe\x03\x00\x00\x0c", 5);
	put(pdu, &n, org1, sizeof(org1));
	struct vdp_unpacker u;
	vdp_unpack_begin(&u, pdu, n);
	assert_vsi_item(&u, 18, mgrid_lp1, VDP_TLV_ASSOC, 0);
	assert_int_equal(item.vsi.org_len, sizeof(org2));
	assert_skipped(&u, 53 + 6, VDP_TLV_ORG, "org TLV shorter than OUI and subtype");
	assert_skipped(&u, 53 + 6 + 5, VDP_TLV_ORG, "org TLV not after a VSI TLV");
	assert_end(&u, n);
}

static void test_unpack_org_truncated(void **state)
{
	(void)state;
	/* an org TLV running past the data is not attached; it ends in an error */
	uint8_t pdu[200];
	size_t n = 0;
	put(pdu, &n, lldpad_ulpdu, sizeof(lldpad_ulpdu));
	put(pdu, &n, org1, sizeof(org1));
	put(pdu, &n, org1, sizeof(org1) - 1);
	struct vdp_unpacker u;
	vdp_unpack_begin(&u, pdu, n);
	assert_vsi_item(&u, 18, mgrid_lp1, VDP_TLV_ASSOC, 0);
	assert_int_equal(item.vsi.org_len, sizeof(org1));
	assert_error(&u, 53 + 8, "TLV runs past the end of the VDPDU");
}

static void test_unpack_truncated(void **state)
{
	(void)state;
	struct vdp_unpacker u;
	/* the VSI TLV cut anywhere after its header */
	for (size_t len = 20; len < sizeof(lldpad_ulpdu); len++) {
		vdp_unpack_begin(&u, lldpad_ulpdu, len);
		assert_error(&u, 18, "TLV runs past the end of the VDPDU");
		assert_int_equal(item.tlv_type, 0); /* repeated answer */
	}
	vdp_unpack_begin(&u, lldpad_ulpdu, 30);
	assert_int_equal(vdp_unpack_next(&u, &item), VDP_ITEM_ERROR);
	assert_int_equal(item.tlv_type, VDP_TLV_ASSOC);
	assert_true(item.have_mgrid);
	/* the Manager ID TLV cut */
	for (size_t len = 2; len < 18; len++) {
		vdp_unpack_begin(&u, lldpad_ulpdu, len);
		assert_error(&u, 0, "TLV runs past the end of the VDPDU");
	}
}

static void test_unpack_bad_mgrid_len(void **state)
{
	(void)state;
	static const uint8_t len15[] = {0x0a, 0x0f, 1,	2,  3,	4,  5,	6, 7,
					8,    9,    10, 11, 12, 13, 14, 15};
	static const uint8_t len17[] = {0x0a, 0x11, 1,	2,  3,	4,  5,	6,  7, 8,
					9,    10,   11, 12, 13, 14, 15, 16, 17};
	static const uint8_t len0[] = {0x0a, 0x00, 0x06, 0x21};
	struct vdp_unpacker u;
	vdp_unpack_begin(&u, len15, sizeof(len15));
	assert_error(&u, 0, "Manager ID TLV length is not 16");
	vdp_unpack_begin(&u, len17, sizeof(len17));
	assert_error(&u, 0, "Manager ID TLV length is not 16");
	vdp_unpack_begin(&u, len0, sizeof(len0));
	assert_error(&u, 0, "Manager ID TLV length is not 16");
	/* after a VSI */
	uint8_t pdu[100];
	size_t n = 0;
	put(pdu, &n, lldpad_ulpdu, sizeof(lldpad_ulpdu));
	put(pdu, &n, len15, sizeof(len15));
	vdp_unpack_begin(&u, pdu, n);
	assert_vsi_item(&u, 18, mgrid_lp1, VDP_TLV_ASSOC, 0);
	assert_error(&u, 53, "Manager ID TLV length is not 16");
}

static void test_unpack_bad_vsi(void **state)
{
	(void)state;
	/* unknown filter format: the VSI is named, reason invalid format;
	 * its org TLVs stay attached and the next TLV is read */
	uint8_t pdu[200];
	size_t n = 0;
	put(pdu, &n, lldpad_ulpdu, sizeof(lldpad_ulpdu));
	pdu[42] = 9;
	put(pdu, &n, org2, sizeof(org2));
	put(pdu, &n, lldpad_ulpdu + 18, 35);
	struct vdp_unpacker u;
	vdp_unpack_begin(&u, pdu, n);
	assert_int_equal(vdp_unpack_next(&u, &item), VDP_ITEM_BAD_VSI);
	assert_int_equal(item.reason, VDP_RSN_INVALID_FMT);
	assert_string_equal(item.what, "unknown filter info format");
	assert_int_equal(item.offset, 18 + 2 + 22);
	assert_int_equal(item.tlv_type, VDP_TLV_ASSOC);
	assert_int_equal(item.vsi.type, VDP_TLV_ASSOC);
	assert_int_equal(item.vsi.type_id, 5);
	assert_int_equal(item.vsi.vsiid_fmt, VDP_VSIID_UUID);
	assert_memory_equal(item.vsi.vsiid, lldpad_uuid, 16);
	assert_int_equal(item.vsi.fif, 9);
	assert_int_equal(item.vsi.nfilters, 0);
	assert_true(item.have_mgrid);
	assert_memory_equal(item.mgrid, mgrid_lp1, 16);
	assert_ptr_equal(item.vsi.org, pdu + 53);
	assert_int_equal(item.vsi.org_len, sizeof(org2));
	assert_vsi_item(&u, 53 + 6, mgrid_lp1, VDP_TLV_ASSOC, 0);
	assert_end(&u, n);

	/* count 0, and a count that does not match the length */
	static const struct {
		uint8_t at, v;
		const char *what;
	} cases[] = {
	    {44, 0, "no filter entries"},
	    {44, 2, "filter entry count does not match the TLV length"},
	};
	for (size_t i = 0; i < 2; i++) {
		memcpy(pdu, lldpad_ulpdu, sizeof(lldpad_ulpdu));
		pdu[cases[i].at] = cases[i].v;
		vdp_unpack_begin(&u, pdu, sizeof(lldpad_ulpdu));
		assert_int_equal(vdp_unpack_next(&u, &item), VDP_ITEM_BAD_VSI);
		assert_int_equal(item.reason, VDP_RSN_INVALID_FMT);
		assert_string_equal(item.what, cases[i].what);
		assert_int_equal(item.offset, 18 + 2 + 23);
		assert_end(&u, sizeof(lldpad_ulpdu));
	}
}

static void test_unpack_short_vsi(void **state)
{
	(void)state;
	/* a VSI TLV too short to name the VSI ends the iteration */
	uint8_t pdu[100];
	size_t n = 0;
	put(pdu, &n, lldpad_ulpdu, 18);
	put(pdu, &n, "\x06\x0a", 2);
	put(pdu, &n, lldpad_ulpdu + 20, 10);
	put(pdu, &n, lldpad_ulpdu + 18, 35);
	struct vdp_unpacker u;
	vdp_unpack_begin(&u, pdu, n);
	assert_error(&u, 18 + 2 + 10, "VSI TLV too short to name the VSI");
	/* zero length */
	vdp_unpack_begin(&u, (const uint8_t *)"\x08\x00", 2);
	assert_error(&u, 2, "VSI TLV too short to name the VSI");
}

static void test_unpack_item_reset(void **state)
{
	(void)state;
	/* nothing of a previous item leaks into the next one */
	uint8_t pdu[200];
	size_t n = 0;
	put(pdu, &n, lldpad_ulpdu, sizeof(lldpad_ulpdu));
	put(pdu, &n, org1, sizeof(org1));
	put(pdu, &n, "\x0c\x00", 2);
	struct vdp_unpacker u;
	vdp_unpack_begin(&u, pdu, n);
	assert_int_equal(vdp_unpack_next(&u, &item), VDP_ITEM_VSI);
	assert_int_equal(vdp_unpack_next(&u, &item), VDP_ITEM_SKIPPED);
	assert_int_equal(item.reason, 0);
	assert_null(item.vsi.org);
	assert_int_equal(item.vsi.nfilters, 0);
	assert_int_equal(item.vsi.type, 0);
	assert_end(&u, n);
	assert_int_equal(item.tlv_type, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pack_lldpad),
	    cmocka_unit_test(test_pack_ref58),
	    cmocka_unit_test(test_pack_fill_42),
	    cmocka_unit_test(test_pack_fill_exact),
	    cmocka_unit_test(test_pack_cap_clamped),
	    cmocka_unit_test(test_pack_mgrid_change),
	    cmocka_unit_test(test_pack_msgsize),
	    cmocka_unit_test(test_pack_order_and_types),
	    cmocka_unit_test(test_pack_raw),
	    cmocka_unit_test(test_unpack_lldpad),
	    cmocka_unit_test(test_unpack_lldpad_response),
	    cmocka_unit_test(test_unpack_ref58),
	    cmocka_unit_test(test_unpack_old_end_tlv),
	    cmocka_unit_test(test_unpack_end_forms),
	    cmocka_unit_test(test_unpack_many),
	    cmocka_unit_test(test_unpack_two_mgrids),
	    cmocka_unit_test(test_unpack_no_mgrid),
	    cmocka_unit_test(test_unpack_org_attached),
	    cmocka_unit_test(test_unpack_org_stray),
	    cmocka_unit_test(test_unpack_org_short),
	    cmocka_unit_test(test_unpack_org_truncated),
	    cmocka_unit_test(test_unpack_truncated),
	    cmocka_unit_test(test_unpack_bad_mgrid_len),
	    cmocka_unit_test(test_unpack_bad_vsi),
	    cmocka_unit_test(test_unpack_short_vsi),
	    cmocka_unit_test(test_unpack_item_reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
