/* SPDX-License-Identifier: ISC */
/*
 * test_vdp_tlv.c - unit tests of vdp/vdp_tlv.c: VSI and Manager ID TLVs
 * byte for byte (lldpad's frames, the worked frame), every filter format,
 * every malformed case of the decoder, the bridge's content rules, VSIID
 * text forms and names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "vdp/vdp_tlv.h"

#include "ref_vsi.h"

/* captured lldpad exchange: Associate request TLV (frame offset 0x24..0x46). */
static const uint8_t lldpad_assoc[] = {
    0x06, 0x21, 0x00, 0x00, 0x00, 0x05, 0x04, 0x05, 0x00, 0x11, 0x22, 0x33,
    0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
    0x02, 0x00, 0x01, 0x52, 0x54, 0x00, 0x8e, 0xaa, 0x11, 0x00, 0x02,
};

/* docs/protocol.md "Worked frame": Associate TLV, type ID 0x123456, PS=1 PCP=5 VID=100. */
static const uint8_t ref58_assoc[] = {
    0x06, 0x21, 0x00, 0x12, 0x34, 0x56, 0x01, 0x05, 0xfa, 0x9b, 0x7f, 0xff,
    0xb0, 0xa0, 0x48, 0x93, 0x8e, 0x0e, 0xbe, 0xef, 0x4f, 0xf1, 0x8f, 0x8f,
    0x02, 0x00, 0x01, 0x52, 0x54, 0x00, 0xc7, 0x3e, 0xce, 0xd0, 0x64,
};

static struct vdp_vsi_tlv lldpad_tlv(uint8_t type, uint8_t status)
{
	struct vdp_vsi_tlv t = {.type = type,
				.status = status,
				.type_id = 5,
				.type_ver = 4,
				.vsiid_fmt = VDP_VSIID_UUID,
				.fif = VDP_FIF_MACVID,
				.nfilters = 1,
				.filters = &lldpad_filter};
	memcpy(t.vsiid, lldpad_uuid, 16);
	return t;
}

/* Encode t into buf; assert it took exactly vdp_vsi_tlv_size() octets. */
static size_t encode(const struct vdp_vsi_tlv *t, uint8_t *buf, size_t cap)
{
	struct wr w = wr_init(buf, cap);
	vdp_vsi_tlv_encode(&w, t);
	assert_false(w.err);
	assert_int_equal(w.off, vdp_vsi_tlv_size(t));
	return w.off;
}

static struct vdp_filter filt[VDP_MAX_FILTERS];

/* Decode a whole encoded TLV (header included); assert success. */
static void decode_ok(const uint8_t *tlv, size_t len, struct vdp_vsi_tlv *t)
{
	const char *what = NULL;
	size_t where = 99;
	assert_true(len >= 2);
	assert_int_equal((size_t)((tlv[0] & 1) << 8 | tlv[1]), len - 2);
	assert_int_equal(vdp_vsi_tlv_decode(tlv[0] >> 1, tlv + 2, len - 2, t, filt, &what, &where),
			 0);
	assert_null(what);
	assert_int_equal(where, 99);
}

static void assert_filter_eq(const struct vdp_filter *a, const struct vdp_filter *b)
{
	assert_int_equal(a->group, b->group);
	assert_memory_equal(a->mac, b->mac, 6);
	assert_int_equal(a->vid, b->vid);
	assert_int_equal(a->pcp, b->pcp);
	assert_int_equal(a->ps, b->ps);
}

/* ---------------- sizes and headers ---------------- */

static void test_entry_len(void **state)
{
	(void)state;
	assert_int_equal(vdp_fif_entry_len(VDP_FIF_VID), 2);
	assert_int_equal(vdp_fif_entry_len(VDP_FIF_MACVID), 8);
	assert_int_equal(vdp_fif_entry_len(VDP_FIF_GROUPVID), 6);
	assert_int_equal(vdp_fif_entry_len(VDP_FIF_GROUPMACVID), 12);
	assert_int_equal(vdp_fif_entry_len(0), 0);
	assert_int_equal(vdp_fif_entry_len(5), 0);
	assert_int_equal(vdp_fif_entry_len(255), 0);
}

static void test_tlv_hdr(void **state)
{
	(void)state;
	assert_int_equal(vdp_tlv_hdr(VDP_TLV_MGRID, 16), 0x0a10);
	assert_int_equal(vdp_tlv_hdr(VDP_TLV_ASSOC, 33), 0x0621);
	assert_int_equal(vdp_tlv_hdr(VDP_TLV_DEASSOC, 33), 0x0821);
	assert_int_equal(vdp_tlv_hdr(VDP_TLV_ORG, 511), 0xffff);
	assert_int_equal(vdp_tlv_hdr(0xff, 0x3ff), 0xffff); /* masked to 7 + 9 bits */
	assert_int_equal(vdp_tlv_hdr(1, 0x200), 0x0200);
}

static void test_size(void **state)
{
	(void)state;
	struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_ASSOC, 0);
	assert_int_equal(vdp_vsi_tlv_size(&t), 35);
	uint8_t org[10] = {0};
	t.org = org;
	t.org_len = sizeof(org);
	assert_int_equal(vdp_vsi_tlv_size(&t), 45);
	t.fif = 9; /* unknown: entries take no room */
	assert_int_equal(vdp_vsi_tlv_size(&t), 37);
}

/* ---------------- Manager ID TLV ---------------- */

static void test_mgrid_encode(void **state)
{
	(void)state;
	static const uint8_t id[16] = {'l', 'p', '1'};
	static const uint8_t want[18] = {0x0a, 0x10, 0x6c, 0x70, 0x31};
	uint8_t buf[18];
	struct wr w = wr_init(buf, sizeof(buf));
	vdp_mgrid_encode(&w, id);
	assert_false(w.err);
	assert_int_equal(w.off, 18);
	assert_memory_equal(buf, want, 18);

	w = wr_init(buf, 17);
	vdp_mgrid_encode(&w, id);
	assert_true(w.err);
}

/* ---------------- lldpad frames and the worked frame ---------------- */

static void test_lldpad_assoc_request(void **state)
{
	(void)state;
	uint8_t buf[64];
	struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_ASSOC, 0x00);
	assert_int_equal(encode(&t, buf, sizeof(buf)), sizeof(lldpad_assoc));
	assert_memory_equal(buf, lldpad_assoc, sizeof(lldpad_assoc));

	struct vdp_vsi_tlv d;
	decode_ok(lldpad_assoc, sizeof(lldpad_assoc), &d);
	assert_int_equal(d.type, VDP_TLV_ASSOC);
	assert_int_equal(d.status, 0);
	assert_int_equal(d.type_id, 5);
	assert_int_equal(d.type_ver, 4);
	assert_int_equal(d.vsiid_fmt, VDP_VSIID_UUID);
	assert_memory_equal(d.vsiid, lldpad_uuid, 16);
	assert_int_equal(d.fif, VDP_FIF_MACVID);
	assert_int_equal(d.nfilters, 1);
	assert_ptr_equal(d.filters, filt);
	assert_filter_eq(&d.filters[0], &lldpad_filter);
	assert_null(d.org);
	assert_int_equal(d.org_len, 0);
}

