/* SPDX-License-Identifier: ISC */
/*
 * cluster.c - this switch in its fleet (see cluster.h): lease, sync of the
 * VSI type database and of the fleet's VSIs (range, then watch), batched
 * publishing, migration hand-over, and the writes of `evbctl vsitype`.
 */
#include "evbd/cluster.h"

#include <errno.h>
#include <event2/event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "evbd/etcd.h"
#include "evbd/evbd.h"
#include "evbd/log.h"
#include "evbd/vsitype.h"
#include "vdp/proto.h"
#include "vdp/vdp_tlv.h"

#define KEY_MAX 256

struct cluster {
	struct evbd *d;
	struct cluster_conf conf;
	struct etcd *etcd;
	enum cluster_state state;
	unsigned epoch; /* answers of an older epoch are stale */
	int64_t lease;
	struct event *retry_ev, *keepalive_ev, *flush_ev;
	uint64_t retry_us;
	uint64_t down_since; /* loop µs; 0 while up */
	char types_key[KEY_MAX], types_end[KEY_MAX], vsis_key[KEY_MAX], vsis_end[KEY_MAX];
	struct etcd_watch *types_w, *vsis_w;
	int64_t types_seen, vsis_seen; /* the last revision each watch showed */
	unsigned watch_fails;	       /* watch restarts that failed at once, in a row */
	uint64_t watch_started;	       /* loop µs the last watch (re)started */
	int64_t sync_rev;	       /* the revision the VSI range reads at */
	struct fleet fleet;
	unsigned batches_out;
	struct cluster_stats st;
	char last_error[400];
};

/* One request's context: the epoch it belongs to, and for a publishing
 * batch its records, for a type change the caller's answer. */
struct call {
	struct cluster *c;
	unsigned epoch;
	size_t n;
	cluster_done_cb done;
	void *done_ctx;
	struct vsitype *types; /* entries to apply locally once etcd took them */
	size_t ntypes;
	bool replace_all, del;
	struct fleet_rec *recs[];
};

static void go_down(struct cluster *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void connect_start(struct cluster *c);
static void flush_soon(struct cluster *c);

static uint64_t now_us(const struct cluster *c)
{
	return loop_now(&c->d->loop);
}

static uint64_t wall_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void arm(struct event *ev, uint64_t us)
{
	struct timeval tv = {.tv_sec = (time_t)(us / 1000000),
			     .tv_usec = (suseconds_t)(us % 1000000)};
	evtimer_add(ev, &tv);
}

static struct call *call_new(struct cluster *c, size_t nrecs)
{
	struct call *k = calloc(1, sizeof(*k) + nrecs * sizeof(k->recs[0]));

	if (k) {
		k->c = c;
		k->epoch = c->epoch;
	}
	return k;
}

/* The request failed to start: answer as if etcd had refused it. */
static int call(struct cluster *c, const char *path, json_t *body, etcd_cb cb, struct call *k)
{
	int rc = k ? etcd_call(c->etcd, path, body, cb, k) : (json_decref(body), -ENOMEM);

	if (rc)
		free(k);
	return rc;
}

static const char *vsiid_text(const struct vdp_vsi_key *k, char *buf, size_t cap)
{
	return vdp_vsiid_str(k->fmt, k->id, buf, cap);
}

/* ---------------- going down, coming back ---------------- */

static void stop_watches(struct cluster *c)
{
	etcd_watch_stop(c->types_w);
	etcd_watch_stop(c->vsis_w);
	c->types_w = c->vsis_w = NULL;
}

static void go_down(struct cluster *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->last_error, sizeof(c->last_error), fmt, ap);
	va_end(ap);
	if (c->state == CLUSTER_UP || !c->down_since)
		log_warn("cluster: etcd is unreachable, deciding from the local VSI type "
			 "database and queueing what to publish until it is back: %s",
			 c->last_error);
	else
		log_info("cluster: still no etcd: %s", c->last_error);
	if (!c->down_since)
		c->down_since = now_us(c) | 1;
	c->state = CLUSTER_DOWN;
	c->epoch++;
	stop_watches(c);
	evtimer_del(c->keepalive_ev);
	c->retry_us = c->retry_us ? c->retry_us * 2 : CLUSTER_RETRY_MIN_US;
	if (c->retry_us > CLUSTER_RETRY_MAX_US)
		c->retry_us = CLUSTER_RETRY_MAX_US;
	arm(c->retry_ev, c->retry_us);
}

/* Whether the answer to call k is still wanted: not cancelled (the client
 * stopping) and of the current connection.  When not, k is freed here. */
static bool current(struct call *k, int err)
{
	if (err != -ECANCELED && k->epoch == k->c->epoch)
		return true;
	free(k);
	return false;
}

/* ---------------- keep-alive ---------------- */

