/* SPDX-License-Identifier: ISC */
/*
 * test_evbd_store.c - unit tests of evbd's SQLite state (evbd/store.c): the
 * data blob's exact bytes and every malformed blob, put/flush/load round
 * trips, coalescing, deletes, 10,000 VSIs in one flush, a corrupt database
 * moved aside, damaged rows skipped, a newer schema refused, a failing flush
 * retried, meta settings.  Each test works in its own mkdtemp directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "evbd/store.h"
#include "vdp/evb.h"

#include "tmpdir.h"
#include "vsi_keys.h"

static char dir[64];
static char db_path[128];

static int setup(void **state)
{
	(void)state;
	if (tmpdir_make(dir, sizeof(dir), "evbd-store"))
		return -1;
	snprintf(db_path, sizeof(db_path), "%s/evbd.db", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove(dir);
}

/* ---------------- helpers ---------------- */

static const struct vdp_filter F[3] = {
    {.group = 0, .mac = {0x52, 0x54, 0x00, 0xc7, 0x3e, 0xce}, .vid = 100, .pcp = 0},
    {.group = 0x01020304, .mac = {0x52, 0x54, 0x00, 0, 0, 2}, .vid = 4094, .pcp = 7, .ps = true},
    {.group = 7, .mac = {0x02, 0, 0, 0, 0, 3}, .vid = 0, .pcp = 5, .ps = true},
};
static const uint8_t ORG[] = {0xfe, 0x05, 0x00, 0x80, 0xc2, 0x01, 0xaa};

/* A VSI with every stored field set from n, nf filters, org when with_org. */
static struct vdp_vsi *make_vsi(uint32_t n, uint16_t nf, bool with_org)
{
	struct vdp_vsi_key k = key_n(n);
	struct vdp_vsi *v = vsi_new(&k, 1);

	assert_non_null(v);
	for (int i = 0; i < VDP_MGRID_LEN; i++)
		v->mgrid[i] = (uint8_t)(n + (uint32_t)i);
	v->type_id = 0xabcdef ^ (n & 0xff);
	v->type_ver = (uint8_t)(n + 1);
	v->cmd = VDP_TLV_ASSOC;
	v->confirmed = VDP_TLV_PREASSOC;
	v->hints = 0x30;
	v->status = 0x12;
	v->result = VSI_ASSOCIATED;
	v->reason = 3;
	v->tag = 0xdeadbeef ^ n;
	v->state = 9; /* not stored */
	assert_int_equal(vsi_set_filters(v, VDP_FIF_GROUPMACVID, F, nf), 0);
	if (with_org)
		assert_int_equal(vsi_set_org(v, ORG, sizeof(ORG)), 0);
	return v;
}

static void assert_filter_equal(const struct vdp_filter *a, const struct vdp_filter *b)
{
	assert_int_equal(a->group, b->group);
	assert_memory_equal(a->mac, b->mac, 6);
	assert_int_equal(a->vid, b->vid);
	assert_int_equal(a->pcp, b->pcp);
	assert_int_equal(a->ps, b->ps);
}

static void assert_vsi_equal(const struct vdp_vsi *a, const struct vdp_vsi *b)
{
	assert_int_equal(a->key.fmt, b->key.fmt);
	assert_memory_equal(a->key.id, b->key.id, VDP_VSIID_LEN);
	assert_memory_equal(a->mgrid, b->mgrid, VDP_MGRID_LEN);
	assert_int_equal(a->type_id, b->type_id);
	assert_int_equal(a->type_ver, b->type_ver);
	assert_int_equal(a->cmd, b->cmd);
	assert_int_equal(a->confirmed, b->confirmed);
	assert_int_equal(a->hints, b->hints);
	assert_int_equal(a->status, b->status);
	assert_int_equal(a->result, b->result);
	assert_int_equal(a->reason, b->reason);
	assert_int_equal(a->tag, b->tag);
	assert_int_equal(a->fif, b->fif);
	assert_int_equal(a->nfilters, b->nfilters);
	for (uint16_t i = 0; i < a->nfilters; i++)
		assert_filter_equal(&vsi_filters(a)[i], &vsi_filters(b)[i]);
	assert_int_equal(a->org_len, b->org_len);
	if (a->org_len)
		assert_memory_equal(a->org, b->org, a->org_len);
}

/* Loaded VSIs, in a small array (the callback's context). */
struct loaded {
	struct vdp_vsi *v[16];
	int n;
	int stop_after; /* 0: never */
	uint64_t total;
};

