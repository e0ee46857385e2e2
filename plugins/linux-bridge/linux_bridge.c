/* SPDX-License-Identifier: ISC */
/*
 * linux_bridge.c - the linux-bridge plugin: binds the associated VSIs of
 * evbd's bridge ports into the Linux bridge the port's interface is
 * enslaved to (vlan_filtering 1), and follows reflective relay.
 *
 *  - an associated VSI holds, per filter, the VLAN on the downlink (the
 *    port's interface) and on every configured uplink (reference-counted
 *    across VSIs), and a static FDB entry MAC/VID -> downlink (formats with
 *    a MAC; VID 0 = no VLAN);
 *  - when it leaves the associated state (De-Associate, keep-alive timeout,
 *    refusal, removal) exactly what it added goes;
 *  - VLANs and FDB entries that were there before are never added nor
 *    removed: the plugin owns only what it created, and writes what it owns
 *    to its state file (state-file, rewritten at most every 100 ms), so that
 *    after a restart the VSI table is re-bound and whatever the file names
 *    that no VSI holds any more is removed (SETTLE_US after start);
 *  - FDB entries go before their VLAN: the kernel refuses to remove an entry
 *    whose VLAN the port no longer has (EINVAL), so when one of the
 *    plugin's VLANs leaves a port before the settling, the stale entries the
 *    file named on that port and VLAN are removed first;
 *  - a bridge that does not filter VLANs gets FDB entries without VLAN and
 *    no VLAN membership: vlan_filtering 0 (read when an interface is first
 *    used, again when a port changes and at the settling; a change rebinds
 *    the VSIs), or a kernel without CONFIG_BRIDGE_VLAN_FILTERING (adding a
 *    VLAN answers EOPNOTSUPP);
 *  - hairpin mode (IFLA_BRPORT_MODE) on a bridge port while reflective relay
 *    is negotiated on it, off otherwise;
 *  - station ports, with macvlan-vepa = yes: while reflective relay is
 *    negotiated, the macvlan/macvtap devices on the port's interface are set
 *    to VEPA mode (they are left as they are when it is not);
 *  - enforcement (enforce = IF... | all): the bridge port is locked
 *    (IFLA_BRPORT_LOCKED), stops learning and flooding unknown unicast, and
 *    loses its learned FDB entries, so the bridge forwards only frames whose
 *    source MAC (and VLAN) has a static entry on that port: the associated
 *    VSIs' (IEEE 802.1Qbg-2012 clause 41: only VSIs the bridge admitted
 *    reach the network).  The port's flags before are kept in the state
 *    file and put back at exit (unless keep-locked = yes), when the port
 *    leaves the configuration, and at the settling after a start for ports
 *    that no longer enforce;
 *  - a MAC/VID entry that exists already (EEXIST) is taken over (replaced)
 *    when it was learned, or when it is the plugin's own on another port of
 *    the bridge (a VSI migrating between ports); when a holder's entry goes
 *    and another port's VSI still holds the MAC/VID, the entry moves there.
 *
 * Reflective relay comes from the port info (rr); evbd calls port_changed
 * when it changes.  A port removed from evbd's configuration (port_removed)
 * leaves the bridge as the plugin found it: its VSIs' FDB entries and VLANs
 * go (as when its interface vanishes), hairpin goes off, and the plugin
 * forgets the port.  Stopping evbd, unlike that, leaves the dataplane as it
 * is (the VSIs stay in force; the state file re-binds them at restart).
 */
#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lb_nl.h"
#include "plugins/plugin_api.h"

#define NAME	     "linux-bridge"
#define STATE_DFLT   "/var/lib/evbd/linux-bridge.state"
#define BUCKETS	     65536
#define MAX_IFS	     64
#define MAX_PORTS    64
#define MAX_UPLINKS  16
#define SETTLE_US    3000000ULL
#define SAVE_US	     100000ULL
#define MAX_ERR_LOGS 20
#define STATUS_CMD   "linux-bridge"

/* An interface the plugin puts VLANs on (downlink or uplink). */
struct lbif {
	int ifindex;
	char ifname[IF_NAMESIZE];
	uint8_t pre[512];   /* VLANs configured before the plugin came (not ours) */
	uint8_t owned[512]; /* VLANs the plugin added */
	uint32_t refs[4096];
	bool no_vlans; /* its bridge cannot filter VLANs (EOPNOTSUPP): MACs only */
	bool vf_off;   /* its bridge has vlan_filtering 0 (as last read): MACs only */
};

/* A bridge the plugin's interfaces are enslaved to, as last read. */
struct lbbr {
	int ifindex;
	int vf; /* vlan_filtering: 1, 0, -1 not read yet */
};

struct fdb {
	struct fdb *next;
	struct lbif *i;
	uint8_t mac[6];
	uint16_t vid;
	uint32_t refs;
	bool owned;
};

struct ent {
	uint8_t mac[6];
	bool has_mac;
	uint16_t vid;
};

/* What one VSI holds. */
struct bind {
	struct bind *next;
	struct evbd_port *p;
	struct evbd_vsi_key key;
	struct lbif *down;
	bool macs_only; /* its FDB entries were added without VLAN */
	uint16_t n;
	struct ent *e;
};

struct lbport {
	struct evbd_port *p;
	int ifindex;
	int hairpin; /* as last set: -1 unknown */
	bool rr_vepa;
	bool enforcing; /* its interface is locked (a struct lblock holds what it was) */
};

/* A bridge port the plugin locked, and its flags before (to put back). */
struct lblock {
	char ifname[IF_NAMESIZE];
	int ifindex; /* 0: named by the state file, not seen since the start */
	struct lb_brport orig;
};

struct lb {
	const struct evbd_plugin_ops *ops;
	struct lb_nl nl;
	char state_file[4096];
	bool dirty, settled, bad_key, vepa;
	char uplink[MAX_UPLINKS][IF_NAMESIZE];
	unsigned nuplinks;
	struct lbif *ifs[MAX_IFS];
	unsigned nifs;
	struct lbbr brs[MAX_IFS];
	unsigned nbrs;
	struct lbport ports[MAX_PORTS];
	unsigned nports;
	char enforce[MAX_PORTS][IF_NAMESIZE]; /* enforce = ...: the interfaces */
	unsigned nenforce;
	bool enforce_all, keep_locked;
	struct lblock locks[MAX_PORTS];
	unsigned nlocks;
	struct evbd_plugin_timer *save, *settle;
	unsigned errors;
	unsigned stale_fdb; /* stale FDB entries removed (before or at settling) */
	size_t nfdb, nbind;
	struct fdb *fdb[BUCKETS];
	struct bind *bind[BUCKETS];
};

