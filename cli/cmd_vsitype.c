/* SPDX-License-Identifier: ISC */
/*
 * cmd_vsitype.c - `evbctl vsitype`: the bridge's VSI type database in evbd
 * (add, del, show, list, import).  Owns the argument grammar, the JSON
 * import -- the format `evbctl -j vsitype list` prints, so an export
 * imports back unchanged -- the request encoding, and the rendering of
 * entries (one line per type in text, an object per type in JSON).
 */
#include "commands.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "vdp/vidset.h"

static const char vsitype_help[] =
    "  add KEY vlans LIST [assign-vlan VID] [formats F,...] [max-per-port N]\n"
    "          [pcp P] [name TEXT]    add a type, or replace the entry of KEY\n"
    "  del KEY [deassociate]          remove it; `deassociate` also ends the VSIs\n"
    "                                 holding it on every port now\n"
    "  show KEY                       one entry\n"
    "  list                           every entry (with -j: the import format)\n"
    "  import FILE|- [replace]        add or replace the entries of a JSON file (as\n"
    "                                 `evbctl -j vsitype list` prints); `replace`\n"
    "                                 makes the database exactly the file\n"
    "\n"
    "  KEY           ID version V (ID 0-16777215, or 0x hex; V 0-255), or\n"
    "                `default`: the entry for types without one of their own\n"
    "  LIST          VLAN IDs and ranges: 100-199,300 (or `all`)\n"
    "  assign-vlan   the VLAN given to a station asking for VID 0 (must be in LIST)\n"
    "  formats       allowed filter formats: vid, mac-vid, group-vid,\n"
    "                group-mac-vid (default all)\n"
    "  max-per-port  VSIs of this type on one port (default 0: no limit)\n"
    "  pcp           priority given to the filters (0-7; default none)\n"
    "\n"
    "Bridge ports use the database with `policy = database` in evbd.conf(5).\n"
    "Changes apply to new requests at once; VSIs in force stay.\n"
    "Exit status: 0 done, 1 evbd refused or is not running, 2 bad arguments.\n";

enum vt_sub { VT_ADD, VT_DEL, VT_SHOW, VT_LIST, VT_IMPORT };

struct vt_args {
	enum vt_sub sub;
	const char *word; /* the sub-command as typed */
	struct vsitype e; /* key (and settings for add) */
	bool have_key, have_version, have_vlans;
	bool deassoc;	  /* del */
	unsigned seen;	  /* add: keywords given (bit = index in add_words) */
	bool replace;	  /* import */
	const char *file; /* import */
};

__attribute__((format(printf, 3, 4))) static int usage(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
	return EVBCTL_USAGE;
}

/* ---------------- small parsers ---------------- */

/* "vid,mac-vid": a bit (1 << format) for each name.  0 on error. */
static uint8_t parse_formats(const char *s)
{
	uint8_t set = 0;
	while (s && *s) {
		size_t n = strcspn(s, ",");
		uint8_t f;
		for (f = VDP_FIF_VID; f <= VDP_FIF_GROUPMACVID; f++)
			if (strlen(vdp_fif_name(f)) == n && !strncmp(s, vdp_fif_name(f), n))
				break;
		if (f > VDP_FIF_GROUPMACVID)
			return 0;
		set |= (uint8_t)(1u << f);
		s += n;
		if (*s == ',' && !*++s)
			return 0; /* trailing comma */
	}
	return set;
}

static void formats_text(uint8_t set, char *buf, size_t cap)
{
	size_t o = 0;
	buf[0] = '\0';
	for (uint8_t f = VDP_FIF_VID; f <= VDP_FIF_GROUPMACVID; f++) {
		if (!(set & 1u << f) || o >= cap)
			continue;
		int n = snprintf(buf + o, cap - o, "%s%s", o ? "," : "", vdp_fif_name(f));
		o += n > 0 ? (size_t)n : 0;
	}
}

