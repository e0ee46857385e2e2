/* SPDX-License-Identifier: ISC */
/*
 * evbctl.h - the command interface of evbctl: what a command module exports
 * (one struct evbctl_cmd, listed in the table in evbctl.c) and the exit
 * statuses every command uses.
 *
 * A command gets the writer chosen by the global options (-j) and its own
 * arguments (argv[0] is the command name); it reports results only through
 * the writer, diagnostics on stderr as "evbctl NAME: ..." (a usage error
 * names the fix or points to 'evbctl help NAME'), and returns one of the
 * statuses below.
 */
#ifndef EVBCTL_EVBCTL_H
#define EVBCTL_EVBCTL_H

#include <stdbool.h>

#include "writer.h"

enum evbctl_status {
	EVBCTL_OK = 0,	  /* done */
	EVBCTL_FAIL = 1,  /* done, but something failed (e.g. a malformed frame) */
	EVBCTL_USAGE = 2, /* bad arguments or unreadable input; nothing or not all done */
	EVBCTL_HELP = -1, /* the command was asked for help (-h): print its help, exit 0 */
};

/* -s / --stats: commands that have counters show all of them (port show). */
extern bool evbctl_show_stats;

struct evbctl_cmd {
	const char *name;
	const char *synopsis; /* arguments after the name, one line */
	const char *summary;  /* what it does, one line */
	const char *help;     /* options and details, several lines; may be NULL */
	int (*run)(struct writer *w, int argc, char **argv);
	/* With -j, a command that fails prints nothing on standard output;
	 * these print their document anyway (decode: a malformed frame is a
	 * result; batch: its summary lists the failed lines). */
	bool output_on_failure;
};

#endif
