/* SPDX-License-Identifier: ISC */
/*
 * forbidden.c - a test plugin for test_privileges.sh: its command
 * forbidden-calls makes two system calls evbd's seccomp allow-list
 * (evbd/sandbox.c) leaves out, fork (clone) and personality (a query), both
 * harmless and allowed to an unprivileged process without the sandbox, and
 * prints what each returned.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plugins/plugin_api.h"

static const struct evbd_plugin_ops *ops;

/* "NAME: allowed" or "NAME: <strerror>" */
static size_t result(char *out, size_t outlen, const char *name, int rc)
{
	int n = snprintf(out, outlen, "%s: %s\n", name, rc < 0 ? strerror(errno) : "allowed");
	return n < 0 ? 0 : (size_t)n < outlen ? (size_t)n : outlen;
}

static int cmd_calls(void *arg, int argc, const char *const *argv, char *out, size_t outlen)
{
	(void)arg;
	(void)argc;
	(void)argv;
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	size_t off = result(out, outlen, "fork", pid < 0 ? -1 : 0);
	int rc = personality(0xffffffff);
	result(out + off, outlen - off, "personality", rc < 0 ? -1 : 0);
	return 0;
}

static int init(const struct evbd_plugin_ops *o, void **state)
{
	ops = o;
	*state = NULL;
	return ops->ipc_command_add(ops->d, "forbidden-calls", false, cmd_calls, NULL);
}

static void fini(void *state)
{
	(void)state;
}

const struct evbd_plugin evbd_plugin = {
    .name = "forbidden",
    .abi = EVBD_PLUGIN_ABI,
    .init = init,
    .fini = fini,
};
