/* SPDX-License-Identifier: ISC */
/*
 * cmd_monitor.c - `evbctl monitor [dev IF]`: evbd's port and VSI events as
 * they happen (like `ip monitor`): one line per event in text, one JSON
 * object per line with -j, until interrupted or evbd goes away.  Also the
 * rendering of one event (event_render()), which `vsi show` uses for a
 * VSI's history.
 */
#include "commands.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "vdp/vdp_sm.h"
#include "vdp/vdp_tlv.h"

static const char monitor_help[] =
    "  [dev IF]   only the events of port IF\n"
    "\n"
    "Prints each event as it happens, one line each (one JSON object per line\n"
    "with -j): link up/down, interface absent, EVB negotiated/changed/lost, an\n"
    "LLDP neighbour appeared or was lost; a VSI request taken, a VSI's state\n"
    "changed (the bridge's answer, a refusal), a VSI timed out or ended.\n"
    "Runs until interrupted, or until evbd stops or drops the subscription\n"
    "(exit status 1 with the reason on stderr).  Any user may run it.\n";

/* Names of enum evb_event, as the JSON member "event" and the text says. */
static const char *const event_names[EVB_EV_MAX] = {
    [EVB_EV_LINK] = "link",
    [EVB_EV_EVB] = "evb",
    [EVB_EV_NEIGHBOR] = "neighbour",
    [EVB_EV_NEIGHBOR_LOST] = "neighbour-lost",
    [EVB_EV_VSI_REQUEST] = "vsi-request",
    [EVB_EV_VSI_STATE] = "vsi-state",
    [EVB_EV_VSI_TIMEOUT] = "vsi-timeout",
    [EVB_EV_VSI_REMOVED] = "vsi-removed",
};

static const char *machine_name(uint8_t role, uint8_t state)
{
	return role == EVB_ROLE_BRIDGE ? vdp_br_state_name(state) : vdp_st_state_name(state);
}

static const char *link_word(const struct ipc_event *e)
{
	return !e->present ? "absent" : e->link_up ? "up" : "down";
}

