/* SPDX-License-Identifier: ISC */
/*
 * fleet.c - the fleet's VSI locations as this switch knows them, and the
 * keys and JSON values of the records in etcd (see fleet.h).
 */
#include "evbd/fleet.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vdp/proto.h"

/* ---------------- the table ---------------- */

void fleet_init(struct fleet *f)
{
	memset(f, 0, sizeof(*f));
}

void fleet_fini(struct fleet *f)
{
	for (size_t i = 0; i < f->nb; i++) {
		struct fleet_rec *r = f->b[i];
		while (r) {
			struct fleet_rec *next = r->next;
			free(r->filters);
			free(r);
			r = next;
		}
	}
	free(f->b);
	fleet_init(f);
}

static uint64_t hash_key(const struct vdp_vsi_key *k)
{
	uint64_t h = 1469598103934665603ull ^ k->fmt;

	for (size_t i = 0; i < VDP_VSIID_LEN; i++)
		h = (h ^ k->id[i]) * 1099511628211ull;
	return h ^ (h >> 29);
}

static bool same_key(const struct vdp_vsi_key *a, const struct vdp_vsi_key *b)
{
	return a->fmt == b->fmt && !memcmp(a->id, b->id, VDP_VSIID_LEN);
}

static struct fleet_rec **slot(const struct fleet *f, const struct vdp_vsi_key *k)
{
	return &f->b[hash_key(k) & (f->nb - 1)];
}

static void grow(struct fleet *f)
{
	size_t nb = f->nb ? f->nb * 2 : 1024;
	struct fleet_rec **b = calloc(nb, sizeof(*b));

	if (!b)
		return; /* longer chains */
	for (size_t i = 0; i < f->nb; i++) {
		while (f->b[i]) {
			struct fleet_rec *r = f->b[i];
			f->b[i] = r->next;
			struct fleet_rec **to = &b[hash_key(&r->key) & (nb - 1)];
			r->next = *to;
			*to = r;
		}
	}
	free(f->b);
	f->b = b;
	f->nb = nb;
}

struct fleet_rec *fleet_find(const struct fleet *f, const struct vdp_vsi_key *k, const char *sw)
{
	if (!f->nb)
		return NULL;
	for (struct fleet_rec *r = *slot(f, k); r; r = r->next)
		if (same_key(&r->key, k) && !strcmp(r->sw, sw))
			return r;
	return NULL;
}

struct fleet_rec *fleet_next_of(const struct fleet *f, const struct vdp_vsi_key *k,
				struct fleet_rec *prev)
{
	struct fleet_rec *r = prev ? prev->next : f->nb ? *slot(f, k) : NULL;

	while (r && !same_key(&r->key, k))
		r = r->next;
	return r;
}

struct fleet_rec *fleet_put(struct fleet *f, const struct fleet_rec *in,
			    const struct vdp_filter *filt)
{
	struct fleet_rec *r = fleet_find(f, &in->key, in->sw);
	struct vdp_filter *nf = NULL;

	if (!r && f->n >= FLEET_MAX)
		return NULL;
	if (in->nfilters && !(nf = malloc(in->nfilters * sizeof(*nf))))
		return NULL;
	if (nf)
		memcpy(nf, filt, in->nfilters * sizeof(*nf));
	if (!r) {
		if (f->n >= f->nb)
			grow(f);
		if (!f->nb || !(r = calloc(1, sizeof(*r)))) {
			free(nf);
			return NULL;
		}
		r->key = in->key;
		snprintf(r->sw, sizeof(r->sw), "%s", in->sw);
		r->local = in->local;
		r->next = *slot(f, &r->key);
		*slot(f, &r->key) = r;
		f->n++;
		f->nlocal += r->local;
	}
	free(r->filters);
	r->filters = nf;
	snprintf(r->port, sizeof(r->port), "%s", in->port);
	r->type_id = in->type_id;
	r->type_ver = in->type_ver;
	r->state = in->state;
	r->fif = in->fif;
	r->nfilters = in->nfilters;
	r->since = in->since;
	r->gone = false;
	return r;
}

