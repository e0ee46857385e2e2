/* SPDX-License-Identifier: ISC */
/*
 * ipc_out.c - how evbd's control channel answers go out (see ipc_out.h):
 * at once when the peer can take them; a peer whose receive buffer is full
 * gets a backlog: a FIFO of jobs (ready datagrams, or a dump that builds its
 * next ~16 KiB datagram lazily through its item function), retried on a
 * short timer with back-off.  (Netlink sockets always poll writable -- the
 * receiver's buffer is what fills -- so EV_WRITE cannot pace this.)  What
 * backlogs hold is counted against a per-peer and a global budget
 * (ipc_state.h; requests over them are refused by ipc_out_admit()), and a
 * backlog that does not drain at a least rate is dropped.  Buffers start
 * zeroed, so only answers reach a client.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <libmnl/libmnl.h>

#include "evbd/ipc_out.h"
#include "evbd/log.h"

/* ---------------- sending and backlogs ---------------- */

static void arm_retry(struct evbd_ipc *ipc)
{
	if (evtimer_pending(ipc->retry_ev, NULL))
		return;
	struct timeval tv = {.tv_sec = (time_t)(ipc->retry_us / 1000000),
			     .tv_usec = (suseconds_t)(ipc->retry_us % 1000000)};
	evtimer_add(ipc->retry_ev, &tv);
}

/* 0 sent, -EAGAIN the peer's buffer is full, other negative errno: peer gone. */
static int raw_send(struct evbd_ipc *ipc, uint32_t pid, const void *buf, size_t len)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_pid = pid};
	for (;;) {
		if (sendto(ipc->fd, buf, len, MSG_DONTWAIT, (struct sockaddr *)&sa, sizeof(sa)) >=
		    0) {
			ipc->sent++;
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) {
			ipc->stats.tx_backlogged++;
			return -EAGAIN;
		}
		return -errno;
	}
}

static struct ipc_peer *peer_find(struct evbd_ipc *ipc, uint32_t pid)
{
	for (struct ipc_peer *pr = ipc->peers; pr; pr = pr->next)
		if (pr->pid == pid)
			return pr;
	return NULL;
}

static struct ipc_peer *peer_get(struct evbd_ipc *ipc, uint32_t pid)
{
	struct ipc_peer *pr = peer_find(ipc, pid);
	if (pr)
		return pr;
	pr = calloc(1, sizeof(*pr));
	if (!pr)
		return NULL;
	pr->pid = pid;
	pr->window = loop_now(&ipc->d->loop);
	pr->next = ipc->peers;
	ipc->peers = pr;
	return pr;
}

size_t ipc_peer_held(struct evbd_ipc *ipc, uint32_t pid)
{
	const struct ipc_peer *pr = peer_find(ipc, pid);
	return pr ? pr->held : 0;
}

/* ---------------- budgets ---------------- */

static void hold(struct evbd_ipc *ipc, struct ipc_peer *pr, size_t n)
{
	pr->held += n;
	ipc->stats.held += n;
	if (ipc->stats.held > ipc->stats.held_peak)
		ipc->stats.held_peak = ipc->stats.held;
}

static void job_free(struct evbd_ipc *ipc, struct ipc_peer *pr, struct ipc_job *j)
{
	pr->held -= j->cost;
	ipc->stats.held -= j->cost;
	if (j->dump)
		free(j->dump->mib);
	free(j->dump);
	free(j->data);
	free(j);
}

/* An answer owed to pr is dropped: count it, say so once per backlog. */
static void answer_lost(struct evbd_ipc *ipc, struct ipc_peer *pr)
{
	ipc->stats.tx_lost++;
	if (!pr->lost++)
		log_warn("control socket: answers to port id %u are dropped: %zu KiB wait for it, "
			 "more than its limit of %u KiB (the client does not read them)",
			 pr->pid, pr->held >> 10, IPC_PEER_HARD >> 10);
}

void ipc_peer_discard(struct evbd_ipc *ipc, uint32_t pid)
{
	struct ipc_peer *pr = peer_find(ipc, pid);
	if (!pr)
		return;
	while (pr->head) {
		struct ipc_job *j = pr->head;
		pr->head = j->next;
		ipc->stats.tx_lost++;
		job_free(ipc, pr, j);
	}
	pr->tail = NULL;
	pr->window = loop_now(&ipc->d->loop);
	pr->window_sent = 0;
}

