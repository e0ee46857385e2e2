/* SPDX-License-Identifier: ISC */
/*
 * plugin.c - evbd's plugin loader (see plugin.h) and the operations it
 * offers plugins (plugins/plugin_api.h): fds and timers on the daemon's
 * libevent loop, ports, VSI requests and views, the MIB, configuration,
 * logging.  It owns the conversion between the core's structures (vdp/,
 * mib/) and the plugin API's own: plugins never see the former, and the
 * compile-time checks below keep the protocol constants of both equal.
 */
#include "evbd/plugin.h"

#include <assert.h>
#include <dlfcn.h>
#include <errno.h>
#include <event2/event.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evbd/ipc_msg.h"
#include "evbd/log.h"
#include "evbd/mib.h"
#include "evbd/port.h"
#include "evbd/portset.h"
#include "mib/evb_mib.h"
#include "plugins/plugin_api.h"

/* The plugin API names the values of IEEE 802.1Qbg-2012 clause 41.2 and of
 * SNMP itself; they must be vdp/'s and mib/'s (compared as numbers: some
 * are enumerators of different types). */
#define SAME(a, b) ((long)(a) == (long)(b))
static_assert(SAME(EVBD_VDP_PREASSOC, VDP_TLV_PREASSOC) &&
		  SAME(EVBD_VDP_PREASSOC_RR, VDP_TLV_PREASSOC_RR) &&
		  SAME(EVBD_VDP_ASSOC, VDP_TLV_ASSOC) && SAME(EVBD_VDP_DEASSOC, VDP_TLV_DEASSOC),
	      "plugin_api.h and vdp/ differ on the VSI TLV types");
static_assert(SAME(EVBD_VDP_STATUS_RESPONSE, VDP_STATUS_RESPONSE) &&
		  SAME(EVBD_VDP_STATUS_SBIT, VDP_STATUS_SBIT) &&
		  SAME(EVBD_VDP_STATUS_MBIT, VDP_STATUS_MBIT) &&
		  SAME(EVBD_VDP_STATUS_KEEP, VDP_STATUS_KEEP) &&
		  SAME(EVBD_VDP_STATUS_HARD, VDP_STATUS_HARD) &&
		  SAME(EVBD_VDP_STATUS_REASON, VDP_STATUS_REASON),
	      "plugin_api.h and vdp/ differ on the status octet");
static_assert(SAME(EVBD_VDP_RSN_SUCCESS, VDP_RSN_SUCCESS) &&
		  SAME(EVBD_VDP_RSN_INVALID_FMT, VDP_RSN_INVALID_FMT) &&
		  SAME(EVBD_VDP_RSN_NO_RESOURCES, VDP_RSN_NO_RESOURCES) &&
		  SAME(EVBD_VDP_RSN_NO_MANAGER, VDP_RSN_NO_MANAGER) &&
		  SAME(EVBD_VDP_RSN_OTHER, VDP_RSN_OTHER) &&
		  SAME(EVBD_VDP_RSN_INVALID_ID, VDP_RSN_INVALID_ID),
	      "plugin_api.h and vdp/ differ on the reason codes");
static_assert(SAME(EVBD_VSIID_IPV4, VDP_VSIID_IPV4) && SAME(EVBD_VSIID_IPV6, VDP_VSIID_IPV6) &&
		  SAME(EVBD_VSIID_MAC, VDP_VSIID_MAC) && SAME(EVBD_VSIID_LOCAL, VDP_VSIID_LOCAL) &&
		  SAME(EVBD_VSIID_UUID, VDP_VSIID_UUID) && SAME(EVBD_VSIID_LEN, VDP_VSIID_LEN) &&
		  SAME(EVBD_MGRID_LEN, VDP_MGRID_LEN),
	      "plugin_api.h and vdp/ differ on the VSIID formats or lengths");
