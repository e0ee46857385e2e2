/*
 * plugin.c - evbd's plugin loader (see plugin.h) and the operations it
 * offers plugins (plugins/plugin_api.h): fds and timers on the daemon's
 * libevent loop, ports, VSI requests and look-ups, configuration, logging.
 */
#include "evbd/plugin.h"

#include <dlfcn.h>
#include <errno.h>
#include <event2/event.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evbd/log.h"
#include "evbd/mib.h"
#include "evbd/port.h"
#include "plugins/plugin_api.h"

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
	f->ev = event_new(d->base, fd, EV_READ | EV_PERSIST, on_fd, f);
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
	t->ev = evtimer_new(d->base, on_timer, t);
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

static struct vdp_vsi *op_vsi_find(struct evbd_port *p, const struct vdp_vsi_key *k)
{
	return vsi_table_find(&p->vdp.vsis, k);
}

static struct vdp_vsi *op_vsi_next(struct evbd_port *p, struct vsi_cursor *c)
{
	return vsi_table_next(&p->vdp.vsis, c);
}

static size_t op_vsi_count(struct evbd_port *p)
{
	return p->vdp.vsis.count;
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
	if (!c) {
		snprintf(out, outlen,
			 "no plugin offers the command '%s'; 'evbctl plugin' lists the commands "
			 "of the loaded plugins",
			 name);
		return ENOENT;
	}
	*changes = c->changes;
	return -1; /* found: the caller authorizes, then calls plugins_command_run */
}

int plugins_command_run(struct evbd *d, const char *name, int argc, const char *const *argv,
			char *out, size_t outlen)
{
	const struct plugin_cmd *c = cmd_find(d->plugins, name);
	out[0] = 0;
	int rc = c->cb(c->arg, argc, argv, out, outlen);
	out[outlen - 1] = 0;
	return rc < 0 ? -rc : rc;
}

static int op_mib_get(struct evbd *d, const struct mib_oid *o, struct mib_value *v)
{
	const struct mib_tree *t = evbd_mib_tree(d);
	return t ? mib_get(t, o, v) : MIB_NO_SUCH_OBJECT;
}

static int op_mib_getnext(struct evbd *d, const struct mib_oid *o, struct mib_oid *next,
			  struct mib_value *v)
{
	const struct mib_tree *t = evbd_mib_tree(d);
	return t ? mib_getnext(t, o, next, v) : MIB_END_OF_VIEW;
}

static int op_mib_set(struct evbd *d, const struct mib_oid *o, const struct mib_value *v,
		      bool commit, char *err, size_t errlen)
{
	const struct mib_tree *t = evbd_mib_tree(d);
	if (!t) {
		snprintf(err, errlen, "evbd has not started its MIB yet.");
		return MIB_ERR_RESOURCE_UNAVAILABLE;
	}
	return mib_set(t, o, v, commit, err, errlen);
}

static const char *op_state_dir(struct evbd *d)
{
	return d->conf.state_dir;
}

static void ops_init(struct evbd_plugin_ops *ops, struct evbd *d)
{
	*ops = (struct evbd_plugin_ops){
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
	    .vsi_request = port_vsi_request,
	    .vsi_find = op_vsi_find,
	    .vsi_next = op_vsi_next,
	    .vsi_count = op_vsi_count,
	    .conf_get = op_conf_get,
	    .conf_keys = op_conf_keys,
	    .log = op_log,
	    .now = evbd_now,
	    .ipc_command_add = op_ipc_command_add,
	    .mib_get = op_mib_get,
	    .mib_getnext = op_mib_getnext,
	    .mib_set = op_mib_set,
	    .state_dir = op_state_dir,
	};
}

/* ---------------- loading ---------------- */

/* Open, check and start one plugin; 0 or -1 after logging why not. */
static int load_one(struct evbd_plugins *ps, const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct loaded *l = &ps->p[ps->n];

	if (snprintf(path, sizeof(path), "%s/%s.so", dir, name) >= (int)sizeof(path)) {
		log_err("plugin %s: the path %s/%s.so is too long; it is not loaded", name, dir,
			name);
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
	ops_init(&ps->ops, d);
	d->plugins = ps;
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

void plugins_vsi_changed(struct evbd *d, struct evbd_port *p, struct vdp_vsi *v,
			 const struct vdp_sm_out *out)
{
	struct evbd_plugins *ps = d->plugins;
	for (unsigned i = 0; ps && i < ps->n; i++)
		if (ps->p[i].pl->vsi_changed)
			ps->p[i].pl->vsi_changed(ps->p[i].state, p, v, out);
}

void plugins_port_changed(struct evbd *d, struct evbd_port *p)
{
	struct evbd_plugins *ps = d->plugins;
	for (unsigned i = 0; ps && i < ps->n; i++)
		if (ps->p[i].pl->port_changed)
			ps->p[i].pl->port_changed(ps->p[i].state, p);
}
