/* SPDX-License-Identifier: ISC */
/*
 * fuzz_port.c - libFuzzer target for the whole receive path of a port:
 * arbitrary ECP payloads (chunks of the input) fed to a station port holding
 * VSIs and to a bridge port, with time advancing between chunks, so that
 * every machine sees hostile input.  Frames the ports send are parsed back;
 * every VSI state change must be in the machine's state table.
 *
 * Input: repeated [ctl:1][len:1][payload:len]; ctl bit 0 = bridge/station,
 * bits 1-7 = time advance in ms.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vdp/vdp_port.h"

static size_t sent;

static void on_send(void *ctx, const uint8_t *b, size_t len)
{
	(void)ctx;
	(void)b;
	sent += len;
}

static const struct vdp_port_ops ops = {.send = on_send};

static void add_vsis(struct vdp_port *st, uint64_t now)
{
	for (unsigned i = 0; i < 4; i++) {
		struct vdp_filter f = {.mac = {0x52, 0x54, 0, 0, 0, (uint8_t)(i + 1)},
				       .vid = (uint16_t)(i ? 10 * i : 0)};
		struct vdp_request r = {.type = (uint8_t)(VDP_TLV_PREASSOC + i % 3),
					.type_id = 5,
					.type_ver = 4,
					.key = {.fmt = VDP_VSIID_UUID},
					.fif = VDP_FIF_MACVID,
					.nfilters = 1,
					.filters = &f};
		r.key.id[0] = 0x11;
		r.key.id[15] = (uint8_t)i;
		vdp_port_request(st, &r, now, NULL, NULL);
	}
}

/* The port's running per-result counts must match a walk of its table. */
static void check_counts(const struct vdp_port *p)
{
	uint32_t by[VSI_RESULTS] = {0};
	struct vsi_cursor c = {0};
	const struct vdp_vsi *v;
	while ((v = vsi_table_next(&p->vsis, &c)))
		by[v->result < VSI_RESULTS ? v->result : 0]++;
	if (memcmp(by, p->by_result, sizeof(by)))
		abort();
	if (p->stats.sm_illegal) /* a state change outside the machine's table */
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
	struct vdp_port st, br;
	struct evb_oper o = {.valid = true, .r = 2, .rte = 8, .rwd = 12, .rka = 12};
	uint64_t now = 1000000;

	vdp_port_init(&st, EVB_ROLE_STATION, mac, &ops, NULL, 7);
	vdp_port_init(&br, EVB_ROLE_BRIDGE, mac, &ops, NULL, 9);
	br.max_vsis = 64;
	vdp_port_start(&st, &o, now);
	vdp_port_start(&br, &o, now);
	add_vsis(&st, now);
	vdp_port_run(&st, now);

	size_t off = 0;
	while (off + 2 <= size) {
		uint8_t ctl = data[off], len = data[off + 1];
		off += 2;
		if (len > size - off)
			len = (uint8_t)(size - off);
		now += (uint64_t)(ctl >> 1) * 1000;
		struct vdp_port *p = ctl & 1 ? &br : &st;
		vdp_port_rx(p, data + off, len, now);
		vdp_port_run(&st, now);
		vdp_port_run(&br, now);
		off += len;
	}
	/* Let every timer run out. */
	for (int i = 0; i < 64; i++) {
		now += 100000;
		vdp_port_run(&st, now);
		vdp_port_run(&br, now);
	}
	check_counts(&st);
	check_counts(&br);
	vdp_port_free(&st);
	vdp_port_free(&br);
	return 0;
}
