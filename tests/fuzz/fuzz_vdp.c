/* SPDX-License-Identifier: ISC */
/*
 * fuzz_vdp.c - libFuzzer target for the VDP TLV codec and the VDPDU
 * unpacker/packer (vdp/vdp_tlv.c, vdp/vdp_pack.c).  The input is a ULPDU
 * (the ECP payload after the 4-octet ECP header).  Every item is checked for
 * consistency; every VSI item goes through vdp_vsi_tlv_check(), is
 * re-encoded (same octets as received, same fields when decoded again),
 * packed alone into a fresh ULPDU and unpacked again; VSIIDs go through
 * their text form and back.  Any mismatch aborts.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vdp/vdp_pack.h"

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if (!(x))                                                                          \
			abort();                                                                   \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vdp_filter filt[VDP_MAX_FILTERS];
static struct vdp_item again;

static void same_filter(const struct vdp_filter *a, const struct vdp_filter *b)
{
	CHECK(a->group == b->group && !memcmp(a->mac, b->mac, 6) && a->vid == b->vid &&
	      a->pcp == b->pcp && a->ps == b->ps);
	CHECK(a->vid <= VDP_PSPCPVID_VID && a->pcp <= 7);
}

static void same_vsi(const struct vdp_vsi_tlv *a, const struct vdp_vsi_tlv *b)
{
	CHECK(a->type == b->type && a->status == b->status && a->type_id == b->type_id);
	CHECK(a->type_ver == b->type_ver && a->vsiid_fmt == b->vsiid_fmt);
	CHECK(!memcmp(a->vsiid, b->vsiid, VDP_VSIID_LEN));
	CHECK(a->fif == b->fif && a->nfilters == b->nfilters);
	for (size_t i = 0; i < a->nfilters; i++)
		same_filter(&a->filters[i], &b->filters[i]);
}

/* Text form and back gives the same VSIID for every known format. */
static void vsiid_text(const struct vdp_vsi_tlv *t)
{
	char buf[48];
	uint8_t id[VDP_VSIID_LEN];
	vdp_vsiid_str(t->vsiid_fmt, t->vsiid, buf, sizeof(buf));
	CHECK(memchr(buf, 0, sizeof(buf)));
	int rc = vdp_vsiid_parse(t->vsiid_fmt, buf, id);
	if (t->vsiid_fmt >= VDP_VSIID_IPV4 && t->vsiid_fmt <= VDP_VSIID_UUID)
		CHECK(rc == 0 && !memcmp(id, t->vsiid, VDP_VSIID_LEN));
	else
		CHECK(rc == -EINVAL);
}

static void check_rules(const struct vdp_vsi_tlv *t)
{
	for (int gid = 0; gid < 2; gid++) {
		const char *what = NULL;
		unsigned entry = 0;
		uint8_t rsn = vdp_vsi_tlv_check_ex(t, gid, &what, &entry);
		CHECK(rsn == VDP_RSN_SUCCESS || rsn == VDP_RSN_INVALID_FMT ||
		      rsn == VDP_RSN_INVALID_ID);
		CHECK((rsn == VDP_RSN_SUCCESS) == (what == NULL));
		CHECK(entry <= t->nfilters);
		CHECK(vdp_vsi_tlv_check(t, gid, NULL) == rsn);
		CHECK(vdp_vsiid_valid(t->vsiid_fmt, t->vsiid) || rsn == VDP_RSN_INVALID_FMT);
	}
}

/* Re-encode a received VSI TLV: the very octets of the input, and the same
 * fields when decoded again. */
static void reencode(const uint8_t *data, size_t size, const struct vdp_item *it)
{
	const struct vdp_vsi_tlv *t = &it->vsi;
	size_t n = vdp_vsi_tlv_size(t);
	CHECK(it->offset + n <= size);
	CHECK(!t->org_len || t->org == data + it->offset + n - t->org_len);
	uint8_t *buf = malloc(n + 1);
	CHECK(buf);
	struct wr w = wr_init(buf, n + 1);
	vdp_vsi_tlv_encode(&w, t);
	CHECK(!w.err && w.off == n);
	CHECK(!memcmp(buf, data + it->offset, n));

	struct vdp_vsi_tlv d;
	const char *what = NULL;
	size_t where = 0;
	size_t vlen = n - t->org_len - VDP_TLV_HDR_LEN;
	CHECK(vdp_vsi_tlv_decode(buf[0] >> 1, buf + VDP_TLV_HDR_LEN, vlen, &d, filt, &what,
				 &where) == 0);
	same_vsi(t, &d);
	free(buf);
}

