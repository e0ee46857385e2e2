/* SPDX-License-Identifier: ISC */
/*
 * test_evbd_vsitype.c - unit tests of the bridge policy: the VSI type
 * database (evbd/vsitype.c: rules and their sentences, apply/replace/delete,
 * SQLite persistence, damaged rows, a refused write; its control-protocol
 * form is tested in test_ipc_codec.c), the decisions and their index (evbd/policy.c: every refusal
 * with its reason, HARD and KEEP, VID 0 and PCP filled in, MAC/VLAN ownership, per-port limits),
 * the same decisions end to end between a station and a bridge vdp_port (the exact status octet the
 * station receives, the VID it adopts), ending the VSIs of a removed type, and the `policy` config
 * key.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evbd/config.h"
#include "evbd/evbd.h"
#include "evbd/policy.h"
#include "evbd/store.h"
#include "evbd/vsitype.h"
#include "vdp/eth.h"
#include "vdp/vdp_port.h"

/* ---------------- the daemon's clock, replaced (evbd/loop.h) ---------------- */

static uint64_t NOW = 1000000;

static uint64_t fake_now(void)
{
	return NOW;
}

/* ---------------- helpers ---------------- */

#include "tmpdir.h"
#include "vsi_keys.h"
#include "vsitype_fixtures.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	return tmpdir_make(dir, sizeof(dir), "evbd-vsitype");
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove(dir);
}

#define F(x)	(1u << (x))
#define ALLF	VSITYPE_FORMATS_ALL
#define MACVIDF F(VDP_FIF_MACVID)

static struct vsitype_db *mem_db(void)
{
	struct vsitype_db *db;
	assert_int_equal(vsitype_db_open(NULL, &db), 0);
	return db;
}

static void apply_ok(struct vsitype_db *db, const struct vsitype *e, size_t n, bool all)
{
	char err[256] = "";
	assert_int_equal(vsitype_db_apply(db, e, n, all, err, sizeof(err)), 0);
	assert_string_equal(err, "");
}

static void expect_apply(struct vsitype_db *db, const struct vsitype *e, size_t n, int rc,
			 const char *msg)
{
	char err[256] = "";
	size_t before = vsitype_db_count(db);
	assert_int_equal(vsitype_db_apply(db, e, n, false, err, sizeof(err)), rc);
	assert_string_equal(err, msg);
	assert_int_equal(vsitype_db_count(db), before);
}

/* ---------------- the database ---------------- */

