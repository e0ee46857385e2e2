/*
 * ipc_admin.c - the control channel's administrative requests: the VSI type
 * database (evbd/vsitype.h), plugin commands, and the EVB MIB (walk, get,
 * set; evbd/mib.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "evbd/ipc_priv.h"
#include "evbd/log.h"
#include "evbd/mib.h"
#include "evbd/plugin.h"
#include "evbd/policy.h"
#include "evbd/vsitype.h"
#include "mib/evb_mib.h"

/* ---------------- VSI type database ---------------- */

static void put_vsitype(struct nlb *b, struct evbd *d, const struct vsitype *e)
{
	uint32_t in_use = e->id == VSITYPE_DEFAULT ? UINT32_MAX : policy_in_use(d, e->id, e->ver);
	if (!b->full && !vsitype_put_nest(b->nlh, b->cap, EVB_A_VSITYPE, e, in_use))
		b->full = true;
}

/* ---------------- plugin commands ---------------- */

#define PLUGIN_ARGS_MAX 64

/* EVB_A_ARGS: NUL-terminated strings back to back.  argc, or -1. */
static int split_args(const struct nlattr *a, const char **argv)
{
	if (!a)
		return 0;
	const char *p = mnl_attr_get_payload(a);
	size_t len = mnl_attr_get_payload_len(a);
	int argc = 0;
	if (len && p[len - 1])
		return -1;
	for (size_t off = 0; off < len; off += strlen(p + off) + 1) {
		if (argc == PLUGIN_ARGS_MAX)
			return -1;
		argv[argc++] = p + off;
	}
	return argc;
}

void ipc_handle_plugin_cmd(struct req *rq)
{
	struct evbd_ipc *ipc = rq->ipc;
	const char *name =
	    rq->tb[EVB_A_PLUGIN_CMD] ? mnl_attr_get_str(rq->tb[EVB_A_PLUGIN_CMD]) : "";
	const char *argv[PLUGIN_ARGS_MAX + 1] = {0};
	int argc = split_args(rq->tb[EVB_A_ARGS], argv);
	if (argc < 0) {
		ipc_fail(rq, EINVAL,
			 "malformed request: the arguments are not %d NUL-terminated strings "
			 "or fewer",
			 PLUGIN_ARGS_MAX);
		return;
	}
	static char out[IPC_CHUNK];
	bool changes;
	int rc = plugins_command(ipc->d, name, &changes, out, sizeof(out));
	if (rc == -1) {
		char what[80];
		snprintf(what, sizeof(what), "the plugin command '%s'", name);
		if (changes && ipc_authorize(rq, what))
			return;
		rc = plugins_command_run(ipc->d, name, argc, argv, out, sizeof(out));
	}
	if (rc) {
		ipc_fail(rq, rc, "%s", out[0] ? out : strerror(rc));
		return;
	}
	struct nlb b;
	ipc_msg_start(&b, ipc->tbuf, sizeof(ipc->tbuf), EVB_MSG_RESULT, 0, rq->seq);
	ipc_put_u32(&b, EVB_A_ERRNO, 0);
	ipc_put_str(&b, EVB_A_TEXT, out);
	ipc->stats.requests++;
	ipc_send_to(ipc, rq->pid, b.nlh, b.nlh->nlmsg_len);
}

/* A successful RESULT with an entry (e) and/or a count (count >= 0). */
static void answer_vsitype(struct req *rq, const struct vsitype *e, int64_t count)
{
	struct evbd_ipc *ipc = rq->ipc;
	struct nlb b;
	ipc_msg_start(&b, ipc->tbuf, sizeof(ipc->tbuf), EVB_MSG_RESULT, 0, rq->seq);
	ipc_put_u32(&b, EVB_A_ERRNO, 0);
	if (e)
		put_vsitype(&b, ipc->d, e);
	if (count >= 0)
		ipc_put_u32(&b, EVB_A_COUNT, (uint32_t)count);
	ipc->stats.requests++;
	ipc_send_to(ipc, rq->pid, b.nlh, b.nlh->nlmsg_len);
}

/* The entry key in EVB_A_VSITYPE; 0, or -1 after answering. */
static int req_vsitype_key(struct req *rq, struct vsitype *e)
{
	char err[IPC_MSG_MAX / 2];
	if (!rq->tb[EVB_A_VSITYPE]) {
		ipc_fail(rq, EINVAL, "the request names no VSI type (attribute VSITYPE missing)");
		return -1;
	}
	if (vsitype_parse_nest(rq->tb[EVB_A_VSITYPE], e, true, err, sizeof(err))) {
		ipc_fail(rq, EINVAL, "malformed VSI type request: %s", err);
		return -1;
	}
	return 0;
}

/* The entries of EVB_A_VSITYPES into *out (malloc'd); their number, or
 * -1 after answering. */