#define LOG(l, lvl, ...) (l)->ops->log(lvl, NAME ": " __VA_ARGS__)

static void nl_error(struct lb *l, const char *what, const char *ifname, int err)
{
	if (l->errors++ < MAX_ERR_LOGS)
		LOG(l, EVBD_PL_WARN, "%s on %s failed: %s", what, ifname, strerror(-err));
}

static void mark_dirty(struct lb *l)
{
	if (!l->dirty)
		l->ops->timer_arm(l->save, SAVE_US);
	l->dirty = true;
}

static bool bit(const uint8_t *b, unsigned v)
{
	return b[v / 8] & (1u << (v % 8));
}
static void bit_set(uint8_t *b, unsigned v, bool on)
{
	if (on)
		b[v / 8] |= (uint8_t)(1u << (v % 8));
	else
		b[v / 8] &= (uint8_t) ~(1u << (v % 8));
}

/* ---------------- interfaces and VLANs ---------------- */

static struct lbbr *br_rec(struct lb *l, int ifindex)
{
	for (unsigned k = 0; k < l->nbrs; k++)
		if (l->brs[k].ifindex == ifindex)
			return &l->brs[k];
	if (l->nbrs == MAX_IFS)
		return NULL;
	l->brs[l->nbrs] = (struct lbbr){.ifindex = ifindex, .vf = -1};
	return &l->brs[l->nbrs++];
}

/* Note bridge br's vlan_filtering, logging when it is (newly) seen off, or
 * on again: once per bridge, not once per interface. */
static void br_note(struct lb *l, int br, int vf)
{
	struct lbbr *r = br_rec(l, br);
	if (!r || r->vf == vf)
		return;
	char name[IF_NAMESIZE];
	if (!if_indextoname((unsigned)br, name))
		snprintf(name, sizeof(name), "if%d", br);
	if (!vf)
		LOG(l, EVBD_PL_NOTICE,
		    "bridge %s does not filter VLANs (vlan_filtering 0): binding MAC addresses "
		    "without VLANs; set vlan_filtering 1 to bind VLANs too",
		    name);
	else if (r->vf == 0)
		LOG(l, EVBD_PL_NOTICE,
		    "bridge %s filters VLANs (vlan_filtering 1): binding VLANs too", name);
	r->vf = vf;
}

/* Read whether i's bridge filters VLANs into i->vf_off; true when that
 * changed.  Not known (not a bridge port, a kernel that cannot filter, a
 * malformed answer): left as it was. */
static bool vf_read(struct lb *l, struct lbif *i)
{
	int br = 0;
	int vf = lb_nl_vlan_filtering(&l->nl, i->ifindex, &br);
	if (vf < 0) {
		if (vf != -ENOENT && vf != -ENODEV && vf != -EOPNOTSUPP && vf != -ENODATA)
			nl_error(l, "reading vlan_filtering of the bridge", i->ifname, vf);
		return false;
	}
	br_note(l, br, vf);
	if (i->vf_off == !vf)
		return false;
	i->vf_off = !vf;
	return true;
}

static struct lbif *lbif_get(struct lb *l, int ifindex)
{
	for (unsigned k = 0; k < l->nifs; k++)
		if (l->ifs[k]->ifindex == ifindex)
			return l->ifs[k];
	if (l->nifs == MAX_IFS || ifindex <= 0)
		return NULL;
	struct lbif *i = calloc(1, sizeof(*i));
	if (!i)
		return NULL;
	i->ifindex = ifindex;
	if (!if_indextoname((unsigned)ifindex, i->ifname))
		snprintf(i->ifname, sizeof(i->ifname), "if%d", ifindex);
	int err = lb_nl_port_vlans(&l->nl, ifindex, i->pre);
	if (err)
		nl_error(l, "reading the VLANs", i->ifname, err);
	l->ifs[l->nifs++] = i;
	vf_read(l, i);
	return i;
}

/* Whether i binds MAC addresses only (FDB entries without VLAN, no VLANs). */
static bool macs_only(const struct lbif *i)
{
	return i->no_vlans || i->vf_off;
}

/* Put VLAN vid on i, which holds it (unless it was there before, or i
 * binds MACs only). */
static void vlan_add(struct lb *l, struct lbif *i, uint16_t vid)
{
	if (!bit(i->owned, vid) && bit(i->pre, vid))
		return; /* configured by someone else: use it, never touch it */
	if (macs_only(i))
		return;
	int err = lb_nl_vlan(&l->nl, i->ifindex, vid, true);
	if (err == -EOPNOTSUPP) {
		LOG(l, EVBD_PL_NOTICE,
		    "%s: its bridge cannot filter VLANs (a kernel without "
		    "CONFIG_BRIDGE_VLAN_FILTERING); binding MAC addresses only, without VLAN",
		    i->ifname);
		i->no_vlans = true;
		return;
	}
	if (err) {
		nl_error(l, "adding a VLAN", i->ifname, err);
		return;
	}
	if (!bit(i->owned, vid))
		mark_dirty(l);
	bit_set(i->owned, vid, true);
}

static void vlan_ref(struct lb *l, struct lbif *i, uint16_t vid)
{
	if (!vid || vid > 4094 || i->refs[vid]++)
		return;
	vlan_add(l, i, vid);
}

/* i's bridge filters VLANs again: put on it the VLANs it holds (counted
 * while it bound MACs only).  VLANs it added stay while it binds MACs only:
 * they go with their last holder. */
static void vlans_fill(struct lb *l, struct lbif *i)
{
	for (unsigned vid = 1; vid < 4095 && !macs_only(i); vid++)
		if (i->refs[vid])
			vlan_add(l, i, (uint16_t)vid);
}

