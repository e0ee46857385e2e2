/* SPDX-License-Identifier: ISC */
/*
 * lldp.c - LLDPDU parse and build (IEEE 802.1AB clause 8) for the agent that
 * carries the EVB TLV: the three mandatory TLVs in order, the 802.1 EVB and
 * CDCP TLVs, End.  Every other TLV is skipped and counted.
 */
#include "lldp.h"

#include <errno.h>
#include <string.h>

#include "bytes.h"

/* One TLV as found in the LLDPDU. */
struct tlv {
	size_t off; /* of its header in the LLDPDU */
	uint8_t type;
	const uint8_t *val;
	size_t len;
};

/* The mandatory TLVs, in the order 802.1AB 8.2 requires them. */
static const struct mandatory {
	uint8_t type;
	const char *missing; /* LLDPDU ended before it */
	const char *wrong;   /* another TLV in its place */
	const char *dup;     /* seen again later */
	const char *bad_len;
} mandatory[] = {
    {LLDP_TLV_CHASSIS_ID, "missing chassis ID TLV", "first TLV is not chassis ID",
     "duplicate chassis ID TLV", "chassis ID TLV length outside 2..256"},
    {LLDP_TLV_PORT_ID, "missing port ID TLV", "second TLV is not port ID", "duplicate port ID TLV",
     "port ID TLV length outside 2..256"},
    {LLDP_TLV_TTL, "missing TTL TLV", "third TLV is not TTL", "duplicate TTL TLV",
     "TTL TLV length is not 2"},
};

#define N_MANDATORY (sizeof(mandatory) / sizeof(mandatory[0]))

static int fail(struct lldp_err *err, size_t offset, const char *what)
{
	if (err) {
		err->offset = offset;
		err->what = what;
	}
	return -EINVAL;
}

/* Read the next TLV.  0: *t filled; 1: End TLV or end of data (t->off says
 * where); -EINVAL: truncated or overlong TLV, err filled. */
static int next_tlv(struct rd *r, struct tlv *t, struct lldp_err *err)
{
	t->off = r->off;
	if (rd_left(r) == 0)
		return 1;
	if (rd_left(r) < LLDP_TLV_HDR_LEN)
		return fail(err, t->off, "truncated TLV header");
	uint16_t hdr = rd_u16(r);

	t->type = (uint8_t)(hdr >> LLDP_TLV_TYPE_SHIFT);
	t->len = hdr & LLDP_TLV_LEN_MASK;
	if (t->len > rd_left(r))
		return fail(err, t->off, "TLV length runs past the end of the LLDPDU");
	t->val = r->p + r->off;
	rd_bytes(r, NULL, t->len);
	if (t->type != LLDP_TLV_END)
		return 0;
	return t->len ? fail(err, t->off, "End TLV length is not 0") : 1;
}

static int parse_id(const struct tlv *t, struct lldp_id *id)
{
	if (t->len < 2 || t->len > 1 + LLDP_ID_MAX)
		return -EINVAL;
	id->subtype = t->val[0];
	id->len = (uint8_t)(t->len - 1);
	memcpy(id->id, t->val + 1, id->len);
	return 0;
}

static int parse_ttl(const struct tlv *t, uint16_t *ttl)
{
	if (t->len != LLDP_TTL_LEN)
		return -EINVAL;
	struct rd r = rd_init(t->val, t->len);

	*ttl = rd_u16(&r);
	return 0;
}

/* The i-th mandatory TLV (chassis ID, port ID, TTL). */
static int parse_mandatory(const struct tlv *t, size_t i, struct lldp_pdu *pdu,
			   struct lldp_err *err)
{
	int rc;

	if (i == 0)
		rc = parse_id(t, &pdu->chassis);
	else if (i == 1)
		rc = parse_id(t, &pdu->port);
	else
		rc = parse_ttl(t, &pdu->ttl);
	return rc ? fail(err, t->off, mandatory[i].bad_len) : 0;
}

static int parse_evb(const struct tlv *t, struct lldp_pdu *pdu, struct lldp_err *err)
{
	if (pdu->has_evb)
		return fail(err, t->off, "duplicate EVB TLV");
	int rc = evb_tlv_decode(t->val, t->len, &pdu->evb);

	if (rc == -ERANGE)
		return fail(err, t->off, "EVB TLV mode 3 is reserved");
	if (rc)
		return fail(err, t->off, "EVB TLV length is not 9");
	pdu->has_evb = true;
	return 0;
}

static int parse_cdcp(const struct tlv *t, struct lldp_pdu *pdu, struct lldp_err *err)
{
	if (pdu->has_cdcp)
		return fail(err, t->off, "duplicate CDCP TLV");
	if (cdcp_tlv_decode(t->val, t->len, &pdu->cdcp))
		return fail(err, t->off, "CDCP TLV length is not 8 + 3n (n <= 167)");
	pdu->has_cdcp = true;
	return 0;
}

