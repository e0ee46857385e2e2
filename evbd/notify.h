/* SPDX-License-Identifier: ISC */
/*
 * notify.h - evbd's word to its service manager (sd_notify(3), libsystemd):
 * READY=1 once the ports are open and the state is restored, RELOADING=1
 * and READY=1 around a SIGHUP reload, STOPPING=1 on the way out, and a
 * STATUS= line with each.  Without a service manager (NOTIFY_SOCKET unset)
 * every call does nothing.
 */
#ifndef EVBD_NOTIFY_H
#define EVBD_NOTIFY_H

/* Each sends its state with STATUS=<the formatted text>. */
void notify_ready(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void notify_reloading(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void notify_stopping(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* STATUS= alone (e.g. why start-up failed). */
void notify_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
