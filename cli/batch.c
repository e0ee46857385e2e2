/* SPDX-License-Identifier: ISC */
/*
 * batch.c - `evbctl batch FILE|-` (evbctl -b): one evbctl command per line
 * (`vsi ...` or `port ...`, without "evbctl"), '#' comments and blank lines
 * skipped, all over one control socket.  VSI commands are pipelined: several
 * requests share a datagram and up to BATCH_WINDOW wait for their answers at
 * once, matched by sequence number; listings (`vsi list`, `port show`) run in
 * order after the commands before them have been answered.  A request's
 * slot is its sequence number modulo BATCH_WINDOW (sequence numbers are
 * consecutive), so matching an answer costs O(1), and the earliest deadline
 * is kept as a bound rather than searched for on every receive.  Each failure is
 * reported on stderr as "line L: ..."; a summary "N commands, N ok, N
 * failed" closes the output.
 */
#include "commands.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>

#define BATCH_WINDOW	    4096  /* requests awaiting an answer at once */
#define BATCH_JSON_FAILURES 10000 /* failures listed in the JSON summary */

static const char batch_help[] =
    "  FILE   commands, one per line, as after 'evbctl' (vsi ..., port show ...);\n"
    "         '-' reads standard input; '#' starts a comment\n"
    "\n"
    "VSI commands are sent pipelined over one socket; a line with `wait` is\n"
    "confirmed when the bridge has answered.  Failures are reported as\n"
    "'line L: ...' on stderr.  Exit status: 0 all commands succeeded, 1 some\n"
    "failed, 2 the file cannot be read.\n";

struct slot {
	bool used;
	uint32_t seq;
	unsigned line;
	bool wait;
	int64_t deadline; /* ms */
};

struct failure {
	unsigned line;
	char *msg;
};