static void test_lldpad_assoc_response(void **state)
{
	(void)state;
	uint8_t want[sizeof(lldpad_assoc)], buf[64];
	memcpy(want, lldpad_assoc, sizeof(want));
	want[2] = 0x40;
	struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_ASSOC, VDP_STATUS_RESPONSE);
	encode(&t, buf, sizeof(buf));
	assert_memory_equal(buf, want, sizeof(want));

	struct vdp_vsi_tlv d;
	decode_ok(want, sizeof(want), &d);
	assert_int_equal(d.status, 0x40);
	assert_int_equal(d.type, VDP_TLV_ASSOC);
	assert_filter_eq(&d.filters[0], &lldpad_filter);
}

static void test_lldpad_deassoc(void **state)
{
	(void)state;
	uint8_t want[sizeof(lldpad_assoc)], buf[64];
	memcpy(want, lldpad_assoc, sizeof(want));
	want[0] = 0x08;
	for (uint8_t status = 0; status <= 0x40; status += 0x40) {
		want[2] = status;
		struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_DEASSOC, status);
		encode(&t, buf, sizeof(buf));
		assert_memory_equal(buf, want, sizeof(want));
		struct vdp_vsi_tlv d;
		decode_ok(want, sizeof(want), &d);
		assert_int_equal(d.type, VDP_TLV_DEASSOC);
		assert_int_equal(d.status, status);
	}
}

static void test_ref58(void **state)
{
	(void)state;
	struct vdp_vsi_tlv t = ref58_tlv(ref58_assoc + 8);
	uint8_t buf[64];
	assert_int_equal(encode(&t, buf, sizeof(buf)), sizeof(ref58_assoc));
	assert_memory_equal(buf, ref58_assoc, sizeof(ref58_assoc));
	assert_int_equal(buf[33], 0xd0);
	assert_int_equal(buf[34], 0x64);

	struct vdp_vsi_tlv d;
	decode_ok(ref58_assoc, sizeof(ref58_assoc), &d);
	assert_int_equal(d.type_id, 0x123456);
	assert_int_equal(d.type_ver, 1);
	assert_filter_eq(&d.filters[0], &ref58_filter);
}

static void test_status_raw(void **state)
{
	(void)state;
	/* Every status octet, reserved bits included, goes out and comes back as is. */
	uint8_t buf[64];
	for (unsigned s = 0; s < 256; s++) {
		struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_ASSOC, (uint8_t)s), d;
		encode(&t, buf, sizeof(buf));
		assert_int_equal(buf[2], s);
		decode_ok(buf, sizeof(lldpad_assoc), &d);
		assert_int_equal(d.status, s);
	}
}

static void test_all_vsi_types(void **state)
{
	(void)state;
	uint8_t buf[64];
	for (uint8_t type = VDP_TLV_PREASSOC; type <= VDP_TLV_DEASSOC; type++) {
		struct vdp_vsi_tlv t = lldpad_tlv(type, 0), d;
		encode(&t, buf, sizeof(buf));
		assert_int_equal(buf[0], type << 1);
		assert_int_equal(buf[1], 33);
		assert_memory_equal(buf + 2, lldpad_assoc + 2, sizeof(lldpad_assoc) - 2);
		decode_ok(buf, sizeof(lldpad_assoc), &d);
		assert_int_equal(d.type, type);
	}
}

static void test_type_id_24bit(void **state)
{
	(void)state;
	uint8_t buf[64];
	struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_ASSOC, 0), d;
	t.type_id = 0xffffff;
	encode(&t, buf, sizeof(buf));
	assert_memory_equal(buf + 3, "\xff\xff\xff", 3);
	decode_ok(buf, sizeof(lldpad_assoc), &d);
	assert_int_equal(d.type_id, 0xffffff);
}

/* ---------------- filter formats ---------------- */

static const struct vdp_filter sample[3] = {
    {.group = 0x01020304, .mac = {0x02, 0, 0, 0, 0, 0x01}, .vid = 0, .pcp = 0, .ps = false},
    {.group = 0xfffffffe, .mac = {0x52, 0x54, 0, 1, 2, 3}, .vid = 4094, .pcp = 7, .ps = true},
    {.group = 0x80000000, .mac = {0xfe, 0xff, 0xff, 0xff, 0xff, 0xff}, .vid = 1, .pcp = 3},
};

/* Expected entry octets of `sample` per format. */
static const uint8_t ent_vid[] = {0x00, 0x00, 0xff, 0xfe, 0x30, 0x01};
static const uint8_t ent_macvid[] = {
    0x02, 0, 0,	   0,	 0,    0x01, 0x00, 0x00, 0x52, 0x54, 0,	   1,
    2,	  3, 0xff, 0xfe, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0x30, 0x01,
};
static const uint8_t ent_groupvid[] = {
    0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0xff, 0xff, 0xff,
    0xfe, 0xff, 0xfe, 0x80, 0x00, 0x00, 0x00, 0x30, 0x01,
};
static const uint8_t ent_groupmacvid[] = {
    0x01, 0x02, 0x03, 0x04, 0x02, 0,	0,    0,    0,	  0x01, 0x00, 0x00,
    0xff, 0xff, 0xff, 0xfe, 0x52, 0x54, 0,    1,    2,	  3,	0xff, 0xfe,
    0x80, 0x00, 0x00, 0x00, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0x30, 0x01,
};

static void check_fif(uint8_t fif, const uint8_t *ent, size_t ent_len)
{
	uint8_t buf[VDP_TLV_MAX_LEN + 2];
	struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_PREASSOC_RR, 0), d;
	t.fif = fif;
	t.nfilters = 3;
	t.filters = sample;
	size_t n = encode(&t, buf, sizeof(buf));
	assert_int_equal(n, 2 + 25 + ent_len);
	assert_int_equal(buf[1], 25 + ent_len);
	assert_int_equal(buf[24], fif);
	assert_int_equal(buf[25], 0);
	assert_int_equal(buf[26], 3);
	assert_memory_equal(buf + 27, ent, ent_len);

	decode_ok(buf, n, &d);
	assert_int_equal(d.fif, fif);
	assert_int_equal(d.nfilters, 3);
	for (int i = 0; i < 3; i++) {
		struct vdp_filter want = sample[i];
		if (fif == VDP_FIF_VID || fif == VDP_FIF_GROUPVID)
			memset(want.mac, 0, 6);
		if (fif == VDP_FIF_VID || fif == VDP_FIF_MACVID)
			want.group = 0;
		assert_filter_eq(&d.filters[i], &want);
	}
}

