/* SPDX-License-Identifier: ISC */
/*
 * test_mib.c - unit tests of the managed-object library (mib/): OID order,
 * parsing and printing; get, get-next and set of the EVB MIB tree over a
 * source made of plain arrays (two ports, VSIs with several filters);
 * index encoding of VSIDBTable / VSIDBMacTable; get-next order across
 * tables and from arbitrary OIDs, checked against a brute-force list of
 * every instance; names in both directions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mib/evb_mib.h"
#include "vdp/proto.h"

/* ---------------- a source made of arrays ---------------- */

#define NPORTS	 2
#define MAX_VSIS 64

struct fake {
	struct mib_evb_port port[NPORTS];
	struct vdp_vsi *vsi[NPORTS][MAX_VSIS]; /* sorted by the fake on request */
	size_t nvsi[NPORTS];
	int32_t knob[MIB_EVB_KNOBS];
	int sets; /* applied writes */
	bool manual_set;
	struct vdp_vsi_key keys[MAX_VSIS + 1];
	struct vdp_vsi_key stale; /* an index entry whose VSI is gone */
	bool has_stale;
};

static void f_sys(void *src, struct mib_evb_sys *out)
{
	struct fake *f = src;

	memset(out, 0, sizeof(*out));
	out->bridge = true;
	out->nports = NPORTS;
	memcpy(out->knob, f->knob, sizeof(f->knob));
	out->start_us = 1000000;
	out->now_us = 5000000;
}

static bool f_port_next(void *src, uint32_t after, struct mib_evb_port *out)
{
	struct fake *f = src;

	if (after >= NPORTS)
		return false;
	*out = f->port[after];
	return true;
}

static int key_cmp(const void *a, const void *b)
{
	const struct vdp_vsi_key *x = a, *y = b;

	if (x->fmt != y->fmt)
		return x->fmt - y->fmt;
	return memcmp(x->id, y->id, 16);
}

/* The sorted keys; a key in f->stale has no VSI any more (a lagging
 * index). */
static size_t f_vsi_keys(void *src, uint32_t num, const struct vdp_vsi_key **sorted)
{
	struct fake *f = src;
	size_t n = 0;

	assert_true(num >= 1 && num <= NPORTS);
	for (size_t i = 0; i < f->nvsi[num - 1]; i++)
		f->keys[n++] = f->vsi[num - 1][i]->key;
	if (num == 1 && f->has_stale)
		f->keys[n++] = f->stale;
	qsort(f->keys, n, sizeof(f->keys[0]), key_cmp);
	*sorted = f->keys;
	return n;
}

static const struct vdp_vsi *f_vsi_find(void *src, uint32_t num, const struct vdp_vsi_key *k)
{
	struct fake *f = src;

	for (size_t i = 0; i < f->nvsi[num - 1]; i++)
		if (!memcmp(&f->vsi[num - 1][i]->key, k, sizeof(*k)))
			return f->vsi[num - 1][i];
	return NULL;
}

static int f_set_knob(void *src, enum mib_evb_knob k, int32_t v, bool commit, char *err,
		      size_t errlen)
{
	struct fake *f = src;

	if (k == MIB_EVB_RKA_EXP && v < 14) { /* the source's own rule */
		snprintf(err, errlen, "too short");
		return MIB_ERR_INCONSISTENT_VALUE;
	}
	if (commit) {
		f->knob[k] = v;
		f->sets++;
	}
	return MIB_OK;
}

static int f_set_manual(void *src, uint32_t num, bool manual, bool commit, char *err, size_t errlen)
{
	struct fake *f = src;

	(void)err, (void)errlen;
	if (commit) {
		f->port[num - 1].manual = manual;
		f->manual_set = true;
	}
	return MIB_OK;
}

/* Both ports run CDCP: port 1 a bridge whose SVIDs are not in SCID order,
 * port 2 a station whose bridge's TLV is in force. */
static const struct cdcp_chan br_chan[] = {{1, 1}, {2, 105}, {3, 101}};
static const struct cdcp_chan st_chan[] = {{1, 1}, {2, 100}};