static void on_keepalive(void *ctx, int err, json_t *ans, const char *why)
{
	struct call *k = ctx;
	struct cluster *c = k->c;

	if (!current(k, err))
		return;
	free(k);
	if (err) {
		go_down(c, "the keep-alive of lease %lld failed: %s", (long long)c->lease, why);
		return;
	}
	if (etcd_i64(json_object_get(ans, "result"), "TTL", 0) <= 0) {
		go_down(c,
			"lease %lld expired in etcd; this switch's VSIs are published again "
			"under a new one",
			(long long)c->lease);
		c->lease = 0;
		return;
	}
	arm(c->keepalive_ev, c->conf.lease_ttl * 1000000ull / 3);
}

static json_t *lease_body(int64_t id)
{
	char s[24];

	snprintf(s, sizeof(s), "%lld", (long long)id);
	return json_pack("{s:s}", "ID", s);
}

static void keepalive_tick(evutil_socket_t fd, short what, void *arg)
{
	struct cluster *c = arg;

	(void)fd;
	(void)what;
	if (c->state == CLUSTER_UP &&
	    call(c, "lease/keepalive", lease_body(c->lease), on_keepalive, call_new(c, 0)))
		go_down(c, "cannot send the lease keep-alive: too many requests outstanding");
}

/* ---------------- watches ---------------- */

/* A type entry of a kv into e: 0, or -1 (logged).  *deleted: only the
 * key is read. */
static int type_of_kv(struct cluster *c, const json_t *kv, bool deleted, struct vsitype *e,
		      uint64_t *written)
{
	char key[KEY_MAX], ks[48], why[200];
	const char *value = json_string_value(json_object_get(kv, "value")), *bad = NULL;
	uint32_t id;
	uint8_t ver;
	size_t plen = strlen(c->types_key);
	static uint8_t val[2 * VIDSET_TEXT_MAX];
	long n = -1;

	if (etcd_kv_key(kv, key, sizeof(key)) < 0 || strncmp(key, c->types_key, plen) ||
	    fleet_type_key_parse(key + plen, &id, &ver)) {
		log_warn("cluster: skipped a key under %s that is not a VSI type", c->types_key);
		return -1;
	}
	vsitype_init(e, id, ver);
	if (deleted)
		return 0;
	if (!value || (n = etcd_unb64(value, val, sizeof(val))) < 0)
		bad = "its value is not base64 of a record evbd takes";
	else if (fleet_type_parse((const char *)val, (size_t)n, e, written, &bad))
		;
	else if (vsitype_check(e, why, sizeof(why)))
		bad = why;
	if (!bad)
		return 0;
	log_warn("cluster: skipped %s from etcd: %s", vsitype_key_str(id, ver, ks, sizeof(ks)),
		 bad);
	return -1;
}

static void apply_type_kv(struct cluster *c, const json_t *kv, bool deleted)
{
	struct vsitype e;
	char why[300], ks[48];
	uint64_t written = 0, now = wall_us();

	if (type_of_kv(c, kv, deleted, &e, &written))
		return;
	if (deleted) {
		if (!vsitype_db_del(c->d->types, e.id, e.ver, why, sizeof(why))) {
			c->st.type_changes++;
			log_info("cluster: %s removed in etcd; removed here now",
				 vsitype_key_str(e.id, e.ver, ks, sizeof(ks)));
		}
		return;
	}
	vsitype_key_str(e.id, e.ver, ks, sizeof(ks));
	if (vsitype_db_apply(c->d->types, &e, 1, false, why, sizeof(why))) {
		log_err("cluster: cannot take %s from etcd into the local database: %s", ks, why);
		return;
	}
	c->st.type_changes++;
	log_info("cluster: %s changed in etcd; in force here now (%.1f ms after it was written)",
		 ks, written && now > written ? (double)(now - written) / 1e3 : 0.0);
}

/* The VSI record of a kv into r/filt: 0, or -1 (logged).  The value of
 * this switch's own record is read only when own_value (a switch sees its
 * own writes in its watch: their key is enough to drop them). */
static int vsi_of_kv(struct cluster *c, const json_t *kv, bool deleted, bool own_value,
		     struct fleet_rec *r, struct vdp_filter *filt)
{
	char key[KEY_MAX];
	const char *value = json_string_value(json_object_get(kv, "value")), *bad = NULL;
	static uint8_t val[FLEET_JSON_MAX];
	size_t plen = strlen(c->vsis_key);
	long n;

	memset(r, 0, sizeof(*r));
	if (etcd_kv_key(kv, key, sizeof(key)) < 0 || strncmp(key, c->vsis_key, plen) ||
	    fleet_vsi_key_parse(key + plen, &r->key, r->sw, sizeof(r->sw))) {
		log_warn("cluster: skipped a key under %s that is not a VSI location", c->vsis_key);
		return -1;
	}
	if (deleted || (!own_value && !strcmp(r->sw, c->conf.name)))
		return 0;
	if (!value || (n = etcd_unb64(value, val, sizeof(val))) < 0)
		bad = "the value is not base64 of a record evbd takes";
	else if (!fleet_rec_parse((const char *)val, (size_t)n, r, filt, &bad))
		return 0;
	log_warn("cluster: skipped the record of switch %s at %s: %s", r->sw, key, bad);
	return -1;
}

