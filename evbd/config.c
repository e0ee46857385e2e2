/* SPDX-License-Identifier: ISC */
/*
 * config.c - evbd's configuration (see config.h): defaults, the evbd.conf
 * INI file read with inih, and quick-start ports.  Keys of a [port] section
 * are collected first and applied on top of the role's defaults at the end,
 * so their order in the section does not matter.  Every error is a full
 * sentence naming the file, line, key and what is allowed.
 */
#include "evbd/config.h"

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vdp/lldp_agent.h"
#include "vdp/proto.h"
#include "vdp/vdp_port.h"

#define LLDP_INTERVAL_DEFAULT 30
#define LLDP_HOLD_DEFAULT     4
#define MAX_VSIS_LIMIT	      10000000ul
/* The longest neighbour TTL adopted: 802.1AB's default msgTxInterval 30 s
 * times msgTxHold 4 (lldpad's and most switches' TTL). */
#define LLDP_MAX_TTL_DEFAULT 120

/* ---------------- keys ---------------- */

enum key_kind {
	KK_NUM,
	KK_BOOL,
	KK_ROLE,
	KK_PATH,
	KK_OPT_PATH,
	KK_LEVEL,
	KK_GROUP,
	KK_USER,
	KK_PLUGINS,
	KK_POLICY,
	KK_SOURCES,
	KK_PACE,
	KK_PROTOCOL,
	KK_RANGE, /* LOW-HIGH, each min..max: stored as LOW << 16 | HIGH */
};

#ifndef EVBD_PLUGIN_DIR
#define EVBD_PLUGIN_DIR "/usr/local/lib/evbd/plugins"
#endif

struct key_def {
	const char *name;
	enum key_kind kind;
	unsigned long min, max; /* KK_NUM */
};

enum port_key {
	PK_ROLE,
	PK_R,
	PK_RTE,
	PK_RWD,
	PK_RKA,
	PK_RR,
	PK_GID,
	PK_MANUAL,
	PK_LLDP_INTERVAL,
	PK_LLDP_HOLD,
	PK_MAX_VSIS,
	PK_MAX_FILTERS,
	PK_TX_QUEUE,
	PK_ECP_PACE,
	PK_POLICY,
	PK_MAX_R,
	PK_MAX_RTE,
	PK_MAX_RWD,
	PK_MAX_RKA,
	PK_VDP_SOURCES,
	PK_LLDP_MAX_TTL,
	PK_MAX_VSIS_STATION,
	PK_PROTOCOL,
	PK_CDCP,
	PK_CDCP_CHANNELS,
	PK_CDCP_CAPACITY,
	PK_SVID_POOL,
	PK_COUNT
};

static const struct key_def port_keys[PK_COUNT] = {
    [PK_ROLE] = {"role", KK_ROLE, 0, 0},
    [PK_R] = {"r", KK_NUM, 0, EVB_R_MAX},
    [PK_RTE] = {"rte", KK_NUM, 0, EVB_EXP_MAX},
    [PK_RWD] = {"rwd", KK_NUM, 0, EVB_EXP_MAX},
    [PK_RKA] = {"rka", KK_NUM, 0, EVB_EXP_MAX},
    [PK_RR] = {"rr", KK_BOOL, 0, 1},
    [PK_GID] = {"group-id", KK_BOOL, 0, 1},
    [PK_MANUAL] = {"manual", KK_BOOL, 0, 1},
    [PK_LLDP_INTERVAL] = {"lldp-interval", KK_NUM, 1, 3600},
    [PK_LLDP_HOLD] = {"lldp-hold", KK_NUM, 2, 10},
    [PK_MAX_VSIS] = {"max-vsis", KK_NUM, 0, MAX_VSIS_LIMIT},
    [PK_MAX_FILTERS] = {"max-filters", KK_NUM, 1, VDP_MAX_FILTERS},
    [PK_TX_QUEUE] = {"tx-queue", KK_NUM, 16, MAX_VSIS_LIMIT},
    [PK_ECP_PACE] = {"ecp-pace", KK_PACE, 0, 100000},
    [PK_POLICY] = {"policy", KK_POLICY, 0, 0},
    [PK_MAX_R] = {"max-r", KK_NUM, 0, EVB_R_MAX},
    [PK_MAX_RTE] = {"max-rte", KK_NUM, 0, EVB_EXP_MAX},
    [PK_MAX_RWD] = {"max-rwd", KK_NUM, 0, EVB_EXP_MAX},
    [PK_MAX_RKA] = {"max-rka", KK_NUM, 0, EVB_EXP_MAX},
    [PK_VDP_SOURCES] = {"vdp-sources", KK_SOURCES, 0, 0},
    [PK_LLDP_MAX_TTL] = {"lldp-max-ttl", KK_NUM, 1, LLDP_AGENT_TTL_MAX},
    [PK_MAX_VSIS_STATION] = {"max-vsis-per-station", KK_NUM, 1, MAX_VSIS_LIMIT},
    [PK_PROTOCOL] = {"protocol", KK_PROTOCOL, 0, 0},
    [PK_CDCP] = {"cdcp", KK_BOOL, 0, 1},
    [PK_CDCP_CHANNELS] = {"cdcp-channels", KK_NUM, 0, CDCP_MAX_PAIRS - 1},
    [PK_CDCP_CAPACITY] = {"cdcp-capacity", KK_NUM, 1, CDCP_MAX_PAIRS},
    [PK_SVID_POOL] = {"svid-pool", KK_RANGE, CDCP_DEFAULT_SVID + 1, CDCP_ID_MAX},
};