static bool f_uap_next(void *src, uint32_t after, struct mib_evb_uap *out)
{
	(void)src;
	if (after >= NPORTS)
		return false;
	if (after == 0)
		*out = (struct mib_evb_uap){.num = 1,
					    .ifindex = 10,
					    .admin_chncap = 8,
					    .oper_chncap = 3,
					    .pool_low = 100,
					    .pool_high = 109,
					    .nchan = 3,
					    .chan = br_chan};
	else
		*out = (struct mib_evb_uap){.num = 2,
					    .ifindex = 11,
					    .station = true,
					    .admin_chncap = 3,
					    .oper_chncap = 3,
					    .running = true,
					    .remote = true,
					    .nchan = 2,
					    .chan = st_chan};
	return true;
}

static const struct mib_evb_ops fake_ops = {f_sys,	f_port_next,  f_vsi_keys, f_vsi_find,
					    f_set_knob, f_set_manual, f_uap_next};

static struct vdp_vsi *add_vsi(struct fake *f, unsigned port, uint8_t fmt, uint8_t first,
			       uint8_t last, uint16_t nfilt)
{
	struct vdp_vsi_key k = {.fmt = fmt};
	struct vdp_filter flt[4] = {0};
	struct vdp_vsi *v;

	k.id[0] = first;
	k.id[15] = last;
	v = vsi_new(&k, 1500000);
	assert_non_null(v);
	/* filters deliberately out of index order */
	for (uint16_t i = 0; i < nfilt; i++) {
		flt[i].mac[0] = 0x52;
		flt[i].mac[5] = (uint8_t)(nfilt - i);
		flt[i].vid = (uint16_t)(100 + i);
	}
	assert_int_equal(vsi_set_filters(v, VDP_FIF_MACVID, flt, nfilt), 0);
	v->type_id = 0x123456;
	v->type_ver = 4;
	v->confirmed = VDP_TLV_ASSOC;
	v->n_ok = 3;
	f->vsi[port][f->nvsi[port]++] = v;
	return v;
}

struct fix {
	struct fake f;
	struct mib_evb m;
};

static int setup(void **state)
{
	struct fix *x = calloc(1, sizeof(*x));

	assert_non_null(x);
	for (int i = 0; i < NPORTS; i++)
		x->f.port[i] = (struct mib_evb_port){.num = (uint32_t)i + 1,
						     .ifindex = 10 + i,
						     .bridge = i == 0,
						     .rwd = 20,
						     .rka = 21,
						     .tx_frames = 7};
	x->f.knob[MIB_EVB_ECP_MAX_RETRIES] = 3;
	add_vsi(&x->f, 0, VDP_VSIID_UUID, 9, 1, 2);
	add_vsi(&x->f, 0, VDP_VSIID_UUID, 2, 2, 1);
	add_vsi(&x->f, 0, VDP_VSIID_MAC, 200, 3, 0); /* no filters: no Mac rows */
	add_vsi(&x->f, 1, VDP_VSIID_UUID, 1, 4, 3);
	/* the index still lists a VSI that is gone: walks must skip it */
	x->f.stale = (struct vdp_vsi_key){.fmt = VDP_VSIID_UUID, .id = {5}};
	x->f.has_stale = true;
	assert_int_equal(mib_evb_init(&x->m, &fake_ops, &x->f), 0);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fix *x = *state;

	for (int p = 0; p < NPORTS; p++)
		for (size_t i = 0; i < x->f.nvsi[p]; i++)
			vsi_free(x->f.vsi[p][i]);
	mib_evb_free(&x->m);
	free(x);
	return 0;
}

static struct mib_oid O(const char *s) {
	struct mib_oid o;

	assert_int_equal(mib_oid_parse(s, &o), 0);
	return o;
}

#define EVB ".1.3.111.2.802.1.1.24"

/* ---------------- OIDs ---------------- */

