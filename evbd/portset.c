/* SPDX-License-Identifier: ISC */
/*
 * portset.c - a port's own EVB settings changed at run time, kept in the
 * state database over evbd.conf (see portset.h).
 */
#include "evbd/portset.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "evbd/log.h"
#include "evbd/port.h"
#include "evbd/store.h"

#define GIVEN_TIMERS (CONF_GIVEN_R | CONF_GIVEN_RTE | CONF_GIVEN_RWD | CONF_GIVEN_RKA)

static void key_of(char *buf, size_t cap, const char *ifname)
{
	snprintf(buf, cap, "evb.%s", ifname);
}

static void format(char *buf, size_t cap, const struct evb_local *l)
{
	snprintf(buf, cap, "r=%u rte=%u rwd=%u rka=%u rrreq=%d rrcap=%d gid=%d", l->r, l->rte,
		 l->rwd, l->rka, l->rrreq, l->rrcap, l->gid);
}

/* The stored settings onto l; false when there are none or they do not
 * parse (the database may have been edited). */
static bool parse(const char *s, struct evb_local *l)
{
	unsigned r, rte, rwd, rka;
	int rrreq, rrcap, gid, end = 0;
	struct evb_local n = *l;

	if (sscanf(s, "r=%u rte=%u rwd=%u rka=%u rrreq=%d rrcap=%d gid=%d%n", &r, &rte, &rwd, &rka,
		   &rrreq, &rrcap, &gid, &end) != 7 ||
	    s[end] || r > EVB_R_MAX || rte > EVB_EXP_MAX || rwd > EVB_EXP_MAX || rka > EVB_EXP_MAX)
		return false;
	n.r = (uint8_t)r;
	n.rte = (uint8_t)rte;
	n.rwd = (uint8_t)rwd;
	n.rka = (uint8_t)rka;
	n.rrreq = rrreq != 0;
	n.rrcap = rrcap != 0;
	n.gid = gid != 0;
	*l = n;
	return true;
}

int portset_set(struct evbd_port *p, const struct evb_local *l, char *err, size_t errlen)
{
	char key[32], val[96];
	struct port_conf pc = p->conf;

	if (l->role != p->conf.evb.role || evb_local_check(l)) {
		snprintf(err, errlen,
			 "port %s: the EVB settings are out of range (R 0-%d, exponents 0-%d) or "
			 "change the role, which only evbd.conf and a restart can.",
			 p->ifname, EVB_R_MAX, EVB_EXP_MAX);
		return -EINVAL;
	}
	key_of(key, sizeof(key), p->ifname);
	format(val, sizeof(val), l);
	if (store_meta_put(p->d->store, key, val)) {
		snprintf(err, errlen,
			 "port %s: cannot save the EVB settings in the state database in %s; "
			 "nothing was changed; check the disk and the log.",
			 p->ifname, p->d->conf.state_dir);
		return -EIO;
	}
	pc.evb = *l;
	pc.evb_given |= GIVEN_TIMERS;
	port_reconfigure(p, &pc);
	log_notice("port %s: EVB settings set to %s (kept over evbd.conf)", p->ifname, val);
	return 0;
}

void portset_conf(struct evbd *d, struct evbd_conf *c)
{
	for (unsigned i = 0; i < c->nports; i++) {
		struct port_conf *pc = &c->ports[i];
		char key[32], val[96];

		key_of(key, sizeof(key), pc->ifname);
		if (store_meta_get(d->store, key, val, sizeof(val)))
			continue;
		if (!parse(val, &pc->evb)) {
			log_warn(
			    "port %s: the EVB settings kept in the state database ('%s') do "
			    "not parse; evbd.conf's apply. Set them again (lldptool -T -V evb).",
			    pc->ifname, val);
			continue;
		}
		pc->evb_given |= GIVEN_TIMERS;
	}
}