static void fdb_drop_stale(struct lb *l, const struct lbif *i, uint16_t vid);

/* Remove VLAN vid from i, and the stale FDB entries on it first. */
static void vlan_drop(struct lb *l, struct lbif *i, uint16_t vid)
{
	if (!l->settled)
		fdb_drop_stale(l, i, vid);
	int err = lb_nl_vlan(&l->nl, i->ifindex, vid, false);
	if (err && err != -ENOENT && err != -ENODEV)
		nl_error(l, "removing a VLAN", i->ifname, err);
	bit_set(i->owned, vid, false);
	bit_set(i->pre, vid, false);
	mark_dirty(l);
}

static void vlan_unref(struct lb *l, struct lbif *i, uint16_t vid)
{
	if (!vid || vid > 4094 || !i->refs[vid] || --i->refs[vid])
		return;
	if (bit(i->owned, vid))
		vlan_drop(l, i, vid);
}

static struct lbif *uplink(struct lb *l, unsigned k)
{
	unsigned idx = if_nametoindex(l->uplink[k]);
	return idx ? lbif_get(l, (int)idx) : NULL;
}

/* ---------------- FDB ---------------- */

static unsigned fdb_hash(int ifindex, const uint8_t *mac, uint16_t vid)
{
	uint32_t h = (uint32_t)ifindex * 2654435761u ^ vid;
	for (int k = 0; k < 6; k++)
		h = (h ^ mac[k]) * 16777619u;
	return h & (BUCKETS - 1);
}

static struct fdb **fdb_slot(struct lb *l, const struct lbif *i, const uint8_t *mac, uint16_t vid)
{
	struct fdb **pp = &l->fdb[fdb_hash(i->ifindex, mac, vid)];
	while (*pp && ((*pp)->i != i || (*pp)->vid != vid || memcmp((*pp)->mac, mac, 6)))
		pp = &(*pp)->next;
	return pp;
}

static struct fdb *fdb_new(struct lb *l, struct fdb **pp, struct lbif *i, const uint8_t *mac,
			   uint16_t vid)
{
	struct fdb *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->i = i;
	memcpy(f->mac, mac, 6);
	f->vid = vid;
	*pp = f;
	l->nfdb++;
	return f;
}

static void fdb_free(struct lb *l, struct fdb **pp)
{
	struct fdb *f = *pp;
	*pp = f->next;
	free(f);
	l->nfdb--;
}

/* The kernel refused to remove f because its port lacks f's VLAN. */
static void fdb_no_vlan(struct lb *l, const struct fdb *f)
{
	if (l->errors++ < MAX_ERR_LOGS)
		LOG(l, EVBD_PL_WARN,
		    "removing the FDB entry %02x:%02x:%02x:%02x:%02x:%02x vlan %u on %s failed: "
		    "the port no longer has VLAN %u (the entry stays, forgotten)",
		    f->mac[0], f->mac[1], f->mac[2], f->mac[3], f->mac[4], f->mac[5], f->vid,
		    f->i->ifname, f->vid);
}

/* Remove f from the bridge and forget it (also when the kernel refuses:
 * the state file must not keep naming an entry the plugin cannot remove). */
static void fdb_delete(struct lb *l, struct fdb **pp)
{
	struct fdb *f = *pp;
	int err = lb_nl_fdb(&l->nl, f->i->ifindex, f->mac, f->vid, false);
	if (err == -EINVAL && f->vid)
		fdb_no_vlan(l, f);
	else if (err && err != -ENOENT && err != -ENODEV)
		nl_error(l, "removing an FDB entry", f->i->ifname, err);
	fdb_free(l, pp);
	mark_dirty(l);
}

/* Stale: named by the state file, held by no VSI (only before settling). */
static bool fdb_stale(const struct fdb *f)
{
	return f->owned && !f->refs;
}

/* Remove the stale entries on i with VLAN vid (before that VLAN goes), or
 * every stale entry (i NULL). */
static void fdb_drop_stale(struct lb *l, const struct lbif *i, uint16_t vid)
{
	for (unsigned h = 0; h < BUCKETS; h++) {
		struct fdb **pp = &l->fdb[h];
		while (*pp)
			if (fdb_stale(*pp) && (!i || ((*pp)->i == i && (*pp)->vid == vid))) {
				fdb_delete(l, pp);
				l->stale_fdb++;
			} else {
				pp = &(*pp)->next;
			}
	}
}

/* f's MAC/VID has an entry already: take it over (replace it) when it was
 * learned or is the plugin's own on another port (a migrating VSI). */
static bool fdb_takeover(struct lb *l, struct fdb *f)
{
	int port = 0;
	bool dynamic = false;
	if (lb_nl_fdb_get(&l->nl, f->i->ifindex, f->mac, f->vid, &port, &dynamic) ||
	    port == f->i->ifindex)
		return false;
	bool ours = false;
	for (unsigned k = 0; !dynamic && !ours && k < l->nifs; k++) {
		struct fdb *g =
		    l->ifs[k]->ifindex == port ? *fdb_slot(l, l->ifs[k], f->mac, f->vid) : NULL;
		ours = g && g->owned;
	}
	if (!dynamic && !ours)
		return false; /* someone else's: left alone */
	int err = lb_nl_fdb_replace(&l->nl, f->i->ifindex, f->mac, f->vid);
	if (err)
		nl_error(l, "taking over an FDB entry", f->i->ifname, err);
	return !err;
}

static void fdb_ref(struct lb *l, struct lbif *i, const uint8_t *mac, uint16_t vid)
{
	struct fdb **pp = fdb_slot(l, i, mac, vid);
	struct fdb *f = *pp ? *pp : fdb_new(l, pp, i, mac, vid);
	if (!f || f->refs++)
		return;
	int err = lb_nl_fdb(&l->nl, i->ifindex, mac, vid, true);
	if (err == -EEXIST && (f->owned || !fdb_takeover(l, f)))
		return; /* ours from before a restart (owned), or someone else's */
	if (err && err != -EEXIST) {
		nl_error(l, "adding an FDB entry", i->ifname, err);
		return;
	}
	f->owned = true;
	mark_dirty(l);
}

/* The entry of mac/vid went: when a VSI on another interface still holds
 * it (the entry had moved to a port a VSI migrated to, which left first),
 * the entry goes there. */
