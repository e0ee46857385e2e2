/* SPDX-License-Identifier: ISC */
/*
 * sock.c - receiving a control datagram with its sender and credentials
 * (see sock.h).
 */
#include "ipc/sock.h"

#include <string.h>

ssize_t evb_ipc_recv(int fd, void *buf, size_t len, struct evb_ipc_from *from)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} cbuf;
	memset(from, 0, sizeof(*from));
	struct iovec iov = {.iov_base = buf, .iov_len = len};
	struct msghdr mh = {.msg_name = &from->sa,
			    .msg_namelen = sizeof(from->sa),
			    .msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = cbuf.buf,
			    .msg_controllen = sizeof(cbuf.buf)};
	ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);
	if (n < 0)
		return n;
	from->salen = mh.msg_namelen;
	from->flags = mh.msg_flags;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS &&
		    c->cmsg_len == CMSG_LEN(sizeof(from->cred))) {
			memcpy(&from->cred, CMSG_DATA(c), sizeof(from->cred));
			from->has_cred = true;
		}
	}
	return n;
}
