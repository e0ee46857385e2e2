/* SPDX-License-Identifier: ISC */
/*
 * sandbox.c - evbd's system-call allow-list (see sandbox.h), built with
 * libseccomp.  A call outside it does not kill the daemon: the kernel
 * raises SIGSYS (SECCOMP_RET_TRAP), whose handler makes the call return
 * EPERM and passes its number through a pipe to the event loop, which logs
 * its name once per call.  Killing would lose nothing acknowledged (the
 * store commits before evbd answers), but it would end every association's
 * keep-alives and every plugin's service for one forgotten call on a rare
 * path of a plugin or library, which EPERM turns into an error that path
 * already handles; a call an attacker wants (execve, ptrace, mount, ...)
 * fails either way.  On an architecture whose return register the handler
 * does not know, the filter returns EPERM itself, unlogged.
 */
#include "evbd/sandbox.h"

#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include "evbd/log.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define SANITIZED 1
#endif
#endif

#if defined(__x86_64__)
#define RET_REG(uc) ((uc)->uc_mcontext.gregs[REG_RAX])
#elif defined(__aarch64__)
#define RET_REG(uc) ((uc)->uc_mcontext.regs[0])
#endif

/* What evbd, libevent, SQLite, libpcap, libmnl, net-snmp and the plugins
 * call once running (strace -f -c over the integration tests with every
 * plugin), plus what their error and exit paths and a SIGHUP's reload
 * (ports reopened, configuration and log re-read) call.  Names unknown to
 * the architecture (open on arm64) are skipped. */
static const char *const allowed[] = {
    /* memory */
    "brk",
    "mmap",
    "munmap",
    "mremap",
    "mprotect",
    "madvise",
    /* files: database, journal, log, pcap trace, pid file, config, plugins' files */
    "read",
    "write",
    "readv",
    "writev",
    "pread64",
    "pwrite64",
    "preadv",
    "pwritev",
    "lseek",
    "open",
    "openat",
    "close",
    "fstat",
    "stat",
    "lstat",
    "newfstatat",
    "statx",
    "fstatfs",
    "statfs",
    "access",
    "faccessat",
    "faccessat2",
    "readlink",
    "readlinkat",
    "getdents64",
    "unlink",
    "unlinkat",
    "rename",
    "renameat",
    "renameat2",
    "mkdir",
    "mkdirat",
    "fchmod",
    "fchown",
    "ftruncate",
    "fsync",
    "fdatasync",
    "flock",
    "fcntl",
    "dup",
    "dup2",
    "dup3",
    "pipe",
    "pipe2",
    "umask",
    "getcwd",
    "utimensat",
    "fallocate",
    /* sockets: packet, rtnetlink, control socket, AgentX, syslog */
    "socket",
    "socketpair",
    "bind",
    "connect",
    "listen",
    "accept",
    "accept4",
    "shutdown",
    "sendto",
    "sendmsg",
    "sendmmsg",
    "recvfrom",
    "recvmsg",
    "recvmmsg",
    "getsockopt",
    "setsockopt",
    "getsockname",
    "getpeername",
    "ioctl",
    /* the event loop */
    "epoll_create1",
    "epoll_ctl",
    "epoll_wait",
    "epoll_pwait",
    "poll",
    "ppoll",
    "select",
    "pselect6",
    "eventfd2",
    "timerfd_create",
    "timerfd_settime",
    "timerfd_gettime",
    /* time, identity, signals, threads' locks, exit */
    "clock_gettime",
    "clock_getres",
    "gettimeofday",
    "time",
    "nanosleep",
    "clock_nanosleep",
    "getpid",
    "gettid",
    "getppid",
    "getuid",
    "geteuid",
    "getgid",
    "getegid",
    "getresuid",
    "getresgid",
    "getgroups",
    "uname",
    "sysinfo",
    "getrusage",
    "times",
    "getrandom",
    "rt_sigaction",
    "rt_sigprocmask",
    "rt_sigreturn",
    "sigaltstack",
    "restart_syscall",
    "futex",
    "sched_yield",
    "kill",
    "tgkill",
    "exit",
    "exit_group",
    "prlimit64",
    "getrlimit",
    "sched_getaffinity",
};

