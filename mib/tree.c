/* SPDX-License-Identifier: ISC */
/*
 * tree.c - get, get-next and set over a tree of computed objects (see
 * tree.h), and names for OIDs in both directions.
 */
#include "mib/tree.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX_MAX 32 /* sub-identifiers of an object's OID (column or scalar) */

struct mib_obj {
	const struct mib_group *g;
	const struct mib_col *c;
	uint32_t len;
	uint32_t oid[PREFIX_MAX];
};

static int obj_cmp(const void *a, const void *b)
{
	const struct mib_obj *x = a, *y = b;

	return mib_oid_cmp(x->oid, x->len, y->oid, y->len);
}

int mib_tree_init(struct mib_tree *t, const uint32_t *root, uint32_t rootlen,
		  const struct mib_group *groups, unsigned ngroups, const struct mib_node *nodes,
		  unsigned nnodes, void *src)
{
	unsigned n = 0;

	*t = (struct mib_tree){.root = root,
			       .rootlen = rootlen,
			       .groups = groups,
			       .ngroups = ngroups,
			       .nodes = nodes,
			       .nnodes = nnodes,
			       .src = src};
	for (unsigned i = 0; i < ngroups; i++)
		n += groups[i].ncols;
	t->objs = calloc(n ? n : 1, sizeof(*t->objs));
	if (!t->objs)
		return -ENOMEM;
	for (unsigned i = 0; i < ngroups; i++) {
		const struct mib_group *g = &groups[i];

		for (unsigned j = 0; j < g->ncols; j++) {
			struct mib_obj *o = &t->objs[t->nobjs++];

			o->g = g;
			o->c = &g->cols[j];
			o->len = g->oidlen + 1;
			memcpy(o->oid, g->oid, g->oidlen * sizeof(*o->oid));
			o->oid[g->oidlen] = g->cols[j].sub;
		}
	}
	qsort(t->objs, t->nobjs, sizeof(*t->objs), obj_cmp);
	return 0;
}

void mib_tree_free(struct mib_tree *t)
{
	free(t->objs);
	t->objs = NULL;
	t->nobjs = 0;
}

/* The object whose instances o names (o longer than its OID), or NULL. */
static const struct mib_obj *obj_of(const struct mib_tree *t, const struct mib_oid *o)
{
	for (unsigned i = 0; i < t->nobjs; i++) {
		const struct mib_obj *ob = &t->objs[i];

		if (o->len > ob->len && mib_oid_has_prefix(o, ob->oid, ob->len))
			return ob;
	}
	return NULL;
}

const struct mib_col *mib_find_col(const struct mib_tree *t, const struct mib_oid *o, size_t *index)
{
	const struct mib_obj *ob = obj_of(t, o);

	if (!ob)
		return NULL;
	if (index)
		*index = ob->len;
	return ob->c;
}

/* Exact row of instance o of object ob into rowbuf: true when found. */
static bool row_exact(const struct mib_tree *t, const struct mib_obj *ob, const struct mib_oid *o,
		      void *rowbuf)
{
	struct mib_oid found = {.len = ob->len};

	memcpy(found.a, ob->oid, ob->len * sizeof(*ob->oid));
	if (!ob->g->row(t->src, ob->g->arg, o->a + ob->len, o->len - ob->len, false, rowbuf,
			&found))
		return false;
	return !mib_oid_cmp(found.a, found.len, o->a, o->len);
}

int mib_get(const struct mib_tree *t, const struct mib_oid *o, struct mib_value *v)
{
	_Alignas(max_align_t) unsigned char row[MIB_ROW_MAX];
	const struct mib_obj *ob = obj_of(t, o);

	if (!ob || ob->c->access == MIB_NA)
		return MIB_NO_SUCH_OBJECT;
	if (!row_exact(t, ob, o, row))
		return MIB_NO_SUCH_INSTANCE;
	memset(v, 0, sizeof(*v));
	v->type = ob->c->type;
	if (ob->c->get(t->src, ob->c, row, v))
		return MIB_NO_SUCH_INSTANCE;
	return MIB_OK;
}