static void
test_oid_basics(void **state)
{
	struct mib_oid o;
	char buf[64] = "";
	uint32_t a[] = {1, 3}, b[] = {1, 3, 0}, c[] = {1, 4};

	(void)state;
	assert_true(mib_oid_cmp(a, 2, b, 3) < 0); /* a prefix sorts first */
	assert_true(mib_oid_cmp(b, 3, c, 2) < 0);
	assert_int_equal(mib_oid_cmp(a, 2, a, 2), 0);
	assert_int_equal(mib_oid_parse("1.3.6.1.4294967295", &o), 0);
	assert_int_equal(o.len, 5);
	assert_int_equal(o.a[4], 4294967295u);
	assert_int_equal(mib_oid_parse(".1.3", &o), 0);
	assert_int_equal(mib_oid_parse("1.3.4294967296", &o), -EINVAL);
	assert_int_equal(mib_oid_parse("1..3", &o), -EINVAL);
	assert_int_equal(mib_oid_parse("1.3.", &o), -EINVAL);
	assert_int_equal(mib_oid_parse("", &o), -EINVAL);
	assert_int_equal(mib_oid_parse("1.x", &o), -EINVAL);
	mib_oid_format(a, 2, true, buf, sizeof(buf));
	assert_string_equal(buf, ".1.3");
	/* a small buffer: truncated, never overrun; returns what was needed */
	char small[4] = "";
	assert_int_equal(mib_oid_format(b, 3, false, small, sizeof(small)), 5);
	assert_int_equal(strlen(small), 3);
}

/* ---------------- get ---------------- */

static void test_get_scalars_and_errors(void **state)
{
	struct fix *x = *state;
	struct mib_value v;
	struct mib_oid o = O(EVB ".1.1.1.0");

	assert_int_equal(mib_get(&x->m.tree, &o, &v), MIB_OK);
	assert_int_equal(v.type, MIB_INTEGER);
	assert_int_equal(v.i, 1); /* evbBridge */
	o = O(EVB ".1.1.7.0");
	assert_int_equal(mib_get(&x->m.tree, &o, &v), MIB_OK);
	assert_int_equal(v.i, 3);
	o = O(EVB ".1.1.7.1");
	assert_int_equal(mib_get(&x->m.tree, &o, &v), MIB_NO_SUCH_INSTANCE);
	o = O(EVB ".1.1.7");
	assert_int_equal(mib_get(&x->m.tree, &o, &v), MIB_NO_SUCH_OBJECT);
	o = O(EVB ".1.1.6.0"); /* deprecated, not served */
	assert_int_equal(mib_get(&x->m.tree, &o, &v), MIB_NO_SUCH_OBJECT);
	o = O(EVB ".1.2.1.1.4.1.1.5"); /* VSIID is not-accessible */
	assert_int_equal(mib_get(&x->m.tree, &o, &v), MIB_NO_SUCH_OBJECT);
	o = O(".1.3.6.1.2.1.1.1.0");
	assert_int_equal(mib_get(&x->m.tree, &o, &v), MIB_NO_SUCH_OBJECT);
}

/* VSIDB index: component, port, VSIID type, then the 16 VSIID octets with
 * no length (fixed size). */
static void test_vsidb_index_encoding(void **state)
{
	struct fix *x = *state;
	struct mib_value v;
	char s[256];

	snprintf(s, sizeof(s), EVB ".1.2.1.1.11.1.2.5.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.4");
	struct mib_oid o = O(s);
	assert_int_equal(mib_get(&x->m.tree, &o, &v), MIB_OK);
	assert_int_equal(v.i, 0x123456); /* VSIType */
	o.len--;			 /* one octet short */
	assert_int_equal(mib_get(&x->m.tree, &o, &v), MIB_NO_SUCH_INSTANCE);
	/* TimeSinceCreate in centiseconds: now 5 s, created 1.5 s */
	o = O(s);
	o.a[MIB_EVB_ROOT_LEN + 4] = 5;
	assert_int_equal(mib_get(&x->m.tree, &o, &v), MIB_OK);
	assert_int_equal(v.u, 350);
	/* the Mac table: + GroupID, 6 MAC octets, VID */
	snprintf(s, sizeof(s),
		 EVB ".1.2.2.1.3.1.2.5.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.4.0.82.0.0.0.0.2.101");
	o = O(s);
	assert_int_equal(mib_get(&x->m.tree, &o, &v), MIB_OK);
	assert_int_equal(v.type, MIB_UNSIGNED32);
	assert_int_equal(v.u, 101);
	o.a[o.len - 1] = 102; /* wrong VID: not an instance */
	assert_int_equal(mib_get(&x->m.tree, &o, &v), MIB_NO_SUCH_INSTANCE);
}