static_assert(SAME(EVBD_FIF_VID, VDP_FIF_VID) && SAME(EVBD_FIF_MACVID, VDP_FIF_MACVID) &&
		  SAME(EVBD_FIF_GROUPVID, VDP_FIF_GROUPVID) &&
		  SAME(EVBD_FIF_GROUPMACVID, VDP_FIF_GROUPMACVID) &&
		  SAME(EVBD_PSPCPVID_PS, VDP_PSPCPVID_PS) &&
		  SAME(EVBD_PSPCPVID_PCP, VDP_PSPCPVID_PCP) &&
		  SAME(EVBD_PSPCPVID_VID, VDP_PSPCPVID_VID) && SAME(EVBD_VID_MAX, VDP_VID_MAX) &&
		  SAME(EVBD_VSI_FILTERS_MAX, VDP_MAX_FILTERS),
	      "plugin_api.h and vdp/ differ on the filter info formats");
static_assert(SAME(EVBD_OID_MAX, MIB_OID_MAX) && SAME(EVBD_MIB_OCTETS_MAX, MIB_OCTETS_MAX),
	      "plugin_api.h and mib/ differ on the OID or octet string sizes");
static_assert(SAME(EVBD_MIB_INTEGER, MIB_INTEGER) && SAME(EVBD_MIB_OCTETS, MIB_OCTETS) &&
		  SAME(EVBD_MIB_COUNTER32, MIB_COUNTER32) &&
		  SAME(EVBD_MIB_UNSIGNED32, MIB_UNSIGNED32) &&
		  SAME(EVBD_MIB_TIMETICKS, MIB_TIMETICKS),
	      "plugin_api.h and mib/ differ on the value types");
static_assert(SAME(EVBD_MIB_OK, MIB_OK) && SAME(EVBD_MIB_ERR_NO_ACCESS, MIB_ERR_NO_ACCESS) &&
		  SAME(EVBD_MIB_ERR_WRONG_TYPE, MIB_ERR_WRONG_TYPE) &&
		  SAME(EVBD_MIB_ERR_WRONG_LENGTH, MIB_ERR_WRONG_LENGTH) &&
		  SAME(EVBD_MIB_ERR_WRONG_VALUE, MIB_ERR_WRONG_VALUE) &&
		  SAME(EVBD_MIB_ERR_NO_CREATION, MIB_ERR_NO_CREATION) &&
		  SAME(EVBD_MIB_ERR_INCONSISTENT_VALUE, MIB_ERR_INCONSISTENT_VALUE) &&
		  SAME(EVBD_MIB_ERR_RESOURCE_UNAVAILABLE, MIB_ERR_RESOURCE_UNAVAILABLE) &&
		  SAME(EVBD_MIB_ERR_COMMIT_FAILED, MIB_ERR_COMMIT_FAILED) &&
		  SAME(EVBD_MIB_ERR_NOT_WRITABLE, MIB_ERR_NOT_WRITABLE) &&
		  SAME(EVBD_MIB_NO_SUCH_OBJECT, MIB_NO_SUCH_OBJECT) &&
		  SAME(EVBD_MIB_NO_SUCH_INSTANCE, MIB_NO_SUCH_INSTANCE) &&
		  SAME(EVBD_MIB_END_OF_VIEW, MIB_END_OF_VIEW),
	      "plugin_api.h and mib/ differ on the SNMP errors");
/* evbd's VSI results are its own: a new one needs its plugin API value in
 * result_api[] (and a new ABI). */
static_assert(VSI_RESULTS == 6, "a VSI result the plugin API does not know");

struct loaded {
	const struct evbd_plugin *pl;
	void *handle; /* dlopen */
	void *state;  /* init's */
	char name[EVBD_PLUGIN_NAME_MAX];
};

#define PLUGIN_CMDS_MAX 32

struct plugin_cmd {
	char name[32];
	bool changes;
	evbd_plugin_cmd_cb cb;
	void *arg;
};

