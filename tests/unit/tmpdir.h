/* SPDX-License-Identifier: ISC */
/*
 * tmpdir.h - a scratch directory per unit test: tmpdir_make() creates
 * /tmp/PREFIX-XXXXXX into buf, tmpdir_remove() deletes it with everything
 * in it.  Both return 0 or -1.
 */
#ifndef TESTS_TMPDIR_H
#define TESTS_TMPDIR_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static int tmpdir_rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline int tmpdir_make(char *buf, size_t cap, const char *prefix)
{
	snprintf(buf, cap, "/tmp/%s-XXXXXX", prefix);
	return mkdtemp(buf) ? 0 : -1;
}

static inline int tmpdir_remove(const char *dir)
{
	return nftw(dir, tmpdir_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