/* ---------------- get-next ---------------- */

static int walk(const struct mib_tree *t, const struct mib_oid *from, struct mib_oid *out, int max)
{
	struct mib_oid at = *from;
	struct mib_value v;
	int n = 0;

	while (n < max && mib_getnext(t, &at, &at, &v) == MIB_OK)
		out[n++] = at;
	return n;
}

static bool col_is(const struct mib_oid *o, const char *prefix)
{
	struct mib_oid p = O(prefix);

	return mib_oid_has_prefix(o, p.a, p.len);
}

static void test_getnext_order_across_tables(void **state)
{
	struct fix *x = *state;
	static struct mib_oid all[1000];
	struct mib_oid root = O(EVB);
	int n = walk(&x->m.tree, &root, all, 1000);
	int i, sbp = -1, s11 = -1, s7 = -1;

	assert_true(n > 0 && n < 1000);
	for (i = 1; i < n; i++)
		assert_true(mib_oid_cmp(all[i - 1].a, all[i - 1].len, all[i].a, all[i].len) < 0);
	for (i = 0; i < n; i++) {
		if (sbp < 0 && col_is(&all[i], EVB ".1.1.10"))
			sbp = i;
		if (col_is(&all[i], EVB ".1.1.7"))
			s7 = i;
		if (col_is(&all[i], EVB ".1.1.11"))
			s11 = i;
	}
	/* SbpTable (.1.1.10) lies between the scalars 7 and 11 */
	assert_true(s7 >= 0 && sbp == s7 + 1 && s11 > sbp);
	/* counts: 9 scalars; Sbp 6 cols x 1 bridge port; VSIDB 17 cols x 4
	 * VSIs; Mac 1 col x 6 filters; UAP 14 cols x 2 ports; CAP 4 cols x 5
	 * S-channels; URP 7 cols x 1 station port; Ecp 7 x 2 */
	assert_int_equal(n, 9 + 6 + 17 * 4 + 6 + 14 * 2 + 4 * 5 + 7 + 14);
	/* VSIs come sorted by port, type, VSIID whatever their order */
	struct mib_oid c11 = O(EVB ".1.2.1.1.11");
	struct mib_oid got[4];
	assert_int_equal(walk(&x->m.tree, &c11, got, 4), 4);
	int ports[4] = {1, 1, 1, 2}, types[4] = {3, 5, 5, 5}, first[4] = {200, 2, 9, 1};
	for (i = 0; i < 4; i++) {
		assert_int_equal(got[i].len, MIB_EVB_ROOT_LEN + 5 + 2 + 1 + 16);
		assert_int_equal(got[i].a[MIB_EVB_ROOT_LEN + 6], ports[i]);
		assert_int_equal(got[i].a[MIB_EVB_ROOT_LEN + 7], types[i]);
		assert_int_equal(got[i].a[MIB_EVB_ROOT_LEN + 8], first[i]);
	}
	/* the Mac rows of one VSI come sorted by MAC although stored reversed */
	struct mib_oid mac = O(EVB ".1.2.2.1.3");
	struct mib_oid m[6];
	assert_int_equal(walk(&x->m.tree, &mac, m, 6), 6);
	assert_true(mib_oid_cmp(m[1].a, m[1].len, m[2].a, m[2].len) < 0);
	assert_int_equal(m[1].a[m[1].len - 2], 1); /* VSI 2.x: MACs ..:01, ..:02 */
	assert_int_equal(m[2].a[m[2].len - 2], 2);
}

/* Brute force: every instance OID, from a full walk; then get-next from
 * OIDs in between, past, and inside indexes must give the least instance
 * greater than the OID. */