static int sig_pipe[2] = {-1, -1};
static struct event *sig_ev;
static uint8_t logged[1024 / 8]; /* calls logged once (by number) */

#ifdef RET_REG
static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	int e = errno, nr = si->si_syscall;
	ucontext_t *uc = ctx;
	RET_REG(uc) = -EPERM;
	if (write(sig_pipe[1], &nr, sizeof(nr)) < 0) {
		/* the pipe is full: that call goes unlogged */
	}
	errno = e;
}
#endif

static void on_refused(evutil_socket_t fd, short what, void *arg)
{
	(void)what;
	(void)arg;
	int nr;
	while (read(fd, &nr, sizeof(nr)) == (ssize_t)sizeof(nr)) {
		if (nr >= 0 && nr < (int)sizeof(logged) * 8) {
			if (logged[nr / 8] & (1u << (nr % 8)))
				continue;
			logged[nr / 8] |= (uint8_t)(1u << (nr % 8));
		}
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		log_warn("seccomp: refused system call %s (number %d) with EPERM; evbd runs on. "
			 "If evbd or a plugin needs it, report it, or set seccomp = off in "
			 "evbd.conf [global] (logged once per call)",
			 name ? name : "?", nr);
		free(name);
	}
}

/* The SIGSYS handler and the pipe it writes to, read by the loop.  0 or -1
 * (the filter then returns EPERM itself). */
static int watch_refusals(struct event_base *base)
{
#ifdef RET_REG
	struct sigaction sa = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO | SA_RESTART};
	if (pipe2(sig_pipe, O_NONBLOCK | O_CLOEXEC))
		return -1;
	sig_ev = event_new(base, sig_pipe[0], EV_READ | EV_PERSIST, on_refused, NULL);
	if (sig_ev && !event_add(sig_ev, NULL) && !sigaction(SIGSYS, &sa, NULL))
		return 0;
	sandbox_fini();
	return -1;
#else
	(void)base;
	return -1;
#endif
}

static int add_rules(scmp_filter_ctx ctx)
{
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
		int nr = seccomp_syscall_resolve_name(allowed[i]);
		if (nr == __NR_SCMP_ERROR)
			continue;
		int err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
		if (err) {
			log_err("cannot allow the system call %s in the seccomp filter: %s",
				allowed[i], strerror(-err));
			return -1;
		}
	}
	return 0;
}

int sandbox_enter(const struct evbd_conf *c, struct event_base *base)
{
	if (!c->seccomp)
		return 0;
#ifdef SANITIZED
	(void)base;
	(void)watch_refusals; /* built, so that the sanitizer build checks them */
	(void)add_rules;
	log_notice("seccomp: not used by this sanitizer build (the sanitizers make calls of "
		   "their own)");
	return 0;
#else
	bool trap = watch_refusals(base) == 0;
	scmp_filter_ctx ctx = seccomp_init(trap ? SCMP_ACT_TRAP : SCMP_ACT_ERRNO(EPERM));
	int err = ctx ? add_rules(ctx) : -1;
	if (!err) {
		err = seccomp_load(ctx);
		if (err)
			log_err("cannot load the seccomp filter: %s; set seccomp = off in "
				"evbd.conf [global] on a kernel without seccomp",
				strerror(-err));
	} else if (!ctx) {
		log_err("cannot build the seccomp filter: out of memory");
	}
	if (ctx)
		seccomp_release(ctx);
	if (err) {
		sandbox_fini();
		return -1;
	}
	log_info("seccomp: %zu system calls allowed, others refused with EPERM%s",
		 sizeof(allowed) / sizeof(allowed[0]), trap ? " and logged" : "");
	return 0;
#endif
}

void sandbox_fini(void)
{
	if (sig_ev)
		event_free(sig_ev);
	sig_ev = NULL;
	for (int i = 0; i < 2; i++) {
		if (sig_pipe[i] >= 0)
			close(sig_pipe[i]);
		sig_pipe[i] = -1;
	}
}
