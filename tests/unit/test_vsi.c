/* SPDX-License-Identifier: ISC */
/*
 * test_vsi.c - unit tests of the VSI object and the VSI table (vdp/vsi.c):
 * filters and org TLV storage, the TLV view, filter matching rules, result
 * names, and the hash table at 200,000 VSIs with resumable iteration.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "vdp/vsi.h"

#include "alloc_fail.h"
#include "vsi_keys.h"

static const struct vdp_filter F1 = {.mac = {0x52, 0x54, 0x00, 0xc7, 0x3e, 0xce}, .vid = 100};
static const struct vdp_filter F2 = {.mac = {0x52, 0x54, 0x00, 0x00, 0x00, 0x02}, .vid = 200};
static const struct vdp_filter F3 = {
    .group = 7, .mac = {0x52, 0x54, 0x00, 0x00, 0x00, 0x03}, .vid = 0, .ps = true, .pcp = 5};

/* Field by field: struct padding is not compared. */
static void assert_filters_equal(const struct vdp_filter *a, const struct vdp_filter *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(a[i].group, b[i].group);
		assert_memory_equal(a[i].mac, b[i].mac, 6);
		assert_int_equal(a[i].vid, b[i].vid);
		assert_int_equal(a[i].pcp, b[i].pcp);
		assert_int_equal(a[i].ps, b[i].ps);
	}
}

/* ---------------- the VSI object ---------------- */

static void test_new_free(void **state)
{
	struct vdp_vsi_key k = key_n(42);
	struct vdp_vsi *v = vsi_new(&k, 123456789);
	struct vdp_vsi zero;

	(void)state;
	assert_non_null(v);
	assert_int_equal(v->key.fmt, VDP_VSIID_UUID);
	assert_memory_equal(v->key.id, k.id, VDP_VSIID_LEN);
	assert_int_equal(v->created, 123456789);
	assert_int_equal(v->timer.idx, DL_NONE);
	assert_int_equal(v->timer.at, 0);
	assert_int_not_equal(v->hash, 0);
	/* Everything else zero. */
	memset(&zero, 0, sizeof(zero));
	assert_null(v->hnext);
	assert_int_equal(v->nfilters, 0);
	assert_null(v->org);
	assert_int_equal(v->org_len, 0);
	assert_int_equal(v->state, 0);
	assert_int_equal(v->cmd, 0);
	assert_int_equal(v->confirmed, 0);
	assert_int_equal(v->result, VSI_PENDING);
	assert_int_equal(v->flags, 0);
	assert_int_equal(v->n_ok + v->n_fail + v->n_revert, 0);
	assert_memory_equal(v->mgrid, zero.mgrid, VDP_MGRID_LEN);
	vsi_free(v);
	vsi_free(NULL); /* allowed */

	if (fail_next_alloc())
		assert_null(vsi_new(&k, 0));
}

static void test_same_key_same_hash(void **state)
{
	struct vdp_vsi_key a = key_n(1), b = key_n(1), c = key_n(1);
	struct vdp_vsi *va, *vb, *vc;

	(void)state;
	c.fmt = VDP_VSIID_LOCAL;
	va = vsi_new(&a, 0);
	vb = vsi_new(&b, 0);
	vc = vsi_new(&c, 0);
	assert_int_equal(va->hash, vb->hash);
	assert_int_not_equal(va->hash, vc->hash); /* the format is part of the key */
	vsi_free(va);
	vsi_free(vb);
	vsi_free(vc);
}

