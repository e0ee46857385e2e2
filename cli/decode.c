/* SPDX-License-Identifier: ISC */
/*
 * decode.c - `evbctl decode` (see decode.h): each frame, layer by layer,
 * through the writer; the frames come from frame_input.
 *
 * The protocol is decoded by the vdp/ codecs only: eth_parse, lldp_parse,
 * ecp_hdr_decode and the VDP unpacker.  This file reads the 2-octet TLV
 * headers itself for three things the codecs do not report: the list of
 * TLVs of an LLDPDU (with the skipped ones), the organizationally defined
 * TLVs kept raw after a VSI TLV, and the numbers in error messages.  The
 * pre-standard draft 0.2 (EtherType 0x88B7, OUI 00-1B-3F) is decoded with
 * the vdp/draft.c codecs.
 */
#include "decode.h"
#include "mgrid.h"

#include "commands.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vdp/bytes.h"
#include "vdp/draft.h"
#include "vdp/ecp.h"
#include "vdp/eth.h"
#include "vdp/evb.h"
#include "vdp/lldp.h"
#include "vdp/proto.h"
#include "vdp/vdp_pack.h"
#include "vdp/vdp_tlv.h"

#define MAX_BAD	   16  /* malformations kept per frame */
#define BAD_TEXT   200 /* octets of one description */
#define MAC_STRLEN 18
#define TLV_HDR	   VDP_TLV_HDR_LEN  /* = LLDP_TLV_HDR_LEN: 7-bit type, 9-bit length */
#define ORG_HDR	   LLDP_ORG_HDR_LEN /* OUI + subtype, in LLDP and VDP org TLVs */

/* ------------------------------------------------------------------ */
/* Per-frame context and malformation records                          */
/* ------------------------------------------------------------------ */

struct bad {
	size_t off;	 /* octet offset in the frame */
	const char *obj; /* what is malformed: "VDP TLV", ... */
	char what[BAD_TEXT];
};

struct dctx {
	struct writer *w;
	const struct frame_in *f;
	unsigned no;	/* frame number */
	unsigned nbad;	/* kept in bad[] */
	unsigned nlost; /* beyond MAX_BAD */
	struct bad bad[MAX_BAD];
};

__attribute__((format(printf, 4, 5))) static void bad(struct dctx *d, size_t off, const char *obj,
						      const char *fmt, ...)
{
	if (d->nbad == MAX_BAD) {
		d->nlost++;
		return;
	}
	struct bad *b = &d->bad[d->nbad++];
	va_list ap;
	b->off = off;
	b->obj = obj;
	va_start(ap, fmt);
	vsnprintf(b->what, sizeof(b->what), fmt, ap);
	va_end(ap);
}

/* The "malformed" list of the frame (always present in JSON), and one
 * diagnostic line per entry on stderr. */
static void put_malformed(struct dctx *d)
{
	struct writer *w = d->w;
	writer_begin_list(w, "malformed");
	for (unsigned i = 0; i < d->nbad; i++) {
		const struct bad *b = &d->bad[i];
		writer_begin_object(w, "malformed");
		writer_uint_hex(w, "offset", b->off);
		writer_fmt(w, "what", "%s: %s", b->obj, b->what);
		writer_end_object(w);
		fprintf(stderr, "evbctl decode: frame %u: malformed: %s at offset 0x%zx: %s\n",
			d->no, b->obj, b->off, b->what);
	}
	writer_end_list(w);
	if (d->nlost)
		fprintf(stderr, "evbctl decode: frame %u: %u more malformations not shown\n", d->no,
			d->nlost);
}

/* ------------------------------------------------------------------ */
/* Small formatting helpers                                            */
/* ------------------------------------------------------------------ */

static char *mac_str(const uint8_t m[6], char buf[MAC_STRLEN])
{
	snprintf(buf, MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
		 m[5]);
	return buf;
}

static void put_oui(struct writer *w, uint32_t oui)
{
	writer_fmt(w, "oui", "%02x-%02x-%02x", (oui >> 16) & 0xff, (oui >> 8) & 0xff, oui & 0xff);
}

static bool printable(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	return n > 0;
}

/* A capture time as every evbctl time: "time" in ISO 8601 UTC with µs,
 * "time_us" since the Unix epoch. */