static int keep_cb(void *ctx, struct vdp_vsi *v)
{
	struct loaded *l = ctx;

	l->total++;
	if (l->n < 16)
		l->v[l->n++] = v;
	else
		vsi_free(v);
	if (l->stop_after && l->total == (uint64_t)l->stop_after)
		return -EINTR;
	return 0;
}

static void loaded_free(struct loaded *l)
{
	for (int i = 0; i < l->n; i++)
		vsi_free(l->v[i]);
	memset(l, 0, sizeof(*l));
}

/* The loaded VSI with this key. */
static const struct vdp_vsi *loaded_find(const struct loaded *l, const struct vdp_vsi_key *k)
{
	for (int i = 0; i < l->n; i++)
		if (l->v[i]->key.fmt == k->fmt && !memcmp(l->v[i]->key.id, k->id, VDP_VSIID_LEN))
			return l->v[i];
	return NULL;
}

static struct evbd_store *open_store(void)
{
	struct evbd_store *s = NULL;

	assert_int_equal(store_open(dir, &s), 0);
	assert_non_null(s);
	return s;
}

static void sql(const char *stmt)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, stmt, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static int count_aside(char *name, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "evbd.db.corrupt-", 16) && !strchr(e->d_name + 16, '-')) {
			snprintf(name, len, "%s/%s", dir, e->d_name);
			n++;
		}
	closedir(d);
	return n;
}

/* ---------------- the blob ---------------- */

static const uint8_t BLOB_1F[] = {
    0x01, /* version */
    0,	  1,	2,    3,    4,	  5,	6,    7,
    8,	  9,	10,   11,   12,	  13,	14,   15, /* MgrID (n = 0) */
    0xab, 0xcd, 0xef,				  /* type id */
    0x01,					  /* type ver */
    0x03, 0x01, 0x30, 0x12, 0x03, 0x03,		  /* cmd confirmed hints status result reason */
    0xde, 0xad, 0xbe, 0xef,			  /* tag */
    0x04,					  /* fif */
    0x00, 0x01,					  /* nfilters */
    0,	  0,	0,    0,    0x52, 0x54, 0x00, 0xc7,
    0x3e, 0xce, 0x00, 0x64, 0x00, 0x00, 0x00, 0x07, /* org_len */
    0xfe, 0x05, 0x00, 0x80, 0xc2, 0x01, 0xaa,
};

static void test_blob_bytes(void **state)
{
	(void)state;
	struct vdp_vsi *v = make_vsi(0, 1, true);
	uint8_t buf[128];

	assert_int_equal(store_vsi_size(v), sizeof(BLOB_1F));
	assert_int_equal(store_vsi_encode(v, buf, sizeof(buf)), sizeof(BLOB_1F));
	assert_memory_equal(buf, BLOB_1F, sizeof(BLOB_1F));
	/* One octet short of room. */
	assert_int_equal(store_vsi_encode(v, buf, sizeof(BLOB_1F) - 1), -ENOSPC);
	vsi_free(v);

	/* Three filters, no org: 34 + 3 * 14 + 2 octets; filter 2 bytes exact. */
	v = make_vsi(1, 3, false);
	assert_int_equal(store_vsi_encode(v, buf, sizeof(buf)), 34 + 42 + 2);
	static const uint8_t f2[] = {0x01, 0x02, 0x03, 0x04, 0x52, 0x54, 0x00,
				     0x00, 0x00, 0x02, 0x0f, 0xfe, 0x07, 0x01};
	assert_memory_equal(buf + 34 + 14, f2, sizeof(f2));
	assert_int_equal(buf[34 + 42], 0);
	assert_int_equal(buf[34 + 43], 0);
	vsi_free(v);
}

static void test_blob_too_many_filters(void **state)
{
	(void)state;
	struct vdp_filter many[VDP_MAX_FILTERS + 1] = {0};
	struct vdp_vsi_key k = key_n(1);
	struct vdp_vsi *v = vsi_new(&k, 0);
	uint8_t *buf = malloc(8192);

	assert_non_null(buf);
	assert_int_equal(vsi_set_filters(v, VDP_FIF_VID, many, VDP_MAX_FILTERS), 0);
	assert_int_equal(store_vsi_encode(v, buf, 8192), 34 + VDP_MAX_FILTERS * 14 + 2);
	assert_int_equal(vsi_set_filters(v, VDP_FIF_VID, many, VDP_MAX_FILTERS + 1), 0);
	assert_int_equal(store_vsi_encode(v, buf, 8192), -EINVAL);
	vsi_free(v);
	free(buf);
}

/* Decode b (len) into a fresh VSI; the return code, *what on error. */
static int decode(const uint8_t *b, size_t len, const char **what)
{
	struct vdp_vsi_key k = key_n(0);
	struct vdp_vsi *v = vsi_new(&k, 0);
	int rc;

	*what = NULL;
	rc = store_vsi_decode(b, len, v, what);
	vsi_free(v);
	return rc;
}

