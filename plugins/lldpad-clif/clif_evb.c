/* SPDX-License-Identifier: ISC */
/*
 * clif_evb.c - lldptool's EVB attributes and TLV dumps (see clif_evb.h).
 */
#include "clif_evb.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* lldpad's attribute names, in the order it lists them. */
enum evb_attr { A_RKA, A_RWD, A_RTE, A_RETRIES, A_RRREQ, A_RRCAP, A_GPID, A_MODE, A_TX, A_N };

static const char *const attr_name[A_N] = {
    [A_RKA] = "vdprka",		[A_RWD] = "vdprwd",	[A_RTE] = "ecprte",
    [A_RETRIES] = "ecpretries", [A_RRREQ] = "evbrrreq", [A_RRCAP] = "evbrrcap",
    [A_GPID] = "evbgpid",	[A_MODE] = "evbmode",	[A_TX] = "enableTx",
};

static int attr_of(const struct clif_str *k)
{
	for (int i = 0; i < A_N; i++)
		if (k->n == strlen(attr_name[i]) && !strncasecmp(k->p, attr_name[i], k->n))
			return i;
	return -1;
}

static const char *yes(bool b)
{
	return b ? "yes" : "no";
}

static void attr_put(struct clif_buf *b, int a, const struct evbd_evb_settings *s)
{
	const uint8_t num[A_N] = {
	    [A_RKA] = s->rka, [A_RWD] = s->rwd, [A_RTE] = s->rte, [A_RETRIES] = s->r};
	char v[8];
	const char *val = v;
	switch (a) {
	case A_RRREQ:
		val = yes(s->rrreq);
		break;
	case A_RRCAP:
		val = yes(s->rrcap);
		break;
	case A_GPID:
		val = yes(s->gid);
		break;
	case A_MODE:
		val = s->station ? "station" : "bridge";
		break;
	case A_TX:
		val = "yes"; /* evbd sends the EVB TLV on every port it has */
		break;
	default:
		snprintf(v, sizeof(v), "%u", num[a]);
	}
	clif_put(b, "%02zx%s%04zx%s", strlen(attr_name[a]), attr_name[a], strlen(val), val);
}

int clif_evb_get(const struct clif_req *r, const struct evbd_evb_settings *s, struct clif_buf *b,
		 const char **why)
{
	if (!r->nargs) {
		for (int a = 0; a < A_N; a++)
			attr_put(b, a, s);
		return CLIF_OK;
	}
	for (unsigned i = 0; i < r->nargs; i++) {
		int a = attr_of(&r->args[i].key);
		if (a < 0) {
			*why = "an EVB attribute lldpad does not have";
			return CLIF_NOT_APPLICABLE;
		}
		attr_put(b, a, s);
	}
	return CLIF_OK;
}

static bool val_is(const struct clif_str *v, const char *lit)
{
	return v->p && v->n == strlen(lit) && !strncasecmp(v->p, lit, v->n);
}

static bool yes_no(const struct clif_str *v, bool *out)
{
	if (val_is(v, "yes"))
		*out = true;
	else if (val_is(v, "no"))
		*out = false;
	else
		return false;
	return true;
}

static bool number(const struct clif_str *v, unsigned max, uint8_t *out)
{
	unsigned n = 0;
	if (!v->p || !v->n || v->n > 3)
		return false;
	for (size_t i = 0; i < v->n; i++) {
		if (v->p[i] < '0' || v->p[i] > '9')
			return false;
		n = n * 10 + (unsigned)(v->p[i] - '0');
	}
	if (n > max)
		return false;
	*out = (uint8_t)n;
	return true;
}

/* One KEY=VALUE onto s: CLIF_OK or CLIF_BAD_PARAMS. */
static int attr_set(int a, const struct clif_str *v, struct evbd_evb_settings *s, const char **why)
{
	bool on = false;
	*why = "a value out of lldpad's range (ecpretries 0-7, ecprte, vdprwd and vdprka 0-31, "
	       "yes or no)";
	switch (a) {
	case A_RKA:
		return number(v, 31, &s->rka) ? CLIF_OK : CLIF_BAD_PARAMS;
	case A_RWD:
		return number(v, 31, &s->rwd) ? CLIF_OK : CLIF_BAD_PARAMS;
	case A_RTE:
		return number(v, 31, &s->rte) ? CLIF_OK : CLIF_BAD_PARAMS;
	case A_RETRIES:
		return number(v, 7, &s->r) ? CLIF_OK : CLIF_BAD_PARAMS;
	case A_RRREQ:
		return yes_no(v, &s->rrreq) ? CLIF_OK : CLIF_BAD_PARAMS;
	case A_RRCAP:
		return yes_no(v, &s->rrcap) ? CLIF_OK : CLIF_BAD_PARAMS;
	case A_GPID:
		return yes_no(v, &s->gid) ? CLIF_OK : CLIF_BAD_PARAMS;
	case A_MODE:
		if (val_is(v, s->station ? "station" : "bridge"))
			return CLIF_OK;
		*why = "evbmode other than the port's role (evbd.conf's role, taken at start)";
		return CLIF_BAD_PARAMS;
	default: /* A_TX */
		if (yes_no(v, &on) && on)
			return CLIF_OK;
		*why = "enableTx other than yes (evbd sends the EVB TLV on every port it has)";
		return CLIF_BAD_PARAMS;
	}
}

int clif_evb_set(const struct clif_req *r, struct evbd_evb_settings *s, const char **why)
{
	struct evbd_evb_settings n = *s;
	if (!r->nargs) {
		*why = "no attribute to set";
		return CLIF_BAD_PARAMS;
	}
	for (unsigned i = 0; i < r->nargs; i++) {
		int a = attr_of(&r->args[i].key);
		if (a < 0) {
			*why = "an EVB attribute lldpad does not have";
			return CLIF_NOT_APPLICABLE;
		}
		int st = attr_set(a, &r->args[i].val, &n, why);
		if (st != CLIF_OK)
			return st;
	}
	*s = n;
	return CLIF_OK;
}

static void hex_put(struct clif_buf *b, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		clif_put(b, "%02x", p[i]);
}

bool clif_tlv_put(struct clif_buf *b, const uint8_t *tlvs, size_t len, uint32_t tlvid)
{
	if (tlvid == CLIF_TLV_ALL) {
		hex_put(b, tlvs, len);
		return len > 0;
	}
	for (size_t off = 0; off + 2 <= len;) {
		unsigned type = tlvs[off] >> 1, n = (tlvs[off] & 1u) << 8 | tlvs[off + 1];
		if (n > len - off - 2)
			return false;
		const uint8_t *v = tlvs + off + 2;
		uint32_t id = type;
		if (type == 127 && n >= 4)
			id = (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 | (uint32_t)v[2] << 8 |
			     v[3];
		if (id == tlvid && (type < 127 || n >= 4)) {
			hex_put(b, tlvs + off, n + 2);
			return true;
		}
		if (type == 0)
			return false;
		off += 2 + n;
	}
	return false;
}
