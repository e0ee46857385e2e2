/* SPDX-License-Identifier: ISC */
/*
 * evbctl.c - evbctl's entry point: global options (-j/--json, -h/--help,
 * --version), the command table and dispatch.  A new command is a module
 * exporting a struct evbctl_cmd (see evbctl.h) plus one line in commands[].
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "decode.h"
#include "evbctl.h"
#include "writer.h"
#include "ipc/schema.h" /* EVBD_VERSION */

static int cmd_help(struct writer *w, int argc, char **argv);

static const struct evbctl_cmd help_cmd = {
    .name = "help",
    .synopsis = "[COMMAND]",
    .summary = "show the commands, or the options of one command",
    .run = cmd_help,
};

/* Every command; `vsi` and `port` join here as they land. */
static const struct evbctl_cmd *const commands[] = {
    &decode_cmd, &vsi_cmd,   &port_cmd,	 &batch_cmd,   &vsitype_cmd, &plugin_cmd,
    &mib_cmd,	 &stats_cmd, &fleet_cmd, &monitor_cmd, &help_cmd,    &config_cmd,
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct evbctl_cmd *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
}

static void usage(FILE *f)
{
	fputs("usage: evbctl [-j|--json] [-s|--stats] COMMAND [ARGS...]\n"
	      "       evbctl [-j|--json] -b FILE|-\n"
	      "       evbctl --version | -h|--help\n"
	      "\n"
	      "options:\n"
	      "  -j, --json     print results as JSON (one document on standard output)\n"
	      "  -s, --stats    with port show: every counter, and since when it counts\n"
	      "  -b, --batch F  run the commands in file F (- = standard input), one per line\n"
	      "  -h, --help     show this help\n"
	      "  --version      show the version\n"
	      "\n"
	      "commands:\n",
	      f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-8s %s\n", commands[i]->name, commands[i]->summary);
	fputs("\n'evbctl help COMMAND' shows the options of a command; see evbctl(8).\n", f);
}

static void command_help(FILE *f, const struct evbctl_cmd *c)
{
	fprintf(f, "usage: evbctl [-j] %s%s%s\n%s\n", c->name, c->synopsis[0] ? " " : "",
		c->synopsis, c->summary);
	if (c->help)
		fprintf(f, "\n%s", c->help);
}

static int cmd_help(struct writer *w, int argc, char **argv)
{
	(void)w;
	if (argc < 2) {
		usage(stdout);
		return EVBCTL_OK;
	}
	const struct evbctl_cmd *c = find_command(argv[1]);
	if (!c) {
		fprintf(stderr,
			"evbctl help: there is no command '%s'; 'evbctl help' lists them.\n",
			argv[1]);
		return EVBCTL_USAGE;
	}
	command_help(stdout, c);
	return EVBCTL_OK;
}

/* evbctl's version and, when one answers (within a second), the evbd it
 * talks to: "evbctl 0.9.0; evbd 0.9.0 (pid 42, up 3h2m) at netlink port id
 * 1163280964".  No evbd is not an error here. */
static int show_version(struct writer *w)
{
	static struct ipc_daemon d;
	char err[512], up[32];
	bool got = stats_fetch(&d, 1000, err, sizeof(err)) == 0;
	if (writer_format(w) == WRITER_TEXT) {
		printf("evbctl %s; ", EVBD_VERSION);
		if (!got) {
			printf("no evbd answers: %s\n", err);
			return EVBCTL_OK;
		}
		stats_uptime_str(d.uptime_us, up, sizeof(up));
		printf("evbd %s (pid %u, up %s) at netlink port id %u\n", d.version, d.pid, up,
		       EVBD_IPC_PORTID);
		return EVBCTL_OK;
	}
	writer_str(w, "program", "evbctl");
	writer_str(w, "version", EVBD_VERSION);
	if (got) {
		writer_begin_object(w, "evbd");
		writer_str(w, "version", d.version);
		writer_uint(w, "pid", d.pid);
		writer_uint(w, "uptime_s", d.uptime_us / 1000000);
		writer_uint(w, "portid", EVBD_IPC_PORTID);
		writer_end_object(w);
	}
	return EVBCTL_OK;
}

bool evbctl_show_stats;

struct globals {
	bool json;
	bool help;
	bool version;
	const char *batch; /* -b FILE */
	int next;	   /* index of the command name in argv */
};

/* Options before the command name.  0, or EVBCTL_USAGE on an unknown one. */
static int parse_globals(int argc, char **argv, struct globals *g)
{
	int i;
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
			g->json = true;
		} else if (!strcmp(a, "-s") || !strcmp(a, "--stats")) {
			evbctl_show_stats = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			g->help = true;
		} else if (!strcmp(a, "--version")) {
			g->version = true;
		} else if (!strcmp(a, "-b") || !strcmp(a, "--batch")) {
			if (i + 1 >= argc) {
				fputs("evbctl: -b needs a file of commands, or - for standard "
				      "input.\n",
				      stderr);
				return EVBCTL_USAGE;
			}
			g->batch = argv[++i];
		} else {
			fprintf(stderr,
				"evbctl: unknown option '%s'; 'evbctl --help' lists them.\n", a);
			return EVBCTL_USAGE;
		}
	}
	g->next = i;
	return 0;
}

/* Run the command (or --version) with a writer, then print what it wrote. */
static int run_with_writer(const struct globals *g, const struct evbctl_cmd *c, int argc,
			   char **argv)
{
	struct writer *w = writer_new(g->json ? WRITER_JSON : WRITER_TEXT, stdout);
	if (!w) {
		fputs("evbctl: out of memory\n", stderr);
		return EVBCTL_FAIL;
	}
	int rc = c ? c->run(w, argc, argv) : show_version(w);
	/* A failure prints nothing on stdout with -j: a script that ignores
	 * the exit status must not read "[]" as "no ports". */
	bool keep = rc == EVBCTL_OK || rc == EVBCTL_HELP || !g->json || (c && c->output_on_failure);
	int werr = keep ? writer_finish(w) : 0;
	writer_free(w);
	if (rc == EVBCTL_HELP) {
		command_help(stdout, c);
		return EVBCTL_OK;
	}
	if (werr) {
		fprintf(stderr, "evbctl: could not write the output: %s\n", strerror(-werr));
		return rc ? rc : EVBCTL_FAIL;
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct globals g = {0};
	if (parse_globals(argc, argv, &g))
		return EVBCTL_USAGE;
	if (g.help) {
		usage(stdout);
		return EVBCTL_OK;
	}
	if (g.version)
		return run_with_writer(&g, NULL, 0, NULL);
	if (g.batch) {
		char *bargv[] = {(char *)"batch", (char *)g.batch, NULL};
		return run_with_writer(&g, &batch_cmd, 2, bargv);
	}
	if (g.next >= argc) {
		usage(stderr);
		return EVBCTL_USAGE;
	}
	const struct evbctl_cmd *c = find_command(argv[g.next]);
	if (!c) {
		fprintf(stderr, "evbctl: there is no command '%s'; 'evbctl help' lists them.\n",
			argv[g.next]);
		return EVBCTL_USAGE;
	}
	return run_with_writer(&g, c, argc - g.next, argv + g.next);
}