static int vlans_arg(const char *v, struct vidset *s, char *err, size_t cap)
{
	const char *what = NULL;
	size_t at = 0;
	if (!v)
		return usage(err, cap, "'vlans' needs a VLAN list like 100-199,300");
	if (vidset_parse(v, s, &what, &at))
		return usage(err, cap, "'vlans %s': %s (at '%s')", v, what, v + at);
	return 0;
}

/* ---------------- argument grammar ---------------- */

struct argp {
	int argc;
	char **argv;
	int i;
	char *err;
	size_t cap;
};

static const char *next_value(struct argp *p)
{
	return p->i + 1 < p->argc ? p->argv[++p->i] : NULL;
}

static int bad_value(struct argp *p, const char *kw, const char *what, const char *got)
{
	if (!got)
		return usage(p->err, p->cap, "'%s' needs %s, but the command ends there", kw, what);
	return usage(p->err, p->cap, "'%s' needs %s, got '%s'", kw, what, got);
}

static int kw_num(struct argp *p, const char *kw, const char *what, uint64_t max, uint64_t *out)
{
	const char *v = next_value(p);
	if (!cli_parse_num(v, false, max, out))
		return bad_value(p, kw, what, v);
	return 0;
}

static const char *const add_words[] = {"vlans", "assign-vlan", "max-per-port",
					"pcp",	 "formats",	"name"};

/* A keyword of `add` given a second time: a usage error. */
static int add_twice(struct argp *p, struct vt_args *a, const char *kw)
{
	for (unsigned i = 0; i < sizeof(add_words) / sizeof(add_words[0]); i++) {
		if (strcmp(kw, add_words[i]))
			continue;
		if (a->seen & 1u << i)
			return usage(p->err, p->cap, "'%s' is given twice in 'vsitype add'", kw);
		a->seen |= 1u << i;
	}
	return 0;
}

/* The keywords of `add` after the key. */
static int kw_add(struct argp *p, struct vt_args *a, const char *kw)
{
	struct vsitype *e = &a->e;
	const char *v;
	uint64_t n;
	int rc = add_twice(p, a, kw);

	if (rc)
		return rc;

	if (!strcmp(kw, "vlans")) {
		a->have_vlans = true;
		return vlans_arg(next_value(p), &e->vids, p->err, p->cap);
	}
	if (!strcmp(kw, "assign-vlan")) {
		rc = kw_num(p, kw, "a VLAN ID from 1 to 4094", VDP_VID_MAX, &n);
		e->assign_vid = (uint16_t)n;
		return rc ? rc : n ? 0 : bad_value(p, kw, "a VLAN ID from 1 to 4094", "0");
	}
	if (!strcmp(kw, "max-per-port")) {
		rc = kw_num(p, kw, "a number of VSIs (0: no limit)", UINT32_MAX, &n);
		e->max_per_port = (uint32_t)n;
		return rc;
	}
	if (!strcmp(kw, "pcp")) {
		rc = kw_num(p, kw, "a priority from 0 to 7", 7, &n);
		e->pcp = (int8_t)n;
		return rc;
	}
	if (!strcmp(kw, "formats")) {
		v = next_value(p);
		if (!(e->formats = parse_formats(v)))
			return bad_value(p, kw,
					 "filter formats from vid, mac-vid, group-vid and "
					 "group-mac-vid, separated by commas",
					 v);
		return 0;
	}
	if (!strcmp(kw, "name")) {
		v = next_value(p);
		if (!v || strlen(v) >= EVB_VSITYPE_NAME_MAX)
			return bad_value(p, kw, "a name of at most 63 characters", v);
		snprintf(e->name, sizeof(e->name), "%s", v);
		return 0;
	}
	return usage(p->err, p->cap,
		     "unknown word '%s' in 'vsitype add'; expected version, vlans, assign-vlan, "
		     "formats, max-per-port, pcp or name",
		     kw);
}

