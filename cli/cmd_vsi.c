/* SPDX-License-Identifier: ISC */
/*
 * cmd_vsi.c - `evbctl vsi`: associate, preassociate, preassociate-rr and
 * deassociate VSIs on a station port through evbd (optionally waiting for the
 * bridge's answer), and list the VSIs of every port.  Owns the argument
 * grammar (keywords in any order; filters as [group G] [mac MAC] vlan VID
 * [pcp P], repeated), the request encoding, and the VSI rendering (one table
 * row per VSI in text, an object per VSI in JSON).
 */
#include "commands.h"
#include "mgrid.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vdp/bytes.h"
#include "vdp/evb.h"
#include "vdp/vdp_sm.h"

#define F_GROUP 0x01
#define F_MAC	0x02
#define F_VLAN	0x04
#define F_PCP	0x08

#define WAIT_MAX_S 86400

static const char vsi_help[] =
    "  associate dev IF type ID version V (uuid UUID | vsiid FORMAT:VALUE) FILTER...\n"
    "            [mgrid ID] [hints none|migrate-to|migrate-from] [wait [SECONDS]]\n"
    "  preassociate ...      same arguments as associate\n"
    "  preassociate-rr ...   same, asking for reflective relay\n"
    "  deassociate dev IF (uuid UUID | vsiid FORMAT:VALUE) [wait [SECONDS]]\n"
    "  list [dev IF]         the VSIs of every port (or of one)\n"
    "  where (uuid UUID | vsiid FORMAT:VALUE)   the switch(es) and port(s) of the fleet\n"
    "                        holding the VSI (a [cluster] evbd; see 'evbctl help fleet')\n"
    "  show (uuid UUID | vsiid FORMAT:VALUE) [dev IF]\n"
    "                        one VSI: its state on each port and the events evbd\n"
    "                        remembers of it (requests, answers, timeouts; the\n"
    "                        daemon keeps its last 4096 events in all)\n"
    "\n"
    "  FILTER      [group G] [mac MAC] vlan VID [pcp P]; repeat for several filters,\n"
    "              all of one kind: vlan only, mac+vlan, group+vlan or group+mac+vlan;\n"
    "              VID 0 lets the bridge choose\n"
    "  FORMAT      ipv4, ipv6, mac, local or uuid\n"
    "  mgrid ID    VSI manager ID: a number 0-255, a name of up to 16 characters,\n"
    "              or 32 hex digits\n"
    "  wait        return when the bridge has answered (default limit 30 s)\n"
    "\n"
    "Exit status: 0 done, 1 evbd refused the request or is not running, 2 bad\n"
    "arguments, 3 the bridge refused the VSI or did not answer (with `wait`).\n";

/* ---------------- small parsers ---------------- */