static void test_filters_inline_and_array(void **state)
{
	struct vdp_vsi_key k = key_n(1);
	struct vdp_vsi *v = vsi_new(&k, 0);
	struct vdp_filter three[3] = {F1, F2, F3};

	(void)state;
	/* One: inline. */
	assert_int_equal(vsi_set_filters(v, VDP_FIF_MACVID, &F1, 1), 0);
	assert_int_equal(v->fif, VDP_FIF_MACVID);
	assert_int_equal(v->nfilters, 1);
	assert_ptr_equal(vsi_filters(v), &v->f.one);
	assert_filters_equal(&v->f.one, &F1, 1);
	/* Three: an array, a copy of the caller's. */
	assert_int_equal(vsi_set_filters(v, VDP_FIF_GROUPMACVID, three, 3), 0);
	assert_int_equal(v->fif, VDP_FIF_GROUPMACVID);
	assert_int_equal(v->nfilters, 3);
	assert_ptr_equal(vsi_filters(v), v->f.many);
	assert_ptr_not_equal(v->f.many, three);
	assert_filters_equal(v->f.many, three, 3);
	three[0].vid = 999; /* the VSI kept its own */
	assert_int_equal(vsi_filters(v)[0].vid, 100);
	vsi_filters_mut(v)[2].vid = 55;
	assert_int_equal(v->f.many[2].vid, 55);
	/* From its own array (aliasing) to two. */
	assert_int_equal(vsi_set_filters(v, VDP_FIF_MACVID, vsi_filters(v) + 1, 2), 0);
	assert_int_equal(v->nfilters, 2);
	assert_filters_equal(&vsi_filters(v)[0], &F2, 1);
	assert_int_equal(vsi_filters(v)[1].vid, 55);
	/* From its own array to one (array freed, entry kept). */
	assert_int_equal(vsi_set_filters(v, VDP_FIF_MACVID, vsi_filters(v) + 1, 1), 0);
	assert_int_equal(v->nfilters, 1);
	assert_ptr_equal(vsi_filters(v), &v->f.one);
	assert_int_equal(v->f.one.vid, 55);
	assert_int_equal(v->f.one.group, 7);
	/* From its inline entry to itself. */
	assert_int_equal(vsi_set_filters(v, VDP_FIF_VID, vsi_filters(v), 1), 0);
	assert_int_equal(v->f.one.vid, 55);
	assert_int_equal(v->fif, VDP_FIF_VID);
	/* None. */
	assert_int_equal(vsi_set_filters(v, VDP_FIF_VID, NULL, 0), 0);
	assert_int_equal(v->nfilters, 0);
	assert_int_equal(v->f.one.vid, 0);
	/* Entries without an array. */
	assert_int_equal(vsi_set_filters(v, VDP_FIF_VID, NULL, 2), -EINVAL);
	vsi_free(v);
}

static void test_filters_enomem_keeps_old(void **state)
{
	struct vdp_vsi_key k = key_n(1);
	struct vdp_filter two[2] = {F1, F2};
	struct vdp_filter three[3] = {F3, F2, F1};
	struct vdp_vsi *v;

	(void)state;
	if (!ALLOC_FAILS)
		skip();
	v = vsi_new(&k, 0);
	assert_int_equal(vsi_set_filters(v, VDP_FIF_MACVID, two, 2), 0);
	fail_next_alloc();
	assert_int_equal(vsi_set_filters(v, VDP_FIF_GROUPMACVID, three, 3), -ENOMEM);
	assert_int_equal(v->fif, VDP_FIF_MACVID);
	assert_int_equal(v->nfilters, 2);
	assert_filters_equal(vsi_filters(v), two, 2);
	vsi_free(v);
}

static void test_org(void **state)
{
	static const uint8_t org1[] = {0xfe, 0x05, 0x00, 0x00, 0x0c, 0xf1, 0x01};
	static const uint8_t org2[] = {0xfe, 0x04, 0x00, 0x00, 0x0c, 0xf2};
	struct vdp_vsi_key k = key_n(1);
	struct vdp_vsi *v = vsi_new(&k, 0);
	static uint8_t big[UINT16_MAX + 1];

	(void)state;
	assert_int_equal(vsi_set_org(v, org1, sizeof(org1)), 0);
	assert_int_equal(v->org_len, sizeof(org1));
	assert_ptr_not_equal(v->org, org1);
	assert_memory_equal(v->org, org1, sizeof(org1));
	/* Replace from its own octets (aliasing). */
	assert_int_equal(vsi_set_org(v, v->org + 1, 3), 0);
	assert_int_equal(v->org_len, 3);
	assert_memory_equal(v->org, org1 + 1, 3);
	assert_int_equal(vsi_set_org(v, org2, sizeof(org2)), 0);
	assert_memory_equal(v->org, org2, sizeof(org2));
	/* Failures keep the old octets. */
	if (fail_next_alloc()) {
		assert_int_equal(vsi_set_org(v, org1, sizeof(org1)), -ENOMEM);
		assert_int_equal(v->org_len, sizeof(org2));
		assert_memory_equal(v->org, org2, sizeof(org2));
	}
	assert_int_equal(vsi_set_org(v, big, sizeof(big)), -EINVAL);
	assert_int_equal(vsi_set_org(v, NULL, 4), -EINVAL);
	assert_int_equal(v->org_len, sizeof(org2));
	/* The largest length that fits the field. */
	assert_int_equal(vsi_set_org(v, big, UINT16_MAX), 0);
	assert_int_equal(v->org_len, UINT16_MAX);
	/* Clear. */
	assert_int_equal(vsi_set_org(v, NULL, 0), 0);
	assert_null(v->org);
	assert_int_equal(v->org_len, 0);
	vsi_free(v);
}