static void mac_str(const uint8_t *m, char *buf, size_t cap)
{
	snprintf(buf, cap, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* "2026-12-06T04:58:01.123456Z" (UTC) for JSON, local time for text. */
static void time_str(uint64_t us, bool utc, char *buf, size_t cap)
{
	time_t s = (time_t)(us / 1000000);
	struct tm tm;
	char base[32];
	if (utc)
		gmtime_r(&s, &tm);
	else
		localtime_r(&s, &tm);
	strftime(base, sizeof(base), utc ? "%Y-%m-%dT%H:%M:%S" : "%Y-%m-%d %H:%M:%S", &tm);
	if (utc)
		snprintf(buf, cap, "%s.%06uZ", base, (unsigned)(us % 1000000));
	else
		snprintf(buf, cap, "%s.%03u", base, (unsigned)(us % 1000000 / 1000));
}

static bool is_vsi(const struct ipc_event *e)
{
	return e->kind >= EVB_EV_VSI_REQUEST;
}

/* The event's line after the time, port and name. */
static void event_text(const struct ipc_event *e, char *buf, size_t cap)
{
	char id[64], mac[18];
	if (is_vsi(e)) {
		vdp_vsiid_str(e->key.fmt, e->key.id, id, sizeof(id));
		if (e->kind == EVB_EV_VSI_REQUEST)
			snprintf(buf, cap, "%s %s:%s type %u version %u (now %s)",
				 vdp_cmd_word(e->cmd), vdp_vsiid_fmt_name(e->key.fmt), id,
				 e->type_id, e->type_ver, vsi_result_name(e->result));
		else
			snprintf(buf, cap,
				 "%s:%s type %u version %u: %s -> %s (%s; %s -> %s) reason %u (%s)",
				 vdp_vsiid_fmt_name(e->key.fmt), id, e->type_id, e->type_ver,
				 vsi_result_name(e->old_result), vsi_result_name(e->result),
				 vdp_cmd_word(e->cmd), machine_name(e->role, e->old_state),
				 machine_name(e->role, e->state), e->reason,
				 vdp_reason_name(e->reason));
		return;
	}
	mac_str(e->nbr_mac, mac, sizeof(mac));
	switch (e->kind) {
	case EVB_EV_LINK:
		snprintf(buf, cap, "%s", link_word(e));
		break;
	case EVB_EV_EVB:
		if (e->oper.valid)
			snprintf(buf, cap, "negotiated r %u rte %u rwd %u rka %u rr %s gid %s",
				 e->oper.r, e->oper.rte, e->oper.rwd, e->oper.rka,
				 e->oper.rr ? "yes" : "no", e->oper.gid ? "yes" : "no");
		else
			snprintf(buf, cap, "not negotiated");
		break;
	case EVB_EV_NEIGHBOR:
		snprintf(buf, cap, "%s", mac);
		break;
	default:
		buf[0] = '\0';
	}
}

static void event_json(struct writer *w, const struct ipc_event *e)
{
	char t[40], id[64], mac[18];
	writer_begin_object(w, NULL);
	writer_uint(w, "seq", e->seq);
	time_str(e->time_us, true, t, sizeof(t));
	writer_str(w, "time", t);
	writer_uint(w, "time_us", e->time_us);
	writer_str(w, "event", event_names[e->kind]);
	writer_str(w, "dev", e->ifname);
	writer_str(w, "role", e->role == EVB_ROLE_BRIDGE ? "bridge" : "station");
	if (is_vsi(e)) {
		writer_enum(w, "vsiid_format", e->key.fmt, vdp_vsiid_fmt_name(e->key.fmt));
		writer_str(w, "vsiid", vdp_vsiid_str(e->key.fmt, e->key.id, id, sizeof(id)));
		writer_uint(w, "type_id", e->type_id);
		writer_uint(w, "type_version", e->type_ver);
		writer_str(w, "command", vdp_cmd_word(e->cmd));
		writer_str(w, "state", vsi_result_name(e->result));
		writer_str(w, "old_state", vsi_result_name(e->old_result));
		writer_enum(w, "reason", e->reason, vdp_reason_name(e->reason));
		writer_str(w, "machine_state", machine_name(e->role, e->state));
		writer_str(w, "old_machine_state", machine_name(e->role, e->old_state));
	} else {
		writer_str(w, "link", link_word(e));
		port_render_oper(w, &e->oper);
		if (e->has_nbr) {
			writer_begin_object(w, "neighbour");
			mac_str(e->nbr_mac, mac, sizeof(mac));
			writer_str(w, "mac", mac);
			writer_end_object(w);
		}
	}
	writer_end_object(w);
}

/* The event's text line: local time, port, event, what it says. */
static void event_line(const struct ipc_event *e, char *buf, size_t cap)
{
	char t[40], rest[256];
	time_str(e->time_us, false, t, sizeof(t));
	event_text(e, rest, sizeof(rest));
	snprintf(buf, cap, "%s %s %s%s%s", t, e->ifname, event_names[e->kind], rest[0] ? " " : "",
		 rest);
}

void event_render(struct writer *w, const char *key, const struct ipc_event *e)
{
	char line[400];
	if (writer_format(w) == WRITER_JSON) {
		event_json(w, e);
		return;
	}
	event_line(e, line, sizeof(line));
	writer_str(w, key, line);
}

/* ---------------- the command ---------------- */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct mon {
	bool json;
	uint32_t seq;
	bool subscribed;
	int err; /* evbd's errno: refused or dropped */
	char msg[EVB_ERRMSG_MAX];
	bool bad;
};

static void print_event(const struct mon *m, const struct ipc_event *e)
{
	if (!m->json) {
		char line[400];
		event_line(e, line, sizeof(line));
		puts(line);
		return;
	}
	struct writer *w = writer_new(WRITER_JSON, stdout);
	if (!w)
		return;
	writer_set_compact(w);
	event_render(w, NULL, e);
	writer_finish(w);
	writer_free(w);
}

static void mon_msg(const struct nlmsghdr *nlh, void *data)
{
	struct mon *m = data;
	static struct ipc_attrs a;
	if (nlh->nlmsg_seq != m->seq)
		return;
	if (ipc_parse_answer(nlh, &a)) {
		m->bad = true;
		return;
	}
	if (nlh->nlmsg_type == EVB_MSG_RESULT) {
		const char *msg;
		int err = ipc_get_result(&a, &msg);
		if (err < 0) {
			m->bad = true;
		} else if (err) {
			m->err = err;
			snprintf(m->msg, sizeof(m->msg), "%s", *msg ? msg : strerror(err));
		} else {
			m->subscribed = true;
		}
		return;
	}
	struct ipc_event e;
	if (nlh->nlmsg_type != EVB_MSG_EVENT)
		return;
	if (ipc_get_event(&a, &e, NULL, 0)) {
		m->bad = true;
		return;
	}
	print_event(m, &e);
}

static int monitor_parse(int argc, char **argv, char *dev)
{
	dev[0] = '\0';
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help") ||
		    !strcmp(argv[i], "help"))
			return EVBCTL_HELP;
		if (strcmp(argv[i], "dev") || dev[0] || i + 1 >= argc || !argv[i + 1][0] ||
		    strlen(argv[i + 1]) >= IF_NAMESIZE) {
			fprintf(stderr,
				"evbctl monitor: it takes only 'dev IF' (an interface name of at "
				"most 15 characters, once), got '%s'.\n",
				argv[i]);
			return EVBCTL_USAGE;
		}
		snprintf(dev, IF_NAMESIZE, "%s", argv[++i]);
	}
	return 0;
}

