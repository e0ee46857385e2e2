/* SPDX-License-Identifier: ISC */
/*
 * vsi.c - the VSI object (filters, org TLVs, TLV view, filter matching) and
 * the per-port VSI table: a chained hash table keyed by (VSIID format,
 * VSIID) with power-of-two buckets, doubled when count exceeds the bucket
 * count and halved when it falls below a quarter of it (see vsi.h).
 */
#include "vsi.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define VSI_TABLE_MIN_BUCKETS 16u

/* FNV-1a over the 17 key octets, then a multiply-xorshift finalizer so the
 * low bits used for the bucket index depend on every octet. */
static uint32_t vsi_key_hash(const struct vdp_vsi_key *k)
{
	uint32_t h = 2166136261u;

	h = (h ^ k->fmt) * 16777619u;
	for (size_t i = 0; i < VDP_VSIID_LEN; i++)
		h = (h ^ k->id[i]) * 16777619u;
	h ^= h >> 16;
	h *= 0x7feb352du;
	h ^= h >> 15;
	h *= 0x846ca68bu;
	h ^= h >> 16;
	return h;
}

static bool vsi_key_equal(const struct vdp_vsi_key *a, const struct vdp_vsi_key *b)
{
	return a->fmt == b->fmt && !memcmp(a->id, b->id, VDP_VSIID_LEN);
}

struct vdp_vsi *vsi_new(const struct vdp_vsi_key *key, uint64_t now)
{
	struct vdp_vsi *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	v->key = *key;
	v->hash = vsi_key_hash(key);
	v->created = now;
	dl_node_init(&v->timer);
	return v;
}

static void vsi_drop_filters(struct vdp_vsi *v)
{
	if (v->nfilters > 1)
		free(v->f.many);
	memset(&v->f, 0, sizeof(v->f));
	v->nfilters = 0;
}

struct vsi_saved {
	uint32_t type_id;
	uint8_t type_ver;
	uint8_t fif;
	uint16_t nfilters;
	struct vdp_filter f[];
};

int vsi_save(struct vdp_vsi *v)
{
	if (v->saved)
		return 0;
	struct vsi_saved *s = malloc(sizeof(*s) + v->nfilters * sizeof(s->f[0]));
	if (!s)
		return -ENOMEM;
	s->type_id = v->type_id;
	s->type_ver = v->type_ver;
	s->fif = v->fif;
	s->nfilters = v->nfilters;
	if (v->nfilters)
		memcpy(s->f, vsi_filters(v), v->nfilters * sizeof(s->f[0]));
	v->saved = s;
	return 0;
}

void vsi_drop_saved(struct vdp_vsi *v)
{
	free(v->saved);
	v->saved = NULL;
}

void vsi_restore(struct vdp_vsi *v)
{
	struct vsi_saved *s = v->saved;
	if (!s)
		return;
	v->type_id = s->type_id;
	v->type_ver = s->type_ver;
	/* Shrinking or same-size copies cannot fail; on ENOMEM the pending
	 * filters stay and the next keep-alive asks the policy again. */
	vsi_set_filters(v, s->fif, s->f, s->nfilters);
	vsi_drop_saved(v);
}

void vsi_free(struct vdp_vsi *v)
{
	if (!v)
		return;
	vsi_drop_saved(v);
	vsi_drop_filters(v);
	free(v->org);
	free(v);
}

int vsi_set_filters(struct vdp_vsi *v, uint8_t fif, const struct vdp_filter *f, uint16_t n)
{
	struct vdp_filter one = {0};
	struct vdp_filter *many = NULL;

	if (n && !f)
		return -EINVAL;
	/* Copy first: f may point into v's current filters. */
	if (n > 1) {
		many = malloc((size_t)n * sizeof(*many));
		if (!many)
			return -ENOMEM;
		memcpy(many, f, (size_t)n * sizeof(*many));
	} else if (n == 1) {
		one = f[0];
	}
	vsi_drop_filters(v);
	v->fif = fif;
	v->nfilters = n;
	if (n > 1)
		v->f.many = many;
	else
		v->f.one = one;
	return 0;
}