int ipc_out_admit(struct evbd_ipc *ipc, uint32_t pid, uid_t uid, char *why, size_t cap)
{
	struct ipc_peer *pr = peer_find(ipc, pid);
	size_t mine = pr ? pr->held : 0, all = ipc->stats.held;
	bool peer_over = mine + IPC_BUF > IPC_PEER_BUDGET;
	bool all_over = uid != 0 && all + IPC_BUF > IPC_GLOBAL_BUDGET;
	if (!peer_over && !all_over)
		return 0;
	ipc->stats.over_budget++;
	if ((peer_over && mine >= IPC_PEER_BUDGET + IPC_REFUSAL_ROOM) ||
	    (all_over && all >= IPC_GLOBAL_BUDGET + IPC_REFUSAL_ROOM))
		return -ENOSPC; /* not even a refusal fits: dropped */
	if (pr && !pr->refused++)
		log_warn("control socket: refusing requests from port id %u (uid %u): %zu KiB of "
			 "answers wait for it, %zu KiB for all clients",
			 pid, (unsigned)uid, mine >> 10, all >> 10);
	if (peer_over)
		snprintf(why, cap,
			 "the answers waiting for port id %u (%zu KiB) exceed its budget of %u "
			 "KiB; read them first",
			 pid, mine >> 10, IPC_PEER_BUDGET >> 10);
	else
		snprintf(why, cap,
			 "the answers waiting for all clients of evbd (%zu KiB) exceed their "
			 "budget of %u KiB; try again once they are read",
			 all >> 10, IPC_GLOBAL_BUDGET >> 10);
	return -ENOBUFS;
}

static void peer_append(struct evbd_ipc *ipc, struct ipc_peer *pr, struct ipc_job *j)
{
	j->next = NULL;
	if (pr->tail)
		pr->tail->next = j;
	else
		pr->head = j;
	pr->tail = j;
	hold(ipc, pr, j->cost);
}

static void peer_free(struct evbd_ipc *ipc, struct ipc_peer *pr, bool lost)
{
	struct ipc_peer **pp = &ipc->peers;
	while (*pp && *pp != pr)
		pp = &(*pp)->next;
	if (*pp)
		*pp = pr->next;
	struct ipc_job *j = pr->head;
	while (j) {
		struct ipc_job *next = j->next;
		if (lost)
			ipc->stats.tx_lost++;
		job_free(ipc, pr, j);
		j = next;
	}
	free(pr);
}

/* Queue a copy of a ready message behind the peer's backlog.  Messages
 * queued back to back share one datagram up to IPC_CHUNK octets (netlink
 * carries several messages per datagram), so a burst of answers costs one
 * send and one wake-up of the client, not one each.  A datagram's room is
 * zeroed: nothing but answers reaches a client. */
static void peer_queue_copy(struct evbd_ipc *ipc, struct ipc_peer *pr, const void *buf, size_t len)
{
	struct ipc_job *t = pr->tail;
	if (t && !t->dump && t->len && t->len + len <= t->cap) {
		memcpy(t->data + t->len, buf, len);
		t->len += len;
		return;
	}
	size_t cap = len > IPC_CHUNK ? len : IPC_CHUNK;
	if (pr->held + sizeof(struct ipc_job) + cap > IPC_PEER_HARD) {
		answer_lost(ipc, pr);
		return;
	}
	struct ipc_job *j = calloc(1, sizeof(*j));
	uint8_t *data = calloc(1, cap);
	if (!j || !data) {
		free(j);
		free(data);
		answer_lost(ipc, pr);
		return;
	}
	memcpy(data, buf, len);
	j->data = data;
	j->len = len;
	j->cap = cap;
	j->cost = sizeof(*j) + cap;
	peer_append(ipc, pr, j);
}

/* Fill the job's datagram with as many items as fit in IPC_CHUNK (one item
 * at least), then NLMSG_DONE when the walk is over. */
static void dump_fill(struct evbd_ipc *ipc, struct ipc_job *j)
{
	struct ipc_dump *dm = j->dump;
	size_t off = 0;
	for (;;) {
		size_t limit = off ? IPC_CHUNK : IPC_BUF;
		int n = dm->item(ipc, dm, j->data + off, limit > off ? limit - off : 0);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n == -ENOSPC && !off) {
			/* Cannot happen with the schema's sizes; never loop. */
			dm->cur.pos++;
			ipc->stats.tx_lost++;
			continue;
		}
		if (n == 0) {
			size_t done = ipc_put_done(j->data + off, limit > off ? limit - off : 0,
						   dm->seq, EVBD_IPC_PORTID);
			dm->finished = done > 0;
			off += done;
		}
		break;
	}
	j->len = off;
}

/* Send what the peer's backlog holds.  0 all sent, -EAGAIN blocked, other:
 * the peer is gone. */
static int peer_flush(struct evbd_ipc *ipc, struct ipc_peer *pr)
{
	struct ipc_job *j;
	while ((j = pr->head)) {
		if (!j->len && j->dump && !j->dump->finished)
			dump_fill(ipc, j);
		if (j->len) {
			int err = raw_send(ipc, pr->pid, j->data, j->len);
			if (err)
				return err;
			pr->window_sent += j->len;
			if (j->dump) /* its next datagram starts clean */
				memset(j->data, 0, IPC_BUF);
			j->len = 0;
		}
		if (j->dump && !j->dump->finished)
			continue;
		pr->head = j->next;
		if (!pr->head)
			pr->tail = NULL;
		job_free(ipc, pr, j);
	}
	return 0;
}