static void test_fif_vid(void **state)
{
	(void)state;
	check_fif(VDP_FIF_VID, ent_vid, sizeof(ent_vid));
}

static void test_fif_macvid(void **state)
{
	(void)state;
	check_fif(VDP_FIF_MACVID, ent_macvid, sizeof(ent_macvid));
}

static void test_fif_groupvid(void **state)
{
	(void)state;
	check_fif(VDP_FIF_GROUPVID, ent_groupvid, sizeof(ent_groupvid));
}

static void test_fif_groupmacvid(void **state)
{
	(void)state;
	check_fif(VDP_FIF_GROUPMACVID, ent_groupmacvid, sizeof(ent_groupmacvid));
}

static void test_pspcpvid_word(void **state)
{
	(void)state;
	/* Every PS/PCP combination with edge VIDs, fif 1, word by word. */
	static const uint16_t vids[] = {0, 1, 2, 100, 0x800, 4094, 4095};
	uint8_t buf[64];
	struct vdp_filter f;
	struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_ASSOC, 0), d;
	t.fif = VDP_FIF_VID;
	t.filters = &f;
	for (int ps = 0; ps < 2; ps++)
		for (uint8_t pcp = 0; pcp < 8; pcp++)
			for (size_t i = 0; i < sizeof(vids) / sizeof(vids[0]); i++) {
				f = (struct vdp_filter){.vid = vids[i], .pcp = pcp, .ps = ps};
				encode(&t, buf, sizeof(buf));
				uint16_t word = (uint16_t)(ps << 15 | pcp << 12 | vids[i]);
				assert_int_equal(buf[27], word >> 8);
				assert_int_equal(buf[28], word & 0xff);
				decode_ok(buf, 29, &d);
				assert_filter_eq(&d.filters[0], &f);
			}
}

static void test_encode_masks_word(void **state)
{
	(void)state;
	/* Out-of-range PCP/VID never spill into neighbouring bits. */
	uint8_t buf[64];
	struct vdp_filter f = {.vid = 0xffff, .pcp = 0xff};
	struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_ASSOC, 0);
	t.fif = VDP_FIF_VID;
	t.filters = &f;
	encode(&t, buf, sizeof(buf));
	assert_int_equal(buf[27], 0x7f);
	assert_int_equal(buf[28], 0xff);
}

static void check_max(uint8_t fif, uint16_t max)
{
	static struct vdp_filter many[VDP_MAX_FILTERS + 1];
	static uint8_t buf[1024];
	for (int i = 0; i <= VDP_MAX_FILTERS; i++)
		many[i] = (struct vdp_filter){.group = (uint32_t)i + 1,
					      .mac = {0x02, 0, 0, 0, (uint8_t)(i >> 8), (uint8_t)i},
					      .vid = (uint16_t)(i + 2),
					      .pcp = (uint8_t)(i & 7),
					      .ps = i & 1};
	struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_ASSOC, 0), d;
	t.fif = fif;
	t.filters = many;
	t.nfilters = max;
	size_t n = encode(&t, buf, sizeof(buf));
	assert_true(n - 2 <= VDP_TLV_MAX_LEN);
	assert_true(n - 2 + vdp_fif_entry_len(fif) > VDP_TLV_MAX_LEN);
	decode_ok(buf, n, &d);
	assert_int_equal(d.nfilters, max);
	for (int i = 0; i < max; i++)
		assert_int_equal(d.filters[i].vid, i + 2);
	const char *what = NULL;
	assert_int_equal(vdp_vsi_tlv_check(&t, true, &what), VDP_RSN_SUCCESS);

	/* One more does not fit: the encoder refuses without writing. */
	t.nfilters = max + 1;
	struct wr w = wr_init(buf, sizeof(buf));
	vdp_vsi_tlv_encode(&w, &t);
	assert_true(w.err);
	assert_int_equal(w.off, 0);
	assert_int_equal(vdp_vsi_tlv_check(&t, true, &what), VDP_RSN_INVALID_FMT);
	assert_string_equal(what, "more filter entries than one TLV holds");
}

static void test_max_counts(void **state)
{
	(void)state;
	check_max(VDP_FIF_VID, 243);
	check_max(VDP_FIF_MACVID, 60);
	check_max(VDP_FIF_GROUPVID, 81);
	check_max(VDP_FIF_GROUPMACVID, 40);
}

/* ---------------- encoder edge cases ---------------- */

static void test_encode_org(void **state)
{
	(void)state;
	static const uint8_t org[] = {0xfe, 0x06, 0x00, 0x00, 0x0c, 0xf1, 0xaa,
				      0xbb, 0xfe, 0x04, 0x00, 0x00, 0x0c, 0xf2};
	uint8_t buf[64];
	struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_ASSOC, 0);
	t.org = org;
	t.org_len = sizeof(org);
	assert_int_equal(encode(&t, buf, sizeof(buf)), sizeof(lldpad_assoc) + sizeof(org));
	assert_memory_equal(buf, lldpad_assoc, sizeof(lldpad_assoc));
	assert_memory_equal(buf + sizeof(lldpad_assoc), org, sizeof(org));
}

static void test_encode_unknown_fif(void **state)
{
	(void)state;
	/* A refusal echoes an unknown format: count as given, no entries. */
	uint8_t buf[64];
	struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_DEASSOC, 0x41);
	t.fif = 7;
	t.nfilters = 0;
	t.filters = NULL;
	assert_int_equal(encode(&t, buf, sizeof(buf)), 27);
	assert_int_equal(buf[0], 0x08);
	assert_int_equal(buf[1], 25);
	assert_int_equal(buf[2], 0x41);
	assert_int_equal(buf[24], 7);
	assert_int_equal(buf[25], 0);
	assert_int_equal(buf[26], 0);
}

static void test_encode_no_room(void **state)
{
	(void)state;
	uint8_t buf[64];
	struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_ASSOC, 0);
	for (size_t cap = 0; cap < sizeof(lldpad_assoc); cap++) {
		struct wr w = wr_init(buf, cap);
		vdp_vsi_tlv_encode(&w, &t);
		assert_true(w.err);
	}
}

/* ---------------- decoder: malformed values ---------------- */

/* The value of lldpad_assoc, editable. */
static uint8_t val[VDP_TLV_MAX_LEN + 64];

static void reset_val(void)
{
	memset(val, 0, sizeof(val));
	memcpy(val, lldpad_assoc + 2, sizeof(lldpad_assoc) - 2);
}