static int parse_draft_evb(const struct tlv *t, struct lldp_pdu *pdu, struct lldp_err *err)
{
	if (pdu->has_draft_evb)
		return fail(err, t->off, "duplicate draft EVB TLV");
	if (draft_evb_decode(t->val, t->len, &pdu->draft_evb))
		return fail(err, t->off, "draft EVB TLV length is not 13");
	pdu->has_draft_evb = true;
	return 0;
}

static void count_unknown(struct lldp_pdu *pdu)
{
	if (pdu->unknown_tlvs < UINT16_MAX)
		pdu->unknown_tlvs++;
}

static int parse_org(const struct tlv *t, struct lldp_pdu *pdu, struct lldp_err *err)
{
	if (t->len < LLDP_ORG_HDR_LEN)
		return fail(err, t->off, "organizationally specific TLV shorter than 4 octets");
	struct rd r = rd_init(t->val, t->len);
	uint32_t oui = rd_u24(&r);
	uint8_t subtype = rd_u8(&r);

	if (oui == OUI_IEEE_8021 && subtype == EVB_TLV_SUBTYPE)
		return parse_evb(t, pdu, err);
	if (oui == OUI_IEEE_8021 && subtype == CDCP_TLV_SUBTYPE)
		return parse_cdcp(t, pdu, err);
	if (oui == DRAFT_OUI && subtype == DRAFT_EVB_SUBTYPE)
		return parse_draft_evb(t, pdu, err);
	count_unknown(pdu);
	return 0;
}

static int parse_optional(const struct tlv *t, struct lldp_pdu *pdu, struct lldp_err *err)
{
	for (size_t i = 0; i < N_MANDATORY; i++)
		if (t->type == mandatory[i].type)
			return fail(err, t->off, mandatory[i].dup);
	if (t->type == LLDP_TLV_ORG)
		return parse_org(t, pdu, err);
	count_unknown(pdu);
	return 0;
}

int lldp_parse(const uint8_t *p, size_t len, struct lldp_pdu *pdu, struct lldp_err *err)
{
	struct rd r = rd_init(p, len);
	struct tlv t;
	int rc;

	memset(pdu, 0, sizeof(*pdu));
	for (size_t i = 0; i < N_MANDATORY; i++) {
		rc = next_tlv(&r, &t, err);
		if (rc < 0)
			return rc;
		if (rc == 1)
			return fail(err, t.off, mandatory[i].missing);
		if (t.type != mandatory[i].type)
			return fail(err, t.off, mandatory[i].wrong);
		rc = parse_mandatory(&t, i, pdu, err);
		if (rc)
			return rc;
	}
	while ((rc = next_tlv(&r, &t, err)) == 0) {
		rc = parse_optional(&t, pdu, err);
		if (rc)
			return rc;
	}
	return rc < 0 ? rc : 0;
}

static bool id_ok(const struct lldp_id *id)
{
	return id->len >= 1;
}

static void put_id(struct wr *w, uint8_t type, const struct lldp_id *id)
{
	wr_u16(w, LLDP_TLV_HDR(type, 1 + id->len));
	wr_u8(w, id->subtype);
	wr_bytes(w, id->id, id->len);
}

/* Account for `rc` octets an encoder wrote at the writer's position. */
static int advance(struct wr *w, int rc)
{
	if (rc < 0)
		return rc;
	w->off += (size_t)rc;
	return 0;
}

static int put_org_tlvs(struct wr *w, const struct lldp_pdu *pdu)
{
	int rc = 0;

	if (pdu->has_evb)
		rc = advance(w, evb_tlv_encode(&pdu->evb, w->p + w->off, w->cap - w->off));
	if (!rc && pdu->has_cdcp)
		rc = advance(w, cdcp_tlv_encode(&pdu->cdcp, w->p + w->off, w->cap - w->off));
	if (!rc && pdu->has_draft_evb)
		rc = advance(w, draft_evb_encode(&pdu->draft_evb, w->p + w->off, w->cap - w->off));
	return rc;
}

int lldp_build(const struct lldp_pdu *pdu, uint8_t *out, size_t cap)
{
	if (!id_ok(&pdu->chassis) || !id_ok(&pdu->port))
		return -EINVAL;
	struct wr w = wr_init(out, cap);

	put_id(&w, LLDP_TLV_CHASSIS_ID, &pdu->chassis);
	put_id(&w, LLDP_TLV_PORT_ID, &pdu->port);
	wr_u16(&w, LLDP_TLV_HDR(LLDP_TLV_TTL, LLDP_TTL_LEN));
	wr_u16(&w, pdu->ttl);
	if (w.err)
		return -ENOSPC;
	int rc = put_org_tlvs(&w, pdu);

	if (rc)
		return rc;
	wr_u16(&w, LLDP_TLV_HDR(LLDP_TLV_END, 0));
	return w.err ? -ENOSPC : (int)w.off;
}