/* A VSI this switch holds associated (or pre-associated) elsewhere, newer
 * there: end it here with a De-Associate to the station (41.2.2). */
static void hand_over(struct cluster *c, const struct fleet_rec *there)
{
	struct fleet_rec *here = fleet_find(&c->fleet, &there->key, c->conf.name);
	struct evbd_port *p;
	char id[64];

	if (there->state != VDP_TLV_ASSOC || !here || here->gone)
		return;
	if (there->since < here->since ||
	    (there->since == here->since && strcmp(there->sw, c->conf.name) < 0))
		return; /* it associated here later: the other switch releases it */
	p = evbd_port_find(c->d, here->port);
	vsiid_text(&here->key, id, sizeof(id));
	if (!p || vdp_port_admin_deassoc(&p->vdp, &here->key, now_us(c))) {
		log_warn("cluster: VSI %s associated on switch %s port %s, but port %s here no "
			 "longer holds it",
			 id, there->sw, there->port, here->port);
		return;
	}
	c->st.migrations++;
	uint64_t now = wall_us();
	log_notice("cluster: migration: VSI %s associated on switch %s port %s; released here "
		   "from port %s with a De-Associate to the station (%.1f ms after it associated "
		   "there)",
		   id, there->sw, there->port, here->port,
		   now > there->since ? (double)(now - there->since) / 1e3 : 0.0);
	evbd_port_kick(p);
}

/* Another switch's record as etcd shows it now (put, or gone). */
static void foreign_rec(struct cluster *c, struct fleet_rec *r, const struct vdp_filter *filt,
			bool deleted)
{
	struct fleet_rec *old;

	if (deleted) {
		if ((old = fleet_find(&c->fleet, &r->key, r->sw)))
			fleet_del(&c->fleet, old);
		return;
	}
	if (!fleet_put(&c->fleet, r, filt))
		log_warn("cluster: the fleet table is full (%d records) or out of memory; a "
			 "record of switch %s is not kept",
			 FLEET_MAX, r->sw);
	hand_over(c, r);
}

/* A record seen in the watch; this switch's own are what it holds, not
 * what etcd says. */
static void foreign(struct cluster *c, const json_t *kv, bool deleted)
{
	static struct vdp_filter filt[VDP_MAX_FILTERS];
	struct fleet_rec r;

	if (!vsi_of_kv(c, kv, deleted, false, &r, filt) && strcmp(r.sw, c->conf.name))
		foreign_rec(c, &r, filt, deleted);
}

static void on_types_watch(void *ctx, json_t *res, const char *why);
static void on_vsis_watch(void *ctx, json_t *res, const char *why);

/* A watch ended while up (its etcd member died, say): it starts again on
 * the next endpoint from the revision after the last it showed, so one
 * member's death changes nothing.  When every endpoint failed in a row the
 * cluster goes down. */
static void on_watch_end(struct cluster *c, bool types, const char *why)
{
	struct etcd_watch **w = types ? &c->types_w : &c->vsis_w;

	*w = NULL;
	if (c->state != CLUSTER_UP)
		return;
	if (now_us(c) - c->watch_started > 1000000)
		c->watch_fails = 0; /* it ran a while: idle, or its member died since */
	if (++c->watch_fails > c->conf.nendpoints) {
		go_down(c, "%s", why);
		return;
	}
	log_debug("cluster: %s; watching again at %s", why, etcd_endpoint(c->etcd));
	c->watch_started = now_us(c);
	*w = types ? etcd_watch(c->etcd, c->types_key, c->types_end, c->types_seen + 1,
				on_types_watch, c)
		   : etcd_watch(c->etcd, c->vsis_key, c->vsis_end, c->vsis_seen + 1, on_vsis_watch,
				c);
	if (!*w)
		go_down(c, "cannot start a watch again: out of memory");
}

/* The events of one watch message; false when the watch was cancelled. */
static bool watch_events(struct cluster *c, json_t *res, bool types)
{
	json_t *evs = json_object_get(res, "events"), *ev;
	size_t i;

	if (json_is_true(json_object_get(res, "canceled")))
		return false;
	int64_t rev = etcd_i64(json_object_get(res, "header"), "revision", 0);
	int64_t *seen = types ? &c->types_seen : &c->vsis_seen;
	if (rev > *seen && !json_array_size(evs) && !json_is_true(json_object_get(res, "created")))
		*seen = rev; /* a progress notification */
	c->watch_fails = 0;
	json_array_foreach(evs, i, ev)
	{
		const char *type = json_string_value(json_object_get(ev, "type"));
		bool del = type && !strcmp(type, "DELETE");
		json_t *kv = json_object_get(ev, "kv");
		int64_t mod = etcd_i64(kv, "mod_revision", 0);
		if (mod > *seen)
			*seen = mod;
		if (types)
			apply_type_kv(c, kv, del);
		else
			foreign(c, kv, del);
	}
	return true;
}

