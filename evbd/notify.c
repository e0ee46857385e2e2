/* SPDX-License-Identifier: ISC */
/*
 * notify.c - evbd's messages to its service manager over sd_notify(3) (see
 * notify.h): one datagram per state change, "READY=1\nSTATUS=...".  A
 * failed send is logged at debug level only: the service manager that is
 * gone cannot be told, and evbd runs on.
 */
#include "evbd/notify.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-daemon.h>

#include "evbd/log.h"

#define NOTIFY_MAX 512

static void send_state(const char *state, const char *fmt, va_list ap)
{
	char status[NOTIFY_MAX - 32], msg[NOTIFY_MAX];
	vsnprintf(status, sizeof(status), fmt, ap);
	for (char *c = status; *c; c++)
		if (*c == '\n') /* one STATUS= line */
			*c = ' ';
	snprintf(msg, sizeof(msg), "%s%sSTATUS=%s", state, state[0] ? "\n" : "", status);
	int rc = sd_notify(0, msg);
	if (rc < 0)
		log_debug("cannot tell the service manager '%s': %s", msg, strerror(-rc));
}

#define NOTIFY_FN(name, state)                                                                     \
	void name(const char *fmt, ...)                                                            \
	{                                                                                          \
		va_list ap;                                                                        \
		va_start(ap, fmt);                                                                 \
		send_state(state, fmt, ap);                                                        \
		va_end(ap);                                                                        \
	}

NOTIFY_FN(notify_ready, "READY=1")
NOTIFY_FN(notify_reloading, "RELOADING=1")
NOTIFY_FN(notify_stopping, "STOPPING=1")
NOTIFY_FN(notify_status, "")
