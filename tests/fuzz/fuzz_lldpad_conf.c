/* SPDX-License-Identifier: ISC */
/*
 * fuzz_lldpad_conf.c - libFuzzer target for evbctl's reader of lldpad's
 * configuration (cli/lldpad_conf.c) and its translation to evbd.conf
 * (cli/from_lldpad.c).  Invariants: every node's parent comes before it,
 * names and scalar texts are NUL-terminated within their bounds, and the
 * translation either refuses or writes a [global] section.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/from_lldpad.h"
#include "cli/lldpad_conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lc_tree t;
	char err[256];
	if (lc_parse((const char *)data, size, &t, err, sizeof(err)) == 0) {
		for (size_t i = 0; i < t.count; i++) {
			if (t.n[i].parent >= (int)i ||
			    strnlen(t.n[i].name, LC_MAX_NAME) == LC_MAX_NAME)
				abort();
			if (t.n[i].type >= LC_STRING &&
			    (!t.n[i].text || strlen(t.n[i].text) >= LC_MAX_VALUE))
				abort();
		}
		char *conf = NULL, *why = NULL;
		size_t a, b;
		FILE *c = open_memstream(&conf, &a), *w = open_memstream(&why, &b);
		unsigned n = lldpad_to_evbd(&t, "fuzz", c, w);
		fclose(c);
		fclose(w);
		if ((n == 0) != (why[0] == 0) || !strstr(conf, "[global]\nplugins = lldpad-nl\n"))
			abort();
		free(conf);
		free(why);
	}
	lc_free(&t);
	return 0;
}