static void test_to_tlv(void **state)
{
	static const uint8_t org[] = {0xfe, 0x04, 0x00, 0x00, 0x0c, 0xf2};
	struct vdp_vsi_key k = key_n(0x01020304);
	struct vdp_vsi *v = vsi_new(&k, 0);
	struct vdp_filter two[2] = {F1, F2};
	struct vdp_vsi_tlv t;

	(void)state;
	v->type_id = 0xab123456; /* only 24 bits are a type ID */
	v->type_ver = 7;
	vsi_set_filters(v, VDP_FIF_MACVID, two, 2);
	vsi_set_org(v, org, sizeof(org));
	memset(&t, 0xee, sizeof(t));
	vsi_to_tlv(v, VDP_TLV_ASSOC, 0x40, &t);
	assert_int_equal(t.type, VDP_TLV_ASSOC);
	assert_int_equal(t.status, 0x40);
	assert_int_equal(t.type_id, 0x123456);
	assert_int_equal(t.type_ver, 7);
	assert_int_equal(t.vsiid_fmt, VDP_VSIID_UUID);
	assert_memory_equal(t.vsiid, k.id, VDP_VSIID_LEN);
	assert_int_equal(t.fif, VDP_FIF_MACVID);
	assert_int_equal(t.nfilters, 2);
	assert_ptr_equal(t.filters, v->f.many);
	assert_ptr_equal(t.org, v->org);
	assert_int_equal(t.org_len, sizeof(org));

	/* One filter: points at the inline entry; no org. */
	vsi_set_filters(v, VDP_FIF_VID, &F1, 1);
	vsi_set_org(v, NULL, 0);
	vsi_to_tlv(v, VDP_TLV_DEASSOC, 0x00, &t);
	assert_int_equal(t.type, VDP_TLV_DEASSOC);
	assert_int_equal(t.status, 0);
	assert_int_equal(t.nfilters, 1);
	assert_ptr_equal(t.filters, &v->f.one);
	assert_null(t.org);
	assert_int_equal(t.org_len, 0);
	vsi_free(v);
}

/* A TLV carrying `f` (n entries) under format fif. */
static struct vdp_vsi_tlv tlv_with(uint8_t fif, const struct vdp_filter *f, uint16_t n)
{
	return (struct vdp_vsi_tlv){.type = VDP_TLV_ASSOC, .fif = fif, .nfilters = n, .filters = f};
}

static void test_filters_match_exact(void **state)
{
	struct vdp_vsi_key k = key_n(1);
	struct vdp_vsi *v = vsi_new(&k, 0);
	struct vdp_filter mine[2] = {F1, F3};
	struct vdp_filter t[2];
	struct vdp_vsi_tlv r;

	(void)state;
	vsi_set_filters(v, VDP_FIF_GROUPMACVID, mine, 2);
	memcpy(t, mine, sizeof(t));
	r = tlv_with(VDP_FIF_GROUPMACVID, t, 2);
	assert_true(vsi_filters_match(v, &r, false));
	assert_true(vsi_filters_match(v, &r, true));
	/* Format, count. */
	r.fif = VDP_FIF_MACVID;
	assert_false(vsi_filters_match(v, &r, false));
	assert_false(vsi_filters_match(v, &r, true));
	r = tlv_with(VDP_FIF_GROUPMACVID, t, 1);
	assert_false(vsi_filters_match(v, &r, true));
	r = tlv_with(VDP_FIF_GROUPMACVID, NULL, 2);
	assert_false(vsi_filters_match(v, &r, true));
	/* Order matters (by position). */
	t[0] = mine[1];
	t[1] = mine[0];
	r = tlv_with(VDP_FIF_GROUPMACVID, t, 2);
	assert_false(vsi_filters_match(v, &r, true));
	/* MAC, group. */
	memcpy(t, mine, sizeof(t));
	t[1].mac[5] ^= 1;
	assert_false(vsi_filters_match(v, &r, true));
	memcpy(t, mine, sizeof(t));
	t[1].group = 8;
	assert_false(vsi_filters_match(v, &r, true));
	/* A non-zero VID must be the same, wild or not. */
	memcpy(t, mine, sizeof(t));
	t[0].vid = 101;
	assert_false(vsi_filters_match(v, &r, false));
	assert_false(vsi_filters_match(v, &r, true));
	/* Exact mode compares VID 0, PS and PCP as they are. */
	memcpy(t, mine, sizeof(t));
	t[1].vid = 300;
	assert_false(vsi_filters_match(v, &r, false));
	memcpy(t, mine, sizeof(t));
	t[0].ps = true;
	assert_false(vsi_filters_match(v, &r, false));
	memcpy(t, mine, sizeof(t));
	t[1].pcp = 4;
	assert_false(vsi_filters_match(v, &r, false));
	/* No filters on either side. */
	vsi_set_filters(v, VDP_FIF_VID, NULL, 0);
	r = tlv_with(VDP_FIF_VID, NULL, 0);
	assert_true(vsi_filters_match(v, &r, false));
	vsi_free(v);
}