static void test_getnext_from_anywhere(void **state)
{
	struct fix *x = *state;
	static struct mib_oid all[1000];
	struct mib_oid root = O(EVB);
	int n = walk(&x->m.tree, &root, all, 1000);

	srandom(7);
	for (int trial = 0; trial < 5000; trial++) {
		struct mib_oid q = all[random() % n], next;
		struct mib_value v;
		int cut = (int)(random() % 3), expect = -1;

		if (cut == 1 && q.len > MIB_EVB_ROOT_LEN + 2) /* truncate inside */
			q.len = MIB_EVB_ROOT_LEN + 2 +
				(uint32_t)(random() % (q.len - MIB_EVB_ROOT_LEN - 2));
		else if (cut == 2) /* change one arc, maybe beyond octet range */
			q.a[random() % q.len] += (uint32_t)(random() % 2 ? 1 : 300);
		for (int i = 0; i < n; i++) {
			if (mib_oid_cmp(all[i].a, all[i].len, q.a, q.len) > 0) {
				expect = i;
				break;
			}
		}
		int r = mib_getnext(&x->m.tree, &q, &next, &v);
		if (expect < 0) {
			assert_int_equal(r, MIB_END_OF_VIEW);
			continue;
		}
		assert_int_equal(r, MIB_OK);
		assert_int_equal(mib_oid_cmp(next.a, next.len, all[expect].a, all[expect].len), 0);
	}
}

/* UAPConfigTable (index: port) and CAPConfigTable (index: port, SchID:
 * the SVID at a bridge, the SCID at a station). */
static void test_uap_cap(void **state)
{
	struct fix *x = *state;
	struct mib_value v;
	struct mib_oid o = O(EVB ".1.3.1.1.5.2"), got[5];
	const int32_t want[][2] = {{5, 2}, {6, 3}, {8, 0}, {10, 1}, {11, 1}, {12, 1}, {13, 5}};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		o.a[MIB_EVB_ROOT_LEN + 4] = (uint32_t)want[i][0];
		assert_int_equal(mib_get(&x->m.tree, &o, &v), MIB_OK);
		assert_int_equal(v.i, want[i][1]);
	}
	o = O(EVB ".1.3.1.1.9.1"); /* the bridge's pool */
	assert_int_equal(mib_get(&x->m.tree, &o, &v), MIB_OK);
	assert_int_equal(v.u, 109);
	o = O(EVB ".1.3.1.1.10.1"); /* no neighbour: notRunning */
	assert_int_equal(mib_get(&x->m.tree, &o, &v), MIB_OK);
	assert_int_equal(v.i, 2);
	o = O(EVB ".1.3.1.1.5.3");
	assert_int_equal(mib_get(&x->m.tree, &o, &v), MIB_NO_SUCH_INSTANCE);
	/* CAP: the bridge's rows by SVID (1, 101, 105), then the station's by SCID */
	o = O(EVB ".1.3.2.1.5");
	assert_int_equal(walk(&x->m.tree, &o, got, 5), 5);
	const uint32_t idx[5][2] = {{1, 1}, {1, 101}, {1, 105}, {2, 1}, {2, 2}};
	const uint32_t scid[5] = {1, 3, 2, 1, 2};
	for (int i = 0; i < 5; i++) {
		assert_int_equal(got[i].len, MIB_EVB_ROOT_LEN + 7);
		assert_int_equal(got[i].a[MIB_EVB_ROOT_LEN + 5], idx[i][0]);
		assert_int_equal(got[i].a[MIB_EVB_ROOT_LEN + 6], idx[i][1]);
		assert_int_equal(mib_get(&x->m.tree, &got[i], &v), MIB_OK);
		assert_int_equal(v.u, scid[i]);
	}
	o = O(EVB ".1.3.2.1.5.1.100"); /* no channel has SVID 100 on the bridge */
	assert_int_equal(mib_get(&x->m.tree, &o, &v), MIB_NO_SUCH_INSTANCE);
	o = O(EVB ".1.3.1.1.5.1"); /* read-only here */
	v.i = 2;
	v.type = MIB_INTEGER;
	char err[128];
	assert_int_not_equal(mib_set(&x->m.tree, &o, &v, true, err, sizeof(err)), MIB_OK);
}

/* ---------------- set ---------------- */

