/* SPDX-License-Identifier: ISC */
/*
 * tree.h - a MIB as an OID tree computed on demand: get, get-next and set
 * over objects whose instances come from callbacks, never from a copy of
 * the state.  libc only; the EVB MIB (mib/evb_mib.h) is one such tree.
 *
 * The model: a "group" is a set of columns sharing one row source.  A
 * table's group is its entry (rows = the table's rows, instance = column OID
 * + index); scalars form a group whose only row has index 0.  Every column
 * is an object with an OID prefix; get-next walks the objects in OID order
 * and, in each, asks the row source for the first row whose index sorts
 * after the one asked for.  Objects of different groups may interleave (the
 * EVB MIB has a table between its scalars), which this handles.
 */
#ifndef MIB_TREE_H
#define MIB_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mib/oid.h"

#define MIB_ROW_MAX 256 /* octets of a row buffer (struct mib_group.rowsize) */

enum mib_access { MIB_NA = 0, MIB_RO, MIB_RW };

/* Named values of an enumeration or TruthValue column (for printing and
 * parsing), ending with {0, NULL}. */
struct mib_enum {
	int32_t value;
	const char *name;
};

struct mib_col {
	uint32_t sub;		      /* column number / scalar arc */
	const char *name;	      /* e.g. "ieee8021BridgeEvbVSIType" */
	uint8_t type;		      /* enum mib_type */
	uint8_t access;		      /* enum mib_access; MIB_NA columns are never answered */
	int32_t min, max;	      /* writable integers: the allowed range */
	const struct mib_enum *enums; /* NULL or named values */
	/* The value in row (a buffer filled by the group's row()).  0, or
	 * MIB_NO_SUCH_INSTANCE when this row has no value for the column. */
	int (*get)(void *src, const struct mib_col *c, const void *row, struct mib_value *v);
	/* Writable columns: check (commit false) or apply (commit true) a
	 * value already checked against type and range.  MIB_OK or an SNMP
	 * error, with a sentence in err. */
	int (*set)(void *src, const struct mib_col *c, const void *row, const struct mib_value *v,
		   bool commit, char *err, size_t errlen);
};

struct mib_group {
	const char *name;    /* table or scalar group name */
	const char *entry;   /* entry name (tables), NULL for scalars */
	const uint32_t *oid; /* the entry (tables) or scalar group, full OID */
	uint32_t oidlen;
	const struct mib_col *cols; /* in ascending sub order */
	unsigned ncols;
	size_t rowsize; /* <= MIB_ROW_MAX */
	int arg;	/* passed to row(): which rows, for sources serving several groups */
	/* Find a row: with next false the row whose index is exactly idx;
	 * with next true the first row whose index sorts after idx (idx may
	 * be any sequence, empty for the first row).  Fills row and its index
	 * (appended to *rowidx, which holds the column's OID on entry).
	 * Returns true when found. */
	bool (*row)(void *src, int arg, const uint32_t *idx, size_t len, bool next, void *row,
		    struct mib_oid *rowidx);
};

/* A named node without instances (module, subtree, table), for names. */
struct mib_node {
	const char *name;
	const uint32_t *oid;
	uint32_t oidlen;
};

struct mib_obj; /* one column, built by mib_tree_init */

struct mib_tree {
	const uint32_t *root; /* every object lies under it */
	uint32_t rootlen;
	const struct mib_group *groups;
	unsigned ngroups;
	const struct mib_node *nodes;
	unsigned nnodes;
	struct mib_obj *objs; /* every column of every group, in OID order */
	unsigned nobjs;
	void *src; /* the row sources' argument */
};

/* Index the groups' columns in OID order.  0 or -ENOMEM. */
int mib_tree_init(struct mib_tree *t, const uint32_t *root, uint32_t rootlen,
		  const struct mib_group *groups, unsigned ngroups, const struct mib_node *nodes,
		  unsigned nnodes, void *src);
void mib_tree_free(struct mib_tree *t);

/* Get the instance o.  MIB_OK with *v, or MIB_NO_SUCH_OBJECT /
 * MIB_NO_SUCH_INSTANCE. */
int mib_get(const struct mib_tree *t, const struct mib_oid *o, struct mib_value *v);
/* The first instance after o: MIB_OK with its OID in *next (o and next may
 * be the same object) and *v, or MIB_END_OF_VIEW. */
int mib_getnext(const struct mib_tree *t, const struct mib_oid *o, struct mib_oid *next,
		struct mib_value *v);
/* Set instance o to v.  commit false only checks (type, range, the
 * object's own rules); commit true checks and applies.  MIB_OK or an SNMP
 * error (MIB_ERR_*), with a sentence in err. */
int mib_set(const struct mib_tree *t, const struct mib_oid *o, const struct mib_value *v,
	    bool commit, char *err, size_t errlen);

/* The column (or NULL) an instance OID belongs to; *index gets the
 * position of its index within o. */
const struct mib_col *mib_find_col(const struct mib_tree *t, const struct mib_oid *o,
				   size_t *index);
/* Name an OID: "name.index" with the longest named prefix, or the numeric
 * OID when none is named.  Returns what snprintf would. */
size_t mib_oid_name(const struct mib_tree *t, const struct mib_oid *o, char *buf, size_t cap);
/* Resolve "name", "name.1.2" or a numeric OID.  0 or -ENOENT/-EINVAL. */
int mib_name_parse(const struct mib_tree *t, const char *s, struct mib_oid *o);
/* The name of v in the column's enumeration, or NULL. */
const char *mib_enum_name(const struct mib_col *c, int32_t v);

/* Index encoding helpers for row sources (RFC 2578 7.7): integers as one
 * sub-identifier, fixed-size strings as one per octet. */
int mib_idx_put_octets(struct mib_oid *o, const uint8_t *s, size_t n);
int mib_idx_put_u32(struct mib_oid *o, uint32_t v);

#endif
