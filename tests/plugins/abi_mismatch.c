/* SPDX-License-Identifier: ISC */
/*
 * abi_mismatch.c - a test plugin built for another plugin ABI: evbd must
 * refuse it with a sentence naming both versions, and run on.
 */
#include <stddef.h>

#include "plugins/plugin_api.h"

static int init(const struct evbd_plugin_ops *ops, void **state)
{
	ops->log(EVBD_PL_ERR, "abi_mismatch: init must never be called");
	*state = NULL;
	return 0;
}

const struct evbd_plugin evbd_plugin = {
    .name = "abi_mismatch",
    .abi = EVBD_PLUGIN_ABI + 41,
    .init = init,
};