static int subscribe(struct ipc_client *c, struct mon *m, const char *dev)
{
	static uint8_t buf[EVBD_IPC_MAX_MSG];
	struct ipc_msg msg;
	ipc_req(&msg, buf, EVB_MSG_MONITOR, 0, 0);
	if (dev[0])
		ipc_put_str(&msg, EVB_A_IFNAME, dev);
	int64_t seq = ipc_client_send(c, msg.nlh);
	if (seq < 0)
		return (int)seq;
	m->seq = (uint32_t)seq;
	while (!m->subscribed && !m->err && !m->bad) {
		int err = ipc_client_recv(c, IPC_TIMEOUT_MS, mon_msg, m);
		if (err)
			return err;
	}
	return 0;
}

static int run_monitor(struct writer *w, int argc, char **argv)
{
	char dev[IF_NAMESIZE], err[512];
	int rc = monitor_parse(argc, argv, dev);
	if (rc)
		return rc;
	struct ipc_client *c;
	if (ipc_client_open(&c, err, sizeof(err))) {
		fprintf(stderr, "evbctl monitor: %s\n", err);
		return EVBCTL_FAIL;
	}
	static struct mon m;
	m = (struct mon){.json = writer_format(w) == WRITER_JSON};
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	int e = subscribe(c, &m, dev);
	while (!e && !m.err && !m.bad && !stop) {
		e = ipc_client_recv(c, 1000, mon_msg, &m);
		if (e == -ETIMEDOUT)
			e = 0;
	}
	rc = EVBCTL_OK;
	if (e && !(stop && e == -EINTR)) {
		fprintf(stderr, "evbctl monitor: %s\n", ipc_client_error(c));
		rc = EVBCTL_FAIL;
	} else if (m.err) {
		fprintf(stderr, "evbctl monitor: %s\n", m.msg);
		rc = EVBCTL_FAIL;
	} else if (m.bad) {
		fprintf(stderr, "evbctl monitor: evbd sent a malformed event (is evbd older than "
				"evbctl?)\n");
		rc = EVBCTL_FAIL;
	}
	ipc_client_close(c);
	return rc;
}

const struct evbctl_cmd monitor_cmd = {
    .name = "monitor",
    .synopsis = "[dev IF]",
    .summary = "print evbd's port and VSI events as they happen",
    .help = monitor_help,
    .run = run_monitor,
};
