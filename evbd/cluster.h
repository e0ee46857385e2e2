/* SPDX-License-Identifier: ISC */
/*
 * cluster.h - a bridge as one switch of a fleet sharing etcd ([cluster] in
 * evbd.conf, docs/fleet.md): the state machine that holds this switch's
 * lease, keeps the VSI type database in step with etcd (range, then watch;
 * the local database, persisted in SQLite, is the cache every decision
 * reads, so decisions never wait for etcd), publishes this switch's VSIs
 * under its lease in batches (one txn each), keeps the fleet's VSI
 * locations (fleet.h) from a watch, and hands a migrated VSI over: when a
 * VSI associates on another switch while this one holds it, this switch
 * ends it at once with a De-Associate to its station (802.1Qbg-2012
 * 41.2.2, bridge-initiated De-Associate), which the loop's fan-out shows
 * to the plugins like any end (linux-bridge unbinds it).
 *
 * States: down (retrying every CLUSTER_RETRY_MIN_US, doubling to
 * CLUSTER_RETRY_MAX_US), leasing (keep-alive of the lease held, else a new
 * one), syncing (range of the types, then of the VSIs), up (watches,
 * keep-alives every lease-ttl / 3, publishing).  Any failure goes down;
 * what is still to be published stays queued (one entry per VSI, the last
 * change wins) and every local VSI is published again when etcd is back,
 * so nothing is lost and no key is written twice with different content.
 *
 * Only bridge ports take part.  Without [cluster] endpoints there is no
 * cluster (d->cluster NULL) and every function here accepts NULL.
 */
#ifndef EVBD_CLUSTER_H
#define EVBD_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evbd/fleet.h"
#include "ipc/vsitype.h"

struct evbd;
struct evbd_port;
struct vdp_vsi;
struct cluster;

#define CLUSTER_TXN_OPS	     128  /* operations in one txn (etcd's --max-txn-ops default) */
#define CLUSTER_BATCHES	     8	  /* publishing txns in flight */
#define CLUSTER_BATCH_US     2000 /* changes gathered this long before a txn */
#define CLUSTER_RETRY_MIN_US 250000
#define CLUSTER_RETRY_MAX_US 4000000
#define CLUSTER_PAGE	     5000 /* keys per range request */

enum cluster_state { CLUSTER_DOWN, CLUSTER_LEASING, CLUSTER_SYNCING, CLUSTER_UP };

struct cluster_stats {
	enum cluster_state state;
	const char *endpoint;	/* tried first now */
	int64_t lease;		/* 0: none */
	uint64_t down_us;	/* how long etcd has been unreachable (0: up) */
	uint64_t published;	/* puts and deletes acknowledged by etcd */
	uint64_t batches;	/* txns acknowledged */
	uint64_t migrations;	/* VSIs released here because they associated elsewhere */
	uint64_t type_changes;	/* type entries changed from etcd's watch */
	uint64_t resyncs;	/* times the state was read again after etcd was away */
	size_t pending;		/* local VSIs waiting to be published */
	size_t fleet, local;	/* records known, of which this switch's */
	const char *last_error; /* why it last went down, "" when never */
};

/* With [cluster] endpoints: start (connecting in the background) and set
 * d->cluster; 0, or -1 after logging a sentence.  Without: 0, nothing. */
int cluster_open(struct evbd *d);
void cluster_close(struct evbd *d);

/* The loop's fan-out (events.c): a VSI of a bridge port changed or ended. */
void cluster_vsi_changed(struct cluster *c, struct evbd_port *p, const struct vdp_vsi *v,
			 bool removed);
/* A port leaves: its VSIs are no longer held here. */
void cluster_port_removed(struct cluster *c, struct evbd_port *p);

/* True while decisions should refuse new requests: etcd has been away
 * longer than cache-grace (never when cache-grace is 0). */
bool cluster_cache_expired(const struct cluster *c);

/* The answer to a change of the shared VSI type database: err 0, or a
 * negative errno with a sentence. */
typedef void (*cluster_done_cb)(void *ctx, int err, const char *why);
/* Write entries to etcd in one txn (replace_all: and delete the others),
 * then into the local database; cb answers.  0 (cb will be called), or a
 * negative errno with a sentence in err (cb will not): -EINVAL an entry is
 * invalid, -E2BIG more than CLUSTER_TXN_OPS operations, -ENOTCONN etcd is
 * unreachable now, -ENOBUFS / -ENOMEM. */
int cluster_types_put(struct cluster *c, const struct vsitype *e, size_t n, bool replace_all,
		      cluster_done_cb cb, void *ctx, char *err, size_t cap);
int cluster_types_del(struct cluster *c, uint32_t id, uint8_t ver, cluster_done_cb cb, void *ctx,
		      char *err, size_t cap);

const struct fleet *cluster_fleet(const struct cluster *c);
void cluster_get_stats(const struct cluster *c, struct cluster_stats *s);
const char *cluster_switch_name(const struct cluster *c);
const char *cluster_state_name(enum cluster_state s);

#endif
