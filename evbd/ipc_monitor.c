/* SPDX-License-Identifier: ISC */
/*
 * ipc_monitor.c - evbd's events over the control channel (see
 * ipc_monitor.h).  A subscriber is a (port id, sequence number) pair in a
 * table of IPC_MONITOR_MAX; each event is one EVB_MSG_EVENT message with the
 * subscription's sequence number, queued behind whatever else waits for the
 * client (ipc_out.c batches them into datagrams).  A subscriber that does
 * not keep up (ipc_state.h: IPC_MONITOR_HARD, or IPC_MONITOR_QUEUE for
 * IPC_MONITOR_LAG_US) is dropped: counted, logged, and told by a last
 * RESULT (ENOBUFS).  A subscriber that went away without
 * a word is found out when the table is full and a new one asks: its port
 * id is no longer bound.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "evbd/ipc_monitor.h"
#include "evbd/ipc_msg.h"
#include "evbd/ipc_out.h"
#include "evbd/ipc_vsi.h"
#include "evbd/journal.h"
#include "evbd/log.h"

unsigned long ipc_portid_inode(uint32_t portid)
{
	FILE *f = fopen("/proc/net/netlink", "re");
	char line[256];
	unsigned long ino = 0;
	if (!f)
		return 0;
	while (!ino && fgets(line, sizeof(line), f)) {
		int proto;
		unsigned long pid, inode;
		if (sscanf(line, "%*s %d %lu %*s %*s %*s %*s %*s %*s %lu", &proto, &pid, &inode) ==
			3 &&
		    proto == EVBD_IPC_FAMILY && pid == portid)
			ino = inode;
	}
	fclose(f);
	return ino;
}

static void sub_remove(struct evbd_ipc *ipc, unsigned i)
{
	ipc->subs[i] = ipc->subs[--ipc->nsubs];
}

/* Forget subscribers whose socket is gone. */
static void subs_prune(struct evbd_ipc *ipc)
{
	for (unsigned i = 0; i < ipc->nsubs;)
		if (!ipc_portid_inode(ipc->subs[i].pid))
			sub_remove(ipc, i);
		else
			i++;
}

void ipc_handle_monitor(struct req *rq)
{
	struct evbd_ipc *ipc = rq->ipc;
	struct evbd_port *p = NULL;
	if (rq->at.tb[EVB_A_IFNAME] && !(p = ipc_req_port(rq, false)))
		return;
	for (unsigned i = 0; i < ipc->nsubs; i++)
		if (ipc->subs[i].pid == rq->pid) {
			sub_remove(ipc, i); /* a client subscribes once: the new one counts */
			break;
		}
	if (ipc->nsubs == IPC_MONITOR_MAX)
		subs_prune(ipc);
	if (ipc->nsubs == IPC_MONITOR_MAX) {
		ipc_fail(rq, EUSERS,
			 "evbd already has %u monitor subscribers, its limit; stop one of them "
			 "('evbctl stats' counts them)",
			 IPC_MONITOR_MAX);
		return;
	}
	struct ipc_sub *s = &ipc->subs[ipc->nsubs++];
	*s = (struct ipc_sub){.pid = rq->pid, .seq = rq->seq};
	if (p)
		snprintf(s->ifname, sizeof(s->ifname), "%s", p->ifname);
	struct answer a = {0};
	ipc_answer_result(ipc, rq->pid, rq->seq, &a);
}

/* Whether subscriber s has let too much wait (held octets, now): over
 * IPC_MONITOR_HARD, or over IPC_MONITOR_QUEUE for IPC_MONITOR_LAG_US.  Its
 * sentence in why. */
static bool sub_slow(struct ipc_sub *s, size_t held, uint64_t now, char *why, size_t cap)
{
	if (held <= IPC_MONITOR_QUEUE) {
		s->over_since = 0;
		return false;
	}
	if (!s->over_since)
		s->over_since = now;
	if (held > IPC_MONITOR_HARD) {
		snprintf(why, cap, "%zu KiB of events wait for it, more than its limit of %u KiB",
			 held >> 10, IPC_MONITOR_HARD >> 10);
		return true;
	}
	if (now - s->over_since < IPC_MONITOR_LAG_US)
		return false;
	snprintf(why, cap, "more than %u KiB of events (%zu KiB) have waited for it for %llu s",
		 IPC_MONITOR_QUEUE >> 10, held >> 10,
		 (unsigned long long)(IPC_MONITOR_LAG_US / 1000000));
	return true;
}