void fleet_del(struct fleet *f, struct fleet_rec *r)
{
	for (struct fleet_rec **pp = slot(f, &r->key); *pp; pp = &(*pp)->next) {
		if (*pp != r)
			continue;
		*pp = r->next;
		f->n--;
		f->nlocal -= r->local;
		if (r->dirty) { /* off the dirty queue */
			struct fleet_rec **dp = &f->dhead, *prev = NULL;
			while (*dp && *dp != r) {
				prev = *dp;
				dp = &(*dp)->dnext;
			}
			if (*dp)
				*dp = r->dnext;
			if (f->dtail == r)
				f->dtail = prev;
			f->ndirty--;
		}
		free(r->filters);
		free(r);
		return;
	}
}

void fleet_dirty(struct fleet *f, struct fleet_rec *r)
{
	if (r->dirty)
		return;
	r->dirty = true;
	r->dnext = NULL;
	if (f->dtail)
		f->dtail->dnext = r;
	else
		f->dhead = r;
	f->dtail = r;
	f->ndirty++;
}

struct fleet_rec *fleet_take_dirty(struct fleet *f)
{
	struct fleet_rec *r = f->dhead;

	if (!r)
		return NULL;
	f->dhead = r->dnext;
	if (!f->dhead)
		f->dtail = NULL;
	r->dirty = false;
	r->dnext = NULL;
	f->ndirty--;
	return r;
}

struct fleet_rec *fleet_next(const struct fleet *f, struct fleet_cursor *c)
{
	for (; c->b < f->nb; c->b++, c->i = 0) {
		struct fleet_rec *r = f->b[c->b];
		for (size_t i = 0; r && i < c->i; i++)
			r = r->next;
		if (r) {
			c->i++;
			return r;
		}
	}
	return NULL;
}

/* ---------------- keys ---------------- */

static void hex(const uint8_t *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

static int unhex(const char *s, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1 || !strchr("0123456789abcdef", s[2 * i]) ||
		    !strchr("0123456789abcdef", s[2 * i + 1]) || !s[2 * i + 1])
			return -1;
		out[i] = (uint8_t)v;
	}
	return 0;
}

int fleet_vsi_key(const char *prefix, const struct vdp_vsi_key *k, const char *sw, char *buf,
		  size_t cap)
{
	char h[2 * VDP_VSIID_LEN + 1];

	hex(k->id, VDP_VSIID_LEN, h);
	return snprintf(buf, cap, "%s/vsis/%u/%s/%s", prefix, k->fmt, h, sw);
}

int fleet_vsi_key_parse(const char *rest, struct vdp_vsi_key *k, char *sw, size_t cap)
{
	unsigned fmt;
	int n = 0;

	if (sscanf(rest, "%3u/%n", &fmt, &n) != 1 || !n || fmt > 255)
		return -EINVAL;
	rest += n;
	if (strlen(rest) < 2 * VDP_VSIID_LEN + 2 || rest[2 * VDP_VSIID_LEN] != '/' ||
	    unhex(rest, k->id, VDP_VSIID_LEN))
		return -EINVAL;
	rest += 2 * VDP_VSIID_LEN + 1;
	if (!rest[0] || strlen(rest) >= cap || strchr(rest, '/'))
		return -EINVAL;
	k->fmt = (uint8_t)fmt;
	snprintf(sw, cap, "%s", rest);
	return 0;
}

int fleet_type_key(const char *prefix, uint32_t id, uint8_t ver, char *buf, size_t cap)
{
	if (id == EVB_VSITYPE_DEFAULT)
		return snprintf(buf, cap, "%s/types/default", prefix);
	return snprintf(buf, cap, "%s/types/%u-%u", prefix, id, ver);
}

