/* SPDX-License-Identifier: ISC */
/*
 * priv.c - evbd's privileges after start-up: the capability and bounding
 * sets cut to CAP_NET_RAW and CAP_NET_ADMIN (libcap-ng), no new privileges
 * (PR_SET_NO_NEW_PRIVS), and the switch to [global] user when one is named,
 * with the state directory chowned to that user first.  See priv.h.
 */
#include <cap-ng.h>
#include <errno.h>
#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "evbd/log.h"
#include "evbd/priv.h"

/* The sets evbd's two capabilities stay in. */
#define KEPT (CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_BOUNDING_SET)

static uid_t chown_uid;
static gid_t chown_gid;

static int chown_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (lchown(path, chown_uid, chown_gid)) {
		log_err("cannot give %s to the user evbd runs as (uid %u): %s", path,
			(unsigned)chown_uid, strerror(errno));
		return -1;
	}
	return 0;
}

/* The state directory and everything in it (database, lock, plugins'
 * files) to pw, so that evbd can still write there once it is pw. */
static int give_state_dir(const char *dir, const struct passwd *pw)
{
	chown_uid = pw->pw_uid;
	chown_gid = pw->pw_gid;
	return nftw(dir, chown_one, 8, FTW_PHYS | FTW_MOUNT) ? -1 : 0;
}

/* Become pw, keeping the permitted capabilities across the uid change. */
static int become(const struct passwd *pw)
{
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) || setgroups(0, NULL) ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid)) {
		log_err("cannot switch to user %s (uid %u, gid %u): %s", pw->pw_name,
			(unsigned)pw->pw_uid, (unsigned)pw->pw_gid, strerror(errno));
		return -1;
	}
	prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	return 0;
}

int priv_drop(const struct evbd_conf *c)
{
	struct passwd *pw = NULL;
	if (c->user[0] && !(pw = getpwnam(c->user))) {
		log_err("cannot switch to user %s: no such user on this host; create it or "
			"remove the key 'user' from [global]",
			c->user);
		return -1;
	}
	/* Started without root (file or ambient capabilities, say): keep what
	 * of the two it has, and leave a bounding set it cannot change. */
	capng_get_caps_process();
	bool raw = capng_have_capability(CAPNG_PERMITTED, CAP_NET_RAW);
	bool admin = capng_have_capability(CAPNG_PERMITTED, CAP_NET_ADMIN);
	bool setpcap = capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP);
	capng_clear(CAPNG_SELECT_BOTH);
	if ((raw && capng_update(CAPNG_ADD, KEPT, CAP_NET_RAW)) ||
	    (admin && capng_update(CAPNG_ADD, KEPT, CAP_NET_ADMIN))) {
		log_err("cannot reduce evbd's capabilities: libcap-ng refused the set");
		return -1;
	}
	/* The bounding set first, while CAP_SETPCAP is still effective. */
	if (setpcap && capng_apply(CAPNG_SELECT_BOUNDS)) {
		log_err("cannot reduce evbd's capability bounding set to CAP_NET_RAW and "
			"CAP_NET_ADMIN");
		return -1;
	}
	/* Already pw (systemd's User=, with ambient capabilities): nothing to
	 * switch, and no CAP_SETUID to switch with. */
	if (pw && getuid() == pw->pw_uid && geteuid() == pw->pw_uid && getgid() == pw->pw_gid)
		pw = NULL;
	if (pw && (give_state_dir(c->state_dir, pw) || become(pw)))
		return -1;
	if (capng_apply(CAPNG_SELECT_CAPS)) {
		log_err("cannot reduce evbd's capabilities to CAP_NET_RAW and CAP_NET_ADMIN");
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		log_err("cannot set no-new-privileges: %s", strerror(errno));
		return -1;
	}
	if (!raw)
		log_warn("evbd runs without CAP_NET_RAW: a port whose interface comes back "
			 "cannot be opened again");
	log_info("privileges: capabilities cut to %s, no new privileges, uid %u%s%s",
		 raw && admin ? "CAP_NET_RAW and CAP_NET_ADMIN"
		 : raw	      ? "CAP_NET_RAW"
		 : admin      ? "CAP_NET_ADMIN"
			      : "none",
		 (unsigned)getuid(), pw ? " = user " : "", pw ? pw->pw_name : "");
	return 0;
}
