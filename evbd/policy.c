/* SPDX-License-Identifier: ISC */
/*
 * policy.c - the bridge's decisions on VSI requests (see policy.h): the
 * per-port index (three chained hash maps over one node type: VSI key ->
 * what the VSI holds, MAC/VLAN pair -> holder, type -> count), the checks
 * against the VSI type database in order, and the glue to the daemon's
 * ports (the decide callback, ending the VSIs of a removed type).
 *
 * Refusals (802.1Qbg-2012 41.2.3).  KEEP is set when the VSI has a state in force
 * (the refused request leaves it as it was); otherwise the reply is a
 * De-Associate and the VSI ends.  HARD marks what cannot succeed until the
 * request or the database changes; soft refusals may succeed later as is.
 *
 *   case                                          reason                    HARD
 *   the fleet's etcd out of reach for longer      3 unable to contact the   no
 *     than cache-grace (evbd/cluster.h)             VSI manager
 *   Group ID filter format, Group IDs not         1 invalid format          no
 *     negotiated on the port (as vdp_port's own
 *     check, which runs first; negotiation may
 *     still change)
 *   type ID + version not in the database and     4 other failure           yes
 *     no default entry
 *   filter format not allowed by the type         1 invalid format          yes
 *   a VLAN not allowed by the type, or VID 0      5 invalid VID/group/MAC   yes
 *     when the type has no assign-vlan
 *   PS set with a PCP other than the type's       4 other failure           yes
 *   MAC/VLAN held by another VSI on the port      5 invalid VID/group/MAC   no
 *   the type's per-port limit reached             2 insufficient resources  no
 *   no memory for the index                       2 insufficient resources  no
 */
#include "evbd/policy.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evbd/cluster.h"
#include "evbd/evbd.h"
#include "evbd/log.h"
#include "vdp/vdp_port.h"

/* ---------------- hash maps ---------------- */

struct pnode {
	struct pnode *next;
	uint64_t key;
	void *val;
};

struct pmap {
	struct pnode **b;
	size_t nb; /* a power of two, 0 before the first node */
	size_t n;
};

/* What one VSI holds. */
struct prec {
	struct vdp_vsi_key key;
	uint64_t type; /* type_key() */
	uint16_t npairs;
	uint64_t pairs[]; /* pair_key() of each MAC filter */
};

struct policy_port {
	bool indexed;	   /* built from the port's VSI table (database mode) */
	struct pmap vsis;  /* hash of the VSI key -> struct prec */
	struct pmap pairs; /* pair_key -> struct prec holding it */
	struct pmap types; /* type_key -> count (as uintptr_t) */
	struct vdp_filter filt[VDP_MAX_FILTERS]; /* a grant's filters */
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static struct pnode **bucket(const struct pmap *m, uint64_t key)
{
	return &m->b[mix(key) & (m->nb - 1)];
}

static void pmap_grow(struct pmap *m)
{
	size_t nb = m->nb ? m->nb * 2 : 64;
	struct pnode **b = calloc(nb, sizeof(*b));

	if (!b)
		return; /* longer chains, still correct */
	for (size_t i = 0; i < m->nb; i++) {
		struct pnode *x = m->b[i];
		while (x) {
			struct pnode *next = x->next;
			struct pnode **to = &b[mix(x->key) & (nb - 1)];
			x->next = *to;
			*to = x;
			x = next;
		}
	}
	free(m->b);
	m->b = b;
	m->nb = nb;
}

static struct pnode *pmap_add(struct pmap *m, uint64_t key, void *val)
{
	struct pnode *x;