static int decode_val(size_t len, struct vdp_vsi_tlv *d, const char **what, size_t *where)
{
	*what = NULL;
	*where = 12345;
	return vdp_vsi_tlv_decode(VDP_TLV_ASSOC, val, len, d, filt, what, where);
}

/* After a reason code the identifying fields are still there. */
static void assert_identified(const struct vdp_vsi_tlv *d)
{
	assert_int_equal(d->type, VDP_TLV_ASSOC);
	assert_int_equal(d->type_id, 5);
	assert_int_equal(d->type_ver, 4);
	assert_int_equal(d->vsiid_fmt, VDP_VSIID_UUID);
	assert_memory_equal(d->vsiid, lldpad_uuid, 16);
	assert_int_equal(d->nfilters, 0);
	assert_null(d->org);
}

static void test_decode_too_short(void **state)
{
	(void)state;
	struct vdp_vsi_tlv d;
	const char *what;
	size_t where;
	reset_val();
	for (size_t len = 0; len < 23; len++) {
		assert_int_equal(decode_val(len, &d, &what, &where), -EINVAL);
		assert_string_equal(what, "VSI TLV too short to name the VSI");
		assert_int_equal(where, len);
		assert_int_equal(d.nfilters, 0);
	}
	/* what and where may be NULL */
	assert_int_equal(vdp_vsi_tlv_decode(3, val, 5, &d, filt, NULL, NULL), -EINVAL);
}

static void test_decode_no_count(void **state)
{
	(void)state;
	struct vdp_vsi_tlv d;
	const char *what;
	size_t where;
	reset_val();
	for (size_t len = 23; len < 25; len++) {
		assert_int_equal(decode_val(len, &d, &what, &where), VDP_RSN_INVALID_FMT);
		assert_string_equal(what, "no filter entry count");
		assert_int_equal(where, 23);
		assert_identified(&d);
		assert_int_equal(d.fif, VDP_FIF_MACVID);
	}
}

static void test_decode_unknown_fif(void **state)
{
	(void)state;
	static const uint8_t bad[] = {0, 5, 6, 0x7f, 0xff};
	struct vdp_vsi_tlv d;
	const char *what;
	size_t where;
	for (size_t i = 0; i < sizeof(bad); i++) {
		reset_val();
		val[22] = bad[i];
		assert_int_equal(decode_val(33, &d, &what, &where), VDP_RSN_INVALID_FMT);
		assert_string_equal(what, "unknown filter info format");
		assert_int_equal(where, 22);
		assert_identified(&d);
		assert_int_equal(d.fif, bad[i]);
		/* also when the value stops right after the format */
		assert_int_equal(decode_val(23, &d, &what, &where), VDP_RSN_INVALID_FMT);
		assert_int_equal(where, 22);
	}
}

static void test_decode_zero_count(void **state)
{
	(void)state;
	struct vdp_vsi_tlv d;
	const char *what;
	size_t where;
	reset_val();
	val[24] = 0;
	assert_int_equal(decode_val(25, &d, &what, &where), VDP_RSN_INVALID_FMT);
	assert_string_equal(what, "no filter entries");
	assert_int_equal(where, 23);
	assert_identified(&d);
	assert_int_equal(decode_val(33, &d, &what, &where), VDP_RSN_INVALID_FMT);
	assert_string_equal(what, "no filter entries");
}

static void test_decode_length_mismatch(void **state)
{
	(void)state;
	struct vdp_vsi_tlv d;
	const char *what;
	size_t where;
	reset_val();
	/* count 1, one octet short, one octet extra */
	assert_int_equal(decode_val(32, &d, &what, &where), VDP_RSN_INVALID_FMT);
	assert_string_equal(what, "filter entry count does not match the TLV length");
	assert_int_equal(where, 23);
	assert_identified(&d);
	assert_int_equal(decode_val(34, &d, &what, &where), VDP_RSN_INVALID_FMT);
	assert_int_equal(where, 23);
	/* count 2 with one entry */
	val[24] = 2;
	assert_int_equal(decode_val(33, &d, &what, &where), VDP_RSN_INVALID_FMT);
	assert_string_equal(what, "filter entry count does not match the TLV length");
	/* count 0x0101 (high octet counts) with one entry */
	val[23] = 1;
	val[24] = 1;
	assert_int_equal(decode_val(33, &d, &what, &where), VDP_RSN_INVALID_FMT);
	/* 25 octets with count 1 */
	val[23] = 0;
	assert_int_equal(decode_val(25, &d, &what, &where), VDP_RSN_INVALID_FMT);
	assert_string_equal(what, "filter entry count does not match the TLV length");
}

static void test_decode_count_over_max(void **state)
{
	(void)state;
	/* A value longer than a TLV can be, consistent with its count: the
	 * decoder never writes beyond VDP_MAX_FILTERS entries. */
	struct vdp_vsi_tlv d;
	const char *what;
	size_t where;
	reset_val();
	val[22] = VDP_FIF_VID;
	val[23] = 0;
	val[24] = 244;
	assert_int_equal(decode_val(25 + 2 * 244, &d, &what, &where), VDP_RSN_INVALID_FMT);
	assert_string_equal(what, "filter entry count does not match the TLV length");
	val[24] = 243;
	assert_int_equal(decode_val(25 + 2 * 243, &d, &what, &where), 0);
	assert_int_equal(d.nfilters, 243);
}

/* ---------------- VSIID layouts ---------------- */

static void test_vsiid_ipv4(void **state)
{
	(void)state;
	uint8_t id[16] = {[10] = 0xff, [11] = 0xff, [12] = 192, [13] = 0, [14] = 2, [15] = 1};
	assert_true(vdp_vsiid_valid(VDP_VSIID_IPV4, id));
	for (int i = 0; i < 10; i++) {
		id[i] = 1;
		assert_false(vdp_vsiid_valid(VDP_VSIID_IPV4, id));
		id[i] = 0;
	}
	id[11] = 0; /* lldpad's && lets this pass; we do not */
	assert_false(vdp_vsiid_valid(VDP_VSIID_IPV4, id));
	id[11] = 0xff;
	id[10] = 0;
	assert_false(vdp_vsiid_valid(VDP_VSIID_IPV4, id));
	id[10] = 0xff;
	memset(id + 12, 0, 4); /* 0.0.0.0 */
	assert_false(vdp_vsiid_valid(VDP_VSIID_IPV4, id));
	id[15] = 1;
	assert_true(vdp_vsiid_valid(VDP_VSIID_IPV4, id));
}

static void test_vsiid_ipv6(void **state)
{
	(void)state;
	uint8_t id[16] = {0};
	assert_false(vdp_vsiid_valid(VDP_VSIID_IPV6, id));
	for (int i = 0; i < 16; i++) {
		id[i] = 0x20;
		assert_true(vdp_vsiid_valid(VDP_VSIID_IPV6, id));
		id[i] = 0;
	}
}