struct evbd_plugins {
	unsigned n;
	struct loaded p[EVBD_MAX_PLUGINS];
	struct evbd_plugin_ops ops;
	unsigned ncmds;
	struct plugin_cmd cmds[PLUGIN_CMDS_MAX];
	struct evbd_oid mib_root;
	/* what vsi_find / vsi_next return (valid until the next call) */
	struct evbd_vsi_view view;
	struct evbd_vsi_filter view_filters[EVBD_VSI_FILTERS_MAX];
};

struct evbd_plugin_fd {
	struct event *ev;
	int fd;
	evbd_plugin_fd_cb cb;
	void *arg;
};

struct evbd_plugin_timer {
	struct event *ev;
	evbd_plugin_timer_cb cb;
	void *arg;
};

/* ---------------- operations ---------------- */

static void on_fd(evutil_socket_t fd, short what, void *arg)
{
	(void)what;
	struct evbd_plugin_fd *f = arg;
	f->cb((int)fd, f->arg);
}

static struct evbd_plugin_fd *op_fd_add(struct evbd *d, int fd, evbd_plugin_fd_cb cb, void *arg)
{
	struct evbd_plugin_fd *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	*f = (struct evbd_plugin_fd){.fd = fd, .cb = cb, .arg = arg};
	f->ev = event_new(d->loop.base, fd, EV_READ | EV_PERSIST, on_fd, f);
	if (!f->ev || event_add(f->ev, NULL)) {
		if (f->ev)
			event_free(f->ev);
		free(f);
		return NULL;
	}
	return f;
}

static void op_fd_del(struct evbd_plugin_fd *f)
{
	if (!f)
		return;
	event_free(f->ev);
	free(f);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct evbd_plugin_timer *t = arg;
	t->cb(t->arg);
}

static struct evbd_plugin_timer *op_timer_new(struct evbd *d, evbd_plugin_timer_cb cb, void *arg)
{
	struct evbd_plugin_timer *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	*t = (struct evbd_plugin_timer){.cb = cb, .arg = arg};
	t->ev = evtimer_new(d->loop.base, on_timer, t);
	if (!t->ev) {
		free(t);
		return NULL;
	}
	return t;
}

static void op_timer_arm(struct evbd_plugin_timer *t, uint64_t delay_us)
{
	struct timeval tv = {.tv_sec = (time_t)(delay_us / 1000000u),
			     .tv_usec = (suseconds_t)(delay_us % 1000000u)};
	evtimer_add(t->ev, &tv);
}

static void op_timer_disarm(struct evbd_plugin_timer *t)
{
	evtimer_del(t->ev);
}

static void op_timer_free(struct evbd_plugin_timer *t)
{
	if (!t)
		return;
	event_free(t->ev);
	free(t);
}

static struct evbd_port *op_port_find_ifindex(struct evbd *d, int ifindex)
{
	for (unsigned i = 0; ifindex > 0 && i < d->nports; i++)
		if (d->ports[i]->present && d->ports[i]->ifindex == ifindex)
			return d->ports[i];
	return NULL;
}

static void op_port_info(const struct evbd_port *p, struct evbd_plugin_port_info *info)
{
	*info = (struct evbd_plugin_port_info){
	    .ifname = p->ifname,
	    .ifindex = p->present ? p->ifindex : 0,
	    .present = p->present,
	    .link_up = p->link_up,
	    .station = p->conf.evb.role == EVB_ROLE_STATION,
	    .negotiated = p->lldp.oper.valid,
	    .rr = p->lldp.oper.valid && p->lldp.oper.rr,
	};
}

/* ---------------- VSI views and requests ---------------- */

static const uint8_t result_api[VSI_RESULTS] = {
    [VSI_PENDING] = EVBD_VSI_PENDING,
    [VSI_PREASSOCIATED] = EVBD_VSI_PREASSOCIATED,
    [VSI_PREASSOCIATED_RR] = EVBD_VSI_PREASSOCIATED_RR,
    [VSI_ASSOCIATED] = EVBD_VSI_ASSOCIATED,
    [VSI_DEASSOCIATED] = EVBD_VSI_DEASSOCIATED,
    [VSI_FAILED] = EVBD_VSI_FAILED,
};

