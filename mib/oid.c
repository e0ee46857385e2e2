/* SPDX-License-Identifier: ISC */
/*
 * oid.c - OID order, parsing and printing; names of value types and errors.
 */
#include "mib/oid.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int mib_oid_cmp(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;

	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	}
	if (alen == blen)
		return 0;
	return alen < blen ? -1 : 1;
}

bool mib_oid_has_prefix(const struct mib_oid *o, const uint32_t *prefix, size_t plen)
{
	return o->len >= plen && !memcmp(o->a, prefix, plen * sizeof(*prefix));
}

int mib_oid_parse(const char *s, struct mib_oid *o)
{
	o->len = 0;
	if (*s == '.')
		s++;
	if (!*s)
		return -EINVAL;
	while (*s) {
		uint64_t v = 0;

		if (*s < '0' || *s > '9' || o->len == MIB_OID_MAX)
			return -EINVAL;
		while (*s >= '0' && *s <= '9') {
			v = v * 10 + (uint64_t)(*s++ - '0');
			if (v > UINT32_MAX)
				return -EINVAL;
		}
		o->a[o->len++] = (uint32_t)v;
		if (*s == '.' && !s[1])
			return -EINVAL;
		if (*s == '.')
			s++;
		else if (*s)
			return -EINVAL;
	}
	return 0;
}

size_t mib_oid_format(const uint32_t *a, size_t len, bool dot, char *buf, size_t cap)
{
	size_t used = strnlen(buf, cap);

	for (size_t i = 0; i < len; i++) {
		size_t room = used < cap ? cap - used : 0;
		int n =
		    snprintf(buf + (room ? used : 0), room, "%s%u", (i || dot) ? "." : "", a[i]);

		used += (size_t)n;
	}
	return used;
}

int mib_oid_append(struct mib_oid *o, const uint32_t *a, size_t n)
{
	if (n > MIB_OID_MAX - o->len)
		return -ENOSPC;
	memcpy(o->a + o->len, a, n * sizeof(*a));
	o->len += (uint32_t)n;
	return 0;
}

const char *mib_type_name(uint8_t type)
{
	switch (type) {
	case MIB_INTEGER:
		return "INTEGER";
	case MIB_OCTETS:
		return "STRING";
	case MIB_COUNTER32:
		return "Counter32";
	case MIB_UNSIGNED32:
		return "Gauge32";
	case MIB_TIMETICKS:
		return "Timeticks";
	default:
		return "unknown";
	}
}

const char *mib_err_name(int err)
{
	static const struct {
		int err;
		const char *name;
	} names[] = {
	    {MIB_OK, "noError"},
	    {MIB_ERR_NO_ACCESS, "noAccess"},
	    {MIB_ERR_WRONG_TYPE, "wrongType"},
	    {MIB_ERR_WRONG_LENGTH, "wrongLength"},
	    {MIB_ERR_WRONG_VALUE, "wrongValue"},
	    {MIB_ERR_NO_CREATION, "noCreation"},
	    {MIB_ERR_INCONSISTENT_VALUE, "inconsistentValue"},
	    {MIB_ERR_RESOURCE_UNAVAILABLE, "resourceUnavailable"},
	    {MIB_ERR_COMMIT_FAILED, "commitFailed"},
	    {MIB_ERR_NOT_WRITABLE, "notWritable"},
	    {MIB_NO_SUCH_OBJECT, "noSuchObject"},
	    {MIB_NO_SUCH_INSTANCE, "noSuchInstance"},
	    {MIB_END_OF_VIEW, "endOfMibView"},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].err == err)
			return names[i].name;
	}
	return "genErr";
}
