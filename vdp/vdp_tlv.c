/* SPDX-License-Identifier: ISC */
/*
 * vdp_tlv.c - VDP TLVs (802.1Qbg-2012 41.2): the VSI Manager ID TLV and the four VSI TLVs
 * (encode, decode), the content rules a bridge applies to a request, the
 * VSIID text forms and the names used for printing.  See vdp_tlv.h.
 */
#include "vdp_tlv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Offsets in the VSI TLV value (802.1Qbg 41.2.3-41.2.9). */
#define OFF_FIF	   22
#define OFF_COUNT  23
#define VSI_ID_LEN 23 /* status .. filter info format: enough to name the VSI */

/* Room for any VSIID text: the longest IPv6 form (45 + NUL) beats a UUID (36 + NUL). */
#define VSIID_TEXT_MAX INET6_ADDRSTRLEN

/* ---------------- sizes ---------------- */

size_t vdp_fif_entry_len(uint8_t fif)
{
	switch (fif) {
	case VDP_FIF_VID:
		return 2;
	case VDP_FIF_MACVID:
		return 6 + 2;
	case VDP_FIF_GROUPVID:
		return 4 + 2;
	case VDP_FIF_GROUPMACVID:
		return 4 + 6 + 2;
	default:
		return 0;
	}
}

static bool fif_has_group(uint8_t fif)
{
	return fif == VDP_FIF_GROUPVID || fif == VDP_FIF_GROUPMACVID;
}

static bool fif_has_mac(uint8_t fif)
{
	return fif == VDP_FIF_MACVID || fif == VDP_FIF_GROUPMACVID;
}

/* Value length of the VSI TLV alone (without header and org TLVs). */
static size_t vsi_value_len(const struct vdp_vsi_tlv *t)
{
	return VDP_VSI_FIXED_LEN + (size_t)t->nfilters * vdp_fif_entry_len(t->fif);
}

size_t vdp_vsi_tlv_size(const struct vdp_vsi_tlv *t)
{
	return VDP_TLV_HDR_LEN + vsi_value_len(t) + t->org_len;
}

/* ---------------- encoding ---------------- */

void vdp_mgrid_encode(struct wr *w, const uint8_t mgrid[VDP_MGRID_LEN])
{
	wr_u16(w, vdp_tlv_hdr(VDP_TLV_MGRID, VDP_MGRID_LEN));
	wr_bytes(w, mgrid, VDP_MGRID_LEN);
}

static uint16_t filter_word(const struct vdp_filter *f)
{
	return (uint16_t)((f->ps ? VDP_PSPCPVID_PS : 0) | ((f->pcp << 12) & VDP_PSPCPVID_PCP) |
			  (f->vid & VDP_PSPCPVID_VID));
}

static void filter_encode(struct wr *w, uint8_t fif, const struct vdp_filter *f)
{
	if (fif_has_group(fif))
		wr_u32(w, f->group);
	if (fif_has_mac(fif))
		wr_bytes(w, f->mac, sizeof(f->mac));
	wr_u16(w, filter_word(f));
}

/* The status octet is written as given (802.1Qbg 41.2.3); the entries follow the
 * layout of t->fif (none for an unknown format, so that a refusal can echo
 * such a request); org TLVs are copied unchanged.  A value longer than the
 * 9-bit length can express sets w->err. */
void vdp_vsi_tlv_encode(struct wr *w, const struct vdp_vsi_tlv *t)
{
	size_t vlen = vsi_value_len(t);
	if (vlen > VDP_TLV_MAX_LEN) {
		w->err = true;
		return;
	}
	wr_u16(w, vdp_tlv_hdr(t->type, (uint16_t)vlen));
	wr_u8(w, t->status);
	wr_u24(w, t->type_id);
	wr_u8(w, t->type_ver);
	wr_u8(w, t->vsiid_fmt);
	wr_bytes(w, t->vsiid, VDP_VSIID_LEN);
	wr_u8(w, t->fif);
	wr_u16(w, t->nfilters);
	if (vdp_fif_entry_len(t->fif))
		for (size_t i = 0; i < t->nfilters; i++)
			filter_encode(w, t->fif, &t->filters[i]);
	wr_bytes(w, t->org, t->org_len);
}

/* ---------------- decoding ---------------- */

static void filter_decode(struct rd *r, uint8_t fif, struct vdp_filter *f)
{
	memset(f, 0, sizeof(*f));
	if (fif_has_group(fif))
		f->group = rd_u32(r);
	if (fif_has_mac(fif))
		rd_bytes(r, f->mac, sizeof(f->mac));
	uint16_t word = rd_u16(r);
	f->ps = word & VDP_PSPCPVID_PS;
	f->pcp = (uint8_t)((word & VDP_PSPCPVID_PCP) >> 12);
	f->vid = word & VDP_PSPCPVID_VID;
}

