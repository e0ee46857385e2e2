/* SPDX-License-Identifier: ISC */
/*
 * rival.c - is lldpad running beside evbd (see rival.h)?  Two independent
 * signs, either one enough: its control socket's abstract address is bound
 * in this network namespace (a bind of our own gets EADDRINUSE; the socket
 * is closed at once, so the address stays free for anyone after us), or its
 * pid file names a live process whose name is lldpad and whose network
 * namespace is ours (a lldpad in another namespace drives other interfaces).
 */
#include "evbd/rival.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Whether the abstract unix address @name is bound (datagram, as lldpad's). */
static bool clif_taken(const char *name)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	size_t n = strlen(name);
	if (n + 1 > sizeof(a.sun_path))
		return false;
	memcpy(a.sun_path + 1, name, n); /* sun_path[0] = 0: abstract */
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	bool taken = bind(fd, (struct sockaddr *)&a,
			  (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n)) &&
		     errno == EADDRINUSE;
	close(fd);
	return taken;
}

static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	buf[0] = 0;
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
}

/* The pid in pidfile when a live process called lldpad has it; 0 otherwise.
 * A process whose /proc entry we may not read (hidepid, another user) is
 * taken at its pid file's word. */
static long lldpad_pid(const char *pidfile)
{
	char buf[64], path[64], ours[64], theirs[64];
	read_line(pidfile, buf, sizeof(buf));
	char *end;
	long pid = strtol(buf, &end, 10);
	if (pid <= 0 || end == buf || (kill((pid_t)pid, 0) && errno != EPERM))
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	read_line(path, buf, sizeof(buf));
	if (buf[0] && strcmp(buf, "lldpad"))
		return 0; /* a stale file whose pid was reused */
	snprintf(path, sizeof(path), "/proc/%ld/ns/net", pid);
	ssize_t a = readlink("/proc/self/ns/net", ours, sizeof(ours) - 1);
	ssize_t b = readlink(path, theirs, sizeof(theirs) - 1);
	if (a > 0 && b > 0 && (a != b || memcmp(ours, theirs, (size_t)a)))
		return 0;
	return pid;
}

int rival_lldpad(const char *pidfile, const char *clif, char *why, size_t len)
{
	long pid = lldpad_pid(pidfile);
	if (pid) {
		snprintf(why, len,
			 "lldpad is running (pid %ld, from %s) in this network namespace; evbd "
			 "would fight it over LLDP, VDP, libvirt's netlink address and that pid "
			 "file. Stop and mask it first: systemctl disable --now lldpad.service "
			 "lldpad.socket && systemctl mask lldpad.service lldpad.socket",
			 pid, pidfile);
		return -1;
	}
	if (clif_taken(clif)) {
		snprintf(
		    why, len,
		    "lldpad's control socket address @%s is taken in this network namespace: "
		    "lldpad (or a program serving lldptool) is running, and evbd would fight "
		    "it over LLDP and VDP. Stop and mask it first: systemctl disable --now "
		    "lldpad.service lldpad.socket && systemctl mask lldpad.service lldpad.socket",
		    clif);
		return -1;
	}
	return 0;
}