static void test_set(void **state)
{
	struct fix *x = *state;
	struct mib_oid o = O(EVB ".1.1.12.0");
	struct mib_value v = {.type = MIB_INTEGER, .i = 22};
	char err[128];

	assert_int_equal(mib_set(&x->m.tree, &o, &v, false, err, sizeof(err)), MIB_OK);
	assert_int_equal(x->f.sets, 0); /* a check applies nothing */
	assert_int_equal(mib_set(&x->m.tree, &o, &v, true, err, sizeof(err)), MIB_OK);
	assert_int_equal(x->f.knob[MIB_EVB_RWD_EXP], 22);
	v.i = 32;
	assert_int_equal(mib_set(&x->m.tree, &o, &v, true, err, sizeof(err)), MIB_ERR_WRONG_VALUE);
	assert_non_null(strstr(err, "0..31"));
	v.i = -1;
	assert_int_equal(mib_set(&x->m.tree, &o, &v, true, err, sizeof(err)), MIB_ERR_WRONG_VALUE);
	v = (struct mib_value){.type = MIB_UNSIGNED32, .u = 5};
	assert_int_equal(mib_set(&x->m.tree, &o, &v, true, err, sizeof(err)), MIB_ERR_WRONG_TYPE);
	/* the source's own rule */
	o = O(EVB ".1.1.13.0");
	v = (struct mib_value){.type = MIB_INTEGER, .i = 10};
	assert_int_equal(mib_set(&x->m.tree, &o, &v, true, err, sizeof(err)),
			 MIB_ERR_INCONSISTENT_VALUE);
	/* read-only, unknown, and a row that does not exist */
	o = O(EVB ".1.1.1.0");
	assert_int_equal(mib_set(&x->m.tree, &o, &v, true, err, sizeof(err)), MIB_ERR_NOT_WRITABLE);
	o = O(EVB ".1.9.0");
	assert_int_equal(mib_set(&x->m.tree, &o, &v, true, err, sizeof(err)), MIB_ERR_NOT_WRITABLE);
	o = O(EVB ".1.1.10.1.3.1.2"); /* port 2 is a station: no Sbp row */
	v.i = MIB_TRUE;
	assert_int_equal(mib_set(&x->m.tree, &o, &v, true, err, sizeof(err)), MIB_ERR_NO_CREATION);
	/* TruthValue accepts 1 and 2 only */
	o = O(EVB ".1.3.3.1.6.1.2");
	v.i = 0;
	assert_int_equal(mib_set(&x->m.tree, &o, &v, true, err, sizeof(err)), MIB_ERR_WRONG_VALUE);
	v.i = MIB_TRUE;
	assert_int_equal(mib_set(&x->m.tree, &o, &v, true, err, sizeof(err)), MIB_OK);
	assert_true(x->f.manual_set && x->f.port[1].manual);
}

/* ---------------- names ---------------- */

static void test_names(void **state)
{
	struct fix *x = *state;
	struct mib_oid o;
	char buf[256];

	assert_int_equal(mib_name_parse(&x->m.tree, "ieee8021BridgeEvbSysType.0", &o), 0);
	mib_oid_name(&x->m.tree, &o, buf, sizeof(buf));
	assert_string_equal(buf, "ieee8021BridgeEvbSysType.0");
	assert_int_equal(mib_name_parse(&x->m.tree, "ieee8021BridgeEvbVSIDBTable", &o), 0);
	buf[0] = 0;
	mib_oid_format(o.a, o.len, true, buf, sizeof(buf));
	assert_string_equal(buf, EVB ".1.2.1");
	assert_int_equal(mib_name_parse(&x->m.tree, "ieee8021BridgeEvbMib", &o), 0);
	assert_int_equal(o.len, MIB_EVB_ROOT_LEN);
	assert_int_equal(mib_name_parse(&x->m.tree, "noSuchName", &o), -ENOENT);
	assert_int_equal(mib_name_parse(&x->m.tree, "ieee8021BridgeEvbSysType.x", &o), -EINVAL);
	o = O(EVB ".1.3.4.1.5.1.2");
	mib_oid_name(&x->m.tree, &o, buf, sizeof(buf));
	assert_string_equal(buf, "ieee8021BridgeEvbEcpTxFrameCount.1.2");
	o = O(".1.3.6.1");
	mib_oid_name(&x->m.tree, &o, buf, sizeof(buf));
	assert_string_equal(buf, "1.3.6.1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_oid_basics),
	    cmocka_unit_test_setup_teardown(test_get_scalars_and_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vsidb_index_encoding, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_getnext_order_across_tables, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_getnext_from_anywhere, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_uap_cap, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_set, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_names, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
