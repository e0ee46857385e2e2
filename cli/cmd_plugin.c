/* SPDX-License-Identifier: ISC */
/*
 * cmd_plugin.c - `evbctl plugin [NAME [ARGS...]]`: run a command that a
 * plugin added to evbd's control socket, and print what it answered;
 * without a name, list the commands of the loaded plugins.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "ipc_client.h"

struct plugin_answer {
	char text[EVBD_IPC_MAX_MSG];
	bool bad;
};

static void on_msg(const struct nlmsghdr *nlh, void *data)
{
	struct plugin_answer *pa = data;
	struct ipc_attrs a;
	if (nlh->nlmsg_type != EVB_MSG_RESULT)
		return;
	if (ipc_parse_answer(nlh, &a)) {
		pa->bad = true;
		return;
	}
	if (a.tb[EVB_A_TEXT])
		snprintf(pa->text, sizeof(pa->text), "%s", ipc_get_str(a.tb[EVB_A_TEXT], ""));
}

static int run_plugin(struct writer *w, int argc, char **argv)
{
	static uint8_t buf[EVBD_IPC_MAX_MSG];
	static struct plugin_answer pa;
	struct ipc_client *c;
	char err[1024];
	const char *msg;
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		return EVBCTL_HELP;
	if (argc > 1 && strlen(argv[1]) > EVB_PLUGIN_CMD_MAX - 1) {
		fprintf(stderr,
			"evbctl plugin: '%s' is too long for a command name (%d "
			"characters at most).\n",
			argv[1], EVB_PLUGIN_CMD_MAX - 1);
		return EVBCTL_USAGE;
	}
	struct ipc_msg m;
	ipc_req(&m, buf, EVB_MSG_PLUGIN_CMD, 0, 0);
	if (ipc_put_plugin_cmd(&m, argc > 1 ? argv[1] : "", argc > 2 ? argc - 2 : 0,
			       (const char *const *)argv + 2)) {
		fprintf(stderr, "evbctl plugin: the arguments are longer than %d octets.\n",
			EVB_ARGS_MAX);
		return EVBCTL_USAGE;
	}
	struct nlmsghdr *nlh = m.nlh;
	if (ipc_client_open(&c, err, sizeof(err))) {
		fprintf(stderr, "evbctl plugin: %s\n", err);
		return EVBCTL_FAIL;
	}
	pa.text[0] = 0;
	pa.bad = false;
	int rc = ipc_client_call(c, nlh, IPC_TIMEOUT_MS, on_msg, &pa, &msg);
	if (rc < 0)
		fprintf(stderr, "evbctl plugin: %s\n", ipc_client_error(c));
	else if (rc > 0)
		fprintf(stderr, "evbctl plugin: %s\n", *msg ? msg : strerror(rc));
	else if (pa.bad)
		fprintf(stderr, "evbctl plugin: evbd sent a malformed answer\n");
	ipc_client_close(c);
	if (rc || pa.bad)
		return EVBCTL_FAIL;
	if (writer_format(w) == WRITER_JSON)
		writer_str(w, "output", pa.text);
	else
		fputs(pa.text, stdout);
	return EVBCTL_OK;
}

const struct evbctl_cmd plugin_cmd = {
    .name = "plugin",
    .synopsis = "[NAME [ARGS...]]",
    .summary = "run a command a plugin added to evbd, or list them",
    .help = "  NAME   a command of a loaded plugin; without it, the commands are listed\n"
	    "  ARGS   its arguments, passed as they are\n"
	    "\n"
	    "Commands marked \"changes state\" need root or evbd's admin group.\n",
    .run = run_plugin,
};
