/* SPDX-License-Identifier: ISC */
/*
 * lldpad_conf.h - a bounded reader of the libconfig syntax lldpad writes
 * its configuration in (/var/lib/lldpad/lldpad.conf): settings
 * `name = value;` or `name : value;`, groups `{ ... }`, lists `( ... )` and
 * arrays `[ ... ]`, strings (adjacent ones joined, \" \\ \n \t \r \f \xNN
 * escapes), integers (decimal, 0x hex, an L suffix), floats, booleans, and
 * #, // and C comments.  Pure: a buffer in, a tree of nodes out; every
 * limit below is checked and a refusal says which line and why.
 */
#ifndef EVBCTL_LLDPAD_CONF_H
#define EVBCTL_LLDPAD_CONF_H

#include <stdbool.h>
#include <stddef.h>

#define LC_MAX_INPUT (1u << 20) /* octets */
#define LC_MAX_NODES 8192
#define LC_MAX_DEPTH 16
#define LC_MAX_NAME  64	  /* octets of a setting's name, NUL included */
#define LC_MAX_VALUE 1024 /* octets of a scalar's text, NUL included */

enum lc_type { LC_GROUP, LC_LIST, LC_ARRAY, LC_STRING, LC_INT, LC_FLOAT, LC_BOOL };

struct lc_node {
	enum lc_type type;
	int parent;		/* index, -1 for the root's children */
	unsigned line;		/* where it starts */
	char name[LC_MAX_NAME]; /* "" for list and array elements */
	char *text; /* scalars: the value as text (strings unescaped; bools "true"/"false") */
};

struct lc_tree {
	struct lc_node *n;
	size_t count, cap;
};

/* Parse buf[0..len).  0, or -1 with a sentence in err ("line N: ...").  The
 * tree is freed with lc_free (also after a failure). */
int lc_parse(const char *buf, size_t len, struct lc_tree *t, char *err, size_t errlen);
void lc_free(struct lc_tree *t);

/* The child of parent (-1: top level) called name, or -1. */
int lc_child(const struct lc_tree *t, int parent, const char *name);

#endif