static void on_types_watch(void *ctx, json_t *res, const char *why)
{
	struct cluster *c = ctx;

	if (!res)
		on_watch_end(c, true, why);
	else if (!watch_events(c, res, true))
		go_down(c, "etcd cancelled the watch on the VSI types (compacted?)");
}

static void on_vsis_watch(void *ctx, json_t *res, const char *why)
{
	struct cluster *c = ctx;

	if (!res)
		on_watch_end(c, false, why);
	else if (!watch_events(c, res, false))
		go_down(c, "etcd cancelled the watch on the VSI locations (compacted?)");
}

/* ---------------- sync: types, then VSIs, then up ---------------- */

static bool same_rec(const struct fleet_rec *a, const struct fleet_rec *b,
		     const struct vdp_filter *bf)
{
	return a->state == b->state && a->type_id == b->type_id && a->type_ver == b->type_ver &&
	       a->since == b->since && a->fif == b->fif && a->nfilters == b->nfilters &&
	       !strcmp(a->port, b->port) && !memcmp(a->filters, bf, a->nfilters * sizeof(*bf));
}

/* This switch's record as the re-sync reads it from etcd: a VSI held here
 * as it is there (under this lease) needs no put; one not held here any
 * more is deleted. */
static void own_in_range(struct cluster *c, const json_t *kv, const struct fleet_rec *r,
			 const struct vdp_filter *filt)
{
	struct fleet_rec *here = fleet_find(&c->fleet, &r->key, c->conf.name), in;

	if (here && !here->gone) {
		here->synced = etcd_i64(kv, "lease", 0) == c->lease && same_rec(here, r, filt);
		return;
	}
	if (!here) { /* a record to carry the delete */
		in = *r;
		in.local = true;
		in.nfilters = 0;
		here = fleet_put(&c->fleet, &in, NULL);
		if (!here)
			return;
		here->gone = true;
	}
	fleet_dirty(&c->fleet, here);
}

/* A record read by the re-sync's range. */
static void in_range(struct cluster *c, const json_t *kv)
{
	static struct vdp_filter filt[VDP_MAX_FILTERS];
	struct fleet_rec r;

	if (vsi_of_kv(c, kv, false, true, &r, filt))
		return;
	if (!strcmp(r.sw, c->conf.name))
		own_in_range(c, kv, &r, filt);
	else
		foreign_rec(c, &r, filt, false);
}

/* After the re-sync: what etcd lacks or holds otherwise is published. */
static void dirty_unsynced(struct cluster *c)
{
	struct fleet_cursor cur = {0};
	struct fleet_rec *r;

	while ((r = fleet_next(&c->fleet, &cur)))
		if (r->local && !r->synced)
			fleet_dirty(&c->fleet, r);
}

static void went_up(struct cluster *c, int64_t types_rev)
{
	c->types_seen = types_rev;
	c->vsis_seen = c->sync_rev;
	c->watch_fails = 0;
	c->watch_started = now_us(c);
	c->types_w =
	    etcd_watch(c->etcd, c->types_key, c->types_end, types_rev + 1, on_types_watch, c);
	c->vsis_w =
	    etcd_watch(c->etcd, c->vsis_key, c->vsis_end, c->sync_rev + 1, on_vsis_watch, c);
	if (!c->types_w || !c->vsis_w) {
		go_down(c, "cannot start the watches: out of memory");
		return;
	}
	dirty_unsynced(c);
	if (c->down_since)
		log_notice("cluster: etcd is back (%s) after %.1f s; publishing %zu of this "
			   "switch's %zu VSIs again",
			   etcd_endpoint(c->etcd), (double)(now_us(c) - c->down_since) / 1e6,
			   c->fleet.ndirty, c->fleet.nlocal);
	else
		log_notice("cluster: switch %s joined the fleet at %s (%zu VSI types, %zu VSIs "
			   "known)",
			   c->conf.name, etcd_endpoint(c->etcd), vsitype_db_count(c->d->types),
			   c->fleet.n);
	c->state = CLUSTER_UP;
	c->down_since = 0;
	c->retry_us = 0;
	arm(c->keepalive_ev, c->conf.lease_ttl * 1000000ull / 3);
	flush_soon(c);
}

static int range_vsis(struct cluster *c, const char *from, int64_t types_rev);

/* Every other switch's record is dropped before the range reads them again;
 * this switch's are not known to be in etcd until the range shows them. */
static void drop_foreign(struct cluster *c)
{
	struct fleet_cursor cur = {0};
	struct fleet_rec *r;

	while ((r = fleet_next(&c->fleet, &cur))) {
		r->synced = false;
		if (!r->local) {
			fleet_del(&c->fleet, r);
			cur.i--;
		}
	}
}

