/* SPDX-License-Identifier: ISC */
/*
 * ipc_admin.c - the control channel's administrative requests: the VSI type
 * database (evbd/vsitype.h), plugin commands, the EVB MIB (walk, get,
 * set; evbd/mib.h), and evbd's own state (STATS_GET).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "evbd/cluster.h"
#include "evbd/ipc_admin.h"
#include "evbd/ipc_msg.h"
#include "evbd/ipc_vsi.h"
#include "evbd/journal.h"
#include "evbd/log.h"
#include "evbd/mib.h"
#include "evbd/plugin.h"
#include "evbd/policy.h"
#include "evbd/store.h"
#include "evbd/vsitype.h"
#include "mib/evb_mib.h"

/* ---------------- VSI type database ---------------- */

/* An entry and how many VSIs use the type (not for the default entry). */
static void put_vsitype(struct ipc_msg *m, struct evbd *d, const struct vsitype *e)
{
	int64_t in_use = e->id == VSITYPE_DEFAULT ? -1 : (int64_t)policy_in_use(d, e->id, e->ver);
	ipc_put_vsitype(m, EVB_A_VSITYPE, e, false, in_use);
}

/* ---------------- plugin commands ---------------- */

void ipc_handle_plugin_cmd(struct req *rq)
{
	struct evbd_ipc *ipc = rq->ipc;
	const char *name, *argv[EVB_ARGC_MAX + 1];
	char what[IPC_MSG_MAX / 2];
	int argc = ipc_get_plugin_cmd(&rq->at, &name, argv, what, sizeof(what));
	if (argc < 0) {
		ipc_fail(rq, EINVAL, "malformed request: %s", what);
		return;
	}
	static char out[IPC_CHUNK];
	bool changes;
	int rc = plugins_command(ipc->d, name, &changes, out, sizeof(out));
	if (rc == -1) {
		char change[80];
		snprintf(change, sizeof(change), "the plugin command '%s'", name);
		if (changes && ipc_authorize(rq, change))
			return;
		rc = plugins_command_run(ipc->d, name, argc, argv, out, sizeof(out));
	}
	if (rc) {
		ipc_fail(rq, rc, "%s", out[0] ? out : strerror(rc));
		return;
	}
	struct ipc_msg m;
	ipc_answer_start(&m, ipc->tbuf, sizeof(ipc->tbuf), EVB_MSG_RESULT, 0, rq->seq);
	ipc_put_result(&m, 0, NULL);
	ipc_put_str(&m, EVB_A_TEXT, out);
	ipc_answer_send(ipc, rq->pid, &m);
}

/* A successful RESULT with an entry (e) and/or a count (count >= 0); for a
 * change (what), sent once the change is durable. */
static void answer_vsitype(struct req *rq, const struct vsitype *e, int64_t count, const char *what)
{
	struct evbd_ipc *ipc = rq->ipc;
	struct ipc_msg m;
	ipc_answer_start(&m, ipc->tbuf, sizeof(ipc->tbuf), EVB_MSG_RESULT, 0, rq->seq);
	ipc_put_result(&m, 0, NULL);
	if (e)
		put_vsitype(&m, ipc->d, e);
	if (count >= 0)
		ipc_put_u32(&m, EVB_A_COUNT, (uint32_t)count);
	if (what)
		ipc_answer_send_durable(ipc, rq->pid, &m, what);
	else
		ipc_answer_send(ipc, rq->pid, &m);
}

/* The entry key in EVB_A_VSITYPE; 0, or -1 after answering. */
static int req_vsitype_key(struct req *rq, struct vsitype *e)
{
	char err[IPC_MSG_MAX / 2];
	if (!rq->at.tb[EVB_A_VSITYPE]) {
		ipc_fail(rq, EINVAL, "the request names no VSI type (attribute VSITYPE missing)");
		return -1;
	}
	if (ipc_get_vsitype(rq->at.tb[EVB_A_VSITYPE], e, true, NULL, err, sizeof(err))) {
		ipc_fail(rq, EINVAL, "malformed VSI type request: %s", err);
		return -1;
	}
	return 0;
}