static long req_vsitype_list(struct req *rq, struct vsitype **out)
{
	const struct nlattr *list = rq->tb[EVB_A_VSITYPES], *a;
	char err[IPC_MSG_MAX / 2];
	size_t n = 0;
	*out = NULL;
	if (!list) {
		ipc_fail(rq, EINVAL,
			 "the request carries no VSI types (attribute VSITYPES missing)");
		return -1;
	}
	mnl_attr_for_each_nested(a, list) n++;
	if (n > VSITYPE_MAX) {
		ipc_fail(rq, ENOSPC, "the request carries %zu VSI types; evbd keeps at most %d", n,
			 VSITYPE_MAX);
		return -1;
	}
	*out = calloc(n ? n : 1, sizeof(**out));
	if (!*out) {
		ipc_fail(rq, ENOMEM,
			 "evbd is out of memory; the VSI type database was not changed");
		return -1;
	}
	n = 0;
	mnl_attr_for_each_nested(a, list)
	{
		if (mnl_attr_get_type(a) != EVB_A_VSITYPE ||
		    vsitype_parse_nest(a, &(*out)[n], false, err, sizeof(err))) {
			ipc_fail(rq, EINVAL, "VSI type entry %zu of the request: %s", n + 1,
				 mnl_attr_get_type(a) != EVB_A_VSITYPE ? "not a VSI type" : err);
			free(*out);
			*out = NULL;
			return -1;
		}
		n++;
	}
	return (long)n;
}

void ipc_handle_vsitype_set(struct req *rq)
{
	struct vsitype *es;
	char err[IPC_MSG_MAX / 2];
	if (ipc_authorize(rq, "changing the VSI type database"))
		return;
	long n = req_vsitype_list(rq, &es);
	if (n < 0)
		return;
	bool all = rq->flags & EVB_F_REPLACE;
	int rc = vsitype_db_apply(rq->ipc->d->types, es, (size_t)n, all, err, sizeof(err));
	free(es);
	if (rc) {
		ipc_fail(rq, -rc, "the VSI type database was not changed: %s", err);
		return;
	}
	log_notice("VSI type database: %ld entr%s %s by uid %u", n, n == 1 ? "y" : "ies",
		   all ? "now make up the database" : "added or replaced", (unsigned)rq->cred.uid);
	answer_vsitype(rq, NULL, n);
}

void ipc_handle_vsitype_del(struct req *rq)
{
	struct vsitype k;
	char err[IPC_MSG_MAX / 2], ks[48];
	if (ipc_authorize(rq, "changing the VSI type database") || req_vsitype_key(rq, &k))
		return;
	int rc = vsitype_db_del(rq->ipc->d->types, k.id, k.ver, err, sizeof(err));
	if (rc) {
		ipc_fail(rq, -rc, "%s", err);
		return;
	}
	unsigned ended = 0;
	if (rq->flags & EVB_F_DEASSOC)
		ended = policy_end_type(rq->ipc->d, k.id, k.ver);
	log_notice("VSI type database: %s removed by uid %u%s%u%s",
		   vsitype_key_str(k.id, k.ver, ks, sizeof(ks)), (unsigned)rq->cred.uid,
		   rq->flags & EVB_F_DEASSOC ? "; " : "", ended,
		   rq->flags & EVB_F_DEASSOC ? " of its VSIs de-associated" : "");
	answer_vsitype(rq, NULL, ended);
}

void ipc_handle_vsitype_get(struct req *rq)
{
	struct vsitype k;
	char ks[48];
	if (req_vsitype_key(rq, &k))
		return;
	const struct vsitype *e = vsitype_db_find(rq->ipc->d->types, k.id, k.ver);
	if (!e) {
		ipc_fail(rq, ENOENT,
			 "%s is not in the VSI type database; 'evbctl vsitype list' shows what is",
			 vsitype_key_str(k.id, k.ver, ks, sizeof(ks)));
		return;
	}
	answer_vsitype(rq, e, -1);
}

/* The next entry of a VSI type dump (see dump_item). */
int ipc_vsitype_item(struct evbd_ipc *ipc, struct ipc_dump *dm, void *buf, size_t cap)
{
	const struct vsitype *e = vsitype_db_at(ipc->d->types, dm->cur.pos);
	struct nlb b;
	if (!e)
		return 0;
	ipc_msg_start(&b, buf, cap, EVB_MSG_VSITYPE, NLM_F_MULTI, dm->seq);
	put_vsitype(&b, ipc->d, e);
	if (b.full)
		return -ENOSPC;
	dm->cur.pos++;
	return (int)b.nlh->nlmsg_len;
}

/* ---------------- the EVB MIB ---------------- */

static void put_vb(struct nlb *b, const struct mib_oid *o, const struct mib_value *v)
{
	ipc_put(b, EVB_A_MIB_OID, o->len * sizeof(o->a[0]), o->a);
	ipc_put_u8(b, EVB_A_MIB_TYPE, v->type);
	if (v->type == MIB_OCTETS)
		ipc_put(b, EVB_A_MIB_VALUE, v->len, v->s);
	else
		ipc_put(b, EVB_A_MIB_VALUE, sizeof(v->u), &v->u);
}

/* The request's EVB_A_MIB_OID (the whole MIB when absent and not
 * required).  0, or an errno after answering. */