static unsigned view_events(const struct vdp_sm_out *out)
{
	return (out->notify ? EVBD_VSI_EV_NOTIFY : 0u) | (out->bind ? EVBD_VSI_EV_BIND : 0u) |
	       (out->unbind ? EVBD_VSI_EV_UNBIND : 0u) | (out->remove ? EVBD_VSI_EV_REMOVE : 0u);
}

/* Fill w from v, its filters into f (room for EVBD_VSI_FILTERS_MAX, which
 * the core never exceeds: a VSI is one TLV). */
static void view_fill(struct evbd_vsi_view *w, struct evbd_vsi_filter *f, const struct vdp_vsi *v,
		      unsigned events)
{
	const struct vdp_filter *vf = vsi_filters(v);
	uint16_t n = v->nfilters < EVBD_VSI_FILTERS_MAX ? v->nfilters : EVBD_VSI_FILTERS_MAX;
	*w = (struct evbd_vsi_view){
	    .key.format = v->key.fmt,
	    .type_id = v->type_id,
	    .type_version = v->type_ver,
	    .command = v->cmd,
	    .in_force = v->confirmed,
	    .hints = v->hints,
	    .result = v->result < VSI_RESULTS ? result_api[v->result] : EVBD_VSI_FAILED,
	    .status = v->status,
	    .reason = v->reason,
	    .filter_format = v->fif,
	    .nfilters = n,
	    .filters = f,
	    .events = events,
	};
	memcpy(w->key.id, v->key.id, sizeof(w->key.id));
	memcpy(w->mgrid, v->mgrid, sizeof(w->mgrid));
	for (uint16_t i = 0; i < n; i++) {
		f[i] = (struct evbd_vsi_filter){
		    .group_id = vf[i].group, .vid = vf[i].vid, .pcp = vf[i].pcp, .ps = vf[i].ps};
		memcpy(f[i].mac, vf[i].mac, sizeof(f[i].mac));
	}
}

static const struct evbd_vsi_view *op_view(struct evbd_port *p, const struct vdp_vsi *v)
{
	struct evbd_plugins *ps = p->d->plugins;
	if (!v)
		return NULL;
	view_fill(&ps->view, ps->view_filters, v, 0);
	return &ps->view;
}

static const struct evbd_vsi_view *op_vsi_find(struct evbd_port *p, const struct evbd_vsi_key *k)
{
	struct vdp_vsi_key key = {.fmt = k->format};
	memcpy(key.id, k->id, sizeof(key.id));
	return op_view(p, vsi_table_find(&p->vdp.vsis, &key));
}

static const struct evbd_vsi_view *op_vsi_next(struct evbd_port *p, struct evbd_vsi_cursor *c)
{
	struct vsi_cursor vc = {.bucket = c->opaque[0], .pos = c->opaque[1]};
	const struct vdp_vsi *v = vsi_table_next(&p->vdp.vsis, &vc);
	c->opaque[0] = vc.bucket;
	c->opaque[1] = vc.pos;
	return op_view(p, v);
}

static size_t op_vsi_count(struct evbd_port *p)
{
	return p->vdp.vsis.count;
}