static void test_db_rules(void **state)
{
	(void)state;
	struct vsitype_db *db = mem_db();
	struct vsitype e = vsitype_mk(100, 1, "100-149", 0, ALLF, 0, -1);

	e.id = 0x1000001;
	expect_apply(db, &e, 1, -EINVAL,
		     "type 16777217 version 1: the type ID 16777217 does not fit 24 bits (0 to "
		     "16777215)");
	e = vsitype_mk(VSITYPE_DEFAULT, 0, "5", 0, ALLF, 0, -1);
	e.ver = 2;
	expect_apply(db, &e, 1, -EINVAL,
		     "the default type: the default entry has no version (give 0)");
	e = vsitype_mk(100, 1, "100-149", 0, ALLF, 0, -1);
	vidset_clear(&e.vids);
	expect_apply(db, &e, 1, -EINVAL,
		     "type 100 version 1: it allows no VLAN; give at least one VLAN ID (1 to "
		     "4094)");
	e = vsitype_mk(100, 1, "100-149", 150, ALLF, 0, -1);
	expect_apply(db, &e, 1, -EINVAL,
		     "type 100 version 1: assign-vlan 150 is not among its VLANs (100-149)");
	e = vsitype_mk(100, 1, "100-149", 4095, ALLF, 0, -1);
	expect_apply(db, &e, 1, -EINVAL,
		     "type 100 version 1: assign-vlan 4095 is not a VLAN ID (1 to 4094)");
	e = vsitype_mk(100, 1, "all", 0, 0, 0, -1);
	expect_apply(db, &e, 1, -EINVAL,
		     "type 100 version 1: it allows no filter format; give one or more of vid, "
		     "mac-vid, group-vid and group-mac-vid");
	e = vsitype_mk(100, 1, "all", 0, ALLF | 1, 0, -1);
	expect_apply(db, &e, 1, -EINVAL,
		     "type 100 version 1: its format set 0x1f names unknown formats (bits 1-4 "
		     "only)");
	e = vsitype_mk(100, 1, "all", 0, ALLF, 0, 8);
	expect_apply(db, &e, 1, -EINVAL, "type 100 version 1: PCP 8 is not a priority (0 to 7)");
	e = vsitype_mk(100, 1, "all", 0, ALLF, 0, -1);
	memset(e.name, 'a', sizeof(e.name));
	expect_apply(db, &e, 1, -EINVAL,
		     "type 100 version 1: its name is longer than 63 characters");
	snprintf(e.name, sizeof(e.name), "tab\there");
	expect_apply(db, &e, 1, -EINVAL,
		     "type 100 version 1: its name has a character that is not printable ASCII");
	/* several: the entry is numbered */
	struct vsitype two[2] = {vsitype_mk(1, 1, "5", 0, ALLF, 0, -1),
				 vsitype_mk(2, 1, "5", 6, ALLF, 0, -1)};
	expect_apply(db, two, 2, -EINVAL,
		     "entry 2 (type 2 version 1): assign-vlan 6 is not among its VLANs (5)");
	two[1] = vsitype_mk(1, 1, "7", 0, ALLF, 0, -1);
	expect_apply(db, two, 2, -EINVAL,
		     "type 1 version 1 is given twice; give each type and version once");
	/* a long VLAN list is cut in the sentence */
	e = vsitype_mk(100, 1, "1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31,33,35,37,39", 2, ALLF, 0,
		       -1);
	expect_apply(db, &e, 1, -EINVAL,
		     "type 100 version 1: assign-vlan 2 is not among its VLANs "
		     "(1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31,33,35,37,39)");
	e = vsitype_mk(100, 1, "1-4094", 0, ALLF, 0, -1);
	for (uint16_t v = 2; v < 200; v += 2)
		e.vids.w[v / 64] &= ~(UINT64_C(1) << (v % 64));
	e.assign_vid = 2;
	char err[256];
	assert_int_equal(vsitype_check(&e, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "assign-vlan 2 is not among its VLANs "
				 "(1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31,33,35,37,39,41,...)");
	vsitype_db_close(db);
}

static void test_db_apply_find_del(void **state)
{
	(void)state;
	struct vsitype_db *db = mem_db();
	struct vsitype e[3] = {vsitype_mk(200, 1, "5", 0, ALLF, 0, -1),
			       vsitype_mk(VSITYPE_DEFAULT, 0, "9", 9, ALLF, 0, -1),
			       vsitype_mk(100, 2, "6", 0, ALLF, 0, -1)};
	char err[256], ks[48];

	apply_ok(db, e, 3, false);
	assert_int_equal(vsitype_db_count(db), 3);
	/* key order, the default entry last */
	assert_int_equal(vsitype_db_at(db, 0)->id, 100);
	assert_int_equal(vsitype_db_at(db, 1)->id, 200);
	assert_int_equal(vsitype_db_at(db, 2)->id, VSITYPE_DEFAULT);
	assert_null(vsitype_db_at(db, 3));
	assert_non_null(vsitype_db_find(db, 100, 2));
	assert_null(vsitype_db_find(db, 100, 1));
	/* match: own entry, else the default */
	assert_int_equal(vsitype_db_match(db, 100, 2)->id, 100);
	assert_int_equal(vsitype_db_match(db, 100, 1)->id, VSITYPE_DEFAULT);
	assert_int_equal(vsitype_db_match(db, 7, 7)->assign_vid, 9);
	/* replace one, keep the others */
	struct vsitype r = vsitype_mk(200, 1, "5-6", 6, ALLF, 3, 2);
	apply_ok(db, &r, 1, false);
	assert_int_equal(vsitype_db_count(db), 3);
	assert_int_equal(vsitype_db_find(db, 200, 1)->assign_vid, 6);
	assert_int_equal(vsitype_db_find(db, 200, 1)->max_per_port, 3);
	assert_int_equal(vsitype_db_find(db, 200, 1)->pcp, 2);
	/* delete */
	assert_int_equal(vsitype_db_del(db, VSITYPE_DEFAULT, 0, err, sizeof(err)), 0);
	assert_null(vsitype_db_match(db, 7, 7));
	assert_int_equal(vsitype_db_del(db, 100, 1, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "type 100 version 1 is not in the VSI type database; 'evbctl "
				 "vsitype list' shows what is");
	assert_int_equal(vsitype_db_del(db, VSITYPE_DEFAULT, 0, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "the default type is not in the VSI type database; 'evbctl "
				 "vsitype list' shows what is");
	/* replace all */
	apply_ok(db, &e[1], 1, true);
	assert_int_equal(vsitype_db_count(db), 1);
	assert_int_equal(vsitype_db_at(db, 0)->id, VSITYPE_DEFAULT);
	apply_ok(db, NULL, 0, true);
	assert_int_equal(vsitype_db_count(db), 0);
	assert_string_equal(vsitype_key_str(5, 6, ks, sizeof(ks)), "type 5 version 6");
	assert_string_equal(vsitype_key_str(VSITYPE_DEFAULT, 0, ks, sizeof(ks)),
			    "the default type");
	/* a NULL database knows nothing */
	assert_null(vsitype_db_match(NULL, 1, 1));
	assert_int_equal(vsitype_db_count(NULL), 0);
	vsitype_db_close(db);
}

static void test_db_limit(void **state)
{
	(void)state;
	struct vsitype_db *db = mem_db();
	struct vsitype *e = calloc(VSITYPE_MAX + 1, sizeof(*e));
	char err[256];
	for (unsigned i = 0; i <= VSITYPE_MAX; i++)
		e[i] = vsitype_mk(i, 0, "5", 0, ALLF, 0, -1);
	apply_ok(db, e, VSITYPE_MAX, false);
	assert_int_equal(vsitype_db_apply(db, &e[VSITYPE_MAX], 1, false, err, sizeof(err)),
			 -ENOSPC);
	assert_string_equal(err, "the VSI type database would hold 4097 entries, more than the "
				 "4096 evbd keeps; nothing was changed");
	assert_int_equal(vsitype_db_count(db), VSITYPE_MAX);
	/* replacing all of them with one more is still too many; with fewer it works */
	assert_int_equal(vsitype_db_apply(db, e, VSITYPE_MAX + 1, true, err, sizeof(err)), -ENOSPC);
	apply_ok(db, &e[5], 1, true);
	assert_int_equal(vsitype_db_count(db), 1);
	free(e);
	vsitype_db_close(db);
}

static sqlite3 *open_sql(void)
{
	char path[128];
	sqlite3 *sql;
	snprintf(path, sizeof(path), "%s/evbd.db", dir);
	assert_int_equal(sqlite3_open(path, &sql), SQLITE_OK);
	return sql;
}

static void test_db_persists(void **state)
{
	(void)state;
	sqlite3 *sql = open_sql();
	struct vsitype_db *db;
	struct vsitype e[3] = {vsitype_mk(100, 1, "100-199,300", 150, F(1) | F(2), 10, 3),
			       vsitype_mk(VSITYPE_DEFAULT, 0, "4094", 0, F(4), 0, -1),
			       vsitype_mk(0xffffff, 255, "1", 1, ALLF, 4000000000u, 0)};
	char err[256];
	snprintf(e[0].name, sizeof(e[0].name), "web tier");
	assert_int_equal(vsitype_db_open(sql, &db), 0);
	assert_int_equal(vsitype_db_count(db), 0);
	apply_ok(db, e, 3, false);
	assert_int_equal(vsitype_db_del(db, 0xffffff, 255, err, sizeof(err)), 0);
	vsitype_db_close(db);
	sqlite3_close(sql);

	sql = open_sql();
	assert_int_equal(vsitype_db_open(sql, &db), 0);
	assert_int_equal(vsitype_db_count(db), 2);
	assert_vsitype_equal(vsitype_db_at(db, 0), &e[0]);
	assert_vsitype_equal(vsitype_db_at(db, 1), &e[1]);
	/* the stored text form is readable with sqlite3 */
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(sql,
					    "SELECT vlans, name, pcp FROM vsitype WHERE "
					    "type_id = 100",
					    -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "100-199,300");
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "web tier");
	assert_int_equal(sqlite3_column_int(st, 2), 3);
	sqlite3_finalize(st);
	/* replace all also empties the table */
	apply_ok(db, &e[2], 1, true);
	vsitype_db_close(db);
	assert_int_equal(vsitype_db_open(sql, &db), 0);
	assert_int_equal(vsitype_db_count(db), 1);
	assert_vsitype_equal(vsitype_db_at(db, 0), &e[2]);
	vsitype_db_close(db);
	sqlite3_close(sql);
}

static void test_db_damaged_rows(void **state)
{
	(void)state;
	sqlite3 *sql = open_sql();
	struct vsitype_db *db;
	struct vsitype e = vsitype_mk(7, 1, "5", 0, ALLF, 0, -1);
	assert_int_equal(vsitype_db_open(sql, &db), 0);
	apply_ok(db, &e, 1, false);
	vsitype_db_close(db);
	const char *bad[] = {
	    "INSERT INTO vsitype VALUES(8, 1, '', '5-x', 0, 30, 0, -1)",      /* VLAN text */
	    "INSERT INTO vsitype VALUES(9, 1, '', '5', 6, 30, 0, -1)",	      /* assign not in */
	    "INSERT INTO vsitype VALUES(10, 300, '', '5', 0, 30, 0, -1)",     /* version */
	    "INSERT INTO vsitype VALUES(11, 1, '', '5', 0, 30, 0, 9)",	      /* pcp */
	    "INSERT INTO vsitype VALUES(99999999, 1, '', '5', 0, 30, 0, -1)", /* id */
	    "INSERT INTO vsitype VALUES(12, 1, '', '5', 0, 0, 0, -1)",	      /* no format */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(sqlite3_exec(sql, bad[i], NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(vsitype_db_open(sql, &db), 0);
	assert_int_equal(vsitype_db_count(db), 1);
	assert_vsitype_equal(vsitype_db_at(db, 0), &e);
	vsitype_db_close(db);
	sqlite3_close(sql);
}

static void test_db_refused_write(void **state)
{
	(void)state;
	sqlite3 *sql = open_sql();
	struct vsitype_db *db;
	struct vsitype e = vsitype_mk(7, 1, "5", 0, ALLF, 0, -1),
		       f = vsitype_mk(8, 1, "6", 0, ALLF, 0, -1);
	char err[256];
	assert_int_equal(vsitype_db_open(sql, &db), 0);
	apply_ok(db, &e, 1, false);
	assert_int_equal(sqlite3_exec(sql, "PRAGMA query_only = 1", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(vsitype_db_apply(db, &f, 1, false, err, sizeof(err)), -EIO);
	assert_string_equal(err, "the state database refused the change (attempt to write a "
				 "readonly database); nothing was changed");
	assert_int_equal(vsitype_db_del(db, 7, 1, err, sizeof(err)), -EIO);
	assert_string_equal(err, "the state database refused the change (attempt to write a "
				 "readonly database); nothing was changed");
	assert_int_equal(vsitype_db_count(db), 1);
	assert_null(vsitype_db_find(db, 8, 1));
	assert_non_null(vsitype_db_find(db, 7, 1));
	assert_int_equal(sqlite3_exec(sql, "PRAGMA query_only = 0", NULL, NULL, NULL), SQLITE_OK);
	apply_ok(db, &f, 1, false);
	assert_int_equal(vsitype_db_count(db), 2);
	vsitype_db_close(db);
	/* a table that cannot be created: the open fails */
	assert_int_equal(
	    sqlite3_exec(sql, "DROP TABLE vsitype; PRAGMA query_only = 1", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(vsitype_db_open(sql, &db), -EIO);
	assert_null(db);
	sqlite3_close(sql);
}

/* The state database's connection is shared with the store. */
static void test_db_in_store(void **state)
{
	(void)state;
	struct evbd_store *s;
	struct vsitype_db *db;
	struct vsitype e = vsitype_mk(7, 1, "5", 0, ALLF, 0, -1);
	assert_null(store_sqlite(NULL));
	assert_int_equal(store_open(dir, &s), 0);
	assert_non_null(store_sqlite(s));
	assert_int_equal(vsitype_db_open(store_sqlite(s), &db), 0);
	apply_ok(db, &e, 1, false);
	vsitype_db_close(db);
	store_close(s);
	assert_int_equal(store_open(dir, &s), 0);
	assert_int_equal(vsitype_db_open(store_sqlite(s), &db), 0);
	assert_int_equal(vsitype_db_count(db), 1);
	vsitype_db_close(db);
	store_close(s);
}

/* ---------------- decisions ---------------- */

static const uint8_t M1[6] = {0x02, 0, 0, 0, 0x10, 1}, M2[6] = {0x02, 0, 0, 0, 0x10, 2};

/* A bridge VSI processing an Associate of (type, ver) with n filters. */
static struct vdp_vsi *vsi(uint32_t n, uint32_t type, uint8_t ver, uint8_t fif,
			   const struct vdp_filter *f, uint16_t nf)
{
	struct vdp_vsi_key k = key_n(n);
	struct vdp_vsi *v = vsi_new(&k, 1);
	assert_non_null(v);
	v->type_id = type;
	v->type_ver = ver;
	v->cmd = VDP_TLV_ASSOC;
	v->state = VDP_BR_PROCESS;
	assert_int_equal(vsi_set_filters(v, fif, f, nf), 0);
	return v;
}

static struct vdp_filter mf(const uint8_t *mac, uint16_t vid)
{
	struct vdp_filter f = {.vid = vid};
	if (mac)
		memcpy(f.mac, mac, 6);
	return f;
}

struct pol {
	struct vsitype_db *db;
	struct policy_port *pp;
	struct policy_in in;
	struct vdp_decision dec;
	char why[256];
};

static void pol_init(struct pol *p, const struct vsitype *e, size_t n)
{
	memset(p, 0, sizeof(*p));
	p->db = mem_db();
	if (n)
		apply_ok(p->db, e, n, false);
	p->pp = policy_port_new();
	assert_non_null(p->pp);
	p->in = (struct policy_in){.mode = POLICY_DATABASE, .db = p->db, .gid_ok = false};
}

static void pol_free(struct pol *p)
{
	policy_port_free(p->pp);
	vsitype_db_close(p->db);
}

static void decide(struct pol *p, const struct vdp_vsi *v)
{
	strcpy(p->why, "unchanged");
	assert_int_equal(policy_decide(p->pp, &p->in, v, &p->dec, p->why, sizeof(p->why)), 0);
}

static void expect_refused(struct pol *p, struct vdp_vsi *v, enum vdp_verdict verdict,
			   uint8_t reason, bool hard, const char *why)
{
	size_t bound = policy_bound(p->pp);
	decide(p, v);
	assert_int_equal(p->dec.verdict, verdict);
	assert_int_equal(p->dec.reason, reason);
	assert_int_equal(p->dec.hard, hard);
	assert_null(p->dec.filters);
	assert_string_equal(p->why, why);
	assert_int_equal(policy_bound(p->pp), bound); /* a refusal records nothing */
	vsi_free(v);
}

/* Granted; the answer's filters returned (database mode). */
static const struct vdp_filter *expect_granted(struct pol *p, const struct vdp_vsi *v)
{
	decide(p, v);
	assert_int_equal(p->dec.verdict, VDP_GRANT);
	assert_int_equal(p->dec.reason, 0);
	assert_string_equal(p->why, "");
	return p->dec.filters;
}

static void test_open_grants_all(void **state)
{
	(void)state;
	struct pol p;
	struct vdp_filter f = mf(M1, 0);
	pol_init(&p, NULL, 0);
	p.in.mode = POLICY_OPEN;
	struct vdp_vsi *v = vsi(1, 999, 9, VDP_FIF_GROUPMACVID, &f, 1);
	assert_null(expect_granted(&p, v)); /* the request's filters, VID 0 left */
	assert_int_equal(p.dec.nfilters, 0);
	/* nothing recorded: open ports keep no index */
	assert_int_equal(policy_bound(p.pp), 0);
	assert_int_equal(policy_type_count(p.pp, 999, 9), 0);
	assert_null(policy_pair_owner(p.pp, M1, 0, NULL));
	vsi_free(v);
	/* no index at all: still granted in open mode */
	v = vsi(2, 999, 9, VDP_FIF_VID, &f, 1);
	assert_int_equal(policy_decide(NULL, &p.in, v, &p.dec, p.why, sizeof(p.why)), 0);
	assert_int_equal(p.dec.verdict, VDP_GRANT);
	/* database mode without an index refuses, soft */
	p.in.mode = POLICY_DATABASE;
	assert_int_equal(policy_decide(NULL, &p.in, v, &p.dec, p.why, sizeof(p.why)), 0);
	assert_int_equal(p.dec.verdict, VDP_REFUSE);
	assert_int_equal(p.dec.reason, VDP_RSN_NO_RESOURCES);
	assert_false(p.dec.hard);
	assert_string_equal(p.why, "the port has no policy index");
	vsi_free(v);
	pol_free(&p);
}

static void test_refusals(void **state)
{
	(void)state;
	struct vsitype types[] = {vsitype_mk(100, 1, "100-199,300", 150, F(1) | F(2), 0, -1),
				  vsitype_mk(200, 1, "200", 0, F(1) | F(2) | F(3), 0, 3),
				  vsitype_mk(300, 1, "300", 0, F(1), 0, -1)};
	struct pol p;
	struct vdp_filter f1 = mf(M1, 100), g = {.group = 7, .vid = 200};
	pol_init(&p, types, 3);

	/* Group ID format without negotiated Group IDs: 1, soft (as vdp_port's check) */
	expect_refused(&p, vsi(1, 200, 1, VDP_FIF_GROUPVID, &g, 1), VDP_REFUSE, VDP_RSN_INVALID_FMT,
		       false,
		       "filter format group-vid needs Group IDs, which are not negotiated on this "
		       "port");
	p.in.gid_ok = true;
	struct vdp_vsi *v = vsi(1, 200, 1, VDP_FIF_GROUPVID, &g, 1);
	expect_granted(&p, v);
	policy_unbind(p.pp, &v->key);
	vsi_free(v);
	/* unknown type, unknown version: 4, hard */
	expect_refused(&p, vsi(2, 101, 1, VDP_FIF_MACVID, &f1, 1), VDP_REFUSE, VDP_RSN_OTHER, true,
		       "type 101 version 1 is not in the VSI type database, which has no default "
		       "entry");
	expect_refused(&p, vsi(2, 100, 2, VDP_FIF_MACVID, &f1, 1), VDP_REFUSE, VDP_RSN_OTHER, true,
		       "type 100 version 2 is not in the VSI type database, which has no default "
		       "entry");
	/* filter format not allowed: 1, hard */
	struct vdp_filter gm = {.group = 7, .vid = 100};
	memcpy(gm.mac, M1, 6);
	expect_refused(&p, vsi(3, 100, 1, VDP_FIF_GROUPMACVID, &gm, 1), VDP_REFUSE,
		       VDP_RSN_INVALID_FMT, true,
		       "filter format group-mac-vid is not allowed for type 100 version 1");
	/* VLAN not allowed (in the second filter): 5, hard */
	struct vdp_filter two[2] = {mf(M1, 120), mf(M2, 200)};
	expect_refused(&p, vsi(4, 100, 1, VDP_FIF_MACVID, two, 2), VDP_REFUSE, VDP_RSN_INVALID_ID,
		       true, "filter 2: VLAN 200 is not allowed for type 100 version 1");
	/* VID 0 and no assign-vlan: 5, hard */
	struct vdp_filter z = mf(NULL, 0);
	expect_refused(&p, vsi(5, 300, 1, VDP_FIF_VID, &z, 1), VDP_REFUSE, VDP_RSN_INVALID_ID, true,
		       "filter 1 asks the bridge to choose the VLAN (VID 0) but type 300 version "
		       "1 has no assign-vlan");
	/* PS with a PCP other than the type's: 4, hard */
	struct vdp_filter pc = mf(M1, 200);
	pc.ps = true;
	pc.pcp = 5;
	expect_refused(&p, vsi(6, 200, 1, VDP_FIF_MACVID, &pc, 1), VDP_REFUSE, VDP_RSN_OTHER, true,
		       "filter 1 asks for priority 5 but type 200 version 1 gives priority 3");
	/* a state in force: the refusal keeps it */
	v = vsi(7, 101, 1, VDP_FIF_MACVID, &f1, 1);
	v->confirmed = VDP_TLV_PREASSOC;
	expect_refused(&p, v, VDP_REFUSE_KEEP, VDP_RSN_OTHER, true,
		       "type 101 version 1 is not in the VSI type database, which has no default "
		       "entry");
	assert_int_equal(policy_bound(p.pp), 0);
	pol_free(&p);
}

/* A fleet's etcd out of reach past cache-grace (evbd/cluster.h): a new
 * request is refused with reason 3, soft, whatever its type; a VSI with a
 * state in force keeps it (KEEP). */
static void test_no_manager(void **state)
{
	(void)state;
	struct vsitype types[] = {vsitype_mk(100, 1, "100-199", 0, F(2), 0, -1)};
	struct pol p;
	struct vdp_filter f1 = mf(M1, 100);
	pol_init(&p, types, 1);
	p.in.no_manager = true;
	const char *why = "the fleet's VSI type database (etcd) has been out of reach for longer "
			  "than cache-grace";
	expect_refused(&p, vsi(1, 100, 1, VDP_FIF_MACVID, &f1, 1), VDP_REFUSE, VDP_RSN_NO_MANAGER,
		       false, why);
	struct vdp_vsi *v = vsi(2, 100, 1, VDP_FIF_MACVID, &f1, 1);
	v->confirmed = VDP_TLV_ASSOC;
	expect_refused(&p, v, VDP_REFUSE_KEEP, VDP_RSN_NO_MANAGER, false, why);
	p.in.no_manager = false;
	v = vsi(1, 100, 1, VDP_FIF_MACVID, &f1, 1);
	expect_granted(&p, v);
	vsi_free(v);
	pol_free(&p);
}

static void test_vid0_and_pcp_filled(void **state)
{
	(void)state;
	struct vsitype types[] = {vsitype_mk(100, 1, "100-199,300", 150, ALLF, 0, -1),
				  vsitype_mk(200, 1, "200-210", 205, ALLF, 0, 3)};
	struct pol p;
	struct vdp_filter f[3] = {mf(M1, 0), mf(M2, 300), mf(M1, 0)};
	pol_init(&p, types, 2);
	struct vdp_vsi *v = vsi(1, 100, 1, VDP_FIF_MACVID, f, 3);
	const struct vdp_filter *out = expect_granted(&p, v);
	assert_non_null(out);
	assert_int_equal(p.dec.nfilters, 3);
	assert_int_equal(out[0].vid, 150);
	assert_int_equal(out[1].vid, 300);
	assert_int_equal(out[2].vid, 150);
	assert_memory_equal(out[1].mac, M2, 6);
	assert_false(out[0].ps);
	/* the VSI's own filters are not touched (the machine takes the answer's) */
	assert_int_equal(vsi_filters(v)[0].vid, 0);
	/* what is recorded is the answer: VLAN 150 held by VSI 1 */
	struct vdp_vsi_key k1 = key_n(1);
	assert_memory_equal(policy_pair_owner(p.pp, M1, 150, NULL), &k1, sizeof(k1));
	assert_null(policy_pair_owner(p.pp, M1, 0, NULL));
	assert_null(policy_pair_owner(p.pp, M1, 150, &k1));
	vsi_free(v);
	/* PCP: given where PS is clear, kept where it matches */
	struct vdp_filter q[2] = {mf(NULL, 0), mf(NULL, 201)};
	q[1].ps = true;
	q[1].pcp = 3;
	v = vsi(2, 200, 1, VDP_FIF_VID, q, 2);
	out = expect_granted(&p, v);
	assert_int_equal(out[0].vid, 205);
	assert_true(out[0].ps);
	assert_int_equal(out[0].pcp, 3);
	assert_int_equal(out[1].vid, 201);
	assert_true(out[1].ps);
	assert_int_equal(out[1].pcp, 3);
	vsi_free(v);
	/* the default entry governs unknown types */
	struct vsitype d = vsitype_mk(VSITYPE_DEFAULT, 0, "500-599", 500, F(1), 0, -1);
	apply_ok(p.db, &d, 1, false);
	struct vdp_filter z = mf(NULL, 0);
	v = vsi(3, 4242, 7, VDP_FIF_VID, &z, 1);
	out = expect_granted(&p, v);
	assert_int_equal(out[0].vid, 500);
	assert_int_equal(policy_type_count(p.pp, 4242, 7), 1);
	vsi_free(v);
	struct vdp_filter m = mf(M1, 501);
	expect_refused(&p, vsi(4, 4242, 7, VDP_FIF_MACVID, &m, 1), VDP_REFUSE, VDP_RSN_INVALID_FMT,
		       true,
		       "filter format mac-vid is not allowed for type 4242 version 7 (default "
		       "entry)");
	pol_free(&p);
}

static void test_mac_vlan_owned(void **state)
{
	(void)state;
	struct vsitype t = vsitype_mk(100, 1, "100-199", 150, ALLF, 0, -1);
	struct pol p;
	struct vdp_filter a = mf(M1, 150), b0 = mf(M1, 0), b1 = mf(M1, 160);
	pol_init(&p, &t, 1);
	struct vdp_vsi *va = vsi(1, 100, 1, VDP_FIF_MACVID, &a, 1);
	expect_granted(&p, va);
	/* another VSI asking for the same MAC on VLAN 0 -> 150: 5, soft */
	char id[64];
	struct vdp_vsi_key k1 = key_n(1);
	char want[160];
	snprintf(want, sizeof(want),
		 "filter 1: MAC 02:00:00:00:10:01 on VLAN 150 is held by VSI %s on this port",
		 vdp_vsiid_str(k1.fmt, k1.id, id, sizeof(id)));
	expect_refused(&p, vsi(2, 100, 1, VDP_FIF_MACVID, &b0, 1), VDP_REFUSE, VDP_RSN_INVALID_ID,
		       false, want);
	/* the same MAC on another VLAN is fine; the owner itself may ask again */
	struct vdp_vsi *vb = vsi(2, 100, 1, VDP_FIF_MACVID, &b1, 1);
	expect_granted(&p, vb);
	expect_granted(&p, va);
	/* VID-only filters hold no MAC */
	struct vdp_filter v150 = mf(NULL, 150);
	struct vdp_vsi *vc = vsi(3, 100, 1, VDP_FIF_VID, &v150, 1);
	expect_granted(&p, vc);
	/* the owner moves to VLAN 170: 150 is free again */
	struct vdp_filter a2 = mf(M1, 170);
	struct vdp_vsi *va2 = vsi(1, 100, 1, VDP_FIF_MACVID, &a2, 1);
	expect_granted(&p, va2);
	assert_null(policy_pair_owner(p.pp, M1, 150, NULL));
	struct vdp_vsi *vd = vsi(4, 100, 1, VDP_FIF_MACVID, &b0, 1);
	expect_granted(&p, vd);
	/* unbind frees the pair */
	policy_unbind(p.pp, &vd->key);
	assert_null(policy_pair_owner(p.pp, M1, 150, NULL));
	policy_unbind(p.pp, &vd->key); /* twice: nothing */
	assert_int_equal(policy_bound(p.pp), 3);
	assert_int_equal(policy_type_count(p.pp, 100, 1), 3);
	vsi_free(va);
	vsi_free(va2);
	vsi_free(vb);
	vsi_free(vc);
	vsi_free(vd);
	pol_free(&p);
}

static void test_limit_per_port(void **state)
{
	(void)state;
	struct vsitype t[2] = {vsitype_mk(100, 1, "100", 0, ALLF, 2, -1),
			       vsitype_mk(100, 2, "100", 0, ALLF, 0, -1)};
	struct pol p;
	struct vdp_filter f = mf(NULL, 100);
	pol_init(&p, t, 2);
	struct vdp_vsi *a = vsi(1, 100, 1, VDP_FIF_VID, &f, 1);
	struct vdp_vsi *b = vsi(2, 100, 1, VDP_FIF_VID, &f, 1);
	expect_granted(&p, a);
	expect_granted(&p, b);
	assert_int_equal(policy_type_count(p.pp, 100, 1), 2);
	expect_refused(&p, vsi(3, 100, 1, VDP_FIF_VID, &f, 1), VDP_REFUSE, VDP_RSN_NO_RESOURCES,
		       false,
		       "the port already holds 2 VSIs of type 100 version 1, the limit of the "
		       "type");
	/* a VSI counted already may change (Pre-Associate -> Associate) */
	a->cmd = VDP_TLV_ASSOC;
	a->confirmed = VDP_TLV_PREASSOC;
	expect_granted(&p, a);
	assert_int_equal(policy_type_count(p.pp, 100, 1), 2);
	/* another version has its own count */
	struct vdp_vsi *c = vsi(3, 100, 2, VDP_FIF_VID, &f, 1);
	expect_granted(&p, c);
	assert_int_equal(policy_type_count(p.pp, 100, 2), 1);
	/* a VSI changing type moves its count */
	c->type_ver = 1;
	expect_refused(&p, vsi(3, 100, 1, VDP_FIF_VID, &f, 1), VDP_REFUSE, VDP_RSN_NO_RESOURCES,
		       false,
		       "the port already holds 2 VSIs of type 100 version 1, the limit of the "
		       "type");
	policy_unbind(p.pp, &b->key);
	expect_granted(&p, c);
	assert_int_equal(policy_type_count(p.pp, 100, 1), 2);
	assert_int_equal(policy_type_count(p.pp, 100, 2), 0);
	vsi_free(a);
	vsi_free(b);
	vsi_free(c);
	pol_free(&p);
}

static void test_index_scale(void **state)
{
	(void)state;
	struct policy_port *pp = policy_port_new();
	struct vdp_filter f[2];
	for (uint32_t i = 0; i < 20000; i++) {
		struct vdp_vsi_key k = key_n(i);
		uint8_t mac[6] = {0x02, 0, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i, 0};
		f[0] = mf(mac, (uint16_t)(1 + i % 4000));
		mac[5] = 1;
		f[1] = mf(mac, 5);
		assert_int_equal(policy_bind(pp, &k, i % 7, 1, VDP_FIF_MACVID, f, 2), 0);
	}
	assert_int_equal(policy_bound(pp), 20000);
	uint32_t total = 0;
	for (uint32_t t = 0; t < 7; t++)
		total += policy_type_count(pp, t, 1);
	assert_int_equal(total, 20000);
	uint8_t mac[6] = {0x02, 0, 0, 0x30, 0x39, 1}; /* VSI 12345's second filter */
	struct vdp_vsi_key k = key_n(12345);
	assert_memory_equal(policy_pair_owner(pp, mac, 5, NULL), &k, sizeof(k));
	for (uint32_t i = 0; i < 20000; i += 2) {
		k = key_n(i);
		policy_unbind(pp, &k);
	}
	assert_int_equal(policy_bound(pp), 10000);
	k = key_n(12345);
	assert_memory_equal(policy_pair_owner(pp, mac, 5, NULL), &k, sizeof(k));
	mac[4] = 0x38; /* VSI 12344: gone */
	assert_null(policy_pair_owner(pp, mac, 5, NULL));
	policy_port_free(pp);
	/* NULL index */
	assert_int_equal(policy_bind(NULL, &k, 1, 1, VDP_FIF_VID, f, 1), 0);
	policy_unbind(NULL, &k);
	assert_int_equal(policy_bound(NULL), 0);
	assert_int_equal(policy_type_count(NULL, 1, 1), 0);
	assert_null(policy_pair_owner(NULL, mac, 5, NULL));
	policy_port_free(NULL);
}

/* What a port holds at start (or on a switch to database mode) is indexed
 * from its VSI table: VSIs in force only, with the filters they hold. */
static void test_index_table(void **state)
{
	(void)state;
	struct vsi_table t;
	struct policy_port *pp = policy_port_new();
	struct vdp_filter f[2] = {mf(M1, 100), mf(M2, 101)};
	assert_int_equal(vsi_table_init(&t, 16), 0);
	for (uint32_t i = 1; i <= 3; i++) {
		struct vdp_vsi *v = vsi(i, 100 + (i == 3), 1, VDP_FIF_MACVID, &f[i == 2], 1);
		v->confirmed = i == 3 ? 0 : VDP_TLV_ASSOC; /* VSI 3: still being decided */
		assert_int_equal(vsi_table_insert(&t, v), 0);
	}
	/* something indexed before is replaced */
	struct vdp_vsi_key k9 = key_n(9);
	assert_int_equal(policy_bind(pp, &k9, 7, 7, VDP_FIF_VID, f, 1), 0);
	assert_int_equal(policy_index_table(pp, &t), 0);
	assert_int_equal(policy_bound(pp), 2);
	assert_int_equal(policy_type_count(pp, 100, 1), 2);
	assert_int_equal(policy_type_count(pp, 101, 1), 0);
	assert_int_equal(policy_type_count(pp, 7, 7), 0);
	struct vdp_vsi_key k1 = key_n(1), k2 = key_n(2);
	assert_memory_equal(policy_pair_owner(pp, M1, 100, NULL), &k1, sizeof(k1));
	assert_memory_equal(policy_pair_owner(pp, M2, 101, NULL), &k2, sizeof(k2));
	assert_int_equal(policy_index_table(NULL, &t), 0);
	vsi_table_free(&t);
	policy_port_free(pp);
}

/* ---------------- end to end: a station and a bridge ---------------- */

static struct evbd D;
static struct evbd_port *BR;
static struct evbd_port *PORTS[1];
static struct vdp_port ST;
struct frame {
	bool to_br;
	size_t n;
	uint8_t b[1600];
};
static struct frame WIRE[256];
static unsigned W_N;

/* What the station last reported for a VSI. */
static struct {
	uint8_t result, reason, status;
	uint16_t vid;
	uint8_t pcp;
	bool ps, removed;
	unsigned n;
} SEEN;

static void st_send(void *ctx, const uint8_t *f, size_t n)
{
	(void)ctx;
	assert_true(W_N < 256 && n <= 1600);
	WIRE[W_N] = (struct frame){.to_br = true, .n = n};
	memcpy(WIRE[W_N++].b, f, n);
}

static void br_send(void *ctx, const uint8_t *f, size_t n)
{
	(void)ctx;
	assert_true(W_N < 256 && n <= 1600);
	WIRE[W_N] = (struct frame){.to_br = false, .n = n};
	memcpy(WIRE[W_N++].b, f, n);
}

static void st_changed(void *ctx, struct vdp_port *vp, struct vdp_vsi *v,
		       const struct vdp_sm_out *out)
{
	(void)ctx;
	(void)vp;
	SEEN.result = v->result;
	SEEN.reason = v->reason;
	SEEN.status = v->status;
	SEEN.vid = v->nfilters ? vsi_filters(v)[0].vid : 0;
	SEEN.pcp = v->nfilters ? vsi_filters(v)[0].pcp : 0;
	SEEN.ps = v->nfilters && vsi_filters(v)[0].ps;
	SEEN.removed = out->remove;
	SEEN.n++;
}

/* As the daemon's wiring (evbd/events.c): a removed VSI leaves the index. */
static void br_changed(void *ctx, struct vdp_port *vp, struct vdp_vsi *v,
		       const struct vdp_sm_out *out)
{
	(void)vp;
	struct evbd_port *p = ctx;
	if (out->remove)
		policy_unbind(p->policy, &v->key);
}

static const struct vdp_port_ops ST_OPS = {.send = st_send, .vsi_changed = st_changed};
static const struct vdp_port_ops BR_OPS = {
    .send = br_send, .vsi_changed = br_changed, .decide = policy_decide_cb};

static void wire_run(void)
{
	for (int round = 0; round < 100; round++) {
		vdp_port_run(&ST, NOW);
		vdp_port_run(&BR->vdp, NOW);
		if (!W_N)
			return;
		struct frame f[256];
		unsigned n = W_N;
		memcpy(f, WIRE, n * sizeof(f[0]));
		W_N = 0;
		for (unsigned i = 0; i < n; i++)
			vdp_port_rx(f[i].to_br ? &BR->vdp : &ST, f[i].b + ETH_HDR_LEN,
				    f[i].n - ETH_HDR_LEN, NOW);
	}
	fail_msg("the wire did not settle");
}

static int e2e_setup(void **state)
{
	static const uint8_t mst[6] = {2, 0, 0, 0, 0, 1}, mbr[6] = {2, 0, 0, 0, 0, 2};
	struct evb_oper o = {.valid = true, .r = 3, .rte = 8, .rwd = 14, .rka = 14, .gid = true};
	struct vsitype types[] = {vsitype_mk(100, 1, "100-199,300", 150, F(2), 2, 3),
				  vsitype_mk(200, 1, "200", 0, ALLF, 0, -1)};
	(void)state;
	memset(&D, 0, sizeof(D));
	memset(&SEEN, 0, sizeof(SEEN));
	W_N = 0;
	assert_int_equal(loop_init(&D.loop), 0);
	D.loop.clock = fake_now;
	BR = calloc(1, sizeof(*BR));
	assert_non_null(BR);
	BR->d = &D;
	snprintf(BR->ifname, sizeof(BR->ifname), "vbr");
	BR->conf.evb.role = EVB_ROLE_BRIDGE;
	BR->conf.policy = POLICY_DATABASE;
	BR->policy = policy_port_new();
	PORTS[0] = BR;
	D.ports = PORTS;
	D.nports = 1;
	assert_int_equal(vsitype_db_open(NULL, &D.types), 0);
	apply_ok(D.types, types, 2, false);
	assert_int_equal(vdp_port_init(&ST, EVB_ROLE_STATION, mst, &ST_OPS, NULL, 1), 0);
	assert_int_equal(vdp_port_init(&BR->vdp, EVB_ROLE_BRIDGE, mbr, &BR_OPS, BR, 1), 0);
	vdp_port_start(&ST, &o, NOW);
	o.gid = false; /* the bridge's view (see test_e2e_refusals) */
	vdp_port_start(&BR->vdp, &o, NOW);
	return 0;
}

static int e2e_teardown(void **state)
{
	(void)state;
	vdp_port_free(&ST);
	vdp_port_free(&BR->vdp);
	policy_port_free(BR->policy);
	vsitype_db_close(D.types);
	free(BR);
	loop_fini(&D.loop);
	return 0;
}

/* The station asks; the wire settles. */
static void ask(uint32_t n, uint8_t cmd, uint32_t type, uint8_t fif, struct vdp_filter f)
{
	struct vdp_request r = {.type = cmd,
				.type_id = type,
				.type_ver = 1,
				.key = key_n(n),
				.fif = fif,
				.nfilters = 1,
				.filters = &f};
	uint8_t reason = 0;
	assert_int_equal(vdp_port_request(&ST, &r, NOW, NULL, &reason), 0);
	wire_run();
}

static void expect_seen(uint8_t result, uint8_t reason, uint8_t status, bool removed)
{
	assert_int_equal(SEEN.result, result);
	assert_int_equal(SEEN.reason, reason);
	assert_int_equal(SEEN.status, status);
	assert_int_equal(SEEN.removed, removed);
}

static void test_e2e_vid0_adopted(void **state)
{
	(void)state;
	ask(1, VDP_TLV_ASSOC, 100, VDP_FIF_MACVID, mf(M1, 0));
	expect_seen(VSI_ASSOCIATED, 0, VDP_STATUS_RESPONSE, false);
	assert_int_equal(SEEN.vid, 150); /* adopted from the response */
	assert_true(SEEN.ps);
	assert_int_equal(SEEN.pcp, 3);
	struct vdp_vsi_key k = key_n(1);
	const struct vdp_vsi *b = vsi_table_find(&BR->vdp.vsis, &k);
	assert_non_null(b);
	assert_int_equal(vsi_filters(b)[0].vid, 150);
	assert_int_equal(policy_in_use(&D, 100, 1), 1);
	assert_int_equal(policy_in_use(&D, 200, 1), 0);
	/* keep-alives are acknowledged without a new decision: the station keeps 150 */
	NOW += 200000;
	wire_run();
	expect_seen(VSI_ASSOCIATED, 0, VDP_STATUS_RESPONSE, false);
	/* de-associate: the index forgets it */
	ask(1, VDP_TLV_DEASSOC, 100, VDP_FIF_MACVID, mf(M1, 0));
	assert_int_equal(policy_in_use(&D, 100, 1), 0);
	assert_int_equal(policy_bound(BR->policy), 0);
}

/* Each refusal as the station receives it (a VSI refused without KEEP
 * fails and is removed). */
static void test_e2e_refusals(void **state)
{
	(void)state;
	const uint8_t R = VDP_STATUS_RESPONSE, H = VDP_STATUS_HARD, K = VDP_STATUS_KEEP;
	/* unknown type: De-Associate reply, reason 4, HARD */
	ask(2, VDP_TLV_ASSOC, 101, VDP_FIF_MACVID, mf(M1, 100));
	expect_seen(VSI_FAILED, VDP_RSN_OTHER, R | H | VDP_RSN_OTHER, true);
	/* VLAN not allowed: 5, HARD */
	ask(3, VDP_TLV_ASSOC, 100, VDP_FIF_MACVID, mf(M1, 200));
	expect_seen(VSI_FAILED, VDP_RSN_INVALID_ID, R | H | VDP_RSN_INVALID_ID, true);
	/* format not allowed: 1, HARD */
	ask(4, VDP_TLV_ASSOC, 100, VDP_FIF_VID, mf(NULL, 100));
	expect_seen(VSI_FAILED, VDP_RSN_INVALID_FMT, R | H | VDP_RSN_INVALID_FMT, true);
	/* Group IDs not negotiated on the bridge's side (checked before the
	 * policy by vdp_port, reason 1 without HARD there) */
	struct vdp_filter g = mf(M1, 100);
	g.group = 9;
	ask(5, VDP_TLV_ASSOC, 200, VDP_FIF_GROUPVID, g);
	expect_seen(VSI_FAILED, VDP_RSN_INVALID_FMT, R | VDP_RSN_INVALID_FMT, true);
	/* MAC/VLAN held by VSI 6: 5, soft */
	ask(6, VDP_TLV_ASSOC, 100, VDP_FIF_MACVID, mf(M1, 110));
	expect_seen(VSI_ASSOCIATED, 0, R, false);
	ask(7, VDP_TLV_ASSOC, 100, VDP_FIF_MACVID, mf(M1, 110));
	expect_seen(VSI_FAILED, VDP_RSN_INVALID_ID, R | VDP_RSN_INVALID_ID, true);
	/* limit 2 of type 100: VSI 6 and 8 hold it, 9 is refused: 2, soft */
	ask(8, VDP_TLV_PREASSOC, 100, VDP_FIF_MACVID, mf(M2, 120));
	expect_seen(VSI_PREASSOCIATED, 0, R, false);
	ask(9, VDP_TLV_ASSOC, 100, VDP_FIF_MACVID, mf(M2, 130));
	expect_seen(VSI_FAILED, VDP_RSN_NO_RESOURCES, R | VDP_RSN_NO_RESOURCES, true);
	/* VSI 8 goes Pre-Associate -> Associate at the limit: it counts already */
	ask(8, VDP_TLV_ASSOC, 100, VDP_FIF_MACVID, mf(M2, 120));
	expect_seen(VSI_ASSOCIATED, 0, R, false);
	/* a refused change of VSI 8 keeps its association: KEEP, in an Associate reply */
	ask(8, VDP_TLV_ASSOC, 100, VDP_FIF_MACVID, mf(M2, 400));
	expect_seen(VSI_ASSOCIATED, VDP_RSN_INVALID_ID, R | K | H | VDP_RSN_INVALID_ID, false);
	struct vdp_vsi_key k8 = key_n(8);
	const struct vdp_vsi *b = vsi_table_find(&BR->vdp.vsis, &k8);
	assert_non_null(b);
	assert_int_equal(b->confirmed, VDP_TLV_ASSOC);
	assert_int_equal(policy_in_use(&D, 100, 1), 2);
	assert_int_equal(BR->vdp.vsis.count, 2);
}

/* `vsitype del ... deassociate`: the VSIs of the type end with a
 * De-Associate to the station; other types stay. */
static void test_e2e_end_type(void **state)
{
	(void)state;
	ask(1, VDP_TLV_ASSOC, 100, VDP_FIF_MACVID, mf(M1, 0));
	ask(2, VDP_TLV_ASSOC, 100, VDP_FIF_MACVID, mf(M2, 0));
	ask(3, VDP_TLV_ASSOC, 200, VDP_FIF_VID, mf(NULL, 200));
	assert_int_equal(BR->vdp.vsis.count, 3);
	char err[128];
	assert_int_equal(vsitype_db_del(D.types, 100, 1, err, sizeof(err)), 0);
	/* removed from the database: VSIs in force stay ... */
	NOW += 200000;
	wire_run();
	assert_int_equal(BR->vdp.vsis.count, 3);
	/* ... new requests of the type are refused */
	ask(4, VDP_TLV_ASSOC, 100, VDP_FIF_MACVID, mf(M1, 120));
	expect_seen(VSI_FAILED, VDP_RSN_OTHER, 0x54, true);
	BR->kick_pending = false;
	assert_int_equal(policy_end_type(&D, 100, 1), 2);
	assert_true(BR->kick_pending); /* its de-associates go out at the end of the turn */
	wire_run();
	assert_int_equal(BR->vdp.vsis.count, 1);
	assert_int_equal(policy_in_use(&D, 100, 1), 0);
	assert_int_equal(policy_in_use(&D, 200, 1), 1);
	assert_true(SEEN.removed);
	assert_int_equal(SEEN.result, VSI_DEASSOCIATED);
	assert_int_equal(policy_end_type(&D, 100, 1), 0);
	/* the default entry: VSIs whose type has no entry of its own */
	assert_int_equal(policy_end_type(&D, VSITYPE_DEFAULT, 0), 0);
	assert_int_equal(vsitype_db_del(D.types, 200, 1, err, sizeof(err)), 0);
	assert_int_equal(policy_end_type(&D, VSITYPE_DEFAULT, 0), 1);
	wire_run();
	assert_int_equal(BR->vdp.vsis.count, 0);
}

/* A port switching policy (SIGHUP): VSIs granted under open are indexed at
 * the first use in database mode; back to open, the index goes. */
static void test_e2e_mode_switch(void **state)
{
	(void)state;
	const uint8_t R = VDP_STATUS_RESPONSE;
	BR->conf.policy = POLICY_OPEN;
	ask(1, VDP_TLV_ASSOC, 4242, VDP_FIF_MACVID, mf(M1, 100));
	expect_seen(VSI_ASSOCIATED, 0, R, false);
	ask(2, VDP_TLV_ASSOC, 100, VDP_FIF_MACVID, mf(M2, 0));
	expect_seen(VSI_ASSOCIATED, 0, R, false);
	assert_int_equal(SEEN.vid, 0); /* open: VID 0 stays */
	assert_int_equal(policy_bound(BR->policy), 0);
	assert_int_equal(policy_in_use(&D, 100, 1), 0); /* open ports do not count */
	BR->conf.policy = POLICY_DATABASE;
	assert_int_equal(policy_in_use(&D, 100, 1), 1); /* indexed at first use */
	assert_int_equal(policy_bound(BR->policy), 2);
	ask(3, VDP_TLV_ASSOC, 100, VDP_FIF_MACVID, mf(M1, 100));
	expect_seen(VSI_FAILED, VDP_RSN_INVALID_ID, R | VDP_RSN_INVALID_ID, true);
	/* the VSI of an unknown type granted under open stays in force */
	NOW += 200000;
	wire_run();
	struct vdp_vsi_key k1 = key_n(1);
	assert_non_null(vsi_table_find(&BR->vdp.vsis, &k1));
	BR->conf.policy = POLICY_OPEN;
	ask(4, VDP_TLV_ASSOC, 100, VDP_FIF_MACVID, mf(M1, 100));
	expect_seen(VSI_ASSOCIATED, 0, R, false);
	assert_int_equal(policy_bound(BR->policy), 0);
	assert_int_equal(BR->vdp.vsis.count, 3);
}

/* ---------------- the config key ---------------- */

static int load_conf(const char *text, struct evbd_conf *c, char *err, size_t cap)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/evbd.conf", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	conf_defaults(c);
	return conf_load(c, path, err, cap);
}

static void test_config_policy(void **state)
{
	(void)state;
	static struct evbd_conf c;
	char err[512] = "", want[512];
	assert_int_equal(load_conf("[port a]\nrole = bridge\n", &c, err, sizeof(err)), 0);
	assert_int_equal(c.policy, POLICY_OPEN);
	assert_int_equal(c.ports[0].policy, POLICY_OPEN);
	assert_int_equal(load_conf("[port a]\nrole = bridge\n[port b]\nrole = bridge\npolicy = "
				   "open\n[global]\npolicy = database\n[port c]\nrole = bridge\n",
				   &c, err, sizeof(err)),
			 0);
	assert_int_equal(c.policy, POLICY_DATABASE);
	assert_int_equal(c.ports[0].policy, POLICY_DATABASE); /* [global] after it: still */
	assert_int_equal(c.ports[1].policy, POLICY_OPEN);
	assert_int_equal(c.ports[2].policy, POLICY_DATABASE);
	/* quick-start ports take the [global] policy */
	assert_int_equal(conf_add_port(&c, "d", EVB_ROLE_BRIDGE, err, sizeof(err)), 0);
	assert_int_equal(c.ports[3].policy, POLICY_DATABASE);
	assert_int_equal(
	    load_conf("[port a]\nrole = bridge\npolicy = strict\n", &c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want),
		 "%s/evbd.conf line 3: key 'policy' in [port a] must be open (grant every VSI "
		 "request) or database (check requests against the VSI type database), not "
		 "'strict'.",
		 dir);
	assert_string_equal(err, want);
	assert_int_equal(load_conf("[global]\npolicy = Open\n", &c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want),
		 "%s/evbd.conf line 2: key 'policy' in [global] must be open (grant every VSI "
		 "request) or database (check requests against the VSI type database), not "
		 "'Open'.",
		 dir);
	assert_string_equal(err, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_db_rules),
	    cmocka_unit_test(test_db_apply_find_del),
	    cmocka_unit_test(test_db_limit),
	    cmocka_unit_test_setup_teardown(test_db_persists, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_db_damaged_rows, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_db_refused_write, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_db_in_store, setup, teardown),
	    cmocka_unit_test(test_open_grants_all),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_no_manager),
	    cmocka_unit_test(test_vid0_and_pcp_filled),
	    cmocka_unit_test(test_mac_vlan_owned),
	    cmocka_unit_test(test_limit_per_port),
	    cmocka_unit_test(test_index_scale),
	    cmocka_unit_test(test_index_table),
	    cmocka_unit_test_setup_teardown(test_e2e_vid0_adopted, e2e_setup, e2e_teardown),
	    cmocka_unit_test_setup_teardown(test_e2e_refusals, e2e_setup, e2e_teardown),
	    cmocka_unit_test_setup_teardown(test_e2e_end_type, e2e_setup, e2e_teardown),
	    cmocka_unit_test_setup_teardown(test_e2e_mode_switch, e2e_setup, e2e_teardown),
	    cmocka_unit_test_setup_teardown(test_config_policy, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
