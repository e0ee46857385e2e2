/* SPDX-License-Identifier: ISC */
/*
 * journal.c - evbd's event journal (see journal.h): the ring of the last
 * JOURNAL_EVENTS events, the per-port last seen state that tells a port's
 * changes apart, and the info-level line per VSI result change.
 */
#include "evbd/journal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "evbd/evbd.h"
#include "evbd/log.h"
#include "vdp/vdp_sm.h"
#include "vdp/vdp_tlv.h"
#include "vdp/vsi.h"

_Static_assert((JOURNAL_EVENTS & (JOURNAL_EVENTS - 1)) == 0, "JOURNAL_EVENTS: a power of two");

/* What a port looked like at its last event. */
struct port_seen {
	const struct evbd_port *p;
	bool link_up, present, nbr;
	struct evb_oper oper;
	uint8_t nbr_mac[6];
};

struct evbd_journal {
	journal_publish_fn publish;
	void *ctx;
	uint32_t next; /* the next event's number (from 1) */
	struct port_seen *seen;
	size_t nseen, capseen;
	struct ipc_event ring[JOURNAL_EVENTS];
};

struct evbd_journal *journal_new(journal_publish_fn publish, void *ctx)
{
	struct evbd_journal *j = calloc(1, sizeof(*j));
	if (!j) {
		log_err("cannot start the event journal: out of memory");
		return NULL;
	}
	j->publish = publish;
	j->ctx = ctx;
	j->next = 1;
	return j;
}

void journal_free(struct evbd_journal *j)
{
	if (!j)
		return;
	free(j->seen);
	free(j);
}

