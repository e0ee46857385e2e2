/* SPDX-License-Identifier: ISC */
/*
 * events.c - who hears what (see events.h): the daemon's subsystems as
 * listeners of the loop's end of turn and VSI and port events.
 */
#include "evbd/events.h"

#include "evbd/cluster.h"
#include "evbd/ipc.h"
#include "evbd/journal.h"
#include "evbd/mib.h"
#include "evbd/plugin.h"
#include "evbd/policy.h"
#include "evbd/port.h"
#include "evbd/store.h"
#include "evbd/trace.h"
#include "evbd/vsitype.h"

/* Each subsystem's hooks (ctx: the daemon); events_wire() orders them. */
static void ports_turn_end(void *ctx)
{
	ports_run_kicked(ctx);
}

static void ports_synced_cb(void *ctx, uint64_t gen, int err, const char *why)
{
	(void)why;
	ports_synced(ctx, gen, err);
}

static void trace_turn_end(void *ctx)
{
	struct evbd *d = ctx;
	trace_flush(d->trace);
}

static void store_vsi(void *ctx, struct evbd_port *p, struct vdp_vsi *v,
		      const struct vdp_sm_out *out)
{
	struct evbd *d = ctx;
	store_vsi_changed(d->store, p->ifname, p->conf.evb.role, v, out->remove);
}

static void policy_vsi(void *ctx, struct evbd_port *p, struct vdp_vsi *v,
		       const struct vdp_sm_out *out)
{
	(void)ctx;
	if (out->remove)
		policy_unbind(p->policy, &v->key);
}

/* The fleet hears a bridge's VSIs after the store kept them. */
static void cluster_vsi(void *ctx, struct evbd_port *p, struct vdp_vsi *v,
			const struct vdp_sm_out *out)
{
	struct evbd *d = ctx;
	cluster_vsi_changed(d->cluster, p, v, out->remove);
}

static void cluster_port_gone(void *ctx, struct evbd_port *p)
{
	struct evbd *d = ctx;
	cluster_port_removed(d->cluster, p);
}

static void ipc_turn_end(void *ctx)
{
	struct evbd *d = ctx;
	ipc_flush(d->ipc);
}

static void ipc_vsi(void *ctx, struct evbd_port *p, struct vdp_vsi *v, const struct vdp_sm_out *out)
{
	struct evbd *d = ctx;
	if (d->ipc)
		ipc_vsi_changed(d->ipc, p, v, out);
}

static void ipc_store_synced(void *ctx, uint64_t gen, int err, const char *why)
{
	struct evbd *d = ctx;
	ipc_synced(d->ipc, gen, err, why);
}

/* The VSI type database keeps the store's SQLite connection: a new one
 * after the database was written again. */
static void vsitype_store_synced(void *ctx, uint64_t gen, int err, const char *why)
{
	struct evbd *d = ctx;
	(void)gen;
	(void)err;
	(void)why;
	if (store_take_reopened(d->store))
		vsitype_db_reattach(d->types, store_sqlite(d->store));
}

static void ipc_port_gone(void *ctx, struct evbd_port *p)
{
	struct evbd *d = ctx;
	ipc_port_removed(d->ipc, p);
}

static void mib_port_gone(void *ctx, struct evbd_port *p)
{
	(void)p;
	evbd_mib_ports_renumbered(ctx);
}

static void plugins_vsi(void *ctx, struct evbd_port *p, struct vdp_vsi *v,
			const struct vdp_sm_out *out)
{
	plugins_vsi_changed(ctx, p, v, out);
}

static void plugins_port(void *ctx, struct evbd_port *p)
{
	plugins_port_changed(ctx, p);
}

static void plugins_port_gone(void *ctx, struct evbd_port *p)
{
	plugins_port_removed(ctx, p);
}

/* The journal hears VSI steps and port changes first, and publishes to
 * the control socket's monitor subscribers. */
static void journal_vsi(void *ctx, struct evbd_port *p, struct vdp_vsi *v,
			const struct vdp_sm_out *out)
{
	struct evbd *d = ctx;
	journal_vsi_changed(d->journal, p, v, out);
}

static void journal_port_changed(void *ctx, struct evbd_port *p)
{
	struct evbd *d = ctx;
	journal_port(d->journal, p);
}

static void journal_port_gone(void *ctx, struct evbd_port *p)
{
	struct evbd *d = ctx;
	journal_port_removed(d->journal, p);
}

/* Neighbours appear and age out without a port_changed: looked at once a
 * turn (a handful of compares per port). */
static void journal_turn_end(void *ctx)
{
	struct evbd *d = ctx;
	for (unsigned i = 0; d->journal && i < d->nports; i++)
		journal_port(d->journal, d->ports[i]);
}

static void journal_publish(void *ctx, const struct ipc_event *e)
{
	struct evbd *d = ctx;
	ipc_monitor_publish(d->ipc, e);
}

int events_wire(struct evbd *d)
{
	if (!d->journal && !(d->journal = journal_new(journal_publish, d)))
		return -1;
	const struct loop_listener ls[] = {
	    {.ctx = d,
	     .turn_end = journal_turn_end,
	     .vsi_changed = journal_vsi,
	     .port_changed = journal_port_changed,
	     .port_removed = journal_port_gone},
	    {.ctx = d, .turn_end = ports_turn_end, .synced = ports_synced_cb},
	    {.ctx = d, .turn_end = trace_turn_end},
	    {.ctx = d, .vsi_changed = store_vsi, .synced = vsitype_store_synced},
	    {.ctx = d, .vsi_changed = policy_vsi},
	    {.ctx = d, .vsi_changed = cluster_vsi, .port_removed = cluster_port_gone},
	    {.ctx = d,
	     .turn_end = ipc_turn_end,
	     .vsi_changed = ipc_vsi,
	     .port_removed = ipc_port_gone,
	     .synced = ipc_store_synced},
	    {.ctx = d,
	     .vsi_changed = plugins_vsi,
	     .port_changed = plugins_port,
	     .port_removed = plugins_port_gone},
	    {.ctx = d, .port_removed = mib_port_gone},
	};
	for (size_t i = 0; i < sizeof(ls) / sizeof(ls[0]); i++)
		if (loop_listen(&d->loop, &ls[i]))
			return -1;
	return 0;
}
