/* SPDX-License-Identifier: ISC */
/*
 * udgram.c - a unix datagram listener for the service test: `udgram PATH`
 * binds PATH (systemd's NOTIFY_SOCKET as evbd sees it), `udgram @NAME` the
 * abstract address NAME (lldpad's control socket, to stand in for a running
 * lldpad); each datagram received is printed on one line (its newlines as
 * spaces) and flushed, until the process is killed.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	if (argc != 2 || strlen(argv[1]) >= sizeof(a.sun_path)) {
		fprintf(stderr, "usage: udgram PATH|@NAME (shorter than %zu)\n",
			sizeof(a.sun_path));
		return 2;
	}
	memcpy(a.sun_path, argv[1], strlen(argv[1]));
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(argv[1]));
	if (a.sun_path[0] == '@')
		a.sun_path[0] = 0; /* abstract */
	else
		len++;
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, len)) {
		perror("udgram: cannot bind the address");
		return 1;
	}
	char buf[4096];
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n < 0)
			return 1;
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] == '\n')
				buf[i] = ' ';
		buf[n] = 0;
		printf("%s\n", buf);
		fflush(stdout);
	}
}