static int one_keyword(struct argp *p, struct vt_args *a)
{
	const char *kw = p->argv[p->i];
	uint64_t n;

	if (!strcmp(kw, "-h") || !strcmp(kw, "--help") || !strcmp(kw, "help"))
		return EVBCTL_HELP;
	if (!strcmp(kw, "version") && a->e.id == EVB_VSITYPE_DEFAULT)
		return usage(p->err, p->cap, "the default entry has no version");
	if (!strcmp(kw, "version")) {
		if (a->have_version)
			return usage(p->err, p->cap, "'version' is given twice");
		int rc = kw_num(p, kw, "a VSI type version from 0 to 255", 255, &n);
		a->e.ver = (uint8_t)n;
		a->have_version = true;
		return rc;
	}
	if (a->sub == VT_DEL && !strcmp(kw, "deassociate")) {
		a->deassoc = true;
		return 0;
	}
	if (a->sub == VT_ADD)
		return kw_add(p, a, kw);
	return usage(p->err, p->cap, "unknown word '%s' in 'vsitype %s'; it takes KEY%s", kw,
		     a->word, a->sub == VT_DEL ? " and deassociate" : "");
}

/* KEY's first word: ID or `default`. */
static int parse_key(struct argp *p, struct vt_args *a)
{
	const char *v = p->i < p->argc ? p->argv[p->i] : NULL;
	uint64_t id;

	if (v && !strcmp(v, "default")) {
		vsitype_init(&a->e, EVB_VSITYPE_DEFAULT, 0);
	} else if (v && cli_parse_num(v, true, EVB_VSITYPE_ID_MAX, &id)) {
		vsitype_init(&a->e, (uint32_t)id, 0);
	} else {
		return usage(p->err, p->cap,
			     "'vsitype %s' needs a VSI type ID (0 to 16777215, or 0x hex) or "
			     "'default'%s%s%s",
			     a->word, v ? ", got '" : "", v ? v : "", v ? "'" : "");
	}
	a->have_key = true;
	return 0;
}

static int parse_import(struct argp *p, struct vt_args *a)
{
	if (p->argc < 2)
		return usage(p->err, p->cap,
			     "'vsitype import' needs a JSON file (or - for standard input)");
	a->file = p->argv[1];
	for (p->i = 2; p->i < p->argc; p->i++) {
		if (strcmp(p->argv[p->i], "replace"))
			return usage(p->err, p->cap,
				     "unknown word '%s' in 'vsitype import'; it takes FILE and "
				     "replace",
				     p->argv[p->i]);
		a->replace = true;
	}
	return 0;
}

static int check_complete(struct argp *p, struct vt_args *a)
{
	if (a->e.id != EVB_VSITYPE_DEFAULT && !a->have_version)
		return usage(p->err, p->cap, "'vsitype %s' needs 'version V' after the type ID",
			     a->word);
	if (a->sub == VT_ADD && !a->have_vlans)
		return usage(p->err, p->cap,
			     "'vsitype add' needs 'vlans LIST', the VLANs the type may use "
			     "(e.g. 100-199,300)");
	return 0;
}

static int sub_of(const char *w, enum vt_sub *sub)
{
	static const char *const names[] = {[VT_ADD] = "add",
					    [VT_DEL] = "del",
					    [VT_SHOW] = "show",
					    [VT_LIST] = "list",
					    [VT_IMPORT] = "import"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(w, names[i])) {
			*sub = (enum vt_sub)i;
			return 0;
		}
	}
	return -1;
}