static int op_vsi_request(struct evbd_port *p, const struct evbd_vsi_request *r, uint8_t *reason)
{
	struct vdp_filter f[VDP_MAX_FILTERS];
	if (r->nfilters > VDP_MAX_FILTERS) {
		if (reason)
			*reason = VDP_RSN_INVALID_FMT; /* more entries than one TLV holds */
		return -EINVAL;
	}
	struct vdp_request vr = {.type = r->command,
				 .hints = r->hints,
				 .type_id = r->type_id,
				 .type_ver = r->type_version,
				 .key.fmt = r->key.format,
				 .fif = r->filter_format,
				 .nfilters = r->nfilters,
				 .filters = f};
	memcpy(vr.mgrid, r->mgrid, sizeof(vr.mgrid));
	memcpy(vr.key.id, r->key.id, sizeof(vr.key.id));
	for (uint16_t i = 0; i < r->nfilters; i++) {
		f[i] = (struct vdp_filter){.group = r->filters[i].group_id,
					   .vid = r->filters[i].vid,
					   .pcp = r->filters[i].pcp,
					   .ps = r->filters[i].ps};
		memcpy(f[i].mac, r->filters[i].mac, sizeof(f[i].mac));
	}
	int err = port_vsi_request(p, &vr, NULL, reason);
	/* The plugin answers (libvirt) when this returns: commit the change
	 * first.  A failed commit is logged and retried; it is not returned,
	 * since the change is in force and the plugin would forget it. */
	if (!err)
		loop_commit(&p->d->loop);
	return err;
}

static const char *op_conf_get(struct evbd *d, const char *plugin, const char *key)
{
	return conf_plugin_get(&d->conf, plugin, key);
}

static void op_conf_keys(struct evbd *d, const char *plugin,
			 void (*visit)(void *arg, const char *key, unsigned line), void *arg)
{
	for (unsigned i = 0; i < d->conf.nplugin_kv; i++)
		if (!strcmp(d->conf.plugin_kv[i].plugin, plugin))
			visit(arg, d->conf.plugin_kv[i].key, d->conf.plugin_kv[i].line);
}

__attribute__((format(printf, 2, 3))) static void op_log(int level, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	log_msg(level, "%s", text);
}

static bool cmd_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (!n || n >= sizeof(((struct plugin_cmd *)0)->name))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		      name[i] == '-'))
			return false;
	return true;
}

static const struct plugin_cmd *cmd_find(const struct evbd_plugins *ps, const char *name)
{
	for (unsigned i = 0; i < ps->ncmds; i++)
		if (!strcmp(ps->cmds[i].name, name))
			return &ps->cmds[i];
	return NULL;
}

static int op_ipc_command_add(struct evbd *d, const char *name, bool changes, evbd_plugin_cmd_cb cb,
			      void *arg)
{
	struct evbd_plugins *ps = d->plugins;
	if (!ps || !cb || !name || !cmd_name_ok(name))
		return -EINVAL;
	if (cmd_find(ps, name))
		return -EEXIST;
	if (ps->ncmds >= PLUGIN_CMDS_MAX)
		return -ENOSPC;
	struct plugin_cmd *c = &ps->cmds[ps->ncmds++];
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->changes = changes;
	c->cb = cb;
	c->arg = arg;
	return 0;
}

static int unknown_cmd(const char *name, char *out, size_t outlen)
{
	snprintf(out, outlen,
		 "no plugin offers the command '%s'; 'evbctl plugin' lists the commands of the "
		 "loaded plugins",
		 name);
	return ENOENT;
}

int plugins_command(struct evbd *d, const char *name, bool *changes, char *out, size_t outlen)
{
	const struct evbd_plugins *ps = d->plugins;
	*changes = false;
	if (!name[0]) { /* list */
		size_t off = 0;
		out[0] = 0;
		for (unsigned i = 0; ps && i < ps->ncmds && off < outlen; i++)
			off += (size_t)snprintf(out + off, outlen - off, "%s%s\n", ps->cmds[i].name,
						ps->cmds[i].changes ? " (changes state)" : "");
		return 0;
	}
	const struct plugin_cmd *c = ps ? cmd_find(ps, name) : NULL;
	if (!c)
		return unknown_cmd(name, out, outlen);
	*changes = c->changes;
	return -1; /* found: the caller authorizes, then calls plugins_command_run */
}

int plugins_command_run(struct evbd *d, const char *name, int argc, const char *const *argv,
			char *out, size_t outlen)
{
	const struct plugin_cmd *c = d->plugins ? cmd_find(d->plugins, name) : NULL;
	out[0] = 0;
	if (!c) /* not found by plugins_command() first: answer as it does */
		return unknown_cmd(name, out, outlen);
	int rc = c->cb(c->arg, argc, argv, out, outlen);
	out[outlen - 1] = 0;
	return rc < 0 ? -rc : rc;
}