static void fdb_handover(struct lb *l, const uint8_t *mac, uint16_t vid)
{
	for (unsigned k = 0; k < l->nifs; k++) {
		struct fdb *g = *fdb_slot(l, l->ifs[k], mac, vid);
		if (!g || !g->refs)
			continue;
		int err = lb_nl_fdb_replace(&l->nl, g->i->ifindex, mac, vid);
		if (err)
			nl_error(l, "moving an FDB entry", g->i->ifname, err);
		else if (!g->owned)
			mark_dirty(l);
		g->owned = g->owned || !err;
		return;
	}
}

static void fdb_unref(struct lb *l, struct lbif *i, const uint8_t *mac, uint16_t vid)
{
	struct fdb **pp = fdb_slot(l, i, mac, vid);
	if (!*pp || !(*pp)->refs || --(*pp)->refs)
		return;
	if (!(*pp)->owned) {
		fdb_free(l, pp);
		return;
	}
	uint8_t m[6];
	memcpy(m, mac, 6);
	fdb_delete(l, pp);
	fdb_handover(l, m, vid);
}

/* ---------------- bindings ---------------- */

static unsigned bind_hash(const struct evbd_port *p, const struct evbd_vsi_key *k)
{
	uint32_t h = (uint32_t)(uintptr_t)p * 2654435761u ^ k->format;
	for (int i = 0; i < EVBD_VSIID_LEN; i++)
		h = (h ^ k->id[i]) * 16777619u;
	return h & (BUCKETS - 1);
}

static struct bind **bind_slot(struct lb *l, const struct evbd_port *p,
			       const struct evbd_vsi_key *k)
{
	struct bind **pp = &l->bind[bind_hash(p, k)];
	while (*pp && ((*pp)->p != p || memcmp(&(*pp)->key, k, sizeof(*k))))
		pp = &(*pp)->next;
	return pp;
}

/* Hold (add) or release VLAN vid on the downlink and every uplink. */
static void vlans_hold(struct lb *l, struct lbif *down, uint16_t vid, bool add)
{
	if (add)
		vlan_ref(l, down, vid);
	for (unsigned u = 0; u < l->nuplinks; u++) {
		struct lbif *up = uplink(l, u);
		if (up && add)
			vlan_ref(l, up, vid);
		else if (up)
			vlan_unref(l, up, vid);
	}
	if (!add)
		vlan_unref(l, down, vid);
}

/* Bind entries e: their VLANs, then their FDB entries, without VLAN when
 * the downlink binds MACs only (known once its first VLAN was tried).
 * Returns whether it does. */
static bool ents_add(struct lb *l, struct lbif *down, const struct ent *e, unsigned n)
{
	for (unsigned k = 0; k < n; k++)
		vlans_hold(l, down, e[k].vid, true);
	bool macs = macs_only(down);
	for (unsigned k = 0; k < n; k++)
		if (e[k].has_mac)
			fdb_ref(l, down, e[k].mac, macs ? 0 : e[k].vid);
	return macs;
}

/* Unbind entries e (bound MACs only or not): FDB entries before VLANs. */
static void ents_del(struct lb *l, struct lbif *down, const struct ent *e, unsigned n, bool macs)
{
	for (unsigned k = 0; k < n; k++)
		if (e[k].has_mac)
			fdb_unref(l, down, e[k].mac, macs ? 0 : e[k].vid);
	for (unsigned k = 0; k < n; k++)
		vlans_hold(l, down, e[k].vid, false);
}

/* The VLAN filtering of b's bridge changed: its FDB entries are bound again
 * the other way (with or without VLAN), the old ones first: removing an
 * entry without VLAN removes the MAC on every VLAN of the port too. */
static void bind_fdb_move(struct lb *l, struct bind *b)
{
	bool macs = macs_only(b->down);
	for (unsigned k = 0; k < b->n; k++)
		if (b->e[k].has_mac)
			fdb_unref(l, b->down, b->e[k].mac, b->macs_only ? 0 : b->e[k].vid);
	for (unsigned k = 0; k < b->n; k++)
		if (b->e[k].has_mac)
			fdb_ref(l, b->down, b->e[k].mac, macs ? 0 : b->e[k].vid);
	b->macs_only = macs;
}

/* Unbind what b holds; b then holds nothing. */
static void bind_release(struct lb *l, struct bind *b)
{
	ents_del(l, b->down, b->e, b->n, b->macs_only);
	free(b->e);
	b->e = NULL;
	b->n = 0;
}

/* The entries an associated VSI holds; 0 (none) when it holds nothing. */
static unsigned wanted(const struct evbd_vsi_view *v, bool removed, struct ent **out)
{
	*out = NULL;
	if (removed || v->in_force != EVBD_VDP_ASSOC || !v->nfilters)
		return 0;
	struct ent *e = calloc(v->nfilters, sizeof(*e));
	if (!e)
		return 0;
	const struct evbd_vsi_filter *f = v->filters;
	bool mac = v->filter_format == EVBD_FIF_MACVID || v->filter_format == EVBD_FIF_GROUPMACVID;
	for (unsigned k = 0; k < v->nfilters; k++) {
		e[k].vid = f[k].vid & EVBD_PSPCPVID_VID;
		e[k].has_mac = mac;
		memcpy(e[k].mac, f[k].mac, 6);
	}
	*out = e;
	return v->nfilters;
}

/* Bring what VSI v holds in line with its state: add first, then remove. */
static void vsi_sync(struct lb *l, struct evbd_port *p, int ifindex, const struct evbd_vsi_view *v,
		     bool removed)
{
	struct bind **pp = bind_slot(l, p, &v->key);
	struct bind *b = *pp;
	struct ent *e = NULL;
	unsigned n = ifindex > 0 ? wanted(v, removed, &e) : 0;
	struct lbif *down = n ? lbif_get(l, ifindex) : NULL;
	if (!down) {
		free(e);
		n = 0;
		e = NULL;
	}
	if (b && b->down == down && b->macs_only != macs_only(down))
		bind_fdb_move(l, b);
	if (b && b->down == down && b->n == n && !memcmp(b->e, e, n * sizeof(*e))) {
		free(e);
		return;
	}
	bool macs = n ? ents_add(l, down, e, n) : false;
	if (b)
		bind_release(l, b);
	if (!n) {
		if (b) {
			*pp = b->next;
			free(b);
			l->nbind--;
		}
		return;
	}
	if (!b && !(b = calloc(1, sizeof(*b)))) {
		ents_del(l, down, e, n, macs);
		free(e);
		return;
	}
	if (!*pp) {
		b->p = p;
		b->key = v->key;
		*pp = b;
		l->nbind++;
	}
	b->down = down;
	b->macs_only = macs;
	b->n = (uint16_t)n;
	b->e = e;
}