/* The entries of EVB_A_VSITYPES into *out (malloc'd); their number, or
 * -1 after answering. */
static long req_vsitype_list(struct req *rq, struct vsitype **out)
{
	const struct nlattr *list = rq->at.tb[EVB_A_VSITYPES], *a;
	char err[IPC_MSG_MAX / 2];
	size_t n = 0;
	*out = NULL;
	if (!list) {
		ipc_fail(rq, EINVAL,
			 "the request carries no VSI types (attribute VSITYPES missing)");
		return -1;
	}
	mnl_attr_for_each_nested(a, list) n++;
	if (n > VSITYPE_MAX) {
		ipc_fail(rq, ENOSPC, "the request carries %zu VSI types; evbd keeps at most %d", n,
			 VSITYPE_MAX);
		return -1;
	}
	*out = calloc(n ? n : 1, sizeof(**out));
	if (!*out) {
		ipc_fail(rq, ENOMEM,
			 "evbd is out of memory; the VSI type database was not changed");
		return -1;
	}
	n = 0;
	mnl_attr_for_each_nested(a, list)
	{
		if (mnl_attr_get_type(a) != EVB_A_VSITYPE ||
		    ipc_get_vsitype(a, &(*out)[n], false, NULL, err, sizeof(err))) {
			ipc_fail(rq, EINVAL, "VSI type entry %zu of the request: %s", n + 1,
				 mnl_attr_get_type(a) != EVB_A_VSITYPE ? "not a VSI type" : err);
			free(*out);
			*out = NULL;
			return -1;
		}
		n++;
	}
	return (long)n;
}

/* ---------------- the fleet's shared database ---------------- */

/* A type change sent to etcd (evbd/cluster.h): answered when etcd did. */
struct fleet_change {
	struct evbd_ipc *ipc;
	uint32_t pid, seq, uid;
	long count;
	bool del, deassoc;
	uint32_t id;
	uint8_t ver;
};

static void fleet_change_done(void *ctx, int err, const char *why)
{
	struct fleet_change *fc = ctx;
	struct evbd_ipc *ipc = fc->ipc;
	char ks[48];

	if (err) {
		struct answer a = {.err = -err, .msg = why};
		ipc_answer_result(ipc, fc->pid, fc->seq, &a);
	} else {
		long count = fc->count;
		if (fc->del && fc->deassoc)
			count = policy_end_type(ipc->d, fc->id, fc->ver);
		if (fc->del)
			log_notice("fleet VSI type database: %s removed by uid %u",
				   vsitype_key_str(fc->id, fc->ver, ks, sizeof(ks)), fc->uid);
		else
			log_notice("fleet VSI type database: %ld entr%s written by uid %u", count,
				   count == 1 ? "y" : "ies", fc->uid);
		struct ipc_msg m;
		ipc_answer_start(&m, ipc->tbuf, sizeof(ipc->tbuf), EVB_MSG_RESULT, 0, fc->seq);
		ipc_put_result(&m, 0, NULL);
		ipc_put_u32(&m, EVB_A_COUNT, (uint32_t)count);
		ipc_answer_send(ipc, fc->pid, &m);
	}
	loop_kick(&ipc->d->loop);
	free(fc);
}

static struct fleet_change *fleet_change_new(struct req *rq)
{
	struct fleet_change *fc = calloc(1, sizeof(*fc));

	if (!fc) {
		ipc_fail(rq, ENOMEM, "evbd is out of memory; nothing was changed");
		return NULL;
	}
	*fc = (struct fleet_change){
	    .ipc = rq->ipc, .pid = rq->pid, .seq = rq->seq, .uid = (uint32_t)rq->cred.uid};
	return fc;
}

