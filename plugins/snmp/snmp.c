/* SPDX-License-Identifier: ISC */
/*
 * snmp.c - the `snmp` plugin: an AgentX subagent (net-snmp's agent library)
 * that serves evbd's IEEE8021-EVB-MIB (ops->mib_*) to a master agent such
 * as snmpd, so that `snmpwalk ... ieee8021BridgeEvbMib` shows evbd's live
 * state.  It runs on evbd's own event loop: no thread, no agent loop of
 * net-snmp's.  After each read or timer, snmp_select_info2() says which
 * descriptors net-snmp wants and when its next alarm is due, and those
 * become evbd fd watches and one timer.  The AgentX ping alarm notices a
 * lost master and reopens the session (every `ping-interval` seconds), so
 * a restarted snmpd gets the registration back within that time.
 *
 * evbd.conf:
 *   [plugin snmp]
 *   agentx-socket = /var/agentx/master   ; the master's AgentX socket
 *   ping-interval = 2                    ; seconds, 1..300
 * net-snmp reads no configuration file and keeps no state; its one file
 * (cert_indexes) goes to STATE-DIR/snmp.
 *
 * Sets follow the SNMP phases: RESERVE1 checks (mib_set, commit false),
 * ACTION applies (and persists) after saving the old value, UNDO puts the
 * old value back when another varbind of the request failed.
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/library/large_fd_set.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "plugins/plugin_api.h"

#define NAME		 "snmp"
#define MAX_FDS		 16
#define DEFAULT_SOCKET	 "/var/agentx/master"
#define DEFAULT_PING	 2
#define AGENTX_TIMEOUT_S 1 /* a master that accepts but does not answer stalls evbd this long */

struct snmp_plugin {
	const struct evbd_plugin_ops *ops;
	struct evbd *d;
	struct evbd_plugin_fd *fds[MAX_FDS];
	int fdnum[MAX_FDS];
	unsigned nfds;
	struct evbd_plugin_timer *timer;
	netsnmp_handler_registration *reg;
	char line[512]; /* net-snmp log text until its newline */
	size_t linelen;
	char last[512]; /* the line logged last: a repeat goes to debug level */
};

static struct snmp_plugin *P; /* net-snmp's callbacks carry no argument of ours */

/* ---------------- logging ---------------- */

static int log_level(int prio)
{
	if (prio <= LOG_ERR)
		return EVBD_PL_ERR;
	if (prio == LOG_WARNING)
		return EVBD_PL_WARN;
	if (prio == LOG_NOTICE)
		return EVBD_PL_NOTICE;
	return prio == LOG_INFO ? EVBD_PL_INFO : EVBD_PL_DEBUG;
}

/* net-snmp's messages, a line at a time (they may come in pieces). */
static int on_log(int major, int minor, void *serverarg, void *clientarg)
{
	const struct snmp_log_message *m = serverarg;
	const char *s = m->msg ? m->msg : "";

	(void)major, (void)minor, (void)clientarg;
	for (; *s; s++) {
		if (*s != '\n' && P->linelen < sizeof(P->line) - 1) {
			P->line[P->linelen++] = *s;
			continue;
		}
		if (*s != '\n')
			continue; /* an over-long line is cut */
		P->line[P->linelen] = 0;
		if (P->linelen) {
			/* e.g. "Failed to connect" at every retry while snmpd is away */
			bool again = !strcmp(P->line, P->last);

			P->ops->log(again ? EVBD_PL_DEBUG : log_level(m->priority),
				    "snmp: net-snmp: %s%s", P->line, again ? " (again)" : "");
			memcpy(P->last, P->line, P->linelen + 1);
		}
		P->linelen = 0;
	}
	return 0;
}

/* ---------------- values ---------------- */

static bool to_evbd_oid(const oid *name, size_t len, struct evbd_oid *o)
{
	if (len > EVBD_OID_MAX)
		return false;
	o->len = (uint32_t)len;
	for (size_t i = 0; i < len; i++) {
		if (name[i] > UINT32_MAX)
			return false;
		o->a[i] = (uint32_t)name[i];
	}
	return true;
}

static void put_value(netsnmp_variable_list *vb, const struct evbd_mib_value *v)
{
	long l = v->i;
	u_long u = v->u;

	switch (v->type) {
	case EVBD_MIB_INTEGER:
		snmp_set_var_typed_value(vb, ASN_INTEGER, &l, sizeof(l));
		break;
	case EVBD_MIB_OCTETS:
		snmp_set_var_typed_value(vb, ASN_OCTET_STR, v->s, v->len);
		break;
	default: /* Counter32, Unsigned32 / Gauge32, TimeTicks: same tags */
		snmp_set_var_typed_value(vb, v->type, &u, sizeof(u));
	}
}

