/* SPDX-License-Identifier: ISC */
/*
 * cmd_stats.c - `evbctl stats`: evbd's own state through the writer: its
 * version, uptime and number of ports, what its control socket refused,
 * dropped or holds (the counters of evbd/ipc_state.h's struct ipc_stats),
 * and its store: the durable generation, changes not yet written, whether
 * writes fail and why, answers that could not be made durable.  Text shows
 * each value under a short label, JSON under the member's name.
 */
#include "commands.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char stats_help[] =
    "  Shows evbd's version, process id, uptime and number of ports, its\n"
    "  monitor subscribers (now, dropped) and events journaled; the control socket's\n"
    "  counters since evbd started (requests answered, refused, refused or\n"
    "  dropped over the memory budget, clients cut off because they stopped\n"
    "  reading, answers lost, octets held for clients); and the state\n"
    "  database: the last durable generation, changes not yet written, whether\n"
    "  writes are failing and why, and OK answers that became errors because\n"
    "  their change could not be written.  Any user may run it.\n";

/* A value under its label in text, its name in JSON. */
static const char *key(const struct writer *w, const char *name, const char *label)
{
	return writer_format(w) == WRITER_TEXT ? label : name;
}

static void put_uint(struct writer *w, const char *name, const char *label, uint64_t v)
{
	writer_uint(w, key(w, name, label), v);
}

static void render_uptime(struct writer *w, uint64_t us)
{
	uint64_t s = us / 1000000;
	if (writer_format(w) == WRITER_JSON) {
		writer_uint(w, "uptime_s", s);
		return;
	}
	if (s >= 86400)
		writer_fmt(w, "uptime", "%llud %lluh %llum %llus", (unsigned long long)(s / 86400),
			   (unsigned long long)(s / 3600 % 24), (unsigned long long)(s / 60 % 60),
			   (unsigned long long)(s % 60));
	else
		writer_fmt(w, "uptime", "%lluh %llum %llus", (unsigned long long)(s / 3600),
			   (unsigned long long)(s / 60 % 60), (unsigned long long)(s % 60));
}

static void render_socket(struct writer *w, const struct ipc_daemon *d)
{
	const struct ipc_u32_nest *n = &ipc_sock_nest;
	writer_begin_object(w, key(w, "control_socket", "control socket"));
	for (size_t i = 0; i < n->n; i++)
		put_uint(w, n->f[i].name, n->f[i].label ? n->f[i].label : n->f[i].name,
			 ipc_u32_field_get(&d->sock, &n->f[i]));
	put_uint(w, "held", "octets held for clients now", d->held);
	put_uint(w, "held_peak", "octets held for clients at most", d->held_peak);
	writer_end_object(w);
}

static void render_store(struct writer *w, const struct ipc_daemon *d)
{
	writer_begin_object(w, "store");
	writer_bool(w, key(w, "persistent", "state database"), d->persistent);
	put_uint(w, "synced_gen", "durable generation", d->synced_gen);
	put_uint(w, "pending", "changes not yet written", d->pending);
	writer_bool(w, key(w, "failing", "writes failing"), d->store_why[0] != '\0');
	if (d->store_why[0])
		writer_str(w, "why", d->store_why);
	put_uint(w, "not_durable", "answers not durable", d->not_durable);
	writer_end_object(w);
}

static void render_stats(struct writer *w, const struct ipc_daemon *d)
{
	writer_begin_object(w, "evbd");
	writer_str(w, "version", d->version);
	if (d->pid)
		writer_uint(w, "pid", d->pid);
	render_uptime(w, d->uptime_us);
	writer_uint(w, "ports", d->ports);
	put_uint(w, "subscribers", "monitor subscribers now", d->subscribers);
	put_uint(w, "subscribers_dropped", "monitor subscribers dropped", d->subs_dropped);
	put_uint(w, "events", "events journaled", d->events);
	writer_end_object(w);
	render_socket(w, d);
	render_store(w, d);
}

struct stats_answer {
	struct ipc_daemon d;
	bool got, bad;
};

static void on_msg(const struct nlmsghdr *nlh, void *data)
{
	struct stats_answer *sa = data;
	struct ipc_attrs a;
	if (nlh->nlmsg_type != EVB_MSG_RESULT)
		return;
	if (ipc_parse_answer(nlh, &a)) {
		sa->bad = true;
		return;
	}
	if (!a.tb[EVB_A_STATS])
		return; /* an error: ipc_client_call() returns it */
	sa->got = true;
	sa->bad = ipc_get_daemon(a.tb[EVB_A_STATS], &sa->d, NULL, 0) != 0;
}

int stats_fetch(struct ipc_daemon *d, int timeout_ms, char *err, size_t cap)
{
	static uint8_t buf[EVBD_IPC_MAX_MSG];
	static struct stats_answer sa;
	struct ipc_client *c;
	struct ipc_msg m;
	const char *msg;
	ipc_req(&m, buf, EVB_MSG_STATS_GET, 0, 0);
	if (ipc_client_open(&c, err, cap))
		return -1;
	memset(&sa, 0, sizeof(sa));
	int rc = ipc_client_call(c, m.nlh, timeout_ms, on_msg, &sa, &msg);
	if (rc < 0)
		snprintf(err, cap, "%s", ipc_client_error(c));
	else if (rc > 0)
		snprintf(err, cap, "%s", *msg ? msg : strerror(rc));
	else if (sa.bad || !sa.got)
		snprintf(err, cap, "evbd sent a malformed answer (is evbd older than evbctl?)");
	ipc_client_close(c);
	if (rc || sa.bad || !sa.got)
		return -1;
	*d = sa.d;
	return 0;
}

static int run_stats(struct writer *w, int argc, char **argv)
{
	static struct ipc_daemon d;
	char err[1024];
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		return EVBCTL_HELP;
	if (argc > 1) {
		fprintf(stderr, "evbctl stats: it takes no arguments, got '%s'.\n", argv[1]);
		return EVBCTL_USAGE;
	}
	if (stats_fetch(&d, IPC_TIMEOUT_MS, err, sizeof(err))) {
		fprintf(stderr, "evbctl stats: %s\n", err);
		return EVBCTL_FAIL;
	}
	render_stats(w, &d);
	return EVBCTL_OK;
}

void stats_uptime_str(uint64_t us, char *buf, size_t cap)
{
	uint64_t s = us / 1000000;
	if (s >= 86400)
		snprintf(buf, cap, "%llud%lluh", (unsigned long long)(s / 86400),
			 (unsigned long long)(s / 3600 % 24));
	else if (s >= 3600)
		snprintf(buf, cap, "%lluh%llum", (unsigned long long)(s / 3600),
			 (unsigned long long)(s / 60 % 60));
	else if (s >= 60)
		snprintf(buf, cap, "%llum%llus", (unsigned long long)(s / 60),
			 (unsigned long long)(s % 60));
	else
		snprintf(buf, cap, "%llus", (unsigned long long)s);
}

const struct evbctl_cmd stats_cmd = {
    .name = "stats",
    .synopsis = "",
    .summary = "show evbd's uptime, control socket counters and store state",
    .help = stats_help,
    .run = run_stats,
};