static void test_vsiid_mac(void **state)
{
	(void)state;
	uint8_t id[16] = {[10] = 0x52, 0x54, 0x00, 0x8e, 0xaa, 0x11};
	assert_true(vdp_vsiid_valid(VDP_VSIID_MAC, id));
	id[10] = 0x01; /* multicast */
	assert_false(vdp_vsiid_valid(VDP_VSIID_MAC, id));
	memset(id + 10, 0xff, 6); /* broadcast */
	assert_false(vdp_vsiid_valid(VDP_VSIID_MAC, id));
	memset(id + 10, 0, 6); /* zero */
	assert_false(vdp_vsiid_valid(VDP_VSIID_MAC, id));
	id[15] = 1; /* 00:00:00:00:00:01 is unicast, non-zero */
	assert_true(vdp_vsiid_valid(VDP_VSIID_MAC, id));
	id[9] = 1; /* prefix not zero */
	assert_false(vdp_vsiid_valid(VDP_VSIID_MAC, id));
}

static void test_vsiid_local(void **state)
{
	(void)state;
	uint8_t id[16] = {0};
	assert_true(vdp_vsiid_valid(VDP_VSIID_LOCAL, id));
	memset(id, 0xff, 16);
	assert_true(vdp_vsiid_valid(VDP_VSIID_LOCAL, id));
}

static void test_vsiid_uuid(void **state)
{
	(void)state;
	uint8_t id[16] = {0};
	assert_false(vdp_vsiid_valid(VDP_VSIID_UUID, id));
	id[15] = 1; /* lldpad only looks at 8 octets; we look at all 16 */
	assert_true(vdp_vsiid_valid(VDP_VSIID_UUID, id));
	assert_true(vdp_vsiid_valid(VDP_VSIID_UUID, lldpad_uuid));
}

static void test_vsiid_unknown_fmt(void **state)
{
	(void)state;
	static const uint8_t fmts[] = {0, 6, 0x80, 0xff};
	for (size_t i = 0; i < sizeof(fmts); i++)
		assert_false(vdp_vsiid_valid(fmts[i], lldpad_uuid));
}

/* ---------------- content rules ---------------- */

static uint8_t check(const struct vdp_vsi_tlv *t, bool gid_ok, const char **what, unsigned *entry)
{
	*what = NULL;
	*entry = 77;
	return vdp_vsi_tlv_check_ex(t, gid_ok, what, entry);
}

static void test_check_ok(void **state)
{
	(void)state;
	const char *what;
	unsigned entry;
	struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_ASSOC, 0);
	assert_int_equal(check(&t, false, &what, &entry), VDP_RSN_SUCCESS);
	assert_null(what);
	assert_int_equal(entry, 0);
	/* NULL what / entry allowed */
	assert_int_equal(vdp_vsi_tlv_check_ex(&t, false, NULL, NULL), VDP_RSN_SUCCESS);
	assert_int_equal(vdp_vsi_tlv_check(&t, false, NULL), VDP_RSN_SUCCESS);
}

static void check_vsiid_rule(uint8_t fmt, const uint8_t id[16], const char *msg)
{
	const char *what;
	unsigned entry;
	struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_ASSOC, 0);
	t.vsiid_fmt = fmt;
	memcpy(t.vsiid, id, 16);
	assert_int_equal(check(&t, true, &what, &entry), VDP_RSN_INVALID_FMT);
	assert_string_equal(what, msg);
	assert_int_equal(entry, 0);
	assert_int_equal(vdp_vsi_tlv_check(&t, true, &what), VDP_RSN_INVALID_FMT);
}

static void test_check_vsiid(void **state)
{
	(void)state;
	static const uint8_t zero[16];
	static const uint8_t v4bad[16] = {[10] = 0xff, [11] = 0x00, [15] = 1};
	static const uint8_t macbad[16] = {[10] = 0x03, [15] = 1};
	check_vsiid_rule(VDP_VSIID_IPV4, v4bad,
			 "IPv4 VSIID is not ::ffff:a.b.c.d with a non-zero address");
	check_vsiid_rule(VDP_VSIID_IPV6, zero, "IPv6 VSIID is all zero");
	check_vsiid_rule(VDP_VSIID_MAC, macbad,
			 "MAC VSIID is not a unicast MAC after 10 zero octets");
	check_vsiid_rule(VDP_VSIID_UUID, zero, "UUID VSIID is all zero");
	check_vsiid_rule(0, lldpad_uuid, "unknown VSIID format");
	check_vsiid_rule(6, lldpad_uuid, "unknown VSIID format");

	/* each valid layout passes */
	const char *what;
	unsigned entry;
	struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_ASSOC, 0);
	static const uint8_t v4[16] = {[10] = 0xff, [11] = 0xff, [12] = 10, [15] = 1};
	static const uint8_t mac[16] = {[10] = 0x02, [15] = 1};
	t.vsiid_fmt = VDP_VSIID_IPV4;
	memcpy(t.vsiid, v4, 16);
	assert_int_equal(check(&t, false, &what, &entry), VDP_RSN_SUCCESS);
	t.vsiid_fmt = VDP_VSIID_MAC;
	memcpy(t.vsiid, mac, 16);
	assert_int_equal(check(&t, false, &what, &entry), VDP_RSN_SUCCESS);
	t.vsiid_fmt = VDP_VSIID_LOCAL;
	memset(t.vsiid, 0, 16);
	assert_int_equal(check(&t, false, &what, &entry), VDP_RSN_SUCCESS);
	t.vsiid_fmt = VDP_VSIID_IPV6;
	t.vsiid[0] = 0xfe;
	assert_int_equal(check(&t, false, &what, &entry), VDP_RSN_SUCCESS);
}

static void test_check_format(void **state)
{
	(void)state;
	const char *what;
	unsigned entry;
	struct vdp_filter f = {.group = 1, .mac = {2, 0, 0, 0, 0, 1}, .vid = 10};
	struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_ASSOC, 0);
	t.filters = &f;

	t.fif = 0;
	assert_int_equal(check(&t, true, &what, &entry), VDP_RSN_INVALID_FMT);
	assert_string_equal(what, "unknown filter info format");
	t.fif = 5;
	assert_int_equal(check(&t, true, &what, &entry), VDP_RSN_INVALID_FMT);
	assert_string_equal(what, "unknown filter info format");
	assert_int_equal(entry, 0);

	/* group formats only when group IDs were negotiated */
	for (uint8_t fif = VDP_FIF_GROUPVID; fif <= VDP_FIF_GROUPMACVID; fif++) {
		t.fif = fif;
		assert_int_equal(check(&t, false, &what, &entry), VDP_RSN_INVALID_FMT);
		assert_string_equal(what,
				    "group ID filter format without negotiated group ID support");
		assert_int_equal(entry, 0);
		assert_int_equal(check(&t, true, &what, &entry), VDP_RSN_SUCCESS);
	}
	for (uint8_t fif = VDP_FIF_VID; fif <= VDP_FIF_MACVID; fif++) {
		t.fif = fif;
		assert_int_equal(check(&t, false, &what, &entry), VDP_RSN_SUCCESS);
	}

	t.fif = VDP_FIF_MACVID;
	t.nfilters = 0;
	assert_int_equal(check(&t, true, &what, &entry), VDP_RSN_INVALID_FMT);
	assert_string_equal(what, "no filter entries");
	assert_int_equal(entry, 0);
}