/* The first instance of ob after index idx (len sub-ids) with a value. */
static bool obj_next(const struct mib_tree *t, const struct mib_obj *ob, const uint32_t *idx,
		     size_t len, struct mib_oid *next, struct mib_value *v)
{
	_Alignas(max_align_t) unsigned char row[MIB_ROW_MAX];
	struct mib_oid at;

	for (;;) {
		next->len = ob->len;
		memcpy(next->a, ob->oid, ob->len * sizeof(*ob->oid));
		if (!ob->g->row(t->src, ob->g->arg, idx, len, true, row, next))
			return false;
		/* the source must move forward; a row that does not is a bug */
		if (mib_oid_cmp(next->a + ob->len, next->len - ob->len, idx, len) <= 0)
			return false;
		memset(v, 0, sizeof(*v));
		v->type = ob->c->type;
		if (!ob->c->get(t->src, ob->c, row, v))
			return true;
		at = *next; /* no value in this row: go on after it */
		idx = at.a + ob->len;
		len = at.len - ob->len;
	}
}

int mib_getnext(const struct mib_tree *t, const struct mib_oid *o, struct mib_oid *next,
		struct mib_value *v)
{
	struct mib_oid q = *o; /* o and next may alias */

	for (unsigned i = 0; i < t->nobjs; i++) {
		const struct mib_obj *ob = &t->objs[i];
		const uint32_t *idx = NULL;
		size_t len = 0;

		if (ob->c->access == MIB_NA)
			continue;
		if (mib_oid_has_prefix(&q, ob->oid, ob->len)) {
			idx = q.a + ob->len;
			len = q.len - ob->len;
		} else if (mib_oid_cmp(q.a, q.len, ob->oid, ob->len) > 0) {
			continue; /* q lies after this object's instances */
		}
		if (obj_next(t, ob, idx, len, next, v))
			return MIB_OK;
	}
	return MIB_END_OF_VIEW;
}

static int check_value(const struct mib_col *c, const struct mib_value *v, char *err, size_t errlen)
{
	if (v->type != c->type) {
		snprintf(err, errlen, "%s takes a value of type %s, not %s.", c->name,
			 mib_type_name(c->type), mib_type_name(v->type));
		return MIB_ERR_WRONG_TYPE;
	}
	if (c->type != MIB_INTEGER)
		return MIB_OK;
	if (c->enums ? !mib_enum_name(c, v->i) : (v->i < c->min || v->i > c->max)) {
		if (c->enums)
			snprintf(err, errlen, "%d is not one of the values %s allows.", v->i,
				 c->name);
		else
			snprintf(err, errlen, "%d is outside the range %d..%d of %s.", v->i, c->min,
				 c->max, c->name);
		return MIB_ERR_WRONG_VALUE;
	}
	return MIB_OK;
}

int mib_set(const struct mib_tree *t, const struct mib_oid *o, const struct mib_value *v,
	    bool commit, char *err, size_t errlen)
{
	_Alignas(max_align_t) unsigned char row[MIB_ROW_MAX];
	const struct mib_obj *ob = obj_of(t, o);
	int r;

	if (errlen)
		err[0] = 0;
	if (!ob || ob->c->access != MIB_RW || !ob->c->set) {
		snprintf(err, errlen, "%s is not writable.", ob ? ob->c->name : "this object");
		return MIB_ERR_NOT_WRITABLE;
	}
	r = check_value(ob->c, v, err, errlen);
	if (r)
		return r;
	if (!row_exact(t, ob, o, row)) {
		snprintf(err, errlen, "%s has no such instance, and rows cannot be created.",
			 ob->c->name);
		return MIB_ERR_NO_CREATION;
	}
	return ob->c->set(t->src, ob->c, row, v, commit, err, errlen);
}

