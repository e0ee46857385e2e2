/* SPDX-License-Identifier: ISC */
/*
 * probe.c - a test plugin that exercises every operation evbd offers and
 * logs every hook, one line each ("probe: ..."), for test_plugins.sh.  Its
 * command probe-vsis prints the view of every VSI of a port, field by
 * field, for the test to compare with `evbctl -j vsi list`.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plugins/plugin_api.h"

struct probe {
	const struct evbd_plugin_ops *ops;
	struct evbd_plugin_timer *timer;
	struct evbd_plugin_fd *fd;
	int pipe[2];
};

static void on_fd(int fd, void *arg)
{
	struct probe *pr = arg;
	char c;
	if (read(fd, &c, 1) == 1)
		pr->ops->log(EVBD_PL_NOTICE, "probe: fd readable (%c)", c);
}

static void on_timer(void *arg)
{
	struct probe *pr = arg;
	pr->ops->log(EVBD_PL_NOTICE, "probe: timer fired");
	if (write(pr->pipe[1], "x", 1) != 1)
		pr->ops->log(EVBD_PL_ERR, "probe: pipe write failed");
}

static void visit(void *arg, const char *key, unsigned line)
{
	struct probe *pr = arg;
	pr->ops->log(EVBD_PL_NOTICE, "probe: key %s at line %u", key, line);
}

/* IPC commands: probe-echo prints its arguments; probe-set "changes state"
 * (only root or the admin group may run it) and fails on the argument
 * "fail" with a sentence. */
static int cmd_echo(void *arg, int argc, const char *const *argv, char *out, size_t outlen)
{
	(void)arg;
	size_t off = 0;
	for (int i = 0; i < argc && off < outlen; i++)
		off += (size_t)snprintf(out + off, outlen - off, "%s%s", i ? " " : "", argv[i]);
	if (off < outlen)
		snprintf(out + off, outlen - off, "\n");
	return 0;
}

static int cmd_set(void *arg, int argc, const char *const *argv, char *out, size_t outlen)
{
	struct probe *pr = arg;
	if (argc == 1 && !strcmp(argv[0], "fail")) {
		snprintf(out, outlen, "probe-set refuses 'fail', as the test wants");
		return EINVAL;
	}
	pr->ops->log(EVBD_PL_NOTICE, "probe: set %s", argc ? argv[0] : "(nothing)");
	snprintf(out, outlen, "set\n");
	return 0;
}

/* Append to out at *off, clamped to outlen. */
__attribute__((format(printf, 4, 5))) static void put(char *out, size_t outlen, size_t *off,
						      const char *fmt, ...)
{
	va_list ap;
	if (*off >= outlen)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(out + *off, outlen - *off, fmt, ap);
	va_end(ap);
	*off = n < 0 ? outlen : *off + (size_t)n;
}

static void put_hex(char *out, size_t outlen, size_t *off, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put(out, outlen, off, "%02x", b[i]);
}

/* One line per view: every field, filters as "[group G] [mac M] vid V [pcp P]". */
static void put_view(char *out, size_t outlen, size_t *off, const struct evbd_vsi_view *v)
{
	static const uint8_t zero[EVBD_MGRID_LEN];
	put(out, outlen, off, "format %u id ", v->key.format);
	put_hex(out, outlen, off, v->key.id, sizeof(v->key.id));
	put(out, outlen, off, " type %u version %u mgrid ", (unsigned)v->type_id, v->type_version);
	if (memcmp(v->mgrid, zero, sizeof(zero)))
		put_hex(out, outlen, off, v->mgrid, sizeof(v->mgrid));
	else
		put(out, outlen, off, "none");
	put(out, outlen, off,
	    " result %u reason %u command %u in_force %u hints %u status %u format %u filters",
	    v->result, v->reason, v->command, v->in_force, v->hints, v->status, v->filter_format);
	bool group =
	    v->filter_format == EVBD_FIF_GROUPVID || v->filter_format == EVBD_FIF_GROUPMACVID;
	bool mac = v->filter_format == EVBD_FIF_MACVID || v->filter_format == EVBD_FIF_GROUPMACVID;
	for (unsigned i = 0; i < v->nfilters; i++) {
		const struct evbd_vsi_filter *f = &v->filters[i];
		put(out, outlen, off, "%s", i ? "," : "");
		if (group)
			put(out, outlen, off, " group %u", (unsigned)f->group_id);
		if (mac)
			put(out, outlen, off, " mac %02x:%02x:%02x:%02x:%02x:%02x", f->mac[0],
			    f->mac[1], f->mac[2], f->mac[3], f->mac[4], f->mac[5]);
		put(out, outlen, off, " vid %u", f->vid);
		if (f->ps)
			put(out, outlen, off, " pcp %u", f->pcp);
	}
	put(out, outlen, off, "\n");
}

/* probe-vsis DEV: the view of every VSI of the port, walked with vsi_next,
 * each also found by key (the same view, or the line says so). */