/* Filters {ok, bad} under fif: expect reason and phrase for entry 2. */
static void check_entry_rule(uint8_t fif, struct vdp_filter bad, uint8_t rsn, const char *msg)
{
	const char *what;
	unsigned entry;
	struct vdp_filter f[3] = {{.group = 9, .mac = {2, 0, 0, 0, 0, 9}, .vid = 9},
				  bad,
				  {.group = 8, .mac = {2, 0, 0, 0, 0, 8}, .vid = 4095}};
	struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_ASSOC, 0);
	t.fif = fif;
	t.filters = f;
	t.nfilters = 3;
	assert_int_equal(check(&t, true, &what, &entry), rsn);
	assert_string_equal(what, msg);
	assert_int_equal(entry, 2);
	what = NULL;
	assert_int_equal(vdp_vsi_tlv_check(&t, true, &what), rsn);
	assert_string_equal(what, msg);
	/* the same entry first: it is entry 1 */
	t.filters = f + 1;
	t.nfilters = 2;
	assert_int_equal(check(&t, true, &what, &entry), rsn);
	assert_int_equal(entry, 1);
}

static void test_check_vid(void **state)
{
	(void)state;
	for (uint8_t fif = VDP_FIF_VID; fif <= VDP_FIF_GROUPMACVID; fif++) {
		struct vdp_filter f = {.group = 1, .mac = {2, 0, 0, 0, 0, 1}, .vid = 4095};
		check_entry_rule(fif, f, VDP_RSN_INVALID_ID, "VID 4095 is reserved");
		f.vid = 4096;
		check_entry_rule(fif, f, VDP_RSN_INVALID_ID, "VID does not fit 12 bits");
		f.vid = 0xffff;
		check_entry_rule(fif, f, VDP_RSN_INVALID_ID, "VID does not fit 12 bits");
		f.vid = 5;
		f.pcp = 8;
		check_entry_rule(fif, f, VDP_RSN_INVALID_FMT, "PCP does not fit 3 bits");
	}
}

static void test_check_vid_accepted(void **state)
{
	(void)state;
	/* VID 0 (wildcard), 1 (accepted, unlike lldpad), 2, 4094 with any PS/PCP */
	static const uint16_t ok[] = {0, 1, 2, 100, 4094};
	const char *what;
	unsigned entry;
	struct vdp_filter f = {.mac = {2, 0, 0, 0, 0, 1}, .pcp = 7, .ps = true};
	struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_ASSOC, 0);
	t.filters = &f;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		f.vid = ok[i];
		assert_int_equal(check(&t, false, &what, &entry), VDP_RSN_SUCCESS);
	}
}

static void test_check_wildcard(void **state)
{
	(void)state;
	const char *what;
	unsigned entry;
	struct vdp_filter f[3] = {{.vid = 0}, {.vid = 5}, {.vid = 0}};
	struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_ASSOC, 0);
	t.fif = VDP_FIF_VID;
	t.filters = f;
	t.nfilters = 2; /* one wildcard plus a VID: fine */
	assert_int_equal(check(&t, false, &what, &entry), VDP_RSN_SUCCESS);
	t.nfilters = 3; /* two wildcards with fif 1 */
	assert_int_equal(check(&t, false, &what, &entry), VDP_RSN_INVALID_ID);
	assert_string_equal(what, "more than one wildcard VID 0 with filter format vid");
	assert_int_equal(entry, 3);

	/* with MACs, several wildcards are fine */
	struct vdp_filter m[2] = {{.mac = {2, 0, 0, 0, 0, 1}}, {.mac = {2, 0, 0, 0, 0, 2}}};
	t.fif = VDP_FIF_MACVID;
	t.filters = m;
	t.nfilters = 2;
	assert_int_equal(check(&t, false, &what, &entry), VDP_RSN_SUCCESS);
}

static void test_check_mac(void **state)
{
	(void)state;
	for (uint8_t fif = VDP_FIF_MACVID; fif <= VDP_FIF_GROUPMACVID; fif += 2) {
		struct vdp_filter f = {.group = 1, .vid = 3};
		check_entry_rule(fif, f, VDP_RSN_INVALID_ID, "MAC is zero");
		f.mac[0] = 0x01;
		check_entry_rule(fif, f, VDP_RSN_INVALID_ID, "MAC is not unicast");
		memset(f.mac, 0xff, 6);
		check_entry_rule(fif, f, VDP_RSN_INVALID_ID, "MAC is not unicast");
	}
	/* formats without MAC ignore the field */
	const char *what;
	unsigned entry;
	struct vdp_filter f = {.group = 1, .vid = 3};
	struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_ASSOC, 0);
	t.filters = &f;
	t.fif = VDP_FIF_VID;
	assert_int_equal(check(&t, true, &what, &entry), VDP_RSN_SUCCESS);
	t.fif = VDP_FIF_GROUPVID;
	assert_int_equal(check(&t, true, &what, &entry), VDP_RSN_SUCCESS);
}

static void test_check_group(void **state)
{
	(void)state;
	for (uint8_t fif = VDP_FIF_GROUPVID; fif <= VDP_FIF_GROUPMACVID; fif++) {
		struct vdp_filter f = {.mac = {2, 0, 0, 0, 0, 1}, .vid = 3};
		check_entry_rule(fif, f, VDP_RSN_INVALID_ID, "group ID is zero");
	}
	/* formats without Group ID ignore the field */
	const char *what;
	unsigned entry;
	struct vdp_filter f = {.mac = {2, 0, 0, 0, 0, 1}, .vid = 3};
	struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_ASSOC, 0);
	t.filters = &f;
	assert_int_equal(check(&t, true, &what, &entry), VDP_RSN_SUCCESS);
}

static void test_check_order(void **state)
{
	(void)state;
	/* format problems are reported before entry problems */
	const char *what;
	unsigned entry;
	struct vdp_filter f = {.vid = 4095};
	struct vdp_vsi_tlv t = lldpad_tlv(VDP_TLV_ASSOC, 0);
	t.filters = &f;
	memset(t.vsiid, 0, 16);
	assert_int_equal(check(&t, true, &what, &entry), VDP_RSN_INVALID_FMT);
	assert_string_equal(what, "UUID VSIID is all zero");
	assert_int_equal(entry, 0);
}

