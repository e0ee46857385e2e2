/* SPDX-License-Identifier: ISC */
/*
 * sock.h - receiving one control datagram with where it came from: the
 * sender's netlink address and its credentials (SCM_CREDENTIALS, which the
 * receiving socket asks for with SO_PASSCRED).  evbd authorizes requests by
 * them; evbctl accepts answers only from evbd's port id sent by uid 0.
 */
#ifndef IPC_SOCK_H
#define IPC_SOCK_H

#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

/* One received datagram's sender, its credentials and recvmsg's flags
 * (MSG_TRUNC, MSG_CTRUNC). */
struct evb_ipc_from {
	struct sockaddr_nl sa;
	socklen_t salen;
	bool has_cred;
	struct ucred cred;
	int flags;
};

/* Receive one datagram without blocking, with where it came from.
 * recvmsg's result (-1 with errno set). */
ssize_t evb_ipc_recv(int fd, void *buf, size_t len, struct evb_ipc_from *from);

#endif