static int cmd_vsis(void *arg, int argc, const char *const *argv, char *out, size_t outlen)
{
	struct probe *pr = arg;
	struct evbd_port *p = argc == 1 ? pr->ops->port_find(pr->ops->d, argv[0]) : NULL;
	struct evbd_vsi_cursor c = {0};
	const struct evbd_vsi_view *v;
	size_t off = 0, n = 0;
	char line[4096];
	if (!p) {
		snprintf(out, outlen, "probe-vsis needs the name of a port of evbd");
		return EINVAL;
	}
	out[0] = 0;
	while ((v = pr->ops->vsi_next(p, &c))) {
		size_t l = 0;
		struct evbd_vsi_key k = v->key;
		put_view(line, sizeof(line), &l, v);
		const struct evbd_vsi_view *w = pr->ops->vsi_find(p, &k);
		size_t l2 = 0;
		char again[sizeof(line)];
		if (w)
			put_view(again, sizeof(again), &l2, w);
		put(out, outlen, &off, "%s",
		    w && !strcmp(line, again) ? line : "not found by key\n");
		n++;
	}
	if (n != pr->ops->vsi_count(p))
		put(out, outlen, &off, "vsi_count says %zu, the walk saw %zu\n",
		    pr->ops->vsi_count(p), n);
	return 0;
}

static int init(const struct evbd_plugin_ops *ops, void **state)
{
	struct probe *pr = calloc(1, sizeof(*pr));
	if (!pr || pipe(pr->pipe)) {
		free(pr);
		return -ENOMEM;
	}
	pr->ops = ops;
	const char *g = ops->conf_get(ops->d, "probe", "greeting");
	ops->log(EVBD_PL_NOTICE, "probe: started with ABI %u, greeting %s", ops->abi,
		 g ? g : "(none)");
	ops->conf_keys(ops->d, "probe", visit, pr);
	pr->timer = ops->timer_new(ops->d, on_timer, pr);
	pr->fd = ops->fd_add(ops->d, pr->pipe[0], on_fd, pr);
	if (!pr->timer || !pr->fd)
		return -ENOMEM;
	ops->timer_arm(pr->timer, 100000);
	if (ops->ipc_command_add(ops->d, "probe-echo", false, cmd_echo, pr) ||
	    ops->ipc_command_add(ops->d, "probe-set", true, cmd_set, pr) ||
	    ops->ipc_command_add(ops->d, "probe-vsis", false, cmd_vsis, pr) ||
	    ops->ipc_command_add(ops->d, "probe-echo", false, cmd_echo, pr) != -EEXIST ||
	    ops->ipc_command_add(ops->d, "Bad Name", false, cmd_echo, pr) != -EINVAL)
		ops->log(EVBD_PL_ERR, "probe: ipc_command_add misbehaves");
	*state = pr;
	return 0;
}

static void fini(void *state)
{
	struct probe *pr = state;
	pr->ops->log(EVBD_PL_NOTICE, "probe: stopped");
	pr->ops->timer_free(pr->timer);
	pr->ops->fd_del(pr->fd);
	close(pr->pipe[0]);
	close(pr->pipe[1]);
	free(pr);
}

/* Logs the event, and whether vsi_find gives the same view as the hook. */
static void vsi_changed(void *state, struct evbd_port *p, const struct evbd_vsi_view *v)
{
	struct probe *pr = state;
	struct evbd_plugin_port_info pi;
	char a[4096], b[sizeof(a)];
	size_t la = 0, lb = 0;
	pr->ops->port_info(p, &pi);
	put_view(a, sizeof(a), &la, v);
	const struct evbd_vsi_view *w = pr->ops->vsi_find(p, &v->key);
	if (w)
		put_view(b, sizeof(b), &lb, w);
	pr->ops->log(EVBD_PL_NOTICE, "probe: vsi on %s result %u%s%s%s%s, %zu in table%s",
		     pi.ifname, v->result, v->events & EVBD_VSI_EV_NOTIFY ? " notify" : "",
		     v->events & EVBD_VSI_EV_BIND ? " bind" : "",
		     v->events & EVBD_VSI_EV_UNBIND ? " unbind" : "",
		     v->events & EVBD_VSI_EV_REMOVE ? " remove" : "", pr->ops->vsi_count(p),
		     w && !strcmp(a, b) ? ", found by key" : "");
}

static void port_changed(void *state, struct evbd_port *p)
{
	struct probe *pr = state;
	struct evbd_plugin_port_info pi;
	pr->ops->port_info(p, &pi);
	bool by_name = pr->ops->port_find(pr->ops->d, pi.ifname) == p;
	bool by_index = pi.ifindex && pr->ops->port_find_ifindex(pr->ops->d, pi.ifindex) == p;
	pr->ops->log(EVBD_PL_NOTICE, "probe: port %s %s%s%s%s, found by name %s, by index %s",
		     pi.ifname, pi.station ? "station" : "bridge",
		     pi.present ? " present" : " absent", pi.link_up ? " up" : "",
		     pi.negotiated ? " negotiated" : "", by_name ? "yes" : "no",
		     by_index ? "yes" : "no");
}

/* Logs that p goes, whether evbd still finds it (it must not) and what
 * vsi_count still says of it. */
static void port_removed(void *state, struct evbd_port *p)
{
	struct probe *pr = state;
	struct evbd_plugin_port_info pi;
	pr->ops->port_info(p, &pi);
	bool by_name = pr->ops->port_find(pr->ops->d, pi.ifname) == p;
	pr->ops->log(EVBD_PL_NOTICE, "probe: port %s removed, found by name %s, %zu VSIs in table",
		     pi.ifname, by_name ? "yes" : "no", pr->ops->vsi_count(p));
}

const struct evbd_plugin evbd_plugin = {
    .name = "probe",
    .abi = EVBD_PLUGIN_ABI,
    .init = init,
    .fini = fini,
    .vsi_changed = vsi_changed,
    .port_changed = port_changed,
    .port_removed = port_removed,
};