/* Strict unsigned number: decimal, or 0x-hex when hex_ok; no sign, no blanks. */
static bool parse_num(const char *s, bool hex_ok, uint64_t max, uint64_t *out)
{
	int base = 10;
	if (!s || !*s)
		return false;
	if (hex_ok && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2]) {
		base = 16;
		s += 2;
	}
	uint64_t v = 0;
	for (; *s; s++) {
		int d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return false;
		if ((uint64_t)d > max || v > (max - (uint64_t)d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*out = v;
	return true;
}

bool cli_parse_num(const char *s, bool hex_ok, uint64_t max, uint64_t *out)
{
	return parse_num(s, hex_ok, max, out);
}

/* xx:xx:xx:xx:xx:xx (or with '-'). */
static bool parse_mac(const char *s, uint8_t mac[6])
{
	return hex_parse(s, mac, 6, ":-", HEX_MAC_SEPS) == 0;
}

int mgrid_parse(const char *s, uint8_t out[VDP_MGRID_LEN])
{
	size_t n = strlen(s);
	uint8_t m[VDP_MGRID_LEN] = {0};
	bool all_hex = n == 2 * VDP_MGRID_LEN, all_dec = n > 0;
	for (size_t i = 0; i < n; i++) {
		all_hex &= hex_digit(s[i]) >= 0;
		all_dec &= s[i] >= '0' && s[i] <= '9';
	}
	if (all_hex) {
		for (size_t i = 0; i < VDP_MGRID_LEN; i++)
			m[i] = (uint8_t)(hex_digit(s[2 * i]) << 4 | hex_digit(s[2 * i + 1]));
	} else if (all_dec) {
		uint64_t v;
		if (!parse_num(s, false, 255, &v))
			return -EINVAL;
		m[0] = (uint8_t)v;
	} else if (n >= 1 && n <= VDP_MGRID_LEN) {
		memcpy(m, s, n);
	} else {
		return -EINVAL;
	}
	memcpy(out, m, VDP_MGRID_LEN);
	return 0;
}

/* ---------------- argument grammar ---------------- */

struct argp {
	int argc;
	char **argv;
	int i;
	char *err;
	size_t errlen;
	const char *sub; /* the sub-command word, for messages */
	uint8_t fl[VDP_MAX_FILTERS];
};

static int usage(struct argp *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int usage(struct argp *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	return EVBCTL_USAGE;
}

/* The value after the keyword at p->i, or NULL at the end. */
static const char *next_value(struct argp *p)
{
	return p->i + 1 < p->argc ? p->argv[++p->i] : NULL;
}

static int bad_value(struct argp *p, const char *kw, const char *what, const char *got)
{
	if (!got)
		return usage(p, "'%s' needs %s, but the command ends there", kw, what);
	return usage(p, "'%s' needs %s, got '%s'", kw, what, got);
}

static int twice(struct argp *p, const char *kw)
{
	return usage(p, "'%s' is given twice in 'vsi %s'", kw, p->sub);
}

static int kw_dev(struct argp *p, struct vsi_args *a)
{
	const char *v = next_value(p);
	if (a->dev[0])
		return twice(p, "dev");
	if (!v || !*v || strlen(v) >= IF_NAMESIZE)
		return bad_value(p, "dev", "an interface name (at most 15 characters)", v);
	snprintf(a->dev, sizeof(a->dev), "%s", v);
	return 0;
}

static int kw_number(struct argp *p, const char *kw, const char *what, bool hex_ok, uint64_t max,
		     uint64_t *out, bool *have)
{
	const char *v = next_value(p);
	if (have && *have)
		return twice(p, kw);
	if (!parse_num(v, hex_ok, max, out))
		return bad_value(p, kw, what, v);
	if (have)
		*have = true;
	return 0;
}

static int kw_uuid(struct argp *p, struct vsi_args *a)
{
	const char *v = next_value(p);
	if (a->have_id)
		return usage(p, "the VSI is given twice ('uuid' and 'vsiid' name one VSI)");
	if (!v || vdp_vsiid_parse(VDP_VSIID_UUID, v, a->key.id))
		return bad_value(p, "uuid", "a UUID like 6e3f1c2a-8d4b-4f0e-9a7c-1b2d3e4f5a6b", v);
	a->key.fmt = VDP_VSIID_UUID;
	a->have_id = true;
	return 0;
}

static int kw_vsiid(struct argp *p, struct vsi_args *a)
{
	static const char *const fmts[] = {[VDP_VSIID_IPV4] = "ipv4",
					   [VDP_VSIID_IPV6] = "ipv6",
					   [VDP_VSIID_MAC] = "mac",
					   [VDP_VSIID_LOCAL] = "local",
					   [VDP_VSIID_UUID] = "uuid"};
	const char *what = "FORMAT:VALUE with FORMAT ipv4, ipv6, mac, local or uuid";
	const char *v = next_value(p);
	if (a->have_id)
		return usage(p, "the VSI is given twice ('uuid' and 'vsiid' name one VSI)");
	const char *colon = v ? strchr(v, ':') : NULL;
	if (!colon)
		return bad_value(p, "vsiid", what, v);
	uint8_t fmt = 0;
	for (uint8_t f = VDP_VSIID_IPV4; f <= VDP_VSIID_UUID; f++)
		if ((size_t)(colon - v) == strlen(fmts[f]) && !strncmp(v, fmts[f], strlen(fmts[f])))
			fmt = f;
	if (!fmt)
		return bad_value(p, "vsiid", what, v);
	if (vdp_vsiid_parse(fmt, colon + 1, a->key.id))
		return usage(p, "'vsiid' got '%s', which is not a valid %s VSIID", v, fmts[fmt]);
	a->key.fmt = fmt;
	a->have_id = true;
	return 0;
}

/* The filter a keyword with `flag` applies to: the current one, or a new one
 * when the current already has any of `ends`. */
static int filter_slot(struct argp *p, struct vsi_args *a, uint8_t flag, uint8_t ends)
{
	if (!a->nfilters || (p->fl[a->nfilters - 1] & ends)) {
		if (a->nfilters >= VDP_MAX_FILTERS)
			return -usage(p, "a VSI has at most %u filters", VDP_MAX_FILTERS);
		p->fl[a->nfilters] = 0;
		memset(&a->filters[a->nfilters], 0, sizeof(a->filters[0]));
		a->nfilters++;
	}
	p->fl[a->nfilters - 1] |= flag;
	return a->nfilters - 1;
}

static int kw_filter(struct argp *p, struct vsi_args *a, const char *kw)
{
	const char *v = next_value(p);
	uint64_t n;
	int i;
	if (!strcmp(kw, "pcp")) {
		if (!a->nfilters || (p->fl[a->nfilters - 1] & (F_VLAN | F_PCP)) != F_VLAN)
			return usage(p,
				     "'pcp' belongs after the 'vlan' of a filter: [group G] [mac "
				     "MAC] vlan VID [pcp P]");
		if (!parse_num(v, false, 7, &n))
			return bad_value(p, "pcp", "a priority from 0 to 7", v);
		i = filter_slot(p, a, F_PCP, 0);
		a->filters[i].pcp = (uint8_t)n;
		a->filters[i].ps = true;
	} else if (!strcmp(kw, "vlan")) {
		if (!parse_num(v, false, VDP_VID_MAX, &n))
			return bad_value(p, "vlan", "a VLAN ID from 0 to 4094", v);
		if ((i = filter_slot(p, a, F_VLAN, F_VLAN)) < 0)
			return -i;
		a->filters[i].vid = (uint16_t)n;
	} else if (!strcmp(kw, "mac")) {
		uint8_t mac[6];
		if (!v || !parse_mac(v, mac))
			return bad_value(p, "mac", "a MAC address like 02:00:00:00:00:01", v);
		if ((i = filter_slot(p, a, F_MAC, F_MAC | F_VLAN)) < 0)
			return -i;
		memcpy(a->filters[i].mac, mac, 6);
	} else {
		if (!parse_num(v, false, UINT32_MAX, &n) || !n)
			return bad_value(p, "group", "a group ID from 1 to 4294967295", v);
		if ((i = filter_slot(p, a, F_GROUP, F_GROUP | F_MAC | F_VLAN)) < 0)
			return -i;
		a->filters[i].group = (uint32_t)n;
	}
	return 0;
}

static int kw_hints(struct argp *p, struct vsi_args *a)
{
	const char *v = next_value(p);
	if (a->have_hints)
		return twice(p, "hints");
	if (v && !strcmp(v, "none"))
		a->hints = 0;
	else if (v && !strcmp(v, "migrate-to"))
		a->hints = VDP_STATUS_MBIT;
	else if (v && !strcmp(v, "migrate-from"))
		a->hints = VDP_STATUS_SBIT;
	else
		return bad_value(p, "hints", "none, migrate-to or migrate-from", v);
	a->have_hints = true;
	return 0;
}

static int kw_mgrid(struct argp *p, struct vsi_args *a)
{
	const char *v = next_value(p);
	if (a->have_mgrid)
		return twice(p, "mgrid");
	if (!v || mgrid_parse(v, a->mgrid))
		return bad_value(p, "mgrid",
				 "a number 0-255, a name of up to 16 characters or 32 hex digits",
				 v);
	a->have_mgrid = true;
	return 0;
}

static int kw_wait(struct argp *p, struct vsi_args *a)
{
	uint64_t s;
	if (a->wait)
		return twice(p, "wait");
	a->wait = true;
	a->wait_ms = IPC_WAIT_TIMEOUT_MS;
	const char *v = p->i + 1 < p->argc ? p->argv[p->i + 1] : NULL;
	if (v && v[0] >= '0' && v[0] <= '9') {
		p->i++;
		if (!parse_num(v, false, WAIT_MAX_S, &s) || !s)
			return bad_value(p, "wait", "a number of seconds from 1 to 86400", v);
		a->wait_ms = (int)s * 1000;
	}
	return 0;
}

/* Which keywords each sub-command takes. */
static bool kw_allowed(int sub, const char *kw)
{
	if (!strcmp(kw, "dev"))
		return true;
	if (sub == VSI_SUB_LIST)
		return false;
	if (sub == VSI_SUB_SHOW)
		return !strcmp(kw, "uuid") || !strcmp(kw, "vsiid");
	if (!strcmp(kw, "uuid") || !strcmp(kw, "vsiid") || !strcmp(kw, "wait"))
		return true;
	return sub != VDP_TLV_DEASSOC;
}

static int one_keyword(struct argp *p, struct vsi_args *a)
{
	const char *kw = p->argv[p->i];
	uint64_t n;
	int rc;
	if (!strcmp(kw, "-h") || !strcmp(kw, "--help") || !strcmp(kw, "help"))
		return EVBCTL_HELP;
	static const char *const known[] = {"dev",   "type", "version", "uuid",	 "vsiid", "mac",
					    "group", "vlan", "pcp",	"mgrid", "hints", "wait"};
	bool is_known = false;
	for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
		is_known |= !strcmp(kw, known[k]);
	if (!is_known || !kw_allowed(a->sub, kw)) {
		if (a->sub == VSI_SUB_LIST)
			return usage(p, "unknown word '%s' in 'vsi list'; it takes only 'dev IF'",
				     kw);
		if (a->sub == VSI_SUB_SHOW)
			return usage(p,
				     "unknown word '%s' in 'vsi show'; it takes uuid or vsiid, and "
				     "dev",
				     kw);
		if (a->sub == VDP_TLV_DEASSOC)
			return usage(
			    p,
			    "unknown word '%s' in 'vsi deassociate'; it takes dev, uuid or "
			    "vsiid, and wait",
			    kw);
		return usage(p,
			     "unknown word '%s' in 'vsi %s'; expected dev, type, version, uuid, "
			     "vsiid, mac, group, vlan, pcp, mgrid, hints or wait",
			     kw, p->sub);
	}
	if (!strcmp(kw, "dev"))
		return kw_dev(p, a);
	if (!strcmp(kw, "type")) {
		rc = kw_number(p, "type", "a VSI type ID from 0 to 16777215", true, 0xffffff, &n,
			       &a->have_type);
		a->type_id = (uint32_t)n;
		return rc;
	}
	if (!strcmp(kw, "version")) {
		rc = kw_number(p, "version", "a VSI type version from 0 to 255", false, 255, &n,
			       &a->have_version);
		a->type_ver = (uint8_t)n;
		return rc;
	}
	if (!strcmp(kw, "uuid"))
		return kw_uuid(p, a);
	if (!strcmp(kw, "vsiid"))
		return kw_vsiid(p, a);
	if (!strcmp(kw, "hints"))
		return kw_hints(p, a);
	if (!strcmp(kw, "mgrid"))
		return kw_mgrid(p, a);
	if (!strcmp(kw, "wait"))
		return kw_wait(p, a);
	return kw_filter(p, a, kw);
}

static const char *filter_kind(uint8_t fl)
{
	switch (fl & (F_GROUP | F_MAC)) {
	case F_GROUP | F_MAC:
		return "group+mac+vlan";
	case F_GROUP:
		return "group+vlan";
	case F_MAC:
		return "mac+vlan";
	}
	return "vlan only";
}

static uint8_t fif_of(uint8_t fl)
{
	switch (fl & (F_GROUP | F_MAC)) {
	case F_GROUP | F_MAC:
		return VDP_FIF_GROUPMACVID;
	case F_GROUP:
		return VDP_FIF_GROUPVID;
	case F_MAC:
		return VDP_FIF_MACVID;
	}
	return VDP_FIF_VID;
}

/* Every filter complete and of one kind. */
static int check_filters(struct argp *p, struct vsi_args *a)
{
	if (!a->nfilters)
		return usage(p,
			     "'vsi %s' needs at least one filter: vlan VID, mac MAC vlan VID, "
			     "group G vlan VID or group G mac MAC vlan VID",
			     p->sub);
	for (unsigned i = 0; i < a->nfilters; i++) {
		if (!(p->fl[i] & F_VLAN))
			return usage(p,
				     "filter %u (%s) has no 'vlan'; each filter is [group G] [mac "
				     "MAC] vlan VID [pcp P], in this order",
				     i + 1, filter_kind(p->fl[i]));
		if (fif_of(p->fl[i]) != fif_of(p->fl[0]))
			return usage(p,
				     "filters mix kinds: filter 1 is %s, filter %u is %s; all "
				     "filters of a VSI must be of one kind",
				     filter_kind(p->fl[0]), i + 1, filter_kind(p->fl[i]));
	}
	a->fif = fif_of(p->fl[0]);
	return 0;
}

static int check_complete(struct argp *p, struct vsi_args *a)
{
	if (a->sub == VSI_SUB_LIST)
		return 0;
	if (a->sub == VSI_SUB_SHOW)
		return a->have_id
			   ? 0
			   : usage(p, "'vsi show' needs 'uuid UUID' or 'vsiid FORMAT:VALUE'");
	if (!a->dev[0])
		return usage(p, "'vsi %s' needs 'dev IF' (the station port)", p->sub);
	if (!a->have_id)
		return usage(p, "'vsi %s' needs 'uuid UUID' or 'vsiid FORMAT:VALUE'", p->sub);
	if (a->sub == VDP_TLV_DEASSOC)
		return 0;
	if (!a->have_type)
		return usage(p, "'vsi %s' needs 'type ID' (the VSI type ID)", p->sub);
	if (!a->have_version)
		return usage(p, "'vsi %s' needs 'version V' (the VSI type version)", p->sub);
	return check_filters(p, a);
}

static int sub_of(const char *w)
{
	static const struct {
		const char *name;
		int sub;
	} subs[] = {{"associate", VDP_TLV_ASSOC},
		    {"preassociate", VDP_TLV_PREASSOC},
		    {"preassociate-rr", VDP_TLV_PREASSOC_RR},
		    {"deassociate", VDP_TLV_DEASSOC},
		    {"list", VSI_SUB_LIST},
		    {"show", VSI_SUB_SHOW}};
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(w, subs[i].name))
			return subs[i].sub;
	return -1;
}

int vsi_parse(int argc, char **argv, struct vsi_args *a, char *err, size_t errlen)
{
	struct argp p = {.argc = argc, .argv = argv, .err = err, .errlen = errlen};
	memset(a, 0, sizeof(*a));
	if (argc < 1)
		return usage(&p, "'vsi' needs a sub-command: associate, preassociate, "
				 "preassociate-rr, deassociate, list or show");
	if (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help") || !strcmp(argv[0], "help"))
		return EVBCTL_HELP;
	a->sub = sub_of(argv[0]);
	if (a->sub < 0)
		return usage(&p,
			     "unknown sub-command 'vsi %s'; expected associate, preassociate, "
			     "preassociate-rr, deassociate, list or show",
			     argv[0]);
	p.sub = argv[0];
	for (p.i = 1; p.i < argc; p.i++) {
		int rc = one_keyword(&p, a);
		if (rc)
			return rc;
	}
	return check_complete(&p, a);
}

/* ---------------- request ---------------- */

/* `vsi show`: the VSI itself (VSI_GET) or its history (HISTORY_GET). */
static struct nlmsghdr *show_build(const struct vsi_args *a, void *buf, uint16_t type)
{
	struct ipc_msg m;
	ipc_req(&m, buf, type, NLM_F_DUMP, 0);
	if (a->dev[0])
		ipc_put_str(&m, EVB_A_IFNAME, a->dev);
	ipc_put_u8(&m, EVB_A_VSIID_FMT, a->key.fmt);
	ipc_put(&m, EVB_A_VSIID, VDP_VSIID_LEN, a->key.id);
	return m.nlh;
}

struct nlmsghdr *vsi_build(const struct vsi_args *a, void *buf)
{
	bool list = a->sub == VSI_SUB_LIST;
	struct ipc_msg m;
	if (a->sub == VSI_SUB_SHOW)
		return show_build(a, buf, EVB_MSG_VSI_GET);
	ipc_req(&m, buf, list ? EVB_MSG_VSI_GET : EVB_MSG_VSI_CMD, list ? NLM_F_DUMP : 0,
		a->wait ? EVB_F_WAIT : 0);
	if (list) {
		if (a->dev[0])
			ipc_put_str(&m, EVB_A_IFNAME, a->dev);
		return m.nlh;
	}
	struct vdp_request r = {.type = (uint8_t)a->sub,
				.hints = a->hints,
				.type_id = a->type_id,
				.type_ver = a->type_ver,
				.key = a->key,
				.fif = a->fif,
				.nfilters = a->nfilters,
				.filters = a->filters};
	memcpy(r.mgrid, a->mgrid, sizeof(r.mgrid));
	ipc_put_vsi_request(&m, a->dev, &r);
	return m.nlh;
}

int vsi_timeout_ms(const struct vsi_args *a)
{
	return a->wait ? a->wait_ms : IPC_TIMEOUT_MS;
}

/* ---------------- rendering ---------------- */

static const char *hints_word(uint8_t h)
{
	return h & VDP_STATUS_MBIT ? "migrate-to" : h & VDP_STATUS_SBIT ? "migrate-from" : "none";
}

static void mac_str(const uint8_t *m, char *buf, size_t cap)
{
	snprintf(buf, cap, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static bool fif_has_mac(uint8_t fif)
{
	return fif == VDP_FIF_MACVID || fif == VDP_FIF_GROUPMACVID;
}

static bool fif_has_group(uint8_t fif)
{
	return fif == VDP_FIF_GROUPVID || fif == VDP_FIF_GROUPMACVID;
}

/* Append to buf, clamped to its size. */
static void app(char *buf, size_t cap, size_t *o, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void app(char *buf, size_t cap, size_t *o, const char *fmt, ...)
{
	if (*o >= cap - 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + *o, cap - *o, fmt, ap);
	va_end(ap);
	*o = n < 0 ? *o : *o + (size_t)n > cap - 1 ? cap - 1 : *o + (size_t)n;
}

/* Text of all filters: "mac M vlan V pcp P, vlan W". */
static void filters_text(const struct ipc_vsi *v, char *buf, size_t cap)
{
	size_t o = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < v->nfilters; i++) {
		const struct vdp_filter *f = &v->filters[i];
		char mac[18];
		mac_str(f->mac, mac, sizeof(mac));
		app(buf, cap, &o, "%s", i ? ", " : "");
		if (fif_has_group(v->fif))
			app(buf, cap, &o, "group %u ", f->group);
		if (fif_has_mac(v->fif))
			app(buf, cap, &o, "mac %s ", mac);
		app(buf, cap, &o, "vlan %u", f->vid);
		if (f->ps)
			app(buf, cap, &o, " pcp %u", f->pcp);
	}
}

static void filters_json(struct writer *w, const struct ipc_vsi *v)
{
	writer_begin_list(w, "filters");
	for (unsigned i = 0; i < v->nfilters; i++) {
		const struct vdp_filter *f = &v->filters[i];
		char mac[18];
		writer_begin_object(w, NULL);
		if (fif_has_mac(v->fif)) {
			mac_str(f->mac, mac, sizeof(mac));
			writer_str(w, "mac", mac);
		}
		writer_uint(w, "vid", f->vid);
		if (f->ps)
			writer_uint(w, "pcp", f->pcp);
		if (fif_has_group(v->fif))
			writer_uint(w, "group", f->group);
		writer_end_object(w);
	}
	writer_end_list(w);
}

/* What a VSI shows besides its members. */
struct vsi_view {
	char id[64];
	char key[80]; /* as typed: bare UUID or format:value */
	char mgrid[40];
	const char *state, *machine;
};

static void vsi_view(const struct ipc_vsi *v, struct vsi_view *vw)
{
	vdp_vsiid_str(v->key.fmt, v->key.id, vw->id, sizeof(vw->id));
	if (v->key.fmt == VDP_VSIID_UUID)
		snprintf(vw->key, sizeof(vw->key), "%s", vw->id);
	else
		snprintf(vw->key, sizeof(vw->key), "%s:%s", vdp_vsiid_fmt_name(v->key.fmt), vw->id);
	mgrid_str(v->mgrid, vw->mgrid, sizeof(vw->mgrid));
	vw->state = vsi_result_name(v->result);
	vw->machine =
	    v->role == EVB_ROLE_BRIDGE ? vdp_br_state_name(v->state) : vdp_st_state_name(v->state);
}

static void render_text(struct writer *w, const struct ipc_vsi *v, const struct vsi_view *vw)
{
	static char filters[16384];
	filters_text(v, filters, sizeof(filters));
	writer_fmt(w, vw->key,
		   "dev %s  state %s  type %u version %u  mgrid %s  filters %s  reason %u (%s)  "
		   "machine %s",
		   v->ifname, vw->state, v->type_id, v->type_ver, vw->mgrid,
		   v->nfilters ? filters : "none", v->reason, vdp_reason_name(v->reason),
		   vw->machine);
}

static void render_json(struct writer *w, const struct ipc_vsi *v, const struct vsi_view *vw)
{
	writer_begin_object(w, NULL);
	writer_str(w, "dev", v->ifname);
	writer_str(w, "role", v->role == EVB_ROLE_BRIDGE ? "bridge" : "station");
	writer_enum(w, "vsiid_format", v->key.fmt, vdp_vsiid_fmt_name(v->key.fmt));
	writer_str(w, "vsiid", vw->id);
	writer_uint(w, "type_id", v->type_id);
	writer_uint(w, "type_version", v->type_ver);
	writer_str(w, "mgrid", vw->mgrid);
	writer_hex(w, "mgrid_hex", v->mgrid, VDP_MGRID_LEN);
	writer_str(w, "state", vw->state);
	writer_enum(w, "reason", v->reason, vdp_reason_name(v->reason));
	filters_json(w, v);
	writer_str(w, "machine_state", vw->machine);
	writer_str(w, "command", vdp_cmd_word(v->cmd));
	writer_str(w, "confirmed", vdp_cmd_word(v->confirmed));
	writer_str(w, "hints", hints_word(v->hints));
	writer_uint(w, "status", v->status);
	if (v->has_age)
		writer_uint(w, "age_ms", v->age_us / 1000);
	writer_end_object(w);
}

int vsi_render(struct writer *w, const struct ipc_attrs *a)
{
	static struct vdp_filter filt[VDP_MAX_FILTERS];
	struct ipc_vsi v;
	struct vsi_view vw;
	if (ipc_get_vsi(a, &v, filt, NULL, 0))
		return -EBADMSG;
	vsi_view(&v, &vw);
	if (writer_format(w) == WRITER_JSON)
		render_json(w, &v, &vw);
	else
		render_text(w, &v, &vw);
	return 0;
}

/* ---------------- running ---------------- */

int status_of_errno(int err, bool wait)
{
	if (!err)
		return EVBCTL_OK;
	if (wait && (err == ECONNREFUSED || err == ETIMEDOUT))
		return EVBCTL_REFUSED;
	return EVBCTL_FAIL;
}

struct render_ctx {
	struct writer *w;
	bool list; /* VSI items; else the RESULT's VSI */
	unsigned shown;
	bool bad;
};

static void render_msg(const struct nlmsghdr *nlh, void *data)
{
	struct render_ctx *r = data;
	uint16_t want = r->list ? EVB_MSG_VSI : EVB_MSG_RESULT;
	if (nlh->nlmsg_type != want && nlh->nlmsg_type != EVB_MSG_EVENT)
		return;
	struct ipc_attrs *a = malloc(sizeof(*a));
	if (!a || ipc_parse_answer(nlh, a)) {
		r->bad = true;
		free(a);
		return;
	}
	if (nlh->nlmsg_type == EVB_MSG_EVENT) {
		struct ipc_event e;
		if (ipc_get_event(a, &e, NULL, 0))
			r->bad = true;
		else
			event_render(r->w, NULL, &e), r->shown++;
		free(a);
		return;
	}
	/* A RESULT shows its VSI when it carries one with a state. */
	if (r->list || (a->tb[EVB_A_VSIID] && a->tb[EVB_A_RESULT])) {
		if (vsi_render(r->w, a))
			r->bad = true;
		else
			r->shown++;
	}
	free(a);
}

/* One dump of `vsi show` into the list `key`: 0, or an exit status. */
static int show_part(struct writer *w, struct ipc_client *c, const struct vsi_args *a,
		     uint16_t type, const char *key, unsigned *shown)
{
	static uint8_t buf[EVBD_IPC_MAX_MSG];
	struct render_ctx r = {.w = w, .list = true};
	const char *msg;
	writer_begin_list(w, key);
	int rc = ipc_client_call(c, show_build(a, buf, type), IPC_TIMEOUT_MS, render_msg, &r, &msg);
	writer_end_list(w);
	*shown += r.shown;
	if (rc < 0)
		fprintf(stderr, "evbctl vsi: %s\n", ipc_client_error(c));
	else if (r.bad)
		fprintf(stderr, "evbctl vsi: evbd sent a malformed VSI or event\n");
	else if (rc > 0)
		fprintf(stderr, "evbctl vsi: %s\n", *msg ? msg : strerror(rc));
	return rc || r.bad ? EVBCTL_FAIL : EVBCTL_OK;
}

/* `vsi show`: {"current": [the VSI on each port], "history": [events]}. */
static int show_exec(struct writer *w, struct ipc_client *c, const struct vsi_args *a)
{
	unsigned shown = 0;
	writer_begin_object(w, NULL);
	int rc = show_part(w, c, a, EVB_MSG_VSI_GET, "current", &shown);
	if (!rc)
		rc = show_part(w, c, a, EVB_MSG_HISTORY_GET, "history", &shown);
	writer_end_object(w);
	if (!rc && !shown) {
		char id[64];
		vdp_vsiid_str(a->key.fmt, a->key.id, id, sizeof(id));
		fprintf(stderr,
			"evbctl vsi: VSI %s:%s is on no port%s%s, and evbd remembers no event of "
			"it\n",
			vdp_vsiid_fmt_name(a->key.fmt), id, a->dev[0] ? " named " : "", a->dev);
		rc = EVBCTL_FAIL;
	}
	return rc;
}

int vsi_exec(struct writer *w, struct ipc_client *c, const struct vsi_args *a)
{
	if (a->sub == VSI_SUB_SHOW)
		return show_exec(w, c, a);
	static uint8_t buf[EVBD_IPC_MAX_MSG];
	struct nlmsghdr *nlh = vsi_build(a, buf);
	struct render_ctx r = {.w = w, .list = a->sub == VSI_SUB_LIST};
	const char *msg;
	bool json = writer_format(w) == WRITER_JSON;
	if (r.list && json)
		writer_begin_list(w, NULL);
	int rc = ipc_client_call(c, nlh, vsi_timeout_ms(a), render_msg, &r, &msg);
	if (r.list && json)
		writer_end_list(w);
	if (rc < 0) {
		fprintf(stderr, "evbctl vsi: %s\n", ipc_client_error(c));
		return EVBCTL_FAIL;
	}
	if (r.bad) {
		fprintf(stderr, "evbctl vsi: evbd sent a malformed VSI description\n");
		return EVBCTL_FAIL;
	}
	if (rc > 0) {
		fprintf(stderr, "evbctl vsi: %s\n", *msg ? msg : strerror(rc));
		return status_of_errno(rc, a->wait);
	}
	return EVBCTL_OK;
}

static int run_vsi(struct writer *w, int argc, char **argv)
{
	static struct vsi_args a;
	char err[512];
	if (argc > 1 && !strcmp(argv[1], "where"))
		return fleet_where(w, argc - 2, argv + 2, "vsi where");
	int rc = vsi_parse(argc - 1, argv + 1, &a, err, sizeof(err));
	if (rc == EVBCTL_HELP)
		return rc;
	if (rc) {
		fprintf(stderr, "evbctl vsi: %s\n", err);
		return rc;
	}
	struct ipc_client *c;
	if (ipc_client_open(&c, err, sizeof(err))) {
		fprintf(stderr, "evbctl vsi: %s\n", err);
		return EVBCTL_FAIL;
	}
	rc = vsi_exec(w, c, &a);
	ipc_client_close(c);
	return rc;
}

const struct evbctl_cmd vsi_cmd = {
    .name = "vsi",
    .synopsis = "associate|preassociate|preassociate-rr|deassociate|list|show|where ARGS...",
    .summary = "request, release and list VSIs through evbd",
    .help = vsi_help,
    .run = run_vsi,
};
