/* SPDX-License-Identifier: ISC */
/*
 * config.h - evbd's configuration: the evbd.conf file (INI, parsed with
 * inih; see docs/evbd.conf.5) and the quick-start command-line options.
 * Validation errors name the file, line, key and what is allowed.
 */
#ifndef EVBD_CONFIG_H
#define EVBD_CONFIG_H

#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "evbd/cluster_conf.h"
#include "vdp/evb.h"
#include "vdp/lldp_agent.h"

#define EVBD_MAX_PORTS 256

/* Plugins (evbd.conf [global] plugin-dir, plugins; [plugin NAME] sections). */
#define EVBD_MAX_PLUGINS     16
#define EVBD_PLUGIN_NAME_MAX 64	 /* name, with its NUL */
#define EVBD_MAX_PLUGIN_KEYS 64	 /* keys of every [plugin NAME] section together */
#define EVBD_PLUGIN_KEY_MAX  64	 /* key, with its NUL */
#define EVBD_PLUGIN_VAL_MAX  256 /* value, with its NUL (lines are 199 characters at most) */

struct plugin_kv {
	char plugin[EVBD_PLUGIN_NAME_MAX];
	char key[EVBD_PLUGIN_KEY_MAX];
	char value[EVBD_PLUGIN_VAL_MAX];
	unsigned line;
};

/* What a bridge port decides about VSI requests ([global] / [port] key "policy"). */
enum evbd_policy_mode {
	POLICY_OPEN = 0,     /* grant every request as asked (default) */
	POLICY_DATABASE = 1, /* check against the VSI type database (evbd/policy.h) */
};

/* EVB keys a [port] section gave itself (port_conf.evb_given): the
 * system-wide defaults (MIB Sys objects, evbd/mib.h) do not override them. */
#define CONF_GIVEN_R	  0x01
#define CONF_GIVEN_RTE	  0x02
#define CONF_GIVEN_RWD	  0x04
#define CONF_GIVEN_RKA	  0x08
#define CONF_GIVEN_MANUAL 0x10

#define CONF_ECP_PACE_AUTO UINT_MAX /* ecp-pace = auto */

/* Guards against a rogue neighbour ([global] defaults, [port] keys): the
 * bounds on the EVB values adopted from the neighbour and whom a bridge
 * port takes VDP from. */
struct conf_guard {
	uint8_t max_r, max_rte, max_rwd, max_rka; /* evb_local.max_* */
	bool vdp_any_source;			  /* vdp-sources = any (default neighbour) */
	uint16_t lldp_max_ttl;			  /* lldp-max-ttl: longest neighbour TTL kept (s) */
};

struct port_conf {
	char ifname[IF_NAMESIZE];
	struct evb_local evb;	/* role, R, RTE, RWD, RKA, RR, group ID, manual */
	uint8_t evb_given;	/* CONF_GIVEN_*: keys set in the [port] section */
	unsigned lldp_interval; /* seconds between LLDPDUs (msgTxInterval), default 30 */
	unsigned lldp_hold;	/* TTL = interval * hold, default 4 */
	size_t max_vsis;	/* bridge: VSIs per port, 0 = unlimited (default 4096) */
	uint16_t max_filters;	/* bridge: filters per VSI (default 64) */
	size_t tx_queue;	/* bridge: TLVs waiting for ECP (default 4096) */
	unsigned ecp_pace_us;	/* least gap between new ECPDUs (µs), 0 = ack-clocked,
				   CONF_ECP_PACE_AUTO (the default) = adaptive */
	int policy;		/* bridge: enum evbd_policy_mode ([port] or [global] policy) */
	bool vdp_any_source;	/* bridge: take VDP from every source address */
	uint16_t lldp_max_ttl;	/* the neighbour's TTL is cut to this (s, default 120) */
	size_t
	    max_vsis_station; /* bridge, vdp-sources = any: new VSIs per sender, 0 = max-vsis/4 */
	enum lldp_protocol protocol; /* 2012, draft 0.2 or auto (the default) */
	struct cdcp_conf cdcp;	     /* cdcp, cdcp-channels, cdcp-capacity, svid-pool */
};

enum log_level { LOG_LVL_ERR = 0, LOG_LVL_WARN, LOG_LVL_NOTICE, LOG_LVL_INFO, LOG_LVL_DEBUG };

struct evbd_conf {
	char path[PATH_MAX];	   /* config file, "" when none */
	char state_dir[PATH_MAX];  /* default /var/lib/evbd */
	char pid_file[PATH_MAX];   /* default /run/evbd.pid */
	char trace_file[PATH_MAX]; /* --trace, "" = none */
	char admin_group[64];	   /* group allowed to change state over IPC, "" = root only */
	char user[64];		   /* run as this user after start, "" = stay uid 0 */
	bool seccomp;		   /* the system-call allow-list after start-up (default on) */
	int log_level;		   /* enum log_level */
	int policy;		   /* [global] policy: default of the bridge ports */
	struct conf_guard guard;   /* [global] max-r .. vdp-sources: the ports' defaults */
	char plugin_dir[PATH_MAX]; /* where plugins are found (default EVBD_PLUGIN_DIR) */
	unsigned nplugins;	   /* plugins to load, in this order (default none) */
	char plugins[EVBD_MAX_PLUGINS][EVBD_PLUGIN_NAME_MAX];
	unsigned nplugin_kv; /* keys of the [plugin NAME] sections */
	struct plugin_kv plugin_kv[EVBD_MAX_PLUGIN_KEYS];
	struct cluster_conf cluster; /* [cluster]: etcd, off without endpoints */
	bool foreground;
	unsigned nports;
	struct port_conf ports[EVBD_MAX_PORTS];
};

void conf_defaults(struct evbd_conf *c);
/* Load a config file on top of c.  0, or -1 with a full sentence in err. */
int conf_load(struct evbd_conf *c, const char *path, char *err, size_t errlen);
/* Add a quick-start port (--station IF / --bridge IF).  0 or -1 + err. */
int conf_add_port(struct evbd_conf *c, const char *ifname, enum evb_role role, char *err,
		  size_t errlen);
/* Value of key in section [plugin NAME], NULL when not given. */
const char *conf_plugin_get(const struct evbd_conf *c, const char *plugin, const char *key);
/* Parse a log level name ("err", "warn", "notice", "info", "debug"). -1 if unknown. */
int conf_log_level(const char *name);

#endif
