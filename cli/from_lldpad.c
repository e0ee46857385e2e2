/* SPDX-License-Identifier: ISC */
/*
 * from_lldpad.c - lldpad's configuration as an evbd.conf (see
 * from_lldpad.h).  lldpad keeps its per-interface settings in one group per
 * LLDP agent (nearest_customer_bridge, lldp = nearest bridge,
 * nearest_nontpmr_bridge), then one group per interface, then one group per
 * TLV named tlvidOOOOOOSS (OUI and subtype in hex).
 */
#include "from_lldpad.h"

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#define EVB22_TLV  "tlvid0080c20d" /* IEEE 802.1Qbg-2012 EVB TLV: OUI 00-80-c2, subtype 0x0d */
#define EVBCFG_TLV "tlvid001b3f00" /* the draft 0.2 EVB TLV (lldptool -V evbcfg) */
#define VDP_DRAFT  "vdp"	   /* the draft VDP's settings (lldptool -V vdp) */
#define NCB	   "nearest_customer_bridge"

struct tr {
	const struct lc_tree *t;
	const char *src;
	FILE *conf, *why;
	unsigned refused, ports;
};

static void refuse(struct tr *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void refuse(struct tr *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(x->why, "%s: ", x->src);
	vfprintf(x->why, fmt, ap);
	fputc('\n', x->why);
	va_end(ap);
	x->refused++;
}

static const struct lc_node *node(const struct tr *x, int i)
{
	return i >= 0 ? &x->t->n[i] : NULL;
}

/* A boolean setting as yes/no: lldpad writes true/false (older files 0/1). */
static const char *yes_no(struct tr *x, const char *ifname, const struct lc_node *n)
{
	if (n->type == LC_BOOL)
		return !strcmp(n->text, "true") ? "yes" : "no";
	if (n->type == LC_INT && (!strcmp(n->text, "0") || !strcmp(n->text, "1")))
		return n->text[0] == '1' ? "yes" : "no";
	refuse(x, "%s of interface %s (line %u) is not true or false.", n->name, ifname, n->line);
	return NULL;
}

static const char *number(struct tr *x, const char *ifname, const struct lc_node *n)
{
	if (n->type == LC_INT || (n->type == LC_STRING && n->text[0] &&
				  strspn(n->text, "0123456789") == strlen(n->text)))
		return n->text;
	refuse(x, "%s of interface %s (line %u) is not a whole number.", n->name, ifname, n->line);
	return NULL;
}

/* lldpad's EVB keys and evbd's: "rr" depends on the role. */
static const struct {
	const char *lldpad, *evbd;
	bool is_bool;
} keys[] = {
    {"evbgpid", "group-id", true}, {"ecpretries", "r", false}, {"ecprte", "rte", false},
    {"vdprwd", "rwd", false},	   {"vdprka", "rka", false},
};

/* The lines of [port ifname] from its EVB TLV group g, into buf. */
static void port(struct tr *x, const char *ifname, int g, int admin)
{
	const struct lc_node *mode = node(x, lc_child(x->t, g, "evbmode"));
	const struct lc_node *tx = node(x, lc_child(x->t, g, "enableTx"));
	const struct lc_node *as = node(x, admin);
	unsigned before = x->refused;
	if (!mode || mode->type != LC_STRING ||
	    (strcmp(mode->text, "station") && strcmp(mode->text, "bridge"))) {
		refuse(x,
		       "interface %s has EVB settings but no evbmode of station or bridge; "
		       "set one with lldptool -T -i %s -g ncb -V evb -c evbmode=station.",
		       ifname, ifname);
		return;
	}
	if (as && as->type == LC_INT && (!strcmp(as->text, "1") || !strcmp(as->text, "2"))) {
		refuse(x,
		       "interface %s has LLDP adminStatus %s (%s only); evbd sends and receives "
		       "LLDP on each of its ports (rxtx).",
		       ifname, as->text, as->text[0] == '1' ? "transmit" : "receive");
		return;
	}
	if ((tx && tx->type == LC_BOOL && !strcmp(tx->text, "false")) ||
	    (as && as->type == LC_INT && !strcmp(as->text, "0"))) {
		fprintf(x->conf,
			"\n# %s: lldpad has EVB settings but does not run them (%s): no port.\n",
			ifname, as && !strcmp(as->text, "0") ? "adminStatus 0" : "enableTx false");
		return;
	}
	bool station = !strcmp(mode->text, "station");
	char body[1024];
	size_t len = 0;
	len += (size_t)snprintf(body + len, sizeof(body) - len, "role = %s\n", mode->text);
	for (size_t i = 0; i < x->t->count; i++) {
		const struct lc_node *n = &x->t->n[i];
		if (n->parent != g || !strcmp(n->name, "evbmode") || !strcmp(n->name, "enableTx"))
			continue;
		const char *v = NULL, *key = NULL;
		if (!strcmp(n->name, "evbrrreq") || !strcmp(n->name, "evbrrcap")) {
			/* a station requests reflective relay, a bridge offers it */
			if (strcmp(n->name, station ? "evbrrreq" : "evbrrcap"))
				continue;
			key = "rr";
			v = yes_no(x, ifname, n);
		}
		for (size_t k = 0; !key && k < sizeof(keys) / sizeof(keys[0]); k++)
			if (!strcmp(n->name, keys[k].lldpad)) {
				key = keys[k].evbd;
				v = keys[k].is_bool ? yes_no(x, ifname, n) : number(x, ifname, n);
			}
		if (!key)
			refuse(x,
			       "the EVB setting %s of interface %s (line %u) is unknown to evbctl; "
			       "remove it or set its evbd.conf(5) equivalent by hand.",
			       n->name, ifname, n->line);
		else if (v && len < sizeof(body))
			len +=
			    (size_t)snprintf(body + len, sizeof(body) - len, "%s = %s\n", key, v);
	}
	if (x->refused != before)
		return;
	fprintf(x->conf, "\n[port %s]\n%s", ifname, body);
	x->ports++;
}

/* One interface group i of the agent group agent. */
static void interface(struct tr *x, const char *agent, int i)
{
	const char *ifname = x->t->n[i].name;
	bool ncb = !strcmp(agent, NCB);
	int evb = lc_child(x->t, i, EVB22_TLV);
	if (lc_child(x->t, i, EVBCFG_TLV) >= 0)
		refuse(x,
		       "interface %s uses the draft 0.2 EVB TLV (lldptool -V evbcfg); evbd speaks "
		       "only IEEE 802.1Qbg-2012 EVB and VDP (lldptool -V evb).",
		       ifname);
	if (lc_child(x->t, i, VDP_DRAFT) >= 0)
		refuse(x,
		       "interface %s has settings of the draft VDP (lldptool -V vdp); evbd speaks "
		       "only IEEE 802.1Qbg-2012 VDP, which needs no settings of its own.",
		       ifname);
	if (evb >= 0 && !ncb)
		refuse(x,
		       "interface %s has EVB settings for the LLDP agent '%s'; evbd runs EVB "
		       "toward the nearest customer bridge only (lldptool -g ncb).",
		       ifname, agent);
	else if (evb >= 0)
		port(x, ifname, evb, lc_child(x->t, i, "adminStatus"));
}

unsigned lldpad_to_evbd(const struct lc_tree *t, const char *src, FILE *conf, FILE *why)
{
	struct tr x = {.t = t, .src = src, .conf = conf, .why = why};
	fprintf(conf,
		"# evbd.conf(5) from lldpad's %s (evbctl config from-lldpad).\n"
		"# libvirt finds evbd's lldpad-nl plugin as it found lldpad: docs/libvirt.md.\n"
		"[global]\nplugins = lldpad-nl\n",
		src);
	for (size_t a = 0; a < t->count; a++) {
		if (t->n[a].parent != -1 || t->n[a].type != LC_GROUP)
			continue;
		for (size_t i = 0; i < t->count; i++)
			if (t->n[i].parent == (int)a && t->n[i].type == LC_GROUP)
				interface(&x, t->n[a].name, (int)i);
	}
	if (!x.ports && !x.refused)
		refuse(&x, "no interface has EVB settings (lldptool -T -i IF -g ncb -V evb ...); "
			   "there is nothing for evbd to run.");
	return x.refused;
}