/* argv[0] is the sub-command word. */
static int vt_parse(int argc, char **argv, struct vt_args *a, char *err, size_t cap)
{
	struct argp p = {.argc = argc, .argv = argv, .err = err, .cap = cap};
	memset(a, 0, sizeof(*a));
	if (argc < 1)
		return usage(err, cap,
			     "'vsitype' needs a sub-command: add, del, show, list or import");
	if (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help") || !strcmp(argv[0], "help"))
		return EVBCTL_HELP;
	if (sub_of(argv[0], &a->sub))
		return usage(err, cap,
			     "unknown sub-command 'vsitype %s'; expected add, del, show, list or "
			     "import",
			     argv[0]);
	a->word = argv[0];
	if (a->sub == VT_IMPORT)
		return parse_import(&p, a);
	if (a->sub == VT_LIST) {
		if (argc > 1)
			return usage(err, cap, "'vsitype list' takes no arguments, got '%s'",
				     argv[1]);
		return 0;
	}
	p.i = 1;
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		return EVBCTL_HELP;
	int rc = parse_key(&p, a);
	for (p.i = 2; !rc && p.i < argc; p.i++)
		rc = one_keyword(&p, a);
	return rc ? rc : check_complete(&p, a);
}

/* ---------------- JSON import ---------------- */

/* A sentence into err; returns -1. */
__attribute__((format(printf, 3, 4))) static int jfail(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
	return -1;
}

/* "type" and "version" are the names before 0.2 (still read). */
static const char *const json_keys[] = {"type_id", "type_version", "default", "type",
					"version", "name",	   "vlans",   "assign_vlan",
					"formats", "max_per_port", "pcp",     "in_use"};

/* An integer member in 0..max; absent leaves *out.  0 or -1 (sentence). */
static int json_uint(json_t *o, const char *key, uint64_t max, uint64_t *out, char *err, size_t cap)
{
	json_t *v = json_object_get(o, key);
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) > max) {
		snprintf(err, cap, "\"%s\" must be a whole number from 0 to %llu", key,
			 (unsigned long long)max);
		return -1;
	}
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

static int json_key_of(json_t *o, struct vsitype *e, char *err, size_t cap)
{
	bool old = !json_object_get(o, "type_id") && json_object_get(o, "type");
	const char *tk = old ? "type" : "type_id", *vk = old ? "version" : "type_version";
	json_t *t = json_object_get(o, tk);
	uint64_t ver = 0;

	if (json_is_true(json_object_get(o, "default")) ||
	    (json_is_string(t) && !strcmp(json_string_value(t), "default"))) {
		vsitype_init(e, EVB_VSITYPE_DEFAULT, 0);
		if (json_object_get(o, vk) || (!old && t))
			return jfail(err, cap, "the default entry has no type_id or type_version");
		return 0;
	}
	if (!json_is_integer(t) || json_integer_value(t) < 0 ||
	    json_integer_value(t) > EVB_VSITYPE_ID_MAX)
		return jfail(err, cap,
			     "\"%s\" must be a VSI type ID from 0 to 16777215 (or \"default\": "
			     "true)",
			     tk);
	if (!json_object_get(o, vk))
		return jfail(err, cap, "\"%s\" is missing", vk);
	if (json_uint(o, vk, 255, &ver, err, cap))
		return -1;
	vsitype_init(e, (uint32_t)json_integer_value(t), (uint8_t)ver);
	return 0;
}

static int json_formats(json_t *o, struct vsitype *e, char *err, size_t cap)
{
	json_t *a = json_object_get(o, "formats"), *f;
	size_t i;
	if (!a)
		return 0;
	if (!json_is_array(a) || !json_array_size(a))
		return jfail(err, cap, "\"formats\" must be a list of format names");
	e->formats = 0;
	json_array_foreach(a, i, f)
	{
		uint8_t bit = json_is_string(f) ? parse_formats(json_string_value(f)) : 0;
		if (!bit || (bit & (bit - 1)))
			return jfail(err, cap,
				     "\"formats\" entry %zu is not one of vid, mac-vid, group-vid "
				     "and group-mac-vid",
				     i + 1);
		e->formats |= bit;
	}
	return 0;
}

static int json_known_keys(json_t *o, char *err, size_t cap)
{
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v)
	{
		size_t k;
		for (k = 0; k < sizeof(json_keys) / sizeof(json_keys[0]); k++)
			if (!strcmp(key, json_keys[k]))
				break;
		if (k == sizeof(json_keys) / sizeof(json_keys[0]))
			return jfail(err, cap,
				     "unknown key \"%s\"; known keys are type_id, type_version, "
				     "default, name, vlans, assign_vlan, formats, max_per_port, "
				     "pcp and in_use",
				     key);
	}
	return 0;
}