/* ---------------- names ---------------- */

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(vdp_tlv_type_name(0), "end");
	assert_string_equal(vdp_tlv_type_name(1), "preassoc");
	assert_string_equal(vdp_tlv_type_name(2), "preassoc-rr");
	assert_string_equal(vdp_tlv_type_name(3), "assoc");
	assert_string_equal(vdp_tlv_type_name(4), "deassoc");
	assert_string_equal(vdp_tlv_type_name(5), "mgrid");
	assert_string_equal(vdp_tlv_type_name(6), "reserved");
	assert_string_equal(vdp_tlv_type_name(126), "reserved");
	assert_string_equal(vdp_tlv_type_name(127), "org");
	assert_string_equal(vdp_tlv_type_name(255), "reserved");

	assert_string_equal(vdp_reason_name(0), "success");
	assert_string_equal(vdp_reason_name(1), "invalid format");
	assert_string_equal(vdp_reason_name(2), "insufficient resources");
	assert_string_equal(vdp_reason_name(3), "unable to contact VSI manager");
	assert_string_equal(vdp_reason_name(4), "other failure");
	assert_string_equal(vdp_reason_name(5), "invalid VID, group ID or MAC");
	assert_string_equal(vdp_reason_name(6), "reserved");
	assert_string_equal(vdp_reason_name(15), "reserved");
	assert_string_equal(vdp_reason_name(255), "reserved");

	assert_string_equal(vdp_vsiid_fmt_name(0), "reserved");
	assert_string_equal(vdp_vsiid_fmt_name(1), "ipv4");
	assert_string_equal(vdp_vsiid_fmt_name(2), "ipv6");
	assert_string_equal(vdp_vsiid_fmt_name(3), "mac");
	assert_string_equal(vdp_vsiid_fmt_name(4), "local");
	assert_string_equal(vdp_vsiid_fmt_name(5), "uuid");
	assert_string_equal(vdp_vsiid_fmt_name(6), "reserved");
	assert_string_equal(vdp_vsiid_fmt_name(255), "reserved");

	assert_string_equal(vdp_fif_name(0), "reserved");
	assert_string_equal(vdp_fif_name(1), "vid");
	assert_string_equal(vdp_fif_name(2), "mac-vid");
	assert_string_equal(vdp_fif_name(3), "group-vid");
	assert_string_equal(vdp_fif_name(4), "group-mac-vid");
	assert_string_equal(vdp_fif_name(5), "reserved");
	assert_string_equal(vdp_fif_name(255), "reserved");
}

/* ---------------- VSIID text ---------------- */

/* str(fmt, id) == text and parse(fmt, text) == id. */
static void check_text(uint8_t fmt, const uint8_t id[16], const char *text)
{
	char buf[48];
	uint8_t back[16];
	memset(buf, 'x', sizeof(buf));
	assert_ptr_equal(vdp_vsiid_str(fmt, id, buf, sizeof(buf)), buf);
	assert_string_equal(buf, text);
	memset(back, 0xa5, sizeof(back));
	assert_int_equal(vdp_vsiid_parse(fmt, text, back), 0);
	assert_memory_equal(back, id, 16);
}

static void test_text_uuid(void **state)
{
	(void)state;
	check_text(VDP_VSIID_UUID, lldpad_uuid, "00112233-4455-6677-8899-aabbccddeeff");
	check_text(VDP_VSIID_UUID, ref58_assoc + 8, "fa9b7fff-b0a0-4893-8e0e-beef4ff18f8f");
	uint8_t id[16];
	assert_int_equal(
	    vdp_vsiid_parse(VDP_VSIID_UUID, "FA9B7FFF-B0A0-4893-8E0E-BEEF4FF18F8F", id), 0);
	assert_memory_equal(id, ref58_assoc + 8, 16);
	assert_int_equal(vdp_vsiid_parse(VDP_VSIID_UUID, "00112233445566778899AABBCCDDEEFF", id),
			 0);
	assert_memory_equal(id, lldpad_uuid, 16);
}

static void test_text_ipv4(void **state)
{
	(void)state;
	static const uint8_t id[16] = {[10] = 0xff, [11] = 0xff, [12] = 192, 0, 2, 1};
	check_text(VDP_VSIID_IPV4, id, "192.0.2.1");
	/* a layout that is not ::ffff:a.b.c.d prints (and parses) as hex */
	static const uint8_t odd[16] = {[0] = 1, [10] = 0xff, [11] = 0xff, [12] = 10, 0, 0, 1};
	check_text(VDP_VSIID_IPV4, odd, "01000000000000000000ffff0a000001");
}

