/* SPDX-License-Identifier: ISC */
/*
 * mib.c - evbd's state as the source of the EVB MIB tree (see mib.h): port
 * rows, sorted VSI views, and the writable objects applied to the ports and
 * kept in the state database (table meta, keys "mib.NAME[.IFNAME]").
 */
#include "evbd/mib.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evbd/log.h"
#include "evbd/port.h"
#include "evbd/store.h"
#include "mib/evb_mib.h"

/* One port's VSI keys in index order, made from the table at generation
 * gen.  Keys, not pointers: a stale index stays safe to read. */
struct vsi_order {
	struct vdp_vsi_key *k;
	size_t n, cap;
	uint64_t gen;
	uint64_t built_at; /* µs; 0: never built */
};

/* A stale index is rebuilt at once for tables under ORDER_CHEAP VSIs (a
 * few ms at most); larger ones at most once per ORDER_MIN_AGE_US, so that
 * a walk during churn costs one sort a second, not one per request. */
#define ORDER_CHEAP	 10000
#define ORDER_MIN_AGE_US 1000000

struct evbd_mib {
	struct evbd *d;
	struct mib_evb m;
	int32_t knob[MIB_EVB_KNOBS];
	bool knob_set[MIB_EVB_KNOBS];
	uint64_t start_us;
	struct vsi_order *ord; /* per port index */
	unsigned nord;
};

static const char *const knob_name[MIB_EVB_KNOBS] = {
    [MIB_EVB_LLDP_MANUAL] = "SysEvbLldpManual",
    [MIB_EVB_ECP_MAX_RETRIES] = "SysEcpMaxRetries",
    [MIB_EVB_ACK_TIMER_EXP] = "SysEcpDfltAckTimerExp",
    [MIB_EVB_RWD_EXP] = "SysVdpDfltRsrcWaitDelayExp",
    [MIB_EVB_RKA_EXP] = "SysVdpDfltReinitKeepAliveExp",
};

static const uint8_t knob_given[MIB_EVB_KNOBS] = {
    [MIB_EVB_LLDP_MANUAL] = CONF_GIVEN_MANUAL, [MIB_EVB_ECP_MAX_RETRIES] = CONF_GIVEN_R,
    [MIB_EVB_ACK_TIMER_EXP] = CONF_GIVEN_RTE,  [MIB_EVB_RWD_EXP] = CONF_GIVEN_RWD,
    [MIB_EVB_RKA_EXP] = CONF_GIVEN_RKA,
};

static const long knob_max[MIB_EVB_KNOBS] = {
    [MIB_EVB_LLDP_MANUAL] = 1,
    [MIB_EVB_ECP_MAX_RETRIES] = EVB_R_MAX,
    [MIB_EVB_ACK_TIMER_EXP] = EVB_EXP_MAX,
    [MIB_EVB_RWD_EXP] = EVB_EXP_MAX,
    [MIB_EVB_RKA_EXP] = EVB_EXP_MAX,
};

/* A system default onto a port that does not set the key itself. */
static void knob_apply(struct port_conf *pc, enum mib_evb_knob k, int32_t v)
{
	uint8_t *field[MIB_EVB_KNOBS] = {
	    [MIB_EVB_ECP_MAX_RETRIES] = &pc->evb.r,
	    [MIB_EVB_ACK_TIMER_EXP] = &pc->evb.rte,
	    [MIB_EVB_RWD_EXP] = &pc->evb.rwd,
	    [MIB_EVB_RKA_EXP] = &pc->evb.rka,
	};

	if (pc->evb_given & knob_given[k])
		return;
	if (k == MIB_EVB_LLDP_MANUAL)
		pc->evb.manual = v != 0;
	else
		*field[k] = (uint8_t)v;
}

static void manual_key(char *buf, size_t cap, const char *ifname)
{
	snprintf(buf, cap, "mib.LldpManual.%s", ifname);
}