const char *mib_enum_name(const struct mib_col *c, int32_t v)
{
	for (const struct mib_enum *e = c->enums; e && e->name; e++) {
		if (e->value == v)
			return e->name;
	}
	return NULL;
}

/* ---------------- names ---------------- */

struct named {
	const char *name;
	const uint32_t *oid;
	uint32_t len;
};

/* Visit every named OID: nodes, tables, entries, columns.  Stops when
 * visit returns true. */
static bool each_name(const struct mib_tree *t, bool (*visit)(void *arg, const struct named *n),
		      void *arg)
{
	for (unsigned i = 0; i < t->nnodes; i++) {
		struct named n = {t->nodes[i].name, t->nodes[i].oid, t->nodes[i].oidlen};

		if (visit(arg, &n))
			return true;
	}
	for (unsigned i = 0; i < t->ngroups; i++) {
		const struct mib_group *g = &t->groups[i];
		struct named tn = {g->name, g->oid, g->entry ? g->oidlen - 1 : g->oidlen};
		struct named en = {g->entry, g->oid, g->oidlen};

		if (visit(arg, &tn) || (g->entry && visit(arg, &en)))
			return true;
	}
	for (unsigned i = 0; i < t->nobjs; i++) {
		struct named n = {t->objs[i].c->name, t->objs[i].oid, t->objs[i].len};

		if (visit(arg, &n))
			return true;
	}
	return false;
}

struct longest {
	const struct mib_oid *o;
	const struct named *best;
	struct named keep;
};

static bool visit_longest(void *arg, const struct named *n)
{
	struct longest *l = arg;

	if (mib_oid_has_prefix(l->o, n->oid, n->len) && (!l->best || n->len > l->keep.len)) {
		l->keep = *n;
		l->best = &l->keep;
	}
	return false;
}

size_t mib_oid_name(const struct mib_tree *t, const struct mib_oid *o, char *buf, size_t cap)
{
	struct longest l = {.o = o};
	int n;

	if (cap)
		buf[0] = 0;
	each_name(t, visit_longest, &l);
	if (!l.best)
		return mib_oid_format(o->a, o->len, false, buf, cap);
	n = snprintf(buf, cap, "%s", l.best->name);
	if (n < 0)
		return 0;
	return mib_oid_format(o->a + l.best->len, o->len - l.best->len, true, buf, cap);
}

struct by_name {
	const char *name;
	size_t len;
	struct named found;
	bool ok;
};

static bool visit_name(void *arg, const struct named *n)
{
	struct by_name *b = arg;

	if (strlen(n->name) != b->len || memcmp(n->name, b->name, b->len))
		return false;
	b->found = *n;
	b->ok = true;
	return true;
}

int mib_name_parse(const struct mib_tree *t, const char *s, struct mib_oid *o)
{
	struct by_name b = {.name = s};
	const char *dot;
	struct mib_oid rest = {0};

	if ((*s >= '0' && *s <= '9') || *s == '.')
		return mib_oid_parse(s, o);
	dot = strchr(s, '.');
	b.len = dot ? (size_t)(dot - s) : strlen(s);
	if (!each_name(t, visit_name, &b))
		return -ENOENT;
	if (dot && mib_oid_parse(dot, &rest))
		return -EINVAL;
	o->len = 0;
	if (mib_oid_append(o, b.found.oid, b.found.len) || mib_oid_append(o, rest.a, rest.len))
		return -EINVAL;
	return 0;
}

/* ---------------- index encoding ---------------- */

int mib_idx_put_octets(struct mib_oid *o, const uint8_t *s, size_t n)
{
	if (n > MIB_OID_MAX - o->len)
		return -ENOSPC;
	for (size_t i = 0; i < n; i++)
		o->a[o->len++] = s[i];
	return 0;
}

int mib_idx_put_u32(struct mib_oid *o, uint32_t v)
{
	return mib_oid_append(o, &v, 1);
}
