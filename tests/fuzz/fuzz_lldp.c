/*
 * fuzz_lldp.c - libFuzzer target for the LLDPDU decoder (lldp.c with the EVB
 * and CDCP TLV codecs): every input that parses is re-built with lldp_build
 * and re-parsed; the two parses must agree field by field, and building the
 * second parse must give the same octets.  A parsed EVB TLV is also fed to
 * evb_negotiate in both roles and the resulting TLV must encode.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vdp/evb.h"
#include "vdp/lldp.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lldp_pdu first, second;
	static uint8_t buf[MAX_PDU], buf2[MAX_PDU];
	struct lldp_err err;

	if (lldp_parse(data, size, &first, &err) != 0) {
		check(err.what != NULL && err.offset <= size);
		return 0;
	}
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