/* ---------------- the MIB ---------------- */

static bool oid_in(const struct evbd_oid *o, struct mib_oid *m)
{
	if (o->len > MIB_OID_MAX)
		return false;
	m->len = o->len;
	memcpy(m->a, o->a, o->len * sizeof(m->a[0]));
	return true;
}

static void oid_out(const struct mib_oid *m, struct evbd_oid *o)
{
	o->len = m->len;
	memcpy(o->a, m->a, m->len * sizeof(o->a[0]));
}

static void value_in(const struct evbd_mib_value *v, struct mib_value *m)
{
	*m = (struct mib_value){.type = v->type, .len = v->len};
	memcpy(m->s, v->s, sizeof(m->s)); /* the union: i, u or s */
}

static void value_out(const struct mib_value *m, struct evbd_mib_value *v)
{
	*v = (struct evbd_mib_value){.type = m->type, .len = m->len};
	memcpy(v->s, m->s, sizeof(v->s));
}

static int op_mib_get(struct evbd *d, const struct evbd_oid *o, struct evbd_mib_value *v)
{
	const struct mib_tree *t = evbd_mib_tree(d);
	struct mib_oid mo;
	struct mib_value mv;
	if (!t || !oid_in(o, &mo))
		return MIB_NO_SUCH_OBJECT;
	int r = mib_get(t, &mo, &mv);
	if (r == MIB_OK)
		value_out(&mv, v);
	return r;
}

static int op_mib_getnext(struct evbd *d, const struct evbd_oid *o, struct evbd_oid *next,
			  struct evbd_mib_value *v)
{
	const struct mib_tree *t = evbd_mib_tree(d);
	struct mib_oid mo, mnext;
	struct mib_value mv;
	if (!t || !oid_in(o, &mo))
		return MIB_END_OF_VIEW;
	int r = mib_getnext(t, &mo, &mnext, &mv);
	if (r == MIB_OK) {
		oid_out(&mnext, next);
		value_out(&mv, v);
	}
	return r;
}

static int op_mib_set(struct evbd *d, const struct evbd_oid *o, const struct evbd_mib_value *v,
		      bool commit, char *err, size_t errlen)
{
	const struct mib_tree *t = evbd_mib_tree(d);
	struct mib_oid mo;
	struct mib_value mv;
	if (!t) {
		snprintf(err, errlen, "evbd has not started its MIB yet.");
		return MIB_ERR_RESOURCE_UNAVAILABLE;
	}
	if (!oid_in(o, &mo)) {
		snprintf(err, errlen, "the OID has more than %d sub-identifiers.", MIB_OID_MAX);
		return MIB_ERR_NOT_WRITABLE;
	}
	value_in(v, &mv);
	return mib_set(t, &mo, &mv, commit, err, errlen);
}

static const char *op_state_dir(struct evbd *d)
{
	return d->conf.state_dir;
}

static bool op_cred_trusted(struct evbd *d, uint32_t uid, uint32_t gid)
{
	return ipc_cred_trusted(d, (uid_t)uid, (gid_t)gid);
}

/* ---------------- a port's EVB settings and LLDP TLVs ---------------- */

static void op_port_evb_get(const struct evbd_port *p, struct evbd_evb_settings *s)
{
	const struct evb_local *l = &p->conf.evb;
	*s = (struct evbd_evb_settings){.station = l->role == EVB_ROLE_STATION,
					.r = l->r,
					.rte = l->rte,
					.rwd = l->rwd,
					.rka = l->rka,
					.rrreq = l->rrreq,
					.rrcap = l->rrcap,
					.gid = l->gid};
}

