/* SPDX-License-Identifier: ISC */
/*
 * init_fails.c - a test plugin whose init fails: evbd must report it, skip
 * it (no fini, no hooks), and run on.
 */
#include <errno.h>
#include <stddef.h>

#include "plugins/plugin_api.h"

static int init(const struct evbd_plugin_ops *ops, void **state)
{
	ops->log(EVBD_PL_ERR, "init_fails: refusing to start, as this test plugin always does");
	*state = NULL;
	return -EADDRINUSE;
}

static void fini(void *state)
{
	(void)state;
}

static void vsi_changed(void *state, struct evbd_port *p, const struct evbd_vsi_view *v)
{
	(void)state;
	(void)p;
	(void)v;
	*(volatile int *)0 = 1; /* a hook of a skipped plugin must never run */
}

const struct evbd_plugin evbd_plugin = {
    .name = "init_fails",
    .abi = EVBD_PLUGIN_ABI,
    .init = init,
    .fini = fini,
    .vsi_changed = vsi_changed,
};
