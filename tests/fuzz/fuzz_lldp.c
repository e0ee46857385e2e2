/* SPDX-License-Identifier: ISC */
/*
 * fuzz_lldp.c - libFuzzer target for the LLDPDU decoder (lldp.c with the EVB
 * and CDCP TLV codecs): every input that parses is re-built with lldp_build
 * and re-parsed; the two parses must agree field by field, and building the
 * second parse must give the same octets.  A parsed EVB TLV is also fed to
 * evb_negotiate in both roles and the resulting TLV must encode.  Every
 * input also reaches an LLDP agent of each role (lldp_agent.c), which must
 * count it once, keep a neighbour exactly for a parsed non-zero TTL, and
 * forget it when the TTL runs out.  The same input reaches the CDCP agents
 * of both roles (cdcp.c), whose S-channels must stay sorted by SCID with
 * no SCID or SVID twice, within the capacity, and (bridge) within the pool.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vdp/evb.h"
#include "vdp/lldp.h"
#include "vdp/lldp_agent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PDU 1600 /* 258 + 258 + 4 + 11 + 511 + 2 = 1044 at most */

static void check(int ok)
{
	if (!ok)
		abort();
}

static int id_equal(const struct lldp_id *a, const struct lldp_id *b)
{
	return a->subtype == b->subtype && a->len == b->len && !memcmp(a->id, b->id, a->len);
}

/* Everything lldp_build transmits; the unknown-TLV count and the EVB
 * reserved-bit record are receive-side facts and are not rebuilt. */
static int pdu_equal(const struct lldp_pdu *a, const struct lldp_pdu *b)
{
	struct evb_tlv ea = a->evb, eb = b->evb;

	ea.reserved_bits = 0;
	eb.reserved_bits = 0;
	return id_equal(&a->chassis, &b->chassis) && id_equal(&a->port, &b->port) &&
	       a->ttl == b->ttl && a->has_evb == b->has_evb &&
	       (!a->has_evb || !memcmp(&ea, &eb, sizeof(ea))) && a->has_cdcp == b->has_cdcp &&
	       (!a->has_cdcp || !memcmp(&a->cdcp, &b->cdcp, sizeof(a->cdcp)));
}

static void negotiate_both_roles(const struct evb_tlv *remote)
{
	static const enum evb_role roles[] = {EVB_ROLE_STATION, EVB_ROLE_BRIDGE};

	for (size_t i = 0; i < 2; i++) {
		struct evb_local l;
		struct evb_oper o = {0};
		struct evb_tlv tx = {0};
		uint8_t out[16];

		evb_local_defaults(&l, roles[i]);
		evb_negotiate(&l, remote, &o, &tx);
		check(evb_tlv_encode(&tx, out, sizeof(out)) == 11);
		check(evb_resp_wait_us(&o) > 0 && evb_tout_keepalive_us(&o) > 0);
	}
}

static size_t agent_sent;

static void agent_send(void *ctx, const uint8_t *frame, size_t len)
{
	(void)ctx;
	(void)frame;
	agent_sent += len;
}

static const struct cdcp_conf cdcp_confs[2] = {
    {.enabled = true, .station = true, .channels = 5},
    {.enabled = true, .chncap = 4, .pool_low = 100, .pool_high = 102},
};

static void check_cdcp(const struct cdcp *c)
{
	static uint8_t svids[CDCP_IDS];
	struct cdcp_tlv t;
	uint8_t out[520];

	memset(svids, 0, sizeof(svids));
	check(c->nchan >= 1 && c->chan[0].scid == 1);
	check(c->nchan <= (c->conf.station ? 1u + c->conf.channels : c->conf.chncap));
	for (uint16_t i = 0; i < c->nchan; i++) {
		const struct cdcp_chan *ch = &c->chan[i];

		check(ch->svid >= 1 && ch->svid <= CDCP_ID_MAX && !svids[ch->svid]);
		svids[ch->svid] = 1;
		check(!i || ch->scid > c->chan[i - 1].scid);
		check(c->conf.station || ch->scid == 1 ||
		      (ch->svid >= c->conf.pool_low && ch->svid <= c->conf.pool_high));
	}
	cdcp_local_tlv(c, &t);
	check(cdcp_tlv_encode(&t, out, sizeof(out)) == 10 + 3 * t.npairs);
}

static void agent_rx(const uint8_t *data, size_t size, bool parses, uint16_t ttl)
{
	static const struct lldp_agent_ops ops = {.send = agent_send};
	static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1}, src[6] = {2, 0, 0, 0, 0, 2};
	static const enum evb_role roles[] = {EVB_ROLE_STATION, EVB_ROLE_BRIDGE};
	uint64_t now = 1000000;

	for (size_t i = 0; i < 4; i++) {
		static struct lldp_agent a;
		struct lldp_agent_conf c = {.tx_interval = 30, .tx_hold = 4};

		evb_local_defaults(&c.evb, roles[i % 2]);
		if (i >= 2) {
			c.kind = LLDP_AGENT_CDCP;
			c.cdcp = cdcp_confs[i % 2];
		}
		lldp_agent_init(&a, &c, mac, "eth0", &ops, NULL);
		lldp_agent_link(&a, true, now);
		lldp_agent_rx(&a, src, data, size, now);
		check(a.stats.rx_frames + a.stats.rx_bad == 1 && a.stats.rx_frames == parses);
		check(a.nbr.valid == (parses && ttl));
		if (i >= 2)
			check_cdcp(&a.cdcp);
		now += (uint64_t)ttl * 1000000;
		lldp_agent_run(&a, now);
		check(!a.nbr.valid && a.stats.tx_frames >= 1);
		check(i < 2 || a.cdcp.nchan == 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lldp_pdu first, second;
	static uint8_t buf[MAX_PDU], buf2[MAX_PDU];
	struct lldp_err err;

	if (lldp_parse(data, size, &first, &err) != 0) {
		check(err.what != NULL && err.offset <= size);
		agent_rx(data, size, false, 0);
		return 0;
	}
	agent_rx(data, size, true, first.ttl);
	int n = lldp_build(&first, buf, sizeof(buf));

	check(n > 0);
	check(lldp_parse(buf, (size_t)n, &second, &err) == 0);
	check(pdu_equal(&first, &second));
	check(second.unknown_tlvs == 0);
	check(lldp_build(&second, buf2, sizeof(buf2)) == n);
	check(!memcmp(buf, buf2, (size_t)n));
	if (first.has_evb)
		negotiate_both_roles(&first.evb);
	return 0;
}