int vsi_set_org(struct vdp_vsi *v, const uint8_t *org, size_t len)
{
	uint8_t *copy = NULL;

	if (len > UINT16_MAX || (len && !org))
		return -EINVAL;
	if (len) {
		copy = malloc(len);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, org, len);
	}
	free(v->org);
	v->org = copy;
	v->org_len = (uint16_t)len;
	return 0;
}

void vsi_to_tlv(const struct vdp_vsi *v, uint8_t type, uint8_t status, struct vdp_vsi_tlv *t)
{
	memset(t, 0, sizeof(*t));
	t->type = type;
	t->status = status;
	t->type_id = v->type_id & 0xffffff;
	t->type_ver = v->type_ver;
	t->vsiid_fmt = v->key.fmt;
	memcpy(t->vsiid, v->key.id, VDP_VSIID_LEN);
	t->fif = v->fif;
	t->nfilters = v->nfilters;
	t->filters = vsi_filters(v);
	t->org = v->org;
	t->org_len = v->org_len;
}

static bool vsi_filter_match(const struct vdp_filter *a, const struct vdp_filter *b, bool wild)
{
	if (a->group != b->group || memcmp(a->mac, b->mac, sizeof(a->mac)))
		return false;
	if (a->vid != b->vid && !(wild && a->vid == 0))
		return false;
	if (wild && !a->ps)
		return true; /* PS/PCP not requested: the bridge may choose */
	return a->ps == b->ps && a->pcp == b->pcp;
}

static bool filters_match(uint8_t fif, const struct vdp_filter *mine, uint16_t n,
			  const struct vdp_vsi_tlv *t, bool match_wild)
{
	if (fif != t->fif || n != t->nfilters)
		return false;
	if (t->nfilters && !t->filters)
		return false;
	for (uint16_t i = 0; i < n; i++)
		if (!vsi_filter_match(&mine[i], &t->filters[i], match_wild))
			return false;
	return true;
}

bool vsi_filters_match(const struct vdp_vsi *v, const struct vdp_vsi_tlv *t, bool match_wild)
{
	return filters_match(v->fif, vsi_filters(v), v->nfilters, t, match_wild);
}

bool vsi_saved_match(const struct vdp_vsi *v, const struct vdp_vsi_tlv *t)
{
	const struct vsi_saved *s = v->saved;

	return s && s->type_id == (t->type_id & 0xffffff) && s->type_ver == t->type_ver &&
	       filters_match(s->fif, s->f, s->nfilters, t, true);
}