/* A set request's value.  EVBD_MIB_OK or wrongType / wrongLength / wrongValue. */
static int get_value(const netsnmp_variable_list *vb, struct evbd_mib_value *v)
{
	memset(v, 0, sizeof(*v));
	v->type = vb->type;
	switch (vb->type) {
	case ASN_INTEGER:
		if (*vb->val.integer < INT32_MIN || *vb->val.integer > INT32_MAX)
			return EVBD_MIB_ERR_WRONG_VALUE;
		v->i = (int32_t)*vb->val.integer;
		return EVBD_MIB_OK;
	case ASN_OCTET_STR:
		if (vb->val_len > EVBD_MIB_OCTETS_MAX)
			return EVBD_MIB_ERR_WRONG_LENGTH;
		v->len = (uint8_t)vb->val_len;
		memcpy(v->s, vb->val.string, vb->val_len);
		return EVBD_MIB_OK;
	case ASN_COUNTER:
	case ASN_GAUGE:
	case ASN_TIMETICKS:
		v->u = (uint32_t)*vb->val.integer;
		return EVBD_MIB_OK;
	default:
		return EVBD_MIB_ERR_WRONG_TYPE;
	}
}

/* ---------------- the handler ---------------- */

static void do_get(netsnmp_agent_request_info *ri, netsnmp_request_info *rq)
{
	netsnmp_variable_list *vb = rq->requestvb;
	struct evbd_oid o;
	struct evbd_mib_value v;
	int r = to_evbd_oid(vb->name, vb->name_length, &o) ? P->ops->mib_get(P->d, &o, &v)
							   : EVBD_MIB_NO_SUCH_OBJECT;

	if (r == EVBD_MIB_OK)
		put_value(vb, &v);
	else
		netsnmp_set_request_error(ri, rq,
					  r == EVBD_MIB_NO_SUCH_INSTANCE ? SNMP_NOSUCHINSTANCE
									 : SNMP_NOSUCHOBJECT);
}

/* Past the end of the MIB the varbind stays as it is: the agent then moves
 * on to the next registration (or answers endOfMibView). */
static void do_getnext(netsnmp_request_info *rq)
{
	netsnmp_variable_list *vb = rq->requestvb;
	struct evbd_oid o, next;
	struct evbd_mib_value v;
	oid name[EVBD_OID_MAX];

	/* AgentX sub-identifiers are 32 bits (RFC 2741 5.1): every OID converts */
	if (!to_evbd_oid(vb->name, vb->name_length, &o) ||
	    P->ops->mib_getnext(P->d, &o, &next, &v) != EVBD_MIB_OK)
		return;
	for (uint32_t i = 0; i < next.len; i++)
		name[i] = next.a[i];
	snmp_set_var_objid(vb, name, next.len);
	put_value(vb, &v);
}

static int set_phase(netsnmp_agent_request_info *ri, netsnmp_request_info *rq, bool commit)
{
	netsnmp_variable_list *vb = rq->requestvb;
	struct evbd_oid o;
	struct evbd_mib_value v;
	char err[256] = "";
	int r;

	if (!to_evbd_oid(vb->name, vb->name_length, &o))
		r = EVBD_MIB_ERR_NOT_WRITABLE;
	else if ((r = get_value(vb, &v)) == EVBD_MIB_OK)
		r = P->ops->mib_set(P->d, &o, &v, commit, err, sizeof(err));
	if (r == EVBD_MIB_OK)
		return 0;
	P->ops->log(EVBD_PL_INFO, "snmp: set refused (%s): %s", P->ops->mib_err_name(r),
		    err[0] ? err : "wrong type");
	netsnmp_set_request_error(ri, rq, r);
	return r;
}

/* ACTION: keep the value in force, then apply the new one. */
static void do_action(netsnmp_agent_request_info *ri, netsnmp_request_info *rq)
{
	netsnmp_variable_list *vb = rq->requestvb;
	struct evbd_oid o;
	struct evbd_mib_value *old = calloc(1, sizeof(*old));

	if (!old || !to_evbd_oid(vb->name, vb->name_length, &o) ||
	    P->ops->mib_get(P->d, &o, old) != EVBD_MIB_OK) {
		free(old);
		netsnmp_set_request_error(ri, rq, SNMP_ERR_RESOURCEUNAVAILABLE);
		return;
	}
	netsnmp_request_add_list_data(rq, netsnmp_create_data_list(NAME, old, free));
	set_phase(ri, rq, true);
}

