/* SPDX-License-Identifier: ISC */
/*
 * fuzz_ipc_codec.c - libFuzzer target for the control protocol's decoders
 * (ipc/codec.c), the ones evbctl runs on evbd's answers and evbd on
 * requests: arbitrary attributes after a well-formed header go through
 * ipc_attrs_parse() and then every get function; an object that decodes is
 * put back and must decode again to the same values.
 * Input: [fif:1][attributes...].
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "ipc/codec.h"

static uint8_t IN[EVBD_IPC_MAX_MSG], OUT[EVBD_IPC_MAX_MSG];
static struct vdp_filter FILT[VDP_MAX_FILTERS], FILT2[VDP_MAX_FILTERS];

static void check(bool ok)
{
	if (!ok)
		abort();
}

/* Parse the message m again into a (which must work). */
static void reparse(const struct ipc_msg *m, struct ipc_attrs *a)
{
	check(!m->full);
	check(ipc_attrs_parse(m->nlh, a, NULL, 0) == 0);
}

static void vsi_again(const struct ipc_vsi *v)
{
	static struct ipc_attrs a;
	struct ipc_vsi w;
	struct ipc_msg m;
	ipc_msg_start(&m, OUT, sizeof(OUT), EVB_MSG_VSI, 0, 0);
	if (v->has_result)
		ipc_put_vsi(&m, v);
	else
		ipc_put_vsi_key(&m, v->ifname, v->role, &v->key);
	reparse(&m, &a);
	check(ipc_get_vsi(&a, &w, FILT2, NULL, 0) == 0);
	check(!memcmp(&w.key, &v->key, sizeof(w.key)) && !strcmp(w.ifname, v->ifname));
	check(!v->has_result || (w.nfilters == v->nfilters && w.result == v->result));
}

static void port_again(const struct ipc_port *p)
{
	static struct ipc_attrs a;
	static struct ipc_port q;
	struct ipc_msg m;
	ipc_msg_start(&m, OUT, sizeof(OUT), EVB_MSG_PORT, 0, 0);
	ipc_put_port(&m, p);
	reparse(&m, &a);
	check(ipc_get_port(&a, &q, NULL, 0) == 0);
	check(!memcmp(&q.drops, &p->drops, sizeof(q.drops)) && q.has_neighbor == p->has_neighbor);
	check(!p->has_neighbor ||
	      (q.nbr.chassis.len == p->nbr.chassis.len &&
	       !memcmp(q.nbr.chassis.id, p->nbr.chassis.id, q.nbr.chassis.len)));
}

static void vsitype_again(const struct vsitype *e, int64_t in_use)
{
	static struct ipc_attrs a;
	static struct vsitype f;
	int64_t f_in_use;
	struct ipc_msg m;
	ipc_msg_start(&m, OUT, sizeof(OUT), EVB_MSG_VSITYPE, 0, 0);
	check(ipc_put_vsitype(&m, EVB_A_VSITYPE, e, false, in_use));
	reparse(&m, &a);
	check(ipc_get_vsitype(a.tb[EVB_A_VSITYPE], &f, false, &f_in_use, NULL, 0) == 0);
	check(f.id == e->id && vidset_equal(&f.vids, &e->vids) && f.pcp == e->pcp &&
	      f_in_use == in_use);
}

static void daemon_again(const struct ipc_daemon *d)
{
	static struct ipc_attrs a;
	static struct ipc_daemon e;
	struct ipc_msg m;
	ipc_msg_start(&m, OUT, sizeof(OUT), EVB_MSG_RESULT, 0, 0);
	ipc_put_daemon(&m, d);
	reparse(&m, &a);
	check(ipc_get_daemon(a.tb[EVB_A_STATS], &e, NULL, 0) == 0);
	check(!strcmp(e.version, d->version) && e.uptime_us == d->uptime_us &&
	      e.ports == d->ports && !memcmp(&e.sock, &d->sock, sizeof(e.sock)) &&
	      e.held == d->held && e.held_peak == d->held_peak && e.persistent == d->persistent &&
	      e.synced_gen == d->synced_gen && e.pending == d->pending &&
	      e.not_durable == d->not_durable && !strcmp(e.store_why, d->store_why));
}

