/* SPDX-License-Identifier: ISC */
/*
 * clif_msg.c - lldpad's control-interface messages: the request parser,
 * the VDP22 argument parser and printer (see clif_msg.h).  No I/O.
 */
#include "clif_msg.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ---------------- reading ---------------- */

struct rd {
	const char *p;
	size_t len, off;
};

static bool rd_hex(struct rd *r, unsigned width, uint32_t *out)
{
	uint32_t v = 0;
	if (width > 8 || r->len - r->off < width)
		return false;
	for (unsigned i = 0; i < width; i++) {
		int c = (unsigned char)r->p[r->off + i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		v = v << 4 | (uint32_t)d;
	}
	r->off += width;
	*out = v;
	return true;
}

/* A string counted by a hex length of `width` digits. */
static bool rd_counted(struct rd *r, unsigned width, struct clif_str *s)
{
	uint32_t n;
	if (!rd_hex(r, width, &n) || r->len - r->off < n)
		return false;
	s->p = r->p + r->off;
	s->n = n;
	r->off += n;
	return true;
}

static int parse_args(struct rd *rd, struct clif_req *r, bool values, const char **why)
{
	while (rd->off < rd->len) {
		struct clif_arg *a = &r->args[r->nargs];
		if (r->nargs == CLIF_ARGS_MAX) {
			*why = "more arguments than a request may carry";
			return CLIF_INVALID;
		}
		*a = (struct clif_arg){0};
		if (!rd_counted(rd, 2, &a->key) || !a->key.n) {
			*why = "an argument name's length is not two hex digits within the message";
			return CLIF_INVALID;
		}
		if (values && !rd_counted(rd, 4, &a->val)) {
			*why =
			    "an argument value's length is not four hex digits within the message";
			return CLIF_INVALID;
		}
		r->nargs++;
	}
	return CLIF_OK;
}

/* "C" version cmd ops iflen ifname [agent] [tlvid] args. */
static int parse_module(struct rd *rd, struct clif_req *r, const char **why)
{
	uint32_t ver, cmd, iflen, agent = 0, tlvid;
	size_t start = rd->off;
	if (rd->off >= rd->len || rd->p[rd->off] != 'C') {
		*why = "a module message does not go on with 'C'";
		return CLIF_INVALID;
	}
	rd->off++;
	if (!rd_hex(rd, 1, &ver) || !rd_hex(rd, 2, &cmd) || !rd_hex(rd, 8, &r->ops) ||
	    !rd_hex(rd, 2, &iflen)) {
		*why = "the command header is not hex of the right widths";
		return CLIF_INVALID;
	}
	if (iflen > CLIF_IFNAME_MAX || rd->len - rd->off < iflen) {
		*why = "the interface name is longer than 16 octets or than the message";
		return CLIF_INVALID;
	}
	memcpy(r->ifname, rd->p + rd->off, iflen);
	r->ifname[iflen] = 0;
	if (strlen(r->ifname) != iflen) {
		*why = "the interface name holds a NUL octet";
		return CLIF_INVALID;
	}
	rd->off += iflen;
	r->version = (uint8_t)ver;
	r->cmd = (uint8_t)cmd;
	r->head = (struct clif_str){rd->p + start, rd->off - start};
	if (ver != 3) {
		*why = "message version is not 3";
		return CLIF_NOT_APPLICABLE;
	}
	if (rd->off < rd->len && !rd_hex(rd, 2, &agent)) {
		*why = "the agent type is not two hex digits";
		return CLIF_INVALID;
	}
	r->agent = (uint8_t)agent;
	if (cmd == CLIF_CMD_GETTLV || cmd == CLIF_CMD_SETTLV) {
		if (!rd_hex(rd, 8, &tlvid)) {
			*why = "the TLV id is not eight hex digits";
			return CLIF_INVALID;
		}
		r->has_tlvid = true;
		r->tlvid = tlvid;
	}
	/* Values follow the names when the options say so, and always in VDP22
	 * requests (vdptool -t -c uuid=... sends one without CLIF_OP_ARGVAL). */
	bool values = (r->ops & CLIF_OP_ARGVAL) || r->module == CLIF_MOD_VDP22;
	return parse_args(rd, r, values, why);
}

int clif_parse(const char *buf, size_t len, struct clif_req *r, const char **why)
{
	struct rd rd = {buf, len, 1};
	memset(r, 0, offsetof(struct clif_req, args));
	*why = "";
	if (!len) {
		*why = "an empty message";
		return CLIF_INVALID;
	}
	r->type = buf[0];
	switch (r->type) {
	case CLIF_PING:
	case CLIF_LEVEL:
	case CLIF_ATTACH:
	case CLIF_DETACH:
		return CLIF_OK;
	case CLIF_MODULE:
		if (!rd_hex(&rd, 8, &r->module)) {
			*why = "the module id is not eight hex digits";
			return CLIF_NO_DEVICE; /* lldpad: no such module */
		}
		return parse_module(&rd, r, why);
	default:
		*why = "unknown message type";
		return CLIF_INVALID;
	}
}

static bool str_is(const struct clif_str *s, const char *lit)
{
	return s->n == strlen(lit) && !strncasecmp(s->p, lit, s->n);
}

const struct clif_arg *clif_arg_find(const struct clif_req *r, const char *key)
{
	for (unsigned i = 0; i < r->nargs; i++)
		if (str_is(&r->args[i].key, key))
			return &r->args[i];
	return NULL;
}

/* ---------------- VDP22 arguments ---------------- */

static const char *const mode_names[] = {
    [EVBD_VDP_PREASSOC] = "preassoc",
    [EVBD_VDP_PREASSOC_RR] = "preassoc-rr",
    [EVBD_VDP_ASSOC] = "assoc",
    [EVBD_VDP_DEASSOC] = "deassoc",
};

const char *clif_mode_name(uint8_t mode)
{
	return mode >= EVBD_VDP_PREASSOC && mode <= EVBD_VDP_DEASSOC ? mode_names[mode] : NULL;
}

/* Decimal number of at most max, the whole string. */
static bool num(const struct clif_str *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	if (!s->n || s->n > 10)
		return false;
	for (size_t i = 0; i < s->n; i++) {
		if (s->p[i] < '0' || s->p[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s->p[i] - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A UUID: 32 hex digits, dashes anywhere between pairs. */
static bool uuid_parse(const struct clif_str *s, uint8_t out[16])
{
	unsigned n = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (s->p[i] == '-')
			continue;
		if (n == 32 || i + 1 >= s->n)
			return false;
		int h = hexval((unsigned char)s->p[i]), l = hexval((unsigned char)s->p[i + 1]);
		if (h < 0 || l < 0)
			return false;
		out[n / 2] = (uint8_t)(h << 4 | l);
		n += 2;
		i++;
	}
	return n == 32;
}

static bool mac_parse(const char *p, size_t n, uint8_t mac[6])
{
	if (n != 17)
		return false;
	for (int i = 0; i < 6; i++) {
		int h = hexval((unsigned char)p[3 * i]), l = hexval((unsigned char)p[3 * i + 1]);
		if (h < 0 || l < 0 || (i < 5 && p[3 * i + 2] != ':'))
			return false;
		mac[i] = (uint8_t)(h << 4 | l);
	}
	return true;
}

/* mgrid2: a number 0-255 (one octet), a UUID, or a string of <= 16 octets. */
static bool mgrid_parse(const struct clif_str *s, uint8_t out[EVBD_MGRID_LEN])
{
	uint64_t n;
	memset(out, 0, EVBD_MGRID_LEN);
	if (num(s, 255, &n)) {
		out[0] = (uint8_t)n;
		return true;
	}
	if (s->n > EVBD_MGRID_LEN)
		return uuid_parse(s, out);
	if (!s->n || memchr(s->p, 0, s->n))
		return false;
	memcpy(out, s->p, s->n);
	return true;
}

/* VID[-MAC[-GID]] or VID--GID; VID carries PS and PCP in its top 4 bits. */
static bool filter_parse(const struct clif_str *s, struct evbd_vsi_filter *f, uint8_t *fif)
{
	const char *d1 = memchr(s->p, '-', s->n);
	size_t n1 = d1 ? (size_t)(d1 - s->p) : s->n;
	uint64_t w, gid = 0;
	struct clif_str vid = {s->p, n1};
	*f = (struct evbd_vsi_filter){0};
	if (!num(&vid, 0xffff, &w) || (w & EVBD_PSPCPVID_VID) > EVBD_VID_MAX)
		return false;
	f->vid = w & EVBD_PSPCPVID_VID;
	f->pcp = (uint8_t)((w & EVBD_PSPCPVID_PCP) >> 12);
	f->ps = w & EVBD_PSPCPVID_PS;
	if (!d1) {
		*fif = EVBD_FIF_VID;
		return true;
	}
	const char *rest = d1 + 1, *end = s->p + s->n;
	if (rest < end && *rest == '-') { /* VID--GID */
		struct clif_str g = {rest + 1, (size_t)(end - rest - 1)};
		if (!num(&g, 0xffffffffu, &gid))
			return false;
		f->group_id = (uint32_t)gid;
		*fif = EVBD_FIF_GROUPVID;
		return true;
	}
	size_t left = rest < end ? (size_t)(end - rest) : 0;
	const char *d2 = left ? memchr(rest, '-', left) : NULL;
	if (!mac_parse(rest, (size_t)((d2 ? d2 : end) - rest), f->mac))
		return false;
	if (!d2) {
		*fif = EVBD_FIF_MACVID;
		return true;
	}
	struct clif_str g = {d2 + 1, (size_t)(end - d2 - 1)};
	if (!num(&g, 0xffffffffu, &gid))
		return false;
	f->group_id = (uint32_t)gid;
	*fif = EVBD_FIF_GROUPMACVID;
	return true;
}

static bool mode_parse(const struct clif_str *s, uint8_t *mode)
{
	for (uint8_t m = EVBD_VDP_PREASSOC; m <= EVBD_VDP_DEASSOC; m++)
		if (str_is(s, mode_names[m])) {
			*mode = m;
			return true;
		}
	return false;
}

static bool hints_parse(const struct clif_str *s, uint8_t *h)
{
	if (str_is(s, "none") || str_is(s, "0"))
		*h = 0;
	else if (str_is(s, "to"))
		*h = EVBD_VDP_STATUS_MBIT;
	else if (str_is(s, "from"))
		*h = EVBD_VDP_STATUS_SBIT;
	else
		return false;
	return true;
}

static bool add_filter(struct clif_vsi *v, const struct clif_str *s)
{
	uint8_t fif;
	if (v->nfilters == EVBD_VSI_FILTERS_MAX || !filter_parse(s, &v->f[v->nfilters], &fif))
		return false;
	if (v->nfilters && fif != v->filter_format)
		return false; /* one format per VSI (41.2.8) */
	v->filter_format = fif;
	v->nfilters++;
	return true;
}

/* Keep the OUI argument as it came, to print it back. */
static bool add_oui(struct clif_vsi *v, const struct clif_arg *a)
{
	int n = snprintf(v->oui + v->oui_len, sizeof(v->oui) - v->oui_len, "03oui%04zx%.*s",
			 a->val.n, (int)a->val.n, a->val.p);
	if (n < 0 || (size_t)n >= sizeof(v->oui) - v->oui_len)
		return false;
	v->oui_len += (size_t)n;
	return true;
}

static bool vsi_arg(struct clif_vsi *v, const struct clif_arg *a)
{
	const struct clif_str *k = &a->key, *s = &a->val;
	uint64_t n = 0;
	if (!s->p)
		return false;
	if (str_is(k, "mode")) {
		v->seen |= CLIF_VK_MODE;
		return mode_parse(s, &v->mode);
	}
	if (str_is(k, "mgrid2")) {
		v->seen |= CLIF_VK_MGRID;
		return mgrid_parse(s, v->mgrid);
	}
	if (str_is(k, "typeid")) {
		v->seen |= CLIF_VK_TYPEID;
		bool ok = num(s, 0xffffff, &n);
		v->type_id = (uint32_t)n;
		return ok;
	}
	if (str_is(k, "typeidver")) {
		v->seen |= CLIF_VK_TYPEVER;
		bool ok = num(s, 0xff, &n);
		v->type_version = (uint8_t)n;
		return ok;
	}
	if (str_is(k, "uuid")) {
		v->seen |= CLIF_VK_UUID;
		return uuid_parse(s, v->uuid);
	}
	if (str_is(k, "hints")) {
		v->seen |= CLIF_VK_HINTS;
		return hints_parse(s, &v->hints);
	}
	if (str_is(k, "filter")) {
		v->seen |= CLIF_VK_FILTER;
		return add_filter(v, s);
	}
	if (str_is(k, "oui")) {
		v->seen |= CLIF_VK_OUI;
		return add_oui(v, a);
	}
	return false;
}

/* liblldp_clif's clif_vsi() form (liblldp_clif(3)): one argument "vsi",
 * "MODE,MGRID,TYPEID,TYPEIDVER,UUID,HINTS,FILTER[,FILTER...]". */
static bool vsi_commas(struct clif_vsi *v, const struct clif_str *s)
{
	static const char *const keys[] = {"mode",	"mgrid2", "typeid",
					   "typeidver", "uuid",	  "hints"};
	const char *p = s->p, *end = s->p + s->n;
	unsigned field = 0;
	if (!p)
		return false;
	for (;;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *stop = comma ? comma : end;
		const char *key = field < 6 ? keys[field] : "filter";
		struct clif_arg a = {{key, strlen(key)}, {p, (size_t)(stop - p)}};
		if (!vsi_arg(v, &a))
			return false;
		field++;
		if (!comma)
			break;
		p = comma + 1;
	}
	return field >= 7;
}

int clif_vsi_parse(const struct clif_req *r, struct clif_vsi *v, const char **why)
{
	memset(v, 0, offsetof(struct clif_vsi, f));
	v->oui_len = 0;
	v->oui[0] = 0;
	for (unsigned i = 0; i < r->nargs; i++)
		if (str_is(&r->args[i].key, "vsi") ? !vsi_commas(v, &r->args[i].val)
						   : !vsi_arg(v, &r->args[i])) {
			*why = "an argument is unknown or its value is not valid";
			return CLIF_BAD_PARAMS;
		}
	return CLIF_OK;
}

/* ---------------- printing ---------------- */

void clif_put(struct clif_buf *b, const char *fmt, ...)
{
	va_list ap;
	if (b->over)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->cap - b->len) {
		b->over = true;
		b->p[b->len] = 0;
		return;
	}
	b->len += (size_t)n;
}

static void put_kv(struct clif_buf *b, const char *key, const char *val)
{
	clif_put(b, "%02zx%s%04zx%s", strlen(key), key, strlen(val), val);
}

static void uuid_str(const uint8_t *u, char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
		 u[13], u[14], u[15]);
}

/* As lldpad: one octet as a number, a string as it is; evbd prints a
 * manager ID that is no text (a UUID) as a UUID. */
static void mgrid_str(const uint8_t *m, char out[37])
{
	size_t n = 0;
	bool text = true, rest_zero = true;
	for (int i = 1; i < EVBD_MGRID_LEN; i++)
		rest_zero &= !m[i];
	if (rest_zero) {
		snprintf(out, 37, "%u", m[0]);
		return;
	}
	while (n < EVBD_MGRID_LEN && m[n])
		n++;
	for (size_t i = 0; i < EVBD_MGRID_LEN; i++)
		text &= i < n ? isprint(m[i]) != 0 : !m[i];
	if (!text) {
		uuid_str(m, out);
		return;
	}
	memcpy(out, m, n);
	out[n] = 0;
}

static void filter_str(const struct evbd_vsi_filter *f, uint8_t fif, char *out, size_t cap)
{
	unsigned w = (f->ps ? EVBD_PSPCPVID_PS : 0) | (unsigned)(f->pcp & 7) << 12 | f->vid;
	int n = snprintf(out, cap, "%u", w);
	if (fif == EVBD_FIF_MACVID || fif == EVBD_FIF_GROUPMACVID)
		n += snprintf(out + n, cap - (size_t)n, "-%02x:%02x:%02x:%02x:%02x:%02x", f->mac[0],
			      f->mac[1], f->mac[2], f->mac[3], f->mac[4], f->mac[5]);
	if (fif == EVBD_FIF_GROUPVID || fif == EVBD_FIF_GROUPMACVID)
		snprintf(out + n, cap - (size_t)n, "-%s%u", fif == EVBD_FIF_GROUPVID ? "-" : "",
			 f->group_id);
}

void clif_vsi_put(struct clif_buf *b, const struct evbd_vsi_view *v, uint8_t mode,
		  unsigned response, const char *oui, size_t oui_len)
{
	char s[64], body[CLIF_MSG_MAX];
	struct clif_buf in = {body, sizeof(body), 0, false};
	const char *m = clif_mode_name(mode);
	put_kv(&in, "mode", m ? m : "deassoc");
	mgrid_str(v->mgrid, s);
	put_kv(&in, "mgrid2", s);
	snprintf(s, sizeof(s), "%u", v->type_id);
	put_kv(&in, "typeid", s);
	snprintf(s, sizeof(s), "%u", v->type_version);
	put_kv(&in, "typeidver", s);
	uuid_str(v->key.id, s);
	put_kv(&in, "uuid", s);
	snprintf(s, sizeof(s), "%u", response);
	put_kv(&in, "hints", s);
	for (uint16_t i = 0; i < v->nfilters && v->filters; i++) {
		filter_str(&v->filters[i], v->filter_format, s, sizeof(s));
		put_kv(&in, "filter", s);
	}
	if (oui_len)
		clif_put(&in, "%.*s", (int)oui_len, oui);
	if (in.over) {
		b->over = true;
		return;
	}
	clif_put(b, "%04zx%s", in.len, body);
}

bool clif_vsi_match(const struct clif_vsi *q, const struct evbd_vsi_view *v)
{
	if ((q->seen & CLIF_VK_UUID) &&
	    (v->key.format != EVBD_VSIID_UUID || memcmp(q->uuid, v->key.id, EVBD_VSIID_LEN)))
		return false;
	if ((q->seen & CLIF_VK_MGRID) && memcmp(q->mgrid, v->mgrid, EVBD_MGRID_LEN))
		return false;
	if ((q->seen & CLIF_VK_TYPEID) && q->type_id != v->type_id)
		return false;
	if ((q->seen & CLIF_VK_TYPEVER) && q->type_version != v->type_version)
		return false;
	if (q->seen & CLIF_VK_FILTER) {
		if (q->filter_format != v->filter_format || q->nfilters != v->nfilters)
			return false;
		for (uint16_t i = 0; i < q->nfilters; i++)
			if (q->f[i].vid != v->filters[i].vid ||
			    memcmp(q->f[i].mac, v->filters[i].mac, 6) ||
			    q->f[i].group_id != v->filters[i].group_id)
				return false;
	}
	return true;
}
