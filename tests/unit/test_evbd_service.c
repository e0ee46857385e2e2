/* SPDX-License-Identifier: ISC */
/*
 * test_evbd_service.c - evbd under a service manager: log lines carry "<N>"
 * syslog priorities when stderr is the journal (evbd/log.c, JOURNAL_STREAM)
 * and not otherwise; sd_notify's datagrams (evbd/notify.c) reach a real
 * NOTIFY_SOCKET with the state and one STATUS= line; the refusal to start
 * beside lldpad (evbd/rival.c) sees its control socket's address taken or
 * its pid file naming a live process called lldpad, and nothing else.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "evbd/log.h"
#include "evbd/notify.h"
#include "evbd/rival.h"

#include "tmpdir.h"

static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	return tmpdir_make(tmpdir, sizeof(tmpdir), "evbd-service");
}

static int teardown(void **state)
{
	(void)state;
	unsetenv("JOURNAL_STREAM");
	unsetenv("NOTIFY_SOCKET");
	return tmpdir_remove(tmpdir);
}

/* ---------------- journal priorities ---------------- */

/* Log two lines with stderr on a file; journal: JOURNAL_STREAM names that
 * file (as systemd names its stream), else another inode. */
static char *log_to_file(bool journal)
{
	static char out[1024];
	char path[128], js[64];
	struct stat st;
	snprintf(path, sizeof(path), "%s/stderr", tmpdir);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600), saved = dup(STDERR_FILENO);
	assert_true(fd >= 0 && saved >= 0 && !fstat(fd, &st));
	snprintf(js, sizeof(js), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino + (journal ? 0 : 1));
	setenv("JOURNAL_STREAM", js, 1);
	dup2(fd, STDERR_FILENO);
	log_init(LOG_LVL_INFO, false);
	log_err("port %s is gone", "eth9");
	log_info("a VSI changed");
	log_debug("dropped");
	dup2(saved, STDERR_FILENO);
	close(saved);
	ssize_t n = pread(fd, out, sizeof(out) - 1, 0);
	assert_true(n >= 0);
	out[n] = 0;
	close(fd);
	unsetenv("JOURNAL_STREAM");
	log_init(LOG_LVL_NOTICE, false);
	return out;
}

static void test_journal_gets_priorities(void **state)
{
	(void)state;
	assert_string_equal(log_to_file(true),
			    "<3>err: port eth9 is gone\n<6>info: a VSI changed\n");
}

static void test_other_stream_gets_plain_lines(void **state)
{
	(void)state;
	char want[64];
	const char *out = log_to_file(false);
	snprintf(want, sizeof(want), " evbd[%ld]: err: port eth9 is gone\n", (long)getpid());
	assert_true(out[0] >= '0' && out[0] <= '9');
	assert_non_null(strstr(out, want));
	assert_null(strchr(out, '<'));
}

/* ---------------- sd_notify ---------------- */

static int notify_listen(void)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	snprintf(a.sun_path, sizeof(a.sun_path), "%s/notify", tmpdir);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	setenv("NOTIFY_SOCKET", a.sun_path, 1);
	return fd;
}

static void expect_datagram(int fd, const char *want)
{
	char buf[600];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	assert_true(n > 0);
	buf[n] = 0;
	assert_string_equal(buf, want);
}

static void test_notify_states(void **state)
{
	(void)state;
	int fd = notify_listen();
	notify_ready("running with %u port(s)", 2u);
	expect_datagram(fd, "READY=1\nSTATUS=running with 2 port(s)");
	notify_reloading("re-reading %s", "/etc/evbd.conf");
	expect_datagram(fd, "RELOADING=1\nSTATUS=re-reading /etc/evbd.conf");
	notify_stopping("stopping on signal %d", 15);
	expect_datagram(fd, "STOPPING=1\nSTATUS=stopping on signal 15");
	notify_status("two\nlines");
	expect_datagram(fd, "STATUS=two lines");
	close(fd);
}

static void test_notify_without_manager_is_silent(void **state)
{
	(void)state;
	unsetenv("NOTIFY_SOCKET");
	notify_ready("nobody listens"); /* must neither fail nor block */
	setenv("NOTIFY_SOCKET", "/nonexistent/notify", 1);
	notify_stopping("nobody listens either");
	unsetenv("NOTIFY_SOCKET");
}

/* ---------------- beside lldpad ---------------- */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_rival_sees_the_control_socket(void **state)
{
	(void)state;
	char name[64], why[512], pidfile[128];
	snprintf(name, sizeof(name), "/evbd-test/lldpad-%ld", (long)getpid());
	snprintf(pidfile, sizeof(pidfile), "%s/none.pid", tmpdir);
	assert_int_equal(rival_lldpad(pidfile, name, why, sizeof(why)), 0);

	struct sockaddr_un a = {.sun_family = AF_UNIX};
	memcpy(a.sun_path + 1, name, strlen(name));
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a,
			      offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name)),
			 0);
	assert_int_equal(rival_lldpad(pidfile, name, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "control socket address @/evbd-test/lldpad-"));
	assert_non_null(strstr(why, "lldpad.socket"));
	close(fd);
	assert_int_equal(rival_lldpad(pidfile, name, why, sizeof(why)), 0);
}

static void test_rival_sees_a_live_lldpad_in_its_pid_file(void **state)
{
	(void)state;
	char pidfile[128], why[512], pid[32], clif[64];
	snprintf(pidfile, sizeof(pidfile), "%s/lldpad.pid", tmpdir);
	snprintf(clif, sizeof(clif), "/evbd-test/free-%ld", (long)getpid());
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		prctl(PR_SET_NAME, "lldpad", 0, 0, 0);
		pause();
		_exit(0);
	}
	usleep(100000); /* until the child renamed itself */
	snprintf(pid, sizeof(pid), "%ld\n", (long)child);
	write_file(pidfile, pid);
	assert_int_equal(rival_lldpad(pidfile, clif, why, sizeof(why)), -1);
	snprintf(pid, sizeof(pid), "(pid %ld, ", (long)child);
	assert_non_null(strstr(why, pid));
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	assert_int_equal(rival_lldpad(pidfile, clif, why, sizeof(why)), 0); /* stale */

	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid()); /* alive, not lldpad */
	write_file(pidfile, pid);
	assert_int_equal(rival_lldpad(pidfile, clif, why, sizeof(why)), 0);
	write_file(pidfile, "not a pid\n");
	assert_int_equal(rival_lldpad(pidfile, clif, why, sizeof(why)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_journal_gets_priorities),
	    cmocka_unit_test(test_other_stream_gets_plain_lines),
	    cmocka_unit_test(test_notify_states),
	    cmocka_unit_test(test_notify_without_manager_is_silent),
	    cmocka_unit_test(test_rival_sees_the_control_socket),
	    cmocka_unit_test(test_rival_sees_a_live_lldpad_in_its_pid_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