static void event_again(const struct ipc_event *e)
{
	static struct ipc_attrs a;
	static struct ipc_event f;
	struct ipc_msg m;
	ipc_msg_start(&m, OUT, sizeof(OUT), EVB_MSG_EVENT, 0, 0);
	ipc_put_event(&m, e);
	reparse(&m, &a);
	check(ipc_get_event(&a, &f, NULL, 0) == 0);
	check(f.kind == e->kind && f.seq == e->seq && f.time_us == e->time_us &&
	      !strcmp(f.ifname, e->ifname) && !memcmp(&f.key, &e->key, sizeof(f.key)) &&
	      f.has_nbr == e->has_nbr);
}

static void every_get(const struct ipc_attrs *a, uint8_t fif)
{
	static struct ipc_daemon dm;
	static struct ipc_port p;
	static struct vsitype e;
	int64_t in_use;
	const char *msg, *argv[EVB_ARGC_MAX + 1];
	const struct nlattr *tb[IPC_NEST_TB], *n;
	struct vdp_request r;
	struct ipc_vsi v;
	struct mib_oid o;
	struct mib_value mv;
	int err;
	char what[256];

	static struct ipc_event ev;
	ipc_get_result(a, &msg);
	if (!ipc_get_event(a, &ev, what, sizeof(what)))
		event_again(&ev);
	ipc_get_vsi_request(a, &r, FILT, what, sizeof(what));
	if (!ipc_get_vsi(a, &v, FILT, what, sizeof(what)))
		vsi_again(&v);
	if (!ipc_get_port(a, &p, what, sizeof(what)))
		port_again(&p);
	if (a->tb[EVB_A_STATS] && !ipc_get_daemon(a->tb[EVB_A_STATS], &dm, what, sizeof(what)))
		daemon_again(&dm);
	ipc_get_varbind(a, &o, &mv, &err, what, sizeof(what));
	ipc_get_value(a, &mv, what, sizeof(what));
	ipc_get_plugin_cmd(a, &msg, argv, what, sizeof(what));
	for (unsigned i = 0; i < a->nfilters; i++)
		ipc_get_filter(a->filters[i], fif, &FILT[i], what, sizeof(what));
	for (unsigned t = 0; t < EVB_A_MAX; t++)
		if (a->tb[t] && mnl_attr_get_type(a->tb[t]) == t)
			ipc_nest_parse(a->tb[t], tb, what, sizeof(what));
	if (a->tb[EVB_A_VSITYPE]) {
		ipc_get_vsitype(a->tb[EVB_A_VSITYPE], &e, true, NULL, what, sizeof(what));
		if (!ipc_get_vsitype(a->tb[EVB_A_VSITYPE], &e, false, &in_use, what, sizeof(what)))
			vsitype_again(&e, in_use);
	}
	if (!a->tb[EVB_A_VSITYPES])
		return;
	mnl_attr_for_each_nested(n, a->tb[EVB_A_VSITYPES])
	{
		if (mnl_attr_get_type(n) == EVB_A_VSITYPE)
			ipc_get_vsitype(n, &e, false, &in_use, what, sizeof(what));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ipc_attrs a;
	struct ipc_msg m;
	size_t hdr = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct evb_ipc_hdr));
	if (size < 1 || size - 1 > sizeof(IN) - hdr)
		return 0;
	ipc_msg_start(&m, IN, sizeof(IN), EVB_MSG_RESULT, 0, 0);
	memcpy(IN + hdr, data + 1, size - 1);
	m.nlh->nlmsg_len = (uint32_t)(hdr + size - 1);
	if (ipc_attrs_parse(m.nlh, &a, NULL, 0))
		return 0;
	every_get(&a, data[0]);
	return 0;
}