/* ---------------- ports ---------------- */

static struct lbport *port_known(struct lb *l, const struct evbd_port *p)
{
	for (unsigned k = 0; k < l->nports; k++)
		if (l->ports[k].p == p)
			return &l->ports[k];
	return NULL;
}

static struct lbport *port_rec(struct lb *l, struct evbd_port *p)
{
	struct lbport *known = port_known(l, p);
	if (known)
		return known;
	if (l->nports == MAX_PORTS)
		return NULL;
	struct lbport *lp = &l->ports[l->nports++];
	*lp = (struct lbport){.p = p, .hairpin = -1};
	return lp;
}

/* ---------------- enforcement (locked ports) ---------------- */

static bool enforce_wanted(const struct lb *l, const char *ifname)
{
	if (l->enforce_all)
		return true;
	for (unsigned k = 0; k < l->nenforce; k++)
		if (!strcmp(l->enforce[k], ifname))
			return true;
	return false;
}

static struct lblock *lock_find(struct lb *l, const char *ifname)
{
	for (unsigned k = 0; k < l->nlocks; k++)
		if (!strcmp(l->locks[k].ifname, ifname))
			return &l->locks[k];
	return NULL;
}

static struct lblock *lock_new(struct lb *l, const char *ifname, const struct lb_brport *orig)
{
	if (l->nlocks == MAX_PORTS)
		return NULL;
	struct lblock *k = &l->locks[l->nlocks++];
	*k = (struct lblock){.orig = *orig};
	snprintf(k->ifname, sizeof(k->ifname), "%s", ifname);
	mark_dirty(l);
	return k;
}

static void lock_forget(struct lb *l, struct lblock *k)
{
	*k = l->locks[--l->nlocks];
	mark_dirty(l);
}

static const char *onoff(int v)
{
	return v < 0 ? "unknown" : v ? "on" : "off";
}

/* Put back the flags k's port had before it was locked, and forget k. */
static void lock_restore(struct lb *l, struct lblock *k, const char *why)
{
	unsigned idx = if_nametoindex(k->ifname);
	int err = idx ? lb_nl_brport_set(&l->nl, (int)idx, &k->orig) : -ENODEV;
	if (err && err != -ENODEV)
		nl_error(l, "restoring the bridge port flags", k->ifname, err);
	else if (!err)
		LOG(l, EVBD_PL_NOTICE,
		    "%s: no longer enforcing associations (%s): locked %s, learning %s, unicast "
		    "flood %s, as before",
		    k->ifname, why, onoff(k->orig.locked), onoff(k->orig.learning),
		    onoff(k->orig.flood));
	lock_forget(l, k);
}

/* Lock lp's interface (pi): remember its flags (unless the state file
 * named them: then they are the plugin's own), lock it, stop learning and
 * unknown-unicast flooding, and remove what it had learned. */
static void enforce_apply(struct lb *l, struct lbport *lp, const struct evbd_plugin_port_info *pi)
{
	struct lblock *k = lock_find(l, pi->ifname);
	if (k && k->ifindex && k->ifindex != pi->ifindex)
		lock_forget(l, k), k = NULL; /* another interface of that name now */
	if (!k) {
		struct lb_brport orig;
		int err = lb_nl_brport_get(&l->nl, pi->ifindex, &orig);
		if (err == -ENOENT && l->errors++ < MAX_ERR_LOGS)
			LOG(l, EVBD_PL_WARN,
			    "%s: cannot enforce associations: it is not a port of a Linux bridge "
			    "(enslave it: ip link set %s master BRIDGE)",
			    pi->ifname, pi->ifname);
		else if (err)
			nl_error(l, "reading the bridge port flags", pi->ifname, err);
		if (err || !(k = lock_new(l, pi->ifname, &orig)))
			return;
	}
	k->ifindex = pi->ifindex;
	struct lb_brport on = {.locked = 1, .learning = 0, .flood = 0};
	int err = lb_nl_brport_set(&l->nl, pi->ifindex, &on);
	if (err) {
		nl_error(l, "locking the bridge port (kernel >= 5.18 needed)", pi->ifname, err);
		return;
	}
	unsigned flushed = 0;
	err = lb_nl_fdb_flush_dynamic(&l->nl, pi->ifindex, &flushed);
	if (err)
		nl_error(l, "removing the learned FDB entries", pi->ifname, err);
	lp->enforcing = true;
	LOG(l, EVBD_PL_NOTICE,
	    "%s: enforcing associations: port locked, learning and unicast flood off, %u learned "
	    "FDB entries removed; only associated VSIs' MAC addresses may send",
	    pi->ifname, flushed);
}

/* Follow the port's interface: lock it when it (re)appears and enforcement
 * is configured for it; forget the lock when it vanished. */
static void port_enforce(struct lb *l, struct lbport *lp, const struct evbd_plugin_port_info *pi)
{
	if (!pi->present || !pi->ifindex) {
		struct lblock *k = lp->enforcing ? lock_find(l, pi->ifname) : NULL;
		if (k)
			lock_forget(l, k); /* the interface is gone, its flags with it */
		lp->enforcing = false;
		return;
	}
	if (enforce_wanted(l, pi->ifname) && !lp->enforcing)
		enforce_apply(l, lp, pi);
}

/* Unlock the locks no port of evbd enforces (any more). */
static void locks_settle(struct lb *l)
{
	for (unsigned k = 0; k < l->nlocks;) {
		bool held = false;
		for (unsigned j = 0; j < l->nports && !held; j++) {
			struct evbd_plugin_port_info pi;
			l->ops->port_info(l->ports[j].p, &pi);
			held = l->ports[j].enforcing && !strcmp(pi.ifname, l->locks[k].ifname);
		}
		if (held)
			k++;
		else
			lock_restore(l, &l->locks[k], "not configured to");
	}
}