static int json_fields(json_t *o, struct vsitype *e, char *err, size_t cap)
{
	json_t *vl = json_object_get(o, "vlans"), *nm = json_object_get(o, "name");
	uint64_t n = 0;
	const char *what = NULL;
	size_t at = 0;

	if (!json_is_string(vl))
		return jfail(err, cap, "\"vlans\" must be a VLAN list like \"100-199,300\"");
	if (vidset_parse(json_string_value(vl), &e->vids, &what, &at))
		return jfail(err, cap, "\"vlans\" \"%s\": %s (at '%s')", json_string_value(vl),
			     what, json_string_value(vl) + at);
	if (nm && (!json_is_string(nm) || strlen(json_string_value(nm)) >= EVB_VSITYPE_NAME_MAX))
		return jfail(err, cap, "\"name\" must be a text of at most 63 characters");
	if (nm)
		snprintf(e->name, sizeof(e->name), "%s", json_string_value(nm));
	if (json_uint(o, "assign_vlan", VDP_VID_MAX, &n, err, cap))
		return -1;
	e->assign_vid = (uint16_t)n;
	n = 0;
	if (json_uint(o, "max_per_port", UINT32_MAX, &n, err, cap))
		return -1;
	e->max_per_port = (uint32_t)n;
	if (json_object_get(o, "pcp")) {
		if (json_uint(o, "pcp", 7, &n, err, cap))
			return -1;
		e->pcp = (int8_t)n;
	}
	return json_formats(o, e, err, cap);
}

/* Entry i of the file. 0, or -1 with a sentence. */
static int json_entry(json_t *o, struct vsitype *e, char *err, size_t cap)
{
	if (!json_is_object(o))
		return jfail(err, cap, "it is not an object");
	if (json_known_keys(o, err, cap) || json_key_of(o, e, err, cap))
		return -1;
	return json_fields(o, e, err, cap);
}

/* The file's entries into *out (malloc'd).  Count, or -1 with a sentence. */
static long load_file(const char *path, struct vsitype **out, char *err, size_t cap)
{
	json_error_t je;
	bool in = !strcmp(path, "-");
	json_t *root = in ? json_loadf(stdin, 0, &je) : json_load_file(path, 0, &je);
	json_t *o;
	size_t i, n;
	const char *name = in ? "standard input" : path;

	*out = NULL;
	if (!root)
		return jfail(err, cap, "cannot read %s: %s (line %d, column %d)", name, je.text,
			     je.line, je.column);
	if (!json_is_array(root)) {
		json_decref(root);
		return jfail(err, cap,
			     "%s must hold a JSON list of VSI types, as 'evbctl -j vsitype list' "
			     "prints",
			     name);
	}
	n = json_array_size(root);
	*out = calloc(n ? n : 1, sizeof(**out));
	if (!*out) {
		json_decref(root);
		return jfail(err, cap, "out of memory");
	}
	json_array_foreach(root, i, o)
	{
		char why[256];
		if (json_entry(o, &(*out)[i], why, sizeof(why))) {
			snprintf(err, cap, "%s: entry %zu: %s", name, i + 1, why);
			json_decref(root);
			free(*out);
			*out = NULL;
			return -1;
		}
	}
	json_decref(root);
	return (long)n;
}

/* ---------------- requests ---------------- */

/* VSITYPE_SET with these entries; NULL when they do not fit one request. */
static struct nlmsghdr *build_set(void *buf, const struct vsitype *e, size_t n, bool replace)
{
	struct ipc_msg m;
	ipc_req(&m, buf, EVB_MSG_VSITYPE_SET, 0, replace ? EVB_F_REPLACE : 0);
	struct nlattr *list = ipc_nest_start(&m, EVB_A_VSITYPES);
	for (size_t i = 0; list && i < n; i++)
		if (!ipc_put_vsitype(&m, EVB_A_VSITYPE, &e[i], false, -1))
			return NULL;
	ipc_nest_end(&m, list);
	return m.full ? NULL : m.nlh;
}

