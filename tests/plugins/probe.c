/*
 * probe.c - a test plugin that exercises every operation evbd offers and
 * logs every hook, one line each ("probe: ..."), for test_plugins.sh.
 */
#include <errno.h>
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

static void vsi_changed(void *state, struct evbd_port *p, struct vdp_vsi *v,
			const struct vdp_sm_out *out)
{
	struct probe *pr = state;
	struct evbd_plugin_port_info pi;
	pr->ops->port_info(p, &pi);
	bool found = pr->ops->vsi_find(p, &v->key) == v;
	pr->ops->log(EVBD_PL_NOTICE, "probe: vsi on %s result %u%s%s, %zu in table%s", pi.ifname,
		     (unsigned)v->result, out->notify ? " notify" : "",
		     out->remove ? " remove" : "", pr->ops->vsi_count(p),
		     found ? ", found by key" : "");
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

const struct evbd_plugin evbd_plugin = {
    .name = "probe",
    .abi = EVBD_PLUGIN_ABI,
    .init = init,
    .fini = fini,
    .vsi_changed = vsi_changed,
    .port_changed = port_changed,
};