/* With a cluster the change goes to etcd; answered later.  True when so. */
static bool fleet_type_set(struct req *rq, const struct vsitype *es, long n)
{
	struct cluster *cl = rq->ipc->d->cluster;
	struct fleet_change *fc;
	char err[IPC_MSG_MAX / 2];

	if (!cl || !(fc = fleet_change_new(rq)))
		return cl != NULL;
	fc->count = n;
	int rc = cluster_types_put(cl, es, (size_t)n, rq->flags & EVB_F_REPLACE, fleet_change_done,
				   fc, err, sizeof(err));
	if (rc) {
		free(fc);
		ipc_fail(rq, -rc, "the fleet's VSI type database was not changed: %s", err);
	}
	return true;
}

static bool fleet_type_del(struct req *rq, const struct vsitype *k)
{
	struct cluster *cl = rq->ipc->d->cluster;
	struct fleet_change *fc;
	char err[IPC_MSG_MAX / 2];

	if (!cl || !(fc = fleet_change_new(rq)))
		return cl != NULL;
	fc->del = true;
	fc->deassoc = rq->flags & EVB_F_DEASSOC;
	fc->id = k->id;
	fc->ver = k->ver;
	int rc = cluster_types_del(cl, k->id, k->ver, fleet_change_done, fc, err, sizeof(err));
	if (rc) {
		free(fc);
		ipc_fail(rq, -rc, "%s", err);
	}
	return true;
}

void ipc_handle_vsitype_set(struct req *rq)
{
	struct vsitype *es;
	char err[IPC_MSG_MAX / 2];
	long n = req_vsitype_list(rq, &es);
	if (n < 0)
		return;
	if (fleet_type_set(rq, es, n)) {
		free(es);
		return;
	}
	bool all = rq->flags & EVB_F_REPLACE;
	int rc = vsitype_db_apply(rq->ipc->d->types, es, (size_t)n, all, err, sizeof(err));
	free(es);
	if (rc) {
		ipc_fail(rq, -rc, "the VSI type database was not changed: %s", err);
		return;
	}
	log_notice("VSI type database: %ld entr%s %s by uid %u", n, n == 1 ? "y" : "ies",
		   all ? "now make up the database" : "added or replaced", (unsigned)rq->cred.uid);
	answer_vsitype(rq, NULL, n, "change the VSI type database");
}

void ipc_handle_vsitype_del(struct req *rq)
{
	struct vsitype k;
	char err[IPC_MSG_MAX / 2], ks[48];
	if (req_vsitype_key(rq, &k) || fleet_type_del(rq, &k))
		return;
	int rc = vsitype_db_del(rq->ipc->d->types, k.id, k.ver, err, sizeof(err));
	if (rc) {
		ipc_fail(rq, -rc, "%s", err);
		return;
	}
	unsigned ended = 0;
	if (rq->flags & EVB_F_DEASSOC)
		ended = policy_end_type(rq->ipc->d, k.id, k.ver);
	log_notice("VSI type database: %s removed by uid %u%s%u%s",
		   vsitype_key_str(k.id, k.ver, ks, sizeof(ks)), (unsigned)rq->cred.uid,
		   rq->flags & EVB_F_DEASSOC ? "; " : "", ended,
		   rq->flags & EVB_F_DEASSOC ? " of its VSIs de-associated" : "");
	char what[IPC_WHAT_MAX];
	snprintf(what, sizeof(what), "remove %s from the VSI type database", ks);
	answer_vsitype(rq, NULL, ended, what);
}

void ipc_handle_vsitype_get(struct req *rq)
{
	struct vsitype k;
	char ks[48];
	if (req_vsitype_key(rq, &k))
		return;
	const struct vsitype *e = vsitype_db_find(rq->ipc->d->types, k.id, k.ver);
	if (!e) {
		ipc_fail(rq, ENOENT,
			 "%s is not in the VSI type database; 'evbctl vsitype list' shows what is",
			 vsitype_key_str(k.id, k.ver, ks, sizeof(ks)));
		return;
	}
	answer_vsitype(rq, e, -1, NULL);
}