/* ---------------- rendering ---------------- */

/* v, whose VLANs read vlans, and how many VSIs use it when in_use >= 0. */
static void render_json(struct writer *w, const struct vsitype *v, const char *vlans,
			int64_t in_use)
{
	writer_begin_object(w, NULL);
	writer_bool(w, "default", v->id == EVB_VSITYPE_DEFAULT);
	if (v->id != EVB_VSITYPE_DEFAULT) {
		writer_uint(w, "type_id", v->id);
		writer_uint(w, "type_version", v->ver);
	}
	if (v->name[0])
		writer_str(w, "name", v->name);
	writer_str(w, "vlans", vlans);
	writer_uint(w, "assign_vlan", v->assign_vid);
	writer_begin_list(w, "formats");
	for (uint8_t f = VDP_FIF_VID; f <= VDP_FIF_GROUPMACVID; f++)
		if (v->formats & 1u << f)
			writer_str(w, NULL, vdp_fif_name(f));
	writer_end_list(w);
	writer_uint(w, "max_per_port", v->max_per_port);
	if (v->pcp >= 0)
		writer_uint(w, "pcp", (uint64_t)v->pcp);
	if (in_use >= 0)
		writer_uint(w, "in_use", (uint64_t)in_use);
	writer_end_object(w);
}

static void render_text(struct writer *w, const struct vsitype *v, const char *vlans,
			int64_t in_use)
{
	char key[48], fmts[64], assign[16] = "none", max[16] = "none", pcp[16] = "none";
	char use[24] = "";
	if (v->id == EVB_VSITYPE_DEFAULT)
		snprintf(key, sizeof(key), "default");
	else
		snprintf(key, sizeof(key), "type %u version %u", v->id, v->ver);
	formats_text(v->formats, fmts, sizeof(fmts));
	if (v->assign_vid)
		snprintf(assign, sizeof(assign), "%u", v->assign_vid);
	if (v->max_per_port)
		snprintf(max, sizeof(max), "%u", v->max_per_port);
	if (v->pcp >= 0)
		snprintf(pcp, sizeof(pcp), "%d", v->pcp);
	if (in_use >= 0)
		snprintf(use, sizeof(use), "  in-use %u", (uint32_t)in_use);
	writer_fmt(w, key, "%s%s%svlans %s  assign-vlan %s  formats %s  max-per-port %s  pcp %s%s",
		   v->name[0] ? "name " : "", v->name, v->name[0] ? "  " : "", vlans, assign, fmts,
		   max, pcp, use);
}

static int render_entry(struct writer *w, const struct nlattr *nest)
{
	static char vlans[VIDSET_TEXT_MAX];
	static struct vsitype v;
	int64_t in_use;
	if (ipc_get_vsitype(nest, &v, false, &in_use, NULL, 0))
		return -EBADMSG;
	vidset_format(&v.vids, vlans, sizeof(vlans));
	if (writer_format(w) == WRITER_JSON)
		render_json(w, &v, vlans, in_use);
	else
		render_text(w, &v, vlans, in_use);
	return 0;
}

struct vt_ctx {
	struct writer *w;
	bool bad;
	bool have_count;
	uint32_t count;
};

static void vt_msg(const struct nlmsghdr *nlh, void *data)
{
	struct vt_ctx *k = data;
	if (nlh->nlmsg_type != EVB_MSG_VSITYPE && nlh->nlmsg_type != EVB_MSG_RESULT)
		return;
	struct ipc_attrs *a = malloc(sizeof(*a));
	if (!a || ipc_parse_answer(nlh, a)) {
		k->bad = true;
		free(a);
		return;
	}
	if (a->tb[EVB_A_VSITYPE] && render_entry(k->w, a->tb[EVB_A_VSITYPE]))
		k->bad = true;
	if (a->tb[EVB_A_COUNT]) {
		k->have_count = true;
		k->count = ipc_get_u32(a->tb[EVB_A_COUNT], 0);
	}
	free(a);
}