static void test_filters_match_wild(void **state)
{
	struct vdp_vsi_key k = key_n(1);
	struct vdp_vsi *v = vsi_new(&k, 0);
	/* [0]: VID 100, PS not requested; [1]: VID 0 (bridge chooses), PS=1 PCP 5. */
	struct vdp_filter mine[2] = {F1, F3};
	struct vdp_filter t[2];
	struct vdp_vsi_tlv r = tlv_with(VDP_FIF_GROUPMACVID, t, 2);

	(void)state;
	vsi_set_filters(v, VDP_FIF_GROUPMACVID, mine, 2);
	/* The bridge fills in VID 0 and sets PS/PCP where none was requested. */
	memcpy(t, mine, sizeof(t));
	t[1].vid = 300;
	t[0].ps = true;
	t[0].pcp = 3;
	assert_true(vsi_filters_match(v, &r, true));
	assert_false(vsi_filters_match(v, &r, false));
	/* Requested PS/PCP must come back as requested. */
	t[1].pcp = 4;
	assert_false(vsi_filters_match(v, &r, true));
	t[1].pcp = 5;
	t[1].ps = false;
	assert_false(vsi_filters_match(v, &r, true));
	vsi_free(v);
}

static void test_result_names(void **state)
{
	(void)state;
	assert_string_equal(vsi_result_name(VSI_PENDING), "pending");
	assert_string_equal(vsi_result_name(VSI_PREASSOCIATED), "preassociated");
	assert_string_equal(vsi_result_name(VSI_PREASSOCIATED_RR), "preassociated-rr");
	assert_string_equal(vsi_result_name(VSI_ASSOCIATED), "associated");
	assert_string_equal(vsi_result_name(VSI_DEASSOCIATED), "deassociated");
	assert_string_equal(vsi_result_name(VSI_FAILED), "failed");
	assert_string_equal(vsi_result_name(VSI_FAILED + 1), "unknown");
	assert_string_equal(vsi_result_name(255), "unknown");
}

/* ---------------- the table ---------------- */

static void test_table_init_sizes(void **state)
{
	struct vsi_table t;

	(void)state;
	assert_int_equal(vsi_table_init(&t, 0), 0);
	assert_int_equal(t.nb, 16);
	assert_int_equal(t.count, 0);
	vsi_table_free(&t);
	assert_null(t.b);
	assert_int_equal(t.nb, 0);
	assert_int_equal(vsi_table_init(&t, 1000), 0);
	assert_int_equal(t.nb, 1024);
	vsi_table_free(&t);
	assert_int_equal(vsi_table_init(&t, 1024), 0);
	assert_int_equal(t.nb, 1024);
	vsi_table_free(&t);
	if (ALLOC_FAILS) /* more buckets than memory: the size is capped, calloc fails */
		assert_int_equal(vsi_table_init(&t, SIZE_MAX), -ENOMEM);
	if (fail_next_alloc()) {
		assert_int_equal(vsi_table_init(&t, 10), -ENOMEM);
		assert_int_equal(t.nb, 0);
		vsi_table_free(&t); /* harmless */
	}
}

