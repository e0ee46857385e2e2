/* SPDX-License-Identifier: ISC */
/*
 * evb_mib.c - the IEEE8021-EVB-MIB objects (names, OIDs, syntax, access)
 * and their rows: index encoding and get-next order for each table, values
 * read from the source's live state (see evb_mib.h).
 */
#include "mib/evb_mib.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vdp/proto.h"

#define P	  "ieee8021BridgeEvb"
#define ROOT	  1, 3, 111, 2, 802, 1, 1, 24
#define COMPONENT 1 /* the one component this agent has */

const uint32_t mib_evb_root[MIB_EVB_ROOT_LEN] = {ROOT};

static struct mib_evb_src *S(void *src)
{
	return src;
}

/* ---------------- rows ---------------- */

struct sys_row {
	struct mib_evb_sys s;
};

struct port_row {
	struct mib_evb_port p;
};

struct vsi_row {
	const struct vdp_vsi *v;
	struct vdp_filter f; /* VSIDBMacTable */
};

/* Is candidate index c (n sub-ids) the one asked for: equal (exact) or
 * after idx (next)? */
static bool idx_wanted(const uint32_t *c, size_t n, const uint32_t *idx, size_t len, bool next)
{
	int r = mib_oid_cmp(c, n, idx, len);

	return next ? r > 0 : r == 0;
}

static bool sys_rows(void *src, int arg, const uint32_t *idx, size_t len, bool next, void *row,
		     struct mib_oid *rowidx)
{
	static const uint32_t zero = 0;
	struct sys_row *r = row;

	(void)arg;
	if (!idx_wanted(&zero, 1, idx, len, next))
		return false;
	S(src)->ops->sys(S(src)->src, &r->s);
	return !mib_idx_put_u32(rowidx, 0);
}

enum port_kind { PORTS_ALL, PORTS_BRIDGE, PORTS_STATION };

/* SbpTable, URPTable and EcpTable: arg is the enum port_kind. */
static bool port_rows(void *src, int kind, const uint32_t *idx, size_t len, bool next, void *row,
		      struct mib_oid *rowidx)
{
	struct port_row *r = row;
	uint32_t after = 0;

	while (S(src)->ops->port_next(S(src)->src, after, &r->p)) {
		uint32_t c[2] = {COMPONENT, r->p.num};

		after = r->p.num;
		if ((kind == PORTS_BRIDGE && !r->p.bridge) ||
		    (kind == PORTS_STATION && r->p.bridge))
			continue;
		if (idx_wanted(c, 2, idx, len, next))
			return !mib_oid_append(rowidx, c, 2);
	}
	return false;
}

struct uap_row {
	struct mib_evb_uap u;
};

struct cap_row {
	uint32_t num;
	int ifindex;
	struct cdcp_chan ch;
};

static bool uap_next(void *src, uint32_t after, struct mib_evb_uap *out)
{
	return S(src)->ops->uap_next && S(src)->ops->uap_next(S(src)->src, after, out);
}

/* UAPConfigTable: index {port}. */
static bool uap_rows(void *src, int arg, const uint32_t *idx, size_t len, bool next, void *row,
		     struct mib_oid *rowidx)
{
	struct uap_row *r = row;
	uint32_t after = 0;

	(void)arg;
	while (uap_next(src, after, &r->u)) {
		after = r->u.num;
		if (idx_wanted(&r->u.num, 1, idx, len, next))
			return !mib_idx_put_u32(rowidx, r->u.num);
	}
	return false;
}

/* A CAP row's SchID: the SVID on a bridge, the SCID on a station (the MIB's
 * SchID description). */
static uint32_t sch_id(const struct mib_evb_uap *u, const struct cdcp_chan *ch)
{
	return u->station ? ch->scid : ch->svid;
}

/* CAPConfigTable: index {port, SchID}; a bridge's channels are sorted by
 * SCID, not SVID, so each port's are searched for the least one wanted. */
static bool cap_rows(void *src, int arg, const uint32_t *idx, size_t len, bool next, void *row,
		     struct mib_oid *rowidx)
{
	struct cap_row *r = row;
	struct mib_evb_uap u;
	uint32_t after = 0;