static int decode_fail(const char **what, size_t *where, const char *msg, size_t at, int rc)
{
	if (what)
		*what = msg;
	if (where)
		*where = at;
	return rc;
}

/* Entries are only decoded when the whole TLV is well formed: on a reason
 * code t->nfilters stays 0 while the identifying fields and t->fif are set. */
int vdp_vsi_tlv_decode(uint8_t type, const uint8_t *val, size_t len, struct vdp_vsi_tlv *t,
		       struct vdp_filter *filt, const char **what, size_t *where)
{
	memset(t, 0, sizeof(*t));
	t->type = type;
	t->filters = filt;
	if (len < VSI_ID_LEN)
		return decode_fail(what, where, "VSI TLV too short to name the VSI", len, -EINVAL);

	struct rd r = rd_init(val, len);
	t->status = rd_u8(&r);
	t->type_id = rd_u24(&r);
	t->type_ver = rd_u8(&r);
	t->vsiid_fmt = rd_u8(&r);
	rd_bytes(&r, t->vsiid, VDP_VSIID_LEN);
	t->fif = rd_u8(&r);

	size_t elen = vdp_fif_entry_len(t->fif);
	if (!elen)
		return decode_fail(what, where, "unknown filter info format", OFF_FIF,
				   VDP_RSN_INVALID_FMT);
	if (len < VDP_VSI_FIXED_LEN)
		return decode_fail(what, where, "no filter entry count", OFF_COUNT,
				   VDP_RSN_INVALID_FMT);
	uint16_t n = rd_u16(&r);
	if (!n)
		return decode_fail(what, where, "no filter entries", OFF_COUNT,
				   VDP_RSN_INVALID_FMT);
	if (n > VDP_MAX_FILTERS || len - VDP_VSI_FIXED_LEN != n * elen)
		return decode_fail(what, where, "filter entry count does not match the TLV length",
				   OFF_COUNT, VDP_RSN_INVALID_FMT);
	for (size_t i = 0; i < n; i++)
		filter_decode(&r, t->fif, &filt[i]);
	t->nfilters = n;
	return 0;
}

/* ---------------- content rules ---------------- */

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static bool mac_unicast(const uint8_t mac[6])
{
	return !(mac[0] & 0x01) && !all_zero(mac, 6);
}

/* Octets 0-9 zero, as in the IPv4 and MAC layouts (802.1Qbg 41.2.7, lldpad's reading). */
static bool has_zero_prefix(const uint8_t id[VDP_VSIID_LEN])
{
	return all_zero(id, 10);
}

static bool ipv4_prefix(const uint8_t id[VDP_VSIID_LEN])
{
	return has_zero_prefix(id) && id[10] == 0xff && id[11] == 0xff;
}

bool vdp_vsiid_valid(uint8_t fmt, const uint8_t id[VDP_VSIID_LEN])
{
	switch (fmt) {
	case VDP_VSIID_IPV4:
		return ipv4_prefix(id) && !all_zero(id + 12, 4);
	case VDP_VSIID_MAC:
		return has_zero_prefix(id) && mac_unicast(id + 10);
	case VDP_VSIID_IPV6:
	case VDP_VSIID_UUID:
		return !all_zero(id, VDP_VSIID_LEN);
	case VDP_VSIID_LOCAL:
		return true;
	default:
		return false;
	}
}

static const char *vsiid_problem(uint8_t fmt)
{
	switch (fmt) {
	case VDP_VSIID_IPV4:
		return "IPv4 VSIID is not ::ffff:a.b.c.d with a non-zero address";
	case VDP_VSIID_IPV6:
		return "IPv6 VSIID is all zero";
	case VDP_VSIID_MAC:
		return "MAC VSIID is not a unicast MAC after 10 zero octets";
	case VDP_VSIID_UUID:
		return "UUID VSIID is all zero";
	default:
		return "unknown VSIID format";
	}
}

/* One entry.  VID 1 is accepted: lldpad rejects it (lldpad quirk 7), but it is an
 * ordinary VLAN ID; only 4095 is reserved.  *wild counts wildcard VIDs. */
