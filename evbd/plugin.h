/* SPDX-License-Identifier: ISC */
/*
 * plugin.h - evbd's plugin loader: the shared objects named in evbd.conf
 * ([global] plugin-dir, plugins) are opened with dlopen, checked for the
 * plugin ABI (plugins/plugin_api.h), started, told about VSI and port
 * changes and about ports removed from the configuration, and stopped.  A plugin that cannot be
 * loaded or fails to start is reported and skipped; evbd never stops because of one.
 */
#ifndef EVBD_PLUGIN_H
#define EVBD_PLUGIN_H

#include <sys/types.h>

#include "evbd/evbd.h"

struct vdp_sm_out;

/* Load and start every configured plugin (none by default).  Returns how
 * many run; failures are logged, never fatal. */
unsigned plugins_load(struct evbd *d);
/* Whether evbd, running as euid, may load code from path (plugin-dir or a
 * plugin in it): as root only when root owns it and not every user may
 * write it.  0, or -1 with a sentence in why. */
int plugin_path_check(const char *path, uid_t euid, char *why, size_t cap);
/* Stop and unload them (reverse order).  Safe when none were loaded. */
void plugins_unload(struct evbd *d);

/* Hooks, from the port module.  Plugins get a view of v (struct
 * evbd_vsi_view), never v itself. */
void plugins_vsi_changed(struct evbd *d, struct evbd_port *p, const struct vdp_vsi *v,
			 const struct vdp_sm_out *out);
void plugins_port_changed(struct evbd *d, struct evbd_port *p);
/* p leaves the configuration and is freed after this: plugins drop it. */
void plugins_port_removed(struct evbd *d, struct evbd_port *p);
/* IPC commands of plugins.  plugins_command(): an empty name writes the
 * list into out and returns 0; an unknown one writes a sentence and returns
 * ENOENT; a known one sets *changes and returns -1, and the caller, after
 * authorizing, calls plugins_command_run() (0 or a positive errno; ENOENT
 * with the same sentence when no plugin offers the command after all). */
int plugins_command(struct evbd *d, const char *name, bool *changes, char *out, size_t outlen);
int plugins_command_run(struct evbd *d, const char *name, int argc, const char *const *argv,
			char *out, size_t outlen);

#endif