static void test_table_basic(void **state)
{
	struct vsi_table t;
	struct vdp_vsi_key k1 = key_n(1), k2 = key_n(2), k1local = key_n(1);
	struct vdp_vsi *v1, *v2, *v1l, *dup;

	(void)state;
	k1local.fmt = VDP_VSIID_LOCAL;
	vsi_table_init(&t, 0);
	v1 = vsi_new(&k1, 0);
	v2 = vsi_new(&k2, 0);
	v1l = vsi_new(&k1local, 0);
	dup = vsi_new(&k1, 0);
	assert_null(vsi_table_find(&t, &k1));
	assert_int_equal(vsi_table_insert(&t, v1), 0);
	assert_int_equal(vsi_table_insert(&t, v2), 0);
	assert_int_equal(vsi_table_insert(&t, v1l), 0);
	assert_int_equal(vsi_table_insert(&t, dup), -EEXIST);
	vsi_free(dup);
	assert_int_equal(t.count, 3);
	assert_ptr_equal(vsi_table_find(&t, &k1), v1);
	assert_ptr_equal(vsi_table_find(&t, &k2), v2);
	assert_ptr_equal(vsi_table_find(&t, &k1local), v1l);
	vsi_table_remove(&t, v1);
	assert_int_equal(t.count, 2);
	assert_null(v1->hnext);
	assert_null(vsi_table_find(&t, &k1));
	assert_ptr_equal(vsi_table_find(&t, &k1local), v1l);
	vsi_table_remove(&t, v1); /* not in the table: no-op */
	assert_int_equal(t.count, 2);
	assert_int_equal(vsi_table_insert(&t, v1), 0); /* back in */
	assert_ptr_equal(vsi_table_find(&t, &k1), v1);
	vsi_table_free(&t); /* frees v1, v2, v1l */
}

/* Two local VSIIDs with the same 32-bit hash (found by search). */
static const struct vdp_vsi_key COLL_A = {VDP_VSIID_LOCAL,
					  {0x9d, 0xae, 0x27, 0xab, 0xde, 0x1f, 0xeb, 0x42, 0x06,
					   0xbc, 0x3b, 0x67, 0x77, 0xab, 0xc6, 0x83}};
static const struct vdp_vsi_key COLL_B = {VDP_VSIID_LOCAL,
					  {0xd8, 0x11, 0x8d, 0x5c, 0x52, 0xb4, 0xe5, 0xf6, 0xd3,
					   0xd0, 0x4d, 0xf1, 0x5c, 0xaa, 0x7d, 0x2d}};

static void test_table_hash_collision(void **state)
{
	struct vdp_vsi *a = vsi_new(&COLL_A, 0), *b = vsi_new(&COLL_B, 0);
	struct vsi_table t;

	(void)state;
	assert_int_equal(a->hash, b->hash); /* the premise of this test */
	vsi_table_init(&t, 0);
	assert_int_equal(vsi_table_insert(&t, a), 0);
	assert_null(vsi_table_find(&t, &COLL_B)); /* same hash, other key */
	assert_int_equal(vsi_table_insert(&t, b), 0);
	assert_ptr_equal(vsi_table_find(&t, &COLL_A), a);
	assert_ptr_equal(vsi_table_find(&t, &COLL_B), b);
	assert_ptr_equal(b->hnext, a); /* one chain, b at its head */
	vsi_table_remove(&t, b);
	assert_null(b->hnext);
	assert_null(vsi_table_find(&t, &COLL_B));
	assert_ptr_equal(vsi_table_find(&t, &COLL_A), a);
	vsi_table_insert(&t, b);
	vsi_table_remove(&t, a); /* the tail */
	assert_ptr_equal(vsi_table_find(&t, &COLL_B), b);
	assert_null(b->hnext);
	vsi_free(a);
	vsi_table_free(&t);
}

static void test_table_zeroed(void **state)
{
	struct vsi_table t = {0};
	struct vsi_cursor c = {0};
	struct vdp_vsi_key k = key_n(9);
	struct vdp_vsi *v = vsi_new(&k, 0);

	(void)state;
	assert_null(vsi_table_find(&t, &k));
	assert_null(vsi_table_next(&t, &c));
	vsi_table_prefetch(&t, &k, 1); /* no buckets yet: nothing to load */
	vsi_table_remove(&t, v);       /* no-op */
	if (fail_next_alloc()) {
		assert_int_equal(vsi_table_insert(&t, v), -ENOMEM);
		assert_int_equal(t.count, 0);
	}
	assert_int_equal(vsi_table_insert(&t, v), 0); /* initialised on first use */
	assert_int_equal(t.nb, 16);
	/* a hint only: present, absent and empty-bucket keys alike */
	struct vdp_vsi_key keys[3] = {k, key_n(10), key_n(11)};
	vsi_table_prefetch(&t, keys, 3);
	vsi_table_prefetch(&t, keys, 0);
	assert_ptr_equal(vsi_table_find(&t, &k), v);
	assert_null(vsi_table_find(&t, &keys[1]));
	vsi_table_free(&t);
}

