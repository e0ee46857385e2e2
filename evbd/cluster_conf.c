/* SPDX-License-Identifier: ISC */
/*
 * cluster_conf.c - the [cluster] section's keys (see cluster_conf.h).
 */
#include "evbd/cluster_conf.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((format(printf, 3, 4))) static int bad(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
	return -1;
}

void cluster_conf_defaults(struct cluster_conf *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->prefix, sizeof(c->prefix), "/evbd");
	if (gethostname(c->name, sizeof(c->name) - 1) || !c->name[0])
		snprintf(c->name, sizeof(c->name), "evbd");
	c->lease_ttl = 10;
	c->timeout_ms = 2000;
}

/* Letters, digits and "-_." only: names and prefixes go into etcd keys. */
static bool key_safe(const char *s, bool slash)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr(slash ? "-_./" : "-_.", *s))
			return false;
	return true;
}

static int endpoints(struct cluster_conf *c, const char *value, char *err, size_t cap)
{
	char buf[CLUSTER_MAX_ENDPOINTS * CLUSTER_URL_MAX], *save = NULL;

	if (strlen(value) >= sizeof(buf))
		return bad(err, cap, "the endpoint list is too long");
	snprintf(buf, sizeof(buf), "%s", value);
	c->nendpoints = 0;
	for (char *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		if (c->nendpoints == CLUSTER_MAX_ENDPOINTS)
			return bad(err, cap, "more than %d endpoints are given",
				   CLUSTER_MAX_ENDPOINTS);
		if (strncmp(t, "http://", 7) && strncmp(t, "https://", 8))
			return bad(err, cap,
				   "endpoint '%s' is not a URL; give http://HOST:PORT or "
				   "https://HOST:PORT, separated by commas",
				   t);
		if (strlen(t) >= CLUSTER_URL_MAX)
			return bad(err, cap, "endpoint '%s' is longer than %d characters", t,
				   CLUSTER_URL_MAX - 1);
		size_t n = strlen(t);
		while (n && t[n - 1] == '/')
			t[--n] = 0;
		snprintf(c->endpoints[c->nendpoints++], CLUSTER_URL_MAX, "%s", t);
	}
	if (!c->nendpoints)
		return bad(err, cap, "no endpoint is given; give http://HOST:PORT, ...");
	return 1;
}

static int text(char *dst, size_t len, const char *what, const char *value, bool slash, char *err,
		size_t cap)
{
	if (!value[0] || strlen(value) >= len)
		return bad(err, cap, "the %s must have 1 to %zu characters", what, len - 1);
	if (!key_safe(value, slash))
		return bad(err, cap, "the %s '%s' may hold only letters, digits and %s", what,
			   value, slash ? "'-_./'" : "'-_.'");
	snprintf(dst, len, "%s", value);
	return 1;
}

static int number(unsigned *dst, const char *key, const char *value, unsigned min, unsigned max,
		  char *err, size_t cap)
{
	char *end;
	unsigned long v = strtoul(value, &end, 10);

	if (!isdigit((unsigned char)value[0]) || *end || v < min || v > max)
		return bad(err, cap, "%s must be a number from %u to %u, not '%s'", key, min, max,
			   value);
	*dst = (unsigned)v;
	return 1;
}

static int path(char *dst, const char *value, char *err, size_t cap)
{
	if (value[0] != '/' || strlen(value) >= PATH_MAX)
		return bad(err, cap, "'%s' is not an absolute file name", value);
	snprintf(dst, PATH_MAX, "%s", value);
	return 1;
}

int cluster_conf_key(struct cluster_conf *c, const char *key, const char *value, char *err,
		     size_t cap)
{
	if (!strcmp(key, "endpoints"))
		return endpoints(c, value, err, cap);
	if (!strcmp(key, "prefix")) {
		if (value[0] != '/')
			return bad(err, cap, "the prefix must start with '/', e.g. /evbd");
		return text(c->prefix, sizeof(c->prefix), "prefix", value, true, err, cap);
	}
	if (!strcmp(key, "switch-name"))
		return text(c->name, sizeof(c->name), "switch name", value, false, err, cap);
	if (!strcmp(key, "cert"))
		return path(c->cert, value, err, cap);
	if (!strcmp(key, "key"))
		return path(c->key, value, err, cap);
	if (!strcmp(key, "ca"))
		return path(c->ca, value, err, cap);
	if (!strcmp(key, "cache-grace"))
		return number(&c->cache_grace, key, value, 0, 86400 * 30, err, cap);
	if (!strcmp(key, "lease-ttl"))
		return number(&c->lease_ttl, key, value, 2, 3600, err, cap);
	if (!strcmp(key, "timeout"))
		return number(&c->timeout_ms, key, value, 100, 60000, err, cap);
	return 0;
}

int cluster_conf_check(const struct cluster_conf *c, char *err, size_t cap)
{
	if (!c->cert[0] != !c->key[0])
		return bad(err, cap,
			   "[cluster] gives %s without %s; a TLS client certificate needs both",
			   c->cert[0] ? "cert" : "key", c->cert[0] ? "key" : "cert");
	for (unsigned i = 0; i < c->nendpoints; i++)
		if (!strncmp(c->endpoints[i], "http://", 7) && (c->cert[0] || c->ca[0]))
			return bad(err, cap,
				   "[cluster] gives TLS settings but endpoint %s is plain http; "
				   "use https:// endpoints with cert, key and ca",
				   c->endpoints[i]);
	return 0;
}