static void port_follow_rr(struct lb *l, struct lbport *lp)
{
	struct evbd_plugin_port_info pi;
	l->ops->port_info(lp->p, &pi);
	if (!pi.present)
		return;
	bool rr = pi.rr;
	if (!pi.station) {
		if (lp->hairpin == (int)rr)
			return;
		int err = lb_nl_hairpin(&l->nl, pi.ifindex, rr);
		if (err) /* not a bridge port?  Tried again when the interface changes */
			nl_error(l, "setting hairpin mode", pi.ifname, err);
		else
			LOG(l, EVBD_PL_INFO, "%s: hairpin (reflective relay) %s", pi.ifname,
			    rr ? "on" : "off");
		lp->hairpin = rr;
		return;
	}
	if (!l->vepa || !rr)
		return;
	unsigned changed = 0;
	int err = lb_nl_macvlan_mode(&l->nl, pi.ifindex, MACVLAN_MODE_VEPA, &changed);
	if (err)
		nl_error(l, "setting macvlan devices to VEPA mode", pi.ifname, err);
	else if (changed)
		LOG(l, EVBD_PL_INFO, "%s: %u macvlan/macvtap device(s) set to VEPA mode", pi.ifname,
		    changed);
}

/* Bind the port's whole VSI table (at start, or when its interface came). */
static void port_sync_all(struct lb *l, struct lbport *lp, int ifindex)
{
	struct evbd_vsi_cursor c = {0};
	const struct evbd_vsi_view *v;
	while ((v = l->ops->vsi_next(lp->p, &c)))
		vsi_sync(l, lp->p, ifindex, v, false);
}

/* Read again whether the bridges filter VLANs; when that changed for an
 * interface, its VLANs follow and every VSI is bound again (vsi_sync sees
 * its FDB entries bound the other way). */
static void vf_refresh(struct lb *l)
{
	bool changed = false;
	for (unsigned k = 0; k < l->nifs; k++)
		if (vf_read(l, l->ifs[k])) {
			vlans_fill(l, l->ifs[k]);
			changed = true;
		}
	for (unsigned k = 0; changed && k < l->nports; k++)
		if (l->ports[k].ifindex)
			port_sync_all(l, &l->ports[k], l->ports[k].ifindex);
}

static void port_changed(void *state, struct evbd_port *p)
{
	struct lb *l = state;
	struct lbport *lp = port_rec(l, p);
	struct evbd_plugin_port_info pi;
	if (!lp)
		return;
	l->ops->port_info(p, &pi);
	if (!pi.station)
		vf_refresh(l);
	if (!pi.station && pi.ifindex != lp->ifindex) {
		/* A new interface's mode is not known; on a vanish the mode set is
		 * kept for port_removed, which turns it off. */
		lp->ifindex = pi.ifindex;
		if (pi.ifindex)
			lp->hairpin = -1;
		if (pi.ifindex) { /* locked before binding: nothing learned in between */
			lp->enforcing = false;
			port_enforce(l, lp, &pi);
		}
		port_sync_all(l, lp, pi.ifindex);
		if (!pi.ifindex)
			port_enforce(l, lp, &pi);
	}
	port_follow_rr(l, lp);
}

static void vsi_changed(void *state, struct evbd_port *p, const struct evbd_vsi_view *v)
{
	struct lb *l = state;
	struct evbd_plugin_port_info pi;
	l->ops->port_info(p, &pi);
	if (pi.station)
		return;
	struct lbport *lp = port_rec(l, p);
	if (lp && !lp->ifindex && pi.ifindex)
		port_changed(l, p);
	vsi_sync(l, p, pi.ifindex, v, v->events & EVBD_VSI_EV_REMOVE);
}

/* Unbind whatever VSIs of p are still bound (the vanish of its interface
 * has normally unbound them all). */
static void port_unbind_all(struct lb *l, const struct evbd_port *p)
{
	for (unsigned h = 0; h < BUCKETS && l->nbind; h++) {
		struct bind **pp = &l->bind[h];
		while (*pp) {
			struct bind *b = *pp;
			if (b->p != p) {
				pp = &b->next;
				continue;
			}
			bind_release(l, b);
			*pp = b->next;
			free(b);
			l->nbind--;
		}
	}
}

/* p left evbd's configuration: the bridge is left as the plugin found it
 * (what it bound for p's VSIs goes, hairpin off), and p is forgotten. */
static void port_removed(void *state, struct evbd_port *p)
{
	struct lb *l = state;
	struct lbport *lp = port_known(l, p);
	struct evbd_plugin_port_info pi;
	l->ops->port_info(p, &pi);
	port_unbind_all(l, p);
	bool hairpin_off = false;
	unsigned idx = lp && lp->hairpin == 1 ? if_nametoindex(pi.ifname) : 0;
	if (idx) {
		int err = lb_nl_hairpin(&l->nl, (int)idx, false);
		if (err)
			nl_error(l, "turning hairpin mode off", pi.ifname, err);
		hairpin_off = !err;
	}
	struct lblock *k = lp && lp->enforcing ? lock_find(l, pi.ifname) : NULL;
	if (k)
		lock_restore(l, k, "it left the configuration");
	if (lp)
		*lp = l->ports[--l->nports];
	LOG(l, EVBD_PL_NOTICE,
	    "%s: no longer a port of evbd: the FDB entries and VLANs bound for its VSIs are "
	    "removed%s",
	    pi.ifname, hairpin_off ? ", hairpin off" : "");
}

/* ---------------- the state file ---------------- */

