/* SPDX-License-Identifier: ISC */
/*
 * cluster_conf.h - the [cluster] section of evbd.conf (docs/evbd.conf.5,
 * docs/fleet.md): where etcd is, the key prefix of the fleet, this switch's
 * name, the TLS client settings and the timers.  Without `endpoints` the
 * cluster is off and evbd runs alone (its own SQLite VSI type database).
 * The values are checked here, one key at a time, with sentences.
 */
#ifndef EVBD_CLUSTER_CONF_H
#define EVBD_CLUSTER_CONF_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define CLUSTER_MAX_ENDPOINTS 8
#define CLUSTER_URL_MAX	      128 /* an endpoint, with its NUL */
#define CLUSTER_PREFIX_MAX    64  /* the key prefix, with its NUL */
#define CLUSTER_NAME_MAX      64  /* the switch name, with its NUL */

struct cluster_conf {
	unsigned nendpoints; /* 0: no cluster */
	char endpoints[CLUSTER_MAX_ENDPOINTS][CLUSTER_URL_MAX];
	char prefix[CLUSTER_PREFIX_MAX];		  /* default "/evbd" */
	char name[CLUSTER_NAME_MAX];			  /* default: the host name */
	char cert[PATH_MAX], key[PATH_MAX], ca[PATH_MAX]; /* TLS client; "" = none */
	unsigned cache_grace; /* s deciding from the cache while etcd is away; 0 = always */
	unsigned lease_ttl;   /* s: this switch's lease (its VSIs vanish this long after it) */
	unsigned timeout_ms;  /* one request to etcd */
};

/* Defaults: no endpoint, prefix /evbd, the host name, lease 10 s, requests
 * 2000 ms, cache-grace 0 (decide from the cache however long etcd is away). */
void cluster_conf_defaults(struct cluster_conf *c);
/* One "key = value" of [cluster].  1 when the key is known and its value
 * good, 0 when the key is not a [cluster] key, -1 with a sentence in err
 * (without the file and line) when the value is refused. */
int cluster_conf_key(struct cluster_conf *c, const char *key, const char *value, char *err,
		     size_t cap);
/* After the file: TLS settings that go together.  0 or -1 with a sentence. */
int cluster_conf_check(const struct cluster_conf *c, char *err, size_t cap);

#endif