struct batch {
	struct writer *w;
	struct ipc_client *c;
	bool json;
	unsigned commands, ok, failed;
	struct slot slots[BATCH_WINDOW];
	unsigned outstanding;
	int64_t first_deadline; /* <= every outstanding deadline; INT64_MAX: none */
	struct failure *fails;
	size_t nfails;
	bool fatal; /* the channel broke: remaining lines fail */
	char fatal_msg[512];
	struct vsi_args args;
	struct ipc_attrs ans; /* the answer being read */
	uint8_t req[EVBD_IPC_MAX_MSG];
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void fail_line(struct batch *b, unsigned line, const char *msg)
{
	b->failed++;
	fprintf(stderr, "evbctl batch: line %u: %s\n", line, msg);
	if (!b->json || b->nfails >= BATCH_JSON_FAILURES)
		return;
	struct failure *f = realloc(b->fails, (b->nfails + 1) * sizeof(*f));
	if (!f)
		return;
	b->fails = f;
	f[b->nfails].line = line;
	f[b->nfails].msg = strdup(msg);
	if (f[b->nfails].msg)
		b->nfails++;
}

static void set_fatal(struct batch *b, const char *msg)
{
	if (!b->fatal)
		snprintf(b->fatal_msg, sizeof(b->fatal_msg), "%s", msg);
	b->fatal = true;
}

static struct slot *find_slot(struct batch *b, uint32_t seq)
{
	struct slot *s = &b->slots[seq % BATCH_WINDOW];
	return s->used && s->seq == seq ? s : NULL;
}

static void slot_done(struct batch *b, struct slot *s)
{
	s->used = false;
	b->outstanding--;
}

static void batch_msg(const struct nlmsghdr *nlh, void *data)
{
	struct batch *b = data;
	struct slot *s = find_slot(b, nlh->nlmsg_seq);
	if (!s || nlh->nlmsg_type != EVB_MSG_RESULT)
		return;
	struct ipc_attrs *a = &b->ans;
	const char *msg = "";
	int err = !ipc_parse_answer(nlh, a) ? ipc_get_result(a, &msg) : -EBADMSG;
	if (err == 0)
		b->ok++;
	else if (err < 0)
		fail_line(b, s->line, "evbd sent a malformed answer");
	else
		fail_line(b, s->line, *msg ? msg : strerror(err));
	slot_done(b, s);
}

/* Fail every outstanding request whose time is up (or all, when `all`). */
static void expire(struct batch *b, bool all, const char *why)
{
	int64_t now = now_ms();
	b->first_deadline = INT64_MAX;
	for (unsigned i = 0; i < BATCH_WINDOW; i++) {
		struct slot *s = &b->slots[i];
		if (!s->used)
			continue;
		if (!all && s->deadline > now) {
			if (s->deadline < b->first_deadline)
				b->first_deadline = s->deadline;
			continue;
		}
		char msg[600];
		if (why)
			snprintf(msg, sizeof(msg), "%s", why);
		else
			snprintf(msg, sizeof(msg), "evbd did not answer %s",
				 s->wait ? "before the wait limit" : "within 5 s");
		fail_line(b, s->line, msg);
		slot_done(b, s);
	}
}

/* Receive answers until fewer than `max` requests are outstanding and the
 * slot `need` (NULL: any) is free.  A timeout at first_deadline, which may
 * be early (its request was answered), only makes expire() find the true
 * one. */
static void drain(struct batch *b, unsigned max, const struct slot *need)
{
	int err = ipc_client_flush(b->c);
	if (err) {
		set_fatal(b, ipc_client_error(b->c));
		expire(b, true, b->fatal_msg);
		return;
	}
	while (b->outstanding && (b->outstanding >= max || (need && need->used))) {
		int64_t left = b->first_deadline - now_ms();
		err = ipc_client_recv(b->c, left > 0 ? (int)left : 0, batch_msg, b);
		if (err == -ETIMEDOUT) {
			expire(b, false, NULL);
		} else if (err) {
			set_fatal(b, ipc_client_error(b->c));
			expire(b, true, b->fatal_msg);
		}
	}
}

static void send_request(struct batch *b, unsigned line, const struct vsi_args *a)
{
	/* A full window is drained to half before more requests go out, so
	 * requests leave in bursts that share datagrams rather than one per
	 * answer. */
	struct slot *s = &b->slots[ipc_client_next_seq(b->c) % BATCH_WINDOW];
	if (b->outstanding >= BATCH_WINDOW)
		drain(b, BATCH_WINDOW / 2, s);
	else if (s->used) /* an old request holds this request's slot */
		drain(b, BATCH_WINDOW, s);
	if (b->fatal) {
		fail_line(b, line, b->fatal_msg);
		return;
	}
	int64_t seq = ipc_client_queue(b->c, vsi_build(a, b->req));
	if (seq < 0) {
		set_fatal(b, ipc_client_error(b->c));
		fail_line(b, line, b->fatal_msg);
		expire(b, true, b->fatal_msg);
		return;
	}
	s = &b->slots[(uint32_t)seq % BATCH_WINDOW];
	*s = (struct slot){.used = true,
			   .seq = (uint32_t)seq,
			   .line = line,
			   .wait = a->wait,
			   .deadline = now_ms() + vsi_timeout_ms(a)};
	if (s->deadline < b->first_deadline)
		b->first_deadline = s->deadline;
	b->outstanding++;
}

typedef int listing_fn(struct batch *b, void *arg);

/* A listing: after everything before it is answered, synchronously. */
static void run_listing(struct batch *b, unsigned line, listing_fn *rc_of, void *arg)
{
	drain(b, 1, NULL);
	if (b->fatal) {
		fail_line(b, line, b->fatal_msg);
		return;
	}
	if (rc_of(b, arg) == EVBCTL_OK)
		b->ok++;
	else
		fail_line(b, line, "the listing failed (see above)");
}

static int list_vsis(struct batch *b, void *arg)
{
	(void)arg;
	return vsi_exec(b->w, b->c, &b->args);
}

struct port_argv {
	int argc;
	char **argv;
};

static int show_ports(struct batch *b, void *arg)
{
	struct port_argv *pa = arg;
	return port_exec(b->w, b->c, pa->argc, pa->argv);
}

/* Split a line into words in place; '#' at the start of a word ends it. */
static int split(char *line, char ***words, size_t *cap)
{
	int n = 0;
	char *save = NULL;
	for (char *t = strtok_r(line, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
		if (t[0] == '#')
			break;
		if ((size_t)n + 1 >= *cap) {
			size_t ncap = *cap ? *cap * 2 : 64;
			char **nw = realloc(*words, ncap * sizeof(*nw));
			if (!nw)
				return -ENOMEM;
			*words = nw;
			*cap = ncap;
		}
		(*words)[n++] = t;
	}
	if (*words)
		(*words)[n] = NULL;
	return n;
}

static void one_line(struct batch *b, unsigned line, int n, char **words)
{
	char err[512];
	b->commands++;
	if (!strcmp(words[0], "vsi")) {
		int rc = vsi_parse(n - 1, words + 1, &b->args, err, sizeof(err));
		if (rc == EVBCTL_HELP)
			snprintf(err, sizeof(err), "help is not available in batch mode");
		if (rc) {
			fail_line(b, line, err);
			return;
		}
		if (b->args.sub == VSI_SUB_LIST)
			run_listing(b, line, list_vsis, NULL);
		else
			send_request(b, line, &b->args);
		return;
	}
	if (!strcmp(words[0], "port")) {
		struct port_argv pa = {.argc = n - 1, .argv = words + 1};
		run_listing(b, line, show_ports, &pa);
		return;
	}
	snprintf(err, sizeof(err), "unknown command '%s'; batch lines are 'vsi ...' or 'port ...'",
		 words[0]);
	fail_line(b, line, err);
}

static void summary(struct batch *b)
{
	if (!b->json) {
		writer_fmt(b->w, "summary", "%u commands, %u ok, %u failed", b->commands, b->ok,
			   b->failed);
		return;
	}
	writer_end_list(b->w); /* outputs */
	writer_uint(b->w, "commands", b->commands);
	writer_uint(b->w, "ok", b->ok);
	writer_uint(b->w, "failed", b->failed);
	writer_begin_list(b->w, "failures");
	for (size_t i = 0; i < b->nfails; i++) {
		writer_begin_object(b->w, NULL);
		writer_uint(b->w, "line", b->fails[i].line);
		writer_str(b->w, "error", b->fails[i].msg);
		writer_end_object(b->w);
	}
	writer_end_list(b->w);
	writer_end_object(b->w);
}

static int run_file(struct batch *b, FILE *in)
{
	char *line = NULL, **words = NULL;
	size_t lcap = 0, wcap = 0;
	unsigned no = 0;
	while (getline(&line, &lcap, in) >= 0) {
		no++;
		int n = split(line, &words, &wcap);
		if (n < 0) {
			fail_line(b, no, "out of memory");
			continue;
		}
		if (n > 0)
			one_line(b, no, n, words);
	}
	drain(b, 1, NULL);
	free(line);
	free(words);
	return ferror(in) ? -EIO : 0;
}

static int run_batch(struct writer *w, int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		return EVBCTL_HELP;
	if (argc != 2) {
		fprintf(stderr,
			"evbctl batch: needs one FILE of commands ('-' for standard input)\n");
		return EVBCTL_USAGE;
	}
	FILE *in = strcmp(argv[1], "-") ? fopen(argv[1], "r") : stdin;
	if (!in) {
		fprintf(stderr, "evbctl batch: cannot read '%s': %s\n", argv[1], strerror(errno));
		return EVBCTL_USAGE;
	}
	struct batch *b = calloc(1, sizeof(*b));
	char err[512];
	if (!b || ipc_client_open(&b->c, err, sizeof(err))) {
		fprintf(stderr, "evbctl batch: %s\n", b ? err : "out of memory");
		free(b);
		if (in != stdin)
			fclose(in);
		return EVBCTL_FAIL;
	}
	b->w = w;
	b->first_deadline = INT64_MAX;
	b->json = writer_format(w) == WRITER_JSON;
	if (b->json) {
		writer_begin_object(w, NULL);
		writer_begin_list(w, "outputs");
	}
	int rerr = run_file(b, in);
	if (rerr)
		fprintf(stderr, "evbctl batch: reading '%s' failed: %s\n", argv[1],
			strerror(-rerr));
	summary(b);
	int rc = rerr ? EVBCTL_USAGE : b->failed ? EVBCTL_FAIL : EVBCTL_OK;
	for (size_t i = 0; i < b->nfails; i++)
		free(b->fails[i].msg);
	free(b->fails);
	ipc_client_close(b->c);
	free(b);
	if (in != stdin)
		fclose(in);
	return rc;
}

const struct evbctl_cmd batch_cmd = {
    .name = "batch",
    .synopsis = "FILE|-",
    .summary = "run many vsi/port commands from a file over one socket (also -b FILE)",
    .help = batch_help,
    .run = run_batch,
    .output_on_failure = true,
};