void ipc_monitor_peer_gone(struct evbd_ipc *ipc, uint32_t pid)
{
	for (unsigned i = 0; i < ipc->nsubs; i++)
		if (ipc->subs[i].pid == pid) {
			sub_remove(ipc, i);
			return;
		}
}

/* Drop subscriber i: it does not read fast enough (why). */
static void sub_drop_slow(struct evbd_ipc *ipc, unsigned i, const char *why)
{
	struct ipc_sub s = ipc->subs[i];
	char msg[IPC_MSG_MAX];
	sub_remove(ipc, i);
	ipc->stats.subs_dropped++;
	log_warn("control socket: dropping monitor subscriber port id %u: %s (it does not read "
		 "fast enough)",
		 s.pid, why);
	snprintf(msg, sizeof(msg),
		 "evbd stopped sending events to this monitor: %s; read faster (or filter by "
		 "'dev'), then start it again",
		 why);
	struct answer a = {.err = ENOBUFS, .msg = msg};
	ipc_peer_discard(ipc, s.pid); /* the events it did not take: its last word goes next */
	ipc_answer_result(ipc, s.pid, s.seq, &a);
}

void ipc_monitor_publish(struct evbd_ipc *ipc, const struct ipc_event *e)
{
	if (!ipc || !ipc->nsubs)
		return;
	struct ipc_msg m;
	uint64_t now = loop_now(&ipc->d->loop);
	for (unsigned i = 0; i < ipc->nsubs;) {
		struct ipc_sub *s = &ipc->subs[i];
		if (s->ifname[0] && strcmp(s->ifname, e->ifname)) {
			i++;
			continue;
		}
		char why[160];
		if (sub_slow(s, ipc_peer_held(ipc, s->pid), now, why, sizeof(why))) {
			sub_drop_slow(ipc, i, why);
			continue;
		}
		ipc_answer_start(&m, ipc->tbuf, sizeof(ipc->tbuf), EVB_MSG_EVENT, 0, s->seq);
		ipc_put_event(&m, e);
		if (!m.full)
			ipc_send_to(ipc, s->pid, m.nlh, m.nlh->nlmsg_len);
		i++;
	}
	loop_kick(&ipc->d->loop); /* the end of the turn sends them */
}

void ipc_monitor_shutdown(struct evbd_ipc *ipc)
{
	while (ipc->nsubs) {
		struct ipc_sub s = ipc->subs[--ipc->nsubs];
		struct answer a = {.err = ESHUTDOWN, .msg = "evbd is shutting down"};
		ipc_answer_result(ipc, s.pid, s.seq, &a);
	}
}

/* ---------------- a VSI's history ---------------- */

int ipc_history_start(struct req *rq, struct ipc_dump *dm)
{
	if (!dm->key.fmt) {
		ipc_fail(rq, EINVAL, "the history request names no VSI (VSIID_FMT, VSIID missing)");
		return -EINVAL;
	}
	dm->jseq = 0;
	return 0;
}

static bool event_of(const struct ipc_event *e, const struct ipc_dump *dm)
{
	return e->kind >= EVB_EV_VSI_REQUEST && e->key.fmt == dm->key.fmt &&
	       !memcmp(e->key.id, dm->key.id, VDP_VSIID_LEN) &&
	       (!dm->ifname[0] || !strcmp(dm->ifname, e->ifname));
}

int ipc_history_item(struct evbd_ipc *ipc, struct ipc_dump *dm, void *buf, size_t cap)
{
	uint32_t seq = dm->jseq;
	const struct ipc_event *e;
	while ((e = journal_next(ipc->d->journal, &seq))) {
		if (!event_of(e, dm))
			continue;
		struct ipc_msg m;
		ipc_answer_start(&m, buf, cap, EVB_MSG_EVENT, NLM_F_MULTI, dm->seq);
		ipc_put_event(&m, e);
		if (m.full)
			return -ENOSPC;
		dm->jseq = seq;
		return (int)m.nlh->nlmsg_len;
	}
	dm->jseq = seq;
	return 0;
}