static int op_port_evb_set(struct evbd_port *p, const struct evbd_evb_settings *s, char *err,
			   size_t errlen)
{
	struct evb_local l = p->conf.evb;
	l.role = s->station ? EVB_ROLE_STATION : EVB_ROLE_BRIDGE;
	l.r = s->r;
	l.rte = s->rte;
	l.rwd = s->rwd;
	l.rka = s->rka;
	l.rrreq = s->rrreq;
	l.rrcap = s->rrcap;
	l.gid = s->gid;
	return portset_set(p, &l, err, errlen);
}

static int op_port_lldp_tlvs(const struct evbd_port *p, bool neighbour, uint8_t *buf, size_t cap)
{
	return lldp_agent_tlvs(&p->lldp, neighbour, buf, cap);
}

static void ops_init(struct evbd_plugins *ps, struct evbd *d)
{
	ps->mib_root.len = MIB_EVB_ROOT_LEN;
	memcpy(ps->mib_root.a, mib_evb_root, sizeof(mib_evb_root));
	ps->ops = (struct evbd_plugin_ops){
	    .abi = EVBD_PLUGIN_ABI,
	    .d = d,
	    .fd_add = op_fd_add,
	    .fd_del = op_fd_del,
	    .timer_new = op_timer_new,
	    .timer_arm = op_timer_arm,
	    .timer_disarm = op_timer_disarm,
	    .timer_free = op_timer_free,
	    .port_find = evbd_port_find,
	    .port_find_ifindex = op_port_find_ifindex,
	    .port_info = op_port_info,
	    .vsi_request = op_vsi_request,
	    .vsi_find = op_vsi_find,
	    .vsi_next = op_vsi_next,
	    .vsi_count = op_vsi_count,
	    .conf_get = op_conf_get,
	    .conf_keys = op_conf_keys,
	    .log = op_log,
	    .now = d->loop.clock,
	    .ipc_command_add = op_ipc_command_add,
	    .mib_root = &ps->mib_root,
	    .mib_get = op_mib_get,
	    .mib_getnext = op_mib_getnext,
	    .mib_set = op_mib_set,
	    .mib_err_name = mib_err_name,
	    .state_dir = op_state_dir,
	    .cred_trusted = op_cred_trusted,
	    .port_evb_get = op_port_evb_get,
	    .port_evb_set = op_port_evb_set,
	    .port_lldp_tlvs = op_port_lldp_tlvs,
	};
}

/* ---------------- loading ---------------- */

int plugin_path_check(const char *path, uid_t euid, char *why, size_t cap)
{
	struct stat st;
	if (euid != 0)
		return 0;
	if (stat(path, &st)) {
		snprintf(why, cap, "cannot check %s: %s", path, strerror(errno));
		return -1;
	}
	if (st.st_uid != 0) {
		snprintf(why, cap,
			 "%s belongs to uid %u, not root; evbd runs as root and loads no code "
			 "another user could replace (chown root %s)",
			 path, (unsigned)st.st_uid, path);
		return -1;
	}
	if (st.st_mode & S_IWOTH) {
		snprintf(why, cap,
			 "%s is writable by every user; evbd runs as root and loads no code "
			 "from there (chmod o-w %s)",
			 path, path);
		return -1;
	}
	return 0;
}