int fleet_type_key_parse(const char *rest, uint32_t *id, uint8_t *ver)
{
	unsigned long i, v;
	char *end;

	if (!strcmp(rest, "default")) {
		*id = EVB_VSITYPE_DEFAULT;
		*ver = 0;
		return 0;
	}
	if (rest[0] < '0' || rest[0] > '9')
		return -EINVAL;
	i = strtoul(rest, &end, 10);
	if (*end != '-' || i > EVB_VSITYPE_ID_MAX || end[1] < '0' || end[1] > '9')
		return -EINVAL;
	v = strtoul(end + 1, &end, 10);
	if (*end || v > 255)
		return -EINVAL;
	*id = (uint32_t)i;
	*ver = (uint8_t)v;
	return 0;
}

/* ---------------- values ---------------- */

const char *fleet_state_word(uint8_t state)
{
	return state == VDP_TLV_DEASSOC ? "none" : vdp_cmd_word(state);
}

uint8_t fleet_state_of(const char *word)
{
	for (uint8_t s = VDP_TLV_PREASSOC; s <= VDP_TLV_ASSOC; s++)
		if (word && !strcmp(word, fleet_state_word(s)))
			return s;
	return 0;
}

static char *dump(json_t *o)
{
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;

	json_decref(o);
	return s;
}

char *fleet_rec_json(const struct fleet_rec *r)
{
	json_t *o = json_object(), *fs = json_array();

	for (uint16_t i = 0; i < r->nfilters; i++) {
		const struct vdp_filter *x = &r->filters[i];
		char mac[18];
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", x->mac[0], x->mac[1],
			 x->mac[2], x->mac[3], x->mac[4], x->mac[5]);
		json_array_append_new(fs, json_pack("{s:s, s:i, s:I, s:i, s:b}", "mac", mac, "vid",
						    x->vid, "group", (json_int_t)x->group, "pcp",
						    x->pcp, "ps", x->ps));
	}
	json_object_set_new(o, "switch", json_string(r->sw));
	json_object_set_new(o, "port", json_string(r->port));
	json_object_set_new(o, "type", json_integer(r->type_id));
	json_object_set_new(o, "version", json_integer(r->type_ver));
	json_object_set_new(o, "state", json_string(fleet_state_word(r->state)));
	json_object_set_new(o, "fif", json_integer(r->fif));
	json_object_set_new(o, "filters", fs);
	json_object_set_new(o, "since", json_integer((json_int_t)r->since));
	return dump(o);
}

/* An integer field within [min, max]. */
static bool num(const json_t *o, const char *field, json_int_t min, json_int_t max, json_int_t *v)
{
	const json_t *j = json_object_get(o, field);

	if (!json_is_integer(j) || json_integer_value(j) < min || json_integer_value(j) > max)
		return false;
	*v = json_integer_value(j);
	return true;
}

static int parse_filter(const json_t *o, struct vdp_filter *f)
{
	const char *mac = json_string_value(json_object_get(o, "mac"));
	unsigned m[6];
	json_int_t vid, group, pcp;
	char end;

	memset(f, 0, sizeof(*f));
	if (!json_is_object(o) || !mac || strlen(mac) != 17 ||
	    sscanf(mac, "%2x:%2x:%2x:%2x:%2x:%2x%c", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5],
		   &end) != 6 ||
	    !num(o, "vid", 0, VDP_VID_MAX, &vid) || !num(o, "group", 0, UINT32_MAX, &group) ||
	    !num(o, "pcp", 0, 7, &pcp) || !json_is_boolean(json_object_get(o, "ps")))
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		f->mac[i] = (uint8_t)m[i];
	f->vid = (uint16_t)vid;
	f->group = (uint32_t)group;
	f->pcp = (uint8_t)pcp;
	f->ps = json_is_true(json_object_get(o, "ps"));
	return 0;
}

