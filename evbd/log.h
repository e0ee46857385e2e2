/* SPDX-License-Identifier: ISC */
/*
 * log.h - evbd's one logging module: stderr in the foreground (with <N>
 * priorities when stderr is systemd's journal), syslog when daemonized;
 * levels err..debug.
 */
#ifndef EVBD_LOG_H
#define EVBD_LOG_H

#include <stdbool.h>

#include "evbd/config.h"

void log_init(int level, bool use_syslog);
void log_set_level(int level);
void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Would a message of this level be written?  For callers whose arguments
 * cost something to build (per-VSI text on a hot path). */
bool log_enabled(int level);

#define log_err(...)	log_msg(LOG_LVL_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_LVL_NOTICE, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif
