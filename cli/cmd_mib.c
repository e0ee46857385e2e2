/* SPDX-License-Identifier: ISC */
/*
 * cmd_mib.c - `evbctl mib walk|get|set`: the IEEE8021-EVB-MIB that evbd
 * serves, over the control socket and without SNMP.  Instances print as
 * snmpwalk prints them ("NAME.INDEX = TYPE: VALUE"), named with the
 * library's tree (mib/evb_mib.h); JSON gives OID, name, type and value.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "ipc_client.h"
#include "mib/evb_mib.h"
#include "vdp/bytes.h"

struct mib_walk {
	struct writer *w;
	const struct mib_tree *t;
	unsigned count;
	bool bad;
};

/* One instance: text "name = TYPE: value", JSON an object. */
static void vb_write(struct mib_walk *mw, const struct mib_oid *o, const struct mib_value *v,
		     int err)
{
	const struct mib_col *c = mib_find_col(mw->t, o, NULL);
	const char *en = c && v->type == MIB_INTEGER && !err ? mib_enum_name(c, v->i) : NULL;
	char name[1024] = "", num[1024] = "", val[128] = "";

	mib_oid_name(mw->t, o, name, sizeof(name));
	mib_oid_format(o->a, o->len, true, num, sizeof(num));
	if (err)
		snprintf(val, sizeof(val), "%s", mib_err_name(err));
	else if (v->type == MIB_OCTETS)
		for (unsigned i = 0, at = 0; i < v->len && at < sizeof(val); i++)
			at += (unsigned)snprintf(val + at, sizeof(val) - at, i ? " %02x" : "%02x",
						 v->s[i]);
	else if (v->type == MIB_INTEGER && en)
		snprintf(val, sizeof(val), "%s(%d)", en, v->i);
	else if (v->type == MIB_INTEGER)
		snprintf(val, sizeof(val), "%d", v->i);
	else
		snprintf(val, sizeof(val), "%u", v->u);
	if (writer_format(mw->w) != WRITER_JSON) {
		if (err)
			printf("%s = %s\n", name, val);
		else
			printf("%s = %s: %s\n", name,
			       v->type == MIB_OCTETS ? "Hex-STRING" : mib_type_name(v->type), val);
		return;
	}
	writer_begin_object(mw->w, NULL);
	writer_str(mw->w, "oid", num);
	writer_str(mw->w, "name", name);
	if (err) {
		writer_str(mw->w, "error", val);
	} else {
		writer_str(mw->w, "syntax", mib_type_name(v->type));
		if (v->type == MIB_OCTETS)
			writer_hex(mw->w, "value_hex", v->s, v->len);
		else if (v->type == MIB_INTEGER)
			writer_int(mw->w, "value", v->i);
		else
			writer_uint(mw->w, "value", v->u);
		if (en)
			writer_str(mw->w, "value_name", en);
	}
	writer_end_object(mw->w);
}

static void on_vb(const struct nlmsghdr *nlh, void *data)
{
	struct mib_walk *mw = data;
	struct ipc_attrs a;
	struct mib_oid o;
	struct mib_value v = {0};
	int err;

	if (nlh->nlmsg_type != EVB_MSG_MIB_VB && nlh->nlmsg_type != EVB_MSG_RESULT)
		return;
	if (ipc_parse_answer(nlh, &a)) {
		mw->bad = true;
		return;
	}
	if (nlh->nlmsg_type == EVB_MSG_RESULT && !a.tb[EVB_A_MIB_OID])
		return; /* an error answer: its sentence is reported by the caller */
	if (ipc_get_varbind(&a, &o, &v, &err, NULL, 0)) {
		mw->bad = true;
		return;
	}
	vb_write(mw, &o, &v, err);
	mw->count++;
}

/* Parse a value for the column: a number, a name of its enumeration
 * ("true"), or hex octets.  0 or -EINVAL. */
static int value_parse(const struct mib_col *c, const char *s, struct mib_value *v)
{
	char *end;

	memset(v, 0, sizeof(*v));
	v->type = c->type;
	if (c->type == MIB_OCTETS) {
		size_t n = strlen(s);

		if (n % 2 || n / 2 > MIB_OCTETS_MAX || hex_parse(s, v->s, n / 2, "", 0))
			return -EINVAL;
		v->len = (uint8_t)(n / 2);
		return 0;
	}
	for (const struct mib_enum *e = c->enums; e && e->name; e++) {
		if (!strcmp(e->name, s)) {
			v->i = e->value;
			return 0;
		}
	}
	errno = 0;
	long long x = strtoll(s, &end, 10);
	long long lo = c->type == MIB_INTEGER ? INT32_MIN : 0;
	long long hi = c->type == MIB_INTEGER ? INT32_MAX : UINT32_MAX;
	if (errno || *end || end == s || x < lo || x > hi)
		return -EINVAL;
	if (c->type == MIB_INTEGER)
		v->i = (int32_t)x;
	else
		v->u = (uint32_t)x;
	return 0;
}

static int resolve(const struct mib_tree *t, const char *what, const char *s, struct mib_oid *o)
{
	int rc = mib_name_parse(t, s, o);

	if (rc)
		fprintf(stderr,
			"evbctl mib %s: '%s' is neither a numeric OID nor a name of the "
			"IEEE8021-EVB-MIB (try `evbctl mib walk` for the names).\n",
			what, s);
	return rc;
}

static struct nlmsghdr *mib_req(void *buf, uint16_t type, uint16_t flags, const struct mib_oid *o,
				const struct mib_value *v)
{
	struct ipc_msg m;

	ipc_req(&m, buf, type, flags, 0);
	ipc_put_oid(&m, o);
	if (v)
		ipc_put_value(&m, v);
	return m.nlh;
}

static int call(const char *what, struct nlmsghdr *nlh, struct mib_walk *mw)
{
	struct ipc_client *c;
	char err[1024];
	const char *msg;
	int rc;

	if (ipc_client_open(&c, err, sizeof(err))) {
		fprintf(stderr, "evbctl mib %s: %s\n", what, err);
		return EVBCTL_FAIL;
	}
	rc = ipc_client_call(c, nlh, IPC_TIMEOUT_MS, on_vb, mw, &msg);
	if (rc < 0)
		fprintf(stderr, "evbctl mib %s: %s\n", what, ipc_client_error(c));
	else if (rc > 0)
		fprintf(stderr, "evbctl mib %s: %s\n", what, *msg ? msg : strerror(rc));
	else if (mw->bad)
		fprintf(stderr, "evbctl mib %s: evbd sent a malformed answer\n", what);
	ipc_client_close(c);
	return rc || mw->bad ? EVBCTL_FAIL : EVBCTL_OK;
}

static int run_mib(struct writer *w, int argc, char **argv)
{
	static uint8_t buf[EVBD_IPC_MAX_MSG];
	static struct mib_evb names;
	static struct mib_oid o;
	struct mib_walk mw = {.w = w, .t = &names.tree};
	const char *sub = argc > 1 ? argv[1] : "";
	struct nlmsghdr *nlh;
	int rc;

	if (argc < 2 || !strcmp(sub, "-h") || !strcmp(sub, "--help"))
		return EVBCTL_HELP;
	if (mib_evb_names(&names)) {
		fprintf(stderr, "evbctl mib: out of memory\n");
		return EVBCTL_FAIL;
	}
	o.len = MIB_EVB_ROOT_LEN;
	memcpy(o.a, mib_evb_root, sizeof(mib_evb_root));
	if (!strcmp(sub, "walk") && argc <= 3) {
		if (argc == 3 && resolve(&names.tree, sub, argv[2], &o))
			return EVBCTL_USAGE;
		nlh = mib_req(buf, EVB_MSG_MIB_GET, NLM_F_DUMP, &o, NULL);
	} else if (!strcmp(sub, "get") && argc == 3) {
		if (resolve(&names.tree, sub, argv[2], &o))
			return EVBCTL_USAGE;
		nlh = mib_req(buf, EVB_MSG_MIB_GET, 0, &o, NULL);
	} else if (!strcmp(sub, "set") && argc == 4) {
		const struct mib_col *c;
		struct mib_value v;

		if (resolve(&names.tree, sub, argv[2], &o))
			return EVBCTL_USAGE;
		c = mib_find_col(&names.tree, &o, NULL);
		if (!c || c->access != MIB_RW) {
			fprintf(stderr, "evbctl mib set: %s is not a writable object of the MIB.\n",
				argv[2]);
			return EVBCTL_USAGE;
		}
		if (value_parse(c, argv[3], &v)) {
			fprintf(stderr, "evbctl mib set: '%s' is not a value for %s (%s).\n",
				argv[3], c->name,
				c->enums ? "one of its named values or a number"
					 : mib_type_name(c->type));
			return EVBCTL_USAGE;
		}
		nlh = mib_req(buf, EVB_MSG_MIB_SET, 0, &o, &v);
	} else {
		return EVBCTL_HELP;
	}
	if (writer_format(w) == WRITER_JSON && strcmp(sub, "set"))
		writer_begin_list(w, NULL);
	rc = call(sub, nlh, &mw);
	if (writer_format(w) == WRITER_JSON && strcmp(sub, "set"))
		writer_end_list(w);
	mib_evb_free(&names);
	return rc;
}

const struct evbctl_cmd mib_cmd = {
    .name = "mib",
    .synopsis = "walk [OID|NAME] | get OID|NAME | set OID|NAME VALUE",
    .summary = "read and write the IEEE8021-EVB-MIB that evbd serves (no SNMP needed)",
    .help = "  walk   every instance under OID or NAME (default: the whole MIB), in OID order\n"
	    "  get    one instance, e.g. ieee8021BridgeEvbSysEcpMaxRetries.0\n"
	    "  set    a writable instance: a number, a named value (true, false) or hex octets\n"
	    "\n"
	    "Names are those of the IEEE8021-EVB-MIB (mib/IEEE8021-EVB-MIB.txt), with the\n"
	    "instance index after a dot: ieee8021BridgeEvbURPLldpManual.1.2 is port 2.\n"
	    "Ports are numbered 1.. in evbd.conf order (component 1).  A set is kept in\n"
	    "evbd's state database and survives restarts; it needs root or the admin group.\n",
    .run = run_mib,
};