/* VSIs going give the buckets back: a quarter full halves the table, never
 * below its initial size. */
static void test_table_shrinks(void **state)
{
	struct vsi_table t;

	(void)state;
	vsi_table_init(&t, 64);
	for (uint32_t i = 0; i < 10000; i++) {
		struct vdp_vsi_key k = key_n(i);

		assert_int_equal(vsi_table_insert(&t, vsi_new(&k, 0)), 0);
	}
	assert_int_equal(t.nb, 16384);
	for (uint32_t i = 0; i < 9990; i++) {
		struct vdp_vsi_key k = key_n(i);
		struct vdp_vsi *v = vsi_table_find(&t, &k);

		assert_non_null(v);
		vsi_table_remove(&t, v);
		vsi_free(v);
	}
	assert_int_equal(t.count, 10);
	assert_int_equal(t.nb, 64);
	for (uint32_t i = 9990; i < 10000; i++) { /* all still found */
		struct vdp_vsi_key k = key_n(i);

		assert_non_null(vsi_table_find(&t, &k));
	}
	vsi_table_free(&t);
}

static void test_table_grows(void **state)
{
	struct vsi_table t;

	(void)state;
	vsi_table_init(&t, 0);
	for (uint32_t i = 0; i < 16; i++) {
		struct vdp_vsi_key k = key_n(i);

		assert_int_equal(vsi_table_insert(&t, vsi_new(&k, 0)), 0);
	}
	assert_int_equal(t.nb, 16); /* count == nb: not yet */
	struct vdp_vsi_key k16 = key_n(16);
	assert_int_equal(vsi_table_insert(&t, vsi_new(&k16, 0)), 0);
	assert_int_equal(t.nb, 32);
	assert_int_equal(t.count, 17);
	for (uint32_t i = 0; i <= 16; i++) {
		struct vdp_vsi_key k = key_n(i);
		struct vdp_vsi *v = vsi_table_find(&t, &k);

		assert_non_null(v);
		assert_memory_equal(v->key.id, k.id, VDP_VSIID_LEN);
	}
	/* Growth fails: the VSI is in all the same, and the next insert grows. */
	for (uint32_t i = 17; i < 32; i++) {
		struct vdp_vsi_key k = key_n(i);

		vsi_table_insert(&t, vsi_new(&k, 0));
	}
	struct vdp_vsi_key k32 = key_n(32), k33 = key_n(33);
	struct vdp_vsi *v32 = vsi_new(&k32, 0);
	bool failing = fail_next_alloc();
	assert_int_equal(vsi_table_insert(&t, v32), failing ? VSI_TABLE_NOT_GROWN : 0);
	assert_int_equal(t.nb, failing ? 32 : 64);
	assert_int_equal(t.count, 33);
	assert_ptr_equal(vsi_table_find(&t, &k32), v32);
	assert_int_equal(vsi_table_insert(&t, vsi_new(&k33, 0)), 0);
	assert_int_equal(t.nb, 64);
	for (uint32_t i = 0; i <= 33; i++) {
		struct vdp_vsi_key k = key_n(i);

		assert_non_null(vsi_table_find(&t, &k));
	}
	vsi_table_free(&t);
}

#define BIG 200000u

/* Walk the whole table one VSI per call (as a multi-message dump does);
 * seen[i] counts visits of the VSI whose tag is i.  Returns the total. */
static size_t walk(const struct vsi_table *t, uint8_t *seen)
{
	struct vsi_cursor c = {0};
	struct vdp_vsi *v;
	size_t total = 0;

	while ((v = vsi_table_next(t, &c))) {
		assert_true(v->tag < BIG);
		seen[v->tag]++;
		total++;
	}
	/* The end stays the end. */
	assert_null(vsi_table_next(t, &c));
	assert_null(vsi_table_next(t, &c));
	return total;
}