static void do_undo(netsnmp_request_info *rq)
{
	netsnmp_variable_list *vb = rq->requestvb;
	const struct evbd_mib_value *old = netsnmp_request_get_list_data(rq, NAME);
	struct evbd_oid o;
	char err[256];

	if (old && to_evbd_oid(vb->name, vb->name_length, &o) &&
	    P->ops->mib_set(P->d, &o, old, true, err, sizeof(err)) != EVBD_MIB_OK)
		P->ops->log(EVBD_PL_ERR, "snmp: could not undo a set: %s", err);
}

static int handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
		   netsnmp_agent_request_info *ri, netsnmp_request_info *requests)
{
	(void)h, (void)reg;
	for (netsnmp_request_info *rq = requests; rq; rq = rq->next) {
		if (rq->processed)
			continue;
		switch (ri->mode) {
		case MODE_GET:
			do_get(ri, rq);
			break;
		case MODE_GETNEXT:
			do_getnext(rq);
			break;
		case MODE_SET_RESERVE1:
			set_phase(ri, rq, false);
			break;
		case MODE_SET_ACTION:
			do_action(ri, rq);
			break;
		case MODE_SET_UNDO:
			do_undo(rq);
			break;
		case MODE_SET_RESERVE2:
		case MODE_SET_COMMIT:
		case MODE_SET_FREE:
			break; /* nothing to reserve, applied in ACTION, old value freed with rq */
		default:
			netsnmp_set_request_error(ri, rq, SNMP_ERR_GENERR);
		}
	}
	return SNMP_ERR_NOERROR;
}

/* ---------------- on evbd's loop ---------------- */

static void update(bool rebuild);

static void on_readable(int fd, void *arg)
{
	netsnmp_large_fd_set set;

	(void)arg;
	netsnmp_large_fd_set_init(&set, fd + 1);
	netsnmp_large_fd_setfd(fd, &set);
	snmp_read2(&set);
	netsnmp_large_fd_set_cleanup(&set);
	netsnmp_check_outstanding_agent_requests();
	update(false);
}

/* Alarms (AgentX ping, reconnect) may close a socket and open another with
 * the same number: the watches are made again after them. */
static void on_timer(void *arg)
{
	(void)arg;
	snmp_timeout();
	run_alarms();
	netsnmp_check_outstanding_agent_requests();
	update(true);
}

static void fds_drop(void)
{
	for (unsigned i = 0; i < P->nfds; i++)
		P->ops->fd_del(P->fds[i]);
	P->nfds = 0;
}

/* Watch what net-snmp wants watched; arm the timer for its next alarm. */
static void update(bool rebuild)
{
	netsnmp_large_fd_set set;
	struct timeval tv = {0, 0};
	int maxfd = 0, block = 1, want[MAX_FDS];
	unsigned n = 0;

	netsnmp_large_fd_set_init(&set, FD_SETSIZE);
	snmp_select_info2(&maxfd, &set, &tv, &block);
	for (int fd = 0; fd < maxfd && n < MAX_FDS; fd++) {
		if (netsnmp_large_fd_is_set(fd, &set))
			want[n++] = fd;
	}
	netsnmp_large_fd_set_cleanup(&set);
	if (rebuild || n != P->nfds || memcmp(want, P->fdnum, n * sizeof(int))) {
		fds_drop();
		for (unsigned i = 0; i < n; i++) {
			P->fds[P->nfds] = P->ops->fd_add(P->d, want[i], on_readable, NULL);
			if (!P->fds[P->nfds]) {
				P->ops->log(EVBD_PL_ERR,
					    "snmp: cannot watch descriptor %d: out of "
					    "memory; SNMP answers may stop",
					    want[i]);
				continue;
			}
			P->fdnum[P->nfds++] = want[i];
		}
	}
	if (block)
		P->ops->timer_disarm(P->timer);
	else
		P->ops->timer_arm(P->timer, (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec);
}

/* ---------------- start / stop ---------------- */

struct keys_check {
	int bad;
	const struct evbd_plugin_ops *ops;
};

static void check_key(void *arg, const char *key, unsigned line)
{
	struct keys_check *k = arg;

	if (strcmp(key, "agentx-socket") && strcmp(key, "ping-interval")) {
		k->ops->log(EVBD_PL_ERR,
			    "snmp: unknown key '%s' on line %u of [plugin snmp]; the keys are "
			    "agentx-socket and ping-interval",
			    key, line);
		k->bad = 1;
	}
}

static int read_conf(const struct evbd_plugin_ops *ops, const char **sock, int *ping)
{
	struct keys_check k = {0, ops};
	const char *p = ops->conf_get(ops->d, NAME, "ping-interval");
	char *end;

	ops->conf_keys(ops->d, NAME, check_key, &k);
	if (k.bad)
		return -EINVAL;
	*sock = ops->conf_get(ops->d, NAME, "agentx-socket");
	if (!*sock)
		*sock = DEFAULT_SOCKET;
	*ping = DEFAULT_PING;
	if (p) {
		long v = strtol(p, &end, 10);

		if (*end || end == p || v < 1 || v > 300) {
			ops->log(EVBD_PL_ERR,
				 "snmp: ping-interval '%s' is not a number of seconds from 1 to "
				 "300; fix [plugin snmp] in evbd.conf",
				 p);
			return -EINVAL;
		}
		*ping = (int)v;
	}
	return 0;
}

/* net-snmp: a subagent that reads no configuration and keeps no state. */
static void agent_settings(const char *sock, const char *dir)
{
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, on_log, NULL);
	snmp_enable_calllog();
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_PERSISTENT_DIR, dir);
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
	netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET, sock);
	setenv("MIBS", "", 0); /* parse no MIB files */
	setenv("MIBDIRS", "", 0);
}