static int save(struct lb *l)
{
	char tmp[sizeof(l->state_file) + 8];
	snprintf(tmp, sizeof(tmp), "%s.tmp", l->state_file);
	FILE *f = fopen(tmp, "we");
	if (!f) {
		LOG(l, EVBD_PL_ERR, "cannot write %s: %s", tmp, strerror(errno));
		return -errno;
	}
	fprintf(f, "# " NAME " plugin of evbd: the VLANs and FDB entries it added, and the\n"
		   "# flags of the bridge ports it locked as they were before\n");
	for (unsigned k = 0; k < l->nlocks; k++)
		fprintf(f, "port %s locked %d learning %d flood %d\n", l->locks[k].ifname,
			l->locks[k].orig.locked, l->locks[k].orig.learning, l->locks[k].orig.flood);
	for (unsigned k = 0; k < l->nifs; k++)
		for (unsigned vid = 1; vid < 4095; vid++)
			if (bit(l->ifs[k]->owned, vid))
				fprintf(f, "vlan %s %u\n", l->ifs[k]->ifname, vid);
	for (unsigned h = 0; h < BUCKETS; h++)
		for (struct fdb *e = l->fdb[h]; e; e = e->next)
			if (e->owned)
				fprintf(f, "fdb %s %02x:%02x:%02x:%02x:%02x:%02x %u\n",
					e->i->ifname, e->mac[0], e->mac[1], e->mac[2], e->mac[3],
					e->mac[4], e->mac[5], e->vid);
	int bad = ferror(f);
	if (fclose(f) || bad || rename(tmp, l->state_file)) {
		LOG(l, EVBD_PL_ERR, "cannot write %s: %s", l->state_file, strerror(errno));
		unlink(tmp);
		return -EIO;
	}
	l->dirty = false;
	return 0;
}

static void on_save(void *arg)
{
	struct lb *l = arg;
	if (l->dirty && save(l))
		l->ops->timer_arm(l->save, SAVE_US * 10);
}

/* Entries of the file become owned entries that nothing holds yet. */
static void load_line(struct lb *l, const char *line)
{
	char kind[8], ifname[IF_NAMESIZE + 1];
	unsigned m[6], vid;
	struct lbif *i;
	struct lb_brport bp;
	if (sscanf(line, "port %16s locked %d learning %d flood %d", ifname, &bp.locked,
		   &bp.learning, &bp.flood) == 4) {
		if (!lock_find(l, ifname) && bp.locked >= -1 && bp.locked <= 1 &&
		    bp.learning >= -1 && bp.learning <= 1 && bp.flood >= -1 && bp.flood <= 1)
			lock_new(l, ifname, &bp);
		return;
	}
	if (sscanf(line, "vlan %16s %u", ifname, &vid) == 2) {
		unsigned idx = if_nametoindex(ifname);
		if (idx && vid && vid < 4095 && (i = lbif_get(l, (int)idx)))
			bit_set(i->owned, vid, true);
		return;
	}
	if (sscanf(line, "%7s %16s %x:%x:%x:%x:%x:%x %u", kind, ifname, &m[0], &m[1], &m[2], &m[3],
		   &m[4], &m[5], &vid) != 9 ||
	    strcmp(kind, "fdb") || vid > 4094)
		return;
	unsigned idx = if_nametoindex(ifname);
	if (!idx || !(i = lbif_get(l, (int)idx)))
		return;
	uint8_t mac[6];
	for (int k = 0; k < 6; k++)
		mac[k] = (uint8_t)m[k];
	struct fdb **pp = fdb_slot(l, i, mac, (uint16_t)vid);
	struct fdb *f = *pp ? *pp : fdb_new(l, pp, i, mac, (uint16_t)vid);
	if (f)
		f->owned = true;
}

static void load(struct lb *l)
{
	FILE *f = fopen(l->state_file, "re");
	if (!f)
		return;
	char line[256];
	while (fgets(line, sizeof(line), f))
		load_line(l, line);
	fclose(f);
}

/* After start: remove what the file named and no VSI holds any more. */
static void on_settle(void *arg)
{
	struct lb *l = arg;
	unsigned nv = 0;
	vf_refresh(l);
	fdb_drop_stale(l, NULL, 0);
	l->settled = true; /* no stale FDB entry is left: FDB entries before VLANs */
	for (unsigned k = 0; k < l->nifs; k++)
		for (unsigned vid = 1; vid < 4095; vid++)
			if (bit(l->ifs[k]->owned, vid) && !l->ifs[k]->refs[vid])
				vlan_drop(l, l->ifs[k], (uint16_t)vid), nv++;
	locks_settle(l);
	LOG(l, EVBD_PL_NOTICE,
	    "reconciled: %zu VSIs bound, %zu FDB entries held; removed %u stale FDB entries and "
	    "%u stale VLANs",
	    l->nbind, l->nfdb, l->stale_fdb, nv);
}

/* ---------------- evbctl plugin linux-bridge ---------------- */

static size_t vsis_bound(const struct lb *l, const struct evbd_port *p)
{
	size_t n = 0;
	for (unsigned h = 0; h < BUCKETS && n < l->nbind; h++)
		for (const struct bind *b = l->bind[h]; b; b = b->next)
			n += b->p == p;
	return n;
}

/* One line per bridge port: whether it enforces, its flags as the kernel
 * says them now, hairpin as set, and its bound VSIs. */
static int cmd_status(void *arg, int argc, const char *const *argv, char *out, size_t outlen)
{
	struct lb *l = arg;
	(void)argv;
	size_t off = 0;
	if (argc) {
		snprintf(out, outlen, "evbctl plugin " STATUS_CMD " takes no arguments.");
		return EINVAL;
	}
	out[0] = 0;
	for (unsigned k = 0; k < l->nports && off < outlen; k++) {
		struct evbd_plugin_port_info pi;
		l->ops->port_info(l->ports[k].p, &pi);
		if (pi.station)
			continue;
		struct lb_brport bp = {-1, -1, -1};
		if (pi.ifindex)
			lb_nl_brport_get(&l->nl, pi.ifindex, &bp);
		int w =
		    snprintf(out + off, outlen - off,
			     "%s: enforce %s (locked %s, learning %s, unicast flood %s), hairpin "
			     "%s, %zu VSIs bound\n",
			     pi.ifname,
			     l->ports[k].enforcing	    ? "yes"
			     : enforce_wanted(l, pi.ifname) ? "configured, not applied"
							    : "no",
			     onoff(bp.locked), onoff(bp.learning), onoff(bp.flood),
			     onoff(l->ports[k].hairpin), vsis_bound(l, l->ports[k].p));
		off += w > 0 ? (size_t)w : 0;
	}
	if (off >= outlen && outlen > 1)
		out[outlen - 2] = '\n';
	return 0;
}