/* The next entry of a VSI type dump (see dump_item). */
int ipc_vsitype_item(struct evbd_ipc *ipc, struct ipc_dump *dm, void *buf, size_t cap)
{
	const struct vsitype *e = vsitype_db_at(ipc->d->types, dm->cur.pos);
	struct ipc_msg m;
	if (!e)
		return 0;
	ipc_answer_start(&m, buf, cap, EVB_MSG_VSITYPE, NLM_F_MULTI, dm->seq);
	put_vsitype(&m, ipc->d, e);
	if (m.full)
		return -ENOSPC;
	dm->cur.pos++;
	return (int)m.nlh->nlmsg_len;
}

/* ---------------- the EVB MIB ---------------- */

/* The request's EVB_A_MIB_OID (the whole MIB when absent and not
 * required).  0, or an errno after answering. */
int ipc_req_oid(struct req *rq, struct mib_oid *o, bool required)
{
	char what[IPC_MSG_MAX / 2];
	int rc = ipc_get_oid(&rq->at, o, what, sizeof(what));
	if (rc == -ENOENT && required) {
		ipc_fail(rq, EINVAL, "malformed request: no OID given");
		return EINVAL;
	}
	if (rc == -ENOENT) {
		o->len = MIB_EVB_ROOT_LEN;
		memcpy(o->a, mib_evb_root, sizeof(mib_evb_root));
		return 0;
	}
	if (rc) {
		ipc_fail(rq, EINVAL, "malformed request: %s", what);
		return EINVAL;
	}
	return 0;
}

/* The next instance of a MIB walk (see dump_item). */
int ipc_mib_item(struct evbd_ipc *ipc, struct ipc_dump *dm, void *buf, size_t cap)
{
	const struct mib_tree *t = evbd_mib_tree(ipc->d);
	struct mib_oid next;
	struct mib_value v;
	struct ipc_msg m;
	if (!t || mib_getnext(t, &dm->mib[0], &next, &v) != MIB_OK ||
	    !mib_oid_has_prefix(&next, dm->mib[1].a, dm->mib[1].len))
		return 0;
	ipc_answer_start(&m, buf, cap, EVB_MSG_MIB_VB, NLM_F_MULTI, dm->seq);
	ipc_put_varbind(&m, &next, &v, MIB_OK);
	if (m.full)
		return -ENOSPC;
	dm->mib[0] = next;
	return (int)m.nlh->nlmsg_len;
}

void ipc_handle_mib_get(struct req *rq)
{
	struct evbd_ipc *ipc = rq->ipc;
	const struct mib_tree *t = evbd_mib_tree(ipc->d);
	struct mib_oid o;
	struct mib_value v;
	struct ipc_msg m;
	if (ipc_req_oid(rq, &o, true))
		return;
	int r = t ? mib_get(t, &o, &v) : MIB_NO_SUCH_OBJECT;
	ipc_answer_start(&m, ipc->tbuf, sizeof(ipc->tbuf), EVB_MSG_RESULT, 0, rq->seq);
	ipc_put_result(&m, 0, NULL);
	ipc_put_varbind(&m, &o, &v, r);
	ipc_answer_send(ipc, rq->pid, &m);
}

void ipc_handle_mib_set(struct req *rq)
{
	struct evbd_ipc *ipc = rq->ipc;
	const struct mib_tree *t = evbd_mib_tree(ipc->d);
	struct mib_oid o;
	struct mib_value v;
	char err[IPC_MSG_MAX - 64] = "";
	if (ipc_req_oid(rq, &o, true))
		return;
	if (ipc_get_value(&rq->at, &v, err, sizeof(err))) {
		ipc_fail(rq, EINVAL, "malformed request: %s", err);
		return;
	}
	err[0] = '\0';
	int r = t ? mib_set(t, &o, &v, true, err, sizeof(err)) : MIB_ERR_NOT_WRITABLE;
	if (r == MIB_OK) {
		struct answer a = {0};
		ipc_answer_durable(ipc, rq->pid, rq->seq, &a, "set a MIB object");
		return;
	}
	struct ipc_msg m;
	ipc_answer_start(&m, ipc->tbuf, sizeof(ipc->tbuf), EVB_MSG_RESULT, 0, rq->seq);
	ipc_put_result(&m, r == MIB_ERR_COMMIT_FAILED ? EIO : EINVAL,
		       err[0] ? err : mib_err_name(r));
	ipc_put_u8(&m, EVB_A_MIB_ERR, (uint8_t)r);
	ipc_answer_send(ipc, rq->pid, &m);
}