static void test_blob_decode_ok(void **state)
{
	(void)state;
	struct vdp_vsi *want = make_vsi(0, 1, true);
	struct vdp_vsi_key k = key_n(0);
	struct vdp_vsi *v = vsi_new(&k, 0);
	const char *what = NULL;

	assert_int_equal(store_vsi_decode(BLOB_1F, sizeof(BLOB_1F), v, &what), 0);
	assert_null(what);
	assert_vsi_equal(v, want);
	vsi_free(v);
	vsi_free(want);
}

static void test_blob_truncations(void **state)
{
	(void)state;
	const char *what;

	for (size_t n = 0; n < sizeof(BLOB_1F); n++) {
		assert_int_equal(decode(BLOB_1F, n, &what), -EINVAL);
		if (n == 0)
			assert_string_equal(what, "empty data");
		else if (n >= 34 && n < 48)
			assert_string_equal(what, "truncated filter");
		else
			assert_string_equal(what, "truncated");
	}
}

/* Change one octet at off to val: decode fails with `want`. */
static void expect_bad(size_t off, uint8_t val, const char *want)
{
	uint8_t b[sizeof(BLOB_1F) + 1];
	const char *what;

	memcpy(b, BLOB_1F, sizeof(BLOB_1F));
	b[off] = val;
	assert_int_equal(decode(b, sizeof(BLOB_1F), &what), -EINVAL);
	assert_string_equal(what, want);
}

static void test_blob_bad_fields(void **state)
{
	(void)state;
	uint8_t b[sizeof(BLOB_1F) + 1];
	const char *what;

	expect_bad(0, 2, "unknown data version");
	expect_bad(0, 0, "unknown data version");
	expect_bad(21, 5, "command type above 4"); /* cmd */
	expect_bad(22, 5, "command type above 4"); /* confirmed */
	expect_bad(25, VSI_FAILED + 1, "unknown result");
	expect_bad(44, 0x10, "filter VID above 4095"); /* VID high octet */
	expect_bad(46, 8, "filter PCP above 7");
	expect_bad(47, 2, "filter PS flag neither 0 nor 1");
	expect_bad(33, 2, "truncated filter"); /* 2 filters announced */
	expect_bad(33, 0, "trailing octets");  /* 0 filters: 21 octets left over */
	expect_bad(49, 6, "trailing octets");  /* org_len 6 of 7 */
	expect_bad(49, 8, "truncated");	       /* org_len 8 of 7 */
	expect_bad(32, 0x01, "more filters than a VSI TLV holds"); /* 257 */
	/* One extra octet at the end. */
	memcpy(b, BLOB_1F, sizeof(BLOB_1F));
	b[sizeof(BLOB_1F)] = 0;
	assert_int_equal(decode(b, sizeof(b), &what), -EINVAL);
	assert_string_equal(what, "trailing octets");
	/* Limits that are fine: VID 4095, PCP 7, result FAILED, cmd DEASSOC. */
	memcpy(b, BLOB_1F, sizeof(BLOB_1F));
	b[44] = 0x0f;
	b[45] = 0xff;
	b[46] = 7;
	b[25] = VSI_FAILED;
	b[21] = VDP_TLV_DEASSOC;
	assert_int_equal(decode(b, sizeof(BLOB_1F), &what), 0);
}

/* ---------------- round trips ---------------- */