	if (m->n >= m->nb)
		pmap_grow(m);
	if (!m->nb || !(x = malloc(sizeof(*x))))
		return NULL;
	x->key = key;
	x->val = val;
	x->next = *bucket(m, key);
	*bucket(m, key) = x;
	m->n++;
	return x;
}

/* The first node with this key, or the next one after x. */
static struct pnode *pmap_next(const struct pmap *m, uint64_t key, struct pnode *x)
{
	x = x ? x->next : m->nb ? *bucket(m, key) : NULL;
	while (x && x->key != key)
		x = x->next;
	return x;
}

/* Remove the node (key, val); false when there is none. */
static bool pmap_del(struct pmap *m, uint64_t key, const void *val)
{
	if (!m->nb)
		return false;
	for (struct pnode **pp = bucket(m, key); *pp; pp = &(*pp)->next) {
		if ((*pp)->key == key && (*pp)->val == val) {
			struct pnode *x = *pp;
			*pp = x->next;
			free(x);
			m->n--;
			return true;
		}
	}
	return false;
}

static void pmap_free(struct pmap *m, bool free_vals)
{
	for (size_t i = 0; i < m->nb; i++) {
		struct pnode *x = m->b[i];
		while (x) {
			struct pnode *next = x->next;
			if (free_vals)
				free(x->val);
			free(x);
			x = next;
		}
	}
	free(m->b);
	memset(m, 0, sizeof(*m));
}

/* ---------------- keys ---------------- */

static uint64_t vsi_key_hash(const struct vdp_vsi_key *k)
{
	uint64_t h = 1469598103934665603ull ^ k->fmt;

	for (size_t i = 0; i < VDP_VSIID_LEN; i++)
		h = (h ^ k->id[i]) * 1099511628211ull;
	return h;
}

static uint64_t type_key(uint32_t id, uint8_t ver)
{
	return (uint64_t)id << 8 | ver;
}

static uint64_t pair_key(const uint8_t mac[6], uint16_t vid)
{
	uint64_t k = 0;

	for (int i = 0; i < 6; i++)
		k = k << 8 | mac[i];
	return k << 16 | vid;
}

static bool key_eq(const struct vdp_vsi_key *a, const struct vdp_vsi_key *b)
{
	return a->fmt == b->fmt && !memcmp(a->id, b->id, VDP_VSIID_LEN);
}

static bool fif_has_mac(uint8_t fif)
{
	return fif == VDP_FIF_MACVID || fif == VDP_FIF_GROUPMACVID;
}

static bool fif_has_group(uint8_t fif)
{
	return fif == VDP_FIF_GROUPVID || fif == VDP_FIF_GROUPMACVID;
}

/* ---------------- the index ---------------- */

struct policy_port *policy_port_new(void)
{
	return calloc(1, sizeof(struct policy_port));
}

static void index_clear(struct policy_port *pp)
{
	pmap_free(&pp->pairs, false);
	pmap_free(&pp->types, false);
	pmap_free(&pp->vsis, true);
	pp->indexed = false;
}

void policy_port_free(struct policy_port *pp)
{
	if (!pp)
		return;
	index_clear(pp);
	free(pp);
}

static struct prec *rec_find(const struct policy_port *pp, const struct vdp_vsi_key *k)
{
	uint64_t h = vsi_key_hash(k);