/* Open, check and start one plugin; 0 or -1 after logging why not. */
static int load_one(struct evbd_plugins *ps, const char *dir, const char *name)
{
	char path[PATH_MAX], why[PATH_MAX + 160];
	struct loaded *l = &ps->p[ps->n];

	if (snprintf(path, sizeof(path), "%s/%s.so", dir, name) >= (int)sizeof(path)) {
		log_err("plugin %s: the path %s/%s.so is too long; it is not loaded", name, dir,
			name);
		return -1;
	}
	if (access(path, F_OK) == 0 && plugin_path_check(path, geteuid(), why, sizeof(why))) {
		log_err("plugin %s: %s; it is not loaded.", name, why);
		return -1;
	}
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		log_err("plugin %s: cannot load %s: %s. evbd runs without it; check plugin-dir "
			"and plugins in evbd.conf.",
			name, path, dlerror());
		return -1;
	}
	const struct evbd_plugin *pl = dlsym(h, EVBD_PLUGIN_SYMBOL);
	if (!pl) {
		log_err("plugin %s: %s has no symbol '%s', so it is not an evbd plugin; it is not "
			"loaded.",
			name, path, EVBD_PLUGIN_SYMBOL);
		dlclose(h);
		return -1;
	}
	if (pl->abi != EVBD_PLUGIN_ABI) {
		log_err("plugin %s: %s was built for plugin ABI version %u, but this evbd has "
			"plugin ABI version %u; rebuild the plugin against this evbd. It is not "
			"loaded.",
			name, path, pl->abi, EVBD_PLUGIN_ABI);
		dlclose(h);
		return -1;
	}
	if (!pl->init) {
		log_err("plugin %s: %s has no init function; it is not loaded.", name, path);
		dlclose(h);
		return -1;
	}
	void *state = NULL;
	int rc = pl->init(&ps->ops, &state);
	if (rc) {
		log_err("plugin %s failed to start (%s); evbd runs without it.", name,
			strerror(rc < 0 ? -rc : rc));
		dlclose(h);
		return -1;
	}
	*l = (struct loaded){.pl = pl, .handle = h, .state = state};
	snprintf(l->name, sizeof(l->name), "%s", name);
	ps->n++;
	log_notice("plugin %s loaded from %s", name, path);
	return 0;
}

unsigned plugins_load(struct evbd *d)
{
	if (!d->conf.nplugins)
		return 0;
	struct evbd_plugins *ps = calloc(1, sizeof(*ps));
	if (!ps) {
		log_err("out of memory: no plugin is loaded");
		return 0;
	}
	ops_init(ps, d);
	d->plugins = ps;
	char why[PATH_MAX + 160];
	if (plugin_path_check(d->conf.plugin_dir, geteuid(), why, sizeof(why))) {
		log_err("plugin-dir: %s; no plugin is loaded.", why);
		return 0;
	}
	for (unsigned i = 0; i < d->conf.nplugins; i++)
		load_one(ps, d->conf.plugin_dir, d->conf.plugins[i]);
	return ps->n;
}

void plugins_unload(struct evbd *d)
{
	struct evbd_plugins *ps = d->plugins;
	if (!ps)
		return;
	while (ps->n) {
		struct loaded *l = &ps->p[--ps->n];
		if (l->pl->fini)
			l->pl->fini(l->state);
		dlclose(l->handle);
		log_info("plugin %s unloaded", l->name);
	}
	free(ps);
	d->plugins = NULL;
}

/* The hook's view lives on this stack frame: a plugin's request may end
 * another VSI at once, and its hook call nests in this one. */
void plugins_vsi_changed(struct evbd *d, struct evbd_port *p, const struct vdp_vsi *v,
			 const struct vdp_sm_out *out)
{
	struct evbd_plugins *ps = d->plugins;
	struct evbd_vsi_view view;
	struct evbd_vsi_filter filters[EVBD_VSI_FILTERS_MAX];
	bool filled = false;
	for (unsigned i = 0; ps && i < ps->n; i++) {
		if (!ps->p[i].pl->vsi_changed)
			continue;
		if (!filled)
			view_fill(&view, filters, v, view_events(out));
		filled = true;
		ps->p[i].pl->vsi_changed(ps->p[i].state, p, &view);
	}
}

void plugins_port_changed(struct evbd *d, struct evbd_port *p)
{
	struct evbd_plugins *ps = d->plugins;
	for (unsigned i = 0; ps && i < ps->n; i++)
		if (ps->p[i].pl->port_changed)
			ps->p[i].pl->port_changed(ps->p[i].state, p);
}

void plugins_port_removed(struct evbd *d, struct evbd_port *p)
{
	struct evbd_plugins *ps = d->plugins;
	for (unsigned i = 0; ps && i < ps->n; i++)
		if (ps->p[i].pl->port_removed)
			ps->p[i].pl->port_removed(ps->p[i].state, p);
}