static uint64_t realtime_us(void)
{
	struct timespec ts = {0};
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* A new event in the ring, numbered and timed, filled in by the caller. */
static struct ipc_event *event_new(struct evbd_journal *j, uint8_t kind, const struct evbd_port *p)
{
	uint32_t seq = j->next++;
	if (!j->next)
		j->next = 1; /* after 2^32 events; a reader sees a gap */
	struct ipc_event *e = &j->ring[seq & (JOURNAL_EVENTS - 1)];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->seq = seq;
	e->time_us = realtime_us();
	memcpy(e->ifname, p->ifname, sizeof(p->ifname));
	e->role = (uint8_t)p->conf.evb.role;
	return e;
}

static void event_done(struct evbd_journal *j, const struct ipc_event *e)
{
	if (j->publish)
		j->publish(j->ctx, e);
}

/* ---------------- VSIs ---------------- */

static const char *state_name(uint8_t role, uint8_t state)
{
	return role == EVB_ROLE_BRIDGE ? vdp_br_state_name(state) : vdp_st_state_name(state);
}

/* One line per VSI result change at info level: port, VSIID, type and
 * version, old -> new result (and machine state), the command, the reason.
 * Formatted only when info is logged. */
static void log_vsi(const struct ipc_event *e)
{
	if (!log_enabled(LOG_LVL_INFO))
		return;
	char id[64];
	static const char *const what[EVB_EV_MAX] = {[EVB_EV_VSI_STATE] = "",
						     [EVB_EV_VSI_TIMEOUT] = " (no answer)",
						     [EVB_EV_VSI_REMOVED] = " (ended)"};
	log_info("%s: VSI %s:%s type %u version %u: %s -> %s%s (%s -> %s) on %s, reason %u (%s)",
		 e->ifname, vdp_vsiid_fmt_name(e->key.fmt),
		 vdp_vsiid_str(e->key.fmt, e->key.id, id, sizeof(id)), e->type_id, e->type_ver,
		 vsi_result_name(e->old_result), vsi_result_name(e->result),
		 what[e->kind] ? what[e->kind] : "", state_name(e->role, e->old_state),
		 state_name(e->role, e->state), vdp_cmd_word(e->cmd), e->reason,
		 vdp_reason_name(e->reason));
}

/* Which VSI event a machine step is, or EVB_EV_NONE. */
static uint8_t vsi_kind(uint8_t role, const struct vdp_vsi *v, const struct vdp_sm_out *out)
{
	bool timer = role == EVB_ROLE_BRIDGE
			 ? out->event == VDP_BR_EV_TIMER
			 : out->event == VDP_ST_EV_TIMER || out->event == VDP_ST_EV_TX_FAILED;
	if (timer && (out->remove || (out->notify && v->result == VSI_FAILED && !v->reason)))
		return EVB_EV_VSI_TIMEOUT;
	if (out->remove)
		return EVB_EV_VSI_REMOVED;
	if (out->notify)
		return EVB_EV_VSI_STATE;
	return EVB_EV_NONE;
}

void journal_vsi_changed(struct evbd_journal *j, const struct evbd_port *p, const struct vdp_vsi *v,
			 const struct vdp_sm_out *out)
{
	if (!j)
		return;
	uint8_t role = (uint8_t)p->conf.evb.role;
	uint8_t kind = vsi_kind(role, v, out);
	if (kind == EVB_EV_NONE)
		return;
	struct ipc_event *e = event_new(j, kind, p);
	e->key = v->key;
	e->type_id = v->type_id;
	e->type_ver = v->type_ver;
	e->cmd = v->cmd;
	e->result = v->result;
	e->reason = v->reason;
	e->state = v->state;
	e->old_result = out->start_result;
	e->old_state = out->start;
	log_vsi(e);
	event_done(j, e);
}

void journal_vsi_request(struct evbd_journal *j, const struct evbd_port *p,
			 const struct vdp_request *r)
{
	if (!j)
		return;
	const struct vdp_vsi *v = vsi_table_find(&p->vdp.vsis, &r->key);
	struct ipc_event *e = event_new(j, EVB_EV_VSI_REQUEST, p);
	e->key = r->key;
	e->type_id = r->type == VDP_TLV_DEASSOC && v ? v->type_id : r->type_id;
	e->type_ver = r->type == VDP_TLV_DEASSOC && v ? v->type_ver : r->type_ver;
	e->cmd = r->type;
	e->result = e->old_result = v ? v->result : VSI_PENDING;
	e->reason = v ? v->reason : 0;
	e->state = e->old_state = v ? v->state : 0;
	event_done(j, e);
}

/* ---------------- ports ---------------- */

static struct port_seen *seen_of(struct evbd_journal *j, const struct evbd_port *p)
{
	for (size_t i = 0; i < j->nseen; i++)
		if (j->seen[i].p == p)
			return &j->seen[i];
	if (j->nseen == j->capseen) {
		size_t cap = j->capseen ? 2 * j->capseen : 8;
		struct port_seen *s = realloc(j->seen, cap * sizeof(*s));
		if (!s)
			return NULL;
		j->seen = s;
		j->capseen = cap;
	}
	struct port_seen *s = &j->seen[j->nseen++];
	*s = (struct port_seen){.p = p}; /* absent, down, no EVB, no neighbour */
	return s;
}

static bool oper_same(const struct evb_oper *a, const struct evb_oper *b)
{
	return a->valid == b->valid && a->r == b->r && a->rte == b->rte && a->rwd == b->rwd &&
	       a->rka == b->rka && a->rr == b->rr && a->gid == b->gid;
}

static void port_event(struct evbd_journal *j, const struct evbd_port *p, uint8_t kind)
{
	struct ipc_event *e = event_new(j, kind, p);
	e->link_up = p->link_up;
	e->present = p->present;
	e->oper = p->lldp.oper;
	e->has_nbr = p->lldp.nbr.valid;
	if (e->has_nbr)
		memcpy(e->nbr_mac, p->lldp.nbr.mac, sizeof(e->nbr_mac));
	event_done(j, e);
}

void journal_port(struct evbd_journal *j, const struct evbd_port *p)
{
	struct port_seen *s = j ? seen_of(j, p) : NULL;
	if (!s)
		return;
	const struct lldp_agent *a = &p->lldp;
	if (s->link_up != p->link_up || s->present != p->present) {
		s->link_up = p->link_up;
		s->present = p->present;
		port_event(j, p, EVB_EV_LINK);
	}
	if (s->nbr != a->nbr.valid || (a->nbr.valid && memcmp(s->nbr_mac, a->nbr.mac, 6))) {
		bool lost = s->nbr && !a->nbr.valid;
		s->nbr = a->nbr.valid;
		memcpy(s->nbr_mac, a->nbr.mac, 6);
		port_event(j, p, lost ? EVB_EV_NEIGHBOR_LOST : EVB_EV_NEIGHBOR);
	}
	if (!oper_same(&s->oper, &a->oper)) {
		s->oper = a->oper;
		port_event(j, p, EVB_EV_EVB);
	}
}

void journal_port_removed(struct evbd_journal *j, const struct evbd_port *p)
{
	for (size_t i = 0; j && i < j->nseen; i++)
		if (j->seen[i].p == p) {
			j->seen[i] = j->seen[--j->nseen];
			return;
		}
}

/* ---------------- reading ---------------- */

uint32_t journal_count(const struct evbd_journal *j)
{
	return j ? j->next - 1 : 0;
}

const struct ipc_event *journal_next(const struct evbd_journal *j, uint32_t *seq)
{
	if (!j)
		return NULL;
	uint32_t oldest = j->next > JOURNAL_EVENTS ? j->next - JOURNAL_EVENTS : 1;
	uint32_t s = *seq < oldest ? oldest : *seq;
	if (s >= j->next)
		return NULL;
	*seq = s + 1;
	return &j->ring[s & (JOURNAL_EVENTS - 1)];
}