static uint8_t filter_check(uint8_t fif, const struct vdp_filter *f, unsigned *wild,
			    const char **what)
{
	if (f->pcp > 7) {
		*what = "PCP does not fit 3 bits";
		return VDP_RSN_INVALID_FMT;
	}
	if (f->vid > VDP_PSPCPVID_VID) {
		*what = "VID does not fit 12 bits";
		return VDP_RSN_INVALID_ID;
	}
	if (f->vid > VDP_VID_MAX) {
		*what = "VID 4095 is reserved";
		return VDP_RSN_INVALID_ID;
	}
	if (fif == VDP_FIF_VID && f->vid == 0 && ++*wild > 1) {
		*what = "more than one wildcard VID 0 with filter format vid";
		return VDP_RSN_INVALID_ID;
	}
	if (fif_has_mac(fif) && !mac_unicast(f->mac)) {
		*what = all_zero(f->mac, 6) ? "MAC is zero" : "MAC is not unicast";
		return VDP_RSN_INVALID_ID;
	}
	if (fif_has_group(fif) && !f->group) {
		*what = "group ID is zero";
		return VDP_RSN_INVALID_ID;
	}
	return VDP_RSN_SUCCESS;
}

/* Format-level rules: VSIID layout, filter format, entry count.  The type ID
 * needs no rule: it is 24 bits on the wire by construction. */
static uint8_t format_check(const struct vdp_vsi_tlv *t, bool gid_ok, const char **what)
{
	if (!vdp_vsiid_valid(t->vsiid_fmt, t->vsiid)) {
		*what = vsiid_problem(t->vsiid_fmt);
		return VDP_RSN_INVALID_FMT;
	}
	if (!vdp_fif_entry_len(t->fif)) {
		*what = "unknown filter info format";
		return VDP_RSN_INVALID_FMT;
	}
	if (fif_has_group(t->fif) && !gid_ok) {
		*what = "group ID filter format without negotiated group ID support";
		return VDP_RSN_INVALID_FMT;
	}
	if (!t->nfilters) {
		*what = "no filter entries";
		return VDP_RSN_INVALID_FMT;
	}
	if (vsi_value_len(t) > VDP_TLV_MAX_LEN) {
		*what = "more filter entries than one TLV holds";
		return VDP_RSN_INVALID_FMT;
	}
	return VDP_RSN_SUCCESS;
}

uint8_t vdp_vsi_tlv_check_ex(const struct vdp_vsi_tlv *t, bool gid_ok, const char **what,
			     unsigned *entry)
{
	const char *dummy;
	unsigned wild = 0;
	if (!what)
		what = &dummy;
	if (entry)
		*entry = 0;
	uint8_t rsn = format_check(t, gid_ok, what);
	for (unsigned i = 0; rsn == VDP_RSN_SUCCESS && i < t->nfilters; i++) {
		rsn = filter_check(t->fif, &t->filters[i], &wild, what);
		if (rsn != VDP_RSN_SUCCESS && entry)
			*entry = i + 1;
	}
	return rsn;
}

uint8_t vdp_vsi_tlv_check(const struct vdp_vsi_tlv *t, bool gid_ok, const char **what)
{
	return vdp_vsi_tlv_check_ex(t, gid_ok, what, NULL);
}

/* ---------------- names ---------------- */

const char *vdp_cmd_word(uint8_t type)
{
	switch (type) {
	case VDP_TLV_PREASSOC:
		return "preassociate";
	case VDP_TLV_PREASSOC_RR:
		return "preassociate-rr";
	case VDP_TLV_ASSOC:
		return "associate";
	case VDP_TLV_DEASSOC:
		return "deassociate";
	}
	return "none";
}

const char *vdp_tlv_type_name(uint8_t type)
{
	switch (type) {
	case VDP_TLV_END:
		return "end";
	case VDP_TLV_PREASSOC:
		return "preassoc";
	case VDP_TLV_PREASSOC_RR:
		return "preassoc-rr";
	case VDP_TLV_ASSOC:
		return "assoc";
	case VDP_TLV_DEASSOC:
		return "deassoc";
	case VDP_TLV_MGRID:
		return "mgrid";
	case VDP_TLV_ORG:
		return "org";
	default:
		return "reserved";
	}
}

const char *vdp_reason_name(uint8_t reason)
{
	static const char *const names[] = {
	    [VDP_RSN_SUCCESS] = "success",
	    [VDP_RSN_INVALID_FMT] = "invalid format",
	    [VDP_RSN_NO_RESOURCES] = "insufficient resources",
	    [VDP_RSN_NO_MANAGER] = "unable to contact VSI manager",
	    [VDP_RSN_OTHER] = "other failure",
	    [VDP_RSN_INVALID_ID] = "invalid VID, group ID or MAC",
	};
	return reason < sizeof(names) / sizeof(names[0]) ? names[reason] : "reserved";
}

const char *vdp_vsiid_fmt_name(uint8_t fmt)
{
	static const char *const names[] = {
	    [VDP_VSIID_IPV4] = "ipv4",	 [VDP_VSIID_IPV6] = "ipv6", [VDP_VSIID_MAC] = "mac",
	    [VDP_VSIID_LOCAL] = "local", [VDP_VSIID_UUID] = "uuid",
	};
	if (fmt >= sizeof(names) / sizeof(names[0]) || !names[fmt])
		return "reserved";
	return names[fmt];
}

