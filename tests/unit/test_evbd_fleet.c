/* SPDX-License-Identifier: ISC */
/*
 * test_evbd_fleet.c - unit tests of the fleet's pieces that need no etcd
 * (the real etcd runs in tests/integration/test_etcd.sh): the [cluster]
 * keys and their sentences (evbd/cluster_conf.c, through conf_load), base64
 * and the JSON helpers (evbd/etcd.c), the record keys and values in etcd
 * and their refusals, and the fleet table with its dirty queue
 * (evbd/fleet.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evbd/cluster_conf.h"
#include "evbd/config.h"
#include "evbd/etcd.h"
#include "evbd/fleet.h"
#include "vdp/proto.h"

/* conf_load of text; 0 or -1 with the sentence in err. */
static int load(const char *text, struct evbd_conf *c, char *err, size_t cap)
{
	char path[] = "/tmp/evbd-fleet-conf.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	conf_defaults(c);
	int rc = conf_load(c, path, err, cap);
	unlink(path);
	return rc;
}

static void test_conf(void **state)
{
	static struct evbd_conf c;
	char err[600];
	(void)state;

	assert_int_equal(load("[port e0]\nrole = bridge\n", &c, err, sizeof(err)), 0);
	assert_int_equal(c.cluster.nendpoints, 0);
	assert_string_equal(c.cluster.prefix, "/evbd");
	assert_int_equal(c.cluster.lease_ttl, 10);
	assert_int_equal(load("[cluster]\nendpoints = http://10.0.0.1:2379/, http://10.0.0.2:2379\n"
			      "prefix = /dc1/evbd\nswitch-name = leaf-7\ncache-grace = 60\n"
			      "lease-ttl = 5\ntimeout = 300\n",
			      &c, err, sizeof(err)),
			 0);
	assert_int_equal(c.cluster.nendpoints, 2);
	assert_string_equal(c.cluster.endpoints[0], "http://10.0.0.1:2379");
	assert_string_equal(c.cluster.prefix, "/dc1/evbd");
	assert_string_equal(c.cluster.name, "leaf-7");
	assert_int_equal(c.cluster.cache_grace, 60);
	assert_int_equal(c.cluster.timeout_ms, 300);

	assert_int_equal(load("[cluster]\nendpoints = 10.0.0.1:2379\n", &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err,
			       "line 2: key 'endpoints' in [cluster]: endpoint '10.0.0.1:2379' "
			       "is not a URL; give http://HOST:PORT or https://HOST:PORT"));
	assert_int_equal(load("[cluster]\nswitch-name = a/b\n", &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "the switch name 'a/b' may hold only letters, digits and"));
	assert_int_equal(load("[cluster]\nlease-ttl = 1\n", &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "lease-ttl must be a number from 2 to 3600, not '1'"));
	assert_int_equal(load("[cluster]\nfoo = 1\n", &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown key 'foo' in [cluster]"));
	assert_int_equal(
	    load("[cluster]\nendpoints = https://e:2379\ncert = /c.pem\n", &c, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "[cluster] gives cert without key"));
	assert_int_equal(
	    load("[cluster]\nendpoints = http://e:2379\nca = /ca.pem\n", &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "endpoint http://e:2379 is plain http"));
}

static void test_base64(void **state)
{
	char text[64];
	uint8_t out[64];
	(void)state;

	etcd_b64("/fleet/types/", 13, text);
	assert_string_equal(text, "L2ZsZWV0L3R5cGVzLw==");
	assert_int_equal(etcd_unb64(text, out, sizeof(out)), 13);
	assert_memory_equal(out, "/fleet/types/", 13);
	etcd_b64("ab", 2, text);
	assert_string_equal(text, "YWI=");
	assert_int_equal(etcd_unb64("YWI=", out, sizeof(out)), 2);
	assert_int_equal(etcd_unb64("YWI", out, sizeof(out)), -1);	   /* not a multiple of 4 */
	assert_int_equal(etcd_unb64("Y=I=", out, sizeof(out)), -1);	   /* padding inside */
	assert_int_equal(etcd_unb64("YW*=", out, sizeof(out)), -1);	   /* not base64 */
	assert_int_equal(etcd_unb64("L2ZsZWV0L3R5cGVzLw==", out, 12), -1); /* does not fit */
	etcd_prefix_end("/fleet/vsis/", text, sizeof(text));
	assert_string_equal(text, "/fleet/vsis0");

	json_t *o = json_pack("{s:s, s:I, s:s}", "a", "42", "b", (json_int_t)7, "c", "x");
	assert_int_equal(etcd_i64(o, "a", -1), 42);
	assert_int_equal(etcd_i64(o, "b", -1), 7);
	assert_int_equal(etcd_i64(o, "c", -1), -1);
	assert_int_equal(etcd_i64(o, "d", -1), -1);
	json_decref(o);
}

static void test_keys(void **state)
{
	struct vdp_vsi_key k = {.fmt = VDP_VSIID_UUID}, k2;
	char buf[256], sw[CLUSTER_NAME_MAX];
	uint32_t id;
	uint8_t ver;
	(void)state;

	for (int i = 0; i < VDP_VSIID_LEN; i++)
		k.id[i] = (uint8_t)(0xa0 + i);
	fleet_vsi_key("/f", &k, "leaf-1", buf, sizeof(buf));
	assert_string_equal(buf, "/f/vsis/5/a0a1a2a3a4a5a6a7a8a9aaabacadaeaf/leaf-1");
	assert_int_equal(fleet_vsi_key_parse(buf + 8, &k2, sw, sizeof(sw)), 0);
	assert_memory_equal(&k, &k2, sizeof(k));
	assert_string_equal(sw, "leaf-1");
	assert_int_equal(fleet_vsi_key_parse("5/a0a1/x", &k2, sw, sizeof(sw)), -EINVAL);
	assert_int_equal(
	    fleet_vsi_key_parse("5/A0a1a2a3a4a5a6a7a8a9aaabacadaeaf/x", &k2, sw, sizeof(sw)),
	    -EINVAL); /* upper case is not what evbd writes */
	assert_int_equal(
	    fleet_vsi_key_parse("5/a0a1a2a3a4a5a6a7a8a9aaabacadaeaf/x/y", &k2, sw, sizeof(sw)),
	    -EINVAL);
	assert_int_equal(
	    fleet_vsi_key_parse("999/a0a1a2a3a4a5a6a7a8a9aaabacadaeaf/x", &k2, sw, sizeof(sw)),
	    -EINVAL);

	fleet_type_key("/f", 100, 2, buf, sizeof(buf));
	assert_string_equal(buf, "/f/types/100-2");
	assert_int_equal(fleet_type_key_parse("100-2", &id, &ver), 0);
	assert_int_equal(id, 100);
	assert_int_equal(ver, 2);
	assert_int_equal(fleet_type_key_parse("default", &id, &ver), 0);
	assert_int_equal(id, EVB_VSITYPE_DEFAULT);
	assert_int_equal(fleet_type_key_parse("16777216-1", &id, &ver), -EINVAL);
	assert_int_equal(fleet_type_key_parse("1-256", &id, &ver), -EINVAL);
	assert_int_equal(fleet_type_key_parse("-1-2", &id, &ver), -EINVAL);
	assert_int_equal(fleet_type_key_parse("1-", &id, &ver), -EINVAL);
}

static void test_values(void **state)
{
	struct vdp_filter f[2] = {{.mac = {2, 0, 0, 0, 0, 1}, .vid = 10},
				  {.mac = {2, 0, 0, 0, 0, 2}, .vid = 11, .pcp = 3, .ps = true}};
	struct vdp_filter g[VDP_MAX_FILTERS];
	struct fleet_rec r = {.type_id = 100,
			      .type_ver = 1,
			      .state = VDP_TLV_ASSOC,
			      .fif = VDP_FIF_MACVID,
			      .nfilters = 2,
			      .since = 123456789,
			      .filters = f},
			 s;
	const char *why;
	(void)state;

	snprintf(r.sw, sizeof(r.sw), "A");
	snprintf(r.port, sizeof(r.port), "eth1");
	char *j = fleet_rec_json(&r);
	assert_string_equal(
	    j, "{\"switch\":\"A\",\"port\":\"eth1\",\"type\":100,\"version\":1,\"state\":"
	       "\"associate\","
	       "\"fif\":2,\"filters\":[{\"mac\":\"02:00:00:00:00:01\",\"vid\":10,\"group\":0,"
	       "\"pcp\":0,\"ps\":false},{\"mac\":\"02:00:00:00:00:02\",\"vid\":11,\"group\":0,"
	       "\"pcp\":3,\"ps\":true}],\"since\":123456789}");
	assert_int_equal(fleet_rec_parse(j, strlen(j), &s, g, &why), 0);
	assert_int_equal(s.nfilters, 2);
	assert_memory_equal(g, f, sizeof(f));
	assert_string_equal(s.port, "eth1");
	free(j);

	static const struct {
		const char *json, *why;
	} bad[] = {
	    {"[]", "the value is not a JSON object"},
	    {"{\"port\":\"\"}", "port"},
	    {"{\"port\":\"e\",\"type\":16777216,\"version\":1,\"fif\":2,\"since\":1}",
	     "type, version, fif or since"},
	    {"{\"port\":\"e\",\"type\":1,\"version\":1,\"fif\":2,\"since\":1,\"state\":\"x\"}",
	     "state"},
	    {"{\"port\":\"e\",\"type\":1,\"version\":1,\"fif\":2,\"since\":1,\"state\":"
	     "\"associate\","
	     "\"filters\":[]}",
	     "filters"},
	    {"{\"port\":\"e\",\"type\":1,\"version\":1,\"fif\":2,\"since\":1,\"state\":"
	     "\"associate\","
	     "\"filters\":[{\"mac\":\"02:00:00:00:00:0g\",\"vid\":1,\"group\":0,\"pcp\":0,\"ps\":"
	     "false}]}",
	     "filters"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(fleet_rec_parse(bad[i].json, strlen(bad[i].json), &s, g, &why),
				 -EINVAL);
		assert_string_equal(why, bad[i].why);
	}

	struct vsitype e, t;
	const char *what;
	vsitype_init(&e, 100, 1);
	vidset_parse("100-199,300", &e.vids, &what, NULL);
	e.assign_vid = 150;
	e.pcp = 3;
	snprintf(e.name, sizeof(e.name), "web");
	j = fleet_type_json(&e, 0);
	assert_string_equal(j, "{\"name\":\"web\",\"vlans\":\"100-199,300\",\"assign_vlan\":150,"
			       "\"formats\":30,\"max_per_port\":0,\"pcp\":3}");
	vsitype_init(&t, 100, 1);
	assert_int_equal(fleet_type_parse(j, strlen(j), &t, NULL, &why), 0);
	assert_memory_equal(&e, &t, sizeof(e));
	free(j);
	assert_int_equal(fleet_type_parse("{\"name\":\"x\"}", 12, &t, NULL, &why), -EINVAL);
	static const char bad_vlans[] = "{\"name\":\"x\",\"vlans\":\"5000\",\"assign_vlan\":0,"
					"\"formats\":4,\"max_per_port\":0,\"pcp\":-1}";
	assert_int_equal(fleet_type_parse(bad_vlans, strlen(bad_vlans), &t, NULL, &why), -EINVAL);
	assert_string_equal(why, "its VLAN list");
}

static void test_table(void **state)
{
	struct fleet f;
	struct fleet_rec in = {.nfilters = 0, .state = VDP_TLV_ASSOC}, *a, *b;
	struct fleet_cursor c = {0};
	unsigned seen = 0;
	(void)state;

	fleet_init(&f);
	for (unsigned i = 0; i < 3000; i++) {
		memset(in.key.id, 0, sizeof(in.key.id));
		memcpy(in.key.id, &i, sizeof(i));
		snprintf(in.sw, sizeof(in.sw), "%s", i % 2 ? "A" : "B");
		in.local = i % 2;
		assert_non_null(fleet_put(&f, &in, NULL));
	}
	assert_int_equal(f.n, 3000);
	assert_int_equal(f.nlocal, 1500);
	while (fleet_next(&f, &c))
		seen++;
	assert_int_equal(seen, 3000);
	/* the same VSI on two switches: two records, found by VSIID */
	memset(in.key.id, 0xee, sizeof(in.key.id));
	snprintf(in.sw, sizeof(in.sw), "A");
	a = fleet_put(&f, &in, NULL);
	snprintf(in.sw, sizeof(in.sw), "B");
	b = fleet_put(&f, &in, NULL);
	assert_ptr_not_equal(a, b);
	assert_ptr_equal(fleet_find(&f, &in.key, "A"), a);
	assert_non_null(fleet_next_of(&f, &in.key, NULL));
	assert_non_null(fleet_next_of(&f, &in.key, fleet_next_of(&f, &in.key, NULL)));
	/* the dirty queue: once each, in order, and left by a deleted record */
	fleet_dirty(&f, a);
	fleet_dirty(&f, b);
	fleet_dirty(&f, a);
	assert_int_equal(f.ndirty, 2);
	fleet_del(&f, a);
	assert_int_equal(f.ndirty, 1);
	assert_ptr_equal(fleet_take_dirty(&f), b);
	assert_null(fleet_take_dirty(&f));
	assert_int_equal(f.n, 3001);
	fleet_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_conf),  cmocka_unit_test(test_base64),
	    cmocka_unit_test(test_keys),  cmocka_unit_test(test_values),
	    cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