	for (struct pnode *x = pmap_next(&pp->vsis, h, NULL); x; x = pmap_next(&pp->vsis, h, x))
		if (key_eq(&((struct prec *)x->val)->key, k))
			return x->val;
	return NULL;
}

/* Count of a type: +1 / -1.  0 or -ENOMEM. */
static int type_adjust(struct policy_port *pp, uint64_t type, int by)
{
	struct pnode *x = pmap_next(&pp->types, type, NULL);
	uintptr_t n = x ? (uintptr_t)x->val : 0;

	if (!x && by > 0)
		return pmap_add(&pp->types, type, (void *)(uintptr_t)1) ? 0 : -ENOMEM;
	if (!x)
		return 0;
	n = by > 0 ? n + 1 : n - 1;
	if (n)
		x->val = (void *)n;
	else
		pmap_del(&pp->types, type, x->val);
	return 0;
}

/* Take r out of the maps (whatever of it is there) and free it. */
static void rec_drop(struct policy_port *pp, struct prec *r, bool counted)
{
	for (uint16_t i = 0; i < r->npairs; i++)
		pmap_del(&pp->pairs, r->pairs[i], r);
	if (counted)
		type_adjust(pp, r->type, -1);
	pmap_del(&pp->vsis, vsi_key_hash(&r->key), r);
	free(r);
}

void policy_unbind(struct policy_port *pp, const struct vdp_vsi_key *k)
{
	struct prec *r = pp ? rec_find(pp, k) : NULL;

	if (r)
		rec_drop(pp, r, true);
}

static struct prec *rec_new(const struct vdp_vsi_key *k, uint32_t type_id, uint8_t type_ver,
			    uint8_t fif, const struct vdp_filter *f, uint16_t n)
{
	uint16_t np = fif_has_mac(fif) ? n : 0;
	struct prec *r = malloc(sizeof(*r) + np * sizeof(r->pairs[0]));

	if (!r)
		return NULL;
	r->key = *k;
	r->type = type_key(type_id, type_ver);
	r->npairs = np;
	for (uint16_t i = 0; i < np; i++)
		r->pairs[i] = pair_key(f[i].mac, f[i].vid);
	return r;
}

int policy_bind(struct policy_port *pp, const struct vdp_vsi_key *k, uint32_t type_id,
		uint8_t type_ver, uint8_t fif, const struct vdp_filter *f, uint16_t n)
{
	struct prec *r;

	if (!pp)
		return 0;
	policy_unbind(pp, k);
	r = rec_new(k, type_id, type_ver, fif, f, n);
	if (!r)
		return -ENOMEM;
	if (!pmap_add(&pp->vsis, vsi_key_hash(k), r)) {
		free(r);
		return -ENOMEM;
	}
	uint16_t added = 0;
	while (added < r->npairs && pmap_add(&pp->pairs, r->pairs[added], r))
		added++;
	if (added < r->npairs || type_adjust(pp, r->type, +1)) {
		r->npairs = added;
		rec_drop(pp, r, false);
		return -ENOMEM;
	}
	return 0;
}

size_t policy_bound(const struct policy_port *pp)
{
	return pp ? pp->vsis.n : 0;
}

uint32_t policy_type_count(const struct policy_port *pp, uint32_t type_id, uint8_t type_ver)
{
	struct pnode *x = pp ? pmap_next(&pp->types, type_key(type_id, type_ver), NULL) : NULL;

	return x ? (uint32_t)(uintptr_t)x->val : 0;
}

const struct vdp_vsi_key *policy_pair_owner(const struct policy_port *pp, const uint8_t mac[6],
					    uint16_t vid, const struct vdp_vsi_key *except)
{
	uint64_t key = pair_key(mac, vid);

	if (!pp)
		return NULL;
	for (struct pnode *x = pmap_next(&pp->pairs, key, NULL); x;
	     x = pmap_next(&pp->pairs, key, x)) {
		const struct prec *r = x->val;
		if (!except || !key_eq(&r->key, except))
			return &r->key;
	}
	return NULL;
}

/* ---------------- the checks ---------------- */

struct refusal {
	uint8_t reason;
	bool hard;
};

__attribute__((format(printf, 5, 6))) static struct refusal
refuse(char *why, size_t cap, uint8_t reason, bool hard, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, cap, fmt, ap);
	va_end(ap);
	return (struct refusal){.reason = reason, .hard = hard};
}

static const struct refusal granted = {0};