	(void)arg;
	while (uap_next(src, after, &u)) {
		const struct cdcp_chan *best = NULL;

		after = u.num;
		for (uint16_t i = 0; i < u.nchan; i++) {
			uint32_t c[2] = {u.num, sch_id(&u, &u.chan[i])};

			if (idx_wanted(c, 2, idx, len, next) &&
			    (!best || sch_id(&u, &u.chan[i]) < sch_id(&u, best)))
				best = &u.chan[i];
		}
		if (best) {
			uint32_t c[2] = {u.num, sch_id(&u, best)};

			*r = (struct cap_row){u.num, u.ifindex, *best};
			return !mib_oid_append(rowidx, c, 2);
		}
	}
	return false;
}

#define VSI_IDX_LEN (1 + VDP_VSIID_LEN) /* VSIIDType, VSIID (fixed size: no length) */
#define MAC_IDX_LEN 8			/* GroupID, VSIMac (6), VSIVlanId */

/* Order of a VSI's index (format, VSIID) against s (n sub-ids). */
static int vsi_idx_cmp(const struct vdp_vsi_key *k, const uint32_t *s, size_t n)
{
	for (size_t i = 0; i < VSI_IDX_LEN; i++) {
		uint32_t x = i ? k->id[i - 1] : k->fmt;

		if (i >= n)
			return 1;
		if (x != s[i])
			return x < s[i] ? -1 : 1;
	}
	return n > VSI_IDX_LEN ? -1 : 0;
}