static void on_range_vsis(void *ctx, int err, json_t *ans, const char *why)
{
	struct call *k = ctx;
	struct cluster *c = k->c;
	json_t *kvs = json_object_get(ans, "kvs"), *kv;
	int64_t types_rev = (int64_t)k->n;
	char last[KEY_MAX] = "";
	size_t i;

	if (!current(k, err))
		return;
	free(k);
	if (err) {
		go_down(c, "cannot read the fleet's VSIs: %s", why);
		return;
	}
	if (!c->sync_rev)
		c->sync_rev = etcd_i64(json_object_get(ans, "header"), "revision", 0);
	json_array_foreach(kvs, i, kv)
	{
		in_range(c, kv);
		etcd_kv_key(kv, last, sizeof(last));
	}
	if (json_is_true(json_object_get(ans, "more")) && last[0]) {
		size_t n = strlen(last);
		if (n + 1 < sizeof(last)) { /* the next key after the last one read */
			last[n] = '\x01';
			last[n + 1] = 0;
		}
		if (range_vsis(c, last, types_rev))
			go_down(c, "cannot read the fleet's VSIs: too many requests outstanding");
		return;
	}
	went_up(c, types_rev);
}

static int range_vsis(struct cluster *c, const char *from, int64_t types_rev)
{
	json_t *body = etcd_key_obj(from, c->vsis_end);
	struct call *k = call_new(c, 0);

	if (k)
		k->n = (size_t)types_rev;
	json_object_set_new(body, "limit", json_integer(CLUSTER_PAGE));
	if (c->sync_rev)
		json_object_set_new(body, "revision", json_integer(c->sync_rev));
	return call(c, "kv/range", body, on_range_vsis, k);
}

static void on_range_types(void *ctx, int err, json_t *ans, const char *why)
{
	struct call *k = ctx;
	struct cluster *c = k->c;
	json_t *kvs = json_object_get(ans, "kvs");
	size_t i;
	char e[300];

	if (!current(k, err))
		return;
	free(k);
	if (err) {
		go_down(c, "cannot read the VSI types: %s", why);
		return;
	}
	/* etcd's set replaces the cache, in one write: entries it lacks go */
	struct vsitype *ts = malloc((json_array_size(kvs) + 1) * sizeof(*ts));
	size_t n = 0;
	for (i = 0; ts && i < json_array_size(kvs) && n < VSITYPE_MAX; i++)
		n += !type_of_kv(c, json_array_get(kvs, i), false, &ts[n], NULL);
	if (!ts || vsitype_db_apply(c->d->types, ts, n, true, e, sizeof(e)))
		log_err("cluster: cannot take etcd's VSI types into the local database: %s",
			ts ? e : "out of memory");
	free(ts);
	c->sync_rev = 0;
	drop_foreign(c);
	if (range_vsis(c, c->vsis_key, etcd_i64(json_object_get(ans, "header"), "revision", 0)))
		go_down(c, "cannot read the fleet's VSIs: too many requests outstanding");
}

static void sync_start(struct cluster *c)
{
	c->state = CLUSTER_SYNCING;
	if (c->down_since)
		c->st.resyncs++;
	if (call(c, "kv/range", etcd_key_obj(c->types_key, c->types_end), on_range_types,
		 call_new(c, 0)))
		go_down(c, "cannot read the VSI types: too many requests outstanding");
}

static void on_lease(void *ctx, int err, json_t *ans, const char *why)
{
	struct call *k = ctx;
	struct cluster *c = k->c;
	bool grant = k->n;

	if (!current(k, err))
		return;
	free(k);
	if (err) {
		go_down(c, "cannot %s this switch's lease: %s", grant ? "get" : "renew", why);
		return;
	}
	if (!grant) {
		if (etcd_i64(json_object_get(ans, "result"), "TTL", 0) <= 0) {
			log_notice("cluster: lease %lld expired while etcd was away; asking for a "
				   "new one",
				   (long long)c->lease);
			c->lease = 0;
			connect_start(c);
			return;
		}
	} else {
		c->lease = etcd_i64(ans, "ID", 0);
		if (c->lease <= 0) {
			go_down(c, "etcd granted no lease");
			return;
		}
	}
	sync_start(c);
}

static void connect_start(struct cluster *c)
{
	struct call *k = call_new(c, 0);
	json_t *body;

	c->state = CLUSTER_LEASING;
	if (k)
		k->n = c->lease == 0; /* grant */
	body = c->lease ? lease_body(c->lease) : json_pack("{s:i}", "TTL", c->conf.lease_ttl);
	if (call(c, c->lease ? "lease/keepalive" : "lease/grant", body, on_lease, k))
		go_down(c, "cannot ask for a lease: too many requests outstanding");
}

static void retry_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	connect_start(arg);
}

/* ---------------- publishing ---------------- */