static void put_time(struct writer *w, const struct timeval *ts)
{
	char base[32];
	struct tm tm;
	time_t s = ts->tv_sec;
	gmtime_r(&s, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	writer_fmt(w, "time", "%s.%06ldZ", base, (long)ts->tv_usec);
	writer_uint(w, "time_us", (uint64_t)ts->tv_sec * 1000000u + (uint64_t)ts->tv_usec);
}

/* A duration given in µs as "N us", "N.NNN ms" or "N.NNN s". */
static void put_duration(struct writer *w, const char *key, uint64_t us)
{
	char key_us[48];
	snprintf(key_us, sizeof(key_us), "%s_us", key);
	writer_uint(w, key_us, us);
	if (us < 1000)
		writer_fmt(w, key, "%llu us", (unsigned long long)us);
	else if (us < 1000000)
		writer_fmt(w, key, "%.3f ms", (double)us / 1e3);
	else
		writer_fmt(w, key, "%.3f s", (double)us / 1e6);
}

/* LLDP and VDP TLVs share one header: type in bits 15-9, length in bits 8-0.
 * False when fewer than 2 octets are left at off. */
static bool tlv_hdr_at(const uint8_t *p, size_t len, size_t off, uint8_t *type, uint16_t *tlen)
{
	if (off > len || len - off < TLV_HDR)
		return false;
	struct rd r = rd_init(p + off, len - off);
	uint16_t h = rd_u16(&r);
	*type = (uint8_t)(h >> 9);
	*tlen = h & 0x1ff;
	return true;
}

/* Record a malformation found at offset `at` of p (p starts at frame offset
 * base) inside the TLV at offset `tlv`: an overrunning length is stated
 * with its numbers, any other problem with the codec's words and the TLV. */
static void tlv_bad(struct dctx *d, const char *obj, const uint8_t *p, size_t len, size_t base,
		    size_t tlv, size_t at, const char *what)
{
	uint8_t type;
	uint16_t tlen;
	if (!what)
		what = "malformed";
	if (!tlv_hdr_at(p, len, tlv, &type, &tlen))
		bad(d, base + at, obj, "%s", what);
	else if (tlen > len - tlv - TLV_HDR)
		bad(d, base + tlv, obj,
		    "length %u runs past the end of the frame (%zu octets left)", tlen,
		    len - tlv - TLV_HDR);
	else if (at == tlv)
		bad(d, base + at, obj, "%s (type %u, length %u)", what, type, tlen);
	else
		bad(d, base + at, obj, "%s (TLV at offset 0x%zx, type %u, length %u)", what,
		    base + tlv, type, tlen);
}

/* ------------------------------------------------------------------ */
/* Ethernet                                                            */
/* ------------------------------------------------------------------ */

static const char *group_name(const uint8_t mac[6])
{
	static const uint8_t ncb[6] = MAC_NEAREST_CUSTOMER_BRIDGE;
	static const uint8_t nntb[6] = MAC_NEAREST_NONTPMR_BRIDGE;
	static const uint8_t nb[6] = MAC_NEAREST_BRIDGE;
	if (!memcmp(mac, ncb, 6))
		return "nearest-customer-bridge";
	if (!memcmp(mac, nntb, 6))
		return "nearest-non-tpmr-bridge";
	if (!memcmp(mac, nb, 6))
		return "nearest-bridge";
	return NULL;
}

static const char *ethertype_name(uint16_t et)
{
	switch (et) {
	case ETHERTYPE_LLDP:
		return "lldp";
	case ETHERTYPE_ECP:
		return "ecp";
	case ETHERTYPE_ECP_OLD:
		return "ecp-lldpad-pre-2014";
	case ETHERTYPE_ECP_DRAFT:
		return "ecp-draft-0.2";
	default:
		return "other";
	}
}

static void put_eth(struct dctx *d, const struct eth_hdr *h, size_t hlen)
{
	struct writer *w = d->w;
	char m[MAC_STRLEN];
	const char *g = group_name(h->dst);
	writer_begin_object(w, "ethernet");
	writer_str(w, "dst", mac_str(h->dst, m));
	if (g)
		writer_str(w, "dst_name", g);
	writer_str(w, "src", mac_str(h->src, m));
	if (hlen > ETH_HDR_LEN) {
		writer_begin_object(w, "vlan");
		writer_uint_hex(w, "tci", h->vlan_tci);
		writer_uint(w, "pcp", h->vlan_tci >> 13);
		writer_bool(w, "dei", h->vlan_tci & 0x1000);
		writer_uint(w, "vid", h->vlan_tci & 0x0fff);
		writer_end_object(w);
	}
	writer_uint_hex(w, "ethertype", h->ethertype);
	writer_str(w, "ethertype_name", ethertype_name(h->ethertype));
	writer_end_object(w);
}

/* ------------------------------------------------------------------ */
/* LLDP                                                                */
/* ------------------------------------------------------------------ */

static const char *lldp_tlv_name(uint8_t type)
{
	static const char *const names[] = {
	    "end",
	    "chassis-id",
	    "port-id",
	    "ttl",
	    "port-description",
	    "system-name",
	    "system-description",
	    "system-capabilities",
	    "management-address",
	};
	if (type < sizeof(names) / sizeof(names[0]))
		return names[type];
	return type == LLDP_TLV_ORG ? "org-specific" : "reserved";
}

static const char *org_name(uint32_t oui, uint8_t subtype)
{
	if (oui == OUI_IEEE_8021 && subtype == EVB_TLV_SUBTYPE)
		return "evb";
	if (oui == OUI_IEEE_8021 && subtype == CDCP_TLV_SUBTYPE)
		return "cdcp";
	if (oui == OUI_IEEE_8021)
		return "ieee-802.1";
	if (oui == 0x00120f)
		return "ieee-802.3";
	if (oui == 0x001b3f)
		return "evb-draft-0.2"; /* docs/protocol.md "Draft 0.2" */
	return "unknown";
}

static const char *chassis_subtype_name(uint8_t s)
{
	static const char *const names[] = {
	    "reserved",	   "chassis-component", "interface-alias", "port-component",
	    "mac-address", "network-address",	"interface-name",  "local",
	};
	return s < sizeof(names) / sizeof(names[0]) ? names[s] : "reserved";
}

static const char *port_subtype_name(uint8_t s)
{
	static const char *const names[] = {
	    "reserved",	       "interface-alias", "port-component",   "mac-address",
	    "network-address", "interface-name",  "agent-circuit-id", "local",
	};
	return s < sizeof(names) / sizeof(names[0]) ? names[s] : "reserved";
}

static void put_draft_mode(struct writer *w, const char *key, uint8_t mode)
{
	writer_begin_object(w, key);
	writer_uint_hex(w, "value", mode);
	writer_bool(w, "standard", mode & DRAFT_EVB_MODE_STANDARD);
	writer_bool(w, "reflective_relay", mode & DRAFT_EVB_MODE_RR);
	writer_end_object(w);
}

static void put_draft_caps(struct writer *w, const char *key, uint8_t caps)
{
	writer_begin_object(w, key);
	writer_uint_hex(w, "value", caps);
	writer_bool(w, "has_rte", caps & DRAFT_EVB_CAP_RTE);
	writer_bool(w, "has_ecp", caps & DRAFT_EVB_CAP_ECP);
	writer_bool(w, "has_vdp", caps & DRAFT_EVB_CAP_VDP);
	writer_end_object(w);
}

/* The draft 0.2 EVB TLV (OUI 00-1B-3F subtype 0), field by field. */
static void put_draft_evb(struct dctx *d, const uint8_t *val, uint16_t vlen, size_t at)
{
	struct writer *w = d->w;
	struct draft_evb_tlv t;
	if (draft_evb_decode(val, vlen, &t)) {
		bad(d, at, "draft EVB TLV", "length %u is not %d", vlen, DRAFT_EVB_LEN);
		return;
	}
	writer_begin_object(w, "evb_draft");
	put_draft_mode(w, "supported_mode", t.smode);
	put_draft_caps(w, "supported_capabilities", t.scap);
	put_draft_mode(w, "configured_mode", t.cmode);
	put_draft_caps(w, "configured_capabilities", t.ccap);
	writer_uint(w, "supported_vsis", t.svsi);
	writer_uint(w, "configured_vsis", t.cvsi);
	writer_uint(w, "rte", t.rte);
	writer_end_object(w);
}

static void put_lldp_tlv(struct dctx *d, const uint8_t *p, size_t len, size_t base, size_t off,
			 uint8_t type, uint16_t tlen)
{
	struct writer *w = d->w;
	writer_begin_object(w, NULL);
	writer_uint_hex(w, "offset", base + off);
	writer_enum(w, "type", type, lldp_tlv_name(type));
	writer_uint(w, "length", tlen);
	if (type == LLDP_TLV_ORG && tlen >= ORG_HDR && len - off - TLV_HDR >= ORG_HDR) {
		struct rd r = rd_init(p + off + TLV_HDR, ORG_HDR);
		uint32_t oui = rd_u24(&r);
		uint8_t subtype = rd_u8(&r);
		put_oui(w, oui);
		writer_uint_hex(w, "subtype", subtype);
		writer_str(w, "org_name", org_name(oui, subtype));
		if (oui == DRAFT_OUI && subtype == DRAFT_EVB_SUBTYPE && tlen <= len - off - TLV_HDR)
			put_draft_evb(d, p + off + TLV_HDR, tlen, base + off);
	}
	writer_end_object(w);
}

/* Every TLV header up to End (or up to the first one running past the
 * end), then the octets after End. */
static void put_lldp_tlvs(struct dctx *d, const uint8_t *p, size_t len, size_t base)
{
	struct writer *w = d->w;
	size_t off = 0;
	uint8_t type;
	uint16_t tlen;
	writer_begin_list(w, "tlvs");
	while (tlv_hdr_at(p, len, off, &type, &tlen)) {
		put_lldp_tlv(d, p, len, base, off, type, tlen);
		off += TLV_HDR;
		if (type == LLDP_TLV_END)
			break;
		if (tlen > len - off) {
			off = len;
			break;
		}
		off += tlen;
	}
	writer_end_list(w);
	writer_uint(w, "padding", len - off);
}

static void put_lldp_id(struct writer *w, const char *key, const struct lldp_id *id,
			const char *subtype_name, uint8_t mac_subtype)
{
	char m[MAC_STRLEN];
	writer_begin_object(w, key);
	writer_enum(w, "subtype", id->subtype, subtype_name);
	if (id->subtype == mac_subtype && id->len == 6)
		writer_str(w, "id", mac_str(id->id, m));
	else if (printable(id->id, id->len))
		writer_fmt(w, "id", "%.*s", (int)id->len, (const char *)id->id);
	else
		writer_hex(w, "id", id->id, id->len);
	writer_hex(w, "id_hex", id->id, id->len);
	writer_end_object(w);
}

static const char *evb_mode_name(uint8_t mode)
{
	static const char *const names[] = {"none", "bridge", "station", "reserved"};
	return names[mode & 3];
}

static const char *rrstat_name(uint8_t s)
{
	static const char *const names[] = {"not-enabled", "enabled", "reserved", "unknown"};
	return names[s & 3];
}

/* Which octets carried non-zero reserved bits (a list, usually empty). */
static void put_evb_reserved(struct writer *w, uint8_t seen)
{
	writer_begin_list(w, "reserved_bits_set");
	if (seen & EVB_RSV_SEEN_BRIDGE)
		writer_str(w, NULL, "bridge-status");
	if (seen & EVB_RSV_SEEN_STATION)
		writer_str(w, NULL, "station-status");
	if (seen & EVB_RSV_SEEN_RKA)
		writer_str(w, NULL, "rka");
	writer_end_list(w);
}

static void put_evb(struct writer *w, const struct evb_tlv *t)
{
	writer_begin_object(w, "evb");
	writer_bool(w, "bgid", t->bgid);
	writer_bool(w, "rrcap", t->rrcap);
	writer_bool(w, "rrctr", t->rrctr);
	writer_bool(w, "sgid", t->sgid);
	writer_bool(w, "rrreq", t->rrreq);
	writer_enum(w, "rrstat", t->rrstat, rrstat_name(t->rrstat));
	writer_uint(w, "r", t->r);
	writer_uint(w, "rte", t->rte);
	writer_enum(w, "mode", t->mode, evb_mode_name(t->mode));
	writer_bool(w, "rol_rwd", t->rol_rwd);
	writer_uint(w, "rwd", t->rwd);
	writer_bool(w, "rol_rka", t->rol_rka);
	writer_uint(w, "rka", t->rka);
	put_evb_reserved(w, t->reserved_bits);
	put_duration(w, "ack_timer", evb_exp_us(t->rte));
	put_duration(w, "resource_wait_delay", evb_exp_us(t->rwd));
	put_duration(w, "reinit_keep_alive", evb_exp_us(t->rka));
	writer_end_object(w);
}

static void put_cdcp(struct writer *w, const struct cdcp_tlv *t)
{
	unsigned n = t->npairs < CDCP_MAX_PAIRS ? t->npairs : CDCP_MAX_PAIRS;
	writer_begin_object(w, "cdcp");
	writer_str(w, "role", t->role_s ? "S" : "B");
	writer_bool(w, "scomp", t->scomp);
	writer_uint(w, "chncap", t->chncap);
	writer_begin_list(w, "pairs");
	for (unsigned i = 0; i < n; i++) {
		writer_begin_object(w, NULL);
		writer_uint(w, "scid", t->pairs[i].scid);
		writer_uint(w, "svid", t->pairs[i].svid);
		writer_end_object(w);
	}
	writer_end_list(w);
	writer_end_object(w);
}

static void put_lldp(struct dctx *d, const uint8_t *p, size_t len, size_t base)
{
	struct writer *w = d->w;
	struct lldp_pdu *pdu = calloc(1, sizeof(*pdu));
	struct lldp_err err = {0};
	if (!pdu) {
		bad(d, base, "LLDPDU", "out of memory");
		return;
	}
	int rc = lldp_parse(p, len, pdu, &err);
	writer_begin_object(w, "lldp");
	if (pdu->chassis.len)
		put_lldp_id(w, "chassis_id", &pdu->chassis,
			    chassis_subtype_name(pdu->chassis.subtype), LLDP_CHASSIS_MAC);
	if (pdu->port.len)
		put_lldp_id(w, "port_id", &pdu->port, port_subtype_name(pdu->port.subtype),
			    LLDP_PORT_MAC);
	if (!rc || pdu->ttl)
		writer_uint(w, "ttl", pdu->ttl);
	if (pdu->has_evb)
		put_evb(w, &pdu->evb);
	if (pdu->has_cdcp)
		put_cdcp(w, &pdu->cdcp);
	writer_uint(w, "unknown_tlvs", pdu->unknown_tlvs);
	put_lldp_tlvs(d, p, len, base);
	writer_end_object(w);
	if (rc)
		tlv_bad(d, "LLDP TLV", p, len, base, err.offset, err.offset, err.what);
	free(pdu);
}

/* ------------------------------------------------------------------ */
/* VDP                                                                 */
/* ------------------------------------------------------------------ */

/* The VSI manager ID as evbctl shows it everywhere: "mgrid" in the form
 * `mgrid` takes (a number, a name or 32 hex digits) and "mgrid_hex". */
static void put_manager_id(struct writer *w, const uint8_t mgrid[VDP_MGRID_LEN])
{
	char m[2 * VDP_MGRID_LEN + 1];
	mgrid_str(mgrid, m, sizeof(m));
	writer_str(w, "mgrid", m);
	writer_hex(w, "mgrid_hex", mgrid, VDP_MGRID_LEN);
}

static void put_status(struct writer *w, uint8_t st)
{
	bool resp = st & VDP_STATUS_RESPONSE;
	writer_uint_hex(w, "status", st);
	writer_str(w, "direction", resp ? "response" : "request");
	if (resp) {
		writer_bool(w, "keep", st & VDP_STATUS_KEEP);
		writer_bool(w, "hard", st & VDP_STATUS_HARD);
		writer_enum(w, "reason", st & VDP_STATUS_REASON,
			    vdp_reason_name(st & VDP_STATUS_REASON));
		writer_uint_hex(w, "reserved_bits", st & VDP_STATUS_RESERVED);
	} else {
		writer_bool(w, "m_bit", st & VDP_STATUS_MBIT);
		writer_bool(w, "s_bit", st & VDP_STATUS_SBIT);
		writer_uint_hex(w, "reserved_bits", st & (VDP_STATUS_RESERVED | VDP_STATUS_REASON));
	}
}

static void put_vsi_id(struct writer *w, const struct vdp_vsi_tlv *v)
{
	char buf[64];
	writer_uint_hex(w, "type_id", v->type_id);
	writer_uint(w, "type_version", v->type_ver);
	writer_enum(w, "vsiid_format", v->vsiid_fmt, vdp_vsiid_fmt_name(v->vsiid_fmt));
	writer_str(w, "vsiid", vdp_vsiid_str(v->vsiid_fmt, v->vsiid, buf, sizeof(buf)));
}

static void put_filters(struct writer *w, const struct vdp_vsi_tlv *v)
{
	unsigned n = v->nfilters < VDP_MAX_FILTERS ? v->nfilters : VDP_MAX_FILTERS;
	bool group = v->fif == VDP_FIF_GROUPVID || v->fif == VDP_FIF_GROUPMACVID;
	bool mac = v->fif == VDP_FIF_MACVID || v->fif == VDP_FIF_GROUPMACVID;
	char m[MAC_STRLEN];
	writer_begin_list(w, "filters");
	for (unsigned i = 0; v->filters && i < n; i++) {
		const struct vdp_filter *f = &v->filters[i];
		writer_begin_object(w, NULL);
		if (group)
			writer_uint(w, "group", f->group);
		if (mac)
			writer_str(w, "mac", mac_str(f->mac, m));
		writer_bool(w, "ps", f->ps);
		writer_uint(w, "pcp", f->pcp);
		writer_uint(w, "vid", f->vid);
		writer_end_object(w);
	}
	writer_end_list(w);
}

/* The org TLVs kept raw after a VSI TLV; org points into the ULPDU p when
 * the unpacker did not copy them (then their frame offset is known). */
static void put_org_tlvs(struct writer *w, const struct vdp_vsi_tlv *v, const uint8_t *p,
			 size_t len, size_t base)
{
	uintptr_t o = (uintptr_t)v->org, start = (uintptr_t)p;
	bool inside = v->org && o >= start && o - start < len;
	size_t off = 0;
	uint8_t type;
	uint16_t tlen;
	writer_begin_list(w, "org_tlvs");
	while (v->org && tlv_hdr_at(v->org, v->org_len, off, &type, &tlen) &&
	       tlen <= v->org_len - off - TLV_HDR) {
		struct rd r = rd_init(v->org + off + TLV_HDR, tlen);
		writer_begin_object(w, NULL);
		if (inside)
			writer_uint_hex(w, "offset", base + (o - start) + off);
		writer_uint(w, "length", tlen);
		if (tlen >= ORG_HDR) {
			put_oui(w, rd_u24(&r));
			writer_uint_hex(w, "subtype", rd_u8(&r));
		}
		writer_hex(w, "data", v->org + off + TLV_HDR + r.off, tlen - r.off);
		writer_end_object(w);
		off += TLV_HDR + (size_t)tlen;
	}
	writer_end_list(w);
}

static void put_check(struct writer *w, const struct vdp_vsi_tlv *v)
{
	const char *what = NULL;
	unsigned entry = 0;
	uint8_t rsn = vdp_vsi_tlv_check_ex(v, true, &what, &entry);
	writer_enum(w, "check", rsn, vdp_reason_name(rsn));
	if (rsn == VDP_RSN_SUCCESS)
		return;
	if (entry)
		writer_fmt(w, "check_detail", "filter %u: %s", entry, what ? what : "rejected");
	else
		writer_str(w, "check_detail", what ? what : "rejected");
}

/* One unpacker item; `tlv` is the offset of its TLV in p (for a BAD_VSI
 * item it->offset is where the problem is). */
static void put_vdp_item(struct dctx *d, const uint8_t *p, size_t len, size_t base, size_t tlv,
			 const struct vdp_item *it)
{
	struct writer *w = d->w;
	uint8_t type;
	uint16_t tlen;
	writer_begin_object(w, NULL);
	writer_uint_hex(w, "offset", base + tlv);
	writer_enum(w, "type", it->tlv_type, vdp_tlv_type_name(it->tlv_type));
	if (tlv_hdr_at(p, len, tlv, &type, &tlen))
		writer_uint(w, "length", tlen);
	if (it->kind == VDP_ITEM_SKIPPED) {
		writer_str(w, "skipped", it->what ? it->what : "skipped");
		writer_end_object(w);
		return;
	}
	if (it->have_mgrid)
		put_manager_id(w, it->mgrid);
	put_status(w, it->vsi.status);
	put_vsi_id(w, &it->vsi);
	writer_enum(w, "filter_format", it->vsi.fif, vdp_fif_name(it->vsi.fif));
	if (it->kind == VDP_ITEM_BAD_VSI) {
		writer_str(w, "error", it->what ? it->what : "malformed");
		writer_enum(w, "bridge_reason", it->reason, vdp_reason_name(it->reason));
		writer_end_object(w);
		tlv_bad(d, "VSI TLV", p, len, base, tlv, it->offset, it->what);
		return;
	}
	writer_uint(w, "filter_count", it->vsi.nfilters);
	put_filters(w, &it->vsi);
	put_org_tlvs(w, &it->vsi, p, len, base);
	put_check(w, &it->vsi);
	writer_end_object(w);
}

/* The unpacker consumes well-formed Manager ID TLVs silently (they set the
 * item's mgrid) and makes an item of anything else: list those it passed
 * from `from` (where the previous item ended) up to `at` (the next item's
 * offset), and return the offset of the next item's TLV. */
static size_t put_mgrid_tlvs(struct writer *w, const uint8_t *p, size_t len, size_t base,
			     size_t from, size_t at)
{
	uint8_t type;
	uint16_t tlen;
	size_t off = from;
	while (off < at && tlv_hdr_at(p, len, off, &type, &tlen) && type == VDP_TLV_MGRID &&
	       tlen == VDP_MGRID_LEN && len - off >= TLV_HDR + (size_t)VDP_MGRID_LEN) {
		writer_begin_object(w, NULL);
		writer_uint_hex(w, "offset", base + off);
		writer_enum(w, "type", type, vdp_tlv_type_name(type));
		writer_uint(w, "length", tlen);
		put_manager_id(w, p + off + TLV_HDR);
		writer_end_object(w);
		off += TLV_HDR + (size_t)VDP_MGRID_LEN;
	}
	return off <= at ? off : at;
}

/* The ULPDU of a VDP ECPDU: p starts at frame offset base. */
static void put_vdp(struct dctx *d, const uint8_t *p, size_t len, size_t base)
{
	struct writer *w = d->w;
	struct vdp_unpacker u;
	struct vdp_item *it = calloc(1, sizeof(*it));
	size_t end = len;
	if (!it) {
		bad(d, base, "VDPDU", "out of memory");
		return;
	}
	vdp_unpack_begin(&u, p, len);
	writer_begin_object(w, "vdp");
	writer_begin_list(w, "tlvs");
	/* Each item consumes at least a 2-octet header: bound the loop anyway. */
	for (size_t guard = len / 2 + 2; guard; guard--) {
		size_t from = u.r.off;
		enum vdp_item_kind k = vdp_unpack_next(&u, it);
		size_t tlv = put_mgrid_tlvs(w, p, len, base, from, it->offset);
		if (k == VDP_ITEM_END) {
			end = it->offset < len ? it->offset : len;
			break;
		}
		if (k == VDP_ITEM_ERROR) {
			tlv_bad(d, "VDP TLV", p, len, base, tlv, it->offset, it->what);
			break;
		}
		put_vdp_item(d, p, len, base, tlv, it);
	}
	writer_end_list(w);
	writer_uint(w, "padding", len - end);
	writer_end_object(w);
	free(it);
}

/* ------------------------------------------------------------------ */
/* ECP                                                                 */
/* ------------------------------------------------------------------ */

static const char *ecp_op_name(uint8_t op)
{
	static const char *const names[] = {"request", "ack", "reserved", "reserved"};
	return names[op & 3];
}

static const char *ecp_subtype_name(uint16_t s)
{
	switch (s) {
	case ECP_SUBTYPE_VDP:
		return "vdp";
	case ECP_SUBTYPE_PECSP:
		return "pe-csp";
	default:
		return "unknown";
	}
}

static void put_ecp_hdr(struct writer *w, const struct ecp_hdr *h)
{
	writer_uint(w, "protocol_version", h->version);
	writer_enum(w, "op", h->op, ecp_op_name(h->op));
	writer_enum(w, "subtype", h->subtype, ecp_subtype_name(h->subtype));
	writer_uint(w, "seq", h->seq);
}

static void put_ecp(struct dctx *d, const uint8_t *p, size_t len, size_t base, bool old)
{
	struct writer *w = d->w;
	struct ecp_hdr h = {0};
	int rc = ecp_hdr_decode(p, len, &h);
	writer_begin_object(w, "ecp");
	if (old)
		writer_str(w, "note", "EtherType 0x8890: lldpad before February 2014");
	if (rc == -EINVAL) {
		writer_end_object(w);
		bad(d, base, "ECP header", "the frame ends after %zu of its %d octets", len,
		    ECP_HDR_LEN);
		return;
	}
	if (rc) {
		/* ecp_hdr_decode() fills nothing for these: show the raw octets. */
		writer_hex(w, "header", p, ECP_HDR_LEN);
		writer_end_object(w);
		bad(d, base, "ECP header", "version is not %d or the operation is reserved (2, 3)",
		    ECP_VERSION);
		return;
	}
	put_ecp_hdr(w, &h);
	if (h.op == ECP_OP_ACK) {
		writer_uint(w, "padding", len - ECP_HDR_LEN);
		writer_end_object(w);
		return;
	}
	writer_uint(w, "ulpdu_length", len - ECP_HDR_LEN);
	writer_end_object(w);
	if (h.subtype == ECP_SUBTYPE_VDP)
		put_vdp(d, p + ECP_HDR_LEN, len - ECP_HDR_LEN, base + ECP_HDR_LEN);
}

/* ------------------------------------------------------------------ */
/* Draft 0.2 ECP and VDP (EtherType 0x88B7)                            */
/* ------------------------------------------------------------------ */

static void put_draft_vdp_fields(struct writer *w, const struct draft_vdp_tlv *t)
{
	char buf[64];
	char m[MAC_STRLEN];
	writer_enum(w, "mode", t->mode, draft_vdp_mode_name(t->mode));
	writer_enum(w, "response", t->response, draft_vdp_response_name(t->response));
	writer_uint(w, "manager_id", t->mgrid);
	writer_uint_hex(w, "type_id", t->type_id);
	writer_uint(w, "type_version", t->version);
	writer_str(w, "uuid", vdp_vsiid_str(VDP_VSIID_UUID, t->uuid, buf, sizeof(buf)));
	writer_enum(w, "format", t->format, "mac-vlan");
	writer_uint(w, "entries", t->entries);
	writer_begin_list(w, "pairs");
	for (uint16_t i = 0; i < t->entries; i++) {
		struct draft_vdp_pair pr;
		draft_vdp_pair(t, i, &pr);
		writer_begin_object(w, NULL);
		writer_str(w, "mac", mac_str(pr.mac, m));
		writer_uint_hex(w, "vlan_field", pr.vlan);
		writer_uint(w, "vid", pr.vlan & VDP_PSPCPVID_VID);
		writer_uint(w, "high_bits", pr.vlan >> 12);
		writer_end_object(w);
	}
	writer_end_list(w);
}

/* The TLVs of a draft ULPDU: VDP TLVs decoded, others listed. */
static void put_draft_vdp(struct dctx *d, const uint8_t *p, size_t len, size_t base)
{
	struct writer *w = d->w;
	size_t off = 0, at = 0;
	uint8_t type;
	const uint8_t *val;
	uint16_t vlen;
	int rc;
	writer_begin_object(w, "vdp_draft");
	writer_begin_list(w, "tlvs");
	while ((rc = draft_ulpdu_next(p, len, &off, &type, &val, &vlen)) == 1) {
		struct draft_vdp_tlv t;
		enum draft_vdp_err e = draft_vdp_decode(val, vlen, &t);
		writer_begin_object(w, NULL);
		writer_uint_hex(w, "offset", base + at);
		writer_enum(w, "type", type, lldp_tlv_name(type));
		writer_uint(w, "length", vlen);
		if (type == LLDP_TLV_ORG && e == DRAFT_VDP_OK)
			put_draft_vdp_fields(w, &t);
		else if (type == LLDP_TLV_ORG && e != DRAFT_VDP_NOT_VDP)
			bad(d, base + at, "draft VDP TLV", "%s (length %u)", draft_vdp_err_str(e),
			    vlen);
		writer_end_object(w);
		at = off;
	}
	writer_end_list(w);
	if (rc)
		tlv_bad(d, "draft VDP TLV", p, len, base, off, off, NULL);
	else if (off < len)
		writer_uint(w, "padding", len - off);
	writer_end_object(w);
}

static void put_ecp_draft(struct dctx *d, const uint8_t *p, size_t len, size_t base)
{
	struct writer *w = d->w;
	struct draft_ecp_hdr h = {0};
	int rc = draft_ecp_hdr_decode(p, len, &h);
	writer_begin_object(w, "ecp_draft");
	if (rc == -EINVAL) {
		writer_end_object(w);
		bad(d, base, "draft ECP header", "the frame ends after %zu of its %d octets", len,
		    DRAFT_ECP_HDR_LEN);
		return;
	}
	if (rc) {
		writer_hex(w, "header", p, DRAFT_ECP_HDR_LEN);
		writer_end_object(w);
		bad(d, base, "draft ECP header", "the OUI is not 00-1b-3f or the mode not 0 or 1");
		return;
	}
	put_oui(w, DRAFT_OUI);
	writer_uint(w, "pad", h.pad);
	writer_enum(w, "subtype", h.subtype,
		    h.subtype == DRAFT_ECP_SUBTYPE_VDP ? "vdp" : "unknown");
	writer_enum(w, "mode", h.mode, h.mode == DRAFT_ECP_ACK ? "ack" : "request");
	writer_uint(w, "seq", h.seq);
	if (h.mode == DRAFT_ECP_ACK) {
		writer_uint(w, "padding", len - DRAFT_ECP_HDR_LEN);
		writer_end_object(w);
		return;
	}
	writer_uint(w, "ulpdu_length", len - DRAFT_ECP_HDR_LEN);
	writer_end_object(w);
	if (h.subtype == DRAFT_ECP_SUBTYPE_VDP)
		put_draft_vdp(d, p + DRAFT_ECP_HDR_LEN, len - DRAFT_ECP_HDR_LEN,
			      base + DRAFT_ECP_HDR_LEN);
}

/* ------------------------------------------------------------------ */
/* One frame                                                           */
/* ------------------------------------------------------------------ */

static void put_layers(struct dctx *d)
{
	const struct frame_in *f = d->f;
	struct eth_hdr h;
	const uint8_t *pl;
	size_t plen;
	if (eth_parse(f->p, f->len, &h, &pl, &plen)) {
		bad(d, 0, "Ethernet header", "the frame has only %zu octets", f->len);
		return;
	}
	size_t base = f->len - plen;
	put_eth(d, &h, base);
	switch (h.ethertype) {
	case ETHERTYPE_LLDP:
		put_lldp(d, pl, plen, base);
		break;
	case ETHERTYPE_ECP:
	case ETHERTYPE_ECP_OLD:
		put_ecp(d, pl, plen, base, h.ethertype == ETHERTYPE_ECP_OLD);
		break;
	case ETHERTYPE_ECP_DRAFT:
		put_ecp_draft(d, pl, plen, base);
		break;
	default:
		writer_uint(d->w, "payload_length", plen);
		break;
	}
}

bool decode_frame(struct writer *w, unsigned no, const struct frame_in *f)
{
	struct dctx *d = calloc(1, sizeof(*d));
	char label[32];
	if (!d) {
		fprintf(stderr, "evbctl decode: frame %u: out of memory\n", no);
		return true;
	}
	d->w = w;
	d->f = f;
	d->no = no;
	snprintf(label, sizeof(label), "frame %u", no);
	writer_begin_object(w, label);
	writer_uint(w, "frame", no);
	if (f->has_time)
		put_time(w, &f->ts);
	writer_uint(w, "length", f->len);
	if (f->orig_len > f->len)
		writer_uint(w, "original_length", f->orig_len);
	put_layers(d);
	put_malformed(d);
	writer_end_object(w);
	bool malformed = d->nbad > 0;
	free(d);
	return malformed;
}

/* ------------------------------------------------------------------ */
/* The command                                                         */
/* ------------------------------------------------------------------ */

/* State of one `evbctl decode` run. */
struct run {
	struct writer *w;
	unsigned frames;
	bool malformed; /* some frame was malformed */
};

static void run_frame(void *ctx, const struct frame_in *f)
{
	struct run *r = ctx;
	if (decode_frame(r->w, ++r->frames, f))
		r->malformed = true;
}

static int cmd_decode(struct writer *w, int argc, char **argv)
{
	const char *pcap_file = NULL;
	struct run run = {.w = w};
	struct frame_reader r = {.frame = run_frame, .ctx = &run, .prog = "evbctl decode"};
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt(argc, argv, "+hr:")) != -1) {
		switch (c) {
		case 'h':
			return EVBCTL_HELP;
		case 'r':
			pcap_file = optarg;
			break;
		default:
			fprintf(stderr,
				"evbctl decode: unknown option or missing argument: -%c; 'evbctl "
				"help decode' shows the usage.\n",
				optopt);
			return EVBCTL_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (pcap_file && argc) {
		fputs("evbctl decode: give either -r FILE or frames, not both.\n", stderr);
		return EVBCTL_USAGE;
	}
	bool from_stdin = !pcap_file && (argc == 1 && !strcmp(argv[0], "-"));
	if (!pcap_file && !argc) {
		if (isatty(STDIN_FILENO)) {
			fputs(
			    "evbctl decode: give a frame in hex, '-' to read frames from standard "
			    "input, or -r FILE.pcap.\n",
			    stderr);
			return EVBCTL_USAGE;
		}
		from_stdin = true;
	}
	writer_begin_list(w, NULL);
	if (pcap_file)
		frames_from_pcap(&r, pcap_file);
	else if (from_stdin)
		frames_from_text(&r, stdin);
	else
		frames_from_args(&r, argc, argv);
	writer_end_list(w);
	if (r.errors)
		return EVBCTL_USAGE;
	return run.malformed ? EVBCTL_FAIL : EVBCTL_OK;
}

const struct evbctl_cmd decode_cmd = {
    .name = "decode",
    .synopsis = "[-r FILE.pcap | - | HEX...]",
    .summary = "decode LLDP (EVB, CDCP), ECP and VDP frames (2012 and draft 0.2) field by field",
    .help = "  HEX...         one frame in hex; blanks, colons and 0x prefixes are ignored\n"
	    "  -              read frames from standard input (also the default when it is\n"
	    "                 not a terminal): one frame per line of hex (a line ending in\n"
	    "                 '\\' continues on the next), or offset-prefixed dumps\n"
	    "                 ('0000  01 80 c2 ...'; a frame starts at offset 0); a blank\n"
	    "                 line ends a frame, lines starting with '#' are ignored\n"
	    "  -r FILE.pcap   read an Ethernet pcap file ('-' for standard input)\n"
	    "\n"
	    "Exit status: 0 all frames well formed, 1 some frame malformed, 2 bad input.\n",
    .run = cmd_decode,
    .output_on_failure = true,
};
