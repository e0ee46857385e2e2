/*
 * cmd_plugin.c - `evbctl plugin [NAME [ARGS...]]`: run a command that a
 * plugin added to evbd's control socket, and print what it answered;
 * without a name, list the commands of the loaded plugins.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "commands.h"
#include "ipc_client.h"

#define PLUGIN_ARGS_MAX 4096

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
		snprintf(pa->text, sizeof(pa->text), "%s", mnl_attr_get_str(a.tb[EVB_A_TEXT]));
}

/* NAME and ARGS into the request.  0, or -E2BIG. */
static int build(struct nlmsghdr *nlh, int argc, char **argv)
{
	static char args[PLUGIN_ARGS_MAX];
	size_t off = 0;
	mnl_attr_put_strz(nlh, EVB_A_PLUGIN_CMD, argc > 0 ? argv[0] : "");
	for (int i = 1; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;
		if (off + n > sizeof(args))
			return -E2BIG;
		memcpy(args + off, argv[i], n);
		off += n;
	}
	if (off)
		mnl_attr_put(nlh, EVB_A_ARGS, off, args);
	return 0;
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
	if (argc > 1 && strlen(argv[1]) > 31) {
		fprintf(stderr,
			"evbctl plugin: '%s' is too long for a command name (31 "
			"characters at most).\n",
			argv[1]);
		return EVBCTL_USAGE;
	}
	struct nlmsghdr *nlh = ipc_req_start(buf, EVB_MSG_PLUGIN_CMD, 0, 0);
	if (build(nlh, argc - 1, argv + 1)) {
		fprintf(stderr, "evbctl plugin: the arguments are longer than %d octets.\n",
			PLUGIN_ARGS_MAX);
		return EVBCTL_USAGE;
	}
	if (ipc_client_open(&c, err, sizeof(err))) {
		fprintf(stderr, "evbctl plugin: %s\n", err);
		return EVBCTL_FAIL;
	}
	pa.text[0] = 0;
	pa.bad = false;
	int rc = ipc_client_call(c, nlh, 5000, on_msg, &pa, &msg);
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