static void mac_text(const uint8_t *m, char *buf, size_t cap)
{
	snprintf(buf, cap, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* VLAN and PCP of filter i (1-based in sentences) against the type; the
 * answer's entry in *out. */
static struct refusal check_filter(const struct vsitype *e, const char *ts, unsigned i,
				   const struct vdp_filter *f, struct vdp_filter *out, char *why,
				   size_t cap)
{
	*out = *f;
	if (!f->vid && !e->assign_vid)
		return refuse(why, cap, VDP_RSN_INVALID_ID, true,
			      "filter %u asks the bridge to choose the VLAN (VID 0) but %s has no "
			      "assign-vlan",
			      i, ts);
	if (!f->vid)
		out->vid = e->assign_vid;
	else if (!vidset_has(&e->vids, f->vid))
		return refuse(why, cap, VDP_RSN_INVALID_ID, true,
			      "filter %u: VLAN %u is not allowed for %s", i, f->vid, ts);
	if (e->pcp < 0)
		return granted;
	if (f->ps && f->pcp != e->pcp)
		return refuse(why, cap, VDP_RSN_OTHER, true,
			      "filter %u asks for priority %u but %s gives priority %d", i, f->pcp,
			      ts, e->pcp);
	out->ps = true;
	out->pcp = (uint8_t)e->pcp;
	return granted;
}

/* MAC/VLAN pairs of the answer held by another VSI of the port. */
static struct refusal check_pairs(const struct policy_port *pp, const struct vdp_vsi *v,
				  const struct vdp_filter *out, char *why, size_t cap)
{
	if (!fif_has_mac(v->fif))
		return granted;
	for (uint16_t i = 0; i < v->nfilters; i++) {
		const struct vdp_vsi_key *o =
		    policy_pair_owner(pp, out[i].mac, out[i].vid, &v->key);
		char mac[18], id[64];
		if (!o)
			continue;
		mac_text(out[i].mac, mac, sizeof(mac));
		return refuse(why, cap, VDP_RSN_INVALID_ID, false,
			      "filter %u: MAC %s on VLAN %u is held by VSI %s on this port", i + 1,
			      mac, out[i].vid, vdp_vsiid_str(o->fmt, o->id, id, sizeof(id)));
	}
	return granted;
}

static struct refusal check_limit(const struct policy_port *pp, const struct vsitype *e,
				  const char *ts, const struct vdp_vsi *v, char *why, size_t cap)
{
	uint64_t t = type_key(v->type_id, v->type_ver);
	const struct prec *r = rec_find(pp, &v->key);
	uint32_t n = policy_type_count(pp, v->type_id, v->type_ver);

	if (r && r->type == t)
		n--; /* v itself (e.g. Pre-Associate -> Associate) */
	if (!e->max_per_port || n < e->max_per_port)
		return granted;
	return refuse(why, cap, VDP_RSN_NO_RESOURCES, false,
		      "the port already holds %u VSIs of %s, the limit of %s", n, ts,
		      e->id == VSITYPE_DEFAULT ? "the default type" : "the type");
}

/* Every check in table order; the answer's filters in pp->filt. */
static struct refusal check(struct policy_port *pp, const struct policy_in *in,
			    const struct vdp_vsi *v, char *why, size_t cap)
{
	const struct vdp_filter *f = vsi_filters(v);
	const struct vsitype *e;
	char ts[48];
	struct refusal r;

	if (in->no_manager)
		return refuse(why, cap, VDP_RSN_NO_MANAGER, false,
			      "the fleet's VSI type database (etcd) has been out of reach for "
			      "longer than cache-grace");
	if (fif_has_group(v->fif) && !in->gid_ok)
		return refuse(why, cap, VDP_RSN_INVALID_FMT, false,
			      "filter format %s needs Group IDs, which are not negotiated on this "
			      "port",
			      vdp_fif_name(v->fif));
	vsitype_key_str(v->type_id, v->type_ver, ts, sizeof(ts));
	e = vsitype_db_match(in->db, v->type_id, v->type_ver);
	if (!e)
		return refuse(why, cap, VDP_RSN_OTHER, true,
			      "%s is not in the VSI type database, which has no default entry", ts);
	if (e->id == VSITYPE_DEFAULT)
		snprintf(ts + strlen(ts), sizeof(ts) - strlen(ts), " (default entry)");
	if (v->fif > 7 || !(e->formats & 1u << v->fif))
		return refuse(why, cap, VDP_RSN_INVALID_FMT, true,
			      "filter format %s is not allowed for %s", vdp_fif_name(v->fif), ts);
	for (uint16_t i = 0; i < v->nfilters; i++) {
		r = check_filter(e, ts, i + 1u, &f[i], &pp->filt[i], why, cap);
		if (r.reason)
			return r;
	}
	r = check_pairs(pp, v, pp->filt, why, cap);
	return r.reason ? r : check_limit(pp, e, ts, v, why, cap);
}

int policy_decide(struct policy_port *pp, const struct policy_in *in, const struct vdp_vsi *v,
		  struct vdp_decision *dec, char *why, size_t cap)
{
	struct refusal r = granted;

	*dec = (struct vdp_decision){.verdict = VDP_GRANT};
	if (cap)
		why[0] = '\0';
	if (in->mode != POLICY_DATABASE)
		return 0;
	if (!pp)
		r = refuse(why, cap, VDP_RSN_NO_RESOURCES, false, "the port has no policy index");
	else
		r = check(pp, in, v, why, cap);
	if (!r.reason) {
		dec->filters = pp->filt;
		dec->nfilters = v->nfilters;
		if (policy_bind(pp, &v->key, v->type_id, v->type_ver, v->fif, pp->filt,
				v->nfilters))
			r = refuse(why, cap, VDP_RSN_NO_RESOURCES, false,
				   "no memory to record the VSI's resources");
	}
	if (!r.reason)
		return 0;
	*dec = (struct vdp_decision){.verdict = v->confirmed ? VDP_REFUSE_KEEP : VDP_REFUSE,
				     .reason = r.reason,
				     .hard = r.hard};
	return 0;
}

/* ---------------- the daemon's ports ---------------- */

static const char *cmd_word(uint8_t cmd)
{
	switch (cmd) {
	case VDP_TLV_PREASSOC:
		return "preassociate";
	case VDP_TLV_PREASSOC_RR:
		return "preassociate (with RR)";
	case VDP_TLV_ASSOC:
		return "associate";
	}
	return "change";
}

int policy_index_table(struct policy_port *pp, const struct vsi_table *t)
{
	struct vsi_cursor c = {0};
	const struct vdp_vsi *v;
	int err = 0;

	if (!pp)
		return 0;
	index_clear(pp);
	while (!err && (v = vsi_table_next(t, &c)))
		if (v->confirmed)
			err = policy_bind(pp, &v->key, v->type_id, v->type_ver, v->fif,
					  vsi_filters(v), v->nfilters);
	if (err)
		index_clear(pp);
	pp->indexed = !err;
	return err;
}

/* The port's index as its mode wants it: built from the VSI table in
 * database mode (after a start or a switch from open), empty in open mode.
 * NULL when it cannot be built. */
static struct policy_port *index_of(struct evbd_port *p)
{
	struct policy_port *pp = p->policy;

	if (!pp || p->conf.policy != POLICY_DATABASE) {
		if (pp && (pp->indexed || pp->vsis.n))
			index_clear(pp);
		return pp;
	}
	if (!pp->indexed && policy_index_table(pp, &p->vdp.vsis)) {
		log_err("%s: no memory to index the port's VSIs for the bridge policy", p->ifname);
		return NULL;
	}
	return pp;
}

int policy_decide_cb(void *ctx, struct vdp_port *vp, const struct vdp_vsi *v,
		     struct vdp_decision *dec)
{
	struct evbd_port *p = ctx;
	struct policy_in in = {.mode = p->conf.policy,
			       .db = p->d->types,
			       .gid_ok = vp->oper.gid,
			       .no_manager = cluster_cache_expired(p->d->cluster)};
	char why[256], id[64];
	int rc = policy_decide(index_of(p), &in, v, dec, why, sizeof(why));

	if (rc || dec->verdict == VDP_GRANT)
		return rc;
	log_info("%s: refused to %s VSI %s: %s (reason %u, %s%s%s)", p->ifname, cmd_word(v->cmd),
		 vdp_vsiid_str(v->key.fmt, v->key.id, id, sizeof(id)), why, dec->reason,
		 vdp_reason_name(dec->reason), dec->hard ? ", hard" : "",
		 dec->verdict == VDP_REFUSE_KEEP ? ", state in force kept" : "");
	return rc;
}

/* Keys of the VSIs in force on the port that hold the type
 * (VSITYPE_DEFAULT: a type without an entry of its own in db).  Count, or 0
 * with *keys NULL. */
static size_t keys_of_type(const struct vsi_table *t, const struct vsitype_db *db, uint32_t type_id,
			   uint8_t type_ver, struct vdp_vsi_key **keys)
{
	struct vsi_cursor c = {0};
	const struct vdp_vsi *v;
	size_t n = 0;

	*keys = malloc((t->count ? t->count : 1) * sizeof(**keys));
	if (!*keys)
		return 0;
	while ((v = vsi_table_next(t, &c)) && n < t->count) {
		bool match = type_id == VSITYPE_DEFAULT
				 ? !vsitype_db_find(db, v->type_id, v->type_ver)
				 : v->type_id == type_id && v->type_ver == type_ver;
		if (v->confirmed && match)
			(*keys)[n++] = v->key;
	}
	return n;
}

unsigned policy_end_type(struct evbd *d, uint32_t type_id, uint8_t type_ver)
{
	unsigned ended = 0;

	for (unsigned i = 0; i < d->nports; i++) {
		struct evbd_port *p = d->ports[i];
		struct vdp_vsi_key *keys;
		if (p->vdp.role != EVB_ROLE_BRIDGE)
			continue;
		size_t n = keys_of_type(&p->vdp.vsis, d->types, type_id, type_ver, &keys);
		for (size_t k = 0; k < n; k++)
			ended += vdp_port_admin_deassoc(&p->vdp, &keys[k], loop_now(&d->loop)) == 0;
		free(keys);
		if (n)
			evbd_port_kick(p);
	}
	return ended;
}

uint32_t policy_in_use(struct evbd *d, uint32_t type_id, uint8_t type_ver)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < d->nports; i++)
		if (d->ports[i]->conf.policy == POLICY_DATABASE)
			n += policy_type_count(index_of(d->ports[i]), type_id, type_ver);
	return n;
}
