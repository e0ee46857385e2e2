/* SPDX-License-Identifier: ISC */
/*
 * log.c - evbd's one logging module (see log.h): in the foreground one line
 * per message on stderr, "<monotonic seconds> evbd[pid]: <level>: <text>";
 * daemonized, syslog (facility daemon) with the matching priority.  When
 * stderr is systemd's journal (JOURNAL_STREAM names its device and inode,
 * systemd.exec(5)), each line is "<N><text>" instead: N is the syslog
 * priority, which the journal strips and keeps (sd-daemon(3)), and the
 * journal adds the time and pid itself.
 * Messages above the configured level are dropped before formatting.
 */
#include "evbd/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define LOG_LINE_MAX 1024

static int log_level = LOG_LVL_NOTICE;
static bool log_syslog;
static bool log_journal; /* stderr is the journal: "<N>" prefixes */

static const struct {
	const char *name;
	int prio;
} levels[] = {
    [LOG_LVL_ERR] = {"err", LOG_ERR},	       [LOG_LVL_WARN] = {"warn", LOG_WARNING},
    [LOG_LVL_NOTICE] = {"notice", LOG_NOTICE}, [LOG_LVL_INFO] = {"info", LOG_INFO},
    [LOG_LVL_DEBUG] = {"debug", LOG_DEBUG},
};

static int clamp_level(int level)
{
	if (level < LOG_LVL_ERR)
		return LOG_LVL_ERR;
	if (level > LOG_LVL_DEBUG)
		return LOG_LVL_DEBUG;
	return level;
}

bool log_enabled(int level)
{
	return level <= log_level;
}

/* Whether stderr is the stream JOURNAL_STREAM ("DEV:INO") names. */
static bool stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	if (!js || sscanf(js, "%llu:%llu", &dev, &ino) != 2 || fstat(STDERR_FILENO, &st))
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void log_init(int level, bool use_syslog)
{
	log_journal = !use_syslog && stderr_is_journal();
	if (log_syslog && !use_syslog)
		closelog();
	log_level = clamp_level(level);
	log_syslog = use_syslog;
	if (use_syslog)
		openlog("evbd", LOG_PID, LOG_DAEMON);
}

void log_set_level(int level)
{
	log_level = clamp_level(level);
}

/* One write per line so concurrent writers do not interleave. */
static void log_stderr(int level, const char *text)
{
	char line[LOG_LINE_MAX + 96];
	struct timespec ts = {0};
	int n;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (log_journal)
		n = snprintf(line, sizeof(line), "<%d>%s: %s\n", levels[level].prio,
			     levels[level].name, text);
	else
		n = snprintf(line, sizeof(line), "%ld.%06ld evbd[%ld]: %s: %s\n", (long)ts.tv_sec,
			     ts.tv_nsec / 1000, (long)getpid(), levels[level].name, text);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = (int)sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return; /* nowhere left to report it */
}

void log_msg(int level, const char *fmt, ...)
{
	char text[LOG_LINE_MAX];
	va_list ap;
	size_t n;
	int w;

	level = clamp_level(level);
	if (level > log_level)
		return;
	va_start(ap, fmt);
	w = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (w >= (int)sizeof(text))
		memcpy(text + sizeof(text) - 4, "...", 4); /* cut: say so */
	n = strlen(text);
	while (n > 0 && text[n - 1] == '\n')
		text[--n] = 0;
	if (log_syslog)
		syslog(levels[level].prio, "%s", text);
	else
		log_stderr(level, text);
}