enum global_key {
	GK_STATE_DIR,
	GK_PID_FILE,
	GK_LOG_LEVEL,
	GK_ADMIN_GROUP,
	GK_TRACE,
	GK_PLUGIN_DIR,
	GK_PLUGINS,
	GK_POLICY,
	GK_MAX_R,
	GK_MAX_RTE,
	GK_MAX_RWD,
	GK_MAX_RKA,
	GK_VDP_SOURCES,
	GK_USER,
	GK_LLDP_MAX_TTL,
	GK_SECCOMP,
	GK_COUNT
};

static const struct key_def global_keys[GK_COUNT] = {
    [GK_STATE_DIR] = {"state-dir", KK_PATH, 0, 0},
    [GK_PID_FILE] = {"pid-file", KK_OPT_PATH, 0, 0},
    [GK_LOG_LEVEL] = {"log-level", KK_LEVEL, 0, 0},
    [GK_ADMIN_GROUP] = {"admin-group", KK_GROUP, 0, 0},
    [GK_TRACE] = {"trace", KK_OPT_PATH, 0, 0},
    [GK_PLUGIN_DIR] = {"plugin-dir", KK_PATH, 0, 0},
    [GK_PLUGINS] = {"plugins", KK_PLUGINS, 0, 0},
    [GK_POLICY] = {"policy", KK_POLICY, 0, 0},
    [GK_MAX_R] = {"max-r", KK_NUM, 0, EVB_R_MAX},
    [GK_MAX_RTE] = {"max-rte", KK_NUM, 0, EVB_EXP_MAX},
    [GK_MAX_RWD] = {"max-rwd", KK_NUM, 0, EVB_EXP_MAX},
    [GK_MAX_RKA] = {"max-rka", KK_NUM, 0, EVB_EXP_MAX},
    [GK_VDP_SOURCES] = {"vdp-sources", KK_SOURCES, 0, 0},
    [GK_USER] = {"user", KK_USER, 0, 0},
    [GK_LLDP_MAX_TTL] = {"lldp-max-ttl", KK_NUM, 1, LLDP_AGENT_TTL_MAX},
    [GK_SECCOMP] = {"seccomp", KK_BOOL, 0, 1},
};

static const char *const level_names[] = {
    [LOG_LVL_ERR] = "err",   [LOG_LVL_WARN] = "warn",	[LOG_LVL_NOTICE] = "notice",
    [LOG_LVL_INFO] = "info", [LOG_LVL_DEBUG] = "debug",
};

/* ---------------- parser state ---------------- */

/* One [port IF] section: the keys given (line 0 = not given). */
struct sect_port {
	char ifname[IF_NAMESIZE];
	unsigned line; /* of the section header */
	unsigned key_line[PK_COUNT];
	unsigned long val[PK_COUNT];
};

enum sect_kind { SECT_NONE, SECT_GLOBAL, SECT_PORT, SECT_PLUGIN, SECT_CLUSTER };

/* One [plugin NAME] section. */
struct sect_plugin {
	char name[EVBD_PLUGIN_NAME_MAX];
	unsigned line;
};

struct parse {
	const char *path;
	FILE *f;
	char *buf; /* getline buffer */
	size_t cap;
	unsigned lineno;
	int read_errno; /* a read failed */

	enum sect_kind sect;
	struct sect_port *port; /* current [port] section */
	unsigned gkey_line[GK_COUNT];
	struct sect_port ports[EVBD_MAX_PORTS];
	unsigned nports;
	struct sect_plugin plugins[EVBD_MAX_PLUGINS];
	unsigned nplugins;
	struct sect_plugin *plugin; /* current [plugin] section */

	struct evbd_conf conf; /* settings built on a copy, committed on success */

	char *err;
	size_t errlen;
	bool failed;
	unsigned err_line;
};

/* Record the first error as "<file> line <n>: <sentence>".  Returns 0, the
 * inih handler's "error" value. */
__attribute__((format(printf, 3, 4))) static int fail(struct parse *p, unsigned line,
						      const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->failed)
		return 0;
	p->failed = true;
	p->err_line = line;
	n = snprintf(p->err, p->errlen, "%s line %u: ", p->path, line);
	if (n >= 0 && (size_t)n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return 0;
}

__attribute__((format(printf, 3, 4))) static int set_err(char *err, size_t errlen, const char *fmt,
							 ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* "[global]" or "[port eth0]" */
static const char *sect_label(const struct parse *p, char *buf, size_t len)
{
	if (p->sect == SECT_PORT)
		snprintf(buf, len, "[port %s]", p->port->ifname);
	else if (p->sect == SECT_PLUGIN)
		snprintf(buf, len, "[plugin %s]", p->plugin->name);
	else if (p->sect == SECT_CLUSTER)
		snprintf(buf, len, "[cluster]");
	else
		snprintf(buf, len, "[global]");
	return buf;
}

/* "a, b and c" */
static void key_list(const struct key_def *keys, size_t n, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = 0;
	for (size_t i = 0; i < n && off < len; i++) {
		const char *sep = i == 0 ? "" : i + 1 == n ? " and " : ", ";
		int w = snprintf(buf + off, len - off, "%s%s", sep, keys[i].name);
		if (w < 0)
			break;
		off += (size_t)w;
	}
}

/* ---------------- value checks ---------------- */

static bool parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	size_t n = strlen(s);

	if (n == 0 || n > 10)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

static int parse_bool(const char *s)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(s, yes[i]))
			return 1;
		if (!strcasecmp(s, no[i]))
			return 0;
	}
	return -1;
}

static int parse_role(const char *s)
{
	if (!strcmp(s, "station"))
		return EVB_ROLE_STATION;
	if (!strcmp(s, "bridge"))
		return EVB_ROLE_BRIDGE;
	return -1;
}

static bool valid_group(const char *s)
{
	size_t n = strlen(s);

	if (n >= sizeof(((struct evbd_conf *)0)->admin_group))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_-.", s[i]))
			return false;
	return true;
}

/* Plugin names: 1..63 letters, digits, '_', '-' or '.', not starting with '.'. */
static bool valid_plugin_name(const char *s, size_t n)
{
	if (n == 0 || n >= EVBD_PLUGIN_NAME_MAX || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_-.", s[i]))
			return false;
	return true;
}

/* "a, b,c": names separated by commas (spaces around them ignored), each
 * valid and given once, at most EVBD_MAX_PLUGINS; "" = none.  Fills c when
 * not NULL. */
static bool parse_plugin_list(const char *v, struct evbd_conf *c)
{
	char names[EVBD_MAX_PLUGINS][EVBD_PLUGIN_NAME_MAX];
	unsigned n = 0;
	const char *s = v;

	while (*s) {
		while (isspace((unsigned char)*s))
			s++;
		const char *e = s + strcspn(s, ",");
		const char *t = e;
		while (t > s && isspace((unsigned char)t[-1]))
			t--;
		if (!valid_plugin_name(s, (size_t)(t - s)) || n == EVBD_MAX_PLUGINS)
			return false;
		memcpy(names[n], s, (size_t)(t - s));
		names[n][t - s] = 0;
		for (unsigned i = 0; i < n; i++)
			if (!strcmp(names[i], names[n]))
				return false;
		n++;
		if (!*e)
			break;
		s = e + 1;
		if (!*s)
			return false; /* trailing comma */
	}
	if (c) {
		memcpy(c->plugins, names, sizeof(names[0]) * n);
		c->nplugins = n;
	}
	return true;
}

/* Interface name rules of the kernel (dev_valid_name): 0 or a sentence. */
static const char *ifname_problem(const char *name)
{
	if (!name[0])
		return "is empty";
	if (strlen(name) > IF_NAMESIZE - 1)
		return "is longer than 15 characters";
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return "is not allowed";
	for (const char *c = name; *c; c++)
		if (*c == '/' || *c == ':' || isspace((unsigned char)*c))
			return "must not contain '/', ':' or spaces";
	return NULL;
}

/* What a key of this kind allows, for error messages. */
static void allowed_text(const struct key_def *k, char *buf, size_t len)
{
	switch (k->kind) {
	case KK_NUM:
		snprintf(buf, len, "a whole number from %lu to %lu", k->min, k->max);
		break;
	case KK_BOOL:
		snprintf(buf, len, "yes or no");
		break;
	case KK_ROLE:
		snprintf(buf, len, "station or bridge");
		break;
	case KK_PATH:
		snprintf(buf, len, "an absolute path (starting with /)");
		break;
	case KK_OPT_PATH:
		snprintf(buf, len, "an absolute path (starting with /) or empty for none");
		break;
	case KK_LEVEL:
		snprintf(buf, len, "one of err, warn, notice, info or debug");
		break;
	case KK_GROUP:
		snprintf(buf, len,
			 "a group name of at most 63 letters, digits, '_', '-' or '.', or empty "
			 "for root only");
		break;
	case KK_USER:
		snprintf(buf, len,
			 "a user name of at most 63 letters, digits, '_', '-' or '.', or empty "
			 "to stay root with the reduced capabilities");
		break;
	case KK_PLUGINS:
		snprintf(buf, len,
			 "a comma-separated list of at most %d different plugin names (letters, "
			 "digits, '_', '-' or '.'), or empty for none",
			 EVBD_MAX_PLUGINS);
		break;
	case KK_POLICY:
		snprintf(buf, len,
			 "open (grant every VSI request) or database (check requests against "
			 "the VSI type database)");
		break;
	case KK_SOURCES:
		snprintf(buf, len,
			 "neighbour (take VDP from the LLDP neighbour only) or any (from every "
			 "station on the port)");
		break;
	case KK_PACE:
		snprintf(buf, len,
			 "auto (adapt to the peer's losses) or a number of microseconds from "
			 "%lu to %lu",
			 k->min, k->max);
		break;
	case KK_PROTOCOL:
		snprintf(buf, len,
			 "auto (follow the neighbour's EVB TLV), 2012 (IEEE 802.1Qbg-2012) or "
			 "draft (draft 0.2, as lldpad's evb and vdp modules)");
		break;
	case KK_RANGE:
		snprintf(buf, len,
			 "LOW-HIGH, two whole numbers from %lu to %lu, LOW not above HIGH", k->min,
			 k->max);
		break;
	}
}

/* "LOW-HIGH" with min <= LOW <= HIGH <= max, as LOW << 16 | HIGH. */
static bool parse_range(const char *v, unsigned long min, unsigned long max, unsigned long *num)
{
	char low[16];
	const char *dash = strchr(v, '-');
	unsigned long lo, hi;

	if (!dash || (size_t)(dash - v) >= sizeof(low))
		return false;
	memcpy(low, v, (size_t)(dash - v));
	low[dash - v] = 0;
	if (!parse_uint(low, min, max, &lo) || !parse_uint(dash + 1, min, max, &hi) || lo > hi)
		return false;
	*num = lo << 16 | hi;
	return true;
}

/* Check a value against its key's kind; numbers, booleans, roles and
 * levels go to *num. */
static bool value_ok(const struct key_def *k, const char *v, unsigned long *num)
{
	int x;

	switch (k->kind) {
	case KK_NUM:
		return parse_uint(v, k->min, k->max, num);
	case KK_BOOL:
		x = parse_bool(v);
		break;
	case KK_ROLE:
		x = parse_role(v);
		break;
	case KK_LEVEL:
		x = conf_log_level(v);
		break;
	case KK_PATH:
		return v[0] == '/' && strlen(v) < PATH_MAX;
	case KK_OPT_PATH:
		return !v[0] || (v[0] == '/' && strlen(v) < PATH_MAX);
	case KK_GROUP:
	case KK_USER:
		return valid_group(v);
	case KK_PLUGINS:
		return parse_plugin_list(v, NULL);
	case KK_POLICY:
		x = !strcmp(v, "open")	     ? POLICY_OPEN
		    : !strcmp(v, "database") ? POLICY_DATABASE
					     : -1;
		break;
	case KK_SOURCES:
		x = !strcmp(v, "neighbour") ? 0 : !strcmp(v, "any") ? 1 : -1;
		break;
	case KK_PACE:
		if (!strcmp(v, "auto")) {
			*num = CONF_ECP_PACE_AUTO;
			return true;
		}
		return parse_uint(v, k->min, k->max, num);
	case KK_RANGE:
		return parse_range(v, k->min, k->max, num);
	case KK_PROTOCOL:
		x = !strcmp(v, "auto")	  ? LLDP_PROTO_AUTO
		    : !strcmp(v, "2012")  ? LLDP_PROTO_2012
		    : !strcmp(v, "draft") ? LLDP_PROTO_DRAFT
					  : -1;
		break;
	default:
		return false;
	}
	if (x < 0)
		return false;
	*num = (unsigned long)x;
	return true;
}

/* Find the key, refuse unknown and repeated keys and bad values. */
static int check_key(struct parse *p, const struct key_def *keys, size_t n, unsigned *key_line,
		     const char *name, const char *value, unsigned long *num)
{
	char sect[EVBD_PLUGIN_NAME_MAX + 16], what[512]; /* the list of every key fits */
	size_t i;

	for (i = 0; i < n && strcmp(keys[i].name, name); i++)
		;
	sect_label(p, sect, sizeof(sect));
	if (i == n) {
		key_list(keys, n, what, sizeof(what));
		fail(p, p->lineno, "unknown key '%s' in %s; known keys are %s.", name, sect, what);
		return -1;
	}
	if (key_line[i]) {
		fail(p, p->lineno, "key '%s' in %s is given twice (first at line %u).", name, sect,
		     key_line[i]);
		return -1;
	}
	if (!value_ok(&keys[i], value, num)) {
		allowed_text(&keys[i], what, sizeof(what));
		fail(p, p->lineno, "key '%s' in %s must be %s, not '%s'.", name, sect, what, value);
		return -1;
	}
	key_line[i] = p->lineno;
	return (int)i;
}

/* ---------------- sections and keys ---------------- */

/* Copy a string known to fit (checked by the caller); cut it if not. */
static void copy_str(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = 0;
}

static int global_key(struct parse *p, const char *name, const char *value)
{
	unsigned long num = 0;
	struct evbd_conf *c = &p->conf;
	int k = check_key(p, global_keys, GK_COUNT, p->gkey_line, name, value, &num);

	switch (k) {
	case GK_STATE_DIR:
		copy_str(c->state_dir, sizeof(c->state_dir), value);
		break;
	case GK_PID_FILE:
		copy_str(c->pid_file, sizeof(c->pid_file), value);
		break;
	case GK_LOG_LEVEL:
		c->log_level = (int)num;
		break;
	case GK_ADMIN_GROUP:
		if (value[0] && !getgrnam(value))
			return fail(
			    p, p->lineno,
			    "key 'admin-group' in [global] names group '%s', which does not "
			    "exist on this host; create it (groupadd %s) or leave admin-group "
			    "empty for root only.",
			    value, value);
		copy_str(c->admin_group, sizeof(c->admin_group), value);
		break;
	case GK_TRACE:
		copy_str(c->trace_file, sizeof(c->trace_file), value);
		break;
	case GK_PLUGIN_DIR:
		copy_str(c->plugin_dir, sizeof(c->plugin_dir), value);
		break;
	case GK_PLUGINS:
		parse_plugin_list(value, c);
		break;
	case GK_POLICY:
		c->policy = (int)num;
		break;
	case GK_MAX_R:
		c->guard.max_r = (uint8_t)num;
		break;
	case GK_MAX_RTE:
		c->guard.max_rte = (uint8_t)num;
		break;
	case GK_MAX_RWD:
		c->guard.max_rwd = (uint8_t)num;
		break;
	case GK_MAX_RKA:
		c->guard.max_rka = (uint8_t)num;
		break;
	case GK_VDP_SOURCES:
		c->guard.vdp_any_source = num;
		break;
	case GK_LLDP_MAX_TTL:
		c->guard.lldp_max_ttl = (uint16_t)num;
		break;
	case GK_SECCOMP:
		c->seccomp = num;
		break;
	case GK_USER:
		if (value[0] && !getpwnam(value))
			return fail(p, p->lineno,
				    "key 'user' in [global] names user '%s', which does not exist "
				    "on this host; create it (useradd --system %s) or leave user "
				    "empty to stay root with the reduced capabilities.",
				    value, value);
		copy_str(c->user, sizeof(c->user), value);
		break;
	default:
		return 0;
	}
	return 1;
}

static int port_key(struct parse *p, const char *name, const char *value)
{
	unsigned long num = 0;
	int k = check_key(p, port_keys, PK_COUNT, p->port->key_line, name, value, &num);

	if (k < 0)
		return 0;
	p->port->val[k] = num;
	return 1;
}

/* A key of a [plugin NAME] section: kept as text for the plugin, which
 * checks it; only repeats and sizes are refused here. */
static int plugin_key(struct parse *p, const char *name, const char *value)
{
	struct evbd_conf *c = &p->conf;
	const char *plugin = p->plugin->name;

	for (unsigned i = 0; i < c->nplugin_kv; i++) {
		const struct plugin_kv *kv = &c->plugin_kv[i];
		if (!strcmp(kv->plugin, plugin) && !strcmp(kv->key, name))
			return fail(p, p->lineno,
				    "key '%s' in [plugin %s] is given twice (first at line %u).",
				    name, plugin, kv->line);
	}
	if (strlen(name) >= EVBD_PLUGIN_KEY_MAX || strlen(value) >= EVBD_PLUGIN_VAL_MAX)
		return fail(p, p->lineno,
			    "key '%s' in [plugin %s] is too long; keys may have %d characters "
			    "and values %d.",
			    name, plugin, EVBD_PLUGIN_KEY_MAX - 1, EVBD_PLUGIN_VAL_MAX - 1);
	if (c->nplugin_kv == EVBD_MAX_PLUGIN_KEYS)
		return fail(p, p->lineno,
			    "key '%s' in [plugin %s] is one too many; the [plugin] sections may "
			    "hold %d keys together.",
			    name, plugin, EVBD_MAX_PLUGIN_KEYS);
	struct plugin_kv *kv = &c->plugin_kv[c->nplugin_kv++];
	copy_str(kv->plugin, sizeof(kv->plugin), plugin);
	copy_str(kv->key, sizeof(kv->key), name);
	copy_str(kv->value, sizeof(kv->value), value);
	kv->line = p->lineno;
	return 1;
}

/* A key of the [cluster] section (evbd/cluster_conf.h checks it). */
static int cluster_key(struct parse *p, const char *name, const char *value)
{
	char why[300];
	int rc = cluster_conf_key(&p->conf.cluster, name, value, why, sizeof(why));

	if (rc < 0)
		return fail(p, p->lineno, "key '%s' in [cluster]: %s.", name, why);
	if (!rc)
		return fail(p, p->lineno,
			    "unknown key '%s' in [cluster]; the keys are endpoints, prefix, "
			    "switch-name, cert, key, ca, cache-grace, lease-ttl and timeout.",
			    name);
	return 1;
}

/* inih handler: one "key = value" of the current section. */
static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct parse *p = user;

	(void)section; /* tracked by the reader, with its line number */
	if (p->failed)
		return 0;
	switch (p->sect) {
	case SECT_GLOBAL:
		return global_key(p, name, value);
	case SECT_PORT:
		return port_key(p, name, value);
	case SECT_PLUGIN:
		return plugin_key(p, name, value);
	case SECT_CLUSTER:
		return cluster_key(p, name, value);
	default:
		return fail(p, p->lineno,
			    "key '%s' is outside any section; put it under [global], "
			    "[port IFNAME] or [plugin NAME].",
			    name);
	}
}

static const struct port_conf *find_port(const struct evbd_conf *c, const char *ifname)
{
	for (unsigned i = 0; i < c->nports; i++)
		if (!strcmp(c->ports[i].ifname, ifname))
			return &c->ports[i];
	return NULL;
}

static const char *role_name(enum evb_role role)
{
	return role == EVB_ROLE_BRIDGE ? "bridge" : "station";
}

static void port_section(struct parse *p, const char *ifname)
{
	const char *problem = ifname_problem(ifname);
	const struct port_conf *old;

	if (problem) {
		fail(p, p->lineno, "interface name '%s' in [port %s] %s.", ifname, ifname, problem);
		return;
	}
	for (unsigned i = 0; i < p->nports; i++) {
		if (!strcmp(p->ports[i].ifname, ifname)) {
			fail(p, p->lineno, "[port %s] is given twice (first at line %u).", ifname,
			     p->ports[i].line);
			return;
		}
	}
	old = find_port(&p->conf, ifname);
	if (old) {
		fail(p, p->lineno, "[port %s]: interface %s is already configured as a %s port.",
		     ifname, ifname, role_name(old->evb.role));
		return;
	}
	if (p->conf.nports + p->nports >= EVBD_MAX_PORTS) {
		fail(p, p->lineno, "[port %s] is one port too many; evbd handles at most %d ports.",
		     ifname, EVBD_MAX_PORTS);
		return;
	}
	p->port = &p->ports[p->nports++];
	copy_str(p->port->ifname, sizeof(p->port->ifname), ifname);
	p->port->line = p->lineno;
	p->sect = SECT_PORT;
}

static void plugin_section(struct parse *p, const char *name)
{
	if (!valid_plugin_name(name, strlen(name))) {
		fail(p, p->lineno,
		     "plugin name '%s' in [plugin %s] must be 1 to %d letters, digits, '_', '-' "
		     "or '.'.",
		     name, name, EVBD_PLUGIN_NAME_MAX - 1);
		return;
	}
	for (unsigned i = 0; i < p->nplugins; i++) {
		if (!strcmp(p->plugins[i].name, name)) {
			fail(p, p->lineno, "[plugin %s] is given twice (first at line %u).", name,
			     p->plugins[i].line);
			return;
		}
	}
	if (p->nplugins == EVBD_MAX_PLUGINS) {
		fail(p, p->lineno, "[plugin %s] is one section too many; at most %d are allowed.",
		     name, EVBD_MAX_PLUGINS);
		return;
	}
	p->plugin = &p->plugins[p->nplugins++];
	copy_str(p->plugin->name, sizeof(p->plugin->name), name);
	p->plugin->line = p->lineno;
	p->sect = SECT_PLUGIN;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

/* A "[name]" line (s starts with '['); without ']' inih reports it. */
static void section_line(struct parse *p, const char *s)
{
	const char *end = strchr(s, ']');
	char buf[INI_MAX_LINE], *name;

	if (!end || (size_t)(end - s) > sizeof(buf))
		return;
	memcpy(buf, s + 1, (size_t)(end - s - 1));
	buf[end - s - 1] = 0;
	name = trim(buf);
	if (!strcmp(name, "global"))
		p->sect = SECT_GLOBAL;
	else if (!strcmp(name, "cluster"))
		p->sect = SECT_CLUSTER;
	else if (!strcmp(name, "port"))
		fail(p, p->lineno, "section [port] needs an interface name, e.g. [port eth0].");
	else if (!strncmp(name, "port", 4) && isspace((unsigned char)name[4]))
		port_section(p, trim(name + 4));
	else if (!strcmp(name, "plugin"))
		fail(p, p->lineno,
		     "section [plugin] needs a plugin name, e.g. [plugin lldpad-nl].");
	else if (!strncmp(name, "plugin", 6) && isspace((unsigned char)name[6]))
		plugin_section(p, trim(name + 6));
	else
		fail(p, p->lineno,
		     "unknown section [%s]; sections are [global], [port IFNAME], [plugin "
		     "NAME] and [cluster].",
		     name);
}

/* inih reader: one line per call, counted, left-trimmed (so inih never
 * sees continuation lines), section headers noted with their line. */
static char *read_line(char *str, int num, void *stream)
{
	struct parse *p = stream;
	ssize_t n;
	char *s;
	size_t len;

	if (p->failed)
		return NULL;
	errno = 0;
	n = getline(&p->buf, &p->cap, p->f);
	if (n < 0) {
		/* getline() reports a failed allocation in errno only */
		if (ferror(p->f) || errno == ENOMEM)
			p->read_errno = errno ? errno : EIO;
		return NULL;
	}
	p->lineno++;
	s = p->buf;
	if (memchr(s, 0, (size_t)n)) {
		fail(
		    p, p->lineno,
		    "the line holds a NUL byte; evbd.conf must be text (is this the right file?).");
		return NULL;
	}
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = 0;
	if (p->lineno == 1 && n >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		s += 3; /* UTF-8 byte order mark */
	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	if (len + 1 > (size_t)num) {
		fail(p, p->lineno, "the line is longer than %d characters.", num - 1);
		return NULL;
	}
	if (*s == '[')
		section_line(p, s);
	memcpy(str, s, len + 1);
	return str;
}

/* ---------------- ports ---------------- */

static void port_conf_init(struct port_conf *pc, const char *ifname, enum evb_role role,
			   const struct conf_guard *g)
{
	memset(pc, 0, sizeof(*pc));
	copy_str(pc->ifname, sizeof(pc->ifname), ifname);
	evb_local_defaults(&pc->evb, role);
	pc->evb.max_r = g->max_r;
	pc->evb.max_rte = g->max_rte;
	pc->evb.max_rwd = g->max_rwd;
	pc->evb.max_rka = g->max_rka;
	pc->vdp_any_source = g->vdp_any_source;
	pc->lldp_max_ttl = g->lldp_max_ttl;
	pc->lldp_interval = LLDP_INTERVAL_DEFAULT;
	pc->lldp_hold = LLDP_HOLD_DEFAULT;
	pc->max_vsis = VDP_PORT_MAX_VSIS;
	pc->max_filters = VDP_PORT_MAX_FILTERS;
	pc->tx_queue = VDP_PORT_TX_QUEUE;
	pc->ecp_pace_us = CONF_ECP_PACE_AUTO;
}

/* The bounds and sources keys of a [port] section over the [global] ones. */
static void port_apply_guard(struct port_conf *pc, const struct sect_port *s)
{
	const unsigned long *v = s->val;
	const unsigned *given = s->key_line;

	if (given[PK_MAX_R])
		pc->evb.max_r = (uint8_t)v[PK_MAX_R];
	if (given[PK_MAX_RTE])
		pc->evb.max_rte = (uint8_t)v[PK_MAX_RTE];
	if (given[PK_MAX_RWD])
		pc->evb.max_rwd = (uint8_t)v[PK_MAX_RWD];
	if (given[PK_MAX_RKA])
		pc->evb.max_rka = (uint8_t)v[PK_MAX_RKA];
	if (given[PK_VDP_SOURCES])
		pc->vdp_any_source = v[PK_VDP_SOURCES];
	if (given[PK_LLDP_MAX_TTL])
		pc->lldp_max_ttl = (uint16_t)v[PK_LLDP_MAX_TTL];
	if (given[PK_MAX_VSIS_STATION])
		pc->max_vsis_station = v[PK_MAX_VSIS_STATION];
}

/* CDCP (802.1Qbg 42): a station asks for cdcp-channels S-channels beyond
 * the default one, a bridge gives SVIDs from svid-pool within
 * cdcp-capacity. */
static void port_apply_cdcp(struct port_conf *pc, const struct sect_port *s)
{
	const unsigned long *v = s->val;
	const unsigned *given = s->key_line;
	struct cdcp_conf *c = &pc->cdcp;

	c->enabled = given[PK_CDCP] && v[PK_CDCP];
	c->station = pc->evb.role == EVB_ROLE_STATION;
	c->channels = given[PK_CDCP_CHANNELS] ? (uint16_t)v[PK_CDCP_CHANNELS] : 1;
	c->chncap = given[PK_CDCP_CAPACITY] ? (uint16_t)v[PK_CDCP_CAPACITY] : CDCP_MAX_PAIRS;
	c->pool_low = (uint16_t)(v[PK_SVID_POOL] >> 16);
	c->pool_high = (uint16_t)(v[PK_SVID_POOL] & 0xffff);
}

/* The CDCP keys that belong to the other role, and a bridge's pool. */
static int check_cdcp(struct parse *p, const struct sect_port *s)
{
	const unsigned *given = s->key_line;
	bool station = s->val[PK_ROLE] == EVB_ROLE_STATION;
	static const enum port_key bridge_only[] = {PK_CDCP_CAPACITY, PK_SVID_POOL};

	if (!station && given[PK_CDCP_CHANNELS])
		return fail(p, given[PK_CDCP_CHANNELS],
			    "key 'cdcp-channels' in [port %s] is a station's (the S-channels it "
			    "asks for), and this port is a bridge; remove it or use svid-pool and "
			    "cdcp-capacity.",
			    s->ifname);
	for (size_t i = 0; station && i < sizeof(bridge_only) / sizeof(bridge_only[0]); i++)
		if (given[bridge_only[i]])
			return fail(p, given[bridge_only[i]],
				    "key '%s' in [port %s] is a bridge's (what it grants), and "
				    "this port is a station; remove it or use cdcp-channels.",
				    port_keys[bridge_only[i]].name, s->ifname);
	if (!station && given[PK_CDCP] && s->val[PK_CDCP] && !given[PK_SVID_POOL])
		return fail(p, given[PK_CDCP],
			    "[port %s] is a bridge with cdcp on but has no key 'svid-pool'; add "
			    "the SVIDs it may give to S-channels, e.g. 'svid-pool = 100-199'.",
			    s->ifname);
	return 0;
}

static void port_apply(struct port_conf *pc, const struct sect_port *s, const struct conf_guard *g)
{
	const unsigned long *v = s->val;
	const unsigned *given = s->key_line;

	port_conf_init(pc, s->ifname, (enum evb_role)v[PK_ROLE], g);
	port_apply_guard(pc, s);
	if (given[PK_R]) {
		pc->evb.r = (uint8_t)v[PK_R];
		pc->evb_given |= CONF_GIVEN_R;
	}
	if (given[PK_RTE]) {
		pc->evb.rte = (uint8_t)v[PK_RTE];
		pc->evb_given |= CONF_GIVEN_RTE;
	}
	if (given[PK_RWD]) {
		pc->evb.rwd = (uint8_t)v[PK_RWD];
		pc->evb_given |= CONF_GIVEN_RWD;
	}
	if (given[PK_RKA]) {
		pc->evb.rka = (uint8_t)v[PK_RKA];
		pc->evb_given |= CONF_GIVEN_RKA;
	}
	if (given[PK_RR] && pc->evb.role == EVB_ROLE_STATION)
		pc->evb.rrreq = v[PK_RR];
	if (given[PK_RR] && pc->evb.role == EVB_ROLE_BRIDGE)
		pc->evb.rrcap = v[PK_RR];
	if (given[PK_GID])
		pc->evb.gid = v[PK_GID];
	if (given[PK_MANUAL]) {
		pc->evb.manual = v[PK_MANUAL];
		pc->evb_given |= CONF_GIVEN_MANUAL;
	}
	if (given[PK_LLDP_INTERVAL])
		pc->lldp_interval = (unsigned)v[PK_LLDP_INTERVAL];
	if (given[PK_LLDP_HOLD])
		pc->lldp_hold = (unsigned)v[PK_LLDP_HOLD];
	if (given[PK_MAX_VSIS])
		pc->max_vsis = v[PK_MAX_VSIS];
	if (given[PK_MAX_FILTERS])
		pc->max_filters = (uint16_t)v[PK_MAX_FILTERS];
	if (given[PK_TX_QUEUE])
		pc->tx_queue = v[PK_TX_QUEUE];
	if (given[PK_ECP_PACE])
		pc->ecp_pace_us = (unsigned)v[PK_ECP_PACE];
	if (given[PK_POLICY])
		pc->policy = (int)v[PK_POLICY];
	if (given[PK_PROTOCOL])
		pc->protocol = (enum lldp_protocol)v[PK_PROTOCOL];
	port_apply_cdcp(pc, s);
}

/* End of file: every port needs a role; then apply keys over defaults. */
static int finish_ports(struct parse *p)
{
	for (unsigned i = 0; i < p->nports; i++) {
		if (!p->ports[i].key_line[PK_ROLE]) {
			fail(
			    p, p->ports[i].line,
			    "[port %s] has no key 'role'; add 'role = station' or 'role = bridge'.",
			    p->ports[i].ifname);
			return -1;
		}
		check_cdcp(p, &p->ports[i]);
		if (p->failed)
			return -1;
	}
	for (unsigned i = 0; i < p->nports; i++) {
		struct port_conf *pc = &p->conf.ports[p->conf.nports++];
		port_apply(pc, &p->ports[i], &p->conf.guard);
		if (!p->ports[i].key_line[PK_POLICY])
			pc->policy = p->conf.policy; /* the [global] policy */
	}
	return 0;
}

/* ---------------- API ---------------- */

void conf_defaults(struct evbd_conf *c)
{
	memset(c, 0, sizeof(*c));
	copy_str(c->state_dir, sizeof(c->state_dir), "/var/lib/evbd");
	copy_str(c->pid_file, sizeof(c->pid_file), "/run/evbd.pid");
	copy_str(c->plugin_dir, sizeof(c->plugin_dir), EVBD_PLUGIN_DIR);
	c->log_level = LOG_LVL_NOTICE;
	c->seccomp = true;
	c->guard = (struct conf_guard){.max_r = EVB_DEFAULT_MAX_R,
				       .max_rte = EVB_DEFAULT_MAX_RTE,
				       .max_rwd = EVB_DEFAULT_MAX_RWD,
				       .max_rka = EVB_DEFAULT_MAX_RKA,
				       .lldp_max_ttl = LLDP_MAX_TTL_DEFAULT};
	cluster_conf_defaults(&c->cluster);
}

const char *conf_plugin_get(const struct evbd_conf *c, const char *plugin, const char *key)
{
	for (unsigned i = 0; i < c->nplugin_kv; i++)
		if (!strcmp(c->plugin_kv[i].plugin, plugin) && !strcmp(c->plugin_kv[i].key, key))
			return c->plugin_kv[i].value;
	return NULL;
}

int conf_log_level(const char *name)
{
	if (!name)
		return -1;
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (!strcmp(name, level_names[i]))
			return (int)i;
	return -1;
}

static int parse_file(struct parse *p)
{
	char why[300];
	int rc = ini_parse_stream(read_line, p, on_key, p);

	if (rc > 0 && (!p->failed || (unsigned)rc < p->err_line)) {
		p->failed = false; /* inih's syntax error comes first in the file */
		fail(p, (unsigned)rc,
		     "cannot read this line; expected '[section]', 'key = value' or a comment "
		     "starting with ';' or '#'.");
	}
	if (!p->failed && cluster_conf_check(&p->conf.cluster, why, sizeof(why)))
		fail(p, p->lineno, "%s.", why);
	if (p->failed)
		return -1;
	if (rc == -2 || p->read_errno)
		return set_err(p->err, p->errlen, "cannot read config file %s: %s", p->path,
			       strerror(rc == -2 ? ENOMEM : p->read_errno));
	return finish_ports(p);
}

int conf_load(struct evbd_conf *c, const char *path, char *err, size_t errlen)
{
	struct parse *p;
	int rc;

	p = calloc(1, sizeof(*p));
	if (!p)
		return set_err(err, errlen, "cannot read config file %s: %s", path,
			       strerror(ENOMEM));
	p->f = fopen(path, "re");
	if (!p->f) {
		set_err(err, errlen, "cannot open config file %s: %s", path, strerror(errno));
		free(p);
		return -1;
	}
	p->path = path;
	p->err = err;
	p->errlen = errlen;
	p->conf = *c;
	rc = parse_file(p);
	if (rc == 0) {
		*c = p->conf;
		copy_str(c->path, sizeof(c->path), path);
	}
	fclose(p->f);
	free(p->buf);
	free(p);
	return rc;
}

int conf_add_port(struct evbd_conf *c, const char *ifname, enum evb_role role, char *err,
		  size_t errlen)
{
	const char *problem = ifname_problem(ifname);
	const struct port_conf *old;

	if (problem)
		return set_err(err, errlen, "interface name '%s' %s.", ifname, problem);
	if (role != EVB_ROLE_STATION && role != EVB_ROLE_BRIDGE)
		return set_err(err, errlen, "interface %s: the role must be station or bridge.",
			       ifname);
	old = find_port(c, ifname);
	if (old)
		return set_err(err, errlen,
			       "interface %s is already configured as a %s port; give each "
			       "interface once.",
			       ifname, role_name(old->evb.role));
	if (c->nports >= EVBD_MAX_PORTS)
		return set_err(err, errlen, "cannot add port %s: evbd handles at most %d ports.",
			       ifname, EVBD_MAX_PORTS);
	port_conf_init(&c->ports[c->nports], ifname, role, &c->guard);
	c->ports[c->nports++].policy = c->policy;
	return 0;
}
