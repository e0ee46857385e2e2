/*
 * plugin_api.h - the one interface between evbd and its plugins (shared
 * objects loaded at start, see evbd.conf(5) "plugin-dir" and "plugins").
 *
 * A plugin exports one object named `evbd_plugin` (EVBD_PLUGIN_SYMBOL) of
 * type struct evbd_plugin, with .abi = EVBD_PLUGIN_ABI.  evbd refuses a
 * plugin built for another ABI.  init() gets the operations evbd offers
 * (struct evbd_plugin_ops): file descriptors and timers on evbd's event
 * loop, ports by name or index, VSI requests and look-ups, the plugin's own
 * [plugin NAME] configuration keys, and logging.  The hooks tell the plugin
 * about VSI and port changes.  Everything runs in evbd's one thread; no hook
 * may block.
 *
 * The ABI covers this header and the vdp/ and mib/ structures it names
 * (struct vdp_vsi, vdp_request, vdp_sm_out, vdp_filter, mib_oid,
 * mib_value): change any of them and
 * EVBD_PLUGIN_ABI goes up by one.
 */
#ifndef EVBD_PLUGIN_API_H
#define EVBD_PLUGIN_API_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "mib/oid.h"
#include "vdp/vdp_port.h"
#include "vdp/vsi.h"

#define EVBD_PLUGIN_ABI	   3
#define EVBD_PLUGIN_SYMBOL "evbd_plugin"

struct evbd;
struct evbd_port;
struct evbd_plugin_fd;
struct evbd_plugin_timer;

/* Log levels of ops->log (same as evbd's). */
enum evbd_plugin_log { EVBD_PL_ERR = 0, EVBD_PL_WARN, EVBD_PL_NOTICE, EVBD_PL_INFO, EVBD_PL_DEBUG };

/* What a plugin may know of a port. */
struct evbd_plugin_port_info {
	const char *ifname;
	int ifindex;  /* 0 while the interface does not exist */
	bool present; /* the interface exists */
	bool link_up;
	bool station;	 /* role: station (true) or bridge (false) */
	bool negotiated; /* EVB negotiated with the neighbour */
	bool rr;	 /* reflective relay negotiated (port_changed tells of changes) */
};

typedef void (*evbd_plugin_fd_cb)(int fd, void *arg);
typedef void (*evbd_plugin_timer_cb)(void *arg);
/* An IPC command of the plugin (`evbctl plugin NAME ARGS...`): write what
 * evbctl prints into out (a NUL-terminated text of at most outlen octets)
 * and return 0, or a positive errno with a sentence in out. */
typedef int (*evbd_plugin_cmd_cb)(void *arg, int argc, const char *const *argv, char *out,
				  size_t outlen);

struct evbd_plugin_ops {
	unsigned abi; /* EVBD_PLUGIN_ABI of the daemon */
	struct evbd *d;

	/* Call cb whenever fd is readable, until fd_del.  NULL on ENOMEM. */
	struct evbd_plugin_fd *(*fd_add)(struct evbd *d, int fd, evbd_plugin_fd_cb cb, void *arg);
	void (*fd_del)(struct evbd_plugin_fd *f); /* NULL ok; does not close fd */

	/* One-shot timers: arm (again) to fire after delay_us; disarm; free. */
	struct evbd_plugin_timer *(*timer_new)(struct evbd *d, evbd_plugin_timer_cb cb, void *arg);
	void (*timer_arm)(struct evbd_plugin_timer *t, uint64_t delay_us);
	void (*timer_disarm)(struct evbd_plugin_timer *t);
	void (*timer_free)(struct evbd_plugin_timer *t); /* NULL ok */

	/* Ports: by interface name or index (NULL when evbd has none). */
	struct evbd_port *(*port_find)(struct evbd *d, const char *ifname);
	struct evbd_port *(*port_find_ifindex)(struct evbd *d, int ifindex);
	void (*port_info)(const struct evbd_port *p, struct evbd_plugin_port_info *info);

	/* Station port: submit a VSI command, as evbctl's requests do (stored,
	 * sent at the end of the loop turn).  0, -EOPNOTSUPP (bridge port),
	 * -EINVAL (*reason says why), -ENOENT (De-Associate of an unknown VSI),
	 * -ENOMEM.  *v (may be NULL) is the VSI, NULL when the command ended it
	 * at once. */
	int (*vsi_request)(struct evbd_port *p, const struct vdp_request *r, struct vdp_vsi **v,
			   uint8_t *reason);
	/* Read VSIs: one by key, or all of a port with a zeroed cursor. */
	struct vdp_vsi *(*vsi_find)(struct evbd_port *p, const struct vdp_vsi_key *k);
	struct vdp_vsi *(*vsi_next)(struct evbd_port *p, struct vsi_cursor *c);
	size_t (*vsi_count)(struct evbd_port *p);

	/* Value of key in the plugin's [plugin NAME] section, NULL if absent.
	 * keys() visits every key of the section (to refuse unknown ones). */
	const char *(*conf_get)(struct evbd *d, const char *plugin, const char *key);
	void (*conf_keys)(struct evbd *d, const char *plugin,
			  void (*visit)(void *arg, const char *key, unsigned line), void *arg);

	void (*log)(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
	uint64_t (*now)(void); /* monotonic µs */
	/* Add an IPC command NAME (unique among plugins, [a-z0-9-], <= 31
	 * octets).  `changes`: it changes state, so only root or the admin
	 * group may run it; else anyone may.  0, -EEXIST, -EINVAL, -ENOSPC. */
	int (*ipc_command_add)(struct evbd *d, const char *name, bool changes,
			       evbd_plugin_cmd_cb cb, void *arg);

	/* ABI 3: the EVB MIB (mib/evb_mib.h), as `evbctl mib` sees it.  get:
	 * MIB_OK or MIB_NO_SUCH_OBJECT / MIB_NO_SUCH_INSTANCE; getnext: MIB_OK
	 * or MIB_END_OF_VIEW; set: check only (commit false) or check and
	 * apply (persisted), MIB_OK or an SNMP error with a sentence in err. */
	int (*mib_get)(struct evbd *d, const struct mib_oid *o, struct mib_value *v);
	int (*mib_getnext)(struct evbd *d, const struct mib_oid *o, struct mib_oid *next,
			   struct mib_value *v);
	int (*mib_set)(struct evbd *d, const struct mib_oid *o, const struct mib_value *v,
		       bool commit, char *err, size_t errlen);
	/* evbd's state directory (a plugin may keep files under it). */
	const char *(*state_dir)(struct evbd *d);
};

struct evbd_plugin {
	const char *name; /* as in evbd.conf "plugins = ..." */
	unsigned abi;	  /* EVBD_PLUGIN_ABI the plugin was built with */
	/* Start: 0, or a negative errno after logging a sentence (the plugin is
	 * then skipped and fini is not called).  *state is passed to the rest. */
	int (*init)(const struct evbd_plugin_ops *ops, void **state);
	void (*fini)(void *state);
	/* A VSI's machine step produced notify / bind / unbind / remove (out);
	 * called before a removed VSI is freed.  May be NULL. */
	void (*vsi_changed)(void *state, struct evbd_port *p, struct vdp_vsi *v,
			    const struct vdp_sm_out *out);
	/* A port's interface appeared, vanished, or its link changed.  May be NULL. */
	void (*port_changed)(void *state, struct evbd_port *p);
};

#endif