/* A stored value, checked again (the database may have been edited). */
static int meta_int(struct evbd_store *s, const char *key, long max, int32_t *out)
{
	char buf[16], *end;
	long v;

	if (store_meta_get(s, key, buf, sizeof(buf)))
		return -ENOENT;
	v = strtol(buf, &end, 10);
	if (*end || end == buf || v < 0 || v > max)
		return -EINVAL;
	*out = (int32_t)v;
	return 0;
}

void evbd_mib_conf(struct evbd *d, struct evbd_conf *c)
{
	struct evbd_mib *mb = d->mib;

	if (!mb)
		return;
	for (unsigned i = 0; i < c->nports; i++) {
		struct port_conf *pc = &c->ports[i];
		char key[64];
		int32_t v;

		for (int k = 0; k < MIB_EVB_KNOBS; k++) {
			if (mb->knob_set[k])
				knob_apply(pc, (enum mib_evb_knob)k, mb->knob[k]);
		}
		manual_key(key, sizeof(key), pc->ifname);
		if (!meta_int(d->store, key, 1, &v))
			pc->evb.manual = v != 0;
	}
}

/* ---------------- the source ---------------- */

static struct evb_local role_defaults(const struct evbd *d)
{
	struct evb_local l;

	evb_local_defaults(&l, d->nports && d->ports[0]->conf.evb.role == EVB_ROLE_BRIDGE
				   ? EVB_ROLE_BRIDGE
				   : EVB_ROLE_STATION);
	return l;
}

/* SysType: the role of the first port (evbd may run both roles on
 * different ports; the MIB has one). */
static void src_sys(void *src, struct mib_evb_sys *out)
{
	struct evbd_mib *mb = src;
	struct evb_local l = role_defaults(mb->d);
	int32_t dflt[MIB_EVB_KNOBS] = {l.manual, l.r, l.rte, l.rwd, l.rka};

	memset(out, 0, sizeof(*out));
	out->bridge = l.role == EVB_ROLE_BRIDGE;
	out->nports = mb->d->nports;
	out->gid = mb->d->nports && mb->d->ports[0]->conf.evb.gid;
	for (int k = 0; k < MIB_EVB_KNOBS; k++)
		out->knob[k] = mb->knob_set[k] ? mb->knob[k] : dflt[k];
	out->start_us = mb->start_us;
	out->now_us = loop_now(&mb->d->loop);
}

static bool src_port_next(void *src, uint32_t after, struct mib_evb_port *out)
{
	struct evbd_mib *mb = src;
	const struct evbd_port *p;
	struct evb_oper o;

	if (after >= mb->d->nports)
		return false;
	p = mb->d->ports[after];
	o = p->lldp.oper;
	if (!o.valid) /* not negotiated: the values it proposes */
		o = (struct evb_oper){.r = p->conf.evb.r,
				      .rte = p->conf.evb.rte,
				      .rwd = p->conf.evb.rwd,
				      .rka = p->conf.evb.rka};
	*out = (struct mib_evb_port){
	    .num = after + 1,
	    .ifindex = p->ifindex,
	    .bridge = p->conf.evb.role == EVB_ROLE_BRIDGE,
	    .manual = p->conf.evb.manual,
	    .r = o.r,
	    .rte = o.rte,
	    .rwd = o.rwd,
	    .rka = o.rka,
	    .rwd_us = evb_resource_wait_us(&o),
	    .rka_us = evb_reinit_keepalive_us(&o),
	    .tout_ka_us = evb_tout_keepalive_us(&o),
	    .resp_wait_us = evb_resp_wait_us(&o),
	    .ack_us = evb_ack_timer_us(&o),
	    .tx_frames = p->vdp.ecp.tx_frames,
	    .tx_retries = p->vdp.ecp.tx_retries,
	    .tx_failures = p->vdp.ecp.tx_failures,
	    .rx_frames = p->vdp.ecp.rx_frames,
	};
	return true;
}

/* The operating ChnCap: the smaller of the two sides' once the
 * neighbour's CDCP TLV is in force, else the port's own. */
static uint16_t oper_chncap(const struct cdcp *c, uint16_t own)
{
	return c->peer && c->last.chncap < own ? c->last.chncap : own;
}