const char *vdp_fif_name(uint8_t fif)
{
	static const char *const names[] = {
	    [VDP_FIF_VID] = "vid",
	    [VDP_FIF_MACVID] = "mac-vid",
	    [VDP_FIF_GROUPVID] = "group-vid",
	    [VDP_FIF_GROUPMACVID] = "group-mac-vid",
	};
	if (fif >= sizeof(names) / sizeof(names[0]) || !names[fif])
		return "reserved";
	return names[fif];
}

/* ---------------- VSIID text ---------------- */

static const char hexdig[] = "0123456789abcdef";

/* n octets as 2n lower-case hex digits, a '-' before the octets whose
 * index is flagged in dash_before (bit i); NUL-terminated. */
static void hex_out(const uint8_t *p, size_t n, uint32_t dash_before, char *out)
{
	for (size_t i = 0; i < n; i++) {
		if (dash_before >> i & 1)
			*out++ = '-';
		*out++ = hexdig[p[i] >> 4];
		*out++ = hexdig[p[i] & 0xf];
	}
	*out = '\0';
}

/* UUID 8-4-4-4-12: dashes before octets 4, 6, 8 and 10. */
#define UUID_DASHES (1u << 4 | 1u << 6 | 1u << 8 | 1u << 10)

/* The canonical text of an id into tmp (VSIID_TEXT_MAX octets). IPv4 and
 * MAC ids whose prefix does not match their layout print as 32 hex digits
 * (which vdp_vsiid_parse() accepts for every format), so nothing is lost. */
static void vsiid_text(uint8_t fmt, const uint8_t *id, char *tmp)
{
	switch (fmt) {
	case VDP_VSIID_UUID:
		hex_out(id, VDP_VSIID_LEN, UUID_DASHES, tmp);
		return;
	case VDP_VSIID_IPV4:
		if (ipv4_prefix(id)) {
			snprintf(tmp, VSIID_TEXT_MAX, "%u.%u.%u.%u", id[12], id[13], id[14],
				 id[15]);
			return;
		}
		break;
	case VDP_VSIID_IPV6:
		/* cannot fail: the buffer holds the longest text */
		inet_ntop(AF_INET6, id, tmp, VSIID_TEXT_MAX);
		return;
	case VDP_VSIID_MAC:
		if (has_zero_prefix(id)) {
			const uint8_t *m = id + 10;
			snprintf(tmp, VSIID_TEXT_MAX, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1],
				 m[2], m[3], m[4], m[5]);
			return;
		}
		break;
	}
	hex_out(id, VDP_VSIID_LEN, 0, tmp);
}

char *vdp_vsiid_str(uint8_t fmt, const uint8_t id[VDP_VSIID_LEN], char *buf, size_t cap)
{
	char tmp[VSIID_TEXT_MAX];
	if (!buf || !cap)
		return buf;
	vsiid_text(fmt, id, tmp);
	snprintf(buf, cap, "%s", tmp);
	return buf;
}

/* UUID: dashes after octets 3, 5, 7 and 9. */
#define UUID_SEPS (UUID_DASHES >> 1)

static int vsiid_from_text(uint8_t fmt, const char *s, uint8_t *id)
{
	switch (fmt) {
	case VDP_VSIID_UUID:
		return hex_parse(s, id, VDP_VSIID_LEN, "-", UUID_SEPS);
	case VDP_VSIID_IPV4:
		id[10] = id[11] = 0xff;
		return inet_pton(AF_INET, s, id + 12) == 1 ? 0 : -EINVAL;
	case VDP_VSIID_IPV6:
		return inet_pton(AF_INET6, s, id) == 1 ? 0 : -EINVAL;
	case VDP_VSIID_MAC:
		return hex_parse(s, id + 10, 6, ":", HEX_MAC_SEPS);
	default:
		return -EINVAL;
	}
}

int vdp_vsiid_parse(uint8_t fmt, const char *s, uint8_t id[VDP_VSIID_LEN])
{
	uint8_t tmp[VDP_VSIID_LEN] = {0};
	if (!s || fmt < VDP_VSIID_IPV4 || fmt > VDP_VSIID_UUID)
		return -EINVAL;
	if (vsiid_from_text(fmt, s, tmp)) {
		memset(tmp, 0, sizeof(tmp));
		if (hex_parse(s, tmp, VDP_VSIID_LEN, NULL, 0))
			return -EINVAL;
	}
	memcpy(id, tmp, VDP_VSIID_LEN);
	return 0;
}