static void test_open_creates_dir(void **state)
{
	(void)state;
	char sub[128], path[160], val[8];
	struct evbd_store *s = NULL;
	struct stat sb;
	sqlite3 *db;
	sqlite3_stmt *st;

	snprintf(sub, sizeof(sub), "%s/a/b", dir);
	assert_int_equal(store_open(sub, &s), 0);
	assert_int_equal(stat(sub, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(store_meta_get(s, "schema_version", val, sizeof(val)), 0);
	assert_string_equal(val, "1");
	store_close(s);
	/* WAL mode is persistent in the file. */
	snprintf(path, sizeof(path), "%s/evbd.db", sub);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(db);
	/* A file where the directory should be. */
	snprintf(path, sizeof(path), "%s/file", dir);
	fclose(fopen(path, "w"));
	assert_int_equal(store_open(path, &s), -ENOTDIR);
	assert_null(s);
}

static void test_round_trip(void **state)
{
	(void)state;
	struct evbd_store *s = open_store();
	struct vdp_vsi *v[4] = {make_vsi(10, 0, false), make_vsi(11, 1, true),
				make_vsi(12, 3, true), make_vsi(13, 3, false)};
	struct vdp_vsi *other_if = make_vsi(14, 1, false), *bridge = make_vsi(15, 1, false);
	struct loaded l = {0};

	for (int i = 0; i < 4; i++)
		store_vsi_put(s, "eth0", EVB_ROLE_STATION, v[i]);
	store_vsi_put(s, "eth1", EVB_ROLE_STATION, other_if);
	store_vsi_put(s, "eth0", EVB_ROLE_BRIDGE, bridge);
	assert_int_equal(store_pending(s), 6);
	assert_int_equal(store_flush(s), 0);
	assert_int_equal(store_pending(s), 0);
	assert_int_equal(store_flush(s), 0); /* nothing to do */
	store_close(s);

	s = open_store();
	assert_int_equal(store_load(s, "eth0", EVB_ROLE_STATION, keep_cb, &l), 4);
	assert_int_equal(l.n, 4);
	for (int i = 0; i < 4; i++) {
		const struct vdp_vsi *got = loaded_find(&l, &v[i]->key);
		assert_non_null(got);
		assert_vsi_equal(got, v[i]);
		assert_int_equal(got->state, 0); /* not stored: the port machine decides */
		assert_true(got->created > 1);	 /* the monotonic clock at load */
	}
	loaded_free(&l);
	assert_int_equal(store_load(s, "eth0", EVB_ROLE_BRIDGE, keep_cb, &l), 1);
	assert_vsi_equal(l.v[0], bridge);
	loaded_free(&l);
	assert_int_equal(store_load(s, "eth1", EVB_ROLE_STATION, keep_cb, &l), 1);
	assert_vsi_equal(l.v[0], other_if);
	loaded_free(&l);
	assert_int_equal(store_load(s, "eth2", EVB_ROLE_STATION, keep_cb, &l), 0);
	store_close(s);
	for (int i = 0; i < 4; i++)
		vsi_free(v[i]);
	vsi_free(other_if);
	vsi_free(bridge);
}

/* The queue copies the VSI: freeing it before the flush is fine. */
static void test_put_copies(void **state)
{
	(void)state;
	struct evbd_store *s = open_store();
	struct vdp_vsi *v = make_vsi(1, 3, true), *want = make_vsi(1, 3, true);
	struct loaded l = {0};

	store_vsi_put(s, "eth0", EVB_ROLE_STATION, v);
	vsi_free(v);
	assert_int_equal(store_flush(s), 0);
	assert_int_equal(store_load(s, "eth0", EVB_ROLE_STATION, keep_cb, &l), 1);
	assert_vsi_equal(l.v[0], want);
	loaded_free(&l);
	vsi_free(want);
	store_close(s);
}

/* The last change queued for a VSI wins; one row per VSI. */
static void test_coalesce(void **state)
{
	(void)state;
	struct evbd_store *s = open_store();
	struct vdp_vsi *a = make_vsi(1, 1, false), *b = make_vsi(2, 1, false);
	struct loaded l = {0};

	for (uint8_t r = VSI_PENDING; r <= VSI_FAILED; r++) {
		a->result = r;
		store_vsi_put(s, "eth0", EVB_ROLE_STATION, a);
	}
	store_vsi_put(s, "eth1", EVB_ROLE_STATION, a); /* same key, other port */
	assert_int_equal(store_pending(s), 2);
	store_vsi_put(s, "eth0", EVB_ROLE_STATION, b);
	store_vsi_del(s, "eth0", &b->key); /* put then delete: nothing */
	store_vsi_del(s, "eth1", &a->key);
	store_vsi_put(s, "eth1", EVB_ROLE_STATION, a); /* delete then put: there */
	assert_int_equal(store_pending(s), 3);
	assert_int_equal(store_flush(s), 0);
	assert_int_equal(store_load(s, "eth0", EVB_ROLE_STATION, keep_cb, &l), 1);
	assert_int_equal(l.v[0]->result, VSI_FAILED);
	assert_memory_equal(l.v[0]->key.id, a->key.id, VDP_VSIID_LEN);
	loaded_free(&l);
	assert_int_equal(store_load(s, "eth1", EVB_ROLE_STATION, keep_cb, &l), 1);
	loaded_free(&l);
	/* Growth of the queue keeps the index: 200 VSIs, then all again. */
	for (uint32_t i = 0; i < 200; i++) {
		struct vdp_vsi *v = make_vsi(1000 + i, 0, false);
		store_vsi_put(s, "eth2", EVB_ROLE_BRIDGE, v);
		vsi_free(v);
	}
	for (uint32_t i = 0; i < 200; i++) {
		struct vdp_vsi *v = make_vsi(1000 + i, 0, false);
		v->result = VSI_PREASSOCIATED;
		store_vsi_put(s, "eth2", EVB_ROLE_BRIDGE, v);
		vsi_free(v);
	}
	assert_int_equal(store_pending(s), 200);
	store_close(s); /* flushes */
	s = open_store();
	assert_int_equal(store_load(s, "eth2", EVB_ROLE_BRIDGE, keep_cb, &l), 200);
	for (int i = 0; i < l.n; i++)
		assert_int_equal(l.v[i]->result, VSI_PREASSOCIATED);
	loaded_free(&l);
	store_close(s);
	vsi_free(a);
	vsi_free(b);
}

static void test_delete(void **state)
{
	(void)state;
	struct evbd_store *s = open_store();
	struct vdp_vsi *a = make_vsi(1, 1, true), *b = make_vsi(2, 3, false);
	struct loaded l = {0};

	store_vsi_put(s, "eth0", EVB_ROLE_STATION, a);
	store_vsi_put(s, "eth0", EVB_ROLE_STATION, b);
	assert_int_equal(store_flush(s), 0);
	store_vsi_del(s, "eth0", &a->key);
	store_vsi_del(s, "eth9", &b->key); /* no such row: fine */
	assert_int_equal(store_flush(s), 0);
	store_close(s);
	s = open_store();
	assert_int_equal(store_load(s, "eth0", EVB_ROLE_STATION, keep_cb, &l), 1);
	assert_vsi_equal(l.v[0], b);
	loaded_free(&l);
	store_close(s);
	vsi_free(a);
	vsi_free(b);
}

/* store_load() writes what is queued before reading. */
static void test_load_flushes_first(void **state)
{
	(void)state;
	struct evbd_store *s = open_store();
	struct vdp_vsi *a = make_vsi(1, 1, false);
	struct loaded l = {0};

	store_vsi_put(s, "eth0", EVB_ROLE_STATION, a);
	assert_int_equal(store_load(s, "eth0", EVB_ROLE_STATION, keep_cb, &l), 1);
	assert_int_equal(store_pending(s), 0);
	loaded_free(&l);
	store_close(s);
	vsi_free(a);
}

/* The callback stops the load with an error; it owns what it got. */
static void test_load_cb_stops(void **state)
{
	(void)state;
	struct evbd_store *s = open_store();
	struct loaded l = {.stop_after = 2};

	for (uint32_t i = 0; i < 5; i++) {
		struct vdp_vsi *v = make_vsi(i, 0, false);
		store_vsi_put(s, "eth0", EVB_ROLE_STATION, v);
		vsi_free(v);
	}
	assert_int_equal(store_load(s, "eth0", EVB_ROLE_STATION, keep_cb, &l), -EINTR);
	assert_int_equal(l.total, 2);
	loaded_free(&l);
	/* The statement was reset: a second load works. */
	assert_int_equal(store_load(s, "eth0", EVB_ROLE_STATION, keep_cb, &l), 5);
	loaded_free(&l);
	store_close(s);
}

static void test_10000_in_one_flush(void **state)
{
	(void)state;
	struct evbd_store *s = open_store();
	struct loaded l = {0};
	struct timespec t0, t1;

	for (uint32_t i = 0; i < 10000; i++) {
		struct vdp_vsi *v = make_vsi(i, 1, false);
		store_vsi_put(s, "eth0", EVB_ROLE_BRIDGE, v);
		vsi_free(v);
	}
	assert_int_equal(store_pending(s), 10000);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(store_flush(s), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("[ INFO     ] 10,000 VSIs written in one flush in %.1f ms\n",
	       (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	assert_int_equal(store_pending(s), 0);
	store_close(s);
	s = open_store();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(store_load(s, "eth0", EVB_ROLE_BRIDGE, keep_cb, &l), 10000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("[ INFO     ] 10,000 VSIs loaded in %.1f ms\n",
	       (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	assert_int_equal(l.total, 10000);
	loaded_free(&l);
	store_close(s);
}

static long long file_pair_size(void) /* the database and its write-ahead log */
{
	char wal[160];
	struct stat a, b;

	snprintf(wal, sizeof(wal), "%s-wal", db_path);
	assert_int_equal(stat(db_path, &a), 0);
	return (long long)a.st_size + (stat(wal, &b) ? 0 : (long long)b.st_size);
}

static long long pragma(struct evbd_store *s, const char *q)
{
	sqlite3_stmt *st;
	long long v;

	assert_int_equal(sqlite3_prepare_v2(store_sqlite(s), q, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* 10,000 VSIs come and go: the file and its log shrink again. */
static void test_space_given_back(void **state)
{
	(void)state;
	struct evbd_store *s = open_store();

	assert_int_equal(pragma(s, "PRAGMA auto_vacuum"), 2); /* incremental */
	for (uint32_t i = 0; i < 10000; i++) {
		struct vdp_vsi *v = make_vsi(i, 1, false);
		store_vsi_put(s, "eth0", EVB_ROLE_BRIDGE, v);
		vsi_free(v);
	}
	assert_int_equal(store_flush(s), 0);
	long long full = file_pair_size();
	for (uint32_t i = 0; i < 10000; i++) {
		struct vdp_vsi *v = make_vsi(i, 1, false);
		store_vsi_del(s, "eth0", &v->key);
		vsi_free(v);
	}
	assert_int_equal(store_flush(s), 0);
	long long empty = file_pair_size();
	printf("[ INFO     ] 10,000 VSIs: %lld octets, %lld after they went\n", full, empty);
	assert_true(empty < full / 4);
	assert_true(pragma(s, "PRAGMA freelist_count") < 64);
	store_close(s);
}

/* VSIs that go a few at a time free too few pages for any flush to give
 * back: the store says so, and the loop's idle reclaim gives them back. */
static void test_idle_reclaim(void **state)
{
	(void)state;
	struct evbd_store *s = open_store();

	for (uint32_t i = 0; i < 600; i++) {
		struct vdp_vsi *v = make_vsi(i, 1, false);
		store_vsi_put(s, "eth0", EVB_ROLE_BRIDGE, v);
		vsi_free(v);
	}
	assert_int_equal(store_flush(s), 0);
	assert_false(store_reclaim_wanted(s));
	for (uint32_t i = 0; i < 600; i++) { /* 20 at a time */
		struct vdp_vsi *v = make_vsi(i, 1, false);
		store_vsi_del(s, "eth0", &v->key);
		vsi_free(v);
		if (i % 20 == 19)
			assert_int_equal(store_flush(s), 0);
	}
	assert_true(pragma(s, "PRAGMA freelist_count") > 0);
	assert_true(store_reclaim_wanted(s));
	long long before = file_pair_size();
	store_reclaim_idle(s);
	assert_int_equal(pragma(s, "PRAGMA freelist_count"), 0);
	assert_false(store_reclaim_wanted(s));
	printf(
	    "[ INFO     ] 600 VSIs gone 20 at a time: %lld octets, %lld after the idle reclaim\n",
	    before, file_pair_size());
	assert_true(file_pair_size() < before);
	store_close(s);
}

/* A file made without auto-vacuum gets it once, its rows kept. */
static void test_old_file_vacuumed(void **state)
{
	(void)state;
	struct evbd_store *s = open_store();
	struct vdp_vsi *v = make_vsi(1, 1, false);
	struct loaded l = {0};

	store_vsi_put(s, "eth0", EVB_ROLE_BRIDGE, v);
	vsi_free(v);
	store_close(s);
	sql("PRAGMA auto_vacuum = NONE; VACUUM");
	s = open_store();
	assert_int_equal(pragma(s, "PRAGMA auto_vacuum"), 2);
	assert_int_equal(store_load(s, "eth0", EVB_ROLE_BRIDGE, keep_cb, &l), 1);
	loaded_free(&l);
	store_close(s);
}

/* ---------------- damage ---------------- */

static void write_garbage(const char *path, size_t n, unsigned seed)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		fputc((int)((i * 131 + seed) & 0xff), f);
	fclose(f);
}

static void test_corrupt_file(void **state)
{
	(void)state;
	char aside[512], wal[300];
	struct evbd_store *s;
	struct vdp_vsi *a = make_vsi(1, 1, false);
	struct loaded l = {0};
	struct stat sb;

	write_garbage(db_path, 8192, 7);
	snprintf(wal, sizeof(wal), "%s-wal", db_path);
	write_garbage(wal, 100, 3);
	s = open_store();
	assert_int_equal(count_aside(aside, sizeof(aside)), 1);
	assert_int_equal(stat(aside, &sb), 0);
	assert_int_equal(sb.st_size, 8192); /* the garbage, kept for a look */
	/* SQLite itself drops the unusable -wal next to the garbage file. */
	assert_int_equal(stat(wal, &sb) == 0 && sb.st_size == 100, 0);
	/* A fresh, empty, working store. */
	assert_int_equal(store_load(s, "eth0", EVB_ROLE_STATION, keep_cb, &l), 0);
	store_vsi_put(s, "eth0", EVB_ROLE_STATION, a);
	assert_int_equal(store_flush(s), 0);
	store_close(s);
	s = open_store();
	assert_int_equal(store_load(s, "eth0", EVB_ROLE_STATION, keep_cb, &l), 1);
	loaded_free(&l);
	store_close(s);
	assert_int_equal(count_aside(aside, sizeof(aside)), 1);
	vsi_free(a);
}

/* A valid header with damaged b-tree pages: PRAGMA quick_check finds it. */
static void test_corrupt_pages(void **state)
{
	(void)state;
	struct evbd_store *s = open_store();
	struct loaded l = {0};
	char aside[512];
	struct stat sb;
	FILE *f;

	for (uint32_t i = 0; i < 500; i++) {
		struct vdp_vsi *v = make_vsi(i, 3, true);
		store_vsi_put(s, "eth0", EVB_ROLE_STATION, v);
		vsi_free(v);
	}
	store_close(s); /* checkpoints the WAL into the file */
	assert_int_equal(stat(db_path, &sb), 0);
	assert_true(sb.st_size > 8 * 4096);
	f = fopen(db_path, "r+");
	assert_non_null(f);
	fseek(f, 4 * 4096, SEEK_SET); /* pages 5..8: vsi table pages */
	for (int i = 0; i < 4 * 4096; i++)
		fputc(0xa5, f);
	fclose(f);
	s = open_store();
	assert_int_equal(count_aside(aside, sizeof(aside)), 1);
	assert_int_equal(store_load(s, "eth0", EVB_ROLE_STATION, keep_cb, &l), 0);
	store_close(s);
}

/* Rows that do not decode are skipped; the others load. */
static void test_damaged_rows_skipped(void **state)
{
	(void)state;
	struct evbd_store *s = open_store();
	struct vdp_vsi *v[5];
	struct loaded l = {0};

	for (uint32_t i = 0; i < 5; i++) {
		v[i] = make_vsi(i, 1, true);
		store_vsi_put(s, "eth0", EVB_ROLE_STATION, v[i]);
	}
	store_close(s);
	/* VSI 0: truncated blob; 1: a future version; 2: VSIID of 5 octets;
	 * 3: VSIID format out of range.  VSI 4 stays good. */
	sql("UPDATE vsi SET data = x'01ff' WHERE substr(vsiid, 1, 4) = x'00000000';"
	    "UPDATE vsi SET data = x'02' || substr(data, 2) WHERE substr(vsiid, 1, 4) = "
	    "x'00000001';"
	    "UPDATE vsi SET vsiid = x'0000000240' WHERE substr(vsiid, 1, 4) = x'00000002';"
	    "UPDATE vsi SET vsiid_fmt = 300 WHERE substr(vsiid, 1, 4) = x'00000003';");
	s = open_store();
	assert_int_equal(store_load(s, "eth0", EVB_ROLE_STATION, keep_cb, &l), 1);
	assert_int_equal(l.n, 1);
	assert_vsi_equal(l.v[0], v[4]);
	loaded_free(&l);
	store_close(s);
	for (int i = 0; i < 5; i++)
		vsi_free(v[i]);
}

/* A database from a newer evbd is left alone and refused. */
static void test_newer_schema(void **state)
{
	(void)state;
	struct evbd_store *s = open_store();
	char aside[512];

	assert_int_equal(store_meta_put(s, "schema_version", "2"), 0);
	store_close(s);
	assert_int_equal(store_open(dir, &s), -EIO);
	assert_null(s);
	assert_int_equal(count_aside(aside, sizeof(aside)), 0);
	assert_int_equal(access(db_path, F_OK), 0);
	/* A missing schema_version is damage. */
	sql("UPDATE meta SET value = 'x' WHERE key = 'schema_version'");
	s = open_store();
	assert_int_equal(count_aside(aside, sizeof(aside)), 1);
	store_close(s);
}

/* A flush that cannot write keeps its changes and succeeds later. */
static void test_flush_failure_retried(void **state)
{
	(void)state;
	struct evbd_store *s = open_store();
	struct vdp_vsi *a = make_vsi(1, 1, false);
	struct loaded l = {0};
	sqlite3 *other;

	assert_int_equal(sqlite3_open(db_path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	store_vsi_put(s, "eth0", EVB_ROLE_STATION, a);
	assert_int_equal(store_flush(s), -EIO); /* busy for 2 s, then gives up */
	assert_int_equal(store_pending(s), 1);
	assert_non_null(strstr(store_error(s), "could not be written (1 VSI change(s))"));
	assert_int_equal(store_synced_gen(s), 0);
	assert_int_equal(store_next_gen(s), 1);
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	assert_int_equal(store_flush(s), 0);
	assert_int_equal(store_pending(s), 0);
	assert_null(store_error(s));
	assert_int_equal(store_synced_gen(s), 1);
	assert_int_equal(store_load(s, "eth0", EVB_ROLE_STATION, keep_cb, &l), 1);
	loaded_free(&l);
	store_close(s);
	vsi_free(a);
}

/* Each sync point is a generation; a deleted database is written again
 * from the open copy with every row, and the connection is replaced. */
static void test_deleted_file_written_again(void **state)
{
	(void)state;
	struct evbd_store *s = open_store();
	struct vdp_vsi *a = make_vsi(1, 1, false), *b = make_vsi(2, 2, true);
	struct loaded l = {0};
	char buf[8];

	assert_int_equal(store_synced_gen(s), 0);
	assert_int_equal(store_next_gen(s), 1);
	store_vsi_put(s, "eth0", EVB_ROLE_STATION, a);
	assert_int_equal(store_flush(s), 0);
	assert_int_equal(store_synced_gen(s), 1);
	assert_int_equal(store_next_gen(s), 2);
	assert_int_equal(store_meta_put(s, "k", "v"), 0);
	assert_false(store_take_reopened(s));
	assert_int_equal(unlink(db_path), 0);
	store_vsi_put(s, "eth0", EVB_ROLE_STATION, b);
	assert_int_equal(store_flush(s), 0);
	assert_int_equal(store_synced_gen(s), 2);
	assert_int_equal(access(db_path, F_OK), 0);
	assert_true(store_take_reopened(s));
	assert_false(store_take_reopened(s));
	store_close(s);

	s = open_store();
	assert_int_equal(store_load(s, "eth0", EVB_ROLE_STATION, keep_cb, &l), 2);
	assert_int_equal(store_meta_get(s, "k", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "v");
	loaded_free(&l);
	store_close(s);
	vsi_free(a);
	vsi_free(b);
}

/* A second store on the same directory is refused while the first is open. */
static void test_dir_locked(void **state)
{
	(void)state;
	struct evbd_store *s = open_store(), *t = (struct evbd_store *)1;

	assert_int_equal(store_open(dir, &t), -EBUSY);
	assert_null(t);
	store_close(s);
	assert_int_equal(store_open(dir, &t), 0);
	store_close(t);
}

static void test_meta(void **state)
{
	(void)state;
	struct evbd_store *s = open_store();
	char buf[8];

	assert_int_equal(store_meta_get(s, "nope", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(store_meta_put(s, "k", "value12"), 0);
	assert_int_equal(store_meta_get(s, "k", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "value12");
	assert_int_equal(store_meta_put(s, "k", "value123"), 0);
	assert_int_equal(store_meta_get(s, "k", buf, sizeof(buf)), -ENOSPC);
	assert_int_equal(store_meta_put(s, "k", ""), 0);
	store_close(s);
	s = open_store();
	assert_int_equal(store_meta_get(s, "k", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	store_close(s);
}

/* Without a store everything is a no-op. */
static void test_null_store(void **state)
{
	(void)state;
	struct vdp_vsi *a = make_vsi(1, 1, false);
	struct loaded l = {0};
	char buf[8];

	store_vsi_put(NULL, "eth0", EVB_ROLE_STATION, a);
	store_vsi_del(NULL, "eth0", &a->key);
	assert_int_equal(store_pending(NULL), 0);
	assert_int_equal(store_flush(NULL), 0);
	assert_int_equal(store_load(NULL, "eth0", EVB_ROLE_STATION, keep_cb, &l), 0);
	assert_int_equal(store_meta_get(NULL, "k", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(store_meta_put(NULL, "k", "v"), -EIO);
	store_close(NULL);
	/* A name too long for an interface is ignored too. */
	struct evbd_store *s = open_store();
	store_vsi_put(s, "eth0123456789abc", EVB_ROLE_STATION, a);
	store_vsi_del(s, "eth0123456789abc", &a->key);
	assert_int_equal(store_pending(s), 0);
	store_close(s);
	vsi_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_blob_bytes),
	    cmocka_unit_test(test_blob_too_many_filters),
	    cmocka_unit_test(test_blob_decode_ok),
	    cmocka_unit_test(test_blob_truncations),
	    cmocka_unit_test(test_blob_bad_fields),
	    cmocka_unit_test_setup_teardown(test_open_creates_dir, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_space_given_back, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_idle_reclaim, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_old_file_vacuumed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_put_copies, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_coalesce, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_load_flushes_first, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_load_cb_stops, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_10000_in_one_flush, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_corrupt_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_corrupt_pages, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_damaged_rows_skipped, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_newer_schema, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_flush_failure_retried, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_deleted_file_written_again, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dir_locked, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_meta, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_null_store, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