/* First position in sorted[0..n) whose index is >= s (n sub-ids). */
static size_t vsi_lower_bound(const struct vdp_vsi_key *sorted, size_t count, const uint32_t *s,
			      size_t n)
{
	size_t lo = 0, hi = count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (vsi_idx_cmp(&sorted[mid], s, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void filter_idx(const struct vdp_filter *f, uint32_t out[MAC_IDX_LEN])
{
	out[0] = f->group;
	for (int i = 0; i < 6; i++)
		out[1 + i] = f->mac[i];
	out[7] = f->vid;
}

/* The filter of v whose index is the one asked for (exact) or the least
 * one after s (next; s NULL = the least of all).  NULL when none. */
static const struct vdp_filter *filter_pick(const struct vdp_vsi *v, const uint32_t *s, size_t n,
					    bool next)
{
	const struct vdp_filter *f = vsi_filters(v), *best = NULL;
	uint32_t bi[MAC_IDX_LEN], ci[MAC_IDX_LEN];

	for (uint16_t i = 0; i < v->nfilters; i++) {
		filter_idx(&f[i], ci);
		if (s && !idx_wanted(ci, MAC_IDX_LEN, s, n, next))
			continue;
		if (!best || mib_oid_cmp(ci, MAC_IDX_LEN, bi, MAC_IDX_LEN) < 0) {
			best = &f[i];
			memcpy(bi, ci, sizeof(bi));
		}
	}
	return best;
}

/* Where a port's rows stand against idx: the port's index prefix is
 * {component, num}.  -1: all the port's rows come after idx; 0: idx lies
 * in the port (len > 2); 1: all come before (skip the port). */
static int port_vs_idx(uint32_t num, const uint32_t *idx, size_t len)
{
	uint32_t c[2] = {COMPONENT, num};
	int r = mib_oid_cmp(idx, len < 2 ? len : 2, c, 2);

	if (r == 0 && len > 2)
		return 0;
	return r <= 0 ? -1 : 1;
}

static bool vsi_row_fill(uint32_t num, const struct vdp_vsi *v, struct vsi_row *r,
			 struct mib_oid *rowidx)
{
	uint32_t c[3] = {COMPONENT, num, v->key.fmt};

	r->v = v;
	return !mib_oid_append(rowidx, c, 3) &&
	       !mib_idx_put_octets(rowidx, v->key.id, VDP_VSIID_LEN);
}

static bool mac_row_fill(uint32_t num, const struct vdp_vsi *v, const struct vdp_filter *f,
			 struct vsi_row *r, struct mib_oid *rowidx)
{
	uint32_t fi[MAC_IDX_LEN];

	r->f = *f;
	filter_idx(f, fi);
	return vsi_row_fill(num, v, r, rowidx) && !mib_oid_append(rowidx, fi, MAC_IDX_LEN);
}

/* The key s names (VSI_IDX_LEN sub-ids, octets in range), or false. */
static bool idx_key(const uint32_t *s, struct vdp_vsi_key *k)
{
	for (size_t i = 0; i < VSI_IDX_LEN; i++) {
		if (s[i] > 0xff)
			return false;
		if (i)
			k->id[i - 1] = (uint8_t)s[i];
		else
			k->fmt = (uint8_t)s[i];
	}
	return true;
}

/* The row of port num that idx (after the port, sn sub-ids) names exactly:
 * no index needed, the VSI is found by its key. */
static bool vsi_exact(void *src, bool macs, uint32_t num, const uint32_t *s, size_t sn,
		      struct vsi_row *r, struct mib_oid *rowidx)
{
	struct vdp_vsi_key k;
	const struct vdp_vsi *v;
	const struct vdp_filter *f;

	if (sn < VSI_IDX_LEN || (!macs && sn != VSI_IDX_LEN) || !idx_key(s, &k))
		return false;
	v = S(src)->ops->vsi_find(S(src)->src, num, &k);
	if (!v)
		return false;
	if (!macs)
		return vsi_row_fill(num, v, r, rowidx);
	f = filter_pick(v, s + VSI_IDX_LEN, sn - VSI_IDX_LEN, false);
	return f && mac_row_fill(num, v, f, r, rowidx);
}

/* The first row of port num after s (sn sub-ids; s NULL: the port's first). */
static bool vsi_next(void *src, bool macs, uint32_t num, const uint32_t *s, size_t sn,
		     struct vsi_row *r, struct mib_oid *rowidx)
{
	const struct vdp_vsi_key *keys;
	size_t n = S(src)->ops->vsi_keys(S(src)->src, num, &keys), i = 0;

	if (s)
		i = vsi_lower_bound(keys, n, s, sn < VSI_IDX_LEN ? sn : VSI_IDX_LEN);
	for (; i < n; i++) {
		const struct vdp_vsi *v = S(src)->ops->vsi_find(S(src)->src, num, &keys[i]);
		bool here = s && sn >= VSI_IDX_LEN && !vsi_idx_cmp(&keys[i], s, VSI_IDX_LEN);
		const struct vdp_filter *f;

		if (!v || (here && !macs))
			continue; /* gone since the index was built; or the row asked for */
		if (!macs)
			return vsi_row_fill(num, v, r, rowidx);
		f = here ? filter_pick(v, s + VSI_IDX_LEN, sn - VSI_IDX_LEN, true)
			 : filter_pick(v, NULL, 0, true);
		if (f)
			return mac_row_fill(num, v, f, r, rowidx);
	}
	return false;
}

/* VSIDBTable (arg 0) and VSIDBMacTable (arg 1): the VSI (and for the Mac
 * table, the filter) the request names. */
static bool vsi_rows(void *src, int macs, const uint32_t *idx, size_t len, bool next, void *row,
		     struct mib_oid *rowidx)
{
	struct mib_evb_port p;
	uint32_t after = 0;

	while (S(src)->ops->port_next(S(src)->src, after, &p)) {
		int where = port_vs_idx(p.num, idx, len);
		const uint32_t *s = where == 0 ? idx + 2 : NULL;
		size_t sn = where == 0 ? len - 2 : 0;

		after = p.num;
		if (!next && where == 0)
			return vsi_exact(src, macs, p.num, s, sn, row, rowidx);
		if (next && where <= 0 && vsi_next(src, macs, p.num, s, sn, row, rowidx))
			return true;
	}
	return false;
}

/* ---------------- values ---------------- */

static int32_t truth(bool b)
{
	return b ? MIB_TRUE : MIB_FALSE;
}

static uint32_t u32_clamp(uint64_t x)
{
	return x > UINT32_MAX ? UINT32_MAX : (uint32_t)x;
}

static const int sys_knob[14] = {
    [4] = MIB_EVB_LLDP_MANUAL, [7] = MIB_EVB_ECP_MAX_RETRIES, [11] = MIB_EVB_ACK_TIMER_EXP,
    [12] = MIB_EVB_RWD_EXP,    [13] = MIB_EVB_RKA_EXP,
};

static int sys_get(void *src, const struct mib_col *c, const void *row, struct mib_value *v)
{
	const struct mib_evb_sys *s = &((const struct sys_row *)row)->s;

	(void)src;
	switch (c->sub) {
	case 1:
		v->i = s->bridge ? 1 : 2;
		break;
	case 2:
		v->u = s->nports;
		break;
	case 3:
		v->i = MIB_TRUE; /* every port sends the EVB TLV */
		break;
	case 4:
		v->i = truth(s->knob[MIB_EVB_LLDP_MANUAL]);
		break;
	case 5:
		v->i = truth(s->gid);
		break;
	default:
		v->i = s->knob[sys_knob[c->sub]];
	}
	return 0;
}

static int sys_set(void *src, const struct mib_col *c, const void *row, const struct mib_value *v,
		   bool commit, char *err, size_t errlen)
{
	int32_t x = c->sub == 4 ? v->i == MIB_TRUE : v->i;

	(void)row;
	return S(src)->ops->set_knob(S(src)->src, sys_knob[c->sub], x, commit, err, errlen);
}

/* SbpTable (bridge ports) and URPTable (station ports) number the same
 * values differently: one table of values per row, indexed by column. */
static int sbp_get(void *src, const struct mib_col *c, const void *row, struct mib_value *v)
{
	const struct mib_evb_port *p = &((const struct port_row *)row)->p;
	const uint32_t vals[9] = {[3] = (uint32_t)truth(p->manual),
				  [4] = u32_clamp(p->rwd_us),
				  [5] = u32_clamp(p->rka_us),
				  [6] = u32_clamp(p->tout_ka_us),
				  [7] = p->rwd,
				  [8] = p->rka};

	(void)src;
	v->u = vals[c->sub];
	return 0;
}

static int urp_get(void *src, const struct mib_col *c, const void *row, struct mib_value *v)
{
	const struct mib_evb_port *p = &((const struct port_row *)row)->p;
	const uint32_t vals[14] = {[3] = (uint32_t)p->ifindex,
				   [6] = (uint32_t)truth(p->manual),
				   [9] = u32_clamp(p->rwd_us),
				   [10] = u32_clamp(p->resp_wait_us),
				   [11] = u32_clamp(p->rka_us),
				   [12] = p->rwd,
				   [13] = p->rka};

	(void)src;
	v->u = vals[c->sub];
	return 0;
}

static int ecp_get(void *src, const struct mib_col *c, const void *row, struct mib_value *v)
{
	const struct mib_evb_port *p = &((const struct port_row *)row)->p;
	const uint32_t vals[10] = {
	    [3] = u32_clamp(p->ack_us), [4] = p->r,	    [5] = p->tx_frames, [6] = p->tx_retries,
	    [7] = p->tx_failures,	[8] = p->rx_frames, [9] = p->rte};

	(void)src;
	v->u = vals[c->sub];
	return 0;
}

static int port_set_manual(void *src, const struct mib_col *c, const void *row,
			   const struct mib_value *v, bool commit, char *err, size_t errlen)
{
	const struct mib_evb_port *p = &((const struct port_row *)row)->p;

	(void)c;
	return S(src)->ops->set_port_manual(S(src)->src, p->num, v->i == MIB_TRUE, commit, err,
					    errlen);
}

/* VsiOperReason BITS: success(0) invalidFormat(1) insufficientResources(2)
 * otherfailure(3); bit 0 is the first octet's high bit.  The wire's six
 * reasons (802.1Qbg-2012 41.2.3) fold into these four. */
static uint8_t reason_bits(const struct vdp_vsi *v)
{
	switch (v->reason) {
	case 0:
		return 0x80;
	case 1:
		return 0x40;
	case 2:
		return 0x20;
	default:
		return 0x10;
	}
}

/* VSIMvFormat (deprecated): basic(1) for MAC/VID lists, vlanOnly(3) for
 * VID-only formats; evbd never sends a partial list. */
static int32_t mv_format(uint8_t fif)
{
	return fif == VDP_FIF_VID || fif == VDP_FIF_GROUPVID ? 3 : 1;
}

static void octets(struct mib_value *v, const uint8_t *s, uint8_t n)
{
	memcpy(v->s, s, n);
	v->len = n;
}

static int vsi_get(void *src, const struct mib_col *c, const void *row, struct mib_value *v)
{
	const struct vsi_row *r = row;
	const struct vdp_vsi *x = r->v;
	uint8_t cmd = x->cmd ? x->cmd : x->confirmed;
	struct mib_evb_sys sys;

	if (c->sub == 5 || c->sub == 19) /* the clocks, for the two columns of time */
		S(src)->ops->sys(S(src)->src, &sys);
	switch (c->sub) {
	case 5:
		v->u = u32_clamp((sys.now_us - x->created) / 10000);
		break;
	case 6:
		v->i = cmd ? cmd : VDP_TLV_DEASSOC;
		break;
	case 7:
		v->i = truth(x->status & VDP_STATUS_KEEP);
		break;
	case 8:
		v->i = truth(x->status & VDP_STATUS_HARD);
		break;
	case 9:
		v->s[0] = reason_bits(x);
		v->len = 1;
		break;
	case 10:
		octets(v, &x->mgrid[VDP_MGRID_LEN - 1], 1);
		break;
	case 11:
		v->i = (int32_t)x->type_id;
		break;
	case 12:
		octets(v, &x->type_ver, 1);
		break;
	case 13:
		v->i = mv_format(x->fif);
		break;
	case 14:
		v->i = x->nfilters;
		break;
	case 15:
		v->i = x->confirmed ? x->confirmed : VDP_TLV_DEASSOC;
		break;
	case 16:
		v->u = x->n_ok;
		break;
	case 17:
		v->u = x->n_fail;
		break;
	case 18:
		v->u = x->n_revert;
		break;
	case 19: /* the counters started with the VSI */
		v->u =
		    x->created > sys.start_us ? u32_clamp((x->created - sys.start_us) / 10000) : 0;
		break;
	case 20:
		octets(v, x->mgrid, VDP_MGRID_LEN);
		break;
	default: /* 21 */
		v->i = x->fif;
	}
	return 0;
}

/* UAPConfigTable: read-only here (evbd.conf holds the settings). */
static int uap_get(void *src, const struct mib_col *c, const void *row, struct mib_value *v)
{
	const struct mib_evb_uap *u = &((const struct uap_row *)row)->u;
	const int32_t role = u->station ? 2 : 1, remote_role = u->remote_station ? 2 : 1;
	const int32_t vals[15] = {[1] = COMPONENT,
				  [2] = (int32_t)u->num,
				  [3] = u->ifindex,
				  [4] = 1, /* enable: only ports running CDCP have rows */
				  [5] = role,
				  [6] = u->admin_chncap,
				  [7] = u->oper_chncap,
				  [8] = u->pool_low,
				  [9] = u->pool_high,
				  [10] = u->running ? 1 : 2,
				  [11] = u->remote ? 1 : 2,
				  [12] = u->remote ? remote_role : (u->station ? 1 : 2),
				  [13] = 5, /* readOnly: evbd.conf's, not SNMP's */
				  [14] = 1 /* active */};

	(void)src;
	v->i = vals[c->sub];
	return 0;
}

static int cap_get(void *src, const struct mib_col *c, const void *row, struct mib_value *v)
{
	const struct cap_row *r = row;
	const uint32_t vals[9] = {
	    [2] = COMPONENT, [3] = 0 /* no S-channel device yet */, [5] = r->ch.scid, [8] = 1};

	(void)src;
	v->u = vals[c->sub];
	return 0;
}

static int mac_get(void *src, const struct mib_col *c, const void *row, struct mib_value *v)
{
	(void)src;
	(void)c;
	v->u = ((const struct vsi_row *)row)->f.vid;
	return 0;
}

/* ---------------- the objects ---------------- */

static const struct mib_enum e_truth[] = {{1, "true"}, {2, "false"}, {0, NULL}};
static const struct mib_enum e_systype[] = {{1, "evbBridge"}, {2, "evbStation"}, {0, NULL}};
static const struct mib_enum e_cmd[] = {{1, "preAssociate"},
					{2, "preAssociateWithRsrcReservation"},
					{3, "associate"},
					{4, "deAssociate"},
					{0, NULL}};
static const struct mib_enum e_mv[] = {{1, "basic"}, {2, "partial"}, {3, "vlanOnly"}, {0, NULL}};
static const struct mib_enum e_fif[] = {
    {1, "vid"}, {2, "macVid"}, {3, "groupidVid"}, {4, "groupidMacVid"}, {0, NULL}};

#define RO(sub, name, type, get)                                                                   \
	{                                                                                          \
		sub, P name, type, MIB_RO, 0, 0, NULL, get, NULL                                   \
	}
#define RO_E(sub, name, enums, get)                                                                \
	{                                                                                          \
		sub, P name, MIB_INTEGER, MIB_RO, 0, 0, enums, get, NULL                           \
	}
#define RW(sub, name, min, max, enums, get, set)                                                   \
	{                                                                                          \
		sub, P name, MIB_INTEGER, MIB_RW, min, max, enums, get, set                        \
	}

static const struct mib_col sys_cols[] = {
    RO_E(1, "SysType", e_systype, sys_get),
    RO(2, "SysNumExternalPorts", MIB_UNSIGNED32, sys_get),
    RO_E(3, "SysEvbLldpTxEnable", e_truth, sys_get),
    RW(4, "SysEvbLldpManual", 1, 2, e_truth, sys_get, sys_set),
    RO_E(5, "SysEvbLldpGidCapable", e_truth, sys_get),
    RW(7, "SysEcpMaxRetries", 0, EVB_R_MAX, NULL, sys_get, sys_set),
    RW(11, "SysEcpDfltAckTimerExp", 0, EVB_EXP_MAX, NULL, sys_get, sys_set),
    RW(12, "SysVdpDfltRsrcWaitDelayExp", 0, EVB_EXP_MAX, NULL, sys_get, sys_set),
    RW(13, "SysVdpDfltReinitKeepAliveExp", 0, EVB_EXP_MAX, NULL, sys_get, sys_set),
};

static const struct mib_col sbp_cols[] = {
    RW(3, "SbpLldpManual", 1, 2, e_truth, sbp_get, port_set_manual),
    RO(4, "SbpVdpOperRsrcWaitDelay", MIB_UNSIGNED32, sbp_get),
    RO(5, "SbpVdpOperReinitKeepAlive", MIB_UNSIGNED32, sbp_get),
    RO(6, "SbpVdpOperToutKeepAlive", MIB_UNSIGNED32, sbp_get),
    RO(7, "SbpVdpOperRsrcWaitDelayExp", MIB_UNSIGNED32, sbp_get),
    RO(8, "SbpVdpOperReinitKeepAliveExp", MIB_UNSIGNED32, sbp_get),
};

static const struct mib_col urp_cols[] = {
    RO(3, "URPIfIndex", MIB_INTEGER, urp_get),
    RW(6, "URPLldpManual", 1, 2, e_truth, urp_get, port_set_manual),
    RO(9, "URPVdpOperRsrcWaitDelay", MIB_UNSIGNED32, urp_get),
    RO(10, "URPVdpOperRespWaitDelay", MIB_UNSIGNED32, urp_get),
    RO(11, "URPVdpOperReinitKeepAlive", MIB_UNSIGNED32, urp_get),
    RO(12, "URPVdpOperRsrcWaitDelayExp", MIB_UNSIGNED32, urp_get),
    RO(13, "URPVdpOperReinitKeepAliveExp", MIB_UNSIGNED32, urp_get),
};

static const struct mib_col ecp_cols[] = {
    RO(3, "EcpOperAckTimerInit", MIB_UNSIGNED32, ecp_get),
    RO(4, "EcpOperMaxRetries", MIB_UNSIGNED32, ecp_get),
    RO(5, "EcpTxFrameCount", MIB_COUNTER32, ecp_get),
    RO(6, "EcpTxRetryCount", MIB_COUNTER32, ecp_get),
    RO(7, "EcpTxFailures", MIB_COUNTER32, ecp_get),
    RO(8, "EcpRxFrameCount", MIB_COUNTER32, ecp_get),
    RO(9, "EcpOperAckTimerInitExp", MIB_UNSIGNED32, ecp_get),
};

static const struct mib_col vsi_cols[] = {
    RO(5, "VSITimeSinceCreate", MIB_UNSIGNED32, vsi_get),
    RO_E(6, "VsiVdpOperCmd", e_cmd, vsi_get),
    RO_E(7, "VsiOperRevert", e_truth, vsi_get),
    RO_E(8, "VsiOperHard", e_truth, vsi_get),
    RO(9, "VsiOperReason", MIB_OCTETS, vsi_get),
    RO(10, "VSIMgrID", MIB_OCTETS, vsi_get),
    RO(11, "VSIType", MIB_INTEGER, vsi_get),
    RO(12, "VSITypeVersion", MIB_OCTETS, vsi_get),
    RO_E(13, "VSIMvFormat", e_mv, vsi_get),
    RO(14, "VSINumMACs", MIB_INTEGER, vsi_get),
    RO_E(15, "VDPMachineState", e_cmd, vsi_get),
    RO(16, "VDPCommandsSucceeded", MIB_COUNTER32, vsi_get),
    RO(17, "VDPCommandsFailed", MIB_COUNTER32, vsi_get),
    RO(18, "VDPCommandReverts", MIB_COUNTER32, vsi_get),
    RO(19, "VDPCounterDiscontinuity", MIB_TIMETICKS, vsi_get),
    RO(20, "VSIMgrID16", MIB_OCTETS, vsi_get),
    RO_E(21, "VSIFilterFormat", e_fif, vsi_get),
};

static const struct mib_enum e_enable[] = {{1, "enable"}, {2, "disable"}, {0, NULL}};
static const struct mib_enum e_role[] = {{1, "cdcpRoleB"}, {2, "cdcpRoleS"}, {0, NULL}};
static const struct mib_enum e_running[] = {{1, "running"}, {2, "notRunning"}, {0, NULL}};
static const struct mib_enum e_storage[] = {{1, "other"},     {2, "volatile"}, {3, "nonVolatile"},
					    {4, "permanent"}, {5, "readOnly"}, {0, NULL}};
static const struct mib_enum e_rowstatus[] = {
    {1, "active"},	  {2, "notInService"}, {3, "notReady"}, {4, "createAndGo"},
    {5, "createAndWait"}, {6, "destroy"},      {0, NULL}};

static const struct mib_col uap_cols[] = {
    RO(1, "UAPComponentId", MIB_UNSIGNED32, uap_get),
    RO(2, "UAPPort", MIB_UNSIGNED32, uap_get),
    RO(3, "UapConfigIfIndex", MIB_INTEGER, uap_get),
    RO_E(4, "UAPSchCdcpAdminEnable", e_enable, uap_get),
    RO_E(5, "UAPSchAdminCDCPRole", e_role, uap_get),
    RO(6, "UAPSchAdminCDCPChanCap", MIB_INTEGER, uap_get),
    RO(7, "UAPSchOperCDCPChanCap", MIB_INTEGER, uap_get),
    RO(8, "UAPSchAdminCDCPSVIDPoolLow", MIB_UNSIGNED32, uap_get),
    RO(9, "UAPSchAdminCDCPSVIDPoolHigh", MIB_UNSIGNED32, uap_get),
    RO_E(10, "UAPSchOperState", e_running, uap_get),
    RO_E(11, "SchCdcpRemoteEnabled", e_enable, uap_get),
    RO_E(12, "SchCdcpRemoteRole", e_role, uap_get),
    RO_E(13, "UAPConfigStorageType", e_storage, uap_get),
    RO_E(14, "UAPConfigRowStatus", e_rowstatus, uap_get),
};

static const struct mib_col cap_cols[] = {
    RO(2, "CAPComponentId", MIB_UNSIGNED32, cap_get),
    RO(3, "CapConfigIfIndex", MIB_INTEGER, cap_get),
    RO(5, "CAPSChannelID", MIB_UNSIGNED32, cap_get),
    RO_E(8, "CAPRowStatus", e_rowstatus, cap_get),
};

static const struct mib_col mac_cols[] = {
    RO(3, "VSIVlanId", MIB_UNSIGNED32, mac_get),
};

static const uint32_t oid_root[] = {ROOT};
static const uint32_t oid_objects[] = {ROOT, 1};
static const uint32_t oid_sys[] = {ROOT, 1, 1};
static const uint32_t oid_sbp[] = {ROOT, 1, 1, 10, 1};
static const uint32_t oid_vsidb_objs[] = {ROOT, 1, 2};
static const uint32_t oid_vsidb[] = {ROOT, 1, 2, 1, 1};
static const uint32_t oid_vsimac[] = {ROOT, 1, 2, 2, 1};
static const uint32_t oid_sch[] = {ROOT, 1, 3};
static const uint32_t oid_uap[] = {ROOT, 1, 3, 1, 1};
static const uint32_t oid_cap[] = {ROOT, 1, 3, 2, 1};
static const uint32_t oid_urp[] = {ROOT, 1, 3, 3, 1};
static const uint32_t oid_ecp[] = {ROOT, 1, 3, 4, 1};

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define GROUP(name, entry, oid, cols, rowtype, rows, arg)                                          \
	{                                                                                          \
		P name, entry, oid, N(oid), cols, N(cols), sizeof(rowtype), arg, rows              \
	}

static const struct mib_group groups[] = {
    GROUP("Sys", NULL, oid_sys, sys_cols, struct sys_row, sys_rows, 0),
    GROUP("SbpTable", P "SbpEntry", oid_sbp, sbp_cols, struct port_row, port_rows, PORTS_BRIDGE),
    GROUP("VSIDBTable", P "VSIDBEntry", oid_vsidb, vsi_cols, struct vsi_row, vsi_rows, 0),
    GROUP("VSIDBMacTable", P "VSIDBMacEntry", oid_vsimac, mac_cols, struct vsi_row, vsi_rows, 1),
    GROUP("UAPConfigTable", P "UAPConfigEntry", oid_uap, uap_cols, struct uap_row, uap_rows, 0),
    GROUP("CAPConfigTable", P "CAPConfigEntry", oid_cap, cap_cols, struct cap_row, cap_rows, 0),
    GROUP("URPTable", P "URPEntry", oid_urp, urp_cols, struct port_row, port_rows, PORTS_STATION),
    GROUP("EcpTable", P "EcpEntry", oid_ecp, ecp_cols, struct port_row, port_rows, PORTS_ALL),
};

static const struct mib_node nodes[] = {
    {P "Mib", oid_root, N(oid_root)},
    {P "Objects", oid_objects, N(oid_objects)},
    {P "VSIDBObjects", oid_vsidb_objs, N(oid_vsidb_objs)},
    {P "SChannelObjects", oid_sch, N(oid_sch)},
};

_Static_assert(sizeof(struct vsi_row) <= MIB_ROW_MAX, "row buffer too small");
_Static_assert(sizeof(struct port_row) <= MIB_ROW_MAX, "row buffer too small");
_Static_assert(sizeof(struct uap_row) <= MIB_ROW_MAX, "row buffer too small");

int mib_evb_init(struct mib_evb *m, const struct mib_evb_ops *ops, void *src)
{
	m->src = (struct mib_evb_src){ops, src};
	return mib_tree_init(&m->tree, mib_evb_root, MIB_EVB_ROOT_LEN, groups, N(groups), nodes,
			     N(nodes), &m->src);
}

static void none_sys(void *src, struct mib_evb_sys *out)
{
	(void)src;
	memset(out, 0, sizeof(*out));
}

static bool none_port(void *src, uint32_t after, struct mib_evb_port *out)
{
	(void)src, (void)after, (void)out;
	return false;
}

static size_t none_keys(void *src, uint32_t num, const struct vdp_vsi_key **sorted)
{
	(void)src, (void)num;
	*sorted = NULL;
	return 0;
}

static const struct vdp_vsi *none_find(void *src, uint32_t num, const struct vdp_vsi_key *k)
{
	(void)src, (void)num, (void)k;
	return NULL;
}

static int none_knob(void *src, enum mib_evb_knob k, int32_t v, bool commit, char *err,
		     size_t errlen)
{
	(void)src, (void)k, (void)v, (void)commit;
	snprintf(err, errlen, "this tree has no source to write to.");
	return MIB_ERR_NOT_WRITABLE;
}

static int none_manual(void *src, uint32_t num, bool manual, bool commit, char *err, size_t errlen)
{
	(void)num, (void)manual;
	return none_knob(src, 0, 0, commit, err, errlen);
}

int mib_evb_names(struct mib_evb *m)
{
	static const struct mib_evb_ops none = {none_sys,  none_port, none_keys,
						none_find, none_knob, none_manual};

	return mib_evb_init(m, &none, NULL);
}

void mib_evb_free(struct mib_evb *m)
{
	mib_tree_free(&m->tree);
}