static json_t *put_op(struct cluster *c, const struct fleet_rec *r)
{
	char key[KEY_MAX], lease[24];
	char *v = r->gone ? NULL : fleet_rec_json(r);
	json_t *op;

	fleet_vsi_key(c->conf.prefix, &r->key, c->conf.name, key, sizeof(key));
	op = etcd_key_obj(key, NULL);
	if (r->gone)
		return json_pack("{s:o}", "request_delete_range", op);
	if (!v) {
		json_decref(op);
		return NULL;
	}
	char *b = malloc(4 * ((strlen(v) + 2) / 3) + 1);
	if (!b) {
		free(v);
		json_decref(op);
		return NULL;
	}
	etcd_b64(v, strlen(v), b);
	free(v);
	snprintf(lease, sizeof(lease), "%lld", (long long)c->lease);
	json_object_set_new(op, "value", json_string(b));
	json_object_set_new(op, "lease", json_string(lease));
	free(b);
	return json_pack("{s:o}", "request_put", op);
}

/* A batch's records are no longer in flight; those that ended here and
 * were deleted from etcd are freed. */
static void batch_release(struct cluster *c, struct call *k, bool ok)
{
	for (size_t i = 0; i < k->n; i++) {
		struct fleet_rec *r = k->recs[i];
		r->inflight--;
		if (!ok)
			fleet_dirty(&c->fleet, r);
		else if (r->gone && !r->dirty && !r->inflight)
			fleet_del(&c->fleet, r);
	}
}

static void on_batch(void *ctx, int err, json_t *ans, const char *why)
{
	struct call *k = ctx;
	struct cluster *c = k->c;

	(void)ans;
	c->batches_out--;
	batch_release(c, k, !err);
	if (!err) {
		c->st.published += k->n;
		c->st.batches++;
	}
	bool cur = k->epoch == c->epoch;
	free(k);
	if (err == -ECANCELED)
		return;
	if (err && cur)
		go_down(c, "cannot publish this switch's VSIs: %s", why);
	else if (!err)
		flush_soon(c);
}

/* One txn of up to CLUSTER_TXN_OPS dirty records not in flight. */
static bool send_batch(struct cluster *c)
{
	struct call *k = call_new(c, CLUSTER_TXN_OPS);
	json_t *ops = json_array();
	struct fleet_rec *r, *busy = NULL, *busy_tail = NULL;

	while (k && k->n < CLUSTER_TXN_OPS && (r = fleet_take_dirty(&c->fleet))) {
		json_t *op = r->inflight ? NULL : put_op(c, r);
		if (!op) { /* in flight (a txn may not overtake another) or no memory */
			r->dnext = NULL;
			if (busy_tail)
				busy_tail->dnext = r;
			else
				busy = r;
			busy_tail = r;
			continue;
		}
		json_array_append_new(ops, op);
		r->inflight++;
		k->recs[k->n++] = r;
	}
	while (busy) { /* back to the queue, for when their txn is answered */
		struct fleet_rec *next = busy->dnext;
		fleet_dirty(&c->fleet, busy);
		busy = next;
	}
	if (!k || !k->n) {
		free(k);
		json_decref(ops);
		return false;
	}
	c->batches_out++;
	if (etcd_call(c->etcd, "kv/txn", json_pack("{s:o}", "success", ops), on_batch, k) == 0)
		return true;
	c->batches_out--;
	batch_release(c, k, false); /* queued again, sent when requests drain */
	free(k);
	return false;
}

static void flush(evutil_socket_t fd, short what, void *arg)
{
	struct cluster *c = arg;

	(void)fd;
	(void)what;
	while (c->state == CLUSTER_UP && c->batches_out < CLUSTER_BATCHES && c->fleet.ndirty &&
	       send_batch(c))
		;
}

static void flush_soon(struct cluster *c)
{
	if (c->state == CLUSTER_UP && c->fleet.ndirty && !evtimer_pending(c->flush_ev, NULL))
		arm(c->flush_ev, CLUSTER_BATCH_US);
}

static bool same_filters(const struct fleet_rec *r, const struct vdp_vsi *v)
{
	return r->nfilters == v->nfilters && r->fif == v->fif &&
	       !memcmp(r->filters, vsi_filters(v), v->nfilters * sizeof(*r->filters));
}

void cluster_vsi_changed(struct cluster *c, struct evbd_port *p, const struct vdp_vsi *v,
			 bool removed)
{
	struct fleet_rec *r, in;

	if (!c || p->conf.evb.role != EVB_ROLE_BRIDGE)
		return;
	r = fleet_find(&c->fleet, &v->key, c->conf.name);
	if (removed || !v->confirmed) {
		if (r && !r->gone) {
			r->gone = true;
			fleet_dirty(&c->fleet, r);
			flush_soon(c);
		}
		return;
	}
	if (r && !r->gone && r->state == v->confirmed && r->type_id == v->type_id &&
	    r->type_ver == v->type_ver && !strcmp(r->port, p->ifname) && same_filters(r, v))
		return; /* nothing new to publish (a keep-alive) */
	memset(&in, 0, sizeof(in));
	in.key = v->key;
	snprintf(in.sw, sizeof(in.sw), "%s", c->conf.name);
	snprintf(in.port, sizeof(in.port), "%s", p->ifname);
	in.type_id = v->type_id;
	in.type_ver = v->type_ver;
	in.state = v->confirmed;
	in.fif = v->fif;
	in.nfilters = v->nfilters;
	in.since = r && !r->gone && r->state == v->confirmed ? r->since : wall_us();
	in.local = true;
	if (!(r = fleet_put(&c->fleet, &in, vsi_filters(v)))) {
		log_warn("cluster: VSI %s is not published: the fleet table is full or out of "
			 "memory",
			 vsiid_text(&v->key, (char[64]){0}, 64));
		return;
	}
	fleet_dirty(&c->fleet, r);
	flush_soon(c);
}

