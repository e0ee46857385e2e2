/* SPDX-License-Identifier: ISC */
/*
 * ipc_fleet.c - the fleet's VSIs as a dump and the cluster's state (see
 * ipc_fleet.h).
 */
#include "evbd/ipc_fleet.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "evbd/cluster.h"
#include "evbd/ipc_msg.h"
#include "evbd/ipc_out.h"

static bool no_cluster(struct req *rq)
{
	if (rq->ipc->d->cluster)
		return false;
	ipc_fail(rq, ENOTCONN,
		 "this evbd is not part of a fleet; configure etcd in the [cluster] section of "
		 "evbd.conf (see docs/fleet.md)");
	return true;
}

/* The next record of the dump: every record (cursor bucket/pos), or the
 * pos-th record of one VSIID. */
static const struct fleet_rec *next_rec(const struct fleet *f, struct ipc_dump *dm)
{
	struct fleet_cursor c = {.b = dm->cur.bucket, .i = dm->cur.pos};
	const struct fleet_rec *r;

	if (!dm->fleet_one) {
		r = fleet_next(f, &c);
		dm->cur.bucket = c.b;
		dm->cur.pos = c.i;
		return r;
	}
	r = fleet_next_of(f, &dm->fleet_key, NULL);
	for (size_t i = 0; r && i < dm->cur.pos; i++)
		r = fleet_next_of(f, &dm->fleet_key, (struct fleet_rec *)r);
	dm->cur.pos++;
	return r;
}

static int fleet_item(struct evbd_ipc *ipc, struct ipc_dump *dm, void *buf, size_t cap)
{
	const struct fleet *f = cluster_fleet(ipc->d->cluster);
	struct ipc_dump saved = *dm;
	const struct fleet_rec *r;
	struct ipc_msg m;

	while (f && (r = next_rec(f, dm)) && r->gone)
		; /* ended here, waiting for its delete in etcd */
	if (!f || !r)
		return 0;
	struct ipc_vsi v = {.role = EVB_ROLE_BRIDGE,
			    .key = r->key,
			    .type_id = r->type_id,
			    .type_ver = r->type_ver,
			    .confirmed = r->state,
			    .cmd = r->state,
			    .fif = r->fif,
			    .nfilters = r->nfilters,
			    .filters = r->filters};
	snprintf(v.ifname, sizeof(v.ifname), "%s", r->port);
	ipc_answer_start(&m, buf, cap, EVB_MSG_FLEET_VSI, NLM_F_MULTI, dm->seq);
	ipc_put_vsi(&m, &v);
	ipc_put_str(&m, EVB_A_SWITCH, r->sw);
	ipc_put_u64(&m, EVB_A_SINCE, r->since);
	if (m.full) {
		*dm = saved;
		return -ENOSPC;
	}
	return (int)m.nlh->nlmsg_len;
}

void ipc_handle_fleet_get(struct req *rq)
{
	const struct nlattr *const *tb = rq->at.tb;
	struct ipc_dump *dm;

	if (no_cluster(rq))
		return;
	if (!(dm = calloc(1, sizeof(*dm)))) {
		ipc_fail(rq, ENOMEM, "evbd is out of memory; cannot list the fleet's VSIs");
		return;
	}
	if (tb[EVB_A_VSIID_FMT] && tb[EVB_A_VSIID]) {
		dm->fleet_one = true;
		dm->fleet_key.fmt = mnl_attr_get_u8(tb[EVB_A_VSIID_FMT]);
		memcpy(dm->fleet_key.id, mnl_attr_get_payload(tb[EVB_A_VSIID]), VDP_VSIID_LEN);
	}
	dm->item = fleet_item;
	dm->seq = rq->seq;
	if (ipc_queue_dump(rq->ipc, rq->pid, dm))
		ipc_fail(rq, ENOMEM, "evbd is out of memory; cannot list the fleet's VSIs");
}

void ipc_handle_fleet_status(struct req *rq)
{
	struct cluster_stats s;
	struct ipc_msg m;
	char text[2048];

	if (no_cluster(rq))
		return;
	cluster_get_stats(rq->ipc->d->cluster, &s);
	snprintf(text, sizeof(text),
		 "switch: %s\nstate: %s\nendpoint: %s\nlease: %lld\ndown_seconds: %.1f\n"
		 "published: %llu\nbatches: %llu\npending: %zu\nfleet_vsis: %zu\nlocal_vsis: %zu\n"
		 "migrations: %llu\ntype_changes: %llu\nresyncs: %llu\nlast_error: %s\n",
		 cluster_switch_name(rq->ipc->d->cluster), cluster_state_name(s.state), s.endpoint,
		 (long long)s.lease, (double)s.down_us / 1e6, (unsigned long long)s.published,
		 (unsigned long long)s.batches, s.pending, s.fleet - s.local, s.local,
		 (unsigned long long)s.migrations, (unsigned long long)s.type_changes,
		 (unsigned long long)s.resyncs, s.last_error);
	ipc_answer_start(&m, rq->ipc->tbuf, sizeof(rq->ipc->tbuf), EVB_MSG_RESULT, 0, rq->seq);
	ipc_put_result(&m, 0, NULL);
	ipc_put_str(&m, EVB_A_TEXT, text);
	ipc_answer_send(rq->ipc, rq->pid, &m);
}
