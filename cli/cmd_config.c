/* SPDX-License-Identifier: ISC */
/*
 * cmd_config.c - `evbctl config from-lldpad [FILE]`: read lldpad's
 * configuration file (default /var/lib/lldpad/lldpad.conf, - for standard
 * input) and print the equivalent evbd.conf (from_lldpad.h); with anything
 * it cannot translate, print nothing but one sentence per refusal on
 * standard error and exit 1.  Needs no evbd.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "from_lldpad.h"
#include "lldpad_conf.h"

#define LLDPAD_CONF "/var/lib/lldpad/lldpad.conf"

/* The whole file (at most LC_MAX_INPUT + 1 octets, so that a larger one is
 * refused by the parser), or NULL with a sentence on stderr. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	char *buf = f ? malloc(LC_MAX_INPUT + 1) : NULL;
	if (!f || !buf) {
		fprintf(stderr, "evbctl config: cannot read %s: %s.\n", path, strerror(errno));
		if (f && f != stdin)
			fclose(f);
		return NULL;
	}
	*len = fread(buf, 1, LC_MAX_INPUT + 1, f);
	bool bad = ferror(f);
	if (f != stdin)
		fclose(f);
	if (bad) {
		fprintf(stderr, "evbctl config: cannot read %s: read error.\n", path);
		free(buf);
		return NULL;
	}
	return buf;
}

static int from_lldpad(struct writer *w, const char *path)
{
	size_t len = 0;
	char err[256], *text = NULL, *why = NULL;
	size_t tlen = 0, wlen = 0;
	struct lc_tree t;
	char *buf = slurp(path, &len);
	if (!buf)
		return EVBCTL_USAGE;
	int rc = EVBCTL_OK;
	if (lc_parse(buf, len, &t, err, sizeof(err))) {
		fprintf(stderr, "evbctl config: %s is not a configuration lldpad wrote: %s\n", path,
			err);
		rc = EVBCTL_USAGE;
	} else {
		FILE *conf = open_memstream(&text, &tlen), *wf = open_memstream(&why, &wlen);
		unsigned refused = conf && wf ? lldpad_to_evbd(&t, path, conf, wf) : 1;
		if (conf)
			fclose(conf);
		if (wf)
			fclose(wf);
		if (refused) {
			fprintf(stderr,
				"%sevbctl config: %u setting(s) cannot be translated; no evbd.conf "
				"was printed.\n",
				why ? why : "", refused);
			rc = EVBCTL_FAIL;
		} else if (writer_format(w) == WRITER_JSON) {
			writer_begin_object(w, NULL);
			writer_str(w, "source", path);
			writer_str(w, "evbd_conf", text);
			writer_end_object(w);
		} else {
			fputs(text, stdout);
		}
	}
	lc_free(&t);
	free(text);
	free(why);
	free(buf);
	return rc;
}

static int run(struct writer *w, int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		return EVBCTL_HELP;
	if (argc < 2 || strcmp(argv[1], "from-lldpad") || argc > 3) {
		fprintf(stderr,
			"evbctl config: usage: evbctl config from-lldpad [FILE]; see 'evbctl "
			"help config'.\n");
		return EVBCTL_USAGE;
	}
	return from_lldpad(w, argc == 3 ? argv[2] : LLDPAD_CONF);
}

const struct evbctl_cmd config_cmd = {
    .name = "config",
    .synopsis = "from-lldpad [FILE]",
    .summary = "print the evbd.conf equivalent to lldpad's EVB settings",
    .help = "  from-lldpad [FILE]  read lldpad's configuration FILE (default " LLDPAD_CONF ";\n"
	    "                      - for standard input) and print the evbd.conf(5) with the\n"
	    "                      same ports and EVB settings (lldptool -V evb), with\n"
	    "                      plugins = lldpad-nl for libvirt.  What evbd cannot do (the\n"
	    "                      draft EVB TLV or VDP, EVB toward another LLDP agent than\n"
	    "                      the nearest customer bridge, unknown keys) is refused with\n"
	    "                      a sentence each on standard error, exit status 1, and\n"
	    "                      nothing printed.  See docs/lldpad-migration.md.\n",
    .run = run,
};