/* A blocked peer's progress rule: each IPC_STALL_US it must take
 * IPC_STALL_BYTES (a peer whose backlog empties is freed and starts
 * afresh), so reading one datagram now and then does not keep a backlog. */
static bool peer_stalled(struct evbd_ipc *ipc, struct ipc_peer *pr)
{
	uint64_t now = loop_now(&ipc->d->loop);
	if (now - pr->window < IPC_STALL_US)
		return false;
	if (pr->window_sent < IPC_STALL_BYTES)
		return true;
	pr->window = now;
	pr->window_sent = 0;
	return false;
}

/* Flush one peer; free it when done or gone.  True when it stays backlogged. */
static bool peer_service(struct evbd_ipc *ipc, struct ipc_peer *pr)
{
	int err = peer_flush(ipc, pr);
	if (!err) {
		peer_free(ipc, pr, false);
		return false;
	}
	if (err == -EAGAIN && !peer_stalled(ipc, pr))
		return true;
	if (err == -EAGAIN) {
		ipc->stats.stalled++;
		log_warn("control socket: dropping %zu KiB of answers for port id %u: it took %zu "
			 "octets in %llu s, less than the %u KiB a reading client takes",
			 pr->held >> 10, pr->pid, pr->window_sent, IPC_STALL_US / 1000000,
			 IPC_STALL_BYTES >> 10);
	} else {
		log_warn("control socket: dropping output for port id %u: %s", pr->pid,
			 strerror(-err));
		if (ipc->peer_gone)
			ipc->peer_gone(ipc, pr->pid);
	}
	peer_free(ipc, pr, true);
	return false;
}

static void on_retry(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct evbd_ipc *ipc = arg;
	uint64_t sent = ipc->sent;
	struct ipc_peer *pr = ipc->peers;
	bool busy = false;
	while (pr) {
		struct ipc_peer *next = pr->next;
		busy |= peer_service(ipc, pr);
		pr = next;
	}
	if (!busy || ipc->sent != sent)
		ipc->retry_us = IPC_RETRY_MIN_US;
	else if (ipc->retry_us < IPC_RETRY_MAX_US)
		ipc->retry_us *= 2; /* nobody reads: back off */
	if (busy)
		arm_retry(ipc);
}

/* Queue one answer for pid; ipc_flush() sends what is queued at the end of
 * the read burst or loop turn. */
void ipc_send_to(struct evbd_ipc *ipc, uint32_t pid, const void *buf, size_t len)
{
	struct ipc_peer *pr = peer_get(ipc, pid);
	if (!pr) {
		ipc->stats.tx_lost++;
		return;
	}
	peer_queue_copy(ipc, pr, buf, len);
}

void ipc_flush(struct evbd_ipc *ipc)
{
	if (!ipc)
		return;
	bool busy = false;
	struct ipc_peer *pr = ipc->peers;
	while (pr) {
		struct ipc_peer *next = pr->next;
		busy |= peer_service(ipc, pr);
		pr = next;
	}
	if (busy) {
		ipc->retry_us = IPC_RETRY_MIN_US;
		arm_retry(ipc);
	}
}

/* Start sending dm to pid behind its backlog. */
int ipc_queue_dump(struct evbd_ipc *ipc, uint32_t pid, struct ipc_dump *dm)
{
	struct ipc_job *j = calloc(1, sizeof(*j));
	uint8_t *data = calloc(1, IPC_BUF);
	struct ipc_peer *pr = j && data ? peer_get(ipc, pid) : NULL;
	if (!pr) {
		free(j);
		free(data);
		free(dm->mib);
		free(dm);
		return -ENOMEM;
	}
	j->dump = dm;
	j->data = data;
	j->cost = sizeof(*j) + sizeof(*dm) + IPC_BUF + (dm->mib ? 2 * sizeof(*dm->mib) : 0);
	peer_append(ipc, pr, j);
	ipc->stats.requests++;
	if (peer_service(ipc, pr)) {
		ipc->retry_us = IPC_RETRY_MIN_US;
		arm_retry(ipc);
	}
	return 0;
}

int ipc_out_init(struct evbd_ipc *ipc)
{
	ipc->retry_us = IPC_RETRY_MIN_US;
	ipc->retry_ev = evtimer_new(ipc->d->loop.base, on_retry, ipc);
	return ipc->retry_ev ? 0 : -ENOMEM;
}

void ipc_out_close(struct evbd_ipc *ipc)
{
	while (ipc->peers) {
		/* One last attempt, then whatever is left is lost. */
		struct ipc_peer *pr = ipc->peers;
		peer_free(ipc, pr, peer_flush(ipc, pr) != 0);
	}
	if (ipc->retry_ev)
		event_free(ipc->retry_ev);
	ipc->retry_ev = NULL;
}