const char *vsi_result_name(uint8_t result)
{
	static const char *const names[] = {
	    [VSI_PENDING] = "pending",
	    [VSI_PREASSOCIATED] = "preassociated",
	    [VSI_PREASSOCIATED_RR] = "preassociated-rr",
	    [VSI_ASSOCIATED] = "associated",
	    [VSI_DEASSOCIATED] = "deassociated",
	    [VSI_FAILED] = "failed",
	};

	if (result >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[result];
}

/* ---------------- table ---------------- */

static size_t vsi_round_buckets(size_t hint)
{
	size_t nb = VSI_TABLE_MIN_BUCKETS;

	while (nb < hint && nb <= SIZE_MAX / 2 / sizeof(struct vdp_vsi *))
		nb *= 2;
	return nb;
}

int vsi_table_init(struct vsi_table *t, size_t hint)
{
	size_t nb = vsi_round_buckets(hint);

	memset(t, 0, sizeof(*t));
	t->b = calloc(nb, sizeof(*t->b));
	if (!t->b)
		return -ENOMEM;
	t->nb = nb;
	t->nb_min = nb;
	return 0;
}

void vsi_table_free(struct vsi_table *t)
{
	for (size_t i = 0; i < t->nb; i++) {
		struct vdp_vsi *v = t->b[i];

		while (v) {
			struct vdp_vsi *next = v->hnext;

			vsi_free(v);
			v = next;
		}
	}
	free(t->b);
	memset(t, 0, sizeof(*t));
}

static struct vdp_vsi **vsi_bucket(const struct vsi_table *t, uint32_t hash)
{
	return &t->b[hash & (t->nb - 1)];
}

struct vdp_vsi *vsi_table_find(const struct vsi_table *t, const struct vdp_vsi_key *k)
{
	uint32_t hash;

	if (!t->nb)
		return NULL;
	hash = vsi_key_hash(k);
	for (struct vdp_vsi *v = *vsi_bucket(t, hash); v; v = v->hnext)
		if (v->hash == hash && vsi_key_equal(&v->key, k))
			return v;
	return NULL;
}

void vsi_table_prefetch(const struct vsi_table *t, const struct vdp_vsi_key *keys, size_t n)
{
	if (!t->nb)
		return;
	for (size_t i = 0; i < n; i++)
		__builtin_prefetch(vsi_bucket(t, vsi_key_hash(&keys[i])));
	for (size_t i = 0; i < n; i++) {
		const struct vdp_vsi *v = *vsi_bucket(t, vsi_key_hash(&keys[i]));
		if (v)
			__builtin_prefetch(&v->hash);
	}
}

/* Move every VSI into nb buckets (a power of two). */
static int vsi_table_resize(struct vsi_table *t, size_t nb)
{
	struct vdp_vsi **b = calloc(nb, sizeof(*b));

	if (!b)
		return -ENOMEM;
	for (size_t i = 0; i < t->nb; i++) {
		struct vdp_vsi *v = t->b[i];

		while (v) {
			struct vdp_vsi *next = v->hnext;
			struct vdp_vsi **head = &b[v->hash & (nb - 1)];

			v->hnext = *head;
			*head = v;
			v = next;
		}
	}
	free(t->b);
	t->b = b;
	t->nb = nb;
	return 0;
}

/* One clock for every table: a generation is never reused, not even by a
 * table freed and made again at the same address. */
static uint64_t vsi_gen_clock;

int vsi_table_insert(struct vsi_table *t, struct vdp_vsi *v)
{
	struct vdp_vsi **head;
	int rc;

	if (!t->nb) {
		rc = vsi_table_init(t, 0);
		if (rc < 0)
			return rc;
	}
	if (vsi_table_find(t, &v->key))
		return -EEXIST;
	v->hash = vsi_key_hash(&v->key);
	head = vsi_bucket(t, v->hash);
	v->hnext = *head;
	*head = v;
	t->count++;
	t->gen = ++vsi_gen_clock;
	if (t->count > t->nb && vsi_table_resize(t, t->nb * 2) < 0)
		return VSI_TABLE_NOT_GROWN;
	return 0;
}

void vsi_table_remove(struct vsi_table *t, struct vdp_vsi *v)
{
	if (!t->nb)
		return;
	for (struct vdp_vsi **pp = vsi_bucket(t, v->hash); *pp; pp = &(*pp)->hnext) {
		if (*pp == v) {
			*pp = v->hnext;
			v->hnext = NULL;
			t->count--;
			t->gen = ++vsi_gen_clock;
			/* Give memory back: halve below a quarter full, never under
			 * the initial size (a failed shrink keeps the table). */
			if (t->nb > t->nb_min && t->count < t->nb / 4)
				vsi_table_resize(t, t->nb / 2);
			return;
		}
	}
}

struct vdp_vsi *vsi_table_next(const struct vsi_table *t, struct vsi_cursor *c)
{
	for (; c->bucket < t->nb; c->bucket++, c->pos = 0) {
		struct vdp_vsi *v = t->b[c->bucket];

		for (size_t i = 0; v && i < c->pos; i++)
			v = v->hnext;
		if (v) {
			c->pos++;
			return v;
		}
	}
	return NULL;
}
