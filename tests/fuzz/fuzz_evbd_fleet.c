/* SPDX-License-Identifier: ISC */
/*
 * fuzz_evbd_fleet.c - libFuzzer target for what evbd reads from etcd
 * (evbd/fleet.c, evbd/etcd.c): any switch, or anyone with etcd's
 * credentials, writes those keys and values.  The first octet picks the
 * decoder, the rest is its input: a VSI location value, a VSI type value,
 * base64, a VSI location key, a VSI type key.  Whatever decodes is encoded
 * again and decodes to the same thing; any mismatch aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evbd/etcd.h"
#include "evbd/fleet.h"
#include "evbd/vsitype.h"

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if (!(x))                                                                          \
			abort();                                                                   \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vdp_filter f1[VDP_MAX_FILTERS], f2[VDP_MAX_FILTERS];

static void rec(const char *p, size_t n)
{
	struct fleet_rec a = {0}, b = {0};
	const char *why;

	if (fleet_rec_parse(p, n, &a, f1, &why))
		return;
	snprintf(a.sw, sizeof(a.sw), "sw");
	a.filters = f1;
	char *j = fleet_rec_json(&a);
	CHECK(j);
	CHECK(!fleet_rec_parse(j, strlen(j), &b, f2, &why));
	CHECK(a.type_id == b.type_id && a.type_ver == b.type_ver && a.state == b.state &&
	      a.fif == b.fif && a.nfilters == b.nfilters && a.since == b.since &&
	      !strcmp(a.port, b.port) && !memcmp(f1, f2, a.nfilters * sizeof(*f1)));
	free(j);
}

static void type(const char *p, size_t n)
{
	struct vsitype a, b;
	const char *why;
	char err[200];

	vsitype_init(&a, 7, 1);
	vsitype_init(&b, 7, 1);
	if (fleet_type_parse(p, n, &a, NULL, &why) || vsitype_check(&a, err, sizeof(err)))
		return;
	char *j = fleet_type_json(&a, 5);
	CHECK(j);
	uint64_t at = 0;
	CHECK(!fleet_type_parse(j, strlen(j), &b, &at, &why) && at == 5);
	CHECK(!memcmp(&a.vids, &b.vids, sizeof(a.vids)) && a.assign_vid == b.assign_vid &&
	      a.formats == b.formats && a.max_per_port == b.max_per_port && a.pcp == b.pcp &&
	      !strcmp(a.name, b.name));
	free(j);
}

static void b64(const char *p)
{
	static uint8_t out[4096], again[4096];
	static char text[8192];
	long n = etcd_unb64(p, out, sizeof(out));

	if (n < 0)
		return;
	etcd_b64(out, (size_t)n, text);
	CHECK(etcd_unb64(text, again, sizeof(again)) == n && !memcmp(out, again, (size_t)n));
}

static void keys(const char *p, bool vsi)
{
	char buf[512], sw[CLUSTER_NAME_MAX];
	struct vdp_vsi_key k, k2;
	uint32_t id, id2;
	uint8_t ver, ver2;

	if (vsi && !fleet_vsi_key_parse(p, &k, sw, sizeof(sw))) {
		fleet_vsi_key("", &k, sw, buf, sizeof(buf));
		CHECK(!strncmp(buf, "/vsis/", 6));
		CHECK(!fleet_vsi_key_parse(buf + 6, &k2, sw, sizeof(sw)));
		CHECK(k.fmt == k2.fmt && !memcmp(k.id, k2.id, sizeof(k.id)));
	}
	if (!vsi && !fleet_type_key_parse(p, &id, &ver)) {
		fleet_type_key("", id, ver, buf, sizeof(buf));
		CHECK(!fleet_type_key_parse(buf + 7, &id2, &ver2));
		CHECK(id == id2 && (id == EVB_VSITYPE_DEFAULT || ver == ver2));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[16384];

	if (!size || size > sizeof(text))
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = 0;
	switch (data[0] % 5) {
	case 0:
		rec(text, size - 1);
		break;
	case 1:
		type(text, size - 1);
		break;
	case 2:
		b64(text);
		break;
	default:
		keys(text, data[0] % 5 == 3);
	}
	return 0;
}