/* ---------------- running ---------------- */

static struct nlmsghdr *build(const struct vt_args *a, void *buf, const struct vsitype *file,
			      size_t nfile)
{
	struct ipc_msg m;
	switch (a->sub) {
	case VT_ADD:
		return build_set(buf, &a->e, 1, false);
	case VT_IMPORT:
		return build_set(buf, file, nfile, a->replace);
	case VT_LIST:
		return ipc_req_start(buf, EVB_MSG_VSITYPE_GET, NLM_F_DUMP, 0);
	case VT_DEL:
		ipc_req(&m, buf, EVB_MSG_VSITYPE_DEL, 0, a->deassoc ? EVB_F_DEASSOC : 0);
		break;
	default:
		ipc_req(&m, buf, EVB_MSG_VSITYPE_GET, 0, 0);
	}
	ipc_put_vsitype(&m, EVB_A_VSITYPE, &a->e, true, -1);
	return m.nlh;
}

static int exchange(struct writer *w, struct ipc_client *c, const struct vt_args *a,
		    struct nlmsghdr *nlh)
{
	struct vt_ctx k = {.w = w};
	const char *msg;
	bool list = a->sub == VT_LIST && writer_format(w) == WRITER_JSON;
	if (list)
		writer_begin_list(w, NULL);
	int rc = ipc_client_call(c, nlh, IPC_TIMEOUT_MS, vt_msg, &k, &msg);
	if (list)
		writer_end_list(w);
	if (rc < 0) {
		fprintf(stderr, "evbctl vsitype: %s\n", ipc_client_error(c));
		return EVBCTL_FAIL;
	}
	if (rc > 0) {
		fprintf(stderr, "evbctl vsitype: %s\n", *msg ? msg : strerror(rc));
		return EVBCTL_FAIL;
	}
	if (k.bad) {
		fprintf(stderr, "evbctl vsitype: evbd sent a malformed VSI type description\n");
		return EVBCTL_FAIL;
	}
	if (a->sub == VT_IMPORT && k.have_count)
		writer_uint(w, "imported", k.count);
	if (a->sub == VT_DEL && a->deassoc && k.have_count)
		writer_uint(w, "deassociated", k.count);
	return EVBCTL_OK;
}

static int run_vsitype(struct writer *w, int argc, char **argv)
{
	static struct vt_args a;
	static uint8_t buf[EVBD_IPC_MAX_MSG];
	struct vsitype *file = NULL;
	long nfile = 0;
	char err[1024];
	int rc = vt_parse(argc - 1, argv + 1, &a, err, sizeof(err));
	if (rc == EVBCTL_HELP)
		return rc;
	if (!rc && a.sub == VT_IMPORT && (nfile = load_file(a.file, &file, err, sizeof(err))) < 0)
		rc = EVBCTL_USAGE;
	if (rc) {
		fprintf(stderr, "evbctl vsitype: %s\n", err);
		return rc;
	}
	struct nlmsghdr *nlh = build(&a, buf, file, (size_t)nfile);
	free(file);
	if (!nlh) {
		fprintf(stderr,
			"evbctl vsitype: the %ld VSI types do not fit in one request to evbd; "
			"split the file and import the parts without 'replace'\n",
			nfile);
		return EVBCTL_USAGE;
	}
	struct ipc_client *c;
	if (ipc_client_open(&c, err, sizeof(err))) {
		fprintf(stderr, "evbctl vsitype: %s\n", err);
		return EVBCTL_FAIL;
	}
	rc = exchange(w, c, &a, nlh);
	ipc_client_close(c);
	return rc;
}

const struct evbctl_cmd vsitype_cmd = {
    .name = "vsitype",
    .synopsis = "add|del|show|list|import ARGS...",
    .summary = "manage the bridge's VSI type database (policy = database)",
    .help = vsitype_help,
    .run = run_vsitype,
};