/* ---------------- evbd's own state ---------------- */

static void daemon_state(const struct evbd_ipc *ipc, struct ipc_daemon *o)
{
	const struct evbd *d = ipc->d;
	const struct ipc_stats *st = &ipc->stats;
	const char *why = store_error(d->store);
	uint64_t now = loop_now(&d->loop);

	memset(o, 0, sizeof(*o));
	snprintf(o->version, sizeof(o->version), "%s", EVBD_VERSION);
	o->uptime_us = now > ipc->opened_us ? now - ipc->opened_us : 0;
	o->ports = d->nports;
	o->sock = (struct ipc_sock_counters){.requests = st->requests,
					     .refused = st->refused,
					     .rx_dropped = st->rx_dropped,
					     .rx_malformed = st->rx_malformed,
					     .over_budget = st->over_budget,
					     .stalled = st->stalled,
					     .tx_backlogged = st->tx_backlogged,
					     .tx_lost = st->tx_lost,
					     .waiters = st->waiters};
	o->held = st->held;
	o->held_peak = st->held_peak;
	o->persistent = d->store != NULL;
	o->synced_gen = store_synced_gen(d->store);
	size_t pending = store_pending(d->store);
	o->pending = pending > UINT32_MAX ? UINT32_MAX : (uint32_t)pending;
	o->not_durable = st->not_durable;
	snprintf(o->store_why, sizeof(o->store_why), "%s", why ? why : "");
	o->pid = (uint32_t)getpid();
	o->subscribers = ipc->nsubs;
	o->subs_dropped = st->subs_dropped;
	o->events = journal_count(d->journal);
}

void ipc_handle_stats_clear(struct req *rq)
{
	struct evbd_ipc *ipc = rq->ipc;
	struct evbd *d = ipc->d;
	struct evbd_port *one = NULL;
	uint32_t n = 0;
	if (rq->at.tb[EVB_A_IFNAME] && !(one = ipc_req_port(rq, false)))
		return;
	for (unsigned i = 0; i < d->nports; i++) {
		if (one && d->ports[i] != one)
			continue;
		if (ipc_counters_clear(ipc, d->ports[i])) {
			ipc_fail(rq, ENOMEM,
				 "evbd is out of memory; the counters of port %s were not "
				 "cleared",
				 d->ports[i]->ifname);
			return;
		}
		n++;
	}
	log_notice("counters cleared on %s (by uid %u)", one ? one->ifname : "every port",
		   (unsigned)rq->cred.uid);
	struct ipc_msg m;
	ipc_answer_start(&m, ipc->tbuf, sizeof(ipc->tbuf), EVB_MSG_RESULT, 0, rq->seq);
	ipc_put_result(&m, 0, NULL);
	ipc_put_u32(&m, EVB_A_COUNT, n);
	ipc_answer_send(ipc, rq->pid, &m);
}

void ipc_handle_stats_get(struct req *rq)
{
	struct evbd_ipc *ipc = rq->ipc;
	struct ipc_daemon o;
	struct ipc_msg m;
	daemon_state(ipc, &o);
	ipc_answer_start(&m, ipc->tbuf, sizeof(ipc->tbuf), EVB_MSG_RESULT, 0, rq->seq);
	ipc_put_result(&m, 0, NULL);
	ipc_put_daemon(&m, &o);
	ipc_answer_send(ipc, rq->pid, &m);
}