void cluster_port_removed(struct cluster *c, struct evbd_port *p)
{
	struct fleet_cursor cur = {0};
	struct fleet_rec *r;

	if (!c)
		return;
	while ((r = fleet_next(&c->fleet, &cur)))
		if (r->local && !r->gone && !strcmp(r->port, p->ifname)) {
			r->gone = true;
			fleet_dirty(&c->fleet, r);
		}
	flush_soon(c);
}

/* ---------------- the shared VSI type database ---------------- */

static void on_types_txn(void *ctx, int err, json_t *ans, const char *why)
{
	struct call *k = ctx;
	struct cluster *c = k->c;
	char e[300];

	(void)ans;
	if (!err && k->del)
		vsitype_db_del(c->d->types, k->types[0].id, k->types[0].ver, e, sizeof(e));
	else if (!err &&
		 vsitype_db_apply(c->d->types, k->types, k->ntypes, k->replace_all, e, sizeof(e)))
		log_err("cluster: etcd took the change but the local database did not: %s", e);
	if (err)
		snprintf(e, sizeof(e), "etcd did not take the change, nothing was changed: %s",
			 why);
	k->done(k->done_ctx, err, err ? e : NULL);
	free(k->types);
	free(k);
}

static int types_txn(struct cluster *c, json_t *ops, struct call *k, cluster_done_cb cb, void *ctx,
		     char *err, size_t cap)
{
	if (c->state != CLUSTER_UP) {
		json_decref(ops);
		free(k->types);
		free(k);
		snprintf(err, cap,
			 "etcd is unreachable (%s), so the fleet's VSI type database cannot be "
			 "changed now; try again when 'evbctl fleet status' says up",
			 c->last_error[0] ? c->last_error : "connecting");
		return -ENOTCONN;
	}
	k->done = cb;
	k->done_ctx = ctx;
	struct vsitype *t = k->types;
	int rc = call(c, "kv/txn", json_pack("{s:o}", "success", ops), on_types_txn, k);
	if (rc) {
		free(t);
		snprintf(err, cap, "evbd has too many requests to etcd outstanding; try again");
	}
	return rc;
}

static json_t *type_put_op(struct cluster *c, const struct vsitype *e)
{
	char key[KEY_MAX], *v = fleet_type_json(e, wall_us()), *b;
	json_t *op;

	fleet_type_key(c->conf.prefix, e->id, e->ver, key, sizeof(key));
	if (!v || !(b = malloc(4 * ((strlen(v) + 2) / 3) + 1))) {
		free(v);
		return NULL;
	}
	etcd_b64(v, strlen(v), b);
	op = etcd_key_obj(key, NULL);
	json_object_set_new(op, "value", json_string(b));
	free(b);
	free(v);
	return json_pack("{s:o}", "request_put", op);
}

static json_t *type_del_op(struct cluster *c, uint32_t id, uint8_t ver)
{
	char key[KEY_MAX];

	fleet_type_key(c->conf.prefix, id, ver, key, sizeof(key));
	return json_pack("{s:o}", "request_delete_range", etcd_key_obj(key, NULL));
}

static bool in_list(const struct vsitype *e, size_t n, uint32_t id, uint8_t ver)
{
	for (size_t i = 0; i < n; i++)
		if (e[i].id == id && e[i].ver == ver)
			return true;
	return false;
}

int cluster_types_put(struct cluster *c, const struct vsitype *e, size_t n, bool replace_all,
		      cluster_done_cb cb, void *ctx, char *err, size_t cap)
{
	json_t *ops = json_array();
	struct call *k = call_new(c, 0);
	char why[200], ks[48];

	for (size_t i = 0; i < n; i++) {
		if (vsitype_check(&e[i], why, sizeof(why))) {
			snprintf(err, cap, "%s: %s",
				 vsitype_key_str(e[i].id, e[i].ver, ks, sizeof(ks)), why);
			json_decref(ops);
			free(k);
			return -EINVAL;
		}
		json_array_append_new(ops, type_put_op(c, &e[i]));
	}
	for (size_t i = 0; replace_all && i < vsitype_db_count(c->d->types); i++) {
		const struct vsitype *o = vsitype_db_at(c->d->types, i);
		if (!in_list(e, n, o->id, o->ver))
			json_array_append_new(ops, type_del_op(c, o->id, o->ver));
	}
	if (json_array_size(ops) > CLUSTER_TXN_OPS) {
		snprintf(err, cap,
			 "the change needs %zu writes to etcd and one transaction takes %d; give "
			 "fewer entries at once",
			 json_array_size(ops), CLUSTER_TXN_OPS);
		json_decref(ops);
		free(k);
		return -E2BIG;
	}
	if (!k || !(k->types = malloc((n ? n : 1) * sizeof(*e)))) {
		json_decref(ops);
		free(k);
		snprintf(err, cap, "evbd is out of memory; nothing was changed");
		return -ENOMEM;
	}
	if (n)
		memcpy(k->types, e, n * sizeof(*e));
	k->ntypes = n;
	k->replace_all = replace_all;
	return types_txn(c, ops, k, cb, ctx, err, cap);
}