static void test_table_200k(void **state)
{
	uint8_t *seen = calloc(BIG, 1);
	struct vsi_table t;

	(void)state;
	assert_non_null(seen);
	assert_int_equal(vsi_table_init(&t, 0), 0);
	for (uint32_t i = 0; i < BIG; i++) {
		struct vdp_vsi_key k = key_n(i);
		struct vdp_vsi *v = vsi_new(&k, i);

		assert_non_null(v);
		v->tag = i;
		assert_int_equal(vsi_table_insert(&t, v), 0);
	}
	assert_int_equal(t.count, BIG);
	assert_int_equal(t.nb, 262144); /* doubled each time count passed nb */
	/* Chains stay short: the longest is a handful. */
	size_t longest = 0;
	for (size_t b = 0; b < t.nb; b++) {
		size_t len = 0;

		for (struct vdp_vsi *v = t.b[b]; v; v = v->hnext)
			len++;
		if (len > longest)
			longest = len;
	}
	assert_true(longest <= 12);
	for (uint32_t i = 0; i < BIG; i++) {
		struct vdp_vsi_key k = key_n(i);
		struct vdp_vsi *v = vsi_table_find(&t, &k);

		assert_non_null(v);
		assert_int_equal(v->tag, i);
	}
	struct vdp_vsi_key missing = key_n(BIG);
	assert_null(vsi_table_find(&t, &missing));
	/* Remove the even ones. */
	for (uint32_t i = 0; i < BIG; i += 2) {
		struct vdp_vsi_key k = key_n(i);
		struct vdp_vsi *v = vsi_table_find(&t, &k);

		vsi_table_remove(&t, v);
		vsi_free(v);
	}
	assert_int_equal(t.count, BIG / 2);
	for (uint32_t i = 0; i < BIG; i++) {
		struct vdp_vsi_key k = key_n(i);

		assert_true((vsi_table_find(&t, &k) != NULL) == (i % 2 == 1));
	}
	/* Every remaining VSI exactly once. */
	assert_int_equal(walk(&t, seen), BIG / 2);
	for (uint32_t i = 0; i < BIG; i++)
		assert_int_equal(seen[i], i % 2);
	vsi_table_free(&t);
	free(seen);
}

/* Changes between calls: VSIs may be seen twice or missed, never a crash,
 * and the walk ends. */
static void test_cursor_with_changes(void **state)
{
	struct vsi_table t;
	struct vsi_cursor c = {0};
	struct vdp_vsi *v;
	uint32_t next = 1000, steps = 0;

	(void)state;
	vsi_table_init(&t, 0);
	for (uint32_t i = 0; i < 100; i++) {
		struct vdp_vsi_key k = key_n(i);

		vsi_table_insert(&t, vsi_new(&k, 0));
	}
	while ((v = vsi_table_next(&t, &c))) {
		/* Remove what was just returned, and add two (forcing growth). */
		vsi_table_remove(&t, v);
		vsi_free(v);
		for (int j = 0; j < 2 && next < 1300; j++) {
			struct vdp_vsi_key k = key_n(next++);

			vsi_table_insert(&t, vsi_new(&k, 0));
		}
		assert_true(++steps < 100000);
	}
	assert_true(t.nb >= 256);
	/* Shrinking under a cursor: a cursor past the end returns NULL. */
	c.bucket = t.nb + 5;
	c.pos = 3;
	assert_null(vsi_table_next(&t, &c));
	c.bucket = 0;
	c.pos = 1000; /* past any chain */
	while (vsi_table_next(&t, &c))
		;
	vsi_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_new_free),
	    cmocka_unit_test(test_same_key_same_hash),
	    cmocka_unit_test(test_filters_inline_and_array),
	    cmocka_unit_test(test_filters_enomem_keeps_old),
	    cmocka_unit_test(test_org),
	    cmocka_unit_test(test_to_tlv),
	    cmocka_unit_test(test_filters_match_exact),
	    cmocka_unit_test(test_filters_match_wild),
	    cmocka_unit_test(test_result_names),
	    cmocka_unit_test(test_table_init_sizes),
	    cmocka_unit_test(test_table_basic),
	    cmocka_unit_test(test_table_hash_collision),
	    cmocka_unit_test(test_table_zeroed),
	    cmocka_unit_test(test_table_grows),
	    cmocka_unit_test(test_table_shrinks),
	    cmocka_unit_test(test_table_200k),
	    cmocka_unit_test(test_cursor_with_changes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