/* Pack the item alone into a new ULPDU and read it back. */
static void repack(const struct vdp_item *it)
{
	static uint8_t ulpdu[ECP_MAX_ULPDU];
	struct vdp_packer pk;
	vdp_pack_begin(&pk, ulpdu, sizeof(ulpdu));
	int rc = vdp_pack_add(&pk, it->mgrid, &it->vsi);
	if (VDP_TLV_HDR_LEN + VDP_MGRID_LEN + vdp_vsi_tlv_size(&it->vsi) > ECP_MAX_ULPDU) {
		CHECK(rc == -EMSGSIZE && vdp_pack_len(&pk) == 0);
		return;
	}
	CHECK(rc == 0 && pk.count == 1);
	CHECK(vdp_pack_len(&pk) == VDP_TLV_HDR_LEN + VDP_MGRID_LEN + vdp_vsi_tlv_size(&it->vsi));
	/* another manager never joins this ULPDU */
	uint8_t other[VDP_MGRID_LEN];
	memcpy(other, it->mgrid, sizeof(other));
	other[0] ^= 1;
	size_t len = vdp_pack_len(&pk);
	CHECK(vdp_pack_add(&pk, other, &it->vsi) == -ENOSPC && vdp_pack_len(&pk) == len);

	struct vdp_unpacker u;
	vdp_unpack_begin(&u, ulpdu, len);
	CHECK(vdp_unpack_next(&u, &again) == it->kind);
	CHECK(again.have_mgrid && !memcmp(again.mgrid, it->mgrid, VDP_MGRID_LEN));
	CHECK(again.vsi.org_len == it->vsi.org_len);
	CHECK(!it->vsi.org_len || !memcmp(again.vsi.org, it->vsi.org, it->vsi.org_len));
	same_vsi(&it->vsi, &again.vsi);
	CHECK(vdp_unpack_next(&u, &again) == VDP_ITEM_END && again.offset == len);
}

/* A VSI TLV refused for its format, echoed as a bridge would (no entries). */
static void echo_bad(const struct vdp_item *it)
{
	uint8_t buf[VDP_TLV_HDR_LEN + VDP_VSI_FIXED_LEN];
	struct vdp_vsi_tlv t = it->vsi;
	CHECK(t.nfilters == 0);
	t.org = NULL;
	t.org_len = 0;
	struct wr w = wr_init(buf, sizeof(buf));
	vdp_vsi_tlv_encode(&w, &t);
	CHECK(!w.err && w.off == sizeof(buf));
	struct vdp_vsi_tlv d;
	CHECK(vdp_vsi_tlv_decode(t.type, buf + 2, VDP_VSI_FIXED_LEN, &d, filt, NULL, NULL) ==
	      VDP_RSN_INVALID_FMT);
	CHECK(d.vsiid_fmt == t.vsiid_fmt && !memcmp(d.vsiid, t.vsiid, VDP_VSIID_LEN));
}

static void one_item(const uint8_t *data, size_t size, const struct vdp_item *it)
{
	CHECK(it->offset <= size);
	switch (it->kind) {
	case VDP_ITEM_VSI:
		CHECK(it->what == NULL && it->vsi.nfilters >= 1 && it->vsi.filters == it->filters);
		CHECK(it->tlv_type >= VDP_TLV_PREASSOC && it->tlv_type <= VDP_TLV_DEASSOC);
		check_rules(&it->vsi);
		reencode(data, size, it);
		repack(it);
		vsiid_text(&it->vsi);
		break;
	case VDP_ITEM_BAD_VSI:
		CHECK(it->reason == VDP_RSN_INVALID_FMT && it->what);
		echo_bad(it);
		vsiid_text(&it->vsi);
		break;
	case VDP_ITEM_SKIPPED:
		CHECK(it->what && it->tlv_type > VDP_TLV_MGRID);
		break;
	case VDP_ITEM_ERROR:
		CHECK(it->what);
		break;
	case VDP_ITEM_END:
		break;
	}
}

/* The decoder called directly, with lengths no TLV header can carry. */
static void direct_decode(const uint8_t *data, size_t size)
{
	struct vdp_vsi_tlv t;
	const char *what = NULL;
	size_t where = 0;
	if (!size)
		return;
	int rc = vdp_vsi_tlv_decode(data[0], data + 1, size - 1, &t, filt, &what, &where);
	CHECK(rc == 0 || rc == VDP_RSN_INVALID_FMT || rc == -EINVAL);
	if (rc) {
		CHECK(what && where <= size - 1 && t.nfilters == 0);
		return;
	}
	CHECK(t.nfilters >= 1 && t.nfilters <= VDP_MAX_FILTERS);
	CHECK(VDP_VSI_FIXED_LEN + t.nfilters * vdp_fif_entry_len(t.fif) == size - 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vdp_item it;
	struct vdp_unpacker u;
	size_t items = 0;
	vdp_unpack_begin(&u, data, size);
	for (;;) {
		enum vdp_item_kind k = vdp_unpack_next(&u, &it);
		CHECK(k == it.kind);
		one_item(data, size, &it);
		if (k == VDP_ITEM_END || k == VDP_ITEM_ERROR)
			break;
		CHECK(++items <= size / VDP_TLV_HDR_LEN);
	}
	/* the answer repeats, at the same offset */
	size_t off = it.offset;
	enum vdp_item_kind last = it.kind;
	CHECK(vdp_unpack_next(&u, &it) == last && it.offset == off);
	direct_decode(data, size);
	return 0;
}
