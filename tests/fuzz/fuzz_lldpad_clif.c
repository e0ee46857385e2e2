/* SPDX-License-Identifier: ISC */
/*
 * fuzz_lldpad_clif.c - libFuzzer target for the lldpad-clif plugin's
 * message code (plugins/lldpad-clif/clif_msg.c): a datagram is parsed as a
 * clif request, its arguments as a VDP22 VSI, and the VSI printed as a
 * query reply would print it.  Invariants checked: every argument lies in
 * the datagram; a parsed VSI printed and parsed back (as a query's
 * key/value arguments) matches itself.  An LLDP module request's
 * arguments go through the EVB attribute code (clif_evb.c): a set that
 * succeeds keeps every value in lldpad's ranges, and the datagram is also
 * dumped as if it were an LLDPDU's TLVs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plugins/lldpad-clif/clif_evb.h"
#include "plugins/lldpad-clif/clif_msg.h"
#include "plugins/plugin_api.h"

static struct clif_req req, back;
static struct clif_vsi vsi, vsi2;
static char dgram[CLIF_MSG_MAX + 1];

static void inside(const struct clif_str *s, const char *buf, size_t len)
{
	if (s->p && (s->p < buf || s->p + s->n > buf + len))
		abort();
}

/* Print the VSI, then parse the printed fields back as a partial query. */
static void roundtrip(const struct clif_vsi *v)
{
	static char out[2 * CLIF_MSG_MAX];
	struct evbd_vsi_view view = {.key.format = EVBD_VSIID_UUID,
				     .type_id = v->type_id,
				     .type_version = v->type_version,
				     .filter_format = v->filter_format,
				     .nfilters = v->nfilters,
				     .filters = v->f};
	memcpy(view.key.id, v->uuid, sizeof(view.key.id));
	memcpy(view.mgrid, v->mgrid, sizeof(view.mgrid));
	struct clif_buf b = {out, sizeof(out), 0, false};
	clif_put(&b, "M000080c4C3010000001503vst0200000003");
	size_t head = b.len;
	clif_vsi_put(&b, &view, v->mode, 0, NULL, 0);
	if (b.over || b.len < head + 4)
		return;
	/* drop the 4-hex VSI length: what is left is the query's arguments */
	memmove(out + head, out + head + 4, b.len - head - 4);
	const char *why;
	if (clif_parse(out, b.len - 4, &back, &why) != CLIF_OK)
		abort();
	if (clif_vsi_parse(&back, &vsi2, &why) != CLIF_OK || !clif_vsi_match(&vsi2, &view))
		abort();
}

/* The EVB attributes of an lldptool request, and the bytes as TLVs. */
static void evb(const uint8_t *data, size_t size)
{
	static char out[2 * CLIF_MSG_MAX];
	struct clif_buf b = {out, sizeof(out), 0, false};
	struct evbd_evb_settings s = {.station = true, .r = 3, .rte = 8, .rwd = 20, .rka = 20};
	const char *why = NULL;
	clif_evb_get(&req, &s, &b, &why);
	if (clif_evb_set(&req, &s, &why) == CLIF_OK &&
	    (s.r > 7 || s.rte > 31 || s.rwd > 31 || s.rka > 31 || !s.station))
		abort();
	b.len = 0;
	clif_tlv_put(&b, data, size, req.tlvid);
	if (b.len > sizeof(out))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	if (size > CLIF_MSG_MAX)
		size = CLIF_MSG_MAX;
	memcpy(dgram, data, size);
	if (clif_parse(dgram, size, &req, &why) != CLIF_OK) {
		if (!why)
			abort();
		return 0;
	}
	for (unsigned i = 0; i < req.nargs; i++) {
		inside(&req.args[i].key, dgram, size);
		inside(&req.args[i].val, dgram, size);
	}
	if (req.module == CLIF_MOD_LLDP)
		evb(data, size);
	if (req.module == CLIF_MOD_VDP22 && clif_vsi_parse(&req, &vsi, &why) == CLIF_OK &&
	    (vsi.seen & CLIF_VK_REQUIRED) == CLIF_VK_REQUIRED)
		roundtrip(&vsi);
	return 0;
}