int ipc_req_oid(struct req *rq, struct mib_oid *o, bool required)
{
	const struct nlattr *a = rq->tb[EVB_A_MIB_OID];
	size_t len = a ? mnl_attr_get_payload_len(a) : 0;
	if (!a && required) {
		ipc_fail(rq, EINVAL, "malformed request: no OID given");
		return EINVAL;
	}
	if (!a) {
		o->len = MIB_EVB_ROOT_LEN;
		memcpy(o->a, mib_evb_root, sizeof(mib_evb_root));
		return 0;
	}
	if (len % sizeof(o->a[0])) {
		ipc_fail(rq, EINVAL,
			 "malformed request: the OID is not a whole number of 32-bit "
			 "sub-identifiers");
		return EINVAL;
	}
	o->len = (uint32_t)(len / sizeof(o->a[0]));
	memcpy(o->a, mnl_attr_get_payload(a), len);
	return 0;
}

/* The next instance of a MIB walk (see dump_item). */
int ipc_mib_item(struct evbd_ipc *ipc, struct ipc_dump *dm, void *buf, size_t cap)
{
	const struct mib_tree *t = evbd_mib_tree(ipc->d);
	struct mib_oid next;
	struct mib_value v;
	struct nlb b;
	if (!t || mib_getnext(t, &dm->mib[0], &next, &v) != MIB_OK ||
	    !mib_oid_has_prefix(&next, dm->mib[1].a, dm->mib[1].len))
		return 0;
	ipc_msg_start(&b, buf, cap, EVB_MSG_MIB_VB, NLM_F_MULTI, dm->seq);
	put_vb(&b, &next, &v);
	if (b.full)
		return -ENOSPC;
	dm->mib[0] = next;
	return (int)b.nlh->nlmsg_len;
}

void ipc_handle_mib_get(struct req *rq)
{
	struct evbd_ipc *ipc = rq->ipc;
	const struct mib_tree *t = evbd_mib_tree(ipc->d);
	struct mib_oid o;
	struct mib_value v;
	struct nlb b;
	if (ipc_req_oid(rq, &o, true))
		return;
	int r = t ? mib_get(t, &o, &v) : MIB_NO_SUCH_OBJECT;
	ipc_msg_start(&b, ipc->tbuf, sizeof(ipc->tbuf), EVB_MSG_RESULT, 0, rq->seq);
	ipc_put_u32(&b, EVB_A_ERRNO, 0);
	if (r == MIB_OK) {
		put_vb(&b, &o, &v);
	} else {
		ipc_put(&b, EVB_A_MIB_OID, o.len * sizeof(o.a[0]), o.a);
		ipc_put_u8(&b, EVB_A_MIB_ERR, (uint8_t)r);
	}
	ipc->stats.requests++;
	ipc_send_to(ipc, rq->pid, b.nlh, b.nlh->nlmsg_len);
}

/* The value of a set request.  0, or an errno after answering. */
static int req_value(struct req *rq, struct mib_value *v)
{
	const struct nlattr *ty = rq->tb[EVB_A_MIB_TYPE], *va = rq->tb[EVB_A_MIB_VALUE];
	if (!ty || !va) {
		ipc_fail(rq, EINVAL, "malformed request: a MIB set needs a type and a value");
		return EINVAL;
	}
	size_t len = mnl_attr_get_payload_len(va);
	memset(v, 0, sizeof(*v));
	v->type = mnl_attr_get_u8(ty);
	if (v->type == MIB_OCTETS) {
		v->len = (uint8_t)len;
		memcpy(v->s, mnl_attr_get_payload(va), len);
	} else if (len == sizeof(v->u)) {
		memcpy(&v->u, mnl_attr_get_payload(va), len);
	} else {
		ipc_fail(rq, EINVAL,
			 "malformed request: an integer MIB value takes 4 octets, not %zu", len);
		return EINVAL;
	}
	return 0;
}

void ipc_handle_mib_set(struct req *rq)
{
	struct evbd_ipc *ipc = rq->ipc;
	const struct mib_tree *t = evbd_mib_tree(ipc->d);
	struct mib_oid o;
	struct mib_value v;
	char err[IPC_MSG_MAX - 64] = "";
	if (ipc_authorize(rq, "setting a MIB object") || ipc_req_oid(rq, &o, true) ||
	    req_value(rq, &v))
		return;
	int r = t ? mib_set(t, &o, &v, true, err, sizeof(err)) : MIB_ERR_NOT_WRITABLE;
	if (r == MIB_OK) {
		struct answer a = {0};
		ipc_answer_result(ipc, rq->pid, rq->seq, &a);
		return;
	}
	struct nlb b;
	ipc_msg_start(&b, ipc->tbuf, sizeof(ipc->tbuf), EVB_MSG_RESULT, 0, rq->seq);
	ipc_put_u32(&b, EVB_A_ERRNO, r == MIB_ERR_COMMIT_FAILED ? EIO : EINVAL);
	ipc_put_str(&b, EVB_A_ERRMSG, err[0] ? err : mib_err_name(r));
	ipc_put_u8(&b, EVB_A_MIB_ERR, (uint8_t)r);
	ipc->stats.requests++;
	ipc_send_to(ipc, rq->pid, b.nlh, b.nlh->nlmsg_len);
}