int cluster_types_del(struct cluster *c, uint32_t id, uint8_t ver, cluster_done_cb cb, void *ctx,
		      char *err, size_t cap)
{
	struct call *k = call_new(c, 0);
	char ks[48];

	if (!vsitype_db_find(c->d->types, id, ver)) {
		free(k);
		snprintf(err, cap,
			 "%s is not in the VSI type database; 'evbctl vsitype list' shows what is",
			 vsitype_key_str(id, ver, ks, sizeof(ks)));
		return -ENOENT;
	}
	if (!k || !(k->types = calloc(1, sizeof(*k->types)))) {
		free(k);
		snprintf(err, cap, "evbd is out of memory; nothing was changed");
		return -ENOMEM;
	}
	k->types[0].id = id;
	k->types[0].ver = ver;
	k->ntypes = 1;
	k->del = true;
	return types_txn(c, json_pack("[o]", type_del_op(c, id, ver)), k, cb, ctx, err, cap);
}

/* ---------------- open, close, state ---------------- */

int cluster_open(struct evbd *d)
{
	const struct cluster_conf *cc = &d->conf.cluster;
	struct cluster *c;

	if (!cc->nendpoints)
		return 0;
	c = calloc(1, sizeof(*c));
	if (!c || etcd_open(d->loop.base, cc, &c->etcd)) {
		free(c);
		log_err("cannot start the cluster client: out of memory");
		return -1;
	}
	c->d = d;
	c->conf = *cc;
	fleet_init(&c->fleet);
	snprintf(c->types_key, sizeof(c->types_key), "%s/types/", cc->prefix);
	snprintf(c->vsis_key, sizeof(c->vsis_key), "%s/vsis/", cc->prefix);
	etcd_prefix_end(c->types_key, c->types_end, sizeof(c->types_end));
	etcd_prefix_end(c->vsis_key, c->vsis_end, sizeof(c->vsis_end));
	c->retry_ev = evtimer_new(d->loop.base, retry_tick, c);
	c->keepalive_ev = evtimer_new(d->loop.base, keepalive_tick, c);
	c->flush_ev = evtimer_new(d->loop.base, flush, c);
	if (!c->retry_ev || !c->keepalive_ev || !c->flush_ev) {
		d->cluster = c;
		cluster_close(d);
		log_err("cannot start the cluster client: out of memory");
		return -1;
	}
	d->cluster = c;
	log_notice("cluster: switch %s, key prefix %s, etcd at %s%s", cc->name, cc->prefix,
		   cc->endpoints[0], cc->nendpoints > 1 ? " and others" : "");
	c->down_since = 0;
	connect_start(c);
	return 0;
}

void cluster_close(struct evbd *d)
{
	struct cluster *c = d->cluster;

	if (!c)
		return;
	c->epoch++;
	stop_watches(c);
	etcd_close(c->etcd);
	if (c->retry_ev)
		event_free(c->retry_ev);
	if (c->keepalive_ev)
		event_free(c->keepalive_ev);
	if (c->flush_ev)
		event_free(c->flush_ev);
	fleet_fini(&c->fleet);
	free(c);
	d->cluster = NULL;
}

bool cluster_cache_expired(const struct cluster *c)
{
	return c && c->conf.cache_grace && c->down_since &&
	       now_us(c) - c->down_since > c->conf.cache_grace * 1000000ull;
}

const struct fleet *cluster_fleet(const struct cluster *c)
{
	return c ? &c->fleet : NULL;
}

const char *cluster_switch_name(const struct cluster *c)
{
	return c ? c->conf.name : "";
}

const char *cluster_state_name(enum cluster_state s)
{
	static const char *const names[] = {"down", "leasing", "syncing", "up"};
	return s <= CLUSTER_UP ? names[s] : "?";
}

void cluster_get_stats(const struct cluster *c, struct cluster_stats *s)
{
	*s = c->st;
	s->state = c->state;
	s->endpoint = etcd_endpoint(c->etcd);
	s->lease = c->lease;
	s->down_us = c->down_since ? now_us(c) - c->down_since : 0;
	s->pending = c->fleet.ndirty;
	s->fleet = c->fleet.n;
	s->local = c->fleet.nlocal;
	s->last_error = c->last_error;
}