/* ---------------- start / stop ---------------- */

static void check_key(void *arg, const char *key, unsigned line)
{
	struct lb *l = arg;
	if (!strcmp(key, "state-file") || !strcmp(key, "uplinks") || !strcmp(key, "macvlan-vepa") ||
	    !strcmp(key, "enforce") || !strcmp(key, "keep-locked"))
		return;
	LOG(l, EVBD_PL_ERR,
	    "unknown key '%s' at line %u of [plugin " NAME "]; the keys are state-file, uplinks, "
	    "macvlan-vepa, enforce and keep-locked.",
	    key, line);
	l->bad_key = true;
}

/* A list of interface names ("a, b c") into names[max]; -EINVAL when one
 * is too long or there are too many (logged, naming key). */
static int parse_ifnames(struct lb *l, const char *key, const char *s, char (*names)[IF_NAMESIZE],
			 unsigned max, unsigned *n)
{
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s", s);
	for (char *save_p, *t = strtok_r(buf, ", \t", &save_p); t;
	     t = strtok_r(NULL, ", \t", &save_p)) {
		if (*n == max || strlen(t) >= IF_NAMESIZE) {
			LOG(l, EVBD_PL_ERR,
			    "%s: at most %u interface names, each under %d "
			    "characters ('%s').",
			    key, max, IF_NAMESIZE, t);
			return -EINVAL;
		}
		strcpy(names[(*n)++], t);
	}
	return 0;
}

/* yes/no of key into *out (left as it is when absent); -EINVAL logged. */
static int parse_bool(struct lb *l, const char *key, bool *out)
{
	const char *v = l->ops->conf_get(l->ops->d, NAME, key);
	if (!v)
		return 0;
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0"))
		*out = false;
	else {
		LOG(l, EVBD_PL_ERR, "%s is yes or no, not '%s'.", key, v);
		return -EINVAL;
	}
	return 0;
}

static int parse_conf(struct lb *l)
{
	const struct evbd_plugin_ops *ops = l->ops;
	ops->conf_keys(ops->d, NAME, check_key, l);
	if (l->bad_key)
		return -EINVAL;
	const char *sf = ops->conf_get(ops->d, NAME, "state-file");
	const char *up = ops->conf_get(ops->d, NAME, "uplinks");
	const char *en = ops->conf_get(ops->d, NAME, "enforce");
	if (sf && sf[0] != '/') {
		LOG(l, EVBD_PL_ERR, "state-file must be an absolute path, not '%s'.", sf);
		return -EINVAL;
	}
	snprintf(l->state_file, sizeof(l->state_file), "%s", sf ? sf : STATE_DFLT);
	if (parse_bool(l, "macvlan-vepa", &l->vepa) ||
	    parse_bool(l, "keep-locked", &l->keep_locked))
		return -EINVAL;
	if (up && parse_ifnames(l, "uplinks", up, l->uplink, MAX_UPLINKS, &l->nuplinks))
		return -EINVAL;
	l->enforce_all = en && !strcmp(en, "all");
	if (en && !l->enforce_all && strcmp(en, "none") &&
	    parse_ifnames(l, "enforce", en, l->enforce, MAX_PORTS, &l->nenforce))
		return -EINVAL;
	return 0;
}

static void stop(struct lb *l)
{
	l->ops->timer_free(l->save);
	l->ops->timer_free(l->settle);
	lb_nl_close(&l->nl);
	for (unsigned h = 0; h < BUCKETS; h++) {
		while (l->fdb[h])
			fdb_free(l, &l->fdb[h]);
		while (l->bind[h]) {
			struct bind *b = l->bind[h];
			l->bind[h] = b->next;
			free(b->e);
			free(b);
		}
	}
	for (unsigned k = 0; k < l->nifs; k++)
		free(l->ifs[k]);
	free(l);
}

static int init(const struct evbd_plugin_ops *ops, void **state)
{
	struct lb *l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->ops = ops;
	int err = parse_conf(l);
	if (!err && (err = lb_nl_open(&l->nl)))
		LOG(l, EVBD_PL_ERR, "cannot open a NETLINK_ROUTE socket: %s", strerror(-err));
	if (!err && (!(l->save = ops->timer_new(ops->d, on_save, l)) ||
		     !(l->settle = ops->timer_new(ops->d, on_settle, l))))
		err = -ENOMEM;
	if (err) {
		stop(l);
		return err;
	}
	load(l);
	if ((err = ops->ipc_command_add(ops->d, STATUS_CMD, false, cmd_status, l)))
		LOG(l, EVBD_PL_WARN, "cannot add the command 'evbctl plugin " STATUS_CMD "': %s",
		    strerror(-err));
	ops->timer_arm(l->settle, SETTLE_US);
	LOG(l, EVBD_PL_NOTICE, "binding VSIs into Linux bridges; %u uplink(s), state in %s%s%s",
	    l->nuplinks, l->state_file, l->vepa ? ", macvlan VEPA on reflective relay" : "",
	    l->enforce_all || l->nenforce ? ", enforcing associations (locked ports)" : "");
	*state = l;
	return 0;
}

static void fini(void *state)
{
	struct lb *l = state;
	while (!l->keep_locked && l->nlocks)
		lock_restore(l, &l->locks[0], "evbd stops");
	if (l->nlocks)
		LOG(l, EVBD_PL_NOTICE,
		    "stopping: %u bridge port(s) stay locked (keep-locked = yes)", l->nlocks);
	if (l->dirty)
		save(l);
	LOG(l, EVBD_PL_INFO,
	    "stopping: %zu VSIs bound, %zu FDB entries, %u netlink errors; the "
	    "dataplane stays as it is",
	    l->nbind, l->nfdb, l->errors);
	stop(l);
}

const struct evbd_plugin evbd_plugin = {
    .name = NAME,
    .abi = EVBD_PLUGIN_ABI,
    .init = init,
    .fini = fini,
    .vsi_changed = vsi_changed,
    .port_changed = port_changed,
    .port_removed = port_removed,
};