static void test_text_ipv6(void **state)
{
	(void)state;
	static const uint8_t id[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
	check_text(VDP_VSIID_IPV6, id, "2001:db8::1");
	static const uint8_t full[16] = {0xfe, 0x80, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
	check_text(VDP_VSIID_IPV6, full, "fe80:102:304:506:708:90a:b0c:d0e");
	static const uint8_t zero[16];
	check_text(VDP_VSIID_IPV6, zero, "::");
}

static void test_text_mac(void **state)
{
	(void)state;
	static const uint8_t id[16] = {[10] = 0x52, 0x54, 0x00, 0x8e, 0xaa, 0x11};
	check_text(VDP_VSIID_MAC, id, "52:54:00:8e:aa:11");
	uint8_t back[16];
	assert_int_equal(vdp_vsiid_parse(VDP_VSIID_MAC, "52:54:00:8E:AA:11", back), 0);
	assert_memory_equal(back, id, 16);
	static const uint8_t odd[16] = {[3] = 7, [10] = 0x52};
	check_text(VDP_VSIID_MAC, odd, "00000007000000000000520000000000");
}

static void test_text_local(void **state)
{
	(void)state;
	check_text(VDP_VSIID_LOCAL, lldpad_uuid, "00112233445566778899aabbccddeeff");
	static const uint8_t ff[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe};
	check_text(VDP_VSIID_LOCAL, ff, "fffffffffffffffffffffffffffffffe");
}

static void test_text_unknown_fmt(void **state)
{
	(void)state;
	char buf[48];
	uint8_t id[16];
	assert_string_equal(vdp_vsiid_str(9, lldpad_uuid, buf, sizeof(buf)),
			    "00112233445566778899aabbccddeeff");
	assert_int_equal(vdp_vsiid_parse(9, "00112233445566778899aabbccddeeff", id), -EINVAL);
	assert_int_equal(vdp_vsiid_parse(0, "00112233445566778899aabbccddeeff", id), -EINVAL);
}

static void test_text_truncated(void **state)
{
	(void)state;
	char buf[48];
	memset(buf, 'x', sizeof(buf));
	assert_ptr_equal(vdp_vsiid_str(VDP_VSIID_UUID, lldpad_uuid, buf, 9), buf);
	assert_string_equal(buf, "00112233");
	assert_int_equal(buf[9], 'x');
	memset(buf, 'x', sizeof(buf));
	assert_ptr_equal(vdp_vsiid_str(VDP_VSIID_UUID, lldpad_uuid, buf, 0), buf);
	assert_int_equal(buf[0], 'x');
	assert_null(vdp_vsiid_str(VDP_VSIID_UUID, lldpad_uuid, NULL, 48));
	/* the longest IPv6 text fits the documented 48 octets */
	uint8_t v6[16];
	memset(v6, 0xff, sizeof(v6));
	vdp_vsiid_str(VDP_VSIID_IPV6, v6, buf, sizeof(buf));
	assert_string_equal(buf, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
}

static void test_parse_errors(void **state)
{
	(void)state;
	static const struct {
		uint8_t fmt;
		const char *s;
	} bad[] = {
	    {VDP_VSIID_UUID, ""},
	    {VDP_VSIID_UUID, "00112233-4455-6677-8899-aabbccddeef"},
	    {VDP_VSIID_UUID, "00112233-4455-6677-8899-aabbccddeeff0"},
	    {VDP_VSIID_UUID, "00112233-4455-6677-8899aabbccddeeff"},
	    {VDP_VSIID_UUID, "0011223-34455-6677-8899-aabbccddeeff"},
	    {VDP_VSIID_UUID, "00112233_4455_6677_8899_aabbccddeeff"},
	    {VDP_VSIID_UUID, "g0112233-4455-6677-8899-aabbccddeeff"},
	    {VDP_VSIID_UUID, "0g112233-4455-6677-8899-aabbccddeeff"},
	    {VDP_VSIID_UUID, "00112233445566778899aabbccddeef"},
	    {VDP_VSIID_UUID, "00112233445566778899aabbccddeeff00"},
	    {VDP_VSIID_IPV4, "192.0.2"},
	    {VDP_VSIID_IPV4, "192.0.2.256"},
	    {VDP_VSIID_IPV4, "192.0.2.1 "},
	    {VDP_VSIID_IPV4, "::ffff:192.0.2.1"},
	    {VDP_VSIID_IPV6, "2001:db8::1::2"},
	    {VDP_VSIID_IPV6, "192.0.2.1"},
	    {VDP_VSIID_IPV6, "gggg::"},
	    {VDP_VSIID_MAC, "52:54:00:8e:aa"},
	    {VDP_VSIID_MAC, "52:54:00:8e:aa:11:22"},
	    {VDP_VSIID_MAC, "52-54-00-8e-aa-11"},
	    {VDP_VSIID_MAC, "52:54:00:8e:aa:1"},
	    {VDP_VSIID_MAC, "525400:8e:aa:11"},
	    {VDP_VSIID_LOCAL, "abc"},
	    {VDP_VSIID_LOCAL, "00112233-4455-6677-8899-aabbccddeeff"},
	    {VDP_VSIID_LOCAL, "00112233445566778899aabbccddeefg"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint8_t id[16];
		memset(id, 0x5a, sizeof(id));
		if (vdp_vsiid_parse(bad[i].fmt, bad[i].s, id) != -EINVAL)
			fail_msg("parse(%u, \"%s\") accepted", bad[i].fmt, bad[i].s);
		for (int j = 0; j < 16; j++)
			assert_int_equal(id[j], 0x5a); /* unchanged */
	}
	uint8_t id[16];
	assert_int_equal(vdp_vsiid_parse(VDP_VSIID_UUID, NULL, id), -EINVAL);
}

static void test_parse_hex_any_format(void **state)
{
	(void)state;
	/* 32 hex digits are the raw form for every known format */
	for (uint8_t fmt = VDP_VSIID_IPV4; fmt <= VDP_VSIID_UUID; fmt++) {
		uint8_t id[16];
		assert_int_equal(vdp_vsiid_parse(fmt, "00112233445566778899aabbccddeeff", id), 0);
		assert_memory_equal(id, lldpad_uuid, 16);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_entry_len),
	    cmocka_unit_test(test_tlv_hdr),
	    cmocka_unit_test(test_size),
	    cmocka_unit_test(test_mgrid_encode),
	    cmocka_unit_test(test_lldpad_assoc_request),
	    cmocka_unit_test(test_lldpad_assoc_response),
	    cmocka_unit_test(test_lldpad_deassoc),
	    cmocka_unit_test(test_ref58),
	    cmocka_unit_test(test_status_raw),
	    cmocka_unit_test(test_all_vsi_types),
	    cmocka_unit_test(test_type_id_24bit),
	    cmocka_unit_test(test_fif_vid),
	    cmocka_unit_test(test_fif_macvid),
	    cmocka_unit_test(test_fif_groupvid),
	    cmocka_unit_test(test_fif_groupmacvid),
	    cmocka_unit_test(test_pspcpvid_word),
	    cmocka_unit_test(test_encode_masks_word),
	    cmocka_unit_test(test_max_counts),
	    cmocka_unit_test(test_encode_org),
	    cmocka_unit_test(test_encode_unknown_fif),
	    cmocka_unit_test(test_encode_no_room),
	    cmocka_unit_test(test_decode_too_short),
	    cmocka_unit_test(test_decode_no_count),
	    cmocka_unit_test(test_decode_unknown_fif),
	    cmocka_unit_test(test_decode_zero_count),
	    cmocka_unit_test(test_decode_length_mismatch),
	    cmocka_unit_test(test_decode_count_over_max),
	    cmocka_unit_test(test_vsiid_ipv4),
	    cmocka_unit_test(test_vsiid_ipv6),
	    cmocka_unit_test(test_vsiid_mac),
	    cmocka_unit_test(test_vsiid_local),
	    cmocka_unit_test(test_vsiid_uuid),
	    cmocka_unit_test(test_vsiid_unknown_fmt),
	    cmocka_unit_test(test_check_ok),
	    cmocka_unit_test(test_check_vsiid),
	    cmocka_unit_test(test_check_format),
	    cmocka_unit_test(test_check_vid),
	    cmocka_unit_test(test_check_vid_accepted),
	    cmocka_unit_test(test_check_wildcard),
	    cmocka_unit_test(test_check_mac),
	    cmocka_unit_test(test_check_group),
	    cmocka_unit_test(test_check_order),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_text_uuid),
	    cmocka_unit_test(test_text_ipv4),
	    cmocka_unit_test(test_text_ipv6),
	    cmocka_unit_test(test_text_mac),
	    cmocka_unit_test(test_text_local),
	    cmocka_unit_test(test_text_unknown_fmt),
	    cmocka_unit_test(test_text_truncated),
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_parse_hex_any_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