static bool src_uap_next(void *src, uint32_t after, struct mib_evb_uap *out)
{
	struct evbd_mib *mb = src;

	for (uint32_t i = after; i < mb->d->nports; i++) {
		const struct evbd_port *p = mb->d->ports[i];
		const struct cdcp *c = &p->cdcp.cdcp;
		struct cdcp_tlv t;

		if (!c->conf.enabled)
			continue;
		cdcp_local_tlv(c, &t);
		*out = (struct mib_evb_uap){
		    .num = i + 1,
		    .ifindex = p->ifindex,
		    .station = c->conf.station,
		    .admin_chncap = t.chncap,
		    .oper_chncap = oper_chncap(c, t.chncap),
		    .pool_low = c->conf.station ? 0 : c->conf.pool_low,
		    .pool_high = c->conf.station ? 0 : c->conf.pool_high,
		    .running = p->link_up && c->peer,
		    .remote = c->peer,
		    .remote_station = c->peer && c->last.role_s,
		    .nchan = c->nchan,
		    .chan = c->chan,
		};
		return true;
	}
	return false;
}

static int key_cmp(const void *a, const void *b)
{
	const struct vdp_vsi_key *x = a, *y = b;

	if (x->fmt != y->fmt)
		return x->fmt < y->fmt ? -1 : 1;
	return memcmp(x->id, y->id, sizeof(x->id));
}

static bool order_fresh(const struct vsi_order *o, const struct vsi_table *t, uint64_t now)
{
	if (!o->built_at)
		return false;
	if (o->gen == t->gen)
		return true;
	return t->count >= ORDER_CHEAP && now - o->built_at < ORDER_MIN_AGE_US;
}

/* (Re)build a port's sorted keys when its table changed.  On ENOMEM the
 * old index stays (logged). */
static void order_build(struct vsi_order *o, const struct vsi_table *t, uint64_t now)
{
	struct vsi_cursor c = {0};
	const struct vdp_vsi *v;

	if (order_fresh(o, t, now))
		return;
	if (o->cap < t->count) {
		struct vdp_vsi_key *nk = realloc(o->k, t->count * sizeof(*nk));

		if (!nk) {
			log_err("cannot index %zu VSIs for an SNMP or evbctl mib walk: out of "
				"memory; walks show the VSIs as they were",
				t->count);
			return;
		}
		o->k = nk;
		o->cap = t->count;
	}
	o->n = 0;
	while ((v = vsi_table_next(t, &c)) && o->n < o->cap)
		o->k[o->n++] = v->key;
	if (o->n)
		qsort(o->k, o->n, sizeof(*o->k), key_cmp);
	o->gen = t->gen;
	o->built_at = now ? now : 1;
}

static struct evbd_port *num_port(struct evbd_mib *mb, uint32_t num)
{
	return num && num <= mb->d->nports ? mb->d->ports[num - 1] : NULL;
}

static size_t src_vsi_keys(void *src, uint32_t num, const struct vdp_vsi_key **sorted)
{
	struct evbd_mib *mb = src;
	struct evbd_port *p = num_port(mb, num);
	struct vsi_order *o;

	*sorted = NULL;
	if (!p)
		return 0;
	if (num > mb->nord) {
		struct vsi_order *n = realloc(mb->ord, num * sizeof(*n));

		if (!n)
			return 0;
		memset(n + mb->nord, 0, (num - mb->nord) * sizeof(*n));
		mb->ord = n;
		mb->nord = num;
	}
	o = &mb->ord[num - 1];
	order_build(o, &p->vdp.vsis, loop_now(&p->d->loop));
	*sorted = o->k;
	return o->n;
}

static const struct vdp_vsi *src_vsi_find(void *src, uint32_t num, const struct vdp_vsi_key *k)
{
	struct evbd_port *p = num_port(src, num);

	return p ? vsi_table_find(&p->vdp.vsis, k) : NULL;
}

/* ---------------- writes ---------------- */

