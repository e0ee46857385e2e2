/* SPDX-License-Identifier: ISC */
/*
 * oid.h - object identifiers and values of the managed-object library:
 * compare, parse and print OIDs, and the value of one object instance, with
 * the ASN.1 tags of SNMP so that an agent maps them one to one.  libc only.
 */
#ifndef MIB_OID_H
#define MIB_OID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MIB_OID_MAX 128 /* sub-identifiers (SNMP's limit) */

struct mib_oid {
	uint32_t len;
	uint32_t a[MIB_OID_MAX];
};

/* Value types: the BER tags SNMP uses (BITS travel as an OCTET STRING). */
enum mib_type {
	MIB_INTEGER = 0x02,    /* INTEGER, Integer32, enumerations, TruthValue */
	MIB_OCTETS = 0x04,     /* OCTET STRING, MacAddress, BITS */
	MIB_COUNTER32 = 0x41,  /* Counter32 */
	MIB_UNSIGNED32 = 0x42, /* Unsigned32 / Gauge32 */
	MIB_TIMETICKS = 0x43,  /* TimeTicks (centiseconds) */
};

#define MIB_OCTETS_MAX 32

struct mib_value {
	uint8_t type; /* enum mib_type */
	uint8_t len;  /* MIB_OCTETS: octets in s */
	union {
		int32_t i;  /* MIB_INTEGER */
		uint32_t u; /* MIB_COUNTER32, MIB_UNSIGNED32, MIB_TIMETICKS */
		uint8_t s[MIB_OCTETS_MAX];
	};
};

/* SNMP error-status values, as returned by the set and get paths. */
enum mib_err {
	MIB_OK = 0,
	MIB_ERR_NO_ACCESS = 6,
	MIB_ERR_WRONG_TYPE = 7,
	MIB_ERR_WRONG_LENGTH = 8,
	MIB_ERR_WRONG_VALUE = 10,
	MIB_ERR_NO_CREATION = 11,
	MIB_ERR_INCONSISTENT_VALUE = 12,
	MIB_ERR_RESOURCE_UNAVAILABLE = 13,
	MIB_ERR_COMMIT_FAILED = 14,
	MIB_ERR_NOT_WRITABLE = 17,
	/* not SNMP error-status values: the varbind exceptions of a get */
	MIB_NO_SUCH_OBJECT = 128,
	MIB_NO_SUCH_INSTANCE = 129,
	MIB_END_OF_VIEW = 130,
};

/* Lexicographic order of SNMP (a proper prefix sorts first): <0, 0, >0. */
int mib_oid_cmp(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen);
/* Does o begin with prefix (plen sub-identifiers)? */
bool mib_oid_has_prefix(const struct mib_oid *o, const uint32_t *prefix, size_t plen);
/* Parse "1.3.6.1" or ".1.3.6.1" (each arc 0..4294967295).  0 or -EINVAL. */
int mib_oid_parse(const char *s, struct mib_oid *o);
/* Append "a.b.c" (with a leading dot when dot) to buf; returns the length
 * the text needs, as snprintf does. */
size_t mib_oid_format(const uint32_t *a, size_t len, bool dot, char *buf, size_t cap);
/* Append arcs; -ENOSPC when MIB_OID_MAX would be passed. */
int mib_oid_append(struct mib_oid *o, const uint32_t *a, size_t n);
/* Short names of the types ("INTEGER", "STRING", "Counter32", ...), as
 * snmpwalk prints them. */
const char *mib_type_name(uint8_t type);
/* A sentence-free name of an error/exception ("notWritable", "noSuchObject"). */
const char *mib_err_name(int err);

#endif