static int rec_fields(const json_t *o, struct fleet_rec *r, struct vdp_filter *filt,
		      const char **why)
{
	const char *port = json_string_value(json_object_get(o, "port"));
	const json_t *fs = json_object_get(o, "filters");
	json_int_t type, ver, fif, since;

	*why = "port";
	if (!port || !port[0] || strlen(port) >= sizeof(r->port))
		return -EINVAL;
	*why = "type, version, fif or since";
	if (!num(o, "type", 0, EVB_VSITYPE_ID_MAX, &type) || !num(o, "version", 0, 255, &ver) ||
	    !num(o, "fif", 1, 4, &fif) || !num(o, "since", 0, INT64_MAX, &since))
		return -EINVAL;
	*why = "state";
	r->state = fleet_state_of(json_string_value(json_object_get(o, "state")));
	if (!r->state)
		return -EINVAL;
	*why = "filters";
	if (!json_is_array(fs) || !json_array_size(fs) || json_array_size(fs) > VDP_MAX_FILTERS)
		return -EINVAL;
	for (size_t i = 0; i < json_array_size(fs); i++)
		if (parse_filter(json_array_get(fs, i), &filt[i]))
			return -EINVAL;
	snprintf(r->port, sizeof(r->port), "%s", port);
	r->type_id = (uint32_t)type;
	r->type_ver = (uint8_t)ver;
	r->fif = (uint8_t)fif;
	r->since = (uint64_t)since;
	r->nfilters = (uint16_t)json_array_size(fs);
	*why = NULL;
	return 0;
}

int fleet_rec_parse(const char *json, size_t len, struct fleet_rec *r, struct vdp_filter *filt,
		    const char **why)
{
	json_error_t je;
	json_t *o;
	int rc;

	*why = "the value is longer than a record may be";
	if (len > FLEET_JSON_MAX)
		return -EINVAL;
	*why = "the value is not a JSON object";
	o = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(o)) {
		json_decref(o);
		return -EINVAL;
	}
	rc = rec_fields(o, r, filt, why);
	json_decref(o);
	return rc;
}

char *fleet_type_json(const struct vsitype *e, uint64_t written_us)
{
	char *vlans = malloc(VIDSET_TEXT_MAX);
	json_t *o;

	if (!vlans)
		return NULL;
	vidset_format(&e->vids, vlans, VIDSET_TEXT_MAX);
	o = json_pack("{s:s, s:s, s:i, s:i, s:I, s:i}", "name", e->name, "vlans", vlans,
		      "assign_vlan", e->assign_vid, "formats", e->formats, "max_per_port",
		      (json_int_t)e->max_per_port, "pcp", e->pcp);
	free(vlans);
	if (o && written_us)
		json_object_set_new(o, "written", json_integer((json_int_t)written_us));
	return dump(o);
}

int fleet_type_parse(const char *json, size_t len, struct vsitype *e, uint64_t *written_us,
		     const char **why)
{
	json_error_t je;
	json_t *o =
	    len <= 2 * VIDSET_TEXT_MAX ? json_loadb(json, len, JSON_REJECT_DUPLICATES, &je) : NULL;
	const char *name = json_string_value(json_object_get(o, "name"));
	const char *vlans = json_string_value(json_object_get(o, "vlans"));
	json_int_t assign, formats, max, pcp, written = 0;
	int rc = -EINVAL;

	*why = "the value is not a JSON object with name, vlans, assign_vlan, formats, "
	       "max_per_port and pcp";
	if (json_is_object(o) && name && vlans && strlen(name) < sizeof(e->name) &&
	    num(o, "assign_vlan", 0, VDP_VID_MAX, &assign) && num(o, "formats", 0, 255, &formats) &&
	    num(o, "max_per_port", 0, UINT32_MAX, &max) && num(o, "pcp", -1, 7, &pcp) &&
	    (!json_object_get(o, "written") || num(o, "written", 0, INT64_MAX, &written))) {
		const char *what = NULL;
		*why = "its VLAN list";
		if (!vidset_parse(vlans, &e->vids, &what, NULL)) {
			snprintf(e->name, sizeof(e->name), "%s", name);
			e->assign_vid = (uint16_t)assign;
			e->formats = (uint8_t)formats;
			e->max_per_port = (uint32_t)max;
			e->pcp = (int8_t)pcp;
			if (written_us)
				*written_us = (uint64_t)written;
			*why = NULL;
			rc = 0;
		}
	}
	json_decref(o);
	return rc;
}