static int persist(struct evbd_mib *mb, const char *key, int32_t v, char *err, size_t errlen)
{
	char val[16];

	snprintf(val, sizeof(val), "%d", v);
	if (store_meta_put(mb->d->store, key, val)) {
		snprintf(err, errlen,
			 "cannot save %s in the state database in %s; check the disk and the "
			 "log, then set it again.",
			 key + 4, mb->d->conf.state_dir);
		return MIB_ERR_COMMIT_FAILED;
	}
	return MIB_OK;
}

static int src_set_knob(void *src, enum mib_evb_knob k, int32_t v, bool commit, char *err,
			size_t errlen)
{
	struct evbd_mib *mb = src;
	char key[64];
	int rc;

	if (!commit)
		return MIB_OK; /* the range was checked by the tree */
	snprintf(key, sizeof(key), "mib.%s", knob_name[k]);
	rc = persist(mb, key, v, err, errlen);
	if (rc)
		return rc;
	mb->knob[k] = v;
	mb->knob_set[k] = true;
	for (unsigned i = 0; i < mb->d->nports; i++) {
		struct evbd_port *p = mb->d->ports[i];
		struct port_conf pc = p->conf;

		knob_apply(&pc, k, v);
		if (memcmp(&pc.evb, &p->conf.evb, sizeof(pc.evb)))
			port_reconfigure(p, &pc);
	}
	log_notice("%s set to %d (applies to ports that do not set it in evbd.conf)", knob_name[k],
		   v);
	return MIB_OK;
}

static int src_set_port_manual(void *src, uint32_t num, bool manual, bool commit, char *err,
			       size_t errlen)
{
	struct evbd_mib *mb = src;
	struct evbd_port *p;
	struct port_conf pc;
	char key[64];
	int rc;

	if (num == 0 || num > mb->d->nports) {
		snprintf(err, errlen, "port %u does not exist.", num);
		return MIB_ERR_NO_CREATION;
	}
	if (!commit)
		return MIB_OK;
	p = mb->d->ports[num - 1];
	manual_key(key, sizeof(key), p->ifname);
	rc = persist(mb, key, manual, err, errlen);
	if (rc)
		return rc;
	pc = p->conf;
	pc.evb.manual = manual;
	port_reconfigure(p, &pc);
	log_notice("port %s: LldpManual set to %s", p->ifname, manual ? "true" : "false");
	return MIB_OK;
}

static const struct mib_evb_ops evbd_mib_ops = {
    .sys = src_sys,
    .port_next = src_port_next,
    .uap_next = src_uap_next,
    .vsi_keys = src_vsi_keys,
    .vsi_find = src_vsi_find,
    .set_knob = src_set_knob,
    .set_port_manual = src_set_port_manual,
};

int evbd_mib_open(struct evbd *d)
{
	struct evbd_mib *mb = calloc(1, sizeof(*mb));

	if (!mb || mib_evb_init(&mb->m, &evbd_mib_ops, mb)) {
		free(mb);
		log_err("cannot build the EVB MIB: out of memory");
		return -1;
	}
	mb->d = d;
	mb->start_us = loop_now(&d->loop);
	for (int k = 0; k < MIB_EVB_KNOBS; k++) {
		char key[64];

		snprintf(key, sizeof(key), "mib.%s", knob_name[k]);
		mb->knob_set[k] = !meta_int(d->store, key, knob_max[k], &mb->knob[k]);
	}
	d->mib = mb;
	return 0;
}

void evbd_mib_close(struct evbd *d)
{
	struct evbd_mib *mb = d->mib;

	if (!mb)
		return;
	for (unsigned i = 0; i < mb->nord; i++)
		free(mb->ord[i].k);
	free(mb->ord);
	mib_evb_free(&mb->m);
	free(mb);
	d->mib = NULL;
}

const struct mib_tree *evbd_mib_tree(const struct evbd *d)
{
	return d->mib ? &d->mib->m.tree : NULL;
}

void evbd_mib_ports_renumbered(struct evbd *d)
{
	for (unsigned i = 0; d->mib && i < d->mib->nord; i++)
		d->mib->ord[i].built_at = 0;
}