static int start(struct snmp_plugin *sp, const char *sock, int ping)
{
	char dir[PATH_MAX];

	/* plugins start before evbd made its state directory */
	if (mkdir(sp->ops->state_dir(sp->d), 0700) && errno != EEXIST)
		sp->ops->log(EVBD_PL_WARN, "snmp: cannot create %s: %s", sp->ops->state_dir(sp->d),
			     strerror(errno));
	snprintf(dir, sizeof(dir), "%s/snmp", sp->ops->state_dir(sp->d));
	if (mkdir(dir, 0700) && errno != EEXIST)
		sp->ops->log(EVBD_PL_WARN, "snmp: cannot create %s: %s", dir, strerror(errno));
	agent_settings(sock, dir);
	if (init_agent("evbd")) {
		sp->ops->log(EVBD_PL_ERR, "snmp: net-snmp's agent library did not start");
		return -EIO;
	}
	/* after init_agent, which resets them */
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, ping);
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_TIMEOUT,
			   AGENTX_TIMEOUT_S * 1000000);
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_RETRIES, 0);
	oid root[EVBD_OID_MAX];
	const struct evbd_oid *r = sp->ops->mib_root;

	for (uint32_t i = 0; i < r->len; i++)
		root[i] = r->a[i];
	/* net-snmp keeps a copy of root */
	sp->reg =
	    netsnmp_create_handler_registration("evbd", handler, root, r->len, HANDLER_CAN_RWRITE);
	if (!sp->reg || netsnmp_register_handler(sp->reg) != MIB_REGISTERED_OK) {
		sp->ops->log(EVBD_PL_ERR, "snmp: cannot register the EVB MIB with net-snmp");
		return -EIO;
	}
	init_snmp("evbd"); /* opens the AgentX session (or arms its retry) */
	return 0;
}

static int init(const struct evbd_plugin_ops *ops, void **state)
{
	const char *sock;
	int ping, rc;

	if (ops->abi != EVBD_PLUGIN_ABI || P)
		return -EINVAL;
	if (read_conf(ops, &sock, &ping))
		return -EINVAL;
	P = calloc(1, sizeof(*P));
	if (!P)
		return -ENOMEM;
	P->ops = ops;
	P->d = ops->d;
	P->timer = ops->timer_new(ops->d, on_timer, NULL);
	signal(SIGPIPE, SIG_IGN); /* evbd ignores it too; net-snmp does not */
	rc = P->timer ? start(P, sock, ping) : -ENOMEM;
	if (rc) {
		ops->timer_free(P->timer);
		free(P);
		P = NULL;
		return rc;
	}
	update(true);
	ops->log(EVBD_PL_NOTICE,
		 "snmp: AgentX subagent for the IEEE8021-EVB-MIB, master at %s (checked every "
		 "%d s)",
		 sock, ping);
	*state = P;
	return 0;
}

static void fini(void *state)
{
	(void)state;
	if (!P)
		return;
	fds_drop();
	P->ops->timer_free(P->timer);
	snmp_shutdown("evbd"); /* sends the AgentX Close */
	shutdown_agent();
	free(P);
	P = NULL;
}

const struct evbd_plugin evbd_plugin = {
    .name = NAME,
    .abi = EVBD_PLUGIN_ABI,
    .init = init,
    .fini = fini,
};
